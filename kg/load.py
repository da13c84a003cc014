"""``kg load``: import RDF files into the store as a new published generation (e.g. to link external data).

The new generation starts as a checkpoint of the published one (hard links, fast), the files are
loaded into it, and it is published atomically, all under the writer lock, so a running server
switches to it without a restart and a bad file publishes nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg import store as kg_store
from kg.derived import finish_generation
from kg.errors import InputError, StoreError

#: File extension -> RDF format.
FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES, ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def format_of(path: Path) -> ox.RdfFormat:
    """The RDF format named by the file's extension.

    :raises InputError: unknown extension.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(FORMATS))
        raise InputError(str(path), None, f"unknown RDF file extension {path.suffix!r} (known: {known})")
    return fmt


def load_files(store_dir: str | os.PathLike[str], paths: Sequence[str | os.PathLike[str]],
               graph_iri: str | None = None) -> int:
    """Load ``paths`` on top of the published graph and publish the result; returns the quads read.

    Triples of triple formats (and of the default graph of quad formats) go to ``graph_iri`` when given,
    else to the default graph.

    :raises InputError: a missing, unreadable or invalid file (names the file and line; nothing is published).
    :raises StoreError: another build holds the store's lock.
    """
    files = [Path(p) for p in paths]
    for path in files:
        format_of(path)
        if not path.is_file():
            raise InputError(str(path), None, "no such file")
    graph = _graph(graph_iri)
    with kg_store.writer_lock(store_dir):
        try:
            source: Path | None = kg_store.current_generation(store_dir)
        except StoreError:
            source = None
        target = kg_store.new_generation_path(store_dir)
        try:
            count = _load_into(source, target, files, graph)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        kg_store.publish(store_dir, target)
    return count


def _graph(graph_iri: str | None) -> ox.NamedNode | None:
    if graph_iri is None:
        return None
    try:
        return ox.NamedNode(graph_iri)
    except ValueError as exc:
        raise InputError("--graph", None, f"not an IRI: {exc}") from None


def _load_into(source: Path | None, target: Path, files: list[Path], graph: ox.NamedNode | None) -> int:
    if source is not None:
        previous = ox.Store.read_only(str(source))
        previous.backup(str(target))
        del previous
    store = ox.Store(str(target))
    count = 0
    for path in files:
        quads = _counted(_parsed(path, graph))
        store.bulk_extend(quads)
        count += quads.count
    finish_generation(store, target)  # its own summary counts and index, so nothing it serves is stale
    store.flush()
    del store  # close (and unlock) before publishing: readers never share a directory with a writer
    return count


class _counted(Iterator[ox.Quad]):
    """Counts quads as they stream into the store."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._quads = iter(quads)
        self.count = 0

    def __next__(self) -> ox.Quad:
        quad = next(self._quads)
        self.count += 1
        return quad


def _parsed(path: Path, graph: ox.NamedNode | None) -> Iterator[ox.Quad]:
    """Quads of one file; a syntax or encoding error becomes an InputError naming the line."""
    fmt = format_of(path)
    try:
        for quad in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            if graph is not None and isinstance(quad.graph_name, ox.DefaultGraph):
                quad = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
            yield quad
    except SyntaxError as exc:
        message = exc.msg if isinstance(exc.msg, str) else str(exc)
        raise InputError(str(path), exc.lineno, message.splitlines()[0]) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(str(path), None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
