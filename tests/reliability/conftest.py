"""Fixtures of the reliability suite (tests/reliability): backends as store URLs (SQLite
always, Neo4j through the session's ``neo4j_driver``), the environment a subprocess needs to
reach them, one shared spaCy pipeline, and the figures printed at the end of the run."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability.rel_support import FIGURES, SOAK, open_for

from asof.graph.store import GraphStore


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL: a fresh SQLite file, or the test Neo4j server (isolate by tenant)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rel.db'}"
    request.getfixturevalue("neo4j_driver")
    return os.environ["ASOF_NEO4J_URI"]


@pytest.fixture
def inspect() -> Iterator[Any]:
    """``inspect(url, tenant)`` → a store handle, closed after the test."""
    opened: list[GraphStore] = []

    def make(url: str, tenant: str, **kwargs: Any) -> GraphStore:
        store = open_for(url, tenant, **kwargs)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def nlp() -> Any:
    """One spaCy pipeline for every in-process app and fuzz test (loading takes seconds)."""
    from asof.extraction.pipeline import build_nlp

    return build_nlp()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES.rows:
        return
    terminalreporter.section(f"asof reliability figures ({'soak' if SOAK else 'default'})")
    for row in FIGURES.rows:
        terminalreporter.write_line(json.dumps(row, default=str))
    target = os.environ.get("ASOF_REL_REPORT")
    if target:
        Path(target).write_text(json.dumps({"soak": SOAK, "rows": FIGURES.rows}, indent=2,
                                           default=str) + "\n", encoding="utf-8")
