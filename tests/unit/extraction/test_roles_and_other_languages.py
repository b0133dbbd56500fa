"""Roles said around a name rather than with a verb ("Ilse (my wife)", "Oskar Lindgren is my
husband", "our motion designer Tove Berg", "Amara = CEO") and relation phrasings of the
languages English chat switches into ("trabajo en", "ich arbeite bei"). Sentences and names
are the tests' own."""

from __future__ import annotations

from datetime import date

import pytest

from asof.extraction.assembly.words import object_end
from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import AT, TZ, Extract

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


def test_a_role_held_since_a_time_starts_then(extract: Extract) -> None:
    """"has been my manager since March": the manager, from March."""
    found = [a for a in extract("Ilse Brandt has been my manager since March.")
             if a.predicate == "reports_to"]
    assert [(a.object.name if a.object else None) for a in found] == ["Ilse Brandt"]
    assert found[0].valid_from is not None and \
        found[0].valid_from.astimezone(TZ).date() == date(2024, 3, 1)


def test_our_titled_colleague_works_at_our_organisation(extract: Extract) -> None:
    found = _facts(extract("Hi, Maren from Kelpie Freight here.",
                           "Our finance lead Abena Owusu will be the admin going forward."))
    assert ("Abena Owusu", "works_at", "Kelpie Freight") in found
    assert ("Abena Owusu", "job_title", "finance lead") in found


def test_a_role_in_a_question_is_no_fact(extract: Extract) -> None:
    assert not any(p == "married_to" for _, p, _ in _facts(extract(
        "Is Oskar Lindgren my husband's cousin or not?")))


def test_an_emoji_is_no_part_of_a_title(extract: Extract) -> None:
    assert ("Maren Holt", "job_title", "head of it") in _facts(extract(
        "I'm Head of IT 🙂 at Kestrel Labs now."))


def test_a_title_of_an_organisation_names_the_employer(extract: Extract) -> None:
    found = extract("Tomás Vera is the IT coordinator of Grupo Nopal.",
                    "She is Head of Customer Success.")
    facts = {(a.subject.name, a.predicate, a.object.name if a.object else a.value)
             for a in found}
    assert ("Tomás Vera", "job_title", "it coordinator") in facts
    assert ("Tomás Vera", "works_at", "Grupo Nopal") in facts
    assert not any("nopal" in str(o).lower() for _, p, o in facts if p == "job_title")


@pytest.mark.parametrize("said", ["me voy, último día el viernes 14",
                                  "je pars, dernier jour vendredi 14",
                                  "ich gehe, letzter Arbeitstag am 14.6."])
def test_a_last_day_in_another_language_ends_the_job(extract: Extract, said: str) -> None:
    found = extract("I work at Kestrel Labs.", said)
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [a.object.name if a.object else None for a in ended] == ["Kestrel Labs"], said
    assert ended[0].valid_from is not None
    assert ended[0].valid_from.astimezone(TZ).date() == date(2024, 6, 14), said


@pytest.mark.parametrize("said", ["Oskar dejó Kestrel Labs el viernes.",
                                  "Oskar saiu da Kestrel Labs em maio.",
                                  "Oskar a quitté Kestrel Labs en mai."])
def test_someone_elses_leaving_in_another_language_ends_their_job(extract: Extract,
                                                                  said: str) -> None:
    found = extract("Oskar Lindgren trabaja en Kestrel Labs desde 2020.", said)
    ended = [(a.subject.name, a.object.name if a.object else None) for a in found
             if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert ended == [("Oskar Lindgren", "Kestrel Labs")], said


def test_an_object_ends_at_an_emoji(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc("retiring to the coast 🏖️ Hamish Boyd is taking over")
    read = (3, 8, "coast 🏖️ Hamish Boyd", True)  # an object read across the emoji
    assert object_end(doc, read, []) == (3, 4, "coast", True)
    assert object_end(doc, (6, 8, "Hamish Boyd", True), []) == (6, 8, "Hamish Boyd", True)


@pytest.mark.parametrize(("text", "title"), [("Priya is head of IT at Korva.", "head of it"),
                                             ("I'm head of HR at Lumo.", "head of hr")])
def test_a_title_of_a_department_the_parser_takes_for_a_pronoun(extract: Extract, text: str,
                                                                title: str) -> None:
    titles = {a.value or (a.object.name if a.object else "") for a in extract(text)
              if a.predicate == "job_title"}
    assert titles == {title}


@pytest.mark.parametrize(("text", "languages"), [
    ("Idiomas: español, inglés (C1)", {"Spanish", "English"}),
    ("Sprachen: Deutsch, Englisch, Polnisch", {"German", "English", "Polish"}),
    ("Languages: Welsh, English", {"Welsh", "English"}),
])
def test_a_heading_of_languages_in_any_language(extract: Extract, text: str,
                                                languages: set[str]) -> None:
    # the heading is nobody's name, and each language gets its English name
    found = [a for a in extract(text) if a.predicate == "speaks"]
    assert {a.object.name for a in found} == languages
    assert {a.subject.name for a in found} == {"Maren Holt"}


@pytest.mark.parametrize(("text", "plan"), [
    ("Please upgrade us to Business from 1 April.", "business plan"),
    ("switch us to Enterprise on 1 July, please", "enterprise plan"),
])
def test_a_lone_tier_name_after_upgrade_us_to_is_a_plan(extract: Extract, text: str,
                                                          plan: str) -> None:
    found = extract("I work at Kestrel Labs. We're on the Standard plan.", text)
    facts = _facts(found)
    assert ("Kestrel Labs", "uses", plan) in facts, facts
    ended = {a.value for a in found if a.kind is AssertionKind.RETRACT}
    assert ended == {"standard plan"}, found


def test_a_tool_after_switched_to_stays_a_tool(extract: Extract) -> None:
    facts = _facts(extract("I work at Kestrel Labs. We're on the Standard plan.",
                           "We switched to Linear last month."))
    assert ("Kestrel Labs", "uses", "Linear") in facts, facts
    assert not any(o.endswith(" plan") and o != "standard plan" for _, _, o in facts), facts


def test_a_title_with_an_acronym_before_a_name(extract: Extract) -> None:
    assert ("Jason Lim", "job_title", "bim manager") in _facts(extract(
        "Also our BIM manager Jason Lim says big model uploads keep failing."))


@pytest.mark.parametrize(("text", "fact"), [
    ("aroha (y wraig) got the job at the clinic!!", ("Maren Holt", "married_to", "Aroha")),
    ("kaixo! iker (senarra) eta biok", ("Maren Holt", "married_to", "Iker")),
    ("back from levuka w/ tevita (husband) 😴", ("Maren Holt", "married_to", "Tevita")),
    ("ramón (mi jefe) says no", ("Maren Holt", "reports_to", "Ramón")),
    ("biscotto (our beagle) is sick again", ("Maren Holt", "has_pet", "Biscotto")),
])
def test_a_lower_case_name_before_a_role_in_brackets(extract: Extract,
                                                     text: str, fact: tuple[str, str, str]) -> None:
    assert fact in _facts(extract(text))


@pytest.mark.parametrize("text", ["lunch (my husband cooked) was great",
                                  "the meeting (boss) ran late", "ramón (jefe) says no"])
def test_no_name_before_a_role_in_brackets(extract: Extract, text: str) -> None:
    assert not any(p in ("married_to", "reports_to") for _, p, _ in _facts(extract(text)))


def test_a_first_person_verb_or_a_contact_label_of_another_language_is_no_name(
        learned_extract: Extract) -> None:
    found = learned_extract("Volví de Ourense ayer, buena semana. Cliente nuevo: Textiles Miño. "
                            "Contacto Pablo Ruiz, jefe de compras.")
    holders = {a.subject.name for a in found if a.predicate == "job_title"}
    assert holders == {"Pablo Ruiz"}, holders


def _parsed(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.asof_ref_time = AT
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def test_a_title_ends_at_its_head_not_at_a_word_read_past_it(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _parsed(nlp, "Promoted! research lead done, finally.")
    assert object_end(doc, (2, 5, "research lead done", False), []) == (
        2, 4, "research lead", False)
    doc = _parsed(nlp, "I'm a developer advocate now.")
    # a noun after the head stays ("developer advocate"); a name is never cut this way
    assert object_end(doc, (4, 6, "developer advocate", False), []) == (
        4, 6, "developer advocate", False)
    assert object_end(doc, (4, 7, "developer advocate now", True), [])[1] == 7
