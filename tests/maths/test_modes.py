"""helpers.modes, notebook 06's section 6: forward mode against reverse mode, and checkpointing.

Forward mode's gradient must be backprop's and finite differences' for every activation and loss a
Network allows; its counts are exact; memory figures are the arrays' own nbytes; a checkpointed
backward pass gives Network.backward's gradients to the last bit; bad input names its argument.
"""

import numpy as np
import pytest

from helpers import Network, gradient_costs, network_numerical_gradient
from helpers.gradcheck import AGREE, relative_error
from helpers.modes import (checkpointed_gradients, directional_derivative, forward_mode_gradient, forward_mode_jacobian,
                           reverse_mode_gradient, reverse_mode_jacobian, stored_bytes)

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
# Every output activation and loss a Network accepts together.
PAIRS = ([(out, loss) for out in ("sigmoid", "tanh", "relu", "linear", "softmax")
          for loss in ("squared_error", "half_squared_error", "mse")]
         + [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")])


def _random_case(rng, out, loss):
    """A random network (1 to 3 hidden layers of random widths and activations) ending in out/loss, and a batch."""
    depth = int(rng.integers(2, 5))
    sizes = [int(n) for n in rng.integers(1, 6, size=depth)] + [int(rng.integers(2, 5))]
    hidden = [HIDDEN[i] for i in rng.integers(0, len(HIDDEN), size=depth - 1)]
    net = Network(sizes, hidden + [out], loss, seed=int(rng.integers(0, 1000)))
    for l in range(1, depth + 1):    # biases away from 0, so no ReLU sits exactly on its kink
        net.b[l] = rng.normal(0.0, 0.5, size=sizes[l])
    n = int(rng.integers(1, 7))
    X = rng.normal(size=(n, sizes[0]))
    K = sizes[-1]
    if loss == "cross_entropy":
        y = rng.integers(0, K, size=n)
    elif loss == "binary_cross_entropy":
        y = rng.uniform(size=(n, K))
    else:
        y = rng.normal(size=(n, K))
    return net, X, y


@pytest.mark.parametrize("out, loss", PAIRS)
def test_forward_mode_gradient_is_backprops_and_finite_differences_for_every_output_and_loss(out, loss):
    rng = np.random.default_rng(PAIRS.index((out, loss)))
    for _ in range(6):
        net, X, y = _random_case(rng, out, loss)
        forward = forward_mode_gradient(net, X, y).value
        backprop = net.flat_gradients(net.gradients(X, y)[1])
        assert forward.dtype == np.float64
        np.testing.assert_allclose(forward, backprop, rtol=1e-12, atol=1e-15 * max(1.0, np.max(np.abs(backprop))))
        assert relative_error(forward, network_numerical_gradient(net, X, y)) < AGREE


def test_forward_mode_gradient_on_notebook_06s_network_agrees_to_the_last_digits():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 1))
    net = Network([3, 4, 4, 1], seed=0)
    forward = forward_mode_gradient(net, X, y).value
    assert np.max(np.abs(forward - reverse_mode_gradient(net, X, y).value)) < 1e-15
    assert np.max(np.abs(forward - network_numerical_gradient(net, X, y))) < 1e-9


def test_a_directional_derivative_along_a_unit_vector_is_that_parameters_gradient_and_is_linear():
    net, X, y = _random_case(np.random.default_rng(5), "tanh", "half_squared_error")
    gradient = reverse_mode_gradient(net, X, y).value
    P = net.num_parameters
    for i in (0, P // 2, P - 1):
        unit = np.zeros(P)
        unit[i] = 1.0
        assert directional_derivative(net, X, y, unit).value == pytest.approx(gradient[i], rel=1e-12, abs=1e-15)
    v = np.random.default_rng(6).normal(size=P)
    assert directional_derivative(net, X, y, v).value == pytest.approx(gradient @ v, rel=1e-10, abs=1e-14)


def test_forward_mode_costs_exactly_P_times_backprop_and_P_passes():
    # A tangent pass does the forward pass's products once more for dW·a, and W·da at every layer
    # above the first: exactly the backward pass's products. So each of the P passes costs forward + backward.
    for sizes in ([2, 3, 1], [3, 4, 4, 1], [5, 7, 2, 3]):
        net = Network(sizes, seed=0)
        X, y = np.ones((4, sizes[0])), np.zeros((4, sizes[-1]))
        run = forward_mode_gradient(net, X, y)
        costs = gradient_costs(net, n_samples=4)
        assert (run.forward_passes, run.backward_passes) == (net.num_parameters, 0)
        assert run.multiply_adds == net.num_parameters * costs["backprop"]
        reverse = reverse_mode_gradient(net, X, y)
        assert (reverse.forward_passes, reverse.backward_passes, reverse.multiply_adds) == (1, 1, costs["backprop"])


def test_the_2_3_1_network_on_one_sample_counts_by_hand():
    # Forward 2·3 + 3·1 = 9; one tangent pass: dW·a 9 more, W·da above layer 1 3 more: 21 per pass; 13 parameters.
    net = Network([2, 3, 1], seed=0)
    run = forward_mode_gradient(net, [[0.5, -1.0]], [[0.2]])
    assert run.multiply_adds == 13 * 21
    assert directional_derivative(net, [[0.5, -1.0]], [[0.2]], np.ones(13)).multiply_adds == 21


@pytest.mark.parametrize("out", ("sigmoid", "tanh", "relu", "linear", "softmax"))
def test_the_jacobian_for_one_input_is_one_forward_pass_or_K_backward_passes_with_the_same_numbers(out):
    rng = np.random.default_rng(11)
    for K in (2, 3, 7):
        net = Network([4, 6, 5, K], ["tanh", "sigmoid", out], seed=int(rng.integers(100)))
        X = rng.normal(size=(3, 4))
        forward, reverse = forward_mode_jacobian(net, X, 2), reverse_mode_jacobian(net, X, 2)
        assert forward.value.shape == reverse.value.shape == (3, K)
        np.testing.assert_allclose(forward.value, reverse.value, rtol=1e-12, atol=1e-15)
        eps = 1e-6
        up, down = X.copy(), X.copy()
        up[:, 2] += eps
        down[:, 2] -= eps
        nudged = (net.predict(up) - net.predict(down)) / (2 * eps)
        assert relative_error(forward.value, nudged) < AGREE
        # F = N Σ n_in·n_out; forward mode: one pass, F for the values and F for W·da; reverse: F, then F per output.
        F = 3 * (4 * 6 + 6 * 5 + 5 * K)
        assert (forward.forward_passes, forward.backward_passes, forward.multiply_adds) == (1, 0, 2 * F)
        assert (reverse.forward_passes, reverse.backward_passes, reverse.multiply_adds) == (1, K, F + K * F)


def test_stored_bytes_are_the_nbytes_of_every_z_and_a_and_grow_16_bytes_per_sample_and_neuron_of_a_layer():
    net = Network([3, 4, 4, 1], seed=0)
    fp = net.forward(np.zeros((5, 3)))
    assert stored_bytes(fp) == sum(v.nbytes for v in fp.z.values()) + sum(v.nbytes for v in fp.a.values())
    assert stored_bytes(fp) == 8 * 5 * (3 + 2 * (4 + 4 + 1))
    shallow = stored_bytes(Network([8] + [64] * 3 + [1]).forward(np.zeros((32, 8))))
    deeper = stored_bytes(Network([8] + [64] * 4 + [1]).forward(np.zeros((32, 8))))
    assert deeper - shallow == 2 * 32 * 64 * 8           # one more layer: its z and a, 8 bytes a number
    double = stored_bytes(Network([8] + [64] * 3 + [1]).forward(np.zeros((64, 8))))
    assert double == 2 * shallow


def _deep(depth, width=32, seed=0):
    net = Network([8] + [width] * (depth - 1) + [1], ["tanh"] * (depth - 1) + ["linear"], seed=seed)
    rng = np.random.default_rng(seed)
    return net, rng.normal(size=(16, 8)), rng.normal(size=(16, 1))


@pytest.mark.parametrize("depth", (1, 2, 5, 16, 36))
def test_checkpointed_gradients_are_network_backwards_to_the_last_bit_for_every_spacing(depth):
    net, X, y = _deep(depth)
    loss, grads = net.gradients(X, y)
    for every in sorted({1, 2, 3, max(1, round(depth ** 0.5)), depth}):
        if every > depth:
            continue
        got_loss, got, _ = checkpointed_gradients(net, X, y, every)
        assert got_loss == loss
        for l in range(1, depth + 1):
            assert np.array_equal(got.dL_dW[l], grads.dL_dW[l]), (every, l)
            assert np.array_equal(got.dL_db[l], grads.dL_db[l]), (every, l)
            assert np.array_equal(got.delta[l], grads.delta[l]), (every, l)


@pytest.mark.parametrize("out, loss", [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
                                       ("relu", "mse"), ("softmax", "squared_error")])
def test_checkpointing_gives_the_same_gradients_with_every_kind_of_output(out, loss):
    rng = np.random.default_rng(3)
    net, X, y = _random_case(rng, out, loss)
    _, grads = net.gradients(X, y)
    for every in range(1, net.depth + 1):
        _, got, _ = checkpointed_gradients(net, X, y, every)
        assert all(np.array_equal(got.dL_dW[l], grads.dL_dW[l]) and np.array_equal(got.dL_db[l], grads.dL_db[l])
                   for l in range(1, net.depth + 1))


def test_keeping_every_layer_holds_exactly_what_a_forward_pass_holds_and_rebuilds_nothing():
    net, X, y = _deep(16)
    _, _, cost = checkpointed_gradients(net, X, y, 1)
    assert cost.kept_layers == list(range(17))
    assert cost.peak_bytes == cost.store_all_bytes == stored_bytes(net.forward(X))
    assert cost.extra_multiply_adds == 0
    assert cost.forward_multiply_adds == gradient_costs(net, 16)["forward"]


def test_checkpoints_every_sqrt_D_layers_hold_about_2_sqrt_D_layers_and_rebuild_about_one_forward_pass():
    net, X, y = _deep(16)
    _, _, cost = checkpointed_gradients(net, X, y, 4)
    assert cost.kept_layers == [0, 4, 8, 12, 16]
    layer = 2 * 16 * 32 * 8                              # one hidden layer's z and a
    ends = X.nbytes + 2 * 16 * 1 * 8                     # the input, and the output's z and a
    # kept: hidden layers 4, 8, 12; rebuilt at once: the 3 layers of one segment
    assert cost.peak_bytes == ends + (3 + 3) * layer
    assert cost.store_all_bytes == ends + 15 * layer
    # rebuilt: layers 1-3, 5-7, 9-11 and 13-15, twelve of the sixteen products
    assert cost.extra_multiply_adds == 16 * (8 * 32 + 11 * 32 * 32)
    assert 0.75 < cost.extra_multiply_adds / cost.forward_multiply_adds < 1


def test_one_checkpoint_for_the_whole_network_saves_nothing_and_rebuilds_all_but_the_output():
    net, X, y = _deep(16)
    _, _, cost = checkpointed_gradients(net, X, y, 16)
    assert cost.kept_layers == [0, 16]
    assert cost.peak_bytes == cost.store_all_bytes
    assert cost.extra_multiply_adds == cost.forward_multiply_adds - 16 * 32 * 1


def test_the_peak_is_smallest_near_every_sqrt_D():
    net, X, y = _deep(36)
    peaks = {every: checkpointed_gradients(net, X, y, every)[2].peak_bytes for every in range(1, 37)}
    assert min(peaks, key=peaks.get) == 6


# --- bad input names its argument ---------------------------------------------------------------------


def _small():
    return Network([2, 3, 2], seed=0), np.ones((4, 2)), np.zeros((4, 2))


@pytest.mark.parametrize("call", [
    lambda net, X, y: forward_mode_gradient("net", X, y),
    lambda net, X, y: reverse_mode_gradient(None, X, y),
    lambda net, X, y: forward_mode_jacobian([2, 3], X, 0),
    lambda net, X, y: reverse_mode_jacobian({}, X, 0),
    lambda net, X, y: directional_derivative(3, X, y, np.ones(17)),
    lambda net, X, y: checkpointed_gradients("net", X, y, 1),
])
def test_something_that_is_not_a_network_is_refused_by_name(call):
    with pytest.raises(TypeError, match="net must be a helpers Network"):
        call(*_small())


@pytest.mark.parametrize("call, error, words", [
    (lambda net, X, y: forward_mode_gradient(net, np.ones((4, 3)), y), ValueError, "X has 3 features"),
    (lambda net, X, y: forward_mode_gradient(net, X, np.zeros((3, 2))), ValueError, "y has shape"),
    (lambda net, X, y: forward_mode_jacobian(net, "x", 0), TypeError, "X must be"),
    (lambda net, X, y: forward_mode_jacobian(net, X, 2), ValueError, "feature must be an input feature's index, 0 to 1"),
    (lambda net, X, y: reverse_mode_jacobian(net, X, -1), ValueError, "feature must be"),
    (lambda net, X, y: reverse_mode_jacobian(net, X, 0.5), TypeError, "feature must be the whole-number index"),
    (lambda net, X, y: forward_mode_jacobian(net, X, True), TypeError, "feature must be"),
    (lambda net, X, y: directional_derivative(net, X, y, np.ones(5)), ValueError, "direction has 5 values"),
    (lambda net, X, y: directional_derivative(net, X, y, np.ones((17, 1))), ValueError, "direction must be a 1-D"),
    (lambda net, X, y: directional_derivative(net, X, y, [np.nan] * 17), ValueError, "direction contains NaN"),
    (lambda net, X, y: checkpointed_gradients(net, X, y, 0), ValueError, "every must be at least 1"),
    (lambda net, X, y: checkpointed_gradients(net, X, y, 3), ValueError, "every must be at most 2"),
    (lambda net, X, y: checkpointed_gradients(net, X, y, 1.5), TypeError, "every must be a whole number"),
    (lambda net, X, y: stored_bytes({"a": 1}), TypeError, "fp must be a ForwardPass"),
])
def test_bad_input_gets_an_error_that_names_the_argument(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(")):
        call(*_small())


def test_the_functions_name_notebook_06_in_their_docstrings():
    from helpers import modes
    for name in ("directional_derivative", "forward_mode_gradient", "reverse_mode_gradient", "forward_mode_jacobian",
                 "reverse_mode_jacobian", "stored_bytes", "checkpointed_gradients"):
        assert "notebook 06" in getattr(modes, name).__doc__, name
