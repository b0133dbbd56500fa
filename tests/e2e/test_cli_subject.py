"""`asof export-subject NAME` end to end, on SQLite and Neo4j."""

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
    {"id": "2", "speaker": "Tom Reyes", "role": "user", "at": "2024-02-02T10:00:00+01:00",
     "text": "I work at Umbrella Corp."},
]


def asof(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_export_subject_prints_what_is_stored_about_a_person(store_url: str, fresh_tenant: str,
                                                             tmp_path: Path) -> None:
    where = ["--store", store_url, "--tenant", fresh_tenant]
    talk = tmp_path / "talk.jsonl"
    talk.write_text("".join(json.dumps(m) + "\n" for m in MESSAGES), encoding="utf-8")
    assert asof("ingest", str(talk), *where)[0] == 0
    code, out = asof("export-subject", "Ines Duarte", *where)
    assert code == 0, out
    export = json.loads(out)
    assert export["subject"]["name"] == "Ines Duarte"
    assert any(v["object_name"] == "Fernhill Robotics" for v in export["versions"])
    assert [e["text"] for e in export["episodes"]] == [MESSAGES[0]["text"]]
    assert "Umbrella" not in out and export["events"]
    saved = tmp_path / "ines.json"
    code, out = asof("export-subject", "Ines Duarte", "--output", str(saved), *where)
    assert code == 0 and "audit events about 'Ines Duarte'" in out
    assert json.loads(saved.read_text())["subject"] == export["subject"]
    code, out = asof("export-subject", "Nobody Here", *where)
    assert code == 1 and "Nobody Here" in out
