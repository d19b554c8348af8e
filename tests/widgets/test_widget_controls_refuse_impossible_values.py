"""Every control of the course's widgets refuses a value no browser can send but code can.

`slider.value = float("nan")` or `dropdown.value = None` gets a TraitError that names the control,
what it takes and the value it keeps; the control, the picture and every label stay as they were,
and the widget still answers the next ordinary move.
"""

import ipywidgets as widgets
import pytest
from traitlets import TraitError

from helpers.widgets._base import RoundSlider, _descendants
from helpers.widgets.bugs import bug_explorer
from helpers.widgets.chain_rule import chain_rule_nudger
from helpers.widgets.dashboard import training_dashboard
from helpers.widgets.depth import depth_explorer
from helpers.widgets.gradient_descent import gradient_descent_playground
from helpers.widgets.histograms import histogram_explorer
from helpers.widgets.loss import loss_explorer
from helpers.widgets.neuron import neuron_explorer
from helpers.widgets.stepper import backward_stepper
from helpers.widgets.weights import weight_explorer
from kernel_widgets import kernel_version

FACTORIES = [kernel_version(f) for f in (weight_explorer, loss_explorer, neuron_explorer, chain_rule_nudger,
             backward_stepper, bug_explorer, gradient_descent_playground, training_dashboard, depth_explorer,
             histogram_explorer)]
SLIDERS = (widgets.FloatSlider, widgets.FloatLogSlider, RoundSlider)


@pytest.fixture(scope="module", params=FACTORIES, ids=lambda f: f.__name__)
def widget(request):
    return request.param()


def _controls(widget, kinds):
    return [c for c in _descendants(widget) if isinstance(c, kinds)]


def _state(widget):
    """What a learner sees: every control's value, every label's text and the picture."""
    values = [c.value for c in _descendants(widget) if isinstance(c, (*SLIDERS, widgets.Dropdown))]
    texts = [c.value for c in _descendants(widget) if isinstance(c, (widgets.HTML, widgets.Label))]
    view = getattr(widget, "view", None)
    return values, texts, bytes(view.image.value) if view is not None else None


def test_each_widget_has_controls_to_try(widget):
    assert _controls(widget, (*SLIDERS, widgets.Dropdown))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_a_slider_refuses_a_value_that_is_not_a_finite_number_and_keeps_its_own(widget, bad):
    for slider in _controls(widget, SLIDERS):
        before = _state(widget)
        kept = slider.value
        with pytest.raises(TraitError, match=rf"^the slider '{slider.description}' takes a number from .* but got "
                                             rf"-?(nan|inf); it keeps {kept:g}$".replace("(eta)", r"\(eta\)")):
            slider.value = bad
        assert _state(widget) == before


def test_a_slider_given_none_says_it_expected_a_float_and_keeps_its_value(widget):
    for slider in _controls(widget, SLIDERS):
        before = _state(widget)
        with pytest.raises(TraitError, match="expected a float, not the NoneType None"):
            slider.value = None
        assert _state(widget) == before


@pytest.mark.parametrize("trait, bad", [("value", None), ("index", None), ("label", None), ("value", "no such one")])
def test_a_dropdown_refuses_none_or_an_unknown_choice_and_keeps_its_choice(widget, trait, bad):
    for dropdown in _controls(widget, widgets.Dropdown):
        before = _state(widget)
        kept = dropdown.value
        with pytest.raises(TraitError, match=rf"^the dropdown '{dropdown.description}' takes one of .* but its {trait} "
                                             rf"was set to {bad!r}; it keeps {kept!r}$"):
            setattr(dropdown, trait, bad)
        assert dropdown.value == kept and dropdown.index is not None and dropdown.label is not None
        assert _state(widget) == before


def test_after_a_refusal_the_widget_still_answers_an_ordinary_move(widget):
    for control in _controls(widget, (*SLIDERS, widgets.Dropdown)):
        with pytest.raises(TraitError):
            control.value = None if isinstance(control, widgets.Dropdown) else float("nan")
        before = _state(widget)
        kept = control.value
        if isinstance(control, widgets.Dropdown):
            control.index = (control.index + 1) % len(control.options)
        else:
            if isinstance(control, RoundSlider):
                low, high = control.options[0][1], control.options[-1][1]
            else:
                low, high = ((control.min, control.max) if isinstance(control, widgets.FloatSlider)
                             else (control.base ** control.min, control.base ** control.max))
            control.value = low if kept == high else high
        assert _state(widget) != before
        control.value = kept
