"""What kg prints is safe: no raw control characters, no spreadsheet formulas, strict JSON,
and a one-line error for an option or a graph.json that makes no sense."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from conftest import write_notes
from kg.cli import main
from kg.cli_output import to_csv, to_json

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

HOSTILE = {
    # An OSC title change, a C1 CSI "clear screen" and a fake summary line.
    "2024-01-01-a.md": "# Sync \x1b]0;pwned\x07 \u009b2J\nDate: 2024-01-01\n"
                       "Attendees: Ann Lee\n\n- NEXUS-1 is blocked by NEXUS-2\n"
                       "- Ann Lee raised a concern about NEXUS-1 \x1b[2K\rRead 0 notes\n"
                       "## Action items\n- Ann Lee: =HYPERLINK(\"http://x\") by Jan 5\n"
                       "- [ ] +cmd|' /C calc'!A0 @Ann Lee\n",
    "evil\x1b[2J.md": "# No date\nAttendees: Bo Chen\n",
}


@pytest.fixture
def hostile_graph(tmp_path):
    notes = write_notes(tmp_path / "notes", HOSTILE)
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "out"),
                                    "--no-html"])
    return res, str(tmp_path / "out" / "graph.json")


def test_the_build_summary_prints_no_raw_control_characters(hostile_graph):
    res, _ = hostile_graph
    assert res.exit_code == 0, res.output
    assert not RAW_CONTROL.search(res.output), repr(res.output)
    assert "warning: evil\\x1b[2J.md: no meeting date found" in res.output


def test_tables_print_no_raw_control_characters(hostile_graph):
    _, graph = hostile_graph
    for args in (["timeline", "NEXUS-1"], ["ticket", "NEXUS-1"], ["concerns"]):
        res = CliRunner().invoke(main, ["query", *args, "--graph", graph])
        assert res.exit_code == 0, res.output
        assert not RAW_CONTROL.search(res.output), (args, repr(res.output))
    res = CliRunner().invoke(main, ["query", "timeline", "NEXUS-1", "--graph", graph])
    assert "Sync \\x1b]0;pwned\\x07 \\x9b2J" in res.output


def test_json_output_escapes_c1_controls(hostile_graph):
    _, graph = hostile_graph
    res = CliRunner().invoke(main, ["query", "timeline", "NEXUS-1", "--graph", graph,
                                    "--format", "json"])
    assert not RAW_CONTROL.search(res.output)
    assert json.loads(res.output)[0]["meeting"] == "Sync \x1b]0;pwned\x07 \u009b2J"


def test_csv_cells_that_start_a_formula_are_neutralised(hostile_graph):
    _, graph = hostile_graph
    res = CliRunner().invoke(main, ["query", "open-items", "--graph", graph, "--format", "csv"])
    items = [row["item"] for row in csv.DictReader(io.StringIO(res.output))]
    assert sorted(items) == ["'+cmd|' /C calc'!A0", "'=HYPERLINK(\"http://x\")"]
    res = CliRunner().invoke(main, ["query", "ticket", "NEXUS-1", "--graph", graph,
                                    "--format", "csv"])
    texts = [row["text"] for row in csv.DictReader(io.StringIO(res.output))]
    assert texts and all(t.startswith("'- ") for t in texts)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(cell):
    text = to_csv([{"a": cell, "b": -3}], ("a", "b"))
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["'" + cell, "-3"]]


def test_json_never_holds_nan_or_infinity():
    text = to_json([{"a": float("nan"), "b": [float("inf"), -float("inf")], "c": 1.5}])
    assert json.loads(text) == [{"a": None, "b": [None, None], "c": 1.5}]


@pytest.mark.parametrize("content, problem", [
    ("[]", "a JSON list, not an object"),
    ('{"nodes": 5}', "'nodes' and 'edges' must be lists"),
    ('{"nodes": [[1]]}', "every node needs a text id and label"),
    ('{"nodes": [{"id": "a", "label": "Person"}], "edges": [{"source": "a", "target": "b"}]}',
     "every edge needs a source and target among the nodes"),
    ('{"nodes": [{"id": "a", "label": "Person"}], "edges": [{"source": "a", "target": "a", '
     '"evidence": 3}]}', "edge evidence must be a list of objects"),
    ("[" * 100_000 + "]" * 100_000, "maximum recursion depth"),
    ("\xff\xfe", "not a kg graph.json"),
])
def test_a_graph_json_that_is_not_a_graph_is_one_line(tmp_path, content, problem):
    path = tmp_path / "graph.json"
    path.write_bytes(content.encode("latin-1"))
    res = CliRunner().invoke(main, ["query", "promotions", "--graph", str(path)])
    assert res.exit_code == 2, res.output
    first = res.output.splitlines()[0]
    assert first.startswith(f"Error: {path}: not a kg graph.json") and problem in first
    assert "Traceback" not in res.output


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf"])
def test_max_file_mb_must_be_a_size(tmp_path, value):
    notes = write_notes(tmp_path / "notes", {"a.md": "# A\n"})
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"),
                                    f"--max-file-mb={value}"])
    assert res.exit_code == 2, res.output
    assert res.output.startswith(f"Error: --max-file-mb {float(value)} is not a size in megabytes")
    assert "Traceback" not in res.output
