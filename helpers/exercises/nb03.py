"""Exercise checks for notebook 03 · Derivatives, the chain rule, and the local rule.

    from helpers.exercises import nb03 as check
    check.partial_derivative(12)
"""

from ..core.activations import sigmoid, sigmoid_derivative
from ..checking.checks import check_number

# Exercise 1: g(w, b) = w²·b + 4·b at w = 3, b = 2; the partial derivative with respect to w.
PARTIAL_W = 3.0
PARTIAL_B = 2.0


def _g(w, b):
    return w ** 2 * b + 4 * b


def partial_derivative(answer):
    """∂g/∂w for g(w, b) = w²·b + 4b at (w, b) = (3, 2): hold b fixed, so ∂g/∂w = 2w·b = 12."""
    w, b = PARTIAL_W, PARTIAL_B
    expected = 2 * w * b
    return check_number(
        answer, expected, what="∂g/∂w", tol=1e-3,
        hints=[
            (w ** 2 + 4, f"{w ** 2 + 4:g} is ∂g/∂b, the slope when b moves. This exercise nudges w "
                         "and holds b fixed."),
            (2 * w, f"{2 * w:g} is the slope of w² alone. b is held fixed, but it still multiplies: "
                    "the slope of w²·b is 2w·b."),
            (2 * w * b + 4, "The term 4b does not change when only w moves, so its partial derivative "
                            "with respect to w is 0, not 4."),
            (2 * w * b + 4 * b, f"{2 * w * b + 4 * b:g} is 2w·b + 4b: the term 4b = {4 * b:g} came along into the "
                                "derivative. It has no w in it, so while only w moves it is a constant, and a "
                                "constant's slope is 0: ∂g/∂w is 2w·b alone."),
            (_g(w, b), f"{_g(w, b):g} is the value g(3, 2) itself. The question asks how fast g changes "
                       "when w is nudged."),
            (w ** 2 * b, f"{w ** 2 * b:g} is the value of the term w²·b. Differentiate it with respect to w "
                         "(b stays a constant factor)."),
            (-expected, "Right size, wrong sign: every term of ∂g/∂w = 2w·b is positive here."),
        ],
        praise=f"Hold b = {b:g} fixed: g = {b:g}·w² + a constant, so ∂g/∂w = 2w·b = 2 × {w:g} × {b:g} = "
               f"{expected:g}. The 4b term is a constant while only w moves.",
    )


# Exercise 2: a three-link chain w → z → a → L with the local derivatives given.
DL_DA = -0.8
DA_DZ = 0.2
DZ_DW = 1.5


def chain_product(answer):
    """dL/dw = dL/da · da/dz · dz/dw = (−0.8)(0.2)(1.5) = −0.24."""
    expected = DL_DA * DA_DZ * DZ_DW
    return check_number(
        answer, expected, what="dL/dw", tol=1e-3,
        hints=[
            (DL_DA + DA_DZ + DZ_DW, "You added the links. The chain rule multiplies them, like gear ratios: "
                                    "dL/da × da/dz × dz/dw."),
            (-expected, "Right size, wrong sign. dL/da is negative, so the product is negative: "
                        "here increasing w lowers the loss."),
            (DL_DA * DA_DZ, "That is dL/da × da/dz = dL/dz. One link is missing: multiply by dz/dw too."),
            (DL_DA * DZ_DW, "A link is missing: you skipped da/dz, the activation's slope."),
            (DA_DZ * DZ_DW, "A link is missing: you left out dL/da, the first link from the loss."),
        ],
        praise=f"dL/dw = ({DL_DA:g}) × {DA_DZ:g} × {DZ_DW:g} = {expected:.2f}: three links, one product.",
    )


# Exercise 3: the sigmoid's slope at z = 0.

def sigmoid_slope_at_zero(answer):
    """σ′(0) = σ(0)(1 − σ(0)) = 0.5 × 0.5 = 0.25."""
    s = float(sigmoid(0.0))
    expected = float(sigmoid_derivative(0.0))
    return check_number(
        answer, expected, what="σ′(0)", tol=1e-3,
        hints=[
            (s, "0.5 is σ(0), the sigmoid's value at 0. Its slope there is σ(0)(1 − σ(0))."),
            (s * (1 + s), "Use 1 − σ(0), not 1 + σ(0): σ′(z) = σ(z)(1 − σ(z))."),
            (1.0, "A slope of 1 belongs to the linear activation a = z. The sigmoid is flatter: "
                  "σ′(z) = σ(z)(1 − σ(z))."),
            (0.0, "The sigmoid is not flat at z = 0: that is where it is steepest. Work out σ(0)(1 − σ(0))."),
            (-expected, "The sigmoid only ever rises, so its slope is positive everywhere."),
            (float(sigmoid_derivative(1.0)), "That is σ′(1). The question asks for the slope at z = 0, "
                                             "where σ(0) = 0.5."),
        ],
        praise="σ′(0) = σ(0)(1 − σ(0)) = 0.5 × 0.5 = 0.25, the sigmoid's steepest slope. Every sigmoid "
               "link in a chain multiplies the signal by 0.25 at most.",
    )


# Exercise 4: the fork rule. a = 2 feeds u = 3a − 1 and v = a², and L = u² + 3v.
FORK_A = 2.0


def fork_paths(a=FORK_A):
    """The two paths from a to L = u² + 3v, with u = 3a − 1 and v = a², each as a product of two links.

    Returns a dict: u, v, dL_du = 2u, du_da = 3, dL_dv = 3, dv_da = 2a, through_u, through_v and
    dL_da = through_u + through_v (42 at a = 2).
    """
    u, v = 3 * a - 1, a ** 2
    out = {"u": u, "v": v, "dL_du": 2 * u, "du_da": 3.0, "dL_dv": 3.0, "dv_da": 2 * a}
    out["through_u"] = out["dL_du"] * out["du_da"]
    out["through_v"] = out["dL_dv"] * out["dv_da"]
    out["dL_da"] = out["through_u"] + out["through_v"]
    return out


def fork_sum(answer):
    """dL/da where a reaches L along two paths: the sum of the paths' products, 30 + 12 = 42."""
    p = fork_paths()
    expected = p["dL_da"]
    return check_number(
        answer, expected, what="dL/da", tol=1e-3,
        hints=[
            (p["through_u"] * p["through_v"],
             f"You multiplied the two paths, {p['through_u']:g} × {p['through_v']:g}. Links multiply along one "
             "path, but where a value forks, the paths add: a nudge of a moves L along both at once."),
            (p["through_u"],
             f"{p['through_u']:g} is the path through u alone. a also reaches L through v = a²: add that path, "
             "∂L/∂v · dv/da."),
            (p["through_v"],
             f"{p['through_v']:g} is the path through v alone. a also reaches L through u = 3a − 1: add that "
             "path, ∂L/∂u · du/da."),
            (p["dL_du"] + p["through_v"],
             "The path through u misses its last link, du/da = 3: ∂L/∂u · du/da = 2u × 3."),
            (p["through_u"] + p["dL_dv"],
             "The path through v misses its last link, dv/da = 2a = 4: ∂L/∂v · dv/da = 3 × 4."),
            (p["u"] * p["du_da"] + p["through_v"],
             "The derivative of u² is 2u, not u: the path through u is 2u × 3."),
            (p["u"] ** 2 + 3 * p["v"],
             f"{p['u'] ** 2 + 3 * p['v']:g} is the value of L itself. The question asks how fast L changes "
             "when a is nudged."),
            (-expected, "Right size, wrong sign: both paths are positive here."),
        ],
        praise=(f"dL/da = 2u · 3 + 3 · 2a = {p['through_u']:g} + {p['through_v']:g} = {expected:g}, one product per "
                "path, and the paths add. Nudging a agrees: (3a − 1)² + 3a² has slope 6(3a − 1) + 6a = 42 at a = 2."),
    )


# Exercise 5: the local rule at a fork. a = σ(z) = 0.8 feeds two neurons, whose shares arrive at a.
FORK_A_VALUE = 0.8
FORK_SHARES = (-0.9, 0.4)


def fork_downstream_parts(a=FORK_A_VALUE, shares=FORK_SHARES):
    """The local rule at a = σ(z): dL_da = the sum of the shares that arrive, local = ∂a/∂z = a(1 − a),
    dL_dz = dL_da × local (−0.5 × 0.16 = −0.08 for the exercise). Returns a dict of those three."""
    dL_da = sum(shares)
    local = a * (1 - a)
    return {"dL_da": dL_da, "local": local, "dL_dz": dL_da * local}


def fork_downstream(answer):
    """∂L/∂z where a = σ(z) = 0.8 receives the shares −0.9 and +0.4: (−0.9 + 0.4) × 0.8(1 − 0.8) = −0.08."""
    p = fork_downstream_parts()
    first, second = FORK_SHARES
    local, dL_da, expected = p["local"], p["dL_da"], p["dL_dz"]
    return check_number(
        answer, expected, what="∂L/∂z", tol=1e-3,
        hints=[
            (first * second * local,
             f"You multiplied the two shares, {first:g} × {second:g}. At a fork the shares add: each one is a "
             f"separate route by which a moves the loss, so ∂L/∂a = {first:g} + {second:g} = {dL_da:g}. Then pass "
             "that down through the local derivative of a."),
            (first * second,
             f"You multiplied the two shares, {first:g} × {second:g}, and stopped there. At a fork the shares add, "
             f"∂L/∂a = {first:g} + {second:g} = {dL_da:g}; then multiply by the local derivative a(1 − a)."),
            (first * local,
             f"That is the first share alone, passed down. The second share, {second:g}, has arrived at a too: "
             "add the two before you multiply by the local derivative."),
            (second * local,
             f"That is the second share alone, passed down. The first share, {first:g}, has arrived at a too: "
             "add the two before you multiply by the local derivative."),
            (first, f"{first:g} is one share, and it is still at a. Add the other share, then pass the sum down "
                    "through the local derivative a(1 − a)."),
            (second, f"{second:g} is one share, and it is still at a. Add the other share, then pass the sum down "
                     "through the local derivative a(1 − a)."),
            (dL_da / local,
             f"You divided by the local derivative. Downstream = upstream × local: multiply {dL_da:g} by "
             f"a(1 − a) = {local:.2f}."),
            (dL_da,
             f"{dL_da:g} is ∂L/∂a, the sum of the shares: right so far. The question asks what a passes down to "
             f"z, so multiply by the local derivative of a ∂a/∂z = a(1 − a) = {local:.2f}."),
            (dL_da * FORK_A_VALUE,
             f"You multiplied by a = {FORK_A_VALUE:g}, the value of a. Its local derivative is the sigmoid's slope, "
             f"a(1 − a) = {local:.2f}."),
            (dL_da + local,
             f"You added the local derivative. Downstream = upstream × local: {dL_da:g} × {local:.2f}."),
            (-expected, "Right size, wrong sign: the shares add up to a negative ∂L/∂a, and the sigmoid's slope is "
                        "positive, so ∂L/∂z is negative."),
        ],
        praise=(f"The shares add, ∂L/∂a = {first:g} + {second:g} = {dL_da:g}, and a passes that down through its "
                f"local derivative: ∂L/∂z = {dL_da:g} × 0.8 × 0.2 = {dL_da:g} × {local:.2f} = {expected:.2f}."),
    )
