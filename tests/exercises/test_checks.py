"""The exercise-check machinery: feedback a learner cannot miss, and answers read without surprises."""

import re

import numpy as np
import pytest

from helpers import style
from helpers.checks import (
    CORRECT, LOOK, TEXT_COLOUR, UNANSWERED, WRONG, Feedback, check_array, check_choice, check_number, check_shape,
    first_matching_hint,
)

STATUSES = (CORRECT, WRONG, UNANSWERED)
LONG_HINT = ("Almost: the chain rule multiplies the three factors, and the one that comes from the sigmoid "
             "is h2(1 − h2), the slope of the activation, which you can read off the table printed again "
             "above the exercise, once the cells above have run.")
WORDS = {CORRECT: "Correct!", WRONG: "Not yet.", UNANSWERED: "Not answered yet."}


def _emoji(text):
    """Characters that need an emoji or symbol font: pictographs, dingbats, and the emoji selector."""
    return [c for c in text if 0x1F000 <= ord(c) <= 0x1FAFF or 0x2600 <= ord(c) <= 0x27BF or ord(c) == 0xFE0F]


def _style_of(page, css_class):
    return re.search(rf'class="course-feedback {css_class}" style="([^"]*)"', page).group(1)


def _contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The plain text: for nbval, terminals and any screen without an emoji font.

@pytest.mark.parametrize("status", STATUSES)
def test_the_plain_text_starts_with_the_words_and_has_no_emoji(status):
    text = repr(Feedback(status, LONG_HINT))
    assert text == f"{WORDS[status]} {LONG_HINT}"
    assert _emoji(text) == []


def test_the_plain_text_of_a_correct_answer_without_praise_is_the_word_alone():
    assert repr(Feedback(CORRECT, "")) == "Correct!"


# The panel JupyterLab shows.

@pytest.mark.parametrize("status", STATUSES)
def test_the_panel_says_the_word_in_its_colours_and_wraps_between_words(status):
    page = Feedback(status, LONG_HINT)._repr_html_()
    look = LOOK[status]
    assert look["words"] in page and LONG_HINT in page
    assert look["border"] in page and look["background"] in page and look["ink"] in page
    css = _style_of(page, f"course-feedback-{status}")
    for rule in ("white-space: normal", "overflow-wrap: normal", "word-break: normal"):
        assert rule in css
    assert int(re.search(r"font-size: (\d+)px", css).group(1)) >= 15


def test_the_three_panels_differ_in_words_border_style_and_colour_not_colour_alone():
    looks = [LOOK[s] for s in STATUSES]
    for key in ("words", "line", "border", "background"):
        assert len({look[key] for look in looks}) == 3, key
    for status in STATUSES:
        assert f"2px {LOOK[status]['line']} {LOOK[status]['border']}" in Feedback(status, "x")._repr_html_()


def test_the_panel_colours_are_the_course_palette_and_readable():
    palette = set(style.PALETTE.values())
    for look in LOOK.values():
        assert look["border"] in palette
        assert _contrast(look["ink"], look["background"]) >= 4.5
        assert _contrast(TEXT_COLOUR, look["background"]) >= 7


def test_the_panel_needs_no_emoji_font_the_marks_are_decoration():
    for status in STATUSES:
        page = Feedback(status, "x")._repr_html_()
        decorations = re.findall(r'<span aria-hidden="true">(.*?)</span>', page)
        assert decorations == [LOOK[status]["mark"]]
        assert _emoji(page.replace(f'<span aria-hidden="true">{decorations[0]}</span>', "")) == []
        assert all(ord(c) in (0x2713, 0x2717) or ord(c) < 128 for c in decorations[0])


def test_the_panel_is_the_same_every_time_with_no_ids_or_times():
    first = Feedback(WRONG, LONG_HINT)._repr_html_()
    assert first == Feedback(WRONG, LONG_HINT)._repr_html_()
    assert " id=" not in first and not re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d", first)


def test_the_message_is_shown_as_text_not_as_markup():
    page = Feedback(WRONG, "Use <b> & not </div>")._repr_html_()
    assert "Use &lt;b&gt; &amp; not &lt;/div&gt;" in page
    assert page.count("<div") == page.count("</div>") == 1


def test_presentation_mode_makes_the_panel_text_larger():
    try:
        style.presentation_mode(True)
        assert "font-size: 20px" in Feedback(CORRECT, "x")._repr_html_()
    finally:
        style.presentation_mode(False)
    assert "font-size: 16px" in Feedback(CORRECT, "x")._repr_html_()


def test_in_a_narrow_browser_window_no_word_of_a_hint_is_broken(browser):
    """Each word of a long hint sits on one line, at a width where the hint needs several lines."""
    page = browser.new_page(viewport={"width": 320, "height": 600})
    try:
        panels = "".join(Feedback(s, LONG_HINT + " Supercalifragilistic")._repr_html_() for s in STATUSES)
        page.set_content(f"<html><body style='margin: 8px'>{panels}</body></html>")
        result = page.evaluate("""() => {
            const out = {broken: [], lines: [], fontSizes: []};
            for (const panel of document.querySelectorAll('.course-feedback')) {
                out.fontSizes.push(parseFloat(getComputedStyle(panel).fontSize));
                const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
                const tops = new Set();
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const re = /\\S+/g; let m;
                    while ((m = re.exec(node.data))) {
                        const range = document.createRange();
                        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
                        const rows = new Set(rects.map(r => Math.round(r.top)));
                        if (rows.size > 1) out.broken.push(m[0]);
                        rects.forEach(r => tops.add(Math.round(r.top)));
                    }
                }
                out.lines.push(tops.size);
            }
            return out;
        }""")
    finally:
        page.close()
    assert result["broken"] == []
    assert min(result["lines"]) >= 4  # the test means something only if the hint wraps
    assert min(result["fontSizes"]) >= 15


# Reading answers: each primitive, odd answers, and what stays right.

@pytest.mark.parametrize("answer", [0.25, np.float64(0.25), np.float32(0.25), np.array(0.25), 1 / 4])
def test_check_number_accepts_every_kind_of_real_number(answer):
    assert check_number(answer, 0.25).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    ([[0.18, 0.2], [0.3]], "different lengths"),
    (10 ** 400, "too large"),
    ("0.25", "Remove the quotes"),
    (0.25 + 1j, "complex"),
    (0.25 + 0j, "complex"),
    (True, "truth value"),
    ([0.25], "without the brackets"),
    ([0.2, 0.05], "2 numbers"),
    ({0.25}, "set"),
    ({"answer": 0.25}, "dict"),
    (print, "Call it"),
    (float("nan"), "nan"),
    (float("inf"), "infinite"),
    ([None, 0.25], "None"),
])
def test_check_number_names_what_came_instead_of_a_number(answer, words):
    feedback = check_number(answer, 0.25, what="the loss")
    assert feedback.status == WRONG and words in feedback.message, feedback
    assert feedback.message.startswith("Expected the loss, a single number.")


def test_check_number_array_hints_recognise_a_whole_array_where_one_entry_was_asked():
    hints = [(lambda a: a.shape == (2,) and np.isclose(a[1], 0.69, atol=0.01), "Take the dog's entry, p[1].")]
    assert check_number([0.31, 0.69], 0.69, array_hints=hints).message == "Take the dog's entry, p[1]."
    assert "2 numbers" in check_number([0.5, 0.5], 0.69, array_hints=hints).message


def test_a_hint_function_that_fails_on_an_odd_value_counts_as_not_matching():
    hints = [(lambda v: v["key"], "never"), (0.5, "half")]
    assert check_number(0.5, 1.0, hints=hints).message == "half"
    assert first_matching_hint(np.zeros((2, 2)), [(lambda a: a > 0, "ambiguous")], 1e-6) is None


@pytest.mark.parametrize("answer, words", [
    ([[1.0, 2.0], [3.0]], "different lengths"),
    ([[1.0, None], [3.0, 4.0]], "Entry [0][1] is None"),
    ([["1", "2"], ["3", "4"]], "text"),
    (np.array([["1", "2"], ["3", "4"]]), "text"),
    (np.array([[1, 2], [3, 4]]) + 1j, "complex"),
    (np.array([[1, 2], [3, 4]]) + 0j, "complex"),
    ([[True, False], [True, True]], "truth value"),
    (np.ones((2, 2), dtype=bool), "True/False"),
    ([[1.0, np.nan], [3.0, 4.0]], "nan ('not a number') at [0][1]"),
    ([[1.0, 2.0], [np.inf, 4.0]], "infinite value at [1][0]"),
    ([[1.0, 10 ** 400], [3.0, 4.0]], "too large"),
    ({1.0, 2.0}, "set"),
    (lambda: 0, "function"),
])
def test_check_array_names_what_came_instead_of_an_array_of_numbers(answer, words):
    feedback = check_array(answer, [[1.0, 2.0], [3.0, 4.0]])
    assert feedback.status == WRONG and words in feedback.message, feedback


def test_check_array_accepts_lists_tuples_and_arrays_of_any_real_dtype():
    expected = [[1.0, 2.0], [3.0, 4.0]]
    for answer in ([[1, 2], [3, 4]], ((1.0, 2.0), (3.0, 4.0)), np.array(expected, dtype=np.float32),
                   np.array([[1, 2], [3, 4]], dtype=np.int8), [np.array([1.0, 2.0]), [3, 4]]):
        assert check_array(answer, expected).status == CORRECT, answer


def test_check_array_gives_a_hint_for_a_slip_of_another_shape():
    hints = [(np.array([[1.0, 3.0], [2.0, 4.0]]), "transposed"), (lambda a: a.shape == (4,), "flattened")]
    assert check_array([[1, 3], [2, 4]], [[1, 2], [3, 4]], hints=hints).message == "transposed"
    assert check_array([1, 2, 3, 4], [[1, 2], [3, 4]], hints=hints).message == "flattened"
    assert "shape (2, 2)" in check_array([1, 2, 3], [[1, 2], [3, 4]], hints=hints).message


def test_very_deep_or_self_containing_lists_get_a_hint():
    deep = [1.0]
    for _ in range(10_000):
        deep = [deep]
    loop = []
    loop.append(loop)
    for answer in (deep, loop):
        assert "nested" in check_array(answer, [1.0]).message
        assert check_number(answer, 1.0).status == WRONG


@pytest.mark.parametrize("answer", [(4, 3), [4, 3], np.array([4, 3]), (4.0, 3.0), (np.int64(4), np.int64(3))])
def test_check_shape_reads_a_pair_of_whole_numbers(answer):
    assert check_shape(answer, (4, 3)).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (("4", "3"), "Remove the quotes"),
    (np.array(["4", "3"]), "text"),
    ((float("nan"), 3), "nan"),
    ((4, float("inf")), "infinite"),
    ((True, 3), "truth value"),
    ((4.5, 3), "whole number"),
    ((-4, 3), "whole number"),
    ((10 ** 400, 3), "too large"),
    ((4 + 0j, 3), "complex"),
    (((4,), (3,)), "no brackets inside"),
    (np.array([[4, 3]]), "table"),
    ("(4, 3)", "text"),
    ({4, 3}, "set"),
])
def test_check_shape_never_reads_text_truth_values_or_nan_as_a_shape(answer, words):
    feedback = check_shape(answer, (4, 3))
    assert feedback.status == WRONG and words in feedback.message, feedback


def test_check_shape_hints_name_the_slip():
    hints = {(3, 4): "transposed"}
    assert check_shape([3, 4], (4, 3), hints=hints).message == "transposed"
    assert check_shape(12, (4, 3), hints={(12,): "count"}).message == "count"


@pytest.mark.parametrize("answer", ["backward", " Backward ", "BACKWARD", np.str_("backward"), np.array("backward")])
def test_check_choice_accepts_the_option_in_any_case(answer):
    assert check_choice(answer, "backward", ("forward", "backward")).status == CORRECT


def test_check_choice_accepts_a_title_as_displayed_and_aliases():
    options = ("learning_rate_too_high", "wrong_sign")
    assert check_choice("Learning rate too high", "learning_rate_too_high", options).status == CORRECT
    assert check_choice("learning-rate-too-high", "learning_rate_too_high", options).status == CORRECT
    assert check_choice("backprop", "backward", ("forward", "backward"), aliases={"backprop": "backward"}).ok
    assert check_choice("Wrong sign", "learning_rate_too_high", options, hints={"wrong_sign": "h"}).message == "h"


@pytest.mark.parametrize("answer, words", [
    (True, "truth value"),
    (["backward"], "without the brackets"),
    ({"backward"}, "as text in quotes"),
    (print, "as text in quotes"),
    (10 ** 400, "as text in quotes"),
    ("sideways", "Choose one of"),
])
def test_check_choice_gives_odd_answers_a_hint(answer, words):
    feedback = check_choice(answer, "backward", ("forward", "backward"))
    assert feedback.status == WRONG and words in feedback.message, feedback


def test_check_choice_reads_a_number_against_options_written_as_numbers():
    assert check_choice(4.0, "4", ("0.1", "1", "4")).status == CORRECT
    assert check_choice(np.int64(1), "4", ("0.1", "1", "4")).status == WRONG


class _OtherLibrarysArray:
    """What a pandas Series or a tensor looks like to NumPy: an object with __array__."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


def test_another_librarys_arrays_are_read_through_numpy():
    assert check_array(_OtherLibrarysArray([[1.0, 2.0]]), [[1.0, 2.0]]).status == CORRECT
    assert check_number(_OtherLibrarysArray(0.5), 0.5).status == CORRECT
    assert "inside a list or array" in check_number(_OtherLibrarysArray([0.5]), 0.5).message
    assert "text" in check_array(_OtherLibrarysArray(["1", "2"]), [1.0, 2.0]).message


def test_numpy_text_and_truth_scalars_are_not_numbers():
    assert "Remove the quotes" in check_number(np.str_("0.5"), 0.5).message
    assert "truth value" in check_number(np.bool_(True), 1.0).message
    assert "Remove the quotes" in check_shape(np.array(["4", "3"]), (4, 3)).message


# Rounding is not a mistake; quotes make text.

@pytest.mark.parametrize("answer, expected", [(81.9999999, 82), (123.457, 123.4567891), (0.141003, 0.1410034),
                                              (9.53674e-07, 0.25 ** 10)])
def test_an_answer_equal_to_six_significant_digits_is_right_whatever_the_tolerance(answer, expected):
    assert check_number(answer, expected, tol=1e-12).status == CORRECT


def test_an_answer_that_differs_in_the_sixth_digit_is_not_and_shows_its_own_digits():
    feedback = check_number(82.0001, 82, tol=1e-9)
    assert feedback.status == WRONG and feedback.message.startswith("82.0001 is not it.")
    feedback = check_number(0.9999995, 1.0000049, tol=1e-9)  # both read 1 to six digits
    assert feedback.message.startswith("0.9999995 is not it.")  # never "1 is not it" for an answer of 1


def test_an_array_equal_to_six_significant_digits_is_right():
    assert check_array([[81.9999999, 0.1410034]], [[82, 0.141003412]], tol=1e-12).status == CORRECT
    assert check_array([[81.99, 0.1410034]], [[82, 0.141003412]], tol=1e-12).status == WRONG


@pytest.mark.parametrize("answer", ["4", " 4.0 ", np.str_("4")])
def test_check_choice_reads_a_number_in_quotes_as_text_where_the_options_are_numbers(answer):
    feedback = check_choice(answer, "4", ("0.1", "1", "4"))
    assert feedback.status == WRONG and "Remove the quotes" in feedback.message


def test_check_choice_still_reads_text_options_written_in_quotes():
    assert check_choice("B", "B", ("A", "B")).status == CORRECT
