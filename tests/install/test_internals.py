"""helpers' internals as a maintainer reads them: one sigmoid, one number formatter, one `describe`,
modules that fit a screen, Network's passes as the notation writes them, and every old import path kept.

The reference functions below are the course's earlier copies, written out again: the helpers that
replaced them must give the very same bits and the very same strings.
"""

import ast
import importlib
import json
import math
import pathlib
import re

import numpy as np
import pytest

from feedback import wrong_with

import helpers
from helpers import activations, autograd, codecheck, formatting, network, tiny, training, validate

HELPERS = pathlib.Path(helpers.__file__).parent
NOTEBOOKS = HELPERS.parent / "notebooks"

# Grids with the far ends included: exp(800) overflows a float, exp(−745) is the last value above 0.
GRID = np.concatenate([np.linspace(-800.0, 800.0, 16001), np.linspace(-40.0, 40.0, 8001),
                       [-800.0, 800.0, -745.2, 745.2, -709.79, 709.79, -36.8, 36.8, 0.0, -0.0, 1e-300, -1e-300,
                        5e-324, -5e-324]])


def _python_files():
    return sorted(path for path in HELPERS.rglob("*.py"))


# ---- One sigmoid ----

def _old_array_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _old_number_sigmoid(z):
    e = math.exp(-abs(z))
    return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)


def _exp_names(function):
    """Names bound to an exp(...) call inside `function` (e = math.exp(-abs(z)))."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_exp_call(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            for target, value in zip(getattr(node.targets[0], "elts", []), node.value.elts):
                if isinstance(target, ast.Name) and _is_exp_call(value):
                    names.add(target.id)
    return names


def _is_exp_call(node):
    return (isinstance(node, ast.Call) and
            (getattr(node.func, "attr", None) == "exp" or getattr(node.func, "id", None) in ("exp", "_exp")))


def _sigmoid_formulas(tree):
    """Every `… / (1 + e^…)` in a module: the sigmoid's fraction, written with exp or with a name bound to it."""
    found = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.Module))]
    for scope in scopes:
        exps = _exp_names(scope)
        for node in ast.walk(scope):
            if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
                continue
            below = node.right
            if not (isinstance(below, ast.BinOp) and isinstance(below.op, ast.Add)):
                continue
            one, rest = below.left, below.right
            if not (isinstance(one, ast.Constant) and one.value == 1):
                continue
            if _is_exp_call(rest) or (isinstance(rest, ast.Name) and rest.id in exps):
                found.append(node.lineno)
    return sorted(set(found))


def test_the_sigmoid_is_written_in_one_module_only():
    places = {}
    for path in _python_files():
        if path.name == "activations.py" and path.parent == HELPERS / "core":
            continue
        lines = _sigmoid_formulas(ast.parse(path.read_text()))
        if lines:
            places[str(path.relative_to(HELPERS))] = lines
    assert places == {}, f"σ written out again (use helpers.activations): {places}"


def test_the_scan_finds_a_sigmoid_written_out():
    assert _sigmoid_formulas(ast.parse("def s(z):\n    return 1 / (1 + math.exp(-z))\n")) == [2]
    assert _sigmoid_formulas(ast.parse("def s(z):\n    e = exp(-abs(z))\n    return e / (1.0 + e)\n")) == [3]
    assert _sigmoid_formulas(ast.parse("def f(x):\n    return 1 / (1 + x)\n")) == []


def test_the_array_sigmoid_gives_the_bits_it_always_gave():
    assert activations.sigmoid(GRID).tobytes() == _old_array_sigmoid(GRID).tobytes()
    assert activations._sigmoid(GRID).tobytes() == _old_array_sigmoid(GRID).tobytes()


def test_the_number_sigmoid_gives_a_python_float_and_the_bits_it_always_gave():
    for z in GRID.tolist():
        got = activations._sigmoid_number(z)
        assert type(got) is float
        assert got == _old_number_sigmoid(z) and math.copysign(1, got) == math.copysign(1, _old_number_sigmoid(z))


def test_the_sigmoids_of_tiny_autograd_and_notebook_10_are_the_one_in_activations():
    from helpers.exercises import nb04, nb10, nb10_softplus
    assert tiny._sigmoid_number is activations._sigmoid_number
    assert autograd._sigmoid is activations._sigmoid_number
    assert nb10._sigmoid_number is nb10_softplus._sigmoid_number is activations._sigmoid_number
    assert nb04._s(0.37) == activations._sigmoid_number(0.37)


def test_the_engines_and_the_two_two_ones_sigmoid_values_are_unchanged():
    for z in GRID[::7].tolist():
        assert autograd.Value(z).sigmoid().data == _old_number_sigmoid(z)
    for w1 in (-800.0, -3.2, -0.5, 0.0, 0.3, 2.0, 800.0):
        chain = tiny.TwoTwoOne(w1=w1, w2=-w1).chain(1.0, 0.5, 1.0)
        assert (chain.h1, chain.h2) == (_old_number_sigmoid(w1), _old_number_sigmoid(-w1 * 0.5))


def test_descend_tiny_still_takes_the_steps_two_two_one_takes():
    path = training.descend_tiny(tiny.TwoTwoOne(), eta=0.5, steps=40)
    net = tiny.TwoTwoOne()
    for step in range(41):
        assert tuple(path.weights[step]) == tuple(net.weights.values())
        assert path.loss[step] == net.loss()
        net = net.step(0.5)


def test_the_float32_sigmoid_of_the_float32_gradient_check_is_unchanged():
    from helpers import gradcheck
    z = GRID.astype(np.float32)
    with np.errstate(over="ignore"):
        old = 1 / (1 + np.exp(-z))
    assert gradcheck._float32_sigmoid is activations._float32_sigmoid
    assert activations._float32_sigmoid(z).dtype == np.float32
    assert activations._float32_sigmoid(z).tobytes() == old.tobytes()


# ---- One number formatter ----

MINUS = "\N{MINUS SIGN}"


def _old_fmt(value, digits=4):
    value = float(value)
    if not np.isfinite(value) or abs(value) > 1e12:
        return "diverged"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", MINUS)


def _old_plot_number(value, digits=3, signed=False):
    value = float(value)
    if not np.isfinite(value) or abs(value) > 1e12:
        return "diverged"
    sign = "+" if signed else ""
    text = f"{value:{sign}.{digits}e}" if abs(value) >= 1e4 else f"{value:{sign}.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = ("+" if signed else "") + text[1:]
    return text.replace("-", MINUS)


def _old_signed(value, digits=4):
    text = _old_fmt(value, digits)
    return text if text == "diverged" or text.startswith(MINUS) else "+" + text


def _old_tiny_number(value, tiny_digits=2):
    value = float(value)
    if np.isfinite(value) and value != 0 and abs(value) < 1e-3:
        return f"{value:.{tiny_digits}e}".replace("-", MINUS)
    return _old_fmt(value)


NUMBERS = ([0.0, -0.0, 1e-9, -1e-9, 4e-5, -4e-5, 0.00049, -0.00051, 0.5, -0.5, 0.12345, -0.12345, 1.00005,
            -2.99995, 9999.4, -9999.6, 1e4, -1e4, 12345.678, -123456.7, 1e12, -1e12, 1.0000001e12, 3e300,
            float("nan"), float("inf"), float("-inf"), np.float32(-0.3), np.int64(-7), 7]
           + np.random.default_rng(26).normal(0, 10, 300).tolist() + (10.0 ** np.arange(-8, 14)).tolist())


@pytest.mark.parametrize("digits", [0, 1, 2, 3, 4, 6])
def test_every_formatter_writes_the_strings_it_always_wrote(digits):
    from helpers.plots._common import _number as plot_number
    from helpers.widgets._base import fmt, number, signed
    for value in NUMBERS:
        assert fmt(value, digits) == _old_fmt(value, digits), value
        assert signed(value, digits) == _old_signed(value, digits), value
        assert plot_number(value, digits) == _old_plot_number(value, digits), value
        assert plot_number(value, digits, signed=True) == _old_plot_number(value, digits, signed=True), value
    for value in NUMBERS:
        assert number(value, digits) == _old_tiny_number(value, digits), value


def test_the_short_forms_write_what_they_always_wrote():
    from helpers import diagnose, graph_plot
    from helpers.plots.derivative import _short as four_digits
    from helpers.widgets._base import short
    for value in [v for v in NUMBERS if np.isfinite(v)]:
        assert short(value) == f"{float(value):.3g}".replace("-", MINUS)
        assert graph_plot.short(value) == f"{value:.3g}".replace("-", "\u2212")
        assert graph_plot.number(value) == f"{value:.4f}".replace("-", "\u2212")
        assert four_digits(value) == f"{float(value):.4g}".replace("-", MINUS)
        assert diagnose._number(value) == f"{value:.5g}".replace("-", "−")


def test_the_widgets_and_the_plots_share_one_formatter():
    from helpers.plots import _common
    from helpers.widgets import _base
    assert _base.fmt is formatting.fmt and _base.signed is formatting.signed and _base.number is formatting.number
    assert _base.short is formatting.short and _base.with_minus_signs is formatting.with_minus_signs
    assert _base.MINUS == _common.MINUS == formatting.MINUS
    assert _base.DIVERGED == _common.DIVERGED == formatting.DIVERGED


def test_no_other_module_makes_its_own_minus_sign():
    own = []
    for path in _python_files():
        if path.name == "formatting.py":
            continue
        for i, line in enumerate(path.read_text().split("\n"), start=1):
            if re.search(r"""\.replace\(\s*["']-["']\s*,\s*(MINUS|["'](\\u2212|\\N\{MINUS SIGN\}|−)["'])""", line):
                own.append(f"{path.relative_to(HELPERS)}:{i}")
    assert own == []


# ---- validate.describe, public ----

def test_describe_is_public_and_the_old_private_name_still_works():
    assert validate.describe is validate._describe
    assert validate.describe("abc") == "'abc' (str)"
    assert validate.describe(np.zeros((2, 3))) == "an array of shape (2, 3) (float64)"


def test_no_helpers_module_uses_the_private_describe_or_keeps_its_own():
    uses, copies = [], []
    for path in _python_files():
        text = path.read_text()
        if path.name != "validate.py" and "_describe" in text:
            uses.append(str(path.relative_to(HELPERS)))
        tree = ast.parse(text)
        copies += [f"{path.relative_to(HELPERS)}:{n.name}" for n in ast.walk(tree)
                   if isinstance(n, ast.FunctionDef) and n.name in ("describe", "_describe") and path.name != "validate.py"]
    assert uses == [] and copies == []


def test_the_engine_describes_a_wrong_value_as_validate_does():
    with pytest.raises(TypeError, match=r"^Value's data must be a single real number, but got 'a' \(str\)$"):
        autograd.Value("a")
    with pytest.raises(TypeError, match=r"label must be text, such as 'w1', but got 5 \(int\)$"):
        autograd.Value(1.0, label=5)


# ---- Modules that fit a screen ----

SPLIT = ["widgets/_base.py", "widgets/_controls.py", "widgets/_views.py", "widgets/_pictures.py",
         "widgets/_inputs.py", "widgets/_presentation.py", "widgets/_divergence.py", "formatting.py",
         "exercises/nb04.py", "exercises/nb04_backward.py", "exercises/nb10.py", "exercises/nb10_softplus.py",
         "exercises/nb07_ninja.py", "exercises/nb07_ninja_rules.py", "practice/recipe.py", "practice/recipe_checks.py",
         "plots/recipe_plots.py", "widgets/histograms.py", "widgets/histogram_stats.py", "core/network.py",
         "core/network_checks.py"]


@pytest.mark.parametrize("name", SPLIT)
def test_a_split_module_stays_under_four_hundred_lines(name):
    lines = len((HELPERS / name).read_text().split("\n"))
    assert lines <= 400, f"helpers/{name} has {lines} lines"


# Names the tests and notebooks import from a module that now re-exports them: each is the same object.
KEPT = {
    "helpers.widgets._base": {
        "fmt": "helpers.formatting", "number": "helpers.formatting", "signed": "helpers.formatting",
        "short": "helpers.formatting", "with_minus_signs": "helpers.formatting", "MINUS": "helpers.formatting",
        "DIVERGED_ABOVE": "helpers.formatting", "start_number": "helpers.widgets._inputs",
        "start_whole": "helpers.widgets._inputs", "start_option": "helpers.widgets._inputs",
        "start_values": "helpers.widgets._inputs", "FloatSlider": "helpers.widgets._controls",
        "FloatLogSlider": "helpers.widgets._controls", "Dropdown": "helpers.widgets._controls",
        "RoundSlider": "helpers.widgets._controls", "round_slider": "helpers.widgets._controls",
        "round_values": "helpers.widgets._controls", "log_slider": "helpers.widgets._controls",
        "log_value": "helpers.widgets._controls", "FINE_MANTISSAS": "helpers.widgets._controls",
        "loss_diverged": "helpers.widgets._divergence", "RISING_STEPS": "helpers.widgets._divergence",
        "new_figure": "helpers.widgets._views", "drawing": "helpers.widgets._views",
        "FigureView": "helpers.widgets._views", "BlitView": "helpers.widgets._views",
        "RENDER_LOCK": "helpers.widgets._views", "encode_png": "helpers.widgets._pictures",
        "still_png": "helpers.widgets._pictures", "_plain": "helpers.widgets._pictures",
        "_descendants": "helpers.widgets._presentation", "PRESENTATION_CLASS": "helpers.widgets._presentation",
        "present": "helpers.widgets._presentation",
    },
    "helpers.exercises.nb04": {name: "helpers.exercises.nb04_backward" for name in (
        "backward", "backward_biased", "backward_solution", "backward_biased_solution", "BACKWARD_SLIPS",
        "BIASED_SLIPS", "N_HIDDEN", "_cases")},
    "helpers.exercises.nb10": {name: "helpers.exercises.nb10_softplus" for name in (
        "softplus", "softplus_solution", "softplus_by_nudging", "SOFTPLUS_SLIPS", "SOFTPLUS_EXAMPLE",
        "walk_with_operation", "read_operation")},
    "helpers.exercises.nb07_ninja": {name: "helpers.exercises.nb07_ninja_rules" for name in (
        "ORDER", "UPSTREAM", "RULES", "LOCAL", "SLIPS", "_Context")},
    "helpers.recipe": {**{name: "helpers.recipe_checks" for name in (
        "chance_loss", "calm_start", "baseline", "overfit_small_batch", "layer_statistics", "update_ratios",
        "learning_rate_range", "Overfit", "OVERFIT_LOSS", "SATURATED")},
        **{name: "helpers.recipe_plots" for name in (
            "plot_overfit", "plot_starts", "plot_baseline", "plot_update_ratios", "plot_learning_rate_range",
            "plot_layer_histograms")}},
    "helpers.widgets.histograms": {name: "helpers.widgets.histogram_stats" for name in (
        "training_inputs", "build_network", "layer_statistics", "layer_line", "loss_line", "saturated_share",
        "SATURATED_ABOVE", "HIDDEN")},
    "helpers.network": {"MAX_TARGET": "helpers.network_checks", "MAX_PARAMETERS": "helpers.network_checks"},
}


@pytest.mark.parametrize("old", sorted(KEPT))
def test_a_moved_name_is_still_importable_from_where_it_was(old):
    module = importlib.import_module(old)
    for name, new in KEPT[old].items():
        assert getattr(module, name) is getattr(importlib.import_module(new), name), f"{old}.{name}"


def test_codechecks_references_name_the_right_functions_where_they_live():
    for key, refused in codecheck.REFERENCES.items():
        module_name, _, name = key.rpartition(".")
        function = getattr(importlib.import_module(module_name), name)
        assert f"{function.__module__}.{function.__name__}" == key
        for reference in refused:
            module_name, _, qualname = reference.partition(":")
            target = importlib.import_module(module_name)
            for part in qualname.split("."):
                target = getattr(target, part)
            assert callable(target) or isinstance(target, property), reference


def test_04s_backward_still_refuses_the_courses_own_gradients():
    def backward(w1, w2, w3, w4, x1, x2, y):
        g = tiny.TwoTwoOne(w1, w2, w3, w4).gradients(x1, x2, y)
        return g["w1"], g["w2"], g["w3"], g["w4"]

    from helpers.exercises import nb04
    wrong_with(nb04.backward(backward), "yourself")


def test_08s_fixed_backward_refuses_net_backward_as_its_reference_says():
    from helpers.exercises import nb08

    def fixed_backward(net, fp, Y):
        grads = net.backward(fp, Y)
        return grads.dL_dW, grads.dL_db

    wrong_with(nb08.fixed_backward(fixed_backward), "yourself")


def test_10s_softplus_still_refuses_the_courses_numerical_derivative():
    from helpers.exercises import nb10
    from helpers.gradcheck import numerical_derivative

    def softplus(x):
        out = autograd.Value(math.log1p(math.exp(x.data)))

        def backward():
            x.grad += numerical_derivative(lambda v: math.log1p(math.exp(v)), x.data) * out.grad

        return out, backward

    wrong_with(nb10.softplus(softplus), "Write this one yourself")


# ---- Network: the passes read as the notation, and give the numbers they gave ----

def _reference_gradients(net, X, Y):
    """The backward pass written out plainly, as network.py computed it before its checks moved out."""
    D = net.depth
    a, z = {0: X}, {}
    for l in range(1, D + 1):
        z[l] = a[l - 1] @ net.W[l].T + net.b[l]
        a[l] = net.activations[l](z[l])
    pair = (net.activations[D].name, net.loss.name)
    delta, dW, db = {}, {}, {}
    if pair in network._FUSED:
        delta[D] = (a[D] - Y) / Y.shape[0]
    else:
        delta[D] = net.activations[D].backward(z[D], a[D], net.loss.gradient(a[D], Y))
    for l in range(D, 0, -1):
        dW[l] = delta[l].T @ a[l - 1]
        db[l] = delta[l].sum(axis=0)
        if l > 1:
            delta[l - 1] = net.activations[l - 1].backward(z[l - 1], a[l - 1], delta[l] @ net.W[l])
    return a, dW, db, delta


def _random_networks(count):
    rng = np.random.default_rng(2026)
    hidden = ["sigmoid", "tanh", "relu", "linear"]
    outputs = [("sigmoid", "half_squared_error"), ("linear", "squared_error"), ("tanh", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("relu", "half_squared_error"), ("softmax", "cross_entropy"),
               ("softmax", "half_squared_error")]
    for _ in range(count):
        depth = int(rng.integers(1, 5))
        sizes = [int(n) for n in rng.integers(1, 6, size=depth + 1)]
        out, loss = outputs[int(rng.integers(len(outputs)))]
        if out == "softmax":
            sizes[-1] = max(sizes[-1], 2)
        acts = [hidden[int(i)] for i in rng.integers(0, 4, size=depth - 1)] + [out]
        net = network.Network(sizes, acts, loss, seed=int(rng.integers(1000)),
                              weight_scale=float(rng.choice([0.1, 1.0, 5.0])))
        n = int(rng.integers(1, 7))
        X = rng.normal(0.0, 3.0, size=(n, sizes[0]))
        if loss == "cross_entropy":
            Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=n)]
        elif loss == "binary_cross_entropy":
            Y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
        else:
            Y = rng.normal(size=(n, sizes[-1]))
        yield net, X, Y


def test_the_network_computes_every_number_as_the_plain_formulas_do_to_the_last_bit():
    for net, X, Y in _random_networks(300):
        a, dW, db, delta = _reference_gradients(net, X, Y)
        fp = net.forward(X)
        _, grads = net.gradients(X, Y)
        for l in a:
            assert fp.a[l].tobytes() == a[l].tobytes()
        for got, want in ((grads.dL_dW, dW), (grads.dL_db, db), (grads.delta, delta)):
            assert list(got) == list(want)  # the same layers, in the same order (D first)
            for l in want:
                assert got[l].tobytes() == want[l].tobytes()


def _method(name):
    source = pathlib.Path(network.__file__).read_text()
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Network")
    return next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name)


@pytest.mark.parametrize("name", ["_forward", "_output_delta", "_backward"])
def test_the_passes_hold_only_the_maths_and_fit_a_screen(name):
    method = _method(name)
    assert method.end_lineno - method.lineno + 1 <= 16
    assert not [n for n in ast.walk(method) if isinstance(n, (ast.Raise, ast.Try, ast.Assert))]
    called = {getattr(n.func, "attr", None) or getattr(n.func, "id", None)
              for n in ast.walk(method) if isinstance(n, ast.Call)}
    assert not called & {"as_array", "as_number", "isfinite", "errstate", "check_inputs", "check_targets"}


def test_the_backward_pass_reads_as_delta_from_the_layer_above():
    source = ast.unparse(_method("_backward"))
    assert "delta[l] = delta[l + 1] @ W[l + 1] * f[l].derivative(z[l])" in source
    assert "dL_dW[l] = delta[l].T @ a[l - 1]" in source
    assert "dL_db[l] = delta[l].sum(axis=0)" in source


# ---- Each function a notebook calls says which notebooks use it ----

def _notebook_uses():
    uses = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        number = path.name[:2]
        aliases = {}
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "\n".join(line for line in "".join(cell["source"]).split("\n")
                               if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            found = []
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
                    for alias in node.names:
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                            aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                        except ImportError:
                            found.append((node.module, alias.name))
                elif isinstance(node, ast.Import):
                    aliases.update({a.asname or a.name: a.name for a in node.names if a.name.startswith("helpers")})
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                    found.append((aliases[node.value.id], node.attr))
            for module, name in found:
                uses.setdefault((module, name), set()).add(number)
    return uses


def _printed_in_full():
    """Names whose whole source a notebook prints (inspect.getsource(Module)): the reader is in that notebook,
    and a line added to the docstring would change the printed output the notebook keeps."""
    printed = set()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        printed |= set(re.findall(r"getsource\((\w+)\)", path.read_text()))
    return printed


def test_every_helpers_function_a_notebook_calls_names_its_notebooks():
    import inspect
    missing = []
    printed = _printed_in_full()
    for (module, name), numbers in sorted(_notebook_uses().items()):
        if name in printed:
            continue
        try:
            thing = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if not (inspect.isfunction(thing) or inspect.isclass(thing)):
            continue
        home = thing.__module__
        if ".exercises." in home or home == "helpers.data":  # a check's module names its notebook; data.py: not ours
            continue
        doc = inspect.getdoc(thing) or ""
        named = set(re.findall(r"\b\d\d\b", " ".join(re.findall(r"[Nn]otebooks? [\d ,and]+", doc))))
        if not numbers <= named:
            missing.append(f"{home}.{name}: {sorted(numbers - named)}")
    assert missing == []
