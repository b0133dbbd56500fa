"""asof as a Model Context Protocol server: the memory tools an agent calls.

One server serves one tenant, fixed when it starts (``asof mcp --tenant acme``); no tool takes
a tenant, so a model cannot reach another tenant's memory whatever it sends. The tools are thin
wrappers over :class:`~asof.api.memory.Memory` and return the same JSON as ``asof … --json``
and the REST API. Library errors (bad input, unknown entity) come back as tool errors with
asof's one-line message, so the model can correct its call.

Transports: stdio (the default, for MCP clients that start the server themselves) and
streamable HTTP on the loopback interface (``--http``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

import asof
from asof.api.ingest_input import conversations_from_batch
from asof.api.memory import Memory
from asof.api.schemas import MessageIn
from asof.graph.errors import AsofError, InvalidInputError
from asof.graph.instants import isoformat, parse_instant

F = TypeVar("F", bound=Callable[..., Any])

#: What the model reads first: how this memory works and how to call it well.
INSTRUCTIONS = """\
asof is a temporal memory: it turns conversations into facts (subject, predicate, object) that
hold over a validity interval, and remembers when it learned each one. Use it to remember what
users say and to answer questions about people, organisations and their history.

- Call `remember` with the messages of the conversation (speaker, time with a UTC offset, text).
- Call `ask` with a plain English question, e.g. "Where did Priya work in March 2024?"; the
  answer comes with the facts and the source messages it relied on.
- `context` gives a short memory block about one entity to put in your prompt.
- `facts`, `timeline` and `history` read the stored facts directly; `search` finds messages and
  facts by words.
- Times are ISO 8601 with an offset ("2024-03-01T09:00:00Z"); a time without one is refused.
  `valid_at` asks what was true at that time; `known_at` asks what the memory believed then.
- `forget` erases a person or thing everywhere, or someone who only spoke (right to be
  forgotten); it cannot be undone.
"""

Time = Annotated[str | None, Field(
    description="ISO 8601 instant with a UTC offset, e.g. 2024-03-01T09:00:00Z.")]


def _tool_errors(fn: F) -> F:
    """asof's own errors become tool errors carrying its message (the model can fix its call);
    anything else is a bug and propagates."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AsofError as exc:
            raise ToolError(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _instant(value: str | None, field: str) -> datetime | None:
    return None if value is None else parse_instant(value, field)


def build_server(memory: Memory, *, tenant: str, actor: str = "mcp",
                 max_messages: int = 1000, max_message_chars: int = 20_000) -> MCPServer:
    """An MCP server whose tools read and write ``tenant`` of ``memory``.

    Args:
        memory: an open :class:`Memory`; the caller closes it after the server stops.
        tenant: the one tenant every tool works on.
        actor: the name writes are audited under.
        max_messages: the most messages one ``remember`` call may carry.
        max_message_chars: the longest message text ``remember`` accepts.
    """
    memory.store(tenant)  # refuses an invalid tenant before the server starts
    server = MCPServer(name="asof", version=asof.__version__, instructions=INSTRUCTIONS)
    read_only = ToolAnnotations(readOnlyHint=True, openWorldHint=False)

    @server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False,
                                             idempotentHint=True, openWorldHint=False))
    @_tool_errors
    def remember(
        messages: Annotated[list[MessageIn], Field(
            min_length=1, description="The messages to remember, oldest first. Each has a "
            "speaker, a time `at` with a UTC offset, and the text; optionally a role (user, "
            "assistant, system, tool), a conversation_id and your own message id (sending "
            "the same message again changes nothing).")],
    ) -> dict[str, Any]:
        """Remember a conversation: extract the facts its messages state (jobs, homes,
        managers, tools, preferences, ...) with when they hold, and store them with the
        messages as evidence. Returns counts of what was stored."""
        if len(messages) > max_messages:
            raise InvalidInputError(f"messages: {len(messages)} exceeds the limit of "
                                    f"{max_messages} per call")
        conversations = conversations_from_batch(messages, tenant=tenant,
                                                 max_message_chars=max_message_chars,
                                                 unit="call")
        report = memory.ingest_conversations(conversations, tenant=tenant, actor=actor)
        return {**report.as_dict(), "episode_ids": report.episode_ids}

    @server.tool(annotations=read_only)
    @_tool_errors
    def ask(
        question: Annotated[str, Field(min_length=1, max_length=2000, description=(
            "A question in plain English, e.g. 'Where did Priya work in March 2024?', "
            "'Who is Sam's manager?', 'When did Priya move to Berlin?'"))],
        now: Annotated[str | None, Field(description=(
            "The reference time for 'now' and relative dates such as 'last year' (ISO 8601 "
            "with offset). Default: the current time."))] = None,
        known_at: Annotated[str | None, Field(description=(
            "Answer as the memory believed at this time, ignoring what it learned later "
            "(ISO 8601 with offset). Default: what it believes now."))] = None,
        asker: Annotated[str | None, Field(max_length=300, description=(
            "Who is asking: the person 'I', 'me' and 'my' refer to in the question."))] = None,
    ) -> dict[str, Any]:
        """Answer a question about what was true at some time, with evidence: the answer
        text, the facts it relied on with their validity intervals, and the source messages
        (episode ids and quoted spans). status is 'answered', 'nothing_known' or
        'unparseable' (then rephrase the question). passages: the stored messages closest to
        the question, to read when the facts do not answer it."""
        answer = memory.ask(question, tenant=tenant, now=_instant(now, "now"),
                            known_at=_instant(known_at, "known_at"), asker=asker)
        return answer.as_dict()

    @server.tool(annotations=read_only)
    @_tool_errors
    def facts(
        subject: Annotated[str | None, Field(max_length=300, description=(
            "Only facts about this entity (name, alias or id). Default: every entity."))] = None,
        predicate: Annotated[str | None, Field(max_length=64, description=(
            "Only this relation, e.g. works_at, lives_in, reports_to, uses, job_title."))] = None,
        object: Annotated[str | None, Field(max_length=300, description=(
            "Only facts with this object (entity name or literal value)."))] = None,
        valid_at: Annotated[str | None, Field(description=(
            "Facts true in the world at this time (ISO 8601 with offset). Default: now."))] = None,
        known_at: Annotated[str | None, Field(description=(
            "As the memory believed them at this time (ISO 8601 with offset). Default: now."
        ))] = None,
        limit: Annotated[int, Field(ge=1, le=1000, description="At most this many facts.")] = 100,
    ) -> dict[str, Any]:
        """List stored facts true at valid_at as believed at known_at, each with its validity
        interval (valid_from, valid_to; null means open) and source messages."""
        views = memory.facts(subject, predicate, object, tenant=tenant,
                             valid_at=_instant(valid_at, "valid_at"),
                             known_at=_instant(known_at, "known_at"), limit=limit)
        return {"facts": [v.as_dict() for v in views]}

    @server.tool(annotations=read_only)
    @_tool_errors
    def timeline(
        entity: Annotated[str, Field(min_length=1, max_length=300, description=(
            "The entity's name, alias or id."))],
        known_at: Annotated[str | None, Field(description=(
            "As the memory believed it at this time (ISO 8601 with offset). Default: now."
        ))] = None,
    ) -> dict[str, Any]:
        """An entity's history in the world: for each relation (works_at, lives_in, ...), the
        objects it had and from when to when, oldest first."""
        result = memory.timeline(entity, tenant=tenant,
                                 known_at=_instant(known_at, "known_at"))
        return {"entity": result.name, "entity_id": result.entity_id,
                "known_at": isoformat(result.known_at),
                "predicates": {p: [e.view.as_dict() for e in entries]
                               for p, entries in result.by_predicate().items()}}

    @server.tool(annotations=read_only)
    @_tool_errors
    def history(
        target: Annotated[str, Field(min_length=1, max_length=300, description=(
            "An entity's name, alias or id, or a fact key (fk_...) from another tool's "
            "result."))],
        predicate: Annotated[str | None, Field(max_length=64, description=(
            "With an entity: only this relation."))] = None,
    ) -> dict[str, Any]:
        """Every version of the facts about an entity (or of one fact) on both time axes:
        when each was true and when the memory recorded, corrected or superseded it, with
        the audit events and source messages. Use it to explain why a belief changed."""
        if target.startswith("fk_") and predicate is None:
            views = memory.history(target, tenant=tenant)
            if not views:
                raise InvalidInputError(f"no fact with key {target!r}")
        else:
            views = memory.entity_history(target, predicate, tenant=tenant)
        return {"versions": [v.as_dict() for v in views]}

    @server.tool(annotations=read_only)
    @_tool_errors
    def search(
        text: Annotated[str, Field(min_length=1, max_length=1000, description=(
            "Words to look for in remembered messages and facts."))],
        limit: Annotated[int, Field(ge=1, le=100, description="At most this many hits.")] = 10,
        valid_at: Time = None,
        known_at: Time = None,
        mode: Annotated[Literal["lexical", "vector", "hybrid"] | None, Field(description=(
            "lexical: the words; vector: the meaning; hybrid: both (the default where "
            "available)."))] = None,
    ) -> dict[str, Any]:
        """Search remembered messages and facts by their words and meaning, best first. Use
        it when you do not know an entity's exact name, or the words the user used."""
        hits = memory.search(text, tenant=tenant, limit=limit,
                             valid_at=_instant(valid_at, "valid_at"),
                             known_at=_instant(known_at, "known_at"), mode=mode)
        return {"hits": [{"kind": h.kind, "id": h.id, "score": h.score, "text": h.text}
                         for h in hits]}

    @server.tool(annotations=read_only)
    @_tool_errors
    def context(
        subject: Annotated[str, Field(min_length=1, max_length=300, description=(
            "The entity to remember things about: usually the user you are talking to."))],
        query: Annotated[str | None, Field(max_length=2000, description=(
            "What you are about to do or answer; facts that bear on it come first."))] = None,
        budget_tokens: Annotated[int, Field(ge=16, le=100_000, description=(
            "The most tokens the block may take."))] = 300,
        now: Time = None,
    ) -> dict[str, Any]:
        """A compact memory block about one entity to put in your prompt: its current facts
        with their dates and its recent changes, within a token budget."""
        block = memory.context(subject, tenant=tenant, query=query,
                               budget_tokens=budget_tokens, now=_instant(now, "now"))
        return block.as_dict()

    @server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=True,
                                             idempotentHint=False, openWorldHint=False))
    @_tool_errors
    def forget(
        entity: Annotated[str, Field(min_length=1, max_length=300, description=(
            "The entity to erase (name, alias or id), or the name of a speaker of whom no fact "
            "was stored."))],
        requester: Annotated[str | None, Field(max_length=200, description=(
            "Who asked for the erasure ('the user', a role; never the erased name)."))] = None,
        ticket: Annotated[str | None, Field(max_length=200, description=(
            "The erasure request's reference, if there is one."))] = None,
    ) -> dict[str, Any]:
        """Erase an entity for good (right to be forgotten): the entity, every fact about it
        and the text of every message that mentions it or that it spoke, from every view, past
        ones included. A speaker of whom no fact was stored is erased by name the same way
        (their messages and the messages naming them; entity_id is then null). Only do this
        when the user asks for it. The audit log keeps an anonymous record."""
        result = memory.forget(entity, tenant=tenant, actor=actor, requester=requester,
                               ticket=ticket)
        return {"entity_id": result.entity_id, "versions": result.versions,
                "claims": result.claims, "episodes": result.episodes,
                "audit_seq": result.event.seq}

    @server.tool(annotations=read_only)
    @_tool_errors
    def audit_verify() -> dict[str, Any]:
        """Check the memory's tamper-evident audit chain: recompute every event's hash and
        the stored rows it covers. ok is false, with the first bad event and the reason,
        if anything was changed behind the memory's back."""
        return memory.verify(tenant=tenant).as_dict()

    return server


def serve(memory: Memory, *, tenant: str, actor: str = "mcp", http_port: int | None = None,
          max_messages: int = 1000, max_message_chars: int = 20_000) -> None:
    """Serve until the client disconnects (stdio) or the process is stopped (HTTP, on
    127.0.0.1:``http_port`` at ``/mcp``). The limits are :func:`build_server`'s."""
    server = build_server(memory, tenant=tenant, actor=actor, max_messages=max_messages,
                          max_message_chars=max_message_chars)
    if http_port is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=http_port)
