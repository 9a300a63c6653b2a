"""The graph model: resolved facts become one NetworkX MultiDiGraph.

One node per entity, meeting and action item, with stable readable ids; one
edge per (source, type, target), carrying every place it was stated as
`evidence`. The JSON written is byte-identical for the same input.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

from . import vocab as V
from .errors import GraphFileError
from .extract.facts import DECLARED, NoteFacts, Ref
from .files import write_atomic
from .resolve import Resolver, clean_person

SCHEMA_VERSION = 1


class GraphBuilder:
    """Accumulates nodes and evidence-carrying edges, then freezes them into a graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str, str], dict[tuple, dict]] = defaultdict(dict)
        self.aliases: dict[str, set[str]] = defaultdict(set)
        self.mention_lines: dict[str, set[tuple[str, int]]] = defaultdict(set)

    def node(self, label: str, name: str, **attrs) -> str:
        nid = (V.meeting_id(name) if label == V.MEETING else V.node_id(label, name))
        if nid not in self.nodes:
            self.nodes[nid] = {"label": label, "name": name, **attrs}
        return nid

    def edge(self, src: str, rel: str, dst: str, note: NoteFacts, line: int) -> None:
        if src == dst:
            return
        ev = {"source": note.source, "line": line, "text": note.lines.get(line, ""),
              "date": note.meeting_at(line).date}
        self.edges[(src, rel, dst)][(note.source, line)] = ev
        for nid in (src, dst):
            self.mention_lines[nid].add((note.source, line))

    def graph(self, meta: dict) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph(**meta)
        for nid in sorted(self.nodes):
            attrs = dict(self.nodes[nid])
            if attrs["label"] == V.PERSON:
                attrs["aliases"] = sorted(self.aliases.get(nid, set()) - {attrs["name"]})
            if attrs["label"] not in (V.MEETING, V.ACTION_ITEM, V.DECISION):
                attrs["mentions"] = len(self.mention_lines.get(nid, ()))
            g.add_node(nid, **attrs)
        for (src, rel, dst) in sorted(self.edges):
            evidence = sorted(self.edges[(src, rel, dst)].values(),
                              key=lambda e: (e["date"] or "", e["source"], e["line"]))
            g.add_edge(src, dst, key=rel, type=rel, evidence=evidence)
        return g


def build_graph(notes: list[NoteFacts], resolver: Resolver, meta: dict) -> nx.MultiDiGraph:
    """Resolve every note's facts and assemble the graph."""
    b = GraphBuilder()
    for note in sorted(notes, key=lambda n: n.source):
        meetings = {}
        for part in note.parts():
            nid = b.node(V.MEETING, part.key, title=part.title, date=part.date,
                         source=note.source, **({"location": part.location}
                                                if part.location else {}))
            b.nodes[nid]["name"] = part.title
            meetings[part.key] = nid

        resolve = _resolver_for(b, resolver, note, meetings)
        for written, full in sorted(note.aliases.items()):
            pid = resolve(Ref(V.PERSON, full, DECLARED))
            if pid and b.nodes[pid]["label"] == V.PERSON:
                b.aliases[pid].add(written)  # a handle or initials the roster gave

        for ref, line in note.mentions:
            nid = resolve(ref)
            meeting = meetings[note.meeting_at(line).key]
            if nid and nid != meeting and b.nodes[nid]["label"] != V.MEETING:
                b.edge(meeting, V.MENTIONS, nid, note, line)
        for fact in note.facts:
            s, o = resolve(fact.subj), resolve(fact.obj)
            if s and o and V.allowed(fact.rel, b.nodes[s]["label"], b.nodes[o]["label"]):
                b.edge(s, fact.rel, o, note, fact.line)
        per_line: dict[int, int] = {}
        for item in note.items:
            if item.update:
                continue  # a restatement of an earlier action: never a new one
            per_line[item.line] = per_line.get(item.line, 0) + 1
            iid = V.item_id(note.source, item.line, per_line[item.line])
            b.nodes[iid] = {"label": V.ACTION_ITEM, "name": item.text, "text": item.text,
                            "due": item.due, "status": item.status, "source": note.source,
                            "line": item.line, **({"ref": item.ref} if item.ref else {})}
            for line in (item.line, *item.also):
                for owner in item.owners:
                    oid = resolve(owner)
                    if oid and V.allowed(V.OWNS, b.nodes[oid]["label"], V.ACTION_ITEM):
                        b.edge(oid, V.OWNS, iid, note, line)
                for target in item.targets:
                    tid = resolve(target)
                    if tid and V.allowed(V.TIED_TO, V.ACTION_ITEM, b.nodes[tid]["label"]):
                        b.edge(iid, V.TIED_TO, tid, note, line)
        for dec in note.decisions:
            _decision(b, note, dec, resolve, meetings)
    _link_reversals(b)
    return b.graph(meta)


def _decision(b: GraphBuilder, note: NoteFacts, dec, resolve, meetings: dict[str, str]) -> None:
    did = V.decision_id(note.source, dec.text)
    part = note.meeting_at(dec.line)
    b.nodes.setdefault(did, {"label": V.DECISION, "name": dec.text, "text": dec.text,
                             "date": part.date, "source": note.source, "line": dec.line,
                             "kind": dec.kind, "status": "decided",
                             **({"undoes": dec.undoes} if dec.undoes else {})})
    for line in (dec.line, *dec.also):
        b.edge(did, V.DECIDED_IN, meetings[part.key], note, line)
        for rel, people in ((V.PROPOSED, dec.proposers), (V.SECONDED, dec.seconders),
                            (V.OBJECTED_TO, dec.objectors)):
            for ref in people:
                pid = resolve(ref)
                if pid and b.nodes[pid]["label"] == V.PERSON:
                    b.edge(pid, rel, did, note, line)
        for target in dec.targets:
            tid = resolve(target)
            if tid and V.allowed(V.ABOUT, V.DECISION, b.nodes[tid]["label"]):
                b.edge(did, V.ABOUT, tid, note, line)


def _link_reversals(b: GraphBuilder) -> None:
    """A decision that says it reverses or replaces an earlier one about the same subject
    SUPERSEDES the latest such decision before it, which becomes reversed or superseded.

    Same subject: a shared ABOUT entity, or else half its content words shared with one
    of the last _RECENT decisions before it.
    """
    decisions = sorted((a["date"] or "", a["source"], a["line"], nid)
                       for nid, a in b.nodes.items() if a["label"] == V.DECISION)
    if not any(b.nodes[d[3]].get("undoes") for d in decisions):
        return
    order = {d[3]: k for k, d in enumerate(decisions)}
    about: dict[str, set[str]] = defaultdict(set)
    meeting: dict[str, str] = {}
    by_subject: dict[str, list[str]] = defaultdict(list)
    for (src, rel, dst) in b.edges:
        if rel == V.ABOUT and src in order:
            about[src].add(dst)
            by_subject[dst].append(src)
        elif rel == V.DECIDED_IN and src in order:
            meeting[src] = dst
    for k, (date, _src, _line, nid) in enumerate(decisions):
        undoes = b.nodes[nid].get("undoes")
        if not undoes:
            continue
        earlier = {d for s in about[nid] for d in by_subject[s] if order[d] < k}
        old = max(earlier, key=order.get, default=None)
        if old is None:
            words = _content_words(b.nodes[nid]["text"])
            for _d, _s, _l, cand in reversed(decisions[max(0, k - _RECENT):k]):
                overlap = words & _content_words(b.nodes[cand]["text"])
                if len(overlap) * 2 >= max(1, min(len(words), 6)):
                    old = cand
                    break
        if old is None or (b.nodes[old]["date"] or "") > date:
            continue
        b.nodes[old]["status"] = undoes
        # Evidence from both: where the reversal is said, and what it reverses.
        for did in (nid, old):
            for ev in b.edges.get((did, V.DECIDED_IN, meeting[did]), {}).values():
                b.edges[(nid, V.SUPERSEDES, old)][(ev["source"], ev["line"])] = ev


_RECENT = 200
_STOP = frozenset("the a an to of and or in on for we our is are be will this that with "
                  "from by as at it no not longer instead reverse reverses reversed revisit "
                  "replace replaces decision decided decide agreed".split())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9-]+", text.casefold()) if w not in _STOP}


def _resolver_for(b: GraphBuilder, resolver: Resolver, note: NoteFacts,
                  meetings: dict[str, str]):
    """A function mapping a Ref written in `note` to a node id (or None)."""
    # A note repeats the same names line after line; resolve each Ref once per note.
    cache: dict[Ref, str | None] = {}

    def resolve(ref: Ref) -> str | None:
        if ref not in cache:
            cache[ref] = _resolve(ref)
        return cache[ref]

    def _resolve(ref: Ref) -> str | None:
        if ref.label == V.MEETING:
            return meetings.get(ref.text)
        hit = resolver.entity(ref, note)
        if hit is None:
            return None
        label, name = hit
        nid = b.node(label, name)
        if label == V.PERSON:
            written = clean_person(ref.text) if not ref.text.startswith("@") else ref.text
            b.aliases[nid].add(written)
        return nid
    return resolve


def to_json(g: nx.MultiDiGraph) -> str:
    """Compact, key-sorted JSON: no indent, so the C encoder does the work (5x faster)."""
    data = nx.node_link_data(g, edges="edges")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_graph(g: nx.MultiDiGraph, path: Path) -> None:
    """Write graph.json atomically: readers see the old file or the new one, never half."""
    write_atomic(path, to_json(g), prefix=".graph-", suffix=".json.tmp", durable=True)


def read_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Load a graph.json written by `kg build`; anything else is a GraphFileError."""
    p = Path(path)
    if not p.exists():
        raise GraphFileError(f"{p}: no graph here")
    if not p.is_file():
        raise GraphFileError(f"{p}: not a file")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise GraphFileError(f"{p}: not a kg graph.json ({_first_line(exc)})") from exc
    problem = _shape_problem(data)
    if problem:
        raise GraphFileError(f"{p}: not a kg graph.json ({problem})")
    edges = "edges" if "edges" in data else "links"
    try:
        return nx.node_link_graph(data, edges=edges, multigraph=True, directed=True)
    except Exception as exc:  # noqa: BLE001 - whatever networkx makes of a malformed file
        raise GraphFileError(f"{p}: not a kg graph.json ({_first_line(exc)})") from exc


def _shape_problem(data) -> str | None:
    """What makes `data` something other than kg's node-link JSON, or None."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    nodes, edges = data.get("nodes"), data.get("edges", data.get("links", []))
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return "'nodes' and 'edges' must be lists"
    if not all(isinstance(n, dict) and isinstance(n.get("id"), str)
               and isinstance(n.get("label"), str) for n in nodes):
        return "every node needs a text id and label"
    ids = {n["id"] for n in nodes}
    for e in edges:
        ends = (e.get("source"), e.get("target")) if isinstance(e, dict) else (None, None)
        if not all(isinstance(end, str) and end in ids for end in ends):
            return "every edge needs a source and target among the nodes"
        evidence = e.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(x, dict) for x in evidence):
            return "edge evidence must be a list of objects"
    return None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
