"""`kg viz`: write the interactive graph page for a graph, or for a part of it."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_output import printable
from .outdir import DEFAULT_OUT
from .viz import DEFAULT_DEPTH, DEFAULT_MAX_NODES


@click.command("viz")
@click.option("--graph", "graph_path", type=click.Path(dir_okay=False, path_type=Path),
              default=str(Path(DEFAULT_OUT) / "graph.json"), show_default=True,
              help="The graph.json written by `kg build`.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Page to write (default: graph.html next to the graph).")
@click.option("--focus", metavar="NAME|KEY",
              help="Show only the neighbourhood of this node (a name, key, alias or id).")
@click.option("--depth", type=click.IntRange(min=0), default=DEFAULT_DEPTH, show_default=True,
              help="How many hops around --focus to show.")
@click.option("--labels", metavar="LABEL,...",
              help="Show only these node labels, e.g. Person,Ticket.")
@click.option("--since", metavar="DATE", help="Show only facts stated on or after DATE "
              "(YYYY-MM-DD).")
@click.option("--as-of", metavar="DATE", help="Colour action items as open, done or overdue "
              "on DATE (YYYY-MM-DD; default today).")
@click.option("--max-nodes", type=click.IntRange(min=0), default=DEFAULT_MAX_NODES,
              show_default=True, help="Draw at most this many nodes, the work first and "
              "the most active of each label (0: no limit). The page says what was left out.")
def viz_cmd(graph_path: Path, out_file: Path | None, focus, depth, labels, since, as_of,
            max_nodes) -> None:
    """Write an interactive, self-contained graph page (no network needed to open it).

    Colour and shape show the label, action items are coloured by their status
    on --as-of, size shows mentions; clicking a node or an edge opens a panel with
    its evidence lines and neighbours. The page has a search box (press /),
    label and relationship filters, a reset button and a date slider.

    \b
    Example:
      kg viz                                   # kg-out/graph.json -> kg-out/graph.html
      kg viz --focus "Emily Watson" --depth 1 --out emily.html
      kg viz --labels Person,Team,Ticket --since 2024-10-01
      kg viz --as-of 2024-11-30                # item colours as they stood that day
    """
    from .graph import read_graph  # NetworkX: only once the command runs
    from .viz import write_page

    graph = read_graph(graph_path)
    out = out_file or graph_path.with_name("graph.html")
    label_list = tuple(s for s in (labels or "").split(",") if s.strip()) or None
    title = f"kg: {focus}" if focus else "kg graph"
    page = write_page(graph, out, focus=focus, depth=depth, labels=label_list, since=since,
                      as_of=as_of, max_nodes=max_nodes, title=title)
    click.echo(f"Page:  {printable(str(page))}")
