"""The static book (make book) in a real browser, opened from disk with no server and no network.

Playwright drives Debian's chromium exactly as tests/test_browser.py does. Screenshots go to
screenshots/ (ignored by git) for a person to look at.
"""

import nbformat
import pytest

from helpers import book
from test_browser import NOTEBOOKS, ROOT, SCREENSHOTS

pytestmark = pytest.mark.browser

PAGE = "04_backprop_by_hand"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX_DONE = """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                        && MathJax.Hub.queue.running === 0"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = book.build(tmp_path_factory.mktemp("book") / "site")
    assert built.problems == []
    return built.out


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
    # MathJax probes for web-font support with an empty about:blank font; that never leaves the machine.
    return [url for url in requests if not url.startswith(("file://", "data:", "about:blank"))]


def _widget_pictures_saved(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if WIDGET_VIEW in o.get("data", {}) and "image/png" in o.data)


def test_the_book_opens_from_disk_and_a_notebook_page_shows_maths_figures_and_widget(site, page):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto((site / "index.html").as_uri())
    links = page.locator("ol.chapters a")
    assert links.count() == len(NOTEBOOKS)
    page.screenshot(path=str(SCREENSHOTS / "book_index.png"), full_page=True)

    page.locator(f"ol.chapters a[href='{PAGE}.html']").click()
    page.wait_for_url(f"**/{PAGE}.html")
    page.wait_for_function(MATHJAX_DONE)
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

    pictures = page.locator("img.book-widget-picture")
    expected = _widget_pictures_saved(PAGE)
    assert pictures.count() == expected, "every saved widget picture is shown where the widget was"
    if expected:
        pictures.first.scroll_into_view_if_needed()
        assert pictures.first.is_visible()
        assert pictures.first.evaluate("img => img.complete && img.naturalWidth > 50")
    else:  # the saved notebook has no picture of its widget yet: its text stands in
        assert page.get_by_text("interactive in JupyterLab").count() > 0
    page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_maths.png"))
    (pictures.first if expected else figures.first).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"book_{PAGE}_widget.png"))

    page.locator("nav.book-nav.top a[rel='next']").click()
    page.wait_for_url("**/05_*.html")
    page.locator("nav.book-nav.top a.index").click()
    page.wait_for_url("**/index.html")

    assert page.errors == []
    assert _left_the_disk(page.requests) == [], "the book asked the network for something"


def test_every_page_typesets_its_maths_offline(site, page):
    for name in NOTEBOOKS:
        page.goto((site / name.replace(".ipynb", ".html")).as_uri())
        page.wait_for_function(MATHJAX_DONE)
        assert page.locator(".MathJax_Error, .MathJax .merror").count() == 0, name
        assert "$$" not in page.locator("main").inner_text(), name
    assert page.errors == []
    assert _left_the_disk(page.requests) == []
