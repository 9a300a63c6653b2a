"""Who was at the meeting, and who else the note lists: attendee lists in every shape.

- `Attendees: a, b` / `Present: …` / `**Participants:** …` lines, front matter;
- a heading or label naming a list of people ("## Attendance", "Other Attendees",
  "Roll call", "- **Attendees:**" over a nested list) and the list under it:
  bullets, numbered entries, one name per line, a checkbox roster
  (`[x]` present, `[ ]` absent), or a table (`| Name | Initials | GitHub |`);
- `Apologies` / `Absent` / `Regrets` lists: people, not attendees;
- hosts, chairs, facilitators and note takers: people, and attendees.

A list entry is a person because the list says so, whatever the name looks like.
When a note has both an attendance list and a list of invitees or participants,
only the attendance list says who attended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ... import vocab as V
from ..context import Context, Found
from ..facts import CUE, Ref
from ..layout import Line
from ..lexicon import norm_key
from ..names import Entry
from .fields import fields

_PERSON_FIELDS = ("attendees", "members", "absent", "host", "notetaker")
#: "(Platform lead)", "(lead, Platform)", "(EM, Payments team)" in an attendee list
_LEAD_NOTE = re.compile(r"^(?:(?:tech |team )?lead|em|manager|head)?\s*,?\s*(?:of\s+)?"
                        r"([a-z][\w&-]*(?: [a-z][\w&-]*)?) (?:team )?(?:lead|tl|em|manager)$"
                        r"|^(?:lead|tl|em|manager|head)(?: of|,)? (?:the )?([a-z][\w&-]*) team$")


@dataclass(frozen=True)
class _Listed:
    field: str
    text: str
    line: Line
    key: str | None = None  # the label it was listed under ("Incident commander")
    one_entry: bool = True  # a roster line is one person; a label's value is a list
    present: bool | None = None  # a checkbox roster's mark, or a table's presence column
    initials: str | None = None  # from a roster table's columns
    handle: str | None = None


def read(ctx: Context) -> Found:
    found = Found()
    listed = list(_listed(ctx))
    has_attendance = any(x.field == "attendees" for x in listed)
    absent: set[str] = set()
    entries: list[tuple[_Listed, Entry]] = []
    for x in listed:
        mailto = tuple(t for t, url in x.line.links if url.startswith("mailto:") and t)
        parts = [x.text] if x.one_entry else ctx.names.split(x.text)
        if mailto and not x.one_entry:
            parts = list(mailto)  # "Attendees: [Ana](mailto:…) [Bo](mailto:…)": the chips
        for part in parts:
            entry = ctx.names.entry(part, mailto if x.one_entry else ())
            if entry is None:
                continue
            entries.append((x, entry))
            if x.field == "absent" or x.present is False:
                absent.add(entry.name.casefold())
        found.consumed.add(x.line.no)
    host_words = {norm_key(w) for w in ctx.lex.structure["meta_keys"]["host"]} | {"chair"}
    owns_incident = {norm_key(w) for w in ctx.lex.structure["host_owns_incident"]}
    for x, entry in entries:
        person = found.person(entry.name, x.line)
        for alias in (x.handle or entry.handle, x.initials or entry.initials, entry.nickname):
            if alias and alias != entry.name:
                found.aliases.setdefault(alias, entry.name)
        if x.field == "absent" or entry.name.casefold() in absent:
            continue
        attended = x.field in ("attendees", "host", "notetaker") or (
            x.field == "members" and not has_attendance)
        if x.present is False or not attended:
            continue
        meeting = ctx.meeting(x.line.no)
        found.fact(V.ATTENDED, person, meeting, x.line)
        notes = [norm_key(n) for n in entry.notes]
        if x.field == "host" or any(n in host_words or n.split(" ")[0] in host_words
                                    for n in notes):
            found.fact(V.HOSTED, person, meeting, x.line)
            if x.key and norm_key(x.key) in owns_incident:
                for incident in ctx.note_incidents():
                    found.fact(V.OWNS, person, incident, x.line)
        for note in notes:
            lead = _LEAD_NOTE.match(note)
            if lead and (lead.group(1) or lead.group(2)):
                team = _team_name((lead.group(1) or lead.group(2)) + " team")
                found.fact(V.LEADS, person, Ref(V.TEAM, team, CUE), x.line)
    return found


def _listed(ctx: Context):
    """Every person entry the note lists, with the kind of list it is in."""
    lex, layout = ctx.lex, ctx.layout
    fm = layout.front_matter
    for key, value in fm.items():
        field = lex.meta_field(key)
        if field in _PERSON_FIELDS:
            for v in value if isinstance(value, list) else [value]:
                yield _Listed(field, str(v), layout.lines[0], key, one_entry=False)
    for ln in layout.lines:
        if ln.kind in ("frontmatter", "code", "blank", "table_sep") or ctx.in_future(ln):
            continue
        if ln.key is not None and ln.value:
            field = lex.person_list(ln.key)
            if field and not ctx.in_actions(ln):
                yield _Listed(field, ln.value, ln, ln.key, one_entry=False)
                continue
        if ln.key is None:
            for field, value in fields(ln, lex):
                if field in _PERSON_FIELDS:
                    yield _Listed(field, value, ln, field, one_entry=False)
        opener = _opener_field(ctx, ln)
        if opener:
            yield from _list_under(ctx, ln, opener)
    for table in layout.tables:
        if table.rows and _roster_table(ctx, table) and not any(
                _opener_field(ctx, p) for p in ctx.layout.scope(table.rows[0])):
            yield from _table_entries(ctx, table, "attendees")


def _opener_field(ctx: Context, ln: Line) -> str | None:
    """The kind of people list a heading, label or bullet label opens, if any."""
    if ln.kind in ("heading", "label") or (ln.kind == "bullet" and ln.key and not ln.value):
        if ln.value:  # "### Facilitator: Noor Haddad" is a field, read above
            return None
        # Only lists of attendance open a list: "## Minutes" is no list of note takers.
        field = ctx.lex.person_list(ln.key or ln.text)
        return field if field in ("attendees", "members", "absent") else None
    return None


def _list_under(ctx: Context, opener: Line, field: str):
    """The entries of the list a heading or label opens: bullets, lines, a table."""
    layout = ctx.layout
    lines = layout.within(opener)
    if opener.kind == "label":
        lines = _until_gap(lines)
    bullets = [ln for ln in lines if ln.kind == "bullet"]
    top = min((b.level for b in bullets), default=0)
    for ln in lines:
        if ln.kind == "bullet" and ln.level == top:
            if ln.key is not None and ln.value and ctx.lex.person_list(ln.key):
                continue  # "- Facilitator: Noor" inside the list: read as a field
            present = None if ln.checkbox is None else ln.checkbox == "done"
            yield _Listed(field, ln.text, ln, present=present)
        elif ln.kind == "text" and not ln.stamped and not ln.turn and ln.key is None \
                and ln.parents and ln.parents[-1] == opener.no:
            names = ctx.names.split(ln.text)
            if names and all(ctx.names.entry(n) for n in names):
                yield _Listed(field, ln.text, ln, one_entry=False)
    for table in layout.tables:
        if table.rows and opener.no in table.rows[0].parents:
            yield from _table_entries(ctx, table, field)


def _until_gap(lines: list[Line]) -> list[Line]:
    """A bare label's list runs to the first blank line after an entry."""
    out: list[Line] = []
    for ln in lines:
        if ln.kind == "blank":
            if any(x.kind != "blank" for x in out):
                break
            continue
        out.append(ln)
    return out


def _table_entries(ctx: Context, table, field: str):
    roles = {h: _person_column(ctx, h) for h in table.header}
    name_col = next((h for h, r in roles.items() if r == "name"), table.header[0])
    for row in table.rows:
        name = row.cell(name_col)
        if not name:
            continue
        cells = {r: row.cell(h) for h, r in roles.items() if r}
        present = None
        if "presence" in cells:
            mark = norm_key(cells["presence"])
            present = mark in ctx.lex.structure["done_words"] or mark in ("y", "present")
        handle = cells.get("handle", "").lstrip("@") or None
        if handle and ("@" in handle or " " in handle):
            handle = None  # an e-mail address or a note, not a handle
        yield _Listed(field, name, row, present=present, initials=cells.get("initials") or None,
                      handle=handle)


def _roster_table(ctx: Context, table) -> bool:
    """A table of people wherever it stands: a name column and initials, handles or presence,
    and no column of tasks."""
    roles = {_person_column(ctx, h) for h in table.header}
    return "name" in roles and bool(roles & {"initials", "handle", "presence"}) and not any(
        ctx.lex.column_role(h) in ("item", "owner") for h in table.header)


def _person_column(ctx: Context, header: str) -> str | None:
    h = norm_key(header)
    for role, names in ctx.lex.structure["person_columns"].items():
        if h in names:
            return role
    return None


def _team_name(text: str) -> str:
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())
