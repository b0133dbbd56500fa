"""Chains written before rows were hashed one by one (plain content hashes) still verify as
they did, next to the row-by-row scheme (``v2:``) that erasure commitments need."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asof.graph.audit import (
    GENESIS_HASH,
    ROWS_V2,
    StoredRow,
    chain_hash,
    content_hash_v1,
    make_event,
    verify_chain,
)
from asof.graph.models import AuditAction, AuditEvent

AT = datetime(2024, 1, 1, tzinfo=UTC)
ENTITY = {"id": "ent_1", "tenant": "t", "name": "Bob Stone", "type": "person"}


def _v1_event(seq: int, prev: str, targets: list[str],
              contents: list[dict[str, Any]]) -> AuditEvent:
    """An event as asof wrote them before ``v2:`` content hashes."""
    draft = AuditEvent(seq=seq, tenant="t", at=AT, actor="asof", action=AuditAction.ASSERTED,
                       targets=tuple(targets), content_hash=content_hash_v1(contents),
                       prev_hash=prev, hash="")
    return draft.model_copy(update={"hash": chain_hash(prev, draft.chained_content())})


def test_a_plain_content_hash_still_verifies_and_still_catches_an_edit() -> None:
    event = _v1_event(1, GENESIS_HASH, ["entity:ent_1"], [ENTITY])
    assert not event.content_hash.startswith(ROWS_V2)
    rows = {"entity:ent_1": StoredRow(ENTITY)}
    assert verify_chain([event], rows, all_row_targets=["entity:ent_1"]).ok
    edited = {"entity:ent_1": StoredRow({**ENTITY, "name": "Mallory"})}
    report = verify_chain([event], edited, all_row_targets=["entity:ent_1"])
    assert not report.ok and report.first_bad_seq == 1


def test_unnamed_links_are_held_only_in_chains_hashed_row_by_row() -> None:
    """An older store holds entities and aliases no event named: only a chain that began with
    ``v2:`` can tell an inserted one."""
    old = _v1_event(1, GENESIS_HASH, ["entity:ent_1"], [ENTITY])
    new = make_event(seq=1, prev_hash=GENESIS_HASH, tenant="t", at=AT, actor="asof",
                     action=AuditAction.ASSERTED, contents=[ENTITY], targets=["entity:ent_1"])
    assert new.content_hash.startswith(ROWS_V2)
    rows = {"entity:ent_1": StoredRow(ENTITY),
            "alias:ent_1/als_x": StoredRow({"entity_id": "ent_1", "alias": "Mallory"})}
    stored = ["entity:ent_1", "alias:ent_1/als_x"]
    assert verify_chain([old], rows, all_row_targets=stored).ok
    report = verify_chain([new], rows, all_row_targets=stored)
    assert not report.ok and "alias:ent_1/als_x" in (report.reason or "")
