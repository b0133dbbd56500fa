"""Auditor exports (issue #16): 'asof audit export DIR --format csv|jsonl' writes the full
history (events, fact versions on both time axes, their sources) with a manifest holding each
file's SHA-256, signed with the audit key and its key id; 'asof audit verify-export' catches an
edited file and an edited or foreign-key manifest. On a real SQLite file and on Neo4j."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli
from asof.graph.audit import key_id

pytestmark = pytest.mark.e2e

KEY = "an-audit-key-for-export-tests"
MESSAGES = [
    {"id": "1", "speaker": "Ines Duarte", "role": "user", "at": "2024-02-01T10:00:00+01:00",
     "text": "I work at Fernhill Robotics and I live in Porto."},
    {"id": "2", "speaker": "Ines Duarte", "role": "user", "at": "2024-06-10T09:00:00+02:00",
     "text": "I moved to Lisbon last month."},
]


def asof(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_holds_the_full_history_and_its_signed_manifest_catches_edits(
        store_url: str, fresh_tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fmt: str) -> None:
    where = ["--store", store_url, "--tenant", fresh_tenant]
    talk = tmp_path / "talk.jsonl"
    talk.write_text("".join(json.dumps(m) + "\n" for m in MESSAGES), encoding="utf-8")
    monkeypatch.setenv("ASOF_AUDIT_KEY", KEY)
    assert asof("ingest", str(talk), "--replay", *where)[0] == 0
    out_dir = tmp_path / "export"
    code, out = asof("audit", "export", str(out_dir), "--format", fmt, "--json", *where)
    assert code == 0, out
    manifest = json.loads(out)
    assert manifest["key_id"] == key_id(KEY.encode()) and manifest["signature"]
    assert sorted(manifest["files"]) == sorted(f"{t}.{fmt}" for t in
                                              ("events", "versions", "sources"))

    def rows(table: str) -> list[dict[str, str]]:
        text = (out_dir / f"{table}.{fmt}").read_text(encoding="utf-8")
        if fmt == "csv":
            return list(csv.DictReader(text.splitlines()))
        return [json.loads(line) for line in text.splitlines()]

    events, versions, sources = rows("events"), rows("versions"), rows("sources")
    code, out = asof("audit", "show", "--json", *where)
    assert len(events) == len(json.loads(out)["items"]) == manifest["files"][
        f"events.{fmt}"]["rows"]
    assert str(events[-1]["hash"]) == manifest["head"]["hash"]
    # both time axes: the Porto version closed when Lisbon came is there, with its end
    lives = [v for v in versions if v["predicate"] == "lives_in"]
    assert {v["object_name"] for v in lives} >= {"Porto", "Lisbon"}
    assert any(v["superseded_at"] for v in lives) and all(v["recorded_at"] for v in lives)
    assert {s["episode_id"] for s in sources} == {f"talk:{m['id']}" for m in MESSAGES}
    assert {s["speaker"] for s in sources} == {"Ines Duarte"}
    code, out = asof("audit", "verify-export", str(out_dir))
    assert code == 0 and out.startswith("ok:") and "signature holds" in out, out
    # an exported folder is never overwritten
    assert asof("audit", "export", str(out_dir), *where)[0] == 2
    # an edited file
    versions_file = out_dir / f"versions.{fmt}"
    original = versions_file.read_bytes()
    versions_file.write_bytes(original.replace(b"Porto", b"Paris"))
    code, out = asof("audit", "verify-export", str(out_dir))
    assert code == 1 and f"versions.{fmt}" in out and "edited" in out, out
    versions_file.write_bytes(original)
    # a manifest edited to match an edited file fails its signature
    saved = json.loads((out_dir / "manifest.json").read_text())
    saved["files"][f"events.{fmt}"]["rows"] -= 1
    (out_dir / "manifest.json").write_text(json.dumps(saved))
    code, out = asof("audit", "verify-export", str(out_dir))
    assert code == 1 and "edited or forged" in out, out
    # without the key: the files are checked, the signature is not, and it says so
    monkeypatch.delenv("ASOF_AUDIT_KEY")
    code, out = asof("audit", "verify-export", str(out_dir))
    assert code == 0 and "signature NOT checked" in out, out
    monkeypatch.setenv("ASOF_AUDIT_KEY", "another-key-altogether")
    code, out = asof("audit", "verify-export", str(out_dir))
    assert code == 1 and manifest["key_id"] in out, out
