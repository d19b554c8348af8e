"""The page neuron explorer in JupyterLab with chromium: the picture and the numbers come from the page's module.

A scratch notebook shows `neuron_explorer(home="page")`. Every number the page shows is compared with
helpers' neuron_numbers through the exact values each read-out carries in data-value (the text is
rounded): for random x, w, b and activations set from Python, after arrow keys on a slider and on
the activation's dropdown. The page's words must be the kernel version's, word for word, and Python
must hold what the page shows once a move ends. Nothing may leave localhost.
"""

import json
import statistics

import numpy as np
import pytest

from helpers.widgets._base import _plain
from helpers.widgets.neuron import NeuronExplorer, neuron_numbers
from test_browser import SCREENSHOTS, page, python_holds, requests_off_localhost, rerun, run_scratch  # noqa: F401 (fixture)
from test_browser_page_widgets import largest_difference, shown_numbers

pytestmark = pytest.mark.browser

NAME = "page_neuron_explorer.ipynb"
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_neuron_explorer.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 8
KEY_PRESSES = 20
TOLERANCE = 1e-12
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


def random_trials(count, seed=2026):
    """(x, w, b, activation): anywhere on the sliders, each activation in turn."""
    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(-2, 2)), float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)), ACTIVATIONS[k % 4])
            for k in range(count)]


def cells(trials):
    return [
        "from helpers.widgets import neuron_explorer\nexplorer = neuron_explorer(home='page')\nexplorer",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nk = -1",
        # Run All leaves the first hidden neuron in place; each later run sets the next trial.
        "if k >= 0:\n    with explorer.hold_sync():\n"
        "        explorer.x, explorer.w, explorer.b, explorer.activation = trials[k]\nk += 1\nprint(k)",
        "print(json.dumps([explorer.x, explorer.w, explorer.b, explorer.activation]))",
        "from helpers import style\nstyle.presentation_mode(True)\nbig = neuron_explorer(home='page')\n"
        "style.presentation_mode(False)\nbig",
        "with explorer.hold_sync():\n"
        "    explorer.x, explorer.w, explorer.b, explorer.activation = 1.0, -0.5, 0.0, 'sigmoid'\nprint('back')",
    ]


def expected(x, w, b, activation):
    """Every number the page shows, from helpers: z, a and the slope da/dz."""
    n = neuron_numbers(x, w, b, activation)
    return {"z": n["z"], "a": n["a"], "slope": n["slope"]}


def kernel_lines(x, w, b, activation):
    """The kernel version's three read-outs, as text."""
    kernel = NeuronExplorer(x, w, b, activation)
    lines = [_plain(label.value) for label in (kernel.z_label, kernel.a_label, kernel.slope_label)]
    kernel.close()
    return lines


def shown_lines(root):
    return root.evaluate("(root) => [...root.querySelectorAll('.bpc-readout')].map(e => e.textContent)")


def wait_for_state(page, root, x, w, b, activation):
    """Wait until the page shows these values (the kernel's numbers have arrived)."""
    page.wait_for_function(
        """([root, x, w, b, act]) => Number(root.dataset.x) === x && Number(root.dataset.w) === w
            && Number(root.dataset.b) === b && root.dataset.activation === act""",
        arg=[root.element_handle(), x, w, b, activation], timeout=20_000)


def python_side(page):
    """What the kernel holds now: [x, w, b, activation], printed exactly by the notebook's fourth cell."""
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


def test_the_page_neuron_explorer_computes_what_helpers_computes(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(".bpc-ne")
    root = page.locator(".bpc-ne").first
    assert root.get_attribute("data-presentation") == "false"

    # The first hidden neuron, word for word as the kernel version writes it: z −0.5000, a 0.3775, slope 0.2350.
    assert shown_lines(root) == kernel_lines(1.0, -0.5, 0.0, "sigmoid") == [
        "z = w·x + b = (−0.50)·(1.00) + (0.00) = −0.5000", "a = sigmoid(z) = 0.3775",
        "slope da/dz = sigmoid′(z) = 0.2350"]
    worst = largest_difference(shown_numbers(root), expected(1.0, -0.5, 0.0, "sigmoid"))

    # Random values set from Python: every read-out as helpers computes it, in the kernel version's words.
    for k, trial in enumerate(trials, start=1):  # the k-th run sets trials[k - 1]
        assert rerun(page, 2) == str(k)
        wait_for_state(page, root, *trial)
        worst = max(worst, largest_difference(shown_numbers(root), expected(*trial)))
        assert shown_lines(root) == kernel_lines(*trial)
        assert root.locator("select").input_value() == trial[3]
    print(f"\nlargest difference, page against helpers, over {TRIALS + 1} states: {worst:.3g}")
    assert worst <= TOLERANCE

    # Back to the first hidden neuron from Python, then arrow keys on w: the page redraws at once, and
    # Python holds the weight the page shows (−0.5 and twenty steps of 0.05: 0.5).
    assert rerun(page, 5) == "back"
    wait_for_state(page, root, 1.0, -0.5, 0.0, "sigmoid")
    times = key_press_latencies(page, root, "w", KEY_PRESSES)
    print(f"key press to new picture (next frame), {KEY_PRESSES} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    x, moved, b = 1.0, float(root.get_attribute("data-w")), 0.0
    assert moved == pytest.approx(-0.5 + KEY_PRESSES * 0.05, abs=1e-9)
    assert float(root.locator('input[data-name="w"]').input_value()) == moved
    python_holds(lambda: python_side(page), [x, moved, b, "sigmoid"])
    assert largest_difference(shown_numbers(root), expected(x, moved, b, "sigmoid")) <= TOLERANCE
    assert shown_lines(root) == kernel_lines(x, moved, b, "sigmoid")

    # The dropdown answers the keyboard: ArrowDown picks the next activation, and Python follows.
    select = root.locator("select")
    select.focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert select.input_value() == "tanh"
    python_holds(lambda: python_side(page), [x, moved, b, "tanh"])
    assert largest_difference(shown_numbers(root), expected(x, moved, b, "tanh")) <= TOLERANCE
    assert root.locator("svg text", has_text="tanh(z)").count() >= 1

    # Presentation mode: the larger picture (800 px wide) and the larger controls.
    big = page.locator(".bpc-ne").nth(1)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "800"
    assert big.locator("select").evaluate("(s) => getComputedStyle(s).fontSize") == "20px"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_neuron_explorer.png"))

    assert requests_off_localhost(page, lab) == []
