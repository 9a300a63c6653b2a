"""The interactive graph page: `write_page` and the checks on what a caller asks for.

Which nodes a page draws is `kg.viz_select`; what the page holds and how it is
rendered into one offline HTML file is `kg.viz_page`.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import vocab as V
from .errors import InputError
from .files import write_atomic
from .viz_page import page_data, render_page, script_json
from .viz_select import (
    DEFAULT_DEPTH,
    DEFAULT_MAX_NODES,
    Selection,
    View,
    neighbourhood,
    resolve_focus,
    select,
)

if TYPE_CHECKING:  # annotations only: `kg --help` must not import NetworkX
    import networkx as nx

__all__ = ["DEFAULT_DEPTH", "DEFAULT_MAX_NODES", "Selection", "View", "check_date", "check_label",
           "make_view", "neighbourhood", "page_data", "render_page", "resolve_focus",
           "script_json", "select", "write_page"]


def write_page(graph: nx.MultiDiGraph, path: Path, **view) -> Path:
    """Write the interactive page for `graph` (or the part `view` selects) to `path`.

    `view` takes the fields of `View`: focus, depth, labels, since, max_nodes, title,
    as_of (the date item colours are for; default today).
    """
    path = Path(path)
    v = make_view(**view)
    page = render_page(graph, select(graph, v), v.title)
    write_atomic(path, page, prefix=".graph-", suffix=".html.tmp")
    return path


def make_view(**view) -> View:
    """A checked View; bad options are input errors, not tracebacks."""
    unknown = set(view) - set(View.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown view options: {', '.join(sorted(unknown))}")
    v = View(**{k: val for k, val in view.items() if val is not None})
    if v.depth < 0:
        raise InputError(f"--depth must be 0 or more, not {v.depth}")
    if v.max_nodes < 0:
        raise InputError(f"--max-nodes must be 0 (no limit) or more, not {v.max_nodes}")
    if v.labels is not None:
        v.labels = tuple(check_label(lab) for lab in v.labels)
    if v.since is not None:
        v.since = check_date(v.since)
    v.as_of = check_date(v.as_of, "--as-of") if v.as_of is not None else date.today().isoformat()
    return v


def check_label(text: str) -> str:
    """Match a label case-insensitively; suggest the closest one when it is unknown."""
    by_fold = {lab.casefold(): lab for lab in V.LABELS}
    hit = by_fold.get(text.strip().casefold())
    if hit:
        return hit
    close = difflib.get_close_matches(text, V.LABELS, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise InputError(f"unknown label {text!r}.{hint} Labels: {', '.join(V.LABELS)}")


def check_date(text: str, option: str = "--since") -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise InputError(f"{option} wants a date like 2024-10-01, not {text!r}") from exc
