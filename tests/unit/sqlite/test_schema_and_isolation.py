"""The SQLite adapter's primitives, tested directly (no write rules): schema and opening,
round trips, tenant isolation."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import (
    Capability,
    VersionQuery,
    WriteBatch,
    WriteTx,
)
from asof.graph.errors import (
    IntegrityError,
    InvalidInputError,
    StoreError,
)
from asof.graph.models import (
    AuditAction,
    Episode,
    Role,
)
from asof.graph.sqlite import SqliteStore
from tests.unit.sqlite.conftest import (
    T0,
    World,
    build_world,
    day,
    in_tx,
    make_claim,
    make_entity,
    make_episode,
    make_event,
    write,
)

pytestmark = pytest.mark.contract


# ----------------------------------------------------------------------- schema and opening


def test_constructor_does_no_io(conn: sqlite3.Connection) -> None:
    SqliteStore(conn, tenant="t1")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not conn.in_transaction


def test_migrate_applies_each_migration_once(conn: sqlite3.Connection) -> None:
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    assert store.migrate() == ["0001_initial", "0002_event_key_ids",
                               "0003_embeddings", "0004_audit_rows_commitments",
                               "0005_tenant_secrets", "0006_episodes_by_conversation"]
    assert store.migrate() == []
    assert store.for_tenant("other").migrate() == []
    recorded = conn.execute("SELECT name, applied_at FROM schema_migrations").fetchall()
    assert recorded == [("0001_initial", 1704101415123456),
                        ("0002_event_key_ids", 1704101415123456),
                        ("0003_embeddings", 1704101415123456),
                        ("0004_audit_rows_commitments", 1704101415123456),
                        ("0005_tenant_secrets", 1704101415123456),
                        ("0006_episodes_by_conversation", 1704101415123456)]


def test_a_store_made_before_erasure_commitments_migrates_and_reads_its_events(
        conn: sqlite3.Connection) -> None:
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    store.migrate()
    _, batch = build_world("t1")
    write(store, batch)
    before = store.audit_events(1)
    conn.execute("ALTER TABLE audit_events DROP COLUMN commitments")  # as 0003 left it
    conn.execute("DELETE FROM schema_migrations WHERE name = '0004_audit_rows_commitments'")
    assert store.migrate() == ["0004_audit_rows_commitments"]
    after = store.audit_events(1)
    assert after == before and all(e.commitments == {} for e in after)


def test_a_store_made_before_embeddings_migrates_and_lists_its_rows_to_embed(
        conn: sqlite3.Connection) -> None:
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    store.migrate()
    conn.execute("DROP TABLE embeddings")  # the schema as 0002_event_key_ids left it
    conn.execute("DELETE FROM schema_migrations WHERE name = '0003_embeddings'")
    w, batch = build_world("t1")
    write(store, batch)
    assert store.migrate() == ["0003_embeddings"]
    missing = store.unembedded("m")
    assert ("episode", w.e1.id) in missing and ("fact", "v-acme") in missing
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"episodes", "entities", "entity_aliases", "claims", "versions", "sources",
            "audit_events", "episodes_fts", "facts_fts"} <= tables


def test_every_table_has_a_tenant_column(store: SqliteStore, conn: sqlite3.Connection) -> None:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
        " AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'"
        " AND name != 'schema_migrations'")]
    assert len(tables) == 9
    for table in tables:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        assert "tenant" in columns, table


def test_from_url_memory_is_migrated_and_closes() -> None:
    store = SqliteStore.from_url("sqlite:///:memory:", tenant="t1")
    assert store.migrate() == []
    assert store.audit_events() == []
    store.close()
    with pytest.raises(StoreError):
        store.audit_events()


def test_from_url_relative_path_creates_parent_dirs(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = SqliteStore.from_url("sqlite:///data/nested/asof.db", tenant="t1")
    try:
        assert (tmp_path / "data" / "nested" / "asof.db").is_file()
    finally:
        store.close()


def test_from_url_absolute_path_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "asof.db"
    assert str(path).startswith("/")
    store = SqliteStore.from_url(f"sqlite:///{path}", tenant="t1", migrate=False)
    try:
        assert store.migrate() == ["0001_initial", "0002_event_key_ids",
                                   "0003_embeddings", "0004_audit_rows_commitments",
                                   "0005_tenant_secrets", "0006_episodes_by_conversation"]
    finally:
        store.close()
    probe = sqlite3.connect(path)
    try:
        assert probe.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        probe.close()


@pytest.mark.parametrize("url", [
    "", "postgres://localhost/db", "sqlite://", "sqlite:///", "sqlite://host/db.sqlite",
    "sqlite:///data/", "sqlite:///db.sqlite?mode=ro", "sqlite:///db#x", "SQLITE:///x.db",
    "sqlite:///   ",
])
def test_from_url_rejects_bad_urls(url: str) -> None:
    with pytest.raises(InvalidInputError, match=re.escape("sqlite:///")):
        SqliteStore.from_url(url, tenant="t1")


def test_from_url_rejects_bad_tenant() -> None:
    with pytest.raises(InvalidInputError, match="tenant"):
        SqliteStore.from_url("sqlite:///:memory:", tenant="no spaces")


def test_close_leaves_a_callers_connection_open(store: SqliteStore,
                                                conn: sqlite3.Connection) -> None:
    store.close()
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_supports_its_capabilities(store: SqliteStore) -> None:
    assert all(store.supports(capability) for capability in Capability)


# ------------------------------------------------------------------------------ round trips


def test_episode_round_trip(store: SqliteStore) -> None:
    zone = timezone(timedelta(hours=5, minutes=30))
    local = Episode.create(tenant="t1", speaker="Ravi", role=Role.ASSISTANT,
                           occurred_at=datetime(2024, 5, 6, 7, 8, 9, 654321, tzinfo=zone),
                           text="Line one\nline two\twith tab — ünïcode ✓", id="msg-42",
                           metadata={"nested": {"a": [1, 2.5, None, True]}, "s": "x"})
    no_ingest = make_episode("t1", "never ingested", 3).model_copy(update={"ingested_at": None})
    stored = local.model_copy(update={"ingested_at": day(2)})
    write(store, WriteBatch(episodes=[stored, no_ingest]))
    assert store.get_episodes(["msg-42", no_ingest.id, "missing"]) == [stored, no_ingest]
    assert store.get_episodes([no_ingest.id, "msg-42"]) == [no_ingest, stored]
    assert store.get_episodes([])  == []
    assert in_tx(store, lambda tx: tx.existing_episodes(["msg-42", "missing"])) == {"msg-42"}
    assert in_tx(store, lambda tx: tx.existing_episodes([])) == set()


def test_episode_insert_is_idempotent(store: SqliteStore) -> None:
    episode = make_episode("t1", "hello there", 1)
    write(store, WriteBatch(episodes=[episode]))
    write(store, WriteBatch(episodes=[episode]))
    assert store.get_episodes([episode.id]) == [episode]


def test_entity_round_trip_with_aliases(store: SqliteStore) -> None:
    priya = make_entity("t1", "Priya Sharma", aliases=("Priya", "P. Sharma"))
    acme = make_entity("t1", "Acme Inc.", "organization")
    write(store, WriteBatch(entities=[priya, acme], aliases=[(acme.id, "ACME Labs")]))
    # A later batch adds an alias and re-sends the entity: no duplicate, alias appended.
    write(store, WriteBatch(entities=[priya], aliases=[(priya.id, "Pri"), (priya.id, "Priya")]))
    stored_priya = priya.model_copy(update={"aliases": ("Priya", "P. Sharma", "Pri")})
    stored_acme = acme.model_copy(update={"aliases": ("ACME Labs",)})
    assert store.get_entities([priya.id, acme.id, "nope"]) == [stored_priya, stored_acme]
    assert store.get_entities([acme.id, priya.id]) == [stored_acme, stored_priya]
    assert store.find_entities(["acme"]) == [stored_acme]  # "Inc." is normalised away
    assert store.find_entities(["acme labs", "pri"]) == [stored_acme, stored_priya]
    assert store.find_entities(["p. sharma"]) == [stored_priya]
    assert store.find_entities(["sharma"]) == []
    assert store.find_entities([]) == []
    assert in_tx(store, lambda tx: tx.find_entities(["priya"])) == [stored_priya]


def test_list_entities_orders_and_pages(store: SqliteStore) -> None:
    names = ["delta", "Alpha", "charlie", "Bravo", "echo"]
    entities = [make_entity("t1", name) for name in names]
    write(store, WriteBatch(entities=entities))
    listed = [e.name for e in store.list_entities()]
    assert listed == sorted(names)  # binary order: upper case first
    assert [e.name for e in store.list_entities(limit=2, offset=1)] == sorted(names)[1:3]
    assert store.list_entities(limit=0) == []
    with pytest.raises(InvalidInputError):
        store.list_entities(limit=-1)


def test_claim_round_trip(store: SqliteStore, world: World) -> None:
    retraction = make_claim("t1", "c-retract", world.priya, "job_title", value="Engineer",
                            retraction=True, recorded_at=day(1))
    write(store, WriteBatch(claims=[retraction]))
    assert store.get_claims(["c2", "missing", "c1"]) == [world.c2, world.c1]
    assert store.find_claims(world.priya.id) == [world.c1, world.c2, retraction]
    assert store.find_claims(world.priya.id, "job_title") == [retraction]
    assert store.find_claims(world.acme.id) == []


def test_version_round_trip_and_enrichment(store: SqliteStore, world: World) -> None:
    acme, globex, title = store.get_versions(["v-acme", "v-globex", "v-title"])
    assert acme == world.v_acme.model_copy(update={
        "episode_ids": (world.e1.id,), "subject_name": "Priya Sharma",
        "object_name": "Acme Corp"})
    # Distinct, sorted episode ids; a source without an episode adds none.
    assert globex.episode_ids == tuple(sorted({world.e1.id, world.e2.id}))
    assert title.episode_ids == (world.e2.id,)
    assert title.object_name is None and title.object_label == "Staff Engineer"
    for stored, original in ((acme, world.v_acme), (title, world.v_title)):
        assert stored.content() == original.content()
        assert stored.superseded_at is None
        assert stored.valid_from is None or stored.valid_from.tzinfo is UTC
    assert store.get_versions(["nope"]) == []
    assert [v.version_id for v in store.get_versions(["v-title", "v-acme"])] == [
        "v-title", "v-acme"]


def test_audit_event_round_trip(store: SqliteStore, world: World) -> None:
    assert store.audit_events() == world.events
    assert store.audit_events(2) == world.events[1:]
    assert store.audit_events(1, 1) == world.events[:1]
    assert store.audit_events(3) == []
    unsigned = make_event("t1", 3, "hash-2", action=AuditAction.ERASED).model_copy(
        update={"signature": None, "targets": (), "reason": None, "episode_id": None})
    write(store, WriteBatch(events=[unsigned]))
    assert store.audit_events(3) == [unsigned]
    head = in_tx(store, lambda tx: tx.lock_head())
    assert (head.seq, head.hash, head.at) == (3, "hash-3", T0)


def test_duplicate_event_seq_is_an_integrity_error(store: SqliteStore, world: World) -> None:
    episode = make_episode("t1", "not written", 9)
    with pytest.raises(IntegrityError) as caught:
        write(store, WriteBatch(episodes=[episode], events=[make_event("t1", 2)]))
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert store.get_episodes([episode.id]) == []


# ------------------------------------------------------------------------- tenant isolation


def test_every_read_is_confined_to_its_tenant(store: SqliteStore) -> None:
    a = store.for_tenant("tenant-a")
    assert isinstance(a, SqliteStore)
    w, batch = build_world("tenant-a")
    write(a, batch)
    b = store.for_tenant("tenant-b")
    assert isinstance(b, SqliteStore)
    # Same ids in another tenant are separate rows.
    _, same_ids = build_world("tenant-b")
    write(b, WriteBatch(versions=[v.model_copy(update={"evidence": None})
                                  for v in same_ids.versions[:1]]))

    assert len(a.find_versions(VersionQuery())) == 3
    assert [v.version_id for v in b.find_versions(VersionQuery())] == ["v-acme"]
    assert b.find_versions(VersionQuery(subject_id=w.priya.id, predicate="works_at",
                                        valid_at=day(70), known_at=day(1))) == []
    assert b.find_versions(VersionQuery(entity_id=w.globex.id)) == []
    assert b.find_versions(VersionQuery(fact_key=w.v_globex.fact_key)) == []
    assert b.get_versions(["v-globex", "v-title"]) == []
    assert b.get_versions(["v-acme"])[0].subject_name is None  # no entity in tenant b
    assert b.get_claims(["c1", "c2"]) == []
    assert b.find_claims(w.priya.id) == []
    assert b.get_entities([w.priya.id]) == []
    assert b.find_entities(["priya", "acme", "priya sharma"]) == []
    assert b.list_entities() == []
    assert b.get_episodes([w.e1.id, w.e2.id]) == []
    assert b.audit_events() == []
    assert b.search("Priya Globex Acme zeppelin") == []
    assert a.search("zeppelin") != []

    def tx_reads(tx: WriteTx) -> list[Any]:
        return [tx.lock_head(), tx.existing_episodes([w.e1.id]), tx.find_entities(["priya"]),
                tx.current_claims(w.priya.id, "works_at"),
                tx.current_versions(w.priya.id, "works_at"), tx.expired_versions(day(999)),
                tx.mentions(w.priya.id, ["Priya"]), tx.sourced_from([w.e1.id, w.e2.id])]

    assert in_tx(b, tx_reads) == [None, set(), [], [], [], [], ([], [], []), ([], [])]
    assert in_tx(a, lambda tx: tx.lock_head()) is not None


def test_writes_of_another_tenants_rows_are_refused(store: SqliteStore) -> None:
    _, batch = build_world("elsewhere")
    with pytest.raises(InvalidInputError, match="tenant"):
        write(store, batch)
    assert store.for_tenant("elsewhere").list_entities() == []


