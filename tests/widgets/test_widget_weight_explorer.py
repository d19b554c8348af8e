"""The weight explorer, driven without a browser: set each control's value and read the labels and figure."""

import numpy as np
import pytest

from helpers.tiny import EXAMPLE_ETA, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from helpers.widgets import weight_explorer
from helpers.widgets._base import MINUS, fmt, signed
from helpers.widgets.weights import WEIGHT_RANGE

pytestmark = pytest.mark.filterwarnings("error")


def bold(value, digits=4):
    return f"<b>{fmt(value, digits)}</b>"


def echo(w):
    """What the browser does after the kernel moves a slider: send the value back, rounded to the slider's grid."""
    for slider in w.sliders.values():
        slider.value = round(round((slider.value - slider.min) / slider.step) * slider.step + slider.min, 10)



def blame_line(w, name):
    """The line of the blame label about weight `name`; the four lines come in the order w1..w4."""
    lines = w.blame_label.value.split("<br>")
    assert [line.split(" = ")[0] for line in lines] == [f"blame ∂L/∂{n}" for n in WEIGHT_NAMES]
    return lines[WEIGHT_NAMES.index(name)]

def test_it_starts_at_the_worked_example():
    w = weight_explorer(home="kernel")
    assert {n: s.value for n, s in w.sliders.items()} == EXAMPLE_WEIGHTS
    assert w.eta.value == EXAMPLE_ETA
    assert bold(0.70) in w.y_hat_label.value  # ŷ = 0.70
    assert bold(0.09) in w.loss_label.value   # L = (0.70 − 1.0)² = 0.09
    after = TwoTwoOne().step(EXAMPLE_ETA).forward()
    assert round(after, 2) == 0.85 and bold(after) in w.next_y_hat_label.value
    assert w.view.renders == 1


def test_moving_w1_shows_the_numbers_helpers_computes_for_it():
    w = weight_explorer(home="kernel")
    image, renders = w.view.image.value, w.view.renders
    w.sliders["w1"].value = 0.2
    chain = TwoTwoOne(0.2, 0.3, 1.0, 0.6).chain()
    assert bold(chain.y_hat) in w.y_hat_label.value
    assert bold(chain.loss) in w.loss_label.value
    for name in WEIGHT_NAMES:
        g = chain.gradients[name]
        assert f"∂L/∂{name} = <b>{signed(g)}</b>" in blame_line(w, name)
        assert f"moves {name} by {-EXAMPLE_ETA * g:+.4f}" in blame_line(w, name)
    after = TwoTwoOne(0.2, 0.3, 1.0, 0.6).step(EXAMPLE_ETA).forward()
    assert bold(after) in w.next_y_hat_label.value
    assert w.state()["y_hat"] == pytest.approx(chain.y_hat)
    # The figure follows, in place, with one render.
    assert w.view.renders == renders + 1 and w.view.image.value != image
    assert w.diagram.edges["w1"].get_linestyle() == "-"  # w1 turned positive: solid now
    assert w.diagram.weight_labels["w1"].get_text() == "w1 = 0.20"
    assert w.diagram.value_labels["y_hat"].get_text() == f"{chain.y_hat:.3f}"


def test_each_weight_slider_changes_its_own_line():
    w = weight_explorer(home="kernel")
    for name in WEIGHT_NAMES:
        line = w.diagram.edges[name]
        w.sliders[name].value = -2.0
        assert w.diagram.edges[name] is line
        assert line.get_linestyle() == "--" and w.diagram.weight_labels[name].get_text() == f"{name} = −2.00"
        assert w.state()["weights"][name] == -2.0


def test_the_gradient_sign_is_always_written():
    assert signed(0.141) == "+0.1410" and signed(-0.141) == f"{MINUS}0.1410" and signed(np.nan) == "diverged"


def test_displayed_numbers_wear_one_true_minus_sign_and_zero_has_none():
    assert fmt(-0.37, 2) == "\u22120.37" and "-" not in fmt(-12.5)
    assert fmt(-0.00001) == "0.0000"  # never "-0.0000"
    w = weight_explorer(home="kernel")
    w.sliders["w3"].value = -1.0
    labels = [w.y_hat_label, w.loss_label, w.next_y_hat_label, w.status_label, w.blame_label]
    assert all("-" not in label.value for label in labels)
    assert any(MINUS in label.value for label in labels)
    texts = [t.get_text() for t in (*w.diagram.weight_labels.values(), *w.diagram.value_labels.values())]
    assert "w3 = \u22121.00" in texts and not any("-" in t for t in texts)


def test_step_lowers_the_loss_and_moves_the_sliders_by_minus_eta_times_the_gradient():
    w = weight_explorer(home="kernel")
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
    w = weight_explorer(home="kernel")
    w.eta.value = 2.0
    w.sliders["w3"].value = -1.0
    w.step_button.click()
    w.reset_button.click()
    assert {n: s.value for n, s in w.sliders.items()} == EXAMPLE_WEIGHTS
    assert w.eta.value == pytest.approx(EXAMPLE_ETA)
    assert bold(0.70) in w.y_hat_label.value and w.state()["weights"] == EXAMPLE_WEIGHTS


def test_the_learning_rate_changes_what_one_step_would_do():
    w = weight_explorer(home="kernel")
    w.eta.value = 0.1
    after = TwoTwoOne().step(0.1).forward()
    assert bold(after) in w.next_y_hat_label.value
    g = TwoTwoOne().gradients()["w3"]
    assert f"moves w3 by {signed(-0.1 * g)}" in blame_line(w, "w3")


@pytest.mark.parametrize("where", ["min", "middle", "max"])
def test_every_control_survives_its_extremes(where):
    w = weight_explorer(home="kernel")
    for control in [*w.sliders.values(), w.eta]:
        if control is w.eta:
            value = {"min": 10 ** control.min, "middle": 10 ** ((control.min + control.max) / 2),
                     "max": 10 ** control.max}[where]
        else:
            value = {"min": control.min, "middle": (control.min + control.max) / 2, "max": control.max}[where]
        control.value = value
        labels = [w.y_hat_label, w.loss_label, w.next_y_hat_label, w.blame_label]
        assert all("nan" not in label.value for label in labels)
    w.step_button.click()
    w.reset_button.click()


def test_steps_that_blow_the_weights_up_say_diverged():
    w = weight_explorer(home="kernel")
    w.eta.value = 10 ** w.eta.max  # η = 5
    for name, value in {"w1": 0.0, "w2": 3.0, "w3": 3.0, "w4": -3.0}.items():
        w.sliders[name].value = value
    for _ in range(12):
        w.step_button.click()
    assert w.state()["diverged"]
    assert "diverged" in w.y_hat_label.value and "diverged" in w.loss_label.value
    assert all("diverged" in blame_line(w, name) for name in WEIGHT_NAMES)
    assert "diverged" in w.status_label.value
    assert w.diagram.value_labels["y_hat"].get_text() == "diverged"
    w.step_button.click()  # nothing left to step, and no error
    w.reset_button.click()
    assert not w.state()["diverged"] and bold(0.70) in w.y_hat_label.value


def test_a_step_beyond_the_sliders_range_keeps_the_true_weight():
    w = weight_explorer(home="kernel")
    w.eta.value = 5.0
    w.sliders["w3"].value = 3.0
    w.sliders["w4"].value = 3.0
    w.step_button.click()
    weights = w.state()["weights"]
    beyond = [n for n in WEIGHT_NAMES if abs(weights[n]) > 3.0]
    assert beyond, weights
    assert "Off the sliders' \u22123…3" in w.status_label.value
    assert all(f"{n} = {fmt(weights[n], 2)}" in w.status_label.value for n in beyond)
    assert all(w.sliders[n].style.handle_color == "#D55E00" for n in beyond)
    assert all(w.sliders[n].value in WEIGHT_RANGE for n in beyond)  # resting at an end
    chain = TwoTwoOne(**weights).chain()
    assert bold(chain.y_hat) in w.y_hat_label.value
    dragged = beyond[0]
    w.sliders[dragged].value = 0.5  # the learner takes hold of a pinned slider
    assert w.sliders[dragged].style.handle_color is None and w.state()["weights"][dragged] == 0.5
    assert f"{dragged} = " not in w.status_label.value
    w.reset_button.click()
    assert all(s.style.handle_color is None for s in w.sliders.values()) and w.status_label.value == ""


def test_two_explorers_share_nothing():
    a, b = weight_explorer(home="kernel"), weight_explorer(home="kernel")
    a.sliders["w1"].value = 1.0
    assert b.sliders["w1"].value == EXAMPLE_WEIGHTS["w1"] and b.state()["weights"] == EXAMPLE_WEIGHTS
    assert a.fig is not b.fig


def test_its_text_form_is_short_and_stable():
    assert repr(weight_explorer(home="kernel")) == "<Weight explorer (2-2-1 network): interactive in JupyterLab; run the cell to use it>"


def test_a_step_is_exactly_the_worked_examples_update_even_when_the_browser_echoes_it_rounded():
    w = weight_explorer(home="kernel")
    w.reset_button.click()
    w.step_button.click()
    echo(w)  # w3 comes back as 1.11, w4 as 0.76: neither is a learner's move
    exact = TwoTwoOne().step(EXAMPLE_ETA)
    assert w.state()["weights"] == exact.weights
    assert bold(0.8501) in w.y_hat_label.value and bold(0.0225) in w.loss_label.value
    assert fmt(exact.weights["w3"]) == "1.1133"
    for _ in range(2):
        w.step_button.click()
        echo(w)
    assert bold(0.9684) in w.y_hat_label.value
    assert w.state()["y_hat"] == TwoTwoOne().step(0.5).step(0.5).step(0.5).forward()


def test_echoes_that_arrive_after_later_steps_are_still_recognised():
    w = weight_explorer(home="kernel")
    sent = []
    for _ in range(4):
        w.step_button.click()
        sent.append({n: s.value for n, s in w.sliders.items()})
    for values in sent:  # the browser answers each Step late, in order
        for name, value in values.items():
            w.sliders[name].value = round(value, 2)
    expected = TwoTwoOne()
    for _ in range(4):
        expected = expected.step(EXAMPLE_ETA)
    assert w.state()["weights"] == expected.weights


def test_a_learners_move_after_a_step_is_taken_as_theirs():
    w = weight_explorer(home="kernel")
    w.step_button.click()
    echo(w)
    w.sliders["w3"].value = 1.5
    assert w.state()["weights"]["w3"] == 1.5
    assert bold(TwoTwoOne(**{**TwoTwoOne().step(0.5).weights, "w3": 1.5}).forward()) in w.y_hat_label.value


def test_the_learning_rate_is_read_as_the_round_number_its_readout_shows():
    w = weight_explorer(home="kernel")
    w.eta.value = 10 ** -0.301  # what the browser sends for a typed 0.5: 0.50003
    assert w.state()["eta"] == 0.5
    w.step_button.click()
    assert w.state()["weights"] == TwoTwoOne().step(0.5).weights


def test_saturated_sigmoids_are_named_with_what_to_do_in_room_kept_for_it():
    w = weight_explorer(home="kernel")
    height = w.status_label.layout.height
    assert height and w.status_label.value == ""  # the room is kept while there is nothing to say
    w.eta.value = 5.0
    for _ in range(3):
        w.step_button.click()
    assert w.saturated() == ["h1", "h2"]
    status = w.status_label.value
    assert "saturated" in status and "Reset" in status and "lower η" in status
    assert all(abs(g) < 0.02 for g in w.state()["gradients"].values())
    assert w.status_label.layout.height == height
    w.reset_button.click()
    assert w.saturated() == [] and w.status_label.value == ""


def test_the_weight_sliders_are_long_enough_to_set_a_weight_to_the_hundredth():
    w = weight_explorer(home="kernel")
    for slider in [*w.sliders.values(), w.eta]:
        assert int(slider.layout.width.removesuffix("px")) >= 400


def test_steps_arriving_on_several_threads_at_once_are_taken_one_at_a_time():
    import threading

    w = weight_explorer(home="kernel")
    w.eta.value = 5.0
    node_pixels = _node_pixels(w)
    threads = [threading.Thread(target=lambda: [w.step() for _ in range(4)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = TwoTwoOne()
    for _ in range(16):
        expected = expected.step(5.0)
    assert w.state()["weights"] == expected.weights  # no step lost or mixed with another
    assert _node_pixels(w) == node_pixels  # every node's name drawn as before


def _node_pixels(w):
    """The pixels inside each node's circle (its name, on the circle's fill) in the widget's picture."""
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(w.view.image.value)).convert("RGB")
    height = w.fig.bbox.height
    crops = {}
    for key, (x, y) in w.diagram.positions.items():
        px, py = w.ax.transData.transform((x, y))
        crops[key] = picture.crop((round(px) - 14, round(height - py) - 14, round(px) + 14,
                                   round(height - py) + 14)).tobytes()
    return crops


def test_a_weight_move_changes_four_labels_and_the_picture_once():
    """Each changed label is one more message to the browser before the new picture shows: the four
    blames share one label, so a move sends ŷ, L, the blames, ŷ after a step, and one picture."""
    import ipywidgets as widgets

    from helpers.widgets._base import _descendants

    w = weight_explorer(home="kernel")
    changed = []
    for control in _descendants(w):
        if isinstance(control, (widgets.HTML, widgets.Image)):
            control.observe(lambda change: changed.append(change["owner"]), names="value")
    w.sliders["w1"].value = 0.2
    assert sorted(type(c).__name__ for c in changed) == ["HTML"] * 4 + ["Image"]
    assert changed == [w.view.image, w.y_hat_label, w.loss_label, w.blame_label, w.next_y_hat_label]  # picture first


def test_in_presentation_mode_the_sliders_go_in_pairs_and_the_numbers_beside_the_picture():
    """On a 1280x720 projector a column of five large sliders left no room for the picture under it."""
    from helpers import style

    style.presentation_mode()
    try:
        w = weight_explorer(home="kernel")
    finally:
        style.presentation_mode(False)
    rows = [row for row in w.children if row.layout.display != "none"]  # the style sheet takes no room
    s = w.sliders
    assert [row.children for row in rows[:3]] == [(s["w1"], s["w2"]), (s["w3"], s["w4"]),
                                                 (w.eta, w.step_button, w.reset_button)]
    picture, readouts = rows[3].children
    assert picture is w.view.image and readouts.children == (w.y_hat_label, w.loss_label, w.blame_label,
                                                            w.next_y_hat_label, w.status_label)
    assert rows[3].layout.flex_flow == "row wrap"  # the numbers go under the picture on a narrow page
    assert (w.fig.bbox.width, w.fig.bbox.height) == (800, 437.5)  # drawn 1.25 times the course's size
    plain = weight_explorer(home="kernel")
    assert plain.children[2] is plain.view.image and (plain.fig.bbox.width, plain.fig.bbox.height) == (640, 390)


def test_texts_pasted_as_last_drawn_give_the_pictures_drawing_them_gives():
    """The explorer pastes the texts a move leaves unchanged; over drags of every weight, steps and a
    reset, each picture must be the one drawing every text anew gives."""
    from helpers.widgets._base import BlitView

    kept, drawn = weight_explorer(home="kernel"), weight_explorer(home="kernel")
    assert kept.view.reuse_text
    drawn.view = BlitView(drawn.fig, drawn.view.moving)
    rng = np.random.default_rng(0)
    for i in range(48):
        name, value = WEIGHT_NAMES[i // 12], float(np.round(rng.uniform(-3, 3), 2))
        for w in (kept, drawn):
            if i % 12 == 11:
                w.step()
            elif i == 30:
                w.reset()
            else:
                w.sliders[name].value = value
        assert kept.view.image.value == drawn.view.image.value, i
