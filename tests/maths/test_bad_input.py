"""Bad input gets a clear error that names the argument, what was expected and what came.

A learner who passes the wrong thing should read what to fix, never a traceback from deep inside
NumPy. Each test checks the error's type and its message.
"""

import re

import numpy as np
import pytest

from helpers.activations import get_activation, sigmoid, softmax
from helpers.gradcheck import numerical_derivative, numerical_gradient, relative_error
from helpers.losses import (
    binary_cross_entropy,
    cross_entropy,
    get_loss,
    one_hot,
    softmax_cross_entropy,
    squared_error,
)
from helpers.network import Network
from helpers.tiny import TwoTwoOne
from helpers.training import accuracy, descend_tiny, train

NAN, INF = float("nan"), float("inf")


@pytest.fixture
def net():
    return Network([2, 3, 1], ["tanh", "linear"], "squared_error", seed=0)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(4, 2)), rng.normal(size=(4, 1))


# --- shapes -------------------------------------------------------------------------------------


def test_x_with_the_wrong_number_of_features_names_both_counts(net):
    with pytest.raises(ValueError, match=r"X has 3 features per sample \(shape \(4, 3\)\) but the network expects 2 inputs"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X has shape \(1,\): one sample with 1 feature, but the network expects 2 inputs"):
        net.loss_value([0.0], [1.0])


def test_x_with_three_dimensions_is_refused(net):
    with pytest.raises(ValueError, match=r"X must be a 1-D or 2-D array, but it has shape \(2, 2, 2\) \(3-D\)"):
        net.predict(np.zeros((2, 2, 2)))


def test_set_weights_names_the_layer_and_both_shapes(net):
    with pytest.raises(ValueError, match=r"W2 has shape \(3, 2\) but layer 2 needs \(1, 3\)"):
        net.set_weights([np.zeros((3, 2)), np.zeros((3, 2))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"W1 has shape \(2, 3\) but layer 1 needs \(3, 2\)"):
        net.set_weights([np.zeros((2, 3)), np.zeros((1, 3))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"b1 has shape \(2,\) but layer 1 has 3 neurons, so it needs \(3,\)"):
        net.set_weights([np.zeros((3, 2)), np.zeros((1, 3))], [np.zeros(2), np.zeros(1)])
    with pytest.raises(ValueError, match=r"W must hold 2 layers for sizes \[2, 3, 1\], but it holds 1"):
        net.set_weights([np.zeros((3, 2))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"W2 must be a 2-D array, but it has shape \(3,\) \(1-D\)"):
        net.set_weights([np.zeros((3, 2)), np.zeros(3)], [np.zeros(3), np.zeros(1)])


def test_a_refused_set_weights_leaves_the_old_weights_in_place(net):
    before = net.parameters()
    with pytest.raises(ValueError, match="W2 has shape"):
        net.set_weights([np.ones((3, 2)), np.ones((2, 3))], [np.ones(3), np.ones(1)])
    np.testing.assert_array_equal(net.parameters(), before)


def test_from_weights_names_the_layer_whose_shape_does_not_fit():
    # W1 gives 3 hidden neurons, so W2 must take 3 inputs, not 4.
    with pytest.raises(ValueError, match=r"W2 has shape \(1, 4\), so it takes 4 inputs, but W1 has shape \(3, 2\), so layer 1 gives 3"):
        Network.from_weights([np.zeros((3, 2)), np.zeros((1, 4))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"W2 must be a 2-D array, but it has shape \(\) \(0-D\)"):
        Network.from_weights([np.zeros((2, 2)), 5.0], [np.zeros(2), np.zeros(1)])
    with pytest.raises(ValueError, match=r"W must hold at least one layer's weights"):
        Network.from_weights([], [])
    with pytest.raises(ValueError, match=r"b must hold 1 layers for sizes \[2, 1\], but it holds 0"):
        Network.from_weights([np.zeros((1, 2))], [])


def test_y_with_the_wrong_shape_says_which_shape_is_needed(net, data):
    X, _ = data
    with pytest.raises(ValueError, match=r"y has shape \(4, 2\) but the network gives 1 outputs for each of 4 "
                                         r"samples, so y needs shape \(4, 1\)"):
        net.gradients(X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"y has shape \(3,\)"):
        net.loss_value(X, np.zeros(3))
    with pytest.raises(ValueError, match=r"y must be a 0-D or 1-D or 2-D array, but it has shape \(4, 1, 1\)"):
        net.loss_value(X, np.zeros((4, 1, 1)))


def test_loss_functions_refuse_mismatched_shapes():
    with pytest.raises(ValueError, match=r"y has shape \(3,\) but y_hat has shape \(2,\); they must match"):
        squared_error([0.1, 0.2], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"y has shape \(2, 3\) but the logits have shape \(2, 2\)"):
        softmax_cross_entropy(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"y must hold one label per sample \(2\), but it has shape \(3,\)"):
        softmax_cross_entropy(np.zeros((2, 2)), [0, 1, 1])


# --- NaN and inf --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad, word", [(NAN, "NaN"), (INF, "inf"), (-INF, "inf")])
def test_nan_and_inf_in_x_and_y_are_refused_with_their_position(net, data, bad, word):
    X, y = data
    X_bad, y_bad = X.copy(), y.copy()
    X_bad[2, 1] = bad
    y_bad[3, 0] = bad
    with pytest.raises(ValueError, match=rf"X contains {word} at index \(2, 1\); every value must be a finite number"):
        net.forward(X_bad)
    with pytest.raises(ValueError, match=rf"y contains {word} at index \(3, 0\)"):
        net.gradients(X, y_bad)
    with pytest.raises(ValueError, match=rf"X contains {word}"):
        train(net, X_bad, y, eta=0.1, epochs=1)


@pytest.mark.parametrize("bad, word", [(NAN, "NaN"), (INF, "inf")])
def test_nan_and_inf_in_weights_are_refused(net, data, bad, word):
    W = [net.W[1].copy(), net.W[2].copy()]
    W[0][0, 1] = bad
    with pytest.raises(ValueError, match=rf"W1 contains {word} at index \(0, 1\)"):
        net.set_weights(W, [net.b[1], net.b[2]])
    with pytest.raises(ValueError, match=rf"b2 contains {word}"):
        Network.from_weights([net.W[1], net.W[2]], [net.b[1], [bad]])
    with pytest.raises(ValueError, match=rf"theta contains {word}"):
        net.set_parameters(np.full(net.num_parameters, bad))
    # Weights that went bad after the network was built (as in a diverged run) are caught too.
    net.W[2][0, 0] = bad
    with pytest.raises(ValueError, match=r"W2 contains NaN or inf; training has diverged"):
        net.forward(data[0])
    with pytest.raises(ValueError, match=r"W2 contains NaN or inf"):
        train(net, *data, eta=0.1, epochs=1)
    with pytest.raises(ValueError, match=rf"w2 must be a finite number, but got {bad}"):
        TwoTwoOne(w2=bad)


def test_nan_in_loss_and_activation_inputs_is_refused():
    with pytest.raises(ValueError, match=r"y_hat contains NaN at index \(1,\)"):
        squared_error([0.5, NAN], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"z contains inf"):
        sigmoid([0.0, INF])
    with pytest.raises(ValueError, match=r"logits contains NaN"):
        softmax_cross_entropy([[NAN, 0.0]], [0])


# --- the learning rate --------------------------------------------------------------------------


@pytest.mark.parametrize("eta, error, message", [
    (0, ValueError, r"eta \(the learning rate\) must be a positive number, but got 0.0"),
    (-0.1, ValueError, r"eta \(the learning rate\) must be a positive number, but got -0.1"),
    (NAN, ValueError, r"eta must be a finite number, but got nan"),
    (INF, ValueError, r"eta must be a finite number, but got inf"),
    ("0.1", TypeError, r"eta must be a real number, but got '0.1' \(str\)"),
    (True, TypeError, r"eta must be a real number, but got True \(bool\)"),
    (None, TypeError, r"eta must be a real number, but got None \(NoneType\)"),
    ([0.1], TypeError, r"eta must be a real number, but got \[0.1\] \(list\)"),
])
def test_a_bad_learning_rate_is_refused_everywhere(net, data, eta, error, message):
    X, y = data
    _, grads = net.gradients(X, y)
    before = net.parameters()
    with pytest.raises(error, match=message):
        net.step(grads, eta)
    with pytest.raises(error, match=message):
        train(net, X, y, eta=eta, epochs=1)
    with pytest.raises(error, match=message):
        TwoTwoOne().step(eta)
    with pytest.raises(error, match=message):
        descend_tiny(TwoTwoOne(), eta, 10)
    np.testing.assert_array_equal(net.parameters(), before)


def test_a_learning_rate_given_as_a_numpy_number_is_fine(net, data):
    _, grads = net.gradients(*data)
    net.step(grads, np.float32(0.5))
    net.step(grads, np.array(0.5))
    assert TwoTwoOne().step(np.float64(0.5)) == TwoTwoOne().step(0.5)


# --- names --------------------------------------------------------------------------------------


def test_an_unknown_activation_lists_the_known_ones():
    message = r"activation must be one of 'sigmoid', 'tanh', 'relu', 'linear', 'softmax', but got 'swish'"
    with pytest.raises(ValueError, match=message):
        Network([2, 3, 1], ["swish", "linear"])
    with pytest.raises(ValueError, match=message):
        get_activation("swish")
    with pytest.raises(ValueError, match=r"activation must be one of .*but got 'Sigmoid'"):
        Network([2, 1], "Sigmoid")
    with pytest.raises(ValueError, match=r"activation must be one of .*but got None"):
        Network([2, 1], [None])


def test_an_unknown_loss_lists_the_known_ones():
    message = (r"loss must be one of 'squared_error', 'half_squared_error', 'mse', 'binary_cross_entropy', "
               r"'cross_entropy', but got 'hinge'")
    with pytest.raises(ValueError, match=message):
        Network([2, 1], "linear", "hinge")
    with pytest.raises(ValueError, match=message):
        get_loss("hinge")


def test_one_activation_per_layer_is_needed():
    with pytest.raises(ValueError, match=r"activations must name one activation per layer \(2 for sizes \[2, 3, 1\]\), "
                                         r"but got 3"):
        Network([2, 3, 1], ["tanh", "tanh", "linear"])


# --- empty, non-numeric ---------------------------------------------------------------------------


def test_empty_x_is_refused(net):
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\); expected at least one value"):
        net.forward(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0,\)\)"):
        net.predict([])
    with pytest.raises(ValueError, match=r"X is empty"):
        train(net, np.zeros((0, 2)), np.zeros((0, 1)), eta=0.1, epochs=1)


@pytest.mark.parametrize("X, error, message", [
    ("1, 2", TypeError, r"X must be a number or an array of numbers, but got the text '1, 2'"),
    ([["a", "b"]], TypeError, r"X must hold numbers, but it holds values of type <U1"),
    ([[1.0, None]], TypeError, r"X must hold numbers, but it holds values of type object"),
    (np.array([[1.0, 2.0]], dtype=object), TypeError, r"X must hold numbers, but it holds values of type object"),
    ([[1.0, 2.0], [3.0]], TypeError, r"X must be a number or an array of numbers, but got \[\[1.0, 2.0\], \[3.0\]\] \(list\)"),
    ([[1 + 2j, 0.0]], TypeError, r"X must hold real numbers, but it holds complex numbers"),
])
def test_non_numeric_x_is_refused(net, X, error, message):
    with pytest.raises(error, match=message):
        net.forward(X)


def test_non_numeric_targets_and_weights_are_refused(net, data):
    with pytest.raises(TypeError, match=r"y must hold numbers, but it holds values of type <U3"):
        net.loss_value(data[0], ["cat", "dog", "cat", "dog"])
    with pytest.raises(TypeError, match=r"W1 must hold numbers, but it holds values of type object"):
        net.set_weights([[[1, None], [0, 0], [0, 0]], np.zeros((1, 3))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(TypeError, match=r"z must hold numbers"):
        softmax([["a", "b"]])


# --- labels ---------------------------------------------------------------------------------------


@pytest.fixture
def classifier():
    return Network([2, 4, 3], ["relu", "softmax"], "cross_entropy", seed=0)


@pytest.mark.parametrize("labels, shown", [([0, 1, 3, 2], "from 0 to 3"), ([0, -1, 2, 2], "from -1 to 2")])
def test_labels_out_of_range_for_cross_entropy_are_refused(classifier, data, labels, shown):
    with pytest.raises(ValueError, match=rf"y must hold class labels 0 to 2 \(one per output neuron\), but it holds "
                                         rf"values {shown}"):
        classifier.loss_value(data[0], labels)
    with pytest.raises(ValueError, match=r"y must hold class labels 0 to 2"):
        train(classifier, data[0], labels, eta=0.1, epochs=1)


def test_class_labels_must_be_whole_numbers(classifier, data):
    with pytest.raises(ValueError, match=r"y must hold whole-number class labels, but it holds 1.5"):
        classifier.loss_value(data[0], [0, 1.5, 2, 2])


def test_one_label_per_sample_is_needed(classifier, data):
    with pytest.raises(ValueError, match=r"y holds 3 labels but X holds 4 samples"):
        classifier.gradients(data[0], [0, 1, 2])


def test_cross_entropy_targets_must_be_distributions(classifier, data):
    # Rows of y that do not add up to 1 would make the softmax shortcut δ = (a − y) / N wrong.
    y = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)
    with pytest.raises(ValueError, match=r"needs each row of y to add up to 1 .* but row 2 adds up to 2"):
        classifier.gradients(data[0], y)
    with pytest.raises(ValueError, match=r"loss 'cross_entropy' needs targets between 0 and 1, but y holds values "
                                         r"from -1 to 2"):
        classifier.gradients(data[0], [[2, -1, 0]] * 4)


def test_binary_cross_entropy_needs_targets_between_0_and_1(data):
    net = Network([2, 1], "sigmoid", "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"loss 'binary_cross_entropy' needs targets between 0 and 1, but y holds "
                                         r"values from 0 to 2"):
        net.loss_value(data[0], [0, 1, 2, 1])
    with pytest.raises(ValueError, match=r"binary_cross_entropy needs y_hat to be probabilities between 0 and 1, "
                                         r"but got values from 0.5 to 1.5"):
        binary_cross_entropy([0.5, 1.5], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"loss 'cross_entropy' needs targets between 0 and 1, but y holds values from 0 to 2"):
        cross_entropy([0.5, 0.5], [2.0, 0.0])


def test_one_hot_refuses_bad_labels_and_class_counts():
    with pytest.raises(ValueError, match=r"labels must be between 0 and 2 for 3 classes, but got labels from 0 to 5$"):
        one_hot([0, 5], 3)
    with pytest.raises(ValueError, match=r"labels must be whole numbers"):
        one_hot([0.5], 3)
    with pytest.raises(ValueError, match=r"num_classes must be at least 1, but got 0"):
        one_hot([0], 0)
    with pytest.raises(ValueError, match=r"^y must be between 0 and 1 for 2 classes, but got labels from 0 to 7$"):
        softmax_cross_entropy(np.zeros((2, 2)), [0, 7])


# --- architecture ---------------------------------------------------------------------------------


def test_softmax_is_only_for_the_output_layer():
    with pytest.raises(ValueError, match=r"softmax can only be the output layer's activation, but layer 1 of 2 uses it"):
        Network([2, 3, 2], ["softmax", "softmax"])
    with pytest.raises(ValueError, match=r"a softmax output needs at least 2 output neurons, but the output layer has 1"):
        Network([2, 1], "softmax", "mse")


def test_binary_cross_entropy_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match=r"loss 'binary_cross_entropy' needs a 'sigmoid' output layer, but layer 2 "
                                         r"uses 'linear'"):
        Network([2, 3, 1], ["sigmoid", "linear"], "binary_cross_entropy")


def test_cross_entropy_needs_a_softmax_output():
    with pytest.raises(ValueError, match=r"loss 'cross_entropy' needs a 'softmax' output layer, but layer 1 uses "
                                         r"'sigmoid'"):
        Network([2, 3], "sigmoid", "cross_entropy")


@pytest.mark.parametrize("sizes, error, message", [
    ([], ValueError, r"sizes needs at least an input and an output size, such as \[2, 1\], but got \[\]"),
    ([3], ValueError, r"sizes needs at least an input and an output size, such as \[2, 1\], but got \[3\]"),
    ([2, 0], ValueError, r"sizes\[1\] must be at least 1, but got 0"),
    ([2, -3, 1], ValueError, r"sizes\[1\] must be at least 1, but got -3"),
    ([2, "a"], TypeError, r"sizes\[1\] must be a whole number, but got 'a' \(str\)"),
    ([2, 2.5], TypeError, r"sizes\[1\] must be a whole number, but got 2.5 \(float\)"),
    ([True, 1], TypeError, r"sizes\[0\] must be a whole number, but got True \(bool\)"),
    ("21", TypeError, r"sizes must be a list of layer sizes such as \[2, 3, 1\], but got '21'"),
    (3, TypeError, r"sizes must be a list of layer sizes such as \[2, 3, 1\], but got 3"),
])
def test_bad_sizes_are_refused(sizes, error, message):
    with pytest.raises(error, match=message):
        Network(sizes)


@pytest.mark.parametrize("scale, shown", [(0, "0"), (-0.5, "-0.5"), (1e308, "1e+308"), (1001, "1001")])
def test_weight_scale_must_be_positive_and_sensible(scale, shown):
    with pytest.raises(ValueError, match=rf"weight_scale must be a positive number up to 1000 .*, but got {re.escape(shown)}$"):
        Network([2, 1], weight_scale=scale)


def test_weight_scale_must_be_a_finite_number():
    with pytest.raises(ValueError, match=r"weight_scale must be a finite number, but got nan"):
        Network([2, 1], weight_scale=NAN)


# --- training settings ----------------------------------------------------------------------------


@pytest.mark.parametrize("epochs, error, message", [
    (-1, ValueError, r"epochs must be at least 0, but got -1"),
    (2.5, TypeError, r"epochs must be a whole number, but got 2.5 \(float\)"),
    ("10", TypeError, r"epochs must be a whole number, but got '10' \(str\)"),
    (True, TypeError, r"epochs must be a whole number, but got True \(bool\)"),
    (None, TypeError, r"epochs must be a whole number, but got None"),
])
def test_epochs_must_be_a_whole_number(net, data, epochs, error, message):
    with pytest.raises(error, match=message):
        train(net, *data, eta=0.1, epochs=epochs)


@pytest.mark.parametrize("batch_size, error, message", [
    (0, ValueError, r"batch_size must be at least 1, but got 0"),
    (-4, ValueError, r"batch_size must be at least 1, but got -4"),
    (1.5, TypeError, r"batch_size must be a whole number, but got 1.5 \(float\)"),
    ("8", TypeError, r"batch_size must be a whole number, but got '8' \(str\)"),
    (False, TypeError, r"batch_size must be a whole number, but got False \(bool\)"),
])
def test_batch_size_must_be_a_positive_whole_number(net, data, batch_size, error, message):
    before = net.parameters()
    with pytest.raises(error, match=message):
        train(net, *data, eta=0.1, epochs=1, batch_size=batch_size)
    np.testing.assert_array_equal(net.parameters(), before)


def test_train_needs_a_network_and_both_halves_of_the_test_data(net, data):
    with pytest.raises(TypeError, match=r"net must be a helpers Network, but got TwoTwoOne"):
        train(TwoTwoOne(), *data, eta=0.1, epochs=1)
    with pytest.raises(ValueError, match=r"give both X_test and y_test, or neither"):
        train(net, *data, eta=0.1, epochs=1, X_test=data[0])
    with pytest.raises(TypeError, match=r"net must be a TwoTwoOne, but got Network"):
        descend_tiny(net, 0.5, 10)
    with pytest.raises(ValueError, match=r"steps must be at least 0, but got -1"):
        descend_tiny(TwoTwoOne(), 0.5, -1)


def test_accuracy_needs_one_label_per_sample(classifier, data):
    with pytest.raises(ValueError, match=r"y holds 2 labels but X holds 4 samples"):
        accuracy(classifier, data[0], [0, 1])


# --- gradient-check tools -------------------------------------------------------------------------


def test_gradient_check_tools_refuse_bad_input():
    with pytest.raises(ValueError, match=r"h \(the nudge\) must be a small positive number, at most 1, but got 0.0"):
        numerical_derivative(lambda x: x, 1.0, h=0)
    with pytest.raises(ValueError, match=r"h \(the nudge\) must be a small positive number, at most 1, but got -1e-05"):
        numerical_gradient(lambda t: t.sum(), np.ones(3), h=-1e-5)
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        relative_error([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"x must be a real number, but got 'one' \(str\)"):
        numerical_derivative(lambda x: x, "one")


def test_activations_must_be_a_name_or_a_list():
    with pytest.raises(TypeError, match=r"activations must be a name such as 'sigmoid'.*but got None"):
        Network([2, 1], activations=None)


@pytest.mark.parametrize("seed", [1.5, "0", "abc", True, [1]])
def test_seed_must_be_a_whole_number(seed, data):
    with pytest.raises(TypeError, match=r"seed must be a whole number of at least 0 \(or None\), but got"):
        Network([2, 1], seed=seed)
    X, y = data
    with pytest.raises(TypeError, match=r"^seed must be a whole number of at least 0 \(or None\), but got"):
        train(Network([2, 1]), X, y, eta=0.1, epochs=1, seed=seed)


def test_a_negative_seed_is_a_value_error_in_network_and_train(data):
    with pytest.raises(ValueError, match=r"^seed must be a whole number of at least 0 \(or None\), but got -1$"):
        Network([2, 1], seed=-1)
    X, y = data
    net = Network([2, 1])
    before = net.parameters()
    with pytest.raises(ValueError, match=r"^seed must be a whole number of at least 0 \(or None\), but got -1$"):
        train(net, X, y, eta=0.1, epochs=1, seed=-1)
    np.testing.assert_array_equal(net.parameters(), before)


def test_step_refuses_gradients_of_another_network():
    small, big = Network([2, 1]), Network([2, 3, 1])
    _, grads = small.gradients([[1.0, 2.0]], [[0.5]])
    with pytest.raises(ValueError, match=r"dL_dW\[1\] has shape \(1, 2\) but the parameter it updates has shape \(3, 2\)"):
        big.step(grads, 0.1)


def test_test_data_errors_name_the_test_arguments():
    net = Network([2, 1])
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"^y_test has shape \(2, 1\) but the network gives 1 outputs for each of 3"):
        train(net, X, np.zeros(4), eta=0.1, epochs=1, X_test=X[:3], y_test=np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"^X_test has 3 features per sample"):
        train(net, X, np.zeros(4), eta=0.1, epochs=1, X_test=np.zeros((2, 3)), y_test=np.zeros(2))
