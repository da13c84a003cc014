"""The HTTP face of papergraph: ``create_app(config)`` builds the Flask app; views stay thin.

``server.sparql`` answers /sparql (SPARQL 1.1 Protocol) as a small WSGI route in front of Flask; blueprints:
``server.api`` (/api/queries, /openapi.json), ``server.export`` (/export/<format>), ``server.health``
(/health), ``server.web`` (the web page at /). Every query runs through the
app's :class:`server.executor.QueryExecutor` (``app.extensions["kg.executor"]``), which owns the store,
the per-query timeout, the row cap and the concurrency cap.
"""

from __future__ import annotations

from server.app import create_app

__all__ = ["create_app"]
