"""`kg query`, `kg load`, `kg cypher` and the Neo4j connection options."""

from __future__ import annotations

import json
import sys

import click

from .cli_output import format_rows, printable, to_json
from .outdir import DEFAULT_OUT

# NetworkX, the Neo4j driver and the graph model are imported by the commands that use
# them, so that `kg --help` and `kg --version` start in a tenth of a second.

DEFAULT_GRAPH = f"{DEFAULT_OUT}/graph.json"


def neo4j_options(f):
    """Connection options shared by every command that talks to Neo4j."""
    options = [
        click.option("--uri", help="Bolt URI [env NEO4J_URI; default bolt://localhost:7687]."),
        click.option("--user", help="User name [env NEO4J_USERNAME; default neo4j]."),
        click.option("--password", help="Password [env NEO4J_PASSWORD]; never printed."),
        click.option("--database", help="Database name [env NEO4J_DATABASE; server default]."),
        click.option("--batch-size", type=click.IntRange(1), default=None,
                     help="Rows per write transaction [default 500]."),
        click.option("--max-batch-bytes", type=click.IntRange(512), default=None,
                     help="Largest serialized batch in bytes [default 1000000; 2500 for "
                          "FalkorDB, which crashes on larger messages]."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _store(settings: dict):
    from .backends.neo4j_store import Neo4jStore, Settings

    store = Neo4jStore(Settings.from_env(**settings))
    try:
        store.connect()
    except BaseException:
        store.close()
        raise
    return store


def load_into_neo4j(graph, quiet: bool = False, reset: bool = False, **settings) -> dict:
    """Write `graph` to Neo4j, with a progress bar on a terminal; returns a summary."""
    store = _store(settings)
    try:
        total = graph.number_of_nodes() + graph.number_of_edges()
        if quiet or not sys.stderr.isatty() or total < 1000:
            return store.load(graph, reset=reset)
        with click.progressbar(length=total, label="Loading into Neo4j", file=sys.stderr) as bar:
            return store.load(graph, reset=reset, progress=bar.update)
    finally:
        store.close()


def _list_queries() -> str:
    from .queries import registry

    queries = registry().values()
    width = max(len(q.usage) for q in queries)
    return "\n".join(f"{q.usage.ljust(width)}  {q.description}" for q in queries)


@click.command("query")
@click.argument("name", required=False)
@click.argument("args", nargs=-1)
@click.option("--list", "list_", is_flag=True, help="List every canned query and exit.")
@click.option("--graph", "graph_path", default=DEFAULT_GRAPH, show_default=True,
              type=click.Path(dir_okay=False), help="graph.json to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table, json (a list of row objects) or csv.")
@click.option("--person", metavar="NAME", help="open-items: only this person's items.")
@click.option("--team", metavar="NAME", help="open-items: only items owned by this team or "
                                             "its lead and members.")
@click.option("--overdue", is_flag=True, help="open-items: only items due before --as-of.")
@click.option("--as-of", "as_of", metavar="DATE", help="open-items: the day overdue is "
                                                         "measured against [default today].")
@click.option("--since", metavar="DATE", help="decisions: only those taken on or after DATE.")
@click.option("--neo4j", "use_neo4j", is_flag=True,
              help="Run the query's Cypher on Neo4j instead of reading graph.json.")
@neo4j_options
def query_cmd(name, args, list_, graph_path, fmt, person, team, overdue, as_of, since,
              use_neo4j, **settings) -> None:
    """Run a canned query on graph.json (or on Neo4j with --neo4j).

    \b
    Example:
      kg query --list
      kg query owners NEXUS-2000
      kg query person Emily --format json
      kg query open-items --overdue --as-of 2024-11-01 --neo4j
      kg query open-items --team Platform
      kg query owners Northwind            # a customer or product: owners of its items
      kg query decisions NEXUS-2000 --since 2024-10-01
    """
    if list_ or not name:
        click.echo(_list_queries())
        return
    from .queries import StoreBackend, get_query, query_args, run_query

    query = get_query(name)
    params = query_args(query, args, {"person": person, "team": team, "overdue": overdue,
                                      "as_of": as_of, "since": since})
    if use_neo4j:
        store = _store(settings)
        try:
            rows = run_query(query, params, StoreBackend(store))
        finally:
            store.close()
    else:
        from .subgraphs import run_local  # the index beside graph.json when it is current

        rows = run_local(query, params, graph_path)
    click.echo(format_rows(rows, query.columns, fmt))


@click.command("load")
@click.option("--graph", "graph_path", default=DEFAULT_GRAPH, show_default=True,
              type=click.Path(dir_okay=False), help="graph.json to load.")
@click.option("--reset", is_flag=True, help="First delete everything kg loaded before "
                                            "(nodes labelled KgNode) and write it all "
                                            "again; nothing else is touched.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary as readable text or as JSON.")
@neo4j_options
def load_cmd(graph_path, reset, fmt, **settings) -> None:
    """Make Neo4j's kg nodes and relationships equal to graph.json.

    Writes only what is new or changed and deletes the kg nodes and
    relationships (with their evidence) that graph.json no longer has;
    nodes without the KgNode label, and relationships kg did not write,
    are left alone. Loading an unchanged graph writes nothing.

    \b
    Example:
      docker compose up -d && kg load --graph kg-out/graph.json
      kg load --reset --uri bolt://db:7687 --user neo4j
    """
    from .graph import read_graph

    summary = load_into_neo4j(read_graph(graph_path), quiet=fmt == "json", reset=reset,
                              **settings)
    if fmt == "json":
        click.echo(to_json(summary))
        return
    echo_load_summary(summary)


def echo_load_summary(summary: dict) -> None:
    """The load summary as text: totals, then what was written, removed and left alone."""
    reset = f" (deleted {summary['deleted']} old nodes first)" if summary["deleted"] else ""
    lines = [f"Loaded {summary['nodes']} nodes and {summary['relationships']} relationships "
             f"into {summary['uri']} in {summary['batches']} batches{reset}."]
    for what in ("written", "removed", "unchanged"):
        counts = summary[what]
        lines.append(f"  {what + ':':<10} {counts['nodes']} nodes, "
                     f"{counts['relationships']} relationships")
    click.echo("\n".join(lines))
    for w in summary["warnings"]:
        click.echo(f"  warning: {printable(w)}", err=True)


def _parse_param(text: str) -> tuple[str, object]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not k=v", param_hint="--param")
    try:
        return key, json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        return key, raw


@click.command("cypher")
@click.argument("statement")
@click.option("--param", "params", multiple=True, metavar="K=V",
              help="Query parameter (repeatable); V is JSON if it parses, else text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@neo4j_options
def cypher_cmd(statement, params, fmt, **settings) -> None:
    """Run ad-hoc Cypher on Neo4j; values go in as parameters.

    \b
    Example:
      kg cypher "MATCH (p:Person {name: \\$name})-[:OWNS]->(i) RETURN i.name AS item" \\
        --param name="Emily Watson"
    """
    store = _store(settings)
    try:
        rows = store.run(statement, dict(_parse_param(p) for p in params), write=True)
    finally:
        store.close()
    columns = tuple(rows[0]) if rows else ()
    click.echo(format_rows([{c: _plain(r[c]) for c in columns} for r in rows], columns, fmt))


def _plain(value):
    """Nodes and relationships as their properties, so every format can print them."""
    if hasattr(value, "items") and not isinstance(value, dict):
        return dict(value.items())
    return value
