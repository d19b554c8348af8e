"""The loss explorer drawn in the page (helpers/widgets/page), without a browser: what Python holds, and
the page's own maths and words run in node against helpers.

tests/browser/test_browser_page_loss_explorer.py checks the page in chromium; here: the state a learner's code
sets and reads, the numbers helpers.losses gives for it, the bundle a saved notebook and the book keep,
clear refusals of values no slider can show, and js/loss_explorer.js's numbers, words, curves and
layout held to helpers.losses, LossExplorer's labels and the kernel figure.
"""

import base64
import io
import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image
from traitlets import TraitError

from helpers import losses, style
from helpers.widgets import loss_explorer
from helpers.widgets._base import _plain
from helpers.widgets.loss import (
    FORMULAS, GRID, LINE_STYLES, LOSS_AXIS_TOP, LOSS_NAMES, MARKER_SIZES, MARKER_ZORDERS, MARKERS, SHORT_NAMES, SLOPE_FORMULAS,
    X_AXIS_RIGHT, Y_HAT_RANGE, Y_RANGE, LossExplorer, loss_curves, loss_reading,
)
from helpers.widgets.page import PAGE_MIME, module_names, module_source
from helpers.widgets.page.loss_explorer import PageLossExplorer

PAGE_JS = Path(__file__).resolve().parents[2] / "helpers" / "widgets" / "page" / "js"
MODULE = "loss_explorer"


def expected_numbers(y_hat, y):
    """Each loss's value and slope at (ŷ, y), from helpers.losses alone, keyed as the page's data-name."""
    numbers = {}
    for name in LOSS_NAMES:
        loss = losses.get_loss(name)
        numbers[f"value_{name}"] = float(loss.value(y_hat, y))
        numbers[f"slope_{name}"] = float(loss.gradient(y_hat, y))
    return numbers


def random_states(count, seed):
    """(ŷ, y) pairs anywhere on the sliders, not only on their grid of steps."""
    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(*Y_HAT_RANGE)), float(rng.uniform(*Y_RANGE))) for _ in range(count)]


# States where the words change: the target at either end, halfway, hit exactly, the sliders' ends.
EDGE_STATES = [(0.7, 1.0), (0.01, 1.0), (0.99, 0.0), (0.01, 0.0), (0.99, 1.0), (0.5, 0.5), (0.3, 0.5),
               (0.55, 0.25), (0.25, 0.25), (0.7, 0.7), (0.35, 0.35), (0.05, 0.05), (0.96, 0.95), (0.45, 0.4)]


# ---- the module ----

def test_the_module_is_found_by_its_file():
    assert MODULE in module_names()
    assert module_source(MODULE) == (f"{(PAGE_JS / 'course.js').read_text(encoding='utf-8')}\n"
                                     f"{(PAGE_JS / 'loss_explorer.js').read_text(encoding='utf-8')}")
    assert "export function render" in module_source(MODULE) and "export default { render }" in module_source(MODULE)


def test_the_module_imports_nothing_and_asks_no_network():
    source = module_source(MODULE)
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE), "a module must be self-contained"
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source), "no address but SVG's namespace"
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source


def test_the_module_talks_to_its_model_only_through_the_contracts_five_calls():
    calls = set(re.findall(r"\bmodel\.(\w+)\(", module_source(MODULE)))
    assert calls == {"get", "set", "save_changes", "on", "off"}


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source(MODULE)))
    explorer = PageLossExplorer()
    assert read == set(explorer._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(explorer.keys)  # each one synced with the page


# ---- home ----

def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(loss_explorer(), PageLossExplorer)
    assert type(loss_explorer(home="kernel")) is LossExplorer


def test_home_page_gives_the_page_version_with_the_same_start():
    explorer = loss_explorer(y_hat=0.3, y=0.0, home="page")
    assert isinstance(explorer, PageLossExplorer)
    assert (explorer.y_hat, explorer.y) == (0.3, 0.0)
    assert explorer.reading == LossExplorer(y_hat=0.3, y=0.0).reading


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        loss_explorer(home="browser")
    with pytest.raises(TypeError, match="home must be one of 'kernel', 'page'"):
        loss_explorer(home=None)


# ---- numbers out ----

def test_the_worked_example_scores_0_09_0_045_and_0_3567():
    explorer = PageLossExplorer()
    values = explorer.reading.values
    assert f"{values['squared_error']:.4f}" == "0.0900"
    assert f"{values['half_squared_error']:.4f}" == "0.0450"
    assert f"{values['binary_cross_entropy']:.4f}" == f"{-math.log(0.7):.4f}" == "0.3567"
    assert f"{explorer.gap:.2f}" == "-0.30"


def test_read_outs_equal_helpers_losses_for_random_predictions_and_targets():
    explorer = PageLossExplorer()
    for y_hat, y in random_states(60, seed=23):
        explorer.y_hat, explorer.y = y_hat, y
        want = expected_numbers(y_hat, y)
        assert (explorer.y_hat, explorer.y) == (y_hat, y)
        for name in LOSS_NAMES:
            assert explorer.reading.values[name] == want[f"value_{name}"]
            assert explorer.reading.slopes[name] == want[f"slope_{name}"]
        assert explorer.gap == y_hat - y
        assert explorer.floor == losses.binary_cross_entropy(y, y)


def test_read_outs_equal_the_kernel_versions_reading():
    for y_hat, y in EDGE_STATES:
        page, kernel = PageLossExplorer(y_hat, y), LossExplorer(y_hat, y)
        assert page.reading == kernel.reading
        assert page.state()["values"] == kernel.reading.values


def test_a_soft_targets_floor_is_cross_entropy_at_the_target():
    explorer = PageLossExplorer(y_hat=0.2, y=0.5)
    assert explorer.floor == pytest.approx(math.log(2), rel=1e-12)
    assert f"value there is {explorer.floor:.4f}, not 0" in LossExplorer(y_hat=0.2, y=0.5).gap_label.value


# ---- values in ----

@pytest.mark.parametrize("name, bad, error, message", [
    ("y_hat", float("nan"), ValueError, "y_hat must be a number from 0.01 to 0.99, but got nan"),
    ("y_hat", float("inf"), ValueError, "y_hat must be a number from 0.01 to 0.99, but got inf"),
    ("y_hat", 0.0, ValueError, r"y_hat must be a number from 0.01 to 0.99 \(the range of its slider\), but got 0"),
    ("y_hat", 1.0, ValueError, r"y_hat must be a number from 0.01 to 0.99 \(the range of its slider\), but got 1"),
    ("y_hat", "high", TypeError, "y_hat must be a number from 0.01 to 0.99, but got"),
    ("y_hat", True, TypeError, "y_hat must be a number from 0.01 to 0.99, but got"),
    ("y_hat", None, TypeError, "y_hat must be a number from 0.01 to 0.99, but got"),
    ("y", -0.1, ValueError, r"y must be a number from 0 to 1 \(the range of its slider\), but got -0.1"),
    ("y", 1.5, ValueError, r"y must be a number from 0 to 1 \(the range of its slider\), but got 1.5"),
    ("y", float("nan"), ValueError, "y must be a number from 0 to 1, but got nan"),
    ("y", [1.0], TypeError, "y must be a number from 0 to 1, but got"),
])
def test_values_no_slider_can_show_are_refused_and_the_old_ones_kept(name, bad, error, message):
    explorer = PageLossExplorer()
    with pytest.raises(error, match=message):
        setattr(explorer, name, bad)
    assert (explorer.y_hat, explorer.y) == (0.7, 1.0)
    assert explorer.reading == loss_reading(0.7, 1.0)


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"y_hat": 0}, {"y_hat": 1.2}, {"y": 2}, {"y": float("nan")}, {"y_hat": "0.5"}):
        with pytest.raises((ValueError, TypeError)) as page_error:
            loss_explorer(home="page", **kwargs)
        with pytest.raises((ValueError, TypeError)) as kernel_error:
            loss_explorer(home="kernel", **kwargs)
        assert type(page_error.value) is type(kernel_error.value)
        assert str(page_error.value) == str(kernel_error.value)


def test_a_move_in_the_page_reaches_python_and_its_numbers():
    explorer = PageLossExplorer()
    explorer.set_state({"y_hat": 0.42, "y": 0})  # JSON's 0 for the target's left end
    assert (explorer.y_hat, explorer.y) == (0.42, 0.0) and type(explorer.y) is float
    assert explorer.reading == loss_reading(0.42, 0.0)


REFUSED = "the page sent a value no slider can show: "


@pytest.mark.parametrize("sent, message", [
    ({"y_hat": "x"}, REFUSED + "y_hat must be a number from 0.01 to 0.99, but got 'x'"),
    ({"y_hat": None}, REFUSED + "y_hat must be a number from 0.01 to 0.99, but got None"),
    ({"y_hat": 0.5, "y": 3}, REFUSED + r"y must be a number from 0 to 1 \(the range of its slider\), but got 3"),
])
def test_the_page_is_refused_a_value_no_slider_can_send_and_every_value_it_sent_is_put_back(sent, message):
    explorer = PageLossExplorer()
    with pytest.raises(TraitError, match=message):
        explorer.set_state(sent)
    assert (explorer.y_hat, explorer.y) == (0.7, 1.0)
    assert explorer.reading == loss_reading(0.7, 1.0)


def test_limits_are_the_kernel_sliders_ranges_and_steps():
    kernel = LossExplorer()
    limits = PageLossExplorer().limits
    for name in ("y_hat", "y"):
        slider = kernel.sliders[name]
        assert limits[name] == [slider.min, slider.max]
        assert limits[f"{name}_step"] == slider.step


def test_limits_and_presentation_are_read_only():
    explorer = PageLossExplorer()
    for name in ("limits", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(explorer, name, getattr(explorer, name))


# ---- how it is shown ----

def test_the_bundle_carries_the_page_state_a_still_picture_and_the_kernel_versions_text():
    explorer = PageLossExplorer(y_hat=0.25, y=0.5)
    data, _metadata = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page == {"module": "loss_explorer", "state": {
        "y_hat": 0.25, "y": 0.5, "limits": {"y_hat": [0.01, 0.99], "y_hat_step": 0.01, "y": [0.0, 1.0], "y_step": 0.05},
        "presentation": False}}
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = LossExplorer(y_hat=0.25, y=0.5)
    assert data["text/plain"] == repr(kernel) == "<Loss explorer: interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]


def test_the_still_picture_is_the_starting_state_even_after_moves():
    explorer = PageLossExplorer()
    before = explorer._repr_mimebundle_()[0]["image/png"]
    explorer.y_hat, explorer.y = 0.2, 0.0
    data = explorer._repr_mimebundle_()[0]
    assert data["image/png"] == before
    assert data[PAGE_MIME]["state"]["y_hat"] == 0.2 and data[PAGE_MIME]["state"]["y"] == 0.0  # the page starts there
    assert Image.open(io.BytesIO(base64.b64decode(before))).size == pytest.approx((920, 400), abs=1)  # 919 wide on matplotlib 3.10


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    explorer = PageLossExplorer()
    new = set(ipywidgets.widgets.widget._instances) - before
    leftovers = [type(ipywidgets.widgets.widget._instances[i]).__name__ for i in new
                 if i not in (explorer.model_id, explorer.layout.model_id)]
    assert explorer.model_id in new and leftovers == []


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        explorer = PageLossExplorer()
    finally:
        style.presentation_mode(False)
    assert explorer.presentation is True
    assert explorer._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageLossExplorer().presentation is False


# ---- the module's maths, words, curves and layout, run in node ----

def run_node(code):
    """Run js/loss_explorer.js (with course.js) followed by `code`; return what it printed, read as JSON."""
    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_page_loss_explorer.py checks the module in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    result = subprocess.run([node, "--input-type=module", "-"], input=f"{module_source(MODULE)}\n{code}",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def kernel_words(kernel):
    """LossExplorer's words as text: the gap line, then the table's rows of cells (tags dropped)."""
    rows = [[_plain(cell) for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", kernel.table_label.value)]
    return _plain(kernel.gap_label.value), rows


def test_the_modules_numbers_equal_helpers_losses():
    states = EDGE_STATES + random_states(300, seed=7)
    shown = run_node(f"""
const states = {json.dumps(states)};
console.log(JSON.stringify(states.map(([yHat, y]) => {{
  const r = lossReading(yHat, y);
  const out = {{}};
  for (const name of LOSS_NAMES) {{ out[`value_${{name}}`] = r.values[name]; out[`slope_${{name}}`] = r.slopes[name]; }}
  return out;
}})));""")
    worst = 0.0
    for (y_hat, y), page in zip(states, shown):
        want = expected_numbers(y_hat, y)
        assert set(page) == set(want)
        for key in ("value_squared_error", "value_half_squared_error", "slope_squared_error",
                    "slope_half_squared_error"):
            assert page[key] == want[key], (key, y_hat, y)  # the same float operations, the same float
        worst = max(worst, *(abs(page[k] - want[k]) for k in want))
    print(f"\nlargest difference, node against helpers.losses, over {len(states)} states: {worst:.3g}")
    assert worst <= 1e-12  # cross-entropy's log: JavaScript's and NumPy's may differ in the last bit


def test_the_modules_words_are_the_kernel_versions_word_for_word():
    states = EDGE_STATES + [(round(a, 2), round(b * 20) / 20) for a, b in random_states(20, seed=11)] \
        + random_states(20, seed=12)
    shown = run_node(f"""
const states = {json.dumps(states)};
const text = (pieces) => pieces.map((p) => p[0]).join("");
console.log(JSON.stringify(states.map(([yHat, y]) => [
  text(gapPieces(yHat, y)), [TABLE_HEADER, ...tableRows(lossReading(yHat, y)).map((row) => row.map(text))]])));""")
    kernel = LossExplorer()
    for (y_hat, y), (gap, rows) in zip(states, shown):
        kernel.sliders["y"].value = y
        kernel.sliders["y_hat"].value = y_hat
        assert (kernel.sliders["y_hat"].value, kernel.sliders["y"].value) == (y_hat, y)
        assert (gap, rows) == kernel_words(kernel), (y_hat, y)


def test_the_modules_curves_are_loss_curves_on_the_same_grid():
    targets = [0.0, 0.35, 0.5, 1.0]
    shown = run_node(f"""
console.log(JSON.stringify({{ grid: GRID, curves: {json.dumps(targets)}.map((y) => lossCurves(y)) }}));""")
    assert shown["grid"] == GRID.tolist()
    for y, curves in zip(targets, shown["curves"]):
        want = loss_curves(y)
        for name in LOSS_NAMES:
            np.testing.assert_allclose(curves[name], want[name], rtol=0, atol=1e-12)


def test_the_modules_constants_are_the_kernel_widgets():
    shown = run_node("""console.log(JSON.stringify({ LOSS_NAMES, SHORT_NAMES, FORMULAS, SLOPE_FORMULAS, MARKERS,
  MARKER_SIZES, MARKER_ORDER, X_TICKS, Y_TICKS, X_AXIS_RIGHT, LOSS_AXIS_TOP, Y_HAT_RANGE, EPS, colours: Object.fromEntries(
  Object.entries(LINE_STYLES).map(([k, v]) => [k, v.colour])), dashes: Object.fromEntries(
  Object.entries(LINE_STYLES).map(([k, v]) => [k, v.dashes])), target: TARGET_LINE, prediction: PREDICTION_LINE }));""")
    assert shown["LOSS_NAMES"] == list(LOSS_NAMES)
    assert (shown["SHORT_NAMES"], shown["FORMULAS"], shown["SLOPE_FORMULAS"]) == (SHORT_NAMES, FORMULAS, SLOPE_FORMULAS)
    assert (shown["MARKERS"], shown["MARKER_SIZES"]) == (MARKERS, MARKER_SIZES)
    assert (shown["X_AXIS_RIGHT"], shown["LOSS_AXIS_TOP"], shown["EPS"]) == (X_AXIS_RIGHT, LOSS_AXIS_TOP, losses.EPS)
    assert shown["Y_HAT_RANGE"] == list(Y_HAT_RANGE)
    # matplotlib draws the markers by z-order, those of equal z-order in the order they were added
    assert shown["MARKER_ORDER"] == sorted(LOSS_NAMES, key=MARKER_ZORDERS.get)
    kernel = LossExplorer()
    right, top = kernel.ax.get_xlim()[1], kernel.ax.get_ylim()[1]
    assert shown["X_TICKS"] == pytest.approx([x for x in kernel.ax.get_xticks() if x <= right])  # those drawn
    assert shown["Y_TICKS"] == pytest.approx([y for y in kernel.ax.get_yticks() if y <= top])
    for name in LOSS_NAMES:
        assert shown["colours"][name] == LINE_STYLES[name][0]
        assert_same_dashes(shown["dashes"][name], kernel.curves[name])
    for line, shown_line in ((kernel.target_line, shown["target"]), (kernel.prediction_line, shown["prediction"])):
        assert shown_line["colour"].lower() == line.get_color().lower()
        assert shown_line["width"] == line.get_linewidth()
        assert_same_dashes(shown_line["dashes"], line)


def assert_same_dashes(dasharray, line):
    """An SVG stroke-dasharray against a matplotlib line's dashes (in points, scaled by its width)."""
    pattern = line._dash_pattern[1]
    if pattern is None:
        assert dasharray == "none"
    else:
        assert [float(d) for d in dasharray.split()] == pytest.approx(list(pattern), abs=1e-9)


def kernel_layout(presentation):
    """Where the kernel figure puts its parts, in points from its top left, as the module's LAYOUT holds them."""
    style.presentation_mode(presentation)
    try:
        w = LossExplorer()
    finally:
        style.presentation_mode(False)
    fig, ax = w.fig, w.ax
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    height, pt = fig.bbox.height, 72 / fig.dpi

    def descent(text):
        return text._get_layout(r)[1][-1][1][2]

    def baseline(text):  # an unrotated text's baseline
        return (height - (text.get_window_extent(r).y0 + descent(text))) * pt

    legend = ax.get_legend()
    handles, texts = legend.get_lines(), legend.get_texts()
    rows = [(height - h.get_window_extent(r).y0) * pt for h in handles]
    x_tick = ax.get_xticklabels()[0]
    y_tick = next(t for t in ax.get_yticklabels() if t.get_text() == "0")
    tick = ax.xaxis.get_major_ticks()[0]
    y_label = ax.yaxis.label
    return {
        "figure": [fig.bbox.width / fig.dpi, fig.bbox.height / fig.dpi],
        "axes": [ax.bbox.x0 * pt, (height - ax.bbox.y1) * pt, ax.bbox.width * pt, ax.bbox.height * pt],
        "tickLength": tick.tick1line.get_markersize(), "tickWidth": tick.tick1line.get_markeredgewidth(),
        "spineWidth": ax.spines["left"].get_linewidth(), "markerEdge": w.markers["squared_error"].get_markeredgewidth(),
        "tickLabelSize": x_tick.get_fontsize(), "labelSize": ax.xaxis.label.get_fontsize(),
        "titleSize": ax.title.get_fontsize(), "legendSize": texts[0].get_fontsize(),
        "xTickBaseline": baseline(x_tick), "yTickRight": y_tick.get_window_extent(r).x1 * pt,
        "yTickDrop": baseline(y_tick) - (height - ax.transData.transform((0, 0))[1]) * pt,
        "titleBaseline": baseline(ax.title), "xLabelBaseline": baseline(ax.xaxis.label),
        "yLabelBaseline": (y_label.get_window_extent(r).x1 - descent(y_label)) * pt,
        "legendHandle": [handles[0].get_window_extent(r).x0 * pt, handles[0].get_window_extent(r).x1 * pt],
        "legendText": texts[0].get_window_extent(r).x0 * pt,
        "legendRows": rows,
        "legendDrop": baseline(texts[0]) - rows[0],
    }


@pytest.mark.skipif(tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) < (3, 11),
                    reason="LAYOUT holds where matplotlib 3.11 puts the kernel figure's parts; 3.10 places them a few points apart")
@pytest.mark.parametrize("look", ["course", "presentation"])
def test_the_picture_is_laid_out_as_the_kernel_figure(look):
    shown = run_node("console.log(JSON.stringify(LAYOUT));")[look]
    want = kernel_layout(look == "presentation")
    assert set(shown) == set(want)
    for key, value in want.items():
        assert np.asarray(shown[key], dtype=float) == pytest.approx(np.asarray(value, dtype=float), abs=0.05), key
