"""Counts a learner types have a stated upper bound, long runs can be stopped, and stopping leaves a clean state:
train puts back the weights of its last finished epoch, descend_tiny never changed the network."""

import tracemalloc

import numpy as np
import pytest

from helpers import Network, TwoTwoOne, descend_tiny, train
from helpers.training import MAX_EPOCHS, MAX_STEPS, MAX_UPDATES, TrainingInterrupted


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def _net():
    return Network([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=0)


def test_descend_tiny_refuses_more_than_a_million_steps_naming_the_bound_and_the_value():
    assert MAX_STEPS == 1_000_000
    with pytest.raises(ValueError, match=r"steps must be at most 1,000,000 .*but got 3,000,000"):
        descend_tiny(TwoTwoOne(), 0.5, steps=3_000_000)
    with pytest.raises(ValueError, match=r"steps must be at most 1,000,000 .*but got 1,000,000,000"):
        descend_tiny(TwoTwoOne(), 0.5, steps=10**9)


def test_a_path_of_200000_steps_keeps_six_float64_numbers_a_step():
    tracemalloc.start()
    try:
        path = descend_tiny(TwoTwoOne(), 0.5, steps=200_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert path.weights.shape == (200_001, 4) and path.loss.shape == path.y_hat.shape == (200_001,)
    assert peak < 1.2 * 48 * 200_001  # 9.6 MB of numbers; lists of Python floats took about 300 bytes a step


def test_the_compact_path_gives_the_same_numbers_as_stepping_by_hand():
    path = descend_tiny(TwoTwoOne(), 0.5, steps=3)
    net = TwoTwoOne()
    for row in range(4):
        assert path.weights[row].tolist() == [net.w1, net.w2, net.w3, net.w4]
        assert path.loss[row] == net.loss()
        net = net.step(0.5)


def test_train_refuses_more_than_100000_epochs_and_a_million_updates():
    X, y = _data()
    assert (MAX_EPOCHS, MAX_UPDATES) == (100_000, 1_000_000)
    with pytest.raises(ValueError, match=r"epochs must be at most 100,000 .*but got 1,000,000,000"):
        train(_net(), X, y, eta=0.5, epochs=10**9)
    with pytest.raises(ValueError, match=r"at most 1,000,000 updates, but 100,000 epochs of 40 batches "
                                         r"\(40 samples, batch_size 1\) make 4,000,000"):
        train(_net(), X, y, eta=0.5, epochs=100_000, batch_size=1)


def test_a_callback_that_interrupts_after_epoch_3_leaves_the_weights_and_history_of_epoch_3():
    X, y = _data()
    after_3 = _net()
    train(after_3, X, y, eta=0.5, epochs=3, batch_size=8, seed=1)

    def stop_at_3(epoch, history):
        if epoch == 3:
            raise KeyboardInterrupt

    net = _net()
    with pytest.raises(TrainingInterrupted, match=r"after 3 of 10 epochs.*weights it had after epoch 3;") as stopped:
        train(net, X, y, eta=0.5, epochs=10, batch_size=8, seed=1, callback=stop_at_3)
    assert "undone" not in str(stopped.value)
    assert isinstance(stopped.value, KeyboardInterrupt)
    assert stopped.value.result.epochs == 3 and len(stopped.value.result.accuracy) == 4
    for l in net.W:
        np.testing.assert_array_equal(net.W[l], after_3.W[l])
        np.testing.assert_array_equal(net.b[l], after_3.b[l])


def test_an_interruption_in_the_middle_of_an_epoch_undoes_that_epoch():
    X, y = _data()
    after_2 = _net()
    train(after_2, X, y, eta=0.5, epochs=2, batch_size=8, seed=1)

    class StopsMidway(Network):
        steps = 0

        def step(self, grads, eta):
            StopsMidway.steps += 1
            if StopsMidway.steps == 13:  # the third update of epoch 3 (5 batches an epoch)
                self.W[1] = self.W[1] - eta * grads.dL_dW[1]  # half an update, then the stop button
                raise KeyboardInterrupt
            super().step(grads, eta)

    net = _net()
    net.__class__ = StopsMidway
    with pytest.raises(TrainingInterrupted, match=r"after 2 of 10 epochs.*the unfinished epoch 3 was undone") as stopped:
        train(net, X, y, eta=0.5, epochs=10, batch_size=8, seed=1)
    assert stopped.value.result.epochs == 2
    for l in net.W:
        np.testing.assert_array_equal(net.W[l], after_2.W[l])
        np.testing.assert_array_equal(net.b[l], after_2.b[l])


def test_stopping_descend_tiny_says_how_far_it_got_and_returns_that_path():
    from interrupts import stop_button

    with stop_button("tiny.py", "training.py"), pytest.raises(
            TrainingInterrupted, match=r"descend_tiny stopped after [\d,]+ of 1,000,000 steps.*Your network is unchanged"
    ) as stopped:
        descend_tiny(TwoTwoOne(), 0.5, steps=MAX_STEPS)
    path = stopped.value.result
    assert 0 < len(path.loss) < MAX_STEPS + 1
    assert path.weights.shape == (len(path.loss), 4) and path.y_hat.shape == path.loss.shape
    assert path.weights[0].tolist() == list(TwoTwoOne().weights.values())


def test_no_progress_bar_outside_a_notebook_and_none_for_short_runs():
    from helpers.training import _ProgressBar
    assert _ProgressBar(10**6, "steps", None).bar is None   # not in a notebook's kernel
    assert _ProgressBar(10**6, "steps", False).bar is None
