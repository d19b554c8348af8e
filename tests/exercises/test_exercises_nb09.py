"""Notebook 09's exercise checks: the worked solutions pass, each typical slip gets its own hint, and odd
functions given to the standardisation exercise (None, raising, endless, the wrong shape) get a plain hint."""

import math

import numpy as np
import pytest

from feedback import wrong_with
from helpers import codecheck
from helpers.checks import CORRECT, UNANSWERED, WRONG
from helpers.data import Standardizer
from helpers.exercises import nb09 as check


# Exercise 1: the loss at the start for ten balanced classes

def test_ten_balanced_classes_start_at_ln_10():
    assert check.initial_loss_ten_classes(np.log(10)).status == CORRECT
    assert check.initial_loss_ten_classes(2.30).status == CORRECT
    assert "2.303" in check.initial_loss_ten_classes(2.302585).message


@pytest.mark.parametrize("answer, words", [
    (0.1, "probability each class gets"),
    (1.0, "log base 10"),
    (math.log2(10), "log base 2"),
    (math.log(2), "two classes"),
    (-math.log(10), "positive"),
    (10 * math.log(10), "not a sum over all ten"),
    (math.log(10) / 10, "not 1/10"),
])
def test_slips_at_the_start_of_ten_classes_get_their_hints(answer, words):
    wrong_with(check.initial_loss_ten_classes(answer), words)


# Exercise 2: the loss at the start for 90 % cats and 10 % dogs

def test_a_calm_unbalanced_start_begins_at_the_entropy_of_the_shares():
    expected = -(0.9 * math.log(0.9) + 0.1 * math.log(0.1))
    assert round(expected, 3) == 0.325
    assert check.unbalanced_start_loss(expected).status == CORRECT
    assert check.unbalanced_start_loss(0.325).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (math.log(2), "bias at 0"),
    (-math.log(0.9), "cat alone"),
    (-math.log(0.1), "dog alone"),
    (-(math.log(0.9) + math.log(0.1)), "added the two losses"),
    (-(math.log(0.9) + math.log(0.1)) / 2, "as many of each"),
    (-(0.9 * math.log2(0.9) + 0.1 * math.log2(0.1)), "bits"),
])
def test_slips_at_an_unbalanced_start_get_their_hints(answer, words):
    wrong_with(check.unbalanced_start_loss(answer), words)


# Exercise 3 (code): standardise with the training set's numbers

def test_the_worked_standardisation_passes_and_matches_the_courses_standardizer():
    assert check.standardize(check.standardize_solution).status == CORRECT
    X_train, X_test = check._raw_split()
    scaler = Standardizer().fit(X_train)
    ours = check.standardize_solution(X_train, X_test)
    np.testing.assert_allclose(ours[0], scaler.transform(X_train), rtol=1e-12)
    np.testing.assert_allclose(ours[1], scaler.transform(X_test), rtol=1e-12)


@pytest.mark.parametrize("slip", check.STANDARDIZE_SLIPS, ids=range(len(check.STANDARDIZE_SLIPS)))
def test_every_standardisation_slip_is_named(slip):
    wrong_with(check.standardize(slip.function), slip.hint)


def test_the_slips_name_test_statistics_the_whole_data_the_variance_per_sample_and_a_forgotten_test_set():
    hints = " ".join(slip.hint for slip in check.STANDARDIZE_SLIPS)
    for words in ("come from the test set", "training and test sets together", "divided by the variance",
                  "along each row", "X_test comes back in raw units", "its own mean"):
        assert words in hints
    assert len({slip.hint for slip in check.STANDARDIZE_SLIPS}) == len(check.STANDARDIZE_SLIPS)


def test_calling_the_courses_standardizer_is_refused():
    def borrowed(X_train, X_test):
        scaler = Standardizer().fit(X_train)
        return scaler.transform(X_train), scaler.transform(X_test)

    wrong_with(check.standardize(borrowed), "Standardizer.fit", "Write this one yourself")


def forever(*args):
    while True:
        pass


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def test_odd_standardisations_get_plain_hints(short_time_limit):
    def template(X_train, X_test):
        raise NotImplementedError

    assert check.standardize(None).status == UNANSWERED
    assert check.standardize(template).status == UNANSWERED
    wrong_with(check.standardize(lambda X_train, X_test: None), "returned None")
    wrong_with(check.standardize(lambda X_train, X_test: 1 / 0), "ZeroDivisionError")
    wrong_with(check.standardize(lambda X_train, X_test: "text"), "Expected two arrays")
    wrong_with(check.standardize(forever), "did not finish within 0.3 seconds")
    wrong_with(check.standardize(lambda X: X), "must take")
    wrong_with(check.standardize("standardize"), "Expected your function itself")


def test_wrong_shapes_and_orders_get_a_hint_naming_them():
    solution = check.standardize_solution
    wrong_with(check.standardize(lambda a, b: solution(a, b)[0]), "one array", "Return both sets")
    wrong_with(check.standardize(lambda a, b: solution(a, b)[::-1]), "other order")
    wrong_with(check.standardize(lambda a, b: (solution(a, b)[0][:, 0], solution(a, b)[1])),
               "X_train_scaled has shape (225,)", "(225, 2)")
    wrong_with(check.standardize(lambda a, b: (solution(a, b)[0], solution(a, b)[1].T)), "X_test_scaled has shape")
    wrong_with(check.standardize(lambda a, b: (a, b, a)), "Expected two arrays")


def test_a_division_by_zero_is_never_right():
    wrong_with(check.standardize(lambda a, b: ((a - a.mean(axis=0)) / 0.0, b)), "infinite", "divided by zero")


def test_the_checks_of_the_bugs_section_are_reexported():
    from helpers.exercises import nb09_bugs
    assert set(getattr(nb09_bugs, "__all__", [])) <= set(dir(check))
