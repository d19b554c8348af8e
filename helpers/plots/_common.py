"""What every figure shares: how a number is written on it, a plain text form, and where it draws.

Titles are placed at a fixed height (y=1.0): letting matplotlib search for room above the axes
costs several milliseconds on every draw, which a widget pays on every move.
"""

import matplotlib.pyplot as plt

from . import style
from ..formatting import DIVERGED, MINUS, fixed  # noqa: F401  (MINUS and DIVERGED: plots import them from here)

# Upper bounds on how finely a figure samples: far beyond what a picture can show, far below what exhausts memory.
MAX_POINTS = 100_000   # points along one curve
MAX_GRID = 1_000       # points per axis of a shaded grid (a million cells)


def _number(value, digits=3, signed=False):
    """A number for a figure: fixed digits with a true minus sign (U+2212, as the widgets' labels and
    readouts write it), or 'diverged' if it blew up. A value that rounds to zero gets no minus sign.
    Past ten thousand, fixed digits get long: 1.23e+05 instead (helpers.formatting.fixed)."""
    return fixed(value, digits, signed=signed, e_from=1e4)


class _Plot:
    """What every returned plot shares: a short, stable text form (no memory addresses in notebooks)."""

    def __repr__(self):
        return f"<{type(self).__name__}: a figure; its artists are attributes, update(...) changes them>"


def _axes(ax, figsize=None):
    """(fig, ax): the given axes and its figure, or a new figure of the course's size."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize or style.FIGSIZE, layout="constrained")
        return fig, ax
    return ax.figure, ax
