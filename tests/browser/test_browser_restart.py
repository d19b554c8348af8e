"""After Restart Kernel, every widget on the page says in place that it no longer answers.

A scratch notebook shows a page widget (the weight explorer as the notebooks show it), a kernel
version (the weight explorer drawn by Python) and a heavy kernel widget (the depth explorer). While
the kernel is there, no notice shows. After Kernel → Restart Kernel, each widget shows
helpers.widgets.notice.KERNEL_GONE above its dimmed controls; running the cell again brings a
working widget back, with no notice.
"""

import re

import pytest

from helpers.widgets.notice import KERNEL_GONE, NOTICE_CLASS
from lab_server import POLL_MS, wait_idle
from test_browser import page, run_scratch  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

CELLS = [
    "from helpers.widgets import depth_explorer, weight_explorer\nweight_explorer()",
    "weight_explorer(home='kernel')",
    "depth_explorer()",
]


def notices(page):
    """(is it shown, its text) for each widget's notice, in page order."""
    return page.evaluate(f"""() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .{NOTICE_CLASS}')]
        .map(n => [n.getBoundingClientRect().height > 0 && getComputedStyle(n).display !== 'none', n.textContent])""")


def restart_kernel(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Kernel$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Restart Kernel…?$")).first.click()
    button = page.locator(".jp-Dialog button", has_text=re.compile("^Restart$"))
    button.wait_for(state="visible")
    button.click()
    wait_idle(page)


def test_every_widget_says_run_this_cell_again_after_a_restart_and_the_cell_brings_it_back(page, lab):
    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "restart.ipynb", CELLS)
    page.wait_for_function(f"(n) => document.querySelectorAll('.{NOTICE_CLASS}').length >= n", arg=len(CELLS),
                           polling=POLL_MS)
    before = notices(page)
    assert len(before) == len(CELLS) and not any(shown for shown, _ in before), before

    restart_kernel(page)
    page.wait_for_function(f"""(n) => [...document.querySelectorAll('.{NOTICE_CLASS}')]
        .filter(e => getComputedStyle(e).display !== 'none').length >= n""", arg=len(CELLS), timeout=30_000,
        polling=POLL_MS)
    after = notices(page)
    assert after == [[True, KERNEL_GONE]] * len(CELLS), after
    # the page widget's controls are dimmed and take no clicks
    slider = page.locator('[data-widget="weight_explorer"] input[data-name="w1"]').first
    assert slider.evaluate("(i) => getComputedStyle(i.closest('[data-widget] > *:not(.bpc-gone)')).pointerEvents") \
        == "none"

    # Run the first cell again (the imports and the page widget): its prompt may read [1] again, so the
    # new widget, with its notice hidden, is what shows it ran.
    page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(f"""() => {{
        const first = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
        const n = first && first.querySelector('.{NOTICE_CLASS}');
        return n && getComputedStyle(n).display === 'none'; }}""", timeout=30_000, polling=POLL_MS)
    assert notices(page)[0][0] is False
