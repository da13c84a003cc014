"""Precomputed answers to the questions users ask all the time, built once per generation.

"Most used datasets", "datasets co-used with X", "methods co-occurring with a dataset" would otherwise
aggregate every fact in the graph on every request. At build time we compute them once into the named
graph ``graph/summary``:

- ``?entity pg:paperCount n``: distinct papers linked to the entity by any relation;
- ``pg:CoOccurrence`` nodes: ``pg:first A ; pg:second B ; pg:weight n ; pg:pairKind "dataset-method"``,
  one per ordered pair (both directions), n = papers that name both;
- ``?entity pg:searchKey "lower-cased label"``: the label folded for case-insensitive search.

The graph is derived data: it is dropped and recomputed whenever a generation is built or appended to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.identity import short_hash
from kg.vocab import ENTITIES_GRAPH, ID, PG, RDF_TYPE, RDFS_LABEL, SUMMARY_GRAPH, XSD

_DATASET_RELS = "pg:usesDataset|pg:evaluatesOn|pg:introducesDataset"
_METHOD_RELS = "pg:usesMethod|pg:proposesMethod"
#: pair kind -> (path to the first member, path to the second member)
PAIRS = {
    "dataset-dataset": (_DATASET_RELS, _DATASET_RELS),
    "dataset-method": (_DATASET_RELS, _METHOD_RELS),
    "model-dataset": ("pg:usesModel", _DATASET_RELS),
    "method-task": (_METHOD_RELS, "pg:addressesTask"),
}
_ENTITY_RELS = "pg:introducesDataset pg:usesDataset pg:evaluatesOn pg:proposesMethod pg:usesMethod pg:usesModel pg:addressesTask pg:hasRepository pg:hasLink"


def _select(store: ox.Store, body: str) -> ox.QuerySolutions:
    return store.query(f"PREFIX pg: <{PG}>\n{body}", use_default_graph_as_union=True)  # type: ignore[return-value]


def compute_summary(store: ox.Store) -> int:
    """(Re)write ``graph/summary`` in a read-write ``store``; returns the number of quads written."""
    graph = ox.NamedNode(SUMMARY_GRAPH)
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    quads: list[ox.Quad] = []
    paper_count = ox.NamedNode(PG + "paperCount")
    integer = ox.NamedNode(XSD + "integer")
    rels = ", ".join(_ENTITY_RELS.split())
    for row in _select(store, f"""
        SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p ?rel ?e . FILTER(?rel IN ({rels})) }} GROUP BY ?e"""):
        quads.append(ox.Quad(row["e"], paper_count, ox.Literal(row["n"].value, datatype=integer), graph))
    for kind, (first, second) in PAIRS.items():
        same = first == second
        for row in _select(store, f"""
            SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p {first} ?a . ?p {second} ?b . {"FILTER(?a != ?b)" if same else ""} }}
            GROUP BY ?a ?b"""):
            quads.extend(_pair(kind, row["a"], row["b"], row["n"], graph, integer))
            if not same:
                quads.extend(_pair(kind, row["b"], row["a"], row["n"], graph, integer))
    label = ox.NamedNode(RDFS_LABEL)
    search_key = ox.NamedNode(PG + "searchKey")
    for quad in store.quads_for_pattern(None, label, None, ox.NamedNode(ENTITIES_GRAPH)):
        if isinstance(quad.object, ox.Literal):
            quads.append(ox.Quad(quad.subject, search_key, ox.Literal(quad.object.value.casefold()), graph))
    store.bulk_extend(quads)
    return len(quads)


def _pair(kind: str, a: ox.NamedNode, b: ox.NamedNode, n: ox.Literal, graph: ox.NamedNode, integer: ox.NamedNode) -> list[ox.Quad]:
    node = ox.NamedNode(f"{ID}cooccurrence/{kind}/{short_hash(a.value + ' ' + b.value, 16)}")
    return [
        ox.Quad(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{PG}CoOccurrence"), graph),
        ox.Quad(node, ox.NamedNode(f"{PG}first"), a, graph),
        ox.Quad(node, ox.NamedNode(f"{PG}second"), b, graph),
        ox.Quad(node, ox.NamedNode(f"{PG}weight"), ox.Literal(n.value, datatype=integer), graph),
        ox.Quad(node, ox.NamedNode(f"{PG}pairKind"), ox.Literal(kind), graph),
    ]


class SummaryBuilder:
    """The same summary graph as :func:`compute_summary`, accumulated while a build streams papers by,
    so a fresh build never has to aggregate the store afterwards. Memory grows with the number of
    distinct entities and co-occurring pairs, not with the number of papers."""

    _GROUPS = {
        "dataset": {"usesDataset", "evaluatesOn", "introducesDataset"},
        "method": {"usesMethod", "proposesMethod"},
        "model": {"usesModel"},
        "task": {"addressesTask"},
    }
    _PAIR_GROUPS = {"dataset-dataset": ("dataset", "dataset"), "dataset-method": ("dataset", "method"),
                    "model-dataset": ("model", "dataset"), "method-task": ("method", "task")}

    def __init__(self) -> None:
        self.paper_count: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str, str]] = Counter()
        self.labels: dict[str, str] = {}

    def add_paper(self, facts: Iterable[tuple[str, str]]) -> None:
        """One paper's ``(relation local name, entity IRI)`` facts."""
        entity_rels = set(_ENTITY_RELS.split())
        named: set[str] = set()
        groups: dict[str, set[str]] = {g: set() for g in self._GROUPS}
        for relation, entity in facts:
            if f"pg:{relation}" in entity_rels:
                named.add(entity)
            for group, relations in self._GROUPS.items():
                if relation in relations:
                    groups[group].add(entity)
        self.paper_count.update(named)
        for kind, (first, second) in self._PAIR_GROUPS.items():
            for a in groups[first]:
                for b in groups[second]:
                    if first == second:
                        if a != b:
                            self.pairs[(kind, a, b)] += 1
                    else:
                        self.pairs[(kind, a, b)] += 1
                        self.pairs[(kind, b, a)] += 1

    def add_label(self, iri: str, label: str) -> None:
        """A label written to the entities graph (it gets a ``pg:searchKey``)."""
        self.labels[iri] = label

    def nquads(self) -> Iterator[str]:
        """The summary graph as N-Quads lines."""
        graph = f"<{SUMMARY_GRAPH}>"
        integer = f"<{XSD}integer>"
        for iri, n in sorted(self.paper_count.items()):
            yield f'<{iri}> <{PG}paperCount> "{n}"^^{integer} {graph} .\n'
        for (kind, a, b), n in sorted(self.pairs.items()):
            node = f"<{ID}cooccurrence/{kind}/{short_hash(a + ' ' + b, 16)}>"
            yield f"{node} <{RDF_TYPE}> <{PG}CoOccurrence> {graph} .\n"
            yield f"{node} <{PG}first> <{a}> {graph} .\n"
            yield f"{node} <{PG}second> <{b}> {graph} .\n"
            yield f'{node} <{PG}weight> "{n}"^^{integer} {graph} .\n'
            yield f'{node} <{PG}pairKind> {_lit(kind)} {graph} .\n'
        for iri, label in sorted(self.labels.items()):
            yield f"<{iri}> <{PG}searchKey> {_lit(label.casefold())} {graph} .\n"


def _lit(value: str) -> str:
    from kg.rdf import lit

    return lit(value)
