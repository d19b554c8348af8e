"""Numerical gradients by centred differences, and how to compare two gradients.

Centred differences, (f(θ + ε) − f(θ − ε)) / 2ε, are accurate to about ε², against ε for the
one-sided kind, so in float64 with ε = 1e-5 they agree with an exact gradient to 1e-8 or better.
ε is the size of the nudge (older code calls it h; `h=` is still accepted).
"""

import numpy as np

from .. import validate
from ..core.activations import _float32_sigmoid

# How to read relative_error(exact, numerical). These lines assume float64 arithmetic and centred
# differences with ε = 1e-5. They do not apply in float32: there the loss keeps only about 7 digits,
# and on notebook 06's Network([3, 4, 4, 1]) with ε = 1e-5 rounding alone gives 2.5e-3 to 0.27 per
# part (every part reads 'bug'); the best ε, near 1e-2, still leaves up to about 2.5e-4 (see
# float32_gradient_check). Check gradients in float64.
#   below 1e-7   the gradients agree: no sign of a bug in this part;
#   1e-7 to 1e-4 suspicious: fine near a kink (ReLU at 0), otherwise look closer;
#   above 1e-4   almost certainly a bug in the backward pass.
AGREE = 1e-7
SUSPICIOUS = 1e-4

# A nudge is small next to the numbers it nudges; one above 1 measures a chord, not a slope.
MAX_NUDGE = 1.0

KINDS = ("W", "b")
"""The two kinds of parameter of a layer, in the order `Network.parameters()` lays them out."""


def _nudge(eps, h):
    """The nudge size, from eps or (older name) h, checked to be a small positive number."""
    name = "eps"
    if h is not None:
        eps, name = h, "h"
    eps = validate.as_number(eps, name)
    if not 0 < eps <= MAX_NUDGE:
        raise ValueError(f"{name} (the nudge) must be a small positive number, at most {MAX_NUDGE:g}, but got {eps}")
    return eps


def _network(net, name="net"):
    """net itself, if it is a helpers Network; otherwise a TypeError that says what came instead."""
    from ..core.network import Network  # here, not at the top: network.py must not depend on this module

    if not isinstance(net, Network):
        raise TypeError(f"{name} must be a helpers Network, such as Network([2, 3, 1]), but got "
                        f"{validate.describe(net)}")
    return net


def _nudge_fits(x, eps, name):
    """Refuse a nudge that rounding swallows: x + ε == x, so f is compared with itself."""
    if np.any(x + eps == x) or np.any(x - eps == x):
        largest = float(np.max(np.abs(x)))
        raise ValueError(f"eps = {eps:g} is lost in rounding next to {name} = {largest:g} (x + ε == x in float64); "
                         f"use a larger eps or a smaller {name}")


def _one_number(value, what):
    """The number a learner's function returned, or a clear error when it returned something else."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if value is None:
        raise TypeError(f"f must return a number, but {what} returned None; did you forget `return`?")
    if isinstance(value, np.ndarray):
        raise TypeError(f"f must return one number (the loss), but {what} returned an array of shape {value.shape}; "
                        "sum or average it into one number")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"f must return a number, but {what} returned {validate.describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"f must return a finite number, but {what} returned {value}")
    return value


def _difference_quotient(f_plus, f_minus, eps, name):
    """(f_plus − f_minus) / 2ε, or a clear error when it is too large for a float."""
    with np.errstate(over="ignore", invalid="ignore"):
        slope = (f_plus - f_minus) / (2.0 * eps)
    if not np.isfinite(slope):
        raise ValueError(f"the slope (f({name} + ε) − f({name} − ε)) / 2ε = ({f_plus:g} − ({f_minus:g})) / {2 * eps:g} is "
                         "too large for a float64; try a smaller input or a larger eps")
    return float(slope)


# Seconds one call of a learner's function may take here (f in numerical_derivative and numerical_gradient, the
# backward pass in check_backward_function). Their functions finish in milliseconds, so this only ever stops a
# loop that never ends. Read at each call, so the tests can shorten it.
TIME_LIMIT = 5.0


def _is_course_code(function):
    """True for the course's own functions (a loss helpers builds), which run here without a child process."""
    return getattr(function, "__module__", None) is not None and function.__module__.startswith("helpers.")


def _cell_note(error):
    """' (raised at line 3 of your cell: `return x / 0`)' for an error raised in a notebook cell's code, or ''."""
    from ..checking.hints import cell_line

    found = cell_line(error)
    if not found:
        return ""
    number, line = found
    return f" (raised at line {number} of your cell" + (f": `{line}`)" if line else ")")


def _guarded(function, name, body):
    """body(call) with call(what, *args) = function(*args); a learner's function runs in a child process
    (helpers.sandbox), stopped after TIME_LIMIT seconds per call and capped in memory. body's result must be
    JSON (floats, lists). An error inside comes back as the same kind of error, with the same message."""
    if _is_course_code(function):
        return body(lambda what, *args: function(*args))
    from ..checking import sandbox

    def task(calls):
        def call(what, *args):
            with calls.watch(what):
                return function(*args)
        try:
            return {"value": body(call)}
        except Exception as error:
            return {"error": type(error).__name__, "message": str(error) + _cell_note(error)}

    result = sandbox.run(task, time_limit=TIME_LIMIT, note=False, per_call=True)
    ending = result.ending
    if ending is not None:
        where = f" when called as {ending.where}" if ending.where else ""
        if ending.kind == "time":
            raise TimeoutError(f"{name} did not finish within {TIME_LIMIT:g} s{where}: an endless loop, or a loop "
                               "over far more steps than needed?")
        if ending.kind == "memory":
            raise MemoryError(f"{name} ran out of memory{where}: look for a list or array that grows without end")
        raise RuntimeError(f"{name} ended the process that ran it{where}; remove any exit() from it")
    if "error" in result.value:
        raise sandbox.rebuilt_error(result.value["error"], result.value["message"])
    return result.value["value"]


def numerical_derivative(f, x, eps=1e-5, *, h=None):
    """df/dx at the number x by centred differences: (f(x + ε) − f(x − ε)) / 2ε.

    Your f runs in a separate process, stopped (TimeoutError naming f) if one call takes over TIME_LIMIT seconds.

    Used in notebooks 03, 04, 06 and 10.
    """
    f = validate.function(f, "f", "`lambda x: x ** 2`", arguments=1)
    x = validate.as_number(x, "x")
    eps = _nudge(eps, h)
    _nudge_fits(x, eps, "x")

    def both(call):
        plus, minus = f"f(x + ε) = f({x + eps!r})", f"f(x − ε) = f({x - eps!r})"
        with np.errstate(all="ignore"):  # an overflow inside f is reported below, by name, not as a warning
            f_plus, f_minus = call(plus, x + eps), call(minus, x - eps)
        return [_one_number(f_plus, plus), _one_number(f_minus, minus)]

    f_plus, f_minus = _guarded(f, "f", both)
    return _difference_quotient(f_plus, f_minus, eps, "x")


def numerical_gradient(f, theta, eps=1e-5, *, h=None):
    """∂f/∂θ for every entry of the array θ, nudging one entry at a time by ε and holding the rest.

    f takes an array shaped like θ and returns a number. Returns a float64 array shaped like θ.
    θ itself is left unchanged, and each call of f gets its own copy, so an f that changes its argument
    cannot spoil the next nudge. Your f runs in a separate process, stopped (TimeoutError naming f) if one
    call takes over TIME_LIMIT seconds.

    Used in notebook 03.
    """
    f = validate.function(f, "f", "`lambda theta: np.sum(theta ** 2)`", arguments=1)
    theta = validate.as_array(theta, "theta").copy()
    eps = _nudge(eps, h)
    _nudge_fits(theta, eps, "theta")

    def every_entry(call):
        slopes = []
        flat = theta.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            where = f"theta[{i}]" if theta.ndim == 1 else f"theta.flat[{i}]"
            flat[i] = old + eps
            with np.errstate(all="ignore"):  # an overflow inside f is reported below, by name
                f_plus = call(f"f(theta) with {where} + ε", theta.copy())
            f_plus = _one_number(f_plus, f"f(theta) with {where} + ε")
            flat[i] = old - eps
            with np.errstate(all="ignore"):
                f_minus = call(f"f(theta) with {where} − ε", theta.copy())
            f_minus = _one_number(f_minus, f"f(theta) with {where} − ε")
            flat[i] = old
            slopes.append(_difference_quotient(f_plus, f_minus, eps, where))
        return slopes

    return np.array(_guarded(f, "f", every_entry), dtype=np.float64).reshape(theta.shape)


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖): 0 when the gradients are equal, 1 when they point opposite ways.

    Both zero counts as agreement (0.0). Compare the result with AGREE and SUSPICIOUS above.

    Used in notebooks 04 and 09.
    """
    a = validate.as_array(a, "a")
    b = validate.as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; compare gradients of the same shape")
    largest = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
    if largest == 0:
        return 0.0
    if not 1e-100 < largest < 1e100:  # near the float limits the norms overflow or underflow: rescale first
        a, b = a / largest, b / largest
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale)


def verdict(error):
    """How to read one relative error (float64): 'agree' below AGREE, 'suspicious' up to SUSPICIOUS, else 'bug'.

    Used in notebooks 08 and 09.
    """
    error = _error(error)
    if error < AGREE:
        return "agree"
    return "suspicious" if error <= SUSPICIOUS else "bug"


def _error(error, name="error"):
    """A relative error: a finite number of at least 0 (relative_error gives 0 to 1)."""
    error = validate.as_number(error, name)
    if error < 0:
        raise ValueError(f"{name} must be a relative error, a number of at least 0, but got {error}")
    return error


def shown(error):
    """A relative error as text that is the same on every machine.

    Below AGREE, and between AGREE and SUSPICIOUS, the digits are mostly rounding noise, which differs
    from one machine (and one linear-algebra library) to the next: give the range instead. Above
    SUSPICIOUS, give two digits.

    Used in notebooks 06, 08 and 09.
    """
    error = _error(error)
    if error < AGREE:
        return f"below {AGREE:g}"
    if error <= SUSPICIOUS:
        return f"{AGREE:g} to {SUSPICIOUS:g}"
    return f"{error:.2g}"


def network_numerical_gradient(net, X, y, eps=1e-5, *, h=None):
    """The gradient of net's loss on (X, y) by centred differences, as one flat vector.

    The order matches `net.parameters()` and `net.flat_gradients(...)`. The network is unchanged.

    Used in notebooks 06, 08 and 09.
    """
    X = _network(net).check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    work = net.copy()
    if not _plain_network(work):  # a subclass that computes its own forward pass or loss: use them as they are
        def loss_at(theta):
            work.set_parameters(theta)
            return work._loss_value(work._forward(X), Y)

        return numerical_gradient(loss_at, net.parameters(), eps, h=h)
    return _layered_numerical_gradient(work, X, Y, net.parameters(), _nudge(eps, h))


def _plain_network(net):
    """True when net's forward pass, loss and parameter layout are Network's own (not a subclass's)."""
    from ..core.network import Network

    return all(getattr(type(net), name) is getattr(Network, name)
               for name in ("_forward", "_loss_value", "set_parameters", "parameters"))


def _layered_numerical_gradient(work, X, Y, theta, eps):
    """numerical_gradient(loss of `work` at θ, θ) for a plain Network, the same numbers to the last bit, faster.

    Nudging one parameter of layer l leaves the layers below it as they were, so their activations are
    computed once and only layers l to D are run again; the nudge is written into the weight array
    itself instead of loading a whole new θ. Each loss comes from the same arrays and the same
    operations as a full forward pass on θ with that one entry nudged.
    """
    theta = validate.as_array(theta, "theta").copy()
    _nudge_fits(theta, eps, "theta")
    work.set_parameters(theta)  # fresh arrays laid out as set_parameters lays them out
    with np.errstate(all="ignore"):
        base = work._forward(X)
    grad = np.zeros_like(theta)
    i = 0
    for l in range(1, work.depth + 1):
        for param in (work.W[l], work.b[l]):
            flat = param.reshape(-1)  # a view: writing into it nudges the network's own array
            for j in range(flat.size):
                old = flat[j]
                where = f"theta[{i}]"
                flat[j] = old + eps
                f_plus = _one_number(_loss_from_layer(work, base, l, Y), f"f(theta) with {where} + ε")
                flat[j] = old - eps
                f_minus = _one_number(_loss_from_layer(work, base, l, Y), f"f(theta) with {where} − ε")
                flat[j] = old
                grad[i] = _difference_quotient(f_plus, f_minus, eps, where)
                i += 1
    return grad


def _loss_from_layer(net, base, first, Y):
    """net's loss when layers below `first` are as in the ForwardPass `base`: Network._forward from layer `first` up."""
    fp = type(base)()
    for l in range(first):
        fp.a[l] = base.a[l]
        if l:
            fp.z[l] = base.z[l]
    with np.errstate(all="ignore"):  # an overflow is reported by name, as numerical_gradient does
        for l in range(first, net.depth + 1):
            fp.z[l] = fp.a[l - 1] @ net.W[l].T + net.b[l]
            fp.a[l] = net.activations[l](fp.z[l])
        return net._loss_value(fp, Y)


def parameter_parts(net):
    """Where each part of net.parameters() lies: {(l, 'W'): slice, (l, 'b'): slice} for l = 1..D, in order."""
    parts, start = {}, 0
    _network(net)
    for l in range(1, net.depth + 1):
        for kind, size in (("W", net.W[l].size), ("b", net.b[l].size)):
            parts[(l, kind)] = slice(start, start + size)
            start += size
    return parts


class GradientCheck(float):
    """The result of `check_network_gradients`: the relative error of every part, and the worst of them.

    As a number it is the WORST relative error over all parts (each layer's W and each layer's b),
    so `check < AGREE` holds only when every part agrees. Attributes:

    errors: {(l, 'W'): error, (l, 'b'): error} for l = 1..D, the relative error of that part alone.
    whole: the single relative error over all parameters at once. It can look fine while one
        part is badly wrong, when that part's gradients are tiny next to the others'.
    verdicts: {(l, kind): 'agree' | 'suspicious' | 'bug'}; verdict: the worst of them.
    passed: False as soon as one part reads 'bug'. A part whose gradient is tiny (the first layers of
        a deep sigmoid net) can read 'suspicious' with a correct backward pass: its relative error
        is then mostly the rounding of the finite differences, which does not shrink with the gradient.
    """

    def __new__(cls, errors, whole):
        if not isinstance(errors, dict) or not errors:
            raise TypeError("errors must be a dict {(l, 'W'): error, (l, 'b'): error, ...} with at least one part, "
                            f"but got {validate.describe(errors)}")
        errors = {part: _error(error, f"errors[{part!r}]") for part, error in errors.items()}
        check = super().__new__(cls, max(errors.values()))
        check.errors = errors
        check.whole = _error(whole, "whole")
        return check

    @property
    def verdicts(self):
        """{(l, kind): verdict of that part's relative error}."""
        return {part: verdict(error) for part, error in self.errors.items()}

    @property
    def verdict(self):
        """The worst verdict of any part: one failing part fails the whole check."""
        return verdict(float(self))

    @property
    def passed(self):
        """False when any part, one layer's W or b, reads 'bug': one failing part fails the check."""
        return self.verdict != "bug"

    @property
    def failing(self):
        """The parts whose verdict is 'bug', as (l, kind) pairs in layer order."""
        return [part for part, v in self.verdicts.items() if v == "bug"]

    def report(self):
        """One line per part, then the overall verdict: ready to print, the same on every machine (see `shown`)."""
        lines = []
        for (l, kind), error in self.errors.items():
            lines.append(f"layer {l} {kind}: relative error {shown(error):>16}  {verdict(error)}")
        if self.verdict == "agree":
            lines.append("overall: passed, every part agrees")
        elif self.passed:
            closer = ", ".join(f"layer {l} {kind}" for (l, kind), v in self.verdicts.items() if v == "suspicious")
            lines.append(f"overall: passed, no part reads 'bug'; look closer at {closer}")
        else:
            where = ", ".join(f"layer {l} {kind}" for l, kind in self.failing)
            lines.append(f"overall: FAILED, a bug in {where}")
        return "\n".join(lines)

    def __repr__(self):
        return f"GradientCheck(worst={float(self):.3g}, verdict={self.verdict!r}, whole={self.whole:.3g})"

    def __reduce__(self):
        return (GradientCheck, (self.errors, self.whole))


def compare_gradients(net, exact, numerical):
    """A GradientCheck from two flat gradients laid out as net.parameters(): per layer and kind, and whole.

    Used in notebook 08.
    """
    _network(net)
    exact = validate.as_array(exact, "exact", ndim=1)
    numerical = validate.as_array(numerical, "numerical", ndim=1)
    if exact.size != net.num_parameters or numerical.size != net.num_parameters:
        raise ValueError(f"exact and numerical must each have {net.num_parameters} values (one per parameter), "
                         f"but have {exact.size} and {numerical.size}")
    errors = {part: relative_error(exact[where], numerical[where]) for part, where in parameter_parts(net).items()}
    return GradientCheck(errors, relative_error(exact, numerical))


def check_network_gradients(net, X, y, eps=1e-5, *, h=None):
    """Compare net's backward pass with centred differences on (X, y), layer by layer and W apart from b.

    Returns a GradientCheck: a number (the worst part's relative error) that also holds every part's
    error and verdict. Read it with AGREE and SUSPICIOUS, which assume float64. A check that passes
    says the backward pass matches the loss on this network and batch; it cannot vouch for the update,
    the learning rate, or inputs it was not run on.

    Used in notebooks 04, 06, 08 and 09.
    """
    _, grads = _network(net).gradients(X, y)
    return compare_gradients(net, net.flat_gradients(grads), network_numerical_gradient(net, X, y, eps, h=h))


# The units float32_gradient_check can compute: f(z), and f′ from z and a = f(z), all in float32.
_FLOAT32_UNITS = {
    "sigmoid": (_float32_sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(np.float32)),
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
}
_FLOAT32_LOSSES = ("squared_error", "half_squared_error", "mse")


def _float32_loss(name, y_hat, Y):
    """The squared loss `name` of losses.py, computed in float32: (its value, ∂L/∂ŷ)."""
    n, k = Y.shape
    gap = y_hat - Y
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "mse":
            return np.mean(gap * gap), 2 * gap / np.float32(n * k)
        per_sample = np.mean(np.sum(gap * gap, axis=1))
        if name == "half_squared_error":
            return np.float32(0.5) * per_sample, gap / np.float32(n)
        return per_sample, 2 * gap / np.float32(n)


def _float32_forward(W, b, units, X):
    """Every z[l] and a[l] in float32 (lists, index 0 unused for z)."""
    z, a = [None], [X]
    with np.errstate(over="ignore", invalid="ignore"):
        for l in range(1, len(W)):
            z.append(a[-1] @ W[l].T + b[l])
            a.append(units[l][0](z[-1]))
    return z, a


def float32_gradient_check(net, X, y, eps=1e-5, *, h=None):
    """check_network_gradients with every number in float32 (single precision), as much GPU training runs.

    The forward pass, the loss, the backward pass and the centred differences are all computed in
    float32, which keeps about 7 significant digits against float64's 16. The relative errors that
    come back are then mostly rounding, and AGREE and SUSPICIOUS, which assume float64, do not apply
    to them: the point of this function is to show that. For hidden and output units sigmoid, tanh,
    relu or linear, and a squared loss (squared_error, half_squared_error or mse).
    Returns a GradientCheck, as check_network_gradients does.

    Used in notebook 06.
    """
    _network(net)
    names = [net.activations[l].name for l in range(1, net.depth + 1)]
    unknown = [name for name in names if name not in _FLOAT32_UNITS]
    if unknown or net.loss.name not in _FLOAT32_LOSSES:
        raise ValueError(f"net must use {', '.join(_FLOAT32_UNITS)} units and a squared loss "
                         f"({', '.join(_FLOAT32_LOSSES)}) for float32_gradient_check, but it has "
                         f"activations {names} and loss {net.loss.name!r}")
    X = net.check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    eps = np.float32(_nudge(eps, h))
    units = [None] + [_FLOAT32_UNITS[name] for name in names]
    with np.errstate(over="ignore"):
        X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
        W = [None] + [net.W[l].astype(np.float32) for l in range(1, net.depth + 1)]
        b = [None] + [net.b[l].astype(np.float32) for l in range(1, net.depth + 1)]
    for name, array, wide in (("X", X32, X), ("y", Y32, Y)):
        if not np.all(np.isfinite(array)) or np.any((array == 0) & (wide != 0)):
            raise ValueError(f"{name} holds {np.max(np.abs(wide)):.3g}, which float32 cannot hold (its numbers "
                             "lie between about 1e-38 and 3e38 in size); scale it to values near 1")

    def loss_and_slope():
        z, a = _float32_forward(W, b, units, X32)
        value, dL_da = _float32_loss(net.loss.name, a[-1], Y32)
        if not np.isfinite(value):
            raise ValueError("the loss overflows float32: X, y or the weights are too large; scale X to values near 1")
        return value, dL_da, z, a

    _, dL_da, z, a = loss_and_slope()
    exact = {}
    delta = dL_da * units[net.depth][1](z[-1], a[-1])
    for l in range(net.depth, 0, -1):
        exact[l] = (delta.T @ a[l - 1], delta.sum(axis=0))
        if l > 1:
            delta = (delta @ W[l]) * units[l - 1][1](z[l - 1], a[l - 1])
    numerical = []
    for l in range(1, net.depth + 1):
        for param in (W[l], b[l]):
            flat = param.reshape(-1)
            for j in range(flat.size):
                old = flat[j]
                if old + eps == old or old - eps == old:
                    raise ValueError(f"eps = {float(eps):g} is lost in rounding next to a parameter of "
                                     f"{float(old):g} in float32; use a larger eps")
                flat[j] = old + eps
                plus = loss_and_slope()[0]
                flat[j] = old - eps
                minus = loss_and_slope()[0]
                flat[j] = old
                numerical.append((plus - minus) / (2 * eps))
    backprop = np.concatenate([part.ravel() for l in range(1, net.depth + 1) for part in exact[l]])
    return compare_gradients(net, backprop.astype(np.float64), np.array(numerical, dtype=np.float64))


def gradient_costs(net, n_samples):
    """Multiply-adds spent on one full gradient for a batch of n_samples, both ways.

    A layer's matrix product costs (neurons in) × (neurons out) multiply-adds per sample. The
    forward pass pays it once per layer; the backward pass pays it for ∂L/∂W and again to send δ
    down (except below layer 1), so backward ≈ 2 × forward. Finite differences run two forward
    passes per parameter, so their cost grows with (number of parameters)².
    Returns {'forward': ..., 'backward': ..., 'backprop': forward + backward, 'finite_differences': ...}.

    Used in notebook 06.
    """
    _network(net)
    n_samples = validate.positive_int(n_samples, "n_samples")
    products = [net.sizes[l - 1] * net.sizes[l] for l in range(1, net.depth + 1)]
    forward = n_samples * sum(products)
    backward = n_samples * (sum(products) + sum(products[1:]))
    return {"forward": forward, "backward": backward, "backprop": forward + backward,
            "finite_differences": 2 * net.num_parameters * forward}


def check_backward_function(backward, net, X, y, eps=1e-5, *, h=None):
    """Like check_network_gradients, for a backward pass you wrote: `backward(net, fp, Y)` must return
    (dL_dW, dL_db), two dicts keyed by layer number. Returns a GradientCheck, layer by layer.

    Y is the targets as net.backward sees them (one-hot rows for a softmax network). Your backward runs in a
    separate process, stopped (TimeoutError naming backward) if it takes over TIME_LIMIT seconds.

    Used in notebook 08.
    """
    validate.function(backward, "backward", "your function backward(net, fp, Y)", arguments=3)
    X = _network(net).check_inputs(X)
    Y = net.check_targets(y, X.shape[0])

    def gradients(call):
        result = call("backward(net, fp, Y)", net.copy(), net.forward(X), Y)
        if not (isinstance(result, (tuple, list)) and len(result) == 2 and all(isinstance(r, dict) for r in result)):
            raise TypeError("backward must return (dL_dW, dL_db), two dicts keyed by layer number, but it returned "
                            f"{validate.describe(result)}")
        dL_dW, dL_db = result
        parts = []
        for l in range(1, net.depth + 1):
            for name, grads, param in (("dL_dW", dL_dW, net.W[l]), ("dL_db", dL_db, net.b[l])):
                if l not in grads:
                    raise ValueError(f"{name} has no entry for layer {l}; it needs one for every layer 1 to "
                                     f"{net.depth}")
                grad = validate.as_array(grads[l], f"{name}[{l}]")
                if grad.shape != param.shape:
                    raise ValueError(f"{name}[{l}] has shape {grad.shape}, but the parameter has shape {param.shape}")
                parts.extend(float(v) for v in grad.ravel())
        return parts

    exact = np.array(_guarded(backward, "backward", gradients), dtype=np.float64)
    return compare_gradients(net, exact, network_numerical_gradient(net, X, Y, eps, h=h))
