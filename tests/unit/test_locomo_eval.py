"""The LoCoMo temporal evaluation: gold-answer date rules, recall, and a tiny end-to-end run."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from asof.graph.models import Episode, Granularity
from asof.query.ranking import standardised
from asof.timex import Tense, TimeValue, find_times
from bench.evals.locomo import evidence_ids, first_rank, recall_hit
from bench.evals.locomo_gold import GoldPeriod, is_time_answer, resolve_gold
from bench.evals.locomo_rank import Lemmas, Turn, _answers_time, answer_date, lemma_in, question_idf

pytestmark = pytest.mark.unit

# 14 March 2024 is a Thursday; 11 March 2024 a Monday.
REF = date(2024, 3, 14)


@pytest.mark.parametrize(("answer", "start", "end"), [
    ("3 March 2024", date(2024, 3, 3), date(2024, 3, 4)),
    ("March 3, 2024", date(2024, 3, 3), date(2024, 3, 4)),
    ("on 3rd March, 2024.", date(2024, 3, 3), date(2024, 3, 4)),
    ("2024-03-03", date(2024, 3, 3), date(2024, 3, 4)),
    ("February, 2024", date(2024, 2, 1), date(2024, 3, 1)),
    ("late February 2024", date(2024, 2, 1), date(2024, 3, 1)),
    (2019, date(2019, 1, 1), date(2020, 1, 1)),
    ("winter 2023", date(2023, 12, 1), date(2024, 3, 1)),
    ("The Monday before 14 March 2024", date(2024, 3, 11), date(2024, 3, 12)),
    ("the thursday before 14 March 2024", date(2024, 3, 7), date(2024, 3, 8)),
    ("The Friday after 14 March 2024", date(2024, 3, 15), date(2024, 3, 16)),
    # the week before: from the Monday of the previous week to the day before
    ("The week before 14 March 2024", date(2024, 3, 4), date(2024, 3, 14)),
    ("the week of 14 March 2024", date(2024, 3, 11), date(2024, 3, 18)),
    ("The weekend before 14 March 2024", date(2024, 3, 9), date(2024, 3, 11)),
    ("two weekends before 14 March 2024", date(2024, 3, 2), date(2024, 3, 4)),
    # a weekend that has not ended by the anchor day is not "before" it
    ("the weekend before 10 March 2024", date(2024, 3, 2), date(2024, 3, 4)),
    ("the day before 1 March 2024", date(2024, 2, 29), date(2024, 3, 1)),
    ("3 days before 14 March 2024", date(2024, 3, 11), date(2024, 3, 12)),
    ("the month before 14 March 2024", date(2024, 2, 1), date(2024, 3, 1)),
    ("Since 2019", date(2019, 1, 1), date(2020, 1, 1)),
    ("between January 2024 and February 2024", date(2024, 1, 1), date(2024, 3, 1)),
    # relative to the session day of the gold evidence (REF)
    ("last year", date(2023, 1, 1), date(2024, 1, 1)),
    ("last month", date(2024, 2, 1), date(2024, 3, 1)),
    ("last week", date(2024, 3, 4), date(2024, 3, 14)),
    ("Yesterday", date(2024, 3, 13), date(2024, 3, 14)),
    ("5 years ago", date(2019, 1, 1), date(2020, 1, 1)),
    ("two days ago", date(2024, 3, 12), date(2024, 3, 13)),
    ("18 September", date(2024, 9, 18), date(2024, 9, 19)),
])
def test_gold_rules(answer: object, start: date, end: date) -> None:
    found = resolve_gold(answer, REF)
    assert found is not None, answer
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize("answer", ["3 years", "a few months ago", "recently", "", "Paris",
                                    "the week before next", "31 February 2024"])
def test_unresolvable_gold_answers(answer: str) -> None:
    assert resolve_gold(answer, REF) is None


def test_relative_gold_answers_need_a_reference() -> None:
    assert resolve_gold("last year") is None
    assert resolve_gold("18 September") is None
    assert resolve_gold("18 September 2024") is not None


def test_period_containment() -> None:
    week = GoldPeriod(date(2024, 3, 4), date(2024, 3, 14), "week")
    assert week.contains(date(2024, 3, 8), date(2024, 3, 9))
    assert not week.contains(date(2024, 3, 1), date(2024, 4, 1))  # a month is too coarse
    assert not week.contains(date(2024, 3, 14), date(2024, 3, 15))


def test_time_answers_and_entities() -> None:
    assert is_time_answer("The week before 9 June 2023")
    assert is_time_answer(2022)
    assert is_time_answer("4 years")
    assert not is_time_answer("Paris")
    assert not is_time_answer("her sister Ana")


def test_evidence_ids_are_normalised() -> None:
    assert evidence_ids(["D1:3"]) == ["D1:3"]
    assert evidence_ids(["D8:6; D9:17", "D8:6"]) == ["D8:6", "D9:17"]
    assert evidence_ids(["D:11:26"]) == ["D11:26"]


def test_recall_and_rank() -> None:
    ranking = ["c:D1:1", "c:D2:4", "c:D3:1", "c:D1:2"]
    assert recall_hit(ranking, ["c:D3:1"], 3)
    assert not recall_hit(ranking, ["c:D3:1"], 2)
    assert recall_hit(ranking, ["c:D9:9", "c:D1:1"], 1)
    assert not recall_hit([], ["c:D1:1"], 5)
    assert first_rank(ranking, ["c:D1:2", "c:D2:4"]) == 2
    assert first_rank(ranking, ["c:D9:9"]) is None


def test_answer_date_from_turn_or_session() -> None:
    at = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    said = Episode.create(tenant="t", speaker="Ana", occurred_at=at,
                          text="I finished the quilt last Monday!")
    value, source = answer_date(said, Tense.PAST)
    assert (value.start.date(), source) == (date(2024, 3, 11), "last Monday")
    plain = Episode.create(tenant="t", speaker="Ana", occurred_at=at,
                           text="I am finally done with the quilt!")
    value, source = answer_date(plain, Tense.PAST)
    assert (value.start.date(), value.end.date(), source) == (
        date(2024, 3, 14), date(2024, 3, 15), "(session date)")


# ------------------------------------------------------------------ ranking and dating rules
# (sentences written for these tests)

@pytest.fixture(scope="module")
def lemmas() -> Lemmas:
    return Lemmas()


def _turn(text: str, at: datetime, lemmas: Lemmas) -> Turn:
    episode = Episode.create(tenant="t", speaker="Ana", occurred_at=at, text=text)
    return Turn(episode, lemmas.of([text])[0], tuple(
        m.value for m in find_times(text, at, Tense.PAST)))


def _date_for(question: str, text: str, lemmas: Lemmas) -> tuple[TimeValue, str]:
    """answer_date for ``question`` over one turn of ``text`` said on Thursday 14 March 2024."""
    at = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    said = Episode.create(tenant="t", speaker="Ana", occurred_at=at, text=text)
    return answer_date(said, Tense.PAST, focus=lemmas.of([question])[0], lemmas=lemmas,
                       event=lemmas.verbs(question))


def test_answer_date_takes_a_time_said_before_the_event_sentence(lemmas: Lemmas) -> None:
    value, source = _date_for("When did Ana throw a party for her nephew?",
                              "Hi! Last Saturday was wild. We threw a party for my nephew.",
                              lemmas)
    assert (value.start.date(), source) == (date(2024, 3, 9), "Last Saturday")


def test_answer_date_prefers_the_sentence_with_the_question_verb(lemmas: Lemmas) -> None:
    value, _ = _date_for("When did Ana hike with her cousins and neighbours?",
                         "My cousins and neighbours are the best. We hiked together "
                         "last month!", lemmas)
    assert (value.start.date(), value.granularity) == (date(2024, 2, 1), Granularity.MONTH)


def test_answer_date_ignores_a_later_sentence_about_something_else(lemmas: Lemmas) -> None:
    value, source = _date_for("When did Ana start repainting her bakery's front?",
                              "I'm repainting the bakery's front. I'm also hosting a tasting "
                              "next month.", lemmas)
    assert (value.start.date(), source) == (date(2024, 3, 14), "(session date)")


def test_word_forms_match() -> None:
    assert lemma_in("collaborate", frozenset({"collaboration"}))
    assert lemma_in("celebrate", frozenset({"celebration"}))
    assert lemma_in("mentorship", frozenset({"mentor"}))
    assert lemma_in("clothe", frozenset({"clothing"}))  # spaCy's lemma of "clothes"
    assert not lemma_in("collect", frozenset({"college"}))
    assert not lemma_in("present", frozenset({"prevent"}))


def test_question_idf_weighs_a_lemma_by_the_turns_holding_a_form_of_it(
        lemmas: Lemmas) -> None:
    at = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    turns = [_turn("I got mentored yesterday.", at, lemmas),
             _turn("The weather is nice.", at, lemmas),
             _turn("We went hiking.", at, lemmas)]
    idf = question_idf({"mentorship", "submarine"}, turns, {})
    assert idf["mentorship"] > 0 and "submarine" not in idf


def test_time_feature_asks_for_the_kind_of_time_the_question_wants(lemmas: Lemmas) -> None:
    at = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    past = _turn("We moved the shop last week.", at, lemmas)
    plan = _turn("The shop reopens tomorrow.", at, lemmas)
    span = _turn("I've run the shop for six years now.", at, lemmas)
    assert _answers_time(past, future=False, how_long=False)
    assert not _answers_time(past, future=True, how_long=False)
    assert _answers_time(plan, future=True, how_long=False)
    assert _answers_time(span, future=False, how_long=True)
    assert not _answers_time(past, future=False, how_long=True)


def test_cosines_are_scaled_by_how_far_a_turn_stands_out() -> None:
    # one close turn does not make itself 1 and the rest 0, as min-max scaling did: a turn
    # at the conversation's mean scores 0, and 1 needs three standard deviations
    scores = standardised({"a": 0.80, "b": 0.80, "c": 0.80, "d": 0.95})
    assert scores["a"] == scores["b"] == scores["c"] == 0.0
    assert 0.5 < scores["d"] < 1.0
    assert standardised({"a": 0.8, "b": 0.8}) == {"a": 0.0, "b": 0.0}
    assert standardised({}) == {}
