"""The incremental-build cache: per-file extraction results, keyed by content.

`kg build` keeps `OUT/.kg-cache/facts.pickle`: one file holding, for every note
of the last build, its source, the hash of its bytes and its NoteFacts. A note
whose bytes are unchanged is not extracted again; a deleted note is simply not
carried over. Resolution always reruns over all notes, so the output is the
same as a clean build.

One file rather than one per note: loading 10,000 small files costs more in
open()/stat() than unpickling one file of the same total size. Pickle rather
than JSON because it is several times faster to load; the file lives in the
user's own output folder and is ignored (rebuilt) if it does not load.

The whole cache is dropped when anything that changes extraction changes: the
kg version, the pipeline data files, the extraction code, the incident prefixes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .extract.facts import NoteFacts
from .extract.nlp import pipeline_fingerprint
from .notes import NoteFile

CACHE_DIR = ".kg-cache"
CACHE_FILE = "facts.pickle"
_FORMAT = 1
# Code whose changes change what extraction returns (the lead tunes these daily).
_CODE = ("notes.py", "vocab.py", "extract")


def cache_key(incident_prefixes: tuple[str, ...] | None) -> str:
    """Everything besides a note's bytes that decides its NoteFacts."""
    parts = [str(_FORMAT), __version__, pipeline_fingerprint(), _code_fingerprint(),
             ",".join(incident_prefixes or ())]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _CODE:
        path = root / name
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(f.name.encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def content_hash(nf: NoteFile) -> str | None:
    """Hash of the file's bytes; None if it cannot be read (extraction reports why)."""
    try:
        return hashlib.blake2b(nf.path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


@dataclass
class FactsCache:
    """Cached NoteFacts by (source, content hash), plus the entries of this build."""

    path: Path | None
    key: str
    old: dict[str, tuple[str, NoteFacts]] = field(default_factory=dict)
    new: dict[str, tuple[str, NoteFacts]] = field(default_factory=dict)

    @classmethod
    def open(cls, out_dir: str | os.PathLike | None, key: str) -> FactsCache:
        """The cache under `out_dir` (empty if missing, stale or unreadable)."""
        if out_dir is None:
            return cls(None, key)
        path = Path(out_dir) / CACHE_DIR / CACHE_FILE
        return cls(path, key, _load(path, key))

    def get(self, source: str, digest: str | None) -> NoteFacts | None:
        hit = self.old.get(source)
        if digest is None or hit is None or hit[0] != digest:
            return None
        return hit[1]

    def put(self, source: str, digest: str | None, facts: NoteFacts) -> None:
        if digest is not None:
            self.new[source] = (digest, facts)

    def save(self) -> None:
        """Write this build's entries (only), atomically; notes gone since are dropped."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": _FORMAT, "key": self.key, "entries": self.new}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".facts-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _load(path: Path, key: str) -> dict[str, tuple[str, NoteFacts]]:
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return {}  # no cache yet, or one from another kg: rebuild it
    if not isinstance(payload, dict) or payload.get("key") != key:
        return {}
    return payload.get("entries", {})
