"""Gradient descent on the 2-2-1 example's output weights: choose η, the steps and the start; watch the path.

    gradient_descent_playground()

Only w3 and w4 learn here; w1 and w2 stay at the worked example's values, so the hidden
activations h1, h2 are fixed and the loss over (w3, w4) can be drawn as a map. Because
ŷ = w3·h1 + w4·h2 is linear in these two weights, the map is a straight valley: every point on
its floor gives ŷ = y exactly. Each step, w ← w − η·∂L/∂w, walks straight downhill, across the
valley. The valley's steepness across sets the learning rates that matter:

    λ = 2(h1² + h2²) ≈ 0.86     η < 1/λ ≈ 1.16: ŷ approaches y from one side
                                1/λ < η < 2/λ ≈ 2.32: each step jumps past the floor (zig-zag)
                                η > 2/λ: each jump lands higher than the last, until the numbers blow up
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.gridspec import GridSpec

from ..plots import style
from ..formatting import true_minus
from ..plots import loss_curve, loss_landscape
from ..core.tiny import EXAMPLE_TARGET, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from ..practice.training import descend_tiny
from matplotlib.ticker import FuncFormatter, LogLocator
from matplotlib.transforms import offset_copy

from ._base import CourseWidget, drawing, log_slider, log_value, loss_diverged, new_figure, short
from ._base import FloatSlider, start_number, start_option, start_values, start_whole
from ._counts import IntSlider
from ._base import number as _number
from ._kept import KeptView
from .weights import HOMES

PAIR = ("w3", "w4")
"""The two weights that learn (the output weights); the others stay at the example's values."""
W3_RANGE = (-2.0, 4.0)
W4_RANGE = (-2.0, 4.0)
START = {"w3": -1.5, "w4": -1.5}
ETA_RANGE = (0.01, 10.0)
ETA_EXPONENTS = (-2.0, 1.0)  # η from 0.01 to 10 on a log scale
STEPS_RANGE = (1, 200)


def _decades(mantissas, low, high):
    """m·10**k for each decade k from `low` up to `high` (excluded), then 10**high: 0.01, 0.012, ... 10."""
    return tuple(float(f"{m}e{k}") for k in range(low, high) for m in mantissas) + (float(f"1e{high}"),)


ETA_KEYS = _decades((1, 1.2, 1.5, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9), -2, 1)
"""The η an arrow key steps through on the page's slider: 0.01, 0.012, 0.015, ... 9, 10 (45 presses end to end)."""
ETA_PAGE_KEYS = _decades((1, 2, 5), -2, 1)
"""The η Page Up and Page Down step through: 0.01, 0.02, 0.05, 0.1, ... 10."""
STEPS_KEYS = (*range(1, 10), *range(10, 20, 2), *range(20, 50, 5), *range(50, 100, 10), *range(100, 201, 20))
"""The step counts an arrow key steps through on the page's slider: 1, 2, ... 10, 12, ... 20, 25, ... 50, 60, ... 200."""
STEPS_PAGE_KEYS = (1, 2, 5, 10, 20, 50, 100, 200)


def key_step(value, keys, direction):
    """The next of `keys` (ascending) above `value` (direction +1) or below it (-1); past an end, that end.

    A value between two keys (dragged there, or set from code) goes to the next key the way pressed.
    """
    if direction > 0:
        ahead = [k for k in keys if k > value * (1 + 1e-9)]
        return ahead[0] if ahead else keys[-1]
    behind = [k for k in keys if k < value * (1 - 1e-9)]
    return behind[-1] if behind else keys[0]

CONVERGING = "converging"
CRAWLING = "crawling (learning rate too low)"
OVERSHOOTING = "overshooting (learning rate too high)"
DIVERGED = "diverged"
AT_THE_BOTTOM = "already at the bottom"
# Crawling: on average each step removes less than 10% of the loss.
CRAWL_RATIO_PER_STEP = 0.9
# ŷ counts as jumping past y only while it is clearly apart from it (not rounding noise at the floor).
CLEAR_ERROR = 1e-6


def descend_output_weights(w3, w4, eta, steps, fixed=EXAMPLE_WEIGHTS):
    """Gradient descent on w3 and w4 only, with w1, w2 held at `fixed`; returns a TinyPath.

    The path's weights have shape (steps + 1, 4), columns w1..w4 (w1, w2 constant); loss and
    y_hat have shape (steps + 1,). The run stops early, with diverged=True, once a weight passes
    1e6 or the loss passes 1e12.
    """
    return descend_tiny(TwoTwoOne(**{**fixed, "w3": w3, "w4": w4}), eta, steps, free=PAIR)


def verdict(path, y=EXAMPLE_TARGET):
    """One phrase for a run: 'converging', 'crawling (...)', 'overshooting (...)', 'diverged' or 'already at the bottom'.

    'diverged' follows the course's one rule (`_base.loss_diverged`): the weights or the loss blew
    up, or the loss kept growing to the last step.
    """
    loss = path.loss
    if path.diverged or loss_diverged(loss):
        return DIVERGED
    steps = len(loss) - 1
    if loss[0] < 1e-12:
        return AT_THE_BOTTOM
    error = path.y_hat - y
    clear = np.abs(error) > CLEAR_ERROR
    jumps_past = np.count_nonzero((np.sign(error[1:]) != np.sign(error[:-1])) & clear[1:] & clear[:-1])
    if jumps_past >= 1 or loss[-1] > loss[0]:
        return OVERSHOOTING
    if steps > 0 and (loss[-1] / loss[0]) ** (1.0 / steps) > CRAWL_RATIO_PER_STEP:
        return CRAWLING
    return CONVERGING


def number(value):
    """A number for a label: 4 decimals, e-notation when it is tiny, or 'diverged'."""
    return _number(value, tiny_digits=2)


SLIDER_WIDTH = "400px"
MOVING_ZORDER = 3
"""The right-hand lines' z-order: above the spines and ticks (2.5), as they are drawn over a kept drawing of those."""
ROUND_ENDS = np.array([0.0] + [float(f"{m}e{k}") for k in range(-1, 13) for m in (1, 1.5, 2, 3, 5)])
"""Where the ŷ axis may end (either sign): 0, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 1.5, ... 5e12."""
LOSS_DECADES_STEP = 4
"""The loss axis ends at powers of ten whose exponents are multiples of this (10⁻⁸, 10⁻⁴, 10⁰, 10⁴ ...)."""


def _round_end(value, up):
    """The nearest of ±ROUND_ENDS at or above `value` (up=True) or at or below it."""
    outward = value if up else -value
    magnitudes = ROUND_ENDS[ROUND_ENDS >= abs(outward)] if outward > 0 else ROUND_ENDS[ROUND_ENDS <= -outward]
    end = magnitudes.min() if outward > 0 else magnitudes.max()
    return float(end if up else -end) + 0.0 if outward > 0 else float(-end if up else end) + 0.0  # no −0


def y_hat_limits(y_hat, target=EXAMPLE_TARGET):
    """The ŷ axis's ends: round values (ROUND_ENDS) just outside every finite ŷ and the target, with a
    little room. They take few values, so they stay put while a slider moves and the axes can be kept."""
    finite = np.asarray(y_hat, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    lo, hi = min(finite.min(), target), max(finite.max(), target)
    pad = 0.05 * (hi - lo) or 0.1
    return _round_end(lo - pad, up=False), _round_end(hi + pad, up=True)


def loss_limits(losses):
    """The loss axis's ends: powers of ten whose exponents are multiples of LOSS_DECADES_STEP, around
    every positive finite loss (a loss of exactly 0 cannot be shown on a log axis)."""
    losses = np.asarray(losses, dtype=np.float64)
    shown = losses[np.isfinite(losses) & (losses > 0) & (losses <= 1e12)]
    if shown.size == 0:
        return 1e-4, 1.0
    step = LOSS_DECADES_STEP
    bottom = step * np.floor(np.floor(np.log10(shown.min())) / step)
    top = max(step * np.ceil(np.ceil(np.log10(shown.max())) / step), bottom + step)
    return float(10.0 ** bottom), float(10.0 ** top)


def _tick(value, position=None):
    """A ŷ tick label: short, with its own exponent when large ('2e+05'), and a true minus sign."""
    text = f"{value:.0e}" if abs(value) >= 1e4 else f"{value:.6g}"
    return true_minus(text)


def _output_weight_loss(w3, w4):
    return TwoTwoOne(EXAMPLE_WEIGHTS["w1"], EXAMPLE_WEIGHTS["w2"], w3, w4).loss()


class GradientDescentPlayground(CourseWidget):
    """Learning rate, steps and starting point of gradient descent on w3, w4; the path, loss and ŷ.

    Controls: `eta` (FloatLogSlider 0.01..10), `steps` (IntSlider 1..200), `start_sliders`
    (dict 'w3', 'w4' of FloatSlider); a steps value outside 1..200 set from code is refused with a
    TraitError (the slider keeps its value). Labels (HTML): `final_loss_label`, `final_y_hat_label`,
    `verdict_label`. State: `path` (the last TinyPath), `verdict` (its phrase).
    Figure: `fig`, `view`, `landscape` (plots.LossLandscape, contours drawn once), `loss_plot`
    (plots.LossCurve, log scale), `y_hat_ax`, `y_hat_line` (ŷ per step), `target_line`,
    `diverged_note` (a Text shown on the map when the run blew up).
    """

    title = "Gradient-descent playground"

    @drawing
    def __init__(self, eta=0.3, steps=30, start=None):
        eta = start_number(eta, "eta", *ETA_RANGE)
        steps = start_whole(steps, "steps", *STEPS_RANGE)
        start = {**START, **({} if start is None else start_values(start, "start", {"w3": W3_RANGE, "w4": W4_RANGE}))}
        # The four sliders share one width and one column of names, so their tracks line up.
        self.eta = log_slider(eta, ETA_EXPONENTS, "η (eta)", layout=widgets.Layout(width=SLIDER_WIDTH))
        self.steps = IntSlider(value=steps, min=STEPS_RANGE[0], max=STEPS_RANGE[1], description="steps",
                                       continuous_update=True, layout=widgets.Layout(width=SLIDER_WIDTH))
        self.start_sliders = {
            name: FloatSlider(value=start[name], min=rng[0], max=rng[1], step=0.05,
                                      description=f"start {name}", continuous_update=True, readout_format=".2f",
                                      layout=widgets.Layout(width=SLIDER_WIDTH))
            for name, rng in (("w3", W3_RANGE), ("w4", W4_RANGE))
        }
        self.final_loss_label = widgets.HTML()
        self.final_y_hat_label = widgets.HTML()
        self.verdict_label = widgets.HTML()

        # A fifth of an inch shorter than the course's wide figure, so that in presentation mode the
        # sliders and the picture fit together on a 1280x720 projector.
        self.fig = new_figure((style.WIDE_FIGSIZE[0], style.WIDE_FIGSIZE[1] - 0.2))
        grid = GridSpec(2, 2, figure=self.fig, width_ratios=(1.25, 1.0))
        land_ax = self.fig.add_subplot(grid[:, 0])
        loss_ax = self.fig.add_subplot(grid[0, 1])
        self.y_hat_ax = self.fig.add_subplot(grid[1, 1])
        w1, w2 = EXAMPLE_WEIGHTS["w1"], EXAMPLE_WEIGHTS["w2"]
        self.landscape = loss_landscape(_output_weight_loss, W3_RANGE, W4_RANGE, ax=land_ax, resolution=61,
                                        xlabel="$w_3$", ylabel="$w_4$",
                                        title=f"Loss over w3, w4 (w1 = {short(w1)}, w2 = {short(w2)} fixed)")
        self.loss_plot = loss_curve([1.0], ax=loss_ax, label=None, log=True, xlabel="", title="Loss L per step")
        loss_ax.tick_params(labelbottom=False)
        # Ticks at the powers of ten the axis may end at (10⁻⁸, 10⁻⁴, 10⁰ ...), every other one if crowded.
        loss_ax.yaxis.set_major_locator(LogLocator(base=10.0 ** LOSS_DECADES_STEP))
        self.loss_plot.line.set_zorder(MOVING_ZORDER)
        (self.y_hat_line,) = self.y_hat_ax.plot([], [], color=style.PREDICTION, marker="o", markersize=2.5,
                                                zorder=MOVING_ZORDER)
        self.target_line = self.y_hat_ax.axhline(EXAMPLE_TARGET, color=style.PALETTE["grey"], linestyle="--",
                                                 linewidth=1.5, zorder=MOVING_ZORDER)
        self.y_hat_ax.set_xlabel("step")
        self.y_hat_ax.set_ylabel("ŷ (dashed: y)")
        # Every tick carries its whole value (1e+05, not "1e5" above the axis, which read as part of ŷ).
        self.y_hat_ax.yaxis.set_major_formatter(FuncFormatter(_tick))
        self._place_y_labels()
        self.diverged_note = land_ax.text(0.5, 0.5, "diverged:\nthe path left the map", transform=land_ax.transAxes,
                                          ha="center", va="center", fontsize="large", visible=False, zorder=6,
                                          bbox=dict(boxstyle="round", facecolor="white", edgecolor=style.NEGATIVE))
        self.path = None
        self.verdict = None
        self._update()
        # The contours never change, and each right-hand axes takes few states (steps, decades of the
        # loss, round ends of ŷ): the map is drawn once and each axes once per state of its own, then
        # only the path and the lines over them.
        land = self.landscape
        self.view = KeptView(self.fig, [land.path_line, land.start_marker, land.end_marker, self.diverged_note,
                                        self.loss_plot.line, self.y_hat_line, self.target_line],
                             self._axes_state(), self._state(), keep_backgrounds=6, keep_pictures=32,
                             layers=[loss_ax, self.y_hat_ax],
                             still_texts=[loss_ax.title, loss_ax.yaxis.label, self.y_hat_ax.yaxis.label,
                                          self.y_hat_ax.xaxis.label])

        for control in (self.eta, self.steps, *self.start_sliders.values()):
            control.observe(self._on_change, names="value")
        controls = widgets.VBox([self.eta, self.steps, *self.start_sliders.values()])
        readouts = widgets.VBox([self.verdict_label, self.final_loss_label, self.final_y_hat_label])
        super().__init__([widgets.HBox([controls, readouts]), self.view.image])

    def _place_y_labels(self):
        """Put both right-hand y labels one column to the left of the widest tick label either axis can show,
        and the steps' label under its tick labels.

        Searched for on every draw, a label moved with its tick labels' width ("0.5" or "−2e+05"),
        into the colour bar's label when ŷ blew up; placed once, the layout keeps room for it.
        """
        renderer = self.fig.canvas.get_renderer()
        widest = 0.0
        for ax, text in ((self.loss_plot.ax, "$\\mathdefault{10^{-12}}$"), (self.y_hat_ax, _tick(-2e5))):
            label = ax.yaxis.get_major_ticks()[0].label1
            probe = self.fig.text(0, 0, text, fontproperties=label.get_fontproperties())
            widest = max(widest, probe.get_window_extent(renderer).width)
            probe.remove()
        tick = self.y_hat_ax.yaxis.get_major_ticks()[0]
        gap = widest + (tick.get_tick_padding() + tick.get_pad()) * self.fig.dpi / 72 + 4
        for ax in (self.loss_plot.ax, self.y_hat_ax):
            ax.yaxis.set_label_coords(0, 0.5, transform=offset_copy(ax.transAxes, fig=self.fig, x=-gap, units="dots"))
        # "step" under the steps' tick labels, which are always one line of digits.
        tick = self.y_hat_ax.xaxis.get_major_ticks()[0]
        probe = self.fig.text(0, 0, "0123456789", fontproperties=tick.label1.get_fontproperties())
        tall = probe.get_window_extent(renderer).height
        probe.remove()
        drop = tall + (tick.get_tick_padding() + tick.get_pad()) * self.fig.dpi / 72 + 3
        self.y_hat_ax.xaxis.set_label_coords(0.5, 0, transform=offset_copy(self.y_hat_ax.transAxes, fig=self.fig,
                                                                           y=-drop, units="dots"))

    def _axes_state(self):
        """What each right-hand axes' looks depend on: the look, the steps and its limits."""
        look, steps = style.presentation_active(), int(self.steps.value)
        return (look, steps, self.loss_plot.ax.get_ylim()), (look, steps, self.y_hat_ax.get_ylim())

    def _state(self):
        """What the whole figure depends on: the look and every slider's value (η as read)."""
        return (style.presentation_active(), log_value(self.eta), int(self.steps.value),
                *(float(s.value) for s in self.start_sliders.values()))

    @drawing
    def _on_change(self, change):
        self._update()
        self.view.show(self._axes_state(), self._state())

    def _update(self):
        start = {n: float(s.value) for n, s in self.start_sliders.items()}
        self.path = descend_output_weights(start["w3"], start["w4"], log_value(self.eta), int(self.steps.value))
        self.verdict = verdict(self.path)
        path = self.path
        pair = path.weights[:, [WEIGHT_NAMES.index(n) for n in PAIR]]
        with np.errstate(invalid="ignore"):
            left_map = not np.all((pair >= (W3_RANGE[0], W4_RANGE[0])) & (pair <= (W3_RANGE[1], W4_RANGE[1])))
        self.diverged_note.set_visible(self.verdict == DIVERGED and left_map)
        self.landscape.update(path.weights[:, [WEIGHT_NAMES.index(n) for n in PAIR]])
        self.loss_plot.update(path.loss)
        self.loss_plot.ax.set_ylim(*loss_limits(path.loss))
        steps = np.arange(len(path.y_hat))
        self.y_hat_line.set_data(steps, path.y_hat)
        for ax in (self.loss_plot.ax, self.y_hat_ax):  # the same steps axis (not shared: sharing slows each draw)
            ax.set_xlim(0, max(int(self.steps.value), 1))
        self.y_hat_ax.set_ylim(*y_hat_limits(path.y_hat))

        ran = len(path.loss) - 1
        if path.diverged:
            final_loss = final_y_hat = float("nan")
            stop = f" (stopped after {ran} of {self.steps.value} steps: the weights blew up)"
        else:
            final_loss, final_y_hat = path.loss[-1], path.y_hat[-1]
            stop = ": each jump lands higher up the valley wall" if path.loss[-1] > path.loss[0] else ""
        self.final_loss_label.value = f"final loss L = <b>{number(final_loss)}</b> (start {number(path.loss[0])})"
        self.final_y_hat_label.value = f"final ŷ = <b>{number(final_y_hat)}</b> (target y = {EXAMPLE_TARGET:g})"
        self.verdict_label.value = f"verdict: <b>{self.verdict}</b>{stop}"


def gradient_descent_playground(eta=0.3, steps=30, start=None, home="page"):
    """Gradient descent on the 2-2-1 example's output weights, with sliders for η, steps and the start.

    eta: starting learning rate (0.01 to 10); steps: how many updates (1 to 200); start:
    {'w3': ..., 'w4': ...} where the walk begins, each from −2 to 4 (default w3 = w4 = −1.5, far
    enough from the valley floor to see the path; a weight left out keeps its default).
    home: where the picture is drawn and the run computed on a move: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageGradientDescentPlayground with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a GradientDescentPlayground).

    Used in notebook 05.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page.gradient_descent_playground import PageGradientDescentPlayground

        return PageGradientDescentPlayground(eta=eta, steps=steps, start=start)
    return GradientDescentPlayground(eta=eta, steps=steps, start=start)
