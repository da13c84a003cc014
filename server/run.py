"""``kg serve``: the app under waitress (a production WSGI server), with a clean stop on SIGTERM/SIGINT.

Query workers are started before the first request (so the first query does not pay for it) and
stopped on the way out, so no worker outlives the server.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Mapping
from types import FrameType
from typing import Any

from kg.errors import StoreError
from server.app import create_app

log = logging.getLogger("kg.server")


class _Stop(Exception):
    """Raised from the SIGTERM handler to leave waitress's loop."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve_forever(config: Mapping[str, Any]) -> None:
    """Serve until SIGTERM or SIGINT; prints the URL (port 0 picks a free port)."""
    from waitress.server import create_server

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    app = create_app(dict(config))
    executor = app.extensions["kg.executor"]
    body_limit = int(app.config["MAX_BODY_BYTES"])
    server = create_server(
        app, host=app.config["HOST"], port=int(app.config["PORT"]), threads=int(app.config["THREADS"]),
        # waitress refuses bodies beyond this before Flask sees them; Flask gives the JSON 413 below it.
        max_request_body_size=body_limit + 16 * 1024 * 1024, ident="papergraph", clear_untrusted_proxy_headers=True,
    )
    try:
        executor.start()
    except StoreError as exc:
        log.warning("%s; /health answers 503 until a graph is published", exc)
    source = app.config["SPARQL_ENDPOINT"] or app.config["STORE"]
    url = f"http://{server.effective_host}:{server.effective_port}"
    print(f"papergraph listening on {url}/ (SPARQL endpoint {url}/sparql), serving {source}", flush=True)  # noqa: T201
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        server.run()
    except (_Stop, KeyboardInterrupt):
        log.info("stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        task_dispatcher = getattr(server, "task_dispatcher", None)
        if task_dispatcher is not None:
            task_dispatcher.shutdown(timeout=5)
        executor.close()
