"""Every Cypher statement the Neo4j adapter runs, as named ``.cypher`` files.

``load("read/versions_by_subject")`` returns the text of ``cypher/read/versions_by_subject.cypher``.
Names are ``<area>/<name>``: ``read/`` (reads, outside or inside a write transaction),
``write/`` (statements of a write transaction), ``schema/`` (migrations ``NNNN_*.cypher``, run in
order by ``Neo4jStore.migrate``, and the bookkeeping statements that record them).

Rules the files follow (checked by ``tests/unit/test_cypher_files.py``):

- values are always ``$parameters``; nothing is ever spliced into a statement's text;
- labels and relationship types come from the closed sets :data:`LABELS` and
  :data:`RELATIONSHIPS`;
- every statement outside ``schema/`` mentions and filters on ``$tenant``. ``schema/`` is exempt:
  constraints, indexes and the ``(:SchemaMigration)`` records are global to the database, not to
  a tenant.

An unknown name is a programming error and fails loudly (:class:`KeyError` naming the known
ones), never a silent empty statement.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final, LiteralString

__all__ = ["LABELS", "RELATIONSHIPS", "SCHEMA_AREA", "load", "migrations", "names",
           "statements"]

#: Every node label a statement may use.
LABELS: Final = frozenset({
    "Episode", "Entity", "Alias", "Claim", "Fact", "AuditEvent", "AuditHead", "SchemaMigration",
    "Embedding",
})
#: Every relationship type a statement may use.
RELATIONSHIPS: Final = frozenset({"SUBJECT", "OBJECT", "SOURCE", "FROM"})

#: The area whose statements are global (exempt from the ``$tenant`` rule).
SCHEMA_AREA: Final = "schema"

_NAME = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+$")
_MIGRATION = re.compile(r"^\d{4}_[a-z0-9_]+$")


def _walk(folder: Traversable, prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                found.update(_walk(entry, f"{prefix}{entry.name}/"))
        elif entry.name.endswith(".cypher"):
            found[prefix + entry.name.removesuffix(".cypher")] = entry.read_text(encoding="utf-8")
    return found


@cache
def _catalogue() -> dict[str, str]:
    found = _walk(resources.files(__name__), "")
    if not found:
        raise RuntimeError(
            "no .cypher files found in the cypher package (is the package data "
            "'cypher/**/*.cypher' missing from the installation?)")
    return found


def names() -> list[str]:
    """Every statement name, sorted."""
    return sorted(_catalogue())


@cache
def load(name: str) -> LiteralString:
    """The text of statement ``name`` (e.g. ``"read/versions_by_subject"``).

    Raises:
        KeyError: no such statement (the message lists the known names of that area).
    """
    catalogue = _catalogue()
    if not isinstance(name, str) or not _NAME.match(name) or name not in catalogue:
        area = name.split("/", 1)[0] if isinstance(name, str) else ""
        known = [n for n in sorted(catalogue) if n.startswith(f"{area}/")] or sorted(catalogue)
        raise KeyError(f"unknown Cypher statement {name!r}; known: {', '.join(known)}")
    # The files ship with the package and are reviewed like code: their text is a constant
    # (LiteralString, as the driver asks for).
    text: LiteralString = catalogue[name].strip()
    return text


def statements(name: str) -> list[LiteralString]:
    """The statements of a multi-statement file (migrations): split at ``;`` ending a line.
    Comment lines (``//``) are dropped."""
    text = "\n".join(line for line in load(name).splitlines()
                     if not line.lstrip().startswith("//"))
    parts = re.split(r";\s*$", text, flags=re.MULTILINE)
    return [part.strip() for part in parts if part.strip()]


def migrations() -> list[str]:
    """The names of the schema migrations (``schema/NNNN_*``), in the order to apply them."""
    return sorted(n for n in _catalogue()
                  if n.startswith(f"{SCHEMA_AREA}/") and _MIGRATION.match(n.split("/", 1)[1]))
