"""Shared fixtures: tiny notes written in the test, built into graphs in tmp dirs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.build import build
from kg.extract.note import extract
from kg.notes import Note

REPO = Path(__file__).resolve().parent.parent


def note_facts(text: str, source: str = "2024-11-01-sync.md"):
    """Extract one note written inline in a test."""
    return extract(Note(source, textwrap.dedent(text).lstrip("\n"), "utf-8"))


def write_notes(folder: Path, notes: dict[str, str]) -> Path:
    for name, text in notes.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def triples(graph, rel: str) -> set[tuple[str, str]]:
    """(source name, target name) of every `rel` edge; meetings by source, items by text."""
    def name(nid):
        a = graph.nodes[nid]
        return a.get("source") if a["label"] == "Meeting" else a["name"]
    return {(name(s), name(t)) for s, t, d in graph.edges(data=True) if d["type"] == rel}


def names(graph, label: str) -> set[str]:
    return {a["name"] for _, a in graph.nodes(data=True) if a["label"] == label}


def bench_generator():
    """benchmarks/generate.py as a module: writes a seeded corpus of N notes."""
    spec = importlib.util.spec_from_file_location("kg_bench_generate",
                                                  REPO / "benchmarks" / "generate.py")
    if spec.name in sys.modules:
        return sys.modules[spec.name]
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def build_notes(tmp_path):
    """Build a graph from {file name: text}; returns the BuildResult."""
    def _build(notes: dict[str, str], **kwargs):
        src = write_notes(tmp_path / "notes", notes)
        return build([src], tmp_path / "out", **kwargs)
    return _build


#: Root ignores file permissions; without these two capabilities it obeys them like anyone.
_NO_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
           "--bounding-set=-dac_override,-dac_read_search", "--"]


def run_unprivileged(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `cmd` so that file permissions apply to it, even when the tests run as root."""
    prefix = _NO_DAC if os.geteuid() == 0 else []
    return subprocess.run(prefix + cmd, capture_output=True, text=True, timeout=120, **kwargs)


class RunsCode:
    """What a hostile pickle holds: unpickling it runs a shell command that creates `marker`."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))
