"""No hint of an exercise check is shadowed or misleading because two slips give the same number.

A hint names one slip by the number it produces. When two slips of one check land within the
check's tolerance of each other, a learner who made the second slip is told about the first (issue
11, item 15: in 04, using w2 where w4 belongs gives exactly the number of "forgot the 2"). When a
slip lands on the right answer, its hint can never be seen, and a hint function that fires on the
right answer describes no mistake at all. Where two slips truly give one number, one hint must name
both.

Every check of every notebook is found by introspection (tests/capture.py), so a new check is
covered as soon as it exists.
"""

import numpy as np
import pytest

from capture import all_exercises, captured_calls
from helpers.checks import CORRECT, WRONG, check_number, first_matching_hint

CAPTURED = [(name, fn, calls) for name, fn in all_exercises() if (calls := captured_calls(fn))]


def _close(a, b, tol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol) or np.allclose(b, a, rtol=tol, atol=tol))


def _short(message):
    return message if len(message) <= 70 else message[:67] + "..."


def collisions(call):
    """Every way the hint list of one check_number/check_array call misleads, as sentences."""
    found = []
    fixed = [(i, np.asarray(w, dtype=np.float64), m) for i, (w, m) in enumerate(call.hints) if not callable(w)]
    probes = [("the right answer", np.asarray(call.expected, dtype=np.float64), None)]
    probes += [(f"the slip of hint {i} ({_short(m)!r})", w, m) for i, w, m in fixed]
    for i, value, message in fixed:
        if _close(value, call.expected, call.tol):
            found.append(f"hint {i} ({_short(message)!r}) lies within tol={call.tol:g} of the right answer")
    for a, (i, value_i, message_i) in enumerate(fixed):
        for j, value_j, message_j in fixed[a + 1:]:
            if message_i != message_j and _close(value_i, value_j, call.tol):
                found.append(f"hints {i} ({_short(message_i)!r}) and {j} ({_short(message_j)!r}) lie within "
                             f"tol={call.tol:g} of each other")
    for where, value, own_message in probes:
        fired = first_matching_hint(value if value.ndim else float(value), call.hints, call.tol)
        if own_message is None and any(callable(w) and first_matching_hint(value if value.ndim else float(value),
                                                                           [(w, m)], call.tol)
                                       for w, m in call.hints):
            found.append(f"a hint function fires on {where}")
        elif own_message is not None and fired != own_message:
            found.append(f"{where} gets another hint first: {_short(fired or '(none)')!r}")
    return found


@pytest.mark.parametrize("name, exercise, calls", CAPTURED, ids=[name for name, _, _ in CAPTURED])
def test_no_two_hints_of_a_check_collide_or_fire_on_the_right_answer(name, exercise, calls):
    problems = [problem for call in calls for problem in collisions(call)]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name, exercise, calls", CAPTURED, ids=[name for name, _, _ in CAPTURED])
def test_each_hinted_slip_gets_its_own_hint_from_the_check_itself(name, exercise, calls):
    """End to end: answering with a slip's own number brings back that slip's message."""
    wrong = []
    for call in calls:
        for i, (value, message) in enumerate(call.hints):
            if callable(value):
                continue
            answer = float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)
            feedback = exercise(answer)
            if feedback.status != WRONG or feedback.message != message:
                wrong.append(f"hint {i} ({_short(message)!r}) -> {feedback!r:.120}")
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


def test_the_checks_with_hint_lists_are_found():
    names = {name for name, _, _ in CAPTURED}
    assert {"nb02.squared_error_of_prediction", "nb04.dL_dw2", "nb06.delta_1"} <= names
    assert len(names) >= 15
    assert all(call.hints for _, _, calls in CAPTURED for call in calls)


# The detector itself, on made-up checks whose collisions are known.

def _call(expected, hints, tol=1e-3):
    from capture import Call
    return Call("check_number", expected, tol, hints)


def test_two_hints_within_tolerance_are_a_collision():
    found = collisions(_call(1.0, [(0.5, "forgot the 2"), (0.5004, "used w2 for w4")]))
    assert any("hints 0" in f and "1" in f for f in found)


def test_a_hint_at_the_right_answer_is_a_collision():
    assert collisions(_call(1.0, [(1.0005, "a slip")]))


def test_a_hint_function_that_fires_on_the_right_answer_is_a_collision():
    found = collisions(_call(1.0, [(lambda v: abs(v - 1.0) < 0.05, "very close: round less")]))
    assert found == ["a hint function fires on the right answer"]


def test_a_hint_function_that_shadows_a_later_slip_is_a_collision():
    found = collisions(_call(1.0, [(lambda v: v < 0, "negative"), (-1.0, "wrong sign")]))
    assert any("gets another hint first" in f for f in found)


def test_hints_far_apart_and_away_from_the_answer_pass():
    hints = [(0.5, "forgot the 2"), (2.0, "added"), (lambda v: v < 0, "negative"), (-3.0, "never reached")]
    assert collisions(_call(1.0, hints[:3])) == []
    assert collisions(_call(1.0, hints)) != []  # -3.0 is shadowed by the function before it


def test_the_same_slip_listed_twice_with_one_message_is_not_a_collision():
    assert collisions(_call(1.0, [(0.5, "forgot the 2"), (0.5, "forgot the 2")])) == []


def test_check_number_really_answers_a_colliding_slip_with_the_first_hint():
    """Why collisions matter: the second slip's learner reads the first slip's diagnosis."""
    feedback = check_number(0.5004, 1.0, tol=1e-3, hints=[(0.5, "forgot the 2"), (0.5004, "used w2 for w4")])
    assert feedback.status == WRONG and feedback.message == "forgot the 2"
    assert check_number(1.0, 1.0, tol=1e-3, hints=[(1.0, "never seen")]).status == CORRECT
