"""What extraction hands to resolution: mentions and facts, each with its line.

These are plain records of plain values, so that extraction can run in worker
processes and be cached per file. Nothing here is resolved yet: a `Ref` is a
name as written ("Emily", "TF", "@kwame"), with the label the text suggests.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

#: A capitalised name whose label is not yet known; resolution types it or drops it.
NAME = "Name"

#: How sure extraction is of a Ref's label. Resolution keeps the strongest.
GUESS, CUE, DECLARED = 0, 1, 2


@dataclass(frozen=True)
class Ref:
    label: str
    text: str
    strength: int = GUESS


@dataclass(frozen=True)
class Fact:
    rel: str
    subj: Ref
    obj: Ref
    line: int


@dataclass
class Item:
    line: int
    text: str
    owners: list[Ref]
    due: str | None
    status: str  # open, done, blocked or dropped, as this line states it
    targets: list[Ref]
    ref: str | None = None  # the note's own id for the action ("AI-7", "14.3")
    also: list[int] = field(default_factory=list)  # other lines that state the same action
    #: The line restates an action of an earlier meeting ("Review of last week's actions",
    #: "Bo takes over the sizing guide"): it updates that action and never makes a new one.
    update: bool = False
    shift_days: int | None = None  # "slipped a week": the due date stated before moves
    former_owners: list[Ref] = field(default_factory=list)  # "… from Rachel"


@dataclass
class Decision:
    line: int
    text: str
    kind: str  # decision, agreement, resolution, consensus, conclusion, vote
    targets: list[Ref]  # what it is about
    proposers: list[Ref] = field(default_factory=list)
    seconders: list[Ref] = field(default_factory=list)
    objectors: list[Ref] = field(default_factory=list)
    undoes: str | None = None  # "reversed" or "superseded": it says it undoes an earlier one
    also: list[int] = field(default_factory=list)  # other lines of the same decision


@dataclass(frozen=True)
class MeetingPart:
    """One meeting a file records: most files hold one, a running notes file several."""

    key: str  # the Meeting node's key: the source, or "source#date" for a dated section
    title: str
    date: str | None
    line: int  # first line of its part of the file
    location: str | None = None


@dataclass
class NoteFacts:
    """Everything extraction found in one note."""

    source: str
    title: str
    date: str | None
    location: str | None = None
    people: list[Ref] = field(default_factory=list)  # declared in this note
    aliases: dict[str, str] = field(default_factory=dict)  # "TF", "praman" -> declared full name
    key_aliases: dict[str, str] = field(default_factory=dict)  # "#12" -> "acme/web#12"
    meetings: list[MeetingPart] = field(default_factory=list)  # empty: one, the whole file
    mentions: list[tuple[Ref, int]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # evidence text per line
    warnings: list[str] = field(default_factory=list)

    def parts(self) -> list[MeetingPart]:
        """The meetings of this file, in order; one covering the file when it has no sections."""
        return self.meetings or [MeetingPart(self.source, self.title, self.date, 1, self.location)]

    def meeting_at(self, line: int) -> MeetingPart:
        if not self.meetings:  # most files: one meeting, made once (not a dataclass field)
            whole = self.__dict__.get("_whole")
            if whole is None:
                whole = self.__dict__["_whole"] = self.parts()[0]
            return whole
        k = bisect_right([p.line for p in self.meetings], line) - 1
        return self.meetings[max(k, 0)]
