"""What the browser tests share: Debian's chromium, found or explained, one browser and one JupyterLab per worker."""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

# The tests live in folders by what they test (maths, exercises, widgets, notebooks, browser, install); the
# modules they share (lab_server, kernel_widgets, capture, feedback, interrupts, fixtures_page) stay here.
sys.path.insert(0, str(Path(__file__).resolve().parent))
# `make bench` lives in bench/; the browser tests share its screens and its scratch notebook (bench_browser).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium():
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    message = ("the browser tests need Debian's chromium at /usr/bin/chromium; install it with "
               "`sudo apt-get install chromium` (or set COURSE_CHROMIUM to a chromium binary)")
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """One chromium for every browser test a worker runs; each test module opens its own pages in it."""
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """One JupyterLab for every browser test a worker runs, serving a throwaway copy of notebooks/."""
    from lab_server import LabServer

    server = LabServer(tmp_path_factory.mktemp("lab")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_page(browser, lab):
    """One JupyterLab page for the session, as a learner keeps one tab open and opens notebook after
    notebook in it: JupyterLab starts once, not once per test. Tests share it through test_browser's
    `page` fixture, which gives each test its own viewport and at most one notebook open."""
    from lab_server import open_lab

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_lab(context.new_page(), lab)
    yield page
    context.close()


@pytest.fixture(scope="session")
def course_book(tmp_path_factory):
    """The course's book (`make book`), built once for test_book.py and test_book_browser.py, which are dealt
    out together as one unit of work (work_unit below). Building it must not change the notebooks."""
    import hashlib

    from tools import book

    notebooks = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))

    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in notebooks}

    before = digest()
    out = tmp_path_factory.mktemp("book") / "site"
    assert book.main(["--out", str(out)]) == 0, "the build reported problems (see its warnings)"
    assert digest() == before, "building the book must not change (or execute) the notebooks"
    return out


# `make test` deals the suite out to its workers (pytest-xdist, `--dist loadgroup`): a file's tests stay
# together on one worker, in order, as nbval needs (a notebook's cells run one after another in one
# kernel) and as the module-scoped JupyterLab, venv and site fixtures need. Files are handed out in the
# order collected; the slow ones below start first, so the rest fill in beside them instead of waiting
# at the end. Any order gives the same results; only the wall time changes.
START_FIRST = (
    "tests/browser/test_browser.py",
    "tests/install/test_installed_course.py",
    "tests/install/test_make_lab.py",
    "tests/browser/test_book_browser.py",
    "tests/browser/test_browser_layout.py",
)
# The one file too long for one worker: test_browser.py's Run All of every notebook is dealt out in two halves,
# each on its worker with that worker's JupyterLab (the notebooks below, and the rest); the file's other tests go
# with the first half. A test that goes on with a notebook just run (the page still shows it, so it is not run a
# second time) comes straight after that notebook's Run All test, in the same half, even from another file.
RUN_ALL = "tests/browser/test_browser.py::test_notebook_runs_all_cells_in_jupyterlab["
SECOND_HALF = ("01_", "02_", "03_", "06_", "07_", "08_")
FOLLOWS = {
    "tests/browser/test_browser.py::test_the_weight_explorer_in_04_answers_keys_a_drag_and_step_from_the_page":
        "04_backprop_by_hand.ipynb",
    "tests/browser/test_browser_autograd.py::"
    "test_the_backward_stepper_in_04_walks_the_2_2_1_graph_as_upstream_times_local_in_jupyterlab":
        "04_backprop_by_hand.ipynb",
    "tests/browser/test_browser.py::test_the_playground_in_05_redraws_in_the_page_when_the_learning_rate_changes":
        "05_gradient_descent.ipynb",
    "tests/browser/test_browser_autograd.py::test_the_backward_stepper_steps_backs_and_switches_computation_in_jupyterlab":
        "10_autograd.ipynb",
}


def _half(nodeid):
    """Which half of test_browser.py's work a test belongs to, or None for a test of any other file."""
    notebook = nodeid[len(RUN_ALL):-1] if nodeid.startswith(RUN_ALL) else FOLLOWS.get(nodeid)
    if notebook is not None:
        return 1 if notebook.startswith(SECOND_HALF) else 0
    return 0 if nodeid.startswith("tests/browser/test_browser.py::") else None


# A test id made from an object's repr carries its memory address, which differs in every worker; the
# workers must name every test alike, so the address is dropped (numbered in order if names then clash).
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _rename(item, nodeid):
    try:  # pytest 9 keeps the id in structured form
        from _pytest.nodes import coerce_node_id
    except ImportError:
        item._nodeid = nodeid
    else:
        item._id = coerce_node_id(nodeid)


# Files that share a session fixture built once per worker go out as one unit: the two book files share the book.
TOGETHER = {"tests/notebooks/test_book.py": "tests/book", "tests/browser/test_book_browser.py": "tests/book"}


def work_unit(nodeid):
    """The unit of work a test is dealt out in: its file (or the files it goes with, TOGETHER), or for
    test_browser.py's Run All, one of two halves."""
    half = _half(nodeid)
    if half is not None:
        return f"tests/browser/test_browser.py::half-{half}"
    file = nodeid.split("::", 1)[0]
    return TOGETHER.get(file, file)


def pytest_collection_modifyitems(config, items):
    rank = {name: place for place, name in enumerate(START_FIRST)}
    # A stable sort by file: the order of the tests within each file is kept.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
    for follower, notebook in FOLLOWS.items():
        moved = [item for item in items if item.nodeid == follower]
        leaders = [item for item in items if item.nodeid == f"{RUN_ALL}{notebook}]"]
        if moved and leaders:
            items.remove(moved[0])
            items.insert(items.index(leaders[0]) + 1, moved[0])
    taken = {item.nodeid for item in items}
    for item in items:
        if ADDRESS.search(item.nodeid):
            name, number = ADDRESS.sub("", item.nodeid), 1
            while name in taken:
                number += 1
                name = ADDRESS.sub(f" #{number}", item.nodeid, count=1)
                name = ADDRESS.sub("", name)
            taken.add(name)
            _rename(item, name)
    # xdist's `--dist loadgroup` deals out one unit per group, and reads a test's group after the "@" that ends
    # its node id. Its xdist_group mark writes that suffix by setting a private attribute that pytest 9 no longer
    # reads, so the suffix is written here, with pytest's own renaming.
    if getattr(config.option, "loadgroup", False):  # set on each worker of a `--dist loadgroup` run
        for item in items:
            _rename(item, f"{item.nodeid}@{work_unit(item.nodeid)}")

