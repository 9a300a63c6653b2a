"""`kg mcp`: a read-only Model Context Protocol server over stdio, for AI assistants.

The tools are kg/answers.py's functions: the canned queries, search and entity
lookup, each answer carrying its evidence lines. Nothing here writes: the graph
is read from graph.json, and read again when a `kg build` replaces it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import __version__
from .cli_graph import graph_option
from .errors import KgError

INSTRUCTIONS = (
    "A knowledge graph of meeting notes: people, teams, tickets, incidents, customers, "
    "products, action items and decisions, each fact with the file:line that states it. "
    "Use lookup to see what a name means, search for text, query for the canned questions "
    "(list_queries lists them). Quote the evidence lines when you answer.")


class GraphFile:
    """graph.json, loaded once and again only when the file changes (a rebuild)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._graph = None
        self.get()  # a missing or bad graph stops the server before it starts

    def get(self):
        st = os.stat(self.path) if self.path.exists() else None
        stamp = (st.st_mtime_ns, st.st_size) if st else None
        if self._graph is None or (stamp is not None and stamp != self._stamp):
            from .graph import read_graph  # NetworkX: only once a graph is read

            self._graph, self._stamp = read_graph(self.path), stamp
        return self._graph


def make_server(graph_path: Path):
    """The MCP server with kg's read-only tools over the graph at `graph_path`."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import ToolAnnotations

    from . import answers

    graph = GraphFile(graph_path)
    server = MCPServer(name="kg", version=__version__, instructions=INSTRUCTIONS,
                       log_level="WARNING")
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                idempotent_hint=True, open_world_hint=False)

    def answer(call, *args, **kwargs) -> dict:
        try:
            return call(*args, **kwargs)
        except KgError as exc:
            hint = f" Hint: {exc.hint}" if exc.hint else ""
            raise ToolError(f"{exc}.{hint}") from exc

    @server.tool(annotations=read_only)
    def list_queries() -> dict:
        """Every canned query kg can answer: name, usage, description, columns."""
        return {"queries": answers.list_queries()}

    @server.tool(annotations=read_only)
    def query(name: str, argument: str | None = None, person: str | None = None,
              team: str | None = None, overdue: bool = False, as_of: str | None = None,
              since: str | None = None) -> dict:
        """Run a canned query (see list_queries), e.g. name="owners", argument="NEXUS-2000";
        open-items takes person/team/overdue/as_of, decisions takes since (YYYY-MM-DD).
        Names resolve like the CLI's: "Emily", "platform", "nexus-12". Each row carries
        `evidence`: the lines (file:line, date, text) its sources point to."""
        options = {"person": person, "team": team, "overdue": overdue, "as_of": as_of,
                   "since": since}
        return answer(answers.query, graph.get(), name, argument,
                      {k: v for k, v in options.items() if v not in (None, False)})

    @server.tool(annotations=read_only)
    def search(text: str, label: str | None = None, since: str | None = None,
               limit: int = 20) -> dict:
        """Find evidence lines and entities whose text matches (case- and accent-insensitive,
        every word, any order), best first, each with its evidence lines. `label` keeps one
        kind of entity (Person, Ticket, ...), `since` lines dated on or after YYYY-MM-DD."""
        from .viz import check_date, check_label

        return answer(lambda: answers.search(
            graph.get(), text, label=check_label(label) if label else None,
            since=check_date(since) if since else None, limit=max(limit, 0) or None))

    @server.tool(annotations=read_only)
    def lookup(name: str, limit: int = 50) -> dict:
        """What a name, alias, first name, key or id means in the graph, and every fact
        about it (newest evidence lines first). An ambiguous name lists the candidates;
        a typo suggests the closest names."""
        return answer(answers.lookup, graph.get(), name, limit=max(limit, 0))

    return server


@click.command("mcp")
@graph_option
def mcp_cmd(graph_path: Path) -> None:
    """Serve the graph to AI assistants over MCP (stdio), read-only.

    Tools: list_queries, query (the canned queries), search and lookup; each
    answer carries its evidence lines. Add it to an MCP client's config as
    the command `kg` with the arguments `mcp --graph /abs/path/graph.json`.

    \b
    Example:
      kg mcp --graph kg-out/graph.json      # speaks MCP on stdin/stdout
    """
    make_server(graph_path).run("stdio")
