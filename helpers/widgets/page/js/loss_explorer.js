// The loss explorer, drawn and computed in the page: a slider for the prediction ŷ and one for the
// target y; three loss curves, a marker on each at the current ŷ, and a table of each loss and its slope.
// The maths mirrors helpers/losses.py (for one prediction, N = 1) and the widget mirrors
// helpers/widgets/loss.py (LossExplorer); each function names the Python it follows. Python stays
// the source of truth: the page sends ŷ and y to the kernel when a move ends (a slider let go, a key
// press), and redraws whenever the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/loss_explorer.py, PageLossExplorer):
//   y_hat and y (the page sets these), limits {y_hat: [lo, hi], y_hat_step, y: [lo, hi], y_step},
//   presentation (true: the large sizes of presentation mode).

// helpers.widgets.loss: the three losses, in the order of the legend and the table, and their words.
const LOSS_NAMES = ["squared_error", "half_squared_error", "binary_cross_entropy"];
const SHORT_NAMES = {
  squared_error: "squared error",
  half_squared_error: "½ squared error",
  binary_cross_entropy: "cross-entropy",
};
const FORMULAS = {
  squared_error: "(ŷ − y)²",
  half_squared_error: "½(ŷ − y)²",
  binary_cross_entropy: "−[y·log ŷ + (1 − y)·log(1 − ŷ)]",
};
const SLOPE_FORMULAS = {
  squared_error: "2(ŷ − y)",
  half_squared_error: "ŷ − y",
  binary_cross_entropy: "(ŷ − y) / (ŷ(1 − ŷ))",
};

// ---- the maths: helpers/losses.py for one prediction against one target ----

const EPS = 1e-12;   // helpers.losses.EPS: probabilities are kept this far from 0 and 1 before a log
const N = 1;         // one sample: the losses' mean over samples divides by 1

// numpy.clip for one number.
function clip(x, low, high) {
  return Math.min(Math.max(x, low), high);
}

// helpers.losses.squared_error: (ŷ − y)², summed over the one output, averaged over the one sample.
function squaredError(y_hat, y) {
  const error = y_hat - y;
  return error * error;
}

// helpers.losses.squared_error_gradient: ∂L/∂ŷ = 2(ŷ − y) / N.
function squaredErrorGradient(y_hat, y) {
  return 2.0 * (y_hat - y) / N;
}

// helpers.losses.half_squared_error: half of squared_error.
function halfSquaredError(y_hat, y) {
  return 0.5 * squaredError(y_hat, y);
}

// helpers.losses.half_squared_error_gradient: ∂L/∂ŷ = (ŷ − y) / N, as half of squared_error's.
function halfSquaredErrorGradient(y_hat, y) {
  return 0.5 * squaredErrorGradient(y_hat, y);
}

// helpers.losses.binary_cross_entropy: −[y·log ŷ + (1 − y)·log(1 − ŷ)], ŷ kept within EPS of 0 and 1.
function binaryCrossEntropy(y_hat, y) {
  const p = clip(y_hat, EPS, 1 - EPS);
  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p)) / N;
}

// helpers.losses.binary_cross_entropy_gradient: ∂L/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ)) / N.
function binaryCrossEntropyGradient(y_hat, y) {
  const p = clip(y_hat, EPS, 1 - EPS);
  return (p - y) / (p * (1 - p)) / N;
}

// helpers.losses.get_loss: each loss's value and gradient, by name.
const LOSSES = {
  squared_error: { value: squaredError, gradient: squaredErrorGradient },
  half_squared_error: { value: halfSquaredError, gradient: halfSquaredErrorGradient },
  binary_cross_entropy: { value: binaryCrossEntropy, gradient: binaryCrossEntropyGradient },
};

// helpers.widgets.loss.loss_reading: every loss of LOSS_NAMES and its slope at (ŷ, y).
function lossReading(y_hat, y) {
  const values = {}, slopes = {};
  for (const name of LOSS_NAMES) {
    values[name] = LOSSES[name].value(y_hat, y);
    slopes[name] = LOSSES[name].gradient(y_hat, y);
  }
  return { y_hat, y, values, slopes };
}

// numpy.linspace(start, stop, num): i·step + start, the last point exactly `stop`.
function linspace(start, stop, num) {
  const step = (stop - start) / (num - 1);
  const points = [];
  for (let i = 0; i < num; i++) points.push(i * step + start);
  points[num - 1] = stop;
  return points;
}

// helpers.widgets.loss: ŷ between 0.01 and 0.99 on the sliders and on the curves' grid.
const Y_HAT_RANGE = [0.01, 0.99];
const GRID = linspace(Y_HAT_RANGE[0], Y_HAT_RANGE[1], 197);

// helpers.widgets.loss.loss_curves: each loss at every point of `grid`, for one target y.
function lossCurves(y, grid = GRID) {
  const curves = { squared_error: [], half_squared_error: [], binary_cross_entropy: [] };
  for (const y_hat of grid) {
    const p = clip(y_hat, EPS, 1 - EPS);
    const squared = (y_hat - y) * (y_hat - y);
    curves.squared_error.push(squared);
    curves.half_squared_error.push(0.5 * squared);
    curves.binary_cross_entropy.push(-(y * Math.log(p) + (1 - y) * Math.log(1 - p)));
  }
  return curves;
}

// ---- the words: helpers/widgets/loss.py's LossExplorer._update_prediction ----
// Each returns pieces [text, bold, name, value]; a named piece carries its exact number in data-value.

// The line above the table: ŷ, y, ŷ − y in words, and, for a target between 0 and 1, where
// cross-entropy bottoms out.
function gapPieces(y_hat, y) {
  const gap = y_hat - y;
  const pieces = [["ŷ = ", false], [fmt(y_hat, 2), false, "y_hat", y_hat], [", y = ", false],
                  [fmt(y, 2), false, "y", y], [": ŷ − y = ", false], [signed(gap, 2), false, "gap", gap], [" (", false]];
  if (Math.abs(gap) < 1e-9) {
    pieces.push(["ŷ = y: the prediction hits the target", false]);
  } else {
    pieces.push([`ŷ is ${pyFixed(Math.abs(gap), 2)} ${gap < 0 ? "below" : "above"} the target`, false]);
  }
  pieces.push([")", false]);
  if (0.0 < y && y < 1.0) {
    const floor = lossReading(y, y).values.binary_cross_entropy;
    pieces.push(["; with a target between 0 and 1, cross-entropy's lowest point is still at ŷ = y, " +
                 "but its value there is ", false], [fmt(floor), false, "floor", floor], [", not 0", false]);
  }
  return pieces;
}

// The table: one row per loss, its name, formula, value L (bold) and slope ∂L/∂ŷ.
const TABLE_HEADER = ["loss", "formula", "value L", "slope ∂L/∂ŷ"];

function tableRows(reading) {
  return LOSS_NAMES.map((name) => [
    [[SHORT_NAMES[name], false]],
    [[FORMULAS[name], false]],
    [[fmt(reading.values[name]), true, `value_${name}`, reading.values[name]]],
    [[`${SLOPE_FORMULAS[name]} = `, false], [fmt(reading.slopes[name]), false, `slope_${name}`, reading.slopes[name]]],
  ]);
}

// ---- the picture: LossExplorer._draw_static, in the course's look ----

// Colour and line style together, so the three curves differ by more than colour (loss.LINE_STYLES).
// Dashes are matplotlib's '--', '-.' and ':' patterns, which scale with the line width (in points).
const CURVE_WIDTH = 2.5;
const LINE_STYLES = {
  squared_error: { colour: LOSS, dashes: "none" },
  half_squared_error: { colour: PALETTE.sky, dashes: `${3.7 * CURVE_WIDTH} ${1.6 * CURVE_WIDTH}` },
  binary_cross_entropy: { colour: PALETTE.purple,
                          dashes: `${6.4 * CURVE_WIDTH} ${1.6 * CURVE_WIDTH} ${1 * CURVE_WIDTH} ${1.6 * CURVE_WIDTH}` },
};
const TARGET_LINE = { colour: "#555555", width: 1.8, dashes: `${1 * 1.8} ${1.65 * 1.8}` };
const PREDICTION_LINE = { colour: PREDICTION, width: 1.2, dashes: "none" };
// loss.MARKERS and loss.MARKER_SIZES (points): the squared error's circle is drawn larger and behind the
// ½ version's square, so its rim still shows around it where the two sit a few pixels apart.
const MARKERS = { squared_error: "o", half_squared_error: "s", binary_cross_entropy: "D" };
const MARKER_SIZES = { squared_error: 13, half_squared_error: 7, binary_cross_entropy: 9 };
// The markers in matplotlib's drawing order: by z-order (loss.MARKER_ZORDERS: 5, 6, 5), then as added.
const MARKER_ORDER = ["squared_error", "binary_cross_entropy", "half_squared_error"];
const X_AXIS_RIGHT = 1.04;   // loss.X_AXIS_RIGHT: a little room past 1, so a target at 1 is a line of its own
const LOSS_AXIS_TOP = 5.0;   // loss.LOSS_AXIS_TOP: above −log(0.01) ≈ 4.61, the largest loss the sliders reach
const X_TICKS = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
const Y_TICKS = [0, 1, 2, 3, 4, 5];

// Where matplotlib's constrained layout puts each part of the kernel figure (loss.FIGSIZE, and
// loss.PRESENTATION_FIGSIZE drawn 1.25 times larger), in points from the figure's top left; sizes in
// points as helpers.style's rcParams give them. tests/test_page_loss_explorer.py measures the kernel
// figure and holds these to it.
const LAYOUT = {
  course: {
    figure: [9.2, 4.0], axes: [32.2, 18.36, 370.29, 233.36],
    tickLength: 3.5, tickWidth: 0.8, spineWidth: 0.8, markerEdge: 1.0,
    tickLabelSize: 11, labelSize: 11, titleSize: 12, legendSize: 9.16,
    xTickBaseline: 267.07, yTickRight: 25.2, yTickDrop: 4.18,
    titleBaseline: 12.36, xLabelBaseline: 282.36, yLabelBaseline: 11.36,
    legendHandle: [418.14, 436.47], legendText: 443.8, legendRows: [31.32, 46.02, 60.73, 75.43, 90.13],
    legendDrop: 3.21,
  },
  presentation: {
    figure: [11.5, 3.75], axes: [41.22, 21.24, 426.08, 201.46],
    tickLength: 6.0, tickWidth: 1.5, spineWidth: 1.5, markerEdge: 1.5,
    tickLabelSize: 14, labelSize: 16, titleSize: 16, legendSize: 13.33,
    xTickBaseline: 242.83, yTickRight: 31.72, yTickDrop: 5.32,
    titleBaseline: 15.24, xLabelBaseline: 263.16, yLabelBaseline: 15.24,
    legendHandle: [487.82, 514.48], legendText: 525.14, legendRows: [38.7, 58.69, 78.68, 98.67, 118.66],
    legendDrop: 4.66,
  },
};

function lineAttributes({ colour, width, dashes }) {
  return { stroke: colour, "stroke-width": width, "stroke-dasharray": dashes, fill: "none",
           "stroke-linecap": "butt", "stroke-linejoin": "round" };
}

// A marker's shape (matplotlib's 'o', 's' or 'D' at `size` points) centred on the origin.
function markerShape(parent, kind, size, colour, edge) {
  const paint = { fill: colour, stroke: "black", "stroke-width": edge };
  if (kind === "o") return svgElement("circle", { cx: 0, cy: 0, r: size / 2, ...paint }, parent);
  if (kind === "s") return svgElement("rect", { x: -size / 2, y: -size / 2, width: size, height: size, ...paint }, parent);
  const half = size * Math.SQRT1_2;   // 'D': a square of side `size` turned by 45°
  return svgElement("polygon", { points: `0,${-half} ${half},0 0,${half} ${-half},0`, ...paint }, parent);
}

let clipCount = 0;

function drawLosses(parent, presentation) {
  const at = LAYOUT[presentation ? "presentation" : "course"];
  const [widthIn, heightIn] = at.figure;
  const svg = svgFigure(widthIn, heightIn, parent);
  svg.setAttribute("aria-label", "Three ways to score one prediction: squared error (solid), ½ squared error " +
                   "(dashed) and cross-entropy (dash-dot) against the prediction ŷ, with a marker on each at the current ŷ");
  const [left, top, width, height] = at.axes;
  const px = (x) => left + x / X_AXIS_RIGHT * width;
  const py = (value) => top + height - value / LOSS_AXIS_TOP * height;

  // The axes' frame, ticks and words (z-order 2.5: under every line).
  const frame = svgElement("g", { stroke: "black", "stroke-width": at.spineWidth }, svg);
  svgElement("line", { x1: left, y1: top, x2: left, y2: top + height, "stroke-linecap": "square" }, frame);
  svgElement("line", { x1: left, y1: top + height, x2: left + width, y2: top + height, "stroke-linecap": "square" }, frame);
  const ticks = svgElement("g", { stroke: "black", "stroke-width": at.tickWidth }, svg);
  for (const x of X_TICKS) {
    svgElement("line", { x1: px(x), y1: top + height, x2: px(x), y2: top + height + at.tickLength }, ticks);
    svgText(svg, px(x), at.xTickBaseline, pyFixed(x, 1), at.tickLabelSize, { baseline: "alphabetic" });
  }
  for (const value of Y_TICKS) {
    svgElement("line", { x1: left, y1: py(value), x2: left - at.tickLength, y2: py(value) }, ticks);
    svgText(svg, at.yTickRight, py(value) + at.yTickDrop, String(value), at.tickLabelSize,
            { anchor: "end", baseline: "alphabetic" });
  }
  svgText(svg, left + width / 2, at.xLabelBaseline, "prediction ŷ", at.labelSize, { baseline: "alphabetic" });
  const yLabel = svgText(svg, 0, 0, "loss L", at.labelSize, { baseline: "alphabetic" });
  yLabel.setAttribute("transform", `translate(${at.yLabelBaseline} ${top + height / 2}) rotate(-90)`);
  svgText(svg, left + width / 2, at.titleBaseline, "Three ways to score one prediction", at.titleSize,
          { baseline: "alphabetic" });

  // The legend beside the axes, where nothing that moves can reach it.
  const entries = [
    ...LOSS_NAMES.map((name) => [`${SHORT_NAMES[name]}  ${FORMULAS[name]}`,
                                 { ...LINE_STYLES[name], width: CURVE_WIDTH }]),
    ["the target y", TARGET_LINE], ["the current ŷ", PREDICTION_LINE],
  ];
  entries.forEach(([label, line], i) => {
    const y = at.legendRows[i];
    svgElement("line", { x1: at.legendHandle[0], y1: y, x2: at.legendHandle[1], y2: y, ...lineAttributes(line) }, svg);
    const text = svgText(svg, at.legendText, y + at.legendDrop, label, at.legendSize,
                         { anchor: "start", baseline: "alphabetic" });
    text.setAttribute("style", "white-space: pre");
  });

  // What moves, clipped to the axes as matplotlib clips it: the two vertical lines, the curves, the markers.
  const clipId = `bpc-le-clip-${++clipCount}-${Math.random().toString(36).slice(2, 8)}`;
  const clip = svgElement("clipPath", { id: clipId }, svgElement("defs", {}, svg));
  svgElement("rect", { x: left, y: top, width, height }, clip);
  const moving = svgElement("g", { "clip-path": `url(#${clipId})` }, svg);
  const picture = { svg, px, py, curves: {}, markers: {} };
  picture.targetLine = svgElement("line", { y1: top, y2: top + height, ...lineAttributes(TARGET_LINE) }, moving);
  picture.predictionLine = svgElement("line", { y1: top, y2: top + height, ...lineAttributes(PREDICTION_LINE) }, moving);
  for (const name of LOSS_NAMES) {
    picture.curves[name] = svgElement("polyline", lineAttributes({ ...LINE_STYLES[name], width: CURVE_WIDTH }), moving);
    picture.curves[name].dataset.name = name;
  }
  for (const name of MARKER_ORDER) {
    const marker = svgElement("g", { "data-name": name }, moving);
    markerShape(marker, MARKERS[name], MARKER_SIZES[name], LINE_STYLES[name].colour, at.markerEdge);
    picture.markers[name] = marker;
  }
  return picture;
}

// LossExplorer._update_curves: the three curves and the target line, for target y.
function updateCurves(picture, y) {
  const curves = lossCurves(y);
  for (const name of LOSS_NAMES) {
    const points = GRID.map((y_hat, i) => `${picture.px(y_hat).toFixed(2)},${picture.py(curves[name][i]).toFixed(2)}`);
    setIfChanged(picture.curves[name], "points", points.join(" "));
  }
  setIfChanged(picture.targetLine, "x1", picture.px(y));
  setIfChanged(picture.targetLine, "x2", picture.px(y));
}

// LossExplorer._update_prediction (the picture's part): a marker on each curve at ŷ, and the ŷ line.
function updatePrediction(picture, reading) {
  for (const name of LOSS_NAMES) {
    const x = picture.px(reading.y_hat), y = picture.py(reading.values[name]);
    setIfChanged(picture.markers[name], "transform", `translate(${x.toFixed(2)} ${y.toFixed(2)})`);
  }
  setIfChanged(picture.predictionLine, "x1", picture.px(reading.y_hat));
  setIfChanged(picture.predictionLine, "x2", picture.px(reading.y_hat));
}

// ---- the controls and read-outs ----

const STYLE = `
.bpc-le { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
          display: flex; flex-direction: column; gap: 6px; }
.bpc-le .bpc-row { display: flex; flex-wrap: nowrap; gap: 4px 16px; align-items: center; }
.bpc-le .bpc-slider { display: flex; align-items: center; gap: 8px; height: var(--bpc-height);
                      flex: 0 1 var(--bpc-width); min-width: 0; }
.bpc-le .bpc-slider label { flex: 0 0 auto; white-space: nowrap; }
.bpc-le .bpc-slider input { flex: 1 1 auto; min-width: 60px; accent-color: ${POSITIVE}; }
.bpc-le .bpc-slider output { flex: 0 0 3.2em; font-variant-numeric: tabular-nums; }
.bpc-le input:focus-visible { outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
.bpc-le .bpc-readout { line-height: var(--bpc-line); }
.bpc-le table.bpc-readout { align-self: flex-start; border-collapse: separate; border-spacing: 2px; }
.bpc-le table.bpc-readout td, .bpc-le table.bpc-readout th { padding: 1px; }
`;

export function render({ model, el }) {
  const presentation = Boolean(model.get("presentation"));
  const limits = model.get("limits");
  const size = look(presentation);
  let yHat = Number(model.get("y_hat"));
  let y = Number(model.get("y"));

  const root = htmlElement("div", { class: "bpc-le", "data-widget": "loss_explorer",
                                    "data-presentation": String(presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  // ipywidgets' slider width (--jp-widgets-inline-width), and style.PRESENTATION_CONTROLS' control_width.
  root.style.setProperty("--bpc-width", presentation ? "480px" : "300px");
  // A line of words as tall as an ipywidgets HTML label's: one control's height, or 1.4 lines of the
  // larger text in presentation mode (helpers/widgets/_presentation.py's presentation CSS).
  root.style.setProperty("--bpc-line", presentation ? "1.4" : size.controls.height);
  htmlElement("style", {}, root, STYLE);

  // LossExplorer: the two sliders side by side, the gap in words, the table, the picture. The pair stays
  // on one line, its sliders sharing what room there is, as ipywidgets' HBox does.
  const controls = htmlElement("div", { class: "bpc-row" }, root);
  const sliders = {
    y_hat: sliderRow(controls, "prediction ŷ", { min: limits.y_hat[0], max: limits.y_hat[1], step: limits.y_hat_step,
                                                 "aria-label": "prediction ŷ", "data-name": "y_hat" }),
    y: sliderRow(controls, "target y", { min: limits.y[0], max: limits.y[1], step: limits.y_step,
                                         "aria-label": "target y", "data-name": "y" }),
  };
  const gapLine = htmlElement("div", { class: "bpc-readout", "data-name": "gap" }, root);
  const table = htmlElement("table", { class: "bpc-readout", "data-name": "table" }, root);
  const header = htmlElement("tr", {}, table);
  for (const text of TABLE_HEADER) htmlElement("th", {}, header, text);
  const cells = LOSS_NAMES.map(() => {
    const row = htmlElement("tr", {}, table);
    return TABLE_HEADER.map(() => htmlElement("td", {}, row));
  });
  const picture = drawLosses(htmlElement("div", {}, root), presentation);
  el.appendChild(root);

  function moveSliders() {
    sliders.y_hat.input.value = String(yHat);
    sliders.y.input.value = String(y);
  }

  // LossExplorer._update_curves and _update_prediction: the picture and the words for ŷ and y.
  let drawnTarget = null;
  function update() {
    if (y !== drawnTarget) {
      updateCurves(picture, y);
      drawnTarget = y;
    }
    const reading = lossReading(yHat, y);
    updatePrediction(picture, reading);
    setTextIfChanged(sliders.y_hat.output, fmt(yHat, 2));   // readout_format ".2f"
    setTextIfChanged(sliders.y.output, fmt(y, 2));
    fillPieces(gapLine, gapPieces(yHat, y));
    tableRows(reading).forEach((row, i) => row.forEach((pieces, j) => fillPieces(cells[i][j], pieces)));
    root.dataset.yHat = exactText(yHat);
    root.dataset.y = exactText(y);
  }

  function send(name) {
    model.set(name, name === "y_hat" ? yHat : y);
    model.save_changes();
  }

  const listen = listenerList();
  const drag = dragTracker(listen);
  keepKeys(listen, root);
  kernelGone(model, root);
  for (const name of ["y_hat", "y"]) {
    const input = sliders[name].input;
    listen(input, "input", () => {
      if (name === "y_hat") yHat = Number(input.value);
      else y = Number(input.value);
      update();
    });
    // A move ends: Python gets the page's value, and the page takes any value Python set meanwhile.
    drag.slider(input, () => { send(name); onChange(); });
  }

  // The kernel's numbers, when its code changes them (or echoes the page's own): shown at once,
  // except during a drag, whose end sends the page's numbers back.
  const onChange = () => {
    if (drag.active) return;
    const nextYHat = Number(model.get("y_hat")), nextY = Number(model.get("y"));
    if (nextYHat === yHat && nextY === y) return;
    yHat = nextYHat;
    y = nextY;
    moveSliders();
    update();
  };
  model.on("change:y_hat", onChange);
  model.on("change:y", onChange);

  moveSliders();
  update();
  return () => {
    model.off("change:y_hat", onChange);
    model.off("change:y", onChange);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
