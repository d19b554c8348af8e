// The weight explorer, drawn and computed in the page: the 2-2-1 worked example with a slider per
// weight and one for η, live ŷ, loss and each weight's blame, a Step and a Reset button.
// The maths mirrors helpers/tiny.py line by line and the widget mirrors helpers/widgets/weights.py
// (WeightExplorer); each function names the Python it follows. Python stays the source of truth:
// the page sends its weights and η to the kernel when a move ends (a slider let go, a key press,
// Step, Reset), and redraws whenever the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/weight_explorer.py, PageWeightExplorer):
//   weights {w1..w4} and eta (the page sets these), start_weights and start_eta (for Reset),
//   sample {x1, x2, y}, limits {weight: [lo, hi], weight_step, eta: [lo, hi], saturated_slope,
//   diverged_weight}, presentation (true: the large sizes of presentation mode).

const WEIGHT_NAMES = ["w1", "w2", "w3", "w4"];  // helpers.tiny.WEIGHT_NAMES

// helpers.activations._sigmoid_number: σ(z) with the same steps, so the same float comes out.
function sigmoidNumber(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// helpers.tiny.TwoTwoOne.chain: the forward pass and every chain-rule factor for one sample.
function tinyChain(w, x1, x2, y) {
  const z1 = w.w1 * x1, z2 = w.w2 * x2;
  const h1 = sigmoidNumber(z1), h2 = sigmoidNumber(z2);
  const y_hat = w.w3 * h1 + w.w4 * h2;
  const error = y_hat - y;
  return {
    x1, x2, y, z1, z2, h1, h2, y_hat, loss: error * error,
    dL_dy_hat: 2.0 * (y_hat - y),
    dy_hat_dw3: h1, dy_hat_dw4: h2,
    dy_hat_dh1: w.w3, dy_hat_dh2: w.w4,
    dh1_dz1: h1 * (1.0 - h1), dh2_dz2: h2 * (1.0 - h2),
    dz1_dw1: x1, dz2_dw2: x2,
  };
}

// helpers.tiny.Chain.gradients, with the properties it reads: dL_dw3 = ∂L/∂ŷ · ∂ŷ/∂w3 (two factors);
// dL_dw1 = ∂L/∂ŷ · ∂ŷ/∂h1 · dh1_dw1, where dh1_dw1 = ∂h1/∂z1 · ∂z1/∂w1 (four factors, the last two
// multiplied first, as Chain.dL_dw1 does).
function chainGradients(c) {
  const dh1_dw1 = c.dh1_dz1 * c.dz1_dw1;
  const dh2_dw2 = c.dh2_dz2 * c.dz2_dw2;
  return {
    w1: c.dL_dy_hat * c.dy_hat_dh1 * dh1_dw1,
    w2: c.dL_dy_hat * c.dy_hat_dh2 * dh2_dw2,
    w3: c.dL_dy_hat * c.dy_hat_dw3,
    w4: c.dL_dy_hat * c.dy_hat_dw4,
  };
}

// helpers.widgets.weights._finite: every weight finite and below DIVERGED_WEIGHT in size.
function finiteWeights(weights, limits) {
  return WEIGHT_NAMES.every((n) => Number.isFinite(weights[n]) && Math.abs(weights[n]) < limits.diverged_weight);
}

// helpers.widgets.weights.WeightExplorer.state: the numbers the read-outs show.
function explorerState(weights, eta, sample, limits) {
  if (!finiteWeights(weights, limits)) {
    return { weights, eta, y_hat: NaN, loss: NaN, gradients: { w1: NaN, w2: NaN, w3: NaN, w4: NaN },
             next_y_hat: NaN, diverged: true, chain: null };
  }
  const chain = tinyChain(weights, sample.x1, sample.x2, sample.y);
  const grads = chainGradients(chain);
  const after = {};
  for (const n of WEIGHT_NAMES) after[n] = weights[n] - eta * grads[n];
  const next_y_hat = finiteWeights(after, limits) ? tinyChain(after, sample.x1, sample.x2, sample.y).y_hat : NaN;
  // _base.loss_diverged([loss]): one loss diverged when it is not finite or beyond DIVERGED_ABOVE.
  const diverged = !Number.isFinite(chain.loss) || Math.abs(chain.loss) > DIVERGED_ABOVE;
  return { weights, eta, y_hat: chain.y_hat, loss: chain.loss, gradients: grads, next_y_hat, diverged, chain };
}

// helpers.widgets.weights.WeightExplorer.step (with helpers.tiny.TwoTwoOne.step's update):
// w ← w − η·∂L/∂w for all four weights; weights that already blew up are left as they are.
function stepWeights(weights, eta, sample, limits) {
  if (!finiteWeights(weights, limits)) return { ...weights };
  const grads = chainGradients(tinyChain(weights, sample.x1, sample.x2, sample.y));
  const next = {};
  for (const n of WEIGHT_NAMES) next[n] = weights[n] - eta * grads[n];
  return next;
}

// helpers.widgets.weights.WeightExplorer.saturated: hidden units whose slope σ′(z) is below SATURATED_SLOPE.
function saturatedUnits(chain, limits) {
  if (chain === null) return [];
  const slopes = { h1: chain.dh1_dz1, h2: chain.dh2_dz2 };
  return Object.keys(slopes).filter((h) => slopes[h] < limits.saturated_slope);
}

// helpers.widgets.weights.WeightExplorer._status: a blow-up, saturated sigmoids, weights off the sliders.
// Returns a list of [text, bold] pieces.
function statusPieces(s, weights, limits) {
  if (s.diverged) return [["diverged", true], [": the steps blew the weights up. Press Reset.", false]];
  const parts = [];
  const saturated = saturatedUnits(s.chain, limits);
  if (saturated.length === 2 && s.loss > 0.01) {
    parts.push([["Stuck:", true], [" h1 and h2 are saturated (flat sigmoids), so the blame has all but vanished. " +
                                   "Press Reset, or lower η.", false]]);
  } else if (saturated.length && s.loss > 0.01) {
    const h = saturated[0];
    parts.push([[`${h} is saturated (its sigmoid is flat), so w${h[1]} gets almost no blame.`, false]]);
  }
  const [low, high] = limits.weight;
  const beyond = WEIGHT_NAMES.filter((n) => Math.abs(weights[n]) > high);
  if (beyond.length) {
    const values = beyond.map((n) => `${n} = ${fmt(weights[n], 2)}`).join(", ");
    parts.push([[`Off the sliders' ${short(low)}…${short(high)} (vermillion handle): ${values}.`, false]]);
  }
  const pieces = [];
  parts.forEach((part, i) => {
    if (i > 0) pieces.push([" ", false]);
    pieces.push(...part);
  });
  return pieces;
}

// weights.ETA_KEYS and ETA_PAGE_KEYS: the η a key press on the η slider steps through, the
// playground's round values up to this slider's 5 (course.js's decades and keyTarget): 0.01, 0.012,
// 0.015, ... 0.5, ... 4.5, 5, forty presses of an arrow key from end to end.
function etaKeys(high) {
  return { keys: decades(ETA_MANTISSAS, -2, 1).filter((v) => v <= high),
           pageKeys: decades([1, 2, 5], -2, 1).filter((v) => v <= high) };
}

// ---- the picture: helpers/plots/diagram.py's network_diagram for the 2-2-1 example ----

// weights.FIGSIZE and weights.PRESENTATION_FIGSIZE, in inches (the latter drawn 1.25 times larger).
const FIGURE_INCHES = { course: [6.4, 3.9], presentation: [6.4, 3.5] };
// network_diagram's positions for sizes [2, 2, 1]: layer l at x = l, its nodes spread evenly about y = 0.
const NODES = { x1: [0, 0.5], x2: [0, -0.5], h1: [1, 0.5], h2: [1, -0.5], y_hat: [2, 0.0] };
const NODE_NAMES = { x1: ["x", "1"], x2: ["x", "2"], h1: ["h", "1"], h2: ["h", "2"], y_hat: ["ŷ", ""] };
const EDGES = { w1: ["x1", "h1"], w2: ["x2", "h2"], w3: ["h1", "y_hat"], w4: ["h2", "y_hat"] };  // diagram._TINY_EDGES
const LIMITS_X = [-0.3, 2.3], LIMITS_Y = [-0.83, 0.8];   // network_diagram's limits for sizes [2, 2, 1]
const NODE_DIAMETER = Math.sqrt(1100);  // points: a scatter marker of size 1100 pt²
const VALUE_OFFSET = 20;                // points below a node's centre, where its value is written
const WEIGHT_OFFSET = 11, BLAME_OFFSET = 13;  // points either side of a line: its weight above, its blame below
const PRESENTATION_TEXT = 1.25;         // the picture's words in presentation mode, times the kernel figure's

function drawNetwork(parent, presentation, sample) {
  const size = look(presentation);
  const [w, h] = FIGURE_INCHES[presentation ? "presentation" : "course"].map((side) => side * size.figureScale);
  const svg = svgFigure(w, h, parent);
  svg.setAttribute("aria-label", "The 2-2-1 network: line width grows with |w|, solid when w ≥ 0, dashed when w < 0");
  const width = w * 72, height = h * 72;
  const top = size.titleSize * 1.05 + 6, bottom = height - 3, left = 3, right = width - 3;
  const px = (x) => left + (x - LIMITS_X[0]) / (LIMITS_X[1] - LIMITS_X[0]) * (right - left);
  const py = (y) => bottom - (y - LIMITS_Y[0]) / (LIMITS_Y[1] - LIMITS_Y[0]) * (bottom - top);
  svgText(svg, width / 2, top - 6, `x = (${pyGeneral(sample.x1, 6)}, ${pyGeneral(sample.x2, 6)}), target y = ` +
          `${pyGeneral(sample.y, 6)}; line width ∝ |w|, dashed if w < 0`, size.titleSize,
          { baseline: "alphabetic" });
  // In presentation mode the picture's words are 1.25 times the kernel figure's (its blames 12.5 pt, about
  // 20 px tall on screen), for the back row; the normal picture keeps the kernel figure's sizes.
  const t = presentation ? PRESENTATION_TEXT : 1;
  const picture = { svg, edges: {}, weightLabels: {}, blameBoxes: {}, blameLabels: {}, valueLabels: {}, textScale: t };
  const edgeLayer = svgElement("g", {}, svg), labelLayer = svgElement("g", {}, svg), nodeLayer = svgElement("g", {}, svg);
  for (const [name, [from, to]] of Object.entries(EDGES)) {
    const [x0, y0] = [px(NODES[from][0]), py(NODES[from][1])];
    const [x1, y1] = [px(NODES[to][0]), py(NODES[to][1])];
    picture.edges[name] = svgElement("line", { x1: x0, y1: y0, x2: x1, y2: y1, "stroke-linecap": "butt" }, edgeLayer);
    // Each weight is written along its line, just above it; its blame just below, in a pale orange box.
    const angle = Math.atan2(y1 - y0, x1 - x0) * 180 / Math.PI;
    const length = Math.hypot(x1 - x0, y1 - y0);
    const normal = [(y1 - y0) / length, -(x1 - x0) / length];   // pointing up the page
    const [xm, ym] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const along = (offset) => svgElement("g", {
      transform: `translate(${xm + offset * t * normal[0]} ${ym + offset * t * normal[1]}) rotate(${angle})`,
    }, labelLayer);
    picture.weightLabels[name] = svgText(along(WEIGHT_OFFSET), 0, 0, "", 11 * t);
    const blame = along(-BLAME_OFFSET);
    picture.blameBoxes[name] = svgElement("rect", { y: -7.5 * t, height: 15 * t, rx: 3, fill: BLAME_FILL, stroke: LOSS,
                                                    "stroke-width": 0.8 }, blame);
    picture.blameLabels[name] = svgText(blame, 0, 0, "", 10 * t);
  }
  for (const [key, [x, y]] of Object.entries(NODES)) {
    svgElement("circle", { cx: px(x), cy: py(y), r: NODE_DIAMETER / 2, fill: key[0] === "x" ? INPUT_FILL : "white",
                           stroke: "black", "stroke-width": 1.5 }, nodeLayer);
    const [letter, index] = NODE_NAMES[key];
    const name = svgText(nodeLayer, px(x), py(y), letter, 14 * t, { italic: true });
    if (index) {
      const sub = svgElement("tspan", { "font-size": 10 * t, dy: 3 * t }, name);
      sub.textContent = index;
    }
    picture.valueLabels[key] = svgText(nodeLayer, px(x), py(y) + VALUE_OFFSET * t, "", 11 * t, { baseline: "hanging" });
  }
  return picture;
}

// NetworkDiagram.update: new widths, styles and numbers on the same elements, nothing rebuilt.
function updateNetwork(picture, weights, s, sample) {
  for (const name of WEIGHT_NAMES) {
    const w = weights[name];
    const stroke = weightStroke(w);
    const line = picture.edges[name];
    setIfChanged(line, "stroke", stroke.colour);
    setIfChanged(line, "stroke-width", stroke.width);
    setIfChanged(line, "stroke-dasharray", stroke.dashes);
    setTextIfChanged(picture.weightLabels[name], `${name} = ${figureNumber(w, 2)}`);  // diagram._weight_text
    const blame = `∂L/∂${name} = ${figureNumber(s.gradients[name], 3, true)}`;      // diagram._gradient_text
    setTextIfChanged(picture.blameLabels[name], blame);
    const boxWidth = (blame.length * 6.1 + 6) * picture.textScale;   // DejaVu Sans at 10 pt: about 6.1 pt a character
    setIfChanged(picture.blameBoxes[name], "width", boxWidth);
    setIfChanged(picture.blameBoxes[name], "x", -boxWidth / 2);
  }
  const values = s.chain === null ? { x1: sample.x1, x2: sample.x2, h1: NaN, h2: NaN, y_hat: NaN }
    : { x1: s.chain.x1, x2: s.chain.x2, h1: s.chain.h1, h2: s.chain.h2, y_hat: s.chain.y_hat };
  for (const [key, value] of Object.entries(values)) setTextIfChanged(picture.valueLabels[key], figureNumber(value, 3));
}

// ---- the controls and read-outs ----

const STYLE = `
.bpc-we { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
          display: flex; flex-direction: column; gap: 6px; }
.bpc-we .bpc-row { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start; }
.bpc-we .bpc-column { display: flex; flex-direction: column; gap: 2px; }
.bpc-we .bpc-controls { flex: 0 0 auto; }
.bpc-we .bpc-readouts { flex: 1 1 300px; min-width: 0; line-height: 1.5; }
.bpc-we .bpc-slider { display: flex; align-items: center; gap: 8px; height: var(--bpc-height); width: var(--bpc-width); }
.bpc-we .bpc-slider label { flex: 0 0 var(--bpc-name); text-align: right; white-space: nowrap; }
.bpc-we .bpc-slider input { flex: 1 1 auto; min-width: 60px; accent-color: ${POSITIVE}; }
.bpc-we .bpc-slider input.bpc-beyond { accent-color: ${NEGATIVE}; }
.bpc-we .bpc-slider output { flex: 0 0 4.2em; font-variant-numeric: tabular-nums; }
.bpc-we button { font: inherit; height: var(--bpc-height); padding: 0 14px; border: 1px solid #bdbdbd;
                 border-radius: 2px; background: #eeeeee; color: #000; cursor: pointer; }
.bpc-we button.bpc-primary { background: ${POSITIVE}; border-color: ${POSITIVE}; color: #fff; }
.bpc-we button:focus-visible, .bpc-we input:focus-visible { outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
.bpc-we .bpc-status { width: var(--bpc-width); height: 4.2em; overflow: hidden; line-height: 1.35; }
.bpc-we .bpc-readouts > .bpc-status { width: auto; height: 5.4em; }
.bpc-we .bpc-grid { display: grid; grid-auto-flow: column; grid-template-rows: auto auto;
                    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1.1fr); gap: 6px 12px; }
.bpc-we .bpc-grid > .bpc-slider { width: auto; min-width: 0; gap: 6px; }
.bpc-we .bpc-grid .bpc-slider label { flex: 0 0 auto; }
.bpc-we .bpc-grid .bpc-slider output { flex: 0 0 auto; min-width: 3.4em; }
.bpc-we .bpc-buttons { display: flex; gap: 16px; }
.bpc-we .bpc-beside > .bpc-picture { flex: 0 0 auto; }
.bpc-we .bpc-beside > .bpc-readouts { flex: 1 1 250px; font-size: calc(var(--bpc-font) * 0.9); line-height: 1.3; }
.bpc-we .bpc-beside .bpc-status { font-size: calc(var(--bpc-font) * 0.8); height: 10.4em; line-height: 1.3; }
`;

// A read-out line: pieces of text, each [text, bold, name]; a named piece carries the exact number in
// data-value, for a reader's code (or a test) that needs more digits than the page shows.
function readout(parent, name) {
  return htmlElement("div", { class: "bpc-readout", "data-name": name }, parent);
}

function fromModel(weights) {
  // JSON has no NaN: a weight that blew up travels as null.
  const out = {};
  for (const n of WEIGHT_NAMES) out[n] = weights[n] === null || weights[n] === undefined ? NaN : Number(weights[n]);
  return out;
}

export function render({ model, el }) {
  const presentation = Boolean(model.get("presentation"));
  const sample = model.get("sample");
  const limits = model.get("limits");
  const size = look(presentation);
  let weights = fromModel(model.get("weights"));
  let eta = Number(model.get("eta"));

  const root = htmlElement("div", { class: "bpc-we", "data-widget": "weight_explorer",
                                    "data-presentation": String(presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  root.style.setProperty("--bpc-name", size.controls.nameWidth);
  root.style.setProperty("--bpc-width", presentation ? "480px" : "460px");
  htmlElement("style", {}, root, STYLE);

  const sliders = {};
  const [low, high] = limits.weight;
  const [etaLow, etaHigh] = limits.eta;
  const makeWeightSlider = (parent, name) => {
    sliders[name] = sliderRow(parent, name, { min: low, max: high, step: limits.weight_step,
                                              "aria-label": `weight ${name}`, "data-name": name });
  };
  const makeEtaSlider = (parent) => sliderRow(parent, "η (eta)", {
    min: Math.log10(etaLow), max: Math.log10(etaHigh), step: 0.001, "aria-label": "learning rate η",
    "data-name": "eta" });
  let etaSlider, stepButton, resetButton, status, readouts, pictureHolder;

  const makeButtons = (parent) => {
    stepButton = htmlElement("button", { type: "button", class: "bpc-primary",
                                         title: "one gradient-descent step: w ← w − η·∂L/∂w" }, parent, "↓ Step");
    stepButton.setAttribute("aria-label", "Step");
    resetButton = htmlElement("button", { type: "button", title: "back to the worked example's weights" },
                              parent, "↺ Reset");
    resetButton.setAttribute("aria-label", "Reset");
  };
  const makeReadouts = (parent) => {
    readouts = { y_hat: readout(parent, "y_hat"), loss: readout(parent, "loss") };
    for (const n of WEIGHT_NAMES) readouts[n] = readout(parent, `blame_${n}`);
    readouts.next = readout(parent, "next_y_hat");
  };

  if (presentation) {
    // On a projector (1280x720, 599 px of notebook in view) the whole widget must be on screen at
    // once, so that a press of Step shows ŷ climb and the loss fall with the sliders still in view.
    // The controls take two rows, in columns laid out as the picture is: w1 above w2 (into the hidden
    // layer), w3 above w4 (into the output), then η above Step and Reset; keys move through them in
    // that order. The numbers and the status go beside the picture, in the room to its right (below
    // it when the page is too narrow), and the picture keeps its size, pixel for pixel.
    const grid = htmlElement("div", { class: "bpc-grid" }, root);
    for (const n of WEIGHT_NAMES) makeWeightSlider(grid, n);
    etaSlider = makeEtaSlider(grid);
    makeButtons(htmlElement("div", { class: "bpc-buttons" }, grid));
    // The numbers in type a little smaller than the controls' (18 px), the status in 16 px, eight
    // lines of room: at 1280x720 beside the picture, the longest status still fits.
    const pictureRow = htmlElement("div", { class: "bpc-row bpc-beside" }, root);
    pictureHolder = htmlElement("div", { class: "bpc-picture" }, pictureRow);
    const column = htmlElement("div", { class: "bpc-column bpc-readouts" }, pictureRow);
    makeReadouts(column);
    status = htmlElement("div", { class: "bpc-status", role: "status" }, column);
  } else {
    const top = htmlElement("div", { class: "bpc-row" }, root);
    const controls = htmlElement("div", { class: "bpc-column bpc-controls" }, top);
    for (const n of WEIGHT_NAMES) makeWeightSlider(controls, n);
    etaSlider = makeEtaSlider(controls);
    makeButtons(htmlElement("div", { class: "bpc-row" }, controls));
    // The status line below the numbers, whose room is wider than the controls': its longest words
    // (both hidden units saturated and every weight off its slider) take four lines there.
    const column = htmlElement("div", { class: "bpc-column bpc-readouts" }, top);
    makeReadouts(column);
    status = htmlElement("div", { class: "bpc-status", role: "status" }, column);
    pictureHolder = htmlElement("div", {}, root);
  }
  const picture = drawNetwork(pictureHolder, presentation, sample);
  el.appendChild(root);

  // WeightExplorer._move_sliders: each slider shows its weight, held at its end (with a vermillion
  // handle) when the weight lies beyond its range.
  function moveSliders() {
    for (const n of WEIGHT_NAMES) {
      const w = weights[n];
      if (Number.isFinite(w)) sliders[n].input.value = String(Math.min(Math.max(w, low), high));
      sliders[n].input.classList.toggle("bpc-beyond", !(Math.abs(w) <= high));
    }
    etaSlider.input.value = String(Math.log10(eta));
  }

  // WeightExplorer._update: the numbers, the picture and the read-outs for the current weights and η.
  function update() {
    const s = explorerState(weights, eta, sample, limits);
    updateNetwork(picture, weights, s, sample);
    for (const n of WEIGHT_NAMES) setTextIfChanged(sliders[n].output, fmt(weights[n], 2));
    setTextIfChanged(etaSlider.output, short(eta));
    fillPieces(readouts.y_hat, [["prediction ŷ = ", false], [fmt(s.y_hat), true, "y_hat", s.y_hat],
                                [` (target y = ${pyGeneral(sample.y, 6)})`, false]]);
    fillPieces(readouts.loss, [["loss L = (ŷ − y)² = ", false], [fmt(s.loss), true, "loss", s.loss]]);
    for (const n of WEIGHT_NAMES) {
      const g = s.gradients[n];
      fillPieces(readouts[n], [[`blame ∂L/∂${n} = `, false], [signed(g), true, `dL_d${n}`, g],
                               [`, so a step moves ${n} by `, false], [signed(-eta * g), false, `move_${n}`, -eta * g]]);
    }
    fillPieces(readouts.next, [[`ŷ after one step with η = ${short(eta)}: `, false],
                               [fmt(s.next_y_hat), true, "next_y_hat", s.next_y_hat]]);
    fillPieces(status, statusPieces(s, weights, limits));
    root.dataset.eta = exactText(eta);
  }

  function send(names) {
    for (const name of names) {
      if (name === "weights") model.set("weights", { ...weights });
      if (name === "eta") model.set("eta", eta);
    }
    model.save_changes();
  }

  const listen = listenerList();
  const drag = dragTracker(listen);
  keepKeys(listen, root);
  kernelGone(model, root);
  for (const n of WEIGHT_NAMES) {
    const input = sliders[n].input;
    listen(input, "input", () => {
      weights = { ...weights, [n]: Number(input.value) };
      input.classList.remove("bpc-beyond");   // dragged back: the slider tells the truth again
      update();
    });
    drag.slider(input, () => { send(["weights"]); });
  }
  listen(etaSlider.input, "input", () => {
    eta = logValue(10 ** Number(etaSlider.input.value));
    update();
  });
  drag.slider(etaSlider.input, () => { send(["eta"]); });
  // η spans decades: a key press steps through round values (etaKeys) instead of the slider's own fine
  // step, and the value goes to Python at once, as a key press ends a move.
  const { keys: ETA_KEYS, pageKeys: ETA_PAGE_KEYS } = etaKeys(etaHigh);
  keyedSlider(listen, etaSlider.input, ETA_KEYS, ETA_PAGE_KEYS, () => eta, (value) => {
    eta = value;
    moveSliders();
    update();
    send(["eta"]);
  });
  listen(stepButton, "click", () => {
    weights = stepWeights(weights, eta, sample, limits);
    moveSliders();
    update();
    send(["weights"]);
  });
  listen(resetButton, "click", () => {
    weights = fromModel(model.get("start_weights"));
    eta = Number(model.get("start_eta"));
    moveSliders();
    update();
    send(["weights", "eta"]);
  });

  // The kernel's numbers, when its code changes them (or echoes the page's own): shown at once,
  // except during a drag, whose end sends the page's numbers back.
  const onWeights = () => {
    if (drag.active) return;
    weights = fromModel(model.get("weights"));
    moveSliders();
    update();
  };
  const onEta = () => {
    if (drag.active) return;
    eta = Number(model.get("eta"));
    moveSliders();
    update();
  };
  model.on("change:weights", onWeights);
  model.on("change:eta", onEta);

  moveSliders();
  update();
  return () => {
    model.off("change:weights", onWeights);
    model.off("change:eta", onEta);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
