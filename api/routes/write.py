"""Writes: messages to extract from, structured facts, and erasure. Each is recorded in the
audit chain with the name of the API key that made it as its actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from asof.api.deps import AppSettings, Caller, Mem, Store
from asof.api.ingest_input import conversations_from_batch
from asof.api.problems import PROBLEM_RESPONSES_409
from asof.api.schemas import EpisodesIn, ErasureOut, FactsIn, IngestOut, WriteOut
from asof.graph.audit import MAX_REQUEST_FIELD
from asof.graph.errors import InvalidInputError, NotFoundError
from asof.graph.instants import isoformat
from asof.graph.models import FactAssertion
from asof.graph.writes import ErasureResult

router = APIRouter(prefix="/v1", tags=["write"])


@router.post("/episodes", response_model=IngestOut,
             summary="Ingest a batch of messages (idempotent by message id).",
             description="Resending a message exactly is a no-op (counted in `duplicates`); "
                         "resending its id with other content is a 409 and stores nothing. "
                         "With the llm or hybrid extractor, a model server that cannot be "
                         "reached is a 503.",
             responses={409: PROBLEM_RESPONSES_409})
def post_episodes(body: EpisodesIn, store: Store, mem: Mem, settings: AppSettings,
                  key: Caller) -> IngestOut:
    if len(body.messages) > settings.max_batch:
        raise InvalidInputError(f"messages: {len(body.messages)} exceeds the batch limit "
                                f"of {settings.max_batch}")
    conversations = conversations_from_batch(body.messages, tenant=store.tenant,
                                             max_message_chars=settings.max_message_chars,
                                             unit="batch")
    report = mem.ingest_conversations(conversations, tenant=store.tenant, actor=key.name,
                                      extractor=body.extractor)
    return IngestOut(**report.as_dict(), episode_ids=report.episode_ids)


@router.post("/facts", response_model=WriteOut,
             summary="Store structured facts (for callers that extract by themselves).",
             description="`source_id` makes retries no-ops; a `source_id` already used for "
                         "other facts, or that is the id of a stored message, is a 409.",
             responses={409: PROBLEM_RESPONSES_409})
def post_facts(body: FactsIn, store: Store, mem: Mem, settings: AppSettings,
               key: Caller) -> WriteOut:
    if len(body.facts) > settings.max_batch:
        raise InvalidInputError(f"facts: {len(body.facts)} exceeds the batch limit")
    assertions = [FactAssertion.parse(f.model_dump(exclude_none=True), context=f"facts[{i}]")
                  for i, f in enumerate(body.facts)]
    # through the facade: it checks the source id and embeds the new versions
    result = mem.assert_facts(assertions, tenant=store.tenant, observed_at=body.observed_at,
                              source_id=body.source_id, actor=key.name)
    return WriteOut(recorded_at=isoformat(result.recorded_at), duplicate=result.duplicate,
                    episode_ids=result.episode_ids,
                    versions_written=[v.version_id for v in result.written],
                    versions_closed=result.closed, confirmations=result.confirmed,
                    audit_seqs=[e.seq for e in result.events])


@router.delete("/entities/{entity_id}", response_model=ErasureOut,
               summary="Erase an entity everywhere (right to be forgotten).")
def delete_entity(
        entity_id: str, store: Store, key: Caller,
        requester: Annotated[str | None, Query(
            max_length=MAX_REQUEST_FIELD, description="Who requested the erasure (a role or a "
            "staff member; 'the data subject', never their name); recorded in the erasure "
            "event.")] = None,
        ticket: Annotated[str | None, Query(
            max_length=MAX_REQUEST_FIELD, description="The erasure request's reference; "
            "recorded in the erasure event.")] = None) -> ErasureOut:
    if not store.get_entities([entity_id]):
        raise NotFoundError(f"no entity {entity_id!r}")
    result = store.forget(entity_id, actor=key.name, requester=requester, ticket=ticket)
    return _erasure_out(result)


@router.delete("/speakers/{speaker}", response_model=ErasureOut,
               summary="Erase a speaker's messages everywhere (right to be forgotten).",
               description="For someone who spoke but of whom no fact was stored (an entity "
                           "is erased with DELETE /v1/entities/{entity_id}, which also erases "
                           "the messages it spoke): the text, speaker and metadata of every "
                           "message they spoke or that names them, and the quotes of the "
                           "facts those messages sourced. A name that is an entity's erases "
                           "that entity. 404 when no entity and no message matches.")
def delete_speaker(
        speaker: str, store: Store, key: Caller,
        requester: Annotated[str | None, Query(
            max_length=MAX_REQUEST_FIELD, description="Who requested the erasure; recorded "
            "in the erasure event.")] = None,
        ticket: Annotated[str | None, Query(
            max_length=MAX_REQUEST_FIELD, description="The erasure request's reference; "
            "recorded in the erasure event.")] = None) -> ErasureOut:
    if not speaker.strip():
        raise InvalidInputError("speaker: must not be empty")
    return _erasure_out(store.forget(speaker, actor=key.name, requester=requester,
                                     ticket=ticket))


def _erasure_out(result: ErasureResult) -> ErasureOut:
    return ErasureOut(entity_id=result.entity_id, versions=result.versions,
                      claims=result.claims, episodes=result.episodes,
                      audit_seq=result.event.seq)
