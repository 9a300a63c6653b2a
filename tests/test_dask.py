"""`kg build --executor dask`: extraction mapped on a Dask cluster, the same bytes as locally.

The cluster is a real two-worker LocalCluster of separate processes (processes=True,
as on a real cluster: facts and options are pickled across), started by the build.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import write_notes
from kg.build import BuildOptions, build
from kg.cli import main

pytest.importorskip("distributed")

NOTES = {
    f"2024-0{i}-0{i}-sync.md": f"""
    # Platform sync 2024-0{i}-0{i}
    Attendees: Dana Whitfield, Omar Castellanos, Lena Brandt

    - Omar Castellanos owns PAY-10{i}, which depends on PAY-20{i}.
    - Action: Lena Brandt to review the rollout plan for PAY-10{i} by 2024-0{i}-20.
    - Dana Whitfield raised a concern about PAY-20{i}.
    """ for i in range(1, 7)
}
NOTES["broken.md"] = "\x00" * 10  # skipped on the client, in its place in the order


def test_dask_build_is_byte_identical_to_local(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    local = build([notes], tmp_path / "local", BuildOptions(workers=1, cache=False))
    dask = build([notes], tmp_path / "dask", BuildOptions(executor="dask", workers=2,
                                                          cache=False))
    assert len(dask.read) == len(NOTES) - 1 and dask.graph.number_of_edges() > 10
    assert (tmp_path / "dask" / "graph.json").read_bytes() == \
        (tmp_path / "local" / "graph.json").read_bytes()
    assert [s.source for s in dask.skipped] == [s.source for s in local.skipped]


def test_scheduler_needs_the_dask_executor(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "out"),
                                       "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert "--scheduler applies only to --executor dask" in result.output


def test_an_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    import kg.dask_executor
    monkeypatch.setattr(kg.dask_executor, "CONNECT_TIMEOUT_S", 1)
    notes = write_notes(tmp_path / "notes", NOTES)
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "out"),
                                       "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in result.output
