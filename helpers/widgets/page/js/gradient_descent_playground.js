// The gradient-descent playground, drawn and computed in the page: gradient descent on the 2-2-1
// example's output weights w3 and w4 (w1, w2 held), with sliders for η, the steps and the start; the
// path across the loss map, the loss per step and ŷ per step.
// The maths mirrors helpers/training.py (descend_tiny's loop on plain floats) and the widget mirrors
// helpers/widgets/gradient_descent.py (GradientDescentPlayground); each function names the Python it
// follows. Python stays the source of truth: the page sends η, the steps and the start to the kernel
// when a move ends (a slider let go, a key press), and redraws whenever the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/gradient_descent_playground.py, PageGradientDescentPlayground):
//   eta, steps, start {w3, w4} (the page sets these), fixed {w1, w2}, sample {x1, x2, y},
//   limits {eta, eta_exponents, steps, w3, w4, start_step, diverged_weight, diverged_loss,
//   crawl_ratio, clear_error, rising_steps, loss_decades_step}, landscape {levels, colours} (the
//   kernel version's contour levels and their colours), presentation (true: the large sizes).

// helpers.widgets.gradient_descent: the run's verdicts, word for word.
const CONVERGING = "converging";
const CRAWLING = "crawling (learning rate too low)";
const OVERSHOOTING = "overshooting (learning rate too high)";
const AT_THE_BOTTOM = "already at the bottom";

// helpers.training._descend_plain with free = ("w3", "w4"): the same operations in the same order,
// σ as helpers.activations._sigmoid_number computes it, so every number is Python's to the last bit.
// Returns { w3: [...], w4: [...], loss: [...], y_hat: [...], diverged } (TinyPath's columns).
function descendOutputWeights(w3, w4, eta, steps, fixed, sample, limits) {
  const { x1, x2, y } = sample;
  const w1 = fixed.w1, w2 = fixed.w2;
  const path = { w3: [], w4: [], loss: [], y_hat: [], diverged: false };
  for (let i = 0; i <= steps; i++) {
    const z1 = w1 * x1, z2 = w2 * x2;
    const e1 = Math.exp(-Math.abs(z1)), e2 = Math.exp(-Math.abs(z2));
    const h1 = z1 >= 0 ? 1.0 / (1.0 + e1) : e1 / (1.0 + e1);
    const h2 = z2 >= 0 ? 1.0 / (1.0 + e2) : e2 / (1.0 + e2);
    const y_hat = w3 * h1 + w4 * h2;
    const error = y_hat - y;
    const loss = error * error;
    path.w3.push(w3);
    path.w4.push(w4);
    path.loss.push(loss);
    path.y_hat.push(y_hat);
    if (i === steps) break;
    const dL_dy_hat = 2.0 * (y_hat - y);
    // w − η ∂L/∂w for w3 and w4, each gradient multiplied out as Chain.gradients does it
    const new3 = w3 - eta * (dL_dy_hat * h1);
    const new4 = w4 - eta * (dL_dy_hat * h2);
    // A moved weight must stay finite and below 1e6 (NaN fails `abs(v) < 1e6` too); the loss below 1e12.
    if (loss > limits.diverged_loss || !(Math.abs(new3) < limits.diverged_weight)
        || !(Math.abs(new4) < limits.diverged_weight)) {
      path.diverged = true;
      break;
    }
    w3 = new3;
    w4 = new4;
  }
  return path;
}

// helpers.widgets._divergence.loss_diverged: non-finite or beyond 1e12, or rising on each of the last
// `rising` steps to above the start.
function lossDiverged(losses, rising) {
  if (!losses.every((l) => Number.isFinite(l)) || Math.max(...losses.map(Math.abs)) > DIVERGED_ABOVE) return true;
  if (losses.length <= rising) return false;
  const last = losses.slice(-rising - 1);
  for (let i = 1; i < last.length; i++) if (!(last[i] - last[i - 1] > 0)) return false;
  return losses[losses.length - 1] > losses[0];
}

// helpers.widgets.gradient_descent.verdict: one phrase for a run.
function verdict(path, y, limits) {
  const loss = path.loss;
  if (path.diverged || lossDiverged(loss, limits.rising_steps)) return DIVERGED;
  const steps = loss.length - 1;
  if (loss[0] < 1e-12) return AT_THE_BOTTOM;
  const error = path.y_hat.map((v) => v - y);
  const clear = error.map((e) => Math.abs(e) > limits.clear_error);
  let jumpsPast = 0;
  for (let i = 1; i < error.length; i++) {
    if (Math.sign(error[i]) !== Math.sign(error[i - 1]) && clear[i] && clear[i - 1]) jumpsPast += 1;
  }
  if (jumpsPast >= 1 || loss[steps] > loss[0]) return OVERSHOOTING;
  if (steps > 0 && (loss[steps] / loss[0]) ** (1.0 / steps) > limits.crawl_ratio) return CRAWLING;
  return CONVERGING;
}

// helpers.formatting.number(value, tiny_digits=2): like fmt, but a tiny number (below 0.001) as
// Python's f"{value:.2e}". toExponential rounds a tie upwards where Python rounds it to even, but
// below 0.001 no double is a tie at three significant digits (it would need 5**6 to divide an odd
// number below 2000), so the two always agree.
function tinyNumber(value) {
  if (Number.isFinite(value) && value !== 0 && Math.abs(value) < 1e-3) {
    const [mantissa, power] = value.toExponential(2).split("e");
    const text = `${mantissa}e${power.startsWith("-") ? "-" : "+"}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
    return text.replaceAll("-", MINUS);
  }
  return fmt(value);
}

// gradient_descent.ETA_KEYS, STEPS_KEYS and their PAGE_ twins: the values a key press on the η and steps
// sliders steps through (decades, keyTarget and keyedSlider are course.js's, shared with the weight
// explorer), so that 0.01 to 10 is 45 presses of an arrow key and every η shown is a round number; a
// drag stays smooth.
const ETA_KEYS = decades(ETA_MANTISSAS, -2, 1);
const ETA_PAGE_KEYS = decades([1, 2, 5], -2, 1);
const range = (start, stop, step) => Array.from({ length: Math.ceil((stop - start) / step) }, (_, i) => start + i * step);
const STEPS_KEYS = [...range(1, 10, 1), ...range(10, 20, 2), ...range(20, 50, 5), ...range(50, 100, 10),
                    ...range(100, 201, 20)];
const STEPS_PAGE_KEYS = [1, 2, 5, 10, 20, 50, 100, 200];

// gradient_descent.ROUND_ENDS: 0, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 1.5, ... 5e12.
const ROUND_ENDS = [0.0];
for (let k = -1; k < 13; k++) for (const m of [1, 1.5, 2, 3, 5]) ROUND_ENDS.push(Number(`${m}e${k}`));

// gradient_descent._round_end: the nearest of ±ROUND_ENDS at or above `value` (up) or at or below it.
function roundEnd(value, up) {
  const outward = up ? value : -value;
  let end;
  if (outward > 0) {
    end = Math.min(...ROUND_ENDS.filter((m) => m >= Math.abs(outward)));
    return (up ? end : -end) + 0.0;
  }
  end = Math.max(...ROUND_ENDS.filter((m) => m <= -outward));
  return (up ? -end : end) + 0.0;
}

// gradient_descent.y_hat_limits: round ends just outside every finite ŷ and the target.
function yHatLimits(yHats, target) {
  const finite = yHats.filter((v) => Number.isFinite(v));
  const lo = Math.min(...finite, target), hi = Math.max(...finite, target);
  const pad = 0.05 * (hi - lo) || 0.1;
  return [roundEnd(lo - pad, false), roundEnd(hi + pad, true)];
}

// gradient_descent.loss_limits: powers of ten whose exponents are multiples of LOSS_DECADES_STEP.
function lossLimits(losses, step) {
  const shown = losses.filter((l) => Number.isFinite(l) && l > 0 && l <= 1e12);
  if (shown.length === 0) return [1e-4, 1.0];
  const bottom = step * Math.floor(Math.floor(Math.log10(Math.min(...shown))) / step);
  const top = Math.max(step * Math.ceil(Math.ceil(Math.log10(Math.max(...shown))) / step), bottom + step);
  // 10.0 ** k as Python's pow gives it (correctly rounded): JavaScript's 10 ** -32 is 9.999999999999999e-33.
  return [Number(`1e${bottom}`), Number(`1e${top}`)];
}

// gradient_descent._tick: a ŷ tick label, with its own exponent when large, and a true minus sign.
function yHatTick(value) {
  let text;
  if (Math.abs(value) >= 1e4) {
    const [mantissa, power] = value.toExponential(0).split("e");
    text = `${mantissa}e${power.startsWith("-") ? "-" : "+"}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
  } else {
    text = pyGeneral(value, 6);
  }
  return text.replaceAll("-", MINUS);
}

// Tick values at 1, 2, 2.5, 5 or 10 times a power of ten, at most `most` of them from lo to hi
// (the choices of matplotlib's MaxNLocator, which the kernel figure's axes use).
function niceTicks(lo, hi, most = 7) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / (most - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(k * step + 0.0);
  return ticks;
}

// The same loss the map shows: helpers.tiny.TwoTwoOne(w1, w2, w3, w4).loss(), as _output_weight_loss.
function outputWeightLoss(w3, w4, fixed, sample) {
  const h1 = sigmoid(fixed.w1 * sample.x1), h2 = sigmoid(fixed.w2 * sample.x2);
  const error = w3 * h1 + w4 * h2 - sample.y;
  return error * error;
}

// helpers.activations._sigmoid_number.
function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// ---- the picture: the kernel figure's three axes (plots.loss_landscape, plots.loss_curve, ŷ) ----

// gradient_descent: style.WIDE_FIGSIZE less a fifth of an inch in height, 1.25 times larger in
// presentation mode. The boxes are where the kernel's constrained layout puts its axes, in points.
const FIGSIZE = [10.0, 3.8];

function layout(presentation) {
  const size = look(presentation);
  const s = size.figureScale, f = size.fontSize / 11;
  const width = FIGSIZE[0] * 72 * s, height = FIGSIZE[1] * 72 * s;
  const top = 18 * f, bottom = height - 32 * f;
  const map = { left: 40 * f, right: 0.45 * width, top, bottom };
  const bar = { left: map.right + 16 * f, right: map.right + 26 * f, top, bottom };
  const right = { left: width - 0.318 * width + 10 * f, right: width - 8 * f };
  const middle = (top + bottom) / 2;
  const loss = { ...right, top, bottom: middle - 7 * f };
  const yHat = { ...right, top: middle + 7 * f, bottom };
  return { width, height, map, bar, loss, yHat, size, lineScale: presentation ? 1.5 : 1.0 };
}

const TICK_LENGTH = 3.5;
// A subscript or an exponent: 0.7 of its text's size, as matplotlib writes them; in presentation mode at
// least 12 pt, so that on the projector (the picture shrunk to the notebook's 1,100 px) it is still
// 16 px tall on screen, as every text of the picture must be for the back row.
const SCRIPT_PT_ON_PROJECTOR = 12;
function scriptSize(base, presentation) {
  return presentation ? Math.max(0.7 * base, SCRIPT_PT_ON_PROJECTOR) : 0.7 * base;
}

function axisBox(parent, box, spine) {
  const g = svgElement("g", {}, parent);
  svgElement("line", { x1: box.left, y1: box.top, x2: box.left, y2: box.bottom, stroke: "black", "stroke-width": spine }, g);
  svgElement("line", { x1: box.left, y1: box.bottom, x2: box.right, y2: box.bottom, stroke: "black", "stroke-width": spine }, g);
  return g;
}

function clipFor(svg, box, id) {
  const defs = svg.querySelector("defs") || svgElement("defs", {}, svg);
  const clip = svgElement("clipPath", { id }, defs);
  svgElement("rect", { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top }, clip);
  return `url(#${id})`;
}

// The map's pixels: the loss at each pixel's centre, coloured by the band of the kernel version's
// levels it falls in (contourf's colours), with a pale line where two bands meet (its white contours).
function paintMap(svg, box, state) {
  const { fixed, sample, limits, landscape } = state;
  const [w3Lo, w3Hi] = limits.w3, [w4Lo, w4Hi] = limits.w4;
  const levels = landscape.levels;
  const colours = landscape.colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const cols = Math.round((box.right - box.left) * PX_PER_PT), rows = Math.round((box.bottom - box.top) * PX_PER_PT);
  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  const band = new Int16Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const w4 = w4Hi - (r + 0.5) / rows * (w4Hi - w4Lo);
    for (let c = 0; c < cols; c++) {
      const w3 = w3Lo + (c + 0.5) / cols * (w3Hi - w3Lo);
      const L = outputWeightLoss(w3, w4, fixed, sample);
      let k = 0;
      while (k < levels.length - 2 && L >= levels[k + 1]) k++;
      band[r * cols + c] = k;
    }
  }
  const context = canvas.getContext("2d");
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < cols * rows; i++) {
    const c = i % cols;
    const edge = (c + 1 < cols && band[i + 1] !== band[i]) || (i + cols < cols * rows && band[i + cols] !== band[i]);
    const [red, green, blue] = colours[band[i]];
    const mix = edge ? 0.3 : 0.0;   // a white contour line at alpha 0.6 over a fill at alpha 0.9
    image.data.set([red + (255 - red) * mix, green + (255 - green) * mix, blue + (255 - blue) * mix, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
  svgElement("image", { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top,
                        preserveAspectRatio: "none", href: canvas.toDataURL("image/png") }, svg);
}

function drawFigure(holder, state) {
  const L = layout(state.presentation);
  const { size } = L;
  const ticks = size.fontSize;            // xtick.labelsize "medium" (14 in presentation)
  const tickSize = state.presentation ? 14 : 11;
  const spine = state.presentation ? 1.5 : 0.8;
  const svg = svgFigure(L.width / 72, L.height / 72, holder);
  svgElement("defs", {}, svg);
  const picture = { svg, L };
  const { map, bar, limits } = { ...L, limits: state.limits };

  // Left: the loss map over (w3, w4), drawn once.
  paintMap(svg, map, state);
  const [w3Lo, w3Hi] = limits.w3, [w4Lo, w4Hi] = limits.w4;
  picture.mx = (w3) => map.left + (w3 - w3Lo) / (w3Hi - w3Lo) * (map.right - map.left);
  picture.my = (w4) => map.bottom - (w4 - w4Lo) / (w4Hi - w4Lo) * (map.bottom - map.top);
  const axes = axisBox(svg, map, spine);
  for (const v of niceTicks(w3Lo, w3Hi)) {
    const x = picture.mx(v);
    svgElement("line", { x1: x, y1: map.bottom, x2: x, y2: map.bottom + TICK_LENGTH, stroke: "black", "stroke-width": spine }, axes);
    svgText(axes, x, map.bottom + TICK_LENGTH + 3, yHatTick(v), tickSize, { baseline: "hanging" });
  }
  for (const v of niceTicks(w4Lo, w4Hi)) {
    const y = picture.my(v);
    svgElement("line", { x1: map.left - TICK_LENGTH, y1: y, x2: map.left, y2: y, stroke: "black", "stroke-width": spine }, axes);
    svgText(axes, map.left - TICK_LENGTH - 3, y, yHatTick(v), tickSize, { anchor: "end" });
  }
  const xName = svgText(axes, (map.left + map.right) / 2, L.height - 4, "w", size.fontSize, { italic: true, baseline: "alphabetic" });
  svgElement("tspan", { "font-size": scriptSize(size.fontSize, state.presentation), dy: 2 }, xName).textContent = "3";
  const yName = svgText(axes, 0, 0, "w", size.fontSize, { italic: true, baseline: "hanging" });
  yName.setAttribute("transform", `translate(3 ${(map.top + map.bottom) / 2}) rotate(-90)`);
  svgElement("tspan", { "font-size": scriptSize(size.fontSize, state.presentation), dy: 4 }, yName).textContent = "4";
  svgText(svg, (map.left + map.right) / 2, map.top - 5,
          `Loss over w3, w4 (w1 = ${short(state.fixed.w1)}, w2 = ${short(state.fixed.w2)} fixed)`, size.titleSize,
          { baseline: "alphabetic" });

  // The colour bar: one equal band per level, as a BoundaryNorm colour bar draws them; every third level named.
  const levels = state.landscape.levels, bands = levels.length - 1;
  const bandHeight = (bar.bottom - bar.top) / bands;
  state.landscape.colours.forEach((colour, k) => {
    svgElement("rect", { x: bar.left, y: bar.bottom - (k + 1) * bandHeight, width: bar.right - bar.left,
                         height: bandHeight + 0.3, fill: colour, stroke: "none" }, svg);
  });
  svgElement("rect", { x: bar.left, y: bar.top, width: bar.right - bar.left, height: bar.bottom - bar.top,
                       fill: "none", stroke: "black", "stroke-width": spine }, svg);
  const every = Math.max(1, Math.floor(levels.length / 5));
  for (let k = 0; k < levels.length; k += every) {
    const y = bar.bottom - k * bandHeight;
    svgElement("line", { x1: bar.right, y1: y, x2: bar.right + TICK_LENGTH, y2: y, stroke: "black", "stroke-width": spine }, svg);
    svgText(svg, bar.right + TICK_LENGTH + 3, y, pyGeneral(levels[k], 2).replaceAll("-", MINUS), tickSize, { anchor: "start" });
  }
  const barName = svgText(svg, 0, 0, "loss L", size.fontSize);
  barName.setAttribute("transform", `translate(${bar.right + 50 * size.fontSize / 11} ${(bar.top + bar.bottom) / 2}) rotate(-90)`);

  // The path, its start (a white circle) and its end (a vermillion cross), over the map.
  const pathLayer = svgElement("g", { "clip-path": clipFor(svg, map, `bpc-map-${Math.random().toString(36).slice(2)}`) }, svg);
  picture.pathLine = svgElement("polyline", { fill: "none", stroke: PALETTE.black, "stroke-width": 1.8 * L.lineScale,
                                              "stroke-linejoin": "round", "data-name": "path" }, pathLayer);
  picture.pathDots = svgElement("g", { fill: PALETTE.black }, pathLayer);
  picture.start = svgElement("circle", { r: 5 * L.lineScale, fill: "white", stroke: PALETTE.black, "stroke-width": 2 }, pathLayer);
  picture.end = svgElement("path", { fill: PALETTE.vermillion, stroke: "white", "stroke-width": 1,
                                     d: crossPath(5.5 * L.lineScale) }, pathLayer);
  picture.note = svgElement("g", { visibility: "hidden" }, svg);
  const noteX = (map.left + map.right) / 2, noteY = (map.top + map.bottom) / 2, noteSize = size.fontSize * 1.2;
  svgElement("rect", { x: noteX - 8.2 * noteSize, y: noteY - 1.45 * noteSize, width: 16.4 * noteSize, height: 2.9 * noteSize,
                       rx: 0.4 * noteSize, fill: "white", stroke: NEGATIVE, "stroke-width": 1 }, picture.note);
  svgText(picture.note, noteX, noteY - 0.6 * noteSize, "diverged:", noteSize);
  svgText(picture.note, noteX, noteY + 0.6 * noteSize, "the path left the map", noteSize);

  // Top right: the loss per step on a log axis. Bottom right: ŷ per step, the target dashed.
  picture.lossAxes = svgElement("g", {}, svg);
  picture.yHatAxes = svgElement("g", {}, svg);
  svgText(svg, (L.loss.left + L.loss.right) / 2, L.loss.top - 5, "Loss L per step", size.titleSize, { baseline: "alphabetic" });
  const lossName = svgText(svg, 0, 0, "loss L (log scale)", size.fontSize);
  lossName.setAttribute("transform", `translate(${L.loss.left - 52 * size.fontSize / 11} ${(L.loss.top + L.loss.bottom) / 2}) rotate(-90)`);
  const yHatName = svgText(svg, 0, 0, "ŷ (dashed: y)", size.fontSize);
  yHatName.setAttribute("transform", `translate(${L.yHat.left - 52 * size.fontSize / 11} ${(L.yHat.top + L.yHat.bottom) / 2}) rotate(-90)`);
  svgText(svg, (L.yHat.left + L.yHat.right) / 2, L.height - 4, "step", size.fontSize, { baseline: "alphabetic" });
  const lossClip = clipFor(svg, L.loss, `bpc-loss-${Math.random().toString(36).slice(2)}`);
  const yHatClip = clipFor(svg, L.yHat, `bpc-yhat-${Math.random().toString(36).slice(2)}`);
  picture.lossLine = svgElement("path", { fill: "none", stroke: LOSS, "stroke-width": 2 * L.lineScale, "clip-path": lossClip,
                                          "stroke-linejoin": "round", "data-name": "loss_curve" }, svg);
  picture.target = svgElement("line", { stroke: PALETTE.grey, "stroke-width": 1.5, "stroke-dasharray": "5.5 2.4",
                                        "clip-path": yHatClip }, svg);
  picture.yHatLine = svgElement("path", { fill: "none", stroke: PREDICTION, "stroke-width": 2 * L.lineScale,
                                          "clip-path": yHatClip, "stroke-linejoin": "round", "data-name": "y_hat_curve" }, svg);
  picture.yHatDots = svgElement("g", { fill: PREDICTION, "clip-path": yHatClip }, svg);
  picture.tickSize = tickSize;
  picture.scriptSize = scriptSize(tickSize, state.presentation);
  picture.spine = spine;
  picture.axesKey = null;
  return picture;
}

// matplotlib's "X" marker: a filled cross, `r` points from its centre to each arm's end.
function crossPath(r) {
  const a = r * 0.35;
  const p = [[0, a], [r - a, r], [r, r - a], [a, 0], [r, -(r - a)], [r - a, -r], [0, -a], [-(r - a), -r], [-r, -(r - a)],
             [-a, 0], [-r, r - a], [-(r - a), r]];
  return `M${p.map(([x, y]) => `${x} ${y}`).join("L")}Z`;
}

// A line through (x, y) points, broken where a point is missing (null): matplotlib leaves a gap at NaN.
function linePath(points) {
  let d = "", pen = false;
  for (const point of points) {
    if (point === null) { pen = false; continue; }
    d += `${pen ? "L" : "M"}${point[0].toFixed(2)} ${point[1].toFixed(2)}`;
    pen = true;
  }
  return d;
}

// The right-hand axes' ticks, drawn again only when the steps or an axis's ends change (the kernel's KeptView).
function drawRightAxes(picture, steps, lossLim, yHatLim) {
  const key = `${steps}|${lossLim}|${yHatLim}`;
  if (picture.axesKey === key) return;
  picture.axesKey = key;
  const { L, tickSize, spine } = picture;
  const sx = (box) => (i) => box.left + i / Math.max(steps, 1) * (box.right - box.left);
  for (const [group, box, labels] of [[picture.lossAxes, L.loss, false], [picture.yHatAxes, L.yHat, true]]) {
    group.replaceChildren();
    axisBox(group, box, spine);
    for (const v of niceTicks(0, Math.max(steps, 1))) {
      if (!Number.isInteger(v)) continue;
      const x = sx(box)(v);
      svgElement("line", { x1: x, y1: box.bottom, x2: x, y2: box.bottom + TICK_LENGTH, stroke: "black", "stroke-width": spine }, group);
      if (labels) svgText(group, x, box.bottom + TICK_LENGTH + 3, String(v), tickSize, { baseline: "hanging" });
    }
  }
  // Loss: ticks at the powers of ten the axis may end at (10⁻⁸, 10⁻⁴, 10⁰ ...), every other one if crowded.
  const [lo, hi] = lossLim.map(Math.log10);
  const decades = [];
  for (let k = lo; k <= hi; k += 4) decades.push(k);
  const shownDecades = decades.length > 5 ? decades.filter((_, i) => i % 2 === 0) : decades;
  const ly = (k) => L.loss.bottom - (k - lo) / (hi - lo) * (L.loss.bottom - L.loss.top);
  for (const k of shownDecades) {
    const y = ly(k);
    svgElement("line", { x1: L.loss.left - TICK_LENGTH, y1: y, x2: L.loss.left, y2: y, stroke: "black", "stroke-width": spine },
               picture.lossAxes);
    const label = svgText(picture.lossAxes, L.loss.left - TICK_LENGTH - 14, y, "10", tickSize, { anchor: "end" });
    svgElement("tspan", { "font-size": picture.scriptSize, dy: -tickSize * 0.4 }, label).textContent = String(k).replace("-", MINUS);
  }
  const [ylo, yhi] = yHatLim;
  const yy = (v) => L.yHat.bottom - (v - ylo) / (yhi - ylo) * (L.yHat.bottom - L.yHat.top);
  for (const v of niceTicks(ylo, yhi, 6)) {
    const y = yy(v);
    svgElement("line", { x1: L.yHat.left - TICK_LENGTH, y1: y, x2: L.yHat.left, y2: y, stroke: "black", "stroke-width": spine },
               picture.yHatAxes);
    svgText(picture.yHatAxes, L.yHat.left - TICK_LENGTH - 3, y, yHatTick(v), tickSize, { anchor: "end" });
  }
}

// GradientDescentPlayground._update's drawing: the path, the two curves and their axes.
function updateFigure(picture, path, steps, sample, limits, showNote) {
  const { L } = picture;
  const points = path.w3.map((w3, i) => {
    const w4 = path.w4[i];
    return Number.isFinite(w3) && Number.isFinite(w4) && Math.abs(w3) <= 1e12 && Math.abs(w4) <= 1e12
      ? [picture.mx(w3), picture.my(w4)] : null;
  });
  setIfChanged(picture.pathLine, "points", points.filter((p) => p !== null).map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" "));
  picture.pathLine.dataset.w3 = path.w3.map(exactText).join(" ");
  picture.pathLine.dataset.w4 = path.w4.map(exactText).join(" ");
  picture.pathDots.replaceChildren(...points.filter((p) => p !== null).map(([x, y]) =>
    svgElement("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: 1.5 * L.lineScale })));
  const first = points[0], last = points[points.length - 1];
  setIfChanged(picture.start, "transform", first ? `translate(${first[0].toFixed(2)} ${first[1].toFixed(2)})` : "translate(-99 -99)");
  setIfChanged(picture.end, "transform", last ? `translate(${last[0].toFixed(2)} ${last[1].toFixed(2)})` : "translate(-99 -99)");
  setIfChanged(picture.note, "visibility", showNote ? "visible" : "hidden");

  const lossLim = lossLimits(path.loss, limits.loss_decades_step);
  const yHatLim = yHatLimits(path.y_hat, sample.y);
  drawRightAxes(picture, steps, lossLim, yHatLim);
  const sx = (box, i) => box.left + i / Math.max(steps, 1) * (box.right - box.left);
  const [lo, hi] = lossLim.map(Math.log10);
  // plots.curves._curve_values: NaN, inf, beyond 1e12 and (on a log axis) 0 or below leave a gap.
  const lossPoints = path.loss.map((l, i) => (Number.isFinite(l) && l > 0 && l <= 1e12
    ? [sx(L.loss, i), L.loss.bottom - (Math.log10(l) - lo) / (hi - lo) * (L.loss.bottom - L.loss.top)] : null));
  setIfChanged(picture.lossLine, "d", linePath(lossPoints));
  picture.lossLine.dataset.values = path.loss.map(exactText).join(" ");
  const [ylo, yhi] = yHatLim;
  const yy = (v) => L.yHat.bottom - (v - ylo) / (yhi - ylo) * (L.yHat.bottom - L.yHat.top);
  const yHatPoints = path.y_hat.map((v, i) => (Number.isFinite(v) ? [sx(L.yHat, i), yy(v)] : null));
  setIfChanged(picture.yHatLine, "d", linePath(yHatPoints));
  picture.yHatLine.dataset.values = path.y_hat.map(exactText).join(" ");
  picture.yHatDots.replaceChildren(...yHatPoints.filter((p) => p !== null).map(([x, y]) =>
    svgElement("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: 1.25 * L.lineScale })));
  const ty = yy(sample.y);
  setIfChanged(picture.target, "x1", L.yHat.left);
  setIfChanged(picture.target, "x2", L.yHat.right);
  setIfChanged(picture.target, "y1", ty);
  setIfChanged(picture.target, "y2", ty);
}

// ---- the controls and read-outs ----

const STYLE = `
.bpc-gd { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
          display: flex; flex-direction: column; gap: 6px; }
.bpc-gd .bpc-row { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start; }
.bpc-gd .bpc-column { display: flex; flex-direction: column; gap: 2px; }
.bpc-gd .bpc-controls { flex: 0 0 auto; }
.bpc-gd .bpc-readouts { flex: 1 1 300px; min-width: 0; line-height: 1.5; }
.bpc-gd .bpc-slider { display: flex; align-items: center; gap: 8px; height: var(--bpc-height); width: var(--bpc-width); }
.bpc-gd .bpc-slider label { flex: 0 0 var(--bpc-name); text-align: right; white-space: nowrap; }
.bpc-gd .bpc-slider input { flex: 1 1 auto; min-width: 60px; accent-color: ${POSITIVE}; }
.bpc-gd .bpc-slider output { flex: 0 0 4.2em; font-variant-numeric: tabular-nums; }
.bpc-gd input:focus-visible { outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
`;

// A read-out line of pieces [text, bold, name, value]; a named number carries its exact value in
// data-value, any other value its text.
function fillReadout(line, pieces) {
  fillPieces(line, pieces, (value) => typeof value === "number" ? exactText(value) : String(value));
}

export function render({ model, el }) {
  const state = {
    presentation: Boolean(model.get("presentation")), fixed: model.get("fixed"), sample: model.get("sample"),
    limits: model.get("limits"), landscape: model.get("landscape"),
  };
  const { limits, sample } = state;
  const size = look(state.presentation);
  let eta = Number(model.get("eta"));
  let steps = Number(model.get("steps"));
  let start = { ...model.get("start") };

  const root = htmlElement("div", { class: "bpc-gd", "data-widget": "gradient_descent_playground",
                                    "data-presentation": String(state.presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  root.style.setProperty("--bpc-name", size.controls.nameWidth);
  root.style.setProperty("--bpc-width", state.presentation ? "480px" : "400px");  // gradient_descent.SLIDER_WIDTH
  htmlElement("style", {}, root, STYLE);

  // GradientDescentPlayground.__init__: η, steps, start w3, start w4 in one column, the read-outs beside them.
  const top = htmlElement("div", { class: "bpc-row" }, root);
  const controls = htmlElement("div", { class: "bpc-column bpc-controls" }, top);
  const [expLow, expHigh] = limits.eta_exponents;
  const sliders = {
    eta: sliderRow(controls, "η (eta)", { min: expLow, max: expHigh, step: 0.001, "aria-label": "learning rate η",
                                          "data-name": "eta" }),
    steps: sliderRow(controls, "steps", { min: limits.steps[0], max: limits.steps[1], step: 1, "aria-label": "steps",
                                          "data-name": "steps" }),
  };
  for (const n of ["w3", "w4"]) {
    sliders[n] = sliderRow(controls, `start ${n}`, { min: limits[n][0], max: limits[n][1], step: limits.start_step,
                                                   "aria-label": `start ${n}`, "data-name": n });
  }
  const column = htmlElement("div", { class: "bpc-column bpc-readouts" }, top);
  const readouts = {};
  for (const name of ["verdict", "final_loss", "final_y_hat"]) {
    readouts[name] = htmlElement("div", { class: "bpc-readout", "data-name": name }, column);
  }
  const picture = drawFigure(htmlElement("div", {}, root), state);
  el.appendChild(root);

  function moveSliders() {
    sliders.eta.input.value = String(Math.log10(eta));
    sliders.steps.input.value = String(steps);
    for (const n of ["w3", "w4"]) sliders[n].input.value = String(start[n]);
  }

  // GradientDescentPlayground._update: the run, its verdict, the picture and the labels.
  function update() {
    const path = descendOutputWeights(start.w3, start.w4, eta, steps, state.fixed, sample, limits);
    const said = verdict(path, sample.y, limits);
    const leftMap = path.w3.some((w3, i) => !(w3 >= limits.w3[0] && w3 <= limits.w3[1]
                                              && path.w4[i] >= limits.w4[0] && path.w4[i] <= limits.w4[1]));
    updateFigure(picture, path, steps, sample, limits, said === DIVERGED && leftMap);
    setTextIfChanged(sliders.eta.output, short(eta));
    setIfChanged(sliders.eta.input, "aria-valuetext", short(eta));   // the slider's own value is log10(η)
    setTextIfChanged(sliders.steps.output, String(steps));
    for (const n of ["w3", "w4"]) setTextIfChanged(sliders[n].output, fmt(start[n], 2));
    const ran = path.loss.length - 1;
    const last = path.loss.length - 1;
    let finalLoss, finalYHat, stop;
    if (path.diverged) {
      finalLoss = finalYHat = NaN;
      stop = ` (stopped after ${ran} of ${steps} steps: the weights blew up)`;
    } else {
      finalLoss = path.loss[last];
      finalYHat = path.y_hat[last];
      stop = path.loss[last] > path.loss[0] ? ": each jump lands higher up the valley wall" : "";
    }
    fillReadout(readouts.verdict, [["verdict: ", false], [said, true, "verdict", said], [stop, false, "ran", ran]]);
    fillReadout(readouts.final_loss, [["final loss L = ", false], [tinyNumber(finalLoss), true, "final_loss", finalLoss],
                                      [" (start ", false], [tinyNumber(path.loss[0]), false, "start_loss", path.loss[0]],
                                      [")", false]]);
    fillReadout(readouts.final_y_hat, [["final ŷ = ", false], [tinyNumber(finalYHat), true, "final_y_hat", finalYHat],
                                       [` (target y = ${pyGeneral(sample.y, 6)})`, false]]);
    root.dataset.eta = exactText(eta);
    root.dataset.steps = String(steps);
  }

  function send() {
    model.set("eta", eta);
    model.set("steps", steps);
    model.set("start", { ...start });
    model.save_changes();
  }

  const listen = listenerList();
  const drag = dragTracker(listen);
  keepKeys(listen, root);
  kernelGone(model, root);
  const read = {
    eta: () => { eta = logValue(10 ** Number(sliders.eta.input.value)); },   // _base.log_value
    steps: () => { steps = Math.round(Number(sliders.steps.input.value)); },
    w3: () => { start = { ...start, w3: Number(sliders.w3.input.value) }; },
    w4: () => { start = { ...start, w4: Number(sliders.w4.input.value) }; },
  };
  for (const [name, slider] of Object.entries(sliders)) {
    listen(slider.input, "input", () => { read[name](); update(); });
    drag.slider(slider.input, () => { send(); });
  }
  // η and the steps span decades: a key press steps through round values (ETA_KEYS, STEPS_KEYS) instead
  // of the slider's own fine step, and the value goes to Python at once, as a key press ends a move.
  const keyed = {
    eta: { keys: ETA_KEYS, pageKeys: ETA_PAGE_KEYS, get: () => eta, set: (v) => { eta = v; } },
    steps: { keys: STEPS_KEYS, pageKeys: STEPS_PAGE_KEYS, get: () => steps, set: (v) => { steps = v; } },
  };
  for (const [name, { keys, pageKeys, get, set }] of Object.entries(keyed)) {
    keyedSlider(listen, sliders[name].input, keys, pageKeys, get, (value) => {
      set(value);
      moveSliders();
      update();
      send();
    });
  }

  // The kernel's values, when its code changes them (or echoes the page's own): shown at once, except
  // during a drag, whose end sends the page's values back.
  const onChange = () => {
    if (drag.active) return;
    eta = Number(model.get("eta"));
    steps = Number(model.get("steps"));
    start = { ...model.get("start") };
    moveSliders();
    update();
  };
  for (const name of ["eta", "steps", "start"]) model.on(`change:${name}`, onChange);

  moveSliders();
  update();
  return () => {
    for (const name of ["eta", "steps", "start"]) model.off(`change:${name}`, onChange);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
