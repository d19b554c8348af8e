"""Notebooks 00-02, the README and the teacher's guide: one name per squared error, a derivative read
as a rate, no citations a learner cannot look up, and a further-reading list they can."""

import re
from pathlib import Path

import nbformat
import pytest

from helpers import losses

ROOT = Path(__file__).resolve().parents[2]
FIRST = ["00_welcome", "01_forward_pass", "02_loss"]


def _markdown(stem):
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


TEXTS = {stem: _markdown(stem) for stem in FIRST}
TEXTS["README"] = (ROOT / "README.md").read_text(encoding="utf-8")
TEXTS["TEACHING"] = (ROOT / "notebooks" / "TEACHING.md").read_text(encoding="utf-8")


def _table_row(text, name):
    """The cells of the markdown table row that starts with `name` in backticks."""
    line = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.mark.parametrize("name", ["squared_error", "half_squared_error", "mse"])
def test_notebook_02_table_states_what_each_squared_error_gives_on_both_examples(name):
    row = _table_row(TEXTS["02_loss"], name)
    loss = losses.get_loss(name).value
    worked_example, cat_guess = float(row[-2]), float(row[-1])
    assert worked_example == pytest.approx(loss(0.7, 1.0), abs=5e-4)
    assert cat_guess == pytest.approx(loss([0.3, 0.7], [1.0, 0.0]), abs=5e-3)


@pytest.mark.parametrize("where", list(TEXTS))
def test_no_citation_a_learner_cannot_look_up(where):
    text = TEXTS[where]
    assert not re.search(r"reading \[\d+\]|\[\d{3}\]|as the reading|of the reading|the reading puts", text, flags=re.I)


@pytest.mark.parametrize("where", ["00_welcome", "README"])
def test_further_reading_names_texts_a_learner_can_find(where):
    text = TEXTS[where]
    reading = text[text.index("## Further reading"):]
    for work in ("Neural Networks and Deep Learning", "CS231n", "Backpropagation, Intuitions", "Optimization",
                 "A Step by Step Backpropagation Example", "micrograd",
                 "The spelled-out intro to neural networks and backpropagation"):
        assert work in reading, (where, work)


def test_notebook_00_reads_a_derivative_as_a_rate_not_a_change():
    text = TEXTS["00_welcome"]
    assert "would change if" not in text and "changes this much" not in text
    assert text.count(r"\partial L / \partial w \times \varepsilon") == 2


def test_notebook_00s_rate_example_is_what_a_nudge_of_w4_does():
    from helpers import TwoTwoOne

    text = TEXTS["00_welcome"]
    blame = TwoTwoOne().chain().gradients["w4"]
    nudged = TwoTwoOne(w4=0.6 + 0.01).loss() - TwoTwoOne().loss()
    assert f"{blame:.3f}" == "-0.322" and round(blame * 0.01, 4) == round(nudged, 4) == -0.0032
    assert r"raising $w_4$ by 0.01 lowers the loss by about $0.322 \times 0.01 \approx 0.0032$" in text


def test_notebook_01s_neuron_prompt_starts_from_the_widgets_negative_weight_and_quotes_its_numbers():
    from helpers.widgets.neuron import NeuronExplorer

    text = TEXTS["01_forward_pass"]
    assert "Make the **weight** $w$ negative" not in text
    explorer = NeuronExplorer()
    assert explorer.w.value == -0.5
    ends = {}
    for w in (-0.5, 2.0):
        explorer.w.value = w
        ends[w] = []
        for x in (explorer.x.min, explorer.x.max):
            explorer.x.value = x
            ends[w].append(f"{explorer.state()['a']:.2f}")
    assert ends == {-0.5: ["0.73", "0.27"], 2.0: ["0.02", "0.98"]}
    assert "at $w = -0.50$" in text and "$a$ *falls* from 0.73 to 0.27" in text
    assert "drag $w$ up to $+2$" in text and "$a$ climbs from 0.02 to 0.98" in text


def test_notebook_01_names_softmax_as_the_activation_that_does_not_act_entry_by_entry():
    import numpy as np

    from helpers import softmax

    text = TEXTS["01_forward_pass"]
    assert "Every neuron in this course computes exactly these two lines" not in text
    assert "softmax, in section 5, is the exception" in text
    z = np.array([0.4, 1.2])
    assert softmax(z + np.array([1.0, 0.0]))[1] < softmax(z)[1]     # raise one z, the other probability falls


def test_notebook_01s_transpose_trap_allows_for_a_symmetric_w():
    import numpy as np

    text = TEXTS["01_forward_pass"]
    assert "every number that comes out is wrong" not in text
    assert "Only a symmetric $W$, one equal to its own transpose, would give the same numbers" in text
    symmetric, x = np.array([[1.0, 2.0], [2.0, -1.0]]), np.array([0.5, 3.0])
    assert np.array_equal(symmetric.T @ x, symmetric @ x)
