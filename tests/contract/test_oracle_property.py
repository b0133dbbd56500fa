"""Property: random histories give the same answers from the store and from the oracle.

Each example builds a history of single-assertion episodes (assertions with stated / observed
starts, stated ends, "used to"; retractions with and without a stated time, with and without an
object; date and object corrections), over two subjects and four predicates (`one`: works_at,
lives_in; `many`: uses; event: visited), with random valid times, message times and arrival
order, and a fake clock that sometimes goes backwards. It applies the history to a fresh tenant
of the backend and to :mod:`oracle`, then compares

- the whole valid-time view believed at every recorded transaction time (and just before the
  first), as sets of (subject, predicate, object, valid_from, valid_to);
- every ``facts(valid_at, known_at)`` answer on a grid of valid times (every claim boundary,
  1 µs before it, and far past/future) at every recorded transaction time.

Ties: the doc orders claims by (from, observed_at, arrival), and the store breaks exact ties by
arrival and id. Every message time here is unique, so two claims never tie on
(from, observed_at): the comparison never depends on the tie-break.

Run more examples with ``pytest tests/contract --hypothesis-profile=thorough`` (a server backend
runs three in ten of the profile's examples: :func:`examples`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from oracle import MANY, ONE, Fact, Oracle, Undefined

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.models import AssertionKind, Basis, EntityRef, Episode, FactAssertion, Granularity
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract

# The "ci" profile (conftest.py) unless --hypothesis-profile chose another one.
_PROFILE = (settings.get_profile("ci") if settings.get_current_profile_name() == "default"
            else settings.default)

BASE = datetime(2024, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
US = timedelta(microseconds=1)
NDAYS = 12
SUBJECTS = ("Alice", "Bob")


@dataclass(frozen=True)
class Pred:
    cardinality: str
    object_type: str
    objects: tuple[str, ...]
    event: bool = False


PREDICATES = {
    "works_at": Pred(ONE, "organization", ("Acme", "Globex", "Initech")),
    "lives_in": Pred(ONE, "location", ("Berlin", "Paris")),
    "uses": Pred(MANY, "product", ("Slack", "Jira", "Notion")),
    "visited": Pred(MANY, "location", ("Rome", "Oslo"), event=True),
}
CARDINALITY = {name: p.cardinality for name, p in PREDICATES.items()}


@dataclass(frozen=True)
class Step:
    kind: str  # assert | used_to | retract | correct
    subject: str
    predicate: str
    obj: str | None
    msg_day: int
    msg_noon: bool
    start_day: int | None = None  # stated start (assert/retract/correct)
    end_day: int | None = None  # stated end
    corrects: str | None = None
    clock_step_s: int = 60


def day(n: int) -> datetime:
    return BASE + n * DAY


@st.composite
def steps(draw: st.DrawFn) -> Step:
    kind = draw(st.sampled_from(["assert", "assert", "assert", "used_to", "retract",
                                 "retract", "correct", "correct"]))
    subject = draw(st.sampled_from(SUBJECTS))
    names = [n for n, p in PREDICATES.items() if kind == "assert" or not p.event]
    predicate = draw(st.sampled_from(names))
    spec = PREDICATES[predicate]
    obj: str | None = draw(st.sampled_from(spec.objects))
    msg_day = draw(st.integers(0, NDAYS))
    msg_noon = draw(st.booleans())
    clock_step = draw(st.one_of(st.integers(1, 3600), st.integers(-7200, 3600)))
    days = st.integers(0, NDAYS)
    start = end = corrects = None
    if kind == "assert":
        if spec.event:
            start = draw(days)  # the day visited; granularity DAY gives [day, day + 1)
        else:
            start = draw(st.one_of(st.none(), days))  # None: the message time (observed)
            first = (start + 1) if start is not None else (msg_day + 1)
            end = draw(st.one_of(st.none(), st.integers(first, NDAYS + 2)))
    elif kind == "retract":
        if spec.cardinality == ONE and draw(st.booleans()):
            obj = None  # whatever holds then
        start = draw(st.one_of(st.none(), days))  # None: at the message time
    elif kind == "correct":
        corrects = draw(st.one_of(st.none(), st.sampled_from(spec.objects)))
        start = draw(st.one_of(st.none(), days))
        first = (start + 1) if start is not None else 0
        end = draw(st.one_of(st.none(), st.integers(first, NDAYS + 2)))
    return Step(kind, subject, predicate, obj, msg_day, msg_noon, start, end, corrects,
                clock_step)


def ref(name: str, type_: str) -> EntityRef:
    return EntityRef(name=name, type=type_)


def to_assertion(step: Step) -> FactAssertion:
    spec = PREDICATES[step.predicate]
    subject = ref(step.subject, "person")
    obj = ref(step.obj, spec.object_type) if step.obj is not None else None
    start = day(step.start_day) if step.start_day is not None else None
    end = day(step.end_day) if step.end_day is not None else None
    if step.kind == "assert" and spec.event:
        return FactAssertion(subject=subject, predicate=step.predicate, object=obj,
                             valid_from=start, granularity=Granularity.DAY)
    if step.kind == "assert":
        return FactAssertion(subject=subject, predicate=step.predicate, object=obj,
                             valid_from=start, valid_to=end)
    if step.kind == "used_to":
        return FactAssertion(subject=subject, predicate=step.predicate, object=obj,
                             basis=Basis.UNKNOWN)
    if step.kind == "retract":
        return FactAssertion(subject=subject, predicate=step.predicate, object=obj,
                             valid_from=start, kind=AssertionKind.RETRACT)
    return FactAssertion(
        subject=subject, predicate=step.predicate, object=obj,
        corrects=ref(step.corrects, spec.object_type) if step.corrects else None,
        valid_from=start, valid_to=end, kind=AssertionKind.CORRECT)


def apply_to_oracle(oracle: Oracle, step: Step, now: datetime, msg: datetime) -> None:
    start = day(step.start_day) if step.start_day is not None else None
    end = day(step.end_day) if step.end_day is not None else None
    s, p, o = step.subject, step.predicate, step.obj
    if step.kind == "assert" and PREDICATES[p].event:
        assert o is not None and start is not None
        oracle.assert_(now, s, p, o, start, start + DAY, msg)
    elif step.kind == "assert":
        assert o is not None
        oracle.assert_(now, s, p, o, start if start is not None else msg, end, msg)
    elif step.kind == "used_to":
        assert o is not None
        oracle.assert_(now, s, p, o, None, msg, msg)
    elif step.kind == "retract":
        oracle.retract(now, s, p, o, start if start is not None else msg, msg)
    else:
        assert o is not None
        oracle.correct(now, s, p, o, step.corrects, start, end, msg)


def precheck(oracle: Oracle, step: Step, msg: datetime) -> None:
    """Raise :class:`Undefined` for a step the doc gives no meaning (skipped on both sides)."""
    start = day(step.start_day) if step.start_day is not None else None
    end = day(step.end_day) if step.end_day is not None else None
    if step.kind == "assert" and not PREDICATES[step.predicate].event:
        oracle.check_assertion(start if start is not None else msg, end)
    elif step.kind == "correct":
        assert step.obj is not None
        oracle.check_correction(step.subject, step.predicate, step.obj, step.corrects, start,
                                end, msg)


def stored(versions: list[Any]) -> set[Fact]:
    return {Fact(v.subject_name, v.predicate, v.object_name or v.object_value, v.valid_from,
                 v.valid_to) for v in versions}


def show(facts: set[Fact]) -> list[str]:
    def when(t: datetime | None) -> str:
        return "-inf/+inf" if t is None else t.strftime("%m-%d %H:%M:%S.%f")
    return sorted(f"{f.subject} {f.predicate} {f.obj} [{when(f.valid_from)}, {when(f.valid_to)})"
                  for f in facts)


def run_history(store: GraphStore, clock: FakeClock, history: list[Step]) -> None:
    oracle = Oracle(CARDINALITY)
    tx_times: list[datetime] = []
    for i, step in enumerate(history):
        msg = day(step.msg_day) + (timedelta(hours=12) if step.msg_noon else timedelta()) \
            + i * timedelta(seconds=1)  # unique message times: no (from, observed_at) ties
        try:
            precheck(oracle, step, msg)
        except Undefined as why:
            note(f"step {i} skipped: {why}")
            continue
        clock.advance(timedelta(seconds=step.clock_step_s))
        episode = Episode.create(tenant=store.tenant, speaker="user", occurred_at=msg,
                                 text=f"step {i}: {step.kind} {step.predicate}")
        result = store.apply(episode, [to_assertion(step)])
        now = oracle.begin(clock.now())
        assert result.recorded_at == now, (i, step)
        apply_to_oracle(oracle, step, now, msg)
        tx_times.append(now)
        note(f"step {i} @ {now:%H:%M:%S.%f}: {step}")

    bounds = {b for c in oracle.claims for b in (c.start, c.end) if b is not None}
    grid = sorted({*bounds, *(b - US for b in bounds), day(-400), day(4000)})
    known_grid = [tx_times[0] - US, *tx_times] if tx_times else []
    for known in known_grid:
        expected = oracle.view(known)
        got = stored(store.find_versions(VersionQuery(known_at=known)))
        assert show(got) == show(expected), f"view believed at {known}"
        for valid in grid:
            got_facts = stored(store.facts(valid_at=valid, known_at=known))
            want = {f for f in expected if f.holds_at(valid)}
            assert show(got_facts) == show(want), f"facts(valid_at={valid}, known_at={known})"


def examples(backend: str) -> int:
    """Examples for ``backend``: the profile's for the embedded SQLite store; for a server
    backend, whose every read is a network round trip (about 0.5 s an example on Neo4j, the
    profile's 500 would take four minutes of ``make test``), three in ten. The write rules
    are the same Python on both; what the server run checks is its Cypher."""
    wanted = _PROFILE.max_examples or 100
    return wanted if backend == "sqlite" else max(50, wanted * 3 // 10)


def test_store_agrees_with_oracle(store_factory: Any, backend: str) -> None:
    @settings(_PROFILE, max_examples=examples(backend))
    @given(history=st.lists(steps(), min_size=1, max_size=12))
    def agrees(history: list[Step]) -> None:
        clock = FakeClock(datetime(2025, 1, 1, tzinfo=UTC))
        store = store_factory(clock=clock)  # a fresh tenant per example, on this test's file
        try:
            run_history(store, clock, history)
        finally:
            store.close()

    agrees()


def test_oracle_sanity() -> None:
    """The oracle itself on the doc's own examples (so a broken oracle fails loudly here)."""
    o = Oracle(CARDINALITY)
    t = o.begin(datetime(2025, 1, 1, tzinfo=UTC))
    o.assert_(t, "A", "works_at", "Acme", day(1), None, day(1))
    t = o.begin(datetime(2025, 1, 1, tzinfo=UTC))  # clock did not move: +1 µs
    assert t == datetime(2025, 1, 1, tzinfo=UTC) + US
    o.assert_(t, "A", "works_at", "Globex", day(5), None, day(5))
    assert show(o.view()) == show({Fact("A", "works_at", "Acme", day(1), day(5)),
                                   Fact("A", "works_at", "Globex", day(5), None)})
    # an older statement arriving late ends where the newer one starts
    o.assert_(o.begin(t), "A", "works_at", "Initech", day(0), None, day(9))
    assert Fact("A", "works_at", "Initech", day(0), day(1)) in o.view()
    # same start: the later-observed wins, whatever the arrival order
    o.assert_(o.begin(t), "A", "lives_in", "Paris", day(2), None, day(4))
    o.assert_(o.begin(t), "A", "lives_in", "Berlin", day(2), None, day(3))
    assert o.facts(day(3)) >= {Fact("A", "lives_in", "Paris", day(2), None)}
    # retraction without object, correction moves the start, old belief kept in the past
    before = o.begin(t)
    o.retract(o.begin(t), "A", "works_at", None, day(7), day(7))
    assert Fact("A", "works_at", "Globex", day(5), day(7)) in o.view()
    o.correct(o.begin(t), "A", "works_at", "Globex", None, day(4), None, day(8))
    assert Fact("A", "works_at", "Globex", day(4), day(7)) in o.view()
    assert Fact("A", "works_at", "Acme", day(1), day(4)) in o.view()
    assert Fact("A", "works_at", "Globex", day(5), None) in o.view(before)
    # many: coexist; used to: unknown start
    o.assert_(o.begin(t), "A", "uses", "Slack", None, day(3), day(3))
    o.assert_(o.begin(t), "A", "uses", "Jira", day(1), None, day(1))
    assert {f.obj for f in o.facts(day(2)) if f.predicate == "uses"} == {"Slack", "Jira"}
