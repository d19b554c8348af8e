"""The saved notebooks show the numbers helpers computes: 04's worked example first, then 00–05's claims.

Notebook 04 promises ŷ = 0.70 against y = 1.0, a loss of 0.09, and ŷ = 0.85 after one update with
η = 0.5. These tests read the notebook as saved (no kernel needed), so neither the prose nor the
printed outputs can drift away from `helpers.tiny`.
"""

from pathlib import Path

import nbformat
import pytest

from helpers.tiny import EXAMPLE_ETA, TwoTwoOne

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_backprop_by_hand.ipynb"


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


# Notebooks 00–05: the numbers and claims that issue 11 found wrong, read from the saved notebooks.

import re  # noqa: E402

import numpy as np  # noqa: E402

from helpers import losses  # noqa: E402
from helpers.gradcheck import numerical_derivative, relative_error  # noqa: E402
from helpers.training import descend_tiny  # noqa: E402

NOTEBOOKS = NOTEBOOK.parent
RESTART = ("**After a restart** of the kernel, run the cells above the one you are on first "
           "(*Run ▸ Run All Above Selected Cell*): each cell builds on the ones before it.")


def _read(stem):
    (path,) = NOTEBOOKS.glob(f"{stem}_*.ipynb")
    return nbformat.read(path, as_version=4)


def _printed_lines(nb):
    lines = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.output_type == "stream":
                lines += output.text.splitlines()
            elif "text/plain" in output.get("data", {}):
                lines += output.data["text/plain"].splitlines()
    return lines


def _text(nb, kind):
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == kind)


@pytest.mark.parametrize("stem", ["00", "01", "02", "03", "04", "05"])
def test_each_header_says_what_to_do_after_a_restart(stem):
    assert RESTART in _read(stem).cells[0].source


@pytest.mark.parametrize("stem", ["03", "04"])
def test_a_nudge_is_called_epsilon_never_h(stem):
    nb = _read(stem)
    everything = _text(nb, "markdown") + _text(nb, "code")
    for h_as_a_nudge in ("+ h)", "- h)", "2h", "h=h", "h = 10", "(h(x)", "h(x)"):
        assert h_as_a_nudge not in everything, h_as_a_nudge
    assert r"\varepsilon" in _text(nb, "markdown")


def test_03_table_runs_down_to_1e_9_and_states_where_each_estimate_turns_around():
    nb = _read("03")
    printed = _printed_lines(nb)
    for eps in ("1e-06", "1e-07", "1e-08", "1e-09"):
        assert any(line.strip().startswith(eps) for line in printed), eps

    def cube(x):
        return x ** 3

    nudges = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-12]
    one_sided = [abs((cube(2.0 + e) - cube(2.0)) / e - 12.0) for e in nudges]
    centred = [abs(numerical_derivative(cube, 2.0, eps=e) - 12.0) for e in nudges]
    best_one_sided, best_centred = nudges[int(np.argmin(one_sided))], nudges[int(np.argmin(centred))]
    assert (best_one_sided, best_centred) == (1e-8, 1e-5)
    assert centred[nudges.index(1e-6)] > centred[nudges.index(1e-5)]     # worse at 1e-6 already
    assert "smallest error: one-sided at ε = 1e-08, centred at ε = 1e-05" in printed
    prose = _text(nb, "markdown")
    assert r"the centred error is smallest at $\varepsilon = 10^{-5}$ (about $2 \times 10^{-10}$)" in prose
    assert f"{centred[nudges.index(1e-5)]:.0e}" == "2e-10"
    assert r"keeps improving until $\varepsilon = 10^{-8}$" in prose


def test_03_writes_the_five_factor_chains_layers_in_brackets_and_says_its_w2_is_another_weight():
    nb = _read("03")
    prose = _text(nb, "markdown")
    for layered in ("z^{[1]} = w^{[1]} x", "a^{[1]} = \\sigma(z^{[1]})", "z^{[2]} = w^{[2]} a^{[1]}",
                    "L = (a^{[2]} - y)^2", "\\partial L / \\partial a^{[2]} \\approx -0.52"):
        assert layered in prose, layered
    for subscript_as_layer in ("$a_1$", "$a_2$", "$z_1$", "$z_2$", "a_2 - y", "partial a_2", "z_1 = w_1 x",
                               "counts layers", "count layers"):
        assert subscript_as_layer not in prose, subscript_as_layer
    assert "It is not the $w_2$ of the 2-2-1 network above" in prose
    assert "never layers" in prose
    code = _text(nb, "code")
    assert "z[1] = w[1] * x" in code and "a[2] = float(sigmoid(z[2]))" in code
    printed = _printed_lines(nb)
    assert "forward: z[1] = 0.8000, a[1] = 0.6900, z[2] = 1.0350, a[2] = 0.7379, L = 0.0687" in printed
    assert "their product:  ∂L/∂w[1] = -0.03253" in printed
    assert "Network's backward pass: ∂L/∂w[1] = -0.03253" in printed


def test_03_a_partial_derivative_is_a_rate_and_the_pinch_shows_it():
    prose = _text(_read("03"), "markdown")
    assert "how much would the loss change" not in prose
    assert "It is a rate, not an amount" in prose

    def taste(s, f):
        return 3 * s ** 2 + 2 * s * f + f

    change = taste(1.001, 2.0) - taste(1.0, 2.0)
    assert f"{change:.6f}" == "0.010003"
    assert "raised the taste by 0.010003, close to $10 \\times 0.001 = 0.01$" in prose


def test_03_the_loss_falls_only_while_w1_grows_a_little_and_bottoms_out_where_y_hat_reaches_y():
    nb = _read("03")
    prose = _text(nb, "markdown")
    assert "the loss falls if any one of the weights grows a little" in prose
    w1_values = np.linspace(-4.0, 4.0, 8001)
    losses_ = [TwoTwoOne(w1=w1).loss() for w1 in w1_values]
    best = w1_values[int(np.argmin(losses_))]
    # The exact bottom: ŷ = w3·σ(w1) + w4·h2 = 1 when σ(w1) = 1 − 0.6·h2.
    h1_needed = 1.0 - 0.6 * TwoTwoOne().chain().h2
    assert best == pytest.approx(np.log(h1_needed / (1 - h1_needed)), abs=1e-3)
    y_hat = TwoTwoOne(w1=best).forward()
    line = f"the loss is lowest at w1 ≈ {best:.3f}: L = {min(losses_):.1e}, ŷ = {y_hat:.4f}"
    assert line == "the loss is lowest at w1 ≈ 0.742: L = 1.2e-08, ŷ = 0.9999"
    assert line in _printed_lines(nb)
    assert "At $w_1 \\approx 0.742$ the prediction reaches the target ($\\hat y = 0.9999$)" in prose
    assert TwoTwoOne(w1=2.0).gradients()["w1"] > 0      # "at w1 = 2 the slope has turned positive"


def test_03_deeper_is_fainter_only_while_the_weights_between_layers_are_below_4():
    from helpers import sigmoid
    prose = _text(_read("03"), "markdown")
    a2 = float(sigmoid(1.5 * float(sigmoid(0.8))))
    assert f"{a2 * (1 - a2):.4f}" == "0.1934" and f"{1.5 * a2 * (1 - a2):.2f}" == "0.29"
    assert "w^{[2]} \\cdot \\sigma'(z^{[2]}) = 1.5 \\times 0.1934 = 0.29" in prose
    assert "as long as the weights between those layers are smaller than 4 in size" in prose
    # σ′ ≤ 1/4, so |w|·σ′(z) < 1 for |w| < 4, and a weight above 4 with z near 0 passes back more than 1.
    zs = np.linspace(-10, 10, 2001)
    slopes = np.asarray(sigmoid(zs)) * (1 - np.asarray(sigmoid(zs)))
    assert slopes.max() == pytest.approx(0.25) and (3.99 * slopes).max() < 1 < 4.5 * slopes.max()
    assert "A sigmoid's slope is never large, so" not in prose


def test_01_writes_layers_in_brackets_and_says_what_a_subscript_counts():
    prose = _text(_read("01"), "markdown")
    assert "$W_2$" not in prose and "$W^{[2]}$" in prose
    assert "a subscript, as in $x_1$ or $w_3$" in prose


def test_00_says_rarely_and_describes_the_feedback_in_words():
    nb = _read("00")
    text = _text(nb, "markdown")
    assert "rarely reaches zero" in text and "never reaches zero" not in text
    for word in ("**Correct**", "**Not yet**", "**Not answered yet**"):
        assert word in text
    for emoji in ("✅", "❌", "✏️", "□"):
        assert emoji not in text


def test_02_prints_every_convention_its_failure_trap_quotes():
    nb = _read("02")
    printed = _printed_lines(nb)
    y_hat, y = np.array([0.3, 0.7]), np.array([1.0, 0.0])
    mean, total = losses.mse(y_hat, y), losses.squared_error(y_hat, y)
    half_sum = losses.half_squared_error(y_hat, y)
    assert (f"{mean:.3f}", f"{total:.3f}", f"{half_sum:.3f}", f"{mean / 2:.3f}") == ("0.490", "0.980", "0.490", "0.245")
    assert _line_with(printed, "half of the sum:").endswith(f"losses.half_squared_error: {half_sum:.3f}")
    assert _line_with(printed, "half of the mean:").endswith(f"{mean / 2:.3f}")
    trap = _text(nb, "markdown")
    assert "0.49 as half the sum (`half_squared_error`, the default loss of the course's `Network`)" in trap
    from helpers.network import Network
    assert Network([1, 1]).loss.name == "half_squared_error"


def test_02_says_squared_error_sums_over_outputs_and_averages_over_samples():
    nb = _read("02")
    batch = np.array([[0.7], [0.9], [0.2]]), np.array([[1.0], [1.0], [0.0]])
    two = np.array([[0.3, 0.7], [0.5, 0.5]]), np.array([[1.0, 0.0], [1.0, 0.0]])
    assert losses.squared_error(*batch) == pytest.approx(np.mean((batch[0] - batch[1]) ** 2))
    assert losses.squared_error(*two) == pytest.approx(np.mean(np.sum((two[0] - two[1]) ** 2, axis=1)))
    assert "it **sums** over the outputs of each sample and then **averages** over the samples" in _text(nb, "markdown")


def test_02_binary_cross_entropy_is_the_two_class_sum():
    for p in (0.3, 0.9):
        assert losses.binary_cross_entropy(p, 1.0) == pytest.approx(losses.cross_entropy([p, 1 - p], [1.0, 0.0]))
        assert losses.binary_cross_entropy(p, 0.0) == pytest.approx(losses.cross_entropy([p, 1 - p], [0.0, 1.0]))
    assert "binary cross-entropy = 1.204" in "\n".join(_printed_lines(_read("02")))


def test_04_names_backward_propagation_of_errors(prose):
    assert "*backward propagation of errors*" in prose


def test_04_explains_w2s_small_blame_by_w4_and_x2_not_the_sigmoid(prose):
    chain = TwoTwoOne().chain()
    assert f"{chain.dh1_dz1:.4f} against {chain.dh2_dz2:.4f}" in prose          # the two slopes nearly equal
    assert abs(chain.dh1_dz1 - chain.dh2_dz2) < 0.02
    ratio = chain.dL_dw2 / chain.dL_dw1
    assert ratio == pytest.approx(0.6 * 0.5 * chain.dh2_dz2 / chain.dh1_dz1)
    assert f"0.6 \\times 0.5 = {0.6 * 0.5:.1f}$ of $w_1$'s" in prose and round(ratio, 1) == 0.3
    assert "damped twice" not in prose


def test_04_prints_each_relative_error_and_shows_the_formula_once(printed, prose):
    net = TwoTwoOne()
    chain = net.chain()
    for name, exact in chain.gradients.items():
        def loss_with(w, name=name):
            return TwoTwoOne(**{**net.weights, name: w}).loss()
        error = relative_error(exact, numerical_derivative(loss_with, net.weights[name]))
        line = _line_with(printed, f"∂L/∂{name}: chain rule")
        assert f"relative error {error:.1e} → agree" in line
        assert re.search(r"relative error \d\.\de-\d\d", line)
    assert prose.count(r"\text{relative error} =") == 1


def test_05_says_the_output_weights_freeze_because_h_is_almost_zero():
    nb = _read("05")
    printed = _printed_lines(nb)
    stuck = descend_tiny(TwoTwoOne(), 6.0, steps=3000)
    final = TwoTwoOne(*stuck.weights[-1]).chain()
    assert final.h1 < 1e-4 and final.h2 < 1e-4
    assert final.dL_dw3 == pytest.approx(2 * (final.y_hat - final.y) * final.h1)     # ∝ h, not σ′
    assert max(abs(g) for g in final.gradients.values()) < 1.1e-4
    assert _line_with(printed, "hidden values:") == f"hidden values:  h1 = {final.h1:.1e}, h2 = {final.h2:.1e}"
    prose = _text(nb, "markdown")
    assert "it vanishes because the $h$ it multiplies is almost 0" in prose


def test_05_landscape_is_drawn_to_one_scale_and_its_markers_explained():
    nb = _read("05")
    assert "equal_aspect=True" in _text(nb, "code")
    prose = _text(nb, "markdown")
    assert "starts at the white circle" in prose and "vermillion cross" in prose
    assert "hardware" in prose or "graphics cards" in prose


def test_03_nudger_starts_where_the_secant_and_the_tangent_visibly_differ():
    from helpers.widgets.chain_rule import chain_links, measured_slope
    nb = _read("03")
    assert "chain_rule_nudger(x=0.0, nudge=0.5)" in _text(nb, "code")
    secant, tangent = measured_slope(0.0, 0.5), chain_links(0.0).dL_dx
    assert (f"{secant:.2f}", f"{tangent:.2f}") == ("-0.36", "-0.50")
    assert "the secant's slope ($-0.36$) is visibly flatter than the tangent's ($-0.50$)" in _text(nb, "markdown")


def test_03_fork_prints_the_two_paths_their_sum_the_nudge_and_the_product():
    lines = _printed_lines(_read("03"))
    a = 2.0
    u, v = 3 * a, a ** 2
    through_u, through_v = v * 3, u * 2 * a
    assert f"path through u: {through_u:g}    path through v: {through_v:g}" in lines
    assert f"sum of the paths: {through_u + through_v:g}    product of the paths: {through_u * through_v:g}" in lines
    assert "nudging a and measuring: dL/da ≈ 36.000000" in lines
    assert through_u + through_v == 9 * a ** 2 == 36 and through_u * through_v == 288
    prose = _text(_read("03"), "markdown")
    assert "The nudge measures 36" in prose and "Multiplying the paths gives 288, eight times" in prose
    assert "dominoes" in prose and "fork rule" in prose


def test_03_opens_with_the_slope_a_shrinking_nudge_settles_on():
    nb = _read("03")
    printed = _printed_lines(nb)
    ratios = []
    for eps in (1.0, 0.1, 0.01, 0.001, 0.0001):
        ratio = ((3.0 + eps) ** 2 - 9.0) / eps
        assert ratio == pytest.approx(6 + eps)                    # exactly 6 + ε, up to rounding
        ratios.append(f"{ratio:.4f}")
        assert any(line.startswith(f"ε = {eps:<6g}") and line.endswith(f"rise / ε = {ratio:.4f}") for line in printed)
    assert ratios == ["7.0000", "6.1000", "6.0100", "6.0010", "6.0001"]
    prose = _text(nb, "markdown")
    assert "The ratio settles on 6: 7, 6.1, 6.01, 6.001, 6.0001" in prose
    assert f"{3.01 ** 2 - 9:.4f}" == "0.0601" and "(exactly $0.0601$, since $3.01^2 = 9.0601$)" in prose
    assert prose.index("## The derivative: a slope found by nudging") < prose.index("## Nudge one ingredient")
    assert "secant_plot(square, 3.0, nudges=(2.0, 1.0, 0.5, 0.1)" in _text(nb, "code")
    slopes = [((3.0 + eps) ** 2 - 9.0) / eps for eps in (2.0, 1.0, 0.5, 0.1)]
    assert [f"{s:.1f}" for s in slopes] == ["8.0", "7.0", "6.5", "6.1"]
    assert "their slopes fall from 8 to 7, 6.5 and 6.1" in prose


def test_03_states_five_rules_and_confirms_each_by_a_nudge():
    nb = _read("03")
    prose = _text(nb, "markdown")
    for rule in ("**constant and sum**", "**product**", "**power**", "**exp**", "**chain**"):
        assert rule in prose, rule
    rows = [line for line in _printed_lines(nb) if " rule: " in line and "nudge: " in line]
    assert [row.split(":")[0].strip() for row in rows] == [
        "constant and sum", "product", "power", "power", "exp", "chain", "log, for notebook 07"]
    for row in rows:
        by_rule, by_nudge = re.findall(r"rule: ([+-][\d.]+)   nudge: ([+-][\d.]+)", row)[0]
        assert by_rule == by_nudge, row
    x = 1.5
    assert f"{-1 / x ** 2:+.6f}" in rows[3] and f"{-np.exp(-x):+.6f}" in rows[5] and f"{1 / x:+.6f}" in rows[6]
    assert f"{(np.exp(1e-5) - 1) / 1e-5:.6f}" == "1.000005"
    assert "Every rule agrees with its nudge to six decimals" in prose


def test_03_derives_the_sigmoids_slope_with_the_five_rules():
    from helpers import sigmoid
    nb = _read("03")
    prose = _text(nb, "markdown")
    assert "by the power rule with $n = -1$" in prose
    assert "e^{-z} \\cdot (-1) = -e^{-z}" in prose
    assert "differentiate $1/(1 + e^{-z})$ to get" not in prose
    for z in (-4.0, -1.0, 0.5, 2.0):
        step_3 = np.exp(-z) / (1 + np.exp(-z)) ** 2
        a = float(sigmoid(z))
        assert step_3 == pytest.approx(a * (1 - a), rel=1e-12)
        assert any(f"z = {z:+.1f}:" in line and f"e⁻ᶻ/(1 + e⁻ᶻ)² = {step_3:.4f}" in line for line in _printed_lines(nb))


def test_03_walks_the_five_factor_chain_with_the_local_rule_and_reuses_its_gradients():
    from helpers import sigmoid
    nb = _read("03")
    printed = _printed_lines(nb)
    x, y, w1, w2 = 1.0, 1.0, 0.8, 1.5
    a1 = float(sigmoid(w1 * x))
    a2 = float(sigmoid(w2 * a1))
    grads = {"a[2]": 2 * (a2 - y)}
    grads["z[2]"] = grads["a[2]"] * a2 * (1 - a2)
    grads["a[1]"] = grads["z[2]"] * w2
    grads["z[1]"] = grads["a[1]"] * a1 * (1 - a1)
    grads["w[1]"] = grads["z[1]"] * x
    for node, value in grads.items():
        assert any(line.startswith(f"∂L/∂{node:<5} = ") and line.endswith(f"= {value:+.5f}") for line in printed), node
    dL_dw2 = grads["z[2]"] * a1
    assert f"∂L/∂w[2]  = ∂L/∂z[2] × a[1] = {dL_dw2:+.5f}   Network's backward pass: {dL_dw2:+.5f}" in printed
    prose = _text(nb, "markdown")
    assert "upstream gradient" in prose and "downstream gradient" in prose and "local derivative" in prose
    assert "$\\partial L / \\partial z^{[2]} = -0.1014$ is computed once" in prose
    assert f"{grads['z[2]']:.4f}" == "-0.1014"
    assert "the bottom row reads $1$, $-0.5242$, $-0.1014$, $-0.1521$, $-0.03253$ and $-0.03253$" in prose
    assert [f"{v:.4g}" for v in reversed(list(grads.values()))] == ["-0.03253", "-0.03253", "-0.1521", "-0.1014", "-0.5242"]


def test_03_no_decision_rule_says_to_draw_every_path():
    prose = _text(_read("03"), "markdown")
    assert "draw every path" not in prose and "draw the path from $w$ to $L$" not in prose
    assert "Backpropagation never lists a path" in prose
    rules = re.findall(r"> \*\*Decision rule\.\*\* ([^\n]*)", prose)
    local_rule = [rule for rule in rules if "multiply the gradient that has arrived by each local derivative" in rule]
    fork_rule = [rule for rule in rules if rule.startswith("At a fork, the shares add") and "`+=`" in rule]
    assert len(local_rule) == len(fork_rule) == 1
    assert not any("every path" in rule for rule in rules)


def test_03_fork_walk_with_plus_equals_gives_the_sum_of_the_paths():
    lines = _printed_lines(_read("03"))
    assert "∂L/∂a after the share from u: 12" in lines
    assert "∂L/∂a after the share from v: 36   (the sum of the paths: 36)" in lines
    assert 'dL["a"] += dL["v"] * 2 * a' in _text(_read("03"), "code")
    a = 2.0
    u, v, du_da, dv_da = 3 * a, a ** 2, 3.0, 2 * a
    assert du_da * v + u * dv_da == 3 * 4 + 6 * 4 == 36                   # the product rule: u′v + uv′
    assert "$u' \\cdot v + u \\cdot v' = 3 \\times 4 + 6 \\times 4 = 12 + 24$, one term per path" in _text(_read("03"), "markdown")


def _paths_by_counting(k):
    """Paths from a first-layer weight, and from every weight, in a 2-wide net of k hidden layers, counted
    layer by layer from the loss down (each neuron's count is the sum of its successors'): no path walked."""
    to_loss = {k: 1}                    # from a neuron's z in hidden layer k: one path, through ŷ
    for layer in range(k - 1, 0, -1):
        to_loss[layer] = 2 * to_loss[layer + 1]
    every = sum(4 * to_loss[layer] for layer in range(1, k + 1)) + 2
    multiplications = sum(4 * to_loss[layer] * (2 * (k - layer) + 3) for layer in range(1, k + 1)) + 2
    return to_loss[1], every, multiplications


def test_03_counts_paths_against_one_backward_pass():
    nb = _read("03")
    printed = _printed_lines(nb)
    rows = {}
    for line in printed:
        cells = line.replace(",", "").split()
        if len(cells) == 5 and all(c.isdigit() for c in cells):
            rows[int(cells[0])] = tuple(int(c) for c in cells[1:])
    assert sorted(rows) == list(range(1, 11))
    for k, (from_w11, every, multiplications, multiply_adds) in rows.items():
        assert (from_w11, every, multiplications) == _paths_by_counting(k)
        assert from_w11 == 2 ** (k - 1) and multiply_adds == 10 * k + 1
    assert rows[10] == (512, 4094, 77830, 101) and round(77830 / 101) == 771
    assert "the formulas give every count walked above: True" in printed
    assert _paths_by_counting(50)[0] == 2 ** 49 and f"{2 ** 49:.1e}" == "5.6e+14"
    prose = _text(nb, "markdown")
    assert "about 770 times fewer" in prose and 770 < 77830 / 101 < 771
    assert "$5.6 \\times 10^{14}$" in prose and "needs 501 multiply-adds" in prose
    assert "reaches 77,830 multiplications at ten hidden layers" in prose


def test_02_says_slope_where_it_needs_a_derivative_and_points_to_03():
    nb = _read("02")
    prose = _text(nb, "markdown")
    assert "When you differentiate" not in prose and "tidy up a derivative" not in prose
    assert "The slope of $u^2$ is $2u$ ([notebook 03](03_chain_rule.ipynb) shows why" in prose
    assert "slope ∂L/∂ŷ = -0.60" in "\n".join(_printed_lines(nb))


def test_04_dL_dx1_prints_the_factors_the_worked_solution_quotes():
    import math

    from helpers.exercises.nb04 import CONNECTED_W1, connected_paths
    p = connected_paths()
    lines = _printed_lines(_read("04"))
    (a, b), (c, d) = CONNECTED_W1
    h1, h2 = (1 / (1 + math.exp(-(w * 1.0 + u * 0.5))) for w, u in ((a, b), (c, d)))
    assert (f"h1 = {h1:.4f}, h2 = {h2:.4f}, ŷ = {p['y_hat']:.4f}, ∂L/∂ŷ = 2(ŷ − y) = {p['dL_dy_hat']:+.4f}") in lines
    assert f"σ′(z1) = h1(1 − h1) = {p['slope1']:.4f}    σ′(z2) = h2(1 − h2) = {p['slope2']:.4f}" in lines
    prose = _text(_read("04"), "markdown")
    for number in (f"{p['dL_dy_hat']:.4f}", f"{p['slope1']:.4f}", f"{p['slope2']:.4f}",
                   f"{p['path1']:.4f}", f"{p['path2']:.4f}", f"{p['dL_dx1']:.4f}"):
        assert number in prose, number
    assert f"{p['path1'] * p['path2']:.4f}" in prose


def test_04_the_code_exercise_templates_run_and_say_not_answered_yet():
    lines = _printed_lines(_read("04"))
    for name in ("backward", "backward_biased"):
        assert (f"Not answered yet. Replace `raise NotImplementedError` in {name} with your code, then run both "
                "cells again.") in lines


def _with_worked_solutions(nb):
    """A copy of `nb` in which every exercise cell holds its worked solution, as a learner would type it."""
    import copy
    import re

    nb = copy.deepcopy(nb)
    filled = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "<summary>Worked solution</summary>" not in cell.source:
            continue
        block = re.search(r"```python\n(.*?)```", cell.source, re.S)
        inline = re.search(r"In code: `(answer = [^`]*)`", cell.source)
        solution = block.group(1) if block else inline.group(1)
        (j,) = [k for k in range(i - 1, -1, -1) if nb.cells[k].cell_type == "code"
                and ("answer = None" in nb.cells[k].source or "raise NotImplementedError" in nb.cells[k].source)][:1]
        if "raise NotImplementedError" in nb.cells[j].source:
            nb.cells[j].source = solution
        else:
            nb.cells[j].source = nb.cells[j].source.replace("answer = None  # your answer here", solution)
        filled += 1
    return nb, filled


FILLED_IN = {"03": 5, "04": 6}


@pytest.fixture(scope="module")
def filled_in_runs():
    """Each notebook of FILLED_IN with its worked solutions typed in, run to the end in a fresh kernel of
    its own; the kernels run at once (each is its own process). {stem: (nb, filled, error)}."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from nbclient import NotebookClient

    async def run(stem):
        nb = filled = None
        try:
            nb, filled = _with_worked_solutions(_read(stem))
            await NotebookClient(nb, timeout=120, kernel_name="python3",
                                 resources={"metadata": {"path": str(NOTEBOOKS)}}).async_execute()
            return stem, (nb, filled, None)
        except Exception as exc:  # reported by that notebook's test, not the other's
            return stem, (nb, filled, exc)

    async def run_all():
        return dict(await asyncio.gather(*(run(stem) for stem in FILLED_IN)))

    # In a thread of its own: on a worker that has run browser tests, Playwright's event loop runs in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run_all()).result()


@pytest.mark.parametrize("stem, exercises", list(FILLED_IN.items()))
def test_filling_in_every_worked_solution_gets_correct_from_every_check(stem, exercises, filled_in_runs):
    nb, filled, error = filled_in_runs[stem]
    if nb is None:
        raise error
    assert filled == exercises
    if error is not None:
        raise error
    verdicts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "check." in cell.source:
            text = "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs)
            verdicts.append(text)
    assert len(verdicts) == exercises
    assert all(v.startswith("Correct!") for v in verdicts), verdicts


def test_04_the_update_moved_every_weight_against_its_gradient(prose):
    before = TwoTwoOne()
    after = before.step(EXAMPLE_ETA)
    gradients = before.gradients()
    assert all(g < 0 for g in gradients.values())
    moves = {name: getattr(after, name) - getattr(before, name) for name in gradients}
    assert all(move > 0 for move in moves.values())                  # all four grew: against the gradient
    assert max(moves, key=moves.get) == "w4" and min(moves, key=moves.get) == "w2"
    assert ("Every weight moved against its gradient: all four gradients were negative, so all four weights\n"
            "grew") in prose
    assert f"($w_4$, up by {moves['w4']:.4f})" in prose and f"($w_2$, up by {moves['w2']:.4f})" in prose
    assert "direction its blame pointed" not in prose
    shared_before, shared_after = before.chain().dL_dy_hat, after.chain().dL_dy_hat
    assert (f"{shared_before:.2f}", f"{shared_after:.2f}") == ("-0.60", "-0.30")
    assert "went from $-0.60$ to $-0.30$" in prose
    assert all(abs(after.gradients()[name]) < abs(g) for name, g in gradients.items())


def test_04_a_flat_sigmoid_shrinks_w1s_blame_but_not_to_zero(printed, prose):
    rows = {}
    for w1 in (-3.0, -0.5, 3.0):
        at = TwoTwoOne(w1=w1).chain()
        rows[w1] = at
        assert (f"w1 = {w1:+.1f}:  σ′(z1) = {at.dh1_dz1:.3f}   ∂L/∂ŷ = {at.dL_dy_hat:+.3f}   "
                f"∂L/∂w1 = {at.dL_dw1:+.3f}") in printed
    assert (f"{rows[-3.0].dh1_dz1:.3f}", f"{rows[3.0].dh1_dz1:.3f}") == ("0.045", "0.045")
    assert (f"{rows[-3.0].dL_dw1:+.3f}", f"{rows[-0.5].dL_dw1:+.3f}", f"{rows[3.0].dL_dw1:+.3f}") == (
        "-0.057", "-0.141", "+0.025")
    assert rows[-3.0].dL_dy_hat < 2 * rows[-0.5].dL_dy_hat and abs(rows[-3.0].dL_dw1) < abs(rows[-0.5].dL_dw1) / 2
    assert "$w_1$'s blame shrinks from $-0.141$ to $-0.057$ (at $w_1 = -3$) or to $+0.025$" in prose
    assert "has more than doubled, to $-1.260$" in prose
    assert "almost 0, and so is the blame" not in prose


def test_04_counts_one_factor_per_arrow_and_names_the_three_factor_count_once(notebook, prose):
    chain = TwoTwoOne().chain()
    assert chain.dL_dw1 == pytest.approx(chain.dL_dy_hat * chain.dy_hat_dh1 * chain.dh1_dz1 * chain.dz1_dw1)
    assert "## Step 5 · The hidden weights: a chain of four factors" in prose
    assert "has four arrows, so the chain has four factors, one per arrow" in prose
    assert prose.count("*three*-factor chain") == 1
    everything = prose + "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for other_count in ("chain of three", "has three,", "three factors", "four entries", "one link longer"):
        assert other_count not in everything, other_count
    assert "a chain of four factors, one per arrow" in prose              # exercise 2


@pytest.mark.parametrize("stem", ["03", "04"])
def test_no_source_text_is_cited_as_the_reading(stem):
    prose = _text(_read(stem), "markdown").lower()
    assert "the reading" not in prose and "reading [" not in prose


# Notebook 04 teaches the backward pass as the local rule on the 2-2-1 graph.

def _cell_index(notebook, text):
    found = [i for i, cell in enumerate(notebook.cells) if text in cell.source]
    assert found, text
    return found[0]


def test_04_asks_for_a_prediction_before_the_backward_pass_and_reveals_it_with_the_numbers(notebook, printed, prose):
    asked = _cell_index(notebook, "### Before the backward pass: predict")
    assert asked < _cell_index(notebook, "## Step 3 · The backward pass starts at the loss")
    revealed = _cell_index(notebook, "Time to check your prediction from before step 3")
    assert revealed > _cell_index(notebook, "## Step 6 · Check every gradient by nudging its weight")
    chain = TwoTwoOne().chain()
    ranked = sorted(chain.gradients.items(), key=lambda item: abs(item[1]), reverse=True)
    assert [name for name, _ in ranked] == ["w4", "w3", "w1", "w2"]
    assert _line_with(printed, "largest to smallest:") == (
        "largest to smallest: " + ",  ".join(f"∂L/∂{name} = {g:+.4f}" for name, g in ranked))
    assert all(g < 0 for g in chain.gradients.values()) and TwoTwoOne().w1 < 0
    assert f"{chain.dy_hat_dw['w1']:.4f}" == "0.2350"
    assert "w_3\\,\\sigma'(z_1)\\,x_1\n= +0.2350$" in prose
    assert f"$h_2 = {chain.h2:.4f}$ is larger than\n$h_1 = {chain.h1:.4f}$" in prose


def test_04_prints_each_backward_step_as_upstream_times_local(printed):
    c = TwoTwoOne().chain()
    assert _line_with(printed, "∂L/∂ŷ = ∂L/∂L × 2(ŷ − y)") == (
        f"∂L/∂ŷ = ∂L/∂L × 2(ŷ − y) = 1.0 × 2 × ({c.y_hat:.4f} − 1.0) = {c.dL_dy_hat:+.4f}")
    assert _line_with(printed, "∂L/∂h1 = ") == f"∂L/∂h1 = ∂L/∂ŷ × w3 = {c.dL_dy_hat:+.4f} × 1.0 = {c.dL_dh1:+.4f}"
    assert _line_with(printed, "δ1 = ∂L/∂z1 = ∂L/∂h1") == (
        f"δ1 = ∂L/∂z1 = ∂L/∂h1 × σ′(z1) = {c.dL_dh1:+.4f} × {c.dh1_dz1:.4f} = {c.delta1:+.4f}")
    assert _line_with(printed, "∂L/∂w1 = δ1 × x1") == f"∂L/∂w1 = δ1 × x1 = {c.delta1:+.4f} × 1.0 = {c.dL_dw1:+.4f}"
    assert (f"{c.dL_dy_hat:+.4f}", f"{c.dL_dh1:+.4f}", f"{c.delta1:+.4f}") == ("-0.6000", "-0.6000", "-0.1410")
    assert _line_with(printed, "the local rule's δ1 × x1") == (
        f"the local rule's δ1 × x1 = {c.dL_dw1:+.4f}, the same number: True")


def test_04_brings_in_delta_at_the_hidden_neuron_and_the_output_neurons_delta_is_dL_dy_hat(notebook, prose):
    delta = _cell_index(notebook, "gets a name of its own: $\\delta_1 = \\partial L/\\partial z_1 = -0.1410$")
    assert _cell_index(notebook, "## Step 5 · The hidden weights") < delta < _cell_index(notebook, "## Step 6 ·")
    assert "\\text{a weight's gradient} = \\delta \\text{ of the neuron it feeds} \\times \\text{the input it carries}" in prose
    assert "$\\delta$ is $\\partial L/\\partial \\hat y = -0.6$ itself" in prose
    c = TwoTwoOne().chain()
    assert c.dL_dw3 == pytest.approx(c.dL_dy_hat * c.h1) and c.dL_dw1 == pytest.approx(c.delta1 * c.x1)


def test_04_fills_the_graph_from_the_loss_and_opens_the_stepper_on_the_2_2_1_example(notebook, prose):
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    fills = re.findall(r'filled="(\w+)"', code)
    assert fills == ["y_hat", "w3", "w1"]                   # in the order the walk reaches them
    assert 'backward_stepper("the 2-2-1 example of 04", wording="upstream")' in code
    assert "crosses six arrows here, not four" in prose      # tests/widgets/test_widget_stepper.py counts them
    assert "\\text{downstream} = \\text{upstream} \\times \\text{local}" in prose


def test_04_the_gradient_predicted_the_gain_of_the_update(printed, prose):
    net = TwoTwoOne()
    chain, new = net.chain(), net.step(EXAMPLE_ETA)
    predicted = sum(chain.dy_hat_dw[n] * (getattr(new, n) - getattr(net, n)) for n in net.weights)
    actual = new.forward() - chain.y_hat
    assert _line_with(printed, "predicted: Δŷ") == (
        f"predicted: Δŷ ≈ {predicted:+.4f}, so ŷ ≈ {chain.y_hat:.4f} + {predicted:.4f} = {chain.y_hat + predicted:.4f}")
    assert _line_with(printed, "actual:") == f"actual:    Δŷ = {actual:+.4f}, and ŷ = {new.forward():.4f}"
    assert (f"{predicted:.3f}", f"{chain.y_hat + predicted:.3f}", f"{new.forward():.3f}") == ("0.148", "0.848", "0.850")
    assert f"{actual - predicted:.4f}" == "0.0025"
    assert ("a gain of about 0.148, so $\\hat y \\approx 0.848$, against the 0.850 the new\n"
            "forward pass gives: a miss of 0.0025") in prose
    assert "\\hat y \\approx 0.848$, a local linear prediction" in prose       # the recap


def test_04_the_table_prints_every_row_round_table_computes(notebook, printed):
    from helpers.tiny import round_table

    rows = round_table(TwoTwoOne(), EXAMPLE_ETA)
    lines = [f"{part:<9} {name:<7} = {formula:<20} = {value:+.4f}" for part, name, formula, value in rows]
    start = printed.index(lines[0])
    assert printed[start:start + len(lines)] == lines
    for needed in ("backward  ∂L/∂ŷ   = 2(ŷ − y)             = -0.6000",
                   "backward  ∂L/∂h1  = ∂L/∂ŷ · w3           = -0.6000",
                   "backward  δ1      = ∂L/∂h1 · σ′(z1)      = -0.1410",
                   "update    new w3  = w3 − η·∂L/∂w3        = +1.1133",
                   "after     ŷ       = with the new weights = +0.8501"):
        assert needed in lines, needed
    # at the end of the 2-2-1 part: after the code exercise, before the biases and the six weights
    table = _cell_index(notebook, "### The whole round in one table")
    assert _cell_index(notebook, "## Step 9 ·") < table < _cell_index(notebook, "### The same network with a bias")


# Notebook 06 opens with a real fork: the 2-2-2 network, where each hidden neuron feeds both outputs.

def test_06_the_fork_sections_printed_numbers_and_worked_solution_are_the_helpers():
    from helpers.two_two_two import TwoTwoTwo

    p = TwoTwoTwo().run()
    nb = _read("06")
    lines = _printed_lines(nb)
    prose = _text(nb, "markdown")
    assert f"L = ½[({p.y_hat[0]:.4f} − 1)² + ({p.y_hat[1]:.4f} − 0)²] = {p.loss:.4f}" in lines
    assert (f"o1: ∂L/∂ŷ1 = {p.dL_dy_hat[0]:+.4f}  ×  σ′(z_o1) = {p.dy_hat_dz_out[0]:.4f}  →  "
            f"δ_o1 = {p.delta_out[0]:+.4f}") in lines
    assert f"∂L/∂h2 = the two shares added = {p.dL_dh[1]:+.4f}" in lines
    assert f"nudging h2: ∂L/∂h2 ≈ {p.dL_dh[1]:+.4f};  the share from o1 alone is 80% of it" in lines
    assert round(p.shares[0, 1] / p.dL_dh[1], 2) == 0.80 and "would miss a fifth of the gradient" in prose
    # Exercise 1's worked solution, to four decimals, and the 1.76 it quotes
    assert (f"{p.delta_out[0]:.4f}", f"{p.delta_out[1]:.4f}", f"{p.shares[0, 0]:.4f}", f"{p.shares[1, 0]:+.4f}",
            f"{p.dL_dh[0]:.4f}") == ("-0.1468", "0.0950", "-0.1322", "+0.0570", "-0.0752")
    assert ("-0.1468 \\times 0.9}_{\\text{from } o_1\\ =\\ -0.1322}" in prose
            and "0.0950 \\times 0.6}_{\\text{from } o_2\\ =\\ +0.0570} = -0.0752" in prose)
    assert f"{p.shares[0, 0] / p.dL_dh[0]:.2f}" == "1.76" and "1.76 times its real blame" in prose
    assert any(line.startswith("worst relative error") and line.endswith("all 12 below 1e-7: True") for line in lines)
    assert (f"∂L/∂w(h1←x2) as the sum over its 2 paths: {p.dL_dW_hidden[0, 1]:+.6f};  by backprop: "
            f"{p.dL_dW_hidden[0, 1]:+.6f}") in lines
    assert "ŷ1 rose: True;  ŷ2 fell: True;  the loss fell: True" in lines


def test_06_the_shares_added_at_the_hidden_neurons_are_delta_out_times_W_out():
    from helpers.two_two_two import TwoTwoTwo

    net = TwoTwoTwo()
    p = net.run()
    np.testing.assert_allclose(p.delta_out[None, :] @ np.array(net.W_out), p.dL_dh[None, :], rtol=1e-12, atol=0)
    lines = _printed_lines(_read("06"))
    assert f"the shares added at h1 and h2: ({p.dL_dh[0]:+.4f}, {p.dL_dh[1]:+.4f})" in lines
    assert f"delta_out @ W_out:             ({p.dL_dh[0]:+.4f}, {p.dL_dh[1]:+.4f})" in lines
    assert lines[lines.index(f"delta_out @ W_out:             ({p.dL_dh[0]:+.4f}, {p.dL_dh[1]:+.4f})") + 1] \
        == "equal: True"
    prose = _text(_read("06"), "markdown")
    assert "in the formula below it is the term $\\delta^{[l+1]} W^{[l+1]}$" in prose


def test_06_says_any_depth_is_the_local_rule_applied_layer_by_layer():
    prose = _text(_read("06"), "markdown")
    assert "local rule of notebook 03, layer by layer" in prose
    assert "(downstream = upstream × local)" in prose
    assert "their shares add, and one matrix product does all that adding" in prose
    assert "$\\delta^{[l]}$ is computed once and reused by the layer below" in prose
    header = _read("06").cells[0].source
    assert "[04 · Backprop by hand](04_backprop_by_hand.ipynb)" in header
