"""The statistics the histogram explorer of notebook 09 draws: plain functions, no widget.

The cat-or-dog classifier of notebook 07 made three hidden layers deep (2-8-8-8-2), its training
inputs as the network sees them, and for every hidden layer where the activations lie, how large
the gradients δ[l] = ∂L/∂z[l] are, and the words and lines the widget prints. `helpers.widgets.histograms`
holds them too.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import validate
from ..data import Standardizer, load_cat_dog, train_test_split
from ..core.network import Network

HIDDEN = (8, 8, 8)
"""Neurons in each hidden layer: three hidden layers, so a change can be followed layer after layer."""
SIZES = [2, *HIDDEN, 2]
N_CLASSES = 2
ACTIVATIONS = ("tanh", "sigmoid")
INPUT_KINDS = {"standardised": "standardised", "raw": "raw units (kg, cm)"}
"""The inputs the widget offers: its value -> the dropdown's words."""
SATURATED_ABOVE = 0.97
"""A unit is saturated when its activation is this close to an end of its range: |a| > 0.97 for tanh,
a < 0.03 or a > 0.97 for sigmoid. There its slope f′(z) is below 0.059 (tanh, at most 1) or 0.029
(sigmoid, at most 0.25): the gradient passing back through it is cut to a small fraction."""
SATURATED_LAYER = 0.2
"""A layer with at least this share of its values saturated is called 'saturated'."""
COLLAPSED_BELOW = 0.05
"""A layer whose activations spread less than this (standard deviation) is called 'collapsed': every
unit gives nearly the same value for every animal, so the layer passes almost nothing on."""
LOSS_NEAR = 0.25
"""The starting loss counts as near ln C when it is within 25 % of it."""

ACTIVATION_BINS = 40
GRADIENT_DECADES = (-16, 0)
"""The gradient histogram's axis: |δ| from 10⁻¹⁶ to 10⁰; smaller values (and exact zeros) are counted
in its first bin, larger ones in its last."""
BINS_PER_DECADE = 4
SHARE_TOPS = (5.0, 10.0, 20.0, 40.0, 70.0, 100.0)
"""The histograms' y axis ends at the first of these (per cent) that leaves room above the tallest bar."""
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def training_inputs(inputs="standardised", input_scale=1.0):
    """The training animals of notebook 07 as the network sees them: (X, y).

    inputs: 'standardised' (each feature rescaled with the training set's mean and standard deviation,
    `Standardizer`) or 'raw' (kilograms and centimetres, as in the file). input_scale: a number above 0
    that multiplies every feature afterwards (1 leaves them as they are).
    Returns X, float64 of shape (225, 2), and y, int64 labels of shape (225,): the 75 % of the 300
    animals that `train_test_split(X, y, test_fraction=0.25, seed=0)` keeps for training.

    Used in notebook 09.
    """
    inputs = validate.choice(inputs, "inputs", tuple(INPUT_KINDS))
    input_scale = validate.as_number(input_scale, "input_scale")
    if not input_scale > 0:
        raise ValueError(f"input_scale must be a number above 0, but got {input_scale:g}")
    X, y = load_cat_dog()
    X_train, _, y_train, _ = train_test_split(X, y, test_fraction=0.25, seed=0)
    if inputs == "standardised":
        X_train = Standardizer().fit(X_train).transform(X_train)
    return X_train * input_scale, y_train


def build_network(activation="tanh", weight_scale=1.0, seed=0):
    """The 2-8-8-8-2 classifier: `activation` in the hidden layers, softmax and cross-entropy at the output.

    Every weight of layer l is drawn with standard deviation weight_scale × √(1/n), n the number of inputs
    to layer l: weight_scale = 1 is `Network`'s own choice. The same seed gives the same draws, so
    changing weight_scale only stretches or shrinks the same weights. Biases start at 0.

    Used in notebook 09.
    """
    activation = validate.choice(activation, "activation", ACTIVATIONS)
    weight_scale = validate.as_number(weight_scale, "weight_scale")
    if not weight_scale > 0:
        raise ValueError(f"weight_scale must be a number above 0, but got {weight_scale:g}")
    net = Network(SIZES, [activation] * len(HIDDEN) + ["softmax"], "cross_entropy", seed=seed)
    for l in range(1, net.depth + 1):
        net.W[l] = net.W[l] * weight_scale
    return net


def saturated_share(a, activation):
    """The share (0 to 1) of the values in `a` within 0.03 of an end of the activation's range.

    tanh: |a| > SATURATED_ABOVE (0.97); sigmoid: a < 0.03 or a > 0.97.
    """
    a = np.asarray(a, dtype=np.float64)
    activation = validate.choice(activation, "activation", ACTIVATIONS)
    if activation == "tanh":
        saturated = np.abs(a) > SATURATED_ABOVE
    else:
        saturated = (a < round(1 - SATURATED_ABOVE, 9)) | (a > SATURATED_ABOVE)  # 0.03, not 0.030000000000000027
    return float(np.mean(saturated))


def activation_edges(activation):
    """The activation histogram's bin edges: ACTIVATION_BINS bins across the activation's range."""
    low = -1.0 if validate.choice(activation, "activation", ACTIVATIONS) == "tanh" else 0.0
    return np.linspace(low, 1.0, ACTIVATION_BINS + 1)


def gradient_edges():
    """The gradient histogram's bin edges, in powers of ten: log10 |δ| from -16 to 0, 4 bins a decade."""
    low, high = GRADIENT_DECADES
    return np.linspace(low, high, (high - low) * BINS_PER_DECADE + 1)


def activation_histogram(a, activation):
    """(edges, shares): the share (per cent) of the values of `a` in each bin of `activation_edges`."""
    edges = activation_edges(activation)
    values = np.asarray(a, dtype=np.float64).ravel()
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    return edges, 100.0 * counts / max(values.size, 1)


def gradient_histogram(delta):
    """(edges, shares): the share (per cent) of the values of |δ| in each bin of `gradient_edges` (log10).

    Sizes below 10⁻¹⁶, exact zeros among them, are counted in the first bin; sizes above 1 in the last.
    """
    edges = gradient_edges()
    sizes = np.abs(np.asarray(delta, dtype=np.float64).ravel())
    with np.errstate(divide="ignore"):
        powers = np.log10(np.maximum(sizes, 10.0 ** edges[0]))
    counts, _ = np.histogram(np.clip(powers, edges[0], edges[-1]), bins=edges)
    return edges, 100.0 * counts / max(sizes.size, 1)


@dataclass
class LayerStatistics:
    """What one hidden layer shows on the batch: its activations a[l] and gradients δ[l] = ∂L/∂z[l]
    (both of shape (animals, units)), the share of saturated values, the spread of a[l] (its standard
    deviation), the median |δ[l]|, and one word for the layer: 'lively', 'saturated' or 'collapsed'."""

    layer: int
    activations: np.ndarray
    gradients: np.ndarray
    saturated: float
    spread: float
    median_gradient: float
    word: str


@dataclass
class Snapshot:
    """One forward and backward pass of an untrained network: the loss, and LayerStatistics for each
    hidden layer (layer 1 first). diverged: True when a number became NaN or infinite (then `layers` is
    empty and `loss` is NaN)."""

    loss: float
    layers: list = field(default_factory=list)
    diverged: bool = False


def layer_word(saturated, spread):
    """'saturated' (at least SATURATED_LAYER of the values), 'collapsed' (spread below COLLAPSED_BELOW)
    or 'lively'."""
    if saturated >= SATURATED_LAYER:
        return "saturated"
    if spread < COLLAPSED_BELOW:
        return "collapsed"
    return "lively"


def layer_statistics(net, X, y):
    """Forward and backward once on (X, y); a Snapshot with the statistics of each hidden layer.

    The output layer (softmax) is left out: its values are probabilities, not hidden activations.

    Used in notebook 09.
    """
    activation = net.activations[1].name
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            loss, grads = net.gradients(X, y)
            fp = net.forward(X)
    except ValueError:  # the forward pass overflowed
        return Snapshot(float("nan"), [], True)
    layers = []
    for l in range(1, net.depth):
        a, delta = fp.a[l], grads.delta[l]
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(delta))):
            return Snapshot(float("nan"), [], True)
        saturated, spread = saturated_share(a, activation), float(np.std(a))
        layers.append(LayerStatistics(l, a, delta, saturated, spread, float(np.median(np.abs(delta))),
                                      layer_word(saturated, spread)))
    if not np.isfinite(loss):
        return Snapshot(float("nan"), [], True)
    return Snapshot(float(loss), layers)


def power_of_ten(value):
    """A positive size as a reader writes it: '2.8 × 10⁻⁴', '0.31', or '0' for zero."""
    value = float(value)
    if value == 0:
        return "0"
    if 0.01 <= value < 100:
        return f"{value:.2g}"
    exponent = int(np.floor(np.log10(value)))
    mantissa = value / 10.0 ** exponent
    if round(mantissa, 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.1f} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def spread_text(spread):
    """A spread to two decimals, or to two significant digits below 0.1 (0.0084, not 0.01)."""
    return f"{spread:.2f}" if spread >= 0.1 else f"{spread:.2g}"


def layer_line(stats):
    """One line for a layer: its word, spread, saturated share and median gradient size. Used in notebook 09."""
    return (f"layer {stats.layer}: {stats.word}; spread of a[{stats.layer}] {spread_text(stats.spread)}; "
            f"{stats.saturated:.0%} saturated; median |δ[{stats.layer}]| {power_of_ten(stats.median_gradient)}")


def loss_line(loss, classes=N_CLASSES):
    """The starting loss against ln C, the loss of guessing each of the C classes with probability 1/C.

    Used in notebook 09.
    """
    ln_c = float(np.log(classes))
    start = f"Loss before training: {loss:.3f}; ln {classes} = {ln_c:.3f}"
    if not np.isfinite(loss):
        return "Loss before training: diverged (the numbers overflowed)"
    if abs(loss - ln_c) <= LOSS_NEAR * ln_c:
        return f"{start}: near it, as an untrained network should be (it is not yet sure of anything)."
    if loss > ln_c:
        return (f"{start}: {loss / ln_c:.1f} times as much. The untrained network is already sure of "
                "its answers, and often wrong.")
    return f"{start}: below it before any training, as if the starting weights already knew something."


def share_top(shares):
    """The y axis's end (per cent): the first of SHARE_TOPS at least 1.15 times the tallest bar."""
    tallest = max((float(np.max(s)) for s in shares), default=0.0)
    return next((top for top in SHARE_TOPS if top >= 1.15 * tallest), SHARE_TOPS[-1])


def _gradient_tick(power):
    label = "10" + str(int(power)).translate(_SUPERSCRIPT)
    return ("≤" if power == GRADIENT_DECADES[0] else "") + label
