"""Check a built store against ``shapes.ttl`` (SHACL) with ``ontology.ttl`` as the ontology graph.

Entity types live in ``graph/entities`` and the facts pointing at them in the per-paper graphs, so the
shapes are run on the union of all graphs: every quad's triple is copied into one rdflib ``Graph``.
No inference is run: SHACL's ``sh:class`` and ``sh:targetClass`` already follow ``rdfs:subClassOf``
in the data graph, and pyshacl copies the ontology's class hierarchy into it, so a ``pg:Benchmark``
counts as a ``pg:Dataset``. (RDFS inference would be wrong here: the ontology's ``rdfs:range``
axioms would *infer* the expected class of every relation's object and hide exactly the errors the
shapes look for.)
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib

from kg import resources

__all__ = ["store_graph", "validate_graph", "validate_store"]


def store_graph(store: ox.Store) -> rdflib.Graph:
    """The union of every graph in ``store`` as one rdflib graph (duplicate triples collapse).

    Terms are passed as N-Triples text (``str()`` of a pyoxigraph term is its N-Triples form), which
    is much faster than converting term objects one by one.
    """
    lines = [f"{q.subject} {q.predicate} {q.object} .\n" for q in store.quads_for_pattern(None, None, None, None)]
    graph = rdflib.Graph()
    if lines:
        graph.parse(data="".join(lines), format="nt")
    return graph


def validate_graph(
    data: rdflib.Graph, shapes_path: Path | None = None, ontology: Path | None = None
) -> tuple[bool, str]:
    """Run the shapes on an rdflib graph (modified in place: the ontology's class axioms are added).

    :returns: ``(conforms, report)`` where ``report`` is pyshacl's text report.
    """
    shapes = rdflib.Graph().parse(str(shapes_path or resources.shapes_path()), format="turtle")
    ont = rdflib.Graph().parse(str(ontology or resources.ontology_path()), format="turtle")
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ont,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        inplace=True,
    )
    return bool(conforms), str(text)


def validate_store(store: ox.Store, shapes_path: Path | None = None) -> tuple[bool, str]:
    """Validate the union of all graphs in ``store`` against the SHACL shapes.

    :param shapes_path: a shapes file other than the packaged ``shapes.ttl``.
    :returns: ``(conforms, report)``; the report is pyshacl's text report, naming each violation's
        focus node, path and message.
    """
    return validate_graph(store_graph(store), shapes_path)

