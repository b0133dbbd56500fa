"""asof's interfaces: the Python facade (:class:`Memory`), the CLI and the REST API.

:class:`Memory` loads lazily, so importing the CLI does not pull in the extraction stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asof.api.memory import Memory

__all__ = ["Memory"]


def __getattr__(name: str) -> Any:
    if name == "Memory":
        from asof.api.memory import Memory

        return Memory
    raise AttributeError(f"module 'asof.api' has no attribute {name!r}")
