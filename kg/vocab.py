"""Namespace and term constants mirroring ``ontology.ttl`` (a test checks every term here is declared there).

IRIs are kept as plain strings: the mapper writes N-Quads text directly (fast) and queries bind them
as ``pyoxigraph.NamedNode`` where needed.
"""

from __future__ import annotations

BASE = "https://w3id.org/papergraph/"
PG = BASE + "ontology#"  #: the ontology namespace, prefix ``pg:`` (the public contract)
ID = BASE + "id/"  #: minted resource IRIs: ``id/<kind>/<key>``
GRAPH = BASE + "graph/"  #: named graphs: ``graph/paper/<key>``, ``graph/entities``, ``graph/build-log``

ENTITIES_GRAPH = GRAPH + "entities"
BUILD_LOG_GRAPH = GRAPH + "build-log"
SUMMARY_GRAPH = GRAPH + "summary"  #: derived counts and co-occurrences (see kg.summary)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SKOS_ALT_LABEL = SKOS + "altLabel"

# Classes (local names are the public contract).
CLASSES = (
    "Paper", "Dataset", "Benchmark", "Method", "Model", "Task", "Repository", "Result", "Score", "Delta",
    "Link", "Listing", "SourceFile", "Evidence", "Build", "CoOccurrence",
)
# Paper -> entity relations the extractors produce.
RELATIONS = (
    "introducesDataset", "usesDataset", "evaluatesOn", "proposesMethod", "usesMethod", "usesModel",
    "addressesTask", "hasRepository", "reportsResult", "hasLink",
)
# Other properties of our own.
PROPERTIES = (
    "arxivId", "listedIn", "source", "position", "line", "listingDate", "sourceFormat",
    "url", "value", "rawValue", "unit", "metric", "metricLabel", "change", "onDataset",
    "sentence", "textField", "sentenceStart", "sentenceEnd", "mentionStart", "mentionEnd",
    "surfaceForm", "extractor", "confidence", "contentHash",
    "papers", "papersNew", "papersUpdated",
    "paperCount", "first", "second", "weight", "pairKind", "searchKey",
)

#: Ontology class for each entity kind of ``kg.model.EntityKind``.
CLASS_OF_KIND = {
    "dataset": "Dataset",
    "method": "Method",
    "model": "Model",
    "task": "Task",
    "repository": "Repository",
    "link": "Link",
}


def pg(local: str) -> str:
    """Full IRI of an ontology term."""
    return PG + local
