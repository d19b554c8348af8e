"""More bad input a learner can type, each refused with a sentence that says what to do.

A factory that hands the range test the same network each time, targets that mean nothing, a
Network passed where its Values are wanted, weights edited by hand, plots given the wrong kind of
thing, numbers too large for a float, and a teacher's CSV saved by Excel or in Latin-1.
"""

import copy
import pickle

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import recipe, validate  # noqa: E402
from helpers.autograd import Value  # noqa: E402
from helpers.data import load_cat_dog  # noqa: E402
from helpers.losses import (  # noqa: E402
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_gradient,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)
from helpers.network import Network  # noqa: E402
from helpers.plots import decision_boundary, loss_curve, loss_over_weight  # noqa: E402
from helpers.training import History  # noqa: E402
from helpers.value_network import ValueParameters, batch_loss, forward  # noqa: E402
from helpers.widgets.neuron import neuron_explorer  # noqa: E402

X4 = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]])
LABELS4 = np.array([0, 1, 1, 0])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- learning_rate_range with one network ---------------------------------------------------------

def test_a_range_test_given_one_network_starts_every_run_from_its_weights_and_leaves_it_unchanged():
    net = Network([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=3)
    before = {l: w.copy() for l, w in net.W.items()}
    etas = [0.1, 0.1, 1.0]
    reused = recipe.learning_rate_range(lambda: net, X4, LABELS4, etas, epochs=3)
    fresh = recipe.learning_rate_range(lambda: Network([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=3),
                                       X4, LABELS4, etas, epochs=3)
    assert reused == fresh
    assert reused[0] == reused[1]  # the same rate twice: the same run, not the second on top of the first
    for l in before:
        np.testing.assert_array_equal(net.W[l], before[l])


# --- targets that mean nothing ----------------------------------------------------------------------

def test_softmax_cross_entropy_refuses_one_hot_targets_of_2_and_minus_1():
    logits = np.array([[0.5, -1.0], [2.0, 0.0]])
    for loss in (softmax_cross_entropy, softmax_cross_entropy_gradient):
        with pytest.raises(ValueError, match=r"^loss 'softmax_cross_entropy' needs targets between 0 and 1, but y "
                                             r"holds values from -1 to 2$"):
            loss(logits, [[2.0, -1.0], [0.0, 1.0]])
        with pytest.raises(ValueError, match=r"needs each row of y to add up to 1 .* but row 0 adds up to 2"):
            loss(logits, [[1.0, 1.0], [0.0, 1.0]])


def test_cross_entropy_refuses_predictions_whose_rows_are_not_probabilities():
    y = [[1.0, 0.0], [0.0, 1.0]]
    for loss in (cross_entropy, cross_entropy_gradient):
        with pytest.raises(ValueError, match=r"each row of y_hat to be probabilities that add up to 1 .* but row 1 "
                                             r"adds up to 0.5; for raw scores \(logits\), use softmax_cross_entropy"):
            loss([[0.2, 0.8], [0.3, 0.2]], y)
    assert cross_entropy([[0.333, 0.667]], [[1.0, 0.0]]) == pytest.approx(-np.log(0.333))  # rounded by hand: fine


def test_swapped_arguments_are_named_as_swapped():
    probabilities, one_hot = [[0.2, 0.8], [0.6, 0.4]], [[0.0, 1.0], [1.0, 0.0]]
    with pytest.raises(ValueError, match=r"y_hat holding only 0s and 1s, like targets, and y holding fractions such "
                                         r"as 0.2, like predictions; are the two arguments swapped\? "
                                         r"cross_entropy\(y_hat, y\) takes the prediction first"):
        cross_entropy(one_hot, probabilities)
    with pytest.raises(ValueError, match=r"are the two arguments swapped\? binary_cross_entropy\(y_hat, y\)"):
        binary_cross_entropy(1.0, 0.7)
    with pytest.raises(ValueError, match=r"needs targets between 0 and 1, but y holds values from -1 to 2; are the "
                                         r"two arguments swapped\? softmax_cross_entropy\(logits, y\) takes the logits"):
        softmax_cross_entropy([[0.0, 1.0]], [[2.0, -1.0]])
    assert cross_entropy(probabilities, one_hot) == pytest.approx(-np.log(0.8) / 2 - np.log(0.6) / 2)


@pytest.mark.parametrize("targets", [[[2.0, -1.0]] * 4, [[1.0, 1.0]] * 4, [[0.5, 0.0]] * 4])
def test_the_losses_and_the_network_refuse_meaningless_targets_in_the_same_words(targets):
    net = Network([2, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    with pytest.raises(ValueError) as by_network:
        net.loss_value(X4, targets)
    with pytest.raises(ValueError) as by_loss:
        cross_entropy(np.full((4, 2), 0.5), targets)
    assert str(by_network.value) == str(by_loss.value)
    assert str(by_network.value).startswith("loss 'cross_entropy' needs ")


# --- value_network ----------------------------------------------------------------------------------

@pytest.fixture
def small():
    net = Network([2, 2, 1], ["sigmoid", "linear"], "half_squared_error", seed=0)
    return net, ValueParameters(net)


def test_batch_loss_given_the_network_itself_says_to_make_its_values_first(small):
    net, _ = small
    with pytest.raises(TypeError, match=r"^batch_loss takes the network's Values, not the Network itself: make them "
                                        r"with params = ValueParameters\(net\)"):
        batch_loss(net, X4, [1.0, 0.0, 1.0, 0.0])
    with pytest.raises(TypeError, match=r"^forward takes the network's Values"):
        forward(net, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"^net must be a helpers Network"):
        ValueParameters("net")


def test_forward_refuses_a_sample_with_too_few_or_too_many_inputs(small):
    _, params = small
    with pytest.raises(ValueError, match=r"^x holds 1 input, but the network takes 2: one number \(or Value\) per "
                                         r"input$"):
        forward(params, [1.0])
    with pytest.raises(ValueError, match=r"^x holds 3 inputs, but the network takes 2"):
        forward(params, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"^x must be one sample's 2 inputs"):
        forward(params, X4)
    assert len(forward(params, [Value(1.0), 2.0])) == 1


@pytest.mark.parametrize("eta, error, words", [(-1, ValueError, r"must be a positive number, but got -1"),
                                                (float("nan"), ValueError, r"must be a finite number, but got nan"),
                                                ("0.1", TypeError, r"must be a real number")])
def test_a_step_of_the_values_needs_a_positive_finite_learning_rate(small, eta, error, words):
    net, params = small
    batch_loss(params, X4, [1.0, 0.0, 1.0, 0.0]).backward()
    before = [v.data for v in params.all()]
    with pytest.raises(error, match=r"^eta .*" + words):
        params.step(eta)
    assert [v.data for v in params.all()] == before


# --- weights edited by hand -------------------------------------------------------------------------

@pytest.fixture
def net():
    return Network([2, 3, 1], ["tanh", "linear"], "squared_error", seed=0)


def test_a_list_typed_into_a_weight_matrix_becomes_an_array_and_the_network_runs(net):
    net.W[1] = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    net.b[2] = [0.5]
    assert isinstance(net.W[1], np.ndarray) and net.W[1].dtype == np.float64
    np.testing.assert_allclose(net.predict([1.0, 1.0]), net.W[2] @ np.tanh([0.3, 0.7, 1.1]) + 0.5)


def test_a_weight_matrix_of_the_wrong_shape_is_refused_where_it_is_assigned(net):
    with pytest.raises(ValueError, match=r"^W\[1\] must have shape \(3, 2\) \(3 neurons in layer 1, each taking the 2 "
                                         r"outputs of layer 0\), but got \[\[1, 2, 3\], \[4, 5, 6\]\] \(list\), of shape "
                                         r"\(2, 3\); is it transposed\?$"):
        net.W[1] = [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(ValueError, match=r"^b\[1\] must have shape \(3,\) \(one bias per neuron of layer 1\), but got "
                                         r"0.5 \(float\), of shape \(\)$"):
        net.b[1] = 0.5
    with pytest.raises(KeyError, match=r"W\[0\] does not exist: this network's layers are numbered 1 to 2"):
        net.W[0] = np.zeros((3, 2))
    with pytest.raises(TypeError, match=r"^W\[2\] must hold numbers"):
        net.W[2] = [["a", "b", "c"]]
    assert net.W[1].shape == (3, 2) and net.b[1].shape == (3,)


def test_a_list_of_weight_matrices_is_refused_since_layers_count_from_1(net):
    W1, W2 = net.W[1], net.W[2]
    with pytest.raises(TypeError, match=r"^net.W must be a dict keyed by layer number, \{1: W1, 2: W2\}, but got a "
                                        r"list: layers count from 1, and a list counts from 0"):
        net.W = [W1, W2]
    with pytest.raises(ValueError, match=r"^net.b must hold layers \[1, 2\]"):
        net.b = {0: np.zeros(3), 1: np.zeros(1)}
    net.W = {1: W1 * 2, 2: W2}
    np.testing.assert_array_equal(net.W[1], W1 * 2)


def test_copies_of_a_network_check_their_weights_too(net):
    for twin in (net.copy(), copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        np.testing.assert_array_equal(twin.W[2], net.W[2])
        with pytest.raises(ValueError, match=r"^W\[2\] must have shape \(1, 3\)"):
            twin.W[2] = np.zeros((3, 1))


# --- plots ------------------------------------------------------------------------------------------

def test_loss_curve_draws_the_training_loss_of_a_history():
    history = History(loss=[1.0, 0.5, 0.25], test_loss=[1.1, 0.8, 0.6])
    np.testing.assert_array_equal(loss_curve(history).line.get_ydata(), [1.0, 0.5, 0.25])


def test_loss_curve_refuses_two_curves_in_one_list_and_says_how_to_draw_both():
    history = History(loss=[1.0, 0.5, 0.25], test_loss=[1.1, 0.8, 0.6])
    for both in ([history.loss, history.test_loss], [[1.0, 0.5], [0.9]]):
        with pytest.raises(ValueError, match=r"^losses holds 2 lists of numbers, but loss_curve draws one curve.*"
                                             r"loss_curve\(history.test_loss, plot.ax"):
            loss_curve(both)
    with pytest.raises(TypeError, match=r"^losses must be a list of numbers, one loss per step"):
        loss_curve("0.5, 0.4")
    assert plt.get_fignums() == []  # refused before any figure is made


def test_loss_over_weight_says_when_f_forgot_its_return():
    def loss_at_w3(w3):
        (w3 - 1.0) ** 2

    with pytest.raises(TypeError, match=r"^loss_at_w3\(w3 = -1\) returned None: did your function forget `return`\?"):
        loss_over_weight(loss_at_w3, (-1.0, 3.0), name="w3")
    with pytest.raises(TypeError, match=r"^f\(w = -1\) returned an array of shape \(2,\) \(float64\), but it must "
                                        r"return the loss for that weight, one number$"):
        loss_over_weight(lambda w: np.array([w, w]), (-1.0, 3.0))
    with pytest.raises(ValueError, match=r"^f\(w = -1\) returned nan, but the loss must be a finite number"):
        loss_over_weight(lambda w: np.log(w), (-1.0, 3.0))
    with pytest.raises(TypeError, match=r"^f must be a function"):
        loss_over_weight(0.5, (-1.0, 3.0))
    assert plt.get_fignums() == []  # no half-drawn figure left behind


def test_a_decision_boundary_needs_a_network_of_two_inputs():
    with pytest.raises(ValueError, match=r"^a decision boundary is drawn over the plane of 2 inputs, but net takes 3 "
                                         r"\(sizes \[3, 4, 1\]\)"):
        decision_boundary(Network([3, 4, 1], "sigmoid", "binary_cross_entropy"), X4, LABELS4)
    with pytest.raises(ValueError, match=r"^a decision boundary is drawn for 2 classes .* but net has 3 outputs"):
        decision_boundary(Network([2, 4, 3], ["tanh", "softmax"], "cross_entropy"), X4, LABELS4)


@pytest.mark.parametrize("odd, words", [(0.7, "0.7; a probability is not a label"),
                                        (2, "2; the picture shows two classes"),
                                        (-1, "-1; the picture shows two classes")])
def test_a_decision_boundary_refuses_labels_that_are_not_the_two_classes(odd, words):
    labels = [0, 1, odd, 0]
    net = Network([2, 4, 1], "sigmoid", "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"^y must hold the class labels 0 \(cat\) and 1 \(dog\), but it holds "
                                         + words.replace("(", r"\(")):
        decision_boundary(net, X4, labels)


# --- numbers too large for a float ------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: validate.as_number(10**400, "x"), "x"),
    (lambda: validate.as_array([1.0, 10**400], "x"), r"x\[1\]"),
    (lambda: validate.as_array([[1.0], [-10**400]], "X"), r"X\[1, 0\]"),
    (lambda: validate.learning_rate(10**400), "eta"),
    (lambda: Network([2, 1], weight_scale=10**400), "weight_scale"),
    (lambda: Network([2, 1]).predict([1.0, 10**400]), r"X\[1\]"),
    (lambda: loss_curve([1.0, 10**400]), r"losses\[1\]"),
    (lambda: loss_over_weight(lambda w: 10**400, (0.0, 1.0)), r"the loss that f\(w = 0\) returned"),
    (lambda: neuron_explorer(x=10**400, home="kernel"), "x"),
])
def test_a_whole_number_too_large_for_a_float_is_named(call, name):
    with pytest.raises(ValueError, match=rf"^{name} is too large to be a float: -?1.00e400 \(a whole number of 401 "
                                         r"digits\), but the largest float is about 1.8e308"):
        call()


# --- a teacher's CSV --------------------------------------------------------------------------------

CSV = "weight_kg,ear_length_cm,label\r\n4.2,6.5,0\r\n30.0,10.0,1\r\n"


def test_a_csv_saved_by_excel_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "class.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV.encode("utf-8"))
    X, y = load_cat_dog(path)
    np.testing.assert_array_equal(X, [[4.2, 6.5], [30.0, 10.0]])
    np.testing.assert_array_equal(y, [0, 1])


def test_a_latin_1_csv_is_refused_naming_the_file_the_line_and_utf_8(tmp_path):
    path = tmp_path / "classe.csv"
    path.write_bytes((CSV + "5.0,7.0,0\r\n# chat noir, \u00e9t\u00e9\r\n").encode("latin-1"))
    with pytest.raises(ValueError) as error:
        load_cat_dog(path)
    assert str(error.value).startswith(f"{path}, line 5: the file is not UTF-8 text (the byte 0xe9 is not UTF-8")
    assert str(error.value).endswith('save it again as "CSV UTF-8".')


def test_loss_over_weight_stops_a_learners_endless_f_and_names_it(monkeypatch):
    import time

    from helpers import gradcheck
    from helpers.plots import loss_over_weight

    monkeypatch.setattr(gradcheck, "TIME_LIMIT", 0.3)

    def loss_at(w):
        while True:
            try:
                time.sleep(0.01)
            except:  # noqa: E722 (a learner's bare except must not swallow the limit)
                pass

    start = time.perf_counter()
    with pytest.raises(TimeoutError, match=r"f did not finish within 0.3 s when called as loss_at\(w = "):
        loss_over_weight(loss_at, (0.0, 1.0))
    assert time.perf_counter() - start < 0.3 + 1.0


def test_secant_plot_stops_a_learners_endless_f(monkeypatch):
    import time

    from helpers import gradcheck
    from helpers.plots import secant_plot

    monkeypatch.setattr(gradcheck, "TIME_LIMIT", 0.3)

    def curve(x):
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(TimeoutError, match="f did not finish within 0.3 s"):
        secant_plot(curve, 3.0)
    assert time.perf_counter() - start < 0.3 + 1.0


@pytest.mark.parametrize("call", ["loss_over_weight(lambda w: w * w, (0, 1), points=10**9)",
                                  "activation_plot('sigmoid', points=10**9)",
                                  "decision_boundary(net, X, y, grid=10**6)"])
def test_a_figure_refuses_more_points_than_a_picture_can_use(call):
    import numpy as np

    from helpers import Network
    from helpers.plots import activation_plot, decision_boundary, loss_over_weight  # noqa: F401 (used by eval)

    net, X, y = Network([2, 3, 2], seed=0), np.zeros((4, 2)), np.array([0, 1, 0, 1])  # noqa: F841
    with pytest.raises(ValueError, match="must be at most"):
        eval(call)


def test_loss_landscape_stops_a_learners_endless_f(monkeypatch):
    import time

    from helpers import gradcheck
    from helpers.plots import loss_landscape

    monkeypatch.setattr(gradcheck, "TIME_LIMIT", 0.3)

    def loss(w_x, w_y):
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(TimeoutError, match="f did not finish within 0.3 s"):
        loss_landscape(loss, (0.0, 1.0), (0.0, 1.0))
    assert time.perf_counter() - start < 0.3 + 1.0
