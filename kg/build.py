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
from .dask_executor import extract_on_dask
from .errors import InputError, NoteTooDense
from .extract.facts import NoteFacts
from .graph import SCHEMA_VERSION, build_graph, write_graph
from .index import write_index
from .notes import DEFAULT_MAX_BYTES, NoteFile, Skipped, read_bytes, scan, to_note
from .outdir import DEFAULT_OUT, OutputLock
from .parallel import default_workers, extract_many, with_progress, worker_count
from .resolve import Resolver
from .viz import write_page

__all__ = ["DEFAULT_OUT", "BuildOptions", "BuildResult", "build"]


@dataclass(frozen=True)
class BuildOptions:
    incident_prefixes: tuple[str, ...] | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    aliases: Path | None = None
    workers: int | None = None  # extraction processes; None = os.cpu_count()
    cache: bool = True  # reuse OUT/.kg-cache/ for unchanged notes (needs out_dir)
    follow_symlinks: bool = False  # read links to files outside the notes folder
    html: bool = False  # also write OUT/graph.html (under the same lock as graph.json)
    executor: str = "local"  # "local": a process pool here; "dask": a Dask cluster
    scheduler: str | None = None  # Dask scheduler address; None starts a LocalCluster
    include: tuple[str, ...] = ()  # globs a file must match to be read (none: every file)
    exclude: tuple[str, ...] = ()  # globs of files not to read
    as_of: str | None = None  # the date the page's item colours are for; None = today


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    read: list[str]
    skipped: list[Skipped]
    warnings: list[str]
    seconds: float
    out_path: Path | None = None
    page_path: Path | None = None

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
            **({"page": str(self.page_path)} if self.page_path else {}),
        }


@dataclass(frozen=True)
class Extracted:
    """One file's extraction, with the hash of exactly the bytes it was made from."""

    result: NoteFacts | Skipped
    digest: str | None = None


def extract_file(nf: NoteFile, options: BuildOptions) -> Extracted:
    """Read and extract one file. Pure and picklable, so it can run in a worker.

    The bytes are read once and hashed as read: a note edited during the build
    is cached with the hash of the text its facts came from.
    """
    data = _read(nf, options)
    return data if isinstance(data, Extracted) else extract_data(*data, options)


def _read(nf: NoteFile, options: BuildOptions) -> Extracted | tuple[str, bytes]:
    """A file's (source, bytes) to extract, or the Extracted reason it is skipped."""
    data = read_bytes(nf, options.max_bytes, options.follow_symlinks)
    return Extracted(data) if isinstance(data, Skipped) else (nf.source, data)


def extract_data(source: str, data: bytes, options: BuildOptions) -> Extracted:
    """Extract one note from its bytes: what a worker, local or on Dask, runs."""
    from .extract.note import extract  # spaCy: imported by the processes that extract

    note = to_note(source, data)
    if isinstance(note, Skipped):
        return Extracted(note)
    try:
        return Extracted(extract(note, options.incident_prefixes), content_hash(data))
    except NoteTooDense as exc:
        return Extracted(Skipped(source, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one bad note must not stop a 10,000-note build
        return Extracted(Skipped(source, f"could not be extracted ({type(exc).__name__}: "
                                         f"{exc}); this is a kg bug, please report it "
                                         "with the note"))


def build(paths: Iterable[str | Path], out_dir: str | Path | None = DEFAULT_OUT,
          options: BuildOptions | None = None,
          progress: Callable[[Iterable[NoteFile]], Iterable[NoteFile]] | None = None,
          on_wait: Callable[[str], None] | None = None) -> BuildResult:
    """Build the graph of every note under `paths`; write `out_dir/graph.json` if given.

    Builds into one `out_dir` run one at a time; `on_wait` hears when this one waits.
    """
    options = options or BuildOptions()
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no notes given")
    if out_dir is None:
        return _build(paths, None, options, progress)
    with OutputLock(Path(out_dir), on_wait):
        return _build(paths, Path(out_dir), options, progress)


def _build(paths: list[Path], out_dir: Path | None, options: BuildOptions,
           progress) -> BuildResult:
    started = time.perf_counter()
    # "kg build ." must not read back the graph.html it wrote, nor list graph.json as skipped.
    found = scan(paths, options.include, options.exclude, leave_out=out_dir)
    aliases = _aliases(paths, options)
    notes, skipped, cache_warnings = _extract_all(found.files, out_dir, options, progress)
    skipped = sorted(found.skipped + skipped, key=lambda s: s.source)
    if not notes:
        where = ", ".join(str(p) for p in paths)
        detail = ""
        if skipped:
            first = f"{skipped[0].source}: {skipped[0].reason}"
            more = f"; {len(skipped) - 1} more skipped" if len(skipped) > 1 else ""
            detail = f" ({first}{more})"
        raise InputError(f"no readable notes in {where}{detail}")
    with gc_paused():  # O(facts) long-lived objects: GC rescans cost ~20% here
        resolver = Resolver(notes, aliases)
        meta = {"kg_version": __version__, "schema": SCHEMA_VERSION,
                "sources": sorted(n.source for n in notes)}
        graph = build_graph(notes, resolver, meta)
    warnings = [f"{n.source}: {w}" for n in notes for w in n.warnings] + resolver.warnings
    result = BuildResult(graph=graph, read=sorted(n.source for n in notes), skipped=skipped,
                         warnings=sorted(set(warnings)) + cache_warnings, seconds=0.0)
    if out_dir is not None:
        result.out_path = out_dir / "graph.json"
        write_graph(graph, result.out_path)
        write_index(graph, result.out_path)  # after graph.json: it records what it indexes
        if options.html:
            result.page_path = write_page(graph, out_dir / "graph.html", as_of=options.as_of)
    result.seconds = time.perf_counter() - started
    return result


def _extract_all(files: list[NoteFile], out_dir, options: BuildOptions, progress,
                 ) -> tuple[list[NoteFacts], list[Skipped], list[str]]:
    """NoteFacts per file, in file order: from the cache if unchanged, else extracted."""
    cache = FactsCache.open(out_dir if options.cache else None,
                            cache_key(options.incident_prefixes))
    done: dict[str, NoteFacts | Skipped] = {}
    with gc_paused():
        for nf in files:
            if cache.knows(nf.source):  # only a cached note is worth hashing here
                data = read_bytes(nf, options.max_bytes, options.follow_symlinks)
                hit = data if isinstance(data, Skipped) else cache.get(nf.source,
                                                                       content_hash(data))
                if hit is not None:
                    done[nf.source] = hit
    todo = [nf for nf in files if nf.source not in done]
    if options.executor == "dask":
        results = extract_on_dask(todo, lambda nf: _read(nf, options), extract_data, options,
                                  options.scheduler, options.workers or default_workers())
    else:
        results = extract_many(todo, extract_file, options,
                               worker_count(options.workers, len(todo)))
    try:
        for nf, got in with_progress(todo, results, progress):
            done[nf.source] = got.result
            if isinstance(got.result, NoteFacts) and got.digest is not None:
                cache.put(nf.source, got.digest, got.result)
    finally:
        results.close()  # stops worker processes now, also on Ctrl-C
        cache.save()  # after Ctrl-C too: what was extracted is not lost
    ordered = [done[nf.source] for nf in files]
    return ([r for r in ordered if isinstance(r, NoteFacts)],
            [r for r in ordered if isinstance(r, Skipped)], cache.warnings)


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
