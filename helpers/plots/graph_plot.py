"""Draw a computation graph of `Value`s: every node with its value and gradient, every arrow with its
local derivative, laid out left to right so that each node stands to the right of its inputs.

    drawing = draw_graph(L)          # after L.backward(), the gradients are shown too
    drawing.show_step(steps, k)      # the backward pass after k steps of backward_steps(L)

Drawn with matplotlib only (no Graphviz). The takeaway for a reader who cannot see the picture is
the same numbers in text: `graph_table(L)`.
"""

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import style
from ..core.autograd import topological_order
from ..formatting import significant, true_minus

BOX_WIDTH, BOX_HEIGHT = 1.2, 0.66    # in data units; rows are 1 apart
COLUMN_GAP = 1.9                     # columns are this far apart, so arrows are long enough to label
LEAF_COLOUR = "#DCEBF5"              # a light shade of the palette's blue: inputs and weights
NODE_COLOUR = "#F2F2F2"              # computed values
ROOT_COLOUR = "#FBEBD0"              # the loss (a light shade of style.LOSS)
ACTIVE_EDGE = style.LOSS
PENDING = "grad ?"


def number(value, digits=4):
    """A node's value or gradient with a true minus sign, e.g. '−0.6000'. Every number in a graph is
    finite (backward() refuses others), and a tiny negative keeps its sign: '−0.0000' says which way."""
    return true_minus(f"{value:.{digits}f}")


def short(value):
    """A local derivative for an arrow, three significant figures, e.g. '−0.141' or '2'."""
    return significant(value, 3)


def node_title(node):
    """'z1 (×)' for a named result, '×' for an unnamed one, 'w1' for an input."""
    if node.op and node.label:
        return f"{node.label} ({node.op})"
    return node.name


def layout(root):
    """Positions {id(node): (column, row)} with every node in a column to the right of its inputs.

    A computed node's column is one more than its furthest input's; an input (a node without
    parents) sits just left of the first node that uses it. Rows in each column are ordered so that
    nodes sit near the nodes they connect to, which keeps arrows short and rarely crossing.
    """
    order = topological_order(root)
    column = {}
    for node in order:
        column[id(node)] = 1 + max((column[id(p)] for p in node.parents), default=-1)
    children = {id(node): [] for node in order}
    for node in order:
        for parent in node.parents:
            children[id(parent)].append(node)
    for node in order:
        if not node.parents and children[id(node)]:
            column[id(node)] = min(column[id(c)] for c in children[id(node)]) - 1
    shift = min(column.values())
    columns = {}
    for node in order:
        column[id(node)] -= shift
        columns.setdefault(column[id(node)], []).append(node)
    row = {}
    for members in columns.values():
        for i, node in enumerate(members):
            row[id(node)] = i - (len(members) - 1) / 2
    for _ in range(6):  # a few sweeps: each node moves towards the mean row of its neighbours
        for c in sorted(columns):
            members = columns[c]
            wanted = {}
            for node in members:
                near = [row[id(p)] for p in node.parents] + [row[id(k)] for k in children[id(node)]]
                wanted[id(node)] = sum(near) / len(near) if near else row[id(node)]
            members.sort(key=lambda n: (wanted[id(n)], row[id(n)]))
            for i, node in enumerate(members):
                row[id(node)] = i - (len(members) - 1) / 2
    return {key: (COLUMN_GAP * column[key], -row[key]) for key in column}, order


@dataclass
class GraphDrawing:
    """What `draw_graph` drew, for a widget to update: boxes, value and gradient texts, arrows.

    Each dict is keyed by id(node), or by (id(parent), id(child), k) for an arrow.
    """

    ax: object
    order: list
    boxes: dict = field(default_factory=dict)
    grad_texts: dict = field(default_factory=dict)
    arrows: dict = field(default_factory=dict)
    arrow_texts: dict = field(default_factory=dict)
    colours: dict = field(default_factory=dict)
    uses: dict = field(default_factory=dict)   # id(node) -> how many arrows leave it (paths it feeds)
    positions: dict = field(default_factory=dict)
    highlight: object = None
    active_arrows: dict = field(default_factory=dict)
    active_texts: dict = field(default_factory=dict)

    def artists(self):
        """The artists show_step changes: gradient texts, the highlight and the active arrows' overlays.

        The boxes, arrows and labels underneath never change, so a widget can draw them once.
        """
        return [*self.grad_texts.values(), self.highlight, *self.active_arrows.values(),
                *self.active_texts.values()]

    def show_step(self, steps, k):
        """Show the backward pass after its first k steps (`steps` from autograd.backward_steps, or some of them).

        The node of step k − 1 (the one that has just passed its gradient back) is outlined, and the
        arrows it passed it along are drawn thick. A gradient reads 'grad ?' until some of it has
        arrived, then its running sum followed by '…' until every path has delivered its share; the
        root's is 1 from the start.
        """
        root = self.order[-1]
        running = {id(root): root_seed(steps)}
        received = {}
        for step in steps[:k]:
            for c in step.contributions:
                running[id(c.parent)] = c.after
                received[id(c.parent)] = received.get(id(c.parent), 0) + 1
        for key, text in self.grad_texts.items():
            if key in running:
                complete = key == id(root) or received.get(key, 0) == self.uses[key]
                text.set_text(f"grad {number(running[key])}" + ("" if complete else " …"))
            else:
                text.set_text(PENDING)
        current = steps[k - 1] if k > 0 else None
        self.highlight.set_visible(current is not None)
        if current is not None:
            x, y = self.positions[id(current.node)]
            self.highlight.set_bounds(x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2, BOX_WIDTH, BOX_HEIGHT)
        for key in self.active_arrows:
            active = current is not None and key[1] == id(current.node)
            self.active_arrows[key].set_visible(active)
            self.active_texts[key].set_visible(active)

    def current_node(self):
        """The id of the outlined node, or None."""
        if not self.highlight.get_visible():
            return None
        x0, y0 = self.highlight.get_x() + BOX_WIDTH / 2, self.highlight.get_y() + BOX_HEIGHT / 2
        return next(key for key, (x, y) in self.positions.items() if abs(x - x0) < 1e-9 and abs(y - y0) < 1e-9)


def root_seed(steps):
    """The gradient the walk starts from at the root: 1 (∂L/∂L)."""
    return steps[0].grad if steps else 1.0


def draw_graph(root, ax=None, *, show_grads=True, title=None, fontsize=9, min_span=(0.0, 0.0)):
    """Draw root's computation graph on `ax` (a new wide figure if None). Returns a GraphDrawing.

    Each box: the node's name (and operation), its value, and its gradient (after backward()). Each
    arrow, from an input to the node it feeds: the local derivative ∂(node)/∂(input).
    show_grads: False writes 'grad ?' in every box (before the backward pass).
    min_span: the least width and height of the view in data units, so that a small graph drawn on
    a large axes keeps boxes of the usual size.

    Used in notebook 10.
    """
    positions, order = layout(root)
    if ax is None:
        columns = {}
        for x, _ in positions.values():
            columns[x] = columns.get(x, 0) + 1
        width = 0.8 * (max(columns) + BOX_WIDTH + 0.4)  # 0.8 inch per unit: a box holds 'data −0.5000' at 9 pt
        fig, ax = plt.subplots(figsize=(max(6.4, width), max(2.8, 0.95 * max(columns.values()) + 1.0)),
                               layout="none")
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.92)
    drawing = GraphDrawing(ax=ax, order=order, positions=positions)
    for node in order:
        x, y = positions[id(node)]
        colour = ROOT_COLOUR if node is root else NODE_COLOUR if node.parents else LEAF_COLOUR
        drawing.colours[id(node)] = colour
        box = FancyBboxPatch((x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH, BOX_HEIGHT,
                             boxstyle="round,pad=0.02,rounding_size=0.08", facecolor=colour,
                             edgecolor=style.PALETTE["black"], linewidth=1.2, zorder=3)
        ax.add_patch(box)
        drawing.boxes[id(node)] = box
        ax.text(x, y + 0.17, node_title(node), ha="center", va="center", fontsize=fontsize + 1,
                fontweight="bold", zorder=4)
        ax.text(x, y, f"data {number(node.data)}", ha="center", va="center", fontsize=fontsize, zorder=4)
        grad = f"grad {number(node.grad)}" if show_grads else PENDING
        drawing.grad_texts[id(node)] = ax.text(x, y - 0.17, grad, ha="center", va="center",
                                               fontsize=fontsize, color=style.PALETTE["vermillion"], zorder=4)
    for node in order:
        x1, y1 = positions[id(node)]
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            x0, y0 = positions[id(parent)]
            start = (x0 + BOX_WIDTH / 2, y0)
            end = (x1 - BOX_WIDTH / 2, y1 + 0.12 * (k - 0.5) * (len(node.parents) > 1))  # two inputs: two points
            arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=style.PALETTE["grey"],
                                    linewidth=1.2, zorder=2, shrinkA=0, shrinkB=0)
            ax.add_patch(arrow)
            key = (id(parent), id(node), k)
            drawing.arrows[key] = arrow
            drawing.active_arrows[key] = ax.add_patch(FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=16,
                color=ACTIVE_EDGE, linewidth=3.0, zorder=6, shrinkA=0, shrinkB=0, visible=False))
            drawing.uses[id(parent)] = drawing.uses.get(id(parent), 0) + 1
            # The label sits on the arrow, a little nearer its head, so labels of arrows that
            # leave one node for several do not sit on top of each other.
            tx = x0 + BOX_WIDTH / 2 + 0.62 * (x1 - x0 - BOX_WIDTH)
            ty = y0 + 0.62 * (y1 - y0)
            drawing.arrow_texts[key] = ax.text(
                tx, ty, short(local), ha="center", va="center", fontsize=fontsize - 1, zorder=5,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor=style.PALETTE["grey"], linewidth=0.6))
            drawing.active_texts[key] = ax.text(
                tx, ty, short(local), ha="center", va="center", fontsize=fontsize, fontweight="bold", zorder=7,
                visible=False, bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor=ACTIVE_EDGE,
                                         linewidth=1.5))
    drawing.highlight = ax.add_patch(FancyBboxPatch(
        (0, 0), BOX_WIDTH, BOX_HEIGHT, boxstyle="round,pad=0.02,rounding_size=0.08", facecolor="none",
        edgecolor=ACTIVE_EDGE, linewidth=4.0, zorder=8, visible=False))
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    x_lo, x_hi = min(xs) - BOX_WIDTH / 2 - 0.2, max(xs) + BOX_WIDTH / 2 + 0.2
    y_lo, y_hi = min(ys) - 0.5, max(ys) + 0.5
    x_pad, y_pad = max(0.0, min_span[0] - (x_hi - x_lo)) / 2, max(0.0, min_span[1] - (y_hi - y_lo)) / 2
    ax.set_xlim(x_lo - x_pad, x_hi + x_pad)
    ax.set_ylim(y_lo - y_pad, y_hi + y_pad)
    ax.set_aspect("auto")
    ax.axis("off")
    ax.set_title(title if title is not None else
                 "In each box: value and gradient ∂L/∂(node). On each arrow: ∂(node)/∂(input).",
                 fontsize=fontsize + 1)
    return drawing


def graph_table(root):
    """The graph in words, one line per node in topological order: name, value, gradient, inputs."""
    lines = []
    for node in topological_order(root):
        inputs = ", ".join(f"{p.name} (local {short(l)})" for p, l in zip(node.parents, node.local_grads))
        lines.append(f"{node_title(node):<12} data {number(node.data):>9}   grad {number(node.grad):>9}"
                     + (f"   from {inputs}" if inputs else ""))
    return "\n".join(lines)
