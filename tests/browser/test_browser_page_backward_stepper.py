"""The backward stepper drawn in the page, in JupyterLab with chromium: the page's own module replays the walk.

A scratch notebook shows `backward_stepper(home="page")`. For random computations and steps set from
Python, after arrow keys on the picture, after the buttons and the dropdown, every label must be the
kernel version's HTML, word for word, every gradient text in the picture the kernel version's text,
and every number the page carries in data-value the one helpers.autograd.backward_steps computes.
Python must hold the computation and the step the page shows once a press ends. Nothing may leave
localhost.
"""

import statistics

import numpy as np
import pytest

from helpers.autograd import backward_steps, topological_order
from helpers.autograd_examples import EXPRESSIONS
from helpers.widgets.stepper import BackwardStepper
from test_browser import SCREENSHOTS, page, python_holds, requests_off_localhost, rerun, run_scratch  # noqa: F401 (fixture)
from test_browser_page_widgets import largest_difference, python_side

pytestmark = pytest.mark.browser

NAME = "page_backward_stepper.ipynb"
NAMES = list(EXPRESSIONS)
# A few states set from Python show that they reach the page and are drawn; tests/widgets/test_page_backward_stepper.py
# runs the module in node and compares its numbers with helpers' on many more.
TRIALS = 8
TOLERANCE = 1e-12
FORK = "a fork: L = 2a · a²"
WORKED = "the 2-2-1 example of 04"


def walk_lengths():
    return {name: sum(1 for s in backward_steps(EXPRESSIONS[name]()[0]) if s.contributions) for name in NAMES}


def random_trials(count, seed=2026):
    """(computation, step) pairs: any computation of the dropdown, any step of its walk."""
    rng = np.random.default_rng(seed)
    lengths = walk_lengths()
    trials = []
    for _ in range(count):
        name = NAMES[int(rng.integers(len(NAMES)))]
        trials.append((name, int(rng.integers(lengths[name] + 1))))
    return trials


def cells(trials):
    import json

    return [
        "from helpers.widgets import backward_stepper\nstepper = backward_stepper(home='page')\nstepper",
        f"import json\ntrials = json.loads({json.dumps(json.dumps(trials))})\nj = -1",
        # Run All leaves the worked example at its start; each later run sets the next trial.
        "if j >= 0:\n    stepper.expression, stepper.k = trials[j]\nj += 1\nprint(j)",
        # What Python holds, in the shape test_browser_page_widgets.python_side reads.
        "print(json.dumps({'expression': stepper.expression, 'k': stepper.k}))",
        f"upstream = backward_stepper({FORK!r}, wording='upstream', home='page')\nupstream",
        "from helpers import style\nstyle.presentation_mode(True)\nbig = backward_stepper(home='page')\n"
        "style.presentation_mode(False)\nbig",
    ]


def kernel_view(name, k, wording="grad"):
    """The kernel version after k steps of `name`: its three labels' HTML and its gradient texts in node order."""
    w = BackwardStepper(name, wording)
    for _ in range(k):
        w.step()
    seen = {"position": w.position_label.value, "node": w.node_label.value, "detail": w.detail_label.value,
            "grads": [w.drawing.grad_texts[id(node)].get_text() for node in w.drawing.order]}
    w.close()
    return seen


def expected_numbers(name, k):
    """Every number the page carries after k steps of `name`, from helpers.autograd alone: the acting node's
    gradient and each share (local, amount, and at a fork the sum before and after) in the labels, and each
    node's running sum in the picture ('grad_3' for the fourth node in topological order)."""
    root, _ = EXPRESSIONS[name]()
    order = topological_order(root)
    index = {id(node): i for i, node in enumerate(order)}
    steps = [s for s in backward_steps(root) if s.contributions]
    numbers = {f"grad_{index[id(root)]}": 1.0}
    reached = set()
    for step in steps[:max(k - 1, 0)]:
        for c in step.contributions:
            numbers[f"grad_{index[id(c.parent)]}"] = c.after
            reached.add(id(c.parent))
    if k:
        step = steps[k - 1]
        numbers["grad"] = step.grad
        for i, c in enumerate(step.contributions):
            numbers[f"local_{i}"] = c.local
            numbers[f"amount_{i}"] = c.amount
            if id(c.parent) in reached:
                numbers[f"before_{i}"] = c.before
                numbers[f"after_{i}"] = c.after
            numbers[f"grad_{index[id(c.parent)]}"] = c.after
            reached.add(id(c.parent))
    return numbers


def shown_view(root):
    """The page's labels as HTML written the way Python writes them (each text escaped as html.escape
    does, bold in <b>, lines joined by <br>), and its gradient texts in node order."""
    return root.evaluate("""(root) => {
        const esc = (t) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
                            .replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
        const write = (node) => [...node.childNodes].map((c) => c.nodeName === 'B' ? `<b>${esc(c.textContent)}</b>`
            : c.nodeName === 'BR' ? '<br>' : c.nodeName === 'SPAN' && c.children.length ? write(c) : esc(c.textContent)).join('');
        const label = (name) => write(root.querySelector(`[data-label="${name}"]`));
        const shown = root.querySelector('g[data-computation][display="inline"]');
        const grads = [...shown.querySelectorAll('text[data-node]')].map((t) => t.textContent);
        return {position: label('position'), node: label('node'), detail: label('detail'), grads}; }""")


def shown_numbers(root):
    """{name: exact value} of every number the page carries: the labels', and the picture's running sums."""
    pairs = root.evaluate("""(root) => {
        const labels = [...root.querySelectorAll('[data-label] [data-value]')].map((e) => [e.dataset.name, e.dataset.value]);
        const shown = root.querySelector('g[data-computation][display="inline"]');
        const grads = [...shown.querySelectorAll('text[data-node][data-value]')]
            .map((e) => ['grad_' + e.dataset.node, e.dataset.value]);
        return [...labels, ...grads]; }""")
    return {name: float(value) for name, value in pairs}


def shown_highlight(root):
    """The outlined node's index (None when nothing is outlined) and how many thick arrows are drawn."""
    return root.evaluate("""(root) => {
        const shown = root.querySelector('g[data-computation][display="inline"]');
        const mark = shown.querySelector('[data-highlight]');
        const thick = shown.querySelectorAll('[data-layer="active"] > g[display="inline"]').length;
        if (mark.getAttribute('display') === 'none') return [null, thick];
        const box = [...shown.querySelectorAll('rect[data-node]')].find((r) =>
            r.getAttribute('x') === mark.getAttribute('x') && r.getAttribute('y') === mark.getAttribute('y'));
        return [box ? Number(box.dataset.node) : -1, thick]; }""")


def check_view(root, name, k, wording="grad"):
    """Assert the page shows exactly the kernel version's walk after k steps; return the largest difference
    between the page's numbers and helpers.autograd's."""
    kernel = kernel_view(name, k, wording)
    assert shown_view(root) == kernel, (name, k)
    root_value, _ = EXPRESSIONS[name]()
    order = topological_order(root_value)
    steps = [s for s in backward_steps(root_value) if s.contributions]
    current, thick = shown_highlight(root)
    if k:
        assert order[current].name == steps[k - 1].node.name and thick == len(steps[k - 1].contributions)
    else:
        assert (current, thick) == (None, 0)
    return largest_difference(shown_numbers(root), expected_numbers(name, k))


def wait_for_walk(page, root, name, k):
    page.wait_for_function("([root, name, k]) => root.dataset.expression === name && root.dataset.k === k",
                           arg=[root.element_handle(), name, str(k)], timeout=20_000)


def key_press_latencies(page, root, key, count):
    """Milliseconds from each press of `key` on the focused picture to the animation frame after it changed."""
    root.locator(".bpc-picture").focus()
    times = []
    for _ in range(count):
        root.evaluate("""(root) => {
            window.bpcTiming = {};
            const svg = root.querySelector('svg');
            root.querySelector('.bpc-picture').addEventListener('keydown',
                () => { window.bpcTiming.pressed = performance.now(); }, {once: true, capture: true});
            const seen = new MutationObserver(() => {
                seen.disconnect();
                requestAnimationFrame(() => { window.bpcTiming.drawn = performance.now(); });
            });
            seen.observe(svg, {subtree: true, childList: true, characterData: true, attributes: true}); }""")
        page.keyboard.press(key)
        page.wait_for_function("() => window.bpcTiming.drawn !== undefined", timeout=10_000)
        times.append(page.evaluate("() => window.bpcTiming.drawn - window.bpcTiming.pressed"))
    return times


def test_the_page_backward_stepper_shows_what_the_kernel_version_shows(page, lab):
    trials = random_trials(TRIALS)
    run_scratch(page, lab, NAME, cells(trials))
    page.wait_for_selector(".bpc-bs")
    root = page.locator(".bpc-bs").first
    assert root.get_attribute("data-presentation") == "false"

    # The start of the worked example, word for word as the kernel version writes it.
    worst = check_view(root, WORKED, 0)

    # Random computations and steps set from Python.
    for j, (name, k) in enumerate(trials, start=1):
        assert rerun(page, 2) == str(j)
        wait_for_walk(page, root, name, k)
        worst = max(worst, check_view(root, name, k))

    # The worked example walked with the arrow key on the picture: every step as the kernel's, each press
    # answered in the page, and Python holds the step the page shows.
    root.get_by_role("combobox").select_option(WORKED)
    root.get_by_role("button", name="Reset").click()
    wait_for_walk(page, root, WORKED, 0)
    n = walk_lengths()[WORKED]
    active_cell = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
                         .findIndex((c) => c.classList.contains('jp-mod-active'))"""
    root.locator(".bpc-picture").focus()
    before = page.evaluate(active_cell)
    times = key_press_latencies(page, root, "ArrowRight", n)
    page.keyboard.press("ArrowDown")  # the notebook's key for the next cell, pressed inside the widget
    assert page.evaluate(active_cell) == before, "keys pressed in the widget stay in it: the notebook keeps its cell"
    print(f"\nkey press to new picture (next frame), {n} presses: median {statistics.median(times):.1f} ms, "
          f"longest {max(times):.1f} ms")
    # Each press redrew the picture (key_press_latencies waits for it). How fast is for `make bench` to say
    # (bench/bench_browser.py), beside a bare ipywidgets round trip: a slow machine must not fail a test.
    worst = max(worst, check_view(root, WORKED, n))
    python_holds(lambda: python_side(page), {"expression": WORKED, "k": n})
    root.locator(".bpc-picture").focus()  # running a cell took the focus
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    worst = max(worst, check_view(root, WORKED, n - 3))
    python_holds(lambda: python_side(page), {"expression": WORKED, "k": n - 3})
    root.locator(".bpc-picture").focus()
    page.keyboard.press("Home")
    worst = max(worst, check_view(root, WORKED, 0))
    python_holds(lambda: python_side(page), {"expression": WORKED, "k": 0})
    root.locator(".bpc-picture").focus()
    for k in range(1, n + 1):
        page.keyboard.press("ArrowRight")
        worst = max(worst, check_view(root, WORKED, k))

    # The dropdown: a computation chosen starts its walk, in the page and in Python.
    root.get_by_role("combobox").select_option(FORK)
    worst = max(worst, check_view(root, FORK, 0))
    python_holds(lambda: python_side(page), {"expression": FORK, "k": 0})

    # The buttons answer the keyboard: Tab from the dropdown to Step, Space presses it twice, Tab on to Back.
    root.get_by_role("combobox").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Step"
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    worst = max(worst, check_view(root, FORK, 2))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Back"
    page.keyboard.press("Enter")
    worst = max(worst, check_view(root, FORK, 1))
    python_holds(lambda: python_side(page), {"expression": FORK, "k": 1})
    print(f"largest difference, page against helpers.autograd, over {TRIALS + 2 * n + 8} views: {worst:.3g}")
    assert worst <= TOLERANCE

    # The upstream wording, as notebook 04 uses it: each share as downstream = upstream × local.
    upstream = page.locator(".bpc-bs").nth(1)
    upstream.wait_for()
    for k in range(1, walk_lengths()[FORK] + 1):
        upstream.get_by_role("button", name="Step").click()
        assert check_view(upstream, FORK, k, "upstream") <= TOLERANCE
    assert "downstream ∂L/∂a += upstream ∂L/∂u × local ∂u/∂a = 2.2500 × 2.0000 = <b>4.5000</b>" in shown_view(upstream)["detail"]

    # Presentation mode: the larger figure (1.25 × 10.4 inches at 100 dpi) and larger controls.
    big = page.locator(".bpc-bs").nth(2)
    big.wait_for()
    assert big.get_attribute("data-presentation") == "true"
    assert big.locator("svg").get_attribute("width") == "1300"
    assert big.get_by_role("button", name="Step").evaluate("(b) => getComputedStyle(b).fontSize") == "20px"
    assert big.get_by_role("button", name="Step").bounding_box()["height"] == pytest.approx(40, abs=1)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_backward_stepper.png"))

    assert requests_off_localhost(page, lab) == []


def test_the_page_backward_stepper_runs_in_the_book_from_disk_with_no_kernel(browser, tmp_path):
    """The book's element for a saved output (tools/book.py): the module inlined, the saved state, no kernel.
    Each press is answered as the kernel version would answer it, and nothing is asked of any server."""
    from helpers.widgets.page import PAGE_MIME, module_source
    from helpers.widgets.page.backward_stepper import PageBackwardStepper
    from tools.book import page_widget_html

    data, _ = PageBackwardStepper(FORK, "upstream")._repr_mimebundle_()
    entry = data[PAGE_MIME]
    book = tmp_path / "book.html"
    book.write_text("<!doctype html><html><head><meta charset='utf-8'></head><body>"
                    + page_widget_html(entry["module"], entry["state"], data, module_source(entry["module"]), loader=True)
                    + "</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(book.as_uri())
        root = page.locator(".bpc-bs")
        root.wait_for()
        assert check_view(root, FORK, 0, "upstream") <= TOLERANCE
        for k in range(1, walk_lengths()[FORK] + 1):
            root.get_by_role("button", name="Step").click()
            assert check_view(root, FORK, k, "upstream") <= TOLERANCE
        root.get_by_role("combobox").select_option(WORKED)
        root.locator(".bpc-picture").focus()
        page.keyboard.press("ArrowRight")
        assert check_view(root, WORKED, 1, "upstream") <= TOLERANCE
        assert errors == []
        assert [url for url in requests if not url.startswith(("file:", "blob:", "data:"))] == []
    finally:
        context.close()
