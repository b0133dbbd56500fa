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
from asof.graph.errors import InvalidInputError

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


def _seed_three_actors(url: str) -> list[tuple[int, str, str]]:
    """alice writes about Priya, bob about Sam, and dpo erases Sam: (seq, action, actor)."""
    from datetime import UTC, datetime

    from asof.graph.clock import FakeClock

    clock = FakeClock(datetime(2024, 1, 1, tzinfo=UTC))
    with Memory.open(url, clock=clock) as mem:
        mem.assert_facts([FACT], tenant=TENANT, actor="alice")
        clock.set(datetime(2024, 2, 1, tzinfo=UTC))
        mem.assert_facts([{**FACT, "subject": {"name": "Sam", "type": "person"},
                           "predicate": "lives_in",
                           "object": {"name": "Oslo", "type": "location"}}],
                         tenant=TENANT, actor="bob")
        clock.set(datetime(2024, 3, 1, tzinfo=UTC))
        mem.forget("Sam", tenant=TENANT, actor="dpo")
        return [(e.seq, e.action.value, e.actor) for e in mem.audit(tenant=TENANT)]


def test_audit_filters_by_entity_actor_action_and_time_on_every_surface(
        tmp_path: Path) -> None:
    from datetime import UTC, datetime

    url = f"sqlite:///{tmp_path / 'filters.db'}"
    events = _seed_three_actors(url)
    by = {actor: [seq for seq, _, a in events if a == actor] for _, _, actor in events}
    assert set(by) == {"alice", "bob", "dpo"}
    with Memory.open(url) as mem:
        def seqs(**where: object) -> list[int]:
            return [e.seq for e in mem.audit(tenant=TENANT, **where)]  # type: ignore[arg-type]

        assert seqs(actor="bob") == by["bob"]
        assert seqs(entity="Priya") == by["alice"]
        assert seqs(action="erased") == by["dpo"]
        assert seqs(since=datetime(2024, 2, 1, tzinfo=UTC),
                    until=datetime(2024, 3, 1, tzinfo=UTC)) == by["bob"]
        page = mem.audit(tenant=TENANT, actor="alice", limit=1)
        assert page.next_offset == (1 if len(by["alice"]) > 1 else None)
        with pytest.raises(InvalidInputError, match="^action: one of"):
            mem.audit(tenant=TENANT, action="deleted")
        with pytest.raises(InvalidInputError, match="until: must be after since"):
            mem.audit(tenant=TENANT, since=datetime(2024, 3, 1, tzinfo=UTC),
                      until=datetime(2024, 2, 1, tzinfo=UTC))

    shown = CliRunner().invoke(cli, ["audit", "show", "--entity", "Priya", "--json",
                                     "--store", url, "--tenant", TENANT])
    assert [e["seq"] for e in json.loads(shown.output)["items"]] == by["alice"]
    naive = CliRunner().invoke(cli, ["audit", "show", "--since", "2024-02-01", "--store", url,
                                     "--tenant", TENANT])
    assert naive.exit_code == 2 and "--since" in naive.output

    keys = json.dumps([{"name": "k", "sha256": hash_key("k"), "tenant": TENANT}])
    with TestClient(create_app(Settings(store=url, api_keys=keys))) as client:
        client.headers["X-API-Key"] = "k"
        listed = client.get("/v1/audit", params={"actor": "dpo", "action": "erased"}).json()
        assert [e["seq"] for e in listed["items"]] == by["dpo"]
        assert client.get("/v1/audit", params={"since": "2024-02-01T00:00:00Z"}
                          ).json()["items"][0]["seq"] == by["bob"][0]
        for bad in ({"action": "deleted"}, {"since": "2024-02-01T00:00:00"}):
            assert client.get("/v1/audit", params=bad).status_code == 422
        assert client.get("/v1/audit", params={"entity": "Nobody"}).status_code == 404


def test_an_erasure_request_records_its_requester_and_ticket_over_rest_and_the_cli(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'requests.db'}"
    keys = json.dumps([{"name": "dpo-office", "sha256": hash_key("k-admin"), "role": "admin"}])
    with TestClient(create_app(Settings(store=url, api_keys=keys))) as client:
        admin = {"X-API-Key": "k-admin", "X-Asof-Tenant": TENANT}
        for name in ("Priya", "Sam"):
            fact = {**FACT, "subject": {"name": name, "type": "person"}}
            assert client.post("/v1/facts", json={"facts": [fact]},
                               headers=admin).status_code == 200
        priya = client.get("/v1/facts", params={"subject": "Priya"},
                           headers=admin).json()["items"][0]["subject_id"]
        named = client.delete(f"/v1/entities/{priya}", headers=admin,
                              params={"requester": "Priya's lawyer", "ticket": "DSR-1"})
        assert named.status_code == 422, named.text  # the chain keeps no erased name
        erased = client.delete(f"/v1/entities/{priya}", headers=admin,
                               params={"requester": "the data subject", "ticket": "DSR-1"})
        assert erased.status_code == 200, erased.text
        shown = client.get("/v1/audit", params={"action": "erased"}, headers=admin).json()
    assert [e["reason"] for e in shown["items"]] == [
        "erasure request; requester: the data subject; ticket: DSR-1"]
    _cli(url, "forget", "Sam", "--yes", "--requester", "HR", "--ticket", "DSR-2")
    result = CliRunner().invoke(cli, ["audit", "show", "--action", "erased", "--json",
                                      "--store", url, "--tenant", TENANT])
    assert [e["reason"] for e in json.loads(result.output)["items"]][-1] == (
        "erasure request; requester: HR; ticket: DSR-2")
