"""Per-layer histograms of activations and gradients, watched while the inputs and weights are scaled.

The widget of notebook 09 (Debugging training). The cat-or-dog classifier of notebook 07, made three
hidden layers deep (2-8-8-8-2, tanh or sigmoid hidden layers, a softmax output and cross-entropy),
looks at the 225 training animals once, untrained. For every hidden layer l it shows where the
activations a[l] lie and how large the gradients δ[l] = ∂L/∂z[l] are, one value per unit and animal:

- inputs in raw units, or scaled up, and large starting weights push z[1] far from 0: layer 1
  saturates (|a| near 1 for tanh), its slope f′(z) is near 0, and its gradients shrink;
- tiny starting weights shrink the activations layer after layer (to 0 for tanh, to ½ for sigmoid),
  and the gradients shrink in step on their way back to the input;
- standardised inputs and weights drawn with standard deviation √(1/n) (n: the layer's inputs,
  the `Network` default) keep every layer lively.

The statistics are plain functions (`layer_statistics`, `saturated_share`, the histograms) in
`histogram_stats.py`, importable from here too; the widget only draws them.

    histogram_explorer()     # inputs, input scale, weight scale, activation
"""


import html

import ipywidgets as widgets
import numpy as np

from ..plots import style
from ._base import (
    CourseWidget, Dropdown, drawing, new_figure, round_slider, round_values, start_number, start_option,
)
from ._kept import KeptView
from .histogram_stats import (  # noqa: F401
    ACTIVATION_BINS, activation_edges, activation_histogram, ACTIVATIONS, BINS_PER_DECADE, build_network,
    COLLAPSED_BELOW, GRADIENT_DECADES, gradient_edges, gradient_histogram, _gradient_tick, HIDDEN, INPUT_KINDS,
    layer_line, layer_statistics, layer_word, LayerStatistics, loss_line, LOSS_NEAR, N_CLASSES, power_of_ten,
    SATURATED_ABOVE, SATURATED_LAYER, saturated_share, share_top, SHARE_TOPS, SIZES, Snapshot, spread_text,
    _SUPERSCRIPT, training_inputs,
)

INPUT_SCALE_RANGE = (0.01, 100.0)
WEIGHT_SCALE_RANGE = (0.01, 10.0)
INPUT_SCALES = round_values(*INPUT_SCALE_RANGE)
"""The input scale slider's stops: 0.01, 0.012, 0.015, ... 80, 100 (41 round numbers, 1 among them)."""
WEIGHT_SCALES = round_values(*WEIGHT_SCALE_RANGE)
"""The weight scale slider's stops: 0.01, 0.012, ... 8, 10 (31 round numbers, 1 among them)."""

LAYER_COLOURS = (style.PALETTE["blue"], style.PALETTE["orange"], style.PALETTE["green"])
LAYER_STYLES = ("-", "--", ":")
"""Each layer has its own colour and line style, so the layers are told apart without colour too."""
FIGSIZE = (9.3, 3.2)
PRESENTATION_FIGSIZE = (4.8, 4.4)
"""In presentation mode (drawn 1.25 times larger) the two plots stand one above the other, beside the controls."""
PRESENTATION_COLUMN_WIDTH = "490px"


class HistogramExplorer(CourseWidget):
    """Inputs, input scale, weight scale and activation in; per-layer histograms of a[l] and δ[l] out.

    Controls: `inputs_dropdown` ('standardised' or 'raw'), `input_scale_slider` (INPUT_SCALES),
    `weight_scale_slider` (WEIGHT_SCALES), `activation_dropdown` ('tanh' or 'sigmoid'). Labels (HTML):
    `layers_label` (one line per hidden layer, `layer_line`) and `loss_label` (`loss_line`). State after
    each move: `net`, `snapshot` (a Snapshot). Artists: `activation_steps` and `gradient_steps`, one
    StepPatch per hidden layer, on axes `activation_ax` and `gradient_ax`; `saturated_bands`, the shaded
    ranges counted as saturated.
    """

    title = "Histogram explorer"

    @drawing
    def __init__(self, inputs="standardised", input_scale=1.0, weight_scale=1.0, activation="tanh"):
        inputs = start_option(inputs, "inputs", tuple(INPUT_KINDS))
        input_scale = start_number(input_scale, "input_scale", *INPUT_SCALE_RANGE)
        weight_scale = start_number(weight_scale, "weight_scale", *WEIGHT_SCALE_RANGE)
        activation = start_option(activation, "activation", ACTIVATIONS)
        self._inputs = {}
        wide = {"description_width": "initial"}
        self.inputs_dropdown = Dropdown(options=[(words, kind) for kind, words in INPUT_KINDS.items()],
                                        value=inputs, description="inputs", style=wide,
                                        layout=widgets.Layout(width="260px"))
        self.input_scale_slider = round_slider(input_scale, INPUT_SCALES, "input scale ×", style=wide)
        self.activation_dropdown = Dropdown(options=list(ACTIVATIONS), value=activation, description="activation",
                                            style=wide, layout=widgets.Layout(width="260px"))
        self.weight_scale_slider = round_slider(weight_scale, WEIGHT_SCALES, "weight scale", style=wide)
        self.layers_label = widgets.HTML()
        self.loss_label = widgets.HTML()
        note = widgets.HTML(
            "<small>A 2-8-8-8-2 cat-or-dog network, untrained, on the 225 training animals. Weights of layer l "
            "are drawn with spread (weight scale) × √(1/n), n its inputs: 1 is the usual choice. "
            f"Saturated: |a| &gt; {SATURATED_ABOVE} (tanh), a &lt; {1 - SATURATED_ABOVE:.2f} or "
            f"&gt; {SATURATED_ABOVE} (sigmoid).</small>")

        presenting = style.presentation_active()
        self.fig = new_figure(PRESENTATION_FIGSIZE if presenting else FIGSIZE)
        grid = self.fig.add_gridspec(2, 1) if presenting else self.fig.add_gridspec(1, 2)
        self.activation_ax = self.fig.add_subplot(grid[0, 0])
        self.gradient_ax = self.fig.add_subplot(grid[1, 0] if presenting else grid[0, 1])
        self._draw_static()
        self._update_artists()
        self.view = KeptView(self.fig, [*self.activation_steps, *self.gradient_steps],
                             self._axes_state(), self._state())

        for control in (self.inputs_dropdown, self.input_scale_slider, self.weight_scale_slider,
                        self.activation_dropdown):
            control.observe(self._on_change, names="value")
        if presenting:
            column = widgets.VBox([self.inputs_dropdown, self.input_scale_slider, self.activation_dropdown,
                                   self.weight_scale_slider, self.layers_label, self.loss_label],
                                  layout=widgets.Layout(width=PRESENTATION_COLUMN_WIDTH))
            super().__init__([widgets.HBox([column, self.view.image])])
        else:
            super().__init__([
                widgets.HBox([self.inputs_dropdown, self.input_scale_slider]),
                widgets.HBox([self.activation_dropdown, self.weight_scale_slider]),
                note, self.layers_label, self.loss_label, self.view.image,
            ])

    def _draw_static(self):
        presenting = style.presentation_active()
        legend_size = None if presenting else "small"
        self.activation_steps, self.gradient_steps = [], []
        for l, (colour, line) in enumerate(zip(LAYER_COLOURS, LAYER_STYLES), start=1):
            edges = activation_edges("tanh")
            self.activation_steps.append(self.activation_ax.stairs(
                np.zeros(edges.size - 1), edges, color=colour, ls=line, lw=2.0, zorder=3, label=f"layer {l}"))
            edges = gradient_edges()
            self.gradient_steps.append(self.gradient_ax.stairs(
                np.zeros(edges.size - 1), edges, color=colour, ls=line, lw=2.0, zorder=3, label=f"layer {l}"))
        ax = self.activation_ax
        ax.set_title("Activations a[l]", y=1.0)
        ax.set_xlabel("a[l]  (grey: saturated)")
        ax.set_ylabel("share (%)" if presenting else "share of values (%)")
        self.saturated_bands = []
        ax = self.gradient_ax
        ax.set_title("Gradients δ[l] = ∂L/∂z[l]", y=1.0)
        ax.set_xlabel("|δ[l]|, log scale" if presenting else "|δ[l]| per unit and animal (log scale)")
        ax.set_ylabel("share (%)" if presenting else "share of values (%)")
        ax.set_xlim(*GRADIENT_DECADES)
        ticks = list(range(GRADIENT_DECADES[0], GRADIENT_DECADES[1] + 1, 4))
        ax.set_xticks(ticks, [_gradient_tick(t) for t in ticks])
        # Above both plots, clear of every histogram: drawn once, with the still parts.
        self.legend = self.fig.legend(handles=self.activation_steps, loc="outside upper center", ncols=3,
                                      fontsize=legend_size, frameon=False, handlelength=2.6)

    def _draw_bands(self, activation):
        """Shade the saturated ranges of `activation` (part of the still picture: they change with it alone)."""
        for band in self.saturated_bands:
            band.remove()
        grey = dict(color=style.PALETTE["grey"], alpha=0.25, lw=0, zorder=1)
        if activation == "tanh":
            spans = [(-1.0, -SATURATED_ABOVE), (SATURATED_ABOVE, 1.0)]
        else:
            spans = [(0.0, 1 - SATURATED_ABOVE), (SATURATED_ABOVE, 1.0)]
        self.saturated_bands = [self.activation_ax.axvspan(low, high, **grey) for low, high in spans]
        self.activation_ax.set_xlim(spans[0][0], 1.0)
        self.activation_ax.set_xticks(np.linspace(spans[0][0], 1.0, 5))

    def _inputs_for(self, kind, scale):
        """The inputs for these settings, made once per widget (moving back is instant)."""
        key = (kind, scale)
        if key not in self._inputs:
            self._inputs[key] = training_inputs(kind, scale)
        return self._inputs[key]

    def _update_artists(self):
        activation = self.activation_dropdown.value
        X, y = self._inputs_for(self.inputs_dropdown.value, self.input_scale_slider.value)
        self.net = build_network(activation, self.weight_scale_slider.value)
        self.snapshot = snapshot = layer_statistics(self.net, X, y)
        if getattr(self, "_bands_for", None) != activation:
            self._draw_bands(activation)
            self._bands_for = activation

        activation_shares, gradient_shares = [], []
        for l in range(len(HIDDEN)):
            if snapshot.diverged:
                a_edges, a_shares = activation_edges(activation), np.zeros(ACTIVATION_BINS)
                g_edges, g_shares = gradient_edges(), np.zeros(gradient_edges().size - 1)
            else:
                stats = snapshot.layers[l]
                a_edges, a_shares = activation_histogram(stats.activations, activation)
                g_edges, g_shares = gradient_histogram(stats.gradients)
            self.activation_steps[l].set_data(a_shares, a_edges)
            self.gradient_steps[l].set_data(g_shares, g_edges)
            activation_shares.append(a_shares)
            gradient_shares.append(g_shares)
        self.tops = (share_top(activation_shares), share_top(gradient_shares))
        self.activation_ax.set_ylim(0, self.tops[0])
        self.gradient_ax.set_ylim(0, self.tops[1])

        if snapshot.diverged:
            self.layers_label.value = "<b>diverged</b>: the numbers overflowed; lower a scale"
        else:
            self.layers_label.value = "".join(f"<div>{self._layer_html(stats)}</div>" for stats in snapshot.layers)
        self.loss_label.value = html.escape(loss_line(snapshot.loss))

    @staticmethod
    def _layer_html(stats):
        words = html.escape(layer_line(stats))
        head = f"layer {stats.layer}: {stats.word}"
        return words.replace(head, f"<b>{head}</b>", 1)

    def still_lines(self):
        return [layer_line(stats) for stats in self.snapshot.layers] + [loss_line(self.snapshot.loss)]

    def _axes_state(self):
        """What the still parts depend on: the look, the activation (its axis and bands) and the y axes' ends."""
        return style.presentation_active(), self.activation_dropdown.value, self.tops

    def _state(self):
        """What the whole figure depends on: the look and every control's value."""
        return (style.presentation_active(), self.inputs_dropdown.value, self.input_scale_slider.value,
                self.weight_scale_slider.value, self.activation_dropdown.value)

    @drawing
    def _on_change(self, change=None):
        self._update_artists()
        self.view.show(self._axes_state(), self._state())


def histogram_explorer(inputs="standardised", input_scale=1.0, weight_scale=1.0, activation="tanh"):
    """Show the histogram explorer of notebook 09. Returns a HistogramExplorer.

    inputs: 'standardised' or 'raw' (kilograms and centimetres); input_scale: 0.01 to 100, multiplies
    every feature; weight_scale: 0.01 to 10, the starting weights' spread in units of √(1/n);
    activation: 'tanh' or 'sigmoid', for the three hidden layers.
    """
    return HistogramExplorer(inputs=inputs, input_scale=input_scale, weight_scale=weight_scale,
                             activation=activation)
