"""The chain-rule nudger drawn in the page (helpers/widgets/page), without a browser: what Python holds.

The page computes its own numbers (tests/browser/test_browser_page_chain_rule_nudger.py checks them in
chromium); here: the state a learner's code sets and reads, the numbers helpers/widgets/chain_rule.py
gives for it, the bundle a saved notebook and the book keep, clear refusals of values no slider can
show, and the module's maths and number formatting run in node against Python's.
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

import numpy as np
import pytest
import traitlets as t
from PIL import Image

from helpers import style
from helpers.widgets import chain_rule_nudger
from helpers.widgets.chain_rule import ChainRuleNudger, chain_links, chain_loss, measured_slope
from helpers.widgets.page import PAGE_MIME, module_names, module_source
from helpers.widgets.page.chain_rule_nudger import PageChainRuleNudger, nudger_lines

MODULE = "chain_rule_nudger"
PAGE_JS = Path(__file__).resolve().parents[2] / "helpers" / "widgets" / "page" / "js"
LINE_NAMES = ["forward", "dL_da", "da_dz", "dz_dx", "product", "measured", "gap"]
ROUNDOFF = 4 * 2.0 ** -52
"""How far two computations of L(x) may differ when their exp differs in the last bit (L < 1): a
forward difference divides that by Δx, so the measured slope may differ by ROUNDOFF / Δx."""


def html_text(line):
    """A read-out's HTML line as the page shows it: tags dropped, &nbsp; a no-break space."""
    return re.sub(r"<[^>]+>", "", line).replace("&nbsp;", "\u00a0")


def run_node(script):
    """Run an ES module in node and return what it printed, parsed as JSON (skipped without node)."""
    node = shutil.which("node")
    if node is None:
        message = "node is not installed; tests/browser/test_browser_page_chain_rule_nudger.py checks the page in chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test, but {message}")
        pytest.skip(message)
    result = subprocess.run([node, "--input-type=module", "-"], input=script, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_module_is_found_by_its_file():
    assert MODULE in module_names()
    source = module_source(MODULE)
    course = (PAGE_JS / "course.js").read_text(encoding="utf-8")
    own = (PAGE_JS / f"{MODULE}.js").read_text(encoding="utf-8")
    assert source == f"{course}\n{own}"
    assert "export function render" in source and "export default { render }" in source


def test_the_module_imports_nothing_and_asks_no_network():
    source = module_source(MODULE)
    assert not re.search(r"^\s*import\b|\bimport\s*\(", source, re.MULTILINE), "a module must be self-contained"
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source), "no address but SVG's namespace"
    assert "fetch(" not in source and "XMLHttpRequest" not in source and "WebSocket" not in source


def test_the_module_talks_to_its_model_only_through_the_contracts_five_calls():
    calls = set(re.findall(r"\bmodel\.(\w+)\(", module_source(MODULE)))
    assert calls == {"get", "set", "save_changes", "on", "off"}


def test_the_default_home_is_the_page_version_and_the_kernel_one_stays():
    assert isinstance(chain_rule_nudger(), PageChainRuleNudger)
    assert type(chain_rule_nudger(home="kernel")) is ChainRuleNudger


def test_home_page_gives_the_page_version_with_the_same_start():
    nudger = chain_rule_nudger(x=-1.25, nudge=0.01, home="page")
    assert isinstance(nudger, PageChainRuleNudger)
    assert (nudger.x, nudger.nudge) == (-1.25, 0.01)


def test_an_unknown_home_is_refused_with_the_homes_there_are():
    with pytest.raises(ValueError, match="home must be one of 'kernel', 'page', but got 'browser'"):
        chain_rule_nudger(home="browser")


def test_the_start_reads_as_the_kernel_version_writes_it():
    nudger = PageChainRuleNudger()
    lines = nudger.lines
    assert list(lines) == LINE_NAMES
    assert lines == ChainRuleNudger().lines
    assert lines["forward"] == "x = 0.50 → z = w·x = 1.0000 → a = σ(z) = 0.7311 → L = (a − 1)² = 0.0723 &nbsp; (w = 2)"
    assert lines["product"].endswith("= −0.5379 × 0.1966 × 2.0000 = <b>−0.2115</b>")
    assert lines["measured"].endswith("with Δx = 5.0e-01: <b>−0.1162</b>")


def test_read_outs_equal_the_kernel_versions_for_random_x_and_nudges():
    rng = np.random.default_rng(23)
    page, kernel = PageChainRuleNudger(), ChainRuleNudger()
    for _ in range(40):
        x = float(rng.uniform(-3, 3))
        dx = float(10 ** rng.uniform(-6, 0))
        page.x, page.nudge = x, dx
        kernel.x_slider.value, kernel.nudge_slider.value = x, dx
        assert page.links == kernel.links == chain_links(x)
        assert page.measured == kernel.measured == measured_slope(x, dx)
        assert page.gap == abs(page.measured - page.links.dL_dx)
        assert page.state()["L_nudged"] == float(chain_loss(x + dx))
        assert page.lines == kernel.lines


@pytest.mark.parametrize("name, bad, error, message", [
    ("x", float("nan"), ValueError, "x must be a number from -3 to 3, but got nan"),
    ("x", 3.5, ValueError, r"x must be a number from -3 to 3 \(the range of its slider\), but got 3.5"),
    ("x", "one", TypeError, "x must be a number from -3 to 3, but got"),
    ("nudge", 0, ValueError, r"nudge must be a number from 1e-06 to 1 \(the range of its slider\), but got 0"),
    ("nudge", 2.0, ValueError, r"nudge must be a number from 1e-06 to 1 \(the range of its slider\), but got 2"),
    ("nudge", float("inf"), ValueError, "nudge must be a number from 1e-06 to 1, but got inf"),
    ("nudge", True, TypeError, "nudge must be a number from 1e-06 to 1, but got"),
])
def test_a_value_no_slider_can_show_is_refused_and_the_old_one_kept(name, bad, error, message):
    nudger = PageChainRuleNudger()
    with pytest.raises(error, match=message):
        setattr(nudger, name, bad)
    assert (nudger.x, nudger.nudge) == (0.5, 0.5)
    assert nudger.lines == ChainRuleNudger().lines


def test_the_page_is_refused_a_value_no_slider_can_show_and_both_values_are_kept():
    """A state from the page arrives with traitlets holding its checks to the end; only a TraitError
    makes it put the old values back, so a refusal there must be one."""
    nudger = PageChainRuleNudger()
    with pytest.raises(t.TraitError, match="x must be a number from -3 to 3"):
        nudger.set_state({"x": None})
    with pytest.raises(t.TraitError, match="nudge must be a number from 1e-06 to 1"):
        nudger.set_state({"x": -1.0, "nudge": 5})
    assert (nudger.x, nudger.nudge) == (0.5, 0.5)
    assert nudger.lines == ChainRuleNudger().lines
    nudger.set_state({"x": -1.0, "nudge": 0.25})
    assert (nudger.x, nudger.nudge) == (-1.0, 0.25)


def test_the_page_may_send_the_ends_of_its_log_slider():
    """10 ** -6 in the page may land a last bit off 1e-06: still the slider's own end, so accepted."""
    nudger = PageChainRuleNudger()
    nudger.set_state({"nudge": 1e-06 * (1 - 2 ** -52)})
    assert nudger.measured == measured_slope(0.5, 1e-06 * (1 - 2 ** -52))


def test_bad_starting_values_are_refused_as_the_kernel_version_refuses_them():
    for kwargs in ({"x": 9}, {"nudge": 0}, {"x": "left"}, {"nudge": float("nan")}):
        with pytest.raises((ValueError, TypeError)) as page_error:
            chain_rule_nudger(home="page", **kwargs)
        with pytest.raises((ValueError, TypeError)) as kernel_error:
            chain_rule_nudger(home="kernel", **kwargs)
        assert str(page_error.value) == str(kernel_error.value)
        assert type(page_error.value) is type(kernel_error.value)


def test_the_bundle_carries_the_page_state_a_still_picture_and_the_kernel_versions_text():
    nudger = PageChainRuleNudger(x=-0.75, nudge=0.1)
    data, _metadata = nudger._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data[PAGE_MIME]
    assert page == {"module": MODULE, "state": {
        "x": -0.75, "nudge": 0.1, "constants": {"w": 2.0, "y": 1.0},
        "limits": {"x": [-3.0, 3.0], "x_step": 0.01, "nudge_exponents": [-6, 0], "nudge_step": 0.1,
                   "tangent_half_width": 1.2, "rise_run_label_min": 0.05},
        "presentation": False}}
    json.dumps(page, allow_nan=False)  # plain JSON, as the book inlines it
    kernel = ChainRuleNudger(x=-0.75, nudge=0.1)
    assert data["text/plain"] == repr(kernel) == "<Chain-rule nudger: interactive in JupyterLab; run the cell to use it>"
    assert data["image/png"] == kernel._repr_mimebundle_()["image/png"]


def test_every_synced_trait_the_module_reads_is_in_the_bundles_state():
    read = set(re.findall(r"model\.get\(\"(\w+)\"\)", module_source(MODULE)))
    nudger = PageChainRuleNudger()
    assert read == set(nudger._repr_mimebundle_()[0][PAGE_MIME]["state"])
    assert read <= set(nudger.keys)  # each one synced with the page


def test_the_still_picture_is_the_starting_state_even_after_moves():
    nudger = PageChainRuleNudger()
    before = nudger._repr_mimebundle_()[0]["image/png"]
    nudger.x = -2.0
    data = nudger._repr_mimebundle_()[0]
    assert data["image/png"] == before
    assert data[PAGE_MIME]["state"]["x"] == -2.0  # the page starts where it is
    assert Image.open(io.BytesIO(base64.b64decode(before))).width == 640


def test_building_it_leaves_no_kernel_widget_behind():
    import ipywidgets

    before = set(ipywidgets.widgets.widget._instances)
    nudger = PageChainRuleNudger()
    new = set(ipywidgets.widgets.widget._instances) - before
    assert nudger.model_id in new
    leftovers = [type(ipywidgets.widgets.widget._instances[i]).__name__ for i in new
                 if i not in (nudger.model_id, nudger.layout.model_id)]
    assert leftovers == []


def test_presentation_mode_is_passed_to_the_page():
    try:
        style.presentation_mode(True)
        nudger = PageChainRuleNudger()
    finally:
        style.presentation_mode(False)
    assert nudger.presentation is True
    assert nudger._repr_mimebundle_()[0][PAGE_MIME]["state"]["presentation"] is True
    assert PageChainRuleNudger().presentation is False


def test_constants_limits_and_presentation_are_read_only():
    nudger = PageChainRuleNudger()
    for name in ("constants", "limits", "presentation"):
        with pytest.raises(Exception, match="read-only"):
            setattr(nudger, name, getattr(nudger, name))


# ---- the module's maths and words, run in node ----

EXPONENTIAL_NUMBERS = [0.125, -0.125, 0.375, 2.5e-05, 9.995e-06, 9.9995e-07, 1e-06, 5e-01, 0.0, 1.0, 0.00095,
                       0.00015, 2.0 ** -20, 3 * 2.0 ** -15, 1e-300, 5e-324, 123.456, 1e-07]


def test_the_modules_e_notation_writes_what_python_writes():
    """Python rounds a tie to the even digit (0.125 to one decimal is 1.2e-01) and writes two exponent
    digits; JavaScript's toExponential writes 1.3e-1."""
    rng = np.random.default_rng(8)
    numbers = EXPONENTIAL_NUMBERS + [float(v) for v in 10 ** rng.uniform(-12, 0, 300)]
    numbers += [-v for v in numbers[:40]]
    written = run_node(module_source(MODULE) + f"""
const numbers = {json.dumps(numbers)};
console.log(JSON.stringify(numbers.map((x) => [pyExponential(x, 1), pyExponential(x, 2), pyExponential(x, 3), number(x)])));
""")
    from helpers.widgets.chain_rule import number

    for x, js in zip(numbers, written):
        assert js == [f"{x:.1e}", f"{x:.2e}", f"{x:.3e}", number(x)], x


def test_the_modules_maths_and_words_are_the_kernel_versions():
    """Every link, ΔL/Δx and each read-out's text, for random x and nudges. The values that do not divide
    by Δx agree to 1e-12 (a last bit apart at most: exp in the page and in NumPy may differ there); the
    measured slope is the forward difference of the page's own L values, so it is within ROUNDOFF / Δx."""
    rng = np.random.default_rng(11)
    xs = [float(v) for v in rng.uniform(-3, 3, 400)] + [0.5, 0.0, -3.0, 3.0]
    dxs = [float(10 ** v) for v in rng.uniform(-6, 0, 400)] + [0.5, 0.5, 1e-06, 1.0]
    out = run_node(module_source(MODULE) + f"""
const xs = {json.dumps(xs)}, dxs = {json.dumps(dxs)};
console.log(JSON.stringify(xs.map((x, i) => {{
  const dx = dxs[i], links = chainLinks(x, 2.0, 1.0), measured = measuredSlope(x, dx, 2.0, 1.0);
  const text = {{}};
  for (const [name, pieces] of Object.entries(nudgerLines(links, measured, dx, 2.0, 1.0))) {{
    text[name] = pieces.map((piece) => piece[0]).join("");
  }}
  return [links, measured, chainLoss(x + dx, 2.0, 1.0), text];
}})));
""")
    for x, dx, (links, measured, L_nudged, text) in zip(xs, dxs, out):
        want = chain_links(x)
        for name in ("x", "z", "a", "L", "dz_dx", "da_dz", "dL_da", "dL_dx"):
            assert abs(links[name] - getattr(want, name)) <= 1e-12, (x, name)
        assert abs(L_nudged - float(chain_loss(x + dx))) <= 1e-12
        assert measured == (L_nudged - links["L"]) / dx  # the forward difference, exactly
        assert abs(measured - measured_slope(x, dx)) <= 1e-12 + ROUNDOFF / dx
        assert text == {name: html_text(line) for name, line in nudger_lines(want, measured, dx).items()}, (x, dx)
    # The worked start, word for word as the kernel version writes it.
    assert out[-4][3] == {name: html_text(line) for name, line in ChainRuleNudger().lines.items()}
