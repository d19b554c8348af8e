"""The backward stepper drawn in the page (helpers/widgets/page), without a browser: what Python holds.

The page replays a walk Python worked out (tests/browser/test_browser_page_backward_stepper.py checks what it
shows); here: the walk and the graph Python sends equal helpers.autograd's and graph_plot's, the
labels and gradient texts a learner's code reads equal the kernel version's at every step, the
module's own labels (run in node) equal them on random computations, the bundle a saved notebook
and the book keep, and clear refusals of steps and computations there are not.
"""

import base64
import html
import io
import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import style
from helpers.autograd import backward_steps, topological_order
from helpers.autograd_examples import EXPRESSIONS, random_graph
from helpers.graph_plot import BOX_HEIGHT, BOX_WIDTH, number, short
from helpers.tiny import TwoTwoOne
from helpers.widgets import backward_stepper
from helpers.widgets.page import PAGE_MIME, module_names, module_source
from helpers.widgets.page.backward_stepper import (AXES, PageBackwardStepper, grad_texts, graph_state, labels,
                                                   walk)
from helpers.widgets.stepper import FIGSIZE, WORDINGS, BackwardStepper

PAGE_JS = Path(__file__).resolve().parents[2] / "helpers" / "widgets" / "page" / "js"
NAMES = list(EXPRESSIONS)


def kernel_walk(name, wording="grad"):
    """The kernel version's labels and state at every step of computation `name`: a list, k = 0 first."""
    w = BackwardStepper(name, wording)
    seen = []
    for k in range(len(w.steps) + 1):
        if k:
            w.step()
        seen.append({"labels": {"position": w.position_label.value, "node": w.node_label.value,
                                "detail": w.detail_label.value}, "state": w.state()})
    w.close()
    return seen


@pytest.fixture(scope="module")
def kernel_walks():
    return {(name, wording): kernel_walk(name, wording) for name in NAMES for wording in WORDINGS}


def test_the_module_is_found_by_its_file_and_is_the_shared_start_then_its_own():
    assert "backward_stepper" in module_names()
    course = (PAGE_JS / "course.js").read_text(encoding="utf-8")
    own = (PAGE_JS / "backward_stepper.js").read_text(encoding="utf-8")
    assert module_source("backward_stepper") == f"{course}\n{own}"
    assert "export function render" in own and "export default { render }" in own


def test_the_module_imports_nothing_asks_no_network_and_uses_only_the_five_model_calls():
    source = module_source("backward_stepper")
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source)
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source
    assert set(re.findall(r"\bmodel\.(\w+)\(", source)) == {"get", "set", "save_changes", "on", "off"}


def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(backward_stepper(), PageBackwardStepper)
    assert type(backward_stepper(home="kernel")) is BackwardStepper


def test_home_page_gives_the_page_version_with_the_same_computation_and_wording():
    w = backward_stepper("a fork: L = 2a · a²", wording="upstream", home="page")
    assert isinstance(w, PageBackwardStepper)
    assert (w.expression, w.wording, w.k) == ("a fork: L = 2a · a²", "upstream", 0)
    assert backward_stepper(home="page").expression == "the 2-2-1 example of 04"


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        backward_stepper(home="browser")


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"expression": "a spiral"}, {"wording": "downstream"}, {"expression": 3}):
        with pytest.raises((ValueError, TypeError)) as page_error:
            backward_stepper(home="page", **kwargs)
        with pytest.raises((ValueError, TypeError)) as kernel_error:
            backward_stepper(home="kernel", **kwargs)
        assert type(page_error.value) is type(kernel_error.value)
        assert str(page_error.value) == str(kernel_error.value)


@pytest.mark.parametrize("wording", WORDINGS)
@pytest.mark.parametrize("name", NAMES)
def test_every_label_and_gradient_text_equals_the_kernel_versions_at_every_step(name, wording, kernel_walks):
    w = PageBackwardStepper(name, wording)
    for k, kernel in enumerate(kernel_walks[(name, wording)]):
        w.k = k
        assert w.labels() == kernel["labels"], k
        assert w.state() == kernel["state"], k


def test_the_worked_example_walk_reads_as_notebook_04_prints_it():
    w = PageBackwardStepper("the 2-2-1 example of 04", "upstream")
    while w.state()["current"] != "h1":
        w.step()
    assert "the upstream gradient ∂L/∂h1 = <b>−0.6000</b>" in w.labels()["node"]
    assert ("downstream ∂L/∂z1 = upstream ∂L/∂h1 × local ∂h1/∂z1 = (−0.6000) × 0.2350 = <b>−0.1410</b>"
            in w.labels()["detail"])
    for _ in range(9):
        w.step()
    grads = w.state()["grads"]
    tiny = TwoTwoOne().gradients()
    assert [grads[n] for n in ("w1", "w2", "w3", "w4")] == [f"grad {number(tiny[n])}" for n in ("w1", "w2", "w3", "w4")]
    assert grads["w4"] == "grad −0.3225"


def test_the_walk_sent_to_the_page_is_backward_steps_number_for_number():
    for name in NAMES:
        root, _ = EXPRESSIONS[name]()
        steps = [s for s in backward_steps(root) if s.contributions]
        order = topological_order(root)
        graph = PageBackwardStepper(name).computations[name]
        assert [n["data"] for n in graph["nodes"]] == [node.data for node in order]
        assert graph["seed"] == 1.0
        assert len(graph["steps"]) == len(steps)
        for sent, step in zip(graph["steps"], steps):
            assert order[sent["node"]].name == step.node.name and sent["grad"] == step.grad
            for c_sent, c in zip(sent["contributions"], step.contributions, strict=True):
                assert order[c_sent["parent"]].name == c.parent.name
                assert [c_sent[f] for f in ("local", "amount", "before", "after")] == [c.local, c.amount, c.before, c.after]


@pytest.mark.parametrize("name", NAMES)
def test_the_graph_sent_to_the_page_is_placed_as_the_kernel_figure_draws_it(name):
    kernel = BackwardStepper(name)
    graph = PageBackwardStepper(name).computations[name]
    assert kernel.ax.get_position().bounds == pytest.approx(AXES)
    assert list(kernel.ax.get_xlim()) == pytest.approx(graph["xlim"], abs=1e-12)
    assert list(kernel.ax.get_ylim()) == pytest.approx(graph["ylim"], abs=1e-12)
    drawing = kernel.drawing
    for node, sent in zip(drawing.order, graph["nodes"], strict=True):
        box = drawing.boxes[id(node)]
        assert (box.get_x() + BOX_WIDTH / 2, box.get_y() + BOX_HEIGHT / 2) == pytest.approx((sent["x"], sent["y"]))
        assert drawing.uses.get(id(node), 0) == sent["uses"]
    arrows = list(drawing.arrows.items())
    assert len(arrows) == len(graph["arrows"])
    for (key, patch), sent in zip(arrows, graph["arrows"]):
        parent, child, k = key
        assert (id(drawing.order[sent["parent"]]), id(drawing.order[sent["child"]]), sent["k"]) == key
        assert (patch._posA_posB[0], patch._posA_posB[1]) == (tuple(sent["start"]), tuple(sent["end"]))
        assert drawing.arrow_texts[key].get_position() == tuple(sent["label"])
        assert drawing.arrow_texts[key].get_text() == short(sent["local"])
    kernel.close()


def test_the_figure_the_page_draws_has_the_kernel_figures_size_and_title():
    w = PageBackwardStepper()
    kernel = BackwardStepper()
    assert w.figure["size"] == list(FIGSIZE)
    assert w.figure["title"] == kernel.ax.get_title()
    assert w.figure["box"] == [BOX_WIDTH, BOX_HEIGHT]
    kernel.close()


def test_choosing_a_computation_starts_its_walk_again():
    w = PageBackwardStepper()
    w.step(); w.step()
    w.expression = "a fork: L = 2a · a²"
    assert w.k == 0 and w.state()["n_steps"] == 3 and w.root.data == 6.75
    assert w.labels()["node"] == "The walk starts at the output: <b>∂L/∂L = 1</b>. Press <b>Step</b>."


def test_step_back_and_reset_do_what_the_kernel_versions_do():
    w = PageBackwardStepper()
    for _ in range(12):  # pressing past the end is harmless
        w.step()
    assert w.k == 9 and w.labels()["position"] == "step 9 of 9: done, every gradient is final"
    w.back()
    assert w.k == 8
    w.reset()
    w.back()
    assert w.k == 0 and w.state()["current"] is None


@pytest.mark.parametrize("bad, error, message", [
    (10, ValueError, r"k must be a whole number of steps from 0 to 9 \(the steps of 'the 2-2-1 example of 04'\), but got 10"),
    (-1, ValueError, r"k must be a whole number of steps from 0 to 9 \(the steps of 'the 2-2-1 example of 04'\), but got -1"),
    (2.5, TypeError, r"k must be a whole number of steps from 0 to 9, but got 2.5"),
    ("3", TypeError, r"k must be a whole number of steps from 0 to 9, but got '3'"),
    (True, TypeError, r"k must be a whole number of steps from 0 to 9, but got True"),
    (float("nan"), TypeError, r"k must be a whole number of steps from 0 to 9, but got nan"),
])
def test_a_step_there_is_not_is_refused_and_the_old_one_kept(bad, error, message):
    w = PageBackwardStepper()
    w.k = 4
    with pytest.raises(error, match=message):
        w.k = bad
    assert w.k == 4


def test_a_whole_float_or_numpy_step_is_read_as_a_whole_number():
    w = PageBackwardStepper()
    w.k = 3.0
    assert w.k == 3 and type(w.k) is int
    w.k = np.int64(5)
    assert w.k == 5 and type(w.k) is int
    assert w.page_state()["k"] == 5


def test_a_computation_there_is_not_is_refused_and_the_old_one_kept():
    w = PageBackwardStepper()
    with pytest.raises(ValueError, match="expression must be one of 'the five-factor chain of 03'"):
        w.expression = "a spiral"
    assert w.expression == "the 2-2-1 example of 04"


def test_the_page_sets_the_computation_and_the_step():
    w = PageBackwardStepper()
    w.set_state({"k": 5})
    assert w.state()["current"] == "h2"
    w.set_state({"expression": "the five-factor chain of 03", "k": 0})
    assert w.expression == "the five-factor chain of 03" and w.k == 0
    w.set_state({"k": 6})
    assert w.state()["current"] == "z[1]"


def test_the_bundle_carries_the_page_state_the_kernel_still_and_the_kernel_versions_text():
    w = PageBackwardStepper("a fork: L = 2a · a²", "upstream")
    data, _metadata = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page["module"] == "backward_stepper"
    state = page["state"]
    assert set(state) == {"expression", "k", "options", "computations", "wording", "figure", "presentation"}
    assert (state["expression"], state["k"], state["wording"], state["presentation"]) == (
        "a fork: L = 2a · a²", 0, "upstream", False)
    assert state["options"] == NAMES and set(state["computations"]) == set(NAMES)
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = BackwardStepper("a fork: L = 2a · a²", "upstream")
    assert data["text/plain"] == repr(kernel) == "<Backward stepper: interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]
    kernel.close()


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source("backward_stepper")))
    w = PageBackwardStepper()
    assert read == set(w._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(w.keys)


def test_the_still_picture_is_the_start_even_after_steps():
    w = PageBackwardStepper()
    before = w._repr_mimebundle_()[0]["image/png"]
    w.step(); w.step()
    data = w._repr_mimebundle_()[0]
    assert data["image/png"] == before and data[PAGE_MIME]["state"]["k"] == 2
    assert Image.open(io.BytesIO(base64.b64decode(before))).width == 1040


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    w = PageBackwardStepper()
    new = set(ipywidgets.widgets.widget._instances) - before
    leftovers = [type(ipywidgets.widgets.widget._instances[i]).__name__ for i in new
                 if i not in (w.model_id, w.layout.model_id)]
    assert leftovers == []


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        w = PageBackwardStepper()
    finally:
        style.presentation_mode(False)
    assert w.presentation is True
    assert w._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageBackwardStepper().presentation is False


def test_what_python_sets_once_is_read_only():
    w = PageBackwardStepper()
    for name in ("options", "computations", "wording", "figure", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(w, name, getattr(w, name))


def test_the_modules_colours_are_graph_plots():
    from helpers import graph_plot

    own = (PAGE_JS / "backward_stepper.js").read_text(encoding="utf-8")
    for name in ("LEAF_COLOUR", "NODE_COLOUR", "ROOT_COLOUR"):
        assert f'const {name} = "{getattr(graph_plot, name)}";' in own
    assert f'const PENDING = "{graph_plot.PENDING}";' in own
    assert graph_plot.ACTIVE_EDGE == style.LOSS and "const ACTIVE_EDGE = LOSS;" in own


def random_graphs(count, seed=9):
    """(root, steps) of `count` random computations with forks (autograd_examples.random_graph)."""
    rng = np.random.default_rng(seed)
    graphs = []
    for _ in range(count):
        root, _ = random_graph(rng, n_inputs=int(rng.integers(1, 4)), n_operations=int(rng.integers(2, 9)))
        graphs.append(graph_state(root, [s for s in backward_steps(root) if s.contributions]))
    return graphs


def run_node(script):
    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_page_backward_stepper.py checks the page in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_modules_labels_and_gradient_texts_equal_pythons_on_random_computations():
    """gradTexts and stepLabels of js/backward_stepper.js, run in node on the three computations and 40
    random ones with forks, at every step and in both wordings, against page/backward_stepper.py (which
    the test above holds to the kernel version). Needs node."""
    graphs = [graph_state(root, steps) for root, _, steps in (walk(name) for name in NAMES)] + random_graphs(40)
    script = module_source("backward_stepper") + f"""
const graphs = {json.dumps(graphs, allow_nan=False)};
const out = graphs.map((graph) => {{
  const walks = [];
  for (let k = 0; k <= graph.steps.length; k++) {{
    walks.push({{ texts: gradTexts(graph, k).map((t) => t.text),
                 grad: labelsHtml(stepLabels(graph, k, "grad")), upstream: labelsHtml(stepLabels(graph, k, "upstream")) }});
  }}
  return walks;
}});
console.log(JSON.stringify(out));
"""
    written = run_node(script)
    forks = 0
    for graph, walks in zip(graphs, written, strict=True):
        assert len(walks) == len(graph["steps"]) + 1
        for k, js in enumerate(walks):
            assert js["texts"] == grad_texts(graph, k), k
            assert js["grad"] == labels(graph, k, "grad"), k
            assert js["upstream"] == labels(graph, k, "upstream"), k
            forks += "a fork:" in js["grad"]["detail"]
    assert forks > 20  # the random computations do reach forks


def test_the_modules_numbers_are_written_as_graph_plot_writes_them():
    rng = np.random.default_rng(11)
    numbers = [0.0, -0.0, 1.0, -1.0, 0.03125, -0.03125, 0.00005, -0.00005, 2.25, 13.5, 0.235004, 1e-7, -1e-7,
               123456.789, 9.99995, 0.0625, 1234.5, 0.000123, -0.6]
    numbers += [float(x) for x in rng.normal(0, 3, 300)] + [float(x) for x in 10 ** rng.uniform(-6, 5, 200)]
    script = module_source("backward_stepper") + f"""
const numbers = {json.dumps(numbers)};
console.log(JSON.stringify(numbers.map((x) => [number(x), arrowNumber(x), bracketed(x), escapeHtml("a<b & 'c' \\"d\\"")])));
"""
    from helpers.widgets.stepper import _signed

    for x, js in zip(numbers, run_node(script), strict=True):
        assert js == [number(x), short(x), _signed(x), html.escape("a<b & 'c' \"d\"")], x
    assert math.copysign(1, numbers[1]) == -1  # −0.0 is among them: '−0.0000', as Python writes it
