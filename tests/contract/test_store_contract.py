"""The GraphStore contract (DESIGN.md §2-§8, docs/temporal-model.md), run against every backend.

Every test gets a fresh tenant (``store``) on a real database and a :class:`FakeClock` starting at
2025-06-01T12:00Z (``clock``); message (valid) times are in 2024 unless a test says otherwise.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import (
    InvalidInputError,
    InvalidIntervalError,
    NaiveDatetimeError,
    NotFoundError,
    UnknownPredicateError,
)
from asof.graph.models import (
    AssertionKind,
    AuditAction,
    Basis,
    EntityRef,
    Episode,
    FactAssertion,
    FactVersion,
    Granularity,
)
from asof.graph.predicates import default_registry
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract

US = timedelta(microseconds=1)
DAY = timedelta(days=1)


def at(month: int, day: int = 1, hour: int = 0, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def person(name: str = "Priya") -> EntityRef:
    return EntityRef(name=name, type="person")


def org(name: str) -> EntityRef:
    return EntityRef(name=name, type="organization")


def product(name: str) -> EntityRef:
    return EntityRef(name=name, type="product")


def place(name: str) -> EntityRef:
    return EntityRef(name=name, type="location")


def fact(predicate: str, obj: EntityRef | None, *, who: str = "Priya", **kw: Any) -> FactAssertion:
    return FactAssertion(subject=person(who), predicate=predicate, object=obj, **kw)


def say(store: GraphStore, clock: FakeClock, when: datetime, text: str,
        *assertions: FactAssertion, step: timedelta = timedelta(minutes=1)) -> Any:
    """One message at ``when`` (valid-time reference) carrying ``assertions``; the clock
    (transaction time) moves forward by ``step`` first."""
    clock.advance(step)
    episode = Episode.create(tenant=store.tenant, speaker="Priya", occurred_at=when, text=text)
    return store.apply(episode, list(assertions))


def seen(versions: Sequence[FactVersion]) -> set[tuple[str, datetime | None, datetime | None]]:
    """(object, valid_from, valid_to) of each version."""
    return {(v.object_name or v.object_value or "", v.valid_from, v.valid_to) for v in versions}


def objects(versions: Sequence[FactVersion]) -> set[str]:
    return {v.object_name or v.object_value or "" for v in versions}


def actions(store: GraphStore) -> list[AuditAction]:
    return [e.action for e in store.audit()]


def overlapping(versions: Sequence[FactVersion]) -> list[tuple[FactVersion, FactVersion]]:
    lo = datetime.min.replace(tzinfo=UTC)
    hi = datetime.max.replace(tzinfo=UTC)
    ordered = sorted(versions, key=lambda v: v.valid_from or lo)
    return [(a, b) for a, b in zip(ordered, ordered[1:], strict=False)
            if (a.valid_to or hi) > (b.valid_from or lo)]


# ---------------------------------------------------------------------------- 1. half-open

def test_valid_from_inclusive_valid_to_exclusive(store: GraphStore, clock: FakeClock) -> None:
    start, end = at(3, 1), at(6, 1)
    say(store, clock, at(6, 10), "I was at Acme from March to June",
        fact("works_at", org("Acme"), valid_from=start, valid_to=end))
    expected = {("Acme", start, end)}

    def visible(t: datetime) -> set[tuple[str, datetime | None, datetime | None]]:
        return seen(store.facts("Priya", "works_at", valid_at=t))

    assert visible(start - US) == set()
    assert visible(start) == expected
    assert visible(start + US) == expected
    assert visible(end - US) == expected
    assert visible(end) == set()
    assert visible(end + US) == set()


def test_exactly_one_version_visible_at_a_seam(store: GraphStore, clock: FakeClock) -> None:
    seam = at(3, 1)
    say(store, clock, at(1, 5), "I work at Acme", fact("works_at", org("Acme"),
                                                       valid_from=at(1, 1)))
    say(store, clock, at(3, 5), "I moved to Globex in March",
        fact("works_at", org("Globex"), valid_from=seam))
    assert objects(store.facts("Priya", "works_at", valid_at=seam - US)) == {"Acme"}
    assert objects(store.facts("Priya", "works_at", valid_at=seam)) == {"Globex"}
    assert objects(store.facts("Priya", "works_at", valid_at=seam + US)) == {"Globex"}
    assert seen(store.current("Priya", "works_at")) == {("Globex", seam, None)}


# ---------------------------------------------------------------------------- 2. bad input

def _raw(**fields: Any) -> dict[str, Any]:
    return {"subject": {"name": "Priya", "type": "person"}, "predicate": "works_at",
            "object": {"name": "Acme", "type": "organization"}, **fields}


@pytest.mark.parametrize("valid_from, valid_to", [
    (at(3, 1), at(3, 1)),  # empty
    (at(3, 1), at(3, 1) - US),  # inverted by 1 µs
    (at(6, 1), at(3, 1)),  # inverted
])
def test_empty_or_inverted_interval_rejected(store: GraphStore, clock: FakeClock,
                                             valid_from: datetime, valid_to: datetime) -> None:
    say(store, clock, at(1, 5), "I work at Acme", fact("works_at", org("Acme")))
    before = store.audit()
    with pytest.raises(InvalidIntervalError):
        FactAssertion.parse(_raw(valid_from=valid_from, valid_to=valid_to))
    with pytest.raises(InvalidInputError, match="empty or inverted"):
        store.assert_facts([_raw(valid_from=valid_from.isoformat(),  # type: ignore[list-item]
                                 valid_to=valid_to.isoformat())])
    with pytest.raises(InvalidInputError):
        store.correct("Priya", "works_at", "Acme", valid_from=valid_from, valid_to=valid_to)
    assert store.audit() == before
    assert seen(store.current("Priya", "works_at")) == {("Acme", at(1, 5), None)}


def test_naive_datetimes_rejected_with_a_helpful_message(store: GraphStore,
                                                         clock: FakeClock) -> None:
    say(store, clock, at(1, 5), "I work at Acme", fact("works_at", org("Acme")))
    before = store.audit()
    naive = datetime(2024, 3, 1, 9, 0)
    calls = {
        "episode": lambda: Episode.create(tenant=store.tenant, speaker="Priya",
                                          occurred_at=naive, text="hi"),
        "assert_facts(dict)": lambda: store.assert_facts(
            [_raw(valid_from="2024-03-01T09:00:00")]),  # type: ignore[list-item]
        "assert_facts(observed_at)": lambda: store.assert_facts(
            [fact("works_at", org("Globex"))], observed_at=naive),
        "facts(valid_at)": lambda: store.facts("Priya", valid_at=naive),
        "facts(known_at)": lambda: store.facts("Priya", known_at=naive),
        "search(valid_at)": lambda: store.search("Acme", valid_at=naive),
        "retract(at)": lambda: store.retract("Priya", "works_at", "Acme", at=naive),
        "correct(valid_from)": lambda: store.correct("Priya", "works_at", "Acme",
                                                     valid_from=naive),
    }
    for name, call in calls.items():
        with pytest.raises(NaiveDatetimeError) as info:
            call()
        assert "offset" in str(info.value), name
    assert store.audit() == before


def test_unknown_predicate_rejected_and_nothing_written(store: GraphStore,
                                                        clock: FakeClock) -> None:
    episode = Episode.create(tenant=store.tenant, speaker="Priya", occurred_at=at(2, 1),
                             text="I work at Acme and I flarp Zed")
    with pytest.raises(UnknownPredicateError, match="flarps"):
        store.apply(episode, [fact("works_at", org("Acme")),
                              fact("flarps", EntityRef(name="Zed"))])
    with pytest.raises(UnknownPredicateError):
        store.assert_facts([_raw(predicate="flarps")])
    assert store.audit() == []
    assert store.get_episodes([episode.id]) == []
    assert store.find_versions(VersionQuery()) == []
    assert store.entity("Priya") is None


# ---------------------------------------------------------------------------- 3. open ends

def test_open_ended_intervals_on_both_ends(store: GraphStore, clock: FakeClock) -> None:
    far_past = datetime(1, 1, 2, tzinfo=UTC)
    far_future = datetime(9999, 12, 30, tzinfo=UTC)
    say(store, clock, at(3, 5), "I used to live in Paris",
        fact("lives_in", place("Paris"), basis=Basis.UNKNOWN))
    say(store, clock, at(3, 5, 1), "I have worked at Acme since February",
        fact("works_at", org("Acme"), valid_from=at(2, 1)))
    (paris,) = store.facts("Priya", "lives_in", valid_at=far_past)
    assert paris.valid_from is None and paris.valid_to == at(3, 5)
    (acme,) = store.facts("Priya", "works_at", valid_at=far_future)
    assert acme.valid_from == at(2, 1) and acme.valid_to is None
    assert store.facts("Priya", "works_at", valid_at=far_past) == []
    assert store.facts("Priya", "lives_in", valid_at=far_future) == []
    assert seen(store.current("Priya")) == {("Acme", at(2, 1), None)}


# ---------------------------------------------------------------------------- 4. future-dated

def test_future_dated_fact_becomes_current_when_the_clock_passes(store: GraphStore,
                                                                 clock: FakeClock) -> None:
    now = clock.now()
    starts = now + timedelta(days=30)
    say(store, clock, now, "I work at Acme", fact("works_at", org("Acme")))
    say(store, clock, now + timedelta(minutes=5), "I start at Globex next month",
        fact("works_at", org("Globex"), valid_from=starts))
    assert objects(store.current("Priya", "works_at")) == {"Acme"}
    clock.set(starts - US)
    assert objects(store.current("Priya", "works_at")) == {"Acme"}
    clock.set(starts)
    assert objects(store.current("Priya", "works_at")) == {"Globex"}
    assert seen(store.facts("Priya", "works_at", valid_at=starts - US)) == {
        ("Acme", now, starts)}


# ---------------------------------------------------------------------------- 5. `one`

def test_one_predicate_new_job_closes_the_old(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "I work at Acme",
        fact("works_at", org("Acme"), valid_from=at(1, 1)))
    before = clock.now()
    result = say(store, clock, at(6, 10), "I joined Globex in June",
                 fact("works_at", org("Globex"), valid_from=at(6, 1)))
    assert seen(store.current("Priya", "works_at")) == {("Globex", at(6, 1), None)}
    assert seen(store.facts("Priya", "works_at", valid_at=at(3, 1))) == {
        ("Acme", at(1, 1), at(6, 1))}
    # as believed before the new job was stated, Acme was open-ended
    assert seen(store.facts("Priya", "works_at", valid_at=at(9, 1), known_at=before)) == {
        ("Acme", at(1, 1), None)}
    assert AuditAction.CLOSED in {e.action for e in result.events}
    (acme_now,) = store.facts("Priya", "works_at", valid_at=at(3, 1))
    history = store.versions(acme_now.fact_key)
    assert [(v.valid_to, v.superseded_at is None) for v in history] == [
        (None, False), (at(6, 1), True)]
    assert history[1].supersedes == history[0].version_id
    assert history[0].superseded_at == history[1].recorded_at == result.recorded_at


# ---------------------------------------------------------------------------- 6. out of order

def test_out_of_order_arrival_gives_the_in_order_view(store_factory: Any,
                                                      clock: FakeClock) -> None:
    statements = [
        (at(1, 10), "I joined Acme in January", fact("works_at", org("Acme"),
                                                     valid_from=at(1, 1))),
        (at(5, 10), "I moved to Globex in May", fact("works_at", org("Globex"),
                                                     valid_from=at(5, 1))),
        (at(9, 10), "I joined Initech in September", fact("works_at", org("Initech"),
                                                         valid_from=at(9, 1))),
        (at(3, 10), "I live in Berlin", fact("lives_in", place("Berlin"))),
        (at(2, 10), "I used to live in Paris", fact("lives_in", place("Paris"),
                                                    basis=Basis.UNKNOWN)),
    ]
    views = []
    for order in ([0, 1, 2, 3, 4], [2, 1, 0, 4, 3], [1, 2, 0, 3, 4], [4, 0, 3, 2, 1]):
        store = store_factory()
        for i in order:
            when, text, assertion = statements[i]
            say(store, clock, when, text, assertion)
        view = seen(store.find_versions(VersionQuery(known_at=clock.now())))
        answers = [seen(store.facts("Priya", valid_at=t))
                   for t in (at(1, 1) - US, at(1, 1), at(2, 10), at(3, 10), at(5, 1) - US,
                             at(5, 1), at(9, 1), at(12, 1))]
        views.append((view, answers))
    assert all(view == views[0] for view in views)
    assert views[0][1][1] == {("Acme", at(1, 1), at(5, 1)), ("Paris", None, at(2, 10))}
    views = [view for view, _ in views]
    assert views[0] == {
        ("Acme", at(1, 1), at(5, 1)), ("Globex", at(5, 1), at(9, 1)), ("Initech", at(9, 1), None),
        ("Paris", None, at(2, 10)), ("Berlin", at(3, 10), None)}


# ---------------------------------------------------------------------------- 7. same start

@pytest.mark.parametrize("arrival", ["in order", "later-observed first"])
def test_same_start_later_observed_wins(store: GraphStore, clock: FakeClock,
                                        arrival: str) -> None:
    first = (at(3, 5), "I joined Acme on 1 March", fact("works_at", org("Acme"),
                                                        valid_from=at(3, 1)))
    second = (at(3, 20), "No wait, I joined Globex on 1 March",
              fact("works_at", org("Globex"), valid_from=at(3, 1)))
    order = [first, second] if arrival == "in order" else [second, first]
    results = [say(store, clock, when, text, a) for when, text, a in order]
    assert seen(store.current("Priya", "works_at")) == {("Globex", at(3, 1), None)}
    assert seen(store.facts("Priya", "works_at", valid_at=at(3, 1))) == {
        ("Globex", at(3, 1), None)}
    known_before = results[1].recorded_at - US
    expected_before = "Acme" if arrival == "in order" else "Globex"
    assert objects(store.facts("Priya", "works_at", valid_at=at(4, 1),
                               known_at=known_before)) == {expected_before}
    if arrival == "in order":
        assert AuditAction.CORRECTED in {e.action for e in results[1].events}


# ---------------------------------------------------------------------------- 8. retraction

def test_retraction_closes_at_the_stated_time(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "I use Slack", fact("uses", product("Slack"),
                                                     valid_from=at(1, 1)))
    say(store, clock, at(1, 10, 1), "I work at Acme", fact("works_at", org("Acme"),
                                                           valid_from=at(1, 1)))
    result = say(store, clock, at(8, 1), "I stopped using Slack in May",
                 fact("uses", product("Slack"), valid_from=at(5, 1),
                      kind=AssertionKind.RETRACT))
    assert AuditAction.RETRACTED in {e.action for e in result.events}
    assert seen(store.facts("Priya", "uses", valid_at=at(4, 1))) == {
        ("Slack", at(1, 1), at(5, 1))}
    assert store.facts("Priya", "uses", valid_at=at(5, 1)) == []
    # a `one` predicate may omit the object: whatever holds then ends
    clock.advance()  # transaction time = the clock (reads at "now" see the write)
    store.retract("Priya", "works_at", at=at(7, 1))
    assert seen(store.facts("Priya", "works_at", valid_at=at(6, 1))) == {
        ("Acme", at(1, 1), at(7, 1))}
    assert store.current("Priya") == []


def test_retraction_without_time_closes_at_the_episode_time(store: GraphStore,
                                                            clock: FakeClock) -> None:
    said = datetime(2024, 5, 17, 14, 3, 27, 123456, tzinfo=UTC)
    say(store, clock, at(1, 10), "I use Slack", fact("uses", product("Slack")))
    say(store, clock, said, "I no longer use Slack",
        fact("uses", product("Slack"), kind=AssertionKind.RETRACT))
    assert seen(store.facts("Priya", "uses", valid_at=said - US)) == {
        ("Slack", at(1, 10), said)}
    assert store.facts("Priya", "uses", valid_at=said) == []
    assert AuditAction.RETRACTED in actions(store)


# ---------------------------------------------------------------------------- 9. correction

def test_correction_keeps_the_old_belief_in_the_past(store: GraphStore,
                                                     clock: FakeClock) -> None:
    say(store, clock, at(3, 10), "I joined Acme in March",
        fact("works_at", org("Acme"), valid_from=at(3, 1)))
    before = clock.now()
    clock.advance()
    result = store.correct("Priya", "works_at", "Acme", valid_from=at(2, 1))
    assert result.recorded_at is not None and result.recorded_at > before
    assert seen(store.current("Priya", "works_at")) == {("Acme", at(2, 1), None)}
    assert objects(store.facts("Priya", "works_at", valid_at=at(2, 15))) == {"Acme"}
    assert store.facts("Priya", "works_at", valid_at=at(2, 15), known_at=before) == []
    assert seen(store.facts("Priya", "works_at", valid_at=at(3, 15), known_at=before)) == {
        ("Acme", at(3, 1), None)}
    (now,) = store.current("Priya", "works_at")
    history = store.versions(now.fact_key)
    assert [(v.valid_from, v.superseded_at) for v in history] == [
        (at(3, 1), result.recorded_at), (at(2, 1), None)]
    corrected = [e for e in store.audit() if e.action is AuditAction.CORRECTED]
    assert corrected and f"version:{history[0].version_id}" in corrected[-1].superseded
    assert any(f"version:{history[1].version_id}" in e.targets for e in store.audit())


def test_correction_of_the_object(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(3, 10), "I joined Acme in March",
        fact("works_at", org("Acme"), valid_from=at(3, 1)))
    before = clock.now()
    clock.advance()
    store.correct("Priya", "works_at", "Globex", corrects="Acme")
    assert seen(store.current("Priya", "works_at")) == {("Globex", at(3, 1), None)}
    assert seen(store.facts("Priya", "works_at", valid_at=at(4, 1), known_at=before)) == {
        ("Acme", at(3, 1), None)}
    assert AuditAction.CORRECTED in actions(store)


def test_correction_keeps_the_open_end_of_an_open_fact(store: GraphStore,
                                                       clock: FakeClock) -> None:
    """A correction without a new end keeps the end the version's claims state: a shorter
    claim inside an open-ended version must not become its end."""
    say(store, clock, at(1, 1), "I use Jira", fact("uses", product("Jira"),
                                                   valid_from=at(1, 1)))
    say(store, clock, at(1, 5), "I used Jira for the Q1 project from 5 to 10 January",
        fact("uses", product("Jira"), valid_from=at(1, 5), valid_to=at(1, 10)))
    assert seen(store.current("Priya", "uses")) == {("Jira", at(1, 1), None)}
    clock.advance()
    store.correct("Priya", "uses", "Jira", valid_from=at(12, 20, year=2023))
    clock.advance()
    assert seen(store.current("Priya", "uses")) == {("Jira", at(12, 20, year=2023), None)}


@pytest.mark.parametrize("change", [
    {"valid_to": at(2, 1)},  # the version starts 1 March: [Mar, Feb) is inverted
    {"valid_from": at(8, 1)},  # the stated end is 1 June: [Aug, Jun) is inverted
])
def test_correction_to_an_inverted_interval_is_rejected(store: GraphStore, clock: FakeClock,
                                                        change: dict[str, datetime]) -> None:
    say(store, clock, at(3, 10), "I was at Acme from March to June",
        fact("works_at", org("Acme"), valid_from=at(3, 1), valid_to=at(6, 1)))
    events = store.audit()
    clock.advance()
    with pytest.raises(InvalidInputError):
        store.correct("Priya", "works_at", "Acme", **change)
    clock.advance()
    assert store.audit() == events
    assert seen(store.facts("Priya", "works_at", valid_at=at(4, 1))) == {
        ("Acme", at(3, 1), at(6, 1))}


# ---------------------------------------------------------------------------- 10. many

def test_many_predicates_coexist_until_retracted(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "I use Slack", fact("uses", product("Slack"),
                                                     valid_from=at(1, 1)))
    say(store, clock, at(2, 10), "I use Jira", fact("uses", product("Jira"),
                                                    valid_from=at(2, 1)))
    say(store, clock, at(3, 10), "I use Notion", fact("uses", product("Notion")))
    assert seen(store.current("Priya", "uses")) == {
        ("Slack", at(1, 1), None), ("Jira", at(2, 1), None), ("Notion", at(3, 10), None)}
    assert not any(e.action is AuditAction.CLOSED for e in store.audit())
    say(store, clock, at(6, 1), "I dropped Jira", fact("uses", product("Jira"),
                                                       kind=AssertionKind.RETRACT))
    assert objects(store.current("Priya", "uses")) == {"Slack", "Notion"}
    assert objects(store.facts("Priya", "uses", valid_at=at(5, 1))) == {"Slack", "Jira", "Notion"}


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

def _history(store: GraphStore, clock: FakeClock) -> None:
    say(store, clock, at(1, 10), "I joined Acme", fact("works_at", org("Acme"),
                                                       valid_from=at(1, 1)))
    say(store, clock, at(2, 10), "I use Slack", fact("uses", product("Slack")))
    say(store, clock, at(5, 10), "I joined Globex in May",
        fact("works_at", org("Globex"), valid_from=at(5, 1)))
    say(store, clock, at(6, 10), "I live in Berlin", fact("lives_in", place("Berlin")))
    say(store, clock, at(7, 10), "Still at Globex", fact("works_at", org("Globex")))


def _writer_of(store: GraphStore, version_id: str) -> int:
    return min(e.seq for e in store.audit() if f"version:{version_id}" in e.targets)


def test_verify_detects_a_version_edited_in_the_store(store: GraphStore, clock: FakeClock,
                                                      tamper: Any) -> None:
    _history(store, clock)
    assert store.verify().ok
    (acme,) = store.facts("Priya", "works_at", valid_at=at(2, 1))
    tamper.edit_version(store, acme.version_id, valid_from=at(1, 15))
    report = store.verify()
    assert not report.ok
    assert report.first_bad_seq == _writer_of(store, acme.version_id)


def test_verify_detects_a_version_closed_in_the_store(store: GraphStore, clock: FakeClock,
                                                      tamper: Any) -> None:
    _history(store, clock)
    (berlin,) = store.current("Priya", "lives_in")
    tamper.edit_version(store, berlin.version_id, superseded_at=clock.now())
    report = store.verify()
    assert not report.ok and report.first_bad_seq is not None


def test_verify_detects_a_deleted_event(store: GraphStore, clock: FakeClock,
                                        tamper: Any) -> None:
    _history(store, clock)
    n = len(store.audit())
    assert n >= 5
    victim = n // 2
    tamper.delete_event(store, victim)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == victim


def test_verify_detects_swapped_events(store: GraphStore, clock: FakeClock,
                                       tamper: Any) -> None:
    _history(store, clock)
    n = len(store.audit())
    tamper.swap_events(store, 2, n - 1)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == 2


def test_verify_detects_truncation_against_a_checkpoint(store: GraphStore, clock: FakeClock,
                                                        tamper: Any) -> None:
    _history(store, clock)
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
    _history(other, clock)
    with pytest.raises(InvalidInputError):
        store.verify(other.checkpoint())


def test_hmac_signed_events_fail_with_a_wrong_key(store_factory: Any, tenant: str,
                                                  clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=b"right key")
    _history(signed, clock)
    events = signed.audit()
    assert events and all(e.signature for e in events)
    report = signed.verify()
    assert report.ok and report.signatures_checked
    wrong = store_factory(tenant, audit_key=b"wrong key")
    report = wrong.verify()
    assert not report.ok and report.first_bad_seq == 1
    unsigned = store_factory()
    _history(unsigned, clock)
    assert all(e.signature is None for e in unsigned.audit())
    assert not store_factory(unsigned.tenant, audit_key=b"right key").verify().ok


# ---------------------------------------------------------------------------- 18. tenancy

def test_tenant_isolation(store: GraphStore, store_factory: Any, clock: FakeClock) -> None:
    _history(store, clock)
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
