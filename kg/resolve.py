"""Entity resolution: turn names as written into one node per real thing.

Rules, in order, each one explainable:
1. Full names are compared case- and accent-insensitively; nothing else is fuzzy.
   "David Kim" and "Daniel Kim" never meet, because no rule merges on a shared part.
2. A first name, surname, initials or handle is resolved inside its own note
   first (the attendee list, "Tomás Ferreira (TF)"), then across the corpus,
   and only when exactly one person fits. An ambiguous "Kim" links to nobody.
3. An alias file can force a merge or forbid one.
4. An untyped capitalised name gets the strongest type any note gives it
   ("INC-7 at GlobalBank" makes GlobalBank a customer everywhere).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import vocab as V
from .aliases import ALIAS_FILE, Aliases  # noqa: F401 - kg.resolve.Aliases stays importable
from .extract.facts import CUE, DECLARED, GUESS, NAME, NoteFacts, Ref
from .extract.lexicon import load
from .extract.roster import ShortFormIndex

#: Priority between labels an equally strong cue could give one name.
_TYPE_ORDER = (V.CUSTOMER, V.TEAM, V.PRODUCT, V.ROLE)
_NOBODY = object()


@dataclass
class Resolver:
    """Maps each Ref, in the note it was written in, to a node (label, name) or None."""

    notes: list[NoteFacts]
    aliases: Aliases = field(default_factory=Aliases)
    persons: dict[str, str] = field(default_factory=dict)  # fold(full name) -> canonical
    person_forms: dict[str, Counter] = field(default_factory=dict)
    # fold(name) -> (strength, label, name as written)
    types: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _forced: dict[str, str] = field(default_factory=dict)
    _declared_cache: dict[str, set[str]] = field(default_factory=dict)
    _alias_cache: dict[str, dict[str, str]] = field(default_factory=dict)
    _single_cache: dict[str, set[str]] = field(default_factory=dict)
    _warned: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.first_names = load().first_names
        self._collect_people()
        self._short_index = ShortFormIndex(sorted(set(self.persons.values())))
        self._by_first_word: dict[str, list[str]] = defaultdict(list)
        for k in sorted(self.persons):
            self._by_first_word[k.split(" ", 1)[0]].append(k)
        self._collect_types()

    # -- people -----------------------------------------------------------------
    def _person_refs(self):
        for note in self.notes:
            yield from ((r, note) for r in note.people)
            yield from ((r, note) for r, _ in note.mentions if r.label in (V.PERSON, NAME))
            for f in note.facts:
                yield from ((r, note) for r in (f.subj, f.obj) if r.label == V.PERSON)
            for item in note.items:
                yield from ((r, note) for r in item.owners)
            for dec in note.decisions:
                yield from ((r, note) for r in dec.proposers + dec.seconders + dec.objectors)

    def _collect_people(self) -> None:
        forms: dict[str, Counter] = defaultdict(Counter)
        strength: dict[str, int] = {}
        for canonical, written in self.aliases.people.items():
            forms[V.fold(canonical)][canonical] += 1000
            for w in written:
                self._forced[V.fold(w.lstrip("@"))] = V.fold(canonical)
        for ref, _note in self._person_refs():
            text = clean_person(ref.text)
            words = text.split()
            if len(words) < 2 or ref.label != V.PERSON or self._forced.get(V.fold(text)):
                continue
            if ref.strength >= CUE or (words[0] in self.first_names and len(words) == 2):
                forms[V.fold(text)][text] += 1
                strength[V.fold(text)] = max(strength.get(V.fold(text), 0), ref.strength)
        sure = {k for k in forms if strength.get(k, 1000) >= CUE}
        sure_prefixes = {p for k in sure for p in _word_prefixes(k)}
        for key in [k for k in forms if strength.get(k, 1000) < CUE]:
            # A guessed name that is part of a surer one ("Mary Anne" of "Mary Anne Smith"),
            # or a surer one plus a word ("Emily Watson Updates"). Linear: prefixes are indexed.
            if key in sure_prefixes or any(p in sure for p in _word_prefixes(key)):
                del forms[key]
        for key, counter in forms.items():
            # Prefer the spelling with accents, then the most frequent, then the first.
            best = sorted(counter.items(), key=lambda kv: (-_accents(kv[0]), -kv[1], kv[0]))[0][0]
            self.persons[key] = best
            self.person_forms[key] = counter

    def person(self, ref: Ref, note: NoteFacts) -> str | None:
        """The canonical name of the person `ref` names in `note`, or None."""
        text = clean_person(ref.text)
        if not text:
            return None
        key = V.fold(text)
        if key in self._forced:
            return self.persons.get(self._forced[key])
        if key in self.persons:
            return self.persons[key]
        words = text.split()
        if ref.label == NAME and len(words) < 2:
            return None
        if len(words) == 1 and key in self._declared_single(note):
            # A roster that lists "JP" or "pnkfelix" declares that person by that name.
            found = self._short_form(text, note)
            return text if found is _NOBODY else found
        if len(words) >= 2:
            if ref.strength < DECLARED:
                # Prose runs can overshoot ("Emily Watson Updates") or stop short
                # ("Mary Anne" of "Mary Anne Smith"): take a known person when one fits.
                near = self._known_extension(key)
                if near:
                    return near
            if ref.label == V.PERSON and (ref.strength >= CUE or (
                    words[0] in self.first_names and len(words) == 2)):
                return text
            return None
        found = self._short_form(text, note)
        if found is not _NOBODY:
            return found  # a person, or None when several fit
        if ref.strength >= DECLARED and not text.isupper() and (
                text[:1].isupper() or _HANDLE.match(text)):
            return text  # a person only ever written by one name ("Quinn", "pnkfelix")
        return None

    def _known_extension(self, key: str) -> str | None:
        # Only names sharing the first word can extend each other.
        first = key.split(" ", 1)[0]
        hits = {self.persons[k] for k in self._by_first_word.get(first, ())
                if k.startswith(key + " ") or key.startswith(k + " ")}
        return hits.pop() if len(hits) == 1 else None

    def _short_form(self, text: str, note: NoteFacts) -> str | None | object:
        """Resolve a first name, surname, initials or handle: note first, then corpus.

        Returns the person, None when several people fit, or _NOBODY when none does.
        """
        declared = self._aliases_of(note).get(V.fold(text))
        if declared:
            return self.persons.get(V.fold(declared), declared)
        forbidden = {V.fold(x) for x in self.aliases.never.get(V.fold(text), [])}
        everyone = {p for p in self._short_index.candidates(text) if V.fold(p) not in forbidden}
        local = everyone & self._declared(note)
        # Initials only mean someone where the note's own people give them meaning.
        for hits in ((local,) if text.isupper() else (local, everyone)):
            if len(hits) == 1:
                return next(iter(hits))
            if len(hits) > 1:
                self._ambiguous(note, text, hits)
                return None
        return _NOBODY

    def _ambiguous(self, note: NoteFacts, text: str, hits: set[str]) -> None:
        """One warning per name and note, naming a few of the people it could be."""
        key = (note.source, text)
        if key in self._warned:
            return
        self._warned.add(key)
        shown = sorted(hits)[:_MAX_SHOWN]
        more = f" (and {len(hits) - len(shown)} more)" if len(hits) > len(shown) else ""
        self.warnings.append(f"{note.source}: {text!r} could be {' or '.join(shown)}{more}; "
                             "linked to none of them")

    def _aliases_of(self, note: NoteFacts) -> dict[str, str]:
        """The note's own short forms ("TF", "praman") by their folded form."""
        cached = self._alias_cache.get(note.source)
        if cached is None:
            cached = {V.fold(k.lstrip("@")): v for k, v in note.aliases.items()}
            self._alias_cache[note.source] = cached
        return cached

    def _declared_single(self, note: NoteFacts) -> set[str]:
        """One-word names a roster of the note lists ("JP", "CRob", "pnkfelix")."""
        cached = self._single_cache.get(note.source)
        if cached is None:
            cached = {V.fold(clean_person(r.text)) for r in note.people
                      if len(r.text.split()) == 1}
            self._single_cache[note.source] = cached
        return cached

    def _declared(self, note: NoteFacts) -> set[str]:
        """The known people a note declares (attendees, hosts), by canonical name."""
        cached = self._declared_cache.get(note.source)
        if cached is None:
            keys = {V.fold(clean_person(r.text)) for r in note.people}
            cached = {self.persons[k] for k in keys if k in self.persons}
            self._declared_cache[note.source] = cached
        return cached

    # -- other entities -----------------------------------------------------------
    def _collect_types(self) -> None:
        for name, label in self.aliases.entities.items():
            self.types[V.fold(name)] = (99, label, name)
        for note in self.notes:
            refs = [r for r, _ in note.mentions] + [x for f in note.facts for x in (f.subj, f.obj)]
            refs += [t for item in note.items for t in item.targets]
            refs += [o for item in note.items for o in item.owners if o.label != V.PERSON]
            refs += [t for dec in note.decisions for t in dec.targets]
            for ref in refs:
                if ref.label in _TYPE_ORDER:
                    key = _entity_key(ref.label, ref.text)
                    rank = (ref.strength, -_TYPE_ORDER.index(ref.label))
                    old = self.types.get(key)
                    if old is None or rank > (old[0], -_TYPE_ORDER.index(old[1])):
                        self.types[key] = (ref.strength, ref.label, ref.text)

    def entity(self, ref: Ref, note: NoteFacts) -> tuple[str, str] | None:
        """The (label, name) node a Ref names, or None when it names nothing known."""
        if ref.label in V.KEYED_LABELS:
            return ref.label, note.key_aliases.get(ref.text, ref.text)
        if ref.label == V.MEETING:
            return V.MEETING, ref.text
        if ref.label == V.PERSON:
            name = self.person(ref, note)
            return (V.PERSON, name) if name else None
        if ref.label == NAME:
            name = self.person(ref, note) if V.fold(ref.text) in self.persons else None
            if name:
                return V.PERSON, name
        key = _entity_key(ref.label, ref.text)
        typed = self.types.get(key) or self.types.get(_entity_key(V.TEAM, ref.text + " Team"))
        if typed is None:
            return None
        strength, label, name = typed
        if (ref.label == NAME or ref.strength == GUESS and label == V.CUSTOMER) and strength < CUE:
            return None  # a bare name, or "at Berlin", is a customer only if a cue says so
        return label, _display(label, name)


@lru_cache(maxsize=1 << 16)
def clean_person(text: str) -> str:
    """A person's name without handle marks, wiki brackets or a possessive."""
    text = text.strip().lstrip("@").strip()
    text = _WIKI_BRACKETS.sub("", text)
    text = _POSSESSIVE.sub("", text).strip()
    if "." in text and " " not in text and text.islower():
        text = " ".join(p.capitalize() for p in re.split(r"[._]", text) if p)
    return " ".join(text.split())


_MAX_SHOWN = 5
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,}$")


def _word_prefixes(key: str) -> list[str]:
    """"mary anne smith" -> ["mary", "mary anne"]: the shorter names it extends."""
    words = key.split(" ")
    return [" ".join(words[:i]) for i in range(1, len(words))]


_WIKI_BRACKETS = re.compile(r"^\[\[|\]\]$")
_POSSESSIVE = re.compile(r"['’]s?$")


def _accents(text: str) -> int:
    return sum(1 for c in text if ord(c) > 127)


@lru_cache(maxsize=1 << 16)
def _entity_key(label: str, text: str) -> str:
    key = V.fold(text)
    return _TEAM_SUFFIX.sub("", key) + (" team" if label == V.TEAM else "")


_TEAM_SUFFIX = re.compile(r"\s+team$")


def _display(label: str, name: str) -> str:
    if label == V.TEAM and not re.search(r"\bteam$", name, re.IGNORECASE):
        return name
    if label == V.TEAM:
        return re.sub(r"\bteam$", "Team", name)
    return name


