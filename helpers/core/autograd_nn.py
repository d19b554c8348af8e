"""Neurons, layers and networks made of `Value`s, each a `Module` with `parameters()` and `zero_grad()`.

Notebook 10, section 9. The engine (helpers.autograd) knows every derivative; this module only
arranges Values into neurons, as micrograd's `nn.py` does and as PyTorch's `torch.nn` does for arrays:

    model = MLP([2, 8, 2], ["tanh", "linear"], seed=0)     # the same starting weights as Network(..., seed=0)
    losses = [cross_entropy(model(x), label) for x, label in zip(X, labels)]   # forward and loss
    loss = sum(losses) / len(losses)
    model.zero_grad()                                      # every parameter's .grad back to 0
    loss.backward(accumulate=True)                         # the shares add to .grad, as in PyTorch
    for p in model.parameters():                           # the step: w ← w − η·∂L/∂w
        p.data -= eta * p.grad

A `Module` is anything that can list its parameters: `Neuron`, `Layer`, `MLP`, and `TwoTwoOneModel`
(notebook 04's 2-2-1 example, whose hidden neurons each see one input).
"""

import math

import numpy as np

from .. import validate
from .autograd import Value
from .network import Gradients, Network
from .tiny import EXAMPLE_WEIGHTS

__all__ = ["Module", "Neuron", "Layer", "MLP", "TwoTwoOneModel", "cross_entropy", "ACTIVATIONS"]

# The activations a neuron made of Values can apply. A softmax belongs to the loss (cross_entropy).
# Single Values are slow (section 8 of notebook 10 times them): a network of more would take minutes a step.
MAX_PARAMETERS = 10_000
ACTIVATIONS = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "linear": lambda z: z}


def _activation(name, what="activation"):
    if not isinstance(name, str) or name not in ACTIVATIONS:
        hint = (" (a softmax is part of the loss here: use 'linear' outputs and cross_entropy)"
                if name == "softmax" else "")
        raise ValueError(f"{what} must be one of {sorted(ACTIVATIONS)}, but got {validate.describe(name)}{hint}")
    return name


def _inputs(x, n_inputs, who):
    """x as a list of Values or floats, one per input, or a clear error."""
    if isinstance(x, (str, bytes, Value)) or not hasattr(x, "__len__") or np.ndim(x) > 1:
        inputs = f"{n_inputs} input{'s' if n_inputs != 1 else ''}"
        raise TypeError(f"x must be one sample's {inputs}, such as a list of numbers, but got {validate.describe(x)}")
    x = list(x)
    if len(x) != n_inputs:
        raise ValueError(f"x holds {len(x)} input{'s' if len(x) != 1 else ''}, but {who} takes {n_inputs}")
    return [x_i if isinstance(x_i, Value) else validate.as_number(x_i, f"x[{i}]") for i, x_i in enumerate(x)]


class Module:
    """Anything made of learnable Values. A subclass lists them in `parameters()`; the rest follows."""

    def parameters(self):
        """Every learnable Value of the module, as a list (the same Value objects, not copies)."""
        return []

    def zero_grad(self):
        """Set `.grad` of every parameter to 0.0: needed before each `backward(accumulate=True)`, which adds."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: a = activation(w₁x₁ + w₂x₂ + … + b), with a Value per weight and one for the bias.

    weights: the starting weights, one number per input. bias: the starting bias, or None for a neuron
    without one (notebook 04's 2-2-1 example has none). activation: 'sigmoid', 'tanh', 'relu' or 'linear'.
    The parameters are labelled w1, w2, …, b until a Layer or an MLP names them by their place.

    Used in notebook 10.
    """

    def __init__(self, weights, bias=0.0, activation="tanh"):
        weights = validate.as_array(weights, "weights", ndim=1)
        self.w = [Value(float(v), label=f"w{i + 1}") for i, v in enumerate(weights)]
        self.b = None if bias is None else Value(validate.as_number(bias, "bias"), label="b")
        self.activation = _activation(activation)

    @property
    def n_inputs(self):
        return len(self.w)

    def __call__(self, x):
        """The neuron's output for one sample x (numbers or Values, one per input), as a Value."""
        x = _inputs(x, self.n_inputs, f"this neuron ({self.n_inputs} weights)")
        z = self.w[0] * x[0]
        for w_i, x_i in zip(self.w[1:], x[1:]):
            z = z + w_i * x_i
        if self.b is not None:
            z = z + self.b
        return ACTIVATIONS[self.activation](z)

    def parameters(self):
        return self.w + ([] if self.b is None else [self.b])

    def __repr__(self):
        bias = "" if self.b is not None else ", no bias"
        return f"Neuron({self.n_inputs} input{'s' if self.n_inputs != 1 else ''}, {self.activation}{bias})"


class Layer(Module):
    """A row of neurons that all see the same inputs: a[l] = activation(W[l]·a[l−1] + b[l]).

    W: array of shape (neurons, inputs), one row per neuron, as Network.W[l]. b: shape (neurons,).
    """

    def __init__(self, W, b, activation="tanh"):
        W = validate.as_array(W, "W", ndim=2)
        b = validate.as_array(b, "b", ndim=1)
        if b.shape[0] != W.shape[0]:
            raise ValueError(f"W has shape {W.shape}, so the layer has {W.shape[0]} neurons, but b holds "
                             f"{b.shape[0]} values: one bias per neuron")
        self.neurons = [Neuron(row, bias, activation) for row, bias in zip(W, b)]
        self.activation = _activation(activation)

    def __call__(self, x):
        """The layer's outputs for one sample x, as a list of Values (one per neuron)."""
        x = _inputs(x, self.neurons[0].n_inputs, f"this layer ({self.neurons[0].n_inputs} inputs)")
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        """Every neuron's weights, row by row, then the biases: the order of W[l] and b[l] in Network.parameters()."""
        return [w for neuron in self.neurons for w in neuron.w] + [n.b for n in self.neurons if n.b is not None]

    def __repr__(self):
        return f"Layer({self.neurons[0].n_inputs} → {len(self.neurons)}, {self.activation})"


class MLP(Module):
    """Layers one after another: sizes [2, 8, 2] is 2 inputs, 8 hidden neurons, 2 outputs.

    activations: one name for every layer, or one per layer after the input. seed: the starting weights
    are drawn exactly as Network(sizes, ..., seed=seed) draws them (normal, spread 1/√inputs; biases 0),
    so an MLP and a Network with the same seed start from the same numbers.
    Parameters are labelled W[l]ji and b[l]j, as in notebook 06, and listed in the order of
    Network.parameters(): W[1] row by row, b[1], W[2], b[2], …

    Used in notebook 10.
    """

    def __init__(self, sizes, activations="tanh", *, seed=0):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must be a list such as [2, 8, 2], input size first, but got "
                             f"{validate.describe(sizes)}")
        sizes = [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        count = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))
        if count > MAX_PARAMETERS:
            raise ValueError(f"sizes {sizes} would make {count:,} weights and biases, each a Python object; "
                             f"at most {MAX_PARAMETERS:,} are allowed (arrays, as in Network, suit larger networks)")
        depth = len(sizes) - 1
        if isinstance(activations, str):
            activations = [activations] * depth
        if not isinstance(activations, (list, tuple)) or len(activations) != depth:
            raise ValueError(f"activations must be one name or a list of {depth} (one per layer after the "
                             f"input), but got {validate.describe(activations)}")
        for l, name in enumerate(activations, start=1):
            _activation(name, f"layer {l}'s activation")
        rng = np.random.default_rng(validate.seed(seed))
        self.layers = []
        for n_in, n_out, name in zip(sizes, sizes[1:], activations):
            W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))  # as Network draws them
            self.layers.append(Layer(W, np.zeros(n_out), name))
        self.sizes = sizes
        self._name_parameters()

    @classmethod
    def from_network(cls, net):
        """An MLP with a copy of `net`'s weights and biases. A softmax output layer becomes 'linear' (its
        outputs are the logits z[D]), since `cross_entropy` applies the softmax itself."""
        if not isinstance(net, Network):
            raise TypeError(f"net must be a helpers Network, but got {validate.describe(net)}")
        model = cls.__new__(cls)
        model.layers = []
        for l in range(1, net.depth + 1):
            name = net.activations[l].name
            name = "linear" if name == "softmax" else name
            model.layers.append(Layer(net.W[l], net.b[l], _activation(name, f"layer {l}'s activation")))
        model.sizes = list(net.sizes)
        model._name_parameters()
        return model

    def _name_parameters(self):
        for l, layer in enumerate(self.layers, start=1):
            for j, neuron in enumerate(layer.neurons, start=1):
                for i, w in enumerate(neuron.w, start=1):
                    w.label = f"W[{l}]{j}{i}"
                neuron.b.label = f"b[{l}]{j}"

    def __call__(self, x):
        """The outputs of the last layer for one sample x, as a list of Values."""
        a = x
        for layer in self.layers:
            a = layer(a)
        return a

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """The `.grad` of every parameter as a `Gradients` (dL_dW[l], dL_db[l] arrays), to set beside
        Network.gradients()."""
        grads = Gradients()
        for l, layer in enumerate(self.layers, start=1):
            grads.dL_dW[l] = np.array([[w.grad for w in neuron.w] for neuron in layer.neurons])
            grads.dL_db[l] = np.array([neuron.b.grad for neuron in layer.neurons])
        return grads

    def __repr__(self):
        return "MLP(" + ", ".join(repr(layer) for layer in self.layers) + ")"


class TwoTwoOneModel(Module):
    """Notebook 04's 2-2-1 network as three Neurons: h1 = σ(w1·x1), h2 = σ(w2·x2), ŷ = w3·h1 + w4·h2.

    Each hidden neuron sees one input and no neuron has a bias, so it is not a Layer of an MLP (where
    every neuron sees every input). weights: a dict with w1..w4 (notebook 04's by default).

    Used in notebook 10.
    """

    def __init__(self, weights=None):
        weights = EXAMPLE_WEIGHTS if weights is None else weights
        if not isinstance(weights, dict) or sorted(map(str, weights)) != ["w1", "w2", "w3", "w4"]:
            raise ValueError(f"weights must be a dict with w1, w2, w3 and w4, but got {validate.describe(weights)}")
        self.hidden = [Neuron([weights["w1"]], None, "sigmoid"), Neuron([weights["w2"]], None, "sigmoid")]
        self.output = Neuron([weights["w3"], weights["w4"]], None, "linear")
        for p, name in zip(self.parameters(), ("w1", "w2", "w3", "w4")):
            p.label = name

    def __call__(self, x):
        """ŷ for the inputs x = (x1, x2), as a Value."""
        x1, x2 = _inputs(x, 2, "the 2-2-1 network")
        h1 = self.hidden[0]([x1])
        h2 = self.hidden[1]([x2])
        return self.output([h1, h2])

    def parameters(self):
        return self.hidden[0].parameters() + self.hidden[1].parameters() + self.output.parameters()


def cross_entropy(logits, label):
    """−log softmax(z)[label] for one sample, as a Value: log Σ exp(z_i − c) − (z_label − c).

    logits: the outputs z of the last layer (Values), label: the right class (0, 1, …). c is the largest
    logit as a plain number: it changes no gradient and keeps every exp() finite.

    Used in notebook 10.
    """
    if isinstance(logits, Value) or not isinstance(logits, (list, tuple)) or len(logits) < 2 \
            or not all(isinstance(z, Value) for z in logits):
        raise TypeError(f"logits must be a list of at least 2 Values (the model's outputs), but got "
                        f"{validate.describe(logits)}")
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < len(logits):
        raise ValueError(f"label must be a class number from 0 to {len(logits) - 1}, "
                         f"but got {validate.describe(label)}")
    c = max(z.data for z in logits)
    if not math.isfinite(c):
        raise ValueError(f"the logits hold {c}: the model's outputs are no longer finite numbers")
    total = (logits[0] - c).exp()
    for z in logits[1:]:
        total = total + (z - c).exp()
    return total.log() - (logits[int(label)] - c)
