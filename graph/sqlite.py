"""The SQLite adapter: asof's embedded default, one file, WAL, one writer at a time.

``SqliteStore(conn, tenant=...)`` wraps a live ``sqlite3.Connection`` (opened in autocommit mode,
``isolation_level=None``: this module issues ``BEGIN IMMEDIATE``/``COMMIT`` itself);
:meth:`SqliteStore.from_url` opens one. The schema lives in ``graph/sqlite_schema/NNNN_*.sql``,
applied in order by :meth:`SqliteStore.migrate` and recorded in ``schema_migrations``.

Storage conventions (see ``0001_initial.sql``): every row carries its tenant and every statement
filters on it; instants are integer microseconds since the epoch (:mod:`graph.instants`) with the
``MIN_US``/``MAX_US`` sentinels for open ends, so as-of predicates are plain integer ranges.

Concurrency: one connection runs one transaction at a time, so a store and all its
:meth:`~graph.store.GraphStore.for_tenant` clones share one re-entrant lock around the connection.
Separate stores (connections, threads, processes) on one file are serialised by SQLite itself:
every write transaction starts with ``BEGIN IMMEDIATE``, which takes the database's write lock
(waiting up to the busy timeout) before anything is read.

Erased episodes keep their row (id, times) but lose their text, speaker and metadata; they are
read back with the text :data:`ERASED_TEXT` (an :class:`~graph.models.Episode` cannot have empty
text) and never match a search. Erasure also merges the full-text indexes, so erased words leave
the index's pages, not only its results.

Reads validate every row back into its model (pydantic's validator is faster than
``model_construct`` and catches rows edited behind the store's back: :class:`IntegrityError`).
The write transaction's version reads (``current_versions``, ``expired_versions``) are not
enriched with episode ids or names: the write rules do not need them.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import ValidationError

from asof.graph.clock import Clock
from asof.graph.contract import (
    AuditHead,
    Capability,
    Erasure,
    SearchHit,
    Source,
    VersionQuery,
    WriteBatch,
    WriteTx,
)
from asof.graph.errors import (
    IntegrityError,
    InvalidInputError,
    StoreError,
    StoreUnavailableError,
)
from asof.graph.ids import canonical_json, normalize_name, validate_tenant
from asof.graph.instants import (
    MAX_US,
    MIN_US,
    from_us,
    from_us_from_start,
    from_us_to_end,
    to_us,
)
from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

__all__ = ["ERASED_TEXT", "SqliteStore", "sqlite_path"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The text an erased (redacted) episode is read back with.
ERASED_TEXT: Final = "[erased]"

#: How long a writer waits for another connection's write lock before giving up.
BUSY_TIMEOUT_S: Final = 30.0

_SUPPORTED: Final = frozenset(
    {Capability.FULLTEXT, Capability.CONCURRENT_WRITERS, Capability.EXPLAIN})

_URL_HELP: Final = (
    "use sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite:///:memory:")
_URL_PREFIX: Final = "sqlite:///"
_MIGRATION_NAME = re.compile(r"^(\d{4}_[a-z0-9_]+)\.sql$")

#: Search terms: runs of letters/digits. Everything else (quotes, ``*``, ``:``, ``^``, parens,
#: ``-``) is dropped, and every term is quoted, so FTS5 operators in the input are plain words.
_SEARCH_TERM = re.compile(r"[^\W_]+")
_MAX_SEARCH_TERMS: Final = 32

# SQLite primary result codes that mean "someone else holds the lock" / "cannot open".
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_CANTOPEN: Final = 14

# ---------------------------------------------------------------------------------------- SQL

_CREATE_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)"
)

# A version row with its read-side enrichments, decoded by _version(). Null episode ids are
# dropped in Python: an "IS NOT NULL" here would steer the planner to the wrong index.
_VERSION_COLUMNS = """
SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, s.name, o.name,
       (SELECT json_group_array(DISTINCT src.episode_id) FROM sources AS src
         WHERE src.tenant = v.tenant AND src.version_id = v.version_id)
"""
_VERSION_JOINS = """
LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
"""
_VERSION_SELECT = _VERSION_COLUMNS + "FROM versions AS v" + _VERSION_JOINS
_VERSION_ORDER = (
    " ORDER BY v.subject_id, v.predicate, v.valid_from, v.recorded_at, v.version_id LIMIT ?")
# find_versions names the index it relies on (INDEXED BY): the tenant column leads every index
# and, without statistics, SQLite would rather scan a tenant in ORDER BY order than narrow by
# fact_key or object. Naming the index also turns a lost index into an error, not a slow scan.
_FROM_VERSIONS_BY_SUBJECT = "FROM versions AS v INDEXED BY versions_by_subject"
_FROM_VERSIONS_BY_FACT_KEY = "FROM versions AS v INDEXED BY versions_by_fact_key"
_FROM_VERSIONS_BY_OBJECT = "FROM versions AS v INDEXED BY versions_by_object"
_FROM_VERSIONS = "FROM versions AS v"
# NOT INDEXED still allows rowid lookups: the entity's versions come from _ENTITY_VERSIONS.
_FROM_VERSIONS_BY_PK = "FROM versions AS v NOT INDEXED"
_ENTITY_VERSIONS = (
    "v.pk IN (SELECT pk FROM versions INDEXED BY versions_by_subject"
    " WHERE tenant = ? AND subject_id = ?"
    " UNION ALL SELECT pk FROM versions INDEXED BY versions_by_object"
    " WHERE tenant = ? AND object_id = ?)"
)

# A bare version row (no enrichment), for the write transaction's reads.
_BARE_VERSION_SELECT = """
SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, NULL, NULL, NULL
FROM versions AS v
"""

_CLAIM_SELECT = (
    "SELECT claim_id, tenant, subject_id, predicate, object_key, object_id, object_value,"
    " retraction, valid_from, valid_to, basis, granularity, observed_at, episode_id,"
    " recorded_at, superseded_at, confidence, evidence, extractor FROM claims"
)

_EPISODE_SELECT = (
    "SELECT id, tenant, conversation_id, speaker, role, occurred_at, text, ingested_at,"
    " metadata, redacted FROM episodes"
)

_EVENT_SELECT = (
    "SELECT seq, tenant, at, actor, action, targets, superseded, episode_id, fact_key, reason,"
    " content_hash, prev_hash, hash, signature FROM audit_events"
)

_INSERT_EPISODE = (
    "INSERT OR IGNORE INTO episodes (tenant, id, conversation_id, speaker, role, occurred_at,"
    " text, ingested_at, metadata, redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
)
_INSERT_ENTITY = (
    "INSERT OR IGNORE INTO entities (tenant, id, name, type, norm_name) VALUES (?, ?, ?, ?, ?)")
_INSERT_ALIAS = (
    "INSERT OR IGNORE INTO entity_aliases (tenant, entity_id, alias, norm_alias)"
    " VALUES (?, ?, ?, ?)"
)
_INSERT_CLAIM = (
    "INSERT INTO claims (tenant, claim_id, subject_id, predicate, object_key, object_id,"
    " object_value, retraction, valid_from, valid_to, basis, granularity, observed_at,"
    " episode_id, recorded_at, superseded_at, confidence, evidence, extractor)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_VERSION = (
    "INSERT INTO versions (tenant, version_id, fact_key, subject_id, predicate, object_id,"
    " object_value, valid_from, valid_to, valid_from_basis, granularity, recorded_at,"
    " superseded_at, supersedes, expires_at, extractor, confidence, evidence)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Full-text rows of the versions a batch inserted (see 0001_initial.sql for why not a trigger).
_INDEX_FACTS = (
    "INSERT INTO facts_fts (rowid, subject, predicate, object, evidence)"
    " SELECT v.pk, s.name, v.predicate, coalesce(o.name, v.object_value), v.evidence"
    " FROM versions AS v"
    " LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id"
    " LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id"
    " WHERE v.tenant = ? AND v.version_id IN (SELECT value FROM json_each(?))"
)
_INSERT_SOURCE = (
    "INSERT OR IGNORE INTO sources (tenant, version_id, claim_id, episode_id, recorded_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    "INSERT INTO audit_events (tenant, seq, at, actor, action, targets, superseded, episode_id,"
    " fact_key, reason, content_hash, prev_hash, hash, signature)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Closing in transaction time is the only change ever made to an existing row, and only to a
# row that is still open.
_SUPERSEDE_VERSION = (
    "UPDATE versions SET superseded_at = ?"
    " WHERE tenant = ? AND version_id = ? AND superseded_at = ?"
)
_SUPERSEDE_CLAIM = (
    "UPDATE claims SET superseded_at = ?"
    " WHERE tenant = ? AND claim_id = ? AND superseded_at = ?"
)

# Lists of ids travel as one JSON parameter, expanded by "IN (SELECT value FROM json_each(?))":
# one fixed statement whatever the list's length.
_FIND_ENTITY_IDS = (
    "SELECT id FROM entities"
    " WHERE tenant = ? AND norm_name IN (SELECT value FROM json_each(?))"
    " UNION SELECT entity_id FROM entity_aliases"
    " WHERE tenant = ? AND norm_alias IN (SELECT value FROM json_each(?))"
)
_ENTITY_SELECT = "SELECT id, tenant, name, type FROM entities"
_ALIASES_OF = (
    "SELECT entity_id, alias FROM entity_aliases"
    " WHERE tenant = ? AND entity_id IN (SELECT value FROM json_each(?)) ORDER BY pk"
)

# Search ranks and filters in a CTE that carries only (pk, rank, version_id), then enriches the
# few rows kept: the select list of the outer query is computed for the top hits only. CROSS
# JOIN pins the join order: the full-text match drives and versions are looked up by rowid
# (the other order runs the full-text query once per version).
_SEARCH_FACTS = (
    "WITH hits AS ("
    " SELECT v.pk AS pk, bm25(facts_fts) AS rank, v.version_id AS version_id"
    " FROM facts_fts CROSS JOIN versions AS v ON v.pk = facts_fts.rowid"
    " WHERE facts_fts MATCH ? AND v.tenant = ?"
    " AND v.valid_from < ? AND ? < v.valid_to"
    " AND v.recorded_at <= ? AND ? < v.superseded_at"
    " ORDER BY rank, v.version_id LIMIT ?)"
    " SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,"
    " v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,"
    " v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,"
    " v.evidence, s.name, o.name,"
    " (SELECT json_group_array(DISTINCT src.episode_id) FROM sources AS src"
    "   WHERE src.tenant = v.tenant AND src.version_id = v.version_id),"
    " hits.rank"
    " FROM hits CROSS JOIN versions AS v ON v.pk = hits.pk"
    " LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id"
    " LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id"
    " ORDER BY hits.rank, hits.version_id"
)
_SEARCH_EPISODES = (
    "SELECT e.id, e.tenant, e.conversation_id, e.speaker, e.role, e.occurred_at, e.text,"
    " e.ingested_at, e.metadata, e.redacted, bm25(episodes_fts) AS rank"
    " FROM episodes_fts CROSS JOIN episodes AS e ON e.pk = episodes_fts.rowid"
    " WHERE episodes_fts MATCH ? AND e.tenant = ? AND e.redacted = 0 AND e.ingested_at <= ?"
    " ORDER BY rank, e.id LIMIT ?"
)


def _version_sql(tenant: str, query: VersionQuery) -> tuple[str, list[Any]]:
    """The statement and parameters of a :class:`VersionQuery`. The statement is assembled
    from the fixed fragments above; values are only ever parameters."""
    where = ["v.tenant = ?"]
    params: list[Any] = [tenant]
    for column, value in (
        ("v.subject_id = ?", query.subject_id),
        ("v.predicate = ?", query.predicate),
        ("v.object_id = ?", query.object_id),
        ("v.object_value = ?", query.object_value),
        ("v.fact_key = ?", query.fact_key),
    ):
        if value is not None:
            where.append(column)
            params.append(value)
    if query.entity_id is not None:
        where.append(_ENTITY_VERSIONS)
        params += [tenant, query.entity_id, tenant, query.entity_id]
    if query.valid_at is not None:
        at = to_us(query.valid_at)
        where.append("v.valid_from <= ? AND ? < v.valid_to")
        params += [at, at]
    if query.known_at is not None:
        at = to_us(query.known_at)
        where.append("v.recorded_at <= ? AND ? < v.superseded_at")
        params += [at, at]
    if query.live_at is not None:
        where.append("? < v.expires_at")
        params.append(to_us(query.live_at))
    if query.limit is not None and query.limit < 0:
        raise InvalidInputError(f"limit: must be >= 0, got {query.limit}")
    params.append(-1 if query.limit is None else query.limit)
    if query.fact_key is not None:
        source = _FROM_VERSIONS_BY_FACT_KEY
    elif query.subject_id is not None:
        source = _FROM_VERSIONS_BY_SUBJECT
    elif query.object_id is not None:
        source = _FROM_VERSIONS_BY_OBJECT
    elif query.entity_id is not None:
        source = _FROM_VERSIONS_BY_PK
    else:
        source = _FROM_VERSIONS
    sql = (_VERSION_COLUMNS + source + _VERSION_JOINS + "WHERE " + " AND ".join(where)
           + _VERSION_ORDER)
    return sql, params


# --------------------------------------------------------------------------- value translation

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _us(value: datetime) -> int:
    """:func:`graph.instants.to_us`, with a fast path for the UTC instants models hold
    (a batch converts several per row)."""
    if value.tzinfo is UTC:
        delta = value - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return to_us(value)


def _start_us(value: datetime | None) -> int:
    return MIN_US if value is None else _us(value)


def _end_us(value: datetime | None) -> int:
    return MAX_US if value is None else _us(value)


def _ids_param(ids: Iterable[str]) -> str:
    """A list of ids as one parameter, expanded in SQL by ``json_each``."""
    return json.dumps(list(ids), ensure_ascii=False)


M = TypeVar("M", FactVersion, Claim, Episode, AuditEvent)


def _load(model: type[M], data: dict[str, Any]) -> M:
    """Validate a stored row (pydantic's validator is also faster than ``model_construct``);
    a row that no longer validates was changed behind the store's back."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise IntegrityError(f"stored {model.__name__} row is invalid: {exc}") from exc


def _version(row: Sequence[Any]) -> FactVersion:
    episode_ids = sorted(i for i in json.loads(row[20]) if i is not None) if row[20] else ()
    return _load(FactVersion, {
        "version_id": row[0], "tenant": row[1], "fact_key": row[2], "subject_id": row[3],
        "predicate": row[4], "object_id": row[5], "object_value": row[6],
        "valid_from": from_us_from_start(row[7]), "valid_to": from_us_to_end(row[8]),
        "valid_from_basis": row[9], "granularity": row[10], "recorded_at": from_us(row[11]),
        "superseded_at": from_us_to_end(row[12]), "supersedes": row[13],
        "expires_at": from_us_to_end(row[14]), "extractor": row[15], "confidence": row[16],
        "evidence": row[17], "episode_ids": tuple(episode_ids), "subject_name": row[18],
        "object_name": row[19],
    })


def _version_params(tenant: str, v: FactVersion) -> tuple[Any, ...]:
    return (
        tenant, v.version_id, v.fact_key, v.subject_id, v.predicate, v.object_id,
        v.object_value, _start_us(v.valid_from), _end_us(v.valid_to), v.valid_from_basis.value,
        None if v.granularity is None else v.granularity.value, _us(v.recorded_at),
        _end_us(v.superseded_at), v.supersedes, _end_us(v.expires_at), v.extractor,
        float(v.confidence), v.evidence,
    )


def _claim(row: Sequence[Any]) -> Claim:
    return _load(Claim, {
        "claim_id": row[0], "tenant": row[1], "subject_id": row[2], "predicate": row[3],
        "object_key": row[4], "object_id": row[5], "object_value": row[6],
        "retraction": bool(row[7]), "valid_from": from_us_from_start(row[8]),
        "valid_to": from_us_to_end(row[9]), "basis": row[10], "granularity": row[11],
        "observed_at": from_us(row[12]), "episode_id": row[13], "recorded_at": from_us(row[14]),
        "superseded_at": from_us_to_end(row[15]), "confidence": row[16], "evidence": row[17],
        "extractor": row[18],
    })


def _claim_params(tenant: str, c: Claim) -> tuple[Any, ...]:
    return (
        tenant, c.claim_id, c.subject_id, c.predicate, c.object_key, c.object_id,
        c.object_value, int(c.retraction), _start_us(c.valid_from), _end_us(c.valid_to),
        c.basis.value, None if c.granularity is None else c.granularity.value,
        _us(c.observed_at), c.episode_id, _us(c.recorded_at), _end_us(c.superseded_at),
        float(c.confidence), c.evidence, c.extractor,
    )


def _episode(row: Sequence[Any]) -> Episode:
    redacted = bool(row[9])
    return _load(Episode, {
        "id": row[0], "tenant": row[1], "conversation_id": row[2], "speaker": row[3],
        "role": row[4], "occurred_at": from_us(row[5]),
        "text": ERASED_TEXT if redacted else row[6], "ingested_at": from_us_from_start(row[7]),
        "metadata": json.loads(row[8]),
    })


def _episode_params(tenant: str, e: Episode) -> tuple[Any, ...]:
    return (
        tenant, e.id, e.conversation_id, e.speaker, e.role.value, _us(e.occurred_at), e.text,
        _start_us(e.ingested_at), canonical_json(e.metadata),
    )


def _event(row: Sequence[Any]) -> AuditEvent:
    return _load(AuditEvent, {
        "seq": row[0], "tenant": row[1], "at": from_us(row[2]), "actor": row[3],
        "action": row[4], "targets": tuple(json.loads(row[5])),
        "superseded": tuple(json.loads(row[6])), "episode_id": row[7], "fact_key": row[8],
        "reason": row[9], "content_hash": row[10], "prev_hash": row[11], "hash": row[12],
        "signature": row[13],
    })


def _event_params(tenant: str, e: AuditEvent) -> tuple[Any, ...]:
    return (
        tenant, e.seq, _us(e.at), e.actor, e.action.value, json.dumps(list(e.targets)),
        json.dumps(list(e.superseded)), e.episode_id, e.fact_key, e.reason, e.content_hash,
        e.prev_hash, e.hash, e.signature,
    )


def _in_order(ids: Sequence[str], found: dict[str, T]) -> list[T]:
    """``found`` in the order of ``ids`` (first occurrence), unknown ids skipped."""
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _search_expression(text: str) -> str | None:
    """A safe FTS5 expression for plain user text: each term quoted, terms ORed (bm25 ranks
    documents matching more of them first). ``None`` when the text has no searchable term."""
    terms = list(dict.fromkeys(_SEARCH_TERM.findall(text)))[:_MAX_SEARCH_TERMS]
    if not terms:
        return None
    # The terms hold only letters and digits, so they need no escaping inside "...".
    return " OR ".join(f'"{term}"' for term in terms)


# ------------------------------------------------------------------------------------- errors


def _translate(exc: sqlite3.Error, action: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in str(exc):
        return StoreUnavailableError(
            f"{action}: the SQLite database is locked by another connection and stayed locked "
            f"past the busy timeout; retry later ({exc})"
        )
    if primary == _SQLITE_CANTOPEN:
        return StoreUnavailableError(f"{action}: cannot open the SQLite database ({exc})")
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(f"{action}: constraint violated ({exc}); nothing was written")
    return StoreError(f"{action}: SQLite error ({exc})")


@contextmanager
def _sqlite_errors(action: str) -> Iterator[None]:
    """Translate driver errors into the project's tree; AsofErrors pass through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _translate(exc, action) from exc


def _rollback(conn: sqlite3.Connection, error: BaseException) -> None:
    if not conn.in_transaction:
        return  # SQLite already rolled back (e.g. after SQLITE_FULL)
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        logger.exception("rollback failed")
        error.add_note(f"rollback also failed: {exc}")


# --------------------------------------------------------------------------------- migrations


@cache
def _migrations() -> tuple[tuple[str, str], ...]:
    """The ordered ``(name, sql)`` migrations shipped in ``graph/sqlite_schema``."""
    folder = resources.files("asof.graph").joinpath("sqlite_schema")
    found = []
    if folder.is_dir():
        for entry in folder.iterdir():
            match = _MIGRATION_NAME.match(entry.name)
            if match:
                found.append((match.group(1), entry.read_text(encoding="utf-8")))
    if not found:
        raise StoreError(
            "no SQLite migrations found in graph/sqlite_schema/ (is the package data "
            "'sqlite_schema/*.sql' missing from the installation?)"
        )
    return tuple(sorted(found))


def _statements(script: str) -> list[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` knows about trigger
    bodies and string literals). A statement must end at the end of a line."""
    statements = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if any(line.strip() and not line.strip().startswith("--") for line in buffer.splitlines()):
        raise StoreError(f"migration ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return statements


# ------------------------------------------------------------------------------------- reads
# Shared by the store (under its lock) and the write transaction.


def _entities(conn: sqlite3.Connection, tenant: str, ids: Sequence[str]) -> list[Entity]:
    """Entities by id, ordered by (name, id), with their aliases in the order added."""
    if not ids:
        return []
    param = _ids_param(dict.fromkeys(ids))
    # Sorted here: an ORDER BY would make SQLite walk entities_by_name over the whole tenant.
    rows = sorted(conn.execute(
        "SELECT id, tenant, name, type FROM entities"
        " WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))",
        (tenant, param),
    ), key=lambda row: (row[2], row[0]))
    return _with_aliases(conn, tenant, rows)


def _with_aliases(conn: sqlite3.Connection, tenant: str,
                  rows: Sequence[Sequence[Any]]) -> list[Entity]:
    if not rows:
        return []
    aliases: dict[str, list[str]] = {}
    for entity_id, alias in conn.execute(
            _ALIASES_OF, (tenant, _ids_param(row[0] for row in rows))):
        aliases.setdefault(entity_id, []).append(alias)
    return [
        Entity.model_construct(id=row[0], tenant=row[1], name=row[2], type=row[3],
                               aliases=tuple(aliases.get(row[0], ())))
        for row in rows
    ]


def _find_entities(conn: sqlite3.Connection, tenant: str, keys: Sequence[str]) -> list[Entity]:
    if not keys:
        return []
    param = _ids_param(dict.fromkeys(keys))
    ids = [row[0] for row in conn.execute(_FIND_ENTITY_IDS, (tenant, param, tenant, param))]
    return _entities(conn, tenant, ids)


# -------------------------------------------------------------------------------- the store


class SqliteStore(GraphStore):
    """A :class:`~graph.store.GraphStore` on one SQLite database.

    Args:
        conn: a live connection opened with ``isolation_level=None`` (autocommit; this class
            manages transactions) and, if it is shared between threads,
            ``check_same_thread=False``. The constructor does no I/O: call :meth:`migrate`
            (or use :meth:`from_url`) before the first read or write.
        tenant, clock, registry, audit_key: see :class:`~graph.store.GraphStore`.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        tenant: str,
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
    ) -> None:
        super().__init__(tenant=tenant, clock=clock, registry=registry, audit_key=audit_key)
        self._conn = conn
        # Shared by every for_tenant() clone (copy.copy keeps the reference): one connection
        # runs one transaction at a time.
        self._lock = threading.RLock()
        self._owns_connection = False

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        tenant: str,
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        migrate: bool = True,
    ) -> SqliteStore:
        """Open ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or
        ``sqlite:///:memory:`` (creating parent directories), configure it (WAL for files,
        busy timeout, foreign keys, ``synchronous=NORMAL``, secure delete) and, unless
        ``migrate=False``, apply pending migrations. :meth:`close` closes the connection."""
        validate_tenant(tenant)
        conn = _connect(sqlite_path(url))
        try:
            store = cls(conn, tenant=tenant, clock=clock, registry=registry,
                        audit_key=audit_key)
            store._owns_connection = True
            if migrate:
                store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    # ------------------------------------------------------------------------------ plumbing

    @contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, _sqlite_errors(action):
            yield self._conn

    @contextmanager
    def _snapshot(self) -> Iterator[bool]:
        # WAL: a read transaction sees the database as of its first read, whatever other
        # connections commit meanwhile. The RLock keeps this handle's other threads out.
        with self._lock:
            if self._conn.in_transaction:  # inside run_write: already one consistent state
                yield True
                return
            with _sqlite_errors("begin read"):
                self._conn.execute("BEGIN")
            try:
                yield True
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def supports(self, capability: Capability) -> bool:
        return capability in _SUPPORTED

    def close(self) -> None:
        """Close the connection if this store opened it (:meth:`from_url`); a connection
        passed to the constructor belongs to the caller. Affects every ``for_tenant`` clone."""
        if self._owns_connection:
            with self._lock:
                self._conn.close()

    def migrate(self) -> list[str]:
        applied: list[str] = []
        migrations = _migrations()
        with self._lock, _sqlite_errors("migrate"):
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_CREATE_MIGRATIONS)
                done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
                now = to_us(self.clock.now())
                for name, script in migrations:
                    if name in done:
                        continue
                    for statement in _statements(script):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                        (name, now))
                    applied.append(name)
                conn.execute("COMMIT")
            except BaseException as exc:
                _rollback(conn, exc)
                raise
        if applied:
            logger.info("applied SQLite migrations %s", applied)
        return applied

    def run_write(self, work: Callable[[WriteTx], T]) -> T:
        with self._lock:
            conn = self._conn
            if conn.in_transaction:
                raise StoreError(
                    "run_write cannot be nested: a write transaction is already open on this "
                    "connection; do all the work inside one run_write")
            with _sqlite_errors("begin write"):
                conn.execute("BEGIN IMMEDIATE")
            tx = _SqliteTx(conn, self.tenant)
            try:
                result = work(tx)
                conn.execute("COMMIT")
            except BaseException as exc:
                _rollback(conn, exc)
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc, "write") from exc
                raise
            finally:
                tx.closed = True
            return result

    def explain_versions(self, query: VersionQuery) -> list[str]:
        """SQLite's ``EXPLAIN QUERY PLAN`` for :meth:`find_versions` (one line per step)."""
        sql, params = _version_sql(self.tenant, query)
        with self._reading("explain") as conn:
            rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return [row[3] for row in rows]

    # --------------------------------------------------------------------------------- reads

    def find_versions(self, query: VersionQuery) -> list[FactVersion]:
        sql, params = _version_sql(self.tenant, query)
        with self._reading("find versions") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_version(row) for row in rows]

    def get_versions(self, version_ids: Sequence[str]) -> list[FactVersion]:
        """Versions by id, in the order of ``version_ids``; unknown ids are skipped."""
        if not version_ids:
            return []
        with self._reading("get versions") as conn:
            rows = conn.execute(
                _VERSION_SELECT  # noqa: S608 - constant SQL; the ids are one parameter
                + "WHERE v.tenant = ? AND v.version_id IN (SELECT value FROM json_each(?))",
                (self.tenant, _ids_param(dict.fromkeys(version_ids))),
            ).fetchall()
        return _in_order(version_ids, {row[0]: _version(row) for row in rows})

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """Claims by id, in the order of ``claim_ids``; unknown ids are skipped."""
        if not claim_ids:
            return []
        with self._reading("get claims") as conn:
            rows = conn.execute(
                _CLAIM_SELECT  # noqa: S608 - constant SQL; the ids are one parameter
                + " WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))",
                (self.tenant, _ids_param(dict.fromkeys(claim_ids))),
            ).fetchall()
        return _in_order(claim_ids, {row[0]: _claim(row) for row in rows})

    def find_claims(self, subject_id: str, predicate: str | None = None) -> list[Claim]:
        with self._reading("find claims") as conn:
            if predicate is None:
                rows = conn.execute(
                    _CLAIM_SELECT + " WHERE tenant = ? AND subject_id = ?"
                    " ORDER BY recorded_at, claim_id", (self.tenant, subject_id)).fetchall()
            else:
                rows = conn.execute(
                    _CLAIM_SELECT + " WHERE tenant = ? AND subject_id = ? AND predicate = ?"
                    " ORDER BY recorded_at, claim_id",
                    (self.tenant, subject_id, predicate)).fetchall()
        return [_claim(row) for row in rows]

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        """Entities by id, in the order of ``entity_ids``; unknown ids are skipped."""
        with self._reading("get entities") as conn:
            found = _entities(conn, self.tenant, entity_ids)
        return _in_order(entity_ids, {entity.id: entity for entity in found})

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose ``norm_name`` or a ``norm_alias`` is in ``keys`` (already
        normalised with :func:`graph.ids.normalize_name`), ordered by (name, id)."""
        with self._reading("find entities") as conn:
            return _find_entities(conn, self.tenant, keys)

    def list_entities(self, limit: int = 100, offset: int = 0) -> list[Entity]:
        if limit < 0 or offset < 0:
            raise InvalidInputError("limit and offset must be >= 0")
        with self._reading("list entities") as conn:
            rows = conn.execute(
                _ENTITY_SELECT + " WHERE tenant = ? ORDER BY name, id LIMIT ? OFFSET ?",
                (self.tenant, limit, offset)).fetchall()
            return _with_aliases(conn, self.tenant, rows)

    def get_episodes(self, episode_ids: Sequence[str]) -> list[Episode]:
        """Episodes by id, in the order of ``episode_ids``; unknown ids are skipped. Erased
        episodes come back with the text :data:`ERASED_TEXT` and empty metadata."""
        if not episode_ids:
            return []
        with self._reading("get episodes") as conn:
            rows = conn.execute(
                _EPISODE_SELECT  # noqa: S608 - constant SQL; the ids are one parameter
                + " WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))",
                (self.tenant, _ids_param(dict.fromkeys(episode_ids))),
            ).fetchall()
        return _in_order(episode_ids, {row[0]: _episode(row) for row in rows})

    def audit_events(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        end = MAX_US if end_seq is None else end_seq
        with self._reading("read audit events") as conn:
            rows = conn.execute(
                _EVENT_SELECT + " WHERE tenant = ? AND seq BETWEEN ? AND ? ORDER BY seq",
                (self.tenant, start_seq, end)).fetchall()
        return [_event(row) for row in rows]

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
                    _SEARCH_FACTS,
                    (expression, self.tenant, valid_hi, valid_lo, known, known, limit),
                ).fetchall()
                episode_rows = conn.execute(
                    _SEARCH_EPISODES, (expression, self.tenant, ingested_by, limit)).fetchall()
            finally:
                if own_transaction:
                    conn.execute("COMMIT")
        hits = [self._fact_hit(row) for row in fact_rows]
        hits += [
            SearchHit(kind="episode", id=row[0], score=-row[10], text=row[6],
                      episode=_episode(row))
            for row in episode_rows
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.kind, hit.id))
        return hits[:limit]

    @staticmethod
    def _fact_hit(row: Sequence[Any]) -> SearchHit:
        version = _version(row)
        subject = version.subject_name or version.subject_id
        text = f"{subject} {version.predicate} {version.object_label}"
        return SearchHit(kind="fact", id=version.version_id, score=-row[21], text=text,
                         version=version)


# ------------------------------------------------------------------------ write transaction


class _SqliteTx:
    """The :class:`~graph.contract.WriteTx` of one ``BEGIN IMMEDIATE`` transaction."""

    def __init__(self, conn: sqlite3.Connection, tenant: str) -> None:
        self._conn = conn
        self._tenant = tenant
        self.closed = False

    @contextmanager
    def _db(self, action: str) -> Iterator[sqlite3.Connection]:
        if self.closed:
            raise StoreError(f"{action}: this write transaction has already ended")
        with _sqlite_errors(action):
            yield self._conn

    def lock_head(self) -> AuditHead | None:
        # BEGIN IMMEDIATE already holds the database's write lock: nobody else can append.
        with self._db("lock head") as conn:
            row = conn.execute(
                "SELECT seq, hash, at FROM audit_events WHERE tenant = ?"
                " ORDER BY seq DESC LIMIT 1", (self._tenant,)).fetchone()
        return None if row is None else AuditHead(seq=row[0], hash=row[1], at=from_us(row[2]))

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        if not episode_ids:
            return set()
        with self._db("existing episodes") as conn:
            rows = conn.execute(
                "SELECT id FROM episodes"
                " WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))",
                (self._tenant, _ids_param(dict.fromkeys(episode_ids)))).fetchall()
        return {row[0] for row in rows}

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        with self._db("find entities") as conn:
            return _find_entities(conn, self._tenant, keys)

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        with self._db("current claims") as conn:
            rows = conn.execute(
                _CLAIM_SELECT + " WHERE tenant = ? AND subject_id = ? AND predicate = ?"
                " AND superseded_at = ? ORDER BY recorded_at, claim_id",
                (self._tenant, subject_id, predicate, MAX_US)).fetchall()
        return [_claim(row) for row in rows]

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        with self._db("current versions") as conn:
            rows = conn.execute(
                _BARE_VERSION_SELECT + "WHERE v.tenant = ? AND v.subject_id = ?"
                " AND v.predicate = ? AND v.superseded_at = ?"
                " ORDER BY v.valid_from, v.recorded_at, v.version_id",
                (self._tenant, subject_id, predicate, MAX_US)).fetchall()
        return [_version(row) for row in rows]

    def expired_versions(self, now: datetime) -> list[FactVersion]:
        with self._db("expired versions") as conn:
            rows = conn.execute(
                _BARE_VERSION_SELECT + "WHERE v.tenant = ? AND v.superseded_at = ?"
                " AND v.expires_at <= ?"
                " ORDER BY v.subject_id, v.predicate, v.valid_from, v.recorded_at, v.version_id",
                (self._tenant, MAX_US, to_us(now))).fetchall()
        return [_version(row) for row in rows]

    def mentions(self, entity_id: str, names: Sequence[str]) -> tuple[
            list[str], list[str], list[str]]:
        tenant = self._tenant
        with self._db("find mentions") as conn:
            version_ids = sorted(row[0] for row in conn.execute(
                "SELECT version_id FROM versions WHERE tenant = ? AND subject_id = ?"
                " UNION SELECT version_id FROM versions WHERE tenant = ? AND object_id = ?",
                (tenant, entity_id, tenant, entity_id)))
            claim_ids = sorted(row[0] for row in conn.execute(
                "SELECT claim_id FROM claims WHERE tenant = ? AND subject_id = ?"
                " UNION SELECT claim_id FROM claims WHERE tenant = ? AND object_id = ?",
                (tenant, entity_id, tenant, entity_id)))
            versions, claims = _ids_param(version_ids), _ids_param(claim_ids)
            # Null episode ids are dropped here, not in SQL: "episode_id IS NOT NULL" would
            # turn these id lookups into a range scan of sources_by_episode (which, covering,
            # tempts the planner even without it; hence INDEXED BY).
            episode_ids = {row[0] for row in conn.execute(
                "SELECT episode_id FROM sources"
                " WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))"
                " UNION SELECT episode_id FROM sources INDEXED BY sources_by_claim"
                " WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))"
                " UNION SELECT episode_id FROM claims"
                " WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))",
                (tenant, versions, tenant, claims, tenant, claims))} - {None}
            # Case-insensitive substring match in Python: SQLite's lower() folds ASCII only.
            folded = [name.casefold() for name in names if name.strip()]
            if folded:
                for episode_id, text in conn.execute(
                        "SELECT id, text FROM episodes WHERE tenant = ? AND redacted = 0",
                        (tenant,)):
                    haystack = text.casefold()
                    if any(name in haystack for name in folded):
                        episode_ids.add(episode_id)
        return version_ids, claim_ids, sorted(episode_ids)

    def _check_tenant(self, rows: Iterable[Episode | Entity | Claim | FactVersion | AuditEvent],
                      ) -> None:
        for row in rows:
            if row.tenant != self._tenant:
                raise InvalidInputError(
                    f"{type(row).__name__} of tenant {row.tenant!r} written in a transaction of "
                    f"tenant {self._tenant!r}")

    def write(self, batch: WriteBatch) -> None:
        tenant = self._tenant
        for rows in (batch.episodes, batch.entities, batch.claims, batch.versions,
                     batch.events):
            self._check_tenant(rows)
        try:
            closing_versions, closing_claims = batch.closings()
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        with self._db("write") as conn:
            # Close existing rows first, so a row inserted by this batch is never touched.
            for sql, pairs, kind in ((_SUPERSEDE_VERSION, closing_versions, "versions"),
                                     (_SUPERSEDE_CLAIM, closing_claims, "claims")):
                if not pairs:
                    continue
                closed = conn.executemany(sql, [(_us(at), tenant, i, MAX_US)
                                                for i, at in pairs])
                if closed.rowcount != len(pairs):
                    raise IntegrityError(
                        f"asked to close {len(pairs)} {kind} but only {closed.rowcount} were "
                        "open: a closed or unknown id was listed; nothing was written")
            if batch.episodes:
                conn.executemany(_INSERT_EPISODE,
                                 [_episode_params(tenant, e) for e in batch.episodes])
            if batch.entities:
                conn.executemany(_INSERT_ENTITY, [
                    (tenant, e.id, e.name, e.type, normalize_name(e.name))
                    for e in batch.entities])
            aliases = [(e.id, alias) for e in batch.entities for alias in e.aliases]
            aliases += batch.aliases
            if aliases:
                conn.executemany(_INSERT_ALIAS, [
                    (tenant, entity_id, alias, normalize_name(alias))
                    for entity_id, alias in aliases])
            if batch.claims:
                conn.executemany(_INSERT_CLAIM, [_claim_params(tenant, c) for c in batch.claims])
            if batch.versions:
                conn.executemany(_INSERT_VERSION,
                                 [_version_params(tenant, v) for v in batch.versions])
                conn.execute(_INDEX_FACTS,
                             (tenant, _ids_param(v.version_id for v in batch.versions)))
            if batch.sources:
                conn.executemany(_INSERT_SOURCE, [_source_params(tenant, s)
                                                  for s in batch.sources])
            if batch.events:
                conn.executemany(_INSERT_EVENT, [_event_params(tenant, e) for e in batch.events])

    def sourced_from(self, episode_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        if not episode_ids:
            return [], []
        tenant, episodes = self._tenant, _ids_param(dict.fromkeys(episode_ids))
        with self._db("find rows sourced from episodes") as conn:
            claim_ids = sorted(row[0] for row in conn.execute(
                "SELECT claim_id FROM claims"
                " WHERE tenant = ? AND episode_id IN (SELECT value FROM json_each(?))",
                (tenant, episodes)))
            # Deduplicated here: DISTINCT in SQL makes SQLite walk the primary key instead.
            version_ids = sorted({row[0] for row in conn.execute(
                "SELECT version_id FROM sources"
                " WHERE tenant = ? AND episode_id IN (SELECT value FROM json_each(?))",
                (tenant, episodes))})
        return version_ids, claim_ids

    def erase(self, erasure: Erasure) -> None:
        tenant = self._tenant
        self._check_tenant([erasure.event])
        entities = _ids_param(erasure.entity_ids)
        versions = _ids_param(erasure.version_ids)
        claims = _ids_param(erasure.claim_ids)
        with self._db("erase") as conn:
            conn.execute(
                "DELETE FROM entity_aliases"
                " WHERE tenant = ? AND entity_id IN (SELECT value FROM json_each(?))",
                (tenant, entities))
            conn.execute(
                "DELETE FROM entities WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))",
                (tenant, entities))
            conn.execute(
                "DELETE FROM sources"
                " WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))",
                (tenant, versions))
            conn.execute(
                "DELETE FROM sources"
                " WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))",
                (tenant, claims))
            # The versions_fts_after_delete trigger removes their full-text rows.
            conn.execute(
                "DELETE FROM versions"
                " WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))",
                (tenant, versions))
            conn.execute(
                "DELETE FROM claims"
                " WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))",
                (tenant, claims))
            # Surviving rows that quoted a redacted episode lose the quote (the only change to
            # a stored row besides superseded_at; versions_fts_after_evidence follows it).
            conn.execute(
                "UPDATE versions SET evidence = NULL WHERE tenant = ?"
                " AND version_id IN (SELECT value FROM json_each(?)) AND evidence IS NOT NULL",
                (tenant, _ids_param(erasure.redacted_version_ids)))
            conn.execute(
                "UPDATE claims SET evidence = NULL WHERE tenant = ?"
                " AND claim_id IN (SELECT value FROM json_each(?)) AND evidence IS NOT NULL",
                (tenant, _ids_param(erasure.redacted_claim_ids)))
            # The episodes_fts_after_update trigger drops redacted text from the index.
            conn.execute(
                "UPDATE episodes SET text = '', speaker = '[erased]', metadata = '{}',"
                " redacted = 1"
                " WHERE tenant = ? AND redacted = 0 AND id IN (SELECT value FROM json_each(?))",
                (tenant, _ids_param(erasure.episode_ids)))
            # Deleting from FTS5 leaves the old terms in index segments until they merge;
            # merging now removes the erased words from the file, not only from results.
            conn.execute("INSERT INTO facts_fts (facts_fts) VALUES ('optimize')")
            conn.execute("INSERT INTO episodes_fts (episodes_fts) VALUES ('optimize')")
            conn.execute(_INSERT_EVENT, _event_params(tenant, erasure.event))


def _source_params(tenant: str, s: Source) -> tuple[Any, ...]:
    return (tenant, s.version_id, s.claim_id, s.episode_id, _us(s.recorded_at))


# ------------------------------------------------------------------------------- connecting


def sqlite_path(url: str) -> Path | None:
    """The database path of a ``sqlite:///`` URL; ``None`` for ``:memory:``."""
    if not isinstance(url, str) or not url.startswith(_URL_PREFIX):
        raise InvalidInputError(f"invalid SQLite URL {url!r}: {_URL_HELP}")
    rest = url[len(_URL_PREFIX):]
    if rest == ":memory:":
        return None
    if not rest.strip() or rest.endswith("/"):
        raise InvalidInputError(f"invalid SQLite URL {url!r}: no database file given; {_URL_HELP}")
    if "?" in rest or "#" in rest:
        raise InvalidInputError(
            f"invalid SQLite URL {url!r}: query strings and fragments are not supported; "
            f"{_URL_HELP}")
    return Path(rest)


def _connect(path: Path | None) -> sqlite3.Connection:
    target = ":memory:" if path is None else str(path)
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False, cached_statements=256)
    except OSError as exc:
        raise StoreUnavailableError(f"cannot create the directory of {target}: {exc}") from exc
    except sqlite3.Error as exc:
        raise _translate(exc, f"open {target}") from exc
    try:
        with _sqlite_errors(f"configure {target}"):
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA secure_delete = ON")
            if path is not None:
                conn.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        conn.close()
        raise
    return conn

