"""Exercise checks for notebook 01 · The forward pass.

    from helpers.exercises import nb01 as check
    check.neuron_output(0.1824)
"""

import numpy as np

from ..core.activations import relu, sigmoid, tanh
from ..checking.answers import read_shape
from ..checking.checks import check_number, check_shape, shown

# Exercise 1: one sigmoid neuron with three inputs (the numbers the notebook states).
NEURON_X = (1.0, 2.0, -1.0)
NEURON_W = (0.5, -0.25, 1.0)
NEURON_B = -0.5


def _neuron_numbers():
    """(w·x, z, a) for the exercise's neuron: the weighted sum, plus the bias, through the sigmoid."""
    weighted_sum = float(np.dot(NEURON_W, NEURON_X))
    z = weighted_sum + NEURON_B
    return weighted_sum, z, float(sigmoid(z))


def neuron_output(answer):
    """Check the neuron's output a = σ(w·x + b); two or more decimals are enough."""
    weighted_sum, z, a = _neuron_numbers()
    return check_number(
        answer, a, what="the neuron's output a", tol=5e-3,
        praise=f"z = w·x + b = {weighted_sum:g} + ({NEURON_B:g}) = {z:g}, and a = σ({z:g}) = {a:.4f}.",
        hints=[
            (z, f"{z:g} is z, the weighted sum plus the bias. The neuron still has to pass it "
                "through its activation: a = σ(z)."),
            (weighted_sum, f"{weighted_sum:g} is only w·x. Add the bias to get z, then apply the "
                           "sigmoid to get a."),
            (float(sigmoid(weighted_sum)), f"That is σ({weighted_sum:g}): the bias is missing. "
                                           f"Add b = {NEURON_B:g} to w·x before applying the sigmoid."),
            (float(sigmoid(weighted_sum - NEURON_B)), f"That is σ({weighted_sum - NEURON_B:g}): the bias went "
                                                      f"the wrong way. b = {NEURON_B:g} is negative, so adding "
                                                      "it makes z smaller."),
            (float(sigmoid(-z)), f"That is σ({-z:g}); the sign of z is flipped. Recheck each product "
                                 "w_i·x_i: two of them are negative."),
            (float(relu(z)), "That is ReLU(z). This neuron's activation is the sigmoid."),
            (float(tanh(z)), "That is tanh(z). This neuron's activation is the sigmoid."),
        ],
    )


LAYER_INPUTS = 3
LAYER_NEURONS = 4


def weight_shape(answer):
    """Check the shape of W for a layer from 3 inputs to 4 neurons: (4, 3)."""
    expected = (LAYER_NEURONS, LAYER_INPUTS)
    shape, _ = read_shape(answer) if answer is not None else (None, None)
    fallback = None
    if shape is not None and len(shape) == 1 and shape != (LAYER_NEURONS * LAYER_INPUTS,):
        fallback = (f"{shape} has one number: that is the shape of a vector such as x, b or z. "
                    "W is a matrix, so its shape has two numbers: (rows, columns).")
    elif shape is not None:
        fallback = (f"{shown(shape)} is not it. W·x must take {LAYER_INPUTS} numbers in and give {LAYER_NEURONS} "
                    "numbers out; which shape does that need?")
    return check_shape(
        answer, expected, what="the shape of W as a pair such as (2, 5)",
        praise="One row per neuron, one column per input: W·x then has one entry per neuron.",
        hints={
            expected[::-1]: "That is the transpose. Each ROW of W holds the weights coming into one "
                            "neuron, so the rows count the neurons and the columns count the inputs.",
            (LAYER_NEURONS * LAYER_INPUTS,): "Twelve is how many weights there are. The question asks how they "
                                              "are arranged: (rows, columns).",
        },
        fallback=fallback,
    )


RELU_Z = -2.5


def relu_of_negative(answer):
    """Check ReLU(z) for the negative z the notebook gives."""
    return check_number(
        answer, float(relu(RELU_Z)), what=f"ReLU({RELU_Z:g})",
        praise="ReLU passes positive numbers through unchanged and turns every negative one into 0.",
        hints=[
            (RELU_Z, f"{RELU_Z:g} is z itself. ReLU(z) = max(0, z): which of 0 and {RELU_Z:g} is larger?"),
            (-RELU_Z, "ReLU does not flip the sign (that would be the absolute value): it replaces a "
                      "negative z with 0."),
            (float(sigmoid(RELU_Z)), f"That is σ({RELU_Z:g}), the sigmoid. ReLU is max(0, z)."),
            (float(tanh(RELU_Z)), f"That is tanh({RELU_Z:g}). ReLU is max(0, z)."),
        ],
    )


NETWORK_SIZES = (3, 4, 4, 1)


def parameter_count(answer):
    """Check how many weights and biases the 3-4-4-1 network has: 3·4+4 + 4·4+4 + 4·1+1 = 41."""
    pairs = list(zip(NETWORK_SIZES[:-1], NETWORK_SIZES[1:]))
    weights = sum(n_in * n_out for n_in, n_out in pairs)
    biases = sum(NETWORK_SIZES[1:])
    return check_number(
        answer, weights + biases, what="the number of weights and biases",
        praise=f"{weights} weights (one per arrow) and {biases} biases (one per neuron after the input).",
        hints=[
            (weights, f"{weights} counts the weights only. Each neuron after the input also has a bias."),
            (biases, f"{biases} counts the biases only. Each arrow between two layers carries a weight too."),
            (weights + sum(NETWORK_SIZES), "The input layer has no biases: it only holds x. Count a bias "
                                           "for each neuron in layers 1, 2 and 3."),
            (sum(NETWORK_SIZES), f"{sum(NETWORK_SIZES)} is the number of units. Count the arrows "
                                 "(weights) and the biases instead."),
            (float(np.prod(NETWORK_SIZES)), "Multiplying every layer size together counts paths through the "
                                            "network, not weights. Count each layer's W (rows × columns), "
                                            "then add them up."),
        ],
    )
