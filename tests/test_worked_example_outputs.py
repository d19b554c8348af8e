"""The saved notebook 04 shows the worked example's numbers, and they are the numbers helpers computes.

Notebook 04 promises ŷ = 0.70 against y = 1.0, a loss of 0.09, and ŷ = 0.85 after one update with
η = 0.5. These tests read the notebook as saved (no kernel needed), so neither the prose nor the
printed outputs can drift away from `helpers.tiny`.
"""

from pathlib import Path

import nbformat
import pytest

from helpers.tiny import EXAMPLE_ETA, TwoTwoOne

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_backprop_by_hand.ipynb"


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def printed(notebook):
    """Every line the saved notebook printed or displayed as text."""
    lines = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                lines += output.text.splitlines()
            elif "text/plain" in output.get("data", {}):
                lines += output.data["text/plain"].splitlines()
    return lines


@pytest.fixture(scope="module")
def prose(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def _line_with(lines, start):
    found = [line for line in lines if line.startswith(start)]
    assert found, f"no saved output line starts with {start!r}"
    return found[0]


def test_helpers_still_give_the_worked_examples_numbers():
    before = TwoTwoOne().chain()
    after = TwoTwoOne().step(EXAMPLE_ETA).chain()
    assert f"{before.y_hat:.2f}" == "0.70"
    assert f"{before.loss:.2f}" == "0.09"
    assert f"{after.y_hat:.2f}" == "0.85"


def test_the_saved_forward_pass_shows_y_hat_070_against_the_target(printed):
    y_hat = TwoTwoOne().chain().y_hat
    line = [line for line in printed if line.startswith("ŷ = ") and "against y" in line]
    assert line == [f"ŷ = {y_hat:.2f} against y = 1.00"] == ["ŷ = 0.70 against y = 1.00"]


def test_the_saved_loss_is_009(printed):
    loss = TwoTwoOne().chain().loss
    assert _line_with(printed, "L = (ŷ − y)²").endswith(f"= {loss:.2f}")
    assert _line_with(printed, "L = (ŷ − y)²") == "L = (ŷ − y)² = (0.70 − 1.00)² = 0.09"


def test_the_saved_full_numbers_match_helpers(printed):
    chain = TwoTwoOne().chain()
    assert _line_with(printed, "in full:") == f"in full: ŷ = {chain.y_hat:.6f}, L = {chain.loss:.6f}"


def test_the_saved_update_lifts_y_hat_to_085(printed):
    after = TwoTwoOne().step(EXAMPLE_ETA).chain()
    line = _line_with(printed, "after one update:")
    assert line.startswith(f"after one update: ŷ = {after.y_hat:.2f} (was 0.70)")
    assert line.startswith("after one update: ŷ = 0.85")
    assert f"L = {after.loss:.4f}" in line


def test_every_saved_gradient_is_the_one_helpers_computes(printed):
    gradients = TwoTwoOne().chain().gradients
    for name, value in gradients.items():
        line = _line_with(printed, f"∂L/∂{name}: chain rule")
        assert f"chain rule {value:+.6f}" in line
        assert line.endswith("→ agree")


def test_every_saved_chain_factor_is_named_as_in_helpers(printed):
    chain = TwoTwoOne().chain()
    for name in ("dL_dy_hat", "dy_hat_dw3", "dy_hat_dw4", "dy_hat_dh1", "dy_hat_dh2",
                 "dh1_dz1", "dh2_dz2", "dz1_dw1", "dz2_dw2"):
        line = _line_with(printed, f"chain.{name} ")
        assert f"= {getattr(chain, name):+.4f}" in line


def test_the_prose_quotes_the_same_numbers(prose):
    for number in ("ŷ = 0.70", "0.09", "0.85", "\\eta = 0.5"):
        assert number in prose, number
