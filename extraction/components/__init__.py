"""asof's registered, versioned spaCy components (STYLE.md rule 10).

Importing this package registers the factories; a saved pipeline refers to them by name
(``asof_clauses_v1`` …), so a new behaviour gets a new version, never a changed meaning.
"""

from __future__ import annotations

from extraction.components import clauses, mentions, relations, times  # noqa: F401
from extraction.components.base import ensure_extensions

__all__ = ["ensure_extensions"]
