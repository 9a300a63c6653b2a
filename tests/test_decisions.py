"""Decisions: every shape they are written in, what is not one, and reversals across notes.

All notes are invented for these tests.
"""

import json

from click.testing import CliRunner

from conftest import triples, write_notes
from kg.build import build
from kg.cli import main


def decisions(g):
    return {a["text"]: a for _, a in g.nodes(data=True) if a["label"] == "Decision"}


def test_labelled_decisions_of_every_kind(build_notes):
    g = build_notes({"2025-02-04-council.md": """
        # Council
        Date: 2025-02-04
        Attendees: Ana Lobo, Kai Moser

        Decision: Drop Python 3.8 support in the 5.0 release
        **Decided:** The schema registry moves to the platform team
        RESOLVED: the board approves the office lease
        AGREED: ship 3.1 on Friday
        #agreed the test day is Thursday
        Consensus: wait for the foundation transfer
        - **Conclusion**: wontfix
        Outcome: keep the weekly cadence
        ACTION: Consensus is that we publish turnout figures only
        """}).graph
    kinds = {t: a["kind"] for t, a in decisions(g).items()}
    assert kinds == {
        "Drop Python 3.8 support in the 5.0 release": "decision",
        "The schema registry moves to the platform team": "decision",
        "the board approves the office lease": "resolution",
        "ship 3.1 on Friday": "agreement",
        "the test day is Thursday": "agreement",
        "wait for the foundation transfer": "consensus",
        "wontfix": "conclusion",
        "keep the weekly cadence": "decision",
        "Consensus is that we publish turnout figures only": "consensus",
    }
    assert all(a["status"] == "decided" and a["date"] == "2025-02-04"
               for a in decisions(g).values())
    assert not any(a["label"] == "ActionItem" for _, a in g.nodes(data=True))


def test_decision_sections_tables_and_what_they_are_about(build_notes):
    g = build_notes({"2025-03-11-arch.md": """
        # Architecture review
        Date: 2025-03-11
        Attendees: Ana Lobo

        ## Decisions made
        - PAY-12 ships behind a flag until PAY-9 is closed
        - Use Postgres for the ledger

        | Topic | Decision |
        |-------|----------|
        | Retries | Cap retries at five for PAY-30 |
        """}).graph
    found = decisions(g)
    assert set(found) == {"PAY-12 ships behind a flag until PAY-9 is closed",
                          "Use Postgres for the ledger", "Cap retries at five for PAY-30"}
    about = triples(g, "ABOUT")
    assert {("PAY-12 ships behind a flag until PAY-9 is closed", "PAY-12"),
            ("PAY-12 ships behind a flag until PAY-9 is closed", "PAY-9"),
            ("Cap retries at five for PAY-30", "PAY-30")} <= about
    meeting = {t for _, t in triples(g, "DECIDED_IN")}
    assert meeting == {"2025-03-11-arch.md"}


def test_motions_with_mover_and_seconder_and_motions_that_fail(build_notes):
    g = build_notes({"2025-04-08-board.md": """
        # Board minutes
        Date: 2025-04-08
        Present: Ana Lobo, Kai Moser, Lea Brandt, Tom Ruiz

        1. Motion to adopt the charter (moved by Ana Lobo, seconded by Kai Moser). Carried 3-1,
           Tom Ruiz voted against.
        2. Motion to raise dues (moved by Lea Brandt). Failed 1-3.
        3. Motion to rename the group was withdrawn.

        - Lea: I move we accept the audit report.
        - Kai seconds.
        - Any objections? None.
        - Motion carries.
        """}).graph
    found = decisions(g)
    assert len(found) == 2 and all(a["kind"] == "vote" for a in found.values())
    charter = next(t for t in found if "charter" in t)
    audit = next(t for t in found if "audit" in t)
    assert (("Ana Lobo", charter) in triples(g, "PROPOSED")
            and ("Kai Moser", charter) in triples(g, "SECONDED")
            and ("Tom Ruiz", charter) in triples(g, "OBJECTED_TO"))
    assert ("Lea Brandt", audit) in triples(g, "PROPOSED")
    assert ("Kai Moser", audit) in triples(g, "SECONDED")


def test_decisions_in_prose(build_notes):
    g = build_notes({"2025-05-06-sync.md": """
        # Sync
        Date: 2025-05-06

        - After a long debate we decided to move the launch to June.
        - It was agreed that the API stays frozen.
        - There was consensus on a quarterly release train.
        - We could switch vendors, but we decided against it last year.
        - Decided last meeting to pause hiring.
        - Other teams have decided to use Slack.
        """}).graph
    assert set(decisions(g)) == {"After a long debate we decided to move the launch to June.",
                                 "It was agreed that the API stays frozen.",
                                 "There was consensus on a quarterly release train."}


def test_what_is_not_a_decision(build_notes):
    g = build_notes({"2025-06-03-sync.md": """
        # Sync
        Date: 2025-06-03

        - Decision needed on the logo
        - Decision: TBD
        - Decision: none
        - Decision: to be decided
        - Outcome: deferred to next week
        - Decision: Should we drop IE11?
        - No decision yet on pricing
        """}).graph
    assert decisions(g) == {}


def test_a_reversal_in_a_later_note_marks_the_earlier_decision(tmp_path):
    notes = write_notes(tmp_path / "notes", {
        "2025-03-04-api.md": """
            # API sync
            Date: 2025-03-04

            ## Decisions
            - Freeze the public API of ORB-100 until the beta ships
            """,
        "2025-03-18-api.md": """
            # API sync
            Date: 2025-03-18

            ## Decisions
            - We reverse the March decision to freeze the ORB-100 API: partners need the endpoint
            """})
    g = build([notes], tmp_path / "out").graph
    found = decisions(g)
    old = found["Freeze the public API of ORB-100 until the beta ships"]
    new = next(a for t, a in found.items() if t.startswith("We reverse"))
    assert (old["status"], new["status"]) == ("reversed", "decided")
    (edge,) = [d for _, _, d in g.edges(data=True) if d["type"] == "SUPERSEDES"]
    assert [(e["source"], e["line"]) for e in edge["evidence"]] == [
        ("2025-03-04-api.md", 5), ("2025-03-18-api.md", 5)]  # what is reversed, and where
    # The id is the note and the words: lines inserted above keep it.
    ids = {n for n, a in g.nodes(data=True) if a["label"] == "Decision"}
    first = notes / "2025-03-04-api.md"
    first.write_text(first.read_text().replace("# API sync\n", "# API sync\n\nIntro.\n\n"))
    again = build([notes], tmp_path / "out2").graph
    assert {n for n, a in again.nodes(data=True) if a["label"] == "Decision"} == ids


def test_query_decisions_by_subject_word_and_date(tmp_path):
    notes = write_notes(tmp_path / "notes", {
        "2025-01-07-a.md": """
            # A
            Date: 2025-01-07
            Attendees: Ana Lobo, Kai Moser
            - Decision: PAY-7 waits for the audit
            - Motion to adopt the budget (moved by Ana Lobo). Carried.
            """,
        "2025-02-07-b.md": """
            # B
            Date: 2025-02-07
            - Decision: PAY-7 ships in March
            """})
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(notes), "--out", str(out),
                                     "--no-html"]).exit_code == 0
    graph = str(out / "graph.json")

    def rows(*args):
        res = CliRunner().invoke(main, ["query", "decisions", *args, "--graph", graph,
                                        "--format", "json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.output)

    assert [r["decision"] for r in rows("PAY-7")] == ["PAY-7 waits for the audit",
                                                      "PAY-7 ships in March"]
    assert [r["decision"] for r in rows("PAY-7", "--since", "2025-02-01")] == [
        "PAY-7 ships in March"]
    (budget,) = rows("budget")
    assert budget["by"] == "Ana Lobo" and budget["status"] == "decided"
    assert [r["decision"] for r in rows("Ana")] == [budget["decision"]]
    person = CliRunner().invoke(main, ["query", "person", "Ana Lobo", "--graph", graph])
    assert "PROPOSED" in person.output


def test_reverting_code_or_planning_a_revisit_undoes_no_decision(build_notes):
    g = build_notes({"2025-07-01-a.md": """
        # A
        Date: 2025-07-01
        ## Decisions
        - Keep the cache change in the 2.3 release
        """, "2025-07-08-b.md": """
        # B
        Date: 2025-07-08
        ## Decisions
        - Revert the cache change in 2.3.1
        - The team agreed to revisit the cache model next quarter
        """}).graph
    assert {a["status"] for a in decisions(g).values()} == {"decided"}
    assert triples(g, "SUPERSEDES") == set()
