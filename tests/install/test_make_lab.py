"""`make lab` as a newcomer meets it, in a throwaway copy of the project that is its own git repo.

Start `make lab` (with LAB_OPTIONS=--no-browser, this project's .venv, and its install stamp
taken as up to date so nothing is reinstalled), read the link it prints, open that link in
chromium, and check that the learner's own notebook 00 is what shows. Then work as a learner:
run the notebook, answer an exercise, save with Ctrl+S, and check that the answer landed in the
learner's copy while `git status --porcelain` stays empty (the course's notebooks are untouched).
"""

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

from lab_server import ROOT, free_port, make_safe_path

pytestmark = pytest.mark.browser

VENV = make_safe_path(sys.prefix)  # the installed venv, by a path make can take
FIRST = "00_welcome.ipynb"
COPIES = "my-notebooks"
SCREENSHOTS = ROOT / "screenshots"
LINK = re.compile(r"https?://\S+")
GIT_ENV = {"GIT_AUTHOR_NAME": "Course test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Course test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def _git(project, *args):
    result = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True,
                            env=dict(os.environ, **GIT_ENV))
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def project_copy(target):
    """The project's files as git sees them (tracked, and new ones not ignored), as a fresh git repo."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "The course as a learner clones it")
    assert _git(target, "status", "--porcelain") == ""
    return target


class MakeLab:
    """`make lab` running in `project`, with everything it prints collected line by line."""

    def __init__(self, project):
        self.project = project
        home = project.parent / "home"
        env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
                   JUPYTER_DATA_DIR=str(home / "data"))
        env.pop("MAKEFLAGS", None)
        self.command = ["make", f"VENV={VENV}", "-o", f"{VENV}/.installed", "lab",
                        f"LAB_OPTIONS=--no-browser --ServerApp.port={free_port()} --ServerApp.port_retries=0"]
        self.process = subprocess.Popen(self.command, cwd=project, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines, self._queue = [], queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self._queue.put(line)

    def printed_link(self, timeout=120):
        """The first link with a token that make lab prints, as a newcomer would copy it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.lines.append(line)
            for link in LINK.findall(line):
                if "token=" in link:
                    return link
        raise AssertionError("make lab printed no link with a token:\n" + "".join(self.lines[-40:]))

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)  # make and the JupyterLab it started, nothing else
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not (VENV / ".installed").exists():
        pytest.skip(f"make lab is tested with the installed {VENV}, which has no install stamp")
    return project_copy(tmp_path_factory.mktemp("clone") / "course")


@pytest.fixture(scope="module")
def lab(project):
    started = MakeLab(project)
    try:
        started.link = started.printed_link()
        link = urlparse(started.link)
        _status(f"{link.scheme}://{link.netloc}/api/status")
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def page(browser, lab):
    """One browser tab on `make lab`'s server for the module, as a learner keeps one open."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        for (const k of await (await fetch('/api/kernels')).json()) {
            await fetch('/api/kernels/' + k.id, {method: 'DELETE', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
        }
    }""")
    context.close()


def _status(url, timeout=60):
    """The HTTP status the server answers `url` with, waiting while it is still starting to listen."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except urllib.error.URLError:  # the link is printed a moment before the server listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_make_lab_prints_a_link_to_the_learners_own_notebook_00_on_localhost_with_a_token(lab, project):
    link = urlparse(lab.link)
    assert link.hostname == "127.0.0.1"
    token = parse_qs(link.query).get("token", [""])[0]
    assert len(token) >= 32, "the link carries no token"
    assert link.path == f"/lab/tree/{COPIES}/{FIRST}"
    # The token is needed: without it the server's API refuses, with it the API answers.
    base = f"{link.scheme}://{link.netloc}"
    assert _status(f"{base}/api/contents/{COPIES}") == 403
    assert _status(f"{base}/api/contents/{COPIES}?token={token}") == 200
    # The copies were made before the server started, one per course file, each equal to the course's.
    course = sorted(p.name for p in (project / "notebooks").iterdir() if p.is_file())
    assert sorted(p.name for p in (project / COPIES).iterdir() if p.is_file()) == course
    for name in course:
        assert (project / COPIES / name).read_bytes() == (project / "notebooks" / name).read_bytes(), name
    assert any(f"{COPIES}/" in line for line in lab.lines), "make lab does not tell the learner about their copies"


def _wait_idle(page, timeout=90_000):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def _current_tab(page):
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").inner_text()


def _menu(page, top, item):
    """Choose `item` from the menu bar's `top` menu, as a person would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    entry = page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$"))
    entry.wait_for(state="visible")
    entry.click()
    page.locator(".lm-Menu").wait_for(state="detached")


def _cell_with(page, text):
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    for i in range(cells.count()):
        if text in cells.nth(i).locator(".jp-InputArea-editor").inner_text():
            return cells.nth(i)
    raise AssertionError(f"no code cell contains {text!r}")


def test_the_printed_link_opens_notebook_00_of_the_learners_copies_and_their_answer_stays_theirs(page, lab, project):
    page.goto(lab.link)
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    _wait_idle(page)
    assert _current_tab(page) == FIRST
    assert page.locator(".jp-Launcher").filter(visible=True).count() == 0, "the Launcher shows, not the course"
    assert page.locator(".jp-Notebook h1").first.inner_text().startswith("00 · Welcome")
    # The file browser is open on the learner's folder, listing the notebooks that follow 00.
    browser_panel = page.locator(".jp-FileBrowser")
    assert browser_panel.is_visible(), "the file browser is closed"
    assert COPIES in browser_panel.locator(".jp-BreadCrumbs").inner_text()
    browser_panel.locator(".jp-DirListing-item", has_text="01_forward_pass.ipynb").wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "make_lab_first_view.png"))

    # A learner's session: answer exercise 2, run the cells above it and then it, save with Ctrl+S.
    exercise = _cell_with(page, "check.exam_trace_back(answer)")
    exercise.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Shift+End")
    page.keyboard.type('answer = "backward"  # my answer')
    _menu(page, "Run", "Run All Above Selected Cell")
    _wait_idle(page)
    exercise.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    _wait_idle(page)
    exercise.locator(".jp-OutputArea-output", has_text=re.compile("Correct")).first.wait_for()
    page.keyboard.press("Control+s")
    page.wait_for_function("""() => !document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current.jp-mod-dirty')""")

    saved = project / COPIES / FIRST
    deadline = time.monotonic() + 20
    while 'answer = "backward"  # my answer' not in saved.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.5)
    cell = next(c for c in nbformat.read(saved, as_version=4).cells if "check.exam_trace_back" in c.source)
    assert cell.source.startswith('answer = "backward"  # my answer'), cell.source
    assert any("Correct" in str(o) for o in cell.outputs), "the check's verdict was not saved with the answer"
    assert _git(project, "status", "--porcelain", "--untracked-files=all") == "", \
        "the learner's session changed files that git sees"
    assert (project / "notebooks" / FIRST).read_bytes() == (ROOT / "notebooks" / FIRST).read_bytes()
    assert _git(project, "check-ignore", f"{COPIES}/{FIRST}").strip() == f"{COPIES}/{FIRST}"


def test_making_the_copies_again_keeps_what_a_learner_saved(lab, project):
    # What make lab runs before JupyterLab starts, run again, must leave a learner's file alone.
    saved = project / COPIES / "02_loss.ipynb"
    nb = nbformat.read(saved, as_version=4)
    nb.cells[0].source += "\n\nMy note: squared error punishes big misses more."
    nbformat.write(nb, saved)
    before = saved.read_bytes()
    result = subprocess.run([str(VENV / "bin" / "python"), "-m", "tools.copies"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert saved.read_bytes() == before
    assert _git(project, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_link_between_notebooks_opens_the_learners_copy_not_the_course(page, lab):
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    if not (tab.count() and tab.inner_text() == FIRST):  # after the test above the tab shows notebook 00 already
        page.goto(lab.link)
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    link = page.locator(".jp-RenderedMarkdown a[href*='01_forward_pass.ipynb']").first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_function("""() => {
        const tab = document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current');
        return tab && tab.textContent.includes('01_forward_pass.ipynb');
    }""")
    # The notebook that opened is the one whose kernel session the server now holds (a session
    # first shows under a temporary name, then under the notebook's path).
    deadline = time.monotonic() + 60
    while True:
        paths = page.evaluate("async () => (await (await fetch('/api/sessions')).json()).map(s => s.path)")
        if any(p.endswith("01_forward_pass.ipynb") for p in paths) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert f"{COPIES}/01_forward_pass.ipynb" in paths, paths
    assert not [p for p in paths if p.startswith("notebooks/")], paths
