"""Notebook 04's code exercises: the learner writes the 2-2-1 network's backward pass.

    check.backward(backward)                 four gradients, no biases
    check.backward_biased(backward_biased)   seven gradients, with a bias in each neuron

Both run the learner's function through `helpers.codecheck` on the worked example and six hidden
random networks; every slip they name is in BACKWARD_SLIPS and BIASED_SLIPS, written as a function
with that mistake. `helpers.exercises.nb04` (what the notebook imports as `check`) holds them too.
"""

import numpy as np

from ..core.activations import _sigmoid_number
from ..checking.checks import WRONG, Feedback
from ..checking.codecheck import Case, Slip, check_function, observe_return, read_numbers, run_case, same
from ..core.tiny import (EXAMPLE_BIASES, EXAMPLE_ETA, EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS, PARAMETER_NAMES,
                    BiasedTwoTwoOne, TwoTwoOne)

N_HIDDEN = 6
_SEED = 404
GRADIENT_NAMES = ("dL_dw1", "dL_dw2", "dL_dw3", "dL_dw4")
BIASED_GRADIENT_NAMES = GRADIENT_NAMES + ("dL_db1", "dL_db2", "dL_db3")


def _s(z):
    return _sigmoid_number(z)


def _plain_parts(w1, w2, w3, w4, x1, x2, y, b1=0.0, b2=0.0, b3=0.0):
    z1, z2 = w1 * x1 + b1, w2 * x2 + b2
    h1, h2 = _s(z1), _s(z2)
    y_hat = w3 * h1 + w4 * h2 + b3
    return z1, z2, h1, h2, y_hat, 2.0 * (y_hat - y)


def backward_solution(w1, w2, w3, w4, x1, x2, y):
    """The four gradients (∂L/∂w1, ∂L/∂w2, ∂L/∂w3, ∂L/∂w4) of the 2-2-1 network for one sample."""
    g = TwoTwoOne(w1, w2, w3, w4).gradients(x1, x2, y)
    return g["w1"], g["w2"], g["w3"], g["w4"]


def _backward_slip(*, two=2.0, sign=1.0, slope="h", v=None, out=None, inputs=None, order=None, eta_first=None):
    """A backward pass with one mistake; each keyword names what the mistake changes."""
    def slipped(w1, w2, w3, w4, x1, x2, y):
        z1, z2, h1, h2, y_hat, _ = _plain_parts(w1, w2, w3, w4, x1, x2, y)
        g = sign * two * (y_hat - y)
        s1, s2 = _slopes(slope, z1, z2, h1, h2)
        d3, d4 = (h1, h2) if out is None else out(h1, h2, w3, w4)
        dw3, dw4 = g * d3, g * d4
        v1, v2 = (w3, w4) if v is None else v(w3, w4)
        if eta_first is not None:  # the output weights updated before the hidden gradients used them
            v1, v2 = w3 - eta_first * dw3, w4 - eta_first * dw4
        i1, i2 = (x1, x2) if inputs is None else inputs(x1, x2)
        result = (g * v1 * s1 * i1, g * v2 * s2 * i2, dw3, dw4)
        return result if order is None else tuple(result[i] for i in order)
    return slipped


BACKWARD_SLIPS = [
    Slip(_backward_slip(sign=-1.0),
         "Right size, wrong sign on all four. ∂L/∂ŷ = 2(ŷ − y), not 2(y − ŷ): when ŷ is too small the "
         "gradients are negative, so that the update w − η·∂L/∂w raises the weights."),
    Slip(_backward_slip(two=1.0),
         "All four are half the right size: the derivative of (ŷ − y)² keeps the 2, ∂L/∂ŷ = 2 * (y_hat - y)."),
    Slip(_backward_slip(order=(2, 3, 0, 1)),
         "Your four numbers are right but in the order you computed them, output weights first. Return "
         "(dL_dw1, dL_dw2, dL_dw3, dL_dw4)."),
    Slip(_backward_slip(order=(3, 2, 1, 0)),
         "Your four numbers are right but in reverse order. Return (dL_dw1, dL_dw2, dL_dw3, dL_dw4)."),
    Slip(_backward_slip(slope="none"),
         "The output weights are right, but the hidden ones miss the sigmoid's slope: h1 = σ(z1), so the "
         "chain for w1 passes through σ′(z1) = h1 * (1 - h1), and likewise σ′(z2) for w2."),
    Slip(_backward_slip(slope="of_h"),
         "You applied σ′ to the activation: sigmoid′(h1) is σ(σ(z1))·(1 − σ(σ(z1))). The slope belongs to z1: "
         "σ′(z1) = h1 * (1 - h1), computed from h1 = σ(z1) itself, with no second σ."),
    Slip(_backward_slip(slope="z"),
         "You wrote the sigmoid's slope as z1 * (1 - z1). The formula σ(1 − σ) uses the sigmoid's output: "
         "σ′(z1) = h1 * (1 - h1)."),
    Slip(_backward_slip(slope="h_only"),
         "The sigmoid's slope is h1 * (1 - h1), not h1 alone (and h2 * (1 - h2) for w2)."),
    Slip(_backward_slip(eta_first=EXAMPLE_ETA),
         "The hidden gradients used w3 and w4 after the update. Compute all four gradients with the weights "
         "of the forward pass first, and only then change any weight."),
    Slip(_backward_slip(v=lambda w3, w4: (w4, w3)),
         "w3 and w4 are swapped in the hidden gradients: h1 reaches ŷ through w3, so ∂ŷ/∂h1 = w3 belongs "
         "in the chain for w1, and w4 in the chain for w2."),
    Slip(_backward_slip(out=lambda h1, h2, w3, w4: (h2, h1)),
         "∂L/∂w3 and ∂L/∂w4 are swapped: w3 multiplies h1 in ŷ = w3·h1 + w4·h2, so ∂ŷ/∂w3 = h1 and ∂ŷ/∂w4 = h2."),
    Slip(_backward_slip(out=lambda h1, h2, w3, w4: (w3, w4)),
         "For the output weights you multiplied by the weight itself. ∂ŷ/∂w3 is what w3 multiplies, h1 "
         "(and h2 for w4)."),
    Slip(_backward_slip(inputs=lambda x1, x2: (1.0, 1.0)),
         "The hidden gradients miss their last link, ∂z1/∂w1 = x1 (and x2 for w2): what you have is δ = ∂L/∂z, "
         "which still needs multiplying by the input the weight carries."),
    Slip(_backward_slip(inputs=lambda x1, x2: (x2, x1)),
         "x1 and x2 are swapped in the hidden gradients: w1 carries x1 (z1 = w1·x1), and w2 carries x2."),
]


def _draw_sample(rng):
    """A hidden case: weights, inputs and a target drawn at random, kept away from 0 and ±1 so that no
    slip is right by accident (multiplying by 1 or forgetting a factor of 1 changes nothing)."""
    def away(low, high):
        while True:
            value = round(float(rng.uniform(low, high)), 3)
            if min(abs(value), abs(abs(value) - 1.0)) > 0.15:
                return value
    w1, w2, w3, w4 = (away(-2, 2) for _ in range(4))
    x1, x2 = away(-2, 2), away(-2, 2)
    y = away(-1.5, 1.5)
    return w1, w2, w3, w4, x1, x2, y


def _cases(extra=0):
    """The worked example first, then hidden random cases; `extra` biases per case are drawn as well."""
    rng = np.random.default_rng(_SEED + extra)
    w = EXAMPLE_WEIGHTS
    example = (w["w1"], w["w2"], w["w3"], w["w4"])
    cases = []
    if extra:
        b = EXAMPLE_BIASES
        args = (*example, b["b1"], b["b2"], b["b3"], *EXAMPLE_INPUTS, EXAMPLE_TARGET)
        cases.append(Case("the worked example", lambda args=args: args,
                          "w = (−0.5, 0.3, 1.0, 0.6), b = (0.1, −0.2, 0.05), x = (1.0, 0.5), y = 1.0"))
    else:
        args = (*example, *EXAMPLE_INPUTS, EXAMPLE_TARGET)
        cases.append(Case("the worked example", lambda args=args: args,
                          "w = (−0.5, 0.3, 1.0, 0.6), x = (1.0, 0.5), y = 1.0"))
    for _ in range(N_HIDDEN):
        w1, w2, w3, w4, x1, x2, y = _draw_sample(rng)
        if extra:
            b1, b2, b3 = (round(float(v), 3) * s for v, s in zip(rng.uniform(0.2, 1.0, 3), rng.choice([-1.0, 1.0], 3)))
            args = (w1, w2, w3, w4, b1, b2, b3, x1, x2, y)
            show = f"w = ({w1:g}, {w2:g}, {w3:g}, {w4:g}), b = ({b1:g}, {b2:g}, {b3:g}), x = ({x1:g}, {x2:g}), y = {y:g}"
        else:
            args = (w1, w2, w3, w4, x1, x2, y)
            show = f"w = ({w1:g}, {w2:g}, {w3:g}, {w4:g}), x = ({x1:g}, {x2:g}), y = {y:g}"
        cases.append(Case("a hidden random case", lambda args=args: args, show))
    return cases


def _reader(names):
    """A `read` for check_function: a tuple (or list) of len(names) numbers, or a dict keyed by those names
    (with or without the 'dL_d' in front), in that order."""
    count = len(names)

    def read(result):
        if isinstance(result, dict):
            keys = {str(k).replace("dL_d", "", 1): v for k, v in result.items()}
            wanted = [n.replace("dL_d", "", 1) for n in names]
            missing = [n for n in wanted if n not in keys]
            if missing:
                return None, (f"Your dict lacks the key{'s' * (len(missing) > 1)} {', '.join(repr(m) for m in missing)}. "
                              f"Return a tuple ({', '.join(names)}), or a dict with those keys.")
            result = tuple(keys[n] for n in wanted)
        numbers_, problem = read_numbers(result, count)
        if problem and count == 7 and isinstance(result, (tuple, list)) and len(result) == 4:
            problem = ("Your function returned 4 numbers, the weights' gradients only. This network has 7 "
                       "parameters: return the three bias gradients too, (" + ", ".join(names) + ").")
        return numbers_, problem
    return read


def _name_the_wrong_entries(feedback, function, cases, expected, read, names):
    """After a fallback 'On ... your function gives', say which gradients are right and which are off."""
    if feedback.status != WRONG or not feedback.message.startswith("On "):
        return feedback
    off = set()
    for case in cases:
        outcome = run_case(function, case, observe_return)
        got, _ = read(outcome.result) if not outcome.problem else (None, None)
        if got is None:
            return feedback
        right = read(expected(*case.make()))[0]
        off |= {i for i, (g, r) in enumerate(zip(got, right)) if not same((g,), (r,))}
    right_ones = [n for i, n in enumerate(names) if i not in off]
    wrong_ones = [n for i, n in enumerate(names) if i in off]
    lead = f"Off: {', '.join(wrong_ones)}." + (f" Right: {', '.join(right_ones)}." if right_ones else "")
    return Feedback(WRONG, f"{lead} {feedback.message}")


def backward(function):
    """Check `backward(w1, w2, w3, w4, x1, x2, y)`, which must return (dL_dw1, dL_dw2, dL_dw3, dL_dw4)."""
    cases, read = _cases(), _reader(GRADIENT_NAMES)
    feedback = check_function(
        function, cases=cases, expected=backward_solution, read=read, slips=BACKWARD_SLIPS,
        arguments="w1, w2, w3, w4, x1, x2, y", what="backward",
        praise="All four gradients match on the example and on six hidden networks: two factors for an output "
               "weight, four for a hidden one, ∂L/∂ŷ computed once and reused.")
    return _name_the_wrong_entries(feedback, function, cases, backward_solution, read, GRADIENT_NAMES)


# ---- The variant with a bias in each neuron ----

def backward_biased_solution(w1, w2, w3, w4, b1, b2, b3, x1, x2, y):
    """The seven gradients (w1, w2, w3, w4, b1, b2, b3) of the biased 2-2-1 network for one sample."""
    g = BiasedTwoTwoOne(w1, w2, w3, w4, b1, b2, b3).gradients(x1, x2, y)
    return tuple(g[n] for n in PARAMETER_NAMES)


def _slopes(slope, z1, z2, h1, h2):
    """The two sigmoid slopes as a backward pass with the slip `slope` computes them."""
    return {
        "h": (h1 * (1 - h1), h2 * (1 - h2)),                       # right: σ′(z) = h(1 − h)
        "none": (1.0, 1.0),                                        # σ′ forgotten
        "of_h": (_s(h1) * (1 - _s(h1)), _s(h2) * (1 - _s(h2))),    # σ′(h): σ′ applied to the activation
        "z": (z1 * (1 - z1), z2 * (1 - z2)),                       # z(1 − z)
        "h_only": (h1, h2),                                        # h for h(1 − h)
    }[slope]


def _biased_slip(*, bias=None, forward_without=None, two=2.0, sign=1.0, slope="h", v=None, order=None):
    """A biased backward pass with one mistake; each keyword names what the mistake changes."""
    def slipped(w1, w2, w3, w4, b1, b2, b3, x1, x2, y):
        c1, c2, c3 = (0.0 if forward_without and n in forward_without else b for n, b in
                      (("b1", b1), ("b2", b2), ("b3", b3)))
        z1, z2, h1, h2, y_hat, _ = _plain_parts(w1, w2, w3, w4, x1, x2, y, c1, c2, c3)
        g = sign * two * (y_hat - y)
        s1, s2 = _slopes(slope, z1, z2, h1, h2)
        v1, v2 = (w3, w4) if v is None else v(w3, w4)
        d1, d2 = g * v1 * s1, g * v2 * s2
        grads = [d1 * x1, d2 * x2, g * h1, g * h2]
        biases = {"none": (0.0, 0.0, 0.0), "times_input": (d1 * x1, d2 * x2, g), "no_slope": (g * w3, g * w4, g),
                  "output_h": (d1, d2, g * (h1 + h2)), None: (d1, d2, g)}[bias]
        result = (*grads, *biases)
        return result if order is None else tuple(result[i] for i in order)
    return slipped


BIASED_SLIPS = [
    Slip(_biased_slip(bias="none"),
         "The weights are right, but every bias gradient is 0. A bias shifts z like a weight whose input is "
         "always 1, so it gets blame too: ∂L/∂b1 = δ1 = ∂L/∂ŷ · w3 · σ′(z1), and ∂L/∂b3 = ∂L/∂ŷ."),
    Slip(_biased_slip(forward_without={"b1", "b2", "b3"}),
         "Your forward pass leaves the biases out. The gradients must be taken where the network really is: "
         "z1 = w1·x1 + b1, z2 = w2·x2 + b2, ŷ = w3·h1 + w4·h2 + b3."),
    Slip(_biased_slip(forward_without={"b3"}),
         "Your ŷ leaves out b3: ŷ = w3·h1 + w4·h2 + b3. Every gradient starts from ∂L/∂ŷ = 2(ŷ − y), so all "
         "seven are off."),
    Slip(_biased_slip(forward_without={"b1", "b2"}),
         "Your hidden neurons leave out their biases: z1 = w1·x1 + b1 and z2 = w2·x2 + b2."),
    Slip(_biased_slip(bias="times_input"),
         "The hidden bias gradients carry the input: b1 is added to z1 on its own (its 'input' is 1), so "
         "∂z1/∂b1 = 1 and ∂L/∂b1 = δ1, without x1."),
    Slip(_biased_slip(bias="no_slope"),
         "The hidden bias gradients miss the sigmoid's slope: b1 reaches ŷ through h1 = σ(z1), so "
         "∂L/∂b1 = ∂L/∂ŷ · w3 · σ′(z1)."),
    Slip(_biased_slip(bias="output_h"),
         "∂L/∂b3 is ∂L/∂ŷ alone: b3 is added to ŷ directly, so ∂ŷ/∂b3 = 1 (no h in it)."),
    Slip(_biased_slip(sign=-1.0),
         "Right size, wrong sign on all seven: ∂L/∂ŷ = 2(ŷ − y), not 2(y − ŷ)."),
    Slip(_biased_slip(two=1.0),
         "All seven are half the right size: the derivative of (ŷ − y)² keeps the 2."),
    Slip(_biased_slip(slope="none"),
         "The hidden weights and biases miss the sigmoid's slope σ′(z) = h(1 − h) on their way through h1 and h2."),
    Slip(_biased_slip(slope="of_h"),
         "You applied σ′ to the activation: sigmoid′(h1) is σ(σ(z1))·(1 − σ(σ(z1))). The slope belongs to z1: "
         "σ′(z1) = h1 * (1 - h1), computed from h1 = σ(z1) itself, with no second σ. The hidden weights and "
         "biases all pass through it."),
    Slip(_biased_slip(slope="z"),
         "You wrote the sigmoid's slope as z1 * (1 - z1), with z1 = w1·x1 + b1. The formula σ(1 − σ) uses the "
         "sigmoid's output: σ′(z1) = h1 * (1 - h1), and likewise for z2."),
    Slip(_biased_slip(slope="h_only"),
         "The sigmoid's slope is h1 * (1 - h1), not h1 alone (and h2 * (1 - h2) for w2 and b2)."),
    Slip(_biased_slip(v=lambda w3, w4: (w4, w3)),
         "w3 and w4 are swapped in the hidden gradients: h1 reaches ŷ through w3, so δ1 = ∂L/∂ŷ · w3 · σ′(z1) "
         "belongs to w1 and b1, and w4 to the chains of w2 and b2."),
    Slip(_biased_slip(order=(4, 5, 6, 0, 1, 2, 3)),
         "Your seven numbers are right but the biases come first. Return (dL_dw1, dL_dw2, dL_dw3, dL_dw4, "
         "dL_db1, dL_db2, dL_db3)."),
]


def backward_biased(function):
    """Check `backward_biased(w1, w2, w3, w4, b1, b2, b3, x1, x2, y)`, which must return
    (dL_dw1, dL_dw2, dL_dw3, dL_dw4, dL_db1, dL_db2, dL_db3)."""
    cases, read = _cases(extra=1), _reader(BIASED_GRADIENT_NAMES)
    feedback = check_function(
        function, cases=cases, expected=backward_biased_solution, read=read, slips=BIASED_SLIPS,
        arguments="w1, w2, w3, w4, b1, b2, b3, x1, x2, y", what="backward_biased",
        praise="All seven match. Each bias gradient is its neuron's δ = ∂L/∂z, the weight gradient without its input.")
    return _name_the_wrong_entries(feedback, function, cases, backward_biased_solution, read, BIASED_GRADIENT_NAMES)
