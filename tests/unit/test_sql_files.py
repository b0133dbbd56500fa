"""Every SQL statement of the SQLite adapter: present, loaded by name, parameterised, confined
to a tenant, and each one used by the adapter."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from asof.graph.sqlite import SqliteStore, sql

pytestmark = pytest.mark.unit

ALL = sql.names()
NON_SCHEMA = [n for n in ALL if not n.startswith(f"{sql.SCHEMA_AREA}/")]
ADAPTER = Path(__file__).resolve().parents[2] / "graph" / "sqlite"

_STRING = re.compile(r"'(?:[^']|'')*'")


def test_there_are_statements_in_every_area() -> None:
    areas = {n.split("/", 1)[0] for n in ALL}
    assert {"read", "write", "schema", "fragment"} <= areas
    assert sql.migrations() == ["schema/0001_initial", "schema/0002_event_key_ids",
                                "schema/0003_embeddings", "schema/0004_audit_rows_commitments",
                                "schema/0005_tenant_secrets",
                                "schema/0006_episodes_by_conversation"]


def test_an_unknown_name_fails_loudly_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="read/claims_by_id"):
        sql.load("read/no_such_statement")
    with pytest.raises(KeyError):
        sql.load("../schema/0001_initial")


@pytest.mark.parametrize("name", [n for n in ALL if n not in sql.migrations()
                                  and n != "schema/optimize_fulltext"])
def test_one_statement_per_file_and_values_are_parameters(name: str) -> None:
    text = sql.load(name)
    assert text and ";" not in text, f"{name}: one statement per file, no trailing ';'"
    literals = set(_STRING.findall(text))
    # The only literals: the erased placeholder and empty metadata of a redacted episode, and
    # the kinds of row read/row_ids, read/link_rows and the embeddings table label rows with.
    allowed = {"''", "'[erased]'", "'{}'", "'episode'", "'claim'", "'fact'", "'entity'",
               "'alias'", "'source'"}
    assert literals <= allowed, f"{name}: literal values {literals}"


@pytest.mark.parametrize("name", [n for n in NON_SCHEMA if not n.startswith("fragment/")])
def test_every_statement_outside_schema_filters_on_or_writes_the_tenant(name: str) -> None:
    text = sql.load(name)
    if text.startswith("INSERT"):
        assert re.match(r"INSERT[^(]*\(\s*(rowid, )?tenant\b", text) or "v.tenant = ?" in text, (
            f"{name} does not write the tenant")
    else:
        assert re.search(r"\btenant = \?", text), f"{name} does not filter on tenant"


@pytest.mark.parametrize("name", [n for n in ALL if not n.startswith("fragment/")])
def test_every_statement_compiles_against_the_schema(name: str) -> None:
    """Preparing a statement (EXPLAIN) checks its tables, columns and indexes without running
    it, on a freshly migrated database; a migration is run on the schema of the ones before it."""
    migrations = sql.migrations()
    store = SqliteStore.from_url("sqlite:///:memory:", tenant="t",
                                 migrate=name not in migrations)
    try:
        conn: sqlite3.Connection = store._conn
        for earlier in migrations[:migrations.index(name)] if name in migrations else []:
            for statement in sql.statements(earlier):
                conn.execute(statement)
        if name in migrations:  # run: a statement may need the tables of the one before
            for statement in sql.statements(name):
                conn.execute(statement)
            return
        several = name == "schema/optimize_fulltext"
        for statement in sql.statements(name) if several else [sql.load(name)]:
            params = (None,) * statement.count("?")
            conn.execute("EXPLAIN " + statement, params).fetchall()
    finally:
        store.close()


def test_every_statement_is_used_by_the_adapter() -> None:
    code = "\n".join(p.read_text() for p in ADAPTER.glob("*.py"))
    unused = [n for n in ALL if n not in sql.migrations() and f'"{n}"' not in code]
    assert not unused, f"statements no code loads: {unused}"
