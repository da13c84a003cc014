"""The web page: one HTML shell for every page, plain JavaScript modules that call the JSON API.

Pages are addressable (``/entity?iri=``, ``/leaderboard?benchmark=``, ``/search?q=``, ``/editor``,
``/graph?iri=``) so links can be shared; each serves the same shell and ``app.js`` renders the page
for the path. Assets live in ``server/static`` and are served from ``/assets`` (nothing comes from a
CDN). The shell is static, so it is cached like the assets, and it names no data: all text comes from
the API and is inserted as text, never as HTML.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"

bp = Blueprint("web", __name__, static_folder=str(STATIC), static_url_path="/assets")

#: Paths rendered by the single-page app (each answers the same shell).
PAGES = ("/", "/entity", "/leaderboard", "/search", "/editor", "/graph")


def shell() -> Response:
    """The HTML shell; the script decides what to show from ``location``."""
    response = send_from_directory(STATIC, "index.html", mimetype="text/html", max_age=0)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


for _path in PAGES:
    bp.add_url_rule(_path, endpoint="page" + _path.replace("/", "_"), view_func=shell, methods=["GET"])
