"""Say where a learner's result first goes wrong, and how, the way the course teaches backprop.

A code check compares what the learner's function gives with the right result. When no known slip
matches, listing every number helps nobody; a tutor would say which tensor differs first, in the
order the backward pass computes them (the output layer first, W before b; for a graph, the first
node in backward order), and what kind of difference it is:

- a constant factor (×2, ×N, ÷N, ×−1, ×½, or another clean ratio),
- a transpose, a shape that differs, two results swapped, a right value in another name's place,
- only some entries wrong (how many, and the first),
- an agreement to five significant digits or more: the method is right, the precision is not.

    from helpers.checking.diagnose import compare
    compare({"dL_dW[2]": got_W2, "dL_db[2]": got_b2}, {"dL_dW[2]": W2, "dL_db[2]": b2})

`compare` returns a short message (a verdict, where, how, one thing to try; a few lines and at most
a dozen numbers), or None when everything matches. Pure NumPy: it runs anywhere, in a check's child
process too. `broadcast_words` turns NumPy's "could not be broadcast" error into a sentence.

`after_check` puts such a message in place of a code check's fallback (helpers.checking.codecheck lists the
numbers when no slip matches): the per-notebook checks in helpers/exercises call it with a function
that reruns the learner's code on every case and says where the first case that differs goes wrong.
"""

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..formatting import significant

# Results agree when every entry is within TOLERANCE times the largest entry of either (about six
# significant digits, as in helpers.checking.codecheck); within NEAR they agree to five digits, and the
# difference is precision (float32, a constant written with few decimals), not the method.
TOLERANCE = 1e-6
NEAR = 1e-5
# Below this a difference is rounding whatever the scale (a right value of exactly 0).
_TINY = 1e-12
# A ratio is "clean" when it is a fraction with a denominator up to this.
_DENOMINATOR = 12


@dataclass
class Finding:
    """What `find` learned about the first name whose result differs.

    name: that name. kind: 'missing', 'shape', 'transpose', 'swap', 'slot', 'factor', 'some', 'every' or
    'precision'. factor: the ratio result / right for a 'factor'. other: the other name of a 'swap' or
    'slot'. text: how it differs, as words that follow the name ("is exactly twice the right value").
    same_everywhere: every name differs, all by the same factor. right: the names that match.
    also_off: the other names that differ, in order. batch_size: N, as given to `find`. same_factor: the
    names in also_off that differ by the same factor. order: every name, in order.
    """

    name: str
    kind: str
    text: str
    factor: float = None
    other: str = None
    same_everywhere: bool = False
    right: list = field(default_factory=list)
    also_off: list = field(default_factory=list)
    batch_size: int = None
    order: list = field(default_factory=list)
    same_factor: list = field(default_factory=list)


def _array(value):
    """`value` as a float64 array, or None when it is not real numbers."""
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype.kind not in "iuf" or array.dtype.kind == "b":
        return None
    return array.astype(np.float64)


def _scale(*arrays):
    return max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)


def agree(got, right, tol=TOLERANCE):
    """True when the arrays have one shape and every entry is within `tol` times the largest entry."""
    if got.shape != right.shape:
        return False
    return bool(np.all(np.abs(got - right) <= tol * _scale(got, right) + _TINY))


def _ratio(got, right):
    """The single number r with got ≈ r × right (to TOLERANCE), or None."""
    if not right.size or _scale(right) <= _TINY:
        return None
    i = np.unravel_index(np.argmax(np.abs(right)), right.shape)
    r = float(got[i] / right[i])
    return r if math.isfinite(r) and agree(got, r * right) else None


def _number(x):
    return significant(x, 5)


def factor_words(r, batch_size=None):
    """How a hint says 'r times the right value' ('exactly twice the right value (every entry)', '1/N of
    the right value (N = 5, the batch size)'), or None when r is not a clean ratio.

    A batch of 2 makes N and 2 the same number: there the factor is called twice or half.
    """
    def near(a, b):
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-300)

    if abs(r) <= _TINY:
        return "exactly 0 (every entry)"
    if near(r, -1):
        return "the right size with the wrong sign (every entry)"
    size, n, core = abs(r), batch_size, None
    if n and n > 2:
        for value, words in ((n, f"N = {n} times the right value (N, the batch size)"),
                             (1 / n, f"1/N of the right value (N = {n}, the batch size)"),
                             (n * n, f"N² = {n * n} times the right value (N = {n}, the batch size)"),
                             (1 / (n * n), f"1/N² of the right value (N = {n}, the batch size)")):
            if near(size, value):
                core = words
    clean = Fraction(size).limit_denominator(_DENOMINATOR)
    if core is None and near(size, 2):
        core = "exactly twice the right value"
    elif core is None and near(size, 0.5):
        core = "exactly half the right value"
    elif core is None and near(size, float(clean)):
        core = (f"exactly {clean.numerator} times the right value" if clean.denominator == 1
                else f"exactly {clean} of the right value")
    if core is None:
        return None
    return core + (", with the wrong sign" if r < 0 else "") + ("" if core.endswith(")") else " (every entry)")


def _index(i):
    return "[" + ", ".join(str(int(k)) for k in i) + "]"


def _how(name, got, right, results, expected, order, batch_size):
    """(kind, words, factor, other) for the first name that differs."""
    if got is None:
        return "missing", "is missing or not an array of numbers", None, None
    if got.shape != right.shape:
        if got.shape == right.T.shape and agree(got, right.T):
            words = f"is the transpose of the right one: shape {got.shape} where {right.shape} is right"
            return "transpose", words, None, None
        return "shape", f"has shape {got.shape}, but it needs shape {right.shape}", None, None
    for other in order:
        if other == name:
            continue
        theirs, mine = expected[other], results.get(other)
        if got.size > 1 and theirs.shape == got.shape and agree(got, theirs) and not agree(right, theirs):
            if mine is not None and mine.shape == right.shape and agree(mine, right):
                return "swap", f"and {other} are swapped: each holds the other's value", None, other
            return "slot", f"holds the value that belongs to {other}", None, other
    if right.ndim == 2 and right.shape[0] == right.shape[1] and right.shape[0] > 1 and agree(got, right.T):
        return "transpose", "is the transpose of the right one (it is square, so the shape fits)", None, None
    if agree(got, right, NEAR):
        digits = int(min(15, -math.log10(max(float(np.max(np.abs(got - right))) / _scale(right), 1e-15))))
        return ("precision", f"agrees with the right value to {digits} significant digits, not to 6", None, None)
    r = _ratio(got, right)
    if r is not None and abs(r - 1) < 1e-3:
        return "every", f"is {r:.7g} times the right value (every entry): close, but more than rounding", None, None
    if r is not None:
        words = factor_words(r, batch_size)
        if words and got.size == 1:
            words = words.replace(" (every entry)", "")
        if words:
            return "factor", "is " + words, r, None
        if got.size > 1:
            return "factor", f"is {_number(r)} times the right value (every entry)", r, None
    if got.ndim == 0 or got.size == 1:
        words = f"is {_number(float(got.ravel()[0]))} where {_number(float(right.ravel()[0]))} is right"
        return "every", words, None, None
    off = np.abs(got - right) > TOLERANCE * _scale(got, right) + _TINY
    first = tuple(np.argwhere(off)[0])
    says = f"at {_index(first)} it gives {_number(float(got[first]))} where {_number(float(right[first]))} is right"
    if int(off.sum()) < got.size:
        return "some", f"is off in {int(off.sum())} of its {got.size} entries; {says}", None, None
    return "every", f"is off in every entry, with no single factor: {says}", None, None


def find(results, expected, order=None, *, batch_size=None):
    """A Finding for the first name in `order` whose result differs from the right one, or None.

    results, expected: name -> array (or number). order: the names in the order to look (default:
    expected's). batch_size: N, so that a factor of N or 1/N is named as such.
    """
    order = list(expected) if order is None else list(order)
    expected = {k: _array(expected[k]) for k in order}
    results = {k: (_array(results[k]) if k in results else None) for k in order}
    wrong = [k for k in order if results[k] is None or not agree(results[k], expected[k])]
    if not wrong:
        return None
    name = wrong[0]
    kind, text, factor, other = _how(name, results[name], expected[name], results, expected, order, batch_size)
    same_factor = [] if factor is None else [
        k for k in wrong[1:] if results[k] is not None and results[k].shape == expected[k].shape
        and agree(results[k], factor * expected[k])]
    same_everywhere = len(wrong) == len(order) > 1 and len(same_factor) == len(wrong) - 1
    return Finding(name, kind, text, factor, other, same_everywhere,
                   right=[k for k in order if k not in wrong], also_off=[k for k in wrong[1:] if k != other],
                   batch_size=batch_size, order=order, same_factor=same_factor)


def _listed(names, most=4):
    names = list(names)
    if len(names) > most:
        names = names[:most - 1] + [f"{len(names) - most + 1} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def message(finding, *, where="", cause=None, everything="every gradient"):
    """The message for a Finding: verdict, where, how, then one thing to try (`cause`, a sentence)."""
    f = finding
    if f.kind == "precision":
        lead = (f"Almost. {where}{f.name} {f.text}: the method is right; the difference is precision (float32 or a "
                "rounded constant).")
        cause = cause or "Use float64 and constants written in full (or computed by Python)."
    elif f.same_everywhere:
        lead = f"Not yet. {where}{everything[0].upper() + everything[1:]} {f.text}, starting with {f.name}."
    else:
        lead = f"Not yet. {where}{f.name} {f.text}."
    parts = [lead]
    if cause:
        parts.append(cause)
    if not f.same_everywhere and f.kind != "precision":
        rest = []
        if len(f.right) > 4:
            rest.append(f"The {len(f.right)} before it are right" if f.right == f.order[:len(f.right)]
                        else f"{len(f.right)} others are right")
        elif f.right:
            rest.append(f"{_listed(f.right)} {'is' if len(f.right) == 1 else 'are'} right")
        if len(f.also_off) > 4:
            rest.append(f"{len(f.also_off)} others differ too")
        elif f.also_off:
            rest.append(f"{_listed(f.also_off)} {'differs' if len(f.also_off) == 1 else 'differ'} too")
        if rest:
            parts.append("; ".join(rest) + ".")
    return " ".join(parts)


def compare(results, expected, order=None, names=None, *, batch_size=None, cause=None, where="",
            everything="every gradient"):
    """A short message saying where `results` first differ from `expected` and how, or None if they match.

    results, expected: name -> array (or number), the learner's and the right ones. order: the names in
    the course's order (the output layer first, W before b; default: expected's order). names: name ->
    how the message writes it (default: the name itself). batch_size: N, to name a factor of N.
    cause(finding) -> a sentence saying what to try, or None. where: words put before the first name,
    such as 'On a hidden random network, '. everything: how the message calls all the results together.
    """
    names = names or {}
    order = list(expected) if order is None else list(order)
    shown = {k: str(names.get(k, k)) for k in order}
    finding = find({shown[k]: v for k, v in results.items() if k in shown},
                   {shown[k]: expected[k] for k in order}, [shown[k] for k in order], batch_size=batch_size)
    if finding is None:
        return None
    return message(finding, where=where, cause=cause(finding) if cause else None, everything=everything)


_SHAPES = re.compile(r"could not be broadcast together with (?:remapped )?shapes ((?:\([^)]*\)\s*)+)")


def _shapes(text):
    return [tuple(int(n) for n in re.findall(r"\d+", s)) for s in re.findall(r"\(([^)]*)\)", text)]


def broadcast_words(error_text):
    """A sentence for NumPy's 'operands could not be broadcast together with shapes (4,3) (4,)', or None."""
    found = _SHAPES.search(str(error_text))
    if not found:
        return None
    shapes = _shapes(found.group(1))
    if len(shapes) < 2:
        return None
    a, b = shapes[0], shapes[1]
    words = (f"NumPy could not line up an array of shape {a} with one of shape {b}: it matches shapes from "
             "the right, axis by axis.")
    big, small = (a, b) if len(a) > len(b) else (b, a)
    if len(small) == len(big) - 1 and small == big[:-1]:
        return (words + f" The one of shape {small} looks like a sum over the last axis that lost it. Keep it with "
                f"keepdims=True, shape {small + (1,)}, so that each row meets its own sum.")
    return words + " Print the shapes of the arrays on that line and make them agree."


# What helpers.checking.codecheck puts between its verdict and what the learner's function printed.
_PRINTED = "\n\nWhat your function printed on "
# Seconds a diagnosis may add to a check beyond the check's own time limit, at most.
_SPARE = 0.8


def after_check(feedback, function, explain, slips=(), started=None, expected=None):
    """The check's `feedback`, its message replaced by `explain(function)` when that finds where it differs.

    For a code check (helpers.checking.codecheck.check_function) whose verdict is WRONG with no named slip: the
    learner's function runs again, on all the cases, in a child process (printing nothing), through
    `explain(function) -> message or None`, which raises (or returns None) when a case fails in another
    way; then the check's own message stays. slips: the Slip objects whose hints are kept as they are.
    started: time.monotonic() when the check began, so that the whole check stays within its time
    limit and a second. expected: the check's right function: the course functions that
    helpers.checking.codecheck.REFERENCES lists for it refuse again, so a learner's call of one keeps its hint.
    """
    import time

    from . import codecheck, sandbox
    from .checks import WRONG, Feedback

    if feedback.status != WRONG or not callable(function):
        return feedback
    head, mark, printed = feedback.message.partition(_PRINTED)
    if any(head == slip.hint for slip in slips) or codecheck.stale_definition(function):
        return feedback
    limit = codecheck.TIME_LIMIT
    if started is not None:
        limit = min(limit, codecheck.TIME_LIMIT + _SPARE - (time.monotonic() - started))
    if limit < 0.05:
        return feedback
    key = f"{getattr(expected, '__module__', '')}.{getattr(expected, '__name__', '')}"
    refuse = codecheck.REFERENCES.get(key, ())

    def refusing_explain(function):
        with sandbox.refusing(refuse):
            told = explain(function)
            return None if sandbox.refused_calls() else told

    told, error = codecheck.call_with_time_limit(refusing_explain, (function,), limit)
    if error is not None or not isinstance(told, str) or not told:
        return feedback
    return Feedback(WRONG, told + mark + printed)
