"""The incremental-build cache: per-file extraction results, keyed by content.

`kg build` keeps `OUT/.kg-cache/facts.pickle`: one file holding, for every note
of the last build, its source, the hash of its bytes and its NoteFacts. A note
whose bytes are unchanged is not extracted again; a deleted note is simply not
carried over. Resolution always reruns over all notes, so the output is the
same as a clean build.

One file rather than one per note: loading 10,000 small files costs more in
open()/stat() than unpickling one file of the same total size. Each note's
NoteFacts is stored as its own pickled bytes, so a rebuild copies the bytes of
unchanged notes instead of pickling them again (2 s -> 0.05 s for 10k notes).
Pickle rather than JSON because it is several times faster to load; the file
lives in the user's own output folder and is ignored (rebuilt) if it does not load.

The whole cache is dropped when anything that changes extraction changes: the
kg version, the pipeline data files, the extraction code, the incident prefixes.
"""

from __future__ import annotations

import gc
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
_FORMAT = 2
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
    """Pickled NoteFacts by source and content hash: the last build's and this one's."""

    path: Path | None
    key: str
    old: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    new: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @classmethod
    def open(cls, out_dir: str | os.PathLike | None, key: str) -> FactsCache:
        """The cache under `out_dir` (empty if missing, stale or unreadable)."""
        if out_dir is None:
            return cls(None, key)
        path = Path(out_dir) / CACHE_DIR / CACHE_FILE
        return cls(path, key, _load(path, key))

    def get(self, source: str, digest: str | None) -> NoteFacts | None:
        """The cached facts of `source` if its bytes still hash to `digest`."""
        hit = self.old.get(source)
        if digest is None or hit is None or hit[0] != digest:
            return None
        try:
            with gc_paused():
                facts = pickle.loads(hit[1])
        except Exception:  # noqa: BLE001 - a damaged entry is just re-extracted
            return None
        self.new[source] = hit  # carried over as bytes, not pickled again
        return facts

    def put(self, source: str, digest: str | None, facts: NoteFacts) -> None:
        if digest is not None and source not in self.new:
            self.new[source] = (digest, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))

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


class gc_paused:
    """Pause the cyclic GC while allocating many long-lived objects.

    Unpickling 10k notes' facts or resolving them makes millions of objects that
    all survive; each full collection rescans them all (2.4 s -> 0.8 s to load).
    """

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()


def _load(path: Path, key: str) -> dict[str, tuple[str, bytes]]:
    try:
        with path.open("rb") as fh:
            payload = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):
        return {}  # no cache yet, or one from another kg: rebuild it
    if not isinstance(payload, dict) or payload.get("key") != key:
        return {}
    entries = payload.get("entries")
    return entries if isinstance(entries, dict) else {}
