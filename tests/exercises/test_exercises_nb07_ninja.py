"""Notebook 07, Exercise 6: the batch backward pass written tensor by tensor, checked and reported per tensor.

The right function passes; each planted slip gets its named hint and the report points at the first wrong
tensor, saying which later ones are right from the learner's own upstream; odd functions get plain hints;
the notebook's worked solution passes, and its unanswered template is "Not answered yet"."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from feedback import wrong_with
from helpers import codecheck
from helpers.checks import CORRECT, UNANSWERED
from helpers.exercises import nb07
from helpers.exercises import nb07_ninja as ninja

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "07_cat_or_dog.ipynb"


def chain(**replaced):
    """A backward_tensors whose lines follow the right local rules, from its own upstream tensors, except the
    lines named, which use the given rule(upstream, context): a learner's function with those slips."""
    def backward_tensors(net, fp, Y):
        c = ninja._Context(net, fp, Y)
        out = {}
        for name in ninja.ORDER:
            up = out.get(ninja.UPSTREAM[name]) if ninja.UPSTREAM[name] else None
            out[name] = replaced.get(name, ninja.LOCAL[name])(up, c)
        return out
    return backward_tensors


def report_lines(feedback):
    return {line[2:].split(":")[0]: line for line in feedback.message.splitlines() if line[:2] in ("✓ ", "✗ ")}


def test_the_solution_is_net_backward_on_every_case():
    for case in ninja.backward_tensors_cases():
        net, fp, Y = case.make()
        mine, grads = ninja.backward_tensors_solution(net, fp, Y), net.backward(fp, Y)
        assert np.array_equal(mine["dL_dz2"], grads.delta[2]) and np.array_equal(mine["dL_dz1"], grads.delta[1])
        for l in (1, 2):
            np.testing.assert_allclose(mine[f"dL_dW{l}"], grads.dL_dW[l], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(mine[f"dL_db{l}"], grads.dL_db[l], rtol=1e-12, atol=1e-15)


def test_the_probabilities_gradient_is_minus_y_over_p_over_n_by_nudging():
    from helpers.losses import cross_entropy
    net, fp, Y = ninja.backward_tensors_cases()[0].make()
    p, eps = fp.a[2], 1e-7
    numerical = np.zeros_like(p)
    for index in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[index] += eps
        down[index] -= eps
        numerical[index] = (np.mean(-np.sum(Y * np.log(up), axis=1)) - np.mean(-np.sum(Y * np.log(down), axis=1))) / (2 * eps)
    np.testing.assert_allclose(ninja.backward_tensors_solution(net, fp, Y)["dL_dp"], numerical, rtol=1e-6, atol=1e-9)
    assert cross_entropy(p, Y) == pytest.approx(net._loss_value(fp, Y))


def test_the_right_function_passes_with_a_table_of_every_tensor():
    feedback = nb07.backward_tensors(ninja.backward_tensors_solution)
    assert feedback.status == CORRECT
    assert [line.split(":")[0] for line in feedback.message.splitlines()[2:]] == [f"✓ {n}" for n in ninja.ORDER]
    assert all(line.endswith("exact") for line in feedback.message.splitlines()[2:])


def test_the_jacobian_route_is_right_and_its_rounding_is_reported_as_close():
    feedback = nb07.backward_tensors(chain())
    assert feedback.status == CORRECT
    assert re.search(r"✓ dL_dz2: close, largest difference \d\.?\d*e-1[5-9]", feedback.message)


# Each slip: the lines it changes, the tensor that goes wrong first, its label, words of its hint.
SLIPS = {
    "no 1/N": (dict(dL_dp=lambda up, c: -c.Y / c.p), "dL_dp", ninja.NOT_DIVIDED, "1/N"),
    "1/N twice at the top": (dict(dL_dp=lambda up, c: -c.Y / c.p / c.N ** 2), "dL_dp", ninja.TWICE, "once"),
    "1/N again in δ[2]": (dict(dL_dz2=lambda up, c: (c.p - c.Y) / c.N ** 2), "dL_dz2", ninja.TWICE, "only once"),
    "a mean for b[2]": (dict(dL_db2=lambda up, c: up.mean(axis=0)), "dL_db2", ninja.TWICE, "not the mean"),
    "diagonal Jacobian": (dict(dL_dz2=lambda up, c: up * c.p * (1 - c.p)), "dL_dz2", ninja.DIAGONAL, "p(1 − p)"),
    "Jacobian summed down the batch": (
        dict(dL_dz2=lambda up, c: c.p * (up - np.sum(up * c.p, axis=0, keepdims=True))), "dL_dz2", ninja.WRONG_AXIS,
        "axis=1"),
    "W[2]'s gradient transposed": (dict(dL_dW2=lambda up, c: c.a1.T @ up), "dL_dW2", ninja.TRANSPOSED, "δ[2]ᵀ · a[1]"),
    "W[1]'s gradient transposed": (dict(dL_dW1=lambda up, c: c.X.T @ up), "dL_dW1", ninja.TRANSPOSED, "δ[1]ᵀ · X"),
    "b[2] not summed": (dict(dL_db2=lambda up, c: up), "dL_db2", ninja.NO_BATCH_SUM, "broadcast to every row"),
    "b[1] not summed": (dict(dL_db1=lambda up, c: up), "dL_db1", ninja.NO_BATCH_SUM, "broadcast to every row"),
    "b[1] summed along the rows": (dict(dL_db1=lambda up, c: up.sum(axis=1)), "dL_db1", ninja.WRONG_AXIS, "axis=0"),
    "b[2] summed along the rows": (dict(dL_db2=lambda up, c: up.sum(axis=1)), "dL_db2", ninja.WRONG_AXIS, "gives 0"),
    "no tanh slope": (dict(dL_dz1=lambda up, c: up), "dL_dz1", ninja.NO_SLOPE, "1 − a[1]²"),
    "the sigmoid's slope": (dict(dL_dz1=lambda up, c: up * c.a1 * (1 - c.a1)), "dL_dz1", "the sigmoid's slope",
                            "tanh"),
}


@pytest.mark.parametrize("name", list(SLIPS))
def test_each_slip_is_named_at_the_first_tensor_it_breaks(name):
    replaced, first, label, words = SLIPS[name]
    feedback = nb07.backward_tensors(chain(**replaced))
    wrong_with(feedback, f"{first} is the first tensor that goes wrong: {label}.", words)
    lines = report_lines(feedback)
    assert list(lines) == list(ninja.ORDER)
    before = ninja.ORDER[:ninja.ORDER.index(first)]
    assert all(lines[n].startswith("✓") for n in before)
    assert lines[first] == f"✗ {first}: {label}"


def test_tensors_after_a_wrong_one_say_they_are_right_from_the_learners_own_upstream():
    feedback = nb07.backward_tensors(chain(dL_dz2=lambda up, c: up * c.p * (1 - c.p)))
    lines = report_lines(feedback)
    assert lines["dL_dW2"] == "✗ dL_dW2: right from your dL_dz2, but dL_dz2 is wrong"
    assert lines["dL_dz1"] == "✗ dL_dz1: right from your dL_da1, but dL_da1 is wrong"
    assert lines["dL_dp"] == "✓ dL_dp: exact"


def test_a_slip_only_a_hidden_network_shows_is_reported_on_that_network():
    def hard_coded(net, fp, Y):  # divides by 25, the notebook's batch size, not by N
        tensors = chain()(net, fp, Y)
        return {name: t * len(Y) / 25 for name, t in tensors.items()}

    feedback = nb07.backward_tensors(hard_coded)
    wrong_with(feedback, "On a hidden random network (sizes [", "dL_dp is the first tensor that goes wrong")


def test_a_line_left_at_none_is_reported_as_not_filled_in_after_the_right_ones():
    def half_done(net, fp, Y):
        tensors = chain()(net, fp, Y)
        return {name: (t if name in ("dL_dp", "dL_dz2") else None) for name, t in tensors.items()}

    feedback = nb07.backward_tensors(half_done)
    wrong_with(feedback, "dL_dW2 is the first tensor that goes wrong: it is None: not filled in yet.")
    assert report_lines(feedback)["dL_dz2"].startswith("✓")


def test_an_unrecognised_mistake_is_still_located_and_described():
    feedback = nb07.backward_tensors(chain(dL_da1=lambda up, c: 3 * (up @ c.W2)))
    wrong_with(feedback, "dL_da1 is the first tensor that goes wrong: it is exactly 3 times the right value",
               "δ[2] · W[2]")


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def test_odd_functions_get_plain_hints(short_time_limit):
    def forever(net, fp, Y):
        while True:
            pass

    def template(net, fp, Y):
        raise NotImplementedError

    def nan_in_dz1(net, fp, Y):
        tensors = chain()(net, fp, Y)
        tensors["dL_dz1"] = tensors["dL_dz1"] * np.nan
        return tensors

    assert nb07.backward_tensors(None).status == UNANSWERED
    assert nb07.backward_tensors(template).status == UNANSWERED
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: None), "returned None")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: 1 / 0), "ZeroDivisionError")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: "text"), "Expected a dict")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: [[1, 2], [3]]), "Expected a dict")
    wrong_with(nb07.backward_tensors(forever), "did not finish within 0.3 seconds")
    wrong_with(nb07.backward_tensors(lambda x: x), "must take")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: {"dL_dp": 1}), "✗ dL_dz2: is missing from your dict")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: {n: "text" for n in ninja.ORDER}),
               "dL_dp is the first tensor that goes wrong: it is 'text', not an array of numbers")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: {n: [[1, 2], [3]] for n in ninja.ORDER}),
               "not an array of numbers")
    wrong_with(nb07.backward_tensors(lambda net, fp, Y: {n: np.zeros((3, 3)) for n in ninja.ORDER}),
               "dL_dp is the first tensor that goes wrong: it has shape (3, 3)")
    wrong_with(nb07.backward_tensors(nan_in_dz1), "dL_dz1 is the first tensor that goes wrong: it holds nan")


def test_calling_net_backward_is_refused():
    def lazy(net, fp, Y):
        grads = net.backward(fp, Y)
        return {"dL_dW2": grads.dL_dW[2]}

    wrong_with(nb07.backward_tensors(lazy), "Write this one yourself")


def test_a_huge_allocation_gets_a_hint_not_a_crash():
    def greedy(net, fp, Y):
        return np.ones((200_000, 200_000))

    wrong_with(nb07.backward_tensors(greedy), "ran out of memory on the notebook's batch")


def _cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def _cell(cell_id):
    return "".join(next(c["source"] for c in _cells() if c["id"] == cell_id))


def test_the_notebooks_worked_solution_passes_from_the_notebooks_own_text():
    solution = re.search(r"```python\n(def backward_tensors.*?)```", _cell("ninja-sol"), re.S).group(1)
    namespace = {"np": np}
    exec(solution, namespace)
    assert nb07.backward_tensors(namespace["backward_tensors"]).status == CORRECT


def test_the_notebooks_starting_cell_runs_and_is_not_answered_yet():
    namespace = {"np": np}
    exec(_cell("ninja-def"), namespace)
    feedback = nb07.backward_tensors(namespace["backward_tensors"])
    assert feedback.status == UNANSWERED
    assert repr(feedback).startswith("Not answered yet.")
    saved = next(c for c in _cells() if c["id"] == "ninja-check")["outputs"][0]["data"]["text/plain"]
    assert "".join(saved).startswith("Not answered yet.")


def test_the_rule_cells_print_a_sum_over_the_batch_and_a_broadcast():
    printed = {cid: "".join(next(c for c in _cells() if c["id"] == cid)["outputs"][0]["text"])
               for cid in ("ninja-sum-b", "ninja-sum-s")}
    assert "by nudging:          [ 0.138037 -0.138037]" in printed["ninja-sum-b"]
    assert "summed over the 25 rows: [ 0.138037 -0.138037]" in printed["ninja-sum-b"]
    assert "equal for all 25 animals to within 1e-8: True" in printed["ninja-sum-s"]
    assert "it is p / N: True" in printed["ninja-sum-s"]
    assert "0.016, against 0.138 for the sum" in _cell("ninja-ex")


def test_numpys_shape_errors_are_told_in_words():
    def w2_transposed(net, fp, Y):
        tensors = chain()(net, fp, Y)
        tensors["dL_da1"] = tensors["dL_dz2"] @ net.W[2].T
        return tensors

    def no_keepdims(net, fp, Y):
        g, p = -Y / fp.a[2] / len(Y), fp.a[2]
        tensors = chain()(net, fp, Y)
        tensors["dL_dz2"] = p * (g - np.sum(g * p, axis=1))
        return tensors

    feedback = nb07.backward_tensors(w2_transposed)
    wrong_with(feedback, "A matrix product A @ B needs A's last axis as long as B's first, but here they are 2 and 8",
               "on the notebook's batch (Network([2, 8, 2]), the first 25 training animals).")
    assert "gufunc" not in feedback.message
    wrong_with(nb07.backward_tensors(no_keepdims), "shape (25, 2) with one of shape (25,)", "keepdims=True")


def test_each_tensor_is_held_to_its_own_scale_not_to_the_largest_of_all_eight():
    def sloppy(net, fp, Y):  # dL_db1 off by 5e-5 where dL_dp reaches 124: within 1e-6 of all eight's largest
        tensors = chain()(net, fp, Y)
        if np.abs(tensors["dL_dp"]).max() > 100:
            tensors["dL_db1"] = tensors["dL_db1"] + 5e-5
        return tensors

    cases = ninja.backward_tensors_cases()
    alone = codecheck.check_function(sloppy, cases=cases, expected=ninja.backward_tensors_solution,
                                     read=ninja.read_tensors, observe=ninja.observe_tensors)
    assert alone.status == CORRECT
    wrong_with(nb07.backward_tensors(sloppy), "On a hidden random network (sizes [4, 3, 4], a batch of 5), "
                                              "dL_db1 is the first tensor that goes wrong")


def test_the_worked_solution_is_close_by_the_last_digits_the_notebook_states():
    solution = re.search(r"```python\n(def backward_tensors.*?)```", _cell("ninja-sol"), re.S).group(1)
    namespace = {"np": np}
    exec(solution, namespace)
    lines = report_lines(nb07.backward_tensors(namespace["backward_tensors"]))
    assert lines["dL_dz2"] == "✓ dL_dz2: close, largest difference 3.5e-18"
    assert max(float(line.rsplit(" ", 1)[1]) for line in lines.values() if "close" in line) < 1e-16
    assert "at most $3.5 \\times 10^{-18}$" in _cell("ninja-sol") and "all below $10^{-16}$" in _cell("ninja-sol")
