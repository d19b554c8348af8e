"""The weight explorer drawn and computed in the page: `weight_explorer(home="page")`.

The same widget as helpers/widgets/weights.py's WeightExplorer (sliders w1..w4 and η, live ŷ, loss
and each weight's blame, Step and Reset), but a move is answered by js/weight_explorer.js in the
page, with no kernel round trip. The page sends its weights and η to Python when a move ends; Python
computes the same numbers from helpers.tiny, so a learner's code reads `explorer.y_hat`,
`explorer.loss` and `explorer.gradients` exactly as the kernel version gives them.
"""

import math

import traitlets as t

from ...plots import style
from ...core.tiny import EXAMPLE_ETA, EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from .._base import DIVERGED_ABOVE, start_number, start_values
from ..weights import DIVERGED_WEIGHT, ETA_RANGE, SATURATED_SLOPE, WEIGHT_RANGE, WEIGHT_STEP, WeightExplorer, _finite
from ._base import Checked, PageWidget, kernel_still

MODULE = "weight_explorer"
RANGES = {name: WEIGHT_RANGE for name in WEIGHT_NAMES}


def _weights_to_json(weights, _widget=None):
    """The weights as JSON can carry them: a weight that blew up (NaN or inf) travels as null."""
    return {name: (float(w) if math.isfinite(w) else None) for name, w in weights.items()}


def _weights_from_page(value):
    """The four weights the page sent ({'w1': number or null, ...}) as floats, null read as NaN."""
    if not isinstance(value, dict) or set(value) != set(WEIGHT_NAMES):
        raise t.TraitError(f"the page must send all four weights {', '.join(WEIGHT_NAMES)}, but sent {value!r}")
    weights = {}
    for name in WEIGHT_NAMES:
        w = value[name]
        if w is None:
            weights[name] = float("nan")
        elif isinstance(w, (int, float)) and not isinstance(w, bool):
            weights[name] = float(w)
        else:
            raise t.TraitError(f"the page sent {name} = {w!r}, which is not a number")
    return weights


class PageWeightExplorer(PageWidget):
    """The 2-2-1 network with a slider per weight and one for η, drawn and computed in the page.

    Synced with the page (read by js/weight_explorer.js):
      weights: {'w1': ..., 'w4': ...}, the current weights. Set it from code to move the sliders:
          each a finite number from −3 to 3 (the sliders' range); weights left out keep their value.
          A Step in the page may carry a weight beyond that range, or blow it up (NaN).
      eta: the learning rate, from 0.01 to 5.
      start_weights, start_eta: where Reset goes back to. sample: the inputs and target {x1, x2, y}.
      limits: the sliders' ranges and the thresholds the status line uses. presentation: True when
          built in presentation mode, so the page uses the large sizes.
    Computed here from helpers.tiny whenever the weights or η change (read-only): y_hat, loss,
    gradients ({'w1': ∂L/∂w1, ...}, the four blames), next_y_hat (ŷ after one step), diverged, chain.
    step() and reset() do what the page's buttons do.
    """

    MODULE = MODULE
    KERNEL = WeightExplorer

    weights = Checked().tag(sync=True, to_json=_weights_to_json)
    eta = Checked(EXAMPLE_ETA).tag(sync=True)
    start_weights = t.Dict(read_only=True).tag(sync=True)
    start_eta = t.Float(EXAMPLE_ETA, read_only=True).tag(sync=True)
    sample = t.Dict({"x1": EXAMPLE_INPUTS[0], "x2": EXAMPLE_INPUTS[1], "y": EXAMPLE_TARGET},
                    read_only=True).tag(sync=True)
    limits = t.Dict({"weight": list(WEIGHT_RANGE), "weight_step": WEIGHT_STEP, "eta": list(ETA_RANGE),
                     "saturated_slope": SATURATED_SLOPE, "diverged_weight": DIVERGED_WEIGHT},
                    read_only=True).tag(sync=True)

    PAGE_STATE = ("weights", "eta", "start_weights", "start_eta", "sample", "limits", "presentation")

    def __init__(self, weights=None, eta=EXAMPLE_ETA):
        eta = start_number(eta, "eta", *ETA_RANGE)
        if weights is not None:
            weights = start_values(weights, "weights", RANGES)
        start = dict(EXAMPLE_WEIGHTS if weights is None else TwoTwoOne(**weights).weights)
        self._numbers = None
        self._still = None
        self.set_trait("start_weights", dict(start))
        self.set_trait("start_eta", eta)
        self.set_trait("presentation", style.presentation_active())
        super().__init__(weights=dict(start), eta=eta)
        # The still picture shows the starting state as the kernel version draws it, in the look in
        # use now (presentation mode may be switched off before the widget is shown).
        self._still = _kernel_still(start, eta)

    # ---- values in ----

    @t.validate("weights")
    def _valid_weights(self, proposal):
        value = proposal["value"]
        if self._from_page:
            return _weights_from_page(value)
        given = start_values(value, "weights", RANGES)
        current = self.weights or dict(EXAMPLE_WEIGHTS)  # None only while it is being built
        return {name: given.get(name, current[name]) for name in WEIGHT_NAMES}

    @t.validate("eta")
    def _valid_eta(self, proposal):
        return self._checked(start_number, proposal["value"], "eta", *ETA_RANGE)

    @t.observe("weights", "eta")
    def _recompute(self, _change=None):
        self._numbers = None

    # ---- numbers out: the same as WeightExplorer.state() ----

    def state(self):
        """The current numbers as a dict: weights, eta, y_hat, loss, gradients, next_y_hat, diverged, chain."""
        if self._numbers is None:
            self._numbers = _state(dict(self.weights), float(self.eta))
        return dict(self._numbers)

    @property
    def y_hat(self):
        """The prediction ŷ for the example's inputs (NaN once the weights blew up)."""
        return self.state()["y_hat"]

    @property
    def loss(self):
        """The loss L = (ŷ − y)²."""
        return self.state()["loss"]

    @property
    def gradients(self):
        """The four blames {'w1': ∂L/∂w1, ..., 'w4': ∂L/∂w4}."""
        return dict(self.state()["gradients"])

    @property
    def next_y_hat(self):
        """ŷ after one step with the current η."""
        return self.state()["next_y_hat"]

    @property
    def diverged(self):
        """True when the steps blew the weights up (or the loss beyond 1e12)."""
        return self.state()["diverged"]

    @property
    def chain(self):
        """The helpers.tiny.Chain of the current weights: every forward value and local factor (None once diverged)."""
        return self.state()["chain"]

    def saturated(self):
        """The hidden units ('h1', 'h2') whose sigmoid is saturated: slope σ′(z) below SATURATED_SLOPE."""
        chain = self.chain
        if chain is None:
            return []
        slopes = {"h1": chain.dh1_dz1, "h2": chain.dh2_dz2}
        return [name for name, slope in slopes.items() if slope < SATURATED_SLOPE]

    # ---- what the buttons do ----

    def step(self):
        """One gradient-descent step, w ← w − η·∂L/∂w for all four weights; the page follows."""
        if _finite(self.weights):
            grads = TwoTwoOne(**self.weights).gradients()
            new = {n: self.weights[n] - self.eta * grads[n] for n in WEIGHT_NAMES}
            self._from_page = True  # a step may leave the sliders' range, as in the page
            try:
                self.weights = new
            finally:
                self._from_page = False

    def reset(self):
        """Back to the starting weights and learning rate."""
        self.weights = dict(self.start_weights)
        self.eta = self.start_eta

    # ---- how it is shown ----

    def page_state(self):
        """The synced state the page's module reads, as JSON values (a weight that blew up is None)."""
        state = {name: getattr(self, name) for name in self.PAGE_STATE}
        state["weights"] = _weights_to_json(self.weights)
        return state

def _state(weights, eta):
    """WeightExplorer.state() for these weights and η (η already a value of the page's log slider)."""
    if not _finite(weights):
        nan = float("nan")
        return {"weights": weights, "eta": eta, "y_hat": nan, "loss": nan, "gradients": {n: nan for n in WEIGHT_NAMES},
                "next_y_hat": nan, "diverged": True, "chain": None}
    chain = TwoTwoOne(**weights).chain()
    grads = chain.gradients
    after = {n: weights[n] - eta * grads[n] for n in WEIGHT_NAMES}
    next_y_hat = TwoTwoOne(**after).forward() if _finite(after) else float("nan")
    diverged = not math.isfinite(chain.loss) or abs(chain.loss) > DIVERGED_ABOVE  # _base.loss_diverged([loss])
    return {"weights": weights, "eta": eta, "y_hat": chain.y_hat, "loss": chain.loss, "gradients": grads,
            "next_y_hat": next_y_hat, "diverged": diverged, "chain": chain}


def _kernel_still(weights, eta):
    """PNG bytes of the kernel WeightExplorer's still picture for these weights and η, with its numbers
    printed under it. The kernel widget is closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: WeightExplorer(weights=weights, eta=eta))
