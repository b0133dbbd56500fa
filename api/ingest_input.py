"""What an ingest checks before anything is stored: messages given as mappings become one
conversation, a REST or MCP batch is grouped by conversation, a resent message must be the
same message, a ``source_id`` must not name a stored message, and a replay must not go back
in the tenant's transaction time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from asof.extraction.readers import Conversation, Message
from asof.graph.contract import AuditHead, WriteTx
from asof.graph.errors import ConflictError, InvalidInputError
from asof.graph.ids import canonical_json, legacy_message_episode_id
from asof.graph.models import Episode, FactAssertion, Role
from asof.graph.store import GraphStore
from asof.graph.writes import replay_time

if TYPE_CHECKING:
    from asof.api.schemas import MessageIn


#: a message given as a mapping: {id?, conversation_id?, speaker, role, at, text}
MessageInput = Mapping[str, Any]

def conversation_from_messages(messages: Iterable[MessageInput | Message], *,
                               conversation_id: str = "default") -> Conversation:
    """Validate plain message dicts (``speaker``, ``at``, ``text``, optional ``role``, ``id``)."""
    from asof.graph.instants import parse_instant, require_aware

    out = []
    for index, m in enumerate(messages):
        if isinstance(m, Message):
            out.append(m)
            continue
        if not isinstance(m, Mapping):
            raise InvalidInputError(f"messages[{index}]: expected an object")
        where = f"messages[{index}]"
        for key in ("speaker", "at", "text"):
            if key not in m:
                raise InvalidInputError(f"{where}.{key}: required")
        at = m["at"]
        instant = (parse_instant(at, f"{where}.at") if isinstance(at, str)
                   else require_aware(at, f"{where}.at"))
        text, speaker = m["text"], m["speaker"]
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError(f"{where}.text: must be a non-empty string")
        if not isinstance(speaker, str) or not speaker.strip():
            raise InvalidInputError(f"{where}.speaker: must be a non-empty string")
        try:
            role = Role(m.get("role", "user"))
        except ValueError:
            raise InvalidInputError(
                f"{where}.role: must be one of {', '.join(r.value for r in Role)}") from None
        message_id = m.get("id")
        if message_id is not None and not isinstance(message_id, str):
            raise InvalidInputError(f"{where}.id: must be a string")
        out.append(Message(speaker=speaker.strip(), role=role, at=instant, text=text,
                           id=message_id))
    if not out:
        raise InvalidInputError("messages: at least one message is required")
    return Conversation(conversation_id, out)


def conversations_from_batch(messages: Sequence[MessageIn], *, tenant: str,
                             max_message_chars: int, unit: str) -> list[Conversation]:
    """A batch of validated request messages (REST, MCP) → one conversation per
    ``conversation_id``, each checked down to its episodes before anything is stored.
    ``unit`` names the batch in errors ("batch", "call")."""
    ids = [m.id for m in messages if m.id is not None]
    if len(ids) != len(set(ids)):
        raise InvalidInputError(f"messages: duplicate ids in one {unit}")
    by_conversation: dict[str, list[dict[str, Any]]] = {}
    for index, m in enumerate(messages):
        if len(m.text) > max_message_chars:
            raise InvalidInputError(f"messages[{index}].text: longer than "
                                    f"{max_message_chars} characters")
        by_conversation.setdefault(m.conversation_id, []).append(
            m.model_dump(exclude={"conversation_id"}))
    conversations = [conversation_from_messages(msgs, conversation_id=cid)
                     for cid, msgs in by_conversation.items()]
    for conversation in conversations:  # validate everything before storing anything
        conversation.episodes(tenant)
    return conversations


#: How the contract reads an erased episode back (GraphStore.get_episodes): its text is gone.
_ERASED = "[erased]"
#: The conversation GraphStore.assert_facts files each structured request under.
STRUCTURED = "structured"
#: Ids looked up per read when checking resends.
_RESEND_CHUNK = 500


def with_stored_ids(store: GraphStore, episodes: Sequence[Episode]) -> list[Episode]:
    """``episodes`` under the ids their messages are stored with: a message stored before the
    parts of its id were escaped (``ids.message_episode_id``) keeps its old id, so sending it
    again is still a resend (a no-op, or a conflict), never a second copy. The old id is
    ambiguous, so it counts only when the stored message is in the same conversation."""
    legacy = {e.id: legacy_message_episode_id(e.id, e.conversation_id) for e in episodes}
    wanted = sorted({old for old in legacy.values() if old})
    stored: dict[str, Episode] = {}
    for start in range(0, len(wanted), _RESEND_CHUNK):
        stored.update({e.id: e for e in store.get_episodes(wanted[start:start + _RESEND_CHUNK])})
    out = []
    for episode in episodes:
        old = stored.get(legacy[episode.id] or "")
        same = old is not None and old.conversation_id == episode.conversation_id
        out.append(episode.model_copy(update={"id": old.id}) if old and same else episode)
    return out


def check_resends(store: GraphStore, conversations: Sequence[Conversation]) -> None:
    """Refuse a message whose caller-given id is already stored with other content
    (:class:`ConflictError`): a retry must repeat the message exactly, and a new message needs
    a new id. Before, the store kept the first version and reported a duplicate, so the new
    text was dropped without a word. An erased message may be resent (a backlog replay) and
    stays erased."""
    given = with_stored_ids(store, [
        e for c in conversations if any(m.id for m in c.messages)
        for e, m in zip(c.episodes(store.tenant), c.messages, strict=True) if m.id])
    for start in range(0, len(given), _RESEND_CHUNK):
        chunk = given[start:start + _RESEND_CHUNK]
        stored = {e.id: e for e in store.get_episodes([e.id for e in chunk])}
        for episode in chunk:
            old = stored.get(episode.id)
            if old is None or old.text == _ERASED:
                continue
            differs = [name for name in ("conversation_id", "speaker", "role", "occurred_at",
                                         "text")
                       if getattr(old, name) != getattr(episode, name)]
            if differs:
                raise ConflictError(
                    f"message {episode.id!r} is already stored with another "
                    f"{', '.join(differs)}: a retry must repeat the message exactly, and a "
                    "new message needs a new id")


def check_source_id(store: GraphStore, source_id: str | None,
                    assertions: Sequence[FactAssertion]) -> None:
    """Refuse a structured write whose ``source_id`` is the id of a stored message, or of an
    earlier request with other facts (:class:`ConflictError`): either way the facts would be
    dropped as a "duplicate". An exact retry stays a no-op."""
    if source_id is None:
        return
    for old in store.get_episodes([source_id]):
        if old.conversation_id != STRUCTURED or old.role is not Role.TOOL:
            raise ConflictError(f"source_id {source_id!r} is already the id of a message in "
                                f"conversation {old.conversation_id!r}; choose another")
        # the request's text as GraphStore.assert_facts stores it: its facts, canonically
        text = canonical_json([a.model_dump(mode="json", exclude_defaults=True)
                               for a in assertions])
        if old.text not in (text, _ERASED):
            raise ConflictError(f"source_id {source_id!r} was already used for other facts: "
                                "a retry must repeat the request's facts, and new facts need "
                                "a new source_id")


def check_replay(store: GraphStore, conversations: Sequence[Conversation]) -> None:
    """Refuse a replay before anything is stored when its earliest message not yet stored lies
    before the tenant's latest transaction time (:class:`ReplayOrderError`, naming the
    message). Messages already stored are skipped, so a replay cut short can be run again."""
    episodes = with_stored_ids(store, [e for c in conversations
                                       for e in c.episodes(store.tenant)])
    stored: set[str] = set()
    for start in range(0, len(episodes), _RESEND_CHUNK):
        chunk = episodes[start:start + _RESEND_CHUNK]
        stored.update(e.id for e in store.get_episodes([e.id for e in chunk]))
    new = [e for e in episodes if e.id not in stored]
    if new:
        replay_time(min(new, key=lambda e: e.occurred_at), store.run_write(_read_head))


def _read_head(tx: WriteTx) -> AuditHead | None:
    return tx.lock_head()
