"""The audit chain (DESIGN.md §7): append-only, hash-linked, optionally HMAC-signed.

``hash = sha256(prev_hash || canonical JSON of the event)``; events carry ids and content hashes,
never raw text, so erasure leaves the chain verifiable.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from asof.graph.errors import InvalidInputError
from asof.graph.ids import canonical_json, digest, fold
from asof.graph.models import AuditAction, AuditEvent, Instant

GENESIS_HASH = "0" * 64

#: Target ids are typed: "episode:<id>", "claim:<id>", "version:<id>", "entity:<id>",
#: "alias:<entity id>/<hash of the alias>", "source:<version id>/<claim id>".
EPISODE, CLAIM, VERSION, ENTITY = "episode", "claim", "version", "entity"
ALIAS, SOURCE = "alias", "source"

#: The prefix of a content hash over the rows' own hashes (:func:`content_hash`); a hash
#: without it is the older hash of the rows' JSON (:func:`content_hash_v1`).
ROWS_V2 = "v2:"
#: The prefix of a content hash over the rows' hashes keyed with the tenant's secret (every
#: tenant created since): an erasure's commitments then confirm no guessed row to anyone
#: without the secret.
ROWS_V3 = "v3:"


def hashed_row_by_row(event: AuditEvent) -> bool:
    return event.content_hash.startswith((ROWS_V2, ROWS_V3))


def target(kind: str, row_id: str) -> str:
    return f"{kind}:{row_id}"


def split_target(value: str) -> tuple[str, str]:
    kind, _, row_id = value.partition(":")
    return kind, row_id


def alias_row(entity_id: str, alias: str) -> tuple[str, str, dict[str, Any]]:
    """An alias as a row an event writes: (kind, id, content). The id names the entity and a
    hash of the alias, never the alias itself (events carry no names)."""
    return (ALIAS, f"{entity_id}/als_{digest('alias', entity_id, alias, length=16)}",
            {"entity_id": entity_id, "alias": alias})


def source_row(version_id: str, claim_id: str,
               episode_id: str | None) -> tuple[str, str, dict[str, Any]]:
    """A provenance link (claim → version) as a row an event writes."""
    return (SOURCE, f"{version_id}/{claim_id}",
            {"version_id": version_id, "claim_id": claim_id, "episode_id": episode_id})


def erased_with(row_target: str) -> tuple[str, ...]:
    """The targets whose erasure lawfully removes ``row_target`` too: an alias goes with its
    entity, a provenance link with its version or its claim."""
    kind, row_id = split_target(row_target)
    if kind == ALIAS:
        return (target(ENTITY, row_id.partition("/")[0]),)
    if kind == SOURCE:
        version_id, _, claim_id = row_id.partition("/")
        return target(VERSION, version_id), target(CLAIM, claim_id)
    return ()


def row_hash(content: Mapping[str, Any], secret: bytes | None = None) -> str:
    """One row's hash: what an event's content hash is built from, and what stands for the row
    once it is erased. Keyed (HMAC) with the tenant's ``secret`` where it has one."""
    body = canonical_json(content).encode()
    if secret is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def content_hash(contents: Sequence[Mapping[str, Any]], secret: bytes | None = None) -> str:
    """The hash of what an event wrote: over each row's :func:`row_hash`, in target order, so
    an erased row's hash can stand in for it and the rest stay checkable."""
    return _rows_hash([row_hash(c, secret) for c in contents], secret is not None)


def _rows_hash(hashes: Sequence[str], keyed: bool) -> str:
    return (ROWS_V3 if keyed else ROWS_V2) + hashlib.sha256(
        canonical_json(list(hashes)).encode()).hexdigest()


def content_hash_v1(contents: Sequence[Mapping[str, Any]]) -> str:
    """The content hash of events written before rows were hashed one by one: the canonical
    JSON of the rows, in target order."""
    return hashlib.sha256(canonical_json(list(contents)).encode()).hexdigest()


def chain_hash(prev_hash: str, chained_content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(chained_content)).encode()).hexdigest()


def sign(key: bytes, event_hash: str) -> str:
    return hmac.new(key, event_hash.encode(), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A public name for an audit key (which key signed a checkpoint), revealing nothing of
    it."""
    return "k_" + hashlib.sha256(b"asof audit key id\0" + key).hexdigest()[:16]


def make_event(
    *,
    seq: int,
    prev_hash: str,
    tenant: str,
    at: datetime,
    actor: str,
    action: AuditAction,
    contents: Sequence[Mapping[str, Any]],
    targets: Sequence[str] = (),
    superseded: Sequence[str] = (),
    episode_id: str | None = None,
    fact_key: str | None = None,
    reason: str | None = None,
    key: bytes | None = None,
    commitments: Mapping[str, str] | None = None,
    row_secret: bytes | None = None,
) -> AuditEvent:
    """Build the next link of the chain (``row_secret``: the tenant's secret, which keys the
    rows' hashes)."""
    draft = AuditEvent(
        seq=seq, tenant=tenant, at=at, actor=actor, action=action, targets=tuple(targets),
        superseded=tuple(superseded), episode_id=episode_id, fact_key=fact_key, reason=reason,
        content_hash=content_hash(contents, row_secret), prev_hash=prev_hash, hash="",
        key_id=key_id(key) if key else None, commitments=dict(commitments or {}),
    )
    event_hash = chain_hash(prev_hash, draft.chained_content())
    return draft.model_copy(update={
        "hash": event_hash, "signature": sign(key, event_hash) if key else None})


def keyring(keys: Iterable[bytes]) -> dict[str, bytes]:
    """Audit keys by :func:`key_id`: the current key and the earlier ones, to verify events
    signed before a rotation."""
    return {key_id(k): k for k in keys}


_ROTATION = re.compile(r"key rotated from (k_[0-9a-f]{16}) to (k_[0-9a-f]{16}); "
                       r"endorsed by the old key: ([0-9a-f]{64})")


def rotation_reason(old_key: bytes, new_key: bytes, prev_hash: str) -> str:
    """The reason of a ``key_rotated`` event. The event is signed with the new key; the old
    key endorses the new key's id at this point of the chain, so only the holder of the key in
    use can hand the chain over to another."""
    endorsement = sign(old_key, f"{prev_hash}:{key_id(new_key)}")
    return (f"key rotated from {key_id(old_key)} to {key_id(new_key)}; "
            f"endorsed by the old key: {endorsement}")


def _rotation_problem(event: AuditEvent, current: str | None,
                      keys: Mapping[str, bytes]) -> str | None:
    """Why a ``key_rotated`` event does not hand the chain over from ``current`` to its own
    key id (``None``: it does)."""
    found = _ROTATION.fullmatch(event.reason or "")
    if found is None:
        return "the key_rotated event does not name the old and new key ids"
    old, new, endorsement = found.groups()
    if new != event.key_id or (current is not None and old != current):
        return (f"the key_rotated event hands over from {old} to {new}, but the chain was "
                f"signed with {current} and the event with {event.key_id}")
    old_key = keys.get(old)
    if old_key is not None and not hmac.compare_digest(
            sign(old_key, f"{event.prev_hash}:{new}"), endorsement):
        return f"the key_rotated event's endorsement by {old} is wrong (forged rotation)"
    return None


def _signature_problem(event: AuditEvent, current: str | None,
                       keys: Mapping[str, bytes]) -> str | None:
    """Why a signed event's signature does not hold under ``keys`` (``None``: it does, or no
    key was given). ``current`` is the key id the chain was signed with before it."""
    if event.action is AuditAction.KEY_ROTATED:
        problem = _rotation_problem(event, current, keys)
        if problem:
            return problem
    elif event.key_id is None and current is not None:
        return (f"the event has no key id, but the chain is signed with {current} (its key "
                "id was stripped)")
    elif event.key_id is not None and current is not None and event.key_id != current:
        return (f"the event is signed with key id {event.key_id}, but the chain is signed "
                f"with {current} and no key_rotated event changed that")
    if not keys:
        return None
    if event.key_id is None:  # signed before key ids: any key of the ring may have made it
        candidates = list(keys.values())
    elif event.key_id in keys:
        candidates = [keys[event.key_id]]
    else:
        return (f"the event's signature was made with key id {event.key_id}, and no given "
                "key has that id (give the earlier keys in ASOF_AUDIT_KEYS, or the chain was "
                "re-signed with a foreign key)")
    if not any(hmac.compare_digest(sign(k, event.hash), event.signature or "")
               for k in candidates):
        return "HMAC signature wrong (forged chain or wrong ASOF_AUDIT_KEY)"
    return None


#: Longest requester or ticket reference an erasure request may carry.
MAX_REQUEST_FIELD = 200


def erasure_reason(names: Sequence[str], requester: str | None, ticket: str | None) -> str:
    """The reason of an ``erased`` event: who asked for the erasure and under which ticket,
    so an auditor can match it to its request.

    Raises:
        InvalidInputError: a field is blank, too long, holds control characters, or contains
            one of ``names`` (the erased entity's name and aliases: the chain keeps none; say
            "the data subject" instead).
    """
    parts = ["erasure request"]
    for label, value in (("requester", requester), ("ticket", ticket)):
        if value is None:
            continue
        if not value.strip() or len(value) > MAX_REQUEST_FIELD or not value.isprintable():
            raise InvalidInputError(f"{label}: give 1 to {MAX_REQUEST_FIELD} printable "
                                    "characters")
        folded = fold(value)
        if any(fold(n) and fold(n) in folded for n in names):
            raise InvalidInputError(
                f"{label}: names the entity being erased, which the audit chain must not "
                "keep; refer to them as 'the data subject'. Nothing was erased.")
        parts.append(f"{label}: {value.strip()}")
    return "; ".join(parts)


class Checkpoint(BaseModel):
    """An exported head of a tenant's chain; verify against it to detect truncation and
    rollback. Signed (HMAC-SHA256 over its other fields, with the key's :func:`key_id`) when
    taken with the audit key, so a checkpoint kept next to the store cannot be edited to match
    a truncated chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    seq: int
    hash: str
    at: Instant | None = None
    key_id: str | None = None
    signature: str | None = None

    @classmethod
    def of_head(cls, tenant: str, events: Sequence[AuditEvent],
                key: bytes | None) -> Checkpoint:
        """The checkpoint of a chain's last event (seq 0 for an empty chain), signed with
        ``key`` when there is one."""
        found = cls(tenant=tenant, seq=0, hash=GENESIS_HASH) if not events else cls(
            tenant=tenant, seq=events[-1].seq, hash=events[-1].hash, at=events[-1].at)
        return found.signed(key) if key else found

    def _signed_text(self) -> bytes:
        return canonical_json(self.model_dump(mode="json", exclude={"signature"})).encode()

    def signed(self, key: bytes) -> Checkpoint:
        """This checkpoint signed with ``key``."""
        draft = self.model_copy(update={"key_id": key_id(key), "signature": None})
        return draft.model_copy(update={
            "signature": hmac.new(key, draft._signed_text(), hashlib.sha256).hexdigest()})

    def signature_problem(self, keys: Mapping[str, bytes]) -> str | None:
        """Why this signed checkpoint does not verify under the keyring ``keys`` (``None``: it
        does)."""
        if self.signature is None:
            return None
        key = keys.get(self.key_id or "")
        if key is None:
            return (f"the checkpoint was signed with another key (key id {self.key_id}; the "
                    f"given keys are {', '.join(keys)})")
        expected = hmac.new(key, self._signed_text(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.signature):
            return "the checkpoint's signature is wrong (the checkpoint was edited or forged)"
        return None


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    events_checked: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str | None = None
    signatures_checked: bool = False
    #: the seq signatures start at (``None``: an unsigned chain). A signed chain verified
    #: without its key is intact as far as hashes go, but its signatures were not checked.
    signed_from: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events_checked,
                "head_seq": self.head_seq, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq, "reason": self.reason,
                "signatures_checked": self.signatures_checked,
                "signed_from": self.signed_from}

    @property
    def unchecked_signatures(self) -> bool:
        """The chain is signed but was verified without its key."""
        return self.signed_from is not None and not self.signatures_checked


@dataclass(frozen=True, slots=True)
class StoredRow:
    """What verification needs of a stored row: its hashed content and, for rows that can be
    closed in transaction time, when they were."""

    content: Mapping[str, Any]
    superseded_at: datetime | None = None
    redacted: bool = False


def verify_chain(
    events: Sequence[AuditEvent],
    rows: Mapping[str, StoredRow],
    *,
    all_row_targets: Iterable[str],
    keys: Mapping[str, bytes] | None = None,
    checkpoint: Checkpoint | None = None,
    fulltext_mismatches: Sequence[str] = (),
    row_secret: bytes | None = None,
) -> VerifyReport:
    """Recompute the chain and the content hashes of the rows its events point to.

    Args:
        events: the tenant's events ordered by seq.
        rows: every stored row the events target, by typed target id ("version:…").
        all_row_targets: typed ids of every claim and version stored for the tenant (to catch
            rows inserted or closed behind the chain's back).
        keys: the HMAC keys by key id (:func:`keyring`): the current one and those it
            replaced, to check signatures.
        checkpoint: an exported head; the chain must still contain it.
        fulltext_mismatches: typed ids of the rows whose full-text index entry no longer
            matches them (an index edited behind the chain's back).
        row_secret: the tenant's secret, which keys the row hashes of its events (``v3:``
            content hashes); ``None`` for a tenant created before there was one.

    Signing mode: signatures start at the first signed event (``signed_from``), which is seq 1
    or a ``signing_enabled`` event, and every later event must carry one, with or without the
    key. With keys every signature from there on is checked, each under the key its key id
    names, and a chain with none fails. The key id changes only at a ``key_rotated`` event,
    which the old key endorses.
    """
    keys = keys or {}
    key = next(iter(keys.values()), None)  # whether keys were given at all
    head_seq, head_hash = 0, GENESIS_HASH
    signed_from = next((e.seq for e in events if e.signature is not None), None)

    def bad(seq: int, reason: str, checked: int) -> VerifyReport:
        return VerifyReport(False, checked, head_seq, head_hash, seq, reason, key is not None,
                            signed_from)

    if key is not None and events and signed_from is None:
        return bad(events[0].seq, "the chain has no signatures, but an audit key was given "
                   "(this store was never signed, or its signatures were stripped)", 0)

    erased: set[str] = set()
    commitments: dict[str, str] = {}  # the first erasure of a row saw it as written
    for event in events:
        if event.action is AuditAction.ERASED:
            erased.update(event.targets)
            for t, committed in event.commitments.items():
                commitments.setdefault(t, committed)

    written_by: dict[str, AuditEvent] = {}
    closed_by: dict[str, AuditEvent] = {}
    prev = GENESIS_HASH
    signing_key: str | None = None  # the key id the chain is signed with so far
    for index, event in enumerate(events):
        expected_seq = index + 1
        if event.seq != expected_seq:
            return bad(expected_seq, f"event {expected_seq} is missing (found seq {event.seq}: "
                       "events were deleted or reordered)", index)
        if event.prev_hash != prev:
            return bad(event.seq, "prev_hash does not match the previous event's hash "
                       "(events were deleted, inserted or reordered)", index)
        if chain_hash(prev, event.chained_content()) != event.hash:
            return bad(event.seq, "the event's hash does not match its content "
                       "(the event was edited)", index)
        if signed_from is not None and event.seq >= signed_from:
            if event.seq == signed_from > 1 and event.action is not AuditAction.SIGNING_ENABLED:
                return bad(event.seq, f"signatures start at seq {event.seq} without a "
                           "signing_enabled event (signatures were stripped from earlier "
                           "events)", index)
            if event.signature is None:
                return bad(event.seq, f"the event is unsigned, but the chain is signed from seq "
                           f"{signed_from} (written without the audit key, or its signature "
                           "was stripped)", index)
            problem = _signature_problem(event, signing_key, keys)
            if problem:
                return bad(event.seq, problem, index)
            signing_key = event.key_id or signing_key
        if event.action is not AuditAction.ERASED:
            problem = (_check_row_hashes(event, rows, commitments, row_secret)
                       if hashed_row_by_row(event)
                       else _check_contents(event, rows, erased))
            if problem:
                return bad(event.seq, problem, index)
            for t in event.targets:
                written_by.setdefault(t, event)
            for t in event.superseded:
                closed_by[t] = event
        prev = event.hash
        head_seq, head_hash = event.seq, event.hash

    checked = len(events)
    for t, event in closed_by.items():
        row = rows.get(t)
        if row is not None and row.superseded_at != event.at:
            return bad(event.seq, f"{t} was closed at {row.superseded_at}, but the chain says "
                       f"{event.at} (edited in the store)", checked)
    # Stores whose chain began before entities, aliases and provenance links were rows of
    # events hold such rows that no event names; only a chain hashed row by row from seq 1
    # (ROWS_V2) can tell an inserted one.
    links_covered = bool(events) and hashed_row_by_row(events[0])
    for t in all_row_targets:
        row = rows.get(t)
        if split_target(t)[0] in _LINK_KINDS and not links_covered:
            continue
        if t not in written_by:
            return bad(head_seq + 1, f"{t} is in the store but no audit event wrote it "
                       "(inserted behind the chain's back)", checked)
        if row is not None and row.superseded_at is not None and t not in closed_by:
            return bad(written_by[t].seq, f"{t} was closed in the store but no audit event "
                       "closed it (edited in the store)", checked)
    for t in sorted(fulltext_mismatches, key=lambda t: (
            written_by[t].seq if t in written_by else head_seq + 1, t)):
        seq = written_by[t].seq if t in written_by else head_seq + 1
        return bad(seq, f"the full-text index entry of {t} does not match the stored row "
                   "(the search index was edited behind the chain's back)", checked)
    if checkpoint is not None:
        problem = checkpoint.signature_problem(keys) if keys else None
        if problem:
            return bad(checkpoint.seq, problem, checked)
        if checkpoint.seq > head_seq:
            return bad(head_seq + 1, f"the chain ends at seq {head_seq} but the checkpoint "
                       f"has seq {checkpoint.seq} (truncated, or rolled back to an older "
                       "copy)", checked)
        if checkpoint.seq and events[checkpoint.seq - 1].hash != checkpoint.hash:
            return bad(checkpoint.seq, "the event at the checkpoint's seq has another hash "
                       "(the chain was rewritten, or rolled back and written again)", checked)
    return VerifyReport(True, checked, head_seq, head_hash, None, None, key is not None,
                        signed_from)


_LINK_KINDS = frozenset({ENTITY, ALIAS, SOURCE})


def _lawfully_erased(row_target: str, erased: set[str]) -> bool:
    return row_target in erased or any(t in erased for t in erased_with(row_target))


def _check_row_hashes(event: AuditEvent, rows: Mapping[str, StoredRow],
                      commitments: Mapping[str, str], secret: bytes | None) -> str | None:
    """Check an event hashed row by row: an erased row counts by the hash its erasure
    committed to, a redacted row must be as its erasure left it, the rest as written."""
    keyed = event.content_hash.startswith(ROWS_V3)
    if keyed and secret is None:
        return ("the rows of this event are hashed with the tenant's secret, and the store "
                "has none (the secret was deleted from the store)")
    secret = secret if keyed else None
    hashes = []
    for t in event.targets:
        row = rows.get(t)
        committed = commitments.get(t)
        if committed is not None:
            before, _, after = committed.partition(" ")
            if after and (row is None or row_hash(row.content, secret) != after):
                return (f"{t}, redacted by an erasure, is missing or differs from what the "
                        "erasure left (edited in the store)")
            hashes.append(before)
        elif row is not None:
            hashes.append(row_hash(row.content, secret))
        else:  # every erasure since row-by-row hashing commits to each row it removes
            return f"{t} written by this event is missing from the store"
    if _rows_hash(hashes, keyed) != event.content_hash:
        return "the rows this event wrote do not match its content hash (edited in the store)"
    return None


def _check_contents(event: AuditEvent, rows: Mapping[str, StoredRow],
                    erased: set[str]) -> str | None:
    """Check an event hashed before rows were hashed one by one (:func:`content_hash_v1`)."""
    contents = []
    for t in event.targets:
        row = rows.get(t)
        if _lawfully_erased(t, erased):
            return None  # part of what this event wrote is gone by lawful erasure
        if row is None:
            return f"{t} written by this event is missing from the store"
        if row.redacted:
            return None
        contents.append(row.content)
    if content_hash_v1(contents) != event.content_hash:
        return "the rows this event wrote do not match its content hash (edited in the store)"
    return None
