"""``asof import graphiti``: a Graphiti graph's entity edges as asof claims, with provenance.

The graph is read through graphiti-core (``pip install 'asof[graphiti]'``), page by page, for
the given group ids. Reading only: the Graphiti driver is opened outside an event loop, so it
does not schedule its own index creation on the source database. Each entity edge
``(source)-[NAME {fact, valid_at, invalid_at, created_at, expired_at, episodes}]->(target)``
becomes one assertion ``source name(lower-cased) target`` over ``[valid_at, invalid_at)``, with the
edge's ``fact`` as evidence. It is stored in an asof episode whose text is the content of the
edge's first Graphiti episode (the earliest created), speaker its source description, and whose
metadata keeps the Graphiti uuids. The episodes are written in replay mode
(``apply_many`` with ``replay=True``), each recorded at the edge's
``created_at``, so "as known at T" in asof agrees with what Graphiti had stored by T. An edge
without an episode gets an episode of its own, with the fact as its text.

Graphiti keeps one mutable edge per fact. asof versions every change, so the import cannot
rebuild what Graphiti no longer stores:

- **Overwritten history.** An edge whose ``expired_at`` is later than its ``created_at`` was
  changed after it was written: Graphiti invalidates an edge *in place*, setting
  ``invalid_at`` and ``expired_at`` on it when a contradicting fact arrives. Its values before
  ``expired_at`` (usually an open-ended ``invalid_at``) are gone, so asof imports the final
  interval, known from ``created_at``. "As known at" a time between ``created_at`` and
  ``expired_at`` therefore shows the end that Graphiti only learned at ``expired_at``. These
  edges, withdrawn ones included, are counted as ``overwritten``. An edge that arrived with an
  end (``expired_at`` equal to ``created_at``) lost nothing.
- **Withdrawn edges.** An edge with ``expired_at`` but no ``invalid_at`` is one Graphiti no
  longer believes: a correction, or a fact judged wrong. asof has no claim for "believed from
  ``created_at`` until ``expired_at``, then dropped with no valid-time end", so these are not
  imported. They are counted as ``withdrawn``.

Validation comes first; any problem raises :class:`InvalidInputError` and nothing is
written. Problems are: a naive timestamp anywhere, an edge name that is not a predicate of the
registry (add it with ``ASOF_PREDICATES``), an empty group, or a target tenant whose history is
later than the Graphiti graph (replay order). Re-running the import changes nothing: its
episodes are already stored.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asof.graph.errors import InvalidInputError, StoreUnavailableError
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.predicates import PredicateRegistry

if TYPE_CHECKING:
    from asof.api.memory import Memory

__all__ = ["GraphitiEdge", "GraphitiEpisode", "ImportReport", "import_edges", "plan_import",
           "read_graphiti"]

#: Edges read per page, and the episodes written per transaction.
PAGE = 1000
EPISODES_PER_WRITE = 200


@dataclass(frozen=True, slots=True)
class GraphitiEpisode:
    uuid: str
    name: str
    content: str
    source_description: str
    valid_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class GraphitiEdge:
    uuid: str
    group_id: str
    name: str
    fact: str
    subject: str
    subject_labels: tuple[str, ...]
    object: str
    object_labels: tuple[str, ...]
    valid_at: datetime | None
    invalid_at: datetime | None
    created_at: datetime | None
    expired_at: datetime | None
    episode_uuids: tuple[str, ...]


@dataclass
class ImportReport:
    """What the import read and wrote (``as_dict`` for ``--json``)."""

    edges_read: int = 0
    imported: int = 0
    overwritten: int = 0
    withdrawn: int = 0
    without_episode: int = 0
    episodes_written: int = 0
    episodes_already_stored: int = 0
    versions_written: int = 0
    predicates: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"edges_read": self.edges_read, "imported": self.imported,
                "overwritten": self.overwritten, "withdrawn_not_imported": self.withdrawn,
                "without_episode": self.without_episode,
                "episodes_written": self.episodes_written,
                "episodes_already_stored": self.episodes_already_stored,
                "versions_written": self.versions_written,
                "predicates": dict(sorted(self.predicates.items()))}


# ------------------------------------------------------------------------------- reading


def read_graphiti(url: str, *, user: str, password: str, group_ids: Sequence[str],
                  database: str = "neo4j") -> tuple[list[GraphitiEdge],
                                                    dict[str, GraphitiEpisode]]:
    """Every entity edge of ``group_ids`` and the episodes they cite, through graphiti-core."""
    if not group_ids:
        raise InvalidInputError("give at least one Graphiti group id (--group-id)")
    os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")
    try:
        from graphiti_core.driver.neo4j_driver import Neo4jDriver
    except ImportError:
        raise InvalidInputError("importing from Graphiti needs graphiti-core: "
                                "pip install 'asof[graphiti]'") from None
    from neo4j import exceptions as neo4j_errors

    # Opened outside the event loop: inside one, the driver schedules its index creation.
    driver = Neo4jDriver(url, user, password, database)
    try:
        return asyncio.run(_read_and_close(driver, list(group_ids)))
    except InvalidInputError:
        raise
    except neo4j_errors.AuthError as exc:
        raise InvalidInputError(f"Graphiti database {url}: authentication failed "
                                f"({exc.message})") from None
    except (neo4j_errors.ServiceUnavailable, OSError) as exc:
        raise StoreUnavailableError(f"Graphiti database {url} cannot be reached ({exc})") from None
    except ValueError as exc:  # the driver's answer to a malformed URL
        raise InvalidInputError(f"Graphiti database {url!r}: {exc}") from None


async def _read_and_close(driver: Any, group_ids: list[str]) -> tuple[
        list[GraphitiEdge], dict[str, GraphitiEpisode]]:
    try:
        # One connection attempt first: a refused or unauthorised connection fails here at
        # once, where graphiti-core's queries would retry it for half a minute and log each
        # failed query in full.
        await driver.client.verify_connectivity()
        return await _read(driver, group_ids)
    finally:
        await driver.client.close()


async def _read(driver: Any, group_ids: list[str]) -> tuple[list[GraphitiEdge],
                                                             dict[str, GraphitiEpisode]]:
    from graphiti_core.edges import EntityEdge
    from graphiti_core.errors import GroupsEdgesNotFoundError
    from graphiti_core.nodes import EntityNode, EpisodicNode

    raw: list[Any] = []
    cursor: str | None = None
    while True:
        try:
            page = await EntityEdge.get_by_group_ids(driver, group_ids, limit=PAGE,
                                                     uuid_cursor=cursor)
        except GroupsEdgesNotFoundError:
            page = []
        raw.extend(page)
        if len(page) < PAGE:
            break
        cursor = page[-1].uuid
    if not raw:
        raise InvalidInputError(f"no entity edges in Graphiti group(s) {', '.join(group_ids)}")
    node_uuids = sorted({u for e in raw for u in (e.source_node_uuid, e.target_node_uuid)})
    nodes: dict[str, Any] = {}
    for i in range(0, len(node_uuids), PAGE):
        for node in await EntityNode.get_by_uuids(driver, node_uuids[i:i + PAGE]):
            nodes[node.uuid] = node
    episode_uuids = sorted({u for e in raw for u in e.episodes})
    episodes: dict[str, GraphitiEpisode] = {}
    for i in range(0, len(episode_uuids), PAGE):
        for ep in await EpisodicNode.get_by_uuids(driver, episode_uuids[i:i + PAGE]):
            episodes[ep.uuid] = GraphitiEpisode(
                uuid=ep.uuid, name=ep.name, content=ep.content,
                source_description=ep.source_description, valid_at=ep.valid_at,
                created_at=ep.created_at)
    edges = []
    for e in raw:
        source, target = nodes.get(e.source_node_uuid), nodes.get(e.target_node_uuid)
        if source is None or target is None:
            raise InvalidInputError(f"Graphiti edge {e.uuid}: an end node is missing")
        edges.append(GraphitiEdge(
            uuid=e.uuid, group_id=e.group_id, name=e.name, fact=e.fact, subject=source.name,
            subject_labels=tuple(source.labels), object=target.name,
            object_labels=tuple(target.labels), valid_at=e.valid_at, invalid_at=e.invalid_at,
            created_at=e.created_at, expired_at=e.expired_at,
            episode_uuids=tuple(e.episodes)))
    return edges, episodes


# ------------------------------------------------------------------------------ planning


def _aware(value: datetime | None, what: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidInputError(f"{what}: naive timestamp {value.isoformat()} (Graphiti "
                                "stores aware times; this one has no offset); nothing was "
                                "imported")
    return value


def _entity_type(labels: Sequence[str], allowed: Sequence[str]) -> str:
    named = [label.lower() for label in labels if label != "Entity"]
    return next((t for t in named if t in allowed), allowed[0] if allowed else "concept")


def plan_import(edges: Sequence[GraphitiEdge], episodes: Mapping[str, GraphitiEpisode], *,
                tenant: str, registry: PredicateRegistry
                ) -> tuple[list[tuple[Episode, list[FactAssertion]]], ImportReport]:
    """The asof episodes and assertions for ``edges``, oldest first, and the counts. Checks
    everything first: raises :class:`InvalidInputError` on any problem."""
    report = ImportReport(edges_read=len(edges))
    unknown = Counter(e.name.lower() for e in edges if e.name.lower() not in registry)
    if unknown:
        listed = ", ".join(f"{name} ({n})" for name, n in unknown.most_common())
        raise InvalidInputError(
            f"Graphiti edge names that are not asof predicates: {listed}. Add them to a "
            "predicates file (ASOF_PREDICATES) and run the import again; nothing was imported")
    for ep in episodes.values():
        _aware(ep.valid_at, f"Graphiti episode {ep.uuid} valid_at")
        _aware(ep.created_at, f"Graphiti episode {ep.uuid} created_at")
    groups: dict[tuple[str, datetime], tuple[Episode, list[FactAssertion]]] = {}
    for e in edges:
        what = f"Graphiti edge {e.uuid}"
        created = _aware(e.created_at, f"{what} created_at")
        valid_from = _aware(e.valid_at, f"{what} valid_at")
        valid_to = _aware(e.invalid_at, f"{what} invalid_at")
        expired = _aware(e.expired_at, f"{what} expired_at")
        if created is None:
            raise InvalidInputError(f"{what}: no created_at; nothing was imported")
        if expired is not None and expired > created:
            report.overwritten += 1
        if expired is not None and valid_to is None:
            report.withdrawn += 1
            continue
        cited = [episodes[u] for u in e.episode_uuids if u in episodes]
        source = min(cited, key=lambda ep: (ep.created_at or created, ep.uuid), default=None)
        if source is None:
            report.without_episode += 1
        key = (source.uuid if source else f"edge:{e.uuid}", created)
        if key not in groups:
            metadata: dict[str, Any] = {"graphiti_group_id": e.group_id}
            if source is not None:
                metadata |= {"graphiti_episode_uuid": source.uuid,
                             "graphiti_episode_name": source.name,
                             "graphiti_episode_valid_at": (source.valid_at.isoformat()
                                                           if source.valid_at else None)}
            else:
                metadata["graphiti_edge_uuid"] = e.uuid
            groups[key] = (Episode.create(
                tenant=tenant, conversation_id=f"graphiti:{e.group_id}",
                speaker=(source.source_description if source else "") or "graphiti",
                occurred_at=created,
                text=source.content if source and source.content.strip() else e.fact,
                metadata=metadata), [])
        predicate = registry.get(e.name.lower())
        groups[key][1].append(FactAssertion(
            subject=EntityRef(name=e.subject,
                              type=_entity_type(e.subject_labels, predicate.subject_types)),
            predicate=predicate.name,
            object=EntityRef(name=e.object, type=_entity_type(
                e.object_labels, [t for t in predicate.object_types if t != "literal"])),
            valid_from=valid_from, valid_to=valid_to, evidence=e.fact or None,
            extractor="graphiti-import"))
        report.imported += 1
        report.predicates[predicate.name] += 1
    ordered = sorted(groups.values(), key=lambda item: (item[0].occurred_at, item[0].id))
    return ordered, report


# ------------------------------------------------------------------------------- writing


def import_edges(mem: Memory, items: Sequence[tuple[Episode, Sequence[FactAssertion]]],
                 report: ImportReport, *, tenant: str,
                 actor: str | None = None) -> ImportReport:
    """Write the planned episodes in replay mode, oldest first, ``EPISODES_PER_WRITE`` per
    transaction. The first transaction refuses (nothing written) if the tenant's history is
    later than the oldest edge."""
    for i in range(0, len(items), EPISODES_PER_WRITE):
        results = mem.apply_episodes(items[i:i + EPISODES_PER_WRITE], tenant=tenant,
                                     actor=actor, replay=True)
        for result in results:
            if result.duplicate:
                report.episodes_already_stored += 1
            else:
                report.episodes_written += 1
                report.versions_written += len(result.written)
    return report
