"""Find every exercise check, and see what each one passes to check_number and check_array.

Exercise modules import the primitives by name (``from ..checks import check_number``), so putting
a recorder in the module's namespace for one call shows the expected answer, the tolerance and
the hint list the check uses, without running anything but the check itself.
"""

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass, field

import helpers.exercises
from helpers import checks

PRIMITIVES = ("check_number", "check_array")


def exercise_modules():
    """helpers.exercises.nb00, nb01, ...: every module of one notebook's checks, found on disk."""
    return [importlib.import_module(f"helpers.exercises.{m.name}")
            for m in pkgutil.iter_modules(helpers.exercises.__path__) if re.fullmatch(r"nb\d\d", m.name)]


def _defined_for(module, fn):
    """True when `fn` belongs to notebook `module`'s checks: defined in nbNN itself, or in a helper module of
    the same notebook (nbNN_fork, ...) that nbNN re-exports."""
    return fn.__module__ == module.__name__ or fn.__module__.startswith(module.__name__ + "_")


def exercises(module):
    """The module's public checks: functions defined there (or in an ``nbNN_*`` module it re-exports) that
    take one argument, `answer` (or, for a code exercise, the learner's `function`)."""
    return [fn for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and _defined_for(module, fn)
            and list(inspect.signature(fn).parameters) in (["answer"], ["function"])]


def all_exercises():
    """[(id such as 'nb04.dL_dw2', function)] for every check of every notebook."""
    return [(f"{m.__name__.rsplit('.', 1)[1]}.{fn.__name__}", fn) for m in exercise_modules() for fn in exercises(m)]


@dataclass
class Call:
    """One call of check_number or check_array: what the check expects, how close, and its hints."""

    primitive: str
    expected: object
    tol: float
    hints: list = field(default_factory=list)


def captured_calls(exercise, answers=(None, 0.123456789)):
    """The primitive calls `exercise` makes, for the first of `answers` that makes any."""
    module = inspect.getmodule(exercise)
    calls = []
    originals = {name: getattr(module, name) for name in PRIMITIVES if hasattr(module, name)}

    def recorder(name):
        real = getattr(checks, name)
        defaults = inspect.signature(real).parameters

        def record(answer, expected, **kwargs):
            calls.append(Call(name, expected, kwargs.get("tol", defaults["tol"].default),
                              list(kwargs.get("hints", ()))))
            return real(answer, expected, **kwargs)
        return record

    try:
        for name in originals:
            setattr(module, name, recorder(name))
        for answer in answers:
            exercise(answer)
            if calls:
                break
    finally:
        for name, original in originals.items():
            setattr(module, name, original)
    return calls
