"""The interactive graph page. PLACEHOLDER: being written for issue 4."""

from __future__ import annotations

from pathlib import Path


def write_page(graph, path: Path, **view) -> Path:
    """Write the interactive page for `graph` to `path` and return the path."""
    path = Path(path)
    path.write_text("<!doctype html><title>kg</title><p>graph page not built yet</p>\n",
                    encoding="utf-8")
    return path
