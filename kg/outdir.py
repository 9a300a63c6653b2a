"""The output folder of a build: one build at a time, and nothing left over from a killed one.

Two builds writing one folder would interleave their cache and graph files, so
a build holds an exclusive lock on `OUT/.kg-lock` (fcntl, released by the
kernel even if the process is killed) from before it reads the cache until
after it writes graph.html. Holding it also makes any temporary file in the
folder stale by definition, so they are removed then.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from .errors import InputError
from .files import remove_stale_temp

#: Where `kg build` writes, and where the other commands look, unless told otherwise.
DEFAULT_OUT = "kg-out"
LOCK_FILE = ".kg-lock"


class OutputLock:
    """Exclusive use of an output folder for one build; waits while another build has it."""

    def __init__(self, out_dir: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.on_wait = on_wait
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            if self.out_dir.exists() and not self.out_dir.is_dir():
                raise NotADirectoryError(0, "it is a file, not a folder")
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            err = InputError(f"{self.out_dir}: cannot write the output folder "
                             f"({exc.strerror or exc})")
            err.hint = "Choose a writable folder with --out."
            raise err from exc
        try:
            self._lock()
        except BaseException:  # Ctrl-C while waiting, too
            self._close()
            raise
        from .cache import CACHE_DIR  # not at import: the CLI reads DEFAULT_OUT from here

        for folder in (self.out_dir, self.out_dir / CACHE_DIR):
            if folder.is_dir():
                remove_stale_temp(folder)
        return self

    def _lock(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.on_wait:
                self.on_wait(f"waiting for another kg build into {self.out_dir} to finish")
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None
