"""A degree "from" a school is a place of study that is over ("B.Tech from NIT Trichy,
2010-14"), as one "at" a school is a place of study. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "school"), [
    ("Education — B.Tech from VIT Vellore, 2009-13.", "VIT Vellore"),
    ("BCom from the University of Nairobi, class of 2015.", "University of Nairobi"),
])
def test_a_degree_from_a_school_was_studied_there(extract: Extract, text: str,
                                                  school: str) -> None:
    found = [a for a in extract(text) if a.predicate == "studies_at"]
    assert [(a.object.name if a.object else None) for a in found] == [school]
    assert found[0].kind is AssertionKind.ASSERT and found[0].valid_to is not None


def test_a_degree_from_no_named_school_is_no_study(extract: Extract) -> None:
    assert not [a for a in extract("Got a degree from my uncle's workshop lol")
                if a.predicate == "studies_at"]


@pytest.mark.parametrize(("text", "school"), [
    ("side quest: part-time master's at Halden Tech 2021-2023, while working", "Halden Tech"),
    ("2nd yr @ vestby valley college, nursing program. graduating 5/17",
     "vestby valley college"),
    ("final yr cse @ ntnu trondheim", "ntnu trondheim"),
    ("My brother Jon is a junior at Loyola College.", "Loyola College"),
])
def test_what_is_studied_said_before_at_makes_a_place_of_study(learned_extract: Extract,
                                                              text: str, school: str) -> None:
    # the tagger reads these employers; the words before "at" make them schools
    found = learned_extract(text)
    assert [a.object.name for a in found if a.predicate == "studies_at" and a.object] == \
        [school]
    assert not [a for a in found if a.predicate == "works_at"]


def test_a_junior_title_at_a_company_is_still_a_job(learned_extract: Extract) -> None:
    found = learned_extract("I'm a junior developer at Kestrel.")
    assert [a.predicate for a in found if a.object] == ["works_at"]


def test_a_cv_line_that_names_the_school_before_the_degree(extract: Extract) -> None:
    found = extract("Fjordline — UX designer, 2016–2019\n"
                    "Norrland Tech, MSc Interaction Design, 2014–2016")
    studied = [a for a in found if a.predicate == "studies_at"]
    assert [a.object.name for a in studied if a.object] == ["Norrland Tech"]
    assert studied[0].valid_from is not None and studied[0].valid_from.astimezone(TZ).year == 2014


def test_a_degree_said_in_passing_names_no_school(extract: Extract) -> None:
    found = extract("I finished my masters, finally, Ana says hi, MSc, Lisbon")
    assert not any(a.predicate == "studies_at" for a in found)
