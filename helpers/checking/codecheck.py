"""Run a learner's function safely and say whether it is right, or which slip it most likely holds.

A code exercise gives the learner a function to complete. Its template raises NotImplementedError,
so that Run All works before anyone has answered. `check_function` then

1. calls the function on the worked example and on hidden random cases, all in one child process
   (helpers.checking.sandbox) that is killed when a call overruns its time limit, whatever `except` the
   function holds, and whose memory is capped; what the function prints on the first case is shown
   once, under the verdict;
2. turns anything odd into a plain hint, never a traceback: an error raised inside the function,
   a call that never returns, memory run out, a result of the wrong type or length, None, complex
   numbers, a call of the course's own implementation of what the learner is writing (it refuses
   while the learner's function runs: see REFERENCES);
3. compares each result with the right one; if they differ, runs each known slip (a function with
   the same mistake) on the same cases and names the first one whose results match the learner's.

Before any of that it makes sure it checks the function the learner last wrote: in a notebook, if
the cell that defines it stopped at a SyntaxError, the function still in memory is an older one,
and the hint says so instead. A result that is nan or infinite is never right, and the hint names
which one it is. Results agree when they are equal to about six significant digits (TOLERANCE), so a
float32 calculation passes; results that agree to five digits but not six get a hint that the
method is right and a rounded constant or float32 is the likely cause.

    from helpers.checking.codecheck import Case, Slip, check_function
"""

import ast
import contextlib
import inspect
import io
import linecache
import math
import numbers
import re
import signal
import textwrap
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import sandbox
from .checks import CORRECT, UNANSWERED, WRONG, Feedback

# Seconds the learner's function may take in one check, all its cases together (one call, outside a
# check). The exercises' functions finish in microseconds, so this only ever stops a loop that never
# ends or one far longer than needed. Read at each call (the functions below take None to mean
# this), so the tests can shorten it without waiting 2 s per endless loop.
TIME_LIMIT = 2.0
# Results are right when they differ from the right ones by at most this much relative to the largest of
# them (so about six significant digits): float32 arithmetic, good to about seven, passes.
TOLERANCE = 1e-6
# Results that miss TOLERANCE but agree this closely (five significant digits) come from the right method
# with a rounded constant or float32 arithmetic: the hint says so.
NEAR_TOLERANCE = 1e-5
# Below this size a difference is rounding whatever the scale (a right answer of exactly 0).
_TINY = 1e-12

# The course's own implementations of what a code exercise asks the learner to write, keyed by the
# exercise's right function (`expected`, as module.name). While the learner's function runs in a check,
# each of these raises "write this one yourself: the check compares your code with <name>", so that
# `return net.backward(fp, Y)` is not praised for matching itself.
_NETWORK_BACKWARD = ("helpers.core.network:Network.backward", "helpers.core.network:Network.gradients")
_TWO_TWO_ONE = ("helpers.core.tiny:TwoTwoOne.gradients", "helpers.core.tiny:Chain.gradients", "helpers.core.tiny:Chain.dL_dw1",
                "helpers.core.tiny:Chain.dL_dw2", "helpers.core.tiny:Chain.dL_dw3", "helpers.core.tiny:Chain.dL_dw4",
                "helpers.core.autograd:Value.backward") + _NETWORK_BACKWARD
REFERENCES = {
    "helpers.exercises.nb04_backward.backward_solution": _TWO_TWO_ONE,
    "helpers.exercises.nb04_backward.backward_biased_solution": _TWO_TWO_ONE + ("helpers.core.tiny:BiasedTwoTwoOne.gradients",),
    "helpers.exercises.nb06.backward_solution": _NETWORK_BACKWARD,
    "helpers.exercises.nb06_fork.backward_fork_solution": (
        "helpers.core.two_two_two:fork_backward", "helpers.core.two_two_two:ForkPass.gradients",
        "helpers.core.two_two_two:TwoTwoTwo.gradients") + _NETWORK_BACKWARD,
    "helpers.exercises.nb07_loop.train_loop_solution": ("helpers.practice.training:train",),
    "helpers.exercises.nb07_ninja.backward_tensors_solution": _NETWORK_BACKWARD + (
        "helpers.core.losses:softmax_cross_entropy_gradient",),
    "helpers.exercises.nb08.fixed_backward_solution": _NETWORK_BACKWARD,
    "helpers.exercises.nb09_bugs.softmax_rows_solution": ("helpers.core.activations:softmax", "helpers.core.losses:log_softmax"),
    "helpers.exercises.nb09.standardize_solution": ("helpers.data:Standardizer.fit",
                                                    "helpers.data:Standardizer.transform"),
    "helpers.exercises.nb10.backward_solution": ("helpers.core.autograd:Value.backward",),
    "helpers.exercises.nb10_softplus.softplus_by_nudging": ("helpers.practice.gradcheck:numerical_derivative",),
}


class _TimeUp(BaseException):
    """Raised inside the learner's function when its time is up (BaseException: a bare `except
    Exception` in their code cannot swallow it)."""


@dataclass(frozen=True)
class Case:
    """One call to check: `make()` returns fresh arguments (a tuple), so no call sees another's objects.

    name: how a hint refers to it, e.g. 'the worked example' or 'a hidden random case'.
    show: the arguments written out for a hint, e.g. 'a = 2.0, b = -3.0, grad_out = 0.5'.
    """

    name: str
    make: Callable
    show: str = ""


@dataclass(frozen=True)
class Slip:
    """A known mistake, written as a function with the exercise's signature, and the hint that names it."""

    function: Callable
    hint: str


@dataclass
class Outcome:
    """What one call produced: `result` (from `observe`) or a `problem` sentence."""

    result: object = None
    problem: str = ""
    unanswered: bool = False
    stopped: bool = False  # the call was stopped: too slow, or out of memory


def _call_in_place(function, args, time_limit):
    """function(*args) in this process, stopped after `time_limit` seconds where a timer signal can reach it.
    Returns (value, None) or (None, exception)."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def time_up(signum, frame):
            raise _TimeUp()

        previous = signal.signal(signal.SIGALRM, time_up)
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            return function(*args), None
        except _TimeUp as exc:
            return None, exc
        except (Exception, SystemExit) as exc:  # the learner's error, reported as a hint
            return None, exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    box = {}

    def run():
        try:
            box["value"] = function(*args)
        except (Exception, SystemExit) as exc:
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        return None, _TimeUp()
    return box.get("value"), box.get("error")


class _Ended(Exception):
    """The child running the learner's function was stopped (a sandbox.Ending), as an exception."""

    def __init__(self, ending):
        super().__init__(ending.kind)
        self.ending = ending


def call_with_time_limit(function, args, time_limit=None):
    """function(*args), stopped after `time_limit` seconds (TIME_LIMIT if None). Returns (value, None) or
    (None, exception).

    Called from the kernel, the call runs in a child process (helpers.checking.sandbox) that is killed at the limit,
    whatever `except` the function holds; what it prints is dropped, and its result comes back as JSON.
    Inside a check's child, or where fork is unavailable, it runs here: in the main thread a timer signal
    interrupts even a `while True: pass`; elsewhere the call runs in a helper thread that is abandoned if
    it overruns.
    """
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    if sandbox.inside_child() or not sandbox.CAN_FORK:
        return _call_in_place(function, args, time_limit)
    if any(_is_stopped(f) for f in (function, *args[:1])):  # a second look after a check that stopped it
        return None, _TimeUp()

    def task(calls):
        with calls.watch():
            value, error = _call_in_place(function, args, time_limit)
        if error is not None:
            return {"error": type(error).__name__, "message": str(error), "timeout": isinstance(error, _TimeUp)}
        try:
            return {"value": sandbox.to_json(value)}
        except sandbox.NotPortable:
            return {"not_portable": True}

    result = sandbox.run(task, time_limit=time_limit)
    if result.ending is not None:
        return None, _TimeUp() if result.ending.kind == "time" else _Ended(result.ending)
    reply = result.value
    if "value" in reply:
        return sandbox.from_json(reply["value"]), None
    if reply.get("timeout"):
        return None, _TimeUp()
    if "error" in reply:
        return None, sandbox.rebuilt_error(reply["error"], reply["message"])
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return _call_in_place(function, args, time_limit)  # a result that cannot cross: one more call, here


def _first_line(text):
    text = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return text if len(text) <= 160 else text[:157] + "..."


# The file names IPython gives a notebook cell's code: <ipython-input-3-…> or /tmp/ipykernel_1234/567.py.
_CELL_FILE = re.compile(r"^<ipython-input-|[/\\]ipykernel_\d+[/\\]\d+\.py$")


def _clipped(line):
    return line if len(line) <= 100 else line[:97] + "..."


def _failing_line(exc, function):
    """The source line of `function` where `exc` was raised, or '' (a lambda, a built-in, no source)."""
    code = getattr(function, "__code__", None)
    tb, line = exc.__traceback__, ""
    while tb is not None:
        if code is not None and tb.tb_frame.f_code is code:
            line = linecache.getline(code.co_filename, tb.tb_lineno).strip()
        tb = tb.tb_next
    return _clipped(line)


def _cell_line(exc):
    """(line number, source line) of the innermost frame of `exc` in a notebook cell, or None."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if _CELL_FILE.search(filename):
            found = (tb.tb_lineno, _clipped(linecache.getline(filename, tb.tb_lineno).strip()))
        tb = tb.tb_next
    return found


def _where(case):
    return f"on {case.name}" + (f" ({case.show})" if case.show else "")


def _too_slow(time_limit, where, calls=1):
    if calls > 1:
        return (f"Your function took more than {time_limit:g} seconds in all over the {calls} cases it was given, and "
                f"was stopped {where}. Each case needs a few milliseconds: look for a loop over far more steps than "
                "needed, or one that never ends.")
    return (f"Your function did not finish within {time_limit:g} seconds {where}: a loop that never ends, or one "
            "over far more steps than needed? Look for a `while` whose condition never becomes False.")


def _ending_sentence(ending, time_limit, where):
    """The sentence for a child that was stopped: too slow, out of memory, or gone without a word."""
    where = where or "while it was being checked"
    if ending.kind == "time":
        return _too_slow(time_limit, where, ending.calls)
    if ending.kind == "memory":
        return (f"Your function ran out of memory {where}: it asked for more than the course allows "
                f"({_size(sandbox.MEMORY_MARGIN)} beyond what the notebook already holds). "
                "Look for a list or array that grows inside a loop that never stops, or one far larger than needed.")
    return (f"Your function ended the process that ran it {where}, so it gave back nothing. Remove any "
            "`exit()` or `os._exit()` from it.")


def _size(n_bytes):
    return f"{n_bytes / 2 ** 30:.3g} GB" if n_bytes >= 2 ** 30 else f"{n_bytes / 2 ** 20:.3g} MB"


def _refusal(name):
    return (f"Your function calls {name}, the course's own version of what you are writing. Write this one "
            f"yourself: the check compares your code with {name}.")


def describe_error(exc, case, time_limit=None, function=None):
    """A plain sentence for an error or a time-out during `case`."""
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    where = _where(case)
    if isinstance(exc, _TimeUp):
        return _too_slow(time_limit, where)
    if isinstance(exc, _Ended):
        return _ending_sentence(exc.ending, time_limit, where)
    if isinstance(exc, sandbox.Refused):
        return _refusal(exc.name)
    if isinstance(exc, MemoryError):
        return _ending_sentence(sandbox.Ending("memory", where), time_limit, where)
    if isinstance(exc, RecursionError):
        return f"Your function called itself without end {where}. Use a loop instead of calling it again."
    message = _first_line(exc)
    in_cell = _cell_line(exc)
    if in_cell:
        number, line = in_cell
        at = f" at line {number} of your cell" + (f" (`{line}`)" if line else "")
    else:
        line = _failing_line(exc, function)
        at = f" at the line `{line}`" if line else ""
    return (f"Your function stopped with {type(exc).__name__}{': ' + message if message else ''}{at} {where}. "
            "Read that message, fix your function, and run both cells again.")


# In a check's child: the sandbox's Calls, so that each call of the learner's function is timed by the parent.
_calls = None
# The learner's function whose last check was stopped (too slow, out of memory): a second look at it right
# after (an exercise's extra diagnosis) gives up at once instead of waiting for the time limit again.
_stopped = []


def _is_stopped(function):
    return any(function is f for f in _stopped)


def run_case(function, case, observe, time_limit=None):
    """Call `function` on `case` through `observe(function, args)`; an Outcome, never an exception."""
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    args = case.make()
    if _calls is not None:  # in a check's child: the time limit is a budget for all the cases together
        with _calls.watch(_where(case)):
            value, error = _call_in_place(observe, (function, args), _calls.remaining())
        if isinstance(error, _TimeUp):
            return Outcome(problem=_too_slow(time_limit, _where(case), _calls.count), stopped=True)
    else:
        value, error = call_with_time_limit(observe, (function, args), time_limit)
    if isinstance(error, NotImplementedError):
        return Outcome(unanswered=True)
    if error is not None:
        stopped = isinstance(error, (_TimeUp, _Ended, MemoryError))
        return Outcome(problem=describe_error(error, case, time_limit, function), stopped=stopped)
    return Outcome(result=value)


def observe_return(function, args):
    """The usual observation: what the function returns for these arguments."""
    return function(*args)


def read_numbers(value, count):
    """`value` as a tuple of `count` floats, or (None, a sentence saying what is wrong with it)."""
    def one(item):
        if isinstance(item, bool) or not isinstance(item, (numbers.Real, np.floating, np.integer)):
            if isinstance(item, np.ndarray) and item.ndim == 0:
                return one(item.item())
            return None
        return float(item)

    kind = "a number" if count == 1 else f"{count} numbers"
    if value is None:
        return None, (f"Your function returned None. Make its last line `return` followed by {kind}; "
                      "a function without `return` gives back None.")
    if type(value).__name__ == "Value":
        return None, ("Your function returned a Value. Return plain numbers: a Value's number is its "
                      "`.data`.")
    if count == 1:
        number = one(value)
        if number is None:
            return None, f"Expected a single number, but your function returned {shown(value)}."
        return (number,), None
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__"):
        return None, f"Expected {kind} as a tuple, but your function returned {shown(value)}."
    if len(value) != count:
        return None, (f"Expected {kind} as a tuple, but your function returned {len(value)}: "
                      f"{shown(value)}.")
    numbers_ = [one(item) for item in value]
    if any(n is None for n in numbers_):
        return None, f"Expected {kind}, but your function returned {shown(value)}."
    return tuple(numbers_), None


def shown(value):
    """A short one-line repr of any value, without memory addresses."""
    try:
        text = repr(value)
    except Exception:
        text = f"a {type(value).__name__}"
    if " at 0x" in text:  # a default repr holds a memory address, which changes every run
        text = f"a {type(value).__name__} object"
    return text if len(text) <= 80 else text[:77] + "..."


def _largest(*tuples):
    return max((abs(v) for t in tuples for v in t if math.isfinite(v)), default=0.0)


def same(a, b, tol=TOLERANCE):
    """True if the two tuples of numbers agree: every entry within `tol` times the largest entry of either
    (float32 rounds every entry by about 1e-7 of the largest numbers in the calculation), nan with nan."""
    if len(a) != len(b):
        return False
    allowed = tol * _largest(a, b) + _TINY
    return all((math.isnan(x) and math.isnan(y)) or (x == y) or abs(x - y) <= allowed for x, y in zip(a, b))


def _ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _first_non_finite(value, path=(), depth=0):
    """(path, number) of the first nan or inf inside a returned value (numbers, tuples, lists, dicts,
    arrays), or None. A path holds tuple positions, dict keys and array indices."""
    if depth > 6:
        return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and value.ndim > 0:
        bad = np.argwhere(~np.isfinite(value))
        if len(bad):
            index = tuple(int(i) for i in bad[0])
            return path + (index,), value[index]
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (tuple, list)):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items[:1000]:
        found = _first_non_finite(item, path + (key,), depth + 1)
        if found:
            return found
    return None


def _returned_names(function, count):
    """What the function's last `return a, b, c` writes for each of its `count` values, as (text, whether
    it is a plain name) pairs, or None."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    definitions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    if not definitions:
        return None
    returns = [node for node in ast.walk(definitions[0]) if isinstance(node, ast.Return)]
    if not returns or not isinstance(returns[-1].value, ast.Tuple) or len(returns[-1].value.elts) != count:
        return None
    names = [ast.unparse(element) for element in returns[-1].value.elts]
    return [(n if len(n) <= 40 else n[:37] + "...", isinstance(e, ast.Name))
            for n, e in zip(names, returns[-1].value.elts)]


def _where_in_result(function, value, path):
    """How a hint names the place `path` inside the returned `value`: 'dL_dw3 (the 3rd value it returns)'."""
    def index(key):
        if isinstance(key, tuple):
            return "[" + ", ".join(str(k) for k in key) + "]"
        return f"[{key!r}]"

    if not path:
        return "the number it returns"
    first, rest = path[0], "".join(index(k) for k in path[1:])
    if isinstance(value, (tuple, list)):
        names = _returned_names(function, len(value))
        nth = f"the {_ordinal(first + 1)} value it returns"
        if names and names[first][1]:
            return f"{names[first][0]} ({nth})" if not rest else f"{names[first][0]}{rest}"
        if names and not rest:
            return f"{nth} (`{names[first][0]}`)"
        return nth if not rest else f"entry {rest} of {nth}"
    return f"its result{index(first)}{rest}"


def non_finite_problem(function, case, observed, numbers_, observe):
    """The hint for results that hold nan or inf, or None when every number is finite."""
    if all(math.isfinite(v) for v in numbers_):
        return None
    if observe is observe_return:
        returned = observed
    else:  # `observe` made something else of the return value: call the function once more to see it
        returned, _ = call_with_time_limit(function, case.make())
    found = _first_non_finite(returned)
    if found:
        path, bad = found
        place = _where_in_result(function, returned, path)
    else:
        position = next(i for i, v in enumerate(numbers_) if not math.isfinite(v))
        place, bad = f"the {_ordinal(position + 1)} of the {len(numbers_)} numbers checked", numbers_[position]
    where = f"{case.name}" + (f" ({case.show})" if case.show else "")
    if math.isnan(bad):
        kind, cause = "nan, 'not a number'", "had no answer (0/0, inf − inf, the log of a negative number)"
    else:
        kind, cause = "infinite", "overflowed (an exponent too large) or divided by zero"
    return (f"On {where}, {place} is {kind}. The right answer is always a finite number, so something "
            f"in that calculation {cause}. Look at the line that computes it.")


def _first_complex(value, path=(), depth=0):
    """(path, number) of the first complex number inside a returned value (numbers, tuples, lists, dicts,
    arrays, even with a zero imaginary part: a complex dtype means the calculation went through complex
    numbers), or None."""
    if depth > 6:
        return None
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "c":
            if value.ndim == 0 or value.size == 0:
                return path, complex(value.ravel()[0]) if value.size else complex(0)
            bad = np.argwhere(value.imag != 0)
            index = tuple(int(i) for i in bad[0]) if len(bad) else (0,) * value.ndim
            return path + (index,), value[index]
        if value.dtype == object and value.size:
            for index in np.ndindex(*value.shape[:1]):
                found = _first_complex(value[index], path + (index,), depth + 1)
                if found:
                    return found
        return None
    if isinstance(value, (complex, np.complexfloating)):
        return path, value
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (tuple, list)):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items[:1000]:
        found = _first_complex(item, path + (key,), depth + 1)
        if found:
            return found
    return None


def complex_problem(function, case, observed, observe):
    """The hint for a result that holds complex numbers, or None. A complex number is never a right answer
    here, even with a zero imaginary part."""
    found = _first_complex(observed)
    if not found:
        return None
    path, bad = found
    if observe is observe_return:
        place = _where_in_result(function, observed, path)
    else:
        place = "a number your function gives"
    number = complex(bad)
    return (f"On {case.name}" + (f" ({case.show})" if case.show else "") + f", {place} is the complex number "
            f"{number.real:.6g}{number.imag:+.6g}j. Every answer here is a real number. In Python a negative number "
            "raised to a fractional power, such as (-0.5) ** 0.5, gives a complex number, and so do cmath and "
            "complex arrays: look for a power or a square root of something that can be negative.")


# Where the learner's cell defines a function: 'def name(' at the start of a line.
_DEFINITION = r"^[ \t]*(?:async[ \t]+)?def[ \t]+{name}[ \t]*\("


def stale_definition(function):
    """In IPython, a sentence when the newest cell that defines `function` (by name) did not compile,
    so that the function in memory is an older version of it; None otherwise (and outside IPython)."""
    name = getattr(function, "__name__", "")
    if not name.isidentifier():
        return None
    try:
        from IPython import get_ipython
        shell = get_ipython()
        history = list(shell.history_manager.input_hist_raw) if shell is not None else []
    except Exception:
        return None
    pattern = re.compile(_DEFINITION.format(name=re.escape(name)), re.MULTILINE)
    for source in reversed(history):
        if not pattern.search(source or ""):
            continue
        try:
            compile(shell.transform_cell(source), "<cell>", "exec")
        except SyntaxError as error:  # IndentationError and TabError too
            line = (error.text or "").strip()
            at = f" at line {error.lineno}" + (f", `{line}`" if line else "") if error.lineno else ""
            kind = type(error).__name__
            article = "an" if kind[0] in "AEIOU" else "a"
            return (f"The cell that defines `{name}` did not run: Python found {article} {kind} "
                    f"({error.msg}){at}, so it ran none of that cell. The `{name}` in memory is an older "
                    "version, and checking it would tell you nothing about your new code. Fix that line, "
                    "run that cell until it gives no error, then run this one again.")
        except Exception:  # a cell IPython cannot even transform: not ours to judge
            return None
        return None
    return None


def _near_miss(got, right, case):
    """The hint for results that agree to about five significant digits but not within TOLERANCE, or None."""
    scale = _largest(right)
    if scale == 0.0 or not same(got, right, NEAR_TOLERANCE):
        return None
    i = max(range(len(got)), key=lambda k: abs(got[k] - right[k]))
    digits = int(min(15, -math.log10(max(abs(got[i] - right[i]) / scale, 1e-15))))
    entry = f"the {_ordinal(i + 1)} number: " if len(got) > 1 else ""
    where = f"{case.name}" + (f" ({case.show})" if case.show else "")
    return (f"On {where} your function gives {entry}{got[i]:.9g}, where the right answer is {right[i]:.9g}. "
            f"They agree to {digits} significant digits, so your method is right; the last digits differ. "
            "The likely cause is a constant written with a few decimals (write it in full, or let Python "
            "compute it) or float32 arithmetic (use ordinary Python floats or float64).")


def _signature_problem(function, n_args, names):
    if not callable(function):
        return f"Expected your function itself (its name, without brackets), but got {shown(function)}."
    try:
        inspect.signature(function).bind(*range(n_args))
    except TypeError:
        return f"Your function must take {n_args} argument{'s' * (n_args != 1)}: ({names})."
    except ValueError:  # built-ins without a readable signature: let the call decide
        pass
    return None


def _reference_names(expected):
    """The course functions to refuse while the learner's function runs, for a check whose right function
    is `expected` (see REFERENCES)."""
    key = f"{getattr(expected, '__module__', '')}.{getattr(expected, '__name__', '')}"
    return REFERENCES.get(key, ())


def check_function(function, *, cases, expected, read, slips=(), observe=observe_return, arguments="",
                   what="your function", praise="", time_limit=None, refuse=None):
    """Check a learner's function on `cases`; return a Feedback from helpers.checking.checks.

    cases: Case objects, the worked example first. expected: the right function (same signature).
    read(result) -> (tuple of floats, None) or (None, problem): turns what `observe` gave into
    numbers, or a plain sentence when it is the wrong type or size. slips: Slip objects, tried in
    order. observe(function, args): runs the function and returns what to compare (default: its
    return value). arguments: the parameter names, for a hint about the signature. time_limit:
    seconds for all the calls of the learner's function together (TIME_LIMIT if None). refuse:
    'module:Name.attr' strings of course functions that refuse while the learner's function runs
    (None: those REFERENCES lists for `expected`).

    All the cases run in one child process (helpers.checking.sandbox); only the verdict comes back. What the
    function printed on the first case follows the verdict, once.
    """
    if function is None:
        return Feedback(UNANSWERED, f"Complete {what} in the cell above, then run both cells again.")
    stale = stale_definition(function)
    if stale:
        return Feedback(WRONG, stale)
    n_args = len(cases[0].make())
    problem = _signature_problem(function, n_args, arguments)
    if problem:
        return Feedback(WRONG, problem)
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    refuse = _reference_names(expected) if refuse is None else tuple(refuse)

    def task(calls):
        global _calls
        _calls = calls
        try:
            feedback = _check_cases(function, cases, expected, read, slips, observe, what, praise, time_limit, refuse)
        finally:
            _calls = None
        return [feedback.status, feedback.message, bool(_stopped)]

    del _stopped[:]
    result = sandbox.run(task, time_limit=time_limit)
    if result.ending is not None:
        status, message = WRONG, _ending_sentence(result.ending, time_limit, result.ending.where)
        _stopped.append(function)
    else:
        status, message, stopped = result.value
        if stopped:
            _stopped.append(function)
    printed = sandbox.trimmed(result.printed)
    if printed and status != UNANSWERED:
        message += f"\n\nWhat your function printed on {cases[0].name}:\n{printed}"
    return Feedback(status, message)


def _check_cases(function, cases, expected, read, slips, observe, what, praise, time_limit, refuse):
    """The body of check_function, run in the child: the right results first (the course's own functions
    still work), then the learner's function on every case with `refuse` refusing, then the diagnosis."""
    right = [read(observe(expected, case.make()))[0] for case in cases]
    got = []
    with sandbox.refusing(refuse):
        for case in cases:
            outcome = run_case(function, case, observe, time_limit)
            called = sandbox.refused_calls()
            if called:  # even when a bare `except` swallowed the refusal
                return Feedback(WRONG, _refusal(called[0]))
            if outcome.unanswered:
                return Feedback(UNANSWERED, f"Replace `raise NotImplementedError` in {what} with your code, "
                                            "then run both cells again.")
            if outcome.problem:
                if outcome.stopped:
                    _stopped.append(function)  # in the child: tells the kernel's side, with the verdict
                return Feedback(WRONG, outcome.problem)
            problem = complex_problem(function, case, outcome.result, observe)
            if problem:
                return Feedback(WRONG, problem)
            try:
                numbers_, problem = read(outcome.result)
            except Exception:  # an object that cannot even say how long it is
                numbers_, problem = None, f"Your function returned {shown(outcome.result)}, which is not numbers."
            if problem:
                return Feedback(WRONG, problem + (f" (on {case.name})" if case is not cases[0] else ""))
            problem = non_finite_problem(function, case, outcome.result, numbers_, observe)
            if problem:
                return Feedback(WRONG, problem)
            got.append(numbers_)
    wrong = [i for i, (g, r) in enumerate(zip(got, right)) if not same(g, r)]
    if not wrong:
        return Feedback(CORRECT, praise)
    for slip in slips:
        slipped = [read(observe(slip.function, case.make()))[0] for case in cases]
        if all(s is not None and same(g, s) for g, s in zip(got, slipped)):
            return Feedback(WRONG, slip.hint)
    case = cases[wrong[0]]
    near = _near_miss(got[wrong[0]], right[wrong[0]], case)
    if near:
        return Feedback(WRONG, near)
    shown_got = ", ".join(f"{x:.6g}" for x in got[wrong[0]])
    shown_right = ", ".join(f"{x:.6g}" for x in right[wrong[0]])
    return Feedback(WRONG, f"On {_where(case)[3:]} your function gives {shown_got}, but the right answer is "
                           f"{shown_right}. Compare each line with the rule in the text above.")
