"""Concurrent load on the REST API: ``asof serve`` on 127.0.0.1 with several worker processes,
N client threads ingesting and querying overlapping subjects in several tenants for a bounded
time. Afterwards, read straight from the store:

- no two versions of a ``one`` predicate overlap in valid time in any snapshot (at every
  transaction time the store ever had);
- every tenant's audit chain verifies, seqs gapless;
- no lost episodes: every acknowledged write (HTTP 200) is in the store;
- no server error (5xx) was ever answered.

Throughput and latency percentiles are reported in the run's figures.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from reliability.rel_support import (
    ASOF,
    CITIES,
    FIGURES,
    FIRST,
    LAST,
    ORGS,
    TOOLS,
    depth,
    invariant_problems,
    open_for,
    percentiles,
    store_env,
)

from asof.api.keys import hash_key

pytestmark = pytest.mark.e2e

WORKERS = int(os.environ.get("ASOF_REL_WORKERS", str(depth(1, 2))))
CLIENTS = depth(6, 12)
DURATION_S = depth(10, 120)
MAX_REQUESTS = depth(1_500, 50_000)
TENANTS = 3
PEOPLE = [f"{f} {s}" for f, s in zip(FIRST[:4], LAST[:4], strict=True)]  # overlap on purpose


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    keys: dict[str, str]  # tenant -> key
    store: str
    proc: subprocess.Popen[bytes]
    startup_s: float


@pytest.fixture
def server(backend_url: str, fresh_tenant: str, tmp_path: Path) -> Iterator[Server]:
    tenants = [f"{fresh_tenant}-{i}" for i in range(TENANTS)]
    keys = {t: f"load-key-{t}" for t in tenants}
    port = _free_port()
    env = store_env(
        ASOF_STORE=backend_url,
        ASOF_API_KEYS=json.dumps([{"name": t, "sha256": hash_key(k), "tenant": t}
                                  for t, k in keys.items()]),
        ASOF_MAX_BATCH="50")
    log = (tmp_path / "serve.log").open("wb")
    started = time.monotonic()
    proc = subprocess.Popen([str(ASOF), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(WORKERS)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        ready = 0
        while ready < WORKERS * 3:  # several answers in a row: every worker has started
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "asof serve did not become ready"
            try:
                ok = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
            except httpx.HTTPError:
                ok = False
            ready = ready + 1 if ok else 0
            time.sleep(0.2)
        yield Server(url, keys, backend_url, proc, time.monotonic() - started)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group: server + workers
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acked_episodes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    errors: list[str] = field(default_factory=list)
    #: verify answered "tampered" while writers were active: the race of
    #: test_rel_verify_race.py (a known bug), counted here and asserted there
    verify_false_alarms: list[str] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(index: int, server: Server, tally: Tally, stop: float) -> None:
    rng = random.Random(index)
    tenants = sorted(server.keys)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        n = 0
        while time.monotonic() < stop:
            with tally.lock:
                if tally.requests >= MAX_REQUESTS:
                    return
                tally.requests += 1
            n += 1
            tenant = rng.choice(tenants)
            headers = {"Authorization": f"Bearer {server.keys[tenant]}"}
            person = rng.choice(PEOPLE)
            roll = rng.random()
            acked: list[str] = []
            if roll < 0.30:
                kind = "ingest"
                conv = f"client{index}"
                day = rng.randint(1, 28)
                messages = [{"id": f"{n}-{j}", "conversation_id": conv, "speaker": person,
                             "at": f"2024-{rng.randint(1, 12):02d}-{day:02d}T10:{j:02d}:00Z",
                             "text": rng.choice([
                                 f"I work at {rng.choice(ORGS)} and I live in "
                                 f"{rng.choice(CITIES)}.",
                                 f"I moved to {rng.choice(CITIES)} last month.",
                                 f"I use {rng.choice(TOOLS)} every day.",
                                 f"I no longer use {rng.choice(TOOLS)}."])}
                            for j in range(rng.randint(1, 3))]
                request = ("POST", "/v1/episodes", {"json": {"messages": messages}})
                acked = [f"{conv}:{m['id']}" for m in messages]
            elif roll < 0.55:
                kind = "facts"
                source = f"src-{index}-{n}"
                predicate = rng.choice(["works_at", "lives_in", "uses"])
                obj_type = {"works_at": "organization", "lives_in": "location",
                            "uses": "product"}[predicate]
                obj = rng.choice({"works_at": ORGS, "lives_in": CITIES, "uses": TOOLS}[predicate])
                fact = {"subject": {"name": person, "type": "person"}, "predicate": predicate,
                        "object": {"name": obj, "type": obj_type},
                        "valid_from": f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}-01"
                                      "T00:00:00Z"}
                if rng.random() < 0.2:
                    fact["kind"] = rng.choice(["retract", "correct"])
                request = ("POST", "/v1/facts", {"json": {"facts": [fact], "source_id": source}})
                acked = [source]
            elif roll < 0.75:
                kind = "facts_read"
                request = ("GET", "/v1/facts", {"params": {"subject": person}})
            elif roll < 0.85:
                kind = "ask"
                request = ("POST", "/v1/ask",
                           {"json": {"question": f"Where did {person} work in March 2024?"}})
            elif roll < 0.95:
                kind = "search"
                request = ("GET", "/v1/search", {"params": {"q": rng.choice(CITIES + TOOLS)}})
            else:
                kind = "verify"
                request = ("POST", "/v1/audit/verify", {})
            method, path, extra = request
            began = time.perf_counter()
            try:
                response = http.request(method, path, headers=headers, **extra)
            except httpx.HTTPError as exc:
                with tally.lock:
                    tally.statuses["transport-error"] += 1
                    tally.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - began
            with tally.lock:
                tally.latencies[kind].append(elapsed)
                tally.statuses[str(response.status_code)] += 1
                if response.status_code == 200:
                    tally.acked_episodes[tenant].update(acked)
                    if kind == "verify" and not response.json()["ok"]:
                        tally.verify_false_alarms.append(response.json()["reason"])
                elif response.status_code >= 500 or kind in ("ingest", "facts_read",
                                                             "search", "verify"):
                    tally.errors.append(f"{kind} {response.status_code}: {response.text[:300]}")


def test_concurrent_clients_keep_every_invariant(server: Server, backend_url: str) -> None:
    tally = Tally()
    stop = time.monotonic() + DURATION_S
    began = time.perf_counter()
    threads = [threading.Thread(target=_client, args=(i, server, tally, stop))
               for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DURATION_S + 300)
    elapsed = time.perf_counter() - began
    assert not any(t.is_alive() for t in threads), "a client hung"

    every = [x for samples in tally.latencies.values() for x in samples]
    backend = "sqlite" if backend_url.startswith("sqlite") else "neo4j"
    FIGURES.add("rest-load", backend=backend, workers=WORKERS, clients=CLIENTS,
                tenants=TENANTS, seconds=round(elapsed, 1), requests=len(every),
                throughput_rps=round(len(every) / elapsed, 1),
                statuses=dict(tally.statuses),
                acked_writes=sum(len(v) for v in tally.acked_episodes.values()),
                latency_all=percentiles(every),
                latency={k: percentiles(v) for k, v in sorted(tally.latencies.items())},
                verify_mid_load=len(tally.latencies["verify"]),
                verify_false_alarms=len(tally.verify_false_alarms),
                server_startup_s=round(server.startup_s, 1))
    assert not [s for s in tally.statuses if s.startswith("5") or s == "transport-error"], (
        dict(tally.statuses), tally.errors[:5])
    assert tally.errors == [], tally.errors[:5]
    assert sum(len(v) for v in tally.acked_episodes.values()) > 0

    for tenant in server.keys:
        store = open_for(server.store, tenant)
        try:
            acked = sorted(tally.acked_episodes[tenant])
            found = {e.id for e in store.get_episodes(acked)}
            assert set(acked) - found == set(), f"lost acknowledged episodes in {tenant}"
            # at rest, verify must pass: the mid-load alarms were false
            assert invariant_problems(store) == []
        finally:
            store.close()
