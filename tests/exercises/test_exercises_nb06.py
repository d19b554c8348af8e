"""Notebook 06's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import re

import numpy as np
import pytest

from feedback import wrong_with

from helpers import Network, sigmoid_derivative
from helpers.checks import CORRECT, WRONG
from helpers.exercises import nb06 as check

EXERCISES = [check.gradient_shape, check.delta_1, check.vanishing_bound, check.finite_difference_evaluations]



@pytest.fixture(scope="module")
def notebook_batch():
    """The network and batch exactly as the notebook builds them, with its forward and backward pass."""
    net = Network([3, 4, 4, 1], seed=0)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    y = rng.uniform(size=(5, 1))
    fp = net.forward(X)
    return net, fp, net.backward(fp, y)




@pytest.mark.parametrize("exercise", EXERCISES)
def test_text_is_a_wrong_answer_not_an_error(exercise):
    assert exercise("0.3").status == WRONG


def test_the_checks_rebuild_the_notebooks_network_and_batch(notebook_batch):
    net, fp, _ = notebook_batch
    twin, X, _ = check.example()
    np.testing.assert_array_equal(fp.a[0], X)
    for l in (1, 2, 3):
        np.testing.assert_array_equal(twin.W[l], net.W[l])


# Exercise 3: the shape of ∂L/∂W[1] for a batch of 32 (W[1] is 4×3, so the transpose slip shows)

def test_a_gradient_has_the_shape_of_its_weights_whatever_the_batch(notebook_batch):
    net, _, _ = notebook_batch
    assert net.W[1].shape == (4, 3)
    assert check.gradient_shape((4, 3)).status == CORRECT
    assert check.gradient_shape([4, 3]).status == CORRECT
    assert check.gradient_shape(np.array([4, 3])).status == CORRECT
    assert "summed away" in check.gradient_shape((4, 3)).message


def test_the_shape_of_the_gradient_is_what_the_backward_pass_gives_for_32_samples():
    net = Network([3, 4, 4, 1], seed=0)
    rng = np.random.default_rng(0)
    _, grads = net.gradients(rng.normal(size=(32, 3)), rng.uniform(size=(32, 1)))
    assert check.gradient_shape(grads.dL_dW[1].shape).status == CORRECT
    assert check.gradient_shape(grads.delta[1].shape).status == WRONG


def test_gradient_shape_slips_get_their_hints():
    wrong_with(check.gradient_shape((3, 4)), "wrong way round")
    wrong_with(check.gradient_shape((32, 4)), "shape of δ[1]")
    wrong_with(check.gradient_shape((4, 32)), "δ[1]ᵀ alone")
    wrong_with(check.gradient_shape((32, 3)), "the batch X")
    wrong_with(check.gradient_shape((32, 4, 3)), "sums over the batch")
    wrong_with(check.gradient_shape((4, 4)), "shape of W[1]")
    assert check.gradient_shape((4.5, 3)).status == WRONG


@pytest.mark.parametrize("odd", [("4", "3"), (True, 3), (4, 3.5), [[4, 3]], (float("nan"), 3), "(4, 3)", 4])
def test_text_or_odd_shapes_are_never_marked_correct(odd):
    assert check.gradient_shape(odd).status == WRONG


# Exercise 4: δ[1] from δ[2]

def test_delta_1_is_the_recursion_applied_once(notebook_batch):
    net, fp, grads = notebook_batch
    answer = (grads.delta[2] @ net.W[2]) * sigmoid_derivative(fp.z[1])
    assert check.delta_1(answer).status == CORRECT
    assert check.delta_1((grads.delta[2] @ net.W[2]) * fp.a[1] * (1 - fp.a[1])).status == CORRECT
    np.testing.assert_allclose(answer, grads.delta[1], rtol=1e-12)


def test_delta_1_slips_get_their_hints(notebook_batch):
    net, fp, grads = notebook_batch
    passed_back = grads.delta[2] @ net.W[2]
    right = passed_back * sigmoid_derivative(fp.z[1])
    wrong_with(check.delta_1(passed_back), "did not multiply by the sigmoid's slope")
    wrong_with(check.delta_1((grads.delta[2] @ net.W[2].T) * sigmoid_derivative(fp.z[1])), "not W[2].T")
    wrong_with(check.delta_1(passed_back * sigmoid_derivative(fp.z[2])), "fp.z[1], not fp.z[2]")
    wrong_with(check.delta_1(passed_back * fp.a[1]), "a(1 − a)")
    wrong_with(check.delta_1(passed_back * sigmoid_derivative(fp.a[1])), "sigmoid_derivative takes z",
               "sigmoid_derivative(fp.z[1])")
    wrong_with(check.delta_1(-right), "wrong sign")
    wrong_with(check.delta_1(right.T), "transposed")
    wrong_with(check.delta_1(right[:, :3]), "shape")


# Exercise 6: the best case through ten sigmoid layers

def test_ten_sigmoid_slopes_multiply_to_at_most_a_millionth():
    assert check.vanishing_bound(0.25 ** 10).status == CORRECT
    assert check.vanishing_bound(9.537e-7).status == CORRECT
    assert "9.54e-07" in check.vanishing_bound(0.25 ** 10).message


@pytest.mark.parametrize("about", [9.5e-7, 1e-6, 0.95e-6])
def test_the_bound_written_as_the_solution_rounds_it_is_accepted(about):
    assert check.vanishing_bound(about).status == CORRECT


@pytest.mark.parametrize("far", [0.0, 8.5e-7, 1.05e-6, 1e-7, 1e-5])
def test_numbers_only_near_the_bound_are_accepted(far):
    assert check.vanishing_bound(far).status == WRONG


def test_the_praise_states_when_the_gradient_vanishes_a_million_fold():
    message = check.vanishing_bound(0.25 ** 10).message
    assert "at most 1 in size" in message and "weight scale 3" in message
    assert "Even in the best case" not in message


def test_vanishing_bound_slips_get_their_hints():
    wrong_with(check.vanishing_bound(0.25 * 10), "multiplied 0.25 by 10")
    wrong_with(check.vanishing_bound(0.25 ** 9), "One factor short")
    wrong_with(check.vanishing_bound(0.25 ** 11), "One factor too many")
    wrong_with(check.vanishing_bound(0.5 ** 10), "0.25 per layer")
    wrong_with(check.vanishing_bound(1.0), "tanh's or ReLU's")
    wrong_with(check.vanishing_bound(0.25), "one layer's slope")


# Exercise 7: the work of finite differences

def test_finite_differences_need_two_loss_evaluations_per_parameter():
    assert check.finite_difference_evaluations(82).status == CORRECT
    assert check.finite_difference_evaluations(2 * 41).status == CORRECT


def test_finite_difference_count_slips_get_their_hints():
    wrong_with(check.finite_difference_evaluations(41), "twice")
    wrong_with(check.finite_difference_evaluations(64), "not the 9 biases")
    wrong_with(check.finite_difference_evaluations(32), "weights alone")
    wrong_with(check.finite_difference_evaluations(2), "cost of backprop")
    wrong_with(check.finite_difference_evaluations(42), "one-sided")


@pytest.mark.parametrize("odd", [[[0.18, 0.2], [0.3]], 10 ** 400, {1, 2}, [float("nan")] * 3, "δ"])
def test_odd_answers_to_delta_1_get_a_hint_not_an_error(odd):
    assert check.delta_1(odd).status == WRONG


def test_a_complex_delta_1_is_not_marked_correct(notebook_batch):
    net, fp, grads = notebook_batch
    right = (grads.delta[2] @ net.W[2]) * sigmoid_derivative(fp.z[1])
    assert check.delta_1(right + 1j).status == WRONG


def test_larger_weights_rescue_eight_sigmoid_layers_as_the_praise_and_the_notebook_say():
    from helpers.widgets import depth

    X, y = depth.demo_batch()
    ratios = {}
    for scale in (0.35, 3.0):
        loss, sizes = depth.layer_gradient_sizes(depth.build_network(8, "sigmoid", scale), X, y)
        ratios[scale] = depth.gradient_ratio(sizes)
        assert depth.verdict(loss, sizes) == ("vanishing" if scale == 0.35 else "healthy")
    assert 0.25 < ratios[3.0] < 0.45                       # "about a third of the output layer's signal"


def _notebook_code_cells():
    from pathlib import Path

    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[2] / "notebooks" / "06_backprop_any_depth.ipynb", as_version=4)
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_both_code_exercise_templates_run_and_say_not_answered_yet():
    templates = [cell.source.split("(")[0].removeprefix("def ") for cell in _notebook_code_cells()
                 if "raise NotImplementedError" in cell.source]
    assert sorted(templates) == ["backward", "backward_fork"]
    checked = []
    for cell in _notebook_code_cells():
        for name in templates:
            if cell.source.strip() == f"check.{name}({name})":
                printed = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs)
                assert printed.startswith(f"Not answered yet. Replace `raise NotImplementedError` in {name} with your "
                                          "code, then run both cells again."), (name, printed)
                checked.append(name)
    assert sorted(checked) == ["backward", "backward_fork"]


def test_every_answer_template_is_unanswered_and_the_fork_checks_come_first():
    calls = [re.search(r"check\.(\w+)\(", c.source).group(1) for c in _notebook_code_cells()
             if re.search(r"check\.\w+\((answer|\w+)\)", c.source)]
    assert calls == ["dL_dh1", "backward_fork", "gradient_shape", "delta_1", "backward", "vanishing_bound",
                     "finite_difference_evaluations"]
    for cell in _notebook_code_cells():
        if "check." in cell.source and "answer" in cell.source:
            assert "answer = None  # your answer here\n" in cell.source, cell.source
