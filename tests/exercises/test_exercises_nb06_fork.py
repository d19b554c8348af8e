"""Notebook 06's fork exercises: right answers pass, each slip gets its own hint, odd answers get a plain one.

The checks live in helpers/exercises/nb06_fork.py and reach the notebook through nb06 (`check.dL_dh1`,
`check.backward_fork`). The course-wide audits (test_hint_collisions, test_odd_answers, ...) find them
through nb06 as well (tests/capture.py); the audits below run on them directly too.
"""

import numpy as np
import pytest

from capture import all_exercises, captured_calls
from feedback import wrong_with
from test_hint_collisions import collisions
from test_odd_answers import ODD_ANSWERS, _assert_a_plain_hint

from helpers import codecheck
from helpers.checks import CORRECT, UNANSWERED, WRONG
from helpers.exercises import nb06, nb06_fork as check
from helpers.two_two_two import TwoTwoTwo

NUMBER_CHECKS = [check.dL_dh1]
ALL_CHECKS = NUMBER_CHECKS + [check.backward_fork]

# The worked example to four decimals, as the notebook prints it.
DELTA_O1, DELTA_O2 = -0.1468, 0.0950
W_O1_H1, W_O2_H1 = 0.9, 0.6


# ---- ∂L/∂h1: the two shares add ----

def test_the_gradient_arriving_at_h1_is_the_sum_of_its_two_shares():
    p = TwoTwoTwo().run()
    assert p.dL_dh[0] == pytest.approx(p.delta_out[0] * 0.9 + p.delta_out[1] * 0.6, rel=1e-12)
    assert check.dL_dh1(DELTA_O1 * W_O1_H1 + DELTA_O2 * W_O2_H1).status == CORRECT    # −0.1321 + 0.0570
    assert check.dL_dh1(-0.0752).status == CORRECT
    assert check.dL_dh1(p.dL_dh[0]).status == CORRECT


def test_dL_dh1_one_share_alone_or_the_shares_multiplied_get_their_hints():
    wrong_with(check.dL_dh1(DELTA_O1 * W_O1_H1), "share from o1 alone", "add")
    wrong_with(check.dL_dh1(DELTA_O2 * W_O2_H1), "share from o2 alone", "add")
    wrong_with(check.dL_dh1(DELTA_O1 * W_O1_H1 * DELTA_O2 * W_O2_H1), "multiplied the two shares", "add")
    wrong_with(check.dL_dh1(DELTA_O1 * W_O1_H1 - DELTA_O2 * W_O2_H1), "subtracted")


def test_dL_dh1_forgetting_the_output_slopes_or_pairing_the_wrong_weights_gets_its_hint():
    p = TwoTwoTwo().run()
    error = p.y_hat - p.y
    wrong_with(check.dL_dh1(error[0] * W_O1_H1 + error[1] * W_O2_H1), "sigmoid slopes are missing")
    wrong_with(check.dL_dh1(DELTA_O1 * W_O2_H1 + DELTA_O2 * W_O1_H1), "paired with the other output's weight")
    wrong_with(check.dL_dh1(DELTA_O1 * 0.9 + DELTA_O2 * -0.8), "weights into o1", "leaving h1")


def test_dL_dh1_with_the_updated_weights_the_half_forgotten_or_one_step_too_far_gets_its_hint():
    p, net = TwoTwoTwo().run(), TwoTwoTwo()
    new = net.step(0.5)
    wrong_with(check.dL_dh1(p.delta_out[0] * new.W_out[0, 0] + p.delta_out[1] * new.W_out[1, 0]), "after an update")
    wrong_with(check.dL_dh1(2 * p.dL_dh[0]), "Twice", "½ cancels the 2")
    wrong_with(check.dL_dh1(p.delta_hidden[0]), "one step further", "σ′(z_h1)")
    wrong_with(check.dL_dh1(p.dL_dh[1]), "∂L/∂h2")
    wrong_with(check.dL_dh1(-p.dL_dh[0]), "wrong sign")


def test_dL_dh1_a_coarse_rounding_is_told_to_round_less_and_a_wrong_digit_is_not():
    assert round(TwoTwoTwo().run().dL_dh[0], 3) == -0.075
    wrong_with(check.dL_dh1(-0.075), "exact value rounded")
    feedback = check.dL_dh1(-0.0745)
    wrong_with(feedback, "not the exact value rounded")


# ---- The course-wide audits, on these checks ----

@pytest.mark.parametrize("exercise", NUMBER_CHECKS, ids=lambda f: f.__name__)
def test_no_two_hints_collide_and_none_fires_on_the_right_answer(exercise):
    calls = captured_calls(exercise)
    assert calls and all(call.hints for call in calls)
    problems = [problem for call in calls for problem in collisions(call)]
    assert not problems, problems


@pytest.mark.parametrize("exercise", NUMBER_CHECKS, ids=lambda f: f.__name__)
def test_answering_with_a_slips_number_brings_back_that_slips_hint(exercise):
    for call in captured_calls(exercise):
        for value, message in call.hints:
            if callable(value):
                continue
            feedback = exercise(float(value))
            assert feedback.status == WRONG and feedback.message == message, (message, feedback)


@pytest.mark.parametrize("exercise", NUMBER_CHECKS, ids=lambda f: f.__name__)
def test_the_answer_to_seven_digits_is_right_and_in_quotes_is_text(exercise):
    (call,) = captured_calls(exercise)
    expected = call.expected
    for answer in (float(f"{expected:.7g}"), expected * (1 - 1e-7)):
        assert exercise(answer).status == CORRECT
    wrong_with(exercise(f"{expected:.10g}"), "Remove the quotes")


@pytest.mark.parametrize("exercise", ALL_CHECKS, ids=lambda f: f.__name__)
def test_odd_answers_get_a_hint_never_an_error_or_a_correct(exercise):
    answers = dict(ODD_ANSWERS)
    for i, call in enumerate(captured_calls(exercise)):
        answers[f"expected + 1j ({i})"] = np.asarray(call.expected, dtype=np.float64) + 1j
        answers[f"expected as text ({i})"] = str(call.expected)
    for label, answer in answers.items():
        _assert_a_plain_hint(exercise(answer), label)


@pytest.mark.parametrize("exercise", ALL_CHECKS, ids=lambda f: f.__name__)
def test_an_unanswered_exercise_says_so_without_an_error(exercise):
    feedback = exercise(None)
    assert feedback.status == UNANSWERED and repr(feedback).startswith("Not answered yet.")


def test_nb06_brings_in_exactly_the_two_fork_checks_and_the_audits_find_them():
    assert check.__all__ == ["dL_dh1", "backward_fork"]
    assert nb06.dL_dh1 is check.dL_dh1 and nb06.backward_fork is check.backward_fork
    found = dict(all_exercises())
    assert found["nb06.dL_dh1"] is check.dL_dh1 and found["nb06.backward_fork"] is check.backward_fork
    assert not any(name.startswith("nb06_fork.") for name in found)


# ---- The code exercise: backward_fork ----

def _template(x, h, y_hat, y, W_out):
    raise NotImplementedError


def _learners_backward_fork(x, h, y_hat, y, W_out):
    """backward_fork as a learner types it: loops, the shares added with +=."""
    delta_out = [0.0, 0.0]
    for k in range(2):
        delta_out[k] = (y_hat[k] - y[k]) * y_hat[k] * (1 - y_hat[k])
    dL_dh = [0.0, 0.0]
    for k in range(2):
        for j in range(2):
            dL_dh[j] += delta_out[k] * W_out[k][j]
    delta_hidden = [dL_dh[j] * h[j] * (1 - h[j]) for j in range(2)]
    dL_dW_out = [[delta_out[k] * h[j] for j in range(2)] for k in range(2)]
    dL_dW_hidden = [[delta_hidden[j] * x[i] for i in range(2)] for j in range(2)]
    return dL_dW_hidden, delta_hidden, dL_dW_out, delta_out


def test_the_worked_solution_and_a_learners_loops_pass_as_a_tuple_or_a_dict():
    assert check.backward_fork(check.backward_fork_solution).status == CORRECT
    assert check.backward_fork(_learners_backward_fork).status == CORRECT
    names = ("dL_dW_hidden", "dL_db_hidden", "dL_dW_out", "dL_db_out")
    assert check.backward_fork(lambda *a: dict(zip(names, _learners_backward_fork(*a)))).ok
    assert check.backward_fork(lambda *a: dict(zip(("W_hidden", "b_hidden", "W_out", "b_out"),
                                                   _learners_backward_fork(*a)))).ok


def test_the_right_answer_on_the_worked_example_is_helpers_backward_pass():
    example = check._cases()[0].make()
    p = TwoTwoTwo().run()
    np.testing.assert_array_equal(example[1], p.h)
    np.testing.assert_array_equal(example[2], p.y_hat)
    for mine, helpers_value in zip(check.backward_fork_solution(*example),
                                   (p.dL_dW_hidden, p.dL_db_hidden, p.dL_dW_out, p.dL_db_out)):
        np.testing.assert_array_equal(mine, helpers_value)


def test_each_code_slip_gets_its_own_hint_not_correct():
    for slip in check.FORK_SLIPS:
        feedback = check.backward_fork(slip.function)
        assert feedback.status == WRONG and feedback.message == slip.hint, (slip.hint, feedback)


def test_the_slips_the_fork_section_promises_are_all_named():
    hints = " ".join(s.hint for s in check.FORK_SLIPS)
    for words in ("only one of its two shares", "dL_dh[j] +=", "transposed W_out", "h where the inputs x belong",
                  "misses the outputs' sigmoid slope", "every bias gradient is 0", "after an update",
                  "½ cancels the 2", "wrong sign"):
        assert words in hints, words


def test_every_code_slip_is_wrong_on_some_case_and_no_two_slips_agree_everywhere():
    cases = check._cases()
    truth = [check.read_fork_gradients(check.backward_fork_solution(*c.make()))[0] for c in cases]
    results = [[check.read_fork_gradients(s.function(*c.make()))[0] for c in cases] for s in check.FORK_SLIPS]
    for slip, result in zip(check.FORK_SLIPS, results):
        assert not all(np.allclose(r, t) for r, t in zip(result, truth)), slip.hint
    for i in range(len(results)):
        for j in range(i + 1, len(results)):
            assert not all(np.allclose(a, b) for a, b in zip(results[i], results[j])), (i, j)


def test_a_learners_fork_that_keeps_only_the_last_share_is_told_to_write_plus_equals():
    def equals_not_plus_equals(x, h, y_hat, y, W_out):
        delta_out = (y_hat - y) * y_hat * (1 - y_hat)
        dL_dh = np.zeros(2)
        for k in range(2):
            for j in range(2):
                dL_dh[j] = delta_out[k] * W_out[k, j]
        delta_hidden = dL_dh * h * (1 - h)
        return np.outer(delta_hidden, x), delta_hidden, np.outer(delta_out, h), delta_out

    wrong_with(check.backward_fork(equals_not_plus_equals), "only one of its two shares", "dL_dh[j] +=")


def test_a_learners_transposed_W_out_in_the_shares_is_named():
    def transposed(x, h, y_hat, y, W_out):
        delta_out = (y_hat - y) * y_hat * (1 - y_hat)
        delta_hidden = (W_out @ delta_out) * h * (1 - h)
        return np.outer(delta_hidden, x), delta_hidden, np.outer(delta_out, h), delta_out

    wrong_with(check.backward_fork(transposed), "transposed W_out", "W_out.T @ delta_out")


def test_unanswered_template_says_so_without_an_error():
    assert check.backward_fork(None).status == UNANSWERED
    feedback = check.backward_fork(_template)
    assert feedback.status == UNANSWERED and "NotImplementedError" in feedback.message


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def test_raising_none_wrong_shapes_or_types_get_a_plain_hint(short_time_limit):
    solution = check.backward_fork_solution
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: None), "returned None")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: solution(x, h, y_hat, y, W_out)[::2]),
               "returned 2 things", "biases have gradients too")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: 0.5), "Expected four gradients")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: "dW, db"), "Expected four gradients")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: {"dL_dW_hidden": 0.0}), "lacks the keys",
               "'b_out'")

    def bias_as_column(x, h, y_hat, y, W_out):
        dW_h, db_h, dW_o, db_o = solution(x, h, y_hat, y, W_out)
        return dW_h, db_h, dW_o, db_o.reshape(2, 1)

    wrong_with(check.backward_fork(bias_as_column), "dL_db_out has shape (2, 1)", "shape (2,)")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: (np.zeros((2, 2)), "b", np.zeros((2, 2)),
                                                                  np.zeros(2))), "dL_db_hidden", "not numbers")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: ([[0.1, 0.2], [0.3]], 0, 0, 0)), "dL_dW_hidden",
               "not numbers")
    wrong_with(check.backward_fork(lambda x, h, y_hat, y, W_out: h[5]), "IndexError", "worked example")
    wrong_with(check.backward_fork(lambda x, h, y_hat: 0), "must take 5 arguments")
    wrong_with(check.backward_fork("backward_fork"), "function itself")

    def forever(x, h, y_hat, y, W_out):
        while True:
            pass

    wrong_with(check.backward_fork(forever), "did not finish within 0.3 seconds")

    def nan_bias(x, h, y_hat, y, W_out):
        dW_h, db_h, dW_o, db_o = solution(x, h, y_hat, y, W_out)
        return dW_h, db_h, dW_o, np.array([np.nan, 0.0])

    wrong_with(check.backward_fork(nan_bias), "nan")


def test_a_wrong_answer_without_a_known_slip_says_which_gradient_is_off_first_and_which_are_right():
    def hidden_wrong(*args):
        dW_h, db_h, dW_o, db_o = check.backward_fork_solution(*args)
        return dW_h + 0.01, db_h, dW_o, db_o

    wrong_with(check.backward_fork(hidden_wrong), "Not yet. dL_dW_hidden is off in every entry",
               "The output layer is right", "dL_dW_out, dL_db_out and dL_db_hidden are right.")


def test_two_bias_gradients_returned_in_each_others_place_are_named_as_swapped():
    def swapped(*args):
        dW_h, db_h, dW_o, db_o = check.backward_fork_solution(*args)
        return dW_h, db_o, dW_o, db_h

    feedback = check.backward_fork(swapped)
    wrong_with(feedback, "dL_db_out and dL_db_hidden are swapped")
    assert len(feedback.message) <= 400


def test_the_check_runs_the_example_and_six_hidden_networks():
    cases = check._cases()
    assert len(cases) == 1 + check.N_HIDDEN == 7
    assert cases[0].name == "the worked example"
    assert "six hidden networks" in check.backward_fork(check.backward_fork_solution).message
