"""Cat or dog, trained while you watch: learning rate, hidden units and epochs in; curves and boundary out.

The network is 2 → hidden (tanh) → 2 (softmax) with cross-entropy loss, trained by full-batch
gradient descent on the standardised training set; the test set is scored after every epoch.
Training takes a moment, so it runs when Train is pressed, not on every slider move. The dashboard
opens on a run it has already trained with its starting settings, so the figure (and the still picture
that a reader without a kernel sees) shows curves and a boundary, not an empty plot.

    training_dashboard()     # sliders for η, hidden units and epochs; a Train button
"""

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..plots import style
from .. import validate
from ..data import CLASS_NAMES, Standardizer, load_cat_dog, train_test_split
from ..core.network import Network
from ..plots import decision_boundary, loss_curve
from ..practice.training import TrainingInterrupted, train
from ._base import CourseWidget, drawing, FigureView, _plain, fmt, loss_diverged, new_figure, round_slider, round_values, short
from ._base import start_number, start_whole
from ._counts import IntSlider

ETA_EXPONENTS = (-3, 2)      # η from 0.001 to 100 on a log scale
ETAS = round_values(10.0 ** ETA_EXPONENTS[0], 10.0 ** ETA_EXPONENTS[1])
"""The η slider's stops: 0.001, 0.0012, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.006, 0.008, 0.01, ... 100
(51 round numbers, 50 presses of an arrow key from end to end). A starting η between them is a stop of its own."""
HIDDEN_RANGE = (1, 16)
EPOCH_RANGE = (10, 500)
EPOCH_STEP = 10
PROGRESS_UPDATES = 20        # how often a run's progress bar moves: every 5 % of its epochs
TEST_COLOUR = style.PALETTE["blue"]
FIGSIZE = (11.0, 4.3)
"""4.3 inches tall: at 1366x768 the controls, the picture and the result line fit together."""
PRESENTATION_FIGSIZE = (8.7, 3.0)
"""In presentation mode (drawn 1.25 times larger: 1088 x 375 px): no wider than a 1280x720 projector's notebook,
so the picture is shown at the size it is drawn and its smallest text stays 18 px tall; short enough that
two rows of sliders, the plan, the result line and the picture fit together on that screen."""


@dataclass
class CatDogData:
    """The cat-or-dog set split with seed 0 and standardised with the training set's numbers.

    X_train (225, 2), X_test (75, 2): standardised features; y_train, y_test: labels 0 (cat) / 1 (dog);
    scaler: the fitted Standardizer.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    scaler: Standardizer


def cat_dog_data():
    """Load, split (seed 0) and standardise the cat-or-dog data set; returns a CatDogData."""
    X, y = load_cat_dog()
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    scaler = Standardizer().fit(X_train)
    return CatDogData(scaler.transform(X_train), scaler.transform(X_test), y_train, y_test, scaler)


def cat_dog_network(hidden):
    """The dashboard's classifier: Network([2, hidden, 2], ['tanh', 'softmax'], 'cross_entropy', seed=0)."""
    hidden = validate.positive_int(hidden, "hidden")
    return Network([2, hidden, 2], ["tanh", "softmax"], "cross_entropy", seed=0)


def run_diverged(history):
    """True when a run diverged by the course's one rule (`_base.loss_diverged`): training stopped on a
    non-finite loss, or the loss kept growing to the end.

    A loss that is finite and merely high is not divergence: with η = 50 the loss ends near 3.0
    while 92 % of the training set is classified right. Such a run is called unstable instead
    (see `loss_spike`).
    """
    return bool(history.diverged) or loss_diverged(history.loss)


def loss_spike(history):
    """The highest training loss of a run divided by its starting loss (1.0 when it never rose)."""
    losses = np.asarray(history.loss, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(np.max(losses) / losses[0])


UNSTABLE_SPIKE = 10.0
"""A run whose loss rose above this many times its start along the way is called unstable."""


def train_cat_dog(data, eta, hidden, epochs, callback=None):
    """Train a fresh cat_dog_network(hidden) full-batch on data's training set. Returns (net, History).

    The test set is scored after every epoch (History.test_loss, test_accuracy). callback(epoch, history)
    is called after each epoch (helpers.training.train's callback).
    """
    net = cat_dog_network(hidden)
    history = train(net, data.X_train, data.y_train, eta=eta, epochs=epochs,
                    X_test=data.X_test, y_test=data.y_test, callback=callback)
    return net, history


class TrainingDashboard(CourseWidget):
    """Sliders for η, hidden units and epochs, a Train button, loss and accuracy curves and the boundary.

    Controls: `eta_slider` (round numbers from 0.001 to 100, ETAS), `hidden_slider` (1..16), `epochs_slider`
    (10..500), `train_button`. Moving a slider only updates `plan_label` (what Train will run);
    pressing Train trains a fresh network (seed 0) and redraws once; while it trains, the button reads
    "Training…" and `progress` (an IntProgress, shown only then) fills every 5 % of the epochs; stopped
    (the notebook's stop button), the run is dropped, `result_label` says so and the figure keeps the
    run before it. A value outside a count slider's range, set from code, is refused with a TraitError
    (the slider keeps its value). It opens
    on the run of its starting settings, trained while it is built. Labels (HTML): `plan_label`,
    `result_label` (final train and test accuracy, or 'diverged'). State: `data` (a CatDogData),
    `net`, `history`, `diverged`, `runs` (how many times Train ran; the opening run is not counted).
    Artists: `loss_curves` and `accuracy_curves` (dicts 'train'/'test' of plots.LossCurve), `boundary`
    (a plots.DecisionBoundary), on axes `loss_ax`, `accuracy_ax`, `boundary_ax`. The legend of each
    curve panel (`loss_ax.get_legend()`, `accuracy_ax.get_legend()`) sits above its axes, beside the
    title, where no curve can reach it.
    """

    title = "Cat-or-dog training dashboard"

    @drawing
    def __init__(self, eta=0.5, hidden=8, epochs=200):
        eta = start_number(eta, "eta", 10.0 ** ETA_EXPONENTS[0], 10.0 ** ETA_EXPONENTS[1])
        hidden = start_whole(hidden, "hidden", *HIDDEN_RANGE)
        epochs = start_whole(epochs, "epochs", *EPOCH_RANGE, step=EPOCH_STEP)
        self.data = cat_dog_data()
        self.eta_slider = round_slider(eta, ETAS, "η (eta)")
        self.hidden_slider = IntSlider(
            value=hidden, min=HIDDEN_RANGE[0], max=HIDDEN_RANGE[1], description="hidden units",
            continuous_update=True, style={"description_width": "initial"},
        )
        self.epochs_slider = IntSlider(
            value=epochs, min=EPOCH_RANGE[0], max=EPOCH_RANGE[1], step=EPOCH_STEP, description="epochs",
            continuous_update=True,
        )
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play",
                                           tooltip="train a fresh network with these settings")
        self.plan_label = widgets.HTML()
        self.result_label = widgets.HTML()
        # Filled while Train works (a run of 500 epochs takes a second or more), so the page shows progress.
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="", bar_style="info",
                                            layout=widgets.Layout(width="160px", visibility="hidden"))
        self.runs = 0

        # It opens on the run of its starting settings (a fraction of a second), so the picture shows a
        # trained network from the start, in JupyterLab and in the still a reader without a kernel sees.
        self.net, self.history = train_cat_dog(self.data, eta, hidden, epochs)
        self.diverged = run_diverged(self.history)
        presenting = style.presentation_active()
        self.fig = new_figure(PRESENTATION_FIGSIZE if presenting else FIGSIZE)
        # In presentation mode the curves get the wider half: their titles and legends need the room.
        grid = self.fig.add_gridspec(2, 2, width_ratios=(1.3, 1.0) if presenting else (1.0, 1.25))
        self.loss_ax = self.fig.add_subplot(grid[0, 0])
        self.accuracy_ax = self.fig.add_subplot(grid[1, 0], sharex=self.loss_ax)
        self.boundary_ax = self.fig.add_subplot(grid[:, 1])
        self._draw_static()
        self._update_artists()
        self.view = FigureView(self.fig)
        self._update_plan()

        for slider in (self.eta_slider, self.hidden_slider, self.epochs_slider):
            slider.observe(self._update_plan, names="value")
        self.train_button.on_click(self._on_train)
        if presenting:
            # Two sliders to a row, so each keeps a track long enough to move by hand in front of a room
            # (three to a row squeezed them to about 110 px).
            controls = [widgets.HBox([self.eta_slider, self.hidden_slider]),
                        widgets.HBox([self.epochs_slider, self.train_button, self.progress]), self.plan_label]
        else:
            controls = [widgets.HBox([self.eta_slider, self.hidden_slider, self.epochs_slider]),
                        widgets.HBox([self.train_button, self.progress, self.plan_label])]
        super().__init__([
            *controls,
            self.result_label,
            self.view.image,
        ])

    def _draw_static(self):
        h = self.history
        # Beside a panel a third as tall, the long name ran off the picture; the panel's title says Loss.
        loss_name = "L" if style.presentation_active() else "cross-entropy L"
        self.loss_curves = {
            "train": loss_curve(h.loss, self.loss_ax, label="training set", xlabel="",
                                ylabel=loss_name, title="Loss"),
            "test": loss_curve(h.test_loss, self.loss_ax, label="test set", colour=TEST_COLOUR, xlabel="",
                               ylabel=loss_name, title="Loss"),
        }
        self.accuracy_curves = {
            "train": loss_curve(h.accuracy, self.accuracy_ax, label="training set", xlabel="epoch",
                                ylabel="accuracy", title="Accuracy"),
            "test": loss_curve(h.test_accuracy, self.accuracy_ax, label="test set", colour=TEST_COLOUR,
                               xlabel="epoch", ylabel="accuracy", title="Accuracy"),
        }
        for curves in (self.loss_curves, self.accuracy_curves):
            curves["test"].line.set_linestyle("--")
            ax = curves["test"].ax
            # Title at the left edge, legend at the right, both above the axes: outside the plotting area,
            # where no curve can reach the legend at any η (curves are clipped to the axes).
            ax.set_title(ax.get_title(), loc="center", x=0.0, ha="left")
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize="small", frameon=False,
                      borderaxespad=0.2, handlelength=1.8, columnspacing=1.0)
        X_all = np.concatenate([self.data.X_train, self.data.X_test])
        y_all = np.concatenate([self.data.y_train, self.data.y_test])
        self.boundary = decision_boundary(
            self.net, X_all, y_all, self.boundary_ax, class_names=CLASS_NAMES,
            xlabel="weight (standardised)", ylabel="ear length (standardised)",
            title="Where the network says cat or dog",
        )

    def _update_artists(self):
        h = self.history
        for curves, train_values, test_values in ((self.loss_curves, h.loss, h.test_loss),
                                                  (self.accuracy_curves, h.accuracy, h.test_accuracy)):
            for name, values in (("train", train_values), ("test", test_values)):
                curves[name].update(values)
                # A run of 0 epochs is a single point, which only shows with a marker.
                curves[name].line.set_marker("o" if len(values) == 1 else "None")
        # The curves fit their axes to both lines; accuracy always shows the whole range 0..1.
        self.accuracy_ax.set_ylim(0.0, 1.03)
        with np.errstate(all="ignore"):
            self.boundary.update(self.net)

        if self.diverged:
            start = fmt(h.loss[0], 3)
            end = fmt(h.loss[-1], 3) if not h.diverged else "diverged"
            self.result_label.value = (
                f"<b>diverged</b>: the loss went from {start} to {end} (as high as {fmt(max(h.loss), 3)} "
                f"on the way); the steps overshoot, so lower the learning rate."
            )
        else:
            self.result_label.value = (
                f"After {h.epochs} epochs: <b>train accuracy {fmt(h.accuracy[-1], 3)}</b>, "
                f"<b>test accuracy {fmt(h.test_accuracy[-1], 3)}</b> "
                f"(loss {fmt(h.loss[-1], 3)} on the training set, {fmt(h.test_loss[-1], 3)} on the test set)"
            )
            spike = loss_spike(h)
            if h.loss[-1] > h.loss[0]:
                self.result_label.value += (
                    f"<br><b>unstable</b>: the loss jumps about and ended above its start of {fmt(h.loss[0], 3)} "
                    f"(as high as {fmt(max(h.loss), 3)} on the way); the steps overshoot, so lower η."
                )
            elif spike > UNSTABLE_SPIKE:
                self.result_label.value += (
                    f"<br><b>unstable</b>: on the way the loss jumped to {fmt(max(h.loss), 3)}, "
                    f"{spike:.0f} times its start; η is close to too high."
                )

    def still_lines(self):
        """The result line under the figure in the still picture: the accuracies and losses of the run shown."""
        return [_plain(line) for line in self.result_label.value.split("<br>")]

    def _settings(self):
        return self.eta_slider.value, self.hidden_slider.value, self.epochs_slider.value

    def _update_plan(self, change=None):
        eta, hidden, epochs = self._settings()
        self.plan_label.value = (
            f"Train runs {epochs} epochs of full-batch gradient descent with η = {short(eta)} "
            f"on a 2-{hidden}-2 network, from fresh random weights."
        )

    @drawing
    def _on_train(self, button=None):
        eta, hidden, epochs = self._settings()
        self.train_button.disabled = True
        self.train_button.description = "Training…"
        self.progress.max, self.progress.value = epochs, 0
        self.progress.layout.visibility = "visible"
        every = max(1, epochs // PROGRESS_UPDATES)

        def show_progress(epoch, history):
            if epoch % every == 0 or epoch == epochs:
                self.progress.value = epoch

        try:
            self.net, self.history = train_cat_dog(self.data, eta, hidden, epochs, callback=show_progress)
            self.diverged = run_diverged(self.history)
            self.runs += 1
            self._update_artists()
            self.view.render()
        except TrainingInterrupted as stopped:  # the stop button: the dashboard keeps showing the run before
            self.result_label.value = (f"Training stopped after {stopped.result.epochs} of {epochs} epochs, as you "
                                       "asked. The curves and the boundary still show the run before it.")
        finally:
            self.progress.value = self.progress.max
            self.progress.layout.visibility = "hidden"
            self.train_button.disabled = False
            self.train_button.description = "Train"


def training_dashboard(eta=0.5, hidden=8, epochs=200):
    """Show the cat-or-dog training dashboard. Returns a TrainingDashboard.

    eta: 0.001 to 100; hidden: 1 to 16 hidden units; epochs: 10 to 500 in steps of 10.

    Used in notebook 07.
    """
    return TrainingDashboard(eta=eta, hidden=hidden, epochs=epochs)
