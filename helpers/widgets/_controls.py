"""Controls that refuse what no browser can send, and sliders that stop at round numbers.

A browser sends a slider only numbers within its range and a dropdown only one of its options, but
code can set anything: slider.value = float("nan"), dropdown.value = None. These controls refuse such
a value with a TraitError that says what the control takes, and keep the value they had, so the
widget's numbers and picture never see it.
"""

import ipywidgets as widgets
import numpy as np
from traitlets import Float, TraitError, observe, validate as trait_validator

from ..formatting import significant


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
    return significant(value, LOG_DIGITS)


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
