"""Pick a planted bug and watch the symptoms it leaves: follow loss → gradients → updates.

Each bug of `helpers.bugs` is planted in the same cat-or-dog classifier. The widget trains the
job with the bug and without it, and shows what a debugger would look at: the two loss curves,
the gradient check against finite differences, the gradient's size at every layer, the share of
dead units, a trial step with a tiny learning rate, and the diagnosis those checks lead to.

    bug_explorer()       # a dropdown of the six bugs
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..practice import bugs
from ..plots import style
from ._base import CourseWidget, Dropdown, drawing, FigureView, new_figure, start_option, with_minus_signs

MAX_LAYERS = max(len(bugs.SIZES), len(bugs.DEEP_SIZES)) - 1
"""The most layers any job has: one bar position for each."""
BUGGY_COLOUR = style.PALETTE["vermillion"]
HEALTHY_COLOUR = style.PALETTE["blue"]
CHECKS = ("loss", "gradient check", "gradient sizes", "dead units", "trial step")
"""The rows of `bugs.report_items`, in the order of the chain, each shown in its own label."""
LOG_LOSS_ABOVE = 30.0
"""The loss axis turns logarithmic when the largest loss shown is this many times the smallest."""
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
PRESENTATION_FIGSIZE = (5.2, 4.3)
"""In presentation mode (drawn 1.25 times larger: 650 x 538 px) the two plots stand one above the
other, with the findings beside them: side by side, under the findings, they did not fit a 1280x720
projector."""
FINDINGS_BASIS = "400px"
AXIS_NAMES = {
    False: {"loss": "training loss L", "log": " (log scale)", "sizes": "‖∂L/∂W[l]‖ at the start (log scale)",
            "sizes_title": "Gradient size per layer"},
    # Beside a plot a third as tall, the long names ran off it; 'at the start' moves to the title.
    True: {"loss": "loss L", "log": " (log)", "sizes": "‖∂L/∂W[l]‖ (log)",
           "sizes_title": "Gradient size per layer, at the start"},
}
"""The axes' names, in the course's look (False) and in presentation mode (True)."""
"""In presentation mode the findings sit beside the picture when this much room is left, else below it."""


def tick_label(value, _position=None):
    """A log-axis tick as plain text: '0.5', '20', or '10¹²' (no mathtext, which is slow to draw)."""
    if value <= 0 or not np.isfinite(value):
        return ""
    if 1e-3 <= value <= 1e3:
        return f"{value:g}"
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) < 1e-9:
        return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)
    return f"{value:.0e}"


def _row(name, text):
    return f"<b>{html.escape(name)}:</b> {html.escape(text)}"


class BugExplorer(CourseWidget):
    """A dropdown of planted bugs; the symptoms of the chosen one, measured by `helpers.bugs.symptoms`.

    Control: `bug_dropdown` (values are the kinds in bugs.KINDS). Label: `findings_label` (HTML),
    one line for each entry of `findings`: 'planted' (what was planted), one per row of CHECKS, and
    'diagnosis' (what the checks point to, and the fix). A new bug changes every line, so they go to
    the browser as one label change, not seven. State: `kind`, `buggy` and `healthy` (the Symptoms
    with and without the bug). Artists: `buggy_line`, `healthy_line` (loss per epoch, log scale),
    `diverged_marker` and `diverged_text` (where a diverged run stopped), `buggy_bars`, `healthy_bars` (MAX_LAYERS
    rectangles each: ‖∂L/∂W[l]‖ per layer at the start, the unused ones hidden), on axes
    `loss_ax` and `sizes_ax`.
    """

    title = "Bug explorer"

    @drawing
    def __init__(self, kind=bugs.KINDS[0]):
        kind = start_option(kind, "kind", bugs.KINDS)
        self._measured = {}
        self.bug_dropdown = Dropdown(
            options=[(bugs.BUGS[k].title, k) for k in bugs.KINDS], value=kind, description="planted bug",
            style={"description_width": "initial"}, layout=widgets.Layout(width="360px"),
        )
        self.findings = {}
        self.findings_label = widgets.HTML()

        presenting = style.presentation_active()
        self._names = AXIS_NAMES[presenting]
        if presenting:
            self.fig = new_figure(PRESENTATION_FIGSIZE)
            self.fig.set_layout_engine("none")
            grid = self.fig.add_gridspec(2, 1, left=0.15, right=0.97, bottom=0.11, top=0.94, hspace=0.62)
            self.loss_ax = self.fig.add_subplot(grid[0, 0])
            self.sizes_ax = self.fig.add_subplot(grid[1, 0])
        else:
            # Half an inch shorter than the course's wide figure: with the dropdown and the four lines of
            # findings above it, the picture then fits under them on a 1366x768 screen.
            self.fig = new_figure((style.WIDE_FIGSIZE[0], style.WIDE_FIGSIZE[1] - 0.5))
            # Fixed margins with room for the widest tick labels: the axes change scale from bug to bug.
            self.fig.set_layout_engine("none")
            grid = self.fig.add_gridspec(1, 2, left=0.08, right=0.985, bottom=0.15, top=0.91, wspace=0.32)
            self.loss_ax = self.fig.add_subplot(grid[0, 0])
            self.sizes_ax = self.fig.add_subplot(grid[0, 1])
        self._draw_static()
        self._update_artists()
        self._show_findings()
        self.view = FigureView(self.fig)

        self.bug_dropdown.observe(self._on_change, names="value")
        if presenting:
            self.view.image.layout.flex = "0 0 auto"  # drawn at its size, pixel for pixel
            self.findings_label.layout = widgets.Layout(flex=f"1 1 {FINDINGS_BASIS}", min_width="0")
            super().__init__([self.bug_dropdown, widgets.HBox([self.view.image, self.findings_label],
                                                              layout=widgets.Layout(flex_flow="row wrap",
                                                                                    align_items="flex-start"))])
        else:
            super().__init__([self.bug_dropdown, self.findings_label, self.view.image])

    def _symptoms(self, kind, buggy):
        """Symptoms of one job, measured once per widget (switching back is instant)."""
        key = (kind, buggy)
        if key not in self._measured:
            self._measured[key] = bugs.symptoms(kind, buggy=buggy)
        return self._measured[key]

    def _draw_static(self):
        ax = self.loss_ax
        (self.healthy_line,) = ax.plot([], [], color=HEALTHY_COLOUR, lw=2.2, label="without the bug")
        (self.buggy_line,) = ax.plot([], [], color=BUGGY_COLOUR, lw=2.2, ls="--", label="with the bug")
        (self.diverged_marker,) = ax.plot([], [], ls="none", marker="X", ms=11, color=BUGGY_COLOUR,
                                          markeredgecolor="white")
        self.diverged_text = ax.annotate("diverged", (0, 1), xytext=(-8, 0), textcoords="offset points",
                                         ha="right", va="center", color=BUGGY_COLOUR, fontweight="bold",
                                         visible=False)
        ax.set_xlim(0, bugs.EPOCHS)
        ax.set_xlabel("epoch")
        ax.set_ylabel(self._names["loss"])
        ax.set_title("Loss with and without the bug", y=1.0)  # placed, not searched for on every draw (nothing sits above the axes)
        ax.legend(loc="best", fontsize="small", framealpha=0.9)

        ax = self.sizes_ax
        positions = np.arange(1, MAX_LAYERS + 1)
        width = 0.38
        self.healthy_bars = list(ax.bar(positions - width / 2, np.ones(MAX_LAYERS), width, bottom=1e-300,
                                        color=HEALTHY_COLOUR, edgecolor="black", linewidth=0.5,
                                        label="without the bug"))
        self.buggy_bars = list(ax.bar(positions + width / 2, np.ones(MAX_LAYERS), width, bottom=1e-300,
                                      color=BUGGY_COLOUR, edgecolor="black", linewidth=0.5, hatch="//",
                                      label="with the bug"))
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(tick_label))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("layer l (1 = nearest the input)")
        ax.set_ylabel(self._names["sizes"])
        ax.set_title(self._names["sizes_title"], y=1.0)  # placed, not searched for on every draw (nothing sits above the axes)
        ax.legend(loc="upper left", fontsize="small", frameon=False)

    def _update_artists(self):
        self.kind = kind = self.bug_dropdown.value
        self.buggy = buggy = self._symptoms(kind, True)
        self.healthy = healthy = self._symptoms(kind, False)
        bug = bugs.BUGS[kind]

        for line, s in ((self.healthy_line, healthy), (self.buggy_line, buggy)):
            line.set_data(np.arange(len(s.loss)), s.loss)
        if buggy.diverged:
            where = (len(buggy.loss) - 1, buggy.loss[-1])
            self.diverged_marker.set_data([where[0]], [where[1]])
            self.diverged_text.xy = where
            # The word goes on the side of the cross with more room, clear of the axis and its ticks.
            left_half = where[0] < bugs.EPOCHS / 2
            self.diverged_text.set_horizontalalignment("left" if left_half else "right")
            self.diverged_text.xyann = (8 if left_half else -8, 0)
        else:
            self.diverged_marker.set_data([], [])
        self.diverged_text.set_visible(buggy.diverged)
        self._scale_loss_axis(np.concatenate([healthy.loss, buggy.loss]))

        depth = len(buggy.layer_gradients)
        shown = []
        for bars, s in ((self.healthy_bars, healthy), (self.buggy_bars, buggy)):
            for i, bar in enumerate(bars):
                size = s.layer_gradients[i] if i < len(s.layer_gradients) else 0.0
                visible = bool(np.isfinite(size) and size > 0)
                bar.set_visible(visible)
                bar.set_height(size if visible else 1.0)
                if visible:
                    shown.append(size)
        self.sizes_ax.set_xlim(0.4, depth + 0.6)
        self.sizes_ax.set_xticks(range(1, depth + 1))
        self.sizes_ax.set_ylim(min(shown) / 10.0, max(shown) * 10.0 ** 1.5)

        items = bugs.report_items(buggy)
        self.findings = {"planted": _row("planted", bug.mistake)}
        for name in CHECKS:
            self.findings[name] = with_minus_signs(_row(name, items[name]))  # measured numbers, shown
        self.findings["diagnosis"] = (f"<b>diagnosis:</b> <b>{html.escape(items['diagnosis'])}</b>. "
                                      f"{html.escape(bug.check)} <b>Fix:</b> {html.escape(bug.fix)}")

    def _scale_loss_axis(self, losses):
        """Linear when the losses are of one size; logarithmic when a run blows up, so both curves show."""
        ax = self.loss_ax
        losses = losses[np.isfinite(losses) & (losses > 0)]
        low, high = float(losses.min()), float(losses.max())
        if high > LOG_LOSS_ABOVE * low:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(tick_label))
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_ylim(low / 1.5, high * 10.0)
            ax.set_ylabel(self._names["loss"] + self._names["log"])
        else:
            ax.set_yscale("linear")
            ax.set_ylim(0.0, high * 1.15)
            ax.set_ylabel(self._names["loss"])

    def _show_findings(self):
        self.findings_label.value = "".join(f"<div>{line}</div>" for line in self.findings.values())

    @drawing
    def _on_change(self, change=None):
        self._update_artists()
        # The figure depends on the planted bug alone (its runs are measured once): each bug's
        # picture is drawn once and sent again when the learner comes back to it. It goes to the
        # browser before the findings: it takes the longest to arrive and show.
        self.view.render(key=self.kind)
        self._show_findings()


def bug_explorer(kind=bugs.KINDS[0]):
    """Show the bug explorer, starting with bug `kind` (one of helpers.bugs.KINDS). Returns a BugExplorer.

    Used in notebook 08.
    """
    return BugExplorer(kind=kind)
