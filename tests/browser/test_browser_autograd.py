"""The backward stepper in JupyterLab with chromium, stepped with real clicks.

Notebooks 04 and 10 show the stepper drawn in the page: run each, then step, go back, switch the
computation and reset. The kernel version (home="kernel", drawn by Python as a PNG) is stepped the
same way in a scratch notebook. After each click, the node outlined in the picture and the labels
beside it must be exactly what `helpers.autograd.backward_steps` says the walk does at that step.
"""

import pytest

from helpers.autograd import backward_steps, topological_order
from helpers.autograd_examples import EXPRESSIONS
from lab_server import current_tab, open_notebook
from test_browser import (SCREENSHOTS, opened_and_run, page, requests_off_localhost,  # noqa: F401 (fixture)
                          run_all, run_scratch)
from test_browser_page_backward_stepper import shown_highlight

pytestmark = pytest.mark.browser

NAME = "10_autograd.ipynb"
WORKED = "the 2-2-1 example of 04"
FORK = "a fork: L = 2a · a²"


def walk(expression):
    """The names of the nodes the stepper visits, in order, for one of its computations."""
    root, _ = EXPRESSIONS[expression]()
    return [step.node.name for step in backward_steps(root) if step.contributions]


# ---- the page version (.bpc-bs), as notebooks 04 and 10 show it ----

def label(root, name):
    """The text of one of the page stepper's labels: 'position', 'node' or 'detail'."""
    return root.locator(f"[data-label='{name}']").inner_text()


def outlined(root, expression):
    """The name of the node outlined in the page stepper's picture (None when none is), after checking
    that the picture shows `expression`."""
    assert root.locator('g[data-computation][display="inline"]').get_attribute("data-computation") == expression
    index, _ = shown_highlight(root)
    if index is None:
        return None
    root_value, _ = EXPRESSIONS[expression]()
    return topological_order(root_value)[index].name


def click_and_wait_for_step(page, root, button, k):
    """Click one of the page stepper's buttons and wait until the page shows step k, with a new picture."""
    before = root.locator("svg").evaluate("(svg) => svg.outerHTML")
    root.get_by_role("button", name=button, exact=True).click()
    page.wait_for_function("([root, k]) => root.dataset.k === k", arg=[root.element_handle(), str(k)],
                           timeout=20_000)
    assert root.locator("svg").evaluate("(svg) => svg.outerHTML") != before, f"{button}: the picture did not change"


def check_step(root, expression, names, k):
    """The page stepper after k steps of `expression`: its position, the node it names and the one it outlines."""
    assert label(root, "position").startswith(f"step {k} of {len(names)}")
    if k:
        assert label(root, "node").startswith(names[k - 1] + " (")
        assert outlined(root, expression) == names[k - 1]
    else:
        assert label(root, "node").startswith("The walk starts at the output: ∂L/∂L = 1")
        assert outlined(root, expression) is None


def test_the_backward_stepper_steps_backs_and_switches_computation_in_jupyterlab(page):  # noqa: F811
    opened_and_run(page, NAME)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]

    root = page.locator(".bpc-bs")
    root.wait_for(timeout=60_000)
    assert root.count() == 1
    root.scroll_into_view_if_needed()
    names = walk(WORKED)
    assert root.get_attribute("data-expression") == WORKED
    check_step(root, WORKED, names, 0)

    for k in range(1, 6):
        click_and_wait_for_step(page, root, "Step", k)
        check_step(root, WORKED, names, k)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "09_backward_stepper.png"))

    click_and_wait_for_step(page, root, "Back", 4)
    check_step(root, WORKED, names, 4)

    root.get_by_role("combobox").select_option(label=FORK)
    fork_names = walk(FORK)
    page.wait_for_function("([root, name]) => root.dataset.expression === name && root.dataset.k === '0'",
                           arg=[root.element_handle(), FORK], timeout=20_000)
    check_step(root, FORK, fork_names, 0)
    for k in range(1, len(fork_names) + 1):
        click_and_wait_for_step(page, root, "Step", k)
        check_step(root, FORK, fork_names, k)
    assert "running sum is now 13.5000" in label(root, "detail")
    assert root.get_by_role("button", name="Step", exact=True).is_disabled()

    click_and_wait_for_step(page, root, "Reset", 0)
    check_step(root, FORK, fork_names, 0)
    assert root.get_by_role("button", name="Back", exact=True).is_disabled()


def test_the_backward_stepper_in_04_walks_the_2_2_1_graph_as_upstream_times_local_in_jupyterlab(page):  # noqa: F811
    name = "04_backprop_by_hand.ipynb"
    # Straight after 04's Run All the page still shows it; stepping changes nothing a later test of 04 reads.
    if not (name in page.ran and current_tab(page) == name):
        open_notebook(page, name)
        run_all(page, name)
    root = page.locator(".bpc-bs")  # 04 also shows the weight explorer, which has a Step button of its own
    root.wait_for(timeout=60_000)
    assert root.count() == 1
    root.scroll_into_view_if_needed()
    names = walk(WORKED)
    check_step(root, WORKED, names, 0)
    for k in range(1, len(names) + 1):
        click_and_wait_for_step(page, root, "Step", k)
        check_step(root, WORKED, names, k)
        assert "the upstream gradient" in label(root, "node")
        lines = root.locator("[data-label='detail'] .bpc-line").all_inner_texts()
        assert lines and all(line.startswith("downstream ") and "= upstream " in line for line in lines), lines
    # The last node visited passes δ1·x1 = −0.1410 down to w1, as Step 5 of the notebook computes by hand.
    w1 = root.locator("[data-label='detail'] .bpc-line").first
    assert w1.inner_text() == "downstream ∂L/∂w1 = upstream ∂L/∂z1 × local ∂z1/∂w1 = (−0.1410) × 1.0000 = −0.1410"
    last = [s for s in backward_steps(EXPRESSIONS[WORKED]()[0]) if s.contributions][-1]
    assert last.contributions[0].parent.name == "w1"
    assert float(w1.locator("[data-name='amount_0']").get_attribute("data-value")) == last.contributions[0].amount
    assert root.get_by_role("button", name="Step", exact=True).is_disabled()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "04_backward_stepper.png"))


# ---- the kernel version (ipywidgets and a PNG), in a scratch notebook ----

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


def test_the_kernel_backward_stepper_steps_backs_switches_and_words_shares_as_upstream_times_local(  # noqa: F811
        page, lab):
    run_scratch(page, lab, "kernel_backward_stepper.ipynb", [
        "from helpers.widgets import backward_stepper\nbackward_stepper(home='kernel')",
        f"backward_stepper({WORKED!r}, wording='upstream', home='kernel')"])
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    assert page.locator(".bpc-bs").count() == 0, "both steppers are the kernel version"

    widget, upstream = (page.locator(".jp-Notebook .jp-CodeCell").nth(i).locator(".widget-vbox").first
                        for i in (0, 1))
    upstream.get_by_role("button", name="Step").wait_for(state="attached", timeout=60_000)
    widget.scroll_into_view_if_needed()
    names = walk(WORKED)
    wait_for_position(page, widget, f"step 0 of {len(names)}")
    assert "∂L/∂L = 1" in label_text(widget, "The walk starts")

    for k in range(1, 6):
        click_and_wait_for_new_picture(page, widget, "Step")
        wait_for_position(page, widget, f"step {k} of {len(names)}")
        assert label_text(widget, "has its full gradient").startswith(names[k - 1] + " ")

    click_and_wait_for_new_picture(page, widget, "Back")
    wait_for_position(page, widget, f"step 4 of {len(names)}")
    assert label_text(widget, "has its full gradient").startswith(names[3] + " ")

    picture = widget.locator("img").first
    before = picture.get_attribute("src")
    widget.locator("select").select_option(label=FORK)
    fork_names = walk(FORK)
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

    upstream.scroll_into_view_if_needed()
    wait_for_position(page, upstream, f"step 0 of {len(names)}")
    for k in range(1, len(names) + 1):
        click_and_wait_for_new_picture(page, upstream, "Step")
        wait_for_position(page, upstream, f"step {k} of {len(names)}")
        assert label_text(upstream, "has its full gradient").startswith(names[k - 1] + " ")
        assert "= upstream" in label_text(upstream, "downstream")
    # The last node visited passes δ1·x1 = −0.1410 down to w1, as Step 5 of notebook 04 computes by hand.
    assert "∂L/∂w1 = upstream ∂L/∂z1 × local ∂z1/∂w1 = (−0.1410) × 1.0000 = −0.1410" \
        in label_text(upstream, "downstream")
    assert upstream.get_by_role("button", name="Step").is_disabled()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kernel_backward_stepper.png"))
    assert requests_off_localhost(page, lab) == []
