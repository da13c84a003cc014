"""Subgraph views: an entity's k-hop neighbourhood, the result of a canned query, a SPARQL CONSTRUCT.

All three reuse the node facts of :class:`kg.export.catalog.Catalog`, so a node looks the same (label,
type, paper count, dates) whichever way it was selected; ``degree`` is the degree in the subgraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pyoxigraph as ox

from kg.errors import QueryError
from kg.export.catalog import Catalog, local_name, text
from kg.export.rdf import construct
from kg.export.views import entity_graph, finish
from kg.queries import run_rows
from kg.vocab import DCTERMS, RDF_TYPE, RDFS_LABEL

_LABELS = (RDFS_LABEL, DCTERMS + "title")


class UnknownEntity(QueryError):
    """The IRI names no paper or entity in the graph (HTTP 404)."""


def neighbourhood_graph(catalog: Catalog, iri: str, depth: int) -> nx.Graph:
    """Everything within ``depth`` hops of ``iri`` in the entity graph, edges in either direction.

    :raises QueryError: when ``iri`` is not an absolute IRI or ``depth`` is not 1-3.
    :raises UnknownEntity: when nothing in the graph has that IRI.
    """
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"entity must be an absolute IRI: {exc}") from None
    if not 1 <= depth <= 3:
        raise QueryError(f"depth must be 1, 2 or 3, not {depth}")
    full = entity_graph(catalog)
    if iri not in full:
        raise UnknownEntity(f"no paper or entity {iri} in the graph")
    sub = nx.ego_graph(full, iri, radius=depth, undirected=True)
    label = full.nodes[iri].get("label", iri)
    return finish(sub, "neighbourhood", f"{depth}-hop neighbourhood of {label} <{iri}>")


def canned_graph(catalog: Catalog, name: str, params: Mapping[str, str]) -> nx.Graph:
    """The resources a canned query returns (and its IRI parameters), with the facts among them.

    Resources are the cells that name a paper or entity of the graph. Edges are the entity-graph facts
    between them, plus, for resources that share a result row but no fact (say a dataset and a method
    from a co-use query), one edge of kind ``name`` whose weight is the number of rows pairing them.

    :raises QueryError: bad parameters.
    :raises kg.errors.UnknownQuery: no canned query has that name.
    """
    _columns, result_rows = run_rows(catalog.store, name, dict(params))
    full = entity_graph(catalog)
    chosen = {v for v in params.values() if v in full}
    row_nodes: list[list[str]] = []
    for row in result_rows:
        cells = row.values() if isinstance(row, Mapping) else row
        found = [text(cell) for cell in cells if isinstance(cell, (ox.NamedNode, str)) and text(cell) in full]
        row_nodes.append(list(dict.fromkeys(found)))
        chosen.update(found)
    graph = full.subgraph(chosen).copy()
    for found in row_nodes:
        for a, b in zip(found, found[1:], strict=False):
            if graph.has_edge(a, b, key=name):
                graph.edges[a, b, name]["weight"] += 1.0
            elif not (graph.has_edge(a, b) or graph.has_edge(b, a)):
                graph.add_edge(a, b, key=name, kind=name, label=name, weight=1.0)
    return finish(graph, f"query:{name}", f"resources returned by the canned query {name}")


def construct_graph(catalog: Catalog, sparql: str) -> nx.Graph:
    """The triples of a CONSTRUCT, evaluated on the catalog's store, as a graph (see :func:`triples_graph`).

    :raises QueryError: syntax errors, or a query that is not a CONSTRUCT.
    """
    return triples_graph(catalog, construct(catalog.store, sparql))


def triples_graph(catalog: Catalog, triples: Iterable[ox.Triple]) -> nx.Graph:
    """Triples (a CONSTRUCT's answer) as a graph: IRI/blank-node objects are edges (kind = predicate local
    name), ``rdf:type`` gives a node's type, ``rdfs:label``/``dcterms:title`` its label; other literals
    are dropped. Nodes the store knows keep the store's label, type, paper count and dates.
    """
    graph = nx.MultiDiGraph()
    types: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for triple in triples:
        s, p, o = text(triple.subject), triple.predicate.value, triple.object
        if p == RDF_TYPE and not isinstance(o, ox.Literal):
            types.setdefault(s, set()).add(local_name(text(o)))
            graph.add_node(s)
        elif isinstance(o, ox.Literal):
            if p in _LABELS:
                labels.setdefault(s, " ".join(o.value.split()))
                graph.add_node(s)
        else:
            kind = local_name(p)
            graph.add_edge(s, text(o), key=kind, kind=kind, label=kind, weight=1.0)
    for node, data in graph.nodes(data=True):
        info = catalog.node(node)
        if info is not None:
            data.update(info.attrs())
            continue
        data.update(label=labels.get(node, local_name(node) or node), papers=0,
                    type=sorted(types[node])[0] if types.get(node) else "Resource")
    return finish(graph, "construct", "result of a SPARQL CONSTRUCT query")
