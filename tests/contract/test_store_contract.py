"""The GraphStore contract (DESIGN.md §2-§8, docs/temporal-model.md), run against every backend.

Every test gets a fresh tenant (``store``) on a real database and a :class:`FakeClock` starting at
2025-06-01T12:00Z (``clock``); message (valid) times are in 2024 unless a test says otherwise.

Part one: half-open intervals, bad input, open ends, future-dated facts and the write
rules of `one` predicates, out-of-order arrival, retraction, correction and `many`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import (
    InvalidInputError,
    InvalidIntervalError,
    NaiveDatetimeError,
    UnknownPredicateError,
)
from asof.graph.models import (
    AssertionKind,
    AuditAction,
    Basis,
    EntityRef,
    Episode,
    FactAssertion,
)
from asof.graph.store import GraphStore
from tests.contract.store_helpers import (
    US,
    actions,
    at,
    fact,
    objects,
    org,
    place,
    product,
    say,
    seen,
)

pytestmark = pytest.mark.contract


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


