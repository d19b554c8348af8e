"""helpers.codecheck: a learner's function is run safely, and anything odd gets a plain hint."""

import threading
import time

import numpy as np
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
            except:  # noqa: E722  (a bare except swallows even the in-process time limit's exception)
                pass

    start = time.perf_counter()
    feedback = check(stubborn)
    assert time.perf_counter() - start < 0.5 + 1.0
    wrong_with(feedback, "did not finish within 0.5 seconds")


def test_call_with_time_limit_brings_back_the_value_from_the_child():
    value, error = call_with_time_limit(lambda: ((1.5, [2, None]), {"dL_dW": np.array([[1.0, -2.0]])}), ())
    assert error is None
    assert value[0] == (1.5, [2, None]) and value[1]["dL_dW"].tolist() == [[1.0, -2.0]]


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


# A result that is nan or infinite is never right, whatever it is compared with.

@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_a_non_finite_result_is_refused_and_named(bad):
    def double(x):
        return bad

    feedback = check(double, expected=lambda x: bad)  # even where the 'right' answer were the same
    wrong_with(feedback, "On the worked example (x = 1.5)", "the number it returns is",
               "nan" if bad != bad else "infinite")


def test_the_non_finite_entry_is_named_by_the_function_s_own_return_line():
    def pair(x):
        twice = 2.0 * x
        half = float("inf")
        return twice, half

    feedback = check(pair, expected=lambda x: (2.0 * x, 0.5 * x), read=lambda r: read_numbers(r, 2), slips=())
    wrong_with(feedback, "half (the 2nd value it returns) is infinite")


def test_04s_backward_may_not_return_four_infinities():
    import math
    from helpers.exercises import nb04

    def backward(w1, w2, w3, w4, x1, x2, y):
        return math.inf, math.inf, math.inf, math.inf

    wrong_with(nb04.backward(backward), "the 1st value it returns (`math.inf`) is infinite")


def test_04s_backward_biased_may_not_return_one_infinity_beside_six_right_gradients():
    import math
    from helpers.exercises import nb04

    def backward_biased(w1, w2, w3, w4, b1, b2, b3, x1, x2, y):
        dL_dw1, dL_dw2, dL_dw3, dL_dw4, dL_db1, dL_db2, _ = nb04.backward_biased_solution(
            w1, w2, w3, w4, b1, b2, b3, x1, x2, y)
        dL_db3 = math.inf
        return dL_dw1, dL_dw2, dL_dw3, dL_dw4, dL_db1, dL_db2, dL_db3

    wrong_with(nb04.backward_biased(backward_biased), "dL_db3 (the 7th value it returns) is infinite")


def test_06s_matrix_check_names_the_entry_that_is_nan():
    import numpy as np
    from helpers.exercises import nb06

    def backward(net, fp, Y):
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        dL_dW[1] = dL_dW[1].copy()
        dL_dW[1][0, 1] = np.nan
        return dL_dW, dL_db

    wrong_with(nb06.backward(backward), "dL_dW[1][0, 1] is nan")


# The tolerance: about six significant digits, so float32 passes and a rounded constant is named.

def test_a_float32_version_of_a_right_solution_passes():
    import numpy as np
    from helpers.exercises import nb04, nb06

    def backward(w1, w2, w3, w4, x1, x2, y):
        w1, w2, w3, w4, x1, x2, y = (np.float32(v) for v in (w1, w2, w3, w4, x1, x2, y))
        one = np.float32(1.0)
        h1, h2 = one / (one + np.exp(-w1 * x1)), one / (one + np.exp(-w2 * x2))
        g = np.float32(2.0) * (w3 * h1 + w4 * h2 - y)
        return g * w3 * h1 * (one - h1) * x1, g * w4 * h2 * (one - h2) * x2, g * h1, g * h2

    assert nb04.backward(backward).status == CORRECT

    def layers(net, fp, Y):
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return ({l: w.astype(np.float32) for l, w in dL_dW.items()},
                {l: b.astype(np.float32) for l, b in dL_db.items()})

    assert nb06.backward(layers).status == CORRECT


def _backward_with_e(e):
    """04's backward with the number e written out as `e` (a rounded constant in place of math.exp)."""
    def backward(w1, w2, w3, w4, x1, x2, y):
        h1, h2 = 1 / (1 + e ** (-w1 * x1)), 1 / (1 + e ** (-w2 * x2))
        g = 2 * (w3 * h1 + w4 * h2 - y)
        return g * w3 * h1 * (1 - h1) * x1, g * w4 * h2 * (1 - h2) * x2, g * h1, g * h2
    return backward


def test_a_constant_with_eight_digits_passes():
    from helpers.exercises import nb04
    assert nb04.backward(_backward_with_e(2.7182818)).status == CORRECT


def test_a_constant_with_five_digits_is_told_the_method_is_right():
    from helpers.exercises import nb04
    feedback = nb04.backward(_backward_with_e(2.7183))
    wrong_with(feedback, "agree to 5 significant digits, so your method is right", "a constant written with a few "
               "decimals", "float32")
    assert "-0.322460271" in feedback.message and "-0.322459438" in feedback.message  # digits that differ


def test_a_result_one_percent_off_is_still_wrong_and_not_called_rounding():
    feedback = check(lambda x: 2.02 * x)
    wrong_with(feedback, "your function gives 3.03, but the right answer is 3")
    assert "significant digits" not in feedback.message


# A cell that did not compile leaves the old function in memory: the check says so instead of testing it.

@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    shell.run_cell("from helpers.exercises import nb10 as check", store_history=True)
    yield shell
    InteractiveShell.clear_instance()


def _cell(shell, source):
    return shell.run_cell(source, store_history=True).result


def test_a_definition_that_stopped_at_a_syntax_error_is_named_instead_of_checking_the_old_one(shell):
    _cell(shell, "def mul_backward(a, b, grad_out):\n    return b * grad_out, a * grad_out")
    assert _cell(shell, "check.mul_backward(mul_backward)").status == CORRECT
    _cell(shell, "def mul_backward(a, b, grad_out):\n    share_a = b * grad_out\n    return share_a a * grad_out")
    feedback = _cell(shell, "check.mul_backward(mul_backward)")
    wrong_with(feedback, "The cell that defines `mul_backward` did not run", "SyntaxError (invalid syntax) at line 3",
               "`return share_a a * grad_out`", "older version")
    _cell(shell, "x = 1")  # another cell in between changes nothing
    wrong_with(_cell(shell, "check.mul_backward(mul_backward)"), "did not run")


def test_a_template_cell_with_an_indentation_error_is_named_too(shell):
    _cell(shell, "def tanh_backward(x, grad_out):\n    raise NotImplementedError")
    assert _cell(shell, "check.tanh_backward(tanh_backward)").status == UNANSWERED
    _cell(shell, "def tanh_backward(x, grad_out):\n    t = x\n        return t")
    wrong_with(_cell(shell, "check.tanh_backward(tanh_backward)"), "an IndentationError", "at line 3")


def test_once_the_cell_runs_the_new_function_is_checked(shell):
    _cell(shell, "def mul_backward(a, b, grad_out):\n    return b * grad_out a * grad_out")
    _cell(shell, "%%capture\ndef mul_backward(a, b, grad_out):\n    return b * grad_out, a * grad_out")
    assert _cell(shell, "check.mul_backward(mul_backward)").status == CORRECT
