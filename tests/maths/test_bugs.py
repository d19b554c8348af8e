"""Each planted bug leaves the symptom the course claims, and the checks of loss → gradients → updates find it."""

import numpy as np
import pytest

from helpers import Network
from helpers.bugs import (
    BUGS, DEAD_FRACTION, HEALTHY, KINDS, VANISHING_RATIO, ForgottenBiasNetwork, MissingDerivativeNetwork,
    WrongSignNetwork, buggy_network, dead_units, demo_data, diagnose, gradient_check, gradcheck_verdict,
    gradient_failure, measure, report, report_items, symptoms,
)
from helpers.bugs import setup as set_up_job  # under its own name pytest 7 takes it for a module set-up hook
from helpers.gradcheck import AGREE, SUSPICIOUS

pytestmark = pytest.mark.filterwarnings("error")

_MEASURED = {}


def measured(kind, buggy=True):
    """symptoms(kind, buggy=...), computed once for the whole module (training takes a moment)."""
    if (kind, buggy) not in _MEASURED:
        _MEASURED[kind, buggy] = symptoms(kind, buggy=buggy)
    return _MEASURED[kind, buggy]


# The healthy job: every check passes

def test_the_healthy_job_learns_and_passes_every_check():
    s = measured(HEALTHY)
    assert s.loss[-1] < 0.25 * s.loss[0]
    assert not s.diverged
    assert s.gradcheck.all < AGREE
    assert s.dead == 0
    assert s.tiny_step_change < 0 and s.step_change < 0
    assert diagnose(s) == s.diagnosis == HEALTHY


@pytest.mark.parametrize("kind", KINDS)
def test_without_its_bug_every_job_is_diagnosed_healthy(kind):
    s = measured(kind, buggy=False)
    assert s.diagnosis == HEALTHY
    assert s.loss_trend == "falls"


# The checks name a bug only where its fingerprint is unique; a backward-pass slip is located, not named:
# a missing f′, a transposed W and a lost minus sign all break layer 1 while the output layer agrees.
EXPECTED_DIAGNOSIS = {kind: kind for kind in KINDS}
EXPECTED_DIAGNOSIS["missing_derivative"] = "gradient check failed in layer 1"


@pytest.mark.parametrize("kind", KINDS)
def test_the_checks_point_to_the_planted_bug_or_the_layer_where_it_breaks(kind):
    assert measured(kind).diagnosis == EXPECTED_DIAGNOSIS[kind]


class TransposedWNetwork(Network):
    """A backward-pass slip diagnose was not built for: δ[1] = (δ[2] · W[2]ᵀ) ⊙ f′(z[1]), W[2] square."""

    def _backward(self, fp, Y):
        grads = super()._backward(fp, Y)
        grads.delta[1] = (grads.delta[2] @ self.W[2].T) * self.activations[1].derivative(fp.z[1])
        grads.dL_dW[1] = grads.delta[1].T @ fp.a[0]
        grads.dL_db[1] = grads.delta[1].sum(axis=0)
        return grads


class MinusInBackwardNetwork(Network):
    """Another: a minus sign slips into δ[l] = −(δ[l+1] · W[l+1]) ⊙ f′(z[l]) below the output."""

    def _backward(self, fp, Y):
        grads = super()._backward(fp, Y)
        for l in range(self.depth - 1, 0, -1):
            grads.delta[l] = -(grads.delta[l + 1] @ self.W[l + 1]) * self.activations[l].derivative(fp.z[l])
            grads.dL_dW[l] = grads.delta[l].T @ fp.a[l - 1]
            grads.dL_db[l] = grads.delta[l].sum(axis=0)
        return grads


class MinusAtTheOutputNetwork(Network):
    """The minus sign at the output's δ: every layer inherits it, so the check fails from the output down."""

    def _backward(self, fp, Y):
        grads = super()._backward(fp, Y)
        for l in grads.delta:
            grads.delta[l], grads.dL_dW[l], grads.dL_db[l] = -grads.delta[l], -grads.dL_dW[l], -grads.dL_db[l]
        return grads


@pytest.mark.parametrize("cls, sizes, layer", [
    (TransposedWNetwork, [2, 8, 8, 2], 1),
    (MinusInBackwardNetwork, [2, 8, 2], 1),
    (MinusInBackwardNetwork, [2, 8, 8, 2], 2),
    (MinusAtTheOutputNetwork, [2, 8, 2], 2),
], ids=["transposed W", "minus in δ[1]", "minus from δ[2] down", "minus at the output"])
def test_a_backward_slip_it_was_not_built_for_is_located_by_layer_not_misnamed(cls, sizes, layer):
    net = cls(sizes, ["relu"] * (len(sizes) - 2) + ["softmax"], "cross_entropy", seed=0)
    s = measure(net, 0.5)
    assert s.diagnosis == gradient_failure(layer) == f"gradient check failed in layer {layer}"
    assert s.diagnosis not in KINDS
    assert s.gradcheck.failing_layers[0] == layer
    assert all(s.gradcheck.parts.verdicts[(l, kind)] == "agree" for l in range(layer + 1, len(sizes))
               for kind in ("W", "b"))
    items = report_items(s)
    assert items["diagnosis"].startswith(f"gradient check failed in layer {layer}")
    assert f"fails in layer" in items["gradient check"]


def test_the_missing_derivative_fails_in_layer_1_only():
    parts = measured("missing_derivative").gradcheck.parts
    assert parts.failing == [(1, "W"), (1, "b")]
    assert parts.verdicts[(2, "W")] == parts.verdicts[(2, "b")] == "agree"


def test_a_forgotten_bias_gradient_is_named_by_its_fingerprint_of_exact_zeros():
    s = measured("forgotten_bias_gradient")
    assert s.gradcheck.zero_biases
    assert s.gradcheck.parts.failing == [(1, "b"), (2, "b")]
    assert not measured("missing_derivative").gradcheck.zero_biases


# One test per bug: the symptom it leaves

def test_wrong_sign_makes_the_loss_rise_while_the_gradient_check_passes():
    s = measured("wrong_sign")
    assert s.loss[1] > s.loss[0]
    assert np.all(np.diff(s.loss) > 0)                 # it climbs at every epoch
    assert s.gradcheck.all < AGREE                     # the gradient itself is right
    assert s.tiny_step_change > 0                      # even a tiny step goes uphill: the update is wrong


def test_missing_derivative_fails_the_gradient_check_far_above_suspicious():
    s = measured("missing_derivative")
    assert s.gradcheck.all > SUSPICIOUS
    assert s.gradcheck.weights > SUSPICIOUS
    assert s.loss[-1] > measured("missing_derivative", buggy=False).loss[-1]


def test_forgotten_bias_gradient_fails_for_biases_while_weights_pass():
    s = measured("forgotten_bias_gradient")
    assert s.gradcheck.weights < AGREE
    assert s.gradcheck.biases == pytest.approx(1.0)    # 0 against a non-zero gradient
    assert s.gradcheck.all > SUSPICIOUS
    assert s.loss[-1] > 1.2 * measured("forgotten_bias_gradient", buggy=False).loss[-1]


def test_a_learning_rate_too_high_diverges_though_a_tiny_step_goes_downhill():
    s = measured("learning_rate_too_high")
    assert s.diverged
    assert len(s.loss) - 1 < 20
    assert s.gradcheck.all < AGREE
    assert s.tiny_step_change < 0 < s.step_change


def test_dead_relus_are_most_of_the_hidden_layer_and_the_loss_stalls():
    s = measured("dead_relu")
    assert s.dead_fraction >= DEAD_FRACTION
    assert (s.dead, s.hidden_units) == (7, 8)
    assert s.loss_trend == "stalls"
    assert s.loss[0] == pytest.approx(np.log(2), abs=0.01)    # all but one unit silent: a 50 : 50 guess


def test_vanishing_gradients_leave_the_first_layer_a_tiny_gradient_next_to_the_last():
    s = measured("vanishing_gradients")
    assert s.gradient_ratio < VANISHING_RATIO
    assert s.gradient_ratio < 1e-4
    assert np.all(np.diff(s.layer_gradients) > 0)      # it shrinks at every layer on the way back
    assert s.gradcheck.all < AGREE                     # a correct gradient, just a tiny one
    assert s.loss_trend == "stalls"


# The planted networks themselves

def test_each_code_bug_lives_in_its_own_network_class():
    assert isinstance(buggy_network("wrong_sign"), WrongSignNetwork)
    assert isinstance(buggy_network("missing_derivative"), MissingDerivativeNetwork)
    assert isinstance(buggy_network("forgotten_bias_gradient"), ForgottenBiasNetwork)
    for kind in ("learning_rate_too_high", "dead_relu", "vanishing_gradients"):
        assert type(buggy_network(kind)) is Network


def test_a_copy_of_a_buggy_network_keeps_its_bug():
    net = buggy_network("forgotten_bias_gradient")
    twin = net.copy()
    assert type(twin) is ForgottenBiasNetwork
    X, y = demo_data()
    _, grads = twin.gradients(X[:10], y[:10])
    assert all(np.all(g == 0) for g in grads.dL_db.values())


def test_the_wrong_sign_update_is_the_right_update_reversed():
    X, y = demo_data()
    right, wrong = set_up_job("wrong_sign", buggy=False).net, buggy_network("wrong_sign")
    _, grads = right.gradients(X, y)
    start = right.parameters()
    right.step(grads, 0.1)
    wrong.step(grads, 0.1)
    np.testing.assert_allclose(wrong.parameters() - start, -(right.parameters() - start))


def test_the_missing_derivative_network_only_differs_below_the_output():
    X, y = demo_data()
    right, buggy = set_up_job("missing_derivative", buggy=False).net, buggy_network("missing_derivative")
    _, good = right.gradients(X, y)
    _, bad = buggy.gradients(X, y)
    np.testing.assert_allclose(bad.dL_dW[2], good.dL_dW[2])
    assert not np.allclose(bad.dL_dW[1], good.dL_dW[1])


def test_gradient_check_splits_weights_from_biases():
    X, y = demo_data()
    check = gradient_check(buggy_network("forgotten_bias_gradient"), X[:20], y[:20])
    assert check.weights < AGREE < SUSPICIOUS < check.biases


def test_dead_units_counts_units_silent_on_every_sample():
    X, _ = demo_data()
    net = Network([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    assert dead_units(net, X) == (0, 3)
    net.b[1] = np.array([-100.0, 0.0, -100.0])
    assert dead_units(net, X) == (2, 3)
    assert dead_units(Network([2, 3, 2], ["sigmoid", "softmax"], "cross_entropy"), X) == (0, 3)


# The report: words that match the numbers, and no machine-dependent noise

def test_gradcheck_verdicts_use_the_course_thresholds():
    assert gradcheck_verdict(1e-9) == "agree"
    assert gradcheck_verdict(1e-6) == "suspicious"
    assert gradcheck_verdict(0.2) == "bug"


@pytest.mark.parametrize("kind", KINDS)
def test_the_report_names_the_diagnosis_and_gives_rounding_noise_as_a_bound(kind):
    s = measured(kind)
    items = report_items(s)
    assert list(items) == ["loss", "gradient check", "gradient sizes", "dead units", "trial step", "diagnosis"]
    expected = EXPECTED_DIAGNOSIS[kind]
    assert (BUGS[expected].title if expected in BUGS else expected) in items["diagnosis"]
    if s.gradcheck.all < AGREE:
        assert f"below {AGREE:g}" in items["gradient check"]
    assert ("diverged" in items["loss"]) == s.diverged
    assert f"{s.dead} of {s.hidden_units}" in items["dead units"]
    text = report(s)
    assert text.count("\n") == 5
    assert "nan" not in text and "inf" not in text


def test_unknown_kinds_are_refused_with_the_list_of_kinds():
    with pytest.raises(ValueError, match="kind must be one of 'wrong_sign'"):
        symptoms("typo")


def test_the_stray_minus_of_notebook_08_falls_less_far_than_the_healthy_run():
    s = measure(MinusInBackwardNetwork([2, 8, 2], ["relu", "softmax"], "cross_entropy", seed=0), 0.5)
    assert round(float(s.loss[-1]), 3) == 0.631
    assert round(float(measured(HEALTHY).loss[-1]), 3) == 0.196
    assert s.gradcheck.parts.errors[(1, "W")] == pytest.approx(1.0)


# Notebook 08, section 5: the same network written with other numbers

@pytest.fixture(scope="module")
def trained_healthy():
    from helpers import train

    X, y = demo_data()
    job = set_up_job(HEALTHY)
    train(job.net, X, y, eta=job.eta, epochs=job.epochs)
    return job.net, X, y


def test_renumbering_the_hidden_units_changes_the_weights_but_no_prediction(trained_healthy):
    net, X, _ = trained_healthy
    order = list(range(7, -1, -1))
    renamed = net.copy()
    renamed.W[1], renamed.b[1], renamed.W[2] = net.W[1][order], net.b[1][order], net.W[2][:, order]
    assert not np.allclose(renamed.W[1][0], net.W[1][0])
    np.testing.assert_allclose(renamed.predict(X), net.predict(X), rtol=0, atol=1e-12)


def test_rescaling_a_relu_unit_keeps_every_prediction_but_scales_its_gradients_by_ten(trained_healthy):
    net, X, y = trained_healthy
    unit = int(np.argmax(np.abs(net.W[2]).sum(axis=0)))
    rescaled = net.copy()
    rescaled.W[1][unit], rescaled.b[1][unit] = 10 * net.W[1][unit], 10 * net.b[1][unit]
    rescaled.W[2][:, unit] = net.W[2][:, unit] / 10
    np.testing.assert_allclose(rescaled.predict(X), net.predict(X), rtol=0, atol=1e-12)
    _, before = net.gradients(X, y)
    _, after = rescaled.gradients(X, y)
    assert np.linalg.norm(before.dL_dW[1][unit]) > 0
    np.testing.assert_allclose(after.dL_dW[1][unit], before.dL_dW[1][unit] / 10, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(after.dL_dW[2][:, unit], before.dL_dW[2][:, unit] * 10, rtol=1e-9, atol=1e-15)


def test_a_job_measured_again_gives_a_copy_of_the_same_symptoms():
    # Five bug-free jobs are the 'healthy' job itself: symptoms() measures it once and hands out copies,
    # each with the kind it was asked for, equal in every number to a fresh measurement.
    from helpers import bugs

    first = bugs.symptoms("healthy")
    again = bugs.symptoms("dead_relu", buggy=False)
    job = bugs.setup("dead_relu", buggy=False)
    fresh = bugs.measure(job.net, job.eta, epochs=job.epochs, kind="dead_relu", buggy=False)
    assert (again.kind, again.buggy, first.kind) == ("dead_relu", False, "healthy")
    for name in ("loss", "layer_gradients"):
        assert getattr(again, name).tobytes() == getattr(fresh, name).tobytes()
    for name in ("eta", "diverged", "dead", "hidden_units", "tiny_step_change", "step_change", "diagnosis"):
        assert getattr(again, name) == getattr(fresh, name)
    assert again.gradcheck.parts.errors == fresh.gradcheck.parts.errors
    assert (again.gradcheck.all, again.gradcheck.weights, again.gradcheck.biases) == \
        (fresh.gradcheck.all, fresh.gradcheck.weights, fresh.gradcheck.biases)
    again.loss[0] = 99.0                                     # changing one copy changes no other
    again.gradcheck.parts.errors[(1, "W")] = 5.0
    later = bugs.symptoms("healthy")
    assert later.loss[0] == first.loss[0] != 99.0 and later.gradcheck.parts.errors[(1, "W")] < AGREE
    assert bugs.symptoms("dead_relu").dead_fraction > 0.5   # the buggy job is a different one


def test_a_dead_first_layer_unit_never_moves_while_a_dead_deeper_unit_can_come_back():
    """Notebook 08, section 3.5: on fixed data a first-layer unit dead for every sample stays dead (its
    gradient is exactly 0 and its inputs never change); a deeper one can revive as the layer below learns."""
    from helpers import train

    X, y = demo_data()
    dead_relu = set_up_job("dead_relu").net
    silent = np.all(dead_relu.forward(X).z[1] <= 0, axis=0)            # the dead units of layer 1
    assert dead_units(dead_relu, X) == (7, 8) and silent.sum() == 7
    before = dead_relu.W[1][silent].copy(), dead_relu.b[1][silent].copy()
    train(dead_relu, X, y, eta=0.5, epochs=200)
    np.testing.assert_array_equal(dead_relu.W[1][silent], before[0])
    np.testing.assert_array_equal(dead_relu.b[1][silent], before[1])
    assert np.all(dead_relu.forward(X).z[1][:, silent] <= 0)

    deeper = Network([2, 8, 8, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    deeper.b[2][0] -= deeper.forward(X).z[2][:, 0].max() + 0.05   # unit 1 of layer 2: silent on every sample
    assert np.all(deeper.forward(X).z[2][:, 0] < 0)
    train(deeper, X, y, eta=0.5, epochs=200)
    assert np.sum(deeper.forward(X).z[2][:, 0] > 0) > 0                # it fires again for some animals


def test_a_transposed_w_in_the_two_eight_two_classifier_stops_with_a_shape_error():
    """Notebook 08, section 3.2: a transposed W there cannot 'look like' a failing check, since W[2] is 2 × 8."""
    net = set_up_job("healthy").net
    X, y = demo_data()
    fp = net.forward(X)
    grads = net.backward(fp, net.check_targets(y, len(y)))
    assert net.W[2].shape == (2, 8)
    with pytest.raises(ValueError, match="matmul"):
        grads.delta[2] @ net.W[2].T
