// The chain-rule nudger, drawn and computed in the page: sliders for x and the nudge Δx; each link's
// derivative, their product (the chain rule's dL/dx) and the measured slope ΔL/Δx, with the tangent
// and the secant drawn over the loss curve L(x) = (σ(w·x) − y)².
// The maths mirrors helpers/activations.py, helpers/losses.py and helpers/widgets/chain_rule.py line
// by line, and the widget mirrors ChainRuleNudger; each function names the Python it follows. Python
// stays the source of truth: the page sends x and Δx to the kernel when a move ends (a slider let go,
// a key press), and redraws whenever the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/chain_rule_nudger.py, PageChainRuleNudger):
//   x and nudge (the page sets these), constants {w, y}, limits {x: [lo, hi], x_step,
//   nudge_exponents: [lo, hi], nudge_step, tangent_half_width, rise_run_label_min},
//   presentation (true: the large sizes of presentation mode).

// ---- the maths ----

// helpers.activations._sigmoid for one number: exp(−|z|) never overflows, so both branches stay finite.
function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// helpers.activations._sigmoid_derivative: σ′(z) = σ(z)(1 − σ(z)).
function sigmoidDerivative(z) {
  const s = sigmoid(z);
  return s * (1.0 - s);
}

// helpers.losses.squared_error for one output of one sample: the mean over one sample of the sum
// over one output of (ŷ − y)², which is (ŷ − y)·(ŷ − y) itself (NumPy squares by multiplying).
function squaredError(yHat, y) {
  const d = yHat - y;
  return d * d;
}

// helpers.losses.squared_error_gradient for one sample: 2(ŷ − y) / N with N = 1.
function squaredErrorGradient(yHat, y) {
  return 2.0 * (yHat - y) / 1;
}

// helpers.widgets.chain_rule.chain_links: the values along x → z → a → L and each link's derivative.
function chainLinks(x, w, y) {
  const z = w * x;
  const a = sigmoid(z);
  const links = { x, z, a, L: squaredError(a, y), dz_dx: w, da_dz: sigmoidDerivative(z), dL_da: squaredErrorGradient(a, y) };
  links.dL_dx = links.dL_da * links.da_dz * links.dz_dx;   // ChainLinks.dL_dx: dL/da · da/dz · dz/dx
  return links;
}

// helpers.widgets.chain_rule.chain_loss: L(x) = (σ(w·x) − y)².
function chainLoss(x, w, y) {
  const d = sigmoid(w * x) - y;
  return d * d;
}

// helpers.widgets.chain_rule.measured_slope: the forward difference (L(x + Δx) − L(x)) / Δx.
function measuredSlope(x, dx, w, y) {
  return (chainLoss(x + dx, w, y) - chainLoss(x, w, y)) / dx;
}

// ---- numbers, written as Python writes them ----

// The exact decimal digits of a finite double: { digits, point } with value = 0.digits × 10^point.
// A double is m·2^k, and m·2^k = m·5^(−k) / 10^(−k) for k < 0, so BigInt gives every digit exactly.
function exactDecimal(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let power = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mantissa |= 1n << 52n;
  let digits, point;
  if (power >= 0) {
    digits = (mantissa << BigInt(power)).toString();
    point = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-power)).toString();
    point = digits.length + power;
  }
  return { digits, point };
}

// Python's f"{x:.{n}e}" for a finite x: n decimals after the first significant digit, a tie going to the
// even digit (JavaScript's toExponential sends a tie up: 0.125 to 1.2e-01 in Python, 1.3e-1 there),
// and an exponent of at least two digits.
function pyExponential(x, n) {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}${(0).toFixed(n)}e+00`;
  const { digits, point } = exactDecimal(x);
  const first = digits.search(/[1-9]/);
  const significant = digits.slice(first);
  let exponent = point - first - 1;
  let kept = BigInt(significant.slice(0, n + 1).padEnd(n + 1, "0"));
  const rest = significant.slice(n + 1);
  const half = rest.length > 0 && (rest[0] > "5" || (rest[0] === "5" && /[1-9]/.test(rest.slice(1))));
  const tie = rest.length > 0 && rest[0] === "5" && !/[1-9]/.test(rest.slice(1));
  if (half || (tie && kept % 2n === 1n)) kept += 1n;
  let text = kept.toString();
  if (text.length > n + 1) {     // 9.99…5 rounded up to 10.0…
    text = text.slice(0, n + 1);
    exponent += 1;
  }
  const mantissa = n > 0 ? `${text[0]}.${text.slice(1)}` : text;
  const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${sign}${mantissa}e${power}`;
}

// helpers.formatting.number with chain_rule.number's tiny_digits=3: like fmt, but a number below
// 0.001 in e-notation with 3 decimals, true minus signs.
function number(value) {
  if (Number.isFinite(value) && value !== 0 && Math.abs(value) < 1e-3) {
    return pyExponential(value, 3).replaceAll("-", MINUS);
  }
  return fmt(value);
}

// ---- the read-outs: ChainRuleNudger._update_artists, line by line ----

const NBSP = "\u00a0";

// Each line is a list of pieces [text, bold, name, value]; a named piece carries its exact value.
function nudgerLines(links, measured, dx, w, y) {
  const slope = links.dL_dx;
  const gap = Math.abs(measured - slope);
  return {
    forward: [[`x = `, false], [fmt(links.x, 2), false, "x", links.x], [" → z = w·x = ", false],
              [number(links.z), false, "z", links.z], [" → a = σ(z) = ", false], [number(links.a), false, "a", links.a],
              [` → L = (a − ${short(y)})² = `, false], [number(links.L), false, "L", links.L],
              [` ${NBSP} (w = ${short(w)})`, false]],
    dL_da: [["link 1:", true], [" dL/da = 2(a − y) = ", false], [number(links.dL_da), false, "dL_da", links.dL_da]],
    da_dz: [["link 2:", true], [" da/dz = σ(z)(1 − σ(z)) = ", false], [number(links.da_dz), false, "da_dz", links.da_dz]],
    dz_dx: [["link 3:", true], [" dz/dx = w = ", false], [number(links.dz_dx), false, "dz_dx", links.dz_dx]],
    product: [["chain rule:", true], [` dL/dx = dL/da × da/dz × dz/dx = ${number(links.dL_da)} × ` +
              `${number(links.da_dz)} × ${number(links.dz_dx)} = `, false], [number(slope), true, "dL_dx", slope]],
    measured: [["measured:", true], [" ΔL/Δx = (L(x + Δx) − L(x)) / Δx with Δx = ", false],
               [pyExponential(dx, 1), false, "dx", dx], [": ", false], [number(measured), true, "measured", measured]],
    gap: [["gap |ΔL/Δx − dL/dx| = ", false], [pyExponential(gap, 2), false, "gap", gap],
          [` ${NBSP} (it shrinks roughly in step with Δx)`, false]],
  };
}

// ---- the picture: ChainRuleNudger._draw_static and _update_artists ----

// style.FIGSIZE (drawn PRESENTATION_FIGURE_SCALE times larger in presentation mode), and where the
// constrained layout puts the axes in each look, as fractions of the figure (left, bottom, width, height).
const FIGSIZE = [6.4, 4.0];
const AXES_BOX = { course: [0.0933, 0.1250, 0.9002, 0.8112], presentation: [0.0941, 0.1292, 0.9007, 0.8118] };
const CURVE_POINTS = 400;
const PATH_COLOUR = PALETTE.black;   // helpers.style.PATH: the point where the learner stands
const TICK_LENGTH = { course: 3.5, presentation: 6.0 };   // points, as COURSE_RCPARAMS and PRESENTATION_RCPARAMS
const SPINE_WIDTH = { course: 0.8, presentation: 1.5 };
const TICK_SIZE = { course: 11, presentation: 14 };
const LEGEND_SIZE = { course: 11 * 0.833, presentation: 14 * 0.952 };   // "small" of legend.fontsize

function drawFigure(parent, presentation, limits, w, y) {
  const scale = presentation ? 1.25 : 1.0;
  const lookName = presentation ? "presentation" : "course";
  const size = look(presentation);
  const [widthIn, heightIn] = [FIGSIZE[0] * scale, FIGSIZE[1] * scale];
  const svg = svgFigure(widthIn, heightIn, parent);
  const [W_PT, H_PT] = [widthIn * 72, heightIn * 72];
  const [left, bottom, width, height] = AXES_BOX[lookName];
  const box = { x0: left * W_PT, x1: (left + width) * W_PT, y0: (1 - bottom - height) * H_PT, y1: (1 - bottom) * H_PT };
  const [xLow, xHigh] = [limits.x[0] - 0.2, limits.x[1] + 1.2];   // ax.set_xlim(xs[0], xs[-1])
  const [yLow, yHigh] = [-0.15, 1.15];                             // ax.set_ylim(-0.15, 1.15)
  const px = (v) => box.x0 + (v - xLow) / (xHigh - xLow) * (box.x1 - box.x0);
  const py = (v) => box.y1 - (v - yLow) / (yHigh - yLow) * (box.y1 - box.y0);
  const id = `bpc-clip-${Math.random().toString(36).slice(2)}`;
  const clip = svgElement("clipPath", { id }, svgElement("defs", {}, svg));
  svgElement("rect", { x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }, clip);

  // The axes: left and bottom spines, ticks outward, labels and the title.
  const spine = SPINE_WIDTH[lookName], tick = TICK_LENGTH[lookName], tickSize = TICK_SIZE[lookName];
  const axes = svgElement("g", { stroke: "black", "stroke-width": spine }, svg);
  svgElement("line", { x1: box.x0, y1: box.y1, x2: box.x1, y2: box.y1, "stroke-linecap": "square" }, axes);
  svgElement("line", { x1: box.x0, y1: box.y0, x2: box.x0, y2: box.y1, "stroke-linecap": "square" }, axes);
  for (let t = Math.ceil(xLow); t <= xHigh; t += 1) {
    svgElement("line", { x1: px(t), y1: box.y1, x2: px(t), y2: box.y1 + tick }, axes);
    svgText(svg, px(t), box.y1 + tick + 3.5, figureNumber(t, 0), tickSize, { baseline: "hanging" });
  }
  for (let k = 0; k <= 5; k += 1) {
    const t = k * 0.2;
    svgElement("line", { x1: box.x0 - tick, y1: py(t), x2: box.x0, y2: py(t) }, axes);
    svgText(svg, box.x0 - tick - 3.5, py(t), t.toFixed(1), tickSize, { anchor: "end" });
  }
  svgText(svg, (box.x0 + box.x1) / 2, H_PT - 4, "x", size.fontSize, { baseline: "alphabetic" });
  const yLabel = svgText(svg, 0, 0, "loss L", size.fontSize, { baseline: "hanging" });
  yLabel.setAttribute("transform", `translate(4 ${(box.y0 + box.y1) / 2}) rotate(-90)`);
  svgText(svg, (box.x0 + box.x1) / 2, box.y0 - 6, "Tangent (chain rule) against secant (a real nudge)",
          size.titleSize, { baseline: "alphabetic" });

  // The loss curve, drawn once over np.linspace(xLow, xHigh, 400).
  const plot = svgElement("g", { "clip-path": `url(#${id})`, fill: "none" }, svg);
  const points = [];
  for (let i = 0; i < CURVE_POINTS; i += 1) {
    const v = xLow + (xHigh - xLow) * i / (CURVE_POINTS - 1);
    points.push(`${px(v).toFixed(2)},${py(chainLoss(v, w, y)).toFixed(2)}`);
  }
  svgElement("polyline", { points: points.join(" "), stroke: LOSS, "stroke-width": 2.5, "stroke-linejoin": "round" }, plot);
  const line = (colour, widthPt, dashes = "none") => svgElement("line", {
    stroke: colour, "stroke-width": widthPt, "stroke-dasharray": dashes, "stroke-linecap": "butt" }, plot);
  const picture = {
    svg, px, py,
    tangent: line(PALETTE.blue, 2),
    secant: line(PALETTE.vermillion, 1.8, `${3.7 * 1.8} ${1.6 * 1.8}`),   // matplotlib's "--", scaled by the width
    run: line(PALETTE.purple, 2.5),
    rise: line(PALETTE.purple, 2.5),
  };
  const labels = svgElement("g", {}, svg);
  const bold = { weight: "bold", colour: PALETTE.purple };
  picture.runText = svgText(labels, 0, 0, "", size.fontSize, bold);
  picture.riseText = svgText(labels, 0, 0, "", size.fontSize, { ...bold, anchor: "start" });
  const markers = svgElement("g", { "clip-path": `url(#${id})` }, svg);
  picture.point = svgElement("circle", { r: 3.5, fill: PATH_COLOUR, stroke: PATH_COLOUR }, markers);   // ms=7
  picture.nudged = svgElement("rect", { width: 6, height: 6, fill: PALETTE.vermillion, stroke: PALETTE.vermillion }, markers);

  // The legend, upper right, with no frame, drawn over the lines (ax.legend(loc="upper right", fontsize="small")).
  const legendSize = LEGEND_SIZE[lookName];
  const entries = [[`L(x) = (σ(${pyGeneral(w, 6)}·x) − ${pyGeneral(y, 6)})²`, LOSS, 2.5, "none"],
                   ["tangent: slope dL/dx (chain rule)", PALETTE.blue, 2, "none"],
                   ["secant: slope ΔL/Δx (measured)", PALETTE.vermillion, 1.8, `${3.7 * 1.8} ${1.6 * 1.8}`]];
  const legend = svgElement("g", {}, svg);
  const textWidth = Math.max(...entries.map(([text]) => text.length)) * legendSize * 0.5;   // DejaVu Sans: about half an em a character
  const handle = 2.0 * legendSize, pad = 0.8 * legendSize;
  const legendLeft = box.x1 - 0.9 * legendSize - textWidth - pad - handle;
  entries.forEach(([text, colour, widthPt, dashes], i) => {
    const yy = box.y0 + 1.38 * legendSize + i * 1.6 * legendSize;   // where matplotlib's rows fall, labelspacing 0.5
    svgElement("line", { x1: legendLeft, y1: yy, x2: legendLeft + handle, y2: yy, stroke: colour, "stroke-width": widthPt,
                         "stroke-dasharray": dashes }, legend);
    svgText(legend, legendLeft + handle + pad, yy, text, legendSize, { anchor: "start" });
  });
  return picture;
}


// ChainRuleNudger._update_artists: the tangent, the secant, the two points and the nudge's triangle.
function updateFigure(picture, links, measured, dx, LNudged, limits) {
  const { px, py } = picture;
  const x = links.x, slope = links.dL_dx;
  const half = limits.tangent_half_width;
  const place = (node, xa, ya, xb, yb) => {
    setIfChanged(node, "x1", px(xa)); setIfChanged(node, "y1", py(ya));
    setIfChanged(node, "x2", px(xb)); setIfChanged(node, "y2", py(yb));
  };
  place(picture.tangent, x - half, links.L + slope * (-half), x + half, links.L + slope * half);
  // The secant runs through both points and a little beyond, so its slope is easy to see.
  const span = Math.max(dx, 0.6);
  place(picture.secant, x - 0.3 * span, links.L + measured * (-0.3 * span), x + 1.3 * span, links.L + measured * (1.3 * span));
  setIfChanged(picture.point, "cx", px(x));
  setIfChanged(picture.point, "cy", py(links.L));
  setIfChanged(picture.nudged, "x", px(x + dx) - 3);
  setIfChanged(picture.nudged, "y", py(LNudged) - 3);
  picture.nudged.dataset.x = exactText(x + dx);
  picture.nudged.dataset.value = exactText(LNudged);
  place(picture.run, x, links.L, x + dx, links.L);
  place(picture.rise, x + dx, links.L, x + dx, LNudged);
  // Label the legs only while they are long enough to see; the run's label goes on the side of the
  // run away from the rise, so the two never overlap.
  const visible = dx >= limits.rise_run_label_min;
  const below = LNudged > links.L;
  setIfChanged(picture.runText, "x", px(x + dx / 2));
  setIfChanged(picture.runText, "y", py(links.L + (below ? -0.03 : 0.03)));
  setIfChanged(picture.runText, "dominant-baseline", below ? "hanging" : "alphabetic");
  setTextIfChanged(picture.runText, visible ? "Δx" : "");
  setIfChanged(picture.riseText, "x", px(x + dx + 0.04));
  setIfChanged(picture.riseText, "y", py((links.L + LNudged) / 2));
  setTextIfChanged(picture.riseText, visible ? "ΔL" : "");
}

// ---- the controls and read-outs ----

const STYLE = `
.bpc-crn { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
           display: flex; flex-direction: column; gap: 6px; }
.bpc-crn .bpc-row { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start; }
.bpc-crn .bpc-readouts { line-height: 1.5; }
.bpc-crn .bpc-beside { flex: 1 1 250px; min-width: 0; font-size: calc(var(--bpc-font) * 0.9); line-height: 1.3; }
.bpc-crn .bpc-readout [data-name] { white-space: nowrap; }   /* a number is never broken, as 9.53e- | 02 */
.bpc-crn .bpc-pair { flex-wrap: nowrap; }
.bpc-crn .bpc-pair > .bpc-slider { width: auto; flex: 0 1 var(--bpc-width); min-width: 0; }
.bpc-crn .bpc-slider { display: flex; align-items: center; gap: 8px; height: var(--bpc-height); width: var(--bpc-width); }
.bpc-crn .bpc-slider label { flex: 0 0 var(--bpc-name); text-align: right; white-space: nowrap; }
.bpc-crn .bpc-slider input { flex: 1 1 auto; min-width: 60px; accent-color: ${POSITIVE}; }
.bpc-crn .bpc-slider output { flex: 0 0 4.6em; font-variant-numeric: tabular-nums; }
.bpc-crn input:focus-visible { outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
`;

export function render({ model, el }) {
  const presentation = Boolean(model.get("presentation"));
  const limits = model.get("limits");
  const constants = model.get("constants");
  const [w, y] = [Number(constants.w), Number(constants.y)];
  const size = look(presentation);
  let x = Number(model.get("x"));
  let dx = Number(model.get("nudge"));

  const root = htmlElement("div", { class: "bpc-crn", "data-widget": "chain_rule_nudger",
                                    "data-presentation": String(presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  root.style.setProperty("--bpc-name", size.controls.nameWidth);
  root.style.setProperty("--bpc-width", presentation ? "480px" : "340px");
  htmlElement("style", {}, root, STYLE);

  // ChainRuleNudger.__init__: the two sliders side by side, x (step 0.01) and Δx on a log scale.
  // Side by side, as in ipywidgets' HBox: in presentation mode the two share what room there is.
  const sliders = htmlElement("div", { class: presentation ? "bpc-row bpc-pair" : "bpc-row" }, root);
  const xSlider = sliderRow(sliders, "x", { min: limits.x[0], max: limits.x[1], step: limits.x_step,
                                            "aria-label": "x", "data-name": "x" });
  const nudgeSlider = sliderRow(sliders, "nudge Δx", {
    min: limits.nudge_exponents[0], max: limits.nudge_exponents[1], step: limits.nudge_step,
    "aria-label": "nudge Δx", "data-name": "nudge" });
  let numbers, pictureHolder;
  if (presentation) {
    // Beside the picture, in the room to its right (below it when the page is too narrow), in type a
    // little smaller than the controls' (18 px): at 1280x720, with 599 px of notebook in view, the
    // sliders, the picture and every line of numbers are on screen together.
    const row = htmlElement("div", { class: "bpc-row" }, root);
    pictureHolder = htmlElement("div", { style: "flex: 0 0 auto" }, row);
    numbers = htmlElement("div", { class: "bpc-readouts bpc-beside" }, row);
  } else {
    numbers = htmlElement("div", { class: "bpc-readouts" }, root);
    pictureHolder = htmlElement("div", {}, root);
  }
  const readouts = {};
  for (const name of ["forward", "dL_da", "da_dz", "dz_dx", "product", "measured", "gap"]) {
    readouts[name] = htmlElement("div", { class: "bpc-readout", "data-name": name }, numbers);
  }
  const picture = drawFigure(pictureHolder, presentation, limits, w, y);
  el.appendChild(root);

  function moveSliders() {
    xSlider.input.value = String(x);
    nudgeSlider.input.value = String(Math.log10(dx));
  }

  // ChainRuleNudger._on_change: the links, the measured slope, the picture, then the numbers.
  function update() {
    const links = chainLinks(x, w, y);
    const measured = measuredSlope(x, dx, w, y);
    const LNudged = chainLoss(x + dx, w, y);
    updateFigure(picture, links, measured, dx, LNudged, limits);
    setTextIfChanged(xSlider.output, fmt(x, 2));
    setTextIfChanged(nudgeSlider.output, pyExponential(dx, 1).replaceAll("-", MINUS));
    const lines = nudgerLines(links, measured, dx, w, y);
    for (const [name, pieces] of Object.entries(lines)) fillPieces(readouts[name], pieces);
    root.dataset.x = exactText(x);
    root.dataset.nudge = exactText(dx);
  }

  function send(name) {
    model.set(name, name === "x" ? x : dx);
    model.save_changes();
  }

  const listen = listenerList();
  const drag = dragTracker(listen);
  keepKeys(listen, root);
  kernelGone(model, root);
  listen(xSlider.input, "input", () => { x = Number(xSlider.input.value); update(); });
  drag.slider(xSlider.input, () => { send("x"); });
  // ipywidgets' FloatLogSlider: the value is base ** exponent.
  listen(nudgeSlider.input, "input", () => { dx = 10 ** Number(nudgeSlider.input.value); update(); });
  drag.slider(nudgeSlider.input, () => { send("nudge"); });

  // The kernel's numbers, when its code changes them (or echoes the page's own): shown at once,
  // except during a drag, whose end sends the page's numbers back.
  const onX = () => {
    if (drag.active) return;
    x = Number(model.get("x"));
    moveSliders();
    update();
  };
  const onNudge = () => {
    if (drag.active) return;
    dx = Number(model.get("nudge"));
    moveSliders();
    update();
  };
  model.on("change:x", onX);
  model.on("change:nudge", onNudge);

  moveSliders();
  update();
  return () => {
    model.off("change:x", onX);
    model.off("change:nudge", onNudge);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
