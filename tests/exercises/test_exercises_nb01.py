"""Notebook 01's checks: the worked solutions pass, typical slips get their own hint, None is unanswered."""

import math

import numpy as np
import pytest

from helpers import sigmoid
from helpers.exercises import nb01 as check


def test_the_neuron_output_worked_by_hand_is_accepted():
    # w·x = 0.5·1 + (−0.25)·2 + 1·(−1) = −1; z = −1 + (−0.5) = −1.5; a = σ(−1.5)
    a = 1.0 / (1.0 + math.exp(1.5))
    assert check.neuron_output(a).ok
    assert check.neuron_output(0.18).ok  # two decimals are enough
    assert check.neuron_output(np.float64(0.1824)).ok
    assert check.neuron_output(sigmoid(-1.5)).ok  # the worked solution, a 0-d array


@pytest.mark.parametrize("answer, hint", [
    (-1.5, "through its activation"),
    (-1.0, "only w·x"),
    (1.0 / (1.0 + math.exp(1.0)), "the bias is missing"),
    (1.0 / (1.0 + math.exp(0.5)), "the bias went the wrong way"),
    (1.0 / (1.0 + math.exp(-1.5)), "sign of z is flipped"),
    (0.0, "ReLU(z)"),
    (math.tanh(-1.5), "tanh(z)"),
])
def test_neuron_output_names_the_forgotten_bias_or_skipped_activation(answer, hint):
    feedback = check.neuron_output(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_a_layer_from_3_inputs_to_4_neurons_has_W_of_shape_4_by_3():
    assert check.weight_shape((4, 3)).ok
    assert check.weight_shape([4, 3]).ok
    assert check.weight_shape(np.zeros((4, 3)).shape).ok


@pytest.mark.parametrize("answer, hint", [
    ((3, 4), "transpose"),
    (12, "how many weights"),
    ((4,), "shape of a vector"),
    ((3,), "shape of a vector"),
    ((4, 4), "3 numbers in and give 4 numbers out"),
    ("4x3", "A shape is a pair of whole numbers"),
    (np.zeros((4, 3)), "not a table of shape (4, 3)"),
    (("4", "3"), "written as text"),
    (np.array(["4", "3"]), "written as text"),
    ((4.5, 3), "not a whole number"),
    ((float("nan"), 3), "A shape is a pair of whole numbers"),
    (10 ** 400, "too large"),
])
def test_weight_shape_hints_at_the_transpose_and_other_slips(answer, hint):
    feedback = check.weight_shape(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_relu_of_a_negative_number_is_zero():
    assert check.relu_of_negative(0).ok
    assert check.relu_of_negative(0.0).ok


@pytest.mark.parametrize("answer, hint", [
    (-2.5, "z itself"),
    (2.5, "absolute value"),
    (1.0 / (1.0 + math.exp(2.5)), "the sigmoid"),
    (math.tanh(-2.5), "tanh"),
])
def test_relu_hints_name_the_function_actually_applied(answer, hint):
    feedback = check.relu_of_negative(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_the_3_4_4_1_network_has_41_weights_and_biases():
    # 3·4 + 4 + 4·4 + 4 + 4·1 + 1 = 41
    assert check.parameter_count(41).ok


@pytest.mark.parametrize("answer, hint", [
    (32, "weights only"),
    (9, "biases only"),
    (44, "input layer has no biases"),
    (12, "number of units"),
    (48, "Multiplying every layer size"),
])
def test_parameter_count_hints_at_the_forgotten_biases(answer, hint):
    feedback = check.parameter_count(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_weight_shape_accepts_the_shape_as_a_list_or_array_of_whole_numbers():
    assert check.weight_shape([4, 3]).ok
    assert check.weight_shape(np.array([4, 3])).ok
    assert check.weight_shape((4.0, 3.0)).ok


def test_a_long_answer_to_weight_shape_gets_a_short_hint():
    feedback = check.weight_shape(list(range(100_000)))
    assert feedback.status == "wrong" and len(feedback.message) < 300
