"""asof's interfaces: the Python facade (:class:`Memory`), the CLI and the REST API."""

from api.memory import Memory

__all__ = ["Memory"]
