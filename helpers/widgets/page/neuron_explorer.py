"""The neuron explorer drawn and computed in the page: `neuron_explorer(home="page")`.

The same widget as helpers/widgets/neuron.py's NeuronExplorer (sliders for x, w and b, a choice of
activation, live z, a and the slope da/dz, the activation's curve with a dot where the neuron sits),
but a move is answered by js/neuron_explorer.js in the page, with no kernel round trip. The page
sends x, w, b and the activation to Python when a move ends; Python computes the same numbers with
neuron_numbers, so a learner's code reads `explorer.z`, `explorer.a` and `explorer.slope` exactly as
the kernel version gives them.
"""

import traitlets as t

from ...plots import style
from ...plots import ACTIVATION_NAMES
from .._base import start_number, start_option
from ..neuron import B_RANGE, W_RANGE, X_RANGE, Z_RANGE, NeuronExplorer, neuron_numbers
from ._base import PageWidget, kernel_still

MODULE = "neuron_explorer"
STEP = 0.05  # NeuronExplorer's sliders move in steps of 0.05
RANGES = {"x": X_RANGE, "w": W_RANGE, "b": B_RANGE}


class PageNeuronExplorer(PageWidget):
    """One neuron, z = w·x + b and a = f(z), with sliders for x, w, b and a choice of activation,
    drawn and computed in the page.

    Synced with the page (read by js/neuron_explorer.js):
      x (from −2 to 2), w and b (from −3 to 3): finite numbers the sliders can show; set one from
          code to move its slider.
      activation: 'sigmoid', 'tanh', 'relu' or 'linear'.
      limits: the sliders' ranges and step, the z range the curve is drawn over, the activations
          offered. presentation: True when built in presentation mode, so the page uses the large sizes.
    Computed here with neuron_numbers (read-only): z, a, slope, and state() with all of them.
    """

    MODULE = MODULE
    KERNEL = NeuronExplorer
    PAGE_CONTROL = "control"

    # Plain traits that refuse None too: every value in goes through the kernel version's checks below.
    x = t.TraitType(1.0, allow_none=False).tag(sync=True)
    w = t.TraitType(-0.5, allow_none=False).tag(sync=True)
    b = t.TraitType(0.0, allow_none=False).tag(sync=True)
    activation = t.TraitType("sigmoid", allow_none=False).tag(sync=True)
    limits = t.Dict({"x": list(X_RANGE), "w": list(W_RANGE), "b": list(B_RANGE), "step": STEP,
                     "z_range": list(Z_RANGE), "activations": list(ACTIVATION_NAMES)},
                    read_only=True).tag(sync=True)

    PAGE_STATE = ("x", "w", "b", "activation", "limits", "presentation")

    def __init__(self, x=1.0, w=-0.5, b=0.0, activation="sigmoid"):
        # The kernel version's checks, in its order, with its messages.
        x = start_number(x, "x", *X_RANGE)
        w = start_number(w, "w", *W_RANGE)
        b = start_number(b, "b", *B_RANGE)
        activation = start_option(activation, "activation", ACTIVATION_NAMES)
        self._still = None
        self.set_trait("presentation", style.presentation_active())
        super().__init__(x=x, w=w, b=b, activation=activation)
        # The still picture shows the starting state as the kernel version draws it, in the look in
        # use now (presentation mode may be switched off before the widget is shown).
        self._still = _kernel_still(x, w, b, activation)

    # ---- values in: what the kernel version's controls accept ----

    @t.validate("x", "w", "b")
    def _valid_number(self, proposal):
        name = proposal["trait"].name
        return self._checked(start_number, proposal["value"], name, *RANGES[name])

    @t.validate("activation")
    def _valid_activation(self, proposal):
        return self._checked(start_option, proposal["value"], "activation", ACTIVATION_NAMES)

    # ---- numbers out: the same as NeuronExplorer.state() ----

    def state(self):
        """The current numbers: x, w, b, activation, z, a, slope."""
        return neuron_numbers(self.x, self.w, self.b, self.activation)

    @property
    def z(self):
        """The weighted sum z = w·x + b."""
        return self.state()["z"]

    @property
    def a(self):
        """The activation a = f(z)."""
        return self.state()["a"]

    @property
    def slope(self):
        """The slope da/dz = f′(z): the factor this neuron contributes to the chain rule."""
        return self.state()["slope"]


def _kernel_still(x, w, b, activation):
    """PNG bytes of the kernel NeuronExplorer's still picture for these values. The kernel widget is
    closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: NeuronExplorer(x=x, w=w, b=b, activation=activation))
