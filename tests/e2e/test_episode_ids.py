"""Episode ids of named messages are unambiguous (issue #16 item 13, first bullet), on a real
SQLite file and on Neo4j.

A message's episode id joins its conversation id and its message id. Joined with a bare ``:``,
conversation ``a:b`` message ``c`` and conversation ``a`` message ``b:c`` were one id, and the
second message was dropped as a resend of the first. The parts are now escaped. Messages
stored before keep their ids: sending one again is still a resend, not a second copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from asof.api.ingest_input import conversation_from_messages
from asof.api.memory import Memory
from asof.extraction.readers import Conversation
from asof.graph.errors import ConflictError
from asof.graph.ids import message_episode_id
from asof.graph.models import Episode

pytestmark = pytest.mark.e2e

AT = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def _one(conversation_id: str, message_id: str, text: str) -> Conversation:
    return conversation_from_messages(
        [{"id": message_id, "speaker": "Ann Lee", "role": "user", "at": AT, "text": text}],
        conversation_id=conversation_id)


@pytest.fixture
def memory(store_url: str) -> Iterator[Memory]:
    mem = Memory.open(store_url, neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                      neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD"))
    try:
        yield mem
    finally:
        mem.close()


def test_ids_that_joined_alike_are_two_messages(memory: Memory, fresh_tenant: str) -> None:
    first = memory.ingest_conversations([_one("a:b", "c", "Hello from the first")],
                                        tenant=fresh_tenant)
    second = memory.ingest_conversations([_one("a", "b:c", "Hello from the second")],
                                         tenant=fresh_tenant)
    assert (first.duplicates, second.duplicates) == (0, 0), (first, second)
    stored = memory.store(fresh_tenant).get_episodes(["a%3Ab:c", "a:b%3Ac"])
    assert [e.text for e in stored] == ["Hello from the first", "Hello from the second"]
    assert memory.store(fresh_tenant).verify().ok


def test_plain_ids_are_what_they_were() -> None:
    assert message_episode_id("c1", "m1") == "c1:m1"
    assert message_episode_id("a:b", "c") != message_episode_id("a", "b:c")
    assert message_episode_id("50%", "x") != message_episode_id("50%25", "x")


def _stored_before(memory: Memory, tenant: str) -> None:
    """A message as asof stored it before the parts were escaped: id ``a:b:c``."""
    episode = Episode.create(tenant=tenant, speaker="Ann Lee", occurred_at=AT,
                             text="Hello from the first", conversation_id="a:b", id="a:b:c")
    memory.store(tenant).apply(episode)


def test_a_message_stored_before_is_still_a_resend(memory: Memory, fresh_tenant: str) -> None:
    _stored_before(memory, fresh_tenant)
    again = memory.ingest_conversations([_one("a:b", "c", "Hello from the first")],
                                        tenant=fresh_tenant)
    assert (again.episode_ids, again.duplicates) == ([], 1), again
    assert memory.store(fresh_tenant).row_ids()["episode"] == ["a:b:c"]
    with pytest.raises(ConflictError, match="a:b:c"):
        memory.ingest_conversations([_one("a:b", "c", "Other words")], tenant=fresh_tenant)
    # the other conversation whose id joined alike is not that message
    other = memory.ingest_conversations([_one("a", "b:c", "Hello from the second")],
                                        tenant=fresh_tenant)
    assert other.episode_ids == ["a:b%3Ac"]
    assert memory.store(fresh_tenant).verify().ok
