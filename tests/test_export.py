"""`kg export`: every format read back by its own reader, hostile text intact."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from bolt_server import server_from_env, start_falkordb
from click.testing import CliRunner
from test_lookup import NOTE

from kg import vocab as V
from kg.backends.neo4j_store import Neo4jStore, Settings
from kg.build import BuildOptions, build
from kg.cli import main
from kg.export import ARRAY_DELIMITER, cypher_literal, render, to_csv, to_cypher
from kg.graph import write_graph

#: Everything that breaks a careless writer: quotes, backslashes, a Cypher comment and map
#: end, newlines, controls, XML, CSV and array delimiters, accents, other scripts, emoji.
HOSTILE = ("O'Brien said \"no\" \\ }) DETACH DELETE n // x;y,z\nline two\r\ttab "
           "<b>&amp;</b> \x1f café Ибрагимова 株式会社 🚀")


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    (root / "notes").mkdir()
    (root / "notes" / "2025-02-03-sync.md").write_text(NOTE, encoding="utf-8")
    g = build([root / "notes"], root / "out", BuildOptions(html=False)).graph
    # Text a note cannot hold (a newline inside one value), and the list-of-maps attribute
    # items are gaining: exports must flatten any such attribute, not a known list of them.
    item = next(n for n, a in g.nodes(data=True) if a["label"] == V.ACTION_ITEM)
    g.nodes[item]["text"] = HOSTILE
    g.nodes[item]["history"] = [{"date": "2025-02-03", "status": "open", "note": HOSTILE}]
    u, v, k = next((u, v, k) for u, v, k in g.edges(keys=True) if k == V.RAISED_CONCERN_ABOUT)
    g.edges[u, v, k]["evidence"][0]["text"] = HOSTILE
    return g


#: What an XML reader gives back: XML 1.0 has no \x1f, and reads a CR as a line feed.
HOSTILE_XML = HOSTILE.replace("\r", "\n").replace("\x1f", "\ufffd")


def _hostile_item(g):
    return next(n for n, a in g.nodes(data=True) if a.get("text") == HOSTILE)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_flattened_evidence(graph, tmp_path, fmt, read):
    path = tmp_path / f"g.{fmt}"
    path.write_text(render(graph, fmt), encoding="utf-8")
    back = read(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    item = _hostile_item(graph)
    node = back.nodes[item]
    assert node["text"] == HOSTILE_XML and node["kg_label"] == V.ACTION_ITEM
    # Lists and maps are JSON text, whose escapes carry every character through XML.
    assert json.loads(node["history"]) == graph.nodes[item]["history"]
    tf = back.nodes["person:tomas-ferreira"]
    assert tf["label"] == "Tomás Ferreira" and json.loads(tf["aliases"]) == ["TF"]
    concern = [d for _, _, d in back.edges(data=True) if d["label"] == V.RAISED_CONCERN_ABOUT]
    assert len(concern) == 1 and concern[0]["text"] == HOSTILE_XML
    evidence = json.loads(concern[0]["evidence"])
    assert evidence[0]["text"] == HOSTILE and concern[0]["source"] == \
        f"{evidence[0]['source']}:{evidence[0]['line']}"
    types = sorted(d["label"] for _, _, d in back.edges(data=True))
    assert types == sorted(k for _, _, k in graph.edges(keys=True))


def _read_csv(text: str) -> tuple[list[str], list[dict]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_csv_has_neo4j_admin_headers_and_reads_back(graph):
    nodes_text, rels_text = to_csv(graph)
    header, nodes = _read_csv(nodes_text)
    assert header[:2] == ["id:ID", ":LABEL"]
    assert {"line:long", "mentions:long", "aliases:string[]", "name", "text"} <= set(header)
    assert len(nodes) == graph.number_of_nodes()
    by_id = {r["id:ID"]: r for r in nodes}
    item = by_id[_hostile_item(graph)]
    assert item[":LABEL"] == "ActionItem;KgNode" and item["text"] == HOSTILE
    assert json.loads(item["history"]) == graph.nodes[_hostile_item(graph)]["history"]
    assert int(item["line:long"]) == graph.nodes[_hostile_item(graph)]["line"]
    assert by_id["person:tomas-ferreira"]["aliases:string[]"].split(ARRAY_DELIMITER) == ["TF"]

    header, rels = _read_csv(rels_text)
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"sources:string[]", "lines:long[]", "texts:string[]", "dates:string[]"} <= set(header)
    assert len(rels) == graph.number_of_edges()
    assert {r[":START_ID"] for r in rels} | {r[":END_ID"] for r in rels} <= set(by_id)
    concern = next(r for r in rels if r[":TYPE"] == V.RAISED_CONCERN_ABOUT)
    # The array delimiter is the one character an array item cannot keep.
    assert concern["texts:string[]"].split(ARRAY_DELIMITER) == [HOSTILE.replace("\x1f", " ")]
    ev = graph.edges[concern[":START_ID"], concern[":END_ID"], V.RAISED_CONCERN_ABOUT]["evidence"]
    assert concern["lines:long[]"].split(ARRAY_DELIMITER) == [str(e["line"]) for e in ev]


def test_cypher_literals_escape_everything_that_ends_a_string():
    literal = cypher_literal(HOSTILE)
    assert literal.startswith("'") and literal.endswith("'")
    body = literal[1:-1]
    # No unescaped quote, no raw line break: the statement stays one line and one string.
    assert "\n" not in literal and "\r" not in literal
    assert all(body[i - 1] == "\\" for i, c in enumerate(body) if c in "'\"")
    assert "\\u001f" in body and "café Ибрагимова 株式会社 🚀" in body
    assert cypher_literal({"weird`key": 1, "ok": [True, None, 2.5]}) == \
        "{`weird``key`: 1, ok: [true, null, 2.5]}"


def test_exports_are_deterministic(graph):
    for fmt in ("graphml", "gexf", "cypher"):
        assert render(graph, fmt) == render(graph, fmt)
    assert to_csv(graph) == to_csv(graph)


def kg(*args):
    return CliRunner().invoke(main, list(args))


def test_kg_export_writes_beside_the_graph_or_to_out(graph, tmp_path):
    write_graph(graph, tmp_path / "graph.json")
    res = kg("export", "--format", "graphml", "--graph", str(tmp_path / "graph.json"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "graph.graphml").exists() and "graph.graphml" in res.output
    res = kg("export", "--format", "csv", "--graph", str(tmp_path / "graph.json"),
             "--out", str(tmp_path / "import"))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "import").iterdir()) == \
        ["nodes.csv", "relationships.csv"]
    res = kg("export", "--format", "csv", "--graph", str(tmp_path / "graph.json"),
             "--out", str(tmp_path / "graph.graphml"))
    assert res.exit_code == 2 and "writes a folder" in res.output
    res = kg("export", "--format", "gexf", "--graph", str(tmp_path / "missing.json"))
    assert res.exit_code == 2 and "no graph here" in res.output
    res = kg("export", "--format", "dot")
    assert res.exit_code == 2


@pytest.fixture(scope="module")
def bolt_store():
    server = server_from_env() or start_falkordb()
    store = Neo4jStore(Settings(**server.settings()))
    try:
        store.connect()
        yield store
    finally:
        store.close()
        server.stop()


@pytest.mark.bolt
def test_cypher_script_rebuilds_the_graph_on_a_bolt_server(graph, bolt_store):
    store = bolt_store
    store.run("MATCH (n:KgNode) DETACH DELETE n", write=True)
    statements = [line for line in to_cypher(graph).splitlines() if not line.startswith("//")]
    # FalkorDB refuses CREATE INDEX ... IF NOT EXISTS (README, "Neo4j"); Neo4j runs it.
    assert statements[0].startswith("CREATE INDEX kg_node_id IF NOT EXISTS")
    for statement in statements[1:]:
        store.run(statement, write=True)  # one by one: FalkorDB crashes on big messages
    assert store.counts() == {"nodes": graph.number_of_nodes(),
                              "relationships": graph.number_of_edges()}
    item = _hostile_item(graph)
    got = store.run("MATCH (n:KgNode {id: $id}) RETURN n.text AS text, n.history AS h, "
                    "labels(n) AS labels", {"id": item})[0]
    assert got["text"] == HOSTILE.replace("\x1f", "\\u001f")  # FalkorDB reads no \u escapes
    assert json.loads(got["h"])[0]["status"] == "open"
    assert sorted(got["labels"]) == ["ActionItem", "KgNode"]
    ev = store.run("MATCH (:Person)-[r:RAISED_CONCERN_ABOUT]->() RETURN r.texts AS t, "
                   "r.sources AS s")
    assert ev[0]["t"][0].startswith("O'Brien said \"no\" \\ }) DETACH DELETE n // x;y,z\n")
    people = store.run("MATCH (p:Person) RETURN p.name AS n ORDER BY n")
    assert [r["n"] for r in people] == sorted(a["name"] for _, a in graph.nodes(data=True)
                                              if a["label"] == V.PERSON)
