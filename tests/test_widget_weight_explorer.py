"""The weight explorer, driven without a browser: set each control's value and read the labels and figure."""

import numpy as np
import pytest

from helpers.tiny import EXAMPLE_ETA, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from helpers.widgets import weight_explorer
from helpers.widgets.weights import signed

pytestmark = pytest.mark.filterwarnings("error")


def bold(value, digits=4):
    return f"<b>{value:.{digits}f}</b>"


def test_it_starts_at_the_worked_example():
    w = weight_explorer()
    assert {n: s.value for n, s in w.sliders.items()} == EXAMPLE_WEIGHTS
    assert w.eta.value == EXAMPLE_ETA
    assert bold(0.70) in w.y_hat_label.value  # ŷ = 0.70
    assert bold(0.09) in w.loss_label.value   # L = (0.70 − 1.0)² = 0.09
    after = TwoTwoOne().step(EXAMPLE_ETA).forward()
    assert round(after, 2) == 0.85 and bold(after) in w.next_y_hat_label.value
    assert w.view.renders == 1


def test_moving_w1_shows_the_numbers_helpers_computes_for_it():
    w = weight_explorer()
    image, renders = w.view.image.value, w.view.renders
    w.sliders["w1"].value = 0.2
    chain = TwoTwoOne(0.2, 0.3, 1.0, 0.6).chain()
    assert bold(chain.y_hat) in w.y_hat_label.value
    assert bold(chain.loss) in w.loss_label.value
    for name in WEIGHT_NAMES:
        g = chain.gradients[name]
        assert f"∂L/∂{name} = <b>{g:+.4f}</b>" in w.gradient_labels[name].value
        assert f"moves {name} by {-EXAMPLE_ETA * g:+.4f}" in w.gradient_labels[name].value
    after = TwoTwoOne(0.2, 0.3, 1.0, 0.6).step(EXAMPLE_ETA).forward()
    assert bold(after) in w.next_y_hat_label.value
    assert w.state()["y_hat"] == pytest.approx(chain.y_hat)
    # The figure follows, in place, with one render.
    assert w.view.renders == renders + 1 and w.view.image.value != image
    assert w.diagram.edges["w1"].get_linestyle() == "-"  # w1 turned positive: solid now
    assert w.diagram.weight_labels["w1"].get_text() == "w1 = 0.20"
    assert w.diagram.value_labels["y_hat"].get_text() == f"{chain.y_hat:.3f}"


def test_each_weight_slider_changes_its_own_line():
    w = weight_explorer()
    for name in WEIGHT_NAMES:
        line = w.diagram.edges[name]
        w.sliders[name].value = -2.0
        assert w.diagram.edges[name] is line
        assert line.get_linestyle() == "--" and w.diagram.weight_labels[name].get_text() == f"{name} = −2.00"
        assert w.state()["weights"][name] == -2.0


def test_the_gradient_sign_is_always_written():
    assert signed(0.141) == "+0.1410" and signed(-0.141) == "-0.1410" and signed(np.nan) == "diverged"


def test_step_lowers_the_loss_and_moves_the_sliders_by_minus_eta_times_the_gradient():
    w = weight_explorer()
    before = TwoTwoOne().chain()
    renders = w.view.renders
    w.step_button.click()
    for name in WEIGHT_NAMES:
        expected = EXAMPLE_WEIGHTS[name] - EXAMPLE_ETA * before.gradients[name]
        assert w.sliders[name].value == pytest.approx(expected)
    assert w.state()["loss"] < before.loss
    assert bold(TwoTwoOne().step(EXAMPLE_ETA).forward()) in w.y_hat_label.value  # ŷ ≈ 0.85 now
    assert w.view.renders == renders + 1  # the four sliders moved, but the figure was drawn once


def test_reset_restores_the_example():
    w = weight_explorer()
    w.eta.value = 2.0
    w.sliders["w3"].value = -1.0
    w.step_button.click()
    w.reset_button.click()
    assert {n: s.value for n, s in w.sliders.items()} == EXAMPLE_WEIGHTS
    assert w.eta.value == pytest.approx(EXAMPLE_ETA)
    assert bold(0.70) in w.y_hat_label.value and w.state()["weights"] == EXAMPLE_WEIGHTS


def test_the_learning_rate_changes_what_one_step_would_do():
    w = weight_explorer()
    w.eta.value = 0.1
    after = TwoTwoOne().step(0.1).forward()
    assert bold(after) in w.next_y_hat_label.value
    g = TwoTwoOne().gradients()["w3"]
    assert f"moves w3 by {-0.1 * g:+.4f}" in w.gradient_labels["w3"].value


@pytest.mark.parametrize("where", ["min", "middle", "max"])
def test_every_control_survives_its_extremes(where):
    w = weight_explorer()
    for control in [*w.sliders.values(), w.eta]:
        if control is w.eta:
            value = {"min": 10 ** control.min, "middle": 10 ** ((control.min + control.max) / 2),
                     "max": 10 ** control.max}[where]
        else:
            value = {"min": control.min, "middle": (control.min + control.max) / 2, "max": control.max}[where]
        control.value = value
        labels = [w.y_hat_label, w.loss_label, w.next_y_hat_label, *w.gradient_labels.values()]
        assert all("nan" not in label.value for label in labels)
    w.step_button.click()
    w.reset_button.click()


def test_steps_that_blow_the_weights_up_say_diverged():
    w = weight_explorer()
    w.eta.value = 10 ** w.eta.max  # η = 5
    for name, value in {"w1": 0.0, "w2": 3.0, "w3": 3.0, "w4": -3.0}.items():
        w.sliders[name].value = value
    for _ in range(12):
        w.step_button.click()
    assert w.state()["diverged"]
    assert "diverged" in w.y_hat_label.value and "diverged" in w.loss_label.value
    assert all("diverged" in label.value for label in w.gradient_labels.values())
    assert "diverged" in w.status_label.value
    assert w.diagram.value_labels["y_hat"].get_text() == "diverged"
    w.step_button.click()  # nothing left to step, and no error
    w.reset_button.click()
    assert not w.state()["diverged"] and bold(0.70) in w.y_hat_label.value


def test_a_step_beyond_the_sliders_range_keeps_the_true_weight():
    w = weight_explorer()
    w.eta.value = 5.0
    w.sliders["w3"].value = 3.0
    w.sliders["w4"].value = 3.0
    w.step_button.click()
    weights = w.state()["weights"]
    beyond = [n for n in WEIGHT_NAMES if abs(weights[n]) > 3.0]
    assert beyond, weights
    assert "beyond the sliders' range" in w.status_label.value
    chain = TwoTwoOne(**weights).chain()
    assert bold(chain.y_hat) in w.y_hat_label.value


def test_two_explorers_share_nothing():
    a, b = weight_explorer(), weight_explorer()
    a.sliders["w1"].value = 1.0
    assert b.sliders["w1"].value == EXAMPLE_WEIGHTS["w1"] and b.state()["weights"] == EXAMPLE_WEIGHTS
    assert a.fig is not b.fig


def test_its_text_form_is_short_and_stable():
    assert repr(weight_explorer()) == "<Weight explorer (2-2-1 network): interactive in JupyterLab; run the cell to use it>"
