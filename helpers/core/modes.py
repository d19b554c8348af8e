"""Forward mode against reverse mode, and what reverse mode pays in memory (notebook 06, section 6).

The chain rule can be run in two directions through the same network.

Forward mode carries a *tangent* beside every value: how fast that value moves while the inputs
move along one chosen direction. For one layer, with the batch as rows (z = a·Wᵀ + b),

    dz = a·dWᵀ + da·Wᵀ + db          da = f′(z) ⊙ dz

and at the end dL = Σ ∂L/∂ŷ ⊙ dŷ. One pass gives one Jacobian-vector product: the derivative of
every output along ONE input direction. The gradient of the loss needs one pass per parameter.

Reverse mode (backprop, `Network.backward`) carries ∂L/∂(value) backwards: one pass gives one
vector-Jacobian product, the derivative of ONE output with respect to every input. The loss is one
number, so one backward pass gives every parameter's gradient. It pays for that in memory: the
backward pass needs every layer's z and a, so the forward pass must keep them all. Checkpointing
keeps only some layers and rebuilds the rest when the backward pass reaches them.

Multiply-adds are counted as `gradcheck.gradient_costs` counts them: a matrix product of shapes
(N, n) and (n, m) costs N·n·m; element-wise work is not counted.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import validate
from ..practice.gradcheck import _network, gradient_costs
from .network import _FUSED, ForwardPass, Gradients


@dataclass
class ModeRun:
    """What one way of differentiating returned (notebook 06), and the work it took.

    value: the derivatives (a flat gradient laid out as `net.parameters()`, or a Jacobian (N, K)).
    forward_passes, backward_passes: passes through the network (a forward-mode pass carries the
        values and their tangents together and counts as one forward pass).
    multiply_adds: the multiply-adds of every matrix product the passes made.
    """

    value: np.ndarray
    forward_passes: int
    backward_passes: int
    multiply_adds: int


@dataclass
class CheckpointCost:
    """The memory and the extra arithmetic of one checkpointed backward pass (notebook 06).

    every: a layer's z and a are kept when its number is a multiple of `every` (the input and the
        output layer always are).
    kept_layers: the layers kept by the forward pass, 0 (the input X) first.
    peak_bytes: the most bytes of z and a arrays held at one time, kept and rebuilt together.
    store_all_bytes: the bytes of a whole ForwardPass, what plain backprop keeps.
    extra_multiply_adds: the multiply-adds spent rebuilding the layers that were not kept.
    forward_multiply_adds: the multiply-adds of one plain forward pass, for comparison.
    """

    every: int
    kept_layers: list = field(default_factory=list)
    peak_bytes: int = 0
    store_all_bytes: int = 0
    extra_multiply_adds: int = 0
    forward_multiply_adds: int = 0


class _Counter:
    """Matrix products that add their multiply-adds to a running total."""

    def __init__(self):
        self.multiply_adds = 0

    def matmul(self, A, B):
        self.multiply_adds += A.shape[0] * A.shape[1] * B.shape[1]
        return A @ B


def _tangent_of_activation(act, z, a, dz):
    """da for dz through a = f(z): f′(z) ⊙ dz, or for softmax a ⊙ (dz − Σ a·dz) over each row."""
    if act.name == "softmax":
        return a * (dz - np.sum(a * dz, axis=-1, keepdims=True))
    return act.derivative(z) * dz


def _forward_with_tangents(net, X, dX, dW, db, counter):
    """One forward-mode pass: the values a[l] and their tangents da[l] side by side, layer by layer.

    dX, dW[l] and db[l] are the tangents of the inputs and parameters; None means zero (that
    product is skipped, and not counted). Only the current layer is held: nothing is kept for later.
    Returns (z[D], a[D], dz[D], da[D]).
    """
    a, da = X, dX
    for l in range(1, net.depth + 1):
        z = counter.matmul(a, net.W[l].T) + net.b[l]
        dz = np.zeros_like(z)
        if dW is not None:
            dz += counter.matmul(a, dW[l].T) + db[l]     # the parameters move: dW·a + db
        if da is not None:
            dz += counter.matmul(da, net.W[l].T)         # the layer's input moves: W·da
        a = net.activations[l](z)
        da = _tangent_of_activation(net.activations[l], z, a, dz)
    return z, a, dz, da


def _loss_tangent(net, z, a, dz, da, Y):
    """dL = Σ ∂L/∂ŷ ⊙ dŷ, or Σ (a − Y)/N ⊙ dz for the pairs whose ∂L/∂z is simply that, as in Network."""
    if (net.activations[net.depth].name, net.loss.name) in _FUSED:
        return float(np.sum((a - Y) / Y.shape[0] * dz))
    return float(np.sum(net.loss.gradient(a, Y) * da))


def _checked(net, X, y):
    """net, X and Y checked as Network.gradients checks them."""
    X = _network(net).check_inputs(X)
    net._check_weights()
    return X, net.check_targets(y, X.shape[0])


def _as_layers(net, theta):
    """A flat vector laid out as net.parameters(), as two dicts of per-layer arrays (W, b)."""
    dW, db, i = {}, {}, 0
    for l in range(1, net.depth + 1):
        n = net.W[l].size
        dW[l] = theta[i:i + n].reshape(net.W[l].shape)
        db[l] = theta[i + n:i + n + net.b[l].size]
        i += n + net.b[l].size
    return dW, db


def directional_derivative(net, X, y, direction):
    """The rate of change of net's loss on (X, y) as the parameters move along `direction` (notebook 06).

    direction: a flat vector laid out as `net.parameters()`. One forward-mode pass: a
    Jacobian-vector product. With direction = the i-th unit vector it is ∂L/∂θ_i.
    Returns a ModeRun whose value is that one number.
    """
    X, Y = _checked(net, X, y)
    direction = validate.as_array(direction, "direction", ndim=1)
    if direction.size != net.num_parameters:
        raise ValueError(f"direction has {direction.size} values, but the network has {net.num_parameters} "
                         "parameters; lay it out as net.parameters() does")
    counter = _Counter()
    dW, db = _as_layers(net, direction)
    z, a, dz, da = _forward_with_tangents(net, X, None, dW, db, counter)
    return ModeRun(np.float64(_loss_tangent(net, z, a, dz, da, Y)), 1, 0, counter.multiply_adds)


def forward_mode_gradient(net, X, y):
    """Every ∂L/∂θ by forward mode: one forward-tangent pass per parameter (notebook 06).

    Pass i moves parameter i alone (a unit direction) and carries the tangents through every layer
    and the loss. Returns a ModeRun: the flat gradient (laid out as `net.parameters()`), P forward
    passes, no backward pass, and the multiply-adds of all P passes.
    """
    X, Y = _checked(net, X, y)
    counter = _Counter()
    direction = np.zeros(net.num_parameters)
    dW, db = _as_layers(net, direction)    # views into `direction`: setting one entry moves one parameter
    gradient = np.zeros(net.num_parameters)
    for i in range(net.num_parameters):
        direction[i] = 1.0
        z, a, dz, da = _forward_with_tangents(net, X, None, dW, db, counter)
        gradient[i] = _loss_tangent(net, z, a, dz, da, Y)
        direction[i] = 0.0
    return ModeRun(gradient, net.num_parameters, 0, counter.multiply_adds)


def reverse_mode_gradient(net, X, y):
    """Every ∂L/∂θ by reverse mode, `Network.gradients`: one forward and one backward pass (notebook 06).

    Returns a ModeRun: the flat gradient (laid out as `net.parameters()`), 1 forward pass, 1 backward
    pass, and their multiply-adds as `gradient_costs` counts them.
    """
    X, Y = _checked(net, X, y)
    _, grads = net.gradients(X, Y)
    return ModeRun(net.flat_gradients(grads), 1, 1, gradient_costs(net, X.shape[0])["backprop"])


def _feature(net, feature):
    n_in = net.sizes[0]
    if isinstance(feature, bool) or not isinstance(feature, (int, np.integer)):
        raise TypeError(f"feature must be the whole-number index of one input feature, 0 to {n_in - 1}, but got "
                        f"{validate.describe(feature)}")
    if not 0 <= feature < n_in:
        raise ValueError(f"feature must be an input feature's index, 0 to {n_in - 1} (Python counts from 0), "
                         f"but got {feature}")
    return int(feature)


def forward_mode_jacobian(net, X, feature):
    """∂ŷ_k/∂x_feature for every output k and every sample, by ONE forward-mode pass (notebook 06).

    The tangent starts as 1 on input `feature` of every sample (0 elsewhere; the parameters hold
    still) and is carried to the outputs. Returns a ModeRun whose value has shape (N, K): row n,
    column k is ∂ŷ_k/∂x_feature for sample n.
    """
    X = _network(net).check_inputs(X)
    net._check_weights()
    feature = _feature(net, feature)
    counter = _Counter()
    dX = np.zeros_like(X)
    dX[:, feature] = 1.0
    _, _, _, da = _forward_with_tangents(net, X, dX, None, None, counter)
    return ModeRun(da, 1, 0, counter.multiply_adds)


def reverse_mode_jacobian(net, X, feature):
    """The same Jacobian as forward_mode_jacobian, by reverse mode: one backward pass per output (notebook 06).

    One forward pass keeps every z and a; backward pass k starts from ∂ŷ_k/∂ŷ = 1 on output k and
    sends it down to the inputs, giving ∂ŷ_k/∂x for every input feature at once; column `feature`
    is kept. Returns a ModeRun with value (N, K), 1 forward pass and K backward passes.
    """
    X = _network(net).check_inputs(X)
    net._check_weights()
    feature = _feature(net, feature)
    counter = _Counter()
    fp = ForwardPass()
    fp.a[0] = X
    for l in range(1, net.depth + 1):
        fp.z[l] = counter.matmul(fp.a[l - 1], net.W[l].T) + net.b[l]
        fp.a[l] = net.activations[l](fp.z[l])
    D, K = net.depth, net.sizes[-1]
    jacobian = np.zeros((X.shape[0], K))
    for k in range(K):
        dy_da = np.zeros_like(fp.a[D])
        dy_da[:, k] = 1.0                                  # seed: ∂ŷ_k/∂ŷ is 1 on output k
        delta = net.activations[D].backward(fp.z[D], fp.a[D], dy_da)
        for l in range(D, 0, -1):
            dy_da_below = counter.matmul(delta, net.W[l])  # down through W[l], as δ[l]·W[l]
            if l > 1:
                delta = net.activations[l - 1].backward(fp.z[l - 1], fp.a[l - 1], dy_da_below)
        jacobian[:, k] = dy_da_below[:, feature]
    return ModeRun(jacobian, 1, K, counter.multiply_adds)


def stored_bytes(fp):
    """The bytes a ForwardPass holds for the backward pass: the nbytes of every z[l] and a[l] (notebook 06).

    a[0] is the input X, which the backward pass needs for ∂L/∂W[1].
    """
    if not isinstance(fp, ForwardPass):
        raise TypeError(f"fp must be a ForwardPass, such as net.forward(X) returns, but got {validate.describe(fp)}")
    return int(sum(v.nbytes for v in fp.z.values()) + sum(v.nbytes for v in fp.a.values()))


class _Held:
    """The z and a arrays held at one moment, and the most bytes ever held at once."""

    def __init__(self):
        self.arrays, self.peak = {}, 0

    def keep(self, name, array):
        self.arrays[name] = array
        self.peak = max(self.peak, sum(v.nbytes for v in self.arrays.values()))

    def drop(self, name):
        self.arrays.pop(name, None)


def checkpointed_gradients(net, X, y, every):
    """Backprop that keeps only every `every`-th layer and rebuilds the others when needed (notebook 06).

    The forward pass keeps z[l] and a[l] only for l a multiple of `every`, plus the input (a[0] = X)
    and the output layer. The backward pass works down one segment at a time: it rebuilds the
    segment's layers from the kept layer below it (the same arithmetic as the forward pass, so the
    same numbers), uses them, and lets them go. every = 1 keeps every layer (plain backprop).

    Returns (loss, Gradients, CheckpointCost); the Gradients equal net.gradients(X, y)'s.
    """
    X, Y = _checked(net, X, y)
    D = net.depth
    every = validate.positive_int(every, "every")
    if every > D:
        raise ValueError(f"every must be at most {D}, the number of layers: it keeps every `every`-th layer, "
                         f"but got {every}")
    kept = sorted({0, D} | set(range(every, D, every)))
    counter, held = _Counter(), _Held()

    z, a = {}, {0: X}
    held.keep(("a", 0), X)
    store_all = X.nbytes                  # what a plain ForwardPass would hold, array by array
    a_l = X
    for l in range(1, D + 1):             # forward: keep only the checkpoint layers
        z_l = counter.matmul(a_l, net.W[l].T) + net.b[l]
        a_l = net.activations[l](z_l)
        store_all += z_l.nbytes + a_l.nbytes
        if l in kept:
            z[l], a[l] = z_l, a_l
            held.keep(("z", l), z_l)
            held.keep(("a", l), a_l)
    forward_cost = counter.multiply_adds
    loss = net._loss_value(ForwardPass(z={D: z[D]}, a={D: a[D]}), Y)

    grads = Gradients()
    if (net.activations[D].name, net.loss.name) in _FUSED:
        grads.delta[D] = (a[D] - Y) / Y.shape[0]
    else:
        grads.delta[D] = net.activations[D].backward(z[D], a[D], net.loss.gradient(a[D], Y))
    for low, high in reversed(list(zip(kept, kept[1:]))):
        for l in range(low + 1, high):    # rebuild the segment between two kept layers
            z[l] = counter.matmul(a[l - 1], net.W[l].T) + net.b[l]
            a[l] = net.activations[l](z[l])
            held.keep(("z", l), z[l])
            held.keep(("a", l), a[l])
        for l in range(high, low, -1):    # the same steps as Network.backward
            grads.dL_dW[l] = grads.delta[l].T @ a[l - 1]
            grads.dL_db[l] = grads.delta[l].sum(axis=0)
            if l > 1:
                dL_da_below = grads.delta[l] @ net.W[l]
                grads.delta[l - 1] = net.activations[l - 1].backward(z[l - 1], a[l - 1], dL_da_below)
        for l in range(low + 1, high + 1):  # this segment and the kept layer on top of it are done
            held.drop(("z", l))
            held.drop(("a", l))
            z.pop(l, None)
            a.pop(l, None)

    cost = CheckpointCost(every, kept, held.peak, store_all, counter.multiply_adds - forward_cost, forward_cost)
    return loss, grads, cost
