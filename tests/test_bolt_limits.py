"""Talking to a real Bolt server (FalkorDB) safely: batches it survives by default, values that
arrive whole, credentials that are never printed, and strict CSV/JSON from `kg cypher`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bolt_server import own_server
from click.testing import CliRunner

from conftest import write_notes
from kg.build import BuildOptions, build
from kg.cli import main

pytestmark = pytest.mark.bolt

def _chatty(day: int) -> str:
    concerns = "".join(f"- Ann Lee raised a concern about NEXUS-{day * 10 + i} because of "
                       f"NEXUS-{i}\n" for i in range(8))
    items = "".join(f"- Bo Chen to fix NEXUS-{day * 10 + i} by Feb 28\n" for i in range(8))
    return (f"# Sync {day}\nDate: 2024-02-{day:02d}\nAttendees: Ann Lee, Bo Chen, Cy Dee\n\n"
            f"{concerns}## Action items\n{items}")


CHATTY = {f"2024-02-{day:02d}-sync.md": _chatty(day) for day in range(1, 13)}


SECRET = "s3cret-pw"


@pytest.fixture(scope="module")
def server():
    """A server of this module's own (these tests try to crash it), behind a password."""
    with own_server(password=SECRET) as srv:
        yield srv


def _conn(server, uri: str | None = None) -> list[str]:
    args = ["--uri", uri or server.uri, "--user", server.user, "--password", server.password]
    return args + (["--database", server.database] if server.database else [])


def _graph(tmp_path, notes: dict[str, str]):
    folder = write_notes(tmp_path / "notes", notes)
    return build([folder], tmp_path / "out", BuildOptions(cache=False))


def test_default_batches_fit_falkordb(server, tmp_path):
    result = _graph(tmp_path, CHATTY)
    assert result.graph.number_of_edges() > 300
    out = CliRunner().invoke(main, ["load", "--graph", str(result.out_path), "--reset",
                                    "--format", "json", *_conn(server)])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert summary["relationships"] == result.graph.number_of_edges()
    assert server.alive()


def test_a_too_large_batch_setting_is_lowered_with_a_warning(server, tmp_path):
    result = _graph(tmp_path, CHATTY)
    out = CliRunner().invoke(main, ["load", "--graph", str(result.out_path), "--reset",
                                    "--max-batch-bytes", "1000000", *_conn(server)])
    assert out.exit_code == 0, out.output
    assert "batches were kept under 2,500 bytes instead of --max-batch-bytes 1,000,000" \
        in out.output
    assert server.alive()


def test_a_value_too_large_for_a_message_is_truncated_with_a_warning(server, tmp_path):
    huge = "x" * 12_000
    note = ("# A\nDate: 2024-02-01\nAttendees: Ann Lee\n\n"
            f"- Ann Lee raised a concern about NEXUS-1 {huge}\n"
            f"## Action items\n- Ann Lee to {huge} by Feb 9\n")
    result = _graph(tmp_path, {"2024-02-01-a.md": note})
    out = CliRunner().invoke(main, ["load", "--graph", str(result.out_path), "--reset",
                                    *_conn(server)])
    assert out.exit_code == 0, out.output
    assert "their long text was truncated in Neo4j" in out.output
    assert server.alive()


def test_a_statement_too_large_for_falkordb_is_refused_not_sent(server):
    if not server.falkor:
        pytest.skip("only FalkorDB has a ~4 KB message limit")
    out = CliRunner().invoke(main, ["cypher", "RETURN size($s) AS n", "--param", "s=" + "y" * 5000,
                                    *_conn(server)])
    assert out.exit_code == 2, out.output
    assert "crashes on messages over ~4 KB" in out.output.splitlines()[0]
    assert server.alive()


def test_nul_characters_are_dropped_not_cut_at(server, tmp_path):
    padding = "".join(f"- filler line {i} about nothing much at all\n" for i in range(300))
    result = _graph(tmp_path, {"2024-02-01-a.md": "# A\nDate: 2024-02-01\nAttendees: Ann Lee\n\n"
                                                  + padding
                                                  + "- Ann Lee raised a concern about NEXUS-1 "
                                                    "before\x00after\n"})
    runner = CliRunner()
    assert runner.invoke(main, ["load", "--graph", str(result.out_path), "--reset",
                                *_conn(server)]).exit_code == 0
    out = runner.invoke(main, ["cypher", "MATCH (:Person)-[r:RAISED_CONCERN_ABOUT]->(t:Ticket) "
                                         "RETURN r.texts AS texts", "--format", "json",
                               *_conn(server)])
    assert out.exit_code == 0, out.output
    [row] = json.loads(out.output)
    assert row["texts"] == ["- Ann Lee raised a concern about NEXUS-1 beforeafter"]


def test_a_password_inside_the_uri_is_used_and_never_printed(server, tmp_path):
    result = _graph(tmp_path, {"2024-02-01-a.md": "# A\nDate: 2024-02-01\nAttendees: Ann Lee\n"})
    secret_uri = server.uri.replace("bolt://", f"bolt://{server.user}:{server.password}@")
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", "--graph", str(result.out_path), "--uri", secret_uri,
                                  *(["--database", server.database] if server.database else [])])
    assert loaded.exit_code == 0, loaded.output
    assert f"into {server.uri} " in loaded.output and server.password not in loaded.output
    unreachable = runner.invoke(main, ["load", "--graph", str(result.out_path), "--uri",
                                       f"bolt://neo4j:{SECRET}@127.0.0.1:1"])
    assert unreachable.exit_code == 1
    assert unreachable.output.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert SECRET not in unreachable.output


def _strict(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_kg_cypher_output_is_safe_csv_and_strict_json(server):
    statement = "RETURN '=cmd()' AS formula, 0.0/0.0 AS nan, 1.0/0.0 AS inf, 1.5 AS x"
    runner = CliRunner()
    as_csv = runner.invoke(main, ["cypher", statement, "--format", "csv", *_conn(server)])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output, newline="")))
    assert rows[0]["formula"] == "'=cmd()"
    as_json = runner.invoke(main, ["cypher", statement, "--format", "json", *_conn(server)])
    assert _strict(as_json.output) == [{"formula": "=cmd()", "nan": None, "inf": None, "x": 1.5}]
