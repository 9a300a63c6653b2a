"""The incremental-build cache: per-file extraction results, keyed by content.

`kg build` keeps `OUT/.kg-cache/facts.jsonl`: a header line with the cache
key, then one line per note of the last build holding its source, the hash of
the bytes it was extracted from and its NoteFacts as plain JSON
(kg/cache_codec.py). A note whose bytes are unchanged is not extracted again;
a deleted note is simply not carried over. Resolution always reruns over all
notes, so the output is the same as a clean build.

Plain JSON, never pickle: anyone who can write the output folder (a shared
drive, a CI cache) could otherwise run code on the next build. Each line is
`[source, hash]`, a tab, then the facts, so loading reads only the short head
of each line; a note's facts are decoded only when its bytes still match, and
unchanged notes are written back as the same text, not encoded again. A cache
that is damaged, foreign or cannot be written is a warning and a full rebuild.

The whole cache is dropped when anything that changes extraction changes: the
kg version, the pipeline data files, the extraction code, the incident prefixes.
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .cache_codec import CodecError, decoder, encode
from .errors import OutputError
from .extract.facts import NoteFacts
from .extract.nlp import pipeline_fingerprint
from .files import write_atomic

CACHE_DIR = ".kg-cache"
CACHE_FILE = "facts.jsonl"
#: The pickle earlier versions wrote: never loaded, deleted on the next save.
OLD_CACHE_FILE = "facts.pickle"
_FORMAT = 3
# Code whose changes change what extraction returns (the lead tunes these daily).
_CODE = ("notes.py", "formats", "vocab.py", "extract", "cache_codec.py")


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


def content_hash(data: bytes) -> str:
    """The hash a note's cache entry is keyed by: of exactly the bytes extracted."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class FactsCache:
    """NoteFacts as JSON text by source and content hash: the last build's and this one's."""

    path: Path | None
    key: str
    old: dict[str, tuple[str, str]] = field(default_factory=dict)
    new: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, out_dir, key: str) -> FactsCache:
        """The cache under `out_dir` (empty if missing, stale or damaged); None: no cache."""
        if out_dir is None:
            return cls(None, key)
        cache = cls(Path(out_dir) / CACHE_DIR / CACHE_FILE, key)
        try:
            cache.old = _load(cache.path, key)
        except (OSError, ValueError, RecursionError) as exc:
            cache.warnings.append(f"{cache.path}: damaged cache ignored ({_brief(exc)}); "
                                  "every note was extracted again")
        return cache

    def knows(self, source: str) -> bool:
        """True if the last build cached `source` (so its bytes are worth hashing)."""
        return source in self.old

    def get(self, source: str, digest: str) -> NoteFacts | None:
        """The cached facts of `source` if its bytes still hash to `digest`."""
        hit = self.old.get(source)
        if hit is None or hit[0] != digest:
            return None
        try:
            facts = decoder(NoteFacts)(json.loads(hit[1]))
        except (ValueError, RecursionError, CodecError) as exc:
            self.warnings.append(f"{self.path}: damaged entry for {source} ignored "
                                 f"({_brief(exc)}); it was extracted again")
            return None
        self.new[source] = hit  # carried over as text, not encoded again
        return facts

    def put(self, source: str, digest: str, facts: NoteFacts) -> None:
        if self.path is None or source in self.new:
            return
        try:
            text = json.dumps(encode(facts), ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:  # a value JSON cannot hold: not cached
            self.warnings.append(f"{source}: not cached ({_brief(exc)}); it is extracted "
                                 "again on every build")
            return
        self.new[source] = (digest, text)

    def save(self) -> None:
        """Write this build's entries (only), atomically; a failure is only a warning."""
        if self.path is None:
            return
        header = json.dumps({"format": _FORMAT, "key": self.key})
        lines = [header] + [json.dumps([s, d], ensure_ascii=False) + "\t" + facts
                            for s, (d, facts) in sorted(self.new.items())]
        try:
            write_atomic(self.path, "\n".join(lines) + "\n", prefix=".facts-", suffix=".tmp")
            (self.path.parent / OLD_CACHE_FILE).unlink(missing_ok=True)
        except (OutputError, OSError) as exc:
            self.warnings.append(f"could not write the cache ({exc}); graph.json is complete, "
                                 "but the next build will extract every note again")


def _load(path: Path, key: str) -> dict[str, tuple[str, str]]:
    if not path.exists():
        return {}
    if not path.is_file():
        raise ValueError("not a file")
    with path.open("rb") as fh:
        header = json.loads(fh.readline(4096))  # a header is short; random bytes need not be
        if not isinstance(header, dict) or header.get("key") != key:
            return {}  # written by another kg or for other options: just rebuild it
        entries = {}
        for number, raw in enumerate(fh, start=2):
            line = raw.decode("utf-8").rstrip("\n")
            head, tab, facts = line.partition("\t")
            pair = json.loads(head)
            if not tab or not (isinstance(pair, list) and len(pair) == 2
                               and all(isinstance(x, str) for x in pair)):
                raise ValueError(f"line {number} is not [source, hash] and facts")
            entries[pair[0]] = (pair[1], facts)
    return entries


def _brief(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


class gc_paused:
    """Pause the cyclic GC while allocating many long-lived objects.

    Decoding 10k notes' facts or resolving them makes millions of objects that
    all survive; each full collection rescans them all (2.4 s -> 0.8 s to load).
    """

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()
