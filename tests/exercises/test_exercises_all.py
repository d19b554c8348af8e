"""Every exercise of every notebook: unanswered is not an error, and the notebook calls its check."""

import json
import re
from pathlib import Path

import pytest

from capture import all_exercises, exercise_modules
from helpers.checks import UNANSWERED

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = all_exercises()


def _notebook_source(module_name):
    (path,) = (ROOT / "notebooks").glob(f"{module_name[2:]}_*.ipynb")
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])


def test_every_notebook_has_exercises():
    notebooks = {f"nb{p.name[:2]}" for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    modules = {m.__name__.rsplit(".", 1)[1] for m in exercise_modules()}
    assert modules == notebooks
    assert {name.split(".")[0] for name, _ in EXERCISES} == notebooks


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[name for name, _ in EXERCISES])
def test_an_unanswered_exercise_says_so_without_an_error(name, exercise):
    feedback = exercise(None)
    assert feedback.status == UNANSWERED
    assert repr(feedback).startswith("Not answered yet.")
    assert "Not answered yet" in feedback._repr_html_()


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[name for name, _ in EXERCISES])
def test_each_check_is_used_by_its_notebook_with_a_worked_solution(name, exercise):
    source = _notebook_source(name.split(".")[0])
    assert re.search(rf"check\.{exercise.__name__}\((answer|{exercise.__name__})\)", source)
    assert source.count("<summary>Worked solution</summary>") >= 1
