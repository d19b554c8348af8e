"""A tiny automatic-differentiation engine on single numbers: backprop on any computation.

    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    L = (a * b + a).tanh()
    L.backward()            # fills a.grad and b.grad with ∂L/∂a and ∂L/∂b

Every operation builds a new Value that remembers its inputs (`parents`) and, computed right beside
its forward value, the local derivative of its output with respect to each input (`local_grads`).
That is all the backward pass needs: it visits the nodes from the output back to the inputs, and
each node passes its gradient to its parents, multiplied by the local derivative:

    parent.grad += local_grad * node.grad      (the chain rule; += because of forks)

A value that feeds several later nodes (a fork) receives one contribution along each path, and
the contributions add. The names follow micrograd and PyTorch: `data`, `grad`, `backward()`.
"""

import math
import numbers

import numpy as np

from .activations import _sigmoid_number
from ..validate import describe

_sigmoid = _sigmoid_number  # σ of one float; notebook 10 prints Value.sigmoid, which reads it by this name

__all__ = ["Value", "topological_order", "backward_steps", "Step", "Contribution", "count_nodes"]


def _number(value, what, *, or_value=False):
    """value as a float, or a TypeError that says which operation got what."""
    if type(value) is float:  # what every operation passes: answered before the slower checks below
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return _number(value.item(), what, or_value=or_value)
        expected = "a single real number or a Value" if or_value else "a single real number"
        raise TypeError(f"{what} must be {expected}, but got {describe(value)}")
    return float(value)


def _value(other, op):
    """other as a Value: a plain number becomes a constant leaf."""
    if isinstance(other, Value):
        return other
    return Value(_number(other, f"the other operand of {op}", or_value=True), label=_short(other))


def _short(number):
    return f"{float(number):g}"


class Value:
    """One number in a computation, with the gradient ∂(output)/∂(this number) after `backward()`.

    data: the number (a float). grad: filled by `backward()` on a later Value, 0.0 before.
    label: a name for figures and messages ('' if none). op: the operation that made it ('' for an input).
    parents: the Values it was computed from. local_grads: ∂(this)/∂(parent), one number per parent,
    computed during the forward pass.

    Used in notebook 10.
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")

    def __init__(self, data, label="", *, _parents=(), _local_grads=(), _op=""):
        self.data = _number(data, "Value's data")
        if not isinstance(label, str):
            raise TypeError(f"label must be text, such as 'w1', but got {describe(label)}")
        self.label = label
        self.grad = 0.0
        self.op = _op
        self.parents = tuple(_parents)
        self.local_grads = tuple(_local_grads)

    def __repr__(self):
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{name})"

    @property
    def name(self):
        """The label, or else the operation, for figures and messages."""
        return self.label or self.op or "input"

    # Each operation: the forward value, and beside it the local derivative for each input.

    def __add__(self, other):
        other = _value(other, "+")
        return Value(self.data + other.data, _parents=(self, other), _local_grads=(1.0, 1.0), _op="+")

    def __mul__(self, other):
        other = _value(other, "*")
        return Value(self.data * other.data, _parents=(self, other),
                     _local_grads=(other.data, self.data), _op="×")

    def __neg__(self):
        return Value(-self.data, _parents=(self,), _local_grads=(-1.0,), _op="−")

    def __sub__(self, other):
        other = _value(other, "-")
        return Value(self.data - other.data, _parents=(self, other), _local_grads=(1.0, -1.0), _op="−")

    def __truediv__(self, other):
        other = _value(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: the divisor {other.name} is 0")
        return Value(self.data / other.data, _parents=(self, other),
                     _local_grads=(1.0 / other.data, -self.data / other.data ** 2), _op="÷")

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("the exponent of ** must be a plain number such as 2, not a Value; "
                            "for a learnable exponent write (exponent * x.log()).exp()")
        n = _number(exponent, "the exponent of **")
        if self.data == 0.0 and n < 1 and n != 0:
            raise ZeroDivisionError(f"{self.name} ** {n:g} needs {self.name} to be non-zero, but it is 0")
        if self.data < 0 and n != int(n):
            raise ValueError(f"{self.name} ** {n:g}: a negative number ({self.data:g}) has no real "
                             f"power {n:g}")
        # x ** 0 is the constant 1, whose slope is 0 everywhere, at x = 0 too (where n·x^(n−1) would
        # divide by zero): PyTorch gives the same.
        local = 0.0 if n == 0 else n * self.data ** (n - 1)
        return Value(self.data ** n, _parents=(self,), _local_grads=(local,), _op=f"**{n:g}")

    def __radd__(self, other):
        return _value(other, "+") + self

    def __rsub__(self, other):
        return _value(other, "-") - self

    def __rmul__(self, other):
        return _value(other, "*") * self

    def __rtruediv__(self, other):
        return _value(other, "/") / self

    def __rpow__(self, base):
        raise TypeError("a Value as an exponent is not supported; write (x * math.log(base)).exp() "
                        "for base ** x")

    def exp(self):
        """e to the power of this value; d/dx eˣ = eˣ."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.name}) overflows: {self.name} = {self.data:g} is above 709") from None
        return Value(out, _parents=(self,), _local_grads=(out,), _op="exp")

    def log(self):
        """The natural logarithm; d/dx ln x = 1/x. Needs a positive value."""
        if self.data <= 0:
            raise ValueError(f"log({self.name}) needs a positive number, but {self.name} = {self.data:g}")
        return Value(math.log(self.data), _parents=(self,), _local_grads=(1.0 / self.data,), _op="log")

    def sigmoid(self):
        """σ(x) = 1 / (1 + e⁻ˣ); σ′(x) = σ(x)(1 − σ(x))."""
        s = _sigmoid(self.data)
        return Value(s, _parents=(self,), _local_grads=(s * (1.0 - s),), _op="σ")

    def tanh(self):
        """tanh(x); its slope is 1 − tanh(x)²."""
        t = math.tanh(self.data)
        return Value(t, _parents=(self,), _local_grads=(1.0 - t ** 2,), _op="tanh")

    def relu(self):
        """max(0, x); slope 1 where x > 0 and 0 elsewhere (0 at exactly x = 0, as most libraries)."""
        positive = self.data > 0
        return Value(self.data if positive else 0.0, _parents=(self,),
                     _local_grads=(1.0 if positive else 0.0,), _op="relu")

    def backward(self, *, accumulate=False):
        """Fill `.grad` of this Value and of every Value it depends on with ∂(this)/∂(that).

        Gradients are computed fresh on each call: every node's grad is set to 0 first, this one's
        to 1. Raises ValueError if a value in the graph is NaN or infinite, naming the first one.

        So `y1.backward()` then `y2.backward()` leaves ∂y2/∂x in `x.grad`, not the sum: the second
        walk starts from 0. (micrograd and PyTorch add to `.grad` instead, and a training loop calls
        `zero_grad()` before each batch.) For the sum of the gradients of several outputs, such as
        the losses of the samples of a batch, add them first and walk once: `(y1 + y2).backward()`
        leaves ∂y1/∂x + ∂y2/∂x in `x.grad`.

        accumulate=True walks as PyTorch does (notebook 10, section 9): the leaves of the graph (Values
        made directly, not computed: inputs, weights, constants) keep what their `.grad` holds and this
        walk's shares add to it, so `y1.backward(accumulate=True)` then `y2.backward(accumulate=True)`
        leaves ∂y1/∂x + ∂y2/∂x in `x.grad`, and only `Module.zero_grad()` (helpers.autograd_nn) or
        `x.grad = 0.0` sets it back. Computed nodes still start from 0 on every walk.
        """
        if not isinstance(accumulate, bool):
            raise TypeError(f"accumulate must be True or False, but got {describe(accumulate)}")
        order = topological_order(self)
        for node in order:
            if not math.isfinite(node.data):
                raise ValueError(f"cannot run backward(): {node.name} = {node.data} in the graph is not a "
                                 "finite number, so no gradient through it would mean anything")
            if not (accumulate and not node.parents):
                node.grad = 0.0
        if accumulate and not self.parents:
            self.grad += 1.0
        else:
            self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad  # += : a fork's paths add up


def topological_order(root):
    """Every Value that `root` depends on, root included, each one after all of its parents.

    Built with an explicit stack instead of recursion, so a graph thousands of nodes deep never
    meets Python's recursion limit. Returns a list, inputs first and root last.

    Used in notebook 10.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, but got {describe(root)}")
    order, seen = [], {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


def count_nodes(root):
    """How many Values the computation of `root` involves (inputs, constants and results). Used in notebook 10."""
    return len(topological_order(root))


class Contribution:
    """What one node passes to one parent in one backward step.

    parent: the Value receiving it; local: ∂(node)/∂(parent); amount = local × node's grad;
    before / after: the parent's running sum of gradient before and after adding it.
    """

    __slots__ = ("parent", "local", "amount", "before", "after")

    def __init__(self, parent, local, amount, before, after):
        self.parent, self.local, self.amount, self.before, self.after = parent, local, amount, before, after


class Step:
    """One step of the backward pass: `node` (its gradient now final, `grad`) and its `contributions`."""

    __slots__ = ("node", "grad", "contributions")

    def __init__(self, node, grad, contributions):
        self.node, self.grad, self.contributions = node, grad, contributions


def backward_steps(root):
    """The backward pass of `root`, one Step per node, in the order it visits them (root first).

    Leaves `.grad` of every node as `root.backward()` does, and returns the list of Steps so that a
    figure or a widget can replay the pass one node at a time. Nodes without parents (inputs and
    constants) get a Step too, with no contributions: their gradient is final there.
    """
    order = topological_order(root)
    root.backward()  # checks the graph and gives the final gradients to compare against
    final = {id(node): node.grad for node in order}
    running = {id(node): 0.0 for node in order}
    running[id(root)] = 1.0
    steps = []
    for node in reversed(order):
        grad = running[id(node)]
        contributions = []
        for parent, local in zip(node.parents, node.local_grads):
            before = running[id(parent)]
            amount = local * grad
            running[id(parent)] = before + amount
            contributions.append(Contribution(parent, local, amount, before, before + amount))
        steps.append(Step(node, grad, contributions))
    assert all(running[k] == final[k] for k in final), "backward_steps must replay backward() exactly"
    return steps
