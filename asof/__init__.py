"""asof: a temporal knowledge-graph memory store for AI agents.

``from asof import Memory`` is the front door (``AsyncMemory`` for asyncio). The layers are
subpackages: ``asof.graph`` (models, write rules, stores, audit), ``asof.extraction``
(conversation -> facts), ``asof.query`` (as-of views, ``ask``), ``asof.api`` (the facades, CLI,
REST, MCP, LangGraph store) and ``asof.cypher`` (named statements).

Importing ``asof`` is cheap: :class:`Memory` (and with it the language model's code) loads on
first use, so ``asof --version`` and ``import asof`` stay instant.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("asof")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from asof.api.async_memory import AsyncMemory
    from asof.api.memory import Memory

__all__ = ["AsyncMemory", "Memory", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Memory":
        from asof.api.memory import Memory

        return Memory
    if name == "AsyncMemory":
        from asof.api.async_memory import AsyncMemory

        return AsyncMemory
    raise AttributeError(f"module 'asof' has no attribute {name!r}")
