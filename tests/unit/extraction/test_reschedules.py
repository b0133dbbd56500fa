"""A start moved after it was announced ("Go-live moves to 22 July", "Tomasz's start moved to
24/6", "start got pushed, sept 1 now") corrects the announced facts' start; a moved wedding,
a start that was already under way, or a sentence with no date leaves them. Sentences and
names are the tests' own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from asof.graph.models import AssertionKind, FactAssertion
from tests.unit.extraction.conftest import TZ, Extract

pytestmark = pytest.mark.unit


def _starts(found: list[FactAssertion], kind: AssertionKind) -> dict[tuple[str, str], date]:
    return {(a.subject.name, a.predicate): a.valid_from.astimezone(TZ).date()
            for a in found if a.kind is kind and a.valid_from is not None}


def test_a_new_hires_moved_start_moves_the_facts_announced_with_it(extract: Extract) -> None:
    found = extract("New hire: Tomasz Wrona, QA engineer, starts 17/6, reports to Ilse Brandt.",
                    "Tomasz's start moved to 24/6 because of his notice period.")
    corrected = _starts(found, AssertionKind.CORRECT)
    assert corrected[("Tomasz Wrona", "reports_to")] == date(2024, 6, 24)
    assert set(corrected.values()) == {date(2024, 6, 24)}


def test_a_title_said_in_its_own_sentence_moves_with_the_job(extract: Extract) -> None:
    # the title and the job's start are said in two sentences of one message: one start
    found = extract("I'm joining Veloz Cargo on 1 July. New title: senior data analyst.",
                    "ugh, my start got pushed to 8 July, paperwork stuff")
    assert _starts(found, AssertionKind.CORRECT) == {
        ("Maren Holt", "works_at"): date(2024, 7, 8),
        ("Maren Holt", "job_title"): date(2024, 7, 8)}


def test_a_weekday_said_beside_the_new_date_does_not_replace_it(extract: Extract) -> None:
    found = extract("New hire: Tomasz Wrona, QA engineer, starts 17/6, reports to Ilse Brandt.",
                    "Update: Tomasz's start slipped a week, now 24 June (a Monday, Friday is "
                    "a holiday).")
    assert _starts(found, AssertionKind.CORRECT) == {
        ("Tomasz Wrona", "reports_to"): date(2024, 6, 24)}


@pytest.mark.parametrize("second", [
    "ugh they pushed it two weeks. 15 July now, paperwork",  # "it": what was announced
    # the date after the start cue, not the flight's after it
    "Change of plan: they pushed everything by two weeks. Start is now 15 July and I fly "
    "on 10 July.",
])
def test_the_new_date_may_come_in_the_next_sentence(extract: Extract, second: str) -> None:
    found = extract("I'm joining Veloz Cargo on 1 July as a data analyst.", second)
    assert _starts(found, AssertionKind.CORRECT) == {
        ("Maren Holt", "works_at"): date(2024, 7, 15),
        ("Maren Holt", "job_title"): date(2024, 7, 15)}


def test_the_date_a_start_moved_from_is_not_the_new_one(extract: Extract) -> None:
    found = extract("New hire: Tomasz Wrona, QA engineer, starts 17/6, reports to Ilse Brandt.",
                    "Tomasz's start moved from 17/6 to 24/6 because of his notice period.")
    assert _starts(found, AssertionKind.CORRECT) == {
        ("Tomasz Wrona", "reports_to"): date(2024, 6, 24)}


def test_a_manager_the_message_names_instead_is_not_moved(extract: Extract) -> None:
    found = extract("New hire: Tomasz Wrona, QA engineer, starts 17/6, reports to Ilse Brandt.",
                    "Update: Tomasz's start slipped a week, he starts on 24/6, reporting to "
                    "Piotr Nowak.")
    assert ("Tomasz Wrona", "reports_to") not in _starts(found, AssertionKind.CORRECT)
    assert _starts(found, AssertionKind.ASSERT)[("Tomasz Wrona", "reports_to")] == \
        date(2024, 6, 24)


def test_a_go_live_moved_moves_the_tool(extract: Extract) -> None:
    found = extract("We signed the Brevix Business plan, go-live 15 July.",
                    "Go-live moves to 22 July, our auditors asked for one more week.")
    corrected = _starts(found, AssertionKind.CORRECT)
    assert corrected[("Maren Holt", "uses")] == date(2024, 7, 22)


def test_my_start_pushed_moves_my_new_job(extract: Extract) -> None:
    found = extract("backend dev @ Kestrel Media since 2022. not for long tho — starting at "
                    "Oriel Bank in august",
                    "btw oriel start got pushed, sept 1 now")
    assert _starts(found, AssertionKind.CORRECT) == {
        ("Maren Holt", "works_at"): date(2024, 9, 1)}


def test_a_yearless_new_date_takes_the_year_of_the_start_it_replaces(
        extract: Extract) -> None:
    # said in the past tense in June, "moved to 2/1" is next January, beside the old start
    found = extract("Ilse Brandt joins us on 15 December as head of data.",
                    "Ilse's start moved to 2/1, her notice ran longer.")
    corrected = _starts(found, AssertionKind.CORRECT)
    assert corrected[("Ilse Brandt", "job_title")] == date(2025, 1, 2)


@pytest.mark.parametrize("second", [
    "The wedding is moved to 21 July, the hall was double-booked.",  # no start named
    "My start moved, no date yet.",  # no date
])
def test_a_move_without_a_start_and_a_date_changes_nothing(extract: Extract,
                                                           second: str) -> None:
    found = extract("starting at Oriel Bank on 1 August as a data engineer", second)
    assert _starts(found, AssertionKind.CORRECT) == {}


def test_a_start_already_under_way_is_not_moved(extract: Extract) -> None:
    # the job began before it was spoken of: a later "moved" is no reschedule of it
    found = extract("I've been at Oriel Bank since March 2023.",
                    "We moved the start of the audit to 3 July.")
    assert _starts(found, AssertionKind.CORRECT) == {}


def test_a_planned_move_told_later_with_its_day_starts_that_day(extract: Extract) -> None:
    found = extract("We get the keys to our flat in Harbourside next month and move in around "
                    "September.", "I moved to Harbourside on the 14th!! boxes everywhere",
                    spacing=timedelta(days=100))
    corrected = _starts(found, AssertionKind.CORRECT)
    assert corrected == {("Maren Holt", "lives_in"): date(2024, 9, 14)}


def test_a_year_told_later_with_its_month_starts_that_month(extract: Extract) -> None:
    found = extract("I live in Lyon since 2019.",
                    "I've lived in Lyon since March 2019, I checked the lease.")
    assert _starts(found, AssertionKind.CORRECT) == {("Maren Holt", "lives_in"): date(2019, 3, 1)}


def test_a_return_after_another_job_is_a_new_stint_not_a_corrected_start(
        extract: Extract) -> None:
    found = extract("I start at Tallow Systems on 1 August as a data engineer.",
                    "New job! I'm at Quarry Labs since September 1.",
                    "I'm back at Tallow Systems since 14 December.",
                    spacing=timedelta(days=100))
    assert _starts(found, AssertionKind.CORRECT) == {}
    assert ("Maren Holt", "works_at") in _starts(found, AssertionKind.ASSERT)
