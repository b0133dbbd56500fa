"""The async facade: :class:`Memory`'s methods as coroutines, for asyncio agents.

    async with await AsyncMemory.open("sqlite:///memory.db") as mem:
        await mem.ingest(messages, tenant="acme")
        answer = await mem.ask("Where does Priya work?", tenant="acme")

How it is built: a thread pool over the synchronous core (DESIGN.md §1: one execution model).
Each call runs the same :class:`Memory` method on a worker thread, so answers are identical to
the sync API's and the event loop never blocks on the database or on extraction. The Neo4j
async driver was not used: every write is one serialised transaction per tenant and most of a
read's time is Python building views, so a second (async) copy of the storage code would buy
little and would have to be kept in step with the first.

Concurrency limits:

- At most ``max_workers`` calls run at once (default 4); more wait in the pool's queue.
- Writes to one tenant are serialised by the store (one audit head per tenant), whatever the
  pool size; writes to different tenants run in parallel on Neo4j.
- SQLite: one connection, guarded by a lock, serves every thread, so calls take turns on the
  database; the pool only keeps the event loop free. Neo4j: each call gets its own session
  from the driver's pool, so reads run in parallel.
- Extraction (``ingest``) is CPU-bound Python and holds the GIL: concurrent ingests of
  different tenants interleave rather than run truly in parallel.
- A ``progress`` callback passed to ``ingest`` is called on the worker thread.
- Cancelling an awaiting task does not stop a call already running on a worker: the call
  finishes (a write commits or rolls back whole); only its result is dropped.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

import networkx as nx

if TYPE_CHECKING:
    from asof.extraction.llm import LLMConfig

from asof.api.ingest_input import MessageInput
from asof.api.memory import IngestReport, Memory, Progress
from asof.extraction.readers import Conversation, Message
from asof.graph.audit import Checkpoint, VerifyReport
from asof.graph.clock import Clock
from asof.graph.contract import SearchHit
from asof.graph.models import AuditAction, AuditEvent, Entity, Episode, FactAssertion
from asof.graph.predicates import PredicateRegistry
from asof.graph.writes import ErasureResult, WriteResult
from asof.query import views
from asof.query.ask import Answer
from asof.query.context import ContextBlock
from asof.query.embedding import Embedder
from asof.query.paging import Page
from asof.query.retrieval import Mode

P = ParamSpec("P")
T = TypeVar("T")

#: Worker threads of an :class:`AsyncMemory` unless told otherwise.
DEFAULT_WORKERS = 4


class AsyncMemory:
    """:class:`Memory` for asyncio: the same methods, awaited.

    Args:
        memory: the synchronous core it runs on (closed by :meth:`close`).
        max_workers: how many calls may run at once.
    """

    def __init__(self, memory: Memory, *, max_workers: int = DEFAULT_WORKERS) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.memory = memory
        self._pool = ThreadPoolExecutor(max_workers=max_workers,
                                        thread_name_prefix="asof-async")

    @classmethod
    async def open(cls, url: str, *, clock: Clock | None = None,
                   registry: PredicateRegistry | None = None, audit_key: bytes | None = None,
                   old_audit_keys: Sequence[bytes] = (), neo4j_user: str = "neo4j",
                   neo4j_password: str | None = None,
                   neo4j_database: str = "neo4j", migrate: bool = True,
                   embedder: Embedder | None = None,
                   extractor: str = "rules", llm: LLMConfig | None = None,
                   max_workers: int = DEFAULT_WORKERS) -> AsyncMemory:
        """Open a store as :meth:`Memory.open` does (connecting and migrating off the loop)."""
        memory = await asyncio.to_thread(
            Memory.open, url, clock=clock, registry=registry, audit_key=audit_key,
            old_audit_keys=old_audit_keys, neo4j_user=neo4j_user, neo4j_password=neo4j_password,
            neo4j_database=neo4j_database, migrate=migrate, embedder=embedder,
            extractor=extractor, llm=llm)
        return cls(memory, max_workers=max_workers)

    async def __aenter__(self) -> AsyncMemory:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Wait for running calls, then close the store."""
        await asyncio.to_thread(self._pool.shutdown, wait=True)
        self.memory.close()

    async def _run(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(method, *args, **kwargs))

    # ------------------------------------------------------------------ writes

    async def ingest(self, source: str | Path | Conversation | Iterable[MessageInput | Message],
                     *, tenant: str, conversation_id: str = "default", format: str = "auto",
                     assume_tz: str | None = None, progress: Progress | None = None,
                     actor: str | None = None, replay: bool = False,
                     extractor: str | None = None, workers: int = 1) -> IngestReport:
        return await self._run(self.memory.ingest, source, tenant=tenant,
                               conversation_id=conversation_id, format=format,
                               assume_tz=assume_tz, progress=progress, actor=actor,
                               replay=replay, extractor=extractor, workers=workers)

    async def ingest_conversations(self, conversations: Sequence[Conversation], *, tenant: str,
                                   progress: Progress | None = None, actor: str | None = None,
                                   replay: bool = False, extractor: str | None = None,
                                   workers: int = 1) -> IngestReport:
        return await self._run(self.memory.ingest_conversations, conversations, tenant=tenant,
                               progress=progress, actor=actor, replay=replay,
                               extractor=extractor, workers=workers)

    async def assert_facts(self, assertions: Sequence[FactAssertion | Mapping[str, Any]], *,
                           tenant: str, observed_at: datetime | None = None,
                           source_id: str | None = None,
                           actor: str | None = None) -> WriteResult:
        return await self._run(self.memory.assert_facts, assertions, tenant=tenant,
                               observed_at=observed_at, source_id=source_id, actor=actor)

    async def apply_episodes(self, items: Sequence[tuple[Episode, Sequence[FactAssertion]]], *,
                             tenant: str, actor: str | None = None,
                             replay: bool = False) -> list[WriteResult]:
        return await self._run(self.memory.apply_episodes, items, tenant=tenant, actor=actor,
                               replay=replay)

    async def forget(self, entity: str, *, tenant: str, actor: str | None = None,
                     requester: str | None = None, ticket: str | None = None) -> ErasureResult:
        return await self._run(self.memory.forget, entity, tenant=tenant, actor=actor,
                               requester=requester, ticket=ticket)

    async def export_subject(self, entity: str, *, tenant: str) -> dict[str, Any]:
        return await self._run(self.memory.export_subject, entity, tenant=tenant)

    async def expire(self, *, tenant: str, actor: str | None = None) -> WriteResult:
        return await self._run(self.memory.expire, tenant=tenant, actor=actor)

    async def migrate(self) -> list[str]:
        return await self._run(self.memory.migrate)

    # ------------------------------------------------------------------ reads

    async def ask(self, question: str, *, tenant: str, now: datetime | None = None,
                  known_at: datetime | None = None, asker: str | None = None) -> Answer:
        return await self._run(self.memory.ask, question, tenant=tenant, now=now,
                               known_at=known_at, asker=asker)

    async def facts(self, subject: str | None = None, predicate: str | None = None,
                    obj: str | None = None, *, tenant: str, valid_at: datetime | None = None,
                    known_at: datetime | None = None, limit: int | None = None,
                    offset: int = 0) -> Page[views.FactView]:
        return await self._run(self.memory.facts, subject, predicate, obj, tenant=tenant,
                               valid_at=valid_at, known_at=known_at, limit=limit,
                               offset=offset)

    async def current(self, subject: str | None = None, predicate: str | None = None, *,
                      tenant: str, limit: int | None = None,
                      offset: int = 0) -> Page[views.FactView]:
        return await self._run(self.memory.current, subject, predicate, tenant=tenant,
                               limit=limit, offset=offset)

    async def entity_history(self, entity: str, predicate: str | None = None, *, tenant: str,
                             limit: int | None = None,
                             offset: int = 0) -> Page[views.FactView]:
        return await self._run(self.memory.entity_history, entity, predicate, tenant=tenant,
                               limit=limit, offset=offset)

    async def history(self, fact_key: str, *, tenant: str, limit: int | None = None,
                      offset: int = 0) -> Page[views.FactView]:
        return await self._run(self.memory.history, fact_key, tenant=tenant, limit=limit,
                               offset=offset)

    async def timeline(self, entity: str, *, tenant: str, known_at: datetime | None = None,
                       limit: int | None = None, offset: int = 0) -> views.Timeline:
        return await self._run(self.memory.timeline, entity, tenant=tenant, known_at=known_at,
                               limit=limit, offset=offset)

    async def entities(self, *, tenant: str, limit: int | None = 100,
                       offset: int = 0) -> Page[Entity]:
        return await self._run(self.memory.entities, tenant=tenant, limit=limit, offset=offset)

    async def diff(self, t1: datetime, t2: datetime, *, tenant: str,
                   axis: Literal["valid", "transaction"] = "valid",
                   subject: str | None = None) -> views.Diff:
        return await self._run(self.memory.diff, t1, t2, tenant=tenant, axis=axis,
                               subject=subject)

    async def snapshot(self, *, tenant: str, valid_at: datetime | None = None,
                       known_at: datetime | None = None) -> nx.MultiDiGraph[str]:
        return await self._run(self.memory.snapshot, tenant=tenant, valid_at=valid_at,
                               known_at=known_at)

    async def context(self, subject: str, *, tenant: str, query: str | None = None,
                      budget_tokens: int = 300, now: datetime | None = None) -> ContextBlock:
        return await self._run(self.memory.context, subject, tenant=tenant, query=query,
                               budget_tokens=budget_tokens, now=now)

    async def search(self, text: str, *, tenant: str, limit: int = 10, offset: int = 0,
                     valid_at: datetime | None = None, known_at: datetime | None = None,
                     mode: Mode | str | None = None) -> Page[SearchHit]:
        return await self._run(self.memory.search, text, tenant=tenant, limit=limit,
                               offset=offset, valid_at=valid_at, known_at=known_at, mode=mode)

    async def reindex(self, *, tenant: str, progress: Progress | None = None) -> int:
        return await self._run(self.memory.reindex, tenant=tenant, progress=progress)

    async def entity(self, name_or_id: str, *, tenant: str) -> Entity | None:
        return await self._run(self.memory.entity, name_or_id, tenant=tenant)

    async def audit(self, *, tenant: str, start_seq: int = 1, end_seq: int | None = None,
                    entity: str | None = None, actor: str | None = None,
                    action: AuditAction | str | None = None, since: datetime | None = None,
                    until: datetime | None = None, limit: int | None = None,
                    offset: int = 0) -> Page[AuditEvent]:
        return await self._run(self.memory.audit, tenant=tenant, start_seq=start_seq,
                               end_seq=end_seq, entity=entity, actor=actor, action=action,
                               since=since, until=until, limit=limit, offset=offset)

    async def verify(self, *, tenant: str, checkpoint: Checkpoint | None = None) -> VerifyReport:
        return await self._run(self.memory.verify, tenant=tenant, checkpoint=checkpoint)

    async def checkpoint(self, *, tenant: str) -> Checkpoint:
        return await self._run(self.memory.checkpoint, tenant=tenant)

    async def record_checkpoint(self, *, tenant: str, actor: str | None = None) -> Checkpoint:
        return await self._run(self.memory.record_checkpoint, tenant=tenant, actor=actor)

    async def rotate_key(self, new_key: bytes, *, tenant: str,
                         actor: str | None = None) -> AuditEvent:
        return await self._run(self.memory.rotate_key, new_key, tenant=tenant, actor=actor)
