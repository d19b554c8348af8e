"""Figures of notebook 03: a slope found by nudging (`secant_plot`), the local rule on a small graph
(`local_rule_graph`), and the cost of walking every path against one backward pass (`path_count_plot`).

    secant_plot(lambda x: x ** 2, 3.0, nudges=(2.0, 1.0, 0.5, 0.1))     # secants fold onto the tangent
    local_rule_graph(values, grads, arrows)                           # value above each node, ∂L/∂node below
    path_count_plot([1, 2, 3], {"walking every path": [14, 38, 94]})   # counts on a log scale
"""

from dataclasses import dataclass, field

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import style
from .. import validate
from ..formatting import significant
from ..practice.gradcheck import numerical_derivative
from ._common import _axes, _number, _Plot

_SECANT_STYLES = ("--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))
_SECANT_COLOURS = (style.PALETTE["orange"], style.PALETTE["green"], style.PALETTE["purple"],
                   style.PALETTE["vermillion"], style.PALETTE["sky"])


@dataclass(repr=False)
class SecantPlot(_Plot):
    """A curve y = f(x), the secants from x to x + ε for each nudge ε, and the tangent at x.

    fig, ax; curve, tangent: Line2Ds; secants: {ε: Line2D}; ends: {ε: the marker at x + ε}; point: the
    marker at x; slopes: {ε: the secant's slope (f(x + ε) − f(x)) / ε}; slope: the tangent's slope.
    `update(x)` moves every line to another x on the same curve.
    """

    fig: object
    ax: object
    f: object
    x: float
    curve: object
    tangent: object
    point: object
    secants: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    slopes: dict = field(default_factory=dict)
    slope: float = 0.0

    def update(self, x):
        """Draw the secants and the tangent at another x."""
        self.x = x = validate.as_number(x, "x")
        nudges = list(self.secants)
        y, *ends = _values_of(self.f, [x] + [x + eps for eps in nudges])
        self.slope = numerical_derivative(self.f, x)
        lo, hi = self.ax.get_xlim()
        xs = np.array([lo, hi])
        self.point.set_data([x], [y])
        self.tangent.set_data(xs, y + self.slope * (xs - x))
        self.tangent.set_label(f"tangent: slope {_number(self.slope, 2)}")
        for (eps, line), end in zip(self.secants.items(), ends):
            slope = (end - y) / eps
            self.slopes[eps] = slope
            line.set_data(xs, y + slope * (xs - x))
            line.set_label(f"ε = {eps:g}: slope {_number(slope, 2)}")
            self.ends[eps].set_data([x + eps], [end])
        self.ax.legend(loc="upper left")
        return self


def _values_of(f, xs):
    """[f(x) for x in xs] as floats. A learner's f runs in one child process (helpers.gradcheck's guard),
    stopped with a TimeoutError naming f if a call never ends; the course's own f runs here."""
    from ..practice.gradcheck import _guarded

    def body(call):
        return [float(call(f"f({float(v)!r})", float(v))) for v in xs]

    return _guarded(f, "f", body)


def secant_plot(f, x, nudges=(2.0, 1.0, 0.5, 0.1), ax=None, *, x_range=None, title=None, curve_label="y = f(x)"):
    """Plot y = f(x), a secant from x to x + ε for each nudge ε, and the tangent at x. Returns a SecantPlot.

    Each secant's slope (f(x + ε) − f(x)) / ε is in its legend label; as ε shrinks they settle on the
    tangent's slope, which is measured with a centred nudge. x_range: the x-axis (default x − 3 to
    x + the largest nudge + 0.5). curve_label: the curve's name in the legend, such as "y = x²".

    Used in notebook 03.
    """
    f = validate.function(f, "f", "`lambda x: x ** 2`", arguments=1)
    x = validate.as_number(x, "x")
    nudges = validate.as_array(nudges, "nudges", ndim=1)
    if np.any(nudges <= 0) or nudges.size > len(_SECANT_STYLES):
        raise ValueError(f"nudges must be 1 to {len(_SECANT_STYLES)} positive numbers, but got {nudges.tolist()}")
    if x_range is None:
        x_range = (x - 3.0, x + float(nudges.max()) + 0.5)
    lo, hi = sorted(validate.as_array(x_range, "x_range", ndim=1)[:2])
    fig, ax = _axes(ax)
    xs = np.linspace(lo, hi, 301)
    ys = np.array(_values_of(f, xs))
    (curve,) = ax.plot(xs, ys, color=style.PALETTE["blue"], linewidth=2.5, label=str(curve_label))
    ax.set_xlim(lo, hi)
    pad = 0.08 * (ys.max() - ys.min() or 1.0)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    (tangent,) = ax.plot([], [], color=style.PALETTE["black"], linewidth=2.0)
    (point,) = ax.plot([], [], "o", color=style.PALETTE["black"], markersize=8, zorder=5)
    plot = SecantPlot(fig=fig, ax=ax, f=f, x=x, curve=curve, tangent=tangent, point=point)
    for k, eps in enumerate(float(e) for e in nudges):
        (line,) = ax.plot([], [], color=_SECANT_COLOURS[k], linestyle=_SECANT_STYLES[k], linewidth=1.6)
        (end,) = ax.plot([], [], "s", color=_SECANT_COLOURS[k], markersize=6, zorder=4)
        plot.secants[eps], plot.ends[eps] = line, end
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title if title is not None else "Secants over shrinking nudges ε settle on the tangent", y=1.0)
    return plot.update(x)


_BOX_WIDTH, _BOX_HEIGHT = 0.7, 0.34


def _short(value):
    """Four significant digits with a true minus sign: '36', '−0.03253', '0.7379'."""
    value = validate.as_number(value, "a node's number")
    return significant(value, 4)


@dataclass(repr=False)
class LocalRuleGraph(_Plot):
    """Nodes in boxes, forward value above each, ∂L/∂node below, arrows labelled with their local derivative.

    fig, ax; boxes, value_texts, grad_texts: {name: artist}; arrows, local_texts: {(from, to): artist};
    positions: {name: (x, y)}. `update(values, grads)` writes new numbers into the same texts.
    """

    fig: object
    ax: object
    positions: dict
    boxes: dict = field(default_factory=dict)
    value_texts: dict = field(default_factory=dict)
    grad_texts: dict = field(default_factory=dict)
    arrows: dict = field(default_factory=dict)
    local_texts: dict = field(default_factory=dict)

    def update(self, values, grads):
        """Write new forward values and gradients (dicts by node name; a node missing from grads shows '?')."""
        for name in self.positions:
            self.value_texts[name].set_text(_short(values[name]))
            grad = grads.get(name)
            self.grad_texts[name].set_text(f"∂L/∂{name} = " + ("?" if grad is None else _short(grad)))
        return self


def local_rule_graph(values, grads, arrows, ax=None, *, positions=None, title=None):
    """Draw a small computation graph with the local rule's numbers. Returns a LocalRuleGraph.

    values: {node name: its forward value}; grads: {node name: ∂L/∂node} (a node left out shows '?');
    arrows: [(from node, to node, local derivative ∂(to)/∂(from))]; positions: {name: (x, y)}, by
    default the nodes in one row, 1.6 apart, in the order of `values`. Each arrow is labelled '× local', the
    factor the gradient picks up as it crosses that arrow backwards.

    Used in notebook 03.
    """
    if not isinstance(values, dict) or not values:
        raise TypeError(f"values must be a dict such as {{'a': 2.0, 'L': 36.0}}, but got {values!r:.60}")
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict such as {{'L': 1.0}}, but got {grads!r:.60}")
    names = list(values)
    if positions is None:
        positions = {name: (1.6 * i, 0.0) for i, name in enumerate(names)}
    missing = [name for name in names if name not in positions]
    unknown = [(a, b) for a, b, _ in arrows if a not in values or b not in values]
    if missing or unknown:
        raise ValueError(f"every node needs a position and every arrow known ends: no position for {missing}, "
                         f"arrows with an unknown end {unknown}")
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    width = max(6.4, 1.0 * (max(xs) - min(xs) + 1.2))
    fig, ax = _axes(ax, figsize=(min(width, style.WIDE_FIGSIZE[0]), 1.6 + 1.3 * (max(ys) - min(ys))))
    graph = LocalRuleGraph(fig=fig, ax=ax, positions=dict(positions))
    for name in names:
        x, y = positions[name]
        colour = "#FBEBD0" if name == names[-1] else "#F2F2F2"
        graph.boxes[name] = ax.add_patch(FancyBboxPatch(
            (x - _BOX_WIDTH / 2, y - _BOX_HEIGHT / 2), _BOX_WIDTH, _BOX_HEIGHT,
            boxstyle="round,pad=0.02,rounding_size=0.06", facecolor=colour, edgecolor=style.PALETTE["black"],
            linewidth=1.2, zorder=3))
        ax.text(x, y, name, ha="center", va="center", fontsize=11, fontweight="bold", zorder=4)
        graph.value_texts[name] = ax.text(x, y + _BOX_HEIGHT / 2 + 0.1, "", ha="center", va="center",
                                          fontsize=10, color=style.PALETTE["blue"], zorder=4)
        graph.grad_texts[name] = ax.text(x, y - _BOX_HEIGHT / 2 - 0.1, "", ha="center", va="center",
                                         fontsize=10, color=style.PALETTE["vermillion"], zorder=4)
    for start, end, local in arrows:
        (x0, y0), (x1, y1) = positions[start], positions[end]
        dx, dy = x1 - x0, y1 - y0
        # Leave each box from its right side, or from its top/bottom when the arrow is steep.
        shrink = (_BOX_WIDTH / 2) / max(abs(dx), 1e-9)
        if abs(dy) * shrink > _BOX_HEIGHT / 2:
            shrink = (_BOX_HEIGHT / 2) / abs(dy)
        a = (x0 + shrink * dx, y0 + shrink * dy)
        b = (x1 - shrink * dx, y1 - shrink * dy)
        graph.arrows[(start, end)] = ax.add_patch(FancyArrowPatch(
            a, b, arrowstyle="-|>", mutation_scale=14, color=style.PALETTE["grey"], linewidth=1.4, zorder=2,
            shrinkA=0, shrinkB=0))
        graph.local_texts[(start, end)] = ax.text(
            (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, f"× {_short(local)}", ha="center", va="center",
            fontsize=9, zorder=5, bbox=dict(boxstyle="round,pad=0.15", facecolor="white",
                                            edgecolor=style.PALETTE["grey"], linewidth=0.6))
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.55, max(ys) + 0.55)
    ax.axis("off")
    ax.set_title(title if title is not None else
                 "Value above each node, ∂L/∂node below, local derivative on each arrow",
                 fontsize=10, y=1.0)
    return graph.update(values, grads)


@dataclass(repr=False)
class PathCountPlot(_Plot):
    """Counts against depth on a logarithmic axis: fig, ax, lines ({label: Line2D}). `update(depths, counts)`."""

    fig: object
    ax: object
    lines: dict = field(default_factory=dict)

    def update(self, depths, counts):
        """New counts for the same labels (a dict label → counts, one per depth)."""
        depths = validate.as_array(depths, "depths", ndim=1)
        for label, line in self.lines.items():
            values = validate.as_array(counts[label], f"counts[{label!r}]", ndim=1)
            if values.shape != depths.shape or np.any(values <= 0):
                raise ValueError(f"counts[{label!r}] must hold one positive count per depth ({depths.size}), "
                                 f"but got {values.tolist()}")
            line.set_data(depths, values)
        self.ax.relim()
        self.ax.autoscale_view()
        return self


def path_count_plot(depths, counts, ax=None, *, xlabel="hidden layers", title=None):
    """Plot each series of counts against depth, the y-axis logarithmic. Returns a PathCountPlot.

    counts: {label: [one positive count per depth]}; up to five series, told apart by marker and line style
    as well as colour.

    Used in notebook 03.
    """
    if not isinstance(counts, dict) or not 1 <= len(counts) <= 5:
        raise TypeError(f"counts must be a dict of 1 to 5 series, label → counts, but got {counts!r:.60}")
    fig, ax = _axes(ax)
    graph = PathCountPlot(fig=fig, ax=ax)
    looks = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."), ("v", "-")]
    colours = [style.PALETTE[k] for k in ("vermillion", "blue", "orange", "green", "purple")]
    for (marker, line_style), colour, label in zip(looks, colours, counts):
        (graph.lines[label],) = ax.plot([], [], marker=marker, linestyle=line_style, color=colour, label=label)
    graph.update(depths, counts)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count (log scale)")
    ax.grid(True, which="major", axis="y", alpha=0.4)
    ax.legend(loc="upper left")
    ax.set_title(title if title is not None else "Walking every path against one backward pass", y=1.0)
    return graph
