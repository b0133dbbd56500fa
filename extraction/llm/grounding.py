"""The leash: what a model answers becomes claims only through these checks.

1. The answer itself: empty, cut off by ``max_tokens``, not JSON, not the schema's shape, or
   larger than the configured bounds → rejected whole (:class:`Rejection`).
2. Each claim (:func:`ground`): a registered predicate; an evidence quote found in the message
   (its offsets are kept); a time phrase found in the message, or none; a subject that is the
   speaker or a name in the message or its context; an object written in the message. Its
   times are resolved by :mod:`asof.timex` from the phrase, in the message's context, never
   taken from the model. A claim that fails is dropped with a :class:`Drop` reason.

The model proposes only ``assert``/``retract``/``correct`` claims; what ends is decided by the
write rules when the claims are applied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from asof.extraction.llm.cache import CachedResponse
from asof.extraction.readers import Message
from asof.graph.errors import InvalidInputError
from asof.graph.models import AssertionKind, Basis, EntityRef, FactAssertion, Granularity
from asof.graph.predicates import LITERAL, Predicate, PredicateRegistry
from asof.timex import Role, TimeMention, find_times, period

#: claims of the model carry no confidence of their own; this is what they are stored with
LLM_CONFIDENCE = 0.7
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
_FIELDS = ("kind", "subject", "predicate", "object", "evidence", "time_phrase")


class Rejection(StrEnum):
    """Why a whole answer was refused."""

    EMPTY = "empty"
    TRUNCATED = "truncated"
    MALFORMED = "malformed_json"
    OVERSIZED = "oversized"
    SCHEMA = "not_the_schema"


class Drop(StrEnum):
    """Why one proposed claim was dropped."""

    INVALID = "invalid_claim"
    UNKNOWN_PREDICATE = "unknown_predicate"
    QUOTE_NOT_IN_MESSAGE = "quote_not_in_message"
    TIME_NOT_IN_MESSAGE = "time_phrase_not_in_message"
    TIME_UNRESOLVED = "time_phrase_unresolved"
    SUBJECT_NOT_GROUNDED = "subject_not_grounded"
    OBJECT_NOT_IN_MESSAGE = "object_not_in_message"


@dataclass(frozen=True, slots=True)
class ProposedClaim:
    """One claim as the model wrote it, before any check."""

    kind: str
    subject: str
    predicate: str
    object: str
    evidence: str
    time_phrase: str | None


def parse_answer(response: CachedResponse, *, max_chars: int,
                 max_claims: int) -> list[ProposedClaim | Drop] | Rejection:
    """The answer's claims (a malformed single claim becomes ``Drop.INVALID``), or why the
    whole answer is refused."""
    content = response.content.strip()
    if not content:
        return Rejection.EMPTY
    if len(content) > max_chars:
        return Rejection.OVERSIZED
    if response.finish_reason == "length":
        return Rejection.TRUNCATED
    try:
        data = json.loads(content)
    except ValueError:
        # a document that ends open was cut short, whatever the server said
        return Rejection.TRUNCATED if _cut_short(content) else Rejection.MALFORMED
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        return Rejection.SCHEMA
    raw: list[Any] = data["claims"]
    if len(raw) > max_claims:
        return Rejection.OVERSIZED
    return [_proposed(item) for item in raw]


def _cut_short(content: str) -> bool:
    """Whether ``content`` ends inside a string or an open object/array with every bracket
    so far matched: the start of a JSON document, not a wrong one."""
    closers = {"}": "{", "]": "["}
    stack: list[str] = []
    in_string = escaped = False
    for ch in content:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in closers:
            if not stack or stack.pop() != closers[ch]:
                return False
    return in_string or bool(stack)


def _proposed(item: Any) -> ProposedClaim | Drop:
    if not isinstance(item, dict):
        return Drop.INVALID
    texts = [item.get(name) for name in _FIELDS[:5]]
    phrase = item.get("time_phrase")
    if not all(isinstance(t, str) for t in texts) or not (phrase is None
                                                           or isinstance(phrase, str)):
        return Drop.INVALID
    kind, subject, predicate, obj, evidence = (str(t) for t in texts)
    return ProposedClaim(kind, subject, predicate, obj, evidence, phrase)


def find_quote(text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``: exactly, else ignoring case (the occurrence nearest
    ``near``). Never fuzzy: a quote that is not in the message grounds nothing."""
    quote = quote.strip()
    if not quote:
        return None
    for haystack, needle in ((text, quote), (text.lower(), quote.lower())):
        if len(haystack) != len(text):
            continue  # lower-casing changed lengths: offsets would not map back
        starts = [m.start() for m in re.finditer(re.escape(needle), haystack)]
        if starts:
            start = min(starts, key=lambda s: abs(s - near))
            return start, start + len(needle)
    return None


def _occurs(name: str, texts: Sequence[str]) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)", re.IGNORECASE)
    return any(pattern.search(t) for t in texts)


@dataclass(frozen=True, slots=True)
class Interval:
    valid_from: datetime | None
    valid_to: datetime | None
    basis: Basis | None
    granularity: Granularity | None


def resolve_time(mention: TimeMention | None, predicate: Predicate, kind: AssertionKind,
                 message_at: datetime) -> Interval:
    """The claim's interval from the time asof found in the phrase (never the model's)."""
    if predicate.event:
        # an event lasts its stated period (a day, a month); undated: the message's day
        value = mention.value if mention else period(message_at.date(), Granularity.DAY,
                                                     message_at.tzinfo or UTC)
        end = mention.end_value.end if mention and mention.role is Role.RANGE and \
            mention.end_value else value.end
        return Interval(value.start, end, Basis.STATED, value.granularity)
    if mention is None:
        return Interval(None, None, None, None)
    value = mention.value
    if kind is AssertionKind.RETRACT:
        # a retraction ends the fact at valid_from; a length says when it began, not ended
        if mention.role is Role.DURATION:
            return Interval(None, None, None, None)
        ending = mention.end_value if mention.role is Role.RANGE and mention.end_value \
            else value
        return Interval(ending.start, None, None, ending.granularity)
    if mention.role is Role.RANGE and mention.end_value is not None:
        return Interval(value.start, mention.end_value.start, Basis.STATED, value.granularity)
    if mention.role is Role.END:
        ended = value.start
        basis = Basis.UNKNOWN if ended <= message_at else Basis.OBSERVED
        return Interval(None if basis is Basis.UNKNOWN else message_at, ended, basis, None)
    return Interval(value.start, None, Basis.STATED, value.granularity)


def ground(claim: ProposedClaim, message: Message, context: Sequence[Message],
           registry: PredicateRegistry, extractor: str) -> FactAssertion | Drop:
    """The claim as a :class:`FactAssertion`, or why it was dropped."""
    try:
        kind = AssertionKind(claim.kind)
    except ValueError:
        return Drop.INVALID
    if claim.predicate not in registry:
        return Drop.UNKNOWN_PREDICATE
    predicate = registry.get(claim.predicate)
    text = message.text
    evidence = find_quote(text, claim.evidence)
    if evidence is None:
        return Drop.QUOTE_NOT_IN_MESSAGE
    mention: TimeMention | None = None
    if claim.time_phrase is not None and claim.time_phrase.strip():
        phrase = find_quote(text, claim.time_phrase, near=evidence[0])
        if phrase is None:
            return Drop.TIME_NOT_IN_MESSAGE
        mention = next((m for m in find_times(text, message.at)
                        if m.start_char < phrase[1] and phrase[0] < m.end_char), None)
        if mention is None:
            return Drop.TIME_UNRESOLVED
    subject = _person_or_name(claim.subject, message, context)
    if subject is None:
        return Drop.SUBJECT_NOT_GROUNDED
    obj = claim.object.strip()
    named = _person_or_name(obj, message, ()) if obj else None
    if obj and named is None:
        return Drop.OBJECT_NOT_IN_MESSAGE
    interval = resolve_time(mention, predicate, kind, message.at)
    fields: dict[str, Any] = {
        "subject": EntityRef(name=subject, type=predicate.subject_types[0]),
        "predicate": predicate.name, "kind": kind, "valid_from": interval.valid_from,
        "valid_to": interval.valid_to, "basis": interval.basis,
        "granularity": interval.granularity, "confidence": LLM_CONFIDENCE,
        "evidence": text[evidence[0]:evidence[1]], "evidence_start": evidence[0],
        "evidence_end": evidence[1], "extractor": extractor}
    if named is not None:
        if predicate.literal_object or predicate.object_types[0] == LITERAL:
            fields["value"] = named
        else:
            fields["object"] = EntityRef(name=named, type=predicate.default_object_type)
    try:
        return FactAssertion.parse(fields)
    except InvalidInputError:
        return Drop.INVALID  # an inverted interval, a name without letters, ...


def _person_or_name(name: str, message: Message, context: Sequence[Message]) -> str | None:
    """The speaker for "I"/"me"/their own name; else the name as written, when the message
    (or, for subjects, an earlier message) contains it."""
    name = name.strip()
    if not name:
        return None
    low = name.lower()
    speaker = message.speaker
    if low in _FIRST_PERSON or low == speaker.lower() or low == speaker.split()[0].lower():
        return speaker
    if _occurs(name, [message.text, *(m.text for m in context)]):
        return name
    return None
