"""`asof import graphiti` on a graph written by graphiti-core into the test Neo4j.

The graph is built with graphiti-core's own models and bulk writer (no LLM: the edges are
given, as Graphiti's pipeline would have left them). It models what Graphiti's edge
invalidation does in place: an employer edge ended and expired when the next job arrived, an
edge withdrawn (expired without an end), and one that arrived with its end.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from asof.api.cli import cli
from asof.graph.contract import VersionQuery
from asof.graph.urls import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

T1 = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)   # Graphiti ingested episode 1
T2 = datetime(2024, 7, 1, 9, 0, tzinfo=UTC)   # episode 2; edge A ended and expired in place
T3 = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)   # episode 3
T4 = datetime(2024, 9, 1, 9, 0, tzinfo=UTC)   # edge C withdrawn
TEXTS = ["Priya joined Acme in January.", "Priya moved to Globex on June 1st.",
         "Priya uses Jira now; she lived in Berlin from 2020 to 2023."]


def _at(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


async def _write_graph(driver: Any, group: str) -> dict[str, str]:
    from graphiti_core.edges import EntityEdge
    from graphiti_core.embedder.client import EmbedderClient
    from graphiti_core.nodes import EntityNode, EpisodeType, EpisodicNode
    from graphiti_core.utils.bulk_utils import add_nodes_and_edges_bulk

    class NoEmbedder(EmbedderClient):
        """Every embedding is given below; the writer must not ask for one."""

        async def create(self, input_data: Any) -> list[float]:
            raise AssertionError("no embedding should be computed")

        async def create_batch(self, input_data_list: list[str]) -> list[list[float]]:
            raise AssertionError("no embedding should be computed")

    vector = [1.0, 0.0, 0.0, 0.0]
    nodes = {name: EntityNode(name=name, group_id=group, labels=["Entity", label],
                              created_at=T1, name_embedding=vector)
             for name, label in (("Priya Raman", "Person"), ("Acme", "Organization"),
                                 ("Globex", "Organization"), ("Jira", "Product"),
                                 ("Berlin", "Location"))}
    episodes = [EpisodicNode(name=f"message {i + 1}", group_id=group, source=EpisodeType.message,
                             source_description="chat with Priya", content=text,
                             valid_at=created, created_at=created)
                for i, (text, created) in enumerate(zip(TEXTS, (T1, T2, T3), strict=True))]

    def edge(name: str, target: str, fact: str, episode: int, **times: Any) -> Any:
        return EntityEdge(group_id=group, source_node_uuid=nodes["Priya Raman"].uuid,
                          target_node_uuid=nodes[target].uuid, name=name, fact=fact,
                          fact_embedding=vector, episodes=[episodes[episode].uuid], **times)

    edges = {
        # A: written open-ended at T1; Graphiti set invalid_at and expired_at in place at T2
        "acme": edge("WORKS_AT", "Acme", "Priya works at Acme", 0, valid_at=_at(2024, 1),
                     invalid_at=_at(2024, 6), created_at=T1, expired_at=T2),
        "globex": edge("WORKS_AT", "Globex", "Priya works at Globex", 1,
                       valid_at=_at(2024, 6), created_at=T2),
        # C: withdrawn at T4 (expired without an end)
        "jira": edge("USES", "Jira", "Priya uses Jira", 2, valid_at=T3, created_at=T3,
                     expired_at=T4),
        # D: arrived with its end, so Graphiti expired it at once: nothing was overwritten
        "berlin": edge("LIVES_IN", "Berlin", "Priya lived in Berlin", 2,
                       valid_at=_at(2020, 1), invalid_at=_at(2023, 1), created_at=T3,
                       expired_at=T3),
    }
    await add_nodes_and_edges_bulk(driver, episodes, [], list(nodes.values()),
                                   list(edges.values()), NoEmbedder())
    return {key: e.uuid for key, e in edges.items()}


@pytest.fixture
def graphiti_group(neo4j_driver: Any) -> Iterator[tuple[str, dict[str, str]]]:
    """A Graphiti group written by graphiti-core into the test server, removed afterwards."""
    from graphiti_core.driver.neo4j_driver import Neo4jDriver

    group = f"g{uuid.uuid4().hex[:10]}"
    # Opened outside an event loop, so graphiti-core does not add its indexes to the shared
    # test database.
    driver = Neo4jDriver(os.environ["ASOF_NEO4J_URI"], os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                         os.environ.get("ASOF_NEO4J_PASSWORD", ""))

    async def write_and_close() -> dict[str, str]:
        try:
            return await _write_graph(driver, group)
        finally:
            await driver.client.close()

    edge_ids = asyncio.run(write_and_close())
    try:
        yield group, edge_ids
    finally:
        neo4j_driver.execute_query("MATCH (n {group_id: $group}) DETACH DELETE n", group=group)


def asof(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _source(url: str | None = None, password: str | None = None) -> list[str]:
    return ["--url", url or os.environ["ASOF_NEO4J_URI"],
            "--user", os.environ.get("ASOF_NEO4J_USER", "neo4j"),
            "--password", os.environ.get("ASOF_NEO4J_PASSWORD", "")
            if password is None else password]


@pytest.fixture
def target(tmp_path: Path, fresh_tenant: str) -> tuple[str, str]:
    return f"sqlite:///{tmp_path / 'imported.db'}", fresh_tenant


def _nothing_written(url: str, tenant: str) -> bool:
    if not Path(url.removeprefix("sqlite:///")).exists():
        return True
    store = open_store(url, tenant=tenant)
    try:
        return store.audit_events() == [] and not any(store.row_ids().values())
    finally:
        store.close()


def test_import_keeps_valid_time_provenance_and_counts_what_graphiti_overwrote(
        graphiti_group: tuple[str, dict[str, str]], target: tuple[str, str]) -> None:
    group, _ = graphiti_group
    url, tenant = target
    code, out = asof("import", "graphiti", *_source(), "--group-id", group,
                     "--store", url, "--tenant", tenant, "--json")
    assert code == 0, out
    import json

    report = json.loads(out)
    assert report["edges_read"] == 4
    assert report["imported"] == 3  # acme, globex, berlin; jira was withdrawn
    assert report["withdrawn_not_imported"] == 1
    assert report["overwritten"] == 2  # acme and jira were changed after they were written
    assert report["predicates"] == {"lives_in": 1, "works_at": 2}
    assert report["episodes_written"] == 3 and report["versions_written"] >= 3

    store = open_store(url, tenant=tenant)
    try:
        priya = store.entity("Priya Raman")
        assert priya is not None

        def employer(valid_at: datetime, known_at: datetime) -> list[str | None]:
            return [v.object_name for v in store.find_versions(VersionQuery(
                subject_id=priya.id, predicate="works_at", valid_at=valid_at,
                known_at=known_at))]

        now = datetime.now(UTC)
        assert employer(_at(2024, 3), now) == ["Acme"]
        assert employer(_at(2024, 7), now) == ["Globex"]
        # recorded at Graphiti's created_at: before T2 nothing was known of Globex
        assert employer(_at(2024, 7), T1) == []
        assert employer(_at(2024, 3), T1) == ["Acme"]
        # before anything was ingested into Graphiti, nothing is known
        assert employer(_at(2024, 3), _at(2024, 1, 15)) == []
        assert store.find_versions(VersionQuery(subject_id=priya.id, predicate="uses",
                                                valid_at=now, known_at=now)) == []
        acme = next(v for v in store.find_versions(VersionQuery(
            subject_id=priya.id, predicate="works_at", valid_at=_at(2024, 3), known_at=now)))
        [episode] = store.get_episodes(acme.episode_ids)
        assert episode.text == TEXTS[0] and episode.speaker == "chat with Priya"
        assert episode.metadata["graphiti_group_id"] == group
        assert acme.evidence == "Priya works at Acme"
    finally:
        store.close()

    code, out = asof("import", "graphiti", *_source(), "--group-id", group,
                     "--store", url, "--tenant", tenant, "--json")
    assert code == 0, out
    again = json.loads(out)
    assert again["episodes_written"] == 0 and again["episodes_already_stored"] == 3
    assert again["versions_written"] == 0


def test_bad_input_is_a_clear_error_and_writes_nothing(
        graphiti_group: tuple[str, dict[str, str]], target: tuple[str, str],
        neo4j_driver: Any) -> None:
    group, edge_ids = graphiti_group
    url, tenant = target
    where = ["--group-id", group, "--store", url, "--tenant", tenant]

    code, out = asof("import", "graphiti", *_source(url="bolt://127.0.0.1:1"), *where)
    assert code == 3 and "cannot be reached" in out, out
    code, out = asof("import", "graphiti", *_source(password="not-the-password"), *where)
    assert code == 2 and "authentication failed" in out, out
    code, out = asof("import", "graphiti", *_source(), "--group-id", "no-such-group",
                     "--store", url, "--tenant", tenant)
    assert code == 2 and "no entity edges" in out, out
    assert _nothing_written(url, tenant)

    # an edge name that is not a predicate
    neo4j_driver.execute_query("MATCH ()-[e:RELATES_TO {uuid: $id}]->() SET e.name = $name",
                               id=edge_ids["berlin"], name="IS_FRIENDS_WITH")
    code, out = asof("import", "graphiti", *_source(), *where)
    assert code == 2 and "is_friends_with (1)" in out and "ASOF_PREDICATES" in out, out
    assert _nothing_written(url, tenant)
    neo4j_driver.execute_query("MATCH ()-[e:RELATES_TO {uuid: $id}]->() SET e.name = $name",
                               id=edge_ids["berlin"], name="LIVES_IN")

    # a naive timestamp (a LocalDateTime in Neo4j)
    neo4j_driver.execute_query(
        "MATCH ()-[e:RELATES_TO {uuid: $id}]->() SET e.valid_at = localdatetime($at)",
        id=edge_ids["globex"], at="2024-06-01T00:00:00")
    code, out = asof("import", "graphiti", *_source(), *where)
    assert code == 2 and "naive timestamp" in out and edge_ids["globex"] in out, out
    assert _nothing_written(url, tenant)
