"""Build the course as a static website that works from disk, with no network.

    python -m tools.book [--out site]

Each notebook in notebooks/ (NN_name.ipynb, in course order) becomes one HTML page made by
nbconvert from its SAVED outputs (nothing is executed), plus an index page in course order.

- Maths is typeset in the browser by a local copy of MathJax 2.7 (from the jupyter-server-mathjax
  package, the copy Jupyter itself serves offline), written into site/mathjax/ with only the
  parts the pages use: the TeX input, the HTML-CSS output and its STIX-Web fonts.
- A page widget (an output carrying PAGE_MIME: its module's name and its starting state) runs in
  the page, with no kernel: its ES module is inlined once per page, as a JSON string that a small
  loader turns into a Blob URL and imports; each widget gets its own copy of its saved state behind
  a model with the API the module uses in JupyterLab (get, set, save_changes, on, off), and its
  render({model, el}) runs when the page loads. Its 'image/png' stays inside <noscript>.
- Every other widget cannot run in a static page. Its output shows its 'image/png' picture of the
  starting state when the saved notebook has one, and its text otherwise.
- Every picture has alt text for screen readers: a figure its title (when the cell gives a plain one)
  and the takeaway sentence that follows it, maths written out in words; a widget's still its name and
  starting state. MathJax asks for no font the book does not ship (MATHJAX_NO_FONT).
- Links between notebooks (NN_name.ipynb) point at the pages (NN_name.html); every page links to
  the previous and next notebook and to the index.
- A reader cannot run cells, so each page shows what applies to a reader: an exercise shows its
  question and its folded worked solution, and the check's saved verdict ("Not answered yet ...
  run the cell again") is replaced by a line that says so. Instructions that only make sense in a
  running notebook (presentation mode, what to do after a kernel restart) are left out.
- The text keeps a readable measure (at most about 80 characters a line); code, printed output,
  figures and widget pictures start at the same left edge as the text.
- No page loads anything from the web: no require.js, no MathJax from a CDN, no widget manager, no fonts.
"""

import argparse
import ast
import copy
import html
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jupyter_server_mathjax
import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
QUESTION_LABEL = "**The question to read it by:**"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The same string as helpers.widgets.page.PAGE_MIME (a test holds them together); written here so
# that a book without page widgets never imports helpers.
PAGE_MIME = "application/vnd.backprop-course.page-widget+json"
PAGE_WIDGET_CLASS = "book-page-widget"
# Where describe_pictures keeps a picture output's alt text: output.metadata[ALT_KEY]["alt"].
ALT_KEY = "book"

# What a static page can show, best first. Widget views and JavaScript need a live kernel or
# scripts from the web, so they are left out: an output with a widget view and an 'image/png'
# shows the picture, one with only 'text/plain' shows the text.
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg",
                    "text/latex", "text/plain"]

_NOTEBOOK_LINK = re.compile(r'(href=")(?:\./)?(?:(?:\.\./)?notebooks/)?(\d\d_[\w.-]+?)\.ipynb(#[^"]*)?(")')
_DOC_LINK = re.compile(r'(href=")(?:\.\./|notebooks/)?(README|TEACHING)\.md(#[^"]*)?(")')
_RESOURCE_ATTR = re.compile(r'<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(src|href)="([^"]*)"',
                            re.IGNORECASE)
_HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"', re.IGNORECASE)
_CSS_URL = re.compile(r'url\(\s*[\'"]?(https?:)?//', re.IGNORECASE)
_CSS_IMPORT = re.compile(r'@import\s+(url\()?\s*[\'"]?(https?:)?//', re.IGNORECASE)

# An exercise's check cell calls a function of the notebook's `check` module on the answer, e.g.
# `check.cycle_order(answer)`; `check.RATES` (no call) is data that a cell may print from.
CHECK_CALL = re.compile(r"(?<![\w.])check\.[A-Za-z_]\w*\s*\(")
# Sentences that tell a learner what to do in a running notebook, which a reader of the book cannot.
LIVE_ONLY = re.compile(r"presentation_mode|presentation mode|from a projector|\bafter a restart\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!](?:\*\*|\*|_)?(?=\s)")
READER_NOTE_CLASS = "book-exercise-note"

# The text column is at most MEASURE_CH wide. `ch` is the width of a "0"; prose characters are
# narrower on average (a line of 56ch holds about 76 characters in DejaVu Sans, fewer in most
# other sans-serifs), so no line of text runs past 80 characters, a readable measure.
MEASURE_CH = 56
COLUMN_MAX = "56rem"
BOOK_CSS = """
.book-nav { display: flex; justify-content: space-between; align-items: baseline; gap: 1em;
  max-width: COLUMN_MAX; margin: 0 auto; padding: 0.6em 1.5em; font-family: var(--jp-ui-font-family);
  font-size: 15px; border-bottom: 1px solid #ddd; }
.book-nav.bottom { border-bottom: none; border-top: 1px solid #ddd; margin-top: 2em; }
.book-nav a { color: #0072B2; text-decoration: none; }
.book-nav a:hover { text-decoration: underline; }
.book-nav .prev, .book-nav .next { flex: 1; }
.book-nav .next { text-align: right; }
.book-nav .index { flex: 0 0 auto; }
.MathJax_Display { overflow-x: auto; overflow-y: hidden; }
.book-widget .book-widget-note { font-family: var(--jp-ui-font-family); font-size: 13px;
  color: #555; margin: 0.3em 0 0.6em; }
.book-widget img { border: 1px solid #ddd; }
.book-exercise-note { font-family: var(--jp-ui-font-family); font-size: var(--jp-content-font-size1, 14px);
  color: #444; border-left: 4px solid #0072B2; background: #F2F7FB; padding: 0.4em 0.8em; margin: 0.4em 0 0.6em;
  max-width: MEASURE_CHch; box-sizing: border-box; }
"""

# The notebook pages only: one centred column; no prompts ("In [3]:") or collapsers, which a
# reader has no use for, so that text, code, printed output and figures share one left edge.
PAGE_CSS = """
body.jp-Notebook { padding: 0; }
body.jp-Notebook > main { max-width: COLUMN_MAX; margin: 0 auto; padding: 0 1.5em 2em; box-sizing: border-box; }
body.jp-Notebook .jp-Cell { padding-left: 0; padding-right: 0; }
body.jp-Notebook .jp-InputArea, body.jp-Notebook .jp-InputArea > *, body.jp-Notebook .jp-OutputArea-child,
body.jp-Notebook .jp-OutputArea-child > * { display: block; }
body.jp-Notebook .jp-InputPrompt, body.jp-Notebook .jp-OutputPrompt, body.jp-Notebook .jp-Collapser { display: none; }
body.jp-Notebook .jp-RenderedMarkdown { max-width: MEASURE_CHch; padding-left: 0; padding-right: 0; }
body.jp-Notebook .jp-OutputArea-output, body.jp-Notebook .jp-RenderedText { padding-left: 0; margin-left: 0; }
body.jp-Notebook .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
body.jp-Notebook .jp-RenderedImage { text-align: left; }
body.jp-Notebook .jp-RenderedImage img { max-width: 100%; height: auto; }
"""
BOOK_CSS = BOOK_CSS.replace("COLUMN_MAX", COLUMN_MAX).replace("MEASURE_CH", str(MEASURE_CH))
PAGE_CSS = PAGE_CSS.replace("COLUMN_MAX", COLUMN_MAX).replace("MEASURE_CH", str(MEASURE_CH))

PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- A figure as nbconvert's lab template draws it, with the alt text describe_pictures gave it. -#}
{%- macro picture(output, kind, extra_class) -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/{{ kind }};base64,{{ output.data['image/' + kind] | escape_html }}"
{%- set width=output | get_metadata('width', 'image/' + kind) -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif -%}
{%- set height=output | get_metadata('height', 'image/' + kind) -%}
{%- if height is not none %} height={{ height | escape_html }}{%- endif %}
 alt="{{ output.metadata.get('""" + ALT_KEY + """', {}).get('alt', '') | escape_html }}">
</div>
{%- endmacro -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{{ resources.book.mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.book.css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.book.nav_top }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.book.nav_bottom }}
{{ super() }}
{%- endblock body_footer -%}
{% block data_png scoped %}
{%- if '""" + WIDGET_VIEW + """' in output.data -%}
<div class="jp-RenderedImage jp-OutputArea-output book-widget {{ extra_class }}">
<img class="book-widget-picture" src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ output.metadata.get('""" + ALT_KEY + """', {}).get('alt') or output.data.get('text/plain', 'A widget') | escape_html }}">
<p class="book-widget-note">A picture of the widget as it starts. Open the notebook in JupyterLab and run the cell to use it.</p>
</div>
{%- else -%}
{{ picture(output, 'png', extra_class) }}
{%- endif -%}
{%- endblock data_png %}
{% block data_jpg scoped %}{{ picture(output, 'jpeg', extra_class) }}{% endblock data_jpg %}
"""

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style type="text/css">
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  max-width: {measure}ch; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.8em; }}
ol.chapters {{ list-style: none; padding: 0; }}
ol.chapters li {{ margin: 0 0 1.2em; }}
ol.chapters a {{ font-size: 1.15em; color: #0072B2; text-decoration: none; font-weight: 600; }}
ol.chapters a:hover {{ text-decoration: underline; }}
.question {{ margin: 0.2em 0 0; color: #444; }}
.note {{ color: #555; border-top: 1px solid #ddd; padding-top: 1em; margin-top: 2em; }}
{css}
</style>
{mathjax}
</head>
<body>
<main>
<h1>{title}</h1>
<p>{intro}</p>
<ol class="chapters">
{items}
</ol>
<p class="note">This is a read-only copy of the course: the figures and numbers are the ones saved
in the notebooks, and {widgets}. To run the code and move the
sliders, open the notebooks in JupyterLab (<code>make lab</code>).{about}</p>
</main>
</body>
</html>
"""

README_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style type="text/css">
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  max-width: {measure}ch; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
a {{ color: #0072B2; }}
table {{ display: block; overflow-x: auto; }}
pre {{ background: #f5f5f5; padding: 0.6em; overflow-x: auto; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ddd; padding: 0.3em 0.6em; vertical-align: top; }}
{css}
</style>
{mathjax}
</head>
<body>
<nav class="book-nav"><span class="prev"></span><a class="index" href="index.html">Index</a><span class="next"></span></nav>
<main>
{body}
</main>
</body>
</html>
"""


MATHJAX_DIR = "mathjax"
MATHJAX_SOURCE = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
# What MathJax loads for these pages, relative to its folder: the combined TeX config, the
# extensions it may ask for (TeX macros on demand, Safe), the HTML-CSS output with its STIX-Web
# web fonts. The SVG output, the accessibility maps and the translations are left out.
MATHJAX_PARTS = ["MathJax.js", "LICENSE", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js",
                 "extensions/Safe.js", "extensions/MathMenu.js", "extensions/MathZoom.js",
                 "extensions/TeX", "extensions/HTML-CSS", "jax/input/TeX", "jax/element",
                 "jax/output/HTML-CSS", "fonts/HTML-CSS/STIX-Web/woff"]
MATHJAX_QUERY = "config=TeX-AMS-MML_HTMLorMML-full,Safe"

# Web fonts that MathJax's own styles declare but the book does not ship, each with its @font-face
# rules and the rules that would use it. A page opened from disk asked for them and the console showed
# the failures: HTML-CSS declares "MathJax_Blank" with src url('about:blank') (a font with no glyphs
# it measures against, blocked by CORS from a file:// page: the browser falls back to its own font,
# which is what MathJax measures against then), and the NativeMML output's styles, which also dress
# the hidden MathML copy of every formula kept for screen readers (AssistiveMML), send
# mathvariant="double-struck" (the 1 of \mathbb{1} in 07), script and fraktur letters to the TeX
# fonts' .otf files, which jupyter-server-mathjax does not carry. Emptied here: an @font-face with no
# src loads nothing, and the hidden MathML keeps the page's font (it is read out, not seen).
MATHJAX_NO_FONT = {
    "HTML-CSS": ["@font-face"],
    "NativeMML": ['[class="MJX-tex-oldstyle"]', '[class="MJX-tex-oldstyle-bold"]', '[class="MJX-tex-caligraphic"]',
                  '[class="MJX-tex-caligraphic-bold"]', '[mathvariant="double-struck"]', '[mathvariant="script"]',
                  '[mathvariant="fraktur"]', '[mathvariant="bold-script"]', '[mathvariant="bold-fraktur"]']
                 + [f"@font-face /*{i}*/" for i in range(1, 7)],
}
_EMPTY_RULE = {"font-family": None, "font-weight": None, "src": None}


def _mathjax_styles(jax):
    """The MathJax style rules of `jax` (an output jax's name) that MATHJAX_NO_FONT empties, as JSON."""
    return json.dumps({rule: _EMPTY_RULE for rule in MATHJAX_NO_FONT[jax]})


# The same settings as nbconvert's template, plus: HTML-CSS output with the STIX-Web fonts that
# are shipped (never a font from the web, no image fonts), no menu that offers to load more, and
# no @font-face for a font that is not shipped (MATHJAX_NO_FONT).
MATHJAX_SCRIPT = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({{
    jax: ["input/TeX", "output/HTML-CSS"],
    TeX: {{ equationNumbers: {{ autoNumber: "AMS", useLabelIds: true }} }},
    tex2jax: {{
        inlineMath: [ ['$','$'], ["\\\\(","\\\\)"] ],
        displayMath: [ ['$$','$$'], ["\\\\[","\\\\]"] ],
        processEscapes: true,
        processEnvironments: true
    }},
    "HTML-CSS": {{
        availableFonts: ["STIX-Web"], preferredFont: "STIX-Web", webFont: "STIX-Web",
        imageFont: null, linebreaks: {{ automatic: true }},
        styles: {html_css_styles}
    }},
    NativeMML: {{ styles: {native_mml_styles} }},
    displayAlign: "center",
    messageStyle: "none",
    showMathMenu: false,
    menuSettings: {{ zoom: "None" }}
}});
</script>
<script type="text/javascript" src="{src}"></script>"""


def mathjax_tags(prefix=""):
    """The <script> tags that load the local MathJax, for a page `prefix` away from the book's root."""
    return MATHJAX_SCRIPT.format(src=f"{prefix}{MATHJAX_DIR}/MathJax.js?{MATHJAX_QUERY}",
                                 html_css_styles=_mathjax_styles("HTML-CSS"),
                                 native_mml_styles=_mathjax_styles("NativeMML"))


def copy_mathjax(out):
    """Copy the parts of MathJax the pages use into out/mathjax."""
    target = Path(out) / MATHJAX_DIR
    for part in MATHJAX_PARTS:
        source = MATHJAX_SOURCE / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
    return target


def markdown_to_html(source, **renderer_options):
    """Markdown to HTML as nbconvert does it: the maths stays as $...$ for MathJax."""
    renderer = IPythonRenderer(escape=False, **renderer_options)
    return MarkdownWithMath(renderer=renderer).render(source)


class BookExporter(HTMLExporter):
    """nbconvert's JupyterLab-looking HTML page, made to work offline (see the module docstring)."""

    def __init__(self, **kwargs):
        config = Config({"NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY}})
        super().__init__(config=config, template_name="lab", **kwargs)
        self.raw_template = PAGE_TEMPLATE



@dataclass(frozen=True)
class Chapter:
    """One notebook of the course and where its page goes."""

    path: Path
    title: str
    question: str

    @property
    def stem(self):
        return self.path.stem

    @property
    def page(self):
        return f"{self.stem}.html"


def _first_markdown(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            return cell.source
    return ""


def read_chapter(path):
    """The notebook's title (its first heading) and its question line (Markdown)."""
    nb = nbformat.read(path, as_version=4)
    first = _first_markdown(nb)
    title, question = path.stem, ""
    for line in first.splitlines():
        stripped = line.strip()
        if title == path.stem and stripped.startswith("#"):
            title = stripped.lstrip("#").strip()
        if stripped.startswith(QUESTION_LABEL):
            question = stripped[len(QUESTION_LABEL):].strip()
    return Chapter(path=path, title=title, question=question)


def chapters(notebook_dir=NOTEBOOKS):
    """Every notebook of the course, in course order (by its number)."""
    return [read_chapter(path) for path in sorted(Path(notebook_dir).glob(NOTEBOOK_PATTERN))]


def rewrite_links(page_html, known_stems):
    """Point links to NN_name.ipynb at NN_name.html, the README at readme.html, the guide at teaching.html."""

    def notebook(match):
        stem = match.group(2)
        if stem not in known_stems:
            return match.group(0)
        return f"{match.group(1)}{stem}.html{match.group(3) or ''}{match.group(4)}"

    page_html = _NOTEBOOK_LINK.sub(notebook, page_html)
    return _DOC_LINK.sub(lambda m: f"{m.group(1)}{m.group(2).lower()}.html{m.group(3) or ''}{m.group(4)}", page_html)


def _nav(previous, following, where):
    prev_link = (f'<a class="prev" rel="prev" href="{previous.page}">← {html.escape(previous.title)}</a>'
                 if previous else '<span class="prev"></span>')
    next_link = (f'<a class="next" rel="next" href="{following.page}">{html.escape(following.title)} →</a>'
                 if following else '<span class="next"></span>')
    return (f'<nav class="book-nav {where}" aria-label="Course">{prev_link}'
            f'<a class="index" href="index.html">Index</a>{next_link}</nav>')


def remote_resources(page_html):
    """Every place where the page would load something from the web (should be none)."""
    found = [f"<{tag} {attr}={url}>" for tag, attr, url in _RESOURCE_ATTR.findall(page_html)
             if re.match(r"(https?:)?//", url.strip(), re.IGNORECASE)]
    found += [f"CSS {m.group(0)}" for m in _CSS_URL.finditer(page_html)]
    found += [f"CSS {m.group(0)}" for m in _CSS_IMPORT.finditer(page_html)]
    return found


def broken_links(page_html, out):
    """Relative links (<a href>) of a page in `out` whose file does not exist."""
    broken = []
    for href in _HREF.findall(page_html):
        href = html.unescape(href)
        if not href or href.startswith("#") or re.match(r"[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            continue
        target = href.split("#", 1)[0].split("?", 1)[0]
        if target and not (Path(out) / target).exists():
            broken.append(href)
    return broken


@dataclass
class Book:
    """What a build made, and anything that needs a person's attention."""

    out: Path
    chapters: list
    problems: list
    seconds: float

    @property
    def size_bytes(self):
        return sum(p.stat().st_size for p in self.out.rglob("*") if p.is_file())


def is_check_cell(cell):
    """Whether a cell is an exercise's check: a code cell that calls `check.<something>(...)`."""
    return cell.cell_type == "code" and CHECK_CALL.search(cell.source) is not None


def without_live_only_sentences(markdown):
    """The Markdown without the sentences that only make sense in a running notebook (LIVE_ONLY).

    Works paragraph by paragraph; a paragraph whose every sentence goes is dropped whole, and the
    other sentences of a paragraph (such as a link to the teacher's guide) stay.
    """
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", markdown):
        if not LIVE_ONLY.search(paragraph):
            paragraphs.append(paragraph)
            continue
        sentences, start = [], 0
        for end in _SENTENCE_END.finditer(paragraph):
            sentences.append(paragraph[start:end.end()])
            start = end.end()
        sentences.append(paragraph[start:])
        kept = " ".join(s.strip() for s in sentences if s.strip() and not LIVE_ONLY.search(s))
        if kept:
            paragraphs.append(kept)
    return "\n\n".join(paragraphs)


def _has_solution(cell):
    return cell.cell_type == "markdown" and "<details" in cell.source


def reader_note(has_solution):
    """What a reader sees where a running notebook would show the check's verdict."""
    text = "In JupyterLab, running this cell checks your answer. Here, work it out on paper"
    text += ", then open the worked solution below to compare." if has_solution else "."
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<p class="{READER_NOTE_CLASS}">{html.escape(text)}</p>', "text/plain": text})


def for_readers(nb):
    """A copy of the notebook as a reader of the book should see it (see the module docstring)."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = without_live_only_sentences(cell.source)
        elif is_check_cell(cell):
            following = nb.cells[i + 1:i + 3]
            cell.outputs = [reader_note(any(_has_solution(c) for c in following))]
            cell.execution_count = None
    return nb


# Alt text. A screen reader reads each picture's alt: nbconvert leaves a figure's empty and then writes
# "No description has been provided for this image". A figure's alt is its title, when the cell gives
# one as a plain string, and the takeaway the notebook writes right after it: the first sentence of the
# next cell, if that is a paragraph of Markdown (and the one after, if the first is too short to say
# what is shown). A widget's still picture is named by its text (its title) and its starting state.
# Maths in the text is written out as a reader would say it (ŷ, ∂L/∂w1), since nothing typesets an alt.
ALT_MIN_CHARS = 60
ALT_MAX_SENTENCES = 3
PICTURE_TYPES = ("image/png", "image/jpeg")

_TEX_SYMBOLS = {
    "partial": "∂", "eta": "η", "varepsilon": "ε", "epsilon": "ε", "delta": "δ", "Delta": "Δ", "sigma": "σ",
    "theta": "θ", "alpha": "α", "beta": "β", "lambda": "λ", "mu": "μ", "nabla": "∇", "cdot": "·",
    "times": "×", "approx": "≈", "ge": "≥", "geq": "≥", "le": "≤", "leq": "≤", "neq": "≠", "pm": "±",
    "to": "→", "rightarrow": "→", "infty": "∞", "sum": "Σ", "lVert": "‖", "rVert": "‖", "Vert": "‖",
    "lvert": "|", "rvert": "|", "vert": "|", "ldots": "…", "dots": "…", "cdots": "…", "prime": "′",
    "ln": "ln", "log": "log", "exp": "exp", "max": "max", "min": "min", "quad": " ", "qquad": " ",
}
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_TEX_GROUP = r"\{([^{}]*)\}"


def tex_as_text(tex):
    """TeX maths as plain text a screen reader can say: \\hat{y} -> ŷ, \\partial L -> ∂L, x^2 -> x²."""
    text = tex
    for _ in range(3):  # groups inside groups, innermost first
        text = re.sub(r"\\(?:text|mathrm|mathbf|mathit|operatorname|boldsymbol)\s*" + _TEX_GROUP, r"\1", text)
        text = re.sub(r"\\mathbb\s*\{1\}", "𝟙", text)
        text = re.sub(r"\\hat\s*" + _TEX_GROUP, lambda m: m.group(1) + "\u0302", text)
        text = re.sub(r"\\frac\s*" + _TEX_GROUP + r"\s*" + _TEX_GROUP, r"\1/\2", text)
        text = re.sub(r"\\sqrt\s*" + _TEX_GROUP, r"√(\1)", text)
    text = re.sub(r"\\hat\s+(\w)", lambda m: m.group(1) + "\u0302", text)
    text = re.sub(r"\\(left|right|big|Big|bigg|Bigg)\b\s*", "", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"\\([,;:! ])", " ", text)
    text = re.sub(r"\\([{}%$&#_|])", r"\1", text)
    text = re.sub(r"\^\{?([0-9-]+)\}?", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = text.replace("^", "").replace("_", "").replace("{", "").replace("}", "")
    text = text.replace("y\u0302", "ŷ")
    return re.sub(r"∂\s+", "∂", " ".join(text.split()))


def markdown_as_text(markdown):
    """One paragraph of Markdown as plain text: no emphasis marks, links as their words, maths as words."""
    text = re.sub(r"\$\$(.+?)\$\$|\$(.+?)\$", lambda m: tex_as_text(m.group(1) or m.group(2)), markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<!\w)_(\S.*?\S|\S)_(?!\w)", r"\1", text)
    return " ".join(text.split())


def _sentences(paragraph):
    sentences, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph + " "):
        sentences.append(paragraph[start:end.end()].strip())
        start = end.end()
    rest = paragraph[start:].strip()
    return [s for s in sentences + ([rest] if rest else []) if s]


def takeaway(cells, i):
    """What the notebook says right after cell i about its output: the first sentence (or two) of the
    next cell, if it is Markdown that starts with a paragraph (not a heading, list, quote or table)."""
    if i + 1 >= len(cells) or cells[i + 1].cell_type != "markdown":
        return ""
    first = re.split(r"\n\s*\n", cells[i + 1].source.strip(), maxsplit=1)[0].strip()
    if not first or re.match(r"(#|>|[-*+] |\d+\. |\||<details|<)", first):
        return ""
    kept = []
    for sentence in _sentences(markdown_as_text(first)):
        kept.append(sentence)
        if len(" ".join(kept)) >= ALT_MIN_CHARS or len(kept) == ALT_MAX_SENTENCES:
            break
    return " ".join(kept)


def _literal_titles(source):
    """The titles a cell gives its figure as plain strings: title="..." and .set_title("...")/suptitle."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    titles = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        values = [k.value for k in node.keywords if k.arg == "title"]
        if name in ("set_title", "suptitle", "title") and node.args:
            values.append(node.args[0])
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip():
                titles.append(value.value.strip())
    return list(dict.fromkeys(titles))


def figure_alt(cells, i):
    """The alt text of a figure that code cell i of `cells` draws (see ALT_KEY's comment)."""
    title = "; ".join(markdown_as_text(t) for t in _literal_titles(cells[i].source))
    said = takeaway(cells, i)
    if title and said:
        return f"{title.rstrip('.')}. {said}"
    if title or said:
        return title or said
    calls = re.findall(r"\b([a-z_][\w.]*)\(", cells[i].source)
    drawn = [c.split(".")[-1] for c in calls if c.split(".")[-1] not in ("show", "subplots", "figure", "print")]
    return f"A figure drawn by {drawn[-1]}." if drawn else "A figure drawn by the code above."


def _number(value):
    """A saved setting as the course writes it: 1.0, -0.5, 0.354 (at most three figures), words as words."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value).replace("_", " ")
    text = repr(value) if isinstance(value, float) and len(repr(value)) <= 6 else f"{value:.3g}"
    return text.replace("-", "−")


# The names of a kernel widget's settings as a reader knows them (others lose their underscores).
SETTING_NAMES = {"eta": "learning rate η", "kind": "bug", "depth": "hidden layers", "hidden": "hidden units"}


def _pairs(values, names=None):
    return ", ".join(f"{(names or {}).get(k, k)} = {_number(v)}" for k, v in values.items())


# How each page widget's saved state reads as its starting state.
PAGE_WIDGET_START = {
    "weight_explorer": lambda s: (f"weights {_pairs(s['weights'])}, learning rate η = {_number(s['eta'])}, on the "
                                  f"example x = ({_number(s['sample']['x1'])}, {_number(s['sample']['x2'])}) with "
                                  f"target y = {_number(s['sample']['y'])}"),
    "neuron_explorer": lambda s: (f"input x = {_number(s['x'])}, weight w = {_number(s['w'])}, bias b = "
                                  f"{_number(s['b'])}, {s['activation']} activation"),
    "loss_explorer": lambda s: f"prediction ŷ = {_number(s['y_hat'])} against the target y = {_number(s['y'])}",
    "chain_rule_nudger": lambda s: f"x = {_number(s['x'])}, nudge = {_number(s['nudge'])}",
    "gradient_descent_playground": lambda s: (f"learning rate η = {_number(s['eta'])}, {s['steps']} steps from "
                                              f"{_pairs(s['start'])}"),
    "backward_stepper": lambda s: (f"{s['expression']}, before its first step of "
                                   f"{len(s['computations'][s['expression']]['steps'])}"),
}


def _widget_title(data):
    """A widget's title from its text, '<Weight explorer (2-2-1 network): interactive ...>' -> 'Weight explorer (2-2-1 network)'."""
    text = data.get("text/plain", "").strip().strip("<>")
    return text.split(":", 1)[0].strip() or "A widget"


def _kernel_widget_start(source):
    """The starting settings of a kernel widget from the call that builds it (`depth_explorer(depth=4)`) and
    the defaults of that function in helpers.widgets; '' when the call or the function cannot be read."""
    try:
        call = ast.parse(source).body[-1].value
        name = call.func.id
        import inspect

        import helpers.widgets

        bound = inspect.signature(getattr(helpers.widgets, name)).bind(
            *[ast.literal_eval(a) for a in call.args], **{k.arg: ast.literal_eval(k.value) for k in call.keywords})
    except (AttributeError, IndexError, SyntaxError, ValueError, TypeError, ImportError):
        return ""
    bound.apply_defaults()
    return ", ".join(f"{SETTING_NAMES.get(k, k.replace('_', ' '))} = {_number(v)}" for k, v in bound.arguments.items())


def widget_alt(data, source):
    """The alt text of a widget's still picture: which widget, and how it starts."""
    title = _widget_title(data)
    start = ""
    if PAGE_MIME in data:
        try:
            name, state = _page_widget(data)
            start = (PAGE_WIDGET_START[name](state) if name in PAGE_WIDGET_START else
                     _pairs({k: v for k, v in state.items() if k != "presentation" and not k.startswith("_")
                             and isinstance(v, (int, float, str)) and not isinstance(v, bool)}))
        except (ValueError, KeyError, TypeError):
            start = ""
    else:
        start = _kernel_widget_start(source)
    return f"{title}, as it starts" + (f": {start}." if start else ".")


def describe_pictures(nb):
    """Give every picture output of `nb` (in place) its alt text, kept in the output's metadata under ALT_KEY."""
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if not any(kind in data for kind in PICTURE_TYPES):
                continue
            widget = WIDGET_VIEW in data or PAGE_MIME in data
            alt = widget_alt(data, cell.source) if widget else figure_alt(nb.cells, i)
            output.setdefault("metadata", nbformat.NotebookNode())[ALT_KEY] = {"alt": alt}


# Page widgets. The loader below is inlined once in a page that has any: for each widget it parses
# the widget's saved state, imports the widget's module (inlined once per page as a JSON string,
# imported through a Blob URL made in the page, so nothing is fetched), and calls its render.
# PageModel is the part of an anywidget model a page widget may use: get, set (which calls the
# "change:NAME" callbacks, then "change", for the names whose value changed), save_changes (which
# has no kernel to send to), on and off. If a widget fails to start, its still picture is shown
# and the error is thrown on, so that it reaches the console.
PAGE_WIDGET_LOADER = """<script type="module">
class PageModel {
  constructor(state) { this._state = state; this._callbacks = new Map(); }
  get(name) { return this._state[name]; }
  set(name, value) {
    const changes = typeof name === "object" && name !== null ? name : { [name]: value };
    const changed = [];
    for (const [key, next] of Object.entries(changes)) {
      const same = key in this._state && JSON.stringify(this._state[key]) === JSON.stringify(next);
      this._state[key] = next;
      if (!same) changed.push(key);
    }
    for (const key of changed) this._emit("change:" + key, this._state[key]);
    if (changed.length) this._emit("change");
  }
  save_changes() {}
  on(events, callback, context) {
    for (const event of events.split(/\\s+/).filter(Boolean)) {
      if (!this._callbacks.has(event)) this._callbacks.set(event, []);
      this._callbacks.get(event).push({ callback, context });
    }
  }
  off(events, callback) {
    const names = events ? events.split(/\\s+/).filter(Boolean) : [...this._callbacks.keys()];
    for (const event of names) {
      const kept = (this._callbacks.get(event) || []).filter(c => callback && c.callback !== callback);
      this._callbacks.set(event, kept);
    }
  }
  _emit(event, value) {
    for (const { callback, context } of [...(this._callbacks.get(event) || [])]) {
      callback.call(context, this, value);
    }
  }
}

const modules = new Map();
function widgetModule(name) {
  if (!modules.has(name)) {
    const script = [...document.querySelectorAll("script.PAGE_WIDGET_CLASS-module")]
      .find(s => s.dataset.module === name);
    const url = URL.createObjectURL(new Blob([JSON.parse(script.textContent)], { type: "text/javascript" }));
    modules.set(name, import(url).then(async module => {
      URL.revokeObjectURL(url);
      const widget = module.default ?? module;
      return typeof widget === "function" ? await widget() : widget;
    }));
  }
  return modules.get(name);
}

async function start(host) {
  const el = host.querySelector(".PAGE_WIDGET_CLASS-view");
  try {
    const model = new PageModel(JSON.parse(host.querySelector("script.PAGE_WIDGET_CLASS-state").textContent));
    const widget = await widgetModule(host.dataset.module);
    if (widget.initialize) await widget.initialize({ model });
    host.cleanup = await widget.render({ model, el });  // what would take the widget down again
    host.classList.add("PAGE_WIDGET_CLASS-live");
  } catch (error) {
    el.innerHTML = host.querySelector("noscript").textContent;
    throw error;
  }
}

for (const host of document.querySelectorAll("div.PAGE_WIDGET_CLASS")) start(host);
</script>"""
PAGE_WIDGET_LOADER = PAGE_WIDGET_LOADER.replace("PAGE_WIDGET_CLASS", PAGE_WIDGET_CLASS)


def json_in_script(value):
    """`value` as JSON that can sit inside a <script> element: no "<", ">" or "&" that HTML would read."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def helpers_module_source(name):
    """The ES module of page widget `name`, from helpers.widgets.page (imported only when a page needs it)."""
    from helpers.widgets.page import module_source

    return module_source(name)


def _picture(data, note, alt=None):
    alt = html.escape(alt or data.get("text/plain", "A widget"))
    return (f'<div class="jp-RenderedImage book-widget"><img class="book-widget-picture" '
            f'src="data:image/png;base64,{html.escape(data["image/png"])}" alt="{alt}">'
            f'<p class="book-widget-note">{note}</p></div>')


def page_widget_html(name, state, data, module_text=None, loader=False, alt=None):
    """The live element for one page widget's saved output `data`.

    `module_text` (the module's source) is inlined with it when this is the first widget of its module on
    the page, and `loader` when it is the first page widget of the page. `alt` is its still picture's alt
    text (the widget's text when None).
    """
    parts = [PAGE_WIDGET_LOADER] if loader else []
    if module_text is not None:
        parts.append(f'<script type="application/json" class="{PAGE_WIDGET_CLASS}-module" '
                     f'data-module="{html.escape(name)}">{json_in_script(module_text)}</script>')
    still = (_picture(data, "A picture of the widget as it starts. Turn on JavaScript, or open the notebook "
                            "in JupyterLab, to use it.", alt) if "image/png" in data
             else f"<pre>{html.escape(data.get('text/plain', ''))}</pre>")
    parts.append(f'<div class="{PAGE_WIDGET_CLASS} tex2jax_ignore" data-module="{html.escape(name)}">'
                 f'<script type="application/json" class="{PAGE_WIDGET_CLASS}-state">{json_in_script(state)}</script>'
                 f'<div class="{PAGE_WIDGET_CLASS}-view"></div>'
                 f'<noscript>{still}</noscript></div>')
    return "\n".join(parts)


def _page_widget(data):
    """(module name, state) of an output's PAGE_MIME entry, or a ValueError saying what is wrong with it."""
    entry = data[PAGE_MIME]
    if isinstance(entry, str):
        entry = json.loads(entry)
    if not isinstance(entry, dict) or not isinstance(entry.get("module"), str) \
            or not isinstance(entry.get("state", {}), dict):
        raise ValueError(f"{PAGE_MIME} should be {{'module': name, 'state': {{...}}}}, not {entry!r}")
    return entry["module"], entry.get("state", {})


def with_page_widgets(nb, module_source, problems, where):
    """Turn each page widget's output of `nb` (in place) into its live element; return how many went live.

    `module_source(name)` gives a module's text (a ValueError for an unknown name). A widget whose module
    cannot be had keeps its still picture, and the reason is added to `problems`, prefixed by `where`.
    """
    inlined, live = set(), 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PAGE_MIME not in data:
                continue
            try:
                name, state = _page_widget(data)
                module_text = None if name in inlined else module_source(name)
            except (ValueError, ImportError) as error:
                problems.append(f"{where}: a page widget cannot run in the page, so it shows its picture: {error}")
                del data[PAGE_MIME]
                continue
            kept = {"text/plain": data["text/plain"]} if "text/plain" in data else {}
            alt = output.get("metadata", {}).get(ALT_KEY, {}).get("alt")
            output.data = nbformat.from_dict(
                {"text/html": page_widget_html(name, state, data, module_text, loader=live == 0, alt=alt), **kept})
            inlined.add(name)
            live += 1
    return live


def build_page(exporter, chapter, previous, following, known_stems, module_source=helpers_module_source,
               problems=None):
    """The page of `chapter` (HTML) and how many page widgets run in it."""
    nb = for_readers(nbformat.read(chapter.path, as_version=4))
    describe_pictures(nb)
    nb.metadata.pop("widgets", None)  # no widget manager from the web: page widgets bring their own modules
    live = with_page_widgets(nb, module_source, [] if problems is None else problems, chapter.page)
    nb.metadata["title"] = chapter.title
    resources = {
        "metadata": {"name": chapter.stem, "path": str(chapter.path.parent)},
        "book": {"css": BOOK_CSS + PAGE_CSS, "mathjax": mathjax_tags(), "nav_top": _nav(previous, following, "top"),
                 "nav_bottom": _nav(previous, following, "bottom")},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return rewrite_links(body, known_stems), live


def build_index(course, about=True, live_widgets=False):
    items = []
    for chapter in course:
        question = markdown_to_html(chapter.question) if chapter.question else ""
        question = re.sub(r"^<p>|</p>\s*$", "", question.strip())
        items.append(f'<li><a href="{chapter.page}">{html.escape(chapter.title)}</a>'
                     f'<p class="question">{question}</p></li>')
    intro = ("An interactive course on how neural networks learn, one notebook at a time. "
             "Read them in order; each one starts with the question it answers.")
    return INDEX_TEMPLATE.format(title="Backpropagation, one idea at a time", intro=intro,
                                 items="\n".join(items), css=BOOK_CSS,
                                 mathjax=mathjax_tags(), measure=MEASURE_CH,
                                 widgets=("the widgets built to run in the page move here too, while the others "
                                          "show a picture of how they start") if live_widgets
                                 else "each widget shows a picture of how it starts",
                                 about=' <a href="readme.html">About the course</a>.' if about else "")


def build_readme(readme, known_stems):
    """A Markdown file (the README, the teacher's guide) as a page of the book, or None if absent."""
    if readme is None or not Path(readme).exists():
        return None
    source = Path(readme).read_text(encoding="utf-8")
    body = markdown_to_html(source, exclude_anchor_links=True)
    body = rewrite_links(body, known_stems)
    title = next((line.lstrip("#").strip() for line in source.splitlines() if line.startswith("#")), "README")
    return README_TEMPLATE.format(title=html.escape(title), body=body, css=BOOK_CSS, mathjax="", measure=MEASURE_CH)


def build(out="site", notebook_dir=NOTEBOOKS, readme=README, module_source=helpers_module_source):
    """Write the book into `out` (emptied first) and return a Book describing it.

    `readme` (Markdown) becomes readme.html, linked from the index; None leaves it out.
    `module_source(name)` gives the ES module of page widget `name` (helpers.widgets.page's by default);
    each module is asked for once per build.
    """
    start = time.perf_counter()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / "index.html").is_file() or not (out / MATHJAX_DIR).is_dir():
            raise FileExistsError(f"{out} is not empty and does not look like a book built before; "
                                  "choose another folder with --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    course = chapters(notebook_dir)
    if not course:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebook_dir}")
    known = {chapter.stem for chapter in course}
    exporter = BookExporter()
    problems = []
    pages = {}
    sources = {}

    def source_once(name):
        if name not in sources:
            sources[name] = module_source(name)
        return sources[name]

    live = 0
    for i, chapter in enumerate(course):
        previous = course[i - 1] if i > 0 else None
        following = course[i + 1] if i + 1 < len(course) else None
        pages[chapter.page], page_live = build_page(exporter, chapter, previous, following, known,
                                                    source_once, problems)
        live += page_live
    readme_page = build_readme(readme, known)
    if readme_page is not None:
        pages["readme.html"] = readme_page
    teaching_page = build_readme(Path(notebook_dir) / "TEACHING.md", known)
    if teaching_page is not None:
        pages["teaching.html"] = teaching_page
    pages["index.html"] = build_index(course, about=readme_page is not None, live_widgets=live > 0)
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    copy_mathjax(out)
    for name, text in pages.items():
        problems += [f"{name}: loads {what} from the web" for what in remote_resources(text)]
        problems += [f"{name}: link to {href!r}, which is not in the book" for href in broken_links(text, out)]
    return Book(out=out, chapters=course, problems=problems, seconds=time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.book", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="site", help="folder to write the book into (default: site)")
    args = parser.parse_args(argv)
    book = build(args.out)
    size = book.size_bytes / 1e6
    print(f"Wrote {len(book.chapters)} notebooks and an index to {book.out}/ "
          f"({size:.1f} MB, {book.seconds:.1f} s). Open {book.out / 'index.html'} in a browser.")
    for problem in book.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 1 if book.problems else 0


if __name__ == "__main__":
    sys.exit(main())
