"""Time expressions, continued: qualified periods ("the summer of 2019"), "back" and
weekends ago, durations, time words of other languages, short and dashed ranges, and
the facts they date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from asof.graph.models import Basis, Granularity
from asof.timex import Role, Tense, find_times
from tests.unit.extraction.conftest import TZ, Extract
from tests.unit.extraction.test_temporal import REF, local, one

pytestmark = pytest.mark.unit


# ------------------------------------------------- qualified periods, "back", weekends, durations
# REF is Wednesday 2024-06-12 (-05:00).

@pytest.mark.parametrize(("text", "start", "end"), [
    ("We rented a cabin in the summer of 2021.", date(2021, 6, 1), date(2021, 9, 1)),
    ("Over the winter of 2019 the lake froze.", date(2019, 12, 1), date(2020, 3, 1)),
    ("the spring of 2016", date(2016, 3, 1), date(2016, 6, 1)),
    ("She moved out during the autumn of last year.", date(2023, 9, 1), date(2023, 12, 1)),
])
def test_the_season_of_a_year_is_one_period(text: str, start: date, end: date) -> None:
    found = one(text, Tense.PAST)
    assert (found.value.start.date(), found.value.end.date()) == (start, end)
    assert found.value.granularity is Granularity.SEASON


@pytest.mark.parametrize(("text", "qualified"), [
    ("The office opened mid-2022.", "mid-2022"),
    ("It shipped in mid 2019.", "mid 2019"),
    ("I left at the end of 2023.", "the end of 2023"),
    ("prices rose in late 2023", "late 2023"),
    ("we met in early 2020", "early 2020"),
    ("in the first half of 2023 we grew", "the first half of 2023"),
    ("during the second half of 2017", "the second half of 2017"),
    ("sometime in the middle of 2015", "the middle of 2015"),
])
def test_a_qualified_year_is_one_mention_of_that_year(text: str, qualified: str) -> None:
    # the resolver keeps the year whole; query.ask narrows it by the qualifier it carries
    found = one(text, Tense.PAST)
    assert found.text == qualified
    year = int(qualified[-4:])
    assert (found.value.start.date(), found.value.end.date()) == (date(year, 1, 1),
                                                                   date(year + 1, 1, 1))
    assert found.value.granularity is Granularity.YEAR


def test_a_hyphenated_month_qualifier_keeps_the_month() -> None:
    found = one("The roof was fixed in mid-March.", Tense.PAST)
    assert found.value.start.date() == date(2024, 3, 1)
    assert found.value.granularity is Granularity.MONTH


@pytest.mark.parametrize(("text", "ref", "start"), [
    # Wednesday: last weekend is 8-9 June, the one before it 1-2 June
    ("We hiked the ridge two weekends ago.", REF, date(2024, 6, 1)),
    ("we repainted the shed a couple weekends ago", REF, date(2024, 6, 1)),
    ("three weekends back", REF, date(2024, 5, 25)),
    # said on a Sunday, that weekend has not ended: it is not one of those counted
    ("two weekends ago", datetime(2024, 6, 16, 20, 0, tzinfo=REF.tzinfo), date(2024, 6, 1)),
    # said on a Monday, the weekend just over is the latest
    ("two weekends ago", datetime(2024, 6, 17, 9, 0, tzinfo=REF.tzinfo), date(2024, 6, 8)),
])
def test_n_weekends_ago(text: str, ref: datetime, start: date) -> None:
    (found,) = find_times(text, ref, Tense.PAST)
    assert (found.value.start.date(), found.value.end.date()) == (start,
                                                                   start + timedelta(days=2))
    assert found.value.granularity is Granularity.DAY
    assert found.value.start.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(("text", "day", "granularity"), [
    ("I saw her a couple of weeks ago.", date(2024, 5, 29), Granularity.DAY),
    ("I saw him a couple weeks ago.", date(2024, 5, 29), Granularity.DAY),
    ("We adopted the cat three months back.", date(2024, 3, 1), Granularity.MONTH),
    ("I sold it 2 years back.", date(2022, 1, 1), Granularity.YEAR),
    ("a few days back", date(2024, 6, 9), Granularity.DAY),
])
def test_n_units_back_is_n_units_ago(text: str, day: date, granularity: Granularity) -> None:
    found = one(text, Tense.PAST)
    assert found.value.start.date() == day and found.value.granularity is granularity
    assert found.role is Role.AT


@pytest.mark.parametrize(("text", "start", "granularity"), [
    ("I've been knitting for seven years now.", date(2017, 1, 1), Granularity.YEAR),
    ("I've been at Halvorsen Print for 3 years.", date(2021, 1, 1), Granularity.YEAR),
    ("We have lived here for about 18 months.", date(2022, 12, 1), Granularity.MONTH),
    ("she has coached the team for nearly ten years", date(2014, 1, 1), Granularity.YEAR),
    ("I've been vegetarian for over a year", date(2023, 1, 1), Granularity.YEAR),
])
def test_a_duration_up_to_now_gives_a_derived_start(text: str, start: date,
                                                    granularity: Granularity) -> None:
    # Role.DURATION marks the start as derived: the message time minus the duration, at the
    # duration's unit (a year or a month)
    found = one(text)
    assert found.role is Role.DURATION
    assert found.value.start.date() == start and found.value.granularity is granularity


def test_a_duration_dates_the_fact_it_qualifies(extract: Extract) -> None:
    (fact,) = [a for a in extract("I've been at Halvorsen Print for 3 years now.")
               if a.predicate == "works_at"]
    assert local(fact.valid_from) == date(2021, 1, 1)
    assert fact.granularity is Granularity.YEAR and fact.basis is Basis.STATED


def test_a_season_of_a_year_dates_the_fact(extract: Extract) -> None:
    (fact,) = [a for a in extract("I moved to Ghent in the summer of 2021.")
               if a.predicate == "lives_in"]
    assert local(fact.valid_from) == date(2021, 6, 1) and fact.granularity is Granularity.SEASON


@pytest.mark.parametrize(("text", "tense", "role", "day", "granularity"), [
    ("à partir du 2 septembre", Tense.FUTURE, Role.START, date(2024, 9, 2), Granularity.DAY),
    ("desde enero", Tense.PAST, Role.START, date(2024, 1, 1), Granularity.MONTH),
    ("el 1 de septiembre", Tense.FUTURE, Role.AT, date(2024, 9, 1), Granularity.DAY),
    ("desde el 1 de febrero de 2023", Tense.PAST, Role.START, date(2023, 2, 1),
     Granularity.DAY),
    ("noch bis 14.4.", Tense.PAST, Role.END, date(2024, 4, 14), Granularity.DAY),
    ("seit März", Tense.PAST, Role.START, date(2024, 3, 1), Granularity.MONTH),
    ("desde el lunes", Tense.PAST, Role.START, date(2024, 6, 10), Granularity.DAY),
    ("ayer", Tense.UNKNOWN, Role.AT, date(2024, 6, 11), Granularity.DAY),
    ("heute", Tense.UNKNOWN, Role.AT, date(2024, 6, 12), Granularity.DAY),
    ("le 3 août", Tense.FUTURE, Role.AT, date(2024, 8, 3), Granularity.DAY),
])
def test_time_words_of_other_languages(text: str, tense: Tense, role: Role, day: date,
                                       granularity: Granularity) -> None:
    found = one(text, tense)
    assert (found.role, found.value.start.date(), found.value.granularity) == (
        role, day, granularity)


@pytest.mark.parametrize("text", ["Mai Nguyen joined us", "I read about Mars rovers",
                                  "hier ist alles gut"])
def test_words_that_are_also_names_are_no_dates(text: str) -> None:
    assert find_times(text, REF) == []


@pytest.mark.parametrize(("text", "tense", "first", "last", "granularity"), [
    ("2010-14", Tense.PAST, date(2010, 1, 1), date(2014, 1, 1), Granularity.YEAR),
    ("Jul–Aug 2019", Tense.PAST, date(2019, 7, 1), date(2019, 8, 1), Granularity.MONTH),
    ("Dec to Feb 2020", Tense.PAST, date(2019, 12, 1), date(2020, 2, 1), Granularity.MONTH),
    ("the 8th–10th", Tense.PAST, date(2024, 6, 8), date(2024, 6, 10), Granularity.DAY),
    ("the 18th to the 20th", Tense.FUTURE, date(2024, 6, 18), date(2024, 6, 20),
     Granularity.DAY),
])
def test_short_ranges(text: str, tense: Tense, first: date, last: date,
                      granularity: Granularity) -> None:
    found = one(text, tense)
    assert found.role is Role.RANGE and found.end_value is not None
    assert (found.value.start.date(), found.end_value.start.date(),
            found.value.granularity) == (first, last, granularity)


def test_the_nth_of_a_month_is_that_month() -> None:
    assert one("the 20th of August", Tense.PAST).value.start.date() == date(2023, 8, 20)


def test_an_iso_month_is_no_year_range() -> None:
    found = one("2020-12")
    assert (found.role, found.value.granularity) == (Role.AT, Granularity.MONTH)


@pytest.mark.parametrize(("text", "predicate", "day"), [
    ("I married Brenda Holt in '71 — no, wait, '72.", "married_to", date(1972, 1, 1)),
    ("I started at the Uniklinik on 3.4. — nee, Quatsch, 17.4.", "works_at",
     date(2024, 4, 17)),
    ("I joined Kestrel Labs on May 3, sorry, May 5.", "works_at", date(2024, 5, 5)),
])
def test_a_time_corrected_in_the_same_breath(extract: Extract, text: str, predicate: str,
                                            day: date) -> None:
    found = [a for a in extract(text) if a.predicate == predicate]
    assert [a.valid_from.astimezone(TZ).date() for a in found if a.valid_from] == [day]


def test_two_times_without_a_correction_word_both_stay() -> None:
    assert [m.text for m in find_times("from May 3 to May 5", REF)] == ["May 3 to May 5"]


@pytest.mark.parametrize("text", ["the 8th and 9th", "Dec 29 thru Jan 2", "Friday & Saturday"])
def test_day_ranges_joined_by_and_thru_and_ampersand(text: str) -> None:
    found = find_times(text, REF, Tense.PAST)
    assert [m.role for m in found] == [Role.RANGE], found


def test_a_stay_of_some_days_is_a_visit_not_a_home(extract: Extract) -> None:
    found = extract("I was in Tromsø from the 3rd to the 7th for the film festival.")
    assert not any(a.predicate == "lives_in" for a in found)


def test_a_time_that_opens_the_sentence_before_a_comma_dates_what_follows(
        extract: Extract) -> None:
    found = extract("Last Friday, I went to the Brera gallery.",
                    "In March, I moved to Porto.")
    starts = {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
              for a in found}
    assert starts == {"visited": date(2024, 6, 7), "lives_in": date(2024, 3, 1)}


def test_a_bare_scheduled_verb_and_a_verbless_part_do_not_put_a_day_in_the_past(
        learned_extract: Extract) -> None:
    # AT is Wednesday 12 June 2024
    found = learned_extract("start @ Kestrel Labs on mon 🙌 product analyst.",
                            "Tove and I signed for a place in Malmö, keys july 1")
    starts = {(a.subject.name, a.predicate): a.valid_from.astimezone(TZ).date()
              for a in found if a.valid_from}
    assert starts[("Maren Holt", "job_title")] == date(2024, 6, 17)
    assert starts[("Maren Holt", "lives_in")] == date(2024, 7, 1)


def test_an_event_without_a_time_of_its_own_takes_the_nearest_day_of_its_message(
        extract: Extract, learned_extract: Extract) -> None:
    # AT is Wednesday 12 June 2024
    def days(found):  # type: ignore[no-untyped-def]
        return {(a.object.name if a.object else a.value): (
            a.valid_from.astimezone(TZ).date(), a.valid_to.astimezone(TZ).date())
            for a in found if a.predicate in ("attended", "visited")}

    assert days(extract("I went to the Brera gallery! Saturday 8 June, with Ines.")) == {
        "Brera gallery": (date(2024, 6, 8), date(2024, 6, 9))}
    found = learned_extract("ran my first 10k last Sunday! Limerick Park 10K, 58:41.")
    assert days(found) == {"Limerick Park 10K": (date(2024, 6, 9), date(2024, 6, 10))}
    assert not any(a.predicate == "uses" for a in found)  # a race run is no tool


@pytest.mark.parametrize(("text", "day"), [
    ("nimejiunga jana!", date(2024, 6, 11)),   # Swahili, lower case only
    ("kahapon lang", date(2024, 6, 11)),       # Tagalog
    ("siamo arrivati ieri", date(2024, 6, 11)),
    ("вчера", date(2024, 6, 11)),
    ("hôm nay", date(2024, 6, 12)),
    ("besok", date(2024, 6, 13)),
])
def test_day_words_of_more_languages(text: str, day: date) -> None:
    assert one(text).value.start.date() == day


def test_a_day_word_that_is_also_a_name_counts_only_in_lower_case() -> None:
    assert find_times("Jana joined the team", REF, Tense.UNKNOWN) == []


@pytest.mark.parametrize(("text", "day"), [
    ("last day at the bakery is fri april 5", date(2024, 4, 5)),
    ("on Friday, 14 June", date(2024, 6, 14)),
    ("on Sat 8 June", date(2024, 6, 8)),
])
def test_a_weekday_before_a_date_only_labels_it(text: str, day: date) -> None:
    found = one(text)
    assert found.value.start.date() == day and found.text.lower().startswith(
        ("fri", "sat"))


def test_a_range_whose_yearless_end_would_come_before_its_start_ends_a_year_later() -> None:
    # REF is 12 June 2024: "30 January" alone is the last one, nearer than the next
    found = one("from 3 July to 30 January")
    assert found.role is Role.RANGE and found.end_value is not None
    assert (found.value.start.date(), found.end_value.start.date()) == (
        date(2024, 7, 3), date(2025, 1, 30))


def test_an_emoji_parts_a_sentence_as_punctuation_does(extract: Extract) -> None:
    # "got" is past; the day after the emoji has no verb of its own: the nearest July 1
    found = extract("I got the job at Kestrel Labs 🎉 first day july 1")
    starts = [a.valid_from.astimezone(TZ).date() for a in found
              if a.predicate == "works_at" and a.valid_from]
    assert starts == [date(2024, 7, 1)]


def test_getting_married_is_a_change_to_come(nlp) -> None:  # type: ignore[no-untyped-def]
    # "getting" (an auxiliary to the parser, lemma left as is) before a participle does not
    # make the clause past: the coming Oct 3, not last year's
    doc = nlp.make_doc("we're getting married oct 3!! can u help w/ the caterer shortlist")
    doc._.asof_ref_time = datetime(2023, 4, 17, 18, 30, tzinfo=TZ)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    assert [t.value.start.date() for t in doc._.asof_times] == [date(2023, 10, 3)]


@pytest.mark.parametrize(("text", "tense", "first", "last"), [
    ("dodoma mon–tue for the training", Tense.PAST, date(2024, 6, 10), date(2024, 6, 11)),
    ("went sat & sun, freezing", Tense.PAST, date(2024, 6, 8), date(2024, 6, 9)),
    ("fri-sun in porto", Tense.FUTURE, date(2024, 6, 14), date(2024, 6, 16)),
    ("fri–mon trip", Tense.PAST, date(2024, 6, 7), date(2024, 6, 10)),  # ended Monday
    # two weekdays in a row joined by "and" are one stretch too
    ("in Tromsø Monday and Tuesday for the audit", Tense.PAST, date(2024, 6, 10),
     date(2024, 6, 11)),
    ("spent Saturday and Sunday at the fair", Tense.PAST, date(2024, 6, 8), date(2024, 6, 9)),
    # a return said with its own day ends the stay begun on the day before it
    ("drove up to Narvik on the 3rd and came back on the 5th", Tense.PAST, date(2024, 6, 3),
     date(2024, 6, 5)),
])
def test_two_weekdays_joined_are_a_range(text: str, tense: Tense, first: date,
                                         last: date) -> None:
    found = one(text, tense)
    assert found.role is Role.RANGE and found.end_value is not None
    assert (found.value.start.date(), found.end_value.start.date()) == (first, last)


def test_a_return_after_a_month_end_is_no_stay() -> None:
    # "left at the end of April, flew home on the 2nd of May": two statements
    found = find_times("left Kestrel at the end of April, flew home on the 2nd of May",
                       REF, Tense.PAST)
    assert [m.role for m in found] != [Role.RANGE] and len(found) == 2


def test_two_weekdays_apart_are_two_days_not_a_range() -> None:
    found = find_times("in Tromsø on Monday and Thursday", REF, Tense.PAST)
    assert [m.role for m in found] != [Role.RANGE] and len(found) == 2


def test_a_weekday_range_dates_a_trip_not_a_job(extract: Extract) -> None:
    found = extract("I was in Tromsø mon–tue for the training",
                    "I work at Kestrel Labs Tue–Thu, night shifts")
    visits = [(a.valid_from.astimezone(TZ).date(), a.valid_to.astimezone(TZ).date())
              for a in found if a.predicate == "visited" and a.valid_from and a.valid_to]
    assert visits == [(date(2024, 6, 10), date(2024, 6, 12))]
    jobs = [a for a in found if a.predicate == "works_at"]
    assert jobs and all(a.valid_from is None and a.valid_to is None for a in jobs)


def test_a_time_reaches_a_statement_that_points_back_to_it(learned_extract: Extract) -> None:
    # a time before "Name and I", a "when" clause of a dated one, "from the same day"
    found = learned_extract(
        "in May Ilse and I spent the whole week on Gotland with her parents.",
        "Oskar Lindgren, our drummer, left the band end of April when he moved to Tromsø.",
        "1) my new contract starts on 1 July. 2) from the same day my new lead is Ilse Brandt.")
    dates = {(a.subject.name, a.predicate): a.valid_from.astimezone(TZ).date()
             for a in found if a.valid_from and a.kind.value == "assert"}
    assert dates.get(("Maren Holt", "visited")) == date(2024, 5, 1)
    assert dates.get(("Oskar Lindgren", "lives_in")) == date(2024, 4, 1)
    assert dates.get(("Maren Holt", "reports_to")) == date(2024, 7, 1)


def test_a_length_alone_is_no_date_but_a_length_held_until_now_began_that_long_ago() -> None:
    """dateparser reads a bare length as that long ago."""
    from asof.timex.fallback import parse_with_dateparser

    assert parse_with_dateparser("5 days", REF, Tense.UNKNOWN) is None
    assert parse_with_dateparser("two weeks", REF, Tense.PAST) is None
    assert parse_with_dateparser("3 years", REF, Tense.PAST) is None
    held = parse_with_dateparser("6 years", REF, Tense.UNKNOWN)
    assert held is not None and held.start.year == REF.year - 6


@pytest.mark.parametrize("text", ["7 most days", "every other day", "3 days a week"])
def test_how_often_is_no_date(text: str) -> None:
    from asof.timex.fallback import parse_with_dateparser

    assert parse_with_dateparser(text, REF, Tense.UNKNOWN) is None


def test_a_trip_of_some_days_in_a_month_is_dated_by_the_month(extract: Extract) -> None:
    found = [a for a in extract("went to Lisbon for 5 days in april with Tom")
             if a.predicate == "visited"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2024, 4, 1)


def test_a_length_with_a_stated_time_is_dated_by_the_time(extract: Extract) -> None:
    """"for 6 months in 2018": 2018, not six months before the message."""
    found = [a for a in extract("Before that I worked at Farfetch for 6 months in 2018.")
             if a.predicate == "works_at"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).year == 2018


@pytest.mark.parametrize(("text", "day"), [("I start 1-4 as product owner", date(2024, 4, 1)),
                                           ("last day is 29-3", date(2024, 3, 29))])
def test_a_dashed_day_and_month_after_a_date_word_is_a_date(text: str, day: date) -> None:
    ref = datetime(2024, 3, 18, 18, tzinfo=timezone(timedelta(hours=1)))
    found = find_times(text, ref)
    assert [m.value.start.date() for m in found] == [day]


@pytest.mark.parametrize("text", ["open from 9-5", "we won 3-1", "pages 1-4", "4-6 weeks"])
def test_dashed_numbers_elsewhere_are_no_dates(text: str) -> None:
    assert find_times(text, REF) == []


def test_a_time_the_parser_leaves_at_the_end_of_the_sentence_before_dates_the_next(
        extract: Extract) -> None:
    """"TRANSFER APPROVED 🎉 April 1 I move to Leeds": the parser ends a sentence after
    "April 1"; with no stop there, the time fronts the move."""
    found = [a for a in extract("TRANSFER APPROVED 🎉🎉 April 1 I move to Leeds")
             if a.predicate == "lives_in"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2024, 4, 1)


@pytest.mark.parametrize(("text", "day"), [
    ("she joins Monday", date(2024, 6, 17)),        # said on a Wednesday: the coming Monday
    ("he starts Monday, senior accountant", date(2024, 6, 17)),
    ("our new IT admin from Monday", date(2024, 6, 17)),
    ("I started Monday", date(2024, 6, 10)),
])
def test_a_bare_weekday_after_a_start_said_in_the_present_is_the_coming_one(
        text: str, day: date) -> None:
    assert one(text).value.start.date() == day


@pytest.mark.parametrize("text", ["- me: still at Haukeland, got promoted to ward "
                                  "coordinator on 1 March 🙌",
                                  "I'm still at Haukeland, got promoted to ward coordinator on "
                                  "1 March"])
def test_still_at_a_place_is_held_from_before_not_from_a_date_beside_it(
        learned_extract: Extract, text: str) -> None:
    got = {a.predicate: a for a in learned_extract(text)}
    assert got["works_at"].valid_from is None, got["works_at"]
    assert got["job_title"].valid_from is not None


def test_a_schedule_in_another_clause_does_not_date_a_title(
        learned_extract: Extract) -> None:
    # ("Mon–Fri" is when the job is worked, not when the title holds)
    found = learned_extract("got an offer, maintenance supervisor at Kestrel Labs, Mon–Fri, "
                            "home every night. start 14 Oct.")
    (title,) = [a for a in found if a.predicate == "job_title"]
    assert title.valid_to is None, title
    assert title.valid_from is not None and title.valid_from.astimezone(TZ).date() == \
        date(2024, 10, 14), title
