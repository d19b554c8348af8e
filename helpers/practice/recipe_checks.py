"""The checks practitioners run before and during a long training run (notebook 09), each a number.

    chance_loss(classes)                    ln C: the loss at the start of a network that knows nothing yet
    calm_start(net, frequencies)            a copy with small output weights and the output bias at ln(frequencies)
    epochs_to_reach(loss, level)            the first epoch whose loss is at or below a level
    baseline(y, classes)                    the loss and accuracy of guessing without looking at the input
    input_blind_run(net, X, y, ...)         train a copy on zeroed inputs: it can learn the class frequencies only
    overfit_small_batch(net, X, y, ...)     can the network drive the loss on a handful of samples to ~0?
    layer_statistics(net, X, y)             per hidden layer: activations, each sample's ∂L/∂z, the share saturated
    update_ratios(net, X, y, eta)           ‖η ∂L/∂W[l]‖ / ‖W[l]‖ per layer: about 1e-3 in large networks
    learning_rate_range(make_net, X, y, ...) the loss after a short run at each of many learning rates

Every function leaves the networks it is given unchanged (it trains copies) and is deterministic.
Their figures are in `helpers.plots.recipe_plots`; `helpers.practice.recipe` holds both.
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import validate
from ..core.network import Network
from .training import train

# A network that cannot bring the loss on a few samples this low has a bug or too little capacity.
OVERFIT_LOSS = 0.05
# A rule of thumb for large networks: one update changes each weight matrix by about a thousandth of its
# size. It is not a target for small ones: notebook 09's classifier trains well at 0.06 to 0.3 (η = 0.5)
# and crawls at ratios near 1e-3 (η = 0.005). The range test, not this line, picks η.
HEALTHY_RATIO = 1e-3


# A sigmoid or tanh unit whose output is within this distance of an end of its range is saturated (the
# definition of helpers.widgets.histograms too): its slope is below 0.059 (tanh: 1 − 0.97², against at most 1)
# or 0.029 (sigmoid: 0.97 · 0.03, against at most 0.25), so the gradient passing back through it is cut to a
# small fraction.
SATURATED = 0.03
# calm_start multiplies the output weights by this: small enough that every class starts near its frequency.
CALM_SCALE = 0.01


def _network(net, name="net"):
    if not isinstance(net, Network):
        raise TypeError(f"{name} must be a helpers Network, but got {validate.describe(net)}")
    return net


def chance_loss(classes):
    """ln C (notebook 09): the cross-entropy of answering 1/C for every one of C balanced classes, the loss a
    network that knows nothing yet should start at (ln 2 ≈ 0.693 for cat or dog, ln 10 ≈ 2.303 for ten)."""
    classes = validate.positive_int(classes, "classes", minimum=2)
    return math.log(classes)


def calm_start(net, frequencies=None, *, scale=CALM_SCALE):
    """A copy of `net` (softmax output) whose output layer says "I don't know yet" (notebook 09).

    The output weights are multiplied by `scale` (small), and the output biases are set to 0 for balanced
    classes (frequencies=None) or to ln(frequencies) for unbalanced ones, so that every sample starts with
    probabilities near the class frequencies and the loss starts near the baseline entropy.
    frequencies: one positive share per output, adding up to 1, such as baseline(y, classes).frequencies.
    """
    net = _network(net).copy()
    D = net.depth
    if net.activations[D].name != "softmax":
        raise ValueError(f"calm_start needs a network with a softmax output, but layer {D} uses "
                         f"{net.activations[D].name!r}")
    scale = validate.as_number(scale, "scale")
    if not 0 <= scale <= 1:
        raise ValueError(f"scale must be between 0 and 1 (it shrinks the output weights), but got {scale:g}")
    net.W[D] = scale * net.W[D]
    if frequencies is None:
        net.b[D] = np.zeros(net.sizes[-1])
        return net
    frequencies = validate.as_array(frequencies, "frequencies", ndim=1)
    if frequencies.shape != (net.sizes[-1],):
        raise ValueError(f"frequencies must hold one share per output ({net.sizes[-1]}), but it has {frequencies.size}")
    if np.any(frequencies <= 0) or np.any(frequencies > 1) or not math.isclose(frequencies.sum(), 1.0, abs_tol=1e-6):
        raise ValueError("frequencies must be positive shares that add up to 1, such as [0.9, 0.1], but got "
                         f"[{', '.join(f'{v:.6g}' for v in frequencies)}]")
    net.b[D] = np.log(frequencies)
    return net


def epochs_to_reach(loss, level):
    """The first epoch (index into `loss`, 0 = before any update) whose loss is at or below `level`, or None
    if it never gets there (notebook 09: how many first steps a bad start spends getting back to chance)."""
    loss = validate.as_array(loss, "loss", ndim=1)
    if np.any(loss < 0):
        raise ValueError(f"loss must hold losses of at least 0, one per epoch, but it holds {loss.min():g}")
    level = validate.as_number(level, "level")
    reached = np.flatnonzero(loss <= level)
    return int(reached[0]) if reached.size else None


@dataclass
class Overfit:
    """The loss on a small batch, step by step (loss[0] before any update), and whether it got near 0."""

    loss: list
    n_samples: int
    threshold: float = OVERFIT_LOSS

    @property
    def passed(self):
        return bool(self.loss) and self.loss[-1] < self.threshold


def overfit_small_batch(net, X, y, *, n_samples=4, eta=0.5, steps=300):
    """Notebook 09: train a copy of `net` on the first `n_samples` samples alone, one full-batch step at a time.

    A correct network and backward pass drive that loss close to 0: a few samples can always be
    memorised. If it stalls far above 0, look for a bug before training on everything.
    """
    net = _network(net).copy()
    n_samples = validate.positive_int(n_samples, "n_samples")
    X = net.check_inputs(X)
    Y = net.check_targets(y, len(X))
    if n_samples > len(X):
        raise ValueError(f"n_samples must be at most the number of samples in X ({len(X)}), but got {n_samples}")
    steps = validate.positive_int(steps, "steps")
    history = train(net, X[:n_samples], Y[:n_samples], eta=eta, epochs=steps)
    return Overfit([float(v) for v in history.loss], n_samples)


@dataclass
class Baseline:
    """Guessing without looking at the input: the class frequencies of the training labels.

    loss: cross-entropy of always answering those frequencies (the best input-blind loss);
    accuracy: the share of the most common class (always answering it); frequencies: one per class.
    """

    loss: float
    accuracy: float
    frequencies: np.ndarray


def baseline(y, classes):
    """The input-independent baseline for integer labels `y` (0 .. classes − 1), notebook 09."""
    classes = validate.positive_int(classes, "classes", minimum=2)
    labels = validate.as_array(y, "y", ndim=1)
    if labels.size == 0:
        raise ValueError("y must hold at least one label, but it is empty")
    if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= classes:
        raise ValueError(f"y must hold whole-number labels from 0 to {classes - 1}, but it holds values from "
                         f"{labels.min():g} to {labels.max():g}")
    frequencies = np.bincount(labels.astype(np.int64), minlength=classes) / labels.size
    seen = frequencies[frequencies > 0]
    return Baseline(float(-np.sum(seen * np.log(seen))), float(frequencies.max()), frequencies)


def input_blind_run(net, X, y, *, eta, epochs):
    """Train a copy of `net` on X with every input set to 0 (notebook 09) and return its History.

    With nothing to tell the samples apart, the network can only learn the class frequencies, so its loss
    falls to the input-blind baseline, baseline(y, classes).loss, and no further. The real model must beat
    that clearly.
    """
    net = _network(net).copy()
    X = net.check_inputs(X)
    return train(net, np.zeros_like(X), y, eta=eta, epochs=epochs)


@dataclass
class LayerStats:
    """One hidden layer of a forward and backward pass on a batch (notebook 09).

    activation: its name; a: every activation value (flat); gradient: every sample's own ∂L/∂z, that is
    N·δ[l] (flat), since L is the mean of the samples' losses; saturated: the share of a within SATURATED of
    an end of the activation's range (sigmoid, tanh), or None for an activation that does not saturate.
    """

    activation: str
    a: np.ndarray
    gradient: np.ndarray
    saturated: object


def saturated_share(a, activation):
    """The share of activations `a` within SATURATED of an end of their range: |a| > 0.97 for tanh, a < 0.03
    or a > 0.97 for sigmoid. None for other activations (ReLU does not saturate above; see dead units)."""
    activation = validate.choice(activation, "activation", ("sigmoid", "tanh", "relu", "linear"))
    a = validate.as_array(a, "a")
    if activation == "tanh":
        return float(np.mean(np.abs(a) > 1 - SATURATED))
    if activation == "sigmoid":
        return float(np.mean((a < SATURATED) | (a > 1 - SATURATED)))
    return None


def layer_statistics(net, X, y):
    """{l: LayerStats} for every hidden layer of `net` on the batch (X, y) (notebook 09): what per-layer
    histograms of activations and gradients show."""
    net = _network(net)
    N = net.check_inputs(X).shape[0]
    fp = net.forward(X)
    _, grads = net.gradients(X, y)
    stats = {}
    for l in range(1, net.depth):
        name = net.activations[l].name
        stats[l] = LayerStats(name, fp.a[l].ravel().copy(), (N * grads.delta[l]).ravel(),
                              saturated_share(fp.a[l], name))
    return stats


def update_ratios(net, X, y, eta):
    """{layer: ‖η ∂L/∂W[l]‖ / ‖W[l]‖} for one gradient step on (X, y): how much of each weight matrix one
    update changes (notebook 09). About 1e-3 is a rule of thumb for large networks (small ones train well far above it);
    near 1 or above, each step rewrites the layer; a first layer far below the last points to vanishing
    gradients."""
    net = _network(net)
    eta = validate.learning_rate(eta)
    _, grads = net.gradients(X, y)
    ratios = {}
    for l in range(1, net.depth + 1):
        size = np.linalg.norm(net.W[l])
        if size == 0:
            raise ValueError(f"W[{l}] is all zeros, so the update-to-weight ratio of layer {l} is undefined")
        with np.errstate(over="ignore"):
            ratios[l] = float(eta * (np.linalg.norm(grads.dL_dW[l]) / size))
        if not np.isfinite(ratios[l]):
            raise ValueError(f"eta = {eta:g} makes the update of layer {l} too large for a float64; use a smaller eta")
    return ratios


def learning_rate_range(make_net, X, y, etas, *, epochs=5, batch_size=None, seed=0):
    """The training loss after `epochs` epochs at each learning rate in `etas` (notebook 09). Returns a list of floats,
    inf where the run diverged.

    Each run trains a copy of what `make_net()` returns, so every learning rate starts from the same
    kind of network: `lambda: net` is fine too (every run starts from net's weights, and net is left
    unchanged)."""
    validate.function(make_net, "make_net", "`lambda: Network([2, 8, 2], ['relu', 'softmax'], 'cross_entropy')`",
                      arguments=0)
    if isinstance(etas, (str, bytes, set, frozenset, dict)) or not hasattr(etas, "__iter__"):
        raise TypeError(f"etas must be a list of learning rates, such as [0.01, 0.1, 1.0], but got "
                        f"{validate.describe(etas)}")
    etas = [validate.learning_rate(eta, f"etas[{i}]") for i, eta in enumerate(etas)]
    if not etas:
        raise ValueError("etas must hold at least one learning rate, but it is empty")
    losses = []
    for eta in etas:
        net = _network(make_net(), "make_net()").copy()  # never train one network on top of the last run
        history = train(net, X, y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed)
        losses.append(float("inf") if history.diverged else float(history.loss[-1]))
    return losses
