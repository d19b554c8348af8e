"""A widget's starting values, checked as it is built: a number, count or option its controls can show.

One rule for every widget: a value the control cannot show is rejected with the allowed range, never
quietly moved to the nearest end. Errors name the argument, what was expected and what came.
"""

import numbers

import numpy as np

from .. import validate


def _number_or_type_error(value, name, expected):
    """`value` as a finite float; a TypeError naming `name` and `expected` when it is not a number."""
    if callable(value) and not isinstance(value, (numbers.Real, np.generic)):
        raise TypeError(f"{name} must be {expected}, but got the function "
                        f"{getattr(value, '__name__', repr(value))}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be {expected}, but got {validate.describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # a whole number such as 10**400
        raise validate._too_large(value, name) from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be {expected}, but got {number}")
    return number


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
        raise TypeError(f"{name} must be {expected}, but got {validate.describe(value)}")
    if not low <= value <= high or (value - low) % step:
        raise ValueError(f"{name} must be {expected} (the values its slider can show), but got {value}")
    return int(value)


def start_option(value, name, options):
    """One of `options` (text), else an error that lists them."""
    listed = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, but got {validate.describe(value)}")
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
                        f"{validate.describe(values)}")
    if not values:
        raise ValueError(f"{name} is an empty dict; give at least one of the keys {keys}, or None for the defaults")
    unknown = [k for k in values if k not in ranges]
    if unknown:
        raise ValueError(f"{name} has unknown key{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(repr(k) for k in unknown)}; the valid keys are {keys}")
    return {k: start_number(v, f"{name}[{k!r}]", *ranges[k]) for k, v in values.items()}
