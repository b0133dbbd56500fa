"""The Neo4j server stops and restarts in the middle of an ingestion (soak only: a server
start costs 15-30 s here).

This never touches the shared test server: it runs its *own* local Neo4j
(``scripts/neo4j-local`` with ``ASOF_NEO4J_LOCAL_DIR=/tmp/asof-neo4j-rel`` and Bolt port 7699,
override with ``ASOF_REL_NEO4J_DIR`` / ``ASOF_REL_NEO4J_PORT``), reusing the jars already
resolved under ``.neo4j/``, and stops it at the end.

What must happen: while the server is down the ingestion either waits and retries (bounded)
or fails with a clear one-line error; after the restart a re-run completes, and the final
state equals a clean run's (byte for byte, as in ``test_rel_crash.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
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
    state_diff,
    store_env,
    write_jsonl,
)

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j,
              pytest.mark.skipif(not SOAK, reason="soak only (ASOF_SOAK=1): starts its own "
                                                  "Neo4j server twice")]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "neo4j-local"
#: How long the ingestion may take to notice the outage and either fail or keep waiting.
OUTAGE_BOUND_S = 120


class OwnServer:
    def __init__(self) -> None:
        self.dir = Path(os.environ.get("ASOF_REL_NEO4J_DIR", "/tmp/asof-neo4j-rel"))
        self.port = os.environ.get("ASOF_REL_NEO4J_PORT", "7699")
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.password = ""

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASOF_NEO4J")}
        env.update(ASOF_NEO4J_LOCAL_DIR=str(self.dir), ASOF_NEO4J_BOLT_PORT=self.port,
                   ASOF_PYTHON=sys.executable)
        return env

    def run(self, command: str) -> str:
        done = subprocess.run([sys.executable, str(SCRIPT), command], env=self._env(),
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"neo4j-local {command}: {done.stderr[-2000:]}"
        return done.stdout.strip()

    def up(self) -> float:
        self.dir.mkdir(parents=True, exist_ok=True)
        for name in ("classpath.txt", "classpath.key"):  # reuse the resolved jars
            cached = ROOT / ".neo4j" / name
            if cached.exists() and not (self.dir / name).exists():
                shutil.copy(cached, self.dir / name)
        started = time.monotonic()
        self.run("up")
        self.password = self.run("password")
        return time.monotonic() - started

    def down(self) -> None:
        self.run("down")


@pytest.fixture(scope="module")
def own_server() -> Iterator[OwnServer]:
    server = OwnServer()
    server.up()
    try:
        yield server
    finally:
        server.down()


def test_server_restart_mid_ingestion(own_server: OwnServer, fresh_tenant: str,
                                      tmp_path: Path, nlp: Any) -> None:
    from asof.graph.urls import open_store

    count, length = depth(2, 4), depth(20, 40)
    data = write_jsonl(tmp_path / "restart.jsonl", conversations(SEED + 7, count, length))
    reference = clean_in_process(data, f"sqlite:///{tmp_path / 'clean.db'}", fresh_tenant,
                                 nlp, replay=True)
    clean = fingerprint(reference)
    reference.close()
    total = len(clean["audit"])

    env = store_env(ASOF_NEO4J_PASSWORD=own_server.password)
    store = open_store(own_server.uri, tenant=fresh_tenant, neo4j_password=own_server.password)
    cmd = ingest_cmd(data, own_server.uri, fresh_tenant, replay=True)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    seq = 0
    try:
        while proc.poll() is None and seq < total // 3:
            time.sleep(0.02)
            seq = head_seq(store, seq)
    finally:
        store.close()
    assert proc.poll() is None, "ingestion finished before the server could be stopped"
    down_at = time.monotonic()
    own_server.down()
    stopped_after = time.monotonic() - down_at
    try:
        _, err = proc.communicate(timeout=OUTAGE_BOUND_S)
        outcome = "failed" if proc.returncode else "completed"
    except subprocess.TimeoutExpired:
        outcome = "waiting"
        err = ""
    reacted_after = time.monotonic() - down_at
    restart_s = own_server.up()
    if outcome == "waiting":  # it waits for the server: it must now finish on its own
        _, err = proc.communicate(timeout=OUTAGE_BOUND_S)
        assert proc.returncode == 0, err
        outcome = "waited and completed"
    elif outcome == "failed":
        # the driver's own retry notices ("Transaction failed and will be retried in 1.9s")
        # precede it (multi-line); the verdict is the last line, one line, no traceback
        lines = [line for line in err.strip().splitlines() if line.strip()]
        assert lines and "Traceback" not in err, err
        verdict = [line for line in lines if line.startswith("Error:")]
        assert len(verdict) == 1 and lines[-1] == verdict[0], err
        assert "Neo4j cannot be reached" in verdict[0], err
        assert reacted_after < OUTAGE_BOUND_S

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600,
                           check=False)
    assert rerun.returncode == 0, rerun.stderr
    store = open_store(own_server.uri, tenant=fresh_tenant, neo4j_password=own_server.password)
    try:
        actual = fingerprint(store)
        assert actual == clean, state_diff(clean, actual)
        assert invariant_problems(store) == []
    finally:
        store.close()
    FIGURES.add("neo4j-restart", messages=count * length, audit_events=total,
                head_at_stop=seq, stop_s=round(stopped_after, 1),
                ingestion=outcome, reacted_after_s=round(reacted_after, 1),
                error=err.strip().splitlines()[-1][:120] if outcome == "failed" else None,
                restart_s=round(restart_s, 1))
