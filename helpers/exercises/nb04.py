"""Checks for notebook 04, backprop by hand on the 2-2-1 worked example.

Every expected value comes from `helpers.tiny`, so the checks always agree with the numbers the
notebook prints: x = (1.0, 0.5), y = 1.0, w = (−0.5, 0.3, 1.0, 0.6), η = 0.5.

    check.dL_dw4(answer), check.dL_dw2(answer), check.w3_after_update(answer), check.dL_dx1(answer)
    check.backward(backward)                 the learner's backward pass, four gradients
    check.backward_biased(backward_biased)   the same with a bias in each neuron, seven gradients

The two code exercises live in `nb04_backward.py` and are importable from here: they run the
learner's function through `helpers.codecheck` on the worked example and six hidden random networks;
every slip they name is in BACKWARD_SLIPS and BIASED_SLIPS, written as a function with that mistake.
"""

from ..core.activations import _sigmoid_number
from ..checking.checks import check_number
from ..core.tiny import EXAMPLE_ETA, EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS, TwoTwoOne

# An answer within 0.2 % of the exact value is right: enough for products of the four-decimal
# factors the notebook prints, too tight for a slip.
RELATIVE_TOLERANCE = 2e-3
# An answer within 3 % is "close": probably right, but rounded too early.
CLOSE = 3e-2

_NET = TwoTwoOne()
_CHAIN = _NET.chain()


SIGN_HINT = ("Right size, wrong sign. ∂L/∂ŷ = 2(ŷ − y) is negative here, because ŷ is below y; "
             "did you write 2(y − ŷ)?")


def _check(answer, expected, *, what, hints, praise, sign_hint=SIGN_HINT):
    """check_number with a tolerance relative to the size of the expected value.

    After the specific hints come three general ones: close and a rounding of the exact value (round
    less), close but no rounding of it (a digit is off), and the right size with the wrong sign.
    """
    # check_number accepts |answer − expected| <= tol·(1 + |expected|); this makes that 0.2 % of expected.
    tol = RELATIVE_TOLERANCE * abs(expected) / (1 + abs(expected))

    def close(v):
        return tol * (1 + abs(expected)) < abs(v - expected) <= CLOSE * abs(expected)

    hints = list(hints) + [
        (lambda v: close(v) and is_a_rounding_of(v, expected),
         "Very close: that is the exact value rounded, too coarsely for the check, so round less: keep the "
         "four decimals the notebook prints for each factor."),
        (lambda v: close(v) and not is_a_rounding_of(v, expected),
         "Close, but not the exact value rounded: a number rounded to some decimals is at most half a unit of "
         "its last decimal away from the exact value, and yours is further. Check each factor against the four "
         "decimals the notebook prints, digit by digit."),
        (lambda v: abs(v + expected) <= RELATIVE_TOLERANCE * abs(expected), sign_hint),
    ]
    return check_number(answer, expected, what=what, tol=tol, hints=hints, praise=praise)


def decimals(value, most=6):
    """How many decimals `value` is written with (0 to `most`), or None for a number with more."""
    for d in range(most + 1):
        if abs(round(value, d) - value) <= 1e-9 * max(1.0, abs(value)):
            return d
    return None


def is_a_rounding_of(value, exact):
    """True when `value` is `exact` rounded to as many decimals as `value` has: −0.32 is a rounding of
    −0.3225, −0.33 is not (it is 0.0075 away, more than half of 0.01)."""
    d = decimals(value)
    return d is not None and abs(value - exact) <= 0.5 * 10.0 ** -d + 1e-12


def dL_dw4(answer):
    """∂L/∂w4 as a two-factor chain: ∂L/∂ŷ · ∂ŷ/∂w4 = 2(ŷ − y) · h2."""
    c = _CHAIN
    return _check(
        answer, c.dL_dw4, what="∂L/∂w4",
        hints=[
            ((c.y_hat - c.y) * c.dy_hat_dw4,
             "You used ŷ − y for ∂L/∂ŷ. The loss is (ŷ − y)², and its derivative keeps the 2: 2(ŷ − y)."),
            # w3 = x1 = 1.0, so ∂L/∂ŷ times either of them is ∂L/∂ŷ alone.
            (c.dL_dy_hat,
             "That is ∂L/∂ŷ alone, or ∂L/∂ŷ times a factor that is 1.0 here (w3 or x1). The chain's second "
             "factor is ∂ŷ/∂w4: what w4 multiplies in ŷ = w3·h1 + w4·h2, which is h2."),
            (c.dy_hat_dw4,
             "That is ∂ŷ/∂w4 = h2 alone. Multiply it by the first factor, ∂L/∂ŷ = 2(ŷ − y)."),
            (c.dL_dw3,
             "That is ∂L/∂w3. w3 multiplies h1, but w4 multiplies h2, so ∂ŷ/∂w4 = h2."),
            (c.dL_dy_hat * c.dy_hat_dh2,
             "∂ŷ/∂w4 is what w4 multiplies in ŷ = w3·h1 + w4·h2, which is h2, not w4 itself."),
            (c.dL_dy_hat + c.dy_hat_dw4,
             "You added the two factors. The chain rule multiplies its links: ∂L/∂ŷ × ∂ŷ/∂w4."),
            # x2 = 0.5, so ∂L/∂ŷ · x2 = −0.3 = ŷ − y.
            (c.dL_dy_hat * c.x2,
             f"{c.dL_dy_hat * c.x2:.1f} is ŷ − y on its own, or ∂L/∂ŷ × x2. The second factor, ∂ŷ/∂w4, is h2 = "
             f"{c.h2:.4f}: the hidden value w4 multiplies, not the input x2."),
        ],
        praise=f"∂L/∂w4 = 2(ŷ − y) · h2 = {c.dL_dy_hat:.4f} × {c.dy_hat_dw4:.4f} = {c.dL_dw4:.4f}.",
    )


def dL_dw2(answer):
    """∂L/∂w2 as a four-factor chain, one factor per arrow of w2 → z2 → h2 → ŷ → L:
    ∂L/∂ŷ · ∂ŷ/∂h2 · ∂h2/∂z2 · ∂z2/∂w2 = 2(ŷ − y) · w4 · σ′(z2) · x2."""
    c = _CHAIN
    return _check(
        answer, c.dL_dw2, what="∂L/∂w2",
        hints=[
            # w4 = 2·w2, so using w2 for ∂ŷ/∂h2 halves the answer just as dropping the 2 of 2(ŷ − y) does.
            ((c.y_hat - c.y) * c.dy_hat_dh2 * c.dh2_dw2,
             "That is half the answer, and two slips give exactly this number. Either you used ŷ − y for "
             "∂L/∂ŷ (the derivative of (ŷ − y)² keeps the 2: 2(ŷ − y)), or you used w2 = "
             f"{_NET.w2:g} for ∂ŷ/∂h2 (h2 reaches ŷ through w4 = {_NET.w4:g}, twice w2 here). Check both factors."),
            # x1 = 1.0, so multiplying by x1 instead of x2 is the same as leaving x2 out.
            (c.dL_dy_hat * c.dy_hat_dh2 * c.dh2_dz2,
             f"Almost: the last factor, ∂z2/∂w2 = x2 = {c.x2:g}, is missing. Either you left out x2, or "
             f"you multiplied by x1 = {c.x1:.1f}, which changes nothing. w2 carries x2, so the last factor is x2."),
            (c.dL_dy_hat * c.dy_hat_dh2 * c.dh1_dz1 * c.dz2_dw2,
             "You used σ′(z1) = h1(1 − h1), the slope of the other hidden neuron. w2 feeds h2, so the "
             "slope is σ′(z2) = h2(1 − h2), printed as dh2_dz2."),
            (c.dL_dy_hat * c.dy_hat_dh2 * c.dz2_dw2,
             "You skipped the sigmoid's slope. h2 = σ(z2), so ∂h2/∂w2 = σ′(z2) · x2 = h2(1 − h2) · x2."),
            (c.dL_dy_hat * c.dy_hat_dh2 * c.h2 * c.dz2_dw2,
             "σ′(z2) is h2(1 − h2), not h2. Use the factor printed as dh2_dz2."),
            (c.dL_dy_hat * c.dy_hat_dh1 * c.dh2_dw2,
             "∂ŷ/∂h2 is the weight that carries h2 to the output: w4 = 0.6, not w3."),
            (c.dL_dy_hat * c.dy_hat_dh2,
             "That is only ∂L/∂ŷ · ∂ŷ/∂h2. The last two factors, ∂h2/∂z2 = σ′(z2) and ∂z2/∂w2 = x2, "
             "are missing."),
            (c.dL_dy_hat + c.dy_hat_dh2 + c.dh2_dw2,
             "You added the factors. The chain rule multiplies its links: ∂L/∂ŷ × ∂ŷ/∂h2 × ∂h2/∂w2."),
            (c.dL_dw1,
             "That is ∂L/∂w1. For w2 follow the other path: w4, σ′(z2) and x2."),
        ],
        praise=(f"∂L/∂w2 = {c.dL_dy_hat:.4f} × {c.dy_hat_dh2:.4f} × {c.dh2_dz2:.4f} × {c.dz2_dw2:.4f} = "
                f"{c.dL_dw2:.4f}, one factor per arrow, reusing ∂L/∂ŷ from the output weights."),
    )


def w3_after_update(answer):
    """w3 after one step of gradient descent with η = 0.5: w3 − η · ∂L/∂w3."""
    c, w3, eta = _CHAIN, TwoTwoOne().w3, EXAMPLE_ETA
    step = eta * c.dL_dw3
    return _check(
        answer, w3 - step, what="the new w3",
        hints=[
            # ∂L/∂w3 is negative, so adding η·∂L/∂w3 and subtracting η·|∂L/∂w3| give one number.
            (w3 + step,
             f"Your w3 went down, so the sign got lost. Either you added η·∂L/∂w3, or you subtracted "
             f"η × {abs(c.dL_dw3):.4f}, the gradient's size without its minus sign. Gradient descent subtracts "
             f"the signed gradient: w3 − η·∂L/∂w3 = {w3:.1f} − {eta} × ({c.dL_dw3:.4f}). Minus a negative "
             "number adds, so w3 grows."),
            (w3 - c.dL_dw3,
             "You subtracted the whole gradient. The step is scaled by the learning rate: η·∂L/∂w3 with η = 0.5."),
            (w3 + c.dL_dw3,
             f"Two slips: the sign (subtract the signed gradient, {c.dL_dw3:.4f}, not its size, and do not add "
             f"it) and the learning rate (multiply the gradient by η = {eta})."),
            (-step,
             "That is the change in w3. Add it to the old value, w3 = 1.0, to get the new weight."),
            (step,
             "That is η·∂L/∂w3, the step. The new weight is the old one minus it: w3 − η·∂L/∂w3."),
        ],
        sign_hint="The new w3 is still positive: start from w3 = 1.0 and subtract η·∂L/∂w3.",
        praise=f"w3 = {w3:.1f} − {eta} × ({c.dL_dw3:.4f}) = {w3 - step:.4f}: the weight grows, so ŷ rises towards y.",
    )


# ---- ∂L/∂x1 in the fully connected network: x1 reaches ŷ along two paths ----

# The fully connected layer the notebook builds: row j of W[1] holds the weights into h_j.
CONNECTED_W1 = ((-0.5, 0.2), (-0.1, 0.3))
CONNECTED_W2 = (EXAMPLE_WEIGHTS["w3"], EXAMPLE_WEIGHTS["w4"])


def connected_paths(x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
    """The two paths from x1 to the loss of the fully connected 2-2-1 network, each as a product.

    Returns a dict: dL_dy_hat, and for j = 1, 2 the factors of path j, x1 → h_j → ŷ → L:
    w_j1 (W[1][j, 1], x1's weight into h_j), slope_j = σ′(z_j), v_j (the output weight of h_j), and
    path_j = dL_dy_hat · v_j · slope_j · w_j1. ∂L/∂x1 = path_1 + path_2.
    """
    (a, b), (c, d) = CONNECTED_W1
    v1, v2 = CONNECTED_W2
    h1, h2 = _sigmoid_number(a * x1 + b * x2), _sigmoid_number(c * x1 + d * x2)
    y_hat = v1 * h1 + v2 * h2
    dL_dy_hat = 2.0 * (y_hat - y)
    out = {"dL_dy_hat": dL_dy_hat, "y_hat": y_hat, "loss": (y_hat - y) ** 2,
           "w11": a, "w21": c, "v1": v1, "v2": v2, "slope1": h1 * (1 - h1), "slope2": h2 * (1 - h2)}
    out["path1"] = dL_dy_hat * v1 * out["slope1"] * a
    out["path2"] = dL_dy_hat * v2 * out["slope2"] * c
    out["dL_dx1"] = out["path1"] + out["path2"]
    return out


def dL_dx1(answer):
    """∂L/∂x1 in the fully connected network: the sum of the paths through h1 and through h2."""
    p = connected_paths()
    g, v1, v2, s1, s2, a, c = (p[k] for k in ("dL_dy_hat", "v1", "v2", "slope1", "slope2", "w11", "w21"))
    return _check(
        answer, p["dL_dx1"], what="∂L/∂x1",
        hints=[
            (p["path1"],
             "That is the path through h1 alone. x1 also feeds h2, through the weight −0.1: that path's "
             "product, ∂L/∂ŷ · w4 · σ′(z2) · (−0.1), must be added."),
            (p["path2"],
             "That is the path through h2 alone. x1 also feeds h1, through the weight −0.5: add that path's "
             "product, ∂L/∂ŷ · w3 · σ′(z1) · (−0.5)."),
            (p["path1"] * p["path2"],
             "You multiplied the two paths. Along one path the links multiply; where a value forks into two "
             "paths, the paths' products add: ∂L/∂x1 = (path through h1) + (path through h2)."),
            (p["path1"] - p["path2"],
             "You subtracted the second path. Each path's product keeps its own sign, and the paths add."),
            (g * (v1 * a + v2 * c),
             "The sigmoids' slopes are missing: each path passes through σ′(z_j) = h_j(1 − h_j) on its way "
             "from x1 to h_j."),
            (g * (v1 * s1 + v2 * s2),
             "The weights that carry x1 into the hidden neurons are missing: −0.5 into h1 and −0.1 into h2."),
            (0.5 * p["dL_dx1"],
             "Half the answer: the derivative of (ŷ − y)² keeps the 2, ∂L/∂ŷ = 2(ŷ − y)."),
            (g * (v1 * s1 * a + v2 * s2 * a),
             "The second path goes through x1's weight into h2, −0.1, not −0.5: the first column of W[1] "
             "holds x1's two weights."),
            (g * (v1 * s1 * 0.2 + v2 * s2 * 0.3),
             "Those are x2's weights, 0.2 and 0.3 (the second column of W[1]). x1's are the first column: "
             "−0.5 into h1 and −0.1 into h2; that gives ∂L/∂x2, not ∂L/∂x1."),
        ],
        praise=(f"∂L/∂x1 = {p['path1']:.4f} (through h1) + {p['path2']:.4f} (through h2) = {p['dL_dx1']:.4f}: "
                "one product per path, and the paths add."),
    )


# The code exercises, one module of their own (nb04_backward.py), kept importable from here.
from .nb04_backward import (  # noqa: E402, F401
    _SEED, BACKWARD_SLIPS, BIASED_GRADIENT_NAMES, BIASED_SLIPS, GRADIENT_NAMES, N_HIDDEN, _backward_slip, _biased_slip,
    _cases, _draw_sample, _name_the_wrong_entries, _plain_parts, _reader, _s, _slopes, backward, backward_biased,
    backward_biased_solution, backward_solution,
)
