"""One error shape for the whole service, and the map from each cause to one status.

Every Flask route answers errors as ``{"ok": false, "error": msg, "status": code}`` (:func:`json_error`).
``/sparql`` (:mod:`server.sparql`, in front of Flask) answers the same statuses and messages as
``text/plain``, as SPARQL clients expect. Causes map to statuses through small named helpers, found by
:func:`describe` for both: bad query 400, no acceptable format 406, timeout / busy / store trouble 503,
anything unexpected 500 (logged with its traceback, never sent). No message sent to a client contains a
traceback or a filesystem path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.errors import KgError, QueryError, StoreError
from server.executor import Busy, NotAcceptable, QueryFailed, QueryTimeout

log = logging.getLogger("kg.server")

#: ``(status, message, extra headers)``: what a client is told about an error.
Described = tuple[int, str, tuple[tuple[str, str], ...]]


def json_error(status: int, message: str) -> Response:
    """The one JSON error response: ``{"ok": false, "error": message, "status": status}``."""
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    return response


def _http(exc: HTTPException, where: str) -> Described:
    status = exc.code or 500
    message = exc.description if status != 500 else "internal server error"
    allowed = getattr(exc, "valid_methods", None)
    headers = (("Allow", ", ".join(allowed)),) if status == 405 and allowed else ()
    return status, _plain(message or exc.name), headers


def _plain(message: str) -> str:
    """werkzeug's descriptions are written for HTML pages; keep the first sentence."""
    return message.replace("<p>", "").replace("</p>", "").strip()


def _query_error(exc: QueryError, where: str) -> Described:
    return 400, str(exc), ()


def _timeout(exc: QueryTimeout, where: str) -> Described:
    return 503, str(exc), ()


def _busy(exc: Busy, where: str) -> Described:
    return 503, str(exc), (("Retry-After", "1"),)


def _not_acceptable(exc: NotAcceptable, where: str) -> Described:
    return 406, str(exc), ()


def _failed(exc: QueryFailed, where: str) -> Described:
    return 503, str(exc), ()


def _store(exc: StoreError, where: str) -> Described:
    log.error("store unavailable: %s", exc)
    return 503, "the graph store is not available (has it been built?)", ()


def _user(exc: KgError, where: str) -> Described:
    log.warning("user error: %s", exc)
    return 400, "bad request", ()


def _unexpected(exc: BaseException, where: str) -> Described:
    log.error("unhandled error on %s", where, exc_info=exc)
    return 500, "internal server error", ()


#: Cause -> helper; :func:`describe` takes the most specific one along the exception's class hierarchy.
HANDLERS: dict[type[BaseException], Callable[[Any, str], Described]] = {
    HTTPException: _http,
    QueryError: _query_error,
    QueryTimeout: _timeout,
    Busy: _busy,
    NotAcceptable: _not_acceptable,
    QueryFailed: _failed,
    StoreError: _store,
    KgError: _user,
}


def describe(exc: BaseException, where: str) -> Described:
    """Status, client-safe message and extra headers for ``exc``; ``where`` (method and path) goes in the log."""
    for cause in type(exc).__mro__:
        handler = HANDLERS.get(cause)
        if handler is not None:
            return handler(exc, where)
    return _unexpected(exc, where)


def _flask_error(exc: Exception) -> Response:
    status, message, headers = describe(exc, f"{request.method} {request.path}")
    response = json_error(status, message)
    for name, value in headers:
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    """Install the handler on ``app``: every HTTP error and every exception a view lets out."""
    app.register_error_handler(HTTPException, _flask_error)
    app.register_error_handler(Exception, _flask_error)
