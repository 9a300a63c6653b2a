"""The output folder: one build at a time, nothing left by a killed one, the user's umask,
a clean exit on Ctrl-C, and a one-line error when it cannot be written."""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from test_generated_corpus import generate

from conftest import REPO, write_notes
from kg.build import BuildOptions, build
from kg.cli import main

NOTE = {"2024-01-01-a.md": "# Sync\nDate: 2024-01-01\nAttendees: Ann Lee\n"}


def test_graph_json_respects_the_umask(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTE)
    out = tmp_path / "out"
    for umask, mode in ((0o022, 0o644), (0o077, 0o600)):
        old = os.umask(umask)
        try:
            res = CliRunner().invoke(main, ["build", str(notes), "--out", str(out)])
        finally:
            os.umask(old)
        assert res.exit_code == 0, res.output
        for name in ("graph.json", "graph.html"):
            assert stat.S_IMODE((out / name).stat().st_mode) == mode, (name, oct(umask))


def test_temp_files_a_killed_build_left_are_removed(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTE)
    out = tmp_path / "out"
    (out / ".kg-cache").mkdir(parents=True)
    stale = [out / ".graph-k1ll3d.json.tmp", out / ".graph-k1ll3d.html.tmp",
             out / ".kg-cache" / ".facts-k1ll3d.tmp"]
    for path in stale:
        path.write_text("half a file")
    (out / "keep.json.tmp").write_text("not ours")
    build([notes], out, BuildOptions())
    assert [p for p in stale if p.exists()] == []
    assert (out / "keep.json.tmp").exists()


def test_concurrent_builds_into_one_folder_wait_for_each_other(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTE)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".kg-lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build is running
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(notes), "--out",
                                 str(out), "--no-html"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert proc.poll() is None, proc.communicate()
        assert not (out / "graph.json").exists()
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert f"waiting for another kg build into {out} to finish" in stderr
    assert (out / "graph.json").exists()


def test_two_builds_at_once_both_succeed_and_leave_one_good_graph(tmp_path):
    generate.generate(12, tmp_path / "c", seed=3)
    notes = tmp_path / "c" / "notes"
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(notes), "--out", str(out), "--no-html"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    clean = build([notes], tmp_path / "clean", BuildOptions(cache=False)).out_path
    assert (out / "graph.json").read_bytes() == clean.read_bytes()


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def test_ctrl_c_during_a_parallel_build_exits_130_with_one_line(tmp_path):
    generate.generate(400, tmp_path / "c", seed=5)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(tmp_path / "c" / "notes"), "--out",
           str(tmp_path / "out"), "--workers", "2", "--no-html"]
    # A session of its own: Ctrl-C on a terminal signals the whole process group.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=REPO)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # the workers are extracting now
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["Error: interrupted"], stderr
    assert "Traceback" not in stdout + stderr
    assert not (tmp_path / "out" / "graph.json").exists()


def test_an_out_that_cannot_be_written_is_one_line(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTE)
    (tmp_path / "a-file").write_text("x")
    runner = CliRunner()
    for out, code, message in [
        (tmp_path / "a-file", 2, "cannot write the output folder (it is a file, not a folder)"),
        (Path("/proc/kg-out"), 2, "cannot write the output folder"),
    ]:
        res = runner.invoke(main, ["build", str(notes), "--out", str(out), "--no-html"])
        assert res.exit_code == code, res.output
        assert res.output.startswith(f"Error: {out}: {message}")
        assert "Traceback" not in res.output and len(res.output.splitlines()) <= 2
    blocked = tmp_path / "blocked"
    (blocked / "graph.json").mkdir(parents=True)  # graph.json cannot replace a folder
    res = runner.invoke(main, ["build", str(notes), "--out", str(blocked), "--no-html"])
    assert res.exit_code == 1, res.output
    assert res.output.startswith(f"Error: cannot write {blocked / 'graph.json'}: ")
    assert len(res.output.splitlines()) == 2  # the error and its hint
