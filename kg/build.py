"""`kg build` as a library call: notes in, graph out.

    >>> result = build(["seeds/"], out_dir="kg-out")      # doctest: +SKIP
    >>> result.graph.number_of_nodes()                     # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import __version__
from .aliases import ALIAS_FILE, Aliases
from .cache import FactsCache, cache_key, content_hash, gc_paused
from .errors import InputError
from .extract.facts import NoteFacts
from .extract.note import extract
from .graph import SCHEMA_VERSION, build_graph, write_graph
from .notes import DEFAULT_MAX_BYTES, NoteFile, Skipped, discover, read
from .parallel import extract_many, with_progress, worker_count
from .resolve import Resolver

DEFAULT_OUT = "kg-out"


@dataclass(frozen=True)
class BuildOptions:
    incident_prefixes: tuple[str, ...] | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    aliases: Path | None = None
    workers: int | None = None  # extraction processes; None = os.cpu_count()
    cache: bool = True  # reuse OUT/.kg-cache/ for unchanged notes (needs out_dir)


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    read: list[str]
    skipped: list[Skipped]
    warnings: list[str]
    seconds: float
    out_path: Path | None = None

    def counts(self) -> tuple[Counter, Counter]:
        labels = Counter(a["label"] for _, a in self.graph.nodes(data=True))
        rels = Counter(d["type"] for _, _, d in self.graph.edges(data=True))
        return labels, rels

    def summary(self) -> dict:
        labels, rels = self.counts()
        return {
            "files_read": len(self.read),
            "files_skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "nodes": dict(sorted(labels.items())),
            "relationships": dict(sorted(rels.items())),
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
            "graph": str(self.out_path) if self.out_path else None,
        }


def extract_file(nf: NoteFile, options: BuildOptions) -> NoteFacts | Skipped:
    """Read and extract one file. Pure and picklable, so it can run in a worker."""
    note = read(nf, options.max_bytes)
    if isinstance(note, Skipped):
        return note
    try:
        return extract(note, options.incident_prefixes)
    except Exception as exc:  # noqa: BLE001 - one bad note must not stop a 10,000-note build
        return Skipped(nf.source, f"could not be extracted ({type(exc).__name__}: {exc}); "
                                  "this is a kg bug, please report it with the note")


def build(paths: Iterable[str | Path], out_dir: str | Path | None = DEFAULT_OUT,
          options: BuildOptions | None = None,
          progress: Callable[[Iterable[NoteFile]], Iterable[NoteFile]] | None = None,
          ) -> BuildResult:
    """Build the graph of every note under `paths`; write `out_dir/graph.json` if given."""
    options = options or BuildOptions()
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no notes given")
    files = discover(paths)
    aliases = _aliases(paths, options)
    notes, skipped = _extract_all(files, out_dir, options, progress)
    if not notes:
        where = ", ".join(str(p) for p in paths)
        detail = ""
        if skipped:
            first = f"{skipped[0].source}: {skipped[0].reason}"
            more = f"; {len(skipped) - 1} more skipped" if len(skipped) > 1 else ""
            detail = f" ({first}{more})"
        raise InputError(f"no readable .md, .markdown or .txt notes in {where}{detail}")
    with gc_paused():  # O(facts) long-lived objects: GC rescans cost ~20% here
        resolver = Resolver(notes, aliases)
        meta = {"kg_version": __version__, "schema": SCHEMA_VERSION,
                "sources": sorted(n.source for n in notes)}
        graph = build_graph(notes, resolver, meta)
    warnings = [f"{n.source}: {w}" for n in notes for w in n.warnings] + resolver.warnings
    out_path = None
    if out_dir is not None:
        out_path = Path(out_dir) / "graph.json"
        write_graph(graph, out_path)
    return BuildResult(graph=graph, read=sorted(n.source for n in notes), skipped=skipped,
                       warnings=sorted(set(warnings)), seconds=time.perf_counter() - started,
                       out_path=out_path)


def _extract_all(files: list[NoteFile], out_dir, options: BuildOptions, progress,
                 ) -> tuple[list[NoteFacts], list[Skipped]]:
    """NoteFacts per file, in file order: from the cache if unchanged, else extracted."""
    cache = FactsCache.open(out_dir if options.cache else None,
                            cache_key(options.incident_prefixes))
    digests = {nf.source: content_hash(nf) for nf in files} if cache.path else {}
    with gc_paused():
        done = {nf.source: hit for nf in files
                if (hit := cache.get(nf.source, digests.get(nf.source))) is not None}
    todo = [nf for nf in files if nf.source not in done]
    results = extract_many(todo, extract_file, options, worker_count(options.workers, len(todo)))
    for nf, result in with_progress(todo, results, progress):
        done[nf.source] = result
    cache_entries = ((nf.source, done[nf.source]) for nf in files)
    for source, result in cache_entries:
        if isinstance(result, NoteFacts):
            cache.put(source, digests.get(source), result)
    cache.save()
    ordered = [done[nf.source] for nf in files]
    return ([r for r in ordered if isinstance(r, NoteFacts)],
            [r for r in ordered if isinstance(r, Skipped)])


def _aliases(paths: list[Path], options: BuildOptions) -> Aliases:
    if options.aliases is not None:
        if not options.aliases.exists():
            raise InputError(f"{options.aliases}: alias file not found")
        return Aliases.read(options.aliases)
    for p in paths:
        candidate = (p if p.is_dir() else p.parent) / ALIAS_FILE
        if candidate.exists():
            return Aliases.read(candidate)
    return Aliases()
