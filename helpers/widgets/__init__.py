"""The course's widgets, each displayed with one call, e.g. ``weight_explorer()``.

Each widget lives in its own module and is imported only when first used, so importing
`helpers` stays quick.
"""

import importlib

# widget function -> the module that defines it
_WIDGETS = {
    "weight_explorer": "weights",
    "gradient_descent_playground": "gradient_descent",
    "neuron_explorer": "neuron",
    "chain_rule_nudger": "chain_rule",
    "depth_explorer": "depth",
    "training_dashboard": "dashboard",
    "loss_explorer": "loss",
    "bug_explorer": "bugs",
    "backward_stepper": "stepper",
    "histogram_explorer": "histograms",
}

__all__ = sorted(_WIDGETS)


def __getattr__(name):
    if name in _WIDGETS:
        module = importlib.import_module(f".{_WIDGETS[name]}", __name__)
        function = getattr(module, name)
        globals()[name] = function  # later look-ups skip this function
        return function
    raise AttributeError(f"module 'helpers.widgets' has no attribute {name!r}")


def __dir__():
    return __all__
