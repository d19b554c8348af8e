"""The gradient-descent playground drawn and computed in the page: `gradient_descent_playground(home="page")`.

The same widget as helpers/widgets/gradient_descent.py's GradientDescentPlayground (sliders for η,
the steps and the start of w3, w4; the path across the loss map, the loss and ŷ per step; the final
loss, the final ŷ and a verdict), but a move is answered by js/gradient_descent_playground.js in the
page, with no kernel round trip. The page sends η, the steps and the start to Python when a move
ends; Python runs the same descent with helpers.training, so a learner's code reads `playground.path`,
`playground.verdict`, `playground.final_loss` and `playground.final_y_hat` as the kernel version gives them.
"""

import matplotlib.pyplot as plt
import numpy as np
import traitlets as t
from matplotlib.colors import BoundaryNorm, to_hex

from ...plots import style
from ...core.tiny import EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS
from ...practice.training import DIVERGED_LOSS
from .._base import RISING_STEPS, start_number, start_values, start_whole
from ..gradient_descent import (CLEAR_ERROR, CRAWL_RATIO_PER_STEP, ETA_EXPONENTS, ETA_RANGE, LOSS_DECADES_STEP,
                                STEPS_RANGE, START, W3_RANGE, W4_RANGE, GradientDescentPlayground,
                                descend_output_weights, verdict)
from ._base import Checked, PageWidget, kernel_still

MODULE = "gradient_descent_playground"
START_RANGES = {"w3": W3_RANGE, "w4": W4_RANGE}
START_STEP = 0.05
"""The start sliders' step, as the kernel version's."""
DIVERGED_WEIGHT = 1e6
"""descend_tiny stops once a moved weight reaches this size."""


class PageGradientDescentPlayground(PageWidget):
    """Gradient descent on the 2-2-1 example's output weights w3, w4, drawn and computed in the page.

    Synced with the page (read by js/gradient_descent_playground.js):
      eta: the learning rate, from 0.01 to 10 (a value of the log slider: three significant digits; a key
          press steps it through gradient_descent.ETA_KEYS, 0.01, 0.012, 0.015 ... 10).
      steps: how many updates, a whole number from 1 to 200 (a key press steps through STEPS_KEYS).
      start: {'w3': ..., 'w4': ...}, where the walk begins, each from −2 to 4; set from code, a
          weight left out keeps its value.
      fixed {'w1', 'w2'} (held at the example's values) and sample {x1, x2, y}; limits: the sliders'
          ranges and the thresholds of the run and its verdict; landscape: the kernel version's
          contour levels and their colours; presentation: True when built in presentation mode.
    Computed here with helpers.training whenever η, the steps or the start change (read-only):
    path (a TinyPath), verdict (its phrase), final_loss and final_y_hat (NaN when the run blew up).
    """

    MODULE = MODULE
    KERNEL = GradientDescentPlayground

    eta = Checked(0.3).tag(sync=True)
    steps = Checked(30).tag(sync=True)
    start = Checked().tag(sync=True)
    fixed = t.Dict({"w1": EXAMPLE_WEIGHTS["w1"], "w2": EXAMPLE_WEIGHTS["w2"]}, read_only=True).tag(sync=True)
    sample = t.Dict({"x1": EXAMPLE_INPUTS[0], "x2": EXAMPLE_INPUTS[1], "y": EXAMPLE_TARGET},
                    read_only=True).tag(sync=True)
    limits = t.Dict({"eta": list(ETA_RANGE), "eta_exponents": list(ETA_EXPONENTS), "steps": list(STEPS_RANGE),
                     "w3": list(W3_RANGE), "w4": list(W4_RANGE), "start_step": START_STEP,
                     "diverged_weight": DIVERGED_WEIGHT, "diverged_loss": DIVERGED_LOSS,
                     "crawl_ratio": CRAWL_RATIO_PER_STEP, "clear_error": CLEAR_ERROR, "rising_steps": RISING_STEPS,
                     "loss_decades_step": LOSS_DECADES_STEP}, read_only=True).tag(sync=True)
    landscape = t.Dict(read_only=True).tag(sync=True)

    PAGE_STATE = ("eta", "steps", "start", "fixed", "sample", "limits", "landscape", "presentation")

    def __init__(self, eta=0.3, steps=30, start=None):
        eta = start_number(eta, "eta", *ETA_RANGE)
        steps = start_whole(steps, "steps", *STEPS_RANGE)
        begin = {**START, **({} if start is None else start_values(start, "start", START_RANGES))}
        self._run = None
        self.set_trait("presentation", style.presentation_active())
        # The still picture and the map's levels come from the kernel version, as it draws them now.
        self._still, levels = _kernel_still(eta, steps, begin)
        self.set_trait("landscape", _landscape(levels))
        super().__init__(eta=eta, steps=steps, start=begin)

    # ---- values in ----

    @t.validate("eta")
    def _valid_eta(self, proposal):
        return self._checked(start_number, proposal["value"], "eta", *ETA_RANGE)

    @t.validate("steps")
    def _valid_steps(self, proposal):
        return self._checked(start_whole, proposal["value"], "steps", *STEPS_RANGE)

    @t.validate("start")
    def _valid_start(self, proposal):
        given = self._checked(start_values, proposal["value"], "start", START_RANGES)
        current = self.start or dict(START)  # empty only while it is being built
        return {name: given.get(name, current[name]) for name in START_RANGES}

    @t.observe("eta", "steps", "start")
    def _recompute(self, _change=None):
        self._run = None

    # ---- numbers out: the same as GradientDescentPlayground's path, verdict and labels ----

    def state(self):
        """The run as a dict: eta, steps, start, path (a TinyPath), verdict, final_loss, final_y_hat."""
        if self._run is None:
            path = descend_output_weights(self.start["w3"], self.start["w4"], float(self.eta), int(self.steps))
            final_loss, final_y_hat = ((float("nan"), float("nan")) if path.diverged
                                       else (float(path.loss[-1]), float(path.y_hat[-1])))
            self._run = {"eta": float(self.eta), "steps": int(self.steps), "start": dict(self.start), "path": path,
                         "verdict": verdict(path), "final_loss": final_loss, "final_y_hat": final_y_hat}
        return dict(self._run)

    @property
    def path(self):
        """The run's TinyPath: weights (steps + 1, 4), loss and y_hat (steps + 1,), diverged."""
        return self.state()["path"]

    @property
    def verdict(self):
        """One phrase for the run: 'converging', 'crawling (...)', 'overshooting (...)', 'diverged' or 'already at the bottom'."""
        return self.state()["verdict"]

    @property
    def final_loss(self):
        """The loss after the last step (NaN when the weights blew up)."""
        return self.state()["final_loss"]

    @property
    def final_y_hat(self):
        """ŷ after the last step (NaN when the weights blew up)."""
        return self.state()["final_y_hat"]


def _landscape(levels):
    """The map's contour levels and the colour contourf fills each band with (plots.loss_landscape's
    Blues under a BoundaryNorm), for the page to paint the same bands."""
    levels = np.asarray(levels, dtype=np.float64)
    cmap = plt.get_cmap("Blues")
    norm = BoundaryNorm(levels, cmap.N)
    middles = (levels[:-1] + levels[1:]) / 2
    # contourf draws at alpha 0.9 over white: the colour a reader sees.
    colours = [to_hex(0.9 * np.array(cmap(norm(m))[:3]) + 0.1) for m in middles]
    return {"levels": [float(v) for v in levels], "colours": colours}


def _kernel_still(eta, steps, start):
    """PNG bytes of the kernel playground's still picture for these settings, and its map's levels.
    The kernel widget is closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: GradientDescentPlayground(eta=eta, steps=steps, start=start),
                        also=lambda kernel: kernel.landscape.contour.levels)
