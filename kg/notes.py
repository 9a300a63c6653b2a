"""Reading notes: find files, decode them, and hand out their lines.

This is the bottom layer. It knows nothing about meetings or graphs; it turns
paths into `Note` objects, or into `Skipped` records that say why not.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .formats import FORMATS, FormatError, format_of

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
#: Every kind of file kg reads: text notes, and the formats kg/formats/ converts.
NOTE_SUFFIXES = TEXT_SUFFIXES + tuple(FORMATS)
NOT_A_NOTE = ("not a kind of file kg reads (it reads .md, .markdown, .txt, .vtt, .srt, "
              ".docx, .html and .htm; leave it out with --exclude)")
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
    """A file found under a build root, not yet read.

    `root` is the real path of the folder it was found in, so a link that
    leads outside it can be refused; None for a file named directly.
    """

    path: Path
    source: str
    root: Path | None = None


@dataclass
class Found:
    """What `scan` found: note files to read, and what it could not look into."""

    files: list[NoteFile]
    skipped: list[Skipped]


def discover(paths: Iterable[str | os.PathLike]) -> list[NoteFile]:
    """Every note file under `paths`, sorted by source, each listed once.

    >>> discover(["/nonexistent"])
    Traceback (most recent call last):
    ...
    kg.errors.InputError: /nonexistent: no such file or folder
    """
    return scan(paths).files


def scan(paths: Iterable[str | os.PathLike], include: Iterable[str] = (),
         exclude: Iterable[str] = (), leave_out: str | os.PathLike | None = None) -> Found:
    """Note files under `paths`, sorted by source, and what could not be searched or read.

    Folders are searched recursively (hidden files and folders are skipped,
    links to folders are not followed). A file of a kind kg does not read is
    listed as skipped with the reason, never dropped silently; a file named
    directly is listed whatever its suffix, so that `read` can say why it is
    not a note. `include` and `exclude` are globs (see `selected`); nothing
    under the folder `leave_out` (the build's output) is listed. Sources are
    relative to the folder given, or to the file's own folder; with several
    roots each source starts with its root's folder name, plus as many parent
    folders as it takes to tell two roots apart.
    """
    roots = _unique_roots(paths)
    include, exclude = tuple(include), tuple(exclude)
    out = Path(os.path.realpath(leave_out)) if leave_out is not None else None
    if out is not None and not any(out.is_relative_to(os.path.realpath(r)) for r in roots):
        out = None  # the usual case: no need to resolve every path
    entries: list[tuple[Path, Path, str | None]] = []  # (root, path, why it was skipped)
    for root in roots:
        listed = _walk(root) if root.is_dir() else [(root, None)]
        entries += [(root, path, why) for path, why in listed
                    if selected(_relative(root, path), include, exclude)
                    and not (out and Path(os.path.realpath(path)).is_relative_to(out))]
    prefixes = _root_prefixes(roots, entries) if len(roots) > 1 else {}
    real = {r: Path(os.path.realpath(r)) for r in roots if r.is_dir()}
    found: dict[str, NoteFile] = {}
    skipped: list[Skipped] = []
    for root, path, why in entries:
        source = _source(root, path, prefixes.get(root, ""))
        if why:
            skipped.append(Skipped(source, why))
        else:
            found.setdefault(source, NoteFile(path, source, real.get(root)))
    return Found([found[k] for k in sorted(found)], sorted(skipped, key=lambda s: s.source))


def _unique_roots(paths: Iterable[str | os.PathLike]) -> list[Path]:
    roots: dict[str, Path] = {}
    for p in paths:
        root = Path(os.path.abspath(p))
        if not root.exists():
            raise InputError(f"{_text(Path(p))}: no such file or folder")
        roots.setdefault(os.path.realpath(root), root)  # the same folder twice is one root
    return sorted(roots.values())


def _text(path: Path) -> str:
    """A path as text that can always be printed and written as UTF-8.

    A file name that is not valid UTF-8 keeps its odd bytes as `\\xe9` escapes.
    """
    return os.fsencode(path.as_posix()).decode("utf-8", "backslashreplace")


def selected(rel: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether the file at `rel` (relative to its root) passes the globs.

    A glob without a `/` matches the file name (`*.vtt`), one with a `/` the
    path from the folder given (`drafts/*`; `*` also matches `/`). A file is
    read when it matches an `include` (or there is none) and no `exclude`.

    >>> selected("drafts/a.md", (), ("drafts/*",)), selected("a.vtt", ("*.vtt",), ())
    (False, True)
    """
    def hit(pattern: str) -> bool:
        return fnmatch.fnmatchcase(rel if "/" in pattern else rel.rsplit("/", 1)[-1],
                                   pattern.strip("/") if "/" in pattern else pattern)
    return (not include or any(map(hit, include))) and not any(map(hit, exclude))


def _relative(root: Path, path: Path) -> str:
    rel = path.relative_to(root if root.is_dir() else root.parent).as_posix()
    return path.name if rel == "." else rel


def _source(root: Path, path: Path, prefix: str) -> str:
    rel = path.relative_to(root if root.is_dir() else root.parent).as_posix()
    parts = [p for p in (prefix, "" if rel == "." else rel) if p]
    return _text(Path("/".join(parts))) if parts else _text(root)


def _root_prefixes(roots: list[Path], entries) -> dict[Path, str]:
    """Each root's source prefix: its folder name, plus parents while two roots clash.

    Computed from the set of roots only, so argument order never changes a source.
    """
    depth = {r: (1 if r.is_dir() else 0) for r in roots}

    def prefix(r: Path) -> str:
        parts = (r if r.is_dir() else r.parent).parts[1:]
        return "/".join(parts[len(parts) - depth[r]:]) if depth[r] else ""

    while True:
        owners: dict[str, set[Path]] = {}
        for r in roots:
            if r.is_dir():
                owners.setdefault(prefix(r) + "/", set()).add(r)
        for root, path, _ in entries:
            owners.setdefault(_source(root, path, prefix(root)), set()).add(root)
        clash = {r for group in owners.values() if len(group) > 1 for r in group}
        deeper = {r for r in clash if depth[r] < len((r if r.is_dir() else r.parent).parts) - 1}
        if not deeper:
            return {r: prefix(r) for r in roots}
        for r in deeper:
            depth[r] += 1


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """(note file, None) under `root`, and (folder, reason) for folders not searched."""
    trouble: list[tuple[Path, str]] = []

    def unreadable(exc: OSError) -> None:
        trouble.append((Path(exc.filename), f"cannot read folder: {exc.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in dirnames:
            if (here / d).is_symlink():
                trouble.append((here / d, "a link to a folder (kg does not follow folder links)"))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            yield here / name, None if name.lower().endswith(NOTE_SUFFIXES) else NOT_A_NOTE
    yield from trouble


def read(nf: NoteFile, max_bytes: int = DEFAULT_MAX_BYTES,
         follow_symlinks: bool = False) -> Note | Skipped:
    """Read one note file, or say why it cannot be read.

    Text is decoded as UTF-8 (with or without a BOM), UTF-16 with a BOM, and
    otherwise as Windows-1252/Latin-1, which can decode any byte: a note in an
    old encoding is read rather than lost. Line endings become `\\n`.
    """
    data = read_bytes(nf, max_bytes, follow_symlinks)
    return data if isinstance(data, Skipped) else to_note(nf.source, data)


def read_bytes(nf: NoteFile, max_bytes: int = DEFAULT_MAX_BYTES,
               follow_symlinks: bool = False) -> bytes | Skipped:
    """The bytes of a note file, read once and never more than `max_bytes`, or why not.

    Only regular files are read: a FIFO would block forever and a link to
    /dev/zero never ends. A link out of the notes folder is refused unless
    `follow_symlinks`, so a cloned repository cannot pull in /etc/passwd.
    """
    if not nf.path.name.lower().endswith(NOTE_SUFFIXES):
        return Skipped(nf.source, NOT_A_NOTE)
    checked = nf.root is not None and not follow_symlinks
    try:
        # os.walk never enters a linked folder, so only the file itself can be a link.
        is_link = checked and nf.path.is_symlink()
        if is_link and not Path(os.path.realpath(nf.path)).is_relative_to(nf.root):
            return Skipped(nf.source, "a link to a file outside the notes folder "
                                      "(pass --follow-symlinks to read it)")
        problem = _not_regular(os.stat(nf.path), max_bytes)
        if problem:
            return Skipped(nf.source, problem)
        # O_NONBLOCK: a file swapped for a FIFO since stat must not block the open;
        # O_NOFOLLOW: nor may a file swapped for a link be read through it.
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(nf.path, flags | (os.O_NOFOLLOW if checked and not is_link else 0))
        with os.fdopen(fd, "rb") as fh:
            problem = _not_regular(os.fstat(fh.fileno()), max_bytes)
            data = b"" if problem else fh.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(nf.source, f"cannot read: {exc.strerror or exc}")
    if problem:
        return Skipped(nf.source, problem)
    if len(data) > max_bytes:
        return Skipped(nf.source, _too_big(len(data), max_bytes))
    return data


def _not_regular(st: os.stat_result, max_bytes: int) -> str | None:
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if
                stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "a folder"
                if stat.S_ISDIR(st.st_mode) else "special")
        return f"not a regular file ({kind}); kg reads only plain files"
    if st.st_size > max_bytes:
        return _too_big(st.st_size, max_bytes)
    return None


def _too_big(size: int, max_bytes: int) -> str:
    return f"{_mb(size)} MB is over the {_mb(max_bytes)} MB limit (raise it with --max-file-mb)"


def _mb(size: int) -> str:
    mb = size / 1024 / 1024
    return f"{mb:,.1f}".removesuffix(".0") if mb >= 1 else f"{mb:.2g}"


def to_note(source: str, data: bytes) -> Note | Skipped:
    """Decode a note's bytes into its text, or say why they are not a note.

    A transcript, Word document or web page is converted to Markdown-shaped
    lines (kg/formats/); its `encoding` names the format it was read as.
    """
    if not data.strip():
        return Skipped(source, "empty file")
    fmt = format_of(source)
    if fmt is not None and fmt.binary:
        return _converted(source, fmt, data, fmt.name)
    decoded = decode(data)
    if decoded is None:
        return Skipped(source, "binary file (not text)")
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt is not None:
        return _converted(source, fmt, text, f"{fmt.name}, {encoding}")
    return Note(source, text, encoding)


def _converted(source: str, fmt, content: bytes | str, encoding: str) -> Note | Skipped:
    try:
        text = fmt.read(content)
    except FormatError as exc:
        return Skipped(source, str(exc))
    return Note(source, text, encoding)


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
