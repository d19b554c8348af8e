"""One neuron: a weighted sum z = w·x + b, then an activation a = f(z).

    neuron_explorer()        # sliders for x, w, b and a choice of activation

The figure shows the activation's curve and, as a dot, where this neuron sits on it: move x, w
or b and the dot slides along the curve; change the activation and the curve changes under it.
The dashed curve is the slope da/dz, the factor this neuron contributes to the chain rule.
"""

import ipywidgets as widgets
import numpy as np

from ..plots import style
from .. import validate
from ..core.activations import get_activation
from ..plots import ACTIVATION_NAMES, activation_plot
from ._base import CourseWidget, Dropdown, FloatSlider, drawing, fmt, new_figure, start_number, start_option
from ._base import BlitView
from .weights import HOMES

X_RANGE = (-2.0, 2.0)
W_RANGE = (-3.0, 3.0)
B_RANGE = (-3.0, 3.0)
# Wide enough for every z the sliders allow: |z| <= 2·3 + 3 = 9.
Z_RANGE = (-9.5, 9.5)


def neuron_numbers(x, w, b, activation):
    """z = w·x + b, a = f(z) and the slope da/dz = f′(z) for one neuron, as a dict of floats."""
    x, w, b = (validate.as_number(v, n) for v, n in ((x, "x"), (w, "w"), (b, "b")))
    act = get_activation(validate.choice(activation, "activation", ACTIVATION_NAMES))
    z = w * x + b
    return {"x": x, "w": w, "b": b, "activation": act.name, "z": z,
            "a": float(act.f(np.float64(z))), "slope": float(act.derivative(np.float64(z)))}


class NeuronExplorer(CourseWidget):
    """Sliders for one input x, its weight w and the bias b, and a dropdown for the activation.

    Controls: `x`, `w`, `b` (FloatSlider), `activation` (Dropdown: sigmoid, tanh, relu, linear).
    Labels (HTML): `z_label` (z = w·x + b), `a_label` (a = f(z)), `slope_label` (da/dz).
    Figure: `fig`, `ax`, `view`, `plot` (plots.ActivationPlot: `plot.curve`, `plot.derivative_curve`),
    `marker` (a Line2D at (z, a)), `guide` (dotted lines from the axes to the marker).
    """

    title = "Neuron explorer"

    @drawing
    def __init__(self, x=1.0, w=-0.5, b=0.0, activation="sigmoid"):
        x = start_number(x, "x", *X_RANGE)
        w = start_number(w, "w", *W_RANGE)
        b = start_number(b, "b", *B_RANGE)
        activation = start_option(activation, "activation", ACTIVATION_NAMES)
        slider = dict(step=0.05, continuous_update=True, readout_format=".2f")
        self.x = FloatSlider(value=x, min=X_RANGE[0], max=X_RANGE[1], description="input x", **slider)
        self.w = FloatSlider(value=w, min=W_RANGE[0], max=W_RANGE[1], description="weight w", **slider)
        self.b = FloatSlider(value=b, min=B_RANGE[0], max=B_RANGE[1], description="bias b", **slider)
        self.activation = Dropdown(options=list(ACTIVATION_NAMES), value=activation,
                                           description="activation")
        self.z_label = widgets.HTML()
        self.a_label = widgets.HTML()
        self.slope_label = widgets.HTML()

        # 3.3 inches tall, not 4: in presentation mode at 1280x720 the controls and the curve fit together.
        self.fig = new_figure((style.FIGSIZE[0], 3.3))
        self.ax = self.fig.add_subplot()
        self.plot = activation_plot(activation, ax=self.ax, z_range=Z_RANGE)
        (self.guide,) = self.ax.plot([], [], color=style.PALETTE["grey"], linestyle=":", linewidth=1.5, zorder=2)
        (self.marker,) = self.ax.plot([], [], linestyle="none", marker="o", markersize=11,
                                      markerfacecolor=style.PREDICTION, markeredgecolor="black", zorder=5)
        self.numbers = None
        self._update()
        # A move of x, w or b only moves the dot and its guides; a new activation redraws it all.
        self.view = BlitView(self.fig, [self.guide, self.marker])

        for control in (self.x, self.w, self.b):
            control.observe(self._on_change, names="value")
        self.activation.observe(self._on_activation, names="value")
        super().__init__([
            widgets.HBox([widgets.VBox([self.x, self.w, self.b, self.activation]),
                          widgets.VBox([self.z_label, self.a_label, self.slope_label])]),
            self.view.image,
        ])

    @drawing
    def _on_change(self, change):
        self._update()
        self.view.render()

    @drawing
    def _on_activation(self, change):
        self.plot.update(change["new"])
        self._update()
        self.view.invalidate(relayout=True)  # the new curve's tick labels may be wider
        self.view.render()

    def state(self):
        """The current numbers: x, w, b, activation, z, a, slope."""
        return neuron_numbers(self.x.value, self.w.value, self.b.value, self.activation.value)

    def _update(self):
        n = self.numbers = self.state()
        z, a, name = n["z"], n["a"], n["activation"]
        self.marker.set_data([z], [a])
        bottom = self.ax.get_ylim()[0]
        # Down from the dot to z on the axis, and across from the dot to a.
        self.guide.set_data([z, z, np.nan, Z_RANGE[0], z], [bottom, a, np.nan, a, a])
        self.z_label.value = (f"z = w·x + b = ({fmt(n['w'], 2)})·({fmt(n['x'], 2)}) + ({fmt(n['b'], 2)}) "
                              f"= <b>{fmt(z)}</b>")
        self.a_label.value = f"a = {name}(z) = <b>{fmt(a)}</b>"
        self.slope_label.value = f"slope da/dz = {name}′(z) = <b>{fmt(n['slope'])}</b>"


def neuron_explorer(x=1.0, w=-0.5, b=0.0, activation="sigmoid", home="page"):
    """One neuron with sliders for x, w, b and a choice of activation; shows z, a and where a sits on f.

    The defaults are the worked example's first hidden neuron: x = 1, w = −0.5, b = 0, sigmoid,
    so z = −0.5 and a = 0.3775. x runs from −2 to 2, w and b from −3 to 3; activation is one of
    'sigmoid', 'tanh', 'relu', 'linear'.
    home: where the picture is drawn and the numbers computed on a move: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageNeuronExplorer with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a NeuronExplorer).

    Used in notebook 01.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page.neuron_explorer import PageNeuronExplorer

        return PageNeuronExplorer(x=x, w=w, b=b, activation=activation)
    return NeuronExplorer(x=x, w=w, b=b, activation=activation)
