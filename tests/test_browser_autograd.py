"""Notebook 09 in JupyterLab with chromium: run it, then step the backward stepper with real clicks.

Each click must change the outlined node in the picture and the labels beside it to exactly what
`helpers.autograd.backward_steps` says the walk does at that step.
"""

import pytest

from helpers.autograd import backward_steps
from helpers.autograd_examples import EXPRESSIONS
from lab_server import current_tab, open_notebook
from test_browser import SCREENSHOTS, opened_and_run, page, run_all  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

NAME = "09_autograd.ipynb"


def walk(expression):
    """The names of the nodes the stepper visits, in order, for one of its computations."""
    root, _ = EXPRESSIONS[expression]()
    return [step.node.name for step in backward_steps(root) if step.contributions]


def label_text(widget, prefix):
    return widget.locator(".widget-html-content", has_text=prefix).first.inner_text()


def wait_for_position(page, widget, text):
    widget.locator(".widget-html-content", has_text=text).first.wait_for(timeout=20_000)


def click_and_wait_for_new_picture(page, widget, button):
    picture = widget.locator("img").first
    before = picture.get_attribute("src")
    widget.get_by_role("button", name=button).click()
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[picture.element_handle(), before], timeout=20_000)


def test_the_backward_stepper_steps_backs_and_switches_computation_in_jupyterlab(page):  # noqa: F811
    opened_and_run(page, NAME)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]

    step_button = page.get_by_role("button", name="Step")
    step_button.wait_for(state="attached", timeout=60_000)
    step_button.scroll_into_view_if_needed()
    widget = page.locator(".widget-vbox", has=step_button).first
    widget.scroll_into_view_if_needed()
    names = walk("the 2-2-1 example of 04")
    wait_for_position(page, widget, f"step 0 of {len(names)}")
    assert "∂L/∂L = 1" in label_text(widget, "The walk starts")

    for k in range(1, 6):
        click_and_wait_for_new_picture(page, widget, "Step")
        wait_for_position(page, widget, f"step {k} of {len(names)}")
        assert label_text(widget, "has its full gradient").startswith(names[k - 1] + " ")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "09_backward_stepper.png"))

    click_and_wait_for_new_picture(page, widget, "Back")
    wait_for_position(page, widget, f"step 4 of {len(names)}")
    assert label_text(widget, "has its full gradient").startswith(names[3] + " ")

    fork = "a fork: L = 2a · a²"
    picture = widget.locator("img").first
    before = picture.get_attribute("src")
    widget.locator("select").select_option(label=fork)
    fork_names = walk(fork)
    wait_for_position(page, widget, f"step 0 of {len(fork_names)}")
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[picture.element_handle(), before], timeout=20_000)
    for k in range(1, len(fork_names) + 1):
        click_and_wait_for_new_picture(page, widget, "Step")
        wait_for_position(page, widget, f"step {k} of {len(fork_names)}")
    assert "running sum is now 13.5000" in label_text(widget, "a fork:")
    assert widget.get_by_role("button", name="Step").is_disabled()

    click_and_wait_for_new_picture(page, widget, "Reset")
    wait_for_position(page, widget, f"step 0 of {len(fork_names)}")


def test_the_backward_stepper_in_04_walks_the_2_2_1_graph_as_upstream_times_local_in_jupyterlab(page):  # noqa: F811
    name = "04_backprop_by_hand.ipynb"
    # Straight after 04's Run All the page still shows it; stepping changes nothing a later test of 04 reads.
    if not (name in page.ran and current_tab(page) == name):
        open_notebook(page, name)
        run_all(page, name)
    back = page.get_by_role("button", name="Back")  # its icon is part of its name, so not exact
    back.wait_for(state="attached", timeout=60_000)
    widget = page.locator(".widget-vbox", has=back).first
    widget.scroll_into_view_if_needed()
    names = walk("the 2-2-1 example of 04")
    wait_for_position(page, widget, f"step 0 of {len(names)}")
    for k in range(1, len(names) + 1):
        click_and_wait_for_new_picture(page, widget, "Step")
        wait_for_position(page, widget, f"step {k} of {len(names)}")
        assert label_text(widget, "has its full gradient").startswith(names[k - 1] + " ")
        assert "= upstream" in label_text(widget, "downstream")
    # The last node visited passes δ1·x1 = −0.1410 down to w1, as Step 5 of the notebook computes by hand.
    assert "−0.1410" in widget.inner_text()
    assert widget.get_by_role("button", name="Step").is_disabled()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "04_backward_stepper.png"))
