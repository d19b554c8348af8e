"""A `Network`'s forward pass and loss rebuilt from single `Value`s, so autograd can differentiate it.

    params = ValueParameters(net)            # one Value per weight and bias of `net`
    loss = batch_loss(params, X, y)          # a Value: the same loss as net.loss_value(X, y)
    loss.backward()
    params.gradients()                       # Gradients, as net.gradients(X, y) returns them

Nothing here knows a derivative: every gradient comes from `helpers.autograd`. That is the point:
the same numbers as the hand-written backward pass of `Network`, found by walking a graph.
"""

import numpy as np

from .. import validate
from .autograd import Value
from .network import Gradients, Network

# Activations a Value knows how to apply (softmax only on the output, with cross-entropy).
_ACTIVATIONS = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "linear": lambda z: z}
_LOSSES = ("squared_error", "half_squared_error", "mse", "cross_entropy")


class ValueParameters:
    """One Value per weight and per bias of `net`, laid out as W[l][j][i] and b[l][j] (l = 1..D)."""

    def __init__(self, net):
        if not isinstance(net, Network):
            raise TypeError(f"net must be a helpers Network, such as Network([2, 2, 1], 'sigmoid'), but got "
                            f"{validate.describe(net)}")
        self.net = net
        D = net.depth
        for l in range(1, D + 1):
            name = net.activations[l].name
            if name not in _ACTIVATIONS and not (name == "softmax" and l == D):
                raise ValueError(f"layer {l}'s activation {name!r} has no Value version; "
                                 f"use one of {sorted(_ACTIVATIONS)}")
        if net.loss.name not in _LOSSES:
            raise ValueError(f"the loss {net.loss.name!r} has no Value version; use one of {list(_LOSSES)}")
        self.W = {l: [[Value(w, label=f"W[{l}]{j + 1}{i + 1}") for i, w in enumerate(row)]
                      for j, row in enumerate(net.W[l])] for l in range(1, D + 1)}
        self.b = {l: [Value(v, label=f"b[{l}]{j + 1}") for j, v in enumerate(net.b[l])] for l in range(1, D + 1)}

    def all(self):
        """Every parameter Value, in the order of `Network.parameters()`."""
        return [v for l in sorted(self.W) for v in [*(w for row in self.W[l] for w in row), *self.b[l]]]

    def gradients(self):
        """The `.grad` of every parameter, as a `Gradients` (dL_dW[l], dL_db[l] arrays; no δ)."""
        grads = Gradients()
        for l in self.W:
            grads.dL_dW[l] = np.array([[w.grad for w in row] for row in self.W[l]])
            grads.dL_db[l] = np.array([v.grad for v in self.b[l]])
        return grads

    def step(self, eta):
        """w ← w − η·∂L/∂w for every parameter, in place, then copy the numbers back into `net`."""
        eta = validate.learning_rate(eta)  # positive and finite: a step of −1 or NaN climbs or breaks every weight
        for v in self.all():
            v.data -= eta * v.grad
        for l in self.W:
            self.net.W[l] = np.array([[w.data for w in row] for row in self.W[l]])
            self.net.b[l] = np.array([v.data for v in self.b[l]])


def _parameters(params, caller):
    """`params` if it is a ValueParameters; a Network or anything else gets an error saying what to pass."""
    if isinstance(params, Network):
        raise TypeError(f"{caller} takes the network's Values, not the Network itself: make them with "
                        f"params = ValueParameters(net), then call {caller}(params, ...)")
    if not isinstance(params, ValueParameters):
        raise TypeError(f"params must be the ValueParameters(net) of a network, but got {validate.describe(params)}")
    return params


def forward(params, x):
    """The outputs z[D] (before a softmax) or a[D] (otherwise) for one sample `x`, as a list of Values.

    x: one sample's inputs, as many numbers (or Values) as the network has inputs.
    """
    params = _parameters(params, "forward")
    net = params.net
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or np.ndim(x) > 1:
        raise TypeError(f"x must be one sample's {net.sizes[0]} inputs, such as a list of numbers, but got "
                        f"{validate.describe(x)}")
    a = list(x)
    if len(a) != net.sizes[0]:
        raise ValueError(f"x holds {len(a)} input{'s' if len(a) != 1 else ''}, but the network takes "
                         f"{net.sizes[0]}: one number (or Value) per input")
    for i, a_i in enumerate(a):
        if not isinstance(a_i, Value):
            a[i] = validate.as_number(a_i, f"x[{i}]")
    for l in range(1, net.depth + 1):
        z = []
        for row, bias in zip(params.W[l], params.b[l]):
            total = bias
            for w, a_i in zip(row, a):
                total = total + w * a_i          # z_j = Σ_i W_ji a_i + b_j, one product at a time
            z.append(total)
        name = net.activations[l].name
        a = z if name == "softmax" else [_ACTIVATIONS[name](z_j) for z_j in z]
    return a


def batch_loss(params, X, y):
    """The loss of `params.net` on the batch (X, y) as one Value, built from single numbers.

    X: (N, inputs) array; y: targets as `Network` takes them (class labels for cross-entropy).
    """
    net = _parameters(params, "batch_loss").net
    X = net.check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    total = Value(0.0)
    for x_row, y_row in zip(X, Y):
        out = forward(params, x_row)
        if net.loss.name == "cross_entropy":
            # −log softmax(z)_k = log Σ exp(z_i − c) − (z_k − c), with c the largest logit (a plain
            # number, so it shifts nothing in the gradient and keeps exp() finite).
            c = max(z.data for z in out)
            total_exp = sum(((z - c).exp() for z in out), Value(0.0))
            sample = total_exp.log() - sum((z - c) * float(t) for z, t in zip(out, y_row))
        else:
            sample = sum(((o - float(t)) ** 2 for o, t in zip(out, y_row)), Value(0.0))
            if net.loss.name == "half_squared_error":
                sample = sample * 0.5
            elif net.loss.name == "mse":
                sample = sample / len(out)
        total = total + sample
    return total / X.shape[0]
