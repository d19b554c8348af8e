"""The learning slowdown of notebook 07: one sigmoid neuron, squared error against cross-entropy."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import losses  # noqa: E402
from helpers.activations import sigmoid  # noqa: E402
from helpers.checks import CORRECT, UNANSWERED, WRONG  # noqa: E402
from helpers.exercises import nb07_slowdown  # noqa: E402
from helpers.slowdown import (  # noqa: E402
    LOSS_NAMES, NeuronHistory, example_runs, neuron_gradients, neuron_loss, output_delta, slowdown_plot, train_neuron,
)

EPS = 1e-6


def _random_cases(seed, n=400):
    rng = np.random.default_rng(seed)
    w, b, x = rng.uniform(-3, 3, n), rng.uniform(-3, 3, n), rng.uniform(-2, 2, n)
    y = np.where(rng.random(n) < 0.3, rng.integers(0, 2, n), rng.random(n))  # one-hot-like and soft targets
    return w, b, x, y.astype(np.float64)


def _relative_error(a, b):
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_delta_equals_centred_finite_differences_of_the_loss_in_float64(loss):
    w, b, x, y = _random_cases(seed=7)
    z = w * x + b
    nudged = (neuron_loss(z + EPS, y, loss) - neuron_loss(z - EPS, y, loss)) / (2 * EPS)
    assert nudged.dtype == np.float64
    assert np.max(_relative_error(output_delta(z, y, loss), nudged)) < 1e-6


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_weight_and_bias_gradients_equal_finite_differences_in_w_and_b(loss):
    for w, b, x, y in zip(*_random_cases(seed=11, n=200)):
        dL_dw, dL_db = neuron_gradients(w, b, x, y, loss)
        by_w = (neuron_loss((w + EPS) * x + b, y, loss) - neuron_loss((w - EPS) * x + b, y, loss)) / (2 * EPS)
        by_b = (neuron_loss(w * x + b + EPS, y, loss) - neuron_loss(w * x + b - EPS, y, loss)) / (2 * EPS)
        assert abs(dL_dw - by_w) <= 1e-7 + 1e-6 * abs(by_w)
        assert abs(dL_db - by_b) <= 1e-7 + 1e-6 * abs(by_b)


def test_squared_error_delta_keeps_sigma_prime_and_cross_entropy_delta_cancels_it():
    z, y = np.array([-2.0, 0.5, 4.0]), np.array([1.0, 0.0, 0.0])
    a = 1 / (1 + np.exp(-z))
    assert np.allclose(output_delta(z, y, "half_squared_error"), (a - y) * a * (1 - a), rtol=1e-14)
    assert np.allclose(output_delta(z, y, "binary_cross_entropy"), a - y, rtol=1e-14)
    # At the notebook's confident start the two differ by 1/σ′(4) = 56.6.
    ratio = output_delta(4.0, 0.0, "binary_cross_entropy") / output_delta(4.0, 0.0, "half_squared_error")
    assert round(float(ratio), 1) == 56.6


def test_the_losses_are_the_course_losses_on_a_sigmoid_output():
    z, y = np.linspace(-5, 5, 21), np.linspace(0, 1, 21)
    a = sigmoid(z)
    for zi, ai, yi in zip(z, a, y):
        assert np.isclose(neuron_loss(zi, yi, "half_squared_error"), losses.half_squared_error(ai, yi), rtol=1e-12)
        assert np.isclose(neuron_loss(zi, yi, "binary_cross_entropy"), losses.binary_cross_entropy(ai, yi),
                          rtol=1e-9)


def test_binary_cross_entropy_delta_is_two_class_softmax_delta():
    for z in (-3.0, 0.5, 4.0):
        for label in (0, 1):
            grad = losses.softmax_cross_entropy_gradient(np.array([[0.0, z]]), np.array([label]))
            assert np.isclose(grad[0, 1], output_delta(z, float(label), "binary_cross_entropy"), rtol=1e-12)


def test_training_histories_are_deterministic_number_for_number():
    first, second = example_runs(), example_runs()
    assert first.keys() == second.keys()
    for key in first:
        for field in ("w", "b", "z", "a", "loss", "delta"):
            assert np.array_equal(getattr(first[key], field), getattr(second[key], field))


def test_each_step_of_training_is_w_minus_eta_delta_x():
    history = train_neuron(0.3, -0.2, 1.5, 1.0, "half_squared_error", eta=0.7, steps=5)
    assert history.steps == 5 and history.w.size == 6
    for k in range(5):
        assert np.isclose(history.w[k + 1], history.w[k] - 0.7 * history.delta[k] * 1.5, rtol=1e-15)
        assert np.isclose(history.b[k + 1], history.b[k] - 0.7 * history.delta[k], rtol=1e-15)


def test_squared_error_learns_slowest_when_it_is_most_wrong():
    runs = example_runs()
    steps = {key: history.steps_until(0.5) for key, history in runs.items()}
    # The numbers notebook 07 prints.
    assert steps == {("mildly wrong", "half_squared_error"): 6, ("mildly wrong", "binary_cross_entropy"): 2,
                     ("confidently wrong", "half_squared_error"): 65, ("confidently wrong", "binary_cross_entropy"): 3}
    assert round(runs["confidently wrong", "half_squared_error"].a[20], 3) == 0.973
    # Squared error: ten times more steps from the worse start. Cross-entropy: one more step at most.
    assert steps["confidently wrong", "half_squared_error"] >= 10 * steps["mildly wrong", "half_squared_error"]
    assert steps["confidently wrong", "binary_cross_entropy"] <= steps["mildly wrong", "binary_cross_entropy"] + 1
    # The cause: at the start, the more wrong neuron gets the smaller squared-error δ.
    confident, mild = runs["confidently wrong", "half_squared_error"], runs["mildly wrong", "half_squared_error"]
    assert confident.delta[0] < mild.delta[0] / 8


def test_squared_error_delta_for_target_0_is_largest_at_two_thirds():
    a = np.linspace(0.001, 0.999, 9981)
    delta = output_delta(np.log(a / (1 - a)), 0.0, "half_squared_error")
    assert abs(a[np.argmax(delta)] - 2 / 3) < 1e-3
    assert np.isclose(delta.max(), 4 / 27, rtol=1e-6)


def test_steps_until_says_none_when_the_loss_never_falls_that_far():
    history = train_neuron(2.0, 2.0, 1.0, 0.0, "half_squared_error", eta=0.5, steps=10)
    assert history.steps_until(0.5) is None


@pytest.mark.parametrize("call, error, words", [
    (lambda: output_delta(0.5, 0.0, "mse"), ValueError, "loss must be one of"),
    (lambda: output_delta(0.5, 1.5, "binary_cross_entropy"), ValueError, "between 0 and 1"),
    (lambda: output_delta("0.5", 0.0, "half_squared_error"), TypeError, "z must be a number"),
    (lambda: output_delta([0.5, 1.0, 2.0], [0.0, 1.0], "half_squared_error"), ValueError, "they must match"),
    (lambda: neuron_loss(np.nan, 0.0, "binary_cross_entropy"), ValueError, "NaN"),
    (lambda: neuron_gradients(None, 0.0, 1.0, 0.0, "half_squared_error"), TypeError, "w must be a real number"),
    (lambda: train_neuron(1.0, 1.0, 1.0, 0.0, "half_squared_error", eta=0.0, steps=10), ValueError, "eta"),
    (lambda: train_neuron(1.0, 1.0, 1.0, 0.0, "half_squared_error", eta=0.5, steps=0), ValueError, "steps"),
    (lambda: train_neuron(1.0, 1.0, 1.0, 0.0, "half_squared_error", eta=0.5, steps=2.5), TypeError, "steps"),
    (lambda: train_neuron(1.0, 1.0, 1.0, -0.1, "binary_cross_entropy", eta=0.5, steps=2), ValueError,
     "y is the target"),
    (lambda: train_neuron(1.0, 1.0, 1e200, 0.0, "binary_cross_entropy", eta=1e200, steps=3), ValueError,
     "stopped being finite"),
    (lambda: example_runs()["mildly wrong", "half_squared_error"].steps_until(2), ValueError, "fraction"),
    (lambda: slowdown_plot([1, 2]), TypeError, "runs must be a dict"),
])
def test_bad_input_gets_a_clear_error_naming_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_the_slowdown_plot_draws_every_run_and_both_deltas_with_labelled_axes():
    runs = example_runs()
    plot = slowdown_plot(runs)
    try:
        assert set(plot.output_lines) == set(runs) and set(plot.delta_lines) == set(LOSS_NAMES)
        for ax in (plot.output_ax, plot.delta_ax):
            assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
        line = plot.output_lines["confidently wrong", "half_squared_error"]
        assert np.array_equal(line.get_ydata(), runs["confidently wrong", "half_squared_error"].a)
        # Squared error solid, cross-entropy dashed: the losses are told apart by more than colour.
        assert line.get_linestyle() == "-"
        assert plot.output_lines["confidently wrong", "binary_cross_entropy"].get_linestyle() == "--"
        assert "a figure" in repr(plot)
    finally:
        plt.close(plot.fig)


def test_history_is_a_neuron_history():
    assert isinstance(example_runs()["mildly wrong", "binary_cross_entropy"], NeuronHistory)


# ---- The exercise: squared error's δ at a = 0.98, y = 0 ----

@pytest.mark.parametrize("answer", [0.019208, 0.0192, 0.98 * 0.98 * 0.02, 0.017345, np.float32(0.0192)])
def test_confident_delta_accepts_the_rounded_and_the_unrounded_start(answer):
    assert nb07_slowdown.confident_delta(answer).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (0.98, "cross-entropy's δ"),
    (0.0196, "σ′(z) = a(1 − a) = 0.98 × 0.02 on its own"),
    (0.038416, "twice the answer"),
    (-0.019208, "wrong sign"),
    (0.9604, "half of σ′(z)"),
    (0.245, "σ′ at its largest"),
    (0.02, "1 − a"),
])
def test_confident_delta_names_each_slip(answer, words):
    feedback = nb07_slowdown.confident_delta(answer)
    assert feedback.status == WRONG
    assert words in feedback.message


@pytest.mark.parametrize("answer", ["0.0192", [0.0192, 0.98], None, object(), float("nan"), 10**400])
def test_confident_delta_answers_odd_input_without_a_traceback(answer):
    feedback = nb07_slowdown.confident_delta(answer)
    assert feedback.status == (UNANSWERED if answer is None else WRONG)
