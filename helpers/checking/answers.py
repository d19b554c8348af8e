"""Read a learner's answer as a number, an array or a shape, whatever was typed.

A learner may answer with anything Python can hold: text in quotes, True, a ragged list, a set, a
function, 10**400, a complex number, a list nested a thousand deep. Each reader here returns
either the value or, when the answer cannot be one, a short sentence that says what came and what
to do instead. None of them raises, and none turns something that is not a real number (text of
digits, a bool, a complex number with a zero imaginary part) into one.

    read_number(answer) -> (float, None) or (None, problem)
    read_array(answer)  -> (float64 ndarray, None) or (None, problem)
    read_shape(answer)  -> (tuple of ints, None) or (None, problem)
    shown(answer)       -> a short one-line repr, safe for any object
    quoted_number(answer) -> the number in text such as '0.09', or None (such text is never read as a number)
"""

import decimal
import math
import numbers
import reprlib

import numpy as np

# Deeper than this, a list is not an answer to any exercise (and a list holding itself never ends).
MAX_DEPTH = 16

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 6
_REPR.maxdict = 4
_REPR.maxstring = 40
_REPR.maxlong = 24
_REPR.maxother = 60


def shown(answer):
    """A short, one-line, deterministic repr of any answer, for quoting it back in a hint."""
    if isinstance(answer, np.ndarray):
        text = np.array2string(answer, threshold=8, edgeitems=2, precision=6, separator=", ")
    elif callable(answer) and hasattr(answer, "__name__"):
        return f"the function {answer.__name__}"
    else:
        try:
            text = _REPR.repr(answer)
        except Exception:  # an object whose repr itself fails
            return f"an object of type {type(answer).__name__}"
    text = " ".join(text.split())
    if " at 0x" in text:  # a default repr holds a memory address, different on every run
        return f"an object of type {type(answer).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def _foreign_array(x):
    """True for another library's array (a pandas Series, say), which NumPy can read."""
    return hasattr(x, "__array__") and not isinstance(x, (np.ndarray, np.generic, str, bytes))


def _is_real(x):
    """True for a real number of any kind Python or NumPy has, but not for a bool."""
    if isinstance(x, (bool, np.bool_)):
        return False
    return isinstance(x, (numbers.Real, decimal.Decimal))


def _object(x):
    """'an object of type B', with its repr when that says more: 'range(0, 3), an object of type range'."""
    text = shown(x)
    return text if text.startswith("an object of type") else f"{text}, an object of type {type(x).__name__}"


def _what_it_is(x):
    """A phrase naming a value that is not a real number: "text ('0.3')", "None", "a set"..."""
    if x is None:
        return "None"
    if isinstance(x, (bool, np.bool_)):
        return f"{bool(x)} (a truth value)"
    if isinstance(x, (str, bytes, np.str_)):
        return f"text ({shown(x)})"
    if isinstance(x, (numbers.Complex, np.complexfloating)):
        return f"a complex number ({shown(x)})"
    if isinstance(x, (set, frozenset)):
        return "a set"
    if isinstance(x, dict):
        return "a dict"
    if callable(x):
        return "a function"
    return _object(x)


def quoted_number(answer):
    """The number that text such as '0.09' or ' 4 ' holds, or None (for text that is no finite number, and
    for any answer that is not text).

    Every check of the course reads such an answer the same way: as text, not a number. It is never
    marked right; its hint (`quotes_hint`) says that a number needs no quotes.
    """
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if not isinstance(answer, (str, bytes, np.str_)):
        return None
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def quotes_hint(answer):
    """The hint for a number written as text, such as '0.09'."""
    return (f"{shown(answer)} is a number written as text, in quotes. Remove the quotes: a number needs none, "
            "and without them Python reads it as a number.")


def _number_problem(x):
    """What to say when `x`, given where one number belongs, is not a real number."""
    if isinstance(x, (bool, np.bool_)):
        return f"{bool(x)} is a truth value, not a number."
    if isinstance(x, (str, bytes, np.str_)):
        if quoted_number(x) is None:
            return f"{shown(x)} is text, not a number."
        return quotes_hint(x)
    if isinstance(x, (numbers.Complex, np.complexfloating)):
        return (f"{shown(x)} is a complex number. The answer is a real number, with no imaginary part "
                "(nothing with j).")
    if isinstance(x, (set, frozenset)):
        return f"{shown(x)} is a set, not a number."
    if isinstance(x, dict):
        return f"{shown(x)} is a dict, not a number."
    if callable(x):
        return (f"That is {shown(x)} itself, not a number. Call it, with its inputs in brackets, and "
                "give what it returns.")
    return f"That is {_object(x)}, not a number."


def _finite(value, shown_as):
    """(value, None) if finite, else (None, a sentence about the nan or inf)."""
    if math.isnan(value):
        return None, ("That is nan, 'not a number': something in the calculation had no answer "
                      "(0/0, say, or the log of a negative number).")
    if math.isinf(value):
        return None, f"{shown_as} is infinite: something in the calculation overflowed or divided by zero."
    return value, None


def _too_large(x):
    digits = len(str(abs(int(x)))) if isinstance(x, numbers.Integral) else None
    size = f" (it has {digits} digits)" if digits else ""
    return f"That number is too large to work with{size}: far larger than any answer here."


def read_number(answer):
    """(the answer as a float, None), or (None, a sentence saying why it is not one number)."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if _is_real(answer):
        try:
            value = float(answer)
        except OverflowError:
            return None, _too_large(answer)
        except (TypeError, ValueError):
            return None, _number_problem(answer)
        return _finite(value, shown(answer))
    if isinstance(answer, (list, tuple, np.ndarray)) or _foreign_array(answer):
        array, problem = read_array(answer)
        if problem:
            return None, f"That is a list or array, not one number. {problem}"
        if array.ndim == 0:
            return float(array), None
        if array.size == 1:
            return None, (f"That is one number inside a list or array: {shown(answer)}. Give the number "
                          "itself, without the brackets (for example answer[0]).")
        return None, f"That is {array.size} numbers (shape {array.shape}), but the answer is a single number."
    return None, _number_problem(answer)


def _position(path):
    return "".join(f"[{i}]" for i in path)


def _read_nested(x, path, depth):
    """(float64 array, None) or (None, problem) for a leaf, list, tuple or array inside an answer."""
    if depth > MAX_DEPTH:
        return None, f"It is nested more than {MAX_DEPTH} levels deep: that is not an array of this exercise."
    if _foreign_array(x):
        try:  # another library's array (a pandas Series, say): read what NumPy makes of it
            x = np.asarray(x)
        except Exception:
            return None, f"{shown(x)} could not be read as an array of numbers."
    if isinstance(x, np.ndarray):
        kind = x.dtype.kind
        if kind in "fiu":
            array = x.astype(np.float64)
            return array, None
        if kind == "O":
            x = x.tolist()
            if not isinstance(x, list):
                return _read_nested(x, path, depth + 1)
        else:
            names = {"b": "True/False values", "c": "complex numbers", "U": "text", "S": "text"}
            return None, f"It holds {names.get(kind, 'values of type ' + str(x.dtype))}, not real numbers."
    if isinstance(x, (list, tuple)):
        if all(_is_real(v) and not isinstance(v, decimal.Decimal) for v in x):
            try:
                return np.array(x, dtype=np.float64).reshape(len(x)), None
            except OverflowError:
                return None, f"Entry {_position(path)}[...] is a number too large to work with."
        parts = []
        for i, item in enumerate(x):
            array, problem = _read_nested(item, path + (i,), depth + 1)
            if problem:
                return None, problem
            parts.append(array)
        shapes = {p.shape for p in parts}
        if len(shapes) > 1:
            lengths = ", ".join(f"entry {_position(path + (i,))} has {p.shape[0] if p.ndim else 1}"
                                for i, p in enumerate(parts[:4]))
            return None, (f"Its rows have different lengths ({lengths}{', ...' if len(parts) > 4 else ''}), "
                          "so it is not a table of numbers. Every row needs the same number of entries.")
        if not parts:
            return np.zeros((0,)), None
        return np.stack(parts), None
    if _is_real(x):
        try:
            return np.array(float(x)), None
        except OverflowError:
            return None, f"Entry {_position(path)} is a number too large to work with."
    where = f"Entry {_position(path)}" if path else "It"
    return None, f"{where} is {_what_it_is(x)}, where a number belongs."


def read_array(answer):
    """(the answer as a float64 array, None), or (None, a sentence saying why it is not an array of numbers).

    Lists, tuples and NumPy arrays of real numbers are read, nested to any regular shape. Ragged rows,
    text (even text of digits), truth values, complex numbers, None, sets, dicts and functions are
    not numbers, and neither are nan and inf: each gets a sentence naming it and where it sits.
    """
    try:
        array, problem = _read_nested(answer, (), 0)
    except (RecursionError, MemoryError):
        return None, "It is too large or too deeply nested to read as an array of numbers."
    if problem:
        return None, problem
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        value = array[bad]
        name = "nan ('not a number')" if np.isnan(value) else "an infinite value"
        where = f" at {_position(bad)}" if bad else ""
        return None, (f"It holds {name}{where}: something in the calculation had no answer or overflowed "
                      "(0/0, the log of 0, a huge exponent).")
    return array, None


def read_shape(answer):
    """(the answer as a tuple of whole numbers, None), or (None, a sentence saying why it is not a shape).

    A shape is a tuple, list or 1-D array of whole numbers, such as (4, 3); a single whole number n is
    read as (n,). ("4", "3") is text, not a shape; (4.0, 3.0) is read as (4, 3).
    """
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if _is_real(answer):
        items = [answer]
    elif isinstance(answer, (list, tuple, np.ndarray)):
        if isinstance(answer, np.ndarray) and answer.ndim != 1:
            return None, f"A shape is a plain pair such as (2, 3), not a table of shape {answer.shape}."
        items = list(answer)
    else:
        return None, f"A shape is a pair of whole numbers such as (2, 3). {_number_problem(answer)}"
    if len(items) > 8:  # no array of this course has more than a few dimensions
        return None, f"That is {len(items)} values; a shape has one whole number per dimension, such as (2, 3)."
    sizes = []
    for item in items:
        if isinstance(item, (list, tuple, np.ndarray)):
            return None, "A shape is a flat pair of whole numbers such as (2, 3), with no brackets inside."
        value, problem = read_number(item)
        if problem:
            return None, f"A shape is a pair of whole numbers such as (2, 3). {problem}"
        if value != int(value) or value < 0:
            return None, f"{shown(item)} is not a whole number of rows or columns: a shape counts them, 0, 1, 2, ..."
        sizes.append(int(value))
    return tuple(sizes), None
