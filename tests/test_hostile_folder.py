"""Everything hostile at once: `kg build` finishes, builds what it can, says why it skipped
the rest, runs no code and exits 0."""

from __future__ import annotations

import json
import os
import pickle
import resource
import sys

from conftest import RunsCode, run_unprivileged, write_notes

GOOD = {
    "2024-06-01-sync.md": "# Sync\nDate: 2024-06-01\nAttendees: Ann Lee, Bo Chen\n\n"
                          "- Ann Lee raised a concern about NEXUS-1\n",
    "team/2024-06-02-retro.md": "# Retro\nDate: 2024-06-02\nAttendees: Bo Chen\n\n"
                                "- NEXUS-1 depends on NEXUS-2\n",
}


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_a_hostile_folder_builds_what_it_can_and_says_why_not_the_rest(tmp_path):
    notes = write_notes(tmp_path / "notes", GOOD)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:Secret Root:/root:/bin/sh\n")
    (notes / "zero.md").symlink_to("/dev/zero")
    (notes / "secret.md").symlink_to(outside / "passwd")
    os.mkfifo(notes / "pipe.md")
    with open(os.path.join(os.fsencode(notes), b"r\xe9union-2024-06-03.md"), "wb") as fh:
        fh.write(b"# R\xe9union\nDate: 2024-06-03\nAttendees: Zo\xe9 Martin\n")  # Latin-1 text
    (notes / "huge.md").write_text("# Huge\n" + "lorem ipsum " * 200_000)
    (notes / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(512))
    write_notes(notes, {"private/2024-06-04-hr.md": "# HR\nAttendees: Cy Dee\n"})
    os.chmod(notes / "private", 0)
    out = tmp_path / "out"
    marker = tmp_path / "MARKER"
    (out / ".kg-cache").mkdir(parents=True)
    (out / ".kg-cache" / "facts.pickle").write_bytes(pickle.dumps(RunsCode(marker)))
    try:
        proc = run_unprivileged([sys.executable, "-m", "kg.cli", "build", str(notes),
                                 "--out", str(out), "--max-file-mb", "1"],
                                preexec_fn=_limit_memory)
    finally:
        os.chmod(notes / "private", 0o755)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not marker.exists()
    skipped = sorted(line.strip() for line in proc.stdout.splitlines()
                     if line.startswith("  skipped "))
    assert skipped == [
        "skipped binary.md: binary file (not text)",
        "skipped huge.md: 2.3 MB is over the 1 MB limit (raise it with --max-file-mb)",
        "skipped pipe.md: not a regular file (a FIFO); kg reads only plain files",
        "skipped private: cannot read folder: Permission denied",
        "skipped secret.md: a link to a file outside the notes folder "
        "(pass --follow-symlinks to read it)",
        "skipped zero.md: a link to a file outside the notes folder "
        "(pass --follow-symlinks to read it)",
    ]
    assert proc.stdout.startswith("Read 3 notes, skipped 6 in ")
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert graph["graph"]["sources"] == ["2024-06-01-sync.md", "r\\xe9union-2024-06-03.md",
                                         "team/2024-06-02-retro.md"]
    people = {n["name"] for n in graph["nodes"] if n["label"] == "Person"}
    assert people == {"Ann Lee", "Bo Chen", "Zoé Martin"}
    assert (out / "graph.html").exists()
