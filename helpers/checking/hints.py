"""The sentences a check says when a learner's function did not give a result (helpers.checking.codecheck).

An error raised inside the function is named with its message and the line of the learner's cell it
came from; a call that ran out of time or memory, or ended the process that ran it, gets a sentence
saying what to look for; a call of the course's own version of the function is refused by name.
"""

import linecache
import re

from . import sandbox


class TimeUp(BaseException):
    """Raised inside the learner's function when its time is up (BaseException: a bare `except
    Exception` in their code cannot swallow it)."""


class Ended(Exception):
    """The child running the learner's function was stopped (a sandbox.Ending), as an exception."""

    def __init__(self, ending):
        super().__init__(ending.kind)
        self.ending = ending


def first_line(text):
    """The first line of `text` (an error message), cut to 160 characters."""
    text = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return text if len(text) <= 160 else text[:157] + "..."


# The file names IPython gives a notebook cell's code: <ipython-input-3-…> or /tmp/ipykernel_1234/567.py.
_CELL_FILE = re.compile(r"^<ipython-input-|[/\\]ipykernel_\d+[/\\]\d+\.py$")


def _clipped(line):
    return line if len(line) <= 100 else line[:97] + "..."


def failing_line(exc, function):
    """The source line of `function` where `exc` was raised, or '' (a lambda, a built-in, no source)."""
    code = getattr(function, "__code__", None)
    tb, line = exc.__traceback__, ""
    while tb is not None:
        if code is not None and tb.tb_frame.f_code is code:
            line = linecache.getline(code.co_filename, tb.tb_lineno).strip()
        tb = tb.tb_next
    return _clipped(line)


def cell_line(exc):
    """(line number, source line) of the innermost frame of `exc` in a notebook cell, or None."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if _CELL_FILE.search(filename):
            found = (tb.tb_lineno, _clipped(linecache.getline(filename, tb.tb_lineno).strip()))
        tb = tb.tb_next
    return found


def on_case(case):
    """'on the worked example (a = 2.0, b = -3.0)': where a sentence says it happened."""
    return f"on {case.name}" + (f" ({case.show})" if case.show else "")


def too_slow(time_limit, where, calls=1):
    """The sentence for a function stopped after `time_limit` seconds (over `calls` cases together)."""
    if calls > 1:
        return (f"Your function took more than {time_limit:g} seconds in all over the {calls} cases it was given, and "
                f"was stopped {where}. Each case needs a few milliseconds: look for a loop over far more steps than "
                "needed, or one that never ends.")
    return (f"Your function did not finish within {time_limit:g} seconds {where}: a loop that never ends, or one "
            "over far more steps than needed? Look for a `while` whose condition never becomes False.")


def ending_sentence(ending, time_limit, where):
    """The sentence for a child that was stopped: too slow, out of memory, or gone without a word."""
    where = where or "while it was being checked"
    if ending.kind == "time":
        return too_slow(time_limit, where, ending.calls)
    if ending.kind == "memory":
        return (f"Your function ran out of memory {where}: it asked for more than the course allows "
                f"({memory_size(sandbox.MEMORY_MARGIN)} beyond what the notebook already holds). "
                "Look for a list or array that grows inside a loop that never stops, or one far larger than needed.")
    return (f"Your function ended the process that ran it {where}, so it gave back nothing. Remove any "
            "`exit()` or `os._exit()` from it.")


def memory_size(n_bytes):
    """'1.5 GB' or '512 MB'."""
    return f"{n_bytes / 2 ** 30:.3g} GB" if n_bytes >= 2 ** 30 else f"{n_bytes / 2 ** 20:.3g} MB"


def refusal(name):
    """The sentence for a learner's function that called the course's own version `name`."""
    return (f"Your function calls {name}, the course's own version of what you are writing. Write this one "
            f"yourself: the check compares your code with {name}.")


def describe_error(exc, case, time_limit, function=None):
    """A plain sentence for an error or a time-out during `case`, which had `time_limit` seconds."""
    where = on_case(case)
    if isinstance(exc, TimeUp):
        return too_slow(time_limit, where)
    if isinstance(exc, Ended):
        return ending_sentence(exc.ending, time_limit, where)
    if isinstance(exc, sandbox.Refused):
        return refusal(exc.name)
    if isinstance(exc, MemoryError):
        return ending_sentence(sandbox.Ending("memory", where), time_limit, where)
    if isinstance(exc, RecursionError):
        return f"Your function called itself without end {where}. Use a loop instead of calling it again."
    message = first_line(exc)
    in_cell = cell_line(exc)
    if in_cell:
        number, line = in_cell
        at = f" at line {number} of your cell" + (f" (`{line}`)" if line else "")
    else:
        line = failing_line(exc, function)
        at = f" at the line `{line}`" if line else ""
    return (f"Your function stopped with {type(exc).__name__}{': ' + message if message else ''}{at} {where}. "
            "Read that message, fix your function, and run both cells again.")
