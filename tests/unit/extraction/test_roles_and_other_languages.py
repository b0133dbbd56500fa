"""Roles said around a name rather than with a verb ("Ilse (my wife)", "Oskar Lindgren is my
husband", "our motion designer Tove Berg", "Amara = CEO") and relation phrasings of the
languages English chat switches into ("trabajo en", "ich arbeite bei"). Sentences and names
are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


def _facts(found) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(a.subject.name, a.predicate, (a.object.name if a.object else a.value) or "")
            for a in found}


@pytest.mark.parametrize(("text", "fact"), [
    ("Ilse Brandt (my wife) just got back from Oslo.", ("Maren Holt", "married_to",
                                                         "Ilse Brandt")),
    ("Oskar Lindgren is my husband, by the way.", ("Maren Holt", "married_to",
                                                    "Oskar Lindgren")),
    ("Our motion designer Tove Berg is out this week.",
     ("Tove Berg", "job_title", "motion designer")),
    ("Team: Amara = CEO, me = CTO.", ("Maren Holt", "job_title", "cto")),
])
def test_a_role_beside_a_name(extract: Extract, text: str,
                              fact: tuple[str, str, str]) -> None:
    assert fact in _facts(extract(text))


@pytest.mark.parametrize(("text", "fact"), [
    ("trabajo en Quillay Foods desde marzo", ("Maren Holt", "works_at", "Quillay Foods")),
    ("Ich arbeite bei Nordwerk seit 2021.", ("Maren Holt", "works_at", "Nordwerk")),
    ("je travaille chez Decathlon depuis mars", ("Maren Holt", "works_at", "Decathlon")),
])
def test_phrasings_of_other_languages(extract: Extract, text: str,
                                      fact: tuple[str, str, str]) -> None:
    assert fact in _facts(extract(text))


def test_a_role_in_a_question_is_no_fact(extract: Extract) -> None:
    assert not any(p == "married_to" for _, p, _ in _facts(extract(
        "Is Oskar Lindgren my husband's cousin or not?")))


def test_an_emoji_is_no_part_of_a_title(extract: Extract) -> None:
    assert ("Maren Holt", "job_title", "head of it") in _facts(extract(
        "I'm Head of IT 🙂 at Kestrel Labs now."))
