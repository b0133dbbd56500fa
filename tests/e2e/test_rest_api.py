"""The REST API through its real ASGI app, on a real SQLite file (and Neo4j when available)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings

pytestmark = pytest.mark.e2e

KEY_A, KEY_B, KEY_ADMIN = "key-for-tenant-a", "key-for-tenant-b", "key-for-admin"


def _keys(tenant_a: str, tenant_b: str) -> str:
    return json.dumps([
        {"name": "a", "sha256": hash_key(KEY_A), "tenant": tenant_a},
        {"name": "b", "sha256": hash_key(KEY_B), "tenant": tenant_b},
        {"name": "ops", "sha256": hash_key(KEY_ADMIN), "role": "admin"},
    ])


@pytest.fixture
def tenants(fresh_tenant: str) -> tuple[str, str]:
    return f"{fresh_tenant}-a", f"{fresh_tenant}-b"


@pytest.fixture
def client(tmp_path: Path, tenants: tuple[str, str]) -> Iterator[TestClient]:
    settings = Settings(store=f"sqlite:///{tmp_path / 'api.db'}", api_keys=_keys(*tenants),
                        max_batch=50, max_message_chars=2_000, max_body_bytes=200_000)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def post_facts(client: TestClient, key: str, facts: list[dict[str, Any]],
               **extra: Any) -> Any:
    return client.post("/v1/facts", json={"facts": facts, **extra}, headers=auth(key))


WORKS_AT_ACME = {"subject": {"name": "Priya", "type": "person"}, "predicate": "works_at",
                 "object": {"name": "Acme Corp", "type": "organization"},
                 "valid_from": "2024-03-05T00:00:00Z"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_structured_facts_round_trip_with_history_and_audit(client: TestClient) -> None:
    written = post_facts(client, KEY_A, [WORKS_AT_ACME], source_id="req-1")
    assert written.status_code == 200, written.text
    body = written.json()
    assert len(body["versions_written"]) == 1 and body["audit_seqs"]

    again = post_facts(client, KEY_A, [WORKS_AT_ACME], source_id="req-1")
    assert again.json()["duplicate"] is True

    facts = client.get("/v1/facts", params={"subject": "Priya"}, headers=auth(KEY_A)).json()
    assert [f["object"] for f in facts["items"]] == ["Acme Corp"]
    assert facts["items"][0]["provenance"], "every fact has a source"
    key = facts["items"][0]["fact_key"]

    before = client.get("/v1/facts", params={"subject": "Priya",
                                             "valid_at": "2024-01-01T00:00:00Z"},
                        headers=auth(KEY_A)).json()
    assert before["items"] == []

    history = client.get(f"/v1/facts/{key}/history", headers=auth(KEY_A))
    assert history.status_code == 200 and history.json()["items"][0]["events"]

    entity_id = facts["items"][0]["subject_id"]
    timeline = client.get(f"/v1/entities/{entity_id}/timeline", headers=auth(KEY_A)).json()
    assert list(timeline["predicates"]) == ["works_at"]
    assert timeline["known_at"] is None  # as currently believed, not an internal sentinel
    by_name = client.get("/v1/entities/Priya/timeline", headers=auth(KEY_A)).json()
    assert by_name["entity_id"] == entity_id and by_name["predicates"] == timeline["predicates"]
    assert_problem(client.get("/v1/entities/Nobody/timeline", headers=auth(KEY_A)), 404)

    audit = client.get("/v1/audit", headers=auth(KEY_A)).json()
    assert [e["seq"] for e in audit["items"]] == list(range(1, len(audit["items"]) + 1))
    assert all("Priya" not in json.dumps(e) for e in audit["items"]), "no raw text in audit"
    verify = client.post("/v1/audit/verify", headers=auth(KEY_A)).json()
    assert verify["ok"] is True


def test_ask_context_search_snapshot(client: TestClient) -> None:
    post_facts(client, KEY_A, [WORKS_AT_ACME, {
        "subject": {"name": "Priya", "type": "person"}, "predicate": "uses",
        "object": {"name": "Slack", "type": "product"}}],
        observed_at="2024-04-01T00:00:00Z")
    answer = client.post("/v1/ask", json={"question": "Where did Priya work in June 2024?"},
                         headers=auth(KEY_A)).json()
    assert answer["status"] == "answered" and answer["answers"] == ["Acme Corp"]
    assert answer["evidence"]
    block = client.post("/v1/context", json={"subject": "Priya", "budget_tokens": 60},
                        headers=auth(KEY_A)).json()
    assert "Acme Corp" in block["text"] and block["tokens"] <= 60
    hits = client.get("/v1/search", params={"q": "Slack"}, headers=auth(KEY_A)).json()["items"]
    assert hits and all(h["kind"] in ("episode", "fact") for h in hits)
    # by meaning (the server's bundled embedding model): no word of the query is stored
    chat = client.get("/v1/search", params={"q": "team chat tool", "mode": "vector"},
                      headers=auth(KEY_A)).json()["items"]
    assert chat[0]["text"] == "Priya uses Slack"
    assert client.get("/v1/search", params={"q": "team chat tool", "mode": "lexical"},
                      headers=auth(KEY_A)).json()["items"] == []
    assert_problem(client.get("/v1/search", params={"q": "Slack", "mode": "semantic"},
                              headers=auth(KEY_A)), 422)
    snap = client.get("/v1/snapshot", headers=auth(KEY_A)).json()
    assert len(snap["edges"]) == 2
    graphml = client.get("/v1/snapshot", params={"format": "graphml"}, headers=auth(KEY_A))
    assert graphml.text.lstrip().startswith("<graphml")


def test_tenant_comes_from_the_key_and_b_sees_nothing_of_a(client: TestClient,
                                                            tenants: tuple[str, str]) -> None:
    post_facts(client, KEY_A, [WORKS_AT_ACME])
    facts_a = client.get("/v1/facts", headers=auth(KEY_A)).json()["items"]
    key, entity_id = facts_a[0]["fact_key"], facts_a[0]["subject_id"]
    assert client.get("/v1/facts", headers=auth(KEY_B)).json()["items"] == []
    assert_problem(client.get(f"/v1/facts/{key}/history", headers=auth(KEY_B)), 404)
    assert_problem(client.get(f"/v1/entities/{entity_id}/timeline", headers=auth(KEY_B)), 404)
    assert_problem(client.delete(f"/v1/entities/{entity_id}", headers=auth(KEY_B)), 404)
    assert client.get("/v1/search", params={"q": "Acme"},
                      headers=auth(KEY_B)).json()["items"] == []
    assert client.get("/v1/entities", headers=auth(KEY_B)).json()["items"] == []
    assert client.get("/v1/audit", headers=auth(KEY_B)).json()["items"] == []
    # a key cannot pick another tenant by header
    assert_problem(client.get("/v1/facts", headers={**auth(KEY_B),
                                                    "X-Asof-Tenant": tenants[0]}), 403)
    # the body cannot carry a tenant at all
    assert_problem(client.post("/v1/facts", json={"facts": [WORKS_AT_ACME],
                                                  "tenant": tenants[1]},
                               headers=auth(KEY_A)), 422)
    # admin keys name their tenant explicitly
    admin = client.get("/v1/facts", headers={**auth(KEY_ADMIN), "X-Asof-Tenant": tenants[0]})
    assert [f["fact_key"] for f in admin.json()["items"]] == [key]
    assert_problem(client.get("/v1/facts", headers=auth(KEY_ADMIN)), 400)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"},
                                     {"Authorization": "Basic abc"}, {"X-API-Key": ""}])
def test_authentication_is_required(client: TestClient, headers: dict[str, str]) -> None:
    assert_problem(client.get("/v1/facts", headers=headers), 401)


def _audit_len(client: TestClient) -> int:
    return len(client.get("/v1/audit", headers=auth(KEY_A)).json()["items"])


@pytest.mark.parametrize(("payload", "status"), [
    ({"facts": [{**WORKS_AT_ACME, "valid_from": "2024-03-05T00:00:00"}]}, 422),
    ({"facts": [{**WORKS_AT_ACME, "predicate": "is_ceo_of"}]}, 422),
    ({"facts": [{**WORKS_AT_ACME, "valid_to": "2024-01-01T00:00:00Z"}]}, 422),
    ({"facts": []}, 422),
    ({"facts": [{**WORKS_AT_ACME, "subject": {"name": "Bob\x00"}}]}, 422),
    ({"facts": [WORKS_AT_ACME] * 51}, 422),
])
def test_bad_facts_are_rejected_and_change_nothing(client: TestClient, payload: dict[str, Any],
                                                   status: int) -> None:
    before = _audit_len(client)
    assert_problem(client.post("/v1/facts", json=payload, headers=auth(KEY_A)), status)
    assert _audit_len(client) == before


def test_malformed_json_and_oversized_bodies(client: TestClient) -> None:
    before = _audit_len(client)
    broken = client.post("/v1/facts", content=b'{"facts": [', headers={
        **auth(KEY_A), "Content-Type": "application/json"})
    assert_problem(broken, 422)
    huge = client.post("/v1/facts", content=b"x" * 300_000, headers={
        **auth(KEY_A), "Content-Type": "application/json"})
    assert_problem(huge, 413)
    assert _audit_len(client) == before


def test_a_chunked_body_over_the_limit_is_refused_too(client: TestClient) -> None:
    """Without Content-Length (chunked transfer), the limit is counted as the body streams."""
    before = _audit_len(client)

    def chunks(total: int) -> Iterator[bytes]:
        yield b'{"facts": [], "observed_at": "'
        for _ in range(total // 65_536):
            yield b"x" * 65_536
        yield b'"}'

    huge = client.post("/v1/facts", content=chunks(7_000_000),
                       headers={**auth(KEY_A), "Content-Type": "application/json"})
    body = assert_problem(huge, 413)
    assert "200000 bytes" in body["detail"]
    small = client.post("/v1/facts", content=iter([json.dumps({"facts": [WORKS_AT_ACME]})
                                                   .encode()]),
                        headers={**auth(KEY_A), "Content-Type": "application/json"})
    assert small.status_code == 200, small.text
    assert _audit_len(client) == before + len(small.json()["audit_seqs"])


def test_erasure_over_rest(client: TestClient) -> None:
    post_facts(client, KEY_A, [WORKS_AT_ACME])
    entity_id = client.get("/v1/facts", headers=auth(KEY_A)).json()["items"][0]["subject_id"]
    erased = client.delete(f"/v1/entities/{entity_id}", headers=auth(KEY_A))
    assert erased.status_code == 200 and erased.json()["versions"] == 1
    assert client.get("/v1/facts", headers=auth(KEY_A)).json()["items"] == []
    assert client.post("/v1/audit/verify", headers=auth(KEY_A)).json()["ok"] is True


def test_a_speaker_who_is_no_entity_is_erased_over_rest(client: TestClient) -> None:
    message = {"id": "m1", "speaker": "Dana Kerr", "at": "2024-03-05T09:00:00Z",
               "text": "Lovely weather today."}
    assert client.post("/v1/episodes", json={"messages": [message]},
                       headers=auth(KEY_A)).status_code == 200
    assert_problem(client.delete("/v1/speakers/Dana Kerr", headers=auth(KEY_B)), 404)
    erased = client.delete("/v1/speakers/Dana Kerr", params={"ticket": "DSR-9"},
                           headers=auth(KEY_A))
    assert erased.status_code == 200, erased.text
    assert erased.json()["entity_id"] is None and erased.json()["episodes"] == 1
    assert client.get("/v1/search", params={"q": "weather"}, headers=auth(KEY_A)).json()[
        "items"] == []
    assert_problem(client.delete("/v1/speakers/Dana Kerr", headers=auth(KEY_A)), 404)
    assert client.post("/v1/audit/verify", headers=auth(KEY_A)).json()["ok"] is True


def test_openapi_describes_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def test_openapi_declares_both_key_schemes_on_every_v1_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "`Authorization: Bearer <API key>`"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                   "description": "The API key in `X-API-Key` (alternative to Bearer)."}}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            declared = operation.get("security")
            if path.startswith("/v1/"):
                assert declared == [{"bearer": []}, {"apiKey": []}], f"{method} {path}"
                # the key headers are schemes, not loose parameters
                names = {p["name"].lower() for p in operation.get("parameters", [])}
                assert not names & {"authorization", "x-api-key"}, f"{method} {path}"
            else:
                assert declared is None, f"{method} {path} needs no key"


def test_both_key_headers_are_accepted_and_errors_say_what_to_send(client: TestClient) -> None:
    assert client.get("/v1/facts", headers={"X-API-Key": KEY_A}).status_code == 200
    assert client.get("/v1/facts", headers={"authorization": f"bearer {KEY_A}"}
                      ).status_code == 200
    wrong_scheme = client.get("/v1/facts", headers={"Authorization": f"Basic {KEY_A}"})
    assert assert_problem(wrong_scheme, 401)["detail"] == "use 'Authorization: Bearer <key>'"
    assert wrong_scheme.headers["WWW-Authenticate"] == "Bearer"
    missing = assert_problem(client.get("/v1/facts"), 401)
    assert missing["detail"] == "an API key is required"
    unknown = assert_problem(client.get("/v1/facts", headers={"X-API-Key": "nope"}), 401)
    assert unknown["detail"] == "unknown API key"


def test_app_refuses_to_start_without_keys(tmp_path: Path) -> None:
    from asof.graph.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="no API keys"):
        create_app(Settings(store=f"sqlite:///{tmp_path / 'x.db'}"))


def test_injected_memory_is_used(tmp_path: Path, tenants: tuple[str, str]) -> None:
    mem = Memory.open(f"sqlite:///{tmp_path / 'injected.db'}")
    settings = Settings(store="sqlite:///unused.db", api_keys=_keys(*tenants))
    with TestClient(create_app(settings, memory=mem)) as test_client:
        assert post_facts(test_client, KEY_A, [WORKS_AT_ACME]).status_code == 200
    assert mem.facts("Priya", tenant=tenants[0])
    mem.close()


def test_a_source_id_that_is_a_message_id_is_a_conflict_not_a_silent_drop(
        client: TestClient) -> None:
    message = {"id": "m1", "speaker": "Priya", "at": "2024-03-05T09:00:00Z",
               "text": "I work at Initech."}
    ingested = client.post("/v1/episodes", json={"messages": [message]}, headers=auth(KEY_A))
    message_id = ingested.json()["episode_ids"][0]
    before = _audit_len(client)
    clash = post_facts(client, KEY_A, [WORKS_AT_ACME], source_id=message_id)
    assert message_id in assert_problem(clash, 409)["detail"]
    assert _audit_len(client) == before
    assert client.get("/v1/facts", params={"predicate": "works_at", "object": "Acme Corp"},
                      headers=auth(KEY_A)).json()["items"] == []


def test_a_source_id_reused_for_other_facts_is_a_conflict(client: TestClient) -> None:
    assert post_facts(client, KEY_A, [WORKS_AT_ACME], source_id="req-7").status_code == 200
    before = _audit_len(client)
    retry = post_facts(client, KEY_A, [WORKS_AT_ACME], source_id="req-7")
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    other = {**WORKS_AT_ACME, "object": {"name": "Initech", "type": "organization"}}
    clash = post_facts(client, KEY_A, [other], source_id="req-7")
    assert "req-7" in assert_problem(clash, 409)["detail"]
    assert _audit_len(client) == before


def test_a_resent_message_id_with_other_text_is_a_conflict(client: TestClient) -> None:
    message = {"id": "m1", "speaker": "Priya", "at": "2024-03-05T09:00:00Z",
               "text": "I work at Initech."}
    assert client.post("/v1/episodes", json={"messages": [message]},
                       headers=auth(KEY_A)).status_code == 200
    before = _audit_len(client)
    same = client.post("/v1/episodes", json={"messages": [message]}, headers=auth(KEY_A))
    assert same.status_code == 200 and same.json()["duplicates"] == 1  # a true retry
    other = {**message, "text": "I work at Hooli."}
    changed = client.post("/v1/episodes", json={"messages": [
        {**message, "id": "m2"}, other]}, headers=auth(KEY_A))
    detail = assert_problem(changed, 409)["detail"]
    assert "m1" in detail and "text" in detail
    assert _audit_len(client) == before  # m2 was not stored either: all or nothing
    # an erased message may be resent (a backlog replay) without bringing it back
    entity = client.get("/v1/facts", params={"subject": "Priya"},
                        headers=auth(KEY_A)).json()["items"][0]["subject_id"]
    assert client.delete(f"/v1/entities/{entity}", headers=auth(KEY_A)).status_code == 200
    resent = client.post("/v1/episodes", json={"messages": [message]}, headers=auth(KEY_A))
    assert resent.status_code == 200 and resent.json()["duplicates"] == 1


@pytest.mark.parametrize("method, url", [
    ("GET", "/v1/facts?subject=Priya&subject=Mallory"),
    ("GET", "/v1/audit?limit=5&limit=6"),
    ("DELETE", "/v1/entities/ent_x?ticket=A-1&ticket=A-2"),
])
def test_a_query_parameter_given_twice_is_refused(client: TestClient, method: str,
                                                  url: str) -> None:
    """Every parameter takes one value; before, the last of several silently won (the OpenAPI
    fuzz test caught GET /v1/facts?subject=…&subject=… answered 200 about one of them)."""
    post_facts(client, KEY_A, [WORKS_AT_ACME])
    before = _audit_len(client)
    body = assert_problem(client.request(method, url, headers=auth(KEY_A)), 422)
    assert "given more than once" in body["detail"]
    assert _audit_len(client) == before
    single = client.get("/v1/facts?subject=Priya", headers=auth(KEY_A))
    assert single.status_code == 200 and len(single.json()["items"]) == 1
