"""Every page widget checks a value set from code or sent by the page, None included, and a value the
page sends that no control can show is refused with a TraitError, after which the old value is kept."""

import pytest
import traitlets

from helpers.widgets.page import (
    PageBackwardStepper, PageChainRuleNudger, PageGradientDescentPlayground, PageLossExplorer, PageWeightExplorer,
)

# (widget class, trait, a value no control can show)
CASES = [
    (PageWeightExplorer, "weights", None),
    (PageWeightExplorer, "eta", None),
    (PageChainRuleNudger, "x", None),
    (PageChainRuleNudger, "nudge", None),
    (PageLossExplorer, "y_hat", None),
    (PageGradientDescentPlayground, "eta", None),
    (PageGradientDescentPlayground, "eta", 99.0),
    (PageGradientDescentPlayground, "steps", None),
    (PageGradientDescentPlayground, "steps", 10**6),
    (PageGradientDescentPlayground, "start", None),
    (PageBackwardStepper, "k", None),
    (PageBackwardStepper, "k", 99),
]


@pytest.fixture(scope="module")
def widgets():
    return {}


def _widget(widgets, cls):
    if cls not in widgets:
        widgets[cls] = cls()
    return widgets[cls]


@pytest.mark.parametrize("cls, trait, bad", CASES, ids=[f"{c.__name__}.{n}={b!r}" for c, n, b in CASES])
def test_a_value_set_from_code_is_checked_none_included(widgets, cls, trait, bad):
    widget = _widget(widgets, cls)
    before = getattr(widget, trait)
    with pytest.raises((TypeError, ValueError, traitlets.TraitError), match=trait):
        setattr(widget, trait, bad)
    assert getattr(widget, trait) == before


@pytest.mark.parametrize("cls, trait, bad", CASES, ids=[f"{c.__name__}.{n}={b!r}" for c, n, b in CASES])
def test_a_value_the_page_sends_that_no_control_can_show_is_refused_and_the_old_one_kept(widgets, cls, trait, bad):
    widget = _widget(widgets, cls)
    before = getattr(widget, trait)
    with pytest.raises(traitlets.TraitError):
        widget.set_state({trait: bad})
    assert getattr(widget, trait) == before
