"""The REST routes, one module per concern: ``write``, ``read``, ``audit`` and ``health``."""
