"""The course in a real browser: JupyterLab driven by Playwright with Debian's chromium.

For every notebook: open it, Run All Cells from the menu, wait for the kernel, and check that
every code cell ran, nothing shows an error and every widget rendered. Screenshots go to
screenshots/ (ignored by git) for a person to look at.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lab_server import ROOT, LabServer

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "screenshots"
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
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("lab")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def open_notebook(page, lab, name):
    page.goto(f"{lab.url}/lab/tree/{name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    wait_idle(page)


def wait_idle(page, timeout=90_000):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # Wait until every code cell shows an execution count, then for the kernel to settle.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=180_000,
    )
    wait_idle(page)


def requests_off_localhost(page, lab):
    local = urlparse(lab.url).netloc
    return [url for url in page.requests
            if not url.startswith(("data:", "blob:")) and urlparse(url).netloc != local]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_all_cells_in_jupyterlab(page, lab, name):
    open_notebook(page, lab, name)
    run_all(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}.png"))

    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    assert code_cells.count() > 0
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    assert page.get_by_text("Error displaying widget").count() == 0
    widget_outputs = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']")
    for i in range(widget_outputs.count()):
        assert widget_outputs.nth(i).locator(".jupyter-widgets").count() > 0, f"widget {i} did not render"
    assert requests_off_localhost(page, lab) == []
