"""One error shape for the whole service, and the map from each cause to one status.

Every non-SPARQL route answers errors as ``{"ok": false, "error": msg, "status": code}``
(:func:`json_error`). ``/sparql`` answers them as ``text/plain``, as SPARQL clients expect (the same
message). Causes map to statuses through small named handlers: bad query 400, no acceptable format 406,
timeout / busy / store trouble 503, anything unexpected 500 (logged with its traceback, never sent).
No message sent to a client contains a traceback or a filesystem path.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.errors import KgError, QueryError, StoreError
from server.executor import Busy, NotAcceptable, QueryFailed, QueryTimeout

log = logging.getLogger("kg.server")

#: Statuses that get our shape instead of werkzeug's HTML page.
HANDLED_STATUSES = (400, 403, 404, 405, 406, 408, 413, 415, 500, 503)


def json_error(status: int, message: str) -> Response:
    """The one JSON error response: ``{"ok": false, "error": message, "status": status}``."""
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    return response


def error_response(status: int, message: str) -> Response:
    """JSON for the API and pages; plain text for ``/sparql`` (what SPARQL clients show their users)."""
    if request.path.startswith("/sparql"):
        return Response(message + "\n", status=status, mimetype="text/plain")
    return json_error(status, message)


def _http(exc: HTTPException) -> Response:
    status = exc.code or 500
    message = exc.description if status != 500 else "internal server error"
    response = error_response(status, _plain(message or exc.name))
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _plain(message: str) -> str:
    """werkzeug's descriptions are written for HTML pages; keep the first sentence."""
    return message.replace("<p>", "").replace("</p>", "").strip()


def _query_error(exc: QueryError) -> Response:
    return error_response(400, str(exc))


def _timeout(exc: QueryTimeout) -> Response:
    return error_response(503, str(exc))


def _busy(exc: Busy) -> Response:
    response = error_response(503, str(exc))
    response.headers["Retry-After"] = "1"
    return response


def _not_acceptable(exc: NotAcceptable) -> Response:
    return error_response(406, str(exc))


def _failed(exc: QueryFailed) -> Response:
    return error_response(503, str(exc))


def _store(exc: StoreError) -> Response:
    log.error("store unavailable: %s", exc)
    return error_response(503, "the graph store is not available (has it been built?)")


def _user(exc: KgError) -> Response:
    log.warning("user error: %s", exc)
    return error_response(400, "bad request")


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http(exc)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal server error")


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    for status in HANDLED_STATUSES:
        app.register_error_handler(status, _http)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(QueryTimeout, _timeout)
    app.register_error_handler(Busy, _busy)
    app.register_error_handler(NotAcceptable, _not_acceptable)
    app.register_error_handler(QueryFailed, _failed)
    app.register_error_handler(StoreError, _store)
    app.register_error_handler(KgError, _user)
    app.register_error_handler(Exception, _unexpected)
