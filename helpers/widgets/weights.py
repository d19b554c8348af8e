"""The 2-2-1 worked example with a slider per weight: watch ŷ, the loss and each weight's blame.

    weight_explorer()        # sliders w1..w4 and η; Step applies one update, Reset goes back

Each weight's gradient ∂L/∂w is its "blame": how much the loss would rise per unit increase of
that weight. One step of gradient descent moves every weight by −η·∂L/∂w, against its blame.
"""

import ipywidgets as widgets
import numpy as np

from ..plots import style
from ..plots import network_diagram
from ..core.tiny import EXAMPLE_ETA, EXAMPLE_INPUTS, EXAMPLE_TARGET, EXAMPLE_WEIGHTS, WEIGHT_NAMES, TwoTwoOne
from ._base import (
    RENDER_LOCK, BlitView, CourseWidget, FloatSlider, drawing, fmt, log_slider, log_value, loss_diverged, new_figure,
    _plain, short, signed, start_number, start_option, start_values,
)

WEIGHT_RANGE = (-3.0, 3.0)
WEIGHT_STEP = 0.01
ETA_RANGE = (0.01, 5.0)
ETA_EXPONENTS = (np.log10(ETA_RANGE[0]), np.log10(ETA_RANGE[1]))  # η from 0.01 to 5 on a log scale
ETA_MANTISSAS = (1, 1.2, 1.5, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)  # gradient_descent.ETA_KEYS' round values
ETA_KEYS = tuple(v for v in (float(f"{m}e{k}") for k in range(-2, 1) for m in ETA_MANTISSAS) if v <= ETA_RANGE[1])
"""The η an arrow key steps through on the page's slider: 0.01, 0.012, 0.015, ... 0.5, ... 4.5, 5 (40 presses end
to end): gradient_descent.ETA_KEYS up to 5."""
ETA_PAGE_KEYS = tuple(v for v in (float(f"{m}e{k}") for k in range(-2, 1) for m in (1, 2, 5)) if v <= ETA_RANGE[1])
"""The η Page Up and Page Down step through: 0.01, 0.02, 0.05, 0.1, ... 5."""
# Weights beyond this (or NaN) mean the updates have blown up, as in helpers.training.descend_tiny.
DIVERGED_WEIGHT = 1e6
SATURATED_SLOPE = 0.01
"""A hidden sigmoid whose slope σ′(z) = h(1 − h) is below this is saturated: it passes on almost no blame."""
SLIDER_WIDTH = "460px"
"""Name, track and readout: a track of about 290 px, so a drag moves a weight by 0.02 per pixel over −3…3."""
OUT_OF_RANGE_HANDLE = "#D55E00"  # the course's vermillion: this slider rests at its end, the weight lies beyond
# How many of the values a Step put on a slider are remembered, to recognise the browser echoing them back.
ECHOES_KEPT = 16
STATUS_HEIGHT = "4.2em"  # three lines of the status text, at its line height of 1.35
BLAME_LINE_BREAK = "<br>"


def _finite(weights):
    return all(np.isfinite(w) and abs(w) < DIVERGED_WEIGHT for w in weights.values())


def _lines(html):
    """The status text, set a little tighter than the widgets' 28 px rows so three lines fit its room."""
    return f'<div style="line-height: 1.35">{html}</div>'


def _on_grid(value, slider):
    """True when a FloatSlider can show `value` exactly (it lies on the slider's grid of steps)."""
    steps = (value - slider.min) / slider.step
    return abs(steps - round(steps)) < 1e-6


# 10 px shorter than the course's usual figure, so the sliders and the whole diagram fit together
# on a 1366x768 screen in JupyterLab.
FIGSIZE = (style.FIGSIZE[0], style.FIGSIZE[1] - 0.1)
PRESENTATION_FIGSIZE = (style.FIGSIZE[0], 3.5)
"""In presentation mode (drawn 1.25 times larger: 800 x 438 px): with the sliders in pairs above it
and the numbers beside it, the controls and the whole diagram fit a 1280x720 projector together."""
READOUTS_BASIS = "340px"
"""In presentation mode the numbers sit beside the picture when this much room is left, else below it."""

class WeightExplorer(CourseWidget):
    """Sliders for the 2-2-1 network's weights and the learning rate, with live numbers and a diagram.

    Controls: `sliders` (dict 'w1'..'w4' of FloatSlider, −3..3), `eta` (FloatLogSlider, 0.01..5),
    `step_button` (one gradient-descent step; the sliders move), `reset_button` (back to the
    example's weights and η). Labels (HTML): `y_hat_label`, `loss_label`, `blame_label` (one
    line per weight w1..w4: ∂L/∂w with its sign and the update −η·∂L/∂w), `next_y_hat_label` (ŷ
    after one step), `status_label`. Figure: `fig`, `ax`, `diagram` (a plots.NetworkDiagram), `view`.

    `weights` holds the current weights, exactly as the Steps made them: the sliders show them
    rounded to 0.01, and the browser's echo of that rounding is not taken for a learner's move. A
    Step can carry a weight beyond the sliders' range; the labels then use the true value while the
    slider rests at its end with a vermillion handle, and `status_label` (under the buttons, three
    lines kept for it) names the weight, and says so when the hidden sigmoids are saturated
    (`saturated()`). `still_lines()` is the text printed under the still picture.
    """

    title = "Weight explorer (2-2-1 network)"

    @drawing
    def __init__(self, weights=None, eta=EXAMPLE_ETA):
        eta = start_number(eta, "eta", *ETA_RANGE)
        if weights is not None:
            weights = start_values(weights, "weights", {name: WEIGHT_RANGE for name in WEIGHT_NAMES})
        start = dict(EXAMPLE_WEIGHTS if weights is None else TwoTwoOne(**weights).weights)
        self.start_weights, self.start_eta = start, eta
        self.weights = dict(start)
        self._moving_sliders = False
        # The values this widget put on each slider: the browser sends each back rounded to the
        # slider's 0.01 grid, and that echo must not replace the exact weight a Step made.
        self._sent = {name: [] for name in WEIGHT_NAMES}

        self.sliders = {
            name: FloatSlider(value=start[name], min=WEIGHT_RANGE[0], max=WEIGHT_RANGE[1], step=WEIGHT_STEP,
                                      description=name, continuous_update=True, readout_format=".2f",
                                      layout=widgets.Layout(width=SLIDER_WIDTH))
            for name in WEIGHT_NAMES
        }
        self.eta = log_slider(eta, ETA_EXPONENTS, "η (eta)", layout=widgets.Layout(width=SLIDER_WIDTH))
        self.step_button = widgets.Button(description="Step", tooltip="one gradient-descent step: w ← w − η·∂L/∂w",
                                          button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the worked example's weights",
                                           icon="undo")
        self.y_hat_label = widgets.HTML()
        self.loss_label = widgets.HTML()
        # The four blames share one label: a move changes all four, and each label changed is one
        # more message to the browser and one more change to the page before the picture shows.
        self.blame_label = widgets.HTML()
        self.next_y_hat_label = widgets.HTML()
        # Under the buttons, where the column of sliders leaves room: three lines are kept whether
        # or not there is news, so the figure below never jumps.
        self.status_label = widgets.HTML(layout=widgets.Layout(width=SLIDER_WIDTH, height=STATUS_HEIGHT,
                                                               overflow="hidden"))
        self.chain = None

        presenting = style.presentation_active()
        self.fig = new_figure(PRESENTATION_FIGSIZE if presenting else FIGSIZE)
        self.ax = self.fig.add_subplot()
        net = TwoTwoOne(**start)
        # The figure carries the weights and node values; the four blames are in the labels beside
        # it, which keeps each redraw light enough to follow a dragged slider.
        self.diagram = network_diagram(net, values=net.chain(), ax=self.ax, label_boxes=False,
                                       title=f"x = ({EXAMPLE_INPUTS[0]:g}, {EXAMPLE_INPUTS[1]:g}), target y = "
                                             f"{EXAMPLE_TARGET:g}; line width ∝ |w|, dashed if w < 0")
        self._update()
        d = self.diagram
        # x1 and x2 never change here, so their numbers stay in the saved background.
        moving = [*d.edges.values(), d.nodes, *d.node_labels.values(), *d.weight_labels.values(),
                  *(d.value_labels[k] for k in ("h1", "h2", "y_hat"))]
        for label in (*d.weight_labels.values(), *d.value_labels.values()):
            # Every label is anchored inside the axes, so matplotlib's check for an anchor outside
            # them (a point-in-path test per label per draw, 1.4 ms of each move) cannot hide one.
            label.set_annotation_clip(False)
        # A move changes a few of the twelve texts (one weight, the values after it): the rest are
        # pasted as last drawn, not drawn again.
        self.view = BlitView(self.fig, moving, reuse_text=True)

        for name, slider in self.sliders.items():
            slider.observe(self._on_weight, names="value")
        self.eta.observe(self._on_eta, names="value")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())

        if presenting:
            super().__init__(self._presentation_rows())
            return
        controls = widgets.VBox([*self.sliders.values(), self.eta,
                                 widgets.HBox([self.step_button, self.reset_button]), self.status_label])
        readouts = widgets.VBox([self.y_hat_label, self.loss_label, self.blame_label, self.next_y_hat_label])
        super().__init__([widgets.HBox([controls, readouts]), self.view.image])

    def _presentation_rows(self):
        """The layout for a projector: a column of five sliders above the picture left no room for it
        at 1280x720, so the sliders go in pairs (w1, w2 into the hidden layer; w3, w4 into the output),
        and the numbers and the status beside the picture (below it when the page is too narrow)."""
        s = self.sliders
        self.status_label.layout.width = None
        self.view.image.layout.flex = "0 0 auto"  # drawn at its size, pixel for pixel
        readouts = widgets.VBox([self.y_hat_label, self.loss_label, self.blame_label, self.next_y_hat_label,
                                 self.status_label], layout=widgets.Layout(flex=f"1 1 {READOUTS_BASIS}", min_width="0"))
        return [widgets.HBox([s["w1"], s["w2"]]), widgets.HBox([s["w3"], s["w4"]]),
                widgets.HBox([self.eta, self.step_button, self.reset_button]),
                widgets.HBox([self.view.image, readouts], layout=widgets.Layout(flex_flow="row wrap",
                                                                                 align_items="flex-start"))]


    def _on_weight(self, change):
        if self._moving_sliders:
            return
        name = change["owner"].description
        new = float(change["new"])
        with RENDER_LOCK:
            if self._is_echo(name, new):
                return
            self._sent[name].clear()
            self.weights[name] = new
            change["owner"].style.handle_color = None  # dragged back: the slider tells the truth again
            self.refresh()

    def _is_echo(self, name, value):
        """True when `value` is only the browser's rounding of a value this widget put on slider `name`.

        Echoes come back in the order the values were sent, possibly after later Steps, so a match
        also forgets every value sent before it.
        """
        half_step = self.sliders[name].step / 2 + 1e-9
        sent = self._sent[name]
        for i, put in enumerate(sent):
            if abs(value - put) <= half_step:
                del sent[:i + 1]
                return True
        return False

    def _on_eta(self, change):
        # η only changes what a step would do: the labels change, the drawn network does not.
        with RENDER_LOCK:
            self._update()

    def refresh(self):
        """Recompute every number for the current weights and η, update the artists, render once."""
        with RENDER_LOCK:
            self._update(render=True)

    def step(self):
        """One gradient-descent step, w ← w − η·∂L/∂w for all four weights; the sliders follow."""
        with RENDER_LOCK:  # one step at a time, even if clicks arrive on two threads
            if _finite(self.weights):
                with np.errstate(all="ignore"):
                    grads = TwoTwoOne(**self.weights).gradients()
                    self.weights = {n: self.weights[n] - log_value(self.eta) * grads[n] for n in WEIGHT_NAMES}
                self._move_sliders()
            self.refresh()

    def reset(self):
        """Back to the starting weights and learning rate."""
        with RENDER_LOCK:
            self.weights = dict(self.start_weights)
            for sent in self._sent.values():
                sent.clear()
            self._move_sliders()
            self._moving_sliders = True
            try:
                self.eta.value = self.start_eta
            finally:
                self._moving_sliders = False
            self.refresh()

    def _move_sliders(self):
        # Sliders show the new weights (clamped to their range); their callbacks stay quiet, so the
        # figure is rendered once, by the caller. A slider whose weight lies beyond its range gets
        # a vermillion handle, and the status line names the true value.
        self._moving_sliders = True
        try:
            for name, slider in self.sliders.items():
                w = self.weights[name]
                if np.isfinite(w):
                    shown = float(np.clip(w, slider.min, slider.max))
                    if not _on_grid(shown, slider):  # only a value off the grid comes back rounded
                        self._sent[name] = [*self._sent[name], shown][-ECHOES_KEPT:]
                    slider.value = shown
                slider.style.handle_color = OUT_OF_RANGE_HANDLE if not abs(w) <= WEIGHT_RANGE[1] else None
        finally:
            self._moving_sliders = False


    def state(self):
        """The current numbers as a dict: weights, eta, y_hat, loss, gradients, next_y_hat, diverged."""
        eta = log_value(self.eta)
        if not _finite(self.weights):
            nan = float("nan")
            return {"weights": dict(self.weights), "eta": eta, "y_hat": nan, "loss": nan,
                    "gradients": {n: nan for n in WEIGHT_NAMES}, "next_y_hat": nan, "diverged": True,
                    "chain": None}
        with np.errstate(all="ignore"):
            net = TwoTwoOne(**self.weights)
            chain = net.chain()
            grads = chain.gradients
            after = {n: self.weights[n] - eta * grads[n] for n in WEIGHT_NAMES}
            next_y_hat = TwoTwoOne(**after).forward() if _finite(after) else float("nan")
        diverged = loss_diverged([chain.loss])
        return {"weights": dict(self.weights), "eta": eta, "y_hat": chain.y_hat, "loss": chain.loss,
                "gradients": grads, "next_y_hat": next_y_hat, "diverged": diverged, "chain": chain}

    def still_lines(self):
        """The numbers beside the figure, for the still picture: ŷ, L, the four blames, ŷ after one step."""
        labels = [self.y_hat_label, self.loss_label, self.blame_label, self.next_y_hat_label, self.status_label]
        return [_plain(line) for label in labels for line in label.value.split(BLAME_LINE_BREAK) if line]

    def saturated(self):
        """The hidden units ('h1', 'h2') whose sigmoid is saturated: slope σ′(z) below SATURATED_SLOPE."""
        if self.chain is None:
            return []
        slopes = {"h1": self.chain.dh1_dz1, "h2": self.chain.dh2_dz2}
        return [name for name, slope in slopes.items() if slope < SATURATED_SLOPE]

    def _status(self, s):
        """What the learner should know beyond the numbers: a blow-up, saturated sigmoids, weights off the sliders."""
        if s["diverged"]:
            return _lines("<b>diverged</b>: the steps blew the weights up. Press Reset.")
        parts = []
        saturated = self.saturated()
        if len(saturated) == 2 and s["loss"] > 0.01:
            parts.append("<b>Stuck:</b> h1 and h2 are saturated (flat sigmoids), so the blame has all but "
                         "vanished. Press Reset, or lower η.")
        elif saturated and s["loss"] > 0.01:
            h = saturated[0]
            parts.append(f"{h} is saturated (its sigmoid is flat), so w{h[1]} gets almost no blame.")
        beyond = [n for n in WEIGHT_NAMES if abs(self.weights[n]) > WEIGHT_RANGE[1]]
        if beyond:
            values = ", ".join(f"{n} = {fmt(self.weights[n], 2)}" for n in beyond)
            parts.append(f"Off the sliders' {short(WEIGHT_RANGE[0])}…{short(WEIGHT_RANGE[1])} "
                         f"(vermillion handle): {values}.")
        return _lines(" ".join(parts)) if parts else ""

    def _update(self, render=False):
        """Recompute the numbers, update the diagram, render it if `render`, then the labels.

        The picture goes to the browser first: it takes the longest to arrive and show, and the
        labels that follow it are shown while it is being decoded.
        """
        s = self.state()
        self.chain = s["chain"]
        eta = s["eta"]
        if s["chain"] is not None:
            self.diagram.update(weights=self.weights, values=s["chain"])
        else:
            nan = float("nan")
            self.diagram.update(weights=self.weights,
                                values={"x1": EXAMPLE_INPUTS[0], "x2": EXAMPLE_INPUTS[1], "h1": nan, "h2": nan,
                                        "y_hat": nan})
        if render:
            self.view.render()
        self.y_hat_label.value = f"prediction ŷ = <b>{fmt(s['y_hat'])}</b> (target y = {EXAMPLE_TARGET:g})"
        self.loss_label.value = f"loss L = (ŷ − y)² = <b>{fmt(s['loss'])}</b>"
        self.blame_label.value = BLAME_LINE_BREAK.join(
            f"blame ∂L/∂{name} = <b>{signed(s['gradients'][name])}</b>, so a step moves {name} by "
            f"{signed(-eta * s['gradients'][name])}" for name in WEIGHT_NAMES)
        self.next_y_hat_label.value = f"ŷ after one step with η = {short(eta)}: <b>{fmt(s['next_y_hat'])}</b>"
        self.status_label.value = self._status(s)


HOMES = ("kernel", "page")


def weight_explorer(weights=None, eta=EXAMPLE_ETA, home="page"):
    """The 2-2-1 network with a slider per weight and one for η, live ŷ, loss and blame, and a Step button.

    weights: starting weights as a dict {'w1': ..., 'w4': ...}, each from −3 to 3; weights left out
        keep the worked example's (default: all of them).
    eta: the starting learning rate, from 0.01 to 5 (default 0.5).
    home: where the picture is drawn and the numbers computed on a move: "page" (default; in the browser, with no
        kernel round trip; returns a helpers.widgets.page.PageWeightExplorer with the same numbers) or "kernel"
        (drawn by Python, as a PNG; returns a WeightExplorer).
    A value outside a slider's range, or of the wrong kind, raises a ValueError or TypeError that
    names the argument and what it may be.

    Used in notebooks 00 and 04.
    """
    if start_option(home, "home", HOMES) == "page":
        from .page import PageWeightExplorer

        return PageWeightExplorer(weights=weights, eta=eta)
    return WeightExplorer(weights=weights, eta=eta)
