"""Step through the backward pass of a computation graph, one node at a time.

    backward_stepper()       # Step / Back / Reset, and a dropdown of three computations
    backward_stepper("the 2-2-1 example of 04", wording="upstream")   # each share as upstream × local

Each Step lets the next node, in reverse topological order, pass its gradient to its inputs: the
node is highlighted, the labels show the local derivative it multiplies in and, where an input
lies on several paths (a fork), the running sum its gradient collects.
"""

import html
import io

import ipywidgets as widgets
import numpy as np
from PIL import Image

from ..core.autograd import backward_steps
from ..core.autograd_examples import EXPRESSIONS
from ..plots.graph_plot import draw_graph, number
from ._base import BlitView, CourseWidget, Dropdown, drawing, new_figure, start_option
from .weights import HOMES

# Room for the widest of the three graphs, the 2-2-1 example, and low enough that the controls and
# the picture fit together on a 1366×768 screen.
FIGSIZE = (10.4, 3.9)
MIN_SPAN = (13.0, 4.0)  # the 2-2-1 graph's size in data units: smaller graphs keep boxes of the same size
# How a share passed back is written: as the engine of notebook 10 adds it to .grad ("grad"), or as
# notebook 04's local rule says it, downstream = upstream × local ("upstream").
WORDINGS = ("grad", "upstream")


class PaletteView(BlitView):
    """A BlitView that sends a 256-colour PNG: the graph has few colours, and encoding it this way
    takes less than half the time of a full-colour PNG of the same size (the largest cost of a Step)."""

    def png(self):
        self._draw_frame()  # BlitView's drawing, without its full-colour encoding
        canvas = self.fig.canvas
        pixels = np.asarray(canvas.buffer_rgba())
        picture = Image.fromarray(pixels).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE,
                                                                   dither=Image.Dither.NONE)
        # The octree averages each colour a little; the page's white must stay exactly white.
        palette = picture.getpalette()
        whitest = max(range(len(palette) // 3), key=lambda i: sum(palette[3 * i:3 * i + 3]))
        palette[3 * whitest:3 * whitest + 3] = [255, 255, 255]
        picture.putpalette(palette)
        buffer = io.BytesIO()
        picture.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _as_operand(name):
    """A node's name ready to follow ∂ or precede .grad: bracketed when it is a formula, so that
    ∂L/∂(ŷ − y) does not read as ∂L/∂ŷ minus y."""
    return f"({name})" if any(sign in name for sign in " ·×−+*/") else name


def _signed(value):
    """A number in brackets when negative, for a product written out: 1.0000 × (−0.6000)."""
    text = number(value)
    return f"({text})" if value < 0 else text


class BackwardStepper(CourseWidget):
    """The backward pass of a small computation, one node per Step.

    Controls: `expression` (Dropdown of helpers.autograd_examples.EXPRESSIONS), `step_button`,
    `back_button`, `reset_button`. Labels (HTML): `position_label` (which step of how many),
    `node_label` (the node acting now and its gradient), `detail_label` (one line per input it
    passes gradient to: local derivative, product, running sum). Figure: `fig`, `ax`, `drawing`
    (a graph_plot.GraphDrawing), `view`. State: `root`, `nodes`, `steps` (only nodes that have
    inputs take a step), `k` (steps taken so far), `wording` (one of WORDINGS).

    Each computation is drawn on its own axes the first time it is chosen; choosing it again shows
    those axes again, with the walk back at its start, instead of building and drawing the graph anew.
    """

    title = "Backward stepper"

    @drawing
    def __init__(self, expression=None, wording="grad"):
        names = list(EXPRESSIONS)
        if expression is None:
            expression = names[1]
        expression = start_option(expression, "expression", names)
        self.wording = start_option(wording, "wording", WORDINGS)
        self.expression = Dropdown(options=names, value=expression, description="computation",
                                           layout=widgets.Layout(width="360px"),
                                           style={"description_width": "initial"})
        self.step_button = widgets.Button(description="Step", button_style="primary", icon="step-forward",
                                          tooltip="the next node passes its gradient to its inputs")
        self.back_button = widgets.Button(description="Back", icon="undo", tooltip="undo the last step")
        self.reset_button = widgets.Button(description="Reset", icon="refresh", tooltip="start the walk again")
        self.position_label = widgets.HTML()
        self.node_label = widgets.HTML()
        self.detail_label = widgets.HTML(layout=widgets.Layout(min_height="3em"))

        self._pictures = {}
        self._built = {}  # computation -> (ax, root, nodes, steps, drawing)
        self.ax = None
        self.fig = new_figure(FIGSIZE)
        self.fig.set_layout_engine("none")
        self._build(expression)
        # Only the gradients and the highlight move; a Step changes a few of the texts, the rest are
        # pasted as last drawn.
        self.view = PaletteView(self.fig, self.drawing.artists(), reuse_text=True)

        self.step_button.on_click(lambda _: self.step())
        self.back_button.on_click(lambda _: self.back())
        self.reset_button.on_click(lambda _: self.reset())
        self.expression.observe(self._on_expression, names="value")
        buttons = widgets.HBox([self.expression, self.step_button, self.back_button, self.reset_button,
                                self.position_label])
        super().__init__([buttons, self.node_label, self.detail_label, self.view.image])

    def _build(self, name):
        """Show computation `name` at the start of its walk, drawing its graph if it is the first time."""
        if self.ax is not None:
            self.ax.set_visible(False)
        if name not in self._built:
            ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.90))  # the graph needs no ticks: no margins
            root, nodes = EXPRESSIONS[name]()
            steps = [s for s in backward_steps(root) if s.contributions]
            drawing = draw_graph(root, ax=ax, show_grads=False, min_span=MIN_SPAN,
                                 title="Press Step: each node in turn passes its gradient back to its inputs")
            self._built[name] = (ax, root, nodes, steps, drawing)
        self.ax, self.root, self.nodes, self.steps, self.drawing = self._built[name]
        self.ax.set_visible(True)
        self.k = 0
        self._update()

    def _on_expression(self, change):
        self._build(change["new"])
        self.view.moving = sorted(self.drawing.artists(), key=lambda a: a.get_zorder())
        for artist in self.view.moving:
            artist.set_animated(True)
        self.view.invalidate()
        self._refresh()

    def step(self):
        """The next node passes its gradient back (nothing happens after the last)."""
        self.k = min(self.k + 1, len(self.steps))
        self._refresh()

    def back(self):
        """Undo the last step."""
        self.k = max(self.k - 1, 0)
        self._refresh()

    def reset(self):
        """Back to the start: only the root's gradient, 1, is known."""
        self.k = 0
        self._refresh()

    def _refresh(self):
        self._update()
        # The picture depends only on the computation and the step, so each one is drawn once:
        # pressing Back, or Step again after Back, shows a picture already made.
        key = (self.expression.value, self.k)
        if key in self._pictures:
            self.view.image.value = self._pictures[key]
            self.view.renders += 1
        else:
            self.view.render()
            self._pictures[key] = self.view.image.value

    def state(self):
        """The walk so far: k, n_steps, the current node's name (None at the start), and every gradient
        shown, as a dict {node name: text of its gradient label}."""
        current = self.steps[self.k - 1].node.name if self.k else None
        shown = {node.name: self.drawing.grad_texts[id(node)].get_text() for node in self.drawing.order}
        return {"k": self.k, "n_steps": len(self.steps), "current": current, "grads": shown}

    def _update(self):
        n = len(self.steps)
        self.drawing.show_step(self.steps, self.k)
        self.step_button.disabled = self.k >= n
        self.back_button.disabled = self.k == 0
        root = html.escape(_as_operand(self.root.name))
        if self.k == 0:
            self.position_label.value = f"step 0 of {n}"
            self.node_label.value = (f"The walk starts at the output: <b>∂{root}/∂{root} = 1</b>. "
                                     "Press <b>Step</b>.")
            self.detail_label.value = ""
            return
        step = self.steps[self.k - 1]
        name = html.escape(step.node.name)
        wrt = html.escape(_as_operand(step.node.name))
        self.position_label.value = f"step {self.k} of {n}" + (": done, every gradient is final" if self.k == n else "")
        upstream = "the upstream gradient " if self.wording == "upstream" else ""
        self.node_label.value = (f"<b>{name}</b> ({html.escape(step.node.op)}) has its full gradient, "
                                 f"{upstream}∂{root}/∂{wrt} = <b>{number(step.grad)}</b>, and passes it to its inputs:")
        reached = {id(c.parent) for earlier in self.steps[:self.k - 1] for c in earlier.contributions}
        lines = []
        for c in step.contributions:
            parent = html.escape(c.parent.name)
            of = html.escape(_as_operand(c.parent.name))
            if self.wording == "upstream":
                adds = "+=" if id(c.parent) in reached else "="  # at a fork the shares add
                line = (f"downstream ∂{root}/∂{of} {adds} upstream ∂{root}/∂{wrt} × local ∂{wrt}/∂{of} = "
                        f"{_signed(step.grad)} × {_signed(c.local)} = <b>{number(c.amount)}</b>")
            else:
                line = (f"{of}.grad += local ∂{wrt}/∂{of} × grad = {number(c.local)} × {_signed(step.grad)} "
                        f"= <b>{number(c.amount)}</b>")
            if id(c.parent) in reached:
                line += (f"; a fork: {parent} already had {number(c.before)} from another path, "
                         f"so the running sum is now <b>{number(c.after)}</b>")
            lines.append(line)
            reached.add(id(c.parent))
        self.detail_label.value = "<br>".join(lines)


def backward_stepper(expression=None, wording="grad", home="page"):
    """A widget that walks a computation graph backwards one node at a time.

    expression: one of helpers.autograd_examples.EXPRESSIONS (default: the 2-2-1 example of 04).
    wording: how each share passed back is written, one of WORDINGS: "grad" as the engine adds it,
        `z1.grad += local ∂h1/∂z1 × grad = …`; "upstream" as the local rule says it,
        `downstream ∂L/∂z1 = upstream ∂L/∂h1 × local ∂h1/∂z1 = …`.
    home: where the picture is drawn and the walk computed on a press: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageBackwardStepper with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a BackwardStepper).

    Used in notebooks 04 and 10.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page.backward_stepper import PageBackwardStepper

        return PageBackwardStepper(expression, wording)
    return BackwardStepper(expression, wording)
