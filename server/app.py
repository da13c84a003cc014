"""``create_app(config)``: settings in three layers (defaults from :mod:`server.settings`, ``KG_*``
environment variables, the mapping), the query executor, the blueprints, one error shape, CORS and one
access-log line per request.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, request

from server import errors
from server.executor import make_executor
from server.settings import resolve

access_log = logging.getLogger("kg.access")

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

    app.extensions["kg.executor"] = make_executor(app.config)
    errors.register(app)
    _register_blueprints(app)
    app.before_request(_start_timer)
    app.after_request(_cors)
    app.after_request(_access_log)
    return app


def _register_blueprints(app: Flask) -> None:
    from server.health import bp as health_bp
    from server.sparql import bp as sparql_bp

    app.register_blueprint(sparql_bp)
    app.register_blueprint(health_bp)
    for name in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(name) is not None:
            app.register_blueprint(importlib.import_module(name).bp)


def _start_timer() -> None:
    g.kg_started = time.perf_counter()


def _access_log(response: Response) -> Response:
    """One line per request: method, path, status, duration."""
    started = g.get("kg_started")
    duration = (time.perf_counter() - started) * 1000 if started else 0.0
    access_log.info("%s %s %d %.1fms", request.method, request.path, response.status_code, duration)
    return response


def _cors(response: Response) -> Response:
    """CORS for browser clients: the configured origins, preflight answers, our headers exposed."""
    from flask import current_app

    origin = request.headers.get("Origin")
    setting = str(current_app.config.get("CORS_ORIGINS") or "").strip()
    if not origin or not setting:
        return response
    allowed = {o.strip() for o in setting.split(",") if o.strip()}
    if "*" in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return response
    response.headers["Access-Control-Expose-Headers"] = "X-Result-Truncated, X-Result-Rows, Content-Type"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type, Authorization")
        response.headers["Access-Control-Max-Age"] = "600"
    return response
