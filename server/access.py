"""The access log: one line per request (method, path, status, duration), for every route."""

from __future__ import annotations

import logging
import time

access_log = logging.getLogger("kg.access")


def log_access(method: str, path: str, status: int, started: float | None) -> None:
    """Log one request; ``started`` is its ``time.perf_counter()`` at arrival (None: unknown)."""
    duration = (time.perf_counter() - started) * 1000 if started else 0.0
    access_log.info("%s %s %d %.1fms", method, path, status, duration)
