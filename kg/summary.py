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

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.identity import short_hash
from kg.vocab import ENTITIES_GRAPH, ID, PG, RDF_TYPE, RDFS_LABEL, SUMMARY_GRAPH, XSD

#: The entity groups pairs are counted between (relation local names), and each pair kind's groups.
GROUPS = {
    "dataset": ("usesDataset", "evaluatesOn", "introducesDataset"),
    "method": ("usesMethod", "proposesMethod"),
    "model": ("usesModel",),
    "task": ("addressesTask",),
}
PAIR_GROUPS = {"dataset-dataset": ("dataset", "dataset"), "dataset-method": ("dataset", "method"),
               "model-dataset": ("model", "dataset"), "method-task": ("method", "task")}
#: pair kind -> (path to the first member, path to the second member)
PAIRS = {kind: tuple("|".join(f"pg:{r}" for r in GROUPS[g]) for g in groups) for kind, groups in PAIR_GROUPS.items()}
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


def count_nquads(paper_counts: Iterable[tuple[str, int]], pairs: Iterable[tuple[str, str, str, int]]) -> Iterator[str]:
    """The counts of the summary graph as N-Quads lines: ``(entity, papers)`` and ``(kind, first,
    second, papers)``, as :func:`compute_summary` writes them (a fresh build streams these instead)."""
    graph = f"<{SUMMARY_GRAPH}>"
    integer = f"<{XSD}integer>"
    for iri, n in paper_counts:
        yield f'<{iri}> <{PG}paperCount> "{n}"^^{integer} {graph} .\n'
    for kind, a, b, n in pairs:
        node = f"<{ID}cooccurrence/{kind}/{short_hash(a + ' ' + b, 16)}>"
        yield (f"{node} <{RDF_TYPE}> <{PG}CoOccurrence> {graph} .\n"
               f"{node} <{PG}first> <{a}> {graph} .\n"
               f"{node} <{PG}second> <{b}> {graph} .\n"
               f'{node} <{PG}weight> "{n}"^^{integer} {graph} .\n'
               f"{node} <{PG}pairKind> {_lit(kind)} {graph} .\n")


def search_key_nquad(iri: str, label: str) -> str:
    """The ``pg:searchKey`` of a label written to the entities graph."""
    return f"<{iri}> <{PG}searchKey> {_lit(label.casefold())} <{SUMMARY_GRAPH}> .\n"


def _lit(value: str) -> str:
    from kg.rdf import lit

    return lit(value)
