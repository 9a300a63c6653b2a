"""Text the CLI prints: safe for a terminal, a spreadsheet and a JSON parser.

Note text and file names are written by whoever wrote the notes. Printed raw,
an escape sequence in them can retitle the terminal, clear it or fake a line
of kg's own output; a CSV cell starting with `=` runs as a formula when the
file is opened in a spreadsheet; a NaN from Cypher is not JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

# C0 controls but tab, DEL and the C1 controls (0x9b alone starts a CSI sequence).
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """`text` with control characters shown as escapes (`\\x1b`) and odd file-name bytes too.

    >>> printable("a\\x1b]0;pwned\\x07b\\tc")
    'a\\\\x1b]0;pwned\\\\x07b\\tc'
    """
    try:
        # A file name that is not UTF-8 arrives as lone surrogates: show its bytes.
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROLS.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def csv_cell(value):
    """A cell a spreadsheet shows as text: a leading `'` on anything that starts a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    """RFC 4180 CSV: CRLF line ends, so a field holding a bare CR is quoted, not split."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    writer.writerows([[csv_cell(_plain_text(r.get(c))) for c in columns] for r in rows])
    return buf.getvalue().removesuffix("\r\n")


def _plain_text(value):
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def to_json(value, indent: int | None = 2) -> str:
    """Strict JSON: NaN and infinities become null (as JavaScript does), other values text.

    C1 controls, which JSON allows raw, are escaped too, so the output is safe to print.
    """
    text = json.dumps(_finite(value), indent=indent, ensure_ascii=False, allow_nan=False,
                      default=str)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def table(rows: list[dict], columns: tuple[str, ...]) -> str:
    """Aligned columns with a row count; every cell printable."""
    header = [printable(c) for c in columns]
    cells = [[printable("" if r.get(c) is None else str(r.get(c))) for c in columns]
             for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    out = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def format_rows(rows: list[dict], columns: tuple[str, ...], fmt: str) -> str:
    """Rows as `table`, `json` (a list of row objects) or `csv` (with a header row)."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, columns)
    return table(rows, columns)
