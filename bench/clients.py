"""Concurrent HTTP clients on loopback: threads, one keep-alive ``http.client`` connection each.

A run is bounded twice: it stops issuing requests after ``seconds`` or ``max_requests`` (whichever
comes first), and every request has a ``timeout``. Requests already sent are waited for, so a slow
query is measured, not cut. Errors (non-2xx, timeouts, refused connections) are counted, never raised.
"""

from __future__ import annotations

import http.client
import itertools
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Call:
    """One HTTP request: method, path (with query string), body, headers, and a label for reports."""

    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    label: str = ""


@dataclass
class Outcome:
    """Latencies of the successful requests, errors by kind, rows answered, wall time of the run."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    rows: list[int | None] = field(default_factory=list)
    seconds: float = 0.0
    by_label: dict[str, list[float]] = field(default_factory=dict)
    answered_from: Counter[str] = field(default_factory=Counter)  #: our API's X-Answered-From header

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def sparql_get(query: str, accept: str = "application/sparql-results+json", label: str = "") -> Call:
    return Call("/sparql?" + urlencode({"query": query}), headers=(("Accept", accept),), label=label)


def sparql_post(query: str, accept: str = "application/sparql-results+json", label: str = "") -> Call:
    return Call("/sparql", method="POST", body=query.encode("utf-8"),
                headers=(("Content-Type", "application/sparql-query"), ("Accept", accept)), label=label)


def run(port: int, calls: Iterator[Call], clients: int, seconds: float, *, max_requests: int | None = None,
        timeout: float = 30.0, count_rows: Callable[[bytes, str], int | None] | None = None,
        path_prefix: str = "") -> Outcome:
    """Send ``calls`` (shared by all clients, taken in turn) to 127.0.0.1:``port`` from ``clients`` threads."""
    outcome = Outcome()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    issued = itertools.count()

    def next_call() -> Call | None:
        with lock:
            if time.perf_counter() >= deadline or (max_requests is not None and next(issued) >= max_requests):
                return None
            return next(calls, None)

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        while (call := next_call()) is not None:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            started = time.perf_counter()
            try:
                conn.request(call.method, path_prefix + call.path, body=call.body, headers=dict(call.headers))
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                status = response.status
                content_type = response.getheader("Content-Type", "")
                source = response.getheader("X-Answered-From", "")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    outcome.errors[type(exc).__name__] += 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            rows = count_rows(body, content_type) if count_rows and 200 <= status < 300 else None
            with lock:
                if 200 <= status < 300:
                    outcome.latencies.append(elapsed)
                    outcome.rows.append(rows)
                    outcome.by_label.setdefault(call.label, []).append(elapsed)
                    if source:
                        outcome.answered_from[source] += 1
                else:
                    outcome.errors[f"HTTP {status}"] += 1
        if conn is not None:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - started
    return outcome
