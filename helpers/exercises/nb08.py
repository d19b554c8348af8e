"""Checks for notebook 08, debugging training."""

import numpy as np

from ..practice import bugs
from ..practice.bugs import BUGS, KINDS
from ..checking.checks import check_choice, check_number
from ..checking.codecheck import Case, Slip
from ..practice.gradcheck import AGREE, SUSPICIOUS, relative_error
from ..core.network import Network
from .nb06 import check_layer_loop, layer_cause

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


# ---- Exercise 5 (code): a real bug hunt ----
#
# The notebook hands the learner `backward(net, fp, Y)` for a network with tanh hidden layers and a
# softmax output, with one bug planted: tanh's slope computed from z instead of from a. The per-layer
# gradient check (helpers.gradcheck.check_backward_function) shows the output layer agrees and every
# hidden layer fails; the learner fixes the line and `check.fixed_backward` runs the fixed function.


HUNT_SIZES = [2, 6, 6, 2]
HUNT_SAMPLES = 20
_HUNT_SEED = 808
N_RANDOM_HUNTS = 4


def hunt_network():
    """The bug hunt's network: Network([2, 6, 6, 2]) with tanh, tanh, softmax and cross-entropy, seed 0."""
    return Network(HUNT_SIZES, ["tanh", "tanh", "softmax"], "cross_entropy", seed=0)


def hunt_data():
    """The first 20 animals of the standardised training set of notebook 07: X (20, 2), labels (20,)."""
    X, y = bugs.demo_data()
    return X[:HUNT_SAMPLES], y[:HUNT_SAMPLES]


def _hunt_loop(output_delta, slope):
    def backward(net, fp, Y):
        D, N = net.depth, len(Y)
        delta = {D: output_delta(fp, Y, N, D)}
        dL_dW, dL_db = {}, {}
        for l in range(D, 0, -1):
            dL_dW[l] = delta[l].T @ fp.a[l - 1]
            dL_db[l] = delta[l].sum(axis=0)
            if l > 1:
                delta[l - 1] = (delta[l] @ net.W[l]) * slope(fp, l - 1)
        return dL_dW, dL_db
    return backward


def _p_minus_y(fp, Y, N, D):
    return (fp.a[D] - Y) / N


fixed_backward_solution = _hunt_loop(_p_minus_y, lambda fp, l: 1 - fp.a[l] ** 2)
fixed_backward_solution.__doc__ = "The hunt's backward pass with the bug fixed: tanh′(z) = 1 − tanh(z)² = 1 − a²."
# Named as codecheck.REFERENCES knows it, so the check refuses net.backward inside the learner's function.
fixed_backward_solution.__name__ = fixed_backward_solution.__qualname__ = "fixed_backward_solution"
backward_with_the_bug = _hunt_loop(_p_minus_y, lambda fp, l: 1 - fp.z[l] ** 2)

HUNT_SLIPS = [
    Slip(backward_with_the_bug,
         "That is still the planted bug: the output layer agrees and every hidden layer fails, so look at the line "
         "that takes δ down a layer. tanh′(z) = 1 − tanh(z)² = 1 − a², so the slope is 1 - fp.a[l - 1] ** 2."),
    Slip(_hunt_loop(_p_minus_y, lambda fp, l: 1.0),
         "Now the slope is gone altogether: that is the missing-derivative bug of section 3.2. Keep the slope, "
         "computed from the activation: 1 - fp.a[l - 1] ** 2."),
    Slip(_hunt_loop(_p_minus_y, lambda fp, l: fp.a[l] * (1 - fp.a[l])),
         "a(1 − a) is the sigmoid's slope. These hidden layers are tanh: 1 − a²."),
    Slip(_hunt_loop(_p_minus_y, lambda fp, l: 1 - fp.a[l]),
         "The square is missing: tanh′ = 1 − a², not 1 − a."),
    Slip(_hunt_loop(_p_minus_y, lambda fp, l: 1 - np.tanh(fp.a[l]) ** 2),
         "tanh is applied twice: fp.a[l - 1] is already tanh(z), so 1 − tanh(a)² is the slope at a, not at z. "
         "The slope is 1 − a²: 1 - fp.a[l - 1] ** 2."),
    Slip(_hunt_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N * fp.a[D] * (1 - fp.a[D]),
                    lambda fp, l: 1 - fp.a[l] ** 2),
         "The output's δ was right: for softmax with cross-entropy δ = (p − y)/N, with no p(1 − p) after it. "
         "Softmax's Jacobian is not diagonal, and the sum over its paths is already in (p − y)/N."),
]

HUNT_SQUARE_SLIPS = [
    Slip(_hunt_loop(_p_minus_y, lambda fp, l: 1 - fp.a[l + 1] ** 2),
         "The slope belongs to the layer δ arrives at, l − 1: 1 - fp.a[l - 1] ** 2. Yours comes from layer l."),
]


def _hunt_case(name, sizes, seed, n, data_seed):
    def make():
        hidden = len(sizes) - 2
        net = Network(sizes, ["tanh"] * hidden + ["softmax"], "cross_entropy", seed=seed, weight_scale=1.0)
        for l in net.b:
            net.b[l] = np.random.default_rng(seed + l).normal(0.0, 0.5, size=net.b[l].shape)
        rng = np.random.default_rng(data_seed)
        X = rng.normal(size=(n, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=n)]
        return net, net.forward(X), Y
    return Case(name, make, f"sizes {sizes}, a batch of {n}")


def _hunt_cases():
    def example():
        net = hunt_network()
        X, y = hunt_data()
        return net, net.forward(X), net.check_targets(y, len(y))
    cases = [Case("the hunt's network", example, "Network([2, 6, 6, 2]) and 20 animals")]
    rng = np.random.default_rng(_HUNT_SEED)
    for i in range(N_RANDOM_HUNTS):
        depth = int(rng.integers(2, 5))
        sizes = [int(rng.integers(2, 5))] + [int(rng.integers(2, 7)) for _ in range(depth - 1)] + [int(rng.integers(2, 4))]
        cases.append(_hunt_case("a hidden random network", sizes, int(rng.integers(0, 1000)), int(rng.integers(3, 8)),
                                _HUNT_SEED + i))
    return cases


def _hunt_square_case():
    return _hunt_case("a network whose layers are all as wide", [3, 3, 3, 3], 5, 4, _HUNT_SEED + 100)


def fixed_backward(function):
    """Check the learner's fixed `backward(net, fp, Y)` on the hunt's network and hidden random tanh networks."""
    return check_layer_loop(
        function, cases=_hunt_cases(), expected=fixed_backward_solution, slips=HUNT_SLIPS,
        square_slips=HUNT_SQUARE_SLIPS, square_case=_hunt_square_case, what="your fixed backward",
        cause=layer_cause("(p − y)/N", "tanh′(z[l−1]) = 1 − a[l−1]²"),
        praise=("Fixed: every layer matches net.backward, here and on random networks. The per-layer check pointed "
                "at the hidden layers; the line that takes δ down a layer held the slip."))
