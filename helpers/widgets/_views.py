"""A widget's figure, drawn outside pyplot and shown as an image that callbacks re-render.

Widgets draw on a plain matplotlib Figure (not pyplot, so nothing is shown twice and no figure is
shared between widgets). A callback changes the artists' data, then `FigureView.render()` turns
the figure into a PNG for an `ipywidgets.Image`. Nothing is rebuilt on a move. `BlitView` redraws
only the artists that move.
"""

import threading

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..plots import style
from ._pictures import encode_png

RENDER_LOCK = threading.RLock()
"""Held while a widget changes its figure and draws it. Matplotlib is not thread-safe (its fonts and
text caches are shared by every figure), and a recent kernel may hand widget messages to more than
one thread: two renders at once could draw one label's glyphs into another's."""


def new_figure(figsize=style.FIGSIZE, **subplot_kw):
    """A Figure with its own Agg canvas, outside pyplot, in the look in use. Returns the figure.

    In presentation mode the figure is PRESENTATION_FIGURE_SCALE times `figsize`, to hold the larger text.
    """
    import matplotlib as mpl

    if style.presentation_active():
        figsize = tuple(side * style.PRESENTATION_FIGURE_SCALE for side in figsize)
    with mpl.rc_context(dict(style.current_rcparams())):
        fig = Figure(figsize=figsize, dpi=style.DPI, layout="constrained")
        FigureCanvasAgg(fig)
    return fig


def drawing(method):
    """Decorate a widget method that builds, changes or renders its figure.

    It runs under RENDER_LOCK and in the look in use (style.current_rcparams()), so a widget draws
    the same picture whatever a notebook or another figure has done to matplotlib's global settings.
    """
    import functools

    import matplotlib as mpl

    @functools.wraps(method)
    def locked(*args, **kwargs):
        with RENDER_LOCK, mpl.rc_context(dict(style.current_rcparams())):
            return method(*args, **kwargs)

    return locked


class FigureView:
    """Show `fig` in an ipywidgets.Image and re-render it on demand."""

    def __init__(self, fig):
        self.fig = fig
        # Shown at the size it is drawn, pixel for pixel: stretched to the output's width it went soft.
        width = f"{round(fig.bbox.width)}px"
        # At most as wide as the room left by its margins: at max-width 100% its margins made it 4 px wider
        # than its box, and the box showed a scrollbar under the picture.
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=width, max_width="calc(100% - 2 * var(--jp-widgets-margin, 2px))", height="auto"))
        self.renders = 0
        self.render()
        # The layout is worked out once, on the first draw; re-solving it on every move would
        # cost more than drawing the figure itself.
        self.fig.set_layout_engine("none")

    def png(self):
        """The figure as PNG bytes: drawn by Agg, lightly compressed, since speed matters more."""
        self.fig.canvas.draw()
        return encode_png(self.fig.canvas.buffer_rgba())

    def render(self, key=None):
        """Draw the figure and send the picture to the browser.

        key: for a widget with a few fixed states (a dropdown's options), a hashable name for the
        state the figure now shows. The picture drawn for a key is kept and sent again, undrawn,
        when that key comes back; the caller promises the figure is the same whenever the key is.
        Drawn in the look in use, whatever matplotlib's global settings are (tick labels, for one,
        are made while drawing).
        """
        import matplotlib as mpl

        with RENDER_LOCK, mpl.rc_context(dict(style.current_rcparams())):
            if key is None:
                self.image.value = self.png()
            else:
                pictures = self.__dict__.setdefault("_pictures", {})
                if key not in pictures:
                    pictures[key] = self.png()
                self.image.value = pictures[key]
            self.renders += 1


class BlitView(FigureView):
    """A FigureView that draws the figure's still parts once and, on each render, only the moving artists.

    moving: the artists a callback changes (and any drawn on top of them), redrawn in z-order over
    a saved copy of the rest. They are marked animated, so a plain `fig.savefig` leaves them out:
    use `view.png()` or `view.image.value` for a picture of the whole figure.
    on_top: artists that never change but are drawn over the moving ones (a legend the lines pass
    under). Where no moving artist reached under one, its pixels are pasted from a copy made with
    the background: the very pixels drawing it would give, without the cost of drawing its text.
    reuse_text: the same for moving texts: a text unchanged since it was last drawn, over exactly the
    pixels it was drawn on then, is pasted as it was drawn. Drawing text is most of a move's cost,
    and a move usually changes a few of a figure's texts.
    """

    MARGIN = 3
    """Pixels added round a text's or an on-top artist's box, for the soft edges of its glyphs and lines."""
    ON_TOP_MARGIN = MARGIN

    def __init__(self, fig, moving, on_top=(), reuse_text=False):
        self.moving = sorted(moving, key=lambda artist: artist.get_zorder())
        self.on_top = sorted(on_top, key=lambda artist: artist.get_zorder())
        self.reuse_text = reuse_text
        self._background = None
        self._on_top_pixels = []
        self._texts = {}
        for artist in (*self.moving, *self.on_top):
            artist.set_animated(True)
        super().__init__(fig)

    def invalidate(self, relayout=False):
        """Draw everything on the next render: call after changing a still part (limits, ticks, a curve).

        relayout: also work the layout out again, for changes that make tick labels wider or narrower.
        """
        self._background = None
        self._relayout = relayout

    def _box(self, artist):
        """The rows and columns of the buffer that `artist` may paint (its box and a margin), or None
        when it paints nothing."""
        if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text()):
            return None
        buffer = np.asarray(self.fig.canvas.buffer_rgba())
        height, width = buffer.shape[:2]
        box = artist.get_window_extent(self.fig.canvas.get_renderer())
        m = self.MARGIN
        rows = slice(max(0, int(np.floor(height - box.y1)) - m), min(height, int(np.ceil(height - box.y0)) + m))
        cols = slice(max(0, int(np.floor(box.x0)) - m), min(width, int(np.ceil(box.x1)) + m))
        return rows, cols

    def _save_on_top(self):
        """For each on-top artist: its box in the buffer, the pixels under it, and the pixels with it drawn."""
        canvas = self.fig.canvas
        buffer = np.asarray(canvas.buffer_rgba())
        self._on_top_pixels = []
        for artist in self.on_top:
            box = self._box(artist) or (slice(0, 0), slice(0, 0))
            under = buffer[box].copy()
            self.fig.draw_artist(artist)
            self._on_top_pixels.append((artist, box, under, buffer[box].copy()))
        canvas.restore_region(self._background)

    @staticmethod
    def _look(text):
        """What decides a text's pixels, short of the axes' limits (which change only with invalidate()):
        its words, colour, font, angle and rendering, where it is anchored and how it is aligned there."""
        anchor = getattr(text, "xy", None)  # an annotation's point, from which its text is offset
        return (text.get_text(), text.get_visible(), to_rgba(text.get_color(), text.get_alpha()),
                hash(text.get_fontproperties()), text.get_rotation(), text.get_rotation_mode(),
                text.get_horizontalalignment(), text.get_verticalalignment(), getattr(text, "_linespacing", None),
                text.get_wrap(), text.get_antialiased(), text.get_usetex(), text.get_clip_on(),
                tuple(map(id, text.get_path_effects())), tuple(text.get_position()),
                None if anchor is None else tuple(anchor))

    def _draw_text(self, text):
        """Draw a moving text, or paste it as last drawn when it is unchanged and so is what lies under it.

        Unchanged: its `_look` is the one it was last drawn with. (Matplotlib's own `stale` flag cannot
        tell: setting a text to the words it already shows marks it stale.) Its box is worked out
        only when it changed: laying text out is a good part of the cost of drawing it.
        """
        buffer = np.asarray(self.fig.canvas.buffer_rgba())
        look = self._look(text)
        kept = self._texts.get(text)
        if kept is not None and kept[0] == look:
            _, box, under, drawn = kept
            if box is None:
                return  # it paints nothing
            if np.array_equal(buffer[box], under):
                buffer[box] = drawn
                return
        else:
            box = self._box(text)
        under = None if box is None else buffer[box].copy()
        self.fig.draw_artist(text)
        self._texts[text] = (look, box, under, None if box is None else buffer[box].copy())

    def _draw_frame(self):
        """Leave the whole figure drawn in the canvas's buffer: the background, then the moving and on-top artists."""
        canvas = self.fig.canvas
        if self._background is None:
            if getattr(self, "_relayout", False):
                self.fig.set_layout_engine("constrained")
                canvas.draw()
                self.fig.set_layout_engine("none")
                self._relayout = False
            canvas.draw()  # the first draw also settles the layout, which stays fixed from then on
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._texts = {}  # kept texts were drawn where the old layout and limits put them
            self._save_on_top()
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            # A text with a box round it paints beyond its own extent: it is always drawn.
            if self.reuse_text and isinstance(artist, Text) and artist.get_bbox_patch() is None:
                self._draw_text(artist)
            else:
                self.fig.draw_artist(artist)
        if self.on_top:
            buffer = np.asarray(canvas.buffer_rgba())
            for artist, box, under, drawn in self._on_top_pixels:
                if np.array_equal(buffer[box], under):  # nothing moving reached under it
                    buffer[box] = drawn
                else:
                    self.fig.draw_artist(artist)

    def png(self):
        self._draw_frame()
        return encode_png(self.fig.canvas.buffer_rgba())
