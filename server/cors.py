"""CORS for browser clients: the configured origins, preflight answers, our headers exposed.

One policy for the Flask routes (an ``after_request`` hook) and for ``/sparql`` (:mod:`server.sparql`,
which answers in front of Flask); the setting is parsed once, when the app is built.
"""

from __future__ import annotations

EXPOSED = "X-Result-Truncated, X-Result-Rows, Content-Type"
DEFAULT_ALLOW_HEADERS = "Accept, Content-Type, Authorization"


class Cors:
    """``CORS_ORIGINS``: ``*``, a comma-separated list of origins, or empty for none."""

    def __init__(self, setting: str) -> None:
        origins = {o.strip() for o in setting.split(",") if o.strip()}
        self.any = "*" in origins
        self.origins = frozenset(origins)

    def headers(self, origin: str | None, method: str,
                requested_headers: str | None) -> tuple[list[tuple[str, str]], bool]:
        """``(headers to add, whether the answer varies by Origin)`` for a request from ``origin``."""
        if not origin or not self.origins:
            return [], False
        if self.any:
            added, varies = [("Access-Control-Allow-Origin", "*")], False
        elif origin in self.origins:
            added, varies = [("Access-Control-Allow-Origin", origin)], True
        else:
            return [], False
        added.append(("Access-Control-Expose-Headers", EXPOSED))
        if method == "OPTIONS":
            added += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                      ("Access-Control-Allow-Headers", requested_headers or DEFAULT_ALLOW_HEADERS),
                      ("Access-Control-Max-Age", "600")]
        return added, varies
