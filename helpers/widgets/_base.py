"""What every widget shares: a figure shown as an image, and how numbers are written.

`CourseWidget` is the box every widget is: a short text form, a still picture for places without a
kernel, presentation sizes. What it is built from lives beside it, one concern a module, and is
importable from here as well:

    _inputs.py        starting values checked (start_number, start_whole, start_option, start_values)
    _controls.py      sliders and dropdowns that refuse impossible values; log and round sliders
    ../formatting.py  numbers for labels (fmt, number, signed, short, with_minus_signs)
    _divergence.py    the course's one rule for 'diverged' (loss_diverged)
    _views.py         FigureView and BlitView, new_figure, drawing, RENDER_LOCK
    _pictures.py      PNG bytes (encode_png) and a notebook's still picture (still_png)
    _presentation.py  presentation sizes (present)

Displayed, a widget also carries a still PNG of its figure, which is what GitHub, nbviewer and
exported HTML show; JupyterLab shows the live widget instead. In presentation mode (see
`style.presentation_mode`) a widget is built with large text and controls.
"""

import base64

import ipywidgets as widgets

from ..plots import style
# What widgets import from here, each defined in its own module.
from ..formatting import (  # noqa: F401
    _HYPHEN_MINUS, DIVERGED, DIVERGED_ABOVE, MINUS, fmt, number, short, signed, with_minus_signs,
)
from ._controls import (  # noqa: F401
    FINE_MANTISSAS, LOG_DIGITS, ROUND_MANTISSAS, ROUND_NEIGHBOUR, Dropdown, FloatLogSlider, FloatSlider, RoundSlider,
    _control_name, _refuse_non_finite, _round_label, log_slider, log_value, round_slider, round_values,
)
from ._divergence import RISING_STEPS, loss_diverged  # noqa: F401
from ._inputs import _number_or_type_error, start_number, start_option, start_values, start_whole  # noqa: F401
from ._pictures import _plain, _png_chunk, encode_png, still_png, text_panel  # noqa: F401
from ._presentation import (  # noqa: F401
    _PRESENTATION_CSS, _WIDE_CONTROLS, PRESENTATION_CLASS, _at_least, _descendants, _scaled_width, present,
)
from ._views import RENDER_LOCK, BlitView, FigureView, drawing, new_figure  # noqa: F401


class CourseWidget(widgets.VBox):
    """A VBox with a short, stable text form, a still picture for places without a kernel, and presentation sizes.

    Subclasses set `title`, build their controls and figure (kept as `self.view`, a FigureView),
    then call `super().__init__(children)`.
    """

    title = "widget"

    def __init__(self, children=(), **kwargs):
        from .notice import KernelNotice

        # First, a notice that stays empty until the kernel goes (a restart), then asks for the cell to be run again.
        self.kernel_notice = KernelNotice()
        super().__init__((self.kernel_notice, *children), **kwargs)
        for box in _descendants(self):
            if isinstance(box, widgets.Box) and any(isinstance(c, _WIDE_CONTROLS) for c in box.children):
                # A column of sliders keeps the width its sliders ask for: squeezed by the readouts
                # beside it, their tracks shrank to a few pixels per unit and their readouts vanished.
                box.layout.flex = "0 0 auto"
        if style.presentation_active():
            present(self)

    def __repr__(self):
        return f"<{self.title}: interactive in JupyterLab; run the cell to use it>"

    def _repr_mimebundle_(self, **kwargs):
        """ipywidgets' bundle (text and the live view) plus 'image/png': the figure as it is now, base64.

        JupyterLab shows the live view; GitHub, nbviewer and HTML exports, which cannot, show the picture.
        A widget without a `view` gets no picture. The lines of `still_lines()` are printed under it.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        view = getattr(self, "view", None)
        if bundle is not None and view is not None:
            # Every change ends with view.render(), so the image already holds the figure as it is now.
            png = view.image.value or view.png()
            bundle["image/png"] = base64.b64encode(still_png(png, self.still_lines())).decode("ascii")
        return bundle

    def still_lines(self):
        """Text printed under the figure in the still picture: none here; a widget whose numbers live
        in labels beside its figure returns them, so a reader without a kernel sees them too."""
        return []
