"""The neuron explorer, driven without a browser: x, w, b and the activation in; z, a and the dot out."""

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.widgets import neuron_explorer
from helpers.widgets.neuron import neuron_numbers

pytestmark = pytest.mark.filterwarnings("error")


def test_it_starts_as_the_worked_example_first_hidden_neuron():
    n = neuron_explorer(home="kernel")
    assert "<b>\u22120.5000</b>" in n.z_label.value      # z = (−0.5)(1.0) + 0, with a true minus sign
    assert "<b>0.3775</b>" in n.a_label.value       # σ(−0.5) = 0.3775
    assert "<b>0.2350</b>" in n.slope_label.value   # σ′(−0.5) = 0.3775 · 0.6225
    np.testing.assert_allclose(n.marker.get_xydata(), [[-0.5, 0.3775]], atol=1e-4)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_labels_and_dot_show_what_helpers_computes(name):
    n = neuron_explorer(home="kernel")
    n.activation.value = name
    n.x.value, n.w.value, n.b.value = 1.5, 2.0, -1.0
    z = 2.0 * 1.5 - 1.0
    a = float(get_activation(name).f(np.float64(z)))
    assert f"<b>{z:.4f}</b>" in n.z_label.value
    assert f"a = {name}(z) = <b>{a:.4f}</b>" in n.a_label.value
    np.testing.assert_allclose(n.marker.get_xydata(), [[z, a]])
    assert n.state() == neuron_numbers(1.5, 2.0, -1.0, name)


def test_each_slider_moves_the_dot_with_one_render():
    n = neuron_explorer(home="kernel")
    for control, value in ((n.x, 2.0), (n.w, 1.0), (n.b, 0.5)):
        before, renders, image = n.marker.get_xydata().copy(), n.view.renders, n.view.image.value
        control.value = value
        assert not np.array_equal(n.marker.get_xydata(), before)
        assert n.view.renders == renders + 1 and n.view.image.value != image


def test_a_new_activation_changes_the_same_curve_in_place():
    n = neuron_explorer(home="kernel")
    curve, renders = n.plot.curve, n.view.renders
    n.activation.value = "relu"
    assert n.plot.curve is curve
    np.testing.assert_allclose(curve.get_ydata(), np.maximum(n.plot.z, 0.0))
    assert n.view.renders == renders + 1
    assert "relu" in n.a_label.value


@pytest.mark.parametrize("where", ["min", "middle", "max"])
def test_every_control_survives_its_extremes(where):
    n = neuron_explorer(home="kernel")
    for option in n.activation.options:
        n.activation.value = option
        for control in (n.x, n.w, n.b):
            control.value = {"min": control.min, "middle": (control.min + control.max) / 2, "max": control.max}[where]
        z, a = n.marker.get_xydata()[0]
        lo, hi = n.ax.get_xlim()
        assert lo <= z <= hi  # the dot never leaves the picture
        assert "nan" not in n.z_label.value + n.a_label.value + n.slope_label.value


def test_bad_activation_names_are_refused_clearly():
    with pytest.raises(ValueError, match="activation must be one of"):
        neuron_explorer(activation="softplus", home="kernel")
