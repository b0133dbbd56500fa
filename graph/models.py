"""Domain models. Every instant is timezone-aware (``AwareDatetime``) and normalised to UTC."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    model_validator,
)

from asof.graph import ids
from asof.graph.errors import InvalidInputError, NaiveDatetimeError
from asof.graph.instants import check_interval, isoformat


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # "0001-01-01T00:00+01:00" is before the first instant UTC can hold
        raise ValueError("instant out of range: it falls outside the years 1 to 9999 in "
                         "UTC") from None


#: An aware instant normalised to UTC. Naive datetimes fail validation.
Instant = Annotated[AwareDatetime, AfterValidator(_utc)]

#: Upper bound on an episode's text; the API may configure a smaller one.
MAX_TEXT_CHARS = 100_000
MAX_NAME_CHARS = 300


def clean_text(value: str, field: str, *, allow_newlines: bool = True) -> str:
    """Reject control characters (other than tab/newline in free text)."""
    for ch in value:
        if unicodedata.category(ch) == "Cc" and not (allow_newlines and ch in "\t\n\r"):
            raise InvalidInputError(
                f"{field}: control character U+{ord(ch):04X} is not allowed"
            )
    return value


def _name(value: str) -> str:
    value = clean_text(value, "name", allow_newlines=False).strip()
    if not value:
        raise InvalidInputError("name: must not be empty")
    if len(value) > MAX_NAME_CHARS:
        raise InvalidInputError(f"name: longer than {MAX_NAME_CHARS} characters")
    if not ids.normalize_name(value):
        raise InvalidInputError(f"name: {value!r} has no letters or digits")
    return value


Name = Annotated[str, AfterValidator(_name)]


def input_error(exc: ValidationError, context: str = "") -> InvalidInputError:
    """Translate pydantic's error into the project's, keeping the helpful naive-time message."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or context or "input"
    if first.get("type") == "timezone_aware":
        return NaiveDatetimeError(field, first.get("input"))
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, InvalidInputError):
        return cause
    prefix = f"{context}: " if context else ""
    return InvalidInputError(f"{prefix}{field}: {first.get('msg', 'invalid')}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def parse(cls, data: Any, context: str = "") -> Self:
        """Validate ``data``; errors become :class:`InvalidInputError` (never pydantic's)."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise input_error(exc, context) from None


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    TOOL = "tool"


class Basis(StrEnum):
    """Where a version's valid_from comes from."""

    STATED = "stated"  #: the text gave the start
    OBSERVED = "observed"  #: no start given: the message time
    UNKNOWN = "unknown"  #: "used to": the start is not known


class Granularity(StrEnum):
    INSTANT = "instant"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"


class AssertionKind(StrEnum):
    ASSERT = "assert"
    RETRACT = "retract"
    CORRECT = "correct"


class AuditAction(StrEnum):
    INGESTED = "ingested"
    ASSERTED = "asserted"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    CORRECTED = "corrected"
    RETRACTED = "retracted"
    EXPIRED = "expired"
    ERASED = "erased"
    #: the first signed event of a store that was unsigned until then ("signed from seq N")
    SIGNING_ENABLED = "signing_enabled"
    #: a signed checkpoint of the chain was taken (``asof audit checkpoint``)
    CHECKPOINTED = "checkpointed"
    #: the audit key was replaced: this event and the later ones carry the new key's id
    KEY_ROTATED = "key_rotated"
    #: the first write under another predicate registry (its sha256 in ``reason``)
    REGISTRY_CHANGED = "registry_changed"


class Episode(_Frozen):
    """One message. Immutable; its id makes ingestion idempotent."""

    id: str
    tenant: str
    conversation_id: str
    speaker: str
    role: Role = Role.USER
    occurred_at: Instant
    text: str = Field(max_length=MAX_TEXT_CHARS)
    ingested_at: Instant | None = None
    metadata: dict[str, JsonValue] = Field(default_factory=dict)

    @classmethod
    def create(
        cls,
        *,
        tenant: str,
        speaker: str,
        occurred_at: datetime,
        text: str,
        conversation_id: str = "default",
        role: Role | str = Role.USER,
        id: str | None = None,
        metadata: dict[str, JsonValue] | None = None,
    ) -> Episode:
        """Build an episode; its id is ``id`` or a hash of its content."""
        ids.validate_tenant(tenant)
        checked = cls.parse(
            {"id": id or "pending", "tenant": tenant, "conversation_id": conversation_id,
             "speaker": speaker, "role": role, "occurred_at": occurred_at, "text": text,
             "metadata": metadata or {}}
        )
        if id is None:
            iso = isoformat(checked.occurred_at)
            assert iso is not None
            id = ids.episode_id(tenant, conversation_id, speaker, iso, text)
        return checked.model_copy(update={"id": id})

    @model_validator(mode="after")
    def _check(self) -> Self:
        clean_text(self.text, "text")
        if not self.text.strip():
            raise InvalidInputError("text: must not be empty")
        _name(self.speaker)
        if not self.id or len(self.id) > 512:
            raise InvalidInputError("id: must be 1-512 characters")
        clean_text(self.id, "id", allow_newlines=False)
        clean_text(self.conversation_id, "conversation_id", allow_newlines=False)
        return self


class EntityRef(_Frozen):
    """An entity as named in an assertion, before resolution to an id."""

    name: Name
    type: str = "concept"
    aliases: tuple[Name, ...] = ()


class Entity(_Frozen):
    id: str
    tenant: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


class FactAssertion(_Frozen):
    """What extraction or a caller asserts; the write rules turn it into fact versions.

    - ``kind=assert``: the subject has ``object`` (an entity) or ``value`` (a literal) over
      ``[valid_from, valid_to)``. No start: the message time, basis ``observed``.
    - ``kind=retract``: the fact ends at ``valid_from`` (or the message time). For a ``one``
      predicate the object may be omitted: whatever holds then is retracted.
    - ``kind=correct``: replaces the latest belief about ``corrects`` (or the same object) with
      this object and interval.
    """

    subject: EntityRef
    predicate: str
    object: EntityRef | None = None
    value: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    basis: Basis | None = None
    granularity: Granularity | None = None
    kind: AssertionKind = AssertionKind.ASSERT
    corrects: EntityRef | None = None
    corrects_value: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    evidence: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    evidence_start: int | None = Field(default=None, ge=0)
    evidence_end: int | None = Field(default=None, ge=0)
    extractor: str = "manual"

    @model_validator(mode="after")
    def _check(self) -> Self:
        check_interval(self.valid_from, self.valid_to)
        if self.object is not None and self.value is not None:
            raise InvalidInputError("give either object (an entity) or value (a literal), not both")
        if self.value is not None:
            clean_text(self.value, "value", allow_newlines=False)
            if not ids.normalize_name(self.value):
                raise InvalidInputError("value: must contain letters or digits")
        if self.kind is not AssertionKind.RETRACT and self.object is None and self.value is None:
            raise InvalidInputError(f"{self.kind.value}: an object or a value is required")
        if self.evidence is not None:
            clean_text(self.evidence, "evidence")
        return self

    @property
    def effective_basis(self) -> Basis:
        if self.basis is not None:
            return self.basis
        return Basis.STATED if self.valid_from is not None else Basis.OBSERVED


class Claim(_Frozen):
    """A stored assertion (or retraction) about one (subject, predicate, object): the input the
    valid-time view is derived from. Superseded only by corrections and erasure."""

    claim_id: str
    tenant: str
    subject_id: str
    predicate: str
    object_key: str
    object_id: str | None = None
    object_value: str | None = None
    retraction: bool = False
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    basis: Basis
    granularity: Granularity | None = None
    observed_at: Instant
    episode_id: str | None = None
    recorded_at: Instant
    superseded_at: Instant | None = None
    confidence: float = 1.0
    evidence: str | None = None
    extractor: str = "manual"

    def content(self) -> dict[str, Any]:
        """The immutable content covered by the audit chain."""
        return self.model_dump(mode="json", exclude={"superseded_at"})


class FactVersion(_Frozen):
    """One stored version of a fact on both time axes."""

    version_id: str
    tenant: str
    fact_key: str
    subject_id: str
    predicate: str
    object_id: str | None = None
    object_value: str | None = None
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    valid_from_basis: Basis
    granularity: Granularity | None = None
    recorded_at: Instant
    superseded_at: Instant | None = None
    supersedes: str | None = None
    expires_at: Instant | None = None
    extractor: str = "manual"
    confidence: float = 1.0
    evidence: str | None = None
    # Read-side enrichments (not part of the stored content):
    episode_ids: tuple[str, ...] = ()
    subject_name: str | None = None
    object_name: str | None = None

    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"episode_ids", "subject_name", "object_name", "superseded_at"})

    def content(self) -> dict[str, Any]:
        """The immutable content covered by the audit chain."""
        return self.model_dump(mode="json", exclude=set(self.READ_ONLY))

    @property
    def object_key(self) -> str:
        return self.object_id if self.object_id is not None else ids.literal_key(
            self.object_value or "")

    @property
    def object_label(self) -> str:
        return self.object_name or self.object_value or self.object_id or ""

    @property
    def sentence(self) -> str:
        """The fact as a short sentence ("Maya Okafor works at Brightline Health"): what search
        shows and what an embedding model reads (needs the read-side names)."""
        subject = self.subject_name or self.subject_id
        return f"{subject} {self.predicate.replace('_', ' ')} {self.object_label}"

    def valid_at(self, instant: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= instant) and (
            self.valid_to is None or instant < self.valid_to)

    def known_at(self, instant: datetime) -> bool:
        return self.recorded_at <= instant and (
            self.superseded_at is None or instant < self.superseded_at)


class AuditEvent(_Frozen):
    """One link of a tenant's append-only audit chain. Ids and hashes only, never raw text."""

    seq: int
    tenant: str
    at: Instant
    actor: str
    action: AuditAction
    targets: tuple[str, ...] = ()  #: ids of rows this event wrote
    superseded: tuple[str, ...] = ()  #: ids of rows this event closed in transaction time
    episode_id: str | None = None
    fact_key: str | None = None
    reason: str | None = None
    content_hash: str
    prev_hash: str
    hash: str
    signature: str | None = None
    #: the id of the key the signature was made with (``graph.audit.key_id``); ``None`` on
    #: unsigned events and on events signed before key ids existed
    key_id: str | None = None
    #: on an ``erased`` event: the hash each erased or redacted row had (``graph.audit.
    #: row_hash``), by target, so the events that wrote them stay checkable; a redacted row
    #: that survives has ``"<before> <after>"``, the second its hash as the erasure left it
    commitments: dict[str, str] = Field(default_factory=dict)

    def chained_content(self) -> dict[str, Any]:
        """What ``hash`` covers: everything but the hash and signature (and the key id and
        commitments when there are none, so events written before them keep their hashes)."""
        return self.model_dump(mode="json", exclude={"hash", "signature"} | (
            {"key_id"} if self.key_id is None else set()) | (
            set() if self.commitments else {"commitments"}))
