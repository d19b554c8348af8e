"""Notebook 04's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import pytest

from feedback import wrong_with

from helpers.checks import CORRECT, WRONG
from helpers.exercises import nb04 as check

# The worked example by hand, to four decimals, as the notebook prints it.
Y_HAT, Y, H1, H2 = 0.7000, 1.0, 0.3775, 0.5374
DH2_DZ2, X2, W3, W4, ETA = 0.2486, 0.5, 1.0, 0.6, 0.5
DL_DY_HAT = 2 * (Y_HAT - Y)          # −0.6





@pytest.mark.parametrize("exercise", [check.dL_dw4, check.dL_dw2, check.w3_after_update])
def test_text_and_lists_are_wrong_answers_not_errors(exercise):
    assert exercise("0.3").status == WRONG
    assert exercise([0.1, 0.2]).status == WRONG


# ∂L/∂w4: a two-factor chain

def test_output_weight_gradient_is_a_two_factor_chain():
    assert check.dL_dw4(DL_DY_HAT * H2).status == CORRECT       # −0.6 × 0.5374 = −0.3224
    assert check.dL_dw4(-0.3225).status == CORRECT


def test_dL_dw4_forgetting_the_2_of_the_squared_error_gets_its_hint():
    wrong_with(check.dL_dw4((Y_HAT - Y) * H2), "keeps the 2")


def test_dL_dw4_with_a_missing_factor_names_the_missing_factor():
    wrong_with(check.dL_dw4(DL_DY_HAT), "∂L/∂ŷ alone", "∂ŷ/∂w4")
    wrong_with(check.dL_dw4(H2), "∂ŷ/∂w4 = h2 alone", "∂L/∂ŷ")


def test_dL_dw4_other_slips():
    wrong_with(check.dL_dw4(DL_DY_HAT * H1), "That is ∂L/∂w3")
    wrong_with(check.dL_dw4(DL_DY_HAT * W4), "not w4 itself")
    wrong_with(check.dL_dw4(DL_DY_HAT + H2), "added")
    wrong_with(check.dL_dw4(-DL_DY_HAT * H2), "wrong sign")
    wrong_with(check.dL_dw4(-0.32), "round less")


# ∂L/∂w2: a three-factor chain

def test_hidden_weight_gradient_is_a_three_factor_chain():
    assert check.dL_dw2(DL_DY_HAT * W4 * DH2_DZ2 * X2).status == CORRECT   # −0.0447
    assert check.dL_dw2(-0.0447).status == CORRECT


def test_dL_dw2_each_missing_or_wrong_factor_gets_its_own_hint():
    wrong_with(check.dL_dw2((Y_HAT - Y) * W4 * DH2_DZ2 * X2), "keep the 2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * DH2_DZ2), "left out x2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * X2), "sigmoid's slope")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * H2 * X2), "not h2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W3 * DH2_DZ2 * X2), "not w3")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4), "third factor")
    wrong_with(check.dL_dw2(DL_DY_HAT + W4 + DH2_DZ2 * X2), "added")
    wrong_with(check.dL_dw2(-0.1410), "That is ∂L/∂w1")
    wrong_with(check.dL_dw2(0.0447), "wrong sign")


# w3 after one update with η = 0.5

def test_w3_after_one_update_steps_against_the_gradient():
    dL_dw3 = DL_DY_HAT * H1                       # −0.2265
    assert check.w3_after_update(W3 - ETA * dL_dw3).status == CORRECT   # 1.1133
    assert check.w3_after_update(1.1133).status == CORRECT


def test_w3_added_instead_of_subtracted_gets_the_sign_hint():
    dL_dw3 = DL_DY_HAT * H1
    wrong_with(check.w3_after_update(W3 + ETA * dL_dw3), "You added", "w3 − η·∂L/∂w3")


def test_w3_other_slips():
    dL_dw3 = DL_DY_HAT * H1
    wrong_with(check.w3_after_update(W3 - dL_dw3), "learning rate")
    wrong_with(check.w3_after_update(W3 + dL_dw3), "Two slips")
    wrong_with(check.w3_after_update(-ETA * dL_dw3), "change in w3")
    wrong_with(check.w3_after_update(ETA * dL_dw3), "the step")


def test_praise_quotes_the_numbers_of_the_worked_example():
    assert "-0.3225" in check.dL_dw4(-0.3225).message
    assert "-0.0447" in check.dL_dw2(-0.0447).message
    assert "1.1133" in check.w3_after_update(1.1133).message
