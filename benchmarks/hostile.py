"""Figures for the hostile-input work (issue 12): prints numbers, asserts nothing.

    python benchmarks/hostile.py [--notes 1000] [--baseline /path/to/other/kg/checkout]

- `owners` on a ladder of 41 layers x 2 tickets (160 DEPENDS_ON, 2^40 paths):
  time and peak memory on NetworkX (tracemalloc) and on FalkorDB over Bolt
  (the server's peak RSS, VmHWM, before and after the query).
- `kg build` of a folder holding a link to /dev/zero, with and without
  --follow-symlinks: wall time of the whole command.
- Incremental rebuild of N generated notes after editing one (median of 3,
  each build in its own process). With --baseline, the same rebuild with
  another kg checkout (e.g. `git archive f58a50e`), alternating runs in this
  one invocation, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]

import generate  # noqa: E402

LAYERS = 41


def ladder_note() -> str:
    key = lambda layer, side: f"LAD-{100 + 2 * layer + side}"  # noqa: E731
    lines = ["# Ladder", "Date: 2024-03-01", "Attendees: Ann Lee", ""]
    lines += [f"- {key(k, a)} depends on {key(k + 1, b)}"
              for k in range(LAYERS - 1) for a in (0, 1) for b in (0, 1)]
    lines.append(f"- Ann Lee owns {key(LAYERS - 1, 0)}")
    return "\n".join(lines) + "\n"


def bench_ladder(work: Path) -> dict:
    from kg.build import BuildOptions, build
    from kg.queries import NetworkXBackend, StoreBackend, registry, run_query
    notes = work / "ladder"
    notes.mkdir()
    (notes / "2024-03-01-ladder.md").write_text(ladder_note(), encoding="utf-8")
    graph = build([notes], None, BuildOptions(cache=False)).graph
    query, args = registry()["owners"], {"id": "LAD-100"}
    run_query(query, dict(args), NetworkXBackend(graph))  # index the graph once
    tracemalloc.start()
    started = time.perf_counter()
    rows = run_query(query, dict(args), NetworkXBackend(graph))
    nx_s = time.perf_counter() - started
    nx_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    depends_on = sum(1 for *_, d in graph.edges(data=True) if d["type"] == "DEPENDS_ON")
    result = {"depends_on_edges": depends_on, "rows": len(rows), "networkx_s": nx_s,
              "networkx_peak_kb": nx_peak / 1024}
    result.update(_ladder_on_bolt(graph, query, args, rows, StoreBackend, run_query))
    return result


def _ladder_on_bolt(graph, query, args, expected, store_backend, run_query) -> dict:
    from bolt_server import start_falkordb

    from kg.backends.neo4j_store import Neo4jStore, Settings
    server = start_falkordb()
    try:
        with Neo4jStore(Settings(**server.settings())) as store:
            store.load(graph, reset=True)
            before = _peak_rss_kb(server.process.pid)
            started = time.perf_counter()
            rows = run_query(query, dict(args), store_backend(store))
            seconds = time.perf_counter() - started
            after = _peak_rss_kb(server.process.pid)
        return {"falkordb_s": seconds, "falkordb_peak_rss_kb_before": before,
                "falkordb_peak_rss_kb_after": after, "same_rows": rows == expected}
    finally:
        server.stop()


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def bench_dev_zero(work: Path) -> dict:
    notes = work / "zero"
    notes.mkdir()
    (notes / "2024-01-01-a.md").write_text("# A\nDate: 2024-01-01\nAttendees: Ann Lee\n")
    (notes / "zero.md").symlink_to("/dev/zero")
    out = {}
    for name, extra in (("default", []), ("follow_symlinks", ["--follow-symlinks"])):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(notes), "--out",
                               str(work / f"zero-{name}"), "--no-html", *extra],
                              capture_output=True, text=True, timeout=600, cwd=REPO)
        out[name] = {"seconds": time.perf_counter() - started, "exit": proc.returncode,
                     "skipped": [ln.strip() for ln in proc.stdout.splitlines()
                                 if "skipped zero.md" in ln]}
    return out


def bench_incremental(work: Path, n: int, baseline: Path | None) -> dict:
    notes = work / "corpus" / "notes"
    generate.generate(n, work / "corpus", seed=7)
    victim = sorted(notes.iterdir())[n // 2]
    original = victim.read_bytes()
    kinds = {"current": REPO} | ({"baseline": baseline} if baseline else {})
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for kind, checkout in kinds.items():
        _child(checkout, notes, work / f"out-{kind}")  # the clean build fills the cache
    try:
        for i in range(3):
            victim.write_bytes(original + f"\nOne more line, edit {i}.\n".encode())
            for kind, checkout in kinds.items():
                times[kind].append(_child(checkout, notes, work / f"out-{kind}")["seconds"])
    finally:
        victim.write_bytes(original)
    result = {k: {"median_s": statistics.median(v), "runs_s": v} for k, v in times.items()}
    if baseline:
        result["current_over_baseline"] = (result["current"]["median_s"]
                                           / result["baseline"]["median_s"])
    return result


def _child(checkout: Path, notes: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.run([sys.executable, str(HERE / "_child.py"), str(notes), str(out)],
                          capture_output=True, text=True, env=env, cwd=checkout, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--baseline", type=Path, help="another kg checkout to compare with")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-hostile-"))
    try:
        report = {"ladder_owners": bench_ladder(work), "dev_zero_link_build": bench_dev_zero(work),
                  f"incremental_rebuild_{args.notes}": bench_incremental(work, args.notes,
                                                                          args.baseline)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
