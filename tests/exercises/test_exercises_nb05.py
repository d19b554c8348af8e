"""Notebook 05's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import numpy as np
import pytest

from feedback import wrong_with

from helpers.checks import CORRECT
from helpers.exercises import nb05 as check
from helpers.tiny import TwoTwoOne
from helpers.training import descend_tiny





# Which learning rate overshoots?

def test_the_overshooting_rate_is_the_one_whose_loss_goes_up():
    first_losses = {eta: descend_tiny(TwoTwoOne(), eta, 1).loss for eta in check.RATES}
    rising = [eta for eta, loss in first_losses.items() if loss[1] > loss[0]]
    assert rising == [check.OVERSHOOTS]


@pytest.mark.parametrize("answer", [4, 4.0, 3.9999999, np.float32(4.0), np.int64(4)])
def test_the_overshooting_rate_is_accepted_as_any_kind_of_number(answer):
    assert check.overshooting_rate(answer).status == CORRECT


@pytest.mark.parametrize("answer", ["4.0", " 4 ", "0.1", np.str_("4")])
def test_a_rate_in_quotes_is_text_and_gets_the_hint_to_remove_the_quotes(answer):
    wrong_with(check.overshooting_rate(answer), "written as text", "Remove the quotes")


def test_the_crawling_and_the_good_rate_each_get_their_own_hint():
    wrong_with(check.overshooting_rate(0.1), "crawling")
    wrong_with(check.overshooting_rate(1.0), "right size")


@pytest.mark.parametrize("answer", [2, "fast", True, [4.0]])
def test_an_answer_outside_the_three_rates_asks_for_one_of_them(answer):
    wrong_with(check.overshooting_rate(answer), "one of the three")


# One step: w_new = w_old − η ∂L/∂w

def test_the_new_weight_is_the_old_minus_eta_times_the_slope():
    assert check.new_weight(2.0 - 0.25 * 0.8).status == CORRECT
    assert check.new_weight(1.8).status == CORRECT


def test_each_slip_in_the_update_gets_its_own_hint():
    wrong_with(check.new_weight(2.2), "You added")
    wrong_with(check.new_weight(1.2), "whole slope")
    wrong_with(check.new_weight(2.8), "Two slips")
    wrong_with(check.new_weight(0.2), "size of the step")
    wrong_with(check.new_weight(-0.2), "change in w")
    wrong_with(check.new_weight(-1.2), "divided")


# Updates in one epoch: one per batch

def test_one_epoch_of_300_samples_in_batches_of_32_makes_10_updates():
    assert check.updates_per_epoch(10).status == CORRECT


def test_the_count_agrees_with_how_train_splits_an_epoch():
    batches = list(range(0, check.N_SAMPLES, check.BATCH_SIZE))
    assert check.updates_per_epoch(len(batches)).status == CORRECT


def test_each_miscount_gets_its_own_hint():
    wrong_with(check.updates_per_epoch(9), "last 12")
    wrong_with(check.updates_per_epoch(300 / 32), "whole numbers")
    wrong_with(check.updates_per_epoch(300), "batch size of 1")
    wrong_with(check.updates_per_epoch(1), "full-batch")
    wrong_with(check.updates_per_epoch(32), "That is the batch size")
    wrong_with(check.updates_per_epoch(9600), "Divide")


@pytest.mark.parametrize("answer", [10 ** 400, "nan", True, [4], print, 4 + 0j])
def test_overshooting_rate_gives_odd_answers_a_short_hint(answer):
    feedback = check.overshooting_rate(answer)
    assert feedback.status == "wrong"
    assert "one of the three learning rates" in feedback.message and " at 0x" not in feedback.message
