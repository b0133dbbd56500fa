"""The CLI holds a signed store to its signing mode (issue #16 item 4), on SQLite and Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli

pytestmark = pytest.mark.e2e

MESSAGES = [
    {"id": "1", "speaker": "Ines Duarte", "role": "user", "at": "2024-02-01T10:00:00+01:00",
     "text": "I work at Fernhill Robotics and I live in Porto."},
    {"id": "2", "speaker": "Ines Duarte", "role": "user", "at": "2024-06-10T09:00:00+02:00",
     "text": "I moved to Lisbon last month."},
]


def asof(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_a_signed_store_refuses_keyless_writes_and_verify_says_unchecked(
        store_url: str, fresh_tenant: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    where = ["--store", store_url, "--tenant", fresh_tenant]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(MESSAGES[0]) + "\n", encoding="utf-8")
    second.write_text(json.dumps(MESSAGES[1]) + "\n", encoding="utf-8")
    monkeypatch.setenv("ASOF_AUDIT_KEY", "a-long-enough-audit-key-for-tests")
    code, out = asof("ingest", str(first), *where)
    assert code == 0, out
    monkeypatch.delenv("ASOF_AUDIT_KEY")
    code, out = asof("ingest", str(second), *where)
    assert code == 2 and "ASOF_AUDIT_KEY" in out and "Nothing was written" in out, out
    code, out = asof("audit", "verify", *where)
    assert code == 0 and out.startswith("hashes intact, signatures NOT checked"), out
    assert "signed from seq 1" in out
    code, out = asof("audit", "verify", "--json", *where)
    report = json.loads(out)
    assert report["ok"] and not report["signatures_checked"] and report["signed_from"] == 1
    monkeypatch.setenv("ASOF_AUDIT_KEY", "a-long-enough-audit-key-for-tests")
    code, out = asof("audit", "verify", *where)
    assert code == 0 and out.startswith("ok:"), out


def test_audit_checkpoint_signs_records_and_verifies(store_url: str, fresh_tenant: str,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    where = ["--store", store_url, "--tenant", fresh_tenant]
    talk = tmp_path / "a.jsonl"
    talk.write_text("".join(json.dumps(m) + "\n" for m in MESSAGES), encoding="utf-8")
    monkeypatch.delenv("ASOF_AUDIT_KEY", raising=False)
    assert asof("ingest", str(talk), *where)[0] == 0
    head = tmp_path / "head.json"
    code, out = asof("audit", "checkpoint", "--output", str(head), *where)
    assert code == 2 and "ASOF_AUDIT_KEY" in out and not head.exists(), out
    monkeypatch.setenv("ASOF_AUDIT_KEY", "a-long-enough-audit-key-for-tests")
    code, out = asof("audit", "checkpoint", "--output", str(head), *where)
    assert code == 0 and "wrote signed checkpoint" in out, out
    saved = json.loads(head.read_text())
    assert saved["signature"] and saved["key_id"].startswith("k_")
    code, out = asof("audit", "verify", "--checkpoint", str(head), *where)
    assert code == 0 and out.startswith("ok:"), out
    saved["seq"] -= 1  # an edited checkpoint
    head.write_text(json.dumps(saved), encoding="utf-8")
    code, out = asof("audit", "verify", "--checkpoint", str(head), *where)
    assert code == 1 and "edited or forged" in out, out


def test_audit_rotate_key_hands_the_chain_to_a_new_key(store_url: str, fresh_tenant: str,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    where = ["--store", store_url, "--tenant", fresh_tenant]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(MESSAGES[0]) + "\n", encoding="utf-8")
    second.write_text(json.dumps(MESSAGES[1]) + "\n", encoding="utf-8")
    old, new = "the-old-audit-key-for-tests", "the-new-audit-key-for-tests"
    monkeypatch.setenv("ASOF_AUDIT_KEY", old)
    assert asof("ingest", str(first), *where)[0] == 0
    monkeypatch.delenv("ASOF_AUDIT_NEW_KEY", raising=False)
    code, out = asof("audit", "rotate-key", *where)
    assert code == 2 and "ASOF_AUDIT_NEW_KEY" in out, out
    monkeypatch.setenv("ASOF_AUDIT_NEW_KEY", new)
    code, out = asof("audit", "rotate-key", "--actor", "security", "--json", *where)
    assert code == 0, out
    rotated = json.loads(out)
    code, out = asof("ingest", str(second), *where)  # the old key writes no more
    assert code == 2 and rotated["key_id"] in out and "Nothing was written" in out, out
    monkeypatch.setenv("ASOF_AUDIT_KEY", new)
    assert asof("ingest", str(second), *where)[0] == 0
    code, out = asof("audit", "verify", *where)  # the old events need the old key
    assert code == 1 and "ASOF_AUDIT_KEYS" in out, out
    monkeypatch.setenv("ASOF_AUDIT_KEYS", f"some-other-key,{old}")
    code, out = asof("audit", "verify", *where)
    assert code == 0 and out.startswith("ok:"), out
    code, out = asof("audit", "show", "--action", "key_rotated", "--json", *where)
    shown = json.loads(out)["items"]
    assert [(e["seq"], e["actor"], e["key_id"]) for e in shown] == [
        (rotated["seq"], "security", rotated["key_id"])]
