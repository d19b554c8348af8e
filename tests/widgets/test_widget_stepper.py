"""The backward stepper, driven without a browser: press its buttons and read its labels and figure."""

import numpy as np
import pytest

from helpers.autograd import topological_order as root_order
from helpers.autograd_examples import EXPRESSIONS, fork, two_two_one
from helpers.graph_plot import PENDING
from helpers.tiny import TwoTwoOne
from helpers.widgets import backward_stepper

pytestmark = pytest.mark.filterwarnings("error")


def test_it_starts_at_the_root_with_gradient_one_and_nothing_else_known():
    w = backward_stepper(home="kernel")
    assert w.expression.value == "the 2-2-1 example of 04"
    state = w.state()
    assert state["k"] == 0 and state["current"] is None
    assert state["grads"]["L"] == "grad 1.0000"
    assert all(text == PENDING for name, text in state["grads"].items() if name != "L")
    assert "∂L/∂L = 1" in w.node_label.value
    assert w.back_button.disabled and not w.step_button.disabled
    assert w.view.renders == 1


def test_each_step_highlights_the_next_node_in_reverse_topological_order():
    w = backward_stepper(home="kernel")
    names = [step.node.name for step in w.steps]
    assert names[0] == "L" and names[1] == "ŷ − y" and names[2] == "ŷ"
    seen = []
    for k in range(1, len(w.steps) + 1):
        image, renders = w.view.image.value, w.view.renders
        w.step_button.click()
        assert w.state()["current"] == names[k - 1]
        assert f"<b>{names[k - 1]}</b>" in w.node_label.value
        assert f"step {k} of {len(w.steps)}" in w.position_label.value
        assert w.drawing.current_node() == id(w.steps[k - 1].node)
        assert w.view.renders == renders + 1 and w.view.image.value != image
        seen.append(w.state()["current"])
    assert seen == names and w.step_button.disabled and "done" in w.position_label.value


def test_after_the_last_step_every_gradient_equals_two_two_ones():
    w = backward_stepper(home="kernel")
    for _ in w.steps:
        w.step()
    grads = TwoTwoOne().gradients()
    for name in ("w1", "w2", "w3", "w4"):
        assert w.state()["grads"][name] == f"grad {grads[name]:.4f}".replace("-", "\u2212")


def test_a_step_shows_the_local_derivative_it_multiplies_in():
    w = backward_stepper(home="kernel")
    L, nodes = two_two_one()
    L.backward()
    while w.state()["current"] != "h1":
        w.step()
    sigma_slope = nodes["h1"].data * (1 - nodes["h1"].data)
    detail = w.detail_label.value
    assert f"z1.grad += local ∂h1/∂z1 × grad = {sigma_slope:.4f} × (−{abs(nodes['h1'].grad):.4f})" in detail
    assert f"= <b>−{abs(nodes['z1'].grad):.4f}</b>" in detail


def test_at_a_fork_the_running_sum_is_shown():
    w = backward_stepper("a fork: L = 2a · a²", home="kernel")
    L, nodes = fork()
    L.backward()
    texts = []
    for _ in w.steps:
        w.step()
        texts.append(w.state()["grads"]["a"])
    # a gets 9 from v = a² first (3 · 3), the sum is unfinished; then 4.5 from u = 2a: 13.5 = 6a²
    assert texts[1] == "grad 9.0000 …"
    assert "a fork: a already had 9.0000 from another path, so the running sum is now <b>13.5000</b>" in w.detail_label.value
    assert texts[-1] == "grad 13.5000" and nodes["a"].grad == 13.5


def test_back_undoes_a_step_and_reset_starts_again():
    w = backward_stepper(home="kernel")
    w.step(); w.step(); w.step()
    w.back_button.click()
    assert w.state()["k"] == 2
    after_two = w.state()
    w.step(); w.back()
    assert w.state() == after_two
    w.reset_button.click()
    assert w.state()["k"] == 0 and w.state()["current"] is None and w.drawing.current_node() is None
    for _ in range(3):
        w.back_button.click()  # nothing before the start
    assert w.state()["k"] == 0


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_the_dropdown_switches_the_computation(name):
    other = next(n for n in EXPRESSIONS if n != name)
    w = backward_stepper(other, home="kernel")
    w.step()
    w.expression.value = name
    root, _ = EXPRESSIONS[name]()
    assert w.state()["k"] == 0 and w.root.data == root.data
    assert w.state()["n_steps"] == sum(1 for s in w.steps if s.contributions) > 0
    for _ in range(w.state()["n_steps"] + 2):  # pressing past the end is harmless
        w.step()
    root.backward()
    for node, shown in zip(w.drawing.order, root_order(root)):
        assert w.drawing.grad_texts[id(node)].get_text() == f"grad {shown.grad:.4f}".replace("-", "\u2212")
    assert not any(text == PENDING or text.endswith("…") for text in w.state()["grads"].values())


def test_an_unknown_expression_is_refused_clearly():
    with pytest.raises(ValueError, match="expression must be one of"):
        backward_stepper("a spiral", home="kernel")


def test_it_has_a_still_picture_and_a_short_text_form():
    w = backward_stepper(home="kernel")
    bundle = w._repr_mimebundle_()
    assert "image/png" in bundle and "Backward stepper" in repr(w)


def test_the_graph_figure_puts_each_node_right_of_its_inputs_with_every_number():
    import matplotlib.pyplot as plt

    from helpers.graph_plot import draw_graph, layout, number, short

    L, nodes = two_two_one()
    L.backward()
    positions, order = layout(L)
    for node in order:
        for parent in node.parents:
            assert positions[id(parent)][0] < positions[id(node)][0]
    drawing = draw_graph(L)
    texts = {t.get_text() for t in drawing.ax.texts}
    for node in order:
        assert f"data {number(node.data)}" in texts
        assert drawing.grad_texts[id(node)].get_text() == f"grad {number(node.grad)}"
    for node in order:
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            assert drawing.arrow_texts[(id(parent), id(node), k)].get_text() == short(local)
    assert len(drawing.arrows) == sum(len(n.parents) for n in order)
    plt.close(drawing.ax.figure)


def test_the_picture_keeps_the_page_white_and_the_box_colours():
    import io

    from PIL import Image

    from helpers.graph_plot import LEAF_COLOUR

    w = backward_stepper(home="kernel")
    picture = Image.open(io.BytesIO(w.view.image.value)).convert("RGB")
    assert picture.getpixel((2, 2)) == (255, 255, 255)
    colours = {colour for _, colour in picture.getcolors(maxcolors=256)}
    leaf = tuple(int(LEAF_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    assert any(sum(abs(a - b) for a, b in zip(c, leaf)) <= 6 for c in colours)  # the inputs' blue survives


def test_a_computation_chosen_again_is_drawn_as_a_fresh_widget_draws_it():
    """Each computation's graph is built once and shown again when chosen again: every picture of the
    walk, at the start and after each Step, must be the one a new widget draws for it."""
    names = list(EXPRESSIONS)
    w = backward_stepper(names[0], home="kernel")
    for name in (names[1], names[2], names[0], names[1]):
        w.step()
        w.expression.value = name
        fresh = backward_stepper(name, home="kernel")
        assert w.view.image.value == fresh.view.image.value
        w.view.invalidate()
        assert w.view.png() == fresh.view.png()  # drawn afresh from the shown axes, not only the kept picture
        for _ in fresh.steps:
            w.step()
            fresh.step()
            assert w.view.image.value == fresh.view.image.value
        w.reset()


def test_texts_pasted_as_last_drawn_give_the_pictures_drawing_them_gives():
    """A Step changes a few gradient texts and pastes the rest; each picture of the walk, forward and
    back, must be the one drawing every text anew gives."""
    from helpers.widgets.stepper import PaletteView

    kept, drawn = backward_stepper(home="kernel"), backward_stepper(home="kernel")
    assert kept.view.reuse_text
    drawn.view = PaletteView(drawn.fig, drawn.drawing.artists())
    drawn._pictures.clear()
    for press in ["step"] * len(kept.steps) + ["back"] * 3 + ["step"] * 2 + ["reset"]:
        for w in (kept, drawn):
            getattr(w, press)()
        assert kept.view.image.value == drawn.view.image.value, press


def test_a_node_named_by_a_formula_is_bracketed_after_the_d():
    w = backward_stepper(home="kernel")
    w.step()
    assert "(ŷ − y).grad += local ∂L/∂(ŷ − y) × grad" in w.detail_label.value
    w.step()
    assert "∂L/∂(ŷ − y) = <b>−0.6000</b>" in w.node_label.value
    assert "∂L/∂ŷ − y" not in w.node_label.value + w.detail_label.value


def test_the_two_products_are_named_by_what_they_multiply():
    w = backward_stepper(home="kernel")
    for _ in range(3):
        w.step()
    assert w.state()["current"] == "ŷ"
    lines = w.detail_label.value.split("<br>")
    assert len(lines) == 2 and lines[0] != lines[1]
    assert lines[0].startswith("(w3·h1).grad += local ∂ŷ/∂(w3·h1)")
    assert lines[1].startswith("(w4·h2).grad += local ∂ŷ/∂(w4·h2)")
    assert {"w3·h1", "w4·h2"} <= set(w.state()["grads"])


def test_the_step_button_points_forward_and_back_points_back():
    w = backward_stepper(home="kernel")
    assert w.step_button.icon == "step-forward"
    assert w.back_button.icon == "undo"


def test_the_upstream_wording_writes_each_share_as_downstream_equals_upstream_times_local():
    w = backward_stepper("the 2-2-1 example of 04", wording="upstream", home="kernel")
    L, nodes = two_two_one()
    L.backward()
    while w.state()["current"] != "h1":
        w.step()
    slope = nodes["h1"].data * (1 - nodes["h1"].data)
    assert "the upstream gradient ∂L/∂h1 = <b>−0.6000</b>" in w.node_label.value
    assert (f"downstream ∂L/∂z1 = upstream ∂L/∂h1 × local ∂h1/∂z1 = (−0.6000) × {slope:.4f} "
            f"= <b>−{abs(nodes['z1'].grad):.4f}</b>") in w.detail_label.value
    assert ".grad +=" not in w.detail_label.value
    assert backward_stepper(home="kernel").wording == "grad"          # notebook 10 keeps the engine's wording


def test_the_upstream_wording_adds_the_second_share_at_a_fork():
    w = backward_stepper("a fork: L = 2a · a²", wording="upstream", home="kernel")
    for _ in w.steps:
        w.step()
    assert "downstream ∂L/∂a += upstream ∂L/∂u × local ∂u/∂a = 2.2500 × 2.0000 = <b>4.5000</b>" in w.detail_label.value
    assert "the running sum is now <b>13.5000</b>" in w.detail_label.value


def test_an_unknown_wording_is_refused_clearly():
    with pytest.raises(ValueError, match="wording must be one of 'grad', 'upstream'"):
        backward_stepper(wording="downstream", home="kernel")


def test_in_the_steppers_2_2_1_graph_w1_reaches_L_through_six_arrows_with_the_four_factors_product():
    """Notebook 04: the stepper's graph splits ŷ into a product and a sum and L into a difference and a
    square, so w1's path has six arrows; the two extra local derivatives are 1."""
    L, nodes = two_two_one()
    chain = TwoTwoOne().chain()
    path, locals_ = [nodes["w1"]], []
    while path[-1] is not L:
        child = next(n for n in root_order(L) if any(p is path[-1] for p in n.parents))
        k = next(i for i, p in enumerate(child.parents) if p is path[-1])
        locals_.append(child.local_grads[k])
        path.append(child)
    assert [n.name for n in path] == ["w1", "z1", "h1", "w3·h1", "ŷ", "ŷ − y", "L"]
    assert len(locals_) == 6 and locals_.count(1.0) == 4       # x1 = w3 = 1.0 here, besides the two
    assert locals_[3] == 1.0 and locals_[4] == 1.0             # ∂ŷ/∂(w3·h1) and ∂(ŷ − y)/∂ŷ
    assert np.prod(locals_) == pytest.approx(chain.dL_dw1)
    w = backward_stepper("the 2-2-1 example of 04", wording="upstream", home="kernel")
    seen = {}
    for k in range(1, len(w.steps) + 1):
        w.step()
        seen[w.state()["current"]] = k
    assert (seen["ŷ − y"], seen["h2"], seen["h1"], len(w.steps)) == (2, 5, 8, 9)
