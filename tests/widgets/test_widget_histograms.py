"""The histogram explorer of notebook 09, headless: what scaling the inputs and the weights does to
every hidden layer's activations and gradients, computed, and drawn as computed."""

import html
import itertools
import re

import numpy as np
import pytest

from helpers import Network
from helpers.widgets import histogram_explorer
from helpers.widgets.histograms import (
    ACTIVATION_BINS, HIDDEN, INPUT_SCALES, SATURATED_ABOVE, SIZES, WEIGHT_SCALES, HistogramExplorer,
    activation_histogram, build_network, gradient_edges, gradient_histogram, layer_line, layer_statistics,
    layer_word, loss_line, power_of_ten, spread_text, saturated_share, share_top, training_inputs,
)

pytestmark = pytest.mark.filterwarnings("error")

LN_2 = float(np.log(2))


def snapshot(inputs="standardised", input_scale=1.0, weight_scale=1.0, activation="tanh"):
    X, y = training_inputs(inputs, input_scale)
    return layer_statistics(build_network(activation, weight_scale), X, y)


def medians(snap):
    return np.array([layer.median_gradient for layer in snap.layers])


def saturated(snap):
    return np.array([layer.saturated for layer in snap.layers])


def spreads(snap):
    return np.array([layer.spread for layer in snap.layers])


@pytest.fixture
def explorer():
    return histogram_explorer()


# ---- the statistics, as plain functions ----

def test_the_inputs_are_notebook_07s_training_animals_standardised_or_raw():
    X, y = training_inputs()
    assert X.shape == (225, 2) and y.shape == (225,)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, rtol=1e-12)
    raw, y_raw = training_inputs("raw")
    np.testing.assert_array_equal(y, y_raw)
    assert 1.2 < raw[:, 0].min() and raw[:, 0].max() < 22  # kilograms
    np.testing.assert_allclose(training_inputs("raw", 10.0)[0], 10 * raw)


def test_weight_scale_1_is_the_networks_own_starting_weights_and_other_scales_stretch_the_same_draws():
    own = Network(SIZES, ["tanh"] * len(HIDDEN) + ["softmax"], "cross_entropy", seed=0)
    for l in own.W:
        np.testing.assert_array_equal(build_network("tanh", 1.0).W[l], own.W[l])
        np.testing.assert_allclose(build_network("tanh", 0.1).W[l], 0.1 * own.W[l])


def test_the_statistics_are_the_networks_own_forward_and_backward_pass():
    X, y = training_inputs()
    net = build_network("tanh", 1.0)
    loss, grads = net.gradients(X, y)
    fp = net.forward(X)
    snap = layer_statistics(net, X, y)
    assert snap.loss == loss and not snap.diverged
    assert [layer.layer for layer in snap.layers] == [1, 2, 3]
    for layer in snap.layers:
        np.testing.assert_array_equal(layer.activations, fp.a[layer.layer])
        np.testing.assert_array_equal(layer.gradients, grads.delta[layer.layer])
        assert layer.spread == pytest.approx(fp.a[layer.layer].std())
        assert layer.median_gradient == pytest.approx(np.median(np.abs(grads.delta[layer.layer])))


def test_saturated_means_within_0_03_of_an_end_of_the_range():
    assert SATURATED_ABOVE == 0.97
    assert saturated_share([-0.99, -0.96, 0.0, 0.5, 0.971, 1.0], "tanh") == pytest.approx(3 / 6)
    assert saturated_share([0.01, 0.03, 0.5, 0.96, 0.98, 0.99], "sigmoid") == pytest.approx(3 / 6)
    assert saturated_share(np.zeros((4, 8)), "tanh") == 0.0
    assert saturated_share(np.full((4, 8), 0.5), "sigmoid") == 0.0


def test_at_a_saturated_unit_the_slope_is_a_small_fraction_of_its_largest():
    z_tanh = np.arctanh(SATURATED_ABOVE)
    assert 1 - np.tanh(z_tanh) ** 2 == pytest.approx(0.0591, abs=1e-4)  # tanh's slope is at most 1
    s = SATURATED_ABOVE
    assert s * (1 - s) == pytest.approx(0.0291, abs=1e-4)  # sigmoid's is at most 0.25


def test_each_histogram_counts_every_value_once_in_per_cent():
    rng = np.random.default_rng(0)
    a = np.tanh(rng.normal(size=(225, 8)))
    edges, shares = activation_histogram(a, "tanh")
    assert edges[0] == -1 and edges[-1] == 1 and shares.size == ACTIVATION_BINS
    assert shares.sum() == pytest.approx(100)
    edges, shares = activation_histogram(np.full(10, 1.0), "sigmoid")
    assert edges[0] == 0 and shares[-1] == pytest.approx(100)  # a = 1 exactly lands in the last bin
    edges, shares = gradient_histogram(rng.normal(scale=1e-4, size=(225, 8)))
    assert shares.sum() == pytest.approx(100)
    assert np.array_equal(edges, gradient_edges()) and edges[0] == -16 and edges[-1] == 0


def test_zero_and_tiny_gradients_go_in_the_first_bin_and_huge_ones_in_the_last():
    _, shares = gradient_histogram(np.array([0.0, 1e-30, -1e-17, 5.0, -1e3, 1e-4]))
    assert shares[0] == pytest.approx(50) and shares[-1] == pytest.approx(100 / 3)
    assert shares[gradient_edges().searchsorted(-4, side="right") - 1] == pytest.approx(100 / 6)


def test_a_layer_is_saturated_collapsed_or_lively():
    assert layer_word(0.2, 0.9) == "saturated"
    assert layer_word(0.19, 0.04) == "collapsed"
    assert layer_word(0.05, 0.5) == "lively"


def test_sizes_are_written_as_a_reader_writes_them():
    assert power_of_ten(2.79e-4) == "2.8 × 10⁻⁴"
    assert power_of_ten(9.99e-5) == "1.0 × 10⁻⁴"
    assert power_of_ten(0.31) == "0.31"
    assert power_of_ten(0.0) == "0"
    assert [spread_text(s) for s in (0.543, 0.0957, 0.00836, 0.0)] == ["0.54", "0.096", "0.0084", "0"]


def test_the_loss_line_compares_the_starting_loss_with_ln_2():
    assert loss_line(0.641).startswith("Loss before training: 0.641; ln 2 = 0.693: near it")
    assert "5.9 times as much" in loss_line(4.087)
    assert "below it" in loss_line(0.4)
    assert loss_line(float("nan")) == "Loss before training: diverged (the numbers overflowed)"


def test_overflowing_numbers_are_reported_diverged_not_raised():
    X, y = training_inputs()
    snap = layer_statistics(build_network("tanh", 1.0), np.full_like(X, 1e308), y)
    assert snap.diverged and snap.layers == [] and np.isnan(snap.loss)


# ---- what moving the controls teaches, as numbers ----

def test_standardised_inputs_and_the_usual_weights_keep_every_layer_lively():
    snap = snapshot()
    assert [layer.word for layer in snap.layers] == ["lively"] * 3
    assert saturated(snap).max() < 0.06  # 5 % in layer 1, none in layers 2 and 3
    assert spreads(snap).min() > 0.25
    assert medians(snap).max() / medians(snap).min() < 3  # the gradient reaches layer 1 almost undiminished
    assert abs(snap.loss - LN_2) < 0.1 * LN_2  # 0.641 against 0.693


def test_raw_inputs_saturate_layer_1_and_shrink_its_gradients_ten_thousandfold():
    standard, raw = snapshot(), snapshot("raw")
    assert raw.layers[0].saturated > 0.6 and raw.layers[0].word == "saturated"  # 67 %
    assert [layer.word for layer in raw.layers[1:]] == ["lively", "lively"]
    assert standard.layers[0].median_gradient / raw.layers[0].median_gradient > 1e4  # 2.8e-4 against 1.2e-8
    assert raw.layers[2].median_gradient == pytest.approx(standard.layers[2].median_gradient, rel=0.25)


def test_scaling_the_inputs_up_saturates_layer_1_more_and_more():
    shares = [snapshot(input_scale=s).layers[0].saturated for s in (1.0, 3.0, 10.0, 30.0, 100.0)]
    assert np.all(np.diff(shares) > 0), shares
    assert shares[0] < 0.06 and shares[-1] > 0.9


def test_large_weights_saturate_every_layer_and_the_loss_starts_far_above_ln_2():
    snap = snapshot(weight_scale=10.0)
    assert [layer.word for layer in snap.layers] == ["saturated"] * 3
    assert saturated(snap).min() > 0.7
    assert medians(snap).max() < 1e-8  # against 2.8e-4 to 7.6e-4 at weight scale 1
    assert snap.loss > 5 * LN_2  # 4.09: sure of itself, and often wrong


def test_tiny_tanh_weights_collapse_the_activations_to_0_and_the_gradients_vanish_towards_the_input():
    snap = snapshot(weight_scale=0.1)
    s, m = spreads(snap), medians(snap)
    assert np.all(s[1:] < 0.2 * s[:-1]), s  # about 10 times smaller each layer: 0.096, 0.008, 0.00075
    assert [layer.word for layer in snap.layers[1:]] == ["collapsed", "collapsed"]
    assert np.all(np.abs(np.concatenate([layer.activations.ravel() for layer in snap.layers[1:]])) < 0.05)
    assert np.all(m[:-1] < 0.2 * m[1:]), m  # 7.7e-7, 1.3e-5, 9.3e-5: smallest nearest the input
    assert snap.loss == pytest.approx(LN_2, rel=1e-3)  # outputs near 0: a coin toss


def test_tiny_sigmoid_weights_collapse_the_activations_to_one_half():
    snap = snapshot(weight_scale=0.1, activation="sigmoid")
    for layer in snap.layers[1:]:
        assert abs(layer.activations.mean() - 0.5) < 0.01 and layer.spread < 0.05
    assert np.all(medians(snap)[:-1] < 0.1 * medians(snap)[1:])


def test_no_stop_of_any_control_makes_the_numbers_overflow():
    for inputs, activation in itertools.product(("standardised", "raw"), ("tanh", "sigmoid")):
        for scale in (INPUT_SCALES[0], INPUT_SCALES[-1]):
            for weights in (WEIGHT_SCALES[0], WEIGHT_SCALES[-1]):
                assert not snapshot(inputs, scale, weights, activation).diverged


# ---- the widget draws and prints what the functions compute ----

def test_the_function_builds_the_widget_with_a_short_repr(explorer):
    assert isinstance(explorer, HistogramExplorer)
    assert repr(explorer) == "<Histogram explorer: interactive in JupyterLab; run the cell to use it>"


def _label_lines(explorer):
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in
            re.findall(r"<div>(.*?)</div>", explorer.layers_label.value)]


@pytest.mark.parametrize("setting", [("inputs_dropdown", "raw"), ("input_scale_slider", 30.0),
                                     ("weight_scale_slider", 0.1), ("weight_scale_slider", 10.0),
                                     ("activation_dropdown", "sigmoid")])
def test_a_move_redraws_the_histograms_and_rewrites_the_labels_from_the_statistics(explorer, setting):
    name, value = setting
    before = [step.get_data().values.copy() for step in explorer.activation_steps]
    renders = explorer.view.renders
    getattr(explorer, name).value = value
    assert explorer.view.renders == renders + 1
    kwargs = dict(inputs=explorer.inputs_dropdown.value, input_scale=explorer.input_scale_slider.value,
                  weight_scale=explorer.weight_scale_slider.value, activation=explorer.activation_dropdown.value)
    expected = snapshot(**kwargs)
    activation = kwargs["activation"]
    for layer, a_step, g_step in zip(expected.layers, explorer.activation_steps, explorer.gradient_steps):
        np.testing.assert_allclose(a_step.get_data().values, activation_histogram(layer.activations, activation)[1])
        np.testing.assert_allclose(g_step.get_data().values, gradient_histogram(layer.gradients)[1])
    assert any(not np.array_equal(b, s.get_data().values) for b, s in zip(before, explorer.activation_steps))
    assert _label_lines(explorer) == [layer_line(layer) for layer in expected.layers]
    assert html.unescape(explorer.loss_label.value) == loss_line(expected.loss)
    assert explorer.still_lines() == [*_label_lines(explorer), loss_line(expected.loss)]


def test_the_labels_at_the_start_say_every_layer_is_lively_and_the_loss_is_near_ln_2(explorer):
    lines = _label_lines(explorer)
    assert lines[0] == "layer 1: lively; spread of a[1] 0.54; 5% saturated; median |δ[1]| 2.8 × 10⁻⁴"
    assert [line.split(";")[0] for line in lines] == ["layer 1: lively", "layer 2: lively", "layer 3: lively"]
    assert "0.641; ln 2 = 0.693: near it" in explorer.loss_label.value


def test_switching_the_activation_moves_the_axis_and_the_saturated_bands(explorer):
    assert explorer.activation_ax.get_xlim() == (-1.0, 1.0)
    explorer.activation_dropdown.value = "sigmoid"
    assert explorer.activation_ax.get_xlim() == (0.0, 1.0)
    bands = sorted(tuple(np.round(band.get_x(), 6) for band in [b]) + (round(b.get_width(), 6),)
                   for b in explorer.saturated_bands)
    assert bands == [(0.0, 0.03), (0.97, 0.03)]


def test_the_y_axes_leave_room_above_the_tallest_bar(explorer):
    for weights in (0.1, 1.0, 10.0):
        explorer.weight_scale_slider.value = weights
        for ax, steps in ((explorer.activation_ax, explorer.activation_steps),
                          (explorer.gradient_ax, explorer.gradient_steps)):
            tallest = max(step.get_data().values.max() for step in steps)
            assert 1.15 * tallest <= ax.get_ylim()[1] <= 100
    assert share_top([np.array([4.0])]) == 5 and share_top([np.array([90.0])]) == 100


def test_every_stop_of_every_control_leaves_honest_labels():
    explorer = histogram_explorer()
    for inputs, activation in itertools.product(("standardised", "raw"), ("tanh", "sigmoid")):
        explorer.inputs_dropdown.value, explorer.activation_dropdown.value = inputs, activation
        for slider, stops in ((explorer.input_scale_slider, INPUT_SCALES),
                              (explorer.weight_scale_slider, WEIGHT_SCALES)):
            for value in stops[::4] + [stops[-1]]:
                slider.value = value
                text = explorer.layers_label.value + explorer.loss_label.value
                assert "diverged" not in text and "nan" not in text and "inf" not in text, (inputs, activation, value)
            slider.value = 1.0


def test_a_kept_picture_is_exactly_a_full_drawing_of_the_figure(explorer):
    settings = [("weight_scale_slider", 0.1), ("weight_scale_slider", 1.0), ("input_scale_slider", 10.0),
                ("activation_dropdown", "sigmoid"), ("inputs_dropdown", "raw"), ("input_scale_slider", 1.0),
                ("activation_dropdown", "tanh"), ("weight_scale_slider", 0.1)]
    for name, value in settings:
        getattr(explorer, name).value = value
        assert explorer.view.image.value == explorer.view.full_png(), (name, value)


def test_two_explorers_share_nothing():
    first, second = histogram_explorer(), histogram_explorer(weight_scale=0.1)
    first.weight_scale_slider.value = 10.0
    assert second.weight_scale_slider.value == 0.1 and second.snapshot.layers[2].word == "collapsed"
    assert first.fig is not second.fig


def test_a_starting_value_between_stops_is_kept_and_a_bad_one_is_refused_by_name():
    assert histogram_explorer(input_scale=0.37).input_scale_slider.value == 0.37
    with pytest.raises(ValueError, match="inputs must be one of 'standardised', 'raw'"):
        histogram_explorer(inputs="grams")
    with pytest.raises(ValueError, match=r"weight_scale must be a number from 0.01 to 10"):
        histogram_explorer(weight_scale=20)


def test_in_presentation_mode_the_controls_stand_beside_the_plots_one_above_the_other():
    from helpers import style
    from helpers.widgets.histograms import PRESENTATION_FIGSIZE

    style.presentation_mode(True)
    try:
        explorer = histogram_explorer()
        (row,) = [child for child in explorer.children if child.layout.display != "none"]
        column, image = row.children
        assert image is explorer.view.image
        assert explorer.weight_scale_slider in column.children and explorer.layers_label in column.children
        expected = [round(side * style.PRESENTATION_FIGURE_SCALE * explorer.fig.dpi) for side in PRESENTATION_FIGSIZE]
        assert [round(side) for side in explorer.fig.bbox.size] == expected
        assert explorer.activation_ax.get_position().y0 > explorer.gradient_ax.get_position().y1
        for name, value in (("weight_scale_slider", 10.0), ("activation_dropdown", "sigmoid")):
            getattr(explorer, name).value = value
            assert explorer.view.image.value == explorer.view.full_png()
    finally:
        style.presentation_mode(False)
