"""Loss functions L(ŷ, y) and their gradients ∂L/∂ŷ.

Shapes: `y_hat` is one sample's outputs (1-D, or a plain number) or a batch of N samples as rows
(N, K). Every loss sums over a sample's K outputs and averages over the N samples, so the gradient
of a batch carries a factor 1/N; `mse` alone averages over the K outputs too (a factor 1/(N·K)).

The squared error has one name per convention:
    squared_error        (1/N) Σ_n Σ_k (ŷ − y)²     0.09 for ŷ = 0.7, y = 1 (the 2-2-1 example's loss)
    half_squared_error   ½ of squared_error          0.045 (the loss `Network` uses by default)
    mse                  (1/(N·K)) Σ_n Σ_k (ŷ − y)²  0.09 ("mean squared error" always means this one)
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import validate

# Probabilities are kept this far from 0 and 1 before taking a log, so log(0) never happens.
EPS = 1e-12

# one_hot refuses to build a table bigger than this (800 MB of float64): a typo, not a data set.
MAX_ONE_HOT_VALUES = 10**8


def _as_batch(y_hat, y, name_y_hat="y_hat", name_y="y"):
    y_hat = validate.as_array(y_hat, name_y_hat, ndim=(0, 1, 2))
    y = validate.as_array(y, name_y, ndim=(0, 1, 2))
    if y_hat.shape != y.shape:
        raise ValueError(f"{name_y} has shape {y.shape} but {name_y_hat} has shape {y_hat.shape}; they must match")
    return np.atleast_2d(y_hat), np.atleast_2d(y), y_hat.shape


def _finite(value, loss_name, y_hat, y):
    """`value` if every number in it is finite; else a ValueError saying the inputs are too large."""
    if not np.all(np.isfinite(value)):
        gap = np.max(np.abs(y_hat.astype(np.float64) - y)) if np.all(np.isfinite(y_hat - y)) else np.inf
        shown = f"{gap:.3g}" if np.isfinite(gap) else "more than 1.8e308"
        raise ValueError(f"{loss_name} is too large for a floating-point number: y_hat and y differ by {shown}, "
                         f"and squaring that passes the largest float, about 1.8e308; "
                         "y_hat and y must stay well below 1e150")
    return value


# A softmax's probabilities add up to 1 to the last few bits; a hand-typed row rounded to three
# decimals (0.333, 0.333, 0.334) still passes.
ROW_SUM_TOLERANCE = 1e-3
# Targets must add up to 1 far more exactly: the softmax shortcut δ = (a − y) / N assumes it.
TARGET_SUM_TOLERANCE = 1e-9
_CATEGORICAL = ("cross_entropy", "softmax_cross_entropy")


def check_targets(loss_name, y, name="y"):
    """Refuse targets that mean nothing for a cross-entropy loss; the one check `Network` uses too.

    y: targets as rows, shape (N, K). For 'binary_cross_entropy' every target is between 0 and 1; for
    'cross_entropy' (and 'softmax_cross_entropy') each row is also a probability distribution (one-hot,
    or probabilities adding up to 1). Other losses take any finite targets. Returns y unchanged.
    """
    if loss_name not in ("binary_cross_entropy",) + _CATEGORICAL:
        return y
    if np.any((y < 0) | (y > 1)):
        raise ValueError(f"loss {loss_name!r} needs targets between 0 and 1, but {name} holds values from "
                         f"{y.min():g} to {y.max():g}")
    if loss_name in _CATEGORICAL:
        sums = np.sum(np.atleast_2d(y), axis=1)
        bad = np.flatnonzero(np.abs(sums - 1.0) > TARGET_SUM_TOLERANCE)
        if bad.size:
            raise ValueError(f"loss {loss_name!r} needs each row of {name} to add up to 1 (one-hot or "
                             f"probabilities), but row {bad[0]} adds up to {sums[bad[0]]:g}")
    return y


def _looks_swapped(y_hat, y):
    """True when y_hat holds only 0s and 1s (like targets) and y holds fractions (like predictions)."""
    return bool(np.all((y_hat == 0) | (y_hat == 1)) and np.any((y > 0) & (y < 1)))


def _check_probabilities(y_hat, y, loss_name):
    """Refuse predictions that are not probabilities and targets that mean nothing, naming which."""
    swapped = (f"; are the two arguments swapped? {loss_name}(y_hat, y) takes the prediction first, "
               "then the target")
    if np.any((y_hat < 0) | (y_hat > 1)):
        raise ValueError(f"{loss_name} needs y_hat to be probabilities between 0 and 1, but got values "
                         f"from {y_hat.min():g} to {y_hat.max():g}")
    if loss_name == "cross_entropy":
        sums = np.sum(y_hat, axis=1)
        bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE)
        if bad.size:
            raise ValueError(f"cross_entropy needs each row of y_hat to be probabilities that add up to 1 (what a "
                             f"softmax gives), but row {bad[0]} adds up to {sums[bad[0]]:.6g}; for raw scores (logits), "
                             "use softmax_cross_entropy(logits, y)")
    try:
        check_targets(loss_name, y)
    except ValueError as error:
        if np.all((y_hat == 0) | (y_hat == 1)):
            raise ValueError(f"{error}{swapped}") from None
        raise
    if _looks_swapped(y_hat, y):
        raise ValueError(f"{loss_name} got y_hat holding only 0s and 1s, like targets, and y holding fractions such "
                         f"as {y[(y > 0) & (y < 1)][0]:g}, like predictions{swapped}")


def squared_error(y_hat, y):
    """(ŷ − y)², summed over a sample's K outputs and averaged over the N samples: (1/N) Σ_n Σ_k (ŷ − y)².

    The loss of the 2-2-1 worked example: squared_error(0.7, 1.0) = 0.09. For one sample with outputs
    (0.3, 0.7) and targets (1, 0) it is 0.49 + 0.49 = 0.98, the sum over the outputs.

    Used in notebook 02.
    """
    y_hat, y, _ = _as_batch(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(_finite(np.mean(np.sum((y_hat - y) ** 2, axis=1)), "squared_error", y_hat, y))


def squared_error_gradient(y_hat, y):
    """∂L/∂ŷ = 2(ŷ − y) / N, the same shape as y_hat."""
    y_hat2, y2, shape = _as_batch(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        gradient = _finite(2.0 * (y_hat2 - y2) / y_hat2.shape[0], "the gradient of squared_error", y_hat2, y2)
    return gradient.reshape(shape)


def half_squared_error(y_hat, y):
    """Half of squared_error: (1/(2N)) Σ_n Σ_k (ŷ − y)², the loss `Network` uses by default.

    The ½ cancels the 2 that differentiating brings down, so ∂L/∂ŷ = (ŷ − y) / N.
    half_squared_error(0.7, 1.0) = 0.045.

    Used in notebook 02.
    """
    return 0.5 * squared_error(y_hat, y)


def half_squared_error_gradient(y_hat, y):
    """∂L/∂ŷ = (ŷ − y) / N, the same shape as y_hat."""
    return 0.5 * squared_error_gradient(y_hat, y)


def mse(y_hat, y):
    """The mean squared error: (ŷ − y)² averaged over every output of every sample, (1/(N·K)) Σ_n Σ_k (ŷ − y)².

    mse(0.7, 1.0) = 0.09 (one output, so the same as squared_error); for outputs (0.3, 0.7) against
    targets (1, 0) it is (0.49 + 0.49) / 2 = 0.49, half of squared_error's 0.98.

    Used in notebook 02.
    """
    y_hat, y, _ = _as_batch(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(_finite(np.mean((y_hat - y) ** 2), "mse", y_hat, y))


def mse_gradient(y_hat, y):
    """∂L/∂ŷ = 2(ŷ − y) / (N·K), the same shape as y_hat."""
    y_hat2, y2, shape = _as_batch(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        gradient = _finite(2.0 * (y_hat2 - y2) / y_hat2.size, "the gradient of mse", y_hat2, y2)
    return gradient.reshape(shape)


def binary_cross_entropy(y_hat, y):
    """−[y·log ŷ + (1 − y)·log(1 − ŷ)] for probabilities ŷ; huge when a confident guess is wrong.

    ŷ is kept within EPS of 0 and 1 before the log, so a guess that is certain and wrong costs
    −log(1e-12) ≈ 27.6 rather than infinity.

    Used in notebook 02.
    """
    y_hat, y, _ = _as_batch(y_hat, y)
    _check_probabilities(y_hat, y, "binary_cross_entropy")
    p = np.clip(y_hat, EPS, 1 - EPS)
    return float(np.mean(np.sum(-(y * np.log(p) + (1 - y) * np.log(1 - p)), axis=1)))


def binary_cross_entropy_gradient(y_hat, y):
    """∂L/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)) / N, the same shape as y_hat."""
    y_hat2, y2, shape = _as_batch(y_hat, y)
    _check_probabilities(y_hat2, y2, "binary_cross_entropy")
    p = np.clip(y_hat2, EPS, 1 - EPS)
    return ((p - y2) / (p * (1 - p)) / y_hat2.shape[0]).reshape(shape)


def cross_entropy(y_hat, y):
    """−Σ y·log ŷ over classes, for probabilities ŷ (rows that add to 1) and one-hot targets y.

    Used in notebook 02.
    """
    y_hat, y, _ = _as_batch(y_hat, y)
    _check_probabilities(y_hat, y, "cross_entropy")
    return float(np.mean(np.sum(-y * np.log(np.clip(y_hat, EPS, 1.0)), axis=1)))


def cross_entropy_gradient(y_hat, y):
    """∂L/∂ŷ = −y / ŷ / N, the same shape as y_hat."""
    y_hat2, y2, shape = _as_batch(y_hat, y)
    _check_probabilities(y_hat2, y2, "cross_entropy")
    return (-y2 / np.clip(y_hat2, EPS, 1.0) / y_hat2.shape[0]).reshape(shape)


def one_hot(labels, num_classes):
    """Turn integer labels of shape (N,) into one-hot rows of shape (N, num_classes). Used in notebook 07."""
    labels = validate.as_array(labels, "labels", ndim=1)
    num_classes = validate.positive_int(num_classes, "num_classes")
    if labels.size * num_classes > MAX_ONE_HOT_VALUES:
        raise ValueError(f"num_classes={num_classes} for {labels.size} labels would need a table of "
                         f"{labels.size * num_classes:,} numbers; at most {MAX_ONE_HOT_VALUES:,} are allowed")
    _check_labels(labels, num_classes, "labels")
    out = np.zeros((labels.size, num_classes))
    out[np.arange(labels.size), labels.astype(int)] = 1.0
    return out


def _check_labels(labels, num_classes, name):
    """Refuse labels that are not whole numbers from 0 to num_classes − 1, naming the argument."""
    if np.any(labels != np.round(labels)):
        raise ValueError(f"{name} must be whole numbers (class indices), but some have a fractional part")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"{name} must be between 0 and {num_classes - 1} for {num_classes} classes, "
                         f"but got labels from {labels.min():.6g} to {labels.max():.6g}")


def log_softmax(logits):
    """log(softmax(z)) computed without overflow: z − max(z) − log Σ e^(z − max(z)), per row.

    logits: shape (K,) or (N, K); the result has the same shape. A logit far below its row's
    largest (1e308 below, say) gets log-probability −inf: its probability is exactly 0.
    """
    logits = validate.as_array(logits, "logits", ndim=(1, 2))
    return _log_softmax(logits)


def _log_softmax(logits):
    with np.errstate(over="ignore"):
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _cross_entropy_from_log_probabilities(Y, log_p):
    """−Σ y·log p per row, averaged over rows. A class with y = 0 adds nothing, even where log p = −inf."""
    with np.errstate(invalid="ignore"):
        terms = np.where(Y == 0, 0.0, Y * log_p)
    return float(np.mean(-np.sum(terms, axis=1)))


def softmax_cross_entropy(logits, y):
    """Cross-entropy of softmax(logits) against labels, stable for very large logits.

    `logits` is (N, K) or one sample's (K,); `y` is integer labels (N,) or one-hot rows (N, K).

    Used in notebook 07.
    """
    logits = validate.as_array(logits, "logits", ndim=(1, 2))
    y2 = _targets_for_classes(y, logits)
    return _cross_entropy_from_log_probabilities(y2, _log_softmax(np.atleast_2d(logits)))


def softmax_cross_entropy_gradient(logits, y):
    """∂L/∂z = (softmax(z) − y) / N, the same shape as logits."""
    logits = validate.as_array(logits, "logits", ndim=(1, 2))
    logits2 = np.atleast_2d(logits)
    y2 = _targets_for_classes(y, logits)
    probs = np.exp(_log_softmax(logits2))
    return ((probs - y2) / logits2.shape[0]).reshape(logits.shape)


def _targets_for_classes(y, logits):
    """Labels or one-hot targets for `logits`, returned as one-hot rows of shape (N, K).

    For a batch (N, K) of logits, y is N integer labels or (N, K) one-hot rows; for one sample's
    logits (K,), y is a single label or one one-hot row (K,).
    """
    y = validate.as_array(y, "y", ndim=(0, 1, 2))
    logits2 = np.atleast_2d(logits)
    n, k = logits2.shape
    one_sample = logits.ndim == 1
    if (one_sample and y.ndim == 1) or (not one_sample and y.ndim == 2):
        if y.shape != logits.shape:
            raise ValueError(f"y has shape {y.shape} but the logits have shape {logits.shape}; they must match")
        try:
            return check_targets("softmax_cross_entropy", np.atleast_2d(y))
        except ValueError as error:
            if np.all((logits == 0) | (logits == 1)):
                raise ValueError(f"{error}; are the two arguments swapped? softmax_cross_entropy(logits, y) takes "
                                 "the logits first, then the targets") from None
            raise
    labels = np.atleast_1d(y)
    if labels.ndim != 1 or labels.size != n:
        raise ValueError(f"y must hold one label per sample ({n}), but it has shape {y.shape}")
    _check_labels(labels, k, "y")
    return one_hot(labels, k)


@dataclass(frozen=True)
class Loss:
    """A loss by name: `value(y_hat, y)` is L, and `gradient(y_hat, y)` is ∂L/∂ŷ."""

    name: str
    value: Callable
    gradient: Callable


LOSSES = {
    "squared_error": Loss("squared_error", squared_error, squared_error_gradient),
    "half_squared_error": Loss("half_squared_error", half_squared_error, half_squared_error_gradient),
    "mse": Loss("mse", mse, mse_gradient),
    "binary_cross_entropy": Loss("binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_gradient),
    "cross_entropy": Loss("cross_entropy", cross_entropy, cross_entropy_gradient),
}


def get_loss(name):
    """Return the Loss called `name` (see LOSSES for the names). Used in notebook 02."""
    if isinstance(name, Loss):
        return name
    return LOSSES[validate.choice(name, "loss", tuple(LOSSES))]
