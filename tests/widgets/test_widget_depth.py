"""The depth explorer: the error signal's size per layer, vanishing through sigmoids, headless."""

import itertools

import numpy as np
import pytest

from helpers import Network
from helpers.widgets import depth_explorer
from helpers.widgets.depth import (
    ACTIVATIONS, HE_SCALE, LEGEND_ROOM_DECADES, MAX_DEPTH, N_INPUTS, WIDTH, DepthExplorer, KeptView, big_number,
    build_network, demo_batch, describe_ratio, verdict,
)

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def explorer():
    return depth_explorer()


def _set(explorer, depth, activation, scale):
    explorer.depth_slider.value = depth
    explorer.activation_buttons.value = activation
    explorer.scale_slider.value = scale
    return explorer.scale_slider.value


def _delta_norms(depth, activation, scale):
    """‖δ[l]‖ for l = 1..L, straight from a Network's backward pass."""
    X, y = demo_batch()
    net = Network([N_INPUTS] + [WIDTH] * depth + [1], [activation] * depth + ["linear"],
                  "half_squared_error", seed=0, weight_scale=scale)
    loss, grads = net.gradients(X, y)
    return loss, np.array([np.linalg.norm(grads.delta[l]) for l in range(1, depth + 2)])


def test_the_function_builds_the_widget_with_a_short_repr(explorer):
    assert isinstance(explorer, DepthExplorer)
    assert repr(explorer) == "<Depth explorer: interactive in JupyterLab; run the cell to use it>"


@pytest.mark.parametrize("depth, activation, scale", [(3, "tanh", 0.5), (8, "sigmoid", HE_SCALE), (5, "relu", 1.0)])
def test_bars_are_the_error_signal_sizes_from_the_backward_pass(explorer, depth, activation, scale):
    scale = _set(explorer, depth, activation, scale)
    loss, expected = _delta_norms(depth, activation, scale)
    np.testing.assert_allclose(explorer.sizes, expected, rtol=1e-12)
    assert explorer.loss == pytest.approx(loss)
    heights = [bar.get_height() for bar in explorer.bars if bar.get_visible()]
    np.testing.assert_allclose(heights, expected, rtol=1e-12)
    assert explorer.reference_line.get_ydata()[0] == pytest.approx(expected[-1])
    label = explorer.ratio_label.value
    assert f"‖δ[1]‖ = {expected[0]:.2e}" in label
    assert f"‖δ[{depth + 1}]‖ = {expected[-1]:.2e}" in label
    assert describe_ratio(expected[0] / expected[-1]) in label
    assert f"{loss:.4f}" in explorer.loss_label.value


def test_sigmoid_ten_layers_deep_starves_the_first_layer(explorer):
    _set(explorer, 10, "sigmoid", HE_SCALE)
    assert explorer.ratio < 1e-3
    assert explorer.verdict == "vanishing"
    assert "vanishing" in explorer.verdict_label.value
    assert "The first layer's gradient signal is <b>1/" in explorer.ratio_label.value


def test_relu_ten_layers_deep_with_he_scale_keeps_its_signal(explorer):
    _set(explorer, 10, "relu", HE_SCALE)
    assert 0.1 < explorer.ratio < 10
    assert explorer.verdict == "healthy"
    assert "healthy" in explorer.verdict_label.value


def test_the_signal_shrinks_layer_after_layer_through_sigmoids(explorer):
    _set(explorer, 10, "sigmoid", HE_SCALE)
    assert np.all(np.diff(explorer.sizes) > 0)  # smallest at layer 1, growing towards the output


def test_deep_relu_with_large_weights_is_reported_diverged(explorer):
    _set(explorer, MAX_DEPTH, "relu", 3.0)
    assert explorer.verdict == "diverged"
    assert "diverged" in explorer.verdict_label.value
    assert "Diverged." in explorer.ratio_label.value
    assert explorer.loss_label.value.endswith("diverged")


def test_deep_tanh_with_large_weights_is_reported_exploding(explorer):
    _set(explorer, MAX_DEPTH, "tanh", 3.0)
    assert explorer.ratio > 100
    assert explorer.verdict == "exploding"
    assert "exploding" in explorer.verdict_label.value


def test_changing_depth_shows_one_bar_per_layer_and_renders_once(explorer):
    for depth in (1, 4, MAX_DEPTH):
        renders = explorer.view.renders
        explorer.depth_slider.value = depth
        assert explorer.view.renders == renders + 1
        assert sum(bar.get_visible() for bar in explorer.bars) == depth + 1
        assert len(explorer.bars) == MAX_DEPTH + 1
        assert explorer.ax.get_xticks()[-1] == depth + 1


def test_every_control_changes_the_bars(explorer):
    for control, value in ((explorer.activation_buttons, "tanh"), (explorer.scale_slider, 1.5),
                           (explorer.depth_slider, 5)):
        before = [bar.get_height() for bar in explorer.bars]
        renders = explorer.view.renders
        control.value = value
        assert explorer.view.renders == renders + 1
        assert [bar.get_height() for bar in explorer.bars] != before


def test_every_control_at_its_minimum_middle_and_maximum_works(explorer):
    depths = (1, (1 + MAX_DEPTH) // 2, MAX_DEPTH)
    stops = [value for _, value in explorer.scale_slider.options]
    scales = (stops[0], stops[len(stops) // 2], stops[-1])
    for depth, activation, scale in itertools.product(depths, ACTIVATIONS, scales):
        _set(explorer, depth, activation, scale)
        assert explorer.verdict in ("healthy", "vanishing", "exploding", "diverged")
        for label in (explorer.ratio_label, explorer.verdict_label, explorer.loss_label):
            assert "nan" not in label.value and "inf" not in label.value


def test_ratios_are_written_as_a_reader_says_them():
    assert describe_ratio(1 / 3400) == "1/3,400 of"
    assert describe_ratio(1 / 16654) == "1/17,000 of"
    assert describe_ratio(25.0) == "25 times"
    assert describe_ratio(0.8) == "about the same size as (0.80 ×)"
    assert describe_ratio(0.0) == "zero, nothing of"
    assert describe_ratio(float("nan")) is None
    assert big_number(2.5e7) == "2.5 × 10<sup>7</sup>"


def test_verdict_draws_its_lines_at_a_hundredfold():
    assert verdict(0.5, [0.001, 1.0]) == "vanishing"
    assert verdict(0.5, [0.5, 1.0]) == "healthy"
    assert verdict(0.5, [1000.0, 1.0]) == "exploding"
    assert verdict(1e13, [1.0, 1.0]) == "diverged"
    assert verdict(0.5, [np.inf, 1.0]) == "diverged"


def test_build_network_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of"):
        build_network(3, "softmax", 0.5)


def test_two_explorers_share_nothing():
    first, second = depth_explorer(), depth_explorer()
    first.depth_slider.value = 2
    assert second.depth_slider.value == 8
    assert len(second.sizes) == 9
    assert first.fig is not second.fig


def test_the_y_axis_runs_between_powers_of_ten_with_room_for_the_legend(explorer):
    for depth, activation, scale in ((1, "relu", 0.1), (8, "sigmoid", HE_SCALE), (MAX_DEPTH, "tanh", 3.0)):
        _set(explorer, depth, activation, scale)
        bottom, top = np.log10(explorer.ax.get_ylim())
        assert (bottom, top) == explorer.decades and bottom == int(bottom) and top == int(top)
        shown = explorer.sizes[np.isfinite(explorer.sizes)]
        assert bottom <= np.log10(shown.min()) - 1
        assert top >= np.log10(shown.max()) + LEGEND_ROOM_DECADES


def test_a_kept_picture_is_exactly_a_full_drawing_of_the_figure(explorer):
    """Still parts drawn once per axes state and whole pictures kept per state: both give the full drawing."""
    states = [(8, "sigmoid", HE_SCALE), (9, "sigmoid", HE_SCALE), (8, "sigmoid", HE_SCALE),  # a picture kept
              (8, "sigmoid", 0.3), (8, "sigmoid", 0.28),  # the same decades: the axes kept
              (3, "relu", 1.0), (3, "tanh", 1.0), (MAX_DEPTH, "tanh", 3.0), (1, "sigmoid", 0.1)]
    for depth, activation, scale in states:
        _set(explorer, depth, activation, scale)
        assert explorer.view.image.value == explorer.view.full_png(), (depth, activation, scale)


def test_a_state_seen_before_is_sent_again_without_drawing(explorer):
    explorer.depth_slider.value = 9
    first = explorer.view.image.value
    explorer.depth_slider.value = 8
    drawn = []
    original = explorer.view.png
    explorer.view.png = lambda: drawn.append(1) or original()
    renders = explorer.view.renders
    explorer.depth_slider.value = 9
    assert drawn == [] and explorer.view.renders == renders + 1
    assert explorer.view.image.value == first
    assert [bar.get_visible() for bar in explorer.bars].count(True) == 10  # the figure's data still follows
    explorer.view.png = original
    assert explorer.view.full_png() == first


def test_the_kept_drawings_are_few(explorer):
    explorer.view.KEEP_PICTURES, explorer.view.KEEP_BACKGROUNDS = 3, 2  # the same rule as the real limits
    for depth in (1, 2, 3, 4, 5):
        explorer.depth_slider.value = depth
    assert list(explorer.view._pictures) == [explorer._state()[:1] + (d, "sigmoid", explorer.scale_slider.value)
                                             for d in (3, 4, 5)]
    assert len(explorer.view._backgrounds) == 2
    assert KeptView.KEEP_PICTURES * 30_000 + KeptView.KEEP_BACKGROUNDS * 1_600_000 < 16_000_000  # bytes, at most


def test_in_presentation_mode_the_controls_stand_beside_a_smaller_picture_that_is_still_a_full_drawing():
    from helpers import style
    from helpers.widgets.depth import PRESENTATION_FIGSIZE

    style.presentation_mode(True)
    try:
        explorer = depth_explorer()
        (row,) = [child for child in explorer.children if child.layout.display != "none"]
        column, image = row.children
        assert image is explorer.view.image
        assert explorer.depth_slider in column.children and explorer.verdict_label in column.children
        expected = [round(side * style.PRESENTATION_FIGURE_SCALE * explorer.fig.dpi) for side in PRESENTATION_FIGSIZE]
        assert [round(side) for side in explorer.fig.bbox.size] == expected
        for depth, activation, scale in ((8, "sigmoid", HE_SCALE), (MAX_DEPTH, "relu", 3.0), (2, "tanh", 0.1)):
            _set(explorer, depth, activation, scale)
            assert explorer.view.image.value == explorer.view.full_png()
    finally:
        style.presentation_mode(False)


def test_the_y_label_stays_in_the_figure_and_clear_of_the_widest_tick_labels(explorer):
    for depth, activation, scale in ((MAX_DEPTH, "sigmoid", 0.1), (MAX_DEPTH, "tanh", 3.0), (1, "relu", 1.0)):
        _set(explorer, depth, activation, scale)
        explorer.view.full_png()
        renderer = explorer.fig.canvas.get_renderer()
        label = explorer.ax.yaxis.label.get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in explorer.ax.get_yticklabels() if t.get_text()]
        assert label.x0 >= 0 and label.x1 < min(t.x0 for t in ticks), (depth, activation, scale)


def test_the_weight_scale_crosses_its_range_in_about_50_key_presses_through_round_values(explorer):
    slider = explorer.scale_slider
    assert slider.value == HE_SCALE and slider.label == "0.354"  # He's √(2/16), not moved to a stop
    presses = len(slider.options) - 1  # one press of an arrow key a stop; a log slider in steps of 0.001 took 1,477
    assert 25 <= presses <= 55, presses
    labels = [label for label, _ in slider.options]
    assert labels[0] == "0.1" and labels[-1] == "3"
    assert {"0.1", "0.25", "0.5", "1", "1.5", "2", "3"} <= set(labels)  # the guide's, the notebook's and the tests'
    values = [value for _, value in slider.options]
    assert values == sorted(values) and all(float(label) == round(value, 3) for label, value in slider.options)
    assert np.diff(np.log10(values)).max() < 0.09  # 0.5 to 0.6 is the widest gap
    near = labels[labels.index("0.354") - 1:labels.index("0.354") + 2]
    assert near == ["0.3", "0.354", "0.4"], near  # 0.35 gives way to He's scale, within 2 % of it


def test_the_weight_scale_refuses_a_value_between_its_stops_and_keeps_its_own(explorer):
    from traitlets import TraitError

    kept = explorer.scale_slider.value
    for bad in (0.37, float("nan"), 5.0):
        with pytest.raises(TraitError, match=r"^the slider 'weight scale' takes a number from 0.1 to 3, one of its stops"):
            explorer.scale_slider.value = bad
        assert explorer.scale_slider.value == kept
