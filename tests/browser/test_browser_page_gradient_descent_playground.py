"""The page gradient-descent playground in JupyterLab with chromium: the run and the picture come from the page's module.

A scratch notebook shows `gradient_descent_playground(home="page")`. Every number the page shows, and
every point of its path and curves, is compared with helpers.training's run through the exact values
the page carries in data-value (the text is rounded): for random settings made from Python and after
arrow keys on a slider. The page's words must be the kernel version's, word for word, and Python must
hold what the page shows once a move ends. Nothing may leave localhost.
"""

import json
import statistics

import numpy as np
import pytest

from helpers.widgets._base import _plain
from helpers.widgets.gradient_descent import GradientDescentPlayground, descend_output_weights, verdict
from test_browser import SCREENSHOTS, page, python_holds, requests_off_localhost, rerun, run_scratch  # noqa: F401 (fixture)
from test_browser_page_widgets import TOLERANCE, python_side

pytestmark = pytest.mark.browser

NAME = "page_gradient_descent_playground.ipynb"
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_gradient_descent_playground.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 8
KEY_PRESSES = 20
START = {"w3": -1.5, "w4": -1.5}


def random_trials(count, seed=2026):
    """(η, steps, start): η a value of the log slider (three digits), the start on the sliders' 0.05 grid,
    and the extremes: the lowest η, the highest (the run blows up), one step, the corners of the map."""
    rng = np.random.default_rng(seed)
    trials = [(float(f"{10 ** rng.uniform(-2, 1):.3g}"), int(rng.integers(1, 201)),
               {"w3": round(int(rng.integers(-40, 81)) * 0.05, 2), "w4": round(int(rng.integers(-40, 81)) * 0.05, 2)})
              for _ in range(count - 4)]
    return trials + [(0.01, 200, {"w3": 4.0, "w4": -2.0}), (10.0, 200, {"w3": 4.0, "w4": 4.0}),
                     (2.4, 200, START), (1.0, 1, {"w3": -2.0, "w4": -2.0})]


def cells(trials):
    return [
        "from helpers.widgets import gradient_descent_playground\n"
        "playground = gradient_descent_playground(home='page')\nplayground",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nk = -1",
        # Run All leaves the default in place; each later run sets the next trial.
        "if k >= 0:\n    playground.eta, playground.steps, playground.start = trials[k]\nk += 1\nprint(k)",
        "print(json.dumps({'eta': playground.eta, 'steps': playground.steps, 'start': playground.start}))",
        "playground.eta, playground.steps, playground.start = 0.3, 30, {'w3': -1.5, 'w4': -1.5}\nprint('default')",
        "from helpers import style\nstyle.presentation_mode(True)\n"
        "big = gradient_descent_playground(home='page')\nstyle.presentation_mode(False)\nbig",
    ]


def expected(eta, steps, start):
    """Every number the page shows and draws, from helpers.training: the read-outs and each step of the path."""
    path = descend_output_weights(start["w3"], start["w4"], eta, steps)
    final = (float("nan"), float("nan")) if path.diverged else (path.loss[-1], path.y_hat[-1])
    return {"final_loss": final[0], "start_loss": path.loss[0], "final_y_hat": final[1], "ran": len(path.loss) - 1,
            "path_w3": path.weights[:, 2].tolist(), "path_w4": path.weights[:, 3].tolist(),
            "loss_curve": path.loss.tolist(), "y_hat_curve": path.y_hat.tolist(), "verdict": verdict(path)}


def shown(root):
    """What the page shows: each read-out's exact value, and each point of the path and the curves."""
    return root.evaluate("""(root) => {
        const out = Object.fromEntries([...root.querySelectorAll('.bpc-readout [data-value]')]
            .map(e => [e.dataset.name, e.dataset.value]));
        const line = (name) => root.querySelector(`[data-name="${name}"]`);
        out.path_w3 = line('path').dataset.w3.split(' ');
        out.path_w4 = line('path').dataset.w4.split(' ');
        out.loss_curve = line('loss_curve').dataset.values.split(' ');
        out.y_hat_curve = line('y_hat_curve').dataset.values.split(' ');
        return out; }""")


def largest_difference(page_numbers, want):
    """The largest |page − helpers| over every number; NaN must meet NaN; the verdict must be the same words."""
    assert set(page_numbers) == set(want), f"the page shows {sorted(page_numbers)}, helpers gives {sorted(want)}"
    assert page_numbers["verdict"] == want["verdict"]
    worst = 0.0
    for name, value in want.items():
        if name == "verdict":
            continue
        mine, theirs = np.array(page_numbers[name], dtype=float), np.array(value, dtype=float)
        assert mine.shape == theirs.shape, name
        assert np.array_equal(np.isnan(mine), np.isnan(theirs)), name
        finite = ~np.isnan(theirs)
        if finite.any():
            worst = max(worst, float(np.max(np.abs(mine[finite] - theirs[finite]))))
    return worst


def shown_lines(root):
    return root.evaluate("(root) => [...root.querySelectorAll('.bpc-readout')].map(e => e.textContent)")


def kernel_lines(eta, steps, start):
    """The kernel version's three labels, as text: verdict, final loss, final ŷ."""
    kernel = GradientDescentPlayground(eta=eta, steps=steps, start=start)
    return [_plain(label.value) for label in (kernel.verdict_label, kernel.final_loss_label, kernel.final_y_hat_label)]


def wait_for_settings(page, root, eta, steps, start_loss):
    page.wait_for_function(
        """([root, eta, steps, startLoss]) => {
            const shown = root.querySelector('[data-name="start_loss"][data-value]');
            return Number(root.dataset.eta) === eta && root.dataset.steps === steps && shown
                   && Number(shown.dataset.value) === startLoss; }""",
        arg=[root.element_handle(), eta, str(steps), start_loss], timeout=20_000)


def key_press_latencies(page, root, count, name="w3"):
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


def test_the_page_gradient_descent_playground_runs_what_helpers_runs(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(".bpc-gd")
    root = page.locator(".bpc-gd").first
    assert root.get_attribute("data-presentation") == "false"

    # The default run, word for word as the kernel version writes it.
    assert shown_lines(root) == kernel_lines(0.3, 30, START) == [
        "verdict: converging", "final loss L = 8.83e\N{MINUS SIGN}08 (start 5.6285)", "final ŷ = 0.9997 (target y = 1)"]
    worst = largest_difference(shown(root), expected(0.3, 30, START))

    # Random settings from Python: every read-out and every point as helpers.training computes them.
    for k, (eta, steps, start) in enumerate(trials, start=1):
        assert rerun(page, 2) == str(k)
        want = expected(eta, steps, start)
        wait_for_settings(page, root, eta, steps, want["start_loss"])
        worst = max(worst, largest_difference(shown(root), want))
        assert shown_lines(root) == kernel_lines(eta, steps, start), (eta, steps, start)
    print(f"\nlargest difference, page against helpers.training, over {TRIALS + 1} runs: {worst:.3g}")
    assert worst <= TOLERANCE

    # Back to the default from Python, then arrow keys on start w3: the page redraws at once, and
    # Python holds the start the page shows.
    assert rerun(page, 4) == "default"
    wait_for_settings(page, root, 0.3, 30, expected(0.3, 30, START)["start_loss"])
    times = key_press_latencies(page, root, KEY_PRESSES)
    print(f"key press to new picture (next frame), {KEY_PRESSES} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    moved = {"w3": round(-1.5 + KEY_PRESSES * 0.05, 10), "w4": -1.5}
    python_holds(lambda: python_side(page), {"eta": 0.3, "steps": 30, "start": pytest.approx(moved, abs=1e-12)})
    held = python_side(page)["start"]
    assert largest_difference(shown(root), expected(0.3, 30, held)) <= TOLERANCE
    assert shown_lines(root) == kernel_lines(0.3, 30, held)

    # The steps slider answers the keyboard too: End takes it to 200.
    root.locator('input[data-name="steps"]').focus()
    page.keyboard.press("End")
    assert root.get_attribute("data-steps") == "200"
    python_holds(lambda: python_side(page)["steps"], 200)

    # Presentation mode: the larger picture (1250 px wide), the large controls.
    big = page.locator(".bpc-gd").nth(1)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "1250"
    assert big.locator("label").first.evaluate("(e) => getComputedStyle(e).fontSize") == "20px"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_gradient_descent_playground.png"))

    assert requests_off_localhost(page, lab) == []
