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
