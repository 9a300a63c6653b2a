"""Answers with their evidence lines, as plain data: what `kg mcp` serves to an agent.

An agent should be able to quote where a fact comes from, so every answer
carries the lines behind it: `{source: "file:line", date, text}`. Each function
here is one tool, runs on a loaded graph, and raises kg's own errors (an
unknown query or name comes with the suggestions the CLI gives).
"""

from __future__ import annotations

import weakref

import networkx as nx

from .lookup import find_node
from .queries import NetworkXBackend, get_query, query_args, registry, run_query
from .search import search as _search

#: Evidence lines one fact or one row carries at most (the newest), so one busy
#: entity cannot flood an agent's context.
MAX_EVIDENCE = 5
_LINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def list_queries() -> list[dict]:
    """Every canned query: name, usage, description and the columns of its rows."""
    return [{"name": q.name, "usage": q.usage, "description": q.description,
             "columns": list(q.columns)} for q in registry().values()]


def query(g: nx.MultiDiGraph, name: str, argument: str | None = None,
          options: dict | None = None) -> dict:
    """Run canned query `name`; each row gains `evidence`, the lines its sources point to."""
    q = get_query(name)
    params = query_args(q, (argument,) if argument else (), dict(options or {}))
    rows = run_query(q, params, NetworkXBackend(g))
    return {"query": q.name, "columns": list(q.columns), "rows": [
        {**row, "evidence": row_evidence(g, row)} for row in rows]}


def search(g: nx.MultiDiGraph, text: str, label: str | None = None, since: str | None = None,
           limit: int | None = 20) -> dict:
    """`kg search` rows; an entity row carries the newest lines that state something about it."""
    rows = _search(g, text, label=label, since=since, limit=limit)
    for row in rows:
        node = row.pop("id")
        row["evidence"] = row_evidence(g, row) if node is None else \
            _newest(_entity_evidence(g, node))
    return {"text": text, "rows": rows}


def lookup(g: nx.MultiDiGraph, name: str, limit: int = 50) -> dict:
    """The node `name` means (as `kg query` resolves names) and its facts, with evidence."""
    n = find_node(g, name)
    a = g.nodes[n]
    facts = []
    for u, v, k, d in list(g.out_edges(n, keys=True, data=True)) + \
            list(g.in_edges(n, keys=True, data=True)):
        other = v if u == n else u
        ev = [_line(e) for e in d.get("evidence") or ()]
        facts.append({"subject": _name(g, u), "relation": d.get("type", k),
                      "object": _name(g, v), "other_label": g.nodes[other].get("label"),
                      "date": ev[0]["date"] if ev else None, "evidence": _newest(ev)})
    facts.sort(key=lambda f: (f["date"] or "", f["relation"], f["subject"], f["object"]))
    entity = {"id": n, "label": a.get("label"), "name": a.get("name")}
    entity.update({k: v for k, v in a.items() if k not in entity and v not in (None, [], "")})
    return {"entity": entity, "facts": facts[:limit] if limit else facts,
            "total_facts": len(facts)}


def row_evidence(g: nx.MultiDiGraph, row: dict) -> list[dict]:
    """The lines a row's `file:line` values (or its file and line columns) point to."""
    lines = _line_index(g)
    places = [v for v in row.values() if isinstance(v, str) and v in lines]
    if isinstance(row.get("file"), str) and row.get("line") is not None:
        places.append(f"{row['file']}:{row['line']}")
    seen = dict.fromkeys(p for p in places if p in lines)
    return [lines[p] for p in seen]


def _line_index(g: nx.MultiDiGraph) -> dict[str, dict]:
    """Every evidence line of the graph by `file:line`, built once per loaded graph."""
    size, index = _LINES.get(g, (None, None))
    if index is None or size != g.number_of_edges():
        index = {}
        for *_, evidence in g.edges(data="evidence"):
            for e in evidence or ():
                line = _line(e)
                index.setdefault(line["source"], line)
        _LINES[g] = (g.number_of_edges(), index)
    return index


def _line(e: dict) -> dict:
    return {"source": f"{e.get('source')}:{e.get('line')}", "date": e.get("date") or None,
            "text": e.get("text")}


def _entity_evidence(g: nx.MultiDiGraph, n: str) -> list[dict]:
    return [_line(e) for *_, ev in list(g.in_edges(n, data="evidence")) +
            list(g.out_edges(n, data="evidence")) for e in ev or ()]


def _newest(lines: list[dict]) -> list[dict]:
    unique = {ln["source"]: ln for ln in lines}.values()
    return sorted(unique, key=lambda ln: (ln["date"] or "", ln["source"]),
                  reverse=True)[:MAX_EVIDENCE]


def _name(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n].get("name") or n)

