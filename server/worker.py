"""What runs inside a query worker process: open the published generation read-only, evaluate, serialize.

pyoxigraph cannot cancel a running query, so every query runs here, in a process the server can SIGKILL
when the query's time is up. A worker keeps its read-only ``Store`` open between queries (opening is the
slow part) and reopens when the server names a newer generation, so a rebuild is picked up without a
failed request. Results are cut at the row cap *here*, while they are serialized (which also stops the
evaluation), so a huge answer never crosses the pipe; the reply says whether it was cut.

Requests and replies are plain tuples and dicts, pickled (see :func:`handle`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import resource
import signal
import threading
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, cast

import pyoxigraph as ox

from kg.errors import QueryError
from server import formats, sandbox

#: The class whose instances /health counts as papers.
PAPER_CLASS = "https://w3id.org/papergraph/ontology#Paper"
_COUNT_PAPERS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{PAPER_CLASS}> }}"

Reply = tuple[Any, ...]
#: Clients send the same few Accept headers over and over, and parsing one costs more than a trivial
#: query; the choice depends on nothing else, so it is kept (for at most this many distinct headers).
_negotiate = lru_cache(maxsize=256)(formats.negotiate)


class _State:
    """The worker's open store and which generation it is."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.store: ox.Store | None = None

    def store_for(self, path: str) -> ox.Store:
        if self.store is None or path != self.path:
            self.store = None  # release the old handle before opening the new one
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store


def main(conn: Connection, memory_mb: int) -> None:
    """Serve requests from ``conn`` until the server closes it (or kills this process)."""
    # Ctrl-C in a terminal reaches every process of the group; the server decides when workers end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_server()
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    state = _State()
    while True:
        try:
            request = pickle.loads(conn.recv_bytes())  # noqa: S301 - from the server that started us
        except (EOFError, OSError):
            return
        conn.send_bytes(pickle.dumps(handle(state, request), pickle.HIGHEST_PROTOCOL))


def _exit_with_server() -> None:
    """End this process as soon as the server process that started it ends, however it ends.

    An idle worker sees the pipe close, but a query still running when the server was killed (a stop
    that ran out of time, the OOM killer) would run on unwatched: this process is the forkserver's
    child, so nothing else ties it to the server. Evaluation releases the GIL, so the watch runs.
    """
    server = multiprocessing.parent_process()
    if server is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([server.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="kg-server-watch", daemon=True).start()


def handle(state: _State, request: dict[str, Any]) -> Reply:
    """``("ok", payload)`` or ``("error", kind, message)`` with kind in query / accept / store / internal."""
    try:
        store = state.store_for(request["generation"])
    except OSError as exc:
        return ("error", "store", f"cannot open generation {request['generation']}: {exc}")
    try:
        if request["op"] == "open":
            return ("ok", {})
        if request["op"] == "stats":
            return ("ok", _stats(store))
        sandbox.check(request["sparql"])
        results = store.query(request["sparql"], **_query_args(request))
        if request["op"] == "select":
            return ("ok", select_payload(results, request["max_rows"]))
        return _serialized(results, request)
    except QueryError as exc:
        return ("error", "query", str(exc))
    except (SyntaxError, ValueError, TypeError, RuntimeError) as exc:
        return ("error", "query", _first_line(exc))
    except OSError as exc:
        return ("error", "store", str(exc))
    except MemoryError:
        return ("error", "memory", "the query needed more memory than a query may use")


def _query_args(request: dict[str, Any]) -> dict[str, Any]:
    """pyoxigraph keyword arguments: bound variables and the dataset (the union default graph unless given)."""
    args: dict[str, Any] = {"base_iri": request.get("base_iri")}
    if request.get("substitutions"):
        args["substitutions"] = {ox.Variable(name): term for name, term in request["substitutions"].items()}
    default, named = request.get("default_graphs"), request.get("named_graphs")
    if default is None and named is None:
        args["use_default_graph_as_union"] = True
    else:
        # SPARQL 1.1 Protocol: a dataset given by the request replaces the whole dataset.
        args["default_graph"] = [ox.NamedNode(iri) for iri in default or []]
        args["named_graphs"] = [ox.NamedNode(iri) for iri in named or []]
    return args


def _stats(store: ox.Store) -> dict[str, int]:
    solutions = cast(ox.QuerySolutions, store.query(_COUNT_PAPERS, use_default_graph_as_union=True))
    papers = next(iter(solutions))["n"]
    return {"quads": len(store), "papers": int(papers.value) if papers is not None else 0}


def _serialized(results: Any, request: dict[str, Any]) -> Reply:
    """Negotiate against the query's form, cut at the row cap, serialize."""
    kind: formats.Kind = "graph" if isinstance(results, ox.QueryTriples) else "results"
    chosen = _negotiate(kind, request.get("accept"), request.get("hint"))
    if chosen is None:
        return ("error", "accept", kind)
    media_type, fmt = chosen
    body, count, truncated = serialize_capped(results, fmt, request["max_rows"])
    return ("ok", {"body": body, "media_type": media_type, "kind": kind, "count": count, "truncated": truncated,
                   "boolean": isinstance(results, ox.QueryBoolean)})


def serialize_capped(results: Any, fmt: formats.Format, max_rows: int) -> tuple[bytes, int, bool]:
    """``(body, rows written, truncated)`` for solutions, a boolean or triples (also used for remote answers).

    Solutions and triples are first written natively as TSV / N-Triples (one row per line) into a writer
    that stops pyoxigraph after ``max_rows`` lines, which also stops the query's evaluation there; the
    capped text is then converted to the wanted format, again natively.
    """
    if isinstance(results, ox.QueryBoolean):
        return results.serialize(format=cast(ox.QueryResultsFormat, fmt)) or b"", 1, False
    if isinstance(results, ox.QuerySolutions):
        tsv, truncated = capped_lines(results, ox.QueryResultsFormat.TSV, max_rows + 1)  # + the header line
        count = tsv.count(b"\n") - 1
        if fmt == ox.QueryResultsFormat.TSV:
            return tsv, count, truncated
        parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        return parsed.serialize(format=cast(ox.QueryResultsFormat, fmt)) or b"", count, truncated
    if isinstance(results, ox.QueryTriples):
        lines, truncated = capped_lines(results, ox.RdfFormat.N_TRIPLES, max_rows)
        if fmt == ox.RdfFormat.N_TRIPLES:
            return lines, lines.count(b"\n"), truncated
        triples = [quad.triple for quad in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)]
    else:  # any iterable of triples (a remote endpoint's graph)
        triples, truncated = _take(results, max_rows)
    return ox.serialize(triples, format=cast(ox.RdfFormat, fmt)) or b"", len(triples), truncated


class _Enough(Exception):
    """Raised from inside pyoxigraph's serializer once the cap is reached; ends the evaluation there."""


class _LineCap:
    """A binary writer that keeps the first ``limit`` lines and stops the writing after them."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lines = limit, 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        count = data.count(b"\n")
        if self.lines + count > self.limit:
            end = -1
            for _ in range(self.limit - self.lines):
                end = data.index(b"\n", end + 1)
            self.chunks.append(bytes(data[: end + 1]))
            self.lines = self.limit
            raise _Enough
        self.chunks.append(bytes(data))
        self.lines += count
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def capped_lines(results: Any, fmt: Any, limit: int) -> tuple[bytes, bool]:
    """Serialize ``results`` in a line-per-row format, keeping ``limit`` lines: ``(text, whether cut)``."""
    writer = _LineCap(limit)
    try:
        results.serialize(writer, format=fmt)
    except _Enough:
        return b"".join(writer.chunks), True
    return b"".join(writer.chunks), False


def select_payload(results: Any, max_rows: int) -> dict[str, Any]:
    """What ``select`` sends back: solutions as capped TSV (cheap to send, parsed natively by the receiver)."""
    if isinstance(results, ox.QueryBoolean):
        boolean = ox.Literal("true" if results else "false", datatype=ox.NamedNode(formats.XSD_BOOLEAN))
        return {"columns": ["boolean"], "rows": [[boolean]], "truncated": False}
    if isinstance(results, ox.QuerySolutions):
        tsv, truncated = capped_lines(results, ox.QueryResultsFormat.TSV, max_rows + 1)
        return {"columns": [v.value for v in results.variables], "tsv": tsv, "truncated": truncated}
    triples, truncated = _take(results, max_rows)
    return {"columns": ["subject", "predicate", "object"],
            "rows": [[t.subject, t.predicate, t.object] for t in triples], "truncated": truncated}


def rows_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """``{"columns", "rows", "truncated"}`` with rows as lists of pyoxigraph terms (None when unbound)."""
    tsv = payload.pop("tsv", None)
    if tsv is not None:
        solutions = cast(ox.QuerySolutions, ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV))
        payload["rows"] = [list(solution) for solution in solutions]
    return payload


def _take(items: Iterable[Any], max_rows: int) -> tuple[list[Any], bool]:
    """At most ``max_rows`` items, and whether there were more."""
    taken = list(islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def _first_line(exc: BaseException) -> str:
    """pyoxigraph's message without anything after the first line (never a traceback)."""
    text = str(exc.args[0]) if exc.args else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
