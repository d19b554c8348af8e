"""Notebook 07's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import math

import numpy as np
import pytest

from feedback import wrong_with

from helpers import softmax
from helpers.checks import CORRECT, WRONG
from helpers.data import Standardizer, load_cat_dog, train_test_split
from helpers.exercises import nb07 as check

EXERCISES = [check.standardised_weight, check.p_dog, check.cat_loss]



@pytest.fixture(scope="module")
def data():
    X, y = load_cat_dog()
    X_train, _, _, _ = train_test_split(X, y, test_fraction=0.25, seed=0)
    return X, Standardizer().fit(X_train)




@pytest.mark.parametrize("exercise", EXERCISES)
def test_text_and_lists_are_wrong_answers_not_errors(exercise):
    assert exercise("0.7").status == WRONG
    assert exercise([0.3, 0.7]).status == WRONG


# Exercise 1: standardise a 10 kg animal with the training set's numbers

def test_a_new_animal_is_standardised_with_the_training_sets_numbers(data):
    _, scaler = data
    assert check.standardised_weight((10 - scaler.mean[0]) / scaler.std[0]).status == CORRECT
    assert check.standardised_weight(scaler.transform([[10, 7]])[0, 0]).status == CORRECT
    assert check.standardised_weight(0.75).status == CORRECT          # (10 − 6.52) / 4.65 to two decimals


def test_standardising_slips_get_their_hints(data):
    X, scaler = data
    mean, std = scaler.mean[0], scaler.std[0]
    wrong_with(check.standardised_weight((10 - X[:, 0].mean()) / X[:, 0].std()), "all 300 animals")
    wrong_with(check.standardised_weight((10 - mean) / std ** 2), "variance")
    wrong_with(check.standardised_weight(10 / std), "Subtract the mean")
    wrong_with(check.standardised_weight(10 - mean), "in kilograms")
    wrong_with(check.standardised_weight((mean - 10) / std), "wrong sign")
    wrong_with(check.standardised_weight((10 - scaler.mean[1]) / scaler.std[1]), "column 1")


# Exercise 2: softmax of (0.4, 1.2)

def test_p_dog_is_the_second_softmax_output():
    expected = float(softmax(np.array([0.4, 1.2]))[1])
    assert check.p_dog(expected).status == CORRECT
    assert check.p_dog(0.69).status == CORRECT
    assert check.p_dog(0.7).status == CORRECT          # "about 70 %", as the praise says
    assert check.p_dog(0.71).status == WRONG
    assert check.p_dog(0.675).status == WRONG
    assert check.p_dog(0.690).status == CORRECT


def test_p_dog_refuses_a_wrong_rounding_and_says_what_it_rounds_to():
    for wrong in (0.68, 0.67, 0.684, 0.696):
        feedback = check.p_dog(wrong)
        assert feedback.status == WRONG, wrong
        assert "not P(dog) rounded" in feedback.message and "0.68997" in feedback.message
    assert "30 % cat, 70 % dog" in check.p_dog(0.69).message


def test_softmax_slips_get_their_hints():
    wrong_with(check.p_dog(1.2 / 1.6), "e to the power")
    wrong_with(check.p_dog(0.31), "P(cat)")
    wrong_with(check.p_dog(1 / (1 + math.exp(-1.2))), "sigmoid")
    wrong_with(check.p_dog(math.exp(1.2)), "e^1.2 alone")


def test_the_whole_softmax_the_exercise_suggests_gets_a_hint_to_take_the_dogs_entry():
    from helpers import softmax

    whole = softmax(np.array([0.4, 1.2]))
    wrong_with(check.p_dog(whole), "whole softmax", "element [1]")
    wrong_with(check.p_dog(list(whole)), "whole softmax")
    wrong_with(check.p_dog(softmax(np.array([[0.4, 1.2]]))), "whole softmax")
    wrong_with(check.p_dog(whole[::-1]), "swapped")
    assert check.p_dog(whole[1]).status == CORRECT


# Exercise 3: the cross-entropy of that guess for a cat

def test_the_loss_of_a_cat_is_minus_log_p_cat():
    p_cat = float(softmax(np.array([0.4, 1.2]))[0])
    assert check.cat_loss(-math.log(p_cat)).status == CORRECT
    assert check.cat_loss(1.17).status == CORRECT


def test_cross_entropy_slips_get_their_hints():
    p_cat = float(softmax(np.array([0.4, 1.2]))[0])
    wrong_with(check.cat_loss(-math.log(1 - p_cat)), "−ln P(dog)")
    wrong_with(check.cat_loss(math.log(p_cat)), "never negative")
    wrong_with(check.cat_loss(-math.log10(p_cat)), "natural log")
    wrong_with(check.cat_loss((1 - p_cat) ** 2), "squared error of the cat output")
    wrong_with(check.cat_loss((1 - p_cat) ** 2 + p_cat ** 2), "over both outputs")
