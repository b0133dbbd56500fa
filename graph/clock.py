"""Clocks: the only place transaction time comes from.

Code in ``graph/`` and ``query/`` never calls ``datetime.now()``; it takes a :class:`Clock`.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from asof.graph.instants import require_aware


class Clock(Protocol):
    """Something that tells the current instant (timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to; for tests, simulations and replays."""

    def __init__(self, start: datetime) -> None:
        self._now = require_aware(start, "start")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (it may lie in the past: stores must cope)."""
        with self._lock:
            self._now = require_aware(instant, "instant")

    def advance(self, delta: timedelta = timedelta(seconds=1)) -> datetime:
        with self._lock:
            self._now += delta
            return self._now
