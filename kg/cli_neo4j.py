"""`kg query`, `kg load`, `kg cypher` and the Neo4j connection options.

PLACEHOLDER: being written for issue 3 (canned queries and the Neo4j loader).
"""

from __future__ import annotations

import click


def neo4j_options(f):
    """Connection options shared by every command that talks to Neo4j."""
    return f


def load_into_neo4j(graph, quiet: bool = False, **settings) -> dict:
    raise click.ClickException("Neo4j loading is not built yet")


@click.command("query")
def query_cmd() -> None:
    """Run a canned query (not built yet)."""
    raise click.ClickException("not built yet")


@click.command("load")
def load_cmd() -> None:
    """Load graph.json into Neo4j (not built yet)."""
    raise click.ClickException("not built yet")


@click.command("cypher")
def cypher_cmd() -> None:
    """Run ad-hoc Cypher on Neo4j (not built yet)."""
    raise click.ClickException("not built yet")
