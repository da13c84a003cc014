"""Every setting of the service, declared once with its default and meaning.

Override with ``KG_<NAME>`` environment variables (values are parsed as JSON, so ``KG_MAX_ROWS=500`` is a
number) or with the mapping given to :func:`server.create_app` (``kg serve`` passes its options that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Every setting, once, with its default and meaning. Override with KG_<NAME> or the config mapping.
SETTINGS: dict[str, tuple[Any, str]] = {
    "STORE": (None, "store directory (DIR/current -> generations/G); None: $KG_STORE or ./kg-store"),
    "SPARQL_ENDPOINT": (None, "external SPARQL 1.1 endpoint URL to query instead of the store"),
    "QUERY_TIMEOUT": (10.0, "seconds a query may run before its worker is killed (HTTP 503)"),
    "MAX_ROWS": (10_000, "rows (or triples) per answer; more are cut and the cut is reported"),
    "MAX_BODY_BYTES": (1_000_000, "largest request body accepted (HTTP 413 beyond)"),
    "QUERY_WORKERS": (2, "worker processes that evaluate queries"),
    "MAX_CONCURRENT_QUERIES": (32, "queries running or waiting at once; more get HTTP 503 at once"),
    "MAX_CONCURRENT_EXPORTS": (2, "exports streaming at once (each reads a whole view); more get HTTP 503 at once"),
    "QUEUE_WAIT": (5.0, "seconds a query may wait for a free worker before HTTP 503 with Retry-After (a burst of "
                        "quick queries queues; behind slow ones a client hears at once, and waiting plus running "
                        "stays under QUEUE_WAIT + QUERY_TIMEOUT, inside a client's usual 30 s)"),
    "QUERY_MEMORY_MB": (2048, "address-space limit per query worker in MiB (0: none)"),
    "RELOAD_INTERVAL": (1.0, "seconds between checks of DIR/current for a newly published generation"),
    "UPDATE_TOKEN": (None, "bearer token that allows SPARQL Update on /sparql; None: updates refused"),
    "UPDATE_TIMEOUT": (60.0, "seconds an authorised update may run before it is killed"),
    "CORS_ORIGINS": ("*", "origins allowed by CORS: '*', a comma-separated list, or '' for none"),
    "HOST": ("127.0.0.1", "interface kg serve listens on"),
    "PORT": (8000, "port kg serve listens on (0: any free port)"),
    "THREADS": (16, "threads that run the app (HTTP itself is parsed in Rust); a query waiting for a worker "
                    "holds one, so there are enough to keep index answers and pages flowing meanwhile"),
}


def defaults() -> dict[str, Any]:
    """Setting name -> default value."""
    return {name: default for name, (default, _) in SETTINGS.items()}


def resolve(config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The settings in force: defaults, then ``KG_*`` environment variables, then ``config``.

    ``kg serve`` resolves them once in the server's main process (which binds the port) and hands the
    result to the worker process that builds the app, so both see the same values.
    """
    from flask import Config

    from kg import store as kg_store

    layered = Config(root_path=".")
    layered.from_mapping(defaults())
    layered.from_prefixed_env("KG")
    if config:
        layered.from_mapping(config)
    layered["STORE"] = str(layered["STORE"] or kg_store.default_store_path())
    for name in ("UPDATE_TOKEN", "SPARQL_ENDPOINT"):  # KG_* values are parsed as JSON: "123" would be an int
        if layered[name] is not None:
            layered[name] = str(layered[name])
    return dict(layered)
