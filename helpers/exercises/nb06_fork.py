"""Checks for notebook 06's fork section: the 2-2-2 network, where each hidden neuron feeds two outputs.

Every expected value comes from `helpers.two_two_two`, so the checks agree with the numbers the notebook
prints: x = (0.5, 0.8), y = (1, 0), W_hidden = ((0.4, −0.1), (0.5, −0.2)), b_hidden = (−0.9, 0.5),
W_out = ((0.9, −0.8), (0.6, 0.3)), b_out = (−0.3, −0.8), loss half_squared_error, η = 0.5.

    check.dL_dh1(answer)                 the two shares arriving at h1, added
    check.backward_fork(backward_fork)   the learner's backward pass of the whole network

Notebook 06 reaches them as `check.<name>` through `from .nb06_fork import *` in helpers/exercises/nb06.py.
"""

import time

import numpy as np

from ..checking import diagnose
from ..checking.checks import check_number
from ..checking.codecheck import Case, Slip, check_function, observe_return
from ..core.two_two_two import FORK_ETA, FORK_INPUTS, FORK_TARGETS, TwoTwoTwo

# As in the 2-2-1 checks: within 0.2 % of the exact value is right (products of the four-decimal numbers
# the notebook prints land well inside it); within 3 % is close, a rounding or a digit off.
RELATIVE_TOLERANCE = 2e-3
CLOSE = 3e-2

_NET = TwoTwoTwo()
_PASS = _NET.run()


def _decimals(value, most=6):
    for d in range(most + 1):
        if abs(round(value, d) - value) <= 1e-9 * max(1.0, abs(value)):
            return d
    return None


def _a_rounding_of(value, exact):
    """True when `value` is `exact` rounded to the decimals `value` is written with."""
    d = _decimals(value)
    return d is not None and abs(value - exact) <= 0.5 * 10.0 ** -d + 1e-12


def _check(answer, expected, *, what, hints, praise):
    """check_number within 0.2 % of `expected`, with the specific hints first, then close and sign hints."""
    tol = RELATIVE_TOLERANCE * abs(expected) / (1 + abs(expected))

    def close(v):
        return tol * (1 + abs(expected)) < abs(v - expected) <= CLOSE * abs(expected)

    hints = list(hints) + [
        (lambda v: close(v) and _a_rounding_of(v, expected),
         "Very close: that is the exact value rounded, too coarsely for the check. Keep four significant "
         "digits in each number you multiply, and round only the result."),
        (lambda v: close(v) and not _a_rounding_of(v, expected),
         "Close, but not the exact value rounded. Check each number you used against the ones printed above, "
         "digit by digit."),
        (lambda v: abs(v + expected) <= RELATIVE_TOLERANCE * abs(expected),
         "Right size, wrong sign. ∂L/∂ŷ_k = ŷ_k − y_k: ŷ1 is below its target 1 (negative), ŷ2 above its "
         "target 0 (positive). Did you write y − ŷ?"),
    ]
    return check_number(answer, expected, what=what, tol=tol, hints=hints, praise=praise)


def _shares_into(p, W_out, j):
    """The two shares arriving at h_{j+1} from o1 and o2, as a pass with these output weights computes them."""
    return p.delta_out[0] * W_out[0, j], p.delta_out[1] * W_out[1, j]


def dL_dh1(answer):
    """∂L/∂h1 = δ_o1 · w(o1←h1) + δ_o2 · w(o2←h1): h1 feeds both outputs, so two shares arrive, and they add."""
    p, W = _PASS, np.array(_NET.W_out)
    s1, s2 = _shares_into(p, W, 0)
    error = p.y_hat - p.y
    updated = W - FORK_ETA * p.dL_dW_out
    return _check(
        answer, p.dL_dh[0], what="∂L/∂h1",
        hints=[
            (s1, f"That is the share from o1 alone, δ_o1 · w(o1←h1) = {s1:+.4f}. h1 feeds o2 as well, so a second "
                 "share arrives from o2: add δ_o2 · w(o2←h1)."),
            (s2, f"That is the share from o2 alone, δ_o2 · w(o2←h1) = {s2:+.4f}. h1 feeds o1 as well: add the share "
                 "δ_o1 · w(o1←h1)."),
            (s1 * s2, "You multiplied the two shares. Along one path the factors multiply; where shares from two "
                      "paths meet at a node, they add."),
            (s1 - s2, "You subtracted one share from the other. Each share keeps its own sign, and the shares add."),
            (s2 - s1, "You subtracted one share from the other. Each share keeps its own sign, and the shares add."),
            (error[0] * W[0, 0] + error[1] * W[1, 0],
             "The outputs' sigmoid slopes are missing: a share starts from δ_o = ∂L/∂z_o = (ŷ − y) · ŷ(1 − ŷ), "
             "not from ŷ − y alone."),
            (p.delta_out[0] * W[1, 0] + p.delta_out[1] * W[0, 0],
             "Each δ is paired with the other output's weight. δ_o1 travels back along the weight that carried h1 "
             f"into o1, w(o1←h1) = {W[0, 0]:g}, and δ_o2 along w(o2←h1) = {W[1, 0]:g}."),
            (p.delta_out[0] * W[0, 0] + p.delta_out[1] * W[0, 1],
             f"You took the weights into o1 (the first row of W_out: {W[0, 0]:g} and {W[0, 1]:g}). The shares into "
             f"h1 travel along the weights leaving h1, one into each output: w(o1←h1) = {W[0, 0]:g} and "
             f"w(o2←h1) = {W[1, 0]:g} (the first column)."),
            (p.delta_out[0] * updated[0, 0] + p.delta_out[1] * updated[1, 0],
             "You used the output weights after an update. The backward pass uses the weights of the forward "
             "pass; weights change only after every gradient is known."),
            (2 * p.dL_dh[0],
             "Twice the answer: the loss is ½ Σ (ŷ_k − y_k)², so ∂L/∂ŷ_k = ŷ_k − y_k; the ½ cancels the 2."),
            (p.delta_hidden[0],
             "That is one step further down: δ_h1 = ∂L/∂z_h1, with h1's own slope σ′(z_h1) multiplied in. "
             "∂L/∂h1 is what arrives at h1, before its sigmoid."),
            (p.dL_dh[1],
             "That is ∂L/∂h2, the sum arriving at h2 (computed above). For h1, take the weights leaving h1: "
             f"w(o1←h1) = {W[0, 0]:g} and w(o2←h1) = {W[1, 0]:g}."),
        ],
        praise=(f"∂L/∂h1 = {s1:.4f} (from o1) + {s2:.4f} (from o2) = {p.dL_dh[0]:.4f}. The two shares "
                "pull in opposite directions, and the sum keeps what is left."),
    )


# ---- The code exercise: the learner writes the backward pass of the 2-2-2 network ----

N_HIDDEN = 6
_SEED = 4222
GRADIENT_NAMES = ("dL_dW_hidden", "dL_db_hidden", "dL_dW_out", "dL_db_out")
SHAPES = {"dL_dW_hidden": (2, 2), "dL_db_hidden": (2,), "dL_dW_out": (2, 2), "dL_db_out": (2,)}
_SHAPE_WORDS = {
    "dL_dW_hidden": "shape (2, 2), row j for the weights into h_{j+1}",
    "dL_db_hidden": "shape (2,), one number per hidden neuron",
    "dL_dW_out": "shape (2, 2), row k for the weights into o_{k+1}",
    "dL_db_out": "shape (2,), one number per output neuron",
}


def backward_fork_solution(x, h, y_hat, y, W_out):
    """The four gradients (dL_dW_hidden, dL_db_hidden, dL_dW_out, dL_db_out) from the forward values, written
    out as the notebook's worked solution does (helpers.two_two_two.fork_backward gives the same numbers, and
    the tests compare the two); it uses no helper a learner is asked not to call."""
    x, h, y_hat, y, W_out = (np.asarray(v, dtype=np.float64) for v in (x, h, y_hat, y, W_out))
    delta_out = (y_hat - y) * (y_hat * (1 - y_hat))
    dL_dh = np.zeros(2)
    for k in range(2):
        for j in range(2):
            dL_dh[j] += delta_out[k] * W_out[k, j]   # the fork: the shares arriving at h_j add
    delta_hidden = dL_dh * (h * (1 - h))
    return np.outer(delta_hidden, x), delta_hidden, np.outer(delta_out, h), delta_out


def _fork_slip(*, fork="sum", weights="right", out_slope=True, hidden_slope=True, two=1.0, sign=1.0,
               first_input="x", biases="right", flip=None, updated=False, order=None):
    """A backward pass with one mistake; each keyword names what the mistake changes."""
    def slipped(x, h, y_hat, y, W_out):
        x, h, y_hat, y, W_out = (np.asarray(v, dtype=np.float64) for v in (x, h, y_hat, y, W_out))
        dL_dy_hat = sign * two * (y_hat - y)
        delta_out = dL_dy_hat * (y_hat * (1 - y_hat) if out_slope else 1.0)
        W = W_out - FORK_ETA * np.outer(delta_out, h) if updated else W_out
        if weights == "transposed":      # the weights into o_j (row j) where the weights leaving h_j (column j) belong
            W = W.T
        elif weights == "paired":        # δ_o1 with w(o2←h_j), δ_o2 with w(o1←h_j)
            W = W[::-1]
        dL_dh = np.zeros(2)
        for k in range(2):
            for j in range(2):
                share = delta_out[k] * W[k, j]
                if fork == "sum":
                    dL_dh[j] += share
                elif fork == "last" or (fork == "first" and k == 0):   # `=` in place of `+=` keeps the last
                    dL_dh[j] = share
        delta_hidden = dL_dh * (h * (1 - h) if hidden_slope else 1.0)
        below = h if first_input == "h" else x
        grads = {"dL_dW_hidden": np.outer(delta_hidden, below), "dL_db_hidden": delta_hidden,
                 "dL_dW_out": np.outer(delta_out, h), "dL_db_out": delta_out}
        if biases == "zero":
            grads["dL_db_hidden"], grads["dL_db_out"] = np.zeros(2), np.zeros(2)
        elif biases == "before_slope":
            grads["dL_db_hidden"] = dL_dh
        if flip:
            grads[flip] = grads[flip].T
        result = tuple(grads[n] for n in GRADIENT_NAMES)
        return result if order is None else tuple(result[i] for i in order)
    return slipped


FORK_SLIPS = [
    Slip(_fork_slip(fork="last"),
         "The output layer is right, but each hidden neuron got only one of its two shares: the one from o2, "
         "which is what is left when `dL_dh[j] = ...` inside the loop over outputs replaces the share from o1. "
         "h_j feeds both outputs, so the shares add: write `dL_dh[j] += delta_out[k] * W_out[k, j]`."),
    Slip(_fork_slip(fork="first"),
         "The output layer is right, but each hidden neuron got only the share from o1. h_j feeds o2 too, so "
         "∂L/∂h_j = δ_o1 · w(o1←h_j) + δ_o2 · w(o2←h_j): add the share from o2."),
    Slip(_fork_slip(weights="transposed"),
         "The output layer is right, but the shares into the hidden layer travel along the wrong weights: "
         "W_out[j, k] where W_out[k, j] belongs (a transposed W_out), so h1's shares use w(o1←h2) where "
         "w(o2←h1) belongs. The weights leaving h_j are column j of W_out: `W_out[k, j]`, or `W_out.T @ delta_out`."),
    Slip(_fork_slip(weights="paired"),
         "The output layer is right, but each δ_o is paired with the other output's weight: δ_o1 travels back "
         "along w(o1←h_j) = W_out[0, j], δ_o2 along w(o2←h_j) = W_out[1, j]."),
    Slip(_fork_slip(first_input="h"),
         "Only dL_dW_hidden is off: it multiplies δ_h by the hidden activations h where the inputs x belong. "
         "The weights into h1 and h2 carry x1 and x2, so entry [j, i] is δ_h[j] · x[i], `np.outer(delta_hidden, x)`."),
    Slip(_fork_slip(out_slope=False),
         "All four are off, because δ_o misses the outputs' sigmoid slope: ŷ = σ(z_o), so δ_o = (ŷ − y) · ŷ(1 − ŷ). "
         "Every other gradient is built on δ_o."),
    Slip(_fork_slip(biases="zero"),
         "The weights' gradients are right, but every bias gradient is 0. A bias is a weight whose input is "
         "always 1: dL_db_out = δ_o and dL_db_hidden = δ_h."),
    Slip(_fork_slip(hidden_slope=False),
         "The output layer is right and the shares add up, but δ_h misses the hidden sigmoid's slope: "
         "δ_h = ∂L/∂h · h(1 − h), for dL_dW_hidden and dL_db_hidden alike."),
    Slip(_fork_slip(biases="before_slope"),
         "Only dL_db_hidden is off: it is ∂L/∂h, taken before the hidden sigmoid. A bias sits inside z, so its "
         "gradient is δ_h = ∂L/∂h · h(1 − h)."),
    Slip(_fork_slip(two=2.0),
         "All four are twice the right size. The loss is half_squared_error, ½ Σ (ŷ_k − y_k)², so "
         "∂L/∂ŷ_k = ŷ_k − y_k: the ½ cancels the 2."),
    Slip(_fork_slip(sign=-1.0),
         "Right size, wrong sign on all four: ∂L/∂ŷ_k = ŷ_k − y_k, not y_k − ŷ_k."),
    Slip(_fork_slip(updated=True),
         "The output layer is right, but the shares used W_out after an update. Compute every gradient with "
         "the weights of the forward pass; change weights only afterwards."),
    Slip(_fork_slip(flip="dL_dW_hidden"),
         "dL_dW_hidden is transposed: row j holds the weights into h_j, so entry [j, i] is δ_h[j] · x[i] "
         "(`np.outer(delta_hidden, x)`), not δ_h[i] · x[j]."),
    Slip(_fork_slip(flip="dL_dW_out"),
         "dL_dW_out is transposed: row k holds the weights into o_k, so entry [k, j] is δ_o[k] · h[j] "
         "(`np.outer(delta_out, h)`), not δ_o[j] · h[k]."),
    Slip(_fork_slip(order=(2, 3, 0, 1)),
         "Your four are right but in the order you computed them, output layer first. Return "
         "(dL_dW_hidden, dL_db_hidden, dL_dW_out, dL_db_out)."),
]


def _draw(rng):
    """A number rounded to 3 decimals, kept away from 0 and ±1 so that no slip is right by accident."""
    while True:
        value = round(float(rng.uniform(-1.6, 1.6)), 3)
        if min(abs(value), abs(abs(value) - 1.0)) > 0.15:
            return value


def _arguments(net, x, y):
    _, h, _, y_hat = net.forward(x)
    return (np.array(x, dtype=np.float64), np.array(h), np.array(y_hat), np.array(y, dtype=np.float64),
            np.array(net.W_out))


def _shown(x, y, W_out):
    rows = ", ".join("(" + ", ".join(f"{v:g}" for v in row) + ")" for row in W_out)
    return (f"x = ({x[0]:g}, {x[1]:g}), y = ({y[0]:g}, {y[1]:g}), W_out = ({rows}), "
            "h and y_hat from the forward pass")


def _cases():
    """The worked example first, then N_HIDDEN networks and samples drawn at random (seeded)."""
    rng = np.random.default_rng(_SEED)
    cases = [Case("the worked example", lambda: _arguments(_NET, FORK_INPUTS, FORK_TARGETS),
                  _shown(FORK_INPUTS, FORK_TARGETS, _NET.W_out))]
    for _ in range(N_HIDDEN):
        net = TwoTwoTwo([[_draw(rng), _draw(rng)], [_draw(rng), _draw(rng)]], [_draw(rng), _draw(rng)],
                        [[_draw(rng), _draw(rng)], [_draw(rng), _draw(rng)]], [_draw(rng), _draw(rng)])
        x = (_draw(rng), _draw(rng))
        y = (round(float(rng.uniform(0.05, 0.95)), 2), round(float(rng.uniform(0.05, 0.95)), 2))
        cases.append(Case("a hidden random case", lambda net=net, x=x, y=y: _arguments(net, x, y),
                          _shown(x, y, net.W_out)))
    return cases


def _as_array(item):
    """`item` as a float64 array, or None when it is not an array of real numbers."""
    if isinstance(item, (str, bytes, dict, set, frozenset)) or item is None or callable(item):
        return None
    try:
        array = np.asarray(item)
    except Exception:
        return None
    if array.dtype.kind not in "iuf":   # text, objects, bools and complex numbers are not gradients
        return None
    return array.astype(np.float64)


_ORDINALS = ("first", "second", "third", "fourth")


def read_fork_gradients(result):
    """The four gradients as one tuple of 12 floats (each tensor flattened, in GRADIENT_NAMES order), or
    (None, a sentence saying what is wrong with the result). A tuple or list of four, or a dict keyed by the
    four names (with or without the 'dL_d' in front), is read."""
    names = ", ".join(GRADIENT_NAMES)
    if isinstance(result, dict):
        keys = {str(k).replace("dL_d", "", 1): v for k, v in result.items()}
        wanted = [n.replace("dL_d", "", 1) for n in GRADIENT_NAMES]
        missing = [n for n in wanted if n not in keys]
        if missing:
            return None, (f"Your dict lacks the key{'s' * (len(missing) > 1)} {', '.join(repr(m) for m in missing)}. "
                          f"Return a tuple ({names}), or a dict with those keys.")
        result = tuple(keys[n] for n in wanted)
    if result is None:
        return None, (f"Your function returned None. Make its last line `return {names}`; a function without "
                      "`return` gives back None.")
    if not isinstance(result, (tuple, list)):
        return None, f"Expected four gradients as a tuple ({names}), but your function returned {_short(result)}."
    if len(result) != 4:
        extra = (" With two, did you return the weights' gradients only? The biases have gradients too."
                 if len(result) == 2 else "")
        return None, (f"Expected four gradients as a tuple ({names}), but your function returned "
                      f"{len(result)} things.{extra}")
    numbers_ = []
    for name, item in zip(GRADIENT_NAMES, result):
        array = _as_array(item)
        if array is None:
            return None, f"{name}, the {_ORDINALS[GRADIENT_NAMES.index(name)]} value returned, is {_short(item)}, not numbers."
        if array.shape != SHAPES[name]:
            return None, (f"{name} has shape {array.shape}, but it needs {_SHAPE_WORDS[name]}: one number per "
                          "parameter.")
        numbers_ += [float(v) for v in array.ravel()]
    return tuple(numbers_), None


def _short(value):
    from ..checking.codecheck import shown
    return shown(value)


# The order in which the backward pass computes the gradients: the output layer first, W before b.
BACKWARD_ORDER = ("dL_dW_out", "dL_db_out", "dL_dW_hidden", "dL_db_hidden")


def _fork_cause(finding):
    if finding.name.endswith("_hidden") and {"dL_dW_out", "dL_db_out"} <= set(finding.right):
        return ("The output layer is right, so δ_out is: look at ∂L/∂h_j, the two shares δ_out[k] · W_out[k, j] "
                "added, then δ_h = ∂L/∂h ⊙ h(1 − h).")
    if finding.name.endswith("_out"):
        return ("Start at the outputs: δ_out = (ŷ − y) ⊙ ŷ(1 − ŷ), then dL_dW_out = outer(δ_out, h), "
                "dL_db_out = δ_out.")
    return None


def _explain_fork(cases):
    """explain(function) for diagnose.after_check: where the first case that differs goes wrong, and how."""
    def explain(function):
        runs = []
        for case in cases:
            got = observe_return(function, case.make())
            if read_fork_gradients(got)[1]:
                return None
            if isinstance(got, dict):
                got = {str(k) if str(k).startswith("dL_d") else f"dL_d{k}": v for k, v in got.items()}
            else:
                got = dict(zip(GRADIENT_NAMES, got))
            runs.append((case, got, dict(zip(GRADIENT_NAMES, backward_fork_solution(*case.make())))))
        for i, (case, got, right) in enumerate(runs):
            told = diagnose.compare(got, right, BACKWARD_ORDER, cause=_fork_cause,
                                    where="" if i == 0 else f"On {case.name}, ", everything="every gradient")
            if told:
                return told
        return None
    return explain


def backward_fork(function):
    """Check `backward_fork(x, h, y_hat, y, W_out)`, which must return
    (dL_dW_hidden, dL_db_hidden, dL_dW_out, dL_db_out) for the 2-2-2 network and half_squared_error."""
    started = time.monotonic()
    cases = _cases()
    feedback = check_function(
        function, cases=cases, expected=backward_fork_solution, read=read_fork_gradients, slips=FORK_SLIPS,
        arguments="x, h, y_hat, y, W_out", what="backward_fork",
        praise="All twelve gradients match on the example and on six hidden networks: δ at the outputs, two "
               "shares added at each hidden neuron, and every weight's gradient δ × the value it carries.")
    return diagnose.after_check(feedback, function, _explain_fork(cases), FORK_SLIPS, started,
                                expected=backward_fork_solution)


__all__ = ["dL_dh1", "backward_fork"]
