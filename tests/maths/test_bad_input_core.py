"""Every public function of the maths core, given every kind of bad input a confused learner types.

For each argument of each function, one good call is changed in one place: text, None, a set, a
bool, a function where a number goes, NaN, inf, ±1e308, an empty list, a negative number, zero,
a 3-D array, and for arrays a flattened, transposed or column copy. Each row of the table says
which of these the argument accepts. Everything else must be refused with a TypeError or
ValueError whose message names the argument; what is accepted must come back finite, without a
RuntimeWarning. Never a traceback from inside NumPy, never a silent NaN.
"""

import dataclasses
import math
import warnings
from typing import Callable

import numpy as np
import pytest

from helpers import activations, data, losses, training, validate
from helpers.network import ForwardPass, Gradients, Network
from helpers.tiny import BiasedTwoTwoOne, TwoTwoOne

NAN, INF = float("nan"), float("inf")

# Whole-value replacements: what the argument is replaced by.
KINDS = {
    "text": "abc",
    "None": None,
    "set": {1.0, 2.0},
    "bool": True,
    "function": np.sin,
    "NaN": NAN,
    "inf": INF,
    "+1e308": 1e308,
    "-1e308": -1e308,
    "empty": [],
    "negative": -1,
    "zero": 0,
    "3-D": np.zeros((2, 2, 2)),
}
NUMBER_KINDS = {"negative", "zero", "+1e308", "-1e308"}
HUGE = {"+1e308", "-1e308"}  # inputs this large saturate a tanh (fine) or overflow a sum (refused), by the weights


def variants(good):
    """Every bad variant of one good value, by kind. Arrays also get one bad element, and mix-ups."""
    found = dict(KINDS)
    if isinstance(good, np.ndarray) and good.size:
        for kind, value in (("NaN", NAN), ("inf", INF), ("+1e308", 1e308), ("-1e308", -1e308)):
            poisoned = good.astype(np.float64)
            poisoned.flat[0] = value
            found[kind] = poisoned
        found["negative"] = -np.abs(good) - 1.0
        found["zero"] = np.zeros_like(good)
        if good.ndim == 2:
            found["flattened"] = good.ravel()
            found["transposed"] = good.T
        if good.ndim == 1:
            found["column"] = good.reshape(-1, 1)
            found["row"] = good.reshape(1, -1)
    return found


@dataclasses.dataclass
class Case:
    name: str
    call: Callable
    good: dict
    accepts: dict = dataclasses.field(default_factory=dict)  # argument -> kinds it must accept
    names: dict = dataclasses.field(default_factory=dict)  # argument -> the word its errors use
    may: dict = dataclasses.field(default_factory=dict)  # argument -> kinds accepted or refused, by the numbers
    errors: tuple = (TypeError, ValueError)


rng = np.random.default_rng(0)
X4 = rng.normal(size=(4, 2))
Y4 = rng.normal(size=(4, 1))
LABELS4 = np.array([0.0, 1.0, 1.0, 0.0])
PROBS = np.array([[0.2, 0.8], [0.6, 0.4]])
ONE_HOT = np.array([[0.0, 1.0], [1.0, 0.0]])


def regression_net():
    return Network([2, 3, 1], ["tanh", "linear"], "squared_error", seed=0)


def classifier():
    return Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=0)


def _forward(X):
    return regression_net().forward(X)


def _gradients():
    return regression_net().gradients(X4, Y4)[1]


ELEMENTWISE = NUMBER_KINDS | {"3-D", "flattened", "transposed", "column", "row"}

CASES = []
for _name in ("sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative", "linear",
              "linear_derivative"):
    CASES.append(Case(_name, getattr(activations, _name), {"z": np.array([[0.5, -1.0], [2.0, 0.0]])},
                      {"z": ELEMENTWISE}))
CASES += [
    Case("softmax", activations.softmax, {"z": np.array([[0.5, -1.0], [2.0, 0.0]])},
         {"z": NUMBER_KINDS | {"flattened", "transposed", "column", "row"}}),
    Case("get_activation", activations.get_activation, {"name": "tanh"}, names={"name": "activation"}),
    Case("log_softmax", losses.log_softmax, {"logits": np.array([[0.5, -1.0], [2.0, 0.0]])},
         {"logits": NUMBER_KINDS | {"flattened", "transposed", "column", "row"}}),
    Case("one_hot", losses.one_hot, {"labels": np.array([0.0, 2.0, 1.0]), "num_classes": 3},
         {"labels": {"zero"}}, {"labels": "labels"}),
    Case("softmax_cross_entropy", losses.softmax_cross_entropy, {"logits": np.array([[0.5, -1.0], [2.0, 0.0]]),
                                                                 "y": np.array([1.0, 0.0])},
         {"logits": NUMBER_KINDS | {"transposed"}, "y": {"zero"}}),
    Case("softmax_cross_entropy_gradient", losses.softmax_cross_entropy_gradient,
         {"logits": np.array([[0.5, -1.0], [2.0, 0.0]]), "y": np.array([1.0, 0.0])},
         {"logits": NUMBER_KINDS | {"transposed"}, "y": {"zero"}}),
    Case("get_loss", losses.get_loss, {"name": "mse"}, names={"name": "loss"}),
]
for _name in ("squared_error", "squared_error_gradient", "half_squared_error", "half_squared_error_gradient", "mse",
              "mse_gradient"):
    CASES.append(Case(_name, getattr(losses, _name), {"y_hat": np.array([[0.7], [0.2]]), "y": np.array([[1.0], [0.0]])},
                      {"y_hat": {"negative", "zero"}, "y": {"negative", "zero"}},
                      {"y_hat": "y_hat", "y": "y"}))
for _name in ("binary_cross_entropy", "binary_cross_entropy_gradient"):
    CASES.append(Case(_name, getattr(losses, _name), {"y_hat": np.array([[0.7], [0.2]]), "y": np.array([[1.0], [0.0]])},
                      {"y_hat": {"zero"}, "y": {"zero"}}))
for _name in ("cross_entropy", "cross_entropy_gradient"):
    CASES.append(Case(_name, getattr(losses, _name), {"y_hat": PROBS, "y": ONE_HOT},
                      # rows that do not add up to 1 (all zeros, PROBS transposed) are not probabilities
                      {"y_hat": set(), "y": {"transposed"}}))

CASES += [
    Case("Network", Network, {"sizes": [2, 3, 1], "activations": "sigmoid", "loss": "half_squared_error", "seed": 0,
                              "weight_scale": 0.5},
         {"seed": {"zero", "None"}, "weight_scale": {"None"}}, {"activations": "activation"}),
    Case("Network.from_weights", Network.from_weights,
         {"W": [np.ones((3, 2)), np.ones((1, 3))], "b": [np.zeros(3), np.zeros(1)]}),
    Case("Network.forward", lambda X: regression_net().forward(X), {"X": X4},
         {"X": {"negative", "zero"}}, may={"X": HUGE}),
    Case("Network.predict", lambda X: regression_net().predict(X), {"X": X4}, {"X": {"negative", "zero"}},
         may={"X": HUGE}),
    Case("Network.check_inputs", lambda X: regression_net().check_inputs(X), {"X": X4},
         {"X": {"negative", "zero", "+1e308", "-1e308"}}),
    Case("Network.loss_value", lambda X, y: regression_net().loss_value(X, y), {"X": X4, "y": Y4},
         {"X": {"negative", "zero"}, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    Case("Network.gradients", lambda X, y: regression_net().gradients(X, y), {"X": X4, "y": Y4},
         {"X": {"negative", "zero"}, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    Case("Network.backward", lambda fp, y: regression_net().backward(fp, y), {"fp": _forward(X4), "y": Y4},
         {"y": {"negative", "zero", "flattened"}}),
    Case("Network.check_targets", lambda y, n_samples: regression_net().check_targets(y, n_samples),
         {"y": Y4, "n_samples": 4}, {"y": {"negative", "zero", "flattened"}}),
    Case("Network.step", lambda grads, eta: regression_net().step(grads, eta), {"grads": _gradients(), "eta": 0.1},
         {"eta": {"+1e308"}}),
    Case("Network.set_weights", lambda W, b: regression_net().set_weights(W, b),
         {"W": [np.ones((3, 2)), np.ones((1, 3))], "b": [np.zeros(3), np.zeros(1)]}),
    Case("Network.set_parameters", lambda theta: regression_net().set_parameters(theta), {"theta": np.ones(13)},
         {"theta": {"negative", "zero", "+1e308", "-1e308"}}),
    Case("Network.flat_gradients", lambda grads: regression_net().flat_gradients(grads), {"grads": _gradients()}),
    Case("train", lambda net, X, y, eta, epochs, batch_size, seed, callback: training.train(
        net.copy() if isinstance(net, Network) else net, X, y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed, callback=callback),
         {"net": regression_net(), "X": X4, "y": Y4, "eta": 0.1, "epochs": 2, "batch_size": 2, "seed": 0,
          "callback": None},
         {"X": {"negative", "zero"}, "y": {"negative", "zero", "flattened"}, "eta": {"+1e308"},
          "epochs": {"zero"}, "batch_size": {"None"}, "seed": {"zero", "None"}, "callback": {"None"}},
         may={"X": HUGE}),
    Case("train with test data", lambda X_test, y_test: training.train(
        regression_net(), X4, Y4, eta=0.1, epochs=1, X_test=X_test, y_test=y_test),
         {"X_test": X4, "y_test": Y4}, {"X_test": {"negative", "zero"}, "y_test": {"negative", "zero", "flattened"}},
         may={"X_test": HUGE}),
    Case("accuracy", training.accuracy, {"net": classifier(), "X": X4, "y": LABELS4},
         {"X": {"negative", "zero"}, "y": {"zero", "column"}}, may={"X": HUGE}),
    Case("predict_labels", training.predict_labels, {"net": classifier(), "X": X4},
         {"X": {"negative", "zero"}}, may={"X": HUGE}),
    Case("is_classifier", training.is_classifier, {"net": classifier()}),
    Case("number_of_classes", training.number_of_classes, {"net": classifier()}),
    Case("descend_tiny", training.descend_tiny,
         {"net": TwoTwoOne(), "eta": 0.5, "steps": 3, "x1": 1.0, "x2": 0.5, "y": 1.0, "free": ("w3", "w4")},
         {"eta": {"+1e308"}, "steps": {"zero"}, "x1": NUMBER_KINDS, "x2": NUMBER_KINDS, "y": {"negative", "zero"},
          "free": {"empty"}}),
    Case("TwoTwoOne", TwoTwoOne, {"w1": -0.5, "w2": 0.3, "w3": 1.0, "w4": 0.6},
         {w: NUMBER_KINDS for w in ("w1", "w2", "w3", "w4")}),
    Case("TwoTwoOne.chain", lambda x1, x2, y: TwoTwoOne().chain(x1, x2, y), {"x1": 1.0, "x2": 0.5, "y": 1.0},
         {"x1": NUMBER_KINDS, "x2": NUMBER_KINDS, "y": {"negative", "zero"}}),
    Case("TwoTwoOne.loss with a huge weight", lambda w3: TwoTwoOne(w3=w3).loss(), {"w3": 1.0},
         {"w3": {"negative", "zero"}}),
    Case("TwoTwoOne.step", lambda eta: TwoTwoOne().step(eta), {"eta": 0.5}, {"eta": {"+1e308"}}),
    Case("BiasedTwoTwoOne", BiasedTwoTwoOne, {"b1": 0.1, "b2": -0.2, "b3": 0.05},
         {b: NUMBER_KINDS for b in ("b1", "b2", "b3")}),
    Case("BiasedTwoTwoOne.loss", lambda x1, x2, y: BiasedTwoTwoOne().loss(x1, x2, y), {"x1": 1.0, "x2": 0.5, "y": 1.0},
         {"x1": NUMBER_KINDS, "x2": NUMBER_KINDS, "y": {"negative", "zero"}}),
    Case("BiasedTwoTwoOne.gradients", lambda x1, x2, y: BiasedTwoTwoOne().gradients(x1, x2, y),
         {"x1": 1.0, "x2": 0.5, "y": 1.0}, {"x1": NUMBER_KINDS, "x2": NUMBER_KINDS, "y": {"negative", "zero"}}),
    Case("train_test_split", data.train_test_split, {"X": X4, "y": LABELS4, "test_fraction": 0.5, "seed": 0},
         {"X": {"negative", "zero", "+1e308", "-1e308"}, "y": {"negative", "zero", "+1e308", "-1e308"},
          "seed": {"zero"}}),
    Case("load_cat_dog", data.load_cat_dog, {"path": None}, {"path": {"None"}},
         errors=(TypeError, ValueError, FileNotFoundError)),
    Case("Standardizer.fit", lambda X: data.Standardizer().fit(X), {"X": X4},
         {"X": {"negative", "+1e308", "-1e308", "transposed"}}),
    Case("Standardizer.transform", lambda X: data.Standardizer().fit(X4).transform(X), {"X": X4},
         {"X": {"negative", "zero"}}, may={"X": HUGE}),
    Case("validate.as_number", lambda value: validate.as_number(value, "value"), {"value": 1.0},
         {"value": NUMBER_KINDS}),
    Case("validate.seed", lambda value: validate.seed(value, "seed"), {"value": 3}, {"value": {"zero", "None"}},
         {"value": "seed"}),
    Case("validate.as_array", lambda value: validate.as_array(value, "value"), {"value": X4},
         {"value": ELEMENTWISE}),
    Case("validate.learning_rate", lambda eta: validate.learning_rate(eta), {"eta": 0.1}, {"eta": {"+1e308"}}),
    Case("validate.positive_int", lambda value: validate.positive_int(value, "value"), {"value": 3}),
    Case("validate.choice", lambda value: validate.choice(value, "value", ("a", "b")), {"value": "a"}),
    Case("validate.function", lambda value: validate.function(value, "value", "f(x)", arguments=1), {"value": abs},
         {"value": {"function"}}),
]
# Arguments the sweep leaves out: n_samples is the count check_inputs returns, never typed by a learner.
NOT_SWEPT = {("Network.check_targets", "n_samples")}


def _sweep():
    for case in CASES:
        for argument, good in case.good.items():
            if (case.name, argument) in NOT_SWEPT:
                continue
            for kind, value in variants(good).items():
                yield pytest.param(case, argument, kind, value, id=f"{case.name}-{argument}-{kind}")


def _all_finite(value):
    if isinstance(value, (bool, str, type(None))):
        return True
    if isinstance(value, (int, float, np.number, np.ndarray)):
        return bool(np.all(np.isfinite(value)))
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_finite(v) for v in value)
    if dataclasses.is_dataclass(value):
        return all(_all_finite(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (Network, data.Standardizer)):
        return _all_finite(dict(getattr(value, "W", {}))) and _all_finite(getattr(value, "mean", None))
    return True


@pytest.mark.parametrize("case, argument, kind, value", list(_sweep()))
def test_bad_input_is_refused_by_name_or_handled_cleanly(case, argument, kind, value):
    arguments = {**case.good, argument: value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from NumPy fails the test
        try:
            result = case.call(**arguments)
        except case.errors as error:
            word = case.names.get(argument, argument)
            assert word in str(error), f"{case.name}({argument}={kind}) raised {error!r}, which does not name {word}"
            assert kind not in case.accepts.get(argument, set()) - case.may.get(argument, set()), (
                f"{case.name} should accept {argument}={kind}, but raised {error!r}")
            return
    allowed = case.accepts.get(argument, set()) | case.may.get(argument, set())
    assert kind in allowed, f"{case.name} accepted {argument}={kind} and returned {result!r}"
    assert _all_finite(result), f"{case.name}({argument}={kind}) returned NaN or inf: {result!r}"


def test_every_public_function_of_the_core_is_in_the_table():
    covered = {case.name.split(" ")[0].split(".")[-1] for case in CASES} | {case.name.split(".")[0] for case in CASES}
    modules = (activations, losses, training)
    public = {name for module in modules for name, value in vars(module).items()
              if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == module.__name__
              and not isinstance(value, type)}
    missing = sorted(public - covered)
    assert not missing, f"public functions with no row in the bad-input table: {missing}"


# --- the examples the issue names, one by one -----------------------------------------------------------------


def test_softmax_cross_entropy_of_logits_at_the_float_limits_is_exactly_zero_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.softmax_cross_entropy([[1e308, -1e308]], [0]) == 0.0
        np.testing.assert_array_equal(activations.softmax([1e308, -1e308]), [1.0, 0.0])
        np.testing.assert_array_equal(losses.softmax_cross_entropy_gradient([[1e308, -1e308]], [0]), [[0.0, 0.0]])
        # And a confident wrong answer costs the whole gap between the logits: 2e308 is not a float, so
        # use ±1e150, whose gap 2e150 is.
        assert losses.softmax_cross_entropy([[1e150, -1e150]], [1]) == pytest.approx(2e150)


def test_a_network_whose_output_is_softmax_at_huge_logits_keeps_a_finite_loss():
    net = Network.from_weights([np.array([[1e300, 0.0], [-1e300, 0.0]])], [np.zeros(2)], "softmax", "cross_entropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert net.loss_value([[1e7, 0.0]], [0]) == 0.0


def test_a_transposed_weight_matrix_is_blamed_not_the_bias():
    W1, W2 = np.ones((3, 2)), np.ones((1, 3))
    with pytest.raises(ValueError, match=r"^W2 has shape \(3, 1\), so it takes 1 input, but W1 has shape \(2, 3\)"):
        Network.from_weights([W1.T, W2.T], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"^W1 has shape \(2, 3\), so layer 1 has 2 neurons, but b1 holds 3 values.*"
                                         r"is W1 transposed\?"):
        Network.from_weights([W1.T], [np.zeros(3)])


def test_one_sample_given_as_a_flat_list_gets_a_hint_to_reshape():
    with pytest.raises(ValueError, match=r"^X has shape \(3,\): one sample with 3 features, but the network expects "
                                         r"1 input; if it holds 3 samples of 1 feature, pass np.reshape\(X, \(-1, 1\)\)$"):
        Network([1, 3, 1]).forward([1.0, 2.0, 3.0])


def test_a_set_of_sizes_and_a_giant_layer_are_refused_before_any_memory_is_used():
    with pytest.raises(TypeError, match=r"^sizes must be a list .*\(set\) \(a set keeps no order"):
        Network({2, 3, 1})
    with pytest.raises(ValueError, match=r"^sizes \[2, 1000000000000, 1\] would make a network with "
                                         r"4,000,000,000,001 weights and biases"):
        Network([2, 10**12, 1])


def test_accuracy_refuses_regression_networks_and_impossible_labels():
    with pytest.raises(ValueError, match=r"^accuracy needs a classifier .* loss is 'squared_error'"):
        training.accuracy(regression_net(), X4, LABELS4)
    with pytest.raises(ValueError, match=r"^y must hold class labels from 0 to 1 for this network, but it holds values "
                                         r"from 0 to 2$"):
        training.accuracy(classifier(), X4, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"^y must hold whole-number class labels, but it holds 0.5$"):
        training.accuracy(classifier(), X4, [0, 0.5, 1, 0])


def test_a_forward_pass_or_gradients_from_elsewhere_are_refused_by_name():
    net = regression_net()
    with pytest.raises(TypeError, match=r"^fp must be the ForwardPass .* but got an array of shape \(4, 2\)"):
        net.backward(X4, Y4)
    other = Network([2, 5, 1], ["tanh", "linear"], "squared_error")
    with pytest.raises(ValueError, match=r"^fp.a\[1\] has shape \(4, 5\), but layer 1 of this network has 3 neurons"):
        net.backward(other.forward(X4), Y4)
    with pytest.raises(TypeError, match=r"^grads must be the Gradients .* but got \{'dL_dW': \{\}\} \(dict\)$"):
        net.step({"dL_dW": {}}, 0.1)


def test_a_callback_that_is_not_a_function_is_refused_before_the_network_changes():
    net = regression_net()
    before = net.parameters()
    with pytest.raises(TypeError, match=r"^callback must be a function such as `def show\(epoch, history\): \.\.\.`"):
        training.train(net, X4, Y4, eta=0.1, epochs=3, callback=5)
    np.testing.assert_array_equal(net.parameters(), before)


@pytest.mark.parametrize("seed, error", [("abc", TypeError), (1.5, TypeError), (-1, ValueError), (True, TypeError)])
def test_train_and_network_share_one_rule_for_seeds(seed, error):
    with pytest.raises(error, match=r"^seed must be a whole number of at least 0 \(or None\)"):
        training.train(regression_net(), X4, Y4, eta=0.1, epochs=1, seed=seed)
    with pytest.raises(error, match=r"^seed must be a whole number of at least 0 \(or None\)"):
        Network([2, 1], seed=seed)


@pytest.mark.parametrize("call", [lambda: TwoTwoOne(w3=1e200).loss(), lambda: TwoTwoOne().chain(y=1e200),
                                  lambda: training.descend_tiny(TwoTwoOne(), 0.5, 3, y=1e200)])
def test_the_tiny_network_explains_an_overflowing_square(call):
    with pytest.raises(ValueError, match=r"too large to square as a floating-point number; keep the weights w3, w4 "
                                         r"and the target y well below 1e150$"):
        call()


def test_the_tiny_network_at_the_edge_of_the_floats_still_answers():
    # |ŷ − y| just under √(largest float) squares to a finite number, so the loss is still given.
    edge = math.sqrt(np.finfo(np.float64).max) * 0.999
    assert math.isfinite(TwoTwoOne().chain(y=-edge).loss)


@pytest.mark.parametrize("call, word", [(lambda: losses.mse(1e308, -1e308), "mse"),
                                        (lambda: losses.squared_error(1e200, 0), "squared_error")])
def test_losses_that_would_overflow_say_so_instead_of_returning_inf(call, word):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=rf"^{word} is too large for a floating-point number"):
            call()


def test_standardizer_fits_values_at_the_float_limits_exactly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = data.Standardizer().fit(np.array([[1e308, 1.0], [-1e308, 3.0]]))
    np.testing.assert_array_equal(scaler.mean, [0.0, 2.0])
    np.testing.assert_array_equal(scaler.std, [1e308, 1.0])
    np.testing.assert_array_equal(scaler.transform([[1e308, 2.0]]), [[1.0, 0.0]])


def test_a_huge_weight_scale_is_refused():
    with pytest.raises(ValueError, match=r"^weight_scale must be a positive number up to 1000"):
        Network([2, 1], weight_scale=1e308)


@pytest.mark.parametrize("value", [True, np.True_, [True, False]])
def test_true_and_false_are_not_numbers_to_an_activation(value):
    with pytest.raises(TypeError, match=r"^z must hold numbers, but it holds True/False values; use 1.0 and 0.0 instead$"):
        activations.sigmoid(value)


def test_free_must_name_weights():
    with pytest.raises(TypeError, match=r"^free must name the weights that learn, such as 'w3' or \('w3', 'w4'\), "
                                        r"but got None \(NoneType\)$"):
        training.descend_tiny(TwoTwoOne(), 0.5, 3, free=None)
