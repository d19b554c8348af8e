"""The 2-2-1 network of the worked example, small enough to follow every number by hand.

Two inputs, two hidden neurons, one output, four weights and no biases:

    h1 = σ(w1·x1)        h2 = σ(w2·x2)        (each hidden neuron listens to one input)
    ŷ  = w3·h1 + w4·h2                        (a linear output)
    L  = (ŷ − y)²

Every factor of every chain-rule product has its own name, so a learner can check each line of
the backward pass against the maths.
"""

import math
from dataclasses import FrozenInstanceError, dataclass, fields, replace

import numpy as np

from .. import validate
from .activations import _sigmoid_number
from .network import Network

# The worked example's numbers: with these, ŷ = 0.70 against y = 1.0 (loss 0.09), and one step
# of gradient descent with η = 0.5 lifts ŷ to 0.85 (both to two decimals).
EXAMPLE_INPUTS = (1.0, 0.5)
EXAMPLE_TARGET = 1.0
EXAMPLE_WEIGHTS = {"w1": -0.5, "w2": 0.3, "w3": 1.0, "w4": 0.6}
EXAMPLE_ETA = 0.5

WEIGHT_NAMES = ("w1", "w2", "w3", "w4")

# The square of anything larger passes the largest float, about 1.8e308.
_LARGEST_SQUARABLE = math.sqrt(np.finfo(np.float64).max)


@dataclass(frozen=True)
class Chain:
    """Every quantity of one forward and backward pass through the 2-2-1 network.

    Forward: z1, z2 (weighted sums), h1, h2 (hidden activations), y_hat, loss.
    Local factors: dL_dy_hat = 2(ŷ − y); dy_hat_dw3 = h1; dy_hat_dw4 = h2; dy_hat_dh1 = w3;
    dy_hat_dh2 = w4; dh1_dz1 = σ′(z1); dh2_dz2 = σ′(z2); dz1_dw1 = x1; dz2_dw2 = x2.
    Gradients: dL_dw3 = dL_dy_hat · dy_hat_dw3 (two factors) and
    dL_dw1 = dL_dy_hat · dy_hat_dh1 · dh1_dz1 · dz1_dw1 (four factors, one per arrow of
    w1 → z1 → h1 → ŷ → L; dh1_dw1 = dh1_dz1 · dz1_dw1 keeps the last two as one).
    """

    x1: float
    x2: float
    y: float
    z1: float
    z2: float
    h1: float
    h2: float
    y_hat: float
    loss: float
    dL_dy_hat: float
    dy_hat_dw3: float
    dy_hat_dw4: float
    dy_hat_dh1: float
    dy_hat_dh2: float
    dh1_dz1: float
    dh2_dz2: float
    dz1_dw1: float
    dz2_dw2: float

    @property
    def dh1_dw1(self):
        """∂h1/∂w1 = σ′(z1)·x1."""
        return self.dh1_dz1 * self.dz1_dw1

    @property
    def dh2_dw2(self):
        """∂h2/∂w2 = σ′(z2)·x2."""
        return self.dh2_dz2 * self.dz2_dw2

    @property
    def dL_dw3(self):
        """Two factors: ∂L/∂ŷ · ∂ŷ/∂w3."""
        return self.dL_dy_hat * self.dy_hat_dw3

    @property
    def dL_dw4(self):
        """Two factors: ∂L/∂ŷ · ∂ŷ/∂w4."""
        return self.dL_dy_hat * self.dy_hat_dw4

    @property
    def dL_dw1(self):
        """Four factors: ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂z1 · ∂z1/∂w1, reusing ∂L/∂ŷ from the output weights.

        Computed as ∂L/∂ŷ · ∂ŷ/∂h1 · dh1_dw1, the last two factors already multiplied."""
        return self.dL_dy_hat * self.dy_hat_dh1 * self.dh1_dw1

    @property
    def dL_dw2(self):
        """Four factors: ∂L/∂ŷ · ∂ŷ/∂h2 · ∂h2/∂z2 · ∂z2/∂w2."""
        return self.dL_dy_hat * self.dy_hat_dh2 * self.dh2_dw2

    @property
    def gradients(self):
        """The four gradients as a dict {'w1': ∂L/∂w1, ..., 'w4': ∂L/∂w4}."""
        return {"w1": self.dL_dw1, "w2": self.dL_dw2, "w3": self.dL_dw3, "w4": self.dL_dw4}

    # The intermediate gradients of the backward pass, each one the upstream gradient times one local factor.

    @property
    def dL_dh1(self):
        """∂L/∂h1 = ∂L/∂ŷ · ∂ŷ/∂h1 (upstream ∂L/∂ŷ times local w3)."""
        return self.dL_dy_hat * self.dy_hat_dh1

    @property
    def dL_dh2(self):
        """∂L/∂h2 = ∂L/∂ŷ · ∂ŷ/∂h2 (upstream ∂L/∂ŷ times local w4)."""
        return self.dL_dy_hat * self.dy_hat_dh2

    @property
    def delta1(self):
        """δ1 = ∂L/∂z1 = ∂L/∂h1 · σ′(z1), the error signal of h1's neuron; ∂L/∂w1 = δ1 · x1."""
        return self.dL_dh1 * self.dh1_dz1

    @property
    def delta2(self):
        """δ2 = ∂L/∂z2 = ∂L/∂h2 · σ′(z2), the error signal of h2's neuron; ∂L/∂w2 = δ2 · x2."""
        return self.dL_dh2 * self.dh2_dz2

    @property
    def dy_hat_dw(self):
        """How ŷ responds to each weight, {'w1': ∂ŷ/∂w1, ..., 'w4': ∂ŷ/∂w4}: the gradients without the
        factor ∂L/∂ŷ (∂ŷ/∂w1 = w3 · σ′(z1) · x1, ∂ŷ/∂w3 = h1)."""
        return {"w1": self.dy_hat_dh1 * self.dh1_dw1, "w2": self.dy_hat_dh2 * self.dh2_dw2,
                "w3": self.dy_hat_dw3, "w4": self.dy_hat_dw4}

    def backward_steps(self):
        """The backward pass as the local rule walks it, one LocalStep per node after L, from L back to
        the weights: each step's downstream gradient is an upstream gradient already known times one
        local derivative. The order is BACKWARD_ORDER: the output, its weights, then the upper path
        (h1, z1, w1), then the lower one (h2, z2, w2)."""
        c = self
        return [
            LocalStep("y_hat", "∂L/∂ŷ", "∂L/∂L", 1.0, "2(ŷ − y)", c.dL_dy_hat, c.dL_dy_hat),
            LocalStep("w3", "∂L/∂w3", "∂L/∂ŷ", c.dL_dy_hat, "h1", c.dy_hat_dw3, c.dL_dw3),
            LocalStep("w4", "∂L/∂w4", "∂L/∂ŷ", c.dL_dy_hat, "h2", c.dy_hat_dw4, c.dL_dw4),
            LocalStep("h1", "∂L/∂h1", "∂L/∂ŷ", c.dL_dy_hat, "w3", c.dy_hat_dh1, c.dL_dh1),
            LocalStep("z1", "δ1 = ∂L/∂z1", "∂L/∂h1", c.dL_dh1, "σ′(z1)", c.dh1_dz1, c.delta1),
            LocalStep("w1", "∂L/∂w1", "δ1", c.delta1, "x1", c.dz1_dw1, c.delta1 * c.dz1_dw1),
            LocalStep("h2", "∂L/∂h2", "∂L/∂ŷ", c.dL_dy_hat, "w4", c.dy_hat_dh2, c.dL_dh2),
            LocalStep("z2", "δ2 = ∂L/∂z2", "∂L/∂h2", c.dL_dh2, "σ′(z2)", c.dh2_dz2, c.delta2),
            LocalStep("w2", "∂L/∂w2", "δ2", c.delta2, "x2", c.dz2_dw2, c.delta2 * c.dz2_dw2),
        ]


@dataclass(frozen=True)
class LocalStep:
    """One step of the backward pass: downstream = upstream × local.

    node: what receives its gradient ('y_hat', 'h1', 'z1', 'w1', ...). downstream, upstream, local:
    the names of the three numbers (e.g. '∂L/∂h1', '∂L/∂ŷ', 'w3'), with their values upstream_value,
    local_value and value (the downstream gradient, equal to upstream_value · local_value).
    """

    node: str
    downstream: str
    upstream: str
    upstream_value: float
    local: str
    local_value: float
    value: float

    def __str__(self):
        return (f"{self.downstream} = {self.upstream} × {self.local} = {self.upstream_value:+.4f} × "
                f"{self.local_value:.4f} = {self.value:+.4f}")


# The nodes in the order the local rule reaches them, from the loss back to the weights.
BACKWARD_ORDER = ("y_hat", "w3", "w4", "h1", "z1", "w1", "h2", "z2", "w2")


@dataclass(frozen=True)
class TwoTwoOne:
    """The 2-2-1 network's four weights. Immutable: `step` returns a new network.

    Used in notebooks 00, 02, 03, 04, 05, 07 and 10.
    """

    w1: float = EXAMPLE_WEIGHTS["w1"]
    w2: float = EXAMPLE_WEIGHTS["w2"]
    w3: float = EXAMPLE_WEIGHTS["w3"]
    w4: float = EXAMPLE_WEIGHTS["w4"]

    def __post_init__(self):
        for name in WEIGHT_NAMES:
            object.__setattr__(self, name, validate.as_number(getattr(self, name), name))

    @property
    def weights(self):
        """The weights as a dict {'w1': ..., 'w4': ...}."""
        return {name: getattr(self, name) for name in WEIGHT_NAMES}

    def forward(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1]):
        """ŷ for the inputs (x1, x2)."""
        return self.chain(x1, x2, EXAMPLE_TARGET).y_hat

    def chain(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """The forward pass and every chain-rule factor for one sample, as a Chain."""
        x1, x2, y = (validate.as_number(v, n) for v, n in ((x1, "x1"), (x2, "x2"), (y, "y")))
        z1, z2 = self.w1 * x1, self.w2 * x2
        h1, h2 = _sigmoid_number(z1), _sigmoid_number(z2)
        y_hat = self.w3 * h1 + self.w4 * h2
        error = y_hat - y
        if not abs(error) < _LARGEST_SQUARABLE:  # also catches inf and NaN
            raise ValueError(f"ŷ − y = {error:.3g} (ŷ = {y_hat:.3g}, y = {y:.3g}) is too large to square as a "
                             "floating-point number; keep the weights w3, w4 and the target y well below 1e150")
        return Chain(
            x1=x1, x2=x2, y=y, z1=z1, z2=z2, h1=h1, h2=h2, y_hat=y_hat, loss=error * error,
            dL_dy_hat=2.0 * (y_hat - y),
            dy_hat_dw3=h1, dy_hat_dw4=h2,
            dy_hat_dh1=self.w3, dy_hat_dh2=self.w4,
            dh1_dz1=h1 * (1.0 - h1), dh2_dz2=h2 * (1.0 - h2),
            dz1_dw1=x1, dz2_dw2=x2,
        )

    def loss(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """The squared error (ŷ − y)² for one sample."""
        return self.chain(x1, x2, y).loss

    def gradients(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """{'w1': ∂L/∂w1, ..., 'w4': ∂L/∂w4} for one sample."""
        return self.chain(x1, x2, y).gradients

    def step(self, eta=EXAMPLE_ETA, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """One gradient-descent update, w_new = w_old − η ∂L/∂w, as a new TwoTwoOne."""
        eta = validate.learning_rate(eta)
        grads = self.gradients(x1, x2, y)
        return replace(self, **{name: getattr(self, name) - eta * grads[name] for name in WEIGHT_NAMES})

    def with_weights(self, **weights):
        """A new TwoTwoOne with some weights changed and the others kept: net.with_weights(w1=5.0)."""
        unknown = [name for name in weights if name not in WEIGHT_NAMES]
        if unknown:
            raise TypeError(f"with_weights takes the weights w1, w2, w3, w4 by name, but got {unknown[0]!r}")
        return replace(self, **weights)

    def as_network(self):
        """The same network as a general `Network`: W1 = diag(w1, w2), W2 = [w3, w4], zero biases.

        Its loss is the squared error, so its gradients for these four weights equal this object's.
        """
        W1 = np.array([[self.w1, 0.0], [0.0, self.w2]])
        W2 = np.array([[self.w3, self.w4]])
        return Network.from_weights([W1, W2], [np.zeros(2), np.zeros(1)],
                                    activations=["sigmoid", "linear"], loss="squared_error")


def round_table(net=None, eta=EXAMPLE_ETA, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
    """Every number of one round of learning, as in Matt Mazur's step-by-step example.

    net: a TwoTwoOne (default: the worked example); eta: the learning rate. Returns a list of rows
    (part, name, formula, value), part being 'forward', 'backward', 'update' or 'after': the forward
    values, every gradient of the backward pass layer by layer (the intermediate ∂L/∂ŷ, ∂L/∂h, δ
    included), the four new weights, and ŷ and L computed again with the new weights.

    Used in notebook 04.
    """
    net = TwoTwoOne() if net is None else net
    chain = net.chain(x1, x2, y)
    rows = [("forward", "z1", "w1·x1", chain.z1), ("forward", "h1", "σ(z1)", chain.h1),
            ("forward", "z2", "w2·x2", chain.z2), ("forward", "h2", "σ(z2)", chain.h2),
            ("forward", "ŷ", "w3·h1 + w4·h2", chain.y_hat), ("forward", "L", "(ŷ − y)²", chain.loss)]
    steps = {step.node: step for step in chain.backward_steps()}
    for node in ("y_hat", "w3", "w4", "h1", "h2", "z1", "z2", "w1", "w2"):  # layer by layer, from the loss
        step = steps[node]
        name, _, _ = step.downstream.partition(" = ")  # 'δ1 = ∂L/∂z1' is listed as δ1
        formula = step.local if step.upstream == "∂L/∂L" else f"{step.upstream} · {step.local}"  # ∂L/∂L = 1
        rows.append(("backward", name, formula, step.value))
    new = net.step(eta, x1, x2, y)
    rows += [("update", f"new {name}", f"{name} − η·∂L/∂{name}", getattr(new, name)) for name in WEIGHT_NAMES]
    after = new.chain(x1, x2, y)
    rows += [("after", "ŷ", "with the new weights", after.y_hat), ("after", "L", "with the new weights", after.loss)]
    return rows


# ---- The same network with a bias in each neuron ----

BIAS_NAMES = ("b1", "b2", "b3")
PARAMETER_NAMES = WEIGHT_NAMES + BIAS_NAMES
# Small biases for the biased variant's example: the weights and the sample stay the worked example's.
EXAMPLE_BIASES = {"b1": 0.1, "b2": -0.2, "b3": 0.05}


@dataclass(frozen=True)
class BiasedTwoTwoOne:
    """The 2-2-1 network with a bias in each neuron (seven parameters), as in "weights and biases":

        h1 = σ(w1·x1 + b1)     h2 = σ(w2·x2 + b2)     ŷ = w3·h1 + w4·h2 + b3     L = (ŷ − y)²

    A bias is a weight whose input is always 1, so its gradient is the error signal δ = ∂L/∂z of
    its neuron: ∂L/∂b3 = ∂L/∂ŷ, and ∂L/∂b1 = ∂L/∂ŷ · w3 · σ′(z1), which is ∂L/∂w1 without the x1.
    """

    w1: float = EXAMPLE_WEIGHTS["w1"]
    w2: float = EXAMPLE_WEIGHTS["w2"]
    w3: float = EXAMPLE_WEIGHTS["w3"]
    w4: float = EXAMPLE_WEIGHTS["w4"]
    b1: float = EXAMPLE_BIASES["b1"]
    b2: float = EXAMPLE_BIASES["b2"]
    b3: float = EXAMPLE_BIASES["b3"]

    def __post_init__(self):
        for name in PARAMETER_NAMES:
            object.__setattr__(self, name, validate.as_number(getattr(self, name), name))

    def with_weights(self, **parameters):
        """A new BiasedTwoTwoOne with some parameters changed and the others kept: net.with_weights(b1=0.0)."""
        unknown = [name for name in parameters if name not in PARAMETER_NAMES]
        if unknown:
            raise TypeError(f"with_weights takes the parameters {', '.join(PARAMETER_NAMES)} by name, but got "
                            f"{unknown[0]!r}")
        return replace(self, **parameters)

    @property
    def parameters(self):
        """The seven parameters as a dict {'w1': ..., 'w4': ..., 'b1': ..., 'b3': ...}."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}

    def forward(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1]):
        """(z1, z2, h1, h2, ŷ) for the inputs (x1, x2)."""
        x1, x2 = validate.as_number(x1, "x1"), validate.as_number(x2, "x2")
        z1, z2 = self.w1 * x1 + self.b1, self.w2 * x2 + self.b2
        h1, h2 = _sigmoid_number(z1), _sigmoid_number(z2)
        return z1, z2, h1, h2, self.w3 * h1 + self.w4 * h2 + self.b3

    def loss(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """The squared error (ŷ − y)² for one sample."""
        y = validate.as_number(y, "y")
        error = self.forward(x1, x2)[-1] - y
        if not abs(error) < _LARGEST_SQUARABLE:
            raise ValueError(f"ŷ − y = {error:.3g} is too large to square as a floating-point number; keep the "
                             "weights, biases and the target y well below 1e150")
        return error * error

    def gradients(self, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET):
        """{'w1': ∂L/∂w1, ..., 'w4': ∂L/∂w4, 'b1': ∂L/∂b1, 'b2': ∂L/∂b2, 'b3': ∂L/∂b3} for one sample."""
        self.loss(x1, x2, y)  # validates the sample and the size of the error
        x1, x2, y = float(x1), float(x2), float(y)
        _, _, h1, h2, y_hat = self.forward(x1, x2)
        dL_dy_hat = 2.0 * (y_hat - y)                    # δ of the output neuron (linear: ∂L/∂z = ∂L/∂ŷ)
        delta1 = dL_dy_hat * self.w3 * h1 * (1.0 - h1)   # δ1 = ∂L/∂z1
        delta2 = dL_dy_hat * self.w4 * h2 * (1.0 - h2)   # δ2 = ∂L/∂z2
        return {"w1": delta1 * x1, "w2": delta2 * x2, "w3": dL_dy_hat * h1, "w4": dL_dy_hat * h2,
                "b1": delta1, "b2": delta2, "b3": dL_dy_hat}

    def as_network(self):
        """The same network as a general `Network`: W1 = diag(w1, w2), W2 = [w3, w4], b1 = (b1, b2), b2 = (b3)."""
        W1 = np.array([[self.w1, 0.0], [0.0, self.w2]])
        W2 = np.array([[self.w3, self.w4]])
        return Network.from_weights([W1, W2], [np.array([self.b1, self.b2]), np.array([self.b3])],
                                    activations=["sigmoid", "linear"], loss="squared_error")


# ---- Changing a weight in place: a clear message instead of dataclasses' "cannot assign to field" ----

class FrozenWeightError(FrozenInstanceError):
    """Raised when code sets a weight of a TwoTwoOne (or BiasedTwoTwoOne) in place; says what to do instead."""


def _refuse_change(net, name, value=None, deleting=False):
    kind = type(net).__name__
    names = [f.name for f in fields(net)]
    if name in names:
        shown = "" if deleting else f" = {value!r}"
        new = "..." if deleting else repr(value)
        kept = ", ".join(f"{other}={getattr(net, other):g}" for other in names if other != name)
        raise FrozenWeightError(
            f"A {kind}'s weights cannot change after it is made (each step of learning makes a new network), so "
            f"`net.{name}{shown}` cannot work. Make a new network instead: net = net.with_weights({name}={new}), "
            f"which keeps the others ({kept}), or net = {kind}({', '.join(n + '=...' for n in names)}).")
    raise FrozenWeightError(
        f"A {kind} holds only its weights {', '.join(names)}, and they cannot change in place, so `net.{name}` "
        f"cannot be {'deleted' if deleting else 'set'}. Make a new network with net.with_weights({names[0]}=...) "
        f"or {kind}({names[0]}=..., ...).")


# Set after the classes are made: a frozen dataclass writes its own __setattr__ and __delattr__, which would
# say only "cannot assign to field 'w1'".
for _frozen in (TwoTwoOne, BiasedTwoTwoOne):
    _frozen.__setattr__ = lambda self, name, value: _refuse_change(self, name, value)
    _frozen.__delattr__ = lambda self, name: _refuse_change(self, name, deleting=True)
