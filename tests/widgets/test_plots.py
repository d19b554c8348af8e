"""The course's figures: each returns its artists, and `update` changes those same artists in place."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots, style  # noqa: E402
from helpers.activations import relu, sigmoid, sigmoid_derivative  # noqa: E402
from helpers.data import Standardizer, load_cat_dog  # noqa: E402
from helpers.network import Network  # noqa: E402
from helpers.tiny import TwoTwoOne  # noqa: E402
from helpers.training import descend_tiny, train  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def is_dashed(line):
    return line.get_linestyle() == "--"


def draw(fig):
    fig.canvas.draw()


def test_the_2_2_1_diagram_has_one_line_per_weight_between_the_right_nodes():
    d = plots.network_diagram(TwoTwoOne())
    assert set(d.edges) == {"w1", "w2", "w3", "w4"}
    ends = {name: (tuple(line.get_xdata()), tuple(line.get_ydata())) for name, line in d.edges.items()}
    x1, x2, h1, h2, y_hat = (d.positions[k] for k in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)])
    assert ends["w1"] == ((x1[0], h1[0]), (x1[1], h1[1]))  # x1 → h1
    assert ends["w2"] == ((x2[0], h2[0]), (x2[1], h2[1]))  # x2 → h2
    assert ends["w3"] == ((h1[0], y_hat[0]), (h1[1], y_hat[1]))  # h1 → ŷ
    assert ends["w4"] == ((h2[0], y_hat[0]), (h2[1], y_hat[1]))  # h2 → ŷ
    assert d.fig.get_size_inches() == pytest.approx(style.FIGSIZE)
    draw(d.fig)


def test_negative_weights_are_dashed_vermillion_and_positive_ones_solid_blue():
    d = plots.network_diagram(TwoTwoOne())  # w1 = −0.5, the others positive
    assert is_dashed(d.edges["w1"]) and d.edges["w1"].get_color() == style.NEGATIVE
    for name in ("w2", "w3", "w4"):
        assert d.edges[name].get_linestyle() == "-"
        assert d.edges[name].get_color() == style.POSITIVE


def test_line_width_grows_with_the_size_of_the_weight():
    d = plots.network_diagram(TwoTwoOne())  # |w2| = 0.3 < |w1| = 0.5 < |w4| = 0.6 < |w3| = 1.0
    widths = {name: line.get_linewidth() for name, line in d.edges.items()}
    assert widths["w2"] < widths["w1"] < widths["w4"] < widths["w3"]


def test_nodes_show_the_worked_example_numbers_and_edges_their_blame():
    net = TwoTwoOne()
    d = plots.network_diagram(net, gradients=net.chain())
    assert d.value_labels["y_hat"].get_text() == "0.700"
    assert d.value_labels["x2"].get_text() == "0.500"
    assert d.weight_labels["w1"].get_text() == "w1 = −0.50"
    assert d.gradient_labels["w1"].get_text() == f"∂L/∂w1 = −{abs(net.chain().dL_dw1):.3f}"
    draw(d.fig)


def test_update_restyles_the_same_lines_in_place():
    d = plots.network_diagram(TwoTwoOne())
    lines = dict(d.edges)
    labels = dict(d.value_labels)
    new = TwoTwoOne(w1=0.2, w2=-1.5)
    d.update(new, gradients=new.chain())
    assert d.edges == lines and all(d.edges[n] is lines[n] for n in lines)
    assert all(d.value_labels[k] is labels[k] for k in labels)
    assert not is_dashed(d.edges["w1"]) and is_dashed(d.edges["w2"])
    assert d.edges["w2"].get_linewidth() > d.edges["w1"].get_linewidth()
    assert d.value_labels["y_hat"].get_text() == f"{new.chain().y_hat:.3f}"
    assert d.gradient_labels["w3"].get_text().startswith("∂L/∂w3 = ")
    draw(d.fig)


def test_a_general_network_has_one_line_per_entry_of_each_W():
    net = Network([3, 4, 4, 1], seed=1)
    d = plots.network_diagram(net)
    assert len(d.edges) == 3 * 4 + 4 * 4 + 4 * 1
    for l, W in net.W.items():
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                assert is_dashed(d.edges[f"W{l}[{j},{i}]"]) == (W[j, i] < 0)
    assert d.weight_labels == {}  # too many lines to print each weight by default
    net.W[1] = -net.W[1]
    line = d.edges["W1[0,0]"]
    d.update(net)
    assert d.edges["W1[0,0]"] is line and is_dashed(line) == (net.W[1][0, 0] < 0)
    draw(d.fig)


def test_values_and_gradients_of_a_general_network_are_printed():
    net = Network([2, 2, 1], seed=0)
    X, y = np.array([[1.0, 0.5]]), np.array([[1.0]])
    fp = net.forward(X)
    d = plots.network_diagram(net, values=fp, gradients=net.backward(fp, y))
    assert d.value_labels[(2, 0)].get_text() == f"{fp.y_hat[0, 0]:.3f}"
    assert d.gradient_labels["W2[0,1]"].get_text().startswith("∂L/∂w = ")


def test_a_diagram_from_sizes_alone_has_neutral_lines():
    d = plots.network_diagram([2, 3, 1])
    assert len(d.edges) == 2 * 3 + 3 * 1
    assert all(line.get_color() == plots.NEUTRAL_EDGE for line in d.edges.values())


def test_blown_up_weights_are_drawn_and_labelled_diverged():
    d = plots.network_diagram(TwoTwoOne())
    d.update({"w1": np.nan, "w2": 1e300, "w3": 1.0, "w4": 0.6}, values={"y_hat": np.inf})
    assert d.weight_labels["w1"].get_text() == "w1 = diverged"
    assert d.weight_labels["w2"].get_text() == "w2 = diverged"
    assert d.value_labels["y_hat"].get_text() == "diverged"
    draw(d.fig)


def test_bad_input_to_the_diagram_names_the_problem():
    with pytest.raises(TypeError, match="network_diagram needs"):
        plots.network_diagram("2-2-1")
    with pytest.raises(ValueError, match="W2 has shape"):
        plots.network_diagram([np.ones((3, 2)), np.ones((1, 4))])
    d = plots.network_diagram(TwoTwoOne())
    with pytest.raises(ValueError, match="this diagram shows sizes"):
        d.update(Network([3, 1]))


def test_loss_curve_draws_one_point_per_step_and_updates_the_same_line():
    path = descend_tiny(TwoTwoOne(), 0.5, 20)
    curve = plots.loss_curve(path.loss)
    line = curve.line
    assert list(line.get_xdata()) == list(range(21))
    np.testing.assert_allclose(line.get_ydata(), path.loss)
    curve.update([0.5, 0.4, 0.3])
    assert curve.line is line
    np.testing.assert_allclose(line.get_ydata(), [0.5, 0.4, 0.3])
    assert curve.ax.get_xlabel() == "step" and curve.ax.get_ylabel() == "loss L"
    draw(curve.fig)


def test_log_loss_curve_leaves_gaps_for_zero_and_blown_up_losses():
    curve = plots.loss_curve([1.0, 0.1, 0.0, np.inf, 1e300], log=True)
    assert curve.ax.get_yscale() == "log"
    y = curve.line.get_ydata()
    assert y[:2] == pytest.approx([1.0, 0.1]) and np.all(np.isnan(y[2:]))
    lo, hi = curve.ax.get_ylim()
    assert lo <= 0.1 and hi >= 1.0
    draw(curve.fig)


def _loss_over_w3_w4(w3, w4):
    return TwoTwoOne(-0.5, 0.3, w3, w4).loss()


def test_loss_landscape_draws_contours_once_and_moves_only_the_path():
    path = descend_tiny(TwoTwoOne(), 0.5, 10).weights[:, 2:]
    land = plots.loss_landscape(_loss_over_w3_w4, (-1, 3), (-1, 3), path=path, resolution=21)
    assert land.L.shape == (21, 21)
    assert land.L[0, 0] == pytest.approx(_loss_over_w3_w4(-1.0, -1.0))
    np.testing.assert_allclose(land.path_line.get_xydata(), path)
    assert land.start_marker.get_xydata().tolist() == [path[0].tolist()]
    assert land.end_marker.get_xydata().tolist() == [path[-1].tolist()]
    contour, line = land.contour, land.path_line
    land.update([[0.0, 0.0], [1.0, 1.0]])
    assert land.contour is contour and land.path_line is line
    assert line.get_xydata().tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert land.end_marker.get_xydata().tolist() == [[1.0, 1.0]]
    draw(land.fig)


def test_loss_landscape_takes_functions_of_arrays_too():
    land = plots.loss_landscape(lambda a, b: a ** 2 + 3 * b ** 2, (-1, 1), (-1, 1), resolution=11)
    assert land.L[5, 5] == pytest.approx(0.0) and land.L[0, 0] == pytest.approx(4.0)
    assert land.path_line.get_xydata().size == 0
    draw(land.fig)


def test_activation_plot_draws_the_function_and_its_slope_and_switches_in_place():
    plot = plots.activation_plot("sigmoid")
    np.testing.assert_allclose(plot.curve.get_ydata(), sigmoid(plot.z))
    np.testing.assert_allclose(plot.derivative_curve.get_ydata(), sigmoid_derivative(plot.z))
    curve = plot.curve
    plot.update("relu")
    assert plot.curve is curve
    np.testing.assert_allclose(curve.get_ydata(), relu(plot.z))
    assert plot.ax.get_ylim()[1] >= plot.z.max()
    with pytest.raises(ValueError, match="name must be one of"):
        plot.update("softplus")
    draw(plot.fig)


def test_decision_boundary_shows_both_classes_and_recomputes_in_place():
    X, y = load_cat_dog()
    X = Standardizer().fit_transform(X)
    net = Network([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=0)
    db = plots.decision_boundary(net, X, y, grid=40)
    assert db.image.get_array().shape == (40, 40)
    assert [p.get_offsets().shape[0] for p in db.points] == [np.sum(y == 0), np.sum(y == 1)]
    assert [p.get_facecolor()[0][:3].tolist() for p in db.points] == [
        list(matplotlib.colors.to_rgb(c)) for c in style.CLASS_COLOURS]
    before = np.array(db.image.get_array())
    image = db.image
    train(net, X, y, eta=1.0, epochs=50)
    db.update(net)
    assert db.image is image
    assert not np.allclose(before, db.image.get_array())
    p = net.predict(np.column_stack([db.grid_x.ravel(), db.grid_y.ravel()]))[:, 0].reshape(40, 40)
    np.testing.assert_allclose(db.image.get_array(), p)
    assert db.boundary is not None
    draw(db.fig)


def test_a_diverged_classifier_leaves_an_empty_picture_not_an_error():
    X, y = load_cat_dog()
    net = Network([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    db = plots.decision_boundary(net, X[:50], y[:50], grid=10)
    net.W[1][0, 0] = np.nan
    db.update(net)
    assert np.all(np.isnan(db.probability)) and db.boundary is None
    assert np.ma.getmaskarray(db.image.get_array()).all()  # nothing is shaded
    draw(db.fig)


def test_returned_plots_print_without_memory_addresses():
    # A notebook cell that ends with a plot call shows this text: it must be the same on every run.
    for plot in (plots.network_diagram(TwoTwoOne()), plots.loss_curve([1.0, 0.5]), plots.activation_plot("tanh")):
        assert " at 0x" not in repr(plot) and repr(plot).startswith(f"<{type(plot).__name__}: ")


# --- several curves on one axes -------------------------------------------------------------------


def test_curves_sharing_axes_are_all_inside_the_limits_after_each_call_and_update():
    fig, ax = plt.subplots()
    big = plots.loss_curve([2.0, 1.0, 0.5], ax, label="big")
    small = plots.loss_curve([0.1, 0.05, 0.02, 0.01, 0.0, 0.0], ax, label="small")  # drawn last, smaller
    lo, hi = ax.get_ylim()
    assert lo <= 0.0 and hi >= 2.0          # the first curve is not clipped by the second
    assert ax.get_xlim()[1] >= 5            # the longer curve fits too
    small.update([0.1, 0.05])
    assert ax.get_ylim()[1] >= 2.0 and ax.get_xlim()[1] >= 2
    big.update([0.3, 0.2])
    assert ax.get_ylim()[1] == pytest.approx(0.3 + 0.05 * (0.3 - 0.05))   # fits 0.05..0.3, with 5 % room
    draw(fig)


def test_curves_sharing_axes_keep_one_legend_with_every_label_and_the_first_title():
    fig, ax = plt.subplots()
    plots.loss_curve([1.0, 0.5], ax, label="training set", title="Loss (cross-entropy)", legend_loc="lower left")
    plots.loss_curve([1.2, 0.7], ax, label="test set")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training set", "test set"]
    assert ax.get_legend()._loc == 3                       # "lower left", kept for the second curve
    assert ax.get_title() == "Loss (cross-entropy)"        # not reset by a call without a title
    plots.loss_curve([0.9], ax, label="third", title="New title")
    assert ax.get_title() == "New title"
    assert len(ax.get_legend().get_texts()) == 3


def test_a_new_loss_curve_gets_the_default_title():
    assert plots.loss_curve([1.0, 0.5]).ax.get_title() == "Loss during training"


def test_loss_curve_applies_linestyle_and_marker():
    curve = plots.loss_curve([1.0, 0.5, 0.2], label="test set", linestyle="--", marker="o")
    assert is_dashed(curve.line) and curve.line.get_marker() == "o"


def test_log_curves_sharing_axes_cover_every_decade():
    fig, ax = plt.subplots()
    plots.loss_curve([10.0, 1.0], ax, log=True, label="a")
    plots.loss_curve([0.01, 0.001], ax, log=True, label="b")
    lo, hi = ax.get_ylim()
    assert lo <= 0.001 and hi >= 10.0


# --- network diagram labels -----------------------------------------------------------------------


def test_crossing_edges_of_a_fully_connected_layer_are_labelled_at_different_points():
    net = Network.from_weights([[[-0.5, 0.2], [-0.1, 0.3]], [[1.0, 0.6]]], [np.zeros(2), np.zeros(1)],
                               activations=["sigmoid", "linear"], loss="squared_error")
    d = plots.network_diagram(net)   # six weights: labelled by default
    # x1 → h2 and x2 → h1 cross at their common midpoint; their labels must not sit there together.
    down, up = d.weight_labels["W1[1,0]"].xy, d.weight_labels["W1[0,1]"].xy
    assert down != pytest.approx(up)
    assert down[0] == pytest.approx(0.3) and up[0] == pytest.approx(0.7)
    assert d.gradient_labels["W1[1,0]"].xy == down       # each edge's two labels stay together
    # Level edges, and a layer into one neuron (nothing crosses there), keep their labels in the middle.
    assert d.weight_labels["W1[0,0]"].xy[0] == pytest.approx(0.5)
    assert d.weight_labels["W2[0,1]"].xy[0] == pytest.approx(1.5)
    draw(d.fig)


def test_the_2_2_1_example_keeps_its_labels_in_the_middle_of_each_edge():
    d = plots.network_diagram(TwoTwoOne())
    assert [d.weight_labels[n].xy[0] for n in ("w1", "w2", "w3", "w4")] == pytest.approx([0.5, 0.5, 1.5, 1.5])


# --- activation plot ------------------------------------------------------------------------------


def test_the_activation_axis_label_mentions_the_slope_only_when_it_is_drawn():
    assert plots.activation_plot("tanh").ax.get_ylabel() == "activation a, slope da/dz"
    plot = plots.activation_plot("tanh", derivative=False)
    assert plot.derivative_curve is None and plot.ax.get_ylabel() == "activation a"


# --- the loss over one weight ---------------------------------------------------------------------


def _loss_at_w1(w1):
    return TwoTwoOne(w1=w1).loss()


def test_loss_over_weight_draws_the_curve_and_marks_the_example():
    plot = plots.loss_over_weight(lambda w3: TwoTwoOne(w3=w3).loss(), (-1.0, 4.0), name="w3", at=1.0,
                                  minimum=True)
    assert plot.w[0] == -1.0 and plot.w[-1] == 4.0 and plot.w.size == 201
    np.testing.assert_allclose(plot.curve.get_ydata(), [TwoTwoOne(w3=w).loss() for w in plot.w])
    assert len(plot.markers) == 1
    assert plot.markers[0].get_xydata().tolist() == [[1.0, pytest.approx(0.09, abs=5e-6)]]   # the example: L = 0.09
    # ŷ = w3·h1 + w4·h2 = y at w3 = (1 − 0.6·h2) / h1: the bottom of the valley, to the grid's step.
    chain = TwoTwoOne().chain()
    assert plot.w_min == pytest.approx((1.0 - 0.6 * chain.h2) / chain.h1, abs=0.025)
    assert plot.ax.get_xlabel() == "weight w3" and plot.ax.get_ylabel() == "loss L"
    labels = [t.get_text() for t in plot.ax.get_legend().get_texts()]
    assert labels[0] == "L as w3 slides" and any(label.startswith("w3 = 1.00, L = 0.090") for label in labels)
    draw(plot.fig)


def test_loss_over_weight_tangents_have_the_slope_of_the_loss():
    plot = plots.loss_over_weight(_loss_at_w1, (-4.0, 4.0), name="w1", tangents=(-3.0, -0.5, 2.0))
    assert len(plot.tangent_lines) == len(plot.tangent_markers) == len(plot.slope_labels) == 3
    # At the example's w1 = −0.5 the slope is the chain-rule gradient ∂L/∂w1.
    assert plot.slopes[1] == pytest.approx(TwoTwoOne().chain().dL_dw1, abs=1e-8)
    for line, dot, label, w, slope in zip(plot.tangent_lines, plot.tangent_markers, plot.slope_labels,
                                           plot.tangents, plot.slopes):
        (xa, xb), (ya, yb) = line.get_xdata(), line.get_ydata()
        assert (yb - ya) / (xb - xa) == pytest.approx(slope)          # the line has the slope
        assert (xa + xb) / 2 == pytest.approx(w) and (ya + yb) / 2 == pytest.approx(_loss_at_w1(w))  # and touches
        assert dot.get_xydata().tolist() == [[w, pytest.approx(_loss_at_w1(w))]]
        assert label.get_text() == f"∂L/∂w1 = {slope:+.3f}".replace("-", "−")
    lo, hi = plot.ax.get_ylim()
    assert lo <= plot.L.min() and hi >= plot.L.max()
    draw(plot.fig)


def test_loss_over_weight_update_redraws_the_same_artists():
    plot = plots.loss_over_weight(_loss_at_w1, (-4.0, 4.0), name="w1", at=-0.5, tangents=(1.0,))
    curve, tangent = plot.curve, plot.tangent_lines[0]
    plot.update(lambda w1: TwoTwoOne(w1=w1, w3=2.0).loss())
    assert plot.curve is curve and plot.tangent_lines[0] is tangent
    np.testing.assert_allclose(curve.get_ydata(), [TwoTwoOne(w1=w, w3=2.0).loss() for w in plot.w])
    assert plot.slopes[0] == pytest.approx(TwoTwoOne(w1=1.0, w3=2.0).chain().dL_dw1, abs=1e-8)
    draw(plot.fig)


def test_loss_over_weight_rejects_an_empty_range():
    with pytest.raises(ValueError, match="w_range"):
        plots.loss_over_weight(_loss_at_w1, (1.0, 1.0))


def test_hidden_nodes_are_labelled_with_the_layer_in_square_brackets():
    d = plots.network_diagram([3, 4, 4, 1])
    assert d.node_labels[(0, 2)].get_text() == "$x_{3}$"
    assert d.node_labels[(1, 0)].get_text() == "$a^{[1]}_{1}$"
    assert d.node_labels[(2, 3)].get_text() == "$a^{[2]}_{4}$"
    assert d.node_labels[(3, 0)].get_text() == r"$\hat{y}$"
    tiny = plots.network_diagram(TwoTwoOne())
    assert [tiny.node_labels[k].get_text() for k in ("x1", "h1", "h2", "y_hat")] == [
        "$x_1$", "$h_1$", "$h_2$", r"$\hat{y}$"]
    draw(d.fig)


def test_each_slope_label_sits_nearer_its_own_tangent_point_than_any_other():
    plot = plots.loss_over_weight(_loss_at_w1, (-4.0, 4.0), name="w1", tangents=(-3.0, -0.5, 2.0))
    draw(plot.fig)
    renderer = plot.fig.canvas.get_renderer()
    dots = [plot.ax.transData.transform(dot.get_xydata()[0]) for dot in plot.tangent_markers]
    for own, label in enumerate(plot.slope_labels):
        box = label.get_window_extent(renderer)
        nearest = [np.hypot(box.x0 + box.width / 2 - x, box.y0 + box.height / 2 - y) for x, y in dots]
        assert int(np.argmin(nearest)) == own, (label.get_text(), nearest)


def test_loss_landscape_can_draw_both_weights_to_one_scale():
    def bowl(a, b):
        return a ** 2 + 4 * b ** 2
    plain = plots.loss_landscape(bowl, (-2.0, 2.0), (-1.0, 1.0))
    assert plain.ax.get_aspect() == "auto"
    equal = plots.loss_landscape(bowl, (-2.0, 2.0), (-1.0, 1.0), equal_aspect=True)
    assert equal.ax.get_aspect() == 1.0
    draw(equal.fig)
    box = equal.ax.get_window_extent()
    assert box.width / box.height == pytest.approx(4.0 / 2.0, rel=0.02)   # one unit is as long on both axes


def test_the_decision_boundary_legend_sits_in_the_corner_with_the_fewest_points():
    X, y = load_cat_dog()
    X = Standardizer().fit_transform(X)
    net = Network([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    db = plots.decision_boundary(net, X, y, grid=20)
    draw(db.fig)
    box = db.ax.get_legend().get_window_extent()
    px = db.ax.transData.transform(X)
    inside = (px[:, 0] >= box.x0) & (px[:, 0] <= box.x1) & (px[:, 1] >= box.y0) & (px[:, 1] <= box.y1)
    assert inside.sum() <= 2          # the cat-or-dog data leave one corner nearly empty
    crowded = plots.decision_boundary(net, X, y, grid=20).ax
    assert db.ax.get_legend()._loc == crowded.get_legend()._loc          # the same place on every run
    assert plots.decision_boundary(net, X, y, grid=20, legend=False).ax.get_legend() is None


def test_decision_boundary_panels_can_share_one_colourbar():
    X, y = load_cat_dog()
    X = Standardizer().fit_transform(X)
    net = Network([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    fig, axes = matplotlib.pyplot.subplots(1, 2)
    plots_ = [plots.decision_boundary(net, X, y, ax, grid=10, colorbar=False) for ax in axes]
    assert len(fig.axes) == 2                                     # no bar of their own
    fig.colorbar(plots_[0].image, ax=axes)
    assert len(fig.axes) == 3
    matplotlib.pyplot.close(fig)


def test_every_plots_name_the_course_uses_is_still_importable_from_helpers_plots():
    """plots is a package split by kind of figure; what notebooks, widgets and tests name keeps working."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used = set()
    for path in [*root.glob("notebooks/*.ipynb"), *root.glob("helpers/**/*.py"), *root.glob("tests/**/*.py")]:
        if path.parent.name == "plots" and path.parent.parent.name == "helpers":
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bplots\.([A-Za-z_]\w*)", text))
        for names in re.findall(r"from (?:helpers|\.\.?)\.?plots import ([\w, ]+)", text):
            used |= {name.strip() for name in names.split(",") if name.strip()}
    assert {"network_diagram", "loss_curve", "decision_boundary", "_number"} <= used  # the search finds them
    missing = sorted(name for name in used if not hasattr(plots, name))
    assert not missing, f"helpers.plots no longer offers {missing}"
    assert all(hasattr(plots, name) for name in plots.__all__)


def test_the_filled_graph_writes_forward_values_above_and_gradients_below_filled_from_the_loss():
    chain = TwoTwoOne().chain()
    d = plots.network_diagram(TwoTwoOne(), filled=0)
    assert d.backward_labels["L"].get_text() == "∂L/∂L = 1" and d.value_labels["L"].get_text() == "L = 0.090"
    assert d.value_labels["h1"].get_text() == "z1 = −0.500\nh1 = 0.378"
    assert all(label.xyann[1] > 0 for label in d.value_labels.values())          # values above the nodes
    assert all(label.xyann[1] < 0 for label in d.backward_labels.values())       # gradients below
    assert d.backward_labels["y_hat"].get_text() == "∂L/∂ŷ = ?"
    assert all(d.gradient_labels[n].get_text() == f"∂L/∂{n} = ?" for n in ("w1", "w2", "w3", "w4"))

    d.fill("w1")  # ŷ, w3, w4, then the upper path h1, z1, w1
    assert d.filled == 6
    assert d.backward_labels["y_hat"].get_text() == "∂L/∂ŷ = −0.600"
    assert d.backward_labels["h1"].get_text() == (f"∂L/∂h1 = −{abs(chain.dL_dh1):.3f}\n"
                                                   f"δ1 = ∂L/∂z1 = −{abs(chain.delta1):.3f}")
    assert d.gradient_labels["w1"].get_text() == "∂L/∂w1 = −0.141"
    assert d.gradient_labels["w1"].get_fontweight() == "bold"                       # the newest
    assert d.backward_labels["h2"].get_text() == "∂L/∂h2 = ?\nδ2 = ∂L/∂z2 = ?"      # the lower path waits
    assert d.gradient_labels["w2"].get_text() == "∂L/∂w2 = ?"

    d.fill(9)
    assert d.gradient_labels["w2"].get_text() == f"∂L/∂w2 = −{abs(chain.dL_dw2):.3f}"
    assert "?" not in "".join(label.get_text() for label in [*d.backward_labels.values(), *d.gradient_labels.values()])
    draw(d.fig)


@pytest.mark.parametrize("filled, error, words", [
    (10, ValueError, "from 0 to 9"), (-1, ValueError, "from 0 to 9"), ("h3", ValueError, "'h1'"),
    (1.5, TypeError, "whole number"), (True, TypeError, "whole number"),
])
def test_a_bad_filled_is_refused_naming_what_it_may_be(filled, error, words):
    with pytest.raises(error, match=words):
        plots.network_diagram(TwoTwoOne(), filled=filled)


def test_only_the_2_2_1_example_can_be_filled():
    with pytest.raises(ValueError, match="2-2-1"):
        plots.network_diagram([2, 3, 1], filled=0)
    with pytest.raises(ValueError, match="drawn without filled"):
        plots.network_diagram(TwoTwoOne()).fill(3)


# Notebook 03's figures: secants settling on a tangent, the local rule on a graph, paths against one pass.

def test_secants_of_x_squared_at_3_have_slope_6_plus_the_nudge_and_the_tangent_has_slope_6():
    p = plots.secant_plot(lambda x: x ** 2, 3.0, nudges=(2.0, 1.0, 0.5, 0.1), x_range=(0.0, 5.5))
    assert {eps: round(slope, 9) for eps, slope in p.slopes.items()} == {2.0: 8.0, 1.0: 7.0, 0.5: 6.5, 0.1: 6.1}
    assert p.slope == pytest.approx(6.0, abs=1e-8)
    xs, ys = p.secants[0.5].get_data()
    assert np.diff(ys)[0] / np.diff(xs)[0] == pytest.approx(6.5)
    assert p.ends[1.0].get_data() == ([4.0], [16.0])
    assert p.secants[2.0].get_linestyle() != p.secants[1.0].get_linestyle()   # told apart by more than colour
    labels = [t.get_text() for t in p.ax.get_legend().get_texts()]
    assert "tangent: slope 6.00" in labels and "ε = 0.1: slope 6.10" in labels
    p.update(1.0)                                                   # the same lines, at x = 1
    assert p.slope == pytest.approx(2.0, abs=1e-8) and p.slopes[1.0] == pytest.approx(3.0)
    draw(p.fig)


def test_secant_plot_refuses_a_nudge_that_is_not_positive():
    with pytest.raises(ValueError, match="positive"):
        plots.secant_plot(lambda x: x ** 2, 3.0, nudges=(1.0, 0.0))
    with pytest.raises(TypeError, match="f must be a function"):
        plots.secant_plot(9.0, 3.0)


def test_local_rule_graph_writes_each_value_above_and_each_gradient_below_its_node():
    values = {"a": 2.0, "u": 6.0, "v": 4.0, "L": 24.0}
    grads = {"a": 36.0, "u": 4.0, "v": 6.0, "L": 1.0}
    g = plots.local_rule_graph(values, grads, [("a", "u", 3.0), ("a", "v", 4.0), ("u", "L", 4.0), ("v", "L", 6.0)],
                               positions={"a": (0, 0), "u": (1.6, 0.6), "v": (1.6, -0.6), "L": (3.2, 0)})
    assert g.grad_texts["a"].get_text() == "∂L/∂a = 36" and g.value_texts["u"].get_text() == "6"
    for name in values:
        assert g.value_texts[name].get_position()[1] > g.positions[name][1] > g.grad_texts[name].get_position()[1]
    assert g.local_texts[("a", "v")].get_text() == "× 4" and set(g.arrows) == set(g.local_texts)
    g.update({**values, "a": -0.5}, {"L": 1.0})
    assert g.value_texts["a"].get_text() == "\N{MINUS SIGN}0.5" and g.grad_texts["u"].get_text() == "∂L/∂u = ?"
    draw(g.fig)


def test_local_rule_graph_lays_a_chain_out_in_one_row_and_names_a_missing_node():
    g = plots.local_rule_graph({"w": 0.8, "z": 0.8, "L": 0.1}, {"L": 1.0, "z": -0.5, "w": -0.5},
                               [("w", "z", 1.0), ("z", "L", -0.5)])
    assert [g.positions[n][1] for n in ("w", "z", "L")] == [0.0, 0.0, 0.0]
    assert g.positions["w"][0] < g.positions["z"][0] < g.positions["L"][0]
    with pytest.raises(ValueError, match="unknown end"):
        plots.local_rule_graph({"w": 0.8}, {}, [("w", "z", 1.0)])


def test_path_count_plot_draws_every_series_on_a_log_axis_with_its_own_marker():
    depths = [1, 2, 3]
    p = plots.path_count_plot(depths, {"paths": [1, 2, 4], "backward": [11, 21, 31]})
    assert p.ax.get_yscale() == "log"
    assert list(p.lines["paths"].get_ydata()) == [1, 2, 4]
    assert p.lines["paths"].get_marker() != p.lines["backward"].get_marker()
    p.update(depths, {"paths": [1, 2, 8], "backward": [11, 21, 31]})
    assert list(p.lines["paths"].get_ydata()) == [1, 2, 8]
    with pytest.raises(ValueError, match="one positive count per depth"):
        p.update(depths, {"paths": [1, 2], "backward": [11, 21, 31]})
    draw(p.fig)
