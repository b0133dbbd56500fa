"""The SQLite store's exact vector scan keeps the vectors it has read in memory: a scan asks
SQLite for the keys of the rows that pass its filters and reads only the blobs it has not
seen; a key SQLite hands out again after its row was deleted is read again; an erasure drops
the tenant's vectors from memory. Real SQLite files, no mocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import Embedding
from asof.graph.models import Episode, Role
from asof.graph.sqlite import SqliteStore
from asof.graph.sqlite.vectors import VectorCache

pytestmark = pytest.mark.unit

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore.from_url(f"sqlite:///{tmp_path / 'vectors.db'}", tenant="t1",
                                  clock=FakeClock(START))
    yield opened
    opened.close()


def _say(store: SqliteStore, minute: int, text: str, vector: list[float]) -> Episode:
    episode = Episode.create(tenant="t1", speaker="Maren Holt", role=Role.USER,
                             occurred_at=START + timedelta(minutes=minute), text=text,
                             conversation_id="c1")
    store.apply(episode, [])
    store.put_embeddings("m", [Embedding(kind="episode", id=episode.id, vector=vector)])
    return episode


def _blob_reads(store: SqliteStore) -> list[str]:
    """The statements that read vector blobs, on the writer's and this thread's reader's
    connection (a test of the store's own statements)."""
    reads: list[str] = []

    def trace(sql: str) -> None:
        if "m.vector" in sql:
            reads.append(sql)

    store._conn.set_trace_callback(trace)
    if store._readers is not None:
        store._readers.connection().set_trace_callback(trace)
    return reads


def test_a_second_scan_reads_no_blob_and_ranks_the_same(store: SqliteStore) -> None:
    near = _say(store, 1, "ran my first 42k", [1.0, 0.1])
    far = _say(store, 2, "bought a kettle", [0.0, 1.0])
    reads = _blob_reads(store)
    first = store.vector_search([1.0, 0.0], model="m", limit=2)
    assert [h.id for h in first] == [near.id, far.id]
    assert len(reads) == 1
    second = store.vector_search([1.0, 0.0], model="m", limit=2)
    assert [(h.id, h.score) for h in second] == [(h.id, h.score) for h in first]
    assert len(reads) == 1, reads  # the vectors came from memory
    added = _say(store, 3, "marathon training", [0.9, 0.2])
    third = store.vector_search([1.0, 0.0], model="m", limit=3)
    assert {h.id for h in third} == {near.id, far.id, added.id}
    assert len(reads) == 2  # only the new row was read


def test_a_row_key_that_comes_back_with_another_id_is_read_again() -> None:
    cache = VectorCache()
    target = np.array([1.0, 0.0], dtype="<f4")
    first = cache.scores(("t1", "m", "episode", 2), [(7, "a")], target,
                         lambda pks: [(7, "a", np.array([1.0, 0.0], "<f4").tobytes())])
    assert first.tolist() == [1.0]
    again = cache.scores(("t1", "m", "episode", 2), [(7, "b")], target,
                         lambda pks: [(7, "b", np.array([0.0, 1.0], "<f4").tobytes())])
    assert again.tolist() == [0.0]


def test_an_erasure_drops_the_tenants_vectors_from_memory(store: SqliteStore) -> None:
    _say(store, 1, "Priya Sharma moved to Lisbon", [1.0, 0.0])
    kept = _say(store, 2, "bought a kettle", [0.0, 1.0])
    store.vector_search([1.0, 0.0], model="m")
    assert store._vectors._sets
    store.forget("Priya Sharma")
    assert not store._vectors._sets
    assert [h.id for h in store.vector_search([1.0, 0.0], model="m")] == [kept.id]
