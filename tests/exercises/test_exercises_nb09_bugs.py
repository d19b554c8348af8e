"""Notebook 09's code exercises on the bugs practitioners meet: softmax_rows and train_steps. The worked solutions
pass (as the notebook prints them too), every slip gets its own hint and never "Correct", and odd functions
(None, raising, endless, wrong types and shapes, nan) get a plain hint."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from feedback import wrong_with
from helpers import codecheck, sandbox
from helpers.checks import CORRECT, UNANSWERED
from helpers.exercises import nb09_bugs as check

pytestmark = pytest.mark.skipif(not sandbox.CAN_FORK, reason="the checks run the learner's function in a child process")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "09_debugging_training.ipynb"

CHECKS = [
    (check.softmax_rows, check.softmax_rows_solution, check.SOFTMAX_SLIPS),
    (check.train_steps, check.train_steps_solution, check.TRAIN_STEPS_SLIPS),
]
IDS = ["softmax_rows", "train_steps"]


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def forever(*args):
    while True:
        pass


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_the_worked_solution_passes(exercise, solution, slips):
    assert exercise(solution).status == CORRECT


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_each_slip_gets_its_own_hint_and_not_correct(exercise, solution, slips):
    assert len({s.hint for s in slips}) == len(slips)
    for slip in slips:
        wrong_with(exercise(slip.function), slip.hint)


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_unanswered_none_raising_endless_and_odd_functions_get_plain_hints(exercise, solution, slips, short_time_limit):
    def template(*args):
        raise NotImplementedError

    assert exercise(None).status == UNANSWERED
    assert exercise(template).status == UNANSWERED
    wrong_with(exercise(lambda *args: None), "returned None")
    wrong_with(exercise(lambda *args: 1 / 0), "ZeroDivisionError")
    wrong_with(exercise(lambda *args: "text"), "Expected")
    wrong_with(exercise(forever), "did not finish within 0.3 seconds")
    wrong_with(exercise(lambda a, b: a), "must take")
    wrong_with(exercise("softmax"), "Expected your function itself")
    wrong_with(exercise(lambda *args: float("nan")))   # one number: never the answer, a hint on what to return


def test_a_softmax_without_keepdims_is_told_how_the_sums_broadcast():
    def without_keepdims(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1)

    wrong_with(check.softmax_rows(without_keepdims), "keepdims=True", "shape (N,)", "square z")


def test_a_softmax_without_the_shift_is_told_that_exp_overflows():
    def without_the_shift(z):
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def one_shift_for_the_whole_array(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=1, keepdims=True)

    wrong_with(check.softmax_rows(without_the_shift), "e^1000", "z.max(axis=1, keepdims=True)")
    wrong_with(check.softmax_rows(one_shift_for_the_whole_array), "each row's own largest")
    with np.errstate(over="ignore", invalid="ignore"):                  # what the hints say happens
        assert np.all(np.isnan(without_the_shift(check.LARGE_LOGITS)))
        assert np.all(np.isnan(one_shift_for_the_whole_array(check.LARGE_LOGITS)[1]))


def test_nan_wrong_shapes_and_the_course_softmax_get_hints():
    from helpers import softmax
    wrong_with(check.softmax_rows(lambda z: np.full(z.shape, np.nan)), "nan")
    wrong_with(check.softmax_rows(lambda z: check.softmax_rows_solution(z).T), "transposed")
    wrong_with(check.softmax_rows(lambda z: check.softmax_rows_solution(z)[:, 0]), "shape of z")
    wrong_with(check.softmax_rows(lambda z: softmax(z)), "Write this one yourself")
    wrong_with(check.train_steps(lambda model, X, y, eta, steps: [float("nan")] * steps), "nan")


def test_a_reset_that_rebinds_a_name_is_told_so():
    def rebinds(model, X, y, eta, steps):
        losses = []
        for step in range(steps):
            for p in model.parameters():
                grad = p.grad
                grad = np.zeros_like(grad)
            losses.append(model.backward(X, y))
            model.step(eta)
        return losses

    wrong_with(check.train_steps(rebinds), "assigning to a name", "p.grad = np.zeros_like(p.data)")


def test_a_reset_by_assigning_the_attribute_or_zeroing_in_place_is_right():
    def attribute(model, X, y, eta, steps):
        losses = []
        for step in range(steps):
            for p in model.parameters():
                p.grad = np.zeros_like(p.data)
            losses.append(model.backward(X, y))
            model.step(eta)
        return losses

    def in_place(model, X, y, eta, steps):
        losses = []
        for step in range(steps):
            for p in model.parameters():
                p.grad[...] = 0.0
            losses.append(model.backward(X, y))
            model.step(eta)
        return losses

    assert check.train_steps(attribute).status == CORRECT
    assert check.train_steps(in_place).status == CORRECT


def test_a_loop_that_records_the_loss_after_the_update_is_told_where_it_differs():
    def late(model, X, y, eta, steps):
        losses = []
        for step in range(steps):
            model.zero_grad()
            model.backward(X, y)
            model.step(eta)
            losses.append(model.loss(X, y))
        return losses

    wrong_with(check.train_steps(late), "the loss before any update", "model.backward(X, y)")


def test_the_reset_after_the_step_is_caught_only_by_the_model_with_a_leftover_gradient():
    slip = check.TRAIN_STEPS_SLIPS[2].function
    cases = check._loop_cases()
    for case in cases:
        got = check.observe_loop(slip, case.make())
        right = check.observe_loop(check.train_steps_solution, case.make())
        same = np.allclose(check.read_loop(got)[0], check.read_loop(right)[0], rtol=1e-12)
        assert same == ("left over" not in case.name)


def _cells():
    """Notebook 09's cells (test_exercises_all fails while they lack these exercises)."""
    cells = json.loads(NOTEBOOK.read_text())["cells"] if NOTEBOOK.exists() else []
    if not any("def train_steps_buggy(" in _source(c) for c in cells):
        pytest.skip("notebook 09 does not hold the exercises softmax_rows and train_steps")
    return cells


def _source(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


@pytest.mark.parametrize("name, exercise", [("softmax_rows", check.softmax_rows), ("train_steps", check.train_steps)])
def test_the_worked_solutions_printed_in_the_notebook_pass_their_checks(name, exercise):
    blocks = [m.group(1) for c in _cells() if c["cell_type"] == "markdown" and "<summary>Worked solution</summary>" in _source(c)
              for m in re.finditer(r"```python\n(.*?)```", _source(c), re.S)]
    source = next(b for b in blocks if f"def {name}(" in b)
    namespace = {"np": np}
    exec(source, namespace)
    assert exercise(namespace[name]).status == CORRECT


def test_the_planted_loop_in_the_notebook_is_the_bug_the_check_names():
    source = next(_source(c) for c in _cells() if c["cell_type"] == "code" and "def train_steps_buggy(" in _source(c))
    namespace = {"np": np}
    exec(source, namespace)
    assert check.train_steps(namespace["train_steps_buggy"]).message == check.TRAIN_STEPS_SLIPS[0].hint


@pytest.mark.parametrize("exercise", [check.softmax_rows, check.train_steps], ids=IDS)
def test_a_stubborn_endless_function_is_stopped_within_the_limit_plus_a_second(exercise, short_time_limit):
    import time

    def stubborn(*args):
        while True:
            try:
                time.sleep(0.01)
            except:  # noqa: E722  (the learner's bare except, which swallows everything)
                pass

    started = time.perf_counter()
    feedback = exercise(stubborn)
    assert time.perf_counter() - started < 0.3 + 1.0
    wrong_with(feedback, "did not finish within 0.3 seconds")
