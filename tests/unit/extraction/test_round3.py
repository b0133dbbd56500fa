"""Regression tests for the third round of rule fixes (own sentences and names only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import AT, TZ, Extract, triples

pytestmark = pytest.mark.unit

ME = "Maren Holt"


def _subjects(out: list, predicate: str) -> set[str]:  # type: ignore[type-arg]
    return {a.subject.name for a in out if a.predicate == predicate}


# ------------------------------------------------------------------ "X and I" subjects

def test_org_tail_before_and_i_is_not_a_subject(extract: Extract) -> None:
    out = extract("Hello! I'm a chemist at Pellford Laboratories and I live in Bruges.")
    assert _subjects(out, "lives_in") == {ME}
    assert ("assert", ME, "works_at", "pellford laboratories") in triples(out)


def test_person_and_i_still_share_the_fact(extract: Extract) -> None:
    out = extract("Ottokar and I moved to Bruges in 2021.")
    assert _subjects(out, "lives_in") == {ME, "Ottokar"}


# ------------------------------------------------------------------ coordinated tools

@pytest.mark.parametrize("text", [
    "My lead is Ilse Varga. I use Grafanix and Quillbase every day.",
    "I use Grafanix and Quillbase daily.",
])
def test_coordinated_tools_are_all_uses(extract: Extract, text: str) -> None:
    out = extract(text)
    found = triples(out)
    assert ("assert", ME, "uses", "grafanix") in found
    assert ("assert", ME, "uses", "quillbase") in found
    assert not [a for a in out if a.predicate == "lives_in"]


def test_a_known_place_is_not_a_tool(extract: Extract) -> None:
    out = extract("I live in Bruges.", "I moved to Bruges last year and I love it there.")
    assert not [a for a in out if a.predicate == "uses"]


# ------------------------------------------------------------------ accepted offers

def test_offer_then_start_there_is_a_future_job(extract: Extract) -> None:
    out = extract("Good news: I accepted an offer from Tarnwell Optics. I start there on "
                  "1 July as a lens designer.")
    jobs = [a for a in out if a.predicate == "works_at"]
    assert [a.object.name for a in jobs if a.object] == ["Tarnwell Optics"]
    assert jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2024, 7, 1)


def test_third_person_possessive_offer_with_a_later_start(extract: Extract) -> None:
    out = extract("Update: Viggo accepted Dunmore Textiles's offer! He starts July 8 as a "
                  "buyer.")
    jobs = [a for a in out if a.predicate == "works_at" and a.subject.name == "Viggo"]
    assert jobs and jobs[0].object is not None and jobs[0].object.name == "Dunmore Textiles"
    assert jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2024, 7, 8)


def test_offer_without_a_start_asserts_nothing_yet(extract: Extract) -> None:
    out = extract("I accepted an offer from Tarnwell Optics, so excited.")
    assert not [a for a in out if a.predicate == "works_at"]


def test_offer_with_a_dated_first_day_later_in_the_message(extract: Extract) -> None:
    out = extract("I took the offer from Tarnwell Optics. First day is August 5.")
    jobs = [a for a in out if a.predicate == "works_at"]
    assert jobs and jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2024, 8, 5)


def test_declined_offer_is_nothing(extract: Extract) -> None:
    out = extract("I didn't accept the offer from Tarnwell Optics. I start at Quorix on "
                  "July 1.")
    assert {a.object.name for a in out if a.predicate == "works_at" and a.object} == \
        {"Quorix"}


# ------------------------------------------------------------------ restated date corrections

def test_restated_fact_with_not_date_is_a_correction(extract: Extract) -> None:
    out = extract("I start at Quorix on 3 June as a tester.",
                  "Actually, I joined Quorix on 10 June, not 3 June.",
                  at=datetime(2024, 5, 20, 10, tzinfo=TZ), spacing=timedelta(days=30))
    fixes = [a for a in out if a.kind is AssertionKind.CORRECT]
    jobs = [a for a in fixes if a.predicate == "works_at"]
    assert jobs and jobs[0].object is not None and jobs[0].object.name == "Quorix"
    assert jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2024, 6, 10)
    titles = [a for a in fixes if a.predicate == "job_title"]
    assert titles and titles[0].valid_from is not None
    assert titles[0].valid_from.astimezone(TZ).date() == date(2024, 6, 10)


def test_new_fact_with_not_date_but_nothing_earlier_stays_an_assertion(
        extract: Extract) -> None:
    out = extract("Actually, I joined Quorix on 10 June, not 3 June.",
                  at=AT + timedelta(days=30))
    jobs = [a for a in out if a.predicate == "works_at"]
    assert jobs and jobs[0].kind is AssertionKind.ASSERT


# ------------------------------------------------------------------ "… Group" companies

def test_company_named_group_is_an_employer(extract: Extract) -> None:
    out = extract("I'm a claims analyst at Harwick Insurance Group.")
    assert ("assert", ME, "works_at", "harwick insurance group") in triples(out)
    assert not [a for a in out if a.predicate == "member_of"]


def test_joining_a_named_group_is_still_membership(extract: Extract) -> None:
    out = extract("I joined the Harbourside Chess Group in May.")
    assert not [a for a in out if a.predicate == "works_at"]
    assert [a for a in out if a.predicate == "member_of"]


# ------------------------------------------------------------------ leaving a place

def test_leaving_a_named_city_is_a_move_not_a_job(extract: Extract) -> None:
    out = extract("I'm leaving Sao Paulo on Feb 1 for Lisbon, visa approved!")
    assert not [a for a in out if a.predicate == "works_at"]


def test_a_town_left_is_a_move_whatever_the_model_calls_it(extract: Extract) -> None:
    # the small model tags "Lyon" here a person; the gazetteer knows the town
    out = extract("I left Lyon in May.")
    assert [(a.predicate, a.object.name if a.object else None) for a in out] == [
        ("lives_in", "Lyon")]
    assert out[0].valid_to is not None and out[0].valid_to.astimezone(TZ).month == 5


def test_leaving_for_a_place_ends_nothing_there(extract: Extract) -> None:
    out = extract("my brother Tiago leaves for Rosario on 3 July.")
    assert not [a for a in out if a.valid_to is not None]
    assert not [a for a in out if a.predicate == "works_at"]


def test_left_an_employer_is_still_a_job(extract: Extract) -> None:
    out = extract("I left Orbitron Systems last month.")
    assert {a.predicate for a in out} == {"works_at"}


# ------------------------------------------------------------------ intros and "coming from"

def test_self_intro_from_an_org_the_ner_calls_a_landform(extract: Extract) -> None:
    out = extract("hola! Maren from Alpine Outdoor. we use Asana for projects.")
    assert ("assert", ME, "works_at", "alpine outdoor") in triples(out)


def test_self_intro_from_a_city_is_not_an_employer(extract: Extract) -> None:
    out = extract("Hi, Maren from London here. I use Notion.")
    assert not [a for a in out if a.predicate == "works_at"]


def test_coming_from_an_org_is_a_past_job(extract: Extract) -> None:
    out = extract("Our new hire Viggo is coming from Siemens, he was a tester there.")
    assert not [a for a in out if a.predicate == "lives_in"]


def test_coming_from_a_city_is_still_a_move(extract: Extract) -> None:
    out = extract("I moved here from Ghent in 2020.")
    assert not [a for a in out if a.predicate == "works_at"]


def test_person_mention_stops_before_at(extract: Extract) -> None:
    out = extract("hello! Maren at Quorix. I'm the head of support now.")
    assert {a.subject.name for a in out} == {ME}


def test_a_tool_said_with_we_before_the_employer_is_named_is_the_employers(
        extract: Extract) -> None:
    out = triples(extract("we use Asana for projects. I work at Kestrel Labs."))
    assert ("assert", "Kestrel Labs", "uses", "asana") in out, out
    assert ("assert", ME, "uses", "asana") not in out


def test_the_team_or_the_company_as_subject_speaks_for_the_speakers_side(
        extract: Extract) -> None:
    out = triples(extract("I work at Kestrel Labs. team uses Asana for tickets. the whole "
                          "company is on Slack. their team uses Jira."))
    assert ("assert", "Kestrel Labs", "uses", "asana") in out, out
    assert ("assert", "Kestrel Labs", "uses", "slack") in out, out
    assert not any(t[3] == "jira" for t in out), out  # another side's team


def test_people_titled_in_a_message_about_our_organisation_work_there(
        extract: Extract) -> None:
    out = triples(extract("I'm an HR manager at Kestrel Labs. cleaning up our org chart: - "
                          "Rigoberto Paz, plant manager since 2019"))
    assert ("assert", "Rigoberto Paz", "works_at", "kestrel labs") in out, out


def test_a_contact_in_a_call_note_is_no_colleague(extract: Extract) -> None:
    out = triples(extract("I work at Kestrel Labs.",
                          "Call notes — Tarnwick Insurance: spoke to Oskar Lindgren, finance "
                          "director."))
    assert ("assert", "Oskar Lindgren", "works_at", "kestrel labs") not in out, out


def test_a_company_moved_to_is_a_new_employer(extract: Extract) -> None:
    out = extract("Oona moved to Pohjola Dairy in May.")
    assert [(a.subject.name, a.predicate, a.object.name if a.object else None) for a in out] \
        == [("Oona", "works_at", "Pohjola Dairy")]


def test_a_town_before_a_site_noun_employs_no_one(extract: Extract) -> None:
    found = triples(extract("I work at Kestrel Foods.",
                            "Please add my colleague Ilse Berg. She is our shift lead at the "
                            "Tartu warehouse."))
    assert ("assert", "Ilse Berg", "works_at", "kestrel foods") in found
    assert not any(t[3] == "tartu" for t in found)
