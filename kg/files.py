"""Writing output files: whole or not at all, with the permissions the user's umask gives.

Readers of graph.json (a query, a notebook, a second build) must see the old
file or the new one, never half of one, even if kg is killed mid-write: each
file is written to a temporary name beside it and renamed over it. The
temporary names are fixed patterns (TEMP_PATTERNS) so the next build can
remove what a killed one left behind.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .errors import OutputError

#: Temporary names a write in progress uses, by the folder-relative glob that finds them.
TEMP_PATTERNS = (".graph-*.json.tmp", ".graph-*.html.tmp", ".graph-*.index.tmp", ".facts-*.tmp")


def write_atomic(path: Path, data: str | bytes, prefix: str, suffix: str,
                 durable: bool = False) -> None:
    """Replace `path` with `data` in one rename; `durable` also syncs it to disk first.

    The file gets mode 0666 minus the umask, like any file the user creates
    (mkstemp's 0600 made graph.json unreadable to the rest of a team).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp, fd = create_temp(path.parent, prefix, suffix)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def create_temp(folder: Path, prefix: str, suffix: str) -> tuple[Path, int]:
    """A new file `prefix<random>suffix` in `folder`, created by us alone: (path, open fd)."""
    while True:
        tmp = folder / f"{prefix}{secrets.token_hex(6)}{suffix}"
        try:
            # O_EXCL: never write through a file or link that is already there.
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def remove_stale_temp(folder: Path) -> list[Path]:
    """Delete temporary files a killed write left in `folder`; call only while holding its lock."""
    removed = []
    for pattern in TEMP_PATTERNS:
        for tmp in sorted(folder.glob(pattern)):
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass  # not ours to remove (permissions): it only wastes space
    return removed
