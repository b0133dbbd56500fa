"""Time phrases of chat: a weekday said in the plural or after "every" ("most Thursdays",
"montags", "every other Tuesday", "sat mornings") is every such day, not a date, and dates no
fact; lengths back and ahead take the units chat abbreviates ("2 yrs ago", "3 wks ago", "in 2
weeks"), and a length up to now needs no "for" ("5 yrs already").
Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import Granularity, Role
from asof.timex import Tense, find_times
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit

REF = datetime(2024, 6, 12, 10, 0, tzinfo=timezone(timedelta(hours=2)))  # Wednesday


@pytest.mark.parametrize("text", ["on call most Thursdays", "works from home except Tuesdays",
                                  "we rehearse on Fridays", "montags im Büro",
                                  "every Monday I go to the gym", "each Friday we demo",
                                  "every other Tuesday", "joined a choir, tue nights",
                                  "swim club sat mornings", "Thursday evenings are mine"])
def test_a_weekday_in_the_plural_is_no_date(text: str) -> None:
    assert find_times(text, REF) == []


@pytest.mark.parametrize("text", ["see you Thursday", "el jueves", "am Montag"])
def test_a_weekday_in_the_singular_is_still_a_date(text: str) -> None:
    assert len(find_times(text, REF)) == 1


@pytest.mark.parametrize(("text", "said"), [
    ("started at fjellvik clinic mon as ward nurse", "mon"),
    ("got promoted to shift coordinator 3/1 🙌", "3/1"),
    ("and i start at vestby care 6/20, night shifts", "6/20"),
    ("joining the Lakeside rowers fri!!", "fri"),
])
def test_a_bare_day_closing_a_clause_about_a_change_is_a_date(text: str, said: str) -> None:
    assert [t.text for t in find_times(text, REF)] == [said]


@pytest.mark.parametrize("text", ["I moved to the sun", "she left and I sat down",
                                  "we moved it to wed 3pm or so"])
def test_a_bare_day_word_after_an_article_or_a_pronoun_stays_a_word(text: str) -> None:
    assert not [t for t in find_times(text, REF) if t.text.lower() in ("sun", "sat")]


@pytest.mark.parametrize("text", ["I work at Kestrel Labs, in the office except Tuesdays.",
                                  "I work at Kestrel Labs on Tuesdays."])
def test_a_recurring_day_does_not_date_a_job(extract: Extract, text: str) -> None:
    (job,) = [a for a in extract(text) if a.predicate == "works_at"]
    assert job.valid_from is None, job


@pytest.mark.parametrize(("text", "start", "granularity"), [
    ("moved here 2 yrs ago", datetime(2022, 1, 1), Granularity.YEAR),
    ("started 3 wks ago", datetime(2024, 5, 22), Granularity.DAY),
    ("a fortnight ago", datetime(2024, 5, 29), Granularity.DAY),
    ("6 mos ago", datetime(2023, 12, 1), Granularity.MONTH),
    ("I start in 2 weeks", datetime(2024, 6, 26), Granularity.DAY),
    ("moving in three months", datetime(2024, 9, 1), Granularity.MONTH),
    # a length up to now said without "for"
    ("lab manager @ Nevet Bio, 5 yrs already", datetime(2019, 1, 1), Granularity.YEAR),
    ("2 years there", datetime(2022, 1, 1), Granularity.YEAR),
    ("6 mos now", datetime(2023, 12, 1), Granularity.MONTH),
])
def test_lengths_back_and_ahead_in_the_units_of_chat(text: str, start: datetime,
                                                     granularity: Granularity) -> None:
    (found,) = find_times(text, REF)
    assert found.value.start.replace(tzinfo=None) == start
    assert found.value.granularity is granularity


def test_in_a_length_said_in_the_past_is_no_date() -> None:
    assert find_times("learned it in two months", REF, Tense.PAST) == []


@pytest.mark.parametrize("said", ["last weekend", "last wknd", "last wkend"])
def test_a_weekend_in_chat_spelling(said: str) -> None:
    (found,) = find_times(f"moved flats {said}, boxes everywhere", REF, Tense.PAST)
    assert found.value.start == datetime(2024, 6, 8, tzinfo=REF.tzinfo)
    assert found.value.granularity is Granularity.DAY


def test_and_joins_two_times_into_a_range_only_after_between() -> None:
    apart = find_times("lived there since 2021 and this year we want a garden", REF)
    assert [m.role.value for m in apart][:1] == ["start"] and len(apart) == 2
    (joined,) = find_times("worked there between 2019 and 2021", REF)
    assert joined.end_value is not None and joined.end_value.start.year == 2021


@pytest.mark.parametrize(("text", "tense", "first", "last"), [
    ("we were there 28th to the 2nd", Tense.PAST, (5, 28), (6, 2)),
    ("we go the 28th to the 2nd", Tense.FUTURE, (6, 28), (7, 2)),
    ("we were there the 8th to the 10th", Tense.PAST, (6, 8), (6, 10)),
])
def test_days_of_the_month_over_a_months_end(text: str, tense: Tense,
                                             first: tuple[int, int],
                                             last: tuple[int, int]) -> None:
    (found,) = find_times(text, REF, tense)
    assert found.end_value is not None
    assert (found.value.start.month, found.value.start.day) == first
    assert (found.end_value.start.month, found.end_value.start.day) == last


def test_a_day_and_month_typed_with_a_space_after_each_dot() -> None:
    found = find_times("Petra is head of sales since 1. 4., and more news soon", REF)
    assert [(m.text, m.value.start.date().isoformat()) for m in found] == \
        [("1. 4.", "2024-04-01")]
    assert not find_times("Top tips: 1. 4 apples a day", REF)


def test_a_date_the_parser_splits_keeps_the_tense_of_the_verb_before_it(
        learned_nlp) -> None:  # type: ignore[no-untyped-def]
    said = datetime(2024, 4, 23, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    message = Message("Maren Holt", Role.USER, said, "People news: they hired Karel Dvořák as "
                      "export manager — started 15. 4., reports to her.", id="u0")
    found = [a for _, f in Pipeline("unit", nlp=learned_nlp).extract(
        Conversation("c", [message])) for a in f]
    starts = {a.valid_from.astimezone(said.tzinfo).date().isoformat()
              for a in found if a.predicate == "job_title" and a.valid_from}
    assert starts == {"2024-04-15"}


def test_a_length_up_to_now_in_hungarian() -> None:
    found = find_times("backend dev, 2 éve már", REF)
    assert [(m.value.start.year, m.value.granularity) for m in found] == \
        [(2022, Granularity.YEAR)]


@pytest.mark.parametrize("text", ["they hired Karel Novák as export manager",
                                  "Augustín joined the team", "we met Juné Okafor"])
def test_a_month_abbreviation_inside_a_name_with_accents_is_no_date(text: str) -> None:
    assert not find_times(text, REF)
