// The course's look for pictures drawn in the page: the shared start of every page widget's module.
// Mirrors helpers/style.py (the palette and what each colour means), helpers/formatting.py (how a
// number is written) and helpers/plots/diagram.py (how a weight is drawn). No imports, no network:
// module_source() puts this text in front of one widget's own file, and the two are one ES module.
// Below the look: what every widget's render does alike (slider rows, read-outs, and how it listens to the page).

// helpers.style.PALETTE: the Okabe–Ito colours, which stay apart for the common kinds of colour blindness.
const PALETTE = {
  blue: "#0072B2", orange: "#E69F00", green: "#009E73", vermillion: "#D55E00", sky: "#56B4E9",
  purple: "#CC79A7", yellow: "#F0E442", black: "#000000", grey: "#999999",
};
// helpers.style: what each colour means, everywhere in the course.
const POSITIVE = PALETTE.blue;        // positive weights, drawn solid
const NEGATIVE = PALETTE.vermillion;  // negative weights, drawn dashed
const LOSS = PALETTE.orange;
const PREDICTION = PALETTE.green;
const INPUT_FILL = "#EEEEEE";         // diagram.py: input nodes are shaded, the others white
const BLAME_FILL = "#FBEBD0";         // diagram.py's blame box: pale orange inside an orange edge

// Matplotlib's default font, which every kernel figure uses, then close relatives.
const FONT_FAMILY = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, Geneva, sans-serif';

// Sizes in points, as helpers.style's COURSE_RCPARAMS and PRESENTATION_RCPARAMS give them; a figure is
// drawn at style.DPI pixels per inch, and in presentation mode PRESENTATION_FIGURE_SCALE times larger.
// `controls` are CSS sizes: JupyterLab's widget defaults, and style.PRESENTATION_CONTROLS.
const LOOK = {
  course: { titleSize: 12, fontSize: 11, figureScale: 1.0,
            controls: { fontSize: "13px", height: "28px", nameWidth: "80px" } },
  presentation: { titleSize: 16, fontSize: 16, figureScale: 1.25,
                  controls: { fontSize: "20px", height: "40px", nameWidth: "150px" } },
};
const DPI = 100;                       // helpers.style.DPI
const PX_PER_PT = DPI / 72;

function look(presentation) {
  return presentation ? LOOK.presentation : LOOK.course;
}

// ---- numbers, written as helpers/formatting.py writes them ----

const MINUS = "\u2212";                // formatting.MINUS: the true minus sign every displayed number wears
const DIVERGED = "diverged";           // formatting.DIVERGED
const DIVERGED_ABOVE = 1e12;           // formatting.DIVERGED_ABOVE

// Python's f"{x:.{digits}f}" for a finite x: the exact value rounded to `digits` decimals, a tie going
// to the even digit. (JavaScript's toFixed sends a tie away from zero: 0.03125 to 4 digits is 0.0313
// there and 0.0312 in Python; a tie happens only when the exact binary value ends in that 5.)
function pyFixed(x, digits) {
  const text = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(100);   // enough digits to see a tie: a tie's digits end one place later
  const point = exact.indexOf(".");
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return text;
  const kept = exact.slice(0, digits > 0 ? point + 1 + digits : point);
  const last = Number(kept[kept.length - 1]);
  if (last % 2 === 1) return text;           // rounding up reaches the even digit, as toFixed did
  return (x < 0 || Object.is(x, -0) ? "-" : "") + kept;
}

// formatting.fmt: fixed digits with a true minus sign, or 'diverged' when NaN, inf or beyond 1e12.
// A value that rounds to zero is written without a sign.
function fmt(value, digits = 4) {
  if (!Number.isFinite(value) || Math.abs(value) > DIVERGED_ABOVE) return DIVERGED;
  let text = pyFixed(value, digits);
  if (text.startsWith("-") && Number(text) === 0) text = text.slice(1);
  return text.replaceAll("-", MINUS);
}

// formatting.signed: a number with its sign always written ('+0.1410', '−0.1410'), or 'diverged'.
function signed(value, digits = 4) {
  const text = fmt(value, digits);
  return text === DIVERGED || text.startsWith(MINUS) ? text : "+" + text;
}

// Python's f"{x:.{n}g}" for a finite x, as text: n significant digits, trailing zeros dropped,
// e-notation below 1e-4 and from 10**n up.
function pyGeneral(x, n = 3) {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exponent = Number(Math.abs(x).toExponential(n - 1).split("e")[1]);
  if (exponent < -4 || exponent >= n) {
    let [mantissa, power] = x.toExponential(n - 1).split("e");
    if (mantissa.includes(".")) mantissa = mantissa.replace(/\.?0+$/, "");
    const sign = power.startsWith("-") ? "-" : "+";
    const digits = power.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const text = pyFixed(x, Math.max(0, n - 1 - exponent));
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

// formatting.short: a setting for a label in at most three significant digits, true minus sign.
function short(value) {
  return pyGeneral(value, 3).replaceAll("-", MINUS);
}

// widgets._controls.log_value: a log slider's value read back as the three significant digits its readout shows.
const LOG_DIGITS = 3;
function logValue(value) {
  return Number(pyGeneral(value, LOG_DIGITS));
}

// plots._common._number: a number for a figure, e.g. a node's value ('0.378'), 'diverged' past 1e12;
// past ten thousand in e-notation.
function figureNumber(value, digits = 3, withSign = false) {
  if (!Number.isFinite(value) || Math.abs(value) > 1e12) return DIVERGED;
  let text;
  if (Math.abs(value) >= 1e4) {
    let [mantissa, power] = value.toExponential(digits).split("e");
    text = `${mantissa}e${power.startsWith("-") ? "-" : "+"}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
  } else {
    text = pyFixed(value, digits);
  }
  if (withSign && !text.startsWith("-")) text = "+" + text;
  if (text.startsWith("-") && Number(text) === 0) text = (withSign ? "+" : "") + text.slice(1);
  return text.replaceAll("-", MINUS);
}

// ---- how a weight is drawn: helpers/plots/diagram.py ----

const WEIGHT_FOR_WIDEST_LINE = 3.0;    // diagram.WEIGHT_FOR_WIDEST_LINE
const THINNEST_LINE = 0.8, WIDEST_LINE = 7.0;  // points

// diagram.edge_width: line width (points), from THINNEST_LINE at 0 to WIDEST_LINE at |w| = w_max.
function edgeWidth(w, wMax = WEIGHT_FOR_WIDEST_LINE) {
  if (!Number.isFinite(w)) return WIDEST_LINE;
  return THINNEST_LINE + (WIDEST_LINE - THINNEST_LINE) * Math.min(Math.abs(w) / wMax, 1.0);
}

// style.weight_style and diagram._style_edge: blue solid for w >= 0, vermillion dashed below 0, and
// vermillion dotted for a weight that blew up. Dashes scale with the line width, as matplotlib's do.
function weightStroke(w) {
  const width = edgeWidth(w);
  if (!Number.isFinite(w)) return { colour: NEGATIVE, width, dashes: `${1 * width} ${1.65 * width}` };
  if (w >= 0) return { colour: POSITIVE, width, dashes: "none" };
  return { colour: NEGATIVE, width, dashes: `${3.7 * width} ${1.6 * width}` };
}

// ---- small helpers for SVG and HTML ----

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(tag, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function htmlElement(tag, attributes = {}, parent = null, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// An SVG whose user units are points: `widthIn` x `heightIn` inches shown at DPI pixels per inch,
// so every size below can be written in points, as the kernel's figures are.
function svgFigure(widthIn, heightIn, parent) {
  return svgElement("svg", {
    viewBox: `0 0 ${widthIn * 72} ${heightIn * 72}`, width: Math.round(widthIn * DPI),
    height: Math.round(heightIn * DPI), role: "img", "font-family": FONT_FAMILY,
    style: "max-width: 100%; height: auto; background: white; display: block",
  }, parent);
}

// Text in points at (x, y); `anchor` start|middle|end, `baseline` as SVG's dominant-baseline.
function svgText(parent, x, y, text, size, { anchor = "middle", baseline = "central", weight = "normal",
                                              italic = false, colour = "black" } = {}) {
  const node = svgElement("text", {
    x, y, "font-size": size, "text-anchor": anchor, "dominant-baseline": baseline, "font-weight": weight,
    "font-style": italic ? "italic" : "normal", fill: colour,
  }, parent);
  node.textContent = text;
  return node;
}

// Set an attribute only when it changes: a move touches few attributes, and the page repaints only those.
function setIfChanged(node, name, value) {
  const text = String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}

function setTextIfChanged(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// A number as exact text for data-value: the shortest text that reads back as the same float, the
// same digits as Python's repr (NaN and Infinity as float() reads them).
function exactText(value) {
  return Number.isFinite(value) ? String(value) : (Number.isNaN(value) ? "nan" : (value > 0 ? "inf" : "-inf"));
}

// ---- controls and read-outs, the same in every widget ----

// A labelled row for one control, in the look of an ipywidgets control; `id` ties the label to it.
function controlRow(parent, label) {
  const row = htmlElement("div", { class: "bpc-slider" }, parent);
  const id = `bpc-${Math.random().toString(36).slice(2)}`;
  htmlElement("label", { for: id }, row, label);
  return { row, id };
}

// A slider with its name before it and its read-out after it: { input, output }.
function sliderRow(parent, label, attributes) {
  const { row, id } = controlRow(parent, label);
  const input = htmlElement("input", { id, type: "range", ...attributes }, row);
  const output = htmlElement("output", { for: id }, row);
  return { input, output };
}

// A read-out of pieces [text, bold, name, value]: a named piece carries its value in data-value, as
// valueText writes it (exactText: the exact number, so a test can compare it with Python's).
function fillPieces(holder, pieces, valueText = exactText) {
  const nodes = pieces.map(([text, bold, name, value]) => {
    const node = document.createElement(bold ? "b" : "span");
    node.textContent = text;
    if (name) {
      node.dataset.name = name;
      node.dataset.value = valueText(value);
    }
    return node;
  });
  holder.replaceChildren(...nodes);
}

// ---- sliders that span decades: a key press steps through round values ----

// gradient_descent.ETA_KEYS' round values in each decade (weights.ETA_MANTISSAS): 1, 1.2, 1.5, ... 9.
const ETA_MANTISSAS = [1, 1.2, 1.5, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9];

// gradient_descent._decades: m·10^k for each decade k from `low` up to `high` (excluded), then 10^high,
// each written as Python's float(f"{m}e{k}") reads it: 0.01, 0.012, ... 10.
function decades(mantissas, low, high) {
  const values = [];
  for (let k = low; k < high; k++) for (const m of mantissas) values.push(Number(`${m}e${k}`));
  values.push(Number(`1e${high}`));
  return values;
}

// gradient_descent.key_step: the next of `keys` above `value` (direction +1) or below it (−1); at an end,
// the end. A value between two keys (dragged or set from code) goes to the next one the way pressed.
function keyStep(value, keys, direction) {
  const ahead = direction > 0 ? keys.filter((k) => k > value * (1 + 1e-9))
                              : keys.filter((k) => k < value * (1 - 1e-9)).reverse();
  if (ahead.length > 0) return ahead[0];
  return direction > 0 ? keys[keys.length - 1] : keys[0];
}

// The key a slider answers and the value it goes to, or null for a key it leaves alone: the arrows
// step through `keys`, Page Up and Page Down through the coarser `pageKeys`, Home and End to the ends.
function keyTarget(key, value, keys, pageKeys) {
  if (key === "ArrowRight" || key === "ArrowUp") return keyStep(value, keys, +1);
  if (key === "ArrowLeft" || key === "ArrowDown") return keyStep(value, keys, -1);
  if (key === "PageUp") return keyStep(value, pageKeys, +1);
  if (key === "PageDown") return keyStep(value, pageKeys, -1);
  if (key === "Home") return keys[0];
  if (key === "End") return keys[keys.length - 1];
  return null;
}

// A slider whose keys step through round values instead of its own fine step (a drag stays smooth):
// `get()` is the value now, `moved(value)` shows a new one and sends it to Python at once, as a key
// press ends a move. A key that goes nowhere new (at an end) changes nothing.
function keyedSlider(listen, input, keys, pageKeys, get, moved) {
  listen(input, "keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = keyTarget(event.key, get(), keys, pageKeys);
    if (next === null) return;
    event.preventDefault();
    if (next !== get()) moved(next);
  });
}

// ---- the page's events, handled the same in every widget ----

// The listeners a view adds, kept so that its cleanup removes them all: listen(node, type, handler),
// and at the end listen.removeAll().
function listenerList() {
  const listeners = [];
  const listen = (node, type, handler) => {
    node.addEventListener(type, handler);
    listeners.push([node, type, handler]);
  };
  listen.removeAll = () => {
    for (const [node, type, handler] of listeners) node.removeEventListener(type, handler);
  };
  return listen;
}

// ---- when the kernel goes ----

// After Restart Kernel, JupyterLab cuts every widget's model off from its kernel (the model's
// comm_live_update event). The widget then says so in place, in the same words as every kernel widget
// (helpers.widgets.notice.KERNEL_GONE), and dims its controls instead of answering moves no kernel will
// hear. The notice is the root's first child, hidden until then. (anywidget drops the listener with the view.)
const KERNEL_GONE = "The kernel has restarted, so this widget no longer answers. Run this cell again to bring it back.";

function kernelGone(model, root) {
  const notice = htmlElement("div", { class: "bpc-gone", role: "status",
    style: "display: none; margin: 0 0 6px 0; padding: 6px 10px; border-left: 4px solid #D55E00; background: #fdf1e8;" },
    null, KERNEL_GONE);
  root.prepend(notice);
  model.on("comm_live_update", () => {
    notice.style.display = "block";
    root.classList.add("bpc-dead");
    for (const child of root.children) {
      if (child !== notice && child.tagName !== "STYLE") {
        child.style.opacity = "0.4";
        child.style.pointerEvents = "none";
      }
    }
  });
}

// Keys pressed in the widget stay in it: JupyterLab's notebook takes arrow keys for moving between
// cells (and cancels them), which would stop a focused slider or dropdown from moving. The root's
// data-lm-suppress-shortcuts keeps JupyterLab's keyboard shortcuts out too.
function keepKeys(listen, root) {
  listen(root, "keydown", (event) => event.stopPropagation());
}

// Sliders whose value goes to Python when a move ends. While the pointer holds one, drag.active is
// true and the kernel's echoes of earlier values wait; drag.slider(input, ended) calls ended() when the
// slider's move ends (its change event). A press that never moved a slider sends no change event, so
// the drag also ends when the pointer lifts.
function dragTracker(listen) {
  const drag = { active: false };
  const end = () => { drag.active = false; };
  listen(window, "pointerup", end);
  listen(window, "pointercancel", end);
  drag.slider = (input, ended) => {
    listen(input, "pointerdown", () => { drag.active = true; });
    listen(input, "change", () => { drag.active = false; ended(); });
  };
  return drag;
}
