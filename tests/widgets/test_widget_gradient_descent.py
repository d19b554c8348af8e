"""The gradient-descent playground, driven without a browser: η, steps and start in; path, loss and verdict out."""

import numpy as np
import pytest

from helpers.tiny import EXAMPLE_TARGET, EXAMPLE_WEIGHTS, TwoTwoOne
from helpers.widgets import gradient_descent_playground
from helpers.widgets._base import short
from helpers.widgets.gradient_descent import (
    CONVERGING,
    CRAWLING,
    DIVERGED,
    ETA_KEYS,
    ETA_PAGE_KEYS,
    ETA_RANGE,
    LOSS_DECADES_STEP,
    OVERSHOOTING,
    ROUND_ENDS,
    START,
    STEPS_KEYS,
    STEPS_PAGE_KEYS,
    STEPS_RANGE,
    descend_output_weights,
    key_step,
    number,
    verdict,
)

pytestmark = pytest.mark.filterwarnings("error")


def test_one_step_moves_only_w3_and_w4_against_their_gradients():
    path = descend_output_weights(1.0, 0.6, eta=0.5, steps=1)
    g = TwoTwoOne().gradients()
    w1, w2, w3, w4 = path.weights[1]
    assert (w1, w2) == (EXAMPLE_WEIGHTS["w1"], EXAMPLE_WEIGHTS["w2"])
    assert w3 == pytest.approx(1.0 - 0.5 * g["w3"]) and w4 == pytest.approx(0.6 - 0.5 * g["w4"])
    assert path.loss[0] == pytest.approx(0.09, abs=1e-5) and path.loss[1] < path.loss[0]


def test_labels_show_the_final_numbers_of_the_run_helpers_computes():
    p = gradient_descent_playground(home="kernel")
    p.eta.value = 0.2
    p.steps.value = 15
    p.start_sliders["w3"].value = 0.5
    p.start_sliders["w4"].value = -1.0
    path = descend_output_weights(0.5, -1.0, 0.2, 15)
    assert f"<b>{number(path.loss[-1])}</b>" in p.final_loss_label.value
    assert f"<b>{number(path.y_hat[-1])}</b>" in p.final_y_hat_label.value
    np.testing.assert_allclose(p.landscape.path_line.get_xydata(), path.weights[:, 2:])
    np.testing.assert_allclose(p.loss_plot.line.get_ydata(), path.loss)
    np.testing.assert_allclose(p.y_hat_line.get_ydata(), path.y_hat)


def test_a_move_redraws_the_path_once_and_never_the_contours():
    p = gradient_descent_playground(home="kernel")
    contour, losses = p.landscape.contour, p.landscape.L.copy()
    path_before = p.landscape.path_line.get_xydata().copy()
    renders, image = p.view.renders, p.view.image.value
    p.start_sliders["w3"].value = 2.0
    assert p.view.renders == renders + 1 and p.view.image.value != image
    assert p.landscape.contour is contour
    np.testing.assert_array_equal(p.landscape.L, losses)
    assert not np.array_equal(p.landscape.path_line.get_xydata(), path_before)
    assert p.landscape.start_marker.get_xydata().tolist() == [[2.0, p.start_sliders["w4"].value]]


def test_a_moderate_learning_rate_converges_to_the_target():
    p = gradient_descent_playground(eta=0.5, steps=60, home="kernel")
    assert p.verdict == CONVERGING and CONVERGING in p.verdict_label.value
    assert p.path.y_hat[-1] == pytest.approx(EXAMPLE_TARGET, abs=1e-6)
    assert np.all(np.diff(p.path.loss) <= 0)


def test_the_lowest_learning_rate_visibly_crawls():
    p = gradient_descent_playground(steps=50, home="kernel")
    p.eta.value = 10 ** p.eta.min  # η = 0.01
    assert p.verdict == CRAWLING and "too low" in p.verdict_label.value
    # Fifty steps cover less than half the way down to the valley floor (where ŷ = y) ...
    error = p.path.y_hat - EXAMPLE_TARGET
    assert abs(error[-1]) > 0.5 * abs(error[0])
    assert p.path.loss[-1] > 0.3 * p.path.loss[0]
    # ... while η = 0.3 gets there in thirty.
    p.eta.value = 0.3
    p.steps.value = 30
    assert p.verdict == CONVERGING and abs(p.path.y_hat[-1] - EXAMPLE_TARGET) < 0.01 * abs(error[0])


def test_a_high_learning_rate_visibly_overshoots_in_a_zig_zag():
    p = gradient_descent_playground(eta=1.8, steps=20, home="kernel")
    assert p.verdict == OVERSHOOTING and "too high" in p.verdict_label.value
    error = p.y_hat_line.get_ydata()[:6] - EXAMPLE_TARGET
    assert np.all(np.sign(error[1:]) == -np.sign(error[:-1]))  # ŷ lands on the other side of y each step


def test_just_above_the_limit_each_jump_lands_higher_so_the_loss_keeps_growing_and_is_called_diverged():
    p = gradient_descent_playground(eta=2.5, steps=20, home="kernel")
    assert not p.path.diverged and np.all(np.diff(p.path.loss) > 0)  # finite, but growing at every step
    assert p.verdict == DIVERGED and "<b>diverged</b>" in p.verdict_label.value
    assert "each jump lands higher" in p.verdict_label.value
    p.steps.value = 4  # too few steps to tell growth from a jump or two: only overshooting
    assert p.verdict == OVERSHOOTING


def test_the_learning_rate_slider_hits_the_values_the_text_names():
    p = gradient_descent_playground(home="kernel")
    for typed in (0.5, 1.16, 2.32, 0.01, 10.0):
        p.eta.value = 10 ** round(np.log10(typed), 3)  # where the browser puts a typed value: on its grid
        assert p.path.loss[1] == descend_output_weights(*START.values(), typed, 1).loss[1]


def test_the_y_hat_axis_writes_whole_values_without_an_offset_above_it():
    p = gradient_descent_playground(steps=50, home="kernel")
    p.start_sliders["w3"].value = p.start_sliders["w3"].max
    p.eta.value = 10 ** p.eta.max
    p.view.render()
    assert p.y_hat_ax.yaxis.get_offset_text().get_text() == ""
    labels = [t.get_text() for t in p.y_hat_ax.get_yticklabels() if t.get_text()]
    assert labels and all("-" not in t for t in labels)


def test_the_four_sliders_line_up_in_one_column():
    p = gradient_descent_playground(home="kernel")
    controls = [p.eta, p.steps, *p.start_sliders.values()]
    assert len({c.layout.width for c in controls}) == 1
    assert len({c.style.description_width for c in controls}) == 1


def test_the_highest_learning_rate_diverges_and_says_so():
    p = gradient_descent_playground(steps=50, home="kernel")
    p.start_sliders["w3"].value = p.start_sliders["w3"].max
    p.start_sliders["w4"].value = p.start_sliders["w4"].max
    p.eta.value = 10 ** p.eta.max  # η = 10
    assert p.path.diverged and p.verdict == DIVERGED
    assert "<b>diverged</b>" in p.verdict_label.value
    assert "<b>diverged</b>" in p.final_loss_label.value and "<b>diverged</b>" in p.final_y_hat_label.value
    assert "nan" not in p.final_loss_label.value + p.final_y_hat_label.value


@pytest.mark.parametrize("where", ["min", "middle", "max"])
def test_every_control_survives_its_extremes(where):
    p = gradient_descent_playground(home="kernel")
    for control in [p.eta, p.steps, *p.start_sliders.values()]:
        lo, hi = control.min, control.max
        value = {"min": lo, "middle": (lo + hi) / 2, "max": hi}[where]
        if control is p.eta:
            value = 10 ** value
        elif control is p.steps:
            value = int(round(value))
        control.value = value
        assert "nan" not in p.final_loss_label.value + p.final_y_hat_label.value
        assert p.verdict in (CONVERGING, CRAWLING, OVERSHOOTING, DIVERGED, "already at the bottom")


def test_two_playgrounds_share_nothing():
    a, b = gradient_descent_playground(home="kernel"), gradient_descent_playground(home="kernel")
    a.eta.value = 5.0
    assert b.eta.value == pytest.approx(0.3) and b.verdict == CONVERGING
    assert a.fig is not b.fig


@pytest.mark.parametrize("presentation", [False, True], ids=["course", "presentation"])
def test_the_picture_sent_is_exactly_a_full_drawing_of_the_figure(presentation):
    """The map drawn once, each right-hand axes kept per state, whole pictures kept: all equal a full drawing."""
    from helpers import style

    style.presentation_mode(presentation)
    try:
        p = gradient_descent_playground(home="kernel")
    finally:
        style.presentation_mode(False)
    moves = [("w3", 2.0), ("eta", 1.5), ("w3", 4.0), ("steps", 1), ("eta", 10.0), ("steps", 200), ("w4", 4.0),
             ("eta", 0.01), ("w3", -2.0), ("eta", 1.5), ("w3", 2.0)]  # the last two return to seen states
    controls = {"eta": p.eta, "steps": p.steps, **p.start_sliders}
    for name, value in moves:
        controls[name].value = value
        assert p.view.image.value == p.view.full_png(), (name, value)


def test_a_move_back_sends_the_kept_picture_without_drawing():
    p = gradient_descent_playground(home="kernel")
    first = p.view.image.value
    p.start_sliders["w3"].value = -1.45
    drawn = []
    original = p.view.png
    p.view.png = lambda: drawn.append(1) or original()
    p.start_sliders["w3"].value = START["w3"]
    assert drawn == [] and p.view.image.value == first
    np.testing.assert_allclose(p.landscape.path_line.get_xydata()[0], [START["w3"], START["w4"]])  # data follows
    p.view.png = original


def test_the_right_hand_axes_end_at_round_values_around_every_point():
    p = gradient_descent_playground(home="kernel")
    for eta, w3 in ((0.01, 4.0), (0.3, -2.0), (1.5, 2.0), (2.5, -2.0)):
        p.eta.value = 10 ** round(np.log10(eta), 3)
        p.start_sliders["w3"].value = w3
        lo, hi = p.y_hat_ax.get_ylim()
        finite = p.path.y_hat[np.isfinite(p.path.y_hat)]
        assert lo < min(finite.min(), EXAMPLE_TARGET) and hi > max(finite.max(), EXAMPLE_TARGET)
        assert abs(lo) in ROUND_ENDS and abs(hi) in ROUND_ENDS
        bottom, top = np.log10(p.loss_plot.ax.get_ylim())
        shown = p.path.loss[np.isfinite(p.path.loss) & (p.path.loss > 0)]
        assert 10 ** bottom <= shown.min() and shown.max() <= 10 ** top
        assert bottom % LOSS_DECADES_STEP == 0 and top % LOSS_DECADES_STEP == 0


def test_the_two_y_labels_line_up_clear_of_their_tick_labels():
    p = gradient_descent_playground(steps=50, home="kernel")
    p.start_sliders["w3"].value = p.start_sliders["w3"].max
    p.eta.value = 10 ** p.eta.max  # ŷ in the hundreds of thousands: the widest tick labels
    p.view.full_png()
    renderer = p.fig.canvas.get_renderer()
    lefts = []
    for ax in (p.loss_plot.ax, p.y_hat_ax):
        label = ax.yaxis.label.get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
        assert label.x1 < min(t.x0 for t in ticks)
        lefts.append(label.x0)
    assert lefts[0] == pytest.approx(lefts[1], abs=2)  # each label may sit 1 px apart between matplotlib versions
    colour_bar = p.landscape.colorbar.ax.get_tightbbox(renderer)
    assert colour_bar.x1 < min(lefts)


def test_a_step_count_beyond_the_slider_set_from_code_is_refused_and_the_run_kept():
    from traitlets import TraitError
    widget = gradient_descent_playground(steps=30, home="kernel")
    with pytest.raises(TraitError, match=r"the slider 'steps' takes a whole number from 1 to 200, but got "
                                         r"1,000,000,000; it keeps 30"):
        widget.steps.value = 10**9
    assert widget.steps.value == 30 and len(widget.path.loss) == 31


def test_descend_output_weights_has_descend_tinys_bound_on_steps():
    with pytest.raises(ValueError, match=r"steps must be at most 1,000,000"):
        descend_output_weights(1.0, 0.6, 0.3, 3_000_000)


# ---- the keys: η and the steps span decades, so a key press steps through round values ----


def presses(keys, start, stop, direction=+1):
    """How many presses of one key take `start` to `stop`, stepping with key_step."""
    count, value = 0, start
    while value != stop and count < 10_000:
        value, count = key_step(value, keys, direction), count + 1
    return count


def test_arrow_keys_take_eta_from_001_to_10_in_about_50_presses_through_round_values():
    assert (ETA_KEYS[0], ETA_KEYS[-1]) == ETA_RANGE
    assert presses(ETA_KEYS, 0.01, 10.0) == len(ETA_KEYS) - 1 == 45
    assert presses(ETA_KEYS, 10.0, 0.01, -1) == 45
    assert list(ETA_KEYS) == sorted(set(ETA_KEYS))
    # Round values: at most two significant digits, shown as written (0.012, not 0.0120 or 0.011999).
    for value in ETA_KEYS:
        assert float(f"{value:.2g}") == value and float(short(value)) == value, value
    assert [short(v) for v in ETA_KEYS[:8]] == ["0.01", "0.012", "0.015", "0.018", "0.02", "0.025", "0.03", "0.035"]
    # Even steps on the log scale: each press multiplies η by 1.11 to 1.25.
    ratios = np.array(ETA_KEYS[1:]) / np.array(ETA_KEYS[:-1])
    assert ratios.min() > 1.1 and ratios.max() <= 1.25
    # Page Up / Page Down: 1, 2, 5 in each decade, all among the arrow keys' values.
    assert [short(v) for v in ETA_PAGE_KEYS] == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"]
    assert set(ETA_PAGE_KEYS) <= set(ETA_KEYS)


def test_the_round_etas_tell_the_story_notebook_05_asks_for():
    """Walking η up the keys with the default start and 30 steps: crawling, converging, overshooting, diverged."""
    verdicts = []
    for eta in ETA_KEYS:
        said = verdict(descend_output_weights(*START.values(), eta, 30))  # the playground's default start and steps
        if not verdicts or verdicts[-1][1] != said:
            verdicts.append((eta, said))
    assert verdicts == [(0.01, CRAWLING), (0.06, CONVERGING), (1.2, OVERSHOOTING), (2.5, DIVERGED)]


def test_a_key_press_between_two_round_values_goes_to_the_next_one_the_way_pressed_and_stops_at_the_ends():
    assert key_step(1.16, ETA_KEYS, +1) == 1.2 and key_step(1.16, ETA_KEYS, -1) == 1.0
    assert key_step(0.3, ETA_KEYS, +1) == 0.35 and key_step(0.3, ETA_KEYS, -1) == 0.25
    assert key_step(10.0, ETA_KEYS, +1) == 10.0 and key_step(0.01, ETA_KEYS, -1) == 0.01
    # A value a hair off a round one (10**log10(x) read back) counts as that value.
    assert key_step(10 ** np.log10(0.3), ETA_KEYS, +1) == 0.35
    assert key_step(0.5, ETA_PAGE_KEYS, +1) == 1.0 and key_step(0.7, ETA_PAGE_KEYS, -1) == 0.5


def test_arrow_keys_take_the_steps_from_1_to_200_in_30_presses():
    assert (STEPS_KEYS[0], STEPS_KEYS[-1]) == STEPS_RANGE
    assert presses(STEPS_KEYS, 1, 200) == len(STEPS_KEYS) - 1 == 30
    assert list(STEPS_KEYS) == sorted(set(STEPS_KEYS)) and all(isinstance(v, int) for v in STEPS_KEYS)
    assert {4, 20, 30, 50, 100, 200} <= set(STEPS_KEYS)  # the counts the notebook and guide name
    assert set(STEPS_PAGE_KEYS) <= set(STEPS_KEYS)
    assert key_step(33, STEPS_KEYS, +1) == 35 and key_step(33, STEPS_KEYS, -1) == 30



def test_notebook_05_says_how_many_key_presses_walk_eta_across_and_from_which_values():
    import json
    from pathlib import Path

    from helpers.widgets.gradient_descent import ETA_KEYS

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "05_gradient_descent.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").split()
    text = " ".join(text)
    first = ", ".join(f"{v:g}" for v in ETA_KEYS[:4])
    assert f"({first}, …: {len(ETA_KEYS) - 1} presses)" in text
