"""When facts start and end: a date right after a start cue ("kicks off on 14 October",
"first day is 1 July", "we move April 1") is when the undated facts beside it begin, for the
predicates the cue begins; a day without a year is not put in the past by a "last" that names
no time ("last day July 26"); a home left on a date ahead holds until then; an ending that
names an open fact by a shorter name ends it. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import date

import pytest

from asof.graph.models import AssertionKind, Basis, FactAssertion
from tests.unit.extraction.conftest import TZ, Extract

pytestmark = pytest.mark.unit


def _starts(found: list[FactAssertion], subject: str) -> dict[str, date | None]:
    return {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
            for a in found if a.subject.name == subject}


def _endings(found: list[FactAssertion], subject: str) -> dict[str, date | None]:
    return {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
            for a in found if a.subject.name == subject and a.kind is AssertionKind.RETRACT}


def test_a_hire_who_kicks_off_on_a_date_starts_then_with_the_facts_beside_it(
        extract: Extract) -> None:
    found = extract("I work at Kestrel Labs.",
                    "We hired Oskar Lindgren as a dispatcher, he kicks off on 14 October. "
                    "He'll report to Ilse Brandt.")
    starts = _starts(found, "Oskar Lindgren")
    assert starts.get("job_title") == date(2024, 10, 14)
    assert starts.get("reports_to") == date(2024, 10, 14)


def test_a_first_day_dates_the_new_job(extract: Extract) -> None:
    found = extract("Got the job! Junior analyst at Fjordline Freight, first day is 1 July.")
    starts = _starts(found, "Maren Holt")
    assert starts.get("works_at") == date(2024, 7, 1)
    assert starts.get("job_title") == date(2024, 7, 1)


def test_a_move_dates_the_home_and_a_job_start_does_not(extract: Extract) -> None:
    found = extract("We move to Tromsø on August 1. I got a job at Kestrel Labs there, I "
                    "start July 15.")
    starts = _starts(found, "Maren Holt")
    assert starts.get("lives_in") == date(2024, 8, 1)
    assert starts.get("works_at") == date(2024, 7, 15)


def test_a_contract_that_starts_is_not_a_job_start(extract: Extract) -> None:
    found = extract("I'm the support lead at Kestrel Labs. The contract starts July 1 on the "
                    "Growth plan.")
    assert _starts(found, "Maren Holt").get("works_at") != date(2024, 7, 1)


def test_his_start_does_not_date_the_speakers_job(extract: Extract) -> None:
    found = extract("I'm head of support at Kestrel Labs now and we hired a team lead, he "
                    "starts July 4.")
    assert _starts(found, "Maren Holt").get("job_title") != date(2024, 7, 4)


def test_a_last_day_ahead_is_this_year(extract: Extract) -> None:
    found = extract("I'm a dispatcher at Fjordline Freight. Handed in my notice. "
                    "Last day July 26.")
    assert _endings(found, "Maren Holt").get("works_at") == date(2024, 7, 26)


def test_a_home_left_on_a_date_ahead_holds_from_the_message_until_then(
        extract: Extract) -> None:
    found = extract("We're moving from Leipzig to Hamburg on August 1.")
    origin = next(a for a in found if a.predicate == "lives_in" and a.object is not None
                  and a.object.name == "Leipzig")
    assert origin.valid_from is None and origin.basis is Basis.OBSERVED  # the message time
    assert origin.valid_to is not None and origin.valid_to.astimezone(TZ).date() == date(
        2024, 8, 1)


def test_leaving_a_place_by_a_short_name_ends_the_open_fact(extract: Extract) -> None:
    found = extract("I work at Kuura Interactive as a designer.", "I left Kuura last week.")
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [a.object.name for a in ended if a.object is not None] == ["Kuura Interactive"]


@pytest.mark.parametrize(("texts", "predicate", "ended"), [
    (("I'm a nurse at Perpetual Light.", "My last shift is July 28."), "works_at",
     date(2024, 7, 28)),
    (("We use DocuSign.", "We're moving off DocuSign in July."), "uses", date(2024, 7, 1)),
    (("I work at Zeptonic.", "I wrapped up at Zeptonic last month."), "works_at",
     date(2024, 5, 1)),
])
def test_endings_said_in_other_words(extract: Extract, texts: tuple[str, ...], predicate: str,
                                     ended: date) -> None:
    assert _endings(extract(*texts), "Maren Holt").get(predicate) == ended


def test_an_ending_with_its_date_is_no_start(extract: Extract) -> None:
    found = extract("Priya wrapped up at Zeptonic last month.")
    over = next(a for a in found if a.predicate == "works_at")
    assert over.valid_from is None
    assert over.valid_to is not None and over.valid_to.astimezone(TZ).date() == date(2024, 5, 1)


def test_a_lost_job_is_a_job_that_ended(extract: Extract) -> None:
    found = extract("Lost my job as a welder yesterday, so I'm retraining.",
                    "My brother Tom got laid off from Quorvia in May.",
                    "I was fired from Helix Foods last week.")
    ended = {(a.subject.name, a.predicate, (a.object.name if a.object else a.value) or ""):
             a.valid_to.astimezone(TZ).date() if a.valid_to else None for a in found}
    assert ended[("Maren Holt", "job_title", "welder")] == date(2024, 6, 11)
    assert ended[("Tom", "works_at", "Quorvia")] == date(2024, 5, 1)
    assert ended[("Maren Holt", "works_at", "Helix Foods")] is not None
    assert not any(a.valid_to is None for a in found if a.predicate in ("works_at", "job_title"))


def test_a_past_tense_fact_of_a_life_stage_that_is_over_has_ended(extract: Extract) -> None:
    found = extract("I loved climbing trees with my cousins when I was younger.",
                    "As a kid I lived in Mombasa.",
                    "I've been into chess since I was a kid.")
    ends = {(a.predicate, (a.object.name if a.object else a.value) or ""): a.valid_to
            for a in found}
    assert ends[("likes", "climbing trees")] is not None
    assert ends[("lives_in", "Mombasa")] is not None
    assert ends[("likes", "chess")] is None


def test_a_pet_that_died_ends_for_its_keeper(talk) -> None:  # type: ignore[no-untyped-def]
    turns = talk(("Haruko Sato", "I live in Kobe with my dog Kuro."),
                 ("Haruko Sato", "Kuro died in September. He was old."))
    assert [(a.kind, a.subject.name, a.predicate, a.object.name if a.object else None)
            for a in turns[1]] == [(AssertionKind.RETRACT, "Haruko Sato", "has_pet", "Kuro")]


def test_whose_last_day_it_is_follows_the_possessive(talk) -> None:  # type: ignore[no-untyped-def]
    turns = talk(("Rui Lopes", "My sister Joy Lopes is a nurse at Cedar Hospital."),
                 ("Rui Lopes", "Joy got hired by Palm Clinic. Her last duty at Cedar Hospital "
                               "is July 28."),
                 ("Rui Lopes", "Lena Brandt works at Vossberg. Lena's last day at Vossberg "
                               "is 28 June."))
    ended = {(a.subject.name, a.object.name if a.object else "") for t in turns for a in t
             if a.predicate == "works_at" and a.kind is AssertionKind.RETRACT}
    assert ended == {("Joy Lopes", "Cedar Hospital"), ("Lena Brandt", "Vossberg")}


def test_the_one_taken_over_from_leaves_the_title(talk) -> None:  # type: ignore[no-untyped-def]
    turns = talk(("Dana Ruiz", "Tomas Berg is our office manager."),
                 ("Dana Ruiz", "I took over from Tomas as office manager on 17 July."))
    ended = {(a.subject.name, a.value) for a in turns[1]
             if a.predicate == "job_title" and a.kind is AssertionKind.RETRACT}
    assert ended == {("Tomas Berg", "office manager")}


def test_each_time_dates_the_statement_its_comma_keeps_it_in(extract: Extract) -> None:
    # "fri" is nearer to "start" than to "last day" by words, but a comma parts them
    found = extract("I work at Kestrel Labs.",
                    "last day @ kestrel fri, start at fjordline the 2nd.")
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [a.valid_from.astimezone(TZ).date() for a in ended if a.valid_from] == \
        [date(2024, 6, 14)]
    assert _starts(found, "Maren Holt").get("works_at") == date(2024, 7, 2)


def test_a_job_name_typed_in_lower_case_after_work_at_or_start_at(extract: Extract) -> None:
    for said, name in (("i work at fjordline now", "fjordline"),
                       ("started at quillon last week", "quillon")):
        jobs = [a.object.name.lower() for a in extract(said) if a.predicate == "works_at"]
        assert jobs == [name], said
    for said in ("I start at the office downstairs on monday", "I work with kids",
                 "Use social media channels and work with influencers for bigger reach."):
        assert not [a for a in extract(said) if a.predicate == "works_at"], said


def test_a_title_at_sign_employer_fragment_is_the_speakers(extract: Extract) -> None:
    found = extract("senior designer @ Kestrel Labs since march")
    facts = {(a.predicate, a.object.name if a.object else a.value) for a in found
             if a.subject.name == "Maren Holt"}
    assert {("job_title", "senior designer"), ("works_at", "Kestrel Labs")} <= facts


@pytest.mark.parametrize("said", ["resigned 😬 notice period till 12 july",
                                  "handed in my notice today, it runs until 12 July",
                                  "my notice at Kestrel ends 12 July"])
def test_a_notice_ends_the_job_on_its_last_day(extract: Extract, said: str) -> None:
    found = extract("I work at Kestrel Labs.", said)
    assert _endings(found, "Maren Holt").get("works_at") == date(2024, 7, 12), said


def test_his_notice_ends_his_job_not_the_speakers(extract: Extract) -> None:
    found = extract("I work at Kestrel Labs. Oskar Lindgren works at Fjordline Freight.",
                    "He accepted our offer! His notice at Fjordline ends 12 July.")
    assert _endings(found, "Oskar Lindgren").get("works_at") == date(2024, 7, 12)
    assert "works_at" not in _endings(found, "Maren Holt")


def test_someone_who_left_us_holds_their_place_no_longer(extract: Extract) -> None:
    found = extract("I run support at Kestrel Labs. Ilse Brandt is our billing lead.",
                    "Sad news: Ilse left us on 7 June, she's at Fjordline Freight now.")
    assert _endings(found, "Ilse Brandt").get("job_title") == date(2024, 6, 7)
    assert "works_at" not in _endings(found, "Maren Holt")


def test_a_tagged_employer_takes_the_time_of_its_own_verb(learned_extract: Extract) -> None:
    # no rule reads "behaviour" (an everyday word); the tagger does, and its verb is "started"
    found = learned_extract("landed in montréal on the 3rd, started at behaviour on the 9th")
    starts = {a.object.name.lower(): a.valid_from.astimezone(TZ).date() for a in found
              if a.predicate == "works_at" and a.object and a.valid_from}
    assert starts.get("behaviour") == date(2024, 6, 9), starts


def test_a_manager_who_left_was_the_manager_until_then(extract: Extract) -> None:
    """"my manager Priya Shah left in April": reported to her until April, not from it."""
    found = [a for a in extract("my manager Priya Shah left in April, I report to Sam Okoro now")
             if a.predicate == "reports_to" and a.object and a.object.name == "Priya Shah"]
    assert len(found) == 1 and found[0].valid_to is not None
    assert found[0].valid_to.astimezone(TZ).date() == date(2024, 4, 1)


@pytest.mark.parametrize("said", ["Tom Reyes got laid off last week",
                                  "Tom Reyes was let go last week",
                                  "Tom Reyes got made redundant last week"])
def test_an_ending_said_without_the_employer_ends_the_job_held(extract: Extract,
                                                                said: str) -> None:
    found = extract("Tom Reyes works at Samsung as an engineer.", said)
    ends = [a for a in found if a.predicate == "works_at" and a.kind is AssertionKind.RETRACT]
    assert [(a.subject.name, a.object.name if a.object else None) for a in ends] == \
        [("Tom Reyes", "Samsung")]


@pytest.mark.parametrize("second", ["FYI Jure's last day is 4 July, he's joining Brenvik then.",
                                    "FYI Jure resigned, his last day is 4 July."])
def test_a_colleagues_last_day_ends_his_title_and_manager_with_no_employer_known(
        extract: Extract, second: str) -> None:
    found = extract("Jure Kos is our IT lead, he reports to Maja Novak.", second)
    assert _endings(found, "Jure Kos") == {"job_title": date(2024, 7, 4),
                                           "reports_to": date(2024, 7, 4)}


def test_a_last_day_read_as_the_speakers_ends_nothing_with_no_employer_known(
        extract: Extract) -> None:
    # the subject of "resign" is missed and the speaker taken: no title of theirs ends
    found = extract("I'm a senior designer, 3 years now.", "pak danang resign, last day jumat")
    assert _endings(found, "Maren Holt") == {}


def test_a_title_said_as_past_ends_where_the_new_one_begins(extract: Extract) -> None:
    found = extract("please update my record too: I was HR Ops Specialist, I'm HR Ops Lead "
                    "since 1 June.")
    titles = {(a.value, a.valid_from.astimezone(TZ).date() if a.valid_from else None,
               a.valid_to.astimezone(TZ).date() if a.valid_to else None)
              for a in found if a.predicate == "job_title"}
    assert titles == {("hr ops specialist", None, date(2024, 6, 1)),
                      ("hr ops lead", date(2024, 6, 1), None)}


def test_a_past_title_takes_no_start_from_another_part_of_the_clause(extract: Extract) -> None:
    found = extract("1) Ivo Berg — was Senior Network Engineer, now Head of IT, effective 1 June")
    (past,) = [a for a in found if a.predicate == "job_title" and
               a.value == "senior network engineer"]
    assert past.valid_from is None and past.valid_to is not None, past


def test_a_title_said_as_past_with_its_years_keeps_them(extract: Extract) -> None:
    (title,) = [a for a in extract("I was a nurse at St Brigid's from 2015 to 2019.")
                if a.predicate == "job_title"]
    assert (title.valid_from.astimezone(TZ).year, title.valid_to.astimezone(TZ).year) == (
        2015, 2019)


@pytest.mark.parametrize(("text", "year"), [
    ("founder @ Yeti Trail Treks, Pokhara based. since 2016", 2016),
    ("frontend dev @ Shipwise, remote from Plovdiv. 2 yrs there", 2022),
])
def test_a_sentence_that_only_says_since_when_dates_the_job_before_it(extract: Extract,
                                                                     text: str,
                                                                     year: int) -> None:
    starts = _starts(extract(text), "Maren Holt")
    assert starts["works_at"] == date(year, 1, 1)
    assert starts.get("lives_in") is None  # the job is what the time dates, not a home


def test_a_start_dates_the_starter_not_the_manager_named_in_passing(extract: Extract) -> None:
    found = extract("We hired Oskar Lindgren as a dispatcher.",
                    "Oskar starts 1 July, reporting to our finance director, Dr. Ilse Brandt.")
    # her title is said of her now; the start is his
    titles = [a for a in found if a.subject.name == "Ilse Brandt" and
              a.predicate == "job_title"]
    assert titles and all(a.valid_from is None for a in titles)


def test_a_start_in_a_clause_dates_the_title_of_the_one_who_starts(extract: Extract) -> None:
    found = extract("Mei Lin Chow, senior gameplay engineer, starts 7 July, reporting to me.")
    assert _starts(found, "Mei Lin Chow").get("job_title") == date(2024, 7, 7)


def test_retiring_from_a_job_said_in_the_same_message_ends_its_title(
        extract: Extract) -> None:
    # the title is said with the job, not held from before: it ends with the job
    found = extract("In '79 I became a tram driver for Gdańsk Transit and I stayed until I "
                    "retired in '08.")
    ended = {a.predicate: a.valid_from.astimezone(TZ).year for a in found
             if a.kind is AssertionKind.RETRACT and a.valid_from is not None}
    assert ended == {"works_at": 2008, "job_title": 2008}


def test_leaving_an_old_job_does_not_end_the_new_title(extract: Extract) -> None:
    found = extract("I work at Brisa Foods.",
                    "New title: senior data analyst. I leave Brisa Foods on Friday, I join "
                    "Lumen Cargo on 1 July.")
    assert not any(a.kind is AssertionKind.RETRACT and a.predicate == "job_title"
                   for a in found)


def test_a_start_cue_dates_its_own_sentences_person_not_the_one_before(
        extract: Extract) -> None:
    found = extract("Lena Vogt reports to me. Bea Lund is our ops manager, she joined in June.")
    (line,) = [a for a in found if a.predicate == "reports_to"]
    (title,) = [a for a in found if a.predicate == "job_title"]
    assert line.valid_from is None, line
    assert title.valid_from is not None and title.valid_from.astimezone(TZ).month == 6, title


def test_a_first_day_with_us_in_a_roster_line_is_that_persons_start_here(
        extract: Extract) -> None:
    # the line's person starts at the speaker's organisation; the speaker's own job there
    # keeps the day it was said
    found = extract("Maren here, people manager at Kestrel Labs.",
                    "1) Oskar Lindgren — junior tester. First day with us 2 June. Reports to "
                    "Ilse Brandt.")
    oskar = [a for a in found if a.subject.name == "Oskar Lindgren" and
             a.predicate == "works_at"]
    assert [(a.object.name if a.object else None, a.valid_from.astimezone(TZ).date()
             if a.valid_from else None) for a in oskar] == [("Kestrel Labs", date(2024, 6, 2))]
    assert not any(a.subject.name == "Maren Holt" and a.kind is not AssertionKind.ASSERT
                   for a in found)


def test_a_job_start_does_not_date_a_language_said_beside_a_future(extract: Extract) -> None:
    found = extract("I work at Kestrel Labs.",
                    "Oskar Lindgren starts with us on 2 June. He speaks Dutch, so our slang "
                    "will confuse him.")
    (speaks,) = [a for a in found if a.predicate == "speaks"]
    assert speaks.valid_from is None, speaks


def test_start_is_a_date_in_a_later_message_dates_the_job_announced_before(
        extract: Extract) -> None:
    found = extract("Offer came!! I'll work at Kestrel Labs in Tromsø.",
                    "Visa approved finally!! Start is Monday 1 July.")
    moved = [a for a in found if a.predicate == "works_at" and
             a.kind is AssertionKind.CORRECT]
    assert [(a.object.name if a.object else None, a.valid_from.astimezone(TZ).date()
             if a.valid_from else None) for a in moved] == [("Kestrel Labs", date(2024, 7, 1))]


def test_a_manager_who_leaves_is_no_ones_manager_after_that(extract: Extract) -> None:
    found = extract("Please give access to my boss, Tomas Berg, our maintenance "
                    "superintendent. Ilse reports to him too.",
                    "Mr Berg retires, his last day is 31 July.")
    ended = {(a.subject.name, a.object.name if a.object else None,
              a.valid_from.astimezone(TZ).date() if a.valid_from else None)
             for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "reports_to"}
    assert ended == {("Maren Holt", "Tomas Berg", date(2024, 7, 31)),
                     ("Ilse", "Tomas Berg", date(2024, 7, 31))}, ended


@pytest.mark.parametrize("said", ["Tomas is no longer with Kestrel Labs.",
                                  "Tomas is not with us anymore since May."])
def test_no_longer_with_an_organisation_ends_the_job(extract: Extract, said: str) -> None:
    found = extract("I work at Kestrel Labs.", "Tomas Berg works at Kestrel Labs too.", said)
    assert ("Tomas Berg", "Kestrel Labs") in {
        (a.subject.name, a.object.name if a.object else None) for a in found
        if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"}


def test_not_with_someone_on_a_point_is_no_leaving(extract: Extract) -> None:
    found = extract("I work at Kestrel Labs.", "I'm not with Kestrel on this one.")
    assert all(a.valid_to is None for a in found if a.predicate == "works_at")
    assert not any(a.kind is AssertionKind.RETRACT for a in found)


def test_a_move_date_dates_the_home_not_the_job_beside_it(extract: Extract) -> None:
    found = extract("Other news: I'm moving to Trondheim. New job at Kestrel Labs starting "
                    "4 November, I move up on 20 October.")
    starts = {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
              for a in found if a.kind is AssertionKind.ASSERT}
    assert starts == {"lives_in": date(2024, 10, 20), "works_at": date(2024, 11, 4)}, starts


@pytest.mark.parametrize("said", ["Hallo aus Trondheim! Landed 29 Sept, the flat is tiny.",
                                  "I'm back home in Trondheim, flew home on the 29th of Sept."])
def test_the_day_of_arriving_dates_the_home_the_message_states(learned_extract: Extract,
                                                                said: str) -> None:
    found = learned_extract("I live in Oslo.", said)
    homes = {(a.object.name if a.object else None,
              a.valid_from.astimezone(TZ).date() if a.valid_from else None)
             for a in found if a.predicate == "lives_in" and a.kind is AssertionKind.ASSERT}
    assert ("Trondheim", date(2023, 9, 29)) in homes, homes


@pytest.mark.parametrize("said", ["Landed on the 3rd, so tired.",
                                  "Landed a job at Kestrel Labs on the 3rd."])
def test_an_arrival_alone_says_nothing_of_a_home(extract: Extract, said: str) -> None:
    found = extract("I live in Oslo.", said)
    assert [(a.object.name if a.object else None, a.valid_from) for a in found
            if a.predicate == "lives_in"] == [("Oslo", None)]


def test_a_new_title_beside_a_job_started_on_a_day_starts_with_it(
        learned_extract: Extract) -> None:
    found = learned_extract("I work at Kestrel Labs, data analyst officially.",
                    "started at fjordline on the 3rd — 'business analyst' on paper, same "
                    "desk though.")
    titles = {(a.value, a.valid_from.astimezone(TZ).date() if a.valid_from else None)
              for a in found if a.predicate == "job_title" and a.kind is AssertionKind.ASSERT}
    assert ("business analyst", date(2024, 6, 3)) in titles, titles


def test_a_reporting_line_beside_a_start_on_a_day_starts_with_it(extract: Extract) -> None:
    found = extract("Her replacement as payroll accountant, Ilse Brandt, started on 3 June "
                    "and reports to Oskar Lindgren.")
    assert [(a.subject.name, a.valid_from.astimezone(TZ).date() if a.valid_from else None)
            for a in found if a.predicate == "reports_to"] == [("Ilse Brandt", date(2024, 6, 3))]


def test_a_title_beside_a_tenure_is_known_from_the_message(extract: Extract) -> None:
    found = extract("Main contact is Ilse Brandt, VP of Data. She's been at Kestrel Labs "
                    "since 2020.")
    (title,) = [a for a in found if a.predicate == "job_title"]
    assert title.valid_from is None, title


@pytest.mark.parametrize("said", ["payroll supervisor at Nordvik Steel, been there since 2017.",
                                  "tech lead at Nordvik Steel, 6 years there."])
def test_a_tenure_at_the_workplace_dates_the_job_not_the_title(extract: Extract,
                                                                said: str) -> None:
    found = {a.predicate: a for a in extract(said)}
    assert found["works_at"].valid_from is not None
    assert found["works_at"].valid_from.astimezone(TZ).year in (2017, 2018)
    assert found["job_title"].valid_from is None  # known from the message


@pytest.mark.parametrize("said", ["Oskar moved down to Bergen on 3 June.",
                                  "Oskar moved up to Bergen on 3 June."])
def test_a_move_up_or_down_to_a_town_is_a_move(extract: Extract, said: str) -> None:
    found = extract(said)
    assert [(a.subject.name, a.object.name if a.object else None,
             a.valid_from.astimezone(TZ).date() if a.valid_from else None)
            for a in found if a.predicate == "lives_in"] == [("Oskar", "Bergen", date(2024, 6, 3))]


def test_a_home_in_a_town_is_its_owners(extract: Extract) -> None:
    found = extract("Oskar Lindgren is my uncle. His flat in Bergen is tiny.")
    assert [(a.subject.name, a.object.name if a.object else None) for a in found
            if a.predicate == "lives_in"] == [("Oskar Lindgren", "Bergen")]


def test_coming_on_board_joins_the_organisation_in_context(extract: Extract) -> None:
    found = extract("I work at Kestrel Labs.",
                    "New hire: Oskar Lindgren is coming on board 5 July as head of sales.",
                    "Marketing came on board with the idea.")
    joined = {(a.subject.name, a.object.name if a.object else None,
               a.valid_from.astimezone(TZ).date() if a.valid_from else None)
              for a in found if a.predicate == "works_at" and a.subject.name != "Maren Holt"}
    assert joined == {("Oskar Lindgren", "Kestrel Labs", date(2024, 7, 5))}, joined


def test_a_flight_to_the_town_of_a_new_job_is_a_move(extract: Extract) -> None:
    found = extract("My cousin Oskar Lindgren lives in Oslo.",
                    "Big news, Oskar got hired by Bergen Kommune as a planner! He flies to "
                    "Bergen on 1 August and starts on the 6th.",
                    "I start at Kestrel Labs on Monday. We flew to Paris on Saturday.")
    homes = [(a.object.name if a.object else None,
              a.valid_from.astimezone(TZ).date() if a.valid_from else None)
             for a in found if a.subject.name == "Oskar Lindgren" and a.predicate == "lives_in"]
    assert homes == [("Oslo", None), ("Bergen", date(2024, 8, 1))], homes
    assert not any(a.predicate == "lives_in" and a.object and a.object.name == "Paris"
                   for a in found)
