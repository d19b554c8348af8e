"""A fully connected network of any layer sizes, with its forward and backward passes.

Notation (as in every notebook): layers count from the input, so layer 1 is the first hidden layer
and layer L the output. For layer l,

    z[l] = a[l-1] · W[l]ᵀ + b[l]      (one row per sample; for one sample this is z = W·a + b)
    a[l] = f_l(z[l])

with a[0] = X. W[l] has shape (neurons in layer l, neurons in layer l-1): row j holds the weights
coming into neuron j. The backward pass runs the same layers in reverse:

    δ[L]   = ∂L/∂a[L] ⊙ f_L′(z[L])
    δ[l]   = (δ[l+1] · W[l+1]) ⊙ f_l′(z[l])        each layer reuses the δ of the layer above
    ∂L/∂W[l] = δ[l]ᵀ · a[l-1]      ∂L/∂b[l] = Σ over samples of δ[l]
"""

from dataclasses import dataclass, field

import numpy as np

from . import validate
from .activations import get_activation
from .losses import _log_softmax, _cross_entropy_from_log_probabilities, check_targets, get_loss, one_hot

# A network with more weights than this is almost surely a typo in `sizes` (80 MB of float64).
MAX_PARAMETERS = 10_000_000
# Starting weights are usually near 1/√(inputs), 0.1 to 1; far larger ones saturate every neuron.
MAX_WEIGHT_SCALE = 1000.0

# The square of a gap between ŷ and y must stay below the largest float, about 1.8e308.
MAX_TARGET = 1e150

# Output activation and loss pairs whose combined derivative is simply (a − y) / N. Using it
# directly avoids dividing by probabilities that have rounded to 0 or 1.
_FUSED = {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}
_SQUARED = ("squared_error", "half_squared_error", "mse")


def _squared_loss(name, y_hat, Y):
    """A squared loss of losses.py, computed as it computes it but without checking the arrays again.

    For the forward pass's own outputs y_hat and checked targets Y (both float64 of one 2-D shape),
    so the float is the one losses.<name>(y_hat, Y) returns, to the last bit. None when the arrays are
    not like that or the result is not a finite number: losses.py then gives its answer or its error.
    """
    if not (y_hat.dtype == Y.dtype == np.float64 and y_hat.ndim == 2 and y_hat.shape == Y.shape):
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "mse":
            value = np.mean((y_hat - Y) ** 2)
        else:
            value = np.mean(np.sum((y_hat - Y) ** 2, axis=1))
    if not np.isfinite(value):
        return None
    return 0.5 * float(value) if name == "half_squared_error" else float(value)


def _by_layer(value, name):
    """Per-layer arrays as a list, layer 1 first: from a list, or a dict keyed by layer number."""
    if isinstance(value, dict):
        if not all(isinstance(l, (int, np.integer)) and not isinstance(l, bool) for l in value):
            raise TypeError(f"{name} as a dict must be keyed by layer number 1, 2, ..., but its keys are {list(value)}")
        return [value[l] for l in sorted(value)]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list with one array per layer (layer 1 first) or a dict keyed by layer "
                        f"number, but got {validate._describe(value)}")
    return list(value)


class _Layers(dict):
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
            came = (validate._describe(value) if isinstance(given, np.ndarray)
                    else f"{validate._describe(given)}, of shape {value.shape}")
            raise ValueError(f"{where} must have shape {shape} ({what}), but got {came}{hint}")
        dict.__setitem__(self, l, value)

    def update(self, *args, **kwargs):
        for l, value in dict(*args, **kwargs).items():
            self[l] = value  # each one checked, as `W[l] = value` is


@dataclass
class ForwardPass:
    """Everything the forward pass computed: z[l] and a[l] for l = 1..L, and a[0] = X.

    Each is a dict keyed by layer number; arrays have one row per sample.
    """

    z: dict = field(default_factory=dict)
    a: dict = field(default_factory=dict)

    @property
    def y_hat(self):
        """The network's output a[L], shape (N, outputs)."""
        return self.a[max(self.a)]


@dataclass
class Gradients:
    """The backward pass's results, each a dict keyed by layer number l = 1..L.

    dL_dW[l] has the shape of W[l], dL_db[l] the shape of b[l], and delta[l] = ∂L/∂z[l] has one
    row per sample.
    """

    dL_dW: dict = field(default_factory=dict)
    dL_db: dict = field(default_factory=dict)
    delta: dict = field(default_factory=dict)


class Network:
    """A fully connected network with an activation per layer and a loss.

    sizes: neurons per layer, input first, e.g. [3, 4, 4, 1] for 3 inputs, two hidden layers of 4
        and one output.
    activations: one name for every layer, or a list with one name per layer after the input
        ('sigmoid', 'tanh', 'relu', 'linear'; 'softmax' for the output layer only).
    loss: 'squared_error', 'half_squared_error', 'mse', 'binary_cross_entropy' (needs a sigmoid
        output) or 'cross_entropy' (needs a softmax output; targets may be integer labels).
    seed: the random weights are drawn from this seed (a whole number >= 0), so the same seed gives
        the same network; None draws different weights each time.
    weight_scale: standard deviation of the starting weights, above 0 and at most 1000; by default
        1/√(inputs to the layer).

    Attributes W and b are dicts keyed by layer number: W[1] is the first hidden layer's weights.
    Assigning one, `net.W[1] = [[...], ...]`, stores it as a float64 array and refuses a wrong shape
    there and then; a whole new W is a dict too, {1: W1, 2: W2}, never a list (which counts from 0).
    """

    def __init__(self, sizes, activations="sigmoid", loss="half_squared_error", *, seed=0, weight_scale=None):
        if not isinstance(sizes, (list, tuple, np.ndarray)):
            kind = " (a set keeps no order, so the layers would be shuffled)" if isinstance(sizes, (set, frozenset)) else ""
            raise TypeError(f"sizes must be a list of layer sizes such as [2, 3, 1], but got "
                            f"{validate._describe(sizes)}{kind}")
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, such as [2, 1], but got {list(sizes)}")
        self.sizes = [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        count = sum((n_in + 1) * n_out for n_in, n_out in zip(self.sizes, self.sizes[1:]))
        if count > MAX_PARAMETERS:
            raise ValueError(f"sizes {self.sizes} would make a network with {count:,} weights and biases, far more "
                             f"than this course needs; at most {MAX_PARAMETERS:,} are allowed")
        depth = len(self.sizes) - 1
        if isinstance(activations, str):
            activations = [activations] * depth
        if not isinstance(activations, (list, tuple)):
            raise TypeError(f"activations must be a name such as 'sigmoid' or a list with one name per layer, "
                            f"but got {activations!r}")
        activations = list(activations)
        if len(activations) != depth:
            raise ValueError(f"activations must name one activation per layer ({depth} for sizes {self.sizes}), "
                             f"but got {len(activations)}: {activations}")
        self.activations = {l: get_activation(name) for l, name in enumerate(activations, start=1)}
        for l, act in self.activations.items():
            if act.name == "softmax" and l != depth:
                raise ValueError(f"softmax can only be the output layer's activation, but layer {l} of {depth} uses it")
        if self.activations[depth].name == "softmax" and self.sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 output neurons, but the output layer has 1")
        self.loss = get_loss(loss)
        out = self.activations[depth].name
        if self.loss.name == "binary_cross_entropy" and out != "sigmoid":
            raise ValueError(f"loss 'binary_cross_entropy' needs a 'sigmoid' output layer, but layer {depth} uses {out!r}")
        if self.loss.name == "cross_entropy" and out != "softmax":
            raise ValueError(f"loss 'cross_entropy' needs a 'softmax' output layer, but layer {depth} uses {out!r}")
        if weight_scale is not None:
            weight_scale = validate.as_number(weight_scale, "weight_scale")
            if not 0 < weight_scale <= MAX_WEIGHT_SCALE:
                raise ValueError(f"weight_scale must be a positive number up to {MAX_WEIGHT_SCALE:g} (the spread of "
                                 f"the starting weights, usually 0.1 to 1), but got {weight_scale:g}")
        seed = validate.seed(seed)
        self.seed = seed
        rng = np.random.default_rng(seed)
        W, b = {}, {}
        for l in range(1, depth + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            std = weight_scale if weight_scale is not None else 1.0 / np.sqrt(n_in)
            W[l] = rng.normal(0.0, std, size=(n_out, n_in))
            b[l] = np.zeros(n_out)
        self.W, self.b = W, b

    @classmethod
    def from_weights(cls, W, b, activations="sigmoid", loss="half_squared_error"):
        """Build a network with the given weights: W and b are lists (layer 1 first) or dicts keyed 1..L."""
        W, b = _by_layer(W, "W"), _by_layer(b, "b")
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
        sizes = [W[0].shape[1]] + [w.shape[0] for w in W]
        net = cls(sizes, activations, loss)
        net.set_weights(W, b)
        return net

    @property
    def W(self):
        """The weights: a dict keyed by layer number, W[l] of shape (neurons in layer l, neurons in layer l-1)."""
        return self._W

    @W.setter
    def W(self, value):
        shapes = {l: (self.sizes[l], self.sizes[l - 1]) for l in range(1, self.depth + 1)}
        self._W = self._layers(value, "W", shapes)

    @property
    def b(self):
        """The biases: a dict keyed by layer number, b[l] of shape (neurons in layer l,)."""
        return self._b

    @b.setter
    def b(self, value):
        self._b = self._layers(value, "b", {l: (self.sizes[l],) for l in range(1, self.depth + 1)})

    def _layers(self, value, name, shapes):
        """`value` as a checked dict of layers; a list is refused, since its numbering starts at 0."""
        layers = ", ".join(f"{l}: {name}{l}" for l in shapes)
        if isinstance(value, (list, tuple)):
            raise TypeError(f"net.{name} must be a dict keyed by layer number, {{{layers}}}, but got a "
                            f"{type(value).__name__}: layers count from 1, and a {type(value).__name__} counts from 0, "
                            f"so {name}[1] would be the second layer's. Write net.{name} = {{{layers}}}, or use "
                            "net.set_weights(W, b), which takes lists (layer 1 first)")
        if not isinstance(value, dict):
            raise TypeError(f"net.{name} must be a dict keyed by layer number, {{{layers}}}, but got "
                            f"{validate._describe(value)}")
        if sorted(value, key=repr) != sorted(shapes, key=repr):
            raise ValueError(f"net.{name} must hold layers {list(shapes)} (keyed by layer number, {{{layers}}}), "
                             f"but its keys are {list(value)}")
        checked = _Layers(name, shapes)
        for l in shapes:
            checked[l] = value[l]
        return checked

    @property
    def depth(self):
        """L, the number of layers after the input."""
        return len(self.sizes) - 1

    def __repr__(self):
        acts = ", ".join(a.name for a in self.activations.values())
        return f"Network(sizes={self.sizes}, activations=[{acts}], loss={self.loss.name!r})"

    def set_weights(self, W, b):
        """Replace every W[l] and b[l], checking each shape against the layer sizes."""
        W, b = _by_layer(W, "W"), _by_layer(b, "b")
        for name, given in (("W", W), ("b", b)):
            if len(given) != self.depth:
                raise ValueError(f"{name} must hold {self.depth} layers for sizes {self.sizes}, but it holds {len(given)}")
        new_W, new_b = {}, {}
        for l in range(1, self.depth + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            w = validate.as_array(W[l - 1], f"W{l}", ndim=2)
            if w.shape != (n_out, n_in):
                raise ValueError(f"W{l} has shape {w.shape} but layer {l} needs ({n_out}, {n_in}): "
                                 f"{n_out} neurons, each taking the {n_in} outputs of layer {l - 1}")
            bias = validate.as_array(b[l - 1], f"b{l}", ndim=1)
            if bias.shape != (n_out,):
                raise ValueError(f"b{l} has shape {bias.shape} but layer {l} has {n_out} neurons, so it needs ({n_out},)")
            new_W[l], new_b[l] = w.copy(), bias.copy()
        self.W, self.b = new_W, new_b

    def copy(self):
        """An independent copy: training the copy leaves this network unchanged."""
        twin = type(self).__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.sizes = list(self.sizes)
        twin.activations = dict(self.activations)
        twin.W = {l: w.copy() for l, w in self.W.items()}
        twin.b = {l: v.copy() for l, v in self.b.items()}
        return twin

    def _check_weights(self):
        for l in range(1, self.depth + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            if np.shape(self.W[l]) != (n_out, n_in):
                raise ValueError(f"W{l} has shape {np.shape(self.W[l])} but layer {l} needs ({n_out}, {n_in})")
            if np.shape(self.b[l]) != (n_out,):
                raise ValueError(f"b{l} has shape {np.shape(self.b[l])} but layer {l} needs ({n_out},)")
            for name, value in ((f"W{l}", self.W[l]), (f"b{l}", self.b[l])):
                if not np.all(np.isfinite(value)):
                    raise ValueError(f"{name} contains NaN or inf; training has diverged, so rebuild the network "
                                     "or lower the learning rate")

    def check_inputs(self, X, name="X"):
        """X as a float64 batch of shape (N, inputs); one sample of shape (inputs,) becomes (1, inputs)."""
        X = validate.as_array(X, name, ndim=(1, 2))
        if X.ndim == 1 and X.size != self.sizes[0]:
            n_in = self.sizes[0]
            hint = (f"; if it holds {X.size // n_in} samples of {n_in} feature{'s' if n_in > 1 else ''}, pass "
                    f"np.reshape({name}, (-1, {n_in}))" if X.size % n_in == 0 else "")
            raise ValueError(f"{name} has shape {X.shape}: one sample with {X.size} feature{'s' if X.size != 1 else ''}, but the network expects "
                             f"{n_in} input{'s' if n_in > 1 else ''}{hint}")
        X = np.atleast_2d(X)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"{name} has {X.shape[1]} features per sample (shape {X.shape}) but the network "
                             f"expects {self.sizes[0]} inputs")
        return X

    def check_targets(self, y, n_samples, name="y"):
        """Targets as rows matching the output layer, shape (N, outputs).

        For 'cross_entropy', integer labels of shape (N,) are turned into one-hot rows; for one
        output, y of shape (N,) is accepted as a column.
        """
        n_out = self.sizes[-1]
        y = validate.as_array(y, name, ndim=(0, 1, 2))
        if self.loss.name == "cross_entropy" and y.ndim <= 1:
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
        check_targets(self.loss.name, y, name)  # the same check as the loss functions make
        return y

    def _forward(self, X):
        """The forward pass without input checks (X already a clean (N, inputs) array)."""
        fp = ForwardPass()
        fp.a[0] = X
        for l in range(1, self.depth + 1):
            fp.z[l] = fp.a[l - 1] @ self.W[l].T + self.b[l]
            fp.a[l] = self.activations[l](fp.z[l])
        return fp

    def _checked_forward(self, X):
        """The forward pass, with a clear error instead of inf or NaN if the numbers overflow."""
        with np.errstate(over="ignore", invalid="ignore"):
            fp = self._forward(X)
        for l in range(1, self.depth + 1):
            if not (np.all(np.isfinite(fp.z[l])) and np.all(np.isfinite(fp.a[l]))):
                raise ValueError(f"z[{l}] overflowed: X (largest size {np.max(np.abs(X)):.3g}) and the weights are too "
                                 "large for floating-point numbers; scale X to values near 1 "
                                 "(helpers.data.Standardizer does that)")
        return fp

    def forward(self, X):
        """Run the forward pass on X (N, inputs) and return a ForwardPass with every z[l] and a[l]."""
        self._check_weights()
        return self._checked_forward(self.check_inputs(X))

    def predict(self, X):
        """The network's output ŷ: shape (N, outputs), or (outputs,) for one sample given as 1-D."""
        y_hat = self.forward(X).y_hat
        return y_hat[0] if np.ndim(X) == 1 else y_hat

    def _loss_value(self, fp, Y):
        L = self.depth
        pair = (self.activations[L].name, self.loss.name)
        if pair == ("sigmoid", "binary_cross_entropy"):
            # −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y·z, finite for any z.
            z = fp.z[L]
            return float(np.mean(np.sum(np.logaddexp(0.0, z) - Y * z, axis=1)))
        if pair == ("softmax", "cross_entropy"):
            return _cross_entropy_from_log_probabilities(Y, _log_softmax(fp.z[L]))
        if self.loss.name in _SQUARED:
            value = _squared_loss(self.loss.name, fp.y_hat, Y)
            if value is not None:
                return value
        return self.loss.value(fp.y_hat, Y)  # checks its inputs, and says what is wrong when the loss overflows

    def _backward(self, fp, Y):
        L = self.depth
        grads = Gradients()
        n = Y.shape[0]
        if (self.activations[L].name, self.loss.name) in _FUSED:
            grads.delta[L] = (fp.a[L] - Y) / n
        else:
            dL_da = self.loss.gradient(fp.a[L], Y)
            grads.delta[L] = self.activations[L].backward(fp.z[L], fp.a[L], dL_da)
        for l in range(L, 0, -1):
            grads.dL_dW[l] = grads.delta[l].T @ fp.a[l - 1]
            grads.dL_db[l] = grads.delta[l].sum(axis=0)
            if l > 1:
                dL_da_below = grads.delta[l] @ self.W[l]
                grads.delta[l - 1] = self.activations[l - 1].backward(fp.z[l - 1], fp.a[l - 1], dL_da_below)
        return grads

    def loss_value(self, X, y):
        """The loss L on the batch (X, y): one number, averaged over the samples."""
        X = self.check_inputs(X)
        self._check_weights()
        return self._loss_value(self._checked_forward(X), self.check_targets(y, X.shape[0]))

    def backward(self, fp, y):
        """The backward pass for a ForwardPass `fp` and targets y: returns Gradients (∂L/∂W, ∂L/∂b, δ)."""
        self._check_forward_pass(fp)
        n = fp.a[0].shape[0]
        return self._backward(fp, self.check_targets(y, n))

    def gradients(self, X, y):
        """Forward then backward on (X, y). Returns (loss, Gradients)."""
        X = self.check_inputs(X)
        self._check_weights()
        Y = self.check_targets(y, X.shape[0])
        fp = self._checked_forward(X)
        return self._loss_value(fp, Y), self._backward(fp, Y)

    def _check_forward_pass(self, fp):
        if not isinstance(fp, ForwardPass):
            raise TypeError(f"fp must be the ForwardPass that this network's forward(X) returns, but got "
                            f"{validate._describe(fp)}; call net.backward(net.forward(X), y)")
        if sorted(fp.a) != list(range(self.depth + 1)) or sorted(fp.z) != list(range(1, self.depth + 1)):
            raise ValueError(f"fp holds layers {sorted(fp.a)}, but this network has layers 0 to {self.depth}; "
                             "was it computed by another network?")
        for l in range(self.depth + 1):
            width = np.shape(fp.a[l])[-1] if np.ndim(fp.a[l]) == 2 else None
            if width != self.sizes[l]:
                raise ValueError(f"fp.a[{l}] has shape {np.shape(fp.a[l])}, but layer {l} of this network has "
                                 f"{self.sizes[l]} neurons; was fp computed by another network?")

    def step(self, grads, eta):
        """One gradient-descent update of every weight and bias: W_new = W_old − η ∂L/∂W."""
        if not isinstance(grads, Gradients):
            raise TypeError(f"grads must be the Gradients that backward() or gradients() returns, but got "
                            f"{validate._describe(grads)}")
        eta = validate.learning_rate(eta)
        for l in range(1, self.depth + 1):
            for name, grad, param in ((f"dL_dW[{l}]", grads.dL_dW.get(l), self.W[l]), (f"dL_db[{l}]", grads.dL_db.get(l), self.b[l])):
                if np.shape(grad) != param.shape:
                    raise ValueError(f"{name} has shape {np.shape(grad)} but the parameter it updates has shape "
                                     f"{param.shape}; were these gradients computed for another network?")
        for l in range(1, self.depth + 1):
            self.W[l] = self.W[l] - eta * grads.dL_dW[l]
            self.b[l] = self.b[l] - eta * grads.dL_db[l]

    def parameters(self):
        """Every weight and bias in one flat vector: W[1], b[1], W[2], b[2], ..."""
        return np.concatenate([np.concatenate([self.W[l].ravel(), self.b[l]]) for l in range(1, self.depth + 1)])

    def set_parameters(self, theta):
        """Load a flat vector laid out as `parameters()` returns it."""
        theta = validate.as_array(theta, "theta", ndim=1)
        if theta.size != self.num_parameters:
            raise ValueError(f"theta has {theta.size} values but the network has {self.num_parameters} parameters")
        i = 0
        for l in range(1, self.depth + 1):
            n = self.W[l].size
            self.W[l] = theta[i:i + n].reshape(self.W[l].shape).copy()
            i += n
            self.b[l] = theta[i:i + self.b[l].size].copy()
            i += self.b[l].size

    @property
    def num_parameters(self):
        """How many weights and biases the network has."""
        return sum(self.W[l].size + self.b[l].size for l in range(1, self.depth + 1))

    def flat_gradients(self, grads):
        """A Gradients object as one flat vector in the same order as `parameters()`."""
        if not isinstance(grads, Gradients):
            raise TypeError(f"grads must be the Gradients that backward() or gradients() returns, but got "
                            f"{validate._describe(grads)}")
        return np.concatenate([np.concatenate([grads.dL_dW[l].ravel(), grads.dL_db[l]])
                               for l in range(1, self.depth + 1)])
