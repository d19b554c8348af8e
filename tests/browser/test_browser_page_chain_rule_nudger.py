"""The chain-rule nudger drawn in the page, in JupyterLab with chromium: its numbers come from the page's module.

A scratch notebook shows `chain_rule_nudger(home="page")`. Every number the page shows is compared
with helpers/widgets/chain_rule.py's through the exact value each read-out carries in data-value (the
text is rounded): for random x and nudges set from Python and after arrow keys on a slider. The words
must be the kernel version's, word for word, and Python must hold what the page shows once a move
ends. Nothing may leave localhost.

One allowance, stated where it is used: the page's exp and NumPy's may differ in the last bit, and the
measured slope ΔL/Δx divides a difference of two losses by Δx, so there (and in the gap beside it) the
two may differ by ROUNDOFF / Δx. The page's measured slope is checked to be, exactly, the forward
difference of its own two losses, which agree with helpers' to 1e-12.
"""

import json
import re
import statistics

import numpy as np
import pytest

from helpers.widgets.chain_rule import ChainRuleNudger, chain_links, chain_loss, measured_slope
from helpers.widgets.page.chain_rule_nudger import nudger_lines
from test_browser import SCREENSHOTS, page, requests_off_localhost, rerun, run_scratch, settled  # noqa: F401 (fixture)
from test_browser_page_widgets import TOLERANCE, shown_numbers

pytestmark = pytest.mark.browser

NAME = "page_chain_rule_nudger.ipynb"
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_chain_rule_nudger.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 6
KEY_PRESSES = 20
ROUNDOFF = 4 * 2.0 ** -52
"""How far two computations of a loss below 1 may differ when their exp differs in the last bit."""
SELECTOR = ".bpc-crn"


def random_trials(count, seed=2026):
    """(x, Δx) pairs: x anywhere on its slider, Δx anywhere on the log slider from 10⁻⁶ to 1."""
    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(-3, 3)), float(10 ** rng.uniform(-6, 0))) for _ in range(count)]


def cells(trials):
    return [
        "from helpers.widgets import chain_rule_nudger\nnudger = chain_rule_nudger(home='page')\nnudger",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nk = -1",
        # Run All leaves the start in place; each later run sets the next trial.
        "if k >= 0:\n    nudger.x, nudger.nudge = trials[k]\nk += 1\nprint(k)",
        "print(json.dumps({'x': nudger.x, 'nudge': nudger.nudge, 'measured': nudger.measured}))",
        "from helpers import style\nstyle.presentation_mode(True)\nbig = chain_rule_nudger(home='page')\n"
        "style.presentation_mode(False)\nbig",
    ]


def expected(x, dx):
    """Every number the page shows, from helpers/widgets/chain_rule.py."""
    links = chain_links(x)
    measured = measured_slope(x, dx)
    return {"x": x, "z": links.z, "a": links.a, "L": links.L, "dL_da": links.dL_da, "da_dz": links.da_dz,
            "dz_dx": links.dz_dx, "dL_dx": links.dL_dx, "dx": dx, "measured": measured,
            "gap": abs(measured - links.dL_dx)}


def html_text(line):
    """A kernel read-out's HTML line as a page shows it: tags dropped, &nbsp; a no-break space."""
    return re.sub(r"<[^>]+>", "", line).replace("&nbsp;", "\u00a0")


def shown_lines(root):
    return root.evaluate("(root) => [...root.querySelectorAll('.bpc-readout')].map(e => e.textContent)")


def shown_nudged_loss(root):
    return float(root.evaluate("(root) => root.querySelector('rect[data-value]').dataset.value"))


def check_numbers(root, x, dx):
    """The largest difference between the page's numbers and helpers', after checking each against its
    allowance; then the page's words against the kernel version's."""
    shown = shown_numbers(root)
    want = expected(x, dx)
    assert set(shown) == set(want), f"the page shows {sorted(shown)}, helpers gives {sorted(want)}"
    worst = 0.0
    for name, value in want.items():
        allowed = TOLERANCE + (ROUNDOFF / dx if name in ("measured", "gap") else 0.0)
        difference = abs(shown[name] - value)
        assert difference <= allowed, (name, shown[name], value)
        worst = max(worst, difference)
    L_nudged = shown_nudged_loss(root)
    assert abs(L_nudged - float(chain_loss(x + dx))) <= TOLERANCE
    assert shown["measured"] == (L_nudged - shown["L"]) / dx  # the forward difference of its own losses
    # Word for word, with the page's own measured slope (the same to the shown digits but in a rare last digit).
    lines = nudger_lines(chain_links(x), shown["measured"], dx)
    assert shown_lines(root) == [html_text(line) for line in lines.values()]
    return worst


def wait_for_numbers(page, root, x, dx):
    """Wait until the page shows this x and this Δx (the kernel's numbers have arrived)."""
    page.wait_for_function("([root, x, dx]) => Number(root.dataset.x) === x && Number(root.dataset.nudge) === dx",
                           arg=[root.element_handle(), x, dx], timeout=20_000)


def python_side(page):
    """What the kernel holds now: {'x', 'nudge', 'measured'}, printed by the notebook's fourth cell."""
    return json.loads(rerun(page, 3))


def key_press_latencies(page, root, name, count):
    """Milliseconds from each ArrowRight on slider `name` to the animation frame after the picture changed."""
    root.locator(f'input[data-name="{name}"]').focus()
    times = []
    for _ in range(count):
        root.evaluate("""(root, name) => {
            window.bpcTiming = {};
            const svg = root.querySelector('svg');
            const input = root.querySelector(`input[data-name="${name}"]`);
            input.addEventListener('keydown', () => { window.bpcTiming.pressed = performance.now(); },
                                   {once: true, capture: true});
            const seen = new MutationObserver(() => {
                seen.disconnect();
                requestAnimationFrame(() => { window.bpcTiming.drawn = performance.now(); });
            });
            seen.observe(svg, {subtree: true, childList: true, characterData: true, attributes: true}); }""", name)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.bpcTiming.drawn !== undefined", timeout=10_000)
        times.append(page.evaluate("() => window.bpcTiming.drawn - window.bpcTiming.pressed"))
    return times


def test_the_page_chain_rule_nudger_computes_what_helpers_computes(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(SELECTOR)
    root = page.locator(SELECTOR).first
    assert root.get_attribute("data-presentation") == "false"

    # The start, word for word as the kernel version writes it: dL/dx = −0.2115, measured −0.1162.
    assert shown_lines(root) == [html_text(line) for line in ChainRuleNudger().lines.values()]
    assert shown_lines(root)[4].endswith("= −0.5379 × 0.1966 × 2.0000 = −0.2115")
    worst = check_numbers(root, 0.5, 0.5)

    # Random x and Δx set from Python: every read-out as helpers computes it.
    for k, (x, dx) in enumerate(trials, start=1):  # the k-th run sets trials[k - 1]
        assert rerun(page, 2) == str(k)
        wait_for_numbers(page, root, x, dx)
        worst = max(worst, check_numbers(root, x, dx))
        slider_x = float(root.locator('input[data-name="x"]').input_value())
        assert slider_x == pytest.approx(x, abs=0.005)  # the slider shows it, to its 0.01
    print(f"\nlargest difference, page against helpers, over {TRIALS + 1} states: {worst:.3g}")

    # Arrow keys: x first, then the nudge; the page redraws at once and Python follows when a move ends.
    rerun(page, 0)  # a fresh nudger at the start
    root = page.locator(SELECTOR).first
    wait_for_numbers(page, root, 0.5, 0.5)
    times = key_press_latencies(page, root, "x", KEY_PRESSES)
    times += key_press_latencies(page, root, "nudge", 3)
    print(f"key press to new picture (next frame), {len(times)} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    x = float(root.locator('input[data-name="x"]').input_value())
    assert x == pytest.approx(0.5 + KEY_PRESSES * 0.01, abs=1e-9)
    dx = 10 ** float(root.locator('input[data-name="nudge"]').input_value())
    assert np.log10(dx) == pytest.approx(np.log10(0.5) + 0.3, abs=0.05)  # three steps of 0.1, from 10^−0.301
    held = settled(lambda: python_side(page), lambda held: held["x"] == x)
    assert held["x"] == x and held["nudge"] == pytest.approx(dx, rel=1e-15)
    assert held["measured"] == measured_slope(held["x"], held["nudge"])
    check_numbers(root, held["x"], held["nudge"])

    # Presentation mode: the larger picture (800 px wide) with the numbers beside it.
    big = page.locator(SELECTOR).nth(1)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "800"
    picture, numbers = big.locator("svg").bounding_box(), big.locator(".bpc-readouts").bounding_box()
    assert numbers["x"] >= picture["x"] + picture["width"] - 1 or numbers["y"] >= picture["y"] + picture["height"] - 1
    sliders = big.locator("input[type=range]")
    assert sliders.nth(0).bounding_box()["y"] < picture["y"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_chain_rule_nudger.png"))

    assert requests_off_localhost(page, lab) == []
