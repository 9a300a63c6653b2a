"""`owners` walks dependencies breadth-first: a ladder is linear, a long chain is no recursion,
and the Cypher twin on a real Bolt server gives the same rows."""

from __future__ import annotations

import json
import signal
import threading
import time
from contextlib import contextmanager

import pytest
from bolt_server import server_from_env, start_falkordb
from click.testing import CliRunner

from conftest import write_notes
from kg.backends.neo4j_store import Neo4jStore, Settings
from kg.build import BuildOptions, build
from kg.cli import main
from kg.queries import NetworkXBackend, StoreBackend, registry, run_query

LAYERS = 41  # 40 steps of 2 x 2 edges: 160 DEPENDS_ON, 2^40 paths to the bottom


def _key(layer: int, side: int) -> str:
    return f"LAD-{100 + 2 * layer + side}"


def ladder_note() -> str:
    lines = ["# Ladder review", "Date: 2024-03-01", "Attendees: Ann Lee, Bo Chen", ""]
    lines += [f"- {_key(k, a)} depends on {_key(k + 1, b)}"
              for k in range(LAYERS - 1) for a in (0, 1) for b in (0, 1)]
    lines += [f"- Ann Lee owns {_key(LAYERS - 1, 0)}", f"- Bo Chen owns {_key(20, 1)}",
              "", "## Action items", f"- Bo Chen to fix {_key(LAYERS - 1, 1)} by March 8"]
    return "\n".join(lines) + "\n"


def chain_note(n: int = 1200) -> str:
    lines = ["# Chain review", "Date: 2024-03-01", "Attendees: Ann Lee", ""]
    lines += [f"- CHN-{1000 + i} depends on CHN-{1001 + i}" for i in range(n)]
    lines += [f"- Ann Lee owns CHN-{1000 + n}"]
    return "\n".join(lines) + "\n"


@contextmanager
def deadline(seconds: float):
    """Fail instead of hanging the suite when a query goes exponential."""
    def expired(*_):
        raise TimeoutError(f"no answer within {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def ladder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ladder")
    notes = write_notes(folder / "notes", {"2024-03-01-ladder.md": ladder_note()})
    return build([notes], folder / "out", BuildOptions(cache=False))


def _owners(graph_path, key):
    return CliRunner().invoke(main, ["query", "owners", key, "--graph", str(graph_path),
                                     "--format", "json"])


def test_owners_on_a_ladder_answers_at_once(ladder):
    assert sum(1 for *_, d in ladder.graph.edges(data=True) if d["type"] == "DEPENDS_ON") == 160
    with deadline(30):
        started = time.perf_counter()
        result = _owners(ladder.out_path, _key(0, 0))
        seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert seconds < 1.0
    rows = json.loads(result.output)
    down_the_left = " DEPENDS_ON ".join(_key(k, 0) for k in range(LAYERS))
    assert [(r["person"], r["item"], r["via"]) for r in rows] == [
        ("Ann Lee", _key(LAYERS - 1, 0), down_the_left),
        ("Bo Chen", _key(20, 1), " DEPENDS_ON ".join([_key(k, 0) for k in range(20)]
                                                      + [_key(20, 1)])),
        ("Bo Chen", f"fix {_key(LAYERS - 1, 1)}",
         " DEPENDS_ON ".join([_key(k, 0) for k in range(LAYERS - 1)] + [_key(LAYERS - 1, 1)])),
    ]


def test_owners_down_a_chain_of_1200_needs_no_recursion(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-03-01-chain.md": chain_note()})
    out = build([notes], tmp_path / "out", BuildOptions(cache=False)).out_path
    with deadline(30):
        result = _owners(out, "CHN-1000")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["person"] == "Ann Lee" and row["via"].count(" DEPENDS_ON ") == 1200


# -- the Cypher twin on a real Bolt server -------------------------------------------------


@pytest.fixture(scope="module")
def store():
    server = server_from_env() or start_falkordb()
    s = Neo4jStore(Settings(**server.settings()))
    s.connect()
    yield s, server
    s.close()
    server.stop()


def _on_bolt_within(server, seconds: float, call):
    """Run `call` in a thread; a server still busy after `seconds` is stopped and fails."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(value=call()), daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        server.stop()
        pytest.fail(f"the Bolt server gave no answer within {seconds} s")
    return box.get("value"), time.perf_counter() - started


@pytest.mark.bolt
def test_owners_on_a_ladder_gives_the_same_rows_on_bolt(store, ladder):
    s, server = store
    s.load(ladder.graph, reset=True)
    query = registry()["owners"]
    rows, seconds = _on_bolt_within(server, 30, lambda: run_query(query, {"id": _key(0, 0)},
                                                                  StoreBackend(s)))
    with deadline(30):
        expected = run_query(query, {"id": _key(0, 0)}, NetworkXBackend(ladder.graph))
    assert rows == expected and len(rows) == 3
    assert seconds < 5.0
    assert server.alive()


@pytest.mark.bolt
def test_owners_down_a_long_chain_gives_the_same_rows_on_bolt(store, tmp_path):
    s, server = store
    notes = write_notes(tmp_path / "notes", {"2024-03-01-chain.md": chain_note(300)})
    graph = build([notes], None, BuildOptions(cache=False)).graph
    s.load(graph, reset=True)
    query = registry()["owners"]
    rows, _ = _on_bolt_within(server, 60, lambda: run_query(query, {"id": "CHN-1000"},
                                                            StoreBackend(s)))
    with deadline(30):
        assert rows == run_query(query, {"id": "CHN-1000"}, NetworkXBackend(graph))
    assert rows[0]["via"].count(" DEPENDS_ON ") == 300
