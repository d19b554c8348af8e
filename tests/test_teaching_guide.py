"""The teacher's guide states times; they must add up to what the notebooks and its own sections say."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "notebooks" / "TEACHING.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _sections():
    """{'03': text of the guide's section on notebook 03, ...}"""
    return {m.group(1): m.group(2) for m in re.finditer(r"(?ms)^## (\d\d) · .*?$(.*?)(?=^## )", GUIDE)}


def _self_study_minutes(path):
    header = nbformat.read(path, as_version=4).cells[0].source
    return int(re.search(r"Time:\*\* about (\d+) minutes", header).group(1))


def _in_class_minutes(section):
    return int(re.search(r"in class allow \*\*(\d+)\*\*", section).group(1))


def _minutes(text):
    """'2 h 10' -> 130, '55 min' -> 55, '2 h' -> 120."""
    hours = re.search(r"(\d+) h", text)
    minutes = re.search(r"(?:h |^)(\d+)(?: min)?$", text.strip())
    return (int(hours.group(1)) * 60 if hours else 0) + (int(minutes.group(1)) if minutes else 0)


def test_every_notebook_has_a_section_an_exit_ticket_and_the_time_its_header_states():
    sections = _sections()
    for path in NOTEBOOKS:
        number = path.name[:2]
        assert number in sections, f"the guide has no section on notebook {number}"
        said = re.search(r"the notebook says about (\d+) minutes", sections[number]).group(1)
        assert int(said) == _self_study_minutes(path), number
        assert "**Exit ticket (two minutes):**" in sections[number], number


def test_the_totals_add_up():
    sections = _sections()
    self_study = sum(_self_study_minutes(p) for p in NOTEBOOKS)
    in_class = sum(_in_class_minutes(sections[p.name[:2]]) for p in NOTEBOOKS)
    stated = re.search(r"about \w+ hours of self-study \((\d+) h (\d+);", GUIDE)
    assert int(stated.group(1)) * 60 + int(stated.group(2)) == self_study
    stated = re.search(r"plan on \*\*about \w+ hours\*\* \((\d+) h (\d+)\)", GUIDE)
    assert int(stated.group(1)) * 60 + int(stated.group(2)) == in_class


@pytest.mark.parametrize("row", re.findall(r"(?m)^\| (\d) \| ([\d, ]+) \| about ([^|(]+?)(?: \(with the set-up check\))? \|",
                                           GUIDE))
def test_each_session_lasts_the_sum_of_its_notebooks(row):
    session, numbers, said = row
    sections = _sections()
    total = sum(_in_class_minutes(sections[n.strip()]) for n in numbers.split(","))
    # Session 1 adds about a quarter of an hour for the set-up check; the others are the plain sum.
    extra = 15 if session == "1" else 0
    assert _minutes(said) == total + extra, (session, said, total)


def test_the_sessions_cover_every_notebook_once():
    rows = re.findall(r"(?m)^\| \d \| ([\d, ]+) \|", GUIDE)
    covered = [n.strip() for row in rows for n in row.split(",")]
    assert sorted(covered) == [p.name[:2] for p in NOTEBOOKS]
