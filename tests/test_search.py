"""`kg search`: evidence lines and entities that match, ranked, with where they were said."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.search import search

NOTES = {
    "2025-01-06-arch.md": """# Architecture Review

**Date:** January 6, 2025
**Attendees:** Emily Watson (EW), Tomás Ferreira, Raj Patel

- Raj Patel raised concern about NEXUS-40 and the schema registry migration
- Registry schemas for NEXUS-41 are versioned by hand today
- EW will draft the schema registry RFC by Jan 20
""",
    "2025-02-10-arch.md": """# Architecture Review

**Date:** February 10, 2025
**Attendees:** Emily Watson, Raj Patel

- The schema registry ships with NEXUS-40
- Tomas Ferreira owns NEXUS-41
""",
}


@pytest.fixture(scope="module")
def graph_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    (root / "notes").mkdir()
    for name, text in NOTES.items():
        (root / "notes" / name).write_text(text, encoding="utf-8")
    build([root / "notes"], root / "out", BuildOptions(html=False))
    return str(root / "out" / "graph.json")


def kg(*args):
    return CliRunner().invoke(main, list(args))


def rows_of(*args) -> list[dict]:
    result = kg("search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_phrase_ranks_first_then_newest(graph_path):
    rows = rows_of("Schema Registry", "--graph", graph_path)
    assert [(r["score"], r["source"]) for r in rows] == [
        (32, "2025-02-10-arch.md:6"),   # the phrase as written, newest first
        (32, "2025-01-06-arch.md:6"),
        (32, "2025-01-06-arch.md:8"),
        (12, "2025-01-06-arch.md:7"),   # both words, in another order
    ]
    assert rows[0] == {"score": 32, "kind": "line", "text": "- The schema registry ships with "
                       "NEXUS-40", "date": "2025-02-10", "source": "2025-02-10-arch.md:6",
                       "entities": "NEXUS-40"}
    assert rows[1]["entities"] == "NEXUS-40, Raj Patel"


def test_accents_and_case_do_not_matter(graph_path):
    rows = rows_of("TOMAS", "--graph", graph_path)
    assert rows[0]["kind"] == "Person" and rows[0]["text"] == "Tomás Ferreira"
    assert {r["source"] for r in rows if r["kind"] == "line"} >= {"2025-01-06-arch.md:4",
                                                                   "2025-02-10-arch.md:7"}


def test_a_name_finds_the_entity_and_lines_that_name_it_another_way(graph_path):
    rows = rows_of("Watson", "--graph", graph_path)
    assert rows[0]["kind"] == "Person" and rows[0]["text"] == "Emily Watson"
    by_source = {r["source"]: r for r in rows}
    # "EW will draft …" says Watson without the word: found through the entity, ranked last.
    assert by_source["2025-01-06-arch.md:8"]["score"] == 0
    assert rows[-1]["source"] == "2025-01-06-arch.md:8"


def test_label_since_and_limit_filter(graph_path):
    tickets = rows_of("nexus", "--label", "ticket", "--graph", graph_path, "--limit", "0")
    assert {r["text"] for r in tickets if r["kind"] == "Ticket"} == {"NEXUS-40", "NEXUS-41"}
    assert all(r["kind"] in ("Ticket", "line") for r in tickets)
    recent = rows_of("registry", "--since", "2025-02-01", "--graph", graph_path)
    assert [r["source"] for r in recent] == ["2025-02-10-arch.md:6"]
    assert len(rows_of("registry", "--limit", "1", "--graph", graph_path)) == 1


def test_table_and_csv_formats(graph_path):
    table = kg("search", "registry", "--graph", graph_path)
    assert table.output.splitlines()[0].split() == ["score", "kind", "text", "date", "source",
                                                    "entities"]
    assert "(4 rows)" in table.output
    rows = list(csv.DictReader(io.StringIO(kg("search", "registry", "--graph", graph_path,
                                              "--format", "csv").output)))
    assert rows[0]["source"] == "2025-02-10-arch.md:6" and rows[0]["text"].startswith("'-")


def test_bad_options_are_one_line_errors(graph_path):
    assert "unknown label 'Tiket'" in kg("search", "x", "--label", "Tiket", "--graph",
                                        graph_path).output
    assert kg("search", "x", "--since", "soon", "--graph", graph_path).exit_code == 2
    assert kg("search", "x", "--limit", "-1", "--graph", graph_path).exit_code == 2
    assert kg("search", "x", "--graph", "/nonexistent/graph.json").exit_code == 2


def test_no_match_and_empty_text_give_no_rows(graph_path):
    assert rows_of("zzyzx", "--graph", graph_path) == []
    assert rows_of("  ", "--graph", graph_path) == []


def test_search_is_deterministic(graph_path):
    from kg.graph import read_graph

    g = read_graph(graph_path)
    assert search(g, "arch") == search(g, "arch")


def test_scores_say_how_the_words_matched():
    from kg.search import Query

    assert Query("schema").score("- the schema is done") == 31            # whole word
    assert Query("schema").score("- Registry schemas") == 21              # inside a word
    assert Query("registry schema").score("- schema of the registry") == 12  # any order
    assert Query("Tomás").score("tomas said") == 31 and Query("tomas").score("Tomás") == 31
    assert Query("schema registry").score("the schema") == 0


def test_a_meeting_title_finds_the_meeting_not_all_its_lines(graph_path):
    rows = rows_of("Architecture Review", "--graph", graph_path)
    assert [r["kind"] for r in rows] == ["Meeting", "Meeting"]
    assert [r["source"] for r in rows] == ["2025-02-10-arch.md", "2025-01-06-arch.md"]
