"""The course's figures, one module per kind: a network diagram (`diagram`), loss curves and a loss
over one weight (`curves`), a loss landscape over two weights (`landscape`), activations
(`activations`) and decision boundaries (`boundary`); `_common` holds what they share.

Every function takes an optional `ax`. Without one it makes a figure of the course's size with
`plt.subplots`, so it shows inline in a notebook; with one (a widget's figure, a subplot) it draws
there. Each returns a small object holding the figure and the artists it drew, with an `update`
method that changes those artists in place, so a widget never rebuilds a figure on a move:

    diagram = network_diagram(TwoTwoOne())           # the 2-2-1 example, numbers on every node
    diagram.update(TwoTwoOne(w1=0.2))                # same lines, new widths and styles

Colours come from `style` (Okabe–Ito), the course's one look; `graph_plot` draws a computation graph
of `Value`s and `recipe_plots` the figures of the checks practitioners run. Import from here, as before the split:
`from helpers.plots import network_diagram` or `plots.loss_curve(...)`.
"""

from ._common import DIVERGED, MINUS, _number
from .activations import ACTIVATION_NAMES, ActivationPlot, activation_plot
from .boundary import CLASS_REGION_CMAP, DecisionBoundary, _class1_probability, decision_boundary
from .derivative import LocalRuleGraph, PathCountPlot, SecantPlot, local_rule_graph, path_count_plot, secant_plot
from .curves import LossCurve, LossOverWeight, loss_curve, loss_over_weight
from .diagram import (
    NEUTRAL_EDGE, THINNEST_LINE, WEIGHT_FOR_WIDEST_LINE, WIDEST_LINE, NetworkDiagram, edge_width, network_diagram,
)
from .landscape import LossLandscape, loss_landscape

__all__ = [
    "ACTIVATION_NAMES", "CLASS_REGION_CMAP", "DIVERGED", "MINUS", "NEUTRAL_EDGE", "THINNEST_LINE",
    "WEIGHT_FOR_WIDEST_LINE", "WIDEST_LINE",
    "ActivationPlot", "DecisionBoundary", "LossCurve", "LossLandscape", "LossOverWeight", "NetworkDiagram",
    "activation_plot", "decision_boundary", "edge_width", "loss_curve", "loss_landscape", "loss_over_weight",
    "network_diagram",
]
