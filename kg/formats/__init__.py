"""Notes that arrive as something other than text: transcripts, Word documents, web pages.

Each format is read by a library made for it and turned into the Markdown-shaped
lines the extractor already knows (`# heading`, `- item`, `- [x] task`,
`| table |`, `[00:01:05] Name: words`), so there is one extractor, not one per
format. A file a converter cannot read raises `FormatError`, whose message is the
reason the build summary gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class FormatError(ValueError):
    """A file of a known format that cannot be read; the message says why."""


def _vtt(text: str) -> str:
    from .transcripts import vtt_to_lines
    return vtt_to_lines(text)


def _srt(text: str) -> str:
    from .transcripts import srt_to_lines
    return srt_to_lines(text)


def _html(text: str) -> str:
    from .html import html_to_lines
    return html_to_lines(text)


def _docx(data: bytes) -> str:
    from .docx import docx_to_lines
    return docx_to_lines(data)


@dataclass(frozen=True)
class Format:
    """How to read one kind of file: from its decoded text, or (binary) from its bytes."""

    name: str
    read: Callable
    binary: bool = False


# Imported on use: a folder of Markdown never pays for python-docx or an HTML parser.
FORMATS: dict[str, Format] = {
    ".vtt": Format("WebVTT transcript", _vtt),
    ".srt": Format("SRT transcript", _srt),
    ".docx": Format("Word document", _docx, binary=True),
    ".html": Format("web page", _html),
    ".htm": Format("web page", _html),
}


def format_of(name: str) -> Format | None:
    """The format a file name's suffix says, or None for a plain-text note."""
    dot = name.rfind(".")
    return FORMATS.get(name[dot:].lower()) if dot != -1 else None
