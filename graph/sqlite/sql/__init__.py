"""Every SQL statement the SQLite adapter runs, as named ``.sql`` files (as :mod:`asof.cypher`
holds the Neo4j adapter's).

``load("read/claims_by_id")`` returns the text of ``graph/sqlite/sql/read/claims_by_id.sql``.
Names are ``<area>/<name>``: ``read/`` (reads, outside or inside a write transaction),
``write/`` (statements of a write transaction), ``schema/`` (migrations ``NNNN_*.sql``, applied in
order by ``SqliteStore.migrate``, and the bookkeeping statements that record them) and
``fragment/`` (the pieces ``find_versions`` assembles its statement from: columns, joins and the
entity filter; the choice of index and the value filters are made in Python).

Rules the files follow (checked by ``tests/unit/test_sql_files.py``): values are always ``?``
parameters, lists of ids one JSON parameter expanded by ``json_each``; every statement outside
``schema/`` filters on ``tenant``. Full-line ``--`` comments are dropped by :func:`load`.

An unknown name is a programming error and fails loudly (:class:`KeyError` naming the known
ones), never a silent empty statement.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

__all__ = ["SCHEMA_AREA", "load", "migrations", "names", "statements"]

#: The area whose statements are global to the database (exempt from the ``tenant`` rule).
SCHEMA_AREA: Final = "schema"

_NAME = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+$")
_MIGRATION = re.compile(r"^\d{4}_[a-z0-9_]+$")


def _walk(folder: Traversable, prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                found.update(_walk(entry, f"{prefix}{entry.name}/"))
        elif entry.name.endswith(".sql"):
            found[prefix + entry.name.removesuffix(".sql")] = entry.read_text(encoding="utf-8")
    return found


@cache
def _catalogue() -> dict[str, str]:
    found = _walk(resources.files(__name__), "")
    if not found:
        raise RuntimeError(
            "no .sql files found in the asof.graph.sqlite.sql package (is the package data "
            "'graph/sqlite/sql/**/*.sql' missing from the installation?)")
    return found


def names() -> list[str]:
    """Every statement name, sorted."""
    return sorted(_catalogue())


@cache
def load(name: str) -> str:
    """The text of statement ``name`` (e.g. ``"read/claims_by_id"``), comment lines dropped.

    Raises:
        KeyError: no such statement (the message lists the known names of that area).
    """
    catalogue = _catalogue()
    if not isinstance(name, str) or not _NAME.match(name) or name not in catalogue:
        area = name.split("/", 1)[0] if isinstance(name, str) else ""
        known = [n for n in sorted(catalogue) if n.startswith(f"{area}/")] or sorted(catalogue)
        raise KeyError(f"unknown SQL statement {name!r}; known: {', '.join(known)}")
    return "\n".join(line for line in catalogue[name].splitlines()
                     if not line.lstrip().startswith("--")).strip()


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file (migrations), split where
    :func:`sqlite3.complete_statement` says one ends (it knows trigger bodies and string
    literals); a statement must end at the end of a line.

    Raises:
        RuntimeError: the file ends with an incomplete statement.
    """
    found = []
    buffer = ""
    for line in load(name).splitlines(keepends=True):
        buffer += line + ("" if line.endswith("\n") else "\n")
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"{name} ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return found


def migrations() -> list[str]:
    """The names of the schema migrations (``schema/NNNN_*``), in the order to apply them."""
    return sorted(n for n in _catalogue()
                  if n.startswith(f"{SCHEMA_AREA}/") and _MIGRATION.match(n.split("/", 1)[1]))
