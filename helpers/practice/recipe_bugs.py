"""Two checks practitioners run and two bugs they meet (notebook 09).

    input_gradient(net, X, y, sample=None)   ∂L/∂X by backprop, δ[1]·W[1]: for the batch loss, or one sample's loss
    dependency_matrix(net, X, y)             |∂L_i/∂X_j| for every pair of samples (i, j): one row per loss
    mixing(M)                                how many pairs i ≠ j have ∂L_i/∂X_j ≠ 0, out of how many
    SoftmaxOverBatchNetwork                  the bug: softmax along axis 0, across the batch
    Parameter, AccumulatingNetwork           gradients that add up (+=) until zero_grad(), as in PyTorch
    gradients_used(loop, model, X, y, ...)   the parameters and the .grad at every update a training loop makes
    check_during_training(...)               a per-layer gradient check of the gradient each update used

One sample's loss can only depend on that sample's input: a network computes each row of a batch on
its own. A slip that mixes the rows (a softmax over the wrong axis, a reshape that shuffles samples)
breaks that, and backprop shows it: seed the backward pass with one sample's loss and look at which
rows of ∂L/∂X come back nonzero.
"""

import copy

import numpy as np

from .. import validate
from .gradcheck import _guarded, compare_gradients, network_numerical_gradient
from ..core.losses import _cross_entropy_from_log_probabilities
from ..core.network import ForwardPass, Gradients, Network

# Output activation and loss pairs whose combined δ is simply (a − y) for one sample's loss.
_FUSED = {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}


def _network(net, name="net"):
    if not isinstance(net, Network):
        raise TypeError(f"{name} must be a helpers Network, such as Network([2, 8, 2]), but got "
                        f"{validate.describe(net)}")
    return net


def softmax_over_batch(z):
    """The planted slip: softmax down each column of z (N, K), across the N samples, instead of along each row."""
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)          # each column adds up to 1: the samples compete for each class


def _weighted_output_delta(net, fp, Y, weights):
    """∂(Σ_n weights[n] · ℓ_n) / ∂z[D] for a plain Network, ℓ_n being sample n's loss.

    The batch loss is the mean of the ℓ_n, so weights = 1/N gives the δ[D] of Network.backward, and
    weights = (0, ..., 1, ..., 0) the δ[D] of sample i's loss alone.
    """
    D = net.depth
    N = len(Y)
    if (net.activations[D].name, net.loss.name) in _FUSED:
        per_sample = fp.a[D] - Y
    else:  # the loss's gradient is that of the mean over samples: N times it is each sample's own
        per_sample = net.activations[D].backward(fp.z[D], fp.a[D], N * net.loss.gradient(fp.a[D], Y))
    return weights[:, None] * per_sample


def _output_delta(net, fp, Y, weights):
    own = getattr(net, "weighted_output_delta", None)
    if own is not None:
        return own(fp, Y, weights)
    if type(net)._forward is not Network._forward or type(net)._loss_value is not Network._loss_value:
        raise TypeError(f"net is a {type(net).__name__} with a forward pass or loss of its own, so its backward pass "
                        "from one sample's loss is unknown here; give the class a method "
                        "weighted_output_delta(fp, Y, weights)")
    return _weighted_output_delta(net, fp, Y, weights)


def backward_from(net, fp, delta_D):
    """The backward pass from δ[D] = delta_D down: Gradients (dL_dW, dL_db, delta), and ∂L/∂X = δ[1]·W[1].

    Every line is one of Network.backward's: δ[l−1] = (δ[l]·W[l]) ⊙ f′(z[l−1]). Nothing here assumes that
    the rows of a batch stay apart: whatever δ[D] holds is carried down as it is.
    """
    grads = Gradients()
    grads.delta[net.depth] = delta_D
    for l in range(net.depth, 0, -1):
        grads.dL_dW[l] = grads.delta[l].T @ fp.a[l - 1]
        grads.dL_db[l] = grads.delta[l].sum(axis=0)
        if l > 1:
            grads.delta[l - 1] = net.activations[l - 1].backward(fp.z[l - 1], fp.a[l - 1], grads.delta[l] @ net.W[l])
    return grads, grads.delta[1] @ net.W[1]


def _batch(net, X, y):
    X = _network(net).check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    net._check_weights()
    return X, Y, net._checked_forward(X)


def input_gradient(net, X, y, sample=None):
    """∂L/∂X, shape (N, inputs), by backprop: δ[1]·W[1].

    sample=None: L is the batch's loss (the mean over samples). sample=i: L is sample i's loss alone,
    ℓ_i, as the forward pass of the whole batch computes it; in a network that keeps samples apart, only
    row i of the result can be nonzero.

    Used in notebook 09.
    """
    X, Y, fp = _batch(net, X, y)
    N = len(X)
    if sample is None:
        weights = np.full(N, 1.0 / N)
    else:
        if isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or not 0 <= sample < N:
            raise ValueError(f"sample must be the index of one sample of the batch, 0 to {N - 1}, but got {sample!r}")
        weights = np.zeros(N)
        weights[sample] = 1.0
    return backward_from(net, fp, _output_delta(net, fp, Y, weights))[1]


def dependency_matrix(net, X, y):
    """M[i, j] = ‖∂ℓ_i/∂X_j‖, the size of sample j's input gradient in sample i's loss. Shape (N, N).

    A network that computes each sample on its own gives a diagonal M: every entry off the diagonal is
    exactly 0.

    Used in notebook 09.
    """
    X = _network(net).check_inputs(X)
    rows = [np.linalg.norm(input_gradient(net, X, y, sample=i), axis=1) for i in range(len(X))]
    return np.array(rows)


def mixing(M):
    """(nonzero, total): how many entries off the diagonal of a dependency matrix are not exactly 0, out of how many.

    Used in notebook 09.
    """
    M = validate.as_array(M, "M", ndim=2)
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"M must be square, one row and one column per sample, but has shape {M.shape}")
    off = ~np.eye(len(M), dtype=bool)
    return int(np.count_nonzero(M[off])), int(off.sum())


def plot_dependencies(matrices, axes=None):
    """Draw each dependency matrix of {title: M} side by side: sample i's loss down, sample j's input across.

    Exact zeros are white; the rest is shaded by size (log scale). Returns the axes.

    Used in notebook 09.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    if not isinstance(matrices, dict) or not matrices:
        raise TypeError(f"matrices must be a dict {{title: M}} with at least one entry, but got "
                        f"{validate.describe(matrices)}")
    arrays = {str(t): validate.as_array(M, f"matrices[{t!r}]", ndim=2) for t, M in matrices.items()}
    if axes is None:
        _, axes = plt.subplots(1, len(arrays), figsize=(4.6 * len(arrays), 4.2), layout="constrained", squeeze=False)
        axes = axes[0]
    nonzero = np.concatenate([M[M > 0] for M in arrays.values()])
    norm = LogNorm(vmin=nonzero.min(), vmax=nonzero.max()) if nonzero.size else None
    for ax, (title, M) in zip(axes, arrays.items()):
        shown = np.ma.masked_where(M == 0, M)
        image = ax.imshow(shown, cmap="viridis", norm=norm)
        count, total = mixing(M)
        ax.set_title(f"{title}\n{count} of {total} pairs i ≠ j nonzero")
        ax.set_xlabel("input of sample j")
        ax.set_ylabel("loss of sample i")
        ax.set_xticks(range(len(M)))
        ax.set_yticks(range(len(M)))
    if norm is not None:
        plt.colorbar(image, ax=list(axes), label=r"$|\partial \ell_i / \partial X_j|$ (white: exactly 0)", shrink=0.85)
    return axes


class SoftmaxOverBatchNetwork(Network):
    """Bug: the output softmax runs along axis 0, down each column, across the samples of the batch.

    Each 'probability' p[n, k] then says how sample n compares with the other samples of its batch for
    class k. The loss is the cross-entropy of those p, and the backward pass is its exact gradient
    (as a framework's automatic differentiation would compute it): a gradient check agrees.
    Needs a softmax output and loss 'cross_entropy'.

    Used in notebook 09.
    """

    def __init__(self, sizes, activations="sigmoid", loss="cross_entropy", **kwargs):
        super().__init__(sizes, activations, loss, **kwargs)
        if self.activations[self.depth].name != "softmax" or self.loss.name != "cross_entropy":
            raise ValueError("SoftmaxOverBatchNetwork needs a 'softmax' output layer and loss 'cross_entropy'")

    def _forward(self, X):
        fp = ForwardPass()
        fp.a[0] = X
        for l in range(1, self.depth + 1):
            fp.z[l] = fp.a[l - 1] @ self.W[l].T + self.b[l]
            fp.a[l] = softmax_over_batch(fp.z[l]) if l == self.depth else self.activations[l](fp.z[l])
        return fp

    def _loss_value(self, fp, Y):
        z = fp.z[self.depth]
        top = z.max(axis=0)
        log_p = z - top - np.log(np.exp(z - top).sum(axis=0))   # log of the column softmax
        return _cross_entropy_from_log_probabilities(Y, log_p)

    def weighted_output_delta(self, fp, Y, weights):
        """∂(Σ_i weights[i] ℓ_i)/∂z[D] = p[j, k] · Σ_i weights[i] Y[i, k] − weights[j] Y[j, k]: every row gets a share."""
        return fp.a[self.depth] * (weights @ Y)[None, :] - weights[:, None] * Y

    def _backward(self, fp, Y):
        return backward_from(self, fp, self.weighted_output_delta(fp, Y, np.full(len(Y), 1.0 / len(Y))))[0]


class Parameter:
    """One array of parameters with its gradient beside it, as a framework keeps them.

    data: the values (float64). grad: the same shape; every backward ADDS its gradient into it (+=),
    and only zero_grad() (or your own reset) sets it back to 0. name: 'W[1]', 'b[1]', ...
    """

    def __init__(self, data, name):
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)
        self.name = name

    def __repr__(self):
        return f"Parameter({self.name}, shape {self.data.shape})"


class AccumulatingNetwork:
    """A Network whose gradients accumulate, as in PyTorch: backward() adds, zero_grad() resets.

    Frameworks add (+=) so that a parameter used in several places collects every share (the fork rule);
    the price is that a training loop must reset the gradients before each backward pass.

        model.parameters()    [W[1], b[1], W[2], b[2], ...], each a Parameter with .data and .grad
        model.zero_grad()     every .grad back to 0
        model.backward(X, y)  forward pass, loss, backward pass; ADDS ∂L/∂θ to each .grad; returns the loss
        model.step(eta)       θ ← θ − η · θ.grad for every parameter (what an optimiser's step does)

    Used in notebook 09.
    """

    def __init__(self, net):
        self.net = _network(net).copy()
        self.W = {l: Parameter(self.net.W[l], f"W[{l}]") for l in range(1, self.net.depth + 1)}
        self.b = {l: Parameter(self.net.b[l], f"b[{l}]") for l in range(1, self.net.depth + 1)}

    def __repr__(self):
        return f"AccumulatingNetwork({self.net!r})"

    def parameters(self):
        """Every Parameter, in the order of Network.parameters(): W[1], b[1], W[2], b[2], ..."""
        return [p for l in range(1, self.net.depth + 1) for p in (self.W[l], self.b[l])]

    def _load(self):
        for l in range(1, self.net.depth + 1):
            self.net.W[l] = np.array(self.W[l].data, dtype=np.float64)
            self.net.b[l] = np.array(self.b[l].data, dtype=np.float64)

    def loss(self, X, y):
        """The loss on (X, y) with the current values; no gradient is touched."""
        self._load()
        return self.net.loss_value(X, y)

    def backward(self, X, y):
        """Forward pass, loss and backward pass on (X, y): adds each ∂L/∂θ into θ.grad (+=). Returns the loss."""
        self._load()
        loss, grads = self.net.gradients(X, y)
        for l in range(1, self.net.depth + 1):
            for p, g in ((self.W[l], grads.dL_dW[l]), (self.b[l], grads.dL_db[l])):
                if p.grad is None:
                    p.grad = np.zeros_like(p.data)
                p.grad += g
        return loss

    def zero_grad(self):
        """Set every parameter's .grad back to 0."""
        for p in self.parameters():
            p.grad = np.zeros_like(p.data)

    def step(self, eta):
        """One update of every parameter with the gradient in its .grad: θ ← θ − η · θ.grad."""
        eta = validate.learning_rate(eta)
        for p in self.parameters():
            p.data -= eta * (0.0 if p.grad is None else p.grad)

    def flat_parameters(self):
        """Every value in one vector, laid out as Network.parameters()."""
        return np.concatenate([np.ravel(p.data) for p in self.parameters()]).astype(np.float64)

    def flat_gradients(self):
        """Every .grad in one vector, laid out as flat_parameters() (0 where a .grad is None)."""
        return np.concatenate([np.ravel(np.zeros_like(p.data) if p.grad is None else p.grad)
                               for p in self.parameters()]).astype(np.float64)


def _model(model):
    if not isinstance(model, AccumulatingNetwork):
        raise TypeError(f"model must be an AccumulatingNetwork, such as AccumulatingNetwork(Network([2, 8, 2])), but "
                        f"got {validate.describe(model)}")
    return model


def gradients_used(loop, model, X, y, eta, steps):
    """Run loop(model, X, y, eta, steps) on a copy of `model` and record what each update uses.

    Every call of model.step(eta) is watched: just before it, the parameters and the .grad are copied.
    Returns (thetas, grads), two lists of flat vectors laid out as Network.parameters(), one per update.
    `model` is left unchanged. Your loop runs in a separate process, stopped (TimeoutError naming loop)
    if it takes over helpers.gradcheck.TIME_LIMIT seconds.

    Used in notebook 09.
    """
    validate.function(loop, "loop", "your function train_steps(model, X, y, eta, steps)", arguments=5)
    model = _model(model)
    X = model.net.check_inputs(X)
    y = model.net.check_targets(y, X.shape[0])
    eta = validate.learning_rate(eta)
    steps = validate.positive_int(steps, "steps")

    def body(call):
        work = copy.deepcopy(model)
        records = []
        real_step = work.step

        def step(eta_used):
            records.append([work.flat_parameters().tolist(), work.flat_gradients().tolist()])
            real_step(eta_used)

        work.step = step
        call("loop(model, X, y, eta, steps)", work, X, y, eta, steps)
        return records

    records = _guarded(loop, "loop", body)
    return [np.array(r[0]) for r in records], [np.array(r[1]) for r in records]


def true_gradients(model, thetas, X, y):
    """∂L/∂θ by the Network's own backward pass at each parameter vector of `thetas`, as flat vectors.

    Used in notebook 09.
    """
    work = _model(model).net.copy()
    found = []
    for theta in thetas:
        work.set_parameters(theta)
        _, grads = work.gradients(X, y)
        found.append(work.flat_gradients(grads))
    return found


def check_during_training(loop, model, X, y, eta, steps, at=None):
    """A gradient check of the gradient that each update of a training loop really uses.

    Runs the loop (see gradients_used) and compares the .grad handed to update k with centred differences
    of the loss at the parameters of that moment, per layer and per part (W and b), in float64.
    at: the update numbers to check, counting from 0 (None: every update). Returns {k: GradientCheck}.

    Used in notebook 09.
    """
    thetas, grads = gradients_used(loop, model, X, y, eta, steps)
    at = range(len(thetas)) if at is None else at
    work = model.net.copy()
    checks = {}
    for k in at:
        k = validate.positive_int(k, "each entry of at", minimum=0)
        if k >= len(thetas):
            raise ValueError(f"the loop made {len(thetas)} updates, numbered 0 to {len(thetas) - 1}, so it has no "
                             f"update {k} to check")
        work.set_parameters(thetas[k])
        checks[k] = compare_gradients(work, grads[k], network_numerical_gradient(work, X, y))
    return checks
