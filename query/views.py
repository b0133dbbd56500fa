"""Read views over a GraphStore (DESIGN.md §5): facts with provenance, history, timeline, diff,
snapshot, search. Written once against the contract: no backend branching."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import networkx as nx

from asof.graph.audit import CLAIM, ENTITY, EPISODE, VERSION, target
from asof.graph.contract import Quote, SearchHit, VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.instants import LATEST, isoformat, require_aware, start_us
from asof.graph.models import AuditAction, AuditEvent, Entity, Episode, FactVersion
from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.query.paging import Page, check_window, fetch_size, page_after, page_of
from asof.query.retrieval import Mode, retrieve

#: The largest page of facts, versions, timeline entries, entities or audit events.
MAX_LIMIT = 100_000
#: The largest page of search hits (ranked: deeper hits are rarely worth reading).
MAX_SEARCH_LIMIT = 1_000


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact came from, per source: the message, who said it, when, and the words that
    source itself said (its claim's quote, with the quote's character offsets in the message
    text; ``None`` when the claim carried no quote or the message no longer holds it)."""

    episode_id: str
    speaker: str | None
    occurred_at: datetime | None
    conversation_id: str | None
    evidence: str | None
    evidence_start: int | None = None
    evidence_end: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"episode_id": self.episode_id, "speaker": self.speaker,
                "occurred_at": isoformat(self.occurred_at),
                "conversation_id": self.conversation_id, "evidence": self.evidence,
                "evidence_start": self.evidence_start, "evidence_end": self.evidence_end}


@dataclass(frozen=True, slots=True)
class FactView:
    """A fact version with names, provenance and (for history) its audit events."""

    version: FactVersion
    provenance: tuple[Provenance, ...] = ()
    events: tuple[AuditEvent, ...] = ()

    @property
    def subject(self) -> str:
        return self.version.subject_name or self.version.subject_id

    @property
    def object(self) -> str:
        return self.version.object_label

    def as_dict(self) -> dict[str, Any]:
        v = self.version
        return {
            "version_id": v.version_id, "fact_key": v.fact_key,
            "subject": self.subject, "subject_id": v.subject_id, "predicate": v.predicate,
            "object": self.object, "object_id": v.object_id, "object_value": v.object_value,
            "valid_from": isoformat(v.valid_from), "valid_to": isoformat(v.valid_to),
            "valid_from_basis": v.valid_from_basis.value,
            "granularity": v.granularity.value if v.granularity else None,
            "recorded_at": isoformat(v.recorded_at), "superseded_at": isoformat(v.superseded_at),
            "supersedes": v.supersedes, "expires_at": isoformat(v.expires_at),
            "confidence": v.confidence, "extractor": v.extractor, "evidence": v.evidence,
            "provenance": [p.as_dict() for p in self.provenance],
            "events": [{"seq": e.seq, "action": e.action.value, "at": isoformat(e.at),
                        "actor": e.actor} for e in self.events],
        }


def with_provenance(store: GraphStore, versions: Sequence[FactVersion],
                    events: Sequence[AuditEvent] = ()) -> list[FactView]:
    """Attach each version's source episodes, each with its own claim's quote (one read for
    all: :meth:`GraphStore.get_provenance`), and, if given, the events touching each
    version."""
    links, episodes = store.get_provenance([v.version_id for v in versions if v.episode_ids])
    return _with_sources(versions, links, episodes, events)


def _with_sources(versions: Sequence[FactVersion], links: Sequence[Quote],
                  episodes: Sequence[Episode], events: Sequence[AuditEvent] = ()
                  ) -> list[FactView]:
    by_id = {e.id: e for e in episodes}
    quotes: dict[tuple[str, str | None], str] = {}
    for link in links:  # an asserting claim's quote before a retraction's
        key = (link.version_id, link.episode_id)
        if link.text is not None and (key not in quotes or not link.retraction):
            quotes[key] = link.text
    by_version: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        for t in (*event.targets, *event.superseded):
            if t.startswith("version:"):
                by_version[t.removeprefix("version:")].append(event)
    views = []
    for v in versions:
        provenance = tuple(sorted(
            (_provenance(eid, by_id.get(eid), quotes.get((v.version_id, eid)))
             for eid in v.episode_ids), key=_said_order))
        views.append(FactView(v, provenance, tuple(by_version.get(v.version_id, ()))))
    return views


def _said_order(source: Provenance) -> tuple[bool, datetime | None, str]:
    """Sources in the order they were said (a missing message last); a store keeps a
    version's links in no particular order."""
    return (source.occurred_at is None, source.occurred_at, source.episode_id)


def _provenance(episode_id: str, episode: Episode | None, quote: str | None) -> Provenance:
    if episode is None:
        return Provenance(episode_id, None, None, None, quote)
    start = episode.text.find(quote) if quote else -1
    return Provenance(episode_id, episode.speaker, episode.occurred_at, episode.conversation_id,
                      quote, start if start >= 0 else None,
                      start + len(quote) if quote and start >= 0 else None)


def facts(store: GraphStore, subject: str | None = None, predicate: str | None = None,
          obj: str | None = None, *, valid_at: datetime | None = None,
          known_at: datetime | None = None, limit: int | None = None,
          offset: int = 0) -> Page[FactView]:
    """What was true at ``valid_at`` as believed at ``known_at`` (both default to now)."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    if offset:  # a later page: the provenance of that page only
        page = page_of(store.facts(subject, predicate, obj, valid_at=valid_at,
                                   known_at=known_at, limit=fetch_size(offset, limit)),
                       offset=offset, limit=limit)
        return page.with_items(with_provenance(store, page))
    versions, links, episodes = store.facts_with_provenance(
        subject, predicate, obj, valid_at=valid_at, known_at=known_at,
        limit=fetch_size(0, limit))
    page = page_of(versions, offset=0, limit=limit)
    return page.with_items(_with_sources(page, links, episodes))


def current(store: GraphStore, subject: str | None = None, predicate: str | None = None,
            obj: str | None = None, *, limit: int | None = None,
            offset: int = 0) -> Page[FactView]:
    """What is true now, as believed now."""
    return facts(store, subject, predicate, obj, limit=limit, offset=offset)


def history(store: GraphStore, fact_key: str, audit: Sequence[AuditEvent] | None = None, *,
            limit: int | None = None, offset: int = 0) -> Page[FactView]:
    """Every version of a fact on both axes, oldest recorded first, with audit events and
    source episodes. ``audit``: the tenant's events when the caller already read them."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    versions = store.versions(fact_key)
    if not versions:
        return Page([], offset=offset, limit=limit)
    ids = {v.version_id for v in versions}
    events = [e for e in (store.audit_events(1) if audit is None else audit)
              if e.fact_key == fact_key or any(
                  t.removeprefix("version:") in ids for t in (*e.targets, *e.superseded))]
    page = page_of(versions, offset=offset, limit=limit)
    return page.with_items(with_provenance(store, page, events))


def entity_history(store: GraphStore, entity: str, predicate: str | None = None, *,
                   limit: int | None = None, offset: int = 0) -> Page[FactView]:
    """The history of every fact about ``entity`` (a name, alias or id) as subject, optionally
    of one predicate: each fact's versions on both axes, facts in order of their first
    version. :class:`NotFoundError` when nobody of that name is known."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    found = store.resolve(entity)
    versions = store.find_versions(VersionQuery(subject_id=found.id, predicate=predicate))
    keys = list(dict.fromkeys(v.fact_key for v in sorted(
        versions, key=lambda v: (v.recorded_at, v.version_id))))
    audit = store.audit_events(1) if keys else []  # read once for every fact
    return page_of([view for key in keys for view in history(store, key, audit)],
                   offset=offset, limit=limit)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    predicate: str
    object: str
    valid_from: datetime | None
    valid_to: datetime | None
    basis: str
    view: FactView


@dataclass(frozen=True, slots=True)
class Timeline:
    entity_id: str
    name: str
    known_at: datetime | None  #: None: as currently believed
    entries: tuple[TimelineEntry, ...]  #: one page of them, ordered by predicate, then start
    offset: int = 0
    limit: int | None = None
    next_offset: int | None = None  #: where the next page of entries starts; None at the end

    def by_predicate(self) -> dict[str, list[TimelineEntry]]:
        grouped: dict[str, list[TimelineEntry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.predicate].append(entry)
        return dict(grouped)


def timeline(store: GraphStore, entity: str, *, known_at: datetime | None = None,
             limit: int | None = None, offset: int = 0) -> Timeline:
    """The valid-time intervals of everything known about ``entity`` (as subject), per
    predicate, as known at ``known_at`` (default: as currently believed)."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    found = store.resolve(entity)
    known = require_aware(known_at, "known_at") if known_at else LATEST
    versions = store.find_versions(VersionQuery(subject_id=found.id, known_at=known))
    views = with_provenance(store, versions)
    entries = sorted(
        (TimelineEntry(v.version.predicate, v.object, v.version.valid_from,
                       v.version.valid_to, v.version.valid_from_basis.value, v)
         for v in views),
        key=lambda e: (e.predicate, start_us(e.valid_from), e.object))
    page = page_of(entries, offset=offset, limit=limit)
    return Timeline(found.id, found.name, known_at, tuple(page), offset, limit,
                    page.next_offset)


@dataclass(frozen=True, slots=True)
class Diff:
    axis: Literal["valid", "transaction"]
    t1: datetime
    t2: datetime
    started: tuple[FactView, ...] = ()  #: true at t2, not at t1 (or learned between)
    ended: tuple[FactView, ...] = ()  #: true at t1, not at t2 (or retracted between)
    changed: tuple[tuple[FactView, FactView], ...] = field(default=())  #: (before, after)


def diff(store: GraphStore, t1: datetime, t2: datetime, *,
         axis: Literal["valid", "transaction"] = "valid", subject: str | None = None,
         known_at: datetime | None = None) -> Diff:
    """What started, ended or changed between two valid times (as known at ``known_at``), or
    between two transaction times (what the store learned and unlearned)."""
    t1 = require_aware(t1, "t1")
    t2 = require_aware(t2, "t2")
    if axis == "valid":
        before = store.facts(subject, valid_at=t1, known_at=known_at)
        after = store.facts(subject, valid_at=t2, known_at=known_at)
    elif axis == "transaction":
        subject_ids = store.entity_ids(subject)
        before = _all_known(store, t1, subject_ids)
        after = _all_known(store, t2, subject_ids)
    else:
        raise InvalidInputError(f"axis must be 'valid' or 'transaction', not {axis!r}")
    key = (lambda v: v.version_id) if axis == "transaction" else (
        lambda v: (v.subject_id, v.predicate, v.object_key))
    old = {key(v): v for v in before}
    new = {key(v): v for v in after}
    started = [v for k, v in new.items() if k not in old]
    ended = [v for k, v in old.items() if k not in new]
    changed: list[tuple[FactVersion, FactVersion]] = []
    if axis == "valid":
        started, ended, changed = _pair_one_changes(store, started, ended)
    views = {v.version_id: fv for fv in with_provenance(
        store, [*started, *ended, *(x for pair in changed for x in pair)])
        for v in [fv.version]}
    return Diff(axis, t1, t2, tuple(views[v.version_id] for v in started),
                tuple(views[v.version_id] for v in ended),
                tuple((views[a.version_id], views[b.version_id]) for a, b in changed))


def _all_known(store: GraphStore, known_at: datetime,
               subject_ids: list[str] | None) -> list[FactVersion]:
    if subject_ids is None:
        return store.find_versions(VersionQuery(known_at=known_at))
    return [v for s in subject_ids
            for v in store.find_versions(VersionQuery(subject_id=s, known_at=known_at))]


def _pair_one_changes(store: GraphStore, started: list[FactVersion], ended: list[FactVersion]
                      ) -> tuple[list[FactVersion], list[FactVersion],
                                 list[tuple[FactVersion, FactVersion]]]:
    """A `one` predicate whose object changed is a change, not an end plus a start."""
    changed = []
    remaining_started = list(started)
    remaining_ended = []
    for old in ended:
        # a predicate this handle's registry lacks (written through a wider registry, such as
        # the LangGraph store's item_value) cannot be known to be `one`: an end and a start
        if old.predicate not in store.registry or \
                store.registry.get(old.predicate).cardinality.value != "one":
            remaining_ended.append(old)
            continue
        match = next((v for v in remaining_started if v.subject_id == old.subject_id
                      and v.predicate == old.predicate), None)
        if match is None:
            remaining_ended.append(old)
        else:
            remaining_started.remove(match)
            changed.append((old, match))
    return remaining_started, remaining_ended, changed


def snapshot(store: GraphStore, *, valid_at: datetime | None = None,
             known_at: datetime | None = None) -> nx.MultiDiGraph[str]:
    """The graph of a (valid_at, known_at) view: entities (and literal values) as nodes,
    one edge per fact version, keyed by version id."""
    versions = store.facts(valid_at=valid_at, known_at=known_at)
    now = store.clock.now()
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        tenant=store.tenant, valid_at=isoformat(valid_at or now),
        known_at=isoformat(known_at or now))
    entity_ids = sorted({v.subject_id for v in versions}
                        | {v.object_id for v in versions if v.object_id})
    for entity in store.get_entities(entity_ids):
        graph.add_node(entity.id, name=entity.name, type=entity.type, kind="entity")
    for v in versions:
        if v.object_id is None:
            graph.add_node(v.object_key, name=v.object_value or "", type="literal",
                           kind="literal")
        graph.add_edge(v.subject_id, v.object_id or v.object_key, key=v.version_id,
                       predicate=v.predicate, fact_key=v.fact_key,
                       valid_from=isoformat(v.valid_from) or "",
                       valid_to=isoformat(v.valid_to) or "",
                       recorded_at=isoformat(v.recorded_at) or "",
                       confidence=v.confidence, episode_ids=",".join(v.episode_ids))
    return graph


def snapshot_json(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    return data


def snapshot_graphml(graph: nx.MultiDiGraph[str]) -> str:
    return "\n".join(nx.generate_graphml(graph))


def search(store: GraphStore, text: str, *, limit: int = 10, offset: int = 0,
           valid_at: datetime | None = None, known_at: datetime | None = None,
           mode: Mode | None = None, embedder: Embedder | None = None) -> Page[SearchHit]:
    """Episodes and facts, best first, temporal filters applied before the limit: full text,
    vectors or both fused (:func:`query.retrieval.retrieve`; ``mode=None`` is hybrid when
    vectors are available, else lexical)."""
    if not text or not text.strip():
        raise InvalidInputError("search text must not be empty")
    check_window(offset, limit, max_limit=MAX_SEARCH_LIMIT)
    hits = retrieve(store, text, limit=offset + limit + 1, embedder=embedder, mode=mode,
                    valid_at=require_aware(valid_at, "valid_at") if valid_at else None,
                    known_at=require_aware(known_at, "known_at") if known_at else None)
    return page_of(hits, offset=offset, limit=limit)


def entities(store: GraphStore, *, limit: int | None = 100, offset: int = 0) -> Page[Entity]:
    """The tenant's entities, ordered by name."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    rows = store.list_entities(limit=MAX_LIMIT + 1 if limit is None else limit + 1,
                               offset=offset)
    if limit is None and len(rows) > MAX_LIMIT:
        raise InvalidInputError(f"more than {MAX_LIMIT:,} entities: give a limit and page "
                                "with offset")
    return page_after(rows, offset=offset, limit=limit)


def objects_of(views: Iterable[FactView]) -> list[str]:
    return [v.object for v in views]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit events to list; ``None`` matches every event.

    ``entity`` (a name, alias or id): events that wrote or closed the entity, a claim about
    it, one of the versions it is the subject or object of, their facts or the messages they
    came from.
    ``since``/``until``: the transaction time of the event, ``since <= at < until``."""

    entity: str | None = None
    actor: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in (self.entity, self.actor, self.action, self.since,
                                       self.until))


def audit_log(store: GraphStore, *, from_seq: int = 1, to_seq: int | None = None,
              where: AuditFilter | None = None, limit: int | None = None,
              offset: int = 0) -> Page[AuditEvent]:
    """Audit events with ``from_seq <= seq <= to_seq`` that match ``where``, in seq order.
    Without a filter, seqs are gapless and the page is read directly."""
    check_window(offset, limit, max_limit=MAX_LIMIT)
    if from_seq < 1 or (to_seq is not None and to_seq < from_seq):
        raise InvalidInputError(f"seq range: from {from_seq} to {to_seq} is empty or starts "
                                "below 1")
    if where is not None and not where.is_empty():
        return page_of(_matching(store, store.audit_events(from_seq, to_seq), where),
                       offset=offset, limit=limit)
    first = from_seq + offset
    if to_seq is not None and first > to_seq:
        return Page([], offset=offset, limit=limit)
    last = to_seq if limit is None else first + limit if to_seq is None else min(
        to_seq, first + limit)
    return page_after(store.audit_events(first, last), offset=offset, limit=limit)


def _matching(store: GraphStore, events: Sequence[AuditEvent],
              where: AuditFilter) -> list[AuditEvent]:
    since = require_aware(where.since, "since") if where.since else None
    until = require_aware(where.until, "until") if where.until else None
    if since and until and until <= since:
        raise InvalidInputError("until: must be after since")
    about: set[str] | None = None
    fact_keys: set[str] = set()
    if where.entity is not None:
        found = store.resolve(where.entity)
        versions = store.find_versions(VersionQuery(entity_id=found.id))
        about = {target(ENTITY, found.id), *(target(VERSION, v.version_id) for v in versions),
                 *(target(EPISODE, e) for v in versions for e in v.episode_ids),
                 *(target(CLAIM, c.claim_id) for c in store.find_claims(found.id))}
        fact_keys = {v.fact_key for v in versions}
    return [e for e in events
            if (where.actor is None or e.actor == where.actor)
            and (where.action is None or e.action is where.action)
            and (since is None or e.at >= since) and (until is None or e.at < until)
            and (about is None or e.fact_key in fact_keys
                 or not about.isdisjoint((*e.targets, *e.superseded)))]
