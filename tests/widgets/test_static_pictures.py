"""Every widget carries a still picture of its figure, for GitHub, nbviewer and HTML exports, where nothing runs."""

import base64
import hashlib
import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import helpers.widgets as course_widgets
from helpers.tiny import WEIGHT_NAMES, TwoTwoOne
from helpers.widgets._base import CourseWidget, fmt, signed
from kernel_widgets import kernel_build, kernel_version

pytestmark = pytest.mark.filterwarnings("error")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGETS = course_widgets.__all__

# Builds every widget in a fresh Python and prints each picture's SHA-256, one "name digest" a line.
DIGESTS_IN_A_FRESH_PROCESS = """
import base64, hashlib, inspect
import helpers.widgets as course_widgets
for name in course_widgets.__all__:
    build = getattr(course_widgets, name)
    widget = build(home="kernel") if "home" in inspect.signature(build).parameters else build()
    png = base64.b64decode(widget._repr_mimebundle_()["image/png"])
    print(name, hashlib.sha256(png).hexdigest())
"""


def picture(widget):
    """The PNG bytes in the widget's display data."""
    return base64.b64decode(widget._repr_mimebundle_()["image/png"], validate=True)


class _FirstPictures(dict):
    """name -> the picture of that widget's first build in this process, built when first asked for."""

    def __missing__(self, name):
        self[name] = picture(kernel_build(name))
        return self[name]


@pytest.fixture(scope="module")
def first_pictures():
    """One build of each widget, kept: the tests below compare their own builds with it (building a
    widget and drawing its picture is most of this file's time)."""
    return _FirstPictures()


@pytest.fixture(scope="module", autouse=True)
def digests_in_a_fresh_process():
    """Another Python builds every widget while this one runs the tests before it needs the answer."""
    process = subprocess.Popen([sys.executable, "-c", DIGESTS_IN_A_FRESH_PROCESS], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()


@pytest.mark.parametrize("name", WIDGETS)
def test_the_display_data_holds_the_live_view_and_a_picture_of_the_figure(name, first_pictures):
    w = kernel_build(name)
    bundle = w._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW, "image/png"}
    assert bundle[WIDGET_VIEW]["model_id"] == w.model_id
    assert bundle["text/plain"] == repr(w)
    assert isinstance(bundle["image/png"], str)  # base64 text, as a notebook stores it
    png = base64.b64decode(bundle["image/png"], validate=True)
    assert png.startswith(PNG_SIGNATURE)
    first_pictures.setdefault(name, png)
    width, height = (round(side * w.view.fig.dpi) for side in w.view.fig.get_size_inches())
    size = Image.open(io.BytesIO(png)).size
    if w.still_lines():  # the numbers beside the figure are printed under it
        assert size[0] == width and size[1] > height
    else:
        assert size == pytest.approx((width, height), abs=1)  # matplotlib 3.10 truncates where 3.11 rounds


@pytest.mark.parametrize("name", WIDGETS)
def test_two_builds_give_the_same_picture(name, first_pictures):
    first = first_pictures[name]
    assert picture(kernel_build(name)) == first


def test_pictures_are_the_same_bytes_in_another_python_process(first_pictures, digests_in_a_fresh_process):
    here = {name: hashlib.sha256(first_pictures[name]).hexdigest() for name in WIDGETS}
    out, err = digests_in_a_fresh_process.communicate(timeout=120)
    assert digests_in_a_fresh_process.returncode == 0, err[-3000:]
    there = dict(line.split() for line in out.splitlines())
    assert there == here


def test_the_picture_shows_the_widget_as_it_is_now():
    w = course_widgets.weight_explorer(home="kernel")
    before = picture(w)
    w.sliders["w1"].value = 0.2
    after = picture(w)
    assert after != before
    assert picture(w) == after


def test_a_widget_without_a_figure_gets_no_picture():
    bundle = CourseWidget([])._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW}


def test_the_weight_explorers_picture_shows_its_numbers_under_the_diagram():
    w = course_widgets.weight_explorer(home="kernel")
    chain = TwoTwoOne().chain()
    lines = w.still_lines()
    assert lines[0] == f"prediction ŷ = {fmt(chain.y_hat)} (target y = 1)"
    assert lines[1] == f"loss L = (ŷ − y)² = {fmt(chain.loss)}"
    for name, line in zip(WEIGHT_NAMES, lines[2:6]):
        assert line.startswith(f"blame ∂L/∂{name} = {signed(chain.gradients[name])}, so a step moves {name} by")
    assert lines[6] == f"ŷ after one step with η = 0.5: {fmt(TwoTwoOne().step(0.5).forward())}"
    assert not any("<" in line for line in lines)
    still = Image.open(io.BytesIO(picture(w))).convert("RGB")
    figure = Image.open(io.BytesIO(w.view.image.value)).convert("RGB")
    assert still.crop((0, 0, *figure.size)).tobytes() == figure.tobytes()  # the diagram, then the numbers
    below = np.asarray(still.crop((0, figure.height, still.width, still.height)).convert("L"))
    dark_rows = np.flatnonzero((below < 128).any(axis=1))
    assert len(lines) * 8 < len(dark_rows)  # every line leaves ink, none is blank


@pytest.mark.parametrize("name", WIDGETS)
def test_the_picture_does_not_depend_on_matplotlibs_global_settings(name, first_pictures):
    """A notebook may change matplotlib's settings (style.apply(), a learner's own rcParams); a widget
    draws in the course's look whatever they are."""
    import matplotlib as mpl

    build = kernel_version(getattr(course_widgets, name))
    plain = first_pictures[name]
    with mpl.rc_context({"font.size": 30, "axes.spines.top": True, "lines.linewidth": 6,
                         "axes.prop_cycle": mpl.cycler(color=["red"]), "savefig.dpi": 300}):
        changed = picture(build())
    assert changed == plain
