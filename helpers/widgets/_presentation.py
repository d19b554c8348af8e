"""Presentation sizes for a widget shown on a projector: large text, tall buttons, wide names.

`present(widget)` is called by CourseWidget when it is built in presentation mode
(see `style.presentation_mode`).
"""

import ipywidgets as widgets

from ..plots import style


PRESENTATION_CLASS = "course-presentation"

# Sizes ipywidgets has no trait for (slider names and readouts, dropdown text, toggle buttons) come
# from its CSS variables; setting them on the widget's own class reaches only that widget's controls.
_PRESENTATION_CSS = """<style>
.{cls} {{
  --jp-widgets-font-size: {font_size};
  --jp-widgets-inline-height: {control_height};
  --jp-widgets-inline-label-width: {description_width};
  --jp-widgets-inline-width: {control_width};
  --jp-widgets-slider-handle-size: 22px;
  --jp-widgets-slider-track-thickness: 6px;
}}
.{cls} .widget-label, .{cls} .jupyter-widget-label,
.{cls} .widget-readout, .{cls} .jupyter-widget-readout,
.{cls} .widget-html-content, .{cls} .jupyter-widget-html-content {{
  font-size: {font_size};
  line-height: 1.4;
}}
</style>"""


# Controls made wider to fit their longer name and readout.
_WIDE_CONTROLS = (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider, widgets.SelectionSlider,
                  widgets.FloatRangeSlider, widgets.IntRangeSlider, widgets.Dropdown)


def _descendants(widget):
    """widget and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def _scaled_width(width, factor=1.4):
    """A width in px made `factor` times wider; other units are returned unchanged."""
    if isinstance(width, str) and width.endswith("px"):
        try:
            return f"{round(float(width[:-2]) * factor)}px"
        except ValueError:
            return width
    return width


def _at_least(width, minimum):
    """A control's width in px, widened to `minimum` (px) if narrower; no width gives `minimum`.

    Sliders already long enough keep their length: grown by the presentation factor as well,
    a column of them left the readouts beside it too narrow for one line each at 1366 px.
    """
    if isinstance(width, str) and width.endswith("px"):
        try:
            return width if float(width[:-2]) >= float(minimum[:-2]) else minimum
        except ValueError:
            return width
    return width or minimum


def present(widget):
    """Give `widget`'s controls presentation sizes: the class, large text, tall buttons, wide names.

    Called by CourseWidget when built in presentation mode. Returns the widget.
    """
    sizes = style.PRESENTATION_CONTROLS
    for control in _descendants(widget):
        control_style = getattr(control, "style", None)
        if control is widget or control_style is None:
            continue
        if control_style.has_trait("font_size"):  # buttons, HTML and text labels
            control_style.font_size = sizes["font_size"]
        if control_style.has_trait("description_width") and control_style.description_width in ("", None):
            control_style.description_width = sizes["description_width"]
        if isinstance(control, widgets.Button):
            control.layout.height = sizes["control_height"]
            control.layout.width = _scaled_width(control.layout.width)
        elif isinstance(control, widgets.ToggleButtons):
            control_style.button_width = _scaled_width(control_style.button_width)
        elif isinstance(control, _WIDE_CONTROLS):
            control.layout.width = _at_least(control.layout.width, sizes["control_width"])
    css = widgets.HTML(_PRESENTATION_CSS.format(cls=PRESENTATION_CLASS, **sizes),
                       layout=widgets.Layout(display="none"))
    widget.children = (css, *widget.children)
    widget.add_class(PRESENTATION_CLASS)
    return widget
