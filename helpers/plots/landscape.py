"""A loss over two weights as contours, with the path gradient descent took across them."""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm

from . import style
from .. import validate
from ._common import _axes, _Plot, MAX_GRID


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
    """f over the grid: tried on whole arrays first, then point by point for functions of two numbers.

    A learner's f runs in one child process (helpers.gradcheck's guard), stopped with a TimeoutError naming
    f if a call never ends; the course's own f runs here.
    """
    from ..practice.gradcheck import _guarded

    def body(call):
        with np.errstate(all="ignore"):
            try:
                L = np.asarray(call("f(W_x, W_y) on the whole grid", W_x, W_y), dtype=np.float64)
                if L.shape == W_x.shape:
                    return L.tolist()
            except (TypeError, ValueError):
                pass
            return [[float(call(f"f({float(a)!r}, {float(b)!r})", float(a), float(b))) for a, b in zip(row_x, row_y)]
                    for row_x, row_y in zip(W_x, W_y)]

    return np.array(_guarded(f, "f", body), dtype=np.float64)


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

    Used in notebook 05.
    """
    (x_lo, x_hi), (y_lo, y_hi) = (sorted(validate.as_array(r, name, ndim=1)[:2])
                                  for r, name in ((w_range_x, "w_range_x"), (w_range_y, "w_range_y")))
    resolution = validate.positive_int(resolution, "resolution", minimum=5, maximum=MAX_GRID)
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
