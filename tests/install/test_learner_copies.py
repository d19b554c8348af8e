"""A learner's own working copies (my-notebooks/): made once, never overwritten, restored on request."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from lab_server import make_safe_path

from tools import copies

ROOT = Path(__file__).resolve().parents[2]
VENV = make_safe_path(sys.prefix)  # the installed venv, by a path make can take


def _course(tmp_path, numbers=("00", "01", "04")):
    """A small course folder with notebooks NN_demo.ipynb and a guide, like notebooks/."""
    course = tmp_path / "notebooks"
    course.mkdir()
    for number in numbers:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"answer = None  # notebook {number}")])
        nbformat.write(nb, course / f"{number}_demo.ipynb")
    (course / "TEACHING.md").write_text("# Guide\n", encoding="utf-8")
    return course


def test_first_use_copies_every_notebook_and_the_guide_unchanged(tmp_path):
    course = _course(tmp_path)
    made = copies.make_copies(course, tmp_path / "my-notebooks")
    assert [p.name for p in made] == ["00_demo.ipynb", "01_demo.ipynb", "04_demo.ipynb", "TEACHING.md"]
    for path in made:
        assert path.read_bytes() == (course / path.name).read_bytes()


def test_a_copy_that_exists_is_never_overwritten_and_a_new_notebook_is_added(tmp_path):
    course = _course(tmp_path)
    mine = tmp_path / "my-notebooks"
    copies.make_copies(course, mine)
    (mine / "01_demo.ipynb").write_text("my answers", encoding="utf-8")
    (mine / "04_demo.ipynb").unlink()
    nbformat.write(nbformat.v4.new_notebook(), course / "09_new.ipynb")

    made = copies.make_copies(course, mine)
    assert sorted(p.name for p in made) == ["04_demo.ipynb", "09_new.ipynb"]
    assert (mine / "01_demo.ipynb").read_text(encoding="utf-8") == "my answers"
    assert copies.make_copies(course, mine) == []


def test_fresh_replaces_one_notebook_and_keeps_the_learners_version(tmp_path, capsys):
    course = _course(tmp_path)
    mine = tmp_path / "my-notebooks"
    copies.make_copies(course, mine)
    (mine / "04_demo.ipynb").write_text("my answers to 04", encoding="utf-8")
    (mine / "01_demo.ipynb").write_text("my answers to 01", encoding="utf-8")

    assert copies.main(["--course", str(course), "--copies", str(mine), "--fresh", "04"]) == 0
    assert (mine / "04_demo.ipynb").read_bytes() == (course / "04_demo.ipynb").read_bytes()
    kept = list((mine / copies.REPLACED).iterdir())
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "my answers to 04"
    assert kept[0].name.startswith("04_demo (before ") and kept[0].suffix == ".ipynb"
    assert (mine / "01_demo.ipynb").read_text(encoding="utf-8") == "my answers to 01"  # not chosen: untouched
    said = capsys.readouterr().out
    assert f"Replaced {mine / '04_demo.ipynb'} with a fresh copy" in said and str(kept[0]) in said


def test_fresh_all_keeps_every_changed_copy_and_says_which_were_already_fresh(tmp_path, capsys):
    course = _course(tmp_path)
    mine = tmp_path / "my-notebooks"
    copies.make_copies(course, mine)
    (mine / "00_demo.ipynb").write_text("first try", encoding="utf-8")
    assert copies.main(["--course", str(course), "--copies", str(mine), "--fresh"]) == 0
    (mine / "00_demo.ipynb").write_text("second try", encoding="utf-8")
    assert copies.main(["--course", str(course), "--copies", str(mine), "--fresh", "all"]) == 0

    for path in course.iterdir():
        assert (mine / path.name).read_bytes() == path.read_bytes(), path.name
    kept = sorted(p.read_text(encoding="utf-8") for p in (mine / copies.REPLACED).iterdir())
    assert kept == ["first try", "second try"]  # a second restore, even within the same second, keeps both
    said = capsys.readouterr().out
    assert "Already fresh, nothing of yours replaced: 01_demo.ipynb, 04_demo.ipynb, TEACHING.md." in said


def test_fresh_accepts_a_number_a_file_name_or_a_stem(tmp_path):
    course = _course(tmp_path)
    for which in ("4", "04", "04_demo.ipynb", "04_demo", "notebooks/04_demo.ipynb"):
        assert [p.name for p in copies.choose(which, course)] == ["04_demo.ipynb"], which
    assert len(copies.choose("all", course)) == 4


@pytest.mark.parametrize("which", ["99", "backprop", "5"])
def test_fresh_of_a_notebook_that_is_not_in_the_course_says_what_it_expected(tmp_path, which, capsys):
    course = _course(tmp_path)
    with pytest.raises(ValueError, match=rf"NB='{which}' names no course notebook; expected .*00, 01, 04"):
        copies.choose(which, course)
    assert copies.main(["--course", str(course), "--copies", str(tmp_path / "mine"), "--fresh", which]) == 2
    assert "NB=" in capsys.readouterr().err


def test_a_file_where_the_copies_folder_should_be_is_refused_clearly(tmp_path):
    course = _course(tmp_path)
    (tmp_path / "my-notebooks").write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="copies='.*my-notebooks' should be a folder"):
        copies.make_copies(course, tmp_path / "my-notebooks")


def test_the_copies_folder_is_ignored_by_git_and_the_course_notebooks_are_not():
    ignored = subprocess.run(["git", "check-ignore", "my-notebooks/00_welcome.ipynb",
                              "my-notebooks/replaced/00_welcome (before x).ipynb"],
                             cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split("\n")[:2] == ["my-notebooks/00_welcome.ipynb",
                                              "my-notebooks/replaced/00_welcome (before x).ipynb"]
    assert subprocess.run(["git", "check-ignore", "-q", "notebooks/00_welcome.ipynb"], cwd=ROOT).returncode == 1


_MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)|href=\"([^\"]+)\"")


def test_every_link_in_the_course_resolves_the_same_from_the_learners_copies(tmp_path):
    # The copies sit beside notebooks/, so ../README.md and the sibling notebooks resolve alike.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy2(ROOT / "README.md", project / "README.md")
    mine = project / "my-notebooks"
    copies.make_copies(project / "notebooks", mine)
    checked = 0
    for notebook in sorted(mine.glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for match in _MARKDOWN_LINK.finditer(cell.source):
                target = unquote((match.group(1) or match.group(2)).split("#")[0])
                if not target or re.match(r"[a-z][a-z0-9+.-]*:", target):
                    continue
                assert (mine / target).exists(), f"{notebook.name}: the link to {target} breaks in the copies"
                checked += 1
    assert checked > 10, "too few links were checked for this test to mean anything"


@pytest.fixture
def project(tmp_path):
    """A copy of the project's Makefile and course, to run make in."""
    return _copy_project(tmp_path)


def _copy_project(folder):
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy2(ROOT / "Makefile", folder / "Makefile")
    shutil.copytree(ROOT / "helpers", folder / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tools", folder / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _make(project, *args):
    if not (VENV / ".installed").exists():
        pytest.skip(f"make is tested with the installed {VENV}, which has no install stamp")
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", *args],
                          cwd=project, capture_output=True, text=True, env=env)


def test_make_fresh_restores_one_notebook_and_says_what_it_replaced(project):
    mine = project / "my-notebooks"
    copies.make_copies(project / "notebooks", mine)
    name = next(p.name for p in (project / "notebooks").glob("04_*.ipynb"))
    (mine / name).write_text("my answers", encoding="utf-8")
    result = _make(project, "fresh", "NB=04")
    assert result.returncode == 0, result.stderr
    assert f"Replaced my-notebooks/{name} with a fresh copy; your previous version is kept as my-notebooks/replaced/" \
        in result.stdout
    assert (mine / name).read_bytes() == (project / "notebooks" / name).read_bytes()
    assert [p.read_text(encoding="utf-8") for p in (mine / "replaced").iterdir()] == ["my answers"]


def test_make_fresh_with_an_unknown_notebook_fails_and_names_it(project):
    result = _make(project, "fresh", "NB=42")
    assert result.returncode != 0
    assert "NB='42' names no course notebook" in result.stderr
    assert not (project / "my-notebooks" / "replaced").exists()


def test_make_lab_says_where_the_learners_work_is_each_time(tmp_path, capsys):
    course = _course(tmp_path)
    mine = tmp_path / "my-notebooks"
    arguments = ["--course", str(course), "--copies", str(mine)]
    assert copies.main(arguments) == 0
    assert f"Made your own copy of the course in {mine}/" in capsys.readouterr().out
    assert copies.main(arguments) == 0
    assert f"Opening your own copies in {mine}/, as you left them" in capsys.readouterr().out
    (course / "05_demo.ipynb").write_bytes((course / "04_demo.ipynb").read_bytes())
    assert copies.main(arguments) == 0
    assert f"Added to {mine}/, new in the course: 05_demo.ipynb." in capsys.readouterr().out


def test_make_fresh_works_from_a_folder_and_with_a_venv_whose_paths_hold_a_space(tmp_path):
    """A teacher's "My Courses/backprop": the course and its venv both under a folder with a space."""
    spaced = tmp_path / "My Courses"
    course = _copy_project(spaced / "backprop")
    venv = spaced / "course venv"
    venv.symlink_to(sys.prefix, target_is_directory=True)
    copies.make_copies(course / "notebooks", course / "my-notebooks")
    raw = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.installed", "fresh", "NB=04"],
                         cwd=course, capture_output=True, text=True)
    assert raw.returncode != 0  # why the tests hand make a path without a space
    safe = make_safe_path(venv)
    assert " " not in str(safe)
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    done = subprocess.run(["make", "--no-print-directory", f"VENV={safe}", "-o", f"{safe}/.installed", "fresh", "NB=04"],
                          cwd=course, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "04_backprop_by_hand.ipynb" in done.stdout, done.stdout
