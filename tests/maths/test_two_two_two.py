"""The 2-2-2 worked example of notebook 06's fork section, and the count of paths against edges.

x = (0.5, 0.8), y = (1, 0), W_hidden = ((0.4, −0.1), (0.5, −0.2)), b_hidden = (−0.9, 0.5),
W_out = ((0.9, −0.8), (0.6, 0.3)), b_out = (−0.3, −0.8), loss ½ Σ (ŷ − y)², η = 0.5:
    z_h = (−0.78, 0.59)     h = (0.3143, 0.6434)
    z_o = (−0.5318, −0.4184)  ŷ = (0.3701, 0.3969)    L = 0.2772
"""

import numpy as np
import pytest

from helpers import losses
from helpers.gradcheck import AGREE, numerical_derivative, relative_error
from helpers.network import Network
from helpers.two_two_two import (
    FORK_ETA, FORK_INPUTS, FORK_TARGETS, TwoTwoTwo, backward_pass_edge_visits, chain_sizes, count_paths_to_loss,
    enumerate_paths_to_loss, fork_backward, gradient_by_enumerating_paths, paths_by_formula,
)


@pytest.fixture
def p():
    return TwoTwoTwo().run()


def _random_net(rng):
    return TwoTwoTwo(rng.normal(0, 1.5, (2, 2)), rng.normal(0, 1, 2), rng.normal(0, 1.5, (2, 2)), rng.normal(0, 1, 2))


# ---- The worked example, number by number ----

def test_the_defaults_are_the_worked_example():
    net = TwoTwoTwo()
    assert FORK_INPUTS == (0.5, 0.8) and FORK_TARGETS == (1.0, 0.0) and FORK_ETA == 0.5
    assert net.W_hidden.tolist() == [[0.4, -0.1], [0.5, -0.2]] and net.b_hidden.tolist() == [-0.9, 0.5]
    assert net.W_out.tolist() == [[0.9, -0.8], [0.6, 0.3]] and net.b_out.tolist() == [-0.3, -0.8]


def test_the_forward_pass_by_hand(p):
    assert p.z_hidden == pytest.approx([0.4 * 0.5 - 0.1 * 0.8 - 0.9, 0.5 * 0.5 - 0.2 * 0.8 + 0.5], abs=1e-15)
    assert p.z_hidden == pytest.approx([-0.78, 0.59], abs=1e-15)
    assert np.round(p.h, 4).tolist() == [0.3143, 0.6434]
    assert np.round(p.z_out, 4).tolist() == [-0.5318, -0.4184]
    assert np.round(p.y_hat, 4).tolist() == [0.3701, 0.3969]
    assert round(p.loss, 4) == 0.2772


def test_the_loss_is_half_squared_error_summed_over_the_two_outputs(p):
    assert p.loss == pytest.approx(0.5 * ((p.y_hat[0] - 1.0) ** 2 + (p.y_hat[1] - 0.0) ** 2), rel=1e-15)
    assert p.loss == pytest.approx(losses.half_squared_error(p.y_hat[None, :], np.array([FORK_TARGETS])), rel=1e-15)


def test_each_output_delta_is_dL_dy_hat_times_the_sigmoid_slope(p):
    assert np.array_equal(p.dL_dy_hat, p.y_hat - p.y)            # the ½ cancels the 2
    assert np.array_equal(p.delta_out, (p.y_hat - p.y) * (p.y_hat * (1 - p.y_hat)))
    assert np.round(p.delta_out, 4).tolist() == [-0.1468, 0.0950]


def test_h1_receives_two_shares_of_opposite_sign_and_they_add(p):
    assert p.shares[0, 0] == p.delta_out[0] * 0.9 and p.shares[1, 0] == p.delta_out[1] * 0.6
    assert np.round(p.shares[:, 0], 4).tolist() == [-0.1322, 0.0570]
    assert p.dL_dh[0] == p.shares[0, 0] + p.shares[1, 0]
    assert round(p.dL_dh[0], 4) == -0.0752


def test_h2_receives_two_shares_of_the_same_sign_and_they_add(p):
    assert np.round(p.shares[:, 1], 4).tolist() == [0.1175, 0.0285]
    assert round(p.dL_dh[1], 4) == 0.1460


def test_the_sum_of_the_shares_is_what_nudging_h_measures_and_one_share_is_not(p):
    net = TwoTwoTwo()
    for j in range(2):
        def loss_at(value, j=j):
            h = np.array(p.h)
            h[j] = value
            return net.loss_given_hidden(h)

        nudged = numerical_derivative(loss_at, float(p.h[j]))
        assert relative_error(p.dL_dh[j], nudged) < AGREE
        for share in p.shares[:, j]:
            assert relative_error(share, nudged) > 0.1


def test_hidden_delta_and_every_gradient_is_delta_times_its_input(p):
    assert np.array_equal(p.delta_hidden, p.dL_dh * (p.h * (1 - p.h)))
    assert np.array_equal(p.dL_dW_out, np.outer(p.delta_out, p.h))
    assert np.array_equal(p.dL_dW_hidden, np.outer(p.delta_hidden, p.x))
    assert np.array_equal(p.dL_db_out, p.delta_out) and np.array_equal(p.dL_db_hidden, p.delta_hidden)
    assert round(p.dh_dz_hidden[0], 4) == 0.2155
    assert round(p.dL_dW_hidden[0, 1], 5) == -0.01296        # ∂L/∂w(h1←x2)


def test_every_gradient_of_the_example_agrees_with_centred_differences_in_float64():
    rows = TwoTwoTwo().nudge_check()
    assert len(rows) == 12
    assert max(error for *_, error in rows) < AGREE


def test_every_gradient_agrees_with_centred_differences_on_many_random_networks():
    rng = np.random.default_rng(2222)
    worst = 0.0
    for _ in range(40):
        net = _random_net(rng)
        x, y = rng.normal(0, 1, 2), rng.uniform(0, 1, 2)
        worst = max(worst, max(error for *_, error in net.nudge_check(x, y)))
    assert worst < 1e-6


def test_the_gradients_are_those_of_the_general_network():
    rng = np.random.default_rng(7)
    for net in [TwoTwoTwo()] + [_random_net(rng) for _ in range(10)]:
        x, y = rng.normal(0, 1, 2), rng.uniform(0, 1, 2)
        general = net.as_network()
        loss, grads = general.gradients(x[None, :], y[None, :])
        mine = net.run(x, y)
        assert loss == pytest.approx(mine.loss, rel=1e-12)
        np.testing.assert_allclose(grads.dL_dW[1], mine.dL_dW_hidden, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads.dL_db[1], mine.dL_db_hidden, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads.dL_dW[2], mine.dL_dW_out, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads.dL_db[2], mine.dL_db_out, rtol=1e-12, atol=1e-15)


def test_fork_backward_from_the_forward_values_gives_the_same_numbers(p):
    back = fork_backward(p.x, p.h, p.y_hat, p.y, TwoTwoTwo().W_out)
    for name in ("delta_out", "shares", "dL_dh", "delta_hidden", "dL_dW_hidden", "dL_db_hidden", "dL_dW_out",
                 "dL_db_out"):
        np.testing.assert_array_equal(back[name], getattr(p, name))


def test_one_update_with_eta_0_5_lowers_the_loss_from_0_2772_to_0_2531():
    net = TwoTwoTwo()
    grads = net.gradients()
    new = net.step(0.5)
    for name in ("W_hidden", "b_hidden", "W_out", "b_out"):
        np.testing.assert_array_equal(getattr(new, name), getattr(net, name) - 0.5 * grads[name])
    assert round(net.loss(), 4) == 0.2772 and round(new.loss(), 4) == 0.2531
    assert np.round(new.run().y_hat, 4).tolist() == [0.3984, 0.3798]      # ŷ1 rises towards 1, ŷ2 falls towards 0
    assert net == TwoTwoTwo() and net.step() == new                        # step returns a new network


def test_the_numbers_the_fork_section_quotes(p):
    assert round(p.shares[0, 1] / p.dL_dh[1], 2) == 0.80              # the share from o1 alone: 80% of h2's sum
    assert round(p.shares[0, 0] / p.dL_dh[0], 2) == 1.76              # one share alone: 1.76 times h1's blame
    assert (round(p.h[0], 4), round(p.dh_dz_hidden[0], 4)) == (0.3143, 0.2155)
    assert round(-0.0752 * 0.2155 * 0.8, 5) == round(p.dL_dW_hidden[0, 1], 5) == -0.01296
    assert p.shares[0, 0] < 0 < p.shares[1, 0] and p.shares[0, 1] > 0 and p.shares[1, 1] > 0
    assert np.all(TwoTwoTwo().W_out[:, 0] > 0)                          # raising h1 raises both outputs
    assert abs(p.shares[0, 0]) > abs(p.shares[1, 0])                    # o1's pull on h1 is the stronger


def test_the_arrays_cannot_be_changed_behind_the_networks_back(p):
    net = TwoTwoTwo()
    with pytest.raises(ValueError):
        net.W_out[0, 0] = 5.0
    with pytest.raises(ValueError):
        p.dL_dh[0] = 0.0


# ---- Bad input gets a clear error that names the argument ----

@pytest.mark.parametrize("kwargs, words", [
    ({"W_out": [0.9, 0.6]}, "W_out must have shape (2, 2)"),
    ({"W_hidden": [[0.4, -0.1, 0.2], [0.5, -0.2, 0.1]]}, "W_hidden must have shape (2, 2)"),
    ({"b_hidden": [0.1, 0.2, 0.3]}, "b_hidden must hold 2"),
    ({"b_out": "0.1 0.2"}, "b_out must be a number or an array"),
    ({"W_out": [[np.nan, 1.0], [0.0, 1.0]]}, "W_out contains NaN"),
])
def test_bad_parameters_are_refused_with_their_name(kwargs, words):
    with pytest.raises((ValueError, TypeError)) as info:
        TwoTwoTwo(**kwargs)
    assert words in str(info.value)


def test_bad_samples_and_learning_rates_are_refused_with_their_name():
    net = TwoTwoTwo()
    with pytest.raises(ValueError, match="x must hold 2 inputs"):
        net.run([0.5, 0.8, 0.1])
    with pytest.raises(ValueError, match="y must hold 2 targets"):
        net.run(FORK_INPUTS, [1.0])
    with pytest.raises(ValueError, match="eta"):
        net.step(-0.5)
    with pytest.raises(ValueError, match="h must hold 2 hidden activations"):
        net.loss_given_hidden([0.3])
    with pytest.raises(ValueError, match="W_out must have shape"):
        fork_backward([0.5, 0.8], [0.3, 0.6], [0.4, 0.4], [1.0, 0.0], [[0.9, 0.6]])


# ---- Why backprop: the paths double with every layer, the backward pass visits each edge once ----

def test_a_first_layer_weight_has_one_path_in_2_2_1_and_twice_as_many_with_every_layer_added():
    counts = [count_paths_to_loss(chain_sizes(hidden)) for hidden in range(1, 9)]
    assert counts == [1, 2, 4, 8, 16, 32, 64, 128]
    assert all(b == 2 * a for a, b in zip(counts, counts[1:]))


def test_walking_the_paths_agrees_with_the_product_of_the_layer_sizes_above():
    for sizes in ([2, 2, 1], [2, 2, 2], [3, 4, 1], [2, 3, 4, 2], [1, 5, 5, 5, 3], [2, 2, 2, 2, 2, 2, 1]):
        for layer in range(1, len(sizes)):
            for neuron in range(sizes[layer]):
                paths = enumerate_paths_to_loss(sizes, layer, neuron)
                assert len(paths) == len(set(paths)) == paths_by_formula(sizes, layer), (sizes, layer)
                assert all(path[0] == neuron and len(path) == len(sizes) - layer for path in paths)


def test_in_the_2_2_2_network_h1_reaches_the_loss_along_two_paths():
    assert enumerate_paths_to_loss([2, 2, 2], 1, 0) == [(0, 0), (0, 1)]     # through o1, through o2
    fork, p = TwoTwoTwo(), TwoTwoTwo().run()
    by_paths, n_paths = gradient_by_enumerating_paths([fork.W_hidden, fork.W_out], [fork.b_hidden, fork.b_out],
                                                      FORK_INPUTS, FORK_TARGETS, 0, 1)
    assert n_paths == 2 and f"{by_paths:+.6f}" == f"{p.dL_dW_hidden[0, 1]:+.6f}" == "-0.012959"


def test_one_backward_pass_visits_every_edge_exactly_once_and_gets_the_gradients_right():
    rng = np.random.default_rng(3)
    for hidden in range(1, 6):
        sizes = chain_sizes(hidden)
        W = [rng.normal(0, 1, (sizes[l], sizes[l - 1])) for l in range(1, len(sizes))]
        b = [rng.normal(0, 1, sizes[l]) for l in range(1, len(sizes))]
        x, y = rng.normal(0, 1, 2), rng.uniform(0, 1, 1)
        dL_dW, dL_db, visits = backward_pass_edge_visits(W, b, x, y)
        assert len(visits) == sum(w.size for w in W) and set(visits.values()) == {1}
        net = Network.from_weights(W, b, activations="sigmoid", loss="half_squared_error")
        _, grads = net.gradients(x[None, :], y[None, :])
        for l in range(1, len(sizes)):
            np.testing.assert_allclose(dL_dW[l - 1], grads.dL_dW[l], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(dL_db[l - 1], grads.dL_db[l], rtol=1e-12, atol=1e-15)


def test_adding_up_every_paths_product_gives_the_backprop_gradient():
    rng = np.random.default_rng(4)
    for hidden in range(1, 6):
        sizes = chain_sizes(hidden)
        W = [rng.normal(0, 1, (sizes[l], sizes[l - 1])) for l in range(1, len(sizes))]
        b = [rng.normal(0, 1, sizes[l]) for l in range(1, len(sizes))]
        x, y = rng.normal(0, 1, 2), rng.uniform(0, 1, 1)
        dL_dW, _, _ = backward_pass_edge_visits(W, b, x, y)
        for j in range(2):
            for i in range(2):
                by_paths, n_paths = gradient_by_enumerating_paths(W, b, x, y, j, i)
                assert n_paths == 2 ** (hidden - 1)
                assert by_paths == pytest.approx(dL_dW[0][j, i], rel=1e-10, abs=1e-15)


def test_bad_sizes_layers_and_neurons_are_refused():
    with pytest.raises(ValueError, match="sizes must list at least two"):
        enumerate_paths_to_loss([2])
    with pytest.raises(ValueError, match="layer must be 1 to 2"):
        enumerate_paths_to_loss([2, 2, 1], layer=3)
    with pytest.raises(ValueError, match="neuron must be 0 to 1"):
        enumerate_paths_to_loss([2, 2, 1], neuron=2)
    with pytest.raises(TypeError, match="hidden_layers must be a whole number"):
        chain_sizes(1.5)


def test_a_chain_whose_shapes_do_not_fit_is_refused_by_name():
    W, b = [np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)]
    with pytest.raises(ValueError, match=r"W\[2\] has shape \(1, 3\) but layer 1 has 2 values"):
        backward_pass_edge_visits([W[0], np.ones((1, 3))], b, [0.5, 0.8], [1.0])
    with pytest.raises(ValueError, match=r"b\[1\] has shape \(3,\)"):
        backward_pass_edge_visits(W, [np.zeros(3), np.zeros(1)], [0.5, 0.8], [1.0])
    with pytest.raises(ValueError, match="y has shape"):
        gradient_by_enumerating_paths(W, b, [0.5, 0.8], [1.0, 0.0])
    with pytest.raises(ValueError, match="input_index must be 0 to 1"):
        gradient_by_enumerating_paths(W, b, [0.5, 0.8], [1.0], 0, 2)
    with pytest.raises(TypeError, match="W and b must be lists"):
        gradient_by_enumerating_paths(np.ones((2, 2)), b, [0.5, 0.8], [1.0])
