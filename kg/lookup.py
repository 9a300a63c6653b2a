"""One way to turn what a user types into a node, for queries, the page, search and MCP.

The rules, tried in order, first match wins (several matches under one rule
is an ambiguity error listing them, never a guess):

1. a node id or a name, case- and accent-insensitively (keys: `nexus-1542`);
2. an alias the graph records (a handle, initials, a nickname);
3. a team without "team" (`platform` is Platform Team);
4. the leading words of a customer's, product's or team's name (`northwind` is
   Northwind Traders, `contoso` is Contoso Bank);
5. a person's first name, surname, initials or handle, as the build resolves
   them (only when exactly one person fits).

Nothing fits: an error whose hint suggests the closest names, compared with
every name, alias and name part, so `Emilly` suggests Emily Watson.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import vocab as V
from .errors import QueryError
from .extract.roster import ShortFormIndex

if TYPE_CHECKING:
    import networkx as nx

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


def matches(text: str, candidates: list[Entity] | NameIndex) -> list[Entity]:
    """Every entity the first rule that fits says `text` names, sorted by name then id."""
    index = candidates if isinstance(candidates, NameIndex) else NameIndex(candidates)
    return index.matches(text)


class NameIndex:
    """The forms each rule compares, folded once: a lookup is then a few dict reads.

    Folding every name of a 10k-note graph (60k nodes) on each lookup took seconds.
    """

    def __init__(self, candidates: Iterable[Entity]) -> None:
        self.entities = list(candidates)
        self._rules: tuple[dict[str, list[Entity]], ...] = ({}, {}, {}, {})
        exact, alias, team, leading = self._rules
        for e in self.entities:
            for form in {V.fold(e.name), V.fold(e.id)}:
                exact.setdefault(form, []).append(e)
            for form in {V.fold(a) for a in e.aliases} | {V.fold(a.lstrip("@"))
                                                          for a in e.aliases}:
                alias.setdefault(form, []).append(e)
            folded = V.fold(e.name)
            if e.label == V.TEAM and folded.endswith(" team"):
                team.setdefault(folded[: -len(" team")], []).append(e)
            if e.label in _LEADING_WORDS:
                for form in _leading_words(folded):
                    leading.setdefault(form, []).append(e)
        self._people: ShortFormIndex | None = None

    def matches(self, text: str) -> list[Entity]:
        wanted = V.fold(text)
        if not wanted:
            return []
        for rule in self._rules:
            if wanted in rule:
                return _sorted(rule[wanted])
        return self._short(text)

    def named_exactly(self, text: str) -> list[Entity]:
        """Matches of the rules that compare whole names (id or name, alias, team without
        "team"), which are tried first: when one fits, no later rule is asked."""
        wanted = V.fold(text)
        for rule in self._rules[:3]:
            if wanted and wanted in rule:
                return _sorted(rule[wanted])
        return []

    def _short(self, text: str) -> list[Entity]:
        """People a first name, surname, initials or handle can mean, as the build decides."""
        short = text.strip()
        if " " in short:
            return []
        people = [e for e in self.entities if e.label == V.PERSON]
        if self._people is None:
            self._people = ShortFormIndex([e.name for e in people])
        names = self._people.candidates(short)
        return _sorted(e for e in people if e.name in names)


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
    """Names of the entities closest to `text`, by any name, alias or name part, then
    those with a word that starts with it (`infra` suggests Infrastructure Team)."""
    forms: dict[str, set[str]] = {}
    for e in candidates:
        for form in _forms(e):
            forms.setdefault(V.fold(form), set()).add(e.name)
    wanted = V.fold(text)
    close = difflib.get_close_matches(wanted, sorted(forms), n=n * 2, cutoff=0.6)
    if len(wanted) >= 3:
        close += sorted(f for f in forms if f.startswith(wanted) and f not in close)
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


#: Labels whose names are often said by their first words only.
_LEADING_WORDS = (V.CUSTOMER, V.PRODUCT, V.TEAM)


def _leading_words(folded: str) -> list[str]:
    """"northwind traders ltd" -> ["northwind", "northwind traders"]."""
    words = folded.split(" ")
    return [" ".join(words[:i]) for i in range(1, len(words))]


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


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def graph_index(g: nx.MultiDiGraph, labels: Iterable[str] = V.LABELS) -> NameIndex:
    """The NameIndex of `g`'s nodes with these labels, made once per graph and labels."""
    key = (g.number_of_nodes(), tuple(sorted(set(labels))))
    cached = _INDEXES.setdefault(g, {})
    if key not in cached:
        cached[key] = NameIndex(graph_entities(g, key[1]))
    return cached[key]


def find_node(g: nx.MultiDiGraph, text: str, labels: Iterable[str] = V.LABELS) -> str:
    """The id of the node `text` names in `g` (any of `labels`), by the rules above."""
    labels = tuple(labels)
    if text in g and g.nodes[text].get("label") in labels:
        return text
    index = graph_index(g, labels)
    hits = index.matches(text)
    if len(hits) == 1:
        return hits[0].id
    if hits:
        raise ambiguous(text, hits)
    raise not_found(text, index.entities, labels)
