"""What is said but is no fact, or a fact of another predicate: a plan tier or an office is no
home, a club is no employer, a move between tools is no move of home, a one-off want is no
preference, a joke is taken back, "my name is" introduces the speaker. Sentences and names are
the tests' own."""

from __future__ import annotations

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


def _facts(found) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(a.subject.name, a.predicate, (a.object.name if a.object else a.value) or "")
            for a in found}


def test_a_name_before_plan_or_office_is_no_home(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("We moved to the Harbor plan last month.",
                                   "I'm relocating to the Tromsø office in May."))
    assert not any(p == "lives_in" for _, p, _ in facts)


def test_a_club_joined_is_a_membership(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I joined the Fjellstad Dads running club in March."))
    assert not any(p in ("works_at", "uses") for _, p, _ in facts)


def test_a_want_with_a_deadline_is_no_preference(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("My boss wants the budget deck by Friday."))
    assert not any(p == "prefers" for _, p, _ in facts)


def test_a_joke_takes_back_what_was_said(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I'm moving to Tromsø 😤 this rain... kidding, Bergen "
                                   "forever"))
    assert ("Maren Holt", "lives_in", "Tromsø") not in facts


def test_my_name_is_no_pet(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Hi, my name is Maren and I need help with a CV."))
    assert not any(p == "has_pet" for _, p, _ in facts)


def test_a_move_to_a_place_typed_in_lower_case_does_not_restart_the_old_home(
        learned_extract: Extract) -> None:
    """The move takes the lower-case "porto" (read by the rule or the tagger), rather than the
    home already held taking the move's date."""
    found = [a for a in learned_extract("I live in Tromsø.", "moved to porto last month")
             if a.predicate == "lives_in" and a.valid_from is not None]
    assert [(a.object.name if a.object else a.value).lower() for a in found] == ["porto"]


def test_a_way_of_living_is_no_job_title(learned_extract: Extract) -> None:
    assert not [a for a in learned_extract("I'm vegan since 2019 btw")
                if a.predicate == "job_title"]


def test_a_school_named_by_its_kind_first_is_a_place_of_study(learned_extract: Extract) -> None:
    found = _facts(learned_extract("My daughter Chloé Martin started at Lycée Hoche in "
                                   "September."))
    assert ("Chloé Martin", "studies_at", "Lycée Hoche") in found
    assert ("Chloé Martin", "works_at", "Lycée Hoche") not in found
    assert ("Maren Holt", "works_at", "Lycée Hoche") in _facts(
        learned_extract("I teach at Lycée Hoche."))


def test_a_school_named_by_its_kind_last_is_a_place_of_study(extract: Extract) -> None:
    # the name says school, and nothing in the sentence says job
    found = _facts(extract("our son Tevita started at Kolisi College in February."))
    assert ("Tevita", "studies_at", "Kolisi College") in found
    assert ("Tevita", "works_at", "Kolisi College") not in found
    # a title in the sentence keeps it a job; a university elsewhere makes no school of a firm
    assert ("Maren Holt", "works_at", "Bowen College") in _facts(
        extract("I started at Bowen College in March as an instructor."))
    assert ("Maren Holt", "works_at", "Kestrel Labs") in _facts(
        extract("I studied at Leeds University and joined Kestrel Labs in 2019."))


@pytest.mark.parametrize(("text", "predicate", "obj"), [
    ("honestly i hate asana tbh", "dislikes", "asana"),
    ("we're on airtable ngl", "uses", "airtable"),
])
def test_a_chat_filler_read_into_an_object_is_cut(learned_extract: Extract, text: str,
                                                  predicate: str, obj: str) -> None:
    assert {(a.predicate, a.object.name if a.object else a.value)
            for a in learned_extract(text)} >= {(predicate, obj)}


def test_a_move_from_a_name_to_a_tool_is_a_switch_of_tools(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("we moved from Trello to Linear in September"))
    assert ("Maren Holt", "uses", "Trello") in facts, facts
    assert not any(p == "lives_in" for _, p, _ in facts), facts


def test_a_negation_ends_at_an_emoji(extract: Extract) -> None:
    found = extract("Other news: I'm moving — to Gdansk, not Oslo 😂 New job at Baltica "
                    "Naval Design starting 6 November.", speaker="Tomasz Nowak")
    assert any(a.predicate == "works_at" and a.object is not None and
               a.object.name == "Baltica Naval Design" for a in found)
    assert not any(a.predicate == "lives_in" and a.object is not None and
                   a.object.name == "Oslo" and a.kind.value == "assert" for a in found)


def test_a_tool_left_is_a_tool_that_ends_not_a_job(learned_extract: Extract) -> None:
    found = learned_extract("We track bugs in Trello and chat on Slack.",
                            "we left Trello in May, it was too slow")
    ended = [(a.kind, a.predicate, a.object.name) for a in found if a.object]
    assert (AssertionKind.RETRACT, "uses", "Trello") in ended, ended
    assert not any(p == "works_at" for _k, p, _o in ended), ended


def test_what_we_start_with_is_a_tool_taken_on(extract: Extract) -> None:
    found = extract("Maren Holt here, ops lead at Lumeira Furniture. We start with Deskly in "
                    "July.", "I start with Kestrel on Monday")
    got = {(a.predicate, a.object.name) for a in found if a.object}
    assert ("uses", "Deskly") in got and ("works_at", "Deskly") not in got, got
    assert ("works_at", "Kestrel") in got, got


def test_a_title_on_another_line_of_a_list_does_not_make_a_school_a_job(
        learned_extract: Extract) -> None:
    found = _facts(learned_extract("notes for the family newsletter:\n\n- me: still at "
                                   "Haukeland, got promoted to ward coordinator on 1 March\n- "
                                   "Ylva started at Bergen University in August, pharmacy "
                                   "program"))
    assert ("Ylva", "studies_at", "Bergen University") in found, found
    assert ("Ylva", "works_at", "Bergen University") not in found, found


def test_a_contrast_on_a_person_negates_nothing_else(extract: Extract) -> None:
    found = _facts(extract("Please send the invoices to Lars Eng, our new bookkeeper, not to "
                           "me."))
    assert ("Lars Eng", "job_title", "bookkeeper") in found, found
    assert not _facts(extract("I never worked at Orbit, not me."))


def test_wanting_a_thing_is_no_preference(extract: Extract) -> None:
    found = extract("Oskar wants a Linux laptop.", "I want the new Kestrel plan.")
    assert not any(a.predicate == "prefers" for a in found), found


def test_a_requests_deadline_dates_nothing_else(extract: Extract) -> None:
    found = extract("I lead a small team at Kestrel Labs. My boss Ilse Brandt wants the "
                    "reviews by Friday.")
    (boss,) = [a for a in found if a.predicate == "reports_to"]
    assert (boss.valid_from, boss.valid_to) == (None, None), boss
