"""The gradient-descent playground drawn in the page (helpers/widgets/page), without a browser: what Python holds.

The page runs its own descent (tests/browser/test_browser_page_gradient_descent_playground.py checks it in
chromium); here: the state a learner's code sets and reads, the run helpers.training gives for it, the
bundle a saved notebook and the book keep, clear refusals of values no slider can show, and the
module's maths run in node against Python's, number for number.
"""

import base64
import io
import json
import math
import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from helpers import style
from helpers.widgets import gradient_descent as gd
from helpers.widgets.gradient_descent import (GradientDescentPlayground, descend_output_weights,
                                              gradient_descent_playground, verdict)
from helpers.widgets.page import PAGE_MIME, module_names, module_source
from helpers.widgets.page.gradient_descent_playground import PageGradientDescentPlayground

MODULE = "gradient_descent_playground"


def test_the_module_is_found_by_its_file():
    assert MODULE in module_names()


def test_the_module_imports_nothing_and_asks_no_network():
    source = module_source(MODULE)
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source)
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source


def test_the_module_talks_to_its_model_only_through_the_contracts_five_calls():
    calls = set(re.findall(r"\bmodel\.(\w+)\(", module_source(MODULE)))
    assert calls == {"get", "set", "save_changes", "on", "off"}


def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(gradient_descent_playground(), PageGradientDescentPlayground)
    assert type(gradient_descent_playground(home="kernel")) is GradientDescentPlayground


def test_home_page_gives_the_page_version_with_the_same_start():
    playground = gradient_descent_playground(eta=0.5, steps=12, start={"w3": 1.0}, home="page")
    assert isinstance(playground, PageGradientDescentPlayground)
    assert (playground.eta, playground.steps, playground.start) == (0.5, 12, {"w3": 1.0, "w4": -1.5})


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        gradient_descent_playground(home="browser")


def test_the_default_run_converges_to_the_kernel_versions_printed_numbers():
    playground = PageGradientDescentPlayground()
    assert playground.verdict == "converging"
    assert gd.number(playground.final_loss) == "8.83e\N{MINUS SIGN}08"
    assert gd.number(playground.path.loss[0]) == "5.6285"
    assert gd.number(playground.final_y_hat) == "0.9997"


def _same_run(page, kernel):
    mine, theirs = page.path, kernel.path
    assert np.array_equal(mine.weights, theirs.weights) and np.array_equal(mine.loss, theirs.loss)
    assert np.array_equal(mine.y_hat, theirs.y_hat) and mine.diverged == theirs.diverged
    assert page.verdict == kernel.verdict


@pytest.mark.parametrize("eta, steps, start", [(0.3, 30, None), (0.01, 200, {"w3": 4.0}), (1.5, 40, None),
                                               (2.2, 200, {"w3": 0.0, "w4": -2.0}), (10.0, 200, None), (1.0, 1, None)])
def test_the_run_is_the_kernel_versions_run(eta, steps, start):
    _same_run(PageGradientDescentPlayground(eta, steps, start), GradientDescentPlayground(eta, steps, start))


def test_settings_from_code_rerun_the_descent_and_keep_the_start_left_out():
    playground = PageGradientDescentPlayground()
    playground.eta, playground.steps, playground.start = 2.0, 50, {"w4": 2.5}
    assert playground.start == {"w3": -1.5, "w4": 2.5}
    want = descend_output_weights(-1.5, 2.5, 2.0, 50)
    assert np.array_equal(playground.path.loss, want.loss)
    assert playground.verdict == verdict(want)


def test_a_run_that_blew_up_reads_nan_and_diverged():
    playground = PageGradientDescentPlayground(eta=10.0, steps=200)
    assert playground.path.diverged and playground.verdict == "diverged"
    assert math.isnan(playground.final_loss) and math.isnan(playground.final_y_hat)


@pytest.mark.parametrize("name, bad, error, message", [
    ("eta", float("nan"), ValueError, "eta must be a number from 0.01 to 10, but got nan"),
    ("eta", 20, ValueError, r"eta must be a number from 0.01 to 10 \(the range of its slider\), but got 20"),
    ("eta", "fast", TypeError, "eta must be a number from 0.01 to 10, but got"),
    ("steps", 0, ValueError, r"steps must be a whole number from 1 to 200 \(the values its slider can show\), but got 0"),
    ("steps", 201, ValueError, "steps must be a whole number from 1 to 200"),
    ("steps", 2.5, TypeError, "steps must be a whole number from 1 to 200, but got"),
    ("start", {"w3": 5.0}, ValueError, r"start\['w3'\] must be a number from -2 to 4 \(the range of its slider\), but got 5"),
    ("start", {"w1": 0.0}, ValueError, r"start has unknown key 'w1'; the valid keys are 'w3', 'w4'"),
    ("start", {"w4": float("nan")}, ValueError, r"start\['w4'\] must be a number from -2 to 4, but got nan"),
    ("start", [0.0, 0.0], TypeError, "start must be a dict that names each value"),
])
def test_values_no_slider_can_show_are_refused_and_the_old_ones_kept(name, bad, error, message):
    playground = PageGradientDescentPlayground()
    before = (playground.eta, playground.steps, dict(playground.start))
    with pytest.raises(error, match=message):
        setattr(playground, name, bad)
    assert (playground.eta, playground.steps, playground.start) == before
    assert playground.verdict == "converging"


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"eta": 0}, {"steps": 500}, {"start": {"w9": 1}}, {"start": {"w3": -3}}):
        with pytest.raises(ValueError) as page_error:
            gradient_descent_playground(home="page", **kwargs)
        with pytest.raises(ValueError) as kernel_error:
            gradient_descent_playground(home="kernel", **kwargs)
        assert str(page_error.value) == str(kernel_error.value)


def test_the_bundle_carries_the_page_state_a_still_picture_and_the_kernel_versions_text():
    playground = PageGradientDescentPlayground(eta=0.5, steps=20, start={"w4": 1.0})
    data, _metadata = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page["module"] == MODULE
    state = page["state"]
    assert (state["eta"], state["steps"], state["start"]) == (0.5, 20, {"w3": -1.5, "w4": 1.0})
    assert state["fixed"] == {"w1": -0.5, "w2": 0.3} and state["sample"] == {"x1": 1.0, "x2": 0.5, "y": 1.0}
    assert state["limits"]["eta"] == [0.01, 10.0] and state["limits"]["steps"] == [1, 200]
    assert state["presentation"] is False
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = GradientDescentPlayground(eta=0.5, steps=20, start={"w4": 1.0})
    assert data["text/plain"] == repr(kernel) == "<Gradient-descent playground: interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]
    assert Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).width == 1000


def test_the_maps_levels_are_the_kernel_versions_contour_levels_with_one_colour_a_band():
    playground = PageGradientDescentPlayground()
    levels = GradientDescentPlayground().landscape.contour.levels
    assert playground.landscape["levels"] == [float(v) for v in levels]
    assert len(playground.landscape["colours"]) == len(levels) - 1
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in playground.landscape["colours"])


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source(MODULE)))
    playground = PageGradientDescentPlayground()
    assert read == set(playground._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(playground.keys)


def test_the_still_picture_is_the_starting_state_even_after_moves():
    playground = PageGradientDescentPlayground()
    before = playground._repr_mimebundle_()[0]["image/png"]
    playground.eta = 5.0
    data = playground._repr_mimebundle_()[0]
    assert data["image/png"] == before and data[PAGE_MIME]["state"]["eta"] == 5.0


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    playground = PageGradientDescentPlayground()
    new = set(ipywidgets.widgets.widget._instances) - before
    assert new <= {playground.model_id, playground.layout.model_id}


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        playground = PageGradientDescentPlayground()
    finally:
        style.presentation_mode(False)
    assert playground.presentation is True
    assert playground._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageGradientDescentPlayground().presentation is False


def test_fixed_sample_limits_and_landscape_are_read_only():
    playground = PageGradientDescentPlayground()
    for name in ("fixed", "sample", "limits", "landscape", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(playground, name, getattr(playground, name))


def random_settings(count, seed=23):
    """(η, steps, start) as the sliders can set them: η of three digits on the log slider, starts on the 0.05 grid."""
    rng = np.random.default_rng(seed)
    return [(float(f"{10 ** rng.uniform(-2, 1):.3g}"), int(rng.integers(1, 201)),
             {"w3": round(float(rng.integers(-40, 81)) * 0.05, 2), "w4": round(float(rng.integers(-40, 81)) * 0.05, 2)})
            for _ in range(count)]


def _node():
    node = shutil.which("node")
    if node is None:
        message = "node is not installed; the browser test checks the page's numbers in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    return node


def test_the_modules_descent_verdict_and_axes_are_pythons_number_for_number():
    """descendOutputWeights, verdict, the label numbers and the axes' ends of the module, run in node, against
    helpers.training.descend_tiny and helpers.widgets.gradient_descent, over random settings and the extremes."""
    node = _node()
    playground = PageGradientDescentPlayground()
    settings = random_settings(60) + [(0.3, 30, {"w3": -1.5, "w4": -1.5}), (10.0, 200, {"w3": 4.0, "w4": 4.0}),
                                      (0.01, 1, {"w3": -2.0, "w4": -2.0}), (1.16, 200, {"w3": -1.5, "w4": -1.5}),
                                      (2.32, 200, {"w3": -1.5, "w4": -1.5}), (2.4, 200, {"w3": -1.5, "w4": -1.5})]
    state = playground.page_state()
    script = module_source(MODULE) + f"""
const state = {json.dumps(state)};
const settings = {json.dumps(settings)};
const out = settings.map(([eta, steps, start]) => {{
  const path = descendOutputWeights(start.w3, start.w4, eta, steps, state.fixed, state.sample, state.limits);
  return {{ w3: path.w3.map(exactText), w4: path.w4.map(exactText), loss: path.loss.map(exactText),
           y_hat: path.y_hat.map(exactText), diverged: path.diverged,
           verdict: verdict(path, state.sample.y, state.limits),
           numbers: [path.loss[0], path.loss[path.loss.length - 1], path.y_hat[path.y_hat.length - 1]].map(tinyNumber),
           y_hat_limits: yHatLimits(path.y_hat, state.sample.y), loss_limits: lossLimits(path.loss, 4) }};
}});
console.log(JSON.stringify(out));
"""
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    worst = 0.0
    for (eta, steps, start), js in zip(settings, json.loads(result.stdout)):
        path = descend_output_weights(start["w3"], start["w4"], eta, steps)
        for column, name in ((2, "w3"), (3, "w4")):
            assert [float(v) for v in js[name]] == path.weights[:, column].tolist(), (eta, steps, start, name)
        assert [float(v) for v in js["loss"]] == path.loss.tolist()
        assert [float(v) for v in js["y_hat"]] == path.y_hat.tolist()
        worst = max(worst, float(np.max(np.abs(np.array([float(v) for v in js["loss"]]) - path.loss))))
        assert js["diverged"] == path.diverged
        assert js["verdict"] == verdict(path), (eta, steps, start)
        assert js["numbers"] == [gd.number(path.loss[0]), gd.number(path.loss[-1]), gd.number(path.y_hat[-1])]
        assert js["y_hat_limits"] == list(gd.y_hat_limits(path.y_hat))
        assert js["loss_limits"] == list(gd.loss_limits(path.loss))
    assert worst == 0.0


def test_the_modules_tiny_numbers_are_written_as_python_writes_them():
    node = _node()
    rng = np.random.default_rng(7)
    values = [0.0, 1e-3, 9.995e-4, -9.995e-4, 1.005e-4, 5e-324, float("nan"), float("inf"), 0.5, 1234.5]
    values += [float(v) for v in 10 ** rng.uniform(-30, -3, 300) * rng.choice([-1, 1], 300)]
    ticks = [0.0, 0.5, -1.5, 1.0, 2.5, 1e4, -2e5, 3e12, 0.15]
    script = module_source(MODULE) + f"""
const values = {json.dumps([repr(v) for v in values])}.map((t) => t === "nan" ? NaN : t === "inf" ? Infinity : Number(t));
console.log(JSON.stringify([values.map(tinyNumber), {json.dumps(ticks)}.map(yHatTick)]));
"""
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    numbers, ticks_js = json.loads(result.stdout)
    assert numbers == [gd.number(v) for v in values]
    assert ticks_js == [gd._tick(v) for v in ticks]


def test_the_modules_key_steps_are_pythons_value_for_value():
    """The η and steps a key press goes to on the page (ETA_KEYS, STEPS_KEYS, keyTarget in node) are
    helpers.widgets.gradient_descent's, from every round value and from values between them, for every key."""
    node = _node()
    etas = list(gd.ETA_KEYS) + [0.0101, 0.3, 1.16, 2.32, 9.99, 10 ** math.log10(0.3)]
    steps = list(gd.STEPS_KEYS) + [11, 33, 199]
    script = module_source(MODULE) + f"""
const keys = ["ArrowRight", "ArrowUp", "ArrowLeft", "ArrowDown", "PageUp", "PageDown", "Home", "End", "a"];
const walk = (values, table, pageTable) => values.map((v) => keys.map((k) => keyTarget(k, v, table, pageTable)));
console.log(JSON.stringify({{
  eta_keys: ETA_KEYS, eta_page_keys: ETA_PAGE_KEYS, steps_keys: STEPS_KEYS, steps_page_keys: STEPS_PAGE_KEYS,
  eta: walk({json.dumps(etas)}, ETA_KEYS, ETA_PAGE_KEYS), steps: walk({json.dumps(steps)}, STEPS_KEYS, STEPS_PAGE_KEYS),
}}));
"""
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    js = json.loads(result.stdout)
    assert js["eta_keys"] == list(gd.ETA_KEYS) and js["eta_page_keys"] == list(gd.ETA_PAGE_KEYS)
    assert js["steps_keys"] == list(gd.STEPS_KEYS) and js["steps_page_keys"] == list(gd.STEPS_PAGE_KEYS)

    def python(value, table, page_table):
        return [gd.key_step(value, table, +1), gd.key_step(value, table, +1), gd.key_step(value, table, -1),
                gd.key_step(value, table, -1), gd.key_step(value, page_table, +1), gd.key_step(value, page_table, -1),
                table[0], table[-1], None]

    assert js["eta"] == [python(v, gd.ETA_KEYS, gd.ETA_PAGE_KEYS) for v in etas]
    assert js["steps"] == [python(v, gd.STEPS_KEYS, gd.STEPS_PAGE_KEYS) for v in steps]
    # Every η a key reaches is one Python takes as it is, and its label is the value written out.
    playground = PageGradientDescentPlayground()
    for eta in gd.ETA_KEYS:
        playground.eta = eta
        assert playground.eta == eta and float(gd.short(eta)) == eta
