"""Each registry predicate in several phrasings, the negative cases and corrections.

Sentences are the tests' own (no names or sentences from any evaluation set)."""

from __future__ import annotations

from datetime import date

import pytest

from asof.graph.models import AssertionKind, Basis
from asof.graph.predicates import default_registry
from tests.unit.extraction.conftest import TZ, Extract, triples

pytestmark = pytest.mark.unit

ME = "Maren Holt"

PHRASINGS: list[tuple[str, tuple[str, str, str, str]]] = [
    # works_at
    ("I work at Orbitron Systems as a backend developer.",
     ("assert", ME, "works_at", "orbitron systems")),
    ("I started at Lumacraft last month as a product designer.",
     ("assert", ME, "works_at", "lumacraft")),
    ("I joined Pelican Freight in March.", ("assert", ME, "works_at", "pelican freight")),
    ("Pelican Freight hired me as a logistics analyst.",
     ("assert", ME, "works_at", "pelican freight")),
    ("I'm a data scientist at Quorix.", ("assert", ME, "works_at", "quorix")),
    ("I start at Ferrovia Labs on July 1.", ("assert", ME, "works_at", "ferrovia labs")),
    ("I am IT administrator in Ferrovia Labs since 2019.",
     ("assert", ME, "works_at", "ferrovia labs")),
    ("my very first job was Kilo Freight in Accra, 2012 to 2015.",
     ("assert", ME, "works_at", "kilo freight")),
    # job_title
    ("I got promoted to senior accountant last week 💃 finally",
     ("assert", ME, "job_title", "senior accountant")),
    ("Guess who got promoted to head of logistics! Kestrel Labs finally noticed me.",
     ("assert", ME, "job_title", "head of logistics")),
    ("I work at Orbitron Systems as a backend developer.",
     ("assert", ME, "job_title", "backend developer")),
    ("I'm a data scientist at Quorix.", ("assert", ME, "job_title", "data scientist")),
    ("Update: I was promoted to fleet manager effective 1 July.",
     ("assert", ME, "job_title", "fleet manager")),
    ("I got promoted to staff engineer on May 1.",
     ("assert", ME, "job_title", "staff engineer")),
    ("I'm a deckhand at Fjordline Ferries since March.", ("assert", ME, "job_title", "deckhand")),
    ("I work as a joiner for Brandt Builds.", ("assert", ME, "job_title", "joiner")),
    ("I've been made a charge nurse from the 1st of September.",
     ("assert", ME, "job_title", "charge nurse")),
    ("I was made foreman in 2019.", ("assert", ME, "job_title", "foreman")),
    ("staying put, they bumped me to shift supervisor from 1.12.",
     ("assert", ME, "job_title", "shift supervisor")),
    # lives_in
    ("Tomasz and I found a flat in Tartu last month.", ("assert", ME, "lives_in", "tartu")),
    ("we're in a two-bed in Wrzeszcz now", ("assert", ME, "lives_in", "wrzeszcz")),
    ("we signed for a place in Kadıköy, keys july 1", ("assert", ME, "lives_in", "kadıköy")),
    ("I live in Tallinn.", ("assert", ME, "lives_in", "tallinn")),
    ("I moved to Ghent two weeks ago.", ("assert", ME, "lives_in", "ghent")),
    ("I relocated to Tampere in January.", ("assert", ME, "lives_in", "tampere")),
    ("I'm based in Leeds, been here since 2019.", ("assert", ME, "lives_in", "leeds")),
    ("I moved from Lyon to Nantes in 2021.", ("assert", ME, "lives_in", "nantes")),
    # reports_to
    ("my PI there is Dr Helen Carter", ("assert", ME, "reports_to", "helen carter")),
    ("my mgr is Tomasz Lis btw", ("assert", ME, "reports_to", "tomasz lis")),
    ("My manager is Ottilie Brandt.", ("assert", ME, "reports_to", "ottilie brandt")),
    ("I report to Casimir Duval.", ("assert", ME, "reports_to", "casimir duval")),
    ("new job!! boss will be Casimir Duval, their ops lead.",
     ("assert", ME, "reports_to", "casimir duval")),
    # studies_at
    ("I'm a student at Aalto University, started in September 2022.",
     ("assert", ME, "studies_at", "aalto university")),
    # married_to
    ("My husband Teodor loves sailing.", ("assert", ME, "married_to", "teodor")),
    # member_of
    ("I'm on the Atlas team.", ("assert", ME, "member_of", "atlas team")),
    ("I'm a member of the Harbour Chess Club since 2020.",
     ("assert", ME, "member_of", "harbour chess club")),
    # uses
    ("We use Notion and Figma.", ("assert", ME, "uses", "figma")),
    ("We switched from Jira to Linear in February.", ("assert", ME, "uses", "linear")),
    # prefers / likes / dislikes
    ("I prefer tea over coffee.", ("assert", ME, "prefers", "tea")),
    ("I love hiking.", ("assert", ME, "likes", "hiking")),
    ("My husband Teodor loves sailing.", ("assert", "Teodor", "likes", "sailing")),
    ("I hate spreadsheets.", ("assert", ME, "dislikes", "spreadsheets")),
    ("I can't stand loud offices.", ("assert", ME, "dislikes", "loud offices")),
    # owns
    ("I own a Vespa scooter.", ("assert", ME, "owns", "vespa")),
    # has_pet
    ("Yes, if my dog Rex can come in the car.", ("assert", ME, "has_pet", "rex")),
    ("My cat Pimento is three.", ("assert", ME, "has_pet", "pimento")),
    ("We adopted a beagle, her name is Rosie.", ("assert", ME, "has_pet", "rosie")),
    # speaks
    ("I speak Estonian, Finnish and English.", ("assert", ME, "speaks", "finnish")),
    # visited / attended
    ("I visited Krakow in May.", ("assert", ME, "visited", "krakow")),
    ("I attended PyCon Italia in May.", ("assert", ME, "attended", "pycon italia")),
    ("Last week I was in Vienna for the Danube Summit.",
     ("assert", ME, "attended", "danube summit")),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_phrasing(extract: Extract, text: str, expected: tuple[str, str, str, str]) -> None:
    assert expected in triples(extract(text))


def test_every_predicate_has_a_phrasing() -> None:
    covered = {expected[2] for _, expected in PHRASINGS}
    assert covered == set(default_registry().names())


@pytest.mark.parametrize("text", [
    "If I moved to Oslo I would need a car.",
    "Should I switch to Asana?",
    "I don't want a dog.",
    "My friend says Berlin is cheaper.",
    "I'd love to work at Spotify someday.",
    "Do you integrate with Salesforce?",
    "I might sell the kayak if prices go up.",
    "I'm not getting a cat, before you ask.",
    "If we ever get a dog we'll call him Rex.",
    "Thinking about moving to Lisbon next year.",
])
def test_no_facts_from_hypotheticals_questions_and_negated_wishes(extract: Extract,
                                                                    text: str) -> None:
    assert extract(text) == []


def test_a_home_said_in_passing_is_a_home_from_the_message(extract: Extract) -> None:
    homes = [a for a in extract("Working as a planner at Fjordline Cargo since 2021, here in "
                                "Bergen.", "here in March we had snow")
             if a.predicate == "lives_in"]
    assert [(a.object.name if a.object else None, a.valid_from) for a in homes] == \
        [("Bergen", None)], homes


def test_a_move_outranks_a_home_said_in_passing(extract: Extract) -> None:
    homes = {a.object.name for a in extract("I'm moving to Trondheim for the new job, my "
                                            "lease here in Stavanger runs to the end of March.")
             if a.predicate == "lives_in" and a.object}
    assert homes == {"Trondheim"}, homes


@pytest.mark.parametrize("text", ["My job is Senior Engineer at Brightwell.",
                                  "I started at Junior Analyst in May"])
def test_a_job_named_by_a_title_is_no_employer(extract: Extract, text: str) -> None:
    assert not [a for a in extract(text) if a.predicate == "works_at" and a.object and
                a.object.name.split()[-1] in ("Engineer", "Analyst")]


def test_a_thing_made_is_no_title(extract: Extract) -> None:
    # "made" with an object, not a passive with its complement ("was made foreman")
    assert extract("The help I got made a big difference, honestly.") == []


def test_assistant_messages_yield_nothing(pipeline) -> None:  # type: ignore[no-untyped-def]
    from asof.extraction import Conversation, Message
    from asof.graph.models import Role
    from tests.unit.extraction.conftest import AT

    conv = Conversation("c", [Message("assistant", Role.ASSISTANT, AT,
                                      "You live in Tallinn and work at Quorix.")])
    assert all(found == [] for _, found in pipeline.extract(conv))


def test_leaving_retracts_works_at_and_the_title(extract: Extract) -> None:
    out = extract("I'm a data scientist at Quorix.", "I left Quorix in April.")
    retract = [a for a in out if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert retract and retract[0].object is not None and retract[0].object.name == "Quorix"
    assert retract[0].valid_from is not None
    assert retract[0].valid_from.astimezone(TZ).date() == date(2024, 4, 1)
    # leaving an organisation also ends the title
    assert any(a.kind is AssertionKind.RETRACT and a.predicate == "job_title" for a in out)


def test_retired_then_a_time_then_the_employer_ends_that_job(learned_extract: Extract) -> None:
    jobs = [a for a in learned_extract("My dad Olav retired last year from Nordbane after 40 "
                                       "years as a conductor.") if a.predicate == "works_at"]
    assert [(a.object.name if a.object else None, a.valid_to is not None) for a in jobs] == \
        [("Nordbane", True)], jobs


def test_left_before_a_month_ends_the_job_just_named(extract: Extract) -> None:
    # "Feb" is the month of "Feb '17", not an employer left
    out = extract("Work: joined Kestrel in Aug '14 as a systems engineer, left Feb '17.")
    retract = [a for a in out if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [a.object.name for a in retract if a.object] == ["Kestrel"]
    assert retract[0].valid_from is not None
    assert retract[0].valid_from.astimezone(TZ).date() == date(2017, 2, 1)


def test_a_name_a_time_runs_through_is_still_a_name(extract: Extract) -> None:
    # the time read is "been at Kestrel Castings for 34 years"
    out = extract("I've been at Kestrel Castings for 34 years.")
    assert [a.object.name for a in out if a.predicate == "works_at" and a.object] == \
        ["Kestrel Castings"]


def test_used_to_has_unknown_start_and_ends_at_message_time(extract: Extract) -> None:
    (fact,) = extract("I used to live in Porto.")
    assert fact.predicate == "lives_in" and fact.valid_from is None
    assert fact.basis is Basis.UNKNOWN and fact.valid_to is not None


def test_no_longer_use_is_a_retraction_of_a_known_tool(extract: Extract) -> None:
    out = extract("We use Trello for planning.", "We no longer use Trello.")
    assert ("retract", ME, "uses", "trello") in triples(out)


def test_sold_ends_ownership(extract: Extract) -> None:
    out = extract("I own a Honda Civic.", "I sold the Honda Civic on Saturday.")
    retract = [a for a in out if a.kind is AssertionKind.RETRACT]
    assert retract and retract[0].valid_from is not None
    # the Saturday before Wednesday 12 June
    assert retract[0].valid_from.astimezone(TZ).date() == date(2024, 6, 8)


def test_switch_from_ends_the_old_tool(extract: Extract) -> None:
    out = extract("We switched from Jira to Linear in February.")
    old = [a for a in out if a.object is not None and a.object.name == "Jira"]
    assert old and old[0].valid_to is not None and old[0].valid_from is None


def test_correction_of_a_manager(extract: Extract) -> None:
    out = extract("My manager is Ottilie Brandt.",
                  "I actually report to Casimir Duval, not Ottilie.")
    corrections = [a for a in out if a.kind is AssertionKind.CORRECT]
    assert corrections and corrections[0].object is not None
    assert corrections[0].object.name == "Casimir Duval"
    assert corrections[0].corrects is not None and corrections[0].corrects.name == \
        "Ottilie Brandt"


def test_correction_of_a_title_said_in_lower_case(extract: Extract) -> None:
    out = extract("My brother Teo went to a startup called Brightfern in May, as backend "
                  "lead.", "I got it wrong about Teo — he's not backend lead, he's "
                  "engineering manager at Brightfern")
    fixed = [a for a in out if a.kind is AssertionKind.CORRECT and a.predicate == "job_title"]
    assert [(a.value, a.corrects_value) for a in fixed] == \
        [("engineering manager", "backend lead")], out


def test_correction_of_a_date(extract: Extract) -> None:
    out = extract("I joined Quorix in March.", "sorry, actually it was February, not March.")
    corrections = [a for a in out if a.kind is AssertionKind.CORRECT]
    assert corrections and corrections[0].valid_from is not None
    assert corrections[0].valid_from.astimezone(TZ).date() == date(2024, 2, 1)


def test_pronoun_resolves_to_the_most_recent_person(extract: Extract) -> None:
    out = extract("My manager is Ottilie Brandt. She lives in Graz.")
    assert ("assert", "Ottilie Brandt", "lives_in", "graz") in triples(out)


def test_we_at_work_is_the_speakers_organisation(extract: Extract) -> None:
    out = extract("Hi, Maren from Quorix here. We use Figma for design.")
    assert ("assert", "Quorix", "uses", "figma") in triples(out)


def test_aliases_within_a_conversation(extract: Extract) -> None:
    out = extract("I work at Vantor Corp.", "Vantor uses Slack everywhere.")
    assert ("assert", "Vantor Corp", "uses", "slack") in triples(out)


def test_evidence_extractor_and_confidence(extract: Extract) -> None:
    (fact,) = [a for a in extract("I live in Tallinn.") if a.predicate == "lives_in"]
    assert fact.extractor == "asof-rules/1"
    assert fact.evidence and "Tallinn" in fact.evidence
    assert fact.evidence_start is not None and fact.evidence_end is not None
    assert "I live in Tallinn."[fact.evidence_start:fact.evidence_end] == fact.evidence
    assert 0 < fact.confidence <= 1


def test_the_home_left_is_named_after_the_home_moved_to(extract: Extract) -> None:
    """"moved to X from Y": Y is the home left, ended when X begins."""
    out = {(a.object.name if a.object else a.value): a for a in extract(
        "I moved to Tallinn from Tartu in March.") if a.predicate == "lives_in"}
    assert set(out) == {"Tallinn", "Tartu"}
    assert out["Tallinn"].valid_from is not None and out["Tallinn"].valid_to is None
    assert out["Tartu"].valid_to == out["Tallinn"].valid_from


def test_a_place_moved_here_from_is_a_home_whatever_the_ner_says(extract: Extract) -> None:
    out = extract("We relocated here from Accra in 2019.")
    assert [(a.predicate, a.object.name if a.object else a.value) for a in out] == \
        [("lives_in", "Accra")]


def test_the_right_name_after_not_corrects_the_earlier_one(extract: Extract) -> None:
    """"Actually not Sage — it's Zoho Books": the name after is the right one, not the
    sentence's first word."""
    found = extract("Hi, Maren here, IT lead at Kanmi Foods.",
                    "Our accounting runs on Sage, payroll on Paystack.",
                    "Actually not Sage — it's Zoho Books, sorry.")
    fixed = [a for a in found if a.kind is AssertionKind.CORRECT]
    assert [(a.object.name if a.object else a.value) for a in fixed] == ["Zoho Books"]


def test_a_favourite_place_found_is_no_home(extract: Extract) -> None:
    found = triples(extract("also found the best dumpling place in Leslieville"))
    assert not any(p == "lives_in" for _, _, p, _ in found)


def test_a_title_in_a_town_names_no_employer_but_a_home(extract: Extract) -> None:
    found = triples(extract("I'm a nurse in Wrexham."))
    assert not any(p == "works_at" for _, _, p, _ in found)
    assert ("assert", "Maren Holt", "lives_in", "wrexham") in found


def test_a_title_in_a_towns_office_is_no_home(extract: Extract) -> None:
    found = triples(extract("I'm a team lead in Leeds's office."))
    assert not any(p == "lives_in" for _, _, p, _ in found)


def test_the_name_after_a_relative_clause_of_reporting(extract: Extract) -> None:
    found = triples(extract("two weeks in at Kestrel and the guy I report to, Tomas Berg, is "
                            "great."))
    assert ("assert", "Maren Holt", "reports_to", "tomas berg") in found
    assert not [t for t in triples(extract("That's the team I report to, not the one in "
                                           "Oslo.")) if t[2] == "reports_to"]


def test_a_move_said_with_a_dash_before_the_place(extract: Extract) -> None:
    found = extract("Big news: I'm moving — to Bodø, not Tromsø 😂 new job at Fjordline")
    homes = {a.object.name for a in found if a.predicate == "lives_in" and a.object}
    assert homes == {"Bodø"}, found


def test_picked_up_is_a_purchase_only_of_a_thing_one_owns(extract: Extract) -> None:
    found = triples(extract("picked up a used bike on Saturday.",
                            "picked up the kids from school and picked up an extra shift."))
    assert [t[3] for t in found if t[2] == "owns"] == ["bike"], found


def test_liking_a_part_of_the_working_day_is_no_taste(extract: Extract) -> None:
    found = triples(extract("I love my job and I actually like the commute.",
                            "I love bouldering."))
    assert [t[3] for t in found if t[2] == "likes"] == ["bouldering"], found


def test_owning_a_business_said_by_its_kind_names_nothing_owned(extract: Extract) -> None:
    found = triples(extract("Ilse owns the bakery on Storgata, and she owns a red Volvo."))
    assert [t[3] for t in found if t[2] == "owns"] == ["red volvo"], found
