"""``GET /export/<format>``: the same exports as ``kg export``, streamed as a download.

Query arguments: ``view`` (default ``entities``), ``query`` (a canned query; its parameters are all the
other arguments), ``sparql`` (a CONSTRUCT), ``entity`` and ``depth`` (a neighbourhood), ``dynamic=1``
(GEXF timeline). Unknown format, view, entity or canned query -> 404; a bad argument or query -> 400;
both in the service's one JSON error shape.

An export reads a whole view and runs in the web process, so at most ``MAX_CONCURRENT_EXPORTS`` stream at
once; one more gets a quick 503 with ``Retry-After`` rather than a request thread the API needs. The slot is
held until the download ends or the client goes away (the WSGI server closes the response).

The store is opened read-only per request: an export reads the whole graph once, so the open is cheap
next to the work, and it always sees the generation published last. Views, neighbourhoods and canned
queries are our own bounded queries and run here. A ``sparql`` CONSTRUCT is code from the client, so it is
evaluated like any ``/sparql`` query: in a query worker, under the timeout, the row (triple) cap and the
sandbox that refuses ``SERVICE`` and ``LOAD``; its triples come back as N-Triples and are shaped here.
A cut answer is reported in ``X-Result-Truncated``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request, stream_with_context

from kg import store as kg_store
from kg.errors import QueryError, UnknownQuery
from kg.export import FORMATS, UnknownEntity, UnknownFormat, UnknownView, export_to_stream
from kg.queries import with_prefixes
from server.executor import NotAcceptable

bp = Blueprint("export", __name__)

#: Arguments of the route itself; any other argument is a parameter of the canned query.
RESERVED = frozenset({"view", "query", "sparql", "entity", "depth", "dynamic"})
_TRUE = frozenset({"1", "true", "yes", "on"})


def _error(status: int, message: str) -> Response:
    from server.errors import json_error

    return json_error(status, message)


@bp.get("/export/<fmt>")
def export(fmt: str) -> Response:
    """Stream an export as an attachment (see the module docstring for the arguments)."""
    if fmt not in FORMATS:
        return _error(404, f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    args = request.args
    try:
        depth = int(args.get("depth", "1"))
    except ValueError:
        return _error(400, "depth must be an integer (1-3)")
    params = {key: value for key, value in args.items() if key not in RESERVED}
    release = _take_slot()
    if release is None:
        response = _error(503, f"{current_app.config['MAX_CONCURRENT_EXPORTS']} exports are running; "
                               "retry in a few seconds")
        response.headers["Retry-After"] = "5"
        return response
    try:
        triples, truncated = _constructed(args["sparql"]) if args.get("sparql") else (None, False)
        store = kg_store.open_read(current_app.config["STORE"])
        stream = export_to_stream(
            store, fmt, view=args.get("view") or "entities", canned=args.get("query") or None, params=params,
            entity=args.get("entity") or None, depth=depth, dynamic=args.get("dynamic", "").lower() in _TRUE,
            triples=triples,
        )
    except (UnknownFormat, UnknownView, UnknownEntity, UnknownQuery) as exc:
        release()
        return _error(404, str(exc))
    except QueryError as exc:
        release()
        return _error(400, str(exc))
    except BaseException:
        release()
        raise
    response = Response(stream_with_context(stream.chunks), mimetype=stream.media_type)
    response.call_on_close(release)
    response.headers["Content-Disposition"] = f'attachment; filename="{stream.filename}"'
    response.headers["X-Result-Truncated"] = "true" if truncated else "false"
    if stream.nodes is not None:
        response.headers["X-Graph-Nodes"] = str(stream.nodes)
        response.headers["X-Graph-Edges"] = str(stream.edges)
    return response


def _take_slot() -> Callable[[], None] | None:
    """One of the ``MAX_CONCURRENT_EXPORTS`` export slots, as a release function (safe to call twice), or None."""
    slots = current_app.extensions.get("kg.export_slots")
    if slots is None:
        slots = current_app.extensions.setdefault(
            "kg.export_slots", threading.BoundedSemaphore(max(1, int(current_app.config["MAX_CONCURRENT_EXPORTS"]))))
    if not slots.acquire(blocking=False):
        return None
    once = threading.Lock()

    def release() -> None:
        if once.acquire(blocking=False):
            slots.release()

    return release


def _constructed(sparql: str) -> tuple[list[ox.Triple], bool]:
    """A client's CONSTRUCT, answered by the query executor (sandbox, timeout, triple cap), as triples.

    :raises QueryError: bad SPARQL, ``SERVICE``/``LOAD``, or a query that is not a CONSTRUCT/DESCRIBE.
    :raises server.executor.QueryTimeout: out of time (503, like ``/sparql``).
    """
    executor = current_app.extensions["kg.executor"]
    try:
        outcome = executor.run(with_prefixes(sparql), accept="application/n-triples")
    except NotAcceptable:
        raise QueryError("sparql must be a CONSTRUCT (or DESCRIBE) query") from None
    triples = [quad.triple for quad in ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)]
    return triples, outcome.truncated
