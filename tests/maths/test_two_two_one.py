"""The worked 2-2-1 example, number by number, as the course prints it.

x = (1.0, 0.5), y = 1.0, w = (−0.5, 0.3, 1.0, 0.6), η = 0.5:
    z1 = −0.5·1.0 = −0.5     h1 = σ(−0.5) ≈ 0.3775
    z2 = 0.3·0.5 = 0.15      h2 = σ(0.15) ≈ 0.5374
    ŷ = 1.0·0.3775 + 0.6·0.5374 ≈ 0.70,   L = (0.70 − 1.0)² ≈ 0.09
"""

import dataclasses

import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.gradcheck import AGREE, numerical_derivative, relative_error
from helpers.network import Network
from helpers.tiny import (
    EXAMPLE_ETA,
    EXAMPLE_INPUTS,
    EXAMPLE_TARGET,
    EXAMPLE_WEIGHTS,
    WEIGHT_NAMES,
    TwoTwoOne,
)


@pytest.fixture
def chain():
    return TwoTwoOne().chain()


def test_the_defaults_are_the_worked_example():
    assert EXAMPLE_INPUTS == (1.0, 0.5)
    assert EXAMPLE_TARGET == 1.0
    assert EXAMPLE_WEIGHTS == {"w1": -0.5, "w2": 0.3, "w3": 1.0, "w4": 0.6}
    assert EXAMPLE_ETA == 0.5
    assert TwoTwoOne().weights == EXAMPLE_WEIGHTS


def test_forward_pass_gives_y_hat_0_70_and_loss_0_09(chain):
    assert round(chain.y_hat, 2) == 0.70
    assert round(chain.loss, 2) == 0.09
    assert TwoTwoOne().forward() == chain.y_hat
    assert TwoTwoOne().loss() == chain.loss


def test_forward_pass_step_by_step(chain):
    assert chain.z1 == -0.5
    assert chain.z2 == pytest.approx(0.15, abs=1e-15)
    assert chain.h1 == pytest.approx(0.3775, abs=5e-5)
    assert chain.h2 == pytest.approx(0.5374, abs=5e-5)
    assert chain.h1 == sigmoid(chain.z1)
    assert chain.y_hat == pytest.approx(1.0 * chain.h1 + 0.6 * chain.h2, abs=1e-15)
    assert chain.loss == pytest.approx((chain.y_hat - 1.0) ** 2, abs=1e-15)


def test_one_step_with_eta_0_5_lifts_y_hat_to_0_85():
    stepped = TwoTwoOne().step(0.5)
    assert round(stepped.forward(), 2) == 0.85
    assert stepped.loss() < TwoTwoOne().loss()
    # The default step is the worked example's η = 0.5.
    assert TwoTwoOne().step() == stepped


def test_step_is_w_new_equals_w_old_minus_eta_times_gradient():
    net = TwoTwoOne()
    grads = net.gradients()
    stepped = net.step(0.5)
    for name in WEIGHT_NAMES:
        assert getattr(stepped, name) == getattr(net, name) - 0.5 * grads[name]
    # By hand: w3 = 1.0 − 0.5·(−0.2265) ≈ 1.1133, w1 = −0.5 − 0.5·(−0.1410) ≈ −0.4295.
    assert stepped.w3 == pytest.approx(1.1133, abs=5e-5)
    assert stepped.w1 == pytest.approx(-0.4295, abs=5e-5)
    # The original is unchanged: step returns a new network.
    assert net.weights == EXAMPLE_WEIGHTS


def test_every_chain_factor_equals_its_definition(chain):
    h1, h2 = chain.h1, chain.h2
    assert chain.dL_dy_hat == 2 * (chain.y_hat - chain.y)
    assert chain.dy_hat_dw3 == h1
    assert chain.dy_hat_dw4 == h2
    assert chain.dy_hat_dh1 == 1.0  # = w3
    assert chain.dy_hat_dh2 == 0.6  # = w4
    assert chain.dh1_dz1 == h1 * (1 - h1)
    assert chain.dh2_dz2 == h2 * (1 - h2)
    assert chain.dz1_dw1 == 1.0  # = x1
    assert chain.dz2_dw2 == 0.5  # = x2
    assert chain.dh1_dw1 == chain.dh1_dz1 * chain.dz1_dw1
    assert chain.dh2_dw2 == chain.dh2_dz2 * chain.dz2_dw2


def test_the_factors_in_numbers_a_reader_can_check(chain):
    # ∂L/∂ŷ = 2(0.70 − 1.0) = −0.60; σ′(−0.5) = 0.3775·0.6225 ≈ 0.2350; σ′(0.15) ≈ 0.2486.
    assert chain.dL_dy_hat == pytest.approx(-0.60, abs=5e-5)
    assert chain.dh1_dz1 == pytest.approx(0.2350, abs=5e-5)
    assert chain.dh2_dz2 == pytest.approx(0.2486, abs=5e-5)


def test_output_weight_gradient_is_a_two_factor_chain(chain):
    assert chain.dL_dw3 == chain.dL_dy_hat * chain.dy_hat_dw3
    assert chain.dL_dw4 == chain.dL_dy_hat * chain.dy_hat_dw4
    # −0.60 · 0.3775 ≈ −0.2265 and −0.60 · 0.5374 ≈ −0.3225
    assert chain.dL_dw3 == pytest.approx(-0.2265, abs=5e-5)
    assert chain.dL_dw4 == pytest.approx(-0.3225, abs=5e-5)


def test_hidden_weight_gradient_is_a_four_factor_chain_reusing_dL_dy_hat(chain):
    # One factor per arrow of w1 → z1 → h1 → ŷ → L (and w2 → z2 → h2 → ŷ → L).
    assert chain.dL_dw1 == pytest.approx(chain.dL_dy_hat * chain.dy_hat_dh1 * chain.dh1_dz1 * chain.dz1_dw1,
                                         rel=1e-15)
    assert chain.dL_dw2 == pytest.approx(chain.dL_dy_hat * chain.dy_hat_dh2 * chain.dh2_dz2 * chain.dz2_dw2,
                                         rel=1e-15)
    # Written out: ∂L/∂ŷ · w3 · σ′(z1) · x1 = −0.60 · 1.0 · 0.2350 · 1.0 ≈ −0.1410
    assert chain.dL_dw1 == pytest.approx(-0.1410, abs=5e-5)
    # ∂L/∂ŷ · w4 · σ′(z2) · x2 = −0.60 · 0.6 · 0.2486 · 0.5 ≈ −0.0447
    assert chain.dL_dw2 == pytest.approx(-0.0447, abs=5e-5)
    # The factor ∂L/∂ŷ is the same number the output weights used, not a new one.
    assert chain.dL_dw1 / (chain.dy_hat_dh1 * chain.dh1_dw1) == pytest.approx(chain.dL_dw3 / chain.dy_hat_dw3,
                                                                             rel=1e-14)


def test_gradients_dict_names_each_weight(chain):
    assert chain.gradients == {"w1": chain.dL_dw1, "w2": chain.dL_dw2, "w3": chain.dL_dw3, "w4": chain.dL_dw4}
    assert TwoTwoOne().gradients() == chain.gradients


@pytest.mark.parametrize("weights, inputs", [
    (EXAMPLE_WEIGHTS, (1.0, 0.5, 1.0)),
    ({"w1": 2.0, "w2": -1.5, "w3": -0.7, "w4": 1.3}, (0.4, -2.0, -0.5)),
    ({"w1": 0.1, "w2": 0.2, "w3": 3.0, "w4": -3.0}, (-1.0, 1.0, 2.0)),
])
def test_all_four_gradients_match_finite_differences(weights, inputs):
    x1, x2, y = inputs
    net = TwoTwoOne(**weights)
    exact = net.gradients(x1, x2, y)
    for name in WEIGHT_NAMES:
        def loss_at(w, name=name):
            return dataclasses.replace(net, **{name: w}).loss(x1, x2, y)
        numerical = numerical_derivative(loss_at, weights[name])
        assert relative_error(exact[name], numerical) < AGREE, name


def test_as_network_gives_the_same_forward_pass_and_gradients():
    for weights in (EXAMPLE_WEIGHTS, {"w1": 2.0, "w2": -1.5, "w3": -0.7, "w4": 1.3}):
        tiny = TwoTwoOne(**weights)
        net = tiny.as_network()
        assert isinstance(net, Network)
        assert net.sizes == [2, 2, 1]
        X, y = np.array([[1.0, 0.5]]), np.array([[1.0]])
        loss, grads = net.gradients(X, y)
        chain = tiny.chain()
        assert net.predict(X)[0, 0] == pytest.approx(chain.y_hat, abs=1e-15)
        assert loss == pytest.approx(chain.loss, abs=1e-15)
        # w1 and w2 are the diagonal of W1 (each hidden neuron listens to one input); w3, w4 are W2.
        assert grads.dL_dW[1][0, 0] == pytest.approx(chain.dL_dw1, abs=1e-15)
        assert grads.dL_dW[1][1, 1] == pytest.approx(chain.dL_dw2, abs=1e-15)
        np.testing.assert_allclose(grads.dL_dW[2], [[chain.dL_dw3, chain.dL_dw4]], atol=1e-15)
        np.testing.assert_array_equal(net.W[1], [[weights["w1"], 0.0], [0.0, weights["w2"]]])


def test_weights_are_checked_when_the_network_is_built():
    with pytest.raises(ValueError, match=r"w3 must be a finite number, but got nan"):
        TwoTwoOne(w3=float("nan"))
    with pytest.raises(TypeError, match=r"w1 must be a real number, but got '0.5' \(str\)"):
        TwoTwoOne(w1="0.5")
    with pytest.raises(ValueError, match=r"eta \(the learning rate\) must be a positive number, but got -0.5"):
        TwoTwoOne().step(-0.5)
    with pytest.raises(ValueError, match=r"x2 must be a finite number, but got inf"):
        TwoTwoOne().chain(1.0, float("inf"), 1.0)


# ---- The biased variant: a bias in each neuron ----

from helpers.tiny import EXAMPLE_BIASES, PARAMETER_NAMES, BiasedTwoTwoOne  # noqa: E402


def _biased_nudged(net, name, x1, x2, y):
    def loss_at(value):
        return BiasedTwoTwoOne(**{**net.parameters, name: value}).loss(x1, x2, y)
    return numerical_derivative(loss_at, net.parameters[name])


def test_biased_variant_with_zero_biases_is_the_worked_example():
    plain = TwoTwoOne().gradients()
    unbiased = BiasedTwoTwoOne(b1=0.0, b2=0.0, b3=0.0)
    assert unbiased.loss() == pytest.approx(TwoTwoOne().loss(), abs=1e-15)
    for name in WEIGHT_NAMES:
        assert unbiased.gradients()[name] == pytest.approx(plain[name], abs=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_biased_variant_every_gradient_agrees_with_centred_finite_differences(seed):
    rng = np.random.default_rng(seed)
    values = dict(zip(PARAMETER_NAMES, rng.uniform(-2, 2, size=len(PARAMETER_NAMES))))
    x1, x2, y = rng.uniform(-2, 2, size=3)
    net = BiasedTwoTwoOne(**values)
    grads = net.gradients(x1, x2, y)
    assert set(grads) == set(PARAMETER_NAMES)
    for name in PARAMETER_NAMES:
        assert relative_error(grads[name], _biased_nudged(net, name, x1, x2, y)) < AGREE, name


def test_biased_variant_example_gradients_agree_with_nudging_and_the_general_network():
    net = BiasedTwoTwoOne()
    assert net.parameters == {**EXAMPLE_WEIGHTS, **EXAMPLE_BIASES}
    grads = net.gradients()
    for name in PARAMETER_NAMES:
        assert relative_error(grads[name], _biased_nudged(net, name, *EXAMPLE_INPUTS, EXAMPLE_TARGET)) < AGREE
    X = np.array([EXAMPLE_INPUTS])
    _, general = net.as_network().gradients(X, [EXAMPLE_TARGET])
    assert general.dL_db[1] == pytest.approx([grads["b1"], grads["b2"]], abs=1e-14)
    assert general.dL_db[2] == pytest.approx([grads["b3"]], abs=1e-14)
    assert general.dL_dW[2][0] == pytest.approx([grads["w3"], grads["w4"]], abs=1e-14)


def test_a_bias_gradient_is_its_neurons_delta_the_weight_gradient_without_its_input():
    x1, x2, y = 0.8, -1.5, 0.3
    grads = BiasedTwoTwoOne().gradients(x1, x2, y)
    assert grads["w1"] == pytest.approx(grads["b1"] * x1, abs=1e-15)
    assert grads["w2"] == pytest.approx(grads["b2"] * x2, abs=1e-15)
    y_hat = BiasedTwoTwoOne().forward(x1, x2)[-1]
    assert grads["b3"] == pytest.approx(2 * (y_hat - y), abs=1e-15)


def test_biased_variant_bad_input_names_the_argument():
    with pytest.raises((TypeError, ValueError), match="b2"):
        BiasedTwoTwoOne(b2="0.1")
    with pytest.raises((TypeError, ValueError), match="x1"):
        BiasedTwoTwoOne().gradients(x1=None)
    with pytest.raises(ValueError, match="too large"):
        BiasedTwoTwoOne(b3=1e200).loss()


# ---- The backward pass as the local rule: downstream = upstream × local ----

def test_each_backward_step_is_an_upstream_gradient_already_known_times_one_local_factor(chain):
    from helpers.tiny import BACKWARD_ORDER

    steps = chain.backward_steps()
    assert tuple(step.node for step in steps) == BACKWARD_ORDER
    known = {"∂L/∂L": 1.0}
    for step in steps:
        assert step.upstream in known, f"{step.downstream} uses {step.upstream} before it is computed"
        assert step.upstream_value == known[step.upstream]
        assert step.value == pytest.approx(step.upstream_value * step.local_value, rel=1e-15)
        known[step.downstream.split(" = ")[0]] = step.value
    # Every gradient comes out of the walk, and ∂L/∂ŷ is computed once and used by four steps.
    for name, g in chain.gradients.items():
        assert known[f"∂L/∂{name}"] == pytest.approx(g, rel=1e-14)
    assert sum(step.upstream == "∂L/∂ŷ" for step in steps) == 4


def test_the_intermediate_gradients_in_numbers_a_reader_can_check(chain):
    assert f"{chain.dL_dy_hat:+.4f}" == "-0.6000"
    assert chain.dL_dh1 == pytest.approx(chain.dL_dy_hat * EXAMPLE_WEIGHTS["w3"])      # −0.6 · w3
    assert f"{chain.dL_dh2:+.4f}" == "-0.3600"
    assert f"{chain.delta1:+.4f}" == "-0.1410" and f"{chain.delta2:+.4f}" == "-0.0895"
    printed = [str(step) for step in chain.backward_steps()]
    assert "δ1 = ∂L/∂z1 = ∂L/∂h1 × σ′(z1) = -0.6000 × 0.2350 = -0.1410" in printed
    assert "∂L/∂w1 = δ1 × x1 = -0.1410 × 1.0000 = -0.1410" in printed


def test_a_weights_gradient_is_delta_of_the_neuron_it_feeds_times_the_input_it_carries(chain):
    assert chain.dL_dw1 == pytest.approx(chain.delta1 * chain.x1)
    assert chain.dL_dw2 == pytest.approx(chain.delta2 * chain.x2)
    # The output neuron is linear, so its δ is ∂L/∂ŷ itself.
    assert chain.dL_dw3 == pytest.approx(chain.dL_dy_hat * chain.h1)
    assert chain.dL_dw4 == pytest.approx(chain.dL_dy_hat * chain.h2)


def test_the_deltas_are_the_slopes_of_the_loss_in_the_weighted_sums(chain):
    """δ1 = ∂L/∂z1 measured by nudging z1 itself, with everything else held."""
    def loss_at(z1=chain.z1, z2=chain.z2):
        y_hat = EXAMPLE_WEIGHTS["w3"] * float(sigmoid(z1)) + EXAMPLE_WEIGHTS["w4"] * float(sigmoid(z2))
        return (y_hat - chain.y) ** 2

    assert relative_error(chain.delta1, numerical_derivative(lambda z: loss_at(z1=z), chain.z1)) < AGREE
    assert relative_error(chain.delta2, numerical_derivative(lambda z: loss_at(z2=z), chain.z2)) < AGREE


def test_dy_hat_dw_is_each_gradient_without_its_first_factor_and_the_slope_of_y_hat(chain):
    net = TwoTwoOne()
    for name in WEIGHT_NAMES:
        assert chain.dL_dy_hat * chain.dy_hat_dw[name] == pytest.approx(chain.gradients[name], rel=1e-14)

        def y_hat_with(w, name=name):
            return TwoTwoOne(**{**net.weights, name: w}).forward()

        assert relative_error(chain.dy_hat_dw[name], numerical_derivative(y_hat_with, net.weights[name])) < AGREE


def test_the_gradient_predicts_the_gain_of_one_update_to_within_0_0025(chain):
    net = TwoTwoOne()
    new = net.step(EXAMPLE_ETA)
    predicted = sum(chain.dy_hat_dw[n] * (getattr(new, n) - getattr(net, n)) for n in WEIGHT_NAMES)
    actual = new.forward() - net.forward()
    assert (f"{predicted:.3f}", f"{net.forward() + predicted:.3f}", f"{new.forward():.3f}") == ("0.148", "0.848", "0.850")
    assert f"{actual - predicted:.4f}" == "0.0025"
    assert predicted < actual          # the rates h1, h2 grow during the step, so the line falls short


def test_round_table_holds_every_number_of_one_round():
    from helpers.tiny import round_table

    net = TwoTwoOne()
    c, new = net.chain(), net.step(EXAMPLE_ETA)
    rows = {(part, name): value for part, name, _, value in round_table()}
    expected = {
        ("forward", "z1"): c.z1, ("forward", "h1"): c.h1, ("forward", "z2"): c.z2, ("forward", "h2"): c.h2,
        ("forward", "ŷ"): c.y_hat, ("forward", "L"): c.loss,
        ("backward", "∂L/∂ŷ"): 2 * (c.y_hat - c.y), ("backward", "∂L/∂h1"): 2 * (c.y_hat - c.y) * net.w3,
        ("backward", "∂L/∂h2"): 2 * (c.y_hat - c.y) * net.w4,
        ("backward", "δ1"): 2 * (c.y_hat - c.y) * net.w3 * c.h1 * (1 - c.h1),
        ("backward", "δ2"): 2 * (c.y_hat - c.y) * net.w4 * c.h2 * (1 - c.h2),
        **{("backward", f"∂L/∂{n}"): g for n, g in c.gradients.items()},
        **{("update", f"new {n}"): getattr(new, n) for n in WEIGHT_NAMES},
        ("after", "ŷ"): new.forward(), ("after", "L"): new.loss(),
    }
    assert set(rows) == set(expected) and len(round_table()) == len(expected) == 21
    for key, value in expected.items():
        assert rows[key] == pytest.approx(value, rel=1e-12), key
    assert f"{rows[('after', 'ŷ')]:.2f}" == "0.85" and f"{rows[('update', 'new w3')]:.4f}" == "1.1133"
    # another network and learning rate give their own numbers, not the example's
    other = {(p, n): v for p, n, _, v in round_table(TwoTwoOne(w1=0.2), eta=0.1)}
    assert other[("update", "new w1")] == pytest.approx(0.2 - 0.1 * TwoTwoOne(w1=0.2).gradients()["w1"])


def test_most_of_the_predictions_miss_comes_from_the_rates_h1_h2_growing_during_the_step(chain):
    """Notebook 04: the linear prediction falls short mostly because w3's and w4's rates, h1 and h2, grow."""
    net = TwoTwoOne()
    new = net.step(EXAMPLE_ETA)
    after = new.chain()
    miss = after.y_hat - chain.y_hat - sum(chain.dy_hat_dw[n] * (getattr(new, n) - getattr(net, n))
                                          for n in WEIGHT_NAMES)
    rates_growing = (new.w3 - net.w3) * (after.h1 - chain.h1) + (new.w4 - net.w4) * (after.h2 - chain.h2)
    assert after.h1 > chain.h1 and after.h2 > chain.h2
    assert 0.9 < rates_growing / miss < 1.0 and f"{miss:.4f}" == "0.0025"


# ---- Changing a weight: a network is made anew, and the error says how ----

def test_setting_a_weight_in_place_says_to_make_a_new_network_and_how():
    net = TwoTwoOne()
    with pytest.raises(dataclasses.FrozenInstanceError) as caught:
        net.w1 = 5
    message = str(caught.value)
    assert "`net.w1 = 5` cannot work" in message
    assert "net = net.with_weights(w1=5)" in message and "TwoTwoOne(w1=..., w2=..., w3=..., w4=...)" in message
    assert "w2=0.3, w3=1, w4=0.6" in message
    assert net.w1 == EXAMPLE_WEIGHTS["w1"]


def test_with_weights_changes_the_named_weights_and_keeps_the_others():
    net = TwoTwoOne().with_weights(w1=5)
    assert net.weights == {**EXAMPLE_WEIGHTS, "w1": 5.0}
    with pytest.raises(TypeError, match="takes the weights w1, w2, w3, w4 by name, but got 'eta'"):
        TwoTwoOne().with_weights(eta=0.1)


def test_setting_anything_else_or_deleting_a_weight_is_refused_with_the_same_advice():
    net = TwoTwoOne()
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"holds only its weights w1, w2, w3, w4.*`net.eta` "
                                                              r"cannot be set"):
        net.eta = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"`net.w3` cannot work"):
        del net.w3


def test_a_biased_networks_parameters_are_changed_through_with_weights():
    net = BiasedTwoTwoOne()
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"net = net.with_weights\(b1=0.0\)"):
        net.b1 = 0.0
    assert net.with_weights(b1=0.0).parameters == {**net.parameters, "b1": 0.0}
