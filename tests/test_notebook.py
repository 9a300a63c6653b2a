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


@pytest.mark.slow
def test_notebook_runs_on_any_folder_from_anywhere(tmp_path):
    """Set NOTES in the first code cell, run it outside the checkout: the graph is that folder's."""
    notes = tmp_path / "my notes"
    notes.mkdir()
    (notes / "2024-11-04-sync.md").write_text(
        "# Sync\nDate: 2024-11-04\nAttendees: Ana Lobo, Bo Lind\n\n"
        "## Action items\n- Bo Lind to book the venue by 2024-11-08\n", encoding="utf-8")
    (notes / "2024-11-05-call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ana Lobo>I'll send the draft by Friday.\n",
        encoding="utf-8")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "\nNOTES = None\n" in first.source
    first.source = first.source.replace("\nNOTES = None\n", f"\nNOTES = {str(notes)!r}\n")
    away = tmp_path / "elsewhere"
    away.mkdir()
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=180,
                                     resources={"metadata": {"path": str(away)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/html", ""))
                     for o in outputs)
    assert "2 notes -> " in text and "Bo Lind" in text and "Ana Lobo" in text
    assert "Overdue as of 2024-11-15" in text and "book the venue" in text
