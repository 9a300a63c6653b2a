"""One way to turn user text into a node: the same answer for queries, the page and search."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.errors import QueryError
from kg.lookup import Entity, find_node, resolve_entity, suggestions

NOTE = """# Storage Sync

**Date:** February 3, 2025
**Attendees:** Emily Watson, Dana Kim, Lee Kim, Tomás Ferreira (TF), Raj Patel @rpatel

### Storage Team (Emily Watson)
- Dana Kim on compaction
- Tomás Ferreira on the WAL

## Updates
- INC-7 at Northwind Corp: exports failed for two hours
- Raj Patel raised concern about NEXUS-12

## Action Items
- [ ] Dana Kim to patch the Northwind Corp export by Feb 10
- [ ] Tomás Ferreira to ship GraphSync 2.1 by Feb 20
- [ ] Raj Patel to fix NEXUS-12 by Feb 5
- [ ] Storage team to review the runbook for INC-7 by Feb 14
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("lookup")
    (root / "notes").mkdir()
    (root / "notes" / "2025-02-03-sync.md").write_text(NOTE, encoding="utf-8")
    result = build([root / "notes"], root / "out", BuildOptions(html=False))
    return result.graph, str(root / "out" / "graph.json")


@pytest.mark.parametrize("text, node", [
    ("Emily Watson", "person:emily-watson"),
    ("emily watson", "person:emily-watson"),
    ("Tomas Ferreira", "person:tomas-ferreira"),      # accents are not required
    ("TF", "person:tomas-ferreira"),                   # declared initials (an alias)
    ("tf", "person:tomas-ferreira"),
    ("Emily", "person:emily-watson"),                  # a first name only one person has
    ("Watson", "person:emily-watson"),                 # a surname
    ("rpatel", "person:raj-patel"),                    # a handle
    ("@rpatel", "person:raj-patel"),
    ("nexus-12", "ticket:NEXUS-12"),                   # keys are case-insensitive
    ("INC-7", "incident:INC-7"),
    ("storage", "team:storage-team"),                  # a team without "team"
    ("Storage Team", "team:storage-team"),
    ("northwind", "customer:northwind-corp"),          # a customer by its first word
    ("Northwind Corp", "customer:northwind-corp"),
    ("graphsync", "product:graphsync"),
    ("person:lee-kim", "person:lee-kim"),              # a node id
])
def test_user_text_finds_its_node(built, text, node):
    graph, _ = built
    assert find_node(graph, text) == node


def test_an_ambiguous_name_lists_the_candidates(built):
    graph, _ = built
    with pytest.raises(QueryError, match="'Kim' is ambiguous: it could be Dana Kim, Lee Kim"):
        find_node(graph, "Kim")


def test_a_typo_gets_did_you_mean_by_any_name_part(built):
    graph, _ = built
    with pytest.raises(QueryError, match="no entity named 'Emilly'") as err:
        find_node(graph, "Emilly")
    assert err.value.hint == "Did you mean Emily Watson?"
    with pytest.raises(QueryError) as err:
        find_node(graph, "Northwnd")
    assert err.value.hint == "Did you mean Northwind Corp?"
    with pytest.raises(QueryError) as err:
        find_node(graph, "Stor")  # the start of a word, too short for a typo
    assert err.value.hint == "Did you mean Storage Team, Storage Sync?"


def test_nothing_close_says_how_to_fix_it(built):
    graph, _ = built
    with pytest.raises(QueryError) as err:
        find_node(graph, "Zyxwvut")
    assert "run `kg build`" in err.value.hint


def test_two_nodes_sharing_a_name_are_listed_by_id():
    twins = [Entity("meeting:a.md", "Meeting", "Weekly"), Entity("meeting:b.md", "Meeting",
                                                                 "Weekly")]
    with pytest.raises(QueryError, match=r"Weekly \(meeting:a.md\), Weekly \(meeting:b.md\)"):
        resolve_entity("weekly", twins)
    assert suggestions("Weekley", twins) == ["Weekly"]


def test_a_label_restriction_narrows_what_a_name_can_mean(built):
    graph, _ = built
    with pytest.raises(QueryError, match="no team named 'Emily'"):
        find_node(graph, "Emily", labels=("Team",))


def kg(*args):
    return CliRunner().invoke(main, list(args))


def test_query_and_viz_resolve_a_surname_alike(built, tmp_path):
    _, graph_path = built
    rows = json.loads(kg("query", "person", "Watson", "--graph", graph_path,
                         "--format", "json").output)
    assert {"relation": "LEADS", "what": "Storage Team", "date": "2025-02-03",
            "source": "2025-02-03-sync.md:6"} in rows
    page = kg("viz", "--focus", "Watson", "--graph", graph_path, "--out",
              str(tmp_path / "w.html"))
    assert page.exit_code == 0, page.output
    for command in (["query", "person", "Emilly"], ["viz", "--focus", "Emilly"]):
        res = kg(*command, "--graph", graph_path, "--out" if command[0] == "viz" else "--format",
                 str(tmp_path / "x.html") if command[0] == "viz" else "table")
        assert res.exit_code == 2
        assert "Hint: Did you mean Emily Watson?" in res.output, command


def test_open_items_for_a_team_are_its_own_and_its_people(built):
    _, graph_path = built
    rows = json.loads(kg("query", "open-items", "--team", "Storage", "--graph", graph_path,
                         "--format", "json").output)
    assert [(r["owner"], r["item"]) for r in rows] == [
        ("Dana Kim", "patch the Northwind Corp export"),
        ("Storage Team", "review the runbook for INC-7"),
        ("Tomás Ferreira", "ship GraphSync 2.1")]
    unknown = kg("query", "open-items", "--team", "Stroage", "--graph", graph_path)
    assert unknown.exit_code == 2 and "Did you mean Storage Team?" in unknown.output


def test_owners_of_a_customer_or_a_product_own_items_tied_to_it(built):
    _, graph_path = built
    for name, owner, item in (("northwind", "Dana Kim", "patch the Northwind Corp export"),
                              ("GraphSync", "Tomás Ferreira", "ship GraphSync 2.1")):
        rows = json.loads(kg("query", "owners", name, "--graph", graph_path,
                             "--format", "json").output)
        assert [(r["person"], r["item"]) for r in rows] == [(owner, item)], name


def test_leading_words_name_a_customer_product_or_team_when_only_one_fits():
    found = [Entity("customer:contoso-bank", "Customer", "Contoso Bank"),
             Entity("customer:contoso-health-ltd", "Customer", "Contoso Health Ltd"),
             Entity("product:query-studio", "Product", "Query Studio"),
             Entity("person:contoso-smith", "Person", "Contoso Smith"),
             Entity("team:data-platform-team", "Team", "Data Platform Team")]
    assert resolve_entity("contoso health", found).id == "customer:contoso-health-ltd"
    assert resolve_entity("query", found).id == "product:query-studio"
    assert resolve_entity("data platform", found).id == "team:data-platform-team"
    with pytest.raises(QueryError, match="could be Contoso Bank, Contoso Health Ltd$"):
        resolve_entity("contoso", found)  # a person's first name is not a leading-word rule
