"""The UI's pages about entities and facts: search, an entity's facts on both axes, its
bitemporal timeline and the history of one fact with its sources and audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from asof.api.ui.render import UiRoute, page
from asof.api.ui.session import Viewing
from asof.api.ui.timeline import bars_markup, layout
from asof.graph.contract import VersionQuery
from asof.graph.errors import NotFoundError
from asof.graph.instants import parse_instant
from asof.graph.models import Claim, Entity, Episode
from asof.graph.store import GraphStore
from asof.query import views
from asof.query.paging import MAX_OFFSET

router = APIRouter(prefix="/ui", route_class=UiRoute, include_in_schema=False)

#: Entities per page of the search.
PAGE_SIZE = 50
#: Entities read per round while matching names (the search reads the tenant's list).
_SCAN_CHUNK = 1_000

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Text = Annotated[str, Query(max_length=300)]


def optional_instant(value: str, name: str) -> datetime | None:
    """A form's time field: empty for "now", else ISO 8601 with an offset (naive times are
    refused with a message that says so)."""
    return parse_instant(value.strip(), name) if value.strip() else None


@router.get("", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/ui/entities", status_code=303)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, viewer: Viewing, q: Text = "",
                  offset: Offset = 0) -> HTMLResponse:
    store = viewer.store
    if q.strip():
        found, next_offset = _matching(store, q.strip(), offset)
    else:
        listed = views.entities(store, limit=PAGE_SIZE, offset=offset)
        found, next_offset = list(listed), listed.next_offset
    return page(request, "entities.html", viewer=viewer, q=q, entities=found,
                offset=offset, next_offset=next_offset, page_size=PAGE_SIZE)


def _matching(store: GraphStore, text: str, offset: int) -> tuple[list[Entity], int | None]:
    """Entities whose name or an alias contains ``text`` (any case), one page of them."""
    needle = text.casefold()
    matches: list[Entity] = []
    scanned = 0
    while len(matches) <= offset + PAGE_SIZE:
        chunk = store.list_entities(limit=_SCAN_CHUNK, offset=scanned)
        matches += [e for e in chunk if needle in e.name.casefold()
                    or any(needle in a.casefold() for a in e.aliases)]
        scanned += len(chunk)
        if len(chunk) < _SCAN_CHUNK:
            break
    more = len(matches) > offset + PAGE_SIZE
    return matches[offset:offset + PAGE_SIZE], offset + PAGE_SIZE if more else None


@router.get("/entities/{entity}", response_class=HTMLResponse)
def entity_page(request: Request, entity: str, viewer: Viewing, valid_at: Text = "",
                known_at: Text = "") -> HTMLResponse:
    store = viewer.store
    found = store.resolve(entity)
    viewer.about(found.id)
    valid, known = optional_instant(valid_at, "valid_at"), optional_instant(known_at, "known_at")
    about = views.facts(store, found.id, valid_at=valid, known_at=known, limit=1_000)
    pointing = views.facts(store, None, None, found.id, valid_at=valid, known_at=known,
                           limit=1_000)
    return page(request, "entity.html", viewer=viewer, entity=found, facts=list(about),
                pointing=list(pointing), valid_at=valid_at, known_at=known_at,
                truncated=about.next_offset is not None or pointing.next_offset is not None)


@router.get("/entities/{entity}/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, entity: str, viewer: Viewing,
                  known_at: Text = "") -> HTMLResponse:
    store = viewer.store
    found = store.resolve(entity)
    viewer.about(found.id)
    known = optional_instant(known_at, "known_at")
    versions = store.find_versions(VersionQuery(subject_id=found.id))
    chart = layout(versions, known) if versions else None
    # What brought each change: the entity's claim recorded then (its message and its quote;
    # a read that grows with the entity, not with the tenant's audit log).
    times = {step.at for step in chart.steps} if chart else set()
    causes: dict[datetime, Claim] = {}
    for claim in store.find_claims(found.id):
        if claim.recorded_at in times and claim.episode_id is not None:
            causes.setdefault(claim.recorded_at, claim)
    return page(request, "timeline.html", viewer=viewer, entity=found, chart=chart,
                causes=causes, known_at=known_at, bars_markup=bars_markup)


@router.get("/facts/{fact_key}", response_class=HTMLResponse)
def fact_page(request: Request, fact_key: str, viewer: Viewing) -> HTMLResponse:
    store = viewer.store
    versions = views.history(store, fact_key)
    if not versions:
        raise NotFoundError(f"no fact {fact_key!r} in tenant {store.tenant!r}")
    first = versions[0].version
    viewer.about(first.subject_id)
    episode_ids = sorted({p.episode_id for v in versions for p in v.provenance})
    episodes = {e.id: e for e in store.get_episodes(episode_ids)} if episode_ids else {}
    events = sorted({e.seq: e for v in versions for e in v.events}.values(),
                    key=lambda e: e.seq)
    return page(request, "fact.html", viewer=viewer, fact_key=fact_key, versions=versions,
                first=first, episodes=episodes, events=events, in_context=in_context)


def in_context(episode: Episode | None, start: int | None,
               end: int | None) -> tuple[str, str, str]:
    """A message's text split around a source's quote: (before, quote, after)."""
    if episode is None:
        return "", "", ""
    if start is None or end is None:
        return episode.text, "", ""
    return episode.text[:start], episode.text[start:end], episode.text[end:]
