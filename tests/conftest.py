"""Shared test plumbing: the real Neo4j server the `neo4j`-marked tests run against.

Where the server comes from (DESIGN.md §9):
1. ``ASOF_NEO4J_URI`` (+ ``ASOF_NEO4J_USER``, ``ASOF_NEO4J_PASSWORD``) → that server
   (``make test`` starts a local one with ``scripts/neo4j-local`` and sets these);
2. otherwise a Docker engine that answers → testcontainers with the pinned image;
3. otherwise the Neo4j tests are skipped — unless ``ASOF_REQUIRE_NEO4J=1`` (CI), where
   that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles, registered here (the first conftest) so that
# `pytest --hypothesis-profile=thorough` works from the repository root.
# "ci" (500 examples) is what the property tests use unless a profile is named.
_SUPPRESS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=500, deadline=None, suppress_health_check=_SUPPRESS)
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=_SUPPRESS)

NEO4J_IMAGE = "neo4j:5.26-community"


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _require_neo4j() -> bool:
    return os.environ.get("ASOF_REQUIRE_NEO4J", "") == "1"


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[Any]:
    """A live ``neo4j.Driver`` connected to a real server, checked with a real query."""
    from neo4j import GraphDatabase

    uri = os.environ.get("ASOF_NEO4J_URI")
    if uri:
        auth = (os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                os.environ.get("ASOF_NEO4J_PASSWORD", ""))
        driver = GraphDatabase.driver(uri, auth=auth)
        try:
            driver.execute_query("RETURN 1")
        except Exception as exc:
            driver.close()
            pytest.fail(f"ASOF_NEO4J_URI={uri} is set but Neo4j does not answer: {exc}")
        yield driver
        driver.close()
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        password = uuid.uuid4().hex
        with Neo4jContainer(NEO4J_IMAGE, password=password) as container:
            driver = container.get_driver()
            driver.execute_query("RETURN 1")
            yield driver
            driver.close()
        return
    message = ("no Neo4j: set ASOF_NEO4J_URI (make test starts a local server with "
               "scripts/neo4j-local), or run a Docker engine")
    if _require_neo4j():
        pytest.fail(f"ASOF_REQUIRE_NEO4J=1 but {message}")
    pytest.skip(message)


@pytest.fixture
def fresh_tenant() -> str:
    """A tenant id no other test uses: per-test isolation on a shared server."""
    return f"t-{uuid.uuid4().hex[:12]}"
