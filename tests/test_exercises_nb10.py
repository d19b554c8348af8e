"""Notebook 09's code exercises: the worked solutions pass, and every slip a check names gets its hint."""

import math

import pytest

from helpers import codecheck
from helpers.autograd import topological_order
from helpers.checks import CORRECT, UNANSWERED
from helpers.exercises import nb09 as check
from feedback import wrong_with


def test_the_worked_solutions_pass():
    assert check.mul_backward(check.mul_backward_solution).status == CORRECT
    assert check.tanh_backward(check.tanh_backward_solution).status == CORRECT
    assert check.backward(check.backward_solution).status == CORRECT


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


@pytest.mark.parametrize("exercise", [check.mul_backward, check.tanh_backward, check.backward])
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

    nb = json.loads((Path(__file__).resolve().parent.parent / "notebooks" / "09_autograd.ipynb").read_text())
    solutions = [m.group(1) for cell in nb["cells"] if cell["cell_type"] == "markdown"
                 for m in re.finditer(r"<summary>Worked solution</summary>\s*```python\n(.*?)```", "".join(cell["source"]), re.S)]
    assert len(solutions) == 3
    namespace = {"math": math, "topological_order": topological_order}
    for source in solutions:
        exec(source, namespace)
    assert check.mul_backward(namespace["mul_backward"]).ok
    assert check.tanh_backward(namespace["tanh_backward"]).ok
    assert check.backward(namespace["backward"]).ok


def test_the_numbers_the_worked_solutions_state():
    assert check.mul_backward_solution(*check.MUL_EXAMPLE) == (-1.5, 1.0)
    x, g = check.TANH_EXAMPLE
    assert round(math.tanh(x), 4) == 0.4621 and round(1 - math.tanh(x) ** 2, 4) == 0.7864
    assert round(check.tanh_backward_solution(x, g), 4) == 1.5729
