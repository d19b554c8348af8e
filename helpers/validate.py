"""Checks at the public boundary of `helpers`.

Every function here either returns a clean value or raises an error that names the argument,
what was expected and what came, so a learner never sees a crash from deep inside NumPy.
"""

import inspect
import numbers

import numpy as np


def describe(value):
    """A short, readable description of what a caller passed, for an error message: 'an array of shape
    (2, 3) (float64)', or its repr (at most 60 characters, on one line) and its type: "'abc' (str)"."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})"
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


_describe = describe  # the name it had while it was private; older code imports it


# The largest float64, about 1.8e308: a whole number beyond it cannot become a float.
_LARGEST_FLOAT = float(np.finfo(np.float64).max)


def _too_large(value, name):
    """The error for a whole number beyond the largest float, e.g. 10**400, naming the argument."""
    digits = str(abs(int(value)))
    sign = "-" if value < 0 else ""
    shown = f"{sign}{digits[0]}.{digits[1:3].ljust(2, '0')}e{len(digits) - 1}"
    return ValueError(f"{name} is too large to be a float: {shown} (a whole number of {len(digits)} digits), but the "
                      f"largest float is about 1.8e308; use a number below that")


def as_array(value, name, *, ndim=None, allow_empty=False):
    """Return `value` as a float64 NumPy array, or raise a clear error.

    Rejects strings, non-numeric and complex arrays (TypeError), and empty arrays, NaN, inf and
    arrays of the wrong number of dimensions (ValueError). `ndim` may be an int or a tuple of
    allowed ints.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, but got the text {value!r}")
    if isinstance(value, (set, frozenset, dict)):
        raise TypeError(f"{name} must be a number or an array of numbers (a list or NumPy array), but got "
                        f"{describe(value)}; a {type(value).__name__} keeps no order, so use a list")
    if callable(value):
        raise TypeError(f"{name} must be a number or an array of numbers, but got the function {_name_of(value)}; "
                        "did you mean to call it?")
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and other shapes NumPy cannot make an array of
        raise TypeError(f"{name} must be a number or an array of numbers, but got {describe(value)}") from exc
    if array.dtype == object:  # whole numbers beyond the largest float (10**400) make an object array
        for index in np.ndindex(array.shape):
            item = array[index]
            if isinstance(item, numbers.Integral) and not isinstance(item, bool) and abs(item) > _LARGEST_FLOAT:
                where = f"{name}[{', '.join(str(i) for i in index)}]" if array.ndim else name
                raise _too_large(item, where)
    if array.dtype == bool:
        raise TypeError(f"{name} must hold numbers, but it holds True/False values; use 1.0 and 0.0 instead")
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, but it holds values of type {array.dtype}")
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must hold real numbers, but it holds complex numbers")
    array = array.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be a {wanted} array, but it has shape {array.shape} ({array.ndim}-D)")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {array.shape}); expected at least one value")
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" at index {tuple(int(i) for i in bad)}" if array.ndim else ""
        what = "NaN" if np.isnan(array[tuple(bad)]) else "inf"
        raise ValueError(f"{name} contains {what}{where}; every value must be a finite number")
    return array


def as_number(value, name):
    """Return `value` as a finite float, or raise a clear error."""
    if type(value) is float and value - value == 0.0:  # the common case, checked cheaply: finite
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return as_number(value.item(), name)
        raise TypeError(f"{name} must be a real number, but got {describe(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise _too_large(value, name) from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, but got {number}")
    return number


def _name_of(function):
    return getattr(function, "__name__", None) or repr(function)


def seed(value, name="seed"):
    """Return a random seed: None (a fresh random start each time) or a whole number >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a whole number of at least 0 (or None), but got {describe(value)}")
    if value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0 (or None), but got {value}")
    return int(value)


def function(value, name, example, arguments=None):
    """Return `value` if it can be called (with `arguments` positional arguments, if given).

    Otherwise raise a TypeError showing what kind of function is wanted.
    """
    if not callable(value):
        raise TypeError(f"{name} must be a function such as {example}, but got {describe(value)}")
    if arguments is None:
        return value
    takes = None
    if isinstance(value, np.ufunc):  # NumPy's functions take an output array after their inputs
        if value.nin != arguments:
            takes = f"{value.nin}"
    else:
        try:
            signature = inspect.signature(value)
        except (TypeError, ValueError):  # some built-ins hide their signature: let the call decide
            signature = None
        if signature is not None:
            try:
                signature.bind(*range(arguments))
            except TypeError:
                takes = f"the arguments {signature}"
    if takes is not None:
        raise TypeError(f"{name} must be a function of {arguments} arguments, such as {example}, but "
                        f"{_name_of(value)} takes {takes}")
    return value


def learning_rate(eta, name="eta"):
    """Return the learning rate as a float: a positive, finite number."""
    eta = as_number(eta, name)
    if eta <= 0:
        raise ValueError(f"{name} (the learning rate) must be a positive number, but got {eta}")
    return eta


def positive_int(value, name, *, minimum=1, maximum=None):
    """Return `value` as an int that is at least `minimum` and, when `maximum` is given, at most `maximum`."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a whole number, but got {describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, but got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, but got {int(value):,}: a picture needs far fewer, "
                         "and that many would take too long and too much memory")
    return int(value)


def choice(value, name, options):
    """Return `value` if it is one of `options`, else raise a ValueError listing them."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, but got {value!r}")
    return value
