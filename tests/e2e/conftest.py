"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> str:
    """A store URL for the CLI, once per backend: a fresh SQLite file, or the test Neo4j with
    its credentials in the environment the CLI reads. (A module may define its own.)"""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}"
    request.getfixturevalue("neo4j_driver")
    monkeypatch.setenv("ASOF_NEO4J_USER", os.environ.get("ASOF_NEO4J_USER", "neo4j"))
    monkeypatch.setenv("ASOF_NEO4J_PASSWORD", os.environ.get("ASOF_NEO4J_PASSWORD", ""))
    return os.environ["ASOF_NEO4J_URI"]
