"""The weight explorer and the chain-rule nudger show every read-out together with their controls and
picture (issue 24): built in presentation mode on a 1280x720 projector with JupyterLab's left sidebar
closed (599 px of notebook in view), and built normally at 1366x768 with the file browser shown.

One JupyterLab, one page and one Run All of a scratch notebook that shows both widgets (home="page",
the course's default) built normally and built in presentation mode. For each widget at its screen,
scrolled so that the widget's top meets the top of the notebook's visible area:

- the whole widget (its root element, data-widget: controls, picture, every read-out and the status
  line) lies inside the visible area;
- no element inside it, nor the output area holding it, has more content than room (scrollWidth >
  clientWidth or scrollHeight > clientHeight) where its overflow is not visible: nothing scrolls and
  nothing is cut off;
- in presentation mode every slider's track is at least 200 px long.

Each is measured twice: as the widget opens, and with its longest words, which a teacher reaches in a
few moves (the weight explorer: weights 3, 3, −1, −1 and η = 5, then Step twice, which saturates both
hidden units and carries every weight off its slider, so the status line is at its longest; the
chain-rule nudger: x = −3 and the smallest nudge, where the numbers are written in e-notation). Two
checks show that the measure can fail: the ordinary weight explorer (631 px tall) on the projector,
and a status line squeezed into one line's height.
"""

from pathlib import Path

import nbformat
import pytest

import bench_browser
from lab_server import ROOT, LabServer

pytestmark = pytest.mark.browser

NAMES = ["weight_explorer", "chain_rule_nudger"]
SCREENS = {False: "1366x768", True: "1280x720"}
SHORTEST_TRACK = 200  # px: a slider's track in presentation mode, long enough to move by hand in front of a room

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
    folder = tmp_path_factory.mktemp("projector")
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
        bench_browser.run_all(page, 2 * len(NAMES), timeout=180_000)
        for name in NAMES:
            for key in (name, f"p_{name}"):
                page.locator(f".bench-{key} [data-widget] svg[role=img]").wait_for()
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


# Scroll the notebook until the widget's root meets the top of its visible area, then measure: the
# root's box against that area, every element inside the root (and the output area around it) whose
# content is larger than its box while its overflow is not visible, and every slider's track.
MEASURE = r'''async (key) => {
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const root = document.querySelector('.bench-' + key + ' [data-widget]');
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
    const name = el.dataset && el.dataset.name ? `[data-name=${el.dataset.name}]` : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + cls + name;
  };
  const scrolling = [];
  const around = [];
  for (let el = root.parentElement; el && !el.classList.contains('jp-Cell'); el = el.parentElement) around.push(el);
  for (const el of [root, ...root.querySelectorAll('*'), ...around]) {
    const style = getComputedStyle(el);
    const wide = style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth;
    const tall = style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight;
    if (wide || tall) {
      scrolling.push(`${describe(el)}: content ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}` +
                     ` (overflow ${style.overflowX} ${style.overflowY})`);
    }
  }
  const tracks = [...root.querySelectorAll('input[type=range]')].map((i) => [i.dataset.name, i.getBoundingClientRect().width]);
  return {top: r.top - v.top, bottom: r.bottom - v.top, left: r.left - v.left, right: r.right - v.left,
          width: r.width, height: r.height, areaWidth: v.right - v.left, areaHeight: v.bottom - v.top,
          presentation: root.dataset.presentation, scrolling, tracks,
          lines: [...root.querySelectorAll('.bpc-readout, .bpc-status')].map((e) => e.textContent)};
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
        found.append("wider than the visible area")
    if abs(box["top"]) > 0.5:
        found.append(f"its top is {box['top']:.0f} px from the visible area's top")
    found += [f"scrolls or is cut off: {s}" for s in box["scrolling"]]
    return found


def short_tracks(box):
    """The sliders whose track is shorter than SHORTEST_TRACK: [(name, px)]."""
    return [(n, round(w)) for n, w in box["tracks"] if w < SHORTEST_TRACK]


def summary(key, screen, box):
    return (f"{key} at {screen}: {box['width']:.0f}x{box['height']:.0f} px in {box['areaWidth']:.0f}x"
            f"{box['areaHeight']:.0f}; tracks {[(n, round(w)) for n, w in box['tracks']]}")


def set_slider(page, key, name, value):
    """Move a slider as a hand would: its value, an input event (the page redraws), a change event (the
    kernel hears)."""
    page.locator(f'.bench-{key} input[type=range][data-name="{name}"]').evaluate(
        """(input, value) => { input.value = String(value);
                               input.dispatchEvent(new Event('input', {bubbles: true}));
                               input.dispatchEvent(new Event('change', {bubbles: true})); }""", value)


def longest_words(page, key):
    """Put the widget where its read-outs and status are longest; return how to put it back."""
    root = page.locator(f".bench-{key} [data-widget]")
    if key.endswith("weight_explorer"):
        for name, value in {"w1": 3, "w2": 3, "w3": -1, "w4": -1, "eta": 0.69897}.items():  # η = 10^0.69897 = 5
            set_slider(page, key, name, value)
        root.get_by_role("button", name="Step").click()
        root.get_by_role("button", name="Step").click()
        status = root.locator(".bpc-status")
        assert status.inner_text().startswith("Stuck:") and "Off the sliders" in status.inner_text(), status.inner_text()
        return lambda: root.get_by_role("button", name="Reset").click()
    start = {name: page.locator(f'.bench-{key} input[type=range][data-name="{name}"]').input_value()
             for name in ("x", "nudge")}
    set_slider(page, key, "x", -3)
    set_slider(page, key, "nudge", -6)
    assert "Δx = 1.0e-06" in root.locator('.bpc-readout[data-name="measured"]').inner_text()

    def back():
        for name, value in start.items():
            set_slider(page, key, name, value)
    return back


@pytest.mark.parametrize("presentation", [False, True], ids=["normal-1366x768", "presentation-1280x720"])
@pytest.mark.parametrize("name", NAMES)
def test_the_whole_widget_is_on_screen_and_nothing_in_it_scrolls(page, name, presentation):
    bench_browser.show_screen(page, presentation)
    key = f"p_{name}" if presentation else name
    screen = SCREENS[presentation]
    opened = measure(page, key)
    assert opened["presentation"] == str(presentation).lower()
    print("\n" + summary(key, screen, opened))
    assert problems(opened) == [], f"{summary(key, screen, opened)}: {problems(opened)}; read-outs {opened['lines']}"

    put_back = longest_words(page, key)
    try:
        longest = measure(page, key)
        print(summary(key, screen, longest) + " (longest words)")
        assert problems(longest) == [], (f"{summary(key, screen, longest)} with its longest words: "
                                         f"{problems(longest)}; read-outs {longest['lines']}")
        if presentation:
            assert short_tracks(longest) == [], f"{summary(key, screen, longest)} with its longest words"
    finally:
        put_back()


@pytest.mark.parametrize("name", NAMES)
def test_every_slider_track_is_at_least_200_px_in_presentation_mode(page, name):
    bench_browser.show_screen(page, True)
    box = measure(page, f"p_{name}")
    assert box["presentation"] == "true"
    assert len(box["tracks"]) == {"weight_explorer": 5, "chain_rule_nudger": 2}[name]
    assert short_tracks(box) == [], f"{summary(f'p_{name}', SCREENS[True], box)}: tracks shorter than {SHORTEST_TRACK} px"


def test_the_measure_finds_a_widget_too_tall_and_a_read_out_cut_off(page):
    """The ordinary weight explorer (its controls above its picture) is taller than the projector's 599 px,
    and a status line squeezed to one line's height cuts its words off: the checks above must say so."""
    bench_browser.show_screen(page, True)
    box = measure(page, "weight_explorer")
    assert box["height"] > box["areaHeight"] and any("below the visible area" in p for p in problems(box)), box

    key = "p_weight_explorer"
    put_back = longest_words(page, key)
    status = page.locator(f".bench-{key} .bpc-status")
    try:
        status.evaluate("(s) => { s.style.height = '1em'; }")
        box = measure(page, key)
        assert any("bpc-status" in p for p in problems(box)), problems(box)
    finally:
        status.evaluate("(s) => { s.style.height = ''; }")
        put_back()
    assert problems(measure(page, key)) == []
