"""Which date a numeric or yearless expression means: the order of day and month settled by
the text's other slashed dates, a numeric date closing a sentence, a day and month with one dot
after a cue, and a start said with "from" on either side of the message. Sentences and names
are the tests' own."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from asof.timex import Tense, find_times
from asof.timex.picking import slashed_order
from tests.unit.extraction.conftest import AT, Extract

pytestmark = pytest.mark.unit

REF = datetime(2024, 6, 12, 10, 0, tzinfo=timezone(timedelta(hours=2)))  # Wednesday
NEW_YORK = datetime(2024, 6, 12, 10, 0, tzinfo=timezone(timedelta(hours=-4)))


def _days(text: str, ref: datetime = REF, tense: Tense = Tense.UNKNOWN) -> list[date]:
    return [m.value.start.date() for m in find_times(text, ref, tense)]


@pytest.mark.parametrize(("text", "order"), [
    ("joining Pellwick 01/05/2025, flying out 20/04", "dm"),
    ("at Corvane since 10/3/2022, moved on 9/15/2022", "md"),
    ("on 3/4 and on 4/5", None),
    ("open 24/7 from 3/4", None),
    ("from 13/04 or from 4/13", None),
])
def test_the_slashed_dates_of_a_text_settle_their_order(text: str, order: str | None) -> None:
    assert slashed_order(text) == order


def test_a_day_first_date_settles_an_ambiguous_one_beside_it() -> None:
    # written from a month-first offset, yet "20/04" can only be day first
    assert _days("joining Pellwick 01/05/2025, flying out on 20/04.", NEW_YORK) == [
        date(2025, 5, 1), date(2024, 4, 20)]


def test_a_month_first_date_settles_an_ambiguous_one_beside_it() -> None:
    assert _days("at Corvane since 10/3/2022, moved over on 9/15/2022") == [
        date(2022, 10, 3), date(2022, 9, 15)]


@pytest.mark.parametrize(("text", "day"), [
    ("my last day at Endava is 11/04/2025.", date(2025, 4, 11)),
    ("at Brisk since 1.5.2023.", date(2023, 5, 1)),
    ("Quality manager, start 1. 10. 2024 in Munich.", date(2024, 10, 1)),  # space after dots
])
def test_a_numeric_date_may_close_a_sentence(text: str, day: date) -> None:
    assert _days(text) == [day]


@pytest.mark.parametrize(("text", "day"), [
    ("last day 27.9, then Kolmar from 1.10", [date(2024, 9, 27), date(2024, 10, 1)]),
    ("she joined 22.01 as head of sales", [date(2024, 1, 22)]),
    ("the kiosk was still on build 4.11", []),
    ("after the update to 4.2 it froze", []),
    ("IELTS 7.5, commute 1.5 hours", []),
    ("fixed in 4.8.1", []),
])
def test_a_day_and_month_with_one_dot_is_a_date_only_after_a_cue(text: str,
                                                                 day: list[date]) -> None:
    assert _days(text) == day


@pytest.mark.parametrize(("text", "day"), [
    # no tense: the nearer of the last and the next one
    ("from September he teaches physics", date(2024, 9, 1)),
    ("Slack from March", date(2024, 3, 1)),
    # a present read as scheduled: the next one, unless the day is a few days gone
    ("from 10 June I report to Ilse", date(2024, 6, 10)),
    ("from 1 June I report to Ilse", date(2025, 6, 1)),
])
def test_a_start_said_with_from_lies_on_either_side(text: str, day: date) -> None:
    assert _days(text, tense=Tense.UNKNOWN if "Ilse" not in text else Tense.FUTURE) == [day]


def test_a_start_said_with_since_stays_in_the_past() -> None:
    assert _days("since September he teaches physics") == [date(2023, 9, 1)]


@pytest.mark.parametrize(("text", "first", "last"), [
    ("drove to Akureyri, 12th–14th May. whales!", date(2024, 5, 12), date(2024, 5, 14)),
    ("in Lisbon 14–16 June 2023", date(2023, 6, 14), date(2023, 6, 16)),
    ("we were in Porto June 2-4", date(2024, 6, 2), date(2024, 6, 4)),
])
def test_a_range_of_days_in_one_month(text: str, first: date, last: date) -> None:
    (found,) = find_times(text, REF, Tense.PAST)
    assert found.end_value is not None
    assert (found.value.start.date(), found.end_value.start.date()) == (first, last)


def test_a_day_and_a_clock_time_are_no_range() -> None:
    assert [m.text for m in find_times("open from June 5 to 9pm", REF)] == ["June 5"]


@pytest.mark.parametrize(("text", "day"), [
    ("her last day was 30/05, then Hatton", date(2024, 5, 30)),
    ("last shift will be 3/7", date(2024, 7, 3)),
    ("start date is 1.9", date(2024, 9, 1)),
])
def test_a_day_and_month_after_is_or_was_of_a_day_word(text: str, day: date) -> None:
    assert _days(text)[:1] == [day]


@pytest.mark.parametrize(("text", "days"), [
    ("she started 2024.09.09. and I start 2024.10.01", [date(2024, 9, 9), date(2024, 10, 1)]),
    ("joined 2025/2/3 as analyst", [date(2025, 2, 3)]),
    ("on 2024-03-05", [date(2024, 3, 5)]),
])
def test_a_year_first_date_with_dots_or_slashes_is_a_day(text: str, days: list[date]) -> None:
    assert _days(text) == days


def test_a_year_first_month_with_a_dot_is_that_month() -> None:
    found = find_times("lead here since 2022.03. Kim joined 2023.07, left 2024.01.", REF)
    assert [(m.text, m.value.start.date(), m.value.granularity.value) for m in found] == [
        ("2022.03", date(2022, 3, 1), "month"), ("2023.07", date(2023, 7, 1), "month"),
        ("2024.01", date(2024, 1, 1), "month")]
    # a month is zero-padded there: "2023.5 million" is no May
    assert all(m.value.granularity.value == "year"
               for m in find_times("revenue 2023.5 million", REF))


def test_a_dotted_version_is_no_day() -> None:
    # a calendar version number ("2024.1.5") is not zero-padded like a date written that way
    assert all(m.value.granularity.value == "year" for m in find_times("ran 2024.1.5", REF))


def test_each_line_of_a_cv_keeps_its_own_dates(extract: Extract) -> None:
    # the range opening a line is that line's, and the next line's range is not
    found = extract("Top candidate: Oskar Lindgren.\n- '16 to '19: network engineer at "
                    "Fjordline Freight\n- Sept 2019 - present: senior network engineer at "
                    "Kestrel Labs")
    starts = {(a.object.name if a.object else a.value): a.valid_from.astimezone(AT.tzinfo)
              for a in found}
    assert starts["Fjordline Freight"].year == starts["network engineer"].year == 2016
    assert (starts["Kestrel Labs"].year, starts["Kestrel Labs"].month) == (2019, 9)
    found = extract("Candidate: Amira Haddad\nFormation: ENSI, 2014–2017\nLangues: arabe, "
                    "français")
    langs = {a.object.name: a for a in found if a.predicate == "speaks"}
    assert set(langs) == {"Arabic", "French"}
    assert all(a.subject.name == "Amira Haddad" and a.valid_to is None for a in langs.values())


@pytest.mark.parametrize(("text", "start"), [
    ("sous chef, 3 jaar al", date(2021, 1, 1)),
    ("guía en Andes Trek, 6 años ya", date(2018, 1, 1)),
    ("depuis 3 ans chez Lumo", date(2021, 1, 1)),
    ("seit 2 Jahren bei Nordwerk", date(2022, 1, 1)),
])
def test_a_length_up_to_now_in_another_language(text: str, start: date) -> None:
    assert _days(text) == [start]


@pytest.mark.parametrize(("text", "day", "role"), [
    ("giám đốc nhân sự từ 01/05/2024", date(2024, 5, 1), "start"),
    ("dal 4 novembre lo sostituisce Serena", date(2024, 11, 4), "start"),
    ("vanaf 1 maart 2025 bij Nordwerk", date(2025, 3, 1), "start"),
    ("sejak 3 agustus 2021", date(2021, 8, 3), "start"),
    ("fino al 31/10/2024", date(2024, 10, 31), "end"),
])
def test_start_and_end_cues_and_months_of_more_languages(text: str, day: date,
                                                         role: str) -> None:
    found = find_times(text, REF)
    assert [(m.value.start.date(), m.role.value) for m in found] == [(day, role)], found


def test_a_request_after_a_past_event_asks_for_a_day_ahead(extract: Extract) -> None:
    # the clause is past ("signed"), but the day hangs off a request: the next 20 June
    found = extract("Katrin signed ✅ Please move us to the Growth plan on 20 June, and send "
                    "the invoice to her.")
    starts = {a.value: a.valid_from.astimezone(AT.tzinfo).date() for a in found
              if a.predicate == "uses" and a.valid_from is not None}
    assert starts == {"growth plan": date(2024, 6, 20)}


@pytest.mark.parametrize(("text", "day"), [
    ("the contract runs until November", date(2024, 11, 1)),  # five months ahead
    ("runs to the end of November", date(2024, 11, 1)),
    ("on leave till March", date(2024, 3, 1)),  # three months gone
])
def test_an_end_said_with_until_lies_on_either_side(text: str, day: date) -> None:
    found = find_times(text, REF)
    assert [(m.value.start.date(), m.role.value) for m in found] == [(day, "end")]
