"""The header of a note: its title, date and place, and the meetings a file holds.

A running notes file with dated sections ("## 2024-03-05", "### March 12
meeting") holds one meeting per section, each with its own date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from ... import vocab as V
from ..context import Context, Found
from ..dates import find_dates, parse_date, to_date
from ..facts import DECLARED, MeetingPart, Ref
from ..layout import Line, clean_inline
from .fields import fields

_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_PAREN = re.compile(r"\(([^)]*)\)")
#: Words a dated section heading may carry besides its date ("Weekly sync, March 12").
_SECTION_FILLER = frozenset(
    "meeting meetings notes note sync call minutes standup stand-up session weekly daily "
    "the of on at for and - – — , : mon tue wed thu fri sat sun monday tuesday wednesday "
    "thursday friday saturday sunday".split())


def read(ctx: Context) -> Found:
    found = Found()
    lines = ctx.layout.lines
    meta: dict[str, list[tuple[str, Line]]] = {}
    fm = ctx.layout.front_matter
    for key, value in fm.items():
        field = ctx.lex.meta_field(key)
        if field:
            values = value if isinstance(value, list) else [value]
            meta.setdefault(field, []).extend((str(v), lines[0]) for v in values)
    for ln in lines:
        if ln.kind in ("frontmatter", "code", "blank"):
            continue
        if ctx.in_actions(ln) or ctx.in_future(ln):
            continue
        for field, value in fields(ln, ctx.lex):
            meta.setdefault(field, []).append((value, ln))
    first = next((ln for ln in lines if ln.kind not in ("frontmatter", "blank")), lines[0])
    title = _title(ctx, fm, first)
    date = _date(ctx, meta, title)
    found.meta["title"], found.meta["date"] = title, date
    if date is None:
        found.warnings.append("no meeting date found; dates without a year are left empty")
    if meta.get("location"):
        found.meta["location"] = meta["location"][0][0]
    parts = _dated_sections(ctx, title, date)
    found.meta["meetings"] = parts or [MeetingPart(ctx.source, title, date, 1,
                                                   found.meta.get("location"))]
    _incident_fields(ctx, meta, title, found)
    return found


def _title(ctx: Context, fm: dict, first: Line) -> str:
    fm_title = fm.get("title")
    if isinstance(fm_title, str) and fm_title and not _only_a_date(fm_title):
        return fm_title
    heading = next((ln for ln in ctx.layout.lines if ln.kind == "heading"), None)
    if heading is not None and (heading.level == 1 or heading is first):
        return heading.text
    if first.kind in ("text", "label") and not first.stamped and len(first.text) < 120:
        return re.sub(r"\s*[-–—|:,]\s*$", "", _strip_dates(first.text)) or first.text
    if heading is not None:
        return heading.text
    if isinstance(fm_title, str) and fm_title:
        return fm_title
    return PurePosixPath(ctx.source).stem.replace("-", " ").replace("_", " ")


def _date(ctx: Context, meta: dict, title: str) -> str | None:
    for value, _ in meta.get("date", []):
        iso = parse_date(value)
        if iso:
            return iso
    iso = parse_date(title)
    if iso:
        return iso
    m = _FILE_DATE.search(PurePosixPath(ctx.source).name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            pass
    for key, value in ctx.layout.front_matter.items():
        if key in ("title",) and isinstance(value, str):
            iso = parse_date(value)
            if iso:
                return iso
    for ln in ctx.layout.lines[:8]:
        iso = parse_date(ln.text)
        if iso:
            return iso
    return None


def _only_a_date(text: str) -> bool:
    dates = find_dates(text, None)
    return bool(dates) and not _strip_dates(text).strip(" -–—,.:")


def _strip_dates(text: str) -> str:
    for d in reversed(find_dates(text, None)):
        text = text[: d.start] + text[d.end:]
    return re.sub(r"\s+", " ", text).strip()


def _dated_sections(ctx: Context, title: str, date: str | None) -> list[MeetingPart]:
    """One meeting per dated heading, when two or more headings of one level are dates."""
    ref = to_date(date)
    by_level: dict[int, list[tuple[Line, str]]] = {}
    for ln in ctx.layout.lines:
        if ln.kind != "heading" or ln.text == title:
            continue
        dates = find_dates(ln.text, ref)
        if len(dates) != 1 or not dates[0].iso:
            continue
        rest = (ln.text[:dates[0].start] + " " + ln.text[dates[0].end:]).casefold()
        words = [w for w in re.findall(r"[\w-]+|[,:–—]", rest) if w not in _SECTION_FILLER]
        if len(words) <= 1:
            by_level.setdefault(ln.level, []).append((ln, dates[0].iso))
    candidates = [v for v in by_level.values() if len(v) >= 2]
    if not candidates:
        return []
    sections = min(candidates, key=lambda v: v[0][0].level)
    parts, seen = [], set()
    for ln, iso in sections:
        key = f"{ctx.source}#{iso}"
        if key in seen:
            key = f"{key}@{ln.no}"
        seen.add(key)
        parts.append(MeetingPart(key, f"{title} ({iso})" if title else iso, iso, ln.no))
    # Lines above the first dated section belong to it (a title, a standing attendee list).
    return [MeetingPart(parts[0].key, parts[0].title, parts[0].date, 1)] + parts[1:]


def _incident_fields(ctx: Context, meta: dict, title: str, found: Found) -> None:
    """A postmortem's "Customer affected:" and "Owner:" fields are about its incident."""
    incidents = ctx.note_incidents(title)
    for value, ln in meta.get("customer_affected", []):
        for name in re.split(r"\s*(?:,|;|\band\b|&)\s*", value):
            name = clean_inline(_PAREN.sub("", name)).strip(" .")
            if name and name[0].isupper() and name.casefold() not in ("none", "n/a"):
                customer = Ref(V.CUSTOMER, name, DECLARED)
                for incident in incidents:
                    found.fact(V.AFFECTED, incident, customer, ln)
                found.mention(customer, ln)
    for value, ln in meta.get("owner", []):
        for name in ctx.names.split_people(value):
            for incident in incidents:
                found.fact(V.OWNS, Ref(V.PERSON, name, DECLARED), incident, ln)
