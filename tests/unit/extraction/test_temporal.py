"""Time expressions resolved against the message time, keeping their granularity; and how the
extractor attaches them to facts (since / from…to / until / ago / tense)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from asof.graph.models import Basis, Granularity
from asof.timex import Role, Tense, find_times
from tests.unit.extraction.conftest import TZ, Extract

pytestmark = pytest.mark.unit

REF = datetime(2024, 6, 12, 10, 0, tzinfo=timezone(timedelta(hours=-5)))  # Wednesday


def one(text: str, tense: Tense = Tense.UNKNOWN):  # type: ignore[no-untyped-def]
    found = find_times(text, REF, tense)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "tense", "day", "granularity"), [
    ("yesterday", Tense.PAST, date(2024, 6, 11), Granularity.DAY),
    ("two weeks ago", Tense.PAST, date(2024, 5, 29), Granularity.DAY),
    ("three months ago", Tense.PAST, date(2024, 3, 1), Granularity.MONTH),
    ("last month", Tense.PAST, date(2024, 5, 1), Granularity.MONTH),
    ("next month", Tense.FUTURE, date(2024, 7, 1), Granularity.MONTH),
    ("last week", Tense.PAST, date(2024, 6, 3), Granularity.WEEK),
    ("last year", Tense.PAST, date(2023, 1, 1), Granularity.YEAR),
    ("last September", Tense.PAST, date(2023, 9, 1), Granularity.MONTH),
    ("last May", Tense.PAST, date(2024, 5, 1), Granularity.MONTH),
    ("in March", Tense.PAST, date(2024, 3, 1), Granularity.MONTH),
    ("in August", Tense.PAST, date(2023, 8, 1), Granularity.MONTH),
    ("in August", Tense.FUTURE, date(2024, 8, 1), Granularity.MONTH),
    ("on Saturday", Tense.PAST, date(2024, 6, 8), Granularity.DAY),
    ("on Monday", Tense.FUTURE, date(2024, 6, 17), Granularity.DAY),
    ("on the 3rd", Tense.PAST, date(2024, 6, 3), Granularity.DAY),
    ("on the 20th", Tense.FUTURE, date(2024, 6, 20), Granularity.DAY),
    ("March 2021", Tense.UNKNOWN, date(2021, 3, 1), Granularity.MONTH),
    ("4 March 2021", Tense.UNKNOWN, date(2021, 3, 4), Granularity.DAY),
    ("July 1", Tense.FUTURE, date(2024, 7, 1), Granularity.DAY),
    ("2019", Tense.UNKNOWN, date(2019, 1, 1), Granularity.YEAR),
    ("early 2020", Tense.UNKNOWN, date(2020, 1, 1), Granularity.YEAR),
    ("summer 2022", Tense.UNKNOWN, date(2022, 6, 1), Granularity.SEASON),
    ("Q3 2023", Tense.UNKNOWN, date(2023, 7, 1), Granularity.QUARTER),
    ("next quarter", Tense.FUTURE, date(2024, 7, 1), Granularity.QUARTER),
    ("in May last year", Tense.PAST, date(2023, 5, 1), Granularity.MONTH),
    ("at the end of April", Tense.PAST, date(2024, 4, 1), Granularity.MONTH),
    ("four years ago this month", Tense.PAST, date(2020, 6, 1), Granularity.MONTH),
    ("New Year's Eve", Tense.PAST, date(2023, 12, 31), Granularity.DAY),
])
def test_resolution(text: str, tense: Tense, day: date, granularity: Granularity) -> None:
    mention = one(text, tense)
    assert mention.value.start.date() == day
    assert mention.value.granularity is granularity
    assert mention.value.start.utcoffset() == timedelta(hours=-5)  # the message's own zone


@pytest.mark.parametrize(("text", "role"), [
    ("since 2020", Role.START), ("as of March 2024", Role.START), ("from June 3", Role.START),
    ("starting July 1", Role.START), ("until April 2025", Role.END), ("till May", Role.END),
    ("in April", Role.AT), ("for six years", Role.DURATION),
])
def test_cue_roles(text: str, role: Role) -> None:
    assert one(text).role is role


def test_ranges() -> None:
    (mention,) = find_times("from 2015 to 2018", REF)
    assert mention.role is Role.RANGE and mention.end_value is not None
    assert mention.value.start.year == 2015 and mention.end_value.start.year == 2018
    (dash,) = find_times("2016–2019", REF)
    assert dash.role is Role.RANGE


def test_model_year_is_not_a_date() -> None:
    assert find_times("we have a 2017 Mazda", REF) == []


def test_for_n_years_counts_back_from_the_message_year() -> None:
    mention = one("been at the firm for six years")
    assert mention.value.start.year == 2018 and mention.value.granularity is Granularity.YEAR


def local(value: datetime | None) -> date | None:
    return None if value is None else value.astimezone(TZ).date()


def test_observed_start_when_no_time_is_stated(extract: Extract) -> None:
    (fact,) = extract("I live in Tallinn.")
    assert fact.valid_from is None and fact.effective_basis is Basis.OBSERVED


def test_since_gives_a_stated_start(extract: Extract) -> None:
    (fact,) = [a for a in extract("I've lived in Turku since 2017.") if a.predicate == "lives_in"]
    assert fact.valid_from is not None and fact.valid_from.astimezone(TZ).year == 2017
    assert fact.basis is Basis.STATED and fact.granularity is Granularity.YEAR


def test_interval_from_to(extract: Extract) -> None:
    facts = extract("I worked at Brindle Foods from 2015 to 2018.")
    (fact,) = [a for a in facts if a.predicate == "works_at"]
    assert local(fact.valid_from) == date(2015, 1, 1)
    assert local(fact.valid_to) == date(2018, 1, 1)


def test_future_start(extract: Extract) -> None:
    (fact,) = [a for a in extract("I start at Ferrovia Labs on July 1.")
               if a.predicate == "works_at"]
    assert local(fact.valid_from) == date(2024, 7, 1)


@pytest.mark.parametrize("text", ["we're moving to Lyon sept 14", "moving to Lyon sept 14"])
def test_a_month_the_tagger_takes_for_a_past_verb_says_no_tense(extract: Extract,
                                                                 text: str) -> None:
    # the small model tags "sept" VBD: the move would go back to last September
    (fact,) = [a for a in extract(text) if a.predicate == "lives_in"]
    assert local(fact.valid_from) == date(2024, 9, 14)


def test_start_date_given_later_in_the_message(extract: Extract) -> None:
    facts = extract("I'm joining Kestrel Bank as a risk analyst, first day is September 2.")
    dates = {a.predicate: local(a.valid_from) for a in facts}
    assert dates["works_at"] == date(2024, 9, 2)
    assert dates["job_title"] == date(2024, 9, 2)


def test_relative_dates_use_the_message_time(extract: Extract) -> None:
    at = datetime(2023, 2, 1, 9, 0, tzinfo=TZ)
    (fact,) = [a for a in extract("I moved to Ghent last month.", at=at)
               if a.predicate == "lives_in"]
    assert local(fact.valid_from) == date(2023, 1, 1) and fact.granularity is Granularity.MONTH


def test_events_carry_their_period(extract: Extract) -> None:
    (fact,) = [a for a in extract("I visited Krakow in May.") if a.predicate == "visited"]
    assert local(fact.valid_from) == date(2024, 5, 1)
    assert local(fact.valid_to) == date(2024, 6, 1)
    (day,) = [a for a in extract("I visited Bruges yesterday.") if a.predicate == "visited"]
    assert local(day.valid_from) == date(2024, 6, 11) and local(day.valid_to) == date(2024, 6, 12)


def test_each_time_goes_to_its_own_fact(extract: Extract) -> None:
    facts = extract("I leave Kestrel Bank at the end of August, move to Lille on June 20 and "
                    "start at Norvia on July 8!")
    starts = {(a.predicate, a.kind.value): local(a.valid_from) for a in facts}
    assert starts[("lives_in", "assert")] == date(2024, 6, 20)
    assert starts[("works_at", "assert")] == date(2024, 7, 8)


# ---------------------------------------------------------------- calendar weeks and weekends
# REF is Wednesday 2024-06-12 (-05:00).

@pytest.mark.parametrize(("text", "start", "end", "granularity"), [
    ("last week", date(2024, 6, 3), date(2024, 6, 10), Granularity.WEEK),
    ("this week", date(2024, 6, 10), date(2024, 6, 17), Granularity.WEEK),
    ("next week", date(2024, 6, 17), date(2024, 6, 24), Granularity.WEEK),
    ("last weekend", date(2024, 6, 8), date(2024, 6, 10), Granularity.DAY),
    ("this weekend", date(2024, 6, 15), date(2024, 6, 17), Granularity.DAY),
    ("next weekend", date(2024, 6, 22), date(2024, 6, 24), Granularity.DAY),
])
def test_weeks_are_calendar_weeks(text: str, start: date, end: date,
                                  granularity: Granularity) -> None:
    found = one(text)
    assert found.value.start.date() == start
    assert found.value.end.date() == end
    assert found.value.granularity is granularity
    assert found.value.start.tzinfo == REF.tzinfo


def test_last_weekend_is_the_latest_that_has_ended() -> None:
    sunday = datetime(2024, 6, 16, 18, 0, tzinfo=REF.tzinfo)  # weekend not over yet
    found = find_times("last weekend", sunday)[0]
    assert (found.value.start.date(), found.value.end.date()) == (date(2024, 6, 8),
                                                                   date(2024, 6, 10))
    monday = datetime(2024, 6, 17, 9, 0, tzinfo=REF.tzinfo)  # it has just ended
    found = find_times("last weekend", monday)[0]
    assert found.value.start.date() == date(2024, 6, 15)


def test_last_week_across_a_month_boundary() -> None:
    ref = datetime(2024, 7, 2, 9, 0, tzinfo=REF.tzinfo)  # Tuesday
    found = find_times("we met last week", ref)[0]
    assert (found.value.start.date(), found.value.end.date()) == (date(2024, 6, 24),
                                                                   date(2024, 7, 1))


@pytest.mark.parametrize(("text", "day"), [
    ("last Fri", date(2024, 6, 7)),
    ("last Tues", date(2024, 6, 11)),
    ("last tue.", date(2024, 6, 11)),
    ("last Thurs", date(2024, 6, 6)),
    ("next Mon", date(2024, 6, 17)),
    ("this Sat", date(2024, 6, 15)),
])
def test_weekday_abbreviations_after_last_this_next(text: str, day: date) -> None:
    found = one(text)
    assert found.value.start.date() == day
    assert found.value.granularity is Granularity.DAY


@pytest.mark.parametrize(("text", "tense", "day"), [
    # no verb says which: the nearer one (REF is a Wednesday)
    ("on fri", Tense.UNKNOWN, date(2024, 6, 14)),
    ("on Monday", Tense.UNKNOWN, date(2024, 6, 10)),
    ("on Sunday", Tense.UNKNOWN, date(2024, 6, 9)),  # as near both ways: the past one
    ("on Wednesday", Tense.UNKNOWN, date(2024, 6, 12)),
    # a tense decides
    ("on fri", Tense.PAST, date(2024, 6, 7)),
    ("on Monday", Tense.FUTURE, date(2024, 6, 17)),
])
def test_a_weekday_without_a_tense_is_the_nearer_one(text: str, tense: Tense,
                                                     day: date) -> None:
    assert one(text, tense).value.start.date() == day


@pytest.mark.parametrize("text", ["I sat down", "the sun is out", "we wed in a barn",
                                  "mon ami", "Darnell Price and Sun-hee Park, recruiters"])
def test_weekday_abbreviations_alone_are_not_dates(text: str) -> None:
    assert find_times(text, REF) == []


def test_till_a_bare_month_still_parses() -> None:
    found = one("we stayed till May")
    assert found.value.start.date() == date(2024, 5, 1)
    assert found.role is Role.END


@pytest.mark.parametrize("text", ["I took over from Marco as team lead",
                                  "a parcel came from Abril and Mai", "she went to Mars"])
def test_a_capitalised_month_of_another_language_after_an_english_word_is_a_name(
        text: str) -> None:
    """Portuguese, Spanish and French write months in lower case; "from Marco" is a person."""
    assert find_times(text, REF) == []


def test_the_same_word_in_lower_case_is_still_the_month() -> None:
    assert one("back from marco").value.start.month == 3
