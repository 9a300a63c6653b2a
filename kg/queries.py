"""Canned queries: one .cypher file each under queries/, one NetworkX twin each here.

The .cypher file is what runs on Neo4j; the function registered here under the
same name answers from graph.json with the same rows in the same order. Both
sort by the columns of the file's final `ORDER BY` line, so the order is
defined once. Entity arguments ("Emily", "NEXUS-2000") are resolved to node
ids before either backend runs, by kg/lookup.py (the rules every command shares).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import vocab as V
from .datafiles import queries_dir
from .errors import QueryError
from .item_state import ACTIVE
from .lookup import Entity, graph_entities, resolve_entity

_HEADER = re.compile(r"^//\s*(name|usage|description|example|columns):\s*(.*?)\s*$")
_ORDER_BY = re.compile(r"ORDER BY\s+([\w\s,]+?)\s*;?\s*$", re.IGNORECASE)
#: Which labels an entity argument of each kind may name.
ANY_ENTITY = V.ENTITY_LABELS
KEYED = V.KEYED_LABELS


@dataclass
class CannedQuery:
    """A canned query: its .cypher text and header, plus its NetworkX twin."""

    name: str
    usage: str
    description: str
    example: str
    columns: tuple[str, ...]
    order: tuple[str, ...]
    cypher: str
    path: Path
    impl: Callable | None = None
    entity_args: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def prepare(self, args: dict, entities: Callable[[tuple[str, ...]], list[Entity]]) -> dict:
        """Turn user arguments into query parameters, resolving entity names to ids.

        A query with a `word` parameter takes any subject: an entity when one has
        that name, else a word its rows must contain.
        """
        params = dict(args)
        for arg, labels in self.entity_args.items():
            if params.get(arg) is None:
                continue
            text = str(params[arg])
            if "word" not in params:
                params[arg] = resolve_entity(text, entities(labels), labels).id
                continue
            try:
                params[arg] = resolve_entity(text, entities(labels), labels).id
                params["word"] = None
            except QueryError as err:
                if "ambiguous" in str(err):
                    raise
                params[arg], params["word"] = None, text.lower()
        return params

    def sort(self, rows: Iterable[dict]) -> list[dict]:
        """Distinct rows ordered like the Cypher `ORDER BY` (nulls last)."""
        unique = {tuple(r[c] for c in self.columns): r for r in rows}
        key = [self.columns.index(c) for c in self.order]
        ordered = sorted(unique, key=lambda t: [(t[i] is None, _sortable(t[i])) for i in key])
        return [unique[t] for t in ordered]


def _sortable(value):
    return "" if value is None else value


_IMPLS: dict[str, tuple[Callable, dict[str, tuple[str, ...]]]] = {}


def canned(name: str, **entity_args: tuple[str, ...]):
    """Register the NetworkX implementation of the canned query `name`."""
    def register(fn: Callable) -> Callable:
        _IMPLS[name] = (fn, entity_args)
        return fn
    return register


def parse_cypher_file(path: Path) -> CannedQuery:
    """Read a .cypher file's comment header and its final ORDER BY."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            header[m.group(1)] = m.group(2)
    order = _ORDER_BY.search(text.strip())
    missing = {"name", "usage", "description", "example", "columns"} - set(header)
    if missing or not order:
        raise QueryError(f"{path}: header needs name, usage, description, example, columns "
                         "and the query must end with ORDER BY")
    return CannedQuery(
        name=header["name"], usage=header["usage"], description=header["description"],
        example=header["example"], columns=_split(header["columns"]),
        order=_split(order.group(1)), cypher=text, path=path)


def _split(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


def registry(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query, by name, from the .cypher files joined to their twins."""
    found = {}
    for path in sorted((folder or queries_dir()).glob("*.cypher")):
        q = parse_cypher_file(path)
        if q.name in _IMPLS:
            q.impl, q.entity_args = _IMPLS[q.name]
        found[q.name] = q
    return found


def get_query(name: str) -> CannedQuery:
    """The canned query `name`, or a QueryError suggesting near names."""
    queries = registry()
    if name in queries:
        return queries[name]
    err = QueryError(f"unknown query {name!r}")
    near = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    err.hint = (f"Did you mean {', '.join(near)}? " if near else "") + \
        "Run `kg query --list` to see every canned query."
    raise err


# --- running -------------------------------------------------------------------------


def run_query(query: CannedQuery, args: dict, backend) -> list[dict]:
    """Resolve arguments and run `query` on a backend (NetworkX or Neo4j)."""
    params = query.prepare(args, backend.entities)
    return backend.rows(query, params)


class NetworkXBackend:
    """Answers canned queries from a graph.json loaded into NetworkX."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g = g

    def entities(self, labels: tuple[str, ...]) -> list[Entity]:
        return graph_entities(self.g, labels)

    def rows(self, query: CannedQuery, params: dict) -> list[dict]:
        if query.impl is None:
            raise QueryError(f"query {query.name!r} has no NetworkX implementation")
        return query.sort(query.impl(self.g, **params))


# --- helpers shared by the implementations -------------------------------------------


def _name(g: nx.MultiDiGraph, n: str):
    return g.nodes[n].get("name")


def _label(g: nx.MultiDiGraph, n: str) -> str:
    return g.nodes[n].get("label", "")


def _src(e: dict) -> str:
    return f"{e['source']}:{e['line']}"


def _first(d: dict) -> tuple[str | None, str | None]:
    """(date, source) of the earliest evidence: what an edge's flat properties hold."""
    ev = d.get("evidence") or []
    return (ev[0].get("date"), _src(ev[0])) if ev else (None, None)


def _edges(g, n, rel: str | None = None, out: bool = True):
    view = g.out_edges(n, keys=True, data=True) if out else g.in_edges(n, keys=True, data=True)
    for u, v, k, d in view:
        if rel is None or k == rel:
            yield (v if out else u), d


def _item_source(a: dict) -> str:
    return f"{a.get('source')}:{a.get('line')}"


# --- the implementations ---------------------------------------------------------------


def _scope(g: nx.MultiDiGraph, root: str) -> list[tuple[str, str]]:
    """(ticket, via) pairs tied to root: itself, its sub-tasks, every ticket it depends on."""
    key = _name(g, root)
    scope = [(root, key)]
    scope += [(sub, f"{_name(g, sub)} PART_OF {key}") for sub, _ in _edges(g, root, V.PART_OF,
                                                                          out=False)]
    return scope + _dependencies(g, root)


def _dependencies(g: nx.MultiDiGraph, root: str) -> list[tuple[str, str]]:
    """(ticket, via) for every ticket root depends on, directly or not, each once.

    Breadth-first: a ladder of 40 pairs of tickets, each depending on both of
    the next pair, has 2^40 paths but only 80 tickets. `via` is one shortest
    path, chosen as queries/owners.cypher chooses it: stepping back from the
    ticket, always the alphabetically first ticket one step closer to root.
    """
    distance = {root: 0}
    order = [root]
    for node in order:  # the list grows while it is walked: a FIFO queue
        for dep, _ in _edges(g, node, V.DEPENDS_ON):
            if dep not in distance:
                distance[dep] = distance[node] + 1
                order.append(dep)
    via = {root: _name(g, root)}
    for node in order[1:]:  # parents, one step closer, come first
        parent = min((p for p, _ in _edges(g, node, V.DEPENDS_ON, out=False)
                      if distance.get(p) == distance[node] - 1), key=lambda p: _name(g, p))
        via[node] = f"{via[parent]} DEPENDS_ON {_name(g, node)}"
    return [(node, via[node]) for node in order[1:]]


@canned("owners", id=KEYED + (V.CUSTOMER, V.PRODUCT))
def owners(g: nx.MultiDiGraph, id: str) -> list[dict]:  # noqa: A002 - the Cypher $id
    """Who owns the ticket, its items, its sub-tasks and what it depends on; for a
    customer or a product, who owns the items tied to it."""
    rows = []
    for t, via in _scope(g, id):
        for p, d in _edges(g, t, V.OWNS, out=False):
            if _label(g, p) == V.PERSON:
                rows.append({"person": _name(g, p), "item": _name(g, t), "via": via,
                             "due": None, "source": _first(d)[1]})
        for item, _ in _edges(g, t, V.TIED_TO, out=False):
            a = g.nodes[item]
            for p, _d in _edges(g, item, V.OWNS, out=False):
                if _label(g, p) != V.PERSON:
                    continue  # a group owns it too, but `owners` answers with people
                rows.append({"person": _name(g, p), "item": a.get("text"), "via": via,
                             "due": a.get("due"), "source": _item_source(a)})
    return rows


_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(g: nx.MultiDiGraph) -> dict:
    """Edges by type and nodes by label, built once per loaded graph.

    Scanning every edge made promotions/concerns/open-items take 160-390 ms
    on a 10k-note graph; with the index they touch only the rows they return.
    """
    idx = _INDEX.get(g)
    if idx is None:
        edges: dict[str, list] = {}
        for u, v, k, d in g.edges(keys=True, data=True):
            edges.setdefault(k, []).append((u, v, d))
        nodes: dict[str, list] = {}
        for n, a in g.nodes(data=True):
            nodes.setdefault(a.get("label"), []).append((n, a))
        idx = _INDEX[g] = {"edges": edges, "nodes": nodes}
    return idx


def _edges_of_type(g: nx.MultiDiGraph, rel: str) -> list[tuple[str, str, dict]]:
    return _index(g)["edges"].get(rel, [])


def _nodes_of_label(g: nx.MultiDiGraph, label: str) -> list[tuple[str, dict]]:
    return _index(g)["nodes"].get(label, [])


def _per_evidence(d: dict):
    for e in d.get("evidence") or []:
        yield e.get("date") or None, _src(e), e.get("text", "")


@canned("concerns", id=ANY_ENTITY)
def concerns(g: nx.MultiDiGraph, id: str | None = None) -> list[dict]:  # noqa: A002
    """Who raised a concern about what, when and where."""
    rows = []
    for u, v, d in _edges_of_type(g, V.RAISED_CONCERN_ABOUT):
        if _label(g, u) != V.PERSON or id not in (None, v):
            continue
        for date, src, _text in _per_evidence(d):
            rows.append({"person": _name(g, u), "about": _name(g, v), "date": date,
                         "source": src})
    return rows


@canned("open-items", person=(V.PERSON,), team=(V.TEAM,))
def open_items(g: nx.MultiDiGraph, person: str | None = None, overdue: bool = False,
               as_of: str | None = None, team: str | None = None) -> list[dict]:
    """Open action items with owner, due date and ticket links."""
    rows = []
    crew = _crew(g, team) if team is not None else None
    # One person's or team's items are their OWNS edges; don't walk every item in the graph.
    owned_by = [person] if person is not None else crew
    items = ({n: g.nodes[n] for o in owned_by for n, _ in _edges(g, o, V.OWNS)}.items()
             if owned_by is not None else _nodes_of_label(g, V.ACTION_ITEM))
    for n, a in items:
        if a.get("label") != V.ACTION_ITEM or a.get("status") not in ACTIVE:
            continue
        due = a.get("due")
        if overdue and not (due is not None and due < as_of):
            continue
        keys = sorted(_name(g, t) for t, _ in _edges(g, n, V.TIED_TO) if _label(g, t) in KEYED)
        owners_ = [p for p, _ in _edges(g, n, V.OWNS, out=False)] or [None]
        for p in owners_:
            if person is not None and p != person or crew is not None and p not in crew:
                continue
            rows.append({"item": a.get("text"), "owner": _name(g, p) if p else None,
                         "due": due, "tickets": ", ".join(keys), "source": _item_source(a)})
    return rows


def _crew(g: nx.MultiDiGraph, team: str) -> list[str]:
    """The team and the people who lead it or are its members: whose items are the team's."""
    people = {p for rel in (V.LEADS, V.MEMBER_OF) for p, _ in _edges(g, team, rel, out=False)}
    return [team, *sorted(people)]


@canned("person", id=(V.PERSON,))
def person(g: nx.MultiDiGraph, id: str) -> list[dict]:  # noqa: A002
    """Everything a person did: teams, ownership, concerns, promotions, meetings, and the
    decisions they moved, seconded, opposed or that name them."""
    rows = []
    for x, d in list(_edges(g, id)) + list(_edges(g, id, V.ABOUT, out=False)):
        date, src = _first(d)
        rows.append({"relation": d.get("type"), "what": _name(g, x), "date": date,
                     "source": src})
    return rows


@canned("decisions", id=ANY_ENTITY)
def decisions(g: nx.MultiDiGraph, id: str | None = None, word: str | None = None,  # noqa: A002
              since: str | None = None) -> list[dict]:
    """What meetings decided: about an entity or containing a word, since a date."""
    rows = []
    if id is not None:  # only the decisions about it, or that it moved: not all of them
        candidates = {x for x, d in list(_edges(g, id, V.ABOUT, out=False)) + list(_edges(g, id))
                      if d.get("type") in (V.ABOUT, V.PROPOSED, V.SECONDED, V.OBJECTED_TO)}
        nodes = [(n, g.nodes[n]) for n in sorted(candidates)]
    else:
        nodes = _nodes_of_label(g, V.DECISION)
    for n, a in nodes:
        if since is not None and (a.get("date") is None or a["date"] < since):
            continue
        if word is not None and word not in (a.get("text") or "").lower():
            continue
        about = sorted(_name(g, x) for x, _ in _edges(g, n, V.ABOUT))
        if id is not None and id not in {x for x, _ in _edges(g, n, V.ABOUT)} | {
                p for p, d in _edges(g, n, out=False)
                if d.get("type") in (V.PROPOSED, V.SECONDED, V.OBJECTED_TO)}:
            continue
        by = sorted(_name(g, p) for p, _ in _edges(g, n, V.PROPOSED, out=False))
        rows.append({"date": a.get("date"), "decision": a.get("text"),
                     "about": ", ".join(about), "by": ", ".join(by),
                     "status": a.get("status"), "source": _item_source(a)})
    return rows


@canned("ticket", id=KEYED)
def ticket(g: nx.MultiDiGraph, id: str) -> list[dict]:  # noqa: A002
    """Every fact about a ticket, one row per place it was stated."""
    facts = [(id, x, d) for x, d in _edges(g, id)] + [(x, id, d) for x, d in _edges(g, id,
                                                                                  out=False)]
    for item, _ in _edges(g, id, V.TIED_TO, out=False):
        facts += [(p, item, d) for p, d in _edges(g, item, V.OWNS, out=False)
                  if _label(g, p) == V.PERSON]
    rows = []
    for s, o, d in facts:
        for date, src, text in _per_evidence(d):
            rows.append({"date": date, "subject": _name(g, s), "relation": d.get("type"),
                         "object": _name(g, o), "source": src, "text": text})
    return rows


@canned("promotions")
def promotions(g: nx.MultiDiGraph) -> list[dict]:
    """Who was promoted to what, when and where."""
    rows = []
    for u, v, d in _edges_of_type(g, V.PROMOTED_TO):
        for date, src, _text in _per_evidence(d):
            rows.append({"person": _name(g, u), "role": _name(g, v), "date": date,
                         "source": src})
    return rows


@canned("team", id=(V.TEAM,))
def team(g: nx.MultiDiGraph, id: str) -> list[dict]:  # noqa: A002
    """A team's lead and members, and the tickets and products they work on."""
    rows = []
    people = set()
    for role, rel in (("lead", V.LEADS), ("member", V.MEMBER_OF)):
        for p, d in _edges(g, id, rel, out=False):
            people.add(p)
            rows.append({"role": role, "name": _name(g, p), "via": None, "source": _first(d)[1]})
    work = {V.TICKET, V.INCIDENT, V.PRODUCT}
    for p in people:
        for x, d in _edges(g, p):
            if d.get("type") in (V.OWNS, V.WORKS_ON) and _label(g, x) in work:
                rows.append(_works_on(g, x, p, d))
            if d.get("type") == V.OWNS and _label(g, x) == V.ACTION_ITEM:
                rows += [_works_on(g, t, p, td) for t, td in _edges(g, x, V.TIED_TO)]
    return rows


def _works_on(g, x: str, p: str, d: dict) -> dict:
    return {"role": "works on", "name": _name(g, x), "via": _name(g, p), "source": _first(d)[1]}


@canned("timeline", id=ANY_ENTITY)
def timeline(g: nx.MultiDiGraph, id: str) -> list[dict]:  # noqa: A002
    """Every line that mentions an entity, in date order."""
    rows = []
    for m, d in _edges(g, id, V.MENTIONS, out=False):
        a = g.nodes[m]
        for e in d.get("evidence") or []:
            rows.append({"date": e.get("date") or None, "meeting": a.get("title") or a.get("name"),
                         "file": a.get("source"), "line": e.get("line"), "text": e.get("text")})
    return rows


def today() -> str:
    """Today's date as ISO text: the default --as-of."""
    return _dt.date.today().isoformat()


class StoreBackend:
    """Answers canned queries by running their .cypher files on a Bolt store.

    `store` is anything with `entities(labels)` and `run(cypher, params)`,
    such as kg.backends.neo4j_store.Neo4jStore; rows keep the server's order.
    """

    def __init__(self, store) -> None:
        self.store = store

    def entities(self, labels: tuple[str, ...]) -> list[Entity]:
        return [Entity(r["id"], r["label"], r["name"], tuple(r.get("aliases") or ()))
                for r in self.store.entities(labels)]

    def rows(self, query: CannedQuery, params: dict) -> list[dict]:
        return [{c: r.get(c) for c in query.columns} for r in self.store.run(query.cypher, params)]


def query_args(query: CannedQuery, positional: tuple[str, ...], options: dict) -> dict:
    """Check and name the arguments a user gave `query`, filling in defaults."""
    slots = re.sub(r"\[--[^\]]*\]", "", query.usage).split()[1:]
    allowed = set(re.findall(r"--([\w-]+)", query.usage))
    usage = f"Usage: kg query {query.usage}"
    required = [s for s in slots if not s.startswith("[")]
    if len(positional) < len(required):
        raise _usage_error(f"{query.name} needs {' '.join(required[len(positional):])}", usage)
    if len(positional) > len(slots):
        raise _usage_error(f"{query.name} takes {len(slots)} argument(s), got "
                           f"{len(positional)}", usage)
    for opt, value in options.items():
        flag = opt.replace("_", "-")
        if value not in (None, False) and flag not in allowed:
            raise _usage_error(f"--{flag} does not apply to {query.name}", usage)
    args = {"id": positional[0] if positional else None} if slots else {}
    if "since" in allowed:
        args.update(word=None, since=_iso_date(options.get("since"), "--since"))
    if "overdue" in allowed:
        args.update(person=options.get("person"), team=options.get("team"),
                    overdue=bool(options.get("overdue")),
                    as_of=_iso_date(options.get("as_of")) or today())
    return args


def _usage_error(message: str, hint: str) -> QueryError:
    err = QueryError(message)
    err.hint = hint
    return err


def _iso_date(text: str | None, flag: str = "--as-of") -> str | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise _usage_error(f"{flag} {text!r} is not a date", "Use YYYY-MM-DD.") from None
