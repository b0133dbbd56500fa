"""Shared helpers of the reliability suite: generated conversations, store fingerprints,
the bitemporal invariants, soak depth and the figures the suite reports.

Imported as ``reliability.rel_support`` (``tests/`` is on ``sys.path`` through the rootdir
conftest, the same way ``e2e.neo4j_support`` is).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asof.graph.contract import VersionQuery
from asof.graph.instants import isoformat
from asof.graph.models import FactVersion
from asof.graph.predicates import Cardinality
from asof.graph.store import GraphStore
from asof.graph.urls import open_store

#: ``ASOF_SOAK=1`` deepens every check (more kill points, longer load, more examples).
SOAK = os.environ.get("ASOF_SOAK", "") == "1"


def depth(default: int, soak: int) -> int:
    """``default`` in ``make test``, ``soak`` under ``ASOF_SOAK=1``; ``ASOF_SOAK_SCALE``
    multiplies the soak figure (e.g. 3 for a night run)."""
    if not SOAK:
        return default
    return int(soak * float(os.environ.get("ASOF_SOAK_SCALE", "1")))


#: The installed console script, run as a subprocess (as users run it).
ASOF = Path(sys.executable).with_name("asof")


def store_env(**extra: str) -> dict[str, str]:
    """The environment for an ``asof`` subprocess: Neo4j credentials, no stray config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASOF_")
           or k in ("ASOF_NEO4J_URI", "ASOF_NEO4J_USER", "ASOF_NEO4J_PASSWORD")}
    env.setdefault("ASOF_NEO4J_USER", "neo4j")
    env.update(extra)
    return env


def open_for(url: str, tenant: str, **kwargs: Any) -> GraphStore:
    """A store handle on ``url`` for inspection from the test process."""
    return open_store(url, tenant=tenant, neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                      neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD"), **kwargs)


# ------------------------------------------------------------------ generated conversations
# Names are invented for these tests; none comes from a data set.

FIRST = ["Ines", "Tobias", "Marisol", "Kwame", "Liesel", "Arjun", "Noor", "Felipe", "Oksana",
         "Hamish", "Yara", "Dmitri"]
LAST = ["Duarte", "Velasquez", "Okonjo", "Brandt", "Sorensen", "Iyer", "Haddad", "Moreau",
        "Kowalczyk", "Ferreira", "Lindqvist", "Abara"]
ORGS = ["Fernhill Robotics", "Quillstone Labs", "Harbourline Freight", "Copperleaf Studios",
        "Northgate Analytics", "Bluewater Dynamics"]
CITIES = ["Porto", "Lisbon", "Leeds", "Manchester", "Utrecht", "Ghent", "Bergen", "Tallinn"]
TOOLS = ["Slack", "Jira", "Figma", "Notion", "Tableau", "Looker"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _sentence(rng: random.Random, at: datetime) -> str:
    kind = rng.randrange(11)
    org, city, tool = rng.choice(ORGS), rng.choice(CITIES), rng.choice(TOOLS)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if kind == 0:
        return f"I work at {org} and I live in {city}."
    if kind == 1:
        return f"I moved to {city} last month."
    if kind == 2:
        return f"I use {tool} every day."
    if kind == 3:
        return f"I no longer use {tool}."
    if kind == 4:
        return f"My manager is {person}."
    if kind == 5:
        return f"I joined {org} as a data analyst."
    if kind == 6:
        return "Thanks, that helps a lot!"
    if kind == 7:
        return f"I visited {city} in {MONTHS[at.month - 1]} for a conference."
    if kind == 8:
        return f"I left {org} in {MONTHS[(at.month - 2) % 12]}."
    if kind == 9:
        return f"Actually, I live in {city}, not {rng.choice(CITIES)}."
    return f"I used to live in {city}."


def conversations(seed: int, count: int, length: int, *,
                  start: datetime = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
                  ) -> list[dict[str, Any]]:
    """``count`` conversations of ``length`` messages each, as JSON-lines message dicts,
    deterministic in ``seed``. Each conversation has one user speaker and a few assistant
    turns; message times increase within a conversation."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for c in range(count):
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        at = start + timedelta(days=rng.randint(0, 30))
        for i in range(length):
            at += timedelta(days=rng.randint(1, 15), minutes=rng.randint(0, 600))
            if rng.random() < 0.15:
                out.append({"id": f"m{i}", "conversation_id": f"conv{c}",
                            "speaker": "assistant", "role": "assistant",
                            "at": at.isoformat(), "text": "Noted, I will remember that."})
                continue
            out.append({"id": f"m{i}", "conversation_id": f"conv{c}", "speaker": who,
                        "role": "user", "at": at.isoformat(), "text": _sentence(rng, at)})
    return out


def write_jsonl(path: Path, messages: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(m) + "\n" for m in messages), encoding="utf-8")
    return path


# ------------------------------------------------------------------ ingestion runs

SEED = int(os.environ.get("ASOF_REL_SEED", "20240917"))


#: Who the ingestion runs write as: the same in the CLI runs and the in-process reference, so
#: that their audit chains can be compared event by event.
ACTOR = "reliability-run"


def ingest_cmd(path: Path, url: str, tenant: str, *, replay: bool) -> list[str]:
    return [str(ASOF), "ingest", str(path), "--store", url, "--tenant", tenant, "--json",
            "--actor", ACTOR, *(["--replay"] if replay else [])]


#: The tenant secret both stores of a comparison start from: a tenant's entity ids and row
#: hashes are keyed with its secret (random per tenant otherwise), so two stores agree byte for
#: byte only when they share it.
RUN_SECRET = b"reliability-run".ljust(32, b"\0")


def share_secret(store: GraphStore) -> GraphStore:
    """Give ``store``'s tenant :data:`RUN_SECRET` before its first write."""
    def seed(tx: Any) -> bytes | None:
        tx.lock_head()
        return tx.tenant_secret(create=RUN_SECRET)

    assert store.run_write(seed) == RUN_SECRET, "the tenant already had another secret"
    return store


def clean_in_process(path: Path, url: str, tenant: str, nlp: Any, *,
                     replay: bool) -> GraphStore:
    """The reference run, in this process (no model load): what ``asof ingest [--replay]``
    does, through the same library calls, into a fresh store."""
    from asof.api.memory import Memory
    from asof.extraction.readers import read_conversations
    from asof.graph.clock import FakeClock

    convs = read_conversations(path)
    first = min(m.at for c in convs for m in c.messages)
    store = share_secret(open_for(url, tenant, **({"clock": FakeClock(first)} if replay else {})))
    Memory(store, nlp=nlp).ingest_conversations(convs, tenant=tenant, replay=replay,
                                                actor=ACTOR)
    return store


def head_seq(store: GraphStore, known: int) -> int:
    """The audit head, read incrementally (only events after ``known``)."""
    new = store.audit_events(known + 1)
    return new[-1].seq if new else known


def state_diff(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    for key in expected:
        if expected[key] != actual[key]:
            a, b = expected[key], actual[key]
            if isinstance(a, list) and isinstance(b, list):
                for i, (x, y) in enumerate(zip(a, b, strict=False)):
                    if x != y:
                        return f"{key}[{i}]: clean {x!r}\n  resumed {y!r}"
                return f"{key}: clean has {len(a)} rows, resumed {len(b)}"
            return f"{key}: {a!r} != {b!r}"
    return "equal"


# ------------------------------------------------------------------ fingerprints

def all_versions(store: GraphStore) -> list[FactVersion]:
    return store.find_versions(VersionQuery())


def fingerprint(store: GraphStore) -> dict[str, Any]:
    """Everything a tenant holds, as comparable plain data: every fact version on both axes
    (ids, intervals, provenance), every claim, every entity, every episode the audit names,
    and the whole audit chain (hashes included)."""
    versions = all_versions(store)
    events = store.audit_events(1)
    entities = store.list_entities(limit=100_000)
    claims = []
    for subject in sorted({v.subject_id for v in versions}):
        claims += [c.model_dump(mode="json") for c in store.find_claims(subject)]
    episode_ids = sorted({e.episode_id for e in events if e.episode_id})
    episodes = [e.model_dump(mode="json", exclude={"ingested_at"})
                for e in store.get_episodes(episode_ids)]
    return {
        "versions": sorted((v.model_dump(mode="json") for v in versions),
                           key=lambda d: d["version_id"]),
        "claims": sorted(claims, key=lambda d: d["claim_id"]),
        "entities": sorted((e.model_dump(mode="json") for e in entities),
                           key=lambda d: d["id"]),
        "episodes": sorted(episodes, key=lambda d: d["id"]),
        "audit": [e.model_dump(mode="json") for e in events],
    }


def logical_fingerprint(store: GraphStore) -> dict[str, Any]:
    """The state without transaction times (and the ids/hashes derived from them): what a
    run on the wall clock must reproduce exactly. Valid-time views, provenance, the order of
    audit actions per episode and the entity set."""
    versions = all_versions(store)
    events = store.audit_events(1)
    current = sorted((v.fact_key, v.object_key, isoformat(v.valid_from) or "",
                      isoformat(v.valid_to) or "", tuple(sorted(v.episode_ids)))
                     for v in versions if v.superseded_at is None)
    return {
        "current": current,
        "version_count": len(versions),
        "entities": sorted((e.id, e.name, e.type) for e in store.list_entities(limit=100_000)),
        "audit": [(e.seq, e.action.value, e.episode_id, e.fact_key) for e in events],
    }


# ------------------------------------------------------------------ invariants

_NEG = float("-inf")
_POS = float("inf")


def _ts(value: datetime | None, open_value: float) -> float:
    return open_value if value is None else value.timestamp()


def invariant_problems(store: GraphStore) -> list[str]:
    """The store-wide invariants that must hold after any load or crash:

    - the audit chain verifies and its seqs are 1..n without gaps;
    - every version has ``recorded_at < superseded_at``;
    - for every ``one`` predicate, at *every* transaction time (every snapshot the store ever
      showed), no two believed versions of a subject overlap in valid time.
    """
    problems: list[str] = []
    report = store.verify()
    if not report.ok:
        problems.append(f"audit chain broken at seq {report.first_bad_seq}: {report.reason}")
    seqs = [e.seq for e in store.audit_events(1)]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(f"audit seqs are not gapless: {seqs[:20]}…")
    groups: dict[tuple[str, str], list[FactVersion]] = defaultdict(list)
    for v in all_versions(store):
        if v.superseded_at is not None and v.superseded_at <= v.recorded_at:
            problems.append(f"{v.version_id}: superseded_at <= recorded_at")
        if store.registry.get(v.predicate).cardinality is Cardinality.ONE:
            groups[(v.subject_id, v.predicate)].append(v)
    for (subject, predicate), versions in groups.items():
        instants = sorted({v.recorded_at for v in versions})
        for known in instants:
            live = sorted(
                (v for v in versions if v.recorded_at <= known
                 and (v.superseded_at is None or known < v.superseded_at)),
                key=lambda v: _ts(v.valid_from, _NEG))
            for a, b in zip(live, live[1:], strict=False):
                if _ts(a.valid_to, _POS) > _ts(b.valid_from, _NEG):
                    problems.append(
                        f"{subject} {predicate} known at {isoformat(known)}: "
                        f"{a.version_id} [{isoformat(a.valid_from)}, {isoformat(a.valid_to)}) "
                        f"overlaps {b.version_id} [{isoformat(b.valid_from)}, "
                        f"{isoformat(b.valid_to)})")
    return problems


# ------------------------------------------------------------------ figures

def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50/p90/p99/max of latencies in seconds, reported in milliseconds."""
    if not samples:
        return {}
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else (
        ordered * 99)
    return {"p50_ms": round(q[49] * 1000, 1), "p90_ms": round(q[89] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


class Figures:
    """What the suite measured; printed at the end of the run and written to
    ``ASOF_REL_REPORT`` (a JSON file) when that is set."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, check: str, **data: Any) -> None:
        self.rows.append({"check": check, **data})


FIGURES = Figures()
