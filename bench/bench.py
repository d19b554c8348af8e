"""How fast the course is, measured side by side in one run: `make bench`.

Prints one table with the goal beside each figure. Nothing here is asserted: timings depend on
the machine, so they are reported, never tested.
"""

import io
import resource
import statistics
import sys
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import nbformat
import numpy as np
from nbclient import NotebookClient

import helpers
from helpers import data, gradcheck
from helpers import widgets as course_widgets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # kernel_widgets
from kernel_widgets import kernel_version  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ROWS = []

# Issue 16's goals, printed beside the figures they judge.
CALLBACK_GOAL_MS = 33    # every slider callback, median: a picture every frame at 30 frames a second
COURSE_GOAL_RATIO = 2.0  # the whole course against as many floor notebooks
BENCH_GOAL_S = 300       # all of `make bench`, start to table


def row(section, what, figure, goal="", verdict=""):
    ROWS.append((section, what, figure, goal, verdict))
    print(f"  {what}: {figure}", flush=True)


def judge(figure, limit):
    """"ok" when figure <= limit, else "MISSED" (a figure that is not a number, NaN, misses)."""
    return "ok" if figure <= limit else "MISSED"


def timed(fn, repeat=1):
    """The median wall time of fn() over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FLOOR_SOURCE = """\
import numpy as np
import matplotlib.pyplot as plt
import helpers
fig, ax = plt.subplots()
ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2)
plt.show()
"""

PEAK_MEMORY_SOURCE = """\
import resource, sys
_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(_peak * (1 if sys.platform == "darwin" else 1024))
"""


def execute_notebook(nb, cwd, extra_cell=None):
    """Run a notebook in a fresh kernel; return (seconds, last output text of extra_cell)."""
    if extra_cell:
        nb.cells.append(nbformat.v4.new_code_cell(extra_cell))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = ""
    if extra_cell:
        outputs = nb.cells[-1].outputs
        text = outputs[0].get("text", "").strip() if outputs else ""
    return seconds, text


def bench_course():
    print("Course execution (each notebook in a fresh kernel, kernel start included)")
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    floor = statistics.median(execute_notebook(nbformat.from_dict(floor_nb), ROOT)[0] for _ in range(3))
    row("course", "floor (kernel + imports + one figure)", f"{floor:.2f} s")
    total, heaviest = 0.0, (0, "")
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        seconds, peak = execute_notebook(nb, path.parent, PEAK_MEMORY_SOURCE)
        total += seconds
        peak_mb = int(peak) / 2**20 if peak.isdigit() else float("nan")
        heaviest = max(heaviest, (peak_mb, path.name))
        row("course", path.name, f"{seconds:.2f} s", "<= 10 s", "ok" if seconds <= 10 else "MISSED")
    if NOTEBOOKS:
        ratio = total / (floor * len(NOTEBOOKS))
        row("course", f"whole course / (floor x {len(NOTEBOOKS)})", f"{ratio:.2f}x ({total:.1f} s)",
            f"<= {COURSE_GOAL_RATIO}x", judge(ratio, COURSE_GOAL_RATIO))
        row("memory", f"peak kernel memory ({heaviest[1]})", f"{heaviest[0]:.0f} MiB")


def value_controls(widget):
    """Every slider and dropdown below `widget`, depth first."""
    found = []
    stack = [widget]
    while stack:
        w = stack.pop(0)
        if isinstance(w, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider, widgets.Dropdown,
                          widgets.SelectionSlider)):
            found.append(w)
        stack.extend(getattr(w, "children", ()))
    return found


def positions(control, n):
    """n values spread across a control's range (or cycling through its options)."""
    if isinstance(control, widgets.Dropdown):
        values = [v for _, v in control.options] if isinstance(control.options[0], tuple) else list(control.options)
        return [values[i % len(values)] for i in range(n)]
    if isinstance(control, widgets.SelectionSlider):  # stops at round numbers: n of them, spread across
        values = [v for _, v in control.options] if isinstance(control.options[0], tuple) else list(control.options)
        return [values[round(i * (len(values) - 1) / max(1, n - 1))] for i in range(n)]
    if isinstance(control, widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    values = np.linspace(control.min, control.max, n)
    return [int(round(v)) for v in values] if isinstance(control, widgets.IntSlider) else list(values)


def move_latencies(widget, moves=60):
    """Callback latency (s) for moves spread over every slider of the widget."""
    times = []
    controls = value_controls(widget)
    per_control = max(3, moves // max(1, len(controls)))
    for control in controls:
        start_value = control.value
        for value in positions(control, per_control):
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
        control.value = start_value
    return times


def first_choices(widget):
    """Callback latency (s) for choosing each option of each dropdown once, other than the one shown.

    move_latencies cycles through a dropdown's options, so most of its moves come back to an option
    already drawn, which a widget may keep (the bug explorer does); these are the first visits.
    """
    times = []
    for control in value_controls(widget):
        if not isinstance(control, widgets.Dropdown):
            continue
        start_value = control.value
        for value in positions(control, len(control.options)):
            if value == start_value:
                continue
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
        control.value = start_value
    return times


def naive_weight_explorer_update(w1, w2, w3, w4):
    """What a plain `interact` does on every move: a new figure, drawn and saved from scratch."""
    from helpers import plots

    net = helpers.TwoTwoOne(w1, w2, w3, w4)
    fig, ax = plt.subplots(figsize=helpers.style.FIGSIZE)
    plots.network_diagram(net, values=net.chain(), gradients=net.gradients(), ax=ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)


def callback_row(name, times):
    """The table's row for a widget's moves (seconds each): median and p95 in ms, beside the goal every
    slider (and dropdown) callback has."""
    med, p95 = statistics.median(times) * 1e3, float(np.percentile(times, 95)) * 1e3
    return ("widgets", f"{name}: callback per move, median / p95", f"{med:.1f} / {p95:.1f} ms",
            f"<= {CALLBACK_GOAL_MS} ms median", judge(med, CALLBACK_GOAL_MS))


def bench_widgets():
    print("Widget latency (callback + redraw, per move of a slider or dropdown)")
    medians = {}
    for name in course_widgets.__all__:
        try:
            build = kernel_version(getattr(course_widgets, name))  # the Python callback is what is timed here
        except ImportError:
            continue
        widget = build()
        times = move_latencies(widget)
        medians[name] = statistics.median(times) * 1e3
        row(*callback_row(name, times))
        firsts = first_choices(build())  # a new widget: nothing drawn yet but its first picture
        if firsts:
            row("widgets", f"{name}: first choice of each dropdown option, median / max",
                f"{statistics.median(firsts) * 1e3:.1f} / {max(firsts) * 1e3:.1f} ms ({len(firsts)} options)")
        button = getattr(widget, "train_button", None)
        if button is not None:  # its sliders only plan a run; the work happens on Train
            presses = [timed(button.click) for _ in range(5)]
            # A button that trains, not a slider: no time goal (issue 16 asks it to show progress instead).
            row("widgets", f"{name}: Train press (median of 5)", f"{statistics.median(presses) * 1e3:.0f} ms",
                "a button: no time goal")
    if "weight_explorer" in medians:
        rng = np.random.default_rng(0)
        naive = [timed(lambda: naive_weight_explorer_update(*rng.uniform(-3, 3, 4))) for _ in range(30)]
        naive_med = statistics.median(naive) * 1e3
        speedup = naive_med / medians["weight_explorer"]
        row("widgets", "naive interact redraw (weight explorer)", f"{naive_med:.1f} ms")
        row("widgets", "weight explorer speed-up over naive", f"{speedup:.1f}x", ">= 2x", "ok" if speedup >= 2 else "MISSED")


def bench_stepper():
    print("Backward stepper (notebook 10): one Step or Back press, callback + redraw")
    first = []
    for _ in range(3):  # a new widget each time: every step drawn for the first time
        stepper = course_widgets.backward_stepper(home="kernel")
        first += [timed(stepper.step) for _ in stepper.steps]
    again = [timed(stepper.back) for _ in stepper.steps]  # pictures already drawn, shown again
    med, p95 = statistics.median(first) * 1e3, float(np.percentile(first, 95)) * 1e3
    row("widgets", "backward_stepper: Step, first visit, median / p95", f"{med:.1f} / {p95:.1f} ms",
        "<= 100 ms median", "ok" if med <= 100 else "MISSED")
    row("widgets", "backward_stepper: Back to a step already drawn, median", f"{statistics.median(again) * 1e3:.1f} ms")


def bench_autograd():
    print("Autograd on single numbers vs arrays (notebook 10: one full-batch gradient of cat-or-dog's 2-8-2 network)")
    from helpers.value_network import ValueParameters, batch_loss

    X, y = data.load_cat_dog()
    X = data.Standardizer().fit_transform(X)
    net = helpers.Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    params = ValueParameters(net.copy())
    values = timed(lambda: batch_loss(params, X, y).backward(), repeat=3)
    arrays = timed(lambda: net.gradients(X, y), repeat=50)
    row("autograd", "Value engine / Network, same gradients", f"{values * 1e3:.0f} / {arrays * 1e3:.2f} ms = "
        f"{values / arrays:.0f}x", "> 50x (10 says so)", "ok" if values / arrays > 50 else "MISSED")


def per_sample_gradient_step(net, X, Y, eta):
    """The same full-batch update, computed one sample at a time in a Python loop."""
    L, n = net.depth, X.shape[0]
    dW = {l: np.zeros_like(net.W[l]) for l in net.W}
    db = {l: np.zeros_like(net.b[l]) for l in net.b}
    for i in range(n):
        a, z = {0: X[i]}, {}
        for l in range(1, L + 1):
            z[l] = net.W[l] @ a[l - 1] + net.b[l]
            a[l] = net.activations[l](z[l][None, :])[0]
        delta = (a[L] - Y[i]) / n  # softmax with cross-entropy, averaged over the batch
        for l in range(L, 0, -1):
            dW[l] += np.outer(delta, a[l - 1])
            db[l] += delta
            if l > 1:
                delta = (net.W[l].T @ delta) * net.activations[l - 1].derivative(z[l - 1])
    for l in net.W:
        net.W[l] -= eta * dW[l]
        net.b[l] -= eta * db[l]


def vectorised_gradient_step(net, X, Y, eta):
    _, grads = net.gradients(X, Y)
    net.step(grads, eta)


def bench_training():
    print("Training throughput (one full-batch epoch of cat-or-dog: 300 samples, a 2-8-2 network)")
    X, y = data.load_cat_dog()
    X = data.Standardizer().fit_transform(X)
    Y = helpers.one_hot(y, 2)
    net = helpers.Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    a, b = net.copy(), net.copy()
    vectorised_gradient_step(a, X, Y, 0.1)
    per_sample_gradient_step(b, X, Y, 0.1)
    assert np.allclose(a.parameters(), b.parameters()), "the two epochs should do the same maths"
    vectorised = timed(lambda: vectorised_gradient_step(net.copy(), X, Y, 0.1), repeat=50)
    looped = timed(lambda: per_sample_gradient_step(net.copy(), X, Y, 0.1), repeat=10)
    row("training", "vectorised epoch (all samples at once)", f"{vectorised * 1e3:.2f} ms")
    row("training", "same epoch, one sample at a time", f"{looped * 1e3:.1f} ms")
    ratio = looped / vectorised
    row("training", "vectorised speed-up", f"{ratio:.0f}x", ">= 20x", "ok" if ratio >= 20 else "MISSED")


def bench_shortcut():
    print("The backprop shortcut (full gradient: backprop vs one centred difference per weight)")
    rng = np.random.default_rng(0)
    for width in (2, 4, 8, 16, 32):
        net = helpers.Network([4, width, width, 1], "sigmoid", "half_squared_error", seed=0)
        X, y = rng.normal(size=(16, 4)), rng.normal(size=(16, 1))
        t_bp = timed(lambda: net.gradients(X, y), repeat=20)
        t_fd = timed(lambda: gradcheck.network_numerical_gradient(net, X, y), repeat=2)
        row("shortcut", f"{net.num_parameters:5d} parameters: backprop / finite differences",
            f"{t_bp * 1e3:.2f} / {t_fd * 1e3:.0f} ms = {t_fd / t_bp:.0f}x")


def bench_browser_and_class():
    """What a learner feels in JupyterLab (bench/bench_browser.py), and how many learners one server holds
    (bench/bench_class.py): each reported as not measured, rather than ending the run, if it cannot start."""
    import bench_browser
    import bench_class

    for section, measure in (("browser", bench_browser.run), ("class", bench_class.run)):
        try:
            measure(row=row)
        except Exception as exc:  # noqa: BLE001 -- the other figures are still worth printing
            first_line = (str(exc).splitlines() or [""])[0][:120]
            row(section, "not measured", f"{type(exc).__name__}: {first_line}", "", "NOT MEASURED")


def print_table():
    print()
    header = ("section", "measured", "figure", "goal", "")
    widths = [max(len(str(r[i])) for r in ROWS + [header]) for i in range(5)]
    for r in [header] + ROWS:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    print(f"\nPython {sys.version.split()[0]}, NumPy {np.__version__}, matplotlib {matplotlib.__version__}; "
          f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def total_row(seconds):
    return ("total", "make bench, start to table", f"{seconds:.0f} s", f"<= {BENCH_GOAL_S} s",
            judge(seconds, BENCH_GOAL_S))


def main():
    # Chosen here, not on import, so that tests importing this module keep their own backend.
    matplotlib.use("Agg")
    start = time.perf_counter()
    bench_training()
    bench_shortcut()
    bench_widgets()
    bench_stepper()
    bench_autograd()
    bench_course()
    bench_browser_and_class()
    row(*total_row(time.perf_counter() - start))
    print_table()
    print(f"make bench took {time.perf_counter() - start:.0f} s (goal <= {BENCH_GOAL_S} s)")


if __name__ == "__main__":
    main()
