"""One `kg build`, run by benchmarks/run.py in its own process so its memory can be measured.

    python benchmarks/_child.py NOTES OUT [--workers N] [--no-cache] [--executor dask]
                                          [--profile FILE]

Prints one JSON line: total seconds and the seconds of each phase (extraction
or cache, resolution, graph model, JSON writing), timed by wrapping the
functions kg.build calls, so kg itself needs no timing hooks.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import time

PHASES = ("_extract_all", "Resolver", "build_graph", "write_graph", "write_index")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("notes")
    parser.add_argument("out")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--executor", default="local")
    parser.add_argument("--profile")
    args = parser.parse_args()
    started = time.perf_counter()
    build_module = importlib.import_module("kg.build")
    imported = time.perf_counter() - started
    phases = _time_phases(build_module)
    options = build_module.BuildOptions(workers=args.workers, cache=not args.no_cache,
                                        executor=args.executor)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    result = build_module.build([args.notes], args.out, options)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(json.dumps({"seconds": result.seconds, "import_seconds": imported,
                      "phases": phases, "nodes": result.graph.number_of_nodes(),
                      "edges": result.graph.number_of_edges(), "notes": len(result.read)}))


def _time_phases(module) -> dict[str, float]:
    totals: dict[str, float] = {}
    for name in PHASES:
        setattr(module, name, _timed(getattr(module, name), name, totals))
    return totals


def _timed(fn, name, totals):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - t
    return wrapper


if __name__ == "__main__":
    main()
