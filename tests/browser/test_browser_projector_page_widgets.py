"""Every widget drawn in the page, read from the back row (issue 24): measured in JupyterLab with chromium.

One JupyterLab, one page and one Run All of a scratch notebook that shows the six page widgets (the
course's default home), each built normally and built in presentation mode. Three screens:

- a learner's 1366x768 laptop with the file browser open, the widget built normally;
- a teacher's 1280x720 projector with the left sidebar closed (599 px of notebook in view), the widget
  built in presentation mode;
- the loss explorer's, the neuron explorer's and the playground's presentation-mode widgets on the
  1366x768 laptop with the file browser open (647 px in view) too.

Scrolled so that the widget's top meets the top of the notebook's visible area, at each screen:

- the whole widget (its root element, data-widget: controls, picture and every read-out) lies inside
  the visible area;
- no element inside it, nor the output area holding it, has more content than room where its overflow
  is not visible (scrollWidth > clientWidth or scrollHeight > clientHeight): nothing scrolls and nothing
  is cut off;
- in presentation mode every slider's track is at least 200 px long;
- on the projector every text of the picture (each <text> and each <tspan> with words of its own)
  is at least 16 px tall on screen: its box's height, after the page has shrunk the picture to fit, as
  getBoundingClientRect gives it for a text that is not turned (a text written along a slanted line is
  measured in its own direction: getBBox's height times the screen's scale).

And the weight explorer's η slider steps through round values on ArrowRight and ArrowLeft (the same
helpers.widgets.weights.ETA_KEYS Python holds, 0.01 to 5 in 40 presses), Python keeping exactly the
value shown. Two checks show the measures can fail: the ordinary weight explorer's picture text on the
projector is below 16 px, and its picture squeezed into a narrow box scrolls.
"""

import time
from pathlib import Path

import nbformat
import pytest

import bench_browser
from helpers.widgets import weights as weights_module
from lab_server import ROOT, LabServer

pytestmark = pytest.mark.browser

NAMES = ["weight_explorer", "loss_explorer", "neuron_explorer", "gradient_descent_playground",
         "chain_rule_nudger", "backward_stepper"]
# (key, presentation screen?): the normal widget on the laptop, the presentation one on the projector and
# on the laptop.
# The widgets whose presentation-mode layout must also fit the laptop (goal 2 of this part of issue 24):
# the weight explorer and the chain-rule nudger place their presentation layout for the projector alone.
ALSO_ON_THE_LAPTOP = ["loss_explorer", "neuron_explorer", "gradient_descent_playground"]
CASES = [(name, False, False) for name in NAMES] + [(name, True, True) for name in NAMES] + \
        [(name, True, False) for name in ALSO_ON_THE_LAPTOP]
IDS = [f"{name}-{'presentation' if p else 'normal'}-{'1280x720' if s else '1366x768'}" for name, p, s in CASES]
SHORTEST_TRACK = 200  # px: a slider's track in presentation mode
GOAL_PX = 16          # px: text in a widget's picture on screen in presentation mode
SLIDERS = {"weight_explorer": 5, "loss_explorer": 2, "neuron_explorer": 3, "gradient_descent_playground": 4,
           "chain_rule_nudger": 2, "backward_stepper": 0}

SETUP = "from helpers import style\nfrom helpers import widgets as course_widgets\nBENCH = {}"


def cells():
    out = [SETUP]
    for name in NAMES:
        out.append(f'BENCH["{name}"] = course_widgets.{name}()\nBENCH["{name}"].add_class("bench-{name}")\n'
                   f'BENCH["{name}"]')
    for name in NAMES:
        out.append(f'style.presentation_mode()\nBENCH["p_{name}"] = course_widgets.{name}()\n'
                   f'style.presentation_mode(False)\nBENCH["p_{name}"].add_class("bench-p_{name}")\nBENCH["p_{name}"]')
    return out


@pytest.fixture(scope="module")
def lab_page(browser, tmp_path_factory):
    """The scratch notebook open in JupyterLab, every cell run once, and a client to the kernel."""
    folder = tmp_path_factory.mktemp("projector_page")
    lab = LabServer(folder).start()
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells()])
        course = nbformat.read(ROOT / "notebooks" / "04_backprop_by_hand.ipynb", as_version=4)
        nb.metadata["kernelspec"] = course.metadata["kernelspec"]
        nbformat.write(nb, Path(folder) / "notebooks" / bench_browser.NOTEBOOK)
        context = browser.new_context(viewport=bench_browser.SCREENS[False])
        page = context.new_page()
        page.set_default_timeout(60_000)
        bench_browser.open_notebook(page, lab)
        bench_browser.run_all(page, 2 * len(NAMES), timeout=180_000)
        for name in NAMES:
            for key in (name, f"p_{name}"):
                page.locator(f".bench-{key} [data-widget] svg[role=img]").first.wait_for()
        client = bench_browser.kernel_client(lab)
        yield page, client
        client.stop_channels()
        shut_down_kernels(page)
        context.close()
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def page(lab_page):
    return lab_page[0]


def shut_down_kernels(page):
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        for (const k of await (await fetch('/api/kernels')).json()) {
            await fetch('/api/kernels/' + k.id, {method: 'DELETE', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
        }
    }""")


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
    const cls = el.getAttribute && el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + cls + name;
  };
  const scrolling = [];
  const around = [];
  for (let el = root.parentElement; el && !el.classList.contains('jp-Cell'); el = el.parentElement) around.push(el);
  for (const el of [root, ...root.querySelectorAll('*'), ...around]) {
    if (el instanceof SVGElement && !(el instanceof SVGSVGElement)) continue;
    const style = getComputedStyle(el);
    const wide = style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth;
    const tall = style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight;
    if (wide || tall) {
      scrolling.push(`${describe(el)}: content ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}` +
                     ` (overflow ${style.overflowX} ${style.overflowY})`);
    }
  }
  const tracks = [...root.querySelectorAll('input[type=range]')].map((i) => [i.dataset.name, i.getBoundingClientRect().width]);
  // Every text of the pictures with words of its own, as tall as it is on screen.
  const shown = (el) => !el.closest('[display="none"]') && getComputedStyle(el).visibility !== 'hidden'
                        && getComputedStyle(el).display !== 'none' && Number(getComputedStyle(el).opacity) > 0;
  const texts = [];
  for (const svg of root.querySelectorAll('svg')) {
    for (const el of svg.querySelectorAll('text, tspan')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
      if (!own || !shown(el)) continue;
      const m = el.getScreenCTM();
      const scale = Math.sqrt(m.a * m.a + m.b * m.b);
      const turned = Math.abs(m.b) > 1e-6;
      const height = turned ? el.getBBox().height * scale : el.getBoundingClientRect().height;
      if (height === 0) continue;
      texts.push({text: own, tag: el.tagName, height, turned});
    }
  }
  return {top: r.top - v.top, bottom: r.bottom - v.top, left: r.left - v.left, right: r.right - v.left,
          width: r.width, height: r.height, areaWidth: v.right - v.left, areaHeight: v.bottom - v.top,
          presentation: root.dataset.presentation, scrolling, tracks, texts};
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


def small_texts(box):
    return sorted((round(t["height"], 1), t["text"]) for t in box["texts"] if t["height"] < GOAL_PX)


def summary(key, screen, box):
    smallest = min((t["height"] for t in box["texts"]), default=float("nan"))
    return (f"{key} at {screen}: {box['width']:.0f}x{box['height']:.0f} px in {box['areaWidth']:.0f}x"
            f"{box['areaHeight']:.0f}; tracks {[(n, round(w)) for n, w in box['tracks']]}; "
            f"smallest picture text {smallest:.1f} px")


@pytest.fixture(scope="module")
def measured(page):
    """{(name, presentation, projector): the measure}, each screen shown once."""
    seen = {}
    for projector in (False, True):
        bench_browser.show_screen(page, projector)
        for name, presentation, screen in CASES:
            if screen == projector:
                key = f"p_{name}" if presentation else name
                seen[(name, presentation, screen)] = box = measure(page, key)
                print("\n" + summary(key, "1280x720" if screen else "1366x768", box), end="")
    print()
    return seen


@pytest.mark.parametrize(("name", "presentation", "projector"), CASES, ids=IDS)
def test_the_whole_widget_is_on_screen_and_nothing_in_it_scrolls(measured, name, presentation, projector):
    box = measured[(name, presentation, projector)]
    assert box["presentation"] == str(presentation).lower()
    screen = "1280x720" if projector else "1366x768"
    key = f"p_{name}" if presentation else name
    assert problems(box) == [], f"{summary(key, screen, box)}: {problems(box)}"


@pytest.mark.parametrize(("name", "projector"), [(name, True) for name in NAMES] + [(name, False) for name in ALSO_ON_THE_LAPTOP],
                         ids=[f"{name}-1280x720" for name in NAMES] + [f"{name}-1366x768" for name in ALSO_ON_THE_LAPTOP])
def test_every_slider_track_is_at_least_200_px_in_presentation_mode(measured, name, projector):
    box = measured[(name, True, projector)]
    assert len(box["tracks"]) == SLIDERS[name]
    short = [(n, round(w)) for n, w in box["tracks"] if w < SHORTEST_TRACK]
    assert short == [], f"p_{name}: tracks shorter than {SHORTEST_TRACK} px: {short}"


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_text_is_at_least_16_px_tall_on_the_projector(measured, name):
    box = measured[(name, True, True)]
    assert len(box["texts"]) >= 5, box["texts"]
    assert small_texts(box) == [], f"p_{name}: picture texts under {GOAL_PX} px on screen (px, text): {small_texts(box)}"


def test_the_text_measure_finds_the_ordinary_picture_too_small_for_the_room(measured):
    """The playground built normally keeps the kernel figure's type (its loss axis's exponents in 7.7 pt,
    about 11 px tall on the laptop): the check above must call that too small."""
    small = small_texts(measured[("gradient_descent_playground", False, False)])
    assert small and small[0][0] < 12, small


def test_the_scroll_measure_finds_a_picture_squeezed_into_a_narrow_box(page):
    bench_browser.show_screen(page, True)
    holder = page.locator(".bench-p_loss_explorer [data-widget] svg[role=img]").first
    holder.evaluate("(svg) => { const p = svg.parentElement; p.dataset.width = p.style.width;"
                    " p.style.width = '200px'; p.style.overflow = 'auto'; svg.style.maxWidth = 'none'; }")
    try:
        assert any("scrolls" in p for p in problems(measure(page, "p_loss_explorer")))
    finally:
        holder.evaluate("(svg) => { const p = svg.parentElement; p.style.width = p.dataset.width;"
                        " p.style.overflow = ''; svg.style.maxWidth = '100%'; }")
    assert problems(measure(page, "p_loss_explorer")) == []


# ---- the weight explorer's η by keys ----

def kernel_eta(client, key, want, tries=150):
    """BENCH[key].eta as Python holds it, once it is `want` (or after about 15 s, whatever it is)."""
    got = None
    for _ in range(tries):
        got = bench_browser._kernel_json(client, f'import json; print(json.dumps(BENCH["{key}"].eta))')
        if got == want:
            break
        time.sleep(0.1)
    return got


@pytest.mark.parametrize("key", ["weight_explorer", "p_weight_explorer"])
def test_the_weight_explorers_eta_steps_through_round_values_by_keys(lab_page, key):
    """Home, then ArrowRight from 0.01 to 5: every press goes to the next of weights.ETA_KEYS, shown as
    written (0.012, 0.015, ... 0.5, ... 5) and held by Python exactly; ArrowLeft walks back to 0.5."""
    page, client = lab_page
    bench_browser.show_screen(page, key.startswith("p_"))
    root = page.locator(f".bench-{key} [data-widget]")
    slider = root.locator('input[type=range][data-name="eta"]')
    output = slider.locator("xpath=following-sibling::output")
    keys = list(weights_module.ETA_KEYS)
    assert len(keys) - 1 <= 45 and keys[0] == 0.01 and keys[-1] == 5.0 and 0.5 in keys
    slider.focus()
    slider.press("Home")
    assert float(root.get_attribute("data-eta")) == keys[0]
    seen = []
    for _ in range(len(keys) - 1):
        slider.press("ArrowRight")
        seen.append((float(root.get_attribute("data-eta")), output.inner_text()))
    assert [v for v, _ in seen] == keys[1:], seen
    assert [text for _, text in seen] == [f"{v:g}" for v in keys[1:]], seen
    assert kernel_eta(client, key, 5.0) == 5.0
    slider.press("ArrowRight")  # at the end it stays
    assert float(root.get_attribute("data-eta")) == 5.0
    for _ in range(len(keys) - 1 - keys.index(0.5)):
        slider.press("ArrowLeft")
    assert float(root.get_attribute("data-eta")) == 0.5 and output.inner_text() == "0.5"
    assert kernel_eta(client, key, 0.5) == 0.5
    next_line = root.locator('.bpc-readout[data-name="next_y_hat"]').inner_text()
    assert "η = 0.5:" in next_line, next_line
