"""``/sparql``: the SPARQL 1.1 Protocol (queries; updates only with the configured bearer token).

Queries come as GET ``?query=``, POST form-encoded or POST ``application/sparql-query``; the dataset
from ``default-graph-uri`` / ``named-graph-uri`` (default: the union of all graphs). Other parameters
are ignored, except ``format`` / ``output`` which some clients send as format hints. Parameters are
decoded strictly as UTF-8 (invalid bytes give 400, not replacement characters). Errors are text/plain.
A GET without a query answers the service description.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import cast
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.sansio.utils import get_current_url

from kg.errors import QueryError
from server import formats, sandbox
from server.executor import NotAcceptable, QueryOutcome

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint() -> Response:
    params = _params(request.query_string)
    body_query = body_update = None
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == FORM:
            params += _params(_body())
        elif mimetype in (QUERY_TYPE, UPDATE_TYPE):
            text = _utf8_body()
            body_query, body_update = (text, None) if mimetype == QUERY_TYPE else (None, text)
        else:
            raise UnsupportedMediaType(f"POST needs Content-Type {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")
    queries = [v for k, v in params if k == "query"] + ([body_query] if body_query is not None else [])
    updates = [v for k, v in params if k == "update"] + ([body_update] if body_update is not None else [])
    if len(queries) + len(updates) > 1:
        raise BadRequest("send exactly one query or one update per request")
    if updates:
        if request.method != "POST":
            raise BadRequest("updates must be sent with POST")
        return _update(updates[0], params)
    if not queries:
        return service_description()
    return _query(queries[0], params)


def _query(text: str, params: list[tuple[str, str]]) -> Response:
    executor = current_app.extensions["kg.executor"]
    asked = sandbox.requested_limit(text)
    if asked is not None and asked > executor.max_rows:
        # Refused up front: answering with fewer rows than LIMIT asked for would look like the whole answer.
        raise QueryError(f"LIMIT {asked:,} is above this endpoint's row cap of {executor.max_rows:,}: "
                         f"ask for at most {executor.max_rows:,} rows and page with OFFSET")
    default = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    hint = next((v for k, v in params if k in ("format", "output") and v), None)
    outcome = executor.run(text, accept=request.headers.get("Accept"), default_graph_uris=default or None,
                           named_graph_uris=named or None, hint=hint, base_iri=_base_url())
    return _answer(outcome)


def _answer(outcome: QueryOutcome) -> Response:
    response = Response(outcome.body, status=200, content_type=outcome.content_type)
    response.headers["X-Result-Rows"] = str(outcome.count)
    if outcome.truncated:
        response.headers["X-Result-Truncated"] = "true"
        response.headers["X-Result-Limit"] = str(current_app.extensions["kg.executor"].max_rows)
    response.vary.add("Accept")
    return response


def _update(text: str, params: list[tuple[str, str]]) -> Response:
    """Apply an update only for the configured token; it becomes a new published generation."""
    token = current_app.config.get("UPDATE_TOKEN")
    executor = current_app.extensions["kg.executor"]
    if not token or not hasattr(executor, "update"):
        raise Forbidden("updates are not allowed on this endpoint")
    presented = request.headers.get("Authorization", "")
    if not hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
        raise Forbidden("updates need the update token (Authorization: Bearer TOKEN)")
    if any(k in ("using-graph-uri", "using-named-graph-uri") for k, _ in params):
        raise BadRequest("using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
    executor.update(text, base_iri=_base_url())
    return Response(status=204)


def _base_url() -> str:
    """``request.base_url``, rebuilt once per distinct host and path instead of on every query."""
    return _url_of(request.scheme, request.host, request.root_path, request.path)


@lru_cache(maxsize=64)
def _url_of(scheme: str, host: str, root_path: str, path: str) -> str:
    return get_current_url(scheme, host, root_path, path)


def _params(raw: bytes) -> list[tuple[str, str]]:
    """URL-encoded parameters, decoded strictly as UTF-8."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("parameters must be UTF-8") from None


def _body() -> bytes:
    """The request body, at most MAX_BODY_BYTES (413 beyond).

    A body with a Content-Length over the cap is refused before it is read. A chunked body has none,
    and werkzeug silently stops reading it at the cap, so one more byte is asked of the server here:
    if there is one, the body was cut and the request is refused instead of evaluated.
    """
    data = request.get_data()
    if request.content_length is None and len(data) >= (request.max_content_length or len(data) + 1):
        if request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge(f"the request body is larger than {request.max_content_length:,} bytes")
    return data


def _utf8_body() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType("the request body must be UTF-8")
    try:
        return _body().decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None


# -- service description -----------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def service_description() -> Response:
    """What this endpoint supports, as RDF (Turtle unless the client asks for another RDF format)."""
    hint = request.args.get("format") or request.args.get("output")
    chosen = formats.negotiate("graph", request.headers.get("Accept"), hint)
    if chosen is None:
        raise NotAcceptable(formats.acceptable_types("graph"))
    media_type, fmt = chosen
    rdf_format = cast(ox.RdfFormat, fmt)
    body = ox.serialize(_description_triples(), format=rdf_format, prefixes={"sd": SD, "formats": FORMATS_NS})
    response = Response(body, status=200, content_type=formats.content_type(media_type))
    response.vary.add("Accept")
    return response


def _description_triples() -> list[ox.Triple]:
    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    endpoint_iri = ox.NamedNode(_base_url())
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint_iri),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, rdf_type, sd("Graph")),
    ]
    if current_app.config.get("UPDATE_TOKEN") and hasattr(current_app.extensions["kg.executor"], "update"):
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)) for name in _FORMAT_IRIS]
    return triples
