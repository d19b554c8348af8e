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

The sentences for a call that gave no result live in helpers.checking.hints; reading a result as
numbers, comparing them and naming a place inside a result, in helpers.checking.results.
"""

import contextlib
import inspect
import io
import math
import re
import signal
import threading
from dataclasses import dataclass
from typing import Callable

from . import sandbox
from .checks import CORRECT, UNANSWERED, WRONG, Feedback
from .hints import Ended, TimeUp, describe_error, ending_sentence, on_case, refusal, too_slow
from .results import (TOLERANCE, complex_sentence, first_complex, near_miss, non_finite_sentence,  # noqa: F401
                      read_numbers, same, shown)

# Seconds the learner's function may take in one check, all its cases together (one call, outside a
# check). The exercises' functions finish in microseconds, so this only ever stops a loop that never
# ends or one far longer than needed. Read at each call (the functions below take None to mean
# this), so the tests can shorten it without waiting 2 s per endless loop.
TIME_LIMIT = 2.0

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
            raise TimeUp()

        previous = signal.signal(signal.SIGALRM, time_up)
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            return function(*args), None
        except TimeUp as exc:
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
        return None, TimeUp()
    return box.get("value"), box.get("error")


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
        return None, TimeUp()

    def task(calls):
        with calls.watch():
            value, error = _call_in_place(function, args, time_limit)
        if error is not None:
            return {"error": type(error).__name__, "message": str(error), "timeout": isinstance(error, TimeUp)}
        try:
            return {"value": sandbox.to_json(value)}
        except sandbox.NotPortable:
            return {"not_portable": True}

    result = sandbox.run(task, time_limit=time_limit)
    if result.ending is not None:
        return None, TimeUp() if result.ending.kind == "time" else Ended(result.ending)
    reply = result.value
    if "value" in reply:
        return sandbox.from_json(reply["value"]), None
    if reply.get("timeout"):
        return None, TimeUp()
    if "error" in reply:
        return None, sandbox.rebuilt_error(reply["error"], reply["message"])
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return _call_in_place(function, args, time_limit)  # a result that cannot cross: one more call, here


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
        with _calls.watch(on_case(case)):
            value, error = _call_in_place(observe, (function, args), _calls.remaining())
        if isinstance(error, TimeUp):
            return Outcome(problem=too_slow(time_limit, on_case(case), _calls.count), stopped=True)
    else:
        value, error = call_with_time_limit(observe, (function, args), time_limit)
    if isinstance(error, NotImplementedError):
        return Outcome(unanswered=True)
    if error is not None:
        stopped = isinstance(error, (TimeUp, Ended, MemoryError))
        return Outcome(problem=describe_error(error, case, time_limit, function), stopped=stopped)
    return Outcome(result=value)


def observe_return(function, args):
    """The usual observation: what the function returns for these arguments."""
    return function(*args)


def non_finite_problem(function, case, observed, numbers_, observe):
    """The hint for results that hold nan or inf, or None when every number is finite."""
    if all(math.isfinite(v) for v in numbers_):
        return None
    if observe is observe_return:
        returned = observed
    else:  # `observe` made something else of the return value: call the function once more to see it
        returned, _ = call_with_time_limit(function, case.make())
    return non_finite_sentence(function, case, returned, numbers_)


def complex_problem(function, case, observed, observe):
    """The hint for a result that holds complex numbers, or None."""
    found = first_complex(observed)
    return complex_sentence(function, case, observed, found, observe is observe_return) if found else None


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
        status, message = WRONG, ending_sentence(result.ending, time_limit, result.ending.where)
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
                return Feedback(WRONG, refusal(called[0]))
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
    near = near_miss(got[wrong[0]], right[wrong[0]], case)
    if near:
        return Feedback(WRONG, near)
    shown_got = ", ".join(f"{x:.6g}" for x in got[wrong[0]])
    shown_right = ", ".join(f"{x:.6g}" for x in right[wrong[0]])
    return Feedback(WRONG, f"On {on_case(case)[3:]} your function gives {shown_got}, but the right answer is "
                           f"{shown_right}. Compare each line with the rule in the text above.")
