"""Every public function of gradcheck, bugs and recipe, given every kind of bad input a confused learner types.

The same sweep as test_bad_input_core.py, with its kinds of bad input and its rule: one good call is
changed in one place; what an argument does not accept must be refused with a TypeError or ValueError
that names it, and what it accepts must come back finite (inf only where a row says a run may diverge),
without a RuntimeWarning.
"""

import dataclasses
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from test_bad_input_core import HUGE, LABELS4, NUMBER_KINDS, X4, Y4, Case, _all_finite, classifier, regression_net, variants

from helpers import bugs, gradcheck, recipe
from helpers.network import Network


@dataclasses.dataclass
class Row(Case):
    may_diverge: dict = dataclasses.field(default_factory=dict)  # argument -> kinds whose result may hold inf


def _square_sum(theta):
    return float(np.sum(theta ** 2))


def _my_backward(net, fp, Y):
    grads = net.backward(fp, Y)
    return grads.dL_dW, grads.dL_db


def _flat_gradients():
    net = regression_net()
    return net.flat_gradients(net.gradients(X4, Y4)[1])


def _plot(function):
    def call(**arguments):
        try:
            return function(**arguments) is not None
        finally:
            plt.close("all")
    return call


SYMPTOMS = bugs.symptoms("wrong_sign")
ERRORS = {(1, "W"): 1e-9, (1, "b"): 2e-9}
X_LIST = {"X": {"negative", "zero"}}

CASES = [
    # gradcheck
    Row("numerical_derivative", gradcheck.numerical_derivative, {"f": np.sin, "x": 0.5, "eps": 1e-5},
        {"f": {"function"}, "x": {"negative", "zero"}}),
    Row("numerical_gradient", gradcheck.numerical_gradient,
        {"f": _square_sum, "theta": np.array([0.5, -1.0]), "eps": 1e-5},
        {"theta": {"negative", "zero", "column", "row", "3-D"}}),
    Row("relative_error", gradcheck.relative_error, {"a": np.array([1.0, 2.0]), "b": np.array([1.0, 2.1])},
        {"a": NUMBER_KINDS, "b": NUMBER_KINDS}),
    Row("verdict", gradcheck.verdict, {"error": 1e-9}, {"error": {"zero", "+1e308"}}),
    Row("shown", gradcheck.shown, {"error": 1e-9}, {"error": {"zero", "+1e308"}}),
    Row("network_numerical_gradient", gradcheck.network_numerical_gradient,
        {"net": regression_net(), "X": X4, "y": Y4, "eps": 1e-5},
        {**X_LIST, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    Row("parameter_parts", gradcheck.parameter_parts, {"net": regression_net()}),
    Row("GradientCheck", gradcheck.GradientCheck, {"errors": ERRORS, "whole": 1e-9}, {"whole": {"zero", "+1e308"}}),
    Row("compare_gradients", gradcheck.compare_gradients,
        {"net": regression_net(), "exact": _flat_gradients(), "numerical": _flat_gradients() + 1e-9},
        {"exact": NUMBER_KINDS, "numerical": NUMBER_KINDS}),
    Row("check_network_gradients", gradcheck.check_network_gradients,
        {"net": regression_net(), "X": X4, "y": Y4, "eps": 1e-5},
        {**X_LIST, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    Row("float32_gradient_check", gradcheck.float32_gradient_check,
        {"net": regression_net(), "X": X4, "y": Y4, "eps": 1e-2},
        {**X_LIST, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    Row("gradient_costs", gradcheck.gradient_costs, {"net": regression_net(), "n_samples": 5}),
    Row("check_backward_function", gradcheck.check_backward_function,
        {"backward": _my_backward, "net": regression_net(), "X": X4, "y": Y4, "eps": 1e-5},
        {**X_LIST, "y": {"negative", "zero", "flattened"}}, may={"X": HUGE}),
    # bugs
    Row("setup", bugs.setup, {"kind": "wrong_sign", "buggy": True, "seed": 0},
        {"buggy": {"bool"}, "seed": {"zero", "None"}}),
    Row("buggy_network", bugs.buggy_network, {"kind": "dead_relu", "seed": 0}, {"seed": {"zero", "None"}}),
    Row("gradient_check", bugs.gradient_check, {"net": classifier(), "X": X4, "y": LABELS4},
        {**X_LIST, "y": {"zero"}}, may={"X": HUGE}),
    Row("layer_gradient_norms", bugs.layer_gradient_norms, {"net": classifier(), "X": X4, "y": LABELS4},
        {**X_LIST, "y": {"zero"}}, may={"X": HUGE}),
    Row("dead_units", bugs.dead_units, {"net": classifier(), "X": X4}, X_LIST, may={"X": HUGE}),
    Row("dead_fraction", bugs.dead_fraction, {"net": classifier(), "X": X4}, X_LIST, may={"X": HUGE}),
    Row("trial_step", bugs.trial_step, {"net": regression_net(), "X": X4, "y": Y4, "eta": 0.1},
        {**X_LIST, "y": {"negative", "zero", "flattened"}, "eta": {"+1e308"}}, may={"X": HUGE},
        may_diverge={"eta": {"+1e308"}}),
    Row("gradient_failure", bugs.gradient_failure, {"layer": 1}),
    Row("diagnose", bugs.diagnose, {"s": SYMPTOMS}, names={"s": "s must be the Symptoms"}),
    Row("report_items", bugs.report_items, {"s": SYMPTOMS}, names={"s": "s must be the Symptoms"}),
    Row("report", bugs.report, {"s": SYMPTOMS}, names={"s": "s must be the Symptoms"}),
    Row("symptoms", bugs.symptoms, {"kind": "healthy", "buggy": False, "seed": 0},
        {"buggy": {"bool"}, "seed": {"zero", "None"}}),
    Row("measure", bugs.measure, {"net": classifier(), "eta": 0.5, "epochs": 2, "kind": "mine", "buggy": False},
        {"eta": {"+1e308"}, "buggy": {"bool"}, "kind": {"text"}}, may_diverge={"eta": {"+1e308"}}),
    # recipe
    Row("overfit_small_batch", recipe.overfit_small_batch,
        {"net": classifier(), "X": X4, "y": LABELS4, "n_samples": 2, "eta": 0.5, "steps": 3},
        {**X_LIST, "y": {"zero"}, "eta": {"+1e308"}}, may={"X": HUGE}, may_diverge={"eta": {"+1e308"}}),
    Row("baseline", recipe.baseline, {"y": LABELS4, "classes": 2}, {"y": {"zero"}}),
    Row("update_ratios", recipe.update_ratios, {"net": classifier(), "X": X4, "y": LABELS4, "eta": 0.1},
        {**X_LIST, "y": {"zero"}, "eta": {"+1e308"}}, may={"X": HUGE}),
    Row("learning_rate_range", recipe.learning_rate_range,
        {"make_net": classifier, "X": X4, "y": LABELS4, "etas": np.array([0.1, 1.0]), "epochs": 1,
         "batch_size": None, "seed": 0},
        {**X_LIST, "y": {"zero"}, "etas": {"+1e308"}, "epochs": {"zero"}, "batch_size": {"None"},
         "seed": {"zero", "None"}},
        may={"X": HUGE}, may_diverge={"etas": {"+1e308"}}),
    Row("chance_loss", recipe.chance_loss, {"classes": 2}),
    Row("calm_start", recipe.calm_start, {"net": classifier(), "frequencies": np.array([0.4, 0.6]), "scale": 0.01},
        {"frequencies": {"None"}, "scale": {"zero"}}),
    Row("epochs_to_reach", recipe.epochs_to_reach, {"loss": np.array([0.9, 0.7, 0.6]), "level": 0.7},
        {"loss": {"zero", "+1e308"}, "level": {"negative", "zero", "+1e308", "-1e308"}},
        names={"loss": "loss"}),
    Row("input_blind_run", recipe.input_blind_run, {"net": classifier(), "X": X4, "y": LABELS4, "eta": 0.5, "epochs": 2},
        {**X_LIST, "y": {"zero"}, "eta": {"+1e308"}, "epochs": {"zero"}}, may={"X": HUGE},
        may_diverge={"eta": {"+1e308"}}),
    Row("saturated_share", recipe.saturated_share, {"a": np.array([0.5, 0.999]), "activation": "tanh"},
        {"a": {"negative", "zero", "+1e308", "-1e308", "column", "row", "3-D"}}),
    Row("layer_statistics", recipe.layer_statistics, {"net": classifier(), "X": X4, "y": LABELS4},
        {**X_LIST, "y": {"zero"}}, may={"X": HUGE}),
    Row("plot_starts", _plot(recipe.plot_starts), {"losses": {"calm": np.array([0.7, 0.6])}, "level": 0.693, "ax": None},
        {"level": {"None", "+1e308"}, "ax": {"None"}}),
    Row("plot_layer_histograms", _plot(recipe.plot_layer_histograms),
        {"stats_by_run": {"start": recipe.layer_statistics(classifier(), X4, LABELS4)}, "bins": 10}),
    Row("plot_overfit", _plot(recipe.plot_overfit), {"result": recipe.Overfit([1.0, 0.5, 0.01], 4), "ax": None},
        {"ax": {"None"}}),
    Row("plot_baseline", _plot(recipe.plot_baseline),
        {"history_loss": np.array([0.7, 0.5, 0.3]), "base": recipe.baseline(LABELS4, 2), "ax": None,
         "blind": np.array([0.69, 0.68])},
        {"history_loss": {"negative", "zero", "+1e308", "-1e308"}, "ax": {"None"},
         "blind": {"None", "negative", "zero", "+1e308", "-1e308"}}),
    Row("plot_update_ratios", _plot(recipe.plot_update_ratios), {"ratios_by_eta": {0.1: {1: 1e-3, 2: 2e-3}}, "ax": None},
        {"ax": {"None"}}),
    Row("plot_learning_rate_range", _plot(recipe.plot_learning_rate_range),
        {"etas": np.array([0.1, 1.0]), "losses": np.array([0.5, 0.7]), "ax": None},
        {"etas": {"+1e308"}, "losses": {"zero", "+1e308", "inf"}, "ax": {"None"}}),
]
# Classes are records these functions return (Symptoms, Setup, Overfit, Baseline, bugs.GradientCheck) or
# Networks with a planted bug, whose constructor is Network's own and swept in test_bad_input_core.py.
NO_ARGUMENTS = {"demo_standardizer", "demo_data"}


def _sweep():
    for case in CASES:
        for argument, good in case.good.items():
            for kind, value in variants(good).items():
                yield pytest.param(case, argument, kind, value, id=f"{case.name}-{argument}-{kind}")


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
    if kind in case.may_diverge.get(argument, set()):
        assert not _has_nan(result), f"{case.name}({argument}={kind}) returned NaN: {result!r}"
    else:
        assert _all_finite(result), f"{case.name}({argument}={kind}) returned NaN or inf: {result!r}"


def _has_nan(value):
    if dataclasses.is_dataclass(value):
        return any(_has_nan(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return any(_has_nan(v) for v in value)
    if isinstance(value, (int, float, np.number, np.ndarray)):
        return bool(np.any(np.isnan(value)))
    return False


def test_every_public_function_of_the_three_modules_is_in_the_table():
    covered = {case.name for case in CASES} | NO_ARGUMENTS
    public = {name for module in (gradcheck, bugs, recipe) for name, value in vars(module).items()
              if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == module.__name__
              and not isinstance(value, type)}
    missing = sorted(public - covered)
    assert not missing, f"public functions with no row in the bad-input table: {missing}"


# --- the examples the issue names, one by one -----------------------------------------------------------------


def test_relative_error_at_the_float_limits_is_exact_and_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck.relative_error(1e308, -1e308) == 1.0       # opposite ways: 1, not NaN
        assert gradcheck.relative_error([1e308, 1e308], [1e308, 1e308]) == 0.0
        assert gradcheck.relative_error([1e-200], [-1e-200]) == 1.0  # the norms underflow to 0 unless rescaled
        # Rescaling does not change the answer: the same pair scaled up or down gives the same error.
        a, b = np.array([3.0, -4.0]), np.array([3.0, -4.5])
        plain = gradcheck.relative_error(a, b)
        assert gradcheck.relative_error(a * 1e300, b * 1e300) == pytest.approx(plain, rel=1e-12)
        assert gradcheck.relative_error(a * 1e-300, b * 1e-300) == pytest.approx(plain, rel=1e-12)


def test_numerical_derivative_at_a_huge_x_says_the_nudge_is_lost_not_inf():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^eps = 1e-05 is lost in rounding next to x = 1e\+308"):
            gradcheck.numerical_derivative(np.square, 1e308)
        with pytest.raises(ValueError, match=r"^f must return a finite number, but f\(x \+ ε\) = f\(1000\.00001\) "
                                             r"returned inf"):
            gradcheck.numerical_derivative(np.exp, 1000.0)
        with pytest.raises(ValueError, match=r"^the slope .* is too large for a float64"):
            gradcheck.numerical_derivative(lambda x: math.copysign(1e308, x), 0.0)


def test_a_number_where_a_function_goes_and_functions_that_return_the_wrong_thing():
    with pytest.raises(TypeError, match=r"^f must be a function such as `lambda x: x \*\* 2`, but got 5 \(int\)$"):
        gradcheck.numerical_derivative(5, 1.0)
    with pytest.raises(TypeError, match=r"^f must return a number, but f\(theta\) with theta\[0\] \+ ε returned None; "
                                        r"did you forget `return`\?$"):
        gradcheck.numerical_gradient(lambda theta: None, np.ones(2))
    with pytest.raises(TypeError, match=r"^f must return one number \(the loss\), but f\(theta\) with theta\[0\] \+ ε "
                                        r"returned an array of shape \(2,\)"):
        gradcheck.numerical_gradient(lambda theta: theta ** 2, np.ones(2))
    with pytest.raises(TypeError, match=r"^f must be a function of 1 arguments"):
        gradcheck.numerical_gradient(lambda a, b: a, np.ones(2))
    # One number in a size-1 array is still one number.
    np.testing.assert_allclose(gradcheck.numerical_gradient(lambda t: np.sum(t ** 2, keepdims=True), np.ones(2)),
                               [2.0, 2.0], rtol=1e-8)


def test_something_that_is_not_a_network_is_refused_by_name():
    for call in (lambda: gradcheck.check_network_gradients(None, X4, Y4),
                 lambda: gradcheck.gradient_costs("x", 5),
                 lambda: bugs.gradient_check([2, 3, 1], X4, LABELS4),
                 lambda: recipe.update_ratios({"W": 1}, X4, LABELS4, 0.1)):
        with pytest.raises(TypeError, match=r"^net must be a helpers Network"):
            call()
    with pytest.raises(TypeError, match=r"^make_net\(\) must be a helpers Network, but got 3 \(int\)"):
        recipe.learning_rate_range(lambda: 3, X4, LABELS4, [0.1])


def test_a_backward_pass_that_returns_the_wrong_thing_is_named():
    net = regression_net()
    with pytest.raises(TypeError, match=r"^backward must be a function of 3 arguments"):
        gradcheck.check_backward_function(lambda net, fp: None, net, X4, Y4)
    with pytest.raises(TypeError, match=r"^backward must return \(dL_dW, dL_db\), .* but it returned None"):
        gradcheck.check_backward_function(lambda net, fp, Y: None, net, X4, Y4)

    def nan_backward(net, fp, Y):
        dL_dW, dL_db = _my_backward(net, fp, Y)
        dL_dW[1] = np.full_like(dL_dW[1], np.nan)
        return dL_dW, dL_db
    with pytest.raises(ValueError, match=r"^dL_dW\[1\] contains NaN at index \(0, 0\)"):
        gradcheck.check_backward_function(nan_backward, net, X4, Y4)


def test_measure_refuses_a_network_the_demo_data_does_not_fit():
    with pytest.raises(ValueError, match=r"^net must take 2 inputs and end in 2 softmax outputs .* but it has sizes "
                                         r"\[2, 3, 1\] and loss 'squared_error'$"):
        bugs.measure(regression_net(), 0.5, epochs=1)


def test_a_step_that_blows_the_loss_up_reads_inf_not_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bugs.trial_step(regression_net(), X4, Y4, 1e308) == math.inf
        assert 0 < bugs.trial_step(regression_net(), X4, Y4, 1e100) < math.inf  # large, yet still a number


def test_accepted_input_leaves_the_network_it_was_given_unchanged():
    net = classifier()
    before = net.parameters()
    bugs.trial_step(net, X4, LABELS4, 1e308)
    recipe.overfit_small_batch(net, X4, LABELS4, n_samples=2, steps=2)
    gradcheck.check_network_gradients(net, X4, LABELS4)
    np.testing.assert_array_equal(net.parameters(), before)
    assert isinstance(net, Network)
