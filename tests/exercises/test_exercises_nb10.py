"""Notebook 10's code exercises: the worked solutions pass, and every slip a check names gets its hint."""

import math

import numpy as np
import pytest

from helpers import codecheck
from helpers.autograd import Value, topological_order
from helpers.checks import CORRECT, UNANSWERED
from helpers.exercises import nb10 as check
from feedback import wrong_with


def test_the_worked_solutions_pass():
    assert check.mul_backward(check.mul_backward_solution).status == CORRECT
    assert check.tanh_backward(check.tanh_backward_solution).status == CORRECT
    assert check.backward(check.backward_solution).status == CORRECT
    assert check.softplus(check.softplus_solution).status == CORRECT


def test_the_solutions_as_a_learner_writes_them_pass():
    def mul_backward(a, b, grad_out):
        return b * grad_out, a * grad_out

    def tanh_backward(x, grad_out):
        t = math.tanh(x)
        return (1 - t * t) * grad_out

    def backward(root):
        order = topological_order(root)
        for node in order:
            node.grad = 0.0
        root.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad

    assert check.mul_backward(mul_backward).ok
    assert check.tanh_backward(tanh_backward).ok
    assert check.backward(backward).ok


def test_a_list_instead_of_a_tuple_is_fine():
    assert check.mul_backward(lambda a, b, g: [b * g, a * g]).ok


@pytest.mark.parametrize("exercise, slips", [
    (check.mul_backward, check.MUL_SLIPS),
    (check.tanh_backward, check.TANH_SLIPS),
    (check.backward, check.BACKWARD_SLIPS),
    (check.softplus, check.SOFTPLUS_SLIPS),
])
def test_each_slip_gets_its_own_hint(exercise, slips):
    for slip in slips:
        feedback = exercise(slip.function)
        wrong_with(feedback, slip.hint)


def test_the_slips_are_told_apart_on_the_worked_examples():
    # Each slip must differ from the right answer on the worked example itself, where a learner looks first.
    a, b, g = check.MUL_EXAMPLE
    right = check.mul_backward_solution(a, b, g)
    for slip in check.MUL_SLIPS:
        assert slip.function(a, b, g) != right, slip.hint
    x, g = check.TANH_EXAMPLE
    for slip in check.TANH_SLIPS:
        assert not math.isclose(slip.function(x, g), check.tanh_backward_solution(x, g)), slip.hint


def test_the_fork_slip_is_right_on_a_chain_and_wrong_at_the_fork():
    from helpers.autograd_examples import five_factor_chain, fork
    for build, same in ((five_factor_chain, True), (fork, False)):
        L, nodes = build()
        check._overwrites(L)
        overwritten = [n.grad for n in topological_order(L)]
        L.backward()
        assert ([n.grad for n in topological_order(L)] == overwritten) is same


@pytest.mark.parametrize("exercise", [check.mul_backward, check.tanh_backward, check.backward, check.softplus])
def test_unanswered_templates_say_so(exercise):
    def template(*args):
        raise NotImplementedError("your code here")

    assert exercise(None).status == UNANSWERED
    feedback = exercise(template)
    assert feedback.status == UNANSWERED and "NotImplementedError" in feedback.message


def test_odd_functions_get_a_plain_hint():
    wrong_with(check.mul_backward(lambda a, b, g: None), "returned None")
    wrong_with(check.mul_backward(lambda a, b, g: b * g), "Expected 2 numbers as a tuple")
    wrong_with(check.mul_backward(lambda a, b, g: (b * g, a * g, 0.0)), "returned 3")
    wrong_with(check.tanh_backward(lambda x, g: (x, g)), "Expected a single number")
    wrong_with(check.tanh_backward(lambda x, g: "0.3"), "Expected a single number")
    wrong_with(check.tanh_backward(lambda x, g: 1 / 0), "ZeroDivisionError", "on the worked example")
    wrong_with(check.tanh_backward(lambda x: x), "must take 2 arguments: (x, grad_out)")


def test_a_walk_that_raises_loops_or_stores_values_gets_a_plain_hint(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)  # not the learner's 2 s (test_code_exercises_06_08 checks it)
    def uses_a_wrong_name(root):
        for child in root.children:
            pass

    wrong_with(check.backward(uses_a_wrong_name), "AttributeError", "children")

    def stores_values(root):
        for node in topological_order(root):
            node.grad = node

    wrong_with(check.backward(stores_values), "holds a Value")

    def forever(root):
        while root is not None:
            pass

    feedback = check.backward(forever)  # stopped after codecheck.TIME_LIMIT seconds
    wrong_with(feedback, "did not finish within 0.3 seconds")


def test_a_walk_that_does_nothing_is_told_to_seed_the_root():
    wrong_with(check.backward(lambda root: None), "root.grad = 1.0")


def test_the_worked_solutions_printed_in_the_notebook_pass_their_checks():
    import json
    import re
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "10_autograd.ipynb").read_text())
    solutions = [m.group(1) for cell in nb["cells"] if cell["cell_type"] == "markdown"
                 for m in re.finditer(r"<summary>Worked solution</summary>\s*```python\n(.*?)```", "".join(cell["source"]), re.S)]
    assert len(solutions) == 4
    namespace = {"math": math, "topological_order": topological_order, "Value": Value}
    for source in solutions:
        exec(source, namespace)
    assert check.mul_backward(namespace["mul_backward"]).ok
    assert check.tanh_backward(namespace["tanh_backward"]).ok
    assert check.backward(namespace["backward"]).ok
    assert check.softplus(namespace["softplus"]).ok


def test_the_numbers_the_worked_solutions_state():
    assert check.mul_backward_solution(*check.MUL_EXAMPLE) == (-1.5, 1.0)
    x, g = check.TANH_EXAMPLE
    assert round(math.tanh(x), 4) == 0.4621 and round(1 - math.tanh(x) ** 2, 4) == 0.7864
    assert round(check.tanh_backward_solution(x, g), 4) == 1.5729


# ---- Exercise 4: softplus ----

def _softplus(slope_at, combine="+="):
    """A softplus as a learner writes it, with the share added (+=), set (=) or taken away (-=)."""
    def softplus(x):
        out = Value(math.log(1 + math.exp(x.data)), label="softplus")

        def backward():
            share = slope_at(x, out) * out.grad
            if combine == "+=":
                x.grad += share
            elif combine == "=":
                x.grad = share
            else:
                x.grad -= share
        return out, backward
    return softplus


def _sigmoid(v):
    return 1 / (1 + math.exp(-v))


def test_softplus_as_a_learner_writes_it_passes_and_each_listed_slip_is_named():
    assert check.softplus(_softplus(lambda x, out: _sigmoid(x.data))).ok
    assert check.softplus(_softplus(lambda x, out: math.exp(x.data) / (1 + math.exp(x.data)))).ok
    wrong_with(check.softplus(_softplus(lambda x, out: _sigmoid(x.data), "=")), "`x.grad = ...` throws away")
    wrong_with(check.softplus(_softplus(lambda x, out: _sigmoid(x.data), "-=")), "wrong sign")
    wrong_with(check.softplus(_softplus(lambda x, out: _sigmoid(out.data))), "evaluated at the output")
    wrong_with(check.softplus(_softplus(lambda x, out: 1 / (1 + math.exp(x.data)))), "without the inner factor")
    wrong_with(check.softplus(_softplus(lambda x, out: _sigmoid(x.data) * (1 - _sigmoid(x.data)))),
               "the slope of the sigmoid")

    def forgets_upstream(x):
        out = Value(math.log(1 + math.exp(x.data)))

        def backward():
            x.grad += 1 / (1 + math.exp(-x.data))
        return out, backward

    wrong_with(check.softplus(forgets_upstream), "Multiply it by out.grad")


def test_the_set_slip_is_right_on_a_fresh_node_and_wrong_where_x_already_holds_a_share():
    setter = _softplus(lambda x, out: _sigmoid(x.data), "=")
    assert check.observe_operation(setter, check.SOFTPLUS_EXAMPLE) == \
        check.observe_operation(check.softplus_solution, check.SOFTPLUS_EXAMPLE)
    x, g, _ = check.SOFTPLUS_EXAMPLE
    assert check.observe_operation(setter, (x, g, 0.5)) != check.observe_operation(check.softplus_solution, (x, g, 0.5))
    # in the graph a reaches L on three paths: a softplus that sets a.grad loses the others
    right = check.observe_graph(check.softplus_solution, check.SOFTPLUS_GRAPH_EXAMPLE)
    assert check.observe_graph(setter, check.SOFTPLUS_GRAPH_EXAMPLE)[1] != pytest.approx(right[1])


def test_the_slips_differ_from_the_right_answer_somewhere_in_the_cases():
    cases = check._softplus_cases()
    right = [check.observe_softplus(check.softplus_solution, case.make()) for case in cases]
    for slip in check.SOFTPLUS_SLIPS:
        got = [check.observe_softplus(slip.function, case.make()) for case in cases]
        assert any(g != pytest.approx(r, rel=1e-5) for g, r in zip(got, right)), slip.hint


def test_the_reference_by_nudging_agrees_with_sigma_and_the_graph_with_centred_differences():
    rng = np.random.default_rng(11)
    for x in rng.uniform(-30, 30, size=200):
        assert check.observe_operation(check.softplus_by_nudging, (float(x), 1.0, 0.0))[1] == \
            pytest.approx(_sigmoid(x), rel=1e-8, abs=1e-12)
    eps = 1e-5
    worst = 0.0
    for a, b in rng.uniform(-2, 2, size=(100, 2)):
        L, da, db = check.observe_graph(check.softplus_solution, (float(a), float(b)))

        def f(a, b):
            return check.observe_graph(check.softplus_solution, (a, b))[0]

        for exact, nudged in ((da, (f(a + eps, b) - f(a - eps, b)) / (2 * eps)),
                              (db, (f(a, b + eps) - f(a, b - eps)) / (2 * eps))):
            worst = max(worst, abs(exact - nudged) / max(abs(exact) + abs(nudged), 1e-3))
    assert worst < 1e-7


def test_odd_softplus_answers_get_a_plain_hint(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)
    wrong_with(check.softplus(lambda x: None), "returned None")
    wrong_with(check.softplus(lambda x: x.exp()), "returned only the Value")
    wrong_with(check.softplus(lambda x: 1.31), "Expected a pair")
    wrong_with(check.softplus(lambda x: (1.31, lambda: None)), "must be a Value")
    wrong_with(check.softplus(lambda x: (Value(1.31), None)), "Did you write `backward()`")
    wrong_with(check.softplus(lambda x, y: None), "must take 1 argument: (x)")
    wrong_with(check.softplus("softplus"), "Expected your function itself")

    def raises(x):
        out = Value(math.log(1 - math.exp(x.data)))
        return out, (lambda: None)

    wrong_with(check.softplus(raises), "ValueError", "math domain error")

    def gives_nan(x):
        out = Value(math.log(1 + math.exp(x.data)))

        def backward():
            x.grad += float("nan")
        return out, backward

    wrong_with(check.softplus(gives_nan), "x.grad came out nan")

    def stores_a_value(x):
        out = Value(math.log(1 + math.exp(x.data)))

        def backward():
            x.grad += x.sigmoid() * out.grad
        return out, backward

    wrong_with(check.softplus(stores_a_value), "x.grad holds a Value")

    def forever(x):
        out = Value(1.0)

        def backward():
            while True:
                pass
        return out, backward

    wrong_with(check.softplus(forever), "did not finish within 0.3 seconds")

    def half_done(x):
        out = Value(math.log(1 + math.exp(x.data)))

        def backward():
            raise NotImplementedError
        return out, backward

    assert check.softplus(half_done).status == UNANSWERED


def test_a_softplus_that_nudges_instead_of_writing_the_slope_is_told_to_write_it():
    from helpers import numerical_derivative

    def nudges(x):
        out = Value(math.log(1 + math.exp(x.data)))

        def backward():
            x.grad += numerical_derivative(lambda t: math.log(1 + math.exp(t)), x.data) * out.grad
        return out, backward

    wrong_with(check.softplus(nudges), "Write this one yourself")


def test_the_numbers_the_softplus_solution_states():
    x, g, before = check.SOFTPLUS_EXAMPLE
    assert (x, g, before) == (1.0, 2.0, 0.0)
    out, share = check.observe_operation(check.softplus_solution, check.SOFTPLUS_EXAMPLE)
    assert f"{out:.4f}" == "1.3133" and f"{_sigmoid(1.0):.4f}" == "0.7311" and f"{share:.4f}" == "1.4621"
    with pytest.raises(OverflowError):
        math.exp(710)
    assert math.isfinite(math.exp(709))
    assert check._softplus_number(1000.0) == 1000.0  # the form max(x, 0) + log1p(exp(−|x|)) never overflows
