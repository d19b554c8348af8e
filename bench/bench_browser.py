"""How fast the widgets feel in a real browser: key press to new picture on screen, for `make bench`.

JupyterLab from the project's environment on 127.0.0.1 (tests/lab_server.py, token off there only)
and Debian's chromium through Playwright. In one run and one page:

- the floor: a bare ipywidgets slider whose move rewrites a label through the kernel;
- every widget the course displays, and for the six page widgets (drawn in the page, home="page",
  the course's default) their kernel versions too (home="kernel", key k_NAME), in the same run: a key press on one of its controls (ArrowRight/ArrowLeft on a
  focused slider, Enter on the stepper's Step/Back; a dropdown's next option is chosen from the page,
  as chromium opens a closed list on a key press) until the new picture is decoded and painted (the
  next animation frame after the <img> src changed and decoded, or after the page widget's SVG
  changed), timed with performance.now() in the page from the key event's own time stamp;
- a fast drag across a slider: how many pictures were shown and how long after the mouse was released
  the last one landed, and whether the last picture is the one for the slider's final value (the
  page's picture, the kernel's last picture and a fresh drawing at the kernel's slider value must be
  the same bytes, and the kernel's slider value must match the readout on screen; a page widget's
  read-out must match the value Python holds once the drag ends);
- whether each widget's controls and picture fit in the notebook's visible area together at 1366x768
  (JupyterLab as it opens, file browser shown), and, built in presentation mode, at 1280x720 with the
  left sidebar closed, as the teacher's guide advises: scrolled to the widget, its controls and
  pictures are no taller and no wider than that area, and its first control and picture are on
  screen at once (measure_fit, fit_verdict; tests/browser/test_browser_layout.py asserts the same);
- the widgets that still draw in the kernel, built in presentation mode, timed again on the projector's
  screen (key press to picture, and a fast drag; their read-out must match the value Python holds).

Nothing is asserted here: `run()` returns rows for bench/bench.py's table. `python bench/bench_browser.py
--quick` makes 2 moves per widget (add `--presentation` to check presentation mode too);
`--only=name,name` measures only those widgets.
"""

import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # lab_server, kernel_widgets
from lab_server import ROOT, LabServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NOTEBOOK = "bench_browser.ipynb"
MOVE_TIMEOUT_MS = 5000
QUIET_MS = 80  # pause between moves, so one move's traffic is over before the next starts

# widget -> (kind of control, its description or buttons); a widget not listed uses its first slider.
CONTROLS = {
    "floor": ("slider", "floor"),
    "weight_explorer": ("slider", "w1"),
    "neuron_explorer": ("slider", "weight w"),
    "loss_explorer": ("slider", "prediction ŷ"),
    "chain_rule_nudger": ("slider", "x"),
    "gradient_descent_playground": ("slider", "start w3"),
    "depth_explorer": ("slider", "hidden layers"),
    "training_dashboard": ("slider", "hidden units"),
    "bug_explorer": ("dropdown", "planted bug"),
    "backward_stepper": ("buttons", ("Step", "Back")),
    "histogram_explorer": ("slider", "weight scale"),
}
# A page widget's control: its slider's data-name (an <input type=range>) or its buttons' aria-labels.
PAGE_CONTROLS = {
    "weight_explorer": ("range", "w1"),
    "neuron_explorer": ("range", "w"),
    "loss_explorer": ("range", "y_hat"),
    "chain_rule_nudger": ("range", "x"),
    "gradient_descent_playground": ("range", "w3"),
    "backward_stepper": ("buttons", ("Step", "Back")),
}
# What Python holds for that slider once a move ends, read as BENCH[key].<this>.
PAGE_VALUES = {
    "weight_explorer": "weights['w1']",
    "neuron_explorer": "w",
    "loss_explorer": "y_hat",
    "chain_rule_nudger": "x",
    "gradient_descent_playground": "start['w3']",
}
KEYS = {"slider": ("ArrowRight", "ArrowLeft"), "range": ("ArrowRight", "ArrowLeft"), "dropdown": ("ArrowDown", "ArrowUp"),
        "buttons": ("Enter", "Enter")}
PAGE_GOAL_RATIO = 1.0  # a page widget answers before any kernel round trip could: no slower than the floor
PAGE_SETTLE_MS = 17  # one frame at 60 Hz
KERNEL_SETTLE_MS = 100

SETUP = '''\
import hashlib, json
import ipywidgets as widgets
from helpers import style
from helpers import widgets as course_widgets

BENCH = {}


def _bench_controls(widget):
    stack = [widget]
    while stack:
        w = stack.pop(0)
        yield w
        stack.extend(getattr(w, "children", ()))


def _bench_state(key, description):
    """The kernel's side of a widget: its control's value, and hashes of its last and a fresh picture."""
    w = BENCH[key]
    control = next(c for c in _bench_controls(w) if getattr(c, "description", None) == description)
    view = getattr(w, "view", None)
    state = {"value": control.value}
    if view is not None:
        state["shown"] = hashlib.sha256(view.image.value).hexdigest()
        state["fresh"] = hashlib.sha256(view.png()).hexdigest()
    print(json.dumps(state))


def _bench_page_state(key, value):
    """The kernel's side of a page widget: the value Python holds for its slider."""
    print(json.dumps({"value": eval(f"BENCH[key].{value}")}))
'''

FLOOR = '''\
floor_slider = widgets.IntSlider(value=50, min=0, max=100, description="floor")
floor_label = widgets.Label("value 50")


def _floor_moved(change):
    floor_label.value = f"value {change['new']}"


floor_slider.observe(_floor_moved, "value")
BENCH["floor"] = widgets.VBox([floor_slider, floor_label])
BENCH["floor"].add_class("bench-floor")
BENCH["floor"]
'''

# Installed once in the page: a MutationObserver per armed widget, and the key and mouse times.
HARNESS = r'''() => {
  const isLabel = (el) => el && el.closest && el.closest('.widget-label, .widget-html-content, .jupyter-widget-label')
                          && !el.closest('.widget-slider, .widget-readout, .widget-inline-hbox > .widget-label');
  window.__bench = {
    state: null, observer: null,
    arm(key) {
      const root = document.querySelector('.bench-' + key);
      const st = this.state = {t0: null, tUp: null, firstPicture: null, lastPicture: null, pictures: 0,
                               firstLabel: null, lastLabel: null, labels: 0};
      if (this.observer) this.observer.disconnect();
      let drawing = false;  // a page widget's picture: one frame counted however many SVG nodes changed
      const drawn = () => {
        if (drawing) return;
        drawing = true;
        requestAnimationFrame(() => {
          drawing = false;
          const t = performance.now();
          st.pictures += 1; st.lastPicture = t;
          if (st.firstPicture === null) st.firstPicture = t;
        });
      };
      const isSvg = (node) => node && node.nodeName && node.nodeName.toLowerCase() === 'svg';
      this.observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target.nodeType === 3 ? r.target.parentElement : r.target;
          if (r.type === 'attributes' && el.tagName === 'IMG') {
            if (r.attributeName !== 'src') continue;
            el.decode().then(() => requestAnimationFrame(() => {
              const t = performance.now();
              st.pictures += 1; st.lastPicture = t;
              if (st.firstPicture === null) st.firstPicture = t;
            }), () => {});  // replaced before it was decoded: never shown
          } else if ((el.closest && el.closest('svg')) || [...r.addedNodes].some(isSvg)) {
            drawn();
          } else if (r.type === 'attributes') {
            continue;  // a control's own state (focus, aria), not something drawn
          } else if (isLabel(el)) {
            requestAnimationFrame(() => {
              const t = performance.now();
              st.labels += 1; st.lastLabel = t;
              if (st.firstLabel === null) st.firstLabel = t;
            });
          }
        }
      });
      this.observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    },
  };
  document.addEventListener('keydown', (e) => {
    const st = window.__bench.state; if (st && st.t0 === null) st.t0 = e.timeStamp; }, true);
  document.addEventListener('mouseup', (e) => { const st = window.__bench.state; if (st) st.tUp = e.timeStamp; }, true);
}'''

PICTURE_HASH = '''async (key) => {
  const img = document.querySelector('.bench-' + key + ' img');
  const buffer = await (await fetch(img.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}'''

PICTURE_SIZE = '''async (key) => {
  const img = document.querySelector('.bench-' + key + ' img');
  if (!img || !img.src) return null;
  const blob = await (await fetch(img.src)).blob();
  return {bytes: blob.size, width: img.naturalWidth, height: img.naturalHeight};
}'''

# What a widget is made of, for layout: its controls (in page order) and its pictures.
CONTROL_SELECTOR = ".widget-slider, .widget-dropdown, .widget-toggle-buttons, button, input[type=range], select"
PICTURE_SELECTOR = "img, svg"

# Where a widget's controls and pictures sit once a learner has scrolled the notebook so that the
# first of them meets the top of the notebook's visible area (its scrolling panel, without scroll bars).
FITS = '''async ([key, controlSelector, pictureSelector]) => {
  const root = document.querySelector('.bench-' + key);
  if (!root) return null;
  // Every picture decoded and laid out first: one still loading would measure too small.
  await Promise.all([...root.querySelectorAll(pictureSelector)].map((img) => img.decode ? img.decode().catch(() => null) : null));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')
                || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const controls = [...root.querySelectorAll(controlSelector)].filter(shown);
  const pictures = [...root.querySelectorAll(pictureSelector)].filter(shown);
  const parts = [...controls, ...pictures];
  if (!parts.length) return {parts: 0};
  const span = () => {
    const rs = parts.map((el) => el.getBoundingClientRect());
    return {top: Math.min(...rs.map((r) => r.top)), bottom: Math.max(...rs.map((r) => r.bottom)),
            left: Math.min(...rs.map((r) => r.left)), right: Math.max(...rs.map((r) => r.right))};
  };
  const visible = () => {
    const r = outer.getBoundingClientRect();
    const top = r.top + outer.clientTop, left = r.left + outer.clientLeft;
    return {top, left, bottom: top + outer.clientHeight, right: left + outer.clientWidth};
  };
  outer.scrollTop += span().top - visible().top;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const s = span(), v = visible();
  const inside = (el) => { const r = el.getBoundingClientRect();
    return r.top >= v.top - 0.5 && r.bottom <= v.bottom + 0.5 && r.left >= v.left - 0.5 && r.right <= v.right + 0.5; };
  return {parts: parts.length, height: s.bottom - s.top, width: s.right - s.left,
          areaHeight: v.bottom - v.top, areaWidth: v.right - v.left,
          firstControl: controls.length ? inside(controls[0]) : null,
          pictures: pictures.length, picturesInside: pictures.filter(inside).length,
          outside: parts.filter((el) => !inside(el)).length};
}'''


def widget_names():
    from helpers import widgets as course_widgets

    return list(course_widgets.__all__)


def page_names():
    """The widgets drawn in the page by default, whose kernel versions are measured beside them."""
    return list(PAGE_CONTROLS)


def keys_for(names):
    """Every widget in `names`, then the kernel version (k_NAME) of each page widget among them."""
    return [*names, *(f"k_{n}" for n in names if n in PAGE_CONTROLS)]


def base_name(key):
    return key.removeprefix("p_").removeprefix("k_")


def is_page(key):
    return base_name(key) in PAGE_CONTROLS and not key.startswith("k_")


def write_notebook(folder, names, presentation, extra=()):
    """The scratch notebook: the floor, then every widget in `names` (class bench-NAME), the kernel
    version of each page widget among them (bench-k_NAME), then, with
    `presentation`, each built again in presentation mode (bench-p_NAME), then the cells in `extra`."""
    cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(FLOOR)]
    for name in names:
        cells.append(nbformat.v4.new_code_cell(
            f'BENCH["{name}"] = course_widgets.{name}()\nBENCH["{name}"].add_class("bench-{name}")\nBENCH["{name}"]'))
    for name in names:
        if name in PAGE_CONTROLS:  # the kernel version, for comparison
            cells.append(nbformat.v4.new_code_cell(
                f'BENCH["k_{name}"] = course_widgets.{name}(home="kernel")\nBENCH["k_{name}"].add_class("bench-k_{name}")\n'
                f'BENCH["k_{name}"]'))
    if presentation:
        build = "\n".join(f'BENCH["p_{n}"] = course_widgets.{n}()\nBENCH["p_{n}"].add_class("bench-p_{n}")' for n in names)
        cells.append(nbformat.v4.new_code_cell(f"style.presentation_mode()\n{build}\nstyle.presentation_mode(False)"))
        cells.extend(nbformat.v4.new_code_cell(f'BENCH["p_{n}"]') for n in names)
    cells.extend(nbformat.v4.new_code_cell(source) for source in extra)
    nb = nbformat.v4.new_notebook(cells=cells)
    course = nbformat.read(ROOT / "notebooks" / "04_backprop_by_hand.ipynb", as_version=4)
    nb.metadata["kernelspec"] = course.metadata["kernelspec"]  # the course's own, so JupyterLab starts it unasked
    nb.metadata["language_info"] = course.metadata.get("language_info", {"name": "python"})
    nbformat.write(nb, Path(folder) / NOTEBOOK)


def kernel_client(lab):
    """A jupyter_client connected to the notebook's kernel, beside the page (as a second frontend)."""
    import urllib.request

    from jupyter_client import BlockingKernelClient

    with urllib.request.urlopen(f"{lab.url}/api/sessions", timeout=10) as response:
        sessions = json.load(response)
    kernel_id = next(s["kernel"]["id"] for s in sessions if s["path"].endswith(NOTEBOOK))
    client = BlockingKernelClient(connection_file=str(lab.workdir / "home" / "runtime" / f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels(hb=False)  # a busy machine delays beats; the kernel is known to be up
    client.wait_for_ready(timeout=60)
    return client


def kernel_state(client, key, description):
    return _kernel_json(client, f"_bench_state({key!r}, {description!r})")


def page_kernel_state(client, key):
    return _kernel_json(client, f"_bench_page_state({key!r}, {PAGE_VALUES[base_name(key)]!r})")


def _kernel_json(client, code):
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append(json.dumps({"error": msg["content"]["evalue"]}))

    client.execute_interactive(code, output_hook=hook, timeout=60, store_history=False)
    return json.loads("".join(out).strip().splitlines()[-1])


def control(page, key):
    root = page.locator(f".bench-{key}")
    if is_page(key):
        kind, what = PAGE_CONTROLS[base_name(key)]
        if kind == "range":
            return kind, what, root.locator(f'input[type=range][data-name="{what}"]').first
        return kind, what, [root.locator(f'button[aria-label="{name}"]').first for name in what]
    kind, what = CONTROLS.get(base_name(key), ("slider", None))
    if kind == "slider":
        sliders = root.locator(".widget-slider")
        if what is not None:
            sliders = sliders.filter(has=page.locator(".widget-label", has_text=what))
        return kind, what, sliders.first
    if kind == "dropdown":
        return kind, what, root.locator("select").first
    return kind, what, [root.locator("button").filter(has_text=name).first for name in what]


def press(page, kind, target, i):
    key = KEYS[kind][i % 2]
    if kind == "slider":
        target.locator(".noUi-handle").focus()
    elif kind == "range":
        target.focus()
    elif kind == "dropdown":
        # A closed <select> in chromium opens its list on a key press; choose the neighbouring option
        # from the page instead, time-stamped just before its change event, as a click in the list sends.
        target.evaluate("""(select, up) => {
            window.__bench.state.t0 = performance.now();
            select.selectedIndex = (select.selectedIndex + (up ? select.options.length - 1 : 1)) % select.options.length;
            select.dispatchEvent(new Event('change', {bubbles: true}));
        }""", i % 2 == 1)
        return
    else:
        target[i % 2].focus()
    page.keyboard.press(key)


def wait_for_change(page, field):
    page.wait_for_function(f"() => window.__bench.state.{field} !== null", timeout=MOVE_TIMEOUT_MS, polling=10)


def time_moves(page, key, moves):
    """Key press to new picture (or label, for a widget whose picture does not change) in ms, per move."""
    kind, _, target = control(page, key)
    page.locator(f".bench-{key}").scroll_into_view_if_needed()
    # A first move, not counted, finds what changes: the picture, or only a label.
    page.evaluate("(k) => window.__bench.arm(k)", key)
    press(page, kind, target, 0)
    try:
        page.wait_for_function("() => { const s = window.__bench.state; return s.firstPicture !== null || "
                               "(s.firstLabel !== null && performance.now() - s.firstLabel > 1000); }",
                               timeout=MOVE_TIMEOUT_MS, polling=10)
    except Exception:
        return None, []
    field = "firstPicture" if page.evaluate("() => window.__bench.state.firstPicture") is not None else "firstLabel"
    page.wait_for_timeout(QUIET_MS)
    times = []
    for i in range(1, moves + 1):
        page.evaluate("(k) => window.__bench.arm(k)", key)
        press(page, kind, target, i)
        try:
            wait_for_change(page, field)
        except Exception:
            times.append(float("nan"))  # no change seen within MOVE_TIMEOUT_MS
            continue
        st = page.evaluate("() => window.__bench.state")
        times.append(st[field] - st["t0"])
        page.wait_for_timeout(QUIET_MS)
    return ("picture" if field == "firstPicture" else "label"), times


def drag(page, client, key):
    """A fast drag across the widget's slider: pictures shown, settle time after release, and honesty."""
    kind, description, target = control(page, key)
    if kind not in ("slider", "range"):
        return None
    page.locator(f".bench-{key}").scroll_into_view_if_needed()
    if kind == "range":  # the thumb of an <input type=range> sits where its value is along the track
        track = target.bounding_box()
        where = target.evaluate("(i) => (i.value - i.min) / (i.max - i.min)")
        x, y = track["x"] + 8 + where * (track["width"] - 16), track["y"] + track["height"] / 2
    else:
        handle = target.locator(".noUi-handle").bounding_box()
        track = target.locator(".noUi-target").bounding_box() or handle
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.evaluate("(k) => window.__bench.arm(k)", key)
    page.mouse.move(x, y)
    page.mouse.down()
    start = x
    steps = 30
    span = min(track["x"] + track["width"] - 2, x + track["width"] * 0.4) - x
    if span < track["width"] * 0.2:  # near the right end: drag to the left instead
        span = max(track["x"] + 2, x - track["width"] * 0.4) - x
    for i in range(1, steps + 1):
        page.mouse.move(start + span * i / steps, y)
        page.wait_for_timeout(16)  # a pointer event per frame, at 60 Hz: a quick flick of the mouse
    page.mouse.up()
    # Settled when nothing new has been shown for 1 s (or 15 s have passed).
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        st = page.evaluate("() => ({...window.__bench.state, now: performance.now()})")
        last = max(v for v in (st["lastPicture"], st["lastLabel"], st["tUp"]) if v is not None)
        if st["now"] - last > 1000:
            break
        page.wait_for_timeout(100)
    last_shown = st["lastPicture"] if st["lastPicture"] is not None else st["lastLabel"]
    settle = max(0.0, last_shown - st["tUp"]) if last_shown is not None else float("nan")
    if kind == "range":
        readout = target.evaluate("(i) => i.parentElement.querySelector('output').textContent").replace("\u2212", "-")
        kernel = page_kernel_state(client, key)
    else:
        readout = target.locator(".widget-readout").inner_text().replace("\u2212", "-")
        kernel = kernel_state(client, key, description)
    digits = len(readout.split(".")[1]) if "." in readout else 0
    honest = abs(float(readout) - float(kernel["value"])) <= 0.5 * 10 ** -digits + 1e-9  # the readout rounds
    if "shown" in kernel and not key.startswith("p_"):  # a fresh drawing here is in the normal look, not the projector's
        page_hash = page.evaluate(PICTURE_HASH, key)
        honest = honest and page_hash == kernel["shown"] == kernel["fresh"]
    shown = f"{st['pictures']} pictures" if st["lastPicture"] is not None else f"{st['labels']} labels"
    return {"shown": shown, "settle": settle, "honest": honest,
            "value": readout if honest else f"{readout} (Python holds {kernel['value']})"}


def measure_fit(page, key):
    """Sizes and places of the widget `key`'s controls and pictures, scrolled as a learner would (FITS)."""
    page.locator(f".bench-{key}").scroll_into_view_if_needed()
    return page.evaluate(FITS, [key, CONTROL_SELECTOR, PICTURE_SELECTOR])


def fit_verdict(box):
    """(text, ok) for measure_fit's answer: ok when the controls and pictures fit in the notebook's
    visible area together (no taller and no wider than it) and, scrolled to them, the first control
    and every picture are on screen at once."""
    if not box or not box.get("parts"):
        return "no controls or picture found", False
    parts = []
    short_h = box["height"] - box["areaHeight"]
    short_w = box["width"] - box["areaWidth"]
    if short_h > 0.5:
        parts.append(f"{short_h:.0f} px too tall")
    if short_w > 0.5:
        parts.append(f"{short_w:.0f} px too wide")
    if box["firstControl"] is False:
        parts.append("first control off screen")
    if box["pictures"] and box["picturesInside"] < box["pictures"]:
        parts.append("picture not wholly on screen with it" if box["firstControl"] else "picture not wholly on screen")
    if box["outside"] and not parts:
        parts.append(f"{box['outside']} controls off screen")
    size = f"{box['width']:.0f}x{box['height']:.0f} in {box['areaWidth']:.0f}x{box['areaHeight']:.0f}"
    if not parts:
        return f"fits ({size})", True
    return f"{', '.join(parts)} ({size})", False


def fits(page, key):
    """(text, ok): do the widget `key`'s controls and picture show together? (measure_fit, fit_verdict)"""
    return fit_verdict(measure_fit(page, key))


# The screens issue 16 names: a learner's laptop with JupyterLab as it opens (file browser shown), and
# a projector in presentation mode with the left sidebar closed, as the teacher's guide advises.
SCREENS = {False: {"width": 1366, "height": 768}, True: {"width": 1280, "height": 720}}
LEFT_TABS = ".jp-SideBar.jp-mod-left .lm-TabBar-tab"


STEADY = '''async () => {
  const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  let last = '', same = 0;
  for (let frame = 0; frame < 300 && same < 5; frame++) {
    await new Promise((done) => requestAnimationFrame(done));
    const r = outer ? outer.getBoundingClientRect() : {width: 0, height: 0};
    const now = `${r.width}x${r.height}x${outer ? outer.scrollHeight : 0}`;
    same = now === last ? same + 1 : 0;
    last = now;
  }
}'''


def show_screen(page, presentation):
    """Set the page to the laptop's screen (presentation False) or the projector's (True)."""
    changed = page.viewport_size != SCREENS[presentation]
    if changed:
        page.set_viewport_size(SCREENS[presentation])
    open_tab = page.locator(f"{LEFT_TABS}.lm-mod-current")
    if presentation and open_tab.count():
        open_tab.first.click()  # clicking the open panel's tab closes the sidebar
        open_tab.wait_for(state="detached")
        changed = True
    elif not presentation and page.locator(".jp-FileBrowser").is_hidden():
        page.locator(f"{LEFT_TABS}[data-id='filebrowser']").click()
        page.locator(".jp-FileBrowser").wait_for(state="visible")
        changed = True
    if changed:  # the notebook takes its new size: wait until it is the same for a few frames
        page.wait_for_timeout(100)
        page.evaluate(STEADY)


# The kernel is connected and idle: the status bar says, e.g., "Python 3 (course) | Idle".
KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
                         .some((e) => /\\| Idle$/.test(e.textContent.trim()))"""
KERNEL_DIALOG = """() => [...document.querySelectorAll('.jp-Dialog button')]
                           .some((b) => /Select/.test(b.textContent))"""


def open_notebook(page, lab):
    """Open the scratch notebook in JupyterLab (a fresh workspace) and wait for its kernel."""
    page.goto(f"{lab.url}/lab/workspaces/bench/tree/{NOTEBOOK}?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    select_kernel_if_asked(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=100)


def select_kernel_if_asked(page):
    """Accept the course's kernel if JupyterLab asks which one to start, as soon as either the question
    or the started kernel shows."""
    page.wait_for_function(f"() => ({KERNEL_IDLE})() || ({KERNEL_DIALOG})()", timeout=90_000, polling=100)
    button = page.locator(".jp-Dialog button", has_text="Select")
    if button.count():
        button.first.click()


def run_all(page, expected, timeout=60_000):
    """Run All Cells from the menu and wait until `expected` bench widgets are shown and the kernel is idle."""
    def choose_run_all():
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    choose_run_all()
    started = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                     .some((p) => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    try:
        page.wait_for_function(started, timeout=20_000)
    except Exception:  # the kernel was not ready for the first request: ask once more
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)
        choose_run_all()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-OutputArea [class*=\"bench-\"]').length >= n",
        arg=expected, timeout=timeout)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def stats(times):
    clean = [t for t in times if t == t]
    if not clean:
        return float("nan"), float("nan"), len(times)
    return statistics.median(clean), float(np.percentile(clean, 90)), len(times) - len(clean)


def run(moves=20, row=None, presentation=True, only=None):
    """Measure in the browser; call row(section, what, figure, goal, verdict) for each figure. Returns the rows.

    only: names of the widgets to measure (all of them when None); the floor is always measured.
    """
    rows = []

    def add(*cells):
        rows.append(cells)
        if row is not None:
            row(*cells)
        else:
            print("  " + " | ".join(str(c) for c in cells if c != ""), flush=True)

    if not Path(CHROMIUM).exists():
        add("browser", "skipped", f"no chromium at {CHROMIUM}", "", "NOT MEASURED")
        return rows
    from playwright.sync_api import sync_playwright

    names = [n for n in widget_names() if only is None or n in only]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        lab = LabServer(tmp).start()
        client = None
        try:
            write_notebook(Path(tmp) / "notebooks", names, presentation)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_context(viewport=SCREENS[False]).new_page()
                    page.set_default_timeout(60_000)
                    open_notebook(page, lab)
                    run_all(page, 1 + len(keys_for(names)) + (len(names) if presentation else 0))
                    page.evaluate(HARNESS)
                    client = kernel_client(lab)
                    print(f"  JupyterLab open, {len(keys_for(names))} widgets shown, in {time.perf_counter() - started:.0f} s")
                    measure(page, client, names, moves, presentation, add)
                finally:
                    browser.close()
        finally:
            if client is not None:
                client.stop_channels()
            lab.stop()
    print(f"  browser bench took {time.perf_counter() - started:.0f} s")
    return rows


def label(key):
    """How a key is named in the table: a page widget and its kernel version side by side."""
    name = base_name(key)
    if name not in PAGE_CONTROLS:
        return name
    return f"{name} (kernel)" if key.startswith("k_") else f"{name} (page)"


def measure(page, client, names, moves, presentation, add):
    print(f"Browser: key press to new picture on screen ({moves} moves each), JupyterLab + chromium, 1366x768")
    _, floor_times = time_moves(page, "floor", moves)
    floor, floor90, _ = stats(floor_times)
    add("browser", "floor: bare slider -> label, median / p90", f"{floor:.1f} / {floor90:.1f} ms")
    keys = keys_for(names)
    for key in keys:
        what, times = time_moves(page, key, moves)
        if what is None:
            add("browser", f"{label(key)}: key press", "nothing changed on screen", "", "MISSED")
            continue
        med, p90, lost = stats(times)
        if is_page(key):
            goal_ratio = PAGE_GOAL_RATIO
        else:
            goal_ratio = 2 if base_name(key) == "weight_explorer" else 3
        ratio = med / floor
        lost_note = f", {lost} moves showed nothing" if lost else ""
        size = page.evaluate(PICTURE_SIZE, key)
        if what == "picture" and size:
            lost_note += f"; picture {size['width']}x{size['height']} px, {size['bytes'] / 1024:.0f} KiB"
        add("browser", f"{label(key)}: press -> {what}, median / p90",
            f"{med:.1f} / {p90:.1f} ms = {ratio:.2f}x floor{lost_note}",
            f"<= {goal_ratio:g}x floor", "ok" if ratio <= goal_ratio and not lost else "MISSED")
    for key in ["floor", *keys]:
        result = drag(page, client, key)
        if result is None:
            continue
        figure = (f"{result['shown']}, last {result['settle']:.0f} ms after release, "
                  f"{'shows' if result['honest'] else 'does NOT show'} the final value {result['value']}")
        settle_goal = PAGE_SETTLE_MS if is_page(key) else KERNEL_SETTLE_MS
        ok = result["settle"] <= settle_goal and result["honest"]
        goal = f"settle <= {settle_goal} ms{' (one frame)' if is_page(key) else ''}, honest"
        add("browser", f"{label(key)}: fast drag", figure, goal, "ok" if ok else "MISSED")
    show_screen(page, presentation=False)
    for name in names:
        text, ok = fits(page, name)
        add("layout", f"{name}: controls + picture at 1366x768", text, "visible together", "ok" if ok else "MISSED")
    if presentation:
        show_screen(page, presentation=True)
        for name in names:
            text, ok = fits(page, f"p_{name}")
            add("layout", f"{name}: presentation mode at 1280x720, sidebar closed", text, "visible together",
                "ok" if ok else "MISSED")
        # The widgets that still draw in the kernel, built in presentation mode (larger pictures), on the projector
        for name in [n for n in names if n not in PAGE_CONTROLS]:
            key = f"p_{name}"
            what, times = time_moves(page, key, moves)
            if what is None:
                add("browser", f"{name}, presentation 1280x720: key press", "nothing changed on screen", "", "MISSED")
                continue
            med, p90, lost = stats(times)
            ratio = med / floor
            lost_note = f", {lost} moves showed nothing" if lost else ""
            add("browser", f"{name}, presentation 1280x720: press -> {what}, median / p90",
                f"{med:.1f} / {p90:.1f} ms = {ratio:.2f}x floor{lost_note}", "<= 3x floor",
                "ok" if ratio <= 3 and not lost else "MISSED")
            result = drag(page, client, key)
            if result is not None:
                figure = (f"{result['shown']}, last {result['settle']:.0f} ms after release, "
                          f"{'shows' if result['honest'] else 'does NOT show'} the final value {result['value']}")
                ok = result["settle"] <= KERNEL_SETTLE_MS and result["honest"]
                add("browser", f"{name}, presentation 1280x720: fast drag", figure,
                    f"settle <= {KERNEL_SETTLE_MS} ms, honest", "ok" if ok else "MISSED")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    # --only=weight_explorer,bug_explorer measures just those widgets (and the floor)
    only = next((a.split("=", 1)[1].split(",") for a in sys.argv if a.startswith("--only=")), None)
    run(moves=2 if quick else 20, presentation=not quick or "--presentation" in sys.argv, only=only)
