"""How deep can the error signal travel? Gradient size layer by layer, for any depth and activation.

The backward pass hands an error signal δ[l] = ∂L/∂z[l] from each layer to the one below:

    δ[l] = (δ[l+1] · W[l+1]) ⊙ f′(z[l])

so the signal reaching layer 1 carries one factor W·f′ for every layer above it. Sigmoid's slope
is at most 0.25, so through many sigmoid layers the signal shrinks towards nothing (vanishing
gradients); weights that are too large make it grow without bound (exploding gradients).

    depth_explorer()     # depth, activation and starting weight scale; bars of ‖δ[l]‖ per layer
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.transforms import offset_copy

from ..plots import style
from .. import validate
from ..core.network import Network
from ._base import FINE_MANTISSAS, CourseWidget, drawing, fmt, new_figure, round_slider, round_values
from ._base import start_number, start_option, start_whole
from ._counts import IntSlider
from ._kept import KeptView

WIDTH = 16
"""Neurons in every hidden layer."""
N_INPUTS = 4
N_SAMPLES = 32
MAX_DEPTH = 12
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SCALE_RANGE = (0.1, 3.0)
HE_SCALE = float(np.sqrt(2.0 / WIDTH))
"""He's choice of starting weight scale for ReLU layers, √(2 / width) ≈ 0.35."""
XAVIER_SCALE = float(np.sqrt(1.0 / WIDTH))
"""The usual choice for tanh and sigmoid layers, √(1 / width) = 0.25."""
SCALES = round_values(*SCALE_RANGE, FINE_MANTISSAS)
"""The weight scale slider's stops: 0.1, 0.11, 0.12, ... 2.5, 2.8, 3 (34 round numbers, 33 presses of an
arrow key from end to end). A starting scale between them, such as He's √(2/16) ≈ 0.354, is a stop of its own."""

VANISHING_BELOW = 1e-2
"""A first-to-output ratio below this means the signal has all but vanished near the input."""
EXPLODING_ABOVE = 1e2
"""A ratio above this means the signal grows as it travels back."""
DIVERGED_ABOVE = 1e12
"""Any loss or gradient size above this is treated as diverged (the same line as `fmt`)."""
PRESENTATION_FIGSIZE = (4.8, 3.4)
"""The figure in presentation mode (before its 1.25x scaling): narrower and shorter, beside the controls."""
PRESENTATION_COLUMN_WIDTH = "490px"
"""The column of controls and words beside the figure in presentation mode."""
LEGEND_ROOM_DECADES = 1.8
"""At least this many powers of ten of empty axis above the tallest bar, so the legend stays clear of it."""
DECADE_LIMITS = (-300, 300)
"""The y axis never reaches past these powers of ten (float64 ends near 10^308)."""


MAX_BATCH_NUMBERS = 1_000_000
"""demo_batch makes at most this many inputs (n_samples × n_inputs, 8 MB of float64)."""


def demo_batch(n_samples=N_SAMPLES, n_inputs=N_INPUTS, seed=0):
    """A fixed random batch: X (n_samples, n_inputs) and targets y (n_samples, 1), both standard normal.

    n_samples × n_inputs is at most MAX_BATCH_NUMBERS (1,000,000).
    """
    n_samples = validate.positive_int(n_samples, "n_samples")
    n_inputs = validate.positive_int(n_inputs, "n_inputs")
    if n_samples * n_inputs > MAX_BATCH_NUMBERS:
        raise ValueError(f"n_samples × n_inputs must be at most {MAX_BATCH_NUMBERS:,} numbers, but {n_samples:,} × "
                         f"{n_inputs:,} make {n_samples * n_inputs:,}")
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_samples, n_inputs)), rng.normal(size=(n_samples, 1))


def build_network(depth, activation, weight_scale, width=WIDTH, n_inputs=N_INPUTS, seed=0):
    """A network with `depth` hidden layers of `width` neurons, each using `activation`, and one linear output.

    The loss is ½(ŷ − y)²; every starting weight is drawn with standard deviation `weight_scale`.
    """
    depth = validate.positive_int(depth, "depth")
    activation = validate.choice(activation, "activation", ACTIVATIONS)
    return Network([n_inputs] + [width] * depth + [1], [activation] * depth + ["linear"],
                   "half_squared_error", seed=seed, weight_scale=weight_scale)


def layer_gradient_sizes(net, X, y):
    """The size of the error signal at every layer, from one forward and one backward pass.

    Returns (loss, sizes): sizes is a float array of shape (net.depth,), where sizes[l − 1] is
    ‖δ[l]‖, the Frobenius norm of δ[l] = ∂L/∂z[l] over the batch (layer 1 first, the output
    last). The norm (not a per-neuron mean) is used so that a 1-neuron output layer and a
    16-neuron hidden layer are compared fairly. Numbers may be huge or inf when the network
    blows up; no warning is raised.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loss, grads = net.gradients(X, y)
        sizes = np.array([np.linalg.norm(grads.delta[l]) for l in range(1, net.depth + 1)])
    return float(loss), sizes


def gradient_ratio(sizes):
    """‖δ[1]‖ / ‖δ[L]‖: how big the first layer's signal is next to the output layer's (NaN if undefined)."""
    sizes = np.asarray(sizes, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        ratio = sizes[0] / sizes[-1]
    return float(ratio)


def verdict(loss, sizes):
    """One word for the backward signal: 'diverged', 'exploding', 'vanishing' or 'healthy'."""
    sizes = np.asarray(sizes, dtype=np.float64)
    if not np.isfinite(loss) or loss > DIVERGED_ABOVE or not np.all(np.isfinite(sizes)) \
            or np.max(sizes) > DIVERGED_ABOVE:
        return "diverged"
    ratio = gradient_ratio(sizes)
    if not np.isfinite(ratio) or ratio > EXPLODING_ABOVE:
        return "exploding"
    if ratio < VANISHING_BELOW:
        return "vanishing"
    return "healthy"


def big_number(value):
    """A positive number as a reader says it, to 2 significant digits: '3.2', '3,400', '2.5 × 10<sup>7</sup>'.

    The large form is HTML, for a label.
    """
    value = float(value)
    if value < 10:
        return f"{value:.1f}"
    if value < 1e6:
        return f"{float(f'{value:.2g}'):,.0f}"
    exponent = int(np.floor(np.log10(value)))
    return f"{value / 10.0 ** exponent:.1f} × 10<sup>{exponent}</sup>"


def describe_ratio(ratio):
    """'1/3,400 of', '2.0 times' or 'about the same size as': the first layer's signal next to the output's."""
    ratio = float(ratio)
    if not np.isfinite(ratio):
        return None
    if ratio == 0:
        return "zero, nothing of"
    if 0.5 <= ratio <= 2:
        return f"about the same size as ({ratio:.2f} ×)"
    if ratio > 1:
        return f"{big_number(ratio)} times"
    return f"1/{big_number(1.0 / ratio)} of"


def y_decades(low, high):
    """(bottom, top) powers of ten for the bars' axis: a decade below `low`, LEGEND_ROOM_DECADES above `high`."""
    bottom = int(np.floor(np.log10(low))) - 1
    top = int(np.ceil(np.log10(high) + LEGEND_ROOM_DECADES))
    return (int(np.clip(bottom, *DECADE_LIMITS)), int(np.clip(max(top, bottom + 1), *DECADE_LIMITS)))


def _sci(value):
    """A size in e-notation for a label, or 'diverged' when it is not a finite number."""
    return f"{value:.2e}" if np.isfinite(value) else "diverged"


_VERDICT_TEXT = {
    "healthy": "healthy: the signal reaching the first layer is within a factor of 100 of the output layer's",
    "vanishing": "vanishing: the layers near the input get almost no gradient, so they barely learn",
    "exploding": "exploding: the signal grows as it travels back, so updates near the input are huge",
    "diverged": "diverged: the numbers blew up (huge activations and gradients); lower the weight scale",
}


class DepthExplorer(CourseWidget):
    """Depth, activation and starting weight scale in; the error signal's size at every layer out.

    Controls: `depth_slider` (1..12 hidden layers; a value outside that set from code is refused with
    a TraitError, and the slider keeps its value), `activation_buttons` ('sigmoid', 'tanh',
    'relu'), `scale_slider` (round numbers from 0.1 to 3, SCALES). Labels (HTML): `ratio_label`, `verdict_label`,
    `loss_label`. State after each move: `net`, `loss`, `sizes` (‖δ[l]‖ for l = 1..L), `ratio`,
    `verdict`. Artists: `bars` (MAX_DEPTH + 1 rectangles, the unused ones hidden),
    `reference_line` (the output layer's size).
    """

    title = "Depth explorer"

    @drawing
    def __init__(self, depth=8, activation="sigmoid", weight_scale=HE_SCALE):
        depth = start_whole(depth, "depth", 1, MAX_DEPTH)
        activation = start_option(activation, "activation", ACTIVATIONS)
        weight_scale = start_number(weight_scale, "weight_scale", *SCALE_RANGE)
        self.X, self.y = demo_batch()
        self.depth_slider = IntSlider(
            value=depth, min=1, max=MAX_DEPTH, description="hidden layers",
            continuous_update=True, style={"description_width": "initial"},
        )
        self.activation_buttons = widgets.ToggleButtons(
            options=list(ACTIVATIONS), value=activation, description="activation",
            style={"description_width": "initial", "button_width": "80px"},
        )
        self.scale_slider = round_slider(weight_scale, SCALES, "weight scale", style={"description_width": "initial"})
        self.ratio_label = widgets.HTML()
        self.verdict_label = widgets.HTML()
        self.loss_label = widgets.HTML()
        note = widgets.HTML(
            f"<small>{WIDTH} neurons per hidden layer, a linear output, a fixed batch of {N_SAMPLES} "
            f"samples. Usual starting scales: √(2/{WIDTH}) ≈ {HE_SCALE:.2f} for ReLU (He), "
            f"√(1/{WIDTH}) = {XAVIER_SCALE:.2f} for tanh and sigmoid.</small>"
        )

        self.fig = new_figure(PRESENTATION_FIGSIZE if style.presentation_active() else style.FIGSIZE)
        self.ax = self.fig.add_subplot()
        self._draw_static()
        self._place_y_label()
        self._update_artists()
        # Bars, line and legend move; the axes are drawn once for each depth and pair of decades.
        self.view = KeptView(self.fig, [*self.bars, self.reference_line, self.ax.get_legend()],
                             self._axes_state(), self._state())

        for control in (self.depth_slider, self.activation_buttons, self.scale_slider):
            control.observe(self._on_change, names="value")
        labels = [note, self.ratio_label, self.verdict_label, self.loss_label]
        if style.presentation_active():
            # On a 1280x720 projector the controls and words stand in a column beside the picture:
            # stacked above it, they pushed it off the bottom of the screen.
            column = widgets.VBox([self.activation_buttons, self.depth_slider, self.scale_slider, *labels],
                                  layout=widgets.Layout(width=PRESENTATION_COLUMN_WIDTH))
            super().__init__([widgets.HBox([column, self.view.image])])
        else:
            super().__init__([
                self.activation_buttons,
                widgets.HBox([self.depth_slider, self.scale_slider]),
                *labels,
                self.view.image,
            ])

    def _draw_static(self):
        ax = self.ax
        positions = np.arange(1, MAX_DEPTH + 2)
        # Bars start far below any axis limit, so on the log axis each one rises from the bottom.
        # Bars and line sit above the spines and ticks (z-order 2.5), as they are drawn over the kept axes.
        self.bars = list(ax.bar(positions, np.ones(positions.size), bottom=1e-300, width=0.7, zorder=3,
                                color=style.PALETTE["blue"], edgecolor=style.PALETTE["black"], linewidth=0.6))
        self.reference_line = ax.axhline(1.0, color=style.PALETTE["grey"], ls="--", lw=1.2, zorder=3.5,
                                         label="output layer's size")
        ax.set_yscale("log")
        # Two lines in presentation mode, where the figure is narrower than the label's one line.
        ax.set_xlabel("layer (1 = first hidden layer," + ("\n" if style.presentation_active() else " ")
                      + "nearest the input)")
        ax.set_ylabel("size of the error signal ‖δ[l]‖")
        ax.set_title("How much gradient reaches each layer", y=1.0)  # placed, not searched for on every draw (nothing sits above the axes)
        ax.legend(loc="upper left", fontsize="small", frameon=False)

    def _place_y_label(self):
        """Put the y label just left of the widest tick label the axis shows (10⁻¹⁴ ... 10²⁴ in practice).

        Searched for on every draw, it moved left as the tick labels grew, out of the figure, whose
        layout is worked out once.
        """
        renderer = self.fig.canvas.get_renderer()
        tick = self.ax.yaxis.get_major_ticks()[0]
        probe = self.fig.text(0, 0, "$\\mathdefault{10^{-88}}$", fontproperties=tick.label1.get_fontproperties())
        widest = probe.get_window_extent(renderer).width
        probe.remove()
        gap = widest + (tick.get_tick_padding() + tick.get_pad()) * self.fig.dpi / 72 + 4
        self.ax.yaxis.set_label_coords(0, 0.5, transform=offset_copy(self.ax.transAxes, fig=self.fig, x=-gap,
                                                                     units="dots"))

    def _update_artists(self):
        depth = self.depth_slider.value
        self.net = build_network(depth, self.activation_buttons.value, self.scale_slider.value)
        self.loss, self.sizes = layer_gradient_sizes(self.net, self.X, self.y)
        self.ratio = gradient_ratio(self.sizes)
        self.verdict = verdict(self.loss, self.sizes)

        n_layers = depth + 1
        shown = [s for s in self.sizes if np.isfinite(s) and s > 0]
        low = min(shown) if shown else 1e-3
        high = max(shown) if shown else 1.0
        for i, bar in enumerate(self.bars):
            size = self.sizes[i] if i < n_layers else np.nan
            visible = bool(np.isfinite(size) and size > 0)
            bar.set_visible(visible)
            bar.set_height(size if visible else 1.0)
            is_output = i == n_layers - 1
            bar.set_facecolor(style.PALETTE["orange"] if is_output else style.PALETTE["blue"])
        output_size = self.sizes[-1]
        self.reference_line.set_ydata([output_size, output_size] if np.isfinite(output_size) and output_size > 0
                                      else [high, high])
        self.ax.set_xlim(0.4, n_layers + 0.6)
        ticks = list(range(1, n_layers + 1))
        self.ax.set_xticks(ticks, [str(t) for t in ticks[:-1]] + [f"{n_layers}\nout"])
        # The y axis runs between whole powers of ten: at least one decade below the shortest bar and
        # LEGEND_ROOM_DECADES above the tallest (room that keeps the legend clear of it). Its ticks
        # stay put while a slider moves within those decades, and the axes can be drawn once for them.
        self.decades = y_decades(low, high)
        self.ax.set_ylim(10.0 ** self.decades[0], 10.0 ** self.decades[1])

        described = describe_ratio(self.ratio)
        if described is None:
            self.ratio_label.value = "<b>diverged</b>: the sizes are too large to compare"
        else:
            prefix = "<b>Diverged.</b> " if self.verdict == "diverged" else ""
            self.ratio_label.value = (
                f"{prefix}The first layer's gradient signal is <b>{described}</b> the output layer's "
                f"(‖δ[1]‖ = {_sci(self.sizes[0])}, ‖δ[{n_layers}]‖ = {_sci(self.sizes[-1])})."
            )
        self.verdict_label.value = f"<b>{_VERDICT_TEXT[self.verdict]}</b>"
        self.loss_label.value = f"loss on the batch before training: {fmt(self.loss)}"

    def _axes_state(self):
        """What the still parts of the figure depend on: the look, the depth and the y axis's decades."""
        return style.presentation_active(), self.depth_slider.value, self.decades

    def _state(self):
        """What the whole figure depends on: the look and every control's value."""
        return (style.presentation_active(), self.depth_slider.value, self.activation_buttons.value,
                self.scale_slider.value)

    @drawing
    def _on_change(self, change=None):
        self._update_artists()
        self.view.show(self._axes_state(), self._state())


def depth_explorer(depth=8, activation="sigmoid", weight_scale=HE_SCALE):
    """Show the depth explorer: hidden layers, activation and weight scale. Returns a DepthExplorer.

    depth: 1 to 12 hidden layers; activation: 'sigmoid', 'tanh' or 'relu'; weight_scale: 0.1 to 3.

    Used in notebook 06.
    """
    return DepthExplorer(depth=depth, activation=activation, weight_scale=weight_scale)
