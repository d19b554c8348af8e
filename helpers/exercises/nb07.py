"""Checks for notebook 07, cat or dog.

The standardiser is rebuilt here from the notebook's recipe (load_cat_dog, train_test_split with
seed 0, Standardizer fitted on the training set), so the checks agree with what it prints.
"""

import math

import numpy as np

from ..checks import check_number
from ..data import Standardizer, load_cat_dog, train_test_split

# Exercise 1: a new animal to standardise.
NEW_WEIGHT_KG = 10.0

# Exercises 2 and 3: the network's two outputs z = (z_cat, z_dog) for one animal, which is a cat.
LOGITS = (0.4, 1.2)
# P(dog) ≈ 0.690; the praise speaks of "about 70 %", so 0.7 counts, and 0.69 of course. Wider would
# swallow the hint for σ(1.2) ≈ 0.769 into the one for 1.2 / 1.6 = 0.75.
P_DOG_TOLERANCE = 0.006  # np.isclose: within 0.006 + 0.006·0.69 ≈ 0.010 of P(dog)


def _scaler():
    X, y = load_cat_dog()
    X_train, _, _, _ = train_test_split(X, y, seed=0)
    return Standardizer().fit(X_train), X


def standardised_weight(answer):
    """NEW_WEIGHT_KG standardised with the training set's numbers: (10 − mean) / std."""
    scaler, X_all = _scaler()
    mean, std = scaler.mean[0], scaler.std[0]
    expected = (NEW_WEIGHT_KG - mean) / std
    tol = 5e-3 / (1 + abs(expected))  # two decimals of mean and std are enough
    return check_number(
        answer, expected, what="the standardised weight", tol=tol,
        hints=[
            ((NEW_WEIGHT_KG - X_all[:, 0].mean()) / X_all[:, 0].std(),
             "Close, but you used the mean and spread of all 300 animals. Use scaler.mean and scaler.std: "
             "the numbers of the training set only."),
            ((NEW_WEIGHT_KG - mean) / std ** 2,
             "You divided by the variance (std²). Divide by the standard deviation, scaler.std[0]."),
            (NEW_WEIGHT_KG / std, "Subtract the mean first: (weight − mean) / std."),
            (NEW_WEIGHT_KG - mean, "That is how far the animal is from the mean in kilograms. Divide by "
                                   "scaler.std[0] to measure it in standard deviations."),
            ((mean - NEW_WEIGHT_KG) / std, "Right size, wrong sign: (weight − mean) / std. A 10 kg animal is "
                                           "heavier than average, so its standardised weight is positive."),
            ((NEW_WEIGHT_KG - scaler.mean[1]) / scaler.std[1],
             "Those are the numbers of column 1, ear length. Weight is column 0: scaler.mean[0], scaler.std[0]."),
        ],
        praise=(f"(10 − {mean:.2f}) / {std:.2f} = {expected:.2f}: this animal is {expected:.2f} standard "
                "deviations heavier than the average animal of the training set."),
    )


def _p_dog():
    z_cat, z_dog = LOGITS
    return math.exp(z_dog) / (math.exp(z_cat) + math.exp(z_dog))


def p_dog(answer):
    """softmax(0.4, 1.2)[1] = e^1.2 / (e^0.4 + e^1.2) ≈ 0.69 (0.7, "about 70 %", is accepted too)."""
    z_cat, z_dog = LOGITS
    expected = _p_dog()
    return check_number(
        answer, expected, what="P(dog), a probability", tol=P_DOG_TOLERANCE,
        array_hints=[
            (lambda a: a.shape in ((2,), (1, 2)) and np.allclose(a.ravel(), [1 - expected, expected], atol=1e-3),
             "That is the whole softmax, both probabilities: [P(cat), P(dog)]. The question asks for P(dog) "
             "alone, the dog's entry: take element [1] of that array (for example softmax(...)[1])."),
            (lambda a: a.shape in ((2,), (1, 2)) and np.allclose(a.ravel(), [expected, 1 - expected], atol=1e-3),
             "Those are both probabilities with the outputs swapped round. The question asks for one number, "
             "P(dog) = e^1.2 / (e^0.4 + e^1.2)."),
        ],
        hints=[
            (z_dog / (z_cat + z_dog), "You divided the outputs themselves. Softmax first takes e to the power of "
                                      "each: e^1.2 / (e^0.4 + e^1.2)."),
            (1 - expected, "That is P(cat), the first output. P(dog) is the second: e^1.2 / (e^0.4 + e^1.2)."),
            (1 / (1 + math.exp(-z_dog)), "That is σ(1.2), the sigmoid of the dog output alone. Softmax compares "
                                         "both outputs: e^1.2 / (e^0.4 + e^1.2)."),
            (math.exp(z_dog), "That is e^1.2 alone. Divide by the sum e^0.4 + e^1.2, so the two probabilities "
                              "add up to 1."),
        ],
        praise=(f"P(dog) = e^1.2 / (e^0.4 + e^1.2) = {expected:.2f}, so P(cat) = {1 - expected:.2f}: "
                "a first guess of about 30 % cat, 70 % dog."),
    )


def cat_loss(answer):
    """Cross-entropy when the animal is a cat: −ln P(cat) = −ln(1 − 0.69) ≈ 1.17."""
    p_cat = 1 - _p_dog()
    expected = -math.log(p_cat)
    return check_number(
        answer, expected, what="the loss, a number", tol=3e-3,
        hints=[
            (-math.log(1 - p_cat), "That is −ln P(dog). The animal is a cat, so the loss looks at the "
                                   "probability of the true class: −ln P(cat)."),
            (math.log(p_cat), "A loss is never negative here: −ln P(cat). ln of a probability is negative, "
                              "so the minus sign makes it positive."),
            (-math.log10(p_cat), "That is the base-10 logarithm. Cross-entropy uses the natural log: "
                                 "math.log or np.log."),
            ((1 - p_cat) ** 2, "That is the squared error of the cat output. Cross-entropy is −ln P(cat)."),
            ((1 - p_cat) ** 2 + p_cat ** 2, "That is the squared error over both outputs. Cross-entropy is "
                                            "−ln P(cat)."),
        ],
        praise=(f"−ln({p_cat:.2f}) = {expected:.2f}. Had the network been sure it was a dog (P(cat) = 0.01), "
                f"the loss would be {-math.log(0.01):.2f}: confident mistakes cost the most."),
    )
