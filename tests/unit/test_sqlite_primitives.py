"""The SQLite adapter's primitives, tested directly (no write rules): schema, round trips,
tenant isolation, as-of filtering, search escaping, query plans, erasure, concurrency."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asof.graph import ids
from asof.graph.clock import FakeClock
from asof.graph.contract import (
    Capability,
    Embedding,
    Erasure,
    Source,
    VersionQuery,
    WriteBatch,
    WriteTx,
)
from asof.graph.errors import (
    IntegrityError,
    InvalidInputError,
    NaiveDatetimeError,
    StoreError,
    StoreUnavailableError,
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
from asof.graph.sqlite import ERASED_TEXT, SqliteStore
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract

T0 = datetime(2024, 1, 1, 9, 30, 15, 123456, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


# ------------------------------------------------------------------------------ model builders


def make_episode(tenant: str, text: str, n: int = 0, **extra: Any) -> Episode:
    episode = Episode.create(tenant=tenant, speaker="Priya", occurred_at=day(n), text=text,
                             conversation_id="conv-1", metadata={"channel": "chat", "n": [n]},
                             **extra)
    return episode.model_copy(update={"ingested_at": day(n)})


def make_entity(tenant: str, name: str, type_: str = "person",
                aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(id=ids.entity_id(tenant, type_, name), tenant=tenant, name=name, type=type_,
                  aliases=aliases)


def make_version(tenant: str, version_id: str, subject: Entity, predicate: str, *,
                 obj: Entity | None = None, value: str | None = None,
                 valid_from: datetime | None = None, valid_to: datetime | None = None,
                 recorded_at: datetime = T0, superseded_at: datetime | None = None,
                 expires_at: datetime | None = None, evidence: str | None = None,
                 supersedes: str | None = None) -> FactVersion:
    object_key = obj.id if obj is not None else ids.literal_key(value or "")
    return FactVersion(
        version_id=version_id, tenant=tenant,
        fact_key=ids.fact_key(tenant, subject.id, predicate, object_key),
        subject_id=subject.id, predicate=predicate,
        object_id=obj.id if obj is not None else None, object_value=value,
        valid_from=valid_from, valid_to=valid_to,
        valid_from_basis=Basis.STATED if valid_from is not None else Basis.UNKNOWN,
        granularity=Granularity.DAY, recorded_at=recorded_at, superseded_at=superseded_at,
        supersedes=supersedes, expires_at=expires_at, extractor="test/1", confidence=0.875,
        evidence=evidence)


def make_claim(tenant: str, claim_id: str, subject: Entity, predicate: str, *,
               obj: Entity | None = None, value: str | None = None,
               valid_from: datetime | None = None, episode_id: str | None = None,
               retraction: bool = False, evidence: str | None = None,
               recorded_at: datetime = T0) -> Claim:
    return Claim(
        claim_id=claim_id, tenant=tenant, subject_id=subject.id, predicate=predicate,
        object_key=obj.id if obj is not None else ids.literal_key(value or ""),
        object_id=obj.id if obj is not None else None, object_value=value,
        retraction=retraction, valid_from=valid_from, valid_to=day(400),
        basis=Basis.STATED, granularity=Granularity.MONTH, observed_at=day(1),
        episode_id=episode_id, recorded_at=recorded_at, confidence=0.5, evidence=evidence,
        extractor="test/1")


def make_event(tenant: str, seq: int, prev_hash: str = "genesis", *,
               action: AuditAction = AuditAction.ASSERTED,
               at: datetime = T0) -> AuditEvent:
    return AuditEvent(
        seq=seq, tenant=tenant, at=at, actor="tester", action=action,
        targets=(f"version:v{seq}", f"claim:c{seq}"), superseded=("version:old",),
        episode_id="epi-x", fact_key="fk-x", reason="because", content_hash=f"content-{seq}",
        prev_hash=prev_hash, hash=f"hash-{seq}", signature="sig")


def write(store: GraphStore, batch: WriteBatch) -> None:
    store.run_write(lambda tx: tx.write(batch))


def in_tx(store: GraphStore, work: Callable[[WriteTx], Any]) -> Any:
    return store.run_write(work)


# --------------------------------------------------------------------------------- fixtures


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    yield connection
    connection.close()


@pytest.fixture
def store(conn: sqlite3.Connection) -> SqliteStore:
    created = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    created.migrate()
    return created


@dataclass
class World:
    """A small graph in one tenant: Priya worked at Acme, now at Globex; a job title."""

    tenant: str
    priya: Entity
    acme: Entity
    globex: Entity
    e1: Episode
    e2: Episode
    c1: Claim
    c2: Claim
    v_acme: FactVersion
    v_globex: FactVersion
    v_title: FactVersion
    events: list[AuditEvent]


def build_world(tenant: str) -> tuple[World, WriteBatch]:
    priya = make_entity(tenant, "Priya Sharma", aliases=("Priya", "P. Sharma"))
    acme = make_entity(tenant, "Acme Corp", "organization")
    globex = make_entity(tenant, "Globex", "organization")
    e1 = make_episode(tenant, "Priya Sharma joined Acme Corp in January.", 0)
    e2 = make_episode(tenant, "I moved to Globex in March, says Priya.", 60)
    c1 = make_claim(tenant, "c1", priya, "works_at", obj=acme, valid_from=day(0),
                    episode_id=e1.id, evidence="joined Acme Corp")
    c2 = make_claim(tenant, "c2", priya, "works_at", obj=globex, valid_from=day(60),
                    episode_id=e2.id, evidence="moved to Globex")
    v_acme = make_version(tenant, "v-acme", priya, "works_at", obj=acme, valid_from=day(0),
                          valid_to=day(60), evidence="joined Acme Corp")
    v_globex = make_version(tenant, "v-globex", priya, "works_at", obj=globex,
                            valid_from=day(60), evidence="moved to Globex")
    v_title = make_version(tenant, "v-title", priya, "job_title", value="Staff Engineer",
                           evidence="staff engineer at Globex (zeppelin)")
    events = [make_event(tenant, 1), make_event(tenant, 2, "hash-1")]
    batch = WriteBatch(
        episodes=[e1, e2], entities=[priya, acme, globex], aliases=[(acme.id, "ACME")],
        claims=[c1, c2], versions=[v_acme, v_globex, v_title],
        sources=[Source("v-acme", "c1", e1.id, T0), Source("v-globex", "c2", e2.id, T0),
                 Source("v-globex", "c1", e1.id, T0), Source("v-title", "c2", e2.id, T0),
                 Source("v-title", "c-none", None, T0)],
        events=events)
    world = World(tenant, priya, acme, globex, e1, e2, c1, c2, v_acme, v_globex, v_title,
                  events)
    return world, batch


@pytest.fixture
def world(store: SqliteStore) -> World:
    built, batch = build_world(store.tenant)
    write(store, batch)
    return built


# ----------------------------------------------------------------------- schema and opening


def test_constructor_does_no_io(conn: sqlite3.Connection) -> None:
    SqliteStore(conn, tenant="t1")
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    assert not conn.in_transaction


def test_migrate_applies_each_migration_once(conn: sqlite3.Connection) -> None:
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    assert store.migrate() == ["0001_initial", "0002_event_key_ids",
                               "0003_embeddings", "0004_audit_rows_commitments",
                               "0005_tenant_secrets"]
    assert store.migrate() == []
    assert store.for_tenant("other").migrate() == []
    recorded = conn.execute("SELECT name, applied_at FROM schema_migrations").fetchall()
    assert recorded == [("0001_initial", 1704101415123456),
                        ("0002_event_key_ids", 1704101415123456),
                        ("0003_embeddings", 1704101415123456),
                        ("0004_audit_rows_commitments", 1704101415123456),
                        ("0005_tenant_secrets", 1704101415123456)]


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
                                   "0005_tenant_secrets"]
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


# -------------------------------------------------------------------------------- as-of reads


def _ids(versions: list[FactVersion]) -> list[str]:
    return [v.version_id for v in versions]


def test_as_of_reads_with_open_ends(store: SqliteStore) -> None:
    priya = make_entity("t1", "Priya")
    acme = make_entity("t1", "Acme", "organization")
    globex = make_entity("t1", "Globex", "organization")
    # v-old: Acme since the unbounded past, believed from T0 until day 10, when it was
    # corrected to end on day 30 (v-new). v-globex: from day 30 on, open-ended.
    old = make_version("t1", "v-old", priya, "works_at", obj=acme, valid_to=day(60),
                       superseded_at=day(10))
    new = make_version("t1", "v-new", priya, "works_at", obj=acme, valid_to=day(30),
                       recorded_at=day(10), supersedes="v-old")
    glob = make_version("t1", "v-globex", priya, "works_at", obj=globex, valid_from=day(30),
                        expires_at=day(100))
    write(store, WriteBatch(entities=[priya, acme, globex], versions=[glob, new, old]))

    def at(valid: datetime | None, known: datetime | None,
           live: datetime | None = None) -> list[str]:
        return _ids(store.find_versions(VersionQuery(
            subject_id=priya.id, predicate="works_at", valid_at=valid, known_at=known,
            live_at=live)))

    ancient = datetime(1, 1, 1, tzinfo=UTC)
    far = datetime(9999, 12, 31, tzinfo=UTC)
    assert at(day(45), day(5)) == ["v-old", "v-globex"]
    assert at(day(45), day(20)) == ["v-globex"]
    assert at(ancient, day(5)) == ["v-old"]
    assert at(ancient, far) == ["v-new"]
    assert at(far, far) == ["v-globex"]
    # Half-open on both axes: the start is in, the end is out.
    assert at(day(30), day(20)) == ["v-globex"]
    assert at(day(30) - timedelta(microseconds=1), day(20)) == ["v-new"]
    assert at(day(1), day(10)) == ["v-new"]
    assert at(day(1), day(10) - timedelta(microseconds=1)) == ["v-old"]
    assert at(day(1), T0 - timedelta(microseconds=1)) == []
    # None: every valid time / every transaction time. valid_from None sorts first.
    assert at(None, None) == ["v-old", "v-new", "v-globex"]
    assert at(None, day(20)) == ["v-new", "v-globex"]
    assert at(day(45), None) == ["v-old", "v-globex"]
    # TTL: gone at expires_at, there a microsecond before.
    assert at(day(50), day(200), live=day(100)) == []
    assert at(day(50), day(200), live=day(100) - timedelta(microseconds=1)) == ["v-globex"]

    assert _ids(store.find_versions(VersionQuery(limit=1))) == ["v-old"]
    assert store.find_versions(VersionQuery(limit=0)) == []
    assert _ids(store.find_versions(VersionQuery(fact_key=old.fact_key))) == ["v-old", "v-new"]
    assert _ids(store.find_versions(VersionQuery(object_id=globex.id))) == ["v-globex"]
    assert _ids(store.find_versions(VersionQuery(entity_id=acme.id, known_at=day(20)))) == [
        "v-new"]
    assert _ids(store.find_versions(VersionQuery(entity_id=priya.id, valid_at=day(45)))) == [
        "v-old", "v-globex"]
    assert _ids(store.find_versions(VersionQuery(predicate="lives_in"))) == []


def test_version_query_filters_on_literal_values(store: SqliteStore, world: World) -> None:
    found = store.find_versions(VersionQuery(object_value="Staff Engineer"))
    assert _ids(found) == ["v-title"]
    assert store.find_versions(VersionQuery(object_value="staff engineer")) == []


def test_bad_version_queries_are_refused(store: SqliteStore) -> None:
    with pytest.raises(NaiveDatetimeError):
        store.find_versions(VersionQuery(valid_at=datetime(2024, 1, 1)))
    with pytest.raises(InvalidInputError):
        store.find_versions(VersionQuery(limit=-1))


# ------------------------------------------------------------------- transaction-time changes


_RAW_ROW = {
    "versions": "SELECT * FROM versions WHERE version_id = ?",
    "claims": "SELECT * FROM claims WHERE claim_id = ?",
}


def _raw(conn: sqlite3.Connection, table: str, value: str) -> dict[str, Any]:
    cursor = conn.execute(_RAW_ROW[table], (value,))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def test_superseding_sets_only_superseded_at(store: SqliteStore, world: World,
                                             conn: sqlite3.Connection) -> None:
    before_version = _raw(conn, "versions", "v-acme")
    before_claim = _raw(conn, "claims", "c1")
    write(store, WriteBatch(superseded_versions=["v-acme", "v-acme"],
                            superseded_claims=["c1"], superseded_at=day(5)))
    after_version = _raw(conn, "versions", "v-acme")
    after_claim = _raw(conn, "claims", "c1")
    assert {k for k in before_version if before_version[k] != after_version[k]} == {
        "superseded_at"}
    assert {k for k in before_claim if before_claim[k] != after_claim[k]} == {"superseded_at"}
    [acme] = store.get_versions(["v-acme"])
    assert acme.superseded_at == day(5)
    assert acme.content() == world.v_acme.content()
    assert store.get_claims(["c1"])[0] == world.c1.model_copy(update={"superseded_at": day(5)})

    assert _ids(in_tx(store, lambda tx: tx.current_versions(world.priya.id, "works_at"))) == [
        "v-globex"]
    assert [c.claim_id for c in in_tx(
        store, lambda tx: tx.current_claims(world.priya.id, "works_at"))] == ["c2"]


@pytest.mark.parametrize("batch", [
    WriteBatch(superseded_versions=["v-acme"], superseded_at=day(6)),  # already closed
    WriteBatch(superseded_claims=["c1"], superseded_at=day(6)),  # already closed
    WriteBatch(superseded_versions=["no-such-version"], superseded_at=day(6)),
])
def test_closing_a_closed_or_unknown_row_fails_and_writes_nothing(
        store: SqliteStore, world: World, batch: WriteBatch) -> None:
    write(store, WriteBatch(superseded_versions=["v-acme"], superseded_claims=["c1"],
                            superseded_at=day(5)))
    newcomer = make_episode("t1", "should be rolled back", 7)
    batch.episodes.append(newcomer)
    batch.superseded_versions.append("v-globex")
    with pytest.raises(IntegrityError, match="open"):
        write(store, batch)
    assert store.get_episodes([newcomer.id]) == []
    assert store.get_versions(["v-acme"])[0].superseded_at == day(5)
    assert store.get_versions(["v-globex"])[0].superseded_at is None


def test_closing_needs_an_instant(store: SqliteStore, world: World) -> None:
    with pytest.raises(InvalidInputError, match="superseded_at"):
        write(store, WriteBatch(superseded_versions=["v-acme"]))


def test_a_batch_never_closes_its_own_new_rows(store: SqliteStore, world: World) -> None:
    fresh = make_version("t1", "v-fresh", world.priya, "lives_in", value="Pune")
    with pytest.raises(IntegrityError):
        write(store, WriteBatch(versions=[fresh], superseded_versions=["v-fresh"],
                                superseded_at=day(1)))
    assert store.get_versions(["v-fresh"]) == []


def test_expired_versions(store: SqliteStore) -> None:
    priya = make_entity("t1", "Priya")
    soon = make_version("t1", "v-soon", priya, "prefers", value="tea", expires_at=day(10))
    later = make_version("t1", "v-later", priya, "prefers", value="coffee", expires_at=day(20))
    closed = make_version("t1", "v-closed", priya, "prefers", value="water", expires_at=day(1),
                          superseded_at=day(2))
    never = make_version("t1", "v-never", priya, "likes", value="chess")
    write(store, WriteBatch(entities=[priya], versions=[soon, later, closed, never]))
    assert _ids(in_tx(store, lambda tx: tx.expired_versions(day(10)))) == ["v-soon"]
    assert _ids(in_tx(store, lambda tx: tx.expired_versions(day(10) - timedelta(
        microseconds=1)))) == []
    assert _ids(in_tx(store, lambda tx: tx.expired_versions(day(30)))) == ["v-later", "v-soon"]


# ---------------------------------------------------------------------------------- search


def test_search_finds_episodes_and_facts_best_first(store: SqliteStore, world: World) -> None:
    hits = store.search("Globex")
    kinds = {(hit.kind, hit.id) for hit in hits}
    assert ("fact", "v-globex") in kinds and ("episode", world.e2.id) in kinds
    assert ("fact", "v-title") in kinds  # the evidence mentions Globex
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    fact = next(hit for hit in hits if hit.id == "v-globex")
    assert fact.version is not None and fact.version.object_name == "Globex"
    assert fact.text == "Priya Sharma works_at Globex"
    episode = next(hit for hit in hits if hit.kind == "episode")
    assert episode.episode == world.e2 and episode.text == world.e2.text
    assert len(store.search("Globex", limit=1)) == 1
    assert store.search("Globex", limit=0) == []
    # Diacritics and case fold; the literal value and evidence are indexed too.
    assert {hit.id for hit in store.search("STAFF engineer")} >= {"v-title"}
    assert {hit.id for hit in store.search("zéppelin")} == {"v-title"}


def test_search_filters_fact_hits_before_the_limit(store: SqliteStore) -> None:
    priya = make_entity("t1", "Priya")
    acme = make_entity("t1", "Acme", "organization")
    noise = [make_version("t1", f"v-old-{i:02}", priya, "works_at", obj=acme,
                          valid_from=day(-400 + i), valid_to=day(-399 + i),
                          evidence="acme acme acme acme", superseded_at=day(1))
             for i in range(30)]
    noise += [make_version("t1", f"v-past-{i:02}", priya, "works_at", obj=acme,
                           valid_from=day(-300 + i), valid_to=day(-299 + i),
                           evidence="acme acme acme acme") for i in range(30)]
    target = make_version("t1", "v-target", priya, "works_at", obj=acme, valid_from=day(0))
    write(store, WriteBatch(entities=[priya, acme], versions=[*noise, target]))
    assert [h.id for h in store.search("acme", limit=1, valid_at=day(5))] == ["v-target"]
    assert [h.id for h in store.search("acme", limit=1, valid_at=day(-300),
                                       known_at=day(2))] == ["v-past-00"]
    # known_at None = current versions only; the superseded noise never shows.
    current = {h.id for h in store.search("acme", limit=100)}
    assert current == {"v-target"} | {f"v-past-{i:02}" for i in range(30)}
    old = {h.id for h in store.search("acme", limit=100, known_at=day(0))}
    assert {f"v-old-{i:02}" for i in range(30)} <= old and "v-target" in old


def test_search_filters_episodes_by_ingestion(store: SqliteStore) -> None:
    late = make_episode("t1", "the quokka arrived", 0).model_copy(update={"ingested_at": day(5)})
    write(store, WriteBatch(episodes=[late]))
    assert store.search("quokka", known_at=day(4)) == []
    assert [h.id for h in store.search("quokka", known_at=day(5))] == [late.id]
    assert [h.id for h in store.search("quokka")] == [late.id]


HOSTILE = [
    '"', '""', "'", "*", "acme*", "^acme", "-acme", "+", ":", "subject:acme", "AND", "OR",
    "NOT", "NEAR", "NEAR(", "NEAR(acme globex, 2)", "acme AND", "OR acme", "(", ")", "{",
    "}", "[", "]", "acme NOT globex", '"acme', 'acme"', "acme OR (", "\\", "%", "_", "%_%",
    "'; DROP TABLE versions; --", "Robert'); DROP TABLE episodes;--", "1=1 OR", "\x00",
    "\u0301", "💥", "ünïcödé", "", "   ", "\n\t", "a" * 5000, "x " * 500,
    "episodes_fts", "facts_fts MATCH", "rank", "bm25(", "* OR *", "a:b:c", "acme^2",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_search_never_raises_on_hostile_text(store: SqliteStore, world: World,
                                             text: str) -> None:
    hits = store.search(text, valid_at=day(1), known_at=day(2))
    assert isinstance(hits, list)
    assert isinstance(store.search(text), list)
    assert len(store.find_versions(VersionQuery())) == 3  # nothing was dropped


def test_search_treats_operators_as_words(store: SqliteStore) -> None:
    write(store, WriteBatch(episodes=[make_episode("t1", "NEAR the AND gate, NOT OR", 0)]))
    assert len(store.search("NEAR")) == 1
    assert len(store.search('"AND"* OR(')) == 1
    assert store.search("xylophone") == []


@pytest.fixture(scope="module")
def fuzz_store() -> Iterator[SqliteStore]:
    store = SqliteStore.from_url("sqlite:///:memory:", tenant="t1")
    _, batch = build_world("t1")
    write(store, batch)
    yield store
    store.close()


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_search_accepts_any_text(fuzz_store: SqliteStore, text: str) -> None:
    assert isinstance(fuzz_store.search(text, limit=5), list)


# ----------------------------------------------------------------------------- query plans


def test_as_of_query_uses_the_subject_index(store: SqliteStore) -> None:
    plan = store.explain_versions(VersionQuery(
        subject_id="ent_x", predicate="works_at", valid_at=T0, known_at=T0, live_at=T0))
    assert plan[0].startswith(
        "SEARCH v USING INDEX versions_by_subject (tenant=? AND subject_id=? AND predicate=?")
    assert not [step for step in plan if step.startswith("SCAN")]


_ALLOWED_SCANS = {"json_each", "facts_fts", "episodes_fts", "schema_migrations",
                  "CONSTANT"}
#: An index used only for the tenant (or the tenant and a lower bound, as "x IS NOT NULL"
#: gives): a walk over the whole tenant.
_TENANT_WIDE = re.compile(r"USING (COVERING )?(INDEX \w+|PRIMARY KEY) \(tenant=\?"
                          r"( AND \w+>\?)?\)$")
#: Statements that read a whole tenant on purpose (or stop after a LIMIT).
_TENANT_WIDE_BY_DESIGN = [
    r"FROM versions AS v\s+LEFT JOIN .* WHERE v\.tenant = '\w+'"
    r"( AND v\.(valid_from|recorded_at) <= [-\d]+ AND [-\d]+ < v\.(valid_to|superseded_at))*"
    r" ORDER BY",  # find_versions without a narrowing filter (snapshots, verify)
    r"ORDER BY name, id LIMIT",  # list_entities: a page in index order
    r"ORDER BY seq DESC LIMIT 1",  # lock_head: the last event
    r"^SELECT id, text, speaker FROM episodes WHERE",  # mentions: reads every episode
    r"^SELECT 'episode', e\.id FROM episodes AS e WHERE",  # unembedded: every row, for reindex
]


def test_no_statement_scans_a_table(conn: sqlite3.Connection) -> None:
    """Run every primitive with a statement trace, then EXPLAIN each statement traced."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    store.migrate()
    w, batch = build_world("t1")
    write(store, batch)
    write(store, WriteBatch(superseded_versions=["v-acme"], superseded_claims=["c1"],
                            superseded_at=day(1)))
    for query in (VersionQuery(), VersionQuery(subject_id=w.priya.id),
                  VersionQuery(subject_id=w.priya.id, predicate="works_at", valid_at=day(1),
                               known_at=day(1), live_at=day(1)),
                  VersionQuery(entity_id=w.acme.id, known_at=day(2)),
                  VersionQuery(fact_key=w.v_acme.fact_key), VersionQuery(object_id=w.acme.id),
                  VersionQuery(valid_at=day(1), known_at=day(1)),
                  VersionQuery(subject_key="priya", predicate="works_at", valid_at=day(1),
                               known_at=day(1))):
        store.find_versions(query)
    store.get_versions(["v-acme"])
    store.get_provenance(["v-acme"])
    store.get_claims(["c1"])
    store.find_claims(w.priya.id)
    store.find_claims(w.priya.id, "works_at")
    store.get_entities([w.priya.id])
    store.find_entities(["priya"])
    store.list_entities()
    store.get_episodes([w.e1.id])
    store.audit_events(1, 2)
    store.search("Globex", valid_at=day(1), known_at=day(1))
    store.put_embeddings("m", [Embedding(kind="episode", id=w.e1.id, vector=[1.0, 0.0]),
                               Embedding(kind="fact", id="v-acme", vector=[0.0, 1.0])])
    store.unembedded("m")
    store.vector_search([1.0, 0.5], model="m", valid_at=day(1), known_at=day(1))

    def tx_reads(tx: WriteTx) -> None:
        tx.lock_head()
        tx.existing_episodes([w.e1.id])
        tx.find_entities(["priya"])
        tx.current_claims(w.priya.id, "works_at")
        tx.current_versions(w.priya.id, "works_at")
        tx.expired_versions(day(1))
        tx.sourced_from([w.e1.id])
        tx.mentions(w.acme.id, ["Acme"])
        tx.erase(Erasure(entity_ids=[w.acme.id], version_ids=["v-acme"], claim_ids=["c1"],
                         episode_ids=[w.e1.id], redacted_version_ids=["v-globex"],
                         redacted_claim_ids=["c2"], event=make_event("t1", 3)))

    store.run_write(tx_reads)
    conn.set_trace_callback(None)

    checked = 0
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if sql.startswith("--") or head not in {"SELECT", "UPDATE", "DELETE"}:
            continue
        if "'main'." in sql:  # FTS5 reading its own shadow tables, not a statement of ours
            continue
        checked += 1
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = {m.group(1) for step in plan if (m := re.match(r"SCAN (\w+)", step))}
        assert scans <= _ALLOWED_SCANS, (sql, plan)
        flat = " ".join(sql.split())
        if not any(re.search(pattern, flat) for pattern in _TENANT_WIDE_BY_DESIGN):
            wide = [step for step in plan if _TENANT_WIDE.search(step)]
            assert not wide, (sql, plan)
    assert checked >= 30


# --------------------------------------------------------------------- mentions and erasure


def test_mentions_and_sourced_from(store: SqliteStore, world: World) -> None:
    other = make_episode("t1", "Lunch with PRIYA SHARMA tomorrow", 3)
    zoe = make_episode("t1", "ZOË said hi", 4)
    unrelated = make_episode("t1", "nothing to see", 5)
    write(store, WriteBatch(episodes=[other, zoe, unrelated], superseded_versions=["v-acme"],
                            superseded_at=day(1)))
    versions, claims, episodes = in_tx(
        store, lambda tx: tx.mentions(world.priya.id, ["Priya Sharma", "P. Sharma"]))
    assert versions == ["v-acme", "v-globex", "v-title"]  # superseded rows included
    assert claims == ["c1", "c2"]
    assert episodes == sorted([world.e1.id, world.e2.id, other.id])
    # Object side: Acme is the object of v-acme and c1; e1 is their source and names it.
    assert in_tx(store, lambda tx: tx.mentions(world.acme.id, ["Acme Corp"])) == (
        ["v-acme"], ["c1"], [world.e1.id])
    # Case-insensitive beyond ASCII; blank names match nothing.
    assert in_tx(store, lambda tx: tx.mentions("ent_zoe", ["zoë", " "])) == ([], [], [zoe.id])
    assert in_tx(store, lambda tx: tx.mentions("ent_none", ["", "  "])) == ([], [], [])

    assert in_tx(store, lambda tx: tx.sourced_from([world.e1.id])) == (
        ["v-acme", "v-globex"], ["c1"])
    assert in_tx(store, lambda tx: tx.sourced_from([world.e2.id, "missing"])) == (
        ["v-globex", "v-title"], ["c2"])
    assert in_tx(store, lambda tx: tx.sourced_from([])) == ([], [])


def _count(conn: sqlite3.Connection, sql: str, *params: Any) -> int:
    value = conn.execute(sql, params).fetchone()[0]
    assert isinstance(value, int)
    return value


def test_erase_removes_and_redacts_everywhere(store: SqliteStore, world: World,
                                              conn: sqlite3.Connection) -> None:
    bystander, bystander_batch = build_world("bystander")
    write(store.for_tenant("bystander"), bystander_batch)
    # Words only tenant t1 uses, to look for in the full-text index's raw pages.
    secret_episode = make_episode("t1", "Priya loves marzipan", 2)
    secret_version = make_version("t1", "v-pet", world.priya, "has_pet", value="Kumquat",
                                  evidence="a cat called kumquat")
    write(store, WriteBatch(episodes=[secret_episode], versions=[secret_version]))
    assert {h.id for h in store.search("marzipan kumquat")} == {secret_episode.id, "v-pet"}
    tombstone = make_event("t1", 3, "hash-2", action=AuditAction.ERASED)
    in_tx(store, lambda tx: tx.erase(Erasure(
        entity_ids=[world.priya.id], version_ids=["v-acme", "v-globex", "v-pet"],
        claim_ids=["c1"], episode_ids=[world.e1.id, secret_episode.id],
        redacted_version_ids=["v-title"],
        redacted_claim_ids=["c2"], event=tombstone)))

    assert store.get_entities([world.priya.id]) == []
    assert store.find_entities(["priya", "p. sharma", "priya sharma"]) == []
    assert store.get_versions(["v-acme", "v-globex"]) == []
    assert store.find_versions(VersionQuery(predicate="works_at")) == []
    assert store.get_claims(["c1"]) == []
    [title] = store.get_versions(["v-title"])
    assert title.evidence is None and title.subject_name is None
    assert store.get_claims(["c2"])[0].evidence is None
    assert _count(conn, "SELECT count(*) FROM sources WHERE tenant = 't1'"
                  " AND version_id IN ('v-acme', 'v-globex')") == 0
    assert _count(conn, "SELECT count(*) FROM entity_aliases WHERE tenant = 't1'"
                  " AND entity_id = ?", world.priya.id) == 0

    [e1, e2] = store.get_episodes([world.e1.id, world.e2.id])
    assert e1.text == ERASED_TEXT and e1.metadata == {} and e1.id == world.e1.id
    assert e2 == world.e2  # not listed: untouched
    assert _count(conn, "SELECT count(*) FROM episodes WHERE text LIKE '%Acme Corp%'"
                  " AND tenant = 't1'") == 0

    # Full text: the erased episode and versions no longer match; the redacted evidence
    # neither. Merged segments: the words are gone from the index's pages, not just hidden.
    assert {h.id for h in store.search("joined January")} == set()
    assert {h.id for h in store.search("zeppelin")} == set()
    assert {h.id for h in store.search("Globex")} == {world.e2.id}
    assert store.search("marzipan kumquat") == []
    assert _count(conn, "SELECT count(*) FROM episodes_fts_data"
                  " WHERE instr(block, CAST('marzipan' AS BLOB)) > 0") == 0
    assert _count(conn, "SELECT count(*) FROM facts_fts_data"
                  " WHERE instr(block, CAST('kumquat' AS BLOB)) > 0") == 0
    assert _count(conn, "SELECT count(*) FROM facts_fts_content"
                  " WHERE c3 LIKE '%kumquat%'") == 0

    assert store.audit_events(3) == [tombstone]
    # The other tenant keeps everything.
    b = store.for_tenant("bystander")
    assert len(b.find_versions(VersionQuery())) == 3
    assert b.get_episodes([bystander.e1.id])[0].text == bystander.e1.text
    assert {h.id for h in b.search("zeppelin")} == {"v-title"}


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
