"""Tables on the projector (issue 24): in presentation mode at 1280x720 with the sidebar closed, every
table a notebook shows (its markdown tables, and the loss explorer's table of losses in 02) keeps its
columns apart, and no code, prose or printed output runs off the right of its cell.

The measures are here; test_browser.py applies them to every notebook straight after its one Run All
in JupyterLab, which shows each notebook as a teacher presents it (a first cell turns presentation mode
on, the page at 1280x720 with the sidebar closed). In every row of every table, the text of each cell
ends at least 8 px before the text of the next cell begins (text, not the cells' boxes: the complaint
was "½ squared error½(ŷ − y)²"). A table squeezed on purpose shows that the measure fails.
"""

import json
import re

import nbformat
import pytest

import bench_browser
from helpers import style
from lab_server import POLL_MS, ROOT, menu, open_notebook, wait_idle

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


def projector_problems(page, name, tables=None):
    """What is wrong with notebook `name` as the page shows it now, run to the end in presentation mode
    at 1280x720: [] when presentation mode is on, the sidebar closed, every table there (`tables` markdown
    tables, by default as many as the course's notebook `name` holds) and keeping its columns apart, and
    nothing scrolling sideways inside a cell."""
    tables_expected = tables_in(name) if tables is None else tables
    problems = []
    if page.viewport_size != bench_browser.SCREENS[True]:
        problems.append(f"the page is {page.viewport_size}, not the projector's {bench_browser.SCREENS[True]}")
    if page.locator(f"{bench_browser.LEFT_TABS}.lm-mod-current").count():
        problems.append("the left sidebar should be closed")
    for widget in WIDGET_TABLES.get(name, []):
        page.wait_for_selector(f"[data-widget='{widget}'] table")
    page.evaluate("() => document.querySelectorAll('.jp-Notebook details').forEach((d) => { d.open = true; })")
    page.evaluate(bench_browser.STEADY)
    prose = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize)")
    if prose != float(style.PRESENTATION_PAGE_SIZES["prose"].removesuffix("px")):
        problems.append(f"presentation mode is not on: prose is {prose} px")
    tables = page.evaluate(TABLE_GAPS, None)
    kinds = [t["kind"] for t in tables]
    if kinds.count("markdown") != tables_expected:
        problems.append(f"{tables_expected} markdown tables in the notebook, {kinds.count('markdown')} on the page")
    problems += [f"the {widget} table is missing" for widget in WIDGET_TABLES.get(name, []) if widget not in kinds]
    for table in tables:
        if not table["gaps"]:
            problems.append(f"a {table['kind']} table with no neighbouring cells of text: {table}")
        if table["kind"] == "markdown" and table["fontSize"] != prose:  # as large as the prose around it
            problems.append(f"a markdown table at {table['fontSize']} px beside prose at {prose} px")
        cramped = [g for g in table["gaps"] if g["gap"] < MIN_GAP]
        if cramped:
            problems.append(f"{table['kind']} table: text of neighbouring cells closer than {MIN_GAP} px: {cramped}")
    sideways = page.evaluate(SIDEWAYS)
    if sideways:
        problems.append(f"scrolls sideways inside a cell: {sideways}")
    return problems


def test_every_notebook_with_a_table_is_checked():
    assert {"00_welcome.ipynb", "01_forward_pass.ipynb", "02_loss.ipynb", "03_chain_rule.ipynb"} <= set(NOTEBOOKS)
    assert tables_in("02_loss.ipynb") == 2 and tables_in("01_forward_pass.ipynb") == 2
    # test_browser.py's Run All measures every notebook, tables or not, on the projector with these measures.
    runs_all = (ROOT / "tests" / "browser" / "test_browser.py").read_text()
    assert "assert projector_problems(page, name) == []" in runs_all and "show_screen(page, True)" in runs_all


@pytest.fixture(scope="module")
def projector(lab_page, lab):
    """A small notebook open in the worker's JupyterLab page at the projector's size, in presentation mode."""
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOKS[0], as_version=4)
    nb.cells = [nbformat.v4.new_markdown_cell("Some prose, and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
                nbformat.v4.new_code_cell("import helpers\nhelpers.presentation_mode()")]
    nbformat.write(nb, lab.workdir / "notebooks" / "projector_measure.ipynb")
    open_notebook(lab_page, "projector_measure.ipynb")
    bench_browser.show_screen(lab_page, True)
    menu(lab_page, "Run", "Run All Cells")
    lab_page.wait_for_function(
        "() => /\\[\\d+\\]/.test(document.querySelector('.jp-Notebook .jp-CodeCell .jp-InputPrompt').textContent)",
        polling=POLL_MS)
    wait_idle(lab_page)
    yield lab_page
    bench_browser.show_screen(lab_page, False)


def test_the_measures_pass_a_small_presented_notebook_and_name_what_is_missing(projector):
    """The measures find nothing wrong with a presented notebook that is right, and name what is missing
    when the notebook they are told of has more tables than the page shows."""
    assert projector_problems(projector, "projector_measure.ipynb", tables=1) == []
    missing = projector_problems(projector, "01_forward_pass.ipynb")
    assert missing == ["2 markdown tables in the notebook, 1 on the page"], missing


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
