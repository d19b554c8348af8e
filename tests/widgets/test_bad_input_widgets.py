"""Every widget answers a learner's typo the same way: an error that names the argument, what it may
be and what came, before anything is built. A starting value outside its slider is refused, never
quietly moved to the slider's end.

The table lists each constructor's arguments with the kind of value each takes; the kinds of bad
input are generated from that, so a new argument needs one line here to be swept.
"""

import inspect
import math
import re

import numpy as np
import pytest

from helpers import bugs, presentation_mode, style, widgets
from helpers.autograd_examples import EXPRESSIONS
from helpers.plots import ACTIVATION_NAMES
from helpers.tiny import EXAMPLE_WEIGHTS, WEIGHT_NAMES
from helpers.widgets import chain_rule, dashboard, depth, gradient_descent, histograms, loss, neuron, stepper, weights


def _a_function(x):
    return x


def number(low, high):
    return ("number", (low, high))


def whole(low, high, step=1):
    return ("whole", (low, high, step))


def option(*options, none_allowed=False):
    return ("option or None" if none_allowed else "option", tuple(options))


def values(ranges):
    return ("values", dict(ranges))


# widget function -> {argument: kind}
TABLE = {
    "weight_explorer": {
        "weights": values({name: weights.WEIGHT_RANGE for name in WEIGHT_NAMES}),
        "eta": number(*weights.ETA_RANGE),
        "home": option(*weights.HOMES),
    },
    "neuron_explorer": {
        "x": number(*neuron.X_RANGE), "w": number(*neuron.W_RANGE), "b": number(*neuron.B_RANGE),
        "activation": option(*ACTIVATION_NAMES),
        "home": option(*weights.HOMES),
    },
    "loss_explorer": {"y_hat": number(*loss.Y_HAT_RANGE), "y": number(*loss.Y_RANGE), "home": option(*weights.HOMES)},
    "chain_rule_nudger": {
        "x": number(*chain_rule.X_RANGE),
        "nudge": number(10.0 ** chain_rule.NUDGE_EXPONENTS[0], 10.0 ** chain_rule.NUDGE_EXPONENTS[1]),
        "home": option(*weights.HOMES),
    },
    "gradient_descent_playground": {
        "eta": number(*gradient_descent.ETA_RANGE),
        "steps": whole(*gradient_descent.STEPS_RANGE),
        "start": values({"w3": gradient_descent.W3_RANGE, "w4": gradient_descent.W4_RANGE}),
        "home": option(*weights.HOMES),
    },
    "depth_explorer": {
        "depth": whole(1, depth.MAX_DEPTH),
        "activation": option(*depth.ACTIVATIONS),
        "weight_scale": number(*depth.SCALE_RANGE),
    },
    "bug_explorer": {"kind": option(*bugs.KINDS)},
    "training_dashboard": {
        "eta": number(10.0 ** dashboard.ETA_EXPONENTS[0], 10.0 ** dashboard.ETA_EXPONENTS[1]),
        "hidden": whole(*dashboard.HIDDEN_RANGE),
        "epochs": whole(*dashboard.EPOCH_RANGE, step=dashboard.EPOCH_STEP),
    },
    "backward_stepper": {"expression": option(*EXPRESSIONS, none_allowed=True),
                         "wording": option(*stepper.WORDINGS), "home": option(*weights.HOMES)},
    "histogram_explorer": {
        "inputs": option(*histograms.INPUT_KINDS),
        "input_scale": number(*histograms.INPUT_SCALE_RANGE),
        "weight_scale": number(*histograms.WEIGHT_SCALE_RANGE),
        "activation": option(*histograms.ACTIVATIONS),
    },
}

# Wrong types and values that are never a number, a count, a choice or a dict of starting values.
NEVER_RIGHT = [
    ("text", "a"), ("bool", True), ("set", {0.5}), ("function", _a_function), ("complex", 1 + 2j),
]


def bad_inputs(kind, spec):
    """(label, value, expected error, words the message must hold besides the argument's name)."""
    cases = []
    if kind == "number":
        low, high = spec
        words = [f"{low:g}", f"{high:g}"]
        cases += [(label, value, TypeError, ["number"]) for label, value in NEVER_RIGHT]
        cases += [("None", None, TypeError, ["number"]), ("list", [low], TypeError, ["number"]),
                  ("empty", [], TypeError, ["number"]),
                  ("array", np.array([low, high]), TypeError, ["number"])]
        cases += [(label, value, ValueError, ["number"]) for label, value in
                  (("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf))]
        outside = [("1e308", 1e308), ("-1e308", -1e308), ("below", low - 0.5 * (high - low) - 1e-3),
                   ("above", high + 0.5 * (high - low) + 1e-3), ("numpy above", np.float32(high * 2 + 1))]
        outside += [(label, value) for label, value in (("zero", 0.0), ("negative", -1.0)) if not low <= value <= high]
        cases += [(label, value, ValueError, words) for label, value in outside]
    elif kind == "whole":
        low, high, step = spec
        words = [str(low), str(high)]
        cases += [(label, value, TypeError, ["whole number"]) for label, value in NEVER_RIGHT]
        cases += [("None", None, TypeError, ["whole number"]), ("fraction", low + 0.5, TypeError, ["whole number"]),
                  ("float", float(low), TypeError, ["whole number"]), ("list", [low], TypeError, ["whole number"]),
                  ("empty", [], TypeError, ["whole number"])]
        cases += [("nan", math.nan, ValueError, []), ("inf", math.inf, ValueError, []), ("1e308", 1e308, TypeError, [])]
        outside = [("zero", 0), ("negative", -1), ("below", low - 1), ("above", high + 1), ("huge", 10 ** 308),
                   ("numpy above", np.int64(high + step))]
        cases += [(label, value, ValueError, words) for label, value in outside if not low <= value <= high]
        if step != 1:
            cases.append(("off the slider's steps", low + step // 2, ValueError, [f"steps of {step}"]))
    elif kind in ("option", "option or None"):
        listed = [repr(o) for o in spec]
        cases += [(label, value, TypeError, listed) for label, value in NEVER_RIGHT if label != "text"]
        cases += [("None", None, TypeError, listed)] if kind == "option" else []
        cases += [("number", 5, TypeError, listed), ("empty", "", ValueError, listed),
                  ("typo", spec[0][:-1], ValueError, listed), ("nope", "nope", ValueError, listed),
                  ("list", list(spec[:1]), TypeError, listed)]
    elif kind == "values":
        keys = list(spec)
        low, high = spec[keys[0]]
        listed = [repr(k) for k in keys]
        cases += [(label, value, TypeError, ["dict"]) for label, value in NEVER_RIGHT]
        cases += [("number", 0.5, TypeError, ["dict"]), ("list", [0.5] * len(keys), TypeError, ["dict", *listed]),
                  ("tuple", (0.5,), TypeError, ["dict"]), ("array", np.zeros(len(keys)), TypeError, ["dict"]),
                  ("empty", {}, ValueError, listed), ("unknown key", {"w5": 1.0}, ValueError, ["'w5'", *listed]),
                  ("one unknown among good", {keys[0]: low, "eta": 0.1}, ValueError, ["'eta'", *listed]),
                  ("text value", {keys[0]: "a"}, TypeError, [repr(keys[0])]),
                  ("None value", {keys[0]: None}, TypeError, [repr(keys[0])]),
                  ("nan value", {keys[0]: math.nan}, ValueError, [repr(keys[0])]),
                  ("bool value", {keys[0]: True}, TypeError, [repr(keys[0])]),
                  ("function value", {keys[0]: _a_function}, TypeError, [repr(keys[0]), "function"]),
                  ("1e308 value", {keys[0]: 1e308}, ValueError, [repr(keys[0]), f"{low:g}", f"{high:g}"]),
                  ("above value", {keys[-1]: high + 1}, ValueError, [repr(keys[-1]), f"{low:g}", f"{high:g}"])]
    return cases


CASES = [
    pytest.param(widget, argument, value, error, words, id=f"{widget}-{argument}-{label}")
    for widget, arguments in TABLE.items()
    for argument, (kind, spec) in arguments.items()
    for label, value, error, words in bad_inputs(kind, spec)
]


@pytest.mark.parametrize("widget, argument, value, error, words", CASES)
def test_a_bad_starting_value_gets_an_error_naming_the_argument_and_what_it_may_be(widget, argument, value, error,
                                                                                   words):
    with pytest.raises(error) as caught:
        getattr(widgets, widget)(**{argument: value})
    message = str(caught.value)
    assert re.search(rf"\b{re.escape(argument)}\b", message), message
    for word in words:
        assert word in message, (word, message)


def test_the_table_covers_every_argument_of_every_widget():
    assert set(TABLE) == set(widgets.__all__)
    for widget, arguments in TABLE.items():
        assert set(inspect.signature(getattr(widgets, widget)).parameters) == set(arguments), widget


@pytest.mark.parametrize("widget", sorted(TABLE))
def test_every_widget_builds_from_its_defaults_and_from_the_ends_of_its_ranges(widget):
    build = getattr(widgets, widget)
    assert build() is not None
    ends = {}
    for argument, (kind, spec) in TABLE[widget].items():
        if kind in ("number", "whole"):
            ends[argument] = spec[1]
        elif kind in ("option", "option or None"):
            ends[argument] = spec[-1]
        else:
            ends[argument] = {key: high for key, (low, high) in spec.items()}
    if widget == "training_dashboard":  # its longest run is slow; the other ends are what matter here
        ends["epochs"] = dashboard.EPOCH_RANGE[0]
    assert build(**ends) is not None


def test_a_partial_dict_of_starting_weights_keeps_the_others():
    explorer = widgets.weight_explorer(weights={"w1": 0.25}, home="kernel")
    assert explorer.start_weights["w1"] == 0.25
    assert {k: v for k, v in explorer.start_weights.items() if k != "w1"} == \
        {k: v for k, v in EXAMPLE_WEIGHTS.items() if k != "w1"}
    playground = widgets.gradient_descent_playground(start={"w3": 0.0}, home="kernel")
    assert playground.start_sliders["w3"].value == 0.0
    assert playground.start_sliders["w4"].value == gradient_descent.START["w4"]


@pytest.mark.parametrize("on", [-1, 0, 1, 1.0, "yes", "", None, math.nan, {True}, [True], _a_function],
                         ids=lambda v: repr(v))
def test_presentation_mode_takes_only_true_or_false(on):
    style.presentation_mode(False)
    with pytest.raises(TypeError) as caught:
        presentation_mode(on)
    message = str(caught.value)
    assert "on must be True or False" in message and type(on).__name__ in message
    assert style.presentation_active() is False


@pytest.mark.parametrize("on", [True, False, np.True_, np.False_, np.array(1) > 0], ids=["True", "False", "np.True_", "np.False_", "0-d array"])
def test_presentation_mode_takes_python_and_numpy_booleans(on):
    try:
        presentation_mode(on)
        assert style.presentation_active() is bool(on)
    finally:
        style.presentation_mode(False)
