"""In JupyterLab itself, the feedback panels and the NameError note look as they should: saved and reopened, and live.

A saved notebook opens untrusted, and JupyterLab then cleans the HTML of its outputs: this checks
that the panels keep their colours, border styles, text size and wrapping after that cleaning, in
the same chromium the other browser tests use.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from lab_server import POLL_MS, close_notebooks, menu, open_notebook, wait_idle

pytestmark = pytest.mark.browser

NAME = "feedback_panels.ipynb"
CELLS = [
    "from helpers.exercises import nb02 as check",
    "check.squared_error_of_prediction(0.25)",
    "check.squared_error_of_prediction(0.5)",
    "check.squared_error_of_prediction(None)",
    "net.forward(x)",  # as after a restart: names from cells that have not run
]
PANELS = """() => [...document.querySelectorAll('.jp-Notebook .course-feedback:not(.course-friendly-note)')].map(p => {
    const s = getComputedStyle(p);
    return {text: p.textContent, fontSize: parseFloat(s.fontSize), borderStyle: s.borderTopStyle,
            borderColor: s.borderTopColor, background: s.backgroundColor, whiteSpace: s.whiteSpace,
            wordBreak: s.wordBreak, overflowWrap: s.overflowWrap, width: p.getBoundingClientRect().width};
})"""


@pytest.fixture(scope="module")
def saved(lab):
    """The notebook above, run and saved into the worker's JupyterLab folder (conftest.py) as a learner's would be."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    path = lab.workdir / "notebooks" / NAME
    NotebookClient(nb, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return NAME


@pytest.fixture
def page(lab_page, saved):
    """The worker's one JupyterLab page, at a laptop's size, with this notebook freshly opened from disk."""
    lab_page.set_viewport_size({"width": 1366, "height": 768})
    close_notebooks(lab_page)
    open_notebook(lab_page, saved)
    return lab_page


NOTE = """() => {
    const cell = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].pop();
    const error = cell.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]');
    const note = cell.querySelector('.course-friendly-note');
    return {error: error ? error.textContent : null, note: note ? note.textContent : null,
            noteBelowError: !!(error && note && (error.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)),
            fontSize: note ? parseFloat(getComputedStyle(note).fontSize) : 0};
}"""


def _assert_note(state):
    assert "NameError" in state["error"] and "name 'net' is not defined" in state["error"]
    assert "the name 'net'" in state["note"] and "Run All Above Selected Cell" in state["note"]
    assert state["noteBelowError"] and state["fontSize"] >= 15


def _rgb(hex_colour):
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _assert_panels(panels):
    from helpers.checks import CORRECT, LOOK, UNANSWERED, WRONG
    assert [re.sub(r"^\W+", "", p["text"]).split(".")[0].split("!")[0] for p in panels] == [
        "Correct", "Not yet", "Not answered yet"]
    for panel, status in zip(panels, (CORRECT, WRONG, UNANSWERED)):
        look = LOOK[status]
        assert panel["fontSize"] >= 15
        assert panel["borderStyle"] == look["line"]
        assert panel["borderColor"] == _rgb(look["border"])
        assert panel["background"] == _rgb(look["background"])
        assert (panel["whiteSpace"], panel["wordBreak"], panel["overflowWrap"]) == ("normal", "normal", "normal")
        assert panel["width"] > 300


def test_saved_panels_keep_their_look_when_the_notebook_is_reopened(page):
    page.wait_for_selector(".jp-Notebook .course-feedback")
    _assert_panels(page.evaluate(PANELS))
    _assert_note(page.evaluate(NOTE))


def test_panels_look_the_same_when_the_cells_run_live(page):
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("() => !document.querySelector('.jp-Notebook .course-feedback')", polling=POLL_MS)
    menu(page, "Run", "Run All Cells")
    started = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                     .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    try:
        page.wait_for_function(started, timeout=20_000, polling=POLL_MS)
    except Exception:  # the kernel was not ready for the first request (a loaded machine): ask once more
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
    page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .course-feedback').length === 4",
                           timeout=90_000, polling=POLL_MS)
    _assert_panels(page.evaluate(PANELS))
    _assert_note(page.evaluate(NOTE))
