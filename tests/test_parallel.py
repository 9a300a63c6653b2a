"""Extraction in worker processes gives the same graph, byte for byte, as one process."""

from __future__ import annotations

from test_generated_corpus import generate

from kg.build import BuildOptions, build
from kg.parallel import MIN_FILES_FOR_WORKERS, worker_count


def test_workers_give_identical_output(tmp_path):
    generate.generate(60, tmp_path / "c", seed=5)
    notes = tmp_path / "c" / "notes"
    seen = []
    one = build([notes], tmp_path / "one", BuildOptions(workers=1, cache=False))
    two = build([notes], tmp_path / "two", BuildOptions(workers=2, cache=False),
                progress=lambda files: (seen.append(f) or f for f in files))
    assert (tmp_path / "one" / "graph.json").read_bytes() == \
        (tmp_path / "two" / "graph.json").read_bytes()
    assert one.read == two.read
    assert len(seen) == 60  # the progress bar advanced once per file


def test_few_files_stay_in_process():
    assert worker_count(4, MIN_FILES_FOR_WORKERS - 1) == 1
    assert worker_count(4, 1000) == 4
    assert worker_count(None, 1000) >= 1
    assert worker_count(8, MIN_FILES_FOR_WORKERS) == 8
