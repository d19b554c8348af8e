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

The statistics are plain functions (`layer_statistics`, `saturated_share`, the histograms); the widget
only draws them.

    histogram_explorer()     # inputs, input scale, weight scale, activation
"""

import html
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from .. import style, validate
from ..data import Standardizer, load_cat_dog, train_test_split
from ..network import Network
from ._base import (
    CourseWidget, Dropdown, drawing, new_figure, round_slider, round_values, start_number, start_option,
)
from ._kept import KeptView

HIDDEN = (8, 8, 8)
"""Neurons in each hidden layer: three hidden layers, so a change can be followed layer after layer."""
SIZES = [2, *HIDDEN, 2]
N_CLASSES = 2
ACTIVATIONS = ("tanh", "sigmoid")
INPUT_KINDS = {"standardised": "standardised", "raw": "raw units (kg, cm)"}
"""The inputs the widget offers: its value -> the dropdown's words."""
INPUT_SCALE_RANGE = (0.01, 100.0)
WEIGHT_SCALE_RANGE = (0.01, 10.0)
INPUT_SCALES = round_values(*INPUT_SCALE_RANGE)
"""The input scale slider's stops: 0.01, 0.012, 0.015, ... 80, 100 (41 round numbers, 1 among them)."""
WEIGHT_SCALES = round_values(*WEIGHT_SCALE_RANGE)
"""The weight scale slider's stops: 0.01, 0.012, ... 8, 10 (31 round numbers, 1 among them)."""

SATURATED_ABOVE = 0.97
"""A unit is saturated when its activation is this close to an end of its range: |a| > 0.97 for tanh,
a < 0.03 or a > 0.97 for sigmoid. There its slope f′(z) is below 0.059 (tanh, at most 1) or 0.029
(sigmoid, at most 0.25): the gradient passing back through it is cut to a small fraction."""
SATURATED_LAYER = 0.2
"""A layer with at least this share of its values saturated is called 'saturated'."""
COLLAPSED_BELOW = 0.05
"""A layer whose activations spread less than this (standard deviation) is called 'collapsed': every
unit gives nearly the same value for every animal, so the layer passes almost nothing on."""
LOSS_NEAR = 0.25
"""The starting loss counts as near ln C when it is within 25 % of it."""

ACTIVATION_BINS = 40
GRADIENT_DECADES = (-16, 0)
"""The gradient histogram's axis: |δ| from 10⁻¹⁶ to 10⁰; smaller values (and exact zeros) are counted
in its first bin, larger ones in its last."""
BINS_PER_DECADE = 4
SHARE_TOPS = (5.0, 10.0, 20.0, 40.0, 70.0, 100.0)
"""The histograms' y axis ends at the first of these (per cent) that leaves room above the tallest bar."""
LAYER_COLOURS = (style.PALETTE["blue"], style.PALETTE["orange"], style.PALETTE["green"])
LAYER_STYLES = ("-", "--", ":")
"""Each layer has its own colour and line style, so the layers are told apart without colour too."""
FIGSIZE = (9.3, 3.2)
PRESENTATION_FIGSIZE = (4.8, 4.4)
"""In presentation mode (drawn 1.25 times larger) the two plots stand one above the other, beside the controls."""
PRESENTATION_COLUMN_WIDTH = "490px"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def training_inputs(inputs="standardised", input_scale=1.0):
    """The training animals of notebook 07 as the network sees them: (X, y).

    inputs: 'standardised' (each feature rescaled with the training set's mean and standard deviation,
    `Standardizer`) or 'raw' (kilograms and centimetres, as in the file). input_scale: a number above 0
    that multiplies every feature afterwards (1 leaves them as they are).
    Returns X, float64 of shape (225, 2), and y, int64 labels of shape (225,): the 75 % of the 300
    animals that `train_test_split(X, y, test_fraction=0.25, seed=0)` keeps for training.
    """
    inputs = validate.choice(inputs, "inputs", tuple(INPUT_KINDS))
    input_scale = validate.as_number(input_scale, "input_scale")
    if not input_scale > 0:
        raise ValueError(f"input_scale must be a number above 0, but got {input_scale:g}")
    X, y = load_cat_dog()
    X_train, _, y_train, _ = train_test_split(X, y, test_fraction=0.25, seed=0)
    if inputs == "standardised":
        X_train = Standardizer().fit(X_train).transform(X_train)
    return X_train * input_scale, y_train


def build_network(activation="tanh", weight_scale=1.0, seed=0):
    """The 2-8-8-8-2 classifier: `activation` in the hidden layers, softmax and cross-entropy at the output.

    Every weight of layer l is drawn with standard deviation weight_scale × √(1/n), n the number of inputs
    to layer l: weight_scale = 1 is `Network`'s own choice. The same seed gives the same draws, so
    changing weight_scale only stretches or shrinks the same weights. Biases start at 0.
    """
    activation = validate.choice(activation, "activation", ACTIVATIONS)
    weight_scale = validate.as_number(weight_scale, "weight_scale")
    if not weight_scale > 0:
        raise ValueError(f"weight_scale must be a number above 0, but got {weight_scale:g}")
    net = Network(SIZES, [activation] * len(HIDDEN) + ["softmax"], "cross_entropy", seed=seed)
    for l in range(1, net.depth + 1):
        net.W[l] = net.W[l] * weight_scale
    return net


def saturated_share(a, activation):
    """The share (0 to 1) of the values in `a` within 0.03 of an end of the activation's range.

    tanh: |a| > SATURATED_ABOVE (0.97); sigmoid: a < 0.03 or a > 0.97.
    """
    a = np.asarray(a, dtype=np.float64)
    activation = validate.choice(activation, "activation", ACTIVATIONS)
    if activation == "tanh":
        saturated = np.abs(a) > SATURATED_ABOVE
    else:
        saturated = (a < round(1 - SATURATED_ABOVE, 9)) | (a > SATURATED_ABOVE)  # 0.03, not 0.030000000000000027
    return float(np.mean(saturated))


def activation_edges(activation):
    """The activation histogram's bin edges: ACTIVATION_BINS bins across the activation's range."""
    low = -1.0 if validate.choice(activation, "activation", ACTIVATIONS) == "tanh" else 0.0
    return np.linspace(low, 1.0, ACTIVATION_BINS + 1)


def gradient_edges():
    """The gradient histogram's bin edges, in powers of ten: log10 |δ| from -16 to 0, 4 bins a decade."""
    low, high = GRADIENT_DECADES
    return np.linspace(low, high, (high - low) * BINS_PER_DECADE + 1)


def activation_histogram(a, activation):
    """(edges, shares): the share (per cent) of the values of `a` in each bin of `activation_edges`."""
    edges = activation_edges(activation)
    values = np.asarray(a, dtype=np.float64).ravel()
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    return edges, 100.0 * counts / max(values.size, 1)


def gradient_histogram(delta):
    """(edges, shares): the share (per cent) of the values of |δ| in each bin of `gradient_edges` (log10).

    Sizes below 10⁻¹⁶, exact zeros among them, are counted in the first bin; sizes above 1 in the last.
    """
    edges = gradient_edges()
    sizes = np.abs(np.asarray(delta, dtype=np.float64).ravel())
    with np.errstate(divide="ignore"):
        powers = np.log10(np.maximum(sizes, 10.0 ** edges[0]))
    counts, _ = np.histogram(np.clip(powers, edges[0], edges[-1]), bins=edges)
    return edges, 100.0 * counts / max(sizes.size, 1)


@dataclass
class LayerStatistics:
    """What one hidden layer shows on the batch: its activations a[l] and gradients δ[l] = ∂L/∂z[l]
    (both of shape (animals, units)), the share of saturated values, the spread of a[l] (its standard
    deviation), the median |δ[l]|, and one word for the layer: 'lively', 'saturated' or 'collapsed'."""

    layer: int
    activations: np.ndarray
    gradients: np.ndarray
    saturated: float
    spread: float
    median_gradient: float
    word: str


@dataclass
class Snapshot:
    """One forward and backward pass of an untrained network: the loss, and LayerStatistics for each
    hidden layer (layer 1 first). diverged: True when a number became NaN or infinite (then `layers` is
    empty and `loss` is NaN)."""

    loss: float
    layers: list = field(default_factory=list)
    diverged: bool = False


def layer_word(saturated, spread):
    """'saturated' (at least SATURATED_LAYER of the values), 'collapsed' (spread below COLLAPSED_BELOW)
    or 'lively'."""
    if saturated >= SATURATED_LAYER:
        return "saturated"
    if spread < COLLAPSED_BELOW:
        return "collapsed"
    return "lively"


def layer_statistics(net, X, y):
    """Forward and backward once on (X, y); a Snapshot with the statistics of each hidden layer.

    The output layer (softmax) is left out: its values are probabilities, not hidden activations.
    """
    activation = net.activations[1].name
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            loss, grads = net.gradients(X, y)
            fp = net.forward(X)
    except ValueError:  # the forward pass overflowed
        return Snapshot(float("nan"), [], True)
    layers = []
    for l in range(1, net.depth):
        a, delta = fp.a[l], grads.delta[l]
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(delta))):
            return Snapshot(float("nan"), [], True)
        saturated, spread = saturated_share(a, activation), float(np.std(a))
        layers.append(LayerStatistics(l, a, delta, saturated, spread, float(np.median(np.abs(delta))),
                                      layer_word(saturated, spread)))
    if not np.isfinite(loss):
        return Snapshot(float("nan"), [], True)
    return Snapshot(float(loss), layers)


def power_of_ten(value):
    """A positive size as a reader writes it: '2.8 × 10⁻⁴', '0.31', or '0' for zero."""
    value = float(value)
    if value == 0:
        return "0"
    if 0.01 <= value < 100:
        return f"{value:.2g}"
    exponent = int(np.floor(np.log10(value)))
    mantissa = value / 10.0 ** exponent
    if round(mantissa, 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.1f} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def spread_text(spread):
    """A spread to two decimals, or to two significant digits below 0.1 (0.0084, not 0.01)."""
    return f"{spread:.2f}" if spread >= 0.1 else f"{spread:.2g}"


def layer_line(stats):
    """One line for a layer: its word, spread, saturated share and median gradient size."""
    return (f"layer {stats.layer}: {stats.word}; spread of a[{stats.layer}] {spread_text(stats.spread)}; "
            f"{stats.saturated:.0%} saturated; median |δ[{stats.layer}]| {power_of_ten(stats.median_gradient)}")


def loss_line(loss, classes=N_CLASSES):
    """The starting loss against ln C, the loss of guessing each of the C classes with probability 1/C."""
    ln_c = float(np.log(classes))
    start = f"Loss before training: {loss:.3f}; ln {classes} = {ln_c:.3f}"
    if not np.isfinite(loss):
        return "Loss before training: diverged (the numbers overflowed)"
    if abs(loss - ln_c) <= LOSS_NEAR * ln_c:
        return f"{start}: near it, as an untrained network should be (it is not yet sure of anything)."
    if loss > ln_c:
        return (f"{start}: {loss / ln_c:.1f} times as much. The untrained network is already sure of "
                "its answers, and often wrong.")
    return f"{start}: below it before any training, as if the starting weights already knew something."


def share_top(shares):
    """The y axis's end (per cent): the first of SHARE_TOPS at least 1.15 times the tallest bar."""
    tallest = max((float(np.max(s)) for s in shares), default=0.0)
    return next((top for top in SHARE_TOPS if top >= 1.15 * tallest), SHARE_TOPS[-1])


def _gradient_tick(power):
    label = "10" + str(int(power)).translate(_SUPERSCRIPT)
    return ("≤" if power == GRADIENT_DECADES[0] else "") + label


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
