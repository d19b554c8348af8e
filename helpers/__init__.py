"""Helpers for the backpropagation course: the maths, training, plots, widgets, checks and data.

The notebooks import what they need from here, for example::

    from helpers import Network, sigmoid, numerical_gradient

The folders say what the course is made of:

    core/       the maths a learner reads: activations, losses, the network, the 2-2-1 example, autograd
    practice/   training and its checks: gradient checks, planted bugs, the checks practitioners run
    plots/      the figures, and the course's one look (style)
    widgets/    the widgets, one module each
    checking/   how an answer is checked: reading it, hinting, running a learner's code safely
    exercises/  one module of checks per notebook, built on checking/

Beside them sit `data` (the data set), `validate` (the checks at the public boundary) and
`formatting` (how a number is written), which every folder uses.
"""

import importlib
import importlib.abc
import importlib.util
import sys

from .core.activations import (
    relu, relu_derivative, sigmoid, sigmoid_derivative, softmax, tanh, tanh_derivative, linear,
    linear_derivative, get_activation,
)
from .practice.gradcheck import (
    check_network_gradients, gradient_costs, network_numerical_gradient, numerical_derivative, numerical_gradient,
    relative_error,
)
from .core.losses import (
    binary_cross_entropy, cross_entropy, half_squared_error, mse, one_hot, softmax_cross_entropy,
    squared_error, get_loss,
)
from .core.network import ForwardPass, Gradients, Network
from .core.tiny import Chain, TwoTwoOne
from .practice.training import History, accuracy, descend_tiny, predict_labels, train

__all__ = [
    "Chain", "ForwardPass", "Gradients", "History", "Network", "TwoTwoOne",
    "accuracy", "binary_cross_entropy", "check_network_gradients", "cross_entropy", "descend_tiny", "gradient_costs",
    "get_activation", "get_loss", "half_squared_error", "linear", "linear_derivative", "mse",
    "network_numerical_gradient", "numerical_derivative", "numerical_gradient", "one_hot",
    "predict_labels", "presentation_mode", "relative_error", "relu", "relu_derivative", "sigmoid", "sigmoid_derivative",
    "softmax", "softmax_cross_entropy", "squared_error", "tanh", "tanh_derivative", "train",
]


# Each module's path before the folders above, and where it lives: the old path imports the same module
# object (sys.modules[old] is sys.modules[new]), so code written against either keeps working.
MOVED = {f"helpers.{old}": f"helpers.{folder}.{old}" for folder, olds in {
    "core": ("activations", "autograd", "autograd_examples", "autograd_nn", "losses", "modes", "network",
             "network_checks", "tiny", "two_two_two", "value_network"),
    "practice": ("bugs", "gradcheck", "recipe", "recipe_bugs", "recipe_checks", "slowdown", "training"),
    "plots": ("graph_plot", "recipe_plots", "style"),
    "checking": ("answers", "checks", "codecheck", "diagnose", "friendly", "sandbox"),
}.items() for old in olds}


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds a module by its old path in MOVED and hands back the module at its new path."""

    def __init__(self):
        self._specs = {}

    def find_spec(self, fullname, path=None, target=None):
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec):
        module = importlib.import_module(MOVED[spec.name])
        self._specs[spec.name] = module.__spec__  # the import system writes the old path's spec over it
        return module

    def exec_module(self, module):
        # already run under its new name; only its own spec is put back
        old = next(old for old, new in MOVED.items() if new == module.__name__)
        module.__spec__ = self._specs.pop(old)

    def get_code(self, fullname):
        """The new module's code, so that `python -m helpers.friendly` still runs."""
        return importlib.util.find_spec(MOVED[fullname]).loader.get_code(MOVED[fullname])


if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
    sys.meta_path.insert(0, _OldPaths())


def __getattr__(name):
    # presentation_mode belongs to the course's look (helpers.style), which needs matplotlib:
    # it is loaded on first use, so that `import helpers` stays quick.
    if name == "presentation_mode":
        from .plots.style import presentation_mode
        return presentation_mode
    if f"helpers.{name}" in MOVED:  # helpers.network and the like, reached as an attribute
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
