"""graph.index.sqlite: graph.json's nodes and edges by id, label and endpoint, for queries.

A query on a 10,000-note graph needs a few hundred of its 250,000 nodes and
edges, but reading graph.json means parsing all of it (90 MB, 8-13 s). `kg build`
also writes this SQLite file beside graph.json: one row per node and per edge,
each holding exactly the JSON graph.json holds for it, indexed by node label and
by (endpoint, type). A query reads the subgraph it needs (kg/subgraphs.py) and
runs the same NetworkX code on it as on the whole graph.

graph.json stays the contract; the index is a cache of it, and must never answer
for another graph.json. It records graph.json's identity (device, inode, size,
mtime and ctime; the kernel sets ctime on every write or rename, and nobody can set
it back) and the SHA-256 of its bytes. `open_index` uses the index only when the
file's identity matches, or else its bytes hash the same (a copied folder); any
other graph.json, or an index from another kg, is reported as stale and the
caller reads graph.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import vocab as V
from .errors import OutputError
from .files import create_temp

#: Changes whenever the tables change: an index of another format is stale.
FORMAT = "kg-index-2"
SUFFIX = ".index.sqlite"
#: SQLite's limit on parameters per statement is 32766 since 3.32; stay well below it.
_CHUNK = 500

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT,
                    name TEXT, aliases TEXT, data TEXT NOT NULL);
CREATE TABLE edges (seq INTEGER PRIMARY KEY, src TEXT NOT NULL, dst TEXT NOT NULL,
                    key TEXT, data TEXT NOT NULL);
CREATE TABLE names (form TEXT NOT NULL, id TEXT NOT NULL);
"""
# Built after the rows are in: one sort per index instead of a B-tree insert per row.
_INDEXES = """
CREATE INDEX nodes_label ON nodes (label);
CREATE INDEX edges_src ON edges (src, key);
CREATE INDEX edges_dst ON edges (dst, key);
CREATE INDEX edges_key ON edges (key);
CREATE INDEX names_form ON names (form);
"""


def index_path(graph_path: str | os.PathLike) -> Path:
    """Where the index of `graph_path` lives: graph.json -> graph.index.sqlite."""
    p = Path(graph_path)
    return p.with_name(p.stem + SUFFIX)


def _dump(value) -> str:
    # As graph.json writes it (kg.graph.to_json): the same text parses to the same values.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def identity(graph_path: Path) -> str:
    st = graph_path.stat()
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_index(g, graph_path: Path) -> Path:
    """Write the index of `g`, which was just written to `graph_path`, atomically beside it.

    Rows keep graph.json's order (`seq`), so a subgraph built from them iterates
    its nodes and edges in the order the whole graph does.
    """
    path = index_path(graph_path)
    try:
        tmp, fd = create_temp(path.parent, ".graph-", ".index.tmp")
        os.close(fd)
        try:
            _fill(tmp, g, graph_path)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, sqlite3.Error) as exc:
        raise OutputError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}") \
            from exc
    return path


def _fill(tmp: Path, g, graph_path: Path) -> None:
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        # A scratch file until the rename: no journal, no fsync per statement.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA)
        db.execute("BEGIN")
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)", (
            (seq, n, a.get("label"), a.get("name", n),
             _dump(a["aliases"]) if "aliases" in a else None, _dump(a))
            for seq, (n, a) in enumerate(g.nodes(data=True))))
        db.executemany("INSERT INTO names VALUES (?, ?)", _name_forms(g))
        db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?)", (
            (seq, u, v, k, _dump(d))
            for seq, (u, v, k, d) in enumerate(g.edges(keys=True, data=True))))
        for statement in _INDEXES.split(";"):
            db.execute(statement)  # not executescript: it would commit first
        meta = {"format": FORMAT, "graph": _dump(g.graph), "identity": identity(graph_path),
                "sha256": file_hash(graph_path)}
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.execute("COMMIT")
    finally:
        db.close()


def _name_forms(g) -> Iterator[tuple[str, str]]:
    """(folded text, entity id) for every text that names an entity exactly: its name, id
    and aliases, and a team's name without " team" (kg.queries' exact, alias and team
    rules). A query asks resolution about these few candidates first."""
    for n, a in g.nodes(data=True):
        if a.get("label") not in V.ENTITY_LABELS:
            continue
        name = V.fold(str(a.get("name", n)))
        forms = {name, V.fold(n)} | {V.fold(str(x)) for x in a.get("aliases") or ()}
        if a["label"] == V.TEAM and name.endswith(" team"):
            forms.add(name[:-len(" team")])
        yield from ((form, n) for form in sorted(forms))


class GraphIndex:
    """An open, current index: nodes and edges by id, label, type and endpoint."""

    def __init__(self, db: sqlite3.Connection, graph_attrs: dict) -> None:
        self.db = db
        self.graph_attrs = graph_attrs

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> GraphIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Rows are (seq, ...): callers sort by seq to keep graph.json's order.

    def nodes(self, ids: Iterable[str]) -> Iterator[tuple[int, str, dict]]:
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            for seq, n, data in self.db.execute(
                    f"SELECT seq, id, data FROM nodes WHERE id IN ({marks})", chunk):
                yield seq, n, json.loads(data)

    def nodes_of_label(self, label: str) -> Iterator[tuple[int, str, dict]]:
        for seq, n, data in self.db.execute("SELECT seq, id, data FROM nodes WHERE label = ?",
                                            (label,)):
            yield seq, n, json.loads(data)

    def entities(self, labels: Iterable[str]) -> Iterator[tuple[int, str, dict]]:
        """(seq, id, {label, name, aliases}) of the nodes with these labels, without the rest."""
        for label in sorted(set(labels)):
            for seq, n, name, aliases in self.db.execute(
                    "SELECT seq, id, name, aliases FROM nodes WHERE label = ?", (label,)):
                yield seq, n, _entity_attrs(label, name, aliases)

    def named(self, text: str, labels: Iterable[str]) -> Iterator[tuple[int, str, dict]]:
        """Like `entities`, but only those whose name, id or an alias folds to `text`'s."""
        labels = sorted(set(labels))
        marks = ",".join("?" * len(labels))
        for seq, n, label, name, aliases in self.db.execute(
                "SELECT DISTINCT n.seq, n.id, n.label, n.name, n.aliases FROM names f "
                f"JOIN nodes n ON n.id = f.id WHERE f.form = ? AND n.label IN ({marks})",
                [V.fold(text), *labels]):
            yield seq, n, _entity_attrs(label, name, aliases)

    def edges(self, ends: Iterable[str], out: bool, keys: list[str] | None
              ) -> Iterator[tuple[int, str, str, str, dict]]:
        """Edges leaving (`out`) or entering each of `ends`, of the types `keys` (None: any)."""
        column = "src" if out else "dst"
        for chunk in _chunks(sorted(set(ends))):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT seq, src, dst, key, data FROM edges WHERE {column} IN ({marks})"
            params = list(chunk)
            if keys is not None:
                sql += f" AND key IN ({','.join('?' * len(keys))})"
                params += keys
            for seq, u, v, k, data in self.db.execute(sql, params):
                yield seq, u, v, k, json.loads(data)

    def edges_of_type(self, key: str) -> Iterator[tuple[int, str, str, str, dict]]:
        for seq, u, v, k, data in self.db.execute(
                "SELECT seq, src, dst, key, data FROM edges WHERE key = ?", (key,)):
            yield seq, u, v, k, json.loads(data)


def _entity_attrs(label: str, name: str, aliases: str | None) -> dict:
    attrs = {"label": label, "name": name}
    if aliases is not None:
        attrs["aliases"] = json.loads(aliases)
    return attrs


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def open_index(graph_path: str | os.PathLike) -> GraphIndex | None:
    """The index of `graph_path` if it describes exactly that file, else None."""
    graph_path = Path(graph_path)
    path = index_path(graph_path)
    if not path.is_file() or not graph_path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        current = meta.get("format") == FORMAT and (
            meta.get("identity") == identity(graph_path)
            or meta.get("sha256") == file_hash(graph_path))
        if current:
            return GraphIndex(db, json.loads(meta["graph"]))
    except (sqlite3.Error, OSError, ValueError, KeyError):
        pass
    db.close()
    return None
