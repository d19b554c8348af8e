"""The course in a real browser: JupyterLab driven by Playwright with Debian's chromium.

For every notebook, as a teacher shows it to a class: its copy in the lab's folder gets a first cell that
turns presentation mode on; open it at the projector's 1280x720 with the sidebar closed, Run All Cells
from the menu, wait for the kernel, and check that every code cell ran, nothing shows an error, every
widget rendered, every table keeps its columns apart and nothing runs off the right of its cell
(test_browser_projector_tables.py's measures). Each notebook is run in JupyterLab this once; the tests
that go on with it come straight after (conftest.py). Screenshots go to screenshots/ (ignored by git)
for a person to look at.
"""

import ast
import json
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers.tiny import EXAMPLE_WEIGHTS, TwoTwoOne
from helpers.widgets._base import fmt
from helpers.widgets.gradient_descent import descend_output_weights, number
from helpers.widgets.page import PAGE_MIME
import bench_browser
from lab_server import POLL_MS, ROOT, current_tab, menu, open_notebook, wait_idle
from test_browser_projector_tables import projector_problems

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture
def page(lab_page):
    """The worker's one JupyterLab page (conftest.py), at this test's starting size."""
    lab_page.set_viewport_size({"width": 1400, "height": 1000})
    return lab_page


def run_all(page, name, added=0):
    """Clear the saved outputs, Run All Cells from the menu, and wait until every output is back.

    The saved notebook already shows execution counts, so the sign that the run has finished is
    that every cell which has outputs in the saved copy (and the `added` cells put before them) shows
    outputs again, with the kernel idle.
    """
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-child').length === 0",
                           polling=POLL_MS)
    menu(page, "Run", "Run All Cells")
    started = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                     .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    try:
        page.wait_for_function(started, timeout=20_000, polling=POLL_MS)
    except Exception:  # the kernel was not ready for the first request: ask once more
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
    try:
        page.wait_for_function(
            """(expected) => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
                .filter(cell => cell.querySelector('.jp-OutputArea-child')).length >= expected""",
            arg=saved_cells_with_outputs(name) + added, timeout=180_000, polling=POLL_MS)
    except Exception as exc:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{Path(name).stem}.png"), full_page=True)
        state = page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(c =>
            c.querySelector('.jp-InputPrompt').textContent + (c.querySelector('.jp-OutputArea-child') ? 'out' : '')
            + ([...c.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
               .map(e => ' ERROR ' + e.textContent.slice(0, 500)).join('')))""")
        raise AssertionError(f"Run All did not finish in {name}; code cells: {state}") from exc
    wait_idle(page)


def opened_and_run(page, name):
    """`name` open in the page with every cell run: straight after its own Run All test, the page already
    shows it (conftest.py puts the tests that go on with a notebook right after that test); otherwise it
    is opened and run here. The caller then changes it, so it no longer counts as freshly run."""
    if not (name in page.ran and current_tab(page) == name):
        open_notebook(page, name)
        run_all(page, name)
    page.ran.discard(name)


def saved_notebook(name):
    return json.loads((ROOT / "notebooks" / name).read_text())


def saved_cells_with_outputs(name):
    return sum(1 for cell in saved_notebook(name)["cells"] if cell["cell_type"] == "code" and cell.get("outputs"))


def saved_widget_count(name):
    """How many widget views the saved notebook displays."""
    nb = saved_notebook(name)
    return sum("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", []))


def saved_page_widgets(name):
    """The page widgets the saved notebook displays, by module name, in order."""
    return [out["data"][PAGE_MIME]["module"] for cell in saved_notebook(name)["cells"] if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if PAGE_MIME in out.get("data", {})]


def requests_off_localhost(page, lab):
    local = urlparse(lab.url).netloc
    return [url for url in page.requests
            if not url.startswith(("data:", "blob:")) and urlparse(url).netloc != local]


PRESENTING = "import helpers\nhelpers.presentation_mode()"


def write_presented(lab, name):
    """Write over the lab's copy of notebook `name` the copy a teacher presents: a first cell turns
    presentation mode on. Returns how many cells with outputs it adds (one)."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PRESENTING))
    nbformat.write(nb, lab.workdir / "notebooks" / name)
    return 1


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_all_cells_in_jupyterlab(page, lab, name):
    added = write_presented(lab, name)
    open_notebook(page, name)
    bench_browser.show_screen(page, True)  # 1280x720, the sidebar closed
    assert page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor").first.inner_text().strip() == PRESENTING
    run_all(page, name, added)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}.png"))

    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    assert code_cells.count() > 0
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    assert page.get_by_text("Error displaying widget").count() == 0
    expected = saved_widget_count(name)
    # Widget views render a moment after their cell's output arrives: an ipywidget, or a page widget's root.
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('.jp-OutputArea-output')]
                  .filter(o => o.querySelector('.jupyter-widgets, [data-widget]')).length >= n""",
        arg=expected, timeout=60_000, polling=POLL_MS)
    rendered = page.locator(".jp-OutputArea-output", has=page.locator(".jupyter-widgets, [data-widget]"))
    assert rendered.count() == expected
    # Each page widget the notebook saved is drawn by its own module: its root holds its picture.
    page_widgets = saved_page_widgets(name)
    shown = page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) [data-widget]')]
                                   .map(el => [el.dataset.widget, el.querySelectorAll('svg').length])""")
    assert [widget for widget, _ in shown] == page_widgets
    assert all(pictures >= 1 for _, pictures in shown), shown
    assert requests_off_localhost(page, lab) == []
    # On the projector: every table keeps its columns apart, and nothing runs off the right of its cell.
    assert projector_problems(page, name) == []
    bench_browser.show_screen(page, False)  # the file browser back, as the other tests expect
    page.ran.add(name)  # as the saved notebook shows it: a later test may go on with it


def slider(page, description):
    label = page.locator(".widget-label", has_text=re.compile(f"^{re.escape(description)}$"))
    return page.locator(".widget-slider", has=label).first


def readout_value(slider_locator):
    return float(slider_locator.locator(".widget-readout").inner_text().replace("\u2212", "-"))


def type_into_readout(slider_locator, text):
    readout = slider_locator.locator(".widget-readout")
    readout.click()
    readout.press("Control+a")
    readout.type(text)
    readout.press("Enter")


def bold_number(page, prefix):
    """The bold number in the label that starts with `prefix`."""
    label = page.locator(".widget-html-content", has_text=prefix).first
    return label.locator("b").first.inner_text()


def wait_for_label(page, prefix, expected):
    page.wait_for_function(
        """([prefix, expected]) => [...document.querySelectorAll('.widget-html-content')]
            .some(el => el.textContent.startsWith(prefix) && el.querySelector('b')
                        && el.querySelector('b').textContent === expected)""",
        arg=[prefix, expected], timeout=20_000, polling=POLL_MS)


def page_number(root, name):
    """The exact value behind the page widget's read-out `name` (the text shows it rounded)."""
    return float(root.locator(f'b[data-name="{name}"]').first.get_attribute("data-value"))


def page_slider_values(root, names):
    return {n: float(root.locator(f'input[type=range][data-name="{n}"]').input_value()) for n in names}


def until(check, seconds=10):
    """Wait until check() is true (polled every 20 ms), then return; fail with check's last answer."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the page did not answer in time"
        time.sleep(0.02)


def settled(read, done, seconds=10):
    """read() again until done(what it returned) is true, or `seconds` pass; returns the last value read.

    The page sends a value to Python when a move ends, but ipywidgets lets one message per widget wait
    for the kernel at a time and sends the next once the kernel has taken it: on a busy machine Python
    may hold a move's last value a moment after the page shows it."""
    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if done(got) or time.monotonic() > deadline:
            return got


def python_holds(read, want, seconds=10):
    """Python comes to hold `want` (read() asks it) within `seconds`."""
    got = settled(read, lambda got: got == want, seconds)
    assert got == want, f"Python holds {got!r}, not {want!r}"


def test_the_weight_explorer_in_04_answers_keys_a_drag_and_step_from_the_page(page, lab):
    opened_and_run(page, "04_backprop_by_hand.ipynb")
    root = page.locator('[data-widget="weight_explorer"]').first
    root.scroll_into_view_if_needed()
    names = list(EXAMPLE_WEIGHTS)

    def shows(net):
        chain = net.chain()
        return (abs(page_number(root, "y_hat") - chain.y_hat) <= 1e-12
                and abs(page_number(root, "loss") - chain.loss) <= 1e-12)

    assert shows(TwoTwoOne())
    root.locator('input[data-name="w1"]').focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    weights = page_slider_values(root, names)
    assert weights["w1"] > EXAMPLE_WEIGHTS["w1"]
    until(lambda: shows(TwoTwoOne(**page_slider_values(root, names))))

    box = root.locator('input[data-name="w2"]').bounding_box()
    where = float(root.locator('input[data-name="w2"]').evaluate("(i) => (i.value - i.min) / (i.max - i.min)"))
    x, y = box["x"] + 8 + where * (box["width"] - 16), box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y, steps=6)
    page.mouse.up()
    weights = page_slider_values(root, names)
    assert weights["w2"] > EXAMPLE_WEIGHTS["w2"], "dragging right should raise w2"
    until(lambda: shows(TwoTwoOne(**page_slider_values(root, names))))

    loss_before = page_number(root, "loss")
    root.get_by_role("button", name="Step").click()
    stepped = TwoTwoOne(**weights).step(0.5)
    until(lambda: shows(stepped))
    assert page_number(root, "loss") < loss_before
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "04_weight_explorer.png"))


def test_the_weight_explorers_kernel_version_answers_typing_dragging_and_step(page, lab):
    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "kernel_explorer.ipynb",
                ["from helpers.widgets import weight_explorer\nweight_explorer(home='kernel')"])
    w1, w2 = slider(page, "w1"), slider(page, "w2")
    w1.scroll_into_view_if_needed()
    assert bold_number(page, "prediction ŷ =") == fmt(TwoTwoOne().chain().y_hat)

    type_into_readout(w1, "0.2")
    weights = dict(EXAMPLE_WEIGHTS, w1=0.2)
    wait_for_label(page, "prediction ŷ =", fmt(TwoTwoOne(**weights).chain().y_hat))
    wait_for_label(page, "loss L =", fmt(TwoTwoOne(**weights).chain().loss))

    handle = w2.locator(".noUi-handle")
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    weights["w2"] = readout_value(w2)
    assert weights["w2"] > EXAMPLE_WEIGHTS["w2"], "dragging right should raise w2"
    wait_for_label(page, "prediction ŷ =", fmt(TwoTwoOne(**weights).chain().y_hat))

    loss_before = float(bold_number(page, "loss L ="))
    explorer = page.locator(".widget-vbox", has=w1).first
    explorer.get_by_role("button", name="Step").click()
    stepped = TwoTwoOne(**weights).step(0.5)
    wait_for_label(page, "loss L =", fmt(stepped.chain().loss))
    assert float(bold_number(page, "loss L =")) < loss_before


def test_the_playground_in_05_redraws_in_the_page_when_the_learning_rate_changes(page, lab):
    opened_and_run(page, "05_gradient_descent.ipynb")
    root = page.locator('[data-widget="gradient_descent_playground"]').first
    root.scroll_into_view_if_needed()
    values = page_slider_values(root, ["steps", "w3", "w4"])
    path = root.locator('svg polyline[data-name="path"]').first
    before = path.get_attribute("points") or path.get_attribute("d")
    # η = 10 to the power −1, exact on the log slider's grid, set as a drag that ends there would set it
    root.locator('input[data-name="eta"]').evaluate("""(input) => {
        input.value = "-1";
        input.dispatchEvent(new Event("input", {bubbles: true}));
        input.dispatchEvent(new Event("change", {bubbles: true})); }""")
    walk = descend_output_weights(values["w3"], values["w4"], 0.1, int(values["steps"]))
    until(lambda: abs(page_number(root, "final_loss") - walk.loss[-1]) <= 1e-12 * max(1.0, walk.loss[-1]))
    after = path.get_attribute("points") or path.get_attribute("d")
    assert after != before
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "05_gradient_descent_playground.png"))


def test_the_playgrounds_kernel_version_redraws_when_the_learning_rate_changes(page, lab):
    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "kernel_playground.ipynb",
                ["from helpers.widgets import gradient_descent_playground\ngradient_descent_playground(home='kernel')"])
    eta = slider(page, "η (eta)")
    eta.scroll_into_view_if_needed()
    steps = int(readout_value(slider(page, "steps")))
    w3, w4 = readout_value(slider(page, "start w3")), readout_value(slider(page, "start w4"))
    widget = page.locator(".widget-vbox", has=eta).first  # the outermost box: the whole widget
    picture = widget.locator("img").first
    before = picture.get_attribute("src")

    type_into_readout(eta, "0.1")  # 10 to the power −1: exact on the log slider's grid
    path = descend_output_weights(w3, w4, 0.1, steps)
    wait_for_label(page, "final loss L =", number(path.loss[-1]))
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[picture.element_handle(), before], timeout=20_000)


def run_scratch(page, lab, name, cells):
    """Write a small notebook of `cells` (markdown if a string starts with '#md ', else code) into the
    lab's folder, open it, Run All Cells, and wait until every code cell has its output."""
    import nbformat

    metadata = nbformat.read(ROOT / "notebooks" / NOTEBOOKS[0], as_version=4).metadata
    nb = nbformat.v4.new_notebook(metadata=metadata)
    nb.cells = [nbformat.v4.new_markdown_cell(c[4:]) if c.startswith("#md ") else nbformat.v4.new_code_cell(c)
                for c in cells]
    nbformat.write(nb, lab.workdir / "notebooks" / name)
    open_notebook(page, name)
    menu(page, "Run", "Run All Cells")
    code = sum(not c.startswith("#md ") for c in cells)
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                  .filter(p => /\\[\\d+\\]/.test(p.textContent)).length >= n""", arg=code, timeout=120_000)
    wait_idle(page)


def rerun(page, index):
    """Run code cell `index` of the open notebook again; return what it printed."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    prompt = cell.locator(".jp-InputPrompt").inner_text()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("([el, before]) => el.textContent !== before && /\\[\\d+\\]/.test(el.textContent)",
                           arg=[cell.locator(".jp-InputPrompt").element_handle(), prompt])
    wait_idle(page)
    return cell.locator(".jp-OutputArea-output").first.inner_text().strip()


def click_step(page, times=1):
    step = page.get_by_role("button", name="Step")
    for _ in range(times):
        step.click(delay=0)


def explorer_picture(page):
    """The weight explorer's live picture as the browser shows it: a PIL image."""
    import base64
    import io

    from PIL import Image

    data = page.evaluate("""async () => {
        const img = [...document.querySelectorAll('.jp-OutputArea-output img')].pop();
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        return btoa(text);
    }""")
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


def test_the_weight_explorer_steps_exactly_as_the_worked_example_in_the_browser(page, lab):
    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "explorer_steps.ipynb",
                ["from helpers.widgets import weight_explorer\nw = weight_explorer(home='kernel')\nw",
                 "print(f\"{w.weights['w3']:.4f}\", w.weights == w.start_weights)", "print(w.weights)"])
    page.get_by_role("button", name="Reset").click()
    wait_for_label(page, "prediction ŷ =", fmt(TwoTwoOne().forward()))
    click_step(page)
    exact = TwoTwoOne().step(0.5)
    wait_for_label(page, "prediction ŷ =", "0.8501")
    wait_for_label(page, "loss L =", "0.0225")
    assert fmt(exact.forward()) == "0.8501" and fmt(exact.loss()) == "0.0225"
    page.wait_for_timeout(1500)  # time for the browser to send the sliders' rounded values back
    assert bold_number(page, "prediction ŷ =") == "0.8501" and bold_number(page, "loss L =") == "0.0225"
    assert rerun(page, 1) == "1.1133 False"
    click_step(page, 2)
    wait_for_label(page, "prediction ŷ =", "0.9684")
    page.wait_for_timeout(1500)
    assert bold_number(page, "prediction ŷ =") == "0.9684"
    three = exact.step(0.5).step(0.5)
    assert rerun(page, 2) == str(three.weights)
    track = slider(page, "w1").locator(".noUi-target").bounding_box()
    assert track["width"] >= 280, f"the w1 slider's track is {track['width']:.0f} px"  # it was 124 px
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "weight_explorer_three_steps.png"))


def test_a_burst_of_steps_at_the_largest_eta_leaves_every_node_label_intact(page, lab):
    from helpers.widgets import weight_explorer

    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "explorer_burst.ipynb",
                ["from helpers.widgets import weight_explorer\nw = weight_explorer(home='kernel')\nw", "print(w.weights)"])
    picture = page.locator(".jp-OutputArea-output img").last
    picture.scroll_into_view_if_needed()
    w1 = slider(page, "w1")
    top_before = picture.bounding_box()["y"] - w1.bounding_box()["y"]  # below the widget's top
    before = explorer_picture(page)
    eta = slider(page, "η (eta)")
    type_into_readout(eta, "5")
    page.wait_for_function("""() => [...document.querySelectorAll('.widget-html-content')]
                                  .some(el => el.textContent.startsWith('ŷ after one step with η = 5:'))""")
    click_step(page, 15)
    expected = TwoTwoOne()
    for _ in range(15):
        expected = expected.step(5.0)
    wait_for_label(page, "loss L =", fmt(expected.loss()))
    wait_idle(page)
    page.wait_for_timeout(1500)
    shown = ast.literal_eval(rerun(page, 1))  # exact to the last few bits, nowhere near the sliders' 0.01 grid
    assert shown == pytest.approx(expected.weights, rel=1e-12, abs=1e-12)

    after = explorer_picture(page)
    reference = weight_explorer(home="kernel")  # the same figure, drawn here: where each node sits, in pixels
    height = reference.fig.bbox.height
    assert after.size == before.size == (round(reference.fig.bbox.width), round(height))
    for key, (x, y) in reference.diagram.positions.items():
        px, py = reference.ax.transData.transform((x, y))
        box = (round(px) - 14, round(height - py) - 14, round(px) + 14, round(height - py) + 14)
        assert after.crop(box).tobytes() == before.crop(box).tobytes(), f"node {key}'s label changed"
    status = page.locator(".widget-html-content", has_text="saturated").first
    assert "Reset" in status.inner_text() and "lower η" in status.inner_text()
    top_after = picture.bounding_box()["y"] - w1.bounding_box()["y"]
    assert top_after == top_before, "the message pushed the figure down"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "weight_explorer_after_a_burst.png"))


def test_presentation_mode_grows_prose_and_printed_arithmetic_and_draws_pictures_at_their_size(page, lab):
    page.set_viewport_size({"width": 1366, "height": 768})
    run_scratch(page, lab, "presenting.ipynb",
                ["#md Some prose about the chain rule, long enough to read.",
                 "print('dL/dw3 = 2(ŷ − y)·h1 = -0.2265')",
                 "import helpers\nhelpers.presentation_mode()",
                 "from helpers.widgets import weight_explorer\nweight_explorer(home='kernel')"])
    sizes = page.evaluate("""() => ({
        prose: parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize),
        printed: parseFloat(getComputedStyle(document.querySelector('.jp-OutputArea-output pre')).fontSize)})""")
    assert sizes["prose"] >= 20 and sizes["printed"] >= 18, sizes
    picture = page.locator(".jp-OutputArea-output img").last
    picture.scroll_into_view_if_needed()
    natural, shown = picture.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert natural == 800 and abs(shown - natural) <= 1, (natural, shown)  # drawn at the size shown
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "presentation_mode.png"))
