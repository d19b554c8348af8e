"""The general Network: its shapes, its forward pass in numbers, and its bookkeeping."""

import math
import warnings

import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.losses import binary_cross_entropy, cross_entropy, one_hot, squared_error
from helpers.network import ForwardPass, Gradients, Network


def test_weights_have_one_row_per_neuron_and_one_column_per_input():
    # The 3-input network with two hidden layers of 4 and one output.
    net = Network([3, 4, 4, 1])
    assert net.depth == 3
    assert {l: net.W[l].shape for l in net.W} == {1: (4, 3), 2: (4, 4), 3: (1, 4)}
    assert {l: net.b[l].shape for l in net.b} == {1: (4,), 2: (4,), 3: (1,)}
    assert net.num_parameters == 12 + 4 + 16 + 4 + 4 + 1


def test_forward_pass_keeps_every_z_and_a_with_samples_as_rows():
    net = Network([3, 4, 2], ["relu", "sigmoid"], seed=1)
    X = np.arange(15.0).reshape(5, 3)
    fp = net.forward(X)
    assert isinstance(fp, ForwardPass)
    assert sorted(fp.a) == [0, 1, 2] and sorted(fp.z) == [1, 2]
    np.testing.assert_array_equal(fp.a[0], X)
    assert fp.z[1].shape == (5, 4) and fp.a[2].shape == (5, 2)
    assert fp.y_hat is fp.a[2]
    for l in (1, 2):
        np.testing.assert_allclose(fp.z[l], fp.a[l - 1] @ net.W[l].T + net.b[l])
    np.testing.assert_array_equal(fp.a[1], np.maximum(fp.z[1], 0.0))
    np.testing.assert_allclose(fp.a[2], 1 / (1 + np.exp(-fp.z[2])))


def test_one_neuron_by_hand():
    # z = 1·2 + (−1)·1 + 0.5 = 1.5 and a = σ(1.5) ≈ 0.8176.
    net = Network.from_weights([[[1.0, -1.0]]], [[0.5]], activations="sigmoid")
    fp = net.forward([2.0, 1.0])
    assert fp.z[1][0, 0] == 1.5
    assert fp.y_hat[0, 0] == pytest.approx(0.8175744762, abs=1e-10)
    assert net.predict([2.0, 1.0]).shape == (1,)
    assert net.predict([[2.0, 1.0], [0.0, 0.0]]).shape == (2, 1)
    assert net.predict([[0.0, 0.0]])[0, 0] == pytest.approx(sigmoid(0.5), abs=1e-15)


def test_two_layer_forward_pass_by_hand():
    # Hidden: z = (1, −1), ReLU gives (1, 0); output: 2·1 + 3·0 − 1 = 1, linear.
    W = [np.array([[1.0, 0.0], [0.0, -1.0]]), np.array([[2.0, 3.0]])]
    b = [np.zeros(2), np.array([-1.0])]
    net = Network.from_weights(W, b, ["relu", "linear"], "squared_error")
    fp = net.forward([[1.0, 1.0]])
    np.testing.assert_array_equal(fp.a[1], [[1.0, 0.0]])
    assert fp.y_hat[0, 0] == 1.0
    # Loss against y = 3: (1 − 3)² = 4.
    assert net.loss_value([[1.0, 1.0]], [3.0]) == 4.0


def test_the_same_seed_gives_the_same_network_and_another_seed_does_not():
    a, b, c = Network([2, 5, 3], seed=4), Network([2, 5, 3], seed=4), Network([2, 5, 3], seed=5)
    np.testing.assert_array_equal(a.parameters(), b.parameters())
    assert not np.allclose(a.parameters(), c.parameters())


def test_starting_weights_scale_as_one_over_root_of_the_inputs():
    net = Network([400, 300, 1], seed=0)
    assert net.W[1].std() == pytest.approx(1 / 20, rel=0.02)
    assert net.W[2].std() == pytest.approx(1 / math.sqrt(300), rel=0.15)
    assert np.all(net.b[1] == 0.0)
    wide = Network([400, 300, 1], seed=0, weight_scale=2.0)
    assert wide.W[1].std() == pytest.approx(2.0, rel=0.02)


def test_one_activation_name_applies_to_every_layer():
    net = Network([2, 3, 3, 1], "tanh")
    assert [net.activations[l].name for l in (1, 2, 3)] == ["tanh", "tanh", "tanh"]
    assert repr(net) == "Network(sizes=[2, 3, 3, 1], activations=[tanh, tanh, tanh], loss='half_squared_error')"


def test_loss_value_uses_the_named_loss():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    net = Network([2, 3, 2], ["tanh", "linear"], "squared_error", seed=2)
    assert net.loss_value(X, y) == pytest.approx(squared_error(net.predict(X), y), rel=1e-15)


def test_binary_cross_entropy_network_matches_the_plain_formula_and_stays_finite_when_saturated():
    net = Network([1, 1], "sigmoid", "binary_cross_entropy")
    net.set_weights([[[1.0]]], [[0.0]])
    X = np.array([[0.3], [-1.2]])
    y = np.array([1.0, 0.0])
    assert net.loss_value(X, y) == pytest.approx(binary_cross_entropy(net.predict(X), y[:, None]), rel=1e-12)
    # With z = ±50, σ(z) rounds to exactly 1 or 0; the loss must still be the exact log(1 + e^50) ≈ 50.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wrong = net.loss_value([[50.0]], [0.0])
        right = net.loss_value([[50.0]], [1.0])
    assert wrong == pytest.approx(50.0, rel=1e-12)
    assert right == pytest.approx(math.exp(-50), rel=1e-6)


def test_cross_entropy_network_takes_integer_labels_or_one_hot_rows():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    labels = np.array([0, 2, 1, 1, 0])
    net = Network([3, 4, 3], ["tanh", "softmax"], "cross_entropy", seed=3)
    from_labels = net.loss_value(X, labels)
    assert from_labels == pytest.approx(net.loss_value(X, one_hot(labels, 3)), rel=1e-15)
    assert from_labels == pytest.approx(cross_entropy(net.predict(X), one_hot(labels, 3)), rel=1e-12)
    np.testing.assert_allclose(net.predict(X).sum(axis=1), np.ones(5))


def test_one_output_accepts_targets_as_a_flat_vector_or_a_column():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(4, 2)), rng.normal(size=4)
    net = Network([2, 3, 1], ["sigmoid", "linear"], "mse", seed=0)
    assert net.loss_value(X, y) == net.loss_value(X, y[:, None])


def test_gradients_returns_the_loss_and_arrays_shaped_like_the_parameters():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    net = Network([3, 5, 4, 2], ["relu", "tanh", "linear"], "half_squared_error", seed=1)
    loss, grads = net.gradients(X, y)
    assert isinstance(grads, Gradients)
    assert loss == net.loss_value(X, y)
    for l in (1, 2, 3):
        assert grads.dL_dW[l].shape == net.W[l].shape
        assert grads.dL_db[l].shape == net.b[l].shape
        assert grads.delta[l].shape == (7, net.sizes[l])
    # backward on a stored forward pass gives the same gradients.
    again = net.backward(net.forward(X), y)
    for l in (1, 2, 3):
        np.testing.assert_array_equal(again.dL_dW[l], grads.dL_dW[l])


def test_bias_gradient_is_the_sum_of_delta_over_samples_and_weight_gradient_is_delta_times_inputs():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    net = Network([2, 3, 1], ["sigmoid", "linear"], "squared_error", seed=2)
    fp = net.forward(X)
    grads = net.backward(fp, y)
    for l in (1, 2):
        np.testing.assert_allclose(grads.dL_db[l], grads.delta[l].sum(axis=0))
        np.testing.assert_allclose(grads.dL_dW[l], grads.delta[l].T @ fp.a[l - 1])
    # Output layer, linear, squared error: δ = 2(ŷ − y) / N.
    np.testing.assert_allclose(grads.delta[2], 2 * (fp.y_hat - y) / 6)


def test_step_moves_every_weight_against_its_gradient():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    net = Network([2, 3, 1], ["tanh", "linear"], "squared_error", seed=3)
    before = net.parameters()
    loss, grads = net.gradients(X, y)
    net.step(grads, 0.1)
    np.testing.assert_allclose(net.parameters(), before - 0.1 * net.flat_gradients(grads))
    assert net.loss_value(X, y) < loss


def test_parameters_round_trip_in_the_order_w1_b1_w2_b2():
    net = Network([2, 3, 1], seed=0)
    theta = np.arange(net.num_parameters, dtype=float)
    net.set_parameters(theta)
    np.testing.assert_array_equal(net.W[1], np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(net.b[1], [6.0, 7.0, 8.0])
    np.testing.assert_array_equal(net.W[2], [[9.0, 10.0, 11.0]])
    np.testing.assert_array_equal(net.b[2], [12.0])
    np.testing.assert_array_equal(net.parameters(), theta)
    theta[0] = -1.0  # the network keeps its own copy
    assert net.W[1][0, 0] == 0.0


def test_copy_is_independent_of_the_original():
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    net = Network([2, 3, 1], seed=0)
    before = net.parameters()
    twin = net.copy()
    twin.step(twin.gradients(X, y)[1], 1.0)
    np.testing.assert_array_equal(net.parameters(), before)
    assert not np.array_equal(twin.parameters(), before)
    assert twin.sizes == net.sizes and twin.loss is net.loss
    # Even an edit made in place, inside one array, stays in the copy.
    fresh = net.copy()
    fresh.W[1][0, 0] += 5.0
    fresh.b[2][0] += 5.0
    np.testing.assert_array_equal(net.parameters(), before)


def test_from_weights_infers_the_sizes_and_copies_the_arrays():
    W1, W2 = np.ones((4, 3)), np.ones((2, 4))
    net = Network.from_weights([W1, W2], [np.zeros(4), np.zeros(2)], ["relu", "softmax"], "cross_entropy")
    assert net.sizes == [3, 4, 2]
    W1[0, 0] = 99.0
    assert net.W[1][0, 0] == 1.0


def test_from_weights_and_set_weights_accept_dicts_keyed_by_layer():
    W = {1: np.ones((2, 2)), 2: np.full((1, 2), 2.0)}
    b = {1: np.zeros(2), 2: np.zeros(1)}
    net = Network.from_weights(W, b)
    assert net.sizes == [2, 2, 1]
    # Dicts are read by layer number, not by the order their keys were inserted.
    net.set_weights({2: np.full((1, 2), 3.0), 1: np.full((2, 2), 4.0)}, {2: np.ones(1), 1: np.ones(2)})
    assert net.W[1][0, 0] == 4.0 and net.W[2][0, 0] == 3.0
    reversed_net = Network.from_weights({2: np.ones((1, 3)), 1: np.ones((3, 2))}, {2: np.zeros(1), 1: np.zeros(3)})
    assert reversed_net.sizes == [2, 3, 1]


@pytest.mark.parametrize("loss", ["squared_error", "half_squared_error", "mse"])
def test_a_squared_loss_inside_the_network_is_the_float_losses_py_gives(loss):
    # Network._loss_value computes the squared losses without checking its own arrays again; the
    # float must be exactly the one helpers.losses returns, and an overflow must still be refused by it.
    from helpers import losses

    rng = np.random.default_rng(3)
    for sizes, n, scale in [([3, 4, 1], 1, 1.0), ([2, 5, 3], 37, 1.0), ([4, 6, 2], 300, 1e-3), ([2, 3, 2], 8, 1e5)]:
        net = Network(sizes, ["tanh", "linear"], loss, seed=n)
        X, y = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1])) * scale
        fp = net.forward(X)
        expected = getattr(losses, loss)(fp.y_hat, y)
        got = net._loss_value(fp, net.check_targets(y, n))
        assert type(got) is float and np.float64(got).tobytes() == np.float64(expected).tobytes()
    huge = Network.from_weights([[[1e155]]], [[0.0]], "linear", loss)
    with pytest.raises(ValueError, match="too large for a floating-point number"):
        huge._loss_value(huge.forward([[1.0]]), np.zeros((1, 1)))
