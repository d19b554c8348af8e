"""The course's one rule for calling a run 'diverged' (COURSE.md, Figures and widgets)."""

import numpy as np

from ..formatting import DIVERGED_ABOVE


RISING_STEPS = 5
"""A loss that rose on each of this many last steps, to above where it started, keeps growing."""


def loss_diverged(losses, rising=RISING_STEPS):
    """The course's one rule for calling a run 'diverged' (COURSE.md, Figures and widgets).

    A run diverged when its loss became non-finite (or beyond DIVERGED_ABOVE), or when it keeps
    growing: it rose on each of the last `rising` steps and ends above its start. A loss that is
    finite and merely high, or jumps up and down, has not diverged: it may still come down.
    losses: the loss after each step, the start first (any 1-D sequence). Returns a bool.
    """
    losses = np.asarray(losses, dtype=np.float64).ravel()
    if losses.size == 0:
        raise ValueError("losses must hold at least one loss, got an empty sequence")
    if not np.all(np.isfinite(losses)) or np.max(np.abs(losses)) > DIVERGED_ABOVE:
        return True
    if losses.size <= rising:
        return False
    return bool(np.all(np.diff(losses[-rising - 1:]) > 0) and losses[-1] > losses[0])
