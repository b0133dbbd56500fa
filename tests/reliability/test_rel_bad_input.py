"""The bad-input catalogue: every case through the REST API or the CLI gets a clear error (a
4xx ``application/problem+json`` body, or one CLI line and a non-zero exit) and leaves the
store exactly as it was (a full fingerprint of the tenant, and of a neighbour tenant, compared
before and after). Injection strings that are *legitimate data* (a name with quotes, search
text with query syntax) must be taken literally: accepted or answered, and harmless.

Runs on SQLite and on Neo4j. The bugs this catalogue found are listed in docs/reliability.md;
all of them are fixed and their cases pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from reliability.rel_support import FIGURES, SOAK, fingerprint, open_for

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.models import EntityRef, FactAssertion

pytestmark = pytest.mark.e2e

KEY, NEIGHBOUR_KEY, ADMIN_KEY = "bad-input-key", "neighbour-key", "bad-input-admin"

ACME = {"subject": {"name": "Priya Raman", "type": "person"}, "predicate": "works_at",
        "object": {"name": "Acme Corp", "type": "organization"},
        "valid_from": "2024-03-05T00:00:00Z"}


def fact(**changes: Any) -> dict[str, Any]:
    return {"facts": [{**ACME, **changes}]}


def message(**changes: Any) -> dict[str, Any]:
    return {"messages": [{"id": "m1", "speaker": "Priya Raman", "at": "2024-03-01T09:00:00Z",
                          "text": "I live in Porto.", **changes}]}


@dataclass(frozen=True)
class Case:
    """One REST request. ``body`` is JSON-encoded unless ``raw`` is given."""

    name: str
    method: str = "POST"
    path: str = "/v1/facts"
    body: Any = None
    raw: bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    status: tuple[int, ...] = (422,)
    #: legitimate data: must be answered (2xx), literally, and harmlessly
    harmless: bool = False


TEN_K = {"messages": [{"id": f"m{i}", "speaker": "Priya Raman", "at": "2024-03-01T09:00:00Z",
                       "text": f"Message number {i}."} for i in range(10_000)]}
INJECTIONS = ["x'}) MATCH (n) DETACH DELETE n //", "Robert'); DROP TABLE episodes;--",
              "\" OR 1=1 --", "$tenant", "} RETURN n UNION MATCH (m) RETURN m //"]

REST_CASES = [
    # malformed, truncated, not JSON
    Case("malformed-json", raw=b'{"facts": [', status=(400, 422)),
    Case("truncated-json", raw=json.dumps(fact()).encode()[:60], status=(400, 422)),
    Case("not-json", raw=b"hello, store", status=(400, 422)),
    Case("invalid-utf8", raw=b'{"facts": [\xff\xfe]}', status=(400, 422)),
    Case("deeply-nested-json", raw=b"[" * 50_000 + b"]" * 50_000, status=(400, 422)),
    Case("json-array-top-level", path="/v1/episodes", body=[message()["messages"][0]]),
    Case("nan-confidence", raw=json.dumps(fact(confidence=float("nan"))).encode(),
         status=(400, 422)),
    # wrong types
    Case("messages-not-a-list", path="/v1/episodes", body={"messages": "I live in Porto."}),
    Case("text-is-a-number", path="/v1/episodes", body=message(text=123)),
    Case("timestamp-is-a-number", path="/v1/episodes", body=message(at=1709283600)),
    Case("speaker-is-null", path="/v1/episodes", body=message(speaker=None)),
    Case("confidence-is-a-string", body=fact(confidence="high")),
    Case("subject-is-a-string", body=fact(subject="Priya Raman")),
    Case("unknown-field-tenant", body={**fact(), "tenant": "someone-else"}),
    Case("role-not-in-enum", path="/v1/episodes", body=message(role="root")),
    # timestamps
    Case("naive-timestamp", path="/v1/episodes", body=message(at="2024-03-01T09:00:00")),
    Case("naive-valid-from", body=fact(valid_from="2024-03-05T00:00:00")),
    Case("impossible-date-feb-30", path="/v1/episodes", body=message(at="2024-02-30T09:00:00Z")),
    Case("impossible-time-25h", path="/v1/episodes", body=message(at="2024-03-01T25:61:00Z")),
    Case("offset-out-of-range", path="/v1/episodes", body=message(at="2024-03-01T09:00:00+25:00")),
    Case("year-10000", path="/v1/episodes", body=message(at="10000-01-01T00:00:00Z")),
    Case("year-0", body=fact(valid_from="0000-01-01T00:00:00Z")),
    Case("inverted-interval", body=fact(valid_to="2020-01-01T00:00:00Z")),
    Case("empty-interval", body=fact(valid_to=ACME["valid_from"])),
    Case("naive-valid-at-query", method="GET", params={"valid_at": "2024-03-01T00:00:00"}),
    Case("garbage-known-at-query", method="GET", params={"known_at": "last tuesday"}),
    # far past / far future that leave datetime's range once normalised to UTC
    Case("far-future-message-west-offset", path="/v1/episodes",
         body=message(at="9999-12-31T23:59:59-12:00")),
    Case("far-past-observed-east-offset",
         body={**fact(), "observed_at": "0001-01-01T00:00:00+14:00"}),
    Case("far-future-event-month", body={"facts": [{
        "subject": ACME["subject"], "predicate": "visited",
        "object": {"name": "Lisbon", "type": "location"}, "valid_from": "9999-12-15T00:00:00Z",
        "granularity": "month"}]}),
    Case("far-past-valid-at-query", method="GET",
         params={"valid_at": "0001-01-01T00:00:00+01:00"}),
    # empty and huge
    Case("empty-text", path="/v1/episodes", body=message(text="")),
    Case("whitespace-text", path="/v1/episodes", body=message(text="   \n\t ")),
    Case("empty-batch", path="/v1/episodes", body={"messages": []}),
    Case("empty-facts", body={"facts": []}),
    Case("huge-message", path="/v1/episodes", body=message(text="word " * 5_000)),
    Case("body-over-the-limit", raw=b'{"facts": ["' + b"x" * 6_000_000 + b'"]}',
         status=(413,)),
    Case("10k-message-batch", path="/v1/episodes", body=TEN_K),
    Case("name-too-long", body=fact(subject={"name": "P" * 301, "type": "person"})),
    # binary and control characters
    Case("nul-in-text", path="/v1/episodes", body=message(text="I live in\x00 Porto.")),
    Case("bell-in-speaker", path="/v1/episodes", body=message(speaker="Priya\x07")),
    Case("escape-in-name", body=fact(subject={"name": "Priya\x1b[31m", "type": "person"})),
    Case("newline-in-id", path="/v1/episodes", body=message(id="m1\nm2")),
    Case("c1-control-in-evidence", body=fact(evidence="said \x85 this")),
    Case("punctuation-only-value", body={"facts": [{
        "subject": ACME["subject"], "predicate": "job_title", "value": "!!!"}]}),
    # structured writes
    Case("unknown-predicate", body=fact(predicate="is_ceo_of")),
    Case("object-and-value", body=fact(value="Acme")),
    Case("neither-object-nor-value", body={"facts": [{
        "subject": ACME["subject"], "predicate": "works_at"}]}),
    # injection in predicates, types, tenant ids
    *[Case(f"cypher-in-predicate-{i}", body=fact(predicate=s))
      for i, s in enumerate(["works_at`]->() DETACH DELETE n //", "works_at' OR '1'='1"])],
    Case("cypher-in-entity-type", body=fact(subject={"name": "Bob", "type": "person`:Admin"})),
    Case("sql-in-tenant-header", method="GET", headers={"X-Asof-Tenant": "x' OR 1=1 --"},
         status=(400, 403, 422)),
    Case("admin-cypher-tenant", method="GET", status=(400, 422), headers={
        "Authorization": f"Bearer {ADMIN_KEY}", "X-Asof-Tenant": "t}) MATCH (n) RETURN n //"}),
    Case("admin-traversal-tenant", method="GET", status=(400, 422), headers={
        "Authorization": f"Bearer {ADMIN_KEY}", "X-Asof-Tenant": "../../etc/passwd"}),
    # duplicate ids, traversal in path arguments
    Case("duplicate-ids-in-one-batch", path="/v1/episodes", body={"messages": [
        message()["messages"][0], message(text="I live in Lisbon.")["messages"][0]]}),
    Case("traversal-entity-id", method="GET", path="/v1/entities/..%2F..%2Fetc%2Fpasswd/timeline",
         status=(404,)),
    Case("traversal-fact-key", method="GET", path="/v1/facts/..%2F..%2F..%2Fetc/history",
         status=(404,)),
    Case("traversal-delete", method="DELETE", path="/v1/entities/..%2F..%2Fasof.db",
         status=(404,)),
    # auth, routes, parameters
    Case("wrong-key", method="GET", headers={"Authorization": "Bearer nope"}, status=(401,)),
    Case("unknown-route", method="GET", path="/v1/../../etc/passwd", status=(404,)),
    Case("wrong-method", method="PUT", path="/v1/facts", body=fact(), status=(405,)),
    Case("limit-zero", method="GET", params={"limit": "0"}),
    Case("search-too-long", method="GET", path="/v1/search", params={"q": "x" * 501}),
    Case("empty-question", path="/v1/ask", body={"question": ""}),
    # legitimate data that looks hostile: literal and harmless
    *[Case(f"injection-as-name-{i}", body=fact(subject={"name": s, "type": "person"}),
           status=(200,), harmless=True) for i, s in enumerate(INJECTIONS)],
    *[Case(f"injection-as-search-{i}", method="GET", path="/v1/search", params={"q": s},
           status=(200,), harmless=True)
      for i, s in enumerate([*INJECTIONS, "*:* OR tenant:*", 'NEAR("a" "b") AND ^ * -'])],
    Case("injection-as-question", path="/v1/ask", status=(200,), harmless=True,
         body={"question": "Where does x'}) MATCH (n) DETACH DELETE n // work?"}),
]


@dataclass
class Env:
    client: TestClient
    memory: Memory
    tenant: str
    neighbour: str


@pytest.fixture
def env(backend_url: str, fresh_tenant: str, nlp: Any) -> Iterator[Env]:
    tenant, neighbour = f"{fresh_tenant}-a", f"{fresh_tenant}-b"
    memory = Memory(open_for(backend_url, tenant), nlp=nlp)
    for t in (tenant, neighbour):
        memory.store(t).assert_facts([FactAssertion(
            subject=EntityRef(name="Priya Raman", type="person"), predicate="lives_in",
            object=EntityRef(name="Porto", type="location"))], source_id="seed")
    keys = json.dumps([{"name": "a", "sha256": hash_key(KEY), "tenant": tenant},
                       {"name": "b", "sha256": hash_key(NEIGHBOUR_KEY), "tenant": neighbour},
                       {"name": "ops", "sha256": hash_key(ADMIN_KEY), "role": "admin"}])
    app = create_app(Settings(store="sqlite:///unused.db", api_keys=keys), memory=memory)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Env(client, memory, tenant, neighbour)
    memory.close()


#: Cases where the backend matters (the rest is decided before the store is reached): run on
#: Neo4j by default; every case runs on Neo4j under ASOF_SOAK=1.
BACKEND_SENSITIVE = ("injection", "cypher", "sql", "tenant", "traversal", "duplicate", "far-")


def _case_params(cases: list[Any]) -> list[Any]:
    params = [pytest.param("sqlite", c, id=f"sqlite-{c.name}") for c in cases]
    params += [pytest.param("neo4j", c, id=f"neo4j-{c.name}", marks=pytest.mark.neo4j)
               for c in cases if SOAK or any(k in c.name for k in BACKEND_SENSITIVE)]
    return params


@pytest.mark.parametrize(("backend_url", "case"), _case_params(REST_CASES),
                         indirect=["backend_url"])
def test_rest_bad_input(env: Env, case: Case) -> None:
    before = {t: fingerprint(env.memory.store(t)) for t in (env.tenant, env.neighbour)}
    headers = {"Authorization": f"Bearer {KEY}", **(case.headers or {})}
    content = case.raw if case.raw is not None else (
        None if case.body is None else json.dumps(case.body).encode())
    if content is not None:
        headers.setdefault("Content-Type", "application/json")
    response = env.client.request(case.method, case.path, content=content,
                                  params=case.params, headers=headers)
    assert response.status_code in case.status, response.text[:500]
    after = {t: fingerprint(env.memory.store(t)) for t in (env.tenant, env.neighbour)}
    assert after[env.neighbour] == before[env.neighbour], "the neighbour tenant changed"
    if case.harmless:
        text = response.text
        assert env.neighbour not in text
        if case.body and "facts" in case.body:  # stored literally, nothing else touched
            name = case.body["facts"][0]["subject"]["name"]
            stored = env.memory.store(env.tenant).entity(name)
            assert stored is not None and stored.name == name
            assert after[env.tenant]["audit"][:len(before[env.tenant]["audit"])] == \
                before[env.tenant]["audit"]
            assert env.memory.store(env.tenant).verify().ok
        else:
            assert after[env.tenant] == before[env.tenant]
        return
    assert response.headers["content-type"].startswith("application/problem+json"), (
        response.headers["content-type"])
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"] and problem["detail"]
    assert "Traceback" not in problem["detail"]
    assert after[env.tenant] == before[env.tenant], "a rejected request changed the store"


# ------------------------------------------------------------------ the CLI

@dataclass(frozen=True)
class CliCase:
    name: str
    args: tuple[str, ...]
    #: file contents written to ``in.jsonl`` (bytes or text) and passed where "{file}" is
    file: bytes | str | None = None
    message: str = ""  #: a fragment the one-line error must contain
    harmless: bool = False


def _jsonl(*messages: dict[str, Any]) -> str:
    return "".join(json.dumps(m) + "\n" for m in messages)


GOOD = {"speaker": "Priya Raman", "at": "2024-03-01T09:00:00Z", "text": "I live in Lisbon."}

CLI_CASES = [
    CliCase("malformed-jsonl", ("ingest", "{file}"), '{"speaker": "Priya", "at": ',
            "in.jsonl"),
    CliCase("truncated-jsonl", ("ingest", "{file}"), _jsonl(GOOD)[:-20], "in.jsonl"),
    CliCase("binary-file", ("ingest", "{file}"), bytes(range(256)) * 8, "in.jsonl"),
    CliCase("empty-file", ("ingest", "{file}"), "", "in.jsonl"),
    CliCase("naive-timestamp-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "at": "2024-03-01T09:00:00"}), "in.jsonl"),
    CliCase("impossible-date-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "at": "2024-02-30T09:00:00Z"}), "in.jsonl"),
    CliCase("far-future-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "at": "9999-12-31T23:59:59-12:00"}), "in.jsonl"),
    CliCase("epoch-out-of-range-in-file", ("ingest", "{file}"),
            '{"speaker": "Priya Raman", "at": 1e20, "text": "I live in Lisbon."}\n', "in.jsonl"),
    CliCase("nan-timestamp-in-file", ("ingest", "{file}"),
            '{"speaker": "Priya Raman", "at": NaN, "text": "I live in Lisbon."}\n', "in.jsonl"),
    CliCase("empty-text-in-file", ("ingest", "{file}"), _jsonl({**GOOD, "text": ""}),
            "in.jsonl"),
    CliCase("huge-text-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "text": "word " * 30_000}), "in.jsonl"),
    CliCase("nul-in-text-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "text": "I live\x00 in Lisbon."}), "in.jsonl"),
    CliCase("wrong-type-in-file", ("ingest", "{file}"), _jsonl({**GOOD, "text": 5}),
            "in.jsonl"),
    CliCase("duplicate-ids-in-file", ("ingest", "{file}"),
            _jsonl({**GOOD, "id": "1"}, {**GOOD, "id": "1", "text": "I live in Porto."}),
            "in.jsonl"),
    CliCase("unknown-zone", ("ingest", "{file}", "--assume-tz", "Mars/Olympus_Mons"),
            _jsonl(GOOD), "Mars/Olympus_Mons"),
    CliCase("traversal-ingest-passwd", ("ingest", "/etc/../etc/passwd"), None, "passwd"),
    CliCase("directory-as-file", ("ingest", "/tmp"), None, "directory"),
    CliCase("traversal-checkpoint", ("audit", "verify", "--checkpoint", "../../../etc/hostname"),
            None, "checkpoint"),
    CliCase("snapshot-into-missing-dir", ("snapshot", "--output",
                                          "/nonexistent/../nonexistent/x.json"), None, ""),
    CliCase("sql-in-tenant", ("facts", "--tenant", "acme'; DROP TABLE facts;--"), None,
            "tenant"),
    CliCase("traversal-tenant", ("facts", "--tenant", "../../etc"), None, "tenant"),
    CliCase("cypher-in-predicate", ("facts", "--predicate", "works_at]->() DETACH DELETE n"),
            None, "unknown predicate"),
    CliCase("impossible-valid-at", ("facts", "--valid-at", "2024-13-01T00:00:00Z"), None,
            "ISO 8601"),
    CliCase("far-past-valid-at", ("facts", "--valid-at", "0001-01-01T00:00:00+01:00"), None,
            ""),
    CliCase("injection-as-search", ("search", "x'}) MATCH (n) DETACH DELETE n //"),
            harmless=True),
    CliCase("injection-as-entity", ("timeline", "Robert'); DROP TABLE episodes;--"), None,
            "no entity named"),
]


def _cli_args(case: CliCase, path: Path, url: str, tenant: str) -> list[str]:
    args = [a.replace("{file}", str(path)) for a in case.args]
    if "--tenant" not in args:
        args += ["--tenant", tenant]
    return [*args, "--store", url]


@pytest.mark.parametrize(("backend_url", "case"), _case_params(CLI_CASES),
                         indirect=["backend_url"])
def test_cli_bad_input(case: CliCase, backend_url: str, fresh_tenant: str, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch, inspect: Any) -> None:
    monkeypatch.delenv("ASOF_STORE", raising=False)
    store = inspect(backend_url, fresh_tenant)
    store.assert_facts([FactAssertion(subject=EntityRef(name="Priya Raman", type="person"),
                                      predicate="lives_in",
                                      object=EntityRef(name="Porto", type="location"))],
                       source_id="seed")
    path = tmp_path / "in.jsonl"
    if case.file is not None:
        if isinstance(case.file, bytes):
            path.write_bytes(case.file)
        else:
            path.write_text(case.file, encoding="utf-8")
    before = fingerprint(store)
    result = CliRunner().invoke(cli, _cli_args(case, path, backend_url, fresh_tenant))
    after = fingerprint(store)
    assert after == before, "the store changed"
    if case.harmless:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and "Traceback" not in result.output
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert case.message in errors[0], errors[0]


def test_catalogue_is_large_enough() -> None:
    FIGURES.add("bad-input", rest_cases=len(REST_CASES), cli_cases=len(CLI_CASES))
    assert len(REST_CASES) + len(CLI_CASES) >= 40
