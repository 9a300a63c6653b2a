"""What changed between two builds: nodes, relationships and evidence added, removed or changed.

Nodes are matched by id, relationships by (source, type, target) and a
relationship's evidence statements by (source file, line). "Changed" says which
attributes differ, with both values; an attribute missing on one side counts as
None there, so `due: None` and no `due` are equal. Every list is sorted, so the
same two graphs always give the same diff.

>>> import networkx as nx
>>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
>>> old.add_node("person:ann", label="Person", name="Ann")
>>> new.add_node("person:ann", label="Person", name="Ann Lee")
>>> [(n["id"], n["attributes"]) for n in diff_graphs(old, new).nodes["changed"]]
[('person:ann', {'name': {'old': 'Ann', 'new': 'Ann Lee'}})]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

#: Edge attributes that identify a relationship or are compared statement by statement.
_EDGE_SKIP = frozenset({"type", "key", "evidence"})
_WHAT = ("added", "removed", "changed")


@dataclass
class GraphDiff:
    """The difference between two graphs, as plain data (see `to_dict`)."""

    notes: dict[str, list[str]] = field(default_factory=dict)
    graph: dict[str, dict] = field(default_factory=dict)
    nodes: dict[str, list[dict]] = field(default_factory=dict)
    edges: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return not (any(self.notes.values()) or self.graph or any(self.nodes.values())
                    or any(self.edges.values()))

    def evidence_counts(self) -> dict[str, int]:
        """Statements added, removed or changed, counting those of whole added/removed edges."""
        counts = Counter({w: 0 for w in _WHAT})
        counts["added"] += sum(e["evidence"] for e in self.edges["added"])
        counts["removed"] += sum(e["evidence"] for e in self.edges["removed"])
        for e in self.edges["changed"]:
            for what in _WHAT:
                counts[what] += len(e["evidence"][what])
        return dict(counts)

    def to_dict(self) -> dict:
        return {"equal": self.equal,
                "summary": {"notes": {w: len(self.notes[w]) for w in ("added", "removed")},
                            "nodes": {w: len(self.nodes[w]) for w in _WHAT},
                            "relationships": {w: len(self.edges[w]) for w in _WHAT},
                            "evidence": self.evidence_counts()},
                "notes": self.notes, "graph": self.graph, "nodes": self.nodes,
                "relationships": self.edges}


def diff_graphs(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> GraphDiff:
    """Compare two kg graphs (as read by kg.graph.read_graph)."""
    old_sources = set(old.graph.get("sources") or [])
    new_sources = set(new.graph.get("sources") or [])
    meta = _changed_attrs({k: v for k, v in old.graph.items() if k != "sources"},
                          {k: v for k, v in new.graph.items() if k != "sources"})
    return GraphDiff(notes={"added": sorted(new_sources - old_sources),
                            "removed": sorted(old_sources - new_sources)},
                     graph=meta, nodes=_node_diff(old, new), edges=_edge_diff(old, new))


def _node_diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict[str, list[dict]]:
    def brief(g, nid):
        a = g.nodes[nid]
        return {"id": nid, "label": a.get("label"), "name": a.get("name")}

    changed = []
    for nid in sorted(set(old) & set(new)):
        attrs = _changed_attrs(old.nodes[nid], new.nodes[nid])
        if attrs:
            changed.append({**brief(new, nid), "attributes": attrs})
    return {"added": [brief(new, n) for n in sorted(set(new) - set(old))],
            "removed": [brief(old, n) for n in sorted(set(old) - set(new))],
            "changed": changed}


def _edges(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict]:
    return {(u, d.get("type", k), v): d for u, v, k, d in g.edges(keys=True, data=True)}


def _edge_diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict[str, list[dict]]:
    before, after = _edges(old), _edges(new)

    def brief(key, attrs):
        return {"source": key[0], "type": key[1], "target": key[2],
                "evidence": len(attrs.get("evidence") or [])}

    changed = []
    for key in sorted(set(before) & set(after)):
        attrs = _changed_attrs({k: v for k, v in before[key].items() if k not in _EDGE_SKIP},
                               {k: v for k, v in after[key].items() if k not in _EDGE_SKIP})
        evidence = _evidence_diff(before[key].get("evidence") or [],
                                  after[key].get("evidence") or [])
        if attrs or any(evidence.values()):
            changed.append({"source": key[0], "type": key[1], "target": key[2],
                            "attributes": attrs, "evidence": evidence})
    return {"added": [brief(k, after[k]) for k in sorted(set(after) - set(before))],
            "removed": [brief(k, before[k]) for k in sorted(set(before) - set(after))],
            "changed": changed}


def _evidence_diff(old: list[dict], new: list[dict]) -> dict[str, list[dict]]:
    """Statements matched by (file, line, nth at that line); changed ones say what differs."""
    before, after = _statements(old), _statements(new)
    changed = []
    for key in sorted(set(before) & set(after), key=_sortable):
        attrs = _changed_attrs(before[key], after[key])
        if attrs:
            changed.append({"source": key[0], "line": key[1], "attributes": attrs})
    return {"added": [after[k] for k in sorted(set(after) - set(before), key=_sortable)],
            "removed": [before[k] for k in sorted(set(before) - set(after), key=_sortable)],
            "changed": changed}


def _statements(evidence: list[dict]) -> dict[tuple, dict]:
    seen: Counter = Counter()
    out = {}
    for e in evidence:
        at = (e.get("source"), e.get("line"))
        seen[at] += 1
        out[(*at, seen[at])] = e
    return out


def _sortable(key: tuple) -> tuple:
    source, line, nth = key
    return (str(source), line if isinstance(line, int) else -1, str(line), nth)


def _changed_attrs(old: dict, new: dict) -> dict[str, dict]:
    """{name: {old, new}} for every attribute whose value differs (missing counts as None)."""
    return {k: {"old": old.get(k), "new": new.get(k)} for k in sorted(set(old) | set(new))
            if old.get(k) != new.get(k)}
