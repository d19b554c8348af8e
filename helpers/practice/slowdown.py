"""What δ = p − y buys: one sigmoid neuron learning from a mistake, with squared error and with cross-entropy.

Notebook 07 derives the output error of softmax with cross-entropy, δ = (p − y)/N. This module shows
what that short formula is worth, on the smallest network there is: one neuron with one input,

    z = w·x + b        a = σ(z)

trained on one sample (x, y) with one of two losses:

    'half_squared_error'     L = ½(a − y)²                        δ = ∂L/∂z = (a − y)·σ′(z)
    'binary_cross_entropy'   L = −[y·ln a + (1 − y)·ln(1 − a)]    δ = ∂L/∂z = a − y

For cross-entropy ∂L/∂a = (a − y)/(a(1 − a)) and σ′(z) = a(1 − a), so σ′ cancels. Binary cross-entropy on
a sigmoid is softmax with cross-entropy for two classes (softmax of the logits (0, z) gives σ(z) to the
second class), so its δ = a − y is notebook 07's p − y for one sample. With squared error σ′(z) stays in
δ, and σ′ is tiny exactly where the neuron is confidently wrong (a near 1 when y = 0): the learning
slowdown that `train_neuron` measures and `slowdown_plot` draws.
"""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from ..plots import style
from .. import validate
from ..core.activations import _sigmoid
from ..plots._common import _Plot

LOSS_NAMES = ("half_squared_error", "binary_cross_entropy")
# How each loss is named on figures and in printed tables.
LOSS_LABELS = {"half_squared_error": "squared error", "binary_cross_entropy": "cross-entropy"}
LOSS_STYLES = {"half_squared_error": "-", "binary_cross_entropy": "--"}

# Notebook 07's two starts: one input x = 1 with target y = 0, and w = b = z/2, so the neuron starts at
# z = 0.5 (a = 0.62, mildly wrong) or z = 4 (a = 0.98, confidently wrong). ETA and STEPS are its run.
EXAMPLE_X = 1.0
EXAMPLE_Y = 0.0
EXAMPLE_STARTS = {"mildly wrong": 0.5, "confidently wrong": 4.0}
EXAMPLE_ETA = 0.5
EXAMPLE_STEPS = 100

# The most steps one call of `train_neuron` runs: far more than a picture needs, and a fraction of a second.
MAX_STEPS = 100_000


def _loss_name(loss):
    return validate.choice(loss, "loss", LOSS_NAMES)


def _targets(y, name="y"):
    """y as a float64 array of targets between 0 and 1 (what a sigmoid output can reach), or a clear error."""
    y = validate.as_array(y, name)
    if np.any((y < 0) | (y > 1)):
        raise ValueError(f"{name} is the target of a sigmoid output, so it must be between 0 and 1, but got values "
                         f"from {y.min():g} to {y.max():g}")
    return y


def _broadcast(z, y):
    try:
        return np.broadcast_arrays(z, y)
    except ValueError:
        raise ValueError(f"z has shape {z.shape} and y has shape {y.shape}; they must match (or one be a single "
                         "number)") from None


def neuron_loss(z, y, loss):
    """The loss of one sigmoid neuron with weighted sum z against target y, element by element.

    z: any shape (a number or an array); y: targets between 0 and 1, the same shape (or one number);
    loss: 'half_squared_error', ½(σ(z) − y)², or 'binary_cross_entropy', −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))].
    Cross-entropy is computed as ln(1 + e^z) − y·z, the same number written so that no log of 0 can happen.
    Returns a float64 array of z's shape (a 0-D array for numbers).

    Used in notebook 07.
    """
    loss = _loss_name(loss)
    z, y = _broadcast(validate.as_array(z, "z"), _targets(y))
    if loss == "half_squared_error":
        return 0.5 * (_sigmoid(z) - y) ** 2
    return np.logaddexp(0.0, z) - y * z


def output_delta(z, y, loss):
    """δ = ∂L/∂z of one sigmoid neuron, element by element: the error signal notebook 07 compares.

    'half_squared_error': δ = (a − y)·σ′(z), with a = σ(z) and σ′(z) = a(1 − a).
    'binary_cross_entropy': δ = a − y; the σ′(z) from the chain rule cancels against ∂L/∂a = (a − y)/(a(1 − a)).
    z, y: as for `neuron_loss`. Returns a float64 array of z's shape.
    """
    loss = _loss_name(loss)
    z, y = _broadcast(validate.as_array(z, "z"), _targets(y))
    a = _sigmoid(z)
    if loss == "half_squared_error":
        return (a - y) * a * (1.0 - a)
    return a - y


def neuron_gradients(w, b, x, y, loss):
    """(∂L/∂w, ∂L/∂b) for the neuron z = w·x + b, a = σ(z), on one sample (x, y): (δ·x, δ).

    w, b, x: plain numbers; y: a target between 0 and 1; loss: as for `neuron_loss`.
    """
    w, b, x = (validate.as_number(v, n) for v, n in ((w, "w"), (b, "b"), (x, "x")))
    delta = float(output_delta(w * x + b, validate.as_number(y, "y"), loss))
    return delta * x, delta


@dataclass(frozen=True)
class NeuronHistory:
    """One neuron trained by gradient descent: every value from step 0 (the start) to step `steps`.

    loss_name, eta, x, y: the run's settings. w, b, z, a, loss, delta: float64 arrays of length steps + 1,
    entry k holding the value after k updates (delta = ∂L/∂z there, the error signal of that update).
    """

    loss_name: str
    eta: float
    x: float
    y: float
    w: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    loss: np.ndarray
    delta: np.ndarray

    @property
    def steps(self):
        """How many updates the run made."""
        return self.w.size - 1

    def steps_until(self, fraction=0.5):
        """The first step at which the loss is at most `fraction` of its start (0.5: halved), or None if it never is."""
        fraction = validate.as_number(fraction, "fraction")
        if not 0 < fraction < 1:
            raise ValueError(f"fraction must be between 0 and 1 (0.5 asks when the loss is halved), but got {fraction}")
        reached = np.flatnonzero(self.loss <= fraction * self.loss[0])
        return int(reached[0]) if reached.size else None


def train_neuron(w, b, x, y, loss, eta, steps):
    """Train one sigmoid neuron on one sample by gradient descent; return its NeuronHistory.

    w, b: the starting weight and bias; x, y: the sample (y between 0 and 1); loss: 'half_squared_error' or
    'binary_cross_entropy'; eta: the learning rate (positive); steps: the number of updates (1 to MAX_STEPS).
    Each update is w ← w − η·δ·x, b ← b − η·δ with δ = output_delta(z, y, loss). No randomness: the same
    arguments give the same history, number for number.
    """
    w, b, x = (validate.as_number(v, n) for v, n in ((w, "w"), (b, "b"), (x, "x")))
    y = float(_targets(validate.as_number(y, "y")))
    loss = _loss_name(loss)
    eta = validate.learning_rate(eta)
    steps = validate.positive_int(steps, "steps", maximum=MAX_STEPS)
    ws, bs = np.empty(steps + 1), np.empty(steps + 1)
    for k in range(steps + 1):
        ws[k], bs[k] = w, b
        if k < steps:
            delta = float(output_delta(w * x + b, y, loss))
            w, b = w - eta * delta * x, b - eta * delta
            if not (np.isfinite(w) and np.isfinite(b)):
                raise ValueError(f"the weights stopped being finite numbers after {k + 1} steps; lower eta "
                                 f"(got {eta:g}) or the size of x (got {x:g})")
    z = ws * x + bs
    return NeuronHistory(loss_name=loss, eta=eta, x=x, y=y, w=ws, b=bs, z=z, a=_sigmoid(z),
                         loss=neuron_loss(z, y, loss), delta=output_delta(z, y, loss))


def example_runs(eta=EXAMPLE_ETA, steps=EXAMPLE_STEPS):
    """Notebook 07's four runs: {(start, loss): NeuronHistory} for both EXAMPLE_STARTS and both losses.

    Every run starts at w = b = z/2 with x = 1 and y = 0, so the two losses start from the same output a.
    """
    return {(start, loss): train_neuron(z / 2, z / 2, EXAMPLE_X, EXAMPLE_Y, loss, eta, steps)
            for start, z in EXAMPLE_STARTS.items() for loss in LOSS_NAMES}


@dataclass(repr=False)
class SlowdownPlot(_Plot):
    """The slowdown figure: fig, its two axes (`output_ax`, `delta_ax`) and the lines drawn on each."""

    fig: object
    output_ax: object
    delta_ax: object
    output_lines: dict
    delta_lines: dict


def slowdown_plot(runs, *, y=EXAMPLE_Y):
    """Draw notebook 07's slowdown figure, two panels side by side.

    Left: the output a against the step for each run of `runs` ({(start name, loss name): NeuronHistory},
    as `example_runs` returns), one colour per start, solid for squared error and dashed for cross-entropy.
    Right: the size of δ against the output a for target y, for both losses, with each run's start marked.
    Returns a SlowdownPlot.
    """
    if not isinstance(runs, dict) or not runs or not all(isinstance(h, NeuronHistory) for h in runs.values()):
        raise TypeError(f"runs must be a dict of NeuronHistory objects such as example_runs() returns, but got "
                        f"{validate.describe(runs)}")
    y = float(_targets(validate.as_number(y, "y")))
    starts = list(dict.fromkeys(start for start, _ in runs))
    colours = [style.PALETTE[name] for name in ("purple", "green", "blue", "vermillion", "sky", "orange")]
    colour_of = {start: colours[i % len(colours)] for i, start in enumerate(starts)}

    fig, (output_ax, delta_ax) = plt.subplots(1, 2, figsize=style.WIDE_FIGSIZE, layout="constrained")
    output_lines = {}
    for (start, loss), history in runs.items():
        output_lines[start, loss] = output_ax.plot(
            np.arange(history.steps + 1), history.a, color=colour_of[start], linestyle=LOSS_STYLES[loss],
            label=f"{LOSS_LABELS[loss]}, {start} (a = {history.a[0]:.2f})")[0]
    output_ax.axhline(y, color=style.PALETTE["grey"], linewidth=1, linestyle=":")
    output_ax.set(xlabel="step", ylabel="output a (target y = {:g})".format(y), ylim=(-0.02, 1.02),
                  title="Output a, step by step (same η, same start)")
    fig.legend(handles=list(output_lines.values()), loc="outside lower center", ncols=2, fontsize="small")

    a = np.linspace(0.0005, 0.9995, 400)
    z = np.log(a / (1 - a))
    delta_lines = {}
    for loss in LOSS_NAMES:
        delta_lines[loss] = delta_ax.plot(a, np.abs(output_delta(z, y, loss)), color=style.PATH,
                                          linestyle=LOSS_STYLES[loss], label=f"{LOSS_LABELS[loss]}")[0]
        for start in starts:
            history = runs.get((start, loss))
            if history is not None:
                delta_ax.plot(history.a[0], abs(history.delta[0]), "o", color=colour_of[start], markersize=8)
    delta_ax.set(xlabel="output a", ylabel=f"size of δ = ∂L/∂z (y = {y:g})",
                 title="How hard each loss pushes, for each output")
    delta_ax.legend(loc="upper left")
    return SlowdownPlot(fig, output_ax, delta_ax, output_lines, delta_lines)
