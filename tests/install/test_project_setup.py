"""The project's own set-up: the two install routes agree, the lab is safe, re-running is stable."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools.execute import execute

ROOT = Path(__file__).resolve().parents[2]


def _normalise(requirement):
    name = re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def _pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10; pytest brings tomli there
        tomllib = pytest.importorskip("tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _specs(requirements):
    """{name: version spec} of requirement strings, e.g. {"numpy": ">=2.0"}."""
    found = {}
    for requirement in requirements:
        requirement = requirement.split("#", 1)[0].split(";", 1)[0].strip()
        found[_normalise(requirement)] = re.sub(r"\s+", "", requirement[len(_normalise(requirement)):])
    return found


def _conda_dependencies():
    """environment.yml's conda packages, each with its version spec, less python and pip."""
    found = []
    in_pip = in_dependencies = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if re.match(r"^\S", stripped):
            in_dependencies = stripped.startswith("dependencies:")
            continue
        if not in_dependencies:
            continue
        if re.match(r"^\s*-\s*pip:\s*$", stripped):
            in_pip = True
            continue
        match = re.match(r"^(\s*)-\s+(\S.*)$", stripped)
        if not match:
            continue
        if in_pip and len(match.group(1)) > 2:
            continue  # the pip section installs the local package itself
        in_pip = False
        found.append(match.group(2))
    return {name: spec for name, spec in _specs(found).items() if name not in {"python", "pip"}}


def test_environment_yml_installs_what_a_learner_needs_with_pyprojects_floors_and_nothing_more():
    project = _pyproject()["project"]
    assert _conda_dependencies() == _specs(project["dependencies"])
    python = next(line for line in (ROOT / "environment.yml").read_text().splitlines() if re.match(r"\s*- python\W", line))
    assert python.split("python", 1)[1].strip() == project["requires-python"]


def test_the_tools_and_the_test_tools_are_extras_that_make_installs():
    project = _pyproject()["project"]
    extras = {name: set(_specs(requirements)) for name, requirements in project["optional-dependencies"].items()}
    assert {"nbconvert", "nbclient", "nbformat", "jupyter-server-mathjax"} <= extras["tools"]
    assert {"pytest", "playwright"} <= extras["test"]
    learner = set(_specs(project["dependencies"]))
    assert not learner & (extras["tools"] | extras["test"]), "a package is both a learner's and a maintainer's"
    assert "pip install --quiet -e '.[tools,test]'" in (ROOT / "Makefile").read_text()


def _imports(folder):
    """Top-level names of the modules that the .py files in folder import, less Python's own and the course's."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name not in {"helpers", "tools"}}


def test_the_tools_import_only_packages_that_pyproject_declares_for_them():
    project = _pyproject()["project"]
    declared = set(_specs(project["dependencies"])) | set(_specs(project["optional-dependencies"]["tools"]))
    names = {module: module.replace("_", "-") for module in _imports(ROOT / "tools")}
    undeclared = sorted(module for module, name in names.items() if name not in declared)
    assert not undeclared, f"tools/ imports these, but neither the dependencies nor the tools extra name them: {undeclared}"
    # and what only tools/ imports stays out of a learner's install
    assert not _imports(ROOT / "helpers") & {"nbconvert", "nbclient", "nbformat", "jupyter_server_mathjax"}


def test_the_package_list_names_every_subpackage_of_helpers_on_disk():
    """pyproject.toml lists the packages (discovery cannot add data/ as helpers.course_data), so a new
    subpackage must be added there; the wheel test in test_installed_course.py checks the built wheel."""
    setuptools = _pyproject()["tool"]["setuptools"]
    on_disk = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "helpers").rglob("*.py")
               if "__pycache__" not in path.parts}
    assert set(setuptools["packages"]) == on_disk | {"helpers.course_data"}
    assert setuptools["package-dir"] == {"helpers.course_data": "data"}
    assert not (ROOT / "setup.py").exists(), "pyproject.toml holds the whole build configuration"


def test_environment_yml_uses_conda_forge_and_installs_the_local_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"channels:\s*\n\s*-\s*conda-forge", text)
    assert re.search(r"-\s*pip:\s*\n\s*-\s*-e \.", text)


def _recipe(target):
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        body.append(line)
    return "\n".join(body)


def test_make_lab_binds_to_localhost_and_keeps_token_authentication():
    recipe = _recipe("lab")
    assert "jupyter lab" in recipe
    assert "--ServerApp.ip=127.0.0.1" in recipe
    for weakening in ("token=", "IdentityProvider.token", "password=", "disable_check_xsrf", "0.0.0.0", "allow_origin"):
        assert weakening not in recipe


def test_make_lab_opens_the_learners_copy_of_notebook_00_and_makes_the_copies_first():
    makefile = (ROOT / "Makefile").read_text()
    copies = re.search(r"^COPIES := (\S+)$", makefile, re.M).group(1)
    first = re.search(r"^FIRST_NOTEBOOK := (\S+)$", makefile, re.M).group(1)
    assert (ROOT / "notebooks" / first).is_file()
    recipe = _recipe("lab").splitlines()
    assert "tools.copies" in recipe[0] and "--copies $(COPIES)" in recipe[0]
    assert "--LabApp.default_url=/lab/tree/$(COPIES)/$(FIRST_NOTEBOOK)" in recipe[1]
    assert "notebooks/" not in recipe[1], "make lab must not open the course's own notebooks"
    assert f"{copies}/" in (ROOT / ".gitignore").read_text().splitlines()


def test_make_test_runs_nbval_in_strict_mode_over_the_notebooks():
    makefile = (ROOT / "Makefile").read_text()
    assert "--nbval-lax" not in makefile
    assert re.search(r"^NBVAL := --nbval ", makefile, re.M)
    assert "$(NBVAL) $(NOTEBOOKS)" in _recipe("test")


def test_make_test_gives_each_worker_whole_files_so_a_notebooks_cells_run_in_order_in_one_kernel():
    makefile = (ROOT / "Makefile").read_text()
    workers = re.search(r"^PARALLEL := (.*)$", makefile, re.M)
    assert workers and "--dist loadgroup" in workers.group(1).split("#")[0]
    assert "$(PARALLEL)" in _recipe("test") and "$(PARALLEL)" in _recipe("quick")


def test_the_units_of_work_use_xdists_loadgroup_not_its_private_scheduler_classes():
    conftest = (ROOT / "tests" / "conftest.py").read_text()
    assert "pytest_xdist_make_scheduler" not in conftest and "xdist.scheduler" not in conftest


def test_under_loadgroup_each_file_runs_whole_on_one_worker():
    pytest.importorskip("xdist")
    files = ["tests/maths/test_activations.py", "tests/maths/test_losses.py"]
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup",
                          "-v", *files], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    workers = {}
    for worker, nodeid in re.findall(r"^\[(gw\d+)\] \[ *\d+%\] PASSED (.+?) *$", run.stdout, re.M):
        workers.setdefault(nodeid.split("::")[0], set()).add(worker)
        assert nodeid.endswith("@" + nodeid.split("::")[0]), nodeid   # the group xdist reads
    assert set(workers) == set(files) and all(len(w) == 1 for w in workers.values()), workers


def test_each_unit_of_work_is_a_notebook_a_file_or_one_half_of_the_run_all():
    import conftest

    cells = [f"notebooks/04_backprop_by_hand.ipynb::Cell {i}" for i in range(30)]
    assert {conftest.work_unit(cell) for cell in cells} == {"notebooks/04_backprop_by_hand.ipynb"}
    tests = [f"tests/install/test_installed_course.py::test_{i}" for i in range(5)]
    assert {conftest.work_unit(test) for test in tests} == {"tests/install/test_installed_course.py"}
    # test_browser.py's Run All of the eleven notebooks goes in two halves; a test that goes on with a notebook
    # after its run (in test_browser.py or another file) goes with that notebook; the rest with the first half.
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    runs = {name: conftest.work_unit(f"{conftest.RUN_ALL}{name}]") for name in notebooks}
    assert len(set(runs.values())) == 2
    assert 4 <= sum(unit == runs[notebooks[0]] for unit in runs.values()) <= 6, "the notebooks are shared out evenly"
    for follower, notebook in conftest.FOLLOWS.items():
        assert notebook in runs, f"{follower} follows {notebook}, which is not a notebook"
        assert conftest.work_unit(follower) == runs[notebook]
    assert conftest.work_unit("tests/browser/test_browser.py::test_other") == runs[notebooks[0]]
    # The two files that share the book go out together, and no other file joins them.
    assert conftest.work_unit("tests/browser/test_book_browser.py::test_x") == "tests/book"
    assert conftest.work_unit("tests/notebooks/test_book.py::test_y") == "tests/book"
    assert conftest.work_unit("tests/notebooks/test_teaching_guide.py::test_z") == "tests/notebooks/test_teaching_guide.py"
    # xdist reads a group after the last "@" of a node id, and after its last "]": no unit may hold either
    assert not any("@" in unit or "]" in unit for unit in set(runs.values()) | {conftest.work_unit(cells[0])})


def test_the_tests_that_go_on_with_a_notebook_come_straight_after_its_run():
    """The page still shows the notebook then, so it is not run a second time (test_browser.opened_and_run)."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                             "tests/browser/test_browser.py", "tests/browser/test_browser_autograd.py"],
                            cwd=ROOT, capture_output=True, text=True)
    import conftest

    order = [line for line in result.stdout.splitlines() if "::" in line]
    assert len(order) >= len(conftest.FOLLOWS) + 10, result.stdout + result.stderr
    for follower, notebook in conftest.FOLLOWS.items():
        # Straight after the Run All, or after another test that goes on with the same notebook.
        place = order.index(follower) - 1
        while conftest.FOLLOWS.get(order[place]) == notebook:
            place -= 1
        assert order[place] == f"{conftest.RUN_ALL}{notebook}]", follower


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_ci_runs_the_unit_tests_at_the_lowest_declared_versions_before_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci, "a failing step must fail CI"
    lowest = re.search(r"^bash tools/lowest\.sh$", ci, re.M)
    assert lowest and lowest.start() < re.search(r"^make test$", ci, re.M).start()
    script = (ROOT / "tools" / "lowest.sh").read_text()
    assert "set -euo pipefail" in script
    assert "--resolution lowest-direct" in script and "[tools,test]" in script
    assert '-m "not browser"' in script and "-n 2" in script
    assert "bash tools/lowest.sh" in _recipe("lowest")


def test_notebooks_are_numbered_and_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, "the course has no notebooks"
    for nb in notebooks:
        assert f"notebooks/{nb.name}" in readme, f"{nb.name} is missing from the README's list"
    for linked in re.findall(r"\(notebooks/([^)]+\.ipynb)\)", readme):
        assert (ROOT / "notebooks" / linked).exists(), f"the README links to {linked}, which does not exist"


def _demo_notebook():
    cells = [
        nbformat.v4.new_code_cell("import numpy as np\nrng = np.random.default_rng(0)\nprint(f'{rng.normal():.6f}')"),
        nbformat.v4.new_code_cell("from helpers.widgets._base import CourseWidget\nimport ipywidgets as w\n"
                                  "box = CourseWidget([w.FloatSlider(value=0.5)])\nbox"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_executing_a_notebook_twice_gives_identical_files(tmp_path):
    path = tmp_path / "demo.ipynb"
    nbformat.write(_demo_notebook(), path)
    execute(path)
    first = path.read_bytes()
    execute(path)
    assert path.read_bytes() == first
    nb = nbformat.reads(first.decode(), as_version=4)
    widget_view = nb.cells[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert widget_view["model_id"] == f"{1:032x}"
    assert all("execution" not in cell.metadata for cell in nb.cells)
    # The kernel logs (e.g. "Kernel is running over TCP without encryption") go to its own stderr, never here.
    assert not [out for cell in nb.cells for out in cell.outputs if out.get("name") == "stderr"]


def test_printed_text_is_saved_as_one_piece_however_the_kernel_flushed_it(tmp_path):
    source = "import sys\nfor i in range(3):\n    print(i, end='')\n    sys.stdout.flush()\n    time.sleep(0.3)\nprint()"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\n" + source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "pieces.ipynb"
    nbformat.write(nb, path)
    execute(path)
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert len(outputs) == 1 and outputs[0].text == "012\n"


def test_execute_reports_a_failing_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(Exception, match="ZeroDivisionError"):
        execute(path)


# What a kernel, pip or matplotlib says about itself; none of it is part of the lesson.
NOISE = re.compile(r"without encryption|CurveZMQ|pip install|WARNING:|font cache|DeprecationWarning|"
                   r"FutureWarning|RuntimeWarning|UserWarning")


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name[:2])
def test_no_saved_output_is_stderr_or_tool_noise(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.output_type == "stream" else str(out.get("data", {}).get("text/plain", ""))
            if out.get("name") == "stderr" or NOISE.search(text):
                found.append(f"cell {index}: {out.get('name', out.output_type)}: {text[:120]!r}")
    assert not found, f"{path.name} saved output that is not the lesson's:\n" + "\n".join(found)


def test_the_licence_citation_and_changelog_name_the_packages_version():
    root = Path(__file__).resolve().parents[2]
    pyproject = (root / "pyproject.toml").read_text()
    project = {"version": re.search(r'^version = "([^"]+)"$', pyproject, re.M).group(1)}
    assert 'license = "MIT"\nlicense-files = ["LICENSE"]\n' in pyproject
    assert (root / "LICENSE").read_text().startswith("MIT License")
    citation = (root / "CITATION.cff").read_text()
    assert f"version: {project['version']}\n" in citation and "license: MIT" in citation
    changelog = (root / "CHANGELOG.md").read_text()
    assert f"## {project['version']} (" in changelog
    readme = (root / "README.md").read_text()
    assert "MIT" in readme[readme.index("## Licence"):]
    assert (root / "CONTRIBUTING.md").read_text().count("make test") >= 1


def _make_dry_run(target):
    done = subprocess.run(["make", "-n", target, "STAMP="], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_unit_leaves_out_the_browser_tests():
    assert '-m "not browser"' in _make_dry_run("unit") or "-m not browser" in _make_dry_run("unit")


def test_make_quick_runs_existing_headless_test_files_and_every_notebook_under_strict_nbval():
    command = _make_dry_run("quick")
    files = re.findall(r"tests/\w+/test_\w+\.py", command)
    assert len(files) >= 20 and all((ROOT / f).is_file() for f in files), files
    for f in files:
        assert "pytest.mark.browser" not in (ROOT / f).read_text(), f
    assert "--nbval " in command and "--nbval-lax" not in command
    assert all(f"notebooks/{p.name}" in command for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
