"""The loss explorer drawn and computed in the page: `loss_explorer(home="page")`.

The same widget as helpers/widgets/loss.py's LossExplorer (a slider for the prediction ŷ and one
for the target y; three loss curves with a marker on each, ŷ − y in words, and a table of each loss
and its slope), but a move is answered by js/loss_explorer.js in the page, with no kernel round
trip. The page sends ŷ and y to Python when a move ends; Python computes the same numbers from
helpers.losses, so a learner's code reads `explorer.reading` exactly as the kernel version gives it.
"""

import traitlets as t

from ...plots import style
from .._base import start_number
from ..loss import Y_HAT_RANGE, Y_RANGE, LossExplorer, loss_reading
from ._base import Checked, PageWidget, kernel_still

MODULE = "loss_explorer"
Y_HAT_STEP = 0.01
"""The prediction slider's step, as LossExplorer's."""
Y_STEP = 0.05
"""The target slider's step, as LossExplorer's."""


class PageLossExplorer(PageWidget):
    """Sliders for the prediction ŷ and the target y, three loss curves, drawn and computed in the page.

    Synced with the page (read by js/loss_explorer.js):
      y_hat: the prediction, a number from 0.01 to 0.99 (the slider's range). Set it from code to
          move the slider.
      y: the target, a number from 0 to 1.
      limits: the sliders' ranges and steps. presentation: True when built in presentation mode,
          so the page uses the large sizes.
    Computed here from helpers.losses whenever ŷ or y change (read-only): reading (a
    helpers.widgets.loss.LossReading: each loss's value and slope ∂L/∂ŷ), gap (ŷ − y) and floor
    (cross-entropy's lowest value for this target, at ŷ = y; the page names it when 0 < y < 1).
    """

    MODULE = MODULE
    KERNEL = LossExplorer
    PAGE_REFUSAL_CAUSE = False

    y_hat = Checked(0.7).tag(sync=True)
    y = Checked(1.0).tag(sync=True)
    limits = t.Dict({"y_hat": list(Y_HAT_RANGE), "y_hat_step": Y_HAT_STEP, "y": list(Y_RANGE), "y_step": Y_STEP},
                    read_only=True).tag(sync=True)

    PAGE_STATE = ("y_hat", "y", "limits", "presentation")

    def __init__(self, y_hat=0.7, y=1.0):
        y_hat = start_number(y_hat, "y_hat", *Y_HAT_RANGE)
        y = start_number(y, "y", *Y_RANGE)
        self._reading = None
        self.set_trait("presentation", style.presentation_active())
        super().__init__(y_hat=y_hat, y=y)
        # The still picture shows the starting state as the kernel version draws it, in the look in
        # use now (presentation mode may be switched off before the widget is shown).
        self._still = _kernel_still(y_hat, y)

    # ---- values in: from code, or from the page when a move ends ----

    @t.validate("y_hat")
    def _valid_y_hat(self, proposal):
        return self._checked(start_number, proposal["value"], "y_hat", *Y_HAT_RANGE)

    @t.validate("y")
    def _valid_y(self, proposal):
        return self._checked(start_number, proposal["value"], "y", *Y_RANGE)

    @t.observe("y_hat", "y")
    def _recompute(self, _change=None):
        self._reading = None

    # ---- numbers out: the same as LossExplorer's ----

    @property
    def reading(self):
        """Each loss of LOSS_NAMES and its slope at the current ŷ and y: a LossReading, from helpers.losses."""
        if self._reading is None:
            self._reading = loss_reading(self.y_hat, self.y)
        return self._reading

    @property
    def gap(self):
        """ŷ − y: negative when the prediction falls short of the target."""
        return self.y_hat - self.y

    @property
    def floor(self):
        """Cross-entropy's lowest value for the current target, reached at ŷ = y: 0 only for a target of
        0 or 1 (there it is about 1e-12, as ŷ is kept that far from 0 and 1 before the log)."""
        return loss_reading(self.y, self.y).values["binary_cross_entropy"]

    def state(self):
        """The current numbers as a dict: y_hat, y, gap, values and slopes (keyed by LOSS_NAMES), floor."""
        reading = self.reading
        return {"y_hat": self.y_hat, "y": self.y, "gap": self.gap, "values": dict(reading.values),
                "slopes": dict(reading.slopes), "floor": self.floor}


def _kernel_still(y_hat, y):
    """PNG bytes of the kernel LossExplorer's still picture for this ŷ and y. The kernel widget is
    closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: LossExplorer(y_hat=y_hat, y=y))
