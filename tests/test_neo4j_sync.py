"""`kg load` keeps a Bolt server's kg nodes and relationships equal to graph.json: what a later
build no longer has is deleted, only what changed is written, and nothing kg did not write is
touched. Runs against the real Bolt server (FalkorDB, or KG_TEST_NEO4J_URI)."""

from __future__ import annotations

import contextlib
import json

import pytest
from bolt_server import own_server
from click.testing import CliRunner

from conftest import write_notes
from kg import vocab as V
from kg.backends import neo4j_store
from kg.backends.neo4j_store import HASH, Neo4jStore, Settings, SyncPlan, node_rows
from kg.build import BuildOptions, build
from kg.cli import main
from kg.graph import write_graph

pytestmark = pytest.mark.bolt

WEEK1 = {
    "2024-03-04-platform-sync.md": """
        # Platform sync
        Date: 2024-03-04
        Attendees: Ann Lee, Bo Chen, Cy Dee

        - Ann Lee raised a concern about PLAT-7 because of PLAT-3
        - Bo Chen is working on PLAT-9

        ## Action items
        - Bo Chen to draft the rollout plan for PLAT-7 by Mar 15
        - Cy Dee to review the PLAT-9 runbook by Mar 20
    """,
    "2024-03-05-billing-sync.md": """
        # Billing sync
        Date: 2024-03-05
        Attendees: Dora Fox, Eli Gray

        - Eli Gray raised a concern about BILL-12
        - Dora Fox is working on BILL-40

        ## Action items
        - Dora Fox to chase the BILL-12 vendor by Mar 18
    """,
    "2024-03-11-platform-sync.md": """
        # Platform sync
        Date: 2024-03-11
        Attendees: Ann Lee, Bo Chen

        - Bo Chen raised a concern about PLAT-9

        ## Action items
        - Ann Lee to update the PLAT-3 dashboard by Mar 22
    """,
}


def _week2() -> dict[str, str]:
    """Week 1 without the billing note, and with one platform line edited."""
    notes = {k: v for k, v in WEEK1.items() if "billing" not in k}
    first = "2024-03-04-platform-sync.md"
    notes[first] = notes[first].replace("Cy Dee to review the PLAT-9 runbook by Mar 20",
                                        "Ann Lee to review the PLAT-9 runbook by Mar 27")
    return notes


@pytest.fixture(scope="module")
def server():
    with own_server() as srv:
        yield srv


@contextlib.contextmanager
def _db(server):
    """A store for looking at the database, closed before the next `kg` command connects
    (FalkorDB stalls a new driver's handshake while another holds a connection)."""
    store = Neo4jStore(Settings(**server.settings()))
    store.connect()
    try:
        yield store
    finally:
        store.close()


def _conn(server) -> list[str]:
    return ["--uri", server.uri, "--user", server.user, "--password", server.password,
            *(["--database", server.database] if server.database else [])]


def _load(server, path, *extra) -> dict:
    out = CliRunner().invoke(main, ["load", "--graph", str(path), "--format", "json",
                                    *extra, *_conn(server)])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def _build(tmp_path, name: str, notes: dict[str, str]):
    folder = write_notes(tmp_path / name, notes)
    return build([folder], tmp_path / f"{name}-out", BuildOptions(cache=False))


def _kg_contents(store) -> tuple[dict, dict]:
    """The kg nodes ({id: (label, properties)}) and kg relationships
    ({(source, type, target): properties}) the database holds."""
    nodes = {r["id"]: (r["label"], r["p"]) for r in store.run(
        "MATCH (n:KgNode) RETURN n.id AS id, n.label AS label, properties(n) AS p")}
    rels = {(r["a"], r["t"], r["b"]): r["p"] for r in store.run(
        "MATCH (a:KgNode)-[r]->(b:KgNode) WHERE type(r) IN $types "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p",
        {"types": list(V.REL_TYPES)})}
    return nodes, rels


def _expected(g) -> tuple[dict, dict]:
    """What the database must hold for graph `g`, in _kg_contents's shape (minus hashes)."""
    nodes = {n: a["label"] for n, a in g.nodes(data=True)}
    rels = {(u, d["type"], v): [f"{e['source']}:{e['line']}" for e in d["evidence"]]
            for u, v, d in g.edges(data=True)}
    return nodes, rels


def _assert_holds_exactly(store, g) -> None:
    nodes, rels = _kg_contents(store)
    want_nodes, want_rels = _expected(g)
    assert {n: label for n, (label, _) in nodes.items()} == want_nodes
    assert {k: p["sources"] for k, p in rels.items()} == want_rels
    texts = {(u, d["type"], v): [e["text"] for e in d["evidence"]]
             for u, v, d in g.edges(data=True)}
    assert {k: p["texts"] for k, p in rels.items()} == texts
    # Every property is exactly what kg writes now: an attribute the graph dropped is gone.
    written = {r["id"]: r["props"] for rows in node_rows(g).values() for r in rows}
    assert {n: p for n, (_, p) in nodes.items()} == written


def _add_foreign(store) -> None:
    """Things kg did not write: a node, a vocabulary-typed relationship between two non-kg
    nodes, and a relationship of the user's own type between two kg nodes that stay."""
    store.run("CREATE (:Person {id: 'theirs', name: 'Not From Kg'})", write=True)
    store.run("CREATE (:Team {id: 'their-team'})-[:OWNS {why: 'theirs'}]->"
              "(:Ticket {id: 'their-ticket'})", write=True)
    store.run("MATCH (a:KgNode {id: $a}), (b:KgNode {id: $b}) CREATE (a)-[:KNOWS]->(b)",
              {"a": V.node_id(V.PERSON, "Ann Lee"), "b": V.node_id(V.PERSON, "Bo Chen")},
              write=True)


def _foreign(store) -> list:
    return [store.run("MATCH (n {id: 'theirs'}) RETURN n.name AS n"),
            store.run("MATCH (:Team {id: 'their-team'})-[r:OWNS]->(:Ticket {id: 'their-ticket'}) "
                      "RETURN r.why AS why"),
            store.run("MATCH (:KgNode)-[r:KNOWS]->(:KgNode) RETURN count(r) AS c")]


def _clear(server) -> None:
    """Remove what kg and these tests wrote (and nothing else, on a real Neo4j)."""
    with _db(server) as store:
        store.reset()
        store.run("MATCH (n) WHERE n.id IN ['theirs', 'their-team', 'their-ticket'] "
                  "DETACH DELETE n", write=True)


def test_a_later_build_replaces_the_earlier_one_and_foreign_data_survives(server, tmp_path):
    _clear(server)
    first, second = _build(tmp_path, "week1", WEEK1), _build(tmp_path, "week2", _week2())
    g1, g2 = first.graph, second.graph
    loaded = _load(server, first.out_path)
    assert loaded["written"] == {"nodes": g1.number_of_nodes(),
                                 "relationships": g1.number_of_edges()}
    with _db(server) as store:
        _assert_holds_exactly(store, g1)
        _add_foreign(store)
        foreign = _foreign(store)
    assert foreign == [[{"n": "Not From Kg"}], [{"why": "theirs"}], [{"c": 1}]]

    synced = _load(server, second.out_path)

    gone_nodes = set(g1) - set(g2)
    gone_rels = {(u, d["type"], v) for u, v, d in g1.edges(data=True)} - \
        {(u, d["type"], v) for u, v, d in g2.edges(data=True)}
    assert gone_nodes and gone_rels  # the billing note's people, tickets, meeting and edges
    assert synced["removed"] == {"nodes": len(gone_nodes), "relationships": len(gone_rels)}
    assert synced["nodes"] == g2.number_of_nodes()
    assert 0 < synced["written"]["nodes"] < g2.number_of_nodes()
    assert synced["unchanged"]["nodes"] + synced["written"]["nodes"] == g2.number_of_nodes()
    with _db(server) as store:
        _assert_holds_exactly(store, g2)
        assert _foreign(store) == foreign
        snapshot = _kg_contents(store)

    again = _load(server, second.out_path)
    assert again["written"] == again["removed"] == {"nodes": 0, "relationships": 0}
    assert again["unchanged"] == {"nodes": g2.number_of_nodes(),
                                  "relationships": g2.number_of_edges()}
    assert again["batches"] == 0
    with _db(server) as store:
        assert _kg_contents(store) == snapshot
        assert _foreign(store) == foreign
    assert server.alive()


def test_text_summary_and_reset(server, tmp_path):
    _clear(server)
    result = _build(tmp_path, "week1", WEEK1)
    g = result.graph
    runner = CliRunner()
    first = runner.invoke(main, ["load", "--graph", str(result.out_path), *_conn(server)])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[1:4] == [f"  written:   {g.number_of_nodes()} nodes, "
                          f"{g.number_of_edges()} relationships",
                          "  removed:   0 nodes, 0 relationships",
                          "  unchanged: 0 nodes, 0 relationships"]
    with _db(server) as store:
        _add_foreign(store)
    reset = _load(server, result.out_path, "--reset")
    assert reset["deleted"] == g.number_of_nodes()
    assert reset["written"] == {"nodes": g.number_of_nodes(),
                                "relationships": g.number_of_edges()}
    with _db(server) as store:
        _assert_holds_exactly(store, g)
        # --reset removes kg nodes with every relationship they have, the user's too.
        assert _foreign(store)[:2] == [[{"n": "Not From Kg"}], [{"why": "theirs"}]]


def test_any_attribute_change_is_written_and_a_dropped_one_removed(server, tmp_path):
    _clear(server)
    result = _build(tmp_path, "week1", WEEK1)
    g = result.graph
    item = next(n for n, a in g.nodes(data=True) if a["label"] == V.ACTION_ITEM)
    g.nodes[item]["history"] = [{"date": "2024-03-04", "status": "open"},
                                {"date": "2024-03-11", "status": "done"}]
    path = tmp_path / "with-history.json"
    write_graph(g, path)
    added = _load(server, path)
    assert added["written"] == {"nodes": g.number_of_nodes(),
                                "relationships": g.number_of_edges()}
    with _db(server) as store:
        [row] = store.run("MATCH (n:KgNode {id: $id}) RETURN n.history AS h", {"id": item})
    assert json.loads(row["h"]) == g.nodes[item]["history"]

    del g.nodes[item]["history"]
    write_graph(g, path)
    dropped = _load(server, path)
    assert dropped["written"] == {"nodes": 1, "relationships": 0}
    with _db(server) as store:
        assert store.run("MATCH (n:KgNode {id: $id}) RETURN n.history AS h",
                         {"id": item}) == [{"h": None}]
        _assert_holds_exactly(store, g)


def test_removing_hundreds_of_relationships_keeps_every_message_small(server, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr(neo4j_store, "READ_PAGE", 7)  # many pages when reading back
    _clear(server)
    many = {f"2024-04-{d:02d}-sync.md":
            f"# Sync\nDate: 2024-04-{d:02d}\nAttendees: Ann Lee, Bo Chen\n\n## Action items\n"
            + "".join(f"- Bo Chen to fix PLAT-{d * 100 + i} by Apr 30\n" for i in range(20))
            for d in range(1, 11)}
    big = _build(tmp_path, "big", many)
    small = _build(tmp_path, "small", dict(list(many.items())[:1]))
    _load(server, big.out_path)
    synced = _load(server, small.out_path)
    assert _load(server, small.out_path)["written"] == {"nodes": 0, "relationships": 0}
    removed = big.graph.number_of_edges() - small.graph.number_of_edges()
    assert synced["removed"]["relationships"] == removed > 300
    assert server.alive()
    with _db(server) as store:
        _assert_holds_exactly(store, small.graph)


def test_a_relabelled_node_is_deleted_and_written_again():
    rows = {V.TEAM: [{"id": "x", "props": {"id": "x", "label": V.TEAM, HASH: "h1"}}]}
    edges = {(V.MEMBER_OF, V.PERSON, V.TEAM): [{"s": "p", "t": "x",
                                                "props": {"sources": [], HASH: "e1"}}]}
    have_nodes = {"x": (V.PRODUCT, "h1"), "p": (V.PERSON, "hp"), "old": (V.TEAM, "h2")}
    plan = SyncPlan.of(rows, edges, have_nodes, {("p", V.MEMBER_OF, "x"): "e1"})
    assert [r["id"] for r in plan.stale_nodes] == ["old", "p", "x"]
    assert plan.nodes == rows and plan.edges == edges
    assert plan.counts()["unchanged"] == {"nodes": 0, "relationships": 0}
