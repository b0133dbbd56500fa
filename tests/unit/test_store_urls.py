"""Store URLs: one function opens a store from a URL, and nothing else names an adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from asof.graph.errors import InvalidInputError
from asof.graph.urls import backend_of, open_store, store_files

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("url", "backend"), [
    ("sqlite:///memory.db", "sqlite"), ("SQLITE:///:memory:", "sqlite"),
    ("neo4j://localhost:7687", "neo4j"), ("bolt+s://db.example:7687", "neo4j"),
])
def test_the_scheme_names_the_backend(url: str, backend: str) -> None:
    assert backend_of(url) == backend


@pytest.mark.parametrize("url", ["postgres://x/y", "memory.db", "", "http://neo4j:7474"])
def test_an_unsupported_url_is_refused_naming_the_ones_that_work(url: str) -> None:
    with pytest.raises(InvalidInputError, match=r"sqlite:///.*neo4j://"):
        backend_of(url)
    with pytest.raises(InvalidInputError):
        open_store(url, tenant="t")


def test_a_neo4j_url_without_password_is_refused_before_any_connection() -> None:
    with pytest.raises(InvalidInputError, match="ASOF_NEO4J_PASSWORD"):
        open_store("neo4j://localhost:1", tenant="t")


def test_store_files_are_the_database_and_its_log() -> None:
    assert store_files("sqlite:///data/m.db") == [Path("data/m.db"), Path("data/m.db-wal")]
    assert store_files("sqlite:///:memory:") == []
    assert store_files("neo4j://localhost:7687") is None


def test_only_the_url_module_imports_an_adapter() -> None:
    """api/, query/ and bench/ open stores through asof.graph.urls (tests may build adapters
    directly; the adapters' own packages import themselves, and bench/profile_neo4j.py, which
    profiles the Neo4j adapter's statements, extends its runner)."""
    adapters = ("asof.graph.sqlite", "asof.graph.neo4j")
    bad = []
    for folder in ("api", "query", "bench", "graph"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ("graph/urls.py", "bench/profile_neo4j.py") or rel.startswith(
                    ("graph/sqlite/", "graph/neo4j/")):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                bad += [f"{rel}:{node.lineno} imports {n}" for n in names
                        if n.startswith(adapters)]
    assert not bad, bad
