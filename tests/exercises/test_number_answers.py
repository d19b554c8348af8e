"""Every number exercise of every notebook reads a number the same way.

A number that equals the answer to six significant digits or more (81.9999999 for 82, a value copied
with seven digits) is right, whatever the exercise's tolerance: what separates it is rounding. A number
in quotes ('0.09') is text in every notebook: never right, and its hint says to remove the quotes.
"""

import numpy as np
import pytest

from capture import all_exercises, captured_calls
from feedback import wrong_with
from helpers.checks import CORRECT

NUMBER_EXERCISES = [(name, exercise, call.expected) for name, exercise in all_exercises()
                    for call in captured_calls(exercise)[:1]
                    if call.primitive == "check_number" and np.ndim(call.expected) == 0]


def test_every_notebook_with_a_number_exercise_is_covered():
    notebooks = {name.split(".")[0] for name, _, _ in NUMBER_EXERCISES}
    assert {"nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07", "nb08", "nb09"} <= notebooks


@pytest.mark.parametrize("name, exercise, expected", NUMBER_EXERCISES, ids=[n for n, _, _ in NUMBER_EXERCISES])
def test_the_answer_to_seven_digits_or_a_hair_below_it_is_right(name, exercise, expected):
    for answer in (float(f"{expected:.7g}"), expected * (1 - 1e-7), expected - 1e-7 * abs(expected)):
        feedback = exercise(answer)
        assert feedback.status == CORRECT, (answer, feedback)


@pytest.mark.parametrize("name, exercise, expected", NUMBER_EXERCISES, ids=[n for n, _, _ in NUMBER_EXERCISES])
def test_the_answer_in_quotes_is_text_and_the_hint_says_to_remove_them(name, exercise, expected):
    for answer in (f"{expected:.10g}", f" {expected:g} "):
        wrong_with(exercise(answer), "written as text", "Remove the quotes")


def test_a_whole_number_computed_in_floats_is_the_whole_number():
    from helpers.exercises import nb05, nb06
    assert nb06.finite_difference_evaluations(81.9999999).status == CORRECT  # 2 × 41 = 82
    assert nb05.updates_per_epoch(0.1 * 100).status == CORRECT               # 10.000000000000002
    wrong_with(nb06.finite_difference_evaluations(82.5), "82.5 is not it")
