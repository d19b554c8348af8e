"""Training loops: forward → loss → backward → update → repeat.

Every run is replayable: the same network, data, learning rate, epochs, batch size and seed give
the same history, number for number.
"""

from array import array
from dataclasses import dataclass, field

import numpy as np

from .. import validate
from ..core.activations import _sigmoid_number
from ..core.network import MAX_TARGET, Network
from ..core.tiny import _LARGEST_SQUARABLE, EXAMPLE_INPUTS, EXAMPLE_TARGET, WEIGHT_NAMES, TwoTwoOne

# A loss above this is treated as diverged: the numbers are about to overflow.
DIVERGED_LOSS = 1e12
# The most epochs one call of `train` runs, and the most updates (epochs × batches per epoch): a
# million updates of the course's networks take about a minute; 10**9 would take days.
MAX_EPOCHS = 100_000
MAX_UPDATES = 1_000_000
# The most steps one call of `descend_tiny` runs: a million take under two seconds and their path
# 48 MB (six float64 numbers a step). Notebook 05's longest run is 4,000 steps.
MAX_STEPS = 1_000_000
# A run at least this long shows a progress bar when it runs in a notebook (about half a second of
# work or more); shorter runs, and every run outside a notebook, show none.
PROGRESS_FROM_UPDATES = 20_000
PROGRESS_FROM_STEPS = 250_000


class TrainingInterrupted(KeyboardInterrupt):
    """A run stopped by the learner (the notebook's stop button, Ctrl-C, or a callback that raises
    KeyboardInterrupt). Its message says what state the run left; `result` holds what had run: the
    History of the finished epochs (train) or the TinyPath of the finished steps (descend_tiny)."""

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


def _at_most(value, name, bound, why):
    if value > bound:
        raise ValueError(f"{name} must be at most {bound:,} ({why}), but got {value:,}")
    return value


class _ProgressBar:
    """A progress bar (ipywidgets IntProgress) under the running cell, only in a notebook's kernel.

    `update(done)` moves it at most about a hundred times a run; `close()` removes it.
    """

    def __init__(self, total, label, show):
        self.total, self.bar, self.every, self.next = total, None, max(1, total // 100), 0
        if show is False or (show is None and not _in_notebook()):
            return
        try:
            import ipywidgets
            from IPython.display import display
        except ImportError:  # no widgets: the run simply shows nothing
            return
        self.bar = ipywidgets.IntProgress(value=0, min=0, max=total, description=label, bar_style="info")
        display(self.bar)

    def update(self, done):
        if self.bar is not None and done >= self.next:
            self.bar.value = done
            self.next = done + self.every

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


@dataclass
class History:
    """What happened during training.

    loss[i] is the training loss after i epochs (loss[0] before any update); accuracy likewise
    for classifiers (else an empty list); test_loss and test_accuracy when test data was given.
    diverged is True when the loss stopped being a finite number, and training stopped there.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    diverged: bool = False

    @property
    def epochs(self):
        """How many epochs actually ran."""
        return len(self.loss) - 1


def is_classifier(net):
    """True when net's loss is a classification loss (binary or categorical cross-entropy)."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a helpers Network, but got {validate.describe(net)}")
    return net.loss.name in ("binary_cross_entropy", "cross_entropy")


def _check_classifier(net, what):
    if not isinstance(net, Network):
        raise TypeError(f"net must be a helpers Network, but got {validate.describe(net)}")
    if not is_classifier(net):
        raise ValueError(f"{what} needs a classifier (loss 'binary_cross_entropy' or 'cross_entropy'), but net's "
                         f"loss is {net.loss.name!r}: its outputs are numbers, not class probabilities")


def number_of_classes(net):
    """How many classes a classifier tells apart: 2 for one sigmoid output, else one per output."""
    _check_classifier(net, "number_of_classes")
    return 2 if net.sizes[-1] == 1 else net.sizes[-1]


def predict_labels(net, X):
    """Class labels (N,) from a classifier: the most probable class, or ŷ > 0.5 for one output.

    Used in notebook 01.
    """
    _check_classifier(net, "predict_labels")
    y_hat = net.forward(X).y_hat
    if y_hat.shape[1] == 1:
        return (y_hat[:, 0] > 0.5).astype(np.int64)
    return np.argmax(y_hat, axis=1).astype(np.int64)


def accuracy(net, X, y):
    """The fraction of samples whose predicted label equals y (labels (N,) or one-hot (N, K)).

    net must be a classifier; labels are whole numbers from 0 to K − 1 (0 or 1 for one output).

    Used in notebooks 01, 07, 08, 09 and 10.
    """
    _check_classifier(net, "accuracy")
    X = net.check_inputs(X)
    y = validate.as_array(y, "y", ndim=(1, 2))
    labels = np.argmax(y, axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"y holds {labels.shape[0]} labels but X holds {X.shape[0]} samples")
    k = number_of_classes(net)
    fractional = labels[labels != np.round(labels)]
    if fractional.size:
        raise ValueError(f"y must hold whole-number class labels, but it holds {fractional[0]:g}")
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"y must hold class labels from 0 to {k - 1} for this network, but it holds values from "
                         f"{labels.min():g} to {labels.max():g}")
    return float(np.mean(predict_labels(net, X) == labels))


def _finite_network(net):
    return all(np.all(np.isfinite(net.W[l])) and np.all(np.isfinite(net.b[l])) for l in net.W)


def _outputs_in_range(fp):
    """False once outputs pass 1e150 (or overflow): their squared error would pass the largest float."""
    return bool(np.all(np.abs(fp.y_hat) < MAX_TARGET))  # NaN compares False, so it counts as out of range


def _loss_and_pass(net, X, Y):
    """(net's loss on (X, Y), or inf once its weights or outputs have blown up; the forward pass, or None)."""
    if not _finite_network(net):
        return np.inf, None
    fp = net._forward(X)
    return (net._loss_value(fp, Y) if _outputs_in_range(fp) else np.inf), fp


def _recorded_accuracy(net, X, Y, fp, first):
    """accuracy(net, X, Y) during training, read from the forward pass fp that the loss already ran.

    The first record of a run goes through accuracy() itself, which checks the labels in Y (they do
    not change while training). Later records reuse fp, unless a weighted sum z or an activation has
    overflowed (then accuracy() is called, and says so as it always has) or net runs its own forward().
    """
    if (first or fp is None or type(net).forward is not Network.forward
            or type(net)._checked_forward is not Network._checked_forward
            or not all(np.all(np.isfinite(fp.z[l])) and np.all(np.isfinite(fp.a[l])) for l in range(1, net.depth + 1))):
        return accuracy(net, X, Y)
    labels = np.argmax(Y, axis=1) if Y.shape[1] > 1 else Y.reshape(-1)
    y_hat = fp.y_hat
    if y_hat.shape[1] == 1:  # as predict_labels reads ŷ
        predicted = (y_hat[:, 0] > 0.5).astype(np.int64)
    else:
        predicted = np.argmax(y_hat, axis=1).astype(np.int64)
    return float(np.mean(predicted == labels))


def train(net, X, y, *, eta, epochs, batch_size=None, seed=0, X_test=None, y_test=None, callback=None,
          progress=None):
    """Train `net` in place by mini-batch gradient descent and return its History.

    X (N, inputs) and y: the training data. eta: the learning rate. epochs: passes over the data,
    at most MAX_EPOCHS (100,000), and at most MAX_UPDATES (1,000,000) updates in all (epochs times
    the batches of an epoch). batch_size: samples per update (None: the whole set, one update per
    epoch). seed: a whole number >= 0 that fixes the order in which samples are shuffled each epoch
    (None: a new order every run). X_test, y_test: optional data to score after each epoch.
    callback(epoch, history): a function of two arguments, called after each epoch, e.g. to redraw a
    figure. progress: None shows a progress bar in a notebook for a run of PROGRESS_FROM_UPDATES
    updates or more; True shows it for any run in a notebook; False never.

    Every argument is checked before the network changes. A run whose loss or outputs blow up
    stops early with history.diverged set, rather than raising or warning. Interrupted (the stop
    button, or a callback raising KeyboardInterrupt), it puts back the weights net had after its last
    finished epoch and raises TrainingInterrupted, whose `result` is the History of those epochs.

    Used in notebooks 05, 07, 08 and 09.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a helpers Network, but got {validate.describe(net)}")
    X = net.check_inputs(X)
    Y = net.check_targets(y, X.shape[0])
    eta = validate.learning_rate(eta)
    epochs = validate.positive_int(epochs, "epochs", minimum=0)
    n = X.shape[0]
    batch_size = n if batch_size is None else validate.positive_int(batch_size, "batch_size")
    _at_most(epochs, "epochs", MAX_EPOCHS, "the most train runs in one call")
    updates = epochs * -(-n // batch_size)
    if updates > MAX_UPDATES:
        raise ValueError(f"epochs × batches per epoch must be at most {MAX_UPDATES:,} updates, but {epochs:,} epochs of "
                         f"{-(-n // batch_size):,} batches ({n} samples, batch_size {batch_size}) make {updates:,}; "
                         "use fewer epochs or larger batches")
    seed = validate.seed(seed)
    if callback is not None:
        validate.function(callback, "callback", "`def show(epoch, history): ...`, called after each epoch",
                          arguments=2)
    scored = X_test is not None or y_test is not None
    if scored:
        if X_test is None or y_test is None:
            raise ValueError("give both X_test and y_test, or neither")
        X_test = net.check_inputs(X_test, "X_test")
        Y_test = net.check_targets(y_test, X_test.shape[0], "y_test")
    net._check_weights()
    rng = np.random.default_rng(seed)
    history = History()
    classifier = is_classifier(net)

    def record():
        # Blown-up weights or outputs end the run as "diverged": no exception, no warning.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss, fp = _loss_and_pass(net, X, Y)
            if not np.isfinite(loss) or loss > DIVERGED_LOSS:
                history.diverged = True
                return False
            history.loss.append(loss)
            if classifier:
                history.accuracy.append(_recorded_accuracy(net, X, Y, fp, first=len(history.loss) == 1))
            if scored:
                test_loss, test_fp = _loss_and_pass(net, X_test, Y_test)
                history.test_loss.append(test_loss)
                if classifier:
                    history.test_accuracy.append(_recorded_accuracy(net, X_test, Y_test, test_fp,
                                                                    first=len(history.test_loss) == 1))
        return True

    kept = ({l: w.copy() for l, w in net.W.items()}, {l: v.copy() for l, v in net.b.items()}, 0, 0)
    running = None  # the epoch under way, until it is finished and recorded
    bar = _ProgressBar(epochs, "epochs", progress if progress is not None else (None if updates >= PROGRESS_FROM_UPDATES
                                                                               else False))
    try:
        if not record():
            return history
        kept = kept[:2] + (1, 0)
        for epoch in range(1, epochs + 1):
            running = epoch
            order = rng.permutation(n)
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for start in range(0, n, batch_size):
                    batch = order[start:start + batch_size]
                    fp = net._forward(X[batch])
                    if not _outputs_in_range(fp):
                        history.diverged = True  # the outputs blew up mid-epoch
                        break
                    net.step(net._backward(fp, Y[batch]), eta)
            if history.diverged or not record():
                break
            # What an interruption goes back to: this epoch, finished and recorded.
            kept = ({l: w.copy() for l, w in net.W.items()}, {l: v.copy() for l, v in net.b.items()},
                    len(history.loss), epoch)
            running = None
            bar.update(epoch)
            if callback is not None:
                callback(epoch, history)
    except KeyboardInterrupt:
        W, b, records, finished = kept
        net.W, net.b = W, b
        for name in ("loss", "accuracy", "test_loss", "test_accuracy"):
            del getattr(history, name)[records:]
        undone = f" (the unfinished epoch {running} was undone)" if running else ""
        raise TrainingInterrupted(
            f"Training stopped after {finished} of {epochs} epochs, as you asked. The network holds the weights it "
            f"had after epoch {finished}{undone}; the History of those epochs is this exception's `result`.",
            history) from None
    finally:
        bar.close()
    return history


@dataclass
class TinyPath:
    """A gradient-descent run of the 2-2-1 network on its one sample.

    weights has shape (steps + 1, 4), columns w1..w4, row 0 the start; loss and y_hat have
    shape (steps + 1,). diverged is True when the numbers blew up (the run stops there).
    """

    weights: np.ndarray
    loss: np.ndarray
    y_hat: np.ndarray
    diverged: bool


def descend_tiny(net, eta, steps, x1=EXAMPLE_INPUTS[0], x2=EXAMPLE_INPUTS[1], y=EXAMPLE_TARGET, *,
                 free=WEIGHT_NAMES, progress=None):
    """Run `steps` updates of gradient descent on the 2-2-1 network; return a TinyPath.

    steps: a whole number from 0 to MAX_STEPS (1,000,000). free: the weights that learn, e.g.
    ("w3", "w4"); the others keep their starting values. The default moves all four. progress: None
    shows a progress bar in a notebook for PROGRESS_FROM_STEPS steps or more; True for any run in a
    notebook; False never. Interrupted (the stop button), it raises TrainingInterrupted, whose
    `result` is the TinyPath of the steps that ran; `net` itself never changes.

    Used in notebooks 00, 05 and 07.
    """
    if not isinstance(net, TwoTwoOne):
        raise TypeError(f"net must be a TwoTwoOne, but got {validate.describe(net)}")
    eta = validate.learning_rate(eta)
    steps = validate.positive_int(steps, "steps", minimum=0)
    _at_most(steps, "steps", MAX_STEPS, "the most descend_tiny runs in one call")
    free = _free_weights(free)
    net.chain(x1, x2, y)  # checks x1, x2 and y, and that the starting loss is a finite number
    # The path is kept in compact arrays of float64 (8 bytes a number), not in lists of Python floats.
    weights, losses, y_hats = array("d"), array("d"), array("d")
    bar = _ProgressBar(steps, "steps", progress if progress is not None else (None if steps >= PROGRESS_FROM_STEPS
                                                                             else False))
    try:
        if type(net) is TwoTwoOne:
            diverged = _descend_plain(net, eta, steps, x1, x2, y, free, (weights, losses, y_hats), bar)
        else:  # a subclass may compute its own chain: follow it, one Chain per step
            diverged = _descend_chains(net, eta, steps, x1, x2, y, free, (weights, losses, y_hats), bar)
    except KeyboardInterrupt:
        done = min(len(weights) // 4, len(losses), len(y_hats))
        path = _tiny_path(weights, losses, y_hats, done, False)
        raise TrainingInterrupted(
            f"descend_tiny stopped after {max(done - 1, 0):,} of {steps:,} steps, as you asked. Your network is "
            "unchanged (descend_tiny never changes it); the path of the steps that ran is this exception's `result`.",
            path) from None
    finally:
        bar.close()
    return _tiny_path(weights, losses, y_hats, len(losses), diverged)


def _tiny_path(weights, losses, y_hats, rows, diverged):
    return TinyPath(np.frombuffer(weights, dtype=float, count=4 * rows).reshape(rows, 4),
                    np.frombuffer(losses, dtype=float, count=rows), np.frombuffer(y_hats, dtype=float, count=rows),
                    diverged)


def _descend_chains(net, eta, steps, x1, x2, y, free, path, bar):
    """descend_tiny's loop through TwoTwoOne.chain: a Chain and a new TwoTwoOne per step."""
    weights, losses, y_hats = path
    diverged = False
    current = net
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(steps + 1):
            chain = current.chain(x1, x2, y)
            weights.extend((current.w1, current.w2, current.w3, current.w4))
            losses.append(chain.loss)
            y_hats.append(chain.y_hat)
            bar.update(i)
            if i == steps:
                break
            new = {name: getattr(current, name) - eta * g for name, g in chain.gradients.items() if name in free}
            if not all(np.isfinite(v) and abs(v) < 1e6 for v in new.values()) or chain.loss > DIVERGED_LOSS:
                diverged = True
                break
            current = TwoTwoOne(**{**current.weights, **new})
    return diverged


def _descend_plain(net, eta, steps, x1, x2, y, free, path, bar):
    """descend_tiny's loop on plain floats: the same operations, in the same order, as TwoTwoOne.chain
    (σ from activations._sigmoid_number) and Chain.gradients, so every number equals _descend_chains'
    to the last bit, about 20 times faster (notebook 05 runs 64,000 steps)."""
    x1, x2, y = (validate.as_number(v, n) for v, n in ((x1, "x1"), (x2, "x2"), (y, "y")))  # as chain() takes them
    w1, w2, w3, w4 = net.w1, net.w2, net.w3, net.w4
    move1, move2, move3, move4 = (name in free for name in WEIGHT_NAMES)
    weights, losses, y_hats = path
    diverged = False
    sigmoid = _sigmoid_number  # a local name is found faster in a loop of 64,000 steps
    tick = bar.every if bar.bar is not None else steps + 1  # the bar moves every `tick` steps, if shown
    for i in range(steps + 1):
        if i == tick:
            bar.update(i)
            tick += bar.every
        z1, z2 = w1 * x1, w2 * x2
        h1, h2 = sigmoid(z1), sigmoid(z2)
        y_hat = w3 * h1 + w4 * h2
        error = y_hat - y
        if not abs(error) < _LARGEST_SQUARABLE:
            TwoTwoOne(w1, w2, w3, w4).chain(x1, x2, y)  # raises chain()'s own error about the size of ŷ − y
        loss = error * error
        weights.extend((w1, w2, w3, w4))
        losses.append(loss)
        y_hats.append(y_hat)
        if i == steps:
            break
        dL_dy_hat = 2.0 * (y_hat - y)
        # w − η ∂L/∂w for each free weight, each gradient multiplied out as Chain.gradients does it
        new1 = w1 - eta * (dL_dy_hat * w3 * (h1 * (1.0 - h1) * x1)) if move1 else w1
        new2 = w2 - eta * (dL_dy_hat * w4 * (h2 * (1.0 - h2) * x2)) if move2 else w2
        new3 = w3 - eta * (dL_dy_hat * h1) if move3 else w3
        new4 = w4 - eta * (dL_dy_hat * h2) if move4 else w4
        # A moved weight must stay finite and below 1e6 (NaN fails `abs(v) < 1e6` too); the loss below 1e12.
        if (loss > DIVERGED_LOSS or (move1 and not abs(new1) < 1e6) or (move2 and not abs(new2) < 1e6)
                or (move3 and not abs(new3) < 1e6) or (move4 and not abs(new4) < 1e6)):
            diverged = True
            break
        w1, w2, w3, w4 = new1, new2, new3, new4
    return diverged


def _free_weights(free):
    """The set of weight names in `free` (one name or several), each checked against w1..w4."""
    if isinstance(free, str):
        names = (free,)
    elif isinstance(free, (list, tuple, set, frozenset)):
        names = tuple(free)
    else:
        raise TypeError(f"free must name the weights that learn, such as 'w3' or ('w3', 'w4'), but got "
                        f"{validate.describe(free)}")
    return {validate.choice(name, "free", WEIGHT_NAMES) for name in names}
