"""Text search over what the notes say: every evidence line and entity that matches.

Matching is case- and accent-insensitive (`tomas` finds `Tomás`); every word
of the query must occur in a line or a name, in any order. The rows are
ranked by a score, highest first, then newest first:

- 30: the query occurs as written, as whole words (`schema registry`);
- 20: it occurs inside longer words, or it names an entity the way queries
  take names (`Emily`, `platform`, `nexus-12`: see kg/lookup.py);
- 10: every word occurs, in any order;
- 0: a line that names that entity in another form (`EW will…` for `Watson`);
- +5 for an entity (a name beats a line that says it), plus how often the
  words occur (at most 4).

Each line row carries `file:line`, its date and the entities stated on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from . import vocab as V
from .errors import InputError
from .lookup import graph_index

COLUMNS = ("score", "kind", "text", "date", "source", "entities")
#: What a name hit can be: named things and meetings (items and decisions are lines).
NAMED = V.ENTITY_LABELS + (V.MEETING,)
PHRASE, INSIDE, ALL_WORDS, NAMES_IT = 30, 20, 10, 0
ENTITY_BONUS, MAX_REPEAT = 5, 4


@dataclass
class _Line:
    text: str
    date: str | None
    source: str
    line: int
    nodes: set[str] = field(default_factory=set)
    score: int = 0


def search(g: nx.MultiDiGraph, text: str, label: str | None = None, since: str | None = None,
           limit: int | None = None) -> list[dict]:
    """Rows (score, kind, text, date, source, entities) matching `text`, best first;
    each also has `id`, the node of an entity row (None for a line).

    >>> search(nx.MultiDiGraph(), "anything")
    []
    """
    query = Query(text)
    named = _named(g, text)
    # Every line of a meeting is about the meeting: only other entities bring their lines.
    lines = _lines(g, query, {n for n in named if g.nodes[n].get("label") != V.MEETING})
    rows = [_line_row(g, ln) for ln in lines.values()
            if (since is None or (ln.date or "") >= since)
            and (label is None or any(g.nodes[n].get("label") == label for n in ln.nodes))]
    for n, a in g.nodes(data=True) if query.words else ():
        if a.get("label") not in NAMED or (label is not None and a.get("label") != label):
            continue
        score = query.score(*_names(a)) if n not in named else max(INSIDE, query.score(
            *_names(a)))
        if score:
            row = _entity_row(g, n, score + ENTITY_BONUS)
            if since is None or (row["date"] or "") >= since:
                rows.append(row)
    ranked = _rank(rows)
    return ranked[:limit] if limit else ranked


class Query:
    """The words of a query, folded like names, and how well a text matches them."""

    def __init__(self, text: str) -> None:
        self.phrase = V.fold(text)
        self.words = self.phrase.split()
        self._whole = re.compile(r"(?<!\w)" + re.escape(self.phrase) + r"(?!\w)") \
            if self.words else None

    def score(self, *texts: str) -> int:
        """The best score any of `texts` gets (0: not every word occurs)."""
        return max((self.score_one(t) for t in texts if t), default=0)

    def score_one(self, text: str) -> int:
        """The score of one text: the inner loop of a search over every evidence line."""
        # A cheap test first: most lines hold none of the words. ASCII text folds by casefold.
        low = text.casefold() if text.isascii() else V.fold(text)
        for w in self.words:
            if w not in low:
                return 0
        folded = " ".join(low.split())
        repeat = min(sum(folded.count(w) for w in self.words), MAX_REPEAT)
        if self.phrase in folded:
            return (PHRASE if self._whole.search(folded) else INSIDE) + repeat
        return ALL_WORDS + repeat


def _named(g: nx.MultiDiGraph, text: str) -> list[str]:
    """The entities `text` names by the lookup rules (several when it is ambiguous)."""
    if not text.strip():
        return []
    return [e.id for e in graph_index(g, NAMED).matches(text)]


def _names(attrs: dict) -> list[str]:
    return [str(attrs.get("name") or ""), *(str(a) for a in attrs.get("aliases") or ())]


def _lines(g: nx.MultiDiGraph, query: Query, named: set[str]) -> dict[tuple, _Line]:
    """Every evidence line that matches, with the nodes its statements join."""
    found: dict[tuple, _Line] = {}
    if not query.words:
        return found
    score_of = query.score_one
    for u, v, evidence in g.edges(data="evidence"):
        about_named = u in named or v in named
        for e in evidence or ():
            # Most lines match nothing: score the text before building a key, unless a
            # line that names the entity another way may already be listed (it is kept
            # whatever its text, and every statement of it adds its entities).
            if not named:
                score = score_of(e.get("text") or "")
                if not score:
                    continue
            key = (e.get("source"), e.get("line"))
            hit = found.get(key)
            if hit is None:
                if named:
                    score = score_of(e.get("text") or "")
                    if not score and not about_named:
                        continue
                hit = found[key] = _Line(str(e.get("text") or ""), e.get("date") or None,
                                         str(key[0]), int(key[1] or 0), score=score)
            hit.nodes.update((u, v))
    return found


def _line_row(g: nx.MultiDiGraph, ln: _Line) -> dict:
    names = sorted({str(g.nodes[n].get("name")) for n in ln.nodes
                    if g.nodes[n].get("label") in V.ENTITY_LABELS})
    return {"score": ln.score, "kind": "line", "text": ln.text, "date": ln.date,
            "source": f"{ln.source}:{ln.line}", "entities": ", ".join(names), "id": None}


def _entity_row(g: nx.MultiDiGraph, n: str, score: int) -> dict:
    """An entity hit, dated and placed by the latest line that states something about it."""
    a = g.nodes[n]
    latest = max(_evidence_of(g, n), key=lambda e: (e.get("date") or "", e.get("source") or "",
                                                    -int(e.get("line") or 0)), default=None)
    if a.get("label") == V.MEETING:
        date, source = a.get("date"), a.get("source")
    else:
        date = latest.get("date") if latest else None
        source = f"{latest.get('source')}:{latest.get('line')}" if latest else None
    return {"score": score, "kind": a.get("label"), "text": str(a.get("name") or n),
            "date": date or None, "source": source, "entities": "", "id": n}


def _evidence_of(g: nx.MultiDiGraph, n: str) -> Iterable[dict]:
    for *_, ev in g.in_edges(n, data="evidence"):
        yield from ev or ()
    for *_, ev in g.out_edges(n, data="evidence"):
        yield from ev or ()


def _rank(rows: list[dict]) -> list[dict]:
    """Score, then newest first, then by file and line: the same order every run."""
    rows.sort(key=lambda r: (r["kind"] != "line", *_place(r["source"]), r["text"]))
    rows.sort(key=lambda r: r["date"] or "", reverse=True)
    rows.sort(key=lambda r: r["score"], reverse=True)
    return rows


def _place(source: str | None) -> tuple[str, int]:
    file, _, line = (source or "").rpartition(":")
    return (file, int(line)) if line.isdigit() else (source or "", 0)


def check_limit(limit: int) -> int | None:
    """--limit: 0 means every match."""
    if limit < 0:
        raise InputError(f"--limit must be 0 (no limit) or more, not {limit}")
    return limit or None
