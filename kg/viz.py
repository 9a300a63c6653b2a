"""The interactive graph page: one self-contained HTML file made with pyvis.

The page must open with no network (mailed, or on a plane), so vis-network's
JS and CSS are read from the pyvis package and inlined; pyvis's own template
links a CDN even with `cdn_resources="in_line"` (pyvis issues #228, #229), so
pyvis builds the node/edge/option data and our own template renders it.

Note text is hostile input: it only ever travels as JSON inside a
`<script type="application/json">` block (with `<`, `>`, `&`, U+2028/2029
escaped so it cannot close the block) and the page's JS shows it with
`textContent`, never as HTML. vis-network's `title` is not used because it
renders strings as HTML.
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import vocab as V
from .errors import InputError, QueryError
from .files import write_atomic
from .lookup import find_node

if TYPE_CHECKING:  # annotations only: `kg --help` must not import NetworkX
    import networkx as nx

#: Past this many nodes a page keeps only the best-connected ones and says so.
DEFAULT_MAX_NODES = 500
DEFAULT_DEPTH = 2
#: Evidence lines shown per node or edge; the rest are counted, not listed.
MAX_EVIDENCE = 8
#: Past this many visible nodes vis-network's improvedLayout (Kamada-Kawai seeding)
#: costs seconds, so we seed randomly and rely on the bounded stabilisation.
IMPROVED_LAYOUT_MAX = 100

#: Colour and shape per label. Shapes draw the label below the node, so sizes stay honest.
STYLE: dict[str, tuple[str, str]] = {
    V.MEETING: ("#9aa0a6", "square"),
    V.PERSON: ("#4e79a7", "dot"),
    V.TEAM: ("#59a14f", "hexagon"),
    V.PRODUCT: ("#b07aa1", "diamond"),
    V.CUSTOMER: ("#f28e2b", "star"),
    V.ROLE: ("#76b7b2", "triangleDown"),
    V.TICKET: ("#e15759", "triangle"),
    V.INCIDENT: ("#9c2a2a", "star"),
    V.ACTION_ITEM: ("#edc948", "dot"),
    V.DECISION: ("#2f7d6d", "box"),
}
_FALLBACK_STYLE = ("#bab0ac", "dot")


@dataclass
class View:
    """What part of the graph a page shows."""

    focus: str | None = None
    depth: int = DEFAULT_DEPTH
    labels: tuple[str, ...] | None = None
    since: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    title: str = "kg graph"


@dataclass
class Selection:
    """The nodes and edges a page draws, and how they relate to the whole graph."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]
    total_nodes: int
    total_edges: int
    focus: str | None = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- public API


def write_page(graph: nx.MultiDiGraph, path: Path, **view) -> Path:
    """Write the interactive page for `graph` (or the part `view` selects) to `path`.

    `view` takes the fields of `View`: focus, depth, labels, since, max_nodes, title.
    """
    path = Path(path)
    v = make_view(**view)
    page = render_page(graph, select(graph, v), v.title)
    write_atomic(path, page, prefix=".graph-", suffix=".html.tmp")
    return path


def make_view(**view) -> View:
    """A checked View; bad options are input errors, not tracebacks."""
    unknown = set(view) - set(View.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown view options: {', '.join(sorted(unknown))}")
    v = View(**{k: val for k, val in view.items() if val is not None})
    if v.depth < 0:
        raise InputError(f"--depth must be 0 or more, not {v.depth}")
    if v.max_nodes < 0:
        raise InputError(f"--max-nodes must be 0 (no limit) or more, not {v.max_nodes}")
    if v.labels is not None:
        v.labels = tuple(check_label(lab) for lab in v.labels)
    if v.since is not None:
        v.since = check_date(v.since)
    return v


def check_label(text: str) -> str:
    """Match a label case-insensitively; suggest the closest one when it is unknown."""
    by_fold = {lab.casefold(): lab for lab in V.LABELS}
    hit = by_fold.get(text.strip().casefold())
    if hit:
        return hit
    close = difflib.get_close_matches(text, V.LABELS, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise InputError(f"unknown label {text!r}.{hint} Labels: {', '.join(V.LABELS)}")


def check_date(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise InputError(f"--since wants a date like 2024-10-01, not {text!r}") from exc


# ---------------------------------------------------------------- selection


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
    rank: dict[str, tuple] = {}
    if focus:
        if focus not in keep:
            raise QueryError(f"{_display(graph, focus)} has no facts in this view "
                             f"(try without --since)")
        dist = neighbourhood(graph, focus, view.depth, keep, edge_ok)
        keep = set(dist)
        rank = {n: (d,) for n, d in dist.items()}
        notes.insert(0, f"neighbourhood of {_display(graph, focus)}, depth {view.depth}")
    nodes = _cap(graph, keep, rank, view.max_nodes, focus)
    if len(nodes) < len(keep):
        notes.append(f"showing {len(nodes):,} of {len(keep):,} nodes (the best connected); "
                     f"use kg viz --focus NAME --depth N or --labels to see the rest")
    chosen = set(nodes)
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True)
             if u in chosen and v in chosen and (edge_ok is None or (u, v, k) in edge_ok)]
    return Selection(nodes, edges, graph.number_of_nodes(), graph.number_of_edges(),
                     focus, notes)


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


def _cap(graph: nx.MultiDiGraph, keep: set[str], rank: dict[str, tuple], limit: int,
         focus: str | None) -> list[str]:
    """The nodes to draw: all of them, or the `limit` nearest/best connected."""
    def key(n: str) -> tuple:
        return (*rank.get(n, ()), -_weight(graph, n), n)

    ordered = sorted(keep, key=key)
    if limit and len(ordered) > limit:
        ordered = ordered[:limit]
        if focus and focus not in ordered:
            ordered[-1] = focus
    return sorted(ordered)


def _weight(graph: nx.MultiDiGraph, node: str) -> int:
    """Size of a node: how often the notes mention it, else how connected it is."""
    attrs = graph.nodes[node]
    if attrs.get("mentions"):
        return int(attrs["mentions"])
    if attrs.get("label") == V.MEETING:
        # A meeting MENTIONS everything it names; counting that would make every
        # meeting the biggest node and crowd people and tickets out of a capped view.
        return sum(1 for *_, k in graph.in_edges(node, keys=True) if k != V.MENTIONS)
    return graph.degree(node)


def _display(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("name") or node)


# ---------------------------------------------------------------- page data


def page_data(graph: nx.MultiDiGraph, sel: Selection) -> dict:
    """Everything the page's JS needs, as plain JSON-able data (built with pyvis)."""
    from pyvis.network import Network  # imported here: it pulls in IPython (~0.7 s)

    net = Network(directed=True, cdn_resources="in_line")
    start = seed_positions(graph, sel) if len(sel.nodes) > IMPROVED_LAYOUT_MAX else {}
    for n in sel.nodes:
        net.nodes.append(_vis_node(graph, n, start.get(n)))
    net.edges.extend(_vis_edges(sel.edges))
    net.options = vis_options(len(sel.nodes))
    nodes, edges, _, _, _, options = net.get_network_data()
    labels = [lab for lab in V.LABELS if any(graph.nodes[n]["label"] == lab for n in sel.nodes)]
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "details": {**{n: node_details(graph, n, sel) for n in sel.nodes},
                    **{_edge_id(e): edge_details(graph, e) for e in sel.edges}},
        "legend": [{"label": lab, "color": STYLE[lab][0], "shape": STYLE[lab][1],
                    "count": sum(graph.nodes[n]["label"] == lab for n in sel.nodes)}
                   for lab in labels],
        "summary": _summary(sel),
        "notes": sel.notes,
        "focus": sel.focus,
    }


def _vis_node(graph: nx.MultiDiGraph, n: str, xy: tuple[int, int] | None = None) -> dict:
    from pyvis.node import Node

    attrs = graph.nodes[n]
    label = attrs.get("label", "")
    color, shape = STYLE.get(label, _FALLBACK_STYLE)
    name = str(attrs.get("name") or n)
    short = name if len(name) <= 32 else name[:30] + "…"
    extra = {"x": xy[0], "y": xy[1]} if xy else {}
    return Node(n, shape, label=short, group=label, color=color, value=_weight(graph, n),
                **extra).options


def seed_positions(graph: nx.MultiDiGraph, sel: Selection) -> dict[str, tuple[int, int]]:
    """Start big views from a sunflower spiral in breadth-first order from the hubs.

    Neighbours start near each other, so the few physics iterations a big view can
    afford (each costs ~15 ms at 500 nodes) only polish the layout instead of
    untangling a random one. Linear time, deterministic.
    """
    chosen = set(sel.nodes)
    order: list[str] = []
    seen: set[str] = set()
    for hub in sorted(sel.nodes, key=lambda n: (-_weight(graph, n), n)):
        if hub in seen:
            continue
        seen.add(hub)
        queue = deque([hub])
        while queue:
            node = queue.popleft()
            order.append(node)
            for nxt in sorted(set(graph.successors(node)) | set(graph.predecessors(node))):
                if nxt in chosen and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    golden = math.pi * (3 - math.sqrt(5))
    return {n: (round(28 * math.sqrt(i) * math.cos(i * golden)),
                round(28 * math.sqrt(i) * math.sin(i * golden))) for i, n in enumerate(order)}


def _vis_edges(edges: list[tuple[str, str, str]]) -> list[dict]:
    """One vis edge per graph edge; parallel edges curve apart so each label stays readable."""
    from pyvis.edge import Edge

    seen: dict[frozenset, int] = {}
    out = []
    for u, v, k in edges:
        pair = frozenset((u, v))
        i = seen.get(pair, 0)
        seen[pair] = i + 1
        opts = {"id": _edge_id((u, v, k)), "label": k}
        if i:
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 * i}
        if k == V.MENTIONS:
            opts["dashes"] = True
            opts["color"] = {"color": "#c8ccd0", "highlight": "#7f8790"}
        out.append(Edge(u, v, directed=True, **opts).options)
    return out


def _edge_id(e: tuple[str, str, str]) -> str:
    return f"{e[0]}|{e[2]}|{e[1]}"


def vis_options(n_nodes: int) -> dict:
    """Physics that settles, then stops; bounded work for big views."""
    big = n_nodes > IMPROVED_LAYOUT_MAX
    return {
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                          "springConstant": 0.03, "damping": 0.4, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": _iterations(n_nodes),
                              "updateInterval": 50, "fit": True},
            "minVelocity": 1.0,
        },
        "nodes": {"scaling": {"min": 8, "max": 40, "label": {"enabled": False}},
                  "font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#555555",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "color": {"color": "#8a94a0", "highlight": "#2b2b2b", "inherit": False},
                  "smooth": {"enabled": not big, "type": "continuous"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "width": 1},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": big,
                        "navigationButtons": False, "keyboard": False},
    }


def _iterations(n_nodes: int) -> int:
    """Bounded layout work: ~15 ms per iteration at 500 nodes keeps big views under 2 s."""
    if n_nodes <= IMPROVED_LAYOUT_MAX:
        return 400
    return 120 if n_nodes <= 300 else 40


def node_details(graph: nx.MultiDiGraph, n: str, sel: Selection) -> dict:
    attrs = graph.nodes[n]
    props = {k: v for k, v in sorted(attrs.items()) if k not in ("label", "name") and v not in
             (None, "", [])}
    evidence = _node_evidence(graph, n)
    return {"kind": "node", "label": attrs.get("label", ""), "name": str(attrs.get("name") or n),
            "id": n, "props": {k: _plain(v) for k, v in props.items()},
            "degree": graph.degree(n), "evidence": evidence[:MAX_EVIDENCE],
            "more": max(0, len(evidence) - MAX_EVIDENCE)}


def _node_evidence(graph: nx.MultiDiGraph, n: str) -> list[list]:
    """Distinct lines stating facts about `n`, oldest first."""
    lines: dict[tuple, list] = {}
    for edges in (graph.out_edges(n, data="evidence"), graph.in_edges(n, data="evidence")):
        for _, _, ev in edges:
            for e in ev or ():
                lines.setdefault((e.get("source"), e.get("line")), _ev_row(e))
    return sorted(lines.values(), key=lambda r: (r[3] or "", str(r[0]), r[1] or 0))


def edge_details(graph: nx.MultiDiGraph, e: tuple[str, str, str]) -> dict:
    u, v, k = e
    evidence = [_ev_row(x) for x in graph.edges[u, v, k].get("evidence") or ()]
    return {"kind": "edge", "label": k, "name": f"{_display(graph, u)} → {_display(graph, v)}",
            "id": _edge_id(e), "props": {}, "evidence": evidence[:MAX_EVIDENCE],
            "more": max(0, len(evidence) - MAX_EVIDENCE)}


def _ev_row(e: dict) -> list:
    return [str(e.get("source", "")), e.get("line"), str(e.get("text", "")), e.get("date")]


def _plain(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(x) for x in value)
    return str(value)


def _summary(sel: Selection) -> str:
    return (f"{len(sel.nodes):,} of {sel.total_nodes:,} nodes, "
            f"{len(sel.edges):,} of {sel.total_edges:,} relationships")


# ---------------------------------------------------------------- rendering


def render_page(graph: nx.MultiDiGraph, sel: Selection, title: str = "kg graph") -> str:
    """The whole page as one string: vis-network, our CSS/JS and the data, all inline."""
    data = page_data(graph, sel)
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": _vis_asset("vis-network.css"),
        "VIS_JS": _vis_asset("vis-network.min.js"),
        "APP_CSS": _asset("page.css"),
        "APP_JS": _asset("page.js"),
        "DATA": script_json(data),
    }
    # One pass, so text inserted for one slot is never scanned for another slot.
    return re.sub(r"/\*@(\w+)@\*/", lambda m: parts[m.group(1)], _asset("page.html"))


def script_json(data) -> str:
    """JSON that is safe inside <script>: no `</script>`, `<!--` or JS line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _asset(name: str) -> str:
    return (resources.files("kg") / "assets" / name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    """vis-network as shipped inside pyvis (templates/lib in 0.3.2, lib/ in others)."""
    root = resources.files("pyvis")
    for folder in ("templates/lib/vis-9.1.2", "lib/vis-9.1.2"):
        f = root.joinpath(*folder.split("/"), name)
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            if "</script" in text.lower() or "</style" in text.lower():
                raise RuntimeError(f"pyvis {name} cannot be inlined safely")
            return text
    raise RuntimeError(f"vis-network {name} not found in the pyvis package")
