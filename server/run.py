"""``kg serve``: the app under granian (HTTP in Rust, the WSGI app on Python threads), stopped cleanly by
SIGTERM or SIGINT.

Processes: granian's main process supervises; one worker process builds the app
(:func:`server.app.create_app`) and answers on THREADS threads while granian reads requests and writes
responses outside the GIL. The worker starts its query workers before the first request (so the first
query does not pay for it), prints where it listens once the port accepts connections, and stops its
query workers on its way out, so none outlives the server. A worker that crashes is started again.

The main process starts no thread of its own before it forks the worker: a fork taken while another
thread holds a lock (an import lock, say) leaves that lock held forever in the child.

One worker process, not several: each would have its own query workers and its own concurrency cap
(QUERY_WORKERS and MAX_CONCURRENT_QUERIES would silently multiply), and the query workers, not the
HTTP front, are what a heavy load needs more of.
"""

from __future__ import annotations

import logging
import multiprocessing.util
import socket
import threading
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from flask import Flask

from kg.errors import StoreError
from server.app import create_app
from server.settings import resolve

log = logging.getLogger("kg.server")

#: Seconds the worker gets to finish requests in flight after SIGTERM before it is killed.
STOP_SECONDS = 5
#: Seconds to wait for the port to accept a connection before printing the URL regardless.
ANNOUNCE_WAIT = 30.0
#: Where granian's and our log lines go: stderr (stdout carries the one "listening on" line).
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {"_granian": {"handlers": [], "propagate": True}},
}


def serve_forever(config: Mapping[str, Any]) -> None:
    """Serve until SIGTERM or SIGINT; prints the URL (port 0 picks a free port).

    :raises SystemExit: with status 1 when the worker keeps crashing.
    """
    from granian import Granian
    from granian.constants import Interfaces

    settings = resolve(config)
    settings["PORT"] = int(settings["PORT"]) or _free_port(str(settings["HOST"]))
    server = Granian(
        "server.run:app", address=str(settings["HOST"]), port=settings["PORT"], interface=Interfaces.WSGI,
        workers=1, blocking_threads=int(settings["THREADS"]), websockets=False, log_dictconfig=LOGGING,
        respawn_failed_workers=True, workers_kill_timeout=STOP_SECONDS,
    )
    server.serve(target_loader=partial(worker_app, settings), wrap_loader=False)


def worker_app(settings: Mapping[str, Any]) -> Flask:
    """The app as the worker process serves it: query workers started now, stopped at the process's exit.

    granian's worker leaves through :mod:`multiprocessing`'s exit path, which runs these finalizers
    (``atexit`` does not run there).
    """
    # One access-log line per request: leave out the LogRecord fields no format of ours (LOGGING) shows,
    # which the logging HOWTO lists as the cost to cut (thread, process and multiprocessing names).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    app = create_app(dict(settings))
    executor = app.extensions["kg.executor"]
    multiprocessing.util.Finalize(None, executor.close, exitpriority=10)
    try:
        executor.start()
    except StoreError as exc:
        log.warning("%s; /health answers 503 until a graph is published", exc)
    _announce(str(settings["HOST"]), int(settings["PORT"]), str(settings["SPARQL_ENDPOINT"] or settings["STORE"]))
    return app


def _announce(host: str, port: int, source: str) -> None:
    """Print the URL from a background thread as soon as the port accepts connections, so whoever
    reads the line can connect at once."""
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    line = f"papergraph listening on {url}/ (SPARQL endpoint {url}/sparql), serving {source}"

    def wait_and_print() -> None:
        deadline = time.monotonic() + ANNOUNCE_WAIT
        while time.monotonic() < deadline:  # an address this host cannot connect to gets the line anyway
            try:
                socket.create_connection((host, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.02)
        print(line, flush=True)  # noqa: T201 - the one line kg serve writes to stdout

    threading.Thread(target=wait_and_print, name="kg-announce", daemon=True).start()


def _free_port(host: str) -> int:
    """A port nobody listens on now (granian needs the number up front to share it with its worker)."""
    family = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
