"""One entity under several names: a nickname given in brackets ("Radoslava (Rada to
everyone)") or with "we called him", a speaker introducing herself by a short name ("Bex
here"), the assistant addressing the user by one ("Congrats, Teo!"), and a company or product
renamed ("Zenpay is now called Paylo", "we're officially Brightloom"). Later mentions of either
name are one entity, which carries the other names as aliases; a bracket holding a title, a
place or an organisation links nothing. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import FactAssertion, Role
from tests.unit.extraction.conftest import AT, Extract

pytestmark = pytest.mark.unit


def _aliases(found: list[FactAssertion]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a in found:
        for ref in (a.subject, a.object):
            if ref is not None:
                out.setdefault(ref.name, set()).update(ref.aliases)
    return out


def _subjects(found: list[FactAssertion], predicate: str) -> set[str]:
    return {a.subject.name for a in found if a.predicate == predicate}


def test_a_nickname_in_brackets_is_the_same_person(extract: Extract) -> None:
    found = extract("My cousin Radoslava (Rada to everyone) is getting married in May.",
                    "Rada moved to Gdynia on 3 June.")
    assert _subjects(found, "lives_in") == {"Radoslava"}
    assert "Rada" in _aliases(found)["Radoslava"]


def test_a_nickname_after_a_dash_we_called_him(extract: Extract) -> None:
    found = extract("I came to Leeds because my uncle Bartholomew — Barto, we called him — "
                    "found me work.",
                    "Barto worked at Kestrel Mills from 1961.")
    assert "Barto" not in _subjects(found, "works_at")
    assert any("Barto" in names for names in _aliases(found).values())


def test_a_short_name_and_the_full_name_in_brackets(extract: Extract) -> None:
    found = extract("Tavi (Octavian Rusu) joined us in March as an intern.",
                    "Tavi moved to Cluj last week.")
    assert "Tavi" not in _subjects(found, "lives_in")
    assert "Tavi" in _aliases(found).get("Octavian Rusu", set())


def test_a_speaker_introducing_herself_by_a_short_name(extract: Extract) -> None:
    found = extract("Hi, Bex here from Larchmere Dairy — I look after the office.",
                    speaker="Rebecca Thorne")
    assert "Bex" not in _subjects(found, "works_at")
    assert "Bex" in _aliases(found).get("Rebecca Thorne", set())


def test_the_assistant_addressing_the_user_by_a_short_name(pipeline: Pipeline) -> None:
    messages = [Message("Teodor Vance", Role.USER, AT, "I moved to Porto last week.", id="u0"),
                Message("assistant", Role.ASSISTANT, AT + timedelta(minutes=1),
                        "Congrats, Teo! How is the new flat?", id="a0"),
                Message("Teodor Vance", Role.USER, AT + timedelta(minutes=2),
                        "I started at Corvane Labs on Monday.", id="u1")]
    found = [a for _, f in pipeline.extract(Conversation("c", messages)) for a in f]
    assert "Teo" in _aliases(found).get("Teodor Vance", set())


def test_the_assistant_calling_the_user_another_name_links_nothing(pipeline: Pipeline) -> None:
    messages = [Message("Teodor Vance", Role.USER, AT, "I moved to Porto last week.", id="u0"),
                Message("assistant", Role.ASSISTANT, AT + timedelta(minutes=1),
                        "Congrats, Marta! How is the new flat?", id="a0"),
                Message("Teodor Vance", Role.USER, AT + timedelta(minutes=2),
                        "I started at Corvane Labs on Monday.", id="u1")]
    found = [a for _, f in pipeline.extract(Conversation("c", messages)) for a in f]
    assert "Marta" not in _aliases(found).get("Teodor Vance", set())


def test_a_renamed_product_is_one_entity(extract: Extract) -> None:
    found = extract("We use Zenpay for payroll and Slack for chat.",
                    "Heads up: Zenpay is now called Paylo, same app, new logo.",
                    "We still use Paylo for payroll.")
    tools = {a.object.name for a in found if a.predicate == "uses" and a.object is not None}
    assert "Paylo" not in tools
    assert "Paylo" in _aliases(found).get("Zenpay", set())


def test_a_company_rebranded_as_a_new_name(extract: Extract) -> None:
    found = extract("I work at Quillmoor as a designer.",
                    "Quillmoor was rebranded as Tallow & Pine last month.",
                    "Ines Roca joined Tallow & Pine on Monday as a designer.")
    assert "Tallow & Pine" in _aliases(found).get("Quillmoor", set())


def test_our_company_is_officially_a_new_name(extract: Extract) -> None:
    found = extract("I work at Fernhollow as head of operations.",
                    "We're officially Brightloom since the 15th!",
                    "Jonah Pike joined Brightloom on Monday as a designer.")
    assert "Brightloom" in _aliases(found).get("Fernhollow", set())


def test_a_title_or_a_place_in_brackets_is_no_other_name(extract: Extract) -> None:
    found = extract("My boss Olek Brandvold (COO) runs the Oslo office.",
                    "We added Merrow Shipping (Bergen) as a prospect.")
    names = _aliases(found)
    assert not any("COO" in n or "Bergen" in n for n in names.values())


def test_aka_inside_a_word_is_no_alias(extract: Extract) -> None:
    found = extract("Call with Makaya Obiri today, she works at Tembo Foods.")
    assert not any("Obiri" in n for n in _aliases(found).values())


def test_a_question_may_use_the_other_name() -> None:
    from asof.api.memory import Memory
    from asof.graph.clock import FakeClock
    from asof.graph.urls import open_store

    clock = FakeClock(datetime(2024, 1, 1, tzinfo=UTC))
    mem = Memory(open_store("sqlite:///:memory:", tenant="t", clock=clock))
    try:
        start = datetime(2024, 3, 1, 9, tzinfo=UTC)
        mem.ingest([{"speaker": "Rebecca Thorne", "role": "user", "at": start.isoformat(),
                     "text": "My cousin Radoslava (Rada to everyone) lives in Gdynia."},
                    {"speaker": "Rebecca Thorne", "role": "user",
                     "at": (start + timedelta(days=1)).isoformat(),
                     "text": "Rada started at Corvane Labs on Monday."}], tenant="t")
        now = datetime(2025, 1, 1, tzinfo=UTC)
        assert mem.ask("Where does Rada work?", tenant="t", now=now).answers == \
            mem.ask("Where does Radoslava work?", tenant="t", now=now).answers != []
    finally:
        mem.close()


def _state():  # type: ignore[no-untyped-def]
    from asof.extraction.assembly.state import ConversationState
    from asof.graph.predicates import default_registry

    return ConversationState("unit", default_registry())


def test_an_organisation_named_short_first_takes_its_full_name_later() -> None:
    state = _state()
    assert state.canonical("Tembrook", "organization") == "Tembrook"
    assert state.canonical("Tembrook Agro Processing", "organization") == \
        "Tembrook Agro Processing"
    assert state.canonical("Tembrook", "organization") == "Tembrook Agro Processing"
    assert "Tembrook" in state.aliases_of("Tembrook Agro Processing")


def test_a_short_form_with_facts_already_stays_apart_from_a_longer_name() -> None:
    from asof.extraction.assembly.state import Record
    from asof.graph.models import AssertionKind

    state = _state()
    state.canonical("Klinova", "organization")
    state.records.append(Record("Ilse Brandt", "works_at", "Klinova", False,
                                AssertionKind.ASSERT, None, None, None, None, 1, 0, (0, 1)))
    # "Klinova North Campus" may be another place: the stored short form is not renamed
    assert state.canonical("Klinova North Campus", "organization") == "Klinova North Campus"


def test_an_abbreviated_word_means_the_organisation_stored_under_it() -> None:
    from asof.extraction.assembly.state import Record
    from asof.graph.models import AssertionKind

    state = _state()
    state.canonical("Fenwick Bio", "organization")
    state.records.append(Record("Ilse Brandt", "works_at", "Fenwick Bio", False,
                                AssertionKind.ASSERT, None, None, None, None, 1, 0, (0, 1)))
    assert state.canonical("Fenwick Biotherapeutics", "organization") == "Fenwick Bio"
    assert "Fenwick Biotherapeutics" in state.aliases_of("Fenwick Bio")


def test_a_family_name_glossed_with_an_equals_sign(extract: Extract) -> None:
    found = extract("For the party: Nana = Maria Lopez, turning 80, loves tulips.",
                    "Nana moved to Annecy last spring.")
    assert "Nana" in _aliases(found).get("Maria Lopez", set())
    assert "Nana" not in _subjects(found, "lives_in")


def test_a_role_after_an_equals_sign_is_no_name(extract: Extract) -> None:
    found = extract("Org chart: Odile = Head Of Sales, Bram = CTO.")
    assert not any("Head Of Sales" in n for n in _aliases(found).values())


def test_her_name_after_a_relative_named_by_kinship(nlp) -> None:  # type: ignore[no-untyped-def]
    from asof.extraction.assembly.assembler import Assembler

    state = _state()
    state.add_person("Ray")
    state.add_person("Mom")
    state.add_person("Maren Holt")
    text = "perfect. her name's Paloma btw, for the place cards"
    Assembler(state)._nicknames(nlp.make_doc(text), text)
    assert "Paloma" in state.aliases_of("Mom")
    assert state.canonical("Paloma", "person") == "Mom"


def test_her_name_without_a_relative_named_by_kinship_links_nothing(nlp) -> None:  # type: ignore[no-untyped-def]
    from asof.extraction.assembly.assembler import Assembler

    state = _state()
    state.add_person("Ray")
    text = "her name's Paloma btw"
    Assembler(state)._nicknames(nlp.make_doc(text), text)
    assert state.aliases_of("Ray") == ()
