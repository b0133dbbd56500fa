"""Crash consistency: SIGKILL an ``asof ingest`` at random points, re-run it, and the store
ends exactly where a clean run ends — same versions, claims, entities, episodes and audit
chain (hashes included) — on SQLite and on Neo4j.

``--replay`` makes transaction time follow the message times, so a run is deterministic to
the byte: the clean reference is computed once on SQLite, and a crashed-and-resumed run on
either backend must equal it (the backends agree with each other too). A second test uses the
wall clock, where transaction times necessarily differ, and compares the logical state.

The Neo4j *server* restart mid-ingestion lives in ``test_rel_neo4j_restart.py`` (soak only).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from reliability.rel_support import (
    FIGURES,
    SEED,
    SOAK,
    clean_in_process,
    conversations,
    depth,
    fingerprint,
    head_seq,
    ingest_cmd,
    invariant_problems,
    logical_fingerprint,
    share_secret,
    state_diff,
    store_env,
    write_jsonl,
)

from asof.graph.store import GraphStore

pytestmark = pytest.mark.e2e

def run_clean(path: Path, url: str, tenant: str, *, replay: bool) -> dict[str, Any]:
    done = subprocess.run(ingest_cmd(path, url, tenant, replay=replay), env=store_env(),
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def next_target(rng: random.Random, now: int, total: int) -> int:
    """A kill point after the current head, in the first half of what is left, so that
    several kills in a row all land mid-ingestion."""
    return rng.randint(now + 1, max(now + 1, now + (total - 1 - now) // 2))


def run_and_kill(cmd: list[str], store: GraphStore, *, rng: random.Random, target_seq: int,
                 timeout: float = 600) -> dict[str, Any]:
    """Start ``cmd``; once the store's audit head reaches ``target_seq`` wait a random few
    milliseconds (so the kill lands anywhere: inside a transaction, between two, in the
    extraction of the next message) and SIGKILL it."""
    proc = subprocess.Popen(cmd, env=store_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    err = ""
    seq = head_seq(store, 0)
    start_seq = seq
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and seq < target_seq and time.monotonic() < deadline:
            time.sleep(0.01)
            seq = head_seq(store, seq)
        if proc.poll() is None:
            time.sleep(rng.uniform(0, 0.05))
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    if not killed:
        assert proc.returncode == 0, (
            f"ingestion failed on its own: exit {proc.returncode}: {err}")
    return {"killed": killed, "from_seq": start_seq, "head_at_kill": head_seq(store, 0)}


@pytest.mark.parametrize("backend_url", ["sqlite", pytest.param("neo4j",
                                                                  marks=pytest.mark.neo4j)],
                         indirect=True)
def test_sigkill_at_random_points_then_rerun_equals_a_clean_run(
        backend_url: str, fresh_tenant: str, tmp_path: Path, inspect: Any, nlp: Any) -> None:
    neo4j = not backend_url.startswith("sqlite")
    count, length = ((depth(2, 6), depth(20, 40)) if neo4j
                     else (depth(3, 10), depth(30, 60)))
    kills = depth(2, 6) if neo4j else depth(3, 10)
    rng = random.Random(f"{SEED}-{backend_url[:6]}")
    data = write_jsonl(tmp_path / "big.jsonl", conversations(SEED, count, length))

    reference_url = f"sqlite:///{tmp_path / 'clean.db'}"
    started = time.perf_counter()
    reference = clean_in_process(data, reference_url, fresh_tenant, nlp, replay=True)
    clean_seconds = time.perf_counter() - started
    clean = fingerprint(reference)
    reference.close()
    total = len(clean["audit"])
    assert len(clean["episodes"]) == count * length and total > count * length

    store = share_secret(inspect(backend_url, fresh_tenant))
    runs = []
    cmd = ingest_cmd(data, backend_url, fresh_tenant, replay=True)
    for _ in range(kills):
        now = head_seq(store, 0)
        if now >= total - 1:
            break
        run = run_and_kill(cmd, store, rng=rng, target_seq=next_target(rng, now, total))
        runs.append(run)
        # whatever the kill interrupted, what is stored is consistent
        assert invariant_problems(store) == [], run
    resumed = run_clean(data, backend_url, fresh_tenant, replay=True)
    assert resumed["messages"] == count * length

    actual = fingerprint(store)
    assert actual == clean, state_diff(clean, actual)
    assert invariant_problems(store) == []
    killed = [r for r in runs if r["killed"]]
    assert killed, f"no run was killed before it finished: {runs}"
    FIGURES.add("crash-sigkill", backend="neo4j" if neo4j else "sqlite",
                messages=count * length, audit_events=total, kill_runs=len(runs),
                killed=len(killed), kill_heads=[r["head_at_kill"] for r in runs],
                resumed_new_messages=resumed["messages"] - resumed["duplicates"],
                clean_run_s=round(clean_seconds, 1))


@pytest.mark.parametrize("backend_url", ["sqlite", pytest.param("neo4j", marks=[
    pytest.mark.neo4j, pytest.mark.skipif(not SOAK, reason="soak only (ASOF_SOAK=1)")])],
    indirect=True)
def test_sigkill_on_the_wall_clock_keeps_the_logical_state(
        backend_url: str, fresh_tenant: str, tmp_path: Path, inspect: Any, nlp: Any) -> None:
    """Without --replay transaction times differ from run to run; everything else (the
    valid-time view, provenance, the audit actions in order, the entities) must not."""
    neo4j = not backend_url.startswith("sqlite")
    count, length = (2, depth(15, 40)) if neo4j else (3, depth(20, 60))
    rng = random.Random(f"{SEED}-wall-{backend_url[:6]}")
    data = write_jsonl(tmp_path / "wall.jsonl", conversations(SEED + 1, count, length))
    reference_url = f"sqlite:///{tmp_path / 'clean.db'}"
    reference = clean_in_process(data, reference_url, fresh_tenant, nlp, replay=False)
    clean = logical_fingerprint(reference)
    reference.close()
    total = len(clean["audit"])

    store = share_secret(inspect(backend_url, fresh_tenant))
    cmd = ingest_cmd(data, backend_url, fresh_tenant, replay=False)
    runs = []
    for _ in range(depth(1, 4)):
        now = head_seq(store, 0)
        if now >= total - 1:
            break
        runs.append(run_and_kill(cmd, store, rng=rng, target_seq=next_target(rng, now, total)))
    run_clean(data, backend_url, fresh_tenant, replay=False)
    actual = logical_fingerprint(store)
    assert actual == clean, state_diff(clean, actual)
    assert invariant_problems(store) == []
    FIGURES.add("crash-sigkill-wallclock", backend="neo4j" if neo4j else "sqlite",
                messages=count * length, audit_events=total,
                killed=sum(r["killed"] for r in runs),
                kill_heads=[r["head_at_kill"] for r in runs])
