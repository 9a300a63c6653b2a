"""Who said what: speaker labels and transcript turns.

`**Name:** text`, `- Name: text`, `Name: text`, `[00:01] Name: text`,
`Name (00:00:05): text`, `Name  0:04` over a turn, `Joshua (chat): text`,
and the author tags agendas open items with: `(JRG) text`, `[Jenn Bonner] text`.

A label is a speaker when the note declares that person (an attendee, a
handle, initials), or when the label is written like a name and is not a
common word or a field ("Note:", "Decision:", "Date:" are not people).
Speakers attended; author tags only say who wrote the line.
"""

from __future__ import annotations

import re

from ... import vocab as V
from ..context import Context, Found
from ..facts import DECLARED, Ref
from ..layout import Line

_REMARK = re.compile(r"\s*\([^()]*\)\s*$")  # "Joshua (chat)", "Larry (meeting host)"
_AUTHOR_TAG = re.compile(r"^[(\[](?P<tags>[^()\[\]]{1,60})[)\]]\s*[-–—:]?\s+\S")
_ONLY_LINKS = re.compile(r"^\s*(?:<?https?://\S+>?\s*)+$")  # "**Recording**: https://…" is a field
_SKIP = ("frontmatter", "code", "blank", "table_header", "table_sep", "rule", "heading")


def read(ctx: Context) -> Found:
    found = Found()
    for ln in ctx.layout.lines:
        if ln.kind in _SKIP or ln.no in ctx.consumed or ctx.in_actions(ln):
            continue  # "Nina Patel: split the epic" under "Action items" names an owner
        if ln.kind == "turn" or ln.stamped:
            name = ln.stamped
            if _is_speaker(ctx, name, stamped=True):
                _speaks(ctx, found, name, ln, attended=True)
        elif ln.turn:
            found.speakers[ln.no] = ln.turn
        elif ln.key is not None and ln.value and ln.kind in ("text", "bullet", "label") \
                and not _ONLY_LINKS.match(ln.value):
            name = _REMARK.sub("", ln.key).strip()
            if _is_speaker(ctx, name):
                _speaks(ctx, found, name, ln, attended=True)
        else:
            tag = _AUTHOR_TAG.match(ln.text)
            if tag:
                names = ctx.names.split(tag.group("tags"))
                if names and all(ctx.roster.match(n) for n in names):
                    found.speakers[ln.no] = names[0]
    return found


def _speaks(ctx: Context, found: Found, name: str, ln: Line, attended: bool) -> None:
    name = name.lstrip("@")
    found.speakers[ln.no] = name
    ref = Ref(V.PERSON, name, DECLARED)
    found.mention(ref, ln)
    if attended:
        found.fact(V.ATTENDED, ref, ctx.meeting(ln.no), ln)


def _is_speaker(ctx: Context, name: str | None, stamped: bool = False) -> bool:
    if not name:
        return False
    lex = ctx.lex
    if lex.meta_field(name) or lex.is_action_prefix(name) or lex.person_list(name) \
            or lex.decision_kind(name) or lex.is_action_section(name):
        return False
    if stamped:
        return ctx.names.person_name(name, declared=True)
    return ctx.names.in_slot(name, ctx.roster)
