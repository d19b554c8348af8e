"""Test-only page widgets for the book, and notebooks that show them.

The modules here stand in for helpers.widgets.page's: `module_source(name)` gives one of the ES
modules in this folder (counter.js, model_probe.js, broken.js) and raises ValueError for any
other name, as the real one does. `widget_output` is a saved output as a page widget leaves it.
"""

from pathlib import Path

import nbformat

from tools import book

HERE = Path(__file__).resolve().parent
# A 1×1 PNG: the still picture every test widget carries.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def module_source(name):
    """The text of tests/fixtures_page/<name>.js; ValueError for a module that is not here."""
    path = HERE / f"{name}.js"
    if "/" in name or not path.is_file():
        raise ValueError(f"there is no page widget module named {name!r}")
    return path.read_text(encoding="utf-8")


def widget_output(module, state, text=None):
    """A saved display_data output of a page widget: widget view, PAGE_MIME, still picture and text."""
    return nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "0" * 32, "version_major": 2, "version_minor": 0},
        book.PAGE_MIME: {"module": module, "state": state},
        "image/png": PNG,
        "text/plain": text or f"<{module} widget>"})


def notebook(*outputs, title="00 · Demo"):
    """A notebook with a title, a question with a formula, and one code cell per output."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n**The question to read it by:** does $x$ count?")]
    for i, output in enumerate(outputs):
        nb.cells.append(nbformat.v4.new_code_cell(f"widget_{i} = demo()", outputs=[output]))
    return nb


def write_notebooks(folder, notebooks):
    """Write {stem: notebook} into folder/notebooks and return that folder."""
    notebooks_dir = Path(folder) / "notebooks"
    notebooks_dir.mkdir(parents=True)
    for stem, nb in notebooks.items():
        nbformat.write(nb, notebooks_dir / f"{stem}.ipynb")
    return notebooks_dir
