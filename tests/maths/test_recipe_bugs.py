"""helpers.recipe_bugs: the input gradients and the accumulating network agree with centred differences in
float64, a plain network keeps the samples of a batch apart, a softmax over the batch mixes them, and a training
loop without a gradient reset hands each update the sum of every gradient so far."""

import numpy as np
import pytest

from helpers import Network, bugs, check_network_gradients, recipe_bugs, sandbox
from helpers.gradcheck import AGREE, relative_error

EPS = 1e-6


def _numerical(f, array):
    """Centred differences of f at `array`, one entry at a time, float64."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        up, down = array.copy(), array.copy()
        up[index] += EPS
        down[index] -= EPS
        grad[index] = (f(up) - f(down)) / (2 * EPS)
    return grad


def _sample_loss(net, X, y, i):
    """ℓ_i: sample i's own loss, from the forward pass of the whole batch (N × the batch loss with others' weight 0)."""
    Y = net.check_targets(y, len(X))
    fp = net._forward(X)
    if isinstance(net, recipe_bugs.SoftmaxOverBatchNetwork):
        z = fp.z[net.depth]
        log_p = z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0))
        return float(-np.sum(Y[i] * log_p[i]))
    return net._loss_value(type(fp)(z={l: v[i:i + 1] for l, v in fp.z.items()},
                                    a={l: v[i:i + 1] for l, v in fp.a.items()}), Y[i:i + 1])


def _random_job(rng, mixing=False):
    depth = int(rng.integers(1, 4))
    sizes = [int(rng.integers(1, 5))] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [int(rng.integers(2, 4))]
    hidden = ["tanh", "sigmoid", "relu"][int(rng.integers(0, 3))]
    kind = "softmax" if mixing else ["softmax", "linear", "sigmoid"][int(rng.integers(0, 3))]
    loss = {"softmax": "cross_entropy", "linear": "half_squared_error", "sigmoid": "binary_cross_entropy"}[kind]
    if kind == "linear" and rng.random() < 0.5:
        loss = "mse"
    cls = recipe_bugs.SoftmaxOverBatchNetwork if mixing else Network
    net = cls(sizes, [hidden] * (len(sizes) - 2) + [kind], loss, seed=int(rng.integers(0, 1000)), weight_scale=1.0)
    for l in net.b:
        net.b[l] = rng.normal(0.0, 0.5, size=net.b[l].shape)
    n = int(rng.integers(2, 7))
    X = rng.normal(size=(n, sizes[0]))
    if kind == "softmax":
        y = rng.integers(0, sizes[-1], size=n)
    elif kind == "sigmoid":
        y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    else:
        y = rng.normal(size=(n, sizes[-1]))
    return net, X, y


@pytest.mark.parametrize("mixing", [False, True], ids=["plain network", "softmax over the batch"])
def test_input_gradients_match_centred_differences_on_many_random_networks(mixing):
    rng = np.random.default_rng(2909 + mixing)
    for _ in range(12):
        net, X, y = _random_job(rng, mixing)
        whole = _numerical(lambda X_: net.loss_value(X_, y), X)
        assert relative_error(recipe_bugs.input_gradient(net, X, y), whole) < 1e-7
        for i in range(len(X)):
            one = _numerical(lambda X_: _sample_loss(net, X_, y, i), X)
            assert relative_error(recipe_bugs.input_gradient(net, X, y, sample=i), one) < 1e-7


def test_a_plain_network_keeps_every_sample_apart_exactly():
    rng = np.random.default_rng(7)
    for _ in range(10):
        net, X, y = _random_job(rng)
        M = recipe_bugs.dependency_matrix(net, X, y)
        assert recipe_bugs.mixing(M)[0] == 0
        assert np.all(np.diag(M) > 0) or net.activations[net.depth].name != "softmax"


def test_a_softmax_over_the_batch_lights_up_every_pair_of_the_notebooks_batch():
    X, y = bugs.demo_data()
    healthy = Network([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    wrong = recipe_bugs.SoftmaxOverBatchNetwork([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    assert recipe_bugs.mixing(recipe_bugs.dependency_matrix(healthy, X[:8], y[:8])) == (0, 56)
    assert recipe_bugs.mixing(recipe_bugs.dependency_matrix(wrong, X[:8], y[:8])) == (56, 56)


def test_the_wrong_axis_passes_the_gradient_check_for_its_weights_and_its_output_biases_do_nothing():
    X, y = bugs.demo_data()
    wrong = recipe_bugs.SoftmaxOverBatchNetwork([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    result = check_network_gradients(wrong, X[:20], y[:20])
    assert all(result.errors[part] < AGREE for part in ((1, "W"), (1, "b"), (2, "W")))
    _, grads = wrong.gradients(X[:20], y[:20])
    assert np.max(np.abs(grads.dL_db[2])) < 1e-15
    shifted = wrong.copy()
    shifted.b[2] = shifted.b[2] + np.array([3.0, -2.0])
    assert shifted.loss_value(X, y) == pytest.approx(wrong.loss_value(X, y), abs=1e-12)


def test_the_wrong_axis_starts_near_ln_n_and_gives_one_animal_probability_1_for_both_classes():
    X, y = bugs.demo_data()
    wrong = recipe_bugs.SoftmaxOverBatchNetwork([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    assert abs(wrong.loss_value(X, y) - np.log(len(X))) < 0.2
    assert wrong.predict(X[:1]).tolist() == [[1.0, 1.0]]


def test_accumulating_network_adds_gradients_that_match_centred_differences():
    rng = np.random.default_rng(31)
    for _ in range(10):
        net, X, y = _random_job(rng)
        model = recipe_bugs.AccumulatingNetwork(net)
        theta = model.flat_parameters()

        def loss_at(t):
            work = net.copy()
            work.set_parameters(t)
            return work.loss_value(X, y)

        numerical = _numerical(loss_at, theta)
        model.backward(X, y)
        assert relative_error(model.flat_gradients(), numerical) < 1e-7
        model.backward(X, y)
        assert relative_error(model.flat_gradients(), 2 * numerical) < 1e-7     # added, not replaced
        model.zero_grad()
        assert not np.any(model.flat_gradients())


def _no_reset(model, X, y, eta, steps):
    losses = []
    for step in range(steps):
        losses.append(model.backward(X, y))
        model.step(eta)
    return losses


def _with_reset(model, X, y, eta, steps):
    losses = []
    for step in range(steps):
        model.zero_grad()
        losses.append(model.backward(X, y))
        model.step(eta)
    return losses


@pytest.mark.skipif(not sandbox.CAN_FORK, reason="the loop runs in a child process")
def test_without_a_reset_each_update_uses_the_sum_of_every_gradient_so_far():
    model = recipe_bugs.AccumulatingNetwork(Network([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0))
    X, y = bugs.demo_data()
    thetas, used = recipe_bugs.gradients_used(_no_reset, model, X, y, 0.5, 6)
    true = recipe_bugs.true_gradients(model, thetas, X, y)
    assert relative_error(used[5], sum(true)) < 1e-12
    assert 0.6 < relative_error(used[5], 6 * true[5]) < 0.8          # the notebook's 0.70
    assert 8.5 < np.linalg.norm(used[5]) / np.linalg.norm(true[5]) < 9.5   # and 9.0
    checks = recipe_bugs.check_during_training(_no_reset, model, X, y, 0.5, 6, at=(0, 5))
    assert checks[0].verdict == "agree" and checks[5].failing == [(1, "W"), (1, "b"), (2, "W"), (2, "b")]
    fine = recipe_bugs.check_during_training(_with_reset, model, X, y, 0.5, 6)
    assert all(result.verdict == "agree" for result in fine.values())
    assert model.flat_gradients().tolist() == [0.0] * model.net.num_parameters     # the model given is unchanged


def test_the_loop_with_a_reset_takes_helpers_trains_full_batch_steps():
    from helpers import train
    X, y = bugs.demo_data()
    net = Network([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    losses = _with_reset(recipe_bugs.AccumulatingNetwork(net), X, y, 0.5, 20)
    np.testing.assert_allclose(losses, train(net.copy(), X, y, eta=0.5, epochs=19).loss, rtol=1e-12)


def test_a_zero_initialised_output_layer_hides_a_missing_derivative_until_it_moves():
    from helpers import train
    X, y = bugs.demo_data()
    slipped = bugs.MissingDerivativeNetwork([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    slipped.W[2] = np.zeros((2, 8))
    assert check_network_gradients(slipped, X[:20], y[:20]).verdict == "agree"
    train(slipped, X, y, eta=0.5, epochs=5)
    assert check_network_gradients(slipped, X[:20], y[:20]).failing == [(1, "W"), (1, "b")]


def test_bad_arguments_get_clear_errors():
    net = Network([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    X, y = np.zeros((3, 2)), np.array([0, 1, 0])
    with pytest.raises(ValueError, match="sample must be the index"):
        recipe_bugs.input_gradient(net, X, y, sample=3)
    with pytest.raises(TypeError, match="net must be a helpers Network"):
        recipe_bugs.dependency_matrix("net", X, y)
    with pytest.raises(ValueError, match="square"):
        recipe_bugs.mixing(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="model must be an AccumulatingNetwork"):
        recipe_bugs.gradients_used(_with_reset, net, X, y, 0.5, 2)
    with pytest.raises(ValueError, match="needs a 'softmax' output"):
        recipe_bugs.SoftmaxOverBatchNetwork([2, 3, 1], ["relu", "linear"], "half_squared_error")
