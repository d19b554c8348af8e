"""Start JupyterLab for the browser tests: on 127.0.0.1, a free port, a throwaway copy of the course.

Token authentication is turned off here only, because the server listens on 127.0.0.1 alone and
lives only as long as the test session.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / ".jupyter"
# A wait for something that takes seconds (a notebook running, its kernel, MathJax) asks the page every
# 100 ms. Playwright's default asks on every animation frame, which keeps chromium drawing a frame 60 times
# a second for the whole wait. Waits for one key press's redraw keep asking every frame, as they time it.
POLL_MS = 100


def make_safe_path(path):
    """`path`, or when it holds a space (a course in "My Courses/backprop"), a link to it whose path holds
    none: make cannot take a file name with a space as a target or as `-o` (it splits it in two)."""
    import hashlib
    import tempfile

    path = Path(path)
    if " " not in str(path):
        return path
    link = Path(tempfile.gettempdir()) / f"course-{hashlib.sha1(str(path).encode()).hexdigest()[:12]}"
    if not link.is_symlink():
        try:
            link.symlink_to(path, target_is_directory=True)
        except FileExistsError:  # made meanwhile by another worker
            pass
    assert " " not in str(link) and link.resolve() == path.resolve(), link
    return link


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A running JupyterLab whose root folder is a copy of notebooks/ in `workdir`."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = self.workdir / "jupyterlab.log"

    def start(self, timeout=90):
        course = self.workdir / "notebooks"
        shutil.copytree(ROOT / "notebooks", course, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        home = self.workdir / "home"
        env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
                   MPLBACKEND="module://matplotlib_inline.backend_inline")
        lab = Path(sys.executable).parent / "jupyter-lab"
        cmd = [str(lab), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={course}", f"--LabApp.app_settings_dir={SETTINGS}",
               "--LabApp.extension_manager=readonly"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers run as root
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --- one JupyterLab page, notebook after notebook ------------------------------------------------------

CURRENT_TAB = "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"


def open_lab(page, lab):
    """Load JupyterLab in `page` once, in a workspace of its own, reset, so no tab from an earlier run reopens."""
    page.set_default_timeout(60_000)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.ran = set()  # notebooks run to the end in this page, and not changed since
    page.goto(f"{lab.url}/lab/workspaces/tests?reset")
    page.wait_for_selector("#jp-main-dock-panel")
    page.wait_for_selector(".lm-MenuBar-itemLabel")
    return page


def menu(page, top, item):
    """Choose `item` from the menu bar's `top` menu, as a person would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    entry = page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$"))
    entry.wait_for(state="visible")
    entry.click()
    page.locator(".lm-Menu").wait_for(state="detached")


def wait_idle(page, timeout=90_000):
    """Wait until the notebook's kernel is connected and idle (the status bar says so)."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /\\| Idle$/.test(e.textContent.trim()))""",
        timeout=timeout, polling=POLL_MS)


def current_tab(page):
    tab = page.locator(CURRENT_TAB)
    return tab.inner_text() if tab.count() else None


def shut_down_kernels(page):
    """Stop every kernel of this server, through its API, as JupyterLab itself would."""
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        const kernels = await (await fetch('/api/kernels')).json();
        for (const k of kernels) {
            await fetch('/api/kernels/' + k.id, {method: 'DELETE', headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
        }
    }""")


def close_notebooks(page):
    """Close every open tab, discarding changes (the files on disk are the test's copies), and stop the kernels,
    so the next notebook is the only one in the page."""
    notebooks = page.locator("#jp-main-dock-panel .lm-TabBar-tab", has=page.locator(".lm-TabBar-tabLabel",
                                                                                    has_text=re.compile(r"\.ipynb$")))
    while notebooks.count():
        notebooks.first.click()
        menu(page, "File", "Close Tab")
        discard = page.locator(".jp-Dialog button.jp-mod-warn")  # "Save your work": Discard
        try:
            discard.click(timeout=2_000)
        except Exception:  # an unchanged notebook closes without asking
            pass
        page.locator(".jp-Dialog").wait_for(state="detached")
    shut_down_kernels(page)
    page.ran.clear()


def open_notebook(page, name):
    """Open `name` (a path in the lab's folder) as the page's only notebook, with File > Open from Path, and wait
    for its kernel. A notebook that is already the open one stays as it is."""
    if current_tab(page) == name:
        return
    close_notebooks(page)
    menu(page, "File", "Open from Path…")
    box = page.locator(".jp-Dialog input")
    box.fill(name)
    box.press("Enter")
    page.wait_for_function("([selector, name]) => document.querySelector(selector)?.textContent === name",
                           arg=[CURRENT_TAB, name], polling=POLL_MS)
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    wait_idle(page)
