"""``/sparql``: the SPARQL 1.1 Protocol (queries; updates only with the configured bearer token).

Queries come as GET ``?query=``, POST form-encoded or POST ``application/sparql-query``; the dataset
from ``default-graph-uri`` / ``named-graph-uri`` (default: the union of all graphs). Other parameters
are ignored, except ``format`` / ``output`` which some clients send as format hints. Parameters are
decoded strictly as UTF-8 (invalid bytes give 400, not replacement characters). Errors are text/plain.
A GET without a query answers the service description.

:class:`SparqlRoute` is a plain WSGI handler in front of the Flask app (everything but ``/sparql`` goes
on to Flask): Flask's contexts, routing, hooks and Response objects cost more CPU than the rest of an
``ASK {}`` together. It does what the Flask routes do around a view: the error map of
:mod:`server.errors`, the CORS policy of :mod:`server.cors`, one access-log line.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast
from urllib.parse import parse_qsl

import pyoxigraph as ox
from werkzeug.exceptions import BadRequest, Forbidden, MethodNotAllowed, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.http import HTTP_STATUS_CODES, parse_options_header
from werkzeug.sansio.utils import get_content_length, get_current_url, get_host

from kg.errors import QueryError
from server import errors, formats, sandbox
from server.access import log_access
from server.cors import Cors
from server.executor import NotAcceptable

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
PATHS = frozenset({"/sparql", "/sparql/"})
METHODS = ("GET", "HEAD", "OPTIONS", "POST")
TEXT = "text/plain; charset=utf-8"

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    vary: tuple[str, ...] = ()


class SparqlRoute:
    """``/sparql`` and ``/sparql/``; any other path goes to ``fallback`` (the Flask app)."""

    def __init__(self, fallback: WsgiApp, executor: Any, config: Mapping[str, Any], cors: Cors) -> None:
        self.fallback = fallback
        self.executor = executor
        self.max_body = int(config["MAX_BODY_BYTES"])
        token = config.get("UPDATE_TOKEN")
        self.token = str(token) if token and hasattr(executor, "update") else None
        self.cors = cors

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path not in PATHS:
            return self.fallback(environ, start_response)
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            reply = self._respond(environ, method)
        except Exception as exc:  # noqa: BLE001 - every error becomes its status, as on the Flask routes
            status, message, extra = errors.describe(exc, f"{method} {path}")
            reply = Reply(status, [("Content-Type", TEXT), *extra], (message + "\n").encode())
        added, varies = self.cors.headers(environ.get("HTTP_ORIGIN"), method,
                                          environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"))
        headers = reply.headers + added
        vary = reply.vary + ("Origin",) if varies else reply.vary
        if vary:
            headers.append(("Vary", ", ".join(vary)))
        if reply.status != 204:
            headers.append(("Content-Length", str(len(reply.body))))
        start_response(f"{reply.status} {HTTP_STATUS_CODES[reply.status]}", headers)
        log_access(method, path, reply.status, started)
        return [] if method == "HEAD" else [reply.body]

    def _respond(self, environ: Environ, method: str) -> Reply:
        if method == "OPTIONS":
            return Reply(200, [("Allow", ", ".join(METHODS)), ("Content-Type", TEXT)])
        if method not in METHODS:
            raise MethodNotAllowed(valid_methods=list(METHODS))
        params = _params(environ.get("QUERY_STRING", "").encode("latin-1"))
        body_query = body_update = None
        if method == "POST":
            mimetype, charset = _content_type(environ.get("CONTENT_TYPE", ""))
            if mimetype == FORM:
                params += _params(self._body(environ))
            elif mimetype in (QUERY_TYPE, UPDATE_TYPE):
                text = self._utf8_body(environ, charset)
                body_query, body_update = (text, None) if mimetype == QUERY_TYPE else (None, text)
            else:
                raise UnsupportedMediaType(f"POST needs Content-Type {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")
        queries = [v for k, v in params if k == "query"] + ([body_query] if body_query is not None else [])
        updates = [v for k, v in params if k == "update"] + ([body_update] if body_update is not None else [])
        if len(queries) + len(updates) > 1:
            raise BadRequest("send exactly one query or one update per request")
        hint = next((v for k, v in params if k in ("format", "output") and v), None)
        if updates:
            if method != "POST":
                raise BadRequest("updates must be sent with POST")
            return self._update(updates[0], params, environ)
        if not queries:
            return self._service_description(environ, hint)
        return self._query(queries[0], params, environ, hint)

    def _query(self, text: str, params: list[tuple[str, str]], environ: Environ, hint: str | None) -> Reply:
        executor = self.executor
        asked = sandbox.requested_limit(text)
        if asked is not None and asked > executor.max_rows:
            # Refused up front: answering with fewer rows than LIMIT asked for would look like the whole answer.
            raise QueryError(f"LIMIT {asked:,} is above this endpoint's row cap of {executor.max_rows:,}: "
                             f"ask for at most {executor.max_rows:,} rows and page with OFFSET")
        default = [v for k, v in params if k == "default-graph-uri"]
        named = [v for k, v in params if k == "named-graph-uri"]
        outcome = executor.run(text, accept=environ.get("HTTP_ACCEPT"), default_graph_uris=default or None,
                               named_graph_uris=named or None, hint=hint, base_iri=_base_url(environ))
        headers = [("Content-Type", outcome.content_type), ("X-Result-Rows", str(outcome.count))]
        if outcome.truncated:
            headers += [("X-Result-Truncated", "true"), ("X-Result-Limit", str(executor.max_rows))]
        return Reply(200, headers, outcome.body, vary=("Accept",))

    def _update(self, text: str, params: list[tuple[str, str]], environ: Environ) -> Reply:
        """Apply an update only for the configured token; it becomes a new published generation."""
        if self.token is None:
            raise Forbidden("updates are not allowed on this endpoint")
        presented = environ.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(presented.encode(), f"Bearer {self.token}".encode()):
            raise Forbidden("updates need the update token (Authorization: Bearer TOKEN)")
        if any(k in ("using-graph-uri", "using-named-graph-uri") for k, _ in params):
            raise BadRequest("using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
        self.executor.update(text, base_iri=_base_url(environ))
        return Reply(204)

    def _service_description(self, environ: Environ, hint: str | None) -> Reply:
        """What this endpoint supports, as RDF (Turtle unless the client asks for another RDF format)."""
        chosen = formats.negotiate("graph", environ.get("HTTP_ACCEPT"), hint)
        if chosen is None:
            raise NotAcceptable(formats.acceptable_types("graph"))
        media_type, fmt = chosen
        triples = description_triples(_base_url(environ), updates=self.token is not None)
        body = ox.serialize(triples, format=cast(ox.RdfFormat, fmt), prefixes={"sd": SD, "formats": FORMATS_NS})
        return Reply(200, [("Content-Type", formats.content_type(media_type))], body or b"", vary=("Accept",))

    def _body(self, environ: Environ) -> bytes:
        """The request body, at most MAX_BODY_BYTES (413 beyond).

        A body with a Content-Length over the cap is refused before it is read. A chunked body has none:
        one byte more than the cap is read, and if it is there the request is refused instead of evaluated.
        """
        stream = environ["wsgi.input"]
        length = get_content_length(environ.get("CONTENT_LENGTH"), environ.get("HTTP_TRANSFER_ENCODING"))
        if length is not None and length > self.max_body:
            raise RequestEntityTooLarge(f"the request body is larger than {self.max_body:,} bytes")
        if length is None and not environ.get("wsgi.input_terminated"):
            return b""  # no length and a server that does not end the stream: no body we can read safely
        data = _read(stream, self.max_body + 1 if length is None else length)
        if len(data) > self.max_body:
            raise RequestEntityTooLarge(f"the request body is larger than {self.max_body:,} bytes")
        return data

    def _utf8_body(self, environ: Environ, charset: str) -> str:
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType("the request body must be UTF-8")
        try:
            return self._body(environ).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the request body is not valid UTF-8") from None


def _read(stream: Any, size: int) -> bytes:
    """Up to ``size`` bytes of ``stream``, fewer only at its end."""
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _params(raw: bytes) -> list[tuple[str, str]]:
    """URL-encoded parameters, decoded strictly as UTF-8."""
    if not raw:
        return []
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("parameters must be UTF-8") from None


@lru_cache(maxsize=64)
def _content_type(header: str) -> tuple[str, str]:
    """``(media type, charset)`` of a Content-Type header, lower case (clients repeat the same few)."""
    mimetype, options = parse_options_header(header)
    return mimetype.lower(), options.get("charset", "utf-8").lower()


def _base_url(environ: Environ) -> str:
    """This endpoint's URL as the client named it (werkzeug's ``request.base_url``), once per host and path."""
    return _url_of(environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST"), environ.get("SERVER_NAME"),
                   environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))


@lru_cache(maxsize=64)
def _url_of(scheme: str, host_header: str | None, server_name: str | None, server_port: str | None,
            script_name: str, path: str) -> str:
    server = (server_name, int(server_port) if server_port else None) if server_name else None
    host = get_host(scheme, host_header, server)

    def decoded(value: str) -> str:  # WSGI carries bytes as latin-1 text
        return value.encode("latin-1").decode(errors="replace")

    return get_current_url(scheme, host, decoded(script_name), decoded(path))


# -- service description -----------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def description_triples(endpoint: str, *, updates: bool) -> list[ox.Triple]:
    """The service description of the endpoint at ``endpoint``; ``updates``: whether it takes SPARQL Update."""
    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, rdf_type, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)) for name in _FORMAT_IRIS]
    return triples
