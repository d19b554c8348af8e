"""Tables on the projector (issue 24): in presentation mode at 1280x720 with the sidebar closed, every
table a notebook shows (its markdown tables, and the loss explorer's table of losses in 02) keeps its
columns apart, and no code, prose or printed output runs off the right of its cell.

Each notebook with a table is opened as a copy whose first cell turns presentation mode on, and run
from the menu. In every row of every table, the text of each cell ends at least 8 px before the text
of the next cell begins (text, not the cells' boxes: the complaint was "½ squared error½(ŷ − y)²").
A table squeezed on purpose shows that the measure fails.
"""

import json
import re

import nbformat
import pytest

import bench_browser
from helpers import style
from lab_server import ROOT, LabServer, menu, open_lab, open_notebook, wait_idle

pytestmark = pytest.mark.browser

MIN_GAP = 8.0  # px between the text of neighbouring cells


def markdown_tables(cell_source):
    """How many markdown tables a cell's source holds: a header row followed by a |---| line."""
    return len(re.findall(r"^\s*\|.*\|\s*\n\s*\|(?:\s*:?-+:?\s*\|)+\s*$", cell_source, re.M))


def tables_in(name):
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return sum(markdown_tables("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown")


NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if tables_in(p.name))
WIDGET_TABLES = {"02_loss.ipynb": ["loss_explorer"]}  # widgets that draw a table

# Each table's rows: for each pair of neighbouring cells that both hold text, the gap from the right
# of the first one's text to the left of the second one's (every line box of the text, MathJax's too).
TABLE_GAPS = """(root) => {
  const scope = root || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const text = (cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    return boxes.length ? {left: Math.min(...boxes.map((r) => r.left)), right: Math.max(...boxes.map((r) => r.right))}
                        : null;
  };
  return [...scope.querySelectorAll('table')].map((table) => {
    const widget = table.closest('[data-widget]');
    const gaps = [];
    for (const row of table.rows) {
      const cells = [...row.cells];
      for (let i = 0; i + 1 < cells.length; i++) {
        const a = text(cells[i]), b = text(cells[i + 1]);
        if (a && b) gaps.push({gap: b.left - a.right, pair: [cells[i].textContent.trim().slice(0, 40),
                                                              cells[i + 1].textContent.trim().slice(0, 40)]});
      }
    }
    return {kind: table.closest('.jp-RenderedMarkdown') ? 'markdown' : widget ? widget.dataset.widget : 'output',
            fontSize: parseFloat(getComputedStyle(table.rows[0].cells[0]).fontSize), gaps};
  });
}"""

# Elements in the notebook that scroll sideways: a code cell's editor, a markdown cell, an output.
SIDEWAYS = """() => {
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  return [...notebook.querySelectorAll('.cm-scroller, .jp-RenderedMarkdown, .jp-OutputArea-output, .jp-RenderedText')]
    .filter((e) => /(auto|scroll)/.test(getComputedStyle(e).overflowX) && e.clientWidth > 0
                   && e.scrollWidth > e.clientWidth + 1)
    .map((e) => ({what: e.className.split(' ')[0], content: e.scrollWidth, box: e.clientWidth,
                  text: e.textContent.slice(0, 60)}));
}"""


@pytest.fixture(scope="module")
def projector(browser, tmp_path_factory):
    """One JupyterLab and one page at the projector's size, with the left sidebar closed."""
    lab = LabServer(tmp_path_factory.mktemp("projector_tables")).start()
    try:
        context = browser.new_context(viewport=bench_browser.SCREENS[True])
        page = open_lab(context.new_page(), lab)
        page.lab = lab
        yield page
        context.close()
    finally:
        lab.stop()


def presented(page, name):
    """A copy of notebook `name` whose first cell turns presentation mode on, open and run to the end."""
    copy = f"presenting_{name}"
    if getattr(page, "presented", None) == copy:  # already open and run
        return
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("import helpers\nhelpers.presentation_mode()"))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, page.lab.workdir / "notebooks" / copy)
    open_notebook(page, copy)
    bench_browser.show_screen(page, True)
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                  .filter((p) => /\\[\\d+\\]/.test(p.textContent)).length >= n""",
        arg=sum(c.cell_type == "code" for c in nb.cells), timeout=300_000)
    wait_idle(page)
    for widget in WIDGET_TABLES.get(name, []):
        page.wait_for_selector(f"[data-widget='{widget}'] table")
    page.evaluate("() => document.querySelectorAll('.jp-Notebook details').forEach((d) => { d.open = true; })")
    page.evaluate(bench_browser.STEADY)
    page.presented = copy


def test_every_notebook_with_a_table_is_checked():
    assert {"00_welcome.ipynb", "01_forward_pass.ipynb", "02_loss.ipynb", "03_chain_rule.ipynb"} <= set(NOTEBOOKS)
    assert tables_in("02_loss.ipynb") == 2 and tables_in("01_forward_pass.ipynb") == 2


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_presentation_mode_keeps_every_tables_columns_apart_at_1280x720(projector, name):
    page = projector
    presented(page, name)
    assert page.locator(f"{bench_browser.LEFT_TABS}.lm-mod-current").count() == 0, "the left sidebar should be closed"
    prose = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize)")
    assert prose == float(style.PRESENTATION_PAGE_SIZES["prose"].removesuffix("px")), "presentation mode is not on"
    tables = page.evaluate(TABLE_GAPS, None)
    kinds = [t["kind"] for t in tables]
    assert kinds.count("markdown") == tables_in(name), kinds
    for widget in WIDGET_TABLES.get(name, []):
        assert widget in kinds, kinds
    for table in tables:
        assert table["gaps"], table
        if table["kind"] == "markdown":  # as large as the prose around it
            assert table["fontSize"] == prose, table
        cramped = [g for g in table["gaps"] if g["gap"] < MIN_GAP]
        assert not cramped, f"{name}, {table['kind']} table: text of neighbouring cells closer than {MIN_GAP} px: {cramped}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_presentation_mode_needs_no_sideways_scrolling_inside_a_cell_at_1280x720(projector, name):
    page = projector
    presented(page, name)
    assert page.evaluate(SIDEWAYS) == []


def test_a_squeezed_table_fails_the_measure(projector):
    """The measure can fail: a table whose cells have no padding at all (the style attribute outranks
    the page's rules) puts its columns' text closer than 8 px."""
    page = projector
    gaps = page.evaluate("""(measure) => {
      const box = document.createElement('div');
      box.innerHTML = '<table style="border-spacing: 0"><tr><td style="padding: 0 !important">½ squared error</td>' +
                      '<td style="padding: 0 !important">½(ŷ − y)²</td></tr></table>';
      document.querySelector('.jp-Notebook .jp-Cell').appendChild(box);
      const found = eval(measure)(box);
      box.remove();
      return found;
    }""", TABLE_GAPS)
    assert len(gaps) == 1 and len(gaps[0]["gaps"]) == 1
    assert gaps[0]["gaps"][0]["gap"] < MIN_GAP, gaps
