// The backward stepper, drawn and stepped in the page: a computation graph walked backwards one node
// per Step, the node acting now outlined and the arrows it passes its gradient along drawn thick.
// Python works out every computation of the dropdown once (helpers.autograd.backward_steps) and sends
// the whole walk as state; this module draws the graph as helpers/graph_plot.py's draw_graph does and
// replays the walk as GraphDrawing.show_step and helpers/widgets/stepper.py's BackwardStepper do. Each
// function names the Python it follows. The page sends the computation shown and the steps taken (k)
// to the kernel after each press, and redraws whenever the kernel sends new ones.
//
// Synced state read here (helpers/widgets/page/backward_stepper.py, PageBackwardStepper):
//   expression and k (the page sets these), options (the dropdown's computations, in order),
//   computations {name: {nodes, arrows, steps, seed, xlim, ylim}} (graph_state), wording ("grad" or
//   "upstream"), figure {size, axes, box, fontsize, title}, presentation (true: the large sizes).

const PENDING = "grad ?";                 // graph_plot.PENDING
const LEAF_COLOUR = "#DCEBF5";            // graph_plot.LEAF_COLOUR: inputs and weights
const NODE_COLOUR = "#F2F2F2";            // graph_plot.NODE_COLOUR: computed values
const ROOT_COLOUR = "#FBEBD0";            // graph_plot.ROOT_COLOUR: the loss
const ACTIVE_EDGE = LOSS;                 // graph_plot.ACTIVE_EDGE
const BOX_PAD = 0.02, BOX_ROUNDING = 0.08;  // draw_graph's boxstyle "round,pad=0.02,rounding_size=0.08"
const TITLE_PAD = 6;                      // matplotlib's axes.titlepad, in points

// graph_plot.number: a number with four decimals and a true minus sign, e.g. '−0.6000'. Python keeps
// the sign of −0.0 ('−0.0000', as a share of 0 times a negative gradient comes out); toFixed drops it.
function number(value, digits = 4) {
  const text = pyFixed(value, digits);
  return (Object.is(value, -0) ? "-" + text : text).replaceAll("-", MINUS);
}

// graph_plot.short: a local derivative for an arrow, three significant figures, e.g. '−0.141' or '2'.
function arrowNumber(value) {
  return pyGeneral(value, 3).replaceAll("-", MINUS);
}

// stepper._signed: a number in brackets when negative, for a product written out: 1.0000 × (−0.6000).
function bracketed(value) {
  const text = number(value);
  return value < 0 ? `(${text})` : text;
}

// Python's html.escape: &, <, >, " and ' as entities.
function escapeHtml(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
}

// graph_plot.GraphDrawing.show_step (and page/backward_stepper.grad_texts): each node's gradient text
// after k steps, and the running sum it shows (null for 'grad ?'). 'grad ?' until some share has
// arrived, then the running sum followed by '…' until every path has delivered; the root's is known
// from the start.
function gradTexts(graph, k) {
  const nodes = graph.nodes;
  const root = nodes.length - 1;
  const running = new Map([[root, graph.seed]]);
  const received = new Map();
  for (const step of graph.steps.slice(0, k)) {
    for (const c of step.contributions) {
      running.set(c.parent, c.after);
      received.set(c.parent, (received.get(c.parent) || 0) + 1);
    }
  }
  return nodes.map((node, i) => {
    if (!running.has(i)) return { text: PENDING, value: null };
    const complete = i === root || (received.get(i) || 0) === node.uses;
    return { text: `grad ${number(running.get(i))}` + (complete ? "" : " …"), value: running.get(i) };
  });
}

// stepper.BackwardStepper._update (and page/backward_stepper.labels): the three labels after k steps,
// each a list of pieces [text, bold, name, value]; detail is a list of lines. A named piece carries
// its exact number in data-value.
function stepLabels(graph, k, wording) {
  const { nodes, steps } = graph;
  const n = steps.length;
  const root = nodes[nodes.length - 1].operand;
  if (k === 0) {
    return {
      position: [[`step 0 of ${n}`, false]],
      node: [["The walk starts at the output: ", false], [`∂${root}/∂${root} = 1`, true], [". Press ", false],
             ["Step", true], [".", false]],
      detail: [],
    };
  }
  const step = steps[k - 1];
  const node = nodes[step.node];
  const wrt = node.operand;
  const position = [[`step ${k} of ${n}` + (k === n ? ": done, every gradient is final" : ""), false]];
  const upstream = wording === "upstream" ? "the upstream gradient " : "";
  const said = [[node.name, true], [` (${node.op}) has its full gradient, ${upstream}∂${root}/∂${wrt} = `, false],
                [number(step.grad), true, "grad", step.grad], [", and passes it to its inputs:", false]];
  const reached = new Set();
  for (const earlier of steps.slice(0, k - 1)) for (const c of earlier.contributions) reached.add(c.parent);
  const detail = step.contributions.map((c, i) => {
    const parent = nodes[c.parent].name;
    const of = nodes[c.parent].operand;
    let line;
    if (wording === "upstream") {
      const adds = reached.has(c.parent) ? "+=" : "=";  // at a fork the shares add
      line = [[`downstream ∂${root}/∂${of} ${adds} upstream ∂${root}/∂${wrt} × local ∂${wrt}/∂${of} = ` +
               `${bracketed(step.grad)} × `, false], [bracketed(c.local), false, `local_${i}`, c.local],
              [" = ", false], [number(c.amount), true, `amount_${i}`, c.amount]];
    } else {
      line = [[`${of}.grad += local ∂${wrt}/∂${of} × grad = `, false], [number(c.local), false, `local_${i}`, c.local],
              [` × ${bracketed(step.grad)} = `, false], [number(c.amount), true, `amount_${i}`, c.amount]];
    }
    if (reached.has(c.parent)) {
      line.push([`; a fork: ${parent} already had `, false], [number(c.before), false, `before_${i}`, c.before],
                [" from another path, so the running sum is now ", false],
                [number(c.after), true, `after_${i}`, c.after]);
    }
    reached.add(c.parent);
    return line;
  });
  return { position, node: said, detail };
}

// The labels' HTML as the kernel version writes it: each piece escaped, bold ones in <b>, lines by <br>.
function piecesHtml(pieces) {
  return pieces.map(([text, bold]) => (bold ? `<b>${escapeHtml(text)}</b>` : escapeHtml(text))).join("");
}

function labelsHtml(labels) {
  return { position: piecesHtml(labels.position), node: piecesHtml(labels.node),
           detail: labels.detail.map(piecesHtml).join("<br>") };
}

// ---- the picture: helpers/graph_plot.py's draw_graph on BackwardStepper's figure ----

// Widths of DejaVu Sans characters in em, for the white boxes behind the arrows' numbers (the
// characters those numbers use; others count as 0.6 em). Bold digits are wider.
const GLYPH_EM = { regular: { digit: 0.636, ".": 0.318, [MINUS]: 0.838, e: 0.615, "+": 0.838, "-": 0.361 },
                   bold: { digit: 0.696, ".": 0.380, [MINUS]: 0.838, e: 0.678, "+": 0.838, "-": 0.415 } };

function textWidth(text, size, bold = false) {
  const em = GLYPH_EM[bold ? "bold" : "regular"];
  let width = 0;
  for (const ch of text) width += (ch >= "0" && ch <= "9") ? em.digit : (em[ch] ?? 0.6);
  return width * size;
}

// An arrow as FancyArrowPatch draws arrowstyle "-|>": a line to the head's base and a filled head
// 0.4 × mutation_scale long and 0.2 × mutation_scale to each side (points).
function arrowElements(parent, [x0, y0], [x1, y1], colour, width, mutation) {
  const length = Math.hypot(x1 - x0, y1 - y0) || 1;
  const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
  const headLength = 0.4 * mutation, headWidth = 0.2 * mutation;
  const [bx, by] = [x1 - ux * headLength, y1 - uy * headLength];
  const group = svgElement("g", {}, parent);
  svgElement("line", { x1: x0, y1: y0, x2: bx, y2: by, stroke: colour, "stroke-width": width }, group);
  const points = [[x1, y1], [bx - uy * headWidth, by + ux * headWidth], [bx + uy * headWidth, by - ux * headWidth]];
  svgElement("polygon", { points: points.map((p) => p.join(",")).join(" "), fill: colour, stroke: colour,
                          "stroke-width": width, "stroke-linejoin": "miter" }, group);
  return group;
}

// A text in a rounded box, as matplotlib's bbox=dict(boxstyle="round,pad=0.15", ...) draws it.
function boxedText(parent, x, y, text, size, { bold = false, edge, edgeWidth }) {
  const group = svgElement("g", {}, parent);
  const pad = 0.15 * size;
  const width = textWidth(text, size, bold) + 2 * pad;
  const height = 1.17 * size + 2 * pad;   // DejaVu Sans: ascent and descent together about 1.17 em
  svgElement("rect", { x: x - width / 2, y: y - height / 2, width, height, rx: pad, ry: pad, fill: "white",
                       stroke: edge, "stroke-width": edgeWidth }, group);
  svgText(group, x, y, text, size, { weight: bold ? "bold" : "normal" });
  return group;
}

// Where draw_graph puts things on BackwardStepper's figure: data units to points through the graph's
// xlim and ylim on the figure's axes, and sizes in points as matplotlib draws them. A plan gives each
// node's centre, its box (about the centre), where its three lines sit (title, data, grad), each
// arrow's ends and where its number goes, and the type sizes.
function kernelPlan(graph, figure, frame) {
  const [boxWidth, boxHeight] = figure.box;
  const fontsize = figure.fontsize;
  const [xLo, xHi] = graph.xlim, [yLo, yHi] = graph.ylim;
  const sx = frame.width / (xHi - xLo), sy = frame.height / (yHi - yLo);   // points per data unit
  const px = (x) => frame.left + (x - xLo) * sx;
  const py = (y) => frame.top + (yHi - y) * sy;
  return {
    fonts: { title: fontsize + 1, text: fontsize, arrow: fontsize - 1, active: fontsize },
    centre: (node) => [px(node.x), py(node.y)],
    box: (node) => ({ x: px(node.x - boxWidth / 2 - BOX_PAD), y: py(node.y + boxHeight / 2 + BOX_PAD),
                      width: (boxWidth + 2 * BOX_PAD) * sx, height: (boxHeight + 2 * BOX_PAD) * sy,
                      rx: BOX_ROUNDING * sx, ry: BOX_ROUNDING * sy }),
    lines: (node) => [py(node.y + 0.17), py(node.y), py(node.y - 0.17)],
    arrow: (arrow) => ({ start: [px(arrow.start[0]), py(arrow.start[1])], end: [px(arrow.end[0]), py(arrow.end[1])],
                         label: [px(arrow.label[0]), py(arrow.label[1])] }),
  };
}

// Presentation mode: the same graph, its text large enough to read from the back of a room. On a
// 1280x720 projector (sidebar closed) the notebook is about 1,100 px wide, so the 1,300 px figure is
// shown at 0.85 of its size: 12.5 pt type is then about 14.7 px, and each line of text about 17 px
// tall on screen (16 at least, to be read from the back row). The boxes are as wide as their widest line ('data −0.5000',
// 6.9 em) and the columns spread over the whole figure, so the arrows' numbers still fit between them;
// the rows are as far apart as the boxes need, and the figure only as tall as the graph.
const PROJECTOR = {
  text: 12.5, title: 13.5, arrow: 12.5, heading: 13,   // type sizes in points: data and grad, node title, arrow numbers, figure title
  boxWidth: 7.2, boxHeight: 4.35, line: 1.3,            // in em of `text`: a box, and the distance between its lines
  row: 72,                                              // points between rows one data unit apart
  margin: 2.5, headingGap: 6,                           // points: around the figure (the outline's half width), under its title
};

// The projector figure for every computation of the dropdown at once, so that each is drawn with
// boxes of the same size (as stepper.MIN_SPAN does): the widest and tallest graph sets the scale.
function projectorLayout(computations, widthIn) {
  let spanX = 0, spanY = 0;
  for (const graph of Object.values(computations)) {
    const xs = graph.nodes.map((n) => n.x), ys = graph.nodes.map((n) => n.y);
    spanX = Math.max(spanX, Math.max(...xs) - Math.min(...xs));
    spanY = Math.max(spanY, Math.max(...ys) - Math.min(...ys));
  }
  const P = PROJECTOR;
  const boxWidth = P.boxWidth * P.text, boxHeight = P.boxHeight * P.text;
  const graphTop = P.margin + P.heading + P.headingGap;
  const sx = (widthIn * 72 - 2 * P.margin - boxWidth) / (spanX || 1);   // points per data unit across
  const height = graphTop + spanY * P.row + boxHeight + P.margin;
  return { widthIn, heightIn: height / 72, spanX, spanY, boxWidth, boxHeight, sx, graphTop };
}

function projectorPlan(graph, layout) {
  const P = PROJECTOR;
  const { boxWidth, boxHeight, sx } = layout;
  const xs = graph.nodes.map((n) => n.x), ys = graph.nodes.map((n) => n.y);
  const xMin = Math.min(...xs), yMax = Math.max(...ys);
  // A graph narrower or shorter than the largest sits in the middle.
  const left = P.margin + boxWidth / 2 + (layout.spanX - (Math.max(...xs) - xMin)) / 2 * sx;
  const top = layout.graphTop + boxHeight / 2 + (layout.spanY - (yMax - Math.min(...ys))) / 2 * P.row;
  const centre = (node) => [left + (node.x - xMin) * sx, top + (yMax - node.y) * P.row];
  const fonts = { title: P.title, text: P.text, arrow: P.arrow, active: P.arrow };
  const pitch = P.line * P.text;
  return {
    fonts,
    centre,
    box: (node) => {
      const [x, y] = centre(node);
      return { x: x - boxWidth / 2, y: y - boxHeight / 2, width: boxWidth, height: boxHeight,
               rx: 0.1 * P.text, ry: 0.1 * P.text };
    },
    lines: (node) => { const y = centre(node)[1]; return [y - pitch, y, y + pitch]; },
    // draw_graph's arrow from the input's right edge to the node's left edge (two inputs meeting at two
    // points); its number on it halfway, where two arrows into one node are still a row's half apart,
    // or nearer the tail when a wide number would cover the head.
    arrow: (arrow) => {
      const parent = graph.nodes[arrow.parent], child = graph.nodes[arrow.child];
      const [x0, y0] = centre(parent), [x1, y1] = centre(child);
      const start = [x0 + boxWidth / 2, y0];
      const end = [x1 - boxWidth / 2, y1 - (arrow.end[1] - child.y) * P.row];
      const half = (textWidth(arrowNumber(arrow.local), fonts.active, true) + 0.3 * fonts.active) / 2;
      const clear = 0.4 * MUTATION + 1;   // the grey head, and a point to spare
      const middle = (start[0] + end[0]) / 2;
      const tx = 2 * half + clear > end[0] - start[0] ? middle : Math.min(middle, end[0] - clear - half);
      const along = (tx - start[0]) / ((end[0] - start[0]) || 1);
      return { start, end, label: [tx, start[1] + along * (end[1] - start[1])] };
    },
  };
}

const MUTATION = 12, ACTIVE_MUTATION = 16;   // draw_graph's arrow heads (FancyArrowPatch mutation_scale)

// draw_graph for one computation, as `plan` places it: a group holding everything, and the parts
// show_step changes (gradient texts, the highlight, the active arrows and their labels).
function drawGraph(svg, graph, plan) {
  const { nodes, arrows } = graph;
  const fonts = plan.fonts;
  const group = svgElement("g", { "data-computation": "" }, svg);
  const layers = {};
  // matplotlib's z-orders: arrows 2, boxes 3, node texts 4, arrow labels 5, active arrows 6, their labels 7,
  // the highlight 8.
  for (const name of ["arrows", "boxes", "texts", "labels", "active", "activeLabels", "highlight"]) {
    layers[name] = svgElement("g", { "data-layer": name }, group);
  }
  const drawn = { group, gradTexts: [], activeArrows: [], activeLabels: [], highlight: null, nodeBoxes: [] };
  nodes.forEach((node, i) => {
    const colour = node.kind === "root" ? ROOT_COLOUR : node.kind === "node" ? NODE_COLOUR : LEAF_COLOUR;
    drawn.nodeBoxes.push(svgElement("rect", { ...plan.box(node), fill: colour, stroke: PALETTE.black,
                                              "stroke-width": 1.2, "data-node": i }, layers.boxes));
    const x = plan.centre(node)[0];
    const [titleY, dataY, gradY] = plan.lines(node);
    svgText(layers.texts, x, titleY, node.title, fonts.title, { weight: "bold" });
    svgText(layers.texts, x, dataY, `data ${number(node.data)}`, fonts.text);
    const grad = svgText(layers.texts, x, gradY, PENDING, fonts.text, { colour: PALETTE.vermillion });
    grad.setAttribute("data-node", i);
    grad.setAttribute("data-name", node.name);
    drawn.gradTexts.push(grad);
  });
  for (const arrow of arrows) {
    const { start, end, label: [tx, ty] } = plan.arrow(arrow);
    arrowElements(layers.arrows, start, end, PALETTE.grey, 1.2, MUTATION);
    boxedText(layers.labels, tx, ty, arrowNumber(arrow.local), fonts.arrow, { edge: PALETTE.grey, edgeWidth: 0.6 });
    const active = arrowElements(layers.active, start, end, ACTIVE_EDGE, 3.0, ACTIVE_MUTATION);
    const activeLabel = boxedText(layers.activeLabels, tx, ty, arrowNumber(arrow.local), fonts.active,
                                  { bold: true, edge: ACTIVE_EDGE, edgeWidth: 1.5 });
    for (const part of [active, activeLabel]) {
      part.setAttribute("display", "none");
      part.setAttribute("data-child", arrow.child);
    }
    activeLabel.setAttribute("data-value", exactText(arrow.local));
    drawn.activeArrows.push(active);
    drawn.activeLabels.push(activeLabel);
  }
  const { x, y, ...shape } = plan.box(nodes[0]);
  drawn.highlight = svgElement("rect", { x, y, ...shape, fill: "none", stroke: ACTIVE_EDGE, "stroke-width": 4.0,
                                         display: "none", "data-highlight": "" }, layers.highlight);
  drawn.place = (node) => {
    const box = plan.box(node);
    setIfChanged(drawn.highlight, "x", box.x);
    setIfChanged(drawn.highlight, "y", box.y);
  };
  return drawn;
}

// GraphDrawing.show_step: the gradient texts, the outlined node and the thick arrows after k steps.
function showStep(drawn, graph, k) {
  gradTexts(graph, k).forEach(({ text, value }, i) => {
    const node = drawn.gradTexts[i];
    setTextIfChanged(node, text);
    if (value === null) node.removeAttribute("data-value");
    else setIfChanged(node, "data-value", exactText(value));
  });
  const current = k > 0 ? graph.steps[k - 1].node : null;
  setIfChanged(drawn.highlight, "display", current === null ? "none" : "inline");
  if (current !== null) drawn.place(graph.nodes[current]);
  drawn.activeArrows.forEach((arrow, j) => {
    const shown = current !== null && graph.arrows[j].child === current ? "inline" : "none";
    setIfChanged(arrow, "display", shown);
    setIfChanged(drawn.activeLabels[j], "display", shown);
  });
}

// ---- the controls and labels ----

const STYLE = `
.bpc-bs { font-family: var(--jp-ui-font-family, ${FONT_FAMILY}); font-size: var(--bpc-font); color: #000;
          display: flex; flex-direction: column; gap: 4px; }
.bpc-bs .bpc-row { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.bpc-bs .bpc-choice { display: flex; align-items: center; gap: 8px; width: var(--bpc-select); height: var(--bpc-height); }
.bpc-bs .bpc-choice label { flex: 0 0 auto; white-space: nowrap; }
.bpc-bs .bpc-choice select { flex: 1 1 auto; min-width: 0; height: 100%; font: inherit; }
.bpc-bs button { font: inherit; height: var(--bpc-height); padding: 0 14px; border: 1px solid #bdbdbd;
                 border-radius: 2px; background: #eeeeee; color: #000; cursor: pointer; }
.bpc-bs button:disabled { opacity: 0.5; cursor: default; }
.bpc-bs button.bpc-primary { background: ${POSITIVE}; border-color: ${POSITIVE}; color: #fff; }
.bpc-bs button:focus-visible, .bpc-bs select:focus-visible, .bpc-bs .bpc-picture:focus-visible {
  outline: 2px solid ${PALETTE.orange}; outline-offset: 1px; }
.bpc-bs .bpc-label { line-height: 1.5; }
.bpc-bs .bpc-detail { min-height: 3em; }
.bpc-bs .bpc-picture { width: fit-content; max-width: 100%; }
`;

function fillDetail(holder, lines) {
  const nodes = [];
  lines.forEach((pieces, i) => {
    if (i > 0) nodes.push(document.createElement("br"));
    const line = htmlElement("span", { class: "bpc-line" });
    fillPieces(line, pieces);
    nodes.push(line);
  });
  holder.replaceChildren(...nodes);
}

export function render({ model, el }) {
  const presentation = Boolean(model.get("presentation"));
  const options = model.get("options");
  const computations = model.get("computations");
  const wording = model.get("wording");
  const figure = model.get("figure");
  const size = look(presentation);
  let expression = model.get("expression");
  let k = Number(model.get("k"));

  const root = htmlElement("div", { class: "bpc-bs", "data-widget": "backward_stepper",
                                    "data-presentation": String(presentation), "data-lm-suppress-shortcuts": "true" });
  root.style.setProperty("--bpc-font", size.controls.fontSize);
  root.style.setProperty("--bpc-height", size.controls.height);
  // BackwardStepper: a 360px dropdown, at least style.PRESENTATION_CONTROLS' 480px in presentation mode.
  root.style.setProperty("--bpc-select", presentation ? "480px" : "360px");
  htmlElement("style", {}, root, STYLE);

  const row = htmlElement("div", { class: "bpc-row" }, root);
  const choice = htmlElement("div", { class: "bpc-choice" }, row);
  const selectId = `bpc-${Math.random().toString(36).slice(2)}`;
  htmlElement("label", { for: selectId }, choice, "computation");
  const select = htmlElement("select", { id: selectId, "aria-label": "computation" }, choice);
  for (const name of options) htmlElement("option", { value: name }, select, name);
  const button = (text, label, title, primary = false) => {
    const node = htmlElement("button", { type: "button", title, "aria-label": label,
                                         ...(primary ? { class: "bpc-primary" } : {}) }, row, text);
    return node;
  };
  const stepButton = button("▶ Step", "Step", "the next node passes its gradient to its inputs", true);
  const backButton = button("↶ Back", "Back", "undo the last step");
  const resetButton = button("↻ Reset", "Reset", "start the walk again");
  const position = htmlElement("span", { class: "bpc-label", "data-label": "position" }, row);
  const nodeLabel = htmlElement("div", { class: "bpc-label", "data-label": "node" }, root);
  const detailLabel = htmlElement("div", { class: "bpc-label bpc-detail", "data-label": "detail" }, root);

  // The figure: BackwardStepper's FIGSIZE (1.25 times wider in presentation mode, as new_figure makes
  // it), the graph's axes at figure.axes, its title above them. In presentation mode the graph is laid
  // out for the room (projectorLayout) and the figure is as tall as it needs.
  const widthIn = figure.size[0] * size.figureScale;
  const layout = presentation ? projectorLayout(computations, widthIn) : null;
  const heightIn = presentation ? layout.heightIn : figure.size[1] * size.figureScale;
  const holder = htmlElement("div", { class: "bpc-picture", tabindex: "0",
                                      "aria-label": "the computation graph: → steps, ← goes back, Home starts again" }, root);
  const svg = svgFigure(widthIn, heightIn, holder);
  const [left, bottom, width, height] = figure.axes;
  const frame = { left: left * widthIn * 72, top: (1 - bottom - height) * heightIn * 72,
                  width: width * widthIn * 72, height: height * heightIn * 72 };
  if (presentation) {
    svgText(svg, widthIn * 36, layout.graphTop - PROJECTOR.headingGap, figure.title, PROJECTOR.heading,
            { baseline: "alphabetic" });
  } else {
    svgText(svg, frame.left + frame.width / 2, frame.top - TITLE_PAD, figure.title, figure.fontsize + 1,
            { baseline: "alphabetic" });
  }
  el.appendChild(root);
  kernelGone(model, root);

  // Each computation is drawn the first time it is chosen, and shown again when chosen again.
  const drawings = {};
  let shown = null;
  function drawingOf(name) {
    if (!(name in drawings)) {
      const graph = computations[name];
      const plan = presentation ? projectorPlan(graph, layout) : kernelPlan(graph, figure, frame);
      drawings[name] = drawGraph(svg, graph, plan);
    }
    return drawings[name];
  }

  // BackwardStepper._update and _refresh: the labels, the buttons and the picture for the walk so far.
  function update() {
    const graph = computations[expression];
    const drawn = drawingOf(expression);
    if (shown !== drawn) {
      if (shown) shown.group.setAttribute("display", "none");
      drawn.group.setAttribute("display", "inline");
      drawn.group.setAttribute("data-computation", expression);
      shown = drawn;
    }
    showStep(drawn, graph, k);
    const labels = stepLabels(graph, k, wording);
    fillPieces(position, labels.position);
    fillPieces(nodeLabel, labels.node);
    fillDetail(detailLabel, labels.detail);
    const n = graph.steps.length;
    stepButton.disabled = k >= n;
    backButton.disabled = k === 0;
    if (select.value !== expression) select.value = expression;
    root.dataset.k = String(k);
    root.dataset.expression = expression;
  }

  // The page's own values to the model. A model may announce each set at once (Backbone does), so the
  // handlers below ignore what the page itself is setting.
  let sending = false;
  function send(values) {
    sending = true;
    try {
      for (const [name, value] of Object.entries(values)) model.set(name, value);
    } finally {
      sending = false;
    }
    model.save_changes();
  }

  // BackwardStepper.step, back and reset.
  const moves = {
    step: () => Math.min(k + 1, computations[expression].steps.length),
    back: () => Math.max(k - 1, 0),
    reset: () => 0,
  };
  function move(name) {
    const next = moves[name]();
    if (next === k) return;
    k = next;
    update();
    send({ k });
  }

  const listen = listenerList();
  // Keys pressed in the widget stay in it: JupyterLab's notebook takes arrow keys for moving between
  // cells. On the picture and the buttons, → steps, ← goes back and Home starts again; the dropdown
  // keeps its own keys.
  listen(root, "keydown", (event) => {
    event.stopPropagation();
    if (event.target === select || event.altKey || event.ctrlKey || event.metaKey) return;
    const name = { ArrowRight: "step", ArrowLeft: "back", Home: "reset" }[event.key];
    if (name) {
      event.preventDefault();
      move(name);
    }
  });
  listen(stepButton, "click", () => move("step"));
  listen(backButton, "click", () => move("back"));
  listen(resetButton, "click", () => move("reset"));
  // BackwardStepper._on_expression: a computation chosen starts its walk at the root.
  listen(select, "change", () => {
    expression = select.value;
    k = 0;
    update();
    send({ k, expression });  // k first: 0 is a step of every computation
  });

  // The kernel's values, when its code changes them (or echoes the page's own): shown at once.
  const onExpression = () => {
    if (sending) return;
    expression = model.get("expression");
    k = Math.min(Number(model.get("k")), computations[expression].steps.length);
    update();
  };
  const onK = () => {
    if (sending) return;
    k = Math.min(Number(model.get("k")), computations[expression].steps.length);
    update();
  };
  model.on("change:expression", onExpression);
  model.on("change:k", onK);

  update();
  return () => {
    model.off("change:expression", onExpression);
    model.off("change:k", onK);
    listen.removeAll();
    root.remove();
  };
}

export default { render };
