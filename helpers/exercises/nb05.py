"""Checks for notebook 05, gradient descent and the learning rate."""

import math

from ..checking.answers import quoted_number, quotes_hint, read_number, shown
from ..checking.checks import WRONG, Feedback, check_choice, check_number, same_to_six_digits, unanswered
from ..core.tiny import TwoTwoOne
from ..practice.training import descend_tiny

# Exercise 1: three learning rates for the 2-2-1 example; which one overshoots?
RATES = (0.1, 1.0, 4.0)
OVERSHOOTS = 4.0

# Exercise 2: one step from a given weight, slope and learning rate.
W_OLD = 2.0
SLOPE = 0.8
ETA = 0.25

# Exercise 3: updates in one epoch of mini-batch gradient descent.
N_SAMPLES = 300
BATCH_SIZE = 32


def overshooting_rate(answer):
    """Which of RATES overshoots? A number (4, 4.0); text such as '4.0' gets the hint to remove the quotes,
    as in every check of the course."""
    options = tuple(f"{r:g}" for r in RATES)
    if answer is None:
        return unanswered("one of the learning rates " + ", ".join(options))
    if quoted_number(answer) is not None:
        return Feedback(WRONG, quotes_hint(answer))
    value, _ = read_number(answer)
    matches = [r for r in RATES if value is not None and same_to_six_digits(value, r)]
    if not matches:
        return Feedback(WRONG, f"Answer with one of the three learning rates, {', '.join(options)}; got {shown(answer)}.")
    loss = descend_tiny(TwoTwoOne(), OVERSHOOTS, 2).loss
    return check_choice(
        matches[0], f"{OVERSHOOTS:g}", options,
        hints={
            "0.1": ("With η = 0.1 the loss falls at every step, just slowly: that is crawling. "
                    "Overshooting shows as a loss that goes up, or jumps up and down."),
            "1": ("With η = 1 the loss drops to almost 0 in one step and stays there: a step of about the right "
                  "size. Look for the run whose loss goes up before it comes down."),
        },
        praise=(f"η = {OVERSHOOTS:g} overshoots: the loss jumps from {loss[0]:.2f} to {loss[1]:.2f}, then to "
                f"{loss[2]:.2f}, each step flying past the bottom of the valley, before it finds its way down."),
    )


def new_weight(answer):
    """The weight after one step: W_OLD − ETA · SLOPE."""
    step = ETA * SLOPE
    expected = W_OLD - step
    return check_number(
        answer, expected, what="the new weight", tol=1e-6,
        hints=[
            (W_OLD + step, "You added the step. The slope is positive, so downhill is towards smaller w: w − η·∂L/∂w."),
            (W_OLD - SLOPE, "You subtracted the whole slope. Scale it by the learning rate first: η·∂L/∂w."),
            (W_OLD + SLOPE, "Two slips: subtract rather than add, and multiply the slope by η."),
            (step, "That is the size of the step, η·∂L/∂w. Subtract it from the old weight."),
            (-step, "That is the change in w. Add it to the old weight, w = 2.0."),
            (W_OLD - SLOPE / ETA, "You divided by η. The step is η times the slope: 0.25 × 0.8."),
        ],
        praise=f"w = {W_OLD} − {ETA} × {SLOPE} = {expected:.2f}: a small step downhill, against the slope.",
    )


def updates_per_epoch(answer):
    """Updates in one epoch: one per batch, the last batch smaller: ceil(N_SAMPLES / BATCH_SIZE)."""
    expected = math.ceil(N_SAMPLES / BATCH_SIZE)
    full = N_SAMPLES // BATCH_SIZE
    left = N_SAMPLES - full * BATCH_SIZE
    return check_number(
        answer, expected, what="the number of updates", tol=1e-9,
        hints=[
            (full, f"{full} full batches cover {full * BATCH_SIZE} samples, but an epoch uses every sample: "
                   f"the last {left} make one more, smaller batch, with an update of its own."),
            (N_SAMPLES / BATCH_SIZE, "Updates come in whole numbers: each batch, even a smaller last one, gives one update."),
            (N_SAMPLES, "That would be a batch size of 1: one update per sample."),
            (1, "That would be full-batch gradient descent: all the samples in one batch, one update."),
            (BATCH_SIZE, "That is the batch size. Count how many batches of that size it takes to cover every sample."),
            (N_SAMPLES * BATCH_SIZE, "Divide rather than multiply: how many batches of 32 does it take to cover 300 samples?"),
        ],
        praise=(f"{full} batches of {BATCH_SIZE} and a last one of {left}: {expected} updates, "
                "each after its own forward and backward pass."),
    )

