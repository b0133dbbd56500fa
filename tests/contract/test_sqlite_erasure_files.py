"""Erased text leaves the SQLite files, not only the query results (issue #16 item 9): the
write-ahead log is checkpointed and truncated after an erasure, and secure_delete zeroes the
freed pages, so the words cannot be read back from the database file or its log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from asof.graph.clock import FakeClock
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.sqlite import SqliteStore

pytestmark = pytest.mark.contract

SECRET = "Quizzaciously"


def _files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                    if p.is_file())


def test_erased_words_are_gone_from_the_database_file_and_its_log(tmp_path: Path) -> None:
    path = tmp_path / "asof.db"
    store = SqliteStore.from_url(f"sqlite:///{path}", tenant="t",
                                 clock=FakeClock(datetime(2025, 1, 1, tzinfo=UTC)))
    try:
        for day in range(1, 4):
            store.clock.advance()  # type: ignore[attr-defined]
            episode = Episode.create(
                tenant="t", speaker="Bob Stone", occurred_at=datetime(2024, 1, day, tzinfo=UTC),
                text=f"Bob {SECRET} Stone went to the {SECRET} club on day {day}")
            store.apply(episode, [FactAssertion(
                subject=EntityRef(name=f"Bob {SECRET} Stone", type="person"),
                predicate="works_at", object=EntityRef(name="Initech", type="organization"))])
        assert SECRET.encode() in _files(path)  # the words are in the files before
        store.forget(f"Bob {SECRET} Stone")
        assert store.search(SECRET) == []
        assert SECRET.encode() not in _files(path)
        assert SECRET.lower().encode() not in _files(path).lower()
        assert store.verify().ok
    finally:
        store.close()
