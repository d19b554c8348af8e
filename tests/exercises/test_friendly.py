"""A NameError in a notebook comes with a friendly note to run the cells above (issue 12).

Run in real kernels: the note must appear below the usual error (which stays exactly as it was),
for NameError only, never when nothing fails, once however often it is installed, and even in a
fresh kernel where nothing has been imported yet, through the kernel configuration that
`python -m helpers.friendly --kernel-config` writes.
"""

import json
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import friendly

RUN_ABOVE = "Run \u25b8 Run All Above Selected Cell"


def _run(sources, kernel_name="python3", tmp_path=None):
    """Execute code cells in a fresh kernel, errors allowed; the outputs of each cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    resources = {"metadata": {"path": str(tmp_path)}} if tmp_path else {}
    NotebookClient(nb, kernel_name=kernel_name, allow_errors=True, record_timing=False, timeout=120,
                   resources=resources).execute()
    return [cell.outputs for cell in nb.cells]


def _printed(outputs):
    """What a cell printed: a busy kernel may send one print in more than one stream message."""
    return "".join(o.text for o in outputs if o.output_type == "stream")


def _notes(outputs):
    return [o for o in outputs if o.output_type == "display_data" and RUN_ABOVE in o.data.get("text/plain", "")]


def _errors(outputs):
    return [(o.ename, o.evalue, list(o.traceback)) for o in outputs if o.output_type == "error"]


@pytest.fixture(scope="module")
def course_kernel(tmp_path_factory):
    """A kernel spec named 'course-friendly' whose Python environment has the course's kernel config.

    The environment is a small virtual environment that sees the project's packages, so that the
    configuration is written where IPython looks for it (<sys.prefix>/etc/ipython) without touching
    the project's own .venv. Yields (kernel name, environment's prefix, a JUPYTER_PATH to use).
    """
    root = tmp_path_factory.mktemp("kernel")
    env = root / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    purelib.mkdir(parents=True, exist_ok=True)
    (purelib / "course.pth").write_text(f"import site; site.addsitedir({site.getsitepackages()[0]!r})\n")
    python = env / "bin" / "python"
    spec = root / "share" / "kernels" / "course-friendly"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "course friendly test", "language": "python"}))
    return "course-friendly", env, str(root / "share")


def test_after_a_restart_the_course_kernel_shows_the_note_before_anything_is_imported(course_kernel, monkeypatch,
                                                                                          tmp_path):
    name, env, jupyter_path = course_kernel
    monkeypatch.setenv("JUPYTER_PATH", jupyter_path)
    bare = _run(["check.dL_dw2(answer)"], kernel_name=name, tmp_path=tmp_path)
    assert _errors(bare[0])[0][:2] == ("NameError", "name 'check' is not defined")
    assert _notes(bare[0]) == []  # without the configuration: only the bare error, as learners saw it

    written = subprocess.run([str(env / "bin" / "python"), "-m", "helpers.friendly", "--kernel-config"],
                             check=True, capture_output=True, text=True)
    config = env / "etc" / "ipython" / "ipython_kernel_config.json"
    assert str(config) in written.stdout
    fresh = _run(["check.dL_dw2(answer)", "print('no note here')"], kernel_name=name, tmp_path=tmp_path)
    assert _errors(fresh[0])[0][:2] == ("NameError", "name 'check' is not defined")
    (note,) = _notes(fresh[0])
    assert "'check'" in note.data["text/plain"] and "Run All Above Selected Cell" in note.data["text/html"]
    assert [o.output_type for o in fresh[0]] == ["error", "display_data"]  # the error first, then the note
    assert [o.text for o in fresh[1]] == ["no note here\n"]


def test_importing_the_exercises_installs_the_note(tmp_path):
    outputs = _run(["from helpers.exercises import nb04 as check", "check.dL_dw2(answer)"], tmp_path=tmp_path)
    assert outputs[0] == []
    assert _errors(outputs[1])[0][:2] == ("NameError", "name 'answer' is not defined")
    (note,) = _notes(outputs[1])
    assert note.data["text/plain"].startswith("Tip: This cell uses the name 'answer', which a cell above creates.")


CELLS = [
    "x = 2\nprint(x)\nx",                                     # printed and displayed values
    "from IPython.display import HTML, display\ndisplay(HTML('<b>hi</b>'))",
    "undefined_name + 1",                                     # NameError
    "1 / 0",                                                  # another error
    "def f():\n    y = y + 1\n    return y\nf()",             # UnboundLocalError, a NameError of another kind
    "{}['key']",
]


def test_the_note_adds_to_a_name_error_and_changes_nothing_else(tmp_path):
    # The course's own kernel loads the note at start (make writes that kernel config), so the
    # comparison run takes it out first to see the kernel as it is without the note.
    without = _run(["import helpers.friendly\n_ = helpers.friendly.uninstall()"] + CELLS, tmp_path=tmp_path)
    with_note = _run(["import helpers.exercises"] + CELLS, tmp_path=tmp_path)
    for i, (a, b) in enumerate(zip(without, with_note)):
        if i == 3:
            assert _errors(a) == _errors(b)  # the same error, traceback and all
            assert len(_notes(b)) == 1 and len(b) == len(a) + 1
        else:
            assert a == b, CELLS[i - 1] if i else "import"
    assert _errors(with_note[5])[0][0] == "UnboundLocalError" and _notes(with_note[5]) == []


def test_installing_twice_or_by_load_ext_shows_one_note(tmp_path):
    outputs = _run([
        "import helpers.exercises\nimport helpers.friendly as friendly\n"
        "print(friendly.install(), friendly.install(), friendly.installed())",
        "%load_ext helpers.friendly",
        "missing",
        "print(friendly.uninstall(), friendly.installed())",
        "missing",
    ], tmp_path=tmp_path)
    assert _printed(outputs[0]) == "True True True\n"
    assert len(_notes(outputs[2])) == 1
    assert _printed(outputs[3]) == "True False\n"
    assert _notes(outputs[4]) == [] and _errors(outputs[4])[0][0] == "NameError"


def test_another_custom_exception_handler_is_left_alone(tmp_path):
    outputs = _run([
        "def mine(shell, etype, value, tb, tb_offset=None):\n    print('my handler')\n"
        "get_ipython().set_custom_exc((KeyError,), mine)",
        "import helpers.friendly as friendly\nprint(friendly.install(), friendly.installed())",
        "{}['key']",
        "missing",
    ], tmp_path=tmp_path)
    assert _printed(outputs[1]) == "False False\n"
    assert _printed(outputs[2]) == "my handler\n"
    assert _notes(outputs[3]) == []


def test_outside_ipython_installing_does_nothing():
    assert friendly.install() is False and friendly.installed() is False


def test_the_kernel_config_keeps_what_else_it_holds_and_is_written_once(tmp_path):
    config = tmp_path / "etc" / "ipython" / "ipython_kernel_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"IPKernelApp": {"matplotlib": "inline"},
                                  "InteractiveShellApp": {"extensions": ["other.ext"]}}))
    assert friendly.write_kernel_config(tmp_path) == config
    friendly.write_kernel_config(tmp_path)
    written = json.loads(config.read_text())
    assert written == {"IPKernelApp": {"matplotlib": "inline"},
                       "InteractiveShellApp": {"extensions": ["other.ext", "helpers.friendly"]}}


def test_the_note_reads_the_same_in_text_and_in_the_panel():
    note = friendly.FriendlyNote("net")
    assert repr(note) == ("Tip: This cell uses the name 'net', which a cell above creates. After a restart of the "
                          f"kernel, or when you skip ahead, run the cells above first: {RUN_ABOVE}. If you typed "
                          "the name yourself, check its spelling.")
    page = note._repr_html_()
    assert note.text in page and "word-break: normal" in page and " id=" not in page


class _Shell:
    """Just enough of an IPython shell for install(): a custom exception hook and its CustomTB."""

    def __init__(self):
        self.custom_exceptions, self.CustomTB = (), object()  # IPython's own handler until one is set

    def set_custom_exc(self, exc_tuple, handler):
        self.custom_exceptions, self.CustomTB = tuple(exc_tuple), handler


class ZMQInteractiveShell(_Shell):
    """Named as a Jupyter kernel's shell is."""


class TerminalInteractiveShell(_Shell):
    """Named as a terminal IPython's shell is."""


def test_the_first_install_in_a_kernel_writes_the_kernel_config_so_a_restart_shows_the_note(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert not friendly.configured()
    assert friendly.install(ZMQInteractiveShell()) is True
    config = tmp_path / "etc" / "ipython" / "ipython_kernel_config.json"
    assert json.loads(config.read_text()) == {"InteractiveShellApp": {"extensions": ["helpers.friendly"]}}
    assert friendly.configured()


def test_installing_in_a_terminal_ipython_writes_no_config(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert friendly.install(TerminalInteractiveShell()) is True
    assert not (tmp_path / "etc").exists()


def test_a_kernel_whose_environment_cannot_be_written_still_gets_the_note(tmp_path, monkeypatch):
    (tmp_path / "etc").write_text("a file where the folder would go")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    shell = ZMQInteractiveShell()
    assert friendly.install(shell) is True and friendly.installed(shell)


def test_every_install_route_writes_the_kernel_config():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    conda = readme[readme.index("### With conda"):]
    conda = conda[:conda.index("```", conda.index("```bash") + 3)]
    assert "conda env create -f environment.yml" in conda
    for route in (conda, (root / "Makefile").read_text(), (root / "binder" / "postBuild").read_text()):
        assert "python -m helpers.friendly --kernel-config" in route


def test_an_import_from_a_helpers_that_is_not_the_courses_says_how_to_put_the_courses_back(tmp_path):
    from helpers.friendly import WRONG_HELPERS

    outputs = _run([
        "import helpers.friendly as friendly\nprint(friendly.install())",
        "from helpers import not_a_name",  # a slip with the course's own helpers: no note
        # as after `pip install helpers`: the package called helpers is another one
        "import sys, types\nother = types.ModuleType('helpers')\nother.__file__ = '/site-packages/helpers/__init__.py'\n"
        "sys.modules['helpers'] = other",
        "from helpers import Network",
        "import no_such_module_here",
    ], tmp_path=tmp_path)
    assert _printed(outputs[0]) == "True\n"
    assert _errors(outputs[1])[0][0] == "ImportError" and _wrong_helpers_notes(outputs[1]) == []
    assert _errors(outputs[3])[0][0] == "ImportError"
    notes = _wrong_helpers_notes(outputs[3])
    assert len(notes) == 1
    assert notes[0] == "Tip: " + WRONG_HELPERS.format(where="/site-packages/helpers/__init__.py")
    assert _errors(outputs[4])[0][0] == "ModuleNotFoundError" and _wrong_helpers_notes(outputs[4]) == []


def _wrong_helpers_notes(outputs):
    return [o.data["text/plain"] for o in outputs
            if o.output_type == "display_data" and "not this course's" in o.data.get("text/plain", "")]
