"""The graph page without a browser: selection, escaping, self-containment and `kg viz`."""

from __future__ import annotations

import json
import re
import time

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import vocab as V
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.graph import read_graph, write_graph
from kg.viz import View, neighbourhood, resolve_focus, script_json, select, write_page
from kg.viz_page import STATE_COLOURS, item_states, state_on

HOSTILE = "<img src=x onerror=alert(1)>"


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    ev = [{"source": "a.md", "line": 3, "text": "Emily owns NEXUS-1", "date": "2024-10-01"}]
    late = [{"source": "b.md", "line": 5, "text": "Alex on NEXUS-2", "date": "2024-11-05"}]
    g.add_node("meeting:a.md", label="Meeting", name="Sync", title="Sync", date="2024-10-01",
               source="a.md")
    g.add_node("person:emily-watson", label="Person", name="Emily Watson", aliases=["EW"],
               mentions=3)
    g.add_node("person:alex-chen", label="Person", name="Alex Chen", aliases=[], mentions=1)
    g.add_node("ticket:NEXUS-1", label="Ticket", name="NEXUS-1", mentions=2)
    g.add_node("ticket:NEXUS-2", label="Ticket", name="NEXUS-2", mentions=1)
    g.add_edge("person:emily-watson", "meeting:a.md", key="ATTENDED", type="ATTENDED", evidence=ev)
    g.add_edge("person:emily-watson", "ticket:NEXUS-1", key="OWNS", type="OWNS", evidence=ev)
    g.add_edge("ticket:NEXUS-1", "ticket:NEXUS-2", key="DEPENDS_ON", type="DEPENDS_ON",
               evidence=ev)
    g.add_edge("person:alex-chen", "ticket:NEXUS-2", key="WORKS_ON", type="WORKS_ON",
               evidence=late)
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = small_graph()
    g.add_node("person:x", label="Person", name=HOSTILE, aliases=[], mentions=1)
    g.add_edge("person:x", "meeting:a.md", key="ATTENDED", type="ATTENDED",
               evidence=[{"source": "a.md", "line": 2, "date": "2024-10-01",
                          "text": f"Attendees: {HOSTILE} </script><script>alert(2)</script>"
                                  "\u2028<!--"}])
    return g


def test_focus_walks_both_directions_to_the_given_depth():
    g = small_graph()
    assert neighbourhood(g, "ticket:NEXUS-2", 1, set(g)) == {
        "ticket:NEXUS-2": 0, "ticket:NEXUS-1": 1, "person:alex-chen": 1}
    assert set(neighbourhood(g, "ticket:NEXUS-2", 2, set(g))) == {
        "ticket:NEXUS-2", "ticket:NEXUS-1", "person:alex-chen", "person:emily-watson"}
    assert neighbourhood(g, "ticket:NEXUS-2", 0, set(g)) == {"ticket:NEXUS-2": 0}


def test_focus_resolves_names_keys_aliases_and_ids():
    g = small_graph()
    assert resolve_focus(g, "emily watson") == "person:emily-watson"
    assert resolve_focus(g, "EW") == "person:emily-watson"
    assert resolve_focus(g, "NEXUS-1") == "ticket:NEXUS-1"
    assert resolve_focus(g, "person:alex-chen") == "person:alex-chen"


def test_unknown_focus_suggests_the_closest_name():
    with pytest.raises(QueryError, match="no entity named 'Emily Watsen'") as err:
        resolve_focus(small_graph(), "Emily Watsen")
    assert err.value.hint == "Did you mean Emily Watson?"


def test_labels_and_since_filter_the_view():
    g = small_graph()
    sel = select(g, View(labels=("Ticket",)))
    assert set(sel.nodes) == {"ticket:NEXUS-1", "ticket:NEXUS-2"}
    assert [e[2] for e in sel.edges] == ["DEPENDS_ON"]
    sel = select(g, View(since="2024-11-01"))
    assert set(sel.nodes) == {"person:alex-chen", "ticket:NEXUS-2"}
    assert "facts stated on or after 2024-11-01" in sel.notes


def test_bad_label_and_date_are_input_errors():
    with pytest.raises(InputError, match="Did you mean Ticket"):
        write_page(small_graph(), "/nonexistent/x.html", labels=("Tiket",))
    with pytest.raises(InputError, match="--since"):
        write_page(small_graph(), "/nonexistent/x.html", since="yesterday")


def page_json(path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                                page, re.S).group(1))


def test_big_graph_is_capped_and_the_page_says_so(tmp_path):
    g = nx.MultiDiGraph()
    for i in range(1200):
        g.add_node(f"ticket:T-{i}", label="Ticket", name=f"T-{i}", mentions=i % 7)
    for i in range(1, 1200):
        g.add_edge(f"ticket:T-{i}", f"ticket:T-{i // 2}", key="PART_OF", type="PART_OF",
                   evidence=[])
    sel = select(g, View())
    assert len(sel.nodes) == 500
    assert any("showing 500 of 1,200 nodes" in n and "--focus" in n and "--max-nodes 0" in n
               for n in sel.notes)
    page = write_page(g, tmp_path / "g.html").read_text(encoding="utf-8")
    assert "showing 500 of 1,200 nodes" in page and "700 Ticket" in page
    assert '"improvedLayout":false' in page


def test_neighbourhood_is_fast_on_a_100k_node_graph():
    g = nx.MultiDiGraph()
    n = 100_000
    g.add_nodes_from((f"t:{i}", {"label": "Ticket"}) for i in range(n))
    g.add_edges_from((f"t:{i}", f"t:{(i * 7 + 1) % n}", "DEPENDS_ON") for i in range(n))
    started = time.perf_counter()
    dist = neighbourhood(g, "t:0", 3, set(g))
    assert time.perf_counter() - started < 0.1
    assert 4 <= len(dist) <= 20


def test_script_json_cannot_leave_its_script_block():
    data = {"t": "</script><script>alert(1)</script><!-- \u2028\u2029 & >"}
    text = script_json(data)
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert "\u2029" not in text
    assert json.loads(text) == data


def test_page_is_self_contained_and_note_text_never_raw(tmp_path):
    page = write_page(hostile_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", page, re.I)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "<img" not in page and "alert(2)" in page  # present only in escaped JSON
    assert page.lower().count("</script") == 3  # data, vis-network, ours: nothing closes early
    assert "\u2028" not in page


def test_page_holds_every_node_and_edge(tmp_path):
    g = small_graph()
    page = write_page(g, tmp_path / "g.html").read_text(encoding="utf-8")
    blob = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page,
                     re.S).group(1)
    data = json.loads(blob)
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert len(data["edges"]) == g.number_of_edges()
    assert {e["label"] for e in data["edges"]} <= set(V.REL_TYPES)
    assert [x["label"] for x in data["legend"]] == ["Meeting", "Person", "Ticket"]
    ev = data["details"]["person:emily-watson"]["evidence"][0]
    assert ev[:3] == ["a.md", 3, "Emily owns NEXUS-1"]


def test_kg_viz_writes_next_to_the_graph_and_reports_bad_focus(tmp_path):
    write_graph(small_graph(), tmp_path / "graph.json")
    runner = CliRunner()
    res = runner.invoke(main, ["viz", "--graph", str(tmp_path / "graph.json")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "graph.html").exists() and "graph.html" in res.output
    res = runner.invoke(main, ["viz", "--graph", str(tmp_path / "graph.json"), "--focus",
                               "Alex Chenn", "--out", str(tmp_path / "a.html")])
    assert res.exit_code == 2
    assert "Hint: Did you mean Alex Chen?" in res.output
    res = runner.invoke(main, ["viz", "--graph", str(tmp_path / "graph.json"), "--focus",
                               "NEXUS-2", "--depth", "1", "--labels", "Ticket,Person",
                               "--out", str(tmp_path / "f.html")])
    assert res.exit_code == 0, res.output
    assert "neighbourhood of NEXUS-2, depth 1" in (tmp_path / "f.html").read_text("utf-8")
    assert "Example" in runner.invoke(main, ["viz", "--help"]).output


def test_kg_build_writes_the_page(tmp_path):
    from tests.conftest import REPO

    res = CliRunner().invoke(main, ["build", str(REPO / "tests" / "fixtures" / "viz"),
                                    "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert 'id="kg-data"' in page and "vis.Network" in page
    assert read_graph(tmp_path / "graph.json").number_of_nodes() > 0


def test_decisions_have_their_own_shape_and_show_text_and_status(tmp_path):
    from conftest import REPO
    from kg.build import build
    g = build([REPO / "seeds"], None).graph
    page = write_page(g, tmp_path / "g.html").read_text(encoding="utf-8")
    blob = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page,
                     re.S).group(1)
    data = json.loads(blob)
    decisions = [n for n in data["nodes"] if n["group"] == "Decision"]
    assert decisions and {n["shape"] for n in decisions} == {"box"}
    legend = {x["label"]: x["shape"] for x in data["legend"]}
    assert legend["Decision"] == "box" and legend["Person"] != "box"
    props = [data["details"][n["id"]]["props"] for n in decisions]
    assert {p["status"] for p in props} == {"decided", "reversed"}
    assert all(p["text"] for p in props)


def work_graph(meetings: int = 300, tickets: int = 400, people: int = 40) -> nx.MultiDiGraph:
    """Meetings that each attend-link many people and mention many tickets: the busiest nodes."""
    g = nx.MultiDiGraph()
    for p in range(people):
        g.add_node(f"person:p{p}", label="Person", name=f"Person {p}", aliases=[], mentions=2 + p)
    for t in range(tickets):
        g.add_node(f"ticket:T-{t}", label="Ticket", name=f"T-{t}", mentions=1 + t % 5)
    for m in range(meetings):
        day = f"2024-{1 + m % 12:02d}-{1 + m % 28:02d}"
        mid = f"meeting:m{m}.md"
        g.add_node(mid, label="Meeting", name="Weekly sync", title="Weekly sync", date=day,
                   source=f"m{m}.md")
        ev = [{"source": f"m{m}.md", "line": 2, "text": "sync", "date": day}]
        for p in range(0, people, 3):
            g.add_edge(f"person:p{(p + m) % people}", mid, key="ATTENDED", type="ATTENDED",
                       evidence=ev)
        for t in range(0, tickets, 40):
            g.add_edge(mid, f"ticket:T-{(t + m) % tickets}", key="MENTIONS", type="MENTIONS",
                       evidence=ev)
    g.add_edge("person:p1", "ticket:T-7", key="RAISED_CONCERN_ABOUT", type="RAISED_CONCERN_ABOUT",
               evidence=[{"source": "m1.md", "line": 4, "text": "worried", "date": "2024-02-02"}])
    return g


def test_the_cap_keeps_the_work_and_says_what_was_left_out():
    g = work_graph()
    sel = select(g, View(max_nodes=200, as_of="2025-01-01"))
    labels = [g.nodes[n]["label"] for n in sel.nodes]
    assert labels.count("Meeting") == 0  # 300 meetings, each busier than any ticket
    assert labels.count("Person") >= 35 and labels.count("Ticket") >= 150
    assert "ticket:T-7" in sel.nodes  # the one ticket with a concern is never thinned out
    note = sel.notes[-1]
    assert "showing 200 of 740 nodes" in note and "300 Meeting" in note


def test_meetings_start_hidden_when_they_would_crowd_the_drawing(tmp_path):
    g = work_graph(meetings=60, tickets=20, people=10)
    sel = select(g, View(as_of="2025-01-01"))
    assert sel.hidden == ["Meeting"] and len(sel.nodes) == 90
    assert any("tick Meeting in the legend" in n for n in sel.notes)
    assert select(g, View(labels=("Meeting", "Person"), as_of="2025-01-01")).hidden == []
    assert select(g, View(focus="Person 1", as_of="2025-01-01")).hidden == []
    data = page_json(write_page(g, tmp_path / "g.html", as_of="2025-01-01"))
    assert data["hidden"] == ["Meeting"]
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["meeting:m0.md"] == "2024-01-01 Weekly sync"  # ten weeklies, told apart


def item_graph() -> nx.MultiDiGraph:
    g = small_graph()
    items = {"item:open": ("open", "2024-12-01"), "item:done": ("done", "2024-10-05"),
             "item:late": ("open", "2024-10-10")}
    for nid, (status, due) in items.items():
        g.add_node(nid, label="ActionItem", name=nid, text=f"Send the {nid[5:]} report",
                   status=status, due=due, source="a.md", line=9)
        g.add_edge("person:emily-watson", nid, key="OWNS", type="OWNS",
                   evidence=[{"source": "a.md", "line": 9, "text": "ACTION: Emily to send",
                              "date": "2024-10-01"}])
    return g


def test_item_colours_follow_the_shared_state_rule_on_the_as_of_date(tmp_path):
    data = page_json(write_page(item_graph(), tmp_path / "g.html", as_of="2024-11-01"))
    colour = {n["id"]: n["color"] for n in data["nodes"]}
    assert colour["item:open"] == STATE_COLOURS["open"]
    assert colour["item:done"] == STATE_COLOURS["done"]
    assert colour["item:late"] == STATE_COLOURS["overdue"]
    states = {n["id"]: n["states"] for n in data["nodes"] if "states" in n}
    # The slider's stops: still open on its due date, overdue from the day after.
    assert state_on(states["item:late"], "2024-10-10") == "open"
    assert state_on(states["item:late"], "2024-10-11") == "overdue"
    assert state_on(states["item:open"], "2024-12-02") == "overdue"


def test_item_states_follow_a_history_of_statements():
    attrs = {"status": "done", "due": "2024-10-20",
             "history": [{"date": "2024-10-01", "status": "open", "due": "2024-10-10"},
                         {"date": "2024-10-15", "status": "done", "due": "2024-10-20"}]}
    changes = item_states(attrs, "2024-11-01")
    assert state_on(changes, "2024-09-30") == "later"  # not yet stated
    assert state_on(changes, "2024-10-05") == "open"
    assert state_on(changes, "2024-10-12") == "overdue"
    assert state_on(changes, "2024-10-15") == "done"


def test_flagged_tickets_are_marked_and_the_panel_has_neighbours(tmp_path):
    data = page_json(write_page(small_graph(), tmp_path / "g.html", as_of="2024-11-01"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ticket:NEXUS-1"]["flagged"]
    assert nodes["ticket:NEXUS-1"]["label"] == "\u26a0 NEXUS-1"
    assert "flagged" not in nodes["ticket:NEXUS-2"]
    assert data["details"]["ticket:NEXUS-1"]["props"]["depends on"] == "1"
    near = data["details"]["ticket:NEXUS-2"]["near"]
    assert ["DEPENDS_ON", "in", "ticket:NEXUS-1", "NEXUS-1", True] in near
    assert ["WORKS_ON", "in", "person:alex-chen", "Alex Chen", True] in near
    assert data["relTypes"] == ["ATTENDED", "OWNS", "DEPENDS_ON", "WORKS_ON"]
    assert data["asOf"] == "2024-11-01" and data["dates"][-1] == "2024-11-05"


def test_as_of_is_checked_by_kg_viz_and_kg_build(tmp_path):
    write_graph(small_graph(), tmp_path / "graph.json")
    runner = CliRunner()
    res = runner.invoke(main, ["viz", "--graph", str(tmp_path / "graph.json"), "--as-of", "soon"])
    assert res.exit_code == 2 and "--as-of wants a date" in res.output
    res = runner.invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o"),
                               "--as-of", "31/12/2024"])
    assert res.exit_code == 2 and "--as-of wants a date" in res.output
    res = runner.invoke(main, ["viz", "--graph", str(tmp_path / "graph.json"),
                               "--as-of", "2024-11-01"])
    assert res.exit_code == 0, res.output
    assert page_json(tmp_path / "graph.html")["asOf"] == "2024-11-01"


def test_the_cap_prefers_work_joined_to_what_it_keeps():
    g = nx.MultiDiGraph()
    g.add_node("person:ana", label="Person", name="Ana", aliases=[], mentions=5)
    for i in range(40):  # busy keys nobody owns
        g.add_node(f"ticket:LONE-{i}", label="Ticket", name=f"LONE-{i}", mentions=50)
    for i in range(40):  # quieter keys Ana works on
        g.add_node(f"ticket:ANA-{i}", label="Ticket", name=f"ANA-{i}", mentions=1)
        g.add_edge("person:ana", f"ticket:ANA-{i}", key="WORKS_ON", type="WORKS_ON", evidence=[])
    sel = select(g, View(max_nodes=21, as_of="2025-01-01"))
    assert "person:ana" in sel.nodes
    assert sum(n.startswith("ticket:ANA-") for n in sel.nodes) == 20
    sel = select(g, View(max_nodes=5, as_of="2025-01-01", focus="ANA-7", depth=2))
    assert {"ticket:ANA-7", "person:ana"} <= set(sel.nodes) and len(sel.nodes) == 5
