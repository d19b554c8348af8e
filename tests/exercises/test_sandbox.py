"""helpers.sandbox: a learner's function runs in a child process the course can always stop, and a check
says plainly how it ended."""

import linecache
import os
import time
from pathlib import Path

import numpy as np
import pytest

from feedback import wrong_with
from helpers import Network, codecheck, gradcheck, sandbox, train
from helpers.autograd import Value
from helpers.checks import CORRECT
from helpers.exercises import nb04, nb06, nb06_fork, nb07, nb07_loop, nb08, nb09, nb10
from helpers.tiny import TwoTwoOne
from helpers.two_two_two import fork_backward

LIMIT = 0.3  # seconds: short, so that the tests stay fast (the learner's limit is codecheck.TIME_LIMIT, 2 s)

pytestmark = pytest.mark.skipif(not sandbox.CAN_FORK, reason="the child process needs fork (Linux, macOS)")


@pytest.fixture
def short_limits(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", LIMIT)
    monkeypatch.setattr(gradcheck, "TIME_LIMIT", LIMIT)


def mul_solution(a, b, grad_out):
    return b * grad_out, a * grad_out


def cell_function(source, name, filename="/tmp/ipykernel_4242/123.py"):
    """A function defined as a notebook cell defines it: its code's file name is the one IPython gives a cell."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def test_a_bare_except_loop_is_stopped_within_the_limit_plus_a_second(short_limits):
    def stubborn(a, b, grad_out):
        while True:
            try:
                time.sleep(0.01)  # the time limit's exception would land here, inside the try
            except:  # noqa: E722  (the learner's bare except, which swallows everything)
                pass

    started = time.perf_counter()
    feedback = nb10.mul_backward(stubborn)
    assert time.perf_counter() - started < LIMIT + 1.0
    wrong_with(feedback, f"did not finish within {LIMIT:g} seconds on the worked example",
               "a loop that never ends, or one over far more steps than needed?")


def test_an_allocation_without_end_ends_with_out_of_memory(short_limits, monkeypatch):
    monkeypatch.setattr(sandbox, "MEMORY_MARGIN", 256 * 1024 ** 2)  # a low ceiling keeps the test cheap

    def hoard(a, b, grad_out):
        kept = []
        while True:
            kept.append(np.empty(10 ** 7))  # 80 MB each, asked for but never written: quick to run out

    wrong_with(nb10.mul_backward(hoard), "ran out of memory on the worked example")


def test_what_the_function_prints_is_shown_once_under_the_verdict(capsys):
    def chatty(a, b, grad_out):
        print("checking a =", a)
        return b * grad_out, a * grad_out

    feedback = nb10.mul_backward(chatty)  # seven cases: the worked example and six hidden ones
    assert feedback.status == CORRECT
    assert feedback.message.count("checking a =") == 1
    assert feedback.message.endswith("What your function printed on the worked example:\nchecking a = 2.0")
    assert "checking" not in capsys.readouterr().out  # nothing reached the notebook's output directly


def test_long_printed_output_is_trimmed_to_six_lines():
    def very_chatty(a, b, grad_out):
        for i in range(100):
            print("line", i)
        return b * grad_out, a * grad_out

    printed = nb10.mul_backward(very_chatty).message.split("printed on the worked example:\n")[1]
    assert printed.split("\n") == [f"line {i}" for i in range(6)] + ["…"]


def test_an_error_is_named_with_its_line_of_the_cell():
    source = "import math\n\ndef mul(a, b, grad_out):\n    share = a / 0\n    return share, share\n"
    divides = cell_function(source, "mul")
    wrong_with(nb10.mul_backward(divides), "ZeroDivisionError", "at line 4 of your cell (`share = a / 0`)",
               "on the worked example")


def test_none_complex_and_infinite_results_are_never_right():
    wrong_with(nb10.mul_backward(lambda a, b, g: None), "returned None")
    wrong_with(nb10.mul_backward(lambda a, b, g: (complex(b * g), a * g)),
               "the 1st value it returns is the complex number -1.5+0j", "Every answer here is a real number")
    wrong_with(nb10.mul_backward(lambda a, b, g: ((b * g) ** 0.5, a * g)), "complex number")  # (−1.5) ** 0.5
    wrong_with(nb10.mul_backward(lambda a, b, g: (float("inf"), a * g)), "is infinite")


def test_a_complex_array_is_refused_even_with_zero_imaginary_parts():
    def complex_backward(net, fp, Y):
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return {l: w.astype(complex) for l, w in dL_dW.items()}, dL_db

    wrong_with(nb06.backward(complex_backward), "complex number", "real number")


def test_the_networks_own_backward_is_refused_in_06():
    wrong_with(nb06.backward(lambda net, fp, Y: net.backward(fp, Y)),
               "Write this one yourself: the check compares your code with Network.backward.")


def test_a_refusal_swallowed_by_a_bare_except_still_counts():
    def sneaky(net, fp, Y):
        try:
            return net.backward(fp, Y)
        except:  # noqa: E722
            return nb06.backward_solution(net, fp, Y)

    wrong_with(nb06.backward(sneaky), "Your function calls Network.backward")


def test_values_own_backward_is_refused_in_09():
    def backward(root):
        root.backward()

    wrong_with(nb10.backward(backward), "the check compares your code with Value.backward")


def test_helpers_train_is_refused_in_07s_training_loop():
    def train_loop(net, X, Y, eta, epochs, batch_size, seed):
        return train(net, X, Y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed).loss

    wrong_with(nb07_loop.train_loop(train_loop), "the check compares your code with helpers.train")


def test_the_two_two_one_gradients_of_helpers_tiny_are_refused_in_04():
    def by_the_course(w1, w2, w3, w4, x1, x2, y):
        grads = TwoTwoOne(w1, w2, w3, w4).gradients(x1, x2, y)
        return grads["w1"], grads["w2"], grads["w3"], grads["w4"]

    wrong_with(nb04.backward(by_the_course), "the check compares your code with TwoTwoOne.gradients")


def test_the_fork_backward_of_the_two_two_two_network_is_refused_in_06():
    wrong_with(nb06_fork.backward_fork(lambda x, h, y_hat, y, W_out: fork_backward(x, h, y_hat, y, W_out)),
               "the check compares your code with helpers.two_two_two.fork_backward")


def test_the_refusals_stay_in_the_child_and_the_course_works_after_a_check():
    codes = (Network.backward.__code__, train.__code__, Value.backward.__code__)
    nb06.backward(lambda net, fp, Y: net.backward(fp, Y))
    assert (Network.backward.__code__, train.__code__, Value.backward.__code__) == codes
    net = Network([2, 3, 1], seed=0)
    X, y = np.array([[0.5, -1.0]]), np.array([[1.0]])
    assert net.backward(net.forward(X), y).dL_dW[1].shape == (3, 2)


def test_a_learners_change_to_the_kernels_objects_does_not_leak_out_of_the_check():
    seen = []

    def remembers(a, b, grad_out):
        seen.append(a)
        return b * grad_out, a * grad_out

    assert nb10.mul_backward(remembers).ok
    assert seen == []


def test_one_check_starts_one_child_process(monkeypatch):
    forks = []
    real_fork = os.fork

    def counted_fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    assert nb10.mul_backward(mul_solution).ok
    assert len(forks) == 1


def test_input_inside_a_function_gets_a_hint_instead_of_waiting():
    wrong_with(nb10.mul_backward(lambda a, b, g: float(input("a? "))), "input() cannot run inside a check")


def test_a_course_function_that_builds_on_the_reference_may_still_use_it():
    # A learner's function that calls the course's right solution: the solution's own use of net.backward is
    # allowed, only the learner's direct call is refused.
    assert nb06.backward(lambda net, fp, Y: nb06.backward_solution(net, fp, Y)).ok


def test_without_fork_the_check_runs_here_and_says_once_that_it_cannot_stop_an_endless_loop(monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "CAN_FORK", False)
    monkeypatch.setattr(sandbox, "_warned", False)
    assert nb10.mul_backward(mul_solution).ok
    assert nb10.mul_backward(mul_solution).ok
    assert capsys.readouterr().out.count("cannot start a separate process") == 1


def test_sandbox_run_returns_json_and_names_the_call_that_overran():
    result = sandbox.run(lambda calls: {"sum": 1 + 2, "items": [1.5, "x", None]}, time_limit=LIMIT)
    assert result.ending is None and result.value == {"sum": 3, "items": [1.5, "x", None]}

    def endless(calls):
        with calls.watch("the second case"):
            while True:
                pass

    started = time.perf_counter()
    result = sandbox.run(endless, time_limit=LIMIT)
    assert time.perf_counter() - started < LIMIT + 1.0
    assert (result.ending.kind, result.ending.where, result.value) == ("time", "the second case", None)


def test_an_endless_f_in_numerical_derivative_is_stopped_and_named(short_limits):
    def f(x):
        while True:
            try:
                time.sleep(0.01)
            except:  # noqa: E722
                pass

    started = time.perf_counter()
    with pytest.raises(TimeoutError, match=r"^f did not finish within 0.3 s when called as f\(x \+ ε\) = f\(0.50001\)"):
        gradcheck.numerical_derivative(f, 0.5)
    assert time.perf_counter() - started < LIMIT + 1.0


def test_an_endless_f_in_numerical_gradient_is_stopped_and_named(short_limits):
    def f(theta):
        while True:
            pass

    with pytest.raises(TimeoutError, match=r"^f did not finish .* when called as f\(theta\) with theta\[0\] \+ ε"):
        gradcheck.numerical_gradient(f, np.array([1.0, 2.0]))


def test_an_endless_backward_in_check_backward_function_is_stopped_and_named(short_limits):
    net = Network([2, 3, 1], seed=0)
    X, y = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([[1.0], [0.0]])

    def backward(net, fp, Y):
        while True:
            pass

    with pytest.raises(TimeoutError, match=r"^backward did not finish within 0.3 s when called as backward\(net, fp, Y\)"):
        gradcheck.check_backward_function(backward, net, X, y)


def test_an_error_inside_f_comes_back_as_the_same_error():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        gradcheck.numerical_derivative(lambda x: 1 / 0, 0.5)


def test_numerical_gradient_gives_f_a_copy_so_a_change_in_place_cannot_spoil_the_next_nudge():
    def square_sum_then_scribble(theta):
        value = float(np.sum(theta ** 2))
        theta[:] = 100.0  # the learner's f changes its argument
        return value

    theta = np.array([1.0, -2.0, 0.5])
    assert gradcheck.numerical_gradient(square_sum_then_scribble, theta) == pytest.approx(2 * theta, rel=1e-8)
    assert theta.tolist() == [1.0, -2.0, 0.5]


def test_the_numbers_from_the_child_are_the_numbers_computed_here():
    def f(x):
        return np.sin(x) * np.exp(x)

    by_child = gradcheck.numerical_derivative(f, 0.7)
    eps = 1e-5
    assert by_child == (float(f(0.7 + eps)) - float(f(0.7 - eps))) / (2 * eps)  # the same float, to the last bit


def test_the_time_limit_is_one_budget_for_all_the_cases_of_a_check(short_limits):
    def slow(a, b, grad_out):
        time.sleep(0.1)  # seven cases of 0.1 s: 0.7 s in all, over the 0.3 s budget
        return b * grad_out, a * grad_out

    started = time.perf_counter()
    feedback = nb10.mul_backward(slow)
    assert time.perf_counter() - started < LIMIT + 1.0
    wrong_with(feedback, f"took more than {LIMIT:g} seconds in all over the", "was stopped on a hidden random case")


def test_an_interrupt_stops_the_check_and_its_child(monkeypatch):
    from interrupts import stop_button

    monkeypatch.setattr(codecheck, "TIME_LIMIT", 30.0)

    def forever(a, b, grad_out):
        while True:
            pass

    def children():
        """This process's children, zombies included (a child killed but not collected is still listed)."""
        found = set()
        for task in Path("/proc/self/task").iterdir():
            found.update((task / "children").read_text().split())
        return found

    before = children()  # a test worker may already have children of its own (a JupyterLab, a browser)
    started = time.perf_counter()
    with stop_button("sandbox.py", after=0.3), pytest.raises(KeyboardInterrupt):  # while the kernel waits
        nb10.mul_backward(forever)
    assert time.perf_counter() - started < 2.0
    assert children() <= before  # the check's child was killed and collected: no process is left behind


CODE_CHECKS = {"04 backward": nb04.backward, "04 backward_biased": nb04.backward_biased, "06 backward": nb06.backward,
               "06 backward_fork": nb06_fork.backward_fork, "07 softmax_delta": nb07.softmax_delta,
               "07 train_loop": nb07_loop.train_loop, "07 backward_tensors": nb07.backward_tensors,
               "08 fixed_backward": nb08.fixed_backward, "09 standardize": nb09.standardize,
               "09 softmax_rows": nb09.softmax_rows, "09 train_steps": nb09.train_steps,
               "10 mul_backward": nb10.mul_backward, "10 tanh_backward": nb10.tanh_backward, "10 backward": nb10.backward,
               "10 softplus": nb10.softplus}


@pytest.mark.parametrize("name", list(CODE_CHECKS))
def test_no_code_check_takes_longer_than_its_time_limit_plus_a_second(name, short_limits):
    def stubborn(*args):
        while True:
            try:
                time.sleep(0.01)
            except:  # noqa: E722
                pass

    started = time.perf_counter()
    feedback = CODE_CHECKS[name](stubborn)  # 06 and 08 take a second look on a square network: not at this one
    assert time.perf_counter() - started < LIMIT + 1.0
    wrong_with(feedback, f"did not finish within {LIMIT:g} seconds")
