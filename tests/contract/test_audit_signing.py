"""A store's signing mode is fixed (issue #16 item 4), on every backend: once the audit chain is
signed, unsigned writes are refused; signing an existing store is a recorded event ("signed
from seq N"); verifying a signed chain without its key never reads as a plain ok."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph.audit import GENESIS_HASH, key_id, keyring, make_event
from asof.graph.clock import FakeClock
from asof.graph.contract import WriteBatch, WriteTx
from asof.graph.errors import AuditKeyRequiredError, InvalidInputError
from asof.graph.models import AuditAction, EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract

KEY = b"k" * 32
OTHER_KEY = b"o" * 32


def say(store: GraphStore, clock: FakeClock, text: str, place: str) -> None:
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker="Priya", text=text,
                             occurred_at=datetime(2024, 1, 10, tzinfo=UTC))
    store.apply(episode, [FactAssertion(subject=EntityRef(name="Priya", type="person"),
                                        predicate="lives_in",
                                        object=EntityRef(name=place, type="location"))])


def test_a_signed_store_refuses_unsigned_writes_and_changes_nothing(
        store_factory: Any, tenant: str, clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    before = signed.audit()
    keyless = store_factory(tenant)
    with pytest.raises(AuditKeyRequiredError, match="ASOF_AUDIT_KEY"):
        say(keyless, clock, "I live in Paris", "Paris")
    with pytest.raises(AuditKeyRequiredError):
        keyless.expire()
    with pytest.raises(AuditKeyRequiredError):
        keyless.forget("Priya")
    assert signed.audit() == before
    assert signed.verify().ok


def test_signing_an_existing_store_is_a_recorded_event(store_factory: Any, tenant: str,
                                                       clock: FakeClock) -> None:
    unsigned = store_factory(tenant)
    say(unsigned, clock, "I live in Berlin", "Berlin")
    say(unsigned, clock, "I live in Paris", "Paris")
    first_signed = len(unsigned.audit()) + 1
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Rome", "Rome")
    events = signed.audit()
    enabled = events[first_signed - 1]
    assert enabled.action is AuditAction.SIGNING_ENABLED
    assert enabled.reason == f"signed from seq {first_signed}"
    assert all(e.signature is None for e in events[:first_signed - 1])
    assert all(e.signature is not None for e in events[first_signed - 1:])
    # Before: TAMPERED at seq 1 (the unsigned history failed the key)
    report = signed.verify()
    assert report.ok and report.signatures_checked, report
    assert report.signed_from == first_signed
    # a second signed write does not enable signing again
    say(signed, clock, "I live in Oslo", "Oslo")
    assert [e.action for e in signed.audit()].count(AuditAction.SIGNING_ENABLED) == 1
    assert signed.verify().ok


def test_verify_without_the_key_on_a_signed_store_is_no_plain_ok(
        store_factory: Any, tenant: str, clock: FakeClock) -> None:
    say(store_factory(tenant, audit_key=KEY), clock, "I live in Berlin", "Berlin")
    report = store_factory(tenant).verify()
    assert report.ok and not report.signatures_checked
    assert report.signed_from == 1 and report.unchecked_signatures
    assert report.as_dict()["signed_from"] == 1
    wrong = store_factory(tenant, audit_key=OTHER_KEY).verify()
    assert not wrong.ok and wrong.first_bad_seq == 1 and "signature" in (wrong.reason or "")


def _append_unsigned(store: GraphStore) -> int:
    """An unsigned event appended behind the store's signing check (a writer without the key
    going straight to the transaction primitive)."""

    def work(tx: WriteTx) -> int:
        head = tx.lock_head()
        seq = (head.seq if head else 0) + 1
        event = make_event(seq=seq, prev_hash=head.hash if head else GENESIS_HASH,
                           tenant=store.tenant, at=store.clock.now(), actor="intruder",
                           action=AuditAction.INGESTED, contents=[])
        tx.write(WriteBatch(events=[event]))
        return seq

    return store.run_write(work)


def test_an_unsigned_event_in_a_signed_chain_is_caught_even_without_the_key(
        store_factory: Any, tenant: str, clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    clock.advance(timedelta(minutes=1))
    seq = _append_unsigned(store_factory(tenant))
    for report in (store_factory(tenant).verify(), signed.verify()):
        assert not report.ok and report.first_bad_seq == seq, report
        assert "unsigned" in (report.reason or "")


def test_a_key_on_a_never_signed_chain_fails_verification(store_factory: Any, tenant: str,
                                                          clock: FakeClock) -> None:
    say(store_factory(tenant), clock, "I live in Berlin", "Berlin")
    report = store_factory(tenant, audit_key=KEY).verify()
    assert not report.ok and report.first_bad_seq == 1
    assert "no signatures" in (report.reason or "")


# ------------------------------------------------------------------ signed checkpoints (#16 b)


def test_a_signed_checkpoint_needs_the_key_and_is_recorded(store_factory: Any, tenant: str,
                                                           clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    before = signed.audit()
    with pytest.raises(AuditKeyRequiredError, match="audit key"):
        store_factory(store_factory().tenant).record_checkpoint()
    checkpoint = signed.record_checkpoint(actor="auditor")
    events = signed.audit()
    assert events[:-1] == before
    assert events[-1].action is AuditAction.CHECKPOINTED and events[-1].actor == "auditor"
    assert (checkpoint.seq, checkpoint.hash) == (events[-1].seq, events[-1].hash)
    assert checkpoint.signature and checkpoint.key_id and checkpoint.key_id in (
        events[-1].reason or "")
    assert signed.verify(checkpoint).ok


def test_truncation_and_rollback_are_caught_by_a_signed_checkpoint(
        store_factory: Any, tenant: str, clock: FakeClock, tamper: Any) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    say(signed, clock, "I live in Paris", "Paris")
    checkpoint = signed.record_checkpoint()
    tamper.truncate_events(signed, checkpoint.seq - 1)  # the recording event is gone
    report = signed.verify(checkpoint)
    assert not report.ok and report.first_bad_seq == checkpoint.seq
    assert "truncated" in (report.reason or "")
    # rolled back and written again: the seq exists again, with another hash
    say(signed, clock, "I live in Rome", "Rome")
    assert len(signed.audit()) >= checkpoint.seq
    report = signed.verify(checkpoint)
    assert not report.ok and report.first_bad_seq == checkpoint.seq
    assert "rolled back" in (report.reason or "")


def test_an_edited_checkpoint_fails_its_signature(store_factory: Any, tenant: str,
                                                  clock: FakeClock, tamper: Any) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    say(signed, clock, "I live in Paris", "Paris")
    checkpoint = signed.record_checkpoint()
    # the intruder truncates and lowers the checkpoint to the new head
    tamper.truncate_events(signed, checkpoint.seq - 1)
    head = signed.audit()[-1]
    edited = checkpoint.model_copy(update={"seq": head.seq, "hash": head.hash})
    report = signed.verify(edited)
    assert not report.ok and report.first_bad_seq == head.seq
    assert "edited or forged" in (report.reason or "")
    assert "another key" in (checkpoint.signature_problem(keyring([OTHER_KEY])) or "")
    assert checkpoint.signature_problem(keyring([KEY])) is None


# ------------------------------------------------------------------ key ids and rotation (#16)

NEW_KEY = b"n" * 32


def _append_signed(store: GraphStore, key: bytes, reason: str | None = None,
                   action: AuditAction = AuditAction.INGESTED) -> int:
    """An event signed with ``key`` appended behind the store's key check."""

    def work(tx: WriteTx) -> int:
        head = tx.lock_head()
        assert head is not None
        event = make_event(seq=head.seq + 1, prev_hash=head.hash, tenant=store.tenant,
                           at=head.at + timedelta(seconds=1), actor="intruder", action=action,
                           contents=[], reason=reason, key=key)
        tx.write(WriteBatch(events=[event]))
        return event.seq

    return store.run_write(work)


def test_every_signed_event_names_its_key(store_factory: Any, tenant: str,
                                          clock: FakeClock) -> None:
    say(store_factory(tenant, audit_key=KEY), clock, "I live in Berlin", "Berlin")
    other = store_factory().tenant
    say(store_factory(other), clock, "I live in Paris", "Paris")
    assert {e.key_id for e in store_factory(tenant).audit()} == {key_id(KEY)}
    assert {e.key_id for e in store_factory(other).audit()} == {None}


def test_a_rotated_key_signs_from_the_rotation_and_old_events_verify_under_their_own(
        store_factory: Any, tenant: str, clock: FakeClock) -> None:
    old = store_factory(tenant, audit_key=KEY)
    say(old, clock, "I live in Berlin", "Berlin")
    signed_before = len(old.audit())
    clock.advance(timedelta(minutes=1))
    rotated = old.rotate_key(NEW_KEY, actor="security")
    assert rotated.action is AuditAction.KEY_ROTATED and rotated.actor == "security"
    assert rotated.key_id == key_id(NEW_KEY) and rotated.seq == signed_before + 1
    assert f"from {key_id(KEY)} to {key_id(NEW_KEY)}" in (rotated.reason or "")
    # the old key writes no more, and nothing is written by trying
    with pytest.raises(AuditKeyRequiredError, match=key_id(NEW_KEY)):
        say(old, clock, "I live in Paris", "Paris")
    assert len(old.audit()) == rotated.seq
    new = store_factory(tenant, audit_key=NEW_KEY)
    new.old_audit_keys = (KEY,)
    say(new, clock, "I live in Rome", "Rome")
    events = new.audit()
    assert [e.key_id for e in events] == [key_id(KEY)] * signed_before + [
        key_id(NEW_KEY)] * (len(events) - signed_before)
    report = new.verify(new.record_checkpoint())
    assert report.ok and report.signatures_checked, report
    assert new.checkpoint().key_id == key_id(NEW_KEY)
    # without the old key the old signatures cannot be checked: not an ok
    alone = store_factory(tenant, audit_key=NEW_KEY).verify()
    assert not alone.ok and alone.first_bad_seq == 1 and "ASOF_AUDIT_KEYS" in (alone.reason or "")
    keyless = store_factory(tenant).verify()
    assert keyless.ok and keyless.unchecked_signatures
    with pytest.raises(InvalidInputError, match="differ"):
        new.rotate_key(NEW_KEY)


def test_a_forged_rotation_or_a_foreign_key_is_caught(store_factory: Any, tenant: str,
                                                       clock: FakeClock) -> None:
    signed = store_factory(tenant, audit_key=KEY)
    say(signed, clock, "I live in Berlin", "Berlin")
    # an intruder without the key claims a rotation to a key of theirs
    forged = f"key rotated from {key_id(KEY)} to {key_id(OTHER_KEY)}; " \
             f"endorsed by the old key: {'0' * 64}"
    seq = _append_signed(store_factory(tenant), OTHER_KEY, forged, AuditAction.KEY_ROTATED)
    report = signed.verify()
    assert not report.ok and report.first_bad_seq == seq and "forged rotation" in (
        report.reason or ""), report
    # an event signed with another key, with no rotation at all
    third = store_factory().tenant
    say(store_factory(third, audit_key=KEY), clock, "I live in Berlin", "Berlin")
    seq = _append_signed(store_factory(third), OTHER_KEY)
    for verifier in (store_factory(third), store_factory(third, audit_key=KEY)):
        report = verifier.verify()
        assert not report.ok and report.first_bad_seq == seq, report
        assert "no key_rotated event" in (report.reason or "")
