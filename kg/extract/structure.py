"""The layout of a note: front matter, headings, lists, tables, labelled lines.

Notes are semi-structured, so the layout is read first and the prose second.
This module only describes the layout; it does not decide what anything means
beyond recognising the shape of a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•▪◦]|\d{1,3}[.)])\s+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX✓✔-])\]\s*(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s*([-*_])\s*(\1\s*){2,}$")
_TIMESTAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d+)?"
# "[00:01] Name: text", "00:01 Name: text", "Name (00:00:05): text", "Name [00:05]: text"
_SPEAKER_TS_BEFORE = re.compile(
    rf"^[\[(]?(?P<ts>{_TIMESTAMP})[\])]?\s*[-–—]?\s*(?P<name>[^:\[\]()]{{1,60}}?)\s*:\s*(?P<text>.*)$")
_SPEAKER_TS_AFTER = re.compile(
    rf"^(?P<name>[^:\[\]()]{{1,60}}?)\s*[\[(](?P<ts>{_TIMESTAMP})[\])]\s*:?\s*(?P<text>.*)$")
# "Key: value", "**Key:** value", "**Key**: value", "__Key__: value"
_LABELLED = re.compile(
    r"^(?:\*\*|__)?(?P<key>[^\W\d_][^:*_\n]{0,48}?)(?:\*\*|__)?\s*:(?:\*\*|__)?(?:\s+(?P<value>.*))?$")
_SPEAKER_HEADER = re.compile(
    rf"^(?P<name>[^\W\d][^:\[\]()\d]{{0,58}}?)\s+[\[(]?{_TIMESTAMP}[\])]?$")
_BOLD_ONLY = re.compile(r"^(?:\*\*|__)(?P<key>[^*_]{1,60})(?:\*\*|__):?$")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_MARKUP = re.compile(r"[*_`\[]")
_CLOCK = re.compile(r"\d:\d\d")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\[]+)\]\((?:[^()\s]+)\)")


@dataclass
class Line:
    """One line of a note and the shape it has."""

    no: int
    raw: str
    kind: str = "text"  # blank, heading, label, bullet, table, text, code, frontmatter, rule
    text: str = ""  # content without list, checkbox or emphasis markup
    level: int = 0  # heading level; list indent for bullets
    checkbox: str | None = None  # "open" or "done"
    key: str | None = None  # the label of a "Key: value" line
    value: str | None = None
    speaker: str | None = None
    turn: bool = False  # the speaker comes from a "Name  0:04" line above
    section: str = ""  # the heading (or "Label:" line) this line sits under
    section_line: int = 0
    cells: dict[str, str] = field(default_factory=dict)  # table rows: header -> cell


@dataclass
class Layout:
    lines: list[Line]
    front_matter: dict[str, object]
    tables: list[list[Line]]  # data rows of each table, in order


def norm(text: str) -> str:
    """A label as compared against section names: `**Next steps:**` -> `next steps`."""
    text = re.sub(r"[^\w\s/&+'-]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _is_section_name(line: str, names: frozenset[str]) -> bool:
    """"Next steps" or "Resolutions / Actions": a bare line that opens a section."""
    if len(line) > 60:
        return False
    whole = norm(line)
    return whole in names or any(
        norm(p) in names for p in re.split(r"\s*(?:/|&|\+|\band\b)\s*", line) if p.strip())


def clean_inline(text: str) -> str:
    """Drop Markdown emphasis and link targets, keeping the words people wrote."""
    if not _MARKUP.search(text):  # most lines: nothing to drop (a hot path)
        return " ".join(text.split())
    text = _MD_LINK.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def parse(text: str, section_names: frozenset[str] = frozenset()) -> Layout:
    """Describe the layout of a note, line by line.

    `section_names` are bare lines ("Action items", "Notes") that open a
    section even without a colon or a heading mark, compared via `norm`.
    """
    raw_lines = text.split("\n")
    lines = [Line(no=i + 1, raw=r) for i, r in enumerate(raw_lines)]
    front, start = _front_matter(raw_lines)
    for ln in lines[:start]:
        ln.kind = "frontmatter"
    in_code = False
    turn: str | None = None
    section, section_line = "", 0
    tables: list[list[Line]] = []
    table: list[Line] | None = None
    header: list[str] = []
    for i in range(start, len(lines)):
        ln = lines[i]
        stripped = ln.raw.strip()
        if _FENCE.match(ln.raw):
            in_code = not in_code
            ln.kind = "code"
            continue
        if in_code:
            ln.kind = "code"
            continue
        if _is_table_row(stripped):
            cells = _cells(stripped)
            if table is None:
                table, header = [], [clean_inline(c) for c in cells]
                tables.append(table)
                ln.kind = "table_header"
                ln.text = " | ".join(header)
            elif _TABLE_SEP.match(stripped):
                ln.kind = "table_sep"
            else:
                ln.kind = "table"
                values = [clean_inline(c) for c in cells]
                values += [""] * (len(header) - len(values))
                ln.cells = {h: v for h, v in zip(header, values, strict=False) if h}
                ln.text = " | ".join(v for v in values if v)
                table.append(ln)
            ln.section, ln.section_line = section, section_line
            continue
        table = None
        if not stripped:
            ln.kind = "blank"
            ln.section, ln.section_line = section, section_line
            turn = None
            continue
        m = _HEADING.match(stripped)
        nxt = lines[i + 1].raw if i + 1 < len(lines) else ""
        if m or (_SETEXT.match(nxt) and not _BULLET.match(ln.raw) and i + 1 > start
                 and nxt.strip().startswith("=")):
            ln.kind = "heading"
            ln.level = len(m.group(1)) if m else 1
            ln.text = clean_inline(m.group(2) if m else stripped)
            section, section_line = ln.text, ln.no
            ln.section, ln.section_line = section, section_line
            continue
        if _RULE.match(stripped) or _SETEXT.match(stripped):
            ln.kind = "rule"
            ln.section, ln.section_line = section, section_line
            continue
        header_turn = _CLOCK.search(stripped) and _SPEAKER_HEADER.match(stripped)
        if header_turn and _looks_like_name(header_turn.group("name")):
            # "Sam Carter  0:04" on its own line: the lines below are what Sam said.
            ln.kind, ln.speaker = "speaker", header_turn.group("name")
            turn = ln.speaker
            ln.section, ln.section_line = section, section_line
            continue
        _shape(ln)
        if ln.kind == "text" and not ln.key and _is_section_name(stripped, section_names):
            ln.kind, ln.key = "label", clean_inline(stripped)
        if ln.kind == "label":
            section, section_line = ln.key or ln.text, ln.no
        elif turn and ln.kind == "text" and not ln.speaker:
            ln.speaker, ln.turn = turn, True
        ln.section, ln.section_line = section, section_line
    return Layout(lines, front, tables)


def _shape(ln: Line) -> None:
    body = ln.raw.strip()
    m = _BULLET.match(ln.raw)
    if m:
        ln.kind = "bullet"
        ln.level = len(m.group(1).expandtabs(4))
        body = m.group(2).strip()
        cb = _CHECKBOX.match(body)
        if cb:
            ln.checkbox = "open" if cb.group(1) == " " else "done"
            body = cb.group(2)
    else:
        cb = _CHECKBOX.match(body)
        if cb:
            ln.kind = "bullet"
            ln.checkbox = "open" if cb.group(1) == " " else "done"
            body = cb.group(2)
    bold = _BOLD_ONLY.match(body)
    if bold and ln.kind != "bullet":
        ln.kind = "label"
        ln.key = clean_inline(bold.group("key")).rstrip(":")
        ln.text = ln.key
        return
    sp = _CLOCK.search(body) and (_SPEAKER_TS_BEFORE.match(body) or _SPEAKER_TS_AFTER.match(body))
    if sp and _looks_like_name(clean_inline(sp.group("name"))):
        ln.speaker = clean_inline(sp.group("name"))
        ln.text = clean_inline(sp.group("text"))
        return
    lab = _LABELLED.match(body)
    if lab:
        key = clean_inline(lab.group("key"))
        value = clean_inline(lab.group("value") or "")
        ln.key, ln.value = key, value
        ln.text = clean_inline(body)
        if not value and ln.kind != "bullet":
            ln.kind = "label"
        return
    ln.text = clean_inline(body)


def _looks_like_name(name: str) -> bool:
    words = name.replace("@", "").split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() or w in _PARTICLES for w in words)


_PARTICLES = {"de", "da", "del", "der", "van", "von", "la", "le", "di", "du", "bin", "al", "dos"}


def _is_table_row(stripped: str) -> bool:
    return stripped.startswith("|") and stripped.count("|") >= 2


def _cells(stripped: str) -> list[str]:
    body = stripped.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def _front_matter(lines: list[str]) -> tuple[dict[str, object], int]:
    """A small YAML subset: `key: value`, `key: [a, b]` and `key:` + `- item` lists."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() in ("---", "...")),
               None)
    if end is None:
        return {}, 0
    data: dict[str, object] = {}
    current: str | None = None
    for raw in lines[1:end]:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", raw)
        if item and current is not None:
            existing = data.get(current)
            values = existing if isinstance(existing, list) else []
            values.append(_scalar(item.group(1)))
            data[current] = values
            continue
        kv = re.match(r"^([A-Za-z_][\w -]*?)\s*:\s*(.*)$", raw)
        if not kv:
            continue
        current = kv.group(1).strip().lower()
        value = kv.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            data[current] = [_scalar(v) for v in _split_flow(value[1:-1]) if v.strip()]
        elif value:
            data[current] = _scalar(value)
        else:
            data[current] = []
    return data, end + 1


def _split_flow(body: str) -> list[str]:
    return [p.strip() for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^,]+', body)]


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
