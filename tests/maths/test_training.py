"""Training: forward → loss → backward → update → repeat, replayable and safe when it blows up."""

import warnings

import numpy as np
import pytest

from helpers.network import Network
from helpers.tiny import EXAMPLE_WEIGHTS, TwoTwoOne
from helpers.training import (
    DIVERGED_LOSS,
    History,
    TinyPath,
    accuracy,
    descend_tiny,
    is_classifier,
    predict_labels,
    train,
)


def blobs(n=40, seed=0):
    """Two well separated clouds of points: label 0 around (−2, −2), label 1 around (2, 2)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    X = rng.normal(0.0, 0.7, size=(n, 2)) + np.where(labels[:, None] == 1, 2.0, -2.0)
    return X, labels


def regression(n=32, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.5, -2.0, 0.5]) + 0.3


# --- replayable ---------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_history_number_for_number():
    X, y = blobs()
    runs = [train(Network([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=3), X, y,
                  eta=0.5, epochs=15, batch_size=8, seed=11) for _ in range(2)]
    assert runs[0].loss == runs[1].loss
    assert runs[0].accuracy == runs[1].accuracy


def test_a_different_shuffling_seed_changes_the_mini_batch_path():
    X, y = blobs()
    a = train(Network([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=3), X, y,
              eta=0.5, epochs=5, batch_size=8, seed=1)
    b = train(Network([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=3), X, y,
              eta=0.5, epochs=5, batch_size=8, seed=2)
    assert a.loss[0] == b.loss[0]
    assert a.loss[1:] != b.loss[1:]


def test_training_changes_the_network_in_place_and_leaves_a_copy_alone():
    X, y = regression()
    net = Network([3, 1], "linear", "mse", seed=0)
    twin = net.copy()
    before = net.parameters()
    train(net, X, y, eta=0.1, epochs=3)
    assert not np.array_equal(net.parameters(), before)
    np.testing.assert_array_equal(twin.parameters(), before)


# --- it learns ----------------------------------------------------------------------------------


def test_loss_goes_down_and_accuracy_reaches_one_on_separable_points():
    X, y = blobs()
    net = Network([2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=0)
    history = train(net, X, y, eta=0.5, epochs=50)
    assert isinstance(history, History)
    assert not history.diverged
    assert history.epochs == 50 and len(history.loss) == 51
    assert history.loss[-1] < 0.1 * history.loss[0]
    # Full-batch gradient descent with a modest η goes downhill at every step here.
    assert all(b <= a for a, b in zip(history.loss, history.loss[1:]))
    assert history.accuracy[-1] == 1.0
    assert accuracy(net, X, y) == 1.0
    np.testing.assert_array_equal(predict_labels(net, X), y)


def test_the_first_loss_is_recorded_before_any_update():
    X, y = regression()
    net = Network([3, 1], "linear", "mse", seed=0)
    start = net.loss_value(X, y)
    history = train(net, X, y, eta=0.05, epochs=1)
    assert history.loss[0] == start
    assert history.loss[1] == net.loss_value(X, y)


def test_zero_epochs_only_records_the_starting_point():
    X, y = regression()
    net = Network([3, 1], "linear", "mse", seed=0)
    before = net.parameters()
    history = train(net, X, y, eta=0.05, epochs=0)
    assert history.epochs == 0 and len(history.loss) == 1
    np.testing.assert_array_equal(net.parameters(), before)


@pytest.mark.parametrize("batch_size", [None, 1, 5, 32, 100])
def test_every_batch_size_learns_a_line(batch_size):
    X, y = regression()
    net = Network([3, 1], "linear", "mse", seed=0)
    history = train(net, X, y, eta=0.05, epochs=40, batch_size=batch_size, seed=0)
    assert not history.diverged
    assert history.loss[-1] < 0.05 * history.loss[0]


def test_one_epoch_makes_one_update_per_batch():
    X, y = regression(n=10)
    # With batch_size=None (the whole set) one epoch is exactly one gradient step.
    net = Network([3, 1], "linear", "mse", seed=0)
    by_hand = net.copy()
    train(net, X, y, eta=0.1, epochs=1)
    by_hand.step(by_hand.gradients(X, y)[1], 0.1)
    np.testing.assert_allclose(net.parameters(), by_hand.parameters(), rtol=1e-14)
    # Batches of 4 out of 10 samples: 3 updates (4 + 4 + 2), each on a shuffled batch.
    seen = []
    net = Network([3, 1], "linear", "mse", seed=0)
    original = net.step
    net.step = lambda grads, eta: (seen.append(eta), original(grads, eta))
    train(net, X, y, eta=0.1, epochs=2, batch_size=4)
    assert len(seen) == 6


def test_classifiers_record_accuracy_and_test_scores():
    X, y = blobs(60)
    X_train, y_train, X_test, y_test = X[:40], y[:40], X[40:], y[40:]
    net = Network([2, 4, 2], ["relu", "softmax"], "cross_entropy", seed=1)
    assert is_classifier(net)
    history = train(net, X_train, y_train, eta=0.3, epochs=20, batch_size=10, X_test=X_test, y_test=y_test)
    assert len(history.accuracy) == len(history.test_loss) == len(history.test_accuracy) == 21
    assert all(0.0 <= a <= 1.0 for a in history.accuracy + history.test_accuracy)
    assert history.test_accuracy[-1] == accuracy(net, X_test, y_test)
    assert history.test_loss[-1] == pytest.approx(net.loss_value(X_test, y_test), rel=1e-12)
    assert history.accuracy[-1] == 1.0


def test_regression_records_no_accuracy():
    X, y = regression()
    net = Network([3, 1], "linear", "squared_error", seed=0)
    assert not is_classifier(net)
    history = train(net, X, y, eta=0.01, epochs=3)
    assert history.accuracy == [] and history.test_accuracy == []


def test_accuracy_counts_the_fraction_of_right_labels():
    # One sigmoid output: predict 1 when ŷ > 0.5, i.e. when x > 0 for W = 1, b = 0.
    net = Network.from_weights([[[1.0]]], [[0.0]], "sigmoid", "binary_cross_entropy")
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    np.testing.assert_array_equal(predict_labels(net, X), [0, 0, 1, 1])
    assert accuracy(net, X, [0, 0, 1, 1]) == 1.0
    assert accuracy(net, X, [0, 1, 1, 1]) == 0.75
    assert accuracy(net, X, [1, 1, 0, 0]) == 0.0


def test_callback_is_called_after_every_epoch():
    X, y = regression()
    calls = []
    train(Network([3, 1], "linear", "mse"), X, y, eta=0.01, epochs=4,
          callback=lambda epoch, history: calls.append((epoch, len(history.loss))))
    assert calls == [(1, 2), (2, 3), (3, 4), (4, 5)]


# --- too large a learning rate ------------------------------------------------------------------


@pytest.mark.parametrize("sizes, activations", [
    ([3, 1], ["linear"]),
    ([3, 8, 1], ["relu", "linear"]),
    ([3, 8, 1], ["tanh", "linear"]),
    ([3, 8, 8, 1], ["relu", "relu", "linear"]),
])
@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_a_huge_learning_rate_reports_diverged_without_raising_or_warning(sizes, activations, batch_size, capsys):
    X, y = regression(64)
    net = Network(sizes, activations, "squared_error", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(net, X, y, eta=1e6, epochs=50, batch_size=batch_size)
    assert history.diverged
    assert history.epochs < 50
    assert all(np.isfinite(history.loss)) and max(history.loss) <= DIVERGED_LOSS
    assert capsys.readouterr() == ("", "")


def test_a_diverging_run_with_test_data_also_stops_quietly(capsys):
    X, y = blobs(40)
    net = Network([2, 6, 1], ["linear", "linear"], "mse", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(net, X[:30], y[:30], eta=1e8, epochs=30, batch_size=3, X_test=X[30:], y_test=y[30:])
    assert history.diverged
    assert len(history.test_loss) == len(history.loss)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("kind", ["binary", "softmax"])
def test_recorded_accuracy_read_from_the_loss_pass_equals_accuracy_called_each_epoch(kind):
    # train() reads each epoch's accuracy from the forward pass its loss ran; a network with its own
    # forward() gets accuracy() called each epoch instead. Both histories must agree exactly.
    class OwnForward(Network):
        def forward(self, X):
            return super().forward(X)

    X, y = blobs(60, seed=3)
    X_test, y_test = blobs(24, seed=4)
    sizes, acts, loss = ([2, 5, 1], ["tanh", "sigmoid"], "binary_cross_entropy") if kind == "binary" else \
        ([2, 5, 2], ["relu", "softmax"], "cross_entropy")
    runs = [train(cls(sizes, acts, loss, seed=2), X, y, eta=0.3, epochs=25, batch_size=16, seed=1,
                  X_test=X_test, y_test=y_test) for cls in (Network, OwnForward)]
    fast, called = runs
    assert fast.accuracy == called.accuracy and fast.test_accuracy == called.test_accuracy
    assert fast.loss == called.loss and fast.test_loss == called.test_loss
    assert len(set(fast.accuracy)) > 1  # the accuracy does change over the run


# --- the 2-2-1 network's descent ----------------------------------------------------------------


def test_descend_tiny_reduces_the_loss_over_1000_steps():
    path = descend_tiny(TwoTwoOne(), eta=0.5, steps=1000)
    assert isinstance(path, TinyPath)
    assert not path.diverged
    assert path.weights.shape == (1001, 4) and path.loss.shape == (1001,) and path.y_hat.shape == (1001,)
    np.testing.assert_array_equal(path.weights[0], list(EXAMPLE_WEIGHTS.values()))
    assert round(path.y_hat[0], 2) == 0.70 and round(path.y_hat[1], 2) == 0.85
    assert path.loss[0] == pytest.approx(0.09, abs=1e-5)
    assert path.loss[-1] < 1e-6
    assert round(path.y_hat[-1], 2) == 1.0


def test_descend_tiny_follows_step_exactly():
    path = descend_tiny(TwoTwoOne(), eta=0.5, steps=3)
    net = TwoTwoOne()
    for row in path.weights:
        np.testing.assert_array_equal(row, [net.w1, net.w2, net.w3, net.w4])
        net = net.step(0.5)


def test_descend_tiny_reports_diverged_for_a_huge_learning_rate(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = descend_tiny(TwoTwoOne(), eta=1e6, steps=100)
    assert path.diverged
    assert len(path.loss) < 101
    assert np.all(np.isfinite(path.weights)) and np.all(np.isfinite(path.loss))
    assert capsys.readouterr() == ("", "")


def test_descend_tiny_with_zero_steps_is_just_the_start():
    path = descend_tiny(TwoTwoOne(), eta=0.5, steps=0)
    assert path.weights.shape == (1, 4) and not path.diverged


def test_descend_tiny_moves_only_the_free_weights():
    path = descend_tiny(TwoTwoOne(), eta=0.5, steps=5, free=("w3", "w4"))
    start = [EXAMPLE_WEIGHTS[n] for n in ("w1", "w2", "w3", "w4")]
    np.testing.assert_array_equal(path.weights[:, :2], np.tile(start[:2], (6, 1)))   # w1, w2 held
    assert np.all(path.weights[1:, 2:] != path.weights[:-1, 2:])                      # w3, w4 move
    # One step by hand: w3 ← w3 − η ∂L/∂w3, with ∂L/∂w3 of the example.
    g = TwoTwoOne().gradients()
    assert path.weights[1, 2] == pytest.approx(EXAMPLE_WEIGHTS["w3"] - 0.5 * g["w3"])
    assert np.all(np.diff(path.loss) < 0)


def test_descend_tiny_with_one_free_weight_accepts_its_name_alone():
    one = descend_tiny(TwoTwoOne(), eta=0.2, steps=3, free="w4")
    as_tuple = descend_tiny(TwoTwoOne(), eta=0.2, steps=3, free=("w4",))
    np.testing.assert_array_equal(one.weights, as_tuple.weights)
    assert np.all(one.weights[:, :3] == one.weights[0, :3])


@pytest.mark.parametrize("eta", [0.001, 0.5, 3.0, 5.0, 6.0, 8.0, 1e6])
@pytest.mark.parametrize("free", [("w1", "w2", "w3", "w4"), ("w4",), ("w1", "w3"), ("w2",)])
def test_descend_tiny_fast_loop_equals_one_chain_per_step_to_the_last_bit(eta, free):
    # descend_tiny runs a plain TwoTwoOne on floats; a subclass goes through chain() step by step.
    # Both must give the same numbers, bit for bit (notebook 05 prints them), diverged runs included.
    class SameChain(TwoTwoOne):
        pass

    rng = np.random.default_rng(len(free))
    for start, sample in [({}, {}), (dict(zip(("w1", "w2", "w3", "w4"), rng.normal(0, 2, 4))),
                                     dict(zip(("x1", "x2", "y"), rng.normal(0, 2, 3))))]:
        fast = descend_tiny(TwoTwoOne(**start), eta, 400, free=free, **sample)
        slow = descend_tiny(SameChain(**start), eta, 400, free=free, **sample)
        assert fast.diverged == slow.diverged
        for a, b in ((fast.weights, slow.weights), (fast.loss, slow.loss), (fast.y_hat, slow.y_hat)):
            assert a.shape == b.shape and a.tobytes() == b.tobytes()


def test_descend_tiny_rejects_an_unknown_free_weight():
    with pytest.raises(ValueError, match="free must be one of"):
        descend_tiny(TwoTwoOne(), eta=0.5, steps=3, free=("w5",))
