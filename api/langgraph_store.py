"""A LangGraph ``BaseStore`` over asof: agents' long-term memory, with history and an audit trail.

    store = AsofStore.from_url("sqlite:///memory.db", tenant="acme")
    graph = builder.compile(store=store)           # nodes read and write it as any store

How items map onto the graph (DESIGN.md §3-4):

- The store is bound to one tenant. An item ``(namespace, key)`` is one entity of type
  ``store_item`` in it, named by its path (``users/42/memories/profile``).
- A ``put`` stores one episode (role ``tool``) whose text is the canonical JSON of
  ``{namespace, key, value}``, and asserts the item's ``item_value`` fact (a ``one``
  predicate) with that episode's id as its value. Every put therefore writes a new fact
  version and closes the previous one: nothing is overwritten, every value stays readable with
  ``get(..., as_of=...)``, and the audit chain covers each write.
- A ``delete`` (``put`` of ``None``) retracts the fact; the value history stays.
- ``created_at``/``updated_at`` are transaction times: when the item's current life began (its
  first put after creation or deletion) and when its current value was stored.

``search`` and ``list_namespaces`` read the tenant's items in one query and filter them here:
cost grows with the number of items. ``query`` is a keyword match over each item's JSON (the
share of the query's words it contains), not a semantic search: asof's embeddings serve
``Memory.search`` over messages and facts, not this store's items.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from langgraph.store.base import (
    NOT_PROVIDED,
    BaseStore,
    GetOp,
    InvalidNamespaceError,
    Item,
    ListNamespacesOp,
    MatchCondition,
    NotProvided,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
    validate_op_namespace,
)

from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.ids import canonical_json, digest
from asof.graph.instants import LATEST, require_aware
from asof.graph.models import AssertionKind, EntityRef, Episode, FactAssertion, FactVersion, Role
from asof.graph.predicates import LITERAL, Cardinality, Predicate
from asof.graph.store import GraphStore

#: The entity type of a stored item and the predicate that holds its value; added to the
#: registry of the store handle an :class:`AsofStore` writes through.
ITEM_TYPE = "store_item"
ITEM_PREDICATE = Predicate(
    "item_value", Cardinality.ONE, (ITEM_TYPE,), (LITERAL,),
    description="a LangGraph store item's value: the id of the episode holding its JSON")
#: The conversation the store's episodes belong to.
CONVERSATION = "langgraph-store"
_WORD = re.compile(r"\w+")
_TICK = timedelta(microseconds=1)
#: Up to this many items are read one indexed query each; more, in one scan of all items.
_QUERIES_PER_READ = 16


@dataclass(frozen=True, slots=True)
class _Held:
    """An item as the store held it at one instant."""

    version: FactVersion
    created_at: datetime


class AsofStore(BaseStore):
    """LangGraph's ``BaseStore`` backed by an asof :class:`~asof.graph.store.GraphStore`.

    Args:
        store: a store handle; its tenant holds every item of this store.
        actor: the name every write is audited under.
    """

    supports_ttl = False  # expiry is asof's predicate TTL, not per-item minutes

    def __init__(self, store: GraphStore, *, actor: str = "langgraph") -> None:
        handle = store.for_tenant(store.tenant)  # a handle of our own: its registry changes
        if ITEM_PREDICATE.name not in handle.registry:
            handle.registry = handle.registry.extended([ITEM_PREDICATE])
        self._store = handle
        self._actor = actor

    @classmethod
    def from_url(cls, url: str, *, tenant: str, actor: str = "langgraph",
                 **options: Any) -> AsofStore:
        """Open ``sqlite:///memory.db`` or ``neo4j://host:7687`` (options as
        :func:`asof.graph.urls.open_store`)."""
        from asof.graph.urls import open_store

        return cls(open_store(url, tenant=tenant, **options), actor=actor)

    @property
    def tenant(self) -> str:
        return self._store.tenant

    @property
    def graph_store(self) -> GraphStore:
        """The asof store underneath: its audit log, ``verify()``, the items' fact history."""
        return self._store

    def close(self) -> None:
        self._store.close()

    # ------------------------------------------------------------------ BaseStore

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` in order; each run of consecutive puts is one transaction."""
        ops = list(ops)
        for op in ops:
            validate_op_namespace(op)
        results: list[Result] = []
        start = 0
        while start < len(ops):
            op = ops[start]
            if isinstance(op, PutOp):
                end = start
                while end < len(ops) and isinstance(ops[end], PutOp):
                    end += 1
                self._put([o for o in ops[start:end] if isinstance(o, PutOp)])
                results.extend([None] * (end - start))
                start = end
                continue
            if isinstance(op, GetOp):
                results.append(self._get(op.namespace, op.key, None))
            elif isinstance(op, SearchOp):
                results.append(self._search(op))
            elif isinstance(op, ListNamespacesOp):
                results.append(self._list_namespaces(op))
            else:
                raise InvalidInputError(f"unknown store operation {type(op).__name__}")
            start += 1
        return results

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """:meth:`batch` on a worker thread (the store's drivers are synchronous)."""
        return await asyncio.to_thread(self.batch, list(ops))

    def get(self, namespace: tuple[str, ...], key: str, *, refresh_ttl: bool | None = None,
            as_of: datetime | None = None) -> Item | None:
        """The item, or ``None``; with ``as_of``, the item as the store held it then (the
        value, ``created_at`` and ``updated_at`` of that moment)."""
        if as_of is None:
            return super().get(namespace, key, refresh_ttl=refresh_ttl)
        validate_op_namespace(GetOp(namespace, str(key)))
        return self._get(tuple(namespace), str(key), require_aware(as_of, "as_of"))

    async def aget(self, namespace: tuple[str, ...], key: str, *,
                   refresh_ttl: bool | None = None, as_of: datetime | None = None) -> Item | None:
        return await asyncio.to_thread(self.get, namespace, key, refresh_ttl=refresh_ttl,
                                       as_of=as_of)

    def put(self, namespace: tuple[str, ...], key: str, value: Mapping[str, Any],
            index: Any = None, *, ttl: float | None | NotProvided = NOT_PROVIDED) -> None:
        if ttl not in (NOT_PROVIDED, None):
            raise InvalidInputError(
                "AsofStore has no per-item TTL: give predicates a TTL in the registry instead")
        super().put(namespace, key, value, index)

    # ------------------------------------------------------------------ writes

    def _put(self, ops: Sequence[PutOp]) -> None:
        """Store the puts of ``ops`` in one transaction; all are checked before any is written.
        Deleting an item that does not exist changes nothing (as in every LangGraph store)."""
        held = self._held(None, [(op.namespace, op.key) for op in ops])
        # When each item's latest value started. A write starts after it, a microsecond later
        # if the clock has not moved on (a coarse clock, a batch) or went back (a clock step):
        # so a delete right after a put still ends it, and a put always becomes the value
        # rather than being filed before the one it replaces.
        started = {ref_id: h.version.valid_from for ref_id, h in held.items()
                   if h.version.valid_from is not None}
        items: list[tuple[Episode, list[FactAssertion]]] = []
        for op in ops:
            if not op.namespace:
                raise InvalidNamespaceError("Namespace cannot be empty.")
            if op.index not in (None, False) and not isinstance(op.index, list):
                raise InvalidInputError("index: must be None, False or a list of fields")
            if op.ttl is not None:
                raise InvalidInputError("AsofStore has no per-item TTL")
            subject = _subject(op.namespace, op.key)
            ref_id = self._store.entity_id_for(ITEM_TYPE, subject.name)
            if op.value is None and ref_id not in started:
                continue
            now = require_aware(self._store.clock.now(), "clock.now()")
            if ref_id in started:
                now = max(now, started[ref_id] + _TICK)
            episode = self._episode(op, now)
            if op.value is None:
                del started[ref_id]
                assertion = FactAssertion.parse(dict(
                    subject=subject, predicate=ITEM_PREDICATE.name,
                    kind=AssertionKind.RETRACT), context="delete")
            else:
                started[ref_id] = now
                assertion = FactAssertion.parse(dict(
                    subject=subject, predicate=ITEM_PREDICATE.name, value=episode.id),
                    context="put")
            items.append((episode, [assertion]))
        if items:
            self._store.apply_many(items, actor=self._actor)

    def _episode(self, op: PutOp, occurred_at: datetime) -> Episode:
        if op.value is not None and not isinstance(op.value, Mapping):
            raise InvalidInputError(f"value: must be a dict, not {type(op.value).__name__}")
        try:
            text = canonical_json({"namespace": list(op.namespace), "key": op.key,
                                   "value": None if op.value is None else dict(op.value)})
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"value: not JSON-serialisable ({exc})") from None
        return Episode.create(tenant=self.tenant, speaker=self._actor,
                              occurred_at=occurred_at, text=text,
                              conversation_id=CONVERSATION, role=Role.TOOL)

    # ------------------------------------------------------------------ reads

    def _held(self, as_of: datetime | None,
              paths: Sequence[tuple[tuple[str, ...], str]] | None) -> dict[str, _Held]:
        """The items held at ``as_of`` (None: now, as currently believed), by entity id: of
        ``paths`` only, or of the whole tenant when ``paths`` is None."""
        if paths is not None and not paths:
            return {}
        subjects = None if paths is None else {
            self._store.entity_id_for(ITEM_TYPE, _subject(ns, key).name) for ns, key in paths}
        if subjects is not None and len(subjects) <= _QUERIES_PER_READ:
            versions = [v for subject_id in sorted(subjects)
                        for v in self._store.find_versions(VersionQuery(
                            subject_id=subject_id, predicate=ITEM_PREDICATE.name))]
        else:
            versions = self._store.find_versions(VersionQuery(predicate=ITEM_PREDICATE.name))
        known = as_of if as_of is not None else LATEST
        by_subject: dict[str, list[FactVersion]] = {}
        for v in versions:
            if (subjects is None or v.subject_id in subjects) and v.recorded_at <= known:
                by_subject.setdefault(v.subject_id, []).append(v)
        held: dict[str, _Held] = {}
        for subject_id, recorded in by_subject.items():
            believed = [v for v in recorded if v.known_at(known)]
            # now: the value with no end yet (the writes' valid times may run a microsecond
            # ahead of the clock, see _put); in the past: the value valid then
            current = [v for v in believed
                       if (v.valid_to is None if as_of is None else v.valid_at(as_of))]
            if not current:
                continue
            now_version = max(current, key=lambda v: v.recorded_at)
            held[subject_id] = _Held(now_version, _life_start(now_version, believed, recorded))
        return held

    def _items(self, held: dict[str, _Held]) -> list[Item]:
        """Items for ``held``, their values read from the episodes the versions point to."""
        wanted = {h.version.object_value: h for h in held.values() if h.version.object_value}
        items = []
        for episode in self._store.get_episodes(sorted(wanted)):
            if episode.role is not Role.TOOL or episode.conversation_id != CONVERSATION:
                continue  # not a put's episode: the item_value fact came from elsewhere
            try:
                record = json.loads(episode.text)
            except json.JSONDecodeError:
                # erased: `forget` of an entity the value named redacts the text everywhere,
                # so the item is gone from every view, past ones included
                continue
            h = wanted[episode.id]
            items.append(Item(value=record["value"], key=record["key"],
                              namespace=tuple(record["namespace"]), created_at=h.created_at,
                              updated_at=h.version.recorded_at))
        return items

    def _get(self, namespace: tuple[str, ...], key: str, as_of: datetime | None) -> Item | None:
        found = self._items(self._held(as_of, [(namespace, key)]))
        return found[0] if found else None

    def _search(self, op: SearchOp) -> list[SearchItem]:
        prefix = tuple(op.namespace_prefix)
        scored: list[tuple[float | None, Item]] = []
        words = sorted(set(_WORD.findall(op.query.casefold()))) if op.query else []
        for item in self._items(self._held(None, None)):
            if item.namespace[:len(prefix)] != prefix:
                continue
            if op.filter and not all(_matches(item.value.get(k), v)
                                     for k, v in op.filter.items()):
                continue
            score: float | None = None
            if words:
                text = canonical_json(item.value).casefold()
                score = sum(1 for w in words if w in text) / len(words)
                if score == 0:
                    continue
            scored.append((score, item))
        # best first; then most recently updated, as LangGraph's database stores order them
        scored.sort(key=lambda pair: (-(pair[0] or 0.0), -pair[1].updated_at.timestamp(),
                                      pair[1].namespace, pair[1].key))
        page = scored[op.offset:op.offset + op.limit]
        return [SearchItem(namespace=i.namespace, key=i.key, value=i.value,
                           created_at=i.created_at, updated_at=i.updated_at, score=score)
                for score, i in page]

    def _list_namespaces(self, op: ListNamespacesOp) -> list[tuple[str, ...]]:
        namespaces = {item.namespace for item in self._items(self._held(None, None))}
        chosen = [ns for ns in namespaces
                  if all(_namespace_matches(c, ns) for c in op.match_conditions or ())]
        if op.max_depth is not None:
            chosen = [ns[:op.max_depth] for ns in chosen]
        return sorted(set(chosen))[op.offset:op.offset + op.limit]


def _subject(namespace: tuple[str, ...], key: str) -> EntityRef:
    """The entity of an item. Names are matched case- and space-insensitively, so the name
    ends with a hash of the exact path: ``("a",) "K"`` and ``("A",) "k"`` stay two items."""
    if not isinstance(key, str) or not key:
        raise InvalidInputError("key: must be a non-empty string")
    path = "/".join((*namespace, key))
    shown = path if len(path) <= 200 else path[:199] + "…"
    return EntityRef.parse({"name": f"{shown} #{digest('item', list(namespace), key, length=12)}",
                            "type": ITEM_TYPE}, context="item")


def _life_start(current: FactVersion, believed: list[FactVersion],
                recorded: list[FactVersion]) -> datetime:
    """When the item's current life began: walk back through values that followed each
    other without a gap (a delete leaves one), then take the first recording of the earliest."""
    start = current
    by_end = {v.valid_to: v for v in believed if v.valid_to is not None}
    while start.valid_from is not None and start.valid_from in by_end:
        start = by_end[start.valid_from]
    began = start.valid_from
    return min((v.recorded_at for v in recorded
                if began is None or (v.valid_from is not None and v.valid_from >= began)),
               default=current.recorded_at)


def _namespace_matches(condition: MatchCondition, namespace: tuple[str, ...]) -> bool:
    path = tuple(condition.path)
    if len(namespace) < len(path):
        return False
    if condition.match_type == "prefix":
        pairs = zip(namespace, path, strict=False)
    elif condition.match_type == "suffix":
        pairs = zip(reversed(namespace), reversed(path), strict=False)
    else:
        raise InvalidInputError(f"match_type must be 'prefix' or 'suffix', not "
                                f"{condition.match_type!r}")
    return all(want == "*" or have == want for have, want in pairs)


_OPERATORS = {"$eq", "$ne", "$gt", "$gte", "$lt", "$lte"}


def _matches(value: Any, wanted: Any) -> bool:
    """LangGraph's filter semantics: exact match, nested dicts, and $eq/$ne/$gt/$gte/$lt/$lte."""
    if isinstance(wanted, dict):
        if any(k.startswith("$") for k in wanted):
            return all(_compare(value, op, operand) for op, operand in wanted.items())
        return isinstance(value, dict) and all(_matches(value.get(k), v)
                                               for k, v in wanted.items())
    if isinstance(wanted, (list, tuple)):
        return (isinstance(value, (list, tuple)) and len(value) == len(wanted)
                and all(_matches(a, b) for a, b in zip(value, wanted, strict=True)))
    return bool(value == wanted)


def _compare(value: Any, operator: str, operand: Any) -> bool:
    if operator not in _OPERATORS:
        raise InvalidInputError(f"filter operator {operator!r}: use one of "
                                f"{', '.join(sorted(_OPERATORS))}")
    if operator == "$eq":
        return bool(value == operand)
    if operator == "$ne":
        return bool(value != operand)
    if value is None:
        return False
    try:
        left, right = float(value), float(operand)
    except (TypeError, ValueError):
        return False
    return {"$gt": left > right, "$gte": left >= right, "$lt": left < right,
            "$lte": left <= right}[operator]
