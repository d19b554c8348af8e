"""The checks practitioners run before a long training run, each a number and a figure.

    overfit_small_batch(net, X, y, ...)    can the network drive the loss on a handful of samples to ~0?
    baseline(y, classes)                    the loss and accuracy of guessing without looking at the input
    update_ratios(net, X, y, eta)           ‖η ∂L/∂W[l]‖ / ‖W[l]‖ per layer: about 1e-3 in large networks
    learning_rate_range(make_net, X, y, ...) the loss after a short run at each of many learning rates

Every function leaves the networks it is given unchanged (it trains copies) and is deterministic.
"""

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
# size. It is not a target for small ones: notebook 08's classifier trains well at 0.06 to 0.3 (η = 0.5)
# and crawls at ratios near 1e-3 (η = 0.005). The range test, not this line, picks η.
HEALTHY_RATIO = 1e-3


def _network(net, name="net"):
    if not isinstance(net, Network):
        raise TypeError(f"{name} must be a helpers Network, but got {validate._describe(net)}")
    return net


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
    """Train a copy of `net` on the first `n_samples` samples alone, one full-batch step at a time.

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
    """The input-independent baseline for integer labels `y` (0 .. classes − 1)."""
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


def update_ratios(net, X, y, eta):
    """{layer: ‖η ∂L/∂W[l]‖ / ‖W[l]‖} for one gradient step on (X, y): how much of each weight matrix one
    update changes. About 1e-3 is a rule of thumb for large networks (small ones train well far above it);
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
    """The training loss after `epochs` epochs at each learning rate in `etas`. Returns a list of floats,
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


def plot_baseline(history_loss, base, ax=None):
    """A training loss curve against the input-blind baseline loss."""
    history_loss = validate.as_array(history_loss, "history_loss", ndim=1)
    if not isinstance(base, Baseline):
        raise TypeError(f"base must be what baseline(y, classes) returns, but got {validate._describe(base)}")
    ax = _axes(ax)
    ax.plot(history_loss, color=style.PALETTE["blue"], label="training loss")
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
