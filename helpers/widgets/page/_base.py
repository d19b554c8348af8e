"""What every page widget shares: its module, its presentation flag, how it checks a state the page
sends, and how it is displayed (PAGE_MIME for the book, the kernel version's still PNG, its text)."""

import base64

import anywidget
import ipywidgets
import traitlets as t

from . import PAGE_MIME, module_source


class Checked(t.Any):
    """A synced value that the widget's own validator checks, None included (t.Any alone lets None past it)."""

    allow_none = False


class PageWidget(anywidget.AnyWidget):
    """An anywidget whose front end is js/course.js followed by js/<MODULE>.js.

    A subclass names its module (MODULE), the kernel widget it mirrors (KERNEL, whose title its text
    gives) and the synced traits its module reads (PAGE_STATE); it sets self._still, the PNG bytes of
    the kernel version's still picture, before it is shown.
    """

    MODULE = None
    """The page module's name: js/<MODULE>.js."""
    KERNEL = None
    """The kernel widget this one mirrors: its title names the widget in text/plain."""
    PAGE_STATE = ()
    """The synced traits the page's module reads: what PAGE_MIME's "state" carries."""
    PAGE_CONTROL = "slider"
    """What the page moves, named when a value it sent is refused: 'slider' or 'control'."""
    PAGE_REFUSAL_CAUSE = True
    """Whether a refusal of the page's value keeps the checker's error as its cause."""

    _from_page = False

    presentation = t.Bool(False, read_only=True).tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        if "MODULE" in cls.__dict__:
            cls._esm = module_source(cls.MODULE)
        super().__init_subclass__(**kwargs)

    # ---- values in ----

    def set_state(self, sync_data):
        """A state sent by the page. A value refused there raises a TraitError, the one error that
        makes traitlets put back every value the same message carried."""
        self._from_page = True
        try:
            super().set_state(sync_data)
        finally:
            self._from_page = False

    def _checked(self, check, *args):
        """check(*args), the kernel version's check; a value it refuses from the page becomes a TraitError."""
        try:
            return check(*args)
        except (TypeError, ValueError) as error:
            if not self._from_page:
                raise
            refusal = t.TraitError(f"the page sent a value no {self.PAGE_CONTROL} can show: {error}")
            raise refusal from (error if self.PAGE_REFUSAL_CAUSE else None)

    # ---- how it is shown ----

    def page_state(self):
        """The synced state the page's module reads, as JSON values."""
        return {name: getattr(self, name) for name in self.PAGE_STATE}

    def __repr__(self):
        return f"<{self.KERNEL.title}: interactive in JupyterLab; run the cell to use it>"

    def _repr_mimebundle_(self, **kwargs):
        """The widget view, plus PAGE_MIME (the module's name and state, for the book), 'image/png' (the
        starting state as the kernel version draws it) and 'text/plain' (the kernel version's text)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data)
        data[PAGE_MIME] = {"module": self.MODULE, "state": self.page_state()}
        data["image/png"] = base64.b64encode(self._still).decode("ascii")
        data["text/plain"] = repr(self)
        return data, metadata


def kernel_still(build, also=None):
    """PNG bytes of the still picture of the kernel widget build() makes, and also(kernel) when `also`
    is given (as a pair). The kernel widget is closed afterwards, so none of its controls lingers in the page."""
    before = set(ipywidgets.widgets.widget._instances)
    try:
        kernel = build()
        data = kernel._repr_mimebundle_()
        data = data[0] if isinstance(data, tuple) else data
        png = base64.b64decode(data["image/png"])
        return png if also is None else (png, also(kernel))
    finally:
        for model_id, widget in list(ipywidgets.widgets.widget._instances.items()):
            if model_id not in before:
                widget.close()
