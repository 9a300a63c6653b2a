"""What the readers of one note share, and what each hands back.

Extraction is a row of readers (header, attendees, speakers, prose, tables,
teams, items). Each takes the immutable `Context` (the layout, the word
lists, what earlier readers found: declared people, speakers, the meeting
date) and returns a `Found`: the facts it read and the lines it consumed.
A new note style is one more reader; none of them changes another's state.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .. import vocab as V
from ..notes import Note
from .dates import to_date
from .facts import DECLARED, Decision, Fact, Item, MeetingPart, NoteFacts, Ref
from .layout import Layout, Line
from .lexicon import Lexicon
from .names import Names
from .roster import Roster


@dataclass
class Found:
    """What one reader found in a note."""

    people: list[Ref] = field(default_factory=list)  # declared by the note
    aliases: dict[str, str] = field(default_factory=dict)  # other written form -> full name
    facts: list[Fact] = field(default_factory=list)
    mentions: list[tuple[Ref, int]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # lines no later reader should read
    speakers: dict[int, str] = field(default_factory=dict)  # line -> who said it
    evidence: dict[int, str] = field(default_factory=dict)  # line -> text, when not the line
    key_aliases: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)  # title, date, location, meetings
    prose: object | None = None  # the prose reader's index of mentions per line

    def fact(self, rel: str, subj: Ref, obj: Ref, ln: Line | int) -> None:
        self.facts.append(Fact(rel, subj, obj, ln if isinstance(ln, int) else ln.no))

    def mention(self, ref: Ref, ln: Line | int) -> None:
        self.mentions.append((ref, ln if isinstance(ln, int) else ln.no))

    def person(self, name: str, ln: Line | int) -> Ref:
        """Declare a person the note names in a slot that says "a person goes here"."""
        ref = Ref(V.PERSON, name, DECLARED)
        self.people.append(ref)
        self.mention(ref, ln)
        return ref


@dataclass(frozen=True)
class Context:
    note: Note
    layout: Layout
    lex: Lexicon
    names: Names
    nlp: object
    title: str = ""
    date: str | None = None
    meetings: tuple[MeetingPart, ...] = ()
    roster: Roster = field(default_factory=Roster)
    speakers: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    consumed: frozenset[int] = frozenset()
    prose: object | None = None
    #: Answers that depend only on a line's enclosing lines, per (question, parents).
    _scope_cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def source(self) -> str:
        return self.note.source

    def part(self, line: int) -> MeetingPart:
        """The meeting part of the file that `line` belongs to."""
        k = bisect_right([p.line for p in self.meetings], line) - 1
        return self.meetings[max(k, 0)]

    def meeting(self, line: int) -> Ref:
        """The Meeting a line belongs to (a running notes file holds several)."""
        return Ref(V.MEETING, self.part(line).key, DECLARED) if self.meetings else Ref(
            V.MEETING, self.source, DECLARED)

    def ref_date(self, line: int) -> dt.date | None:
        """The date relative dates on `line` count from: its meeting's."""
        return to_date(self.part(line).date if self.meetings else self.date)

    def keys(self, text: str) -> list[Ref]:
        """The tracker keys written in `text`, as Ticket or Incident Refs."""
        prefixes = self.nlp.get_pipe("kg_mentions").incident_prefixes
        return [Ref(V.INCIDENT if incident else V.TICKET, key, DECLARED)
                for _s, _e, key, incident in self.lex.keys.find(text, prefixes)]

    def note_incidents(self, title: str | None = None) -> list[Ref]:
        """The incidents a note is about: those its title names ("Postmortem: INC-7")."""
        return [r for r in self.keys(self.title if title is None else title)
                if r.label == V.INCIDENT]

    def openers(self, ln: Line) -> list[Line]:
        """The headings, labels and bullet labels ("- **Actions:**") around `ln`, innermost
        first."""
        return [p for p in self.layout.scope(ln)
                if p.kind in ("heading", "label") or p.key is not None and not p.value]

    def in_actions(self, ln: Line) -> bool:
        """Is `ln` inside an action-items section?"""
        return self._under("actions", ln, self.lex.is_action_section)

    def in_review(self, ln: Line) -> bool:
        """Is `ln` inside a review of earlier actions ("Review of last week's actions")?"""
        return self._under("review", ln, self.lex.is_review_section)

    def in_future(self, ln: Line) -> bool:
        """Is `ln` about a later meeting ("Roles for next meeting", "Next meeting")?"""
        return self._under("future", ln,
                           lambda title: self.lex.mentions_any(title, "future_section_words"))

    def _under(self, kind: str, ln: Line, opens: Callable[[str], bool]) -> bool:
        # Lines under the same openers share the answer: cached per parents tuple.
        key = (kind, ln.parents)
        if key not in self._scope_cache:
            self._scope_cache[key] = any(opens(p.key or p.text) for p in self.openers(ln))
        return self._scope_cache[key]

    def with_found(self, found: Found) -> Context:
        people = list(self.roster.people) + [r.text for r in found.people]
        aliases = {**self.roster.aliases, **found.aliases}
        changes: dict[str, object] = {
            "consumed": self.consumed | found.consumed,
            "speakers": MappingProxyType({**self.speakers, **found.speakers}),
        }
        if found.people or found.aliases:
            changes["roster"] = Roster(people, aliases)
        for key in ("title", "date"):
            if key in found.meta:
                changes[key] = found.meta[key]
        if "meetings" in found.meta:
            changes["meetings"] = tuple(found.meta["meetings"])
        if found.prose is not None:
            changes["prose"] = found.prose
        return replace(self, **changes)


def collect(out: NoteFacts, found: Found) -> None:
    """Add what a reader found to the note's facts."""
    out.people += found.people
    for written, full in found.aliases.items():
        out.aliases.setdefault(written, full)
    out.key_aliases.update(found.key_aliases)
    out.mentions += found.mentions
    out.facts += found.facts
    out.items += found.items
    out.decisions += found.decisions
    out.warnings += found.warnings
    for line, text in found.evidence.items():
        out.lines.setdefault(line, text)
    meta = found.meta
    if "title" in meta:
        out.title = meta["title"]
    if "date" in meta:
        out.date = meta["date"]
    if "location" in meta:
        out.location = meta["location"]
    if "meetings" in meta:
        out.meetings = list(meta["meetings"])
