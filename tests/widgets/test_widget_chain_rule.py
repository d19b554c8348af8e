"""The chain-rule nudger: each link's derivative, their product, and the measured change, headless."""

import itertools
import math

import numpy as np
import pytest

from helpers.widgets import chain_rule_nudger
from helpers.widgets.chain_rule import W, X_RANGE, Y, ChainRuleNudger, chain_links, number

pytestmark = pytest.mark.filterwarnings("error")


def _sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def _loss(x):
    return (_sigma(W * x) - Y) ** 2


def _exact_dL_dx(x):
    """d/dx (σ(w·x) − y)², worked out on paper: 2(σ − y) · σ(1 − σ) · w."""
    s = _sigma(W * x)
    return 2.0 * (s - Y) * s * (1.0 - s) * W


@pytest.fixture
def nudger():
    return chain_rule_nudger(home="kernel")


def test_the_function_builds_the_widget_with_a_short_repr(nudger):
    assert isinstance(nudger, ChainRuleNudger)
    assert repr(nudger) == "<Chain-rule nudger: interactive in JupyterLab; run the cell to use it>"


def test_the_start_is_x_one_half_so_z_is_one(nudger):
    assert nudger.links.z == pytest.approx(1.0)
    assert "z = w·x = 1.0000" in nudger.lines["forward"]
    assert "a = σ(z) = 0.7311" in nudger.lines["forward"]
    assert "L = (a − 1)² = 0.0723" in nudger.lines["forward"]


@pytest.mark.parametrize("x", [-2.5, -0.4, 0.0, 0.5, 1.7])
def test_product_of_the_links_is_the_derivative_of_the_composite(nudger, x):
    nudger.x_slider.value = x
    links = nudger.links
    s = _sigma(W * x)
    assert links.dz_dx == pytest.approx(W)
    assert links.da_dz == pytest.approx(s * (1 - s))
    assert links.dL_da == pytest.approx(2 * (s - Y))
    assert links.dL_dx == pytest.approx(_exact_dL_dx(x), rel=1e-12)
    assert nudger.lines["dL_da"].endswith(f"dL/da = 2(a − y) = {number(2 * (s - Y))}")
    assert nudger.lines["da_dz"].endswith(f"da/dz = σ(z)(1 − σ(z)) = {number(s * (1 - s))}")
    assert nudger.lines["dz_dx"].endswith(f"dz/dx = w = {number(W)}")
    assert nudger.lines["product"].endswith(
        f"dL/dx = dL/da × da/dz × dz/dx = {number(2 * (s - Y))} × {number(s * (1 - s))} × {number(W)} = "
        f"<b>{number(_exact_dL_dx(x))}</b>")


def test_each_link_is_its_own_equation_and_the_product_comes_last():
    """Written as one run of '=' signs, '… = 2.0000 = dL/dx = −0.5000' said that 2 equals −0.5."""
    nudger = chain_rule_nudger(x=0.0, nudge=0.5, home="kernel")
    chain = [nudger.lines[key] for key in ("dL_da", "da_dz", "dz_dx", "product")]
    assert [line.split("</b> ", 1)[1] for line in chain] == [
        "dL/da = 2(a − y) = −1.0000",
        "da/dz = σ(z)(1 − σ(z)) = 0.2500",
        "dz/dx = w = 2.0000",
        "dL/dx = dL/da × da/dz × dz/dx = −1.0000 × 0.2500 × 2.0000 = <b>−0.5000</b>",
    ]


@pytest.mark.parametrize("x, dx", [(0.5, 0.5), (-1.0, 1e-2), (2.0, 1e-4), (0.3, 1.0)])
def test_measured_change_is_the_forward_difference(nudger, x, dx):
    nudger.x_slider.value = x
    nudger.nudge_slider.value = dx
    dx = nudger.nudge_slider.value  # the slider's own rounding of the exponent
    expected = (_loss(x + dx) - _loss(x)) / dx
    assert nudger.measured == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert f"<b>{number(expected)}</b>" in nudger.lines["measured"]
    assert f"Δx = {dx:.1e}" in nudger.lines["measured"]
    gap = abs(expected - _exact_dL_dx(x))
    assert f"= {gap:.2e}" in nudger.lines["gap"]


def test_gap_between_measured_and_chain_rule_shrinks_with_the_nudge(nudger):
    nudger.x_slider.value = -0.5
    gaps = []
    for dx in (1.0, 1e-1, 1e-2, 1e-3, 1e-4):
        nudger.nudge_slider.value = dx
        gaps.append(abs(nudger.measured - nudger.links.dL_dx))
    assert all(later < earlier for earlier, later in zip(gaps, gaps[1:]))
    # A forward difference is off by about Δx · L''/2, so each tenfold cut cuts the gap about tenfold.
    assert gaps[-1] < 2e-3 * gaps[1]  # Δx fell 1000-fold


def test_at_the_smallest_nudge_the_two_slopes_agree_closely(nudger):
    nudger.nudge_slider.value = 10.0 ** nudger.nudge_slider.min
    assert nudger.nudge_slider.value == pytest.approx(1e-6)
    assert abs(nudger.measured - nudger.links.dL_dx) < 1e-5


def test_moving_x_moves_the_tangent_and_the_point_and_renders_once(nudger):
    before_tangent = np.array(nudger.tangent.get_xydata())
    before_point = np.array(nudger.point.get_xydata())
    renders = nudger.view.renders
    nudger.x_slider.value = -1.2
    assert nudger.view.renders == renders + 1
    assert not np.allclose(nudger.tangent.get_xydata(), before_tangent)
    assert not np.allclose(nudger.point.get_xydata(), before_point)
    assert nudger.point.get_xydata()[0] == pytest.approx([-1.2, _loss(-1.2)])
    # The tangent's slope is the chain rule's product.
    (x0, y0), (x1, y1) = nudger.tangent.get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(_exact_dL_dx(-1.2))


def test_moving_the_nudge_moves_the_secant_and_renders_once(nudger):
    before = np.array(nudger.secant.get_xydata())
    renders = nudger.view.renders
    nudger.nudge_slider.value = 1.0
    assert nudger.view.renders == renders + 1
    assert not np.allclose(nudger.secant.get_xydata(), before)
    (x0, y0), (x1, y1) = nudger.secant.get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(nudger.measured)
    assert nudger.nudged_point.get_xydata()[0] == pytest.approx([0.5 + 1.0, _loss(1.5)])


def test_every_control_at_its_minimum_middle_and_maximum_works(nudger):
    xs = (X_RANGE[0], 0.0, X_RANGE[1])
    exponents = (nudger.nudge_slider.min, -3, nudger.nudge_slider.max)
    for x, e in itertools.product(xs, exponents):
        nudger.x_slider.value = x
        nudger.nudge_slider.value = 10.0 ** e
        for line in nudger.lines.values():
            assert "nan" not in line and "inf" not in line
        assert nudger.links.dL_dx == pytest.approx(_exact_dL_dx(x), rel=1e-9)


def test_two_nudgers_share_nothing():
    first, second = chain_rule_nudger(home="kernel"), chain_rule_nudger(home="kernel")
    first.x_slider.value = -2.0
    assert second.x_slider.value == 0.5
    assert second.links.x == 0.5
    assert first.fig is not second.fig


def test_chain_links_rejects_a_non_number():
    with pytest.raises(TypeError, match="x must be a real number"):
        chain_links("one")


def test_the_nudge_is_drawn_as_a_labelled_rise_over_run():
    nudger = chain_rule_nudger(x=0.0, nudge=0.5, home="kernel")
    L0 = _loss(0.0)
    L1 = _loss(0.5)
    assert list(nudger.run_line.get_xdata()) == [0.0, 0.5] and list(nudger.run_line.get_ydata()) == [L0, L0]
    assert list(nudger.rise_line.get_xdata()) == [0.5, 0.5]
    assert nudger.rise_line.get_ydata()[1] == pytest.approx(L1)
    assert nudger.run_text.get_text() == "Δx" and nudger.rise_text.get_text() == "ΔL"
    assert nudger.run_text.get_position()[0] == pytest.approx(0.25)  # under the middle of the run
    assert nudger.rise_text.get_position()[1] == pytest.approx((L0 + L1) / 2)  # beside the middle of the rise
    assert nudger.run_line.get_linewidth() >= 2 and nudger.rise_line.get_linestyle() == "-"


def test_a_nudge_too_small_to_see_is_not_labelled():
    nudger = chain_rule_nudger(x=0.0, nudge=0.5, home="kernel")
    nudger.nudge_slider.value = 1e-3
    assert nudger.run_text.get_text() == "" and nudger.rise_text.get_text() == ""
    nudger.nudge_slider.value = 0.1
    assert nudger.run_text.get_text() == "Δx"


def test_the_seven_lines_of_numbers_are_one_label_in_their_order(nudger):
    """A move changes every number, so the seven lines travel as one label change, not seven."""
    nudger.x_slider.value = -1.0
    assert list(nudger.lines) == ["forward", "dL_da", "da_dz", "dz_dx", "product", "measured", "gap"]
    assert nudger.numbers_label.value == "".join(f"<div>{line}</div>" for line in nudger.lines.values())
    assert "x = −1.00 →" in nudger.numbers_label.value


def test_a_move_sends_the_picture_then_the_numbers(nudger):
    """The picture, slowest to arrive and show, goes to the browser first; then one label."""
    changed = []
    for widget in (nudger.numbers_label, nudger.view.image):
        widget.observe(lambda change: changed.append(change["owner"]), names="value")
    nudger.x_slider.value = 1.3
    assert changed == [nudger.view.image, nudger.numbers_label]


def test_the_legend_over_the_lines_is_the_one_a_full_drawing_gives():
    """The legend is pasted from a kept copy unless a line passes under it; the picture must be the
    same as when the legend is drawn on every move, wherever the tangent and the secant go."""
    from helpers.widgets._base import BlitView

    kept, drawn = chain_rule_nudger(home="kernel"), chain_rule_nudger(home="kernel")
    drawn.view = BlitView(drawn.fig, [*drawn.view.moving, drawn.ax.get_legend()])
    for x, exponent in itertools.product((-3.0, -1.1, 0.0, 0.9, 2.2, 3.0), (-6, -1, 0)):
        for nudger in (kept, drawn):
            nudger.x_slider.value = x
            nudger.nudge_slider.value = 10.0 ** exponent
            nudger._on_change()
        assert kept.view.png() == drawn.view.png(), (x, exponent)


def test_in_presentation_mode_the_numbers_sit_beside_the_picture():
    """Under the picture, four lines of large text pushed it off a 1280x720 projector."""
    from helpers import style

    style.presentation_mode()
    try:
        nudger = chain_rule_nudger(home="kernel")
    finally:
        style.presentation_mode(False)
    sliders, row = [child for child in nudger.children if child.layout.display != "none"]
    assert sliders.children == (nudger.x_slider, nudger.nudge_slider)
    assert row.children == (nudger.view.image, nudger.numbers_label) and row.layout.flex_flow == "row wrap"
    plain = chain_rule_nudger(home="kernel")  # in the course's look the numbers stay above the picture
    assert plain.children[2:] == (plain.numbers_label, plain.view.image)  # after the kernel notice
