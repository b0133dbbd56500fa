"""The web UI's HTTP contract through the real app on a real SQLite file: the session cookie,
admin keys, revocation, redirects, errors as pages, security headers, the read-access log and
the downloads. (What a person sees and clicks: tests/e2e/test_ui_browser.py.)"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.demo import load_demo
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.api.ui.downloads import CSV_COLUMNS
from asof.api.ui.downloads import _cell as cell
from asof.graph.clock import FakeClock

pytestmark = pytest.mark.e2e

KEY, ADMIN, OTHER = "ui-tenant-key", "ui-admin-key", "ui-other-key"


def _entries(revoked: bool = False) -> list[dict[str, object]]:
    return [{"name": "auditor", "sha256": hash_key(KEY), "tenant": "demo", "revoked": revoked},
            {"name": "ops", "sha256": hash_key(ADMIN), "role": "admin"},
            {"name": "other", "sha256": hash_key(OTHER), "tenant": "other"}]


@pytest.fixture(scope="module")
def demo_memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    mem = Memory.open(f"sqlite:///{tmp_path_factory.mktemp('ui') / 'ui.db'}",
                      clock=FakeClock(datetime(2024, 1, 1, tzinfo=UTC)))
    load_demo(mem, "demo")
    yield mem
    mem.close()


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(_entries()))
    return path


@pytest.fixture
def client(demo_memory: Memory, keys_file: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store="sqlite:///:memory:", api_keys_file=keys_file,
                        read_log=tmp_path / "reads.jsonl")
    with TestClient(create_app(settings, memory=demo_memory)) as test_client:
        yield test_client


def log_in(client: TestClient, key: str, tenant: str = "", next_url: str = "") -> str:
    response = client.post("/ui/login", data={"key": key, "tenant": tenant, "next": next_url},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_session_cookie_is_http_only_strict_and_scoped_to_the_ui(
        client: TestClient) -> None:
    response = client.post("/ui/login", data={"key": KEY}, follow_redirects=False)
    (cookie,) = [c for c in response.headers.get_list("set-cookie")
                 if c.startswith("asof_ui_key=")]
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui"} <= attributes
    assert not any(a.startswith(("expires", "max-age")) for a in attributes)  # a session cookie
    assert "secure" not in attributes  # plain HTTP here; over HTTPS the cookie is Secure
    assert KEY not in response.headers["location"]


def test_pages_need_a_session_and_come_back_after_login(client: TestClient) -> None:
    response = client.get("/ui/entities/Maya Okafor/timeline", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/login?next=%2Fui%2Fentities%2FMaya")
    assert log_in(client, KEY, next_url="/ui/entities/Maya Okafor/timeline") \
        == "/ui/entities/Maya%20Okafor/timeline"
    for elsewhere in ("https://example.org/", "//example.org/ui", "/v1/facts", "/ui\\..\\x"):
        assert log_in(client, KEY, next_url=elsewhere) == "/ui/entities"


def test_a_refused_login_says_why_and_sets_nothing(client: TestClient) -> None:
    for key, tenant, reason in ((("nope", "", "unknown API key")),
                                (ADMIN, "", "admin keys must name the tenant"),
                                (KEY, "other", "not allowed to look at another tenant")):
        response = client.post("/ui/login", data={"key": key, "tenant": tenant})
        assert response.status_code == 401
        assert reason in response.text and "set-cookie" not in response.headers
    assert client.get("/ui/entities", follow_redirects=False).status_code == 303


def test_an_admin_key_looks_at_the_tenant_it_names(client: TestClient) -> None:
    log_in(client, ADMIN, tenant="demo")
    page = client.get("/ui/entities?q=maya")
    assert "Maya Okafor" in page.text and "tenant <strong>demo</strong>" in page.text
    log_in(client, ADMIN, tenant="other")
    assert client.get("/ui/entities/Maya Okafor").status_code == 404


def test_a_revoked_key_is_logged_out_at_its_next_click(client: TestClient,
                                                       keys_file: Path) -> None:
    log_in(client, KEY)
    assert client.get("/ui/entities").status_code == 200
    keys_file.write_text(json.dumps(_entries(revoked=True)))
    response = client.get("/ui/entities", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("&ended=1")
    assert "your session ended" in client.get(response.headers["location"]).text
    # the login page shows no words a link brings along
    assert "call us" not in client.get("/ui/login?error=call+us&ended=0").text


def test_logout_clears_the_cookie(client: TestClient) -> None:
    log_in(client, KEY)
    response = client.post("/ui/logout", follow_redirects=False)
    assert response.status_code == 303
    assert any(c.startswith('asof_ui_key=""') and "Max-Age=0" in c
               for c in response.headers.get_list("set-cookie"))


def test_pages_carry_a_strict_content_security_policy_and_are_not_in_openapi(
        client: TestClient) -> None:
    log_in(client, KEY)
    for url in ("/ui/login", "/ui/entities", "/ui/entities/Maya Okafor/timeline", "/ui/audit"):
        policy = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert not any(path.startswith("/ui") for path in client.get("/openapi.json").json()["paths"])
    script = client.get("/ui/static/ui.js")
    assert script.status_code == 200 and "replay" in script.text


def test_bad_input_is_an_error_page_that_says_how_to_fix_it(client: TestClient) -> None:
    log_in(client, KEY)
    for url, status, says in (
            ("/ui/entities/Maya Okafor?valid_at=2024-03-01T00:00:00", 400, "no timezone offset"),
            ("/ui/audit?since=yesterday", 400, "since"),
            ("/ui/audit?action=deleted", 400, "action: one of"),
            ("/ui/audit?limit=0", 400, "limit"),
            ("/ui/audit/verify?checkpoint_seq=1&checkpoint_hash=abc", 400, "64 hex"),
            ("/ui/diff?t1=2024-01-01T00:00:00Z", 400, "both instants"),
            ("/ui/diff?t1=2024-01-01T00:00:00Z&t2=2024-02-01T00:00:00Z&entity=Nobody", 404,
             "Nobody"),
            ("/ui/facts/fk_000000000000000000000000", 404, "no fact")):
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-type"].startswith("text/html")
        assert says in response.text, url


def test_ui_reads_are_in_the_read_access_log(client: TestClient, tmp_path: Path) -> None:
    log_in(client, KEY)
    maya = client.get("/ui/entities/Maya Okafor")
    client.get("/ui/entities/Nobody")
    lines = [json.loads(line) for line in (tmp_path / "reads.jsonl").read_text().splitlines()]
    routes = [(line["route"], line["actor"], line["entity_id"]) for line in lines]
    found = re.search(r"ent_[0-9a-f]+", maya.text)
    assert found is not None
    entity_id = found.group(0)
    assert ("GET /ui/entities/{entity}", "auditor", entity_id) in routes
    assert ("GET /ui/entities/{entity}", "auditor", None) in routes  # refused reads too
    assert "Maya" not in (tmp_path / "reads.jsonl").read_text()  # ids, never names


def test_the_csv_history_matches_the_json_and_defuses_formulas(client: TestClient) -> None:
    log_in(client, KEY)
    as_json = client.get("/ui/entities/Maya Okafor/history.json")
    assert as_json.headers["content-disposition"].startswith("attachment;")
    versions = as_json.json()["versions"]
    as_csv = client.get("/ui/entities/Maya Okafor/history.csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["version_id"] for r in rows] == [v["version_id"] for v in versions]
    # a spreadsheet would run a cell that starts like a formula: such text gets an apostrophe
    assert [cell(v) for v in ("=HYPERLINK(1)", "+1", "-1", "@x", "Leeds", None)] == [
        "'=HYPERLINK(1)", "'+1", "'-1", "'@x", "Leeds", ""]
    graphml = client.get("/ui/snapshot.graphml?valid_at=2024-03-01T00:00:00Z")
    assert "Northbeam Analytics" in graphml.text and "Brightline Health" not in graphml.text


def test_the_other_tenant_sees_nothing_of_the_demo(
        client: TestClient) -> None:
    log_in(client, OTHER)
    assert "No entities yet" in client.get("/ui/entities").text
    assert "No audit events match" in client.get("/ui/audit").text
    assert client.get("/ui/entities/Maya Okafor/history.csv").status_code == 404


def test_asof_demo_serve_prints_the_url_and_a_key_that_opens_the_demo(tmp_path: Path) -> None:
    """`asof demo --serve` (what `make ui-demo` runs), through the installed console script."""
    with socket.socket() as probe:  # a free loopback port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = Path(sys.executable).with_name("asof")
    server = subprocess.Popen([str(exe), "demo", "--serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "ASOF_READ_LOG": ""})
    try:
        assert server.stdout is not None
        lines = []
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Log in with the key"):
                break
        printed = "".join(lines)
        url = re.search(r"The web UI: (http://\S+)", printed)
        key = re.search(r"the key (asof_\S+)", printed)
        assert url and key, printed
        assert url.group(1).startswith(f"http://127.0.0.1:{port}/ui")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}",
                          follow_redirects=True) as browser:
            for _ in range(100):  # uvicorn binds just after the line is printed
                try:
                    login = browser.post("/ui/login", data={"key": key.group(1)})
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert login.status_code == 200 and "Maya Okafor" in login.text
            assert "Maya Okafor" in browser.get(url.group(1)).text
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
