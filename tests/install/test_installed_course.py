"""The course as a learner or a class gets it: a wheel, and Binder's steps, outside this folder.

`make` installs the course editable, from this folder; Binder, a hub or `pip install .` install it
as a package and open the notebooks somewhere else. These tests build the wheel from a clean copy
of the project, then follow binder/ step by step in a fresh virtual environment in a temporary
folder (requirements.txt, then postBuild), and run every notebook from a copy of notebooks/ there.
One environment serves every test below, so the suite pays for the install once.
"""

import ast
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
TEST_TOOLS = {"pytest", "nbval", "playwright", "pytest-xdist"}
# What only tools/ imports (re-executing the notebooks, the book): pyproject.toml's `tools` extra.
MAINTAINER_TOOLS = {"nbconvert", "nbclient", "nbformat", "jupyter-server-mathjax"}
FOR_A_HUB = {"nbgitpuller"}  # hands the notebooks out on a class hub; not a dependency of the code


def _normalise(name):
    return re.split(r"[<>=!~;\[ ]", name.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _run(command, *, cwd, env, timeout=600):
    """Run a command; on failure, fail the test with what it printed."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
                    f"{result.stderr[-3000:]}")
    return result


def _clean_environment(venv, home):
    """The environment a fresh install sees: its own venv first on PATH, nothing from this checkout."""
    # PYTHONDONTWRITEBYTECODE goes too: pip installs without .pyc files below (--no-compile), so every
    # process in the venv (each notebook's kernel, JupyterLab, pip) would compile the same modules again.
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"}
           and not key.startswith("JUPYTER")}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        # Kernels and settings come from the venv alone, never from this machine's own Jupyter set-up.
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        PYTHONHASHSEED="0",
    )
    return env


def _copy_project(target):
    """Copy the files git would commit (tracked and new, not ignored): no .venv, build/ or egg-info."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file someone has just deleted is skipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


# The packages Binder's steps install, kept as wheel files between runs (like pip's own cache), so a
# run after the first installs them without asking the package index again. The pins fix the versions.
WHEELHOUSE = Path(os.environ.get("COURSE_WHEELHOUSE", Path.home() / ".cache" / "backprop-course" / "wheelhouse"))
BUILD_REQUIREMENTS = ["setuptools>=77"]  # what `pip install .` builds the course with


def _install_requirements(python, requirements, env):
    """pip install -r requirements, from WHEELHOUSE; filled from the package index when it lacks a file.

    Returns the environment for later steps: pip looks in WHEELHOUSE only, so postBuild's
    `pip install .` builds with the setuptools stored there.
    """
    offline = dict(env, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE))
    # --no-compile: unlike Binder's own build, this throwaway copy does not write a .pyc for every module
    # of every package (about half of pip's time here); Python compiles and keeps the ones a process
    # imports the first time it imports them, so the notebooks below run the same code either way.
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-r", str(requirements)]
    if subprocess.run(install, env=offline, capture_output=True).returncode != 0:
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        _run([str(python), "-m", "pip", "download", "--quiet", "--dest", str(WHEELHOUSE), "-r", str(requirements),
              *BUILD_REQUIREMENTS], cwd=WHEELHOUSE, env=env)
        _run(install, cwd=WHEELHOUSE, env=offline)
    return offline


def _clocks():
    """(wall seconds, CPU seconds of the finished subprocesses) now."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), children.ru_utime + children.ru_stime


def _since(started):
    """'W s (C CPU-s)': the wall and subprocess CPU time since _clocks() gave `started`."""
    wall, cpu = _clocks()
    return f"{wall - started[0]:.1f} s ({cpu - started[1]:.1f} CPU-s)"


def _make_venv(venv, *, cwd, env):
    """A venv with pip in it, as Binder's image has. `venv` alone runs ensurepip, which also writes a .pyc
    for every module of pip; installing the same bundled pip wheel with --no-compile costs a third."""
    import ensurepip
    bundled = sorted(Path(ensurepip.__file__).parent.glob("_bundled/pip-*.whl"))
    if not bundled:  # a Python whose ensurepip keeps its wheels elsewhere (Debian's)
        _run([sys.executable, "-m", "venv", str(venv)], cwd=cwd, env=env)
        return
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=cwd, env=env)
    _run([str(venv / "bin" / "python"), str(bundled[-1] / "pip"), "install", "--quiet", "--no-compile",
          "--no-index", str(bundled[-1])], cwd=cwd, env=env)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def wheel(project, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(project)]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    # The isolated build takes its setuptools from WHEELHOUSE when it is there, without asking the index.
    offline = dict(env, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE))
    if subprocess.run(build, cwd=dist, env=offline, capture_output=True, timeout=900).returncode != 0:
        _run(build, cwd=dist, env=env, timeout=900)
    (built,) = dist.glob("*.whl")
    return built


def _venv_and_requirements(base, requirements):
    """Binder's first step: a fresh venv, then requirements.txt. (environment for later steps, {step: time})."""
    venv, home = base / "venv", base / "home"
    home.mkdir()
    env = _clean_environment(venv, home)
    took = {}
    started = time.perf_counter()
    _make_venv(venv, cwd=base, env=env)
    took["venv"] = f"{time.perf_counter() - started:.1f} s"
    started = time.perf_counter()
    env = _install_requirements(venv / "bin" / "python", requirements, env)
    took["requirements.txt"] = f"{time.perf_counter() - started:.1f} s"
    return env, took


@pytest.fixture(scope="module", autouse=True)
def binder_first_step(project, tmp_path_factory):
    """Binder's first step, started with this module in a thread of its own: pip spends much of it waiting
    on the disk, so the wheel's build and the tests that need no venv run meanwhile. binder_env waits
    for it (and a run of the wheel's tests alone waits for it at the end)."""
    base = tmp_path_factory.mktemp("binder")
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield base, pool.submit(_venv_and_requirements, base, project / "binder" / "requirements.txt")


@pytest.fixture(scope="module")
def binder_env(project, binder_first_step):
    """A fresh venv set up by Binder's own steps: install requirements.txt, then run postBuild."""
    base, installing = binder_first_step
    env, took = installing.result()
    venv = base / "venv"
    started = _clocks()
    _run(["bash", str(project / "binder" / "postBuild")], cwd=project, env=env)
    took["postBuild"] = _since(started)
    print("\nBinder's steps took " + ", ".join(f"{name} {spent}" for name, spent in took.items()))
    return {"python": venv / "bin" / "python", "venv": venv, "env": env, "base": base, "project": project}


# --- the wheel ---------------------------------------------------------------------------------------------


def test_the_wheel_holds_every_module_of_helpers_and_the_same_data_bytes(wheel, project):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {path.relative_to(project).as_posix() for path in (project / "helpers").rglob("*.py")}
    missing = sorted(modules - names)
    assert not missing, f"the wheel leaves out {missing}"
    # every subpackage on disk, whole: a folder of helpers that holds Python code ships with its __init__.py
    subpackages = {path.parent for path in (project / "helpers").rglob("*.py")}
    for folder in sorted(subpackages):
        assert f"{folder.relative_to(project).as_posix()}/__init__.py" in names, f"the wheel leaves out {folder.name}"
    assert {"helpers/widgets/__init__.py", "helpers/exercises/__init__.py"} <= names
    page_modules = {f"helpers/widgets/page/js/{path.name}" for path in (project / "helpers/widgets/page/js").glob("*.js")}
    assert page_modules and page_modules <= names, f"the page widgets' modules left out: {sorted(page_modules - names)}"
    data = {f"helpers/course_data/{path.name}" for pattern in ("*.csv", "*.md") for path in (project / "data").glob(pattern)}
    assert "helpers/course_data/README.md" in data, "the data's description and licence travel with it"
    assert data <= names, f"the data files left out: {sorted(data - names)}"
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("helpers/course_data/cat_dog.csv")
    assert shipped == (ROOT / "data" / "cat_dog.csv").read_bytes()


def test_the_wheel_carries_the_licence_text(wheel, project):
    with zipfile.ZipFile(wheel) as archive:
        licences = [name for name in archive.namelist() if name.endswith(".dist-info/licenses/LICENSE")]
        assert len(licences) == 1, archive.namelist()
        assert archive.read(licences[0]) == (project / "LICENSE").read_bytes()
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata


def test_the_wheel_holds_no_test_or_build_leftovers(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_levels = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_levels == {"helpers"}, f"the wheel installs more than helpers: {sorted(top_levels)}"


def _third_party_imports():
    """Top-level names of modules that helpers imports and that are neither its own nor Python's."""
    found = set()
    for path in (ROOT / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "helpers"}


def test_every_package_the_code_imports_is_a_declared_dependency():
    declared = {_normalise(requirement) for requirement in _pyproject()["project"]["dependencies"]}
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(_third_party_imports()):
        names = {_normalise(name) for name in distributions.get(module, [module])}
        if not names & declared:
            undeclared[module] = sorted(names)
    assert not undeclared, f"helpers imports these, but pyproject.toml does not depend on them: {undeclared}"


def test_the_build_asks_for_a_setuptools_that_reads_the_licence_field():
    config = _pyproject()
    requires = config["build-system"]["requires"]
    setuptools = next(r for r in requires if _normalise(r) == "setuptools")
    minimum = re.search(r">=\s*(\d+)", setuptools)
    if isinstance(config["project"].get("license"), str):  # the SPDX form, read from setuptools 77 on
        assert minimum and int(minimum.group(1)) >= 77, f"license = \"...\" needs setuptools>=77, not {setuptools!r}"


# --- binder/ -------------------------------------------------------------------------------------------------


def _binder_requirements():
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def test_binder_installs_what_the_package_needs_pinned_and_no_test_tools():
    requirements = _binder_requirements()
    unpinned = [r for r in requirements if not re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", r)]
    assert not unpinned, f"binder/requirements.txt should pin exact versions, but has {unpinned}"
    named = {_normalise(r) for r in requirements}
    assert not named & TEST_TOOLS, f"a learner does not need the test tools {sorted(named & TEST_TOOLS)}"
    assert not named & MAINTAINER_TOOLS, f"a learner does not need the tools' packages {sorted(named & MAINTAINER_TOOLS)}"
    wanted = {_normalise(r) for r in _pyproject()["project"]["dependencies"]} | FOR_A_HUB
    assert named == wanted, (f"binder/requirements.txt and pyproject.toml disagree: only in binder "
                             f"{sorted(named - wanted)}, only in pyproject {sorted(wanted - named)}")


def test_binder_pins_versions_at_or_above_pyprojects_floors():
    from packaging.requirements import Requirement

    pinned = {_normalise(r): r.split("==", 1)[1] for r in _binder_requirements()}
    below = {}
    for declared in map(Requirement, _pyproject()["project"]["dependencies"]):
        name = _normalise(declared.name)
        if not declared.specifier.contains(pinned[name], prereleases=True):
            below[name] = f"{pinned[name]} against {declared.specifier}"
    assert not below, f"binder/requirements.txt pins versions pyproject.toml does not accept: {below}"


def test_binder_pins_a_python_the_package_accepts():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, f"binder/runtime.txt should read like python-3.11, but reads {runtime!r}"
    floor = re.fullmatch(r">=\s*3\.(\d+)", _pyproject()["project"]["requires-python"])
    assert floor and int(match.group(1)) >= int(floor.group(1))


def test_binder_pins_satisfy_the_package_and_each_other(binder_env):
    _run([str(binder_env["python"]), "-m", "pip", "check"], cwd=binder_env["base"], env=binder_env["env"])


_PROBE = """
import json, sys
from importlib import metadata, resources
from pathlib import Path
import helpers, helpers.widgets, helpers.exercises
from helpers.data import load_cat_dog
X, y = load_cat_dog()
direct = json.loads(metadata.distribution("backprop-course-helpers").read_text("direct_url.json") or "{}")
print(json.dumps({
    "helpers": helpers.__file__,
    "prefix": sys.prefix,
    "editable": direct.get("dir_info", {}).get("editable", False),
    "data": (resources.files("helpers.course_data") / "cat_dog.csv").read_bytes().hex(),
    "shape": list(X.shape),
}))
"""


def test_the_installed_course_is_a_package_in_the_venv_carrying_the_same_data(binder_env, tmp_path):
    result = _run([str(binder_env["python"]), "-c", _PROBE], cwd=tmp_path, env=binder_env["env"])
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(seen["helpers"]).is_relative_to(binder_env["venv"]), f"helpers came from {seen['helpers']}"
    assert not Path(seen["helpers"]).is_relative_to(ROOT)
    assert seen["editable"] is False
    assert bytes.fromhex(seen["data"]) == (ROOT / "data" / "cat_dog.csv").read_bytes()
    assert seen["shape"] == [300, 2]


def test_postbuild_applies_the_course_settings_and_leaves_no_build_leftovers(binder_env):
    settings = binder_env["venv"] / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(settings.read_text()) == json.loads((ROOT / ".jupyter" / "overrides.json").read_text())
    assert not (binder_env["project"] / "build").exists()
    assert not list(binder_env["project"].glob("*.egg-info"))


# Runs every notebook on two kernels at once where there are two cores (each kernel is its own process),
# the later, longer notebooks first. Each kernel runs one notebook after another: starting a kernel and
# importing numpy, matplotlib and helpers again costs about as much as a short notebook, and that the
# installed course imports and runs is what is tested here (make test's nbval runs each notebook in a
# fresh kernel of its own). Every notebook starts with `%reset -f`, so no name from the one before
# survives, and after a failure the kernel is restarted. A last cell asks the kernel where helpers
# came from.
_RUN_NOTEBOOKS = """
import asyncio, json, os, sys, time
from pathlib import Path
import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

FIRST, LAST = "%reset -f", "import helpers; print(helpers.__file__)"


async def lane(waiting, folder, report):
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel(cwd=str(folder))
    try:
        while waiting:
            path = waiting.pop(0)
            nb = nbformat.read(path, as_version=4)
            nb.cells = [nbformat.v4.new_code_cell(FIRST), *nb.cells, nbformat.v4.new_code_cell(LAST)]
            client = NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(folder)}})
            started = time.perf_counter()
            try:
                await client.async_execute()
                error, where = None, nb.cells[-1].outputs[0]["text"].strip()
            except Exception as exc:
                error, where = f"{type(exc).__name__}: {exc}"[-2000:], None
                await km.restart_kernel(now=True)
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
            report[path.name] = {"seconds": round(time.perf_counter() - started, 1), "error": error,
                                 "helpers": where}
    finally:
        await km.shutdown_kernel(now=True)


async def main():
    folder, report = Path(sys.argv[1]), {}
    waiting = sorted(folder.glob("[0-9][0-9]_*.ipynb"), reverse=True)
    await asyncio.gather(*(lane(waiting, folder, report) for _ in range(min(2, os.cpu_count() or 1))))
    print(json.dumps(dict(sorted(report.items()))))


asyncio.run(main())
"""


def test_every_notebook_runs_from_a_copy_of_notebooks_outside_the_checkout(binder_env):
    copies = binder_env["base"] / "a class folder" / "notebooks"
    shutil.copytree(ROOT / "notebooks", copies, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    started = _clocks()
    result = _run([str(binder_env["python"]), "-c", _RUN_NOTEBOOKS, str(copies)], cwd=copies.parent,
                  env=binder_env["env"], timeout=1800)
    print(f"\nthe eleven notebooks took {_since(started)}", end="")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    expected = sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(report) == expected
    print("\nnotebooks: " + ", ".join(f"{name[:2]} {entry['seconds']} s" for name, entry in report.items()))
    failed = {name: entry["error"] for name, entry in report.items() if entry["error"]}
    assert not failed, f"notebooks that fail when installed as a package: {json.dumps(failed, indent=1)}"
    for name, entry in report.items():
        source = Path(entry["helpers"])
        assert source.is_relative_to(binder_env["venv"]), f"{name}'s kernel imported helpers from {source}"


def _get(url, timeout=5):
    """(status, Location header, body) of a GET that does not follow redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.headers.get("Location"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location"), ""


def test_jupyterlab_opens_on_notebook_00_with_the_course_settings(binder_env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "course-test-token"
    lab = subprocess.Popen(
        [str(binder_env["venv"] / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root"],
        cwd=binder_env["project"], env=binder_env["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, location, _ = _get(f"{base}/?token={token}")
                break
            except (urllib.error.URLError, ConnectionError):
                assert lab.poll() is None, f"JupyterLab stopped: {lab.stderr.read()[-2000:]}"
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        assert status in (301, 302, 303, 307) and location.split("?")[0].endswith("/lab/tree/notebooks/00_welcome.ipynb"), (
            f"/ should open notebook 00, but answers {status} to {location}")
        status, _, body = _get(f"{base}/lab/api/settings/@jupyterlab/notebook-extension:tracker?token={token}")
        assert status == 200
        windowing = json.loads(body)["schema"]["properties"]["windowingMode"]["default"]
        assert windowing == "none", "the course's overrides.json is not applied"
        status, _, _ = _get(f"{base}/git-pull?token={token}")
        assert status != 404, "nbgitpuller's /git-pull, which a class hub's links open, is not served"
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
