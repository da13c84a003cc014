"""``create_app(config)``: settings in three layers (defaults from :mod:`server.settings`, ``KG_*``
environment variables, the mapping), the query executor, the blueprints, one error shape, CORS and one
access-log line per request.

``/sparql`` is answered by :class:`server.sparql.SparqlRoute`, a small WSGI handler wrapped around
Flask's ``wsgi_app`` (so the test client and granian both go through it): it is the endpoint SPARQL
clients hammer, and Flask's per-request machinery cost more than the rest of an ``ASK {}``. It applies
the same error map, CORS policy and access log as the Flask routes.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, request

from server import errors
from server.access import log_access
from server.cors import Cors
from server.executor import make_executor
from server.settings import resolve
from server.sparql import SparqlRoute

#: Blueprints written elsewhere; registered when their module exists.
OPTIONAL_BLUEPRINTS = ("server.api", "server.web", "server.export")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` (e.g. from ``kg serve`` or a test) wins over ``KG_*`` variables.

    Query workers start on the first query; call ``app.extensions["kg.executor"].close()`` to stop them.
    """
    app = Flask(__name__)
    app.config.from_mapping(resolve(config))
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])
    app.config["MAX_FORM_MEMORY_SIZE"] = int(app.config["MAX_BODY_BYTES"])
    app.json.sort_keys = False  # type: ignore[attr-defined]

    executor = app.extensions["kg.executor"] = make_executor(app.config)
    cors = app.extensions["kg.cors"] = Cors(str(app.config.get("CORS_ORIGINS") or ""))
    errors.register(app)
    _register_blueprints(app)
    app.before_request(_start_timer)
    app.after_request(_cors)
    app.after_request(_access_log)
    app.wsgi_app = SparqlRoute(app.wsgi_app, executor, app.config, cors)  # type: ignore[method-assign]
    return app


def _register_blueprints(app: Flask) -> None:
    from server.health import bp as health_bp

    app.register_blueprint(health_bp)
    for name in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(name) is not None:
            app.register_blueprint(importlib.import_module(name).bp)


def _start_timer() -> None:
    g.kg_started = time.perf_counter()


def _access_log(response: Response) -> Response:
    log_access(request.method, request.path, response.status_code, g.get("kg_started"))
    return response


def _cors(response: Response) -> Response:
    """CORS headers by the app's policy (:mod:`server.cors`)."""
    from flask import current_app

    cors: Cors = current_app.extensions["kg.cors"]
    added, varies = cors.headers(request.headers.get("Origin"), request.method,
                                 request.headers.get("Access-Control-Request-Headers"))
    for name, value in added:
        response.headers[name] = value
    if varies:
        response.vary.add("Origin")
    return response
