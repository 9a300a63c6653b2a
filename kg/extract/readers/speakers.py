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
from collections import Counter

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
    labelled: list[tuple[Line, str]] = []  # "Name: text" lines, judged together below
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
                labelled.append((ln, name))
        else:
            tag = _AUTHOR_TAG.match(ln.text)
            if tag:
                names = ctx.names.split(tag.group("tags"))
                if names and all(ctx.roster.match(n) for n in names):
                    found.speakers[ln.no] = names[0]
    # A label the note does not declare and that is no given name ("Kubernetes:",
    # "Quillfeather:") is a speaker only where the note is a dialogue: the label
    # comes back, or other people speak in it too.
    sure = {name for _ln, name in labelled if _known(ctx, name)}
    counts = Counter(name for _ln, name in labelled)
    for ln, name in labelled:
        if name in sure or counts[name] >= 2 or len(sure) >= 2:
            _speaks(ctx, found, name, ln, attended=True)
    return found


def _known(ctx: Context, name: str) -> bool:
    """Declared by the note, a given name, or a full name that starts with one."""
    words = name.lstrip("@").split()
    return bool(ctx.roster.match(name)) or words[0] in ctx.lex.first_names or name.islower()


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
    # A label is judged as a name here; whether an unknown one speaks is decided above.
    return ctx.names.person_name(name, declared=True) and (
        bool(ctx.roster.match(name)) or ctx.names.in_slot(name, ctx.roster)
        or len(name.split()) == 1)
