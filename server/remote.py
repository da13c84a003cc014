"""``kg serve --sparql-endpoint URL``: the same executor interface, answered by an external SPARQL 1.1
endpoint (Oxigraph server, Fuseki, QLever, GraphDB) instead of the embedded store.

Queries are forwarded over HTTP (POST, form-encoded) asking for formats pyoxigraph can parse; the
answer is parsed, cut at the row cap and re-serialized in the format the client negotiated, so
clients see the same behaviour as with the embedded store. Bound variables become a trailing
``VALUES`` clause (the terms written by pyoxigraph, never pasted user text). The remote computation
cannot be cancelled from here: on timeout the client gets a 503 and the connection is dropped;
configure the endpoint's own timeout too (``oxigraph serve --timeout-s``). Updates are not forwarded.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from server import formats, sandbox
from server.executor import DEFAULTS, Admission, QueryFailed, QueryOutcome, QueryTimeout, SelectOutcome
from server.worker import rows_from_payload, select_payload, serialize_capped

#: Asked of the endpoint: SPARQL results JSON for SELECT/ASK, N-Triples (or Turtle) for graphs.
UPSTREAM_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
#: The largest answer read from the endpoint (the row cap applies after parsing).
MAX_UPSTREAM_BYTES = 64 * 1024 * 1024
_COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_COUNT_PAPERS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { { ?p a <%s> } UNION { GRAPH ?g { ?p a <%s> } } }"
STATS_TTL = 30.0


class RemoteExecutor:
    """Forwards queries to ``endpoint``, with the same limits and answers as :class:`QueryExecutor`."""

    backend = "remote"

    def __init__(self, endpoint: str, config: Mapping[str, Any] | None = None) -> None:
        settings = {**DEFAULTS, **{k: v for k, v in (config or {}).items() if k in DEFAULTS}}
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"--sparql-endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = float(settings["QUERY_TIMEOUT"])
        self.max_rows = int(settings["MAX_ROWS"])
        self._admission = Admission(int(settings["MAX_CONCURRENT_QUERIES"]))
        self._stats: tuple[float, dict[str, int]] | None = None

    def run(self, sparql: str, accept: str | None = "application/sparql-results+json",
            substitutions: Mapping[Any, Any] | None = None, default_graph_uris: list[str] | None = None,
            named_graph_uris: list[str] | None = None, timeout: float | None = None, *,
            hint: str | None = None, max_rows: int | None = None, base_iri: str | None = None) -> QueryOutcome:
        """Same contract as :meth:`server.executor.QueryExecutor.run`."""
        from server.executor import NotAcceptable

        started = time.monotonic()
        results = self._fetch(sparql, substitutions, default_graph_uris, named_graph_uris, timeout)
        kind: formats.Kind = "results" if isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)) else "graph"
        chosen = formats.negotiate(kind, accept, hint)
        if chosen is None:
            raise NotAcceptable(formats.acceptable_types(kind))
        media_type, fmt = chosen
        body, count, truncated = serialize_capped(results, fmt, self.row_cap(max_rows))
        return QueryOutcome(body=body, media_type=media_type, content_type=formats.content_type(media_type),
                            kind=kind, count=count, truncated=truncated, elapsed=time.monotonic() - started,
                            boolean=isinstance(results, ox.QueryBoolean))

    def row_cap(self, requested: int | None) -> int:
        """The rows a call may return: the configured MAX_ROWS, or fewer when the caller asks for fewer."""
        return self.max_rows if requested is None else max(0, min(int(requested), self.max_rows))

    def select(self, sparql: str, substitutions: Mapping[Any, Any] | None = None, max_rows: int | None = None,
               timeout: float | None = None, default_graph_uris: list[str] | None = None,
               named_graph_uris: list[str] | None = None) -> SelectOutcome:
        results = self._fetch(sparql, substitutions, default_graph_uris, named_graph_uris, timeout)
        return SelectOutcome(**rows_from_payload(select_payload(results, self.row_cap(max_rows))))

    def stats(self, timeout: float | None = None) -> dict[str, Any]:
        """Counts as the endpoint reports them, cached for a while (they scan the endpoint's data)."""
        from server.worker import PAPER_CLASS

        if self._stats is None or time.monotonic() - self._stats[0] > STATS_TTL:
            counts = {}
            for key, query in (("quads", _COUNT_QUADS), ("papers", _COUNT_PAPERS % (PAPER_CLASS, PAPER_CLASS))):
                rows = self.select(query, timeout=timeout).rows
                counts[key] = int(rows[0][0].value) if rows and rows[0][0] is not None else 0
            self._stats = (time.monotonic(), counts)
        return {**self._stats[1], "generation": "remote", "switched_at": None}

    def start(self) -> None:
        """Nothing to start: the endpoint is someone else's process."""

    def close(self) -> None:
        """Nothing to stop."""

    def worker_pids(self) -> list[int]:
        return []

    def _fetch(self, sparql: str, substitutions: Mapping[Any, Any] | None, default: list[str] | None,
               named: list[str] | None, timeout: float | None) -> Any:
        """Ask the endpoint and parse its answer into pyoxigraph results (solutions, boolean or triples)."""
        sandbox.check(sparql)
        if substitutions:
            sparql = sparql + "\n" + values_clause(substitutions)
        params = [("query", sparql)] + [("default-graph-uri", g) for g in default or []] + \
            [("named-graph-uri", g) for g in named or []]
        seconds = self.timeout if timeout is None else float(timeout)
        with self._admission:
            media_type, body = self._post(urlencode(params).encode("utf-8"), seconds)
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                return ox.parse_query_results(body, results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return (quad.triple for quad in ox.parse(body, format=rdf_format))
        except SyntaxError:
            pass
        raise QueryFailed("the SPARQL endpoint sent an answer that could not be read")

    def _post(self, data: bytes, seconds: float) -> tuple[str, bytes]:
        deadline = time.monotonic() + seconds
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": UPSTREAM_ACCEPT}
        # S310: the URL is the operator's SPARQL_ENDPOINT setting (checked to be http/https), never request data.
        request = urllib.request.Request(self.endpoint, data=data, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=seconds) as response:  # noqa: S310
                chunks, size = [], 0
                while chunk := response.read(65536):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_UPSTREAM_BYTES:
                        raise QueryFailed("the SPARQL endpoint's answer is too large")
                    if time.monotonic() > deadline:
                        raise QueryTimeout(seconds)
                return response.headers.get_content_type(), b"".join(chunks)
        except urllib.error.HTTPError as exc:
            message = exc.read(2000).decode("utf-8", "replace").strip().splitlines()
            if 400 <= exc.code < 500:
                refused = f"the SPARQL endpoint refused the query ({exc.code})"
                raise QueryError(message[0] if message else refused) from None
            raise QueryFailed(f"the SPARQL endpoint failed ({exc.code})") from None
        except TimeoutError:
            raise QueryTimeout(seconds) from None
        except (urllib.error.URLError, OSError):
            raise QueryFailed("the SPARQL endpoint is not reachable") from None


def values_clause(substitutions: Mapping[Any, Any]) -> str:
    """``VALUES (?a ?b) { (term term) }`` from variable -> pyoxigraph term (terms written by pyoxigraph)."""
    names = [getattr(key, "value", str(key)) for key in substitutions]
    for name in names:
        try:
            ox.Variable(name)
        except ValueError:
            raise QueryError(f"not a variable name: {name!r}") from None
    terms = " ".join(str(term) for term in substitutions.values())
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
