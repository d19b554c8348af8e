"""The figures of the checks practitioners run (notebook 09): one per check of `helpers.recipe`.

    plot_overfit(result)                      the small batch's loss per step, with the OVERFIT_LOSS line
    plot_starts(losses, level)                the first epochs' losses of several starts
    plot_baseline(history_loss, base)         a run's loss against the input-blind baseline
    plot_update_ratios(ratios_by_eta)         ‖η ∂L/∂W[l]‖ / ‖W[l]‖ per layer, per learning rate
    plot_learning_rate_range(etas, losses)    the loss after a short run at each learning rate
    plot_layer_histograms(stats_by_run)       per-layer histograms of activations and gradients

`helpers.recipe` holds them too.
"""

import matplotlib.axes
import matplotlib.pyplot as plt
import numpy as np

from . import style
from .. import validate
from ..practice.recipe_checks import HEALTHY_RATIO, Baseline, LayerStats, Overfit

def _losses(losses):
    """The losses of learning_rate_range as an array: numbers, with inf for a diverged run; never NaN."""
    if isinstance(losses, (str, bytes, set, frozenset, dict)) or callable(losses):
        raise TypeError(f"losses must be the list learning_rate_range returns, but got {validate.describe(losses)}")
    try:
        array = np.asarray(losses, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"losses must be a list of numbers, but got {validate.describe(losses)}") from exc
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"losses must be a flat list with one loss per learning rate, but it has shape {array.shape}")
    if np.any(np.isnan(array)) or np.any(array < 0):
        raise ValueError("losses must hold losses of at least 0 (inf for a diverged run), but it holds "
                         f"{array[np.isnan(array) | (array < 0)][0]}")
    return array


def _axes(ax, figsize=None):
    if ax is not None and not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes (or None for a new figure), but got {validate.describe(ax)}")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or style.FIGSIZE, layout="constrained")
    return ax


def plot_overfit(result, ax=None, *, label=None, color=None, threshold=True):
    """The small batch's loss per step, on a log scale, with the OVERFIT_LOSS line (threshold=True).

    Used in notebook 09.
    """
    if not isinstance(result, Overfit):
        raise TypeError(f"result must be what overfit_small_batch returns, but got {validate.describe(result)}")
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
                        f"{validate.describe(losses)}")
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
        raise TypeError(f"base must be what baseline(y, classes) returns, but got {validate.describe(base)}")
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
    rule of thumb for large networks. Used in notebook 09."""
    if not isinstance(ratios_by_eta, dict) or not ratios_by_eta:
        raise TypeError("ratios_by_eta must be a dict {eta: update_ratios(net, X, y, eta), ...} with at least one "
                        f"entry, but got {validate.describe(ratios_by_eta)}")
    for eta, ratios in ratios_by_eta.items():
        validate.learning_rate(eta, "each key of ratios_by_eta")
        if not isinstance(ratios, dict) or not ratios:
            raise TypeError(f"ratios_by_eta[{eta!r}] must be what update_ratios returns, a dict {{layer: ratio}}, "
                            f"but got {validate.describe(ratios)}")
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
    """The loss after a short run against η on a log axis; diverged runs are marked at the top.

    Used in notebook 09.
    """
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
                        f"entry, but got {validate.describe(stats_by_run)}")
    layers = None
    for name, stats in stats_by_run.items():
        if not isinstance(stats, dict) or not stats or not all(isinstance(s, LayerStats) for s in stats.values()):
            raise TypeError(f"stats_by_run[{name!r}] must be what layer_statistics returns, but got "
                            f"{validate.describe(stats)}")
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
