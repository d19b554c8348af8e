"""The network diagram: nodes in layers, one line per weight, numbers on nodes and lines.

    diagram = network_diagram(TwoTwoOne())           # the 2-2-1 example, numbers on every node
    diagram.update(TwoTwoOne(w1=0.2))                # same lines, new widths and styles
    network_diagram(TwoTwoOne(), filled="h1")        # the backward pass filled in from L back to h1

A weight's sign is shown twice: blue solid lines for w ≥ 0, vermillion dashed lines for w < 0.
"""

from dataclasses import dataclass, field

import numpy as np

from . import style
from .. import validate
from ..core.network import ForwardPass, Gradients, Network
from ..core.tiny import BACKWARD_ORDER, EXAMPLE_INPUTS, EXAMPLE_TARGET, WEIGHT_NAMES, Chain, TwoTwoOne
from ._common import _axes, _number, _Plot

# The widest line is drawn for |w| at or above this; sliders of the course go from −3 to 3.
WEIGHT_FOR_WIDEST_LINE = 3.0
THINNEST_LINE, WIDEST_LINE = 0.8, 7.0
NEUTRAL_EDGE = style.PALETTE["grey"]
PENDING_COLOUR = style.PALETTE["grey"]  # a gradient the backward pass has not reached yet
FILLED_FIGSIZE = (9.0, 4.3)             # room for a value above and a gradient below every node, and for L


def _filled_count(filled):
    """How many steps of BACKWARD_ORDER `filled` means: a count 0..9 or the name of the last node filled."""
    n = len(BACKWARD_ORDER)
    if isinstance(filled, str):
        if filled == "L":
            return 0
        if filled not in BACKWARD_ORDER:
            raise ValueError(f"filled must be a count from 0 to {n} or one of 'L', "
                             f"{', '.join(repr(k) for k in BACKWARD_ORDER)}, but got {filled!r}")
        return BACKWARD_ORDER.index(filled) + 1
    if isinstance(filled, bool) or not isinstance(filled, (int, np.integer)):
        raise TypeError(f"filled must be a whole number of steps (0 to {n}) or a node name such as 'h1', "
                        f"but got {type(filled).__name__}")
    if not 0 <= filled <= n:
        raise ValueError(f"filled must be a count from 0 to {n} (the steps of the backward pass), but got {filled}")
    return int(filled)


def edge_width(w, w_max=WEIGHT_FOR_WIDEST_LINE):
    """Line width (points) for a weight: grows with |w|, from THINNEST_LINE at 0 to WIDEST_LINE at w_max."""
    w = float(w)
    if not np.isfinite(w):
        return WIDEST_LINE
    return THINNEST_LINE + (WIDEST_LINE - THINNEST_LINE) * min(abs(w) / w_max, 1.0)


@dataclass(repr=False)
class NetworkDiagram(_Plot):
    """A drawn network. Keys are node names and edge names.

    Nodes are named 'x1', 'h1', 'y_hat' in the 2-2-1 example, and (layer, i) tuples otherwise
    (layer 0 is the input; i counts from 0). Edges are named 'w1'..'w4' in the 2-2-1 example and
    'W{l}[j,i]' otherwise: the weight W[l][j, i] from neuron i of layer l-1 to neuron j of layer l.

    fig, ax: where it is drawn. nodes: one PathCollection holding every node's circle.
    node_labels: the name inside each node. value_labels: the number under each node.
    edges: one Line2D per weight (width ∝ |w|, blue solid for w ≥ 0, vermillion dashed for w < 0).
    weight_labels: the weight's value on each edge. gradient_labels: ∂L/∂w ("blame") beside each edge.
    With `filled` (the 2-2-1 example only): chain, the Chain whose backward pass is drawn; filled, how
    many of its steps (BACKWARD_ORDER) are shown; backward_labels, ∂L/∂node under each node, 'L' included.
    """

    fig: object
    ax: object
    sizes: list
    tiny: bool
    positions: dict
    nodes: object
    node_labels: dict
    value_labels: dict
    edges: dict
    weight_labels: dict
    gradient_labels: dict
    digits: int = 3
    w_max: float = WEIGHT_FOR_WIDEST_LINE
    weights: dict = field(default_factory=dict)
    chain: object = None
    filled: object = None
    backward_labels: dict = field(default_factory=dict)

    def fill(self, filled):
        """Show the backward pass up to step `filled`: a count of steps of BACKWARD_ORDER (0: only
        ∂L/∂L = 1 is known) or the name of the last node filled ('y_hat', 'w3', 'h1', 'z1', ...).
        Gradients not reached yet read '?'; the one filled last is bold. Returns the diagram."""
        if self.chain is None:
            raise ValueError("this diagram was drawn without filled=...; only a 2-2-1 diagram drawn with "
                             "filled=0 (or a node name) shows the backward pass")
        k = _filled_count(filled)
        self.filled = k
        known = {step.node: step.value for step in self.chain.backward_steps()[:k]}
        last = BACKWARD_ORDER[k - 1] if k else "L"

        def text(name, node):
            return f"{name} = {_number(known[node], self.digits, signed=True)}" if node in known else f"{name} = ?"

        # Under each node, the gradient it receives; a hidden neuron also passes δ = ∂L/∂z to its weighted sum.
        labels = {"L": ("∂L/∂L = 1", True, ("L",)),
                  "y_hat": (text("∂L/∂ŷ", "y_hat"), "y_hat" in known, ("y_hat",)),
                  "h1": (text("∂L/∂h1", "h1") + "\n" + text("δ1 = ∂L/∂z1", "z1"), "h1" in known, ("h1", "z1")),
                  "h2": (text("∂L/∂h2", "h2") + "\n" + text("δ2 = ∂L/∂z2", "z2"), "h2" in known, ("h2", "z2"))}
        for key, (label, reached, nodes) in labels.items():
            self.backward_labels[key].set_text(label)
            self.backward_labels[key].set_fontweight("bold" if last in nodes else "normal")
            self.backward_labels[key].set_color("black" if reached else PENDING_COLOUR)
        for name in WEIGHT_NAMES:
            label = self.gradient_labels[name]
            label.set_text(text(f"∂L/∂{name}", name))
            label.set_fontweight("bold" if last == name else "normal")
            label.set_color("black" if name in known else PENDING_COLOUR)
        return self

    def update(self, weights=None, values=None, gradients=None):
        """Change the drawn weights, node values and gradients in place (nothing is redrawn from scratch).

        weights: as accepted by `network_diagram` (a TwoTwoOne, a dict {'w1': ...}, a Network,
        or W as a dict/list of arrays). values: node values (a Chain or {'x1': ...} for the 2-2-1
        example; a ForwardPass or {layer: array} otherwise). gradients: ∂L/∂w (a Chain or
        {'w1': ...}; a Gradients or {layer: array}). Anything left as None stays as it was.
        For a TwoTwoOne given without values, the values of the example's inputs are shown.
        """
        if weights is not None:
            parsed = _parse_weights(weights)
            if parsed["tiny"] != self.tiny or parsed["sizes"] != self.sizes:
                raise ValueError(f"weights are for a network of sizes {parsed['sizes']}, "
                                 f"but this diagram shows sizes {self.sizes}")
            self.weights = parsed["weights"]
            for name, w in self.weights.items():
                _style_edge(self.edges[name], w, self.w_max)
                if name in self.weight_labels:
                    self.weight_labels[name].set_text(_weight_text(name, w, self.tiny, self.digits))
            if values is None and isinstance(weights, TwoTwoOne):
                values = weights.chain()
        if values is not None:
            for key, v in _parse_values(values, self.tiny, self.sizes).items():
                self.value_labels[key].set_text(_number(v, self.digits))
        if gradients is not None:
            for name, g in _parse_gradients(gradients, self.tiny, self.sizes).items():
                if name in self.gradient_labels:
                    self.gradient_labels[name].set_text(_gradient_text(name, g, self.tiny, self.digits))
        return self


def _tiny_weights(mapping):
    missing = [n for n in WEIGHT_NAMES if n not in mapping]
    if missing:
        raise ValueError(f"weights for the 2-2-1 example need keys {', '.join(WEIGHT_NAMES)}, but {missing} are missing")
    out = {}
    for n in WEIGHT_NAMES:
        if isinstance(mapping[n], bool) or not isinstance(mapping[n], (int, float, np.integer, np.floating)):
            raise TypeError(f"weight {n} must be a number, but got {mapping[n]!r}")
        out[n] = float(mapping[n])  # NaN and inf are allowed: they are drawn as a diverged weight
    return out


def _parse_weights(sizes_or_weights):
    """{'tiny': bool, 'sizes': [...], 'weights': {edge name: w} (empty when only sizes were given)}."""
    x = sizes_or_weights
    if isinstance(x, TwoTwoOne):
        return {"tiny": True, "sizes": [2, 2, 1], "weights": dict(x.weights)}
    if isinstance(x, dict) and x and all(isinstance(k, str) for k in x):
        return {"tiny": True, "sizes": [2, 2, 1], "weights": _tiny_weights(x)}
    if isinstance(x, Network):
        x = x.W
    if isinstance(x, dict):
        W = [x[l] for l in sorted(x)]
    elif isinstance(x, (list, tuple)) and x and all(isinstance(n, (int, np.integer)) and not isinstance(n, bool)
                                                     for n in x):
        if len(x) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, such as [2, 1], but got {list(x)}")
        sizes = [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(x)]
        return {"tiny": False, "sizes": sizes, "weights": {}}
    elif isinstance(x, (list, tuple)) and x:
        W = list(x)
    else:
        raise TypeError("network_diagram needs a TwoTwoOne, a dict {'w1': ..., 'w4': ...}, a Network, "
                        f"a list of layer sizes or the weight matrices W, but got {type(x).__name__}")
    W = [np.asarray(w, dtype=np.float64) for w in W]
    for l, w in enumerate(W, start=1):
        if w.ndim != 2:
            raise ValueError(f"W{l} must be a 2-D array, but it has shape {w.shape}")
    sizes = [W[0].shape[1]] + [w.shape[0] for w in W]
    for l in range(2, len(W) + 1):
        if W[l - 1].shape[1] != sizes[l - 1]:
            raise ValueError(f"W{l} has shape {W[l - 1].shape} but layer {l - 1} outputs {sizes[l - 1]} values")
    weights = {f"W{l}[{j},{i}]": float(W[l - 1][j, i])
               for l in range(1, len(W) + 1) for j in range(sizes[l]) for i in range(sizes[l - 1])}
    return {"tiny": False, "sizes": sizes, "weights": weights}


def _parse_values(values, tiny, sizes):
    """{node key: value} from a Chain / dict (2-2-1) or a ForwardPass / {layer: array} / list."""
    if tiny:
        if isinstance(values, Chain):
            values = {"x1": values.x1, "x2": values.x2, "h1": values.h1, "h2": values.h2, "y_hat": values.y_hat}
        if not isinstance(values, dict):
            raise TypeError(f"values for the 2-2-1 example must be a Chain or a dict like {{'h1': 0.38}}, "
                            f"but got {type(values).__name__}")
        unknown = set(values) - {"x1", "x2", "h1", "h2", "y_hat"}
        if unknown:
            raise ValueError(f"values has unknown node names {sorted(unknown)}; use x1, x2, h1, h2, y_hat")
        return {k: float(v) for k, v in values.items()}
    if isinstance(values, ForwardPass):
        values = {l: np.asarray(a)[0] if np.ndim(a) == 2 else a for l, a in values.a.items()}
    elif isinstance(values, (list, tuple)):
        values = dict(enumerate(values))
    if not isinstance(values, dict):
        raise TypeError(f"values must be a ForwardPass, a dict {{layer: activations}} or a list, but got "
                        f"{type(values).__name__}")
    out = {}
    for l, a in values.items():
        a = np.ravel(np.asarray(a, dtype=np.float64))
        if l not in range(len(sizes)) or a.size != sizes[l]:
            raise ValueError(f"values[{l}] has {a.size} numbers but layer {l} of sizes {sizes} does not match")
        out.update({(l, i): float(v) for i, v in enumerate(a)})
    return out


def _parse_gradients(gradients, tiny, sizes):
    """{edge name: ∂L/∂w} from a Chain / dict (2-2-1) or a Gradients / {layer: array}."""
    if tiny:
        if isinstance(gradients, Chain):
            gradients = gradients.gradients
        if not isinstance(gradients, dict):
            raise TypeError(f"gradients for the 2-2-1 example must be a Chain or a dict like {{'w1': 0.1}}, "
                            f"but got {type(gradients).__name__}")
        return {n: float(g) for n, g in gradients.items() if n in WEIGHT_NAMES}
    if isinstance(gradients, Gradients):
        gradients = gradients.dL_dW
    if isinstance(gradients, (list, tuple)):
        gradients = dict(enumerate(gradients, start=1))
    out = {}
    for l, g in gradients.items():
        g = np.asarray(g, dtype=np.float64)
        if g.shape != (sizes[l], sizes[l - 1]):
            raise ValueError(f"gradients[{l}] has shape {g.shape} but W{l} has shape ({sizes[l]}, {sizes[l - 1]})")
        out.update({f"W{l}[{j},{i}]": float(g[j, i]) for j in range(sizes[l]) for i in range(sizes[l - 1])})
    return out


def _style_edge(line, w, w_max):
    colour, linestyle = style.weight_style(w) if np.isfinite(w) else (style.NEGATIVE, ":")
    line.set_color(colour)
    line.set_linewidth(edge_width(w, w_max))
    line.set_linestyle(linestyle)


def _weight_text(name, w, tiny, digits):
    label = name if tiny else "w"
    return f"{label} = {_number(w, min(digits, 2))}"


def _gradient_text(name, g, tiny, digits):
    label = f"∂L/∂{name}" if tiny else "∂L/∂w"
    return f"{label} = {_number(g, digits, signed=True)}"


def _node_names(sizes, tiny):
    """{(layer, i): name shown inside the node}: x_i, a^[l]_i (COURSE.md's notation), ŷ; h1, h2 in the 2-2-1 example."""
    if tiny:
        return {(0, 0): "$x_1$", (0, 1): "$x_2$", (1, 0): "$h_1$", (1, 1): "$h_2$", (2, 0): r"$\hat{y}$"}
    names = {}
    last = len(sizes) - 1
    for l, n in enumerate(sizes):
        for i in range(n):
            if l == 0:
                names[(l, i)] = f"$x_{{{i + 1}}}$"
            elif l == last:
                names[(l, i)] = r"$\hat{y}$" if n == 1 else rf"$\hat{{y}}_{{{i + 1}}}$"
            else:
                names[(l, i)] = f"$a^{{[{l}]}}_{{{i + 1}}}$"     # layer in brackets, neuron as subscript
    return names


_TINY_KEYS = {(0, 0): "x1", (0, 1): "x2", (1, 0): "h1", (1, 1): "h2", (2, 0): "y_hat"}
_TINY_EDGES = {"w1": ((0, 0), (1, 0)), "w2": ((0, 1), (1, 1)), "w3": ((1, 0), (2, 0)), "w4": ((1, 1), (2, 0))}


def _label_position(y_start, y_end):
    """How far along its edge (0 at the start, 1 at the end) a weight's label sits, in a layer whose edges cross.

    In a fully connected layer the edges cross, most often at their midpoints, so labels there
    would cover each other. Of two crossing edges one runs more steeply down than the other, so
    edges running down are labelled 0.3 of the way along, edges running up 0.7 of the way, and
    level edges (which no edge crosses between the same nodes) in the middle.
    """
    if abs(y_end - y_start) < 1e-9:
        return 0.5
    return 0.3 if y_end < y_start else 0.7


def network_diagram(sizes_or_weights, values=None, gradients=None, ax=None, *, edge_labels=None,
                    label_boxes=True, digits=3, w_max=WEIGHT_FOR_WIDEST_LINE, title=None, filled=None):
    """Draw a network: nodes in layers, one line per weight, and optionally values and gradients.

    sizes_or_weights: a TwoTwoOne (the 2-2-1 example: x1→h1 is w1, x2→h2 is w2, h1→ŷ is w3,
        h2→ŷ is w4), a dict {'w1': ..., 'w4': ...}, a Network, its W (dict keyed by layer or a
        list, layer 1 first), or just layer sizes such as [3, 4, 4, 1] (grey lines, no weights).
    values: the number to print under each node (see NetworkDiagram.update). For a TwoTwoOne
        left as None, the forward pass on the example's inputs is shown.
    gradients: ∂L/∂w for each weight, printed beside its line (the "blame" of each weight).
    edge_labels: print each weight's value above its line (and its gradient below); by default only
        when there are ≤ 8 lines.
    label_boxes: draw gradients in small shaded boxes and node values on white (leave them out to
        draw faster).
    digits: decimals printed. w_max: |w| that gets the widest line. title: the axes title.
    filled: (the 2-2-1 example only) draw the backward pass as a graph filled from the loss: the loss
        L becomes a node right of ŷ, each node's forward value is written above it and ∂L/∂node below
        it (∂L/∂h and δ = ∂L/∂z under a hidden neuron), ∂L/∂w beside each line, for the first `filled`
        steps of tiny.BACKWARD_ORDER (a count from 0 to 9, or the name of the last node filled, such as
        'h1'); the rest read '?'. `values` and `gradients` then come from the network's own Chain.

    Returns a NetworkDiagram; call its `update(weights, values, gradients)` to change it in place,
    and, when drawn with `filled`, its `fill(filled)` to show more or fewer steps.

    Used in notebooks 00, 01, 04 and 06.
    """
    parsed = _parse_weights(sizes_or_weights)
    tiny, sizes, weights = parsed["tiny"], parsed["sizes"], parsed["weights"]
    chain = None
    if filled is not None:
        _filled_count(filled)  # a bad `filled` is refused before anything is drawn
        if isinstance(sizes_or_weights, TwoTwoOne):
            chain = sizes_or_weights.chain(*EXAMPLE_INPUTS, EXAMPLE_TARGET)
        elif isinstance(values, Chain):
            chain = values
        else:
            raise ValueError("filled draws the backward pass of the 2-2-1 example: give a TwoTwoOne, or its "
                             "weights with values=its Chain")
        values, edge_labels = None, True
    fig, ax = _axes(ax, FILLED_FIGSIZE if chain is not None else None)
    depth = len(sizes) - 1
    tallest = max(sizes)

    # Layer l sits at x = l; its nodes are spread evenly, centred on y = 0.
    positions = {}
    for l, n in enumerate(sizes):
        for i in range(n):
            positions[(l, i)] = (float(l), (n - 1) / 2.0 - i)
    edge_ends = {}
    if tiny:
        edge_ends = dict(_TINY_EDGES)
    else:
        for l in range(1, depth + 1):
            for j in range(sizes[l]):
                for i in range(sizes[l - 1]):
                    edge_ends[f"W{l}[{j},{i}]"] = ((l - 1, i), (l, j))
    if edge_labels is None:
        edge_labels = len(edge_ends) <= 8

    # Limits first: label angles and offsets are worked out in screen space from them.
    half = (tallest - 1) / 2.0
    # A filled graph has L one column right of ŷ, and room for a label above and two lines below each node.
    right, top, bottom = (depth + 1.3, half + 0.55, -half - 0.62) if chain is not None else (depth + 0.3, half + 0.3,
                                                                                             -half - 0.33)
    ax.set_xlim(-0.3, right)
    ax.set_ylim(bottom, top)
    ax.set_axis_off()
    window = ax.get_window_extent()
    px_per_x = window.width / (right + 0.3)
    px_per_y = window.height / (top - bottom)

    edges, weight_labels, gradient_labels = {}, {}, {}
    blame_box = dict(boxstyle="round,pad=0.2", facecolor="#FBEBD0", edgecolor=style.LOSS, linewidth=0.8)
    for name, (start, end) in edge_ends.items():
        (x0, y0), (x1, y1) = positions[start], positions[end]
        (line,) = ax.plot([x0, x1], [y0, y1], zorder=1, solid_capstyle="butt", dash_capstyle="butt")
        if name in weights:
            _style_edge(line, weights[name], w_max)
        else:
            line.set_color(NEUTRAL_EDGE)
            line.set_linewidth(1.0)
        edges[name] = line
        if edge_labels:
            # Each edge's weight is written just above it and its gradient just below, both
            # running along the line, so neither hides the line's style.
            dx, dy = (x1 - x0) * px_per_x, (y1 - y0) * px_per_y
            angle = float(np.degrees(np.arctan2(dy, dx)))
            normal = np.array([-dy, dx]) / np.hypot(dx, dy)
            crossings = not tiny and min(sizes[start[0]], sizes[end[0]]) >= 2
            t = _label_position(y0, y1) if crossings else 0.5
            xm, ym = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            text = _weight_text(name, weights[name], tiny, digits) if name in weights else (name if tiny else "")
            common = dict(textcoords="offset points", ha="center", va="center", rotation=angle,
                          rotation_mode="anchor", zorder=3)
            weight_labels[name] = ax.annotate(text, (xm, ym), xytext=tuple(11 * normal), fontsize=11, **common)
            gradient_labels[name] = ax.annotate("", (xm, ym), xytext=tuple(-13 * normal), fontsize=10,
                                                bbox=blame_box if label_boxes else None, **common)

    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    node_size = 1100 if tallest <= 3 else max(250, 3300 // tallest)
    facecolors = ["#EEEEEE" if key[0] == 0 else "white" for key in positions]
    nodes = ax.scatter(xs, ys, s=node_size, facecolors=facecolors, edgecolors="black", linewidths=1.5, zorder=4)
    names = _node_names(sizes, tiny)
    node_labels, value_labels = {}, {}
    value_box = dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85)
    name_size = 14 if tallest <= 3 else 10
    below = 20 if tallest <= 3 else 13
    for pos_key, (x, y) in positions.items():
        key = _TINY_KEYS[pos_key] if tiny else pos_key
        node_labels[key] = ax.text(x, y, names[pos_key], ha="center", va="center", fontsize=name_size, zorder=5)
        value_labels[key] = ax.annotate("", (x, y), xytext=(0, -below), textcoords="offset points",
                                        ha="center", va="top", fontsize=11 if tallest <= 3 else 9, zorder=5,
                                        bbox=value_box if label_boxes else None)

    if title is None:
        title = ("The 2-2-1 network: line width ∝ |w|, solid w ≥ 0, dashed w < 0" if tiny else
                 f"A network of sizes {sizes}: line width ∝ |w|, solid w ≥ 0, dashed w < 0")
    ax.set_title(title, y=1.0)

    diagram = NetworkDiagram(fig=fig, ax=ax, sizes=sizes, tiny=tiny, positions=positions, nodes=nodes,
                             node_labels=node_labels, value_labels=value_labels, edges=edges,
                             weight_labels=weight_labels, gradient_labels=gradient_labels, digits=digits,
                             w_max=w_max, weights=weights)
    if chain is not None:
        _draw_backward(diagram, chain, below, label_boxes)
        diagram.fill(filled)
        return diagram
    if values is None and isinstance(sizes_or_weights, TwoTwoOne):
        values = sizes_or_weights.chain(*EXAMPLE_INPUTS, EXAMPLE_TARGET)
    diagram.update(values=values, gradients=gradients)
    return diagram


def _draw_backward(diagram, chain, offset, label_boxes):
    """Turn a 2-2-1 diagram into the graph of its backward pass: L as a node right of ŷ, each node's
    forward value above it (z and h for a hidden neuron) and an empty label below it for ∂L/∂node."""
    ax, digits = diagram.ax, diagram.digits
    (xo, yo) = diagram.positions[(2, 0)]
    xl = xo + 1.0
    ax.plot([xo, xl], [yo, yo], color=NEUTRAL_EDGE, linewidth=1.0, zorder=1)
    ax.annotate("(ŷ − y)²", ((xo + xl) / 2, yo), xytext=(0, 9), textcoords="offset points", ha="center",
                va="bottom", fontsize=11, zorder=3)
    ax.scatter([xl], [yo], s=1100, facecolors="#FBEBD0", edgecolors=style.LOSS, linewidths=1.5, zorder=4)
    diagram.node_labels["L"] = ax.text(xl, yo, "$L$", ha="center", va="center", fontsize=14, zorder=5)
    diagram.positions["L"] = (xl, yo)
    above = {"x1": f"x1 = {_number(chain.x1, digits)}", "x2": f"x2 = {_number(chain.x2, digits)}",
             "h1": f"z1 = {_number(chain.z1, digits)}\nh1 = {_number(chain.h1, digits)}",
             "h2": f"z2 = {_number(chain.z2, digits)}\nh2 = {_number(chain.h2, digits)}",
             "y_hat": f"ŷ = {_number(chain.y_hat, digits)}"}
    for key, text in above.items():
        label = diagram.value_labels[key]
        label.set_text(text)
        label.xyann = (0, offset)
        label.set_va("bottom")
    value_box = dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85)
    diagram.value_labels["L"] = ax.annotate(f"L = {_number(chain.loss, digits)}", (xl, yo), xytext=(0, offset),
                                            textcoords="offset points", ha="center", va="bottom", fontsize=11,
                                            zorder=5, bbox=value_box if label_boxes else None)
    # Below each node, where no line runs: h1's lines leave it to the left and down to the right, so its
    # label sits down and to the left, under w1's blame; ŷ's sits down and to the right, under the line to L.
    placed = {"h1": ((1, 0), "right", (14, -1.5 * offset)), "h2": ((1, 1), "center", (0, -offset)),
              "y_hat": ((2, 0), "left", (-12, -offset)), "L": ("L", "center", (0, -offset))}
    for key, (position, ha, shift) in placed.items():
        diagram.backward_labels[key] = ax.annotate("", diagram.positions[position], xytext=shift,
                                                   textcoords="offset points", ha=ha, va="top", fontsize=10.5,
                                                   zorder=5, bbox=value_box if label_boxes else None)
    diagram.chain = chain
