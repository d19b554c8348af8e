"""Notebook 00's checks: the worked solutions pass, typical slips get their own hint, None is unanswered."""

import itertools

import numpy as np
import pytest

from helpers.exercises import nb00 as check

WORKED_ORDER = ["forward", "loss", "backward", "update", "repeat"]


def test_the_worked_cycle_order_is_accepted():
    feedback = check.cycle_order(WORKED_ORDER)
    assert feedback.ok
    assert feedback.status == "correct"


def test_cycle_order_ignores_case_spaces_and_accepts_common_step_names():
    assert check.cycle_order(("Forward pass", " LOSS ", "backpropagation", "update weights", "Repeat")).ok


def test_cycle_order_accepts_a_tuple_or_a_numpy_array_of_the_names():
    assert check.cycle_order(tuple(WORKED_ORDER)).ok
    assert check.cycle_order(np.array(WORKED_ORDER)).ok
    assert check.cycle_order(np.array(["forward", "backprop", "loss", "update", "repeat"])).status == "wrong"


def test_cycle_order_rejects_a_two_dimensional_array_with_a_hint():
    feedback = check.cycle_order(np.array([WORKED_ORDER]))
    assert feedback.status == "wrong"
    assert "Expected a list" in feedback.message



@pytest.mark.parametrize("order, hint", [
    (["loss", "forward", "backward", "update", "repeat"], "open with the forward pass"),
    (["forward", "loss", "backward", "repeat", "update"], "comes last"),
    (["forward", "backward", "loss", "update", "repeat"], "loss comes before the backward pass"),
    (["forward", "backward", "update", "loss", "repeat"], "loss comes before the backward pass"),
    (["forward", "loss", "update", "backward", "repeat"], "share of the blame"),
    (["forward", "update", "loss", "backward", "repeat"], "share of the blame"),
])
def test_each_misplaced_step_gets_a_hint_about_that_step(order, hint):
    feedback = check.cycle_order(order)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_every_wrong_order_is_rejected_with_a_specific_hint():
    for order in itertools.permutations(WORKED_ORDER):
        feedback = check.cycle_order(list(order))
        assert feedback.ok == (list(order) == WORKED_ORDER)
        if not feedback.ok:
            assert "Check each step" not in feedback.message


@pytest.mark.parametrize("answer, hint", [
    (["forward", "loss", "backward", "update"], "'repeat' is missing"),
    (["forward", "loss", "loss", "update", "repeat"], "'backward' is missing and 'loss' appears twice"),
    (["forward", "loss", "chain rule", "update", "repeat"], "'chain rule' is not one of the steps"),
    ("forward, loss, backward, update, repeat", "Expected a list"),
    (5, "Expected a list"),
])
def test_malformed_answers_say_what_is_wrong_with_them(answer, hint):
    feedback = check.cycle_order(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_tracing_the_bad_grade_back_is_the_backward_pass():
    assert check.exam_trace_back("backward").ok
    assert check.exam_trace_back(" Backward ").ok


@pytest.mark.parametrize("answer", ["backprop", "backward pass", "Backpropagation", "backwards", "Backward-pass"])
def test_exam_trace_back_accepts_the_names_cycle_order_accepts(answer):
    assert check.cycle_order(["forward", "loss", answer, "update", "repeat"]).ok
    assert check.exam_trace_back(answer).ok


def test_exam_trace_back_gives_the_forward_hint_to_another_name_for_the_forward_pass():
    feedback = check.exam_trace_back("forward pass")
    assert feedback.status == "wrong"
    assert "Sitting the exam" in feedback.message


@pytest.mark.parametrize("answer, hint", [
    ("forward", "Sitting the exam"),
    ("loss", "The 60% grade is the loss"),
    ("update", "Reading the skipped chapter"),
    ("repeat", "next exam"),
])
def test_each_other_step_explains_where_it_fits_in_the_exam_story(answer, hint):
    feedback = check.exam_trace_back(answer)
    assert feedback.status == "wrong"
    assert hint in feedback.message


def test_an_answer_outside_the_options_lists_the_options():
    feedback = check.exam_trace_back("chain rule")
    assert feedback.status == "wrong"
    assert "'backward'" in feedback.message
