"""Notebook 03's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import math

import pytest

from feedback import wrong_with

from helpers.checks import CORRECT, WRONG
from helpers.exercises import nb03 as check

EXERCISES = [check.partial_derivative, check.chain_product, check.sigmoid_slope_at_zero, check.fork_sum,
             check.fork_downstream]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_text_and_lists_are_wrong_answers_not_errors(exercise):
    assert exercise("12").status == WRONG
    assert exercise([0.5, 0.5]).status == WRONG


# Exercise 1: ∂g/∂w for g(w, b) = w²·b + 4b at w = 3, b = 2

def test_partial_derivative_holds_b_fixed():
    w, b = 3.0, 2.0
    assert check.partial_derivative(2 * w * b).status == CORRECT       # 12
    assert "12" in check.partial_derivative(12).message


def test_partial_derivative_with_respect_to_the_other_variable_gets_its_hint():
    wrong_with(check.partial_derivative(3.0 ** 2 + 4), "∂g/∂b", "holds b fixed")


def test_dropping_the_fixed_factor_gets_its_hint():
    wrong_with(check.partial_derivative(2 * 3.0), "still multiplies")


def test_differentiating_the_constant_term_gets_its_hint():
    wrong_with(check.partial_derivative(12 + 4), "4b does not change", "0, not 4")


def test_keeping_the_constant_term_in_the_derivative_gets_its_own_hint():
    # 2w·b + 4b = 12 + 8: the term 4b carried into ∂g/∂w instead of dropping out.
    feedback = check.partial_derivative(2 * 3.0 * 2.0 + 4 * 2.0)
    wrong_with(feedback, "20 is 2w·b + 4b", "4b = 8", "slope is 0")
    assert "is not it" not in feedback.message


def test_other_partial_derivative_slips():
    wrong_with(check.partial_derivative(26), "value g(3, 2)")
    wrong_with(check.partial_derivative(18), "value of the term w²·b")
    wrong_with(check.partial_derivative(-12), "wrong sign")


# Exercise 2: dL/dw = (−0.8)(0.2)(1.5)

def test_chain_rule_multiplies_the_three_links():
    assert check.chain_product(-0.8 * 0.2 * 1.5).status == CORRECT     # −0.24
    assert check.chain_product(-0.24).status == CORRECT


def test_adding_the_links_instead_of_multiplying_gets_its_hint():
    wrong_with(check.chain_product(-0.8 + 0.2 + 1.5), "added the links", "multiplies")


def test_a_missing_link_is_named():
    wrong_with(check.chain_product(-0.8 * 0.2), "multiply by dz/dw")
    wrong_with(check.chain_product(-0.8 * 1.5), "skipped da/dz")
    wrong_with(check.chain_product(0.2 * 1.5), "left out dL/da")


def test_chain_product_with_the_wrong_sign_gets_its_hint():
    wrong_with(check.chain_product(0.24), "wrong sign")


# Exercise 3: σ′(0) = 0.25

def test_sigmoid_slope_at_zero_is_a_quarter():
    s = 1 / (1 + math.exp(-0.0))
    assert check.sigmoid_slope_at_zero(s * (1 - s)).status == CORRECT
    assert check.sigmoid_slope_at_zero(0.25).status == CORRECT


def test_the_sigmoids_value_instead_of_its_slope_gets_its_hint():
    wrong_with(check.sigmoid_slope_at_zero(0.5), "σ(0), the sigmoid's value")


def test_other_sigmoid_slope_slips():
    wrong_with(check.sigmoid_slope_at_zero(0.75), "1 − σ(0), not 1 + σ(0)")
    wrong_with(check.sigmoid_slope_at_zero(1.0), "linear activation")
    wrong_with(check.sigmoid_slope_at_zero(0.0), "steepest")
    wrong_with(check.sigmoid_slope_at_zero(-0.25), "positive everywhere")
    s1 = 1 / (1 + math.exp(-1.0))
    wrong_with(check.sigmoid_slope_at_zero(round(s1 * (1 - s1), 3)), "σ′(1)")


# Exercise 4: the fork rule, a = 2 feeding u = 3a − 1 and v = a², L = u² + 3v

def test_fork_sum_is_the_sum_of_the_two_paths_and_agrees_with_nudging():
    from helpers import numerical_derivative
    p = check.fork_paths()
    assert (p["through_u"], p["through_v"], p["dL_da"]) == (30.0, 12.0, 42.0)
    measured = numerical_derivative(lambda a: (3 * a - 1) ** 2 + 3 * a ** 2, check.FORK_A)
    assert abs(measured - p["dL_da"]) < 1e-6 and f"{measured:.4f}" == "42.0000"
    assert check.fork_sum(2 * 5 * 3 + 3 * (2 * 2)).status == CORRECT
    assert "30 + 12 = 42" in check.fork_sum(42).message


def test_fork_sum_multiplying_the_paths_gets_the_fork_hint():
    wrong_with(check.fork_sum(30 * 12), "multiplied the two paths", "add")


def test_fork_sum_one_path_alone_names_the_missing_path():
    wrong_with(check.fork_sum(30), "through u alone", "through v")
    wrong_with(check.fork_sum(12), "through v alone", "through u")


def test_fork_sum_other_slips():
    wrong_with(check.fork_sum(10 + 12), "du/da = 3")
    wrong_with(check.fork_sum(30 + 3), "dv/da = 2a")
    wrong_with(check.fork_sum(5 * 3 + 12), "2u, not u")
    wrong_with(check.fork_sum(25 + 12), "value of L itself")
    wrong_with(check.fork_sum(-42), "wrong sign")


# Exercise 5: the local rule at a fork. a = σ(z) = 0.8 receives the shares −0.9 and +0.4.

def test_fork_downstream_adds_the_shares_then_multiplies_by_the_local_derivative():
    p = check.fork_downstream_parts()
    assert p["dL_da"] == pytest.approx(-0.5) and p["local"] == pytest.approx(0.16)
    assert p["dL_dz"] == pytest.approx(-0.08)
    assert check.fork_downstream((-0.9 + 0.4) * 0.8 * (1 - 0.8)).status == CORRECT
    assert check.fork_downstream(-0.08).status == CORRECT
    assert "-0.9 + 0.4 = -0.5" in check.fork_downstream(-0.08).message


def test_fork_downstream_agrees_with_a_walk_that_adds_the_shares_with_plus_equals():
    from helpers import numerical_derivative, sigmoid
    # A graph with exactly these numbers: z feeds a = σ(z), a feeds p = c1·a and q = c2·a, L = p + q.
    z = math.log(0.8 / 0.2)                              # σ(z) = 0.8
    c1, c2 = -0.9, 0.4                                   # ∂L/∂p = ∂L/∂q = 1, so the shares are c1 and c2
    grad_a = 0.0
    grad_a += 1.0 * c1
    grad_a += 1.0 * c2
    grad_z = grad_a * 0.8 * (1 - 0.8)
    measured = numerical_derivative(lambda z: c1 * float(sigmoid(z)) + c2 * float(sigmoid(z)), z)
    assert grad_z == pytest.approx(measured, abs=1e-9) == pytest.approx(check.fork_downstream_parts()["dL_dz"])


def test_multiplying_the_shares_at_the_fork_gets_its_hint():
    wrong_with(check.fork_downstream(-0.9 * 0.4 * 0.16), "multiplied the two shares", "shares add")
    wrong_with(check.fork_downstream(-0.9 * 0.4), "multiplied the two shares", "stopped there")


def test_taking_one_share_only_gets_its_hint():
    wrong_with(check.fork_downstream(-0.9 * 0.16), "first share alone", "add the two")
    wrong_with(check.fork_downstream(0.4 * 0.16), "second share alone", "add the two")
    wrong_with(check.fork_downstream(-0.9), "one share", "Add the other share")
    wrong_with(check.fork_downstream(0.4), "one share", "Add the other share")


def test_dividing_by_the_local_derivative_gets_its_hint():
    wrong_with(check.fork_downstream(-0.5 / 0.16), "divided by the local derivative", "upstream × local")


def test_other_fork_downstream_slips():
    wrong_with(check.fork_downstream(-0.5), "∂L/∂a, the sum of the shares", "right so far")
    wrong_with(check.fork_downstream(-0.5 * 0.8), "value of a", "a(1 − a) = 0.16")
    wrong_with(check.fork_downstream(-0.5 + 0.16), "added the local derivative")
    wrong_with(check.fork_downstream(0.08), "wrong sign")
