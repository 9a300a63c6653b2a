"""The --graph option of every command that reads graph.json."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_GRAPH = Path("kg-out") / "graph.json"


def graph_option(f):
    """--graph PATH, default kg-out/graph.json."""
    return click.option("--graph", "graph_path", default=str(DEFAULT_GRAPH), show_default=True,
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="The graph.json written by `kg build`.")(f)
