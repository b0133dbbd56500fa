"""Replay and transaction time (issue #16 item 7), on a real SQLite file and on Neo4j.

Transaction time is per tenant and never goes back. ``ingest --replay`` records every message
at its own time, in the order the messages were sent, tenant by tenant. Before, one clock was
shared by every tenant and conversation and only moved forward, so a conversation replayed
after a later one was recorded at the end of the later one, and "as known at" its own message
times found nothing. A replay that would go back in time for its tenant is refused, naming the
message, and nothing is stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from asof.api.cli import cli
from asof.api.ingest_input import conversation_from_messages
from asof.api.memory import Memory
from asof.extraction.readers import Conversation
from asof.graph.clock import FakeClock
from asof.graph.errors import ReplayOrderError

pytestmark = pytest.mark.e2e

LATER = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
EARLIER = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


def _talk(cid: str, speaker: str, at: datetime, *texts: str) -> Conversation:
    return conversation_from_messages(
        [{"id": f"m{i}", "speaker": speaker, "role": "user", "at": at + timedelta(minutes=i),
          "text": text} for i, text in enumerate(texts)], conversation_id=cid)


PRIYA = ("Priya Raman", "I work at Initech.", "I live in Porto.")
BOB = ("Bob Stone", "I work at Globex.", "I live in Lyon.")


@pytest.fixture(scope="module")
def nlp() -> Any:
    from asof.extraction.pipeline import build_nlp

    return build_nlp()


@pytest.fixture
def memory(store_url: str, nlp: Any) -> Iterator[Memory]:
    # one clock for every tenant, as a process serving several tenants has
    mem = Memory.open(store_url, clock=FakeClock(datetime(2026, 1, 1, tzinfo=UTC)),
                      neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                      neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD"))
    mem._nlp = nlp
    try:
        yield mem
    finally:
        mem.close()


def _works_at(mem: Memory, tenant: str, who: str, known_at: datetime) -> list[str]:
    return [f.object for f in mem.facts(who, "works_at", tenant=tenant, valid_at=known_at,
                                        known_at=known_at)]


def test_a_conversation_replayed_after_a_later_one_is_known_at_its_own_times(
        memory: Memory, fresh_tenant: str) -> None:
    later = _talk("later", PRIYA[0], LATER, *PRIYA[1:])
    earlier = _talk("earlier", BOB[0], EARLIER, *BOB[1:])
    memory.ingest_conversations([later, earlier], tenant=fresh_tenant, replay=True)
    a_minute_in = EARLIER + timedelta(minutes=1)
    assert _works_at(memory, fresh_tenant, "Bob Stone", a_minute_in) == ["Globex"]
    assert _works_at(memory, fresh_tenant, "Priya Raman", a_minute_in) == []  # not yet said
    assert _works_at(memory, fresh_tenant, "Priya Raman", LATER + timedelta(minutes=1)) \
        == ["Initech"]
    recorded = {e.at for e in memory.audit(tenant=fresh_tenant)}
    assert min(recorded) == EARLIER and max(recorded) == LATER + timedelta(minutes=1)
    assert memory.verify(tenant=fresh_tenant).ok


def test_each_tenant_has_its_own_transaction_time(memory: Memory, fresh_tenant: str) -> None:
    first, second = f"{fresh_tenant}-a", f"{fresh_tenant}-b"
    memory.ingest_conversations([_talk("c", PRIYA[0], LATER, *PRIYA[1:])], tenant=first,
                                replay=True)
    memory.ingest_conversations([_talk("c", BOB[0], EARLIER, *BOB[1:])], tenant=second,
                                replay=True)
    assert _works_at(memory, second, "Bob Stone", EARLIER + timedelta(minutes=1)) == ["Globex"]
    assert [e.at for e in memory.audit(tenant=second)][0] == EARLIER


def test_a_replay_that_goes_back_in_time_is_refused_and_stores_nothing(
        memory: Memory, fresh_tenant: str) -> None:
    memory.ingest_conversations([_talk("c1", PRIYA[0], LATER, *PRIYA[1:])],
                                tenant=fresh_tenant, replay=True)
    before = memory.audit(tenant=fresh_tenant)
    # its last message is new and later, its first is new and older than the tenant's head
    backwards = conversation_from_messages(
        [{"id": "old", "speaker": BOB[0], "at": EARLIER, "text": BOB[1]},
         {"id": "new", "speaker": BOB[0], "at": LATER + timedelta(days=1), "text": BOB[2]}],
        conversation_id="c2")
    with pytest.raises(ReplayOrderError) as refused:
        memory.ingest_conversations([backwards], tenant=fresh_tenant, replay=True)
    assert "'c2:old'" in str(refused.value) and "Nothing was stored" in str(refused.value)
    assert memory.audit(tenant=fresh_tenant) == before
    assert memory.store(fresh_tenant).get_episodes(["c2:new", "c2:old"]) == []


def test_a_replay_cut_short_can_be_run_again(memory: Memory, fresh_tenant: str) -> None:
    """Messages already stored are skipped, also when the rest share their timestamp (the
    store moves each a microsecond past the one before)."""
    same_time = conversation_from_messages(
        [{"id": str(i), "speaker": PRIYA[0], "at": LATER, "text": text}
         for i, text in enumerate(("I work at Initech.", "I live in Porto.", "I use Slack."))],
        conversation_id="c")
    part = Conversation("c", same_time.messages[:2])
    memory.ingest_conversations([part], tenant=fresh_tenant, replay=True)
    report = memory.ingest_conversations([same_time], tenant=fresh_tenant, replay=True)
    assert (report.duplicates, report.messages) == (2, 3)
    assert memory.verify(tenant=fresh_tenant).ok


def test_the_cli_refuses_a_backwards_replay_naming_the_message(
        store_url: str, fresh_tenant: str, tmp_path: Path) -> None:
    def write(name: str, at: datetime, speaker: str, text: str) -> str:
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps({"id": "1", "conversation_id": name, "speaker": speaker,
                                    "role": "user", "at": at.isoformat(), "text": text}) + "\n")
        return str(path)

    def ingest(path: str) -> Any:
        return CliRunner().invoke(cli, ["ingest", path, "--replay", "--store", store_url,
                                        "--tenant", fresh_tenant])

    first = ingest(write("march", LATER, *PRIYA[:2]))
    assert first.exit_code == 0, first.output
    refused = ingest(write("january", EARLIER, *BOB[:2]))
    assert refused.exit_code == 2, refused.output
    assert "'january:1'" in refused.output and "Nothing was stored" in refused.output
    # by words: vector and hybrid search always return the nearest items, stored or not
    search = CliRunner().invoke(cli, ["search", "Globex", "--mode", "lexical", "--json",
                                      "--store", store_url, "--tenant", fresh_tenant])
    assert search.exit_code == 0, search.output
    assert json.loads(search.output)["items"] == []  # neither the message nor a fact
