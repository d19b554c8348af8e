"""Notebook 02's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import math

import pytest

from feedback import wrong_with

from helpers.checks import CORRECT, WRONG
from helpers.exercises import nb02 as check

EXERCISES = [check.squared_error_of_prediction, check.mse_of_two_outputs, check.punished_more]





@pytest.mark.parametrize("exercise", [check.squared_error_of_prediction, check.mse_of_two_outputs])
def test_text_and_lists_are_wrong_answers_not_errors(exercise):
    assert exercise("0.25").status == WRONG
    assert exercise([0.16, 0.04]).status == WRONG


# Exercise 1: the squared error of ŷ = 2.5 against y = 2.0

def test_squared_error_of_a_miss_above_the_target_is_0_25():
    y_hat, y = 2.5, 2.0
    assert check.squared_error_of_prediction((y_hat - y) ** 2).status == CORRECT
    assert check.squared_error_of_prediction((y - y_hat) ** 2).status == CORRECT
    assert "0.25" in check.squared_error_of_prediction(0.25).message


def test_forgetting_to_square_gets_the_square_hint():
    wrong_with(check.squared_error_of_prediction(0.5), "error ŷ − y itself", "squares it")


def test_the_flipped_sign_unsquared_gets_its_hint():
    wrong_with(check.squared_error_of_prediction(-0.5), "y − ŷ, not yet squared")


def test_a_negative_squared_error_is_called_impossible():
    wrong_with(check.squared_error_of_prediction(-0.25), "never negative")
    wrong_with(check.squared_error_of_prediction(-3.0), "never be negative")


def test_applying_the_half_gets_the_half_hint():
    wrong_with(check.squared_error_of_prediction(0.125), "½", "without the ½")


def test_squaring_each_side_before_subtracting_gets_its_hint():
    wrong_with(check.squared_error_of_prediction(2.5 ** 2 - 2.0 ** 2), "Subtract first, then square")


def test_an_unrecognised_answer_gets_the_general_message():
    wrong_with(check.squared_error_of_prediction(0.3), "is not it")


# Exercise 2: the MSE of ŷ = (0.6, 0.2) against y = (1.0, 0.0)

def test_mse_of_two_outputs_is_the_mean_of_the_squares():
    assert check.mse_of_two_outputs(((0.6 - 1.0) ** 2 + (0.2 - 0.0) ** 2) / 2).status == CORRECT
    assert check.mse_of_two_outputs(0.1).status == CORRECT
    assert "0.10" in check.mse_of_two_outputs(0.1).message


def test_summing_instead_of_averaging_gets_its_hint():
    wrong_with(check.mse_of_two_outputs(0.16 + 0.04), "sum of the squared errors", "divides", "2")


def test_averaging_unsquared_errors_gets_its_hint():
    wrong_with(check.mse_of_two_outputs((-0.4 + 0.2) / 2), "without squaring", "cancel")


def test_squaring_the_average_gets_its_hint():
    wrong_with(check.mse_of_two_outputs(((-0.4 + 0.2) / 2) ** 2), "squared the average")


def test_other_mse_slips():
    wrong_with(check.mse_of_two_outputs((0.4 + 0.2) / 2), "absolute errors")
    wrong_with(check.mse_of_two_outputs(0.05), "half the MSE")
    wrong_with(check.mse_of_two_outputs(0.16), "first output alone")
    wrong_with(check.mse_of_two_outputs(0.04), "second output alone")


def test_mse_squaring_the_summed_errors_is_named_with_the_second_output_it_equals():
    # (−0.4 + 0.2)² = 0.04 = 0.2²: one number, two slips, one hint naming both.
    wrong_with(check.mse_of_two_outputs((-0.4 + 0.2) ** 2), "second output alone", "squaring the sum")


def test_mse_adding_the_errors_without_squaring_gets_its_hint():
    wrong_with(check.mse_of_two_outputs(-0.4 + 0.2), "added the errors without squaring")


# Exercise 3: which prediction cross-entropy punishes more

def test_cross_entropy_punishes_the_prediction_that_gives_the_true_class_less():
    assert -math.log(0.45) > -math.log(0.50)
    feedback = check.punished_more("B")
    assert feedback.status == CORRECT
    assert "0.799" in feedback.message and "0.693" in feedback.message
    assert check.punished_more(" b ").status == CORRECT


def test_choosing_what_squared_error_would_punish_gets_the_true_class_hint():
    # Squared error ranks them the other way: A 0.50 against B 0.455.
    wrong_with(check.punished_more("A"), "squared error", "only the", "true class")


def test_an_option_that_does_not_exist_says_which_to_choose():
    wrong_with(check.punished_more("C"), "Choose one of 'A', 'B'")
