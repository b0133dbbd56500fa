"""The pure write rules: claims → valid-time view (docs/temporal-model.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from asof.graph.errors import InvalidInputError
from asof.graph.instants import require_aware
from asof.graph.models import Basis, Claim, Granularity
from asof.graph.predicates import default_registry
from asof.graph.rules import derive_view, granularity_end, reconcile

pytestmark = pytest.mark.unit

REG = default_registry()
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def d(month: int, day: int = 1, year: int = 2024) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


_counter = iter(range(10**6))


def claim(obj: str, start: datetime | None, end: datetime | None = None, *,
          observed: datetime | None = None, retraction: bool = False) -> Claim:
    n = next(_counter)
    return Claim(claim_id=f"c{n:06d}", tenant="t", subject_id="s", predicate="works_at",
                 object_key=obj, object_id=obj, retraction=retraction, valid_from=start,
                 valid_to=end, basis=Basis.STATED if start else Basis.UNKNOWN,
                 observed_at=observed or (start or T0), recorded_at=T0 + timedelta(seconds=n))


def view(claims: list[Claim], predicate: str = "works_at") -> list[tuple[str, object, object]]:
    return [(s.object_key, s.valid_from, s.valid_to)
            for s in derive_view(claims, REG.get(predicate))]


def test_newer_start_closes_the_older_one_fact() -> None:
    assert view([claim("acme", d(1)), claim("globex", d(6))]) == [
        ("acme", d(1), d(6)), ("globex", d(6), None)]


def test_late_older_statement_ends_where_the_newer_starts() -> None:
    newer, older = claim("globex", d(6)), claim("acme", d(1), d(9))
    assert view([newer, older]) == view([older, newer]) == [
        ("acme", d(1), d(6)), ("globex", d(6), None)]


def test_same_start_later_observed_wins() -> None:
    early = claim("acme", d(3), observed=d(3))
    late = claim("globex", d(3), observed=d(4))
    assert view([early, late]) == [("globex", d(3), None)]


def test_retraction_ends_only_its_object() -> None:
    claims = [claim("acme", d(1)), claim("acme", d(5), retraction=True)]
    assert view(claims) == [("acme", d(1), d(5))]
    claims.append(claim("globex", d(3)))
    assert view(claims) == [("acme", d(1), d(3)), ("globex", d(3), None)]


def test_retraction_before_a_later_restart_does_not_end_it() -> None:
    claims = [claim("acme", d(1)), claim("acme", d(3), retraction=True), claim("acme", d(6))]
    assert view(claims) == [("acme", d(1), d(3)), ("acme", d(6), None)]


def test_used_to_has_unknown_start_and_is_cut_by_a_known_start() -> None:
    assert view([claim("initech", None, d(5))]) == [("initech", None, d(5))]
    assert view([claim("initech", None, d(5)), claim("acme", d(2))]) == [
        ("initech", None, d(2)), ("acme", d(2), None)]


def test_same_object_runs_merge() -> None:
    assert view([claim("acme", d(1)), claim("acme", d(4), observed=d(4))]) == [
        ("acme", d(1), None)]


def test_many_predicates_coexist() -> None:
    claims = [claim("slack", d(1)), claim("jira", d(2)), claim("slack", d(5), retraction=True)]
    assert view(claims, "uses") == [("slack", d(1), d(5)), ("jira", d(2), None)]


def test_event_intervals_are_a_union() -> None:
    claims = [claim("paris", d(5, 1), d(6, 1)), claim("paris", d(5, 3), d(5, 4))]
    assert view(claims, "visited") == [("paris", d(5, 1), d(6, 1))]


@pytest.mark.parametrize(("granularity", "end"), [
    (Granularity.DAY, d(2, 16)), (Granularity.MONTH, d(3, 1)),
    (Granularity.QUARTER, d(5, 1)), (Granularity.YEAR, d(2, 1, 2025)),
])
def test_granularity_end(granularity: Granularity, end: datetime) -> None:
    assert granularity_end(d(2, 15) if granularity is Granularity.DAY else d(2), granularity) \
        == end


def test_reconcile_keeps_unchanged_versions_and_supersedes_changed_ones() -> None:
    works_at = REG.get("works_at")
    first = [claim("acme", d(1))]
    initial = reconcile(tenant="t", subject_id="s", predicate=works_at, current_versions=[],
                        claims=first, new_claim_ids=frozenset({first[0].claim_id}), now=d(1))
    assert [v.valid_to for v in initial.new_versions] == [None]
    newer = claim("globex", d(6))
    step = reconcile(tenant="t", subject_id="s", predicate=works_at,
                     current_versions=initial.new_versions, claims=[*first, newer],
                     new_claim_ids=frozenset({newer.claim_id}), now=d(6))
    assert [v.version_id for v in step.superseded] == [initial.new_versions[0].version_id]
    closed = next(v for v in step.new_versions if v.object_key == "acme")
    assert closed.valid_to == d(6) and closed.supersedes == initial.new_versions[0].version_id
    confirm = claim("globex", d(7), observed=d(7))
    again = reconcile(tenant="t", subject_id="s", predicate=works_at,
                      current_versions=step.new_versions, claims=[*first, newer, confirm],
                      new_claim_ids=frozenset({confirm.claim_id}), now=d(7))
    assert again.new_versions == [] and again.superseded == []
    assert [c.kind for c in again.changes] == ["confirm"]


@pytest.mark.parametrize("granularity", [Granularity.DAY, Granularity.MONTH, Granularity.YEAR,
                                         Granularity.DECADE])
def test_a_period_ending_after_year_9999_is_a_clear_input_error(
        granularity: Granularity) -> None:
    with pytest.raises(InvalidInputError, match="after the last supported instant"):
        granularity_end(datetime(9999, 12, 31, tzinfo=UTC), granularity)


@pytest.mark.parametrize("value", [datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
                                   datetime(9999, 12, 31, 23, 59,
                                            tzinfo=timezone(timedelta(hours=-12)))])
def test_an_instant_outside_the_utc_range_is_a_clear_input_error(value: datetime) -> None:
    with pytest.raises(InvalidInputError, match="outside the supported range"):
        require_aware(value, "valid_from")


def test_an_instant_outside_what_utc_holds_is_a_clear_error() -> None:
    # "0001-01-01T00:00+01:00" is before 0001-01-01 UTC: an input error, not a crash
    from asof.graph.models import FactAssertion

    with pytest.raises(InvalidInputError, match="out of range"):
        FactAssertion.parse({"subject": {"name": "A"}, "predicate": "works_at",
                             "object": {"name": "B"},
                             "valid_from": "0001-01-01T00:00:00+01:00"}, context="facts[0]")
