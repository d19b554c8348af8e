"""How the course writes a number for a reader: in a figure, a widget's label, a graph's node.

One set of rules for every picture and readout:

- a true minus sign (U+2212), '−0.37', as the sliders' own readouts write it; text a learner may
  copy into code (printed arrays, exercise answers) keeps Python's '-' and is not made here;
- 'diverged' instead of digits for NaN, inf, or a number beyond DIVERGED_ABOVE;
- no minus sign on a value that rounds to zero: '−0.0000' would claim a sign the digits cannot show.

The page widgets' JavaScript (widgets/page/js/course.js) mirrors fmt, signed, short and number, and
their tests compare the two on the same numbers.
"""

import re

import numpy as np

MINUS = "\N{MINUS SIGN}"
"""The sign every displayed number wears: readouts, labels and figures write −0.37, as the sliders' own
readouts do. Text a learner may copy into code (printed arrays, exercise answers) keeps Python's '-'."""

DIVERGED = "diverged"

DIVERGED_ABOVE = 1e12
"""A number beyond this is shown as 'diverged' rather than as digits."""


def true_minus(text):
    """`text` (a number Python wrote) with each '-' made a true minus sign: '-0.5e-03' → '−0.5e−03'."""
    return text.replace("-", MINUS)


def fixed(value, digits=4, *, signed=False, e_from=None):
    """A number with `digits` digits after the point, a true minus sign, or 'diverged'.

    signed: write '+' before a positive number (and before a value that rounds to zero).
    e_from: from this size up, e-notation with `digits` digits ('1.234e+05'), for figures whose
    labels would otherwise grow long; None keeps fixed digits up to DIVERGED_ABOVE.
    """
    value = float(value)
    if not np.isfinite(value) or abs(value) > DIVERGED_ABOVE:
        return DIVERGED
    sign = "+" if signed else ""
    kind = "e" if e_from is not None and abs(value) >= e_from else "f"
    text = f"{value:{sign}.{digits}{kind}}"
    if text.startswith("-") and float(text) == 0:
        text = sign + text[1:]  # "−0.0000" would suggest a tiny negative number is known to be negative
    return true_minus(text)


def fmt(value, digits=4):
    """A number for a label: fixed digits with a true minus sign (U+2212), or 'diverged' when it is
    NaN, inf or astronomically large. A value that rounds to zero is written without a sign."""
    return fixed(value, digits)


def number(value, tiny_digits=2):
    """Like `fmt`, but a tiny number (below 0.001) in e-notation with `tiny_digits` after the point."""
    value = float(value)
    if np.isfinite(value) and value != 0 and abs(value) < 1e-3:
        return true_minus(f"{value:.{tiny_digits}e}")
    return fmt(value)


def signed(value, digits=4):
    """A number with its sign always written ('+0.1410', '−0.1410'), or 'diverged'."""
    text = fmt(value, digits)
    return text if text == DIVERGED or text.startswith(MINUS) else "+" + text


def significant(value, digits=3):
    """A number to `digits` significant digits with a true minus sign: '0.5', '50', '−1.5', '2e+05'."""
    return true_minus(f"{value:.{digits}g}")


def short(value):
    """A setting for a label in at most three significant digits ('0.5', '50', '−1.5'), true minus sign."""
    return significant(float(value), 3)


_HYPHEN_MINUS = re.compile(r"(?<![\w-])-(?=\.?\d)|(?<=\de)-(?=\d)")


def with_minus_signs(text):
    """`text` with each '-' that is a number's sign (or an exponent's) turned into a true minus: for
    text made elsewhere and shown in a label. Hyphens in words ('cross-entropy') are left alone."""
    return _HYPHEN_MINUS.sub(MINUS, text)
