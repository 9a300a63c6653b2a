"""Reading a hostile folder: only regular files, bounded reads, no escape through links."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import run_unprivileged, write_notes
from kg.build import BuildOptions, build
from kg.cli import main

NOTE = "# Sync\nDate: 2024-01-01\nAttendees: Ann Lee\n\n- Ann Lee raised a concern about NEXUS-1\n"


def _cli_build(notes: Path, out: Path, *extra: str, timeout: float = 60):
    """`kg build` in its own process, so a hang or a runaway read fails the test, not the run."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(notes), "--out", str(out),
                           "--no-html", *extra], capture_output=True, timeout=timeout,
                          preexec_fn=limit_memory)
    return proc, time.perf_counter() - started


def test_a_link_to_dev_zero_is_skipped_fast_with_a_reason(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    (notes / "zero.md").symlink_to("/dev/zero")
    proc, seconds = _cli_build(notes, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert b"skipped zero.md: a link to a file outside the notes folder" in proc.stdout
    proc, seconds = _cli_build(notes, tmp_path / "out", "--follow-symlinks")
    assert proc.returncode == 0, proc.stderr
    assert b"skipped zero.md: not a regular file (a device)" in proc.stdout
    assert seconds < 30


def test_a_fifo_named_like_a_note_does_not_hang(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    os.mkfifo(notes / "x.md")
    proc, _ = _cli_build(notes, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert b"skipped x.md: not a regular file (a FIFO)" in proc.stdout


def test_reads_stop_at_the_limit_even_when_the_size_is_not_known(tmp_path):
    # /proc files report size 0 yet hold kilobytes: only counting what is read catches them.
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    (notes / "maps.md").symlink_to("/proc/self/maps")
    result = build([notes], tmp_path / "out",
                   BuildOptions(follow_symlinks=True, max_bytes=2048, cache=False))
    [skip] = result.skipped
    assert skip.source == "maps.md" and "over the 0.002 MB limit" in skip.reason


def test_links_out_of_the_notes_folder_need_follow_symlinks(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("# Secret\nDate: 2024-01-02\nAttendees: Zed Secret\n")
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    (notes / "secret.md").symlink_to(outside / "secret.txt")
    (notes / "inside.md").symlink_to(notes / "2024-01-01-a.md")
    runner = CliRunner()
    res = runner.invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"), "--no-html"])
    assert res.exit_code == 0, res.output
    assert "skipped secret.md: a link to a file outside the notes folder " \
           "(pass --follow-symlinks to read it)" in res.output
    assert "Zed Secret" not in (tmp_path / "o" / "graph.json").read_text(encoding="utf-8")
    assert "skipped inside.md" not in res.output
    res = runner.invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"), "--no-html",
                               "--follow-symlinks"])
    assert res.exit_code == 0 and "skipped" not in res.output.split("Nodes:")[0].split("\n", 1)[1]
    assert "Zed Secret" in (tmp_path / "o" / "graph.json").read_text(encoding="utf-8")


def test_two_roots_with_the_same_folder_name_keep_both_notes(tmp_path):
    x = write_notes(tmp_path / "x" / "notes", {"a.md": NOTE})
    y = write_notes(tmp_path / "y" / "notes", {"a.md": NOTE.replace("Ann Lee", "Bo Chen"),
                                               "b.md": NOTE})
    first = build([x, y], tmp_path / "one", BuildOptions(cache=False))
    second = build([y, x], tmp_path / "two", BuildOptions(cache=False))
    assert first.read == ["x/notes/a.md", "y/notes/a.md", "y/notes/b.md"]
    assert first.out_path.read_bytes() == second.out_path.read_bytes()


def test_a_file_name_that_is_not_utf8_is_read_and_printed_safely(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    odd = os.path.join(os.fsencode(notes), b"caf\xe9.md")
    with open(odd, "wb") as fh:
        fh.write(b"# Caf\xc3\xa9\nAttendees: Zo\xc3\xa9 Martin\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "caf\\xe9.md: no meeting date found" in res.output
    graph = json.loads((out / "graph.json").read_bytes().decode("utf-8"))
    assert "caf\\xe9.md" in graph["graph"]["sources"]
    assert "caf\\\\xe9.md" in (out / "graph.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(out), "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.output)["files_read"] == 2


def test_an_unreadable_subfolder_is_reported(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE, "private/b.md": NOTE})
    os.chmod(notes / "private", 0)
    try:
        proc = run_unprivileged([sys.executable, "-m", "kg.cli", "build", str(notes),
                                 "--out", str(tmp_path / "out"), "--no-html"])
    finally:
        os.chmod(notes / "private", 0o755)
    assert proc.returncode == 0, proc.stderr
    assert "skipped private: cannot read folder: Permission denied" in proc.stdout


def test_a_linked_folder_is_reported_not_followed(tmp_path):
    notes = write_notes(tmp_path / "notes", {"2024-01-01-a.md": NOTE})
    (notes / "loop").symlink_to(notes)
    result = build([notes], tmp_path / "out", BuildOptions(cache=False))
    assert [(s.source, s.reason) for s in result.skipped] == [
        ("loop", "a link to a folder (kg does not follow folder links)")]
