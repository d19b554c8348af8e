"""Notebook 07's training-loop check judges what a right loop does, not one random stream: any order of the
samples passes, and each broken property (pairing, update size, samples per epoch, recorded loss) is named."""

import numpy as np
import pytest

from feedback import wrong_with
from helpers.checks import CORRECT
from helpers.exercises import nb07


def _loop(order_of, *, scale=1.0, update_biases=True, shuffle_in_place=False):
    """A loop as a learner writes it, updating by hand; order_of(rng, n) gives each epoch's sample numbers."""
    def train_loop(net, X, Y, eta, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        losses = [net.loss_value(X, Y)]
        n = len(X)
        for epoch in range(epochs):
            if shuffle_in_place:  # X and Y each shuffled by its own draw: the pairs come apart
                rng.shuffle(X)
                rng.shuffle(Y)
                order = np.arange(n)
            else:
                order = order_of(rng, n)
            for start in range(0, n, batch_size):
                batch = order[start:start + batch_size]
                grads = net.backward(net.forward(X[batch]), Y[batch])
                for l in net.W:
                    net.W[l] -= scale * eta * grads.dL_dW[l]
                    if update_biases:
                        net.b[l] -= scale * eta * grads.dL_db[l]
            losses.append(net.loss_value(X, Y))
        return losses
    return train_loop


def _rng_shuffle(rng, n, kept={}):
    # One array of sample numbers, shuffled again in place every epoch (so from epoch 2 on its order is not
    # the rng.permutation(n) that train draws). `kept` holds it from one epoch to the next, per generator.
    order = kept.setdefault((id(rng), n), np.arange(n))
    rng.shuffle(order)
    return order


def _global_permutation(rng, n):
    return np.random.permutation(n)


def _fixed(rng, n):
    return np.arange(n)


@pytest.mark.parametrize("order_of", [_rng_shuffle, _global_permutation, _fixed], ids=["rng.shuffle",
                                                                                       "np.random.permutation",
                                                                                       "a fixed order"])
def test_a_right_loop_passes_whatever_order_it_walks_the_samples_in(order_of):
    assert nb07.train_loop(_loop(order_of)).status == CORRECT


@pytest.mark.parametrize("name", sorted(nb07.RIGHT_ORDERS))
def test_never_shuffling_and_remaking_the_generator_are_right_loops(name):
    feedback = nb07.train_loop(nb07.RIGHT_ORDERS[name])
    assert feedback.status == CORRECT
    assert "Any order of the samples passes" in feedback.message


def test_the_worked_solution_does_not_match_helpers_train_by_comparing_streams():
    # A loop drawing its order from another seed makes other numbers than train, and is still right.
    def other_seed(net, X, Y, eta, epochs, batch_size, seed):
        return nb07.train_loop_solution(net, X, Y, eta, epochs, batch_size, seed + 1)

    assert nb07.train_loop(other_seed).status == CORRECT


def test_a_loop_that_leaves_the_biases_alone_is_told_so():
    wrong_with(nb07.train_loop(_loop(_rng_shuffle, update_biases=False)), "never the biases b", "dL_db")


def test_an_update_too_large_by_the_batch_size_is_named_as_a_constant_factor():
    wrong_with(nb07.train_loop(_loop(_rng_shuffle, scale=25)), "Update 1", "in the right direction, 25 times as far")


def test_drawing_samples_with_replacement_is_told_every_sample_is_used_once_per_epoch():
    wrong_with(nb07.train_loop(_loop(lambda rng, n: rng.choice(n, n))), "In epoch 1", "exactly once")


def test_shuffling_x_and_y_by_separate_draws_is_told_the_pairs_come_apart():
    wrong_with(nb07.train_loop(_loop(None, shuffle_in_place=True)), "You shuffled X but not y")


def test_a_loop_that_never_updates_is_told_to_step():
    def frozen(net, X, Y, eta, epochs, batch_size, seed):
        return [net.loss_value(X, Y)] * (epochs + 1)

    wrong_with(nb07.train_loop(frozen), "never changed the network's weights")


def test_two_passes_per_epoch_are_counted():
    def twice(net, X, Y, eta, epochs, batch_size, seed):
        return nb07.train_loop_solution(net, X, Y, eta, 2 * epochs, batch_size, seed)[::2]

    wrong_with(nb07.train_loop(twice), "54 updates in 3 epochs", "27 updates")


def test_a_loss_that_is_not_the_whole_sets_is_named_with_both_numbers():
    def rounded(net, X, Y, eta, epochs, batch_size, seed):
        losses = nb07.train_loop_solution(net, X, Y, eta, epochs, batch_size, seed)
        return losses[:1] + [round(v, 2) for v in losses[1:]]

    wrong_with(nb07.train_loop(rounded), "losses[1] is 0.", "after epoch 1 is 0.")


def test_a_first_loss_taken_after_training_is_told_where_it_belongs():
    def late_start(net, X, Y, eta, epochs, batch_size, seed):
        losses = nb07.train_loop_solution(net, X, Y, eta, epochs, batch_size, seed)
        return [losses[-1]] + losses[1:]

    wrong_with(nb07.train_loop(late_start), "losses[0] must be the loss on the whole training set before any update")


def test_an_update_twice_too_large_the_wrong_way_says_both():
    wrong_with(nb07.train_loop(_loop(_rng_shuffle, scale=-2)), "the wrong way (up the slope), 2 times as far")
