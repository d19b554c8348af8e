"""Widgets that draw and compute in the page: a move answers within a frame, with no kernel round trip.

Each page widget is an anywidget whose front end is one small ES module: the shared start
`js/course.js` (the course's palette, fonts, number formatting and SVG helpers) followed by the
widget's own file, `js/<name>.js`, which mirrors the maths of `helpers` line by line. In JupyterLab
it runs from the widget's synced state, and Python stays the source of truth for what a learner's
code reads. Displayed, a page widget also carries PAGE_MIME, {"module": name, "state": {...}}, so
the static book can run the same module with no kernel, and a still PNG for readers without JavaScript.

    from helpers.widgets import weight_explorer
    weight_explorer(home="page")          # the weight explorer, drawn in the page
"""

from importlib import resources

PAGE_MIME = "application/vnd.backprop-course.page-widget+json"

PRELUDE = "course"
"""The file every module starts with: js/course.js."""


def _js(name):
    return (resources.files(__name__) / "js" / f"{name}.js").read_text(encoding="utf-8")


def module_names():
    """The page widgets' module names, sorted: one per js/<name>.js beside the shared js/course.js."""
    folder = resources.files(__name__) / "js"
    return sorted(entry.name[:-3] for entry in folder.iterdir()
                  if entry.name.endswith(".js") and entry.name[:-3] != PRELUDE)


def module_source(name):
    """The complete ES module text of page widget `name` (such as "weight_explorer"): js/course.js,
    then js/<name>.js. It imports nothing, so it runs with no network. A name with no module raises
    a ValueError that lists the names there are."""
    known = module_names()
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"module_source takes the name of a page widget's module, one of "
                         f"{', '.join(repr(k) for k in known)}, but got {name!r}")
    return f"{_js(PRELUDE)}\n{_js(name)}"


# The widgets read PAGE_MIME and module_source, so they are imported last.
from .backward_stepper import PageBackwardStepper  # noqa: E402
from .chain_rule_nudger import PageChainRuleNudger  # noqa: E402
from .gradient_descent_playground import PageGradientDescentPlayground  # noqa: E402
from .loss_explorer import PageLossExplorer  # noqa: E402
from .neuron_explorer import PageNeuronExplorer  # noqa: E402
from .weight_explorer import PageWeightExplorer  # noqa: E402

__all__ = ["PAGE_MIME", "PageBackwardStepper", "PageChainRuleNudger", "PageGradientDescentPlayground", "PageLossExplorer",
           "PageNeuronExplorer", "PageWeightExplorer", "module_names", "module_source"]
