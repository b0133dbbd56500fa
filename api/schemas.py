"""REST request and response schemas (separate from the domain models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from asof.graph.models import AssertionKind, Basis, Granularity, Role


def _iso_text(value: object) -> object:
    if isinstance(value, datetime | str):
        return value
    raise ValueError("must be an ISO 8601 string with a UTC offset, e.g. 2024-03-01T09:00:00Z")


#: Free text: no control characters but tab and newlines.
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
#: A name: one line, at least one letter or digit.
NAME = r"^[^\x00-\x1f\x7f-\x9f]*\w[^\x00-\x1f\x7f-\x9f]*$"
#: An identifier: one line.
IDENT = r"^[^\x00-\x1f\x7f-\x9f]+$"

#: A timestamp in a request: an ISO 8601 string that carries an offset (never a number).
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text), Field(strict=False)]


class _Schema(BaseModel):
    # strict: a timestamp must be an ISO 8601 string with an offset, not a number
    model_config = ConfigDict(extra="forbid", strict=True)


class MessageIn(_Schema):
    id: str | None = Field(default=None, min_length=1, max_length=200, pattern=IDENT,
                           description="Your message id; makes retries idempotent.")
    conversation_id: str = Field(default="default", min_length=1, max_length=200,
                                 pattern=IDENT,
                                 description="Conversation the message belongs to.")
    speaker: str = Field(min_length=1, max_length=300, pattern=NAME,
                         description="Who said it.")
    role: Role = Field(default=Role.USER, strict=False,
                       description="user, assistant, system or tool.")
    at: Instant = Field(description="When it was said; must carry a UTC offset.")
    text: str = Field(min_length=1, pattern=TEXT, description="The message text.")


class EpisodesIn(_Schema):
    messages: list[MessageIn] = Field(min_length=1, description="Messages, oldest first.")
    extractor: Literal["rules", "llm", "hybrid"] | None = Field(
        default=None, description="How the messages become facts: `rules` (offline), `llm` "
        "(the model server the API is configured with, ASOF_LLM_*: claims must quote the "
        "message; asof resolves their times) or `hybrid` (the model only where the rules "
        "found names but no fact). Default: the server's ASOF_EXTRACTOR.")


class IngestOut(_Schema):
    conversations: int
    messages: int
    duplicates: int = Field(description="Messages already stored (nothing changed).")
    assertions: int
    versions_written: int
    versions_closed: int
    confirmations: int
    rejected: int = Field(description="Extracted assertions the write rules refused (a "
                                      "correction that would invert the interval it corrects); "
                                      "the rest of each message was stored.")
    seconds: float
    messages_per_second: float
    episode_ids: list[str]
    llm: dict[str, Any] | None = Field(
        default=None, description="With the llm or hybrid extractor: model calls, cache hits, "
        "calls the rules saved, tokens, seconds per call, claims proposed and kept, the "
        "grounding-drop rate and the reasons claims were dropped or answers rejected.")


class EntityIn(_Schema):
    name: str = Field(min_length=1, max_length=300, pattern=NAME)
    type: str = Field(default="concept", max_length=50, pattern=r"^[a-z_]+$")


class FactIn(_Schema):
    subject: EntityIn
    predicate: str = Field(max_length=64, description="A predicate from the registry.")
    object: EntityIn | None = Field(default=None, description="An entity object…")
    value: str | None = Field(default=None, max_length=300, pattern=NAME,
                              description="…or a literal value.")
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    basis: Basis | None = Field(default=None, strict=False)
    granularity: Granularity | None = Field(default=None, strict=False)
    kind: AssertionKind = Field(default=AssertionKind.ASSERT, strict=False)
    corrects: EntityIn | None = None
    corrects_value: str | None = Field(default=None, max_length=300, pattern=NAME)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    evidence: str | None = Field(default=None, max_length=20_000, pattern=TEXT)


class FactsIn(_Schema):
    facts: list[FactIn] = Field(min_length=1)
    observed_at: Instant | None = Field(
        default=None, description="When these facts were observed (default: now).")
    source_id: str | None = Field(default=None, min_length=1, max_length=200, pattern=IDENT,
                                  description="Idempotency key: the same id twice is a no-op.")


class WriteOut(_Schema):
    recorded_at: str | None
    duplicate: bool
    episode_ids: list[str]
    versions_written: list[str]
    versions_closed: list[str]
    confirmations: int
    audit_seqs: list[int]


class FactOut(BaseModel):
    """A fact version with names, provenance and audit events."""

    version_id: str
    fact_key: str
    subject: str
    subject_id: str
    predicate: str
    object: str
    object_id: str | None
    object_value: str | None
    valid_from: str | None
    valid_to: str | None
    valid_from_basis: str
    granularity: str | None
    recorded_at: str | None
    superseded_at: str | None
    supersedes: str | None
    expires_at: str | None
    confidence: float
    extractor: str
    evidence: str | None
    provenance: list[dict[str, Any]]
    events: list[dict[str, Any]]


class _Page(_Schema):
    """One page of a list: ``limit`` items from ``offset``."""

    limit: int | None = Field(description="Items per page (null: no limit).")
    offset: int
    next_offset: int | None = Field(
        description="Offset of the next page; null on the last page.")


class FactsOut(_Page):
    items: list[FactOut]


class AskIn(_Schema):
    question: str = Field(min_length=1, max_length=1000, pattern=TEXT)
    now: Instant | None = Field(default=None,
                                      description="Reference for 'now' and relative dates.")
    known_at: Instant | None = Field(default=None,
                                           description="Answer as believed at this time.")
    asker: str | None = Field(default=None, max_length=300, pattern=NAME,
                              description="Who asks: 'I'/'my' in the question.")


class AskOut(BaseModel):
    question: str
    status: Literal["answered", "nothing_known", "unparseable"]
    message: str
    answers: list[str]
    date: str | None
    instant: str | None
    facts: list[dict[str, Any]]
    intervals: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    closest: list[dict[str, Any]]
    parsed: dict[str, Any] | None
    passages: list[dict[str, Any]] = Field(description=(
        "The messages closest to the question (hybrid retrieval when an embedding model is "
        "configured, else full text), recorded by the answer's known_at: context to read, "
        "not what the answer relied on (that is `evidence`)."))


class ContextIn(_Schema):
    subject: str = Field(min_length=1, max_length=300, pattern=NAME)
    query: str | None = Field(default=None, max_length=2000, pattern=TEXT)
    budget_tokens: int = Field(default=300, ge=16, le=100_000)
    now: Instant | None = None


class ContextOut(_Schema):
    subject: str
    text: str
    tokens: int
    budget_tokens: int
    included: list[str]
    omitted: int


class SearchHitOut(_Schema):
    kind: Literal["episode", "fact"]
    id: str
    score: float
    text: str


class SearchOut(_Page):
    items: list[SearchHitOut] = Field(description="Best first.")


class EntityOut(_Schema):
    id: str
    name: str
    type: str
    aliases: list[str]


class EntitiesOut(_Page):
    items: list[EntityOut] = Field(description="Ordered by name.")


class TimelineOut(_Page):
    entity_id: str
    name: str
    known_at: str | None
    predicates: dict[str, list[FactOut]] = Field(
        description="This page's entries, grouped by predicate (ordered by predicate, then "
                    "start); the next page may continue the last predicate.")


class AuditEventOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    targets: list[str]
    superseded: list[str]
    episode_id: str | None
    fact_key: str | None
    reason: str | None
    content_hash: str
    prev_hash: str
    hash: str
    signature: str | None
    key_id: str | None = Field(
        None, description="The id of the audit key that signed the event (null: unsigned, or "
        "signed before key ids); it changes only at a key_rotated event.")
    commitments: dict[str, str] = Field(
        default_factory=dict, description="On an erased event: the hash each erased or "
        "redacted row had, by target (a redacted row that survives: '<before> <after>'), so "
        "the events that wrote them stay verifiable; covered by the event's hash when present.")


class AuditOut(_Page):
    items: list[AuditEventOut] = Field(description="In seq order.")


class CheckpointIn(_Schema):
    seq: int = Field(ge=0)
    hash: str = Field(min_length=64, max_length=64)


class VerifyIn(_Schema):
    checkpoint: CheckpointIn | None = None


class VerifyOut(_Schema):
    ok: bool
    events_checked: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None
    reason: str | None
    signatures_checked: bool
    signed_from: int | None = Field(
        None, description="The seq the chain's signatures start at (null: an unsigned chain). "
        "Set while signatures_checked is false: the hashes are intact, but the signatures "
        "were not checked (the server has no audit key).")


class ErasureOut(_Schema):
    entity_id: str | None = Field(description="The erased entity's id; null when a speaker "
                                  "who is no entity was erased (their messages only).")
    versions: int
    claims: int
    episodes: int
    audit_seq: int


class Problem(_Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
