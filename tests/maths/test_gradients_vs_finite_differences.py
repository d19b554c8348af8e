"""The backward pass against centred finite differences, on many random networks.

Backprop is only a fast way to get the numbers that nudging each weight would give. Here every
gradient of 120 seeded random networks (depths 1 to 4, widths 1 to 8, every activation and every
loss, batches of 1 to 16) is compared with nudging, in float64, and must agree to AGREE = 1e-7.
"""

import numpy as np
import pytest

from helpers.activations import Activation
from helpers.gradcheck import (
    AGREE,
    SUSPICIOUS,
    check_network_gradients,
    network_numerical_gradient,
    numerical_derivative,
    numerical_gradient,
    relative_error,
)
from helpers.network import ForwardPass, Network

SEEDS = range(120)
HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUTPUTS = ("sigmoid", "tanh", "relu", "linear", "softmax")
SQUARED = ("squared_error", "half_squared_error", "mse")
LOSSES = SQUARED + ("binary_cross_entropy", "cross_entropy")

# A nudge of h = 1e-5 to one weight moves a weighted sum z by far less than this. A ReLU whose z
# sits closer than this to 0 could be pushed across its kink by the nudge, where the slope jumps
# from 0 to 1 and no finite difference can agree with either side; such draws are redrawn.
KINK_MARGIN = 1e-3


def architecture(seed):
    """A random network, inputs and targets for `seed`; every loss and output pairing recurs."""
    rng = np.random.default_rng(seed)
    loss = LOSSES[seed % len(LOSSES)]
    if loss == "binary_cross_entropy":
        output = "sigmoid"
    elif loss == "cross_entropy":
        output = "softmax"
    else:
        output = OUTPUTS[(seed // len(LOSSES)) % len(OUTPUTS)]
    depth = 1 + seed % 4
    sizes = [int(n) for n in rng.integers(1, 9, size=depth + 1)]
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    hidden = [HIDDEN[(seed + l) % len(HIDDEN)] for l in range(depth - 1)]
    net = Network(sizes, hidden + [output], loss, seed=seed)
    n = int(rng.integers(1, 17))
    for _ in range(200):
        X = rng.normal(size=(n, sizes[0]))
        b = [rng.normal(0.0, 0.5, size=k) for k in sizes[1:]]
        net.set_weights(net.W, b)
        fp = net.forward(X)
        if all(np.min(np.abs(fp.z[l])) > KINK_MARGIN
               for l, act in net.activations.items() if act.name == "relu"):
            break
    else:  # pragma: no cover - would mean the redraw loop is broken
        raise AssertionError("could not draw inputs away from the ReLU kinks")
    if loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    elif loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], size=n)
    else:
        y = rng.normal(size=(n, sizes[-1]))
    return net, X, y


def test_the_random_architectures_cover_every_depth_activation_loss_and_batch_size():
    seen = {"depth": set(), "width": set(), "act": set(), "pair": set(), "batch": set()}
    for seed in SEEDS:
        net, X, y = architecture(seed)
        seen["depth"].add(net.depth)
        seen["width"].update(net.sizes[1:])
        seen["act"].update(a.name for a in net.activations.values())
        seen["pair"].add((net.activations[net.depth].name, net.loss.name))
        seen["batch"].add(X.shape[0])
    assert seen["depth"] == {1, 2, 3, 4}
    assert seen["width"] == set(range(1, 9))
    assert seen["act"] == set(OUTPUTS)
    expected_pairs = {(o, l) for o in OUTPUTS for l in SQUARED}
    expected_pairs |= {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}
    assert seen["pair"] == expected_pairs
    assert {1, 16} <= seen["batch"] and len(seen["batch"]) >= 12


@pytest.mark.parametrize("seed", SEEDS)
def test_backprop_agrees_with_centred_differences_on_a_random_network(seed):
    net, X, y = architecture(seed)
    error = check_network_gradients(net, X, y)
    assert error < AGREE, f"{net} on {X.shape[0]} samples: relative error {error:.2e}"


def test_a_planted_bug_is_caught_by_the_check():
    # Forget the activation's derivative in the hidden layer: the check must notice.
    net, X, y = architecture(6)  # hidden layers relu, linear; tanh output
    assert net.depth >= 2
    act = net.activations[1]
    net.activations[1] = Activation(act.name, act.f, lambda z: np.ones_like(z) * 0.9)
    assert check_network_gradients(net, X, y) > SUSPICIOUS


# --- δ[l] = ∂L/∂z[l] ----------------------------------------------------------------------------


def loss_from_layer(net, fp, l, z_l, Y):
    """L when z[l] is replaced by z_l and the layers above are run again."""
    new = ForwardPass(z=dict(fp.z), a=dict(fp.a))
    new.z[l] = z_l
    new.a[l] = net.activations[l](z_l)
    for k in range(l + 1, net.depth + 1):
        new.z[k] = new.a[k - 1] @ net.W[k].T + net.b[k]
        new.a[k] = net.activations[k](new.z[k])
    return net._loss_value(new, Y)


@pytest.mark.parametrize("seed", [3, 7, 9, 14, 18, 23, 27, 44])
def test_delta_is_the_gradient_of_the_loss_with_respect_to_z(seed):
    net, X, y = architecture(seed)
    Y = net.check_targets(y, X.shape[0])
    fp = net.forward(X)
    grads = net.backward(fp, y)
    for l in range(1, net.depth + 1):
        numerical = numerical_gradient(lambda z: loss_from_layer(net, fp, l, z, Y), fp.z[l])
        assert relative_error(grads.delta[l], numerical) < AGREE, f"layer {l} of {net}"


# --- one batch, no loop over samples -------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 8, 12])
def test_batch_gradient_is_the_mean_of_the_per_sample_gradients(seed):
    net, X, y = architecture(seed)
    if X.shape[0] == 1:
        X, y = np.vstack([X, -X]), np.concatenate([y, y])
    _, batch = net.gradients(X, y)
    per_sample = [net.flat_gradients(net.gradients(X[i:i + 1], y[i:i + 1])[1]) for i in range(X.shape[0])]
    np.testing.assert_allclose(net.flat_gradients(batch), np.mean(per_sample, axis=0), rtol=1e-10, atol=1e-14)


def test_backward_handles_the_whole_batch_at_once():
    # Each layer's slope function is called once per backward pass, whatever the batch size:
    # the batch is handled by matrix products, not by a Python loop over samples.
    rng = np.random.default_rng(0)
    net = Network([3, 5, 4, 2], ["tanh", "sigmoid", "linear"], "squared_error", seed=0)
    calls = []
    for l, act in list(net.activations.items()):
        def counted(z, slope=act.derivative, l=l):
            calls.append((l, z.shape))
            return slope(z)
        net.activations[l] = Activation(act.name, act.f, counted)
    for n in (1, 64):
        calls.clear()
        net.gradients(rng.normal(size=(n, 3)), rng.normal(size=(n, 2)))
        assert calls == [(3, (n, 2)), (2, (n, 4)), (1, (n, 5))]


# --- the gradient-check tools themselves --------------------------------------------------------


def test_numerical_derivative_of_x_squared_at_3_is_6():
    assert numerical_derivative(lambda x: x ** 2, 3.0) == pytest.approx(6.0, abs=1e-9)
    # Centred differences are exact for a parabola; a one-sided difference would give 6 + h.
    assert numerical_derivative(lambda x: x ** 3, 1.0, h=1e-3) == pytest.approx(3.0 + 1e-6, abs=1e-9)


def test_numerical_gradient_nudges_each_entry_and_leaves_theta_unchanged():
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = theta.copy()
    grad = numerical_gradient(lambda t: np.sum(t ** 2) + t[0, 1] * t[1, 0], theta)
    np.testing.assert_allclose(grad, [[2.0, -4.0 + 0.5], [1.0 - 2.0, 6.0]], atol=1e-8)
    np.testing.assert_array_equal(theta, before)


def test_relative_error_reads_as_documented():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([1.0, 2.0], [-1.0, -2.0]) == 1.0
    # ‖(0, 0.001)‖ / (‖(1, 0)‖ + ‖(1, 0.001)‖) ≈ 0.0005
    assert relative_error([1.0, 0.0], [1.0, 0.001]) == pytest.approx(0.0005, rel=1e-5)
    assert AGREE == 1e-7 and SUSPICIOUS == 1e-4


def test_network_numerical_gradient_leaves_the_network_unchanged():
    net, X, y = architecture(10)
    before = net.parameters()
    numerical = network_numerical_gradient(net, X, y)
    assert numerical.shape == before.shape
    np.testing.assert_array_equal(net.parameters(), before)



def test_gradient_costs_count_the_multiply_adds_of_each_way():
    from helpers.gradcheck import gradient_costs
    from helpers.network import Network

    # A 2-3-1 network on one sample: the products cost 2·3 = 6 and 3·1 = 3 multiply-adds, so a
    # forward pass costs 9; backprop adds 9 for ∂L/∂W and 3 to send δ down; 13 parameters.
    costs = gradient_costs(Network([2, 3, 1]), n_samples=1)
    assert costs == {"forward": 9, "backward": 9 + 3, "backprop": 9 + 9 + 3, "finite_differences": 2 * 13 * 9}
    assert gradient_costs(Network([2, 3, 1]), n_samples=4)["backprop"] == 4 * 21


def test_backward_pass_costs_about_twice_the_forward_pass_whatever_the_size():
    from helpers.gradcheck import gradient_costs
    from helpers.network import Network

    for width in (2, 4, 8, 16, 32, 256):
        costs = gradient_costs(Network([3, width, width, 1], seed=0), n_samples=5)
        assert 1.5 <= costs["backward"] / costs["forward"] <= 2.0
        assert costs["backprop"] / costs["forward"] <= 3.0


def test_finite_difference_cost_grows_with_the_square_of_the_parameter_count():
    from helpers.gradcheck import gradient_costs
    from helpers.network import Network

    # Double the width: about 4× the parameters, so about 16× the arithmetic (P², width⁴).
    small, big = Network([3, 64, 64, 1]), Network([3, 128, 128, 1])
    p_ratio = big.num_parameters / small.num_parameters
    fd_ratio = gradient_costs(big, 5)["finite_differences"] / gradient_costs(small, 5)["finite_differences"]
    assert fd_ratio == pytest.approx(p_ratio ** 2, rel=0.05)
    assert 14 < fd_ratio < 17


# --- the check per layer and per kind of parameter -------------------------------------------------


def _deep_sigmoid_example():
    """Notebook 06's ten-layer sigmoid net and batch: the gradients of its first layers are tiny."""
    from helpers.network import Network

    deep = Network([4] + [16] * 10 + [1], ["sigmoid"] * 10 + ["linear"], seed=0)
    rng = np.random.default_rng(2)
    return deep, rng.normal(size=(32, 4)), rng.normal(size=(32, 1))


def _with_layer_1_weights(net, X, y, change, numerical):
    """The per-layer check of a backward pass whose layer-1 weight gradient is `change`d, against
    `numerical`, network_numerical_gradient(net, X, y)."""
    from helpers.gradcheck import compare_gradients

    _, grads = net.gradients(X, y)
    grads.dL_dW[1] = change(grads.dL_dW[1])
    return compare_gradients(net, net.flat_gradients(grads), numerical)


@pytest.fixture(scope="module")
def deep_example():
    return _deep_sigmoid_example()


@pytest.fixture(scope="module")
def deep_numerical(deep_example):
    """The deep net's gradient by nudging each of its 2,000+ parameters in turn: the slow part of the
    tests below, which all compare with the same one."""
    return network_numerical_gradient(*deep_example)


@pytest.fixture(scope="module")
def deep_check(deep_example):
    """check_network_gradients on the deep net, as notebook 06 runs it (it nudges every parameter itself)."""
    return check_network_gradients(*deep_example)


@pytest.mark.parametrize("change", [np.negative, np.zeros_like], ids=["flipped", "zeroed"])
def test_one_overall_error_hides_a_broken_first_layer_but_the_per_layer_check_catches_it(deep_example, change,
                                                                                         deep_numerical):
    from helpers.gradcheck import verdict

    check = _with_layer_1_weights(*deep_example, change, deep_numerical)
    assert verdict(check.whole) != "bug"                   # the single number over all 1,000+ parameters looks fine
    assert check.whole < 1e-6
    assert check.errors[(1, "W")] == pytest.approx(1.0)    # layer 1's weights alone: opposite or zero
    assert check.verdicts[(1, "W")] == "bug"
    assert not check.passed and check.verdict == "bug"
    assert check.failing == [(1, "W")]
    assert check > SUSPICIOUS                              # as a number, the worst part
    assert "FAILED, a bug in layer 1 W" in check.report()


def test_the_per_layer_check_passes_the_correct_deep_backward_pass(deep_check):
    check = deep_check
    assert check.passed and check.failing == []
    assert check.whole < AGREE
    assert all(error < SUSPICIOUS for error in check.errors.values())


def test_check_reports_every_layer_and_kind_in_order():
    from helpers.network import Network

    net, X, y = Network([3, 4, 4, 1], seed=0), np.ones((2, 3)), np.zeros((2, 1))
    check = check_network_gradients(net, X, y)
    assert list(check.errors) == [(1, "W"), (1, "b"), (2, "W"), (2, "b"), (3, "W"), (3, "b")]
    assert check.verdict == "agree" and check.passed
    assert float(check) == max(check.errors.values())


def test_a_forgotten_bias_gradient_fails_only_the_bias_parts():
    from helpers.gradcheck import compare_gradients
    from helpers.network import Network

    net = Network([3, 4, 4, 1], seed=0)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 1))
    _, grads = net.gradients(X, y)
    for l in grads.dL_db:
        grads.dL_db[l] = np.zeros_like(grads.dL_db[l])
    check = compare_gradients(net, net.flat_gradients(grads), network_numerical_gradient(net, X, y))
    assert check.failing == [(1, "b"), (2, "b"), (3, "b")]
    assert all(check.verdicts[(l, "W")] == "agree" for l in (1, 2, 3))


def test_compare_gradients_names_the_wrong_length():
    from helpers.gradcheck import compare_gradients
    from helpers.network import Network

    with pytest.raises(ValueError, match="exact and numerical must each have 41 values"):
        compare_gradients(Network([3, 4, 4, 1]), np.zeros(40), np.zeros(41))


def test_the_nudge_is_called_eps_and_the_old_name_h_still_works():
    assert numerical_derivative(lambda x: x ** 3, 1.0, eps=1e-3) == pytest.approx(3.0 + 1e-6, abs=1e-9)
    assert numerical_derivative(lambda x: x ** 3, 1.0, h=1e-3) == pytest.approx(3.0 + 1e-6, abs=1e-9)
    with pytest.raises(ValueError, match="eps"):
        numerical_derivative(lambda x: x, 1.0, eps=0)


def test_a_layer_1_gradient_is_a_sum_over_the_paths_through_layer_2_not_one_chain():
    # Notebook 06, section 3: W[1][0, 0] reaches the loss along four paths, one per neuron of layer 2.
    from helpers.activations import sigmoid_derivative as ds

    net = Network([3, 4, 4, 1], seed=0)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 1))
    fp = net.forward(X)
    grads = net.backward(fp, y)
    paths = [np.sum(grads.delta[3][:, 0] * net.W[3][0, m] * ds(fp.z[2][:, m]) * net.W[2][m, 0]
                    * ds(fp.z[1][:, 0]) * X[:, 0]) for m in range(4)]
    assert sum(paths) == pytest.approx(grads.dL_dW[1][0, 0], rel=1e-12)
    assert sum(p > 0 for p in paths) == 2 and sum(p < 0 for p in paths) == 2   # "two one way, two the other"
    assert not any(p == pytest.approx(grads.dL_dW[1][0, 0], rel=1e-3) for p in paths)   # no single chain is it
    np.testing.assert_allclose(sum(grads.delta[2][:, m] * net.W[2][m, 0] for m in range(4)),
                               (grads.delta[2] @ net.W[2])[:, 0], rtol=1e-12)


def test_the_numbers_notebooks_06_and_08_state_about_the_deep_sigmoid_net(deep_example, deep_numerical, deep_check):
    deep, X, y = deep_example
    _, grads = deep.gradients(X, y)
    sizes = [np.linalg.norm(grads.dL_dW[l]) for l in range(1, deep.depth + 1)]
    assert 3.5e6 < sizes[-1] / sizes[0] < 4.5e6                  # "about four million times smaller"
    flipped = _with_layer_1_weights(deep, X, y, np.negative, deep_numerical)
    zeroed = _with_layer_1_weights(deep, X, y, np.zeros_like, deep_numerical)
    assert f"{flipped.whole:.3g}" == "2.07e-07" and f"{zeroed.whole:.3g}" == "1.03e-07"
    assert deep_check.verdicts[(1, "W")] == "suspicious"   # tiny gradients, rounding shows


def test_shown_gives_noise_as_a_range_and_real_errors_as_digits():
    from helpers.gradcheck import shown

    assert shown(3e-12) == "below 1e-07"
    assert shown(6.6e-5) == "1e-07 to 0.0001"
    assert shown(0.4612) == "0.46"
