"""The read-access log (ASOF_READ_LOG): off by default; when on, every REST read appends who
(the key's name) read which entity (its id, never its name) through which route, as a hash
chain that `asof audit verify-reads` checks. On a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.settings import Settings

pytestmark = pytest.mark.e2e

TENANT = "reads"
FACT = {"subject": {"name": "Priya Raman", "type": "person"}, "predicate": "works_at",
        "object": {"name": "Acme Corp", "type": "organization"},
        "valid_from": "2024-03-05T00:00:00Z"}


def _settings(tmp_path: Path, read_log: Path | None) -> Settings:
    keys = json.dumps([{"name": "support-bot", "sha256": hash_key("k"), "tenant": TENANT}])
    return Settings(store=f"sqlite:///{tmp_path / 'r.db'}", api_keys=keys, read_log=read_log)


def _reads(client: TestClient) -> str:
    """Writes one fact, then reads it every way; the entity's id."""
    client.headers["Authorization"] = "Bearer k"
    assert client.post("/v1/facts", json={"facts": [FACT]}).status_code == 200
    item = client.get("/v1/facts", params={"subject": "Priya Raman"}).json()["items"][0]
    client.get(f"/v1/facts/{item['fact_key']}/history")
    client.get("/v1/entities/Priya Raman/timeline")
    client.post("/v1/context", json={"subject": "Priya Raman"})
    client.post("/v1/ask", json={"question": "Where does Priya Raman work?"})
    client.get("/v1/search", params={"q": "Acme"})
    client.get("/v1/audit", params={"entity": "Priya Raman"})
    client.get("/v1/entities/Nobody/timeline")  # refused reads are recorded too
    entity_id: str = item["subject_id"]
    return entity_id


def test_reads_are_logged_by_key_and_entity_id_as_a_chain(tmp_path: Path) -> None:
    log = tmp_path / "reads.jsonl"
    with TestClient(create_app(_settings(tmp_path, log))) as client:
        entity_id = _reads(client)
    text = log.read_text(encoding="utf-8")
    assert "Priya" not in text and "Acme" not in text, "only ids, never names or queries"
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["seq"] for r in records] == list(range(1, 9))
    assert {r["actor"] for r in records} == {"support-bot"}
    assert {r["tenant"] for r in records} == {TENANT}
    assert [(r["route"], r["entity_id"]) for r in records] == [
        ("GET /v1/facts", entity_id),
        ("GET /v1/facts/{fact_key}/history", entity_id),
        ("GET /v1/entities/{entity}/timeline", entity_id),
        ("POST /v1/context", entity_id),
        ("POST /v1/ask", entity_id),
        ("GET /v1/search", None),
        ("GET /v1/audit", entity_id),
        ("GET /v1/entities/{entity}/timeline", None)]

    verified = CliRunner().invoke(cli, ["audit", "verify-reads", str(log), "--json"])
    assert verified.exit_code == 0 and json.loads(verified.output)["records"] == 8

    lines = text.splitlines()
    lines[3] = lines[3].replace("support-bot", "someone-else")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tampered = CliRunner().invoke(cli, ["audit", "verify-reads", str(log)])
    assert tampered.exit_code == 1 and "TAMPERED at seq 4" in tampered.output
    log.write_text("\n".join(lines[:3] + lines[4:]) + "\n", encoding="utf-8")
    deleted = CliRunner().invoke(cli, ["audit", "verify-reads", str(log)])
    assert deleted.exit_code == 1 and "TAMPERED at seq 5" in deleted.output


def test_cli_reads_join_the_same_chain(tmp_path: Path) -> None:
    log = tmp_path / "reads.jsonl"
    settings = _settings(tmp_path, log)
    with TestClient(create_app(settings)) as client:
        entity_id = _reads(client)
        key = client.get("/v1/facts", params={"subject": entity_id}).json()["items"][0][
            "fact_key"]
    env = {"ASOF_READ_LOG": str(log), "ASOF_ACTOR": "auditor-1"}
    for args in (["facts", "Priya Raman"], ["history", key], ["timeline", "Priya Raman"],
                 ["search", "Acme"], ["audit", "show", "--entity", "Priya Raman"]):
        result = CliRunner().invoke(cli, [*args, "--store", settings.store, "--tenant",
                                          TENANT], env=env)
        assert result.exit_code == 0, result.output
    cli_records = [json.loads(line) for line in log.read_text().splitlines()][-5:]
    assert [(r["actor"], r["route"], r["entity_id"]) for r in cli_records] == [
        ("auditor-1", "cli facts", entity_id), ("auditor-1", "cli history", entity_id),
        ("auditor-1", "cli timeline", entity_id), ("auditor-1", "cli search", None),
        ("auditor-1", "cli audit show", entity_id)]
    verified = CliRunner().invoke(cli, ["audit", "verify-reads", str(log)])
    assert verified.exit_code == 0 and "ok: 14 reads verified" in verified.output


def test_the_read_log_is_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with TestClient(create_app(_settings(tmp_path, None))) as client:
        _reads(client)
    assert sorted(p.name for p in tmp_path.iterdir() if "jsonl" in p.name) == []
    missing = CliRunner().invoke(cli, ["audit", "verify-reads"], env={"ASOF_READ_LOG": ""})
    assert missing.exit_code == 2 and "ASOF_READ_LOG" in missing.output
