"""Runs every query the service answers, with limits that actually stop work.

CONTRACT (other modules code against this; the implementation is filled in by the server owner):

    executor = app.extensions["kg.executor"]          # a QueryExecutor
    result = executor.run(
        sparql,                                        # query text (prefixes already added by the caller if wanted)
        accept="application/sparql-results+json",      # media type wanted (already negotiated by the caller)
        substitutions={"dataset": NamedNode(...)},     # variable name -> pyoxigraph term (bound, never pasted)
        default_graph_uris=None, named_graph_uris=None,
        timeout=None,                                  # seconds; None -> configured default
    )                                                  # -> QueryOutcome
    rows = executor.select(sparql, substitutions=..., max_rows=N)   # -> SelectOutcome(columns, rows, truncated)

Errors: kg.errors.QueryError (400: syntax, bad binding), QueryTimeout (503 + message), Busy (503: too many
concurrent queries), ResultTooLarge is never raised: rows beyond the cap are cut and ``truncated`` is True.

Additions to the contract:

- ``accept`` may also be a whole Accept header; the format is then chosen for the query's form
  (SELECT/ASK -> results formats, CONSTRUCT/DESCRIBE -> RDF formats, see :mod:`server.formats`), and
  :class:`NotAcceptable` (406) is raised when nothing fits. ``hint`` (``format=json``) wins over it.
- ``run(..., max_rows=N)`` / ``select(..., max_rows=N)`` lower the row cap for one call; they never raise it
  above the configured ``MAX_ROWS`` (``executor.max_rows``), and ``truncated`` says whether rows were cut;
  ``run(..., base_iri=IRI)`` resolves relative IRIs in the query (``/sparql`` passes its own URL).
- ``select`` on ASK gives ``columns == ["boolean"]``; on CONSTRUCT ``["subject", "predicate", "object"]``.
- ``executor.stats()`` -> ``{"quads", "papers", "generation", "switched_at"}`` (cached per generation).
- ``executor.update(text)`` applies a SPARQL Update as a new published generation (token checked by the caller).
- ``SERVICE`` and ``LOAD`` anywhere in the text raise QueryError, as does absurd nesting (:mod:`server.sandbox`).

Design: a few long-lived worker processes (:mod:`server.worker`) each hold the published generation open
read-only. A query takes an idle worker; if it has not answered when its time is up the worker is
SIGKILLed (the computation stops with it) and replaced in the background.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from kg import store as kg_store
from kg.errors import QueryError, StoreError
from server import formats
from server.pool import OutOfTime, Pool, WorkerDied, process_context
from server.settings import defaults
from server.worker import rows_from_payload

log = logging.getLogger("kg.executor")

STOPPED = "the query was stopped: it went beyond the memory or stack a query may use"


class QueryTimeout(Exception):
    """The query ran out of time and was stopped (HTTP 503)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query timed out after {seconds:g} s")


class Busy(Exception):
    """Too many queries at once, or the store is being written (HTTP 503, retry later)."""


class NotAcceptable(Exception):
    """No format the client accepts exists for this query's answer (HTTP 406)."""

    def __init__(self, offered: list[str]) -> None:
        self.offered = offered
        super().__init__("no acceptable format; this answer is available as " + ", ".join(offered))


class QueryFailed(Exception):
    """The store could not answer (HTTP 503); the message is safe to show, the detail is logged."""


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    media_type: str  #: e.g. ``application/sparql-results+json``
    content_type: str  #: header value, with charset for text types
    kind: str  #: ``results`` (SELECT/ASK) or ``graph`` (CONSTRUCT/DESCRIBE)
    count: int  #: rows or triples in ``body`` (1 for ASK)
    truncated: bool  #: True when rows beyond the cap were cut
    elapsed: float  #: seconds, including waiting for a worker
    boolean: bool = False  #: True for ASK


@dataclass(frozen=True)
class SelectOutcome:
    columns: list[str]
    rows: list[list[Any]]  #: pyoxigraph terms, None when unbound
    truncated: bool


DEFAULTS = defaults()


class Admission:
    """The cap on concurrent queries: beyond it a query is refused at once with :class:`Busy`.

    The free slots are tokens in a :class:`queue.SimpleQueue` (written in C): taking and returning one
    costs a fraction of a microsecond, where ``threading.BoundedSemaphore`` runs Python code under a
    Condition on every query.
    """

    def __init__(self, limit: int) -> None:
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(max(1, limit)):
            self._slots.put(None)

    def __enter__(self) -> None:
        try:
            self._slots.get_nowait()
        except queue.Empty:
            raise Busy("too many queries are running; try again shortly") from None

    def __exit__(self, *exc: object) -> None:
        self._slots.put(None)


def _names(substitutions: Mapping[Any, Any] | None) -> dict[str, Any]:
    """Accept variable names or pyoxigraph Variables as keys."""
    return {getattr(key, "value", str(key)): term for key, term in (substitutions or {}).items()}


class QueryExecutor:
    """Queries against the embedded store, each in a killable worker process."""

    backend = "embedded"

    def __init__(self, store_dir: str | os.PathLike[str], config: Mapping[str, Any] | None = None,
                 context: BaseContext | None = None) -> None:
        settings = {**DEFAULTS, **{k: v for k, v in (config or {}).items() if k in DEFAULTS}}
        self.store_dir = Path(store_dir)
        self.timeout = float(settings["QUERY_TIMEOUT"])
        self.max_rows = int(settings["MAX_ROWS"])
        self.reload_interval = float(settings["RELOAD_INTERVAL"])
        self.update_timeout = float(settings["UPDATE_TIMEOUT"])
        self._admission = Admission(int(settings["MAX_CONCURRENT_QUERIES"]))
        self._queue_wait = float(settings["QUEUE_WAIT"])
        self._context = context or process_context()
        self._pool = Pool(self._context, int(settings["QUERY_WORKERS"]), int(settings["QUERY_MEMORY_MB"]),
                          warmup=self._warmup_request)
        self._generation: tuple[str, float] | None = None  # (path, checked at)
        self._generation_lock = threading.Lock()
        self._stats: dict[str, Any] = {}

    # -- the contract --------------------------------------------------------------------------

    def run(self, sparql: str, accept: str | None = "application/sparql-results+json",
            substitutions: Mapping[Any, Any] | None = None, default_graph_uris: list[str] | None = None,
            named_graph_uris: list[str] | None = None, timeout: float | None = None, *,
            hint: str | None = None, max_rows: int | None = None, base_iri: str | None = None) -> QueryOutcome:
        """Evaluate and serialize one query.

        :raises QueryError: bad SPARQL, bad binding, SERVICE/LOAD.
        :raises QueryTimeout: out of time (the worker was killed).
        :raises Busy: too many concurrent queries.
        :raises NotAcceptable: nothing in ``accept`` fits the answer.
        """
        started = time.monotonic()
        request = {"op": "query", "sparql": sparql, "accept": accept, "hint": hint,
                   "substitutions": _names(substitutions), "default_graphs": default_graph_uris,
                   "named_graphs": named_graph_uris, "max_rows": self.row_cap(max_rows),
                   "base_iri": base_iri}
        payload = self._call(request, timeout)
        payload["content_type"] = formats.content_type(payload["media_type"])
        return QueryOutcome(elapsed=time.monotonic() - started, **payload)

    def row_cap(self, requested: int | None) -> int:
        """The rows a call may return: the configured MAX_ROWS, or fewer when the caller asks for fewer."""
        return self.max_rows if requested is None else max(0, min(int(requested), self.max_rows))

    def select(self, sparql: str, substitutions: Mapping[Any, Any] | None = None, max_rows: int | None = None,
               timeout: float | None = None, default_graph_uris: list[str] | None = None,
               named_graph_uris: list[str] | None = None) -> SelectOutcome:
        """Rows as pyoxigraph terms (for the JSON API), cut at ``max_rows`` (at most the configured cap)."""
        request = {"op": "select", "sparql": sparql, "substitutions": _names(substitutions),
                   "default_graphs": default_graph_uris, "named_graphs": named_graph_uris,
                   "max_rows": self.row_cap(max_rows)}
        return SelectOutcome(**rows_from_payload(self._call(request, timeout)))

    def stats(self, timeout: float | None = None) -> dict[str, Any]:
        """Size of the published graph, computed once per generation (``len(store)`` scans the store)."""
        path = self.generation_path()
        if self._stats.get("path") != path:
            counts = self._call({"op": "stats"}, timeout)
            self._stats = {"path": path, **counts}
        return {"quads": self._stats["quads"], "papers": self._stats["papers"],
                "generation": Path(path).name, "switched_at": self.switched_at()}

    def update(self, text: str, base_iri: str | None = None) -> str:
        """Apply a SPARQL Update to a copy of the graph and publish it as a new generation; returns its name.

        :raises QueryError: bad update syntax or SERVICE/LOAD.
        :raises Busy: another build holds the writer lock.
        :raises QueryTimeout: the update took longer than UPDATE_TIMEOUT (nothing is published).
        """
        from server.updates import apply_update

        name = apply_update(self._context, self.store_dir, text, self.update_timeout, base_iri)
        self._generation = None  # read your writes: the next query looks at the new link
        return name

    def worker_pids(self) -> list[int]:
        """Process ids of the query workers."""
        return self._pool.pids()

    def _warmup_request(self) -> dict[str, Any] | None:
        """Let a new worker open the store before its first query."""
        try:
            return {"op": "open", "generation": self.generation_path()}
        except StoreError:
            return None

    def start(self) -> None:
        """Start the workers now instead of on the first query."""
        self._pool.start()

    def close(self) -> None:
        """Stop the workers (also done at interpreter exit)."""
        self._pool.close()

    # -- generations ---------------------------------------------------------------------------

    def generation_path(self) -> str:
        """The published generation, re-read from the ``current`` link at most every RELOAD_INTERVAL.

        :raises StoreError: nothing has been built yet.
        """
        with self._generation_lock:
            now = time.monotonic()
            cached = self._generation
            if cached is None or now - cached[1] >= self.reload_interval:
                path = str(kg_store.current_generation(self.store_dir))
                if cached is None or cached[0] != path:
                    log.info("serving generation %s", Path(path).name)
                self._generation = cached = (path, now)
            return cached[0]

    def switched_at(self) -> float | None:
        """When ``current`` was last switched (its mtime), None for a plain Oxigraph directory."""
        link = self.store_dir / kg_store.CURRENT
        return link.lstat().st_mtime if link.is_symlink() else None

    def _call(self, request: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """Send ``request`` to a worker, with the admission cap, the timeout and one retry on a stale store.

        The worker runs :func:`server.sandbox.check` before evaluating, so even checking a huge text
        never costs the web server's own time.
        """
        seconds = self.timeout if timeout is None else float(timeout)
        with self._admission:
            for attempt in (1, 2):
                request["generation"] = self.generation_path()
                try:
                    reply = self._pool.call(request, seconds, self._queue_wait)
                except OutOfTime:
                    raise QueryTimeout(seconds) from None
                except queue.Empty:
                    raise Busy("all query workers are busy; try again shortly") from None
                except WorkerDied as exc:
                    log.error("query worker died: %s", exc)
                    raise QueryFailed(STOPPED) from None
                if reply[0] == "ok":
                    return dict(reply[1])
                kind, message = reply[1], reply[2]
                if kind == "store" and attempt == 1:
                    log.warning("store error, retrying on a fresh generation: %s", message)
                    self._generation = None
                    continue
                break
        return self._raise(kind, message)

    def _raise(self, kind: str, message: Any) -> dict[str, Any]:
        if kind == "query":
            raise QueryError(message)
        if kind == "accept":
            raise NotAcceptable(formats.acceptable_types(message))
        if kind == "memory":
            raise QueryFailed(message)
        log.error("store error: %s", message)
        raise QueryFailed("the store could not answer this query")


def make_executor(config: Mapping[str, Any]) -> Any:
    """A :class:`QueryExecutor` on STORE, or a RemoteExecutor when SPARQL_ENDPOINT is set."""
    if config.get("SPARQL_ENDPOINT"):
        from server.remote import RemoteExecutor

        return RemoteExecutor(str(config["SPARQL_ENDPOINT"]), config)
    return QueryExecutor(config.get("STORE") or kg_store.default_store_path(), config)
