"""Checks for notebook 10, where the learner writes part of an autograd engine.

Four code exercises, each run by `helpers.codecheck` on the worked example and hidden random cases:

    check.mul_backward(mul_backward)     out = a·b: what each input's gradient gains
    check.tanh_backward(tanh_backward)   out = tanh(x): what x's gradient gains
    check.backward(backward)             the backward walk over a whole graph
    check.softplus(softplus)             a new operation: its forward value and what backward() passes to x

Every slip each one names is in its `*_SLIPS` list, written as a function with the same mistake.
"""

import math
import time

import numpy as np

from .. import diagnose
from ..autograd import Value, topological_order
from ..autograd_examples import fork, random_graph, two_two_one
from ..codecheck import Case, Slip, check_function, read_numbers, shown

# The hidden cases are drawn from fixed seeds: the same every run, different from the example.
_SEED = 909
N_HIDDEN = 6


def _hidden(rng_args, show):
    rng = np.random.default_rng(_SEED)
    cases = []
    for _ in range(N_HIDDEN):
        args = rng_args(rng)
        cases.append(Case("a hidden random case", (lambda args=args: args), show(*args)))
    return cases


def _away_from_one(rng):
    """An incoming gradient that is clearly not 1, so that forgetting it shows."""
    g = rng.uniform(0.2, 2.0) * rng.choice([-1.0, 1.0])
    return g if abs(abs(g) - 1.0) > 0.1 else 2.0 * g


# ---- Exercise 1: the local derivatives of a product ----

MUL_EXAMPLE = (2.0, -3.0, 0.5)  # a, b, grad_out


def mul_backward_solution(a, b, grad_out):
    """out = a·b: ∂out/∂a = b and ∂out/∂b = a, each times the gradient arriving at out."""
    return b * grad_out, a * grad_out


MUL_SLIPS = [
    Slip(lambda a, b, g: (b, a),
         "You returned the local derivatives alone. Each must be multiplied by grad_out, the gradient "
         "that arrives at the product from above: that multiplication is the chain rule."),
    Slip(lambda a, b, g: (a * g, b * g),
         "The two are swapped. Nudging a changes a·b by b per unit, so a's share is b · grad_out, and b's is a · grad_out."),
    Slip(lambda a, b, g: (g, g),
         "That is the rule for a + b, which passes grad_out on unchanged. For a·b each input gets the other "
         "input times grad_out."),
    Slip(lambda a, b, g: (a * b * g, a * b * g),
         "You multiplied by the product a·b itself. The derivative of a·b with respect to a is b alone."),
    Slip(lambda a, b, g: (-b * g, -a * g),
         "Right size, wrong sign: nothing in a·b is subtracted, so no minus sign belongs here."),
    Slip(lambda a, b, g: (b / g, a / g) if g else (math.nan, math.nan),
         "You divided by grad_out. The chain rule multiplies: b · grad_out and a · grad_out."),
]


def _mul_cases():
    example = Case("the worked example", lambda: MUL_EXAMPLE, "a = 2.0, b = −3.0, grad_out = 0.5")
    hidden = _hidden(lambda rng: (round(float(rng.uniform(-3, 3)), 3), round(float(rng.uniform(-3, 3)), 3),
                                  round(float(_away_from_one(rng)), 3)),
                     lambda a, b, g: f"a = {a:g}, b = {b:g}, grad_out = {g:g}")
    return [example, *hidden]


def mul_backward(function):
    """Check `mul_backward(a, b, grad_out)`, which must return (a's share, b's share) of the gradient."""
    return check_function(
        function, cases=_mul_cases(), expected=mul_backward_solution, read=lambda r: read_numbers(r, 2),
        slips=MUL_SLIPS, arguments="a, b, grad_out", what="mul_backward",
        praise="(b · grad_out, a · grad_out): each input of a product is blamed in proportion to the other.")


# ---- Exercise 2: the local derivative of tanh ----

TANH_EXAMPLE = (0.5, 2.0)  # x, grad_out


def tanh_backward_solution(x, grad_out):
    """out = tanh(x): the slope is 1 − tanh(x)², times the gradient arriving at out."""
    t = math.tanh(x)
    return (1.0 - t ** 2) * grad_out


TANH_SLIPS = [
    Slip(lambda x, g: 1.0 - math.tanh(x) ** 2,
         "That is the local slope alone. Multiply it by grad_out, the gradient arriving from above."),
    Slip(lambda x, g: (1.0 - x ** 2) * g,
         "You squared x, the input. The slope is 1 − tanh(x)²: square the output, t = math.tanh(x)."),
    Slip(lambda x, g: (1.0 - math.tanh(x)) * g,
         "The square is missing: the slope is 1 − tanh(x)², not 1 − tanh(x)."),
    Slip(lambda x, g: math.tanh(x) * (1.0 - math.tanh(x)) * g,
         "That is the sigmoid's pattern, σ(1 − σ). tanh has its own: 1 − tanh(x)²."),
    Slip(lambda x, g: -(1.0 - math.tanh(x) ** 2) * g,
         "Right size, wrong sign: tanh rises everywhere, so its slope 1 − tanh(x)² is positive."),
    Slip(lambda x, g: (1.0 - math.tanh(x) ** 2) * math.tanh(x) * g,
         "You also multiplied by tanh(x), the output. The local derivative is 1 − tanh(x)², times grad_out only."),
]


def _tanh_cases():
    example = Case("the worked example", lambda: TANH_EXAMPLE, "x = 0.5, grad_out = 2.0")
    hidden = _hidden(lambda rng: (round(float(rng.uniform(-2, 2)), 3), round(float(_away_from_one(rng)), 3)),
                     lambda x, g: f"x = {x:g}, grad_out = {g:g}")
    return [example, *hidden]


def tanh_backward(function):
    """Check `tanh_backward(x, grad_out)`, which must return x's share of the gradient (one number)."""
    return check_function(
        function, cases=_tanh_cases(), expected=tanh_backward_solution, read=lambda r: read_numbers(r, 1),
        slips=TANH_SLIPS, arguments="x, grad_out", what="tanh_backward",
        praise="(1 − tanh(x)²) · grad_out: the slope of tanh at x, times what arrives from above.")


# ---- Exercise 3: the backward walk ----

def backward_solution(root):
    """Zero every gradient, seed the root with 1, then pass gradients back in reverse topological order."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def _overwrites(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = local * node.grad


def _no_seed(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def _forward_order(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def _no_reset(root):
    order = topological_order(root)
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def _local_only(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local


def _grad_only(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad


BACKWARD_SLIPS = [
    Slip(_no_seed,
         "Every gradient came out 0. Set root.grad = 1.0 before the walk (∂L/∂L = 1): every other gradient "
         "is a multiple of it."),
    Slip(_overwrites,
         "Right on a chain, wrong at a fork: `parent.grad = ...` keeps only the last path's share. A value on "
         "two paths must get the sum: write `parent.grad += local * node.grad`."),
    Slip(_forward_order,
         "The walk goes the wrong way. Visit the nodes from the root back to the inputs, "
         "`for node in reversed(order)`, so that each node's gradient is complete before it is passed on."),
    Slip(_no_reset,
         "Right the first time, doubled the second: the gradients of an earlier call were still there. Set every "
         "node's grad to 0.0 before you seed the root."),
    Slip(_local_only,
         "You passed on the local derivative alone. Multiply it by node.grad, the gradient that has reached the "
         "node: `parent.grad += local * node.grad`."),
    Slip(_grad_only,
         "You passed node.grad on unchanged. Multiply it by the local derivative of the step: "
         "`parent.grad += local * node.grad`."),
]


def _graph_case(name, build, show):
    def make():
        root, _ = build()
        return (root,)
    return Case(name, make, show)


def _backward_cases():
    cases = [_graph_case("the fork example", fork, "L = 2a · a², a = 1.5"),
             _graph_case("the 2-2-1 example", two_two_one, "")]
    for seed in range(N_HIDDEN):
        cases.append(_graph_case("a hidden random graph", lambda seed=seed: random_graph(np.random.default_rng(_SEED + seed)), ""))
    return cases


def observe_walk(function, args):
    """Run the walk twice on the graph (a second call must give the same gradients); return every node."""
    (root,) = args
    order = topological_order(root)
    function(root)
    function(root)
    return [node.grad for node in order]


def read_gradients(grads):
    """The nodes' gradients as floats, or a sentence when one is not a number."""
    for g in grads:
        if type(g).__name__ == "Value":
            return None, ("Some .grad holds a Value. Gradients are plain numbers: use local * node.grad, where "
                          "both are numbers, not Values.")
        if isinstance(g, bool) or not isinstance(g, (int, float, np.floating, np.integer)):
            return None, f"Some .grad holds {shown(g)}, which is not a number. Each gradient must be a number."
    return tuple(float(g) for g in grads), None


def _node_names(order):
    """A name per node, in backward order: its label ('a', 'h1'), else its place ('node 4 in backward order (a ×)')."""
    names = []
    for i, node in enumerate(reversed(order)):
        name = node.label
        if not name or name in names or not (node.op or name.isidentifier()):
            name = f"node {i + 1} in backward order" + (f" (a {node.op})" if node.op else "")
        names.append(name)
    return names


def _walk_cause(finding):
    return ("Every node before it is right, so a share it received went wrong: it came from a node not yet "
            "complete, came twice, or never came. Walk `reversed(topological_order(root))`, adding each share with +=.")


def _explain_walk(cases):
    """explain(function) for diagnose.after_check: the first node, in backward order, whose gradient differs."""
    def explain(function):
        runs = []
        for case in cases:
            grads = observe_walk(function, case.make())
            if read_gradients(grads)[1]:
                return None
            (root,) = case.make()
            order = topological_order(root)
            right = observe_walk(backward_solution, (root,))
            runs.append((case, grads[::-1], right[::-1], _node_names(order)))
        for i, (case, got, right, names) in enumerate(runs):
            told = diagnose.compare(dict(zip(names, got)), dict(zip(names, right)), names, cause=_walk_cause,
                                    where="" if i == 0 else f"On {case.name}, ", everything="every node's gradient")
            if told:
                return told
        return None
    return explain


def backward(function):
    """Check `backward(root)`, which must fill `.grad` of every node of root's graph."""
    started = time.monotonic()
    cases = _backward_cases()
    feedback = check_function(
        function, cases=cases, expected=backward_solution, read=read_gradients,
        observe=observe_walk, slips=BACKWARD_SLIPS, arguments="root", what="backward",
        praise="Zero, seed, walk back, and add at every fork: that is the whole of backprop.")
    return diagnose.after_check(feedback, function, _explain_walk(cases), BACKWARD_SLIPS, started,
                                expected=backward_solution)


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


def _sigmoid_number(x):
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


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
    Slip(_operation_slip(_SP, lambda x, out: 1.0 / (1.0 + math.exp(x))),
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
