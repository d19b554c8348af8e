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
The checks live in `recipe_checks.py`, their figures (plot_overfit, plot_starts, plot_baseline,
plot_update_ratios, plot_learning_rate_range, plot_layer_histograms) in `helpers.plots.recipe_plots`; both are
importable from here.
"""

from .recipe_checks import (  # noqa: F401
    _network, Baseline, baseline, CALM_SCALE, calm_start, chance_loss, epochs_to_reach, HEALTHY_RATIO,
    input_blind_run, layer_statistics, LayerStats, learning_rate_range, Overfit, OVERFIT_LOSS, overfit_small_batch,
    SATURATED, saturated_share, update_ratios,
)
from ..plots.recipe_plots import (  # noqa: F401
    _axes, _losses, plot_baseline, plot_layer_histograms, plot_learning_rate_range, plot_overfit, plot_starts,
    plot_update_ratios,
)
