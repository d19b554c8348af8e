"""Notebook 07, the learning slowdown: how small squared error's δ is at a confidently wrong output.

The companion of `helpers.slowdown`: the neuron of that section starts at a = 0.98 against the target
y = 0, and the learner computes squared error's δ = (a − y)·σ′(z) = (a − y)·a(1 − a) there.
"""

from ..core.activations import _sigmoid_number
from ..checking.answers import read_number
from ..checking.checks import check_number

# The output and target of the question: a, rounded to two decimals as the notebook prints it, and y.
CONFIDENT_OUTPUT = 0.98
CONFIDENT_TARGET = 0.0
# δ at the unrounded start, a = σ(4) = 0.98201..., is accepted too: it is the same answer, unrounded.
UNROUNDED_OUTPUT = _sigmoid_number(4.0)
# Within 1e-4 (np.isclose, absolute or relative): 0.0192 is right, 0.0190 and 0.0196 are not.
CONFIDENT_DELTA_TOLERANCE = 1e-4


def _delta(a, y=CONFIDENT_TARGET):
    return (a - y) * a * (1.0 - a)


def confident_delta(answer):
    """Squared error's δ = (a − y)·a(1 − a) at a = 0.98, y = 0: 0.98 × 0.98 × 0.02 = 0.019208 (the unrounded
    start a = σ(4) gives 0.017345, also right)."""
    a, y = CONFIDENT_OUTPUT, CONFIDENT_TARGET
    expected = _delta(a)
    value, problem = read_number(answer)
    unrounded = _delta(UNROUNDED_OUTPUT)
    if answer is not None and not problem and abs(value - unrounded) <= CONFIDENT_DELTA_TOLERANCE:
        expected = unrounded
    return check_number(
        answer, expected, what="δ for squared error", tol=CONFIDENT_DELTA_TOLERANCE,
        hints=[
            (-expected, "Right size, wrong sign. a − y = 0.98 − 0 is positive, and so is σ′(z): δ is positive, "
                        "and the update w − η·δ·x pulls the output down towards 0."),
            (a - y, "That is cross-entropy's δ = a − y. Squared error's δ keeps one more factor, "
                    "σ′(z) = a(1 − a): multiply by it."),
            (a * (1 - a), "That is σ′(z) = a(1 − a) = 0.98 × 0.02 on its own. δ also carries a − y = 0.98: "
                          "multiply the two."),
            (2 * expected, "That is twice the answer: δ for (a − y)² without the ½. The loss here is "
                           "½(a − y)², whose ½ cancels the 2 that differentiating brings down."),
            ((a - y) * a, "You multiplied a − y by a, which is half of σ′(z) = a(1 − a). Multiply by (1 − a) "
                          "as well."),
            ((a - y) * 0.25, "0.25 is σ′ at its largest, at a = 0.5. At a = 0.98 the sigmoid is much flatter: "
                             "σ′(z) = a(1 − a) = 0.98 × 0.02."),
            (1 - a, "0.02 is 1 − a, one factor of σ′(z). δ = (a − y) × a × (1 − a)."),
        ],
        praise=(f"δ = (a − y)·a(1 − a) = 0.98 × 0.98 × 0.02 = {_delta(a):.4f}. Cross-entropy's δ at the same "
                f"output is a − y = 0.98, {(a - y) / _delta(a):.0f} times larger: with squared error the neuron "
                "that is most wrong gets one of the weakest pushes."),
    )
