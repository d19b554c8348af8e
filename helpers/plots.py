"""The course's figures: a network diagram, loss curves, loss landscapes, activations, decision boundaries.

Every function takes an optional `ax`. Without one it makes a figure of the course's size with
`plt.subplots`, so it shows inline in a notebook; with one (a widget's figure, a subplot) it draws
there. Each returns a small object holding the figure and the artists it drew, with an `update`
method that changes those artists in place, so a widget never rebuilds a figure on a move:

    diagram = network_diagram(TwoTwoOne())           # the 2-2-1 example, numbers on every node
    diagram.update(TwoTwoOne(w1=0.2))                # same lines, new widths and styles

Colours come from `helpers.style` (Okabe–Ito). A weight's sign is shown twice: blue solid lines
for w ≥ 0, vermillion dashed lines for w < 0.
"""

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, to_rgb
from matplotlib.ticker import NullFormatter

from . import style, validate
from .activations import get_activation
from .data import CLASS_NAMES
from .gradcheck import numerical_derivative
from .network import ForwardPass, Gradients, Network
from .tiny import EXAMPLE_INPUTS, EXAMPLE_TARGET, WEIGHT_NAMES, Chain, TwoTwoOne

MINUS = "\N{MINUS SIGN}"
DIVERGED = "diverged"

# The widest line is drawn for |w| at or above this; sliders of the course go from −3 to 3.
WEIGHT_FOR_WIDEST_LINE = 3.0
THINNEST_LINE, WIDEST_LINE = 0.8, 7.0
NEUTRAL_EDGE = style.PALETTE["grey"]

# Light fills for the two classes' regions: the class colours mixed with white, so markers stay visible.
_LIGHT = 0.55


def _number(value, digits=3, signed=False):
    """A number for a figure: fixed digits with a true minus sign (U+2212, as the widgets' labels and
    readouts write it), or 'diverged' if it blew up. A value that rounds to zero gets no minus sign."""
    value = float(value)
    if not np.isfinite(value) or abs(value) > 1e12:
        return DIVERGED
    sign = "+" if signed else ""
    # Past ten thousand, fixed digits get long: write 1.23e+05 instead.
    text = f"{value:{sign}.{digits}e}" if abs(value) >= 1e4 else f"{value:{sign}.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = ("+" if signed else "") + text[1:]  # "−0.000" would claim a sign the digits cannot show
    return text.replace("-", MINUS)


# Titles are placed at a fixed height (y=1.0): letting matplotlib search for room above the axes
# costs several milliseconds on every draw, which a widget pays on every move.


class _Plot:
    """What every returned plot shares: a short, stable text form (no memory addresses in notebooks)."""

    def __repr__(self):
        return f"<{type(self).__name__}: a figure; its artists are attributes, update(...) changes them>"


def _axes(ax, figsize=None):
    """(fig, ax): the given axes and its figure, or a new figure of the course's size."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize or style.FIGSIZE, layout="constrained")
        return fig, ax
    return ax.figure, ax


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
                    label_boxes=True, digits=3, w_max=WEIGHT_FOR_WIDEST_LINE, title=None):
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

    Returns a NetworkDiagram; call its `update(weights, values, gradients)` to change it in place.
    """
    parsed = _parse_weights(sizes_or_weights)
    tiny, sizes, weights = parsed["tiny"], parsed["sizes"], parsed["weights"]
    fig, ax = _axes(ax)
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
    ax.set_xlim(-0.3, depth + 0.3)
    ax.set_ylim(-half - 0.33, half + 0.3)
    ax.set_axis_off()
    window = ax.get_window_extent()
    px_per_x = window.width / (depth + 0.6)
    px_per_y = window.height / (2 * half + 0.7)

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
    if values is None and isinstance(sizes_or_weights, TwoTwoOne):
        values = sizes_or_weights.chain(*EXAMPLE_INPUTS, EXAMPLE_TARGET)
    diagram.update(values=values, gradients=gradients)
    return diagram



@dataclass(repr=False)
class LossCurve(_Plot):
    """A loss curve: fig, ax and `line` (a Line2D of loss against step). `update(losses)` changes it.

    Several curves may share one axes (call `loss_curve` again with the same `ax`): the axes then
    fit every curve on them, and one legend lists them all.
    """

    fig: object
    ax: object
    line: object
    log: bool = False

    def update(self, losses):
        """Show new losses on the same line; the axes rescale to fit every curve on them. Non-finite values leave a gap."""
        y = _curve_values(losses, self.log)
        self.line.set_data(np.arange(y.size), y)
        _rescale(self.ax, self.log)
        return self


def _curve_values(losses, log):
    y = np.array(np.ravel(np.asarray(losses, dtype=np.float64)))
    y[~np.isfinite(y) | (np.abs(y) > 1e12)] = np.nan
    if log:
        y[y <= 0] = np.nan
    return y


def _rescale(ax, log):
    """Fit the axes to every line drawn in data coordinates on them, so no curve is clipped."""
    lines = [line for line in ax.get_lines() if line.get_transform() is ax.transData]
    xs = np.concatenate([np.asarray(line.get_xdata(), dtype=np.float64) for line in lines] or [np.zeros(0)])
    ys = np.concatenate([np.asarray(line.get_ydata(), dtype=np.float64) for line in lines] or [np.zeros(0)])
    xs = xs[np.isfinite(xs)]
    ax.set_xlim(0, max(float(xs.max()) if xs.size else 0.0, 1.0))
    finite = ys[np.isfinite(ys) & (ys > 0 if log else True)]
    if finite.size == 0:
        return
    lo, hi = float(finite.min()), float(finite.max())
    if log:
        # Whole powers of ten at both ends, so the axis always shows labelled decades.
        ax.set_ylim(10.0 ** np.floor(np.log10(lo)), 10.0 ** max(np.ceil(np.log10(hi)), np.floor(np.log10(lo)) + 1))
    else:
        pad = 0.05 * (hi - lo) if hi > lo else max(abs(hi) * 0.1, 0.05)
        ax.set_ylim(min(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad)


def _legend(ax, loc):
    """One legend listing every labelled curve, where `loc` says, else where the existing legend was."""
    old = ax.get_legend()
    if old is None:
        ax.legend(loc=loc or "upper right")
    else:
        # Rebuilt with the old legend's place, font and frame, so a second curve only adds a row.
        ax.legend(loc=loc or old._loc, prop=old.prop, frameon=old.get_frame_on())


def loss_curve(losses, ax=None, label="training loss", *, log=False, colour=style.LOSS, linestyle="-",
               marker=None, xlabel="step", ylabel="loss L", title=None, legend_loc=None):
    """Plot a loss against the step (or epoch) number: losses[0] is the loss before any update.

    log: a logarithmic loss axis, which shows slow progress near zero. Values that are NaN, inf or
    astronomically large (a diverged run) are left out, leaving a gap. linestyle, marker: as in
    matplotlib ("--" dashed, "o" a dot per step). title: None keeps the axes' title, or writes
    "Loss during training" on a new one. legend_loc: where the legend goes ("lower left", ...);
    None keeps the place of the legend already on the axes ("upper right" for the first).
    More curves on the same `ax` share it: the axes fit all of them and one legend lists them.
    Returns a LossCurve.
    """
    fig, ax = _axes(ax)
    y = _curve_values(losses, log)
    (line,) = ax.plot(np.arange(y.size), y, color=colour, linestyle=linestyle, marker=marker, label=label)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())
    _rescale(ax, log)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    if title is not None or not ax.get_title():
        ax.set_title("Loss during training" if title is None else title, y=1.0)
    if label:
        _legend(ax, legend_loc)
    return LossCurve(fig=fig, ax=ax, line=line, log=log)



@dataclass(repr=False)
class LossOverWeight(_Plot):
    """The loss as one weight slides, the other weights fixed, with optional dots and tangent lines.

    fig, ax; w, L: the weights on the curve and their losses; curve: a Line2D of L over w;
    markers: one Line2D (a dot) per weight in `at`; tangents: the weights where a tangent is drawn,
    slopes: ∂L/∂w there (centred differences), tangent_lines and tangent_markers: one Line2D each,
    slope_labels: the text "∂L/∂w = ..." beside each; minimum_line: the dotted line at the lowest
    loss on the curve (None unless asked for), w_min: where it is.
    `update(f)` draws a new loss over the same weights on the same artists.
    """

    fig: object
    ax: object
    name: str
    w: np.ndarray
    L: np.ndarray
    curve: object
    at: np.ndarray
    markers: list
    tangents: np.ndarray
    slopes: np.ndarray
    tangent_lines: list
    tangent_markers: list
    slope_labels: list
    half_width: float
    minimum_line: object = None
    w_min: float = float("nan")

    def update(self, f):
        """Draw the loss f(w) over the same weights: curve, dots, tangents and slopes change in place."""
        self.L = _losses_over(f, self.w)
        self.curve.set_ydata(self.L)
        for marker, w in zip(self.markers, self.at):
            L = _loss_at(f, w)
            marker.set_data([w], [L])
            marker.set_label(f"{self.name} = {_number(w, 2)}, L = {_number(L, 3)}")
        self.slopes = np.array([_slope(f, w) for w in self.tangents])
        for line, dot, label, w, slope in zip(self.tangent_lines, self.tangent_markers, self.slope_labels,
                                               self.tangents, self.slopes):
            L = _loss_at(f, w)
            line.set_data([w - self.half_width, w + self.half_width],
                          [L - self.half_width * slope, L + self.half_width * slope])
            dot.set_data([w], [L])
            label.xy = (w, L)
            label.set_text(f"∂L/∂{self.name} = {_number(slope, 3, signed=True)}")
            # To the right of its dot unless the dot is near the right edge, and above or below so
            # that the tangent runs away from the text: close to its own dot, clear of the others.
            right = w <= self.w[0] + 0.75 * (self.w[-1] - self.w[0])
            above = (slope < 0) == right
            label.set_position((10 if right else -10, 6 if above else -18))
            label.set_horizontalalignment("left" if right else "right")
        if self.minimum_line is not None:
            self.w_min = float(self.w[np.nanargmin(self.L)])
            self.minimum_line.set_xdata([self.w_min, self.w_min])
            self.minimum_line.set_label(f"the bottom: {self.name} ≈ {_number(self.w_min, 2)}")
        self.ax.relim()
        self.ax.autoscale_view(scalex=False)  # the weights' range stays; the loss axis fits the new curve
        _legend(self.ax, None)
        return self


def _loss_at(f, w):
    with np.errstate(all="ignore"):
        return float(f(float(w)))


def _losses_over(f, w):
    return np.array([_loss_at(f, v) for v in w])


def _slope(f, w):
    with np.errstate(all="ignore"):
        return float(numerical_derivative(lambda v: _loss_at(f, v), float(w)))


def loss_over_weight(f, w_range, ax=None, *, name="w", at=None, tangents=(), minimum=False, points=201,
                     xlabel=None, ylabel="loss L", title="The loss over one weight, the others fixed"):
    """Plot the loss L = f(w) as one weight w slides over w_range, every other weight held fixed.

    f: the loss as a function of that one weight (called with one number at a time).
    w_range: (low, high). name: the weight's name in labels ("w3" gives "∂L/∂w3 = ...").
    at: a weight, or several, to mark with a dot (labelled with its loss in the legend).
    tangents: weights at which to draw the tangent line, slope ∂L/∂w measured by centred
        differences, written beside it. minimum: also draw a dotted line at the curve's lowest point.
    points: how many weights the curve is drawn through. xlabel: default "weight <name>".
    Returns a LossOverWeight holding the artists; `update(f)` redraws them for another loss.
    """
    lo, hi = sorted(validate.as_array(w_range, "w_range", ndim=1)[:2])
    if not hi > lo:
        raise ValueError(f"w_range must be (low, high) with low < high, but got {tuple(w_range)}")
    points = validate.positive_int(points, "points", minimum=2)
    at = np.ravel(validate.as_array([] if at is None else at, "at", ndim=(0, 1), allow_empty=True))
    tangents = np.ravel(validate.as_array(tangents, "tangents", ndim=(0, 1), allow_empty=True))
    fig, ax = _axes(ax)
    w = np.linspace(lo, hi, points)
    (curve,) = ax.plot(w, np.zeros_like(w), color=style.LOSS, linewidth=2.5, label=f"L as {name} slides")
    minimum_line = None
    if minimum:
        minimum_line = ax.axvline(lo, color=style.PALETTE["grey"], linestyle=":", linewidth=1.5)
    markers = [ax.plot([], [], "o", color=style.PATH, markersize=9, zorder=4)[0] for _ in at]
    tangent_lines, tangent_markers, slope_labels = [], [], []
    for _ in tangents:
        tangent_lines.append(ax.plot([], [], color=style.PALETTE["blue"], linewidth=1.8, zorder=3)[0])
        tangent_markers.append(ax.plot([], [], "o", color=style.PATH, markersize=8, zorder=4)[0])
        slope_labels.append(ax.annotate("", (0.0, 0.0), textcoords="offset points", xytext=(10, 6), zorder=5))
    ax.set_xlim(lo, hi)
    ax.set_xlabel(f"weight {name}" if xlabel is None else xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, y=1.0)
    plot = LossOverWeight(fig=fig, ax=ax, name=name, w=w, L=np.zeros_like(w), curve=curve, at=at, markers=markers,
                          tangents=tangents, slopes=np.zeros_like(tangents), tangent_lines=tangent_lines,
                          tangent_markers=tangent_markers, slope_labels=slope_labels,
                          half_width=0.075 * (hi - lo), minimum_line=minimum_line)
    ax.legend(loc="best")
    return plot.update(f)



@dataclass(repr=False)
class LossLandscape(_Plot):
    """Contours of a loss over two weights, with a gradient-descent path.

    fig, ax; contour: the filled contours (drawn once); W_x, W_y, L: the grid and its losses;
    path_line: the path (Line2D through every step); start_marker, end_marker: Line2Ds with one
    point each. `update(path)` moves the path without touching the contours.
    """

    fig: object
    ax: object
    contour: object
    colorbar: object
    W_x: np.ndarray
    W_y: np.ndarray
    L: np.ndarray
    path_line: object
    start_marker: object
    end_marker: object

    def update(self, path):
        """Show a new path: an array (steps + 1, 2) of (w_x, w_y); None or empty hides it."""
        xs, ys = _path_xy(path)
        self.path_line.set_data(xs, ys)
        self.start_marker.set_data(xs[:1], ys[:1])
        self.end_marker.set_data(xs[-1:], ys[-1:])
        return self


def _path_xy(path):
    if path is None:
        return np.array([]), np.array([])
    p = np.asarray(path, dtype=np.float64)
    if p.size == 0:
        return np.array([]), np.array([])
    if p.ndim != 2 or p.shape[1] != 2:
        raise ValueError(f"path must have shape (points, 2), one (w_x, w_y) per step, but it has shape {p.shape}")
    p = p.copy()
    p[~np.isfinite(p) | (np.abs(p) > 1e12)] = np.nan
    return p[:, 0], p[:, 1]


def _grid_losses(f, W_x, W_y):
    """f over the grid: tried on whole arrays first, then point by point for functions of two numbers."""
    with np.errstate(all="ignore"):
        try:
            L = np.asarray(f(W_x, W_y), dtype=np.float64)
            if L.shape == W_x.shape:
                return L
        except (TypeError, ValueError):
            pass
        return np.array([[float(f(float(a), float(b))) for a, b in zip(row_x, row_y)]
                         for row_x, row_y in zip(W_x, W_y)])


def _auto_levels(L, n):
    """Contour levels that resolve a valley: log-spaced when the losses span several powers of ten."""
    finite = L[np.isfinite(L)]
    hi = float(finite.max())
    lo = float(finite.min())
    positive = finite[finite > 0]
    if lo >= 0 and positive.size and hi / max(float(positive.min()), hi * 1e-4) > 100:
        floor = max(float(positive.min()), hi * 1e-4)
        return np.concatenate([[0.0 if lo < floor else lo], np.geomspace(floor, hi, n - 1)])
    return np.linspace(lo, hi, n)


def loss_landscape(f, w_range_x, w_range_y, path=None, ax=None, *, levels=16, resolution=80,
                   xlabel="$w_x$", ylabel="$w_y$", title="Loss landscape", colorbar=True, equal_aspect=False):
    """Filled contours of a loss L = f(w_x, w_y) over two weights, with an optional descent path.

    f: the loss as a function of the two weights (of arrays, or of two numbers: both work).
    w_range_x, w_range_y: (low, high) for each weight. path: (steps + 1, 2) array of points
        visited by gradient descent, drawn as a line with a circle at the start and a cross at the end.
    levels: how many contour levels (log-spaced when the loss spans powers of ten), or the levels.
    resolution: grid points per weight. The contours are computed once, here.
    equal_aspect: draw one unit of w_x as long as one unit of w_y, so that a gradient step, which
        leaves its point at right angles to the contour line there, also looks perpendicular.

    Returns a LossLandscape; `update(path)` moves the path in place.
    """
    (x_lo, x_hi), (y_lo, y_hi) = (sorted(validate.as_array(r, name, ndim=1)[:2])
                                  for r, name in ((w_range_x, "w_range_x"), (w_range_y, "w_range_y")))
    resolution = validate.positive_int(resolution, "resolution", minimum=5)
    fig, ax = _axes(ax)
    W_x, W_y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    L = _grid_losses(f, W_x, W_y)
    if not np.any(np.isfinite(L)):
        raise ValueError("the loss is not a finite number anywhere on the grid; check f and the ranges")
    L = np.where(np.isfinite(L), L, np.nanmax(np.where(np.isfinite(L), L, np.nan)))
    lev = _auto_levels(L, levels) if np.isscalar(levels) else np.asarray(levels, dtype=np.float64)
    lev = np.unique(lev)
    cmap = plt.get_cmap("Blues")
    norm = BoundaryNorm(lev, cmap.N)
    contour = ax.contourf(W_x, W_y, L, levels=lev, cmap=cmap, norm=norm, alpha=0.9, zorder=0)
    ax.contour(W_x, W_y, L, levels=lev, colors="white", linewidths=0.5, alpha=0.6, zorder=0)
    bar = None
    if colorbar:
        ticks = lev[:: max(1, len(lev) // 5)]
        bar = fig.colorbar(contour, ax=ax, ticks=ticks, format="%.2g")
        bar.set_label("loss L")
    xs, ys = _path_xy(path)
    (path_line,) = ax.plot(xs, ys, color=style.PATH, linewidth=1.8, marker="o", markersize=3, zorder=3,
                           label="gradient-descent path")
    (start_marker,) = ax.plot(xs[:1], ys[:1], linestyle="none", marker="o", markersize=10,
                              markerfacecolor="white", markeredgecolor=style.PATH, markeredgewidth=2,
                              zorder=4, label="start")
    (end_marker,) = ax.plot(xs[-1:], ys[-1:], linestyle="none", marker="X", markersize=11,
                            color=style.PALETTE["vermillion"], markeredgecolor="white", zorder=5, label="end")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, y=1.0)
    return LossLandscape(fig=fig, ax=ax, contour=contour, colorbar=bar, W_x=W_x, W_y=W_y, L=L,
                         path_line=path_line, start_marker=start_marker, end_marker=end_marker)



ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "linear")
_FORMULAS = {"sigmoid": "σ(z) = 1 / (1 + e^(−z))", "tanh": "tanh(z)", "relu": "ReLU(z) = max(0, z)",
             "linear": "linear: a = z"}


@dataclass(repr=False)
class ActivationPlot(_Plot):
    """An activation a = f(z) and its slope f′(z).

    fig, ax; curve and derivative_curve: Line2Ds over z (derivative_curve is None when not drawn);
    z: the z values. `update(name)` switches to another activation in place.
    """

    fig: object
    ax: object
    name: str
    z: np.ndarray
    curve: object
    derivative_curve: object

    def update(self, name):
        """Show activation `name` ('sigmoid', 'tanh', 'relu' or 'linear') on the same lines."""
        name = validate.choice(name, "name", ACTIVATION_NAMES)
        self.name = name
        act = get_activation(name)
        a = act.f(self.z)
        self.curve.set_ydata(a)
        self.curve.set_label(f"a = {name}(z)")
        lows, highs = [a.min()], [a.max()]
        if self.derivative_curve is not None:
            d = act.derivative(self.z)
            self.derivative_curve.set_ydata(d)
            self.derivative_curve.set_label(f"slope {name}′(z)")
            lows.append(d.min())
            highs.append(d.max())
        lo, hi = min(min(lows), 0.0), max(highs)
        pad = 0.08 * (hi - lo)
        self.ax.set_ylim(lo - pad, hi + pad)
        self.ax.set_title(_FORMULAS[name], y=1.0)
        legend = self.ax.get_legend()
        if legend is not None:
            lines = [self.curve] + ([self.derivative_curve] if self.derivative_curve is not None else [])
            for text, line in zip(legend.get_texts(), lines):
                text.set_text(line.get_label())
        return self


def activation_plot(name, ax=None, *, z_range=(-6.0, 6.0), derivative=True, points=401):
    """Plot the activation `name` (sigmoid, tanh, relu, linear) over z_range, and its slope f′(z).

    The slope is the local factor da/dz that the chain rule multiplies in. Returns an ActivationPlot.
    """
    name = validate.choice(name, "name", ACTIVATION_NAMES)
    z_lo, z_hi = sorted(validate.as_array(z_range, "z_range", ndim=1)[:2])
    fig, ax = _axes(ax)
    z = np.linspace(z_lo, z_hi, validate.positive_int(points, "points", minimum=2))
    ax.axhline(0.0, color=style.PALETTE["grey"], linewidth=0.8, zorder=0)
    ax.axvline(0.0, color=style.PALETTE["grey"], linewidth=0.8, zorder=0)
    (curve,) = ax.plot(z, np.zeros_like(z), color=style.PALETTE["blue"], linewidth=2.5)
    derivative_curve = None
    if derivative:
        (derivative_curve,) = ax.plot(z, np.zeros_like(z), color=style.PALETTE["orange"], linewidth=2.0,
                                      linestyle="--")
    ax.set_xlim(z_lo, z_hi)
    ax.set_xlabel("weighted sum z")
    ax.set_ylabel("activation a, slope da/dz" if derivative else "activation a")
    plot = ActivationPlot(fig=fig, ax=ax, name=name, z=z, curve=curve, derivative_curve=derivative_curve)
    plot.update(name)
    ax.legend(loc="upper left")
    return plot



CLASS_REGION_CMAP = LinearSegmentedColormap.from_list(
    "cat_dog_regions",
    [tuple(c + (1 - c) * _LIGHT for c in to_rgb(style.CLASS_COLOURS[0])), (1.0, 1.0, 1.0),
     tuple(c + (1 - c) * _LIGHT for c in to_rgb(style.CLASS_COLOURS[1]))])


@dataclass(repr=False)
class DecisionBoundary(_Plot):
    """A classifier's probability of class 1 over the plane of its two inputs, with the data.

    fig, ax; image: an AxesImage of P(class 1) on the grid; boundary: the P = 0.5 contour set
    (replaced on update); points: one PathCollection per class; grid_x, grid_y: the grid;
    probability: the last computed grid of P(class 1). `update(net)` recomputes the picture in place.
    """

    fig: object
    ax: object
    image: object
    boundary: object
    points: list
    grid_x: np.ndarray
    grid_y: np.ndarray
    probability: np.ndarray

    def update(self, net):
        """Recompute P(class 1) for `net` on the same grid: new image data, new boundary line."""
        self.probability = _class1_probability(net, self.grid_x, self.grid_y)
        self.image.set_data(self.probability)
        if self.boundary is not None:
            self.boundary.remove()
        self.boundary = _boundary_line(self.ax, self.grid_x, self.grid_y, self.probability)
        return self


def _class1_probability(net, grid_x, grid_y):
    """P(class 1) at every grid point: the one sigmoid output, or the second softmax output."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a helpers Network, but got {type(net).__name__}")
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    try:
        with np.errstate(all="ignore"):
            y_hat = net.predict(points)
    except ValueError:  # the weights hold NaN or inf: training diverged, so there is no boundary
        return np.full(grid_x.shape, np.nan)
    p = y_hat[:, 0] if y_hat.shape[1] == 1 else y_hat[:, 1]
    return p.reshape(grid_x.shape)


def _boundary_line(ax, grid_x, grid_y, p):
    if not np.all(np.isfinite(p)) or p.min() >= 0.5 or p.max() <= 0.5:
        return None
    return ax.contour(grid_x, grid_y, p, levels=[0.5], colors=style.PATH, linewidths=2.0, zorder=2)


_LEGEND_CORNERS = {"upper left": (0.0, 1.0), "upper right": (1.0, 1.0), "lower left": (0.0, 0.0),
                   "lower right": (1.0, 0.0)}


def _emptiest_corner(X, extent, width=0.3, height=0.2):
    """The corner of the axes whose width × height box (as shares of the axes) holds the fewest points of X.

    Ties go to the first in _LEGEND_CORNERS' order, so the legend sits in the same place on every run.
    """
    x_lo, x_hi, y_lo, y_hi = extent
    u, v = (X[:, 0] - x_lo) / (x_hi - x_lo), (X[:, 1] - y_lo) / (y_hi - y_lo)
    counts = {}
    for name, (cx, cy) in _LEGEND_CORNERS.items():
        near_x = u <= width if cx == 0.0 else u >= 1.0 - width
        near_y = v <= height if cy == 0.0 else v >= 1.0 - height
        counts[name] = int(np.sum(near_x & near_y))
    return min(_LEGEND_CORNERS, key=lambda name: counts[name])


def decision_boundary(net, X, y, ax=None, *, grid=120, class_names=CLASS_NAMES, xlabel="$x_1$",
                      ylabel="$x_2$", title="Where the network says each class", colorbar=True, legend=True):
    """Shade a classifier's P(class 1) over its two inputs, draw the P = 0.5 boundary and the data.

    net: a Network with 2 inputs and one sigmoid output or a softmax output (class 1 = column 1).
    X (N, 2), y (N,) integer labels 0/1. grid: points per axis of the shaded picture.
    Classes are shown by colour and marker shape (style.CLASS_COLOURS, style.CLASS_MARKERS).
    class_names: the legend's names for labels 0 and 1. colorbar: add a bar for P(class 1) (pass False
    for the panels of a figure that shares one bar: fig.colorbar(plot.image, ax=axes)). legend: draw the
    legend, in the corner of the axes that covers the fewest data points.
    Returns a DecisionBoundary; `update(net)` recomputes the shading and the boundary in place.
    """
    X = validate.as_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (the plane to draw), but it has shape {X.shape}")
    labels = validate.as_array(y, "y", ndim=1).astype(np.int64)
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"y holds {labels.shape[0]} labels but X holds {X.shape[0]} samples")
    grid = validate.positive_int(grid, "grid", minimum=2)
    fig, ax = _axes(ax)
    pad_x, pad_y = 0.08 * np.ptp(X[:, 0]) or 1.0, 0.08 * np.ptp(X[:, 1]) or 1.0
    x_lo, x_hi = X[:, 0].min() - pad_x, X[:, 0].max() + pad_x
    y_lo, y_hi = X[:, 1].min() - pad_y, X[:, 1].max() + pad_y
    grid_x, grid_y = np.meshgrid(np.linspace(x_lo, x_hi, grid), np.linspace(y_lo, y_hi, grid))
    p = _class1_probability(net, grid_x, grid_y)
    image = ax.imshow(p, extent=(x_lo, x_hi, y_lo, y_hi), origin="lower", aspect="auto", vmin=0.0, vmax=1.0,
                      cmap=CLASS_REGION_CMAP, interpolation="bilinear", zorder=0)
    boundary = _boundary_line(ax, grid_x, grid_y, p)
    points = []
    for label in (0, 1):
        mask = labels == label
        points.append(ax.scatter(X[mask, 0], X[mask, 1], s=28, marker=style.CLASS_MARKERS[label],
                                 color=style.CLASS_COLOURS[label], edgecolors="black", linewidths=0.5,
                                 zorder=3, label=class_names[label]))
    if colorbar:
        bar = fig.colorbar(image, ax=ax, ticks=[0.0, 0.5, 1.0])
        bar.set_label(f"P({class_names[1]})")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, y=1.0)
    if legend:
        ax.legend(loc=_emptiest_corner(X, (x_lo, x_hi, y_lo, y_hi)), framealpha=0.9)
    return DecisionBoundary(fig=fig, ax=ax, image=image, boundary=boundary, points=points, grid_x=grid_x,
                            grid_y=grid_y, probability=p)
