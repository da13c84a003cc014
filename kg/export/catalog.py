"""Node facts every view shares (label, type, paper count, year, first listing), read with a few SPARQL queries.

Views are computed from the store and nothing else, so an export always agrees with a SPARQL query over
the same graph. Counting (papers per entity, papers per projected edge) is done by SPARQL aggregates;
Python only picks earliest dates, because ``--MM-DD`` month-days and full ``xsd:date`` values have no
common order in SPARQL (see :mod:`kg.export.dates`).

An *entity* here is anything a paper points at with one of :data:`ENTITY_RELATIONS` that is typed with one
of :data:`ENTITY_CLASSES`. Results (``pg:reportsResult``) are left out: they are one node per reported number,
never shared between papers, and would bury the structure under leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from kg.export import dates
from kg.vocab import DCTERMS, PG, RDFS, RELATIONS

PREFIXES = f"PREFIX pg: <{PG}>\nPREFIX rdfs: <{RDFS}>\nPREFIX dcterms: <{DCTERMS}>\n"

#: Gephi partitions on ``type``; an entity with several classes gets the first of these it has.
TYPE_PRIORITY = ("Benchmark", "Dataset", "Model", "Method", "Task", "Repository", "Link")
ENTITY_CLASSES = TYPE_PRIORITY
ENTITY_RELATIONS = tuple(r for r in RELATIONS if r != "reportsResult")
DATASET_RELATIONS = ("introducesDataset", "usesDataset", "evaluatesOn")
METHOD_RELATIONS = ("proposesMethod", "usesMethod")


def values(var: str, locals_: tuple[str, ...]) -> str:
    """A ``VALUES`` clause over ontology terms (constants of this package, never user input)."""
    return f"VALUES ?{var} {{ {' '.join('pg:' + name for name in locals_)} }}"


PAPERS_QUERY = PREFIXES + """
SELECT ?node (SAMPLE(?l) AS ?label) WHERE { ?node a pg:Paper . OPTIONAL { ?node rdfs:label ?l } } GROUP BY ?node
"""
PAPER_DATES_QUERY = PREFIXES + """
SELECT ?node ?date ?source WHERE {
  ?node a pg:Paper .
  { ?node pg:listedIn/pg:listingDate ?date . BIND("listing" AS ?source) }
  UNION { ?node dcterms:date ?date . BIND("published" AS ?source) }
}
"""
ENTITIES_QUERY = PREFIXES + f"""
SELECT ?node (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
       (COUNT(DISTINCT ?paper) AS ?papers)
WHERE {{
  {values("rel", ENTITY_RELATIONS)}
  {values("class", ENTITY_CLASSES)}
  ?paper a pg:Paper ; ?rel ?node .
  ?node a ?class .
  OPTIONAL {{ ?node rdfs:label ?l }}
}} GROUP BY ?node
"""
LINKS_QUERY = PREFIXES + f"""
SELECT DISTINCT ?paper ?rel ?node WHERE {{
  {values("rel", ENTITY_RELATIONS)}
  ?paper a pg:Paper ; ?rel ?node .
  FILTER EXISTS {{ {values("class", ENTITY_CLASSES)} ?node a ?class }}
}}
"""


@dataclass
class NodeInfo:
    """What an export says about a node besides its edges (``degree`` is filled in per view)."""

    label: str
    type: str
    papers: int
    year: int | None = None
    first_listed: str | None = None  #: earliest listing date as stored ("--03-11" or "2024-03-11")
    start: str | None = None  #: that date resolved to YYYY-MM-DD for the timeline (:mod:`kg.export.dates`)

    def attrs(self) -> dict[str, object]:
        """Node attributes for networkx; None values are left out (GraphML and GEXF cannot hold them)."""
        data: dict[str, object] = {"label": self.label, "type": self.type, "papers": self.papers}
        for key in ("year", "first_listed", "start"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


def text(term: object) -> str:
    """The lexical value of a pyoxigraph term (IRI, literal or blank node id)."""
    return str(getattr(term, "value", term))


def rows(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    """Solutions of a SELECT over the union of all graphs."""
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return iter(result)


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def primary_type(classes: set[str]) -> str:
    return next((name for name in TYPE_PRIORITY if name in classes), "Entity")


class Catalog:
    """Lazily computed tables of papers, entities and paper -> entity links for one store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @cached_property
    def _paper_dates(self) -> dict[str, tuple[list[str], list[str]]]:
        """paper -> (listing dates, published dates) as stored."""
        found: dict[str, tuple[list[str], list[str]]] = {}
        for row in rows(self.store, PAPER_DATES_QUERY):
            listing, published = found.setdefault(text(row["node"]), ([], []))
            (listing if text(row["source"]) == "listing" else published).append(text(row["date"]))
        return found

    @cached_property
    def corpus_year(self) -> int:
        """The year month-day listings are placed in when a paper has no year of its own."""
        return dates.corpus_year(d for pair in self._paper_dates.values() for group in pair for d in group)

    @cached_property
    def papers(self) -> dict[str, NodeInfo]:
        table: dict[str, NodeInfo] = {}
        for row in rows(self.store, PAPERS_QUERY):
            node = text(row["node"])
            label = row["label"]
            listing, published = self._paper_dates.get(node, ([], []))
            year = next((y for y in map(dates.year_of, sorted(published)) if y), None)
            if year is None:
                year = min((y for y in map(dates.year_of, listing) if y), default=None)
            first = min(listing, key=lambda d: dates.resolve(d, year, self.corpus_year) or "9999", default=None)
            start = dates.resolve(first or (min(published) if published else None), year, self.corpus_year)
            table[node] = NodeInfo(label=" ".join(text(label).split()) if label else local_name(node),
                                   type="Paper", papers=1, year=year, first_listed=first, start=start)
        return table

    @cached_property
    def links(self) -> list[tuple[str, str, str]]:
        """(paper, relation local name, entity) triples, distinct, in a stable order."""
        found = {(text(r["paper"]), local_name(text(r["rel"])), text(r["node"])) for r in rows(self.store, LINKS_QUERY)}
        return sorted(found)

    @cached_property
    def entities(self) -> dict[str, NodeInfo]:
        earliest: dict[str, NodeInfo] = {}
        years: dict[str, int] = {}
        for paper, _rel, node in self.links:
            info = self.papers.get(paper)
            if info is None:
                continue
            if info.start and (node not in earliest or info.start < (earliest[node].start or "9999")):
                earliest[node] = info
            if info.year is not None:
                years[node] = min(info.year, years.get(node, info.year))
        table: dict[str, NodeInfo] = {}
        for row in rows(self.store, ENTITIES_QUERY):
            node = text(row["node"])
            classes = {local_name(c) for c in text(row["classes"]).split()}
            label = row["label"]
            first = earliest.get(node)
            table[node] = NodeInfo(
                label=" ".join(text(label).split()) if label else local_name(node), type=primary_type(classes),
                papers=int(text(row["papers"])), year=years.get(node),
                first_listed=first.first_listed if first else None, start=first.start if first else None,
            )
        return table

    def node(self, iri: str) -> NodeInfo | None:
        return self.papers.get(iri) or self.entities.get(iri)
