"""The 2-2-2 worked example: every input feeds every hidden neuron, and every hidden neuron feeds both outputs.

Two inputs x1, x2; two hidden neurons h1, h2; two output neurons o1, o2 giving ŷ1, ŷ2; a bias in every
neuron; the sigmoid σ in both layers (as in Matt Mazur's step-by-step backpropagation example, with numbers
of this course's own):

    z_h = W_hidden · x + b_hidden      h = σ(z_h)        the hidden layer, layer 1 (a^{[1]} = h)
    z_o = W_out · h + b_out            ŷ = σ(z_o)        the output layer, layer 2 (a^{[2]} = ŷ)
    L   = ½ [(ŷ1 − y1)² + (ŷ2 − y2)²]                    half_squared_error of one sample

W_hidden[j, i] is the weight from input x_{i+1} into hidden neuron h_{j+1}, written w(h_{j+1}←x_{i+1});
W_out[k, j] is the weight from h_{j+1} into output o_{k+1}, w(o_{k+1}←h_{j+1}). Row j of a matrix holds the
weights coming into neuron j, as in `Network`.

The backward pass is the local rule: each node multiplies the gradient arriving from above (upstream) by
its own local derivative and passes the product down. Because h1 feeds both outputs, two shares arrive at
h1, one from each output, and they add:

    δ_o[k]      = (ŷ_k − y_k) · ŷ_k(1 − ŷ_k)                    ∂L/∂z of output k
    shares[k, j] = δ_o[k] · W_out[k, j]                          what output k sends down to h_j
    ∂L/∂h_j     = shares[0, j] + shares[1, j]                    the fork: the shares add
    δ_h[j]      = ∂L/∂h_j · h_j(1 − h_j)                         ∂L/∂z of hidden neuron j
    ∂L/∂W_out[k, j] = δ_o[k] · h_j     ∂L/∂b_out[k] = δ_o[k]     a weight's gradient = δ × its input
    ∂L/∂W_hidden[j, i] = δ_h[j] · x_i  ∂L/∂b_hidden[j] = δ_h[j]

The second half of the module adds up paths instead: `gradient_by_enumerating_paths` sums one product of
local derivatives per path from a first-layer weight to the loss (notebook 06 shows it agrees with backprop),
and in a fully connected chain of layers 2 wide the number of those paths doubles with every layer, while one
backward pass visits every edge (every weight) once (`count_paths_to_loss`, `backward_pass_edge_visits`).
"""

from dataclasses import dataclass, replace

import numpy as np

from .. import validate
from .activations import sigmoid
from ..practice.gradcheck import numerical_derivative, relative_error
from .network import Network

# The worked example's numbers (chosen for this course). With them the forward pass gives
# ŷ = (0.3701, 0.3969) against y = (1, 0), L = 0.2772. The two shares arriving at h1 have opposite signs
# (−0.1322 from o1, +0.0570 from o2), those at h2 the same sign (+0.1175, +0.0285). One update with
# η = 0.5 moves ŷ to (0.3984, 0.3798) and lowers L to 0.2531.
FORK_INPUTS = (0.5, 0.8)
FORK_TARGETS = (1.0, 0.0)
FORK_W_HIDDEN = ((0.4, -0.1), (0.5, -0.2))   # row j: the weights into h_{j+1} from x1, x2
FORK_B_HIDDEN = (-0.9, 0.5)
FORK_W_OUT = ((0.9, -0.8), (0.6, 0.3))      # row k: the weights into o_{k+1} from h1, h2
FORK_B_OUT = (-0.3, -0.8)
FORK_ETA = 0.5

PARAMETER_NAMES = ("W_hidden", "b_hidden", "W_out", "b_out")
SHAPES = {"W_hidden": (2, 2), "b_hidden": (2,), "W_out": (2, 2), "b_out": (2,)}
_WHAT = {
    "W_hidden": "row j holds the weights into h_{j+1} from x1 and x2",
    "b_hidden": "one bias per hidden neuron",
    "W_out": "row k holds the weights into o_{k+1} from h1 and h2",
    "b_out": "one bias per output neuron",
}


def _vector(value, name, length=2, what="values"):
    array = validate.as_array(value, name)
    if array.shape != (length,):
        raise ValueError(f"{name} must hold {length} {what}, shape ({length},), but it has shape {array.shape}")
    return array


def _frozen(array):
    array = np.array(array, dtype=np.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class ForkPass:
    """Every value of one forward and backward pass through the 2-2-2 network, for one sample.

    Forward (each of shape (2,)): x, y, z_hidden, h, z_out, y_hat; loss (a float).
    Backward, in the order the local rule computes it:
      dL_dy_hat (2,)     ∂L/∂ŷ_k = ŷ_k − y_k (the ½ of the loss cancels the 2 of the square)
      dy_hat_dz_out (2,) the outputs' local derivative σ′(z_o) = ŷ(1 − ŷ)
      delta_out (2,)     δ_o = ∂L/∂z_o = dL_dy_hat · dy_hat_dz_out
      shares (2, 2)      shares[k, j] = δ_o[k] · W_out[k, j], the share output k passes down to h_j
      dL_dh (2,)         ∂L/∂h_j = shares[0, j] + shares[1, j] (the shares add at the fork)
      dh_dz_hidden (2,)  σ′(z_h) = h(1 − h)
      delta_hidden (2,)  δ_h = ∂L/∂z_h = dL_dh · dh_dz_hidden
      dL_dW_out (2, 2) = outer(δ_o, h), dL_db_out (2,) = δ_o,
      dL_dW_hidden (2, 2) = outer(δ_h, x), dL_db_hidden (2,) = δ_h.
    Arrays are read-only.
    """

    x: np.ndarray
    y: np.ndarray
    z_hidden: np.ndarray
    h: np.ndarray
    z_out: np.ndarray
    y_hat: np.ndarray
    loss: float
    dL_dy_hat: np.ndarray
    dy_hat_dz_out: np.ndarray
    delta_out: np.ndarray
    shares: np.ndarray
    dL_dh: np.ndarray
    dh_dz_hidden: np.ndarray
    delta_hidden: np.ndarray
    dL_dW_out: np.ndarray
    dL_db_out: np.ndarray
    dL_dW_hidden: np.ndarray
    dL_db_hidden: np.ndarray

    @property
    def gradients(self):
        """{'W_hidden': ∂L/∂W_hidden (2, 2), 'b_hidden': (2,), 'W_out': (2, 2), 'b_out': (2,)}."""
        return {"W_hidden": self.dL_dW_hidden, "b_hidden": self.dL_db_hidden,
                "W_out": self.dL_dW_out, "b_out": self.dL_db_out}


def fork_backward(x, h, y_hat, y, W_out):
    """The backward pass of the 2-2-2 network from its forward values, as the local rule computes it.

    x, h, y_hat, y: arrays of shape (2,) (inputs, hidden activations, outputs, targets); W_out: (2, 2),
    row k holding the weights into o_{k+1}. Returns a dict with delta_out, shares (2, 2), dL_dh,
    delta_hidden and the four gradients dL_dW_hidden (2, 2), dL_db_hidden (2,), dL_dW_out (2, 2),
    dL_db_out (2,), for the loss half_squared_error = ½ Σ_k (ŷ_k − y_k)².
    """
    x, h, y_hat, y = (_vector(v, n) for v, n in ((x, "x"), (h, "h"), (y_hat, "y_hat"), (y, "y")))
    W_out = _matrix(W_out, "W_out")
    dL_dy_hat = y_hat - y
    dy_hat_dz_out = y_hat * (1.0 - y_hat)
    delta_out = dL_dy_hat * dy_hat_dz_out
    shares = delta_out[:, None] * W_out
    dL_dh = np.zeros(2)
    for k in range(2):                 # each output passes a share down to each hidden neuron ...
        for j in range(2):
            dL_dh[j] += shares[k, j]   # ... and where two shares arrive, they add
    dh_dz_hidden = h * (1.0 - h)
    delta_hidden = dL_dh * dh_dz_hidden
    return {"dL_dy_hat": dL_dy_hat, "dy_hat_dz_out": dy_hat_dz_out, "delta_out": delta_out, "shares": shares,
            "dL_dh": dL_dh, "dh_dz_hidden": dh_dz_hidden, "delta_hidden": delta_hidden,
            "dL_dW_hidden": np.outer(delta_hidden, x), "dL_db_hidden": delta_hidden.copy(),
            "dL_dW_out": np.outer(delta_out, h), "dL_db_out": delta_out.copy()}


def _matrix(value, name):
    array = validate.as_array(value, name)
    if array.shape != (2, 2):
        raise ValueError(f"{name} must have shape (2, 2) ({_WHAT.get(name, 'two rows of two')}), "
                         f"but it has shape {array.shape}")
    return array


@dataclass(frozen=True)
class TwoTwoTwo:
    """The 2-2-2 network's parameters: W_hidden (2, 2), b_hidden (2,), W_out (2, 2), b_out (2,).

    Immutable (arrays read-only): `step` returns a new network. Defaults are the worked example's.

    Used in notebook 06.
    """

    W_hidden: np.ndarray = FORK_W_HIDDEN
    b_hidden: np.ndarray = FORK_B_HIDDEN
    W_out: np.ndarray = FORK_W_OUT
    b_out: np.ndarray = FORK_B_OUT

    def __post_init__(self):
        for name in PARAMETER_NAMES:
            value = getattr(self, name)
            array = _matrix(value, name) if SHAPES[name] == (2, 2) else _vector(value, name, what=_WHAT[name])
            object.__setattr__(self, name, _frozen(array))

    def __eq__(self, other):
        return isinstance(other, TwoTwoTwo) and all(
            np.array_equal(getattr(self, n), getattr(other, n)) for n in PARAMETER_NAMES)

    __hash__ = None

    @property
    def parameters(self):
        """{'W_hidden': ..., 'b_hidden': ..., 'W_out': ..., 'b_out': ...}, read-only arrays."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}

    def forward(self, x=FORK_INPUTS):
        """(z_hidden, h, z_out, y_hat) for the inputs x, each of shape (2,)."""
        x = _vector(x, "x", what="inputs")
        z_hidden = self.W_hidden @ x + self.b_hidden
        h = sigmoid(z_hidden)
        z_out = self.W_out @ h + self.b_out
        return z_hidden, h, z_out, sigmoid(z_out)

    def run(self, x=FORK_INPUTS, y=FORK_TARGETS):
        """The forward and the backward pass for one sample (x, y), every value kept: a ForkPass."""
        x = _vector(x, "x", what="inputs")
        y = _vector(y, "y", what="targets")
        z_hidden, h, z_out, y_hat = self.forward(x)
        loss = 0.5 * float(np.sum((y_hat - y) ** 2))
        back = fork_backward(x, h, y_hat, y, self.W_out)
        values = {"x": x, "y": y, "z_hidden": z_hidden, "h": h, "z_out": z_out, "y_hat": y_hat, **back}
        return ForkPass(loss=loss, **{k: _frozen(v) for k, v in values.items()})

    def loss(self, x=FORK_INPUTS, y=FORK_TARGETS):
        """half_squared_error of one sample: ½ Σ_k (ŷ_k − y_k)²."""
        return self.run(x, y).loss

    def loss_given_hidden(self, h, y=FORK_TARGETS):
        """The loss as a function of the hidden activations h (shape (2,)) alone, the layer below held fixed:
        nudge one entry of h to measure ∂L/∂h_j."""
        h = _vector(h, "h", what="hidden activations")
        y = _vector(y, "y", what="targets")
        y_hat = sigmoid(self.W_out @ h + self.b_out)
        return 0.5 * float(np.sum((y_hat - y) ** 2))

    def gradients(self, x=FORK_INPUTS, y=FORK_TARGETS):
        """{'W_hidden': (2, 2), 'b_hidden': (2,), 'W_out': (2, 2), 'b_out': (2,)}: ∂L/∂ of each parameter."""
        return self.run(x, y).gradients

    def step(self, eta=FORK_ETA, x=FORK_INPUTS, y=FORK_TARGETS):
        """One gradient-descent update of all twelve parameters, p − η ∂L/∂p, as a new TwoTwoTwo.

        Every gradient is taken at the old parameters before any of them changes."""
        eta = validate.learning_rate(eta)
        grads = self.gradients(x, y)
        return replace(self, **{n: getattr(self, n) - eta * grads[n] for n in PARAMETER_NAMES})

    def as_network(self):
        """The same network as a general `Network` (sigmoid, sigmoid, half_squared_error)."""
        return Network.from_weights([np.array(self.W_hidden), np.array(self.W_out)],
                                    [np.array(self.b_hidden), np.array(self.b_out)],
                                    activations=["sigmoid", "sigmoid"], loss="half_squared_error")

    def nudge_check(self, x=FORK_INPUTS, y=FORK_TARGETS, eps=1e-5):
        """Every backprop gradient against a centred finite difference of the loss, in float64.

        Returns a list of (name, backprop, nudged, relative error), one per parameter, with names such as
        'W_hidden[0, 1]' (the weight from x2 into h1) and 'b_out[1]'.
        """
        grads = self.gradients(x, y)
        rows = []
        for name in PARAMETER_NAMES:
            for index in np.ndindex(*SHAPES[name]):
                def loss_at(value, name=name, index=index):
                    changed = np.array(getattr(self, name))
                    changed[index] = value
                    return replace(self, **{name: changed}).loss(x, y)

                nudged = numerical_derivative(loss_at, float(getattr(self, name)[index]), eps)
                exact = float(grads[name][index])
                label = f"{name}[{', '.join(str(i) for i in index)}]"
                rows.append((label, exact, nudged, float(relative_error(exact, nudged))))
        return rows


# ---- Why backprop: paths against edges in fully connected chains of layers ----

def chain_sizes(hidden_layers, width=2, inputs=2, outputs=1):
    """Layer sizes of a fully connected chain: [inputs, width, ..., width, outputs] with `hidden_layers`
    hidden layers. chain_sizes(1) = [2, 2, 1] (the 2-2-1 shape), chain_sizes(3) = [2, 2, 2, 2, 1]."""
    hidden_layers = validate.positive_int(hidden_layers, "hidden_layers")
    width = validate.positive_int(width, "width")
    inputs = validate.positive_int(inputs, "inputs")
    outputs = validate.positive_int(outputs, "outputs")
    return [inputs] + [width] * hidden_layers + [outputs]


def _sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes, such as [2, 2, 1], but got "
                         f"{validate.describe(sizes)}")
    return [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]


def enumerate_paths_to_loss(sizes, layer=1, neuron=0):
    """Every path from neuron `neuron` of layer `layer` to the loss, found by walking the graph.

    sizes: layer sizes, inputs first ([2, 2, 2, 1]); layer counts from the input (layer 1 is the first
    hidden layer). Every neuron of a layer feeds every neuron of the next, and every output feeds L.
    A path is a tuple of neuron indices, one per layer from `layer` to the output. A weight into that
    neuron reaches the loss along exactly these paths.
    """
    sizes = _sizes(sizes)
    depth = len(sizes) - 1
    layer = validate.positive_int(layer, "layer")
    if layer > depth:
        raise ValueError(f"layer must be 1 to {depth} for sizes {sizes}, but got {layer}")
    if isinstance(neuron, bool) or not isinstance(neuron, (int, np.integer)) or not 0 <= neuron < sizes[layer]:
        raise ValueError(f"neuron must be 0 to {sizes[layer] - 1} (layer {layer} has {sizes[layer]} neurons), "
                         f"but got {neuron!r}")
    paths = []

    def walk(path):
        if len(path) - 1 + layer == depth:   # at an output neuron: its one arrow leads to L
            paths.append(tuple(path))
            return
        for nxt in range(sizes[layer + len(path)]):   # this neuron feeds every neuron of the next layer
            walk(path + [nxt])

    walk([int(neuron)])
    return paths


def count_paths_to_loss(sizes, layer=1, neuron=0):
    """How many paths lead from neuron `neuron` of layer `layer` (and so from any weight into it) to the loss."""
    return len(enumerate_paths_to_loss(sizes, layer, neuron))


def paths_by_formula(sizes, layer=1):
    """The same count without walking: the product of the sizes of every layer above `layer`."""
    sizes = _sizes(sizes)
    return int(np.prod(sizes[layer + 1:], dtype=np.int64))


def _checked_chain(W, b, x, y):
    """W, b, x, y as float64 arrays whose shapes fit together, or a ValueError/TypeError that names which."""
    if not isinstance(W, (list, tuple)) or not isinstance(b, (list, tuple)) or len(W) != len(b) or not W:
        raise TypeError("W and b must be lists with one array per layer, layer 1 first, of the same length, but got "
                        f"{validate.describe(W)} and {validate.describe(b)}")
    x = validate.as_array(x, "x", ndim=1)
    W = [validate.as_array(w, f"W[{l}]", ndim=2) for l, w in enumerate(W, start=1)]
    b = [validate.as_array(v, f"b[{l}]", ndim=1) for l, v in enumerate(b, start=1)]
    below = len(x)
    for l, (w, v) in enumerate(zip(W, b), start=1):
        if w.shape[1] != below:
            raise ValueError(f"W[{l}] has shape {w.shape} but layer {l - 1} has {below} values")
        if v.shape != (w.shape[0],):
            raise ValueError(f"b[{l}] has shape {v.shape} but W[{l}] has {w.shape[0]} rows")
        below = w.shape[0]
    y = validate.as_array(y, "y", ndim=1)
    if y.shape != (below,):
        raise ValueError(f"y has shape {y.shape} but the network has {below} outputs")
    return W, b, x, y


def _forward_chain(W, b, x):
    a = [np.asarray(x, dtype=np.float64)]
    for Wl, bl in zip(W, b):
        a.append(sigmoid(Wl @ a[-1] + bl))
    return a


def backward_pass_edge_visits(W, b, x, y):
    """One backward pass through a chain of sigmoid layers (loss half_squared_error), counting its work.

    W, b: lists of arrays, layer 1 first (W[l - 1] of shape (sizes[l], sizes[l - 1])); x, y: one sample.
    Each weight is an edge of the graph. The pass visits an edge once: there it makes the weight's
    gradient (δ of the neuron above × the value below) and, above layer 1, the share it passes down
    (δ × the weight), which adds into the ∂L/∂a of the neuron below.
    Returns (dL_dW, dL_db, visits): gradients as lists like W and b, and a dict {(layer, j, i): visits}.
    """
    W, b, x, y = _checked_chain(W, b, x, y)
    a = _forward_chain(W, b, x)
    dL_da = a[-1] - y
    dL_dW, dL_db, visits = [None] * len(W), [None] * len(W), {}
    for l in range(len(W), 0, -1):
        delta = dL_da * a[l] * (1.0 - a[l])
        grad_W = np.zeros_like(W[l - 1])
        below = np.zeros(W[l - 1].shape[1])
        for j in range(W[l - 1].shape[0]):
            for i in range(W[l - 1].shape[1]):
                grad_W[j, i] = delta[j] * a[l - 1][i]
                if l > 1:
                    below[i] += delta[j] * W[l - 1][j, i]
                visits[(l, j, i)] = visits.get((l, j, i), 0) + 1
        dL_dW[l - 1], dL_db[l - 1], dL_da = grad_W, delta, below
    return dL_dW, dL_db, visits


def gradient_by_enumerating_paths(W, b, x, y, neuron=0, input_index=0):
    """∂L/∂W[1][neuron, input_index] the slow way: one product of local derivatives per path, summed.

    Same network as `backward_pass_edge_visits`. Returns (gradient, number of paths). Every path starts
    with x_i · σ′(z) of the first-layer neuron and multiplies, for each step up, the weight and the slope
    of the neuron it reaches, and at the output ∂L/∂ŷ = ŷ − y.

    Used in notebook 06.
    """
    W, b, x, y = _checked_chain(W, b, x, y)
    a = _forward_chain(W, b, x)
    sizes = [len(a[0])] + [Wl.shape[0] for Wl in W]
    paths = enumerate_paths_to_loss(sizes, 1, neuron)
    if (isinstance(input_index, bool) or not isinstance(input_index, (int, np.integer))
            or not 0 <= input_index < sizes[0]):
        raise ValueError(f"input_index must be 0 to {sizes[0] - 1}, but got {input_index!r}")
    slope = [None] + [al * (1.0 - al) for al in a[1:]]
    total = 0.0
    for path in paths:
        product = a[0][input_index] * slope[1][path[0]]
        for step, (below, above) in enumerate(zip(path, path[1:]), start=2):
            product *= W[step - 1][above, below] * slope[step][above]
        product *= a[-1][path[-1]] - y[path[-1]]
        total += product
    return total, len(paths)


__all__ = [
    "FORK_B_HIDDEN", "FORK_B_OUT", "FORK_ETA", "FORK_INPUTS", "FORK_TARGETS", "FORK_W_HIDDEN", "FORK_W_OUT",
    "ForkPass", "TwoTwoTwo", "backward_pass_edge_visits", "chain_sizes", "count_paths_to_loss",
    "enumerate_paths_to_loss", "fork_backward", "gradient_by_enumerating_paths", "paths_by_formula",
]
