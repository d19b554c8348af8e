"""float32_gradient_check, and what notebooks 06 and 08 say about gradient checks in float32: rounding
alone swamps the AGREE and SUSPICIOUS lines, which hold for float64 only."""

import numpy as np
import pytest

from helpers import Network
from helpers.gradcheck import SUSPICIOUS, check_network_gradients, float32_gradient_check


@pytest.fixture(scope="module")
def notebook_06():
    """Notebook 06's network and batch, built as the notebook builds them."""
    net = Network([3, 4, 4, 1], seed=0)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    y = rng.uniform(size=(5, 1))
    return net, X, y


def test_in_float32_with_the_usual_nudge_every_part_of_a_correct_backward_pass_reads_bug(notebook_06):
    check = float32_gradient_check(*notebook_06, eps=1e-5)
    assert check.verdict == "bug" and len(check.failing) == len(check.errors) == 6
    assert f"{min(check.errors.values()):.2g}" == "0.0025"     # "from 2.5 × 10⁻³ in the output layer"
    assert f"{check.errors[(3, 'b')]:.2g}" == "0.0025"
    assert f"{check.errors[(1, 'W')]:.2g}" == "0.27"           # "to 0.27 in layer 1"
    assert float(check) == check.errors[(1, "W")]


def test_a_nudge_of_a_hundredth_still_leaves_layer_1_reading_bug_in_float32(notebook_06):
    check = float32_gradient_check(*notebook_06, eps=1e-2)
    assert f"{min(check.errors.values()):.2g}" == "4.5e-06" and f"{float(check):.2g}" == "0.00025"
    assert check.verdicts[(1, "W")] == "bug"


def test_no_nudge_brings_float32s_worst_part_clearly_below_the_bug_line(notebook_06):
    worst = {eps: float(float32_gradient_check(*notebook_06, eps=eps)) for eps in np.logspace(-3, -0.5, 26)}
    best = min(worst, key=worst.get)
    assert 0.02 < best < 0.04                                # "the best nudge for this network, about 0.03"
    assert 0.9 * SUSPICIOUS < worst[best] < SUSPICIOUS      # "just under 10⁻⁴, on the edge of bug"


def test_the_same_check_in_float64_agrees_everywhere(notebook_06):
    assert float(check_network_gradients(*notebook_06)) < 1e-9


def test_other_units_and_squared_losses_check_out_in_float32_with_a_large_nudge():
    """With a nudge large enough for float32, other units and losses agree to float32's rounding too."""
    for sizes, activations, loss in (([2, 3, 1], ["tanh", "linear"], "squared_error"),
                                     ([2, 3, 2], ["relu", "sigmoid"], "mse")):
        other = Network(sizes, activations, loss, seed=3)
        rng = np.random.default_rng(4)
        check = float32_gradient_check(other, rng.normal(size=(6, 2)), rng.uniform(size=(6, sizes[-1])), eps=1e-2)
        assert float(check) < 1e-2


def test_a_network_it_cannot_compute_in_float32_is_refused_by_name():
    classifier = Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    with pytest.raises(ValueError, match="net must use"):
        float32_gradient_check(classifier, np.zeros((2, 2)), np.array([0, 1]))


def test_inputs_beyond_float32_are_refused_by_name(notebook_06):
    net, X, y = notebook_06
    with pytest.raises(ValueError, match="X holds 1e\\+300"):
        float32_gradient_check(net, np.full((2, 3), 1e300), y[:2])
    with pytest.raises(ValueError, match="eps = 1e-20 is lost in rounding"):
        float32_gradient_check(net, X, y, eps=1e-20)
