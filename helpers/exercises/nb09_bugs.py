"""Notebook 09: the checks for the bugs practitioners meet, a softmax over the wrong axis and a forgotten
gradient reset. Two code exercises: `softmax_rows(z)` and `train_steps(model, X, y, eta, steps)`."""

import ast
import inspect
import textwrap
import time

import numpy as np

from ..checking import diagnose
from ..practice.bugs import demo_data
from ..checking.checks import CORRECT, WRONG, Feedback
from ..checking.codecheck import Case, Slip, call_with_time_limit, check_function, shown
from ..core.network import Network
from ..practice.recipe_bugs import AccumulatingNetwork

__all__ = ["softmax_rows", "train_steps", "softmax_rows_solution", "train_steps_solution",
           "train_steps_with_the_bug", "SOFTMAX_SLIPS", "TRAIN_STEPS_SLIPS", "LARGE_LOGITS", "loop_example"]

# ---- Exercise A (code): a softmax along each row, safe for large logits ----

SOFTMAX_EXAMPLE = np.array([[2.0, 1.0], [0.0, 0.0], [-1.0, 3.0]])
LARGE_LOGITS = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -999.0, -1001.0]])
"""Logits as large as 1000: e^1000 overflows a float64 (its largest is about 1.8e308, e^709.8)."""
_SOFTMAX_SEED = 909


def softmax_rows_solution(z):
    """Each row of z (N, K) turned into probabilities that add up to 1, safe for any size of logit."""
    shifted = z - z.max(axis=1, keepdims=True)    # the row's largest logit becomes 0: exp() cannot overflow
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _down_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _over_everything(z):
    e = np.exp(z - z.max())
    return e / e.sum()


SOFTMAX_SLIPS = [
    Slip(_down_columns,
         "Your softmax runs down each column, across the samples (axis 0): that is the planted bug. Each sample's "
         "classes must add up to 1, so take the max and the sum along each row: axis=1."),
    Slip(_over_everything,
         "Your softmax divides by one sum over the whole array, so all the probabilities of the batch add up to 1 "
         "together and each sample's answer depends on the others. Sum each row: e.sum(axis=1, keepdims=True)."),
]

_NO_SHIFT = ("Right for ordinary logits, but on logits as large as 1000 your function gives nan: e^1000 is "
             "too large for a float64 (inf), and inf / inf is nan. Subtract each row's largest logit first, "
             "z - z.max(axis=1, keepdims=True): softmax does not change, and the largest exponent becomes e^0 = 1.")
_GLOBAL_SHIFT = ("Right for ordinary logits, but on logits as large as 1000 your function gives nan. You subtract "
                 "one largest logit of the whole array: a row whose logits all sit near −1000 then gets e^−2000 = 0 "
                 "everywhere, and 0 / 0 is nan. Subtract each row's own largest: z.max(axis=1, keepdims=True).")
_KEEPDIMS = ("Your function stopped with a broadcast error: e.sum(axis=1) (or z.max(axis=1)) has shape (N,), one "
             "number per row, and NumPy lines such an array up with the columns of e, not its rows. On this z it "
             "cannot line them up at all; on a square z it would divide entry [i, j] by row j's sum without a "
             "word. Keep the axis: keepdims=True gives shape (N, 1), and each row meets its own number.")


def _softmax_cases():
    cases = [Case("the worked example", lambda: (SOFTMAX_EXAMPLE.copy(),),
                  "z = [[2, 1], [0, 0], [−1, 3]], 3 samples, 2 classes")]
    rng = np.random.default_rng(_SOFTMAX_SEED)
    for n, k in ((4, 3), (2, 5), (6, 2), (3, 3)):
        z = rng.normal(0.0, 2.0, size=(n, k))
        cases.append(Case("a hidden random batch", lambda z=z: (z.copy(),), f"{n} samples, {k} classes"))
    return cases


def _large_case():
    return Case("logits as large as 1000", lambda: (LARGE_LOGITS.copy(),), "z = [[1000, 1001, 999], [−1000, −999, −1001]]")


def observe_softmax(function, args):
    return function(*args), args[0].shape


def read_softmax(observed):
    value, want = observed
    if value is None:
        return None, "Your function returned None. End it with `return` followed by the probabilities, an array like z."
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"Expected an array of numbers shaped like z, but your function returned {shown(value)}."
    if array.shape != want:
        if array.shape == want[::-1]:
            return None, f"Your result has shape {array.shape}, z's transposed: keep one row per sample, shape {want}."
        return None, (f"Your result has shape {array.shape}, but it must have the shape of z, {want}: one "
                      "probability per logit.")
    return tuple(float(x) for x in array.ravel()), None


def softmax_rows(function):
    """Check `softmax_rows(z)`: each row of z turned into probabilities, stable for logits as large as 1000."""
    feedback = check_function(
        function, cases=_softmax_cases(), expected=softmax_rows_solution, read=read_softmax, observe=observe_softmax,
        slips=SOFTMAX_SLIPS, arguments="z", what="softmax_rows")
    if feedback.status == WRONG and diagnose.broadcast_words(feedback.message):
        return Feedback(WRONG, _KEEPDIMS)
    if feedback.status != CORRECT:
        return feedback
    large = check_function(
        function, cases=[_large_case()], expected=softmax_rows_solution, read=read_softmax, observe=observe_softmax,
        arguments="z", what="softmax_rows")
    if large.status == CORRECT:
        return Feedback(CORRECT, "Each row adds up to 1, every sample on its own, and logits as large as 1000 "
                                 "give finite probabilities: subtracting the row's largest logit keeps exp() in range.")
    if any(word in large.message for word in ("nan", "infinite", "Overflow")):
        one_row, error = call_with_time_limit(function, (LARGE_LOGITS[:1].copy(),))
        right = softmax_rows_solution(LARGE_LOGITS[:1])
        fine = (error is None and np.shape(one_row) == right.shape
                and np.allclose(np.asarray(one_row, dtype=np.float64), right, rtol=1e-6, atol=1e-12))
        return Feedback(WRONG, _GLOBAL_SHIFT if fine else _NO_SHIFT)
    return large


# ---- Exercise B (code): reset the gradients in the training loop ----

LOOP_EXAMPLE = {"sizes": [2, 8, 2], "eta": 0.5, "steps": 10}
_LOOP_SEED = 919


def train_steps_solution(model, X, y, eta, steps):
    """`steps` full-batch updates of an AccumulatingNetwork, resetting the gradients before each backward."""
    losses = []
    for step in range(steps):
        model.zero_grad()                 # a clean slate: backward adds into .grad
        losses.append(model.backward(X, y))
        model.step(eta)
    return losses


def train_steps_with_the_bug(model, X, y, eta, steps):
    """The planted loop: no reset, so each .grad holds the sum of every gradient so far."""
    losses = []
    for step in range(steps):
        losses.append(model.backward(X, y))
        model.step(eta)
    return losses


def _reset_between(model, X, y, eta, steps):
    losses = []
    for step in range(steps):
        losses.append(model.backward(X, y))
        model.zero_grad()
        model.step(eta)
    return losses


def _reset_after_step(model, X, y, eta, steps):
    losses = []
    for step in range(steps):
        losses.append(model.backward(X, y))
        model.step(eta)
        model.zero_grad()
    return losses


def _reset_once(model, X, y, eta, steps):
    model.zero_grad()
    return train_steps_with_the_bug(model, X, y, eta, steps)


def _reset_weights_only(model, X, y, eta, steps):
    losses = []
    for step in range(steps):
        for p in model.parameters():
            if p.name.startswith("W"):
                p.grad = np.zeros_like(p.data)
        losses.append(model.backward(X, y))
        model.step(eta)
    return losses


_NO_RESET_HINT = ("That is still the planted bug: nothing resets the gradients, so each .grad holds the sum of every "
                  "gradient since the start, and each update uses that sum. Call model.zero_grad() at the top of "
                  "each step, before model.backward(X, y).")
_REBOUND_HINT = ("Your loop tries to reset, but the gradients still add up as if it did not: assigning to a name "
                 "(`grad = 0`, `g = np.zeros_like(g)`) only points that name at a new value, and each parameter's "
                 ".grad keeps its old array. Reset the attribute itself, p.grad = np.zeros_like(p.data), or call "
                 "model.zero_grad().")

TRAIN_STEPS_SLIPS = [
    Slip(train_steps_with_the_bug, _NO_RESET_HINT),
    Slip(_reset_between,
         "Your loop resets between backward and the update, so every update sees a gradient of 0 and nothing "
         "learns: the loss never moves. Reset before backward: zero_grad(), backward, step."),
    Slip(_reset_after_step,
         "Your loop resets after the update. That works only while .grad is 0 on the way in; one hidden model came "
         "with a gradient left over from an earlier backward (a gradient check, say), and your first update used "
         "it. Reset at the top of each step, before backward."),
    Slip(_reset_once,
         "Your loop resets once, before the first step. The gradients then add up from step to step again. "
         "Reset inside the loop, before each backward."),
    Slip(_reset_weights_only,
         "Your loop resets the weights' gradients but not the biases': each b's .grad still holds the sum of "
         "every step. Reset every parameter of model.parameters(), or call model.zero_grad()."),
]


def loop_example():
    """The worked example: AccumulatingNetwork(Network([2, 8, 2], relu, softmax, cross-entropy, seed 0)) and the
    225 standardised animals of notebook 07."""
    X, y = demo_data()
    net = Network(LOOP_EXAMPLE["sizes"], ["relu", "softmax"], "cross_entropy", seed=0)
    return AccumulatingNetwork(net), X, y


def _random_loop_case(rng, i, stale):
    depth = int(rng.integers(1, 4))
    sizes = [int(rng.integers(1, 5))] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [int(rng.integers(1, 4))]
    hidden = ["tanh", "sigmoid", "relu"][i % 3]
    classifier = sizes[-1] > 1 and i % 2 == 0
    activations = [hidden] * (len(sizes) - 2) + (["softmax"] if classifier else ["linear"])
    loss = "cross_entropy" if classifier else "half_squared_error"
    seed, n = int(rng.integers(0, 1000)), int(rng.integers(3, 9))
    eta, steps = float(rng.choice([0.05, 0.1, 0.3])), int(rng.integers(3, 7))
    data = np.random.default_rng(_LOOP_SEED + i)
    X = data.normal(size=(n, sizes[0]))
    y = data.integers(0, sizes[-1], size=n) if classifier else data.normal(size=(n, sizes[-1]))

    def make():
        model = AccumulatingNetwork(Network(sizes, activations, loss, seed=seed))
        if stale:
            model.backward(X, y)   # a gradient check ran backward once: .grad is not 0 on the way in
        return model, X.copy(), y.copy(), eta, steps

    what = "a model with a gradient left over from an earlier backward" if stale else "a hidden random model"
    return Case(what, make, f"sizes {sizes}, {hidden} hidden units, {steps} steps")


def _loop_cases():
    example = Case("the worked example", lambda: loop_example() + (LOOP_EXAMPLE["eta"], LOOP_EXAMPLE["steps"]),
                   "Network([2, 8, 2]), 225 animals, η = 0.5, 10 steps")
    rng = np.random.default_rng(_LOOP_SEED)
    return [example] + [_random_loop_case(rng, i, stale=(i == 3)) for i in range(4)]


def observe_loop(function, args):
    model, steps = args[0], args[4]
    returned = function(*args)
    return returned, model.flat_parameters().tolist(), steps


def read_loop(observed):
    returned, params, steps = observed
    if returned is None:
        return None, "Your function returned None. End it with `return losses`, the list of the loss at each step."
    if isinstance(returned, (str, bytes, dict, set)) or not hasattr(returned, "__len__"):
        return None, (f"Expected a list of {steps} losses, one per step, but your function returned {shown(returned)}.")
    try:
        losses = np.asarray(returned, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"Expected a list of {steps} losses, one per step, but your function returned {shown(returned)}."
    if losses.shape != (steps,):
        return None, (f"Expected a list of {steps} losses, one per step (what model.backward(X, y) returns), but "
                      f"your function returned {np.size(losses)} numbers.")
    return tuple(float(v) for v in losses) + tuple(float(v) for v in params), None


def _assigns_a_name_from_grad(function):
    """True when the function's source assigns to a plain name something built from `.grad` or zeros: a reset
    that rebinds a name instead of the parameter's attribute."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            text = ast.unparse(node.value)
            if any(isinstance(t, ast.Name) for t in targets) and (".grad" in text or "zero" in text or text == "0"):
                return True
    return False


def _explain_loop(cases):
    def explain(function):
        for case in cases:
            got = read_loop(observe_loop(function, case.make()))[0]
            right = read_loop(observe_loop(train_steps_solution, case.make()))[0]
            if got is None:
                return None
            steps = case.make()[4]
            for k in range(steps):
                if not np.isclose(got[k], right[k], rtol=1e-6, atol=1e-12) and k == 0:
                    return (f"On {case.name} ({case.show}), your first loss is {got[0]:.6g}, but the loss before any "
                            f"update is {right[0]:.6g}. Record what model.backward(X, y) returns: the loss at the "
                            "weights that step starts from, before its update.")
                if not np.isclose(got[k], right[k], rtol=1e-6, atol=1e-12):
                    return (f"On {case.name} ({case.show}), your losses agree with the right loop's for the first "
                            f"{k} step{'s' * (k != 1)}, then differ: at step {k} yours is {got[k]:.6g}, the right one "
                            f"{right[k]:.6g}. Each step is zero_grad(), backward, step: look at what your loop does "
                            "differently there.")
            if not np.allclose(got[steps:], right[steps:], rtol=1e-6, atol=1e-12):
                return (f"On {case.name} ({case.show}), every loss agrees, but the parameters after the last update "
                        "do not: the last step's update differs. Update with model.step(eta) after each backward.")
        return None
    return explain


def train_steps(function):
    """Check `train_steps(model, X, y, eta, steps)`: zero_grad(), backward, step at every step."""
    started = time.monotonic()
    cases = _loop_cases()
    feedback = check_function(
        function, cases=cases, expected=train_steps_solution, read=read_loop, observe=observe_loop,
        slips=TRAIN_STEPS_SLIPS, arguments="model, X, y, eta, steps", what="train_steps",
        praise=("Every update uses this step's gradient alone: zero_grad() clears what the last backward added, "
                "backward adds this one, and step uses it. The per-update gradient check agrees at every step."))
    if feedback.status == WRONG and feedback.message.startswith(_NO_RESET_HINT) and _assigns_a_name_from_grad(function):
        return Feedback(WRONG, _REBOUND_HINT + feedback.message[len(_NO_RESET_HINT):])
    return diagnose.after_check(feedback, function, _explain_loop(cases), TRAIN_STEPS_SLIPS, started,
                                expected=train_steps_solution)
