"""`kg diff OLD.json NEW.json`: two builds of invented notes that differ by an edited line, an
added note and a removed note; equal builds; files that are not kg graphs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import write_notes
from kg import vocab as V
from kg.build import BuildOptions, build
from kg.cli import main
from kg.graph_diff import diff_graphs

KEPT = {
    "2024-05-06-search-sync.md": """
        # Search sync
        Date: 2024-05-06
        Attendees: Ann Lee, Bo Chen

        - Ann Lee raised a concern about SRCH-4 because of SRCH-2

        ## Action items
        - Bo Chen to tune the SRCH-4 ranking by May 17
    """,
}
REMOVED = {
    "2024-05-07-ops-sync.md": """
        # Ops sync
        Date: 2024-05-07
        Attendees: Cy Dee, Dora Fox

        ## Action items
        - Dora Fox to rotate the OPS-9 certificates by May 20
    """,
}
ADDED = {
    "2024-05-13-search-sync.md": """
        # Search sync
        Date: 2024-05-13
        Attendees: Ann Lee, Eli Gray

        - Eli Gray raised a concern about SRCH-4

        ## Action items
        - Eli Gray to write the SRCH-7 rollout note by May 24
    """,
}


def _edited(notes: dict[str, str]) -> dict[str, str]:
    name = "2024-05-06-search-sync.md"
    return {**notes, name: notes[name].replace("by May 17", "by May 31")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("diff")

    def one(name, notes):
        folder = write_notes(tmp / name, notes)
        return build([folder], tmp / f"{name}-out", BuildOptions(cache=False, html=False))

    return (one("old", {**KEPT, **REMOVED}), one("new", _edited({**KEPT, **ADDED})),
            one("same", {**KEPT, **REMOVED}))


def _run(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def test_added_removed_and_changed_nodes_edges_and_evidence(builds):
    old, new, _ = builds
    d = diff_graphs(old.graph, new.graph).to_dict()
    assert d["equal"] is False
    assert d["notes"] == {"added": ["2024-05-13-search-sync.md"],
                          "removed": ["2024-05-07-ops-sync.md"]}
    added = {n["id"] for n in d["nodes"]["added"]}
    removed = {n["id"] for n in d["nodes"]["removed"]}
    assert {V.node_id(V.PERSON, "Eli Gray"), V.node_id(V.TICKET, "SRCH-7")} <= added
    assert {V.node_id(V.PERSON, "Dora Fox"), V.node_id(V.TICKET, "OPS-9")} <= removed
    assert added == set(new.graph) - set(old.graph)
    assert removed == set(old.graph) - set(new.graph)
    # The edited line: the item's due date moved, and the statement's text changed.
    [item] = [n for n in d["nodes"]["changed"] if n["label"] == V.ACTION_ITEM]
    assert item["attributes"]["due"] == {"old": "2024-05-17", "new": "2024-05-31"}
    owns = next(e for e in d["relationships"]["changed"]
                if e["type"] == V.OWNS and e["source"] == V.node_id(V.PERSON, "Bo Chen"))
    [statement] = owns["evidence"]["changed"]
    assert statement["attributes"]["text"]["new"].endswith("by May 31")
    assert statement["source"] == "2024-05-06-search-sync.md"
    # The concern about SRCH-4 gained Eli Gray's statement on a new edge, and Ann Lee's
    # ticket SRCH-4 stays: it is changed (more mentions), not added or removed.
    assert any(e["type"] == V.RAISED_CONCERN_ABOUT and e["source"].endswith("eli-gray")
               for e in d["relationships"]["added"])
    assert V.node_id(V.TICKET, "SRCH-4") not in added | removed
    summary = d["summary"]
    assert summary["nodes"] == {"added": len(added), "removed": len(removed),
                                "changed": len(d["nodes"]["changed"])}
    assert summary["evidence"]["changed"] >= 2


def test_the_cli_prints_grouped_sorted_text_and_exits_1(builds):
    old, new, _ = builds
    out = _run(old.out_path, new.out_path)
    assert out.exit_code == 1, out.output
    lines = out.output.splitlines()
    assert lines[0] == "Notes:         1 added, 1 removed"
    assert lines[1].startswith("Nodes:         ") and lines[2].startswith("Relationships: ")
    assert "Notes added:" in lines and "  + 2024-05-13-search-sync.md" in lines
    assert "  - Person person:dora-fox  \"Dora Fox\"" in lines
    assert '      due: "2024-05-17" -> "2024-05-31"' in lines
    for group in ("Nodes added:", "Nodes removed:", "Relationships added:"):
        start = lines.index(group) + 1
        end = lines.index("", start) if "" in lines[start:] else len(lines)
        entries = [x for x in lines[start:end] if x.startswith("  ")]
        assert entries == sorted(entries, key=lambda x: x.split()[2] if "Nodes" in group
                                 else tuple(x.split()[1:4]))
    again = _run(old.out_path, new.out_path)
    assert again.output == out.output


def test_json_has_every_group_and_exits_1(builds):
    old, new, _ = builds
    out = _run(old.out_path, new.out_path, "--format", "json")
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert set(data) == {"equal", "summary", "notes", "graph", "nodes", "relationships"}
    assert data == json.loads(json.dumps(diff_graphs(old.graph, new.graph).to_dict()))


def test_equal_builds_exit_0_with_no_differences(builds):
    old, _, same = builds
    out = _run(old.out_path, same.out_path)
    assert (out.exit_code, out.output) == (0, "no differences\n")
    as_json = _run(old.out_path, same.out_path, "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.output)["equal"] is True


def test_unreadable_or_foreign_files_are_a_one_line_error_exit_2(builds, tmp_path):
    old = builds[0].out_path
    foreign = tmp_path / "package.json"
    foreign.write_text('{"name": "left-pad", "version": "1.0.0"}')
    broken = tmp_path / "broken.json"
    broken.write_text('{"nodes": [')
    for other, why in ((tmp_path / "missing.json", "no graph here"),
                       (foreign, "not a kg graph.json"), (broken, "not a kg graph.json")):
        out = _run(old, other)
        assert out.exit_code == 2, out.output
        first, hint = out.output.splitlines()
        assert first.startswith(f"Error: {other}: {why}")
        assert hint == "Hint: Give two graph.json files written by `kg build`."
        assert "Traceback" not in out.output


def test_hostile_text_in_a_diff_is_escaped(tmp_path):
    import networkx as nx

    from kg.graph import write_graph

    old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    old.add_node("person:x", label="Person", name="X")
    new.add_node("person:x", label="Person", name="X\x1b]0;pwned\x07")
    write_graph(old, tmp_path / "a.json")
    write_graph(new, tmp_path / "b.json")
    out = _run(tmp_path / "a.json", tmp_path / "b.json")
    assert out.exit_code == 1
    assert "\x1b" not in out.output and "\\u001b]0;pwned" in out.output
