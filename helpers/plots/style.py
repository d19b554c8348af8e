"""The course's one look: a colour-blind-safe palette and figure sizes shared by every figure.

The colours are the Okabe–Ito palette, which stays distinguishable for the common kinds of
colour blindness. Sign is never shown by colour alone: negative weights are also dashed.

`presentation_mode()` switches to a larger version of the same look for teaching in a room.
"""

import matplotlib as mpl
import numpy as np

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
    # Matplotlib's own sizes, written out so that leaving presentation mode puts each one back.
    "figure.titlesize": "large",
    "xtick.labelsize": "medium",
    "ytick.labelsize": "medium",
    "legend.fontsize": "medium",
    "lines.markersize": 6.0,
    "lines.markeredgewidth": 1.0,
    "patch.linewidth": 1.0,
    "grid.linewidth": 0.8,
    "axes.linewidth": 0.8,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "xtick.major.size": 3.5,
    "ytick.major.size": 3.5,
}

# The same look, readable from the back of a room: bigger text, thicker lines, larger markers.
PRESENTATION_RCPARAMS = {
    **COURSE_RCPARAMS,
    "font.size": 16,
    "axes.titlesize": 16,
    "axes.labelsize": 16,
    "figure.titlesize": 18,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "lines.linewidth": 3.0,
    "lines.markersize": 9.0,
    "lines.markeredgewidth": 1.5,
    "patch.linewidth": 1.5,
    "grid.linewidth": 1.2,
    "axes.linewidth": 1.5,
    "xtick.major.width": 1.5,
    "ytick.major.width": 1.5,
    "xtick.major.size": 6.0,
    "ytick.major.size": 6.0,
}

# Widget figures are drawn this many times larger in presentation mode, so the large text still fits.
PRESENTATION_FIGURE_SCALE = 1.25

# Widget controls in presentation mode (CSS sizes, as ipywidgets takes them).
PRESENTATION_CONTROLS = {
    "font_size": "20px",           # descriptions, readouts, buttons and HTML labels
    "control_height": "40px",      # one row: a slider, a dropdown, a button
    "description_width": "150px",  # the column of slider names (the course default is 80px)
    "control_width": "480px",      # a slider with its name and readout
}

# The notebook's own prose, printed outputs and code, made as large as the widgets' text. JupyterLab
# sizes them through these variables (14 px prose, 13 px code by default); set on the page's body
# they reach every cell. Shown by presentation_mode() as an invisible HTML output.
# Tables grow with the prose, and every table in a cell (a markdown table, a printed one, a widget's)
# keeps three quarters of a letter's width of room either side of each cell's text, so neighbouring columns stay
# apart (a widget's own table rules set 1 px; `body` makes this rule outrank them). Code lines wrap
# instead of running off the right of a cell that is narrower at the larger size. MathJax's hidden copy of
# a formula for screen readers can be wider than the formula drawn; held to the drawn one's width, it no
# longer gives a cell a sideways scrollbar when the formula ends a line.
PRESENTATION_PAGE_SIZES = {"prose": "20px", "code": "18px", "cell_gap": "0.75em"}
PRESENTATION_PAGE_CSS = """<style>
body {{
  --jp-content-font-size1: {prose};
  --jp-code-font-size: {code};
  --jp-content-line-height: 1.5;
}}
.jp-RenderedMarkdown p, .jp-RenderedMarkdown li {{ font-size: {prose}; line-height: 1.5; }}
.jp-OutputArea-output pre, .jp-RenderedText pre {{ font-size: {code}; line-height: 1.4; }}
.jp-RenderedMarkdown table {{ font-size: {prose}; }}
body .jp-Notebook .jp-Cell table td, body .jp-Notebook .jp-Cell table th {{ padding-left: {cell_gap}; padding-right: {cell_gap}; }}
.jp-Notebook .jp-Cell .cm-content {{ white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere;
  flex-shrink: 1; }}
mjx-container mjx-assistive-mml {{ right: 0 !important; }}
</style>""".format(**PRESENTATION_PAGE_SIZES)

_presentation = False  # the one switch behind presentation_mode(); read it with presentation_active()


def weight_style(w):
    """(colour, line style) for a weight: blue solid when w >= 0, vermillion dashed when negative."""
    return (POSITIVE, POSITIVE_STYLE) if w >= 0 else (NEGATIVE, NEGATIVE_STYLE)


def current_rcparams():
    """The rcParams of the look in use: PRESENTATION_RCPARAMS in presentation mode, else COURSE_RCPARAMS."""
    return PRESENTATION_RCPARAMS if _presentation else COURSE_RCPARAMS


def apply():
    """Use the course's look (in presentation mode, its large version) for every figure drawn after this call.

    Used in notebooks 00, 01, 02, 03, 04, 05, 06, 07, 08, 09 and 10.
    """
    mpl.rcParams.update(current_rcparams())


def presentation_active():
    """True while presentation mode is on."""
    return _presentation


def presentation_mode(on=True):
    """Make every figure and widget created after this call readable from the back of a room.

    on=True: base font 16 pt instead of 11, lines 3 pt instead of 2, markers 9 pt instead of 6,
    and widgets with figures 1.25 times larger, 20 px text, 40 px tall controls and a 150 px column
    for slider names.
    In a notebook, on=True also makes the notebook's prose 20 px and its code and printed outputs
    18 px (a style sheet in this cell's output, which shows nothing); clearing that output, or
    running presentation_mode(False) in the same cell, puts the page's text back.
    on=False: back to exactly the course's look. Figures and widgets already shown keep their look:
    run their cells again. Returns None, so the cell shows no value.
    """
    global _presentation
    # One rule: True or False (NumPy's too, e.g. a comparison's result); not 1, -1 or "yes", which
    # would leave a reader unsure whether they switch it on.
    if not isinstance(on, (bool, np.bool_)):
        raise TypeError(f"on must be True or False, but got {on!r} ({type(on).__name__})")
    _presentation = bool(on)
    apply()
    if _presentation:
        _show_in_notebook(PRESENTATION_PAGE_CSS)


def _show_in_notebook(html):
    """Display `html` when running in a Jupyter kernel; elsewhere (a script, a test) do nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    from IPython.display import HTML, display

    display(HTML(html))
