"""helpers.recipe: the four checks before a long run, and every number notebook 08 states about them."""

import math

import numpy as np
import pytest

from helpers import Network, bugs, recipe


@pytest.fixture(scope="module")
def data():
    return bugs.demo_data()


def test_a_healthy_network_memorises_four_animals_and_one_with_dead_relus_cannot(data):
    X, y = data
    tiny = recipe.overfit_small_batch(bugs.setup("healthy").net, X, y, n_samples=4, eta=0.5, steps=300)
    stuck = recipe.overfit_small_batch(bugs.setup("dead_relu").net, X, y, n_samples=4, eta=0.5, steps=300)
    assert tiny.passed and tiny.loss[-1] < 1e-3 and len(tiny.loss) == 301
    assert not stuck.passed and stuck.loss[-1] > 0.5
    # the notebook says a pass proves less than it seems: the missing derivative memorises too
    assert recipe.overfit_small_batch(bugs.setup("missing_derivative").net, X, y, n_samples=4, eta=0.5,
                                      steps=300).passed


def test_overfitting_trains_a_copy(data):
    X, y = data
    net = bugs.setup("healthy").net
    before = net.parameters()
    recipe.overfit_small_batch(net, X, y, steps=5)
    np.testing.assert_array_equal(net.parameters(), before)


def test_the_baseline_is_the_entropy_of_the_class_frequencies(data):
    _, y = data
    base = recipe.baseline(y, 2)
    f = np.bincount(y.astype(int)) / len(y)
    assert math.isclose(base.loss, -np.sum(f * np.log(f)))
    assert round(base.loss, 3) == 0.692 and round(base.accuracy, 2) == 0.52
    np.testing.assert_array_equal(np.round(base.frequencies, 3), [0.476, 0.524])
    # no input-blind guess does better: the frequencies minimise the cross-entropy
    for p in (0.4, 0.5, 0.6):
        assert -(f[0] * np.log(1 - p) + f[1] * np.log(p)) >= base.loss
    healthy = bugs.symptoms("healthy")
    assert healthy.loss[0] > base.loss > healthy.loss[-1]
    assert round(healthy.loss[0], 3) == 0.907 and round(healthy.loss[-1], 3) == 0.196


def test_a_class_never_seen_adds_nothing_and_bad_labels_are_refused():
    assert recipe.baseline([0, 0, 0], 3).loss == 0.0
    with pytest.raises(ValueError, match="labels from 0 to 1"):
        recipe.baseline([0, 2], 2)
    with pytest.raises(ValueError, match="empty"):
        recipe.baseline([], 2)


def test_update_ratios_scale_with_eta_and_match_the_notebook(data):
    X, y = data
    net = bugs.setup("healthy").net
    _, grads = net.gradients(X, y)
    ratios = {eta: recipe.update_ratios(net, X, y, eta) for eta in (0.005, 0.5, 50.0)}
    for eta, by_layer in ratios.items():
        for l, r in by_layer.items():
            assert math.isclose(r, eta * np.linalg.norm(grads.dL_dW[l]) / np.linalg.norm(net.W[l]))
    assert f"{ratios[0.5][1]:.2f}" == "0.06" and f"{ratios[0.5][2]:.1f}" == "0.3"
    assert 5 < ratios[50.0][1] < 7 and 30 < ratios[50.0][2] < 35  # "6 to 30 times its own size"


def test_the_learning_rate_range_has_the_valley_the_notebook_describes(data):
    X, y = data
    etas = np.logspace(-3, 2, 11)
    losses = recipe.learning_rate_range(lambda: bugs.setup("healthy").net, X, y, etas, epochs=5, batch_size=25)
    finite = [l for l in losses if np.isfinite(l)]
    best = losses.index(min(finite))
    assert f"{etas[best]:.2g}" == "3.2"
    assert losses[best + 1] > losses[best]                    # η = 10 already worse
    assert losses[-1] == float("inf")                         # η = 100 diverges
    assert losses[0] > 0.8 and losses[5] < losses[4] < losses[3]  # falls steadily from 0.001 to 0.3


def test_recipe_functions_refuse_bad_input_with_a_clear_error(data):
    X, y = data
    net = Network([2, 3, 2], ["relu", "softmax"], "cross_entropy")
    with pytest.raises(TypeError, match="net must be a helpers Network"):
        recipe.overfit_small_batch("net", X, y)
    with pytest.raises(ValueError, match="n_samples must be at most"):
        recipe.overfit_small_batch(net, X[:3], y[:3], n_samples=4)
    with pytest.raises(TypeError, match="make_net"):
        recipe.learning_rate_range(net, X, y, [0.1])
    with pytest.raises(ValueError, match="etas"):
        recipe.learning_rate_range(lambda: net.copy(), X, y, [])


def test_the_figures_draw(data):
    import matplotlib
    matplotlib.use("Agg")
    X, y = data
    tiny = recipe.overfit_small_batch(bugs.setup("healthy").net, X, y, steps=3)
    assert recipe.plot_overfit(tiny).get_yscale() == "log"
    assert recipe.plot_baseline([0.9, 0.5], recipe.baseline(y, 2)).get_title()
    assert recipe.plot_update_ratios({0.5: {1: 0.1, 2: 0.2}}).get_yscale() == "log"
    assert recipe.plot_learning_rate_range([0.1, 1, 10], [0.5, 0.3, float("inf")]).get_xscale() == "log"


def test_07s_two_animals_get_the_shares_the_notebook_states():
    from helpers.exercises import nb07
    z, Y = nb07.DELTA_EXAMPLE
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert round(p[0, 0], 2) == 0.31 and round(p[1, 1], 2) == 0.05
    delta = nb07.softmax_delta_solution(z, Y)
    assert abs(delta[1, 1]) > abs(delta[0, 0])
    np.testing.assert_allclose(delta.sum(axis=1), 0, atol=1e-15)


def test_the_dead_relu_run_ends_exactly_on_the_baseline(data):
    _, y = data
    dead = bugs.symptoms("dead_relu")
    assert math.isclose(dead.loss[-1], recipe.baseline(y, 2).loss, rel_tol=1e-6)
    assert f"{dead.loss[-1]:.3f}" == "0.692"


def test_at_update_ratios_near_a_thousandth_this_small_network_crawls(data):
    """Notebook 08: the 10⁻³ rule of thumb is for large networks; here η = 0.5 (ratios 0.06 to 0.3) trains
    well in 60 epochs, while η = 0.005 (ratios near 10⁻³) crawls."""
    from helpers import train

    X, y = data
    slow_ratios = recipe.update_ratios(bugs.setup("healthy").net, X, y, 0.005)
    assert 3e-4 < min(slow_ratios.values()) and max(slow_ratios.values()) < 4e-3
    runs = {eta: train(bugs.setup("healthy").net, X, y, eta=eta, epochs=60).loss for eta in (0.005, 0.5)}
    assert [f"{runs[0.005][0]:.3f}", f"{runs[0.005][-1]:.3f}"] == ["0.907", "0.767"]
    assert [f"{runs[0.5][0]:.3f}", f"{runs[0.5][-1]:.3f}"] == ["0.907", "0.196"]
