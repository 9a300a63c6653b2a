"""Commands import only what they use: `kg --help` must not wait seconds for spaCy.

Each check runs a fresh interpreter with `-X importtime`, which lists every
module imported, and asserts on the names (never on the time: timings are
benchmarks/run.py's job).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

HEAVY = ("spacy", "networkx", "neo4j", "pyvis", "numpy", "thinc")


def imported(*argv: str, cwd=REPO) -> set[str]:
    """Top-level packages a fresh `kg ARGV` imports (it runs to completion)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg.cli", *argv],
                          capture_output=True, text=True, cwd=cwd, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("argv", [("--version",), ("--help",), ("build", "--help"),
                                  ("query", "--help"), ("viz", "--help"), ("load", "--help")])
def test_help_and_version_import_nothing_heavy(argv):
    names = imported(*argv)
    assert "kg" in names  # the check itself works
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_query_list_needs_no_spacy_or_driver():
    names = imported("query", "--list")
    assert not names & {"spacy", "thinc", "neo4j", "pyvis"}, names


def test_public_names_still_import():
    code = ("import kg, sys; from kg import build, BuildOptions, KgError, read_graph; "
            "import importlib; m = importlib.import_module('kg.build'); "
            "assert kg.build is m.build is build; "
            "assert 'spacy' not in sys.modules; print(kg.__version__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == __import__("kg").__version__
