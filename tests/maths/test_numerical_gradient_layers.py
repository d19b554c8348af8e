"""Nudging a network's parameters quickly: network_numerical_gradient reruns only the layers at and
above the nudged one, and must give exactly the numbers of the plain recipe (notebooks 06 and 08
print them)."""

import numpy as np
import pytest

from helpers.gradcheck import network_numerical_gradient, numerical_gradient, relative_error
from helpers.network import Network
from test_gradients_vs_finite_differences import SEEDS, architecture


def _nudging_the_whole_vector(net, X, y, eps=1e-5):
    """The plain recipe: load θ with one entry nudged into a copy of the network, run it all, read the loss."""
    X, work = net.check_inputs(X), net.copy()
    Y = net.check_targets(y, X.shape[0])

    def loss_at(theta):
        work.set_parameters(theta)
        return work._loss_value(work._forward(X), Y)

    return numerical_gradient(loss_at, net.parameters(), eps)


@pytest.mark.parametrize("seed", SEEDS[::3])
def test_network_numerical_gradient_equals_nudging_the_whole_vector_to_the_last_bit(seed):
    # network_numerical_gradient reruns only the layers at and above the nudged one; its numbers
    # must be exactly those of the plain recipe (notebooks 06 and 08 print them).
    net, X, y = architecture(seed)
    assert network_numerical_gradient(net, X, y).tobytes() == _nudging_the_whole_vector(net, X, y).tobytes()


def test_network_numerical_gradient_on_a_deep_net_and_a_subclass_equals_the_plain_recipe():
    rng = np.random.default_rng(0)
    deep = Network([4] + [6] * 6 + [1], ["sigmoid"] * 6 + ["linear"], "squared_error", seed=0)
    deep.W[2] = np.asfortranarray(deep.W[2])  # a weight array laid out column by column
    X, y = rng.normal(size=(9, 4)), rng.normal(size=(9, 1))
    assert network_numerical_gradient(deep, X, y).tobytes() == _nudging_the_whole_vector(deep, X, y).tobytes()

    class Doubled(Network):  # a subclass with its own forward pass: its loss is what gets nudged
        def _forward(self, X):
            fp = super()._forward(X)
            fp.a[self.depth] = 2.0 * fp.a[self.depth]
            return fp

    twice = Doubled([4, 3, 1], ["tanh", "linear"], "squared_error", seed=1)
    expected = _nudging_the_whole_vector(twice, X, y)
    assert network_numerical_gradient(twice, X, y).tobytes() == expected.tobytes()
    plain = Network([4, 3, 1], ["tanh", "linear"], "squared_error", seed=1)
    assert relative_error(expected, network_numerical_gradient(plain, X, y)) > 0.1
