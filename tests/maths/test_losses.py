"""Loss functions: how wrong a prediction is, and which way to move it."""

import math
import warnings

import numpy as np
import pytest

from helpers.losses import (
    LOSSES,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    cross_entropy,
    cross_entropy_gradient,
    get_loss,
    half_squared_error,
    half_squared_error_gradient,
    mse,
    mse_gradient,
    one_hot,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
    squared_error,
    squared_error_gradient,
)

H = 1e-6


def numerical_gradient(f, y_hat, h=H):
    y_hat = np.array(y_hat, dtype=np.float64)
    grad = np.zeros_like(y_hat)
    for idx in np.ndindex(y_hat.shape):
        plus, minus = y_hat.copy(), y_hat.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


# --- squared error and its relatives ----------------------------------------------------------


def test_squared_error_of_the_worked_example_is_0_09():
    # (1.0 − 0.7)² = 0.3² = 0.09
    assert squared_error(0.7, 1.0) == pytest.approx(0.09, abs=1e-12)


def test_squared_error_sums_over_outputs_and_averages_over_samples():
    # One sample, two outputs: 0.3² + 0.5² = 0.34.
    assert squared_error([0.7, 0.5], [1.0, 1.0]) == pytest.approx(0.34, abs=1e-12)
    # Two samples of one output: (0.3² + 0.1²) / 2 = 0.05.
    assert squared_error([[0.7], [0.9]], [[1.0], [1.0]]) == pytest.approx(0.05, abs=1e-12)


def test_mse_averages_over_the_outputs():
    # (0.3² + 0.5²) / 2 = 0.17, against 0.34 for the summed squared error.
    assert mse([0.7, 0.5], [1.0, 1.0]) == pytest.approx(0.17, abs=1e-12)
    # Every output of every sample counts once: (1 + 0 + 4 + 9) / 4 = 3.5.
    assert mse([[1.0, 0.0], [2.0, 3.0]], [[0.0, 0.0], [0.0, 0.0]]) == pytest.approx(3.5, abs=1e-12)


def test_half_squared_error_is_half_of_the_squared_error():
    assert half_squared_error(0.7, 1.0) == pytest.approx(0.045, abs=1e-12)


def test_the_half_convention_makes_the_gradient_y_hat_minus_y():
    # d/dŷ ½(ŷ − y)² = ŷ − y: the ½ cancels the 2 that differentiating brings down.
    assert half_squared_error_gradient(0.7, 1.0) == pytest.approx(-0.3, abs=1e-12)
    assert squared_error_gradient(0.7, 1.0) == pytest.approx(-0.6, abs=1e-12)
    rng = np.random.default_rng(0)
    y_hat, y = rng.normal(size=5), rng.normal(size=5)
    np.testing.assert_allclose(half_squared_error_gradient(y_hat, y), y_hat - y, rtol=1e-15)


def test_batch_gradients_carry_one_over_n():
    y_hat, y = np.array([[0.7], [0.9]]), np.array([[1.0], [1.0]])
    np.testing.assert_allclose(squared_error_gradient(y_hat, y), [[-0.3], [-0.1]], atol=1e-12)
    np.testing.assert_allclose(mse_gradient([[1.0, 0.0], [2.0, 3.0]], np.zeros((2, 2))),
                               [[0.5, 0.0], [1.0, 1.5]], atol=1e-12)


def test_gradient_has_the_shape_of_y_hat():
    assert np.shape(squared_error_gradient(0.7, 1.0)) == ()
    assert squared_error_gradient([0.7, 0.5], [1.0, 1.0]).shape == (2,)
    assert mse_gradient(np.zeros((3, 2)), np.ones((3, 2))).shape == (3, 2)


# --- cross-entropy -----------------------------------------------------------------------------


def test_binary_cross_entropy_at_known_points():
    # −log 0.5 = ln 2 whatever the label; −log 0.9 for a right guess at 0.9.
    assert binary_cross_entropy(0.5, 1.0) == pytest.approx(math.log(2), abs=1e-12)
    assert binary_cross_entropy(0.5, 0.0) == pytest.approx(math.log(2), abs=1e-12)
    assert binary_cross_entropy(0.9, 1.0) == pytest.approx(-math.log(0.9), abs=1e-12)
    assert binary_cross_entropy(0.9, 0.0) == pytest.approx(-math.log(0.1), abs=1e-12)


def test_cross_entropy_punishes_a_confident_mistake_far_more_than_a_hesitant_one():
    # The truth is "dog" (1). Saying 1 % dog is a confident mistake; 40 % dog is a hesitant one.
    confident = binary_cross_entropy(0.01, 1.0)  # −ln 0.01 ≈ 4.61
    hesitant = binary_cross_entropy(0.4, 1.0)   # −ln 0.4 ≈ 0.92
    assert confident == pytest.approx(4.60517, abs=1e-5)
    assert hesitant == pytest.approx(0.91629, abs=1e-5)
    assert confident > 5 * hesitant
    # Squared error barely tells them apart: 0.98 against 0.36.
    assert squared_error(0.01, 1.0) < 3 * squared_error(0.4, 1.0)
    # Categorical cross-entropy: 1 % on the right class against 40 %.
    assert cross_entropy([0.01, 0.99], [1.0, 0.0]) > 5 * cross_entropy([0.4, 0.6], [1.0, 0.0])


def test_binary_cross_entropy_is_finite_at_probabilities_0_and_1():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        worst = binary_cross_entropy(0.0, 1.0)
        best = binary_cross_entropy(1.0, 1.0)
    assert math.isfinite(worst) and worst == pytest.approx(-math.log(1e-12), rel=1e-6)
    assert best == pytest.approx(0.0, abs=1e-11)


def test_cross_entropy_is_minus_log_of_the_true_class_probability():
    assert cross_entropy([0.2, 0.7, 0.1], [0.0, 1.0, 0.0]) == pytest.approx(-math.log(0.7), abs=1e-12)
    y_hat = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]
    y = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert cross_entropy(y_hat, y) == pytest.approx((-math.log(0.7) - math.log(0.25)) / 2, abs=1e-12)


def test_softmax_cross_entropy_matches_cross_entropy_of_softmax():
    logits = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = np.array([0, 2])
    expected = cross_entropy(probs, one_hot(labels, 3))
    assert softmax_cross_entropy(logits, labels) == pytest.approx(expected, abs=1e-12)
    assert softmax_cross_entropy(logits, one_hot(labels, 3)) == pytest.approx(expected, abs=1e-12)
    # Three equal logits: each class gets 1/3, so the loss is ln 3.
    assert softmax_cross_entropy([0.0, 0.0, 0.0], 1) == pytest.approx(math.log(3), abs=1e-12)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0], [1e4, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right = softmax_cross_entropy(logits[:1], [0])
        wrong = softmax_cross_entropy(logits[:1], [1])
        mixed = softmax_cross_entropy(logits, [0, 1])
        grad = softmax_cross_entropy_gradient(logits, [0, 1])
    # Right with a margin of 10 000: loss e^(−10000) ≈ 0. Wrong by that margin: loss 10 000.
    assert right == 0.0
    assert wrong == pytest.approx(1e4, rel=1e-12)
    assert mixed == pytest.approx(5e3, rel=1e-12)
    np.testing.assert_allclose(grad, [[0.0, 0.0], [0.5, -0.5]], atol=1e-15)


# --- every gradient against centred differences ----------------------------------------------


SHAPES = [(), (1,), (4,), (1, 3), (5, 1), (6, 4)]
CLASS_SHAPES = [(2,), (4,), (1, 3), (6, 4)]  # a class distribution needs at least two classes
CASES = ([(squared_error, squared_error_gradient, "real", s) for s in SHAPES]
         + [(half_squared_error, half_squared_error_gradient, "real", s) for s in SHAPES]
         + [(mse, mse_gradient, "real", s) for s in SHAPES]
         + [(binary_cross_entropy, binary_cross_entropy_gradient, "binary", s) for s in SHAPES]
         + [(cross_entropy, cross_entropy_gradient, "one_hot", s) for s in CLASS_SHAPES])


@pytest.mark.parametrize("loss, gradient, kind, shape", CASES,
                         ids=[f"{c[0].__name__}-{c[3]}" for c in CASES])
def test_every_loss_gradient_matches_a_centred_difference(loss, gradient, kind, shape):
    rng = np.random.default_rng(len(shape) * 10 + sum(shape))
    if kind == "real":
        y_hat, y = rng.normal(size=shape), rng.normal(size=shape)
    elif kind == "binary":
        y_hat, y = rng.uniform(0.05, 0.95, size=shape), rng.integers(0, 2, size=shape).astype(float)
    else:
        y_hat = rng.uniform(0.05, 1.0, size=shape)
        y_hat /= y_hat.sum(axis=-1, keepdims=True)
        labels = rng.integers(0, shape[-1], size=int(np.prod(shape[:-1])))
        y = one_hot(labels, shape[-1]).reshape(shape)
    exact = gradient(y_hat, y)
    assert np.shape(exact) == shape
    numerical = numerical_gradient(lambda p: loss(p, y), y_hat)
    np.testing.assert_allclose(exact, numerical, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("shape", [(3,), (1, 2), (7, 3), (16, 5)])
def test_softmax_cross_entropy_gradient_matches_a_centred_difference(shape):
    rng = np.random.default_rng(shape[-1])
    logits = rng.normal(0.0, 3.0, size=shape)
    labels = rng.integers(0, shape[-1], size=shape[0] if len(shape) == 2 else ())
    exact = softmax_cross_entropy_gradient(logits, labels)
    numerical = numerical_gradient(lambda z: softmax_cross_entropy(z, labels), logits)
    np.testing.assert_allclose(exact, numerical, rtol=1e-6, atol=1e-9)


# --- one_hot and the registry ------------------------------------------------------------------


def test_one_hot_puts_a_single_one_at_each_label():
    np.testing.assert_array_equal(one_hot([0, 2, 1, 2], 3), [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])
    assert one_hot(np.array([1.0]), 2).dtype == np.float64
    assert one_hot([3], 5).shape == (1, 5)


def test_get_loss_finds_every_loss_by_name():
    assert set(LOSSES) == {"squared_error", "half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"}
    assert get_loss("mse").value is mse
    assert get_loss("mse").gradient is mse_gradient
    assert get_loss(LOSSES["cross_entropy"]) is LOSSES["cross_entropy"]
