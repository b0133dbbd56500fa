"""A small in-memory oracle of asof's temporal model, written from docs/temporal-model.md only.

It keeps *claims* (assertions and retractions, with their arrival order and transaction time)
and answers ``facts(valid_at, known_at)`` by brute force: take the claims believed at
``known_at``, evaluate the doc's instant-by-instant rule on every elementary segment between
claim boundaries, and merge equal neighbours into maximal intervals. Nothing is cached and no
code is shared with ``graph/`` (on purpose: the property test compares two independent readings
of the same page).

Instants are aware datetimes; ``None`` is the unbounded past for a start and "open" for an end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

ONE, MANY = "one", "many"
_US = timedelta(microseconds=1)


class Undefined(Exception):
    """The doc gives this write no meaning (e.g. a correction yielding an empty interval)."""


@dataclass(eq=False)
class Claim:
    subject: str
    predicate: str
    obj: str
    start: datetime | None  #: assertion: from; retraction: at
    end: datetime | None  #: the end the statement itself gave (assertions only)
    observed_at: datetime
    arrival: int
    recorded_at: datetime
    retraction: bool = False
    superseded_at: datetime | None = None

    def known_at(self, instant: datetime | None) -> bool:
        """Believed at ``instant`` (None: now, i.e. not superseded)."""
        if instant is None:
            return self.superseded_at is None
        return self.recorded_at <= instant and (
            self.superseded_at is None or instant < self.superseded_at)


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    obj: str
    valid_from: datetime | None
    valid_to: datetime | None

    def holds_at(self, t: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= t) and (
            self.valid_to is None or t < self.valid_to)


@dataclass
class _Version:
    fact: Fact
    claims: set[Claim] = field(default_factory=set)  #: assertion claims active in it
    last: set[Claim] = field(default_factory=set)  #: those active on its last segment

    def stated_end(self) -> datetime | None:
        """The end its claims state: what a correction keeps when it gives no new end.
        (The version itself may end earlier: cut by a retraction or by another object.)"""
        ends = [c.end for c in self.last]
        return None if None in ends else max(e for e in ends if e is not None)


def _le(a: datetime | None, t: datetime | None) -> bool:
    """a <= t, where a None is -inf (a start) and t None is the segment from -inf."""
    if a is None:
        return True
    return t is not None and a <= t


def _before_end(t: datetime | None, end: datetime | None) -> bool:
    """t < end, where end None is +inf and t None is -inf."""
    return end is None or t is None or t < end


def _order(c: Claim) -> tuple[int, datetime | None, datetime, int]:
    """By from (None first), then observed_at, then arrival."""
    return (0, None, c.observed_at, c.arrival) if c.start is None else (
        1, c.start, c.observed_at, c.arrival)


def _sort_key(c: Claim) -> tuple[object, ...]:
    kind, start, observed, arrival = _order(c)
    return (kind, start or observed, observed, arrival)


class Oracle:
    def __init__(self, cardinality: dict[str, str]) -> None:
        self.cardinality = cardinality
        self.claims: list[Claim] = []
        self.head: datetime | None = None
        self._arrivals = 0

    # ---------------------------------------------------------------- transaction time

    def begin(self, clock_now: datetime) -> datetime:
        """The transaction time of the next write: strictly after the previous one."""
        now = clock_now if self.head is None else max(clock_now, self.head + _US)
        self.head = now
        return now

    # ---------------------------------------------------------------- writes

    def _add(self, now: datetime, subject: str, predicate: str, obj: str,
             start: datetime | None, end: datetime | None, observed_at: datetime,
             retraction: bool = False) -> Claim:
        self._arrivals += 1
        claim = Claim(subject, predicate, obj, start, end, observed_at, self._arrivals, now,
                      retraction)
        self.claims.append(claim)
        return claim

    def check_assertion(self, start: datetime | None, end: datetime | None) -> None:
        if start is not None and end is not None and end <= start:
            raise Undefined(f"empty interval [{start}, {end})")

    def assert_(self, now: datetime, subject: str, predicate: str, obj: str,
                start: datetime | None, end: datetime | None, observed_at: datetime) -> None:
        """``start`` and ``end`` as the claim has them (the caller resolves "no start" to the
        message time, "used to" to (None, message time), events to their granularity)."""
        self.check_assertion(start, end)
        self._add(now, subject, predicate, obj, start, end, observed_at)

    def retract(self, now: datetime, subject: str, predicate: str, obj: str | None,
                at: datetime, observed_at: datetime) -> None:
        if obj is None:
            if self.cardinality[predicate] != ONE:
                raise Undefined("a retraction without an object needs a `one` predicate")
            holding = [v.fact.obj for v in self._view(subject, predicate, None)
                       if v.fact.holds_at(at)]
            if not holding:
                return  # nothing holds: nothing is stored
            (obj,) = holding
        self._add(now, subject, predicate, obj, at, None, observed_at, retraction=True)

    def check_correction(self, subject: str, predicate: str, obj: str, corrects: str | None,
                         start: datetime | None, end: datetime | None,
                         observed_at: datetime) -> tuple[Claim | None, set[Claim]]:
        """What a correction would write; raises :class:`Undefined` for an empty interval."""
        wrong = corrects if corrects is not None else obj
        mine = [v for v in self._view(subject, predicate, None) if v.fact.obj == wrong]
        if not mine:
            new_start = start if start is not None else observed_at
            self.check_assertion(new_start, end)
            return Claim(subject, predicate, obj, new_start, end, observed_at, 0,
                         observed_at), set()
        latest = max(mine, key=lambda v: (v.fact.valid_from is not None,
                                          v.fact.valid_from or observed_at))
        new_start = start if start is not None else latest.fact.valid_from
        new_end = end if end is not None else latest.stated_end()
        self.check_assertion(new_start, new_end)
        return Claim(subject, predicate, obj, new_start, new_end, observed_at, 0,
                     observed_at), latest.claims

    def correct(self, now: datetime, subject: str, predicate: str, obj: str,
                corrects: str | None, start: datetime | None, end: datetime | None,
                observed_at: datetime) -> None:
        template, superseded = self.check_correction(subject, predicate, obj, corrects, start,
                                                     end, observed_at)
        assert template is not None
        for claim in superseded:
            claim.superseded_at = now
        self._add(now, subject, predicate, obj, template.start, template.end, observed_at)

    # ---------------------------------------------------------------- reads

    def _view(self, subject: str, predicate: str, known_at: datetime | None) -> list[_Version]:
        """The valid-time view of one (subject, predicate) from the claims believed then."""
        claims = [c for c in self.claims if c.subject == subject and c.predicate == predicate
                  and c.known_at(known_at)]
        asserts = sorted((c for c in claims if not c.retraction), key=_sort_key)
        retractions = [c for c in claims if c.retraction]

        def retracted(c: Claim, t: datetime | None) -> bool:
            return any(r.obj == c.obj and (c.start is None or c.start < r.start)
                       and _le(r.start, t) for r in retractions)

        def active(t: datetime | None) -> dict[str, set[Claim]]:
            """object -> the assertion claims that make it hold at t."""
            if self.cardinality[predicate] == ONE:
                started = [c for c in asserts if _le(c.start, t)]
                if not started:
                    return {}
                c = started[-1]
                if _before_end(t, c.end) and not retracted(c, t):
                    return {c.obj: {c}}
                return {}
            out: dict[str, set[Claim]] = {}
            for c in asserts:
                if _le(c.start, t) and _before_end(t, c.end) and not retracted(c, t):
                    out.setdefault(c.obj, set()).add(c)
            return out

        bounds = sorted({b for c in claims for b in (c.start, c.end) if b is not None})
        starts: list[datetime | None] = [None, *bounds]
        ends: list[datetime | None] = [*bounds, None]
        versions: list[_Version] = []
        open_by_obj: dict[str, _Version] = {}
        for seg_start, seg_end in zip(starts, ends, strict=True):
            here = active(seg_start)  # constant on the segment: every boundary is a breakpoint
            for obj in list(open_by_obj):
                if obj not in here:
                    del open_by_obj[obj]
            for obj, supporting in here.items():
                v = open_by_obj.get(obj)
                if v is None:
                    v = _Version(Fact(subject, predicate, obj, seg_start, seg_end))
                    open_by_obj[obj] = v
                    versions.append(v)
                else:
                    v.fact = Fact(subject, predicate, obj, v.fact.valid_from, seg_end)
                v.claims |= supporting
                v.last = supporting
        return versions

    def view(self, known_at: datetime | None = None) -> set[Fact]:
        """Every fact version believed at ``known_at`` (None: now), all valid times."""
        groups = {(c.subject, c.predicate) for c in self.claims}
        return {v.fact for s, p in groups for v in self._view(s, p, known_at)}

    def facts(self, valid_at: datetime, known_at: datetime | None = None) -> set[Fact]:
        return {f for f in self.view(known_at) if f.holds_at(valid_at)}
