"""A classifier's decision boundary: its probability of class 1 over the plane of two inputs, with the data."""

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from . import style
from .. import validate
from ..data import CLASS_NAMES
from ..core.network import Network
from ._common import _axes, _Plot, MAX_GRID

# Light fills for the two classes' regions: the class colours mixed with white, so markers stay visible.
_LIGHT = 0.55

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
    _check_classifier(net)
    diverged = not all(np.all(np.isfinite(net.W[l])) and np.all(np.isfinite(net.b[l])) for l in net.W)
    if diverged:  # the weights hold NaN or inf: training diverged, so there is no boundary to draw
        return np.full(grid_x.shape, np.nan)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    try:
        with np.errstate(all="ignore"):
            y_hat = net.predict(points)
    except ValueError:  # z overflowed somewhere on the grid: no boundary can be drawn there either
        return np.full(grid_x.shape, np.nan)
    p = y_hat[:, 0] if y_hat.shape[1] == 1 else y_hat[:, 1]
    return p.reshape(grid_x.shape)


def _check_classifier(net):
    """Refuse a network whose picture would be blank: it must take the plane's 2 inputs and give P(class 1)."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a helpers Network, but got {validate.describe(net)}")
    if net.sizes[0] != 2:
        raise ValueError(f"a decision boundary is drawn over the plane of 2 inputs, but net takes {net.sizes[0]} "
                         f"(sizes {net.sizes}); train a network with sizes [2, ...] to draw it")
    if net.sizes[-1] > 2:
        raise ValueError(f"a decision boundary is drawn for 2 classes (one sigmoid output, or 2 softmax outputs), but "
                         f"net has {net.sizes[-1]} outputs (sizes {net.sizes})")


def _class_labels(y, n_samples, class_names):
    """y as int labels 0 and 1, one per sample; anything else (0.7, 2, −1) is refused, naming the values."""
    labels = validate.as_array(y, "y", ndim=1)
    if labels.shape[0] != n_samples:
        raise ValueError(f"y holds {labels.shape[0]} labels but X holds {n_samples} samples")
    strange = labels[(labels != 0) & (labels != 1)]
    if strange.size:
        why = ("a probability is not a label: pass the true labels, or round the predictions"
               if strange[0] != np.round(strange[0]) else "the picture shows two classes")
        raise ValueError(f"y must hold the class labels 0 ({class_names[0]}) and 1 ({class_names[1]}), but it holds "
                         f"{strange[0]:g}; {why}")
    return labels.astype(np.int64)


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

    Used in notebook 07.
    """
    X = validate.as_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (the plane to draw), but it has shape {X.shape}")
    _check_classifier(net)
    labels = _class_labels(y, X.shape[0], class_names)
    grid = validate.positive_int(grid, "grid", minimum=2, maximum=MAX_GRID)
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
