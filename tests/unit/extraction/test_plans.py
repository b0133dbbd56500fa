"""Subscription plans, one at a time whatever the plan was first called, and the tools data
is kept in."""

from __future__ import annotations

from datetime import date

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract, Talk


def _plans(found: list) -> set[tuple[str, str, date | None]]:  # type: ignore[type-arg]
    return {(a.kind.value, (a.object.name if a.object else str(a.value)).lower(),
             a.valid_from.astimezone(TZ).date() if a.valid_from else None)
            for a in found if a.predicate == "uses"}


def test_a_new_plan_ends_one_held_under_its_tier_name(extract: Extract) -> None:
    found = extract("I'm the HR manager at Khangai Cashmere. We are on Basic, not Plus.",
                    "And upgrade us to Plus from 1 July please.")
    plans = _plans(found)
    assert ("assert", "plus plan", date(2024, 7, 1)) in plans
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "uses"]
    # the retraction names the object as it was held, so the store can close it
    assert [(a.object.name if a.object else a.value) for a in ended] == ["Basic"]


def test_a_new_plan_ends_one_held_under_the_products_tier_name(extract: Extract) -> None:
    # "Tallyo Premium" is the product and its plan; the new plan ends the plan, not Tallyo
    found = extract("I'm the planner at Zambezi Freight. We're on Tallyo Premium since January.",
                    "And switch us to Ultimate from 1 September please.")
    plans = _plans(found)
    assert ("assert", "ultimate plan", date(2024, 9, 1)) in plans
    assert ("retract", "premium plan", date(2024, 9, 1)) in plans
    assert not any(p[0] == "retract" and p[1] == "tallyo" for p in plans)


def test_a_request_before_it_does_not_reach_the_plan_change(extract: Extract) -> None:
    # "wants" is a request for its own object, not for the instruction after "so please"
    found = extract("I'm the planner at Zambezi Freight. We're on the Basic plan.",
                    "Our CFO wants the audit module, so please upgrade us to Pro from 1 August.")
    assert ("assert", "pro plan", date(2024, 8, 1)) in _plans(found)
    assert not any(a.predicate in ("uses", "prefers") and a.object is not None and
                   "audit" in a.object.name.lower() for a in found)


def test_dropping_to_a_plan_is_a_downgrade(extract: Extract) -> None:
    plans = _plans(extract("I'm the office manager at Lumen Foods. We're on the Plus plan.",
                           "But we're dropping to the Basic plan from 1 July, we're down to "
                           "25 techs."))
    assert ("assert", "basic plan", date(2024, 7, 1)) in plans
    assert ("retract", "plus plan", date(2024, 7, 1)) in plans
    assert not any(kind == "retract" and obj == "basic plan" for kind, obj, _ in plans)


def test_data_that_lives_in_a_tool_names_no_home(extract: Extract) -> None:
    found = extract("Cold call: Sklárna Horní Ves. Leads from trade fairs live in Excel, ERP "
                    "is Money S5 since 2018.", speaker="Ondřej Pokorný")
    assert not any(a.predicate == "lives_in" for a in found)
    assert any(a.predicate == "lives_in" for a in extract("We live in Excelsior Springs now."))


@pytest.mark.parametrize("second", [
    "can you flip us to Pro on the 1st of August?",
    "Could you switch us to the Pro plan from 1 August, please?",
    "Can we move to the Pro plan from 1 August?",
])
def test_a_plan_change_asked_of_the_service_is_made(extract: Extract, second: str) -> None:
    # a request to the service, not a question whether something is so
    plans = _plans(extract("I'm the planner at Zambezi Freight. We're on the Basic plan.", second))
    assert ("assert", "pro plan", date(2024, 8, 1)) in plans
    assert ("retract", "basic plan", date(2024, 8, 1)) in plans


def test_a_lone_tier_name_while_a_plan_is_held_is_the_next_plan(
        learned_extract: Extract) -> None:
    plans = _plans(learned_extract(
        "I'm the planner at Zambezi Freight. We're on the Basic plan.",
        "We saw the irrigation module demo and we want it. Can we go Pro from 1 August?"))
    assert ("assert", "pro plan", date(2024, 8, 1)) in plans
    assert ("retract", "basic plan", date(2024, 8, 1)) in plans


@pytest.mark.parametrize("second", [
    "Could we afford the Premium plan?",
    "Can you tell me what the Premium plan costs?",
    "If you could switch us to the Premium plan we'd be happy.",
])
def test_a_question_about_a_plan_changes_nothing(extract: Extract, second: str) -> None:
    plans = _plans(extract("I'm the planner at Zambezi Freight. We're on the Basic plan.", second))
    assert not any(obj == "premium plan" or kind == "retract" for kind, obj, _ in plans)


def test_a_new_speaker_asks_for_the_plan_of_the_others_organisation(talk: Talk) -> None:
    turns = talk(("Ana Ruiz", "I'm the office manager at Kahu Outdoor. We're on the Grow plan."),
                 ("Losa Tuilagi", "Losa here, ops manager now. Can we go from Grow to the Pro "
                                  "plan from 1 August?"))
    subjects = {a.subject.name for a in turns[1] if a.predicate == "uses"}
    assert subjects == {"Kahu Outdoor"}


@pytest.mark.parametrize("text", ["We're on Slatebook Studio plan since 2022.",
                                  "We've been on Slatebook's Studio plan since 2022."])
def test_a_plan_said_with_its_product_is_the_tier_and_the_product(
        learned_extract: Extract, text: str) -> None:
    used = {(a.object.name if a.object else a.value or "").lower()
            for a in learned_extract(text) if a.predicate == "uses"}
    assert "studio plan" in used
    assert not any(u.endswith("studio plan") and u != "studio plan" for u in used)
