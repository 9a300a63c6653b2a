"""The shapes real teams' minutes take, on notes invented for each test.

Every note here is written for the test in a style of its own; none is copied
from a corpus. Each test names the shape it covers and asserts what a user
would expect the graph to say, including what it must NOT say.
"""

from conftest import names, triples


def people(g):
    return names(g, "Person")


def attended(g):
    return {p for p, _ in triples(g, "ATTENDED")}


def items(g):
    return {a["text"]: a for _, a in g.nodes(data=True) if a["label"] == "ActionItem"}


def owners(g, text):
    return {o for o, t in triples(g, "OWNS") if t == text}


def aliases(g, name):
    (a,) = [a for _, a in g.nodes(data=True) if a["label"] == "Person" and a["name"] == name]
    return set(a["aliases"])


# -- attendee lists -----------------------------------------------------------------------

def test_roster_entries_with_handles_roles_initials_and_affiliations(build_notes):
    g = build_notes({"2025-03-04-steering.md": """
        # Steering Committee

        ## Attendance
        * Priya Raman @praman (Steering)
        * Bo Lind (Acme, **TAC**)
        1. KM: Kasia Mazur (@kmazur), Northwind
        * Rachel Ode (rachode
        """}).graph
    assert attended(g) == {"Priya Raman", "Bo Lind", "Kasia Mazur", "Rachel Ode"}
    assert {"praman"} <= aliases(g, "Priya Raman")
    assert {"KM", "kmazur"} <= aliases(g, "Kasia Mazur")
    assert "rachode" in aliases(g, "Rachel Ode")  # a handle whose "@" and ")" were lost
    assert not {"Acme", "TAC", "Northwind", "Steering"} & people(g)


def test_names_outside_any_gazetteer_are_people_because_the_list_says_so(build_notes):
    g = build_notes({"2025-01-09-guild.md": """
        # Guild sync
        Attendees: Quillfeather, Rosa María de la Fuente, Ибрагимова Алина Сергеевна,
        """ + """
        ## Also present
        - Tomasz Wiśniewski <tomasz@example.org>
        - [Ana Lobo](mailto:ana@example.org)
        - VM (Vicky) Okafor
        """}).graph
    assert attended(g) == {"Quillfeather", "Rosa María de la Fuente",
                           "Ибрагимова Алина Сергеевна", "Tomasz Wiśniewski", "Ana Lobo",
                           "VM Okafor"}
    assert "Vicky" in aliases(g, "VM Okafor")


def test_nested_bold_label_table_roll_call_and_in_the_room(build_notes):
    g = build_notes({"2025-02-11-platform.md": """
        # Platform weekly

        - **Attendees:**
            - @mkowal
            - Ines Duarte

        | Name | Initials | GitHub |
        |------|----------|--------|
        | Carla Ibarra | CI | carlai |

        ## Roll call
        - [x] Helga Berg
        - [ ] Olu Adeyemi

        In the room: Femi Bello, Sara Lund
        """}).graph
    assert attended(g) == {"mkowal", "Ines Duarte", "Carla Ibarra", "Helga Berg", "Femi Bello",
                           "Sara Lund"}
    assert "Olu Adeyemi" in people(g)  # listed, marked absent: a person, not an attendee
    assert items(g) == {}  # a checkbox roster is not a list of tasks
    assert {"CI", "carlai"} <= aliases(g, "Carla Ibarra")


def test_regrets_facilitators_and_next_meetings_roles(build_notes):
    g = build_notes({"2025-04-01-ops.md": """
        # Ops review
        Present: Dara Quinn, Lars Eng

        ## Regrets
        - Mina Cho

        ### Facilitator: Noor Haddad and Lars Eng

        ## Roles for next meeting
        - Moderator: Ana Lobo
        """}).graph
    assert "Mina Cho" in people(g) and "Mina Cho" not in attended(g)
    assert {p for p, _ in triples(g, "HOSTED")} == {"Noor Haddad", "Lars Eng"}
    assert "Ana Lobo" not in attended(g)  # next meeting's moderator, not this one's host


def test_an_attendance_list_outranks_a_list_of_invitees(build_notes):
    g = build_notes({"2025-05-06-wg.md": """
        # Docs working group

        ## Participants
        - Hugo Brandt
        - Ilse Moreau
        - Jonas Falk

        Present: Hugo, Ilse, Pat
        """}).graph
    assert attended(g) == {"Hugo Brandt", "Ilse Moreau", "Pat"}
    assert "Jonas Falk" in people(g)  # invited, named: a person who did not attend


# -- people by handle and first name ---------------------------------------------------------

def test_handles_are_people_and_group_handles_are_not(build_notes):
    g = build_notes({"2025-02-02-sync.md": """
        # Sync
        Date: 2025-02-02
        Attendees: @j-ortiz, @lmarsh

        - @all please fill in the survey
        - @acme/infra owns the runners
        - lmarsh raised a concern about PAY-12
        """}).graph
    assert people(g) == {"j-ortiz", "lmarsh"}
    assert ("lmarsh", "PAY-12") in triples(g, "RAISED_CONCERN_ABOUT")


def test_speaker_labels_first_names_and_words_that_are_not_people(build_notes):
    g = build_notes({"2025-06-03-standup.txt": """
        Standup 2025-06-03
        Attendees: Priya Raman, Bo Lind

        Priya: parser done, starting on tests
        - Quinn: the staging box is down again
        **Mireille:** I can take the rotation
        Note: demo moved to Thursday
        Update: nothing new
        Decision: freeze on Friday
        Will sync with Bo about the budget.
        Once 4.1 lands we can revisit.
        """}).graph
    assert people(g) == {"Priya Raman", "Bo Lind", "Quinn", "Mireille"}
    assert attended(g) == {"Priya Raman", "Bo Lind", "Quinn", "Mireille"}
    assert not names(g, "Product")  # "Once 4.1" is no product


def test_initials_that_are_acronyms_are_not_people_in_prose(build_notes):
    g = build_notes({"2025-06-10-build.md": """
        # Build sync
        Date: 2025-06-10
        Attendees: Carla Ibarra (CI), Tomasz Nowak (TN)

        - CI is green again after the cache change
        - TN raised a concern about BLD-4
        """}).graph
    assert ("Tomasz Nowak", "BLD-4") in triples(g, "RAISED_CONCERN_ABOUT")
    mentions = {(t, e["evidence"][0]["line"]) for _, t, e in g.edges(data=True)
                if e["type"] == "MENTIONS"}
    assert ("person:carla-ibarra", 5) not in mentions


# -- action items ---------------------------------------------------------------------------

def test_labelled_actions_in_every_shape_even_without_an_owner(build_notes):
    g = build_notes({"2025-03-11-council.md": """
        # Council
        Date: 2025-03-11
        Attendees: Kasia Mazur, Bo Lind, Marco Rossi

        **ACTION 14.3:** Kasia to draft the charter by March 20
        AI-7: Review the travel budget (owner: Bo Lind)
        ACTION: Document the voting rules
        #action marco to publish the release notes
        Marco Rossi, has action to update the website
        Kasia and Bo have this action.
        AGREED: ship 3.1 on Friday
        ACTION: Consensus is that we keep the old logo
        """}).graph
    found = items(g)
    assert set(found) == {"draft the charter", "Review the travel budget",
                          "Document the voting rules", "publish the release notes",
                          "update the website", "Kasia and Bo have this action"}
    assert (found["draft the charter"]["ref"], found["draft the charter"]["due"]) == (
        "14.3", "2025-03-20")
    assert found["Review the travel budget"]["ref"] == "AI-7"
    assert "AI-7" not in names(g, "Ticket")  # an action's own id is no ticket
    assert owners(g, "publish the release notes") == {"Marco Rossi"}
    assert owners(g, "Kasia and Bo have this action") == {"Kasia Mazur", "Bo Lind"}
    assert owners(g, "Document the voting rules") == set()


def test_action_cells_tables_without_outer_pipes_and_id_rows(build_notes):
    g = build_notes({"2025-07-01-infra.md": """
        # Infra
        Date: 2025-07-01
        Attendees: Ana Costa, Luis Mora

        Topic | Notes
        -|-
        Backups | ACTION: Ana to test restores<br>- Luis to rotate the keys

        ## Actions
        | ID | Action | Owner |
        |----|--------|-------|
        | AP-3 | Renew the certificate | |
        """}).graph
    found = items(g)
    assert owners(g, "test restores") == {"Ana Costa"}
    assert owners(g, "rotate the keys") == {"Luis Mora"}
    assert "Renew the certificate" in found and owners(g, "Renew the certificate") == set()


def test_owner_phrasings_hedged_lists_groups_and_mid_sentence(build_notes):
    g = build_notes({"2025-08-05-release.md": """
        # Release sync
        Date: 2025-08-05
        Attendees: Anya Petrova, Kofi Mensah, Piet de Vries, Omar Said

        ## Action items
        - ACTION ITEM: Anya, Kofi, ideally Piet, possibly others, will review the RFC
        - After the demo, Omar will ask QA about it
        - Release Crew to tag 2.0
        - Storage team finish the migration
        - @all: update your profiles
        - One of anya, kofi and/or piet should sign the release
        - Sync with Anya and Omar on the changelog
        """}).graph
    found = items(g)
    rfc = next(t for t in found if "review the RFC" in t)
    assert owners(g, rfc) == {"Anya Petrova", "Kofi Mensah", "Piet de Vries"}
    assert owners(g, next(t for t in found if "ask QA" in t)) == {"Omar Said"}
    assert owners(g, "tag 2.0") == {"Release Crew"}
    assert owners(g, "Storage team finish the migration") == {"Storage Team"}
    assert owners(g, "update your profiles") == {"all"}
    assert not {"Release Crew", "Storage Team", "all"} & people(g)  # groups are never people
    sign = next(t for t in found if "sign the release" in t)
    assert sign.startswith("One of")  # "one of" is part of what the task says
    assert owners(g, "Sync with Anya and Omar on the changelog") == {"Anya Petrova", "Omar Said"}


def test_agenda_checkboxes_are_not_tasks_but_assigning_ones_are(build_notes):
    g = build_notes({"2025-09-09-agenda.md": """
        # Community call
        Date: 2025-09-09
        Attendees: Dana Whit (DW), Eli Moss (EM)

        ## Agenda
        - [x] (DW) Release status: 2.1 is out
        - [x] EM: Welcoming Lucas to the maintainers!
        - [ ] Roadmap review
        - [ ] Dana to write the upgrade guide
        - [ ] Fix the docs build 📅 2025-09-20
        """}).graph
    assert set(items(g)) == {"write the upgrade guide", "Fix the docs build"}
    assert "Welcoming Lucas" not in people(g)


def test_review_sections_and_repeats_make_no_new_items(build_notes):
    g = build_notes({"2025-10-14-weekly.md": """
        # Weekly
        Date: 2025-10-14
        Attendees: Hana Sato, Gil Amir

        ## Follow-up on last week's actions
        - Hana: the dashboard is done
        - Gil still waiting on legal

        ## Summary
        - ACTION: Gil to send the contract to legal

        ## Action items
        - ACTION: Gil to send the contract to legal
        """}).graph
    found = items(g)
    assert list(found) == ["send the contract to legal"]
    (edge,) = [d for s, t, d in g.edges(data=True) if d["type"] == "OWNS"
               and t.startswith("item:")]
    assert [e["line"] for e in edge["evidence"]] == [10, 13]  # one item, two statements


# -- tickets, meetings, tool syntax -------------------------------------------------------

def test_tickets_behind_links_and_bare_numbers_that_a_link_names(build_notes):
    g = build_notes({"2025-04-22-triage.md": """
        # Working Session #21
        Date: 2025-04-22

        - Approving charters is clunky [#630](https://github.com/acme/council/issues/630)
        - #630 needs a decision; [the cache fix](https://github.com/acme/cache/pull/9) landed
        - See widget-api/issues/42, Core#512 and EIP 4242
        """}).graph
    assert names(g, "Ticket") == {"acme/council#630", "acme/cache#9", "widget-api#42",
                                  "Core#512", "EIP-4242"}


def test_dated_sections_are_separate_meetings(build_notes):
    g = build_notes({"infra-running-notes.md": """
        # Infra running notes

        ## 2025-03-05
        Attendees: Dana Whit, Eli Moss
        - ACTION: Dana to rotate the keys by Friday

        ## 2025-03-12
        Attendees: Dana Whit, Farid Haq
        - ACTION: Farid to update the runbook
        """}).graph
    meetings = {n: a for n, a in g.nodes(data=True) if a["label"] == "Meeting"}
    assert {a["date"] for a in meetings.values()} == {"2025-03-05", "2025-03-12"}
    by_date = {}
    for s, t, d in g.edges(data=True):
        if d["type"] == "ATTENDED":
            by_date.setdefault(g.nodes[t]["date"], set()).add(g.nodes[s]["name"])
    assert by_date == {"2025-03-05": {"Dana Whit", "Eli Moss"},
                       "2025-03-12": {"Dana Whit", "Farid Haq"}}
    assert items(g)["rotate the keys"]["due"] == "2025-03-07"  # Friday after its own meeting


def test_obsidian_notion_and_google_docs_syntax(build_notes):
    g = build_notes({"2025-01-15-review.md": """
        ---
        date: 2025-01-15
        ---
        # Design review
        <!-- Template: * Initials: Full Name (@handle) -->
        <!--
        * SD: Sam Doe (@samdoe)
        -->
        Present: Gil Amir, Hana Sato, [Lena Fischer](mailto:lena@example.org)

        - [ ] Write the migration plan [[Gil Amir]] 📅 2025-01-31
        - [x] Ship the schema ✅ 2025-01-14
        - [ ] Ask [[Hana Sato]] about the index plan 📅 2025-01-20
        - Launch review is on @November 22, 2024
        ☐ [Lena Fischer](mailto:lena@example.org) Draft the FAQ
        """}).graph
    found = items(g)
    assert found["Write the migration plan"]["due"] == "2025-01-31"
    assert owners(g, "Write the migration plan") == {"Gil Amir"}
    assert found["Ship the schema"]["status"] == "done" and found["Ship the schema"]["due"] is None
    ask = next(t for t in found if t.startswith("Ask"))
    assert "Hana Sato" in ask and owners(g, ask) == set()  # a mention, not the owner
    assert owners(g, "Draft the FAQ") == {"Lena Fischer"}
    assert people(g) == {"Gil Amir", "Hana Sato", "Lena Fischer"}  # no "Sam Doe", no "November"


# -- no invented facts ----------------------------------------------------------------------

def test_hedged_and_proposed_statements_are_not_facts(build_notes):
    g = build_notes({"2025-11-04-staff.md": """
        # Staff meeting
        Date: 2025-11-04
        Attendees: Priya Raman, Bo Lind, Kasia Mazur

        - Priya could be promoted to Staff Engineer next cycle.
        - Bo is a candidate for promotion to Engineering Manager.
        - We should promote Kasia to Principal.
        - Proposed: Bo leads the Infra team.
        - If the launch goes well, Kasia is promoted to Director.
        - Does OPS-2 depend on OPS-1?
        - NEXUS-9 slipped, given the holidays; NEXUS-7 is unrelated.
        - INC-42 at Berlin was resolved quickly.
        - Kasia Mazur was promoted to Principal Engineer.
        """}).graph
    assert triples(g, "PROMOTED_TO") == {("Kasia Mazur", "Principal Engineer")}
    assert triples(g, "LEADS") == set()
    assert triples(g, "DEPENDS_ON") == set()
    assert names(g, "Customer") == set()


def test_words_that_label_structure_are_never_entities(build_notes):
    g = build_notes({"2025-12-02-notes.md": """
        # Notes
        Date: 2025-12-02
        **Wiki Page:** https://wiki.example.org/team
        Timestamp: 10:42
        Team: Payments

        - Decision: keep the weekly cadence
        - ACTION 2.1: ship it
        """}).graph
    labels = {a["label"] for _, a in g.nodes(data=True)}
    assert labels <= {"Meeting", "ActionItem", "Team", "Decision"}
    everything = {a["name"] for _, a in g.nodes(data=True)}
    assert not {"Wiki Page", "Timestamp", "Decision", "ACTION", "Team"} & everything
    assert "keep the weekly cadence" in everything  # the decision is one; its label is not


# -- minutes written by tools and by other communities --------------------------------------

def test_irc_style_minutes_with_nick_speakers(build_notes):
    g = build_notes({"2025-05-20-wg.txt": """
        Payments WG teleconference 2025-05-20

        Present: Ann Lee, Bo Chen, Cy Park
        Regrets: Dee Ross
        Chair: Ann Lee
        Scribe: Bo Chen

        <Ann> we should publish a draft
        [15:04] <cpark> I'm worried about PAY-7
        ACTION: Cy to draft the explainer
        """}).graph
    assert attended(g) == {"Ann Lee", "Bo Chen", "Cy Park"}
    assert ("Cy Park", "PAY-7") in triples(g, "RAISED_CONCERN_ABOUT")  # the nick's concern
    assert "cpark" in aliases(g, "Cy Park")
    assert owners(g, "draft the explainer") == {"Cy Park"}


def test_meetbot_summary_with_actions_by_person_and_people_present(build_notes):
    g = build_notes({"2025-06-02-qa.txt": """
        Meeting summary
        ---------------
        * ACTION: kparal to file the blocker bug  (adamw, 16:20:01)
        * AGREED: the test day is on Thursday  (adamw, 16:25:44)

        Action items, by person
        -----------------------
        * kparal
          * kparal to file the blocker bug
        * lruzicka
          * lruzicka to update the wiki page

        People present (lines said)
        ---------------------------
        * adamw (80)
        * kparal (25)
        * lruzicka (10)
        """}).graph
    assert attended(g) == {"adamw", "kparal", "lruzicka"}
    assert set(items(g)) == {"file the blocker bug", "update the wiki page"}
    assert owners(g, "update the wiki page") == {"lruzicka"}


def test_indented_board_minutes_with_directors_present_absent_and_guests(build_notes):
    g = build_notes({"2025-03-19-board.txt": """
        Board of Directors Meeting Minutes
        March 19, 2025

         Directors Present:
           Ann Lee
           Bo Chen

         Directors Absent:
           Cy Park

         Guests:
           Dee Ross
        """}).graph
    assert attended(g) == {"Ann Lee", "Bo Chen", "Dee Ross"}
    assert "Cy Park" in people(g)


def test_notion_mentions_side_by_side(build_notes):
    g = build_notes({"2025-07-07-growth.md": """
        # Growth sync
        Date: 2025-07-07
        Participants: @Ann Lee @Bo Chen @Cy Park
        """}).graph
    assert attended(g) == {"Ann Lee", "Bo Chen", "Cy Park"}


def test_product_labels_owners_and_title_case_headings_are_not_people(build_notes):
    g = build_notes({"2025-08-12-platform.md": """
        # Platform sync
        Date: 2025-08-12
        Attendees: Dana Whit, Eli Moss

        ## Grant Access Review
        - Kubernetes: 1.31 is out, upgrade planned
        - Slack: the #alerts channel is noisy

        ## Action items
        - Kubernetes to roll out the new node pools
        - Dana to book the upgrade window
        """}).graph
    assert people(g) == {"Dana Whit", "Eli Moss"}
    assert owners(g, "book the upgrade window") == {"Dana Whit"}


def test_an_action_in_a_table_and_again_as_a_bullet_is_one_item(build_notes):
    g = build_notes({"2025-09-02-ops.md": """
        # Ops
        Date: 2025-09-02
        Attendees: Ana Costa, Luis Mora

        | Action | Owner | Due |
        |--------|-------|-----|
        | Renew the certificate | Ana Costa | Sep 9 |

        ## Action items
        - Ana to renew the certificate by Sep 9
        - Call between Ana, Luis and Omar to settle the API
        """}).graph
    found = items(g)
    assert list(found).count("Renew the certificate") + list(found).count(
        "renew the certificate") == 1
    (edge,) = [d for s, t, d in g.edges(data=True) if d["type"] == "OWNS"
               and g.nodes[t]["name"].lower() == "renew the certificate"]
    assert [e["line"] for e in edge["evidence"]] == [7, 10]
    call = next(t for t in found if t.startswith("Call between"))
    assert owners(g, call) == {"Ana Costa", "Luis Mora", "Omar"}
