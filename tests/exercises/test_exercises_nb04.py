"""Notebook 04's exercise checks: the worked solutions pass, each typical slip gets its own hint."""

import importlib

import numpy as np
import pytest

from feedback import wrong_with

from helpers import checks, codecheck
from helpers.checks import CORRECT, UNANSWERED, WRONG
from helpers.exercises import nb04 as check

# The worked example by hand, to four decimals, as the notebook prints it.
Y_HAT, Y, H1, H2 = 0.7000, 1.0, 0.3775, 0.5374
DH2_DZ2, X2, W3, W4, ETA = 0.2486, 0.5, 1.0, 0.6, 0.5
DL_DY_HAT = 2 * (Y_HAT - Y)          # −0.6
H1_SLOPE, X1, W2 = 0.2350, 1.0, 0.3  # σ′(z1), the first input, the starting w2


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


def test_a_correct_rounding_is_told_to_round_less_and_a_wrong_one_is_not():
    # ∂L/∂w4 = −0.322459: −0.32 is it rounded to two decimals; −0.33 is 0.0075 away, more than the 0.005
    # any rounding to two decimals can be, so "round less" would not help.
    assert round(check._CHAIN.dL_dw4, 2) == -0.32
    wrong_with(check.dL_dw4(-0.32), "the exact value rounded", "round less")
    for not_a_rounding in (-0.33, -0.324, -0.315):
        feedback = check.dL_dw4(not_a_rounding)
        wrong_with(feedback, "not the exact value rounded", "digit by digit")
        assert "round less" not in feedback.message.lower(), not_a_rounding
    wrong_with(check.w3_after_update(1.11), "round less")
    wrong_with(check.w3_after_update(1.12), "not the exact value rounded")


def test_decimals_and_rounding_read_a_typed_number_as_written():
    assert [check.decimals(v) for v in (-0.32, 1.0, 0.0787, -0.6 * 0.54, 1 / 3)] == [2, 0, 4, 3, None]
    assert check.is_a_rounding_of(-0.32, -0.322459) and check.is_a_rounding_of(-0.3225, -0.322459)
    assert not check.is_a_rounding_of(-0.33, -0.322459) and not check.is_a_rounding_of(1 / 3, 0.3)


def test_dL_dw4_a_factor_equal_to_one_in_place_of_h2_is_named_with_the_missing_factor():
    # w3 = x1 = 1.0: multiplying ∂L/∂ŷ by either of them leaves it unchanged.
    wrong_with(check.dL_dw4(DL_DY_HAT * W3), "∂L/∂ŷ alone", "w3 or x1", "h2")
    wrong_with(check.dL_dw4(DL_DY_HAT * X1), "∂L/∂ŷ alone", "w3 or x1")


def test_dL_dw4_with_x2_for_h2_is_named_with_y_hat_minus_y_it_equals():
    # x2 = 0.5, so ∂L/∂ŷ × x2 = −0.6 × 0.5 = −0.3 = ŷ − y.
    wrong_with(check.dL_dw4(DL_DY_HAT * X2), "ŷ − y on its own", "∂L/∂ŷ × x2", "not the input x2")
    wrong_with(check.dL_dw4(Y_HAT - Y), "ŷ − y on its own")


# ∂L/∂w2: a four-factor chain, one factor per arrow of w2 → z2 → h2 → ŷ → L

def test_hidden_weight_gradient_is_a_four_factor_chain():
    assert check.dL_dw2(DL_DY_HAT * W4 * DH2_DZ2 * X2).status == CORRECT   # −0.0447
    assert check.dL_dw2(-0.0447).status == CORRECT


def test_dL_dw2_each_missing_or_wrong_factor_gets_its_own_hint():
    wrong_with(check.dL_dw2((Y_HAT - Y) * W4 * DH2_DZ2 * X2), "keeps the 2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * DH2_DZ2), "left out x2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * H1_SLOPE * X2), "σ′(z1)", "σ′(z2)")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * X2), "sigmoid's slope")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * H2 * X2), "not h2")
    wrong_with(check.dL_dw2(DL_DY_HAT * W3 * DH2_DZ2 * X2), "not w3")
    wrong_with(check.dL_dw2(DL_DY_HAT * W4), "last two factors", "σ′(z2)", "x2")
    wrong_with(check.dL_dw2(DL_DY_HAT + W4 + DH2_DZ2 * X2), "added")
    wrong_with(check.dL_dw2(-0.1410), "That is ∂L/∂w1")
    wrong_with(check.dL_dw2(0.0447), "wrong sign")


def test_dL_dw2_with_w2_where_w4_belongs_names_both_slips_that_halve_the_answer():
    # w4 = 2·w2 and |ŷ − y| = w2 here, so both slips give −0.0224: the hint must not name only one.
    using_w2 = DL_DY_HAT * W2 * DH2_DZ2 * X2
    without_the_2 = (Y_HAT - Y) * W4 * DH2_DZ2 * X2
    assert using_w2 == pytest.approx(without_the_2)
    for slip in (using_w2, without_the_2):
        wrong_with(check.dL_dw2(slip), "keeps the 2", "w2 = 0.3", "w4 = 0.6")


def test_dL_dw2_with_x1_for_x2_names_both_slips():
    # x1 = 1.0, so multiplying by x1 gives the same number as leaving x2 out.
    wrong_with(check.dL_dw2(DL_DY_HAT * W4 * DH2_DZ2 * X1), "left out x2", "x1 = 1.0")


# w3 after one update with η = 0.5

def test_w3_after_one_update_steps_against_the_gradient():
    dL_dw3 = DL_DY_HAT * H1                       # −0.2265
    assert check.w3_after_update(W3 - ETA * dL_dw3).status == CORRECT   # 1.1133
    assert check.w3_after_update(1.1133).status == CORRECT


def test_w3_added_instead_of_subtracted_gets_the_sign_hint():
    dL_dw3 = DL_DY_HAT * H1
    wrong_with(check.w3_after_update(W3 + ETA * dL_dw3), "you added", "w3 − η·∂L/∂w3")


@pytest.mark.parametrize("answer", [1 - 0.5 * 0.23, 1 - 0.5 * 0.2265, W3 - ETA * abs(DL_DY_HAT * H1)])
def test_w3_subtracting_the_gradients_size_gets_a_hint_that_names_that_slip(answer):
    wrong_with(check.w3_after_update(answer), "gradient's size without its minus sign", "signed gradient")


def test_w3_other_slips():
    dL_dw3 = DL_DY_HAT * H1
    wrong_with(check.w3_after_update(W3 - dL_dw3), "learning rate")
    wrong_with(check.w3_after_update(W3 + dL_dw3), "Two slips", "not its size")
    wrong_with(check.w3_after_update(W3 - abs(dL_dw3)), "Two slips", "not its size")
    wrong_with(check.w3_after_update(-ETA * dL_dw3), "change in w3")
    wrong_with(check.w3_after_update(ETA * dL_dw3), "the step")


def test_praise_quotes_the_numbers_of_the_worked_example():
    assert "-0.3225" in check.dL_dw4(-0.3225).message
    assert "-0.0447" in check.dL_dw2(-0.0447).message
    assert "1.1133" in check.w3_after_update(1.1133).message


# Every check of notebooks 01–05: no two listed slips share a number.

def _hint_lists(module):
    """[(check name, expected, check_number's keywords)] for every numeric check of `module`."""
    captured = []
    real = checks.check_number

    def capture(answer, expected, **keywords):
        captured.append((expected, keywords))
        return real(answer, expected, **keywords)

    found = []
    module.check_number, saved = capture, module.check_number
    try:
        for name in dir(module):
            function = getattr(module, name)
            if name.startswith("_") or not callable(function) or getattr(function, "__module__", "") != module.__name__:
                continue
            captured.clear()
            try:
                function(123456.789)
            except TypeError:
                continue
            found += [(name, expected, keywords) for expected, keywords in captured]
    finally:
        module.check_number = saved
    return found


@pytest.mark.parametrize("module_name", ["nb01", "nb02", "nb03", "nb04", "nb05"])
def test_each_listed_slip_gets_its_own_hint_never_another_slips_or_praise(module_name):
    module = importlib.import_module(f"helpers.exercises.{module_name}")
    lists = _hint_lists(module)
    assert lists, f"{module_name} has no numeric checks to audit"
    for name, expected, keywords in lists:
        for wrong, message in keywords.get("hints", ()):
            if callable(wrong):
                continue
            feedback = checks.check_number(wrong, expected, **keywords)
            assert feedback.status == WRONG, (name, wrong)
            assert feedback.message == message, (name, wrong, feedback.message)


# ∂L/∂x1 in the fully connected network: two paths, and they add

def test_dL_dx1_is_the_sum_of_the_two_paths_and_agrees_with_nudging_x1():
    from helpers import Network
    from helpers.gradcheck import numerical_derivative, relative_error
    p = check.connected_paths()
    net = Network.from_weights([list(map(list, check.CONNECTED_W1)), [list(check.CONNECTED_W2)]],
                               [[0.0, 0.0], [0.0]], activations=["sigmoid", "linear"], loss="squared_error")
    nudged = numerical_derivative(lambda x1: float(net.loss_value([[x1, X2]], [Y])), X1)
    assert relative_error(p["dL_dx1"], nudged) < 1e-7
    assert round(p["dL_dx1"], 4) == 0.0787 and round(p["path1"], 4) == 0.0700 and round(p["path2"], 4) == 0.0087
    assert check.dL_dx1(p["path1"] + p["path2"]).status == CORRECT
    assert check.dL_dx1(0.0787).status == CORRECT


def test_dL_dx1_one_path_alone_or_the_paths_multiplied_get_their_hints():
    p = check.connected_paths()
    wrong_with(check.dL_dx1(p["path1"]), "through h1 alone", "added")
    wrong_with(check.dL_dx1(p["path2"]), "through h2 alone")
    wrong_with(check.dL_dx1(p["path1"] * p["path2"]), "You multiplied the two paths", "add")
    wrong_with(check.dL_dx1(-p["dL_dx1"]), "wrong sign")
    wrong_with(check.dL_dx1(p["dL_dx1"] / 2), "keeps the 2")


# The code exercises: the learner writes the backward pass

def _template(*args):
    raise NotImplementedError("write your backward pass here")


def test_the_worked_solutions_of_the_code_exercises_pass():
    assert check.backward(check.backward_solution).status == CORRECT
    assert check.backward_biased(check.backward_biased_solution).status == CORRECT


def test_a_backward_pass_written_as_a_learner_writes_it_passes_as_a_tuple_or_a_dict():
    from math import exp

    def backward(w1, w2, w3, w4, x1, x2, y):
        h1 = 1 / (1 + exp(-(w1 * x1)))
        h2 = 1 / (1 + exp(-(w2 * x2)))
        y_hat = w3 * h1 + w4 * h2
        dL_dy_hat = 2 * (y_hat - y)
        return (dL_dy_hat * w3 * h1 * (1 - h1) * x1, dL_dy_hat * w4 * h2 * (1 - h2) * x2,
                dL_dy_hat * h1, dL_dy_hat * h2)

    assert check.backward(backward).ok
    assert check.backward(lambda *a: dict(zip(("dL_dw1", "dL_dw2", "dL_dw3", "dL_dw4"), backward(*a)))).ok
    assert check.backward(lambda *a: dict(zip(("w1", "w2", "w3", "w4"), backward(*a)))).ok
    assert check.backward(lambda *a: list(backward(*a))).ok


@pytest.mark.parametrize("exercise, slips", [
    (check.backward, check.BACKWARD_SLIPS),
    (check.backward_biased, check.BIASED_SLIPS),
])
def test_each_code_slip_gets_its_own_hint_not_correct(exercise, slips):
    for slip in slips:
        feedback = exercise(slip.function)
        assert feedback.status == WRONG and feedback.message == slip.hint, (slip.hint, feedback)


def test_the_code_slips_named_in_the_issue_are_all_covered():
    hints = " ".join(s.hint for s in check.BACKWARD_SLIPS)
    for words in ("sigmoid's slope", "applied σ′ to the activation", "after the update", "wrong sign",
                  "keeps the 2", "w3 and w4 are swapped", "order"):
        assert words in hints, words
    biased = " ".join(s.hint for s in check.BIASED_SLIPS)
    for words in ("every bias gradient is 0", "applied σ′ to the activation", "z1 * (1 - z1)",
                  "w3 and w4 are swapped"):
        assert words in biased, words


def _learners_backward_biased(slope="right", swap=False):
    """backward_biased as a learner types it, with the sigmoid's slope worked out as `slope` says and,
    when `swap`, w3 and w4 exchanged in the hidden chains."""
    from math import exp

    def sigma(z):
        return 1 / (1 + exp(-z))

    def backward_biased(w1, w2, w3, w4, b1, b2, b3, x1, x2, y):
        z1 = w1 * x1 + b1
        h1 = sigma(z1)
        z2 = w2 * x2 + b2
        h2 = sigma(z2)
        y_hat = w3 * h1 + w4 * h2 + b3
        dL_dy_hat = 2 * (y_hat - y)
        if slope == "of_h":          # sigmoid_derivative(h1): σ′ applied to the activation
            s1, s2 = sigma(h1) * (1 - sigma(h1)), sigma(h2) * (1 - sigma(h2))
        elif slope == "z":           # z(1 − z) for h(1 − h)
            s1, s2 = z1 * (1 - z1), z2 * (1 - z2)
        else:
            s1, s2 = h1 * (1 - h1), h2 * (1 - h2)
        out1, out2 = (w4, w3) if swap else (w3, w4)
        delta1 = dL_dy_hat * out1 * s1
        delta2 = dL_dy_hat * out2 * s2
        return (delta1 * x1, delta2 * x2, dL_dy_hat * h1, dL_dy_hat * h2, delta1, delta2, dL_dy_hat)
    return backward_biased


def test_a_learners_backward_biased_is_right_without_a_slip():
    assert check.backward_biased(_learners_backward_biased()).status == CORRECT


def test_backward_biased_with_sigma_prime_of_h_gets_its_hint():
    wrong_with(check.backward_biased(_learners_backward_biased(slope="of_h")), "applied σ′ to the activation",
               "h1 * (1 - h1)")


def test_backward_biased_with_z_times_one_minus_z_gets_its_hint():
    wrong_with(check.backward_biased(_learners_backward_biased(slope="z")), "z1 * (1 - z1)", "h1 * (1 - h1)")


def test_backward_biased_with_w3_and_w4_swapped_in_the_hidden_chains_gets_its_hint():
    wrong_with(check.backward_biased(_learners_backward_biased(swap=True)), "w3 and w4 are swapped", "b1")


def test_every_code_slip_is_wrong_on_some_case_and_no_two_slips_agree_everywhere():
    for cases, right, slips in ((check._cases(), check.backward_solution, check.BACKWARD_SLIPS),
                                (check._cases(extra=1), check.backward_biased_solution, check.BIASED_SLIPS)):
        results = [[tuple(s.function(*c.make())) for c in cases] for s in slips]
        truth = [tuple(right(*c.make())) for c in cases]
        for slip, result in zip(slips, results):
            assert not all(np.allclose(r, t) for r, t in zip(result, truth)), slip.hint
        for i in range(len(slips)):
            for j in range(i + 1, len(slips)):
                assert not all(np.allclose(a, b) for a, b in zip(results[i], results[j])), (slips[i].hint, slips[j].hint)


@pytest.mark.parametrize("exercise", [check.backward, check.backward_biased])
def test_unanswered_code_templates_say_so_without_an_error(exercise):
    assert exercise(None).status == UNANSWERED
    feedback = exercise(_template)
    assert feedback.status == UNANSWERED and "NotImplementedError" in feedback.message


def test_raising_none_wrong_shape_or_type_gets_a_plain_hint():
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: None), "returned None")
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: (1.0, 2.0)), "Expected 4 numbers", "returned 2")
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: 0.5), "Expected 4 numbers")
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: "0.1 0.2 0.3 0.4"), "Expected 4 numbers")
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: {"w1": 0.1}), "lacks the keys", "'w2'")
    wrong_with(check.backward(lambda w1, w2, w3, w4, x1, x2, y: w1 / 0), "ZeroDivisionError", "worked example")
    wrong_with(check.backward(lambda w1, w2, x1: 0), "must take 7 arguments")
    wrong_with(check.backward("backward"), "function itself")
    four = check.backward_solution
    wrong_with(check.backward_biased(lambda w1, w2, w3, w4, b1, b2, b3, x1, x2, y: four(w1, w2, w3, w4, x1, x2, y)),
               "returned 4 numbers", "bias gradients")


@pytest.fixture
def short_time_limit(monkeypatch):
    """Endless loops stopped after 0.3 s, not the learner's 2 s (test_code_exercises_06_08 checks those)."""
    monkeypatch.setattr(codecheck, "TIME_LIMIT", 0.3)


def test_a_backward_pass_that_never_ends_is_stopped_with_a_plain_hint(short_time_limit):
    def forever(w1, w2, w3, w4, x1, x2, y):
        while True:
            pass

    wrong_with(check.backward(forever), "did not finish within 0.3 seconds")


def test_a_wrong_answer_without_a_known_slip_says_which_gradients_are_off():
    def hidden_wrong(*args):
        g = check.backward_solution(*args)
        return (g[0] + 0.01, g[1] * 3, g[2], g[3])

    wrong_with(check.backward(hidden_wrong), "Off: dL_dw1, dL_dw2.", "Right: dL_dw3, dL_dw4.")


def test_the_worked_solutions_printed_in_notebook_04_pass_their_checks():
    import json
    import math
    import re
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "04_backprop_by_hand.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    solutions = [m.group(1) for s in sources
                 for m in re.finditer(r"<summary>Worked solution</summary>\s*```python\n(.*?)```", s, re.S)]
    namespace = {"math": math, "sigmoid": __import__("helpers").sigmoid}
    for source in solutions:
        exec(source, namespace)
    assert check.backward(namespace["backward"]).ok
    assert check.backward_biased(namespace["backward_biased"]).ok
    templates = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
                 and "raise NotImplementedError" in "".join(c["source"])]
    # each template says what to return, so the learner knows the form the check reads
    assert len(templates) == 2 and all("(dL_dw1, dL_dw2, dL_dw3, dL_dw4" in t for t in templates)


def test_the_code_checks_run_the_example_and_the_six_hidden_networks_the_notebook_promises():
    from pathlib import Path
    assert len(check._cases()) == len(check._cases(extra=1)) == 1 + check.N_HIDDEN == 7
    nb = (Path(__file__).resolve().parents[2] / "notebooks" / "04_backprop_by_hand.ipynb").read_text()
    assert "on six hidden networks" in nb
    assert "six hidden networks" in check.backward(check.backward_solution).message


def test_the_biased_check_gives_odd_functions_a_plain_hint_too(short_time_limit):
    def forever(w1, w2, w3, w4, b1, b2, b3, x1, x2, y):
        while True:
            pass

    args = "w1, w2, w3, w4, b1, b2, b3, x1, x2, y"
    wrong_with(check.backward_biased(lambda w1, w2, w3, w4, b1, b2, b3, x1, x2, y: None), "returned None")
    wrong_with(check.backward_biased(lambda w1, w2, w3, w4, b1, b2, b3, x1, x2, y: [0.0] * 8), "returned 8")
    wrong_with(check.backward_biased(lambda w1, w2, w3, w4, b1, b2, b3, x1, x2, y: {"w1": 0.0}), "lacks the keys", "'b3'")
    wrong_with(check.backward_biased(lambda w1, w2, w3, w4, b1, b2, b3, x1, x2, y: undefined_name),  # noqa: F821
               "NameError", "undefined_name")
    wrong_with(check.backward_biased(check.backward_solution), f"must take 10 arguments: ({args})")
    wrong_with(check.backward_biased(forever), "did not finish within 0.3 seconds")
