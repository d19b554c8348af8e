"""A figure view that keeps what it drew: the still parts per state of the axes, whole pictures per state.

For widgets whose axes change with the controls (limits, ticks) but take only a few states, so that
blitting over one background (`_base.BlitView`) is not enough.
"""

from collections import OrderedDict

from matplotlib.transforms import Bbox

from ._base import drawing, encode_png, FigureView


class KeptView(FigureView):
    """A FigureView for a figure whose still parts take few states: each is drawn once, then kept.

    moving: the artists a move changes and any drawn over them. They are marked animated and drawn,
    in z-order, over a kept drawing of everything else for the still parts' state `axes_key` (axis
    limits and ticks, say). The widget gives every moving artist a z-order above every still one
    it can overlap (spines and ticks are 2.5), so the result is the picture a full drawing gives
    (`full_png`). The picture for a whole state `key` (every control's value) is kept too and sent
    again, undrawn, when the state returns. Both stores keep the most recent few:
    keep_backgrounds drawings (4 bytes a pixel each) and keep_pictures PNGs.

    layers: axes stacked on the right of a figure whose other parts never change (a map beside them,
    say). Those parts are drawn once, and `axes_key` is then a tuple with one state per layer: each
    layer is drawn once per state of its own, into its own band of the figure, and kept.
    still_texts: the layers' titles and axis labels that never change and that nothing overlaps: drawn
    once with the never-changing parts, and left out when a layer is drawn again (a third of its cost).
    """

    KEEP_BACKGROUNDS = 8
    KEEP_PICTURES = 64

    def __init__(self, fig, moving, axes_key, key, keep_backgrounds=None, keep_pictures=None, layers=(),
                 still_texts=()):
        if keep_backgrounds is not None:
            self.KEEP_BACKGROUNDS = keep_backgrounds
        if keep_pictures is not None:
            self.KEEP_PICTURES = keep_pictures
        self.moving = sorted(moving, key=lambda artist: artist.get_zorder())
        for artist in self.moving:
            artist.set_animated(True)
        self.layers = list(layers)
        self.still_texts = list(still_texts)
        self._base = None
        self._backgrounds, self._pictures = OrderedDict(), OrderedDict()
        self.axes_key, self.key = axes_key, key
        super().__init__(fig)
        self._keep(self._pictures, key, self.image.value, self.KEEP_PICTURES)  # the first picture, too

    @staticmethod
    def _keep(store, key, value, limit):
        store[key] = value
        store.move_to_end(key)
        while len(store) > limit:
            store.popitem(last=False)

    def _settle_layers(self):
        """The first drawing: settle the layout, draw the never-changing parts once, and give each layer
        its own band of the figure (right of every other axes, split halfway between the layers' frames)."""
        canvas = self.fig.canvas
        canvas.draw()  # with every axes in it, the layout is worked out ...
        self.fig.set_layout_engine("none")  # ... and stays as it is from then on
        renderer = canvas.get_renderer()
        still = [ax.get_tightbbox(renderer) for ax in self.fig.axes if ax not in self.layers]
        boxes = [layer.get_tightbbox(renderer) for layer in self.layers]
        left = min(box.x0 for box in boxes)
        right_of_still = max((box.x1 for box in still), default=self.fig.bbox.x0)
        if right_of_still >= left - 2:
            raise ValueError("KeptView layers must lie to the right of every other axes, with a gap between")
        # Split halfway between the axes' frames, not their labels: a tick label at an axis's end pokes out
        # half its height, and which labels there are depends on the state.
        frames = [layer.bbox for layer in self.layers]
        order = sorted(range(len(frames)), key=lambda i: frames[i].y0)
        edges = [self.fig.bbox.y0] + [(frames[low].y1 + frames[high].y0) / 2
                                      for low, high in zip(order, order[1:])] + [self.fig.bbox.y1]
        if any(frames[low].y1 >= frames[high].y0 for low, high in zip(order, order[1:])):
            raise ValueError("KeptView layers must not overlap one another")
        self._regions = [None] * len(boxes)
        for rank, i in enumerate(order):
            self._regions[i] = Bbox.from_extents((right_of_still + left) / 2, edges[rank], self.fig.bbox.x1,
                                                 edges[rank + 1])
        for layer in self.layers:
            layer.set_animated(True)
        canvas.draw()
        for text in self.still_texts:
            self.fig.draw_artist(text)
        self._base = canvas.copy_from_bbox(self.fig.bbox)
        self._base_regions = [canvas.copy_from_bbox(region) for region in self._regions]

    def _draw_without_still_texts(self, layer):
        for text in self.still_texts:
            text.set_visible(False)
        try:
            self.fig.draw_artist(layer)
        finally:
            for text in self.still_texts:
                text.set_visible(True)

    def png(self):
        """The figure drawn now: its still parts from the drawing kept for their state (or drawn and kept),
        then its moving artists."""
        canvas = self.fig.canvas
        if self.layers:
            if self._base is None:
                self._settle_layers()
            canvas.restore_region(self._base)
            for i, (layer, layer_key) in enumerate(zip(self.layers, self.axes_key)):
                key = (i, layer_key)
                background = self._backgrounds.get(key)
                if background is None:
                    canvas.restore_region(self._base_regions[i])
                    self._draw_without_still_texts(layer)
                    self._keep(self._backgrounds, key, canvas.copy_from_bbox(self._regions[i]),
                               self.KEEP_BACKGROUNDS * len(self.layers))
                else:
                    self._backgrounds.move_to_end(key)
                    canvas.restore_region(background)
        else:
            background = self._backgrounds.get(self.axes_key)
            if background is None:
                canvas.draw()  # leaves the animated artists out
                self._keep(self._backgrounds, self.axes_key, canvas.copy_from_bbox(self.fig.bbox),
                           self.KEEP_BACKGROUNDS)
            else:
                self._backgrounds.move_to_end(self.axes_key)
                canvas.restore_region(background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        return encode_png(canvas.buffer_rgba())

    @drawing
    def full_png(self):
        """The figure drawn whole, as a plain matplotlib drawing would (in the look in use), for checking
        the kept pictures."""
        for artist in [*self.moving, *self.layers]:
            artist.set_animated(False)
        try:
            self.fig.canvas.draw()
            return encode_png(self.fig.canvas.buffer_rgba())
        finally:
            for artist in [*self.moving, *self.layers]:
                artist.set_animated(True)

    def show(self, axes_key, key):
        """Send the picture for the state `key` (axes in state `axes_key`): kept, or drawn and kept.

        Called from a widget's callback, which already holds the drawing lock and the look (`drawing`):
        entering them again would copy matplotlib's settings once more on every move.
        """
        self.axes_key, self.key = axes_key, key
        picture = self._pictures.get(key)
        if picture is None:
            picture = self.png()
        self._keep(self._pictures, key, picture, self.KEEP_PICTURES)
        self.image.value = picture
        self.renders += 1
