"""The course's one look: a colour-blind-safe palette and figure sizes shared by every figure.

The colours are the Okabe–Ito palette, which stays distinguishable for the common kinds of
colour blindness. Sign is never shown by colour alone: negative weights are also dashed.
"""

import matplotlib as mpl

PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

# What each colour means, everywhere in the course.
POSITIVE = PALETTE["blue"]        # positive weights, drawn solid
NEGATIVE = PALETTE["vermillion"]  # negative weights, drawn dashed
LOSS = PALETTE["orange"]
PREDICTION = PALETTE["green"]
PATH = PALETTE["black"]
CLASS_COLOURS = (PALETTE["blue"], PALETTE["orange"])  # cat, dog
CLASS_MARKERS = ("o", "^")                            # shapes tell the classes apart without colour

POSITIVE_STYLE = "-"
NEGATIVE_STYLE = "--"

FIGSIZE = (6.4, 4.0)
WIDE_FIGSIZE = (10.0, 4.0)
DPI = 100

COURSE_RCPARAMS = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=[PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]),
    "lines.linewidth": 2.0,
    "figure.max_open_warning": 0,
}


def weight_style(w):
    """(colour, line style) for a weight: blue solid when w >= 0, vermillion dashed when negative."""
    return (POSITIVE, POSITIVE_STYLE) if w >= 0 else (NEGATIVE, NEGATIVE_STYLE)


def apply():
    """Use the course's look for every figure drawn after this call."""
    mpl.rcParams.update(COURSE_RCPARAMS)
