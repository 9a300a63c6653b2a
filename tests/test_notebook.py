"""notebooks/explore.ipynb runs top to bottom, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.slow
def test_notebook_runs_and_shows_analytics_chart_and_page():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # python3 is ipykernel's built-in kernel name: no `ipykernel install` needed.
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=180,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/html", ""))
                     + str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Bridges between teams" in text and "betweenness" in text
    assert "Concerns per ticket" in text and "Overdue as of 2024-11-15" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart"
    assert "<iframe srcdoc=" in text and "kg-data" in text
