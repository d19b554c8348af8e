"""Checks for notebook 09, debugging training: the checks practitioners run before and during a long run."""

import math

import numpy as np

from ..checking.checks import check_number
from ..checking.codecheck import Case, Slip, check_function, shown
from ..data import load_cat_dog, train_test_split
from .nb09_bugs import *  # noqa: F401,F403

# Exercise 1: the loss a network that knows nothing should start at, for ten balanced classes.
CLASSES = 10

# Exercise 2: an unbalanced set, 90 % cats and 10 % dogs, with a calm start (output bias at ln of the shares).
SHARES = (0.9, 0.1)


def initial_loss_ten_classes(answer):
    """A network that knows nothing answers 1/10 for each of 10 classes: its cross-entropy is ln 10 ≈ 2.303."""
    expected = math.log(CLASSES)
    return check_number(
        answer, expected, what="the loss at the start", tol=5e-3,  # two decimals are enough
        hints=[
            (1 / CLASSES, "0.1 is the probability each class gets. The loss is −ln of the probability given to the "
                          "true class: −ln(1/10)."),
            (math.log10(CLASSES), "That is log base 10. Cross-entropy uses the natural logarithm, ln (np.log): "
                                  "−ln(1/10)."),
            (math.log2(CLASSES), "That is log base 2. Cross-entropy here uses the natural logarithm, ln (np.log): "
                                 "−ln(1/10)."),
            (math.log(2), "ln 2 is the start for two classes, cat or dog. With ten classes each gets 1/10."),
            (-expected, "The loss is −ln p, and ln of a probability below 1 is negative, so the loss is positive."),
            (CLASSES * expected, "Only the true class's term counts: the target is 1 for it and 0 for the other nine, "
                                 "so the loss is −ln p of that one class, not a sum over all ten."),
            (expected / CLASSES, "Only the true class's term counts, with weight 1 (its target), not 1/10: "
                                 "−ln(1/10)."),
        ],
        praise=(f"ln 10 ≈ {expected:.3f}. A ten-class network whose first loss is far from 2.3 is sure of "
                "something it cannot know yet: look at its output layer before training."),
    )


def unbalanced_start_loss(answer):
    """90 % cats, 10 % dogs, a calm start answering (0.9, 0.1) for every animal: −(0.9 ln 0.9 + 0.1 ln 0.1)."""
    p_cat, p_dog = SHARES
    expected = -(p_cat * math.log(p_cat) + p_dog * math.log(p_dog))
    return check_number(
        answer, expected, what="the loss at the start", tol=5e-3,
        hints=[
            (math.log(2), "ln 2 is the start with the output bias at 0, where the network answers 50 : 50. With "
                          "the bias at ln 0.9 and ln 0.1 it answers 0.9 for cat and 0.1 for dog, for every animal."),
            (-math.log(p_cat), "That is the loss on a cat alone, −ln 0.9. One animal in ten is a dog, with loss "
                               "−ln 0.1: average the two with weights 0.9 and 0.1."),
            (-math.log(p_dog), "That is the loss on a dog alone, −ln 0.1. Nine animals in ten are cats, with loss "
                               "−ln 0.9: average the two with weights 0.9 and 0.1."),
            (-(math.log(p_cat) + math.log(p_dog)), "You added the two losses. The loss is a mean over the animals: "
                                                   "0.9 of them lose −ln 0.9 each and 0.1 of them −ln 0.1."),
            (-(math.log(p_cat) + math.log(p_dog)) / 2, "You averaged cats and dogs as if there were as many of each. "
                                                       "Weigh them by their shares, 0.9 and 0.1."),
            (-(p_cat * math.log2(p_cat) + p_dog * math.log2(p_dog)),
             "That is in bits (log base 2). Cross-entropy here uses the natural logarithm, ln (np.log)."),
            (-expected, "The loss is positive: each −ln p is positive for a probability below 1."),
        ],
        praise=(f"−(0.9 ln 0.9 + 0.1 ln 0.1) ≈ {expected:.3f}, the input-blind baseline of this set, well below "
                "ln 2. A calm start begins where knowing only the class shares gets you; everything below it "
                "the network must learn from the features."),
    )


# ---- Exercise 3 (code): standardise the inputs, with the training set's numbers ----
#
# The learner writes `standardize(X_train, X_test)` returning both sets rescaled per feature to the training
# set's mean 0 and standard deviation 1, as helpers.data.Standardizer does. The check runs it on the raw
# cat-or-dog split and on hidden random sets whose test set is shifted, so that every slip below gives
# numbers of its own.

N_RANDOM_SETS = 3
_SEED = 909


def standardize_solution(X_train, X_test):
    """Each feature rescaled with the TRAINING set's mean and (population) standard deviation, both sets."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def _with(stats):
    def standardize(X_train, X_test):
        mean, std = stats(X_train, X_test)
        return (X_train - mean) / std, (X_test - mean) / std
    return standardize


def _each_own(X_train, X_test):
    def own(X):
        return (X - X.mean(axis=0)) / X.std(axis=0)
    return own(X_train), own(X_test)


def _per_sample(X_train, X_test):
    def rows(X):
        return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    return rows(X_train), rows(X_test)


def _test_untouched(X_train, X_test):
    return standardize_solution(X_train, X_test)[0], X_test


def _min_max(X_train, X_test):
    low, high = X_train.min(axis=0), X_train.max(axis=0)
    return (X_train - low) / (high - low), (X_test - low) / (high - low)


STANDARDIZE_SLIPS = [
    Slip(_with(lambda tr, te: (te.mean(axis=0), te.std(axis=0))),
         "Your mean and standard deviation come from the test set. The test set stands for data the network has "
         "never seen: take both numbers from X_train, then use them for both sets."),
    Slip(_with(lambda tr, te: (np.vstack([tr, te]).mean(axis=0), np.vstack([tr, te]).std(axis=0))),
         "Your mean and standard deviation come from the training and test sets together, so the test set "
         "leaks into the inputs the network trains on. Take both numbers from X_train alone."),
    Slip(_each_own,
         "The test set is standardised with its own mean and standard deviation. Use the training set's numbers "
         "for both: the network learnt on inputs scaled that way, and a new animal must be scaled the same way "
         "(one animal alone has no spread to divide by)."),
    Slip(_test_untouched,
         "X_test comes back in raw units: kilograms and centimetres for a network that trained on standardised "
         "inputs. Apply the same (X − mean) / std, with the training set's numbers, to X_test too."),
    Slip(_with(lambda tr, te: (tr.mean(axis=0), tr.var(axis=0))),
         "You divided by the variance, the square of the standard deviation. Divide by the standard deviation, "
         "X_train.std(axis=0), so that each feature ends with spread 1."),
    Slip(_with(lambda tr, te: (tr.mean(axis=0), tr.std(axis=0, ddof=1))),
         "Almost: you divided by the sample standard deviation (ddof=1, dividing by N − 1). That is a fine choice "
         "in practice; this check, like the course's Standardizer, uses NumPy's default X_train.std(axis=0) "
         "(dividing by N), so the numbers match."),
    Slip(_per_sample,
         "Your mean and standard deviation run along each row, one sample's features (axis=1). Standardise each "
         "feature, down the columns: X_train.mean(axis=0) and X_train.std(axis=0), one number per feature."),
    Slip(_with(lambda tr, te: (tr.mean(), tr.std())),
         "You used one mean and one standard deviation for the whole array, every feature together. Kilograms "
         "and centimetres need a number each: X_train.mean(axis=0) and X_train.std(axis=0)."),
    Slip(_with(lambda tr, te: (tr.mean(axis=0), 1.0)),
         "You subtracted the mean but did not divide by the standard deviation, so each feature keeps its own "
         "spread. Divide by X_train.std(axis=0) too."),
    Slip(_with(lambda tr, te: (0.0, tr.std(axis=0))),
         "You divided by the standard deviation but did not subtract the mean first. Subtract X_train.mean(axis=0), "
         "then divide."),
    Slip(_min_max,
         "You rescaled each feature to the range 0 to 1 (min-max scaling). Standardising subtracts the mean and "
         "divides by the standard deviation instead, so each feature gets mean 0 and spread 1."),
]

_RAW = {}


def _raw_split():
    """The cat-or-dog data in kilograms and centimetres, split as in notebook 07 (cached; copies handed out)."""
    if not _RAW:
        X, y = load_cat_dog()
        X_train, X_test, _, _ = train_test_split(X, y, seed=0)
        _RAW["split"] = (X_train, X_test)
    return tuple(a.copy() for a in _RAW["split"])


def _standardize_cases():
    cases = [Case("the cat-or-dog data", _raw_split, "225 training and 75 test animals, in kg and cm")]
    rng = np.random.default_rng(_SEED)
    for _ in range(N_RANDOM_SETS):
        d, n_train, n_test = int(rng.integers(2, 5)), int(rng.integers(6, 12)), int(rng.integers(3, 6))
        centre, spread = rng.uniform(-20, 20, size=d), rng.uniform(0.5, 10, size=d)
        X_train = rng.normal(centre, spread, size=(n_train, d))
        X_test = rng.normal(centre + spread, spread * 1.5, size=(n_test, d))  # a test set unlike the training set
        cases.append(Case("a hidden random data set", lambda a=X_train, b=X_test: (a.copy(), b.copy()),
                          f"{n_train} training and {n_test} test samples of {d} features"))
    return cases


def observe_standardize(function, args):
    return function(*args), args[0].shape, args[1].shape


def _as_array(value):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    return array


def read_standardize(observed):
    value, train_shape, test_shape = observed
    if value is None:
        return None, ("Your function returned None. End it with `return X_train_scaled, X_test_scaled`: both "
                      "sets, the training set first.")
    if isinstance(value, np.ndarray) and value.shape in (train_shape, test_shape):
        return None, ("Your function returned one array. Return both sets, the training set first: "
                      "`return X_train_scaled, X_test_scaled`.")
    if isinstance(value, (str, bytes, dict, set)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        return None, ("Expected two arrays, `return X_train_scaled, X_test_scaled`, but your function returned "
                      f"{shown(value)}.")
    arrays = [_as_array(v) for v in value]
    if any(a is None for a in arrays):
        return None, f"Expected two arrays of numbers, but your function returned {shown(value)}."
    got = tuple(a.shape for a in arrays)
    if got == (test_shape, train_shape) and train_shape != test_shape:
        return None, ("Your function returned the two sets in the other order. Return the training set first: "
                      "`return X_train_scaled, X_test_scaled`.")
    for name, shape, want in (("X_train_scaled", got[0], train_shape), ("X_test_scaled", got[1], test_shape)):
        if shape != want:
            return None, (f"{name} has shape {shape}, but it must keep the shape of the set it comes from, {want}: "
                          "standardising changes the numbers, never the rows or columns.")
    return tuple(float(x) for a in arrays for x in a.ravel()), None


def standardize(function):
    """Check `standardize(X_train, X_test)`: both sets rescaled per feature with the training set's mean and
    standard deviation."""
    return check_function(
        function, cases=_standardize_cases(), expected=standardize_solution, read=read_standardize,
        observe=observe_standardize, slips=STANDARDIZE_SLIPS, arguments="X_train, X_test", what="standardize",
        praise=("Right: every feature of both sets is shifted by the training set's mean and divided by its standard "
                "deviation. The training set now has mean 0 and spread 1 in each feature; the test set is close, "
                "and it told the network nothing while it learnt."))
