"""Which part of the graph a page draws: --since, --labels, --focus/--depth and the node cap.

The cap keeps the work first (people, teams, tickets, incidents, decisions, action items),
each label in proportion to its size so that no label crowds out the rest, and ranks
nodes inside a label by what needs attention: overdue items before done ones, tickets
with concerns or dependencies before quiet ones, recent decisions before old ones.
Meetings are context: they are drawn only when there is room, and start hidden when
they would be a large share of the drawing.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from . import item_state
from . import vocab as V
from .errors import QueryError
from .lookup import find_node

if TYPE_CHECKING:  # annotations only: `kg --help` must not import NetworkX
    import networkx as nx

DEFAULT_MAX_NODES = 500
DEFAULT_DEPTH = 2
#: How much of the cap a label may take relative to its size: people and teams are few
#: and are who the work belongs to, so most of them stay when the rest is thinned out.
WORK_WEIGHT = {V.PERSON: 3.0, V.TEAM: 3.0, V.TICKET: 1.0, V.INCIDENT: 1.0, V.DECISION: 1.0,
               V.ACTION_ITEM: 1.0, V.PRODUCT: 1.0, V.CUSTOMER: 1.0, V.ROLE: 1.0}
#: Labels the cap keeps whether or not their neighbours are drawn: whose the work is,
#: and what was decided.
ANCHORS = frozenset({V.PERSON, V.TEAM, V.DECISION})
#: How far down the ranking the cap looks for nodes joined to the ones it took.
POOL = 3
#: Meetings start hidden (ticked off in the legend) past this share of the drawn nodes.
MEETING_SHARE_SHOWN = 1 / 3
#: Item states by how much they need someone now; None = not yet stated on that date.
STATE_ORDER = {item_state.OVERDUE: 0, item_state.BLOCKED: 1, item_state.OPEN: 2,
               item_state.DONE: 3, item_state.DROPPED: 4, None: 5}


@dataclass
class View:
    """What part of the graph a page shows, and the date its item colours are for."""

    focus: str | None = None
    depth: int = DEFAULT_DEPTH
    labels: tuple[str, ...] | None = None
    since: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    title: str = "kg graph"
    as_of: str | None = None


@dataclass
class Selection:
    """The nodes and edges a page draws, and how they relate to the whole graph."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]
    total_nodes: int
    total_edges: int
    focus: str | None = None
    notes: list[str] = field(default_factory=list)
    as_of: str | None = None
    #: Labels drawn but hidden until their legend box is ticked.
    hidden: list[str] = field(default_factory=list)


def select(graph: nx.MultiDiGraph, view: View) -> Selection:
    """Apply --since, --labels, --focus/--depth and the node cap, in that order.

    Labels filter before the neighbourhood walk so that `--labels Person,Ticket`
    finds neighbours joined through those labels, not through every meeting.
    """
    keep = set(graph.nodes)
    edge_ok = None
    notes: list[str] = []
    if view.since:
        keep, edge_ok = _since(graph, view.since)
        notes.append(f"facts stated on or after {view.since}")
    focus = resolve_focus(graph, view.focus) if view.focus else None
    if view.labels:
        wanted = set(view.labels)
        keep = {n for n in keep if graph.nodes[n].get("label") in wanted or n == focus}
        notes.append("labels " + ", ".join(view.labels))
    dist: dict[str, int] = {}
    if focus:
        if focus not in keep:
            raise QueryError(f"{display(graph, focus)} has no facts in this view "
                             f"(try without --since)")
        dist = neighbourhood(graph, focus, view.depth, keep, edge_ok)
        keep = set(dist)
        notes.insert(0, f"neighbourhood of {display(graph, focus)}, depth {view.depth}")
    nodes = _cap(graph, keep, dist, view.max_nodes, view.as_of, focus)
    if len(nodes) < len(keep):
        notes.append(_left_out_note(graph, keep, nodes))
    chosen = set(nodes)
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True)
             if u in chosen and v in chosen and (edge_ok is None or (u, v, k) in edge_ok)]
    hidden = _collapsed(graph, nodes, focus, view.labels)
    if hidden:
        notes.append("meetings are hidden so the work shows: tick Meeting in the legend "
                     "to draw them")
    return Selection(nodes, edges, graph.number_of_nodes(), graph.number_of_edges(),
                     focus, notes, view.as_of, hidden)


def _since(graph: nx.MultiDiGraph, since: str) -> tuple[set[str], set[tuple]]:
    """Nodes and edges with a fact dated on or after `since` (undated facts are left out)."""
    edges = {(u, v, k) for u, v, k, ev in graph.edges(keys=True, data="evidence")
             if any((e.get("date") or "") >= since for e in ev or ())}
    nodes = {n for e in edges for n in e[:2]}
    nodes |= {n for n, a in graph.nodes(data=True)
              if a.get("label") == V.MEETING and (a.get("date") or "") >= since}
    return nodes, edges


def resolve_focus(graph: nx.MultiDiGraph, text: str) -> str:
    """The node a --focus names: an id, a name, a key, an alias (kg/lookup.py's rules)."""
    return find_node(graph, text)


def neighbourhood(graph: nx.MultiDiGraph, start: str, depth: int, allowed: set[str],
                  edge_ok: set[tuple] | None = None) -> dict[str, int]:
    """Breadth-first walk over successors and predecessors: node -> distance.

    Hand-written because ego_graph(undirected=True) copies the whole graph first,
    which costs seconds at 100k nodes; this touches only the neighbourhood.
    """
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if dist[node] >= depth:
            continue
        for nxt in _neighbours(graph, node, edge_ok):
            if nxt in allowed and nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return dist


def _neighbours(graph: nx.MultiDiGraph, node: str, edge_ok: set[tuple] | None):
    if edge_ok is None:
        yield from graph.successors(node)
        yield from graph.predecessors(node)
        return
    for _, v, k in graph.out_edges(node, keys=True):
        if (node, v, k) in edge_ok:
            yield v
    for u, _, k in graph.in_edges(node, keys=True):
        if (u, node, k) in edge_ok:
            yield u


# ---------------------------------------------------------------- the cap


def _cap(graph: nx.MultiDiGraph, keep: set[str], dist: dict[str, int], limit: int,
         as_of: str | None, focus: str | None = None) -> list[str]:
    """The nodes to draw: all of them, or the `limit` nearest and most useful."""
    if not limit or len(keep) <= limit:
        return sorted(keep)
    rank = usefulness(graph, keep, as_of)
    ordered = sorted(keep, key=lambda n: (dist.get(n, 0), *rank[n], n))
    # A node of a later tier (a meeting, something stated after as_of, a farther hop)
    # never takes the place of one of the last tier the plain ranking reaches.
    last = (dist.get(ordered[limit - 1], 0), rank[ordered[limit - 1]][0])
    pool = [n for n in ordered[:POOL * limit] if (dist.get(n, 0), rank[n][0]) <= last]
    return sorted(_connected_first(graph, pool, limit, focus))


def _connected_first(graph: nx.MultiDiGraph, ordered: list[str], limit: int,
                     focus: str | None = None) -> list[str]:
    """`limit` nodes from the top of `ordered`, preferring ones joined to the rest.

    People, teams and decisions keep the places their rank gives them; the other places
    go, in rank order, to nodes of `ordered` that a fact (not a meeting's mention) joins
    to a node already taken, so the picture shows whose the work is instead of a cloud
    of unconnected keys. Places left over go by rank alone.
    """
    fair = ordered[:limit]
    chosen = dict.fromkeys([focus] if focus else [])
    chosen.update(dict.fromkeys(n for n in fair if graph.nodes[n].get("label") in ANCHORS))
    waiting = [n for n in ordered if n not in chosen]
    while len(chosen) < limit:
        passed = []
        for n in waiting:
            if len(chosen) < limit and any(m in chosen for m in _fact_neighbours(graph, n)):
                chosen[n] = None
            else:
                passed.append(n)
        if len(passed) == len(waiting):
            break
        waiting = passed
    for n in (*fair, *waiting):
        if len(chosen) >= limit:
            break
        chosen.setdefault(n, None)
    return list(chosen)


def _fact_neighbours(graph: nx.MultiDiGraph, n: str):
    for adjacency in (graph.succ[n], graph.pred[n]):
        for m, keys in adjacency.items():
            if len(keys) > 1 or V.MENTIONS not in keys:
                yield m


def usefulness(graph: nx.MultiDiGraph, nodes: set[str], as_of: str | None) -> dict[str, tuple]:
    """Sort key per node: work before meetings before what the notes state only after
    `as_of`, then a node's place within its label.

    A place is the share of its label ranked above it, divided by the label's weight,
    so a 500-node cap over 600 tickets and 60 people keeps the busiest third of the
    tickets and nearly all the people instead of 500 tickets.
    """
    spans = date_spans(graph, nodes)
    by_label: dict[str, list[str]] = defaultdict(list)
    out = {}
    for n in nodes:
        if as_of and spans.get(n, ("", ""))[0] > as_of:  # the page starts on as_of: hidden
            out[n] = (2, spans[n][0], 0)
        else:
            by_label[graph.nodes[n].get("label", "")].append(n)
    for label, members in by_label.items():
        members.sort(key=lambda n: (_merit(graph, n, as_of, spans.get(n, ("", ""))[1]), n))
        weight = WORK_WEIGHT.get(label)
        for i, n in enumerate(members):
            share = i / len(members)
            out[n] = (0, share / weight, 0) if weight else (1, share, 0)
    return out


def _merit(graph: nx.MultiDiGraph, n: str, as_of: str | None, last: str | None) -> tuple:
    """Lower first: what needs attention, then what is busy or recent."""
    attrs = graph.nodes[n]
    label = attrs.get("label")
    recent = -_ordinal(last)
    if label == V.ACTION_ITEM:
        return (STATE_ORDER.get(item_state.state(attrs, as_of), 5), recent)
    if label in (V.TICKET, V.INCIDENT):
        return (0 if any(ticket_flags(graph, n).values()) else 1, -weight(graph, n))
    if label == V.DECISION:
        return (0 if attrs.get("status") in (None, "decided") else 1, recent)
    if label == V.MEETING:
        return (-_ordinal(attrs.get("date")),)
    return (-weight(graph, n),)


def _ordinal(day: str | None) -> int:
    try:
        return date.fromisoformat(day).toordinal() if day else 0
    except ValueError:
        return 0


def _left_out_note(graph: nx.MultiDiGraph, keep: set[str], nodes: list[str]) -> str:
    shown = set(nodes)
    left = Counter(graph.nodes[n].get("label", "") for n in keep if n not in shown)
    parts = ", ".join(f"{count:,} {label}" for label, count in
                      sorted(left.items(), key=lambda x: (-x[1], x[0])))
    return (f"showing {len(nodes):,} of {len(keep):,} nodes, the work first; left out: {parts} "
            f"(the least active of each). See them with kg viz --focus NAME --depth N, "
            f"--labels LABEL,... or --max-nodes 0")


def _collapsed(graph: nx.MultiDiGraph, nodes: list[str], focus: str | None,
               labels: tuple[str, ...] | None) -> list[str]:
    """Meetings start hidden when they would crowd the drawing and nobody asked for them."""
    if focus or (labels and V.MEETING in labels):
        return []
    meetings = sum(1 for n in nodes if graph.nodes[n].get("label") == V.MEETING)
    if meetings and meetings > MEETING_SHARE_SHOWN * len(nodes):
        return [V.MEETING]
    return []


# ---------------------------------------------------------------- facts about nodes


def weight(graph: nx.MultiDiGraph, node: str) -> int:
    """Size of a node: how often the notes mention it, else how connected it is."""
    attrs = graph.nodes[node]
    if attrs.get("mentions"):
        return int(attrs["mentions"])
    if attrs.get("label") == V.MEETING:
        # A meeting MENTIONS everything it names; counting that would make every
        # meeting the biggest node and crowd people and tickets out of a capped view.
        return sum(1 for *_, k in graph.in_edges(node, keys=True) if k != V.MENTIONS)
    return graph.degree(node)


def ticket_flags(graph: nx.MultiDiGraph, node: str) -> dict[str, int]:
    """What holds a ticket or incident back: raised concerns and tickets it depends on."""
    # The adjacency dicts ({neighbour: {key: data}}): edge views cost more at 60k nodes.
    return {"concerns": sum(V.RAISED_CONCERN_ABOUT in keys for keys in graph.pred[node].values()),
            "depends on": sum(V.DEPENDS_ON in keys for keys in graph.succ[node].values())}


def first_dates(graph: nx.MultiDiGraph, nodes) -> dict[str, str]:
    """The first date the notes say anything about each node (absent: never dated)."""
    return {n: span[0] for n, span in date_spans(graph, nodes).items()}


def date_spans(graph: nx.MultiDiGraph, nodes) -> dict[str, tuple[str, str]]:
    """(first, last) date the notes say anything about each of `nodes`; undated ones absent.

    For most of the graph one pass over every edge beats asking each node for its edges
    (NetworkX builds a view per call: ~10 s per pass over 60k nodes that way).
    """
    nodes = set(nodes)
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    if len(nodes) * 4 > graph.number_of_nodes():
        edges = graph.edges(data="evidence")
    else:
        edges = [e for n in nodes for e in graph.out_edges(n, data="evidence")]
        edges += [e for n in nodes for e in graph.in_edges(n, data="evidence")]
    for u, v, ev in edges:
        # The contract sorts evidence by date, undated first: the ends are the span.
        if not ev or not ev[-1].get("date"):
            continue
        hi = ev[-1]["date"]
        lo = ev[0].get("date") or next(e["date"] for e in ev if e.get("date"))
        for n in (u, v):
            if n in nodes:
                if n not in first or lo < first[n]:
                    first[n] = lo
                if n not in last or hi > last[n]:
                    last[n] = hi
    for n in nodes:
        attrs = graph.nodes[n]
        days = [d for d in (attrs.get("date"), *(h.get("date") for h in
                                                   attrs.get("history") or ())) if d]
        if days:
            first[n] = min(first.get(n, days[0]), *days)
            last[n] = max(last.get(n, days[0]), *days)
    return {n: (day, last[n]) for n, day in first.items()}


def display(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("name") or node)
