"""What every widget shares: a figure shown as an image, and how numbers are written.

Widgets draw on a plain matplotlib Figure (not pyplot, so nothing is shown twice and no figure is
shared between widgets). A callback changes the artists' data, then `FigureView.render()` turns
the figure into a PNG for an `ipywidgets.Image`. Nothing is rebuilt on a move.
"""

import io

import ipywidgets as widgets
import numpy as np
from PIL import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import style

DIVERGED = "diverged"


def new_figure(figsize=style.FIGSIZE, **subplot_kw):
    """A Figure with its own Agg canvas, outside pyplot. Returns the figure."""
    with_course_look = dict(style.COURSE_RCPARAMS)
    import matplotlib as mpl

    with mpl.rc_context(with_course_look):
        fig = Figure(figsize=figsize, dpi=style.DPI, layout="constrained")
        FigureCanvasAgg(fig)
    return fig


class FigureView:
    """Show `fig` in an ipywidgets.Image and re-render it on demand."""

    def __init__(self, fig):
        self.fig = fig
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))
        self.renders = 0
        self.render()
        # The layout is worked out once, on the first draw; re-solving it on every move would
        # cost more than drawing the figure itself.
        self.fig.set_layout_engine("none")

    def png(self):
        """The figure as PNG bytes: drawn by Agg, lightly compressed, since speed matters more."""
        self.fig.canvas.draw()
        pixels = np.asarray(self.fig.canvas.buffer_rgba())
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def render(self):
        """Draw the figure and send the picture to the browser."""
        self.image.value = self.png()
        self.renders += 1


def fmt(value, digits=4):
    """A number for a label: fixed digits, or 'diverged' when it is NaN, inf or astronomically large."""
    value = float(value)
    if not np.isfinite(value) or abs(value) > 1e12:
        return DIVERGED
    return f"{value:.{digits}f}"


class CourseWidget(widgets.VBox):
    """A VBox with a short, stable text form (so saved notebooks hold no image bytes in text)."""

    title = "widget"

    def __repr__(self):
        return f"<{self.title}: interactive in JupyterLab; run the cell to use it>"


class BlitView(FigureView):
    """A FigureView that draws the figure's still parts once and, on each render, only the moving artists.

    moving: the artists a callback changes (and any drawn on top of them), redrawn in z-order over
    a saved copy of the rest. They are marked animated, so a plain `fig.savefig` leaves them out:
    use `view.png()` or `view.image.value` for a picture of the whole figure.
    """

    def __init__(self, fig, moving):
        self.moving = sorted(moving, key=lambda artist: artist.get_zorder())
        self._background = None
        for artist in self.moving:
            artist.set_animated(True)
        super().__init__(fig)

    def invalidate(self, relayout=False):
        """Draw everything on the next render: call after changing a still part (limits, ticks, a curve).

        relayout: also work the layout out again, for changes that make tick labels wider or narrower.
        """
        self._background = None
        self._relayout = relayout

    def png(self):
        canvas = self.fig.canvas
        if self._background is None:
            if getattr(self, "_relayout", False):
                self.fig.set_layout_engine("constrained")
                canvas.draw()
                self.fig.set_layout_engine("none")
                self._relayout = False
            canvas.draw()  # the first draw also settles the layout, which stays fixed from then on
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
