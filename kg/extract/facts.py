"""What extraction hands to resolution: mentions and facts, each with its line.

These are plain, picklable records so that extraction can run in worker
processes and be cached per file. Nothing here is resolved yet: a `Ref` is a
name as written ("Emily", "TF", "@kwame"), with the label the text suggests.
"""

from __future__ import annotations

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
    status: str
    targets: list[Ref]


@dataclass
class NoteFacts:
    """Everything extraction found in one note."""

    source: str
    title: str
    date: str | None
    location: str | None = None
    people: list[Ref] = field(default_factory=list)  # declared in this note
    initials: dict[str, str] = field(default_factory=dict)  # "TF" -> "Tomás Ferreira"
    mentions: list[tuple[Ref, int]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # evidence text per line
    warnings: list[str] = field(default_factory=list)
