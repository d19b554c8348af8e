"""`make book`: the static copy of the course in site/, built from the saved notebooks.

The book is built once into a temporary folder (conftest.py's course_book, shared with
test_book_browser.py); the tests read its files as a browser would
find them on disk.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

import fixtures_page
from tools import book

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the visible text outside <script>/<style>."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self._skip = [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag
                and all(k in a and (v in a[k].split() if k == "class" else a[k] == v) for k, v in attrs.items())]


@pytest.fixture(scope="module")
def site(course_book):
    """The course's book, built once for this file and test_book_browser.py (conftest.py)."""
    return course_book


def _page(site, name):
    return (site / name).read_text(encoding="utf-8")


def _title_and_question(path):
    first = next(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    title = next(line.lstrip("#").strip() for line in first.splitlines() if line.startswith("#"))
    question = next(line for line in first.splitlines() if line.startswith(book.QUESTION_LABEL))
    return title, question[len(book.QUESTION_LABEL):].strip()


def test_there_is_a_course_to_build():
    assert len(NOTEBOOKS) >= 2


def test_index_lists_every_notebook_in_course_order_with_its_title_and_question(site):
    index = Tags(_page(site, "index.html"))
    links = [a["href"] for a in index.find("a") if a.get("href", "").endswith(".html")
             and re.match(r"\d\d_", a["href"])]
    assert links == [f"{p.stem}.html" for p in NOTEBOOKS]
    for href in links:
        assert (site / href).is_file(), href
    text = " ".join(" ".join(index.text).split())
    positions = []
    for path in NOTEBOOKS:
        title, question = _title_and_question(path)
        assert title in text, title
        plain_question = " ".join(re.sub(r"[*_`]", "", question).split())
        assert plain_question in text, plain_question
        positions.append(text.index(title))
    assert positions == sorted(positions)


def test_each_page_links_to_the_previous_and_next_notebook_and_the_index(site):
    pages = [f"{p.stem}.html" for p in NOTEBOOKS]
    for i, name in enumerate(pages):
        tags = Tags(_page(site, name))
        assert tags.find("a", href="index.html"), name
        prev = [a["href"] for a in tags.find("a", rel="prev")]
        following = [a["href"] for a in tags.find("a", rel="next")]
        assert prev == ([pages[i - 1]] * 2 if i > 0 else []), name
        assert following == ([pages[i + 1]] * 2 if i + 1 < len(pages) else []), name


def test_links_between_notebooks_point_at_the_pages(site):
    linked = 0
    for path in NOTEBOOKS:
        source = path.read_text(encoding="utf-8")
        page = _page(site, f"{path.stem}.html")
        hrefs = {a.get("href", "") for a in Tags(page).find("a")}
        for target in set(re.findall(r"\]\((\d\d_[\w-]+)\.ipynb", source)):
            assert f"{target}.html" in hrefs, f"{path.name}: the link to {target}.ipynb was not rewritten"
            linked += 1
        assert not [h for h in hrefs if ".ipynb" in h], f"{path.name} still links to a notebook file"
    assert linked, "no notebook links another: the rewrite was not exercised"


def test_every_relative_link_and_picture_resolves_inside_the_book(site):
    for page in sorted(site.glob("*.html")):
        for tag, attrs in Tags(page.read_text(encoding="utf-8")).tags:
            for key in ("href", "src"):
                url = attrs.get(key)
                if not url or url.startswith(("#", "data:", "mailto:")) or re.match(r"[a-z]+://", url):
                    continue
                target = url.split("#")[0].split("?")[0]
                assert (page.parent / target).exists(), f"{page.name}: <{tag} {key}={url!r}> is missing"


def test_no_page_loads_anything_from_the_web(site):
    pages = sorted(site.glob("*.html"))
    assert len(pages) == len(NOTEBOOKS) + 3  # the notebooks, the index, the README, the teacher's guide
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag, attrs in Tags(text).tags:
            if tag in ("script", "link", "img", "iframe", "source", "embed", "video", "audio"):
                for key in ("src", "href"):
                    url = attrs.get(key, "")
                    assert not re.match(r"\s*(https?:)?//", url, re.IGNORECASE), f"{page.name}: <{tag} {key}={url}>"
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), f"{page.name}: CSS loads a font or image from the web"
        for cdn in ("cdnjs", "unpkg", "jsdelivr", "require.min.js", "googleapis"):
            assert cdn not in text, f"{page.name} mentions {cdn}"
        assert book.remote_resources(text) == []


def test_the_maths_is_left_for_the_local_mathjax_which_is_in_the_book(site):
    for path in NOTEBOOKS:
        page = _page(site, f"{path.stem}.html")
        scripts = [a["src"] for a in Tags(page).find("script") if "src" in a]
        assert scripts == ["mathjax/MathJax.js?" + book.MATHJAX_QUERY], path.name
        assert "tex2jax" in page and "inlineMath: [ ['$','$']" in page
    mathjax = site / "mathjax"
    for needed in ("MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js", "extensions/Safe.js",
                   "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
                   "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff"):
        assert (mathjax / needed).is_file(), needed
    # The formulas are in the text between the delimiters MathJax looks for, HTML-escaped once.
    page = _page(site, "04_backprop_by_hand.html")
    text = " ".join(Tags(page).text)
    assert text.count("$$") >= 2 and "\\frac{\\partial L}" in text
    assert "\\underbrace" in _page(site, "03_chain_rule.html")


def test_the_book_is_small_enough_to_hand_round(site):
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size < 30e6, f"site/ is {size / 1e6:.1f} MB"
    assert not (site / "mathjax" / "jax" / "output" / "SVG").exists()
    assert not (site / "mathjax" / "localization").exists()


def test_saved_outputs_are_shown_and_widgets_fall_back_to_their_picture_or_text(site):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        page = _page(site, f"{path.stem}.html")
        tags = Tags(page)
        text = " ".join(tags.text)
        widgets = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if WIDGET_VIEW in o.get("data", {})]
        with_picture = [o for o in widgets if "image/png" in o.data]
        assert len(tags.find("img", **{"class": "book-widget-picture"})) == len(with_picture), path.name
        page_widgets = [o for o in widgets if book.PAGE_MIME in o.data]
        assert len(tags.find("div", **{"class": book.PAGE_WIDGET_CLASS})) == len(page_widgets), path.name
        for output in widgets:
            if "image/png" not in output.data:
                assert output.data["text/plain"] in text, path.name
        # no ipywidgets markup or saved widget state: only the book's own page-widget states
        assert "jupyter-widgets" not in page and not re.search(r"(?<!book-page-)widget-state", page)
        streams = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.text.strip()]
        if streams:
            assert streams[0].strip().splitlines()[0].strip() in text, path.name


def _widget_notebook(data):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 00 · Demo\n\n**The question to read it by:** does $x$ show?"),
                nbformat.v4.new_code_cell("w = widget()", outputs=[nbformat.v4.new_output("display_data", data=data)])]
    return nb


def test_a_widget_output_shows_its_png_when_it_has_one_and_its_text_otherwise(tmp_path):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    view = {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_widget_notebook({WIDGET_VIEW: view, "text/plain": "<Demo widget: picture>", "image/png": png}),
                   notebooks / "00_picture.ipynb")
    nbformat.write(_widget_notebook({WIDGET_VIEW: view, "text/plain": "<Demo widget: text only>"}),
                   notebooks / "01_text.ipynb")
    built = book.build(tmp_path / "site", notebook_dir=notebooks, readme=None)
    assert built.problems == []

    picture = Tags(_page(built.out, "00_picture.html"))
    images = picture.find("img", **{"class": "book-widget-picture"})
    assert [i["src"] for i in images] == [f"data:image/png;base64,{png}"]
    assert images[0]["alt"] == "Demo widget, as it starts."  # its name, from its text
    assert "<Demo widget: picture>" not in " ".join(picture.text)  # the picture, not the text

    text = Tags(_page(built.out, "01_text.html"))
    assert not text.find("img")
    assert "<Demo widget: text only>" in " ".join(text.text)
    for name in ("00_picture.html", "01_text.html"):
        assert "jupyter-widgets" not in _page(built.out, name)


def test_the_teachers_guide_is_a_page_of_the_book_linked_from_every_notebook(site):
    guide = site / "teaching.html"
    assert guide.exists()
    for name in NOTEBOOKS:
        page = (site / f"{Path(name).stem}.html").read_text(encoding="utf-8")
        assert 'href="teaching.html"' in page
    assert 'href="teaching.html"' in (site / "readme.html").read_text(encoding="utf-8")


# What a reader of the book can use: no verdict of a check they cannot run, no instructions for a
# running notebook, the question and its folded solution, a readable measure, and notebook 10.

_CHECK_CALL = re.compile(r"\bcheck\.\w+\(")


def _plain(output):
    return output.get("data", {}).get("text/plain", "") or output.get("text", "")


def _check_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "code" and _CHECK_CALL.search(c.source)]


def test_every_exercise_shows_its_question_and_folded_solution_not_the_checks_verdict(site):
    checked = 0
    for path in NOTEBOOKS:
        page = _page(site, f"{path.stem}.html")
        tags = Tags(page)
        squeezed = "".join("".join(tags.text).split())
        assert "course-feedback" not in page, f"{path.name} shows a check's verdict panel"
        cells = _check_cells(path)
        notes = tags.find("p", **{"class": book.READER_NOTE_CLASS})
        assert len(notes) == len(cells), path.name
        for cell in cells:
            for output in cell.outputs:  # the saved verdict ("Not answered yet ... run the cell again") is gone
                verdict = " ".join(_plain(output).split())
                assert not verdict or verdict not in " ".join(" ".join(tags.text).split()), (path.name, verdict)
            # the question: the exercise's code, with its `answer = None`, is shown
            assert "".join(cell.source.split()) in squeezed, path.name
        solutions = sum(c.source.count("<details") for c in nbformat.read(path, as_version=4).cells
                        if c.cell_type == "markdown")
        assert len(tags.find("details")) == solutions, path.name
        assert all("open" not in d for d in tags.find("details")), f"{path.name}: a solution is unfolded"
        checked += len(cells)
    assert checked >= 20, "too few exercises were found for this test to mean anything"


def _exercise_notebook(check_output):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 00 · Demo\n\n**The question to read it by:** why?\n\n"
                                      "**Teaching from a projector?** Run `helpers.presentation_mode()` first. "
                                      "The [teacher's guide](TEACHING.md) has a plan.\n\n"
                                      "**After a restart** of the kernel, run the cells above first."),
        nbformat.v4.new_code_cell("for eta in check.RATES:\n    print(eta)",
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="0.1\n4\n")]),
        nbformat.v4.new_code_cell("answer = None  # your answer here\ncheck.rate ( answer )", outputs=[check_output]),
        nbformat.v4.new_markdown_cell("<details><summary>Worked solution</summary>\n\n`answer = 4`\n\n</details>"),
        nbformat.v4.new_code_cell("answer = None\nresult = check.other(answer)\nresult",
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="Not yet. Try\n")]),
    ]
    return nb


@pytest.mark.parametrize("output", [
    nbformat.v4.new_output("execute_result", execution_count=3, data={
        "text/html": '<div class="course-feedback">Not answered yet. Replace None, then run the cell again.</div>',
        "text/plain": "Not answered yet. Replace None, then run the cell again."}),
    nbformat.v4.new_output("execute_result", execution_count=3, data={
        "text/plain": "✏️ Not answered yet. Replace None, then run the cell again."}),
], ids=["html-panel", "plain-text"])
def test_a_check_cell_is_recognised_by_its_call_whatever_its_output_looks_like(tmp_path, output):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_exercise_notebook(output), notebooks / "00_demo.ipynb")
    built = book.build(tmp_path / "site", notebook_dir=notebooks, readme=None)
    page = _page(built.out, "00_demo.html")
    text = " ".join(" ".join(Tags(page).text).split())
    assert "Not answered yet" not in page and "Not yet. Try" not in page and "course-feedback" not in page
    notes = Tags(page).find("p", **{"class": book.READER_NOTE_CLASS})
    assert len(notes) == 2
    assert text.count("then open the worked solution below") == 1  # only the first check has one below
    assert "0.1 4" in text, "a cell that only reads check.RATES keeps its printed output"
    assert "answer=None#youranswerherecheck.rate(answer)" in "".join(text.split()), "the exercise's code is shown"
    assert "presentation_mode" not in text and "projector" not in text and "After a restart" not in text
    assert "The teacher's guide has a plan." in text


def test_live_only_sentences_go_and_the_rest_of_their_paragraph_stays():
    source = ("Intro line.\n\n**Teaching from a projector?** Run `import helpers; helpers.presentation_mode()` "
              "in a cell: it grows. The [guide](TEACHING.md) has a plan.\n\n"
              "**After a restart** of the kernel, run the cells above.\n\nLast.")
    assert book.without_live_only_sentences(source) == \
        "Intro line.\n\nThe [guide](TEACHING.md) has a plan.\n\nLast."
    assert book.without_live_only_sentences("No instructions here.\n\nNone.") == "No instructions here.\n\nNone."


def test_no_notebook_page_tells_a_reader_to_use_presentation_mode_or_restart_a_kernel(site):
    for path in NOTEBOOKS:
        text = " ".join(Tags(_page(site, f"{path.stem}.html")).text)
        for phrase in ("presentation_mode", "from a projector", "After a restart"):
            assert phrase not in text, f"{path.name} tells a reader: {phrase!r}"


def test_the_text_column_is_set_to_a_readable_measure_in_ch():
    assert re.search(rf"\.jp-RenderedMarkdown \{{ max-width: {book.MEASURE_CH}ch", book.PAGE_CSS)
    assert f"max-width: {book.MEASURE_CH}ch" in book.build_index([])
    assert f"max-width: {book.MEASURE_CH}ch" in book.build_readme(ROOT / "README.md", set())
    assert 45 <= book.MEASURE_CH <= 80


def test_a_new_notebook_such_as_10_becomes_a_page_without_any_change_to_the_book(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem, title in (("00_start", "00 · Start"), ("01_next", "01 · Next"), ("10_autograd", "10 · Autograd")):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
            f"# {title}\n\n**The question to read it by:** what is {stem}?")])
        nbformat.write(nb, notebooks / f"{stem}.ipynb")
    built = book.build(tmp_path / "site", notebook_dir=notebooks, readme=None)
    assert built.problems == []
    assert [c.stem for c in built.chapters] == ["00_start", "01_next", "10_autograd"]
    index = Tags(_page(built.out, "index.html"))
    assert [a["href"] for a in index.find("a") if a["href"].endswith(".html")] == \
        ["00_start.html", "01_next.html", "10_autograd.html"]
    assert [a["href"] for a in Tags(_page(built.out, "01_next.html")).find("a", rel="next")] == ["10_autograd.html"] * 2



# Page widgets: an output carrying PAGE_MIME runs its ES module in the page. The modules here are the
# test widgets of tests/fixtures_page (a counter, a probe of the model API), standing in for helpers'.

COUNTER = fixtures_page.module_source("counter")


class Scripts(HTMLParser):
    """Every <script> of a page: its attributes, the data-module of the page widget it sits in, its text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.scripts, self._open, self._widget = [], None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and book.PAGE_WIDGET_CLASS in attrs.get("class", "").split():
            self._widget = attrs.get("data-module")
        if tag == "script":
            self._open = (attrs, self._widget, [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open:
            attrs, widget, text = self._open
            self.scripts.append((attrs, widget, "".join(text)))
            self._open = None
        if tag == "noscript":  # the last part of a page widget's element
            self._widget = None

    def of_class(self, name):
        return [(attrs, widget, text) for attrs, widget, text in self.scripts if attrs.get("class") == name]


def _module_scripts(page):
    """{module name: [its inlined source, ...]} for every module inlined in the page."""
    found = {}
    for attrs, _, text in Scripts(page).of_class(f"{book.PAGE_WIDGET_CLASS}-module"):
        assert attrs["type"] == "application/json"
        found.setdefault(attrs["data-module"], []).append(json.loads(text))
    return found


def _states(page):
    """The saved state of each page widget of the page, in page order, with its module's name."""
    states = Scripts(page).of_class(f"{book.PAGE_WIDGET_CLASS}-state")
    return [(widget, json.loads(text)) for _attrs, widget, text in states]


def _noscripts(page):
    return re.findall(r"<noscript>(.*?)</noscript>", page, re.DOTALL)


def _build_demo(tmp_path, notebooks, module_source=fixtures_page.module_source):
    notebook_dir = fixtures_page.write_notebooks(tmp_path, notebooks)
    return book.build(tmp_path / "site", notebook_dir=notebook_dir, readme=None, module_source=module_source)


def test_a_page_widget_becomes_a_live_element_with_its_module_state_model_and_still_picture(tmp_path):
    state = {"count": 3, "label": "Add 1 </script> <b>&</b>"}
    built = _build_demo(tmp_path, {"00_demo": fixtures_page.notebook(
        fixtures_page.widget_output("counter", state, text="<Counter at 3>"))})
    assert built.problems == []
    page = _page(built.out, "00_demo.html")
    assert _module_scripts(page) == {"counter": [COUNTER]}, "the module is inlined once, whole"
    assert _states(page) == [("counter", state)]
    assert page.count("class PageModel") == 1, "the page carries the model for its widgets once"
    for part in ("get(name)", "set(name, value)", "save_changes()", "on(events, callback", "off(events, callback",
                 "widget.render({ model, el })", "URL.createObjectURL"):
        assert part in page, part
    still = _noscripts(page)
    assert len(still) == 1 and f'src="data:image/png;base64,{fixtures_page.PNG}"' in still[0]
    assert 'alt="Counter at 3, as it starts: count = 3, label = Add 1 &lt;/script&gt; &lt;b&gt;&amp;&lt;/b&gt;."' in still[0]
    outside = re.sub(r"<noscript>.*?</noscript>", "", page, flags=re.DOTALL)
    assert "book-widget-picture" not in outside, "with JavaScript on, the live widget stands where the picture was"
    assert fixtures_page.WIDGET_VIEW not in page and "jupyter-widgets" not in page
    assert book.remote_resources(page) == []


def test_two_widgets_of_one_module_share_one_copy_of_it_and_keep_separate_states(tmp_path):
    built = _build_demo(tmp_path, {"00_demo": fixtures_page.notebook(
        fixtures_page.widget_output("counter", {"count": 0, "label": "first"}),
        fixtures_page.widget_output("model_probe", {"count": 1, "label": "one"}),
        fixtures_page.widget_output("counter", {"count": 10, "label": "second"}))})
    assert built.problems == []
    page = _page(built.out, "00_demo.html")
    assert _module_scripts(page) == {"counter": [COUNTER], "model_probe": [fixtures_page.module_source("model_probe")]}
    assert _states(page) == [("counter", {"count": 0, "label": "first"}), ("model_probe", {"count": 1, "label": "one"}),
                             ("counter", {"count": 10, "label": "second"})]
    assert page.count("class PageModel") == 1
    assert len(_noscripts(page)) == 3


def test_each_page_carries_its_own_modules_and_each_module_is_read_once_per_build(tmp_path):
    asked = []

    def counting_source(name):
        asked.append(name)
        return fixtures_page.module_source(name)

    counter = fixtures_page.widget_output("counter", {"count": 0, "label": "Add 1"})
    built = _build_demo(tmp_path, {"00_one": fixtures_page.notebook(counter, counter, title="00 · One"),
                                   "01_two": fixtures_page.notebook(counter, title="01 · Two")}, counting_source)
    assert built.problems == []
    assert asked == ["counter"]
    for name in ("00_one.html", "01_two.html"):  # a page opens on its own, so each one has the module
        assert _module_scripts(_page(built.out, name)) == {"counter": [COUNTER]}, name
    index = " ".join(" ".join(Tags(_page(built.out, "index.html")).text).split())
    assert "the widgets built to run in the page move here too" in index


def test_a_page_widget_whose_module_is_unknown_keeps_its_picture_and_the_build_says_why(tmp_path):
    built = _build_demo(tmp_path, {"00_demo": fixtures_page.notebook(
        fixtures_page.widget_output("no_such_widget", {"count": 0}, text="<A widget>"))})
    assert built.problems == ["00_demo.html: a page widget cannot run in the page, so it shows its picture: "
                              "there is no page widget module named 'no_such_widget'"]
    page = _page(built.out, "00_demo.html")
    images = Tags(page).find("img", **{"class": "book-widget-picture"})
    assert [i["src"] for i in images] == [f"data:image/png;base64,{fixtures_page.PNG}"]
    assert not Tags(page).find("div", **{"class": book.PAGE_WIDGET_CLASS})
    assert "class PageModel" not in page and not _noscripts(page)


@pytest.mark.parametrize("entry", [{"state": {"count": 0}}, {"module": "counter", "state": [0]}, "not json"],
                         ids=["no-module", "state-not-a-dict", "not-json"])
def test_a_page_widget_entry_that_is_not_a_module_and_a_state_keeps_its_picture(tmp_path, entry):
    output = fixtures_page.widget_output("counter", {"count": 0})
    output.data[book.PAGE_MIME] = entry
    notebook_dir = fixtures_page.write_notebooks(tmp_path, {"00_demo": fixtures_page.notebook(output)})
    built = book.build(tmp_path / "site", notebook_dir=notebook_dir, readme=None,
                       module_source=fixtures_page.module_source)
    assert len(built.problems) == 1 and "cannot run in the page, so it shows its picture" in built.problems[0]
    page = _page(built.out, "00_demo.html")
    assert len(Tags(page).find("img", **{"class": "book-widget-picture"})) == 1 and not _noscripts(page)


def test_a_book_without_page_widgets_never_reads_a_module_and_carries_no_model(tmp_path):
    def no_module(name):
        raise AssertionError(f"a book without page widgets asked for the module {name!r}")

    png = fixtures_page.PNG
    view = {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}
    built = _build_demo(tmp_path, {"00_picture": _widget_notebook(
        {WIDGET_VIEW: view, "text/plain": "<Demo widget: picture>", "image/png": png})}, no_module)
    assert built.problems == []
    page = _page(built.out, "00_picture.html")
    assert not Tags(page).find("div", **{"class": book.PAGE_WIDGET_CLASS})
    assert not Tags(page).find("script", type="module") and "class PageModel" not in page and not _noscripts(page)
    assert len(Tags(page).find("img", **{"class": "book-widget-picture"})) == 1
    index = " ".join(" ".join(Tags(_page(built.out, "index.html")).text).split())
    assert "each widget shows a picture of how it starts" in index


def test_json_in_a_script_cannot_close_it_and_reads_back_the_same():
    value = {"text": "</script><!-- & -->", "n": [1.5, -2e-13]}
    text = book.json_in_script(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_the_book_recognises_the_page_widgets_mime_type_that_helpers_write():
    import helpers.widgets.page as page
    assert book.PAGE_MIME == page.PAGE_MIME


def _weight_explorer_notebook():
    """A notebook whose one output is the page weight explorer's, as displaying it saves it."""
    import helpers.widgets.page as page
    data, _metadata = page.PageWeightExplorer()._repr_mimebundle_()
    nb = fixtures_page.notebook(title="00 · Weights")
    nb.cells.append(nbformat.v4.new_code_cell("weight_explorer(home='page')",
                                              outputs=[nbformat.v4.new_output("display_data", data=data)]))
    return nb, page, data


def test_the_weight_explorer_saved_by_a_notebook_runs_in_the_book_from_helpers_module(tmp_path):
    nb, page_widgets, data = _weight_explorer_notebook()
    notebook_dir = fixtures_page.write_notebooks(tmp_path, {"00_weights": nb})
    built = book.build(tmp_path / "site", notebook_dir=notebook_dir, readme=None)  # helpers' modules
    assert built.problems == []
    page = _page(built.out, "00_weights.html")
    assert _module_scripts(page) == {"weight_explorer": [page_widgets.module_source("weight_explorer")]}
    assert _states(page) == [("weight_explorer", data[page_widgets.PAGE_MIME]["state"])]
    assert f'src="data:image/png;base64,{data["image/png"]}"' in _noscripts(page)[0]
    assert book.remote_resources(page) == []


def _widget_word(output):
    """A saved widget's name as the README writes it: its text up to the colon or bracket, lower case."""
    return re.match(r"<([^:(]+?)\s*[:(]", output.data["text/plain"]).group(1).lower()


def test_the_readme_says_which_book_pages_move_and_which_show_stills():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"\d\d .+", cells[0]):
            rows[cells[0][:2]] = tuple({w.strip() for w in c.split(",") if w.strip()} for c in cells[1:])
    said = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        widgets = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
        live = {_widget_word(o) for o in widgets if book.PAGE_MIME in o.data}
        still = {_widget_word(o) for o in widgets if book.PAGE_MIME not in o.data}
        said[path.stem[:2]] = (live, still)
    assert rows == said


# Alt text: a screen reader reads each picture's alt. nbconvert's default for a figure is a placeholder,
# the same for every figure; a widget's still used to be named by its text, "<... run the cell to use it>".

PLACEHOLDERS = {"no description has been provided for this image", "a widget", "image", "figure", "picture", "plot"}


def _pictures(page):
    """Every <img> of a page, those inside a page widget's <noscript> too (html.parser reads into it)."""
    return Tags(page).find("img")


def _saved_pictures(path):
    """(is a widget, the widget's title) for each picture output of a notebook, in page order."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data or "image/jpeg" in data:
                widget = WIDGET_VIEW in data
                found.append((widget, data["text/plain"].strip("<>").split(":")[0] if widget else None))
    return found


def test_every_picture_in_the_book_has_alt_text_that_says_what_it_shows(site):
    figures, pictures = [], 0
    for path in NOTEBOOKS:
        images = _pictures(_page(site, f"{path.stem}.html"))
        saved = _saved_pictures(path)
        assert len(images) == len(saved), f"{path.name}: {len(images)} pictures on the page, {len(saved)} saved"
        for image, (widget, title) in zip(images, saved):
            alt = image.get("alt", "")
            assert len(alt.strip()) >= 20, f"{path.name}: alt {alt!r} is too short to say what is shown"
            assert alt.strip().lower().rstrip(".") not in PLACEHOLDERS, f"{path.name}: placeholder alt {alt!r}"
            assert "$" not in alt and "\\" not in alt, f"{path.name}: alt has raw TeX: {alt!r}"
            assert not alt.startswith("<") and "run the cell" not in alt, f"{path.name}: alt is the widget's repr"
            if widget:  # which widget, and the numbers it starts from
                assert re.match(re.escape(title) + r", as it starts: \w.{8,}", alt), (path.name, alt)
            else:
                figures.append(alt)
            pictures += 1
        alts = [i["alt"] for i in images]
        assert len(alts) < 2 or len(set(alts)) > 1, f"{path.name}: every picture has the same alt {alts[0]!r}"
    assert pictures >= 40
    repeated = {alt for alt in figures if figures.count(alt) > 1}
    assert not repeated, f"figures that share one alt: {repeated}"


def test_a_figures_alt_is_its_title_and_the_takeaway_that_follows_it_with_maths_in_words(site):
    def alts(stem):
        return [i["alt"] for i in _pictures(_page(site, f"{stem}.html"))]

    # The first sentence of the next cell; a short one brings the next with it.
    assert alts("00_welcome")[0] == ("The numbers under the nodes are the forward pass: the output node reads "
                                     "ŷ = 0.700, short of the target 1.0.")
    assert alts("03_chain_rule")[0] == "Each secant joins the black dot at x = 3 to the square marker at x = 3 + ε."
    # The title the cell gives its figure, then the takeaway.
    assert alts("04_backprop_by_hand")[2].startswith("∂L/∂w3 = ∂L/∂ŷ × h1. ∂L / ∂w3 is negative, so increasing w3")
    assert alts("02_loss")[1].startswith("The loss as a landscape over one weight. Over w3 the landscape is a bowl")
    # A widget's still: its name and starting state, from its saved state or the call that built it.
    assert alts("00_welcome")[2] == ("Weight explorer (2-2-1 network), as it starts: weights w1 = −0.5, w2 = 0.3, "
                                     "w3 = 1.0, w4 = 0.6, learning rate η = 0.5, on the example x = (1.0, 0.5) "
                                     "with target y = 1.0.")
    assert "Depth explorer, as it starts: hidden layers = 8, activation = sigmoid, weight scale = 0.354." \
        in alts("06_backprop_any_depth")
    assert "Backward stepper, as it starts: the 2-2-1 example of 04, before its first step of 9." \
        in alts("10_autograd")


def test_tex_and_markdown_read_as_words_in_alt_text():
    assert book.tex_as_text(r"\partial L / \partial w_1") == "∂L / ∂w1"
    assert book.tex_as_text(r"\hat{y} = \frac{1}{2}(\hat y - y)^2") == "ŷ = 1/2(ŷ - y)²"
    assert book.tex_as_text(r"\lVert \partial L/\partial W^{[l]} \rVert \approx 10^{-3}") == "‖ ∂L/∂W[l] ‖ ≈ 10⁻³"
    assert book.tex_as_text(r"\eta \ge 0.5 \cdot \varepsilon") == "η ≥ 0.5 · ε"
    assert book.markdown_as_text("The **error signal** of [the guide](TEACHING.md), `w1` and $\\delta_1$.") == \
        "The error signal of the guide, w1 and δ1."


def _figure_notebook(cells):
    png = fixtures_page.PNG
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 00 · Demo\n\n**The question to read it by:** what shows?")]
    for kind, source in cells:
        if kind == "figure":
            nb.cells.append(nbformat.v4.new_code_cell(source, outputs=[nbformat.v4.new_output(
                "display_data", data={"image/png": png, "text/plain": "<Figure size 640x400 with 1 Axes>"})]))
        elif kind == "code":
            nb.cells.append(nbformat.v4.new_code_cell(source))
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
    return nb


def test_a_figure_takes_its_alt_from_its_title_and_the_next_paragraph_and_never_from_a_heading(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_figure_notebook([
        ("figure", 'ax.set_title("Loss over $w_3$")\nplt.show()'),
        ("markdown", "A bowl: $L$ is *lowest* at $w_3 \\approx 1.8$ and climbs steeply on both sides of it. "
                     "Then more.\n\nMore."),
        ("figure", "curve(L)\nplt.show()"),
        ("markdown", "Short one. It goes on to say what the curve shows, in a sentence of its own. Not this."),
        ("figure", 'plot(x, title=f"after {n} steps")\nplt.show()'),
        ("markdown", "## A new section\n\nText that is not about the figure."),
        ("figure", 'draw(net, title="Each weight\'s blame")\nplt.show()'),
        ("code", "print(1)"),
        ("markdown", "Time to check: a paragraph after other code."),
    ]), notebooks / "00_demo.ipynb")
    built = book.build(tmp_path / "site", notebook_dir=notebooks, readme=None)
    assert built.problems == []
    assert [i["alt"] for i in _pictures(_page(built.out, "00_demo.html"))] == [
        "Loss over w3. A bowl: L is lowest at w3 ≈ 1.8 and climbs steeply on both sides of it.",
        "Short one. It goes on to say what the curve shows, in a sentence of its own.",
        "A figure drawn by plot.",
        "Each weight's blame",
    ]
