"""`kg build` end to end: determinism, atomic output, the CLI's messages and exit codes."""

import json
import shutil

from click.testing import CliRunner

from conftest import REPO, triples, write_notes
from kg.build import build
from kg.cli import main


def test_same_input_gives_identical_bytes(tmp_path):
    first = build([REPO / "seeds"], tmp_path / "one").out_path.read_bytes()
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "seeds", copy)
    second = build([copy], tmp_path / "two").out_path.read_bytes()
    assert first == second


def test_graph_json_is_node_link_with_edges(tmp_path):
    data = json.loads(build([REPO / "seeds"], tmp_path).out_path.read_text())
    assert {"nodes", "edges", "directed", "multigraph"} <= set(data)
    assert data["multigraph"] and data["directed"]
    assert all("label" in n and "name" in n for n in data["nodes"])
    assert all("type" in e and e["evidence"] for e in data["edges"])


def test_cli_build_summary_and_json(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(main, ["build", str(REPO / "seeds"), "--out", str(out), "--no-html"])
    assert res.exit_code == 0, res.output
    assert "Nodes:" in res.output and f"Graph: {out / 'graph.json'}" in res.output
    res = runner.invoke(main, ["build", str(REPO / "seeds"), "--out", str(out), "--no-html",
                               "--format", "json"])
    summary = json.loads(res.output)
    assert summary["files_read"] >= 1 and summary["nodes"]["Person"] > 0


def test_bad_inputs_get_one_line_each_and_good_notes_still_build(tmp_path):
    notes = write_notes(tmp_path / "notes", {
        "good.md": "# Sync\nDate: 2024-01-01\nAttendees: Ann Lee\n",
        "nodate.md": "# No date\nAttendees: Bo Chen\n\n## Actions\n- Bo Chen to call by Friday\n",
        "broken-table.md": "# T\nDate: 2024-01-01\n| Item | Owner\n| x |\n|--|\n",
    })
    (notes / "empty.md").write_bytes(b"")
    (notes / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (notes / "latin.txt").write_bytes("Réunion\nAttendees: Zoé Martin\n".encode("latin-1"))
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"),
                                    "--no-html"])
    assert res.exit_code == 0, res.output
    assert "skipped empty.md: empty file" in res.output
    assert "skipped binary.txt: binary file (not text)" in res.output
    assert "nodate.md: no meeting date found" in res.output
    assert "Traceback" not in res.output
    g = json.loads((tmp_path / "o" / "graph.json").read_text())
    people = {n["name"] for n in g["nodes"] if n["label"] == "Person"}
    assert {"Ann Lee", "Bo Chen", "Zoé Martin"} <= people


def test_nothing_buildable_exits_2_with_a_message(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    res = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "no readable notes" in res.output
    res = CliRunner().invoke(main, ["build", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "missing: no such file or folder" in res.output


def test_write_is_atomic_no_temp_files_left(tmp_path):
    out = build([REPO / "seeds"], tmp_path).out_path
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".graph-")] == []


def test_hostile_text_is_data(build_notes):
    g = build_notes({"2024-01-01-x.md": """
        # <script>alert(1)</script>
        Date: 2024-01-01
        Attendees: Robert'); DROP TABLE--, Ann `Lee`
        - Ann Lee raised a concern about NEXUS-1 }) DETACH DELETE n //
        """}).graph
    assert g.nodes["meeting:2024-01-01-x.md"]["title"] == "<script>alert(1)</script>"


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, cmd in main.commands.items():
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0, name
        assert "Example" in res.output, f"kg {name} --help has no example"
        assert cmd.help, name


def test_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    import io

    from kg import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(cli.sys, "stderr", screen)
    many = {f"2024-01-{i:02d}-n.md": f"# N{i}\nAttendees: Ann Lee\n" for i in range(1, 26)}
    notes = write_notes(tmp_path / "notes", many)
    result = build([notes], tmp_path / "out", progress=cli._progress)
    assert len(result.read) == 25
    assert "Extracting" in screen.getvalue() and "100%" in screen.getvalue()


def test_pathological_notes_build_without_error(tmp_path):
    notes = write_notes(tmp_path / "notes", {
        # Over spaCy's default 1,000,000-character limit, in one line.
        "long-line.md": "# Log dump\nDate: 2024-01-01\n" + "lorem ipsum dolor " * 60_000 + "\n",
        # Runs without spaces make spaCy's affix splitting quadratic unless cut.
        "brackets.md": "# X\n" + "[[" * 20_000 + "]]" * 20_000 + "\n" + "@" * 40_000 + "\n",
        # A cue every few words on one line: sentence bounds must stay local.
        "cues.md": "# X\n" + "Ann Lee raised a concern about NEXUS-1 " * 2_000 + "\n",
    })
    result = build([notes], tmp_path / "out")
    assert result.skipped == [] and len(result.read) == 3
    assert ("Ann Lee", "NEXUS-1") in triples(result.graph, "RAISED_CONCERN_ABOUT")
