"""The Python facade: three lines to start.

    mem = Memory.open("sqlite:///memory.db")          # or "neo4j://localhost:7687"
    mem.ingest(messages, tenant="acme")
    mem.ask("Where does Priya work?", tenant="acme")

Every method takes the tenant explicitly; the same names as the CLI commands.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from asof.api.files import check_input_file
from asof.api.ingest_input import (
    MessageInput,
    check_replay,
    check_resends,
    check_source_id,
    conversation_from_messages,
    with_stored_ids,
)
from asof.extraction.readers import Conversation, Message, read_conversations
from asof.graph.audit import Checkpoint, VerifyReport
from asof.graph.clock import Clock, FakeClock
from asof.graph.contract import Capability, SearchHit
from asof.graph.errors import InvalidInputError, InvalidIntervalError
from asof.graph.models import (
    AssertionKind,
    AuditAction,
    AuditEvent,
    Entity,
    Episode,
    FactAssertion,
)
from asof.graph.predicates import PredicateRegistry
from asof.graph.registry_log import record_registry
from asof.graph.store import GraphStore
from asof.graph.urls import open_store
from asof.graph.writes import ErasureResult, WriteResult
from asof.query import views
from asof.query.ask import Answer, ask
from asof.query.context import ContextBlock, context
from asof.query.embedding import BATCH as EMBED_BATCH
from asof.query.embedding import Embedder, embed_rows, reindex
from asof.query.paging import Page
from asof.query.retrieval import Mode

if TYPE_CHECKING:
    from asof.extraction.llm import LLMConfig

#: what ``extractor=`` takes (the same names as ``asof.extraction.llm.EXTRACTORS``, which is
#: not imported here: the rules need neither httpx nor tenacity)
EXTRACTORS = ("rules", "llm", "hybrid")


def check_extractor(name: str, llm: LLMConfig | None) -> str:
    """``name`` if it is an extractor this memory can run; else a clear error."""
    if name not in EXTRACTORS:
        raise InvalidInputError(f"extractor: {name!r} is not one of {', '.join(EXTRACTORS)}")
    if name != "rules" and llm is None:
        raise InvalidInputError(
            f"extractor {name!r} needs a model endpoint: set ASOF_LLM_BASE_URL and "
            "ASOF_LLM_MODEL (or pass llm=LLMConfig(...))")
    return name

#: Called after each transaction of messages: (messages done, messages total).
Progress = Callable[[int, int], None]

#: Messages stored per transaction by :meth:`Memory.ingest` (all or nothing per transaction;
#: re-ingesting after a failure skips the messages already stored).
INGEST_BATCH = 64


@dataclass(slots=True)
class IngestReport:
    """What an ingestion did."""

    conversations: int = 0
    messages: int = 0
    duplicates: int = 0  #: messages already stored (idempotent re-ingestion)
    assertions: int = 0
    versions_written: int = 0
    versions_closed: int = 0
    confirmations: int = 0
    seconds: float = 0.0
    episode_ids: list[str] = field(default_factory=list)
    #: extracted assertions the write rules refused (a correction that would invert the
    #: interval it corrects); the rest of the message was stored
    rejected: int = 0
    #: the llm/hybrid extractors' counts (calls, tokens, cache hits, grounding drops)
    llm: dict[str, Any] | None = None

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    def add(self, result: WriteResult, assertions: int) -> None:
        self.messages += 1
        self.assertions += assertions
        if result.duplicate:
            self.duplicates += 1
            return
        self.episode_ids.extend(result.episode_ids)
        self.versions_written += len(result.written)
        self.versions_closed += len(result.closed)
        self.confirmations += result.confirmed

    def as_dict(self) -> dict[str, Any]:
        return {"conversations": self.conversations, "messages": self.messages,
                "duplicates": self.duplicates, "assertions": self.assertions,
                "versions_written": self.versions_written,
                "versions_closed": self.versions_closed, "confirmations": self.confirmations,
                "rejected": self.rejected, "seconds": round(self.seconds, 3),
                "messages_per_second": round(self.messages_per_second, 1),
                **({"llm": self.llm} if self.llm is not None else {})}



class Memory:
    """asof's Python API: one object per store, any number of tenants."""

    def __init__(self, store: GraphStore, *, nlp: Any | None = None,
                 embedder: Embedder | None = None, extractor: str = "rules",
                 llm: LLMConfig | None = None) -> None:
        self._root = store
        self._stores: dict[str, GraphStore] = {store.tenant: store}
        self._nlp = nlp
        #: Embeds what is stored and what is searched (None: lexical search only). Used only
        #: where the store keeps vectors (Capability.VECTOR).
        self.embedder = embedder
        self.llm = llm
        self.extractor = check_extractor(extractor, llm)
        self._registry_recorded: set[str] = set()

    @classmethod
    def open(cls, url: str, *, clock: Clock | None = None,
             registry: PredicateRegistry | None = None, audit_key: bytes | None = None,
             old_audit_keys: Sequence[bytes] = (),
             neo4j_user: str = "neo4j", neo4j_password: str | None = None,
             neo4j_database: str = "neo4j", migrate: bool = True,
             embedder: Embedder | None = None, extractor: str = "rules",
             llm: LLMConfig | None = None) -> Memory:
        """Open ``sqlite:///memory.db`` or ``neo4j://host:7687`` (schema migrated).

        ``audit_key`` signs the audit chain; ``old_audit_keys`` are keys it replaced, to
        verify the events they signed. ``embedder`` embeds episodes and facts for search.
        ``extractor`` is ``rules`` (offline, the default), ``llm`` or ``hybrid``; the last two
        need ``llm``, the model endpoint (:class:`~asof.extraction.llm.LLMConfig`)."""
        check_extractor(extractor, llm)
        store = open_store(url, tenant="default", clock=clock, registry=registry,
                           audit_key=audit_key, old_audit_keys=old_audit_keys,
                           neo4j_user=neo4j_user,
                           neo4j_password=neo4j_password, neo4j_database=neo4j_database,
                           migrate=migrate)
        return cls(store, embedder=embedder, extractor=extractor, llm=llm)

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._root.close()

    def store(self, tenant: str) -> GraphStore:
        """The store handle bound to ``tenant``."""
        if tenant not in self._stores:
            self._stores[tenant] = self._root.for_tenant(tenant)
        return self._stores[tenant]

    def _writer(self, tenant: str, actor: str | None) -> GraphStore:
        """The store for a write: the first write of a tenant through this memory records the
        predicate registry in its chain when it is not the one recorded last."""
        store = self.store(tenant)
        if tenant not in self._registry_recorded:
            record_registry(store, actor=actor)
            self._registry_recorded.add(tenant)
        return store

    def load_language_model(self) -> Any:
        """The spaCy pipeline (loaded once, on first use, shared by every tenant)."""
        if self._nlp is None:
            from asof.extraction.pipeline import build_nlp

            self._nlp = build_nlp()
        return self._nlp

    def pipeline(self, tenant: str, extractor: str | None = None, *, workers: int = 1) -> Any:
        """An extractor for ``tenant`` (aliases never cross tenants): the rules' pipeline,
        the LLM extractor or the hybrid of both (``extractor``, else this memory's).
        ``workers`` > 1 parses in that many worker processes (the rules' pipeline)."""
        from asof.extraction.pipeline import Pipeline

        name = check_extractor(extractor or self.extractor, self.llm)
        registry = self.store(tenant).registry
        rules = None if name == "llm" else Pipeline(
            tenant, nlp=self.load_language_model(), registry=registry, n_process=workers)
        if name == "rules":
            return rules
        from asof.extraction.llm import HybridExtractor, LLMExtractor

        assert self.llm is not None
        llm = LLMExtractor(self.llm, tenant, registry=registry)
        return llm if rules is None else HybridExtractor(rules, llm)

    # ------------------------------------------------------------------ writes

    def ingest(self, source: str | Path | Conversation | Iterable[MessageInput | Message], *,
               tenant: str, conversation_id: str = "default", format: str = "auto",
               assume_tz: str | None = None, progress: Progress | None = None,
               actor: str | None = None, replay: bool = False,
               extractor: str | None = None, workers: int = 1) -> IngestReport:
        """Extract facts from messages and store them.

        ``source`` is a file path (any format of :func:`extraction.readers.read_conversations`;
        a regular file of at most :data:`~asof.api.files.MAX_INPUT_BYTES`),
        a :class:`Conversation`, or message dicts ``{speaker, at, text, role?, id?}`` with
        aware ``at`` timestamps. The whole input is validated before anything is stored.
        Re-ingesting the same messages changes nothing. ``extractor`` overrides this
        memory's (``rules``, ``llm``, ``hybrid``) for this call; ``workers``: see
        :meth:`ingest_conversations`.
        """
        if isinstance(source, (str, Path)):
            conversations = read_conversations(check_input_file(source), format=format,
                                               assume_tz=assume_tz)
        elif isinstance(source, Conversation):
            conversations = [source]
        else:
            conversations = [conversation_from_messages(source,
                                                        conversation_id=conversation_id)]
        return self.ingest_conversations(conversations, tenant=tenant, progress=progress,
                                         actor=actor, replay=replay, extractor=extractor,
                                         workers=workers)

    def ingest_conversations(self, conversations: Sequence[Conversation], *, tenant: str,
                             progress: Progress | None = None, actor: str | None = None,
                             replay: bool = False, extractor: str | None = None,
                             workers: int = 1) -> IngestReport:
        """Extract and store ``conversations`` (see :meth:`ingest`).

        ``workers`` > 1 runs the parser in that many worker processes, ahead of this one,
        which extracts and stores: faster for large inputs on a machine with spare cores, the
        same facts. Each worker is a forked copy of this process (the language model is
        shared until written to); do not use it where forking is unsafe.

        ``replay=True`` backfills history "as if live": every message is recorded at its own
        time (transaction time follows the messages, in the order they were sent across all
        ``conversations``), so "what did we know on …" questions about the past have answers.
        The tenant's transaction time never goes back: a replay whose earliest new message is
        older than what the tenant already recorded raises
        :class:`~graph.errors.ReplayOrderError` before anything is stored. Other tenants do
        not matter. If the store has a :class:`~graph.clock.FakeClock`, it ends no earlier
        than the last message replayed, so reads "now" see the replay.
        """
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        store = self.store(tenant)
        check_resends(store, conversations)
        if replay:
            check_replay(store, conversations)
        report = IngestReport(conversations=len(conversations))
        total = sum(len(c.messages) for c in conversations)
        started = time.perf_counter()
        pipeline = self.pipeline(tenant, extractor, workers=workers)
        try:
            self._ingest_with(pipeline, store, conversations, actor or "asof-ingest", replay,
                              progress, report, total)
        finally:
            close = getattr(pipeline, "close", None)
            if close is not None:
                close()
        report.seconds = time.perf_counter() - started
        stats = getattr(pipeline, "stats", None)
        report.llm = stats.as_dict() if stats is not None else None
        return report

    def _ingest_with(self, pipeline: Any, store: GraphStore,
                     conversations: Sequence[Conversation], actor: str, replay: bool,
                     progress: Progress | None, report: IngestReport, total: int) -> None:
        extracted: Iterable[list[tuple[Episode, list[FactAssertion]]]] = (
            pipeline.extract_each(conversations))
        if replay:  # in the order the messages were sent (stable: a conversation keeps its own)
            extracted = [sorted((item for items in extracted for item in items),
                                key=lambda item: item[0].occurred_at)]
        pending_episodes: list[Episode] = []
        pending_results: list[WriteResult] = []
        # INGEST_BATCH messages to a transaction (apply_many: the same result as one by one, a
        # fraction of the round trips).
        for items in extracted:
            for start in range(0, len(items), INGEST_BATCH):
                chunk = items[start:start + INGEST_BATCH]
                chunk = list(zip(with_stored_ids(store, [e for e, _ in chunk]),
                                 (a for _, a in chunk), strict=True))
                # after extraction: a model server that fails leaves the store unchanged
                self._writer(store.tenant, actor)
                results = self._apply_extracted(store, chunk, actor, report, replay)
                for result, count in results:
                    report.add(result, count)
                pending_episodes += [e for e, _ in chunk]
                pending_results += [r for r, _ in results]
                if len(pending_episodes) >= EMBED_BATCH:  # vectors in batches, even in replays
                    self._embed(store, pending_episodes, pending_results)
                    pending_episodes, pending_results = [], []
                if progress is not None:
                    progress(report.messages, total)
            if replay and items and isinstance(store.clock, FakeClock):
                store.clock.set(max(store.clock.now(), items[-1][0].occurred_at))
        self._embed(store, pending_episodes, pending_results)

    @staticmethod
    def _apply_extracted(store: GraphStore, chunk: list[tuple[Episode, list[FactAssertion]]],
                         actor: str, report: IngestReport,
                         replay: bool) -> list[tuple[WriteResult, int]]:
        """Store a chunk of extracted messages. The write rules refuse an assertion that would
        make an inverted interval (a correction of a start past the end it keeps); extraction
        is a guess, so such an assertion is dropped (counted in ``report.rejected``) and the
        message is stored with the rest, instead of failing the whole ingestion. Nothing is
        written by a refused transaction, so retrying is safe."""
        try:
            results = store.apply_many(chunk, actor=actor, replay=replay)
            return [(r, len(a)) for r, (_, a) in zip(results, chunk, strict=True)]
        except InvalidIntervalError:
            if len(chunk) > 1:
                return [pair for item in chunk
                        for pair in Memory._apply_extracted(store, [item], actor, report,
                                                            replay)]
        episode, assertions = chunk[0]
        # drop corrections first, latest first; then anything else, latest first
        order = sorted(range(len(assertions)), reverse=True,
                       key=lambda i: (assertions[i].kind is AssertionKind.CORRECT, i))
        kept = list(range(len(assertions)))
        for drop in order:
            kept.remove(drop)
            report.rejected += 1
            try:
                result = store.apply_many([(episode, [assertions[i] for i in kept])],
                                          actor=actor, replay=replay)[0]
            except InvalidIntervalError:
                continue
            return [(result, len(kept))]
        raise AssertionError("an episode without assertions cannot be refused")  # unreachable

    def assert_facts(self, assertions: Sequence[FactAssertion | Mapping[str, Any]], *,
                     tenant: str, observed_at: datetime | None = None,
                     source_id: str | None = None, actor: str | None = None) -> WriteResult:
        """Store structured facts (for callers that extract by themselves)."""
        parsed = [a if isinstance(a, FactAssertion) else FactAssertion.parse(
            a, context=f"facts[{i}]") for i, a in enumerate(assertions)]
        check_source_id(self.store(tenant), source_id, parsed)
        store = self._writer(tenant, actor)
        result = store.assert_facts(parsed, observed_at=observed_at, source_id=source_id,
                                    actor=actor)
        self._embed(store, [], [result])
        return result

    def apply_episodes(self, items: Sequence[tuple[Episode, Sequence[FactAssertion]]], *,
                       tenant: str, actor: str | None = None,
                       replay: bool = False) -> list[WriteResult]:
        """Store episodes with the assertions made about them elsewhere (an import), in one
        transaction: :meth:`GraphStore.apply_many` through this memory's writer."""
        store = self._writer(tenant, actor)
        results = store.apply_many(items, actor=actor, replay=replay)
        self._embed(store, [episode for episode, _ in items], results)
        return results

    def forget(self, entity: str, *, tenant: str, actor: str | None = None,
               requester: str | None = None, ticket: str | None = None) -> ErasureResult:
        """Erase an entity and everything that mentions it (right to be forgotten). The
        erasure event records who requested it and the ticket it was requested under."""
        return self.store(tenant).forget(entity, actor=actor, requester=requester,
                                         ticket=ticket)

    def export_subject(self, entity: str, *, tenant: str) -> dict[str, Any]:
        """Everything stored about an entity (subject access): its facts on both time axes,
        their claims, the messages that source, name or were spoken by it, and the audit
        events about them, as JSON-ready data."""
        from asof.graph.subject import export_subject

        return export_subject(self.store(tenant), entity)

    def expire(self, *, tenant: str, actor: str | None = None) -> WriteResult:
        """End beliefs whose TTL has passed."""
        return self.store(tenant).expire(actor=actor)

    def migrate(self) -> list[str]:
        return self._root.migrate()

    # ------------------------------------------------------------------ reads

    def ask(self, question: str, *, tenant: str, now: datetime | None = None,
            known_at: datetime | None = None, asker: str | None = None) -> Answer:
        """Answer an English question with evidence ("Where did Priya work in March 2024?")."""
        return ask(self.store(tenant), question, now=now, known_at=known_at, asker=asker,
                   embedder=self.embedder)

    # Lists come in pages: ``limit`` items from ``offset``; the answer's ``next_offset`` is
    # where the next page starts (None at the end). A Page is a list, with those attributes.

    def facts(self, subject: str | None = None, predicate: str | None = None,
              obj: str | None = None, *, tenant: str, valid_at: datetime | None = None,
              known_at: datetime | None = None, limit: int | None = None,
              offset: int = 0) -> Page[views.FactView]:
        """Facts true at ``valid_at`` as believed at ``known_at`` (default: now)."""
        return views.facts(self.store(tenant), subject, predicate, obj, valid_at=valid_at,
                           known_at=known_at, limit=limit, offset=offset)

    def current(self, subject: str | None = None, predicate: str | None = None, *,
                tenant: str, limit: int | None = None,
                offset: int = 0) -> Page[views.FactView]:
        return views.current(self.store(tenant), subject, predicate, limit=limit,
                             offset=offset)

    def entity_history(self, entity: str, predicate: str | None = None, *, tenant: str,
                       limit: int | None = None, offset: int = 0) -> Page[views.FactView]:
        """The history of every fact about ``entity`` (name, alias or id), or of one
        predicate."""
        return views.entity_history(self.store(tenant), entity, predicate, limit=limit,
                                    offset=offset)

    def history(self, fact_key: str, *, tenant: str, limit: int | None = None,
                offset: int = 0) -> Page[views.FactView]:
        """Every version of a fact on both time axes, with audit events and sources."""
        return views.history(self.store(tenant), fact_key, limit=limit, offset=offset)

    def timeline(self, entity: str, *, tenant: str, known_at: datetime | None = None,
                 limit: int | None = None, offset: int = 0) -> views.Timeline:
        """``entity``'s valid-time intervals per predicate (``entries`` paged, with
        ``next_offset``)."""
        return views.timeline(self.store(tenant), entity, known_at=known_at, limit=limit,
                              offset=offset)

    def entities(self, *, tenant: str, limit: int | None = 100,
                 offset: int = 0) -> Page[Entity]:
        """The tenant's entities, by name."""
        return views.entities(self.store(tenant), limit=limit, offset=offset)

    def diff(self, t1: datetime, t2: datetime, *, tenant: str,
             axis: Literal["valid", "transaction"] = "valid",
             subject: str | None = None) -> views.Diff:
        return views.diff(self.store(tenant), t1, t2, axis=axis, subject=subject)

    def snapshot(self, *, tenant: str, valid_at: datetime | None = None,
                 known_at: datetime | None = None) -> nx.MultiDiGraph[str]:
        return views.snapshot(self.store(tenant), valid_at=valid_at, known_at=known_at)

    def context(self, subject: str, *, tenant: str, query: str | None = None,
                budget_tokens: int = 300, now: datetime | None = None) -> ContextBlock:
        """A compact memory block about ``subject`` for an agent's prompt."""
        return context(self.store(tenant), subject, query=query, budget_tokens=budget_tokens,
                       now=now, embedder=self.embedder)

    def search(self, text: str, *, tenant: str, limit: int = 10, offset: int = 0,
               valid_at: datetime | None = None, known_at: datetime | None = None,
               mode: Mode | str | None = None) -> Page[SearchHit]:
        """Episodes and facts for ``text``: ``mode`` lexical, vector or hybrid (``None``:
        hybrid when vectors are available, else lexical)."""
        return views.search(self.store(tenant), text, limit=limit, offset=offset,
                            valid_at=valid_at, known_at=known_at,
                            mode=None if mode is None else Mode(mode), embedder=self.embedder)

    def reindex(self, *, tenant: str, progress: Progress | None = None) -> int:
        """Embed the tenant's episodes and facts that have no vector under the configured
        model (stores made before embeddings, or a changed model). Returns how many."""
        if self.embedder is None:
            raise InvalidInputError("reindex needs an embedding model (ASOF_EMBEDDER)")
        store = self.store(tenant)
        if not store.supports(Capability.VECTOR):
            raise InvalidInputError("this store keeps no vectors: nothing to reindex")
        return reindex(store, self.embedder, progress)

    def _embed(self, store: GraphStore, episodes: Sequence[Episode],
               results: Sequence[WriteResult]) -> None:
        """Vectors of what a write stored, when this memory has an embedder and the store
        keeps vectors. Derived data: should the model fail, the rows are already stored and
        ``asof reindex`` completes their vectors."""
        if self.embedder is None or not store.supports(Capability.VECTOR):
            return
        stored = {i for r in results for i in r.episode_ids}
        embed_rows(store, self.embedder, [e for e in episodes if e.id in stored],
                   [v for r in results for v in r.written])

    def entity(self, name_or_id: str, *, tenant: str) -> Entity | None:
        return self.store(tenant).entity(name_or_id)

    def audit(self, *, tenant: str, start_seq: int = 1, end_seq: int | None = None,
              entity: str | None = None, actor: str | None = None,
              action: AuditAction | str | None = None, since: datetime | None = None,
              until: datetime | None = None, limit: int | None = None,
              offset: int = 0) -> Page[AuditEvent]:
        """Audit events with ``start_seq <= seq <= end_seq`` (ids and hashes, no text),
        optionally only those about ``entity`` (name, alias or id), by ``actor``, of one
        ``action``, or recorded in ``[since, until)``."""
        if isinstance(action, str) and not isinstance(action, AuditAction):
            try:
                action = AuditAction(action)
            except ValueError:
                raise InvalidInputError(f"action: one of "
                                        f"{', '.join(a.value for a in AuditAction)}") from None
        where = views.AuditFilter(entity=entity, actor=actor, action=action, since=since,
                                  until=until)
        return views.audit_log(self.store(tenant), from_seq=start_seq, to_seq=end_seq,
                               where=where, limit=limit, offset=offset)

    def verify(self, *, tenant: str, checkpoint: Checkpoint | None = None) -> VerifyReport:
        """Recompute the tenant's audit chain; reports the first bad seq."""
        return self.store(tenant).verify(checkpoint)

    def checkpoint(self, *, tenant: str) -> Checkpoint:
        """The chain's head (signed when the audit key is set)."""
        return self.store(tenant).checkpoint()

    def record_checkpoint(self, *, tenant: str, actor: str | None = None) -> Checkpoint:
        """Record a ``checkpointed`` event and return the signed checkpoint ending with it
        (needs the audit key)."""
        return self.store(tenant).record_checkpoint(actor=actor)

    def rotate_key(self, new_key: bytes, *, tenant: str,
                   actor: str | None = None) -> AuditEvent:
        """Replace the tenant's audit key by ``new_key`` (a recorded ``key_rotated`` event; see
        :meth:`GraphStore.rotate_key`). Needs the current key as the audit key."""
        return self.store(tenant).rotate_key(new_key, actor=actor)
