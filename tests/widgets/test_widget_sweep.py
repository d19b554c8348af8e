"""Every widget survives every position of every control, and what it then shows is honest.

Each control is set to its minimum, middle and maximum in turn (the others at their defaults),
then all controls at once to their minimum and to their maximum, and every button is pressed.
After each move: no exception, no 'nan' or 'inf' in any label, one minus sign (−, never '-')
before a displayed number, and the picture is a PNG.
"""

import re

import ipywidgets as widgets
import pytest

import helpers.widgets as course_widgets
from helpers.widgets._base import _descendants
from kernel_widgets import kernel_build

pytestmark = pytest.mark.filterwarnings("error")

WIDGETS = course_widgets.__all__
HYPHEN_BEFORE_A_DIGIT = re.compile(r"(?<![\w-])-\d")
SLIDERS = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)
CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.SelectionSlider)


def controls(widget):
    return [c for c in _descendants(widget) if isinstance(c, SLIDERS + CHOICES)]


def positions(control):
    """(minimum, middle, maximum) values a control can take."""
    if isinstance(control, CHOICES):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return options[0], options[len(options) // 2], options[-1]
    lo, hi = control.min, control.max
    values = [lo, (lo + hi) / 2, hi]
    if isinstance(control, widgets.FloatLogSlider):
        values = [control.base ** v for v in values]
    if isinstance(control, widgets.IntSlider):
        values = [int(round(v)) for v in values]
    return tuple(values)


def assert_honest(widget, where):
    for label in _descendants(widget):
        if isinstance(label, widgets.HTML) and "<style>" not in label.value:
            text = re.sub(r"<[^>]+>", "", label.value)
            assert "nan" not in text and "inf" not in text, (where, text)
            assert not HYPHEN_BEFORE_A_DIGIT.search(text), (where, text)
    view = getattr(widget, "view", None)
    if view is not None:
        assert bytes(view.image.value[:8]) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", WIDGETS)
def test_every_control_at_every_position_leaves_an_honest_widget(name):
    widget = kernel_build(name)  # its controls live in Python (the page versions are swept in Chromium)
    all_controls = controls(widget)
    assert all_controls, f"{name} has no controls to sweep"
    defaults = [c.value for c in all_controls]
    buttons = [b for b in _descendants(widget) if isinstance(b, widgets.Button) and b.description != "Train"]
    for control, default in zip(all_controls, defaults):
        for value in positions(control):
            control.value = value
            assert_honest(widget, (control.description, value))
        control.value = default
    for end in (0, 2):
        for control in all_controls:
            control.value = positions(control)[end]
        for button in [b for b in _descendants(widget) if isinstance(b, widgets.Button)]:
            button.click()
            assert_honest(widget, ("all at", end, button.description))
        for button in buttons:  # pressing twice in a row (Step, Step) must work as well
            button.click()
            assert_honest(widget, ("twice", end, button.description))
