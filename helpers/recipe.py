"""The checks practitioners run before and during a long training run (notebook 09), each a number and a figure.

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
"""

import math
from dataclasses import dataclass

import matplotlib.axes
import matplotlib.pyplot as plt
import numpy as np

from . import style, validate
from .network import Network
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
        raise TypeError(f"{name} must be a helpers Network, but got {validate._describe(net)}")
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
                        f"{validate._describe(etas)}")
    etas = [validate.learning_rate(eta, f"etas[{i}]") for i, eta in enumerate(etas)]
    if not etas:
        raise ValueError("etas must hold at least one learning rate, but it is empty")
    losses = []
    for eta in etas:
        net = _network(make_net(), "make_net()").copy()  # never train one network on top of the last run
        history = train(net, X, y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed)
        losses.append(float("inf") if history.diverged else float(history.loss[-1]))
    return losses


# ---- figures ----

def _losses(losses):
    """The losses of learning_rate_range as an array: numbers, with inf for a diverged run; never NaN."""
    if isinstance(losses, (str, bytes, set, frozenset, dict)) or callable(losses):
        raise TypeError(f"losses must be the list learning_rate_range returns, but got {validate._describe(losses)}")
    try:
        array = np.asarray(losses, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"losses must be a list of numbers, but got {validate._describe(losses)}") from exc
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"losses must be a flat list with one loss per learning rate, but it has shape {array.shape}")
    if np.any(np.isnan(array)) or np.any(array < 0):
        raise ValueError("losses must hold losses of at least 0 (inf for a diverged run), but it holds "
                         f"{array[np.isnan(array) | (array < 0)][0]}")
    return array


def _axes(ax, figsize=None):
    if ax is not None and not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes (or None for a new figure), but got {validate._describe(ax)}")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or style.FIGSIZE, layout="constrained")
    return ax


def plot_overfit(result, ax=None, *, label=None, color=None, threshold=True):
    """The small batch's loss per step, on a log scale, with the OVERFIT_LOSS line (threshold=True)."""
    if not isinstance(result, Overfit):
        raise TypeError(f"result must be what overfit_small_batch returns, but got {validate._describe(result)}")
    validate.as_array(result.loss, "result.loss", ndim=1)
    ax = _axes(ax)
    ax.semilogy(result.loss, color=color or style.PALETTE["blue"],
                label=label or f"loss on {result.n_samples} samples")
    if threshold:
        ax.axhline(result.threshold, color=style.PALETTE["grey"], ls="--", lw=1, label=f"{result.threshold:g}")
    ax.set(xlabel="step", ylabel="loss (log scale)", title="Overfit one tiny batch")
    ax.legend()
    return ax


def plot_starts(losses, level=None, ax=None):
    """Loss curves of several starts, {name: loss per epoch}, on a log scale (notebook 09), with an optional
    dotted line at `level` (the chance loss ln C)."""
    if not isinstance(losses, dict) or not losses:
        raise TypeError("losses must be a dict {name: loss per epoch, ...} with at least one entry, but got "
                        f"{validate._describe(losses)}")
    curves = {str(name): validate.as_array(loss, f"losses[{name!r}]", ndim=1) for name, loss in losses.items()}
    for name, loss in curves.items():
        if np.any(loss < 0):
            raise ValueError(f"losses[{name!r}] must hold losses of at least 0, but it holds {loss.min():g}")
    ax = _axes(ax)
    looks = [("blue", "-"), ("vermillion", "--"), ("orange", "-."), ("green", ":")]
    for i, (name, loss) in enumerate(curves.items()):
        colour, line = looks[i % len(looks)]
        ax.semilogy(loss, color=style.PALETTE[colour], ls=line, label=name)
    if level is not None:
        level = validate.as_number(level, "level")
        if level <= 0:
            raise ValueError(f"level must be a positive loss (the axis is logarithmic), but got {level:g}")
        ax.axhline(level, color=style.PALETTE["grey"], ls=":", lw=1, label=f"chance {level:.3f}")
    ax.set(xlabel="epoch", ylabel="loss (log scale)", title="Where training starts")
    ax.legend()
    return ax


def plot_baseline(history_loss, base, ax=None, *, blind=None):
    """A training loss curve against the input-blind baseline loss, and (blind=) the loss curve of the same
    network trained on zeroed inputs (notebook 09)."""
    history_loss = validate.as_array(history_loss, "history_loss", ndim=1)
    if not isinstance(base, Baseline):
        raise TypeError(f"base must be what baseline(y, classes) returns, but got {validate._describe(base)}")
    if blind is not None:
        blind = validate.as_array(blind, "blind", ndim=1)
    ax = _axes(ax)
    ax.plot(history_loss, color=style.PALETTE["blue"], label="training loss")
    if blind is not None:
        ax.plot(blind, color=style.PALETTE["vermillion"], lw=5, alpha=0.45, label="trained on zeroed inputs")
    ax.axhline(base.loss, color=style.PALETTE["orange"], ls="--", label=f"baseline {base.loss:.3f}")
    ax.set(xlabel="epoch", ylabel="loss", title="Beat the guess that ignores the input")
    ax.legend()
    return ax


def plot_update_ratios(ratios_by_eta, ax=None):
    """Bars of the update-to-weight ratio per layer, one group per learning rate; the 1e-3 line of the
    rule of thumb for large networks."""
    if not isinstance(ratios_by_eta, dict) or not ratios_by_eta:
        raise TypeError("ratios_by_eta must be a dict {eta: update_ratios(net, X, y, eta), ...} with at least one "
                        f"entry, but got {validate._describe(ratios_by_eta)}")
    for eta, ratios in ratios_by_eta.items():
        validate.learning_rate(eta, "each key of ratios_by_eta")
        if not isinstance(ratios, dict) or not ratios:
            raise TypeError(f"ratios_by_eta[{eta!r}] must be what update_ratios returns, a dict {{layer: ratio}}, "
                            f"but got {validate._describe(ratios)}")
        validate.as_array(list(ratios.values()), f"ratios_by_eta[{eta!r}]")
    ax = _axes(ax)
    colours = [style.PALETTE[c] for c in ("blue", "orange", "green", "grey")]
    n = len(ratios_by_eta)
    for i, (eta, ratios) in enumerate(ratios_by_eta.items()):
        layers = np.array(sorted(ratios))
        ax.bar(layers + (i - (n - 1) / 2) * 0.8 / n, [ratios[l] for l in layers], width=0.8 / n,
               color=colours[i % len(colours)], label=f"η = {eta:g}")
    ax.axhline(HEALTHY_RATIO, color=style.PALETTE["grey"], ls="--", lw=1, label="1e-3 (large networks)")
    ax.set_yscale("log")
    ax.set(xlabel="layer", ylabel="‖η ∂L/∂W‖ / ‖W‖", title="Update-to-weight ratio per layer")
    ax.set_xticks(layers)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # beside the bars, never over one
    return ax


def plot_learning_rate_range(etas, losses, ax=None):
    """The loss after a short run against η on a log axis; diverged runs are marked at the top."""
    etas = validate.as_array(etas, "etas", ndim=1)
    if np.any(etas <= 0):
        raise ValueError(f"etas must be positive learning rates, but etas holds {etas.min():g}")
    losses = _losses(losses)
    if losses.shape != etas.shape:
        raise ValueError(f"etas and losses must have one value per learning rate, but etas has {etas.size} and "
                         f"losses has {losses.size}")
    ax = _axes(ax)
    finite = np.isfinite(losses)
    ax.semilogx(etas[finite], losses[finite], "o-", color=style.PALETTE["blue"], label="loss after the short run")
    if (~finite).any():
        top = losses[finite].max() if finite.any() else 1.0
        ax.plot(etas[~finite], np.full((~finite).sum(), top), "x", color=style.PALETTE["orange"], ms=9,
                label="diverged")
    ax.set(xlabel="learning rate η (log scale)", ylabel="loss", title="Learning-rate range test")
    ax.legend()
    return ax


def plot_layer_histograms(stats_by_run, *, bins=40):
    """Per-layer histograms (notebook 09): {run name: layer_statistics(...)}. Top row: each hidden layer's
    activations; bottom row: each sample's |∂L/∂z| on a log axis. Runs are told apart by colour and line style.
    Returns the figure."""
    if not isinstance(stats_by_run, dict) or not stats_by_run:
        raise TypeError("stats_by_run must be a dict {name: layer_statistics(net, X, y), ...} with at least one "
                        f"entry, but got {validate._describe(stats_by_run)}")
    layers = None
    for name, stats in stats_by_run.items():
        if not isinstance(stats, dict) or not stats or not all(isinstance(s, LayerStats) for s in stats.values()):
            raise TypeError(f"stats_by_run[{name!r}] must be what layer_statistics returns, but got "
                            f"{validate._describe(stats)}")
        if layers is None:
            layers = sorted(stats)
        elif sorted(stats) != layers:
            raise ValueError(f"every run must have the same hidden layers, but {name!r} has {sorted(stats)} and the "
                             f"first has {layers}")
    bins = validate.positive_int(bins, "bins", minimum=2, maximum=1000)
    fig, axes = plt.subplots(2, len(layers), figsize=(4.2 * len(layers) + 1.0, 6.0), layout="constrained",
                             squeeze=False)
    looks = [("blue", "-"), ("vermillion", "--"), ("green", ":")]
    every = [s for stats in stats_by_run.values() for s in stats.values()]
    smallest = min(max(np.min(np.abs(s.gradient)), 1e-30) for s in every)
    largest = max(np.max(np.abs(s.gradient)) for s in every)
    low, high = np.floor(np.log10(max(smallest, largest * 1e-12))), np.ceil(np.log10(max(largest, 1e-30)))
    gradient_edges = np.logspace(low, max(high, low + 1), bins + 1)
    for j, l in enumerate(layers):
        for i, (name, stats) in enumerate(stats_by_run.items()):
            colour, line = looks[i % len(looks)]
            s = stats[l]
            span = (-1.0, 1.0) if s.activation == "tanh" else (0.0, 1.0) if s.activation == "sigmoid" else None
            label = name if s.saturated is None else f"{name}: {s.saturated:.0%} saturated"
            axes[0, j].hist(s.a, bins=bins, range=span, histtype="step", lw=2, ls=line, color=style.PALETTE[colour],
                            label=label)
            axes[1, j].hist(np.clip(np.abs(s.gradient), gradient_edges[0], None), bins=gradient_edges,
                            histtype="step", lw=2, ls=line, color=style.PALETTE[colour], label=name)
        axes[0, j].set(title=f"layer {l}: activations a[{l}]", xlabel=f"a[{l}] ({stats[l].activation})",
                       ylabel="count")
        axes[0, j].legend(fontsize="small")
        axes[1, j].set_xscale("log")
        axes[1, j].set(title=f"layer {l}: each sample's |∂L/∂z[{l}]|", xlabel="size (log scale)", ylabel="count")
    axes[1, 0].legend(fontsize="small")
    return fig
