"""The layout of a note, read once into an immutable structure.

Notes are semi-structured, so the layout is read first and the prose second.
This module only describes shapes: which lines are headings, labels
(`Key: value`), list items, checkboxes, table rows; which lines enclose which
(a heading, a label, a parent bullet); which link targets hide behind the
words. It decides nothing about what a line means: the readers do that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•▪◦‣]|\d{1,3}[.)]|[a-zA-Z][.)](?=\s))\s+(.*)$")
_CHECKBOX = re.compile(r"^(?:\[(?P<box>[ xX✓✔/>-])\]|(?P<glyph>[☐☑☒✅]))\s*(?P<rest>.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(
    r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)+\|?\s*$|^\s*\|\s*:?-{2,}:?\s*\|\s*$")
_RULE = re.compile(r"^\s*([-*_])\s*(\1\s*){2,}$")
_TIMESTAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d+)?"
# "[00:01] Name: text", "00:01 Name: text", "Name (00:00:05): text", "Name [00:05]: text"
_SPEAKER_TS_BEFORE = re.compile(
    rf"^[\[(]?(?P<ts>{_TIMESTAMP})[\])]?\s*[-–—]?\s*(?P<name>[^:\[\]()]{{1,60}}?)\s*:\s*(?P<text>.*)$")
_SPEAKER_TS_AFTER = re.compile(
    rf"^(?P<name>[^:\[\]()]{{1,60}}?)\s*[\[(](?P<ts>{_TIMESTAMP})[\])]\s*:?\s*(?P<text>.*)$")
# "<ann> text", "[15:04] <cpark> text": an IRC log
_IRC = re.compile(r"^(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?"
                  r"<[@+]?(?P<name>[A-Za-z][\w.|`^-]{0,30})>\s+(?P<text>.*)$")
# "Key: value", "**Key:** value", "**Key**: value", "__Key__: value"
_LABELLED = re.compile(
    r"^(?:\*\*|__)?(?P<key>[^\W\d_][^:*_\n]{0,48}?)(?:\*\*|__)?\s*:(?:\*\*|__)?(?:\s+(?P<value>.*))?$")
# "Sam Carter  0:04" on a line of its own: a transcript export's turn header.
_TURN_HEADER = re.compile(
    rf"^(?P<name>[^\W\d][^:\[\]()\d]{{0,58}}?)\s+[\[(]?{_TIMESTAMP}[\])]?$")
_BOLD_ONLY = re.compile(r"^(?:\*\*|__)(?P<key>[^*_]{1,60}?)(?:\*\*|__)\s*:?$")
_CLOCK = re.compile(r"\d:\d\d")
#: A Markdown link or image; the text may hold one level of brackets ("[[WIP] Fix](url)").
_LINK = re.compile(r"!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
                   r"\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^<>\s]+)>")
#: Formatting tags that exports (Google Docs, Confluence) leave in Markdown. Anything else
#: (<script>, <img>) is kept as written: it is text to show, never markup to obey.
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|center|code|del|details|div|em|font|h[1-6]|hr|i|ins|kbd"
    r"|li|mark|ol|p|pre|s|small|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th"
    r"|thead|tr|tt|u|ul)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"\*\*|__|`|~~")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"
                     r"|(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_MARKUP = re.compile(r"[*_`\[<\\~]")
_WORD_SEP = re.compile(r"\s*(?:/|&|\+|,|\band\b)\s*")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a note and the shape it has. Never changed after parsing."""

    no: int
    raw: str
    #: blank, heading, label, bullet, text, table_header, table_sep, table, code,
    #: frontmatter, rule, turn (a "Name  0:04" transcript header)
    kind: str = "text"
    text: str = ""  # content without list, checkbox, emphasis or link markup
    level: int = 0  # heading level; indent for bullets
    checkbox: str | None = None  # "open", "done" or "cancelled"
    key: str | None = None  # the label of a "Key: value" line
    value: str | None = None
    stamped: str | None = None  # the speaker of a timestamped line ("[00:01] Name: …")
    turn: str | None = None  # the speaker of a "Name  0:04" header above
    parents: tuple[int, ...] = ()  # enclosing heading, label and bullet lines, outermost first
    cells: tuple[tuple[str, str], ...] = ()  # table rows: (header, cell)
    links: tuple[tuple[str, str], ...] = ()  # (visible text, target) of each link

    @property
    def body(self) -> str:
        """What the line says beyond its label: the value of `Key: value`, else the text."""
        return self.value if self.key is not None and self.value else self.text

    def cell(self, header: str | None) -> str:
        return next((v for h, v in self.cells if h == header), "") if header else ""


@dataclass(frozen=True)
class Table:
    header_line: int
    header: tuple[str, ...]
    rows: tuple[Line, ...]


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    front_matter: dict[str, object]
    tables: tuple[Table, ...]

    def line(self, no: int) -> Line:
        return self.lines[no - 1]

    def scope(self, ln: Line) -> list[Line]:
        """The headings, labels and parent bullets that enclose `ln`, innermost first."""
        return [self.lines[p - 1] for p in reversed(ln.parents)]

    def section(self, ln: Line) -> Line | None:
        """The nearest heading or label above `ln`."""
        return next((p for p in self.scope(ln) if p.kind in ("heading", "label")), None)

    @cached_property
    def children(self) -> dict[int, list[Line]]:
        """Lines directly enclosed by each line (by number)."""
        out: dict[int, list[Line]] = {}
        for ln in self.lines:
            if ln.parents:
                out.setdefault(ln.parents[-1], []).append(ln)
        return out

    def within(self, opener: Line) -> list[Line]:
        """Every line enclosed by `opener`, at any depth, in order."""
        return [ln for ln in self.lines if opener.no in ln.parents]


def norm(text: str) -> str:
    """A label as compared against names: `**Next steps:**` -> `next steps`."""
    text = re.sub(r"[^\w\s/&+'-]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def split_label(text: str) -> list[str]:
    """"Resolutions / Actions" -> the whole label and each of its parts."""
    return [norm(text)] + [norm(p) for p in _WORD_SEP.split(text) if p.strip()]


def clean_inline(text: str) -> str:
    """Drop Markdown and HTML markup and link targets, keeping the words people wrote."""
    if not _MARKUP.search(text):  # most lines: nothing to drop (a hot path)
        return " ".join(text.split())
    text = _BR.sub(" ", text)
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = _AUTOLINK.sub(lambda m: m.group("url"), text)
    text = _HTML_TAG.sub("", text)
    text = _ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def links_of(text: str) -> tuple[tuple[str, str], ...]:
    """(visible text, target) of every Markdown link and autolink in `text`."""
    if "](" not in text and "<" not in text:
        return ()
    found = [(clean_inline(m.group("text")), m.group("url")) for m in _LINK.finditer(text)]
    found += [("", m.group("url")) for m in _AUTOLINK.finditer(text)]
    return tuple(found)


def parse(text: str, opens_section: Callable[[str], bool] | None = None) -> Layout:
    """Describe the layout of a note, line by line.

    `opens_section` says which bare lines ("Action items", "Other attendees")
    open a section even without a colon or a heading mark.
    """
    return _Parser(text, opens_section or (lambda _text: False)).run()


class _Parser:
    def __init__(self, text: str, opens_section: Callable[[str], bool]):
        self.raw = _blank_comments(text).split("\n")
        self.opens_section = opens_section
        self.front, self.start = _front_matter(self.raw)
        self.out: list[Line] = []
        self.tables: list[Table] = []

    def run(self) -> Layout:
        raw = self.raw
        headings: list[tuple[int, int]] = []  # (level, line no)
        label: int | None = None
        bullets: list[tuple[int, int]] = []  # (indent, line no)
        in_code = False
        turn: str | None = None
        table: list[Line] | None = None
        header: tuple[str, ...] = ()
        header_line = 0
        for i, line in enumerate(raw):
            no = i + 1
            stripped = line.strip()
            if i < self.start:
                self.out.append(Line(no, line, "frontmatter"))
                continue
            if _FENCE.match(line):
                in_code = not in_code
                self.out.append(Line(no, line, "code"))
                continue
            if in_code:
                self.out.append(Line(no, line, "code"))
                continue
            scope = tuple(n for _, n in headings) + ((label,) if label else ())
            if self._table_row(stripped, table, raw[i + 1] if i + 1 < len(raw) else ""):
                cells = _cells(stripped)
                if table is None:
                    header = tuple(clean_inline(c) for c in cells)
                    header_line = no
                    table = []
                    self.out.append(Line(no, line, "table_header", " | ".join(header),
                                         parents=scope))
                elif _TABLE_SEP.match(stripped):
                    self.out.append(Line(no, line, "table_sep", parents=scope))
                else:
                    values = [clean_inline(c) for c in cells]
                    values += [""] * (len(header) - len(values))
                    row = Line(no, line, "table",
                               " | ".join(v for v in values if v), parents=scope,
                               cells=tuple((h, v) for h, v in zip(header, values, strict=False)
                                           if h),
                               links=links_of(stripped))
                    table.append(row)
                    self.out.append(row)
                continue
            if table is not None:
                self.tables.append(Table(header_line, header, tuple(table)))
                table = None
            if not stripped:
                self.out.append(Line(no, line, "blank", parents=scope))
                turn = None
                continue
            m = _HEADING.match(stripped)
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            setext = _SETEXT.match(nxt) and nxt.strip().startswith("=")
            if m or (setext and not _BULLET.match(line)):
                level = len(m.group(1)) if m else 1
                body = m.group(2) if m else stripped
                headings = [(lv, n) for lv, n in headings if lv < level]
                label, bullets = None, []
                key, value = _label(body)
                self.out.append(Line(no, line, "heading", clean_inline(body), level,
                                     key=key, value=value,
                                     parents=tuple(n for _, n in headings), links=links_of(body)))
                headings.append((level, no))
                continue
            if _RULE.match(stripped) or _SETEXT.match(stripped):
                self.out.append(Line(no, line, "rule", parents=scope))
                continue
            turn_header = _CLOCK.search(stripped) and _TURN_HEADER.match(stripped)
            if turn_header and _name_shaped(turn_header.group("name")):
                turn = turn_header.group("name")
                self.out.append(Line(no, line, "turn", turn, stamped=turn, parents=scope))
                continue
            ln = _shape(no, line, stripped)
            if ln.kind == "text" and ln.key is None and _is_section_name(
                    stripped, self.opens_section):
                ln = _replace(ln, kind="label", key=clean_inline(stripped).rstrip(":"))
            if ln.kind == "label" and not (line[:1].isspace() and bullets):
                label, bullets = no, []
                self.out.append(_replace(ln, parents=tuple(n for _, n in headings)))
                continue
            if ln.kind == "bullet":
                bullets = [(ind, n) for ind, n in bullets if ind < ln.level]
                parents = scope + tuple(n for _, n in bullets)
                bullets.append((ln.level, no))
            elif line[:1].isspace() and bullets:
                parents = scope + tuple(n for _, n in bullets)  # a bullet's continuation
            else:
                bullets = []
                parents = scope
            ln = _replace(ln, parents=parents, turn=turn if ln.kind == "text" else None)
            self.out.append(ln)
        if table is not None:
            self.tables.append(Table(header_line, header, tuple(table)))
        return Layout(tuple(self.out), self.front, tuple(self.tables))

    @staticmethod
    def _table_row(stripped: str, table: list | None, nxt: str) -> bool:
        if "|" not in stripped:
            return False
        if stripped.startswith("|") and stripped.count("|") >= 2:
            return True
        # A table without outer pipes: "Item | Owner" over "-|-", and its rows.
        if table is not None:
            return True
        return bool(_TABLE_SEP.match(nxt.strip())) and "-" in nxt


def _replace(ln: Line, **changes) -> Line:
    fields = {name: getattr(ln, name) for name in Line.__slots__}
    fields.update(changes)
    return Line(**fields)


def _shape(no: int, raw: str, stripped: str) -> Line:
    body = stripped
    kind, level, checkbox = "text", 0, None
    m = _BULLET.match(raw)
    if m:
        kind, level, body = "bullet", len(m.group(1).expandtabs(4)), m.group(2).strip()
    cb = _CHECKBOX.match(body)
    if cb and (kind == "bullet" or cb.group("box") is not None or cb.group("glyph") in "☐☑☒"):
        kind = "bullet"
        mark = cb.group("box") or cb.group("glyph")
        checkbox = "open" if mark in (" ", "☐", "/", ">") else "cancelled" if mark == "-" \
            else "done"
        body = cb.group("rest")
    links = links_of(body)
    bold = _BOLD_ONLY.match(body)
    if bold and kind != "bullet":
        key = clean_inline(bold.group("key")).rstrip(":")
        return Line(no, raw, "label", key, level, checkbox, key=key, links=links)
    irc = body.startswith(("<", "[", "(")) and _IRC.match(body)
    if irc:
        return Line(no, raw, kind, clean_inline(irc.group("text")), level, checkbox,
                    stamped=irc.group("name"), links=links)
    stamped = _CLOCK.search(body) and (_SPEAKER_TS_BEFORE.match(body)
                                       or _SPEAKER_TS_AFTER.match(body))
    if stamped and _name_shaped(clean_inline(stamped.group("name"))):
        text = clean_inline(stamped.group("text"))
        return Line(no, raw, kind, text, level, checkbox,
                    stamped=clean_inline(stamped.group("name")), links=links)
    key, value = _label(body)
    if key is not None:
        kind = kind if value or kind == "bullet" else "label"
        return Line(no, raw, kind, clean_inline(body), level, checkbox, key=key, value=value,
                    links=links)
    if bold and kind == "bullet":  # "- **Attendees**" opening a nested list
        key = clean_inline(bold.group("key")).rstrip(":")
        return Line(no, raw, kind, key, level, checkbox, key=key, value="", links=links)
    return Line(no, raw, kind, clean_inline(body), level, checkbox, links=links)


def _label(body: str) -> tuple[str | None, str | None]:
    lab = _LABELLED.match(body)
    if not lab:
        return None, None
    return clean_inline(lab.group("key")), clean_inline(lab.group("value") or "")


def _name_shaped(name: str) -> bool:
    words = name.replace("@", "").split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() or w.islower() and len(w) <= 3
                                       for w in words)


def _is_section_name(line: str, opens_section: Callable[[str], bool]) -> bool:
    """"Next steps" or "Resolutions / Actions": a bare line that opens a section."""
    if len(line) > 60 or line.endswith((".", "?", "!", ",")) or "|" in line:
        return False
    return opens_section(clean_inline(line))


def _cells(stripped: str) -> list[str]:
    body = stripped.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def _blank_comments(text: str) -> str:
    """HTML comments are not content: they become blank (line numbers are kept)."""
    if "<!--" not in text:
        return text
    out, pos = [], 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break  # an unclosed comment is shown as written
        out += [text[pos:start], "\n" * text.count("\n", start, end)]
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


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
