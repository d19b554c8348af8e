"""The chain-rule nudger drawn and computed in the page: `chain_rule_nudger(home="page")`.

The same widget as helpers/widgets/chain_rule.py's ChainRuleNudger (sliders for x and the nudge Δx,
each link's derivative, their product and the measured slope, the tangent against the secant), but a
move is answered by js/chain_rule_nudger.js in the page, with no kernel round trip. The page sends x
and Δx to Python when a move ends; Python computes the same numbers with the kernel version's own
functions, so a learner's code reads `nudger.links`, `nudger.measured` and `nudger.lines` exactly as
the kernel version gives them.
"""

import numpy as np
import traitlets as t

from ...plots import style
from .._base import fmt, short, start_number
from ..chain_rule import (NUDGE_EXPONENTS, RISE_RUN_LABEL_MIN, TANGENT_HALF_WIDTH, W, X_RANGE, Y, ChainRuleNudger,
                          chain_links, chain_loss, measured_slope, number)
from ._base import Checked, PageWidget, kernel_still

MODULE = "chain_rule_nudger"
NUDGE_RANGE = (10.0 ** NUDGE_EXPONENTS[0], 10.0 ** NUDGE_EXPONENTS[1])
X_STEP = 0.01      # ChainRuleNudger's x slider
NUDGE_STEP = 0.1   # ChainRuleNudger's nudge slider, in powers of ten


class PageChainRuleNudger(PageWidget):
    """Sliders for x and the nudge Δx, each link of L(x) = (σ(w·x) − y)², drawn and computed in the page.

    Synced with the page (read by js/chain_rule_nudger.js):
      x: where the chain is evaluated, a finite number from −3 to 3 (the slider's range).
      nudge: the nudge Δx, from 10⁻⁶ to 1 (a log slider).
      constants: {w, y}, the fixed weight and target. limits: the sliders' ranges and steps and the
          sizes the picture uses. presentation: True when built in presentation mode, so the page
          uses the large sizes.
    Computed here with helpers/widgets/chain_rule.py's functions whenever x or Δx change (read-only):
    links (a ChainLinks: x, z, a, L, the three local factors and their product dL_dx), measured
    (ΔL/Δx), gap (|ΔL/Δx − dL/dx|), L_nudged (L(x + Δx)) and lines (the seven read-outs, as the kernel
    version writes them).
    """

    MODULE = MODULE
    KERNEL = ChainRuleNudger

    x = Checked(0.5).tag(sync=True)
    nudge = Checked(0.5).tag(sync=True)
    constants = t.Dict({"w": W, "y": Y}, read_only=True).tag(sync=True)
    limits = t.Dict({"x": list(X_RANGE), "x_step": X_STEP, "nudge_exponents": list(NUDGE_EXPONENTS),
                     "nudge_step": NUDGE_STEP, "tangent_half_width": TANGENT_HALF_WIDTH,
                     "rise_run_label_min": RISE_RUN_LABEL_MIN}, read_only=True).tag(sync=True)

    PAGE_STATE = ("x", "nudge", "constants", "limits", "presentation")

    def __init__(self, x=0.5, nudge=0.5):
        x = start_number(x, "x", *X_RANGE)
        nudge = start_number(nudge, "nudge", *NUDGE_RANGE)
        self._numbers = None
        self.set_trait("presentation", style.presentation_active())
        super().__init__(x=x, nudge=nudge)
        # The still picture shows the starting state as the kernel version draws it, in the look in use now.
        self._still = _kernel_still(x, nudge)

    # ---- values in: the kernel version's ranges and messages, from code and from the page alike ----

    @t.validate("x")
    def _valid_x(self, proposal):
        return self._checked(start_number, proposal["value"], "x", *X_RANGE)

    @t.validate("nudge")
    def _valid_nudge(self, proposal):
        return self._checked(start_number, proposal["value"], "nudge", *NUDGE_RANGE)

    @t.observe("x", "nudge")
    def _recompute(self, _change=None):
        self._numbers = None

    # ---- numbers out: the same as ChainRuleNudger's links, measured and lines ----

    def state(self):
        """The current numbers as a dict: x, nudge, links, measured, gap, L_nudged, lines."""
        if self._numbers is None:
            self._numbers = _state(float(self.x), float(self.nudge))
        return dict(self._numbers)

    @property
    def links(self):
        """The ChainLinks at x: the values x, z, a, L, the factors dz_dx, da_dz, dL_da, and dL_dx."""
        return self.state()["links"]

    @property
    def measured(self):
        """The measured slope ΔL/Δx = (L(x + Δx) − L(x)) / Δx."""
        return self.state()["measured"]

    @property
    def gap(self):
        """|ΔL/Δx − dL/dx|: how far the measured slope is from the chain rule's."""
        return self.state()["gap"]

    @property
    def lines(self):
        """The read-outs, {'forward', 'dL_da', 'da_dz', 'dz_dx', 'product', 'measured', 'gap'}: HTML lines
        word for word as ChainRuleNudger.lines holds them."""
        return dict(self.state()["lines"])


def nudger_lines(links, measured, dx):
    """ChainRuleNudger's seven read-outs for these links, measured slope and nudge, as HTML lines."""
    slope = links.dL_dx
    gap = abs(measured - slope)
    return {
        "forward": (f"x = {fmt(links.x, 2)} → z = w·x = {number(links.z)} → a = σ(z) = {number(links.a)} "
                    f"→ L = (a − {short(Y)})² = {number(links.L)} &nbsp; (w = {short(W)})"),
        "dL_da": f"<b>link 1:</b> dL/da = 2(a − y) = {number(links.dL_da)}",
        "da_dz": f"<b>link 2:</b> da/dz = σ(z)(1 − σ(z)) = {number(links.da_dz)}",
        "dz_dx": f"<b>link 3:</b> dz/dx = w = {number(links.dz_dx)}",
        "product": (f"<b>chain rule:</b> dL/dx = dL/da × da/dz × dz/dx = {number(links.dL_da)} × "
                    f"{number(links.da_dz)} × {number(links.dz_dx)} = <b>{number(slope)}</b>"),
        "measured": (f"<b>measured:</b> ΔL/Δx = (L(x + Δx) − L(x)) / Δx with Δx = {dx:.1e}: "
                     f"<b>{number(measured)}</b>"),
        "gap": f"gap |ΔL/Δx − dL/dx| = {gap:.2e} &nbsp; (it shrinks roughly in step with Δx)",
    }


def _state(x, dx):
    """ChainRuleNudger's numbers at x with the nudge dx, from the kernel version's own functions."""
    with np.errstate(all="ignore"):
        links = chain_links(x)
        measured = measured_slope(x, dx)
        L_nudged = float(chain_loss(x + dx))
    return {"x": x, "nudge": dx, "links": links, "measured": measured, "gap": abs(measured - links.dL_dx),
            "L_nudged": L_nudged, "lines": nudger_lines(links, measured, dx)}


def _kernel_still(x, nudge):
    """PNG bytes of the kernel ChainRuleNudger's still picture at x and nudge. The kernel widget is
    closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: ChainRuleNudger(x=x, nudge=nudge))
