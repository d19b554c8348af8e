"""helpers.diagnose, and the code checks that use it when no named slip matches: the message says where the
result first goes wrong (the output layer first, W before b; for a graph, the first node in backward order) and
how, in a few lines and at most a dozen numbers. Each learner's function below is written out as a learner
would write it."""

import re
from collections import deque

import numpy as np
import pytest

from feedback import wrong_with
from helpers import diagnose
from helpers.activations import sigmoid_derivative
from helpers.autograd import topological_order
from helpers.exercises import nb06, nb06_fork, nb07, nb08, nb10

# A number in a message, not counting the digits of a name (dL_dW, x1); a layer's [2] and an index [0, 1] are
# taken out first.
_NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?(?:e[+−-]?\d+)?(?!\w)")
_INDEX = re.compile(r"\[[\d, ]*\]")


def numbers_in(message):
    return _NUMBER.findall(_INDEX.sub("", message))


def test_numbers_in_counts_listed_numbers_but_not_layers_or_indices():
    assert numbers_in("dL_dW[2] at [0, 1] gives 0.5, -2, 3e-05 where x1 is 1/N") == ["0.5", "-2", "3e-05", "1"]


def short(message):
    """A few lines: at most 400 characters and 12 numbers."""
    assert len(message) <= 400, (len(message), message)
    assert len(numbers_in(message)) <= 12, (numbers_in(message), message)
    return message


W2, B2 = np.array([[0.1, -0.2, 0.3, 0.05]]), np.array([0.07])
W1, B1 = np.arange(1.0, 13.0).reshape(4, 3) / 10, np.array([0.1, 0.2, 0.3, 0.4])
RIGHT = {"dL_dW[2]": W2, "dL_db[2]": B2, "dL_dW[1]": W1, "dL_db[1]": B1}


def with_(**changed):
    return {**RIGHT, **{k.replace("W", "dL_dW[").replace("b", "dL_db[") + "]": v for k, v in changed.items()}}


# ---- compare on its own ----

def test_matching_results_give_no_message():
    assert diagnose.compare(dict(RIGHT), RIGHT) is None


def test_twice_the_right_value_in_one_tensor_names_it_and_the_right_ones():
    told = short(diagnose.compare(with_(W2=2 * W2), RIGHT))
    assert told == ("Not yet. dL_dW[2] is exactly twice the right value (every entry). dL_db[2], dL_dW[1] and "
                    "dL_db[1] are right.")


def test_a_factor_shared_by_every_tensor_is_said_once_from_the_first():
    told = short(diagnose.compare({k: v / 5 for k, v in RIGHT.items()}, RIGHT, batch_size=5))
    assert told.startswith("Not yet. Every gradient is 1/N of the right value (N = 5, the batch size), starting "
                           "with dL_dW[2].")


@pytest.mark.parametrize("factor, words", [
    (-1.0, "the right size with the wrong sign"), (0.5, "exactly half the right value"),
    (5.0, "N = 5 times the right value"), (0.75, "exactly 3/4 of the right value"), (0.0, "exactly 0 (every entry)"),
    (-2.0, "exactly twice the right value, with the wrong sign (every entry)"),
])
def test_each_clean_factor_is_named(factor, words):
    wrong_with_words = diagnose.compare(with_(W1=factor * W1), RIGHT, batch_size=5)
    assert f"dL_dW[1] is {words}" in wrong_with_words


def test_the_first_tensor_in_the_given_order_is_the_one_named():
    told = diagnose.compare(with_(W2=-W2, b1=2 * B1), RIGHT)
    assert told.startswith("Not yet. dL_dW[2] is the right size with the wrong sign")
    assert "dL_db[1] differs too" in told


def test_a_transposed_gradient_is_named_with_both_shapes():
    told = short(diagnose.compare(with_(W1=W1.T), RIGHT))
    assert "dL_dW[1] is the transpose of the right one: shape (3, 4) where (4, 3) is right" in told


def test_a_square_transposed_gradient_is_named_though_its_shape_fits():
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "is the transpose of the right one (it is square" in diagnose.compare({"W": square.T}, {"W": square})


def test_another_shape_names_both_shapes():
    assert "dL_db[1] has shape (4, 1), but it needs shape (4,)" in diagnose.compare(with_(b1=B1[:, None]), RIGHT)


def test_two_results_in_each_others_place_are_named_as_swapped():
    right = {"dL_db_out": np.array([0.1, 0.2]), "dL_db_hidden": np.array([0.3, -0.4])}
    told = diagnose.compare({"dL_db_out": right["dL_db_hidden"], "dL_db_hidden": right["dL_db_out"]}, right)
    assert told.startswith("Not yet. dL_db_out and dL_db_hidden are swapped")


def test_a_value_that_belongs_to_another_name_is_named():
    right = {"dL_db_out": np.array([0.1, 0.2]), "dL_db_hidden": np.array([0.3, -0.4])}
    told = diagnose.compare({"dL_db_out": right["dL_db_hidden"], "dL_db_hidden": right["dL_db_hidden"]}, right)
    assert "dL_db_out holds the value that belongs to dL_db_hidden" in told


def test_some_wrong_entries_are_counted_and_the_first_one_shown():
    wrong = W1.copy()
    wrong[2, 1] = 9.0
    wrong[3, 0] = 9.0
    told = short(diagnose.compare(with_(W1=wrong), RIGHT))
    assert "dL_dW[1] is off in 2 of its 12 entries; at [2, 1] it gives 9 where 0.8 is right" in told


def test_five_significant_digits_is_precision_not_method():
    told = short(diagnose.compare(with_(W2=W2 * (1 + 3e-6)), RIGHT))
    assert "the method is right; the difference is precision (float32 or a rounded constant)" in told


def test_names_rename_and_order_orders():
    told = diagnose.compare({1: 1.0, 2: 3.0}, {1: 1.0, 2: 2.0}, order=[2, 1], names={1: "a", 2: "b"})
    assert told == "Not yet. b is exactly 3/2 of the right value. a is right."


def test_a_softmax_without_keepdims_is_explained_in_words():
    words = diagnose.broadcast_words("operands could not be broadcast together with shapes (4,3) (4,)")
    assert "keepdims=True, shape (4, 1)" in words and "(4, 3)" in words


def test_other_errors_are_not_called_broadcast_errors():
    assert diagnose.broadcast_words("division by zero") is None


# ---- 06: the backward loop over layers ----

def layer_loop(output_delta, back=lambda d, W, fp, l: (d @ W) * sigmoid_derivative(fp.z[l]),
               bias=lambda d: d.sum(axis=0)):
    def backward(net, fp, Y):
        D, N = net.depth, len(Y)
        delta = {D: output_delta(fp, Y, N, D)}
        dL_dW, dL_db = {}, {}
        for l in range(D, 0, -1):
            dL_dW[l] = delta[l].T @ fp.a[l - 1]
            dL_db[l] = bias(delta[l])
            if l > 1:
                delta[l - 1] = back(delta[l], net.W[l], fp, l - 1)
        return dL_dW, dL_db
    return backward


def test_06_forgetting_the_half_says_every_gradient_is_twice_and_why():
    def backward(net, fp, Y):
        D, N = net.depth, len(Y)
        delta = {D: 2 * (fp.a[D] - Y) / N * sigmoid_derivative(fp.z[D])}
        dL_dW, dL_db = {}, {}
        for l in range(D, 0, -1):
            dL_dW[l] = delta[l].T @ fp.a[l - 1]
            dL_db[l] = delta[l].sum(axis=0)
            if l > 1:
                delta[l - 1] = (delta[l] @ net.W[l]) * sigmoid_derivative(fp.z[l - 1])
        return dL_dW, dL_db

    feedback = nb06.backward(backward)
    wrong_with(feedback, "Every gradient is exactly twice the right value", "starting with dL_dW[3]",
               "The ½ in the loss cancels the 2")
    short(feedback.message)


def test_06_dividing_by_n_twice_says_one_over_n_and_divide_once():
    feedback = nb06.backward(layer_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N / N * sigmoid_derivative(fp.z[D])))
    wrong_with(feedback, "Every gradient is 1/N of the right value (N = 5, the batch size)", "Divide by N once")
    short(feedback.message)


def test_06_the_mean_of_delta_without_the_n_at_the_output_names_the_weights_and_the_mean():
    feedback = nb06.backward(layer_loop(lambda fp, Y, N, D: (fp.a[D] - Y) * sigmoid_derivative(fp.z[D]),
                                        bias=lambda d: d.mean(axis=0)))
    wrong_with(feedback, "dL_dW[3] is N = 5 times the right value", "the biases are right", "the mean")
    short(feedback.message)


def test_06_a_wrong_slope_in_the_hidden_layers_points_at_the_line_that_takes_delta_down():
    right_output = lambda fp, Y, N, D: (fp.a[D] - Y) / N * sigmoid_derivative(fp.z[D])  # noqa: E731
    feedback = nb06.backward(layer_loop(right_output, back=lambda d, W, fp, l: (d @ W) * (1 - np.tanh(fp.z[l]) ** 2)))
    wrong_with(feedback, "Not yet. dL_dW[2] is off in every entry", "Layer 3 is right",
               "dL_dW[3] and dL_db[3] are right")
    short(feedback.message)


def test_06_what_the_function_prints_still_follows_the_diagnosis_once():
    def backward(net, fp, Y):
        print("computing")
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return {l: 2 * w for l, w in dL_dW.items()}, {l: 2 * b for l, b in dL_db.items()}

    feedback = nb06.backward(backward)
    wrong_with(feedback, "Every gradient is exactly twice", "What your function printed on")
    assert feedback.message.count("computing") == 1


def test_06_a_named_slip_keeps_its_own_hint():
    assert nb06.backward(nb06.BACKWARD_SLIPS[0].function).message.startswith(nb06.BACKWARD_SLIPS[0].hint)


# ---- 06: the fork ----

def test_06_fork_a_factor_of_three_everywhere_is_named_from_the_output_layer():
    def backward_fork(x, h, y_hat, y, W_out):
        dW_h, db_h, dW_o, db_o = nb06_fork.backward_fork_solution(x, h, y_hat, y, W_out)
        return 3 * dW_h, 3 * db_h, 3 * dW_o, 3 * db_o

    feedback = nb06_fork.backward_fork(backward_fork)
    wrong_with(feedback, "Every gradient is exactly 3 times the right value", "starting with dL_dW_out")
    short(feedback.message)


# ---- 07: softmax_delta ----

def test_07_softmax_without_keepdims_is_a_broadcast_error_told_in_words():
    def softmax_delta(z, Y):
        e = np.exp(z)
        p = e / e.sum(axis=1)
        return (p - Y) / len(z)

    feedback = nb07.softmax_delta(softmax_delta)
    wrong_with(feedback, "Not yet. Your function stopped on a hidden random batch", "keepdims=True")
    assert "ValueError" not in feedback.message
    short(feedback.message)


def test_07_dividing_by_n_twice_is_named_on_a_batch_of_more_than_two():
    def softmax_delta(z, Y):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        return (p - Y) / len(z) / len(z)

    feedback = nb07.softmax_delta(softmax_delta)
    wrong_with(feedback, "δ is 1/N of the right value", "Divide by N once")
    assert "half" not in feedback.message
    short(feedback.message)


# ---- 08: the fixed backward pass ----

def hunt_loop(output_delta, slope=lambda fp, l: 1 - fp.a[l] ** 2, bias=lambda d: d.sum(axis=0)):
    def backward(net, fp, Y):
        D, N = net.depth, len(Y)
        delta = {D: output_delta(fp, Y, N, D)}
        dL_dW, dL_db = {}, {}
        for l in range(D, 0, -1):
            dL_dW[l] = delta[l].T @ fp.a[l - 1]
            dL_db[l] = bias(delta[l])
            if l > 1:
                delta[l - 1] = (delta[l] @ net.W[l]) * slope(fp, l - 1)
        return dL_dW, dL_db
    return backward


def test_08_one_minus_tanh_of_a_squared_is_named_as_tanh_applied_twice():
    feedback = nb08.fixed_backward(hunt_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N,
                                             slope=lambda fp, l: 1 - np.tanh(fp.a[l]) ** 2))
    wrong_with(feedback, "tanh is applied twice", "1 - fp.a[l - 1] ** 2")
    short(feedback.message)


def test_08_a_missing_n_at_the_output_says_every_gradient_is_n_times():
    feedback = nb08.fixed_backward(hunt_loop(lambda fp, Y, N, D: fp.a[D] - Y))
    wrong_with(feedback, "Every gradient is N = 20 times the right value", "δ[D] = (p − y)/N")
    short(feedback.message)


def test_08_the_mean_of_delta_as_the_bias_gradient_names_the_output_bias_first():
    feedback = nb08.fixed_backward(hunt_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N, bias=lambda d: d.mean(axis=0)))
    wrong_with(feedback, "Not yet. dL_db[3] is 1/N of the right value (N = 20, the batch size)",
               "delta[l].sum(axis=0)", "dL_dW[3], dL_dW[2] and dL_dW[1] are right")
    short(feedback.message)


# ---- 10: the backward walk ----

def test_09_a_breadth_first_walk_names_the_first_node_in_backward_order_that_is_wrong():
    def backward(root):
        for node in topological_order(root):
            node.grad = 0.0
        root.grad = 1.0
        queue, seen = deque([root]), {id(root)}
        while queue:
            node = queue.popleft()
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)

    feedback = nb10.backward(backward)
    wrong_with(feedback, "Not yet. On a hidden random graph, node 17 in backward order (a −) is",
               "Every node before it is right", "came from a node not yet complete",
               "reversed(topological_order(root))", "The 16 before it are right")
    short(feedback.message)


def test_09_half_of_every_gradient_past_the_root_names_the_first_node_after_it():
    def backward(root):
        nb10.backward_solution(root)
        for node in topological_order(root):
            if node is not root:
                node.grad *= 0.5

    feedback = nb10.backward(backward)
    wrong_with(feedback, "Not yet. v is exactly half the right value.", "L is right")
    short(feedback.message)


# ---- the diagnosis keeps the check's other messages and its time limit ----

def test_06_five_significant_digits_is_told_the_method_is_right():
    def backward(net, fp, Y):
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return {l: w * (1 + 3e-6) for l, w in dL_dW.items()}, dL_db

    feedback = nb06.backward(backward)
    wrong_with(feedback, "dL_dW[3] agrees with the right value to 5 significant digits",
               "the method is right; the difference is precision (float32 or a rounded constant)")
    short(feedback.message)


def test_06_an_error_on_a_hidden_case_is_reported_though_the_example_is_merely_wrong():
    def backward(net, fp, Y):
        if net.depth != 3:
            raise ZeroDivisionError("only the notebook's network")
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return {l: 2 * w for l, w in dL_dW.items()}, {l: 2 * b for l, b in dL_db.items()}

    wrong_with(nb06.backward(backward), "ZeroDivisionError", "only the notebook's network")


def test_a_slow_wrong_function_is_diagnosed_or_not_within_the_time_limit_and_a_second(monkeypatch):
    import time

    from helpers import codecheck
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)

    def backward(net, fp, Y):
        time.sleep(0.25)  # every call: a check without its time limit takes more than 3 s (13 calls)
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return {l: 2 * w for l, w in dL_dW.items()}, {l: 2 * b for l, b in dL_db.items()}

    start = time.monotonic()
    feedback = nb06.backward(backward)
    assert time.monotonic() - start < 0.3 + 2.0  # the limit, and room for a busy machine
    assert feedback.status == "wrong"


def test_06_doubling_the_courses_own_backward_keeps_the_refusal_not_a_diagnosis():
    def backward(net, fp, Y):
        grads = net.backward(fp, Y)
        return {l: 2 * w for l, w in grads.dL_dW.items()}, {l: 2 * b for l, b in grads.dL_db.items()}

    feedback = nb06.backward(backward)
    wrong_with(feedback, "Write this one yourself")
    assert "twice" not in feedback.message


def test_09_calling_value_backward_keeps_the_refusal_not_a_diagnosis():
    def backward(root):
        root.backward()
        for node in topological_order(root):
            node.grad *= 0.5

    feedback = nb10.backward(backward)
    wrong_with(feedback, "Write this one yourself")
    assert "half" not in feedback.message
