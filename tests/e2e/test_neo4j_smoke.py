"""The local Neo4j answers real Bolt queries through the official driver."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]


def test_write_and_read_back_a_tenant_node(neo4j_driver: Any, fresh_tenant: str) -> None:
    neo4j_driver.execute_query(
        "CREATE (:SmokeTest {tenant: $tenant, value: $value})",
        tenant=fresh_tenant, value="hello")
    try:
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (n:SmokeTest {tenant: $tenant}) RETURN n.value AS value", tenant=fresh_tenant)
        assert [r["value"] for r in records] == ["hello"]
        records, _, _ = neo4j_driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition "
            "WHERE $tenant IS NOT NULL RETURN versions[0] AS version, edition",
            tenant=fresh_tenant)
        assert records[0]["version"].startswith("5.26")
        assert records[0]["edition"] == "community"
    finally:
        neo4j_driver.execute_query("MATCH (n:SmokeTest {tenant: $tenant}) DELETE n",
                                   tenant=fresh_tenant)
