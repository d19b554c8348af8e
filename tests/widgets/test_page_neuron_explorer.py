"""The neuron explorer drawn in the page (helpers/widgets/page), without a browser: what Python holds.

The page computes its own numbers (tests/browser/test_browser_page_neuron_explorer.py checks them in chromium);
here: the state a learner's code sets and reads, the numbers neuron_numbers gives for it, the bundle a
saved notebook and the book keep, clear refusals of values no control can show, and the module's maths
run in node against helpers.activations.
"""

import base64
import io
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from helpers import style
from helpers.activations import get_activation
from helpers.widgets import neuron_explorer
from helpers.widgets.neuron import NeuronExplorer, neuron_numbers
from helpers.widgets.page import PAGE_MIME, module_names, module_source
from helpers.widgets.page.neuron_explorer import PageNeuronExplorer

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


def random_states(count, seed):
    """(x, w, b, activation) anywhere on the controls: x from −2 to 2, w and b from −3 to 3."""
    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(-2, 2)), float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)),
             ACTIVATIONS[k % 4]) for k in range(count)]


def test_the_module_is_found_by_its_file():
    assert "neuron_explorer" in module_names()
    source = module_source("neuron_explorer")
    assert "export function render" in source and "export default { render }" in source


def test_the_module_imports_nothing_asks_no_network_and_uses_only_the_five_model_calls():
    source = module_source("neuron_explorer")
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source)
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source
    assert set(re.findall(r"\bmodel\.(\w+)\(", source)) == {"get", "set", "save_changes", "on", "off"}


def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(neuron_explorer(), PageNeuronExplorer)
    assert type(neuron_explorer(home="kernel")) is NeuronExplorer


def test_home_page_gives_the_page_version_with_the_same_start():
    explorer = neuron_explorer(x=0.5, w=2.0, b=-1.0, activation="tanh", home="page")
    assert isinstance(explorer, PageNeuronExplorer)
    assert (explorer.x, explorer.w, explorer.b, explorer.activation) == (0.5, 2.0, -1.0, "tanh")


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        neuron_explorer(home="browser")


def test_the_first_hidden_neuron_reads_z_minus_0_5_a_0_3775_and_slope_0_2350():
    explorer = PageNeuronExplorer()
    assert explorer.z == -0.5
    assert f"{explorer.a:.4f}" == "0.3775" and f"{explorer.slope:.4f}" == "0.2350"


def test_read_outs_equal_neuron_numbers_for_random_states():
    explorer = PageNeuronExplorer()
    for x, w, b, activation in random_states(60, seed=23):
        explorer.x, explorer.w, explorer.b, explorer.activation = x, w, b, activation
        want = neuron_numbers(x, w, b, activation)
        assert explorer.state() == want
        assert (explorer.z, explorer.a, explorer.slope) == (want["z"], want["a"], want["slope"])


def test_read_outs_equal_the_kernel_versions_state():
    page, kernel = PageNeuronExplorer(x=1.5, w=-2.0, b=0.75, activation="relu"), NeuronExplorer(1.5, -2.0, 0.75, "relu")
    assert page.state() == kernel.state()


@pytest.mark.parametrize("name, bad, error, message", [
    ("x", 2.5, ValueError, r"x must be a number from -2 to 2 \(the range of its slider\), but got 2.5"),
    ("w", float("nan"), ValueError, r"w must be a number from -3 to 3, but got nan"),
    ("b", float("-inf"), ValueError, r"b must be a number from -3 to 3, but got -inf"),
    ("b", "1", TypeError, r"b must be a number from -3 to 3, but got"),
    ("w", True, TypeError, r"w must be a number from -3 to 3, but got"),
    ("activation", "softmax", ValueError,
     r"activation must be one of 'sigmoid', 'tanh', 'relu', 'linear', but got 'softmax'"),
    ("x", None, TypeError, r"x must be a number from -2 to 2, but got"),
    ("activation", None, TypeError, r"activation must be one of 'sigmoid', 'tanh', 'relu', 'linear', but got"),
])
def test_values_no_control_can_show_are_refused_and_the_old_ones_kept(name, bad, error, message):
    explorer = PageNeuronExplorer()
    with pytest.raises(error, match=message):
        setattr(explorer, name, bad)
    assert explorer.state() == neuron_numbers(1.0, -0.5, 0.0, "sigmoid")


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"x": 9}, {"w": -3.5}, {"b": float("nan")}, {"activation": "step"}, {"x": "one"}):
        with pytest.raises((ValueError, TypeError)) as page_error:
            neuron_explorer(home="page", **kwargs)
        with pytest.raises((ValueError, TypeError)) as kernel_error:
            neuron_explorer(home="kernel", **kwargs)
        assert type(page_error.value) is type(kernel_error.value)
        assert str(page_error.value) == str(kernel_error.value)


def test_the_page_may_not_send_a_value_off_the_sliders():
    explorer = PageNeuronExplorer()
    with pytest.raises(Exception, match="x must be a number from -2 to 2"):
        explorer.set_state({"x": 7.0})
    assert explorer.x == 1.0
    with pytest.raises(Exception, match="activation must be one of"):
        explorer.set_state({"w": 2.0, "activation": "step"})  # one message, refused whole
    assert (explorer.w, explorer.activation) == (-0.5, "sigmoid")
    explorer.set_state({"w": 1.25, "activation": "relu"})
    assert explorer.state() == neuron_numbers(1.0, 1.25, 0.0, "relu")


def test_the_bundle_carries_the_page_state_a_still_picture_and_the_kernel_versions_text():
    explorer = PageNeuronExplorer(x=-1.0, w=2.0, b=0.5, activation="tanh")
    data, _metadata = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page == {"module": "neuron_explorer", "state": {
        "x": -1.0, "w": 2.0, "b": 0.5, "activation": "tanh",
        "limits": {"x": [-2.0, 2.0], "w": [-3.0, 3.0], "b": [-3.0, 3.0], "step": 0.05, "z_range": [-9.5, 9.5],
                   "activations": ["sigmoid", "tanh", "relu", "linear"]},
        "presentation": False}}
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = NeuronExplorer(x=-1.0, w=2.0, b=0.5, activation="tanh")
    assert data["text/plain"] == repr(kernel) == "<Neuron explorer: interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source("neuron_explorer")))
    explorer = PageNeuronExplorer()
    assert read == set(explorer._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(explorer.keys)


def test_the_still_picture_is_the_starting_state_even_after_moves():
    explorer = PageNeuronExplorer()
    before = explorer._repr_mimebundle_()[0]["image/png"]
    explorer.activation = "relu"
    data = explorer._repr_mimebundle_()[0]
    assert data["image/png"] == before
    assert data[PAGE_MIME]["state"]["activation"] == "relu"  # the page starts where it is
    assert Image.open(io.BytesIO(base64.b64decode(before))).size == (640, 330)


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    explorer = PageNeuronExplorer()
    new = set(ipywidgets.widgets.widget._instances) - before
    leftovers = [type(ipywidgets.widgets.widget._instances[i]).__name__ for i in new
                 if i not in (explorer.model_id, explorer.layout.model_id)]
    assert leftovers == []


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        explorer = PageNeuronExplorer()
    finally:
        style.presentation_mode(False)
    assert explorer.presentation is True
    assert explorer._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageNeuronExplorer().presentation is False


def test_limits_and_presentation_are_read_only():
    explorer = PageNeuronExplorer()
    for name in ("limits", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(explorer, name, getattr(explorer, name))


def _node():
    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_page_neuron_explorer.py checks the read-outs in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    return node


def _run_module(script):
    """Run the neuron explorer's module followed by `script` in node; return what it printed, as JSON."""
    result = subprocess.run([_node(), "--input-type=module", "-"], input=module_source("neuron_explorer") + script,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_modules_neuron_numbers_equal_helpers_to_1e_12():
    """neuronNumbers of js/neuron_explorer.js against helpers.widgets.neuron.neuron_numbers, on random
    states, on the slider's grid of 0.05 and at the kinks (z = 0 exactly, where ReLU′ is 0)."""
    states = random_states(400, seed=7) + [(1.0, -0.5, 0.0, name) for name in ACTIVATIONS]
    states += [(1.0, 0.0, 0.0, name) for name in ACTIVATIONS] + [(2.0, 3.0, 3.0, name) for name in ACTIVATIONS]
    states += [(-2.0, 3.0, -3.0, name) for name in ACTIVATIONS]
    states += [(0.05 * i, -0.05 * i, 0.05, "relu") for i in range(-40, 41)]
    shown = _run_module(f"""
const states = {json.dumps(states)};
console.log(JSON.stringify(states.map(([x, w, b, act]) => {{
  const n = neuronNumbers(x, w, b, act);
  return [n.z, n.a, n.slope];
}})));
""")
    worst = 0.0
    for (x, w, b, activation), (z, a, slope) in zip(states, shown):
        want = neuron_numbers(x, w, b, activation)
        worst = max(worst, abs(z - want["z"]), abs(a - want["a"]), abs(slope - want["slope"]))
    print(f"\nlargest difference, node against helpers, over {len(states)} states: {worst:.3g}")
    assert worst <= 1e-12


def _visible_ticks(axis, limits):
    """The ticks matplotlib shows on `axis` (those inside `limits`) and their labels' text."""
    low, high = limits
    pairs = [(float(loc), label.get_text()) for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
             if low - 1e-9 <= loc <= high + 1e-9]
    return [loc for loc, _ in pairs], [text for _, text in pairs]


def test_the_modules_curve_limits_and_ticks_are_matplotlibs():
    """The y range of each activation's axes (ActivationPlot.update), the ticks matplotlib puts on both
    axes and how it writes them, in the course's look and in presentation mode, as the module computes them."""
    want = {}
    try:
        for presentation in (False, True):
            style.presentation_mode(presentation)
            for name in ACTIVATIONS:
                ax = NeuronExplorer(activation=name).ax
                x_ticks, x_labels = _visible_ticks(ax.xaxis, ax.get_xlim())
                y_ticks, y_labels = _visible_ticks(ax.yaxis, ax.get_ylim())
                want[f"{presentation} {name}"] = {"ylim": list(ax.get_ylim()), "ticks": [x_ticks, y_ticks],
                                                  "labels": [x_labels, y_labels]}
    finally:
        style.presentation_mode(False)
    shown = _run_module("""
const out = {};
for (const presentation of [false, true]) {
  for (const name of ["sigmoid", "tanh", "relu", "linear"]) {
    const l = axesLayout(presentation, name, [-9.5, 9.5]);
    out[`${presentation ? "True" : "False"} ${name}`] = {ylim: l.ylim, ticks: [l.xTicks, l.yTicks],
                                                        labels: [l.xLabels, l.yLabels]};
  }
}
console.log(JSON.stringify(out));
""")
    assert set(shown) == set(want)
    for key, axes in want.items():
        assert shown[key]["ylim"] == pytest.approx(axes["ylim"], abs=1e-12), key
        for mine, theirs in zip(shown[key]["ticks"], axes["ticks"]):
            assert mine == pytest.approx(theirs, abs=1e-9), key
        assert shown[key]["labels"] == axes["labels"], key
