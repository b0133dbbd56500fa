"""Conversation-level resolution added for issue 5: "they" = an organisation named earlier,
title appositives ("our CFO, X"), "X reports to me", pronouns not resolved to people named
after them, aliases by suffix, conditions after a comma, times owned by the verb that governs
them. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract, triples

pytestmark = pytest.mark.unit

ME = "Maren Holt"


def test_they_is_the_organisation_named_before_it(extract: Extract) -> None:
    found = triples(extract("Notes from today's Brackenfield Foods call: spoke to Ilka Varga, "
                            "their finance lead. they keep invoices in Quickbooks and run "
                            "Odoo for inventory."))
    assert ("assert", "Brackenfield Foods", "uses", "odoo") in found
    assert not any(t[1] == "Ilka Varga" and t[2] == "uses" for t in found)


def test_they_for_a_person_predicate_stays_a_person(extract: Extract) -> None:
    found = triples(extract("My cousin Lior works at Brackenfield Foods. he lives in Derby."))
    assert ("assert", "Lior", "lives_in", "derby") in found
    assert not any(t[1] == "Brackenfield Foods" and t[2] == "lives_in" for t in found)


def test_they_after_one_person_did_something_to_another_is_both(extract: Extract) -> None:
    # the subject and the object of one verb; names joined by "and" were read before
    found = triples(extract("- my nephew Teodor married Ilse Varga in May!!! they moved to "
                            "Tromsø in June"))
    assert {("assert", "Teodor", "lives_in", "tromsø"),
            ("assert", "Ilse Varga", "lives_in", "tromsø")} <= found


def test_suffix_alias_of_a_product(extract: Extract) -> None:
    found = extract("we use Microsoft Planner for tasks.", "we dropped Planner last month.")
    retracts = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "uses"]
    assert [a.object.name for a in retracts if a.object] == ["Microsoft Planner"]


def test_retiring_a_thing_is_not_leaving_a_job(extract: Extract) -> None:
    found = extract("I work at Kestrel Dairy.", "we retired the old Filemaker database in May.")
    assert not any(a.predicate == "works_at" and a.kind is AssertionKind.RETRACT
                   for a in found)
    found = extract("My colleague Ruth Adler works at Kestrel Dairy.",
                    "Ruth retired in March.")
    assert any(a.predicate == "works_at" and a.kind is AssertionKind.RETRACT and
               a.subject.name == "Ruth Adler" for a in found)


def test_time_belongs_to_the_verb_that_governs_it(extract: Extract) -> None:
    found = extract("I work at Kestrel Dairy.",
                    "we signed with Parcelwise in March and dropped Tortuga.")
    signed = [a for a in found if a.predicate == "uses" and a.object is not None and
              a.object.name == "Parcelwise"]
    assert signed and signed[0].valid_from is not None
    assert signed[0].valid_from.astimezone(TZ).date() == date(2024, 3, 1)


def test_report_to_a_title_appositive(extract: Extract) -> None:
    found = triples(extract("I work at Kestrel Dairy.", "I report to our CFO, Ilse Brandt."))
    assert ("assert", ME, "reports_to", "ilse brandt") in found
    assert ("assert", "Ilse Brandt", "works_at", "kestrel dairy") in found
    assert ("assert", "Ilse Brandt", "job_title", "cfo") in found


def test_title_then_a_new_clause_is_not_an_appositive(extract: Extract) -> None:
    found = triples(extract("I'm the office manager, Ruth Adler is the owner."))
    assert ("assert", ME, "job_title", "office manager") in found
    assert not any(t[1] == "Ruth Adler" and t[2] == "job_title" and t[3] == "office manager"
                   for t in found)


def test_someone_reports_to_me(extract: Extract) -> None:
    found = triples(extract("my deputy Joss Perrin runs the day-to-day, she reports to me. "
                            "I report to our CTO, Anouk Smit"))
    assert ("assert", "Joss Perrin", "reports_to", ME.lower()) in found
    assert ("assert", ME, "reports_to", "anouk smit") in found
    assert not any(t[1] == "Anouk Smit" and t[2] == "reports_to" for t in found)


def test_condition_after_a_comma_leaves_the_main_clause_factual(extract: Extract) -> None:
    found = triples(extract("and I live in Bergen, if that matters for the form"))
    assert ("assert", ME, "lives_in", "bergen") in found
    assert triples(extract("if we moved to Oslo, I'd be happier")) == set()


def test_name_with_a_number(extract: Extract) -> None:
    found = triples(extract("my son Pavlo goes to Gimnazjum nr 7 now."))
    assert ("assert", "Pavlo", "studies_at", "gimnazjum nr 7") in found


def test_one_pipeline_remembers_earlier_sessions(nlp) -> None:  # type: ignore[no-untyped-def]
    """Sessions of one tenant are one memory: a short name means the organisation named in an
    earlier session, and "no longer" ends a fact stated there (not a fact already over)."""
    from asof.extraction import Conversation, Message, Pipeline
    from asof.graph.models import AssertionKind, Role

    at = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    pipeline = Pipeline("unit", nlp=nlp)
    pipeline.extract(Conversation("s1", [Message(
        "Maya Okafor", Role.USER, at, "I use Tableau every day. I work at Brightline Health.")]))
    found = [a for _, fs in pipeline.extract(Conversation("s2", [Message(
        "Maya Okafor", Role.USER, at + timedelta(days=60),
        "I no longer use Tableau. At Brightline I use Looker.")])) for a in fs]
    tableau = [a for a in found if a.object is not None and a.object.name == "Tableau"]
    assert [a.kind for a in tableau] == [AssertionKind.RETRACT]
    assert all(a.object is None or a.object.name != "Brightline" for a in found)


def test_a_negation_does_not_reach_past_but(extract: Extract) -> None:
    found = extract("Our stout won nothing, but my dog Biscuit won over the whole crowd.")
    assert any(a.predicate == "has_pet" and a.object and a.object.name == "Biscuit"
               for a in found)


def test_a_given_name_of_the_other_side_is_skipped_by_he_and_she(extract: Extract) -> None:
    # "he" is not the manager named last, whose given name is a woman's
    found = triples(extract("We hired Oskar Lindgren as a welder, reporting to Ilse Berg.",
                            "He is renting a flat in Narvik now."))
    assert ("assert", "Oskar Lindgren", "lives_in", "narvik") in found
    assert not any(t[1] == "Ilse Berg" and t[2] == "lives_in" for t in found)


def test_a_pronoun_said_of_someone_outweighs_their_given_name(extract: Extract) -> None:
    # only one person fits: the pronoun means them whatever the list says of the name, and
    # from then on it is theirs
    found = triples(extract("Met Thomas Berg at the fair.", "She lives in Tromsø.",
                            "Her sister runs a bakery. She moved to Bodø in May."))
    assert ("assert", "Thomas Berg", "lives_in", "tromsø") in found
    assert ("assert", "Thomas Berg", "lives_in", "bodø") in found


def test_the_given_name_list_knows_one_side_or_nothing() -> None:
    from asof.extraction.lexicons import likely_gender
    assert likely_gender("Ilse Brandt") == "she"
    assert likely_gender("Oskar Lindgren") == "he"
    assert likely_gender("Park Seo-yeon") is None  # one locale's "Park" is not enough
    assert likely_gender("") is None


def test_a_he_looks_past_a_woman_named_in_its_message_to_a_man_named_before(
        extract: Extract) -> None:
    found = triples(extract("Candidate: Oskar Lindgren, welder, lives in Bergen.",
                            "Closing the file: reporting to their plant director Ilse Brandt. "
                            "He's moving to Narvik in September."))
    assert ("assert", "Oskar Lindgren", "lives_in", "narvik") in found
    assert not any(t[1] == "Ilse Brandt" and t[2] == "lives_in" for t in found)


def test_a_name_said_by_its_last_word_is_the_one_person_whose_name_ends_so(
        extract: Extract) -> None:
    # the given name last ("Park Seo-yeon"), or a person called by the family name
    found = triples(extract("Added Haejin Shipping from the meetup: Park Seo-yeon, data team "
                            "lead at Haejin Shipping.",
                            "Seo-yeon moved to Busan in June."))
    assert ("assert", "Park Seo-yeon", "lives_in", "busan") in found, found
    assert not any(t[1] == "Seo-yeon" for t in found)


def test_a_last_word_two_people_share_names_neither(extract: Extract) -> None:
    found = triples(extract("My aunt Ineke Berg and my cousin Sanne Berg came over.",
                            "Berg moved to Narvik in June."))
    assert not any(t[1] in ("Ineke Berg", "Sanne Berg") and t[2] == "lives_in" for t in found)
