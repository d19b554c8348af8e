"""Activation functions: their values at points a reader knows, and their slopes."""

import math
import warnings

import numpy as np
import pytest

from helpers.activations import (
    ACTIVATIONS,
    get_activation,
    linear,
    linear_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)

H = 1e-6


def centred_difference(f, z, h=H):
    return (f(z + h) - f(z - h)) / (2 * h)


def random_z(seed, shape=(5, 7)):
    return np.random.default_rng(seed).normal(0.0, 2.0, size=shape)


# --- values at known points --------------------------------------------------------------------


def test_sigmoid_of_zero_is_one_half():
    assert sigmoid(0.0) == 0.5


def test_sigmoid_at_known_points():
    # σ(z) = 1 / (1 + e^(−z)); σ(−z) = 1 − σ(z).
    assert sigmoid(1.0) == pytest.approx(1 / (1 + math.exp(-1)), abs=1e-15)
    assert sigmoid(-0.5) == pytest.approx(0.3775406688, abs=1e-10)
    assert sigmoid(0.15) == pytest.approx(0.5374298453, abs=1e-10)
    z = random_z(0)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-14)


def test_sigmoid_keeps_the_shape_of_z():
    assert sigmoid(np.zeros((3, 4))).shape == (3, 4)
    assert sigmoid([0.0, 1.0]).shape == (2,)


def test_tanh_relu_linear_at_known_points():
    assert tanh(0.0) == 0.0
    assert tanh(1.0) == pytest.approx(0.7615941559557649, abs=1e-15)
    np.testing.assert_array_equal(relu([-2.0, -0.0, 0.0, 3.5]), [0.0, 0.0, 0.0, 3.5])
    np.testing.assert_array_equal(linear([-2.0, 0.0, 3.5]), [-2.0, 0.0, 3.5])
    np.testing.assert_array_equal(relu_derivative([-2.0, 0.0, 3.5]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(linear_derivative([-2.0, 0.0, 3.5]), [1.0, 1.0, 1.0])
    assert tanh_derivative(0.0) == 1.0


def test_linear_returns_a_copy_not_the_same_array():
    z = np.array([1.0, 2.0])
    a = linear(z)
    a[0] = 99.0
    assert z[0] == 1.0


# --- derivatives against centred differences ---------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("seed", range(5))
def test_each_derivative_matches_a_centred_difference(name, seed):
    act = get_activation(name)
    z = random_z(seed)
    if name == "relu":
        # ReLU has a kink at 0, where a centred difference straddles both sides.
        z = np.where(np.abs(z) < 1e-3, 1.0, z)
    numerical = centred_difference(act.f, z)
    np.testing.assert_allclose(act.derivative(z), numerical, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("public, derivative", [
    (sigmoid, sigmoid_derivative), (tanh, tanh_derivative), (relu, relu_derivative), (linear, linear_derivative),
])
def test_public_functions_match_the_registered_activation(public, derivative):
    act = get_activation(public.__name__)
    z = random_z(7)
    np.testing.assert_array_equal(public(z), act.f(z))
    np.testing.assert_array_equal(derivative(z), act.derivative(z))


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    z = random_z(1)
    s = sigmoid(z)
    np.testing.assert_allclose(sigmoid_derivative(z), s * (1 - s), rtol=1e-15)
    # At z = −0.5 (the worked example's first hidden neuron): 0.3775 · 0.6225 = 0.2350.
    assert sigmoid_derivative(-0.5) == pytest.approx(0.2350037122, abs=1e-10)


def test_sigmoid_derivative_is_largest_at_zero_where_it_is_one_quarter():
    z = np.linspace(-10, 10, 2001)  # includes 0 exactly
    slopes = sigmoid_derivative(z)
    assert slopes.max() == 0.25
    assert z[np.argmax(slopes)] == 0.0
    assert np.all(slopes[z != 0] < 0.25)


def test_tanh_derivative_is_one_minus_tanh_squared():
    z = random_z(2)
    np.testing.assert_allclose(tanh_derivative(z), 1 - np.tanh(z) ** 2, rtol=1e-15)
    assert tanh_derivative(np.linspace(-5, 5, 101)).max() == 1.0


# --- extreme inputs ----------------------------------------------------------------------------


def test_sigmoid_is_finite_and_silent_at_huge_z():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = sigmoid(np.array([-1e4, -800.0, 800.0, 1e4]))
        slopes = sigmoid_derivative(np.array([-1e4, 1e4]))
    np.testing.assert_array_equal(a, [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(slopes, [0.0, 0.0])


def test_activation_backward_multiplies_by_the_local_slope():
    rng = np.random.default_rng(3)
    z, upstream = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for name in ("sigmoid", "tanh", "relu", "linear"):
        act = get_activation(name)
        np.testing.assert_allclose(act.backward(z, act.f(z), upstream), upstream * act.derivative(z))


# --- softmax -----------------------------------------------------------------------------------


def test_softmax_rows_are_positive_and_sum_to_one():
    z = random_z(4, shape=(6, 5))
    p = softmax(z)
    assert p.shape == (6, 5)
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=1), np.ones(6), rtol=1e-15)


def test_softmax_of_equal_logits_is_uniform_and_of_known_logits_is_known():
    np.testing.assert_allclose(softmax([2.0, 2.0, 2.0, 2.0]), [0.25] * 4)
    # e^0 : e^(ln 3) = 1 : 3, so the probabilities are 1/4 and 3/4.
    np.testing.assert_allclose(softmax([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-15)


def test_softmax_ignores_a_shift_of_the_logits():
    z = random_z(5, shape=(3, 4))
    np.testing.assert_allclose(softmax(z + 123.0), softmax(z), rtol=1e-12)


def test_softmax_is_stable_for_huge_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(np.array([[1000.0, 1000.0, 0.0], [1e4, 0.0, -1e4]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]], atol=1e-300)


def test_softmax_backward_matches_a_centred_difference():
    # softmax mixes a row's outputs, so dL/dz needs its whole Jacobian: check it on L = Σ g·softmax(z).
    rng = np.random.default_rng(6)
    z, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    act = get_activation("softmax")
    exact = act.backward(z, act.f(z), g)
    numerical = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[idx] += H
        minus[idx] -= H
        numerical[idx] = (np.sum(g * act.f(plus)) - np.sum(g * act.f(minus))) / (2 * H)
    np.testing.assert_allclose(exact, numerical, rtol=1e-6, atol=1e-9)


def test_every_activation_is_registered_by_name():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "linear", "softmax"}
    for name in ACTIVATIONS:
        assert get_activation(name).name == name
    assert get_activation(ACTIVATIONS["tanh"]) is ACTIVATIONS["tanh"]
