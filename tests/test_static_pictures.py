"""Every widget carries a still picture of its figure, for GitHub, nbviewer and HTML exports, where nothing runs."""

import base64
import hashlib
import io
import subprocess
import sys

import pytest
from PIL import Image

import helpers.widgets as course_widgets
from helpers.widgets._base import CourseWidget

pytestmark = pytest.mark.filterwarnings("error")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGETS = course_widgets.__all__

# Builds every widget in a fresh Python and prints each picture's SHA-256, one "name digest" a line.
DIGESTS_IN_A_FRESH_PROCESS = """
import base64, hashlib
import helpers.widgets as course_widgets
for name in course_widgets.__all__:
    png = base64.b64decode(getattr(course_widgets, name)()._repr_mimebundle_()["image/png"])
    print(name, hashlib.sha256(png).hexdigest())
"""


def picture(widget):
    """The PNG bytes in the widget's display data."""
    return base64.b64decode(widget._repr_mimebundle_()["image/png"], validate=True)


@pytest.mark.parametrize("name", WIDGETS)
def test_the_display_data_holds_the_live_view_and_a_picture_of_the_figure(name):
    w = getattr(course_widgets, name)()
    bundle = w._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW, "image/png"}
    assert bundle[WIDGET_VIEW]["model_id"] == w.model_id
    assert bundle["text/plain"] == repr(w)
    assert isinstance(bundle["image/png"], str)  # base64 text, as a notebook stores it
    png = base64.b64decode(bundle["image/png"], validate=True)
    assert png.startswith(PNG_SIGNATURE)
    width, height = (round(side * w.view.fig.dpi) for side in w.view.fig.get_size_inches())
    assert Image.open(io.BytesIO(png)).size == (width, height)


@pytest.mark.parametrize("name", WIDGETS)
def test_two_builds_give_the_same_picture(name):
    build = getattr(course_widgets, name)
    assert picture(build()) == picture(build())


def test_pictures_are_the_same_bytes_in_another_python_process():
    here = {name: hashlib.sha256(picture(getattr(course_widgets, name)())).hexdigest() for name in WIDGETS}
    run = subprocess.run([sys.executable, "-c", DIGESTS_IN_A_FRESH_PROCESS], capture_output=True, text=True,
                         check=True, timeout=120)
    there = dict(line.split() for line in run.stdout.splitlines())
    assert there == here


def test_the_picture_shows_the_widget_as_it_is_now():
    w = course_widgets.weight_explorer()
    before = picture(w)
    w.sliders["w1"].value = 0.2
    after = picture(w)
    assert after != before
    assert picture(w) == after


def test_a_widget_without_a_figure_gets_no_picture():
    bundle = CourseWidget([])._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW}
