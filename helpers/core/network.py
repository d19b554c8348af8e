"""A fully connected network of any layer sizes, with its forward and backward passes.

Notation (as in every notebook): layers count from the input, so layer 1 is the first hidden layer
and layer D the output (L is the loss). One sample is a row, so for a batch X of N rows, layer l computes

    z[l] = a[l-1] · W[l]ᵀ + b[l]      (for one sample as a column this is z = W·a + b)
    a[l] = f_l(z[l])

with a[0] = X. W[l] has shape (neurons in layer l, neurons in layer l-1): row j holds the weights
coming into neuron j. The backward pass runs the same layers in reverse:

    δ[D]   = ∂L/∂a[D] ⊙ f_D′(z[D])
    δ[l]   = (δ[l+1] · W[l+1]) ⊙ f_l′(z[l])        each layer reuses the δ of the layer above
    ∂L/∂W[l] = δ[l]ᵀ · a[l-1]      ∂L/∂b[l] = Σ over samples of δ[l]

`_forward` and `_backward` below are those lines and nothing else; the checks that decide whether
they may run (shapes, finite numbers, targets that suit the loss) live in `network_checks.py`.
"""

from dataclasses import dataclass, field

import numpy as np

from . import network_checks as checks
from .. import validate
from .losses import _log_softmax, _cross_entropy_from_log_probabilities
from .network_checks import MAX_PARAMETERS, MAX_TARGET, MAX_WEIGHT_SCALE  # noqa: F401  (imported from here)
from .network_checks import Layers as _Layers, by_layer as _by_layer  # noqa: F401  (their names before)

# Output activation and loss pairs whose combined derivative is simply (a − y) / N. Using it
# directly avoids dividing by probabilities that have rounded to 0 or 1.
_FUSED = {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}
_SQUARED = ("squared_error", "half_squared_error", "mse")


@dataclass
class ForwardPass:
    """Everything the forward pass computed: z[l] and a[l] for l = 1..D, and a[0] = X.

    Each is a dict keyed by layer number; arrays have one row per sample.
    """

    z: dict = field(default_factory=dict)
    a: dict = field(default_factory=dict)

    @property
    def y_hat(self):
        """The network's output a[D], shape (N, outputs)."""
        return self.a[max(self.a)]


@dataclass
class Gradients:
    """The backward pass's results, each a dict keyed by layer number l = 1..D.

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

    Used in notebooks 01, 03, 04, 05, 06, 07, 08, 09 and 10.
    """

    def __init__(self, sizes, activations="sigmoid", loss="half_squared_error", *, seed=0, weight_scale=None):
        self.sizes = checks.sizes(sizes)
        self.activations, self.loss = checks.activations_and_loss(activations, loss, self.sizes)
        weight_scale = checks.weight_scale(weight_scale)
        self.seed = seed = validate.seed(seed)
        rng = np.random.default_rng(seed)
        W, b = {}, {}
        for l in range(1, self.depth + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            std = weight_scale if weight_scale is not None else 1.0 / np.sqrt(n_in)
            W[l] = rng.normal(0.0, std, size=(n_out, n_in))
            b[l] = np.zeros(n_out)
        self.W, self.b = W, b

    # ---- The maths: the forward and backward passes, line for line as the notation writes them ----

    def _forward(self, X):
        """The forward pass on a checked batch X of shape (N, inputs): z[l] = a[l−1]·W[l]ᵀ + b[l], a[l] = f(z[l])."""
        W, b, f = self.W, self.b, self.activations
        fp = ForwardPass()
        z, a = fp.z, fp.a
        a[0] = X
        for l in range(1, self.depth + 1):
            z[l] = a[l - 1] @ W[l].T + b[l]
            a[l] = f[l](z[l])
        return fp

    def _output_delta(self, fp, Y):
        """δ[D] = ∂L/∂z[D] = ∂L/∂a[D] ⊙ f′(z[D]); for a fused pair (sigmoid with binary cross-entropy,
        softmax with cross-entropy) the two factors multiply out to (a[D] − Y) / N."""
        D = self.depth
        if (self.activations[D].name, self.loss.name) in _FUSED:
            return (fp.a[D] - Y) / Y.shape[0]
        dL_da = self.loss.gradient(fp.a[D], Y)
        return self.activations[D].backward(fp.z[D], fp.a[D], dL_da)  # softmax mixes a row: its own rule

    def _backward(self, fp, Y):
        """The backward pass on checked targets Y: δ for every layer, from the output down, then ∂L/∂W and ∂L/∂b."""
        D, W, f, z, a = self.depth, self.W, self.activations, fp.z, fp.a
        grads = Gradients()
        delta, dL_dW, dL_db = grads.delta, grads.dL_dW, grads.dL_db
        delta[D] = self._output_delta(fp, Y)
        for l in range(D - 1, 0, -1):
            delta[l] = (delta[l + 1] @ W[l + 1]) * f[l].derivative(z[l])   # δ[l] = (δ[l+1]·W[l+1]) ⊙ f′(z[l])
        for l in range(D, 0, -1):
            dL_dW[l] = delta[l].T @ a[l - 1]     # ∂L/∂W[l] = δ[l]ᵀ · a[l−1]
            dL_db[l] = delta[l].sum(axis=0)      # ∂L/∂b[l] = Σ over samples of δ[l]
        return grads

    def _loss_value(self, fp, Y):
        """L for a forward pass and checked targets: from the logits where that keeps it finite."""
        D = self.depth
        pair = (self.activations[D].name, self.loss.name)
        if pair == ("sigmoid", "binary_cross_entropy"):
            # −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y·z, finite for any z.
            z = fp.z[D]
            return float(np.mean(np.sum(np.logaddexp(0.0, z) - Y * z, axis=1)))
        if pair == ("softmax", "cross_entropy"):
            return _cross_entropy_from_log_probabilities(Y, _log_softmax(fp.z[D]))
        if self.loss.name in _SQUARED:
            value = _squared_loss(self.loss.name, fp.y_hat, Y)
            if value is not None:
                return value
        return self.loss.value(fp.y_hat, Y)  # checks its inputs, and says what is wrong when the loss overflows

    # ---- The same passes for a caller: what comes in is checked first ----

    def forward(self, X):
        """Run the forward pass on X (N, inputs) and return a ForwardPass with every z[l] and a[l]."""
        self._check_weights()
        return self._checked_forward(self.check_inputs(X))

    def predict(self, X):
        """The network's output ŷ: shape (N, outputs), or (outputs,) for one sample given as 1-D."""
        y_hat = self.forward(X).y_hat
        return y_hat[0] if np.ndim(X) == 1 else y_hat

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

    def step(self, grads, eta):
        """One gradient-descent update of every weight and bias: W_new = W_old − η ∂L/∂W."""
        checks.gradients(grads, Gradients)
        eta = validate.learning_rate(eta)
        checks.gradients_fit(self, grads)
        for l in range(1, self.depth + 1):
            self.W[l] = self.W[l] - eta * grads.dL_dW[l]
            self.b[l] = self.b[l] - eta * grads.dL_db[l]

    # ---- Checks at the boundary (network_checks.py) ----

    def _checked_forward(self, X):
        """The forward pass, with a clear error instead of inf or NaN if the numbers overflow."""
        with np.errstate(over="ignore", invalid="ignore"):
            fp = self._forward(X)
        checks.finite_forward_pass(fp, X, self.depth)
        return fp

    def check_inputs(self, X, name="X"):
        """X as a float64 batch of shape (N, inputs); one sample of shape (inputs,) becomes (1, inputs)."""
        return checks.inputs(self, X, name)

    def check_targets(self, y, n_samples, name="y"):
        """Targets as rows matching the output layer, shape (N, outputs).

        For 'cross_entropy', integer labels of shape (N,) are turned into one-hot rows; for one
        output, y of shape (N,) is accepted as a column.
        """
        return checks.targets(self, y, n_samples, name)

    def _check_weights(self):
        checks.weights(self)

    def _check_forward_pass(self, fp):
        checks.forward_pass(self, fp, ForwardPass)

    # ---- The weights and biases ----

    @classmethod
    def from_weights(cls, W, b, activations="sigmoid", loss="half_squared_error"):
        """Build a network with the given weights: W and b are lists (layer 1 first) or dicts keyed 1..D."""
        W, b = checks.weights_for_new_network(W, b)
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
        return checks.layers(value, name, shapes)

    @property
    def depth(self):
        """D, the number of layers after the input."""
        return len(self.sizes) - 1

    def __repr__(self):
        acts = ", ".join(a.name for a in self.activations.values())
        return f"Network(sizes={self.sizes}, activations=[{acts}], loss={self.loss.name!r})"

    def set_weights(self, W, b):
        """Replace every W[l] and b[l], checking each shape against the layer sizes."""
        self.W, self.b = checks.new_weights(self, W, b)

    def copy(self):
        """An independent copy: training the copy leaves this network unchanged."""
        twin = type(self).__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.sizes = list(self.sizes)
        twin.activations = dict(self.activations)
        twin.W = {l: w.copy() for l, w in self.W.items()}
        twin.b = {l: v.copy() for l, v in self.b.items()}
        return twin

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
        checks.gradients(grads, Gradients)
        return np.concatenate([np.concatenate([grads.dL_dW[l].ravel(), grads.dL_db[l]])
                               for l in range(1, self.depth + 1)])


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
