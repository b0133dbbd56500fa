"""Statements and views shared by the store contract tests: one message with its
assertions (``say``), entity and fact builders, and the views the tests compare."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from asof.graph.clock import FakeClock
from asof.graph.models import (
    AuditAction,
    EntityRef,
    Episode,
    FactAssertion,
    FactVersion,
)
from asof.graph.store import GraphStore

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


def history(store: GraphStore, clock: FakeClock) -> None:
    """Five messages over 2024: two jobs, a tool, a home; the audit chain the verification
    tests tamper with."""
    say(store, clock, at(1, 10), "I joined Acme", fact("works_at", org("Acme"),
                                                       valid_from=at(1, 1)))
    say(store, clock, at(2, 10), "I use Slack", fact("uses", product("Slack")))
    say(store, clock, at(5, 10), "I joined Globex in May",
        fact("works_at", org("Globex"), valid_from=at(5, 1)))
    say(store, clock, at(6, 10), "I live in Berlin", fact("lives_in", place("Berlin")))
    say(store, clock, at(7, 10), "Still at Globex", fact("works_at", org("Globex")))
