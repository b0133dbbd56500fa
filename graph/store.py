"""The GraphStore contract: a handful of abstract primitives per adapter, everything else here.

An adapter (``SqliteStore``, ``Neo4jStore``) implements the abstract methods below; the temporal
write rules, audit chaining, erasure, expiry and verification are written once, in this class,
on top of them. A store handle is bound to one tenant; :meth:`GraphStore.for_tenant` gives a
sibling handle on the same client for another tenant.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from asof.graph.audit import (
    GENESIS_HASH,
    Checkpoint,
    VerifyReport,
    erasure_reason,
    key_id,
    make_event,
    rotation_reason,
)
from asof.graph.batches import PendingTx, merge_batches
from asof.graph.clock import Clock, SystemClock
from asof.graph.contract import (
    AuditHead,
    Capability,
    Embedding,
    LinkRows,
    PlanningReads,
    Quote,
    SearchHit,
    VersionQuery,
    WriteBatch,
    WriteTx,
)
from asof.graph.erasure import erase
from asof.graph.errors import AuditKeyRequiredError, InvalidInputError, NotFoundError
from asof.graph.fact_queries import fact_queries, in_fact_order
from asof.graph.ids import (
    canonical_json,
    could_be_entity_id,
    entity_id,
    entity_order,
    normalize_name,
    validate_tenant,
)
from asof.graph.instants import require_aware, start_us
from asof.graph.models import (
    AssertionKind,
    AuditAction,
    AuditEvent,
    Claim,
    Entity,
    EntityRef,
    Episode,
    FactAssertion,
    FactVersion,
    Role,
)
from asof.graph.predicates import LITERAL, PredicateRegistry, default_registry
from asof.graph.verification import verify_store
from asof.graph.write_lock import lock_head
from asof.graph.writes import (
    ErasureResult,
    WritePlanner,
    WriteResult,
    replay_time,
    transaction_time,
)

T = TypeVar("T")


class GraphStore(ABC):
    """A bitemporal fact store bound to one tenant.

    Args:
        tenant: the tenant every read and write of this handle is confined to.
        clock: where transaction time comes from (tests inject a ``FakeClock``).
        registry: the predicate registry (defaults to the built-in one).
        audit_key: when set, every audit event is also signed with HMAC-SHA256.
        old_audit_keys: keys ``audit_key`` replaced (:meth:`rotate_key`): never used to sign,
            only to verify the events signed with them.
    """

    def __init__(
        self,
        *,
        tenant: str,
        clock: Clock | None = None,
        registry: PredicateRegistry | None = None,
        audit_key: bytes | None = None,
        old_audit_keys: Sequence[bytes] = (),
    ) -> None:
        self._tenant = validate_tenant(tenant)
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.registry = registry if registry is not None else default_registry()
        self.audit_key = audit_key
        self.old_audit_keys = tuple(old_audit_keys)
        #: the tenant's secret once read (:meth:`tenant_secret`); it never changes once stored
        self._secret: bytes | None = None

    @property
    def tenant(self) -> str:
        return self._tenant

    def for_tenant(self, tenant: str) -> GraphStore:
        """A handle on the same client, bound to ``tenant``."""
        clone = copy.copy(self)
        clone._tenant = validate_tenant(tenant)
        clone._secret = None  # the secret is the tenant's: read again for this one
        return clone

    # ------------------------------------------------------------------ adapter primitives

    @abstractmethod
    def run_write(self, work: Callable[[WriteTx], T]) -> T:
        """Run ``work`` in one serialised transaction for this tenant; commit if it returns,
        roll back if it raises. May re-run ``work`` on transient errors, so ``work`` must be
        idempotent (it is: it re-reads everything through the tx)."""

    @abstractmethod
    def find_versions(self, query: VersionQuery) -> list[FactVersion]:
        """Versions matching ``query``, enriched with ``episode_ids`` and entity names,
        ordered by (subject_id, predicate, valid_from with None first, recorded_at, version_id),
        at most ``query.limit``."""

    @abstractmethod
    def get_versions(self, version_ids: Sequence[str]) -> list[FactVersion]:
        """Versions by id (enriched like ``find_versions``); unknown ids are skipped."""

    @abstractmethod
    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]: ...

    @abstractmethod
    def find_claims(self, subject_id: str, predicate: str | None = None) -> list[Claim]:
        """All claims (current and superseded) of a subject, ordered by recorded_at, claim_id."""

    @abstractmethod
    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]: ...

    @abstractmethod
    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        """Entities whose normalised name or a normalised alias is in ``keys``."""

    @abstractmethod
    def list_entities(self, limit: int = 100, offset: int = 0) -> list[Entity]:
        """Entities ordered by name, id."""

    @abstractmethod
    def get_episodes(self, episode_ids: Sequence[str]) -> list[Episode]: ...

    @abstractmethod
    def episodes_around(self, episode_ids: Sequence[str], *, places: int,
                        known_at: datetime | None = None) -> dict[str, list[Episode]]:
        """For each episode, the episodes at most ``places`` places before and after it in its
        conversation (ordered by ``occurred_at``, then id), oldest first, the episode itself
        left out: the exchange hybrid retrieval reads around a hit. Only episodes ingested by
        ``known_at`` (``None``: all) count, and erased ones do not; unknown ids map to
        nothing."""

    @abstractmethod
    def get_provenance(self, version_ids: Sequence[str]) -> tuple[list[Quote], list[Episode]]:
        """The provenance links of these versions, each with its claim's quote, and the
        episodes they name (as :meth:`get_episodes`), in one read."""

    def find_versions_with_provenance(self, query: VersionQuery
                                      ) -> tuple[list[FactVersion], list[Quote], list[Episode]]:
        """:meth:`find_versions` and the :meth:`get_provenance` of what it found (an adapter
        may answer both in one read)."""
        versions = self.find_versions(query)
        quotes, episodes = self.get_provenance([v.version_id for v in versions if v.episode_ids])
        return versions, quotes, episodes

    @abstractmethod
    def audit_events(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        """Events with ``start_seq <= seq <= end_seq``, ordered by seq."""

    @abstractmethod
    def stored_tenant_secret(self) -> bytes | None:
        """The tenant's secret as stored (:meth:`WriteTx.tenant_secret`); ``None``: none."""

    @abstractmethod
    def row_ids(self) -> dict[str, list[str]]:
        """Every episode, claim and entity id of this tenant, sorted, by kind: what
        :meth:`verify` holds against the events that wrote them (to catch inserted rows)."""

    @abstractmethod
    def link_rows(self) -> LinkRows:
        """Aliases, provenance links and full-text mismatches of this tenant (for verify)."""

    @abstractmethod
    def search(self, text: str, *, limit: int = 10, valid_at: datetime | None = None,
               known_at: datetime | None = None) -> list[SearchHit]:
        """Full-text search over episode text and facts (entity names, literal values,
        evidence). Temporal filters apply to fact hits *before* the limit; episode hits are
        filtered by ``known_at`` (ingested by then). Best first. The text is a plain query:
        the adapter escapes it for its full-text syntax."""

    @abstractmethod
    def supports(self, capability: Capability) -> bool: ...

    # Embeddings (Capability.VECTOR; without it these raise UnsupportedError). Derived rows,
    # outside the audit chain: see docs/retrieval.md.
    @abstractmethod
    def put_embeddings(self, model: str, items: Sequence[Embedding]) -> None:
        """Store vectors made by ``model``; one already stored for (model, kind, id) is kept."""

    @abstractmethod
    def unembedded(self, model: str) -> list[tuple[str, str]]:
        """(kind, id) of the episodes (not erased) and versions with no vector under ``model``."""

    @abstractmethod
    def vector_search(self, vector: Sequence[float], *, model: str, limit: int = 10,
                      valid_at: datetime | None = None,
                      known_at: datetime | None = None) -> list[SearchHit]:
        """Nearest neighbours by cosine (the score), filtered as :meth:`search` filters."""

    @abstractmethod
    def migrate(self) -> list[str]:
        """Apply pending schema migrations (idempotent); return the names applied now."""

    @abstractmethod
    def close(self) -> None: ...

    # ------------------------------------------------------------------ writes

    def _now(self) -> datetime:
        return require_aware(self.clock.now(), "clock.now()")

    def _lock_head(self, tx: WriteTx, at: datetime | None = None
                   ) -> tuple[AuditHead | None, bytes | None]:
        """:func:`graph.write_lock.lock_head` for this store's tenant, key and clock."""
        return lock_head(tx, tenant=self.tenant, audit_key=self.audit_key, now=self._now, at=at)

    def _planner(self, tx: PlanningReads, head: AuditHead | None, secret: bytes | None,
                 actor: str | None, now: datetime | None = None) -> WritePlanner:
        now = now or transaction_time(self._now(), head)
        return WritePlanner(tx, tenant=self.tenant, now=now,
                            head=head, registry=self.registry, actor=actor or "asof",
                            audit_key=self.audit_key, secret=secret)

    def tenant_secret(self) -> bytes | None:
        """The tenant's secret (``None``: a tenant created before secrets, or none yet). Once
        stored it never changes, so it is read once."""
        if self._secret is None:
            self._secret = self.stored_tenant_secret()
        return self._secret

    def entity_id_for(self, entity_type: str, name: str) -> str:
        """The id the entity ``name`` of ``entity_type`` has (or would get) in this tenant."""
        return entity_id(self.tenant, entity_type, name, self.tenant_secret())

    def _check_assertions(self, assertions: Sequence[FactAssertion]) -> list[FactAssertion]:
        checked = []
        for index, a in enumerate(assertions):
            if not isinstance(a, FactAssertion):
                a = FactAssertion.parse(a, context=f"assertions[{index}]")
            self.registry.get(a.predicate)  # unknown predicates fail before any write
            checked.append(a)
        return checked

    def apply(self, episode: Episode, assertions: Sequence[FactAssertion] = (), *,
              actor: str | None = None) -> WriteResult:
        """Store one episode and what was extracted from it, in one transaction.

        Re-applying an episode that is already stored changes nothing (not even the audit log)
        and returns a result with ``duplicate=True``.
        """
        return self.apply_many([(episode, assertions)], actor=actor)[0]

    def apply_many(self, items: Sequence[tuple[Episode, Sequence[FactAssertion]]], *,
                   actor: str | None = None, replay: bool = False) -> list[WriteResult]:
        """Store several episodes and their assertions in one transaction (bulk loading).

        The result is exactly that of calling :meth:`apply` on each item in order — the same
        versions, claims and audit events, each episode with its own transaction time (read
        from the clock per episode, strictly increasing) — but with one write lock, one read of
        what the batch touches and one statement per kind of row. All or nothing: if any item
        is invalid, nothing is stored. One result per item, in order; an episode already stored
        (or earlier in ``items``) gives ``duplicate=True``.

        ``replay=True`` backfills history: each episode is recorded at its own message time
        instead of the clock's (:func:`~graph.writes.replay_time`), so "as known at" a message's
        time sees what it said; an episode earlier than the tenant's head raises
        :class:`~graph.errors.ReplayOrderError` and nothing is stored.
        """
        checked: list[tuple[Episode, list[FactAssertion]]] = []
        for episode, assertions in items:
            if episode.tenant != self.tenant:
                raise InvalidInputError(
                    f"episode {episode.id!r} belongs to tenant {episode.tenant!r}, "
                    f"but this store handle is bound to {self.tenant!r}")
            checked.append((episode, self._check_assertions(assertions)))
        if not checked:
            return []

        def work(tx: WriteTx) -> list[WriteResult]:
            head, secret = self._lock_head(tx, checked[0][0].occurred_at if replay else None)
            view = PendingTx(tx)
            stored = view.existing_episodes([e.id for e, _ in checked])
            view.find_entities(sorted({  # one read for every name the batch uses
                normalize_name(ref.name) for _, assertions in checked for a in assertions
                for ref in (a.subject, a.object, a.corrects) if ref is not None}))
            results: list[WriteResult] = []
            batches = []
            seen: set[str] = set()
            for episode, assertions in checked:
                if episode.id in stored or episode.id in seen:
                    results.append(WriteResult(recorded_at=None, duplicate=True))
                    continue
                seen.add(episode.id)
                planner = self._planner(view, head, secret, actor,
                                        replay_time(episode, head) if replay else None)
                planner.add_episode(episode)
                planner.add_assertions(assertions, observed_at=episode.occurred_at,
                                       episode_id=episode.id)
                view.absorb(planner.batch)
                batches.append(planner.batch)
                results.append(planner.result)
                head = planner.head()
            if batches:
                tx.write(batches[0] if len(batches) == 1 else merge_batches(batches))
            return results

        return self.run_write(work)

    def assert_facts(self, assertions: Sequence[FactAssertion], *,
                     observed_at: datetime | None = None, source_id: str | None = None,
                     actor: str | None = None) -> WriteResult:
        """Store structured facts from a caller that extracts by itself.

        The request itself is kept as the source episode (speaker = actor, role ``tool``, text
        = the canonical JSON of the assertions), so every fact has a source message. Passing
        the same ``source_id`` again is a no-op (idempotent retries).
        """
        checked = self._check_assertions(assertions)
        if not checked:
            raise InvalidInputError("assertions: at least one is required")
        observed = require_aware(observed_at, "observed_at") if observed_at else self._now()
        text = canonical_json([a.model_dump(mode="json", exclude_defaults=True)
                               for a in checked])
        episode = Episode.create(tenant=self.tenant, speaker=actor or "api",
                                 occurred_at=observed, text=text, role=Role.TOOL,
                                 conversation_id="structured", id=source_id)
        return self.apply(episode, checked, actor=actor)

    def retract(self, subject: str, predicate: str, obj: str | None = None, *,
                value: str | None = None, at: datetime | None = None,
                actor: str | None = None, source_id: str | None = None) -> WriteResult:
        """End a fact at ``at`` (default: now). For a ``one`` predicate the object may be
        omitted: whatever holds then ends."""
        subject_ref, object_ref = self._refs(subject, predicate, obj)
        return self.assert_facts([FactAssertion.parse(dict(
            subject=subject_ref, predicate=predicate, object=object_ref, value=value,
            valid_from=at, kind=AssertionKind.RETRACT), context="retract")],
            actor=actor, source_id=source_id)

    def correct(self, subject: str, predicate: str, obj: str | None = None, *,
                value: str | None = None, corrects: str | None = None,
                corrects_value: str | None = None, valid_from: datetime | None = None,
                valid_to: datetime | None = None, actor: str | None = None,
                source_id: str | None = None) -> WriteResult:
        """Replace the latest belief about ``corrects`` (or the same object) with this one."""
        subject_ref, object_ref = self._refs(subject, predicate, obj)
        _, wrong_ref = self._refs(subject, predicate, corrects)
        return self.assert_facts([FactAssertion.parse(dict(
            subject=subject_ref, predicate=predicate, object=object_ref, value=value,
            corrects=wrong_ref, corrects_value=corrects_value, valid_from=valid_from,
            valid_to=valid_to, kind=AssertionKind.CORRECT), context="correct")],
            actor=actor, source_id=source_id)

    def _refs(self, subject: str, predicate: str,
              obj: str | None) -> tuple[EntityRef, EntityRef | None]:
        spec = self.registry.get(predicate)
        subject_type = self._known_type(subject) or spec.subject_types[0]
        object_ref = None
        if obj is not None:
            types = [t for t in spec.object_types if t != LITERAL] or ["concept"]
            object_ref = EntityRef(name=obj, type=self._known_type(obj) or types[0])
        return EntityRef(name=subject, type=subject_type), object_ref

    def _known_type(self, name: str) -> str | None:
        found = self.find_entities([normalize_name(name)])
        return found[0].type if found else None

    def expire(self, *, actor: str | None = None) -> WriteResult:
        """End every belief whose TTL has passed at its expiry instant (audit ``expired``)."""

        def work(tx: WriteTx) -> WriteResult:
            head, secret = self._lock_head(tx)
            planner = self._planner(tx, head, secret, actor or "asof-expire")
            planner.retract_expired(tx.expired_versions(planner.now))
            if planner.batch.is_empty():
                return WriteResult(recorded_at=None)
            tx.write(planner.batch)
            return planner.result

        return self.run_write(work)

    def forget(self, entity: str, *, actor: str | None = None, requester: str | None = None,
               ticket: str | None = None) -> ErasureResult:
        """Erase an entity (right to be forgotten): its entity, every fact version and claim
        where it is subject or object, and the text of the episodes that mention it or that it
        spoke, from every view including past transaction times. The chain gets an ``erased``
        tombstone of ids and the erased rows' hashes (never names), with ``requester`` and
        ``ticket`` (``erasure_reason``); see :mod:`graph.erasure`.

        ``entity`` may also name a speaker who is no entity (someone whose messages were
        stored, but of whom no fact was): the text of every message they spoke or that names
        them is erased, and the quotes of the facts those messages sourced.

        Raises:
            NotFoundError: no entity, and no message spoken by or naming ``entity``.
        """
        found = self.entity(entity)
        names = [found.name, *found.aliases] if found is not None else [entity]
        reason = erasure_reason(names, requester, ticket)

        result = self.run_write(lambda tx: erase(self, tx, found, names, reason, actor))
        self._purge_erased()
        return result

    def _purge_erased(self) -> None:
        """After an erasure commits: make the erased content unrecoverable from the backend's
        own files where the adapter can (SQLite truncates its write-ahead log). No-op here."""
        return

    # ------------------------------------------------------------------ reads

    def resolve(self, name_or_id: str) -> Entity:
        """The entity with this id, name or alias; :class:`NotFoundError` if there is none."""
        found = self.entity(name_or_id)
        if found is None:
            raise NotFoundError(f"no entity named {name_or_id!r} in tenant {self.tenant!r}")
        return found

    def _entity_by_id(self, name_or_id: str) -> Entity | None:
        """The entity whose id ``name_or_id`` is; no read for what cannot be an id."""
        by_id = self.get_entities([name_or_id]) if could_be_entity_id(name_or_id) else []
        return by_id[0] if by_id else None

    def entity(self, name_or_id: str) -> Entity | None:
        by_id = self._entity_by_id(name_or_id)
        if by_id is not None:
            return by_id
        key = normalize_name(name_or_id)
        matches = self.find_entities([key]) if key else []
        return min(matches, key=lambda e: (e.name != name_or_id, entity_order(e))
                   ) if matches else None

    def entity_ids(self, name_or_id: str | None) -> list[str] | None:
        if name_or_id is None:
            return None
        by_id = self._entity_by_id(name_or_id)
        if by_id is not None:
            return [by_id.id]
        key = normalize_name(name_or_id)
        return sorted({e.id for e in self.find_entities([key])}) if key else []

    def facts(self, subject: str | None = None, predicate: str | None = None,
              obj: str | None = None, *, valid_at: datetime | None = None,
              known_at: datetime | None = None, limit: int | None = None) -> list[FactVersion]:
        """Versions true at ``valid_at`` (default now) as believed at ``known_at`` (default:
        as currently believed, i.e. every version not yet superseded).

        When asking about now, beliefs whose TTL has passed are left out. ``subject`` and
        ``obj`` are entity ids, names or aliases; ``obj`` also matches literal values.
        """
        queries = fact_queries(self, subject, predicate, obj, valid_at, known_at, limit)
        return in_fact_order([v for q in queries for v in self.find_versions(q)], limit)

    def facts_with_provenance(
            self, subject: str | None = None, predicate: str | None = None,
            obj: str | None = None, *, valid_at: datetime | None = None,
            known_at: datetime | None = None, limit: int | None = None
    ) -> tuple[list[FactVersion], list[Quote], list[Episode]]:
        """:meth:`facts`, with the provenance of the versions returned: on Neo4j, a read by
        subject name is then one statement (:meth:`find_versions_with_provenance`)."""
        versions, quotes, episodes = [], [], []
        for q in fact_queries(self, subject, predicate, obj, valid_at, known_at, limit):
            found, said, spoken = self.find_versions_with_provenance(q)
            versions += found
            quotes += said
            episodes += spoken
        out = in_fact_order(versions, limit)
        kept = {v.version_id for v in out}
        return out, [q for q in quotes if q.version_id in kept], episodes

    def current(self, subject: str | None = None, predicate: str | None = None,
                obj: str | None = None, *, limit: int | None = None) -> list[FactVersion]:
        """What is true now, as believed now."""
        return self.facts(subject, predicate, obj, limit=limit)

    def versions(self, fact_key: str) -> list[FactVersion]:
        """Every version of a fact on both axes, oldest recorded first."""
        found = self.find_versions(VersionQuery(fact_key=fact_key))
        return sorted(found, key=lambda v: (v.recorded_at, start_us(v.valid_from),
                                            v.version_id))

    def audit(self, start_seq: int = 1, end_seq: int | None = None) -> list[AuditEvent]:
        return self.audit_events(start_seq, end_seq)

    def checkpoint(self) -> Checkpoint:
        """The chain's head, to export and verify against later (detects truncation and
        rollback); signed when this store has the audit key."""
        return Checkpoint.of_head(self.tenant, self.audit_events(1), self.audit_key)

    def record_checkpoint(self, *, actor: str | None = None) -> Checkpoint:
        """Record a ``checkpointed`` event and return the signed checkpoint of the chain
        ending with it: keep it away from the store, and ``verify`` against it later proves
        the chain was neither truncated nor rolled back since.

        Raises:
            AuditKeyRequiredError: this store has no audit key to sign with.
        """
        key = self.audit_key
        if key is None:
            raise AuditKeyRequiredError(
                "a signed checkpoint needs the audit key: set ASOF_AUDIT_KEY (or pass "
                "audit_key); 'asof audit export-checkpoint' exports an unsigned one")

        event = self.record_event(AuditAction.CHECKPOINTED,
                                  f"signed checkpoint (key id {key_id(key)})", actor=actor)
        return Checkpoint(tenant=self.tenant, seq=event.seq, hash=event.hash,
                          at=event.at).signed(key)

    def record_event(self, action: AuditAction, reason: str | Callable[[str], str], *,
                     actor: str | None = None, key: bytes | None = None) -> AuditEvent:
        """Append an event that writes no row (a checkpoint, a registry version, a key
        rotation): what it records is its ``reason`` (or ``reason(previous hash)``), covered
        by the chain's hash, signed with ``key`` (default: this store's audit key)."""
        def work(tx: WriteTx) -> AuditEvent:
            head, secret = self._lock_head(tx)
            prev_hash = head.hash if head else GENESIS_HASH
            event = make_event(
                seq=(head.seq if head else 0) + 1, prev_hash=prev_hash, tenant=self.tenant,
                at=transaction_time(self._now(), head), actor=actor or "asof",
                action=action, contents=[],
                reason=reason(prev_hash) if callable(reason) else reason,
                key=key or self.audit_key, row_secret=secret)
            tx.write(WriteBatch(events=[event]))
            return event

        return self.run_write(work)

    def rotate_key(self, new_key: bytes, *, actor: str | None = None) -> AuditEvent:
        """Replace the audit key: record a ``key_rotated`` event signed with ``new_key`` and
        endorsed by the current key, naming both key ids. Later writes need ``new_key`` as
        the audit key; verifying the events signed before needs the old key among
        ``old_audit_keys``.

        Raises:
            AuditKeyRequiredError: this store has no audit key (or not the chain's current one).
            InvalidInputError: ``new_key`` is the current key.
        """
        old_key = self.audit_key
        if old_key is None:
            raise AuditKeyRequiredError(
                "rotating the audit key needs the current one: set ASOF_AUDIT_KEY (or pass "
                "audit_key)")
        if not new_key or key_id(new_key) == key_id(old_key):
            raise InvalidInputError("the new audit key must be non-empty and differ from the "
                                    "current one")

        return self.record_event(AuditAction.KEY_ROTATED,
                                 lambda prev_hash: rotation_reason(old_key, new_key, prev_hash),
                                 actor=actor, key=new_key)

    def verify(self, checkpoint: Checkpoint | None = None) -> VerifyReport:
        """Recompute the audit chain and the content hashes of the rows it points to.

        Reports the first bad seq and why: a row edited directly in the store, a deleted,
        inserted or reordered event, a forged signature, truncation against ``checkpoint``.
        """
        if checkpoint is not None and checkpoint.tenant != self.tenant:
            raise InvalidInputError(
                f"checkpoint is for tenant {checkpoint.tenant!r}, not {self.tenant!r}")
        return verify_store(self, checkpoint)

    @contextmanager
    def _snapshot(self) -> Iterator[bool]:
        """Reads of this handle inside the block see one committed state if this yields True
        (a backend with snapshot reads overrides it); False: no such guarantee."""
        yield False
