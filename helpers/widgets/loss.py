"""Three ways to score one prediction: slide ŷ and y, watch each loss and its slope change.

    squared error          L = (ŷ − y)²                            slope ∂L/∂ŷ = 2(ŷ − y)
    ½ squared error        L = ½(ŷ − y)²                           slope ∂L/∂ŷ = ŷ − y
    cross-entropy          L = −[y·log ŷ + (1 − y)·log(1 − ŷ)]     slope ∂L/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ))

All three are lowest where ŷ = y. They differ in how hard they punish a miss: the squared error of
a probability never exceeds 1, while cross-entropy grows without limit as a confident guess turns
out wrong. ŷ stays between 0.01 and 0.99, so every loss on the screen is a finite number.

    loss_explorer()          # a slider for the prediction ŷ, one for the target y
"""

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..plots import style
from .. import validate
from ..core.losses import EPS, get_loss
from ._base import CourseWidget, FloatSlider, drawing, fmt, new_figure, signed, start_number, start_option
from ._kept import KeptView
from .weights import HOMES

LOSS_NAMES = ("squared_error", "half_squared_error", "binary_cross_entropy")
"""The three losses shown, in the order of the legend and the table (names from helpers.losses)."""

SHORT_NAMES = {
    "squared_error": "squared error",
    "half_squared_error": "½ squared error",
    "binary_cross_entropy": "cross-entropy",
}
FORMULAS = {
    "squared_error": "(ŷ − y)²",
    "half_squared_error": "½(ŷ − y)²",
    "binary_cross_entropy": "−[y·log ŷ + (1 − y)·log(1 − ŷ)]",
}
SLOPE_FORMULAS = {
    "squared_error": "2(ŷ − y)",
    "half_squared_error": "ŷ − y",
    "binary_cross_entropy": "(ŷ − y) / (ŷ(1 − ŷ))",
}
# Colour and line style together, so the three curves differ by more than colour.
LINE_STYLES = {
    "squared_error": (style.LOSS, "-"),
    "half_squared_error": (style.PALETTE["sky"], "--"),
    "binary_cross_entropy": (style.PALETTE["purple"], "-."),
}
MARKERS = {"squared_error": "o", "half_squared_error": "s", "binary_cross_entropy": "D"}

Y_HAT_RANGE = (0.01, 0.99)
"""ŷ is a probability kept off 0 and 1: at exactly 0 or 1 a wrong guess would cost infinitely much."""
Y_RANGE = (0.0, 1.0)
GRID = np.linspace(Y_HAT_RANGE[0], Y_HAT_RANGE[1], 197)
X_AXIS_RIGHT = 1.04
MARKER_SIZES = {"squared_error": 13, "half_squared_error": 7, "binary_cross_entropy": 9}
MARKER_ZORDERS = {"squared_error": 5, "half_squared_error": 6, "binary_cross_entropy": 5}
LOSS_AXIS_TOP = 5.0  # above −log(0.01) ≈ 4.61, the largest loss the sliders can reach
LEGEND_WIDTH = 2.8
"""Inches added to the course's figure for the legend, which sits beside the axes."""
FIGSIZE = (style.FIGSIZE[0] + LEGEND_WIDTH, style.FIGSIZE[1])
PRESENTATION_FIGSIZE = (FIGSIZE[0], 3.0)
"""Shorter in presentation mode (before its 1.25x scaling), so the sliders, the table and the picture
fit together on a 1280x720 projector."""
MOVING_ZORDER = 2.6
"""The lines' z-order: above the spines and ticks (2.5), as they are drawn over a kept drawing of those."""


@dataclass(frozen=True)
class LossReading:
    """The three losses and their slopes ∂L/∂ŷ for one prediction ŷ against one target y.

    values, slopes: dicts keyed by the names in LOSS_NAMES, computed by helpers.losses.
    """

    y_hat: float
    y: float
    values: dict
    slopes: dict


def loss_reading(y_hat, y):
    """Every loss of LOSS_NAMES and its slope at (ŷ, y), via helpers.losses. Returns a LossReading."""
    y_hat = validate.as_number(y_hat, "y_hat")
    y = validate.as_number(y, "y")
    losses = {name: get_loss(name) for name in LOSS_NAMES}
    return LossReading(
        y_hat=y_hat, y=y,
        values={name: float(loss.value(y_hat, y)) for name, loss in losses.items()},
        slopes={name: float(loss.gradient(y_hat, y)) for name, loss in losses.items()},
    )


def loss_curves(y, y_hat=GRID):
    """Each loss of LOSS_NAMES at every point of the array y_hat, for one target y.

    The same formulas as helpers.losses, applied point by point (those functions sum over the
    outputs of a sample, so they return one number for an array). Returns {name: array}.
    """
    y = validate.as_number(y, "y")
    y_hat = validate.as_array(y_hat, "y_hat", ndim=1)
    p = np.clip(y_hat, EPS, 1 - EPS)
    squared = (y_hat - y) ** 2
    return {
        "squared_error": squared,
        "half_squared_error": 0.5 * squared,
        "binary_cross_entropy": -(y * np.log(p) + (1 - y) * np.log(1 - p)),
    }


class LossExplorer(CourseWidget):
    """Sliders for the prediction ŷ and the target y; three loss curves with a marker on each.

    Controls: `sliders["y_hat"]`, `sliders["y"]`. Labels (HTML): `gap_label` (ŷ − y in words),
    `table_label` (each loss's value and slope). State: `reading` (a LossReading).
    Artists: `curves[name]` and `markers[name]` for each name in LOSS_NAMES, `target_line`
    (vertical, at ŷ = y), `prediction_line` (vertical, at the current ŷ).
    """

    title = "Loss explorer"

    @drawing
    def __init__(self, y_hat=0.7, y=1.0):
        y_hat = start_number(y_hat, "y_hat", *Y_HAT_RANGE)
        y = start_number(y, "y", *Y_RANGE)
        self.sliders = {
            "y_hat": FloatSlider(
                value=y_hat, min=Y_HAT_RANGE[0], max=Y_HAT_RANGE[1], step=0.01,
                description="prediction ŷ", continuous_update=True, readout_format=".2f",
                style={"description_width": "initial"},
            ),
            "y": FloatSlider(
                value=y, min=Y_RANGE[0], max=Y_RANGE[1], step=0.05,
                description="target y", continuous_update=True, readout_format=".2f",
                style={"description_width": "initial"},
            ),
        }
        self.gap_label = widgets.HTML()
        self.table_label = widgets.HTML()

        self.fig = new_figure(PRESENTATION_FIGSIZE if style.presentation_active() else FIGSIZE)
        self.ax = self.fig.add_subplot()
        self._draw_static()
        self.reading = None
        self._update_curves()
        self._update_prediction()
        # The curves, markers and the two vertical lines move; the axes, ticks, titles and the legend
        # (beside the axes, where nothing that moves can reach) are drawn once.
        # A picture seen before (a slider moved back) is sent again as it was drawn.
        self.view = KeptView(self.fig, [*self.curves.values(), *self.markers.values(), self.target_line,
                                        self.prediction_line], style.presentation_active(), self._state())

        self.sliders["y_hat"].observe(self._on_prediction, names="value")
        self.sliders["y"].observe(self._on_target, names="value")
        super().__init__([
            widgets.HBox(list(self.sliders.values())),
            self.gap_label, self.table_label, self.view.image,
        ])

    def _draw_static(self):
        ax = self.ax
        self.curves, self.markers = {}, {}
        for name in LOSS_NAMES:
            colour, linestyle = LINE_STYLES[name]
            (self.curves[name],) = ax.plot(GRID, np.zeros_like(GRID), color=colour, linestyle=linestyle,
                                           lw=2.5, zorder=MOVING_ZORDER + 0.02,
                                           label=f"{SHORT_NAMES[name]}  {FORMULAS[name]}")
            # Near the target the squared error is only twice the ½ version, a few pixels apart:
            # its marker is drawn larger and behind, so its rim still shows around the smaller one.
            (self.markers[name],) = ax.plot([], [], MARKERS[name], color=colour, ms=MARKER_SIZES[name],
                                            markeredgecolor="black", zorder=MARKER_ZORDERS[name])
        self.target_line = ax.axvline(0.0, color="#555555", lw=1.8, ls=":", zorder=MOVING_ZORDER,
                                      label="the target y")
        self.prediction_line = ax.axvline(0.0, color=style.PREDICTION, lw=1.2, zorder=MOVING_ZORDER + 0.01,
                                          label="the current ŷ")
        # A little room past 1, so a target at ŷ = 1 is a line of its own, not the axes' edge.
        ax.set_xlim(0.0, X_AXIS_RIGHT)
        ax.set_ylim(0.0, LOSS_AXIS_TOP)
        ax.set_xlabel("prediction ŷ")
        ax.set_ylabel("loss L")
        ax.set_title("Three ways to score one prediction")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)

    def _update_curves(self):
        y = self.sliders["y"].value
        with np.errstate(all="ignore"):
            curves = loss_curves(y)
        for name in LOSS_NAMES:
            self.curves[name].set_ydata(curves[name])
        self.target_line.set_xdata([y, y])

    def _update_prediction(self):
        y_hat, y = self.sliders["y_hat"].value, self.sliders["y"].value
        with np.errstate(all="ignore"):
            reading = loss_reading(y_hat, y)
        self.reading = reading
        for name in LOSS_NAMES:
            self.markers[name].set_data([y_hat], [reading.values[name]])
        self.prediction_line.set_xdata([y_hat, y_hat])

        gap = y_hat - y
        if abs(gap) < 1e-9:
            where = "ŷ = y: the prediction hits the target"
        else:
            where = f"ŷ is {abs(gap):.2f} {'below' if gap < 0 else 'above'} the target"
        floor = ""
        if 0.0 < y < 1.0:
            floor = (f"; with a target between 0 and 1, cross-entropy's lowest point is still at ŷ = y, "
                     f"but its value there is {fmt(loss_reading(y, y).values['binary_cross_entropy'])}, not 0")
        self.gap_label.value = (f"ŷ = {fmt(y_hat, 2)}, y = {fmt(y, 2)}: ŷ − y = {signed(gap, 2)} "
                                f"({where}){floor}")
        rows = "".join(
            f"<tr><td>{SHORT_NAMES[name]}</td><td>{FORMULAS[name]}</td>"
            f"<td><b>{fmt(reading.values[name])}</b></td>"
            f"<td>{SLOPE_FORMULAS[name]} = {fmt(reading.slopes[name])}</td></tr>"
            for name in LOSS_NAMES
        )
        self.table_label.value = (
            "<table><tr><th>loss</th><th>formula</th><th>value L</th><th>slope ∂L/∂ŷ</th></tr>"
            f"{rows}</table>"
        )

    def _state(self):
        """What the whole figure depends on: the look and the two sliders' values."""
        return style.presentation_active(), self.sliders["y_hat"].value, self.sliders["y"].value

    @drawing
    def _on_prediction(self, change=None):
        self._update_prediction()
        self.view.show(style.presentation_active(), self._state())

    @drawing
    def _on_target(self, change=None):
        self._update_curves()
        self._update_prediction()
        self.view.show(style.presentation_active(), self._state())


def loss_explorer(y_hat=0.7, y=1.0, home="page"):
    """Show the loss explorer: sliders for the prediction ŷ (0.01 to 0.99) and the target y (0 to 1).

    home: where the picture is drawn and the numbers computed on a move: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageLossExplorer with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a LossExplorer).
    A value outside a slider's range, or of the wrong kind, raises a ValueError or TypeError that
    names the argument and what it may be.

    Used in notebook 02.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page.loss_explorer import PageLossExplorer

        return PageLossExplorer(y_hat=y_hat, y=y)
    return LossExplorer(y_hat=y_hat, y=y)
