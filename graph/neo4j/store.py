"""The Neo4j store: :class:`Neo4jStore`, its sessions, migrations and reads (the write
transaction is in :mod:`.tx`, row translation in :mod:`.rows`, running statements and tracing
in :mod:`.driver`; the statements themselves in ``cypher/``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, LiteralString, TypeVar

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
from asof.graph.adapter_helpers import check_embedding, in_order, unit_vector
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
from asof.graph.errors import InvalidInputError
from asof.graph.ids import validate_tenant
from asof.graph.instants import MAX_US, MIN_US, to_us
from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion
from asof.graph.neo4j.driver import Runner, Tracer, driver_errors
from asof.graph.neo4j.rows import (
    claim,
    entity,
    episode,
    event,
    lucene_query,
    plan_operators,
    version,
    version_params,
    version_statement,
)
from asof.graph.neo4j.tx import Neo4jTx
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

__all__ = ["INDEX_TIMEOUT_S", "MAX_VECTOR_CANDIDATES", "Neo4jStore"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_SUPPORTED: Final = frozenset(
    {Capability.FULLTEXT, Capability.CONCURRENT_WRITERS, Capability.EXPLAIN, Capability.VECTOR})

_URL_SCHEMES: Final = ("neo4j://", "neo4j+s://", "neo4j+ssc://",
                       "bolt://", "bolt+s://", "bolt+ssc://")

#: How long migrate() waits for new indexes to come online.
INDEX_TIMEOUT_S: Final = 300

#: The fields each search runs over.
_FACT_FIELDS: Final = ("subject_name", "predicate", "object_name", "object_value", "evidence")
_EPISODE_FIELDS: Final = ("text",)
#: Full-text candidates fetched before the temporal filter; grown 8x while the filter leaves
#: fewer than ``limit`` hits and the index has more, up to the maximum.
_MIN_CANDIDATES: Final = 100
_MAX_CANDIDATES: Final = 100_000
#: The most nearest-neighbour candidates asked of the vector index (over every tenant) before
#: an exact scan of the tenant's own vectors takes over (read/vector_scan): a tenant whose
#: vectors are a small part of a shared index is answered exactly, not with too few hits.
MAX_VECTOR_CANDIDATES: Final = 6_400

#: Schema errors that mean "someone else created it first" (concurrent migrations).
_ALREADY_EXISTS: Final = ("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists",
                          "IndexAlreadyExists")


class Neo4jStore(GraphStore):
    """A :class:`~graph.store.GraphStore` on a Neo4j 5 database.

    Args:
        driver: a live ``neo4j.Driver`` (thread-safe; every call opens its own session). The
            constructor does no I/O: call :meth:`migrate` (or use :meth:`from_url`) before the
            first read or write.
        database: the database to use (Community Edition has one: ``"neo4j"``).
        tenant, clock, registry, audit_key, old_audit_keys: see
            :class:`~graph.store.GraphStore`.
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
        old_audit_keys: Sequence[bytes] = (),
        tracer: Tracer | None = None,
    ) -> None:
        super().__init__(tenant=tenant, clock=clock, registry=registry, audit_key=audit_key,
                         old_audit_keys=old_audit_keys)
        self._driver = driver
        self._database = database
        self.tracer = tracer
        self._owns_driver = False
        #: vector search asks the index for at most this many candidates, then scans
        #: (:data:`MAX_VECTOR_CANDIDATES`; 0: always the exact scan, for benchmarks and tests)
        self.max_vector_candidates = MAX_VECTOR_CANDIDATES

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
        old_audit_keys: Sequence[bytes] = (),
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
        with driver_errors(f"open {url}"):
            driver = GraphDatabase.driver(url, auth=(user, password), **driver_config)
        try:
            store = cls(driver, tenant=tenant, database=database, clock=clock,
                        registry=registry, audit_key=audit_key,
                        old_audit_keys=old_audit_keys, tracer=tracer)
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

    def _runner(self) -> Runner:
        return Runner(self.tenant, self.tracer)

    def _read(self, name: LiteralString, **params: Any) -> list[neo4j.Record]:
        """Run one named read statement in a managed read transaction (``execute_read``): on a
        cluster or Aura (``neo4j://`` URLs) the driver routes it to a server that serves reads,
        and it retries the errors it classes as retryable (a server restarting, a leader
        switch, a transient failure) with back-off for up to the driver's
        ``max_transaction_retry_time`` (30 s by default). Every session of this store shares
        the driver's bookmark manager, so a read waits for the writes this process committed
        before it (read-your-writes across requests; docs/scaling.md). The price is one round
        trip more than an auto-commit query (the COMMIT): +0.76 ms per as-of read on the busy
        test machine (docs/benchmarks.md), paid for cluster routing and the driver's retry."""
        runner = self._runner()

        def transaction(tx: ManagedTransaction) -> list[neo4j.Record]:
            return runner.run(tx, name, **params)

        with driver_errors(name), self._session() as session:
            return session.execute_read(transaction)

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
        with driver_errors("migrate"), self._session() as session:
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
            tx = Neo4jTx(mtx, runner)
            try:
                return work(tx)
            finally:
                tx.closed = True

        with driver_errors("write"), self._session() as session:
            return session.execute_write(transaction)

    def explain(self, name: str, **params: Any) -> list[str]:
        """The operators of the plan Neo4j picks for statement ``name`` (``EXPLAIN``: nothing
        runs), e.g. to check that an index seek is used."""
        query = cypher.load(name)
        params["tenant"] = self.tenant
        with driver_errors(f"explain {name}"), self._session() as session:
            result = session.run("EXPLAIN " + query, params)
            plan = result.consume().plan
        return plan_operators(plan)

    def explain_versions(self, query: VersionQuery) -> list[str]:
        """The plan operators of :meth:`find_versions` for ``query``."""
        return self.explain(version_statement(query), **version_params(query))

    # --------------------------------------------------------------------------------- reads

    def find_versions(self, query: VersionQuery) -> list[FactVersion]:
        records = self._read(version_statement(query), **version_params(query))
        return [version(r["version"], r["episode_ids"]) for r in records]

    def find_versions_with_provenance(self, query: VersionQuery
                                      ) -> tuple[list[FactVersion], list[Quote], list[Episode]]:
        """By subject key (the public read by name), versions and provenance in one
        statement; otherwise as the base class (two)."""
        if query.subject_key is None:
            return super().find_versions_with_provenance(query)
        records = self._read(version_statement(query),
                             **version_params(query, with_provenance=True))
        versions: list[FactVersion] = []
        quotes: list[Quote] = []
        episodes: dict[str, Episode] = {}
        for r in records:
            versions.append(version(r["version"], r["episode_ids"]))
            for link in r["links"]:
                _add_link(r["version"]["version_id"], link, quotes, episodes)
        return versions, quotes, list(episodes.values())

    def get_versions(self, version_ids: Sequence[str]) -> list[FactVersion]:
        """Versions by id, in the order of ``version_ids``; unknown ids are skipped."""
        if not version_ids:
            return []
        records = self._read("read/versions_by_id", ids=list(dict.fromkeys(version_ids)))
        found = {r["version"]["version_id"]: version(r["version"], r["episode_ids"])
                 for r in records}
        return in_order(version_ids, found)

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """Claims by id, in the order of ``claim_ids``; unknown ids are skipped."""
        if not claim_ids:
            return []
        records = self._read("read/claims_by_id", ids=list(dict.fromkeys(claim_ids)))
        return in_order(claim_ids, {r["claim"]["claim_id"]: claim(r["claim"])
                                     for r in records})

    def find_claims(self, subject_id: str, predicate: str | None = None) -> list[Claim]:
        records = self._read("read/claims_by_subject", subject_id=subject_id,
                             predicate=predicate)
        return [claim(r["claim"]) for r in records]

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        """Entities by id, in the order of ``entity_ids``; unknown ids are skipped."""
        if not entity_ids:
            return []
        records = self._read("read/entities_by_id", ids=list(dict.fromkeys(entity_ids)))
        return in_order(entity_ids, {r["id"]: entity(r) for r in records})

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose normalised name or a normalised alias is in ``keys`` (already
        normalised with :func:`graph.ids.normalize_name`), ordered by (name, id)."""
        if not keys:
            return []
        return [entity(r) for r in self._read("read/entities_by_key",
                                               keys=list(dict.fromkeys(keys)))]

    def list_entities(self, limit: int = 100, offset: int = 0) -> list[Entity]:
        if limit < 0 or offset < 0:
            raise InvalidInputError("limit and offset must be >= 0")
        return [entity(r) for r in self._read("read/entities_list", limit=limit,
                                               offset=offset)]

    def get_episodes(self, episode_ids: Sequence[str]) -> list[Episode]:
        """Episodes by id, in the order of ``episode_ids``; unknown ids are skipped. Erased
        episodes come back with the text :data:`ERASED_TEXT` and empty metadata."""
        if not episode_ids:
            return []
        records = self._read("read/episodes_by_id", ids=list(dict.fromkeys(episode_ids)))
        return in_order(episode_ids, {r["episode"]["id"]: episode(r["episode"])
                                       for r in records})

    def episodes_around(self, episode_ids: Sequence[str], *, places: int,
                        known_at: datetime | None = None) -> dict[str, list[Episode]]:
        if places < 0:
            raise InvalidInputError(f"places: must be >= 0, got {places}")
        if not episode_ids:
            return {}
        records = self._read("read/episodes_around", ids=list(dict.fromkeys(episode_ids)),
                             places=places,
                             ingested_by=MAX_US if known_at is None else to_us(known_at))
        return {r["id"]: sorted((episode(p) for p in [*r["before"], *r["after"]]),
                                key=lambda e: (e.occurred_at, e.id)) for r in records}

    def get_provenance(self, version_ids: Sequence[str]) -> tuple[list[Quote], list[Episode]]:
        if not version_ids:
            return [], []
        quotes: list[Quote] = []
        episodes: dict[str, Episode] = {}
        for r in self._read("read/provenance", ids=list(dict.fromkeys(version_ids))):
            _add_link(r["version_id"], r, quotes, episodes)
        return quotes, list(episodes.values())

    def audit_events(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        end = MAX_US if end_seq is None else end_seq
        records = self._read("read/audit_events", start_seq=start_seq, end_seq=end)
        return [event(r["event"]) for r in records]

    def stored_tenant_secret(self) -> bytes | None:
        records = self._read("read/tenant_secret")
        return bytes(records[0]["secret"]) if records and records[0]["secret"] else None

    def row_ids(self) -> dict[str, list[str]]:
        row = self._read("read/row_ids")[0]
        return {"episode": sorted(row["episodes"]), "claim": sorted(row["claims"]),
                "entity": sorted(row["entities"])}

    def link_rows(self) -> LinkRows:
        row = self._read("read/link_rows")[0]
        return LinkRows(aliases=[(e, a) for e, a in row["aliases"]],
                        sources=[(v, c, ep) for v, c, ep in row["sources"]],
                        fulltext_mismatches=sorted(row["mismatches"]))

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
                           text=row["episode"]["text"], episode=episode(row["episode"]))
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

    # ---------------------------------------------------------------------------- embeddings

    def put_embeddings(self, model: str, items: Sequence[Embedding]) -> None:
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for item in items:  # all checked before anything is written; the first of a pair wins
            vector = check_embedding(item)
            rows.setdefault((item.kind, item.id), {
                "kind": item.kind, "id": item.id, "vector": [float(x) for x in vector]})
        if not rows:
            return
        runner = self._runner()

        def work(tx: ManagedTransaction) -> None:
            runner.run(tx, "write/merge_embeddings", model=model, rows=list(rows.values()))

        with driver_errors("store embeddings"), self._session() as session:
            session.execute_write(work)

    def unembedded(self, model: str) -> list[tuple[str, str]]:
        return [(r["kind"], r["id"]) for r in self._read("read/unembedded", model=model)]

    def vector_search(self, vector: Sequence[float], *, model: str, limit: int = 10,
                      valid_at: datetime | None = None,
                      known_at: datetime | None = None) -> list[SearchHit]:
        """Nearest neighbours through the vector index (approximate: HNSW), filtered on the
        tenant, the model and the bounds :meth:`search` applies, before the limit. The index
        is shared by every tenant, so it is asked for :data:`_MIN_CANDIDATES` (or 10 x
        ``limit``) candidates, 8x more while the filters leave fewer than ``limit`` and the
        index has more, and past :attr:`max_vector_candidates` the tenant's vectors are
        scanned exactly. Score: the cosine."""
        if limit < 0:
            raise InvalidInputError(f"limit: must be >= 0, got {limit}")
        query = [float(x) for x in unit_vector(vector, "query vector")]
        if limit == 0:
            return []
        valid = None if valid_at is None else to_us(valid_at)
        known = MAX_US - 1 if known_at is None else to_us(known_at)
        params: dict[str, Any] = dict(
            vector=query, model=model, limit=limit,
            valid_hi=MAX_US if valid is None else valid,
            valid_lo=MIN_US if valid is None else valid,
            known_hi=known, known_lo=known, ingested_by=MAX_US if known_at is None else known)
        candidates = max(_MIN_CANDIDATES, limit * 10)
        while True:
            if candidates > self.max_vector_candidates:
                rows = self._read("read/vector_scan", **params)[0]["rows"]
                break
            record = self._read("read/vector_search", candidates=candidates, **params)[0]
            rows = record["rows"]
            if len(rows) >= limit or record["seen"] < candidates:
                break
            candidates *= 8
        return [self._vector_hit(row) for row in rows]

    @staticmethod
    def _vector_hit(row: Mapping[str, Any]) -> SearchHit:
        if row["kind"] == "fact":
            found = version(row["version"], row["episode_ids"])
            return SearchHit(kind="fact", id=found.version_id, score=float(row["score"]),
                             text=found.sentence, version=found)
        said = episode(row["episode"])
        return SearchHit(kind="episode", id=said.id, score=float(row["score"]),
                         text=said.text, episode=said)

    @staticmethod
    def _fact_hit(row: Mapping[str, Any]) -> SearchHit:
        found = version(row["version"], row["episode_ids"])
        subject = found.subject_name or found.subject_id
        text = f"{subject} {found.predicate} {found.object_label}"
        return SearchHit(kind="fact", id=found.version_id, score=float(row["score"]),
                         text=text, version=found)


def _add_link(version_id: str, link: Mapping[str, Any], quotes: list[Quote],
              episodes: dict[str, Episode]) -> None:
    """One provenance link (``episode_id``, ``quote``, ``retraction``, ``episode``: a row of
    read/provenance, or an element of the links the statements by subject key collect) into
    ``quotes``, and its episode into ``episodes`` once."""
    quotes.append(Quote(version_id, link["episode_id"], link["quote"], bool(link["retraction"])))
    found = link["episode"]
    if found is not None and found["id"] not in episodes:
        episodes[found["id"]] = episode(found)
