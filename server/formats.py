"""The one Accept -> format table for SPARQL answers, and the negotiation over it.

A query's form decides which table applies: SELECT and ASK answer with SPARQL results
(JSON, XML, CSV, TSV), CONSTRUCT and DESCRIBE with an RDF graph (Turtle, N-Triples, RDF/XML,
JSON-LD). The first row of each table is the default for ``*/*`` or no Accept header. Short names
(``format=json``, ``output=csv``) are the hints some clients send instead of an Accept header.
This module imports nothing heavier than pyoxigraph and werkzeug, so query workers can use it.
"""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

Kind = Literal["results", "graph"]
Format = ox.QueryResultsFormat | ox.RdfFormat

#: (media type, format, short names) for SELECT/ASK; the first one is the default.
RESULT_FORMATS: list[tuple[str, ox.QueryResultsFormat, tuple[str, ...]]] = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON, ("json", "srj")),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML, ("xml", "srx")),
    ("text/csv", ox.QueryResultsFormat.CSV, ("csv",)),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV, ("tsv",)),
    ("application/json", ox.QueryResultsFormat.JSON, ()),
    ("application/xml", ox.QueryResultsFormat.XML, ()),
    ("text/xml", ox.QueryResultsFormat.XML, ()),
]

#: (media type, format, short names) for CONSTRUCT/DESCRIBE and the service description.
GRAPH_FORMATS: list[tuple[str, ox.RdfFormat, tuple[str, ...]]] = [
    ("text/turtle", ox.RdfFormat.TURTLE, ("turtle", "ttl")),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES, ("ntriples", "nt", "n-triples")),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML, ("rdfxml", "rdf", "rdf/xml", "xml")),
    ("application/ld+json", ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json")),
    ("application/x-turtle", ox.RdfFormat.TURTLE, ()),
    ("text/plain", ox.RdfFormat.N_TRIPLES, ("text",)),
    ("application/xml", ox.RdfFormat.RDF_XML, ()),
    ("application/json", ox.RdfFormat.JSON_LD, ()),
]

TEXT_TYPES = ("text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "text/xml",
              "application/n-triples")


def _table(kind: Kind) -> list[tuple[str, Format, tuple[str, ...]]]:
    return list(RESULT_FORMATS) if kind == "results" else list(GRAPH_FORMATS)


def negotiate(kind: Kind, accept: str | None, hint: str | None = None) -> tuple[str, Format] | None:
    """Pick ``(media type, format)`` for an answer of ``kind``; None means 406 Not Acceptable.

    ``hint`` (from ``format=`` / ``output=``) wins over the Accept header when it names a known format.
    """
    table = _table(kind)
    if hint:
        wanted = hint.strip().lower()
        for media_type, fmt, names in table:
            if wanted == media_type or wanted in names:
                return media_type, fmt
    if not accept or not accept.strip():
        return table[0][0], table[0][1]
    offers = parse_accept_header(accept, MIMEAccept)
    best = offers.best_match([media_type for media_type, _, _ in table])
    if best is None:
        return None
    return next((media_type, fmt) for media_type, fmt, _ in table if media_type == best)


def content_type(media_type: str) -> str:
    """The Content-Type header value: text types say they are UTF-8."""
    if media_type in TEXT_TYPES or media_type.endswith(("+json", "+xml", "/json", "/xml")):
        return f"{media_type}; charset=utf-8"
    return media_type


def acceptable_types(kind: Kind) -> list[str]:
    """Media types offered for ``kind``, for 406 messages and the service description."""
    return [media_type for media_type, _, _ in _table(kind)]

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
