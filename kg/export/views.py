"""Graph views of the store for export: the full entity graph, weighted projections and subgraphs.

Every view is a networkx graph whose nodes are IRIs with the attributes ``label``, ``type``, ``papers``
(how many papers name the node; 1 for a paper), ``degree`` (in this view), and where known ``year``,
``first_listed`` (earliest listing date as stored) and ``start`` (that date resolved for Gephi's timeline).
Edges carry ``kind`` (the relation), ``label`` and ``weight``:

- ``entities``: a ``MultiDiGraph`` paper -> entity, one edge per relation (weight 1), so a paper that both
  proposes and uses a method keeps two edges, told apart by ``kind``;
- projections, undirected ``Graph``s whose weight is the number of papers supporting the link, counted by
  SPARQL ``COUNT(DISTINCT ?paper)``; only nodes with at least one link appear;
- ``paper-paper``: papers sharing datasets or methods, weight = number of shared entities.

Subgraphs (a canned query, a CONSTRUCT, an entity's neighbourhood) live in :mod:`kg.export.subgraphs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from kg.errors import QueryError
from kg.export.catalog import (
    DATASET_RELATIONS,
    METHOD_RELATIONS,
    PREFIXES,
    Catalog,
    rows,
    text,
    values,
)


class UnknownView(QueryError):
    """No view has that name (HTTP 404)."""


def _projection_query(a_rels: tuple[str, ...], a_class: str, b_rels: tuple[str, ...], b_class: str) -> str:
    return PREFIXES + f"""
SELECT ?a ?b (COUNT(DISTINCT ?paper) AS ?weight) (GROUP_CONCAT(DISTINCT STR(?paper); separator=" ") AS ?support)
WHERE {{
  {values("ra", a_rels)}
  {values("rb", b_rels)}
  ?paper a pg:Paper ; ?ra ?a ; ?rb ?b .
  ?a a pg:{a_class} . ?b a pg:{b_class} .
  FILTER(?a != ?b)
}} GROUP BY ?a ?b
"""


PAPER_PAPER_QUERY = PREFIXES + f"""
SELECT ?a ?b (COUNT(DISTINCT ?x) AS ?weight) (GROUP_CONCAT(DISTINCT STR(?x); separator=" ") AS ?support)
WHERE {{
  {values("ra", DATASET_RELATIONS + METHOD_RELATIONS)}
  {values("rb", DATASET_RELATIONS + METHOD_RELATIONS)}
  ?a a pg:Paper ; ?ra ?x .
  ?b a pg:Paper ; ?rb ?x .
  FILTER(STR(?a) < STR(?b))
}} GROUP BY ?a ?b
"""


@dataclass(frozen=True)
class Projection:
    """Two entity kinds linked when a paper names both; ``kind`` is the edge relation written out."""

    kind: str
    query: str


PROJECTIONS = {
    "dataset-method": Projection(
        "coUsedWith", _projection_query(DATASET_RELATIONS, "Dataset", METHOD_RELATIONS, "Method")),
    "model-dataset": Projection(
        "usedOn", _projection_query(("usesModel",), "Model", DATASET_RELATIONS, "Dataset")),
    "method-task": Projection(
        "appliedTo", _projection_query(METHOD_RELATIONS, "Method", ("addressesTask",), "Task")),
}


def finish(graph: nx.Graph, name: str, description: str) -> nx.Graph:
    """Record each node's degree in this view and the view's name (written into the export's metadata)."""
    for node, degree in graph.degree():
        graph.nodes[node]["degree"] = int(degree)
    graph.graph.update(view=name, description=description)
    return graph


def entity_graph(catalog: Catalog) -> nx.MultiDiGraph:
    """Papers and entities, one directed edge per (paper, relation, entity) fact."""
    graph = nx.MultiDiGraph()
    for iri, info in catalog.papers.items():
        graph.add_node(iri, **info.attrs())
    for iri, info in catalog.entities.items():
        graph.add_node(iri, **info.attrs())
    for paper, relation, node in catalog.links:
        if paper not in graph or node not in graph:
            continue
        data: dict[str, object] = {"kind": relation, "label": relation, "weight": 1.0}
        start = graph.nodes[paper].get("start")
        if start:
            data["start"] = start
        graph.add_edge(paper, node, key=relation, **data)
    return graph


def projection_graph(catalog: Catalog, projection: Projection) -> nx.Graph:
    """Entity-entity links weighted by supporting papers; an edge starts with its first supporting paper."""
    graph = nx.Graph()
    for row in rows(catalog.store, projection.query):
        a, b = text(row["a"]), text(row["b"])
        info_a, info_b = catalog.entities.get(a), catalog.entities.get(b)
        if info_a is None or info_b is None:
            continue
        graph.add_node(a, **info_a.attrs())
        graph.add_node(b, **info_b.attrs())
        starts = [s for s in (_start(catalog, p) for p in text(row["support"]).split()) if s]
        data: dict[str, object] = {"kind": projection.kind, "label": projection.kind,
                                   "weight": float(text(row["weight"]))}
        if starts:
            data["start"] = min(starts)
        graph.add_edge(a, b, **data)
    return graph


def paper_graph(catalog: Catalog) -> nx.Graph:
    """Papers linked by the datasets and methods they share; an edge starts when the later paper appears."""
    graph = nx.Graph()
    for row in rows(catalog.store, PAPER_PAPER_QUERY):
        a, b = text(row["a"]), text(row["b"])
        info_a, info_b = catalog.papers.get(a), catalog.papers.get(b)
        if info_a is None or info_b is None:
            continue
        graph.add_node(a, **info_a.attrs())
        graph.add_node(b, **info_b.attrs())
        shared = sorted(catalog.entities[x].label for x in text(row["support"]).split() if x in catalog.entities)
        data: dict[str, object] = {"kind": "sharesDatasetOrMethod", "label": ", ".join(shared[:5]) or "shared",
                                   "weight": float(text(row["weight"]))}
        if info_a.start and info_b.start:
            data["start"] = max(info_a.start, info_b.start)
        graph.add_edge(a, b, **data)
    return graph


def _start(catalog: Catalog, paper: str) -> str | None:
    info = catalog.papers.get(paper)
    return info.start if info else None


@dataclass(frozen=True)
class View:
    name: str
    description: str
    build: Callable[[Catalog], nx.Graph]


def _projection_view(name: str, description: str) -> View:
    return View(name, description, lambda catalog: projection_graph(catalog, PROJECTIONS[name]))


VIEWS: dict[str, View] = {view.name: view for view in (
    View("entities", "Papers and the datasets, methods, models, tasks, repositories and links they name; "
                     "one directed edge per relation.", entity_graph),
    _projection_view("dataset-method", "Datasets and methods used in the same paper; weight = number of papers."),
    _projection_view("model-dataset", "Models and the datasets they are used with; weight = number of papers."),
    _projection_view("method-task", "Methods and the tasks they address; weight = number of papers."),
    View("paper-paper", "Papers sharing datasets or methods; weight = number of shared entities.", paper_graph),
)}


def list_views() -> list[tuple[str, str]]:
    """(name, description) of every view, for ``--list-views``, the API and the web page."""
    return [(view.name, view.description) for view in VIEWS.values()]


def build_view(store: ox.Store | Catalog, name: str) -> nx.Graph:
    """The named view of the store.

    :raises UnknownView: when no view has that name.
    """
    view = VIEWS.get(name)
    if view is None:
        raise UnknownView(f"unknown view {name!r}; choose one of: {', '.join(VIEWS)}")
    catalog = store if isinstance(store, Catalog) else Catalog(store)
    return finish(view.build(catalog), view.name, view.description)
