"""A friendly note beside a NameError: the cells above have not run yet.

After a kernel restart, or when a learner runs a cell before the cells above it, the names those
cells define (np, check, net, ...) do not exist yet, and Python says only
``NameError: name 'check' is not defined``. This module adds, below that error and without changing
it, a short note that says what to do: run the cells above (Run ▸ Run All Above Selected Cell).

It uses IPython's hook for custom exception handlers and touches NameError (not its subclass
UnboundLocalError, which means something else) and one ImportError: an import from a `helpers`
that is not the course's (a package on PyPI has the same name), which gets a note saying how to put
the course's back. Nothing is shown while no error happens, so a notebook's outputs stay the same.

Three ways it gets installed, all idempotent:

- ``import helpers.exercises`` (every notebook's import cell) calls `install()`;
- ``%load_ext helpers.friendly`` in a notebook or IPython;
- the kernel loads it at start-up, so it works even after a restart when nothing is imported yet:
  ``python -m helpers.friendly --kernel-config`` writes the IPython kernel configuration of this
  Python environment (``<sys.prefix>/etc/ipython/ipython_kernel_config.json``) to load it.

Every install route runs that command (make, binder/postBuild, the README's conda steps). And the
first `install()` in a Jupyter kernel writes the same configuration if it is missing (when the
environment can be written to), so a course installed any other way loads the note at start-up
from the second session on, without a step of its own.
"""

import json
import sys
from pathlib import Path

NOTE = ("This cell uses {name}, which a cell above creates. After a restart of the kernel, or when "
        "you skip ahead, run the cells above first: Run \u25b8 Run All Above Selected Cell. "
        "If you typed the name yourself, check its spelling.")
EXTENSION = "helpers.friendly"
_INSTALLED = "_course_friendly_name_error"  # the shell attribute holding the handler this module installed


class FriendlyNote:
    """The note, as plain text (terminals, nbval) and as a panel like the exercise checks' feedback."""

    def __init__(self, name=None):
        self.text = NOTE.format(name=f"the name {name!r}" if name else "a name")

    def __repr__(self):
        return f"Tip: {self.text}"

    def _repr_html_(self):
        from .checks import LOOK, UNANSWERED, panel_html
        return panel_html(LOOK[UNANSWERED], "Tip:", self.text, "course-friendly-note")


WRONG_HELPERS = ("Python found a package called helpers that is not this course's ({where}). A package on "
                 "PyPI has the same name: do not `pip install helpers`. Put the course's own back from the course's "
                 "folder: `pip uninstall helpers`, then `pip install --force-reinstall .` (or `make lab`), and "
                 "restart the kernel.")


class WrongHelpersNote(FriendlyNote):
    """The note for an import from a `helpers` that is not the course's (the PyPI package of that name)."""

    def __init__(self, where):
        self.text = WRONG_HELPERS.format(where=where)


def _not_the_courses_helpers(value):
    """Where the imported `helpers` lives, if an ImportError came from a `helpers` that is not the
    course's (it lacks TwoTwoOne, which the course's has from its first notebook on); else None."""
    if not isinstance(value, ImportError) or isinstance(value, ModuleNotFoundError) or value.name != "helpers":
        return None
    module = sys.modules.get("helpers")
    if module is None or hasattr(module, "TwoTwoOne"):
        return None
    return getattr(module, "__file__", None) or "a package with no file"


def _show_error_and_note(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: the usual traceback, then the note for a plain NameError, or
    for an import from a `helpers` that is not the course's."""
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    from IPython.display import display
    if isinstance(value, NameError) and not isinstance(value, UnboundLocalError):
        display(FriendlyNote(getattr(value, "name", None)))
    elif (where := _not_the_courses_helpers(value)) is not None:
        display(WrongHelpersNote(where))


def _shell(shell):
    if shell is not None:
        return shell
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def installed(shell=None):
    """True if the note is installed in `shell` (by default the running IPython, if any)."""
    shell = _shell(shell)
    return shell is not None and getattr(shell, _INSTALLED, None) is getattr(shell, "CustomTB", None)


def install(shell=None):
    """Show the note below every NameError, and below an import from a `helpers` that is not the course's,
    in `shell` (by default the running IPython kernel).

    Returns True if the note is installed (now or before), False outside IPython, or when another
    custom exception handler is already in place (it is left alone). Installing twice changes nothing.
    """
    shell = _shell(shell)
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if installed(shell):
        return True
    if tuple(shell.custom_exceptions):
        return False
    shell.set_custom_exc((NameError, ImportError), _show_error_and_note)
    setattr(shell, _INSTALLED, shell.CustomTB)
    _remember_for_restarts(shell)
    return True


def _kernel_config_path(prefix=None):
    return Path(prefix or sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.json"


def configured(prefix=None):
    """True if this Python environment's kernels load the note at start-up (see `write_kernel_config`)."""
    try:
        config = json.loads(_kernel_config_path(prefix).read_text())
        return EXTENSION in config.get("InteractiveShellApp", {}).get("extensions", [])
    except (OSError, ValueError, AttributeError):
        return False


def _remember_for_restarts(shell):
    """In a Jupyter kernel, write the kernel configuration if it is missing, so that the next kernel of
    this environment loads the note at start, before any cell has run. A terminal IPython, or an
    environment that cannot be written to, is left as it is."""
    if type(shell).__name__ != "ZMQInteractiveShell" or configured():
        return
    try:
        write_kernel_config()
    except (OSError, ValueError):  # read-only, or a configuration file that is not JSON: leave it be
        pass


def uninstall(shell=None):
    """Remove the note again (only if this module installed it); returns True if it was removed."""
    shell = _shell(shell)
    if shell is None or not installed(shell):
        return False
    shell.set_custom_exc((), None)
    setattr(shell, _INSTALLED, None)
    return True


def load_ipython_extension(ipython):
    """For ``%load_ext helpers.friendly`` and the kernel's extensions setting."""
    install(ipython)


def unload_ipython_extension(ipython):
    uninstall(ipython)


def write_kernel_config(prefix=None):
    """Make every IPython kernel of this Python environment load the note at start-up.

    Adds EXTENSION to InteractiveShellApp.extensions in <prefix>/etc/ipython/ipython_kernel_config.json
    (prefix: sys.prefix), keeping whatever else the file holds. Returns the file's path.
    """
    path = _kernel_config_path(prefix)
    config = json.loads(path.read_text()) if path.exists() else {}
    extensions = config.setdefault("InteractiveShellApp", {}).setdefault("extensions", [])
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=1, sort_keys=True) + "\n")
    return path


def main(argv):
    if argv != ["--kernel-config"]:
        print("usage: python -m helpers.friendly --kernel-config")
        return 2
    print(f"wrote {write_kernel_config()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
