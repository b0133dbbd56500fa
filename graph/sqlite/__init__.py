"""The SQLite adapter: asof's embedded default, one file, WAL, one writer at a time.

``SqliteStore(conn, tenant=...)`` wraps a live ``sqlite3.Connection`` (opened in autocommit mode,
``isolation_level=None``: this module issues ``BEGIN IMMEDIATE``/``COMMIT`` itself);
:meth:`SqliteStore.from_url` opens one. The schema lives in ``sql/schema/NNNN_*.sql``,
applied in order by :meth:`SqliteStore.migrate` and recorded in ``schema_migrations``.

Storage conventions (see ``sql/schema/0001_initial.sql``): every row carries its tenant and
every statement filters on it; instants are integer microseconds since the epoch
(:mod:`graph.instants`) with the ``MIN_US``/``MAX_US`` sentinels for open ends, so as-of
predicates are plain integer ranges.

Concurrency: one connection runs one transaction at a time, so a store and all its
:meth:`~graph.store.GraphStore.for_tenant` clones share one re-entrant lock around the connection.
Separate stores (connections, threads, processes) on one file are serialised by SQLite itself:
every write transaction starts with ``BEGIN IMMEDIATE``, which takes the database's write lock
(waiting up to the busy timeout) before anything is read.

Erased episodes keep their row (id, times) but lose their text, speaker and metadata; they are
read back with the text :data:`ERASED_TEXT` (an :class:`~graph.models.Episode` cannot have empty
text) and never match a search. Erasure also merges the full-text indexes, so erased words leave
the index's pages, not only its results.

The package, by concern: ``store.py`` (:class:`SqliteStore`: connection, migrations, reads,
search), ``tx.py`` (the write transaction), ``rows.py`` (models to parameters and back, the
``find_versions`` statement), ``connect.py`` (opening a file, error translation) and ``sql/``
(every statement as a named file, loaded by :func:`asof.graph.sqlite.sql.load`).
"""

from asof.graph.adapter_helpers import ERASED_TEXT
from asof.graph.sqlite.connect import sqlite_path
from asof.graph.sqlite.store import SqliteStore

__all__ = ["ERASED_TEXT", "SqliteStore", "sqlite_path"]
