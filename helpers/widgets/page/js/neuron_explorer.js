// The neuron explorer, drawn and computed in the page: one neuron z = w·x + b, a = f(z), with sliders
// for x, w and b and a choice of activation; the activation's curve, its slope da/dz (dashed) and a
// dot where this neuron sits on the curve. The maths mirrors helpers/activations.py and
// helpers/widgets/neuron.py (neuron_numbers, NeuronExplorer) line by line; the picture mirrors
// helpers/plots/activations.py (activation_plot, ActivationPlot.update). Each function names the
// Python it follows. Python stays the source of truth: the page sends x, w, b and the activation to
// the kernel when a move ends (a slider let go, a key press, a new activation), and redraws whenever
// the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/neuron_explorer.py, PageNeuronExplorer):
//   x, w, b, activation (the page sets these); limits {x: [lo, hi], w: [lo, hi], b: [lo, hi], step,
//   z_range: [lo, hi], activations: [...]}; presentation (true: the large sizes of presentation mode).

// ---- the maths: helpers/activations.py ----

// helpers.activations._sigmoid: exp(−|z|) never overflows, so both branches stay finite.
function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// helpers.activations._sigmoid_derivative: σ′(z) = σ(z)(1 − σ(z)).
function sigmoidDerivative(z) {
  const s = sigmoid(z);
  return s * (1.0 - s);
}

// helpers.activations._tanh_derivative: 1 − tanh(z)² (NumPy squares by multiplying).
function tanhDerivative(z) {
  const t = Math.tanh(z);
  return 1.0 - t * t;
}

// helpers.activations._relu: np.maximum(z, 0.0), which keeps z when z >= 0 (a −0.0 stays −0.0).
function relu(z) {
  return z >= 0.0 || Number.isNaN(z) ? z : 0.0;
}

// helpers.activations._relu_derivative: 1 where z > 0, else 0 (0 at exactly z = 0).
function reluDerivative(z) {
  return z > 0 ? 1.0 : 0.0;
}

// helpers.activations.ACTIVATIONS: each activation's f and derivative, side by side.
const ACTIVATIONS = {
  sigmoid: { f: sigmoid, derivative: sigmoidDerivative },
  tanh: { f: Math.tanh, derivative: tanhDerivative },
  relu: { f: relu, derivative: reluDerivative },
  linear: { f: (z) => z, derivative: () => 1.0 },   // _linear, _linear_derivative
};

// helpers.widgets.neuron.neuron_numbers: z = w·x + b, a = f(z) and the slope da/dz = f′(z).
function neuronNumbers(x, w, b, activation) {
  const act = ACTIVATIONS[activation];
  const z = w * x + b;
  return { x, w, b, activation, z, a: act.f(z), slope: act.derivative(z) };
}

// ---- the picture: helpers/plots/activations.py ----

// plots.activations._FORMULAS: the title over the curve.
const FORMULAS = { sigmoid: "σ(z) = 1 / (1 + e^(−z))", tanh: "tanh(z)", relu: "ReLU(z) = max(0, z)",
                   linear: "linear: a = z" };
const POINTS = 401;                                   // activation_plot's points
const FIGURE_INCHES = [6.4, 3.3];                     // NeuronExplorer: style.FIGSIZE[0] wide, 3.3 inches tall
// Sizes in points that matplotlib takes from the look in use (style.COURSE_RCPARAMS and
// PRESENTATION_RCPARAMS): tick labels, axis labels, legend, tick marks, spines, a marker's edge;
// and the room constrained layout leaves round the axes (measured on the kernel's figure), the
// left margin being that room plus the widest tick label.
const PLOT_LOOK = {
  course: { tick: 11, label: 11, legend: 11, tickLength: 3.5, tickWidth: 0.8, spine: 0.8, markerEdge: 1.0,
            top: 18.4, bottom: 36.0, right: 3.0, leftRoom: 25.5 },
  presentation: { tick: 14, label: 16, legend: 14, tickLength: 6.0, tickWidth: 1.5, spine: 1.5, markerEdge: 1.5,
                  top: 21.2, bottom: 46.6, right: 3.0, leftRoom: 31.9 },
};
const TICK_PAD = 3.5, LABEL_PAD = 4.0, TITLE_PAD = 6.0;   // matplotlib's defaults, in points
const MARKER_SIZE = 11;                                   // NeuronExplorer's marker: 11 points across

// DejaVu Sans advance widths in em, for the characters the picture writes: enough to lay out tick
// labels and the legend as matplotlib does.
const EM = { "0": 0.64, ".": 0.32, "−": 0.84, "-": 0.84, "+": 0.84, "=": 0.84, " ": 0.32, "(": 0.39, ")": 0.39,
             "′": 0.23, a: 0.61, b: 0.63, c: 0.53, d: 0.63, e: 0.57, g: 0.63, h: 0.63, i: 0.28, l: 0.28, m: 0.97,
             n: 0.63, o: 0.55, p: 0.63, r: 0.38, s: 0.52, t: 0.39, u: 0.63, z: 0.52 };
function textWidth(text, size) {
  let em = 0;
  for (const ch of text) em += /[0-9]/.test(ch) ? 0.64 : (EM[ch] ?? 0.6);
  return em * size;
}

// np.linspace(lo, hi, n): i·step + lo, the last point exactly hi.
function linspace(lo, hi, n) {
  const step = (hi - lo) / (n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) out[i] = i * step + lo;
  out[n - 1] = hi;
  return out;
}

// matplotlib's AutoLocator (MaxNLocator with steps 1, 2, 2.5, 5, 10 and nbins from the room the axis
// has: its length over three tick-label sizes across, two up, at most 9): the ticks inside [lo, hi].
function niceTicks(lo, hi, lengthPt, tickSize, across) {
  const nbins = Math.max(1, Math.min(9, Math.floor(lengthPt / (tickSize * (across ? 3 : 2)))));
  const raw = (hi - lo) / nbins;
  const scale = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * scale).find((s) => s >= raw * (1 - 1e-10));
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-10); k * step <= hi * (1 + 1e-12) + 1e-12; k += 1) ticks.push(k * step);
  return ticks;
}

// matplotlib's ScalarFormatter: the fewest decimals that write every tick exactly, a true minus sign.
function tickLabels(ticks) {
  let digits = 0;
  while (digits < 6 && !ticks.every((t) => Math.abs(t - Number(t.toFixed(digits))) < 1e-9)) digits += 1;
  return ticks.map((t) => {
    const text = Math.abs(t) < 1e-12 ? (0).toFixed(digits) : t.toFixed(digits);
    return text.replace("-", MINUS);
  });
}

// ActivationPlot.update's y limits: the curve and its slope, with 0 always shown, padded by 8%.
function curves(name, z) {
  const act = ACTIVATIONS[name];
  const a = Array.from(z, act.f);
  const d = Array.from(z, act.derivative);
  const lo = Math.min(Math.min(...a), Math.min(...d), 0.0);
  const hi = Math.max(Math.max(...a), Math.max(...d));
  const pad = 0.08 * (hi - lo);
  return { a, d, ylim: [lo - pad, hi + pad] };
}

// activation_plot(name, z_range=Z_RANGE) on a NeuronExplorer figure, plus its dotted guides and dot.
// Returns the elements a move changes. A new activation draws the axes again (ActivationPlot.update).
// The axes' layout in points for activation `name`: the curves, y limits, where the axes sit, their
// ticks and tick labels.
function axesLayout(presentation, name, zRange) {
  const size = look(presentation);
  const p = PLOT_LOOK[presentation ? "presentation" : "course"];
  const width = FIGURE_INCHES[0] * size.figureScale * 72, height = FIGURE_INCHES[1] * size.figureScale * 72;
  const [zLo, zHi] = zRange;
  const z = linspace(zLo, zHi, POINTS);
  const { a, d, ylim } = curves(name, z);
  const top = p.top, bottom = height - p.bottom;
  const yTicks = niceTicks(ylim[0], ylim[1], bottom - top, p.tick, false);
  const yLabels = tickLabels(yTicks);
  const widest = Math.max(...yLabels.map((t) => textWidth(t, p.tick)));
  const left = p.leftRoom + widest, right = width - p.right;
  const xTicks = niceTicks(zLo, zHi, right - left, p.tick, true);
  return { size, p, width, height, zLo, zHi, z, a, d, ylim, top, bottom, left, right, widest, yTicks, yLabels,
           xTicks, xLabels: tickLabels(xTicks) };
}

function drawActivation(svg, presentation, name, zRange) {
  const { size, p, zLo, zHi, z, a, d, ylim, top, bottom, left, right, widest, yTicks, yLabels, xTicks, xLabels } =
    axesLayout(presentation, name, zRange);
  svg.replaceChildren();
  const px = (v) => left + (v - zLo) / (zHi - zLo) * (right - left);
  const py = (v) => bottom - (v - ylim[0]) / (ylim[1] - ylim[0]) * (bottom - top);
  const clipId = `bpc-clip-${Math.random().toString(36).slice(2)}`;
  const clip = svgElement("clipPath", { id: clipId }, svgElement("defs", {}, svg));
  svgElement("rect", { x: left, y: top, width: right - left, height: bottom - top }, clip);
  const inside = svgElement("g", { "clip-path": `url(#${clipId})` }, svg);

  // The axes at zero (grey, under everything), the curve (blue) and its slope (orange, dashed).
  svgElement("line", { x1: left, x2: right, y1: py(0), y2: py(0), stroke: PALETTE.grey, "stroke-width": 0.8 }, inside);
  svgElement("line", { x1: px(0), x2: px(0), y1: top, y2: bottom, stroke: PALETTE.grey, "stroke-width": 0.8 }, inside);
  const path = (values) => Array.from(z, (v, i) => `${i ? "L" : "M"}${px(v).toFixed(2)} ${py(values[i]).toFixed(2)}`)
    .join("");
  svgElement("path", { d: path(a), fill: "none", stroke: PALETTE.blue, "stroke-width": 2.5,
                       "stroke-linejoin": "round", "stroke-linecap": "square", "data-curve": "a" }, inside);
  svgElement("path", { d: path(d), fill: "none", stroke: PALETTE.orange, "stroke-width": 2.0,
                       "stroke-dasharray": `${3.7 * 2.0} ${1.6 * 2.0}`, "stroke-linejoin": "round",
                       "data-curve": "slope" }, inside);

  // The left and bottom spines, the ticks and their labels, the axis labels and the title.
  const axes = svgElement("g", { stroke: "black", "stroke-width": p.spine }, svg);
  svgElement("line", { x1: left, x2: left, y1: top, y2: bottom, "stroke-linecap": "square" }, axes);
  svgElement("line", { x1: left, x2: right, y1: bottom, y2: bottom, "stroke-linecap": "square" }, axes);
  xTicks.forEach((t, i) => {
    svgElement("line", { x1: px(t), x2: px(t), y1: bottom, y2: bottom + p.tickLength, "stroke-width": p.tickWidth },
               axes);
    svgText(svg, px(t), bottom + p.tickLength + TICK_PAD, xLabels[i], p.tick, { baseline: "hanging" });
  });
  yTicks.forEach((t, i) => {
    svgElement("line", { x1: left - p.tickLength, x2: left, y1: py(t), y2: py(t), "stroke-width": p.tickWidth }, axes);
    svgText(svg, left - p.tickLength - TICK_PAD, py(t), yLabels[i], p.tick, { anchor: "end" });
  });
  svgText(svg, (left + right) / 2, bottom + p.tickLength + TICK_PAD + p.tick * 1.16 + LABEL_PAD, "weighted sum z",
          p.label, { baseline: "hanging" });
  const yLabelX = left - p.tickLength - TICK_PAD - widest - LABEL_PAD - p.label * 0.58;
  svgText(svg, yLabelX, (top + bottom) / 2, "activation a, slope da/dz", p.label)
    .setAttribute("transform", `rotate(-90 ${yLabelX} ${(top + bottom) / 2})`);
  svgText(svg, (left + right) / 2, top - TITLE_PAD, FORMULAS[name], size.titleSize, { baseline: "alphabetic" });

  // The legend, upper left: a white box with a pale grey edge, a short line beside each label.
  const fs = p.legend;
  const labels = [`a = ${name}(z)`, `slope ${name}′(z)`];
  const row = fs * 1.16, gap = 0.5 * fs;
  const boxX = left + 0.5 * fs, boxY = top + 0.5 * fs;
  const boxW = 0.4 * fs * 2 + 2.0 * fs + 0.8 * fs + Math.max(...labels.map((t) => textWidth(t, fs)));
  const boxH = 0.4 * fs * 2 + 2 * row + gap;
  const legend = svgElement("g", { "data-legend": "true" }, svg);
  svgElement("rect", { x: boxX, y: boxY, width: boxW, height: boxH, rx: 0.2 * fs, fill: "white", "fill-opacity": 0.8,
                       stroke: "#cccccc", "stroke-width": 1.0 }, legend);
  labels.forEach((text, i) => {
    const y = boxY + 0.4 * fs + i * (row + gap) + row / 2;
    const x0 = boxX + 0.4 * fs;
    svgElement("line", { x1: x0, x2: x0 + 2.0 * fs, y1: y, y2: y, stroke: i ? PALETTE.orange : PALETTE.blue,
                         "stroke-width": i ? 2.0 : 2.5, "stroke-dasharray": i ? `${3.7 * 2.0} ${1.6 * 2.0}` : "none" },
               legend);
    svgText(legend, x0 + 2.8 * fs, y, text, fs, { anchor: "start" });
  });

  // NeuronExplorer's moving parts: the dotted guides (grey) and the dot (green, black edge) on top.
  const guide = svgElement("path", { fill: "none", stroke: PALETTE.grey, "stroke-width": 1.5,
                                     "stroke-dasharray": `${1 * 1.5} ${1.65 * 1.5}`, "data-name": "guide" }, inside);
  const marker = svgElement("circle", { r: MARKER_SIZE / 2, fill: PREDICTION, stroke: "black",
                                        "stroke-width": p.markerEdge, "data-name": "marker" }, svg);
  return { px, py, ylim, zLo, guide, marker };
}

// NeuronExplorer._update's picture: the dot at (z, a); guides down from it to z on the axis and
// across from it to a.
function moveDot(picture, z, a) {
  const { px, py, ylim, zLo, guide, marker } = picture;
  setIfChanged(marker, "cx", px(z).toFixed(2));
  setIfChanged(marker, "cy", py(a).toFixed(2));
  setIfChanged(guide, "d", `M${px(z).toFixed(2)} ${py(ylim[0]).toFixed(2)}L${px(z).toFixed(2)} ${py(a).toFixed(2)}` +
                           `M${px(zLo).toFixed(2)} ${py(a).toFixed(2)}L${px(z).toFixed(2)} ${py(a).toFixed(2)}`);
}

// ---- the controls and read-outs ----

const STYLE = `
.bpc-ne { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
          display: flex; flex-direction: column; gap: 6px; }
.bpc-ne .bpc-row { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start; }
.bpc-ne .bpc-column { display: flex; flex-direction: column; gap: 2px; }
.bpc-ne .bpc-controls { flex: 0 0 auto; }
.bpc-ne .bpc-readouts { flex: 1 1 300px; min-width: 0; line-height: 1.5; }
.bpc-ne .bpc-slider { display: flex; align-items: center; gap: 8px; height: var(--bpc-height);
                      width: var(--bpc-width); }
.bpc-ne .bpc-slider label { flex: 0 0 var(--bpc-name); text-align: right; white-space: nowrap; }
.bpc-ne .bpc-slider input { flex: 1 1 auto; min-width: 60px; accent-color: ${POSITIVE}; }
.bpc-ne .bpc-slider select { flex: 0 1 auto; font: inherit; height: var(--bpc-height); min-width: 8em; }
.bpc-ne .bpc-slider output { flex: 0 0 3.6em; font-variant-numeric: tabular-nums; }
.bpc-ne input:focus-visible, .bpc-ne select:focus-visible { outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
`;

const SLIDERS = [["x", "input x"], ["w", "weight w"], ["b", "bias b"]];  // NeuronExplorer's descriptions

export function render({ model, el }) {
  const presentation = Boolean(model.get("presentation"));
  const limits = model.get("limits");
  const size = look(presentation);
  const values = {};
  const read = () => {
    values.x = Number(model.get("x"));
    values.w = Number(model.get("w"));
    values.b = Number(model.get("b"));
    values.activation = String(model.get("activation"));
  };
  read();

  const root = htmlElement("div", { class: "bpc-ne", "data-widget": "neuron_explorer",
                                    "data-presentation": String(presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  root.style.setProperty("--bpc-name", size.controls.nameWidth);
  root.style.setProperty("--bpc-width", presentation ? "480px" : "360px");
  htmlElement("style", {}, root, STYLE);

  // NeuronExplorer's layout: the sliders and the dropdown in a column, the three read-outs beside
  // them, the picture below.
  const top = htmlElement("div", { class: "bpc-row" }, root);
  const controls = htmlElement("div", { class: "bpc-column bpc-controls" }, top);
  const sliders = {};
  for (const [name, label] of SLIDERS) {
    const [low, high] = limits[name];
    sliders[name] = sliderRow(controls, label, { min: low, max: high, step: limits.step, "aria-label": label,
                                                 "data-name": name });
  }
  const { row: selectRow, id: selectId } = controlRow(controls, "activation");
  const select = htmlElement("select", { id: selectId, "aria-label": "activation", "data-name": "activation" },
                             selectRow);
  for (const option of limits.activations) htmlElement("option", { value: option }, select, option);
  const column = htmlElement("div", { class: "bpc-column bpc-readouts" }, top);
  const readouts = {};
  for (const name of ["z", "a", "slope"]) {
    readouts[name] = htmlElement("div", { class: "bpc-readout", "data-name": `${name}_label` }, column);
  }
  const [inchesWide, inchesTall] = FIGURE_INCHES.map((side) => side * size.figureScale);
  const svg = svgFigure(inchesWide, inchesTall, htmlElement("div", {}, root));
  svg.setAttribute("aria-label",
                   "The activation's curve (solid) and its slope (dashed), with a dot where this neuron sits");
  el.appendChild(root);

  let picture = null;
  let drawn = null;   // the activation the axes show
  // NeuronExplorer._update: the numbers, the dot and its guides, and the three read-outs.
  function update() {
    const n = neuronNumbers(values.x, values.w, values.b, values.activation);
    if (drawn !== n.activation) {
      picture = drawActivation(svg, presentation, n.activation, limits.z_range);   // ActivationPlot.update
      drawn = n.activation;
    }
    moveDot(picture, n.z, n.a);
    for (const [name] of SLIDERS) setTextIfChanged(sliders[name].output, fmt(values[name], 2));
    fillPieces(readouts.z, [
      [`z = w·x + b = (${fmt(n.w, 2)})·(${fmt(n.x, 2)}) + (${fmt(n.b, 2)}) = `, false], [fmt(n.z), true, "z", n.z]]);
    fillPieces(readouts.a, [[`a = ${n.activation}(z) = `, false], [fmt(n.a), true, "a", n.a]]);
    fillPieces(readouts.slope, [[`slope da/dz = ${n.activation}′(z) = `, false],
                                [fmt(n.slope), true, "slope", n.slope]]);
    root.dataset.x = exactText(n.x);
    root.dataset.w = exactText(n.w);
    root.dataset.b = exactText(n.b);
    root.dataset.activation = n.activation;
  }

  function moveControls() {
    for (const [name] of SLIDERS) sliders[name].input.value = String(values[name]);
    select.value = values.activation;
  }

  function send(names) {
    for (const name of names) model.set(name, values[name]);
    model.save_changes();
  }

  const listen = listenerList();
  const drag = dragTracker(listen);
  keepKeys(listen, root);
  kernelGone(model, root);
  for (const [name] of SLIDERS) {
    const input = sliders[name].input;
    listen(input, "input", () => {
      values[name] = Number(input.value);
      update();
    });
    drag.slider(input, () => { send([name]); });
  }
  listen(select, "change", () => {
    values.activation = select.value;
    update();
    send(["activation"]);
  });

  // The kernel's values, when its code changes them (or echoes the page's own): shown at once,
  // except during a drag, whose end sends the page's values back.
  const onChange = () => {
    if (drag.active) return;
    read();
    moveControls();
    update();
  };
  const names = [...SLIDERS.map(([name]) => name), "activation"];
  for (const name of names) model.on(`change:${name}`, onChange);

  moveControls();
  update();
  return () => {
    for (const name of names) model.off(`change:${name}`, onChange);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
