"""The backward stepper drawn in the page: `backward_stepper(home="page")`.

The same widget as helpers/widgets/stepper.py's BackwardStepper (a dropdown of computations, Step,
Back and Reset, the node acting now and each share it passes back), but a press is answered by
js/backward_stepper.js in the page, with no kernel round trip. Python computes every computation of
the dropdown once, with helpers.autograd.backward_steps, and sends the whole walk as state: the graph
as graph_plot.layout places it, every node's value, every arrow's local derivative, and each step's
shares with their running sums. The page draws the graph and replays the walk; it sends back which
computation is shown and how many steps were taken, so a learner's code reads `stepper.k`,
`stepper.state()` and `stepper.labels()` as the kernel version gives them.
"""

import html
import numbers

import traitlets as t

from ...plots import style
from ...core.autograd import backward_steps
from ...core.autograd_examples import EXPRESSIONS
from ...plots.graph_plot import BOX_HEIGHT, BOX_WIDTH, PENDING, layout, node_title, number, root_seed
from .._base import start_option
from ..stepper import FIGSIZE, MIN_SPAN, WORDINGS, BackwardStepper, _as_operand, _signed
from ._base import Checked, PageWidget, kernel_still

MODULE = "backward_stepper"
DEFAULT = list(EXPRESSIONS)[1]  # the 2-2-1 example of 04, as BackwardStepper starts
AXES = (0.01, 0.01, 0.98, 0.90)  # BackwardStepper._build: where the graph sits in the figure
TITLE = "Press Step: each node in turn passes its gradient back to its inputs"
FONTSIZE = 9  # graph_plot.draw_graph's default


def walk(name):
    """Computation `name` of EXPRESSIONS built and walked backwards: (root, nodes, steps), the steps
    being those of backward_steps that pass gradient on (BackwardStepper._build keeps the same)."""
    root, nodes = EXPRESSIONS[name]()
    steps = [s for s in backward_steps(root) if s.contributions]
    return root, nodes, steps


def graph_state(root, steps):
    """The graph and its walk as JSON for the page: what draw_graph draws and what show_step replays.

    nodes (topological order, root last): {name, title, operand, op, data, kind, x, y, uses};
    arrows: {parent, child, k, local, start, end, label} with nodes as indices and points in data units
    (draw_graph's arrow ends and label place); steps: {node, grad, contributions: [{parent, local,
    amount, before, after}]}; seed: the root's gradient at the start; xlim, ylim: the view.
    """
    positions, order = layout(root)
    index = {id(node): i for i, node in enumerate(order)}
    nodes, arrows, uses = [], [], {}
    for node in order:
        x, y = positions[id(node)]
        kind = "root" if node is root else "node" if node.parents else "leaf"  # draw_graph's three colours
        nodes.append({"name": node.name, "title": node_title(node), "operand": _as_operand(node.name),
                      "op": node.op, "data": node.data, "kind": kind, "x": x, "y": y})
    for node in order:
        x1, y1 = positions[id(node)]
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            x0, y0 = positions[id(parent)]
            # draw_graph: from the input's right edge to the node's left edge, two inputs at two points;
            # the label a little nearer the head.
            start = [x0 + BOX_WIDTH / 2, y0]
            end = [x1 - BOX_WIDTH / 2, y1 + 0.12 * (k - 0.5) * (len(node.parents) > 1)]
            label = [x0 + BOX_WIDTH / 2 + 0.62 * (x1 - x0 - BOX_WIDTH), y0 + 0.62 * (y1 - y0)]
            arrows.append({"parent": index[id(parent)], "child": index[id(node)], "k": k, "local": local,
                           "start": start, "end": end, "label": label})
            uses[id(parent)] = uses.get(id(parent), 0) + 1
    for node, entry in zip(order, nodes):
        entry["uses"] = uses.get(id(node), 0)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    x_lo, x_hi = min(xs) - BOX_WIDTH / 2 - 0.2, max(xs) + BOX_WIDTH / 2 + 0.2
    y_lo, y_hi = min(ys) - 0.5, max(ys) + 0.5
    x_pad, y_pad = max(0.0, MIN_SPAN[0] - (x_hi - x_lo)) / 2, max(0.0, MIN_SPAN[1] - (y_hi - y_lo)) / 2
    walked = [{"node": index[id(s.node)], "grad": s.grad,
               "contributions": [{"parent": index[id(c.parent)], "local": c.local, "amount": c.amount,
                                  "before": c.before, "after": c.after} for c in s.contributions]}
              for s in steps]
    return {"nodes": nodes, "arrows": arrows, "steps": walked, "seed": root_seed(steps),
            "xlim": [x_lo - x_pad, x_hi + x_pad], "ylim": [y_lo - y_pad, y_hi + y_pad]}


def grad_texts(graph, k):
    """graph_plot.GraphDrawing.show_step's gradient texts after k steps, one per node of graph_state:
    'grad ?' before any share arrived, the running sum and '…' until every path delivered, then the sum."""
    nodes, steps = graph["nodes"], graph["steps"]
    root = len(nodes) - 1
    running = {root: graph["seed"]}
    received = {}
    for step in steps[:k]:
        for c in step["contributions"]:
            running[c["parent"]] = c["after"]
            received[c["parent"]] = received.get(c["parent"], 0) + 1
    texts = []
    for i, node in enumerate(nodes):
        if i in running:
            complete = i == root or received.get(i, 0) == node["uses"]
            texts.append(f"grad {number(running[i])}" + ("" if complete else " …"))
        else:
            texts.append(PENDING)
    return texts


def labels(graph, k, wording):
    """BackwardStepper._update's three labels after k steps, as HTML: {'position', 'node', 'detail'}."""
    nodes, steps = graph["nodes"], graph["steps"]
    n = len(steps)
    root = html.escape(nodes[-1]["operand"])
    if k == 0:
        return {"position": f"step 0 of {n}",
                "node": f"The walk starts at the output: <b>∂{root}/∂{root} = 1</b>. Press <b>Step</b>.",
                "detail": ""}
    step = steps[k - 1]
    node = nodes[step["node"]]
    name, wrt = html.escape(node["name"]), html.escape(node["operand"])
    position = f"step {k} of {n}" + (": done, every gradient is final" if k == n else "")
    upstream = "the upstream gradient " if wording == "upstream" else ""
    said = (f"<b>{name}</b> ({html.escape(node['op'])}) has its full gradient, "
            f"{upstream}∂{root}/∂{wrt} = <b>{number(step['grad'])}</b>, and passes it to its inputs:")
    reached = {c["parent"] for earlier in steps[:k - 1] for c in earlier["contributions"]}
    lines = []
    for c in step["contributions"]:
        parent = html.escape(nodes[c["parent"]]["name"])
        of = html.escape(nodes[c["parent"]]["operand"])
        if wording == "upstream":
            adds = "+=" if c["parent"] in reached else "="  # at a fork the shares add
            line = (f"downstream ∂{root}/∂{of} {adds} upstream ∂{root}/∂{wrt} × local ∂{wrt}/∂{of} = "
                    f"{_signed(step['grad'])} × {_signed(c['local'])} = <b>{number(c['amount'])}</b>")
        else:
            line = (f"{of}.grad += local ∂{wrt}/∂{of} × grad = {number(c['local'])} × {_signed(step['grad'])} "
                    f"= <b>{number(c['amount'])}</b>")
        if c["parent"] in reached:
            line += (f"; a fork: {parent} already had {number(c['before'])} from another path, "
                     f"so the running sum is now <b>{number(c['after'])}</b>")
        lines.append(line)
        reached.add(c["parent"])
    return {"position": position, "node": said, "detail": "<br>".join(lines)}


class PageBackwardStepper(PageWidget):
    """The backward pass of a small computation, one node per Step, drawn and stepped in the page.

    Synced with the page (read by js/backward_stepper.js):
      expression: the computation shown, one of helpers.autograd_examples.EXPRESSIONS. Choosing one
          (in the page or from code) starts its walk again, k = 0.
      k: the steps taken so far, a whole number from 0 to the computation's number of steps.
      options: the dropdown's computations, in order. computations: {name: graph_state(...)} for each,
          the whole walk worked out here with helpers.autograd.backward_steps.
      wording: how a share is written, one of stepper.WORDINGS. figure: the kernel figure's size (inches),
          the graph's place in it, its box size, font size and title. presentation: True when built in
          presentation mode, so the page uses the large sizes.
    Read here, as the kernel version gives them: state() ({k, n_steps, current, grads}), labels() (the
    three labels' HTML), root, nodes and steps (the Values and helpers.autograd Steps of the computation
    shown). step(), back() and reset() do what the page's buttons do.
    """

    MODULE = MODULE
    KERNEL = BackwardStepper

    expression = t.Unicode(DEFAULT).tag(sync=True)
    k = Checked(0).tag(sync=True)
    options = t.List(read_only=True).tag(sync=True)
    computations = t.Dict(read_only=True).tag(sync=True)
    wording = t.Unicode("grad", read_only=True).tag(sync=True)
    figure = t.Dict({"size": list(FIGSIZE), "axes": list(AXES), "box": [BOX_WIDTH, BOX_HEIGHT],
                     "fontsize": FONTSIZE, "title": TITLE}, read_only=True).tag(sync=True)

    PAGE_STATE = ("expression", "k", "options", "computations", "wording", "figure", "presentation")

    def __init__(self, expression=None, wording="grad"):
        names = list(EXPRESSIONS)
        if expression is None:
            expression = DEFAULT
        expression = start_option(expression, "expression", names)
        wording = start_option(wording, "wording", WORDINGS)
        self._walks = {name: walk(name) for name in names}
        self.set_trait("options", names)
        self.set_trait("computations", {name: graph_state(root, steps) for name, (root, _, steps) in self._walks.items()})
        self.set_trait("wording", wording)
        self.set_trait("presentation", style.presentation_active())
        self._still = None
        super().__init__(expression=expression, k=0)
        self._still = _kernel_still(expression, wording)

    # ---- values in ----

    @t.validate("expression")
    def _valid_expression(self, proposal):
        return self._checked(start_option, proposal["value"], "expression", list(EXPRESSIONS))

    @t.validate("k")
    def _valid_k(self, proposal):
        return self._checked(self._whole_step, proposal["value"])

    def _whole_step(self, value):
        n = len(self.computations[self.expression]["steps"])
        whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())
        if isinstance(value, bool) or not whole:
            raise TypeError(f"k must be a whole number of steps from 0 to {n}, but got {value!r}")
        if not 0 <= value <= n:
            raise ValueError(f"k must be a whole number of steps from 0 to {n} (the steps of "
                             f"{self.expression!r}), but got {value!r}")
        return int(value)

    @t.observe("expression")
    def _start_again(self, _change):
        self.k = 0  # a computation chosen starts at the root, as BackwardStepper._build does

    # ---- numbers out: the same as BackwardStepper.state() and its labels ----

    @property
    def root(self):
        """The root Value (the loss) of the computation shown."""
        return self._walks[self.expression][0]

    @property
    def nodes(self):
        """The computation's named Values, as helpers.autograd_examples returns them."""
        return self._walks[self.expression][1]

    @property
    def steps(self):
        """The walk's Steps (helpers.autograd.backward_steps, those that pass gradient on)."""
        return self._walks[self.expression][2]

    def state(self):
        """The walk so far: k, n_steps, the current node's name (None at the start), and every gradient
        shown, as a dict {node name: text of its gradient label}."""
        graph = self.computations[self.expression]
        steps = graph["steps"]
        current = graph["nodes"][steps[self.k - 1]["node"]]["name"] if self.k else None
        shown = {node["name"]: text for node, text in zip(graph["nodes"], grad_texts(graph, self.k))}
        return {"k": self.k, "n_steps": len(steps), "current": current, "grads": shown}

    def labels(self):
        """The three labels above the picture, as HTML: {'position': 'step 4 of 9', 'node': ..., 'detail': ...}."""
        return labels(self.computations[self.expression], self.k, self.wording)

    # ---- what the buttons do ----

    def step(self):
        """The next node passes its gradient back (nothing happens after the last)."""
        self.k = min(self.k + 1, len(self.steps))

    def back(self):
        """Undo the last step."""
        self.k = max(self.k - 1, 0)

    def reset(self):
        """Back to the start: only the root's gradient, 1, is known."""
        self.k = 0


def _kernel_still(expression, wording):
    """PNG bytes of the kernel BackwardStepper's still picture at the start of `expression`'s walk. The
    kernel widget is closed afterwards, so none of its controls lingers in the page."""
    return kernel_still(lambda: BackwardStepper(expression, wording))
