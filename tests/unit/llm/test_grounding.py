"""Grounding: a claim of the model stands only with a quote from its message, a time phrase
from its message (resolved by asof.timex, never the model's date), a subject that is the
speaker or named, and an object written in the message."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from asof.extraction.llm.cache import CachedResponse
from asof.extraction.llm.grounding import (
    Drop,
    ProposedClaim,
    Rejection,
    find_quote,
    ground,
    parse_answer,
)
from asof.extraction.readers import Message
from asof.graph.models import AssertionKind, Basis, FactAssertion, Granularity, Role
from asof.graph.predicates import default_registry, load_registry

pytestmark = pytest.mark.unit

TZ = timezone(timedelta(hours=2))
AT = datetime(2024, 6, 12, 10, 0, tzinfo=TZ)  # a Wednesday
EXTRACTOR = "llm:tiny:claims-v1"


def _message(text: str, speaker: str = "Priya Nair") -> Message:
    return Message(speaker=speaker, role=Role.USER, at=AT, text=text)


def _claim(**overrides: str | None) -> ProposedClaim:
    fields: dict[str, str | None] = {
        "kind": "assert", "subject": "I", "predicate": "works_at", "object": "Acme",
        "evidence": "I joined Acme in March 2021", "time_phrase": "in March 2021"}
    fields.update(overrides)
    return ProposedClaim(**fields)  # type: ignore[arg-type]


def _ground(claim: ProposedClaim, text: str = "So, I joined Acme in March 2021. Love it.",
            context: tuple[Message, ...] = ()) -> FactAssertion | Drop:
    return ground(claim, _message(text), context, default_registry(), EXTRACTOR)


def test_a_grounded_claim_keeps_its_quote_offsets_and_asofs_own_time() -> None:
    text = "So, I joined Acme in March 2021. Love it."
    fact = _ground(_claim())
    assert isinstance(fact, FactAssertion)
    assert fact.subject.name == "Priya Nair" and fact.object is not None
    assert fact.object.name == "Acme" and fact.object.type == "organization"
    assert (fact.evidence_start, fact.evidence_end) == (4, 31)
    assert text[4:31] == fact.evidence == "I joined Acme in March 2021"
    # March 2021 in the message's own offset (+02:00), at month granularity
    assert fact.valid_from == datetime(2021, 3, 1, tzinfo=TZ)
    assert fact.granularity is Granularity.MONTH and fact.basis is Basis.STATED
    assert fact.extractor == EXTRACTOR and fact.kind is AssertionKind.ASSERT


def test_a_quote_that_is_not_in_the_message_is_dropped() -> None:
    assert _ground(_claim(evidence="I joined Acme Corp in 2021")) is Drop.QUOTE_NOT_IN_MESSAGE
    assert _ground(_claim(evidence="   ")) is Drop.QUOTE_NOT_IN_MESSAGE


def test_a_quote_differing_only_in_case_is_found_at_its_offsets() -> None:
    fact = _ground(_claim(evidence="i JOINED acme"))
    assert isinstance(fact, FactAssertion)
    assert fact.evidence == "I joined Acme" and fact.evidence_start == 4


def test_a_time_phrase_the_message_does_not_contain_is_dropped() -> None:
    # the model "helpfully" writes a date: asof never takes the model's dates
    assert _ground(_claim(time_phrase="2021-03-01")) is Drop.TIME_NOT_IN_MESSAGE


def test_a_time_phrase_asof_cannot_resolve_is_dropped() -> None:
    text = "I joined Acme back in my student days."
    claim = _claim(evidence="I joined Acme", time_phrase="back in my student days")
    assert _ground(claim, text) is Drop.TIME_UNRESOLVED


def test_no_time_phrase_means_no_stated_start() -> None:
    fact = _ground(_claim(time_phrase=None))
    assert isinstance(fact, FactAssertion)
    assert fact.valid_from is None and fact.effective_basis is Basis.OBSERVED


@pytest.mark.parametrize(("text", "phrase", "kind", "expected"), [
    # relative phrases resolve against the message time, in its offset
    ("I joined Acme last May.", "last May", "assert", (datetime(2024, 5, 1, tzinfo=TZ), None)),
    ("I joined Acme two weeks ago.", "two weeks ago", "assert",
     (datetime(2024, 5, 29, tzinfo=TZ), None)),
    # "since" makes a start; "until" an end; "from … to …" both
    ("I've been at Acme since 2019.", "since 2019", "assert",
     (datetime(2019, 1, 1, tzinfo=TZ), None)),
    ("I was at Acme from 2018 to 2020.", "from 2018 to 2020", "assert",
     (datetime(2018, 1, 1, tzinfo=TZ), datetime(2020, 1, 1, tzinfo=TZ))),
    # a retraction ends the fact when the phrase says
    ("I left Acme in April.", "in April", "retract", (datetime(2024, 4, 1, tzinfo=TZ), None)),
])
def test_times_come_from_the_phrase_resolved_by_timex(
        text: str, phrase: str, kind: str,
        expected: tuple[datetime | None, datetime | None]) -> None:
    evidence = text.rstrip(".")
    fact = _ground(_claim(kind=kind, evidence=evidence, time_phrase=phrase), text)
    assert isinstance(fact, FactAssertion), fact
    assert (fact.valid_from, fact.valid_to) == expected


def test_an_event_lasts_its_stated_period_or_the_message_day() -> None:
    text = "We visited Lisbon in March, and Porto today."
    lisbon = _ground(_claim(predicate="visited", object="Lisbon", time_phrase="in March",
                            evidence="We visited Lisbon in March"), text)
    assert isinstance(lisbon, FactAssertion)
    assert (lisbon.valid_from, lisbon.valid_to) == (datetime(2024, 3, 1, tzinfo=TZ),
                                                    datetime(2024, 4, 1, tzinfo=TZ))
    porto = _ground(_claim(predicate="visited", object="Porto", time_phrase=None,
                           evidence="Porto today"), text)
    assert isinstance(porto, FactAssertion)
    assert (porto.valid_from, porto.valid_to) == (datetime(2024, 6, 12, tzinfo=TZ),
                                                  datetime(2024, 6, 13, tzinfo=TZ))


def test_subjects_and_objects_must_be_grounded() -> None:
    assert _ground(_claim(subject="Jonas")) is Drop.SUBJECT_NOT_GROUNDED
    assert _ground(_claim(object="Globex")) is Drop.OBJECT_NOT_IN_MESSAGE
    # a name from an earlier message of the conversation is a subject ("she" resolved)
    earlier = Message(speaker="Priya Nair", role=Role.USER, at=AT, text="Jonas is my brother.")
    fact = _ground(_claim(subject="Jonas", evidence="joined Acme"), context=(earlier,))
    assert isinstance(fact, FactAssertion) and fact.subject.name == "Jonas"
    # the speaker by first name is the speaker
    fact = _ground(_claim(subject="priya"))
    assert isinstance(fact, FactAssertion) and fact.subject.name == "Priya Nair"


def test_unknown_predicates_and_kinds_are_dropped() -> None:
    assert _ground(_claim(predicate="employed_by")) is Drop.UNKNOWN_PREDICATE
    assert _ground(_claim(kind="invalidate")) is Drop.INVALID


def test_a_literal_predicate_takes_a_value_and_user_predicates_ground(tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml = tmp_path / "p.toml"
    toml.write_text('[predicates.customer_tier]\ncardinality = "one"\n'
                    'subject = "organization"\nobject = "literal"\n')
    registry = load_registry(toml)
    text = "Acme moved to the Gold tier on 1 June."
    claim = _claim(subject="Acme", predicate="customer_tier", object="Gold",
                   evidence="Acme moved to the Gold tier", time_phrase="on 1 June")
    fact = ground(claim, _message(text), (), registry, EXTRACTOR)
    assert isinstance(fact, FactAssertion)
    assert fact.value == "Gold" and fact.object is None
    assert fact.subject.type == "organization"
    assert fact.valid_from == datetime(2024, 6, 1, tzinfo=TZ)


def test_find_quote_prefers_the_occurrence_nearest_the_evidence() -> None:
    text = "In 2019 I moved. In 2019 I also joined Acme."
    assert find_quote(text, "in 2019", near=20) == (17, 24)
    assert find_quote(text, "in 2019") == (0, 7)
    assert find_quote(text, "in 2020") is None


def _answer(content: str, finish: str | None = "stop") -> CachedResponse:
    return CachedResponse(content=content, finish_reason=finish, prompt_tokens=1,
                          completion_tokens=1)


def _parse(content: str, finish: str | None = "stop") -> object:
    return parse_answer(_answer(content, finish), max_chars=2000, max_claims=3)


def test_malformed_empty_truncated_and_oversized_answers_are_rejected_whole() -> None:
    good = json.dumps({"claims": [{"kind": "assert", "subject": "I", "predicate": "works_at",
                                   "object": "Acme", "evidence": "x", "time_phrase": None}]})
    assert len(_parse(good)) == 1  # type: ignore[arg-type]
    assert _parse("") is Rejection.EMPTY
    assert _parse("   \n") is Rejection.EMPTY
    assert _parse(good, finish="length") is Rejection.TRUNCATED  # the server cut it
    assert _parse(good[:-7]) is Rejection.TRUNCATED  # ends mid-document
    assert _parse("Sure! Here are the claims: none") is Rejection.MALFORMED
    assert _parse('{"claims": [}') is Rejection.MALFORMED
    assert _parse('["claims"]') is Rejection.SCHEMA
    assert _parse('{"facts": []}') is Rejection.SCHEMA
    assert _parse(json.dumps({"claims": [{}] * 4})) is Rejection.OVERSIZED
    assert _parse(json.dumps({"claims": [], "pad": "x" * 3000})) is Rejection.OVERSIZED
    assert _parse('{"claims": []}') == []


def test_a_malformed_claim_is_dropped_not_the_answer() -> None:
    parsed = _parse(json.dumps({"claims": [
        "works_at Acme",
        {"kind": "assert", "subject": "I", "predicate": "works_at", "object": 7,
         "evidence": "x", "time_phrase": None},
        {"kind": "assert", "subject": "I", "predicate": "works_at", "object": "Acme",
         "evidence": "x", "time_phrase": None}]}))
    assert isinstance(parsed, list)
    assert parsed[:2] == [Drop.INVALID, Drop.INVALID]
    assert isinstance(parsed[2], ProposedClaim)


def test_utc_is_never_assumed_for_the_message_time() -> None:
    # times resolve in the message's own offset: March 2021 in +02:00 starts before UTC's
    fact = _ground(_claim())
    assert isinstance(fact, FactAssertion) and fact.valid_from is not None
    assert fact.valid_from < datetime(2021, 3, 1, tzinfo=UTC)
