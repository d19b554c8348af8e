"""Checks for notebook 04, backprop by hand on the 2-2-1 worked example.

Every expected value comes from `helpers.tiny`, so the checks always agree with the numbers the
notebook prints: x = (1.0, 0.5), y = 1.0, w = (−0.5, 0.3, 1.0, 0.6), η = 0.5.
"""

from ..checks import check_number
from ..tiny import EXAMPLE_ETA, TwoTwoOne

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

    After the specific hints come two general ones: close but rounded too early, and the right
    size with the wrong sign.
    """
    # check_number accepts |answer − expected| <= tol·(1 + |expected|); this makes that 0.2 % of expected.
    tol = RELATIVE_TOLERANCE * abs(expected) / (1 + abs(expected))
    hints = list(hints) + [
        (lambda v: tol * (1 + abs(expected)) < abs(v - expected) <= CLOSE * abs(expected),
         "Very close: round less. Keep the four decimals the notebook prints for each factor."),
        (lambda v: abs(v + expected) <= RELATIVE_TOLERANCE * abs(expected), sign_hint),
    ]
    return check_number(answer, expected, what=what, tol=tol, hints=hints, praise=praise)


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
    """∂L/∂w2 as a three-factor chain: ∂L/∂ŷ · ∂ŷ/∂h2 · ∂h2/∂w2, with ∂h2/∂w2 = σ′(z2) · x2."""
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
             f"Almost: ∂h2/∂w2 has two parts, σ′(z2) and ∂z2/∂w2 = x2 = {c.x2:g}. Either you left out x2, or "
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
             "That is only ∂L/∂ŷ · ∂ŷ/∂h2. The third factor, ∂h2/∂w2 = σ′(z2) · x2, is missing."),
            (c.dL_dy_hat + c.dy_hat_dh2 + c.dh2_dw2,
             "You added the factors. The chain rule multiplies its links: ∂L/∂ŷ × ∂ŷ/∂h2 × ∂h2/∂w2."),
            (c.dL_dw1,
             "That is ∂L/∂w1. For w2 follow the other path: w4, σ′(z2) and x2."),
        ],
        praise=(f"∂L/∂w2 = {c.dL_dy_hat:.4f} × {c.dy_hat_dh2:.4f} × {c.dh2_dw2:.4f} = {c.dL_dw2:.4f}, "
                "reusing ∂L/∂ŷ from the output weights."),
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
