"""Canned queries on graph.json: the registry, name resolution and the `kg query` CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.datafiles import queries_dir
from kg.queries import registry

FIXTURES = Path(__file__).parent / "fixtures" / "neo4j"


@pytest.fixture(scope="module")
def graph_path(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("q")
    build([FIXTURES / "notes"], out, BuildOptions())
    return str(out / "graph.json")


def kg(*args):
    return CliRunner().invoke(main, list(args))


def test_every_cypher_file_has_a_header_and_a_networkx_twin():
    queries = registry()
    assert {"owners", "concerns", "open-items", "person", "ticket", "promotions", "team",
            "timeline"} <= set(queries)
    for q in queries.values():
        assert q.impl is not None, q.name
        assert set(q.order) <= set(q.columns), q.name
        assert q.usage.split()[0] == q.name and q.example.startswith(f"kg query {q.name}")
        # FalkorDB mangles non-ASCII text in a query, so the files stay ASCII.
        assert q.cypher.isascii(), q.path
    assert len(list(queries_dir().glob("*.cypher"))) == len(queries)


def test_owners_follows_items_and_dependencies(graph_path):
    rows = json.loads(kg("query", "owners", "orb-100", "--graph", graph_path,
                         "--format", "json").output)
    assert {r["person"] for r in rows} == {"Priya Raman", "Marco Rossi", "Sam Okafor"}
    assert {"person": "Sam Okafor", "item": "Patch ORB-80", "due": "2025-01-12",
            "via": "ORB-100 DEPENDS_ON ORB-90 DEPENDS_ON ORB-80",
            "source": "2025-01-10-platform-sync.md:23"} in rows


def test_formats_table_json_csv(graph_path):
    table = kg("query", "promotions", "--graph", graph_path)
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["person", "role", "date", "source"]
    assert "Lena Vogel" in table.output and "(1 row)" in table.output
    rows = json.loads(kg("query", "promotions", "--graph", graph_path, "--format", "json").output)
    assert rows == [{"person": "Lena Vogel", "role": "Staff Engineer", "date": "2025-01-10",
                     "source": "2025-01-10-platform-sync.md:11"}]
    text = kg("query", "concerns", "ORB-100", "--graph", graph_path, "--format", "csv").output
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [r["person"] for r in parsed] == ["Marco Rossi", "Marco Rossi"]
    assert [r["date"] for r in parsed] == ["2025-01-10", "2025-01-24"]


def test_list_shows_every_query_with_its_description():
    result = kg("query", "--list")
    assert result.exit_code == 0
    for q in registry().values():
        assert q.usage in result.output and q.description in result.output


def test_unknown_query_suggests_a_near_name(graph_path):
    result = kg("query", "ownrs", "X", "--graph", graph_path)
    assert result.exit_code == 2
    assert "unknown query 'ownrs'" in result.output and "Did you mean owners" in result.output


def test_missing_argument_and_stray_option(graph_path):
    missing = kg("query", "owners", "--graph", graph_path)
    assert missing.exit_code == 2 and "owners needs KEY" in missing.output
    stray = kg("query", "owners", "ORB-1", "--overdue", "--graph", graph_path)
    assert stray.exit_code == 2 and "--overdue does not apply" in stray.output


def test_unknown_entity_suggests_near_names(graph_path):
    result = kg("query", "ticket", "ORB-101", "--graph", graph_path)
    assert result.exit_code == 2
    assert "no incident or ticket named 'ORB-101'" in result.output
    assert "ORB-100" in result.output and "Traceback" not in result.output


def test_person_short_names_resolve_like_the_build(graph_path):
    rows = json.loads(kg("query", "person", "Marco", "--graph", graph_path,
                         "--format", "json").output)
    assert {"relation": "MEMBER_OF", "what": "Core Team", "date": "2025-01-10",
            "source": "2025-01-10-platform-sync.md:14"} in rows


def test_ambiguous_name_lists_candidates(tmp_path):
    note = tmp_path / "notes" / "2025-03-01-sync.md"
    note.parent.mkdir()
    note.write_text("# Sync\n\n**Date:** March 1, 2025\n**Attendees:** Dana Kim, Lee Kim\n\n"
                    "- Dana Kim raised concern about ORB-5\n- Lee Kim owns ORB-5\n",
                    encoding="utf-8")
    build([note.parent], tmp_path / "out", BuildOptions())
    result = kg("query", "person", "Kim", "--graph", str(tmp_path / "out" / "graph.json"))
    assert result.exit_code == 2
    assert "ambiguous" in result.output and "Dana Kim, Lee Kim" in result.output


def test_open_items_overdue_as_of(graph_path):
    rows = json.loads(kg("query", "open-items", "--overdue", "--as-of", "2025-01-16",
                         "--graph", graph_path, "--format", "json").output)
    assert [(r["item"], r["owner"], r["tickets"]) for r in rows] == [
        ("Patch ORB-80", "Sam Okafor", "ORB-80"), ("Fix ORB-90", "Marco Rossi", "ORB-90")]
    mine = json.loads(kg("query", "open-items", "--person", "Lena", "--graph", graph_path,
                         "--format", "json").output)
    assert [r["item"] for r in mine] == ["Write the release notes"]
    bad = kg("query", "open-items", "--as-of", "soon", "--graph", graph_path)
    assert bad.exit_code == 2


def test_missing_graph_is_a_clear_error(tmp_path):
    result = kg("query", "promotions", "--graph", str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "kg build" in result.output
