"""Notebook 08's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import numpy as np
import pytest

from feedback import wrong_with

from helpers.bugs import BUGS, KINDS
from helpers.checks import CORRECT, WRONG
from helpers.exercises import nb08 as check

EXERCISES = [check.relative_error_by_hand, check.verdict, check.which_bug, check.weights_mean_something]

A = np.array([0.30, -0.20, 0.10])
B = np.array([0.30, 0.20, 0.10])





@pytest.mark.parametrize("exercise", [check.verdict, check.which_bug, check.weights_mean_something])
def test_an_answer_that_is_not_an_option_lists_the_options(exercise):
    wrong_with(exercise("maybe"), "Choose one of")


# Exercise 1: a relative error by hand

def test_one_flipped_sign_gives_a_relative_error_of_about_half():
    answer = np.linalg.norm(A - B) / (np.linalg.norm(A) + np.linalg.norm(B))
    assert check.relative_error_by_hand(answer).status == CORRECT
    assert check.relative_error_by_hand(0.53).status == CORRECT
    assert "0.53" in check.relative_error_by_hand(0.5345).message


def test_relative_error_slips_get_their_hints():
    norm = np.linalg.norm(A)
    wrong_with(check.relative_error_by_hand(0.4), "‖a − b‖ alone")
    wrong_with(check.relative_error_by_hand(0.4 / norm), "one norm")
    wrong_with(check.relative_error_by_hand(0.16 / (2 * norm)), "not 0.16")
    wrong_with(check.relative_error_by_hand(0.4 / (2 * norm ** 2)), "not 0.14")
    wrong_with(check.relative_error_by_hand(0.4 / 1.2), "absolute values")
    wrong_with(check.relative_error_by_hand(0.0), "opposite signs")
    assert check.relative_error_by_hand("0.53").status == WRONG


# Exercise 2: reading a relative error against the two lines

def test_an_error_between_the_lines_is_suspicious():
    assert check.verdict("suspicious").status == CORRECT
    assert check.verdict(" Suspicious ").status == CORRECT


def test_verdict_slips_get_their_hints():
    wrong_with(check.verdict("agree"), "30 times the AGREE line")
    wrong_with(check.verdict("bug"), "below the SUSPICIOUS line")


# Exercise 3: naming the bug from its symptoms

def test_an_exploding_loss_with_a_downhill_tiny_step_is_a_learning_rate_too_high():
    assert check.which_bug("learning_rate_too_high").status == CORRECT


@pytest.mark.parametrize("kind, words", [
    ("wrong_sign", "even the tiny one"),
    ("missing_derivative", "fails the gradient check"),
    ("forgotten_bias_gradient", "for the biases"),
    ("dead_relu", "stall"),
    ("vanishing_gradients", "plateau"),
])
def test_every_other_bug_gets_a_hint_naming_the_symptom_that_rules_it_out(kind, words):
    assert kind in KINDS
    wrong_with(check.which_bug(kind), words)


# Exercise 4: the failure trap

def test_a_gradient_says_how_the_loss_moves_not_what_a_unit_means():
    assert check.weights_mean_something("b").status == CORRECT
    assert check.weights_mean_something(" B ").status == CORRECT
    wrong_with(check.weights_mean_something("a"), "rename and rescale")
    wrong_with(check.weights_mean_something("c"), "Numbering the hidden units differently")
    wrong_with(check.weights_mean_something("d"), "tiny nudge")
    assert check.weights_mean_something("yes").status == WRONG
    assert check.weights_mean_something("no").status == WRONG


def test_exercise_4_has_four_statements_and_one_right_one():
    assert set(check.MEANING_STATEMENTS) == set(check.MEANING_OPTIONS) and len(check.MEANING_OPTIONS) == 4
    right = [o for o in check.MEANING_OPTIONS if check.weights_mean_something(o).status == CORRECT]
    assert right == ["b"]


@pytest.mark.parametrize("kind", KINDS)
def test_which_bug_accepts_the_title_as_displayed_in_any_case(kind):
    title = BUGS[kind].title
    for written in (title, title.lower(), title.upper()):
        expected = CORRECT if kind == "learning_rate_too_high" else WRONG
        assert check.which_bug(written).status == expected
