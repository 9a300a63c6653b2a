"""One way to turn what a user types into a node, for queries, the page, search and MCP.

The rules, tried in order, first match wins (several matches under one rule
is an ambiguity error listing them, never a guess):

1. a node id or a name, case- and accent-insensitively (keys: `nexus-1542`);
2. an alias the graph records (a handle, initials, a nickname);
3. a team without "team" (`platform` is Platform Team), a customer without its
   company suffix (`northwind` is Northwind Corp; the suffixes are
   `company_suffixes` in pipelines/lexicon.json);
4. a person's first name, surname, initials or handle, as the build resolves
   them (only when exactly one person fits).

Nothing fits: an error whose hint suggests the closest names, compared with
every name, alias and name part, so `Emilly` suggests Emily Watson.
"""

from __future__ import annotations

import difflib
import json
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx

from . import vocab as V
from .datafiles import pipelines_dir
from .errors import QueryError
from .extract.roster import ShortFormIndex

#: How many candidates an ambiguity error or a suggestion names at most.
MAX_LISTED = 8


@dataclass(frozen=True)
class Entity:
    """A node a user's text can name: what lookup compares against."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


def resolve_entity(text: str, candidates: list[Entity], labels: Iterable[str] = ()) -> Entity:
    """The one entity `text` names; ambiguity and no match are QueryErrors with a hint.

    >>> people = [Entity("person:emily-watson", "Person", "Emily Watson", ("EW",))]
    >>> resolve_entity("emily", people).name
    'Emily Watson'
    """
    hits = matches(text, candidates)
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ambiguous(text, hits)
    raise not_found(text, candidates, labels)


def matches(text: str, candidates: list[Entity]) -> list[Entity]:
    """Every entity the first rule that fits says `text` names, sorted by name then id."""
    wanted = V.fold(text)
    if not wanted:
        return []
    for rule in (_exact, _alias, _without_group_word):
        hits = [e for e in candidates if rule(wanted, e)]
        if hits:
            return _sorted(hits)
    return _short(text, [e for e in candidates if e.label == V.PERSON])


def ambiguous(text: str, hits: list[Entity]) -> QueryError:
    """The error for a name that fits several entities: it lists them."""
    names = [e.name for e in hits]
    # Two nodes can share a name (two "Weekly sync" meetings): then only ids tell them apart.
    listed = names if len(set(names)) == len(names) else [f"{e.name} ({e.id})" for e in hits]
    more = f" and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else ""
    err = QueryError(f"{text!r} is ambiguous: it could be {', '.join(listed[:MAX_LISTED])}{more}")
    err.hint = "Use the full name" + (" or the id." if len(set(names)) < len(names) else ".")
    return err


def not_found(text: str, candidates: list[Entity], labels: Iterable[str] = ()) -> QueryError:
    """The error for a name that fits nothing, suggesting the closest names."""
    kinds = sorted({lbl.lower() for lbl in labels})
    what = "entity" if not 1 <= len(kinds) <= 4 else \
        " or ".join(kinds) if len(kinds) <= 2 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    err = QueryError(f"no {what} named {text!r} in the graph")
    near = suggestions(text, candidates)
    err.hint = f"Did you mean {', '.join(near)}?" if near else \
        "Check the spelling, or run `kg build` on the notes that mention it."
    return err


def suggestions(text: str, candidates: list[Entity], n: int = 3) -> list[str]:
    """Names of the entities closest to `text`, by any name, alias or name part."""
    forms: dict[str, set[str]] = {}
    for e in candidates:
        for form in _forms(e):
            forms.setdefault(V.fold(form), set()).add(e.name)
    close = difflib.get_close_matches(V.fold(text), sorted(forms), n=n * 2, cutoff=0.6)
    found: list[str] = []
    for form in close:
        for name in sorted(forms[form]):
            if name not in found:
                found.append(name)
    return found[:n]


def _forms(e: Entity) -> list[str]:
    forms = [e.name, *e.aliases]
    if e.label == V.PERSON:
        forms += e.name.split()
    if e.label in (V.TEAM, V.CUSTOMER) and " " in e.name:
        forms.append(e.name.rsplit(" ", 1)[0])
    return forms


def _sorted(hits: Iterable[Entity]) -> list[Entity]:
    return sorted(set(hits), key=lambda e: (e.name, e.id))


def _exact(wanted: str, e: Entity) -> bool:
    return wanted in (V.fold(e.name), V.fold(e.id))


def _alias(wanted: str, e: Entity) -> bool:
    return any(wanted == V.fold(a.lstrip("@")) or wanted == V.fold(a) for a in e.aliases)


def _without_group_word(wanted: str, e: Entity) -> bool:
    if e.label == V.TEAM:
        return wanted + " team" == V.fold(e.name)
    if e.label == V.CUSTOMER:
        head, _, last = V.fold(e.name).rpartition(" ")
        return head == wanted and last.rstrip(".") in _company_suffixes()
    return False


@lru_cache(maxsize=1)
def _company_suffixes() -> frozenset[str]:
    lexicon = json.loads((pipelines_dir() / "lexicon.json").read_text(encoding="utf-8"))
    return frozenset(V.fold(s).rstrip(".") for s in lexicon["company_suffixes"])


def _short(text: str, people: list[Entity]) -> list[Entity]:
    """People a first name, surname, initials or handle can mean, as the build decides."""
    short = text.strip()
    if not short or " " in short:
        return []
    names = ShortFormIndex([e.name for e in people]).candidates(short)
    return _sorted(e for e in people if e.name in names)


# --- entities of a NetworkX graph ----------------------------------------------------

_BY_LABEL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def graph_entities(g: nx.MultiDiGraph, labels: Iterable[str] = V.LABELS) -> list[Entity]:
    """Entities of the given labels in a NetworkX graph, sorted by id.

    Indexed once per loaded graph: a 10k-note graph has ~100k nodes, and an MCP
    server or a notebook looks names up many times on the same graph.
    """
    size, by_label = _BY_LABEL.get(g, (None, None))
    if by_label is None or size != g.number_of_nodes():
        by_label = {}
        for n, a in g.nodes(data=True):
            by_label.setdefault(a.get("label"), []).append(
                Entity(n, a.get("label", ""), str(a.get("name") or n),
                       tuple(str(x) for x in a.get("aliases") or ())))
        _BY_LABEL[g] = (g.number_of_nodes(), by_label)
    found = [e for label in set(labels) for e in by_label.get(label, ())]
    return sorted(found, key=lambda e: e.id)


def find_node(g: nx.MultiDiGraph, text: str, labels: Iterable[str] = V.LABELS) -> str:
    """The id of the node `text` names in `g` (any of `labels`), by the rules above."""
    labels = tuple(labels)
    if text in g and g.nodes[text].get("label") in labels:
        return text
    return resolve_entity(text, graph_entities(g, labels), labels).id
