"""Each structure and phrasing the extractor must read, on tiny notes."""

from conftest import names, triples


def test_metadata_title_date_attendees_host_absent(build_notes):
    g = build_notes({"weekly.md": """
        # Payments Sync
        **Date:** November 12, 2024
        **Facilitator:** Lisa Park
        **Attendees:** Lisa Park, @Omar Haddad, [[Aiko Tanaka]], Tomás Ferreira (TF)
        **Apologies:** Henrik Larsen
        **Location:** Room 4
        """}).graph
    meeting = g.nodes["meeting:weekly.md"]
    assert (meeting["title"], meeting["date"], meeting["location"]) == (
        "Payments Sync", "2024-11-12", "Room 4")
    attended = {p for p, _ in triples(g, "ATTENDED")}
    assert attended == {"Lisa Park", "Omar Haddad", "Aiko Tanaka", "Tomás Ferreira"}
    assert triples(g, "HOSTED") == {("Lisa Park", "weekly.md")}
    # Apologies name people the note lists, who did not attend.
    assert "Henrik Larsen" in names(g, "Person")
    assert "Henrik Larsen" not in attended


def test_yaml_front_matter_and_date_from_file_name(build_notes):
    g = build_notes({
        "a.md": "---\ntitle: Standup\ndate: 2024-11-06\nattendees:\n  - Ann Lee\n---\nBody\n",
        "2024-03-05-retro.txt": "Retro\nPresent: Bo Chen\n",
    }).graph
    assert g.nodes["meeting:a.md"]["date"] == "2024-11-06"
    assert g.nodes["meeting:a.md"]["title"] == "Standup"
    assert g.nodes["meeting:2024-03-05-retro.txt"]["date"] == "2024-03-05"
    assert ("Ann Lee", "a.md") in triples(g, "ATTENDED")


def test_bulleted_attendee_section(build_notes):
    g = build_notes({"2024-01-02-x.md": "# X\n\n## Attendees\n- Ann Lee\n- Bo Chen (host)\n"}).graph
    assert {p for p, _ in triples(g, "ATTENDED")} == {"Ann Lee", "Bo Chen"}
    assert triples(g, "HOSTED") == {("Bo Chen", "2024-01-02-x.md")}


def test_speakers_attended(build_notes):
    g = build_notes({"2024-01-02-call.txt": """
        Call
        **Lisa Park:** hello
        [00:01] David Kim: hi
        Hannah Okafor (00:00:05): yes
        """}).graph
    assert {p for p, _ in triples(g, "ATTENDED")} == {"Lisa Park", "David Kim", "Hannah Okafor"}


def test_first_name_speakers_resolve_through_the_attendee_list(build_notes):
    g = build_notes({
        "2024-01-01-allhands.md": "# All hands\nAttendees: Emily Watson, Tom Harris\n",
        "2024-01-08-weekly.txt": "Weekly\nAttendees: Emily, Tom\n\nEmily: shipped it\n",
    }).graph
    assert ("Emily Watson", "2024-01-08-weekly.txt") in triples(g, "ATTENDED")
    assert "Emily" not in names(g, "Person")
    assert "Emily" in g.nodes["person:emily-watson"]["aliases"]


def test_table_owner_and_ticket_columns_make_owns(build_notes):
    g = build_notes({"2024-01-01-plan.md": """
        # Plan
        Date: 2024-01-01

        | # | Initiative | Ticket | Owner | Target |
        |---|---|---|---|---|
        | 1 | Planner v2 | NEXUS-2000 | Emily Watson | Dec 15 |
        """}).graph
    assert triples(g, "OWNS") == {("Emily Watson", "NEXUS-2000")}
    assert names(g, "ActionItem") == set()  # a roadmap table is not an action list


def test_action_table_reads_columns_by_header(build_notes):
    g = build_notes({"2024-10-08-pm.md": """
        # Postmortem
        Date: 2024-10-08

        ## Action items
        | Action | Owner | Due | Ticket |
        |---|---|---|---|
        | Write a sizing guide | Rachel Green | 2024-11-15 | INFRA-90 |
        """}).graph
    (item,) = [a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"]
    assert (item["text"], item["due"], item["status"]) == ("Write a sizing guide", "2024-11-15",
                                                           "open")
    assert ("Rachel Green", "Write a sizing guide") in triples(g, "OWNS")
    assert ("Write a sizing guide", "INFRA-90") in triples(g, "TIED_TO")


def test_action_sections_in_every_shape(build_notes):
    g = build_notes({"2024-10-01-sync.md": """
        # Sync
        Date: 2024-10-01
        Attendees: Olivia Santos (OS), Kwame Mensah (KM), Tom Harris

        ## Next steps
        - [ ] Tom Harris: split NEXUS-2000 into sub-tasks — due Oct 8
        - [x] Tom Harris to publish the roadmap by Oct 3
        - ACTION: OS and KM to review the STOR-71 patch by Friday
        - Write the runbook @Kwame Mensah 📅 2024-11-01
        - Update the capacity planning doc
        - Maybe revisit per-tenant quotas later
        """}).graph
    items = {a["text"]: a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"}
    # A bullet under an actions heading is a task even without an owner; a hedged
    # suggestion is not.
    assert set(items) == {"split NEXUS-2000 into sub-tasks", "publish the roadmap",
                          "review the STOR-71 patch", "Write the runbook",
                          "Update the capacity planning doc"}
    assert items["publish the roadmap"]["status"] == "done"
    assert items["review the STOR-71 patch"]["due"] == "2024-10-04"
    owners = triples(g, "OWNS")
    assert {("Olivia Santos", "review the STOR-71 patch"),
            ("Kwame Mensah", "review the STOR-71 patch")} <= owners
    assert ("Kwame Mensah", "Write the runbook") in owners


def test_team_sections_give_leads_and_members(build_notes):
    g = build_notes({"2024-10-15-ah.md": """
        # All hands
        Date: 2024-10-15

        ### Platform Team (Emily Watson)
        - Nina Patel's query planner v2 ahead of schedule
        - Tom Harris compression work showing 30% storage reduction
        - Hiring: looking for an engineer
        """}).graph
    assert triples(g, "LEADS") == {("Emily Watson", "Platform Team")}
    assert triples(g, "MEMBER_OF") == {("Nina Patel", "Platform Team"),
                                       ("Tom Harris", "Platform Team")}


def test_prose_relations(build_notes):
    g = build_notes({"2024-11-12-review.md": """
        # Review
        Date: 2024-11-12

        - Rachel Green promoted to Senior SRE.
        - Emily Watson raised concern about NEXUS-2000 timeline given NEXUS-1542
        - NEXUS-2012 is blocked by NEXUS-1542.
        - David Kim is worried about SEC-42 blocking QS-88 past Nov 20.
        - QS-90 cannot go GA until SEC-43 is closed.
        - STOR-90 is a sub-task of STOR-88.
        - Daniel Kim's new engineer, Sofia Reyes, started on the Product Team.
        """}).graph
    assert triples(g, "PROMOTED_TO") == {("Rachel Green", "Senior SRE")}
    assert {("NEXUS-2000", "NEXUS-1542"), ("NEXUS-2012", "NEXUS-1542"), ("QS-88", "SEC-42"),
            ("QS-90", "SEC-43")} == triples(g, "DEPENDS_ON")
    concerns = triples(g, "RAISED_CONCERN_ABOUT")
    assert {("Emily Watson", "NEXUS-2000"), ("David Kim", "SEC-42")} <= concerns
    assert triples(g, "PART_OF") == {("STOR-90", "STOR-88")}
    assert triples(g, "MEMBER_OF") == {("Sofia Reyes", "Product Team")}


def test_first_person_concern_goes_to_the_speaker(build_notes):
    g = build_notes({"2024-10-24-sync.md": """
        # Sync
        Date: 2024-10-24
        [00:06] David Kim: I'm worried about shipping before SEC-42 is fixed.
        """}).graph
    assert ("David Kim", "SEC-42") in triples(g, "RAISED_CONCERN_ABOUT")


def test_customers_affected_and_not_affected(build_notes):
    g = build_notes({
        "2024-10-08-postmortem-inc-2024-007.md": """
            # Postmortem: INC-2024-007
            - **Date:** 2024-10-08
            - **Customer affected:** Acme Retail
            """,
        "2024-10-15-ah.md": """
            # All hands
            Date: 2024-10-15
            - INC-2024-003 at GlobalBank was painful
            """,
        "2024-11-07-call.txt": """
            Escalation call
            Date: November 7, 2024
            Hannah Okafor (00:00:05): Northwind Traders saw checkout failures during INC-0412.
            Marcus Webb (00:01:12): Fabrikam was not affected by INC-0412.
            """,
    }).graph
    assert triples(g, "AFFECTED") == {("INC-2024-007", "Acme Retail"),
                                      ("INC-2024-003", "GlobalBank"),
                                      ("INC-0412", "Northwind Traders")}
    assert names(g, "Customer") == {"Acme Retail", "GlobalBank", "Northwind Traders"}


def test_tracker_keys_in_every_form(build_notes):
    g = build_notes({"2024-01-01-triage.md": """
        # Triage
        Date: 2024-01-01
        - Fix #1234 and acme/widgets#77 before EIP-1559 lands
        - See https://github.com/acme/widgets/pull/80 and INC-0412
        - Not keys: UTF-8, SHA-256
        """}).graph
    assert names(g, "Ticket") == {"#1234", "acme/widgets#77", "acme/widgets#80", "EIP-1559"}
    assert names(g, "Incident") == {"INC-0412"}


def test_incident_prefixes_are_configuration(build_notes):
    from kg.build import BuildOptions
    notes = {"2024-01-01-x.md": "# X\nDate: 2024-01-01\n- SEV-12 hit us; NEXUS-1 too\n"}
    g = build_notes(notes, options=BuildOptions(incident_prefixes=("SEV",))).graph
    assert names(g, "Incident") == {"SEV-12"}
    assert names(g, "Ticket") == {"NEXUS-1"}


def test_every_edge_carries_evidence_with_file_line_text_and_date(build_notes):
    g = build_notes({
        "2024-10-01-a.md": "# A\nDate: 2024-10-01\n- NEXUS-2 depends on NEXUS-1.\n",
        "2024-10-08-b.md": "# B\nDate: 2024-10-08\n\n- NEXUS-2 is blocked by NEXUS-1\n",
    }).graph
    (edge,) = [d for _, _, d in g.edges(data=True) if d["type"] == "DEPENDS_ON"]
    assert edge["evidence"] == [
        {"source": "2024-10-01-a.md", "line": 3, "text": "- NEXUS-2 depends on NEXUS-1.",
         "date": "2024-10-01"},
        {"source": "2024-10-08-b.md", "line": 4, "text": "- NEXUS-2 is blocked by NEXUS-1",
         "date": "2024-10-08"},
    ]
    assert all(d["evidence"] for _, _, d in g.edges(data=True))


def test_transcript_with_speaker_header_lines(build_notes):
    g = build_notes({"2024-11-19-call.txt": """
        Onboarding review
        Tue, Nov 19, 2024

        Sam Carter  0:04
        Okay, let's start.

        Raj Patel  3:40
        I'll take OPS-311. Should be done by Friday.

        Action items
        Raj Patel to close OPS-311 by Friday
        """}).graph
    attended = triples(g, "ATTENDED")
    assert attended == {("Sam Carter", "2024-11-19-call.txt"), ("Raj Patel", "2024-11-19-call.txt")}
    (edge,) = [d for s, t, d in g.edges(data=True) if d["type"] == "ATTENDED" and "raj" in s]
    assert [e["line"] for e in edge["evidence"]] == [7]  # the header, not every line of the turn
    assert ("Raj Patel", "OPS-311") in triples(g, "OWNS")
    assert ("Raj Patel", "close OPS-311") in triples(g, "OWNS")
    (item,) = [a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"]
    assert item["due"] == "2024-11-22"


def test_bare_section_names_and_dash_separated_items(build_notes):
    g = build_notes({"2024-12-03-sync.txt": """
        Infra Sync — Dec 3, 2024
        Attendees: Alex Chen; Rachel Green

        Next steps
        Rachel Green — finish INFRA-128 — Dec 6
        """}).graph
    (item,) = [a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"]
    assert (item["text"], item["due"]) == ("finish INFRA-128", "2024-12-06")
    assert g.nodes["meeting:2024-12-03-sync.txt"]["title"] == "Infra Sync"


def test_checked_item_that_opens_with_a_person_is_theirs(build_notes):
    g = build_notes({"2024-11-05-w.md": """
        # Weekly
        Participants: Chloé Dubois

        ## Action Items
        - [x] Chloé Dubois shared the churn dashboard
        """}).graph
    assert triples(g, "OWNS") == {("Chloé Dubois", "Chloé Dubois shared the churn dashboard")}


def test_attendee_notes_emails_and_team_leads(build_notes):
    g = build_notes({"2024-11-12-sync.md": """
        # Sync
        Date: 2024-11-12
        Attendees: Emily Watson <emily@acme.io> (Platform lead), Tom Harris (EM, Payments team)

        - Tom Harris raised concerns that PAY-9 may slip.

        ## Action items
        - Update docs [Emily Watson]
        """}).graph
    assert triples(g, "LEADS") == {("Emily Watson", "Platform Team"),
                                   ("Tom Harris", "Payments Team")}
    assert ("Tom Harris", "PAY-9") in triples(g, "RAISED_CONCERN_ABOUT")
    assert ("Emily Watson", "Update docs") in triples(g, "OWNS")


def test_header_line_with_several_fields_and_a_day_first_date(build_notes):
    g = build_notes({"retro.md": """
        # Sprint 42 Retro
        *20/11/2024* · In attendance: Sam Carter, Julia Novak

        ### Action Items 📝
        - @sam will update the on-call runbook (by 12/5)
        - Julia to pair with Sam on OPS-322 next week
        """}).graph
    assert g.nodes["meeting:retro.md"]["date"] == "2024-11-20"
    assert {p for p, _ in triples(g, "ATTENDED")} == {"Sam Carter", "Julia Novak"}
    items = {a["text"]: a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"}
    assert items["update the on-call runbook"]["due"] == "2024-12-05"
    assert items["pair with Sam on OPS-322"]["due"] == "2024-11-25"
    assert ("Sam Carter", "update the on-call runbook") in triples(g, "OWNS")


def test_dialogue_of_first_names_and_a_subjectless_concern(build_notes):
    g = build_notes({"2024-11-20-1on1.txt": """
        1:1 Emily / Tom — 2024-11-20

        Emily: how is the rollout going?
        Tom: NEXUS-1877 is at half the fleet. Worried about NEXUS-1880, restore is untested.
        """}).graph
    assert {p for p, _ in triples(g, "ATTENDED")} == {"Emily", "Tom"}
    assert triples(g, "RAISED_CONCERN_ABOUT") == {("Tom", "NEXUS-1880")}


def test_combined_section_names_open_an_action_section(build_notes):
    g = build_notes({"board.md": """
        # Board Meeting Minutes
        Date: Monday, December 2, 2024
        Present: Grace Hopper (Chair); Alan Turing

        Resolutions / Actions
        - Alan Turing to circulate the approved budget by 6 Dec 2024.
        """}).graph
    (item,) = [a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"]
    assert (item["text"], item["due"]) == ("circulate the approved budget", "2024-12-06")
    assert triples(g, "HOSTED") == {("Grace Hopper", "board.md")}


def test_customer_cue_words_and_loose_promotion_phrasings(build_notes):
    g = build_notes({"2024-11-01-sync.md": """
        # Sync
        Date: 2024-11-01
        - Our customer Initech asked for SSO; Globex (customer) renewed.
        - Congrats to Nina Patel on becoming Staff Engineer!
        - Tom Harris is now a Tech Lead.
        - Emily Watson is now responsible for hiring.
        """}).graph
    assert names(g, "Customer") == {"Initech", "Globex"}
    assert triples(g, "PROMOTED_TO") == {("Nina Patel", "Staff Engineer"),
                                         ("Tom Harris", "Tech Lead")}


def test_attendees_one_per_line_under_a_label(build_notes):
    g = build_notes({"2024-11-01-sync.txt": """
        Sync
        Date: 2024-11-01
        Attendees:
        Emily Watson
        Tom Harris, Nina Patel

        Great Progress Everyone
        """}).graph
    assert {p for p, _ in triples(g, "ATTENDED")} == {"Emily Watson", "Tom Harris", "Nina Patel"}


def test_team_sections_named_without_the_word_team(build_notes):
    g = build_notes({"2024-10-15-ah.md": """
        # All hands
        Date: 2024-10-15

        ## Team updates
        ### Platform (Emily Watson)
        - Nina Patel shipped the planner
        ### Payments — Aiko Tanaka
        - Marcus Webb is on call

        ## Q4 goals (draft)
        - Nothing here is a team
        """}).graph
    assert triples(g, "LEADS") == {("Emily Watson", "Platform Team"),
                                   ("Aiko Tanaka", "Payments Team")}
    assert triples(g, "MEMBER_OF") == {("Nina Patel", "Platform Team"),
                                       ("Marcus Webb", "Payments Team")}
