"""What the browser tests share: Debian's chromium, found or explained, and one browser per test module."""

import os
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
    "tests/test_installed_course.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: place for place, name in enumerate(START_FIRST)}
    # A stable sort by file: the order of the tests within each file is kept.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
