"""`kg search`: every line and entity whose text matches, ranked."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_graph import graph_option
from .cli_output import format_rows


@click.command("search")
@click.argument("text")
@click.option("--label", metavar="LABEL", help="Only entities with this label, and lines "
                                               "stating something about one (e.g. Ticket).")
@click.option("--since", metavar="DATE", help="Only lines dated on or after DATE (YYYY-MM-DD).")
@click.option("--limit", type=int, default=50, show_default=True,
              help="At most this many rows, the best first (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table, json (a list of row objects) or csv.")
@graph_option
def search_cmd(text: str, label, since, limit: int, fmt: str, graph_path: Path) -> None:
    """Find every evidence line and entity whose text matches TEXT.

    Case- and accent-insensitive; every word must occur, in any order. Rows
    are ranked by score, then newest first: 30 the words as written, 20 inside
    longer words or an entity TEXT names (as `kg query` resolves names), 10
    every word in any order, 0 a line naming that entity another way; +5 for
    an entity, plus how often the words occur (at most 4). Each line row has
    its file:line, its date and the entities stated on it.

    \b
    Example:
      kg search "schema registry"
      kg search Emily --label Ticket --since 2024-10-01
      kg search nexus-1542 --format json --limit 0
    """
    from .graph import read_graph  # NetworkX: only once a graph is read
    from .search import COLUMNS, check_limit, search
    from .viz import check_date, check_label

    rows = search(read_graph(graph_path), text, label=check_label(label) if label else None,
                  since=check_date(since) if since else None, limit=check_limit(limit))
    click.echo(format_rows([{c: r[c] for c in COLUMNS} for r in rows], COLUMNS, fmt))
