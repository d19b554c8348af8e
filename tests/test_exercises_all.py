"""Every exercise of every notebook: unanswered is not an error, and the notebook calls its check."""

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import helpers.exercises
from helpers.checks import UNANSWERED

ROOT = Path(__file__).resolve().parent.parent


def _exercise_modules():
    return [importlib.import_module(f"helpers.exercises.{m.name}")
            for m in pkgutil.iter_modules(helpers.exercises.__path__) if re.fullmatch(r"nb\d\d", m.name)]


def _exercises(module):
    return [fn for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == module.__name__
            and list(inspect.signature(fn).parameters) == ["answer"]]


EXERCISES = [(m.__name__.rsplit(".", 1)[1], fn) for m in _exercise_modules() for fn in _exercises(m)]


def _notebook_source(module_name):
    (path,) = (ROOT / "notebooks").glob(f"{module_name[2:]}_*.ipynb")
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])


def test_every_notebook_has_exercises():
    assert {name for name, _ in EXERCISES} == {f"nb{i:02d}" for i in range(9)}


@pytest.mark.parametrize("module_name, exercise", EXERCISES, ids=[f"{m}.{f.__name__}" for m, f in EXERCISES])
def test_an_unanswered_exercise_says_so_without_an_error(module_name, exercise):
    feedback = exercise(None)
    assert feedback.status == UNANSWERED
    assert repr(feedback).startswith("Not answered yet.")
    assert "Not answered yet" in feedback._repr_html_()


@pytest.mark.parametrize("module_name, exercise", EXERCISES, ids=[f"{m}.{f.__name__}" for m, f in EXERCISES])
def test_each_check_is_used_by_its_notebook_with_a_worked_solution(module_name, exercise):
    source = _notebook_source(module_name)
    assert f"check.{exercise.__name__}(answer)" in source
    assert source.count("<summary>Worked solution</summary>") >= 1
