"""Helpers for the backpropagation course: the maths, training, plots, widgets, checks and data.

The notebooks import what they need from here, for example::

    from helpers import Network, sigmoid, numerical_gradient
"""

from .activations import (
    relu, relu_derivative, sigmoid, sigmoid_derivative, softmax, tanh, tanh_derivative, linear,
    linear_derivative, get_activation,
)
from .gradcheck import (
    check_network_gradients, gradient_costs, network_numerical_gradient, numerical_derivative, numerical_gradient,
    relative_error,
)
from .losses import (
    binary_cross_entropy, cross_entropy, half_squared_error, mse, one_hot, softmax_cross_entropy,
    squared_error, get_loss,
)
from .network import ForwardPass, Gradients, Network
from .tiny import Chain, TwoTwoOne
from .training import History, accuracy, descend_tiny, predict_labels, train

__all__ = [
    "Chain", "ForwardPass", "Gradients", "History", "Network", "TwoTwoOne",
    "accuracy", "binary_cross_entropy", "check_network_gradients", "cross_entropy", "descend_tiny", "gradient_costs",
    "get_activation", "get_loss", "half_squared_error", "linear", "linear_derivative", "mse",
    "network_numerical_gradient", "numerical_derivative", "numerical_gradient", "one_hot",
    "predict_labels", "presentation_mode", "relative_error", "relu", "relu_derivative", "sigmoid", "sigmoid_derivative",
    "softmax", "softmax_cross_entropy", "squared_error", "tanh", "tanh_derivative", "train",
]


def __getattr__(name):
    # presentation_mode belongs to the course's look (helpers.style), which needs matplotlib:
    # it is loaded on first use, so that `import helpers` stays quick.
    if name == "presentation_mode":
        from .style import presentation_mode
        return presentation_mode
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
