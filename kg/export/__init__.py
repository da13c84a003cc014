"""Exports for Gephi and other tools: one code path for ``kg export`` and ``GET /export/<format>``.

Choosing what to export (first match wins): ``triples`` (a CONSTRUCT's answer computed elsewhere: the
service evaluates user CONSTRUCTs in its sandboxed, timed query workers), ``sparql`` (a CONSTRUCT), ``canned`` (a canned query and its
``params``), ``entity`` (its ``depth``-hop neighbourhood), else the named ``view`` (see :func:`list_views`).
Graph formats (GEXF, GraphML, CSV) take any of these; RDF formats (N-Quads, Turtle) dump the whole store
or a CONSTRUCT's triples. Everything is written as a stream of byte chunks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.errors import QueryError
from kg.export import csv as csv_export
from kg.export import gexf, graphml
from kg.export import rdf as rdf_export
from kg.export.catalog import Catalog
from kg.export.subgraphs import UnknownEntity, canned_graph, construct_graph, neighbourhood_graph, triples_graph
from kg.export.views import UnknownView, build_view, list_views

__all__ = [
    "FORMATS", "ExportStream", "UnknownEntity", "UnknownFormat", "UnknownView", "export_to_stream",
    "list_views", "run_export", "select_graph",
]

GRAPH_FORMATS = {"gexf": (gexf.MEDIA_TYPE, "gexf"), "graphml": (graphml.MEDIA_TYPE, "graphml"),
                 "csv": (csv_export.MEDIA_TYPE, "zip")}
FORMATS = (*GRAPH_FORMATS, *rdf_export.FORMATS)


class UnknownFormat(QueryError):
    """No export format has that name (HTTP 404)."""


@dataclass
class ExportStream:
    """What to send: media type, a download file name, the body in chunks, and the graph's size."""

    media_type: str
    filename: str
    chunks: Iterator[bytes]
    nodes: int | None = None
    edges: int | None = None


def select_graph(store: ox.Store, *, view: str = "entities", canned: str | None = None,
                 params: Mapping[str, str] | None = None, sparql: str | None = None,
                 entity: str | None = None, depth: int = 1, triples: Iterable[ox.Triple] | None = None) -> nx.Graph:
    """The graph to export, chosen as described in the module docstring.

    :raises QueryError: bad query or arguments (:class:`UnknownView`, :class:`UnknownEntity`,
        :class:`kg.errors.UnknownQuery` for names that do not exist).
    """
    catalog = Catalog(store)
    if triples is not None:
        return triples_graph(catalog, triples)
    if sparql:
        return construct_graph(catalog, sparql)
    if canned:
        return canned_graph(catalog, canned, params or {})
    if entity:
        return neighbourhood_graph(catalog, entity, depth)
    return build_view(catalog, view)


def _slug(graph: nx.Graph) -> str:
    name = str(graph.graph.get("view", "graph"))
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "graph"


def export_to_stream(store: ox.Store, fmt: str, *, view: str = "entities", canned: str | None = None,
                     params: Mapping[str, str] | None = None, sparql: str | None = None,
                     entity: str | None = None, depth: int = 1, dynamic: bool = False,
                     triples: Iterable[ox.Triple] | None = None) -> ExportStream:
    """Check the arguments and select the graph now (so errors come before any byte is sent), then return
    the body as a lazy stream of chunks.

    :raises UnknownFormat: ``fmt`` is not one of :data:`FORMATS`.
    :raises QueryError: see :func:`select_graph`; also RDF formats asked for a view or subgraph.
    """
    if fmt in rdf_export.FORMATS:
        if canned or entity or view != "entities":
            raise QueryError(f"{fmt} exports the whole store or a SPARQL CONSTRUCT; "
                             "views, canned queries and neighbourhoods export as gexf, graphml or csv")
        name = "construct" if sparql or triples is not None else "papergraph"
        chunks = (rdf_export.iter_triples(triples, fmt) if triples is not None
                  else rdf_export.iter_dump(store, fmt, sparql))
        return ExportStream(rdf_export.MEDIA_TYPES[fmt], f"{name}.{rdf_export.EXTENSIONS[fmt]}", chunks)
    if fmt not in GRAPH_FORMATS:
        raise UnknownFormat(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    graph = select_graph(store, view=view, canned=canned, params=params, sparql=sparql, entity=entity, depth=depth,
                         triples=triples)
    media_type, extension = GRAPH_FORMATS[fmt]
    if fmt == "gexf":
        chunks = gexf.iter_gexf(graph, dynamic=dynamic)
    elif fmt == "graphml":
        chunks = graphml.iter_graphml(graph)
    else:
        chunks = csv_export.iter_csv_zip(graph)
    return ExportStream(media_type, f"papergraph-{_slug(graph)}.{extension}", chunks,
                        graph.number_of_nodes(), graph.number_of_edges())


def run_export(store: ox.Store, *, fmt: str, out: str, view: str = "entities", canned: str | None = None,
               params: Mapping[str, str] | None = None, sparql: str | None = None, entity: str | None = None,
               depth: int = 1, dynamic: bool = False) -> str:
    """Export to a file (``-`` for standard output) and say what was written.

    CSV goes to a directory (``nodes.csv`` + ``edges.csv``) unless ``out`` ends in ``.zip`` or is ``-``.
    Files are written beside their target and renamed into place, so a failed export leaves no half file.

    :raises QueryError: see :func:`export_to_stream`.
    :raises OSError: the output cannot be written.
    """
    if fmt == "csv" and out != "-" and not out.endswith(".zip"):
        graph = select_graph(store, view=view, canned=canned, params=params, sparql=sparql, entity=entity,
                             depth=depth)
        nodes_path, edges_path = csv_export.write_csv_dir(graph, out)
        return (f"wrote {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
                f"to {nodes_path} and {edges_path}")
    stream = export_to_stream(store, fmt, view=view, canned=canned, params=params, sparql=sparql,
                              entity=entity, depth=depth, dynamic=dynamic)
    size = f"{stream.nodes} nodes, {stream.edges} edges" if stream.nodes is not None else "RDF"
    if out == "-":
        for chunk in stream.chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return f"wrote {size} ({fmt}) to standard output"
    target = Path(out)
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as handle:
            for chunk in stream.chunks:
                handle.write(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return f"wrote {size} ({fmt}) to {target}"
