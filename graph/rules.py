"""The temporal write rules (DESIGN.md §4), pure and backend-independent.

See docs/temporal-model.md for the semantics. Two steps:

1. :func:`derive_view` turns the current claims of one (subject, predicate) into the valid-time
   view: maximal intervals over which an object holds.
2. :func:`reconcile` compares that view with the versions currently believed and decides which
   versions to close in transaction time and which to write. Backends persist the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from asof.graph import ids
from asof.graph.errors import InvalidInputError
from asof.graph.instants import MAX_US, MIN_US, end_us, isoformat, start_us
from asof.graph.models import Basis, Claim, FactVersion, Granularity
from asof.graph.predicates import Cardinality, Predicate


def claim_order(claim: Claim) -> tuple[int, datetime, datetime, str]:
    """Claims are ordered by start (None first), observation time, arrival, id."""
    return (start_us(claim.valid_from), claim.observed_at, claim.recorded_at, claim.claim_id)


@dataclass(frozen=True, slots=True)
class Segment:
    """A maximal interval over which one object holds, and the claims behind it."""

    object_key: str
    object_id: str | None
    object_value: str | None
    valid_from: datetime | None
    valid_to: datetime | None
    claims: tuple[Claim, ...]  #: supporting claims, in claim order (retractions last)
    start_claim: Claim  #: the assertion that starts the segment

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.object_key, start_us(self.valid_from), end_us(self.valid_to))


@dataclass(slots=True)
class _Span:
    """A claim with its interval in µs and its rank in claim order, computed once per view
    (the view tests every claim at every boundary)."""

    claim: Claim
    start: int
    end: int
    rank: int


def _spans(claims: Iterable[Claim]) -> list[_Span]:
    """``claims`` in claim order, as spans."""
    ordered = sorted(claims, key=claim_order)
    return [_Span(c, start_us(c.valid_from), end_us(c.valid_to), i)
            for i, c in enumerate(ordered)]


def _retracted(span: _Span, retraction_starts: dict[str, list[int]], t: int) -> bool:
    """Is the claim ended at ``t`` by a retraction of its object (one starting in
    ``(start, t]``)?"""
    begin = span.start
    return any(begin < at <= t for at in retraction_starts.get(span.claim.object_key, ()))


def _holds(span: _Span, retraction_starts: dict[str, list[int]], t: int) -> bool:
    return span.start <= t < span.end and not _retracted(span, retraction_starts, t)


def _boundaries(spans: Sequence[_Span]) -> list[int]:
    points = {MIN_US}
    for s in spans:
        points.add(s.start)
        if s.claim.valid_to is not None and not s.claim.retraction:
            points.add(s.end)
    return sorted(points)


def _active(assertions: Sequence[_Span], retraction_starts: dict[str, list[int]], t: int,
            cardinality: Cardinality) -> list[_Span]:
    """The assertion claims (in claim order) that make their object hold at instant ``t``."""
    if cardinality is Cardinality.ONE:
        # The latest in claim order among those started by t (``assertions`` is in order).
        for span in reversed(assertions):
            if span.start <= t:
                return [span] if _holds(span, retraction_starts, t) else []
        return []
    return [s for s in assertions if _holds(s, retraction_starts, t)]


def _retraction_starts(retractions: Iterable[_Span]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in retractions:
        out.setdefault(r.claim.object_key, []).append(r.start)
    return out


def derive_view(claims: Iterable[Claim], predicate: Predicate) -> list[Segment]:
    """The valid-time view of one (subject, predicate), from its current claims.

    Returns segments ordered by (valid_from, object_key). Events use the ``many`` rule.
    """
    spans = _spans(claims)
    assertions = [s for s in spans if not s.claim.retraction]
    retractions = [s for s in spans if s.claim.retraction]
    starts = _retraction_starts(retractions)
    cardinality = Cardinality.MANY if predicate.event else predicate.cardinality
    points = _boundaries(spans)

    segments: list[Segment] = []
    open_runs: dict[str, tuple[int, list[_Span]]] = {}  # object_key -> (start, claims)

    def close(key: str, end: int) -> None:
        begin, supporting = open_runs.pop(key)
        ending = [r.claim for r in retractions if r.claim.object_key == key and r.start == end]
        first = supporting[0].claim
        segments.append(Segment(
            object_key=key,
            object_id=first.object_id,
            object_value=first.object_value,
            valid_from=None if begin == MIN_US else _from_us(begin),
            valid_to=None if end == MAX_US else _from_us(end),
            claims=tuple(_unique(supporting)) + tuple(ending),
            start_claim=first,
        ))

    for point in points:
        active = _active(assertions, starts, point, cardinality)
        by_object: dict[str, list[_Span]] = {}
        for span in active:
            by_object.setdefault(span.claim.object_key, []).append(span)
        for key in [k for k in open_runs if k not in by_object]:
            close(key, point)
        for key, supporting in by_object.items():
            if key in open_runs:
                open_runs[key][1].extend(supporting)
            else:
                open_runs[key] = (point, list(supporting))
    for key in list(open_runs):
        close(key, MAX_US)
    segments.sort(key=lambda s: (start_us(s.valid_from), s.object_key))
    return segments


def _unique(spans: Iterable[_Span]) -> list[Claim]:
    """The claims of ``spans`` in claim order, each once."""
    seen: set[str] = set()
    out = []
    for span in sorted(spans, key=lambda s: s.rank):
        if span.claim.claim_id not in seen:
            seen.add(span.claim.claim_id)
            out.append(span.claim)
    return out


def _from_us(value: int) -> datetime:
    from asof.graph.instants import from_us

    return from_us(value)


def claims_holding(claims: Sequence[Claim], predicate: Predicate, t: int) -> list[Claim]:
    """The assertion claims that make their object hold at ``t`` (µs), by the view's rules."""
    spans = _spans(claims)
    starts = _retraction_starts(s for s in spans if s.claim.retraction)
    cardinality = Cardinality.MANY if predicate.event else predicate.cardinality
    assertions = [s for s in spans if not s.claim.retraction]
    return [s.claim for s in _active(assertions, starts, t, cardinality)]


def segment_at(segments: Sequence[Segment], instant: datetime) -> list[Segment]:
    """The segments holding at ``instant``."""
    t = start_us(instant)
    return [s for s in segments if start_us(s.valid_from) <= t < end_us(s.valid_to)]


def expires_at(segment: Segment, predicate: Predicate) -> datetime | None:
    """A version expires ``ttl`` after the latest observation supporting it."""
    if predicate.ttl is None:
        return None
    observed = [c.observed_at for c in segment.claims if not c.retraction]
    return max(observed) + predicate.ttl if observed else None


# ------------------------------------------------------------------ reconciliation


@dataclass(slots=True)
class Change:
    """One decision of :func:`reconcile`, for the audit trail."""

    kind: str  #: "write" (a new version), "close" (superseded, no successor), "confirm"
    version: FactVersion | None = None  #: the version written (write) or confirmed (confirm)
    replaced: FactVersion | None = None  #: the version it supersedes (write) or closes (close)
    claims: tuple[Claim, ...] = ()  #: new claims this change is due to


@dataclass(slots=True)
class Reconciliation:
    new_versions: list[FactVersion] = field(default_factory=list)
    superseded: list[FactVersion] = field(default_factory=list)
    #: (version_id, claim) provenance links to add
    links: list[tuple[str, Claim]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def reconcile(
    *,
    tenant: str,
    subject_id: str,
    predicate: Predicate,
    current_versions: Sequence[FactVersion],
    claims: Sequence[Claim],
    new_claim_ids: frozenset[str],
    now: datetime,
) -> Reconciliation:
    """Compare the view derived from ``claims`` with ``current_versions``.

    ``new_claim_ids`` are the claims added by this write: provenance links are added for them
    where they support an unchanged version (a confirmation).
    """
    segments = derive_view(claims, predicate)
    believed = {_version_key(v): v for v in current_versions}
    wanted = {s.key: s for s in segments}
    out = Reconciliation()

    kept: dict[tuple[str, int, int], FactVersion] = {}
    for key, segment in wanted.items():
        version = believed.get(key)
        if version is not None and version.expires_at == expires_at(segment, predicate):
            kept[key] = version
    removed = [v for k, v in believed.items() if k not in kept]
    removed.sort(key=lambda v: (start_us(v.valid_from), v.object_key))
    claimed_successor: set[str] = set()

    for key, segment in wanted.items():
        new_here = tuple(c for c in segment.claims if c.claim_id in new_claim_ids)
        if key in kept:
            if new_here:
                version = kept[key]
                out.links.extend((version.version_id, c) for c in new_here)
                out.changes.append(Change("confirm", version=version, claims=new_here))
            continue
        predecessor = _predecessor(segment, removed, claimed_successor)
        version = _version(tenant, subject_id, predicate, segment, now, predecessor)
        out.new_versions.append(version)
        out.links.extend((version.version_id, c) for c in segment.claims)
        out.changes.append(Change("write", version=version, replaced=predecessor,
                                  claims=new_here))
    for version in removed:
        out.superseded.append(version)
        if version.version_id not in claimed_successor:
            out.changes.append(Change("close", replaced=version))
    return out


def _version_key(version: FactVersion) -> tuple[str, int, int]:
    return (version.object_key, start_us(version.valid_from), end_us(version.valid_to))


def _predecessor(segment: Segment, removed: Sequence[FactVersion],
                 taken: set[str]) -> FactVersion | None:
    """The closed version a new segment replaces: same object, overlapping, not yet taken."""
    begin, end = start_us(segment.valid_from), end_us(segment.valid_to)
    candidates = [v for v in removed if v.object_key == segment.object_key
                  and v.version_id not in taken
                  and start_us(v.valid_from) < end and begin < end_us(v.valid_to)]
    if not candidates:
        candidates = [v for v in removed if v.object_key == segment.object_key
                      and v.version_id not in taken]
    if not candidates:
        return None
    chosen = candidates[0]
    taken.add(chosen.version_id)
    return chosen


def _version(tenant: str, subject_id: str, predicate: Predicate, segment: Segment,
             now: datetime, predecessor: FactVersion | None) -> FactVersion:
    start = segment.start_claim
    fact_key = ids.fact_key(tenant, subject_id, predicate.name, segment.object_key)
    expiry = expires_at(segment, predicate)
    version_id = "ver_" + ids.digest(
        "version", fact_key, isoformat(segment.valid_from), isoformat(segment.valid_to),
        isoformat(now), isoformat(expiry), length=24)
    return FactVersion(
        version_id=version_id,
        tenant=tenant,
        fact_key=fact_key,
        subject_id=subject_id,
        predicate=predicate.name,
        object_id=segment.object_id,
        object_value=segment.object_value,
        valid_from=segment.valid_from,
        valid_to=segment.valid_to,
        valid_from_basis=start.basis if segment.valid_from == start.valid_from else
        Basis.STATED,
        granularity=start.granularity,
        recorded_at=now,
        supersedes=predecessor.version_id if predecessor else None,
        expires_at=expiry,
        extractor=start.extractor,
        confidence=min(c.confidence for c in segment.claims),
        evidence=start.evidence,
    )


# ------------------------------------------------------------------ claims from assertions


_GRANULARITY_STEP = {
    Granularity.DAY: timedelta(days=1),
    Granularity.WEEK: timedelta(days=7),
}


def granularity_end(start: datetime, granularity: Granularity | None) -> datetime:
    """The exclusive end of the period of ``granularity`` that starts at ``start``."""
    g = granularity or Granularity.DAY
    try:
        if g in _GRANULARITY_STEP:
            return start + _GRANULARITY_STEP[g]
        months = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.SEASON: 3,
                  Granularity.YEAR: 12, Granularity.DECADE: 120}.get(g)
        if months is None:  # INSTANT: a one-microsecond interval keeps [from, to) non-empty
            return start + timedelta(microseconds=1)
        total = start.month - 1 + months
        return start.replace(year=start.year + total // 12, month=total % 12 + 1)
    except (OverflowError, ValueError):  # the period would end after 9999-12-31
        raise InvalidInputError(
            f"{start.isoformat()} at {g.value} granularity ends after the last supported "
            "instant (9999-12-31)") from None


def day_start(instant: datetime) -> datetime:
    return instant.replace(hour=0, minute=0, second=0, microsecond=0)
