"""Run a learner's code in a child process that the course can always stop.

A learner's function can loop for ever (even inside a bare `except:`, which swallows any exception
a time limit could raise), allocate without end, print a hundred lines, or call the very function
of the course it is meant to replace. `run(task, time_limit=...)` runs `task(calls)` in a child
made with fork, so closures and the notebook's globals come along, and the parent

- kills the child (SIGKILL, which nothing in the child can catch) when the learner's calls take
  longer than `time_limit` seconds;
- caps the child's memory (RLIMIT_AS, MEMORY_MARGIN above what the kernel already uses, where the
  system reports it), so a runaway allocation ends in MemoryError in the child, not a frozen machine;
- keeps what the learner's code prints during its FIRST call, and drops the rest;
- gets back only JSON (the task's result must be made of numbers, strings, lists and dicts): no
  pickle crosses between the processes.

Inside the task, wrap each call of the learner's code in `calls.watch(where)`: the time limit is one
budget for all such calls together (a check of seven cases with a 2 s limit gives the learner's
function 2 s in all, however the time is spread), and `where` is what a message says when a call
is stopped. `refusing(names)` makes the course's own implementations (by dotted name) raise Refused
when the learner's code calls them. The child never returns into the kernel (it ends with os._exit)
and never writes to the kernel's sockets: its sys.stdout and sys.stderr are replaced first thing.

Where fork is unavailable (Windows), the task runs in this process, the time limit cannot be
enforced, and a note says so once.
"""

import builtins
import contextlib
import importlib
import io
import json
import os
import select
import signal
import sys
import time
import traceback
import types
import warnings

import numpy as np

CAN_FORK = hasattr(os, "fork") and sys.platform not in ("win32", "emscripten", "wasi")

# How much more address space the child may take than the kernel had when it forked.
MEMORY_MARGIN = 2 * 1024 ** 3
# Seconds the child may spend outside the learner's calls (the course's own reference computations).
COURSE_LIMIT = 120.0
# How much of the first call's printed output is kept, in characters.
KEEP_PRINTED = 4000

_inside = False   # True in a child: a nested run happens in place
_warned = False   # the "no time limit here" note is said once
_refused = []     # in a child: the names of refused functions the learner's code called


class Refused(RuntimeError):
    """Raised by a course function the learner's code must not call during a check."""

    def __init__(self, name):
        self.name = name
        super().__init__(f"write this one yourself: the check compares your code with {name}")


class Ending:
    """How a run ended, when it did not end normally.

    kind: 'time' (stopped at the time limit), 'memory' (ended for lack of memory), or 'crash' (the child
    died another way). where: the `where` of the learner's call that was running, or ''. calls: how many
    watched calls had begun.
    """

    def __init__(self, kind, where, detail="", calls=1):
        self.kind, self.where, self.detail, self.calls = kind, where, detail, calls

    def __repr__(self):
        return f"Ending({self.kind!r}, {self.where!r})"


class Result:
    """value: what the task returned (None if it did not finish); ending: None or an Ending;
    printed: the text the learner's first call printed; elapsed: seconds the run took."""

    def __init__(self, value=None, ending=None, printed="", elapsed=0.0):
        self.value, self.ending, self.printed, self.elapsed = value, ending, printed, elapsed


def inside_child():
    """True while running inside a sandbox child (or the in-process fallback): nested runs go in place."""
    return _inside


def refused_calls():
    """The names of refused course functions the learner's code called so far in this child."""
    return list(_refused)


def _resolve(dotted):
    """('module', 'Class.attr') -> the function object behind it (a property's getter for a property)."""
    module_name, _, attribute = dotted.partition(":")
    owner = importlib.import_module(module_name)
    parts = attribute.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    value = owner.__dict__[parts[-1]] if isinstance(owner, type) else getattr(owner, parts[-1])
    if isinstance(value, property):
        value = value.fget
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    return value


def _shown_name(dotted):
    """How a message names a course function: 'Network.backward', 'helpers.train' for one the package exports,
    or 'helpers.two_two_two.fork_backward' (the short path helpers.MOVED keeps) for any other."""
    module_name, _, attribute = dotted.partition(":")
    if "." in attribute:
        return attribute
    package = importlib.import_module(module_name.split(".")[0])
    if hasattr(package, attribute):
        return f"{package.__name__}.{attribute}"
    # the short path that imports the same module: helpers.two_two_two, not helpers.core.two_two_two
    short = {new: old for old, new in getattr(package, "MOVED", {}).items()}.get(module_name, module_name)
    return f"{short}.{attribute}"


def _refusing_code(name, original):
    """A code object that hands the call to _refuse_or_run(name, ...), with `original`'s free variables."""
    free = original.__code__.co_freevars
    source = ("def outer():\n"
              + "".join(f"    {v} = None\n" for v in free)
              + "    def refused(*args, **kwargs):\n"
              + "".join(f"        {v}\n" for v in free)
              + "        import helpers.checking.sandbox as s\n"
              + f"        return s._refuse_or_run({name!r}, args, kwargs)\n"
              + "    return refused\n")
    namespace = {}
    exec(compile(source, "<refused>", "exec"), namespace)
    return namespace["outer"]().__code__


_originals = {}  # a refused function's shown name -> (the function, its own code)


def _refuse_or_run(name, args, kwargs):
    """Called by a refused function: the course's own code may still use it (a right solution the check's
    slips build on, `train` calling `net.backward`); the learner's code gets Refused."""
    caller = sys._getframe(2)
    if caller.f_globals.get("__name__", "").startswith("helpers."):
        function, code = _originals[name]
        original = types.FunctionType(code, function.__globals__, function.__name__, function.__defaults__,
                                      function.__closure__)
        original.__kwdefaults__ = function.__kwdefaults__
        return original(*args, **kwargs)
    _refused.append(name)
    raise Refused(name)


@contextlib.contextmanager
def refusing(names):
    """While inside, each function named in `names` ('helpers.practice.training:train', 'helpers.core.network:Network.backward')
    raises Refused when code outside `helpers` calls it. The function object itself is changed, so a name
    imported earlier refuses too."""
    originals = []
    del _refused[:]
    try:
        for dotted in names:
            function = _resolve(dotted)
            shown = _shown_name(dotted)
            originals.append((function, function.__code__))
            _originals[shown] = (function, function.__code__)
            function.__code__ = _refusing_code(shown, function)
        yield
    finally:
        for function, code in reversed(originals):
            function.__code__ = code
        _originals.clear()


class _Printed(io.TextIOBase):
    """sys.stdout and sys.stderr in the child: text written during the first watched call goes to the parent."""

    encoding = "utf-8"

    def __init__(self, calls):
        self.calls = calls

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        text = str(text)
        self.calls._printed(text)
        return len(text)


class Calls:
    """Handed to the task: `watch(where)` times one call of the learner's code."""

    def __init__(self, fd, time_limit):
        self._fd, self.time_limit = fd, time_limit
        self._count, self._watching, self._kept, self.used = 0, False, 0, 0.0
        self.printed = ""  # what the first watched call printed, where there is no parent to send it to

    @property
    def count(self):
        """How many watched calls have begun."""
        return self._count

    def remaining(self):
        """Seconds left of the time limit, a budget for all the watched calls together."""
        return max(self.time_limit - self.used, 0.001)

    def _send(self, **event):
        if self._fd is not None:
            data = (json.dumps(event) + "\n").encode()
            while data:
                data = data[os.write(self._fd, data):]

    def _printed(self, text):
        if self._watching and self._count == 1 and self._kept < KEEP_PRINTED:
            text = text[:KEEP_PRINTED - self._kept]
            self._kept += len(text)
            if self._fd is None:
                self.printed += text
            else:
                self._send(out=text)

    @contextlib.contextmanager
    def watch(self, where=""):
        self._count += 1
        self._watching = True
        self._send(begin=where)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.used += time.perf_counter() - started
            self._watching = False
            self._send(end=True)


def _address_space():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(margin):
    try:
        import resource
    except ImportError:
        return
    used = _address_space()
    if used is None:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = used + margin
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        pass


def _quiet_the_kernel():
    """In the child: nothing may reach the kernel's sockets (display, input)."""
    import builtins

    def no_input(*args, **kwargs):
        raise RuntimeError("input() cannot run inside a check: give your function its values as arguments")

    builtins.input = no_input
    shell = None
    try:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    except Exception:
        shell = None
    if shell is not None:
        with contextlib.suppress(Exception):
            shell.display_pub.publish = lambda *args, **kwargs: None
        with contextlib.suppress(Exception):
            shell.displayhook = lambda *args, **kwargs: None
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)


def _child(task, calls, memory_margin):
    global _inside
    code = 1
    try:
        _inside = True
        sys.stdout = sys.stderr = _Printed(calls)
        sys.stdin = io.StringIO("")
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills this child if interrupted
        _quiet_the_kernel()
        _limit_memory(memory_margin)
        value = task(calls)
        calls._send(done=value)
        code = 0
    except BaseException:  # a bug of the course's own code in the task: reported, never raised into the kernel
        with contextlib.suppress(BaseException):
            calls._send(crash=traceback.format_exc(limit=8))
    finally:
        os._exit(code)


def _in_process(task, time_limit, note):
    """The fallback without fork: the task runs here; the learner's calls get no hard limit."""
    global _inside, _warned
    if not _warned and note:
        print("Note: this computer cannot start a separate process for checks (no fork), so a function that "
              "never returns cannot be stopped here: if a check runs for long, interrupt the kernel.")
        _warned = True
    calls = Calls(None, time_limit)
    start = time.perf_counter()
    _inside = True
    try:
        with contextlib.redirect_stdout(_Printed(calls)), contextlib.redirect_stderr(_Printed(calls)):
            value = task(calls)
    finally:
        _inside = False
    return Result(value, None, calls.printed, time.perf_counter() - start)


def run(task, *, time_limit, memory_margin=MEMORY_MARGIN, course_limit=COURSE_LIMIT, note=True, per_call=False):
    """Run `task(calls)` in a forked child; return a Result.

    The `with calls.watch(where):` blocks in the task may last `time_limit` seconds together (each of them,
    with per_call=True); the rest of the task `course_limit` seconds. The task's return value must be JSON
    (numbers, strings, lists, dicts, None). A KeyboardInterrupt (the kernel's stop button) kills the child
    and is raised here. note: say once, where fork is unavailable, that nothing can stop an endless loop.
    """
    if _inside:  # already in a child (a check inside a check): run in place, the outer child is the limit
        calls = Calls(None, time_limit)
        return Result(task(calls), None, calls.printed)
    if not CAN_FORK:
        return _in_process(task, time_limit, note)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    read_end, write_end = os.pipe()
    calls = Calls(write_end, time_limit)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "fork() in a multi-threaded process": we exec nothing
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(task, calls, memory_margin)
    os.close(write_end)
    return _watch_child(pid, read_end, time_limit, course_limit, start, per_call)


def _watch_child(pid, read_end, time_limit, course_limit, start, per_call):
    pending, printed, where, value = b"", [], "", None
    finished, crash, ending = False, "", None
    course_deadline = time.monotonic() + course_limit
    call_deadline, call_started, used, begun = None, 0.0, 0.0, 0
    try:
        while True:
            deadline = call_deadline if call_deadline is not None else course_deadline
            wait = deadline - time.monotonic()
            if wait <= 0:
                os.kill(pid, signal.SIGKILL)
                ending = Ending("time", where if call_deadline is not None else "", calls=begun)
                break
            ready, _, _ = select.select([read_end], [], [], wait)
            if not ready:
                continue
            data = os.read(read_end, 65536)
            if not data:
                break
            pending += data
            *lines, pending = pending.split(b"\n")
            for line in lines:
                event = json.loads(line.decode())
                if "begin" in event:
                    where, call_started, begun = event["begin"], time.monotonic(), begun + 1
                    call_deadline = call_started + max(time_limit - used, 0.0)
                elif "end" in event:
                    used += 0.0 if per_call else time.monotonic() - call_started
                    call_deadline = None
                elif "out" in event:
                    printed.append(event["out"])
                elif "done" in event:
                    value, finished = event["done"], True
                elif "crash" in event:
                    crash = event["crash"]
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        status = _reap(pid)
    elapsed = time.perf_counter() - start
    if crash:
        raise RuntimeError("the course's check itself failed in its child process:\n" + crash)
    if ending is None and not finished:
        # Killed by a signal (the system's out-of-memory killer, or an allocation that failed in C): memory.
        # Exited without a word (os._exit in the learner's code): a crash.
        kind = "memory" if os.WIFSIGNALED(status) else "crash"
        ending = Ending(kind, where if call_deadline is not None else "", f"status {status}", calls=begun)
    return Result(value if finished else None, ending, "".join(printed), elapsed)


def _reap(pid):
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def trimmed(text, lines=6, width=100):
    """`text` cut to its first `lines` lines of at most `width` characters, with '…' where something was cut."""
    text = text.rstrip("\n")
    if not text.strip():
        return ""
    rows = text.split("\n")
    shown = [row if len(row) <= width else row[:width - 1] + "…" for row in rows[:lines]]
    if len(rows) > lines:
        shown.append("…")
    return "\n".join(shown)


# Values cross from the child to the kernel as JSON, never as pickle.

class NotPortable(Exception):
    """A value that cannot cross from the child to the kernel as JSON (to_json raises it)."""


def to_json(value, depth=0):
    """`value` (numbers, strings, None, tuples, lists, dicts, NumPy arrays and scalars) as JSON; no pickle."""
    if depth > 20:
        raise NotPortable()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, complex):
        return {"$complex": [value.real, value.imag]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc" or value.size > 1_000_000:
            raise NotPortable()
        return {"$array": value.dtype.str, "shape": list(value.shape),
                "data": [to_json(v, depth + 1) for v in value.ravel().tolist()]}
    if isinstance(value, np.generic):
        if value.dtype.kind not in "biufc":
            raise NotPortable()
        return {"$scalar": value.dtype.str, "value": to_json(value.item(), depth + 1)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"$namedtuple": type(value).__name__, "fields": list(value._fields),
                "values": [to_json(v, depth + 1) for v in value]}
    if isinstance(value, tuple):
        return {"$tuple": [to_json(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [to_json(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[to_json(k, depth + 1), to_json(v, depth + 1)] for k, v in value.items()]}
    raise NotPortable()


def from_json(data):
    """The inverse of to_json."""
    if isinstance(data, list):
        return [from_json(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "$complex" in data:
        return complex(*data["$complex"])
    if "$array" in data:
        return np.array([from_json(v) for v in data["data"]], dtype=np.dtype(data["$array"])).reshape(data["shape"])
    if "$scalar" in data:
        return np.dtype(data["$scalar"]).type(from_json(data["value"]))
    if "$namedtuple" in data:
        from collections import namedtuple
        return namedtuple(data["$namedtuple"], data["fields"])(*[from_json(v) for v in data["values"]])
    if "$tuple" in data:
        return tuple(from_json(v) for v in data["$tuple"])
    return {from_json(k): from_json(v) for k, v in data["$dict"]}


def rebuilt_error(name, message):
    """An error the child reported by kind and message, made again here: the same kind where Python knows it
    by name (ZeroDivisionError, ValueError), a RuntimeError naming it otherwise."""
    kind = getattr(builtins, name, None)
    if isinstance(kind, type) and issubclass(kind, Exception):
        try:
            return kind(message)
        except Exception:
            pass
    return RuntimeError(f"{name}: {message}")
