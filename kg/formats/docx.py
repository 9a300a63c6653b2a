"""Word documents (.docx) as Markdown-shaped lines, read with python-docx.

One line per paragraph in document order (empty paragraphs too, so numbering
follows the document), one per table row plus the rule under a table's header row:
- a `Heading N` or `Title` paragraph -> `#` x N;
- a list paragraph (a list style or Word numbering) -> `- ` / `1. `, indented by level;
- a checkbox content control or a ☐/☒ glyph -> `- [ ]` / `- [x]`;
- a table -> `| a | b |` rows, the first row as the header;
- bold runs -> `**…**` (so `**Attendees:**` stays a label), links -> `[text](url)`,
  which keeps mail-to person chips; a line break inside a paragraph starts a new line.
"""

from __future__ import annotations

import io
import re
import zipfile

from . import FormatError

#: Uncompressed size a .docx may unpack to: a small zip can hold gigabytes of XML.
MAX_UNPACKED = 256 * 1024 * 1024
_HEADING = re.compile(r"^Heading (\d)$")
_LEVEL = re.compile(r" (\d)$")
_GLYPH = re.compile(r"^\s*[☐☑☒]\s*")


def docx_to_lines(data: bytes) -> str:
    """The text of a .docx file, one Markdown-shaped line per paragraph or table row."""
    document = _open(data)
    from docx.table import Table
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += _table(block)
        else:
            lines += _paragraph(block)
    return "\n".join(lines)


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise FormatError(f"a Word document that unpacks to {unpacked // 2**20:,} MB "
                              f"(over kg's {MAX_UNPACKED // 2**20} MB limit)")
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, FormatError):
            raise
        raise FormatError(f"not a readable Word document ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged part inside the zip
        raise FormatError(f"a damaged Word document ({type(exc).__name__}: {exc})") from exc


def _paragraph(par) -> list[str]:
    text = _inline(par)
    style = par.style.name if par.style is not None else ""
    heading = _HEADING.match(style)
    if heading or style == "Title":
        level = int(heading.group(1)) if heading else 1
        return ["#" * level + " " + " ".join(text.split())] if text.strip() else [""]
    first, *rest = text.split("\n") or [""]
    box = _checkbox(par)
    if box is not None:
        first = _GLYPH.sub("", first)
    indent, marker = _list_marker(par, style)
    if box is not None:
        marker = (marker or "-") + (" [x]" if box else " [ ]")
    if marker:
        first = f"{indent}{marker} {first.strip()}"
    return [first] + [f"{indent}  {line.strip()}" if marker else line for line in rest]


def _inline(par) -> str:
    """The paragraph's text with bold as `**…**` and links as `[text](url)`."""
    from docx.text.hyperlink import Hyperlink
    out: list[str] = []
    bold: list[str] = []

    def close_bold() -> None:
        if bold:
            words = "".join(bold)
            lead, core, trail = _split_space(words)
            out.append(f"{lead}**{core}**{trail}" if core else words)
            bold.clear()

    for part in par.iter_inner_content():
        if isinstance(part, Hyperlink):
            close_bold()
            url = part.address or ""
            if part.fragment:
                url += "#" + part.fragment
            out.append(f"[{part.text}]({url})" if url and part.text.strip() else part.text)
        elif part.bold and part.text.strip():
            bold.append(part.text)
        else:
            close_bold()
            out.append(part.text)
    close_bold()
    return "".join(out)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def _checkbox(par) -> bool | None:
    """True/False for a checked/unchecked checkbox (content control or glyph); None: none."""
    checked = par._p.xpath(".//w14:checkbox/w14:checked/@w14:val")
    if par._p.xpath(".//w14:checkbox"):
        return bool(checked) and checked[0] in ("1", "true", "on")
    return None


def _list_marker(par, style: str) -> tuple[str, str]:
    """(indent, "-" or "1.") for a list paragraph, ("", "") otherwise."""
    numbered = par._p.pPr is not None and par._p.pPr.numPr is not None
    if not (numbered or style.startswith("List")):
        return "", ""
    level = 0
    if numbered and par._p.pPr.numPr.ilvl is not None:
        level = int(par._p.pPr.numPr.ilvl.val or 0)
    elif (m := _LEVEL.search(style)) is not None:
        level = int(m.group(1)) - 1
    return "  " * level, "1." if "Number" in style else "-"


def _table(table) -> list[str]:
    rows = [[_cell(c) for c in row.cells] for row in table.rows]
    if not rows:
        return []
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return lines[:1] + ["|" + "---|" * len(rows[0])] + lines[1:]


def _cell(cell) -> str:
    return "<br>".join(p.strip() for p in cell.text.split("\n") if p.strip()).replace("|", r"\|")
