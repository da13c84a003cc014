"""``/health``: is the service answering, which generation it serves, and how big the graph is.

Counting scans the store (``len(store)``), which takes seconds on a big graph, so counts are computed
in the background (in a query worker, once per generation) and /health waits for them only briefly:
a probe always gets an answer at once, with ``"counting": true`` while fresh counts are on their way.
Only the generation's name is shown, never a filesystem path.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

bp = Blueprint("health", __name__)

#: How long /health waits for counts before answering without them.
WAIT = 2.0
#: How long counting may take in the background.
COUNT_TIMEOUT = 600.0


class _Counter:
    """One background count at a time; keeps the latest result (or the error it ended with)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self.latest: dict[str, Any] | None = None
        self.error: Exception | None = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def current(self, wait: float) -> tuple[dict[str, Any] | None, bool]:
        """``(latest counts or None, still counting)``; re-raises the error of a count that failed."""
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._count, name="kg-health-count", daemon=True)
                self.thread.start()
            thread = self.thread
        thread.join(wait)
        if self.error is not None and not thread.is_alive():
            error, self.error = self.error, None
            raise error
        return self.latest, thread.is_alive()

    def _count(self) -> None:
        try:
            self.latest = self.executor.stats(timeout=COUNT_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - handed to the request thread, which raises it
            self.error = exc


@bp.get("/health")
def health() -> Response:
    executor = current_app.extensions["kg.executor"]
    counter = current_app.extensions.setdefault("kg.health", _Counter(executor))
    stats, counting = counter.current(WAIT)
    stats = stats or {}
    switched = stats.get("switched_at")
    return jsonify({
        "ok": True,
        "backend": executor.backend,
        "generation": stats.get("generation"),
        "generation_switched_at": (
            datetime.fromtimestamp(switched, UTC).isoformat(timespec="seconds") if switched else None
        ),
        "quads": stats.get("quads"),
        "papers": stats.get("papers"),
        "counting": counting,
        "query_timeout": executor.timeout,
        "max_rows": executor.max_rows,
    })
