"""Notebook 07, exercise 7: the learner's mini-batch training loop, checked by what a right loop does.

The learner writes `train_loop(net, X, Y, eta, epochs, batch_size, seed)` and returns the list of
training losses: before any update, then after each epoch. Any order of the samples is right (a
fresh shuffle each epoch, one shuffle, no shuffle at all), so the check does not compare numbers with
one random stream. It hands the loop a watched copy of the network that writes down every batch the
loop runs forward and backward and every change of the weights, and then checks what a right loop
must do:

1. each batch pairs the inputs of some samples with the targets of the same samples;
2. each update is W − η ∂L/∂W for every weight and bias, ∂L/∂W the gradient of the batch it used;
3. each epoch uses every sample exactly once, in batches of batch_size (the last one may be shorter);
4. losses[0] is the loss on the whole training set before any update, losses[k] after epoch k.

The first property that fails names the slip. Everything the watcher returns is plain numbers and
text, so it can travel from wherever the learner's function ran.
"""

import math

import numpy as np

from ..checking.codecheck import Case, Slip, check_function, shown
from ..data import load_cat_dog, train_test_split
from ..core.network import Network

_LOOP_SEED = 707
N_HIDDEN_RUNS = 4
# The notebook's example: its cat-or-dog network, 3 epochs of batches of 25 with η = 0.5, seed 0.
LOOP_EXAMPLE = {"eta": 0.5, "epochs": 3, "batch_size": 25, "seed": 0}
# An update or a recorded loss is right when it agrees with the right one to about six significant digits,
# as codecheck.TOLERANCE asks of every code exercise.
_AGREE = 1e-6


def train_loop_solution(net, X, Y, eta, epochs, batch_size, seed):
    """Each epoch: shuffle the sample numbers, walk through them batch by batch, forward, backward, update;
    after it, the loss on the whole training set."""
    rng = np.random.default_rng(seed)
    losses = [net.loss_value(X, Y)]
    n = len(X)
    for epoch in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            fp = net.forward(X[batch])
            grads = net.backward(fp, Y[batch])
            net.step(grads, eta)
        losses.append(net.loss_value(X, Y))
    return losses


# ---- The watched network ----

class _WatchedNetwork(Network):
    """A Network that writes down what a training loop does with it.

    log.batches: one entry per backward pass (or forward pass that no backward pass followed before
    an update): the sample numbers of its inputs (None when they are not rows of X) and whether its
    targets are those samples' targets. log.updates: one entry per change of the weights, with the
    weights before and after and the batch the loop last ran backward. Its methods compute what
    Network's do, through the private passes, so they work however Network's public ones are wrapped.
    """

    def _watch(self, X, Y):
        self._X = np.array(X, dtype=float)
        self._Y = Network.check_targets(self, Y, len(self._X))
        self._rows = {row.tobytes(): i for i, row in enumerate(self._X)}
        self._seen = self._weights()
        self._last_batch = None
        self.batches, self.updates = [], []

    def _weights(self):
        return ({l: np.array(w, dtype=float, copy=True) for l, w in self.W.items()},
                {l: np.array(v, dtype=float, copy=True) for l, v in self.b.items()})

    def _notice(self):
        """Write down an update if the weights changed since they were last seen."""
        try:
            now = self._weights()
        except (TypeError, ValueError):
            return
        before = self._seen
        if all(l in now[0] and l in now[1] and np.array_equal(before[0][l], now[0][l])
               and np.array_equal(before[1][l], now[1][l]) for l in before[0]):
            return
        self.updates.append((before, now, self._last_batch))
        self._seen = now
        self._last_batch = None

    def _sample_numbers(self, X):
        """Which rows of the training set X holds, in order, or None if some row is not one of them."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self._X.shape[1]:
            return None
        found = []
        for row in X:
            i = self._rows.get(row.tobytes())
            if i is None:  # a copy in another precision: the nearest row, if it is that row
                distance = np.max(np.abs(self._X - row), axis=1)
                i = int(np.argmin(distance))
                if distance[i] > 1e-6 * (1.0 + np.max(np.abs(row))):
                    return None
            found.append(i)
        return tuple(found)

    def _batch(self, X, Y):
        rows = self._sample_numbers(X)
        paired = rows is not None and np.allclose(Y, self._Y[list(rows)], rtol=0, atol=1e-12)
        return rows, bool(paired)

    def forward(self, X):
        self._notice()
        self._check_weights()
        fp = self._checked_forward(self.check_inputs(X))
        if self._last_batch is None or self._last_batch[2] != "backward":
            self._last_batch = (self._sample_numbers(fp.a[0]), True, "forward")
        return fp

    def backward(self, fp, y):
        self._notice()
        self._check_forward_pass(fp)
        Y = self.check_targets(y, fp.a[0].shape[0])
        rows, paired = self._batch(fp.a[0], Y)
        self._last_batch = (rows, paired, "backward")
        self.batches.append((rows, paired))
        return self._backward(fp, Y)

    def gradients(self, X, y):
        self._notice()
        X = self.check_inputs(X)
        self._check_weights()
        Y = self.check_targets(y, X.shape[0])
        rows, paired = self._batch(X, Y)
        self._last_batch = (rows, paired, "backward")
        self.batches.append((rows, paired))
        fp = self._checked_forward(X)
        return self._loss_value(fp, Y), self._backward(fp, Y)

    def loss_value(self, X, y):
        self._notice()
        X = self.check_inputs(X)
        self._check_weights()
        return self._loss_value(self._checked_forward(X), self.check_targets(y, X.shape[0]))

    def step(self, grads, eta):
        self._notice()
        Network.step(self, grads, eta)
        self._notice()


def _plain(net, weights):
    """A plain Network with net's layers and the given (W, b)."""
    twin = net._template.copy()
    twin.W, twin.b = ({l: w.copy() for l, w in weights[0].items()}, {l: v.copy() for l, v in weights[1].items()})
    return twin


def _whole_loss(net, weights):
    plain = _plain(net, weights)
    with np.errstate(all="ignore"):
        return plain._loss_value(plain._forward(net._X), net._Y)


def _batch_loss(net, weights, rows):
    plain = _plain(net, weights)
    with np.errstate(all="ignore"):
        return plain._loss_value(plain._forward(net._X[list(rows)]), net._Y[list(rows)])


def _agree(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return bool(np.all(np.abs(a - b) <= _AGREE * scale + 1e-15))


# ---- What the loop returned ----

def _read_losses(value, epochs):
    """The returned history as a list of floats, or (None, a sentence saying what is wrong with it)."""
    if value is None:
        return None, "Your function returned None. End it with `return losses`, the list of recorded losses."
    if type(value).__name__ == "History":
        value = value.loss
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__"):
        return None, f"Expected a list of losses, but your function returned {shown(value)}."
    if len(value) != epochs + 1:
        return None, (f"Your list holds {len(value)} losses, but {epochs} epochs need {epochs + 1}: the loss before "
                      "any update, then one after each epoch.")
    losses = []
    for item in value:
        if isinstance(item, np.ndarray) and item.size == 1:
            item = item.item()
        if isinstance(item, bool) or not isinstance(item, (int, float, np.floating, np.integer)):
            return None, f"Each loss must be one number, but your list holds {shown(item)}."
        losses.append(float(item))
    return losses, None


# ---- The hints: one per property, in the order a loop runs ----

NO_UPDATE = ("Your loop never changed the network's weights. After each batch's backward pass, update them: "
             "net.step(grads, eta).")
NOT_ROWS = ("A batch your loop trained on is not made of rows of X. Pick whole samples by their numbers: "
            "X[batch] and Y[batch], with batch a slice of the order of the sample numbers.")
MISPAIRED = ("You shuffled X but not y: each batch pairs shuffled inputs with the targets in their old order, so the "
             "network learns from wrong labels. Index both with the same batch of sample numbers: X[batch], Y[batch].")
ADDS = "The loss climbs: your update adds the gradient. Step against it, W − η ∂L/∂W, or call net.step(grads, eta)."
BIASES_STILL = ("Your update changes the weights W but never the biases b. Each bias learns too: b − η ∂L/∂b, "
                "with grads.dL_db[l]; net.step(grads, eta) updates both.")
ONE_UPDATE = ("One update per epoch: you trained on the whole set at once. Slice the shuffled order into batches of "
              "batch_size: for start in range(0, n, batch_size): batch = order[start:start + batch_size].")
SHORT_BATCH_DROPPED = ("The last, shorter batch is missing: when n is not a multiple of batch_size, range(0, n, "
                       "batch_size) still reaches it, and order[start:start + batch_size] simply gives fewer samples.")
FIRST_LOSS = ("losses[0] must be the loss on the whole training set before any update: net.loss_value(X, Y), "
              "computed before the first epoch.")
LAST_BATCH_LOSS = ("You recorded the loss of the last batch only. After each epoch record the loss on the whole "
                   "training set: net.loss_value(X, Y).")
MEAN_BATCH_LOSS = ("You recorded the average of the batch losses during the epoch, each measured before its update. "
                   "The history holds the loss on the whole training set after the epoch: net.loss_value(X, Y).")
PRAISE = ("Every epoch uses each sample exactly once, every update is η times the gradient of its own batch, and "
          "each loss is the whole set's after its epoch: that is all `train` does. Any order of the samples passes. "
          "`train` draws a fresh one every epoch, so that the batches are not the same groups of samples epoch "
          "after epoch.")


def _update_problem(net, eta, number, update):
    """The hint for an update that is not W − η ∂L/∂W of its batch, or None when it is."""
    before, after, batch = update
    if batch is None:
        return None  # net.step with gradients that came from elsewhere: judged by their size below
    rows, paired, _ = batch
    if rows is None:
        return NOT_ROWS
    if not paired:
        return MISPAIRED
    plain = _plain(net, before)
    with np.errstate(all="ignore"):
        grads = plain._backward(plain._forward(net._X[list(rows)]), net._Y[list(rows)])
    layers = sorted(before[0])
    try:
        dW = {l: after[0][l] - before[0][l] for l in layers}
        db = {l: after[1][l] - before[1][l] for l in layers}
    except (KeyError, ValueError):
        return None
    right_W = all(_agree(dW[l], -eta * grads.dL_dW[l]) for l in layers)
    right_b = all(_agree(db[l], -eta * grads.dL_db[l]) for l in layers)
    if right_W and right_b:
        return None
    if all(_agree(dW[l], eta * grads.dL_dW[l]) and _agree(db[l], eta * grads.dL_db[l]) for l in layers):
        return ADDS
    if right_W and all(not np.any(db[l]) for l in layers):
        return BIASES_STILL
    wanted = np.concatenate([(-eta * grads.dL_dW[l]).ravel() for l in layers] + [-eta * grads.dL_db[l] for l in layers])
    made = np.concatenate([dW[l].ravel() for l in layers] + [db[l] for l in layers])
    k = int(np.argmax(np.abs(wanted)))
    ratio = made[k] / wanted[k] if wanted[k] else math.nan
    if math.isfinite(ratio) and ratio != 0 and _agree(made, ratio * wanted):
        direction = "in the right direction" if ratio > 0 else "the wrong way (up the slope)"
        return (f"Update {number} moves every weight and bias {direction}, {abs(ratio):.4g} times as far as W − "
                f"η ∂L/∂W would, with η = {eta:g} and the gradient of that update's own batch. Look at the learning "
                "rate and at any factor or sign in your update.")
    return (f"Update {number} is not W − η ∂L/∂W of its batch: change each weight and bias by −η times its "
            "gradient from that batch's backward pass, once per batch, or call net.step(grads, eta).")


def _count_problem(updates, n, batch_size, epochs):
    """The hint for batches that do not use every sample once per epoch in batches of batch_size, or None."""
    per_epoch = -(-n // batch_size)
    sizes = [len(u[2][0]) if u[2] is not None and u[2][0] is not None else None for u in updates]
    if len(updates) == epochs and all(s == n for s in sizes) and per_epoch > 1:
        return ONE_UPDATE
    if n % batch_size and len(updates) == epochs * (per_epoch - 1) and all(s == batch_size for s in sizes):
        return SHORT_BATCH_DROPPED
    if len(updates) != epochs * per_epoch:
        return (f"Your loop made {len(updates)} updates in {epochs} epochs, but {n} samples in batches of "
                f"{batch_size} make {per_epoch} batches per epoch, so {epochs * per_epoch} updates: one after each "
                "batch, every batch of every epoch.")
    last = n - (per_epoch - 1) * batch_size
    for epoch in range(epochs):
        chunk = updates[epoch * per_epoch:(epoch + 1) * per_epoch]
        if any(u[2] is None or u[2][0] is None for u in chunk):
            continue  # updates from gradients the watcher did not see: their sizes are judged elsewhere
        used = np.bincount(np.concatenate([np.asarray(u[2][0], dtype=int) for u in chunk]), minlength=n)
        if np.any(used != 1):
            twice, never = np.flatnonzero(used > 1), np.flatnonzero(used == 0)
            example = (f"sample {twice[0]} was used {used[twice[0]]} times" if twice.size else "") + \
                      (" and " if twice.size and never.size else "") + \
                      (f"sample {never[0]} never" if never.size else "")
            return (f"In epoch {epoch + 1}, {example}. Each epoch must use every sample exactly once: shuffle the "
                    "sample numbers with a permutation (order = rng.permutation(n)), then slice that order into "
                    "batches, rather than drawing samples at random.")
        sizes_here = sorted(len(u[2][0]) for u in chunk)
        if sizes_here != sorted([batch_size] * (per_epoch - 1) + [last]):
            return (f"In epoch {epoch + 1} your batches hold {', '.join(str(s) for s in sizes_here)} samples; with "
                    f"{n} samples and batch_size {batch_size} they hold {batch_size} each"
                    + (f", and one holds the {last} left over." if last != batch_size else "."))
    return None


def _loss_problem(net, losses, updates, n, batch_size, epochs):
    """The hint for a history that is not the whole set's loss before training and after each epoch, or None."""
    per_epoch = -(-n // batch_size)
    start = updates[0][0]
    if not _agree(losses[0], _whole_loss(net, start)):
        return FIRST_LOSS
    for epoch in range(1, epochs + 1):
        chunk = updates[(epoch - 1) * per_epoch:epoch * per_epoch]
        right = _whole_loss(net, chunk[-1][1])
        if _agree(losses[epoch], right):
            continue
        batch_losses = [_batch_loss(net, u[0], u[2][0]) for u in chunk if u[2] is not None and u[2][0] is not None]
        if batch_losses and _agree(losses[epoch], batch_losses[-1]):
            return LAST_BATCH_LOSS
        if batch_losses and _agree(losses[epoch], float(np.mean(batch_losses))):
            return MEAN_BATCH_LOSS
        return (f"losses[{epoch}] is {losses[epoch]:.6g}, but the loss on the whole training set after epoch {epoch} "
                f"is {right:.6g}. After the epoch's last update record net.loss_value(X, Y).")
    return None


def _diagnose(net, value, eta, epochs, batch_size):
    """(None, (epochs, updates)) for a right loop, else (a hint, None)."""
    net._notice()
    losses, problem = _read_losses(value, epochs)
    if problem:
        return problem, None
    updates = net.updates
    if epochs > 0 and not updates:
        return NO_UPDATE, None
    for number, update in enumerate(updates, start=1):
        problem = _update_problem(net, eta, number, update)
        if problem:
            return problem, None
    n = len(net._X)
    problem = _count_problem(updates, n, batch_size, epochs)
    if problem:
        return problem, None
    if epochs == 0:
        return (None if _agree(losses[0], _whole_loss(net, net._seen)) else FIRST_LOSS), (0, 0)
    problem = _loss_problem(net, losses, updates, n, batch_size, epochs)
    return (problem, None) if problem else (None, (epochs, len(updates)))


def observe_loop(function, args):
    """Run the loop on a watched copy of the case's network; (a hint or None, the plain numbers of a right loop).

    Returns only strings and numbers, so the outcome can cross from a child process as JSON.
    """
    net, X, Y, eta, epochs, batch_size, seed = args
    watched = net.copy()
    watched.__class__ = _WatchedNetwork
    watched._template = net.copy()
    watched._watch(X, Y)
    value = function(watched, X, Y, eta, epochs, batch_size, seed)
    problem, numbers = _diagnose(watched, value, eta, epochs, batch_size)
    return problem, None if numbers is None else [float(x) for x in numbers]


def read_loop(observed):
    problem, numbers = observed
    if problem:
        return None, problem
    return tuple(numbers), None


# ---- Slips a learner makes, written out (the tests run each and expect its hint) ----

def _loop(order_of, batches, record, *, update=None, fresh_rng_each_epoch=False):
    """A training loop with one piece swapped for a slip."""
    def loop(net, X, Y, eta, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        losses = [net.loss_value(X, Y)]
        n = len(X)
        for epoch in range(epochs):
            if fresh_rng_each_epoch:
                rng = np.random.default_rng(seed)
            order = order_of(rng, n)
            batch_losses = []
            for x_rows, y_rows in batches(order, n, batch_size):
                fp = net.forward(X[x_rows])
                batch_losses.append(net.loss_value(X[x_rows], Y[y_rows]))
                grads = net.backward(fp, Y[y_rows])
                if update is None:
                    net.step(grads, eta)
                else:
                    update(net, grads, eta)
            losses.append(record(net, X, Y, batch_losses))
        return losses
    return loop


def _shuffled(rng, n):
    return rng.permutation(n)


def _batches(order, n, size):
    return [(order[s:s + size], order[s:s + size]) for s in range(0, n, size)]


def _whole_set(net, X, Y, batch_losses):
    return net.loss_value(X, Y)


def _climb(net, grads, eta):
    for l in range(1, net.depth + 1):
        net.W[l] = net.W[l] + eta * grads.dL_dW[l]
        net.b[l] = net.b[l] + eta * grads.dL_db[l]


def _weights_only(net, grads, eta):
    for l in range(1, net.depth + 1):
        net.W[l] = net.W[l] - eta * grads.dL_dW[l]


TRAIN_LOOP_SLIPS = [
    Slip(_loop(_shuffled, lambda order, n, size: [(order[s:s + size], np.arange(n)[s:s + size])
                                                  for s in range(0, n, size)], _whole_set), MISPAIRED),
    Slip(_loop(_shuffled, _batches, lambda net, X, Y, batch_losses: batch_losses[-1]), LAST_BATCH_LOSS),
    Slip(_loop(_shuffled, _batches, lambda net, X, Y, batch_losses: float(np.mean(batch_losses))), MEAN_BATCH_LOSS),
    Slip(_loop(_shuffled, lambda order, n, size: [(order, order)], _whole_set), ONE_UPDATE),
    Slip(_loop(_shuffled, lambda order, n, size: [(order[s:s + size], order[s:s + size])
                                                  for s in range(0, n - size + 1, size)], _whole_set),
         SHORT_BATCH_DROPPED),
    Slip(_loop(_shuffled, _batches, _whole_set, update=_climb), ADDS),
    Slip(_loop(_shuffled, _batches, _whole_set, update=_weights_only), BIASES_STILL),
]
# Loops that walk the samples in another order are right: every sample once per epoch is all a loop owes.
RIGHT_ORDERS = {
    "never shuffled": _loop(lambda rng, n: np.arange(n), _batches, _whole_set),
    "the generator remade each epoch": _loop(_shuffled, _batches, _whole_set, fresh_rng_each_epoch=True),
}


# ---- The cases ----

def _cat_dog_case():
    def make():
        from .nb07 import _scaler
        scaler, _ = _scaler()
        X, y = load_cat_dog()
        X_train, _, y_train, _ = train_test_split(X, y, seed=0)
        net = Network([2, 8, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
        e = LOOP_EXAMPLE
        return net, scaler.transform(X_train), y_train, e["eta"], e["epochs"], e["batch_size"], e["seed"]
    return Case("the notebook's network", make, "Network([2, 8, 2]), 225 animals, η = 0.5, 3 epochs, batches of 25")


def _random_run(rng, i):
    n = int(rng.integers(11, 24))
    batch_size = int(rng.integers(3, 8))
    if n % batch_size == 0:
        n += 1  # a shorter last batch, so that dropping it shows
    sizes = [int(rng.integers(2, 4)), int(rng.integers(2, 6)), int(rng.integers(2, 4))]
    epochs, seed, net_seed = int(rng.integers(2, 4)), int(rng.integers(0, 100)), int(rng.integers(0, 100))

    def make():
        data = np.random.default_rng(_LOOP_SEED + i)
        X = data.normal(size=(n, sizes[0]))
        labels = data.integers(0, sizes[-1], size=n)
        net = Network(sizes, ["tanh", "softmax"], "cross_entropy", seed=net_seed)
        return net, X, labels, 0.5, epochs, batch_size, seed
    return Case("a hidden random run", make, f"sizes {sizes}, {n} samples, batches of {batch_size}, {epochs} epochs")


def _train_loop_cases():
    rng = np.random.default_rng(_LOOP_SEED)
    return [_cat_dog_case()] + [_random_run(rng, i) for i in range(N_HIDDEN_RUNS)]


def train_loop(function):
    """Check `train_loop(net, X, Y, eta, epochs, batch_size, seed)` by what a right training loop does: every
    sample once per epoch, every update η times its own batch's gradient, the whole set's loss after each epoch."""
    return check_function(
        function, cases=_train_loop_cases(), expected=train_loop_solution, read=read_loop, observe=observe_loop,
        slips=(), arguments="net, X, Y, eta, epochs, batch_size, seed", what="train_loop", praise=PRAISE)
