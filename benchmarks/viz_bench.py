"""How fast is the graph page on big graphs? Synthetic graphs of 1k, 5k and 20k nodes, and
graphs built from generated corpora (benchmarks/generate.py) such as 10,000 notes.

Each synthetic graph satisfies the contract in README.md (labels, ids, `mentions`,
typed edges with evidence). For each graph we time writing the page (default view:
capped at 500 nodes) and the time from navigation to a settled, drawn network in
headless Chromium (`window.kgReadyMs`, set by the page once physics has stopped and
the canvas is drawn). With `--baseline REF` the same graphs are also drawn by the
page code of a git ref (e.g. `main`), loaded in the same browser in the same run, so
the before/after ratio holds even on a busy machine. A script, not a test: prints a
table and writes benchmarks/VIZ_RESULTS.md.

    python benchmarks/viz_bench.py [--sizes 1000,5000,20000] [--notes 10000]
                                   [--baseline main] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg import vocab as V  # noqa: E402
from kg.build import BuildOptions, build  # noqa: E402
from kg.graph import read_graph, write_graph  # noqa: E402
from kg.viz import write_page  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
#: Built corpora are kept here between runs: a 10,000-note build takes minutes.
CORPUS_CACHE = Path(tempfile.gettempdir()) / "kg-viz-bench"
#: Writes a page with another checkout's kg: argv = root, graph.json, page, view as JSON.
OLD_WRITER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from kg.graph import read_graph
from kg.viz import write_page
write_page(read_graph(sys.argv[2]), sys.argv[3], **json.loads(sys.argv[4]))
"""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]
#: Share of nodes per label in the synthetic graphs (roughly a busy engineering org).
SHARE = {V.MEETING: 0.10, V.PERSON: 0.12, V.TEAM: 0.02, V.PRODUCT: 0.02, V.CUSTOMER: 0.03,
         V.ROLE: 0.01, V.TICKET: 0.30, V.INCIDENT: 0.03, V.ACTION_ITEM: 0.37}


def synthetic_graph(n_nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """A contract-shaped graph of about `n_nodes` nodes with skewed (realistic) degrees."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(kg_version="bench", schema=1)
    ids = {lab: _add_nodes(g, lab, max(1, int(n_nodes * share)), rng)
           for lab, share in SHARE.items()}
    for meeting in ids[V.MEETING]:
        src, day = g.nodes[meeting]["source"], g.nodes[meeting]["date"]
        people = {_skewed(ids[V.PERSON], rng) for _ in range(rng.randint(3, 8))}
        for line, p in enumerate(sorted(people), start=3):
            _edge(g, p, V.ATTENDED, meeting, src, line, day)
        for line in range(10, 10 + rng.randint(4, 10)):
            lab = rng.choice(V.ENTITY_LABELS)
            _edge(g, meeting, V.MENTIONS, _skewed(ids[lab], rng), src, line, day)
        _edge(g, _skewed(ids[V.PERSON], rng), V.HOSTED, meeting, src, 2, day)
    for item in ids[V.ACTION_ITEM]:
        a = g.nodes[item]
        _edge(g, _skewed(ids[V.PERSON], rng), V.OWNS, item, a["source"], a["line"], a["due"])
        _edge(g, item, V.TIED_TO, _skewed(ids[V.TICKET], rng), a["source"], a["line"], a["due"])
    for t in ids[V.TICKET]:
        if rng.random() < 0.3:
            _edge(g, t, V.DEPENDS_ON, _skewed(ids[V.TICKET], rng), "tracker.md", 1, "2024-10-01")
    for p in ids[V.PERSON]:
        _edge(g, p, V.MEMBER_OF, _skewed(ids[V.TEAM], rng), "org.md", 1, "2024-09-01")
        _edge(g, p, V.WORKS_ON, _skewed(ids[V.TICKET], rng), "standup.md", 4, "2024-10-02")
    for n, a in g.nodes(data=True):
        if a["label"] not in (V.MEETING, V.ACTION_ITEM):
            a["mentions"] = g.degree(n)
    return g


def _add_nodes(g: nx.MultiDiGraph, label: str, count: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(count):
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if label == V.MEETING:
            src = f"{day}-meeting-{i}.md"
            nid = V.meeting_id(src)
            g.add_node(nid, label=label, name=f"Meeting {i}", title=f"Meeting {i}", date=day,
                       source=src)
        elif label == V.ACTION_ITEM:
            src = f"{day}-meeting-{i % 997}.md"
            nid = V.item_id(src, 40 + i)
            g.add_node(nid, label=label, name=f"Follow up {i}", text=f"Follow up {i}", due=day,
                       status=rng.choice(["open", "done"]), source=src, line=40 + i)
        else:
            name = f"NEXUS-{i}" if label == V.TICKET else (
                f"INC-2024-{i:04d}" if label == V.INCIDENT else f"{label} {i}")
            nid = V.node_id(label, name)
            g.add_node(nid, label=label, name=name, mentions=0,
                       **({"aliases": []} if label == V.PERSON else {}))
        out.append(nid)
    return out


def _skewed(items: list[str], rng: random.Random) -> str:
    """A few items get most of the links, as real owners and hot tickets do."""
    return items[int(len(items) * rng.random() ** 3)]


def _edge(g, u, rel, v, source, line, day) -> None:
    if u == v or g.has_edge(u, v, key=rel):
        return
    g.add_edge(u, v, key=rel, type=rel,
               evidence=[{"source": source, "line": line, "text": f"{rel} line", "date": day}])


def time_in_browser(pages: list[Path], timeout_s: float = 180, repeat: int = 3) -> list[float]:
    """Median milliseconds from navigation to `window.kgReady` per page, one warm browser."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                  else r.abort())
        def ready_ms(path: Path) -> float:
            page = ctx.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("window.kgReady === true", timeout=timeout_s * 1000)
            ms = page.evaluate("window.kgReadyMs")
            page.close()
            return ms

        ready_ms(pages[0])  # warm-up: a cold browser's first page pays ~1 s of startup
        for path in pages:
            out.append(statistics.median(ready_ms(path) for _ in range(repeat)))
        ctx.close()
    return out


def corpus_graph(n_notes: int) -> nx.MultiDiGraph:
    """The graph of a generated corpus of `n_notes` notes, built once and kept."""
    root = CORPUS_CACHE / f"notes-{n_notes}"
    if not (root / "graph.json").exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(n_notes),
                        "--out", str(root)], check=True)
        build([root / "notes"], root, BuildOptions())
    return read_graph(root / "graph.json")


def baseline_checkout(ref: str, into: Path) -> Path:
    """The kg/ package (and its data) of git ref `ref`, unpacked under `into`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "kg", "pipelines"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def graphs(sizes: list[int], notes: list[int]):
    for n in sizes:
        t = time.perf_counter()
        g = synthetic_graph(n)
        yield f"{g.number_of_nodes():,} nodes (synthetic)", g, time.perf_counter() - t
    for n in notes:
        t = time.perf_counter()
        g = corpus_graph(n)
        yield (f"{n:,} notes: {g.number_of_nodes():,} nodes / {g.number_of_edges():,} edges",
               g, time.perf_counter() - t)


def run(sizes: list[int], uncapped_max: int, notes: list[int] = (),
        baseline: str | None = None) -> list[dict]:
    import pyvis.network  # noqa: F401 - paid once per process (~0.7 s); not a per-page cost

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old_root = baseline_checkout(baseline, Path(tmp)) if baseline else None
        jobs = []
        for gi, (name, g, gen_s) in enumerate(graphs(sizes, notes)):
            graph_json = Path(tmp) / f"graph{gi}.json"
            views = [("default (cap 500)", {})]
            if g.number_of_nodes() <= uncapped_max:
                views.append(("uncapped", {"max_nodes": 0}))
            person = max((x for x, a in g.nodes(data=True) if a["label"] == V.PERSON),
                         key=g.degree)
            views.append(("--focus busiest person --depth 1", {"focus": person, "depth": 1}))
            if old_root:
                write_graph(g, graph_json)
            for view_name, view in views:
                path = Path(tmp) / f"g{len(jobs)}.html"
                t = time.perf_counter()
                write_page(g, path, **view)
                row = {"graph": name, "view": view_name, "drawn": _drawn(path),
                       "gen_s": gen_s, "write_s": time.perf_counter() - t,
                       "size_kb": path.stat().st_size // 1024}
                if old_root:
                    row["old_page"] = Path(tmp) / f"g{len(jobs)}-old.html"
                    subprocess.run([sys.executable, "-c", OLD_WRITER, str(old_root),
                                    str(graph_json), str(row["old_page"]),
                                    json.dumps(view)], check=True)
                jobs.append((path, row))
        # Before and after side by side, so a machine that slows down mid-run slows both.
        pages = [p for path, row in jobs for p in (path, row.get("old_page")) if p]
        times = dict(zip(pages, time_in_browser(pages), strict=True))
        for path, row in jobs:
            row["ready_s"] = times[path] / 1000
            if "old_page" in row:
                row["old_ready_s"] = times[row.pop("old_page")] / 1000
            rows.append(row)
    return rows


def _drawn(path: Path) -> int:
    return path.read_text(encoding="utf-8").count('"group":')


def table(rows: list[dict]) -> str:
    old = any("old_ready_s" in r for r in rows)
    head = ("| graph | view | nodes in page | write page (s) | page size (KB) "
            "| navigation → settled render (s) |"
            + (" before (s) | after / before |" if old else "") + "\n"
            + "|---|---|---:|---:|---:|---:|" + ("---:|---:|" if old else "") + "\n")
    lines = []
    for r in rows:
        line = (f"| {r['graph']} | {r['view']} | {r['drawn']:,} | {r['write_s']:.2f} | "
                f"{r['size_kb']:,} | {r['ready_s']:.2f} |")
        if "old_ready_s" in r:
            line += f" {r['old_ready_s']:.2f} | {r['ready_s'] / r['old_ready_s']:.2f} |"
        lines.append(line + "\n")
    return head + "".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000", help="Synthetic graph sizes (nodes).")
    ap.add_argument("--notes", default="", help="Also graphs built from generated corpora of "
                    "these many notes, e.g. 10000 (kept under the temp folder between runs).")
    ap.add_argument("--baseline", metavar="REF", help="Also time the pages the kg/ of this git "
                    "ref writes, in the same browser run (before/after ratios).")
    ap.add_argument("--uncapped-max", type=int, default=1000,
                    help="Also time the uncapped page for graphs up to this size.")
    ap.add_argument("--no-write", action="store_true", help="Do not write VIZ_RESULTS.md.")
    args = ap.parse_args()
    rows = run([int(s) for s in args.sizes.split(",") if s], args.uncapped_max,
               [int(s) for s in args.notes.split(",") if s], args.baseline)
    text = table(rows)
    print(text)
    if not args.no_write:
        (REPO / "benchmarks" / "VIZ_RESULTS.md").write_text(
            "# Graph page timings\n\n"
            f"`python benchmarks/viz_bench.py` on {platform.platform()}, Python "
            f"{platform.python_version()}, headless Chromium ({CHROMIUM}), 1280x800, no GPU.\n"
            "Synthetic contract-shaped graphs and generated corpora; \"settled render\" is\n"
            "navigation start to the page's `window.kgReady` (physics stabilised and stopped,\n"
            "canvas drawn); median of 3 loads in a warm browser (a cold browser's first page\n"
            "adds about 1 s).\n"
            + (f"\"before\" is the page written by the kg/ of git ref `{args.baseline}`, loaded "
               "in the same browser in the same run.\n" if args.baseline else "")
            + f"\n`{' '.join(['python benchmarks/viz_bench.py', *sys.argv[1:]])}`\n\n"
            + text, encoding="utf-8")


if __name__ == "__main__":
    main()
