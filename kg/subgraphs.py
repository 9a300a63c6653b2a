"""The part of the graph each canned query reads, fetched from the index instead of graph.json.

A canned query (kg/queries.py) is NetworkX code that starts at its subject and
follows a few relationship types, or scans the nodes of one label or the edges
of one type. NEEDS below declares, per query, which nodes and edges those are;
`subgraph` fetches exactly them from graph.index.sqlite into a small
MultiDiGraph, in graph.json's order, and the same query function runs on it.
A query that is not in NEEDS reads the whole graph.json: slower, never wrong.

When a query function starts following another relationship, its entry here must
follow it too; tests/test_index.py compares every query's answer from the index
with its answer from graph.json, which is how a forgotten entry shows up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import vocab as V
from .index import GraphIndex, open_index
from .lookup import NameIndex
from .queries import CannedQuery, Entity, NetworkXBackend, run_query

OUT, IN = "out", "in"
ANY = None  # any relationship type


@dataclass(frozen=True)
class Hop:
    """One step of a walk: the edges of `rels` ((type or ANY, OUT or IN) pairs) at every node
    the step before reached. `repeat` takes the step again from the nodes it reached until
    none is new (a transitive closure); its walk goes on from all of them, the start too."""

    rels: frozenset[tuple[str | None, str]]
    repeat: bool = False


def hop(*rels: tuple[str | None, str], repeat: bool = False) -> Hop:
    return Hop(frozenset(rels), repeat)


def out(rel: str | None = ANY) -> tuple[str | None, str]:
    return rel, OUT


def into(rel: str | None = ANY) -> tuple[str | None, str]:
    return rel, IN


@dataclass(frozen=True)
class Need:
    """Where a walk starts: one node ("node"), every node of a label ("label") or every
    edge of a type and its two ends ("type"); then its hops."""

    start: str
    value: str
    hops: tuple[Hop, ...] = ()


def from_node(node_id: str, *hops: Hop) -> Need:
    return Need("node", node_id, hops)


def from_label(label: str, *hops: Hop) -> Need:
    return Need("label", label, hops)


def from_type(rel: str, *hops: Hop) -> Need:
    return Need("type", rel, hops)


#: Query name -> what it reads, given its prepared parameters (entity ids resolved).
NEEDS: dict[str, Callable[[dict], Need]] = {
    # _scope: the ticket, its sub-tasks and everything it depends on (any depth), then
    # their owners, their items' owners, and the parents _dependencies names in `via`.
    "owners": lambda p: from_node(
        p["id"], hop(out(V.DEPENDS_ON), into(V.PART_OF), repeat=True),
        hop(into(V.DEPENDS_ON), into(V.OWNS), into(V.TIED_TO)), hop(into(V.OWNS))),
    "concerns": lambda p: (from_node(p["id"], hop(into(V.RAISED_CONCERN_ABOUT)))
                           if p.get("id") else from_type(V.RAISED_CONCERN_ABOUT)),
    "open-items": lambda p: (
        from_node(p["person"], hop(out(V.OWNS)), hop(out(V.TIED_TO), into(V.OWNS)))
        if p.get("person") else
        # --team: the team's lead and members, then everything they and the team own.
        from_node(p["team"], hop(into(V.LEADS), into(V.MEMBER_OF), out(V.OWNS)),
                  hop(out(V.OWNS)), hop(out(V.TIED_TO), into(V.OWNS)))
        if p.get("team") else from_label(V.ACTION_ITEM, hop(out(V.TIED_TO), into(V.OWNS)))),
    "person": lambda p: from_node(p["id"], hop(out(), into(V.ABOUT))),
    "decisions": lambda p: (
        from_node(p["id"], hop(into(V.ABOUT), out()), hop(out(V.ABOUT), into()))
        if p.get("id") else from_label(V.DECISION, hop(out(V.ABOUT), into(V.PROPOSED)))),
    "ticket": lambda p: from_node(p["id"], hop(out(), into()), hop(into(V.OWNS))),
    "promotions": lambda p: from_type(V.PROMOTED_TO),
    "team": lambda p: from_node(p["id"], hop(into(V.LEADS), into(V.MEMBER_OF)), hop(out()),
                                hop(out(V.TIED_TO))),
    "timeline": lambda p: from_node(p["id"], hop(into(V.MENTIONS))),
}


class _Parts:
    """Nodes and edges fetched so far, by their place in graph.json."""

    def __init__(self, index: GraphIndex) -> None:
        self.index = index
        self.nodes: dict[str, tuple[int, dict] | None] = {}  # None: attributes not read yet
        self.edges: dict[int, tuple[str, str, str, dict]] = {}

    def add_edges(self, rows, far: tuple[int, ...]) -> set[str]:
        """Keep the edges in `rows`; returns their ends at positions `far` of (u, v)."""
        ends = set()
        for seq, u, v, k, d in rows:
            self.edges[seq] = (u, v, k, d)
            self.nodes.setdefault(u, None)
            self.nodes.setdefault(v, None)
            ends.update((u, v)[i] for i in far)
        return ends

    def start(self, need: Need) -> set[str]:
        if need.start == "node":
            self.nodes.setdefault(need.value, None)
            return {need.value}
        if need.start == "label":
            found = set()
            for seq, n, attrs in self.index.nodes_of_label(need.value):
                self.nodes[n] = (seq, attrs)
                found.add(n)
            return found
        return self.add_edges(self.index.edges_of_type(need.value), far=(0, 1))

    def walk(self, frontier: set[str], step: Hop) -> set[str]:
        """Take `step` from `frontier`; returns the nodes it reached."""
        done: set[str] = set()
        todo = set(frontier)
        while todo:
            reached: set[str] = set()
            for direction, far in ((OUT, 1), (IN, 0)):
                types = {rel for rel, d in step.rels if d == direction}
                if types:
                    keys = None if ANY in types else sorted(types)
                    reached |= self.add_edges(self.index.edges(todo, direction == OUT, keys),
                                              far=(far,))
            done |= todo
            if not step.repeat:
                return reached
            todo = reached - done
        return done

    def graph(self) -> nx.MultiDiGraph:
        missing = [n for n, got in self.nodes.items() if got is None]
        for seq, n, attrs in self.index.nodes(missing):
            self.nodes[n] = (seq, attrs)
        g = nx.MultiDiGraph(**self.index.graph_attrs)
        for n, (_seq, attrs) in sorted(((n, got) for n, got in self.nodes.items()
                                        if got is not None), key=lambda x: x[1][0]):
            g.add_node(n, **attrs)
        for seq in sorted(self.edges):
            u, v, k, d = self.edges[seq]
            g.add_edge(u, v, key=k, **d)
        return g


def subgraph(index: GraphIndex, need: Need) -> nx.MultiDiGraph:
    """The nodes and edges `need` names, with their attributes, in graph.json's order."""
    parts = _Parts(index)
    frontier = parts.start(need)
    for step in need.hops:
        frontier = parts.walk(frontier, step)
    return parts.graph()


class IndexBackend:
    """Answers canned queries from graph.index.sqlite, running kg.queries' NetworkX code
    on the subgraph each query needs (the whole graph.json for an undeclared query)."""

    def __init__(self, index: GraphIndex, graph_path: Path) -> None:
        self.index = index
        self.graph_path = graph_path

    def entities(self, labels: tuple[str, ...]) -> list[Entity]:
        return _entities(self.index.entities(labels))

    def run(self, query: CannedQuery, args: dict) -> list[dict]:
        """run_query, asking resolution first about the few entities named exactly as
        the argument (tens of thousands of tickets need not be compared one by one)."""
        texts = {tuple(labels): str(args[arg]) for arg, labels in query.entity_args.items()
                 if args.get(arg) is not None}

        def entities(labels: tuple[str, ...]) -> list[Entity]:
            text = texts.get(tuple(labels))
            if text is not None:
                named = _entities(self.index.named(text, labels))
                # kg.lookup tries the whole-name rules first: when one of them matches
                # here, the full list would give the same answer.
                if NameIndex(named).named_exactly(text):
                    return named
            return self.entities(labels)

        return self.rows(query, query.prepare(args, entities))

    def rows(self, query: CannedQuery, params: dict) -> list[dict]:
        need = NEEDS.get(query.name)
        if need is None:
            from .graph import read_graph
            g = read_graph(self.graph_path)
        else:
            g = subgraph(self.index, need(params))
        return NetworkXBackend(g).rows(query, params)


def _entities(rows) -> list[Entity]:
    return sorted((Entity(n, a["label"], a["name"], tuple(a.get("aliases") or ()))
                   for _seq, n, a in rows), key=lambda e: e.id)


def run_local(query: CannedQuery, args: dict, graph_path: str | os.PathLike) -> list[dict]:
    """Answer `query` from graph.json, through its index when that is current."""
    with local_backend(graph_path) as backend:
        if isinstance(backend, IndexBackend):
            return backend.run(query, args)
        return run_query(query, args, backend)


@contextmanager
def local_backend(graph_path: str | os.PathLike) -> Iterator[IndexBackend | NetworkXBackend]:
    """The fastest current way to query `graph_path`: its index if it describes exactly
    this file, else the file itself."""
    index = open_index(graph_path)
    if index is None:
        from .graph import read_graph
        yield NetworkXBackend(read_graph(graph_path))
        return
    with index:
        yield IndexBackend(index, Path(graph_path))
