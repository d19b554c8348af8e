"""What a learner's function returned, read as numbers and named for a hint (helpers.checking.codecheck).

`read_numbers` turns a result into the numbers a check compares, or a sentence saying why it cannot;
`same` compares them to about six significant digits; the rest find the first nan, infinity or complex
number inside a result and name its place the way the learner wrote it: 'dL_dw3 (the 3rd value it
returns)'.
"""

import ast
import inspect
import math
import numbers
import textwrap

import numpy as np

# Results are right when they differ from the right ones by at most this much relative to the largest of
# them (so about six significant digits): float32 arithmetic, good to about seven, passes.
TOLERANCE = 1e-6
# Results that miss TOLERANCE but agree this closely (five significant digits) come from the right method
# with a rounded constant or float32 arithmetic: the hint says so.
NEAR_TOLERANCE = 1e-5
# Below this size a difference is rounding whatever the scale (a right answer of exactly 0).
_TINY = 1e-12


def read_numbers(value, count):
    """`value` as a tuple of `count` floats, or (None, a sentence saying what is wrong with it)."""
    def one(item):
        if isinstance(item, bool) or not isinstance(item, (numbers.Real, np.floating, np.integer)):
            if isinstance(item, np.ndarray) and item.ndim == 0:
                return one(item.item())
            return None
        return float(item)

    kind = "a number" if count == 1 else f"{count} numbers"
    if value is None:
        return None, (f"Your function returned None. Make its last line `return` followed by {kind}; "
                      "a function without `return` gives back None.")
    if type(value).__name__ == "Value":
        return None, ("Your function returned a Value. Return plain numbers: a Value's number is its "
                      "`.data`.")
    if count == 1:
        number = one(value)
        if number is None:
            return None, f"Expected a single number, but your function returned {shown(value)}."
        return (number,), None
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__"):
        return None, f"Expected {kind} as a tuple, but your function returned {shown(value)}."
    if len(value) != count:
        return None, (f"Expected {kind} as a tuple, but your function returned {len(value)}: "
                      f"{shown(value)}.")
    numbers_ = [one(item) for item in value]
    if any(n is None for n in numbers_):
        return None, f"Expected {kind}, but your function returned {shown(value)}."
    return tuple(numbers_), None


def shown(value):
    """A short one-line repr of any value, without memory addresses."""
    try:
        text = repr(value)
    except Exception:
        text = f"a {type(value).__name__}"
    if " at 0x" in text:  # a default repr holds a memory address, which changes every run
        text = f"a {type(value).__name__} object"
    return text if len(text) <= 80 else text[:77] + "..."


def largest(*tuples):
    return max((abs(v) for t in tuples for v in t if math.isfinite(v)), default=0.0)


def same(a, b, tol=TOLERANCE):
    """True if the two tuples of numbers agree: every entry within `tol` times the largest entry of either
    (float32 rounds every entry by about 1e-7 of the largest numbers in the calculation), nan with nan."""
    if len(a) != len(b):
        return False
    allowed = tol * largest(a, b) + _TINY
    return all((math.isnan(x) and math.isnan(y)) or (x == y) or abs(x - y) <= allowed for x, y in zip(a, b))


def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _first_among_entries(value, path, depth, find):
    """find(entry, its path, depth + 1) for each entry of a dict, tuple or list (the first 1000), in order:
    the first answer that is not None, or None."""
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (tuple, list)):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items[:1000]:
        found = find(item, path + (key,), depth + 1)
        if found:
            return found
    return None


def first_non_finite(value, path=(), depth=0):
    """(path, number) of the first nan or inf inside a returned value (numbers, tuples, lists, dicts,
    arrays), or None. A path holds tuple positions, dict keys and array indices."""
    if depth > 6:
        return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and value.ndim > 0:
        bad = np.argwhere(~np.isfinite(value))
        if len(bad):
            index = tuple(int(i) for i in bad[0])
            return path + (index,), value[index]
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        return None if math.isfinite(value) else (path, value)
    return _first_among_entries(value, path, depth, first_non_finite)


def returned_names(function, count):
    """What the function's last `return a, b, c` writes for each of its `count` values, as (text, whether
    it is a plain name) pairs, or None."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    definitions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    if not definitions:
        return None
    returns = [node for node in ast.walk(definitions[0]) if isinstance(node, ast.Return)]
    if not returns or not isinstance(returns[-1].value, ast.Tuple) or len(returns[-1].value.elts) != count:
        return None
    names = [ast.unparse(element) for element in returns[-1].value.elts]
    return [(n if len(n) <= 40 else n[:37] + "...", isinstance(e, ast.Name))
            for n, e in zip(names, returns[-1].value.elts)]


def where_in_result(function, value, path):
    """How a hint names the place `path` inside the returned `value`: 'dL_dw3 (the 3rd value it returns)'."""
    def index(key):
        if isinstance(key, tuple):
            return "[" + ", ".join(str(k) for k in key) + "]"
        return f"[{key!r}]"

    if not path:
        return "the number it returns"
    first, rest = path[0], "".join(index(k) for k in path[1:])
    if isinstance(value, (tuple, list)):
        names = returned_names(function, len(value))
        nth = f"the {ordinal(first + 1)} value it returns"
        if names and names[first][1]:
            return f"{names[first][0]} ({nth})" if not rest else f"{names[first][0]}{rest}"
        if names and not rest:
            return f"{nth} (`{names[first][0]}`)"
        return nth if not rest else f"entry {rest} of {nth}"
    return f"its result{index(first)}{rest}"


def first_complex(value, path=(), depth=0):
    """(path, number) of the first complex number inside a returned value (numbers, tuples, lists, dicts,
    arrays, even with a zero imaginary part: a complex dtype means the calculation went through complex
    numbers), or None."""
    if depth > 6:
        return None
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "c":
            if value.ndim == 0 or value.size == 0:
                return path, complex(value.ravel()[0]) if value.size else complex(0)
            bad = np.argwhere(value.imag != 0)
            index = tuple(int(i) for i in bad[0]) if len(bad) else (0,) * value.ndim
            return path + (index,), value[index]
        if value.dtype == object and value.size:
            for index in np.ndindex(*value.shape[:1]):
                found = first_complex(value[index], path + (index,), depth + 1)
                if found:
                    return found
        return None
    if isinstance(value, (complex, np.complexfloating)):
        return path, value
    return _first_among_entries(value, path, depth, first_complex)


def near_miss(got, right, case):
    """The hint for results that agree to about five significant digits but not within TOLERANCE, or None."""
    scale = largest(right)
    if scale == 0.0 or not same(got, right, NEAR_TOLERANCE):
        return None
    i = max(range(len(got)), key=lambda k: abs(got[k] - right[k]))
    digits = int(min(15, -math.log10(max(abs(got[i] - right[i]) / scale, 1e-15))))
    entry = f"the {ordinal(i + 1)} number: " if len(got) > 1 else ""
    where = f"{case.name}" + (f" ({case.show})" if case.show else "")
    return (f"On {where} your function gives {entry}{got[i]:.9g}, where the right answer is {right[i]:.9g}. "
            f"They agree to {digits} significant digits, so your method is right; the last digits differ. "
            "The likely cause is a constant written with a few decimals (write it in full, or let Python "
            "compute it) or float32 arithmetic (use ordinary Python floats or float64).")


def non_finite_sentence(function, case, returned, numbers_):
    """The hint for results whose numbers (`numbers_`, read from `returned`) hold nan or inf."""
    found = first_non_finite(returned)
    if found:
        path, bad = found
        place = where_in_result(function, returned, path)
    else:
        position = next(i for i, v in enumerate(numbers_) if not math.isfinite(v))
        place, bad = f"the {ordinal(position + 1)} of the {len(numbers_)} numbers checked", numbers_[position]
    where = f"{case.name}" + (f" ({case.show})" if case.show else "")
    if math.isnan(bad):
        kind, cause = "nan, 'not a number'", "had no answer (0/0, inf − inf, the log of a negative number)"
    else:
        kind, cause = "infinite", "overflowed (an exponent too large) or divided by zero"
    return (f"On {where}, {place} is {kind}. The right answer is always a finite number, so something "
            f"in that calculation {cause}. Look at the line that computes it.")


def complex_sentence(function, case, observed, found, returned_as_is):
    """The hint for a result holding a complex number, `found` = (path, number) by first_complex. A complex
    number is never a right answer here, even with a zero imaginary part. `returned_as_is`: `observed` is
    what the function returned, so the path can be named as the learner wrote it."""
    path, bad = found
    place = where_in_result(function, observed, path) if returned_as_is else "a number your function gives"
    number = complex(bad)
    return (f"On {case.name}" + (f" ({case.show})" if case.show else "") + f", {place} is the complex number "
            f"{number.real:.6g}{number.imag:+.6g}j. Every answer here is a real number. In Python a negative number "
            "raised to a fractional power, such as (-0.5) ** 0.5, gives a complex number, and so do cmath and "
            "complex arrays: look for a power or a square root of something that can be negative.")
