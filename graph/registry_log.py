"""Predicate registry versions in the audit chain.

A tenant's chain records a ``registry_changed`` event before the first write under a registry
it has not recorded yet: its ``reason`` holds the registry's sha256 (its
:meth:`~asof.graph.predicates.PredicateRegistry.fingerprint`) and the predicates beyond the
defaults, and the chain's hash covers it. So "which predicates did the store know when it
wrote seq N" has an answer, and a registry changed between runs shows as a new event.
"""

from __future__ import annotations

import re

from asof.graph.models import AuditAction, AuditEvent
from asof.graph.predicates import DEFAULT_PREDICATES, PredicateRegistry
from asof.graph.store import GraphStore

_REASON = re.compile(r"^predicate registry sha256:([0-9a-f]{64})\b")


def recorded_fingerprint(store: GraphStore) -> str | None:
    """The fingerprint of the registry the tenant's chain recorded last (None: never)."""
    for event in reversed(store.audit_events()):
        if event.action is AuditAction.REGISTRY_CHANGED and event.reason:
            match = _REASON.match(event.reason)
            if match:
                return match.group(1)
    return None


def describe(registry: PredicateRegistry) -> str:
    fingerprint = registry.fingerprint()
    defaults = set(DEFAULT_PREDICATES)
    own = sorted(p.name for p in registry if p not in defaults)
    missing = sorted(p.name for p in DEFAULT_PREDICATES if p.name not in registry)
    return (f"predicate registry sha256:{fingerprint}: {len(registry)} predicates"
            + (f"; added or redefined: {', '.join(own)}" if own else "")
            + (f"; without the defaults: {', '.join(missing)}" if missing else ""))


def record_registry(store: GraphStore, *, actor: str | None = None) -> AuditEvent | None:
    """Record the store's registry in the tenant's chain unless it is the one recorded last
    (nothing is recorded for a store that has only ever used the defaults)."""
    registry = store.registry
    last = recorded_fingerprint(store)
    fingerprint = registry.fingerprint()
    if last == fingerprint:
        return None
    if last is None and fingerprint == PredicateRegistry(DEFAULT_PREDICATES).fingerprint():
        return None
    return store.record_event(AuditAction.REGISTRY_CHANGED, describe(registry), actor=actor)
