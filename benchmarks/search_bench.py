"""Figures for `kg search`: prints numbers, asserts nothing.

    python benchmarks/search_bench.py GRAPH.json [--runs 3]

Times, each as a fresh process as a user runs it (so loading graph.json is
included): `kg query person NAME` (the baseline) and `kg search` for a name,
a phrase and a word that matches nothing, alternating runs in one invocation
so machine load hits both alike. Prints medians and each search's ratio to the
query. Then, in one process, the search call alone after the graph is loaded.
Make a graph with `python benchmarks/generate.py 10000 --out DIR` and `kg build`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _kg(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg.cli", *args], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(args.graph.read_text(encoding="utf-8"))
    person = next(n["name"] for n in data["nodes"] if n["label"] == "Person")
    evidence = sum(len(e.get("evidence") or ()) for e in data["edges"])
    print(f"graph: {len(data['nodes']):,} nodes, {len(data['edges']):,} relationships, "
          f"{evidence:,} evidence lines")
    del data
    graph = ["--graph", str(args.graph)]
    commands = {"query person": ["query", "person", person, *graph],
                "search name": ["search", person, *graph],
                "search phrase": ["search", "blocked by", *graph],
                "search no match": ["search", "zzyzx", *graph]}
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_kg(*command))
    base = statistics.median(times["query person"])
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:16} median {median:6.2f} s  ({median / base:.2f}x query)  "
              f"runs {', '.join(f'{t:.2f}' for t in runs)}")

    from kg.graph import read_graph
    from kg.search import search

    start = time.perf_counter()
    g = read_graph(args.graph)
    print(f"in one process: read_graph {time.perf_counter() - start:.2f} s")
    for text in (person, "blocked by", "zzyzx"):
        start = time.perf_counter()
        rows = search(g, text)
        print(f"  search {text!r}: {time.perf_counter() - start:.2f} s, {len(rows)} rows")


if __name__ == "__main__":
    main()
