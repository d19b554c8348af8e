"""Run a learner's function safely and say whether it is right, or which slip it most likely holds.

A code exercise gives the learner a function to complete. Its template raises NotImplementedError,
so that Run All works before anyone has answered. `check_function` then

1. calls the function on the worked example and on hidden random cases, each call with a time limit;
2. turns anything odd into a plain hint, never a traceback: an error raised inside the function,
   a call that never returns, a result of the wrong type or length, None;
3. compares each result with the right one; if they differ, runs each known slip (a function with
   the same mistake) on the same cases and names the first one whose results match the learner's.

    from helpers.codecheck import Case, Slip, check_function
"""

import inspect
import linecache
import math
import numbers
import signal
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .checks import CORRECT, UNANSWERED, WRONG, Feedback

# Seconds one call of the learner's function may take. The exercises' functions finish in
# microseconds, so this only ever stops a loop that never ends. Read at each call (the functions
# below take None to mean this), so the tests can shorten it without waiting 2 s per endless loop.
TIME_LIMIT = 2.0
# Results within this relative (or absolute) distance of the right ones are right.
TOLERANCE = 1e-9


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


def call_with_time_limit(function, args, time_limit=None):
    """function(*args), stopped after `time_limit` seconds (TIME_LIMIT if None). Returns (value, None) or
    (None, exception).

    In the main thread (where a notebook runs its cells) a timer signal interrupts even a
    `while True: pass`. Elsewhere the call runs in a helper thread that is abandoned if it overruns.
    """
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def time_up(signum, frame):
            raise _TimeUp()

        previous = signal.signal(signal.SIGALRM, time_up)
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            return function(*args), None
        except _TimeUp as exc:
            return None, exc
        except Exception as exc:  # the learner's error, reported as a hint
            return None, exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    box = {}

    def run():
        try:
            box["value"] = function(*args)
        except Exception as exc:
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        return None, _TimeUp()
    return box.get("value"), box.get("error")


def _first_line(text):
    text = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return text if len(text) <= 160 else text[:157] + "..."


def _failing_line(exc, function):
    """The source line of `function` where `exc` was raised, or '' (a lambda, a built-in, no source)."""
    code = getattr(function, "__code__", None)
    tb, line = exc.__traceback__, ""
    while tb is not None:
        if code is not None and tb.tb_frame.f_code is code:
            line = linecache.getline(code.co_filename, tb.tb_lineno).strip()
        tb = tb.tb_next
    return line if len(line) <= 100 else line[:97] + "..."


def describe_error(exc, case, time_limit=None, function=None):
    """A plain sentence for an error or a time-out during `case`."""
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    where = f"on {case.name}" + (f" ({case.show})" if case.show else "")
    if isinstance(exc, _TimeUp):
        return (f"Your function did not finish within {time_limit:g} seconds {where}. Look for a loop "
                "that never ends, such as a `while` whose condition never becomes False.")
    if isinstance(exc, RecursionError):
        return f"Your function called itself without end {where}. Use a loop instead of calling it again."
    message = _first_line(exc)
    line = _failing_line(exc, function)
    at = f" at the line `{line}`" if line else ""
    return (f"Your function stopped with {type(exc).__name__}{': ' + message if message else ''}{at} {where}. "
            "Read that message, fix your function, and run both cells again.")


def run_case(function, case, observe, time_limit=None):
    """Call `function` on `case` through `observe(function, args)`; an Outcome, never an exception."""
    args = case.make()
    value, error = call_with_time_limit(observe, (function, args), time_limit)
    if isinstance(error, NotImplementedError):
        return Outcome(unanswered=True)
    if error is not None:
        return Outcome(problem=describe_error(error, case, time_limit, function))
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


def same(a, b, tol=TOLERANCE):
    """True if the two tuples of numbers agree entry by entry within `tol` (relative or absolute)."""
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or abs(x - y) <= tol * max(1.0, abs(x), abs(y)) for x, y in zip(a, b))


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


def check_function(function, *, cases, expected, read, slips=(), observe=observe_return, arguments="",
                   what="your function", praise="", time_limit=None):
    """Check a learner's function on `cases`; return a Feedback from helpers.checks.

    cases: Case objects, the worked example first. expected: the right function (same signature).
    read(result) -> (tuple of floats, None) or (None, problem): turns what `observe` gave into
    numbers, or a plain sentence when it is the wrong type or size. slips: Slip objects, tried in
    order. observe(function, args): runs the function and returns what to compare (default: its
    return value). arguments: the parameter names, for a hint about the signature.
    """
    if function is None:
        return Feedback(UNANSWERED, f"Complete {what} in the cell above, then run both cells again.")
    n_args = len(cases[0].make())
    problem = _signature_problem(function, n_args, arguments)
    if problem:
        return Feedback(WRONG, problem)
    got, right = [], []
    for case in cases:
        outcome = run_case(function, case, observe, time_limit)
        if outcome.unanswered:
            return Feedback(UNANSWERED, f"Replace `raise NotImplementedError` in {what} with your code, "
                                        "then run both cells again.")
        if outcome.problem:
            return Feedback(WRONG, outcome.problem)
        try:
            numbers_, problem = read(outcome.result)
        except Exception:  # an object that cannot even say how long it is
            numbers_, problem = None, f"Your function returned {shown(outcome.result)}, which is not numbers."
        if problem:
            return Feedback(WRONG, problem + (f" (on {case.name})" if case is not cases[0] else ""))
        got.append(numbers_)
        right.append(read(observe(expected, case.make()))[0])
    wrong = [i for i, (g, r) in enumerate(zip(got, right)) if not same(g, r)]
    if not wrong:
        return Feedback(CORRECT, praise)
    for slip in slips:
        slipped = [read(observe(slip.function, case.make()))[0] for case in cases]
        if all(s is not None and same(g, s) for g, s in zip(got, slipped)):
            return Feedback(WRONG, slip.hint)
    case = cases[wrong[0]]
    shown_got = ", ".join(f"{x:.6g}" for x in got[wrong[0]])
    shown_right = ", ".join(f"{x:.6g}" for x in right[wrong[0]])
    where = f"{case.name}" + (f" ({case.show})" if case.show else "")
    return Feedback(WRONG, f"On {where} your function gives {shown_got}, but the right answer is "
                           f"{shown_right}. Compare each line with the rule in the text above.")
