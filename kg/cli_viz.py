"""`kg viz`. PLACEHOLDER: being written for issue 4 (the interactive graph page)."""

from __future__ import annotations

import click


@click.command("viz")
def viz_cmd() -> None:
    """Write an interactive graph page (not built yet)."""
    raise click.ClickException("not built yet")
