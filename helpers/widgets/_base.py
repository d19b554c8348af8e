"""What every widget shares: a figure shown as an image, and how numbers are written.

Widgets draw on a plain matplotlib Figure (not pyplot, so nothing is shown twice and no figure is
shared between widgets). A callback changes the artists' data, then `FigureView.render()` turns
the figure into a PNG for an `ipywidgets.Image`. Nothing is rebuilt on a move.

Displayed, a widget also carries a still PNG of its figure, which is what GitHub, nbviewer and
exported HTML show; JupyterLab shows the live widget instead. In presentation mode (see
`style.presentation_mode`) a widget is built with large text and controls.
"""

import base64
import html as htmllib
import io
import numbers
import re
import struct
import textwrap
import threading
import zlib

import ipywidgets as widgets
import numpy as np
from traitlets import Float, TraitError, observe, validate as trait_validator
from PIL import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import style, validate

DIVERGED = "diverged"

RENDER_LOCK = threading.RLock()
"""Held while a widget changes its figure and draws it. Matplotlib is not thread-safe (its fonts and
text caches are shared by every figure), and a recent kernel may hand widget messages to more than
one thread: two renders at once could draw one label's glyphs into another's."""


def _number_or_type_error(value, name, expected):
    """`value` as a finite float; a TypeError naming `name` and `expected` when it is not a number."""
    if callable(value) and not isinstance(value, (numbers.Real, np.generic)):
        raise TypeError(f"{name} must be {expected}, but got the function "
                        f"{getattr(value, '__name__', repr(value))}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be {expected}, but got {validate._describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number such as 10**400
        raise validate._too_large(value, name) from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be {expected}, but got {number}")
    return number


# ---- controls that refuse what no browser can send ----
# A browser sends a slider only numbers within its range and a dropdown only one of its options, but
# code can set anything: slider.value = float("nan"), dropdown.value = None. These controls refuse such
# a value with a TraitError that says what the control takes, and keep the value they had, so the
# widget's numbers and picture never see it.

def _control_name(control):
    return (getattr(control, "description", "") or "").strip() or type(control).__name__


def _refuse_non_finite(control, value, low, high):
    try:
        finite = bool(np.isfinite(value))
    except TypeError:
        finite = False
    if not finite:
        raise TraitError(f"the slider {_control_name(control)!r} takes a number from {low:g} to {high:g}, but got "
                         f"{value!r}; it keeps {control.value:g}")


class FloatSlider(widgets.FloatSlider):
    """ipywidgets' FloatSlider, refusing NaN and inf (it keeps its value and raises a clear TraitError)."""

    @trait_validator("value")
    def _validate_value(self, proposal):
        _refuse_non_finite(self, proposal["value"], self.min, self.max)
        return super()._validate_value(proposal)


class FloatLogSlider(widgets.FloatLogSlider):
    """ipywidgets' FloatLogSlider, refusing NaN and inf (it keeps its value and raises a clear TraitError)."""

    @trait_validator("value")
    def _validate_value(self, proposal):
        _refuse_non_finite(self, proposal["value"], self.base ** self.min, self.base ** self.max)
        return super()._validate_value(proposal)


class Dropdown(widgets.Dropdown):
    """ipywidgets' Dropdown, refusing None and values not among its options: it keeps its choice and
    raises a clear TraitError, before the widget's own callbacks see the value.

    (traitlets lets None past every validator of a trait that allows None, so None is caught as it
    arrives, by an observer that runs first: observers run in the order of their names.)
    """

    def _refuse(self, what, value, kept):
        listed = ", ".join(repr(v) for v in self._options_values)
        raise TraitError(f"the dropdown {_control_name(self)!r} takes one of {listed}, but its {what} was set to "
                         f"{value!r}; it keeps {kept!r}")

    @trait_validator("value")
    def _validate_value(self, proposal):
        try:
            return super()._validate_value(proposal)
        except TraitError:
            self._refuse("value", proposal["value"], self.value)

    @observe("value", "index", "label")
    def _a_choice_is_kept(self, change):
        if change["new"] is None and self._options_values and not self._initializing_traits_:
            self.set_trait(change["name"], change["old"])
            self._refuse(change["name"], None, self.value)


def start_number(value, name, low, high):
    """A control's starting value: a finite number from `low` to `high` (its range), else a clear error.

    One rule for every widget: a value the control cannot show is rejected with the allowed range,
    never quietly moved to the nearest end.
    """
    expected = f"a number from {low:g} to {high:g}"
    number = _number_or_type_error(value, name, expected)
    # a log slider's ends are powers of ten computed in floating point: allow their last digit
    if not low - 1e-9 * abs(low) <= number <= high + 1e-9 * abs(high):
        raise ValueError(f"{name} must be {expected} (the range of its slider), but got {number:g}")
    return number


def start_whole(value, name, low, high, step=1):
    """A starting count: a whole number from `low` to `high` (in steps of `step`), else a clear error."""
    expected = f"a whole number from {low} to {high}" + (f" in steps of {step}" if step != 1 else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        _number_or_type_error(value, name, expected)  # NaN, inf and non-numbers get their own message
        raise TypeError(f"{name} must be {expected}, but got {validate._describe(value)}")
    if not low <= value <= high or (value - low) % step:
        raise ValueError(f"{name} must be {expected} (the values its slider can show), but got {value}")
    return int(value)


def start_option(value, name, options):
    """One of `options` (text), else an error that lists them."""
    listed = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, but got {validate._describe(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {listed}, but got {value!r}")
    return value


def start_values(values, name, ranges):
    """Starting values given by name, e.g. {'w3': 0.5}: a dict whose keys are among `ranges`.

    `ranges` maps each valid key to its control's (low, high). Returns a new dict of floats holding
    only the keys given; the caller fills in the others. A list or tuple is rejected with a hint to
    name each value.
    """
    keys = ", ".join(repr(k) for k in ranges)
    example = "{" + ", ".join(f"{k!r}: {(low + high) / 2:g}" for k, (low, high) in ranges.items()) + "}"
    if isinstance(values, (list, tuple, np.ndarray)):
        count = len(values)
        raise TypeError(f"{name} must be a dict that names each value, such as {example}, but got a "
                        f"{type(values).__name__} of {count} value{'s' if count != 1 else ''}; the valid keys are "
                        f"{keys}")
    if not isinstance(values, dict):
        raise TypeError(f"{name} must be a dict such as {example} (valid keys {keys}), but got "
                        f"{validate._describe(values)}")
    if not values:
        raise ValueError(f"{name} is an empty dict; give at least one of the keys {keys}, or None for the defaults")
    unknown = [k for k in values if k not in ranges]
    if unknown:
        raise ValueError(f"{name} has unknown key{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(k) for k in unknown)}; the valid keys are {keys}")
    return {k: start_number(v, f"{name}[{k!r}]", *ranges[k]) for k, v in values.items()}


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


def _png_chunk(kind, data):
    """One PNG chunk: its length, its four-letter kind, the data and their CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rgba):
    """A drawn figure's pixels (height x width x RGBA) as PNG bytes, lightly compressed: speed matters more.

    The course's figures are opaque, so their alpha channel is dropped: the same picture in fewer bytes.
    A figure with see-through pixels keeps its alpha. The PNG is written here rather than by Pillow:
    Pillow tries five row filters on every row, which costs more than the compression itself, and on
    these flat, line-drawn pictures the unfiltered rows deflate as small (weight explorer: 3.4 ms and
    29.9 KiB against Pillow's 5.8 ms and 32.3 KiB). The pixels are the same either way.
    """
    pixels = np.asarray(rgba)
    if pixels.ndim != 3 or pixels.shape[2] != 4 or pixels.dtype != np.uint8:
        raise ValueError(f"rgba must be a height x width x 4 array of bytes, but got shape {pixels.shape} "
                         f"of {pixels.dtype}")
    channels = 3 if pixels[..., 3].min() == 255 else 4
    height, width = pixels.shape[:2]
    rows = np.empty((height, 1 + width * channels), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:].reshape(height, width, channels)[...] = pixels[..., :channels]
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)  # 8 bits, RGB(A)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


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


MINUS = "\N{MINUS SIGN}"
"""The sign every displayed number wears: readouts, labels and figures write −0.37, as the sliders' own
readouts do. Text a learner may copy into code (printed arrays, exercise answers) keeps Python's '-'."""

DIVERGED_ABOVE = 1e12
"""A number beyond this is shown as 'diverged' rather than as digits."""


def fmt(value, digits=4):
    """A number for a label: fixed digits with a true minus sign (U+2212), or 'diverged' when it is
    NaN, inf or astronomically large. A value that rounds to zero is written without a sign."""
    value = float(value)
    if not np.isfinite(value) or abs(value) > DIVERGED_ABOVE:
        return DIVERGED
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # "-0.0000" would suggest a tiny negative number is known to be negative
    return text.replace("-", MINUS)


def number(value, tiny_digits=2):
    """Like `fmt`, but a tiny number (below 0.001) in e-notation with `tiny_digits` after the point."""
    value = float(value)
    if np.isfinite(value) and value != 0 and abs(value) < 1e-3:
        return f"{value:.{tiny_digits}e}".replace("-", MINUS)
    return fmt(value)


def signed(value, digits=4):
    """A number with its sign always written ('+0.1410', '−0.1410'), or 'diverged'."""
    text = fmt(value, digits)
    return text if text == DIVERGED or text.startswith(MINUS) else "+" + text


_HYPHEN_MINUS = re.compile(r"(?<![\w-])-(?=\.?\d)|(?<=\de)-(?=\d)")


def with_minus_signs(text):
    """`text` with each '-' that is a number's sign (or an exponent's) turned into a true minus: for
    text made elsewhere and shown in a label. Hyphens in words ('cross-entropy') are left alone."""
    return _HYPHEN_MINUS.sub(MINUS, text)


def short(value):
    """A setting for a label in at most three significant digits ('0.5', '50', '−1.5'), true minus sign."""
    return f"{float(value):.3g}".replace("-", MINUS)


RISING_STEPS = 5
"""A loss that rose on each of this many last steps, to above where it started, keeps growing."""


def loss_diverged(losses, rising=RISING_STEPS):
    """The course's one rule for calling a run 'diverged' (COURSE.md, Figures and widgets).

    A run diverged when its loss became non-finite (or beyond DIVERGED_ABOVE), or when it keeps
    growing: it rose on each of the last `rising` steps and ends above its start. A loss that is
    finite and merely high, or jumps up and down, has not diverged: it may still come down.
    losses: the loss after each step, the start first (any 1-D sequence). Returns a bool.
    """
    losses = np.asarray(losses, dtype=np.float64).ravel()
    if losses.size == 0:
        raise ValueError("losses must hold at least one loss, got an empty sequence")
    if not np.all(np.isfinite(losses)) or np.max(np.abs(losses)) > DIVERGED_ABOVE:
        return True
    if losses.size <= rising:
        return False
    return bool(np.all(np.diff(losses[-rising - 1:]) > 0) and losses[-1] > losses[0])


LOG_DIGITS = 3
"""A log-scale slider's value counts to this many significant digits, the digits its readout shows."""


def log_slider(value, exponents, description, **kwargs):
    """A FloatLogSlider (base 10) from 10**exponents[0] to 10**exponents[1] that can hit round values.

    Its exponent moves in steps of 0.001, so every number of three significant digits (0.5, 50,
    0.0123) lies within 0.12 % of a point of its grid; `log_value` reads the slider back as that
    number. (With a step of 0.01 the browser moved a typed 0.5 to 10**-0.30 = 0.501.)
    """
    kwargs.setdefault("continuous_update", True)
    kwargs.setdefault("readout_format", f".{LOG_DIGITS}g")
    return FloatLogSlider(value=value, base=10, min=exponents[0], max=exponents[1], step=0.001,
                                  description=description, **kwargs)


def log_value(slider):
    """A log slider's value rounded to the LOG_DIGITS significant digits its readout shows: 0.50003 → 0.5."""
    return float(f"{float(slider.value):.{LOG_DIGITS}g}")


ROUND_MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
"""The round values of one power of ten a wide-range slider stops at: 0.01, 0.012, 0.015, 0.02, ... 0.08, 0.1.
Ten to a power of ten, so a learner crosses 0.001 to 100 in 50 presses of an arrow key."""
FINE_MANTISSAS = (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2, 2.2, 2.5, 2.8, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)
"""Twenty-one round values to a power of ten, for a slider whose range is shorter (0.1 to 3: 33 presses)."""
ROUND_NEIGHBOUR = 0.02
"""A starting value off the round values takes the place of any round value within 2 % of it (0.354 for 0.35)."""


def round_values(low, high, mantissas=ROUND_MANTISSAS):
    """The round numbers from `low` to `high` (both included): `mantissas` times each power of ten, as floats
    written with no more digits than they have (0.012, not 0.012000000000000002)."""
    values = []
    for exponent in range(int(np.floor(np.log10(low))) - 1, int(np.ceil(np.log10(high))) + 1):
        for mantissa in mantissas:
            value = float(f"{mantissa * 10.0 ** exponent:.6g}")
            if low * (1 - 1e-9) <= value <= high * (1 + 1e-9):
                values.append(value)
    return sorted(set(values))


def _round_label(value):
    return f"{value:.{LOG_DIGITS}g}".replace("-", MINUS)


class RoundSlider(widgets.SelectionSlider):
    """A slider that stops at round numbers (ipywidgets' SelectionSlider over (label, value) pairs).

    Each press of an arrow key moves it one stop, and its readout shows the number as a learner writes it
    (0.05, not 0.0501). Set from code, it takes one of its numbers (a float within a millionth of one is
    taken as that one); anything else, NaN and inf included, is refused with a clear TraitError, and the
    slider keeps its value.
    """

    value = Float(help="the number the slider stops at")  # a number, never None (traitlets' own error for None)

    @trait_validator("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        numbers_ = self._options_values
        try:
            close = [n for n in numbers_ if abs(float(value) - n) <= 1e-6 * abs(n)]
        except (TypeError, ValueError):
            close = []
        if close:
            return close[0]
        shown = ", ".join(_round_label(n) for n in numbers_[:4]) + ", …, " + _round_label(numbers_[-1])
        kept = self.value if self.value is not None else numbers_[0]
        raise TraitError(f"the slider {_control_name(self)!r} takes a number from {numbers_[0]:g} to "
                         f"{numbers_[-1]:g}, one of its stops ({shown}), but got {value!r}; it keeps {kept:g}")


def round_slider(value, values, description, **kwargs):
    """A RoundSlider over `values` (round numbers, rising) that starts at `value`, shown as it is.

    A starting value that is not among `values` becomes a stop of its own (any round value within
    ROUND_NEIGHBOUR of it gives way), so a widget never moves the value it was given.
    """
    value = float(value)
    if not any(abs(value - v) <= 1e-6 * abs(v) for v in values):
        values = sorted([v for v in values if abs(v - value) > ROUND_NEIGHBOUR * abs(value)] + [value])
    value = next(v for v in values if abs(value - v) <= 1e-6 * abs(v))
    kwargs.setdefault("continuous_update", True)
    return RoundSlider(options=[(_round_label(v), v) for v in values], value=value, description=description,
                       **kwargs)


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


def _plain(html):
    """The text of a label's HTML: tags dropped, entities such as &nbsp; turned back into characters."""
    text = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", html))
    return " ".join(htmllib.unescape(text).split())


def text_panel(lines, width_px):
    """PNG bytes of `lines` written in the course's look, one below the other, `width_px` pixels wide.

    Long lines wrap at word boundaries. Used under a widget's figure in its still picture.
    """
    import matplotlib as mpl

    chars = max(20, int(width_px / 7.2))  # about 7 px per character at the course's 11 pt
    wrapped = [part for line in lines for part in (textwrap.wrap(line, chars) or [""])]
    line_px = 19
    with mpl.rc_context(dict(style.current_rcparams())):
        fig = Figure(figsize=(width_px / style.DPI, (len(wrapped) * line_px + 14) / style.DPI), dpi=style.DPI)
        FigureCanvasAgg(fig)
        height = fig.bbox.height
        for i, line in enumerate(wrapped):
            fig.text(12 / width_px, 1 - (8 + (i + 0.5) * line_px) / height, line, va="center", ha="left",
                     fontsize=11)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()


def still_png(png, lines=()):
    """PNG bytes re-encoded for keeping in a notebook: opaque RGB, compressed harder, the same every run.

    lines: text to print under the picture (the numbers a widget shows beside its figure).
    """
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    if lines:
        panel = Image.fromarray(text_panel(lines, picture.width)).convert("RGB")
        both = Image.new("RGB", (picture.width, picture.height + panel.height), "white")
        both.paste(picture, (0, 0))
        both.paste(panel, (0, picture.height))
        picture = both
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=6)  # a third smaller than level 1; level 9 costs 6x the time
    return buffer.getvalue()


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
