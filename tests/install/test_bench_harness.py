"""The browser and class benchmarks measure what they claim: the right cells, every widget, honest pictures.

No timing is asserted here; these check the harness that `make bench` runs (bench/bench_browser.py and
bench/bench_class.py), and that bench/bench.py judges each figure against issue 16's goals, without a
browser or a server.
"""

import contextlib
import io
import json
import math

import nbformat
import pytest

import bench
import bench_browser
import bench_class
from helpers import widgets as course_widgets


def test_the_class_runs_notebook_04_up_to_the_weight_explorer_and_no_further():
    cells = bench_class.notebook_04_cells()
    nb = nbformat.read(bench_class.ROOT / "notebooks" / "04_backprop_by_hand.ipynb", as_version=4)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    shown_at = next(i for i, source in enumerate(code) if "weight_explorer(" in source)
    assert cells == code[:shown_at]
    assert cells, "notebook 04 should have code before its weight explorer"


def test_the_browser_notebook_shows_the_floor_and_every_course_widget_twice(tmp_path):
    names = course_widgets.__all__
    bench_browser.write_notebook(tmp_path, names, presentation=True)
    nb = nbformat.read(tmp_path / bench_browser.NOTEBOOK, as_version=4)
    sources = "\n".join(cell.source for cell in nb.cells)
    assert 'add_class("bench-floor")' in sources
    for name in names:
        assert f'add_class("bench-{name}")' in sources
        assert f'add_class("bench-p_{name}")' in sources
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_each_page_widget_is_measured_beside_its_kernel_version_in_the_same_notebook(tmp_path):
    names = course_widgets.__all__
    bench_browser.write_notebook(tmp_path, names, presentation=False)
    sources = [cell.source for cell in nbformat.read(tmp_path / bench_browser.NOTEBOOK, as_version=4).cells]
    page_names = set(bench_browser.page_names())
    assert page_names == {"weight_explorer", "neuron_explorer", "loss_explorer", "chain_rule_nudger",
                          "gradient_descent_playground", "backward_stepper"}
    for name in names:
        kernel_cells = [s for s in sources if f'add_class("bench-k_{name}")' in s]
        assert len(kernel_cells) == (name in page_names), name
        if kernel_cells:
            assert f'course_widgets.{name}(home="kernel")' in kernel_cells[0]
    assert bench_browser.keys_for(["weight_explorer", "bug_explorer"]) == ["weight_explorer", "bug_explorer",
                                                                           "k_weight_explorer"]
    assert bench_browser.is_page("weight_explorer") and bench_browser.is_page("p_weight_explorer")
    assert not bench_browser.is_page("k_weight_explorer") and not bench_browser.is_page("bug_explorer")
    assert bench_browser.label("k_weight_explorer") == "weight_explorer (kernel)"


def test_the_page_widgets_default_builds_are_page_widgets_with_the_slider_the_bench_reads():
    from helpers.widgets.page._base import PageWidget

    namespace = kernel_namespace()
    for name, (kind, _) in bench_browser.PAGE_CONTROLS.items():
        widget = namespace["BENCH"][name] = getattr(course_widgets, name)()
        assert isinstance(widget, PageWidget), name
        assert widget.MODULE == name
        if kind == "range":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                namespace["_bench_page_state"](name, bench_browser.PAGE_VALUES[name])
            assert isinstance(json.loads(out.getvalue())["value"], float), name


def test_a_page_learner_in_the_class_syncs_every_weight_and_checks_that_no_picture_came_back():
    assert "home=\"kernel\"" in bench_class.FIND_SLIDER
    assert "weight_explorer()" in bench_class.FIND_PAGE_EXPLORER
    assert set(bench_class.W1) == {"kernel", "page"}


def test_every_course_widget_has_a_control_the_browser_bench_can_press():
    for name in course_widgets.__all__:
        kind, _ = bench_browser.CONTROLS[name]
        assert kind in bench_browser.KEYS, name


def test_moves_that_showed_nothing_are_counted_not_dropped():
    median, p90, lost = bench_browser.stats([10.0, float("nan"), 30.0, 20.0])
    assert (median, lost) == (20.0, 1)
    assert 20.0 < p90 <= 30.0
    assert all(math.isnan(x) for x in bench_browser.stats([float("nan")])[:2])


def kernel_namespace():
    """The browser notebook's first cell, run here as the kernel would run it."""
    namespace = {}
    exec(bench_browser.SETUP, namespace)  # noqa: S102 -- the bench's own code
    return namespace


def kernel_state(namespace, key, description):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        namespace["_bench_state"](key, description)
    return json.loads(out.getvalue())


def test_the_honesty_check_passes_a_picture_drawn_for_the_slider_value():
    namespace = kernel_namespace()
    explorer = namespace["BENCH"]["weight_explorer"] = course_widgets.weight_explorer(home="kernel")
    w1 = next(c for c in namespace["_bench_controls"](explorer) if getattr(c, "description", None) == "w1")
    w1.value = 1.25
    state = kernel_state(namespace, "weight_explorer", "w1")
    assert state["value"] == 1.25
    assert state["shown"] == state["fresh"]


def test_the_honesty_check_catches_a_picture_left_behind_by_the_slider():
    namespace = kernel_namespace()
    explorer = namespace["BENCH"]["weight_explorer"] = course_widgets.weight_explorer(home="kernel")
    w1 = next(c for c in namespace["_bench_controls"](explorer) if getattr(c, "description", None) == "w1")
    stale = explorer.view.image.value
    w1.value = 1.25
    explorer.view.image.value = stale  # as if the last move's picture never came
    state = kernel_state(namespace, "weight_explorer", "w1")
    assert state["shown"] != state["fresh"]


def test_a_missing_control_is_an_error_not_a_silent_pass():
    namespace = kernel_namespace()
    namespace["BENCH"]["weight_explorer"] = course_widgets.weight_explorer(home="kernel")
    with pytest.raises(StopIteration):
        kernel_state(namespace, "weight_explorer", "no such slider")


def box(height=500, width=800, first_control=True, pictures=1, pictures_inside=1, outside=0):
    """measure_fit's answer for a widget in a 1000x600 visible area."""
    return {"parts": 3, "height": height, "width": width, "areaHeight": 600, "areaWidth": 1000,
            "firstControl": first_control, "pictures": pictures, "picturesInside": pictures_inside,
            "outside": outside}


def test_a_widget_no_larger_than_the_visible_area_with_everything_on_screen_fits():
    assert bench_browser.fit_verdict(box()) == ("fits (800x500 in 1000x600)", True)
    assert bench_browser.fit_verdict(box(height=600, width=1000))[1]


def test_a_widget_taller_or_wider_than_the_visible_area_does_not_fit():
    text, ok = bench_browser.fit_verdict(box(height=640, pictures_inside=0, outside=1))
    assert not ok and text.startswith("40 px too tall, picture not wholly on screen with it")
    text, ok = bench_browser.fit_verdict(box(width=1012))
    assert not ok and text.startswith("12 px too wide")


def test_a_widget_whose_first_control_or_picture_is_off_screen_does_not_fit():
    assert not bench_browser.fit_verdict(box(first_control=False, outside=1))[1]
    assert not bench_browser.fit_verdict(box(pictures=2, pictures_inside=1, outside=1))[1]
    assert not bench_browser.fit_verdict(box(outside=1))[1]


def test_a_widget_with_nothing_found_does_not_fit():
    assert bench_browser.fit_verdict(None) == ("no controls or picture found", False)
    assert bench_browser.fit_verdict({"parts": 0})[1] is False


def test_every_widget_callback_is_judged_against_33_ms_median():
    for name in course_widgets.__all__:
        _, what, figure, goal, verdict = bench.callback_row(name, [0.010, 0.033, 0.050])
        assert what.startswith(name)
        assert figure.startswith("33.0 / ")
        assert (goal, verdict) == ("<= 33 ms median", "ok"), name
    assert bench.callback_row("weight_explorer", [0.030, 0.034, 0.034])[3:] == ("<= 33 ms median", "MISSED")


def test_a_figure_that_is_not_a_number_misses_its_goal():
    assert bench.judge(float("nan"), 33) == "MISSED"


def test_make_bench_is_judged_against_five_minutes():
    assert bench.total_row(299.6)[2:] == ("300 s", "<= 300 s", "ok")
    assert bench.total_row(301)[2:] == ("301 s", "<= 300 s", "MISSED")


@pytest.mark.parametrize("seconds, verdict", [(1.9, "ok"), (2.1, "MISSED")])
def test_the_whole_course_is_judged_against_twice_the_floor(monkeypatch, seconds, verdict):
    def execute_notebook(nb, cwd, extra_cell=None):  # the floor takes 1 s, every notebook `seconds`
        return (seconds, str(2**20)) if extra_cell else (1.0, "")

    monkeypatch.setattr(bench, "execute_notebook", execute_notebook)
    monkeypatch.setattr(bench, "NOTEBOOKS", bench.NOTEBOOKS[:2])
    monkeypatch.setattr(bench, "ROWS", [])
    with contextlib.redirect_stdout(io.StringIO()):
        bench.bench_course()
    course = next(r for r in bench.ROWS if r[1].startswith("whole course"))
    assert course[2:] == (f"{seconds:.2f}x ({2 * seconds:.1f} s)", "<= 2.0x", verdict)


def test_first_choices_times_each_other_option_of_each_dropdown_once():
    import ipywidgets as widgets

    chosen = []
    dropdown = widgets.Dropdown(options=[("a", 1), ("b", 2), ("c", 3)], value=2)
    dropdown.observe(lambda change: chosen.append(change["new"]), "value")
    slider = widgets.FloatSlider()
    times = bench.first_choices(widgets.VBox([slider, widgets.HBox([dropdown])]))
    assert len(times) == 2
    assert chosen == [1, 3, 2]  # each other option once, then back to where it was
