"""Activation functions a = f(z) and their derivatives da/dz.

Each activation keeps its derivative right beside it, so the chain rule's local factor
da/dz is always one line away from the function it belongs to.
"""

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import validate


# The course's one sigmoid, σ(z) = 1 / (1 + e^(−z)), written in the form that never overflows:
# e^(−|z|) lies in (0, 1], so for z ≥ 0 it is 1 / (1 + e^(−z)), and for z < 0 the same fraction
# multiplied through by e^z, e^z / (1 + e^z). Both stay finite even at |z| = 1e4.

def _sigmoid(z):
    """σ(z) for an array (or a number), element by element; an array of the same shape comes back."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_number(z):
    """σ(z) for one plain number, as a Python float: the same steps as the array form, with math.exp.

    For code that works on single floats it has already checked (the 2-2-1 network, the autograd engine,
    the training loop of notebook 05), where an array would cost far more than the sum itself; `sigmoid`
    is the checked, public form. math.exp and NumPy's exp may round the last bit differently, so each
    caller keeps to one form.
    """
    e = math.exp(-abs(z))
    return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)


def _float32_sigmoid(z):
    """σ(z) on a float32 array, written as a float32 framework writes it, 1 / (1 + e^(−z)).

    For the float32 gradient check (helpers.gradcheck), which shows what single precision does to a
    gradient check. e^(−z) overflows to inf below z = −88, and 1 / inf is the right 0.
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_derivative(z):
    # At exactly z = 0 the slope is undefined; like most libraries we use 0 there.
    return (z > 0).astype(np.float64)


def _linear(z):
    return np.array(z, dtype=np.float64, copy=True)


def _linear_derivative(z):
    return np.ones_like(z, dtype=np.float64)


def _softmax(z):
    # Subtracting the row's largest logit changes nothing mathematically and keeps exp() finite.
    # A logit 1e308 below the largest becomes -inf, whose exp() is exactly the 0 it should be.
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """One activation: its name, a = f(z), and its derivative da/dz.

    `backward(z, a, dL_da)` returns dL/dz for a batch laid out as rows. For the element-wise
    activations that is dL/da * f'(z); softmax mixes a row's outputs, so it has its own rule.
    """

    name: str
    f: Callable
    derivative: Callable

    def __call__(self, z):
        return self.f(z)

    def backward(self, z, a, dL_da):
        if self.name == "softmax":
            return a * (dL_da - np.sum(dL_da * a, axis=-1, keepdims=True))
        return dL_da * self.derivative(z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", _sigmoid, _sigmoid_derivative),
    "tanh": Activation("tanh", np.tanh, _tanh_derivative),
    "relu": Activation("relu", _relu, _relu_derivative),
    "linear": Activation("linear", _linear, _linear_derivative),
    "softmax": Activation("softmax", _softmax, None),
}


def get_activation(name):
    """Return the Activation called `name` ('sigmoid', 'tanh', 'relu', 'linear' or 'softmax')."""
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[validate.choice(name, "activation", tuple(ACTIVATIONS))]


def _public(fn, doc, ndim=None):
    def wrapper(z):
        return fn(validate.as_array(z, "z", ndim=ndim))

    wrapper.__name__ = fn.__name__.lstrip("_")
    wrapper.__doc__ = doc
    return wrapper


sigmoid = _public(_sigmoid, "σ(z) = 1 / (1 + e^(−z)), squashing any z into (0, 1). Same shape as z. "
                            "Used in notebooks 01, 03, 04, 05 and 06.")
sigmoid_derivative = _public(_sigmoid_derivative, "σ′(z) = σ(z)(1 − σ(z)); at most 0.25, at z = 0. "
                                                  "Used in notebook 06.")
tanh = _public(np.tanh, "tanh(z), squashing any z into (−1, 1). Same shape as z. Used in notebook 01.")
tanh_derivative = _public(_tanh_derivative, "tanh′(z) = 1 − tanh(z)²; at most 1, at z = 0.")
relu = _public(_relu, "ReLU(z) = max(0, z). Same shape as z. Used in notebook 01.")
relu_derivative = _public(_relu_derivative, "ReLU′(z): 1 where z > 0, else 0.")
linear = _public(_linear, "The identity a = z, used for an output that can be any number.")
linear_derivative = _public(_linear_derivative, "The identity's slope: 1 everywhere.")
softmax = _public(_softmax, "Softmax over the last axis of z, shape (K,) or (N, K): positive outputs that add "
                            "up to 1 in each row. Same shape as z. Used in notebook 07.", ndim=(1, 2))
