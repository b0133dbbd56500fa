"""Gold scoring: alias normalisation, one-to-one matching, granularity-aware dates,
symmetric married_to, question scoring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from asof.query.ask import Answer
from bench.evals.gold import (
    GoldFact,
    PredictedFact,
    date_matches,
    score_file,
    score_question,
    summarise,
)

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


def test_question_scoring() -> None:
    table = {"acme": "acme", "acme corp": "acme"}
    listed = {"question": "q", "answer": ["Acme Corp", "Globex"]}
    assert score_question(listed, Answer("q", "answered", "", answers=["Globex", "ACME"]),
                          table, [timedelta(0)])
    assert not score_question(listed, Answer("q", "answered", "", answers=["Globex"]), table,
                              [timedelta(0)])
    nothing = {"question": "q", "answer": []}
    assert score_question(nothing, Answer("q", "nothing_known", ""), table, [timedelta(0)])
    dated = {"question": "q", "answer_date": "2024-03"}
    hit = Answer("q", "answered", "", instant=at(2024, 3, 5))
    assert score_question(dated, hit, table, [timedelta(0)])
    assert not score_question(dated, Answer("q", "answered", "", instant=at(2024, 4, 1)),
                              table, [timedelta(0)])
