"""Tenant isolation as a property: random operations across three tenants through the REST
API, each with its own key. No response to tenant A ever contains B's ids, names or text —
not even when A asks for them by name or id (which must answer 404 or nothing). Afterwards
every tenant's chain verifies and nothing A did changed B.

Each tenant writes names and texts built on its own marker word, so any leak is a substring
match; ids (entities, facts, versions, episodes) are collected from B's own responses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.rel_support import FIGURES, SOAK, depth, fingerprint, open_for

from asof.api.app import create_app
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings

pytestmark = pytest.mark.e2e

MARKERS = ["Zorvath", "Quillon", "Brevik"]  # one invented word per tenant
CITIES = ["Ashford", "Brindle", "Corvale"]
ORGS = ["Foundry", "Works", "Collective"]
#: the same name in every tenant: its ids must still never cross
SHARED = "Priya Raman"
#: what an id looks like (entity, fact key, version, episode, claim; message and source ids)
_IDS = re.compile(r"^(ent_|fk_|ver_|epi_|clm_|src-\d|c\d:m\d)")


class World:
    def __init__(self, client: TestClient, tenants: list[str], keys: list[str]) -> None:
        self.client, self.tenants, self.keys = client, tenants, keys
        self.secrets: list[set[str]] = [set() for _ in tenants]  # names, texts, ids
        self.entities: list[set[str]] = [set() for _ in tenants]
        self.fact_keys: list[set[str]] = [set() for _ in tenants]
        self.requests = 0
        self.counter = 0

    def person(self, t: int, i: int) -> str:
        return SHARED if i == 0 else f"{MARKERS[t]} Person{i}"

    def city(self, t: int, i: int) -> str:
        return f"{MARKERS[t]} {CITIES[i % 3]}"

    def org(self, t: int, i: int) -> str:
        return f"{MARKERS[t]} {ORGS[i % 3]}"

    def call(self, t: int, method: str, path: str, *, echo: str | None = None,
             **kwargs: Any) -> Any:
        """``echo``: text the caller itself sent (a question naming B's person is echoed
        back: that is not a leak), removed before the check."""
        self.requests += 1
        response = self.client.request(method, path, headers={
            "Authorization": f"Bearer {self.keys[t]}"}, **kwargs)
        assert response.status_code < 500, response.text
        body = response.text
        if echo:
            body = body.replace(echo, "").replace(json.dumps(echo)[1:-1], "")
        for other, secrets in enumerate(self.secrets):
            if other == t:
                continue
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"tenant {t} saw tenant {other}'s {leaked[:3]} in {path}"
            assert MARKERS[other] not in body, f"tenant {t} saw {MARKERS[other]} in {path}"
        return response

    def learn(self, t: int, payload: Any) -> None:
        """Collect ids from tenant t's own responses (its secrets)."""
        if isinstance(payload, dict):
            for key, value in payload.items():
                if isinstance(value, str) and _IDS.match(value):
                    self.secrets[t].add(value)
                    if key in ("subject_id", "object_id", "entity_id"):
                        self.entities[t].add(value)
                    if key == "fact_key":
                        self.fact_keys[t].add(value)
                elif isinstance(value, list) and key in ("episode_ids", "versions_written",
                                                         "versions_closed"):
                    self.secrets[t].update(v for v in value
                                           if isinstance(v, str) and _IDS.match(v))
                else:
                    self.learn(t, value)
        elif isinstance(payload, list):
            for item in payload:
                self.learn(t, item)


OPS = st.tuples(st.integers(0, 2), st.sampled_from([
    "facts", "episodes", "read_own", "read_other_name", "search_other", "ask_other",
    "timeline_other", "history_other", "delete_other", "audit", "snapshot", "context_other"]),
    st.integers(0, 2), st.integers(0, 3))


@pytest.fixture
def world(backend_url: str, fresh_tenant: str, nlp: Any) -> Iterator[World]:
    tenants = [f"{fresh_tenant}-{i}" for i in range(3)]
    keys = [f"iso-key-{i}-{fresh_tenant}" for i in range(3)]
    memory = Memory(open_for(backend_url, tenants[0]), nlp=nlp)
    keyring = json.dumps([{"name": f"k{i}", "sha256": hash_key(k), "tenant": t}
                          for i, (t, k) in enumerate(zip(tenants, keys, strict=True))])
    app = create_app(Settings(store="sqlite:///unused.db", api_keys=keyring), memory=memory)
    with TestClient(app) as client:
        world = World(client, tenants, keys)
        world.neo4j = not backend_url.startswith("sqlite")  # type: ignore[attr-defined]
        world.memory = memory  # type: ignore[attr-defined]
        yield world
    memory.close()


def _step(w: World, t: int, op: str, i: int, j: int) -> None:
    o = (t + 1 + (i % 2)) % 3  # another tenant
    w.counter += 1
    if op == "facts":
        name, org = w.person(t, j), w.org(t, i)
        w.secrets[t].update({org, f"src-{t}-{w.counter}"} | ({name} if j else set()))
        r = w.call(t, "POST", "/v1/facts", json={"source_id": f"src-{t}-{w.counter}", "facts": [{
            "subject": {"name": name, "type": "person"}, "predicate": "works_at",
            "object": {"name": org, "type": "organization"},
            "valid_from": f"202{i}-0{j + 1}-01T00:00:00Z"}]})
        assert r.status_code == 200, r.text
        w.learn(t, r.json())
    elif op == "episodes":
        name, city = w.person(t, j), w.city(t, i)
        text = f"I moved to {city} last month."
        w.secrets[t].update({city, text} | ({name} if j else set()))
        r = w.call(t, "POST", "/v1/episodes", json={"messages": [{
            "id": f"m{w.counter}", "conversation_id": f"c{t}", "speaker": name,
            "at": f"2024-0{j + 1}-1{i}T09:00:00Z", "text": text}]})
        assert r.status_code == 200, r.text
        w.learn(t, r.json())
    elif op == "read_own":
        r = w.call(t, "GET", "/v1/facts", params={"subject": w.person(t, j)})
        w.learn(t, r.json())
    elif op == "read_other_name":
        r = w.call(t, "GET", "/v1/facts", params={"subject": w.person(o, j)})
        assert r.status_code == 200
        w.learn(t, r.json()) if j == 0 else None
        if j:
            assert r.json()["items"] == []
    elif op == "search_other":
        r = w.call(t, "GET", "/v1/search", params={"q": MARKERS[o]}, echo=MARKERS[o])
        assert r.json()["items"] == []
    elif op == "ask_other":
        question = f"Where does {w.person(o, j)} live?"
        r = w.call(t, "POST", "/v1/ask", json={"question": question}, echo=w.person(o, j))
        assert r.json()["answers"] == [] or j == 0, r.text
    elif op == "context_other":
        r = w.call(t, "POST", "/v1/context", json={"subject": w.person(o, max(j, 1))},
                   echo=w.person(o, max(j, 1)))
        assert r.status_code in (200, 404), r.text
    elif op in ("timeline_other", "delete_other", "history_other"):
        pool = sorted(w.fact_keys[o] if op == "history_other" else w.entities[o])
        if not pool:
            return
        target = pool[(i * 7 + j) % len(pool)]
        path = {"timeline_other": f"/v1/entities/{target}/timeline",
                "delete_other": f"/v1/entities/{target}",
                "history_other": f"/v1/facts/{target}/history"}[op]
        r = w.call(t, "DELETE" if op == "delete_other" else "GET", path, echo=target)
        assert r.status_code == 404, r.text
    elif op == "audit":
        w.call(t, "GET", "/v1/audit", params={"limit": 1000})
    elif op == "snapshot":
        w.call(t, "GET", "/v1/snapshot", params={"format": "graphml" if i else "json"})


def test_no_response_for_a_tenant_contains_another_tenants_data(world: World) -> None:
    before_cross: dict[int, Any] = {}

    examples = depth(10 if world.neo4j else 30, 300)  # type: ignore[attr-defined]

    @settings(max_examples=examples, deadline=None, derandomize=not _soak(),
              suppress_health_check=list(HealthCheck))
    @given(st.lists(OPS, min_size=3, max_size=depth(15, 30)))
    def run(ops: list[tuple[int, str, int, int]]) -> None:
        for t, op, i, j in ops:
            if op in ("delete_other",):
                o = (t + 1 + (i % 2)) % 3
                before_cross[o] = fingerprint(world.memory.store(world.tenants[o]))  # type: ignore[attr-defined]
                _step(world, t, op, i, j)
                after = fingerprint(world.memory.store(world.tenants[o]))  # type: ignore[attr-defined]
                assert after == before_cross[o], "a delete by another tenant changed this one"
            else:
                _step(world, t, op, i, j)

    run()
    for tenant in world.tenants:
        assert world.memory.store(tenant).verify().ok  # type: ignore[attr-defined]
    FIGURES.add("tenant-isolation", requests=world.requests,
                secrets_tracked=sum(len(s) for s in world.secrets))


def _soak() -> bool:
    return SOAK
