"""The chain rule, nudged: move x a little and compare the loss's change with the product of the links.

The chain is one neuron and its error, y = f(g(h(x))) with concrete pieces:

    z = h(x) = w·x          a weighted sum         dz/dx = w
    a = g(z) = σ(z)         the sigmoid            da/dz = σ(z)(1 − σ(z))
    L = f(a) = (a − y)²     the squared error      dL/da = 2(a − y)

The chain rule says dL/dx = dL/da · da/dz · dz/dx. The widget sets that product beside the
measured change ΔL/Δx = (L(x + Δx) − L(x)) / Δx: the two agree better and better as Δx shrinks.

    chain_rule_nudger()          # a slider for x, one for the nudge Δx
"""

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..plots import style
from .. import validate
from ..core.activations import sigmoid, sigmoid_derivative
from ..core.losses import squared_error, squared_error_gradient
from ._base import BlitView, CourseWidget, FloatLogSlider, FloatSlider, drawing, fmt, new_figure, short, start_number
from ._base import number as _number
from ._base import start_option
from .weights import HOMES

W = 2.0
"""The fixed weight w in z = w·x."""
Y = 1.0
"""The fixed target y in L = (a − y)²."""

X_RANGE = (-3.0, 3.0)
NUDGE_EXPONENTS = (-6, 0)  # Δx runs from 10⁻⁶ to 10⁰ = 1 on a log scale
TANGENT_HALF_WIDTH = 1.2   # how far either side of x the tangent line is drawn
RISE_RUN_LABEL_MIN = 0.05  # below this Δx the triangle is too small to label
NUMBERS_BASIS = "340px"  # in presentation mode the numbers sit beside the picture when this much room is left


@dataclass(frozen=True)
class ChainLinks:
    """One pass along x → z → a → L and the local derivative of each link at that x.

    x, z, a, L: the values along the chain. dz_dx, da_dz, dL_da: the three local factors.
    dL_dx: their product, the chain rule's answer.
    """

    x: float
    z: float
    a: float
    L: float
    dz_dx: float
    da_dz: float
    dL_da: float

    @property
    def dL_dx(self):
        """dL/dx = dL/da · da/dz · dz/dx."""
        return self.dL_da * self.da_dz * self.dz_dx


def chain_links(x, w=W, y=Y):
    """The forward values and local derivatives of the chain at x; returns a ChainLinks."""
    x = validate.as_number(x, "x")
    w = validate.as_number(w, "w")
    y = validate.as_number(y, "y")
    z = w * x
    a = float(sigmoid(z))
    return ChainLinks(
        x=x, z=z, a=a, L=squared_error(a, y),
        dz_dx=w,
        da_dz=float(sigmoid_derivative(z)),
        dL_da=float(squared_error_gradient(a, y)),
    )


def chain_loss(x, w=W, y=Y):
    """L(x) = (σ(w·x) − y)² for a number or, point by point, for an array of x (same shape back)."""
    x = validate.as_array(x, "x")
    return (sigmoid(w * x) - y) ** 2


def measured_slope(x, dx, w=W, y=Y):
    """The forward difference ΔL/Δx = (L(x + Δx) − L(x)) / Δx: the slope of the secant over the nudge."""
    x = validate.as_number(x, "x")
    dx = validate.as_number(dx, "dx")
    if dx == 0:
        raise ValueError("dx (the nudge) must not be 0: the measured slope divides by it")
    return float((chain_loss(x + dx, w, y) - chain_loss(x, w, y)) / dx)


def number(value):
    """A number for a label: 4 decimals, e-notation with 3 decimals when tiny, or 'diverged'."""
    return _number(value, tiny_digits=3)


class ChainRuleNudger(CourseWidget):
    """Sliders for x and the nudge Δx; labels for each link, the chain-rule product and the measured slope.

    Controls: `x_slider`, `nudge_slider` (log scale, 10⁻⁶..1). Label: `numbers_label` (HTML), one
    line for each entry of `lines`: 'forward' (x → z → a → L), 'dL_da', 'da_dz', 'dz_dx' (each link
    as its own equation), 'product' (dL/dx, the links multiplied), 'measured' (ΔL/Δx), 'gap' (how
    far apart the two slopes are). A move changes all seven, so they go to the browser as one label
    change. State: `links` (a ChainLinks), `measured`.
    Artists: `curve`, `point`, `tangent`, `secant`, `nudged_point`, `run_line`, `rise_line`,
    `run_text`, `rise_text` (the Δx and ΔL labels of the nudge's triangle).
    """

    title = "Chain-rule nudger"

    @drawing
    def __init__(self, x=0.5, nudge=0.5):
        x = start_number(x, "x", *X_RANGE)
        nudge = start_number(nudge, "nudge", 10.0 ** NUDGE_EXPONENTS[0], 10.0 ** NUDGE_EXPONENTS[1])
        self.x_slider = FloatSlider(
            value=x, min=X_RANGE[0], max=X_RANGE[1], step=0.01, description="x",
            continuous_update=True, readout_format=".2f",
        )
        self.nudge_slider = FloatLogSlider(
            value=nudge, base=10, min=NUDGE_EXPONENTS[0], max=NUDGE_EXPONENTS[1], step=0.1,
            description="nudge Δx", continuous_update=True, readout_format=".1e",
            style={"description_width": "initial"},
        )
        self.lines = {}
        self.numbers_label = widgets.HTML()

        self.fig = new_figure(style.FIGSIZE)
        self.ax = self.fig.add_subplot()
        self._draw_static()
        self.links = None
        self.measured = None
        self._update_artists()
        self._show_numbers()
        # Only the nudge's lines, points and labels move; the curve and axes are drawn once. The
        # legend lies over the lines, as in a full drawing, but is drawn again only when a line
        # passes under it: drawing its text took two thirds of each move.
        self.view = BlitView(self.fig, [self.tangent, self.secant, self.run_line, self.rise_line, self.run_text,
                                        self.rise_text, self.point, self.nudged_point],
                             on_top=[self.ax.get_legend()])

        self.x_slider.observe(self._on_change, names="value")
        self.nudge_slider.observe(self._on_change, names="value")
        sliders = widgets.HBox([self.x_slider, self.nudge_slider])
        if style.presentation_active():
            # Under the picture the lines of numbers, in large text, pushed the picture off a
            # 1280x720 projector; beside it (below it when the page is too narrow) they leave it room.
            self.view.image.layout.flex = "0 0 auto"  # drawn at its size, pixel for pixel
            self.numbers_label.layout = widgets.Layout(flex=f"1 1 {NUMBERS_BASIS}", min_width="0")
            super().__init__([sliders, widgets.HBox([self.view.image, self.numbers_label],
                                                    layout=widgets.Layout(flex_flow="row wrap",
                                                                          align_items="flex-start"))])
        else:
            super().__init__([sliders, self.numbers_label, self.view.image])

    def _draw_static(self):
        ax = self.ax
        xs = np.linspace(X_RANGE[0] - 0.2, X_RANGE[1] + 1.2, 400)
        (self.curve,) = ax.plot(xs, chain_loss(xs), color=style.LOSS, lw=2.5,
                                label=f"L(x) = (σ({W:g}·x) − {Y:g})²")
        (self.tangent,) = ax.plot([], [], color=style.PALETTE["blue"], lw=2,
                                  label="tangent: slope dL/dx (chain rule)")
        (self.secant,) = ax.plot([], [], color=style.PALETTE["vermillion"], lw=1.8, ls="--",
                                 label="secant: slope ΔL/Δx (measured)")
        va_run = "bottom"
        # The run Δx and the rise ΔL of the nudge, drawn as the two legs of a right triangle and
        # labelled, so the secant's slope reads as rise over run.
        (self.run_line,) = ax.plot([], [], color=style.PALETTE["purple"], lw=2.5, solid_capstyle="butt")
        (self.rise_line,) = ax.plot([], [], color=style.PALETTE["purple"], lw=2.5, solid_capstyle="butt")
        self.run_text = ax.text(0, 0, "", color=style.PALETTE["purple"], ha="center", va=va_run,
                                fontsize="medium", fontweight="bold")
        self.rise_text = ax.text(0, 0, "", color=style.PALETTE["purple"], ha="left", va="center",
                                 fontsize="medium", fontweight="bold")
        (self.point,) = ax.plot([], [], "o", color=style.PATH, ms=7, zorder=5)
        (self.nudged_point,) = ax.plot([], [], "s", color=style.PALETTE["vermillion"], ms=6, zorder=5)
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(-0.15, 1.15)
        ax.set_xlabel("x")
        ax.set_ylabel("loss L")
        ax.set_title("Tangent (chain rule) against secant (a real nudge)")
        ax.legend(loc="upper right", fontsize="small", frameon=False)

    def _update_artists(self):
        x = self.x_slider.value
        dx = self.nudge_slider.value
        with np.errstate(all="ignore"):
            links = chain_links(x)
            measured = measured_slope(x, dx)
            L_nudged = float(chain_loss(x + dx))
        self.links, self.measured = links, measured
        slope = links.dL_dx

        ts = np.array([x - TANGENT_HALF_WIDTH, x + TANGENT_HALF_WIDTH])
        self.tangent.set_data(ts, links.L + slope * (ts - x))
        # The secant runs through both points and a little beyond, so its slope is easy to see.
        span = max(dx, 0.6)
        ss = np.array([x - 0.3 * span, x + 1.3 * span])
        self.secant.set_data(ss, links.L + measured * (ss - x))
        self.point.set_data([x], [links.L])
        self.nudged_point.set_data([x + dx], [L_nudged])
        self.run_line.set_data([x, x + dx], [links.L, links.L])
        self.rise_line.set_data([x + dx, x + dx], [links.L, L_nudged])
        # Label the legs only while they are long enough to see (Δx ≥ 0.05 on this axis).
        visible = dx >= RISE_RUN_LABEL_MIN
        # The run's label goes on the side of the run away from the rise, so the two never overlap.
        below = L_nudged > links.L
        self.run_text.set_position((x + dx / 2, links.L + (-0.03 if below else 0.03)))
        self.run_text.set_verticalalignment("top" if below else "bottom")
        self.run_text.set_text("Δx" if visible else "")
        self.rise_text.set_position((x + dx + 0.04, (links.L + L_nudged) / 2))
        self.rise_text.set_text("ΔL" if visible else "")

        self.lines["forward"] = (
            f"x = {fmt(x, 2)} → z = w·x = {number(links.z)} → a = σ(z) = {number(links.a)} "
            f"→ L = (a − {short(Y)})² = {number(links.L)} &nbsp; (w = {short(W)})"
        )
        # One equation per link, then their product: a single run of '=' signs would read as if
        # the links were equal to one another.
        self.lines["dL_da"] = f"<b>link 1:</b> dL/da = 2(a − y) = {number(links.dL_da)}"
        self.lines["da_dz"] = f"<b>link 2:</b> da/dz = σ(z)(1 − σ(z)) = {number(links.da_dz)}"
        self.lines["dz_dx"] = f"<b>link 3:</b> dz/dx = w = {number(links.dz_dx)}"
        self.lines["product"] = (
            f"<b>chain rule:</b> dL/dx = dL/da × da/dz × dz/dx = {number(links.dL_da)} × "
            f"{number(links.da_dz)} × {number(links.dz_dx)} = <b>{number(slope)}</b>"
        )
        self.lines["measured"] = (
            f"<b>measured:</b> ΔL/Δx = (L(x + Δx) − L(x)) / Δx with Δx = {dx:.1e}: "
            f"<b>{number(measured)}</b>"
        )
        gap = abs(measured - slope)
        self.lines["gap"] = f"gap |ΔL/Δx − dL/dx| = {gap:.2e} &nbsp; (it shrinks roughly in step with Δx)"

    def _show_numbers(self):
        self.numbers_label.value = "".join(f"<div>{line}</div>" for line in self.lines.values())

    @drawing
    def _on_change(self, change=None):
        self._update_artists()
        # The picture goes to the browser before the numbers: it takes the longest to arrive and show.
        self.view.render()
        self._show_numbers()


def chain_rule_nudger(x=0.5, nudge=0.5, home="page"):
    """Show the chain-rule nudger: sliders for x (−3 to 3) and the nudge Δx (0.000001 to 1).

    home: where the picture is drawn and the numbers computed on a move: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageChainRuleNudger with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a ChainRuleNudger).

    Used in notebook 03.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page.chain_rule_nudger import PageChainRuleNudger

        return PageChainRuleNudger(x=x, nudge=nudge)
    return ChainRuleNudger(x=x, nudge=nudge)
