"""The checks `Network` makes at its public boundary, kept out of the way of its maths.

Each one takes what a caller passed and returns it clean (float64 arrays of the right shapes), or
raises an error that names the argument, what was expected and what came. `network.py` holds the
forward and backward passes; everything here only decides whether they may run.
"""

import numpy as np

from .. import validate
from .activations import get_activation
from .losses import check_targets as check_loss_targets, get_loss, one_hot

# A network with more weights than this is almost surely a typo in `sizes` (80 MB of float64).
MAX_PARAMETERS = 10_000_000
# Starting weights are usually near 1/√(inputs), 0.1 to 1; far larger ones saturate every neuron.
MAX_WEIGHT_SCALE = 1000.0

# The square of a gap between ŷ and y must stay below the largest float, about 1.8e308.
MAX_TARGET = 1e150


def sizes(value):
    """The layer sizes as a list of whole numbers >= 1, input first, with at most MAX_PARAMETERS parameters."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        kind = " (a set keeps no order, so the layers would be shuffled)" if isinstance(value, (set, frozenset)) else ""
        raise TypeError(f"sizes must be a list of layer sizes such as [2, 3, 1], but got "
                        f"{validate.describe(value)}{kind}")
    if len(value) < 2:
        raise ValueError(f"sizes needs at least an input and an output size, such as [2, 1], but got {list(value)}")
    checked = [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(value)]
    count = sum((n_in + 1) * n_out for n_in, n_out in zip(checked, checked[1:]))
    if count > MAX_PARAMETERS:
        raise ValueError(f"sizes {checked} would make a network with {count:,} weights and biases, far more "
                         f"than this course needs; at most {MAX_PARAMETERS:,} are allowed")
    return checked


def activations_and_loss(activations, loss, sizes):
    """({layer: Activation} for layers 1..D, the Loss), checked against each other and the sizes."""
    depth = len(sizes) - 1
    if isinstance(activations, str):
        activations = [activations] * depth
    if not isinstance(activations, (list, tuple)):
        raise TypeError(f"activations must be a name such as 'sigmoid' or a list with one name per layer, "
                        f"but got {activations!r}")
    activations = list(activations)
    if len(activations) != depth:
        raise ValueError(f"activations must name one activation per layer ({depth} for sizes {sizes}), "
                         f"but got {len(activations)}: {activations}")
    by_layer = {l: get_activation(name) for l, name in enumerate(activations, start=1)}
    for l, act in by_layer.items():
        if act.name == "softmax" and l != depth:
            raise ValueError(f"softmax can only be the output layer's activation, but layer {l} of {depth} uses it")
    if by_layer[depth].name == "softmax" and sizes[-1] < 2:
        raise ValueError("a softmax output needs at least 2 output neurons, but the output layer has 1")
    loss = get_loss(loss)
    out = by_layer[depth].name
    if loss.name == "binary_cross_entropy" and out != "sigmoid":
        raise ValueError(f"loss 'binary_cross_entropy' needs a 'sigmoid' output layer, but layer {depth} uses {out!r}")
    if loss.name == "cross_entropy" and out != "softmax":
        raise ValueError(f"loss 'cross_entropy' needs a 'softmax' output layer, but layer {depth} uses {out!r}")
    return by_layer, loss


def weight_scale(value):
    """None, or the spread of the starting weights: a positive number up to MAX_WEIGHT_SCALE."""
    if value is None:
        return None
    value = validate.as_number(value, "weight_scale")
    if not 0 < value <= MAX_WEIGHT_SCALE:
        raise ValueError(f"weight_scale must be a positive number up to {MAX_WEIGHT_SCALE:g} (the spread of "
                         f"the starting weights, usually 0.1 to 1), but got {value:g}")
    return value


def by_layer(value, name):
    """Per-layer arrays as a list, layer 1 first: from a list, or a dict keyed by layer number."""
    if isinstance(value, dict):
        if not all(isinstance(l, (int, np.integer)) and not isinstance(l, bool) for l in value):
            raise TypeError(f"{name} as a dict must be keyed by layer number 1, 2, ..., but its keys are {list(value)}")
        return [value[l] for l in sorted(value)]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list with one array per layer (layer 1 first) or a dict keyed by layer "
                        f"number, but got {validate.describe(value)}")
    return list(value)


def weights_for_new_network(W, b):
    """(W, b) given to Network.from_weights as lists, layer 1 first, W's arrays checked to chain together."""
    W, b = by_layer(W, "W"), by_layer(b, "b")
    if not W:
        raise ValueError("W must hold at least one layer's weights")
    W = [validate.as_array(w, f"W{l}", ndim=2) for l, w in enumerate(W, start=1)]
    shape_rule = "W[l] has shape (neurons in layer l, neurons in layer l-1)"
    for l in range(2, len(W) + 1):
        if W[l - 1].shape[1] != W[l - 2].shape[0]:
            raise ValueError(f"W{l} has shape {W[l - 1].shape}, so it takes {W[l - 1].shape[1]} input"
                             f"{'s' if W[l - 1].shape[1] != 1 else ''}, but W{l - 1} "
                             f"has shape {W[l - 2].shape}, so layer {l - 1} gives {W[l - 2].shape[0]}; "
                             f"{shape_rule}: is one of them transposed?")
    if len(b) == len(W):
        for l, (w, bias) in enumerate(zip(W, b), start=1):
            n = np.size(bias)
            if n != w.shape[0] and n == w.shape[1] and w.shape[0] != w.shape[1]:
                raise ValueError(f"W{l} has shape {w.shape}, so layer {l} has {w.shape[0]} neurons, but b{l} holds "
                                 f"{n} values; {shape_rule}: is W{l} transposed?")
    return W, b


def new_weights(net, W, b):
    """({l: W[l]}, {l: b[l]}) for Network.set_weights: copies of the given arrays, each shape checked."""
    W, b = by_layer(W, "W"), by_layer(b, "b")
    for name, given in (("W", W), ("b", b)):
        if len(given) != net.depth:
            raise ValueError(f"{name} must hold {net.depth} layers for sizes {net.sizes}, but it holds {len(given)}")
    new_W, new_b = {}, {}
    for l in range(1, net.depth + 1):
        n_in, n_out = net.sizes[l - 1], net.sizes[l]
        w = validate.as_array(W[l - 1], f"W{l}", ndim=2)
        if w.shape != (n_out, n_in):
            raise ValueError(f"W{l} has shape {w.shape} but layer {l} needs ({n_out}, {n_in}): "
                             f"{n_out} neurons, each taking the {n_in} outputs of layer {l - 1}")
        bias = validate.as_array(b[l - 1], f"b{l}", ndim=1)
        if bias.shape != (n_out,):
            raise ValueError(f"b{l} has shape {bias.shape} but layer {l} has {n_out} neurons, so it needs ({n_out},)")
        new_W[l], new_b[l] = w.copy(), bias.copy()
    return new_W, new_b


class Layers(dict):
    """A network's W or b: a dict keyed by layer number 1..D that checks what is stored in it.

    `net.W[1] = [[0.1, 0.2], ...]` stores a float64 array (a list is converted), and a value of the
    wrong shape is refused here, at the line that assigns it, with the shape layer l needs.
    """

    def __init__(self, name, shapes):
        super().__init__()
        self.name = name      # "W" or "b"
        self.shapes = shapes  # {layer: the shape that layer's array must have}

    def __setitem__(self, l, value):
        shapes = self.__dict__.get("shapes")
        if shapes is None:  # being rebuilt by pickle, before its attributes are back: store as it was
            return dict.__setitem__(self, l, value)
        if isinstance(l, bool) or l not in shapes:
            raise KeyError(f"{self.name}[{l!r}] does not exist: this network's layers are numbered "
                           f"{min(shapes)} to {max(shapes)}, counting from 1 (layer 1 is the first after the input)")
        where = f"{self.name}[{l}]"
        given = value
        if not (isinstance(value, np.ndarray) and value.dtype == np.float64):
            value = validate.as_array(value, where, allow_empty=True)
        shape = shapes[l]
        if value.shape != shape:
            what = (f"{shape[0]} neurons in layer {l}, each taking the {shape[1]} outputs of layer {l - 1}"
                    if self.name == "W" else f"one bias per neuron of layer {l}")
            hint = ("; is it transposed?" if self.name == "W" and value.shape == shape[::-1] else "")
            came = (validate.describe(value) if isinstance(given, np.ndarray)
                    else f"{validate.describe(given)}, of shape {value.shape}")
            raise ValueError(f"{where} must have shape {shape} ({what}), but got {came}{hint}")
        dict.__setitem__(self, l, value)

    def update(self, *args, **kwargs):
        for l, value in dict(*args, **kwargs).items():
            self[l] = value  # each one checked, as `W[l] = value` is


def layers(value, name, shapes):
    """`value` as a checked dict of layers (a Layers); a list is refused, since its numbering starts at 0."""
    listed = ", ".join(f"{l}: {name}{l}" for l in shapes)
    if isinstance(value, (list, tuple)):
        raise TypeError(f"net.{name} must be a dict keyed by layer number, {{{listed}}}, but got a "
                        f"{type(value).__name__}: layers count from 1, and a {type(value).__name__} counts from 0, "
                        f"so {name}[1] would be the second layer's. Write net.{name} = {{{listed}}}, or use "
                        "net.set_weights(W, b), which takes lists (layer 1 first)")
    if not isinstance(value, dict):
        raise TypeError(f"net.{name} must be a dict keyed by layer number, {{{listed}}}, but got "
                        f"{validate.describe(value)}")
    if sorted(value, key=repr) != sorted(shapes, key=repr):
        raise ValueError(f"net.{name} must hold layers {list(shapes)} (keyed by layer number, {{{listed}}}), "
                         f"but its keys are {list(value)}")
    checked = Layers(name, shapes)
    for l in shapes:
        checked[l] = value[l]
    return checked


def weights(net):
    """Every W[l] and b[l] of `net` has its layer's shape and holds only finite numbers."""
    for l in range(1, net.depth + 1):
        n_in, n_out = net.sizes[l - 1], net.sizes[l]
        if np.shape(net.W[l]) != (n_out, n_in):
            raise ValueError(f"W{l} has shape {np.shape(net.W[l])} but layer {l} needs ({n_out}, {n_in})")
        if np.shape(net.b[l]) != (n_out,):
            raise ValueError(f"b{l} has shape {np.shape(net.b[l])} but layer {l} needs ({n_out},)")
        for name, value in ((f"W{l}", net.W[l]), (f"b{l}", net.b[l])):
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name} contains NaN or inf; training has diverged, so rebuild the network "
                                 "or lower the learning rate")


def inputs(net, X, name="X"):
    """X as a float64 batch of shape (N, inputs); one sample of shape (inputs,) becomes (1, inputs)."""
    X = validate.as_array(X, name, ndim=(1, 2))
    if X.ndim == 1 and X.size != net.sizes[0]:
        n_in = net.sizes[0]
        hint = (f"; if it holds {X.size // n_in} samples of {n_in} feature{'s' if n_in > 1 else ''}, pass "
                f"np.reshape({name}, (-1, {n_in}))" if X.size % n_in == 0 else "")
        raise ValueError(f"{name} has shape {X.shape}: one sample with {X.size} feature{'s' if X.size != 1 else ''}, "
                         f"but the network expects {n_in} input{'s' if n_in > 1 else ''}{hint}")
    X = np.atleast_2d(X)
    if X.shape[1] != net.sizes[0]:
        raise ValueError(f"{name} has {X.shape[1]} features per sample (shape {X.shape}) but the network "
                         f"expects {net.sizes[0]} inputs")
    return X


def targets(net, y, n_samples, name="y"):
    """Targets as rows matching the output layer, shape (N, outputs).

    For 'cross_entropy', integer labels of shape (N,) are turned into one-hot rows; for one
    output, y of shape (N,) is accepted as a column.
    """
    n_out = net.sizes[-1]
    y = validate.as_array(y, name, ndim=(0, 1, 2))
    if net.loss.name == "cross_entropy" and y.ndim <= 1:
        labels = np.atleast_1d(y)
        if labels.shape != (n_samples,):
            raise ValueError(f"{name} holds {labels.size} labels but X holds {n_samples} samples")
        fractional = labels[labels != np.round(labels)]
        if fractional.size:
            raise ValueError(f"{name} must hold whole-number class labels, but it holds {fractional[0]:g}")
        if labels.min() < 0 or labels.max() >= n_out:
            raise ValueError(f"{name} must hold class labels 0 to {n_out - 1} (one per output neuron), but it holds "
                             f"values from {labels.min():g} to {labels.max():g}")
        return one_hot(labels, n_out)
    if y.ndim == 0 or (y.ndim == 1 and n_out == 1 and y.size == n_samples):
        y = y.reshape(n_samples, 1) if y.size == n_samples else y.reshape(1, -1)
    elif y.ndim == 1 and n_samples == 1:
        y = y.reshape(1, -1)
    if y.shape != (n_samples, n_out):
        raise ValueError(f"{name} has shape {y.shape} but the network gives {n_out} outputs for each of "
                         f"{n_samples} samples, so y needs shape ({n_samples}, {n_out})")
    largest = np.max(np.abs(y))
    if largest > MAX_TARGET:
        raise ValueError(f"{name} holds {largest:.3g}; a target that large makes the squared error overflow "
                         f"floating-point numbers, so keep every target below {MAX_TARGET:g}")
    check_loss_targets(net.loss.name, y, name)  # the same check as the loss functions make
    return y


def finite_forward_pass(fp, X, depth):
    """A clear error instead of inf or NaN when a forward pass's numbers overflowed."""
    for l in range(1, depth + 1):
        if not (np.all(np.isfinite(fp.z[l])) and np.all(np.isfinite(fp.a[l]))):
            raise ValueError(f"z[{l}] overflowed: X (largest size {np.max(np.abs(X)):.3g}) and the weights are too "
                             "large for floating-point numbers; scale X to values near 1 "
                             "(helpers.data.Standardizer does that)")


def forward_pass(net, fp, kind):
    """`fp` is a `kind` (ForwardPass) holding every layer of `net`, each as wide as its layer."""
    if not isinstance(fp, kind):
        raise TypeError(f"fp must be the ForwardPass that this network's forward(X) returns, but got "
                        f"{validate.describe(fp)}; call net.backward(net.forward(X), y)")
    if sorted(fp.a) != list(range(net.depth + 1)) or sorted(fp.z) != list(range(1, net.depth + 1)):
        raise ValueError(f"fp holds layers {sorted(fp.a)}, but this network has layers 0 to {net.depth}; "
                         "was it computed by another network?")
    for l in range(net.depth + 1):
        width = np.shape(fp.a[l])[-1] if np.ndim(fp.a[l]) == 2 else None
        if width != net.sizes[l]:
            raise ValueError(f"fp.a[{l}] has shape {np.shape(fp.a[l])}, but layer {l} of this network has "
                             f"{net.sizes[l]} neurons; was fp computed by another network?")


def gradients(grads, kind):
    """`grads` is a `kind` (Gradients), as backward() and gradients() return."""
    if not isinstance(grads, kind):
        raise TypeError(f"grads must be the Gradients that backward() or gradients() returns, but got "
                        f"{validate.describe(grads)}")


def gradients_fit(net, grads):
    """Every ∂L/∂W[l] and ∂L/∂b[l] in `grads` has the shape of the parameter it updates."""
    for l in range(1, net.depth + 1):
        for name, grad, param in ((f"dL_dW[{l}]", grads.dL_dW.get(l), net.W[l]),
                                  (f"dL_db[{l}]", grads.dL_db.get(l), net.b[l])):
            if np.shape(grad) != param.shape:
                raise ValueError(f"{name} has shape {np.shape(grad)} but the parameter it updates has shape "
                                 f"{param.shape}; were these gradients computed for another network?")
