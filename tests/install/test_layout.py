"""The layout of helpers/: folders that say what the course is made of, and every old path still working.

    core/       the maths a learner reads      practice/   training and its checks
    plots/      the figures and the look       widgets/    the widgets
    checking/   how an answer is checked       exercises/  one module of checks per notebook

A module that moved into a folder keeps its old path (helpers.network, helpers.gradcheck, ...): importing
it gives the very same module object, so a test that patches `helpers.codecheck.TIME_LIMIT` patches the
number the code reads.
"""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
from helpers.checking import codecheck

ROOT = Path(__file__).resolve().parents[2]
HELPERS = ROOT / "helpers"

FOLDERS = {"core", "practice", "plots", "widgets", "checking", "exercises"}
TOP_LEVEL_MODULES = {"__init__.py", "data.py", "formatting.py", "validate.py"}


def test_the_top_level_holds_the_folders_and_only_the_modules_every_folder_uses():
    modules = {path.name for path in HELPERS.glob("*.py")}
    folders = {path.name for path in HELPERS.iterdir() if (path / "__init__.py").is_file()}
    assert modules == TOP_LEVEL_MODULES
    assert folders == FOLDERS


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_each_folder_says_what_it_holds_in_its_docstring(folder):
    package = importlib.import_module(f"helpers.{folder}")
    assert hasattr(package, "__path__"), f"helpers.{folder} is a module, not a folder"
    assert len((package.__doc__ or "").split()) >= 15, f"helpers.{folder} has no docstring saying what it holds"


def test_no_folder_takes_the_name_of_a_module_it_replaces():
    assert not FOLDERS & {old.rpartition(".")[2] for old in helpers.MOVED}


# Modules made in a folder (split out of one that moved there), so they never had a path of their own at the top.
BORN_IN_A_FOLDER = {"helpers.checking.hints", "helpers.checking.results"}


def test_every_module_that_moved_is_listed_with_its_folder():
    on_disk = {f"helpers.{path.parent.name}.{path.stem}" for folder in ("core", "practice", "checking")
               for path in (HELPERS / folder).glob("*.py") if path.stem != "__init__"}
    on_disk |= {"helpers.plots.graph_plot", "helpers.plots.recipe_plots", "helpers.plots.style"}
    assert BORN_IN_A_FOLDER <= on_disk
    assert set(helpers.MOVED.values()) == on_disk - BORN_IN_A_FOLDER
    assert not any(old.endswith((".hints", ".results")) for old in helpers.MOVED)
    assert len(helpers.MOVED) == 27


@pytest.mark.parametrize("old", sorted(helpers.MOVED))
def test_an_old_path_imports_the_same_module_object_as_the_new_one(old):
    new = helpers.MOVED[old]
    module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    assert sys.modules[old] is sys.modules[new]
    assert module.__name__ == new and module.__spec__.name == new
    assert getattr(helpers, old.rpartition(".")[2]) is module  # helpers.network, reached as an attribute


def test_an_old_path_imported_first_in_a_fresh_python_is_the_new_module():
    code = ("import helpers.network as old\n"
            "import helpers.core.network as new\n"
            "from helpers import training\n"
            "import helpers.practice.training as training_new\n"
            "assert old is new and training is training_new, (old, new, training, training_new)\n"
            "assert old.__spec__.name == 'helpers.core.network', old.__spec__\n"
            "print('same')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "same", done.stderr


def test_python_dash_m_runs_a_module_by_its_old_path():
    done = subprocess.run([sys.executable, "-m", "helpers.friendly"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "usage: python -m helpers.friendly --kernel-config" in done.stdout + done.stderr


def test_patching_a_name_by_its_old_path_reaches_the_module_the_code_reads(monkeypatch):
    monkeypatch.setattr("helpers.codecheck.TIME_LIMIT", 12.5)
    assert codecheck.TIME_LIMIT == 12.5


def test_import_helpers_does_not_import_matplotlib():
    code = "import sys\nimport helpers\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_codechecks_references_name_each_function_by_its_new_path():
    old_paths = set(helpers.MOVED)
    for key, refused in codecheck.REFERENCES.items():
        for dotted in (key.rpartition(".")[0], *(reference.partition(":")[0] for reference in refused)):
            assert dotted not in old_paths, f"{key}: {dotted} is an old path"


def test_a_refused_function_is_named_by_the_short_path_a_learner_can_type():
    from helpers.checking import sandbox
    assert sandbox._shown_name("helpers.core.two_two_two:fork_backward") == "helpers.two_two_two.fork_backward"
    assert sandbox._shown_name("helpers.practice.training:train") == "helpers.train"
    assert sandbox._shown_name("helpers.core.network:Network.backward") == "Network.backward"


# ---- every name a test, a tool or a notebook imports from helpers ----

def _notebook_sources():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                source = "\n".join(line for line in "".join(cell["source"]).split("\n")
                                   if not line.lstrip().startswith(("%", "!")))
                yield path.name, source


def _python_sources():
    for folder in ("tests", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def _imports(sources):
    """(where, module, name) for every `from helpers... import name` and (where, module, None) for `import helpers...`."""
    found = set()
    for where, source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "helpers":
                found |= {(where, node.module, alias.name) for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {(where, alias.name, None) for alias in node.names if alias.name.split(".")[0] == "helpers"}
    return sorted(found, key=lambda item: (item[0], item[1], item[2] or ""))


IMPORTED = _imports([*_python_sources(), *_notebook_sources()])


def test_the_scan_finds_the_imports_of_tests_tools_and_notebooks():
    places = {where for where, _, _ in IMPORTED}
    assert "tests/install/test_internals.py" in places and "04_backprop_by_hand.ipynb" in places
    assert ("tests/install/test_internals.py", "helpers.gradcheck", "numerical_derivative") in IMPORTED


def test_every_name_a_test_a_tool_or_a_notebook_imports_from_helpers_resolves():
    missing = []
    for where, module_name, name in IMPORTED:
        try:
            module = importlib.import_module(module_name)
            if name is not None and not hasattr(module, name):
                importlib.import_module(f"{module_name}.{name}")
        except ImportError as error:
            missing.append(f"{where}: {module_name} {name or ''}: {error}")
    assert missing == []


def test_the_notebooks_import_from_the_folders_not_the_old_paths():
    old_modules = set(helpers.MOVED)
    old_names = {old.rpartition(".")[2] for old in old_modules}
    stale = [f"{where}: from {module} import {name}" for where, module, name in _imports(_notebook_sources())
             if module in old_modules or (module == "helpers" and name in old_names)]
    assert stale == []


def test_the_notebooks_import_lines_stay_short():
    long_lines = [f"{where}: {line}" for where, source in _notebook_sources() for line in source.split("\n")
                  if line.startswith("from helpers") and len(line) > 120]
    assert long_lines == []
