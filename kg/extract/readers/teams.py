"""Team sections: `### Platform Team (Emily Watson)` -> Emily LEADS the team.

People who open the bullets of a team section are MEMBER_OF it; `Lead:` and
`Members:` lines inside it say so outright. Under a "Team updates" heading,
sections need not carry the word team: `### Payments — Aiko Tanaka`.
"""

from __future__ import annotations

import re

from ... import vocab as V
from .. import components as C
from ..context import Context, Found
from ..facts import DECLARED, NAME, Ref
from ..lexicon import norm_key
from .prose import team_name

_TEAMS_HEADING = re.compile(r"\bteams?\b", re.IGNORECASE)
_CHILD_TEAM = re.compile(r"^(?P<team>[A-Z][\w&' -]{0,40}?)\s*"
                         r"(?:\((?P<lead>[^)]*)\)|[-–—:|]\s*(?P<lead2>.+))$")
_LEAD_WORDS = re.compile(r"\b(?:lead|leads|led by|manager|em|head|tl)\b\s*:?", re.IGNORECASE)


def read(ctx: Context) -> Found:
    found = Found()
    words = ctx.lex.structure["team_section_words"]
    team_rx = re.compile(
        r"^(?P<team>[A-Z][\w&' -]*?\b(?:" + "|".join(words) + r"))\b\s*"
        r"(?:\((?P<lead>[^)]*)\)|[-–—:|]\s*(?P<lead2>.+))?\s*$", re.IGNORECASE)
    ends_in_word = re.compile(r"\b(?:" + "|".join(words) + r")$", re.IGNORECASE)
    lead_words = ctx.lex.structure["lead_words"]
    index = ctx.prose
    current: Ref | None = None
    container = 0  # level of a "## Team updates" heading whose children are teams
    for ln in ctx.layout.lines:
        if ln.kind == "heading":
            current = None
            if container and ln.level <= container:
                container = 0
            m = team_rx.match(ln.text)
            if not m and container:
                m = _CHILD_TEAM.match(ln.text)
                if m and not ctx.names.split_people(m.group("lead") or m.group("lead2") or ""):
                    m = None
            if not m:
                if _TEAMS_HEADING.search(ln.text):
                    container = ln.level
                continue
            name = m.group("team")
            if not ends_in_word.search(name):
                name += " Team"
            current = Ref(V.TEAM, team_name(name), DECLARED)
            found.mention(current, ln)
            lead = _LEAD_WORDS.sub("", m.group("lead") or m.group("lead2") or "")
            for person in ctx.names.split_people(lead):
                found.fact(V.LEADS, Ref(V.PERSON, person, DECLARED), current, ln)
            continue
        if current is None or not ln.parents or ln.no in ctx.consumed:
            continue
        if ln.key and ln.value and norm_key(ln.key) in lead_words:
            for person in ctx.names.split_people(ln.value):
                found.fact(V.LEADS, Ref(V.PERSON, person, DECLARED), current, ln)
        elif ln.key and ln.value and norm_key(ln.key) in ("members", "member", "team"):
            for person in ctx.names.split_people(ln.value):
                found.fact(V.MEMBER_OF, Ref(V.PERSON, person, DECLARED), current, ln)
        elif ln.kind == "bullet" and index is not None:
            spans = index.on(ln)
            if spans and index.opens_line(spans[0], ln) and spans[0].label_ in (C.PERSON, C.NAME):
                ref = index.ref(spans[0])
                if ref is not None and ref.label in (V.PERSON, NAME):
                    found.fact(V.MEMBER_OF, Ref(V.PERSON, ref.text, ref.strength), current, ln)
    return found
