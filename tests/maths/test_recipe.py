"""helpers.recipe: the checks before and during a long run, and every number notebook 09 states about them."""

import math

import numpy as np
import pytest

from helpers import Network, bugs, recipe, train


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
    """Notebook 09: the 10⁻³ rule of thumb is for large networks; here η = 0.5 (ratios 0.06 to 0.3) trains
    well in 60 epochs, while η = 0.005 (ratios near 10⁻³) crawls."""


    X, y = data
    slow_ratios = recipe.update_ratios(bugs.setup("healthy").net, X, y, 0.005)
    assert 3e-4 < min(slow_ratios.values()) and max(slow_ratios.values()) < 4e-3
    runs = {eta: train(bugs.setup("healthy").net, X, y, eta=eta, epochs=60).loss for eta in (0.005, 0.5)}
    assert [f"{runs[0.005][0]:.3f}", f"{runs[0.005][-1]:.3f}"] == ["0.907", "0.767"]
    assert [f"{runs[0.5][0]:.3f}", f"{runs[0.5][-1]:.3f}"] == ["0.907", "0.196"]


# Section 1 of notebook 09: the loss at the start

def test_a_network_that_knows_nothing_starts_at_ln_c():
    assert f"{recipe.chance_loss(2):.3f}" == "0.693" and f"{recipe.chance_loss(10):.3f}" == "2.303"
    X, _ = bugs.demo_data()
    calm = recipe.calm_start(bugs.setup("healthy").net)
    p = calm.predict(X)
    assert np.all(np.abs(p - 0.5) < 0.01)                       # every animal gets about 50 : 50
    for C in (2, 3, 10):                                         # a zeroed output layer says exactly 1/C
        net = recipe.calm_start(Network([4, 5, C], ["relu", "softmax"], "cross_entropy"), scale=0.0)
        labels = np.arange(12) % C
        assert math.isclose(net.loss_value(np.ones((12, 4)), labels), recipe.chance_loss(C), rel_tol=1e-12)


def test_calm_start_with_log_shares_starts_at_the_baseline_entropy():
    X, y = bugs.demo_data()
    keep = np.concatenate([np.flatnonzero(y == 0)[:99], np.flatnonzero(y == 1)[:11]])
    few = recipe.baseline(y[keep], 2)
    np.testing.assert_allclose(few.frequencies, [0.9, 0.1])
    exact = recipe.calm_start(bugs.setup("healthy").net, few.frequencies, scale=0.0)
    assert math.isclose(exact.loss_value(X[keep], y[keep]), few.loss, rel_tol=1e-12)
    net = bugs.setup("healthy").net
    runs = {name: train(start.copy(), X[keep], y[keep], eta=0.5, epochs=60).loss
            for name, start in (("zero", recipe.calm_start(net)), ("log", recipe.calm_start(net, few.frequencies)))}
    assert [f"{v:.3f}" for v in (runs["zero"][0], runs["zero"][1], runs["zero"][-1])] == ["0.692", "0.390", "0.145"]
    assert [f"{v:.3f}" for v in (runs["log"][0], runs["log"][1], runs["log"][-1])] == ["0.326", "0.317", "0.117"]
    assert f"{few.loss:.3f}" == "0.325"


def test_a_confidently_wrong_start_costs_what_notebook_09_says():
    X, y = bugs.demo_data()
    net = bugs.setup("healthy").net
    loud, biased = net.copy(), net.copy()
    loud.W[2] = 10 * net.W[2]
    biased.b[2] = np.array([-3.0, 3.0])
    chance = recipe.chance_loss(2)
    found = {}
    for name, start in (("calm", recipe.calm_start(net)), ("drawn", net), ("loud", loud), ("biased", biased)):
        first = np.linalg.norm(start.gradients(X, y)[1].dL_dW[1])
        trained = start.copy()
        loss = train(trained, X, y, eta=0.5, epochs=60).loss
        found[name] = (f"{loss[0]:.3f}", f"{first:.3f}", recipe.epochs_to_reach(loss, chance), f"{loss[-1]:.3f}",
                       round(bugs.dead_fraction(trained, X) * 8))
    assert found["calm"] == ("0.695", "0.002", 1, "0.208", 0)
    assert found["drawn"] == ("0.907", "0.309", 1, "0.196", 0)
    assert found["loud"] == ("4.706", "3.775", 1, "0.185", 3)     # 3 of 8 hidden units dead
    assert found["biased"] == ("2.667", "0.218", 3, "0.375", 0)
    assert round(3.775 / 0.309) == 12


def test_epochs_to_reach_counts_from_the_start():
    assert recipe.epochs_to_reach([0.9, 0.7, 0.6], 0.7) == 1
    assert recipe.epochs_to_reach([0.5], 0.7) == 0
    assert recipe.epochs_to_reach([0.9, 0.8], 0.7) is None


# Section 2: the input-blind baseline, two ways

def test_training_on_zeroed_inputs_reaches_the_closed_form_baseline(data):
    X, y = data
    base = recipe.baseline(y, 2)
    blind = recipe.input_blind_run(bugs.setup("healthy").net, X, y, eta=0.5, epochs=60)
    assert f"{blind.loss[0]:.4f}" == "0.6931" and f"{blind.loss[-1]:.4f}" == f"{base.loss:.4f}" == "0.6920"
    assert abs(blind.loss[-1] - base.loss) < 1e-6
    assert all(b >= base.loss - 1e-12 for b in blind.loss)     # it never does better than the closed form


# Section 5: per-layer histograms and unscaled inputs

def _raw():
    from helpers.data import load_cat_dog, train_test_split
    return train_test_split(*load_cat_dog(), seed=0)


def test_unscaled_inputs_saturate_the_first_tanh_layer_and_starve_its_gradients():
    from helpers import accuracy
    from helpers.data import Standardizer
    X_raw, X_raw_test, y_raw, y_raw_test = _raw()
    net = Network([2, 8, 8, 2], ["tanh", "tanh", "softmax"], "cross_entropy", seed=0)
    raw = recipe.layer_statistics(net, X_raw, y_raw)
    scaler = Standardizer().fit(X_raw)
    X_std, X_std_test = scaler.transform(X_raw), scaler.transform(X_raw_test)
    std = recipe.layer_statistics(net, X_std, y_raw)
    assert f"{raw[1].saturated:.0%}" == "67%" and raw[2].saturated == 0.0
    assert f"{std[1].saturated:.0%}" == "5%" and std[2].saturated == 0.0
    medians = {name: [np.median(np.abs(s[l].gradient)) for l in (1, 2)] for name, s in (("raw", raw), ("std", std))}
    assert [f"{m:.1e}" for m in medians["raw"]] == ["4.9e-06", "1.5e-01"]
    assert [f"{m:.1e}" for m in medians["std"]] == ["7.0e-02", "1.7e-01"]
    assert 25_000 < medians["raw"][1] / medians["raw"][0] < 35_000       # "some 30,000 times smaller"
    assert f"{np.mean(np.abs(net.forward(X_raw).z[1]) > 5):.0%}" == "54%"
    norms = [np.linalg.norm(net.gradients(X_in, y_raw)[1].dL_dW[1]) for X_in in (X_raw, X_std)]
    assert [f"{n:.2f}" for n in norms] == ["0.37", "0.18"]            # the norm alone hides the bug
    results = []
    for X_in, X_out in ((X_raw, X_raw_test), (X_std, X_std_test)):
        trained = net.copy()
        loss = train(trained, X_in, y_raw, eta=0.5, epochs=60).loss
        results.append((f"{loss[0]:.3f}", f"{loss[-1]:.3f}", f"{accuracy(trained, X_in, y_raw):.0%}",
                        f"{accuracy(trained, X_out, y_raw_test):.0%}"))
    assert results == [("0.688", "0.530", "72%", "71%"), ("0.771", "0.207", "92%", "93%")]


def test_the_gradient_check_passes_on_unscaled_inputs():
    from helpers import check_network_gradients
    X_raw, _, y_raw, _ = _raw()
    net = Network([2, 8, 8, 2], ["tanh", "tanh", "softmax"], "cross_entropy", seed=0)
    assert check_network_gradients(net, X_raw[:20], y_raw[:20]).passed


def test_each_samples_gradient_is_n_times_delta_and_saturation_is_counted_per_activation():
    X, y = bugs.demo_data()
    net = Network([2, 3, 4, 2], ["tanh", "sigmoid", "softmax"], "cross_entropy", seed=1)
    stats = recipe.layer_statistics(net, X[:10], y[:10])
    _, grads = net.gradients(X[:10], y[:10])
    np.testing.assert_allclose(stats[1].gradient, (10 * grads.delta[1]).ravel())
    assert sorted(stats) == [1, 2] and stats[1].activation == "tanh" and stats[2].activation == "sigmoid"
    assert recipe.saturated_share(np.array([-0.995, 0.5, 0.999, 0.0]), "tanh") == 0.5
    assert recipe.saturated_share(np.array([0.005, 0.5, 0.995, 0.96]), "sigmoid") == 0.5
    assert recipe.saturated_share(np.array([0.0, 3.0]), "relu") is None


def test_the_new_recipe_functions_refuse_bad_input_with_a_clear_error():
    net = Network([2, 3, 2], ["relu", "softmax"], "cross_entropy")
    with pytest.raises(ValueError, match="classes must be at least 2"):
        recipe.chance_loss(1)
    with pytest.raises(ValueError, match="softmax output"):
        recipe.calm_start(Network([2, 3, 1], ["relu", "sigmoid"], "binary_cross_entropy"))
    with pytest.raises(ValueError, match="add up to 1"):
        recipe.calm_start(net, [0.5, 0.6])
    with pytest.raises(ValueError, match="one share per output"):
        recipe.calm_start(net, [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="scale must be between 0 and 1"):
        recipe.calm_start(net, scale=5)
    with pytest.raises(TypeError, match="net must be a helpers Network"):
        recipe.input_blind_run("net", np.zeros((3, 2)), [0, 1, 0], eta=0.1, epochs=1)
    with pytest.raises(ValueError, match="activation must be one of"):
        recipe.saturated_share([0.5], "softmax")
    with pytest.raises(TypeError, match="stats_by_run"):
        recipe.plot_layer_histograms({})
    with pytest.raises(TypeError, match="losses must be a dict"):
        recipe.plot_starts([0.7, 0.6])


def test_calm_start_and_the_blind_run_leave_the_network_unchanged(data):
    X, y = data
    net = bugs.setup("healthy").net
    before = net.parameters()
    recipe.calm_start(net, [0.5, 0.5])
    recipe.input_blind_run(net, X, y, eta=0.5, epochs=2)
    np.testing.assert_array_equal(net.parameters(), before)


def test_the_new_figures_draw(data):
    import matplotlib
    matplotlib.use("Agg")
    X, y = data
    ax = recipe.plot_starts({"calm": [0.7, 0.6], "loud": [4.0, 0.8]}, level=recipe.chance_loss(2))
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 3
    ax = recipe.plot_baseline([0.9, 0.5], recipe.baseline(y, 2), blind=[0.693, 0.692])
    assert len(ax.get_lines()) == 3
    net = Network([2, 4, 4, 2], ["tanh", "tanh", "softmax"], "cross_entropy")
    stats = recipe.layer_statistics(net, X[:20], y[:20])
    fig = recipe.plot_layer_histograms({"a": stats, "b": stats})
    assert len(fig.axes) == 4 and fig.axes[2].get_xscale() == "log"
