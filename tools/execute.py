"""Re-execute notebooks top to bottom and save them with their outputs, the same way every time.

    python -m tools.execute notebooks/01_forward_pass.ipynb ...

Each notebook runs in a fresh kernel whose working directory is the notebook's folder. Timing
metadata is not recorded, printed text split into pieces by timing is joined again, and the
random ids that widgets get are renumbered in order of appearance, so executing twice gives
byte-identical files.
"""

import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

_HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")


def _renumber_widget_ids(nb):
    """Replace each widget model id with a counter, in order of first appearance."""
    text = nbformat.writes(nb)
    ids = {}
    for match in _HEX_ID.finditer(text):
        ids.setdefault(match.group(0), f"{len(ids) + 1:032x}")
    text = _HEX_ID.sub(lambda m: ids[m.group(0)], text)
    return nbformat.reads(text, as_version=4)


def _coalesce_streams(cell):
    """Join consecutive stdout (or stderr) pieces: how printed text is split depends on timing."""
    merged = []
    for out in cell.get("outputs", []):
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    cell.outputs = merged


def execute(path, timeout=600):
    """Execute the notebook at `path` in place. Raises if any cell fails."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            _coalesce_streams(cell)
    nb = _renumber_widget_ids(nb)
    nbformat.write(nb, path)


def main(paths):
    if not paths:
        print("usage: python -m tools.execute NOTEBOOK.ipynb ...")
        return 2
    for p in paths:
        print(f"executing {p}")
        execute(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
