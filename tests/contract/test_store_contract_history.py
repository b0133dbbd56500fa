"""The GraphStore contract (DESIGN.md §2-§8, docs/temporal-model.md), run against every backend.

Every test gets a fresh tenant (``store``) on a real database and a :class:`FakeClock` starting at
2025-06-01T12:00Z (``clock``); message (valid) times are in 2024 unless a test says otherwise.

Part two: events and "used to", re-assertion and re-ingestion, TTL, erasure and the
audit chain's verification.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import (
    InvalidInputError,
    NotFoundError,
)
from asof.graph.models import (
    AuditAction,
    Basis,
    EntityRef,
    Episode,
    Granularity,
)
from asof.graph.predicates import default_registry
from asof.graph.store import GraphStore
from tests.contract.store_helpers import (
    DAY,
    US,
    actions,
    at,
    fact,
    history,
    objects,
    org,
    place,
    product,
    say,
    seen,
)

pytestmark = pytest.mark.contract


# ---------------------------------------------------------------------------- 11. events

def test_event_predicates_get_their_granularity_interval(store: GraphStore,
                                                         clock: FakeClock) -> None:
    say(store, clock, at(3, 20), "I visited Paris on 15 March",
        fact("visited", place("Paris"), valid_from=at(3, 15), granularity=Granularity.DAY))
    say(store, clock, at(6, 20), "I attended PyCon in May",
        fact("attended", EntityRef(name="PyCon", type="event"), valid_from=at(5, 1),
             granularity=Granularity.MONTH))
    assert seen(store.facts("Priya", "visited", valid_at=at(3, 15, 23))) == {
        ("Paris", at(3, 15), at(3, 16))}
    assert store.facts("Priya", "visited", valid_at=at(3, 16)) == []
    assert store.facts("Priya", "visited", valid_at=at(3, 15) - US) == []
    assert seen(store.facts("Priya", "attended", valid_at=at(5, 31, 23))) == {
        ("PyCon", at(5, 1), at(6, 1))}
    assert store.facts("Priya", "attended", valid_at=at(6, 1)) == []
    assert store.current("Priya") == []


# ---------------------------------------------------------------------------- 12. used to

def test_used_to_has_an_unknown_start(store: GraphStore, clock: FakeClock) -> None:
    said = at(4, 2, 9)
    say(store, clock, said, "I used to live in Paris",
        fact("lives_in", place("Paris"), basis=Basis.UNKNOWN))
    (paris,) = store.facts("Priya", "lives_in", valid_at=at(1, 1, year=1990))
    assert paris.valid_from is None and paris.valid_to == said
    assert paris.valid_from_basis is Basis.UNKNOWN
    assert store.facts("Priya", "lives_in", valid_at=said) == []


# ---------------------------------------------------------------------------- 13. re-assertion

def test_reassertion_is_idempotent(store: GraphStore, clock: FakeClock) -> None:
    first = say(store, clock, at(1, 10), "I joined Acme in January",
                fact("works_at", org("Acme"), valid_from=at(1, 1)))
    (v1,) = store.current("Priya", "works_at")
    again = say(store, clock, at(4, 10), "I work at Acme, since January",
                fact("works_at", org("Acme"), valid_from=at(1, 1)))
    still = say(store, clock, at(7, 10), "Still at Acme", fact("works_at", org("Acme")))
    (v2,) = store.current("Priya", "works_at")
    assert v2.version_id == v1.version_id
    assert store.versions(v1.fact_key) == [v2]
    assert again.written == [] and still.written == []
    assert set(v2.episode_ids) == {*first.episode_ids, *again.episode_ids, *still.episode_ids}
    assert len(set(v2.episode_ids)) == 3
    assert actions(store).count(AuditAction.CONFIRMED) == 2


# ---------------------------------------------------------------------------- 14. re-ingest

def test_reingesting_the_same_episode_changes_nothing(store: GraphStore,
                                                      clock: FakeClock) -> None:
    episode = Episode.create(tenant=store.tenant, speaker="Priya", occurred_at=at(2, 1),
                             text="I joined Acme in January and use Slack")
    assertions = [fact("works_at", org("Acme"), valid_from=at(1, 1)),
                  fact("uses", product("Slack"))]
    store.apply(episode, assertions)
    events, versions = store.audit(), store.find_versions(VersionQuery())
    clock.advance(timedelta(hours=1))
    result = store.apply(episode, assertions)
    clock.set(clock.now() - timedelta(days=3))
    again = store.apply(Episode.create(tenant=store.tenant, speaker="Priya",
                                       occurred_at=at(2, 1),
                                       text="I joined Acme in January and use Slack"),
                        assertions)
    assert result.duplicate and again.duplicate
    assert store.audit() == events
    assert store.find_versions(VersionQuery()) == versions
    assert store.checkpoint().hash == events[-1].hash


def test_assert_facts_is_idempotent_by_source_id(store: GraphStore, clock: FakeClock) -> None:
    assertion = fact("works_at", org("Acme"), valid_from=at(1, 1))
    first = store.assert_facts([assertion], source_id="req-42")
    events = store.audit()
    clock.advance(timedelta(minutes=5))
    retry = store.assert_facts([assertion], source_id="req-42")
    assert not first.duplicate and retry.duplicate
    assert store.audit() == events
    other = store.assert_facts([assertion], source_id="req-43")
    assert not other.duplicate and other.written == []
    assert len(store.versions(store.current("Priya")[0].fact_key)) == 1


# ---------------------------------------------------------------------------- 15. TTL

def test_ttl_expired_facts_leave_current_truth_not_the_past(store_factory: Any,
                                                            clock: FakeClock) -> None:
    registry = default_registry().with_ttl("uses", timedelta(days=30))
    store = store_factory(registry=registry)
    said = clock.now()
    say(store, clock, said, "I use Slack", fact("uses", product("Slack")),
        step=timedelta(0))
    say(store, clock, said, "I work at Acme", fact("works_at", org("Acme")),
        step=timedelta(0))
    expires = said + timedelta(days=30)
    (slack,) = store.current("Priya", "uses")
    assert slack.expires_at == expires
    clock.set(expires - US)
    assert objects(store.current("Priya")) == {"Slack", "Acme"}
    clock.set(expires + DAY)
    assert objects(store.current("Priya")) == {"Acme"}  # before any expire job
    known_before = clock.now()
    clock.advance()
    result = store.expire()
    assert AuditAction.EXPIRED in {e.action for e in result.events}
    assert AuditAction.EXPIRED in actions(store)
    assert objects(store.current("Priya")) == {"Acme"}
    mid = said + timedelta(days=10)
    assert seen(store.facts("Priya", "uses", valid_at=mid)) == {("Slack", said, expires)}
    assert seen(store.facts("Priya", "uses", valid_at=mid, known_at=known_before)) == {
        ("Slack", said, None)}
    assert seen(store.facts("Priya", "uses", valid_at=expires + DAY, known_at=known_before))
    assert store.facts("Priya", "uses", valid_at=expires + DAY) == []
    assert store.expire().events == []  # nothing left to expire
    assert store.verify().ok


# ---------------------------------------------------------------------------- 16. erasure

def test_erasure_removes_the_subject_everywhere(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "Priya Raman joined Acme and uses Slack",
        fact("works_at", org("Acme"), valid_from=at(1, 1)), fact("uses", product("Slack")))
    say(store, clock, at(2, 10), "Priya Raman moved to Globex",
        fact("works_at", org("Globex"), valid_from=at(2, 1)))
    say(store, clock, at(2, 11), "Bob Stone lives in Berlin",
        fact("lives_in", place("Berlin"), who="Bob Stone"))
    priya = store.resolve("Priya")
    known_before = clock.now()
    assert store.search("Raman")
    result = store.forget("Priya")
    assert result.entity_id == priya.id
    assert store.entity("Priya") is None and store.entity(priya.id) is None
    with pytest.raises(NotFoundError):
        store.resolve("Priya")
    for valid, known in [(at(1, 15), known_before), (at(3, 1), known_before),
                         (at(3, 1), None), (None, None)]:
        kw: dict[str, datetime] = {}
        if valid is not None:
            kw["valid_at"] = valid
        if known is not None:
            kw["known_at"] = known
        assert all(v.subject_id != priya.id for v in store.facts(**kw))
    everything = store.find_versions(VersionQuery())
    assert all(priya.id not in (v.subject_id, v.object_id) for v in everything)
    assert store.find_versions(VersionQuery(entity_id=priya.id)) == []
    assert store.find_claims(priya.id) == []
    assert store.search("Raman") == [] and store.search("Priya") == []
    assert store.search("Raman", known_at=known_before) == []
    for episode in store.get_episodes([e.episode_id for e in store.audit() if e.episode_id]):
        assert "Priya" not in episode.text and "Raman" not in episode.text
    # Bob is untouched
    assert objects(store.current("Bob Stone")) == {"Berlin"}
    assert any(h.kind == "fact" for h in store.search("Berlin"))
    # the chain still verifies, with a PII-free tombstone
    report = store.verify()
    assert report.ok, report
    (erased,) = [e for e in store.audit() if e.action is AuditAction.ERASED]
    dumped = json.dumps(erased.model_dump(mode="json")).lower()
    for word in ("priya", "raman", "acme", "globex", "slack", "joined", "moved"):
        assert word not in dumped
    assert f"entity:{priya.id}" in erased.targets


#: Look-alikes of "Bob Stone": a zero-width space, a right-to-left mark, a zero-width joiner
#: and a byte-order mark inside the name, and a fullwidth letter (folded by NFKC).
LOOK_ALIKES = ["Bo\u200bb Stone", "\u200fBob Stone", "Bob\u200d Stone", "Bob Sto\ufeffne",
               "\uff22ob Stone"]


def test_look_alike_names_resolve_to_one_entity(store: GraphStore, clock: FakeClock) -> None:
    """Issue #16 item 11: invisible characters and compatibility forms do not make a new
    entity, so a query by the plain name sees every fact."""
    say(store, clock, at(1, 10), "Bob Stone works at Initech",
        fact("works_at", org("Initech"), who="Bob Stone"))
    for index, name in enumerate(LOOK_ALIKES):
        say(store, clock, at(2, 1 + index), f"{name} uses Slack {index}",
            fact("uses", product(f"Slack {index}"), who=name))
    people = [e for e in store.list_entities() if e.type == "person"]
    assert len(people) == 1, [e.name for e in people]
    assert objects(store.current("Bob Stone")) == {"Initech"} | {
        f"Slack {i}" for i in range(len(LOOK_ALIKES))}
    assert store.resolve(LOOK_ALIKES[0]).id == people[0].id


def test_erasure_reaches_messages_that_spell_the_name_with_invisible_characters(
        store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "Bob Stone works at Initech",
        fact("works_at", org("Initech"), who="Bob Stone"))
    say(store, clock, at(1, 11), "I saw B\u200bob S\u200ftone at lunch")
    say(store, clock, at(1, 12), "Lunch was good")
    store.forget("Bob Stone")
    texts = [e.text for e in store.get_episodes(
        [e.episode_id for e in store.audit() if e.episode_id])]
    assert not any("lunch" in t for t in texts if "saw" in t), texts
    assert "Lunch was good" in texts
    assert store.verify().ok


def test_erasure_reaches_messages_the_person_spoke(store: GraphStore,
                                                   clock: FakeClock) -> None:
    """Issue #16 item 8: a message spoken by the erased person is erased even when its text
    names nobody (the speaker is matched like the text, folded)."""
    say(store, clock, at(1, 10), "Bob Stone works at Initech",
        fact("works_at", org("Initech"), who="Bob Stone"))
    for speaker in ("Bob Stone", "bob\u200b stone"):
        clock.advance(timedelta(minutes=1))
        store.apply(Episode.create(tenant=store.tenant, speaker=speaker, occurred_at=at(1, 11),
                                   text=f"my knee hurts again ({speaker[:3]})"))
    clock.advance(timedelta(minutes=1))
    store.apply(Episode.create(tenant=store.tenant, speaker="Ann", occurred_at=at(1, 12),
                               text="my knee is fine"))
    result = store.forget("Bob Stone")
    assert result.episodes == 3
    episodes = store.get_episodes([e.episode_id for e in store.audit() if e.episode_id])
    assert not any("hurts" in e.text for e in episodes)
    assert [e.text for e in episodes if e.speaker == "Ann"] == ["my knee is fine"]
    assert store.verify().ok


# ---------------------------------------------------------------------------- 17. verify

def _writer_of(store: GraphStore, version_id: str) -> int:
    return min(e.seq for e in store.audit() if f"version:{version_id}" in e.targets)


def test_verify_detects_a_version_edited_in_the_store(store: GraphStore, clock: FakeClock,
                                                      tamper: Any) -> None:
    history(store, clock)
    assert store.verify().ok
    (acme,) = store.facts("Priya", "works_at", valid_at=at(2, 1))
    tamper.edit_version(store, acme.version_id, valid_from=at(1, 15))
    report = store.verify()
    assert not report.ok
    assert report.first_bad_seq == _writer_of(store, acme.version_id)


def test_verify_detects_a_version_closed_in_the_store(store: GraphStore, clock: FakeClock,
                                                      tamper: Any) -> None:
    history(store, clock)
    (berlin,) = store.current("Priya", "lives_in")
    tamper.edit_version(store, berlin.version_id, superseded_at=clock.now())
    report = store.verify()
    assert not report.ok and report.first_bad_seq is not None


def test_verify_detects_a_deleted_event(store: GraphStore, clock: FakeClock,
                                        tamper: Any) -> None:
    history(store, clock)
    n = len(store.audit())
    assert n >= 5
    victim = n // 2
    tamper.delete_event(store, victim)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == victim


def test_verify_detects_swapped_events(store: GraphStore, clock: FakeClock,
                                       tamper: Any) -> None:
    history(store, clock)
    n = len(store.audit())
    tamper.swap_events(store, 2, n - 1)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == 2


def test_verify_detects_truncation_against_a_checkpoint(store: GraphStore, clock: FakeClock,
                                                        tamper: Any) -> None:
    history(store, clock)
    checkpoint = store.checkpoint()
    assert checkpoint.seq == len(store.audit()) and store.verify(checkpoint).ok
    kept = checkpoint.seq - 1
    tamper.truncate_events(store, kept)  # the last write only confirmed a belief
    report = store.verify(checkpoint)
    assert not report.ok
    assert report.first_bad_seq == kept + 1


def test_verify_rejects_a_checkpoint_of_another_tenant(store: GraphStore,
                                                       store_factory: Any,
                                                       clock: FakeClock) -> None:
    other = store_factory()
    history(other, clock)
    with pytest.raises(InvalidInputError):
        store.verify(other.checkpoint())


def test_hmac_signed_events_fail_with_a_wrong_key(store_factory: Any, tenant: str,
                                                  clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=b"right key")
    history(signed, clock)
    events = signed.audit()
    assert events and all(e.signature for e in events)
    report = signed.verify()
    assert report.ok and report.signatures_checked
    wrong = store_factory(tenant, audit_key=b"wrong key")
    report = wrong.verify()
    assert not report.ok and report.first_bad_seq == 1
    unsigned = store_factory()
    history(unsigned, clock)
    assert all(e.signature is None for e in unsigned.audit())
    assert not store_factory(unsigned.tenant, audit_key=b"right key").verify().ok


