"""The SQLite store: :class:`SqliteStore`, its connection plumbing, migrations and reads (the
write transaction is in :mod:`.tx`, row translation in :mod:`.rows`, statements in ``sql/``)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final, TypeVar

from asof.graph.adapter_helpers import in_order, search_terms
from asof.graph.clock import Clock
from asof.graph.contract import (
    Capability,
    Embedding,
    LinkRows,
    Quote,
    SearchHit,
    VersionQuery,
    WriteTx,
)
from asof.graph.errors import InvalidInputError, StoreError
from asof.graph.ids import validate_tenant
from asof.graph.instants import MAX_US, MIN_US, to_us
from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion
from asof.graph.predicates import PredicateRegistry
from asof.graph.sqlite import rows, sql, vectors
from asof.graph.sqlite.connect import (
    ReaderPool,
    connect,
    rollback,
    sqlite_errors,
    sqlite_path,
    translate,
)
from asof.graph.sqlite.tx import SqliteTx
from asof.graph.store import GraphStore

__all__ = ["SqliteStore"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_SUPPORTED: Final = frozenset(
    {Capability.FULLTEXT, Capability.CONCURRENT_WRITERS, Capability.EXPLAIN, Capability.VECTOR})


def _search_expression(text: str) -> str | None:
    """A safe FTS5 expression for plain user text: each term quoted, terms ORed (bm25 ranks
    documents matching more of them first). ``None`` when the text has no searchable term."""
    terms = search_terms(text)
    return " OR ".join(f'"{term}"' for term in terms) if terms else None


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction on ``conn``, or the one already open (a write's, or an enclosing
    snapshot's: already one consistent state)."""
    if conn.in_transaction:
        yield
        return
    with sqlite_errors("begin read"):
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


class SqliteStore(GraphStore):
    """A :class:`~graph.store.GraphStore` on one SQLite database.

    Args:
        conn: a live connection opened with ``isolation_level=None`` (autocommit; this class
            manages transactions) and, if it is shared between threads,
            ``check_same_thread=False``. The constructor does no I/O: call :meth:`migrate`
            (or use :meth:`from_url`) before the first read or write.
        tenant, clock, registry, audit_key, old_audit_keys: see
            :class:`~graph.store.GraphStore`.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        tenant: str,
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        old_audit_keys: Sequence[bytes] = (),
    ) -> None:
        super().__init__(tenant=tenant, clock=clock, registry=registry, audit_key=audit_key,
                         old_audit_keys=old_audit_keys)
        self._conn = conn
        # Shared by every for_tenant() clone (copy.copy keeps the reference): one connection
        # runs one transaction at a time.
        self._lock = threading.RLock()
        self._owns_connection = False
        # A file opened by from_url gets a reader connection per thread (shared by clones too);
        # a connection handed in, or an in-memory database, is read through itself.
        self._readers: ReaderPool | None = None

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        tenant: str,
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        old_audit_keys: Sequence[bytes] = (),
        migrate: bool = True,
    ) -> SqliteStore:
        """Open ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or
        ``sqlite:///:memory:`` (creating parent directories), configure it (WAL for files,
        busy timeout, foreign keys, ``synchronous=NORMAL``, secure delete) and, unless
        ``migrate=False``, apply pending migrations. :meth:`close` closes the connection."""
        validate_tenant(tenant)
        path = sqlite_path(url)
        conn = connect(path)
        try:
            store = cls(conn, tenant=tenant, clock=clock, registry=registry,
                        audit_key=audit_key, old_audit_keys=old_audit_keys)
            store._owns_connection = True
            if path is not None:
                store._readers = ReaderPool(path)
            if migrate:
                store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    # ------------------------------------------------------------------------------ plumbing

    def _reader(self) -> sqlite3.Connection | None:
        """This thread's own read connection, or None where reads go through the writer's
        (no pool, or this thread is inside a write and must see its own rows)."""
        readers = self._readers
        if readers is None or readers.writer == threading.get_ident():
            return None
        return readers.connection()

    @contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection]:
        reader = self._reader()
        if reader is not None:
            with sqlite_errors(action):
                yield reader
            return
        with self._lock, sqlite_errors(action):
            yield self._conn

    @contextmanager
    def _snapshot(self) -> Iterator[bool]:
        # WAL: a read transaction sees the database as of its first read, whatever other
        # connections commit meanwhile.
        reader = self._reader()
        if reader is not None:  # this thread's own connection: no other thread uses it
            with _read_transaction(reader):
                yield True
            return
        with self._lock, _read_transaction(self._conn):  # the RLock keeps other threads out
            yield True

    def supports(self, capability: Capability) -> bool:
        return capability in _SUPPORTED

    def close(self) -> None:
        """Close the connection if this store opened it (:meth:`from_url`); a connection
        passed to the constructor belongs to the caller. Affects every ``for_tenant`` clone."""
        if self._owns_connection:
            with self._lock:
                self._conn.close()
            if self._readers is not None:
                self._readers.close()

    def migrate(self) -> list[str]:
        applied: list[str] = []
        with self._lock, sqlite_errors("migrate"):
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(sql.load("schema/create_migrations"))
                done = {row[0] for row in conn.execute(sql.load("schema/applied_migrations"))}
                now = to_us(self.clock.now())
                for name in sql.migrations():
                    short = name.split("/", 1)[1]
                    if short in done:
                        continue
                    for statement in sql.statements(name):
                        conn.execute(statement)
                    conn.execute(sql.load("schema/record_migration"), (short, now))
                    applied.append(short)
                conn.execute("COMMIT")
            except BaseException as exc:
                rollback(conn, exc)
                raise
        if applied:
            logger.info("applied SQLite migrations %s", applied)
        return applied

    def _purge_erased(self) -> None:
        with self._lock, sqlite_errors("truncate the write-ahead log"):
            busy, _, _ = self._conn.execute(sql.load("schema/truncate_wal")).fetchone()
        if busy:
            # Another connection's read transaction pins old frames; they go at the next
            # checkpoint that finds no reader.
            logger.warning("erasure: the write-ahead log could not be truncated yet (a reader "
                           "holds it); erased text remains in its old frames until then")

    def run_write(self, work: Callable[[WriteTx], T]) -> T:
        with self._lock:
            conn = self._conn
            if conn.in_transaction:
                raise StoreError(
                    "run_write cannot be nested: a write transaction is already open on this "
                    "connection; do all the work inside one run_write")
            with sqlite_errors("begin write"):
                conn.execute("BEGIN IMMEDIATE")
            tx = SqliteTx(conn, self.tenant)
            if self._readers is not None:
                self._readers.writer = threading.get_ident()
            try:
                result = work(tx)
                conn.execute("COMMIT")
            except BaseException as exc:
                rollback(conn, exc)
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc, "write") from exc
                raise
            finally:
                tx.closed = True
                if self._readers is not None:
                    self._readers.writer = None
            return result

    def explain_versions(self, query: VersionQuery) -> list[str]:
        """SQLite's ``EXPLAIN QUERY PLAN`` for :meth:`find_versions` (one line per step)."""
        statement, params = rows.version_sql(self.tenant, query)
        with self._reading("explain") as conn:
            plan = conn.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
        return [step[3] for step in plan]

    # --------------------------------------------------------------------------------- reads

    def _by_ids(self, name: str, ids: Sequence[str]) -> list[Any]:
        """The rows of statement ``name`` (``WHERE tenant = ? AND … IN json_each(?)``)."""
        with self._reading(name) as conn:
            return conn.execute(sql.load(name),
                                (self.tenant, rows.ids_param(dict.fromkeys(ids)))).fetchall()

    def find_versions(self, query: VersionQuery) -> list[FactVersion]:
        statement, params = rows.version_sql(self.tenant, query)
        with self._reading("find versions") as conn:
            found = conn.execute(statement, params).fetchall()
        return [rows.version(row) for row in found]

    def get_versions(self, version_ids: Sequence[str]) -> list[FactVersion]:
        """Versions by id, in the order of ``version_ids``; unknown ids are skipped."""
        if not version_ids:
            return []
        found = self._by_ids("read/versions_by_id", version_ids)
        return in_order(version_ids, {row[0]: rows.version(row) for row in found})

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """Claims by id, in the order of ``claim_ids``; unknown ids are skipped."""
        if not claim_ids:
            return []
        found = self._by_ids("read/claims_by_id", claim_ids)
        return in_order(claim_ids, {row[0]: rows.claim(row) for row in found})

    def find_claims(self, subject_id: str, predicate: str | None = None) -> list[Claim]:
        with self._reading("find claims") as conn:
            if predicate is None:
                found = conn.execute(sql.load("read/claims_by_subject"),
                                     (self.tenant, subject_id)).fetchall()
            else:
                found = conn.execute(sql.load("read/claims_by_subject_predicate"),
                                     (self.tenant, subject_id, predicate)).fetchall()
        return [rows.claim(row) for row in found]

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        """Entities by id, in the order of ``entity_ids``; unknown ids are skipped."""
        with self._reading("get entities") as conn:
            found = rows.entities(conn, self.tenant, entity_ids)
        return in_order(entity_ids, {entity.id: entity for entity in found})

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose ``norm_name`` or a ``norm_alias`` is in ``keys`` (already
        normalised with :func:`graph.ids.normalize_name`), ordered by (name, id)."""
        with self._reading("find entities") as conn:
            return rows.find_entities(conn, self.tenant, keys)

    def list_entities(self, limit: int = 100, offset: int = 0) -> list[Entity]:
        if limit < 0 or offset < 0:
            raise InvalidInputError("limit and offset must be >= 0")
        with self._reading("list entities") as conn:
            found = conn.execute(sql.load("read/entities_list"),
                                 (self.tenant, limit, offset)).fetchall()
            return rows.with_aliases(conn, self.tenant, found)

    def get_episodes(self, episode_ids: Sequence[str]) -> list[Episode]:
        """Episodes by id, in the order of ``episode_ids``; unknown ids are skipped. Erased
        episodes come back with the text :data:`~graph.adapter_helpers.ERASED_TEXT` and empty
        metadata."""
        if not episode_ids:
            return []
        found = self._by_ids("read/episodes_by_id", episode_ids)
        return in_order(episode_ids, {row[0]: rows.episode(row) for row in found})

    def episodes_around(self, episode_ids: Sequence[str], *, places: int,
                        known_at: datetime | None = None) -> dict[str, list[Episode]]:
        if places < 0:
            raise InvalidInputError(f"places: must be >= 0, got {places}")
        ingested_by = MAX_US if known_at is None else to_us(known_at)
        found: dict[str, list[Episode]] = {}
        made: dict[str, Episode] = {}  # an episode near several anchors is built once

        def built(row: Sequence[Any]) -> Episode:
            if row[0] not in made:
                made[row[0]] = rows.episode(row)
            return made[row[0]]

        with self._snapshot(), self._reading("episodes around") as conn:
            statement = sql.load("read/episodes_around")
            anchors = conn.execute(sql.load("read/episodes_by_id"), (
                self.tenant, rows.ids_param(dict.fromkeys(episode_ids)))).fetchall()
            for anchor in anchors:
                place = (self.tenant, anchor[2], anchor[5], anchor[0], ingested_by, places)
                near = [built(row) for row in conn.execute(statement, place * 2)]
                found[anchor[0]] = sorted(near, key=lambda e: (e.occurred_at, e.id))
        return found

    def get_provenance(self, version_ids: Sequence[str]) -> tuple[list[Quote], list[Episode]]:
        if not version_ids:
            return [], []
        quotes, episodes = [], {}
        for row in self._by_ids("read/provenance", version_ids):
            quotes.append(Quote(row[0], row[1], row[2], bool(row[3])))
            if row[4] is not None and row[4] not in episodes:
                episodes[row[4]] = rows.episode(row[4:])
        return quotes, list(episodes.values())

    def audit_events(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        end = MAX_US if end_seq is None else end_seq
        with self._reading("read audit events") as conn:
            found = conn.execute(sql.load("read/audit_events"),
                                 (self.tenant, start_seq, end)).fetchall()
        return [rows.event(row) for row in found]

    def stored_tenant_secret(self) -> bytes | None:
        with self._reading("tenant secret") as conn:
            row = conn.execute(sql.load("read/tenant_secret"), (self.tenant,)).fetchone()
        return None if row is None else bytes(row[0])

    def row_ids(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {"episode": [], "claim": [], "entity": []}
        with self._reading("row ids") as conn:
            for kind, row_id in conn.execute(sql.load("read/row_ids"), (self.tenant,) * 3):
                found[kind].append(row_id)
        return found

    def link_rows(self) -> LinkRows:
        links = LinkRows()
        with self._reading("link rows") as conn:
            for kind, a, b, c in conn.execute(sql.load("read/link_rows"), (self.tenant,) * 2):
                if kind == "alias":
                    links.aliases.append((a, b))
                else:
                    links.sources.append((a, b, c))
            links.fulltext_mismatches = [row[0] for row in conn.execute(
                sql.load("read/fulltext_mismatches"), (self.tenant,))]
        return links

    def search(self, text: str, *, limit: int = 10, valid_at: datetime | None = None,
               known_at: datetime | None = None) -> list[SearchHit]:
        """FTS5 search (bm25) over episode text and facts. Terms are the letter/digit runs of
        ``text``, each quoted (so FTS syntax in the input is just words) and ORed. Fact hits
        are filtered by ``valid_at`` (``None``: any valid time) and ``known_at`` (``None``:
        current versions only) inside the query, before the limit; episode hits by
        ``known_at`` (ingested by then). Score: ``-bm25``, higher is better."""
        if limit < 0:
            raise InvalidInputError(f"limit: must be >= 0, got {limit}")
        expression = _search_expression(text)
        if expression is None or limit == 0:
            return []
        if valid_at is None:  # any valid time: bounds no interval can fall outside
            valid_hi, valid_lo = MAX_US + 1, MIN_US - 1
        else:
            valid_lo = to_us(valid_at)
            valid_hi = valid_lo + 1  # valid_from < t + 1  <=>  valid_from <= t
        # known_at None: current versions only, i.e. superseded_at = MAX_US.
        known = MAX_US - 1 if known_at is None else to_us(known_at)
        ingested_by = MAX_US if known_at is None else known
        with self._reading("search") as conn:
            # One read transaction, so both halves see the same snapshot (unless called
            # inside this thread's own write transaction, which already is one).
            own_transaction = not conn.in_transaction
            if own_transaction:
                conn.execute("BEGIN")
            try:
                fact_rows = conn.execute(
                    sql.load("read/search_facts"),
                    (expression, self.tenant, valid_hi, valid_lo, known, known, limit),
                ).fetchall()
                episode_rows = conn.execute(
                    sql.load("read/search_episodes"),
                    (expression, self.tenant, ingested_by, limit)).fetchall()
            finally:
                if own_transaction:
                    conn.execute("COMMIT")
        hits = [self._fact_hit(row) for row in fact_rows]
        hits += [
            SearchHit(kind="episode", id=row[0], score=-row[10], text=row[6],
                      episode=rows.episode(row))
            for row in episode_rows
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.kind, hit.id))
        return hits[:limit]

    @staticmethod
    def _fact_hit(row: Sequence[Any]) -> SearchHit:
        version = rows.version(row)
        subject = version.subject_name or version.subject_id
        text = f"{subject} {version.predicate} {version.object_label}"
        return SearchHit(kind="fact", id=version.version_id, score=-row[21], text=text,
                         version=version)

    # ---------------------------------------------------------------------------- embeddings

    def put_embeddings(self, model: str, items: Sequence[Embedding]) -> None:
        params = [(self.tenant, model, *vectors.row(item)) for item in items]
        if not params:
            return
        with self._lock, sqlite_errors("store embeddings"):
            conn = self._conn
            own_transaction = not conn.in_transaction
            if own_transaction:
                conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(sql.load("write/insert_embeddings"), params)
                if own_transaction:
                    conn.execute("COMMIT")
            except BaseException as exc:
                if own_transaction:
                    rollback(conn, exc)
                raise

    def unembedded(self, model: str) -> list[tuple[str, str]]:
        with self._reading("unembedded rows") as conn:
            found = conn.execute(sql.load("read/unembedded"),
                                 (self.tenant, model, self.tenant, model)).fetchall()
        return [(kind, row_id) for kind, row_id in found]

    def vector_search(self, vector: Sequence[float], *, model: str, limit: int = 10,
                      valid_at: datetime | None = None,
                      known_at: datetime | None = None) -> list[SearchHit]:
        """Exact scan: every candidate vector passing the filters (as :meth:`search` applies
        them) is scored in one matrix product; docs/retrieval.md has the figures that chose
        this over an approximate index."""
        if limit < 0:
            raise InvalidInputError(f"limit: must be >= 0, got {limit}")
        query = vectors.query(vector)
        if limit == 0:
            return []
        if valid_at is None:
            valid_hi, valid_lo = MAX_US + 1, MIN_US - 1
        else:
            valid_lo = to_us(valid_at)
            valid_hi = valid_lo + 1
        known = MAX_US - 1 if known_at is None else to_us(known_at)
        ingested_by = MAX_US if known_at is None else known
        dim = len(query)
        with self._snapshot(), self._reading("vector search") as conn:
            facts = conn.execute(sql.load("read/vector_facts"), (
                self.tenant, model, dim, valid_hi, valid_lo, known, known)).fetchall()
            episodes = conn.execute(sql.load("read/vector_episodes"),
                                    (self.tenant, model, dim, ingested_by)).fetchall()
            best = vectors.nearest(query, [("fact", r[0], r[1]) for r in facts]
                                   + [("episode", r[0], r[1]) for r in episodes], limit)
            versions = {v.version_id: v for v in self.get_versions(
                [i for kind, i, _ in best if kind == "fact"])}
            found = {e.id: e for e in self.get_episodes(
                [i for kind, i, _ in best if kind == "episode"])}
        hits = []
        for kind, row_id, score in best:
            if kind == "fact":
                version = versions[row_id]
                hits.append(SearchHit(kind="fact", id=row_id, score=score,
                                      text=version.sentence, version=version))
            else:
                episode = found[row_id]
                hits.append(SearchHit(kind="episode", id=row_id, score=score,
                                      text=episode.text, episode=episode))
        return hits
