"""Entity resolution: one person one node, never a merge on a shared part."""

import pytest

from conftest import names, triples
from kg.errors import AliasFileError


def test_david_kim_and_daniel_kim_stay_two_people_and_bare_kim_links_to_neither(build_notes):
    result = build_notes({
        "2024-01-01-a.md": "# A\nAttendees: David Kim, Daniel Kim\n",
        "2024-01-02-b.md": "# B\nDate: 2024-01-02\n\n## Action items\n- Kim to file the report\n",
    })
    g = result.graph
    assert {"David Kim", "Daniel Kim"} <= names(g, "Person")
    assert "Kim" not in names(g, "Person")
    assert not [t for t in triples(g, "OWNS") if t[1] == "file the report"]
    assert any("'Kim' could be Daniel Kim or David Kim" in w for w in result.warnings)


def test_first_name_resolves_when_unique_in_corpus(build_notes):
    g = build_notes({
        "2024-01-01-a.md": "# A\nAttendees: Emily Watson, Nina Patel, Tom Harris\n",
        "2024-01-08-b.txt": "Weekly\nAttendees: Emily, Nina, Tom\n",
    }).graph
    assert names(g, "Person") == {"Emily Watson", "Nina Patel", "Tom Harris"}
    assert len(triples(g, "ATTENDED")) == 6


def test_initials_defined_in_the_note(build_notes):
    g = build_notes({"2024-01-01-min.md": """
        # Minutes
        Date: 2024-01-01
        Attendees: Tomás Ferreira (TF), Kwame Mensah (KM)

        - KM is worried about STOR-88.

        ## Actions
        - ACTION: TF to write the plan by Jan 5
        """}).graph
    assert ("Tomás Ferreira", "write the plan") in triples(g, "OWNS")
    assert ("Kwame Mensah", "STOR-88") in triples(g, "RAISED_CONCERN_ABOUT")
    assert "TF" in g.nodes["person:tomas-ferreira"]["aliases"]


def test_initials_mean_nothing_outside_their_note(build_notes):
    g = build_notes({
        "2024-01-01-min.md": "# M\nAttendees: Priya Raman (PR)\n",
        "2024-01-02-x.md": "# X\nDate: 2024-01-02\n\n## Actions\n- PR to merge the branch\n",
    }).graph
    assert not [t for t in triples(g, "OWNS") if t[1] == "merge the branch"]


def test_possessive_handle_and_wiki_link_forms(build_notes):
    g = build_notes({"2024-01-01-a.md": """
        # A
        Date: 2024-01-01
        Attendees: @Kwame Mensah, Nina Patel

        ### Platform Team (Kwame Mensah)
        - Nina Patel's planner work is ahead of schedule

        ## Tasks
        - [ ] Ship the queue [[Kwame Mensah]] 📅 2024-01-09
        """}).graph
    assert names(g, "Person") == {"Kwame Mensah", "Nina Patel"}
    assert ("Nina Patel", "Platform Team") in triples(g, "MEMBER_OF")
    assert ("Kwame Mensah", "Ship the queue") in triples(g, "OWNS")


def test_accents_and_case_do_not_split_a_person(build_notes):
    g = build_notes({
        "2024-01-01-a.md": "# A\nAttendees: Tomás Ferreira\n",
        "2024-01-02-b.md": "# B\nAttendees: tomas ferreira, Tomas Ferreira\n",
    }).graph
    assert names(g, "Person") == {"Tomás Ferreira"}
    assert "Tomas Ferreira" in g.nodes["person:tomas-ferreira"]["aliases"]


def test_alias_file_forces_and_forbids_merges(build_notes, tmp_path):
    notes = {
        "kg-aliases.toml": """
            [people]
            "Katherine Moss" = ["Kate M", "kmoss"]
            [never]
            "Emily" = ["Emily Watson"]
            [entities]
            "Umbrella" = "Customer"
            """,
        "2024-01-01-a.md": "# A\nAttendees: Katherine Moss, Emily Watson\n",
        "2024-01-02-b.md": "# B\nAttendees: Kate M, Emily\n\n- Umbrella saw errors\n",
    }
    g = build_notes(notes).graph
    assert ("Katherine Moss", "2024-01-02-b.md") in triples(g, "ATTENDED")
    assert ("Emily Watson", "2024-01-02-b.md") not in triples(g, "ATTENDED")
    assert "Umbrella" in names(g, "Customer")


def test_bad_alias_file_is_a_clear_error(build_notes):
    with pytest.raises(AliasFileError, match="not valid TOML"):
        build_notes({"kg-aliases.toml": "[people\n", "a.md": "# A\n"})


def test_prose_runs_that_overshoot_a_known_name_resolve_to_it(build_notes):
    g = build_notes({
        "2024-01-01-a.md": "# A\nAttendees: Emily Watson, Mary Anne Smith\n",
        "2024-01-02-b.md": "# B\nDate: 2024-01-02\n\n## Emily Watson Updates\n"
                           "- Mary Anne flagged NEXUS-1\n",
    }).graph
    assert names(g, "Person") == {"Emily Watson", "Mary Anne Smith"}
    assert ("Mary Anne Smith", "NEXUS-1") in triples(g, "RAISED_CONCERN_ABOUT")
