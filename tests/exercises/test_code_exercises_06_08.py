"""The code exercises of notebooks 06, 07 and 08: the worked solutions pass, every slip a check names
gets that hint and not "Correct", and odd functions (raising, None, wrong shape, endless) get a plain hint."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

from feedback import wrong_with
from helpers import Network, bugs, codecheck, train
from helpers.checks import CORRECT, UNANSWERED, WRONG
from helpers.exercises import nb06, nb06_fork, nb07, nb08
from helpers.gradcheck import AGREE, check_backward_function

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

CHECKS = [
    (nb06.backward_fork, nb06_fork.backward_fork_solution, nb06_fork.FORK_SLIPS),
    (nb06.backward, nb06.backward_solution, nb06.BACKWARD_SLIPS + nb06.SQUARE_SLIPS),
    (nb07.train_loop, nb07.train_loop_solution, nb07.TRAIN_LOOP_SLIPS),
    (nb07.softmax_delta, nb07.softmax_delta_solution, nb07.SOFTMAX_DELTA_SLIPS),
    (nb08.fixed_backward, nb08.fixed_backward_solution, nb08.HUNT_SLIPS + nb08.HUNT_SQUARE_SLIPS),
]
IDS = ["nb06.backward_fork", "nb06.backward", "nb07.train_loop", "nb07.softmax_delta", "nb08.fixed_backward"]


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_the_worked_solution_passes(exercise, solution, slips):
    assert exercise(solution).status == CORRECT


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_each_slip_gets_its_own_hint_and_not_correct(exercise, solution, slips):
    assert len({s.hint for s in slips}) == len(slips)
    for slip in slips:
        wrong_with(exercise(slip.function), slip.hint)


@pytest.fixture
def short_time_limit(monkeypatch):
    """A never-ending function is stopped after 0.3 s instead of the learner's 2 s (which
    test_a_never_ending_function_waits_the_learners_full_two_seconds keeps checking)."""
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def forever(*args):
    while True:
        pass


@pytest.mark.parametrize("exercise, solution, slips", CHECKS, ids=IDS)
def test_unanswered_none_raising_and_endless_functions_get_plain_hints(exercise, solution, slips, short_time_limit):
    def template(*args):
        raise NotImplementedError

    assert exercise(None).status == UNANSWERED
    assert exercise(template).status == UNANSWERED
    wrong_with(exercise(lambda *args: None), "returned None")
    wrong_with(exercise(lambda *args: 1 / 0), "ZeroDivisionError")
    wrong_with(exercise(lambda *args: "text"), "Expected")
    wrong_with(exercise(forever), "did not finish within 0.3 seconds")
    wrong_with(exercise(lambda x: x), "must take")


def test_a_never_ending_function_waits_the_learners_full_two_seconds():
    assert codecheck.TIME_LIMIT == 2.0
    started = time.perf_counter()
    feedback = nb07.softmax_delta(forever)
    assert time.perf_counter() - started >= 1.9
    wrong_with(feedback, "did not finish within 2 seconds")


def test_the_backward_loop_is_net_backward_on_every_case():
    for case in nb06._loop_cases():
        net, fp, Y = case.make()
        grads = net.backward(fp, Y)
        dW, db = nb06.backward_solution(net, fp, Y)
        for l in net.W:
            np.testing.assert_allclose(dW[l], grads.dL_dW[l], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(db[l], grads.dL_db[l], rtol=1e-12, atol=1e-15)


def test_the_hidden_networks_are_of_several_shapes_and_not_square():
    sizes = [c.show for c in nb06._loop_cases()[1:]]
    assert len(set(sizes)) == len(sizes)
    assert any(len(s.split("],")[0].split(",")) > 4 for s in sizes)  # some deeper than two layers


def test_wrong_shapes_of_the_backward_loop_get_a_hint_naming_the_shape():
    def transposed(net, fp, Y):
        dW, db = nb06.backward_solution(net, fp, Y)
        return {l: w.T for l, w in dW.items()}, db

    wrong_with(nb06.backward(transposed), "δ[", "ᵀ · a[")

    def stops_at_layer_2(net, fp, Y):
        dW, db = nb06.backward_solution(net, fp, Y)
        del dW[1], db[1]
        return dW, db

    wrong_with(nb06.backward(stops_at_layer_2), "no entry for layer 1", "range(net.depth, 0, -1)")

    def per_sample_bias(net, fp, Y):
        dW, db = nb06.backward_solution(net, fp, Y)
        return dW, {l: np.tile(b, (len(Y), 1)) for l, b in db.items()}

    wrong_with(nb06.backward(per_sample_bias), "sum(axis=0)")


def test_a_gradients_object_is_accepted_too():
    from helpers.network import Gradients

    def backward(net, fp, Y):
        dL_dW, dL_db = nb06.backward_solution(net, fp, Y)
        return Gradients(dL_dW, dL_db)

    assert nb06.backward(backward).ok


def test_the_worked_training_loop_gives_helpers_trains_history_from_the_same_seed():
    for case in nb07._train_loop_cases():
        net, X, Y, eta, epochs, batch_size, seed = case.make()
        mine = nb07.train_loop_solution(net.copy(), X, Y, eta, epochs, batch_size, seed)
        theirs = train(net.copy(), X, Y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed).loss
        assert mine == theirs
        assert len(mine) == epochs + 1 and mine[-1] < mine[0]


def test_a_loop_without_the_starting_loss_is_told_how_many_it_needs():
    def late(net, X, Y, eta, epochs, batch_size, seed):
        return nb07.train_loop_solution(net, X, Y, eta, epochs, batch_size, seed)[1:]

    wrong_with(nb07.train_loop(late), "the loss before any update")


def test_every_hidden_run_has_a_shorter_last_batch():
    for case in nb07._train_loop_cases()[1:]:
        _, X, _, _, _, batch_size, _ = case.make()
        assert len(X) % batch_size != 0


def test_softmax_delta_is_the_gradient_of_the_mean_cross_entropy_by_nudging():
    from helpers.losses import softmax_cross_entropy
    eps = 1e-6
    for case in nb07._delta_cases():
        z, Y = case.make()
        numerical = np.zeros_like(z)
        for index in np.ndindex(z.shape):
            up, down = z.copy(), z.copy()
            up[index] += eps
            down[index] -= eps
            numerical[index] = (softmax_cross_entropy(up, Y) - softmax_cross_entropy(down, Y)) / (2 * eps)
        np.testing.assert_allclose(nb07.softmax_delta_solution(z, Y), numerical, rtol=1e-6, atol=1e-9)


def test_softmax_delta_shapes_get_a_hint():
    wrong_with(nb07.softmax_delta(lambda z, Y: nb07.softmax_delta_solution(z, Y).T), "transposed")
    wrong_with(nb07.softmax_delta(lambda z, Y: nb07.softmax_delta_solution(z, Y).sum(axis=0)), "shape of z")


def test_a_softmax_summed_over_the_whole_batch_is_told_to_sum_each_row():
    def whole_array(z, Y):  # the slip as a learner types it: no axis, so one sum over every sample
        p = np.exp(z) / np.exp(z).sum()
        return (p - Y) / len(z)

    def without_the_shift(z, Y):  # the right softmax, written without subtracting the row's largest logit
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return (p - Y) / len(z)

    wrong_with(nb07.softmax_delta(whole_array), "one sum over the whole array", "axis=1")
    assert nb07.softmax_delta(without_the_shift).status == CORRECT


def test_the_planted_bug_fails_the_hidden_layers_and_passes_the_output():
    net = nb08.hunt_network()
    X, y = nb08.hunt_data()
    buggy = check_backward_function(nb08.backward_with_the_bug, net, X, y)
    assert buggy.failing == [(1, "W"), (1, "b"), (2, "W"), (2, "b")]
    assert buggy.errors[(3, "W")] < AGREE and buggy.errors[(3, "b")] < AGREE
    fixed = check_backward_function(nb08.fixed_backward_solution, net, X, y)
    assert fixed.verdict == "agree"


def test_the_planted_bug_is_none_of_the_six_demonstrated():
    net = nb08.hunt_network()
    X, y = nb08.hunt_data()
    Y = net.check_targets(y, len(y))
    fp = net.forward(X)
    missing = nb08.HUNT_SLIPS[1].function(net, fp, Y)
    buggy = nb08.backward_with_the_bug(net, fp, Y)
    assert not np.allclose(missing[0][1], buggy[0][1])
    assert nb08.fixed_backward(nb08.backward_with_the_bug).message == nb08.HUNT_SLIPS[0].hint


def test_check_backward_function_refuses_what_is_not_a_backward_pass():
    net = nb08.hunt_network()
    X, y = nb08.hunt_data()
    with pytest.raises(TypeError, match="backward must"):
        check_backward_function(None, net, X, y)
    with pytest.raises(TypeError, match="two dicts"):
        check_backward_function(lambda net, fp, Y: None, net, X, y)
    with pytest.raises(ValueError, match="no entry for layer 1"):
        check_backward_function(lambda net, fp, Y: ({}, {}), net, X, y)


def _notebook_cells(name):
    return json.loads((NOTEBOOKS / name).read_text())["cells"]


def _solutions(name):
    return {m.group(1).split("(")[0]: m.group(0) for cell in _notebook_cells(name) if cell["cell_type"] == "markdown"
            for m in re.finditer(r"def (\w+)\(.*?(?=```)", "".join(cell["source"]), re.S)
            if "<summary>Worked solution</summary>" in "".join(cell["source"])}


@pytest.mark.parametrize("notebook, name, exercise", [
    ("06_backprop_any_depth.ipynb", "backward_fork", nb06.backward_fork),
    ("06_backprop_any_depth.ipynb", "backward", nb06.backward),
    ("07_cat_or_dog.ipynb", "train_loop", nb07.train_loop),
    ("07_cat_or_dog.ipynb", "softmax_delta", nb07.softmax_delta),
    ("08_debugging_gradients.ipynb", "fixed_backward", nb08.fixed_backward),
])
def test_the_worked_solutions_printed_in_the_notebooks_pass_their_checks(notebook, name, exercise):
    from helpers import sigmoid_derivative
    namespace = {"np": np, "sigmoid_derivative": sigmoid_derivative}
    exec(_solutions(notebook)[name], namespace)
    assert exercise(namespace[name]).status == CORRECT


def test_the_bug_hunt_cell_holds_the_planted_bug():
    source = next("".join(c["source"]) for c in _notebook_cells("08_debugging_gradients.ipynb")
                  if c["cell_type"] == "code" and "def backward(net, fp, Y)" in "".join(c["source"]))
    namespace = {"np": np}
    exec(source, namespace)
    assert nb08.fixed_backward(namespace["backward"]).message == nb08.HUNT_SLIPS[0].hint


def test_the_hunts_relative_errors_are_those_the_teachers_guide_quotes():
    net = nb08.hunt_network()
    X, y = nb08.hunt_data()
    errors = check_backward_function(nb08.backward_with_the_bug, net, X, y).errors
    assert 0.04 < errors[(2, "W")] < 0.06 and 0.4 < errors[(1, "W")] < 0.6   # "at 0.05 and 0.5"


def _with_worked_solutions(name):
    """Notebook `name` with every exercise cell holding its worked solution, as a learner would type it."""
    import nbformat
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    filled = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "<summary>Worked solution</summary>" not in cell.source:
            continue
        block = re.search(r"```python\n(.*?)```", cell.source, re.S)
        inline = re.search(r"In code: `(answer = [^`]*)`", cell.source)
        solution = block.group(1) if block else inline.group(1)
        j = next(k for k in range(i - 1, -1, -1) if nb.cells[k].cell_type == "code"
                 and ("answer = None" in nb.cells[k].source or "raise NotImplementedError" in nb.cells[k].source))
        if "raise NotImplementedError" in nb.cells[j].source:
            nb.cells[j].source = solution
        else:
            nb.cells[j].source = re.sub(r"^answer = None  # your answer here.*$", solution.strip(),
                                        nb.cells[j].source, count=1, flags=re.M)
        filled += 1
    return nb, filled


FILLED_IN = {"06_backprop_any_depth.ipynb": 7, "07_cat_or_dog.ipynb": 7, "08_debugging_gradients.ipynb": 5,
             "09_debugging_training.ipynb": 5}


@pytest.fixture(scope="module")
def filled_in_runs():
    """Each notebook of FILLED_IN with its worked solutions typed in, run to the end in a fresh kernel of
    its own; the four kernels run at once (each is its own process). {name: (nb, filled, error)}."""
    from nbclient import NotebookClient

    async def run(name):
        nb = filled = None
        try:
            nb, filled = _with_worked_solutions(name)
            await NotebookClient(nb, timeout=120, kernel_name="python3",
                                 resources={"metadata": {"path": str(NOTEBOOKS)}}).async_execute()
            return name, (nb, filled, None)
        except Exception as exc:  # reported by that notebook's test, not the others'
            return name, (nb, filled, exc)

    async def run_all():
        return dict(await asyncio.gather(*(run(name) for name in FILLED_IN)))

    # In a thread of its own: on a worker that has run browser tests, Playwright's event loop runs in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run_all()).result()


@pytest.mark.parametrize("name, exercises", list(FILLED_IN.items()))
def test_filling_in_every_worked_solution_gets_correct_from_every_check(name, exercises, filled_in_runs):
    nb, filled, error = filled_in_runs[name]
    if nb is None:
        raise error
    assert filled == exercises
    if error is not None:
        raise error
    verdicts = [(cell.outputs[-1].get("data", {}).get("text/plain", "") if cell.outputs else "")
                for cell in nb.cells if cell.cell_type == "code" and re.search(r"check\.\w+\((answer|\w+)\)", cell.source)]
    assert len(verdicts) == exercises
    assert all(v.startswith("Correct!") for v in verdicts), verdicts


def test_the_backward_pass_costs_the_teachers_guide_quotes():
    from helpers import gradient_costs
    costs = gradient_costs(Network([3, 4, 4, 1]), n_samples=5)
    assert (costs["forward"], costs["backward"]) == (160, 260)
    deep = gradient_costs(Network([64] * 12), n_samples=5)
    assert 1.8 < deep["backward"] / deep["forward"] < 2.0      # tends to twice the forward pass


def test_the_training_loop_exercise_states_the_checks_settings():
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in _notebook_cells("07_cat_or_dog.ipynb"))
    e = nb07.LOOP_EXAMPLE
    assert (f"({e['epochs']} epochs, batches of {e['batch_size']}, $\\eta = {e['eta']}$, seed {e['seed']})") in text
