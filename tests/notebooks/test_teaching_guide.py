"""The teacher's guide states times; they must add up to what the notebooks and its own sections say."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
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


README = (ROOT / "README.md").read_text(encoding="utf-8")
# A measured figure: a number with its unit, or a count of learners ("16 learners", "23 learners").
FIGURE = re.compile(r"\b(\d+(?:\.\d+)?) ?(ms|MiB|GiB|s\b|learners)")


def _paragraph(text, opening):
    """The paragraph (up to the next blank line) that starts with `opening`."""
    start = text.index(opening)
    end = text.find("\n\n", start)
    return " ".join(text[start:end].split())


def _figures(paragraph):
    return {" ".join(m) for m in FIGURE.findall(paragraph)}


def test_readme_and_guide_give_a_class_server_the_same_measured_figures():
    readme = _paragraph(README, "**How big a server.**")
    guide = _paragraph(GUIDE, "**On a class server (JupyterHub).**")
    assert _figures(readme) == _figures(guide)
    for figure in ("32 learners", "64 learners", "3 ms", "2 ms", "120 s", "16 learners", "13 ms", "15 ms", "75 s",
                   "116 MiB", "295 MiB", "18 GiB", "23.5 GiB"):
        assert figure in _figures(guide), figure
    assert "one core for every eight learners" in readme and "one core for every eight learners" in guide


def test_the_class_server_figures_come_from_the_run_in_the_performance_table():
    performance = README[README.index("## Performance"):README.index("## Further reading")]
    table = " ".join(performance.split())
    assert "2-core AMD EPYC virtual machine with 23.5 GiB" in table
    for figure in ("32 learners", "3 ms", "2 ms", "120 s", "16 learners", "13 ms", "15 ms", "75 s", "116 MiB", "295 MiB"):
        assert figure in table, figure


def test_the_playground_verdicts_the_guide_quotes_for_notebook_05():
    from helpers.widgets.gradient_descent import DIVERGED, OVERSHOOTING, GradientDescentPlayground

    section = " ".join(_sections()["05"].split())
    assert "at 1.16 ŷ first pokes just past 1" in section
    assert "from 2.32 on (the limit is 2.318)" in section and "with 30 steps and with 200 alike" in section
    assert "from 2.40 with 200 steps and from 2.94 with 30" in section
    playground = GradientDescentPlayground()
    seen = {}
    for steps in (30, 200):
        for eta in (1.15, 1.16, 2.31, 2.32, 2.39, 2.40, 2.93, 2.94):
            playground.steps.value = steps
            playground.eta.value = eta
            seen[steps, eta] = (playground.verdict, "final ŷ = <b>diverged</b>" in playground.final_y_hat_label.value)
    for steps in (30, 200):
        assert seen[steps, 1.15][0] != OVERSHOOTING and seen[steps, 1.16][0] == OVERSHOOTING
        assert seen[steps, 2.31][0] == OVERSHOOTING and seen[steps, 2.32][0] == DIVERGED
    assert not seen[200, 2.39][1] and seen[200, 2.40][1]
    assert not seen[30, 2.93][1] and seen[30, 2.94][1]


def test_the_dashboard_calls_eta_50_unstable_as_the_guide_says_for_notebook_07():
    from helpers.widgets.dashboard import TrainingDashboard

    section = " ".join(_sections()["07"].split())
    assert "50 jumps about: the result line says *unstable*" in section
    dashboard = TrainingDashboard(eta=50)
    dashboard._on_train()
    result = re.sub("<[^>]+>", "", dashboard.result_label.value)
    assert "unstable" in result and "diverged" not in result
    assert "ended above its start of 0.723 (as high as 83.337" in result
    assert "loss 3.002 on the training set" in result
