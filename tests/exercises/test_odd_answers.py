"""Any answer, however odd, gets a plain hint: never a traceback, and never a wrong "Correct".

A ragged list, 10**400, nan in a shape, the right answer plus 1j, ("4", "3") for the shape (4, 3):
each is a slip a learner can make, and each must come back as a hint. Every public check of every
notebook (found by introspection, so new ones are covered) is called with every answer below, none of
which can be right, and with its own right answer turned into text (a number in quotes is text in every
check) and into a complex number.
"""

import numpy as np
import pytest

from capture import all_exercises, captured_calls
from helpers.checks import CORRECT, Feedback


def _deep(depth):
    nested = [0.5]
    for _ in range(depth):
        nested = [nested]
    return nested


def _holds_itself():
    loop = []
    loop.append(loop)
    return loop


def _a_function(x):
    return x


ODD_ANSWERS = {
    "ragged list": [[0.18, 0.2], [0.3]],
    "ragged list of rows": [[1.0, 2.0, 3.0], [4.0]],
    "10**400": 10 ** 400,
    "-10**400": -(10 ** 400),
    "list with 10**400": [10 ** 400, 1],
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": -float("inf"),
    "nan in a list": [float("nan"), 1.0],
    "inf in an array": np.array([[1.0, np.inf]]),
    "nan in a shape": (float("nan"), 3),
    "inf in a shape": (4, float("inf")),
    "complex": 0.5 + 1j,
    "complex with zero imaginary part": 4 + 0j,
    "complex array": np.array([4 + 1j, 3 + 0j]),
    "True": True,
    "False": False,
    "numpy bool": np.bool_(True),
    "list of bools": [True, False],
    "text of a number": "12345",
    "text of a decimal": "0.0625",
    "digits as a shape": ("4", "3"),
    "digits as a list": ["0.18", "0.2"],
    "numpy text array": np.array(["4", "3"]),
    "empty text": "",
    "bytes": b"12345",
    "set": {4, 3},
    "frozenset": frozenset({0.5}),
    "dict": {"answer": 4},
    "function": _a_function,
    "builtin function": print,
    "class": float,
    "None in a list": [None, 1.0],
    "None in a shape": (4, None),
    "empty list": [],
    "empty tuple": (),
    "numpy float": np.float64(0.123456),
    "numpy int": np.int64(12345),
    "0-d array": np.array(0.123456),
    "numpy array": np.array([7, 9]),
    "2-d array": np.arange(12.0).reshape(3, 4),
    "3-d array": np.zeros((2, 2, 2)),
    "object array": np.array([1, "a", None], dtype=object),
    "a long list": list(range(100_000)),
    "deeply nested list": _deep(5_000),
    "a list holding itself": _holds_itself(),
    "huge float": 1e308,
}

EXERCISES = all_exercises()


def _expected_plus_1j(exercise):
    """expected + 1j for every check that compares with an expected number or array."""
    return [np.asarray(call.expected, dtype=np.float64) + 1j for call in captured_calls(exercise)]


def _assert_a_plain_hint(feedback, what):
    assert isinstance(feedback, Feedback), f"{what}: returned {type(feedback).__name__}, not Feedback"
    assert feedback.status != CORRECT, f"{what}: marked correct: {feedback!r}"
    assert feedback.message.strip(), f"{what}: no hint at all"
    text, page = repr(feedback), feedback._repr_html_()
    assert text and page
    assert " at 0x" not in text, f"{what}: the hint shows a memory address: {text}"
    assert len(feedback.message) < 600, f"{what}: a hint of {len(feedback.message)} characters"


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[name for name, _ in EXERCISES])
def test_odd_answers_get_a_hint_never_an_error_or_a_correct(name, exercise):
    failures = []
    answers = dict(ODD_ANSWERS)
    answers.update({f"expected + 1j ({i})": value for i, value in enumerate(_expected_plus_1j(exercise))})
    answers.update({f"expected as text ({i})": str(call.expected) for i, call in enumerate(captured_calls(exercise))
                    if np.ndim(call.expected) == 0})
    for label, answer in answers.items():
        try:
            _assert_a_plain_hint(exercise(answer), label)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
        except Exception as error:  # the very thing this test is for
            failures.append(f"{label}: raised {type(error).__name__}: {error}"[:200])
    assert not failures, f"{name}:\n  " + "\n  ".join(failures)
