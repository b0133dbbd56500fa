"""Who a fact is about when the clause does not say it plainly: a pronoun means the closest
fitting person named before it in the message; a title right before a name is that person's;
a roster line "Name — …" is about that name; a span that cannot be a name is no subject; a
name never runs across a dash or a bracket. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


def _facts(found) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(a.subject.name, a.predicate, (a.object.name if a.object else a.value) or "")
            for a in found}


def test_a_pronoun_means_the_person_named_before_it_in_the_message(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("My sister Ilse Brandt came over from Vienna last year and "
                                   "she works at Kestrel Labs now."))
    assert ("Ilse Brandt", "works_at", "Kestrel Labs") in facts
    assert ("Maren Holt", "works_at", "Kestrel Labs") not in facts


def test_a_title_before_a_name_is_that_persons(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I run support at Fjordline Freight. Our new operations "
                                   "director, Tomasz Wilk, starts next week."))
    assert ("Tomasz Wilk", "job_title", "operations director") in facts
    assert ("Maren Holt", "job_title", "operations director") not in facts


def test_a_roster_line_is_about_the_name_it_opens_with(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Team update:\nOskar Lindgren — lives in Tromsø, joined in "
                                   "May\nIlse Brandt — on leave"))
    assert ("Oskar Lindgren", "lives_in", "Tromsø") in facts
    assert ("Maren Holt", "lives_in", "Tromsø") not in facts


def test_a_job_title_is_no_subject(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I work at Kestrel Labs.",
                                   "Senior Data Engineer, starts Monday, reports to Ilse "
                                   "Brandt."))
    assert not any(s == "Senior Data Engineer" for s, _, _ in facts)
