"""Counts per class and per relation: what ``kg stats`` prints and ``/health`` reports."""

from __future__ import annotations

import pyoxigraph as ox

from kg.vocab import CLASSES, PG, RELATIONS

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class . FILTER(STRSTARTS(STR(?class), "{PG}")) }}
GROUP BY ?class
"""
_RELATION_COUNTS = f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?p), "{PG}")) }} }}
GROUP BY ?p
"""


def graph_stats(store: ox.Store) -> dict[str, dict[str, int]]:
    """``{"classes": {"Paper": 577, ...}, "relations": {"usesDataset": 120, ...}, "store": {"quads": N}}``."""
    classes = {name: 0 for name in CLASSES}
    for row in store.query(_CLASS_COUNTS, use_default_graph_as_union=True):
        classes[row["class"].value[len(PG):]] = int(row["n"].value)
    relations = {name: 0 for name in RELATIONS}
    for row in store.query(_RELATION_COUNTS):
        local = row["p"].value[len(PG):]
        if local in relations:
            relations[local] = int(row["n"].value)
    return {"classes": classes, "relations": relations, "store": {"quads": len(store)}}
