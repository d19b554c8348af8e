"""The course's widgets, each displayed with one call, e.g. ``weight_explorer()``.

Each widget lives in its own module and is imported only when first used, so importing
`helpers` stays quick.
"""

import importlib

# widget function -> the module that defines it
_WIDGETS = {
    "weight_explorer": "weight_explorer",
    "gradient_descent_playground": "gradient_descent",
    "neuron_explorer": "neuron",
    "chain_rule_nudger": "chain_rule",
    "depth_explorer": "depth",
    "training_dashboard": "dashboard",
}

__all__ = sorted(_WIDGETS)


def __getattr__(name):
    if name in _WIDGETS:
        module = importlib.import_module(f".{_WIDGETS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'helpers.widgets' has no attribute {name!r}")


def __dir__():
    return __all__
