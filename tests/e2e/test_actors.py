"""Every write names who made it (DESIGN.md §7): over REST the API key's name, from the CLI the
user given with --actor or ASOF_ACTOR (default: the login name). Erasures included. On a real
SQLite file."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings

pytestmark = pytest.mark.e2e

TENANT = "actors"
FACT = {"subject": {"name": "Priya", "type": "person"}, "predicate": "works_at",
        "object": {"name": "Acme Corp", "type": "organization"},
        "valid_from": "2024-03-05T00:00:00Z"}
MESSAGE = {"id": "m1", "speaker": "Priya", "at": "2024-03-05T09:00:00Z",
           "text": "I just started at Initech."}


def _actors(url: str) -> list[tuple[str, str]]:
    with Memory.open(url) as mem:
        return [(e.action.value, e.actor) for e in mem.audit(tenant=TENANT)]


def test_rest_writes_and_erasures_are_attributed_to_the_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rest.db'}"
    keys = json.dumps([
        {"name": "support-bot", "sha256": hash_key("k-bot"), "tenant": TENANT},
        {"name": "dpo-office", "sha256": hash_key("k-admin"), "role": "admin"}])
    with TestClient(create_app(Settings(store=url, api_keys=keys))) as client:
        bot = {"Authorization": "Bearer k-bot"}
        admin = {"X-API-Key": "k-admin", "X-Asof-Tenant": TENANT}
        assert client.post("/v1/facts", json={"facts": [FACT]}, headers=bot).status_code == 200
        assert client.post("/v1/episodes", json={"messages": [MESSAGE]},
                           headers=bot).status_code == 200
        entity = client.get("/v1/facts", params={"subject": "Priya"},
                            headers=bot).json()["items"][0]["subject_id"]
        assert client.delete(f"/v1/entities/{entity}", headers=admin).status_code == 200
    events = _actors(url)
    assert {actor for action, actor in events if action != "erased"} == {"support-bot"}
    assert [actor for action, actor in events if action == "erased"] == ["dpo-office"]


def _cli(url: str, *args: str, env: dict[str, str] | None = None) -> None:
    result = CliRunner().invoke(cli, [*args, "--store", url, "--tenant", TENANT], env=env)
    assert result.exit_code == 0, result.output


def test_cli_writes_and_erasures_name_the_actor(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    talk = tmp_path / "talk.jsonl"
    talk.write_text(json.dumps(MESSAGE) + "\n", encoding="utf-8")
    _cli(url, "ingest", str(talk), "--actor", "alice")
    assert {actor for _, actor in _actors(url)} == {"alice"}
    _cli(url, "expire", env={"ASOF_ACTOR": "nightly-job"})
    _cli(url, "forget", "Priya", "--yes", env={"ASOF_ACTOR": "bob"})
    assert _actors(url)[-1] == ("erased", "bob")
    talk.write_text(json.dumps({**MESSAGE, "id": "m2", "text": "I live in Oslo."}) + "\n",
                    encoding="utf-8")
    _cli(url, "ingest", str(talk), env={"ASOF_ACTOR": ""})  # unset: the login name
    assert _actors(url)[-1][1] == getpass.getuser()


@pytest.mark.parametrize("actor", ["", "two\nlines", "x" * 201])
def test_a_bad_actor_is_refused_and_changes_nothing(tmp_path: Path, actor: str) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    talk = tmp_path / "talk.jsonl"
    talk.write_text(json.dumps(MESSAGE) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(talk), "--actor", actor, "--store", url,
                                      "--tenant", TENANT])
    assert result.exit_code == 2 and "--actor" in result.output
    assert _actors(url) == []
