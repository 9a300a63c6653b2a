"""The graph page's data and its one self-contained HTML file, made with pyvis.

The page must open with no network (mailed, or on a plane), so vis-network's
JS and CSS are read from the pyvis package and inlined; pyvis's own template
links a CDN even with `cdn_resources="in_line"` (pyvis issues #228, #229), so
pyvis builds the node/edge/option data and our own template renders it.

Note text is hostile input: it only ever travels as JSON inside a
`<script type="application/json">` block (with `<`, `>`, `&`, U+2028/2029
escaped so it cannot close the block) and the page's JS shows it with
`textContent`, never as HTML. vis-network's `title` is not used because it
renders strings as HTML.

What an action item's state is on a date is `kg.item_state`'s rule; the page gets
each item's state on every date where it can change, computed here with that rule,
so its date slider never needs a second copy of the rule in JS.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import deque
from datetime import date, timedelta
from importlib import resources
from typing import TYPE_CHECKING

from . import item_state
from . import vocab as V
from .viz_select import Selection, display, first_dates, ticket_flags, weight

if TYPE_CHECKING:  # annotations only: `kg --help` must not import NetworkX
    import networkx as nx

#: Evidence lines shown per node or edge; the rest are counted, not listed.
MAX_EVIDENCE = 8
#: Neighbours listed per node in the side panel; the rest are counted.
MAX_NEIGHBOURS = 40
#: Past this many visible nodes vis-network's improvedLayout (Kamada-Kawai seeding)
#: costs seconds, so we seed randomly and rely on the bounded stabilisation.
IMPROVED_LAYOUT_MAX = 100
#: Node labels are cut here so a long action item does not cover its neighbours.
LABEL_CHARS = 32

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
#: Action item colour per state, in legend order; "later" = not yet stated on that date.
STATE_COLOURS: dict[str, str] = {
    item_state.OVERDUE: "#d62728",
    item_state.BLOCKED: "#ff7f0e",
    item_state.OPEN: "#edc948",
    item_state.DONE: "#59a14f",
    item_state.DROPPED: "#a0a0a0",
    "later": "#e4e4e4",
}
#: Border of a ticket or incident that has raised concerns or depends on other tickets.
FLAG_BORDER = "#5b0000"
FLAG_MARK = "\u26a0 "


def page_data(graph: nx.MultiDiGraph, sel: Selection) -> dict:
    """Everything the page's JS needs, as plain JSON-able data (built with pyvis)."""
    from pyvis.network import Network  # imported here: it pulls in IPython (~0.7 s)

    net = Network(directed=True, cdn_resources="in_line")
    start = seed_positions(graph, sel) if len(sel.nodes) > IMPROVED_LAYOUT_MAX else {}
    firsts = first_dates(graph, sel.nodes)
    states = {n: item_states(graph.nodes[n], sel.as_of) for n in sel.nodes
              if graph.nodes[n].get("label") == V.ACTION_ITEM}
    for n in sel.nodes:
        net.nodes.append(_vis_node(graph, n, start.get(n), firsts.get(n), states.get(n),
                                   sel.as_of))
    net.edges.extend(_vis_edges(graph, sel.edges))
    net.options = vis_options(len(sel.nodes))
    nodes, edges, _, _, _, options = net.get_network_data()
    shown = set(sel.nodes)
    labels = [lab for lab in V.LABELS if any(graph.nodes[n]["label"] == lab for n in sel.nodes)]
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "details": {**{n: node_details(graph, n, shown, states.get(n)) for n in sel.nodes},
                    **{_edge_id(e): edge_details(graph, e) for e in sel.edges}},
        "legend": [{"label": lab, "color": STYLE[lab][0], "shape": STYLE[lab][1]}
                   for lab in labels],
        "relTypes": [t for t in V.REL_TYPES if any(e[2] == t for e in sel.edges)],
        "stateColours": [[s, c] for s, c in STATE_COLOURS.items()],
        "flagBorder": FLAG_BORDER,
        "hidden": sel.hidden,
        "asOf": sel.as_of,
        "dates": _slider_dates([*firsts.values(), *(day for ch in states.values()
                                                     for day, _ in ch if day)], sel.as_of),
        "totals": {"nodes": sel.total_nodes, "edges": sel.total_edges},
        "notes": sel.notes,
        "focus": sel.focus,
    }


def item_states(attrs: dict, as_of: str | None) -> list[list]:
    """[[date, state], ...]: the item's state from each date on, by kg.item_state's rule.

    A state can change only on a statement's date or the day after a due date, so
    asking the rule on those days (and on `as_of`) gives every change; the first
    entry ("") is the state before any dated statement.
    """
    days = {"", *(as_of and [as_of] or [])}
    for h in attrs.get("history") or [attrs]:
        if h.get("date"):
            days.add(h["date"])
        if h.get("due"):
            days.add(_day_after(h["due"]))
    out: list[list] = []
    for day in sorted(days):
        st = item_state.state(attrs, day or "0000-00-00") or "later"
        if not out or out[-1][1] != st:
            out.append([day, st])
    return out


def state_on(changes: list[list], day: str | None) -> str:
    """The state an `item_states` list gives on `day` (the last change on or before it)."""
    current = changes[0][1]
    for when, st in changes:
        if day is not None and when <= day:
            current = st
    return current


def _day_after(day: str) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except ValueError:
        return day


def _slider_dates(firsts, as_of: str | None) -> list[str]:
    """The slider's stops: each date on which something appears or an item changes state,
    and the as-of date."""
    days = set(firsts)
    if as_of:
        days.add(as_of)
    return sorted(days)


def _vis_node(graph: nx.MultiDiGraph, n: str, xy: tuple[int, int] | None, first: str | None,
              changes: list[list] | None, as_of: str | None) -> dict:
    from pyvis.node import Node

    attrs = graph.nodes[n]
    label = attrs.get("label", "")
    color, shape = STYLE.get(label, _FALLBACK_STYLE)
    text = node_label(attrs, n)
    extra: dict = {"x": xy[0], "y": xy[1]} if xy else {}
    if first:
        extra["since"] = first
    if changes is not None:
        extra["states"] = changes
        color = STATE_COLOURS[state_on(changes, as_of)]
    if label in (V.TICKET, V.INCIDENT) and any(ticket_flags(graph, n).values()):
        text = FLAG_MARK + text
        extra["flagged"] = True
        extra["borderWidth"] = 3
        color = {"background": color, "border": FLAG_BORDER}
    return Node(n, shape, label=text, group=label, color=color, value=weight(graph, n),
                **extra).options


def node_label(attrs: dict, n: str) -> str:
    """What the drawing writes under a node; a meeting's carries its date, so ten weeklies
    do not look alike."""
    name = str(attrs.get("name") or n)
    if attrs.get("label") == V.MEETING and attrs.get("date"):
        name = f"{attrs['date']} {name}"
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 2] + "\u2026"


def seed_positions(graph: nx.MultiDiGraph, sel: Selection) -> dict[str, tuple[int, int]]:
    """Start big views from a sunflower spiral in breadth-first order from the hubs.

    Neighbours start near each other, so the few physics iterations a big view can
    afford (each costs ~15 ms at 500 nodes) only polish the layout instead of
    untangling a random one. Linear time, deterministic.
    """
    chosen = set(sel.nodes)
    order: list[str] = []
    seen: set[str] = set()
    for hub in sorted(sel.nodes, key=lambda n: (-weight(graph, n), n)):
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


def _vis_edges(graph: nx.MultiDiGraph, edges: list[tuple[str, str, str]]) -> list[dict]:
    """One vis edge per graph edge; parallel edges curve apart so each label stays readable."""
    from pyvis.edge import Edge

    seen: dict[frozenset, int] = {}
    out = []
    for u, v, k in edges:
        pair = frozenset((u, v))
        i = seen.get(pair, 0)
        seen[pair] = i + 1
        opts = {"id": _edge_id((u, v, k)), "label": k}
        days = [e.get("date") for e in graph.edges[u, v, k].get("evidence") or () if e.get("date")]
        if days:
            opts["since"] = min(days)
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


# ---------------------------------------------------------------- the side panel


def node_details(graph: nx.MultiDiGraph, n: str, shown: set[str],
                 changes: list[list] | None = None) -> dict:
    attrs = graph.nodes[n]
    props = {k: v for k, v in sorted(attrs.items())
             if k not in ("label", "name", "history") and v not in (None, "", [])}
    if attrs.get("label") in (V.TICKET, V.INCIDENT):
        props.update({k: v for k, v in ticket_flags(graph, n).items() if v})
    evidence = _node_evidence(graph, n)
    near, total = _neighbour_rows(graph, n, shown)
    out = {"kind": "node", "label": attrs.get("label", ""), "name": str(attrs.get("name") or n),
           "id": n, "props": {k: _plain(v) for k, v in props.items()},
           "degree": graph.degree(n), "evidence": evidence[:MAX_EVIDENCE],
           "more": max(0, len(evidence) - MAX_EVIDENCE),
           "near": near, "nearMore": total - len(near)}
    if attrs.get("history"):
        out["history"] = [_plain(h) for h in attrs["history"]]
    return out


def _neighbour_rows(graph: nx.MultiDiGraph, n: str, shown: set[str]) -> tuple[list[list], int]:
    """The first MAX_NEIGHBOURS of [type, "out"|"in", other id (None when not drawn),
    other name, other is drawn], drawn ones first, and how many there are in all (a
    person can have thousands)."""
    rows = [(o not in shown, k, d, o) for d, adjacency in (("out", graph.succ[n]),
                                                            ("in", graph.pred[n]))
            for o, keys in adjacency.items() for k in keys]
    rows.sort()
    # A neighbour outside the view is named, not identified: the page has nothing to
    # select for it, and its id would only make the file bigger.
    return ([[k, d, None if away else o, display(graph, o), not away]
             for away, k, d, o in rows[:MAX_NEIGHBOURS]], len(rows))


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
    return {"kind": "edge", "label": k, "name": f"{display(graph, u)} \u2192 {display(graph, v)}",
            "id": _edge_id(e), "props": {}, "evidence": evidence[:MAX_EVIDENCE],
            "more": max(0, len(evidence) - MAX_EVIDENCE),
            "near": [[k, "from", u, display(graph, u), True],
                     [k, "to", v, display(graph, v), True]], "nearMore": 0}


def _ev_row(e: dict) -> list:
    return [str(e.get("source", "")), e.get("line"), str(e.get("text", "")), e.get("date")]


def _plain(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(x) for x in value)
    return str(value)


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
