"""The widgets that still draw in the kernel (the depth explorer, the bug explorer, the training dashboard
and the histogram explorer) on the projector and on a laptop (issue 24): built in presentation mode on a
1280x720 projector with JupyterLab's left sidebar closed (599 px of notebook in view), and built normally at
1366x768 with the file browser shown.

One JupyterLab, one page and one Run All of a scratch notebook that shows these widgets built
normally and built in presentation mode. For each widget at its screen, scrolled so that the widget's
top meets the top of the notebook's visible area:

- the whole widget (controls, picture and every label) lies inside the visible area;
- no element inside it, nor the output area holding it, has more content than room (scrollWidth >
  clientWidth or scrollHeight > clientHeight) where its overflow is not visible: no scrollbar under the
  picture, nothing cut off;
- in presentation mode every slider's track is at least 200 px long;
- in presentation mode the smallest text in the picture is at least 16 px tall on screen: the smallest
  font the figure is drawn with (in pixels of the PNG), times the width the page shows the picture at
  over the PNG's own width.
"""

from pathlib import Path

import nbformat
import pytest
from matplotlib.text import Text

import bench_browser
from helpers import style
from helpers import widgets as course_widgets
from lab_server import ROOT, LabServer

pytestmark = pytest.mark.browser

NAMES = ["depth_explorer", "bug_explorer", "training_dashboard", "histogram_explorer"]
SCREENS = {False: "1366x768", True: "1280x720"}
SHORTEST_TRACK = 200  # px: a slider's track in presentation mode, long enough to move by hand in front of a room
# the bug explorer has a dropdown; the histogram explorer two dropdowns beside its two sliders
SLIDERS = {"depth_explorer": 2, "bug_explorer": 0, "training_dashboard": 3, "histogram_explorer": 2}
SMALLEST_TEXT = 16  # px: the smallest text in a picture on the projector, readable from the back row

SETUP = "from helpers import style\nfrom helpers import widgets as course_widgets\nBENCH = {}"


def cells():
    """The setup, each widget built normally, then each built in presentation mode (class bench-KEY)."""
    out = [SETUP]
    for name in NAMES:
        out.append(f'BENCH["{name}"] = course_widgets.{name}()\nBENCH["{name}"].add_class("bench-{name}")\n'
                   f'BENCH["{name}"]')
    for name in NAMES:
        out.append(f'style.presentation_mode()\nBENCH["p_{name}"] = course_widgets.{name}()\n'
                   f'style.presentation_mode(False)\nBENCH["p_{name}"].add_class("bench-p_{name}")\nBENCH["p_{name}"]')
    return out


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    """The scratch notebook open in JupyterLab, every cell run once, for the whole module."""
    folder = tmp_path_factory.mktemp("projector_kernel")
    lab = LabServer(folder).start()
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells()])
        course = nbformat.read(ROOT / "notebooks" / "04_backprop_by_hand.ipynb", as_version=4)
        nb.metadata["kernelspec"] = course.metadata["kernelspec"]  # the course's own, so JupyterLab starts it unasked
        nbformat.write(nb, Path(folder) / "notebooks" / bench_browser.NOTEBOOK)
        context = browser.new_context(viewport=bench_browser.SCREENS[False])
        page = context.new_page()
        page.set_default_timeout(60_000)
        bench_browser.open_notebook(page, lab)
        bench_browser.run_all(page, 2 * len(NAMES), timeout=240_000)
        for name in NAMES:
            for key in (name, f"p_{name}"):
                page.locator(f".bench-{key} img").first.wait_for()
        yield page
        shut_down_kernels(page)
        context.close()
    finally:
        lab.stop()


def shut_down_kernels(page):
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        for (const k of await (await fetch('/api/kernels')).json()) {
            await fetch('/api/kernels/' + k.id, {method: 'DELETE', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
        }
    }""")


# Scroll the notebook until the widget (the element with class bench-KEY: the widget's own box) meets
# the top of its visible area, then measure: its box against that area, every element inside it (and
# the output area around it) whose content is larger than its box while its overflow is not visible,
# every slider's track and every picture's shown and drawn widths.
MEASURE = r'''async (key) => {
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const root = document.querySelector('.bench-' + key);
  const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  root.scrollIntoView();
  await frames();
  const visible = () => {
    const r = outer.getBoundingClientRect();
    const top = r.top + outer.clientTop, left = r.left + outer.clientLeft;
    return {top, left, bottom: top + outer.clientHeight, right: left + outer.clientWidth};
  };
  outer.scrollTop += root.getBoundingClientRect().top - visible().top;
  await frames();
  const v = visible(), r = root.getBoundingClientRect();
  const describe = (el) => {
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + cls;
  };
  const scrolling = [];
  const around = [];
  for (let el = root.parentElement; el && !el.classList.contains('jp-Cell'); el = el.parentElement) around.push(el);
  for (const el of [root, ...root.querySelectorAll('*'), ...around]) {
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;  // not shown (display: none)
    const style = getComputedStyle(el);
    const wide = style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth;
    const tall = style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight;
    if (wide || tall) {
      scrolling.push(`${describe(el)}: content ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}` +
                     ` (overflow ${style.overflowX} ${style.overflowY})`);
    }
  }
  const tracks = [...root.querySelectorAll('.widget-slider, .jupyter-widget-slider')].map((s) => {
    const label = s.querySelector('.widget-label, .jupyter-widget-label');
    const track = s.querySelector('.noUi-target, .slider');
    return [label ? label.textContent : '', track ? track.getBoundingClientRect().width : 0];
  });
  const pictures = [...root.querySelectorAll('img')].map((i) => ({natural: i.naturalWidth,
                                                                   shown: i.getBoundingClientRect().width}));
  return {top: r.top - v.top, bottom: r.bottom - v.top, left: r.left - v.left, right: r.right - v.left,
          width: r.width, height: r.height, areaWidth: v.right - v.left, areaHeight: v.bottom - v.top,
          scrolling, tracks, pictures};
}'''


def measure(page, key):
    page.locator(f".bench-{key}").scroll_into_view_if_needed()
    return page.evaluate(MEASURE, key)


def problems(box):
    """What keeps the widget from being wholly on screen with nothing scrolling inside it: [] when it is."""
    found = []
    if box["bottom"] > box["areaHeight"] + 0.5:
        found.append(f"{box['bottom'] - box['areaHeight']:.0f} px below the visible area")
    if box["right"] > box["areaWidth"] + 0.5 or box["left"] < -0.5:
        found.append(f"{box['right'] - box['areaWidth']:.0f} px wider than the visible area")
    if abs(box["top"]) > 0.5:
        found.append(f"its top is {box['top']:.0f} px from the visible area's top")
    found += [f"scrolls or is cut off: {s}" for s in box["scrolling"]]
    return found


def short_tracks(box):
    """The sliders whose track is shorter than SHORTEST_TRACK: [(name, px)]."""
    return [(n, round(w)) for n, w in box["tracks"] if w < SHORTEST_TRACK]


def summary(key, screen, box):
    return (f"{key} at {screen}: {box['width']:.0f}x{box['height']:.0f} px in {box['areaWidth']:.0f}x"
            f"{box['areaHeight']:.0f}; tracks {[(n, round(w)) for n, w in box['tracks']]}; pictures "
            f"{[(p['natural'], round(p['shown'], 1)) for p in box['pictures']]}")


def smallest_font_px(widget):
    """The smallest text the widget's figure is drawn with, in pixels of its PNG: every visible text
    with words (titles, axis names, tick labels, legends, annotations)."""
    fig = widget.view.fig
    fig.canvas.draw()  # tick labels are made while drawing
    sizes = [t.get_fontsize() * fig.dpi / 72 for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_figure() is not None]
    return min(sizes)


@pytest.fixture(scope="module")
def drawn_fonts():
    """name -> the smallest font (px of the PNG) of the widget built in presentation mode, built here
    with the same code the notebook's kernel runs."""
    style.presentation_mode()
    try:
        return {name: smallest_font_px(getattr(course_widgets, name)()) for name in NAMES}
    finally:
        style.presentation_mode(False)


@pytest.mark.parametrize("presentation", [False, True], ids=["normal-1366x768", "presentation-1280x720"])
@pytest.mark.parametrize("name", NAMES)
def test_the_whole_widget_is_on_screen_and_nothing_in_it_scrolls(page, name, presentation):
    bench_browser.show_screen(page, presentation)
    key = f"p_{name}" if presentation else name
    screen = SCREENS[presentation]
    box = measure(page, key)
    print("\n" + summary(key, screen, box))
    assert box["pictures"], f"{key}: no picture found"
    assert problems(box) == [], f"{summary(key, screen, box)}: {problems(box)}"
    if presentation:
        assert len(box["tracks"]) == SLIDERS[name] and short_tracks(box) == [], summary(key, screen, box)


@pytest.mark.parametrize("name", NAMES)
def test_text_in_the_picture_is_at_least_16_px_tall_on_the_projector(page, drawn_fonts, name):
    bench_browser.show_screen(page, True)
    box = measure(page, f"p_{name}")
    picture = box["pictures"][-1]
    on_screen = drawn_fonts[name] * picture["shown"] / picture["natural"]
    print(f"\n{name}: smallest text {drawn_fonts[name]:.1f} px drawn, {on_screen:.1f} px on screen "
          f"(picture {picture['natural']} px shown at {picture['shown']:.1f})")
    assert on_screen >= SMALLEST_TEXT, (name, drawn_fonts[name], picture)


def test_the_measures_can_fail():
    """A widget 30 px below the area, a scrollbar inside and a 105 px track are each found."""
    box = {"top": 0, "bottom": 750, "left": 0, "right": 599, "areaHeight": 720, "areaWidth": 599,
           "scrolling": ["div.widget-image: content 1089x400 in 1085x400 (overflow auto auto)"],
           "tracks": [["η (eta)", 105.0], ["epochs", 260.0]]}
    assert problems(box) == ["30 px below the visible area", "scrolls or is cut off: " + box["scrolling"][0]]
    assert short_tracks(box) == [("η (eta)", 105)]
