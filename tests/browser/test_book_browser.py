"""The static book (make book) in a real browser, opened from disk with no server and no network.

Playwright drives Debian's chromium exactly as tests/browser/test_browser.py does. Screenshots go to
screenshots/ (ignored by git) for a person to look at.
"""

import json

import nbformat
import pytest

import fixtures_page
from tools import book
from lab_server import POLL_MS
from test_browser import NOTEBOOKS, ROOT, SCREENSHOTS

pytestmark = pytest.mark.browser

PAGE = "04_backprop_by_hand"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX_DONE = """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                        && MathJax.Hub.queue.running === 0"""


@pytest.fixture(scope="module")
def site(course_book):
    """The course's book, built once for this file and test_book.py (conftest.py)."""
    return course_book


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _left_the_disk(requests):
    # A page widget's module is imported from a Blob the page makes of its own text: a blob:null/ URL
    # (null: the origin of a page opened from disk).
    return [url for url in requests if not url.startswith(("file://", "data:", "blob:null/"))]


def _widget_outputs(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET_VIEW in o.get("data", {})]


def _widget_pictures_saved(name):
    """The widgets of a notebook that the book shows as their picture: those with one that do not run in the page."""
    return sum(1 for o in _widget_outputs(name) if "image/png" in o.data and book.PAGE_MIME not in o.data)


def _page_widgets_saved(name):
    """The widgets of a notebook that run live in the book's page."""
    return sum(1 for o in _widget_outputs(name) if book.PAGE_MIME in o.data)


# Notebooks whose widgets need a kernel (too heavy to run in the page): the book shows their picture.
STILL = ["06_backprop_any_depth", "07_cat_or_dog", "08_debugging_gradients", "09_debugging_training"]


def _drawn(root):
    """The markup of a page widget's picture, and its size on the page."""
    svg = root.locator("svg").first
    box = svg.bounding_box()
    return svg.evaluate("svg => svg.outerHTML"), (box["width"], box["height"])


def test_the_book_opens_from_disk_and_a_notebook_page_shows_maths_figures_and_widget(site, page):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto((site / "index.html").as_uri())
    links = page.locator("ol.chapters a")
    assert links.count() == len(NOTEBOOKS)
    page.screenshot(path=str(SCREENSHOTS / "book_index.png"), full_page=True)

    page.locator(f"ol.chapters a[href='{PAGE}.html']").click()
    page.wait_for_url(f"**/{PAGE}.html")
    page.wait_for_function(MATHJAX_DONE, polling=POLL_MS)
    assert page.locator(".MathJax_Display").count() > 0, "no display maths was typeset"
    assert page.locator(".MathJax").count() > 20, "too little inline maths was typeset"
    assert page.locator(".MathJax_Error, .MathJax .merror").count() == 0, "MathJax reported a TeX error"
    visible_text = page.locator("main").inner_text()
    assert "$$" not in visible_text and "\\frac" not in visible_text, "raw LaTeX is left on the page"
    # The fonts MathJax typesets with are the book's own STIX-Web, not the web's or the machine's.
    assert any("/mathjax/fonts/HTML-CSS/STIX-Web/woff/" in url for url in page.requests)

    figures = page.locator(".jp-RenderedImage img")
    assert figures.count() > 0
    figures.first.scroll_into_view_if_needed()
    assert figures.first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert figures.first.is_visible()

    # Notebook 04's two widgets (the weight explorer and the backward stepper) run in the page: each draws
    # its picture, and no still picture stands in for either.
    assert _page_widgets_saved(PAGE) == 2
    _wait_until_live(page, 2)
    assert page.locator("img.book-widget-picture").count() == _widget_pictures_saved(PAGE) == 0
    explorer, stepper = page.locator(".bpc-we"), page.locator(".bpc-bs")
    assert explorer.count() == 1 and stepper.count() == 1
    for root in (explorer, stepper):
        root.scroll_into_view_if_needed()
        _, (width, height) = _drawn(root)
        assert width > 300 and height > 150, (width, height)
        assert root.locator("svg text").count() > 10, "the picture has its labels"

    # A key press on the stepper's picture takes the walk's first step: the root L is outlined and the
    # picture and the labels change.
    stepper.scroll_into_view_if_needed()
    before, _ = _drawn(stepper)
    assert stepper.get_attribute("data-k") == "0"
    stepper.locator(".bpc-picture").focus()
    page.keyboard.press("ArrowRight")
    assert stepper.get_attribute("data-k") == "1"
    after, _ = _drawn(stepper)
    assert after != before, "the key press left the picture as it was"
    assert stepper.locator("[data-label='node']").inner_text().startswith("L (")
    assert stepper.locator("[data-label='position']").inner_text().startswith("step 1 of ")
    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_widget.png"))

    # A key press on the explorer's w1 slider moves w1 one notch, and the picture and the prediction follow.
    explorer.scroll_into_view_if_needed()
    before, _ = _drawn(explorer)
    w1 = explorer.locator("input[data-name='w1']")
    start, y_hat = float(w1.input_value()), explorer.locator("b[data-name='y_hat']").get_attribute("data-value")
    w1.focus()
    page.keyboard.press("ArrowRight")
    assert float(w1.input_value()) > start
    after, _ = _drawn(explorer)
    assert after != before, "the key press left the picture as it was"
    assert explorer.locator("b[data-name='y_hat']").get_attribute("data-value") != y_hat
    page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_maths.png"))

    # On through 05 (its playground runs in the page) to the notebooks whose widgets need a kernel: each
    # shows the saved picture of its widget as it starts.
    page.locator("nav.book-nav.top a[rel='next']").click()
    page.wait_for_url("**/05_*.html")
    assert _page_widgets_saved("05_gradient_descent") > 0
    _wait_until_live(page, _page_widgets_saved("05_gradient_descent"))
    for name in STILL:
        page.locator("nav.book-nav.top a[rel='next']").click()
        page.wait_for_url(f"**/{name}.html")
        pictures = page.locator("img.book-widget-picture")
        assert pictures.count() == _widget_pictures_saved(name) > 0, name
        assert page.locator(f"div.{book.PAGE_WIDGET_CLASS}").count() == 0, name
        for picture in pictures.all():
            picture.scroll_into_view_if_needed()
            assert picture.is_visible(), name
            assert picture.evaluate("img => img.complete && img.naturalWidth > 50"), name
        page.screenshot(path=str(SCREENSHOTS / f"book_{name}_widget.png"))
    page.locator("nav.book-nav.top a.index").click()
    page.wait_for_url("**/index.html")

    assert page.errors == []
    assert _left_the_disk(page.requests) == [], "the book asked the network for something"


# Characters on each rendered line of the page's plain paragraphs (no maths), found by asking the
# browser where each character sits: a new line starts where a character's top moves down.
LINE_LENGTHS = """() => {
    const lengths = [];
    const paragraphs = [...document.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')]
        .filter(p => !p.querySelector('.MathJax, script, ul, ol') && p.textContent.length > 120);
    for (const p of paragraphs) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let top = null, count = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                if (top !== null && rect.top > top + 2) { lengths.push(count); count = 0; }
                if (top === null || rect.top > top + 2) top = rect.top;
                count += 1;
            }
        }
        lengths.push(count);
    }
    return lengths;
}"""

# The left edge of the text in each kind of block: prose, printed output, figures, exercise notes.
LEFT_EDGES = """() => {
    const edge = el => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft)
                       + parseFloat(getComputedStyle(el).borderLeftWidth);
    const first = sel => document.querySelector(sel);
    const found = {
        prose: first('.jp-RenderedMarkdown p'),
        printed: first('.jp-RenderedText.jp-OutputArea-output pre'),
        figure: first('.jp-RenderedImage img'),
        code_box: first('.jp-InputArea-editor'),
    };
    const out = {};
    for (const [name, el] of Object.entries(found)) {
        if (el) out[name] = name === 'prose' || name === 'printed' ? edge(el) : el.getBoundingClientRect().left;
    }
    return out;
}"""


SCREENS = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def every_page(site, browser):
    """Each page of the book opened once and its maths typeset, then looked at on each screen size (the
    page reflows when the window changes; nothing is typeset again): errors, raw TeX, line lengths, left
    edges, and every request the pages made."""
    context = browser.new_context(viewport={"width": SCREENS[0][0], "height": SCREENS[0][1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    seen = {"requests": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    try:
        for name in NOTEBOOKS:
            page.goto((site / name.replace(".ipynb", ".html")).as_uri())
            page.wait_for_function(MATHJAX_DONE, polling=POLL_MS)
            seen[name] = {"tex_errors": page.locator(".MathJax_Error, .MathJax .merror").count(),
                          "raw_tex": "$$" in page.locator("main").inner_text()}
            for width, height in SCREENS:
                page.set_viewport_size({"width": width, "height": height})
                seen[width, name] = {"lengths": page.evaluate(LINE_LENGTHS), "edges": page.evaluate(LEFT_EDGES)}
                if width == 1366 and name == f"{PAGE}.ipynb":
                    SCREENSHOTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_measure.png"))
            page.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})
    finally:
        context.close()
    return seen


def test_every_page_typesets_its_maths_offline(every_page):
    for name in NOTEBOOKS:
        assert every_page[name]["tex_errors"] == 0, name
        assert not every_page[name]["raw_tex"], name
    assert every_page["errors"] == []
    assert _left_the_disk(every_page["requests"]) == []


@pytest.mark.parametrize("width, height", SCREENS)
def test_the_text_keeps_a_readable_measure_and_outputs_line_up_with_it(every_page, width, height):
    longest = []
    for name in NOTEBOOKS:
        lengths = every_page[width, name]["lengths"]
        assert lengths, f"{name}: no long plain paragraph to measure"
        longest.append(max(lengths))
        edges = every_page[width, name]["edges"]
        assert {"prose", "printed", "figure"} <= set(edges) or name != f"{PAGE}.ipynb", edges
        for what, left in edges.items():
            assert abs(left - edges["prose"]) <= 1.5, f"{name} at {width}px: {what} starts at {left:.1f}px, " \
                                                      f"the text at {edges['prose']:.1f}px"
    assert max(longest) <= 80, f"a line of text holds {max(longest)} characters (at most 80 read well)"
    assert min(longest) >= 55, f"the text column is too narrow: its longest line holds {min(longest)} characters"


def test_an_exercise_shows_a_note_for_readers_and_its_solution_opens_on_a_click(site, page):
    page.goto((site / f"{PAGE}.html").as_uri())
    note = page.locator("p.book-exercise-note").first
    note.scroll_into_view_if_needed()
    assert note.is_visible() and "worked solution below" in note.inner_text()
    assert page.get_by_text("Not answered yet").count() == 0
    solution = page.locator("details").first
    assert solution.evaluate("d => !d.open")
    hidden = solution.locator(":scope > :not(summary)").first
    assert not hidden.is_visible(), "the worked solution is not folded"
    solution.locator("summary").click()
    assert hidden.is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_exercise.png"))



# Page widgets in the book: the test widgets of tests/fixtures_page (a counter, a probe of the model
# API, a widget whose render fails) in a book of their own, opened from disk.

COUNTERS = "00_counters"
BROKEN = "01_broken"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page_widgets")
    notebook_dir = fixtures_page.write_notebooks(folder, {
        COUNTERS: fixtures_page.notebook(
            fixtures_page.widget_output("counter", {"count": 0, "label": "Add 1 to the first"}),
            fixtures_page.widget_output("model_probe", {"count": 1, "label": "one"}),
            fixtures_page.widget_output("counter", {"count": 10, "label": "Add 1 to the second"})),
        BROKEN: fixtures_page.notebook(fixtures_page.widget_output("broken", {}), title="01 · Broken")})
    built = book.build(folder / "site", notebook_dir=notebook_dir, readme=None,
                       module_source=fixtures_page.module_source)
    assert built.problems == []
    return built.out


def _counts(page):
    return page.locator(".counter-count").all_inner_texts()


def _wait_until_live(page, count):
    """Wait until `count` page widgets have rendered (their modules load after the page does)."""
    page.wait_for_function(f"() => document.querySelectorAll('div.{book.PAGE_WIDGET_CLASS}-live').length === {count}",
                           polling=POLL_MS)


def test_two_counters_in_the_book_each_keep_their_own_count_with_no_request_off_disk(demo_site, page):
    page.goto((demo_site / f"{COUNTERS}.html").as_uri())
    _wait_until_live(page, 3)
    first, second = page.locator("button.counter-add").all()
    assert first.inner_text() == "Add 1 to the first" and second.inner_text() == "Add 1 to the second"
    assert _counts(page) == ["0", "10"], "each counter starts from its own saved state"
    for _ in range(3):
        first.click()
    assert _counts(page) == ["3", "10"]
    second.click()
    assert _counts(page) == ["3", "11"]
    assert page.locator("img.book-widget-picture").count() == 0, "with JavaScript on, widgets replace pictures"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "book_page_widgets.png"))
    assert page.errors == []
    assert _left_the_disk(page.requests) == [], "the book asked the network for something"
    blobs = [url for url in page.requests if url.startswith("blob:")]
    assert len(blobs) == 2, "each module (counter, model_probe) is imported once, however many widgets use it"


def test_the_books_model_calls_change_callbacks_only_for_a_new_value_and_off_stops_them(demo_site, page):
    page.goto((demo_site / f"{COUNTERS}.html").as_uri())
    probe = page.locator(f"div.{book.PAGE_WIDGET_CLASS}[data-module='model_probe'] .{book.PAGE_WIDGET_CLASS}-view")
    _wait_until_live(page, 3)
    report = json.loads(probe.inner_text())
    # set(count, 1) to the value it has calls nothing; 5 and then {count: 6, label} call both callbacks;
    # after off(change:count) only "change" hears 7; after off("change") nothing hears 8.
    assert report == {"seen": [["change:count", 5, True], ["change"], ["change:count", 6, True], ["change"],
                               ["change"]],
                      "count": 8, "label": "six", "missing": None}
    assert page.errors == []


def test_a_page_widget_that_cannot_start_shows_its_picture_and_reports_why(demo_site, page):
    page.goto((demo_site / f"{BROKEN}.html").as_uri())
    picture = page.locator("img.book-widget-picture")
    picture.wait_for()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    page.wait_for_timeout(200)  # the error reaches the page's listeners after the picture is in place
    assert any("the broken test widget cannot start" in error for error in page.errors), page.errors
    assert _left_the_disk(page.requests) == []


def test_a_reader_without_javascript_sees_each_page_widgets_picture(demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((demo_site / f"{COUNTERS}.html").as_uri())
        pictures = page.locator("img.book-widget-picture")
        assert pictures.count() == 3
        assert all(p.is_visible() for p in pictures.all())
        assert page.locator("button.counter-add").count() == 0
    finally:
        context.close()



def test_the_weight_explorer_steps_the_worked_example_in_the_book_with_no_kernel(tmp_path, page):
    from helpers.tiny import TwoTwoOne
    from test_book import _weight_explorer_notebook

    nb, _page_widgets, _data = _weight_explorer_notebook()
    notebook_dir = fixtures_page.write_notebooks(tmp_path, {"00_weights": nb})
    built = book.build(tmp_path / "site", notebook_dir=notebook_dir, readme=None)
    assert built.problems == []
    page.goto((built.out / "00_weights.html").as_uri())
    _wait_until_live(page, 1)

    def shown(name):
        """A read-out's exact value, checked against the digits the page shows."""
        number = page.locator(f"b[data-name='{name}']")
        value = float(number.get_attribute("data-value"))
        assert abs(float(number.inner_text()) - value) <= 1e-4, name
        return value

    example = TwoTwoOne()
    assert f"{shown('y_hat'):.2f}" == "0.70" and abs(shown("y_hat") - example.forward()) <= 1e-12
    assert f"{shown('loss'):.2f}" == "0.09" and abs(shown("loss") - example.loss()) <= 1e-12
    assert f"{shown('next_y_hat'):.2f}" == "0.85"
    page.get_by_role("button", name="Step").click()
    assert f"{shown('y_hat'):.2f}" == "0.85" and abs(shown("y_hat") - example.step().forward()) <= 1e-12
    page.screenshot(path=str(SCREENSHOTS / "book_page_weight_explorer.png"))
    assert page.errors == []
    assert _left_the_disk(page.requests) == []


# Every font MathJax styles ask for is shipped: MathJax's "MathJax_Blank" (src about:blank, blocked from a
# file:// page) and the TeX .otf fonts its hidden MathML copy for screen readers named (07's \mathbb{1}
# asked for MathJax_AMS-Regular.otf) used to fail in the console.
FONTS_USED = """() => {
    const faces = {};
    for (const face of document.fonts) faces[face.family.replace(/["']/g, '')] = face.status;
    const used = new Set();
    for (const el of document.querySelectorAll('.MathJax *, .MJX_Assistive_MathML *')) {
        if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
        for (const family of getComputedStyle(el).fontFamily.split(',')) {
            const name = family.trim().replace(/["']/g, '');
            if (name in faces) { used.add(name); break; }
        }
    }
    return {faces, used: [...used], jax: MathJax.OutputJax['HTML-CSS'].fontInUse,
            web: MathJax.OutputJax['HTML-CSS'].webFonts};
}"""


@pytest.mark.parametrize("name", ["03_chain_rule", "04_backprop_by_hand", "07_cat_or_dog"])
def test_a_page_with_maths_logs_no_error_fails_no_request_and_loads_every_font_its_maths_uses(site, page, name):
    console, failed = [], []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_function(MATHJAX_DONE, polling=POLL_MS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("load")
    fonts = page.evaluate(FONTS_USED)
    assert page.locator(".MathJax").count() > 5, "too little maths was typeset to mean anything"
    assert failed == [], f"{name}: requests that failed: {failed}"
    assert console == [], f"{name}: the console shows {console}"
    assert page.errors == []
    assert _left_the_disk(page.requests) == []
    assert fonts["jax"] == "STIX-Web" and fonts["web"], fonts
    assert [f for f, status in fonts["faces"].items() if status == "error"] == [], fonts["faces"]
    assert any(f.startswith("STIXMathJax_") for f in fonts["used"]), fonts
    not_loaded = {f: fonts["faces"][f] for f in fonts["used"] if fonts["faces"][f] != "loaded"}
    assert not_loaded == {}, f"{name}: fonts the maths is set in but that did not load: {not_loaded}"
