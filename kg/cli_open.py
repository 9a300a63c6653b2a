"""`kg open`: show the graph page in the default browser, on any platform."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from .cli_output import printable
from .errors import InputError, KgError
from .outdir import DEFAULT_OUT


class NoBrowser(KgError):
    """No browser could be started (a server, a container, an SSH session)."""

    exit_code = 1


def open_command(page: Path) -> str:
    """The shell command that opens `page` on this platform, for the build summary."""
    quoted = str(page) if " " not in str(page) else f'"{page}"'
    if sys.platform == "darwin":
        return f"open {quoted}"
    if sys.platform.startswith("win"):
        return f'start "" {quoted}'
    return f"xdg-open {quoted}"


@click.command("open")
@click.argument("page", required=False, type=click.Path(dir_okay=False, path_type=Path),
                default=str(Path(DEFAULT_OUT) / "graph.html"))
def open_cmd(page: Path) -> None:
    """Open the graph page (default kg-out/graph.html) in your browser.

    Uses Python's webbrowser module, so it works on macOS, Windows and Linux
    alike; set BROWSER to choose the browser. Exit code 2 when there is no
    page, 1 when no browser could be started (the page's address is printed).

    \b
    Example:
      kg open                         # kg-out/graph.html
      kg open emily.html
    """
    if not page.is_file():
        err = InputError(f"{page}: no such page")
        err.hint = "Run `kg build NOTES_DIR` (or `kg viz`) first, or name the page."
        raise err
    url = page.resolve().as_uri()
    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        err = NoBrowser(f"no browser could be started for {url}")
        err.hint = f"Open that address in any browser, or run: {open_command(page)}"
        raise err
    click.echo(f"Opened {printable(url)}")
