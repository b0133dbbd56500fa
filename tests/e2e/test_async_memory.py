"""AsyncMemory: Memory's methods as coroutines on a thread pool, on a real SQLite file and on
Neo4j."""

from __future__ import annotations

import asyncio
import inspect
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from asof import AsyncMemory
from asof.api.memory import Memory
from asof.graph.errors import NaiveDatetimeError, NotFoundError

pytestmark = pytest.mark.e2e

CONVERSATION = [
    {"id": "1", "speaker": "Ines Duarte", "at": "2024-02-01T10:00:00+01:00",
     "text": "I work at Fernhill Robotics and I live in Porto."},
    {"id": "2", "speaker": "Ines Duarte", "at": "2024-06-10T09:00:00+02:00",
     "text": "I moved to Lisbon last month."},
]

#: Memory's methods that are not calls into the store: handles and constructors.
NOT_MIRRORED = {"store", "pipeline", "load_language_model", "open", "close"}


def test_every_memory_method_has_an_async_twin_with_the_same_parameters() -> None:
    public = {name for name, _ in inspect.getmembers(Memory, inspect.isfunction)
              if not name.startswith("_")} - NOT_MIRRORED
    assert public, "Memory has no methods?"
    for name in sorted(public):
        twin = getattr(AsyncMemory, name, None)
        assert twin is not None and inspect.iscoroutinefunction(twin), name
        sync_params = list(inspect.signature(getattr(Memory, name)).parameters.values())
        async_params = list(inspect.signature(twin).parameters.values())
        assert [(p.name, p.kind, p.default) for p in async_params] == \
               [(p.name, p.kind, p.default) for p in sync_params], name


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'async.db'}"
    request.getfixturevalue("neo4j_driver")
    return os.environ["ASOF_NEO4J_URI"]


def _password(url: str) -> str | None:
    return None if url.startswith("sqlite") else os.environ.get("ASOF_NEO4J_PASSWORD", "")


def test_async_calls_answer_as_the_sync_ones_do(store_url: str, fresh_tenant: str) -> None:
    other = fresh_tenant + "-b"

    async def scenario() -> None:
        async with await AsyncMemory.open(store_url, neo4j_password=_password(store_url),
                                          max_workers=2) as mem:
            ticks = 0
            stop = asyncio.Event()

            async def ticker() -> None:  # runs only if the loop stays free during ingest
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.005)

            counting = asyncio.create_task(ticker())
            reports = await asyncio.gather(mem.ingest(CONVERSATION, tenant=fresh_tenant),
                                           mem.ingest(CONVERSATION[:1], tenant=other))
            stop.set()
            await counting
            assert ticks > 5
            assert [r.messages for r in reports] == [2, 1]

            now, past, alone = await asyncio.gather(
                mem.ask("Where does Ines Duarte live?", tenant=fresh_tenant),
                mem.ask("Where did Ines Duarte live in March 2024?", tenant=fresh_tenant),
                mem.ask("Where does Ines Duarte live?", tenant=other))
            assert now.answers == ["Lisbon"] and past.answers == ["Porto"]
            assert alone.answers == ["Porto"]  # tenants stay apart
            assert past.evidence

            facts = await mem.facts("Ines Duarte", tenant=fresh_tenant,
                                    valid_at=datetime(2024, 3, 1, tzinfo=UTC))
            assert {f.object for f in facts} == {"Porto", "Fernhill Robotics"}
            timeline = await mem.timeline("Ines Duarte", tenant=fresh_tenant)
            assert [e.object for e in timeline.by_predicate()["lives_in"]] == ["Porto", "Lisbon"]
            assert (await mem.verify(tenant=fresh_tenant)).ok

            with pytest.raises(NaiveDatetimeError):
                await mem.facts(tenant=fresh_tenant, valid_at=datetime(2024, 3, 1))
            with pytest.raises(NotFoundError):
                await mem.timeline("Nobody", tenant=fresh_tenant)

            # the same store through the sync core gives the same answers
            sync_facts = mem.memory.facts("Ines Duarte", tenant=fresh_tenant,
                                          valid_at=datetime(2024, 3, 1, tzinfo=UTC))
            assert [f.as_dict() for f in sync_facts] == [f.as_dict() for f in facts]

    asyncio.run(scenario())


def test_max_workers_must_be_positive(tmp_path: Path) -> None:
    memory = Memory.open(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(ValueError, match="max_workers"):
            AsyncMemory(memory, max_workers=0)
    finally:
        memory.close()
