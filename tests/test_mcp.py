"""`kg mcp`: the server runs as a subprocess and every tool is called through the official
SDK's client (stdio_client + ClientSession), as an AI assistant would."""

from __future__ import annotations

import json
import sys

import anyio
import pytest
from click.testing import CliRunner
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from test_lookup import NOTE

from kg.build import BuildOptions, build
from kg.cli import main
from kg.graph import read_graph, write_graph

TOOLS = {"list_queries", "query", "search", "lookup"}


@pytest.fixture
def graph_path(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2025-02-03-sync.md").write_text(NOTE, encoding="utf-8")
    build([tmp_path / "notes"], tmp_path / "out", BuildOptions(html=False))
    return tmp_path / "out" / "graph.json"


def _session(graph_path, script):
    """Start `kg mcp` and run `script(session)` against it; returns what the script returns."""
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "kg.cli", "mcp", "--graph", str(graph_path)])

    async def run():
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            return await script(s)

    return anyio.run(run)


def _json(result) -> dict:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def test_every_tool_answers_with_its_evidence_lines(graph_path):
    async def script(s):
        tools = (await s.list_tools()).tools
        calls = {
            "list_queries": await s.call_tool("list_queries", {}),
            "owners": await s.call_tool("query", {"name": "owners", "argument": "northwind"}),
            "team": await s.call_tool("query", {"name": "open-items", "team": "storage"}),
            "search": await s.call_tool("search", {"text": "northwind", "limit": 5}),
            "lookup": await s.call_tool("lookup", {"name": "Watson"}),
        }
        return tools, calls

    tools, calls = _session(graph_path, script)
    assert {t.name for t in tools} == TOOLS
    assert all(t.annotations.read_only_hint and not t.annotations.destructive_hint
               for t in tools)

    names = {q["name"] for q in _json(calls["list_queries"])["queries"]}
    assert {"owners", "open-items", "person", "timeline", "decisions"} <= names

    owners = _json(calls["owners"])["rows"]
    assert [(r["person"], r["item"]) for r in owners] == [
        ("Dana Kim", "patch the Northwind Corp export")]
    assert owners[0]["evidence"] == [{
        "source": "2025-02-03-sync.md:15", "date": "2025-02-03",
        "text": "- [ ] Dana Kim to patch the Northwind Corp export by Feb 10"}]
    team = _json(calls["team"])["rows"]
    assert {r["owner"] for r in team} == {"Dana Kim", "Storage Team", "Tomás Ferreira"}
    assert all(r["evidence"] for r in team)

    found = _json(calls["search"])["rows"]
    assert found[0]["kind"] == "Customer" and found[0]["text"] == "Northwind Corp"
    assert {e["source"] for e in found[0]["evidence"]} == {"2025-02-03-sync.md:11",
                                                           "2025-02-03-sync.md:15"}
    assert found[1]["evidence"][0]["text"] == found[1]["text"]

    emily = _json(calls["lookup"])
    assert emily["entity"]["id"] == "person:emily-watson"
    leads = [f for f in emily["facts"] if f["relation"] == "LEADS"]
    assert leads == [{"subject": "Emily Watson", "relation": "LEADS", "object": "Storage Team",
                      "other_label": "Team", "date": "2025-02-03", "evidence": [
                          {"source": "2025-02-03-sync.md:6", "date": "2025-02-03",
                           "text": "### Storage Team (Emily Watson)"}]}]


def test_bad_requests_are_tool_errors_with_the_cli_hints(graph_path):
    async def script(s):
        return [await s.call_tool("lookup", {"name": "Kim"}),
                await s.call_tool("lookup", {"name": "Emilly"}),
                await s.call_tool("query", {"name": "ownrs", "argument": "x"}),
                await s.call_tool("query", {"name": "owners", "argument": "NEXUS-12",
                                            "team": "storage"}),
                await s.call_tool("search", {"text": "x", "label": "Tiket"})]

    results = _session(graph_path, script)
    texts = [r.content[0].text for r in results]
    assert all(r.is_error for r in results), texts
    assert "ambiguous: it could be Dana Kim, Lee Kim" in texts[0]
    assert "Did you mean Emily Watson?" in texts[1]
    assert "Did you mean owners" in texts[2]
    assert "--team does not apply to owners" in texts[3]
    assert "unknown label 'Tiket'" in texts[4]


def test_a_rebuilt_graph_is_read_again(graph_path):
    async def script(s):
        before = await s.call_tool("lookup", {"name": "Zoe Quist"})
        g = read_graph(graph_path)
        g.add_node("person:zoe-quist", label="Person", name="Zoe Quist", aliases=[],
                   mentions=1)
        write_graph(g, graph_path)
        return before, await s.call_tool("lookup", {"name": "zoe"})

    before, after = _session(graph_path, script)
    assert before.is_error
    assert _json(after)["entity"]["id"] == "person:zoe-quist"


def test_a_missing_graph_stops_the_server_before_it_starts(tmp_path):
    result = CliRunner().invoke(main, ["mcp", "--graph", str(tmp_path / "graph.json")])
    assert result.exit_code == 2 and "no graph here" in result.output
