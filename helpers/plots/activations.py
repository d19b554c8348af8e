"""An activation function a = f(z) and its slope f′(z), on one pair of axes."""

from dataclasses import dataclass

import numpy as np

from . import style
from .. import validate
from ..core.activations import get_activation
from ._common import _axes, _Plot, MAX_POINTS

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

    Used in notebooks 01 and 03.
    """
    name = validate.choice(name, "name", ACTIVATION_NAMES)
    z_lo, z_hi = sorted(validate.as_array(z_range, "z_range", ndim=1)[:2])
    fig, ax = _axes(ax)
    z = np.linspace(z_lo, z_hi, validate.positive_int(points, "points", minimum=2, maximum=MAX_POINTS))
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
