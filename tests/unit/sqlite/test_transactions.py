"""The SQLite adapter's primitives, tested directly (no write rules): transactions,
errors and concurrency."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from asof.graph.contract import (
    WriteBatch,
    WriteTx,
)
from asof.graph.errors import (
    InvalidInputError,
    StoreError,
    StoreUnavailableError,
)
from asof.graph.models import (
    AuditEvent,
)
from asof.graph.sqlite import SqliteStore
from asof.graph.store import GraphStore
from tests.unit.sqlite.conftest import (
    World,
    day,
    make_episode,
    make_event,
)

pytestmark = pytest.mark.contract


# ---------------------------------------------------------------------- transactions, errors


def test_run_write_rolls_back_and_reraises(store: SqliteStore, world: World) -> None:
    episode = make_episode("t1", "rolled back", 8)

    class Boom(Exception):
        pass

    def work(tx: WriteTx) -> None:
        tx.write(WriteBatch(episodes=[episode], superseded_versions=["v-acme"],
                            superseded_at=day(1)))
        raise Boom

    with pytest.raises(Boom):
        store.run_write(work)
    assert store.get_episodes([episode.id]) == []
    assert store.get_versions(["v-acme"])[0].superseded_at is None
    assert store.run_write(lambda tx: "result") == "result"


def test_asof_errors_pass_through_unchanged(store: SqliteStore) -> None:
    error = InvalidInputError("mine")

    def work(tx: WriteTx) -> None:
        raise error

    with pytest.raises(InvalidInputError) as caught:
        store.run_write(work)
    assert caught.value is error


def test_nested_run_write_is_refused(store: SqliteStore) -> None:
    with pytest.raises(StoreError, match="nested"):
        store.run_write(lambda tx: store.run_write(lambda inner: None))
    assert store.run_write(lambda tx: tx.lock_head()) is None


def test_tx_is_unusable_after_its_transaction(store: SqliteStore) -> None:
    kept: list[WriteTx] = []
    store.run_write(kept.append)
    with pytest.raises(StoreError, match="ended"):
        kept[0].lock_head()


def test_reads_inside_a_write_see_its_rows(store: SqliteStore, world: World) -> None:
    episode = make_episode("t1", "visible inside", 3)

    def work(tx: WriteTx) -> list[str]:
        tx.write(WriteBatch(episodes=[episode]))
        return [hit.id for hit in store.search("visible")]

    assert store.run_write(work) == [episode.id]


def test_a_file_store_reads_inside_a_write_see_its_rows(tmp_path: Path) -> None:
    store = SqliteStore.from_url(f"sqlite:///{tmp_path / 'own.db'}", tenant="t1")
    episode = make_episode("t1", "visible inside", 3)

    def work(tx: WriteTx) -> list[str]:
        tx.write(WriteBatch(episodes=[episode]))
        with store._snapshot():
            return [hit.id for hit in store.search("visible")]

    try:
        assert store.run_write(work) == [episode.id]
    finally:
        store.close()


def test_readers_of_a_file_store_do_not_wait_for_a_write(tmp_path: Path) -> None:
    """Another thread reads the last committed state while a write transaction is open. The
    writer holds its transaction until the reader has finished, so a reader that queued behind
    the write would never finish (the join's timeout is a deadlock guard, not a speed check)."""
    store = SqliteStore.from_url(f"sqlite:///{tmp_path / 'shared.db'}", tenant="t1")
    committed = make_episode("t1", "committed before", 1)
    pending = make_episode("t1", "pending inside", 2)
    store.run_write(lambda tx: tx.write(WriteBatch(episodes=[committed])))
    writing, reader_done = threading.Event(), threading.Event()
    seen: list[list[str]] = []
    errors: list[BaseException] = []

    def work(tx: WriteTx) -> None:
        tx.write(WriteBatch(episodes=[pending]))
        writing.set()
        assert reader_done.wait(timeout=60), "the reader never finished during the write"

    def read() -> None:
        try:
            assert writing.wait(timeout=60)
            with store.for_tenant("t1")._snapshot():
                seen.append([e.id for e in store.get_episodes([committed.id, pending.id])])
                seen.append([hit.id for hit in store.search("pending committed")])
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            reader_done.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        store.run_write(work)
        reader.join(timeout=60)
        assert errors == []
        assert seen == [[committed.id], [committed.id]]
        assert {e.id for e in store.get_episodes([committed.id, pending.id])} == {
            committed.id, pending.id}
    finally:
        reader_done.set()
        store.close()


def test_closing_a_file_store_closes_its_readers(tmp_path: Path) -> None:
    store = SqliteStore.from_url(f"sqlite:///{tmp_path / 'closed.db'}", tenant="t1")
    reader = threading.Thread(target=store.audit_events)
    reader.start()
    reader.join(timeout=60)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.audit_events()


def test_a_locked_database_is_store_unavailable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    SqliteStore.from_url(url, tenant="t1").close()
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    impatient = sqlite3.connect(tmp_path / "locked.db", isolation_level=None, timeout=0.05,
                                check_same_thread=False)
    try:
        holder.execute("BEGIN IMMEDIATE")
        store = SqliteStore(impatient, tenant="t1")
        with pytest.raises(StoreUnavailableError, match="locked") as caught:
            store.run_write(lambda tx: tx.lock_head())
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        holder.execute("ROLLBACK")
        assert store.run_write(lambda tx: tx.lock_head()) is None
    finally:
        holder.close()
        impatient.close()


def _append_events(store: GraphStore, count: int, errors: list[BaseException]) -> None:
    def work(tx: WriteTx) -> None:
        head = tx.lock_head()
        seq = head.seq + 1 if head else 1
        prev = head.hash if head else "genesis"
        event = make_event(store.tenant, seq, prev).model_copy(
            update={"hash": f"{store.tenant}-{seq}-{threading.get_ident()}"})
        tx.write(WriteBatch(events=[event]))

    try:
        for _ in range(count):
            store.run_write(work)
    except BaseException as exc:  # reported to the main thread
        errors.append(exc)


def _assert_chain(events: list[AuditEvent], count: int) -> None:
    assert [e.seq for e in events] == list(range(1, count + 1))
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash


def test_two_connections_on_one_file_serialise_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = SqliteStore.from_url(url, tenant="t1")
    second = SqliteStore.from_url(url, tenant="t1")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_append_events, args=(s, 60, errors))
               for s in (first, second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        _assert_chain(first.audit_events(), 120)
    finally:
        first.close()
        second.close()


def test_tenant_clones_share_one_connection_safely(store: SqliteStore) -> None:
    errors: list[BaseException] = []
    clones = [store.for_tenant(t) for t in ("ta", "tb", "ta")]
    threads = [threading.Thread(target=_append_events, args=(c, 40, errors)) for c in clones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    _assert_chain(store.for_tenant("ta").audit_events(), 80)
    _assert_chain(store.for_tenant("tb").audit_events(), 40)
