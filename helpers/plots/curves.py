"""Curves of a loss: over the steps of training (`loss_curve`) and over one weight (`loss_over_weight`)."""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from . import style
from .. import validate
from ..practice.gradcheck import numerical_derivative
from ..practice.training import History
from ._common import _axes, _number, _Plot, MAX_POINTS


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
    y = _one_curve(losses)
    y[~np.isfinite(y) | (np.abs(y) > 1e12)] = np.nan
    if log:
        y[y <= 0] = np.nan
    return y


def _one_curve(losses):
    """The values of one curve as a flat float64 array (a copy), or a clear error.

    A History gives its training loss. A list of lists is two curves or more, not one: refused,
    since joining them into one line would draw a curve that never happened. NaN and inf are kept:
    a diverged run leaves a gap.
    """
    if isinstance(losses, History):
        losses = losses.loss
    if isinstance(losses, (str, bytes, dict, set, frozenset)) or callable(losses):
        raise TypeError(f"losses must be a list of numbers, one loss per step (such as history.loss), but got "
                        f"{validate.describe(losses)}")
    try:
        array = np.asarray(losses, dtype=np.float64)
    except OverflowError:  # a whole number such as 10**400: the check names it and where it is
        validate.as_array(losses, "losses")
        raise
    except (TypeError, ValueError) as exc:
        nested = isinstance(losses, (list, tuple)) and any(np.ndim(v) > 0 for v in losses if not isinstance(v, str))
        if nested:
            raise ValueError(_SEVERAL_CURVES.format(n=len(losses))) from None
        raise TypeError(f"losses must be a list of numbers, one loss per step (such as history.loss), but got "
                        f"{validate.describe(losses)}") from exc
    if sum(d > 1 for d in array.shape) > 1:
        raise ValueError(_SEVERAL_CURVES.format(n=array.shape[0]))
    return np.array(np.ravel(array))


_SEVERAL_CURVES = ("losses holds {n} lists of numbers, but loss_curve draws one curve, and joining them would draw a "
                   "line that never happened. Draw each on the same axes: plot = loss_curve(history.loss), then "
                   "loss_curve(history.test_loss, plot.ax, label=\"test loss\")")


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

    losses: one list of numbers, such as history.loss (a History itself draws its training loss).
    For a second curve, such as history.test_loss, call loss_curve again with the same ax.

    log: a logarithmic loss axis, which shows slow progress near zero. Values that are NaN, inf or
    astronomically large (a diverged run) are left out, leaving a gap. linestyle, marker: as in
    matplotlib ("--" dashed, "o" a dot per step). title: None keeps the axes' title, or writes
    "Loss during training" on a new one. legend_loc: where the legend goes ("lower left", ...);
    None keeps the place of the legend already on the axes ("upper right" for the first).
    More curves on the same `ax` share it: the axes fit all of them and one legend lists them.
    Returns a LossCurve.

    Used in notebooks 00, 05 and 07.
    """
    y = _curve_values(losses, log)
    fig, ax = _axes(ax)
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
        validate.function(f, "f", "`def loss_at(w): ... return loss`", arguments=1)
        values = _evaluate(f, self.w, self.at, self.tangents, self.name)
        self.L = np.array(values["curve"], dtype=float)
        self.curve.set_ydata(self.L)
        for marker, w, L in zip(self.markers, self.at, values["at"]):
            marker.set_data([w], [L])
            marker.set_label(f"{self.name} = {_number(w, 2)}, L = {_number(L, 3)}")
        self.slopes = np.array(values["slopes"], dtype=float)
        for line, dot, label, w, slope, L in zip(self.tangent_lines, self.tangent_markers, self.slope_labels,
                                                  self.tangents, self.slopes, values["tangent_losses"]):
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


def _loss_at(f, w, name="w"):
    """f(w) as a float, or an error naming f, the weight and what came back (None: a forgotten `return`)."""
    with np.errstate(all="ignore"):
        value = f(float(w))
    called = f"{_function_name(f)}({name} = {float(w):g})"
    if value is None:
        raise TypeError(f"{called} returned None: did your function forget `return`? It must return the loss "
                        f"for that weight, one number")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{called} returned {validate.describe(value)}, but it must return the loss for that "
                        f"weight, one number")
    try:
        value = float(value)
    except OverflowError:
        raise validate._too_large(value, f"the loss that {called} returned") from None
    if not np.isfinite(value):
        raise ValueError(f"{called} returned {value}, but the loss must be a finite number at every weight in "
                         "w_range; try a narrower w_range")
    return value


def _function_name(f):
    name = getattr(f, "__name__", None)
    return "f" if not name or name == "<lambda>" else name


def _evaluate(f, curve_w, at_w, tangent_w, name):
    """Every loss and slope one drawing needs, as lists of floats. A learner's f runs in one child process
    (helpers.gradcheck's guard), stopped with a TimeoutError naming f if a call never ends; the course's own f
    runs here. An error inside f comes back as the same kind of error, with the same message."""
    from ..practice.gradcheck import _guarded

    def body(call):
        def loss(v):
            return call(f"{_function_name(f)}({name} = {float(v):g})", v)

        loss.__name__ = _function_name(f)
        return {"curve": [_loss_at(loss, v, name) for v in curve_w],
                "at": [_loss_at(loss, v, name) for v in at_w],
                "slopes": [_slope(loss, v, name) for v in tangent_w],
                "tangent_losses": [_loss_at(loss, v, name) for v in tangent_w]}

    return _guarded(f, "f", body)


def _losses_over(f, w, name="w"):
    return np.array([_loss_at(f, v, name) for v in w])


def _slope(f, w, name="w"):
    with np.errstate(all="ignore"):
        return float(numerical_derivative(lambda v: _loss_at(f, v, name), float(w)))


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

    Used in notebooks 02 and 03.
    """
    lo, hi = sorted(validate.as_array(w_range, "w_range", ndim=1)[:2])
    if not hi > lo:
        raise ValueError(f"w_range must be (low, high) with low < high, but got {tuple(w_range)}")
    points = validate.positive_int(points, "points", minimum=2, maximum=MAX_POINTS)
    at = np.ravel(validate.as_array([] if at is None else at, "at", ndim=(0, 1), allow_empty=True))
    tangents = np.ravel(validate.as_array(tangents, "tangents", ndim=(0, 1), allow_empty=True))
    validate.function(f, "f", "`def loss_at(w): ... return loss`", arguments=1)
    made_here = ax is None
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
    try:
        return plot.update(f)
    except Exception:
        if made_here:  # no half-drawn figure left behind under the error
            plt.close(fig)
        raise
