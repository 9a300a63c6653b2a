"""graph.index.sqlite answers every canned query as graph.json does, and only for its graph.

The corpus is benchmarks/generate.py's (every note style, seeded); each query is
asked about every entity it accepts, and with each of its options, once through
the index (the subgraph kg/subgraphs.py declares) and once on the whole graph.json.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import REPO, bench_generator, write_notes
from kg import vocab as V
from kg.build import BuildOptions, build
from kg.errors import QueryError
from kg.graph import read_graph
from kg.index import index_path, open_index
from kg.queries import NetworkXBackend, query_args, registry, run_query
from kg.subgraphs import NEEDS, IndexBackend, local_backend


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("indexed")
    bench_generator().generate(60, root, seed=5)
    result = build([root / "notes"], root / "out", BuildOptions(workers=1))
    return root, result.out_path


def answer(backend, query, positional=(), **options) -> list[dict] | str:
    args = query_args(query, positional, options)
    try:
        if isinstance(backend, IndexBackend):
            return backend.run(query, args)
        return run_query(query, args, backend)
    except QueryError as exc:  # e.g. an ambiguous first name: both must refuse alike
        return f"QueryError: {exc}"


def cases(graph):
    """(query, positional args, options) for every query, subject and option it takes."""
    by_label: dict[str, list[str]] = {}
    for n, a in graph.nodes(data=True):
        by_label.setdefault(a["label"], []).append(n)
    for name, query in sorted(registry().items()):
        labels = query.entity_args.get("id", ())
        ids = sorted(n for label in labels for n in by_label.get(label, ()))
        # By id, and by name as a user types it (first names and handles of people too).
        subjects = ids + sorted({graph.nodes[n]["name"] for n in ids}) + sorted(
            {graph.nodes[n]["name"].split()[0] for n in ids if n.startswith("person:")})
        optional = "[" in query.usage.split("--")[0] or not labels
        for subject in ([None] if optional else []) + subjects:
            yield query, (subject,) if subject else (), {}
        if name == "open-items":
            for person in [None] + sorted(by_label[V.PERSON]):
                yield query, (), {"person": person, "overdue": True, "as_of": "2025-01-01"}
                yield query, (), {"person": person}
        if name == "decisions":
            yield query, (), {"since": "2024-06-01"}
            yield query, ("launch",), {}
            yield query, ("nothing-is-named-this",), {}


def test_every_query_declares_its_subgraph():
    assert set(NEEDS) == set(registry()), "add the query's walk to kg/subgraphs.py NEEDS"


def test_index_answers_every_query_like_graph_json(corpus):
    _root, graph_path = corpus
    whole = NetworkXBackend(read_graph(graph_path))
    answered: dict[str, int] = {}
    with local_backend(graph_path) as indexed:
        assert isinstance(indexed, IndexBackend)
        for query, positional, options in cases(whole.g):
            got = answer(indexed, query, positional, **options)
            assert got == answer(whole, query, positional, **options), \
                (query.name, positional, options)
            if isinstance(got, list) and got:
                answered[query.name] = answered.get(query.name, 0) + 1
    # The comparison means something only if each query found rows somewhere.
    assert set(answered) == set(registry()), answered


def test_subgraph_is_small(corpus):
    _root, graph_path = corpus
    whole = read_graph(graph_path)
    owner = max((n for n, a in whole.nodes(data=True) if a["label"] == V.PERSON),
                key=whole.degree)
    with open_index(graph_path) as index:
        from kg.subgraphs import subgraph
        part = subgraph(index, NEEDS["person"]({"id": owner}))
    assert owner in part and part.number_of_nodes() < whole.number_of_nodes() / 5


def _first_answer(graph_path, query_name="promotions"):
    query = registry()[query_name]
    with local_backend(graph_path) as backend:
        return type(backend), answer(backend, query)


def test_an_edited_note_rebuilds_the_index(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-05-01-sync.md": """
        # Sync 2024-05-01
        Attendees: Dana Whitfield, Omar Castellanos

        - Dana Whitfield was promoted to Staff Engineer.
        """})
    out = tmp_path / "out"
    build([notes], out, BuildOptions(workers=1))
    kind, before = _first_answer(out / "graph.json")
    assert kind is IndexBackend and [r["role"] for r in before] == ["Staff Engineer"]
    (notes / "2024-05-01-sync.md").write_text(
        "# Sync 2024-05-01\nAttendees: Dana Whitfield, Omar Castellanos\n\n"
        "- Omar Castellanos was promoted to Principal Engineer.\n", encoding="utf-8")
    build([notes], out, BuildOptions(workers=1))  # incremental: the cache has the old note
    kind, after = _first_answer(out / "graph.json")
    assert kind is IndexBackend
    whole = NetworkXBackend(read_graph(out / "graph.json"))
    assert after == answer(whole, registry()["promotions"])
    assert [r["role"] for r in after] == ["Principal Engineer"]


def _two_graphs(tmp_path):
    """Two built folders whose graphs differ, each with its own index."""
    outs = []
    for who, role in (("Dana Whitfield", "Staff Engineer"), ("Omar Castellanos", "Director")):
        notes = write_notes(tmp_path / f"notes-{role}", {"2024-05-01-sync.md": f"""
            # Sync 2024-05-01
            Attendees: {who}

            - {who} was promoted to {role}.
            """})
        out = tmp_path / f"out-{role}"
        build([notes], out, BuildOptions(workers=1))
        outs.append(out)
    return outs


@pytest.mark.parametrize("how", ["rename", "copy-over", "same-size-edit"])
def test_a_replaced_graph_json_never_uses_the_old_index(tmp_path, how):
    first, second = _two_graphs(tmp_path)
    target = first / "graph.json"
    if how == "rename":
        os.replace(second / "graph.json", target)
    elif how == "copy-over":
        shutil.copyfile(second / "graph.json", target)  # same inode, new bytes
    else:
        data = target.read_bytes().replace(b"Staff Engineer", b"Staff Engineeq")
        target.write_bytes(data)
    assert open_index(target) is None
    kind, rows = _first_answer(target)
    assert kind is NetworkXBackend
    assert rows == answer(NetworkXBackend(read_graph(target)), registry()["promotions"])
    assert rows[0]["role"] != "Staff Engineer"


def test_a_copied_folder_keeps_its_index(tmp_path):
    first, _second = _two_graphs(tmp_path)
    copy = tmp_path / "copied"
    shutil.copytree(first, copy)  # new inodes, same bytes: the content hash still matches
    kind, rows = _first_answer(copy / "graph.json")
    assert kind is IndexBackend and rows[0]["role"] == "Staff Engineer"


@pytest.mark.parametrize("damage", ["garbage", "empty", "other-format"])
def test_a_damaged_index_falls_back_to_graph_json(tmp_path, damage):
    first, _second = _two_graphs(tmp_path)
    idx = index_path(first / "graph.json")
    if damage == "garbage":
        idx.write_bytes(b"not a database at all" * 100)
    elif damage == "empty":
        idx.write_bytes(b"")
    else:
        with sqlite3.connect(idx) as db:
            db.execute("UPDATE meta SET value = 'kg-index-0' WHERE key = 'format'")
    kind, rows = _first_answer(first / "graph.json")
    assert kind is NetworkXBackend and rows[0]["role"] == "Staff Engineer"


def test_cli_query_uses_the_index_without_spacy(tmp_path):
    first, _second = _two_graphs(tmp_path)
    graph = first / "graph.json"
    os.unlink(first / ".kg-cache" / "facts.jsonl")  # nothing else needed to answer
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg.cli", "query",
                           "promotions", "--graph", str(graph), "--format", "json"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Staff Engineer" in proc.stdout
    modules = {ln.rsplit("|", 1)[1].strip() for ln in proc.stderr.splitlines()
               if ln.startswith("import time:")}
    assert "kg.index" in modules
    assert not {m for m in modules if m.split(".")[0] in ("spacy", "neo4j", "pyvis")}
