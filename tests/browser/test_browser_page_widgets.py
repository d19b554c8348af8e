"""The page widgets in JupyterLab with chromium: the picture and the numbers come from the page's own module.

A scratch notebook shows `weight_explorer(home="page")`. Every number the page shows is compared with
helpers.tiny's, through the exact values each read-out carries in data-value (the text is rounded):
for random weights and η set from Python, after arrow keys on a slider, after Reset and Step. The
page's words must be the kernel version's, word for word, and Python must hold what the page shows
once a move ends. Nothing may leave localhost.
"""

import json
import statistics

import numpy as np
import pytest

from helpers.tiny import EXAMPLE_ETA, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from helpers.widgets.weights import WeightExplorer
from test_browser import SCREENSHOTS, page, python_holds, requests_off_localhost, rerun, run_scratch  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

NAME = "page_weight_explorer.ipynb"
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_weight_explorer.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 6
KEY_PRESSES = 20
TOLERANCE = 1e-12


def random_trials(count, seed=2026):
    """(weights, η) pairs: weights anywhere on the sliders, η a value of the log slider (three digits)."""
    rng = np.random.default_rng(seed)
    return [({name: float(rng.uniform(-3, 3)) for name in WEIGHT_NAMES},
             float(f"{10 ** rng.uniform(-2, np.log10(5)):.3g}")) for _ in range(count)]


def cells(trials):
    return [
        "from helpers.widgets import weight_explorer\nexplorer = weight_explorer(home='page')\nexplorer",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nk = -1",
        # Run All leaves the example in place; each later run sets the next trial.
        "if k >= 0:\n    explorer.weights, explorer.eta = trials[k]\nk += 1\nprint(k)",
        "print(json.dumps({'weights': explorer.weights, 'eta': explorer.eta}))",
        "from helpers import style\nstyle.presentation_mode(True)\nbig = weight_explorer(home='page')\n"
        "style.presentation_mode(False)\nbig",
    ]


def expected(weights, eta):
    """Every number the page shows, from helpers.tiny: ŷ, L, the blames, the moves, ŷ after one step."""
    net = TwoTwoOne(**weights)
    chain = net.chain()
    numbers = {"y_hat": chain.y_hat, "loss": chain.loss, "next_y_hat": net.step(eta).forward()}
    for name, g in chain.gradients.items():
        numbers[f"dL_d{name}"] = g
        numbers[f"move_{name}"] = -eta * g
    return numbers


def shown_numbers(root):
    """{name: exact value} of every read-out in the page widget `root`."""
    return {k: float(v) for k, v in root.evaluate(
        "(root) => Object.fromEntries([...root.querySelectorAll('.bpc-readout [data-value]')]"
        ".map(e => [e.dataset.name, e.dataset.value]))").items()}


def shown_lines(root):
    """The read-outs' text, then the status line if it says anything: what the kernel version's still prints."""
    return root.evaluate("""(root) => {
        const lines = [...root.querySelectorAll('.bpc-readout')].map(e => e.textContent);
        const status = root.querySelector('.bpc-status').textContent;
        return status ? [...lines, status] : lines; }""")


def shown_weights(root):
    return root.evaluate("""(root) => Object.fromEntries([...root.querySelectorAll('input[type=range]')]
        .filter(i => i.dataset.name !== 'eta').map(i => [i.dataset.name, Number(i.value)]))""")


def largest_difference(shown, want):
    assert set(shown) == set(want), f"the page shows {sorted(shown)}, helpers.tiny gives {sorted(want)}"
    return max(abs(shown[k] - want[k]) for k in want)


def wait_for_numbers(page, root, want, eta):
    """Wait until the page shows η and a ŷ near `want` (the kernel's numbers have arrived)."""
    page.wait_for_function(
        """([root, yHat, eta]) => {
            const shown = root.querySelector('[data-name="y_hat"][data-value]');
            return root.dataset.eta === eta && shown && Math.abs(Number(shown.dataset.value) - yHat) < 1e-9; }""",
        arg=[root.element_handle(), want["y_hat"], repr(eta)], timeout=20_000)


def python_side(page):
    """What the kernel holds now: {'weights': ..., 'eta': ...}, printed exactly by the notebook's fourth cell."""
    return json.loads(rerun(page, 3))


def key_press_latencies(page, root, count):
    """Milliseconds from each ArrowRight on slider w1 to the animation frame after the picture changed."""
    slider = root.locator('input[data-name="w1"]')
    slider.focus()
    times = []
    for _ in range(count):
        root.evaluate("""(root) => {
            window.bpcTiming = {};
            const svg = root.querySelector('svg');
            const input = root.querySelector('input[data-name="w1"]');
            input.addEventListener('keydown', () => { window.bpcTiming.pressed = performance.now(); },
                                   {once: true, capture: true});
            const seen = new MutationObserver(() => {
                seen.disconnect();
                requestAnimationFrame(() => { window.bpcTiming.drawn = performance.now(); });
            });
            seen.observe(svg, {subtree: true, childList: true, characterData: true, attributes: true}); }""")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.bpcTiming.drawn !== undefined", timeout=10_000)
        times.append(page.evaluate("() => window.bpcTiming.drawn - window.bpcTiming.pressed"))
    return times


def test_the_page_weight_explorer_computes_what_helpers_computes(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(".bpc-we")
    root = page.locator(".bpc-we").first
    assert root.get_attribute("data-presentation") == "false"

    # The worked example, word for word as the kernel version writes it: 0.70, 0.09 and 0.85 after a step.
    assert shown_lines(root) == WeightExplorer().still_lines()
    start = shown_numbers(root)
    assert [f"{start[k]:.2f}" for k in ("y_hat", "loss", "next_y_hat")] == ["0.70", "0.09", "0.85"]
    worst = largest_difference(start, expected(EXAMPLE_WEIGHTS, EXAMPLE_ETA))

    # Random weights and η set from Python: every read-out as helpers.tiny computes it.
    for k, (weights, eta) in enumerate(trials, start=1):  # the k-th run sets trials[k - 1]
        assert rerun(page, 2) == str(k)
        want = expected(weights, eta)
        wait_for_numbers(page, root, want, eta)
        worst = max(worst, largest_difference(shown_numbers(root), want))
        assert shown_lines(root) == WeightExplorer(weights, eta).still_lines()
        assert shown_weights(root) == pytest.approx(weights, abs=0.005)  # the sliders show them, to their 0.01
    print(f"\nlargest difference, page against helpers.tiny, over {TRIALS + 1} states: {worst:.3g}")
    assert worst <= TOLERANCE

    # Arrow keys on a slider: the page redraws at once, and Python holds the weight the page shows.
    root.get_by_role("button", name="Reset").click()
    times = key_press_latencies(page, root, KEY_PRESSES)
    print(f"key press to new picture (next frame), {KEY_PRESSES} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    moved = {**EXAMPLE_WEIGHTS, "w1": shown_weights(root)["w1"]}
    assert moved["w1"] == pytest.approx(EXAMPLE_WEIGHTS["w1"] + KEY_PRESSES * 0.01, abs=1e-9)
    python_holds(lambda: python_side(page), {"weights": moved, "eta": EXAMPLE_ETA})
    assert largest_difference(shown_numbers(root), expected(moved, EXAMPLE_ETA)) <= TOLERANCE

    # Reset, then Step in the page: ŷ 0.8501 and L 0.0225, and Python's weights are helpers.tiny's step.
    root.get_by_role("button", name="Reset").click()
    root.get_by_role("button", name="Step").click()
    lines = shown_lines(root)
    assert lines[0] == "prediction ŷ = 0.8501 (target y = 1)"
    assert lines[1] == "loss L = (ŷ − y)² = 0.0225"
    stepped = TwoTwoOne().step(EXAMPLE_ETA).weights
    python_holds(lambda: python_side(page), {"weights": stepped, "eta": EXAMPLE_ETA})
    assert largest_difference(shown_numbers(root), expected(stepped, EXAMPLE_ETA)) <= TOLERANCE

    # The buttons answer the keyboard too: Tab from the η slider past Step to Reset, then Space.
    root.locator('input[data-name="eta"]').focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Reset"
    page.keyboard.press("Space")
    assert shown_lines(root) == WeightExplorer().still_lines()
    python_holds(lambda: python_side(page), {"weights": EXAMPLE_WEIGHTS, "eta": EXAMPLE_ETA})

    # Presentation mode: the larger picture (800 px wide), the sliders in two rows laid out as the
    # picture is (w1 above w2, w3 above w4 to their right, η above Step), and the numbers beside the picture.
    big = page.locator(".bpc-we").nth(1)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "800"
    box = {n: big.locator(f'input[type=range][data-name="{n}"]').bounding_box() for n in (*WEIGHT_NAMES, "eta")}
    assert abs(box["w1"]["x"] - box["w2"]["x"]) < 1 and box["w2"]["y"] > box["w1"]["y"], "w1 above w2"
    assert abs(box["w1"]["y"] - box["w3"]["y"]) < 1 and box["w3"]["x"] > box["w1"]["x"] + box["w1"]["width"], "w3 right of w1"
    assert abs(box["w2"]["y"] - box["w4"]["y"]) < 1 and abs(box["w3"]["x"] - box["w4"]["x"]) < 1, "w3 above w4"
    step = big.get_by_role("button", name="Step").bounding_box()
    assert abs(step["y"] + step["height"] / 2 - box["w2"]["y"] - box["w2"]["height"] / 2) < 1 and step["y"] > box["eta"]["y"]
    picture = big.locator("svg").bounding_box()
    assert step["y"] < picture["y"]
    numbers = big.locator(".bpc-readouts").bounding_box()
    assert numbers["x"] >= picture["x"] + picture["width"] - 1 or numbers["y"] >= picture["y"] + picture["height"] - 1
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_weight_explorer.png"))

    assert requests_off_localhost(page, lab) == []
