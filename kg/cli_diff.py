"""`kg diff OLD.json NEW.json`: what changed between two builds, like `diff` for graphs."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .cli_output import printable, to_json
from .errors import GraphFileError

if TYPE_CHECKING:
    from .graph_diff import GraphDiff

#: Longest value shown in the text output; --format json has them whole.
_SHOWN = 100


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Grouped readable text, or JSON with every value whole.")
def diff_cmd(old, new, fmt) -> None:
    """Show nodes, relationships and evidence added, removed or changed from OLD to NEW.

    Nodes are matched by id, relationships by (source, type, target) and
    evidence statements by file and line; "changed" lists the attributes
    that differ. Exit code 0 when the graphs are equal, 1 when they
    differ, 2 when a file cannot be read (like `diff`).

    \b
    Example:
      cp kg-out/graph.json last-week.json && kg build notes/
      kg diff last-week.json kg-out/graph.json
      kg diff last-week.json kg-out/graph.json --format json | jq .summary
    """
    from .graph_diff import diff_graphs  # NetworkX: only when a diff is asked for

    result = diff_graphs(_read(old), _read(new))
    click.echo(to_json(result.to_dict()) if fmt == "json" else "\n".join(diff_lines(result)))
    sys.exit(0 if result.equal else 1)


def _read(path: str):
    from .graph import read_graph

    try:
        return read_graph(path)
    except GraphFileError as exc:
        exc.hint = "Give two graph.json files written by `kg build`."
        raise


def diff_lines(d: GraphDiff) -> list[str]:
    """The diff as text: counts first, then each group sorted; note text made printable."""
    if d.equal:
        return ["no differences"]
    data = d.to_dict()
    lines = [f"{what.capitalize() + ':':<14} " + ", ".join(f"{n} {k}" for k, n in counts.items())
             for what, counts in data["summary"].items() if any(counts.values())]
    lines += [f"Graph:         {name}: {_shown(v['old'])} -> {_shown(v['new'])}"
              for name, v in d.graph.items()]
    for what, sign in (("added", "+"), ("removed", "-")):
        lines += _group(f"Notes {what}", [f"  {sign} {printable(s)}" for s in d.notes[what]])
    for what, sign in (("added", "+"), ("removed", "-"), ("changed", "~")):
        lines += _group(f"Nodes {what}", [line for n in d.nodes[what]
                                          for line in _node(n, sign)])
    for what, sign in (("added", "+"), ("removed", "-"), ("changed", "~")):
        lines += _group(f"Relationships {what}", [line for e in d.edges[what]
                                                  for line in _edge(e, sign)])
    return lines


def _group(title: str, lines: list[str]) -> list[str]:
    return ["", f"{title}:", *lines] if lines else []


def _node(n: dict, sign: str) -> list[str]:
    name = f"  {_shown(n['name'])}" if n.get("name") is not None else ""
    return [f"  {sign} {printable(str(n['label']))} {printable(n['id'])}{name}",
            *_attributes(n.get("attributes", {}))]


def _edge(e: dict, sign: str) -> list[str]:
    head = f"  {sign} {printable(e['source'])} -{printable(e['type'])}-> {printable(e['target'])}"
    if sign != "~":
        count = e["evidence"]
        return [f"{head}  ({count} statement{'s' if count != 1 else ''})"]
    ev = e["evidence"]
    return [head, *_attributes(e["attributes"]),
            *(f"      + {_statement(s)}" for s in ev["added"]),
            *(f"      - {_statement(s)}" for s in ev["removed"]),
            *(line for c in ev["changed"]
              for line in [f"      ~ {printable(str(c['source']))}:{c['line']}",
                           *_attributes(c["attributes"], indent=10)])]


def _statement(s: dict) -> str:
    return f"{printable(str(s.get('source')))}:{s.get('line')}  {_shown(s.get('text'))}"


def _attributes(attrs: dict, indent: int = 6) -> list[str]:
    return [f"{' ' * indent}{printable(k)}: {_shown(v['old'])} -> {_shown(v['new'])}"
            for k, v in attrs.items()]


def _shown(value) -> str:
    """A value as JSON on one line, cut to _SHOWN characters, control characters escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > _SHOWN:
        text = text[:_SHOWN - 1] + "…"
    return printable(text)
