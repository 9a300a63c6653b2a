"""Reading notes: find files, decode them, and hand out their lines.

This is the bottom layer. It knows nothing about meetings or graphs; it turns
paths into `Note` objects, or into `Skipped` records that say why not.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_SNIFF = 8192


@dataclass(frozen=True)
class Note:
    """One readable note: its path relative to the build root and its text."""

    source: str
    text: str
    encoding: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, and why, in words a user can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class NoteFile:
    """A file found under a build root, not yet read."""

    path: Path
    source: str


def discover(paths: Iterable[str | os.PathLike]) -> list[NoteFile]:
    """Every note file under `paths`, sorted by source, each listed once.

    Folders are searched recursively for .md, .markdown and .txt files (hidden
    folders are skipped); a file named directly is listed whatever its suffix,
    so that `read` can say why it is not a note.
    Sources are relative to the folder given, or to the file's own folder.

    >>> discover(["/nonexistent"])
    Traceback (most recent call last):
    ...
    kg.errors.InputError: /nonexistent: no such file or folder
    """
    found: dict[str, NoteFile] = {}
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise InputError(f"{root}: no such file or folder")
    multi = len(roots) > 1
    for root in roots:
        if root.is_file():
            base = root.parent
            files = [root]
        else:
            base = root
            files = sorted(_walk(root))
        for f in files:
            rel = f.relative_to(base).as_posix()
            # With several roots, keep the root's name so sources stay unique.
            source = f"{(root.name if root.is_dir() else '')}/{rel}".lstrip("/") if multi else rel
            found.setdefault(source, NoteFile(f, source))
    return [found[k] for k in sorted(found)]


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(NOTE_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


def read(nf: NoteFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Note | Skipped:
    """Read one note file, or say why it cannot be read.

    Text is decoded as UTF-8 (with or without a BOM), UTF-16 with a BOM, and
    otherwise as Windows-1252/Latin-1, which can decode any byte: a note in an
    old encoding is read rather than lost. Line endings become `\\n`.
    """
    if not nf.path.name.lower().endswith(NOTE_SUFFIXES):
        return Skipped(nf.source, "not a note (kg reads .md, .markdown and .txt files)")
    try:
        size = nf.path.stat().st_size
        if size > max_bytes:
            mb = size / 1024 / 1024
            return Skipped(nf.source, f"{mb:.1f} MB is over the {max_bytes / 1024 / 1024:.0f} MB "
                           "limit (raise it with --max-file-mb)")
        data = nf.path.read_bytes()
    except OSError as exc:
        return Skipped(nf.source, f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return Skipped(nf.source, "empty file")
    decoded = decode(data)
    if decoded is None:
        return Skipped(nf.source, "binary file (not text)")
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Note(nf.source, text, encoding)


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode note bytes; None when they look binary."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    head = data[:_SNIFF]
    if b"\x00" in head:
        return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _control_ratio(head) > 0.05:
        return None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _control_ratio(head: bytes) -> float:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(head), 1)
