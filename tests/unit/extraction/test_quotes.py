"""Quoted first-person speech: the "I" of a quote is the person it is attributed to, named in
brackets, named before the colon, or tied to a relative's word by an earlier quote. Sentences
and names are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract, triples

pytestmark = pytest.mark.unit


def test_a_quote_is_the_words_of_the_person_it_is_attributed_to(extract: Extract) -> None:
    found = triples(extract(
        "Next part of the family history. Dad (Rui Alves, goes by Ray here): 'I was born in "
        "Braga in 1951. I came to Toronto in 1975 and my first job was at Lakeshore Foods.'",
        "next part, Dad: 'I retired from Lakeshore Foods in 2012.'",
        "Mum (Ines Alves): 'I worked at St. Mary's Hospital as a nurse from 1980 to 2010.'"))
    assert {("assert", "Rui Alves", "works_at", "lakeshore foods"),
            ("retract", "Rui Alves", "works_at", "lakeshore foods"),
            ("assert", "Ines Alves", "works_at", "st. mary's hospital"),
            ("assert", "Ines Alves", "job_title", "nurse")} <= found
    assert not any(t[1] == "Maren Holt" for t in found)


def test_a_quote_from_someone_named_before_the_colon(extract: Extract) -> None:
    found = triples(extract("Alumni notes.\n- Tomas Berg: 'I left Nordvik Bank in March and "
                            "I'm now CFO at Kestrel Foods.'"))
    assert ("assert", "Tomas Berg", "job_title", "cfo") in found
    assert not any(t[1] == "Maren Holt" for t in found)


def test_the_speakers_own_words_after_a_colon_stay_the_speakers(extract: Extract) -> None:
    found = triples(extract("Update: 'I moved to Bergen in May' is what I told HR."))
    assert ("assert", "Maren Holt", "lives_in", "bergen") in found



def test_a_quote_that_opens_with_my_is_first_person_too(extract: Extract) -> None:
    found = triples(extract("Next part. Dad (Rui Alves): 'My first job was at Lakeshore Foods in "
                            "1975.'"))
    assert ("assert", "Rui Alves", "works_at", "lakeshore foods") in found
    assert not any(t[1] == "Maren Holt" for t in found)
