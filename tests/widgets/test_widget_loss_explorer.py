"""The loss explorer, headless: each loss and its slope for the sliders' ŷ and y, curves and markers."""

import itertools
import math

import numpy as np
import pytest

from helpers import losses
from helpers.widgets._base import encode_png, fmt
from helpers.widgets.loss import (
    GRID, LOSS_NAMES, Y_HAT_RANGE, Y_RANGE, LossExplorer, loss_curves, loss_explorer, loss_reading,
)

pytestmark = pytest.mark.filterwarnings("error")


def _by_hand(y_hat, y):
    """The three losses of one prediction, written out as on paper."""
    return {
        "squared_error": (y_hat - y) ** 2,
        "half_squared_error": 0.5 * (y_hat - y) ** 2,
        "binary_cross_entropy": -(y * math.log(y_hat) + (1 - y) * math.log(1 - y_hat)),
    }


def _slopes_by_hand(y_hat, y):
    return {
        "squared_error": 2 * (y_hat - y),
        "half_squared_error": y_hat - y,
        "binary_cross_entropy": (y_hat - y) / (y_hat * (1 - y_hat)),
    }


@pytest.fixture
def explorer():
    return loss_explorer(home="kernel")


def test_the_function_builds_the_widget_with_a_short_repr(explorer):
    assert isinstance(explorer, LossExplorer)
    assert repr(explorer) == "<Loss explorer: interactive in JupyterLab; run the cell to use it>"


def test_it_starts_at_the_worked_example_where_the_squared_error_is_0_09(explorer):
    assert explorer.sliders["y_hat"].value == pytest.approx(0.7)
    assert explorer.sliders["y"].value == 1.0
    assert explorer.reading.values["squared_error"] == pytest.approx(0.09)
    table = explorer.table_label.value
    assert "<b>0.0900</b>" in table
    assert "<b>0.0450</b>" in table
    assert f"<b>{-math.log(0.7):.4f}</b>" in table          # 0.3567
    assert "2(ŷ − y) = \u22120.6000" in table
    assert "ŷ − y = \u22120.3000" in table
    assert "ŷ is 0.30 below the target" in explorer.gap_label.value


@pytest.mark.parametrize("y_hat, y", [(0.7, 1.0), (0.01, 1.0), (0.99, 0.0), (0.3, 0.5), (0.55, 0.25)])
def test_labels_show_the_losses_and_slopes_helpers_computes(explorer, y_hat, y):
    explorer.sliders["y"].value = y
    explorer.sliders["y_hat"].value = y_hat
    expected, slopes = _by_hand(y_hat, y), _slopes_by_hand(y_hat, y)
    table = explorer.table_label.value
    for name in LOSS_NAMES:
        assert explorer.reading.values[name] == pytest.approx(expected[name], rel=1e-9)
        assert explorer.reading.slopes[name] == pytest.approx(slopes[name], rel=1e-9)
        assert f"<b>{fmt(losses.get_loss(name).value(y_hat, y))}</b>" in table
        assert f"= {fmt(losses.get_loss(name).gradient(y_hat, y))}</td>" in table


def test_half_squared_error_is_half_the_squared_error_with_half_the_slope(explorer):
    for y_hat in (0.1, 0.42, 0.9):
        explorer.sliders["y_hat"].value = y_hat
        r = explorer.reading
        assert r.values["half_squared_error"] == pytest.approx(0.5 * r.values["squared_error"])
        assert r.slopes["half_squared_error"] == pytest.approx(0.5 * r.slopes["squared_error"])


def test_a_confident_mistake_costs_far_more_in_cross_entropy_than_in_squared_error(explorer):
    explorer.sliders["y_hat"].value = Y_HAT_RANGE[0]     # 99 % sure of the wrong answer
    r = explorer.reading
    assert r.values["squared_error"] < 1.0
    assert r.values["binary_cross_entropy"] == pytest.approx(-math.log(0.01))   # 4.61
    assert "<b>4.6052</b>" in explorer.table_label.value


def test_curves_are_the_losses_point_by_point():
    for y in (0.0, 0.35, 1.0):
        curves = loss_curves(y)
        for name in LOSS_NAMES:
            one_by_one = [losses.get_loss(name).value(p, y) for p in GRID[::12]]
            assert curves[name][::12] == pytest.approx(one_by_one, rel=1e-12, abs=1e-15)


def test_every_curve_is_lowest_where_the_prediction_equals_the_target():
    for y in (0.2, 0.5, 0.8):
        curves = loss_curves(y)
        for name in LOSS_NAMES:
            assert GRID[np.argmin(curves[name])] == pytest.approx(y, abs=GRID[1] - GRID[0])


def test_moving_the_prediction_moves_the_markers_and_renders_once(explorer):
    before = {name: np.array(explorer.markers[name].get_xydata()) for name in LOSS_NAMES}
    curves_before = np.array(explorer.curves["squared_error"].get_ydata())
    renders = explorer.view.renders
    explorer.sliders["y_hat"].value = 0.25
    assert explorer.view.renders == renders + 1
    for name in LOSS_NAMES:
        after = explorer.markers[name].get_xydata()
        assert not np.allclose(after, before[name])
        assert after[0] == pytest.approx([0.25, _by_hand(0.25, 1.0)[name]])
    assert np.allclose(explorer.curves["squared_error"].get_ydata(), curves_before)  # curves stay
    assert explorer.prediction_line.get_xdata()[0] == pytest.approx(0.25)


def test_moving_the_target_redraws_the_curves_and_the_target_line_and_renders_once(explorer):
    before = np.array(explorer.curves["binary_cross_entropy"].get_ydata())
    renders = explorer.view.renders
    explorer.sliders["y"].value = 0.0
    assert explorer.view.renders == renders + 1
    after = explorer.curves["binary_cross_entropy"].get_ydata()
    assert not np.allclose(after, before)
    assert after == pytest.approx(loss_curves(0.0)["binary_cross_entropy"])
    assert explorer.target_line.get_xdata()[0] == 0.0
    assert explorer.markers["squared_error"].get_xydata()[0] == pytest.approx([0.7, 0.49])
    assert "ŷ is 0.70 above the target" in explorer.gap_label.value


def test_a_soft_target_says_where_cross_entropy_bottoms_out(explorer):
    explorer.sliders["y"].value = 0.5
    assert f"value there is {-math.log(0.5):.4f}, not 0" in explorer.gap_label.value
    explorer.sliders["y"].value = 1.0
    assert "not 0" not in explorer.gap_label.value


def test_hitting_the_target_says_so(explorer):
    explorer.sliders["y"].value = 0.5
    explorer.sliders["y_hat"].value = 0.5
    assert "ŷ = y: the prediction hits the target" in explorer.gap_label.value
    assert explorer.reading.values["squared_error"] == 0.0


def test_every_control_at_its_minimum_middle_and_maximum_works(explorer):
    y_hats = (Y_HAT_RANGE[0], 0.5, Y_HAT_RANGE[1])
    ys = (Y_RANGE[0], 0.5, Y_RANGE[1])
    for y_hat, y in itertools.product(y_hats, ys):
        explorer.sliders["y"].value = y
        explorer.sliders["y_hat"].value = y_hat
        for label in (explorer.gap_label, explorer.table_label):
            assert "nan" not in label.value and "inf" not in label.value and "diverged" not in label.value
        for name in LOSS_NAMES:
            value = explorer.reading.values[name]
            assert math.isfinite(value)
            assert 0.0 <= value < explorer.ax.get_ylim()[1]   # the marker stays on the axes
            assert np.all(np.isfinite(explorer.curves[name].get_ydata()))


def test_two_explorers_share_nothing():
    first, second = loss_explorer(home="kernel"), loss_explorer(home="kernel")
    first.sliders["y_hat"].value = 0.2
    assert second.sliders["y_hat"].value == pytest.approx(0.7)
    assert second.reading.y_hat == pytest.approx(0.7)
    assert first.fig is not second.fig


def test_start_values_can_be_chosen():
    explorer = loss_explorer(y_hat=0.3, y=0.0, home="kernel")
    assert explorer.reading.values["squared_error"] == pytest.approx(0.09)
    assert explorer.reading.values["binary_cross_entropy"] == pytest.approx(-math.log(0.7))


def test_loss_reading_rejects_a_non_number():
    with pytest.raises(TypeError, match="y_hat must be a real number"):
        loss_reading("high", 1.0)


def test_the_current_prediction_and_the_target_lines_are_in_the_legend():
    w = loss_explorer(home="kernel")
    legend = [t.get_text() for t in w.ax.get_legend().get_texts()]
    assert "the current ŷ" in legend and "the target y" in legend
    assert w.prediction_line.get_label() == "the current ŷ"


def test_a_target_at_one_is_drawn_apart_from_the_axes_edge():
    w = loss_explorer(y=1.0, home="kernel")
    right = w.ax.get_xlim()[1]
    pixels = w.ax.transData.transform([(1.0, 0.0), (right, 0.0)])[:, 0]
    assert pixels[1] - pixels[0] >= 10  # at least ten pixels of white between the target line and the edge


def test_the_squared_error_marker_shows_around_the_half_marker_it_sits_next_to():
    w = loss_explorer(home="kernel")  # ŷ = 0.7: squared error 0.09, half of it 0.045, a few pixels apart
    full, half = w.markers["squared_error"], w.markers["half_squared_error"]
    y_px = w.ax.transData.transform([(0.7, 0.09), (0.7, 0.045)])[:, 1]
    assert abs(y_px[0] - y_px[1]) < half.get_markersize()  # they would overlap at equal sizes ...
    # ... so the squared error's marker is larger and behind: its rim shows all round the smaller one.
    assert full.get_markersize() - half.get_markersize() >= 2 * abs(y_px[0] - y_px[1]) * 72 / w.fig.dpi
    assert full.get_zorder() < half.get_zorder()


def _full_drawing(w):
    """The figure drawn whole, as plain matplotlib draws it, with nothing drawn over a kept background."""
    for artist in w.view.moving:
        artist.set_animated(False)
    try:
        w.fig.canvas.draw()
        return encode_png(w.fig.canvas.buffer_rgba())
    finally:
        for artist in w.view.moving:
            artist.set_animated(True)


def test_the_picture_sent_is_exactly_a_full_drawing_of_the_figure(explorer):
    for y, y_hat in ((1.0, 0.7), (1.0, 0.01), (0.0, 0.99), (0.0, 0.01), (0.5, 0.5), (0.25, 0.9)):
        explorer.sliders["y"].value = y
        explorer.sliders["y_hat"].value = y_hat
        assert explorer.view.image.value == _full_drawing(explorer), (y, y_hat)


def test_the_legend_sits_beside_the_axes_where_nothing_that_moves_can_reach_it(explorer):
    explorer.fig.canvas.draw()
    renderer = explorer.fig.canvas.get_renderer()
    legend = explorer.ax.get_legend().get_window_extent(renderer)
    assert legend.x0 > explorer.ax.bbox.x1
    for artist in explorer.view.moving:
        assert artist.get_clip_on()
        np.testing.assert_allclose(artist.get_clip_box().bounds, explorer.ax.bbox.bounds)  # kept inside the axes
    assert explorer.ax.get_legend() not in explorer.view.moving


def test_a_setting_seen_before_is_sent_again_without_drawing(explorer):
    first = explorer.view.image.value
    explorer.sliders["y_hat"].value = 0.71
    drawn = []
    original = explorer.view.png
    explorer.view.png = lambda: drawn.append(1) or original()
    explorer.sliders["y_hat"].value = 0.7
    assert drawn == [] and explorer.view.image.value == first
    assert explorer.markers["squared_error"].get_xydata()[0] == pytest.approx([0.7, 0.09])  # the data follows
    explorer.view.png = original
    assert _full_drawing(explorer) == first
