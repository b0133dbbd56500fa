"""Regression tests for the fourth round of rule fixes: verbless fragment answers, third-person
hires into the speaker's organisation, whole titles (ordinals, "chief … officer"), lower-case
first names of known people. Own sentences and names only."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract, triples

pytestmark = pytest.mark.unit

ME = "Maren Holt"


# ------------------------------------------------------------------ fragment answers

@pytest.mark.parametrize("text", [
    "currently product designer at Vellum, since March 2021",
    "Product designer at Vellum, since 2021",
    "notes for today: product designer at Vellum, on the Pricing team",
])
def test_fragment_title_at_org_is_the_speakers(extract: Extract, text: str) -> None:
    found = triples(extract(text))
    assert ("assert", ME, "job_title", "product designer") in found
    assert ("assert", ME, "works_at", "vellum") in found


def test_fragment_after_a_colon_takes_its_date(extract: Extract) -> None:
    out = extract("new job new title: principal designer as of May 1")
    titles = [a for a in out if a.predicate == "job_title"]
    assert [a.value for a in titles] == ["principal designer"]
    assert titles[0].valid_from is not None and titles[0].valid_from.month in (4, 5)


@pytest.mark.parametrize("text", [
    "is she a product designer at Vellum?",
    "if I were product designer at Vellum I'd quit",
    "my cousin wants to be a product designer at Vellum",
])
def test_no_fragment_fact_from_questions_hypotheticals_or_wishes(extract: Extract,
                                                                 text: str) -> None:
    assert not [a for a in extract(text) if a.subject.name == ME and
                a.predicate in ("job_title", "works_at")]


# ------------------------------------------------------------------ hires

def test_person_joining_us_works_at_the_speakers_org(extract: Extract) -> None:
    out = extract("I'm a nurse at Orrin Clinic",
                  "Teodor Lind joins us as a second engineer on July 8.")
    found = triples(out)
    assert ("assert", "Teodor Lind", "works_at", "orrin clinic") in found
    assert ("assert", "Teodor Lind", "job_title", "second engineer") in found
    start = next(a.valid_from for a in out if a.subject.name == "Teodor Lind"
                 and a.predicate == "works_at")
    assert start is not None and (start.month, start.day) in ((7, 8), (7, 7))


def test_we_hired_a_named_person(extract: Extract) -> None:
    found = triples(extract("I work at Orrin Clinic", "we hired Pia Sund last week"))
    assert ("assert", "Pia Sund", "works_at", "orrin clinic") in found


@pytest.mark.parametrize("second", [
    "should we hire Pia Sund?", "we might hire Pia Sund", "we didn't hire Pia Sund",
    "I wish we hired Pia Sund",
])
def test_no_hire_from_questions_hypotheticals_negations_wishes(extract: Extract,
                                                               second: str) -> None:
    out = extract("I work at Orrin Clinic", second)
    assert not [a for a in out if a.subject.name == "Pia Sund"]


def test_joins_us_without_a_known_org_asserts_nothing(extract: Extract) -> None:
    out = extract("Teodor Lind joins us on July 8.")
    assert not [a for a in out if a.predicate == "works_at"]


# ------------------------------------------------------------------ whole titles

def test_chief_officer_is_one_title(extract: Extract) -> None:
    titles = {a.value for a in extract("I'm currently chief marketing officer at Tallis")
              if a.predicate == "job_title"}
    assert titles == {"chief marketing officer"}


def test_ordinal_is_part_of_a_title(extract: Extract) -> None:
    titles = {a.value for a in extract("I started at Skylark Air as a first officer in May")
              if a.predicate == "job_title"}
    assert titles == {"first officer"}


def test_a_count_is_not_part_of_an_owned_thing(extract: Extract) -> None:
    owned = {(a.object.name if a.object else a.value or "").lower()
             for a in extract("I bought two kayaks last summer") if a.predicate == "owns"}
    assert "two kayaks" not in owned


# ------------------------------------------------------------------ lower-case names

def test_lowercase_first_name_keeps_pronouns_right(extract: Extract) -> None:
    out = extract("Ines Duarte is on my team.", "Kit Moreau is my mentor.",
                  "ines is back from leave, she moved to Bergen last month")
    movers = {a.subject.name for a in out if a.predicate == "lives_in"}
    assert movers == {"Ines Duarte"}


# ------------------------------------------------------------------ "my first job was at X"

def test_my_job_was_at_org_is_the_speakers(extract: Extract) -> None:
    out = extract("my first job was at Orrin Bank, 2009 to 2012")
    jobs = [a for a in out if a.predicate == "works_at"]
    assert [(a.subject.name, a.object.name if a.object else "") for a in jobs] == [
        (ME, "Orrin Bank")]
    assert jobs[0].valid_from is not None and jobs[0].valid_to is not None


def test_question_about_my_job_is_no_fact(extract: Extract) -> None:
    assert not [a for a in extract("is my job at Orrin Bank safe?")
                if a.predicate == "works_at"]


# ------------------------------------------------------------------ leaving ends title and line

def test_leaving_an_unstated_employer_ends_title_and_reporting_line(extract: Extract) -> None:
    out = extract("Ines Duarte is our head of sales and she reports to Kit Moreau.",
                  "Ines left Halvard in April")
    ended = {a.predicate for a in out if a.kind.value == "retract" and
             a.subject.name == "Ines Duarte"}
    assert ended == {"job_title", "reports_to"}
    # the title is not read across "and" ("head of sales and she reports to")
    assert not [a for a in out if a.subject.name == "Kit Moreau" and
                a.predicate == "job_title"]


def test_a_possible_departure_ends_nothing(extract: Extract) -> None:
    out = extract("Ines Duarte is our head of sales and she reports to Kit Moreau.",
                  "Ines might leave Halvard in April")
    assert not [a for a in out if a.kind.value == "retract"]
