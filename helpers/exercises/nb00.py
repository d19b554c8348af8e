"""Exercise checks for notebook 00 · Welcome: the learning cycle.

    from helpers.exercises import nb00 as check
    check.cycle_order(["forward", "loss", "backward", "update", "repeat"])
"""

import numpy as np

from ..checking.checks import CORRECT, WRONG, Feedback, check_choice, shown, unanswered

CYCLE = ("forward", "loss", "backward", "update", "repeat")
"""The five steps of the learning cycle, in the order they happen."""

# Other ways a learner may name a step; each maps to the name in CYCLE.
_ALIASES = {
    "forward pass": "forward", "prediction": "forward", "predict": "forward",
    "error": "loss", "calculate error": "loss", "calculate loss": "loss", "compute loss": "loss",
    "backward pass": "backward", "backwards": "backward", "backprop": "backward", "backpropagation": "backward",
    "update weights": "update", "gradient descent": "update",
}


def _step_name(item):
    """The CYCLE name an item stands for, or None if it names no step."""
    if not isinstance(item, str):
        return None
    key = " ".join(item.strip().lower().replace("_", " ").replace("-", " ").split())
    if key in CYCLE:
        return key
    return _ALIASES.get(key)


def cycle_order(answer):
    """Check a list of the five step names in the order one turn of the learning cycle runs them."""
    if answer is None:
        return unanswered("a list of the five step names, in order")
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()       # an array of names is as good as a list of them
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        return Feedback(WRONG, f"Expected a list of step names in quotes, such as ['loss', ...], but got {shown(answer)}.")
    names = [_step_name(item) for item in answer]
    unknown = [item for item, name in zip(answer, names) if name is None]
    if unknown:
        return Feedback(WRONG, f"The item {shown(unknown[0])} is not one of the steps. Use the names in `steps`: "
                               + ", ".join(repr(s) for s in CYCLE) + ".")
    if sorted(names) != sorted(CYCLE):
        missing = [s for s in CYCLE if s not in names]
        doubled = sorted({s for s in names if names.count(s) > 1})
        problems = [f"{name!r} is missing" for name in missing] + [f"{name!r} appears twice" for name in doubled]
        return Feedback(WRONG, f"Use each of the five steps exactly once: {' and '.join(problems)}.")
    if names == list(CYCLE):
        return Feedback(CORRECT, "Forward → loss → backward → update → repeat. "
                                 "Each of the next notebooks zooms in on one of these steps.")
    position = {name: i for i, name in enumerate(names)}
    if names[0] != "forward":
        return Feedback(WRONG, "There is nothing to judge until the network has made a guess, "
                               "so the cycle must open with the forward pass.")
    if names[-1] != "repeat":
        return Feedback(WRONG, "'repeat' closes the loop: it sends you back to the forward pass "
                               "with the next batch of examples, so it comes last.")
    if position["backward"] < position["loss"]:
        return Feedback(WRONG, "The backward pass spreads the error back to the weights, so the "
                               "error has to be measured first: the loss comes before the backward pass.")
    return Feedback(WRONG, "A weight cannot be adjusted before you know its share of the blame: the "
                           "update uses the gradients that the backward pass works out.")


TRACE_BACK_OPTIONS = ("forward", "loss", "backward", "update", "repeat")


def exam_trace_back(answer):
    """Check which step of the cycle 'tracing the bad grade back to the skipped chapter' is.

    Accepts the same names for a step as cycle_order ('backprop', 'backward pass', ...).
    """
    name = _step_name(answer)
    return check_choice(
        answer if name is None else name, "backward", TRACE_BACK_OPTIONS,
        praise="Tracing the mistake back, stage by stage, to what caused it is the backward pass.",
        hints={
            "forward": "Sitting the exam was the forward pass: it produced the answers. "
                       "This moment happens after the grade is known.",
            "loss": "The 60% grade is the loss: one number saying how wrong the answers were. "
                    "Working out where it came from is the step after that.",
            "update": "Reading the skipped chapter would be the update. Before you can fix "
                      "anything, you need to know what to fix: that is this step.",
            "repeat": "Repeating would be sitting the next exam. This moment is about the exam "
                      "you already got back.",
        },
    )
