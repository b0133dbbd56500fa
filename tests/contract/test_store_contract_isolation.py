"""The GraphStore contract (DESIGN.md §2-§8, docs/temporal-model.md), run against every backend.

Every test gets a fresh tenant (``store``) on a real database and a :class:`FakeClock` starting at
2025-06-01T12:00Z (``clock``); message (valid) times are in 2024 unless a test says otherwise.

Part three: tenancy, instants and offsets, transaction time, two writers and search.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import (
    InvalidInputError,
    NotFoundError,
)
from asof.graph.models import (
    Episode,
)
from asof.graph.store import GraphStore
from tests.contract.store_helpers import (
    US,
    at,
    fact,
    history,
    objects,
    org,
    overlapping,
    product,
    say,
)

pytestmark = pytest.mark.contract


# ---------------------------------------------------------------------------- 18. tenancy

def test_tenant_isolation(store: GraphStore, store_factory: Any, clock: FakeClock) -> None:
    history(store, clock)
    store.assert_facts([fact("uses", product("Zebracrm"))], source_id="src-1")
    other = store_factory()
    sibling = store.for_tenant(other.tenant)
    mine = store.find_versions(VersionQuery())
    priya = store.resolve("Priya")
    episode_ids = [e.episode_id for e in store.audit() if e.episode_id]
    for b in (other, sibling):
        assert b.tenant != store.tenant
        assert b.facts() == [] and b.current() == []
        assert b.facts(valid_at=at(3, 1), known_at=clock.now()) == []
        assert b.find_versions(VersionQuery()) == []
        assert b.get_versions([v.version_id for v in mine]) == []
        assert b.versions(mine[0].fact_key) == []
        assert b.find_claims(priya.id) == []
        assert b.get_entities([priya.id]) == [] and b.entity("Priya") is None
        assert b.list_entities() == []
        assert b.get_episodes(episode_ids) == []
        assert b.search("Acme") == [] and b.search("Zebracrm") == []
        assert b.audit() == [] and b.checkpoint().seq == 0
        assert b.verify().ok and b.verify().events_checked == 0
        assert b.expire().events == []
        with pytest.raises(NotFoundError):
            b.forget("Priya")
    episode = Episode.create(tenant=store.tenant, speaker="Priya", occurred_at=at(1, 1),
                             text="hello")
    with pytest.raises(InvalidInputError):
        other.apply(episode, [])
    # B's own Priya is another entity; writing it leaves A alone, source ids are per tenant
    retry = other.assert_facts([fact("uses", product("Zebracrm"))], source_id="src-1")
    assert not retry.duplicate
    assert other.resolve("Priya").id != priya.id
    assert store.find_versions(VersionQuery()) == mine
    assert store.verify().ok and other.verify().ok


# ---------------------------------------------------------------------------- 19. instants

def test_same_instant_in_other_offsets_compares_equal(store: GraphStore,
                                                      clock: FakeClock) -> None:
    plus2 = datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    zulu = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    say(store, clock, plus2, "I joined Acme today",
        fact("works_at", org("Acme"), valid_from=plus2))
    (v,) = store.facts("Priya", "works_at", valid_at=zulu)
    assert v.valid_from == zulu and v.valid_from.utcoffset() == timedelta(0)
    assert store.facts("Priya", "works_at", valid_at=zulu - US) == []
    minus5 = datetime(2024, 3, 1, 5, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert store.facts("Priya", "works_at", valid_at=minus5) == [v]
    assert store.facts("Priya", "works_at", valid_at=minus5 - US) == []


def test_dst_transitions_europe_berlin(store: GraphStore, clock: FakeClock) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # spring forward: 01:59:59.999999 CET is followed by 03:00 CEST, 1 µs later
    before = datetime(2024, 3, 31, 1, 59, 59, 999999, tzinfo=berlin)
    after = datetime(2024, 3, 31, 3, 0, tzinfo=berlin)
    assert after.astimezone(UTC) - before.astimezone(UTC) == US
    say(store, clock, at(3, 1), "Acme", fact("works_at", org("Acme"), valid_from=at(3, 1),
                                             valid_to=after))
    say(store, clock, at(3, 2), "Globex", fact("works_at", org("Globex"), valid_from=after))
    assert objects(store.facts("Priya", "works_at", valid_at=before)) == {"Acme"}
    assert objects(store.facts("Priya", "works_at", valid_at=after)) == {"Globex"}
    assert objects(store.facts("Priya", "works_at",
                               valid_at=datetime(2024, 3, 31, 0, 59, 59, 999999,
                                                 tzinfo=UTC))) == {"Acme"}
    # fall back: 02:30 happens twice; fold=1 is the second (CET), an hour after fold=0
    first = datetime(2024, 10, 27, 2, 30, tzinfo=berlin, fold=0)
    second = datetime(2024, 10, 27, 2, 30, tzinfo=berlin, fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    say(store, clock, at(10, 28), "I visited Oslo at 02:30 (the second one)",
        fact("uses", product("Oslo Pass"), valid_from=second,
             valid_to=second + timedelta(hours=1)))
    (oslo,) = store.facts("Priya", "uses", valid_at=second)
    assert oslo.valid_from == datetime(2024, 10, 27, 1, 30, tzinfo=UTC)
    assert store.facts("Priya", "uses", valid_at=first) == []


def test_microsecond_precision_round_trips(store: GraphStore, clock: FakeClock) -> None:
    start = datetime(2024, 3, 1, 10, 0, 0, 123457, tzinfo=UTC)
    end = datetime(2024, 3, 1, 10, 0, 0, 123458, tzinfo=UTC)  # a 1 µs interval
    said = datetime(2024, 3, 2, 8, 1, 2, 999999, tzinfo=UTC)
    say(store, clock, said, "precise", fact("works_at", org("Acme"), valid_from=start,
                                            valid_to=end))
    clock.set(datetime(2025, 7, 1, 0, 0, 0, 654321, tzinfo=UTC))
    result = say(store, clock, said, "I use Slack", fact("uses", product("Slack")),
                 step=timedelta(0))
    (v,) = store.facts("Priya", "works_at", valid_at=start)
    assert (v.valid_from, v.valid_to) == (start, end)
    assert store.facts("Priya", "works_at", valid_at=end) == []
    (slack,) = store.current("Priya", "uses")
    assert slack.valid_from == said
    assert slack.recorded_at == result.recorded_at == datetime(2025, 7, 1, 0, 0, 0, 654321,
                                                               tzinfo=UTC)
    (episode,) = store.get_episodes([result.episode_ids[0]])
    assert episode.occurred_at == said


# ---------------------------------------------------------------------------- 20. tx time

def test_transaction_time_strictly_increases_when_the_clock_goes_back(
        store: GraphStore, clock: FakeClock) -> None:
    t0 = clock.now()
    r1 = say(store, clock, at(1, 1), "I work at Acme", fact("works_at", org("Acme")),
             step=timedelta(0))
    clock.set(t0 - timedelta(hours=5))
    r2 = say(store, clock, at(2, 1), "I use Slack", fact("uses", product("Slack")),
             step=timedelta(0))
    r3 = say(store, clock, at(3, 1), "I moved to Globex", fact("works_at", org("Globex")),
             step=timedelta(0))
    clock.set(t0 - timedelta(days=1))
    r4 = store.correct("Priya", "works_at", "Globex", valid_from=at(2, 15))
    assert r1.recorded_at == t0
    assert r2.recorded_at == t0 + US
    assert r3.recorded_at == t0 + 2 * US
    assert r4.recorded_at == t0 + 3 * US
    ats = [e.at for e in store.audit()]
    assert all(a <= b for a, b in zip(ats, ats[1:], strict=False))
    assert ats[-1] == t0 + 3 * US
    versions = store.find_versions(VersionQuery())
    assert all(v.superseded_at is None or v.superseded_at > v.recorded_at for v in versions)
    # every transaction-time view is still well defined
    assert objects(store.facts("Priya", "works_at", valid_at=at(4, 1),
                               known_at=t0 + 2 * US)) == {"Globex"}
    assert objects(store.facts("Priya", "works_at", valid_at=at(2, 20),
                               known_at=t0 + 2 * US)) == {"Acme"}
    assert objects(store.facts("Priya", "works_at", valid_at=at(2, 20),
                               known_at=t0 + 3 * US)) == {"Globex"}
    clock.set(t0 + timedelta(days=1))
    r5 = say(store, clock, at(5, 1), "I use Jira", fact("uses", product("Jira")),
             step=timedelta(0))
    assert r5.recorded_at == t0 + timedelta(days=1)


# ---------------------------------------------------------------------------- 21. two writers

def test_two_writers_never_overlap_nor_fork(store_factory: Any, tenant: str,
                                            clock: FakeClock) -> None:
    store = store_factory(tenant)
    say(store, clock, at(1, 1), "I work at Acme", fact("works_at", org("Acme"),
                                                       valid_from=at(1, 1)))
    per_writer = 15
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(w: int) -> None:
        try:
            handle = store_factory(tenant)  # its own connection on the same file
            start.wait()
            for i in range(per_writer):
                company = f"Company {w}-{i}"
                when = at(1, 2) + timedelta(days=i * 2 + w)
                handle.apply(Episode.create(tenant=tenant, speaker="Priya", occurred_at=when,
                                            text=f"writer {w} message {i}"),
                             [fact("works_at", org(company), valid_from=when),
                              fact("uses", product(f"Tool {w}-{i}"))])
                if i % 5 == 4:
                    handle.retract("Priya", "works_at", at=when + timedelta(hours=12))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    # the clock never moved: the writes were stamped head + 1 µs each; read after them
    clock.advance(timedelta(hours=1))
    events = store.audit()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    report = store.verify()
    assert report.ok, report
    for known in sorted({e.at for e in events}):
        believed = store.find_versions(VersionQuery(predicate="works_at", known_at=known))
        assert overlapping(believed) == [], known
    final = store.facts("Priya", "works_at", valid_at=at(12, 1), known_at=clock.now())
    assert len(final) <= 1
    assert len(objects(store.current("Priya", "uses"))) == 2 * per_writer
    # the final view is the in-order view: every job runs until the next one starts
    jobs = sorted(store.find_versions(VersionQuery(predicate="works_at",
                                                   known_at=clock.now())),
                  key=lambda v: v.valid_from or at(1, 1))
    assert len(jobs) == 2 * per_writer + 1
    assert overlapping(jobs) == []


# ---------------------------------------------------------------------------- search

def test_search_finds_episodes_and_facts(store: GraphStore, clock: FakeClock) -> None:
    r = say(store, clock, at(3, 10), "Priya told us she joined Quuxcorp last week",
            fact("works_at", org("Quuxcorp"), valid_from=at(3, 1)))
    hits = store.search("Quuxcorp")
    kinds = {h.kind for h in hits}
    assert kinds == {"episode", "fact"}
    (ep_hit,) = [h for h in hits if h.kind == "episode"]
    assert ep_hit.id == r.episode_ids[0]
    fact_hits = [h for h in hits if h.kind == "fact"]
    assert {h.version.object_name for h in fact_hits if h.version} == {"Quuxcorp"}
    # the plain text is escaped, whatever the backend's full-text syntax
    for odd in ('"Quuxcorp', "Quuxcorp*)", "NEAR(Quuxcorp", "Quuxcorp AND", "-", "'; DROP"):
        store.search(odd)
    assert store.search("Zzyzx") == []


def test_search_episodes_respect_known_at(store: GraphStore, clock: FakeClock) -> None:
    r1 = say(store, clock, at(3, 10), "the wombat meeting was long")
    say(store, clock, at(3, 11), "another wombat meeting")
    hits = store.search("wombat", known_at=r1.recorded_at)
    assert [h.id for h in hits if h.kind == "episode"] == [r1.episode_ids[0]]
    assert store.search("wombat", known_at=r1.recorded_at - US) == []


def test_search_applies_valid_at_and_known_at_before_the_limit(store: GraphStore,
                                                               clock: FakeClock) -> None:
    early = say(store, clock, at(1, 2), "note one",
                fact("uses", product("Zebra Prime"), valid_from=at(1, 1)))
    for i in range(30):
        say(store, clock, at(1, 3), f"note {i + 2}",
            fact("uses", product(f"Zebra {i}"), valid_from=at(1, 1, year=2023),
                 valid_to=at(6, 1, year=2023)))
    by_valid = store.search("zebra", limit=3, valid_at=at(6, 1))
    assert [h.version.object_name for h in by_valid if h.version] == ["Zebra Prime"]
    by_known = store.search("zebra", limit=3, known_at=early.recorded_at)
    assert [h.version.object_name for h in by_known if h.version] == ["Zebra Prime"]
    in_2023 = store.search("zebra", limit=5, valid_at=at(3, 1, year=2023))
    assert len(in_2023) == 5
    assert all(h.version and h.version.valid_at(at(3, 1, year=2023)) for h in in_2023)
    assert store.search("zebra", limit=3, valid_at=at(3, 1, year=2023),
                        known_at=early.recorded_at) == []
