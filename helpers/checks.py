"""Exercise checks: say "right", or give a hint specific to the mistake, or say it is not answered.

A notebook exercise ends with a call such as ``check.loss_of_the_example(answer)``. The answer
starts as ``None`` so the notebook runs top to bottom before anyone has answered; the check then
says so, without raising an error.
"""

from dataclasses import dataclass

import numpy as np

CORRECT = "correct"
WRONG = "wrong"
UNANSWERED = "unanswered"


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
        mark = {CORRECT: "✅ Correct!", WRONG: "❌ Not yet.", UNANSWERED: "✏️ Not answered yet."}[self.status]
        return f"{mark} {self.message}".rstrip()


def unanswered(what="your answer"):
    return Feedback(UNANSWERED, f"Replace None with {what}, then run the cell again.")


def _as_float_array(answer):
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def check_number(answer, expected, *, what="a number", tol=1e-6, hints=(), praise=""):
    """Check a numeric answer against `expected` (absolute or relative tolerance `tol`).

    hints: (wrong_value, message) pairs. When the answer matches a known wrong value, its message
    is the hint; wrong_value may also be a function of the answer returning True or False.
    """
    if answer is None:
        return unanswered(what)
    if isinstance(answer, (str, bytes, bool)) or np.ndim(answer) != 0 or _as_float_array(answer) is None:
        return Feedback(WRONG, f"Expected {what} (a single number), but got {answer!r}.")
    value = float(answer)
    if not np.isfinite(value):
        return Feedback(WRONG, f"Expected a finite number, but got {value}.")
    if np.isclose(value, expected, rtol=tol, atol=tol):
        return Feedback(CORRECT, praise)
    for wrong, message in hints:
        matched = wrong(value) if callable(wrong) else np.isclose(value, wrong, rtol=tol, atol=tol)
        if matched:
            return Feedback(WRONG, message)
    return Feedback(WRONG, f"{value:.6g} is not it. Check each step against the worked example above.")


def check_array(answer, expected, *, what="an array", tol=1e-6, hints=(), praise=""):
    """Check an array answer: the same shape as `expected` and every value within `tol`.

    hints: (wrong_array_or_function, message) pairs, as for check_number.
    """
    if answer is None:
        return unanswered(what)
    expected = np.asarray(expected, dtype=np.float64)
    array = _as_float_array(answer)
    if array is None or isinstance(answer, (str, bytes)):
        return Feedback(WRONG, f"Expected {what} of numbers, but got {answer!r}.")
    if array.shape != expected.shape:
        for wrong, message in hints:
            if callable(wrong) and wrong(array):
                return Feedback(WRONG, message)
        return Feedback(WRONG, f"Expected shape {expected.shape}, but your answer has shape {array.shape}.")
    if np.allclose(array, expected, rtol=tol, atol=tol):
        return Feedback(CORRECT, praise)
    for wrong, message in hints:
        if callable(wrong):
            matched = wrong(array)
        else:
            wrong = np.asarray(wrong, dtype=np.float64)
            matched = wrong.shape == array.shape and np.allclose(array, wrong, rtol=tol, atol=tol)
        if matched:
            return Feedback(WRONG, message)
    return Feedback(WRONG, "Some values are off. Compare your answer with the formula one entry at a time.")


def check_choice(answer, expected, options, *, hints=None, praise=""):
    """Check a multiple-choice answer: one of `options` (compared without case or spaces)."""
    if answer is None:
        return unanswered("one of " + ", ".join(repr(o) for o in options))
    key = str(answer).strip().lower()
    normalised = {str(o).strip().lower(): o for o in options}
    if key not in normalised:
        return Feedback(WRONG, f"Choose one of {', '.join(repr(o) for o in options)}; got {answer!r}.")
    if key == str(expected).strip().lower():
        return Feedback(CORRECT, praise)
    hint = (hints or {}).get(normalised[key], "Not that one. Re-read the paragraph above the exercise.")
    return Feedback(WRONG, hint)
