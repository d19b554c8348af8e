"""Checks for notebook 06, backprop at any depth.

The notebook's network and batch are rebuilt here from the same recipe, so the checks always
agree with what the notebook prints: Network([3, 4, 4, 1], seed=0), all sigmoid, loss ½(ŷ − y)²,
and a batch of 5 samples drawn with np.random.default_rng(1).
"""

import time

import numpy as np

from ..checking import diagnose
from ..core.activations import sigmoid_derivative
from ..checking.checks import WRONG, Feedback, check_array, check_number, check_shape
from ..checking.codecheck import Case, Slip, call_with_time_limit, check_function, same, shown
from ..core.network import Network

SIZES = [3, 4, 4, 1]
SEED = 0
BATCH_SEED = 1
N_SAMPLES = 5

# Exercise 3: the shape of ∂L/∂W^{[1]} for a batch of this many samples. W^{[1]} is 4×3, not square,
# so writing the shape the wrong way round gives an answer the check can tell apart.
BIG_BATCH = 32

# Exercise 6: the largest sigmoid slope, multiplied once per layer, over this many layers.
SIGMOID_MAX_SLOPE = 0.25
LAYERS = 10
# The solution says "about 9.5e-07", and 1e-6 is the same number to one digit: accept both,
# and nothing as far off as the nearest slip (0.25 ** 11 ≈ 2.4e-7).
BOUND_TOLERANCE = 6e-8


def example():
    """The notebook's network and batch: (net, X (5, 3), y (5, 1))."""
    net = Network(SIZES, seed=SEED)
    rng = np.random.default_rng(BATCH_SEED)
    X = rng.normal(size=(N_SAMPLES, SIZES[0]))
    y = rng.uniform(size=(N_SAMPLES, SIZES[-1]))
    return net, X, y


def gradient_shape(answer):
    """The shape of ∂L/∂W[1] for a batch of BIG_BATCH samples: the shape of W[1], (4, 3)."""
    n_out, n_in, batch = SIZES[1], SIZES[0], BIG_BATCH
    return check_shape(
        answer, (n_out, n_in), what="a shape such as (2, 3)",
        hints={
            (n_in, n_out): (f"({n_in}, {n_out}) is the right pair the wrong way round. W[1] has one row per "
                            f"neuron of layer 1 ({n_out}) and one column per input ({n_in}): row j holds the "
                            f"weights coming into neuron j. δ[1]ᵀ · a[0] is ({n_out}, {batch}) · ({batch}, {n_in})."),
            (batch, n_out): (f"({batch}, {n_out}) is the shape of δ[1]: one row per sample. The gradient is "
                             f"δ[1]ᵀ · a[0], and the {batch} samples are summed away in that product."),
            (n_out, batch): (f"({n_out}, {batch}) is δ[1]ᵀ alone. Multiply it by a[0] = X, shape ({batch}, {n_in}): "
                             "the samples cancel out."),
            (batch, n_in): (f"({batch}, {n_in}) is the shape of the batch X = a[0], the other factor of "
                            f"δ[1]ᵀ · a[0]. The product has the shape of W[1]."),
            (batch, n_out, n_in): ("One gradient per sample is what you would have before adding them up. The "
                                   "backward pass sums over the batch, so one number per weight remains."),
        },
        fallback=("Every weight gets one number in the gradient, so ∂L/∂W[1] has the shape of W[1]: "
                  "(neurons in layer 1, inputs)."),
        praise=(f"∂L/∂W[1] = δ[1]ᵀ · a[0] is ({n_out}, {batch}) · ({batch}, {n_in}) = ({n_out}, {n_in}): "
                "the shape of W[1]. The batch is summed away."),
    )


def delta_1(answer):
    """δ[1] for the notebook's batch: (δ[2] · W[2]) ⊙ σ′(z[1]), shape (5, 4)."""
    net, X, y = example()
    fp = net.forward(X)
    grads = net.backward(fp, y)
    passed_back = grads.delta[2] @ net.W[2]
    expected = passed_back * sigmoid_derivative(fp.z[1])
    return check_array(
        answer, expected, what="δ[1], an array of shape (5, 4)", tol=1e-9,
        hints=[
            (passed_back,
             "You passed δ[2] back through W[2] but did not multiply by the sigmoid's slope: "
             "⊙ sigmoid_derivative(fp.z[1])."),
            ((grads.delta[2] @ net.W[2].T) * sigmoid_derivative(fp.z[1]),
             "Use W[2] as it is, not W[2].T. Row j of W[2] holds the weights into neuron j of layer 2, so "
             "δ[2] · W[2] sends each neuron's error back along its own weights. (W[2] is square here, so the "
             "transpose fits too: a shape that fits proves nothing.)"),
            (passed_back * sigmoid_derivative(fp.z[2]),
             "The slope belongs to layer 1: use fp.z[1], not fp.z[2]."),
            (passed_back * fp.a[1],
             "σ′(z) is a(1 − a), not a. Use sigmoid_derivative(fp.z[1]) or fp.a[1] * (1 - fp.a[1])."),
            (passed_back * sigmoid_derivative(fp.a[1]),
             "sigmoid_derivative takes z, the weighted sum, and you gave it fp.a[1], the activation: that "
             "computes σ′(σ(z)). Use sigmoid_derivative(fp.z[1]), or the activation directly as "
             "fp.a[1] * (1 - fp.a[1])."),
            (lambda a: a.shape == expected.T.shape and np.allclose(a, expected.T, rtol=1e-6, atol=1e-12),
             "Right numbers, transposed. δ[1] has one row per sample: shape (5, 4)."),
            (lambda a: a.shape == (5, 4) and np.allclose(a, -expected, rtol=1e-6, atol=1e-12),
             "Right size, wrong sign. δ[1] carries the sign of δ[2]; there is no minus in the recursion."),
        ],
        praise=("δ[1] = (δ[2] · W[2]) ⊙ σ′(z[1]): the same recursion as every other layer, and equal to "
                "net.backward's δ[1]."),
    )


def vanishing_bound(answer):
    """The largest product of LAYERS sigmoid slopes: 0.25 ** 10 ≈ 9.5e-7 (1e-6 is accepted too)."""
    expected = SIGMOID_MAX_SLOPE ** LAYERS
    return check_number(
        answer, expected, what="the largest possible product", tol=BOUND_TOLERANCE,
        hints=[
            (SIGMOID_MAX_SLOPE * LAYERS, "You multiplied 0.25 by 10. The slopes are multiplied together, "
                                         "one factor per layer: 0.25 × 0.25 × ... (10 times) = 0.25 ** 10."),
            (SIGMOID_MAX_SLOPE ** (LAYERS - 1), "One factor short: ten layers give ten slopes, 0.25 ** 10."),
            (SIGMOID_MAX_SLOPE ** (LAYERS + 1), "One factor too many: ten layers give ten slopes, 0.25 ** 10."),
            (0.5 ** LAYERS, "σ′ is at most 0.25, at z = 0 where σ = 0.5: σ′ = 0.5 × (1 − 0.5). "
                            "Use 0.25 per layer."),
            (1.0, "A slope of at most 1 is tanh's or ReLU's. The sigmoid's slope is at most 0.25."),
            (SIGMOID_MAX_SLOPE, "That is one layer's slope. Ten layers multiply ten of them."),
        ],
        praise=(f"0.25 ** 10 = {expected:.2e}: about one millionth. Along a path whose weights are at most 1 in "
                "size, ten sigmoid layers shrink the signal at least a million-fold. Larger weights, or many paths "
                "adding up, can make up for the small slopes: the depth explorer below shows it at weight scale 3."),
    )


def finite_difference_evaluations(answer):
    """Loss evaluations for a centred finite-difference gradient of Network([3, 4, 4, 1]): 2 × 41 = 82."""
    net = Network(SIZES, seed=SEED)
    n_params = net.num_parameters
    n_weights = sum(w.size for w in net.W.values())
    expected = 2 * n_params
    return check_number(
        answer, expected, what="a whole number of loss evaluations", tol=1e-9,
        hints=[
            (n_params, f"{n_params} is the number of parameters. The centred difference evaluates the loss twice "
                       "for each one: at θ + ε and at θ − ε."),
            (2 * n_weights, f"You counted the {n_weights} weights but not the {n_params - n_weights} biases. "
                            "Each bias needs its own two evaluations too."),
            (n_weights, f"{n_weights} is the number of weights alone. Add the biases, then count two "
                        "evaluations per parameter."),
            (2, "Two passes is the cost of backprop (one forward, one backward). Finite differences nudge "
                "each parameter on its own."),
            (n_params + 1, "That is the count for one-sided differences (one base loss plus one per parameter). "
                           "The centred kind uses two per parameter."),
        ],
        praise=(f"{n_params} parameters × 2 = {expected} loss evaluations, against one forward and one backward "
                "pass for backprop."),
    )


# ---- Exercise 5 (code): the backward loop over layers ----
#
# The learner writes `backward(net, fp, Y)` for a Network whose every layer is a sigmoid and whose
# loss is ½(ŷ − y)² averaged over the batch, and returns (dL_dW, dL_db): two dicts keyed by layer
# number 1..D, each entry with the shape of W[l] or b[l]. The check runs it on the notebook's network
# and on hidden random architectures, and compares with net.backward.


_LOOP_SEED = 606
N_RANDOM_NETWORKS = 5


def backward_solution(net, fp, Y):
    """δ[D] = (ŷ − y)/N ⊙ σ′(z[D]); then for l = D..1: ∂L/∂W[l] = δ[l]ᵀ a[l−1], ∂L/∂b[l] = Σ δ[l],
    δ[l−1] = (δ[l] W[l]) ⊙ σ′(z[l−1])."""
    D, N = net.depth, len(Y)
    delta = {D: (fp.a[D] - Y) / N * sigmoid_derivative(fp.z[D])}
    dL_dW, dL_db = {}, {}
    for l in range(D, 0, -1):
        dL_dW[l] = delta[l].T @ fp.a[l - 1]
        dL_db[l] = delta[l].sum(axis=0)
        if l > 1:
            delta[l - 1] = (delta[l] @ net.W[l]) * sigmoid_derivative(fp.z[l - 1])
    return dL_dW, dL_db


def _loop(output_delta, passed_back, weight_grad=lambda d, a: d.T @ a, bias_grad=lambda d: d.sum(axis=0)):
    """A backward loop with one piece swapped for a slip: each piece is a small function."""
    def backward(net, fp, Y):
        D, N = net.depth, len(Y)
        delta = {D: output_delta(fp, Y, N, D)}
        dL_dW, dL_db = {}, {}
        for l in range(D, 0, -1):
            dL_dW[l] = weight_grad(delta[l], fp.a[l - 1])
            dL_db[l] = bias_grad(delta[l])
            if l > 1:
                delta[l - 1] = passed_back(delta[l], net.W[l], fp, l - 1)
        return dL_dW, dL_db
    return backward


def _right_output(fp, Y, N, D):
    return (fp.a[D] - Y) / N * sigmoid_derivative(fp.z[D])


def _right_back(d, W, fp, l):
    return (d @ W) * sigmoid_derivative(fp.z[l])


BACKWARD_SLIPS = [
    Slip(_loop(_right_output, lambda d, W, fp, l: d @ W),
         "The hidden layers lack the sigmoid's slope: δ[l−1] = (δ[l] · W[l]) ⊙ σ′(z[l−1]). Sending δ back "
         "through W is only half the step; each neuron's own slope is the other half."),
    Slip(_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N, _right_back),
         "The output layer lacks σ′(z[D]): δ[D] = (ŷ − y)/N ⊙ σ′(z[D]). The output neuron is a sigmoid too."),
    Slip(_loop(lambda fp, Y, N, D: (fp.a[D] - Y) / N * sigmoid_derivative(fp.a[D]),
               lambda d, W, fp, l: (d @ W) * sigmoid_derivative(fp.a[l])),
         "sigmoid_derivative takes z, the weighted sum, and you gave it a, the activation: that computes σ′(σ(z)). "
         "Use sigmoid_derivative(fp.z[l]), or fp.a[l] * (1 - fp.a[l])."),
    Slip(_loop(lambda fp, Y, N, D: (fp.a[D] - Y) * sigmoid_derivative(fp.z[D]), _right_back),
         "Every gradient is N times too large: the loss is averaged over the batch, so δ[D] = (ŷ − y) / N ⊙ σ′(z[D])."),
    Slip(_loop(lambda fp, Y, N, D: (Y - fp.a[D]) / N * sigmoid_derivative(fp.z[D]), _right_back),
         "Right size, wrong sign: ∂L/∂ŷ = (ŷ − y)/N, prediction minus target. With y − ŷ every step would climb."),
    Slip(_loop(_right_output, _right_back, bias_grad=lambda d: np.zeros(d.shape[1])),
         "Every ∂L/∂b is 0: you forgot the bias gradient. ∂L/∂b[l] is δ[l] summed over the samples, "
         "delta[l].sum(axis=0)."),
    Slip(_loop(_right_output, _right_back, bias_grad=lambda d: d.mean(axis=0)),
         "The bias gradients are N times too small: δ already holds the 1/N of the average, so sum it over the "
         "samples, delta[l].sum(axis=0), rather than taking its mean."),
]

# Slips that only show on a network whose every layer has the same width: elsewhere their shapes
# do not fit and numpy stops them first. They are named by running the learner's function on one.
SQUARE_SLIPS = [
    Slip(_loop(_right_output, lambda d, W, fp, l: (d @ W.T) * sigmoid_derivative(fp.z[l])),
         "Use W[l] as it is, not W[l].T: row j of W[l] holds the weights into neuron j, so δ[l] · W[l] sends each "
         "neuron's error back along its own weights. A transposed W only fits when the layer is square."),
    Slip(_loop(_right_output, _right_back, weight_grad=lambda d, a: a.T @ d),
         "Your ∂L/∂W[l] is transposed: it is δ[l]ᵀ · a[l−1], one row per neuron of layer l, the shape of W[l]."),
]


def _random_network(rng, square=False):
    if square:
        width = int(rng.integers(2, 5))
        sizes = [width] * int(rng.integers(3, 5))
    else:
        depth = int(rng.integers(2, 5))
        sizes = [int(rng.integers(2, 5))] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [int(rng.integers(1, 4))]
    seed = int(rng.integers(0, 1000))
    n = int(rng.integers(2, 7))
    return sizes, seed, n


def _loop_case(name, sizes, seed, n, batch_seed):
    def make():
        net = Network(sizes, seed=seed, weight_scale=1.0)
        for l in net.b:  # biases away from 0, so a slip that ignores them shows
            net.b[l] = np.random.default_rng(seed + l).normal(0.0, 0.5, size=net.b[l].shape)
        rng = np.random.default_rng(batch_seed)
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.uniform(size=(n, sizes[-1]))
        return net, net.forward(X), Y
    return Case(name, make, f"sizes {sizes}, a batch of {n}")


def _loop_cases():
    cases = [Case("the notebook's network", lambda: (lambda net, X, y: (net, net.forward(X), y))(*example()),
                  "Network([3, 4, 4, 1]) and its batch of 5")]
    rng = np.random.default_rng(_LOOP_SEED)
    for i in range(N_RANDOM_NETWORKS):
        sizes, seed, n = _random_network(rng)
        cases.append(_loop_case("a hidden random network", sizes, seed, n, _LOOP_SEED + i))
    return cases


def _square_case():
    sizes, seed, n = _random_network(np.random.default_rng(_LOOP_SEED + 100), square=True)
    return _loop_case("a network whose layers are all as wide", sizes, seed, n, _LOOP_SEED + 100)


def observe_gradients(function, args):
    """Run `function(net, fp, Y)`; return (what it returned, the shapes of every W[l] and b[l])."""
    net = args[0]
    shapes = {l: (net.W[l].shape, net.b[l].shape) for l in net.W}
    return function(*args), shapes


def _as_array(value, name):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"{name} holds {shown(value)}, which is not an array of numbers."
    return array, None


def read_layer_gradients(observed):
    """(dL_dW, dL_db), two dicts keyed by layer, as one tuple of floats (W[1], b[1], W[2], ...), or a sentence."""
    value, shapes = observed
    if value is None:
        return None, ("Your function returned None. End it with `return dL_dW, dL_db`: two dicts keyed by layer "
                      "number.")
    if type(value).__name__ == "Gradients":
        value = (value.dL_dW, value.dL_db)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None, f"Expected two dicts, `return dL_dW, dL_db`, but your function returned {shown(value)}."
    numbers_ = []
    layers = sorted(shapes)
    for name, grads, kind in (("dL_dW", value[0], 0), ("dL_db", value[1], 1)):
        if not isinstance(grads, dict):
            return None, (f"{name} should be a dict keyed by layer number, {{1: ..., 2: ...}}, but it is "
                          f"{shown(grads)}.")
        for l in layers:
            if l not in grads:
                return None, (f"{name} has no entry for layer {l}. The loop must run from the output down to layer 1: "
                              "for l in range(net.depth, 0, -1).")
            array, problem = _as_array(grads[l], f"{name}[{l}]")
            if problem:
                return None, problem
            want = shapes[l][kind]
            if array.shape != want:
                if kind == 0 and array.shape == want[::-1]:
                    return None, (f"{name}[{l}] has shape {array.shape}, but W[{l}] has shape {want}: the gradient is "
                                  f"δ[{l}]ᵀ · a[{l - 1}], not a[{l - 1}]ᵀ · δ[{l}].")
                sum_hint = " Sum δ over the samples: delta[l].sum(axis=0)." if kind == 1 else ""
                return None, f"{name}[{l}] has shape {array.shape}, but it must have the shape {want}.{sum_hint}"
            numbers_.extend(float(x) for x in array.ravel())
    return tuple(numbers_), None


def _square_slip(function, slips, read, observe, case):
    """The hint of the first slip in `slips` that the learner's function matches on a square network, or None."""
    observed, error = call_with_time_limit(observe, (function, case.make()))
    if error is not None:
        return None
    try:
        got, problem = read(observed)
    except Exception:
        return None
    if problem:
        return None
    for slip in slips:
        wanted = read(observe(slip.function, case.make()))[0]
        if wanted is not None and same(got, wanted):
            return slip.hint
    return None


def layer_order(depth):
    """The gradients' names in the order backprop computes them: the output layer first, W before b."""
    return [f"dL_{kind}[{l}]" for l in range(depth, 0, -1) for kind in ("dW", "db")]


def _named_gradients(value):
    """{'dL_dW[2]': array, 'dL_db[2]': array, ...} from what a backward function returned."""
    if type(value).__name__ == "Gradients":
        value = (value.dL_dW, value.dL_db)
    dL_dW, dL_db = value
    return {**{f"dL_dW[{l}]": w for l, w in dL_dW.items()}, **{f"dL_db[{l}]": b for l, b in dL_db.items()}}


def layer_cause(output_delta, slope):
    """cause(finding) for a layer loop whose output δ is `output_delta` and whose hidden slope is `slope`
    (both as the notebook writes them): one thing to try, or None."""
    def cause(finding):
        kind, r = finding.kind, finding.factor
        if finding.same_everywhere and r is not None:
            if abs(r - 2) < 1e-6:
                return (f"The ½ in the loss cancels the 2 from the square, so no 2 is left: δ[D] = {output_delta}."
                        if "σ′" in output_delta else f"Cross-entropy has no square, so no 2: δ[D] = {output_delta}.")
            if abs(r + 1) < 1e-6:
                return f"∂L/∂ŷ is prediction minus target: δ[D] = {output_delta}."
            if r > 2:
                return f"The loss is the mean over the N samples, so δ[D] = {output_delta}: divide by N."
            if r < 0.5:
                return f"Divide by N once, where δ[D] starts: δ[D] = {output_delta}."
        layer = int(finding.name[finding.name.index("[") + 1:-1])
        n = finding.batch_size
        if finding.name.startswith("dL_db") and r is not None and n and abs(r * n - 1) < 1e-6:
            return ("δ already holds the 1/N of the average: sum it over the samples, delta[l].sum(axis=0), "
                    "rather than taking its mean.")
        weights = [k for k in finding.right + finding.also_off + [finding.name] if k.startswith("dL_dW")]
        if (r is not None and n and abs(r - n) < 1e-6 * n and set(weights) <= set(finding.same_factor + [finding.name])
                and not any(k.startswith("dL_db") for k in finding.also_off)):
            return ("Every ∂L/∂W is N times too large while the biases are right: δ lacks the 1/N of the average, "
                    f"and taking the mean for ∂L/∂b hid it there. δ[D] = {output_delta}; "
                    "∂L/∂b[l] = delta[l].sum(axis=0).")
        if finding.name.startswith("dL_db") and f"dL_dW[{layer}]" in finding.right:
            return (f"dL_dW[{layer}] is right, so δ[{layer}] is: ∂L/∂b[{layer}] is δ[{layer}] summed over the samples, "
                    "delta[l].sum(axis=0).")
        if kind == "transpose" and finding.name.startswith("dL_dW"):
            return f"∂L/∂W[{layer}] = δ[{layer}]ᵀ · a[{layer - 1}]: one row per neuron of layer {layer}."
        top = max(int(n[n.index("[") + 1:-1]) for n in finding.right + finding.also_off + [finding.name])
        if layer < top and f"dL_dW[{top}]" in finding.right and f"dL_db[{top}]" in finding.right:
            return (f"Layer {top} is right, so δ[{top}] is: look at the line that takes δ down a layer, "
                    f"δ[l−1] = (δ[l] · W[l]) ⊙ {slope}.")
        if layer == top:
            return (f"Start at the output: δ[D] = {output_delta}, then ∂L/∂W[D] = δ[D]ᵀ · a[D−1], "
                    "∂L/∂b[D] = Σ δ[D].")
        return None
    return cause


def explain_layer_loop(cases, expected, cause, observe=observe_gradients, read=read_layer_gradients):
    """explain(function) for diagnose.after_check: the learner's function on every case (None if one fails to
    give readable gradients), then where the first case that differs goes wrong, and how."""
    def explain(function):
        runs = []
        for case in cases:
            observed = observe(function, case.make())
            if read(observed)[1]:
                return None
            args = case.make()
            runs.append((case, observed[0], observe(expected, args)[0], args[0].depth, len(args[2])))
        for i, (case, got, right, depth, n) in enumerate(runs):
            told = diagnose.compare(_named_gradients(got), _named_gradients(right), layer_order(depth), batch_size=n,
                                    cause=cause, where="" if i == 0 else f"On {case.name}, ")
            if told:
                return told
        return None
    return explain


def check_layer_loop(function, *, cases, expected, slips, square_slips, what, praise, arguments="net, fp, Y",
                     read=read_layer_gradients, observe=observe_gradients, square_case=_square_case, cause=None):
    """check_function, then, if wrong, a look at a square network for slips whose shapes only fit there, then
    (no slip named) where the gradients first differ and how (helpers.diagnose)."""
    started = time.monotonic()
    feedback = check_function(function, cases=cases, expected=expected, read=read, observe=observe, slips=slips,
                              arguments=arguments, what=what, praise=praise)
    if feedback.status == WRONG and callable(function) and not any(s.hint == feedback.message for s in slips):
        hint = _square_slip(function, square_slips, read, observe, square_case())
        if hint:
            return Feedback(WRONG, hint)
    if cause is None:
        return feedback
    return diagnose.after_check(feedback, function, explain_layer_loop(cases, expected, cause, observe, read),
                                slips=slips, started=started, expected=expected)


def backward(function):
    """Check `backward(net, fp, Y)`: (dL_dW, dL_db) for an all-sigmoid Network with loss ½(ŷ − y)², on
    the notebook's network and hidden random architectures."""
    return check_layer_loop(
        function, cases=_loop_cases(), expected=backward_solution, slips=BACKWARD_SLIPS, square_slips=SQUARE_SLIPS,
        what="backward", cause=layer_cause("(ŷ − y)/N ⊙ σ′(z[D])", "σ′(z[l−1])"),
        praise=("Every weight and every bias of every layer matches net.backward, on the notebook's network and "
                "on random ones: one loop, any depth."))


# The fork section's checks (the 2-2-2 network) live in their own module; the notebook calls them as check.<name>.
from .nb06_fork import *  # noqa: E402, F401, F403
