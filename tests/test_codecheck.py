"""helpers.codecheck: a learner's function is run safely, and anything odd gets a plain hint."""

import threading
import time

import pytest

from helpers.checks import CORRECT, UNANSWERED, WRONG
from helpers.codecheck import Case, Slip, call_with_time_limit, check_function, read_numbers
from feedback import wrong_with


def double_solution(x):
    return 2.0 * x


CASES = [Case("the worked example", lambda: (1.5,), "x = 1.5"), Case("a hidden random case", lambda: (-0.25,), "x = -0.25")]
SLIPS = [Slip(lambda x: x, "You returned x itself: multiply by 2."), Slip(lambda x: -2.0 * x, "Wrong sign.")]


def check(function, **kwargs):
    options = dict(cases=CASES, expected=double_solution, read=lambda r: read_numbers(r, 1), slips=SLIPS,
                   arguments="x", what="double", praise="Twice x.", time_limit=0.5)
    options.update(kwargs)
    return check_function(function, **options)


def test_the_solution_passes():
    feedback = check(double_solution)
    assert feedback.status == CORRECT and feedback.message == "Twice x."


def test_each_slip_gets_its_own_hint():
    wrong_with(check(lambda x: x), "returned x itself")
    wrong_with(check(lambda x: -2 * x), "Wrong sign")


def test_a_slip_is_named_only_when_every_case_matches_it():
    # right on the example, the slip's answer on the hidden case: not that slip, a general hint
    feedback = check(lambda x: 3.0 if x == 1.5 else x)
    wrong_with(feedback, "On a hidden random case (x = -0.25) your function gives -0.25, but the right answer is -0.5")
    assert "multiply by 2" not in feedback.message


def test_a_wrong_answer_that_is_no_known_slip_shows_the_case_and_both_numbers():
    wrong_with(check(lambda x: x + 10), "On the worked example (x = 1.5) your function gives 11.5", "right answer is 3")


def test_none_and_the_template_left_as_is_are_unanswered():
    assert check(None).status == UNANSWERED

    def template(x):
        raise NotImplementedError("your code here")

    feedback = check(template)
    assert feedback.status == UNANSWERED and "raise NotImplementedError" in feedback.message


def test_a_function_that_raises_gets_a_plain_hint_without_a_traceback():
    def broken(x):
        return x / 0

    feedback = check(broken)
    wrong_with(feedback, "ZeroDivisionError", "at the line `return x / 0`", "on the worked example (x = 1.5)")
    assert "Traceback" not in feedback.message and "File" not in feedback.message


def test_returning_none_is_explained():
    def forgot_return(x):
        2 * x

    wrong_with(check(forgot_return), "returned None", "return")


@pytest.mark.parametrize("answer, words", [
    ("3.0", "Expected a single number"),
    (True, "Expected a single number"),
    ([3.0], "Expected a single number"),
    (object(), "object object"),
])
def test_the_wrong_type_is_explained(answer, words):
    feedback = check(lambda x: answer)
    wrong_with(feedback, words)
    assert " at 0x" not in feedback.message  # no memory address in a saved output


@pytest.mark.parametrize("answer, words", [
    ((1.0,), "Expected 2 numbers as a tuple, but your function returned 1"),
    ((1.0, 2.0, 3.0), "returned 3"),
    ("ab", "Expected 2 numbers as a tuple"),
    ((1.0, "2"), "Expected 2 numbers"),
    ({"a": 1, "b": 2}, "Expected 2 numbers as a tuple"),
])
def test_the_wrong_length_or_contents_is_explained(answer, words):
    wrong_with(check(lambda x: answer, expected=lambda x: (x, x), read=lambda r: read_numbers(r, 2), slips=()), words)


def test_a_function_that_never_returns_is_stopped():
    def forever(x):
        while True:
            pass

    start = time.perf_counter()
    feedback = check(forever)
    assert time.perf_counter() - start < 3
    wrong_with(feedback, "did not finish within 0.5 seconds", "never ends")


def test_a_function_that_swallows_every_exception_is_still_stopped():
    def stubborn(x):
        while True:
            try:
                time.sleep(10)
            except Exception:
                pass

    wrong_with(check(stubborn), "did not finish")


def test_the_time_limit_also_holds_outside_the_main_thread():
    box = {}

    def run():
        box["result"] = call_with_time_limit(lambda: time.sleep(5), (), time_limit=0.2)

    worker = threading.Thread(target=run)
    start = time.perf_counter()
    worker.start()
    worker.join()
    assert time.perf_counter() - start < 2
    value, error = box["result"]
    assert value is None and error is not None


def test_endless_recursion_gets_a_plain_hint():
    def again(x):
        return again(x)

    wrong_with(check(again), "called itself")


def test_something_that_is_not_a_function_or_takes_the_wrong_arguments():
    wrong_with(check(3.0), "Expected your function itself")
    wrong_with(check(lambda x, y: x), "must take 1 argument: (x)")


def test_a_function_that_returns_a_value_is_told_to_return_numbers():
    from helpers.autograd import Value
    wrong_with(check(lambda x: Value(2 * x)), "returned a Value", ".data")


def test_the_timer_is_left_as_it_was():
    import signal
    check(double_solution)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None) or callable(signal.getsignal(signal.SIGALRM))
