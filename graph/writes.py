"""Planning one write transaction: assertions → claims → reconciled versions → audit events.

A :class:`WritePlanner` reads what it needs through a :class:`~graph.contract.WriteTx`, applies
the pure rules of :mod:`graph.rules`, and accumulates everything into one
:class:`~graph.contract.WriteBatch` for the adapter to persist. It never writes by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asof.graph import ids
from asof.graph.audit import (
    CLAIM,
    ENTITY,
    EPISODE,
    GENESIS_HASH,
    VERSION,
    alias_row,
    key_id,
    make_event,
    source_row,
    target,
)
from asof.graph.contract import AuditHead, PlanningReads, Source, WriteBatch
from asof.graph.errors import InvalidInputError, ReplayOrderError
from asof.graph.instants import check_interval, end_us, isoformat, start_us
from asof.graph.models import (
    AssertionKind,
    AuditAction,
    AuditEvent,
    Basis,
    Claim,
    Entity,
    EntityRef,
    Episode,
    FactAssertion,
    FactVersion,
    Granularity,
)
from asof.graph.predicates import LITERAL, Predicate, PredicateRegistry
from asof.graph.rules import (
    Change,
    Segment,
    claims_holding,
    day_start,
    derive_view,
    granularity_end,
    reconcile,
    segment_at,
)


def transaction_time(clock_now: datetime, head: AuditHead | None) -> datetime:
    """Strictly increasing per tenant: if the clock went backwards, 1 µs after the head."""
    if head is not None and clock_now <= head.at:
        return head.at + timedelta(microseconds=1)
    return clock_now


def replay_time(episode: Episode, head: AuditHead | None) -> datetime:
    """The transaction time a replayed ``episode`` is recorded at: its message time, moved a
    microsecond past the head when messages share a timestamp.

    Raises:
        ReplayOrderError: the message lies before the tenant's head by more than those steps
            (at most one microsecond per event so far): recording it at the head would file its
            facts later than the message, where "as known at" its own time finds nothing.
    """
    if head is not None and episode.occurred_at < head.at - timedelta(microseconds=head.seq):
        raise ReplayOrderError(tenant=episode.tenant, episode_id=episode.id,
                               conversation_id=episode.conversation_id,
                               occurred_at=episode.occurred_at.isoformat(),
                               head_at=head.at.isoformat())
    return transaction_time(episode.occurred_at, head)


@dataclass(frozen=True, slots=True)
class ErasureResult:
    """What one erasure removed, and the event that records it."""

    #: None: a speaker who was no entity (only their messages were erased)
    entity_id: str | None
    versions: int
    claims: int
    episodes: int
    event: AuditEvent


@dataclass(slots=True)
class WriteResult:
    """What one write did."""

    recorded_at: datetime | None
    duplicate: bool = False
    episode_ids: list[str] = field(default_factory=list)
    written: list[FactVersion] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    confirmed: int = 0
    claims: int = 0
    events: list[AuditEvent] = field(default_factory=list)

    def merge(self, other: WriteResult) -> None:
        self.recorded_at = other.recorded_at or self.recorded_at
        self.episode_ids += other.episode_ids
        self.written += other.written
        self.closed += other.closed
        self.confirmed += other.confirmed
        self.claims += other.claims
        self.events += other.events


_INTENT_ACTION = {
    AssertionKind.RETRACT: AuditAction.RETRACTED,
    AssertionKind.CORRECT: AuditAction.CORRECTED,
}


class WritePlanner:
    """Accumulates one transaction's batch. Use once per transaction."""

    def __init__(self, tx: PlanningReads, *, tenant: str, now: datetime,
                 head: AuditHead | None,
                 registry: PredicateRegistry, actor: str, audit_key: bytes | None,
                 secret: bytes | None = None) -> None:
        self.tx = tx
        #: the tenant's secret: keys new entity ids and the rows' audit hashes
        self.secret = secret
        self.tenant = tenant
        self.now = now
        self.registry = registry
        self.actor = actor
        self.audit_key = audit_key
        self.batch = WriteBatch(superseded_at=now)
        self.result = WriteResult(recorded_at=now)
        self._seq = head.seq if head else 0
        self._prev = head.hash if head else GENESIS_HASH
        self._entities: dict[str, Entity] = {}
        #: Entities, aliases and provenance links made since the last event: they join the
        #: batch with the next event, which names them, so no row is stored without one. Names
        #: resolved after the last event (a retraction about someone of whom nothing holds)
        #: are stored nowhere: no row refers to them.
        self._pending_entities: list[Entity] = []
        self._pending_aliases: list[tuple[str, str]] = []
        self._pending_sources: list[Source] = []

    def head(self) -> AuditHead:
        """The audit head once this planner's batch is written."""
        return AuditHead(seq=self._seq, hash=self._prev, at=self.now,
                         signed=self.audit_key is not None,
                         key_id=key_id(self.audit_key) if self.audit_key else None)

    # ------------------------------------------------------------------ audit

    def event(self, action: AuditAction, rows: Sequence[tuple[str, str, dict[str, Any]]],
              *, superseded: Sequence[str] = (), episode_id: str | None = None,
              fact_key: str | None = None, reason: str | None = None) -> AuditEvent:
        """Append an event that wrote ``rows`` ((kind, id, content) triples), and the
        entities, aliases and provenance links made since the last event."""
        rows = [*rows, *((ENTITY, e.id, _entity_content(e)) for e in self._pending_entities),
                *(alias_row(entity_id, alias) for entity_id, alias in self._pending_aliases),
                *(source_row(s.version_id, s.claim_id, s.episode_id)
                  for s in self._pending_sources)]
        self.batch.entities.extend(self._pending_entities)
        self.batch.aliases.extend(self._pending_aliases)
        self.batch.sources.extend(self._pending_sources)
        self._pending_entities, self._pending_aliases, self._pending_sources = [], [], []
        self._seq += 1
        event = make_event(
            seq=self._seq, prev_hash=self._prev, tenant=self.tenant, at=self.now,
            actor=self.actor, action=action, contents=[content for _, _, content in rows],
            targets=[target(kind, row_id) for kind, row_id, _ in rows], superseded=superseded,
            episode_id=episode_id, fact_key=fact_key, reason=reason, key=self.audit_key,
            row_secret=self.secret)
        self._prev = event.hash
        self.batch.events.append(event)
        self.result.events.append(event)
        return event

    # ------------------------------------------------------------------ episodes, entities

    def add_episode(self, episode: Episode) -> Episode:
        stored = episode.model_copy(update={"ingested_at": self.now})
        self.batch.episodes.append(stored)
        self.result.episode_ids.append(stored.id)
        self.event(AuditAction.INGESTED, [(EPISODE, stored.id, episode_content(stored))],
                   episode_id=stored.id)
        return stored

    def preload(self, refs: Sequence[EntityRef]) -> None:
        keys = sorted({ids.normalize_name(r.name) for r in refs} - set(self._entities))
        if not keys:
            return
        found = sorted(self.tx.find_entities(keys), key=ids.entity_order)
        # An entity's own name before another's alias, as store.entity resolves a name.
        for entity in found:
            self._entities.setdefault(ids.normalize_name(entity.name), entity)
        for entity in found:
            for alias in entity.aliases:
                self._entities.setdefault(ids.normalize_name(alias), entity)

    def resolve(self, ref: EntityRef) -> Entity:
        key = ids.normalize_name(ref.name)
        entity = self._entities.get(key)
        if entity is None:
            entity = Entity(id=ids.entity_id(self.tenant, ref.type, ref.name, self.secret),
                            tenant=self.tenant,
                            name=ref.name, type=ref.type)
            self._pending_entities.append(entity)
            self._entities[key] = entity
        known = {ids.normalize_name(n) for n in (entity.name, *entity.aliases)}
        for alias in (ref.name, *ref.aliases):
            norm = ids.normalize_name(alias)
            if norm not in known:
                known.add(norm)
                self._pending_aliases.append((entity.id, alias))
                entity = entity.model_copy(update={"aliases": (*entity.aliases, alias)})
                self._entities[norm] = entity
        for norm in known:
            self._entities[norm] = entity
        return entity

    # ------------------------------------------------------------------ assertions

    def add_assertions(self, assertions: Sequence[FactAssertion], *, observed_at: datetime,
                       episode_id: str | None) -> None:
        refs: list[EntityRef] = []
        for a in assertions:
            refs.append(a.subject)
            refs.extend(r for r in (a.object, a.corrects) if r is not None)
        self.preload(refs)
        groups: dict[tuple[str, str], list[tuple[int, FactAssertion]]] = {}
        for index, a in enumerate(assertions):
            predicate = self.registry.get(a.predicate)
            subject = self.resolve(a.subject)
            groups.setdefault((subject.id, predicate.name), []).append((index, a))
        for (subject_id, name), items in groups.items():
            self._apply_group(subject_id, self.registry.get(name), items, observed_at,
                              episode_id)

    def retract_expired(self, versions: Sequence[FactVersion]) -> None:
        """Retraction claims at ``expires_at`` for versions whose TTL has passed."""
        groups: dict[tuple[str, str], list[FactVersion]] = {}
        for v in versions:
            if v.expires_at is not None and (v.valid_to is None or v.valid_to > v.expires_at):
                groups.setdefault((v.subject_id, v.predicate), []).append(v)
        for (subject_id, name), expired in groups.items():
            predicate = self.registry.get(name)
            claims = self.tx.current_claims(subject_id, name)
            new = [self._claim(subject_id, predicate, v.object_id, v.object_value,
                               valid_from=v.expires_at, valid_to=None, basis=Basis.STATED,
                               granularity=None, retraction=True,
                               observed_at=v.expires_at or self.now, episode_id=None,
                               confidence=1.0, evidence=None, extractor="asof-expire",
                               salt=i)
                   for i, v in enumerate(expired)]
            self._reconcile(subject_id, predicate, claims + new, new, [], intent="expire",
                            episode_id=None)

    def _apply_group(self, subject_id: str, predicate: Predicate,
                     items: Sequence[tuple[int, FactAssertion]], observed_at: datetime,
                     episode_id: str | None) -> None:
        claims = self.tx.current_claims(subject_id, predicate.name)
        new: list[Claim] = []
        dropped: list[Claim] = []
        lineage: dict[str, list[Claim]] = {}  # corrected claim id -> the claims it replaced
        intent = "assert"
        for index, a in items:
            if a.kind is AssertionKind.RETRACT:
                intent = "retract" if intent == "assert" else intent
                made = self._retraction(subject_id, predicate, a, claims, observed_at,
                                        episode_id, index)
            elif a.kind is AssertionKind.CORRECT:
                intent = "correct"
                made, replaced = self._correction(subject_id, predicate, a, claims,
                                                  observed_at, episode_id, index)
                created = {c.claim_id for c in new}
                # Provenance of what it corrects, but only of claims that are stored: a claim
                # made earlier in this episode and corrected now is never written.
                lineage[made[0].claim_id] = [c for c in (*replaced, *(
                    old for r in replaced for old in lineage.get(r.claim_id, ())))
                    if c.claim_id not in created]
                dropped.extend(c for c in replaced if c.claim_id not in created)
                gone = {c.claim_id for c in replaced}
                claims = [c for c in claims if c.claim_id not in gone]
                new = [c for c in new if c.claim_id not in gone]
            else:
                made = [self._assertion_claim(subject_id, predicate, a, observed_at,
                                              episode_id, index)]
            claims = claims + made
            new.extend(made)
        self._reconcile(subject_id, predicate, claims, new, dropped, intent=intent,
                        episode_id=episode_id, lineage=lineage)

    def _reconcile(self, subject_id: str, predicate: Predicate, claims: Sequence[Claim],
                   new: Sequence[Claim], dropped: Sequence[Claim], *, intent: str,
                   episode_id: str | None,
                   lineage: dict[str, list[Claim]] | None = None) -> None:
        versions = self.tx.current_versions(subject_id, predicate.name)
        stored_dropped = list(dropped)
        rec = reconcile(tenant=self.tenant, subject_id=subject_id, predicate=predicate,
                        current_versions=versions, claims=claims,
                        new_claim_ids=frozenset(c.claim_id for c in new), now=self.now)
        self.batch.claims.extend(new)
        self.result.claims += len(new)
        self.batch.superseded_claims.extend(c.claim_id for c in stored_dropped)
        self.batch.versions.extend(rec.new_versions)
        self.batch.superseded_versions.extend(v.version_id for v in rec.superseded)
        self.result.written.extend(rec.new_versions)
        self.result.closed.extend(v.version_id for v in rec.superseded)
        links = list(rec.links)
        if lineage:  # a corrected fact keeps the provenance of what it corrected
            links += [(version_id, old) for version_id, c in rec.links
                      for old in lineage.get(c.claim_id, ())]
        # Each link rides on the event that writes its version, or else the claim it links.
        unlinked = [Source(version_id, c.claim_id, c.episode_id, self.now)
                    for version_id, c in links]

        def link_rows(version_id: str | None,
                      claims_: Sequence[Claim]) -> list[tuple[str, str, dict[str, Any]]]:
            claim_ids = {c.claim_id for c in claims_}
            taken = [s for s in unlinked
                     if s.version_id == version_id or s.claim_id in claim_ids]
            for s in taken:
                unlinked.remove(s)
            self.batch.sources.extend(taken)
            return [source_row(s.version_id, s.claim_id, s.episode_id) for s in taken]

        pending_claims = {c.claim_id: c for c in new}
        pending_dropped = [target(CLAIM, c.claim_id) for c in stored_dropped]

        def claim_rows(claims_: Sequence[Claim]) -> list[tuple[str, str, dict[str, Any]]]:
            rows = []
            for c in claims_:
                if pending_claims.pop(c.claim_id, None) is not None:
                    rows.append((CLAIM, c.claim_id, c.content()))
            return rows

        for change in rec.changes:
            rows = claim_rows(change.claims)
            superseded = list(pending_dropped)
            pending_dropped.clear()
            if change.kind == "confirm":
                self.result.confirmed += 1
                assert change.version is not None
                rows += link_rows(None, change.claims)
                self.event(AuditAction.CONFIRMED, rows, superseded=superseded,
                           episode_id=episode_id, fact_key=change.version.fact_key,
                           reason=f"supports {change.version.version_id}")
                continue
            if change.kind == "write":
                assert change.version is not None
                version = change.version
                rows = [(VERSION, version.version_id, version.content()), *rows,
                        *link_rows(version.version_id, change.claims)]
                if change.replaced is not None:
                    superseded.append(target(VERSION, change.replaced.version_id))
                self.event(_write_action(intent, change), rows, superseded=superseded,
                           episode_id=episode_id, fact_key=version.fact_key)
                continue
            assert change.replaced is not None
            superseded.append(target(VERSION, change.replaced.version_id))
            self.event(_close_action(intent), rows, superseded=superseded,
                       episode_id=episode_id, fact_key=change.replaced.fact_key,
                       reason="no longer in the valid-time view")
        self._pending_sources.extend(unlinked)
        if pending_claims or pending_dropped:
            leftover = list(pending_claims.values())
            self.event(_close_action(intent) if intent != "assert" else AuditAction.ASSERTED,
                       [(CLAIM, c.claim_id, c.content()) for c in leftover],
                       superseded=pending_dropped, episode_id=episode_id,
                       reason="recorded; the valid-time view did not change")

    # ------------------------------------------------------------------ claims

    def _object(self, predicate: Predicate, obj: EntityRef | None,
                value: str | None) -> tuple[str | None, str | None, str]:
        """(object_id, object_value, object_key), converting between entity and literal
        objects as the predicate's object types require."""
        accepts_literal = LITERAL in predicate.object_types
        if obj is not None and predicate.literal_object:
            value, obj = obj.name, None
        if value is not None and not accepts_literal:
            entity_types = [t for t in predicate.object_types if t != LITERAL]
            obj, value = EntityRef(name=value, type=entity_types[0]), None
        if obj is not None:
            entity = self.resolve(obj)
            return entity.id, None, entity.id
        if value is None:
            raise InvalidInputError(f"{predicate.name}: an object or a value is required")
        value = " ".join(value.split())
        return None, value, ids.literal_key(value)

    def _claim(self, subject_id: str, predicate: Predicate, object_id: str | None,
               object_value: str | None, *, valid_from: datetime | None,
               valid_to: datetime | None, basis: Basis, granularity: Granularity | None,
               retraction: bool, observed_at: datetime, episode_id: str | None,
               confidence: float, evidence: str | None, extractor: str, salt: int) -> Claim:
        object_key = object_id if object_id is not None else ids.literal_key(object_value or "")
        # The id opens with the assertion's place in its episode: claims that tie on start,
        # observation and arrival (one message stating two objects of a one-valued predicate)
        # are ordered as the message said them, whatever the tenant's name hashes to.
        claim_id = f"clm_{salt:07x}" + ids.digest(
            "claim", self.tenant, subject_id, predicate.name, object_key, retraction,
            isoformat(valid_from), isoformat(valid_to), isoformat(observed_at), episode_id,
            isoformat(self.now), salt, length=17)
        return Claim(
            claim_id=claim_id, tenant=self.tenant, subject_id=subject_id,
            predicate=predicate.name, object_key=object_key, object_id=object_id,
            object_value=object_value, retraction=retraction, valid_from=valid_from,
            valid_to=valid_to, basis=basis, granularity=granularity, observed_at=observed_at,
            episode_id=episode_id, recorded_at=self.now, confidence=confidence,
            evidence=evidence, extractor=extractor)

    def _assertion_claim(self, subject_id: str, predicate: Predicate, a: FactAssertion,
                         observed_at: datetime, episode_id: str | None, salt: int) -> Claim:
        object_id, object_value, _ = self._object(predicate, a.object, a.value)
        valid_from, valid_to, basis = interval_of(a, predicate, observed_at)
        return self._claim(subject_id, predicate, object_id, object_value,
                           valid_from=valid_from, valid_to=valid_to, basis=basis,
                           granularity=a.granularity, retraction=False,
                           observed_at=observed_at, episode_id=episode_id,
                           confidence=a.confidence, evidence=a.evidence,
                           extractor=a.extractor, salt=salt)

    def _retraction(self, subject_id: str, predicate: Predicate, a: FactAssertion,
                    claims: Sequence[Claim], observed_at: datetime, episode_id: str | None,
                    salt: int) -> list[Claim]:
        at = a.valid_to or a.valid_from or observed_at
        if a.object is not None or a.value is not None:
            object_id, object_value, _ = self._object(predicate, a.object, a.value)
            objects = [(object_id, object_value)]
        else:  # whatever holds just before `at`
            holding = segment_at(derive_view(claims, predicate),
                                 at - timedelta(microseconds=1))
            objects = [(s.object_id, s.object_value) for s in holding]
        return [self._claim(subject_id, predicate, object_id, object_value, valid_from=at,
                            valid_to=None, basis=Basis.STATED, granularity=a.granularity,
                            retraction=True, observed_at=observed_at, episode_id=episode_id,
                            confidence=a.confidence, evidence=a.evidence,
                            extractor=a.extractor, salt=salt * 1000 + i)
                for i, (object_id, object_value) in enumerate(objects)]

    def _correction(self, subject_id: str, predicate: Predicate, a: FactAssertion,
                    claims: Sequence[Claim], observed_at: datetime, episode_id: str | None,
                    salt: int) -> tuple[list[Claim], list[Claim]]:
        """The corrected claim, and the claims it supersedes."""
        object_id, object_value, object_key = self._object(predicate, a.object, a.value)
        segments = derive_view(claims, predicate)
        if a.corrects is not None or a.corrects_value is not None:
            _, _, wrong_key = self._object(predicate, a.corrects, a.corrects_value)
            candidates = [s for s in segments if s.object_key == wrong_key]
        else:
            candidates = [s for s in segments if s.object_key == object_key]
        if not candidates:
            return [self._assertion_claim(subject_id, predicate, a, observed_at, episode_id,
                                          salt)], []
        segment = max(candidates, key=lambda s: start_us(s.valid_from))
        replaced = [c for c in segment.claims if not c.retraction]
        valid_from, basis = _corrected_start(a, segment)
        valid_to = a.valid_to if a.valid_to is not None else _stated_end(
            replaced, claims, segment, predicate)
        check_interval(valid_from, valid_to)  # inverted: reject, never silently reopen
        claim = self._claim(subject_id, predicate, object_id, object_value,
                            valid_from=valid_from, valid_to=valid_to, basis=basis,
                            granularity=a.granularity or segment.start_claim.granularity,
                            retraction=False, observed_at=observed_at, episode_id=episode_id,
                            confidence=a.confidence, evidence=a.evidence,
                            extractor=a.extractor, salt=salt)
        return [claim], replaced


def interval_of(a: FactAssertion, predicate: Predicate,
                observed_at: datetime) -> tuple[datetime | None, datetime | None, Basis]:
    """The claim interval of an assertion (rules 6 and 7)."""
    if predicate.event:
        start = a.valid_from or day_start(observed_at)
        end = a.valid_to or granularity_end(start, a.granularity)
        return start, end, a.effective_basis if a.valid_from else Basis.OBSERVED
    basis = a.effective_basis
    if basis is Basis.UNKNOWN:
        end = a.valid_to or observed_at
        return None, end, basis
    if a.valid_from is not None:
        return a.valid_from, a.valid_to, basis
    if a.valid_to is not None and a.valid_to <= observed_at:
        return None, a.valid_to, Basis.UNKNOWN  # "until 2023", said afterwards
    return observed_at, a.valid_to, Basis.OBSERVED


def _corrected_start(a: FactAssertion, segment: Segment) -> tuple[datetime | None, Basis]:
    if a.valid_from is not None:
        return a.valid_from, a.effective_basis
    return segment.valid_from, segment.start_claim.basis


def _stated_end(replaced: Sequence[Claim], claims: Sequence[Claim], segment: Segment,
                predicate: Predicate) -> datetime | None:
    """The end stated by the claims that carry the version to its last instant: open if one
    of them is open (a shorter claim inside an open version must not become its end)."""
    if segment.valid_to is None:
        return None
    last = end_us(segment.valid_to) - 1
    wanted = {c.claim_id for c in replaced}
    reaching = [c for c in claims_holding(claims, predicate, last)
                if c.claim_id in wanted] or list(replaced)
    ends = [c.valid_to for c in reaching]
    return None if None in ends else max(e for e in ends if e is not None)


def _write_action(intent: str, change: Change) -> AuditAction:
    if intent == "expire":
        return AuditAction.EXPIRED
    if intent in ("retract", "correct"):
        return _INTENT_ACTION[AssertionKind(intent)]
    replaced, version = change.replaced, change.version
    if replaced is None or version is None:
        return AuditAction.ASSERTED
    if (replaced.valid_from, replaced.valid_to) == (version.valid_from, version.valid_to):
        return AuditAction.CONFIRMED  # same interval: a TTL refresh
    if replaced.valid_from == version.valid_from:
        return AuditAction.CLOSED
    return AuditAction.CORRECTED


def _close_action(intent: str) -> AuditAction:
    if intent == "expire":
        return AuditAction.EXPIRED
    if intent == "retract":
        return AuditAction.RETRACTED
    return AuditAction.CORRECTED


def episode_content(episode: Episode) -> dict[str, Any]:
    return episode.model_dump(mode="json")


def _entity_content(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "tenant": entity.tenant, "name": entity.name, "type": entity.type}
