"""The Neo4j adapter: asof's production backend (Neo4j 5.26, Community Edition is enough).

``Neo4jStore(driver, tenant=..., database="neo4j")`` wraps a live ``neo4j.Driver``;
:meth:`Neo4jStore.from_url` opens one. Every statement is a named file in ``cypher/`` loaded
through :func:`cypher.load`; values are always parameters. The schema (uniqueness constraints,
range and full-text indexes) lives in ``cypher/schema/NNNN_*.cypher``, applied in order by
:meth:`Neo4jStore.migrate` and recorded as ``(:SchemaMigration {name})`` nodes.

The graph (every node and relationship carries ``tenant``; ids are generated, never
``elementId``):

- ``(:Fact)``: one node per fact version (reified), with every stored field of
  :class:`~graph.models.FactVersion`; instants are integer microseconds since the epoch and open
  ends the ``MIN_US``/``MAX_US`` sentinels of :mod:`graph.instants`, never NULL, so an as-of read
  is a handful of integer range tests on an index seek (a NULL ``valid_to`` would silently fail
  ``valid_to > $t``). ``(:Fact)-[:SUBJECT]->(:Entity)``, ``-[:OBJECT]->(:Entity)``; the entity
  names are copied onto the version for the full-text index.
- ``(:Claim)``: the claims the valid-time view is derived from;
  ``(:Claim)-[:FROM]->(:Episode)``, and provenance ``(:Fact)-[:SOURCE {claim_id, episode_id,
  recorded_at}]->(:Claim)`` (a claim without an episode, e.g. from expiry, still links).
- ``(:Episode)``, ``(:Entity)`` (aliases as an ordered list property, plus ``(:Alias)`` nodes
  for lookups by normalised alias), ``(:AuditEvent)`` and one ``(:AuditHead {tenant})`` per
  tenant.

Writes: :meth:`Neo4jStore.run_write` runs the base's ``work`` in ``session.execute_write`` (a
managed transaction the driver may retry; ``work`` re-reads everything, and writes MERGE on
generated ids). ``lock_head`` MERGEs the tenant's audit head and sets a property on it, taking
its write lock until commit: writers of one tenant are serialised, writers of different tenants
are not. Each kind of row is written with one ``UNWIND`` statement.

Erased episodes keep their node (id, speaker, times) but lose their text and metadata; they are
read back with the text :data:`ERASED_TEXT` and never match a search.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final, LiteralString, Protocol, TypeVar

import neo4j
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Session,
)
from neo4j import exceptions as neo4j_errors

from asof import cypher
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
    AsofError,
    IntegrityError,
    InvalidInputError,
    StoreError,
    StoreUnavailableError,
)
from asof.graph.ids import canonical_json, normalize_name, validate_tenant
from asof.graph.instants import (
    MAX_US,
    MIN_US,
    end_us,
    from_us,
    from_us_from_start,
    from_us_to_end,
    start_us,
    to_us,
)
from asof.graph.models import (
    AuditAction,
    AuditEvent,
    Basis,
    Claim,
    Entity,
    Episode,
    FactVersion,
    Granularity,
    Role,
)
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

__all__ = ["ERASED_TEXT", "Neo4jStore", "Tracer", "params_shape"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The text an erased (redacted) episode is read back with.
ERASED_TEXT: Final = "[erased]"

_SUPPORTED: Final = frozenset(
    {Capability.FULLTEXT, Capability.CONCURRENT_WRITERS, Capability.EXPLAIN})

_URL_SCHEMES: Final = ("neo4j://", "neo4j+s://", "neo4j+ssc://",
                       "bolt://", "bolt+s://", "bolt+ssc://")

#: ``LIMIT`` when a query has none (Cypher's LIMIT needs a number).
_NO_LIMIT: Final = MAX_US

#: Auto-commit reads: attempts on retryable errors, and the first back-off.
_READ_ATTEMPTS: Final = 4
_READ_BACKOFF_S: Final = 0.2

#: How long migrate() waits for new indexes to come online.
INDEX_TIMEOUT_S: Final = 300

#: Search: terms are runs of letters/digits (everything else, Lucene syntax included, is
#: dropped), each quoted; at most this many.
_SEARCH_TERM = re.compile(r"[^\W_]+")
_MAX_SEARCH_TERMS: Final = 32
_FACT_FIELDS: Final = ("subject_name", "predicate", "object_name", "object_value", "evidence")
_EPISODE_FIELDS: Final = ("text",)
#: Full-text candidates fetched before the temporal filter; grown 8x while the filter leaves
#: fewer than ``limit`` hits and the index has more, up to the maximum.
_MIN_CANDIDATES: Final = 100
_MAX_CANDIDATES: Final = 100_000

#: Schema errors that mean "someone else created it first" (concurrent migrations).
_ALREADY_EXISTS: Final = ("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists",
                          "IndexAlreadyExists")


# ------------------------------------------------------------------------------------ tracing


class Tracer(Protocol):
    """Sees every statement the store runs: its name (``"read/versions_by_subject"``), the shape
    of its parameters (names → types and lengths, never values: see :func:`params_shape`) and
    how long it took, including fetching its records."""

    def __call__(self, name: str, params_shape: dict[str, str], duration_s: float) -> None: ...


def _shape(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return f"str[{len(value)}]"
    if isinstance(value, Mapping):
        return f"map[{len(value)}]"
    if isinstance(value, Sequence):
        return f"list[{len(value)}]"
    return type(value).__name__


def params_shape(params: Mapping[str, object]) -> dict[str, str]:
    """``{"tenant": "str[14]", "ids": "list[3]", "limit": "int"}``: what a tracer may see."""
    return {name: _shape(value) for name, value in params.items()}


# ------------------------------------------------------------------------------------- errors


def _translate(exc: Exception, action: str) -> StoreError:
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return StoreUnavailableError(f"{action}: Neo4j cannot be reached; retry later ({exc})")
    if isinstance(exc, neo4j_errors.ConstraintError):
        return IntegrityError(f"{action}: constraint violated ({exc}); nothing was written")
    if isinstance(exc, neo4j_errors.TransientError):
        return StoreUnavailableError(
            f"{action}: Neo4j reported a transient error and retries ran out; retry later "
            f"({exc})")
    return StoreError(f"{action}: Neo4j error ({exc})")


@contextmanager
def _driver_errors(action: str) -> Iterator[None]:
    """Translate driver errors into the project's tree; AsofErrors pass through unchanged."""
    try:
        yield
    except AsofError:
        raise
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
        raise _translate(exc, action) from exc


# --------------------------------------------------------------------------- value translation


def _granularity(value: str | None) -> Granularity | None:
    return None if value is None else Granularity(value)


def _episode_ids(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v is not None}))


def _version(p: Mapping[str, Any], episode_ids: Iterable[str | None] = (), *,
             bare: bool = False) -> FactVersion:
    """A stored ``(:Fact)`` as a version; ``bare`` leaves out the read-side enrichments (what
    the write planner reads)."""
    # Rows were validated on the way in; model_construct skips re-validating them on every read.
    return FactVersion.model_construct(
        version_id=p["version_id"], tenant=p["tenant"], fact_key=p["fact_key"],
        subject_id=p["subject_id"], predicate=p["predicate"], object_id=p.get("object_id"),
        object_value=p.get("object_value"), valid_from=from_us_from_start(p["valid_from"]),
        valid_to=from_us_to_end(p["valid_to"]), valid_from_basis=Basis(p["valid_from_basis"]),
        granularity=_granularity(p.get("granularity")), recorded_at=from_us(p["recorded_at"]),
        superseded_at=from_us_to_end(p["superseded_at"]), supersedes=p.get("supersedes"),
        expires_at=from_us_to_end(p["expires_at"]), extractor=p["extractor"],
        confidence=p["confidence"], evidence=p.get("evidence"),
        episode_ids=() if bare else _episode_ids(episode_ids),
        subject_name=None if bare else p.get("subject_name"),
        object_name=None if bare else p.get("object_name"),
    )


def _version_row(v: FactVersion) -> dict[str, Any]:
    return {
        "version_id": v.version_id, "subject_id": v.subject_id, "object_id": v.object_id,
        "props": {
            "fact_key": v.fact_key, "subject_id": v.subject_id, "predicate": v.predicate,
            "object_id": v.object_id, "object_value": v.object_value,
            "valid_from": start_us(v.valid_from), "valid_to": end_us(v.valid_to),
            "valid_from_basis": v.valid_from_basis.value,
            "granularity": None if v.granularity is None else v.granularity.value,
            "recorded_at": to_us(v.recorded_at), "superseded_at": end_us(v.superseded_at),
            "supersedes": v.supersedes, "expires_at": end_us(v.expires_at),
            "extractor": v.extractor, "confidence": float(v.confidence), "evidence": v.evidence,
        },
    }


def _claim(p: Mapping[str, Any]) -> Claim:
    return Claim.model_construct(
        claim_id=p["claim_id"], tenant=p["tenant"], subject_id=p["subject_id"],
        predicate=p["predicate"], object_key=p["object_key"], object_id=p.get("object_id"),
        object_value=p.get("object_value"), retraction=bool(p["retraction"]),
        valid_from=from_us_from_start(p["valid_from"]), valid_to=from_us_to_end(p["valid_to"]),
        basis=Basis(p["basis"]), granularity=_granularity(p.get("granularity")),
        observed_at=from_us(p["observed_at"]), episode_id=p.get("episode_id"),
        recorded_at=from_us(p["recorded_at"]), superseded_at=from_us_to_end(p["superseded_at"]),
        confidence=p["confidence"], evidence=p.get("evidence"), extractor=p["extractor"],
    )


def _claim_row(c: Claim) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id, "episode_id": c.episode_id,
        "props": {
            "subject_id": c.subject_id, "predicate": c.predicate, "object_key": c.object_key,
            "object_id": c.object_id, "object_value": c.object_value,
            "retraction": c.retraction, "valid_from": start_us(c.valid_from),
            "valid_to": end_us(c.valid_to), "basis": c.basis.value,
            "granularity": None if c.granularity is None else c.granularity.value,
            "observed_at": to_us(c.observed_at), "episode_id": c.episode_id,
            "recorded_at": to_us(c.recorded_at), "superseded_at": end_us(c.superseded_at),
            "confidence": float(c.confidence), "evidence": c.evidence,
            "extractor": c.extractor,
        },
    }


def _episode(p: Mapping[str, Any]) -> Episode:
    redacted = bool(p.get("redacted"))
    return Episode.model_construct(
        id=p["id"], tenant=p["tenant"], conversation_id=p["conversation_id"],
        speaker=p["speaker"], role=Role(p["role"]), occurred_at=from_us(p["occurred_at"]),
        text=ERASED_TEXT if redacted else p["text"],
        ingested_at=from_us_from_start(p["ingested_at"]), metadata=json.loads(p["metadata"]),
    )


def _episode_row(e: Episode) -> dict[str, Any]:
    return {
        "id": e.id,
        "props": {
            "conversation_id": e.conversation_id, "speaker": e.speaker, "role": e.role.value,
            "occurred_at": to_us(e.occurred_at), "text": e.text,
            "ingested_at": start_us(e.ingested_at), "metadata": canonical_json(e.metadata),
            "redacted": False,
        },
    }


def _entity(r: Mapping[str, Any]) -> Entity:
    return Entity.model_construct(id=r["id"], tenant=r["tenant"], name=r["name"], type=r["type"],
                                  aliases=tuple(r["aliases"] or ()))


def _event(p: Mapping[str, Any]) -> AuditEvent:
    return AuditEvent.model_construct(
        seq=p["seq"], tenant=p["tenant"], at=from_us(p["at"]), actor=p["actor"],
        action=AuditAction(p["action"]), targets=tuple(p.get("targets") or ()),
        superseded=tuple(p.get("superseded") or ()), episode_id=p.get("episode_id"),
        fact_key=p.get("fact_key"), reason=p.get("reason"), content_hash=p["content_hash"],
        prev_hash=p["prev_hash"], hash=p["hash"], signature=p.get("signature"),
    )


def _event_row(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "props": {
            "at": to_us(e.at), "actor": e.actor, "action": e.action.value,
            "targets": list(e.targets), "superseded": list(e.superseded),
            "episode_id": e.episode_id, "fact_key": e.fact_key, "reason": e.reason,
            "content_hash": e.content_hash, "prev_hash": e.prev_hash, "hash": e.hash,
            "signature": e.signature,
        },
    }


def _source_row(s: Source) -> dict[str, Any]:
    return {"version_id": s.version_id, "claim_id": s.claim_id, "episode_id": s.episode_id,
            "recorded_at": to_us(s.recorded_at)}


def _in_order(ids: Sequence[str], found: dict[str, T]) -> list[T]:
    """``found`` in the order of ``ids`` (first occurrence), unknown ids skipped."""
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _version_order(v: FactVersion) -> tuple[int, int, str]:
    return (start_us(v.valid_from), to_us(v.recorded_at), v.version_id)


def _claim_order(c: Claim) -> tuple[int, str]:
    return (to_us(c.recorded_at), c.claim_id)


def _version_statement(q: VersionQuery) -> LiteralString:
    """The named statement whose index seek serves ``q`` (the other filters are residual)."""
    if q.fact_key is not None:
        return "read/versions_by_fact_key"
    if q.subject_id is not None:
        if q.predicate is not None:
            return "read/versions_by_subject_predicate"
        return "read/versions_by_subject"
    if q.entity_id is not None:
        return "read/versions_by_entity"
    if q.object_id is not None:
        return "read/versions_by_object"
    if q.object_value is not None:
        return "read/versions_by_value"
    if q.predicate is not None:
        return "read/versions_by_predicate"
    return "read/versions_all"


def _version_params(q: VersionQuery) -> dict[str, Any]:
    """The parameters of every ``read/versions_*`` statement. Unset bounds become the
    sentinels, so each bound is always the same integer range test (no NULL logic)."""
    if q.limit is not None and q.limit < 0:
        raise InvalidInputError(f"limit: must be >= 0, got {q.limit}")
    valid = None if q.valid_at is None else to_us(q.valid_at)
    known = None if q.known_at is None else to_us(q.known_at)
    return {
        "subject_id": q.subject_id, "predicate": q.predicate, "object_id": q.object_id,
        "object_value": q.object_value, "fact_key": q.fact_key, "entity_id": q.entity_id,
        "valid_hi": MAX_US if valid is None else valid,
        "valid_lo": MIN_US if valid is None else valid,
        "known_hi": MAX_US if known is None else known,
        "known_lo": MIN_US if known is None else known,
        "live_at": MIN_US if q.live_at is None else to_us(q.live_at),
        "limit": _NO_LIMIT if q.limit is None else q.limit,
    }


def lucene_query(tenant: str, fields: Sequence[str], text: str) -> str | None:
    """A safe Lucene query for plain user text: the letter/digit runs of ``text``, each quoted
    (so Lucene syntax in the input — quotes, ``*``, ``~``, ``AND``, parentheses, field names —
    is only ever words), ORed over ``fields``, and required to be in ``tenant``. ``None`` when
    the text has no searchable term."""
    terms = list(dict.fromkeys(_SEARCH_TERM.findall(text)))[:_MAX_SEARCH_TERMS]
    if not terms:
        return None
    # Terms hold only letters and digits and tenants only [A-Za-z0-9_.-]: nothing to escape
    # inside "...".
    quoted = " ".join(f'"{term}"' for term in terms)
    clauses = " ".join(f"{field}:({quoted})" for field in fields)
    return f'+tenant:"{validate_tenant(tenant)}" +({clauses})'


def plan_operators(plan: Mapping[str, Any] | None) -> list[str]:
    """The operators of a driver plan (``result.consume().plan``), depth first, each as
    ``"NodeIndexSeek RANGE INDEX f:Fact(tenant, ...) WHERE ..."``."""
    out: list[str] = []

    def walk(node: Mapping[str, Any]) -> None:
        operator = str(node.get("operatorType", "?")).split("@", 1)[0]
        details = node.get("args", {}).get("Details", "")
        out.append(f"{operator} {details}".strip())
        for child in node.get("children", ()):
            walk(child)

    if plan:
        walk(plan)
    return out


# ------------------------------------------------------------------------------------ running


class _Runner:
    """Runs named statements on a session or a transaction, through the tracer."""

    def __init__(self, tenant: str, tracer: Tracer | None) -> None:
        self.tenant = tenant
        self.tracer = tracer

    def run(self, target: Session | ManagedTransaction, name: str, /,
            **params: Any) -> list[neo4j.Record]:
        query = cypher.load(name)
        params["tenant"] = self.tenant
        started = time.perf_counter()
        # Not translated here: inside a transaction function the driver must see its own
        # errors to retry transient ones. The store's entry points translate.
        records = list(target.run(query, params))
        if self.tracer is not None:
            self.tracer(name, params_shape(params), time.perf_counter() - started)
        return records


# -------------------------------------------------------------------------------- the store


class Neo4jStore(GraphStore):
    """A :class:`~graph.store.GraphStore` on a Neo4j 5 database.

    Args:
        driver: a live ``neo4j.Driver`` (thread-safe; every call opens its own session). The
            constructor does no I/O: call :meth:`migrate` (or use :meth:`from_url`) before the
            first read or write.
        database: the database to use (Community Edition has one: ``"neo4j"``).
        tenant, clock, registry, audit_key: see :class:`~graph.store.GraphStore`.
        tracer: sees every statement's name, parameter shape and duration (:class:`Tracer`).
    """

    def __init__(
        self,
        driver: Driver,
        *,
        tenant: str,
        database: str = "neo4j",
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        super().__init__(tenant=tenant, clock=clock, registry=registry, audit_key=audit_key)
        self._driver = driver
        self._database = database
        self.tracer = tracer
        self._owns_driver = False

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        tenant: str,
        user: str,
        password: str,
        database: str = "neo4j",
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        tracer: Tracer | None = None,
        migrate: bool = True,
        **driver_config: Any,
    ) -> Neo4jStore:
        """Open a driver on ``neo4j://…`` or ``bolt://…`` (``+s``/``+ssc`` for TLS) and, unless
        ``migrate=False``, apply pending migrations (which is the first I/O, and fails with
        :class:`StoreUnavailableError` if the server does not answer). ``driver_config`` goes
        to ``GraphDatabase.driver``. :meth:`close` closes the driver."""
        validate_tenant(tenant)
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES):
            raise InvalidInputError(
                f"invalid Neo4j URL {url!r}: use neo4j://host:7687 or bolt://host:7687 "
                "(neo4j+s:// / bolt+s:// for TLS)")
        with _driver_errors(f"open {url}"):
            driver = GraphDatabase.driver(url, auth=(user, password), **driver_config)
        try:
            store = cls(driver, tenant=tenant, database=database, clock=clock,
                        registry=registry, audit_key=audit_key, tracer=tracer)
            store._owns_driver = True
            if migrate:
                store.migrate()
        except BaseException:
            driver.close()
            raise
        return store

    # ------------------------------------------------------------------------------ plumbing

    @property
    def driver(self) -> Driver:
        return self._driver

    @property
    def database(self) -> str:
        return self._database

    def _session(self) -> Session:
        # Notifications off: they are advice for humans at a console (and the driver would turn
        # them into Python warnings); the EXPLAIN tests check the plans instead.
        return self._driver.session(
            database=self._database,
            notifications_min_severity=NotificationMinimumSeverity.OFF,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _runner(self) -> _Runner:
        return _Runner(self.tenant, self.tracer)

    def _read(self, name: LiteralString, **params: Any) -> list[neo4j.Record]:
        """Run one named read statement as an auto-commit query: one round trip (RUN and PULL
        pipelined) where a managed transaction needs two (BEGIN+RUN+PULL, then COMMIT) — the
        difference is most of an as-of read's latency. A single statement sees one consistent
        snapshot either way. Errors the driver classifies as retryable (a server restarting, a
        transient failure) are retried a few times, with a short back-off, like
        ``execute_read`` would."""
        runner = self._runner()
        with _driver_errors(name):
            for attempt in range(_READ_ATTEMPTS):
                try:
                    with self._session() as session:
                        return runner.run(session, name, **params)
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                    if not exc.is_retryable() or attempt + 1 == _READ_ATTEMPTS:
                        raise
                    logger.debug("%s: retrying after %s", name, exc)
                    time.sleep(_READ_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def supports(self, capability: Capability) -> bool:
        return capability in _SUPPORTED

    def close(self) -> None:
        """Close the driver if this store opened it (:meth:`from_url`); a driver passed to the
        constructor belongs to the caller. Affects every ``for_tenant`` clone."""
        if self._owns_driver:
            self._driver.close()

    def migrate(self) -> list[str]:
        """Apply the schema migrations not yet recorded in the database, in order, and wait for
        the indexes to be online. Safe to run concurrently from several processes (every
        statement is ``IF NOT EXISTS``; a lost creation race is ignored)."""
        applied: list[str] = []
        runner = self._runner()
        with _driver_errors("migrate"), self._session() as session:
            done = {r["name"] for r in runner.run(session, "schema/applied_migrations")}
            for name in cypher.migrations():
                short = name.split("/", 1)[1]
                if short in done:
                    continue
                for index, statement in enumerate(cypher.statements(name)):
                    self._schema_statement(session, f"{name}#{index + 1}", statement)
                runner.run(session, "schema/record_migration", name=short,
                           applied_at=to_us(self.clock.now()))
                applied.append(short)
            runner.run(session, "schema/await_indexes", timeout_s=INDEX_TIMEOUT_S)
        if applied:
            logger.info("applied Neo4j migrations %s", applied)
        return applied

    def _schema_statement(self, session: Session, name: str, statement: LiteralString) -> None:
        started = time.perf_counter()
        try:
            session.run(statement).consume()
        except neo4j_errors.ClientError as exc:
            if not any(code in (exc.code or "") for code in _ALREADY_EXISTS):
                raise
            logger.debug("%s: already created concurrently (%s)", name, exc.code)
        if self.tracer is not None:
            self.tracer(name, {}, time.perf_counter() - started)

    def run_write(self, work: Callable[[WriteTx], T]) -> T:
        runner = self._runner()

        def transaction(mtx: ManagedTransaction) -> T:
            tx = _Neo4jTx(mtx, runner)
            try:
                return work(tx)
            finally:
                tx.closed = True

        with _driver_errors("write"), self._session() as session:
            return session.execute_write(transaction)

    def explain(self, name: str, **params: Any) -> list[str]:
        """The operators of the plan Neo4j picks for statement ``name`` (``EXPLAIN``: nothing
        runs), e.g. to check that an index seek is used."""
        query = cypher.load(name)
        params["tenant"] = self.tenant
        with _driver_errors(f"explain {name}"), self._session() as session:
            result = session.run("EXPLAIN " + query, params)
            plan = result.consume().plan
        return plan_operators(plan)

    def explain_versions(self, query: VersionQuery) -> list[str]:
        """The plan operators of :meth:`find_versions` for ``query``."""
        return self.explain(_version_statement(query), **_version_params(query))

    # --------------------------------------------------------------------------------- reads

    def find_versions(self, query: VersionQuery) -> list[FactVersion]:
        records = self._read(_version_statement(query), **_version_params(query))
        return [_version(r["version"], r["episode_ids"]) for r in records]

    def get_versions(self, version_ids: Sequence[str]) -> list[FactVersion]:
        """Versions by id, in the order of ``version_ids``; unknown ids are skipped."""
        if not version_ids:
            return []
        records = self._read("read/versions_by_id", ids=list(dict.fromkeys(version_ids)))
        found = {r["version"]["version_id"]: _version(r["version"], r["episode_ids"])
                 for r in records}
        return _in_order(version_ids, found)

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """Claims by id, in the order of ``claim_ids``; unknown ids are skipped."""
        if not claim_ids:
            return []
        records = self._read("read/claims_by_id", ids=list(dict.fromkeys(claim_ids)))
        return _in_order(claim_ids, {r["claim"]["claim_id"]: _claim(r["claim"])
                                     for r in records})

    def find_claims(self, subject_id: str, predicate: str | None = None) -> list[Claim]:
        records = self._read("read/claims_by_subject", subject_id=subject_id,
                             predicate=predicate)
        return [_claim(r["claim"]) for r in records]

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        """Entities by id, in the order of ``entity_ids``; unknown ids are skipped."""
        if not entity_ids:
            return []
        records = self._read("read/entities_by_id", ids=list(dict.fromkeys(entity_ids)))
        return _in_order(entity_ids, {r["id"]: _entity(r) for r in records})

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose normalised name or a normalised alias is in ``keys`` (already
        normalised with :func:`graph.ids.normalize_name`), ordered by (name, id)."""
        if not keys:
            return []
        return [_entity(r) for r in self._read("read/entities_by_key",
                                               keys=list(dict.fromkeys(keys)))]

    def list_entities(self, limit: int = 100, offset: int = 0) -> list[Entity]:
        if limit < 0 or offset < 0:
            raise InvalidInputError("limit and offset must be >= 0")
        return [_entity(r) for r in self._read("read/entities_list", limit=limit,
                                               offset=offset)]

    def get_episodes(self, episode_ids: Sequence[str]) -> list[Episode]:
        """Episodes by id, in the order of ``episode_ids``; unknown ids are skipped. Erased
        episodes come back with the text :data:`ERASED_TEXT` and empty metadata."""
        if not episode_ids:
            return []
        records = self._read("read/episodes_by_id", ids=list(dict.fromkeys(episode_ids)))
        return _in_order(episode_ids, {r["episode"]["id"]: _episode(r["episode"])
                                       for r in records})

    def audit_events(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        end = MAX_US if end_seq is None else end_seq
        records = self._read("read/audit_events", start_seq=start_seq, end_seq=end)
        return [_event(r["event"]) for r in records]

    def search(self, text: str, *, limit: int = 10, valid_at: datetime | None = None,
               known_at: datetime | None = None) -> list[SearchHit]:
        """Full-text search (Lucene) over episode text and facts (entity names, predicate,
        literal value, evidence). Terms are the letter/digit runs of ``text``, each quoted (so
        Lucene syntax in the input is just words) and ORed. Fact hits are filtered by
        ``valid_at`` (``None``: any valid time) and ``known_at`` (``None``: current versions
        only) in the query, before the limit; episode hits by ``known_at`` (ingested by then).
        Score: Lucene's, higher is better."""
        if limit < 0:
            raise InvalidInputError(f"limit: must be >= 0, got {limit}")
        if not isinstance(text, str):
            raise InvalidInputError(f"text: expected a string, got {type(text).__name__}")
        fact_query = lucene_query(self.tenant, _FACT_FIELDS, text)
        episode_query = lucene_query(self.tenant, _EPISODE_FIELDS, text)
        if fact_query is None or episode_query is None or limit == 0:
            return []
        valid = None if valid_at is None else to_us(valid_at)
        # known_at None: current versions only (superseded_at = MAX_US > MAX_US - 1).
        known = MAX_US - 1 if known_at is None else to_us(known_at)
        fact_rows = self._search("read/search_facts", fact_query, limit,
                                 valid_hi=MAX_US if valid is None else valid,
                                 valid_lo=MIN_US if valid is None else valid,
                                 known_hi=known, known_lo=known)
        episode_rows = self._search("read/search_episodes", episode_query, limit,
                                    ingested_by=MAX_US if known_at is None else known)
        hits = [self._fact_hit(row) for row in fact_rows]
        hits += [SearchHit(kind="episode", id=row["episode"]["id"], score=float(row["score"]),
                           text=row["episode"]["text"], episode=_episode(row["episode"]))
                 for row in episode_rows]
        hits.sort(key=lambda hit: (-hit.score, hit.kind, hit.id))
        return hits[:limit]

    def _search(self, name: LiteralString, query: str, limit: int,
                **params: Any) -> list[Mapping[str, Any]]:
        candidates = max(_MIN_CANDIDATES, limit * 10)
        while True:
            records = self._read(name, query=query, candidates=candidates, limit=limit,
                                 **params)
            seen, rows = records[0]["seen"], records[0]["rows"]
            if len(rows) >= limit or seen < candidates or candidates >= _MAX_CANDIDATES:
                return list(rows)
            candidates = min(candidates * 8, _MAX_CANDIDATES)

    @staticmethod
    def _fact_hit(row: Mapping[str, Any]) -> SearchHit:
        version = _version(row["version"], row["episode_ids"])
        subject = version.subject_name or version.subject_id
        text = f"{subject} {version.predicate} {version.object_label}"
        return SearchHit(kind="fact", id=version.version_id, score=float(row["score"]),
                         text=text, version=version)


# ------------------------------------------------------------------------ write transaction


class _Neo4jTx:
    """The :class:`~graph.contract.WriteTx` of one managed write transaction.

    Round trips dominate a write, so the current claims and versions of every entity the
    planner looks up (``find_entities``, called once with every name of the batch) are
    prefetched in one statement; ``current_claims``/``current_versions`` of a prefetched
    subject are then answered from memory, others with one statement per group. The cache is
    only valid until this transaction writes (the head lock keeps other writers out)."""

    def __init__(self, tx: ManagedTransaction, runner: _Runner) -> None:
        self._tx = tx
        self._runner = runner
        self._tenant = runner.tenant
        self.closed = False
        #: subject_id -> (claims by predicate, versions by predicate), complete for the subject
        self._subjects: dict[str, tuple[dict[str, list[Claim]],
                                        dict[str, list[FactVersion]]]] = {}
        #: (subject_id, predicate) -> (claims, versions)
        self._groups: dict[tuple[str, str], tuple[list[Claim], list[FactVersion]]] = {}
        #: True once find_entities prefetched every entity the planner can use as a subject
        self._prefetched = False

    def _run(self, name: LiteralString, **params: Any) -> list[neo4j.Record]:
        if self.closed:
            raise StoreError(f"{name}: this write transaction has already ended")
        return self._runner.run(self._tx, name, **params)

    def _forget_cache(self) -> None:
        self._subjects.clear()
        self._groups.clear()
        self._prefetched = False

    def lock_head(self) -> AuditHead | None:
        records = self._run("write/lock_head")
        row: neo4j.Record | None = records[0]
        if row is not None and row["seq"] is None and row["hint"]:
            # Events at or after the hint are gone (removed behind the chain's back): the
            # latest surviving event is the head, as in every other backend.
            records = self._run("write/latest_event")
            row = records[0] if records else None
        if row is None or row["seq"] is None:
            return None
        return AuditHead(seq=row["seq"], hash=row["hash"], at=from_us(row["at"]))

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        if not episode_ids:
            return set()
        return {r["id"] for r in self._run("write/existing_episodes",
                                           ids=list(dict.fromkeys(episode_ids)))}

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        if not keys:
            return []
        found = [_entity(r) for r in self._run("read/entities_by_key",
                                               keys=list(dict.fromkeys(keys)))]
        self._prefetch([e.id for e in found if e.id not in self._subjects])
        self._prefetched = True
        return found

    def _prefetch(self, subject_ids: Sequence[str]) -> None:
        if not subject_ids:
            return
        for r in self._run("write/current_of_subjects", subject_ids=list(subject_ids),
                           open=MAX_US):
            claims: dict[str, list[Claim]] = {}
            versions: dict[str, list[FactVersion]] = {}
            for p in r["claims"]:
                claims.setdefault(p["predicate"], []).append(_claim(p))
            for p in r["versions"]:
                versions.setdefault(p["predicate"], []).append(_version(p, bare=True))
            self._subjects[r["subject_id"]] = (claims, versions)

    def _group(self, subject_id: str, predicate: str) -> tuple[list[Claim], list[FactVersion]]:
        cached = self._subjects.get(subject_id)
        if cached is not None:
            claims, versions = cached[0].get(predicate, []), cached[1].get(predicate, [])
        elif self._prefetched:
            # The planner resolves every subject of the batch through find_entities (one call
            # with every name); a subject it did not find is an entity this batch creates, and
            # a subject without an entity node has no claims or versions (entities are written
            # with their first claim and erased with all of them).
            claims, versions = [], []
        else:
            group = self._groups.get((subject_id, predicate))
            if group is None:
                row = self._run("write/current_of_group", subject_id=subject_id,
                                predicate=predicate, open=MAX_US)[0]
                group = ([_claim(p) for p in row["claims"]],
                         [_version(p, bare=True) for p in row["versions"]])
                self._groups[(subject_id, predicate)] = group
            claims, versions = group
        return sorted(claims, key=_claim_order), sorted(versions, key=_version_order)

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        return self._group(subject_id, predicate)[0]

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        return self._group(subject_id, predicate)[1]

    def expired_versions(self, now: datetime) -> list[FactVersion]:
        return [_version(r["version"], bare=True)
                for r in self._run("write/expired_versions", open=MAX_US, now=to_us(now))]

    def mentions(self, entity_id: str, names: Sequence[str]) -> tuple[
            list[str], list[str], list[str]]:
        episode_ids: set[str] = set()
        version_ids = set()
        for r in self._run("write/mentioned_versions", entity_id=entity_id):
            version_ids.add(r["id"])
            episode_ids.update(i for i in r["episode_ids"] if i is not None)
        claim_ids = set()
        for r in self._run("write/mentioned_claims", entity_id=entity_id):
            claim_ids.add(r["id"])
            episode_ids.update(i for i in (r["episode_id"], *r["episode_ids"]) if i is not None)
        # Case-insensitive substring match in Python (str.casefold), the same everywhere;
        # Cypher's toLower differs on some scripts, and erasure must not under-match.
        folded = [name.casefold() for name in names if name.strip()]
        if folded:
            for r in self._run("write/episode_texts"):
                haystack = r["text"].casefold()
                if any(name in haystack for name in folded):
                    episode_ids.add(r["id"])
        return sorted(version_ids), sorted(claim_ids), sorted(episode_ids)

    def sourced_from(self, episode_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        if not episode_ids:
            return [], []
        row = self._run("write/sourced_from", episode_ids=list(dict.fromkeys(episode_ids)))[0]
        return sorted(row["version_ids"]), sorted(row["claim_ids"])

    def _check_tenant(self, rows: Iterable[Episode | Entity | Claim | FactVersion | AuditEvent],
                      ) -> None:
        for row in rows:
            if row.tenant != self._tenant:
                raise InvalidInputError(
                    f"{type(row).__name__} of tenant {row.tenant!r} written in a transaction of "
                    f"tenant {self._tenant!r}")

    def _count(self, name: LiteralString, column: str, expected: int, **params: Any) -> None:
        records = self._run(name, **params)
        got = records[0][column] if records else 0
        if got != expected:
            raise IntegrityError(
                f"{name}: expected {expected} rows, got {got} (a closed or unknown id was "
                "listed, or the write lock was not taken); nothing was written")

    def write(self, batch: WriteBatch) -> None:
        for rows in (batch.episodes, batch.entities, batch.claims, batch.versions,
                     batch.events):
            self._check_tenant(rows)
        try:
            closing_versions, closing_claims = batch.closings()
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        self._forget_cache()
        # Close existing rows first, so a row inserted by this batch is never touched.
        if closing_versions:
            self._count("write/close_versions", "closed", len(closing_versions),
                        rows=[{"id": i, "at": to_us(at)} for i, at in closing_versions],
                        open=MAX_US)
        if closing_claims:
            self._count("write/close_claims", "closed", len(closing_claims),
                        rows=[{"id": i, "at": to_us(at)} for i, at in closing_claims],
                        open=MAX_US)
        if batch.episodes:
            self._run("write/merge_episodes", rows=[_episode_row(e) for e in batch.episodes])
        if batch.entities:
            self._run("write/merge_entities", rows=[
                {"id": e.id, "name": e.name, "type": e.type, "norm_name": normalize_name(e.name)}
                for e in batch.entities])
        aliases = [(e.id, alias) for e in batch.entities for alias in e.aliases]
        aliases += batch.aliases
        if aliases:
            self._run("write/merge_aliases", rows=[
                {"entity_id": entity_id, "alias": alias, "norm_alias": normalize_name(alias)}
                for entity_id, alias in dict.fromkeys(aliases)])
        if batch.claims:
            self._run("write/merge_claims", rows=[_claim_row(c) for c in batch.claims])
        if batch.versions:
            self._count("write/merge_facts", "written", len(batch.versions),
                        rows=[_version_row(v) for v in batch.versions])
        if batch.sources:
            unique: dict[tuple[str, str], Source] = {}
            for s in batch.sources:  # the first link of a pair wins, as with MERGE
                unique.setdefault((s.version_id, s.claim_id), s)
            sources = list(unique.values())
            self._count("write/link_sources", "linked", len(sources),
                        rows=[_source_row(s) for s in sources])
        if batch.events:
            self._count("write/create_events", "written", len(batch.events),
                        rows=[_event_row(e) for e in batch.events])

    def erase(self, erasure: Erasure) -> None:
        self._check_tenant([erasure.event])
        self._forget_cache()
        self._run("write/erase_entities", ids=list(erasure.entity_ids))
        self._run("write/erase_versions", ids=list(erasure.version_ids))
        self._run("write/erase_claims", ids=list(erasure.claim_ids))
        self._run("write/redact_versions", ids=list(erasure.redacted_version_ids))
        self._run("write/redact_claims", ids=list(erasure.redacted_claim_ids))
        self._run("write/redact_episodes", ids=list(erasure.episode_ids), erased="[erased]")
        self._count("write/create_events", "written", 1, rows=[_event_row(erasure.event)])
