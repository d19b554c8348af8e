"""Notebook 07, the batch backward pass tensor by tensor: every gradient of the notebook's MLP, checked one by one.

The learner writes `backward_tensors(net, fp, Y)` for a Network([inputs, hidden, classes]) with a tanh
hidden layer, a softmax output and the mean cross-entropy, Y one-hot of shape (N, K), and returns a dict
of eight tensors, in the order the backward pass produces them (ORDER):

    dL_dp  (N, K)   ∂L/∂p, the probabilities' gradient: −Y / p / N
    dL_dz2 (N, K)   ∂L/∂z[2] = δ[2], through softmax's full Jacobian: (p − Y) / N
    dL_dW2 (K, h)   δ[2]ᵀ · a[1]
    dL_db2 (K,)     δ[2] summed over the batch
    dL_da1 (N, h)   δ[2] · W[2]
    dL_dz1 (N, h)   ∂L/∂a[1] ⊙ (1 − a[1]²) = δ[1]
    dL_dW1 (h, n)   δ[1]ᵀ · X
    dL_db1 (h,)     δ[1] summed over the batch

The check (helpers.codecheck: a child process, a time limit, a hint for any odd result) runs it on the
notebook's batch and on hidden random networks. Its report goes tensor by tensor, in that order: exact,
close (with the largest difference), or wrong, with the slip named where it is a known one; after the
first wrong tensor, one that is right given the learner's own upstream tensor says so ("right from your
dL_dz2, but dL_dz2 is wrong"), so the report points at where the result FIRST goes wrong.
"""

import re
import time

import numpy as np

from ..checking import codecheck, diagnose, sandbox
from ..checking.checks import CORRECT, WRONG, Feedback
from ..checking.codecheck import Case, check_function, shown
from ..data import Standardizer, load_cat_dog, train_test_split
from ..core.losses import one_hot
from ..core.network import Network
from .nb07_ninja_rules import ORDER, RULES, UPSTREAM  # noqa: F401  (the tensors, in order, and their rules)

EXAMPLE_SIZE = 25          # the notebook's batch: the first mini-batch of 25 standardised training animals
N_HIDDEN_NETWORKS = 5
_SEED = 707


def backward_tensors_solution(net, fp, Y):
    """The eight tensors of the batch backward pass (see the module's docstring), as a dict in ORDER.

    δ[2] is (p − Y)/N as Network.backward computes it (the Jacobian route gives the same to rounding)."""
    N = len(Y)
    X, a1, p = fp.a[0], fp.a[1], fp.a[2]
    dL_dp = -Y / p / N
    dL_dz2 = (p - Y) / N
    dL_dW2 = dL_dz2.T @ a1
    dL_db2 = dL_dz2.sum(axis=0)
    dL_da1 = dL_dz2 @ net.W[2]
    dL_dz1 = dL_da1 * (1 - a1 ** 2)
    dL_dW1 = dL_dz1.T @ X
    dL_db1 = dL_dz1.sum(axis=0)
    return {"dL_dp": dL_dp, "dL_dz2": dL_dz2, "dL_dW2": dL_dW2, "dL_db2": dL_db2,
            "dL_da1": dL_da1, "dL_dz1": dL_dz1, "dL_dW1": dL_dW1, "dL_db1": dL_db1}


# The local rules and the known slips, one module of their own (nb07_ninja_rules.py), kept importable from here.
from .nb07_ninja_rules import (  # noqa: F401
    _Context, DIAGONAL, _jacobian, LOCAL, _MEAN, NO_BATCH_SUM, _no_batch_sum, NO_SLOPE, NOT_DIVIDED, _per_sample,
    SLIPS, _softmax, TRANSPOSED, _transposed, TWICE, _twice_for, WRONG_AXIS, _wrong_axis,
)


# ---- The cases ----

def example_batch():
    """The notebook's network and batch: (net, X (25, 2), Y (25, 2) one-hot). Network([2, 8, 2]), tanh then
    softmax, cross-entropy, seed 0; the first 25 training animals, standardised with the training set's numbers."""
    X, y = load_cat_dog()
    X_train, _, y_train, _ = train_test_split(X, y, test_fraction=0.25, seed=0)
    X_train_s = Standardizer().fit(X_train).transform(X_train)
    net = Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    return net, X_train_s[:EXAMPLE_SIZE], one_hot(y_train[:EXAMPLE_SIZE], 2)


def _example_case():
    def make():
        net, X, Y = example_batch()
        return net, net.forward(X), Y
    return Case("the notebook's batch", make, "Network([2, 8, 2]), the first 25 training animals")


def _random_case(rng, i):
    while True:
        n_in, h, k, n = (int(rng.integers(2, 5)), int(rng.integers(2, 7)), int(rng.integers(2, 5)),
                         int(rng.integers(3, 8)))
        if h not in (n_in, k) and n not in (n_in, h, k):  # no square W, no batch as wide as a layer
            break
    seed = int(rng.integers(0, 1000))

    def make():
        net = Network([n_in, h, k], ["tanh", "softmax"], "cross_entropy", seed=seed, weight_scale=1.0)
        biases = np.random.default_rng(_SEED + 50 + i)
        for l in net.b:  # biases away from 0, so that a slip that ignores them shows
            net.b[l] = biases.normal(0.0, 0.5, size=net.b[l].shape)
        data = np.random.default_rng(_SEED + i)
        X = data.normal(size=(n, n_in))
        Y = one_hot(data.integers(0, k, size=n), k)
        return net, net.forward(X), Y
    return Case("a hidden random network", make, f"sizes [{n_in}, {h}, {k}], a batch of {n}")


def backward_tensors_cases():
    rng = np.random.default_rng(_SEED)
    return [_example_case()] + [_random_case(rng, i) for i in range(N_HIDDEN_NETWORKS)]


# ---- Reading what the function returned ----

def observe_tensors(function, args):
    """Run `function(net, fp, Y)`; return (what it returned, the right shape of each tensor)."""
    net, fp, Y = args
    N, K, h, n = len(Y), Y.shape[1], net.sizes[1], net.sizes[0]
    shapes = {"dL_dp": (N, K), "dL_dz2": (N, K), "dL_dW2": (K, h), "dL_db2": (K,), "dL_da1": (N, h),
              "dL_dz1": (N, h), "dL_dW1": (h, n), "dL_db1": (h,)}
    return function(*args), shapes


_TEMPLATE = '{"dL_dp": dL_dp, "dL_dz2": dL_dz2, ...}'


def _tensor(value):
    """A tensor as a float64 array, or (None, the words for what it is instead)."""
    if value is None:
        return None, "is None: not filled in yet"
    if isinstance(value, (str, bytes, dict, set)):
        return None, f"is {shown(value)}, not an array of numbers"
    try:
        with np.errstate(all="ignore"):
            array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"is {shown(value)}, not an array of numbers"
    return array, None


def read_tensors(observed):
    """The eight tensors as one tuple of floats, in ORDER, or (None, a sentence on what is wrong)."""
    value, shapes = observed
    if value is None:
        return None, f"Your function returned None. End it with `return {_TEMPLATE}`, as the template does."
    if not isinstance(value, dict):
        return None, (f"Expected a dict of the eight tensors, {_TEMPLATE}, but your function returned "
                      f"{shown(value)}.")
    missing = [name for name in ORDER if name not in value]
    if missing:
        return None, (f"Your dict has no {missing[0]!r}" + (f" (nor {len(missing) - 1} more)" if len(missing) > 1
                                                              else "") + f": it needs all eight, {', '.join(ORDER)}.")
    numbers_ = []
    for name in ORDER:
        array, problem = _tensor(value[name])
        if problem:
            return None, f"{name} {problem}."
        if array.shape != shapes[name]:
            return None, f"{name} has shape {array.shape}, but it needs shape {shapes[name]}."
        numbers_.extend(float(x) for x in array.ravel())
    return tuple(numbers_), None


# ---- The report, tensor by tensor ----

def _agree(got, right):
    return got is not None and right is not None and got.shape == right.shape and diagnose.agree(got, right)


def _try(rule, up, c):
    try:
        with np.errstate(all="ignore"):
            value = np.asarray(rule(up, c), dtype=np.float64)
    except Exception:
        return None
    return value if np.all(np.isfinite(value)) else None


def _matching_slip(name, got, up_right, up_got, c):
    """(label, hint) of the first known slip of `name` that gives `got`, from the right upstream or the
    learner's own, or None."""
    for rule, label, hint in SLIPS[name]:
        for up in (up_right, up_got):
            if (up is not None or UPSTREAM[name] is None) and _agree(got, _try(rule, up, c)):
                return label, hint
    return None


def _difference(got, right):
    return float(np.max(np.abs(got - right))) if got.size else 0.0


def _judge(name, got, problem, right, results, c):
    """(kind, short words, what to try if it is the first wrong tensor): kind is 'exact', 'close' or 'wrong'."""
    if problem:
        return "wrong", problem, f"{RULES[name]}."
    if got.shape == right.shape and diagnose.agree(got, right):
        gap = _difference(got, right)
        return ("exact", "exact", None) if gap == 0 else ("close", f"close, largest difference {gap:.2g}", None)
    bad = ~np.isfinite(got)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "nan" if np.isnan(got[where]) else "infinite"
        words = f"holds {kind} at {list(where)}"
        return "wrong", words, f"Something in its line divides by zero or takes the log of 0. {RULES[name]}."
    up_name = UPSTREAM[name]
    up_got = results.get(up_name)[0] if up_name else None
    up_right = c.right[up_name] if up_name else None
    if up_name and up_got is not None and not _agree(up_got, up_right) and _agree(got, _try(LOCAL[name], up_got, c)):
        words = f"right from your {up_name}, but {up_name} is wrong"
        return "wrong", words, ""
    slip = _matching_slip(name, got, up_right, up_got, c)
    if slip:
        label, hint = slip
        return "wrong", label, hint
    if got.shape != right.shape and got.size == right.size and diagnose.agree(got.reshape(right.shape), right):
        words = f"has the right numbers in shape {got.shape}, where {right.shape} is right"
        return "wrong", words, f"Drop keepdims=True, or reshape it. {RULES[name]}."
    finding = diagnose.find({name: got}, {name: right}, [name], batch_size=c.N)
    return "wrong", finding.text, f"{RULES[name]}."


def report(got, right, c, where):
    """The per-tensor report of one case: (all right, the lines). got: name -> (array or None, problem)."""
    c.right = right
    lines, first = [], None
    for name in ORDER:
        array, problem = got[name]
        kind, words, hint = _judge(name, array, problem, right[name], got, c)
        lines.append(f"{'✓' if kind != 'wrong' else '✗'} {name}: {words}")
        if kind == "wrong" and first is None:
            first = (name, hint)
    if first is None:
        return True, lines
    name, hint = first
    words = dict(zip(ORDER, lines))[name].split(": ", 1)[1]
    if words.split(" ", 1)[0] in ("is", "has", "holds", "agrees", "and"):
        words = "it " + words
    head = f"{where}{name} is the first tensor that goes wrong: {words}. {hint}".rstrip()
    return False, [head] + lines


def _got_tensors(value):
    return {name: _tensor(value.get(name)) if name in value else (None, "is missing from your dict")
            for name in ORDER}


def _explain(cases, want_right):
    """explain(function): the report of the first case that differs (want_right False), or of the notebook's
    batch when every case is right (want_right True); None when a case cannot be read as a dict."""
    def explain(function):
        runs = []
        for case in cases:
            args = case.make()
            value, _ = observe_tensors(function, args)
            if not isinstance(value, dict):
                return None
            net, fp, Y = case.make()
            right = backward_tensors_solution(net, fp, Y)
            ok, lines = report(_got_tensors(value), right, _Context(net, fp, Y),
                               "" if case is cases[0] else f"On {case.name} ({case.show}), ")
            if not ok and not want_right:
                return "\n".join(lines)
            runs.append((ok, lines))
        if want_right and all(ok for ok, _ in runs):
            return "On the notebook's batch, tensor by tensor:\n" + "\n".join(runs[0][1])
        return None
    return explain


PRAISE = ("Every tensor matches, on the notebook's batch and on hidden random networks: the whole backward pass "
          "of the batch, by hand, one local rule per line.")


def _table_for_the_right(feedback, function, cases, started):
    """A right answer's feedback with the per-tensor table added; WRONG with the report if a tensor differs
    beyond its own tolerance (the check's tolerance is relative to the largest number of all eight)."""
    limit = min(codecheck.TIME_LIMIT, codecheck.TIME_LIMIT + 0.8 - (time.monotonic() - started))
    if limit < 0.05:
        return feedback
    refuse = codecheck.REFERENCES.get(f"{__name__}.backward_tensors_solution", ())

    def both(function):
        with sandbox.refusing(refuse):
            table = _explain(cases, True)(function)
            wrong = None if table else _explain(cases, False)(function)
            return None if sandbox.refused_calls() else [table, wrong]

    told, error = codecheck.call_with_time_limit(both, (function,), limit)
    if error is not None or not isinstance(told, list):
        return feedback
    table, wrong = told
    if table:
        head, mark, printed = feedback.message.partition(diagnose._PRINTED)
        return Feedback(CORRECT, head + "\n" + table + mark + printed)
    if wrong:
        return Feedback(WRONG, wrong)
    return feedback


_AT = re.compile(r" at (?:line \d+ of your cell(?: \(`[^`]*`\))?|the line `[^`]*`)")
_ON = re.compile(r" on (?:the notebook's batch|a hidden random network) \((?:[^()]|\([^()]*\))*\)")
_MATMUL = re.compile(r"matmul: Input operand \d has a mismatch in its core dimension \d.*\(size (\d+) is different from "
                     r"(\d+)\)")


def _shape_words(message):
    """NumPy's broadcast and matmul shape errors told in words, or None."""
    words = diagnose.broadcast_words(message)
    if words:
        return words
    found = _MATMUL.search(message)
    if found:
        return (f"A matrix product A @ B needs A's last axis as long as B's first, but here they are "
                f"{found.group(2)} and {found.group(1)} long. Print the shapes on that line: a weight's gradient is "
                "δᵀ · (the layer's input), one row per neuron; passing δ back is δ · W, one row per sample.")
    return None


def _shape_hint(feedback):
    """The check's feedback, with a shape error of NumPy's told in words."""
    words = _shape_words(feedback.message) if feedback.status == WRONG else None
    if not words:
        return feedback
    at, on = _AT.search(feedback.message), _ON.search(feedback.message)
    return Feedback(WRONG, f"Your function stopped{at.group(0) if at else ''}{on.group(0) if on else ''}. {words}")


def backward_tensors(function):
    """Check `backward_tensors(net, fp, Y)`: the eight tensors of the batch backward pass of a tanh-softmax
    MLP with the mean cross-entropy, reported tensor by tensor."""
    started = time.monotonic()
    cases = backward_tensors_cases()
    feedback = check_function(
        function, cases=cases, expected=backward_tensors_solution, read=read_tensors, observe=observe_tensors,
        arguments="net, fp, Y", what="backward_tensors", praise=PRAISE)
    if feedback.status == CORRECT:
        return _table_for_the_right(feedback, function, cases, started)
    if _shape_words(feedback.message):
        return _shape_hint(feedback)
    feedback = diagnose.after_check(feedback, function, _explain(cases, False), started=started,
                                    expected=backward_tensors_solution)
    if feedback.status == WRONG and "your function gives" in feedback.message and "but the right answer is" in \
            feedback.message:  # the report could not be made in time: no wall of numbers
        return Feedback(WRONG, "Some tensors differ from the right ones. Check each line against its rule in the "
                               "text above, starting with dL_dp, then run both cells again.")
    return feedback
