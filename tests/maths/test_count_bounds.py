"""The depth explorer's counts have stated bounds: its batch, and its slider set from code."""

import pytest
from traitlets import TraitError

from helpers.widgets.depth import MAX_BATCH_NUMBERS, MAX_DEPTH, DepthExplorer, demo_batch


def test_demo_batch_refuses_more_than_a_million_inputs_naming_both_counts():
    assert MAX_BATCH_NUMBERS == 1_000_000
    X, y = demo_batch(250_000, 4)
    assert X.shape == (250_000, 4) and y.shape == (250_000, 1)
    with pytest.raises(ValueError, match=r"n_samples × n_inputs must be at most 1,000,000 numbers, but "
                                         r"1,000,000,000 × 4 make 4,000,000,000"):
        demo_batch(10**9)


def test_the_depth_slider_refuses_a_depth_beyond_its_range_and_keeps_its_value():
    explorer = DepthExplorer(depth=3)
    with pytest.raises(TraitError, match=rf"the slider 'hidden layers' takes a whole number from 1 to {MAX_DEPTH}, "
                                         r"but got 1,000; it keeps 3"):
        explorer.depth_slider.value = 1000
    assert explorer.depth_slider.value == 3 and explorer.net.depth == 4
