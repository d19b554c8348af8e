"""What the browser tests share: Debian's chromium, found or explained, and one browser per test module."""

import os
import re
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# `make test` deals the suite out to two workers (pytest-xdist, `--dist loadfile`): a file's tests stay
# together on one worker, in order, as nbval needs (a notebook's cells run one after another in one
# kernel) and as the module-scoped JupyterLab, venv and site fixtures need. Files are handed out in the
# order collected; the slow ones below start first, so the rest fill in beside them instead of waiting
# at the end. Any order gives the same results; only the wall time changes.
START_FIRST = (
    "tests/test_browser.py",
    "tests/test_installed_course.py",
    "tests/test_make_lab.py",
    "tests/test_book_browser.py",
)
# The one file too long for one worker: its run of every notebook in JupyterLab is split in two halves
# (each half with its own JupyterLab on its worker); the file's other tests go with the lighter half.
SPLIT_IN_TWO = {"tests/test_browser.py": "test_notebook_runs_all_cells_in_jupyterlab["}


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


def pytest_collection_modifyitems(config, items):
    rank = {name: place for place, name in enumerate(START_FIRST)}
    # A stable sort by file: the order of the tests within each file is kept.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, but with SPLIT_IN_TWO's files dealt out as two units of work."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileSplittingTheLongest(LoadFileScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self._scopes, self._seen = {}, {}

        def _split_scope(self, nodeid):
            if nodeid not in self._scopes:  # first asked in collection order, so the halves are the same every run
                file, _, name = nodeid.partition("::")
                prefix = SPLIT_IN_TWO.get(file)
                if prefix and name.startswith(prefix):
                    self._seen[file] = self._seen.get(file, 0) + 1
                    self._scopes[nodeid] = f"{file}::half-{self._seen[file] % 2}"
                else:
                    self._scopes[nodeid] = f"{file}::half-0" if prefix else file
            return self._scopes[nodeid]

    return LoadFileSplittingTheLongest(config, log)
