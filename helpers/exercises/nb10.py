"""Checks for notebook 10, where the learner writes part of an autograd engine.

Four code exercises, each run by `helpers.codecheck` on the worked example and hidden random cases:

    check.mul_backward(mul_backward)     out = a·b: what each input's gradient gains
    check.tanh_backward(tanh_backward)   out = tanh(x): what x's gradient gains
    check.backward(backward)             the backward walk over a whole graph
    check.softplus(softplus)             a new operation: its forward value and what backward() passes to x

Every slip each one names is in its `*_SLIPS` list, written as a function with the same mistake.
The fourth lives in `nb10_softplus.py` and is importable from here.
"""

import math
import time

import numpy as np

from ..checking import diagnose
from ..core.autograd import topological_order
from ..core.autograd_examples import fork, random_graph, two_two_one
from ..checking.codecheck import Case, Slip, check_function, read_numbers, shown

from ._nb10_cases import _SEED, N_HIDDEN, _away_from_one, _hidden  # noqa: F401


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


# Exercise 4, softplus, one module of its own (nb10_softplus.py), kept importable from here.
from .nb10_softplus import (  # noqa: E402, F401
    _GRAPH_NAMES, _NODE_NAMES, _NUDGE, observe_graph, observe_operation, observe_softplus, _Odd, _operation_slip,
    read_operation, _SIG, _sigmoid_number, softplus, softplus_by_nudging, _softplus_cases, SOFTPLUS_EXAMPLE,
    SOFTPLUS_GRAPH_EXAMPLE, _softplus_number, SOFTPLUS_SLIPS, softplus_solution, _SP, _unpack, walk_with_operation,
)
