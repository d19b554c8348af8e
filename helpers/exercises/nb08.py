"""Checks for notebook 08, debugging training."""

import numpy as np

from ..bugs import BUGS, KINDS
from ..checks import check_choice, check_number
from ..gradcheck import AGREE, SUSPICIOUS, relative_error

# Exercise 1: two gradients of three parameters that differ in the sign of one entry.
G_BACKPROP = (0.30, -0.20, 0.10)
G_NUMERICAL = (0.30, 0.20, 0.10)

# Exercise 2: a relative error to read against AGREE and SUSPICIOUS.
ERROR_TO_READ = 3e-6
VERDICTS = ("agree", "suspicious", "bug")

# Exercise 4: what a large weight and a large gradient do, and do not, tell you. One letter.
MEANING_OPTIONS = ("a", "b", "c", "d")
MEANING_STATEMENTS = {
    "a": "Unit 3 is the network's ear detector: ear length is what it has learnt makes a dog.",
    "b": "Nudging those weights changes the training loss faster than nudging the others, for this network "
         "with these weights.",
    "c": "Any network trained on these animals would have a unit 3 like it: it is a fact about cats and dogs.",
    "d": "Removing unit 3 would lower the accuracy more than removing any other unit.",
}
"""The four statements of exercise 4, as the notebook prints them; only 'b' follows from the numbers."""


def relative_error_by_hand(answer):
    """‖a − b‖ / (‖a‖ + ‖b‖) for G_BACKPROP and G_NUMERICAL: 0.4 / (2 · 0.374) ≈ 0.53."""
    a, b = np.array(G_BACKPROP), np.array(G_NUMERICAL)
    expected = relative_error(a, b)
    difference, norm = np.linalg.norm(a - b), np.linalg.norm(a)
    return check_number(
        answer, expected, what="the relative error", tol=5e-3,  # two decimals are enough
        hints=[
            (difference, "That is ‖a − b‖ alone. Divide it by ‖a‖ + ‖b‖, so the error does not depend on "
                         "how big the gradients are."),
            (difference / norm, "You divided by one norm. The formula divides by both: ‖a‖ + ‖b‖."),
            (difference ** 2 / (2 * norm), "‖a − b‖ is a square root: √(0² + 0.4² + 0²) = 0.4, not 0.16."),
            (difference / (2 * norm ** 2), "‖a‖ is a square root too: √(0.3² + 0.2² + 0.1²) ≈ 0.374, "
                                           "not 0.14."),
            (np.abs(a - b).sum() / (np.abs(a).sum() + np.abs(b).sum()),
             "You added absolute values. The norm ‖v‖ is the length √(v₁² + v₂² + v₃²): np.linalg.norm."),
            (0.0, "The gradients are not equal: the second entries have opposite signs."),
        ],
        praise=(f"‖a − b‖ = 0.4 and ‖a‖ = ‖b‖ ≈ {norm:.3f}, so the relative error is {expected:.2f}: far "
                f"above SUSPICIOUS = {SUSPICIOUS:g}. One flipped sign is a bug the check cannot miss."),
    )


def verdict(answer):
    """A relative error of 3e-6 lies between AGREE and SUSPICIOUS: 'suspicious'."""
    return check_choice(
        answer, "suspicious", VERDICTS,
        hints={
            "agree": (f"{ERROR_TO_READ:g} is {ERROR_TO_READ / AGREE:.0f} times the AGREE line of {AGREE:g}. "
                      "Centred differences agree with a correct backward pass far more closely than that."),
            "bug": (f"{ERROR_TO_READ:g} is below the SUSPICIOUS line of {SUSPICIOUS:g}. A real bug usually "
                    "gives 1e-2 or more; this is in the grey zone between the two lines."),
        },
        praise=(f"{AGREE:g} < {ERROR_TO_READ:g} < {SUSPICIOUS:g}: suspicious. Look closer: near a ReLU's kink "
                "this can be harmless; anywhere else, re-check the backward pass."),
    )


def which_bug(answer):
    """Loss explodes, the gradient check agrees, a tiny step goes downhill: learning_rate_too_high."""
    titles = {kind: BUGS[kind].title for kind in KINDS}
    return check_choice(
        answer, "learning_rate_too_high", KINDS, aliases={title: kind for kind, title in titles.items()},
        hints={
            "wrong_sign": ("A wrong sign would make every step climb, even the tiny one. Here the step with "
                           "η = 0.001 lowered the loss, so the update goes the right way; it is only too long."),
            "missing_derivative": ("A missing derivative fails the gradient check by far; here the check "
                                   "agrees to better than 1e-7."),
            "forgotten_bias_gradient": ("A forgotten bias gradient fails the gradient check for the biases; "
                                        "here every parameter agrees."),
            "dead_relu": ("Dead ReLUs make the loss stall, not explode: almost no gradient gets through "
                          "to change anything."),
            "vanishing_gradients": ("Vanishing gradients make the loss stall on a plateau, not explode."),
        },
        praise=(f"{titles['learning_rate_too_high']}: the gradient is right (the check agrees) and points "
                "downhill (the tiny step lowers the loss), but each real step jumps so far past the valley "
                "that the loss grows. Divide η by 10 and try again."),
    )


def weights_mean_something(answer):
    """Unit 3 has a large weight on ear length and large gradients: which statement follows? 'b'."""
    return check_choice(
        answer, "b", MEANING_OPTIONS,
        hints={
            "a": ("The experiments above rename and rescale the hidden units without changing a single "
                  "prediction: which unit is 'unit 3', and how large its weights are, is a choice among many "
                  "equal ones. A weight is a number that lowered the training loss, not a detector with a meaning."),
            "c": ("Numbering the hidden units differently gives the same network, and another random start gives "
                  "other weights again. Nothing makes a unit 3 appear in every trained network."),
            "d": ("A gradient measures what a tiny nudge of a weight does to the loss, here and now. Removing a "
                  "unit is a large change it does not measure; and rescaling a unit changes its gradients "
                  "while every prediction stays the same."),
        },
        praise=("b. ∂L/∂w says how fast the training loss changes when you nudge w, for this network as it is, "
                "and nothing more: it is a computation over parameters, not an explanation of cats and dogs."),
    )
