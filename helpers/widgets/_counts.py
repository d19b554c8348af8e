"""A slider for a count (steps, epochs, hidden units, layers) that refuses what its range does not hold.

ipywidgets' IntSlider quietly clamps a value set from code, so `widget.steps.value = 10**9` would
become the largest value without a word. This one raises a TraitError naming the slider, its range
and the value, and keeps the value it had, as the course's float sliders do for NaN.
"""

import ipywidgets as widgets
from traitlets import TraitError
from traitlets import validate as trait_validator


class IntSlider(widgets.IntSlider):
    """ipywidgets' IntSlider, refusing a value outside min..max with a clear TraitError (it keeps its value)."""

    @trait_validator("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if not self.min <= value <= self.max:
            name = (self.description or "").strip() or "IntSlider"
            raise TraitError(f"the slider {name!r} takes a whole number from {self.min:,} to {self.max:,}, but got "
                             f"{value:,}; it keeps {self.value:,}")
        return super()._validate_value(proposal)
