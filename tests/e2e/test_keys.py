"""API keys: a hash listed twice is refused at startup (before, the last entry won, so a tenant
key could silently become admin); the keys file is reloaded when it changes, without a restart;
each key may carry `expires_at` and `revoked`. Against the real app on a real SQLite file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.keys import hash_key
from asof.api.settings import Settings
from asof.graph.errors import InvalidInputError

pytestmark = pytest.mark.e2e


def entry(key: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "sha256": hash_key(key), "tenant": "acme", **extra}


def settings(tmp_path: Path, keys: list[dict[str, Any]] | None = None,
             keys_file: Path | None = None) -> Settings:
    return Settings(store=f"sqlite:///{tmp_path / 'k.db'}",
                    api_keys=json.dumps(keys) if keys is not None else None,
                    api_keys_file=keys_file)


def status(client: TestClient, key: str) -> tuple[int, str]:
    response = client.get("/v1/facts", headers={"Authorization": f"Bearer {key}"})
    return response.status_code, response.json().get("detail", "")


def test_a_hash_listed_twice_is_refused_at_startup(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps([{"name": "ops", "sha256": hash_key("k1"),
                                      "role": "admin"}]))
    with pytest.raises(InvalidInputError, match=r"sha256 .* listed twice: .*\[0\].*\[0\]"):
        create_app(settings(tmp_path, [entry("k1", "bot")], keys_file))
    with pytest.raises(InvalidInputError, match="name 'bot' is listed twice"):
        create_app(settings(tmp_path, [entry("k1", "bot"), entry("k2", "bot")]))


@pytest.mark.parametrize(("extra", "message"), [
    ({"expires_at": "2030-01-01T00:00:00"}, "expires_at"),
    ({"expires_at": "soon"}, "expires_at"),
    ({"revoked": "yes"}, "revoked"),
    ({"name": ""}, "name"),
    ({"name": "two\nlines"}, "name"),
])
def test_bad_key_entries_are_refused(tmp_path: Path, extra: dict[str, Any],
                                     message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        create_app(settings(tmp_path, [{**entry("k1", "bot"), **extra}]))


def test_revoked_and_expired_keys_are_refused(tmp_path: Path) -> None:
    keys = [entry("live", "live", expires_at="2999-01-01T00:00:00Z"),
            entry("old", "old", expires_at="2020-01-01T00:00:00+01:00"),
            entry("gone", "gone", revoked=True)]
    with TestClient(create_app(settings(tmp_path, keys))) as client:
        assert status(client, "live")[0] == 200
        assert status(client, "old") == (401, "this API key expired at 2019-12-31T23:00:00.000000Z")
        assert status(client, "gone") == (401, "this API key was revoked")


def _rewrite(path: Path, keys: list[dict[str, Any]] | str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(keys if isinstance(keys, str) else json.dumps(keys))
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))  # a visible change


def test_the_keys_file_is_reloaded_when_it_changes(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    _rewrite(keys_file, [entry("first", "first")])
    with TestClient(create_app(settings(tmp_path, keys_file=keys_file))) as client:
        assert status(client, "first")[0] == 200
        assert status(client, "second") == (401, "unknown API key")
        _rewrite(keys_file, [entry("first", "first"), entry("second", "second")])
        assert status(client, "second")[0] == 200
        _rewrite(keys_file, [entry("first", "first", revoked=True),
                             entry("second", "second")])
        assert status(client, "first") == (401, "this API key was revoked")
        # a broken edit fails closed: no key is accepted until the file is fixed
        _rewrite(keys_file, "[{")
        code, detail = status(client, "second")
        assert code == 503 and "keys file" in detail and "[{" not in detail
        _rewrite(keys_file, [entry("second", "second")])
        assert status(client, "second")[0] == 200


def test_keys_new_prints_an_entry_the_server_accepts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from asof.api.cli import cli

    made = CliRunner().invoke(cli, ["keys", "new", "--tenant", "acme", "--name", "bot",
                                    "--expires-at", "2999-01-01T00:00:00+02:00"])
    assert made.exit_code == 0, made.output
    key = made.output.split("key (shown once): ")[1].split()[0]
    new_entry = json.loads(made.output.strip().splitlines()[-1])
    assert new_entry["expires_at"] == "2998-12-31T22:00:00.000000Z"
    with TestClient(create_app(settings(tmp_path, [new_entry]))) as client:
        assert status(client, key)[0] == 200
    naive = CliRunner().invoke(cli, ["keys", "new", "--tenant", "acme", "--expires-at",
                                     "2999-01-01"])
    assert naive.exit_code == 2 and "--expires-at" in naive.output
