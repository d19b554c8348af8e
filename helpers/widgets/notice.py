"""What a widget says once its kernel has gone: run the cell again to bring it back.

After *Restart Kernel*, a widget on the page still shows its controls, but nothing behind them
answers any more. JupyterLab then marks every widget's model as cut off from its kernel (its
`comm_live_update` event); a widget that listens for it can say so in place instead of showing
dead controls. The page widgets do this in their own module (js/course.js, `kernelGone`); every
kernel widget (a CourseWidget) carries a KernelNotice, a small page-drawn widget that shows the
sentence and dims the widget around it.
"""

import anywidget
import traitlets as t

KERNEL_GONE = "The kernel has restarted, so this widget no longer answers. Run this cell again to bring it back."
"""The sentence every widget shows once its kernel has gone (js/course.js has the same words)."""

NOTICE_CLASS = "bpc-gone"
"""The class of the element that carries the sentence, hidden while the kernel is there."""

DEAD_CLASS = "bpc-dead"
"""The class given to the widget around the notice once its kernel has gone: its controls are dimmed."""

_ESM = """
const STYLE = `
.bpc-gone { margin: 0 0 6px 0; padding: 6px 10px; border-left: 4px solid #D55E00; background: #fdf1e8;
            font-family: var(--jp-ui-font-family, sans-serif); font-size: var(--jp-ui-font-size1, 13px); color: #000; }
.bpc-dead > :not(.bpc-notice-host) { opacity: 0.4; pointer-events: none; }
`;

function render({ model, el }) {
  el.classList.add("bpc-notice-host");
  const style = document.createElement("style");
  style.textContent = STYLE;
  const notice = document.createElement("div");
  notice.className = "%(notice)s";
  notice.setAttribute("role", "status");
  notice.style.display = "none";
  notice.textContent = model.get("text");
  el.replaceChildren(style, notice);
  // JupyterLab cuts every model off from its kernel when the kernel restarts (comm_live_update).
  const gone = () => {
    notice.style.display = "block";
    el.style.setProperty("display", "block");  // the notice's own box is hidden (display: none) until now
    const widget = el.closest(".jupyter-widgets.widget-vbox") || el.parentElement;
    if (widget) widget.classList.add("%(dead)s");
  };
  model.on("comm_live_update", gone);
  return () => model.off("comm_live_update", gone);
}

export default { render };
""" % {"notice": NOTICE_CLASS, "dead": DEAD_CLASS}


class KernelNotice(anywidget.AnyWidget):
    """Nothing while the kernel is there; once it has gone, KERNEL_GONE, and the widget around it dimmed."""

    _esm = _ESM
    text = t.Unicode(KERNEL_GONE, read_only=True).tag(sync=True)

    def __init__(self, **kwargs):
        # No room taken while the kernel is there: the page shows the box when the kernel goes.
        super().__init__(**kwargs)
        self.layout.display = "none"
