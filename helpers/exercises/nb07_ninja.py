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

from .. import codecheck, diagnose, sandbox
from ..checks import CORRECT, WRONG, Feedback
from ..codecheck import Case, check_function, shown
from ..data import Standardizer, load_cat_dog, train_test_split
from ..losses import one_hot
from ..network import Network

ORDER = ("dL_dp", "dL_dz2", "dL_dW2", "dL_db2", "dL_da1", "dL_dz1", "dL_dW1", "dL_db1")
# The tensor each one is computed from (its upstream gradient).
UPSTREAM = {"dL_dp": None, "dL_dz2": "dL_dp", "dL_dW2": "dL_dz2", "dL_db2": "dL_dz2", "dL_da1": "dL_dz2",
            "dL_dz1": "dL_da1", "dL_dW1": "dL_dz1", "dL_db1": "dL_dz1"}
# Each tensor's rule, as the notebook writes it: the "one thing to try" of a hint.
RULES = {
    "dL_dp": "∂L/∂p = −y / p / N: the mean's 1/N for every sample, and −1/p from −ln p",
    "dL_dz2": "∂L/∂z[2] = p ⊙ (g − Σₖ gₖ pₖ) row by row, with g = ∂L/∂p, which comes to (p − y) / N",
    "dL_dW2": "∂L/∂W[2] = δ[2]ᵀ · a[1], the shape of W[2]",
    "dL_db2": "∂L/∂b[2] = δ[2] summed over the batch, .sum(axis=0), the shape of b[2]",
    "dL_da1": "∂L/∂a[1] = δ[2] · W[2], one row per sample",
    "dL_dz1": "∂L/∂z[1] = ∂L/∂a[1] ⊙ (1 − a[1]²), tanh's slope",
    "dL_dW1": "∂L/∂W[1] = δ[1]ᵀ · X, the shape of W[1]",
    "dL_db1": "∂L/∂b[1] = δ[1] summed over the batch, .sum(axis=0), the shape of b[1]",
}

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


# ---- The local rules, each from its upstream tensor: "right from your dL_dz2" ----

class _Context:
    """What the forward pass left for the backward pass: X, z[1], a[1], p, W[2], Y and N."""

    def __init__(self, net, fp, Y):
        self.X, self.z1, self.a1, self.z2, self.p = fp.a[0], fp.z[1], fp.a[1], fp.z[2], fp.a[2]
        self.W2, self.Y, self.N = net.W[2], Y, len(Y)
        self.right = None  # the right tensors, by name: set by `report`


def _jacobian(g, c):
    return c.p * (g - np.sum(g * c.p, axis=1, keepdims=True))


LOCAL = {
    "dL_dp": lambda up, c: -c.Y / c.p / c.N,
    "dL_dz2": _jacobian,
    "dL_dW2": lambda up, c: up.T @ c.a1,
    "dL_db2": lambda up, c: up.sum(axis=0),
    "dL_da1": lambda up, c: up @ c.W2,
    "dL_dz1": lambda up, c: up * (1 - c.a1 ** 2),
    "dL_dW1": lambda up, c: up.T @ c.X,
    "dL_db1": lambda up, c: up.sum(axis=0),
}


def _softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# ---- The known slips, per tensor: (the wrong rule from the upstream tensor, a short label, the hint) ----

NOT_DIVIDED = "not divided by N"
TWICE = "divided by N twice"
TRANSPOSED = "transposed"
NO_BATCH_SUM = "missing the sum over the batch"
WRONG_AXIS = "summed over the wrong axis"
NO_SLOPE = "missing the activation's derivative"
DIAGONAL = "softmax's Jacobian treated as diagonal"

_MEAN = ("The loss is the mean over the N samples, a sum times 1/N; backward, a sum broadcasts, so every sample's "
         "share gets that 1/N, once: ")


def _no_batch_sum(which):
    return (f"b[{which}] is broadcast to every row of z[{which}] in the forward pass, so backward its gradient is "
            f"the SUM of δ[{which}] over the rows: .sum(axis=0), one number per neuron, the shape of b[{which}].")


def _wrong_axis(which):
    return (f"Sum δ[{which}] down the batch, over the rows (axis=0): b[{which}] has one entry per neuron, and it "
            "was broadcast to every sample." + (" Summed along each row, δ[2] gives 0 every time: each row of "
                                                "p − y adds up to 0." if which == 2 else ""))


def _twice_for(name):
    return (f"δ already holds the 1/N of the mean, from ∂L/∂p; divide by N only once. {RULES[name]}.")


def _transposed(which, source):
    return (f"∂L/∂W[{which}] = δ[{which}]ᵀ · {source}: one row per neuron of layer {which}, the shape of W[{which}]. "
            f"{source}ᵀ · δ[{which}] is its transpose.")


def _per_sample(which, source):
    return (f"One gradient per sample, not yet added up: δ[{which}]ᵀ · {source} sums over the batch inside the "
            f"product, leaving the shape of W[{which}].")


SLIPS = {
    "dL_dp": [
        (lambda up, c: -c.Y / c.p, NOT_DIVIDED, _MEAN + "∂L/∂p = −y / p / N."),
        (lambda up, c: -c.Y / c.p / c.N ** 2, TWICE, _MEAN + "∂L/∂p = −y / p / N, and no other 1/N after it."),
        (lambda up, c: c.Y / c.p / c.N, "the wrong sign",
         "−ln p falls as p rises, so ∂L/∂p is negative for the true class: −y / p / N."),
        (lambda up, c: (c.p - c.Y) / c.N, "∂L/∂z[2]'s value",
         "That is ∂L/∂z[2], the logits' gradient, one step further back. This line is the probabilities' "
         "gradient: ∂L/∂p = −y / p / N."),
        (lambda up, c: -c.Y / c.N, "missing the 1/p",
         "The derivative of −ln p is −1/p: ∂L/∂p = −y / p / N."),
        (lambda up, c: -1 / c.p / c.N, "not multiplied by y",
         "Only the true class's probability is in the loss, so the other classes get 0: multiply by the one-hot y, "
         "∂L/∂p = −y / p / N."),
    ],
    "dL_dz2": [
        (lambda up, c: up * c.p * (1 - c.p), DIAGONAL,
         "You multiplied by p(1 − p), as if each probability depended on its own logit only. Every logit moves every "
         "probability: ∂L/∂zᵢ = pᵢ (gᵢ − Σₖ gₖ pₖ), with g = ∂L/∂p and the sum along the row "
         "(axis=1, keepdims=True); it comes to (p − y) / N."),
        (lambda up, c: up * c.p, "missing the other classes' paths",
         "That is only the path through each logit's own probability, pᵢ gᵢ. Each logit also moves every other "
         "probability: subtract pᵢ Σₖ gₖ pₖ, the sum along the row. It comes to (p − y) / N."),
        (lambda up, c: c.p * (up - np.sum(up * c.p, axis=0, keepdims=True)), WRONG_AXIS,
         "Your Σₖ gₖ pₖ runs down the batch (axis 0). It sums each sample's classes, along its row: "
         "np.sum(g * p, axis=1, keepdims=True)."),
        (lambda up, c: c.p * (up - np.sum(up * c.p)), "summed over the whole array",
         "Your Σₖ gₖ pₖ is one sum over the whole array. It is one sum per sample, along its row: "
         "np.sum(g * p, axis=1, keepdims=True)."),
        (lambda up, c: c.p - c.Y, NOT_DIVIDED, _MEAN + "δ[2] = (p − y) / N."),
        (lambda up, c: (c.p - c.Y) / c.N ** 2, TWICE, _twice_for("dL_dz2")),
        (lambda up, c: _jacobian(up, c) / c.N, TWICE, _twice_for("dL_dz2")),
        (lambda up, c: (c.Y - c.p) / c.N, "the wrong sign",
         "Right size, wrong sign: δ[2] = (p − y) / N, probabilities minus truth."),
        (lambda up, c: (_softmax(c.z2, 0) - c.Y) / c.N, "a softmax down the wrong axis",
         "Your softmax runs down the batch. Each sample's probabilities add up to 1 along its row: p = fp.a[2], "
         "or a softmax with axis=1."),
    ],
    "dL_dW2": [
        (lambda up, c: c.a1.T @ up, TRANSPOSED, _transposed(2, "a[1]")),
        (lambda up, c: up[:, :, None] * c.a1[:, None, :], NO_BATCH_SUM, _per_sample(2, "a[1]")),
        (lambda up, c: up.T @ c.a1 / c.N, TWICE, _twice_for("dL_dW2")),
        (lambda up, c: up.T @ c.z1, "z[1] in place of a[1]",
         "Layer 2's input is a[1] = tanh(z[1]), not z[1]: ∂L/∂W[2] = δ[2]ᵀ · a[1]."),
    ],
    "dL_db2": [
        (lambda up, c: up, NO_BATCH_SUM, _no_batch_sum(2)),
        (lambda up, c: up.sum(axis=1), WRONG_AXIS, _wrong_axis(2)),
        (lambda up, c: up.mean(axis=0), TWICE, _twice_for("dL_db2") + " Take the sum, not the mean."),
        (lambda up, c: np.zeros(up.shape[1]), "all zeros",
         "Every entry is 0: the bias gradient is δ[2] summed over the batch, .sum(axis=0)."),
    ],
    "dL_da1": [
        (lambda up, c: (up @ c.W2) * (1 - c.a1 ** 2), "already through tanh",
         "That already includes tanh's slope, so it is ∂L/∂z[1], the next line. ∂L/∂a[1] = δ[2] · W[2] alone."),
        (lambda up, c: up @ c.W2 / c.N, TWICE, _twice_for("dL_da1")),
        (lambda up, c: up @ c.W2.T, TRANSPOSED,
         "Use W[2] as it is, not W[2]ᵀ: row j of W[2] holds the weights into output j, so δ[2] · W[2] sends each "
         "output's error back along its own weights."),
    ],
    "dL_dz1": [
        (lambda up, c: up, NO_SLOPE,
         "∂L/∂z[1] is ∂L/∂a[1] times tanh's slope at each neuron: ⊙ (1 − a[1]²)."),
        (lambda up, c: up * c.a1 * (1 - c.a1), "the sigmoid's slope",
         "a(1 − a) is the sigmoid's slope; the hidden layer is tanh, whose slope is 1 − a[1]²."),
        (lambda up, c: up * (1 - c.z1 ** 2), "1 − z² in place of 1 − a²",
         "tanh′(z) = 1 − tanh(z)² = 1 − a[1]², with the activation a[1], not z[1]."),
        (lambda up, c: up * (1 - np.tanh(c.a1) ** 2), "tanh′ of a[1]",
         "You took tanh of a[1] again. tanh′(z[1]) = 1 − a[1]² (or 1 − np.tanh(z[1])²)."),
        (lambda up, c: up * (1 - c.a1 ** 2) / c.N, TWICE, _twice_for("dL_dz1")),
    ],
    "dL_dW1": [
        (lambda up, c: c.X.T @ up, TRANSPOSED, _transposed(1, "X")),
        (lambda up, c: up[:, :, None] * c.X[:, None, :], NO_BATCH_SUM, _per_sample(1, "X")),
        (lambda up, c: up.T @ c.X / c.N, TWICE, _twice_for("dL_dW1")),
    ],
    "dL_db1": [
        (lambda up, c: up, NO_BATCH_SUM, _no_batch_sum(1)),
        (lambda up, c: up.sum(axis=1), WRONG_AXIS, _wrong_axis(1)),
        (lambda up, c: up.mean(axis=0), TWICE, _twice_for("dL_db1") + " Take the sum, not the mean."),
        (lambda up, c: np.zeros(up.shape[1]), "all zeros",
         "Every entry is 0: the bias gradient is δ[1] summed over the batch, .sum(axis=0)."),
    ],
}


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
