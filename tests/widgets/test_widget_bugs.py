"""The bug explorer, headless: every bug in the dropdown shows the symptoms helpers.bugs measures."""

import html

import numpy as np
import pytest

from helpers import bugs
from helpers.widgets._base import with_minus_signs
from helpers.widgets.bugs import CHECKS, MAX_LAYERS, BugExplorer, bug_explorer, tick_label

pytestmark = pytest.mark.filterwarnings("error")

_MEASURED = {}


def measured(kind, buggy=True):
    if (kind, buggy) not in _MEASURED:
        _MEASURED[kind, buggy] = bugs.symptoms(kind, buggy=buggy)
    return _MEASURED[kind, buggy]


@pytest.fixture(scope="module")
def explorer():
    return bug_explorer()


def test_the_function_builds_the_widget_with_a_short_repr(explorer):
    assert isinstance(explorer, BugExplorer)
    assert repr(explorer) == "<Bug explorer: interactive in JupyterLab; run the cell to use it>"


def test_the_dropdown_offers_every_bug_by_its_title(explorer):
    assert [value for _, value in explorer.bug_dropdown.options] == list(bugs.KINDS)
    assert [title for title, _ in explorer.bug_dropdown.options] == [bugs.BUGS[k].title for k in bugs.KINDS]


@pytest.mark.parametrize("kind", bugs.KINDS)
def test_each_option_shows_the_symptoms_helpers_measures(explorer, kind):
    explorer.bug_dropdown.value = kind
    s, healthy = measured(kind), measured(kind, buggy=False)
    items = bugs.report_items(s)
    for name in CHECKS:
        assert with_minus_signs(items[name]) in html.unescape(explorer.findings[name])
    assert bugs.BUGS[kind].mistake in html.unescape(explorer.findings["planted"])
    assert items["diagnosis"] in html.unescape(explorer.findings["diagnosis"])
    assert bugs.BUGS[kind].fix in html.unescape(explorer.findings["diagnosis"])

    np.testing.assert_allclose(explorer.buggy_line.get_ydata(), s.loss)
    np.testing.assert_allclose(explorer.healthy_line.get_ydata(), healthy.loss)
    heights = [bar.get_height() for bar in explorer.buggy_bars if bar.get_visible()]
    np.testing.assert_allclose(heights, s.layer_gradients[s.layer_gradients > 0])
    healthy_heights = [bar.get_height() for bar in explorer.healthy_bars if bar.get_visible()]
    np.testing.assert_allclose(healthy_heights, healthy.layer_gradients[healthy.layer_gradients > 0])
    assert explorer.diverged_text.get_visible() == s.diverged
    assert len(explorer.diverged_marker.get_xdata()) == int(s.diverged)
    assert list(explorer.findings) == ["planted", *CHECKS, "diagnosis"]
    assert explorer.findings_label.value == "".join(f"<div>{line}</div>" for line in explorer.findings.values())
    for line in explorer.findings.values():
        assert "nan" not in line and "inf" not in line


def test_a_diverged_run_gets_a_log_loss_axis_and_a_marker_where_it_stopped(explorer):
    explorer.bug_dropdown.value = "learning_rate_too_high"
    s = measured("learning_rate_too_high")
    assert explorer.loss_ax.get_yscale() == "log"
    assert explorer.diverged_marker.get_xdata()[0] == len(s.loss) - 1
    explorer.bug_dropdown.value = "forgotten_bias_gradient"
    assert explorer.loss_ax.get_yscale() == "linear"


def test_every_change_updates_the_figure_and_renders_once(explorer):
    for kind in ("dead_relu", "vanishing_gradients", "wrong_sign", "missing_derivative"):
        before = (explorer.buggy_line.get_ydata().copy(), [bar.get_height() for bar in explorer.buggy_bars],
                  explorer.findings["loss"])
        renders = explorer.view.renders
        explorer.bug_dropdown.value = kind
        assert explorer.view.renders == renders + 1
        after = (explorer.buggy_line.get_ydata(), [bar.get_height() for bar in explorer.buggy_bars],
                 explorer.findings["loss"])
        assert len(before[0]) != len(after[0]) or not np.allclose(before[0], after[0]) or before[1] != after[1]
        assert before[2] != after[2]


def test_one_bar_per_layer_of_the_chosen_job(explorer):
    explorer.bug_dropdown.value = "vanishing_gradients"
    assert sum(bar.get_visible() for bar in explorer.healthy_bars) == MAX_LAYERS == 9
    explorer.bug_dropdown.value = "wrong_sign"
    assert sum(bar.get_visible() for bar in explorer.healthy_bars) == 2
    assert list(explorer.sizes_ax.get_xticks()) == [1, 2]


def test_two_explorers_share_nothing():
    first, second = bug_explorer("dead_relu"), bug_explorer()
    first.bug_dropdown.value = "wrong_sign"
    assert second.bug_dropdown.value == "wrong_sign" and second.kind == "wrong_sign"
    second.bug_dropdown.value = "missing_derivative"
    assert first.kind == "wrong_sign"
    assert first.fig is not second.fig


def test_log_ticks_are_plain_text():
    assert tick_label(0.5) == "0.5"
    assert tick_label(1e12) == "10¹²"
    assert tick_label(1e-6) == "10⁻⁶"
    assert tick_label(0.0) == ""


def test_coming_back_to_a_bug_sends_its_picture_again_without_drawing_and_it_is_the_true_picture():
    explorer = bug_explorer(kind="dead_relu")
    explorer.bug_dropdown.value = "wrong_sign"
    first = explorer.view.image.value
    explorer.bug_dropdown.value = "dead_relu"
    drawn = []
    original = explorer.view.png
    explorer.view.png = lambda: drawn.append(1) or original()
    explorer.bug_dropdown.value = "wrong_sign"
    assert drawn == []  # kept, not drawn again
    assert explorer.view.image.value == first
    explorer.view.png = original
    # the kept picture is exactly what drawing the figure now gives, and what a fresh widget shows
    assert explorer.view.png() == first
    assert bug_explorer(kind="wrong_sign").view.image.value == first


def test_in_presentation_mode_the_plots_stand_one_above_the_other_beside_the_findings():
    """Side by side under seven lines of large findings, the plots did not fit a 1280x720 projector."""
    from helpers import style

    style.presentation_mode()
    try:
        w = bug_explorer("learning_rate_too_high")
    finally:
        style.presentation_mode(False)
    dropdown, row = [child for child in w.children if child.layout.display != "none"]
    assert dropdown is w.bug_dropdown
    assert row.children == (w.view.image, w.findings_label) and row.layout.flex_flow == "row wrap"
    loss, sizes = w.loss_ax.get_position(), w.sizes_ax.get_position()
    assert loss.y0 > sizes.y1 and abs(loss.x0 - sizes.x0) < 1e-9  # one above the other
    assert w.fig.bbox.width == 650 and w.fig.bbox.height <= 540
    # the short axis names fit beside a plot a third as tall; the word 'diverged' clears the axis
    w.fig.canvas.draw()
    renderer = w.fig.canvas.get_renderer()
    for ax in (w.loss_ax, w.sizes_ax):
        name = ax.yaxis.label.get_window_extent(renderer)
        assert name.y0 >= 0 and name.y1 <= w.fig.bbox.height, ax.get_ylabel()
    assert w.diverged_text.get_window_extent(renderer).x0 > w.loss_ax.get_window_extent(renderer).x0


def test_choosing_a_bug_sends_the_picture_then_one_label(explorer):
    """Each changed label is one more message to the browser; the picture, slowest to arrive and show,
    goes first."""
    import ipywidgets as widgets

    from helpers.widgets._base import _descendants

    changed = []
    for control in _descendants(explorer):
        if isinstance(control, (widgets.HTML, widgets.Image)):
            control.observe(lambda change: changed.append(change["owner"]), names="value")
    explorer.bug_dropdown.value = "dead_relu"
    assert changed == [explorer.view.image, explorer.findings_label]
