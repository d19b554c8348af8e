"""The loss explorer drawn in the page, in JupyterLab with chromium: the picture and the numbers come from
the page's own module (js/loss_explorer.js).

A scratch notebook shows `loss_explorer(home="page")`. Every number the page shows is compared with
helpers.losses', through the exact values each read-out carries in data-value (the text is rounded):
for random predictions and targets set from Python, and after arrow keys on the sliders. The page's
words must be the kernel version's, word for word, and Python must hold what the page shows once a
move ends. Nothing may leave localhost.
"""

import json
import re
import statistics

import pytest

from helpers import losses
from helpers.widgets._base import _plain
from helpers.widgets.loss import LOSS_NAMES, Y_HAT_RANGE, Y_RANGE, LossExplorer
from test_browser import SCREENSHOTS, page, python_holds, requests_off_localhost, rerun, run_scratch  # noqa: F401 (fixture)
from test_browser_page_widgets import largest_difference, shown_numbers

pytestmark = pytest.mark.browser

NAME = "page_loss_explorer.ipynb"
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_loss_explorer.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 6
KEY_PRESSES = 20
TOLERANCE = 1e-12


def random_trials(count, seed=2026):
    """(ŷ, y) pairs anywhere on the sliders, not only on their grid of steps."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [(float(rng.uniform(*Y_HAT_RANGE)), float(rng.uniform(*Y_RANGE))) for _ in range(count)]


def cells(trials):
    return [
        "from helpers.widgets import loss_explorer\nexplorer = loss_explorer(home='page')\nexplorer",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nk = -1",
        # Run All leaves the worked example in place; each later run sets the next trial.
        "if k >= 0:\n    explorer.y_hat, explorer.y = trials[k]\nk += 1\nprint(k)",
        "explorer.y_hat, explorer.y = 0.7, 1.0\nprint('back at the worked example')",
        "print(json.dumps({'y_hat': explorer.y_hat, 'y': explorer.y}))",
        "from helpers import style\nstyle.presentation_mode(True)\nbig = loss_explorer(home='page')\n"
        "style.presentation_mode(False)\nbig",
    ]


def expected(y_hat, y):
    """Every number the page shows, from helpers.losses: ŷ, y, ŷ − y, each loss and slope, and
    cross-entropy's lowest value for a target between 0 and 1."""
    numbers = {"y_hat": y_hat, "y": y, "gap": y_hat - y}
    if 0 < y < 1:
        numbers["floor"] = losses.binary_cross_entropy(y, y)
    for name in LOSS_NAMES:
        loss = losses.get_loss(name)
        numbers[f"value_{name}"] = float(loss.value(y_hat, y))
        numbers[f"slope_{name}"] = float(loss.gradient(y_hat, y))
    return numbers


def kernel_words(y_hat, y):
    """The kernel LossExplorer's words for (ŷ, y): its gap line, then its table's rows of cells."""
    kernel = LossExplorer(y_hat=y_hat, y=y)
    rows = [[_plain(cell) for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", kernel.table_label.value)]
    return [_plain(kernel.gap_label.value), rows]


def kernel_figure_words():
    """Every text the kernel LossExplorer's figure draws."""
    ax = LossExplorer().ax
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    ticks = [label.get_text() for axis, low, high in ((ax.xaxis, left, right), (ax.yaxis, bottom, top))
             for tick, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels()) if low <= tick <= high]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    return [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *ticks, *legend]


def shown_words(root):
    """The page's words: the gap line's text, then the table's rows of cells."""
    return root.evaluate("""(root) => [root.querySelector('.bpc-readout[data-name="gap"]').textContent,
        [...root.querySelectorAll('table.bpc-readout tr')].map(tr => [...tr.children].map(c => c.textContent))]""")


def shown_sliders(root):
    return root.evaluate("""(root) => Object.fromEntries([...root.querySelectorAll('input[type=range]')]
        .map(i => [i.dataset.name, i.value]))""")


def wait_for_numbers(page, root, y_hat, y):
    """Wait until the page computes with this ŷ and y (the kernel's numbers have arrived)."""
    page.wait_for_function(
        "([root, yHat, y]) => Number(root.dataset.yHat) === yHat && Number(root.dataset.y) === y",
        arg=[root.element_handle(), y_hat, y], timeout=20_000)


def python_side(page):
    """What the kernel holds now: {'y_hat': ..., 'y': ...}, printed exactly by the notebook's fifth cell."""
    return json.loads(rerun(page, 4))


def key_press_latencies(page, root, slider_name, key, count):
    """Milliseconds from each press of `key` on slider `slider_name` to the animation frame after the
    picture changed."""
    root.locator(f'input[data-name="{slider_name}"]').focus()
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
            seen.observe(svg, {subtree: true, childList: true, characterData: true, attributes: true}); }""",
                      slider_name)
        page.keyboard.press(key)
        page.wait_for_function("() => window.bpcTiming.drawn !== undefined", timeout=10_000)
        times.append(page.evaluate("() => window.bpcTiming.drawn - window.bpcTiming.pressed"))
    return times


def test_the_page_loss_explorer_computes_what_helpers_computes(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(".bpc-le")
    root = page.locator(".bpc-le").first
    assert root.get_attribute("data-presentation") == "false"

    # The worked example, word for word as the kernel version writes it: 0.0900, 0.0450 and 0.3567.
    assert shown_words(root) == kernel_words(0.7, 1.0)
    values = [row[2] for row in shown_words(root)[1][1:]]
    assert values == ["0.0900", "0.0450", "0.3567"]
    assert shown_words(root)[0] == "ŷ = 0.70, y = 1.00: ŷ − y = −0.30 (ŷ is 0.30 below the target)"
    worst = largest_difference(shown_numbers(root), expected(0.7, 1.0))
    # The picture's words are the kernel figure's: title, axis labels, the ticks it draws, the legend.
    assert sorted(root.locator("svg text").all_text_contents()) == sorted(kernel_figure_words())

    # Random predictions and targets set from Python: every read-out as helpers.losses computes it.
    for k, (y_hat, y) in enumerate(trials, start=1):  # the k-th run sets trials[k - 1]
        assert rerun(page, 2) == str(k)
        wait_for_numbers(page, root, y_hat, y)
        worst = max(worst, largest_difference(shown_numbers(root), expected(y_hat, y)))
        assert shown_words(root) == kernel_words(y_hat, y)
        sliders = shown_sliders(root)
        assert float(sliders["y_hat"]) == pytest.approx(y_hat, abs=0.005)  # the sliders show them, to their step
        assert float(sliders["y"]) == pytest.approx(y, abs=0.025)
    print(f"\nlargest difference, page against helpers.losses, over {TRIALS + 1} states: {worst:.3g}")
    assert worst <= TOLERANCE

    # Arrow keys on the sliders: the page redraws at once, and Python holds the values the page shows.
    assert rerun(page, 3) == "back at the worked example"
    wait_for_numbers(page, root, 0.7, 1.0)
    times = key_press_latencies(page, root, "y_hat", "ArrowRight", KEY_PRESSES)
    times += key_press_latencies(page, root, "y", "ArrowLeft", 4)
    print(f"key press to new picture (next frame), {len(times)} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    sliders = shown_sliders(root)
    assert sliders == {"y_hat": "0.9", "y": "0.8"}  # 0.7 + 20 steps of 0.01; 1 − 4 steps of 0.05
    python_holds(lambda: python_side(page), {"y_hat": 0.9, "y": 0.8})
    assert largest_difference(shown_numbers(root), expected(0.9, 0.8)) <= TOLERANCE
    assert shown_words(root) == kernel_words(0.9, 0.8)

    # A drag of the prediction: the page follows the pointer, and Python gets where the drag ended.
    root.locator('input[data-name="y_hat"]').scroll_into_view_if_needed()
    track = root.locator('input[data-name="y_hat"]').bounding_box()
    middle = track["y"] + track["height"] / 2
    page.mouse.move(track["x"] + track["width"] * 0.9, middle)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.5, middle, steps=5)
    during = float(shown_sliders(root)["y_hat"])
    assert during < 0.7 and float(root.get_attribute("data-y-hat")) == during  # drawn while dragging
    page.mouse.move(track["x"] + track["width"] * 0.2, middle, steps=5)
    page.mouse.up()
    dropped = float(shown_sliders(root)["y_hat"])
    assert dropped < during
    python_holds(lambda: python_side(page), {"y_hat": dropped, "y": 0.8})
    assert largest_difference(shown_numbers(root), expected(dropped, 0.8)) <= TOLERANCE

    # Presentation mode: the larger picture (1150 px wide), the larger controls, all of it on a projector.
    big = page.locator(".bpc-le").nth(1)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "1150"
    pair = big.locator("input[type=range]")
    left, right = pair.nth(0).bounding_box(), pair.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 1 and right["x"] > left["x"] + left["width"], "ŷ and y side by side"
    assert big.locator(".bpc-slider").first.bounding_box()["height"] == 40
    assert big.locator("table").evaluate("(t) => getComputedStyle(t).fontSize") == "20px"
    page.set_viewport_size({"width": 1280, "height": 720})
    whole = big.bounding_box()
    print(f"presentation mode at 1280x720: the widget is {whole['width']:.0f} x {whole['height']:.0f} px")
    assert whole["height"] <= 720, "sliders, words, table and picture together on a 1280x720 projector"
    page.set_viewport_size({"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(exist_ok=True)
    root.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "page_loss_explorer.png"))

    assert requests_off_localhost(page, lab) == []
