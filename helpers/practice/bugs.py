"""Six planted bugs in training, and the symptoms each one leaves behind.

Training is a chain: forward → loss → backward (gradients) → update → repeat. When it goes wrong,
check the links in that order. The loss curve raises the alarm; a gradient check says whether
the backward pass is right; gradient sizes per layer and dead units say whether the right
gradient can reach every weight; a tiny trial step says whether the update goes downhill.

Every bug here is planted in the same small job, the cat-or-dog classifier of notebook 07 on the
standardised training set: `setup(kind)` builds the buggy version, `setup(kind, buggy=False)` the
same job without the bug, and `symptoms(kind)` measures what a debugger would look at:

    s = symptoms("wrong_sign")
    s.loss_rose                           # the loss rose (here it even diverges)
    s.gradcheck.all < gradcheck.AGREE     # yet the gradients are right
    s.tiny_step_change > 0                # so the update is what climbs
    diagnose(s)                           # 'wrong_sign'

`diagnose` is a decision tree built for these six bugs. The checks locate the broken *link* (and,
for the backward pass, the layer); only where a check leaves a fingerprint that no other slip
leaves does it name a bug. A backward-pass slip it was not built for (a lost minus sign, or a
transposed W in a layer whose W is square) is reported by where it shows, e.g. 'gradient check
failed in layer 1', never guessed. In the 2-8-2 classifier no W is square, so a transposed W
never gets that far there: `delta @ W.T` stops with a shape error.

Everything is pure maths on NumPy arrays: no plotting, no printing. The kinds, in KINDS:

    wrong_sign               the update adds η·∂L/∂W instead of subtracting it
    missing_derivative       the backward pass forgets the activation's slope f′(z)
    forgotten_bias_gradient  the backward pass never fills in ∂L/∂b (it stays 0)
    learning_rate_too_high   η = 50 instead of 0.5: each step overshoots, and the numbers blow up
    dead_relu                hidden biases start at −4, so 7 of the 8 ReLUs output 0 for every animal
    vanishing_gradients      eight sigmoid layers: the signal reaching layer 1 is almost nothing
"""

import copy
from dataclasses import dataclass, replace

import numpy as np

from .. import validate
from ..data import Standardizer, load_cat_dog, train_test_split
from .gradcheck import AGREE, SUSPICIOUS, _network, compare_gradients, network_numerical_gradient, relative_error
from .gradcheck import verdict as gradcheck_verdict
from ..core.network import Network
from .training import train

KINDS = ("wrong_sign", "missing_derivative", "forgotten_bias_gradient", "learning_rate_too_high",
         "dead_relu", "vanishing_gradients")

HEALTHY = "healthy"
"""What `diagnose` returns when every check passes."""

SIZES = [2, 8, 2]
"""The classifier of every set-up except vanishing_gradients: 2 inputs, 8 ReLU units, 2 softmax outputs."""
DEEP_SIZES = [2] + [8] * 8 + [2]
"""The network of vanishing_gradients: eight hidden layers of 8 units."""
ETA = 0.5
"""The learning rate of every job except vanishing_gradients."""
DEEP_ETA = 0.1
"""The learning rate of vanishing_gradients, with and without the bug: eight layers need smaller steps."""
TOO_HIGH_ETA = 50.0
"""The learning rate of learning_rate_too_high: 100 times ETA."""
DEAD_BIAS = -4.0
"""The starting hidden bias of dead_relu: so far below 0 that 7 of the 8 units never switch on."""
EPOCHS = 60
"""Full-batch epochs of every run (one update per epoch)."""
CHECK_SAMPLES = 20
"""The gradient check runs on the first CHECK_SAMPLES animals: enough to test every weight, quick."""
TINY_ETA = 1e-3
"""A learning rate small enough that one correct step must lower the loss."""

DEAD_FRACTION = 0.5
"""At or above this share of dead hidden units, most of the network cannot learn."""
VANISHING_RATIO = 1e-2
"""‖∂L/∂W^{[1]}‖ / ‖∂L/∂W^{[D]}‖ (D = the number of layers) below this means the first layer gets almost no gradient."""
STALLED = 0.9
"""A run whose last loss is above this share of its first has barely learnt: the loss stalls."""


@dataclass(frozen=True)
class Bug:
    """One planted bug, described once.

    title: a short name. link: the link of the chain loss → gradients → updates whose check finds
    it ('gradients' or 'updates'). where: 'code' (a slip in the backward pass or the update) or
    'settings' (the code is right, a setting is wrong). mistake: what is wrong. symptom: what you
    see. check: which measurement finds it. fix: what to change.
    """

    kind: str
    title: str
    link: str
    where: str
    mistake: str
    symptom: str
    check: str
    fix: str


BUGS = {
    "wrong_sign": Bug(
        "wrong_sign", "Wrong sign in the update", "updates", "code",
        "step() computes W + η·∂L/∂W: it climbs the slope instead of walking down it.",
        "The loss rises from the very first epoch, though the gradient check passes.",
        "One trial step with a tiny η raises the loss: the update, not the gradient, is wrong.",
        "Subtract: W_new = W_old − η·∂L/∂W.",
    ),
    "missing_derivative": Bug(
        "missing_derivative", "Missing activation derivative", "gradients", "code",
        "The backward pass passes δ down as δ[l+1]·W[l+1] and forgets to multiply by f′(z[l]).",
        "The loss still falls, but less far than it should; nothing on the curve looks broken.",
        "Gradient check per layer: layer 2 (the output) agrees, layer 1 fails for weights and biases alike, "
        "so the slip is in how δ is passed from layer 2 down to layer 1.",
        "δ[l] = (δ[l+1]·W[l+1]) ⊙ f′(z[l]): multiply by the activation's slope.",
    ),
    "forgotten_bias_gradient": Bug(
        "forgotten_bias_gradient", "Forgotten bias gradient", "gradients", "code",
        "The backward pass fills in ∂L/∂W but leaves ∂L/∂b at 0, so the biases never move.",
        "The loss falls, then levels off above the healthy run: the boundary cannot shift.",
        "Gradient check per kind of parameter: weights agree, biases fail (relative error 1).",
        "∂L/∂b[l] = Σ over samples of δ[l].",
    ),
    "learning_rate_too_high": Bug(
        "learning_rate_too_high", "Learning rate too high", "updates", "settings",
        f"η = {TOO_HIGH_ETA:g} instead of {ETA:g}: every step jumps far past the bottom of the valley.",
        "The loss jumps up and the numbers blow up: training diverges within a few epochs.",
        "Gradients check out and a tiny step lowers the loss, but the real step raises it.",
        "Lower η (try dividing it by 10 until the loss falls smoothly).",
    ),
    "dead_relu": Bug(
        "dead_relu", "Dead ReLUs", "gradients", "settings",
        f"The hidden biases start at {DEAD_BIAS:g}, so z < 0 for every animal: the ReLUs output 0 "
        "and pass no gradient back.",
        "The loss barely moves from ln 2: the network is stuck at a 50 : 50 guess.",
        "Fraction of dead units (slope 0 on every sample): 7 of the 8 hidden units.",
        "Start the biases at 0 (and keep η moderate, which also keeps units alive).",
    ),
    "vanishing_gradients": Bug(
        "vanishing_gradients", "Vanishing gradients", "gradients", "settings",
        "Eight sigmoid hidden layers: each passes back at most a quarter of the signal it gets.",
        "The loss sits on a plateau: the layers near the input barely learn.",
        "Gradient size per layer: ‖∂L/∂W[1]‖ is a tiny fraction of ‖∂L/∂W[D]‖, the output layer's.",
        "Use ReLU with He scale √(2/width), or fewer layers.",
    ),
}


class _Planted(Network):
    """A Network with one planted bug; its copies keep the bug, as Network.copy keeps the class."""


class WrongSignNetwork(_Planted):
    """Bug: the update adds the gradient, W_new = W_old + η·∂L/∂W, so every step climbs."""

    def step(self, grads, eta):
        eta = validate.learning_rate(eta)
        for l in range(1, self.depth + 1):
            self.W[l] = self.W[l] + eta * grads.dL_dW[l]
            self.b[l] = self.b[l] + eta * grads.dL_db[l]


class MissingDerivativeNetwork(_Planted):
    """Bug: the backward pass forgets f′(z) in the hidden layers, δ[l] = δ[l+1]·W[l+1]. Used in notebook 09."""

    def _backward(self, fp, Y):
        grads = super()._backward(fp, Y)
        for l in range(self.depth - 1, 0, -1):
            grads.delta[l] = grads.delta[l + 1] @ self.W[l + 1]          # ⊙ f′(z[l]) is missing
            grads.dL_dW[l] = grads.delta[l].T @ fp.a[l - 1]
            grads.dL_db[l] = grads.delta[l].sum(axis=0)
        return grads


class ForgottenBiasNetwork(_Planted):
    """Bug: the backward pass leaves every ∂L/∂b at 0, so the biases never move."""

    def _backward(self, fp, Y):
        grads = super()._backward(fp, Y)
        grads.dL_db = {l: np.zeros_like(g) for l, g in grads.dL_db.items()}
        return grads


_CLASSES = {"wrong_sign": WrongSignNetwork, "missing_derivative": MissingDerivativeNetwork,
            "forgotten_bias_gradient": ForgottenBiasNetwork}


@dataclass
class Setup:
    """One training job: the network (buggy or not), its learning rate and its number of epochs."""

    kind: str
    buggy: bool
    net: Network
    eta: float
    epochs: int = EPOCHS


def _flag(value, name):
    """A True/False switch, or a TypeError: "no" or 0 must not quietly count as a choice."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, but got {validate.describe(value)}")
    return bool(value)


def _symptoms(s):
    if not isinstance(s, Symptoms):
        raise TypeError(f"s must be the Symptoms that symptoms(kind) or measure(net, eta) returns, but got "
                        f"{validate.describe(s)}")
    return s


def _training_set():
    X, y = load_cat_dog()
    X_train, _, y_train, _ = train_test_split(X, y, seed=0)
    return X_train, y_train


def demo_standardizer():
    """The Standardizer of notebook 07, fitted on its training set: turns kg and cm into the inputs of demo_data.

    Used in notebook 08.
    """
    return Standardizer().fit(_training_set()[0])


def demo_data():
    """The standardised cat-or-dog training set of notebook 07: X (225, 2), y (225,) labels 0/1.

    Used in notebooks 08 and 09.
    """
    X_train, y_train = _training_set()
    return Standardizer().fit_transform(X_train), y_train


def setup(kind, *, buggy=True, seed=0):
    """The job for bug `kind`: with the bug planted (buggy=True) or the same job without it. Returns a Setup.

    kind may also be 'healthy': the plain job, Network([2, 8, 2]) with ReLU and softmax and η = 0.5,
    which is also the bug-free version of every kind except vanishing_gradients.

    Used in notebooks 08 and 09.
    """
    kind = validate.choice(kind, "kind", KINDS + (HEALTHY,))
    buggy = _flag(buggy, "buggy")
    seed = validate.seed(seed)
    if kind == HEALTHY:
        buggy = False
    if kind == "vanishing_gradients":
        hidden = len(DEEP_SIZES) - 2
        if buggy:
            net = Network(DEEP_SIZES, ["sigmoid"] * hidden + ["softmax"], "cross_entropy", seed=seed)
        else:
            net = Network(DEEP_SIZES, ["relu"] * hidden + ["softmax"], "cross_entropy", seed=seed,
                          weight_scale=np.sqrt(2.0 / DEEP_SIZES[1]))
        return Setup(kind, buggy, net, DEEP_ETA)
    cls = _CLASSES.get(kind, Network) if buggy else Network
    net = cls(SIZES, ["relu", "softmax"], "cross_entropy", seed=seed)
    if buggy and kind == "dead_relu":
        net.b[1] = np.full_like(net.b[1], DEAD_BIAS)
    eta = TOO_HIGH_ETA if buggy and kind == "learning_rate_too_high" else ETA
    return Setup(kind, buggy, net, eta)


def buggy_network(kind, seed=0):
    """The network of `setup(kind)` with its bug planted (for a settings bug: the network of that set-up)."""
    return setup(kind, seed=seed).net


def _is_weight(net):
    """A boolean mask over net.parameters(): True at weights, False at biases."""
    return np.concatenate([np.concatenate([np.ones(net.W[l].size, bool), np.zeros(net.b[l].size, bool)])
                           for l in range(1, net.depth + 1)])


@dataclass(frozen=True)
class GradientCheck:
    """Relative errors between a backward pass and centred differences.

    all, weights, biases: over every parameter, the weights only, the biases only. parts: the check
    per layer and kind (a helpers.gradcheck.GradientCheck: parts.errors[(l, 'W')], parts.failing, ...).
    zero_biases: True when the backward pass gave exactly 0 for every bias while the loss does depend on them.
    """

    all: float
    weights: float
    biases: float
    parts: object = None
    zero_biases: bool = False

    @property
    def failing_layers(self):
        """The layers with at least one part (W or b) that reads 'bug', highest first."""
        return sorted({l for l, _ in (self.parts.failing if self.parts is not None else [])}, reverse=True)


def gradient_check(net, X, y):
    """Compare net's own backward pass with centred differences on (X, y). Returns a GradientCheck."""
    _, grads = _network(net).gradients(X, y)
    exact = net.flat_gradients(grads)
    numerical = network_numerical_gradient(net, X, y)
    w = _is_weight(net)
    zero_biases = bool(np.all(exact[~w] == 0) and np.linalg.norm(numerical[~w]) > 0)
    return GradientCheck(relative_error(exact, numerical), relative_error(exact[w], numerical[w]),
                         relative_error(exact[~w], numerical[~w]), compare_gradients(net, exact, numerical),
                         zero_biases)


def layer_gradient_norms(net, X, y):
    """‖∂L/∂W[l]‖ for l = 1..D from net's own backward pass, as an array of shape (D,)."""
    _, grads = _network(net).gradients(X, y)
    return np.array([np.linalg.norm(grads.dL_dW[l]) for l in range(1, net.depth + 1)])


def dead_units(net, X):
    """(dead, total): how many hidden units have slope 0 for every sample of X, out of how many.

    A ReLU with z ≤ 0 on every sample outputs 0 and passes no gradient back, so its own weights stop
    learning. In the first hidden layer, on the same data, that is for good; a deeper unit can come
    back when the layer below it changes its inputs.
    Sigmoid and tanh units are never dead in this sense (their slope is never exactly 0).
    """
    fp = _network(net).forward(X)
    dead = total = 0
    for l in range(1, net.depth):
        slope = net.activations[l].derivative(fp.z[l])
        dead += int(np.sum(np.all(slope == 0, axis=0)))
        total += slope.shape[1]
    return dead, total


def dead_fraction(net, X):
    """The share of hidden units that are dead on X (see dead_units), from 0 to 1. Used in notebook 09."""
    dead, total = dead_units(net, X)
    return dead / total if total else 0.0


def trial_step(net, X, y, eta):
    """How one update with learning rate eta changes the loss: loss after − loss before (net unchanged).

    With a correct gradient and a correct update, a tiny eta always gives a negative change. When
    the step throws the loss beyond what a float holds, the change is inf.
    """
    before, grads = _network(net).gradients(X, y)
    trial = net.copy()
    trial.step(grads, eta)
    X, Y = trial.check_inputs(X), trial.check_targets(y, len(X))
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            after = trial._loss_value(trial._forward(X), Y)
        except ValueError:  # the loss refuses outputs beyond what a float can square: the step blew it up
            return float("inf")
    return float(after - before) if np.isfinite(after) else float("inf")


@dataclass(frozen=True)
class Symptoms:
    """What a debugger measures on one training job.

    loss: training loss per epoch, loss[0] before training (shorter when it diverged). diverged:
    True when the numbers blew up. gradcheck: a GradientCheck at the start. layer_gradients:
    ‖∂L/∂W[l]‖ for l = 1..D (D = the number of layers) at the start. dead, hidden_units: how many hidden units are dead at
    the start (slope 0 on every sample), out of how many; dead_fraction is their ratio.
    tiny_step_change, step_change: the loss change of one update with η = TINY_ETA and with the
    job's own η. diagnosis: what `diagnose` concludes: a kind, 'healthy', or for a backward-pass
    slip it has no fingerprint for, where the gradient check failed ('gradient check failed in layer 1').
    """

    kind: str
    buggy: bool
    eta: float
    loss: np.ndarray
    diverged: bool
    gradcheck: GradientCheck
    layer_gradients: np.ndarray
    dead: int
    hidden_units: int
    tiny_step_change: float
    step_change: float
    diagnosis: str = ""

    @property
    def dead_fraction(self):
        """The share of hidden units dead at the start, from 0 to 1."""
        return self.dead / self.hidden_units if self.hidden_units else 0.0

    @property
    def gradient_ratio(self):
        """‖∂L/∂W[1]‖ / ‖∂L/∂W[D]‖: how much gradient the first layer gets next to the last."""
        first, last = self.layer_gradients[0], self.layer_gradients[-1]
        return float(first / last) if last > 0 else float("nan")

    @property
    def loss_trend(self):
        """'diverged', 'rises' (ends above its start), 'stalls' (ends within 10 % of its start) or 'falls'."""
        if self.diverged:
            return "diverged"
        first, last = self.loss[0], self.loss[-1]
        if last > first:
            return "rises"
        return "stalls" if last > STALLED * first else "falls"

    @property
    def loss_rose(self):
        """True when the last recorded loss is above the loss before training (or training diverged)."""
        return self.diverged or bool(self.loss[-1] > self.loss[0])


def gradient_failure(layer):
    """The diagnosis for a backward pass that fails the gradient check first (from the output down) in `layer`."""
    layer = validate.positive_int(layer, "layer")
    return f"gradient check failed in layer {layer}"


def diagnose(s):
    """Follow loss → gradients → updates through the Symptoms `s`; return what it points to.

    Returns 'healthy', one of KINDS where the checks leave that bug's fingerprint, or, when the
    gradient check fails in a way no planted bug explains for sure, gradient_failure(l): the highest
    layer l whose check fails. δ flows down from the output, so the slip sits in that layer's line
    of the backward pass (or in how δ reaches it from the layer above); the layers below inherit it.

    Used in notebook 08.
    """
    _symptoms(s)
    # Gradients, first: is the backward pass right? Checked per layer and per kind (W, b).
    layers = s.gradcheck.failing_layers
    if layers or s.gradcheck.all > SUSPICIOUS:
        if s.gradcheck.zero_biases and s.gradcheck.weights <= AGREE:
            return "forgotten_bias_gradient"      # every ∂L/∂b exactly 0, every ∂L/∂W right
        return gradient_failure(layers[0] if layers else 1)
    # The gradient is right: does it reach every weight?
    if s.dead_fraction >= DEAD_FRACTION:
        return "dead_relu"
    if s.gradient_ratio < VANISHING_RATIO:
        return "vanishing_gradients"
    # Updates: a tiny correct step must go downhill; then the real step must too.
    if s.tiny_step_change > 0:
        return "wrong_sign"
    if s.diverged or s.step_change > 0 or s.loss_rose:
        return "learning_rate_too_high"
    return HEALTHY


# Symptoms of the jobs symptoms() has measured, keyed by what they depend on: the network (its class,
# shape and every weight), η and the epochs. The bug-free version of five kinds is the same job as
# 'healthy', and notebook 08 and the bug explorer ask for it again and again.
_MEASURED = {}
_MEASURED_AT_MOST = 64


def _job_key(job):
    net = job.net
    return (type(net), tuple(net.sizes), tuple(net.activations[l].name for l in range(1, net.depth + 1)),
            net.loss.name, net.parameters().tobytes(), job.eta, job.epochs)


def symptoms(kind, *, buggy=True, seed=0):
    """Train the job of bug `kind` (buggy or not; kind 'healthy' is the plain job) and measure every symptom.

    Returns Symptoms. Takes well under a second; the eight-layer job of vanishing_gradients is the slowest.
    A job measured before (the same network, weights, η and epochs) is answered at once, with a copy
    of the same numbers.

    Used in notebook 08.
    """
    job = setup(kind, buggy=buggy, seed=seed)
    key = _job_key(job)
    if key not in _MEASURED:
        if len(_MEASURED) >= _MEASURED_AT_MOST:
            _MEASURED.clear()
        _MEASURED[key] = measure(job.net, job.eta, epochs=job.epochs, kind=job.kind, buggy=job.buggy)
    return replace(copy.deepcopy(_MEASURED[key]), kind=job.kind, buggy=job.buggy)


def measure(net, eta, *, epochs=EPOCHS, kind="custom", buggy=True):
    """Every symptom of training `net` (any Network on the demo data, 2 inputs, 2 softmax outputs) with `eta`.

    The network is left unchanged (training runs on a copy). Returns Symptoms, diagnosis included.

    Used in notebook 08.
    """
    net = _network(net)
    if net.sizes[0] != 2 or net.sizes[-1] != 2 or net.loss.name != "cross_entropy":
        raise ValueError(f"net must take 2 inputs and end in 2 softmax outputs with loss 'cross_entropy', like "
                         f"Network([2, 8, 2], ['relu', 'softmax'], 'cross_entropy'), but it has sizes {net.sizes} "
                         f"and loss {net.loss.name!r}")
    if not isinstance(kind, str):
        raise TypeError(f"kind must be text that names the job, but got {validate.describe(kind)}")
    buggy = _flag(buggy, "buggy")
    X, y = demo_data()
    X_check, y_check = X[:CHECK_SAMPLES], y[:CHECK_SAMPLES]
    job = Setup(kind, buggy, net, validate.learning_rate(eta), validate.positive_int(epochs, "epochs"))
    check = gradient_check(net, X_check, y_check)
    norms = layer_gradient_norms(net, X, y)
    dead, total = dead_units(net, X)
    tiny = trial_step(net, X, y, TINY_ETA)
    real = trial_step(net, X, y, job.eta)
    history = train(net.copy(), X, y, eta=job.eta, epochs=job.epochs)
    s = Symptoms(kind, buggy, job.eta, np.array(history.loss), history.diverged, check, norms, dead, total,
                 tiny, real)
    return Symptoms(**{**s.__dict__, "diagnosis": diagnose(s)})


def _error_text(error):
    # Errors below AGREE are rounding noise whose digits differ from machine to machine: give the bound.
    if error < AGREE:
        return f"below {AGREE:g}"
    return f"{error:.2g}"


def _size(value):
    if value == 0:
        return "0"
    return f"{value:.2f}" if 0.01 <= value < 100 else f"{value:.1e}"


def report_items(s):
    """The Symptoms `s` in words, one entry per check, in the order of the chain. Returns a dict.

    Keys: 'loss', 'gradient check', 'gradient sizes', 'dead units', 'trial step', 'diagnosis'.
    Numbers that are only rounding noise are given as a bound, so the text is the same on any machine.
    """
    loss = _symptoms(s).loss
    if s.diverged:
        loss_text = f"{loss[0]:.3f} → diverged after {len(loss) - 1} epochs"
    else:
        loss_text = f"{loss[0]:.3f} → {loss[-1]:.3f} in {len(loss) - 1} epochs ({s.loss_trend})"
    g = s.gradcheck
    check_text = (f"relative error {_error_text(g.all)}: {gradcheck_verdict(g.all)} "
                  f"(weights {_error_text(g.weights)}: {gradcheck_verdict(g.weights)}; "
                  f"biases {_error_text(g.biases)}: {gradcheck_verdict(g.biases)})")
    sizes = s.layer_gradients
    if len(sizes) <= 3:
        listed = ", ".join(f"layer {l}: {_size(v)}" for l, v in enumerate(sizes, start=1))
    else:
        listed = f"layer 1: {_size(sizes[0])} ... layer {len(sizes)}: {_size(sizes[-1])}"
    ratio = s.gradient_ratio
    ratio_text = _size(ratio) if np.isfinite(ratio) else "undefined"
    sizes_text = f"‖∂L/∂W[l]‖ {listed}; first / last = {ratio_text}"
    dead_text = f"{s.dead} of {s.hidden_units} hidden units are dead ({s.dead_fraction:.0%})"
    step_text = (f"η = {TINY_ETA:g} changes the loss by {s.tiny_step_change:+.1e} "
                 f"({'downhill' if s.tiny_step_change < 0 else 'uphill'}); "
                 f"η = {s.eta:g} by {s.step_change:+.2g} ({'downhill' if s.step_change < 0 else 'uphill'})")
    failing = s.gradcheck.failing_layers
    if failing:
        check_text += "; fails in layer " + " and ".join(str(l) for l in sorted(failing))
    if s.diagnosis == HEALTHY:
        diagnosis_text = "healthy: every link checks out"
    elif s.diagnosis not in BUGS:
        diagnosis_text = (f"{s.diagnosis}: the backward pass is wrong from there down (found at the gradients "
                          "link; read that layer's line of the backward pass)")
    else:
        bug = BUGS[s.diagnosis]
        diagnosis_text = f"{bug.title} (found at the {bug.link} link; a bug in the {bug.where})"
    return {"loss": loss_text, "gradient check": check_text, "gradient sizes": sizes_text,
            "dead units": dead_text, "trial step": step_text, "diagnosis": diagnosis_text}


def report(s):
    """The Symptoms `s` as lines of text, one per check, ready to print. Used in notebook 08."""
    items = report_items(s)
    width = max(len(name) for name in items)
    return "\n".join(f"{name:<{width}}  {text}" for name, text in items.items())
