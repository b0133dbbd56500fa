"""Value types of the storage contract and the in-transaction write primitives.

An adapter subclasses :class:`graph.store.GraphStore`, implements its abstract read primitives,
and hands out :class:`WriteTx` objects (the primitives used inside one serialised write
transaction). Everything built on them — the write rules, audit chaining, erasure,
verification — lives once in the base class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, Protocol

from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion


class Capability(StrEnum):
    """What a backend can do; shared code branches on these, never on backend names."""

    FULLTEXT = "fulltext"
    CONCURRENT_WRITERS = "concurrent_writers"  #: several processes may write at once
    EXPLAIN = "explain"
    VECTOR = "vector"  #: stores embeddings and answers nearest-neighbour searches


@dataclass(frozen=True, slots=True)
class VersionQuery:
    """A read over fact versions. ``None`` filters match everything.

    - ``valid_at``: versions with ``valid_from <= valid_at < valid_to`` (open ends unbounded);
      ``None`` = any valid time.
    - ``known_at``: versions with ``recorded_at <= known_at < superseded_at``;
      ``None`` = every transaction-time version.
    - ``live_at``: drop versions whose ``expires_at <= live_at`` (TTL; used for current truth).
    - ``entity_id``: versions whose subject *or* object is this entity.
    - ``subject_key``: versions whose subject is any entity with this normalised name
      (:func:`graph.ids.normalize_name`) or alias, resolved in the same read.
    """

    subject_id: str | None = None
    subject_key: str | None = None
    predicate: str | None = None
    object_id: str | None = None
    object_value: str | None = None
    fact_key: str | None = None
    entity_id: str | None = None
    valid_at: datetime | None = None
    known_at: datetime | None = None
    live_at: datetime | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    hash: str
    at: datetime
    #: whether the head event carries a signature (the store's signing mode: once signed,
    #: every later event must be)
    signed: bool = False
    #: the id of the key the head event was signed with: every later event must be signed
    #: with it, until a ``key_rotated`` event (``None``: unsigned, or signed before key ids)
    key_id: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A provenance link: ``claim_id`` (from ``episode_id``) supports ``version_id``."""

    version_id: str
    claim_id: str
    episode_id: str | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Quote:
    """A provenance link as readers show it: ``version_id`` is supported by a claim from
    ``episode_id`` that quoted ``text`` (``None``: no quote kept, or erased); ``retraction``:
    that claim is the retraction that ended the version."""

    version_id: str
    episode_id: str | None
    text: str | None
    retraction: bool


@dataclass(slots=True)
class LinkRows:
    """A tenant's aliases, (entity id, alias), and provenance links, (version id, claim id,
    episode id), as stored: what verify holds against the chain; and the versions whose entry
    in a full-text index the adapter keeps itself no longer matches the version."""

    aliases: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, str, str | None]] = field(default_factory=list)
    fulltext_mismatches: list[str] = field(default_factory=list)


@dataclass(slots=True)
class WriteBatch:
    """Everything one write transaction persists. Rows are only ever inserted; the one change to
    an existing row is closing it in transaction time (``superseded_at``), listed separately."""

    episodes: list[Episode] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    #: (entity_id, alias) pairs added to existing or new entities
    aliases: list[tuple[str, str]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    versions: list[FactVersion] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    #: ids of versions / claims closed in transaction time at ``superseded_at``
    superseded_versions: list[str] = field(default_factory=list)
    superseded_claims: list[str] = field(default_factory=list)
    superseded_at: datetime | None = None
    events: list[AuditEvent] = field(default_factory=list)
    #: per-id closing instants that override ``superseded_at`` (a batch merged from several
    #: transactions' worth of writes closes each row at its own transaction time)
    closed_at: dict[str, datetime] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.episodes or self.entities or self.aliases or self.claims
                    or self.versions or self.sources or self.superseded_versions
                    or self.superseded_claims or self.events)

    def closings(self) -> tuple[list[tuple[str, datetime]], list[tuple[str, datetime]]]:
        """(version id, instant) and (claim id, instant) pairs to close, each id once.

        Raises:
            ValueError: a listed id has no closing instant (no ``superseded_at`` and no
                ``closed_at`` entry).
        """
        out: tuple[list[tuple[str, datetime]], list[tuple[str, datetime]]] = ([], [])
        for ids, pairs in ((self.superseded_versions, out[0]),
                           (self.superseded_claims, out[1])):
            for row_id in dict.fromkeys(ids):
                at = self.closed_at.get(row_id, self.superseded_at)
                if at is None:
                    raise ValueError(f"no closing instant for {row_id!r}: set "
                                     "WriteBatch.superseded_at or closed_at")
                pairs.append((row_id, at))
        return out


@dataclass(frozen=True, slots=True)
class Erasure:
    """What ``forget`` removes.

    Entities, versions and claims listed are deleted (with their aliases and source links).
    Episodes listed keep their id and times but lose their text and speaker (redacted, also
    from full-text indexes); they read back with text and speaker ``"[erased]"``.
    Versions and claims in ``redacted_*`` survive but lose their ``evidence`` (it quoted a
    redacted episode)."""

    entity_ids: list[str]
    version_ids: list[str]
    claim_ids: list[str]
    episode_ids: list[str]
    redacted_version_ids: list[str]
    redacted_claim_ids: list[str]
    event: AuditEvent


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: Literal["episode", "fact"]
    id: str  #: episode id or version id
    score: float
    text: str
    episode: Episode | None = None
    version: FactVersion | None = None


@dataclass(frozen=True, slots=True)
class Embedding:
    """A vector of one stored row under one embedding model: an episode's text (``id`` = the
    episode id) or a fact version's rendering (``id`` = the version id). Derived data: it is
    rebuilt from the rows, and is not evidence."""

    kind: Literal["episode", "fact"]
    id: str
    vector: Sequence[float]


class PlanningReads(Protocol):
    """The reads the write planner makes (:class:`graph.writes.WritePlanner`): of a write
    transaction, or of a view layering planned batches over one (``PendingTx``)."""

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose normalised name or a normalised alias is in ``keys``."""
        ...

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        """Claims of (subject, predicate) not superseded in transaction time."""
        ...

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        """Versions of (subject, predicate) not superseded in transaction time."""
        ...


class WriteTx(PlanningReads, Protocol):
    """Primitives available inside one write transaction of one tenant."""

    def lock_head(self) -> AuditHead | None:
        """Take the tenant's write lock and return its audit head (``None``: no events yet).
        Must be called first: it is what serialises writers of a tenant."""
        ...

    def tenant_secret(self, create: bytes | None = None) -> bytes | None:
        """The tenant's secret, which keys its entity ids and its rows' audit hashes
        (``None``: a tenant created before there was one). With ``create`` and no secret
        stored, store ``create`` as the secret and return it; the store passes it only for a
        tenant whose chain is empty. Call after :meth:`lock_head`."""
        ...

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        """The ids among ``episode_ids`` already stored (one read for a whole batch)."""
        ...

    def expired_versions(self, now: datetime) -> list[FactVersion]:
        """Versions not superseded whose ``expires_at <= now``."""
        ...

    def mentions(self, entity_id: str | None, names: Sequence[str]) -> tuple[
            list[str], list[str], list[str]]:
        """(version ids, claim ids, episode ids) that involve the entity: versions and claims
        where it is subject or object, and episodes that are their sources or whose text or
        speaker says one of ``names`` (:func:`~graph.ids.says_name`, compared fold-ed). Includes
        superseded rows. ``entity_id`` None: episodes only (a speaker who is no entity)."""
        ...

    def sourced_from(self, episode_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        """(version ids, claim ids) whose evidence comes from these episodes (via claims'
        ``episode_id`` and version source links). Includes superseded rows."""
        ...

    def write(self, batch: WriteBatch) -> None:
        """Persist ``batch``: close the listed rows (:meth:`WriteBatch.closings`), then insert
        every row. Rows are inserted with the ``superseded_at`` they carry (a row written and
        closed within one merged batch is inserted closed)."""
        ...

    def erase(self, erasure: Erasure) -> None:
        """Delete the listed entities, versions, claims (and their source links), redact the
        listed episodes' text everywhere (including full-text indexes), append the event."""
        ...
