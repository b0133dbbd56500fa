"""Opening and configuring a SQLite connection, and translating the driver's errors into the
project's error tree."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from asof.graph.errors import IntegrityError, InvalidInputError, StoreError, StoreUnavailableError

__all__ = ["BUSY_TIMEOUT_S", "ReaderPool", "connect", "rollback", "sqlite_errors", "sqlite_path",
           "translate"]

logger = logging.getLogger(__name__)

#: How long a writer waits for another connection's write lock before giving up.
BUSY_TIMEOUT_S: Final = 30.0

_URL_HELP: Final = (
    "use sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite:///:memory:")
_URL_PREFIX: Final = "sqlite:///"

# SQLite primary result codes that mean "someone else holds the lock" / "cannot open".
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_CANTOPEN: Final = 14
def sqlite_path(url: str) -> Path | None:
    """The database path of a ``sqlite:///`` URL; ``None`` for ``:memory:``."""
    if not isinstance(url, str) or not url.startswith(_URL_PREFIX):
        raise InvalidInputError(f"invalid SQLite URL {url!r}: {_URL_HELP}")
    rest = url[len(_URL_PREFIX):]
    if rest == ":memory:":
        return None
    if not rest.strip() or rest.endswith("/"):
        raise InvalidInputError(f"invalid SQLite URL {url!r}: no database file given; {_URL_HELP}")
    if "?" in rest or "#" in rest:
        raise InvalidInputError(
            f"invalid SQLite URL {url!r}: query strings and fragments are not supported; "
            f"{_URL_HELP}")
    return Path(rest)


def connect(path: Path | None, *, read_only: bool = False) -> sqlite3.Connection:
    """Open ``path`` (``None``: in memory) in autocommit mode, creating its directory, and
    configure it: busy timeout, foreign keys, ``synchronous=NORMAL``, secure delete and, for a
    file, WAL. ``read_only``: a reader of a file the writer has configured already
    (``query_only``, so a bug cannot write through it)."""
    target = ":memory:" if path is None else str(path)
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False, cached_statements=256)
    except OSError as exc:
        raise StoreUnavailableError(f"cannot create the directory of {target}: {exc}") from exc
    except sqlite3.Error as exc:
        raise translate(exc, f"open {target}") from exc
    try:
        with sqlite_errors(f"configure {target}"):
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
                return conn
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA secure_delete = ON")
            if path is not None:
                conn.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        conn.close()
        raise
    return conn


def translate(exc: sqlite3.Error, action: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in str(exc):
        return StoreUnavailableError(
            f"{action}: the SQLite database is locked by another connection and stayed locked "
            f"past the busy timeout; retry later ({exc})"
        )
    if primary == _SQLITE_CANTOPEN:
        return StoreUnavailableError(f"{action}: cannot open the SQLite database ({exc})")
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(f"{action}: constraint violated ({exc}); nothing was written")
    return StoreError(f"{action}: SQLite error ({exc})")


@contextmanager
def sqlite_errors(action: str) -> Iterator[None]:
    """Translate driver errors into the project's tree; AsofErrors pass through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, action) from exc


def rollback(conn: sqlite3.Connection, error: BaseException) -> None:
    if not conn.in_transaction:
        return  # SQLite already rolled back (e.g. after SQLITE_FULL)
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        logger.exception("rollback failed")
        error.add_note(f"rollback also failed: {exc}")


class ReaderPool:
    """One read-only connection per thread to a database file, so that readers neither wait
    for a writer nor for each other: in WAL mode each reads the last committed state while
    another connection writes. Without this, every reader of a store queued behind the one
    connection's write transactions (8 readers with 1 writer: 12 reads/s and a 28 s p99 at
    100k versions, docs/benchmarks.md).

    The thread that holds the store's write transaction reads on the writer's connection
    instead (:attr:`writer`), so a write sees its own uncommitted rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False
        #: The id of the thread inside a write transaction on the writer's connection.
        self.writer: int | None = None

    def connection(self) -> sqlite3.Connection:
        """This thread's reader, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        with self._guard:
            if self._closed:
                raise StoreError("read: the SQLite store is closed")
            conn = connect(self.path, read_only=True)
            self._opened.append(conn)
        self._local.conn = conn
        return conn

    def close(self) -> None:
        with self._guard:
            self._closed = True
            for conn in self._opened:
                conn.close()
            self._opened.clear()
