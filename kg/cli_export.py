"""`kg export`: the graph as GraphML, GEXF, neo4j-admin CSV or a Cypher script."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_graph import graph_option
from .cli_output import printable


@click.command("export")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["graphml", "gexf", "csv", "cypher"]),
              help="graphml/gexf (Gephi, yEd), csv (neo4j-admin import) or cypher (a script).")
@click.option("--out", type=click.Path(path_type=Path),
              help="File to write (a folder for csv); default beside the graph: "
                   "graph.graphml, graph.gexf, graph.cypher or csv/.")
@graph_option
def export_cmd(fmt: str, out: Path | None, graph_path: Path) -> None:
    """Export the graph for other tools: Gephi, yEd, neo4j-admin, cypher-shell.

    GraphML and GEXF hold only flat attributes, so lists and evidence are JSON
    text there; CSV and Cypher keep the properties `kg load` writes.

    \b
    Example:
      kg export --format graphml                 # kg-out/graph.graphml, open in Gephi or yEd
      kg export --format gexf --out team.gexf
      kg export --format csv --out import/       # nodes.csv + relationships.csv, then:
        neo4j-admin database import full --nodes=import/nodes.csv \\
          --relationships=import/relationships.csv --array-delimiter=U+001F \\
          --multiline-fields=true neo4j
      kg export --format cypher && cypher-shell -f kg-out/graph.cypher
    """
    from .export import default_path, export
    from .graph import read_graph  # NetworkX: only once a graph is read

    graph = read_graph(graph_path)
    written = export(graph, fmt, out or default_path(graph_path, fmt))
    click.echo(f"Exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} "
               f"relationships as {fmt}:")
    for path in written:
        click.echo(f"  {printable(str(path))}")
