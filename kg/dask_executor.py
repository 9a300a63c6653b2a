"""Extraction on a Dask cluster: `kg build --executor dask [--scheduler ADDRESS]`.

Extraction is a pure map from a note's bytes to its facts, so it runs on Dask
workers; resolution, the graph and every output file stay in this process (the
client), which also reads the notes: workers need kg installed, not the notes
folder. Results are taken back in file order, so the graph is byte-identical to a
local build. Without an address, a LocalCluster of `workers` processes is started
and stopped with the build.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence

from .errors import BackendError, InputError
from .notes import NoteFile

#: Notes in flight per worker: enough to keep each busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 8
CONNECT_TIMEOUT_S = 30


def _client(scheduler: str | None, workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        err = InputError("--executor dask needs Dask distributed, which is not installed")
        err.hint = "pip install 'kg[dask]' (on this machine and on every worker)."
        raise err from exc
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT_S), None
        except (OSError, TimeoutError, ValueError) as exc:
            err = BackendError(f"cannot reach the Dask scheduler at {scheduler} ({exc})")
            err.hint = "Check the address (e.g. tcp://host:8786) and that `dask scheduler` runs."
            raise err from exc
    # Any free port for the status page: two builds on one machine must not collide on 8787.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster), cluster


def extract_on_dask(files: Sequence[NoteFile], prepare: Callable[[NoteFile], object],
                    remote: Callable, options, scheduler: str | None,
                    workers: int) -> Iterator:
    """For each file in order: `prepare(nf)`, which is either a finished result or the
    (source, data) to send to `remote(source, data, options)` on a Dask worker.

    Closing the iterator (or Ctrl-C) closes the client, and a LocalCluster it started.
    """
    if not files:
        return
    client, cluster = _client(scheduler, workers)
    try:
        options_future = client.scatter(options, broadcast=True)
        width = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        pending: deque = deque()
        for nf in files:
            task = prepare(nf)
            if isinstance(task, tuple):
                task = client.submit(remote, *task, options_future, pure=False)
            pending.append(task)
            while len(pending) >= width:
                yield _done(pending.popleft())
        while pending:
            yield _done(pending.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _done(task):
    return task.result() if hasattr(task, "result") else task
