"""A meeting dated at the edge of the calendar is built, not skipped as a kg bug."""

from __future__ import annotations

from conftest import write_notes
from kg.build import BuildOptions, build


def test_relative_dates_past_9999_12_31_are_left_empty(tmp_path):
    notes = write_notes(tmp_path / "notes", {"9999-12-31-far.md": (
        "# Far future\nDate: 9999-12-31\nAttendees: Ann Lee\n\n## Action items\n"
        "- Ann Lee to ship NEXUS-1 by next Tuesday\n- Ann Lee to test NEXUS-2 by tomorrow\n"
        "- Ann Lee to fix NEXUS-3 by Jan 3\n- Ann Lee to plan NEXUS-4 by end of month\n")})
    result = build([notes], tmp_path / "out", BuildOptions(cache=False))
    assert result.skipped == []
    due = sorted((a["text"].split()[1], a["due"]) for _, a in result.graph.nodes(data=True)
                 if a["label"] == "ActionItem")
    assert due == [("NEXUS-1", None), ("NEXUS-2", None), ("NEXUS-3", "9999-01-03"),
                   ("NEXUS-4", "9999-12-31")]
