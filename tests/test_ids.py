"""Node ids: two names resolution keeps apart never share an id, in any script."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import names
from kg import vocab as V
from kg.build import BuildOptions, build
from kg.cli import main
from kg.extract.facts import CUE, Fact, NoteFacts, Ref
from kg.graph import build_graph, write_graph
from kg.resolve import Resolver

CUSTOMERS = ("Газпром", "Сбербанк", "株式会社")


def test_names_without_ascii_letters_get_distinct_readable_ids():
    ids = [V.node_id(V.CUSTOMER, name) for name in CUSTOMERS]
    assert ids == ["customer:газпром", "customer:сбербанк", "customer:株式会社"]


def test_a_hyphen_is_not_a_space():
    assert V.node_id(V.PERSON, "Anne Marie Smith") == "person:anne-marie-smith"
    assert V.node_id(V.PERSON, "Anne-Marie Smith").startswith("person:anne-marie-smith-")
    assert V.node_id(V.PERSON, "Tomás Ferreira") == V.node_id(V.PERSON, "tomas  ferreira")


def test_two_people_resolution_keeps_apart_are_two_nodes(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "2024-05-01-sync.md").write_text(
        "# Sync\nDate: 2024-05-01\nAttendees: Anne-Marie Smith, Anne Marie Smith\n",
        encoding="utf-8")
    graph = build([notes], tmp_path / "out", BuildOptions(cache=False)).graph
    assert {"Anne-Marie Smith", "Anne Marie Smith"} <= names(graph, V.PERSON)
    attended = [u for u, _, d in graph.edges(data=True) if d["type"] == V.ATTENDED]
    assert len(set(attended)) == 2


def _customer_graph(path):
    """Three incidents, each at a customer named in a non-Latin script."""
    lines = {i + 2: f"- INC-{i} at {c}" for i, c in enumerate(CUSTOMERS)}
    note = NoteFacts(
        source="2024-05-01-sync.md", title="Customer sync", date="2024-05-01",
        mentions=[(Ref(V.CUSTOMER, c, CUE), i + 2) for i, c in enumerate(CUSTOMERS)],
        facts=[Fact(V.AFFECTED, Ref(V.INCIDENT, f"INC-{i}", CUE), Ref(V.CUSTOMER, c, CUE), i + 2)
               for i, c in enumerate(CUSTOMERS)],
        lines=lines)
    graph = build_graph([note], Resolver([note]), {"sources": [note.source]})
    write_graph(graph, path)
    return graph


def test_queries_and_the_page_tell_non_latin_customers_apart(tmp_path):
    path = tmp_path / "graph.json"
    graph = _customer_graph(path)
    assert sorted(n for n, a in graph.nodes(data=True) if a["label"] == V.CUSTOMER) == \
        sorted(V.node_id(V.CUSTOMER, c) for c in CUSTOMERS)
    runner = CliRunner()
    res = runner.invoke(main, ["query", "timeline", "Сбербанк", "--graph", str(path),
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [r["text"] for r in json.loads(res.output)] == ["- INC-1 at Сбербанк"]
    page = tmp_path / "focus.html"
    res = runner.invoke(main, ["viz", "--graph", str(path), "--focus", "株式会社", "--depth", "1",
                               "--out", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text(encoding="utf-8")
    assert "customer:株式会社" in html and "customer:газпром" not in html
