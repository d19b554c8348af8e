"""Presentation mode: figures and widgets made after `presentation_mode()` are readable from the back of a room."""

import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

import helpers
from helpers import style
from helpers.widgets import neuron_explorer, weight_explorer
from helpers.widgets._base import PRESENTATION_CLASS, new_figure
from helpers.widgets import weights

pytestmark = pytest.mark.filterwarnings("error")

LARGE = style.PRESENTATION_CONTROLS


@pytest.fixture(autouse=True)
def mode_never_leaks():
    """Every test starts with the mode off, and leaves it off with matplotlib's settings as they were."""
    with mpl.rc_context():
        style.presentation_mode(False)
        try:
            yield
        finally:
            style.presentation_mode(False)


def sizes_of_a_new_plot():
    """(title size, x-label size, tick label size, line width, marker size) of a freshly drawn pyplot figure."""
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1, 2], [0, 1, 4], marker="o")
    title = ax.set_title("loss")
    label = ax.set_xlabel("step")
    fig.canvas.draw()
    tick = ax.get_xticklabels()[0]
    sizes = (title.get_fontsize(), label.get_fontsize(), tick.get_fontsize(), line.get_linewidth(),
             line.get_markersize())
    plt.close(fig)
    return sizes


def is_presentation_css(child):
    return "<style>" in getattr(child, "value", "") and f".{PRESENTATION_CLASS}" in child.value


def test_it_prints_nothing_and_returns_none(capsys):
    assert helpers.presentation_mode() is None
    assert helpers.presentation_mode(False) is None
    assert capsys.readouterr() == ("", "")


def test_the_flag_says_which_mode_is_on():
    assert style.presentation_active() is False
    style.presentation_mode()
    assert style.presentation_active() is True
    style.presentation_mode(False)
    assert style.presentation_active() is False


def test_both_looks_set_the_same_settings_so_switching_off_puts_each_back():
    assert set(style.PRESENTATION_RCPARAMS) == set(style.COURSE_RCPARAMS)


def test_a_new_plot_has_larger_text_thicker_lines_and_larger_markers():
    course = sizes_of_a_new_plot()
    assert course == (12, 11, 11, 2.0, 6.0)
    style.presentation_mode()
    title, label, tick, linewidth, markersize = sizes_of_a_new_plot()
    assert (title, label, tick) == (16, 16, 14)
    assert (linewidth, markersize) == (3.0, 9.0)
    assert mpl.rcParams["font.size"] == 16


def test_switching_off_gives_back_exactly_the_course_look():
    course = sizes_of_a_new_plot()
    style.presentation_mode()
    style.presentation_mode(False)
    assert sizes_of_a_new_plot() == course
    for key, value in style.COURSE_RCPARAMS.items():
        assert mpl.rcParams[key] == value, key


def test_turning_it_on_twice_is_harmless():
    style.presentation_mode()
    once = sizes_of_a_new_plot()
    style.presentation_mode()
    assert sizes_of_a_new_plot() == once
    w = weight_explorer(home="kernel")
    assert sum(is_presentation_css(child) for child in w.children) == 1
    assert list(w._dom_classes).count(PRESENTATION_CLASS) == 1


def test_apply_keeps_the_mode_that_is_on():
    style.presentation_mode()
    style.apply()  # a notebook's setup cell, run after the presenter switched the mode on
    assert mpl.rcParams["font.size"] == 16


def test_widget_figures_are_larger_and_use_the_large_text():
    fig = new_figure(style.FIGSIZE)
    assert tuple(fig.get_size_inches()) == style.FIGSIZE
    style.presentation_mode()
    fig = new_figure(style.FIGSIZE)
    assert tuple(fig.get_size_inches()) == pytest.approx(tuple(1.25 * side for side in style.FIGSIZE))
    w = neuron_explorer(home="kernel")
    w.view.fig.canvas.draw()
    tick = w.ax.get_xticklabels()[0]
    assert tick.get_fontsize() == 14
    assert w.ax.title.get_fontsize() == 16


def test_a_widget_built_in_presentation_mode_has_large_controls():
    style.presentation_mode()
    w = weight_explorer(home="kernel")
    assert PRESENTATION_CLASS in w._dom_classes
    assert is_presentation_css(w.children[0])
    assert w.children[0].layout.display == "none"  # the style sheet takes no room
    assert "--jp-widgets-font-size: 20px" in w.children[0].value
    for button in (w.step_button, w.reset_button):
        assert button.layout.height == LARGE["control_height"]
        assert button.style.font_size == LARGE["font_size"]
    for slider in (*w.sliders.values(), w.eta):
        assert slider.style.description_width == LARGE["description_width"]
        assert int(slider.layout.width.removesuffix("px")) >= int(LARGE["control_width"].removesuffix("px"))
    assert w.loss_label.style.font_size == LARGE["font_size"]


def test_a_neuron_explorer_built_in_presentation_mode_has_large_controls():
    style.presentation_mode()
    w = neuron_explorer(home="kernel")
    assert PRESENTATION_CLASS in w._dom_classes
    assert w.activation.style.description_width == LARGE["description_width"]
    assert w.activation.layout.width == LARGE["control_width"]
    assert w.x.style.description_width == LARGE["description_width"]
    assert w.z_label.style.font_size == LARGE["font_size"]


def test_a_widget_built_after_switching_off_has_the_course_controls():
    style.presentation_mode()
    weight_explorer(home="kernel")
    style.presentation_mode(False)
    w = weight_explorer(home="kernel")
    assert PRESENTATION_CLASS not in w._dom_classes
    assert not any(is_presentation_css(child) for child in w.children)
    assert w.step_button.layout.height is None
    assert w.step_button.style.font_size is None
    assert w.sliders["w1"].style.description_width == ""
    assert w.loss_label.style.font_size is None
    assert tuple(w.view.fig.get_size_inches()) == pytest.approx(weights.FIGSIZE)  # its own size, not scaled up


def test_a_presentation_widget_still_responds_to_its_controls():
    style.presentation_mode()
    w = weight_explorer(home="kernel")
    renders = w.view.renders
    w.sliders["w1"].value = 0.2
    assert w.view.renders == renders + 1
    w.step_button.click()
    assert w.view.renders == renders + 2


def test_anything_but_true_or_false_is_refused():
    with pytest.raises(TypeError, match="on must be True or False"):
        style.presentation_mode("yes")
    assert style.presentation_active() is False


def test_a_column_of_widened_sliders_is_not_squeezed_under_its_neighbour():
    helpers.presentation_mode()
    explorer = weight_explorer(home="kernel")
    slider = explorer.sliders["w1"]
    columns = [box for box in _boxes(explorer) if slider in box.children]
    assert columns and columns[0].layout.flex == "0 0 auto"
    helpers.presentation_mode(False)
    plain = weight_explorer(home="kernel")  # outside presentation mode too: squeezed, the tracks shrank to 124 px
    assert all(box.layout.flex == "0 0 auto" for box in _boxes(plain) if plain.sliders["w1"] in box.children)


def _boxes(widget):
    for child in getattr(widget, "children", ()):
        if hasattr(child, "children"):
            yield child
            yield from _boxes(child)


def test_in_a_notebook_it_also_grows_the_prose_and_the_printed_arithmetic(monkeypatch):
    shown = []
    monkeypatch.setattr(style, "_show_in_notebook", shown.append)
    style.presentation_mode()
    assert shown == [style.PRESENTATION_PAGE_CSS]
    css = shown[0]
    assert "--jp-content-font-size1: 20px" in css and "--jp-code-font-size: 18px" in css
    assert ".jp-RenderedMarkdown p" in css and ".jp-OutputArea-output pre" in css
    style.presentation_mode(False)
    assert len(shown) == 1  # switching off shows nothing more


def test_outside_a_kernel_nothing_is_displayed(capsys):
    style._show_in_notebook(style.PRESENTATION_PAGE_CSS)
    assert capsys.readouterr() == ("", "")


def test_on_the_projector_tables_grow_with_the_prose_and_keep_their_columns_apart():
    """The page's style sheet makes markdown tables as large as the prose, and gives every table cell in
    a notebook (markdown, printed or a widget's) three quarters of a letter's width of room either side, in a rule
    that outranks a widget's own `.bpc-XX table.bpc-readout td` (two classes, two elements)."""
    css = style.PRESENTATION_PAGE_CSS
    prose = style.PRESENTATION_PAGE_SIZES["prose"]
    assert f".jp-RenderedMarkdown table {{ font-size: {prose}; }}" in css
    rule = re.search(r"([^{}]*\btd\b[^{}]*)\{([^}]*)\}", css)
    assert rule, css
    selectors, body = rule.group(1), rule.group(2)
    declarations = dict(part.split(":", 1) for part in body.replace(" ", "").split(";") if part)
    assert declarations["padding-left"] == declarations["padding-right"] == "0.75em"
    for selector in (s.strip() for s in selectors.split(",")):
        assert selector.split()[-1] in ("td", "th"), selector
        classes, elements = selector.count("."), len(re.findall(r"(?:^|\s)[a-z]+", selector))
        assert (classes, elements) > (2, 2), f"{selector} does not outrank .bpc-le table.bpc-readout td"


def test_on_the_projector_code_lines_wrap_inside_their_cell():
    css = style.PRESENTATION_PAGE_CSS
    rule = re.search(r"\.jp-Cell \.cm-content \{([^}]*)\}", css)
    assert rule and "white-space: pre-wrap" in rule.group(1) and "overflow-wrap: anywhere" in rule.group(1)
