"""Checks for notebook 07, cat or dog.

The standardiser is rebuilt here from the notebook's recipe (load_cat_dog, train_test_split with
seed 0, Standardizer fitted on the training set), so the checks agree with what it prints.
"""

import math
import re
import time

import numpy as np

from ..checking import diagnose
from ..core.activations import _sigmoid_number
from ..checking.answers import read_number
from ..checking.checks import WRONG, Feedback, check_number
from ..checking.codecheck import Case, Slip, check_function, shown
from ..data import Standardizer, load_cat_dog, train_test_split
from ..core.network import Network
# Exercise 7, the training loop, checked by what a right loop does (imported here: `check.train_loop`).
from .nb07_loop import (_LOOP_SEED, LOOP_EXAMPLE, N_HIDDEN_RUNS, RIGHT_ORDERS, TRAIN_LOOP_SLIPS,  # noqa: F401
                        _train_loop_cases, train_loop, train_loop_solution)
# Exercise 6, the batch backward pass tensor by tensor (`check.backward_tensors`).
from .nb07_ninja import backward_tensors, backward_tensors_solution  # noqa: F401, E402
# Exercise 5, squared error's δ at a confident mistake (`check.confident_delta`).
from .nb07_slowdown import confident_delta  # noqa: F401, E402

# Exercise 1: a new animal to standardise.
NEW_WEIGHT_KG = 10.0

# Exercises 2 and 3: the network's two outputs z = (z_cat, z_dog) for one animal, which is a cat.
LOGITS = (0.4, 1.2)
# P(dog) ≈ 0.690; the praise speaks of "about 70 %", so 0.7 counts, and 0.69 of course. Wider would
# swallow the hint for σ(1.2) ≈ 0.769 into the one for 1.2 / 1.6 = 0.75.
P_DOG_TOLERANCE = 0.003  # np.isclose: within 0.003 + 0.003·0.69 ≈ 0.005 of P(dog), so 0.69 is right and 0.68 is not


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
    """softmax(0.4, 1.2)[1] = e^1.2 / (e^0.4 + e^1.2) = 0.68997 ≈ 0.69 (0.7, "about 70 %", P(dog) rounded to one
    decimal, is accepted too; 0.68 is not P(dog) rounded, and gets a hint)."""
    z_cat, z_dog = LOGITS
    expected = _p_dog()
    one_decimal = round(expected, 1)
    value, problem = read_number(answer)
    rounded_to_one_decimal = answer is not None and not problem and abs(value - one_decimal) < 1e-9
    return check_number(
        answer, one_decimal if rounded_to_one_decimal else expected, what="P(dog), a probability",
        tol=P_DOG_TOLERANCE,
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
            (_sigmoid_number(z_dog), "That is σ(1.2), the sigmoid of the dog output alone. Softmax compares "
                                         "both outputs: e^1.2 / (e^0.4 + e^1.2)."),
            (math.exp(z_dog), "That is e^1.2 alone. Divide by the sum e^0.4 + e^1.2, so the two probabilities "
                              "add up to 1."),
            (lambda a: not np.isclose(a, _p_dog(), rtol=P_DOG_TOLERANCE, atol=P_DOG_TOLERANCE)
                       and abs(a - _p_dog()) < 0.03 and abs(a - 0.7) > 1e-9,
             f"Close, but that is not P(dog) rounded: e^1.2 / (e^0.4 + e^1.2) = {_p_dog():.5f}, which rounds to "
             f"0.69 (or 0.7 to one decimal). Work out e^0.4 = {math.exp(0.4):.4f} and e^1.2 = {math.exp(1.2):.4f} "
             "again, and round only at the end."),
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


# ---- Exercise 7 (code): the mini-batch training loop, `train_loop`, lives in nb07_loop ----


# ---- Exercise 4 (code): δ of softmax with cross-entropy ----

DELTA_EXAMPLE = (np.array([[0.4, 1.2], [2.0, -1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
N_HIDDEN_LOGITS = 5


def _softmax_rows(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_whole_array(z):
    """The slip: np.exp(z) / np.exp(z).sum(), one sum over every sample's logits together."""
    e = np.exp(z - z.max())
    return e / e.sum()


def softmax_delta_solution(z, Y):
    """δ = ∂L/∂z = (softmax(z) − Y) / N for the mean cross-entropy of softmax(z) against one-hot Y."""
    return (_softmax_rows(z) - Y) / len(z)


SOFTMAX_DELTA_SLIPS = [
    Slip(lambda z, Y: _softmax_rows(z) - Y,
         "N times too large: the loss is the mean over the N samples, so δ = (p − y) / N."),
    Slip(lambda z, Y: (Y - _softmax_rows(z)) / len(z),
         "Right size, wrong sign: δ = (p − y)/N. Raising the true class's logit must lower the loss, so its entry "
         "of δ is negative, p − 1 < 0."),
    Slip(lambda z, Y: (z - Y) / len(z),
         "You used the logits z where the probabilities belong: δ = (softmax(z) − y) / N."),
    Slip(lambda z, Y: (_softmax_rows(z) - Y) / len(z) * _softmax_rows(z) * (1 - _softmax_rows(z)),
         "You multiplied by p(1 − p), as if each probability depended on its own logit only. Softmax's Jacobian is "
         "not diagonal: every logit moves every probability, and summing those paths leaves just (p − y) / N."),
    Slip(lambda z, Y: (_softmax_rows(z, axis=0) - Y) / len(z),
         "Your softmax runs down the columns, across samples. Each sample's probabilities add up to 1 along its "
         "row: normalise with axis=1."),
    Slip(lambda z, Y: (_softmax_whole_array(z) - Y) / len(z),
         "Your softmax divides by one sum over the whole array, every sample's logits together, so all the "
         "probabilities of the batch add up to 1 instead of each sample's. Sum along each row: "
         "np.exp(z).sum(axis=1, keepdims=True)."),
    Slip(lambda z, Y: (_softmax_rows(z) - Y) / z.shape[1],
         "You divided by the number of classes. The 1/N comes from averaging over the N samples, len(z)."),
]


def _delta_cases():
    example = Case("the worked example", lambda: tuple(a.copy() for a in DELTA_EXAMPLE),
                   "z = [[0.4, 1.2], [2.0, −1.0]], Y = [[1, 0], [0, 1]]")
    rng = np.random.default_rng(_LOOP_SEED + 1)
    cases = [example]
    for _ in range(N_HIDDEN_LOGITS):
        n, k = int(rng.integers(3, 7)), int(rng.integers(2, 5))
        if n == k:
            n += 1  # not square, so a softmax down the wrong axis cannot hide
        z = rng.normal(0, 2, size=(n, k))
        Y = np.eye(k)[rng.integers(0, k, size=n)]
        cases.append(Case("a hidden random batch", lambda z=z, Y=Y: (z.copy(), Y.copy()), f"{n} samples, {k} classes"))
    return cases


def observe_delta(function, args):
    return function(*args), args[0].shape


def read_delta(observed):
    value, want = observed
    if value is None:
        return None, "Your function returned None. End it with `return` followed by δ, an array like z."
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"Expected an array of numbers shaped like z, but your function returned {shown(value)}."
    if array.shape != want:
        if array.shape == want[::-1]:
            return None, f"δ has shape {array.shape}, z's transposed: keep one row per sample, shape {want}."
        return None, (f"δ has shape {array.shape}, but it must have the shape of z, {want}: one entry per logit. "
                      "(Summing over the samples belongs to ∂L/∂W, not to δ.)")
    return tuple(float(x) for x in array.ravel()), None


def _delta_cause(finding):
    if finding.factor is not None and finding.batch_size and abs(finding.factor * finding.batch_size - 1) < 1e-6:
        return "Divide by N once: the mean over the N samples gives δ = (p − y) / N, one 1/N."
    if finding.kind in ("some", "every"):
        return ("Check each sample's row: p = softmax of that row of z (its entries add up to 1), "
                "then δ = (p − y) / N.")
    return None


def _explain_delta(cases):
    """explain(function) for diagnose.after_check: where δ first differs on a case with more than two samples
    (so that a factor of N is not mistaken for 2), else on the first case that differs."""
    def explain(function):
        runs = []
        for case in cases:
            observed = observe_delta(function, case.make())
            if read_delta(observed)[1]:
                return None
            z, Y = case.make()
            runs.append((case, observed[0], softmax_delta_solution(z, Y), len(z)))
        runs.sort(key=lambda run: run[3] <= 2)
        for case, got, right, n in runs:
            told = diagnose.compare({"δ": got}, {"δ": right}, batch_size=n, cause=_delta_cause,
                                    where="" if case is cases[0] else f"On {case.name} ({case.show}), ")
            if told:
                return told
        return None
    return explain


_BROADCAST_AT = re.compile(r" at line \d+ of your cell(?: \(`[^`]*`\))?")
_BROADCAST_ON = re.compile(r" on (?:the worked example|a hidden random batch)(?: \([^)]*\))?")


def _broadcast_hint(feedback):
    """The check's feedback, with NumPy's broadcast error told in words (the softmax without keepdims)."""
    words = diagnose.broadcast_words(feedback.message)
    if feedback.status != WRONG or not words:
        return feedback
    at, on = _BROADCAST_AT.search(feedback.message), _BROADCAST_ON.search(feedback.message)
    where = (at.group(0) if at else "") + (on.group(0) if on else "")
    return Feedback(WRONG, f"Not yet. Your function stopped{where}. {words}")


def softmax_delta(function):
    """Check `softmax_delta(z, Y)`: δ = (softmax(z) − Y) / N, on the example and hidden random batches."""
    started = time.monotonic()
    cases = _delta_cases()
    feedback = check_function(
        function, cases=cases, expected=softmax_delta_solution, read=read_delta, observe=observe_delta,
        slips=SOFTMAX_DELTA_SLIPS, arguments="z, Y", what="softmax_delta",
        praise="δ = (p − y) / N: the predicted probabilities minus the one-hot truth, over the batch size.")
    feedback = diagnose.after_check(feedback, function, _explain_delta(cases), SOFTMAX_DELTA_SLIPS, started,
                                    expected=softmax_delta_solution)
    return _broadcast_hint(feedback)
