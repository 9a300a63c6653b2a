"""Write a kg graph into Neo4j (or any Bolt server) and run Cypher there.

Safety rules this module keeps:
- Labels and relationship types in Cypher text come only from kg.vocab, checked
  against its closed lists; every value travels as a query parameter.
- Every node kg writes also gets the `KgNode` label, so `--reset` removes only
  what kg wrote. A kg relationship is one whose type is in kg.vocab joining two
  `KgNode` nodes: a load makes those equal to the graph (adding, rewriting and
  deleting) and leaves every other node and relationship alone.
- Each kg node and relationship carries `kg_hash`, a hash of the row kg wrote, so a
  load reads the (id, hash) pairs back in pages and writes only the difference.
- Batches are bounded by row count *and* serialized size, because some Bolt
  servers (FalkorDB) crash on large messages; for FalkorDB, detected on
  connect, the budget is kept under its limit whatever was asked for.
- The password is held by the driver only; it is never part of a message,
  and one written inside the URI is taken out of it before anything can print it.
- NUL characters are dropped from values: FalkorDB cuts a string at the first one.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from .. import vocab as V
from ..errors import BackendError, QueryError

MARKER = "KgNode"
#: The property holding a hash of the row kg wrote; equal hashes mean nothing to write.
HASH = "kg_hash"
#: Nodes read back per page when comparing the database with the graph.
READ_PAGE = 500
DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
#: Bytes of Cypher and parameters besides the rows: keeps the estimate conservative.
_MESSAGE_OVERHEAD = 256
_SHRINK_FLOOR = 16
#: Default batch budget in bytes for a Neo4j server.
DEFAULT_BATCH_BYTES = 1_000_000
#: FalkorDB crashes (SIGSEGV) on a Bolt message over about 4,000 bytes: batches stay
#: under this, and no statement larger than FALKOR_MAX_MESSAGE is sent to it at all.
FALKOR_BATCH_BYTES = 2500
FALKOR_MAX_MESSAGE = 3500


@dataclass
class Settings:
    """How to reach the server and how big a write may be."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str | None = None
    batch_size: int = 500
    max_batch_bytes: int | None = None  # None: what the server takes (see Neo4jStore)
    max_retry_time: float = 15.0
    connection_timeout: float = 10.0

    def __post_init__(self) -> None:
        # The driver refuses `bolt://user:pw@host` and would print it back in its error.
        parts = urllib.parse.urlsplit(self.uri) if "@" in self.uri else None
        if parts and "@" in parts.netloc:
            userinfo, _, host = parts.netloc.rpartition("@")
            user, has_password, password = userinfo.partition(":")
            self.uri = urllib.parse.urlunsplit(parts._replace(netloc=host))
            self.user = urllib.parse.unquote(user) or self.user
            if has_password:
                self.password = urllib.parse.unquote(password)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Settings from NEO4J_* variables; explicit (non-None) overrides win."""
        env = {"uri": os.environ.get("NEO4J_URI"), "user": os.environ.get("NEO4J_USERNAME"),
               "password": os.environ.get("NEO4J_PASSWORD"),
               "database": os.environ.get("NEO4J_DATABASE")}
        merged = {k: v for k, v in env.items() if v is not None}
        if os.environ.get("NEO4J_CONNECTION_TIMEOUT"):
            merged["connection_timeout"] = float(os.environ["NEO4J_CONNECTION_TIMEOUT"])
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**merged)


# --- turning the graph into rows -----------------------------------------------------------


def _value(v):
    """A property value Bolt accepts: nested maps become JSON text; no NUL characters."""
    if v is None or isinstance(v, (int, float, bool)):
        return v
    if isinstance(v, str):
        return _no_nul(v)
    if isinstance(v, (list, tuple)) and all(isinstance(x, (str, int, float, bool)) for x in v):
        return [_no_nul(x) if isinstance(x, str) else x for x in v]
    return _no_nul(json.dumps(v, ensure_ascii=False, sort_keys=True))


def _no_nul(text: str) -> str:
    return text.replace("\0", "") if "\0" in text else text


def node_rows(g: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Node rows grouped by label: {id, props}; unknown labels are refused."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for nid, attrs in g.nodes(data=True):
        label = attrs.get("label")
        if label not in V.LABELS:
            raise BackendError(f"node {nid!r} has label {label!r}, which is not in the vocabulary")
        props = {k: _value(v) for k, v in attrs.items() if v is not None}
        props["id"] = _no_nul(nid)
        rows[label].append({"id": props["id"], "props": _hashed(props)})
    return rows


def _hashed(props: dict) -> dict:
    """`props` plus HASH, a digest of exactly what kg writes (so any change shows)."""
    props = {k: v for k, v in props.items() if k != HASH}
    text = json.dumps(props, ensure_ascii=False, sort_keys=True)
    return {**props, HASH: hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()}


def edge_properties(evidence: list[dict]) -> dict:
    """Flat edge properties: the evidence as parallel lists Cypher can index into.

    `source`/`date` are the earliest statement; `sources` (file:line),
    `dates` ('' for an undated note, as Neo4j lists cannot hold null),
    `lines` and `texts` hold one entry per statement, in graph.json's order.
    """
    ev = list(evidence or [])
    props = {"sources": [_no_nul(f"{e.get('source')}:{e.get('line')}") for e in ev],
             "dates": [_no_nul(e.get("date") or "") for e in ev],
             "lines": [int(e.get("line") or 0) for e in ev],
             "texts": [_no_nul(str(e.get("text") or "")) for e in ev]}
    if ev:
        props["source"] = props["sources"][0]
        if ev[0].get("date"):
            props["date"] = ev[0]["date"]
    return props


def edge_rows(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict]]:
    """Edge rows grouped by (type, source label, target label), checked against the vocab."""
    rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for u, v, key, attrs in g.edges(keys=True, data=True):
        rel = attrs.get("type", key)
        sl, tl = g.nodes[u].get("label"), g.nodes[v].get("label")
        if not V.allowed(rel, sl, tl):
            raise BackendError(f"edge {u} -{rel}-> {v} is not allowed by the vocabulary")
        props = _hashed(edge_properties(attrs.get("evidence")))
        rows[(rel, sl, tl)].append({"s": _no_nul(u), "t": _no_nul(v), "props": props})
    return rows


def node_cypher(label: str) -> str:
    """Write nodes: their properties become exactly the row's (a dropped attribute goes)."""
    _check_label(label)
    return (f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) "
            f"SET n = r.props SET n:{MARKER}")


def edge_cypher(rel: str, source_label: str, target_label: str) -> str:
    """Write relationships: their properties become exactly the row's."""
    _check_rel(rel, source_label, target_label)
    return (f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}}) "
            f"MATCH (b:{target_label} {{id: r.t}}) MERGE (a)-[e:{rel}]->(b) SET e = r.props")


def node_delete_cypher() -> str:
    """Delete kg nodes by id, with whatever relationships they have."""
    return f"UNWIND $rows AS r MATCH (n:{MARKER} {{id: r.id}}) DETACH DELETE n"


def edge_delete_cypher(rel: str) -> str:
    """Delete one type of kg relationship by its ends."""
    if rel not in V.RELATIONS:
        raise BackendError(f"relationship type {rel!r} is not in the vocabulary")
    return (f"UNWIND $rows AS r MATCH (a:{MARKER} {{id: r.s}})-[e:{rel}]->"
            f"(b:{MARKER} {{id: r.t}}) DELETE e")


def existing_cypher() -> str:
    """One page of kg nodes by id, each with its hash, label and outgoing kg relationships."""
    return (f"MATCH (a:{MARKER}) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page "
            f"OPTIONAL MATCH (a)-[e]->(b:{MARKER}) WHERE type(e) IN $types "
            f"RETURN a.id AS id, a.label AS label, a.{HASH} AS hash, type(e) AS rel, "
            f"b.id AS target, e.{HASH} AS rel_hash ORDER BY id")


def _check_rel(rel: str, source_label: str, target_label: str) -> None:
    if not V.allowed(rel, source_label, target_label):
        raise BackendError(f"{rel} from {source_label} to {target_label} is not in the vocabulary")


_EVIDENCE_LISTS = ("sources", "dates", "lines", "texts")


def edge_append_cypher(rel: str, source_label: str, target_label: str) -> str:
    """Append more evidence to an edge that `edge_cypher` has just (re)written."""
    _check_rel(rel, source_label, target_label)
    # The hash arrives with the last part only: an edge cut short by a failed load
    # has none, so the next load writes it again.
    sets = ", ".join([f"e.{k} = e.{k} + r.props.{k}" for k in _EVIDENCE_LISTS]
                     + [f"e.{HASH} = r.props.{HASH}"])
    return (f"UNWIND $rows AS r MATCH (a:{source_label} {{id: r.s}})-[e:{rel}]->"
            f"(b:{target_label} {{id: r.t}}) SET {sets}")


def split_evidence(row: dict, budget: int) -> list[dict]:
    """Split an edge row whose evidence list is too big for one message.

    The first part carries every property and the first statements; the
    rest are append rows ({s, t, props: {sources, dates, lines, texts}}) for
    `edge_append_cypher`. Loading twice still gives the same edge: the
    first part overwrites the lists, the appends follow in order.
    """
    props = row["props"]
    n = len(props.get("sources", []))
    parts, start = [], 0
    while start < n:
        end = start + 1
        while end < n and _size(_evidence_part(row, start, end + 1, first=not parts)) <= budget:
            end += 1
        parts.append(_evidence_part(row, start, end, first=not parts))
        start = end
    if parts:
        parts[-1]["props"][HASH] = props.get(HASH)
    return parts or [row]


def _evidence_part(row: dict, start: int, end: int, first: bool) -> dict:
    lists = {k: row["props"][k][start:end] for k in _EVIDENCE_LISTS}
    if first:
        head = {k: v for k, v in row["props"].items() if k != HASH}
        return {**row, "props": {**head, **lists}}
    return {"s": row["s"], "t": row["t"], "props": lists}


def _check_label(label: str) -> None:
    if label not in V.LABELS and label != MARKER:
        raise BackendError(f"label {label!r} is not in the vocabulary")


# --- what a load must change ----------------------------------------------------------------


@dataclass
class SyncPlan:
    """The difference between the graph's rows and what the database holds.

    `nodes`/`edges` are the rows to write (new or changed), grouped as node_rows
    and edge_rows group them; `stale_nodes` ({id}) and `stale_edges` ({s, t} by
    type) are the kg nodes and relationships to delete. A stale node takes its
    relationships with it, so those are counted but not deleted one by one.
    """

    nodes: dict[str, list[dict]]
    edges: dict[tuple[str, str, str], list[dict]]
    stale_nodes: list[dict]
    stale_edges: dict[str, list[dict]]
    removed_edges: int
    unchanged_nodes: int
    unchanged_edges: int

    @classmethod
    def of(cls, nodes: dict[str, list[dict]], edges: dict[tuple[str, str, str], list[dict]],
           have_nodes: dict[str, tuple[str, str]],
           have_edges: dict[tuple[str, str, str], str]) -> SyncPlan:
        want = {row["id"]: label for label, rows in nodes.items() for row in rows}
        # A node whose label changed is another node to MERGE: delete it and write it anew.
        gone = {nid for nid, (label, _) in have_nodes.items()
                if nid not in want or want[nid] != label}
        node_hashes = {nid: h for nid, (_, h) in have_nodes.items() if nid not in gone}
        write_nodes = _changed(nodes, lambda _, r: r["id"], node_hashes)
        edge_hashes = {k: h for k, h in have_edges.items()
                       if k[0] not in gone and k[2] not in gone}
        write_edges = _changed(edges, lambda key, r: (r["s"], key[0], r["t"]), edge_hashes)
        wanted = {(r["s"], rel, r["t"]) for (rel, _, _), rows in edges.items() for r in rows}
        stale: dict[str, list[dict]] = defaultdict(list)
        for s, rel, t in sorted(set(edge_hashes) - wanted):
            stale[rel].append({"s": s, "t": t})
        return cls(nodes=write_nodes, edges=write_edges,
                   stale_nodes=[{"id": nid} for nid in sorted(gone)], stale_edges=dict(stale),
                   removed_edges=len(set(have_edges) - wanted),
                   unchanged_nodes=len(want) - _total(write_nodes),
                   unchanged_edges=len(wanted) - _total(write_edges))

    def counts(self) -> dict:
        """Rows written, removed and left as they were, for the load summary."""
        return {"written": {"nodes": _total(self.nodes), "relationships": _total(self.edges)},
                "removed": {"nodes": len(self.stale_nodes),
                            "relationships": self.removed_edges},
                "unchanged": {"nodes": self.unchanged_nodes,
                              "relationships": self.unchanged_edges}}


def _changed(groups: dict, key: Callable[[object, dict], object], hashes: dict) -> dict:
    """The rows of each group whose hash the database does not already hold."""
    out = {g: [r for r in rows if hashes.get(key(g, r)) != r["props"][HASH]]
           for g, rows in groups.items()}
    return {g: rows for g, rows in out.items() if rows}


def _total(groups: dict) -> int:
    return sum(len(rows) for rows in groups.values())


# --- batching by size ----------------------------------------------------------------------


def _size(obj) -> int:
    """Bytes `obj` takes in a message, erring high: a server that inlines parameters
    (FalkorDB) gets each quote escaped, which JSON leaves as one byte."""
    text = json.dumps(obj, ensure_ascii=False)
    return len(text.encode("utf-8")) + text.count("'")


def shrink_row(row: dict, budget: int) -> dict | None:
    """A copy of `row` with long evidence text cut until it fits `budget` bytes, or None."""
    limit = max(len(t) for t in row["props"].get("texts", [""]) or [""])
    limit = max(limit, len(str(row["props"].get("text", ""))), len(str(row["props"].get("name",
                                                                                      ""))))
    while limit > _SHRINK_FLOOR:
        limit //= 2
        cut = _truncated(row, limit)
        if _size(cut) <= budget:
            return cut
    return None


def _truncated(row: dict, limit: int) -> dict:
    props = dict(row["props"])

    def cut(s: str) -> str:
        return s if len(s) <= limit else s[:limit] + "…"

    if "texts" in props:
        props["texts"] = [cut(t) for t in props["texts"]]
    for k in ("text", "name", "title"):
        if isinstance(props.get(k), str):
            props[k] = cut(props[k])
    return {**row, "props": props}


def batches(rows: list[dict], cypher: str, max_rows: int, max_bytes: int,
            on_truncate: Callable[[dict], None] | None = None) -> Iterator[list[dict]]:
    """Split rows into batches under `max_rows` rows and `max_bytes` serialized bytes."""
    budget = max_bytes - len(cypher.encode("utf-8")) - _MESSAGE_OVERHEAD
    batch: list[dict] = []
    used = 0
    for row in rows:
        size = _size(row)
        if size > budget:
            row = shrink_row(row, budget)
            if row is None:
                raise BackendError(f"a row is larger than the {max_bytes}-byte message budget "
                                   "even with its text truncated; raise --max-batch-bytes")
            size = _size(row)
            if on_truncate:
                on_truncate(row)
        if batch and (len(batch) >= max_rows or used + size > budget):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += size
    if batch:
        yield batch


# --- the store ---------------------------------------------------------------------------


class Neo4jStore:
    """A connection to one database on a Bolt server."""

    def __init__(self, settings: Settings) -> None:
        from neo4j import GraphDatabase

        self.settings = settings
        self.inlines_params = False
        try:
            self.driver = GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password),
                max_transaction_retry_time=settings.max_retry_time,
                connection_timeout=settings.connection_timeout,
                connection_acquisition_timeout=max(settings.connection_timeout, 1.0))
        except (ValueError, Exception) as exc:  # bad URI schemes raise ConfigurationError
            raise BackendError(f"cannot use Neo4j URI {settings.uri}: "
                               f"{self._scrub(_one_line(exc))}") from exc

    @property
    def max_batch_bytes(self) -> int:
        """The batch budget: what was asked for, but never more than FalkorDB survives."""
        asked = self.settings.max_batch_bytes
        if self.inlines_params:
            return min(asked or FALKOR_BATCH_BYTES, FALKOR_BATCH_BYTES)
        return asked or DEFAULT_BATCH_BYTES

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        return text.replace(password, "***") if len(password) >= 3 else text

    def __enter__(self) -> Neo4jStore:
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def connect(self) -> None:
        """Check the server answers; some Bolt servers drop a driver's very first handshake."""
        from neo4j.exceptions import ServiceUnavailable

        for attempt in range(2):
            try:
                self.driver.verify_connectivity()
                self.inlines_params = self._detect_inlining()
                return
            except ServiceUnavailable as exc:
                if attempt:
                    raise self._backend_error(exc) from exc
            except Exception as exc:
                raise self._backend_error(exc) from exc

    def _detect_inlining(self) -> bool:
        """True for servers (FalkorDB) that paste string parameters into the query text.

        Such a server reads backslash escapes and stops a string at a quote, so
        values must be escaped for it or a quote in a note breaks the write.
        """
        probe = "kg\\tprobe"
        with self._session() as s:
            got = s.execute_read(lambda tx: tx.run("RETURN $probe AS v", probe=probe).single())
        return got is None or got["v"] != probe

    def _backend_error(self, exc: Exception) -> BackendError:
        from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

        uri = self.settings.uri
        if isinstance(exc, AuthError):
            err = BackendError(f"Neo4j at {uri} refused the credentials for user "
                               f"{self.settings.user!r}")
            err.hint = "Set NEO4J_USERNAME/NEO4J_PASSWORD or pass --user/--password."
        elif isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
            err = BackendError(f"cannot reach Neo4j at {uri}")
            err.hint = "Start it (docker compose up -d) or set NEO4J_URI / --uri."
        else:
            err = BackendError(f"Neo4j at {uri} failed: {self._scrub(_one_line(exc))}")
        return err

    def _session(self):
        return self.driver.session(database=self.settings.database)

    def run(self, cypher: str, params: dict | None = None, write: bool = False) -> list[dict]:
        """Run one Cypher statement in a managed transaction and return its rows as dicts."""
        from neo4j.exceptions import ClientError, Neo4jError

        sent = _escaped(params or {}) if self.inlines_params else (params or {})
        if self.inlines_params:
            size = len(cypher.encode("utf-8")) + _size(sent)
            if size > FALKOR_MAX_MESSAGE:
                err = QueryError(f"the statement and its parameters take {size:,} bytes; this "
                                 f"server (FalkorDB) crashes on messages over ~4 KB")
                err.hint = "Send less at once: smaller parameters, or several statements."
                raise err

        def work(tx):
            return [dict(r) for r in tx.run(cypher, sent)]

        try:
            with self._session() as s:
                return s.execute_write(work) if write else s.execute_read(work)
        except ClientError as exc:
            if "Security" in (exc.code or "") or "Auth" in (exc.code or ""):
                raise self._backend_error(exc) from exc
            err = QueryError(f"Cypher was refused: {self._scrub(_one_line(exc))}")
            err.hint = "Check the query syntax and parameter names."
            raise err from exc
        except Neo4jError as exc:
            raise self._backend_error(exc) from exc
        except Exception as exc:
            if isinstance(exc, (QueryError, BackendError)):
                raise
            raise self._backend_error(exc) from exc

    def _try(self, cypher: str) -> bool:
        # A managed transaction, like every other statement: FalkorDB sends
        # auto-commit statements and transactions to different graphs.
        try:
            with self._session() as s:
                s.execute_write(lambda tx: tx.run(cypher).consume())
            return True
        except Exception:
            return False

    def ensure_schema(self) -> list[str]:
        """Uniqueness constraints on `id`, or plain indexes where the server refuses them."""
        warnings, fallback = [], []
        for label in (*V.LABELS, MARKER):
            _check_label(label)
            name = f"kg_{label.lower()}_id"
            if not self._try(f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                             f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"):
                fallback.append(label)
                # An index that already exists is refused too; either way one is there.
                self._try(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
        if fallback:
            warnings.append("the server refused uniqueness constraints; using plain indexes "
                            f"on id for {', '.join(fallback)}")
        return warnings

    def reset(self) -> int:
        """Delete every node kg wrote (label KgNode) and its relationships, in chunks."""
        before = left = self._count_marked()
        while left:
            self.run(f"MATCH (n:{MARKER}) WITH n LIMIT 1000 DETACH DELETE n", write=True)
            now = self._count_marked()
            if now >= left:
                raise BackendError(f"could not delete kg nodes at {self.settings.uri}")
            left = now
        return before

    def _count_marked(self) -> int:
        rows = self.run(f"MATCH (n:{MARKER}) RETURN count(n) AS c")
        return rows[0]["c"] if rows else 0

    def load(self, g: nx.MultiDiGraph, reset: bool = False,
             progress: Callable[[int], None] | None = None) -> dict:
        """Make the database's kg nodes and relationships equal to `g`; returns a summary.

        Only what differs is written: rows whose hash the database already holds are
        skipped, and kg nodes and relationships `g` no longer has are deleted.
        """
        summary = {"uri": self.settings.uri, "database": self.settings.database,
                   "deleted": self.reset() if reset else 0,
                   "warnings": self.ensure_schema(), "nodes": g.number_of_nodes(),
                   "relationships": g.number_of_edges(), "batches": 0, "truncated": 0}
        asked = self.settings.max_batch_bytes
        if asked and asked > self.max_batch_bytes:
            summary["warnings"].append(
                f"this server (FalkorDB) crashes on messages over ~4 KB; batches were kept "
                f"under {self.max_batch_bytes:,} bytes instead of --max-batch-bytes {asked:,}")
        plan = SyncPlan.of(node_rows(g), edge_rows(g), *self.existing())
        summary.update(plan.counts())
        if progress:
            progress(plan.unchanged_nodes + plan.unchanged_edges)
        self._apply(plan, summary, progress)
        if summary["truncated"]:
            summary["warnings"].append(
                f"{summary['truncated']} rows were too large for one message; their long "
                "text was truncated in Neo4j (graph.json keeps the full text)")
        return summary

    def existing(self) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str, str], str]]:
        """What kg wrote before: {id: (label, hash)} and {(source, type, target): hash}.

        Read in pages of READ_PAGE nodes, ordered by id, so no answer grows with the graph.
        """
        nodes: dict[str, tuple[str, str]] = {}
        edges: dict[tuple[str, str, str], str] = {}
        after, cypher = "", existing_cypher()
        while True:
            rows = self.run(cypher, {"after": after, "page": READ_PAGE,
                                     "types": list(V.REL_TYPES)})
            for r in rows:
                nodes[r["id"]] = (r["label"], r["hash"])
                if r["rel"] is not None:
                    edges[(r["id"], r["rel"], r["target"])] = r["rel_hash"]
            if len({r["id"] for r in rows}) < READ_PAGE:
                return nodes, edges
            after = rows[-1]["id"]  # the server's order, which may not be Python's

    def _apply(self, plan: SyncPlan, summary: dict, progress) -> None:
        """Delete what went, then write what is new or changed, all in bounded batches."""

        def truncated(_row):
            summary["truncated"] += 1

        for rel, rows in sorted(plan.stale_edges.items()):
            self._write(edge_delete_cypher(rel), rows, summary, None, None)
        self._write(node_delete_cypher(), plan.stale_nodes, summary, None, None)
        for label, rows in sorted(plan.nodes.items()):
            self._write(node_cypher(label), rows, summary, truncated, progress)
        for (rel, sl, tl), rows in sorted(plan.edges.items()):
            cypher = edge_cypher(rel, sl, tl)
            heads, tails = self._split_long_evidence(rows, cypher)
            self._write(cypher, heads, summary, truncated, progress)
            if tails:
                self._write(edge_append_cypher(rel, sl, tl), tails, summary, truncated, None)

    def _split_long_evidence(self, rows: list[dict], cypher: str) -> tuple[list, list]:
        """Rows that fit a message as they are, and append rows for the evidence that doesn't."""
        budget = self.max_batch_bytes - len(cypher.encode("utf-8")) - _MESSAGE_OVERHEAD
        heads, tails = [], []
        for row in rows:
            if _size(row) <= budget:
                heads.append(row)
                continue
            first, *rest = split_evidence(row, budget // 2)
            heads.append(first)
            tails.extend(rest)
        return heads, tails

    def _write(self, cypher, rows, summary, on_truncate, progress) -> int:
        s = self.settings
        for batch in batches(rows, cypher, s.batch_size, self.max_batch_bytes, on_truncate):
            self.run(cypher, {"rows": batch}, write=True)
            summary["batches"] += 1
            if progress:
                progress(len(batch))
        return len(rows)

    def entities(self, labels) -> list[dict]:
        """id, label, name and aliases of the kg nodes with the given labels."""
        return self.run(f"MATCH (n:{MARKER}) WHERE n.label IN $labels "
                        "RETURN n.id AS id, n.label AS label, n.name AS name, "
                        "n.aliases AS aliases", {"labels": list(labels)})

    def counts(self) -> dict:
        """Node and relationship counts of what kg wrote."""
        n = self.run(f"MATCH (n:{MARKER}) RETURN count(n) AS c")[0]["c"]
        r = self.run(f"MATCH (:{MARKER})-[r]->(:{MARKER}) RETURN count(r) AS c")[0]["c"]
        return {"nodes": n, "relationships": r}


def _escaped(value):
    """Parameters escaped for a server that inlines them between single quotes."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def _one_line(exc: Exception) -> str:
    msg = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(msg).split())[:300]
