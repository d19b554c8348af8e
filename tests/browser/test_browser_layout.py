"""Every widget's controls and the picture they change are on screen together, without scrolling
(issue 16): at 1366x768 with JupyterLab as it opens (file browser shown), and, built in presentation
mode, on a 1280x720 projector with the left sidebar closed, as the teacher's guide advises.

One JupyterLab, one page and one Run All of `make bench`'s scratch notebook (bench/bench_browser.py),
which shows every widget the course displays, normally and in presentation mode. The measure is the
bench's own (bench_browser.measure_fit and fit_verdict), so the table and this test cannot disagree:
scrolled until the widget's first control or picture meets the top of the notebook's visible area,
its controls and pictures are no taller and no wider than that area, and its first control and every
picture are inside it at once. Two widgets built to be too tall and too wide show that the check fails.
"""

import pytest

import bench_browser
from helpers import style
from lab_server import LabServer

pytestmark = pytest.mark.browser

NAMES = bench_browser.widget_names()

# Made to fail: a slider above a 900 px tall picture (taller than either screen), and a slider with
# its picture pushed 1,500 px to the right of it.
MADE_TO_FAIL = {
    "too_tall": "widgets.VBox([widgets.IntSlider(description='tall'), "
                "widgets.Image(value=_PNG, format='png', layout=widgets.Layout(width='300px', height='900px'))])",
    "too_wide": "widgets.HBox([widgets.IntSlider(description='wide'), "
                "widgets.Box(layout=widgets.Layout(min_width='1500px')), "
                "widgets.Image(value=_PNG, format='png', layout=widgets.Layout(min_width='200px', height='100px'))])",
}
PNG = ("import base64\n_PNG = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
       "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=')\n")
EXTRA = [PNG] + [f'BENCH["{key}"] = {source}\nBENCH["{key}"].add_class("bench-{key}")\nBENCH["{key}"]'
                 for key, source in MADE_TO_FAIL.items()]


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    """The scratch notebook open in JupyterLab, every cell run once, for the whole module."""
    folder = tmp_path_factory.mktemp("layout")
    lab = LabServer(folder).start()
    try:
        bench_browser.write_notebook(folder / "notebooks", NAMES, presentation=True, extra=EXTRA)
        context = browser.new_context(viewport=bench_browser.SCREENS[False])
        page = context.new_page()
        page.set_default_timeout(60_000)
        bench_browser.open_notebook(page, lab)
        try:
            bench_browser.run_all(page, 1 + len(bench_browser.keys_for(NAMES)) + len(NAMES) + len(MADE_TO_FAIL),
                                  timeout=180_000)
        except Exception as exc:
            errors = page.evaluate("""() => [...document.querySelectorAll(
                '[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type*="error"]')]
                .map((e) => e.textContent.slice(0, 400))""")
            raise AssertionError(f"Run All did not show every widget; errors on the page: {errors}") from exc
        yield page
        shut_down_kernels(page)
        context.close()
    finally:
        lab.stop()


def shut_down_kernels(page):
    """Stop the page's kernel through the server's API, as JupyterLab would: quicker than the server
    stopping it on its way out."""
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        for (const k of await (await fetch('/api/kernels')).json()) {
            await fetch('/api/kernels/' + k.id, {method: 'DELETE', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
        }
    }""")


def fit(page, key, presentation):
    bench_browser.show_screen(page, presentation)
    box = bench_browser.measure_fit(page, key)
    text, ok = bench_browser.fit_verdict(box)
    return box, text, ok


@pytest.mark.parametrize("name", NAMES)
def test_controls_and_picture_fit_together_at_1366x768_with_the_file_browser_shown(page, name):
    box, text, ok = fit(page, name, presentation=False)
    assert page.locator(".jp-FileBrowser").is_visible()
    assert box["pictures"] >= 1, f"{name}: no picture found on the page"
    assert ok, f"{name} at 1366x768: {text}"
    assert box["firstControl"] and box["picturesInside"] == box["pictures"], text


@pytest.mark.parametrize("name", NAMES)
def test_presentation_mode_controls_and_picture_fit_together_at_1280x720_with_the_sidebar_closed(page, name):
    box, text, ok = fit(page, f"p_{name}", presentation=True)
    assert page.locator(f"{bench_browser.LEFT_TABS}.lm-mod-current").count() == 0, "the left sidebar should be closed"
    assert box["pictures"] >= 1, f"{name}: no picture found on the page"
    assert ok, f"{name} in presentation mode at 1280x720: {text}"
    assert box["firstControl"] and box["picturesInside"] == box["pictures"], text


# What presentation mode changes, as a widget shows it. A widget drawn in the page (home="page") is
# the element with data-widget inside the bench's element: the data-presentation flag it was drawn
# with, the height and type size of its first row of controls (a slider's row, the stepper's dropdown
# row, or a button), and the width its picture is drawn at (the SVG's width, before the page shrinks
# it to fit). A widget drawn by the kernel: the height of its first slider, dropdown or button.
LOOK = """(key) => {
  const bench = document.querySelector('.bench-' + key);
  const drawn = bench.querySelector('[data-widget]');
  const row = drawn ? drawn.querySelector('.bpc-slider, .bpc-choice, button')
                    : bench.querySelector('.widget-slider, .widget-dropdown, button');
  const picture = drawn ? drawn.querySelector('svg[role=img]') : null;
  return {drawnInPage: Boolean(drawn), presentation: drawn ? drawn.dataset.presentation : null,
          height: row.getBoundingClientRect().height, fontSize: parseFloat(getComputedStyle(row).fontSize),
          pictureWidth: picture ? picture.width.baseVal.value : null};
}"""
COURSE_CONTROLS = {"height": 28.0, "fontSize": 13.0}  # JupyterLab's widget defaults, which the page widgets copy
PRESENTATION = {"height": float(style.PRESENTATION_CONTROLS["control_height"].removesuffix("px")),
                "fontSize": float(style.PRESENTATION_CONTROLS["font_size"].removesuffix("px"))}


@pytest.mark.parametrize("name", NAMES)
def test_the_widgets_checked_on_the_projector_are_built_in_presentation_mode(page, name):
    """The check above would pass trivially if its widgets were the ordinary ones: presentation mode
    makes their controls 40 px tall rows (28 px otherwise). A page widget also says it was built in
    presentation mode (data-presentation), writes its controls in 20 px type (13 px otherwise) and
    draws its picture 1.25 times as wide."""
    ordinary, big = page.evaluate(LOOK, name), page.evaluate(LOOK, f"p_{name}")
    assert ordinary["drawnInPage"] == big["drawnInPage"] == bench_browser.is_page(name), (ordinary, big)
    assert big["height"] > ordinary["height"], (ordinary, big)
    if bench_browser.is_page(name):
        assert (ordinary["presentation"], big["presentation"]) == ("false", "true")
        assert {k: ordinary[k] for k in COURSE_CONTROLS} == COURSE_CONTROLS, ordinary
        assert {k: big[k] for k in PRESENTATION} == PRESENTATION, big
        wider = ordinary["pictureWidth"] * style.PRESENTATION_FIGURE_SCALE
        assert abs(big["pictureWidth"] - wider) <= 1, (ordinary, big)  # the SVG's width is a whole number of pixels


@pytest.mark.parametrize("presentation", [False, True], ids=["1366x768", "1280x720"])
def test_a_widget_taller_than_the_screen_does_not_fit(page, presentation):
    box, text, ok = fit(page, "too_tall", presentation)
    assert not ok
    assert "too tall" in text and "too wide" not in text, text
    assert box["firstControl"] and box["picturesInside"] == 0, text  # scrolled to its slider, its picture runs off


@pytest.mark.parametrize("presentation", [False, True], ids=["1366x768", "1280x720"])
def test_a_picture_far_to_the_right_of_its_slider_is_not_on_screen_with_it(page, presentation):
    box, text, ok = fit(page, "too_wide", presentation)
    assert not ok
    assert "too wide" in text and "too tall" not in text, text
    assert box["firstControl"] and box["picturesInside"] == 0, text
