"""Real SPARQL clients against a real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PG = "https://w3id.org/papergraph/ontology#"
TITLES = f"SELECT ?title WHERE {{ ?p a <{PG}Paper> ; <http://purl.org/dc/terms/title> ?title }} ORDER BY ?title"
EXPECTED = ["Attention Is All You Need", "BERT: Pre-training of Deep Bidirectional Transformers"]


def wrapper(live_server: str, return_format: str, query: str = TITLES) -> SPARQLWrapper:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_json(live_server: str, method: str) -> None:
    client = wrapper(live_server, JSON)
    client.setMethod(method)
    result = client.query().convert()
    assert [b["title"]["value"] for b in result["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_xml(live_server: str) -> None:
    document = wrapper(live_server, XML).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == EXPECTED


def test_sparqlwrapper_csv(live_server: str) -> None:
    text = wrapper(live_server, CSV).query().convert().decode("utf-8")
    assert list(csv.reader(io.StringIO(text))) == [["title"], *([t] for t in EXPECTED)]


def test_sparqlwrapper_ask(live_server: str) -> None:
    assert wrapper(live_server, JSON, f"ASK {{ ?p a <{PG}Paper> }}").query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(live_server: str) -> None:
    query = f"CONSTRUCT {{ ?d a <{PG}Dataset> }} WHERE {{ ?d a <{PG}Dataset> }}"
    result = wrapper(live_server, TURTLE, query).query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=result.convert(), format="turtle")
    assert len(graph) == 3


def test_sparqlwrapper_bad_query(live_server: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(live_server, JSON, "SELECT * WHERE {").query()


@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore_select_ask(live_server: str, return_format: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(live_server + "/sparql", returnFormat=return_format))
    rows = list(graph.query(TITLES))
    assert [str(row.title) for row in rows] == EXPECTED
    assert bool(graph.query(f"ASK {{ ?p a <{PG}Paper> }}").askAnswer) is True


def test_rdflib_sparqlstore_graphs(live_server: str) -> None:
    """rdflib's default format (xml) accepts RDF/XML too, so CONSTRUCT and triple patterns work.
    (With returnFormat="json" rdflib accepts only SPARQL results JSON, and CONSTRUCT gets a 406.)"""
    graph = rdflib.Graph(store=SPARQLStore(live_server + "/sparql"))
    constructed = graph.query(f"CONSTRUCT {{ ?d a <{PG}Dataset> }} WHERE {{ ?d a <{PG}Dataset> }}")
    assert len(constructed.graph) == 3
    triples = list(graph.triples((rdflib.URIRef("http://example.org/paper1"), None, None)))
    assert len(triples) == 3


def test_rdflib_sparqlstore_is_read_only(live_server: str) -> None:
    store = SPARQLStore(live_server + "/sparql")
    with pytest.raises(TypeError):
        store.add((rdflib.URIRef("http://e/s"), rdflib.URIRef("http://e/p"), rdflib.Literal(1)))
