"""notebooks/explore.ipynb runs top to bottom (nbclient, kernel python3), offline, from the repo root."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"

nbformat = pytest.importorskip("nbformat")


def _text(cell) -> str:
    """Everything a code cell printed or displayed, as one string."""
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif "data" in o:
            parts.append(o["data"].get("text/html") or o["data"].get("text/plain", ""))
    return "".join(parts)


def _cell(nb, start: str):
    cells = [c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith(start)]
    assert len(cells) == 1, f"no single code cell starting with {start!r}"
    return cells[0]


def test_the_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, "clear the notebook's outputs before committing"


@pytest.mark.slow
def test_the_notebook_runs_top_to_bottom(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the timeline plot: matplotlib (test extras) builds its font cache once, here and not
    # in the kernel, where its message would be the notebook's stderr
    pytest.importorskip("matplotlib.font_manager")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel builds into a folder under tmp_path
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()  # raises CellExecutionError, with the traceback, on the first failing cell

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    stderr = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"the notebook wrote warnings: {stderr}"

    assert "2 documents" in _text(_cell(nb, "out = Path(tempfile.mkdtemp"))
    assert list(tmp_path.glob("newskg-notebook-*/graph.ttl")), "the build did not write under TMPDIR"
    # SPARQL: a table of classes, then the ready-made imposes query as a table
    assert "<table>" in _text(_cell(nb, "eng = open_engine(out)")) and "kg:Person" in _text(_cell(nb, "eng = open_engine(out)"))
    assert "actorLabel" in _text(_cell(nb, "imposes = eng.query"))
    assert "Marco Rubio: “" in _text(_cell(nb, "quotes = eng.query"))
    # ranking, and a path whose hops carry their sentences
    assert "1. " in _text(_cell(nb, "G = to_networkx"))
    path = _text(_cell(nb, "a = find_entities"))
    assert ("→" in path or "←" in path) and "    “" in path
    # policies over time: the measures between Peru and Chile, in date order, then their plot
    history = _text(_cell(nb, "from datetime import date"))
    assert "2025-03-07  Peru tariffs on Chile" in history and "10% → 25%" in history
    assert "Chile duties on Peru" in history and history.index("2025-01-14") < history.index("2025-06-30")
    plot = _cell(nb, "import matplotlib.pyplot as plt")
    assert any("image/png" in o.get("data", {}) for o in plot.outputs), "the timeline plot drew no image"
    # the view: the whole page, html-escaped into an iframe's srcdoc, nothing fetched from the network
    view = _text(_cell(nb, "page = render_html"))
    assert view.startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;')
    srcdoc = view.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert "<" not in srcdoc and "&lt;script" in srcdoc
    assert "src=&quot;http" not in srcdoc  # scripts and styles are inlined
