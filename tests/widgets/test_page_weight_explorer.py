"""The weight explorer drawn in the page (helpers/widgets/page), without a browser: what Python holds.

The page computes its own numbers (tests/browser/test_browser_page_widgets.py checks them against these);
here: the state a learner's code sets and reads, the numbers helpers.tiny gives for it, the bundle a
saved notebook and the book keep, and clear refusals of values no slider can show.
"""

import base64
import io
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import style
from helpers.tiny import EXAMPLE_ETA, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from helpers.widgets import weight_explorer
from helpers.widgets.page import PAGE_MIME, PageWeightExplorer, module_names, module_source
from helpers.widgets.weights import WeightExplorer

PAGE_JS = Path(__file__).resolve().parents[2] / "helpers" / "widgets" / "page" / "js"


def expected_numbers(weights, eta):
    """ŷ, L, the four gradients and ŷ after one step, from helpers.tiny alone."""
    net = TwoTwoOne(**weights)
    chain = net.chain()
    return {"y_hat": chain.y_hat, "loss": chain.loss, "gradients": chain.gradients,
            "next_y_hat": net.step(eta).forward()}


def test_the_mime_type_and_the_module_names_are_the_contracts():
    assert PAGE_MIME == "application/vnd.backprop-course.page-widget+json"
    assert "weight_explorer" in module_names()
    assert "course" not in module_names()  # the shared start is no widget of its own


def test_a_module_is_the_shared_start_then_the_widgets_own_file():
    source = module_source("weight_explorer")
    course = (PAGE_JS / "course.js").read_text(encoding="utf-8")
    own = (PAGE_JS / "weight_explorer.js").read_text(encoding="utf-8")
    assert source == f"{course}\n{own}"
    assert "export function render" in source and "export default { render }" in source


def test_a_module_imports_nothing_and_asks_no_network():
    source = module_source("weight_explorer")
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE), "a module must be self-contained"
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source), "no address but SVG's namespace"
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source


def test_the_module_talks_to_its_model_only_through_the_contracts_five_calls():
    calls = set(re.findall(r"\bmodel\.(\w+)\(", module_source("weight_explorer")))
    assert calls == {"get", "set", "save_changes", "on", "off"}


@pytest.mark.parametrize("name", ["nope", "course", "", None, "weight_explorer.js", "../weights"])
def test_module_source_refuses_a_name_with_no_module(name):
    with pytest.raises(ValueError, match="one of .*'weight_explorer'"):
        module_source(name)


def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(weight_explorer(), PageWeightExplorer)
    assert type(weight_explorer(home="kernel")) is WeightExplorer


def test_home_page_gives_the_page_version_with_the_same_start():
    explorer = weight_explorer({"w3": 0.5}, eta=0.2, home="page")
    assert isinstance(explorer, PageWeightExplorer)
    assert explorer.weights == {**EXAMPLE_WEIGHTS, "w3": 0.5}
    assert explorer.eta == 0.2
    assert explorer.start_weights == explorer.weights and explorer.start_eta == 0.2


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        weight_explorer(home="browser")


def test_the_worked_example_reads_0_70_0_09_and_0_85_after_one_step():
    explorer = PageWeightExplorer()
    assert f"{explorer.y_hat:.2f}" == "0.70"
    assert f"{explorer.loss:.2f}" == "0.09"
    assert f"{explorer.next_y_hat:.2f}" == "0.85"


def test_read_outs_equal_helpers_tiny_for_random_weights_and_eta():
    rng = np.random.default_rng(23)
    explorer = PageWeightExplorer()
    for _ in range(50):
        weights = {name: float(rng.uniform(-3, 3)) for name in WEIGHT_NAMES}
        eta = float(10 ** rng.uniform(-2, np.log10(5)))
        explorer.weights = weights
        explorer.eta = eta
        want = expected_numbers(weights, eta)
        assert explorer.weights == weights
        assert explorer.y_hat == want["y_hat"]
        assert explorer.loss == want["loss"]
        assert explorer.gradients == want["gradients"]
        assert explorer.next_y_hat == want["next_y_hat"]


def test_read_outs_equal_the_kernel_versions_state():
    weights = {"w1": 2.5, "w2": -1.25, "w3": 0.75, "w4": -2.0}
    page, kernel = PageWeightExplorer(weights, eta=0.3), WeightExplorer(weights, eta=0.3)
    mine, theirs = page.state(), kernel.state()
    for key in ("weights", "eta", "y_hat", "loss", "gradients", "next_y_hat", "diverged"):
        assert mine[key] == theirs[key], key
    assert page.saturated() == kernel.saturated()


def test_weights_set_from_code_keep_the_ones_left_out():
    explorer = PageWeightExplorer()
    explorer.weights = {"w2": -1.5}
    assert explorer.weights == {**EXAMPLE_WEIGHTS, "w2": -1.5}
    assert explorer.y_hat == TwoTwoOne(**{**EXAMPLE_WEIGHTS, "w2": -1.5}).forward()


def test_step_moves_the_weights_as_tiny_step_does_and_reset_goes_back():
    explorer = PageWeightExplorer()
    explorer.step()
    assert explorer.weights == TwoTwoOne().step(EXAMPLE_ETA).weights
    assert f"{explorer.y_hat:.4f}" == "0.8501" and f"{explorer.loss:.4f}" == "0.0225"
    explorer.eta = 2.0
    explorer.reset()
    assert explorer.weights == EXAMPLE_WEIGHTS and explorer.eta == EXAMPLE_ETA


@pytest.mark.parametrize("bad, error, message", [
    ({"w1": float("nan")}, ValueError, r"weights\['w1'\] must be a number from -3 to 3, but got nan"),
    ({"w2": float("inf")}, ValueError, r"weights\['w2'\] must be a number from -3 to 3, but got inf"),
    ({"w3": 3.5}, ValueError, r"weights\['w3'\] must be a number from -3 to 3 \(the range of its slider\), but got 3.5"),
    ({"w5": 1.0}, ValueError, r"weights has unknown key 'w5'; the valid keys are 'w1', 'w2', 'w3', 'w4'"),
    ({}, ValueError, r"weights is an empty dict"),
    ([0.1, 0.2, 0.3, 0.4], TypeError, r"weights must be a dict that names each value"),
    ({"w1": "0.5"}, TypeError, r"weights\['w1'\] must be a number from -3 to 3, but got"),
])
def test_weights_no_slider_can_show_are_refused_and_the_old_ones_kept(bad, error, message):
    explorer = PageWeightExplorer()
    with pytest.raises(error, match=message):
        explorer.weights = bad
    assert explorer.weights == EXAMPLE_WEIGHTS
    assert explorer.y_hat == TwoTwoOne().forward()


@pytest.mark.parametrize("bad, error, message", [
    (float("nan"), ValueError, "eta must be a number from 0.01 to 5, but got nan"),
    (7, ValueError, r"eta must be a number from 0.01 to 5 \(the range of its slider\), but got 7"),
    (0.001, ValueError, r"eta must be a number from 0.01 to 5 \(the range of its slider\), but got 0.001"),
    ("fast", TypeError, "eta must be a number from 0.01 to 5, but got"),
    (True, TypeError, "eta must be a number from 0.01 to 5, but got"),
])
def test_a_learning_rate_off_the_slider_is_refused_and_the_old_one_kept(bad, error, message):
    explorer = PageWeightExplorer()
    with pytest.raises(error, match=message):
        explorer.eta = bad
    assert explorer.eta == EXAMPLE_ETA


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"weights": {"w1": 9}}, {"eta": 0}, {"weights": {"w9": 1}}):
        with pytest.raises(ValueError) as page_error:
            weight_explorer(home="page", **kwargs)
        with pytest.raises(ValueError) as kernel_error:
            weight_explorer(home="kernel", **kwargs)
        assert str(page_error.value) == str(kernel_error.value)


def test_the_page_may_carry_weights_beyond_the_sliders_or_blow_them_up():
    explorer = PageWeightExplorer()
    explorer.set_state({"weights": {"w1": 4.2, "w2": 0.3, "w3": 1.0, "w4": 0.6}})
    assert explorer.weights["w1"] == 4.2
    assert explorer.y_hat == TwoTwoOne(w1=4.2).forward()
    explorer.set_state({"weights": {"w1": None, "w2": 0.3, "w3": 1.0, "w4": 0.6}})  # JSON's null: a NaN
    assert math.isnan(explorer.weights["w1"])
    assert explorer.diverged and math.isnan(explorer.y_hat)
    assert explorer.page_state()["weights"]["w1"] is None


def test_the_page_is_refused_a_weight_that_is_not_a_number():
    explorer = PageWeightExplorer()
    with pytest.raises(Exception, match="not a number"):
        explorer.set_state({"weights": {"w1": "x", "w2": 0.3, "w3": 1.0, "w4": 0.6}})
    assert explorer.weights == EXAMPLE_WEIGHTS


def test_the_bundle_carries_the_page_state_a_still_picture_and_the_kernel_versions_text():
    explorer = PageWeightExplorer({"w4": -1.0}, eta=0.25)
    data, _metadata = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page["module"] == "weight_explorer"
    assert page["state"] == {
        "weights": {**EXAMPLE_WEIGHTS, "w4": -1.0}, "eta": 0.25,
        "start_weights": {**EXAMPLE_WEIGHTS, "w4": -1.0}, "start_eta": 0.25,
        "sample": {"x1": 1.0, "x2": 0.5, "y": 1.0},
        "limits": {"weight": [-3.0, 3.0], "weight_step": 0.01, "eta": [0.01, 5.0], "saturated_slope": 0.01,
                   "diverged_weight": 1e6},
        "presentation": False,
    }
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = WeightExplorer({"w4": -1.0}, eta=0.25)
    assert data["text/plain"] == repr(kernel) == "<Weight explorer (2-2-1 network): interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source("weight_explorer")))
    explorer = PageWeightExplorer()
    assert read == set(explorer._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(explorer.keys)  # each one synced with the page


def test_the_still_picture_is_the_starting_state_even_after_moves():
    explorer = PageWeightExplorer()
    before = explorer._repr_mimebundle_()[0]["image/png"]
    explorer.step()
    data = explorer._repr_mimebundle_()[0]
    assert data["image/png"] == before
    assert data[PAGE_MIME]["state"]["weights"] == TwoTwoOne().step().weights  # the page starts where it is
    picture = Image.open(io.BytesIO(base64.b64decode(before)))
    assert picture.width == 640


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    explorer = PageWeightExplorer()
    new = set(ipywidgets.widgets.widget._instances) - before
    assert explorer.model_id in new
    leftovers = [type(ipywidgets.widgets.widget._instances[i]).__name__ for i in new
                 if i not in (explorer.model_id, explorer.layout.model_id)]
    assert leftovers == []


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        explorer = PageWeightExplorer()
    finally:
        style.presentation_mode(False)
    assert explorer.presentation is True
    assert explorer._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageWeightExplorer().presentation is False


def test_start_and_sample_are_read_only():
    explorer = PageWeightExplorer()
    for name in ("start_weights", "start_eta", "sample", "limits", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(explorer, name, getattr(explorer, name))


def test_the_modules_sizes_follow_the_course_look():
    course = (PAGE_JS / "course.js").read_text(encoding="utf-8")
    for name, colour in style.PALETTE.items():
        assert f'{name}: "{colour}"' in course
    assert f"titleSize: {style.COURSE_RCPARAMS['axes.titlesize']}" in course
    assert f"titleSize: {style.PRESENTATION_RCPARAMS['axes.titlesize']}" in course
    assert f"figureScale: {style.PRESENTATION_FIGURE_SCALE}" in course
    assert f'fontSize: "{style.PRESENTATION_CONTROLS["font_size"]}"' in course
    assert f"const DPI = {style.DPI};" in course


NUMBERS = [0.0, -0.0, 0.03125, -0.03125, 0.00005, -0.00005, 0.125, 2.5, 0.70, 0.0900, 0.85012, -0.1410029,
           1e-7, -1e-7, 123456.789, 9.99995, -9.99995, 1e12, 2e12, float("nan"), float("inf"), -float("inf"),
           0.0625, 0.5, 1.5, 0.015625, 3.0, -3.0, 0.01, 5.0, 0.000123, 1234.5]


def test_the_modules_number_formatting_writes_what_python_writes():
    """fmt, signed and short of js/course.js against helpers.widgets._base, ties included (0.03125 to four
    decimals is 0.0312 in Python; JavaScript's own toFixed would write 0.0313). Needs node."""
    import shutil
    import subprocess

    from helpers.plots._common import _number
    from helpers.widgets._base import fmt, short, signed

    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_page_widgets.py checks the read-outs in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    rng = np.random.default_rng(5)
    numbers = NUMBERS + [float(x) for x in rng.normal(0, 3, 300)] + [float(x) for x in 10 ** rng.uniform(-2, 0.7, 100)]
    script = module_source("weight_explorer") + f"""
const numbers = {json.dumps([repr(x) for x in numbers])}.map((t) => t === "nan" ? NaN : t === "inf" ? Infinity
                                                            : t === "-inf" ? -Infinity : Number(t));
console.log(JSON.stringify(numbers.map((x) => [fmt(x), fmt(x, 2), signed(x), figureNumber(x, 3), figureNumber(x, 3, true),
                                               figureNumber(x, 2), Number.isFinite(x) ? short(x) : null])));
"""
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)
    for x, js in zip(numbers, written):
        python = [fmt(x), fmt(x, 2), signed(x), _number(x, 3), _number(x, 3, signed=True), _number(x, 2),
                  short(x) if math.isfinite(x) else None]
        assert js == python, x


@pytest.mark.parametrize("bad", [None, float("nan"), 99.0, "fast"])
def test_an_eta_the_page_cannot_send_is_refused_and_the_old_one_kept(bad):
    import traitlets

    explorer = PageWeightExplorer()
    with pytest.raises(traitlets.TraitError, match="eta"):
        explorer.set_state({"eta": bad})
    assert explorer.eta == 0.5


@pytest.mark.parametrize("bad", [None, float("nan"), 99.0])
def test_an_eta_set_from_code_is_checked_too(bad):
    import traitlets

    explorer = PageWeightExplorer()
    with pytest.raises((TypeError, ValueError, traitlets.TraitError), match="eta"):
        explorer.eta = bad
    assert explorer.eta == 0.5


def test_the_eta_keys_are_the_playgrounds_round_values_up_to_5():
    """weights.ETA_KEYS: gradient_descent.ETA_KEYS up to the slider's end, 5 (0.5, the worked example's η,
    among them): 40 presses of an arrow key from 0.01 to 5, every value one the page can send as it is."""
    from helpers.widgets import _base, weights
    from helpers.widgets import gradient_descent as gd

    assert weights.ETA_KEYS == tuple(v for v in gd.ETA_KEYS if v <= weights.ETA_RANGE[1])
    assert weights.ETA_PAGE_KEYS == tuple(v for v in gd.ETA_PAGE_KEYS if v <= weights.ETA_RANGE[1])
    assert (weights.ETA_KEYS[0], weights.ETA_KEYS[-1]) == weights.ETA_RANGE and EXAMPLE_ETA in weights.ETA_KEYS
    assert len(weights.ETA_KEYS) - 1 == 40
    explorer = PageWeightExplorer()
    for eta in weights.ETA_KEYS:
        explorer.set_state({"eta": eta})   # as the page sends it
        assert explorer.eta == eta and explorer.state()["eta"] == eta
        assert float(_base.short(eta)) == eta    # the slider's label writes it out whole


def test_the_modules_eta_keys_are_pythons_value_for_value():
    """The η a key press goes to on the page (etaKeys and course.js's keyTarget, run in node) is what
    gradient_descent.key_step gives over weights.ETA_KEYS, from every key value and from values between."""
    import shutil
    import subprocess

    from helpers.widgets import weights
    from helpers.widgets.gradient_descent import key_step

    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_projector_page_widgets.py presses the keys in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    etas = list(weights.ETA_KEYS) + [0.0101, 0.3, 0.49999, 1.16, 2.32, 4.99, 10 ** math.log10(0.3), 10 ** 0.69897]
    script = module_source("weight_explorer") + f"""
const {{ keys, pageKeys }} = etaKeys({weights.ETA_RANGE[1]!r});
const names = ["ArrowRight", "ArrowUp", "ArrowLeft", "ArrowDown", "PageUp", "PageDown", "Home", "End", "a"];
console.log(JSON.stringify({{ keys, pageKeys,
  walk: {json.dumps(etas)}.map((v) => names.map((k) => keyTarget(k, v, keys, pageKeys))) }}));
"""
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    js = json.loads(result.stdout)
    assert js["keys"] == list(weights.ETA_KEYS) and js["pageKeys"] == list(weights.ETA_PAGE_KEYS)
    keys, page_keys = weights.ETA_KEYS, weights.ETA_PAGE_KEYS
    python = [[key_step(v, keys, +1), key_step(v, keys, +1), key_step(v, keys, -1), key_step(v, keys, -1),
               key_step(v, page_keys, +1), key_step(v, page_keys, -1), keys[0], keys[-1], None] for v in etas]
    assert js["walk"] == python
    # From 0.01, ArrowRight reaches 5 in 40 presses, through 0.5.
    value, seen = keys[0], []
    while value < keys[-1]:
        value = key_step(value, keys, +1)
        seen.append(value)
    assert len(seen) == 40 and 0.5 in seen


def test_the_playground_and_the_weight_explorer_share_one_key_stepper():
    """decades, keyStep, keyTarget and keyedSlider live in js/course.js, and neither widget's file defines
    its own."""
    course = (PAGE_JS / "course.js").read_text(encoding="utf-8")
    for name in ("decades", "keyStep", "keyTarget", "keyedSlider"):
        assert re.search(rf"^function {name}\(", course, re.MULTILINE), name
        for widget in ("weight_explorer", "gradient_descent_playground"):
            own = (PAGE_JS / f"{widget}.js").read_text(encoding="utf-8")
            assert not re.search(rf"function {name}\b", own), (widget, name)
            assert "keyedSlider(" in own, widget
