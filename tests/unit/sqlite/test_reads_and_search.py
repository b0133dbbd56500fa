"""The SQLite adapter's primitives, tested directly (no write rules): as-of reads,
transaction-time changes, search escaping."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asof.graph.contract import (
    VersionQuery,
    WriteBatch,
)
from asof.graph.errors import (
    IntegrityError,
    InvalidInputError,
    NaiveDatetimeError,
)
from asof.graph.models import (
    FactVersion,
)
from asof.graph.sqlite import SqliteStore
from tests.unit.sqlite.conftest import (
    T0,
    World,
    build_world,
    day,
    in_tx,
    make_entity,
    make_episode,
    make_version,
    write,
)

pytestmark = pytest.mark.contract


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


