"""Tamper evidence end to end: edit the database behind asof's back — a fact version changed
with raw Cypher (or SQL), an audit event deleted, two events reordered — and
``asof audit verify`` must report the exact seq and exit non-zero. Untampered neighbours
(other tenants on the same database) still verify.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reliability.rel_support import ASOF, FIGURES, conversations, open_for, store_env, write_jsonl

from asof.api.cli import cli
from asof.api.memory import Memory
from asof.graph.audit import split_target
from asof.graph.store import GraphStore

pytestmark = pytest.mark.e2e

KINDS = ["edit_fact", "close_fact", "delete_event", "reorder_events"]


class Raw:
    """Raw statements against the backend a URL names, confined to one tenant."""

    def __init__(self, url: str, tenant: str) -> None:
        self.url, self.tenant = url, tenant

    def run(self, cypher: str, sql: list[str], **params: Any) -> None:
        if self.url.startswith("sqlite:///"):
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in sql:
                    conn.execute(statement, {"tenant": self.tenant, **params})
                conn.execute("COMMIT")
            finally:
                conn.close()
            return
        import os

        from neo4j import GraphDatabase

        with GraphDatabase.driver(self.url, auth=(os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                                                  os.environ["ASOF_NEO4J_PASSWORD"])) as driver:
            records, _, _ = driver.execute_query(cypher, {"tenant": self.tenant, **params})
            assert records and records[0]["n"] >= 1, f"tampering touched nothing: {cypher}"


def tamper(kind: str, url: str, store: GraphStore) -> int:
    """Do one kind of tampering; return the seq verify must report."""
    raw = Raw(url, store.tenant)
    events = store.audit_events(1)
    written = [(e.seq, split_target(t)[1]) for e in events if e.action.value != "erased"
               for t in e.targets if t.startswith("version:")]
    if kind in ("edit_fact", "close_fact"):
        seq, version_id = written[len(written) // 2]
        if kind == "edit_fact":  # the belief says something else now
            raw.run("MATCH (f:Fact {tenant: $tenant, version_id: $id}) "
                    "SET f.confidence = 0.01 RETURN count(f) AS n",
                    ["UPDATE versions SET confidence = 0.01 "
                     "WHERE tenant = :tenant AND version_id = :id"], id=version_id)
            return seq
        # closed in transaction time although no audit event closed it
        open_ones = [(s, v) for s, v in written
                     if store.get_versions([v])[0].superseded_at is None]
        seq, version_id = open_ones[len(open_ones) // 2]
        raw.run("MATCH (f:Fact {tenant: $tenant, version_id: $id}) "
                "SET f.superseded_at = f.recorded_at + 1 RETURN count(f) AS n",
                ["UPDATE versions SET superseded_at = recorded_at + 1 "
                 "WHERE tenant = :tenant AND version_id = :id"], id=version_id)
        return seq
    k = len(events) // 2
    if kind == "delete_event":
        raw.run("MATCH (e:AuditEvent {tenant: $tenant, seq: $k}) DETACH DELETE e "
                "RETURN count(*) AS n",
                ["DELETE FROM audit_events WHERE tenant = :tenant AND seq = :k"], k=k)
        return k
    assert kind == "reorder_events"
    raw.run("MATCH (a:AuditEvent {tenant: $tenant, seq: $k}), "
            "(b:AuditEvent {tenant: $tenant, seq: $k + 1}) "
            "SET a.seq = -1 WITH a, b SET b.seq = $k WITH a, b SET a.seq = $k + 1 "
            "RETURN count(*) AS n",
            ["UPDATE audit_events SET seq = -1 WHERE tenant = :tenant AND seq = :k",
             "UPDATE audit_events SET seq = :k WHERE tenant = :tenant AND seq = :k + 1",
             "UPDATE audit_events SET seq = :k + 1 WHERE tenant = :tenant AND seq = -1"], k=k)
    return k


@pytest.mark.parametrize("kind", KINDS)
def test_audit_verify_reports_the_exact_seq(kind: str, backend_url: str, fresh_tenant: str,
                                            nlp: Any, inspect: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASOF_STORE", raising=False)
    neighbour = f"{fresh_tenant}-n"
    store = inspect(backend_url, fresh_tenant)
    mem = Memory(store, nlp=nlp)
    messages = conversations(100 + KINDS.index(kind), 1, 12)
    for tenant in (fresh_tenant, neighbour):
        mem.ingest(messages, tenant=tenant, conversation_id="talk")
    ok = CliRunner().invoke(cli, ["audit", "verify", "--json", "--store", backend_url,
                                  "--tenant", fresh_tenant])
    assert ok.exit_code == 0 and json.loads(ok.output)["ok"], ok.output

    expected = tamper(kind, backend_url, store)
    result = CliRunner().invoke(cli, ["audit", "verify", "--json", "--store", backend_url,
                                      "--tenant", fresh_tenant])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False and report["first_bad_seq"] == expected, report
    human = CliRunner().invoke(cli, ["audit", "verify", "--store", backend_url,
                                     "--tenant", fresh_tenant])
    assert human.exit_code == 1 and f"TAMPERED at seq {expected}:" in human.output
    clean = CliRunner().invoke(cli, ["audit", "verify", "--json", "--store", backend_url,
                                     "--tenant", neighbour])
    assert clean.exit_code == 0 and json.loads(clean.output)["ok"], clean.output
    FIGURES.add("tamper", backend="sqlite" if backend_url.startswith("sqlite") else "neo4j",
                kind=kind, detected_seq=expected,
                reason=report["reason"][:90])


def test_console_script_exit_status_on_tampering(tmp_path: Path, fresh_tenant: str) -> None:
    """The installed ``asof`` itself (not the click runner): exit 0, then 1 after tampering."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    data = write_jsonl(tmp_path / "talk.jsonl", conversations(5, 1, 8))
    env = store_env()
    subprocess.run([str(ASOF), "ingest", str(data), "--store", url, "--tenant", fresh_tenant],
                   env=env, check=True, capture_output=True, timeout=300)
    verify = [str(ASOF), "audit", "verify", "--store", url, "--tenant", fresh_tenant]
    assert subprocess.run(verify, env=env, capture_output=True, timeout=120).returncode == 0
    store = open_for(url, fresh_tenant)
    try:
        expected = tamper("delete_event", url, store)
    finally:
        store.close()
    done = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout.startswith(f"TAMPERED at seq {expected}:"), done.stdout
