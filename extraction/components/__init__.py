"""asof's registered, versioned spaCy components (STYLE.md rule 10).

Importing this package registers the factories; a saved pipeline refers to them by name
(``asof_clauses_v1`` …), so a new behaviour gets a new version, never a changed meaning.
"""

from __future__ import annotations

from asof.extraction.components import (  # noqa: F401
    attributes,
    boundaries,
    clauses,
    mentions,
    relations,
    times,
)
from asof.extraction.components.base import ensure_extensions
from asof.extraction.tagger import component as _tagger  # noqa: F401  (asof_tagger_v1)

__all__ = ["ensure_extensions"]
