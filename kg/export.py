"""Export a kg graph for the tools graph people already use.

- GraphML and GEXF (Gephi, yEd, Cytoscape) through NetworkX. Those formats hold
  only flat scalar attributes, so every list or dict attribute (evidence,
  aliases, an item's history) is written as JSON text, and each edge also gets
  `source`, `date` and `text` of its first statement. A node's `label` there is
  its name (what viewers draw) and kg's label is `kg_label`; an edge's `label`
  is its relationship type.
- CSV node and relationship files in the header format `neo4j-admin database
  import` reads (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed
  columns), with the same properties `kg load` writes, so the canned Cypher
  queries run on an imported database too.
- A Cypher script of MERGE statements, one per line, every value a literal
  escaped by `cypher_literal` (labels and types only from kg.vocab).

Every export is deterministic: the same graph.json gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from . import vocab as V
from .backends.neo4j_store import MARKER, edge_rows, node_rows
from .errors import InputError
from .files import write_atomic

FORMATS = ("graphml", "gexf", "csv", "cypher")
#: Between the items of a CSV array cell. Note text can hold `;` (neo4j-admin's
#: default), but not this control character: it is replaced by a space in arrays.
ARRAY_DELIMITER = "\x1f"
NODES_CSV = "nodes.csv"
RELATIONSHIPS_CSV = "relationships.csv"
#: The command that imports the CSV export into an empty database (README, --help).
IMPORT_COMMAND = ("neo4j-admin database import full --nodes=nodes.csv "
                  "--relationships=relationships.csv --array-delimiter=U+001F "
                  "--multiline-fields=true neo4j")


def default_path(graph_path: Path, fmt: str) -> Path:
    """Where an export goes unless --out says: beside graph.json (a folder for CSV)."""
    return graph_path.parent / ("csv" if fmt == "csv" else f"{graph_path.stem}.{fmt}")


def export(g: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    """Write `g` in format `fmt` to `out` (a folder for csv); returns the files written."""
    if out.is_dir() and fmt != "csv":
        out = out / f"graph.{fmt}"
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            err = InputError(f"{out} is a file; the CSV export writes a folder")
            err.hint = "Pass a folder with --out, e.g. --out kg-out/csv."
            raise err
        nodes, rels = to_csv(g)
        written = [(out / NODES_CSV, nodes), (out / RELATIONSHIPS_CSV, rels)]
    else:
        written = [(out, render(g, fmt))]
    for path, text in written:
        write_atomic(path, text, prefix=".kg-export-", suffix=".tmp")
    return [p for p, _ in written]


def render(g: nx.MultiDiGraph, fmt: str) -> str:
    """The single-file exports as text: graphml, gexf or cypher."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat_graph(g))) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(flat_graph(g))) + "\n"
    if fmt == "cypher":
        return to_cypher(g)
    raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


# --- GraphML and GEXF ------------------------------------------------------------------


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `g` whose attributes are all scalars, as GraphML and GEXF require."""
    flat = nx.MultiDiGraph()
    for n, a in g.nodes(data=True):
        attrs = {k: _flat(v) for k, v in a.items() if k != "label" and v is not None}
        attrs.update(label=_xml_text(str(a.get("name") or n)),
                     kg_label=_xml_text(str(a.get("label", ""))))
        flat.add_node(_xml_text(n), **attrs)
    for u, v, k, a in g.edges(keys=True, data=True):
        attrs = {key: _flat(val) for key, val in a.items() if key != "type" and val is not None}
        evidence = a.get("evidence") or []
        if evidence:
            first = evidence[0]
            attrs.update(source=_xml_text(f"{first.get('source')}:{first.get('line')}"),
                         text=_xml_text(str(first.get("text") or "")),
                         evidence_count=len(evidence))
            if first.get("date"):
                attrs["date"] = first["date"]
        flat.add_edge(_xml_text(u), _xml_text(v), key=k, label=str(a.get("type", k)), **attrs)
    _one_type_per_attribute(flat.nodes(data=True), flat.edges(data=True))
    return flat


def _flat(value):
    if isinstance(value, (list, tuple, dict)):
        return _xml_text(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return _xml_text(value) if isinstance(value, str) else value


#: What XML 1.0 cannot hold at all, even escaped (a note can: a stray \x1b, \x0c).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    """`text` as an XML reader will give it back: the characters XML cannot carry replaced
    by U+FFFD, and line ends as line feeds (XML parsers turn a CR into one anyway)."""
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _one_type_per_attribute(*views: Iterable) -> None:
    """An attribute written as int on one node and text on another becomes text everywhere:
    GraphML declares one type per attribute."""
    for view in views:
        items = [row[-1] for row in view]
        kinds: dict[str, set[type]] = {}
        for attrs in items:
            for key, value in attrs.items():
                kinds.setdefault(key, set()).add(type(value))
        mixed = {key for key, types in kinds.items() if len(types) > 1}
        for attrs in items:
            for key in mixed & set(attrs):
                attrs[key] = str(attrs[key])


# --- CSV for neo4j-admin ---------------------------------------------------------------


def to_csv(g: nx.MultiDiGraph) -> tuple[str, str]:
    """(nodes.csv, relationships.csv) in neo4j-admin's header format."""
    nodes = [row["props"] for rows in node_rows(g).values() for row in rows]
    nodes.sort(key=lambda p: p["id"])
    node_table = [{"id:ID": p["id"], ":LABEL": f"{p['label']};{MARKER}",
                   **{k: v for k, v in p.items() if k != "id"}} for p in nodes]
    rels = []
    for (rel, _sl, _tl), rows in sorted(edge_rows(g).items()):
        for row in sorted(rows, key=lambda r: (r["s"], r["t"])):
            rels.append({":START_ID": row["s"], ":END_ID": row["t"], ":TYPE": rel,
                         **row["props"]})
    rels.sort(key=lambda r: (r[":START_ID"], r[":TYPE"], r[":END_ID"]))
    return (_typed_csv(node_table, ("id:ID", ":LABEL")),
            _typed_csv(rels, (":START_ID", ":END_ID", ":TYPE")))


def _typed_csv(rows: list[dict], fixed: tuple[str, ...]) -> str:
    """Rows under a header whose property columns say their type (`line:long`)."""
    names = sorted({k for r in rows for k in r} - set(fixed))
    types = {k: _column_type([r.get(k) for r in rows]) for k in names}
    header = [*fixed, *(k if types[k] == "string" else f"{k}:{types[k]}" for k in names)]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r[k] for k in fixed] + [_cell(r.get(k), types[k]) for k in names])
    return buf.getvalue()


def _kind(value) -> str | None:
    """neo4j-admin's name for the type of `value`: long, string[], ...; json when it has none."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        inner = {_kind(x) for x in value}
        if not inner:
            return "[]"
        scalar = len(inner) == 1 and inner <= {"boolean", "long", "double", "string"}
        return f"{inner.pop()}[]" if scalar else "json"
    return "json"


def _column_type(values: list) -> str:
    """The one neo4j-admin type every value of a column has, else string (JSON for lists)."""
    kinds = {_kind(v) for v in values} - {None}
    if kinds and all(k.endswith("[]") for k in kinds):
        typed = kinds - {"[]"}
        return typed.pop() if len(typed) == 1 else "string[]" if not typed else "string"
    return kinds.pop() if len(kinds) == 1 and kinds != {"json"} else "string"


def _cell(value, kind: str) -> str:
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return ""
    if kind.endswith("[]"):
        return ARRAY_DELIMITER.join(_scalar(x).replace(ARRAY_DELIMITER, " ") for x in value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _scalar(value)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- a Cypher script -------------------------------------------------------------------


def to_cypher(g: nx.MultiDiGraph) -> str:
    """MERGE statements, one per line, that rebuild `g` as `kg load` writes it."""
    lines = [f"// kg export: {g.number_of_nodes()} nodes, {g.number_of_edges()} relationships."
             " Run with: cypher-shell -f graph.cypher",
             f"CREATE INDEX kg_node_id IF NOT EXISTS FOR (n:{MARKER}) ON (n.id);"]
    for label, rows in sorted(node_rows(g).items()):
        for row in sorted(rows, key=lambda r: r["id"]):
            lines.append(f"MERGE (n:{MARKER} {{id: {cypher_literal(row['id'])}}}) "
                         f"SET n:{_vocab_label(label)} SET n += {cypher_literal(row['props'])};")
    for (rel, _sl, _tl), rows in sorted(edge_rows(g).items()):
        for row in sorted(rows, key=lambda r: (r["s"], r["t"])):
            lines.append(f"MATCH (a:{MARKER} {{id: {cypher_literal(row['s'])}}}), "
                         f"(b:{MARKER} {{id: {cypher_literal(row['t'])}}}) "
                         f"MERGE (a)-[r:{_vocab_type(rel)}]->(b) "
                         f"SET r += {cypher_literal(row['props'])};")
    return "\n".join(lines) + "\n"


def _vocab_label(label: str) -> str:
    if label not in V.LABELS:
        raise InputError(f"label {label!r} is not in kg's vocabulary")
    return label


def _vocab_type(rel: str) -> str:
    if rel not in V.REL_TYPES:
        raise InputError(f"relationship type {rel!r} is not in kg's vocabulary")
    return rel


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


def cypher_literal(value) -> str:
    """`value` as a Cypher literal: strings single-quoted with every quote, backslash and
    control character escaped, so no note text can end the string or the statement.

    >>> print(cypher_literal({"name": "O'Brien \\\\ }) // x", "odd key": [3]}))
    {name: 'O\\'Brien \\\\ }) // x', `odd key`: [3]}
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return "'" + "".join(_escape_char(c) for c in value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_backticked(str(k))}: {cypher_literal(v)}"
                               for k, v in value.items()) + "}"
    return cypher_literal(str(value))


def _escape_char(c: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    code = ord(c)
    # Other controls (and the line separators some parsers treat as newlines) as \uXXXX.
    if code < 0x20 or 0x7f <= code <= 0x9f or code in (0x2028, 0x2029):
        return "" if code == 0 else f"\\u{code:04x}"
    return c


def _backticked(name: str) -> str:
    """A property name as written, or as a quoted identifier when it is not a plain word,
    so a key can never close the map."""
    if _PLAIN_NAME.fullmatch(name):
        return name
    return "`" + name.replace("`", "``") + "`"


