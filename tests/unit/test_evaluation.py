"""Gold scoring: alias normalisation, one-to-one matching, granularity-aware dates,
symmetric married_to, and the fallback view of docs/temporal-model.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from api.evaluation import (
    GoldFact,
    PredictedFact,
    date_matches,
    derive_versions,
    score_file,
    summarise,
)
from graph.models import AssertionKind, Basis, EntityRef, Episode, FactAssertion
from graph.predicates import default_registry

pytestmark = pytest.mark.unit

UTC = UTC
PLUS2 = timedelta(hours=2)


def at(*parts: int, tz: timezone = UTC) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def test_date_granularity() -> None:
    assert date_matches(at(2024, 3, 17), "2024-03", [timedelta(0)])
    assert not date_matches(at(2024, 4, 1), "2024-03", [timedelta(0)])
    assert date_matches(at(2024, 12, 31, 23), "2024", [timedelta(0)])
    assert date_matches(at(2024, 3, 5, 9), "2024-03-05", [timedelta(0)])
    # a local midnight at +02:00 is the previous day in UTC: read in the file's offsets
    local_midnight = datetime(2024, 3, 1, tzinfo=timezone(PLUS2))
    assert date_matches(local_midnight, "2024-03", [PLUS2])
    assert not date_matches(local_midnight, "2024-03", [timedelta(0)])
    assert date_matches(None, None, [timedelta(0)])
    assert not date_matches(None, "2024", [timedelta(0)])
    assert not date_matches(at(2024, 1, 1), None, [timedelta(0)])


def test_aliases_one_to_one_and_symmetry() -> None:
    gold = [GoldFact("Ilse Berg", "works_at", "Brindle Foods", "2024-03", None),
            GoldFact("Ilse Berg", "married_to", "Joris", "2019", None),
            GoldFact("Ilse Berg", "lives_in", "Delft", None, "2020"),
            GoldFact("Ilse Berg", "lives_in", "Delft", "2022", None)]
    predicted = [PredictedFact("ilse", "works_at", "BRINDLE", at(2024, 3, 2), None),
                 PredictedFact("Joris", "married_to", "Ilse Berg", at(2019, 5, 1), None),
                 PredictedFact("Ilse Berg", "lives_in", "Delft", at(2022, 2, 1), None),
                 PredictedFact("Ilse Berg", "uses", "Figma", None, None)]
    aliases = {"Ilse Berg": ["Ilse"], "Brindle Foods": ["Brindle"]}
    score = score_file("f", gold, predicted, aliases, {timedelta(0)})
    assert (score.gold, score.predicted, score.matched, score.interval_ok) == (4, 4, 3, 3)
    assert [m["fact"][1] for m in score.misses] == ["lives_in"]
    assert [m["fact"][2] for m in score.false_positives] == ["Figma"]
    report = summarise([score])
    assert report["fact_precision"] == 0.75 and report["fact_recall"] == 0.75
    assert report["interval_accuracy"] == 1.0 and report["question_accuracy"] is None
    assert set(report) >= {"files", "fact_precision", "fact_recall", "fact_f1",
                           "interval_accuracy", "question_accuracy"}


def episode(n: int, when: datetime) -> Episode:
    return Episode.create(tenant="t", speaker="Ilse", occurred_at=when, text=f"m{n}",
                          id=f"m{n}")


ME = EntityRef(name="Ilse", type="person")


def org(name: str) -> EntityRef:
    return EntityRef(name=name, type="organization")


def view(pairs):  # type: ignore[no-untyped-def]
    return sorted((s, p, o, f and f.date().isoformat(), t and t.date().isoformat())
                  for s, p, o, f, t in derive_versions(pairs, default_registry()))


def test_newer_start_cuts_a_one_fact_and_order_does_not_matter() -> None:
    a = FactAssertion(subject=ME, predicate="works_at", object=org("Brindle"),
                      valid_from=at(2019, 1, 1))
    b = FactAssertion(subject=ME, predicate="works_at", object=org("Norvia"),
                      valid_from=at(2023, 6, 1))
    in_order = view([(episode(1, at(2024, 1, 1)), [a]), (episode(2, at(2024, 1, 2)), [b])])
    late = view([(episode(1, at(2024, 1, 1)), [b]), (episode(2, at(2024, 1, 2)), [a])])
    assert in_order == late == [("Ilse", "works_at", "Brindle", "2019-01-01", "2023-06-01"),
                                ("Ilse", "works_at", "Norvia", "2023-06-01", None)]


def test_observed_used_to_retraction_and_correction() -> None:
    used_to = FactAssertion(subject=ME, predicate="lives_in",
                            object=EntityRef(name="Porto", type="location"),
                            valid_to=at(2024, 1, 5), basis=Basis.UNKNOWN)
    tool = FactAssertion(subject=ME, predicate="uses",
                         object=EntityRef(name="Trello", type="product"))
    drop = FactAssertion(subject=ME, predicate="uses", kind=AssertionKind.RETRACT,
                         object=EntityRef(name="Trello", type="product"),
                         valid_from=at(2024, 3, 1))
    boss = FactAssertion(subject=ME, predicate="reports_to",
                         object=EntityRef(name="Wim", type="person"))
    fix = FactAssertion(subject=ME, predicate="reports_to", kind=AssertionKind.CORRECT,
                        object=EntityRef(name="Saar", type="person"),
                        corrects=EntityRef(name="Wim", type="person"))
    result = view([(episode(1, at(2024, 1, 5)), [used_to, tool, boss]),
                   (episode(2, at(2024, 4, 1)), [drop, fix])])
    assert result == [("Ilse", "lives_in", "Porto", None, "2024-01-05"),
                      ("Ilse", "reports_to", "Saar", "2024-01-05", None),
                      ("Ilse", "uses", "Trello", "2024-01-05", "2024-03-01")]


def test_retraction_without_object_ends_whatever_holds() -> None:
    title = FactAssertion(subject=ME, predicate="job_title", value="baker")
    end = FactAssertion(subject=ME, predicate="job_title", kind=AssertionKind.RETRACT,
                        valid_from=at(2024, 2, 1))
    result = view([(episode(1, at(2024, 1, 1)), [title]), (episode(2, at(2024, 3, 1)), [end])])
    assert result == [("Ilse", "job_title", "baker", "2024-01-01", "2024-02-01")]
