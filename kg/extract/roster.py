"""Which declared person a short written form can mean: the one index for it.

A note declares people (its attendee list, its roster table, its speakers)
with full names and sometimes handles and initials. A first name, surname,
initials or handle written elsewhere means one of them only when exactly one
fits. Extraction asks this inside one note; resolution asks the same index
across the corpus, so both give the same answer for the same people.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .. import vocab as V

_CAMEL_NAME = re.compile(r"^([A-Z][a-z]{2,})[A-Z][a-z]?$")


class ShortFormIndex:
    """Which people a short form can mean: a first name or surname, initials, a handle.

    >>> sorted(ShortFormIndex(["Kwame Mensah", "Kofi Annan"]).candidates("kmensah"))
    ['Kwame Mensah']
    """

    def __init__(self, people: Iterable[str], aliases: dict[str, str] | None = None):
        self._index: dict[tuple[str, str], set[str]] = defaultdict(set)
        for full in people:
            words = full.split()
            if not words:
                continue
            folded = [V.fold(w) for w in words]
            for w in {folded[0], folded[-1]}:
                self._index[("word", w)].add(full)
            camel = _CAMEL_NAME.match(full)
            if camel:  # "JoshG" is Josh G.: "Josh" can mean them
                self._index[("word", V.fold(camel.group(1)))].add(full)
            self._index[("initials", initials(full))].add(full)
            if len(words) >= 2:
                first, last = folded[0], folded[-1]
                for handle in (first[0] + last, first + last[0], first + last):
                    self._index[("handle", handle)].add(full)
        for written, full in (aliases or {}).items():
            self._index[("alias", V.fold(written.lstrip("@")))].add(full)

    def candidates(self, short: str) -> set[str]:
        """Everyone `short` can mean; declared aliases (a handle, "(TF)") win outright."""
        s = V.fold(short.lstrip("@"))
        alias = self._index.get(("alias", s))
        if alias:
            return set(alias)
        found = set(self._index.get(("word", s), ()))
        bare = short.lstrip("@")
        if bare.isupper() and 2 <= len(bare) <= 4:
            found |= self._index.get(("initials", bare), set())
        if bare.islower() or short.startswith("@"):
            found |= self._index.get(("handle", s), set())
        return found


def initials(full: str) -> str:
    """"Tomás Ferreira" -> "TF"; "Cheng H. Lee" -> "CHL"; particles are skipped."""
    return "".join(w[0] for w in full.split() if w[:1].isupper())


class Roster:
    """The people one note declares, and the other forms it gives them."""

    def __init__(self, people: Iterable[str] = (), aliases: dict[str, str] | None = None):
        self.people = tuple(dict.fromkeys(people))
        self.aliases = dict(aliases or {})
        self._folded = {V.fold(p): p for p in self.people}
        self._index = ShortFormIndex(self.people, self.aliases)

    def match(self, written: str) -> set[str]:
        """The declared people `written` can mean (empty when none, several when ambiguous)."""
        text = written.strip()
        full = self._folded.get(V.fold(text.lstrip("@")))
        if full:
            return {full}
        return self._index.candidates(text) if text else set()

    def one(self, written: str) -> str | None:
        hits = self.match(written)
        return next(iter(hits)) if len(hits) == 1 else None

    def __contains__(self, written: str) -> bool:
        return bool(self.match(written))

    def __bool__(self) -> bool:
        return bool(self.people)
