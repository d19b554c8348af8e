"""Exercise checks: say "right", or give a hint specific to the mistake, or say it is not answered.

A notebook exercise ends with a call such as ``check.loss_of_the_example(answer)``. The answer
starts as ``None`` so the notebook runs top to bottom before anyone has answered; the check then
says so, without raising an error. Any other answer, however odd (text, True, a ragged list, a set,
a function, 10**400, a complex number), gets a hint that says what came: never a traceback, and
never "Correct" for something that is not the right number (`helpers.checking.answers` reads answers).

The outcome is a `Feedback`. In JupyterLab it shows as a coloured panel that says "Correct",
"Not yet" or "Not answered yet" in words (the colour and the panel's border style repeat what the
word says, for readers who cannot tell the colours apart); in a terminal, and in the text that
nbval compares, it is one plain line starting with the same words.
"""

import html
import sys
from dataclasses import dataclass

import numpy as np

from .answers import quoted_number, quotes_hint, read_array, read_number, read_shape, shown

CORRECT = "correct"
WRONG = "wrong"
UNANSWERED = "unanswered"

# What each status looks like: the words, a decoration that is in ordinary fonts (the words carry
# the meaning), the border (a colour of the course palette, helpers.plots.style.PALETTE, and a line style
# that differs too), a light background, and a darker shade of the colour for the words, which
# keeps a contrast of at least 4.5 : 1 on that background.
LOOK = {
    CORRECT: {"words": "Correct!", "mark": "\u2713", "border": "#009E73", "line": "solid",
              "background": "#E6F5EF", "ink": "#00664A"},
    WRONG: {"words": "Not yet.", "mark": "\u2717", "border": "#D55E00", "line": "dashed",
            "background": "#FCEEE5", "ink": "#9E4500"},
    UNANSWERED: {"words": "Not answered yet.", "mark": "?", "border": "#0072B2", "line": "dotted",
                 "background": "#E8F1F8", "ink": "#005A8C"},
}
TEXT_COLOUR = "#1B1B1B"
FONT_SIZE = "16px"               # the size of the course's prose in JupyterLab, and a little more
PRESENTATION_FONT_SIZE = "20px"  # as helpers.plots.style.PRESENTATION_CONTROLS["font_size"]
# Lines break between words only, never inside one ("co|mes"), and runs of spaces collapse.
WRAPPING = "white-space: normal; overflow-wrap: normal; word-break: normal"


def _font_size():
    # Presentation mode can only be on if helpers.plots.style was imported: look without importing it,
    # so that checks do not load matplotlib.
    style = sys.modules.get("helpers.plots.style")
    return PRESENTATION_FONT_SIZE if style is not None and style.presentation_active() else FONT_SIZE


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check: status is 'correct', 'wrong' or 'unanswered'; message says more."""

    status: str
    message: str

    @property
    def ok(self):
        """True only for a correct answer."""
        return self.status == CORRECT

    def __repr__(self):
        return f"{LOOK[self.status]['words']} {self.message}".rstrip()

    def _repr_html_(self):
        look = LOOK[self.status]
        return panel_html(look, f'<span aria-hidden="true">{look["mark"]}</span> {look["words"]}', self.message,
                          f"course-feedback-{self.status}")


def panel_html(look, label, message, css_class):
    """A coloured panel: `label` (HTML) in bold, then `message` (plain text), in the colours of `look`."""
    panel = (f"border: 2px {look['line']} {look['border']}; border-left-width: 8px; border-radius: 4px; "
             f"background: {look['background']}; color: {TEXT_COLOUR}; padding: 8px 12px; margin: 4px 0; "
             f"max-width: 48em; font-size: {_font_size()}; line-height: 1.5; {WRAPPING}")
    text = html.escape(message, quote=False).replace("\n", "<br>")
    return (f'<div class="course-feedback {css_class}" style="{panel}">'
            f'<span style="color: {look["ink"]}; font-weight: bold">{label}</span>{" " + text if text else ""}</div>')


def unanswered(what="your answer"):
    return Feedback(UNANSWERED, f"Replace None with {what}, then run the cell again.")


FALLBACK = "Work through it again, one step at a time. If you are stuck, unfold the worked solution below the exercise."


def _fires(test, value):
    """A hint function's verdict on `value`; one that fails on an odd value has simply not matched."""
    try:
        return bool(test(value))
    except Exception:
        return False


def first_matching_hint(value, hints, tol):
    """The message of the first hint that matches `value` (a float or a float64 array), or None.

    A hint is a (wrong_value, message) pair. wrong_value is a number or array, matched within `tol`
    (absolute or relative, as for the right answer), or a function of the answer returning True or False.
    """
    for wrong, message in hints:
        if callable(wrong):
            matched = _fires(wrong, value)
        else:
            wrong = np.asarray(wrong, dtype=np.float64)
            matched = wrong.shape == np.shape(value) and bool(np.allclose(value, wrong, rtol=tol, atol=tol))
        if matched:
            return message
    return None


def same_to_six_digits(value, expected):
    """True where `value` (a number or array) equals `expected` to six significant digits or more: within
    half a unit of expected's sixth digit, as 81.9999999 is of 82. Such an answer is right whatever the
    exercise's tolerance: what separates it from the answer is rounding, not a mistake."""
    value, expected = np.asarray(value, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    magnitude = np.abs(expected)
    sixth_digit = 10.0 ** (np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0))) - 5)
    return (magnitude > 0) & (np.abs(value - expected) <= 0.5 * sixth_digit * (1 + 1e-12))


def _close(value, expected, tol):
    """The comparison every numeric check makes: within `tol` (absolute or relative), or equal to six digits."""
    return np.isclose(value, expected, rtol=tol, atol=tol) | same_to_six_digits(value, expected)


def _not_it(value, expected):
    """'0.91 is not it', with as many digits as it takes to show how the answer differs from `expected`."""
    text = f"{value:.6g}"
    if text == f"{expected:.6g}":
        text = repr(float(value))
    return f"{text} is not it."


def check_number(answer, expected, *, what="a number", tol=1e-6, hints=(), praise="", array_hints=()):
    """Check a numeric answer against `expected` (absolute or relative tolerance `tol`; an answer equal to
    `expected` to six significant digits is right too, whatever `tol`).

    Text that holds a number ('0.09') is not a number: it gets a hint to remove the quotes.

    hints: (wrong_value, message) pairs. When the answer matches a known wrong value, its message
    is the hint; wrong_value may also be a function of the answer returning True or False.
    array_hints: (function, message) pairs for an answer of several numbers where one belongs (a
    whole softmax, say, where one probability was asked for); each function gets a float64 array.
    """
    if answer is None:
        return unanswered(what)
    value, problem = read_number(answer)
    if problem:
        array, _ = read_array(answer) if isinstance(answer, (list, tuple, np.ndarray)) else (None, None)
        hint = first_matching_hint(array, array_hints, tol) if array is not None else None
        expected_what = "a single number" if what == "a number" else f"{what}, a single number"
        return Feedback(WRONG, hint or f"Expected {expected_what}. {problem}")
    if _close(value, expected, tol):
        return Feedback(CORRECT, praise)
    hint = first_matching_hint(value, hints, tol)
    if hint:
        return Feedback(WRONG, hint)
    return Feedback(WRONG, f"{_not_it(value, expected)} {FALLBACK}")


def check_array(answer, expected, *, what="an array", tol=1e-6, hints=(), praise=""):
    """Check an array answer: the same shape as `expected` and every value within `tol` (or equal to six
    significant digits).

    hints: (wrong_array_or_function, message) pairs, as for check_number. A function gets the answer
    as a float64 array of any shape, so it may also recognise a slip that gives the wrong shape.
    """
    if answer is None:
        return unanswered(what)
    expected = np.asarray(expected, dtype=np.float64)
    array, problem = read_array(answer)
    if problem:
        return Feedback(WRONG, f"Expected {what} of numbers. {problem}")
    if array.shape == expected.shape and bool(np.all(_close(array, expected, tol))):
        return Feedback(CORRECT, praise)
    hint = first_matching_hint(array, hints, tol)
    if hint:
        return Feedback(WRONG, hint)
    if array.shape != expected.shape:
        return Feedback(WRONG, f"Expected shape {expected.shape}, but your answer has shape {array.shape}.")
    return Feedback(WRONG, "Some values are off. Compare your answer with the formula one entry at a time.")


def check_shape(answer, expected, *, what="a shape such as (2, 3)", hints=None, praise="", fallback=None):
    """Check a shape, such as (4, 3): a tuple, list or 1-D array of whole numbers.

    hints: {wrong_shape: message}. ("4", "3") is text and (True, 3) holds a truth value: neither is
    read as a shape, so neither can be correct.
    """
    if answer is None:
        return unanswered(what)
    shape, problem = read_shape(answer)
    if problem:
        return Feedback(WRONG, problem)
    expected = tuple(int(n) for n in expected)
    if shape == expected:
        return Feedback(CORRECT, praise)
    hints = {tuple(k): v for k, v in (hints or {}).items()}
    return Feedback(WRONG, hints.get(shape) or fallback or f"{shape} is not it. {FALLBACK}")


def _normalised(text):
    """Text compared without case, extra spaces, underscores or hyphens: 'Learning_rate  too-high'."""
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


def check_choice(answer, expected, options, *, hints=None, praise="", aliases=None):
    """Check a multiple-choice answer: one of `options`, compared without case, spaces, _ or -.

    hints: {option: message} for a wrong option. aliases: {other way of writing it: option}, for
    names a learner may reasonably use (a title as displayed, "backprop" for "backward"). Where every
    option is a number ('0.1', '1', '4'), the answer is a number too: 4 is read, '4' in quotes gets the
    hint to remove the quotes, as a number in quotes does in every check.
    """
    listed = ", ".join(repr(o) for o in options)
    if answer is None:
        return unanswered("one of " + listed)
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if isinstance(answer, (bool, np.bool_)):
        return Feedback(WRONG, f"{bool(answer)} is a truth value. Answer with one of {listed}, as text in quotes.")
    if isinstance(answer, (list, tuple)) and len(answer) == 1 and isinstance(answer[0], str):
        return Feedback(WRONG, f"Give one answer on its own, without the brackets: {answer[0]!r}, "
                               f"not {shown(answer)}.")
    numbers_only = all(quoted_number(o) is not None for o in options)
    if numbers_only and quoted_number(answer) is not None:
        return Feedback(WRONG, quotes_hint(answer))
    if isinstance(answer, (str, np.str_)):
        key = _normalised(answer)
    else:
        value, _ = read_number(answer)
        if value is None:
            return Feedback(WRONG, f"Choose one of {listed}, as text in quotes; got {shown(answer)}.")
        key = _normalised(f"{value:g}")
    known = {_normalised(o): o for o in options}
    known.update({_normalised(a): o for a, o in (aliases or {}).items() if _normalised(a) not in known})
    if key not in known:
        return Feedback(WRONG, f"Choose one of {listed}; got {shown(answer)}.")
    if known[key] == expected or _normalised(known[key]) == _normalised(expected):
        return Feedback(CORRECT, praise)
    hint = (hints or {}).get(known[key], "Not that one. Re-read the paragraph just before the exercise.")
    return Feedback(WRONG, hint)


__all__ = [
    "CORRECT", "WRONG", "UNANSWERED", "Feedback", "check_array", "check_choice", "check_number", "check_shape",
    "first_matching_hint", "read_array", "read_number", "read_shape", "same_to_six_digits", "unanswered",
]
