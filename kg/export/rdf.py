"""RDF dumps: N-Quads of the whole store with its named graphs, Turtle of the union or of a CONSTRUCT.

Oxigraph serialises straight into a file; to stream over HTTP without holding the dump in memory we let it
write a temporary file and read that back in chunks (disk, not memory, bounds the size).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import pyoxigraph as ox

from kg.errors import QueryError
from kg.queries import with_prefixes
from kg.vocab import DCTERMS, PG, RDF, RDFS, SKOS, XSD

MEDIA_TYPES = {"nquads": "application/n-quads", "turtle": "text/turtle"}
EXTENSIONS = {"nquads": "nq", "turtle": "ttl"}
FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}
TURTLE_PREFIXES = {"pg": PG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS}
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
CHUNK = 1 << 16


def construct(store: ox.Store, sparql: str) -> ox.QueryTriples:
    """Run a CONSTRUCT over the union of all graphs.

    :raises QueryError: on a syntax error or a query that is not a CONSTRUCT/DESCRIBE.
    """
    try:
        result = store.query(with_prefixes(sparql), use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    if not isinstance(result, ox.QueryTriples):
        raise QueryError("--sparql must be a CONSTRUCT (or DESCRIBE) query")
    return result


def _as_quads(triples: Iterable[ox.Triple]) -> Iterator[ox.Quad]:
    for triple in triples:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())


def dump(store: ox.Store, fmt: str, out: IO[bytes], sparql: str | None = None) -> None:
    """Write the store (N-Quads: every quad with its graph; Turtle: the union) or a CONSTRUCT's triples."""
    if fmt == "nquads" and sparql is None:
        store.dump(out, ox.RdfFormat.N_QUADS)
        return
    write_triples(construct(store, sparql or UNION), fmt, out)


def write_triples(triples: Iterable[ox.Triple], fmt: str, out: IO[bytes]) -> None:
    """Triples (N-Quads: in the default graph; Turtle: with the usual prefixes)."""
    if fmt == "nquads":
        ox.serialize(_as_quads(triples), out, ox.RdfFormat.N_QUADS)
    else:
        ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


def iter_triples(triples: Iterable[ox.Triple], fmt: str) -> Iterator[bytes]:
    """Triples already computed (a CONSTRUCT answered by the service's query workers) in ``fmt``, in chunks."""
    return _spooled(lambda spool: write_triples(triples, fmt, spool))


def iter_dump(store: ox.Store, fmt: str, sparql: str | None = None) -> Iterator[bytes]:
    """:func:`dump` in chunks, through a temporary file.

    The query is checked here, before the iterator is returned, so HTTP can still answer 400.

    :raises QueryError: see :func:`construct`.
    """
    if sparql is None:
        return _spooled(lambda spool: dump(store, fmt, spool))
    triples = construct(store, sparql)  # parsed now; evaluated once, while the chunks are read
    return _spooled(lambda spool: write_triples(triples, fmt, spool))


def _spooled(write: Callable[[IO[bytes]], None]) -> Iterator[bytes]:
    """What ``write`` writes, read back in chunks from a temporary file (lazily: nothing runs until iterated)."""
    with tempfile.TemporaryFile(prefix="kg-export-") as spool:
        write(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
