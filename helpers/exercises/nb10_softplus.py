"""Notebook 10, exercise 4: a new operation for the engine, softplus, forward value and backward share.

    check.softplus(softplus)   out = ln(1 + eˣ) as a new Value, and backward() adding σ(x)·out.grad to x.grad

Run by `helpers.codecheck` on the worked example and hidden random cases, alone and inside a graph;
every slip it names is in SOFTPLUS_SLIPS. `helpers.exercises.nb10` (what the notebook imports as
`check`) holds it too.
"""

import math

import numpy as np

from ..core.activations import _sigmoid_number
from ..core.autograd import Value
from ..checking.codecheck import Case, Slip, check_function, shown
from ._nb10_cases import _SEED, N_HIDDEN, _away_from_one

# ---- Exercise 4: a new operation for the engine, softplus ----
#
# The learner writes softplus(x) for a Value x, micrograd's way: it returns (out, backward), the new Value
# and a function that adds x's share of out.grad to x.grad. The check runs it on one node (x.grad may already
# hold a share from another path, out.grad is the gradient arriving from above), then inside a graph where
# softplus is used twice and its input also feeds another node, walked by `walk_with_operation` below. The
# right answer comes from `softplus_by_nudging`, whose slope is a centred difference in float64.

SOFTPLUS_EXAMPLE = (1.0, 2.0, 0.0)  # x, out.grad, x.grad before
SOFTPLUS_GRAPH_EXAMPLE = (0.5, -1.5)  # a, b in L = softplus(a) · softplus(a·b) + a
_NUDGE = 1e-5


def _softplus_number(x):
    """ln(1 + eˣ), finite for any x: max(x, 0) + ln(1 + e^−|x|)."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def softplus_solution(x):
    """out = ln(1 + eˣ), whose slope is the sigmoid: d/dx ln(1 + eˣ) = eˣ / (1 + eˣ) = σ(x)."""
    out = Value(_softplus_number(x.data), label="softplus")

    def backward():
        x.grad += _sigmoid_number(x.data) * out.grad

    return out, backward


def softplus_by_nudging(x):
    """The reference the check compares with: the same forward value, and as the local slope a centred
    difference, (softplus(x + ε) − softplus(x − ε)) / 2ε with ε = 1e-5, in float64 (good to about 1e-10)."""
    out = Value(_softplus_number(x.data), label="softplus")

    def backward():
        slope = (_softplus_number(x.data + _NUDGE) - _softplus_number(x.data - _NUDGE)) / (2 * _NUDGE)
        x.grad += slope * out.grad

    return out, backward


class _Odd:
    """What an observation gives back when the learner's function did not return (out, backward): the sentence."""

    def __init__(self, sentence):
        self.sentence = sentence


def _unpack(returned):
    """(out, backward) from what softplus returned, or an _Odd with the sentence that says what is wrong."""
    if returned is None:
        return _Odd("Your softplus returned None. End it with `return out, backward`: the new Value and "
                    "the function that passes the gradient back.")
    if isinstance(returned, Value):
        return _Odd("Your softplus returned only the Value. Return both, `return out, backward`: the engine "
                    "needs the function that passes the gradient back too.")
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        return _Odd(f"Your softplus returned {shown(returned)}. Expected a pair, `return out, backward`: "
                    "the new Value, then the function (without brackets).")
    out, backward = returned
    if not isinstance(out, Value):
        if callable(out) and isinstance(backward, Value):
            return _Odd("The pair is the wrong way round: return `out, backward`, the Value first.")
        return _Odd(f"The first thing softplus returns must be a Value, `out = Value(...)`, so that "
                    f"backward() can read out.grad; it returned {shown(out)}.")
    if not callable(backward):
        return _Odd(f"The second thing softplus returns must be the function backward itself (its name, "
                    f"without brackets), but it returned {shown(backward)}."
                    + (" Did you write `backward()` in the return line? That calls it." if backward is None else ""))
    return out, backward


def observe_operation(function, args):
    """One node: x.grad starts at `before` (a share from another path), out.grad is set to `grad_out`, then
    backward() runs. Returns (out.data, x.grad), or an _Odd."""
    x_value, grad_out, before = args
    x = Value(x_value, label="x")
    x.grad = before
    unpacked = _unpack(function(x))
    if isinstance(unpacked, _Odd):
        return unpacked
    out, backward = unpacked
    out.grad = grad_out
    backward()
    return (out.data, x.grad)


def walk_with_operation(function, a_value, b_value):
    """L = softplus(a) · softplus(a·b) + a, with the learner's softplus used twice and a on three paths.

    The walk is Exercise 3's, in reverse topological order, except that a softplus node's turn calls its
    backward(). Returns (L, a, b, nodes), or an _Odd if softplus did not return (out, backward).
    """
    a, b = Value(a_value, label="a"), Value(b_value, label="b")
    u = a * b
    first = _unpack(function(a))
    if isinstance(first, _Odd):
        return first
    second = _unpack(function(u))
    if isinstance(second, _Odd):
        return second
    (s1, back1), (s2, back2) = first, second
    product = s1 * s2
    L = product + a
    order = [L, product, s2, s1, u, a, b]  # each node after every node it feeds: a reverse topological order
    for node in order:
        node.grad = 0.0
    L.grad = 1.0
    turns = {id(s1): back1, id(s2): back2}
    for node in order:
        if id(node) in turns:
            turns[id(node)]()
        else:
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad
    return L, a, b


def observe_graph(function, args):
    """The graph case: (L, ∂L/∂a, ∂L/∂b) after the walk, or an _Odd."""
    walked = walk_with_operation(function, *args)
    if isinstance(walked, _Odd):
        return walked
    L, a, b = walked
    return (L.data, a.grad, b.grad)


def observe_softplus(function, args):
    """What the check compares: args is (case,), a case being ('node', x, grad_out, before) or ('graph', a, b)."""
    (case,) = args
    return observe_graph(function, case[1:]) if case[0] == "graph" else observe_operation(function, case[1:])


_GRAPH_NAMES = ("L", "a.grad", "b.grad")
_NODE_NAMES = ("out.data", "x.grad")


def read_operation(result):
    """The numbers an observation gave, or the sentence for an odd answer (named: out.data, x.grad, ...)."""
    if isinstance(result, _Odd):
        return None, result.sentence
    names = _GRAPH_NAMES if len(result) == 3 else _NODE_NAMES
    numbers_ = []
    for name, value in zip(names, result):
        if type(value).__name__ == "Value":
            return None, (f"{name} holds a Value. Gradients and data are plain numbers: in backward() use "
                          "x.data and out.grad, which are numbers, and add a number to x.grad.")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            return None, f"{name} came out as {shown(value)}, which is not a number."
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            kind = "nan ('not a number')" if math.isnan(value) else "infinite"
            return None, (f"{name} came out {kind}. Softplus and its slope are finite for every x; look for an "
                          "exp() that overflows, a division by zero, or a value that was never a number.")
        numbers_.append(value)
    return tuple(numbers_), None


def _operation_slip(forward, slope, combine="add"):
    """A softplus with a given mistake. forward(x) -> out.data; slope(x, out) -> the local slope it uses;
    combine: 'add' (right), 'set' (= instead of +=), 'subtract', 'no_upstream' (forgets out.grad), 'none'."""
    def softplus(x):
        out = Value(forward(x.data))

        def backward():
            share = slope(x.data, out.data)
            if combine == "add":
                x.grad += share * out.grad
            elif combine == "set":
                x.grad = share * out.grad
            elif combine == "subtract":
                x.grad -= share * out.grad
            elif combine == "no_upstream":
                x.grad += share

        return out, backward
    return softplus


_SP = _softplus_number
_SIG = _sigmoid_number

SOFTPLUS_SLIPS = [
    Slip(_operation_slip(_SP, lambda x, out: _SIG(x), "no_upstream"),
         "x.grad gains the local slope alone. Multiply it by out.grad, the gradient arriving from above: "
         "`x.grad += slope * out.grad`. That factor is the chain rule."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(x), "set"),
         "Right when x.grad starts at 0, wrong when x feeds another node too: `x.grad = ...` throws away the "
         "share another path has already given x. Write `x.grad += ...`: at a fork the shares add."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(x), "subtract"),
         "Right size, wrong sign: `x.grad -= ...` takes the share away. Softplus rises everywhere, so its "
         "slope is positive and the share is added: `x.grad += slope * out.grad`."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(out)),
         "The slope is evaluated at the output. σ(out.data) is the sigmoid of softplus(x); the slope of "
         "softplus is σ(x), with x.data, the input."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(-x)),  # 1 / (1 + eˣ) = σ(−x)
         "You used 1/(1 + eˣ), the derivative of ln(u) without the inner factor. By the chain rule, "
         "d/dx ln(1 + eˣ) = 1/(1 + eˣ) · eˣ: multiply by eˣ, and it is σ(x)."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(x) * (1.0 - _SIG(x))),
         "That is σ(x)(1 − σ(x)), the slope of the sigmoid. Softplus is one step earlier: its slope is "
         "σ(x) itself."),
    Slip(_operation_slip(_SP, lambda x, out: out),
         "You used softplus(x) as its own slope, as if it were eˣ. The derivative of ln(1 + eˣ) is "
         "eˣ/(1 + eˣ) = σ(x)."),
    Slip(_operation_slip(_SP, lambda x, out: math.exp(x)),
         "You used eˣ, the slope of the inside only. The chain rule multiplies it by the slope of ln, "
         "1/(1 + eˣ): eˣ/(1 + eˣ) = σ(x)."),
    Slip(_operation_slip(_SP, lambda x, out: _SIG(x), "none"),
         "x.grad is unchanged: backward() must add x's share to x.grad (returning it or keeping it in a "
         "variable does not pass it on). Write `x.grad += slope * out.grad`."),
    Slip(_operation_slip(_SIG, lambda x, out: _SIG(x)),
         "out.data is σ(x), the sigmoid, not softplus. Softplus is ln(1 + eˣ): "
         "`math.log(1 + math.exp(x.data))`. (σ is its slope, which belongs in backward().)"),
    Slip(_operation_slip(lambda x: math.log(math.exp(x)), lambda x, out: _SIG(x)),
         "out.data is ln(eˣ) = x: the 1 + is missing. Softplus is ln(1 + eˣ)."),
]


def _softplus_cases():
    x, g, before = SOFTPLUS_EXAMPLE
    cases = [Case("the worked example", lambda: (("node", x, g, before),),
                  f"x = {x:g}, out.grad = {g:g}, x.grad before = {before:g}; checked: out.data, then x.grad")]
    rng = np.random.default_rng(_SEED + 40)
    for _ in range(N_HIDDEN):
        args = (round(float(rng.uniform(-4, 4)), 3), round(float(_away_from_one(rng)), 3),
                round(float(rng.uniform(0.3, 1.5) * rng.choice([-1.0, 1.0])), 3))
        cases.append(Case("a hidden random case", lambda args=args: (("node", *args),),
                          f"x = {args[0]:g}, out.grad = {args[1]:g}, x.grad before = {args[2]:g} (a share from "
                          "another path); checked: out.data, then x.grad"))
    a, b = SOFTPLUS_GRAPH_EXAMPLE
    graph_show = "L = softplus(a) · softplus(a·b) + a with a = {:g}, b = {:g}; checked: L, ∂L/∂a, ∂L/∂b"
    cases.append(Case("a graph that uses softplus twice", lambda: (("graph", a, b),), graph_show.format(a, b)))
    for _ in range(2):
        args = (round(float(rng.uniform(-2, 2)), 3), round(float(rng.uniform(-2, 2)), 3))
        cases.append(Case("a hidden random graph", lambda args=args: (("graph", *args),), graph_show.format(*args)))
    return cases


def softplus(function):
    """Check `softplus(x)`: for a Value x it must return (out, backward), out = ln(1 + eˣ) as a new Value and
    backward() adding σ(x)·out.grad to x.grad. Checked on one node and inside a graph, against centred
    differences."""
    return check_function(
        function, cases=_softplus_cases(), expected=softplus_by_nudging, read=read_operation,
        observe=observe_softplus, slips=SOFTPLUS_SLIPS, arguments="x", what="softplus",
        praise="out = ln(1 + eˣ), and backward() adds σ(x) · out.grad to x.grad: the forward value, its local "
               "slope at the input, the upstream factor, and += for the fork. The engine can use it anywhere.")
