"""`Key: value` fields of note metadata, wherever a line writes them.

"Date: 2024-11-20", "**Attendees:** Sam, Julia", "- **Location:** Room 4",
"### Facilitator: Noor Haddad", and header lines with several fields:
"Date: Nov 20 | Attendees: Sam, Julia" or "20/11/2024 · In attendance: …".
"""

from __future__ import annotations

import re

from ..layout import Line
from ..lexicon import Lexicon

_SEGMENT_SEP = re.compile(r"\s+[|·•]\s+")
_SEGMENT = re.compile(r"^\s*([A-Za-z][A-Za-z /'-]{0,30}?)\s*:\s*(.+)$")


def fields(ln: Line, lex: Lexicon) -> list[tuple[str, str]]:
    """(field, value) of every metadata field `ln` writes, e.g. ("attendees", "Sam, Julia")."""
    if ln.key is not None and ln.value:
        field = lex.meta_field(ln.key)
        if field:
            return [(field, ln.value)]
    if ln.kind in ("text", "bullet") and ("|" in ln.text or "·" in ln.text or "•" in ln.text) \
            and _SEGMENT_SEP.search(ln.text):
        found = []
        for segment in _SEGMENT_SEP.split(ln.text):
            m = _SEGMENT.match(segment)
            field = lex.meta_field(m.group(1)) if m else None
            if field:
                found.append((field, m.group(2)))
        return found
    return []
