"""Wide-range sliders under the keyboard, in JupyterLab with chromium: across the whole range in about 50 presses.

Notebook 05 asks the learner to slide the playground's η from 0.01 up to 10. On the page's slider
each arrow key steps η through round values (0.01, 0.012, 0.015, 0.018, 0.02, ... 9, 10), so the walk
takes 45 presses, not the 3,000 of the slider's fine step; the steps slider walks 1 to 200 in 30.
Every value the slider shows is one of those round values, and Python holds exactly what it shows.
"""

import json

import pytest

from helpers.widgets._base import short
from helpers.widgets.gradient_descent import ETA_KEYS, ETA_PAGE_KEYS, STEPS_KEYS
from test_browser import page, python_holds, rerun, run_scratch  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

NAME = "slider_keys.ipynb"
MOST_PRESSES = 60
"""The goal: a wide-range slider crosses its range in about 50 presses."""


def cells():
    return [
        # As notebook 05 builds it, kept in a name so a later cell can read what Python holds.
        "from helpers.widgets import gradient_descent_playground\nplayground = gradient_descent_playground()\nplayground",
        "import json\nprint(json.dumps({'eta': playground.eta, 'steps': playground.steps}))",
    ]


def python_side(page):
    return json.loads(rerun(page, 1))


def shown(root, name):
    """The value the slider `name` shows beside it, as text."""
    return root.locator(f'input[data-name="{name}"] ~ output').inner_text()


def press(page, root, name, key):
    """Press `key` on slider `name` (focused first: reading Python's values runs a cell, which takes the focus)."""
    root.locator(f'input[data-name="{name}"]').focus()
    page.keyboard.press(key)
    return shown(root, name)


def walk(page, root, name, key, stop, most=200):
    """Press `key` on slider `name` until it shows `stop`; the values shown after each press."""
    root.locator(f'input[data-name="{name}"]').focus()
    seen = []
    while shown(root, name) != stop and len(seen) < most:
        page.keyboard.press(key)
        seen.append(shown(root, name))
    return seen


def test_arrow_keys_walk_eta_from_001_to_10_through_round_values_and_python_holds_each_end(page, lab):
    run_scratch(page, lab, NAME, cells())
    root = page.locator(".bpc-gd").first
    root.wait_for()
    assert shown(root, "eta") == "0.3"

    # Home: the lowest η, and Python holds it.
    assert press(page, root, "eta", "Home") == "0.01"
    python_holds(lambda: python_side(page)["eta"], 0.01)

    # ArrowRight from 0.01 until 10: count the presses, and every value shown is the next round one.
    seen = walk(page, root, "eta", "ArrowRight", "10")
    print(f"\nη from 0.01 to 10: {len(seen)} presses of ArrowRight; shown: {' '.join(seen)}")
    assert seen[-1] == "10" and len(seen) <= MOST_PRESSES
    assert seen == [short(v) for v in ETA_KEYS[1:]]
    assert 40 <= len(seen) <= MOST_PRESSES
    # The page carries the exact η it runs with, and Python holds exactly the value shown.
    assert float(root.get_attribute("data-eta")) == 10.0
    assert float(seen[-1]) == 10.0
    python_holds(lambda: python_side(page)["eta"], 10.0)

    # One more press stays at the end; ArrowLeft steps back down the same values.
    assert press(page, root, "eta", "ArrowRight") == "10"
    back = walk(page, root, "eta", "ArrowLeft", "0.5")
    assert back == [short(v) for v in reversed(ETA_KEYS[ETA_KEYS.index(0.5):-1])]
    python_holds(lambda: python_side(page)["eta"], 0.5)

    # Page Up and Page Down jump through 1, 2, 5 in each decade.
    assert press(page, root, "eta", "PageUp") == "1"
    assert press(page, root, "eta", "PageUp") == "2"
    assert press(page, root, "eta", "PageDown") == "1"
    assert [short(v) for v in ETA_PAGE_KEYS] == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"]

    # A drag still reaches any three-digit η (here 1.16, where ŷ first jumps past y), and the next
    # press goes on to the next round value above it.
    root.evaluate("""(root) => {
        const input = root.querySelector('input[data-name="eta"]');
        input.value = String(Math.log10(1.16));
        input.dispatchEvent(new Event('input', {bubbles: true}));
        input.dispatchEvent(new Event('change', {bubbles: true})); }""")
    assert shown(root, "eta") == "1.16"
    python_holds(lambda: python_side(page)["eta"], 1.16)
    assert press(page, root, "eta", "ArrowRight") == "1.2"
    python_holds(lambda: python_side(page)["eta"], 1.2)
    assert root.locator('input[data-name="eta"]').get_attribute("aria-valuetext") == "1.2"


def test_arrow_keys_walk_the_steps_from_1_to_200_in_30_presses(page, lab):
    run_scratch(page, lab, NAME, cells())
    root = page.locator(".bpc-gd").first
    root.wait_for()
    assert press(page, root, "steps", "Home") == "1"
    seen = walk(page, root, "steps", "ArrowRight", "200")
    print(f"\nsteps from 1 to 200: {len(seen)} presses of ArrowRight; shown: {' '.join(seen)}")
    assert seen == [str(v) for v in STEPS_KEYS[1:]]
    assert len(seen) <= MOST_PRESSES
    python_holds(lambda: python_side(page)["steps"], 200)
    assert press(page, root, "steps", "PageDown") == "100"
    python_holds(lambda: python_side(page)["steps"], 100)
