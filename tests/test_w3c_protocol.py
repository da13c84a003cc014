"""Conformance with the W3C SPARQL 1.1 Protocol tests (``../shared/w3c``), run against a real server.

The manifests are read as RDF (with pyoxigraph) and each HTTP request in them is replayed: the query
cases of ``protocol/manifest.ttl`` (and the bad_* cases, which only need a 4xx), then the JSON and
CSV/TSV result-format cases compared with their expected files. The update cases run last, with the
update token, because they clear the store.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import SHARED, kg_load, start_server

W3C = SHARED / "w3c"
TOKEN = "w3c-token"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DATA_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
#: Update cases that need using-graph-uri / using-named-graph-uri, which pyoxigraph's update() cannot take.
UNSUPPORTED = {"update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
               "update_dataset_full"}

pytestmark = pytest.mark.skipif(not W3C.is_dir(), reason=f"W3C test data not found at {W3C}")


class Manifest:
    """A manifest graph with the few navigation helpers the tests need."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = ox.Store()
        self.store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())

    def one(self, subject: Any, predicate: str) -> Any:
        values = self.all(subject, predicate)
        return values[0] if values else None

    def all(self, subject: Any, predicate: str) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]

    def items(self, head: Any) -> list[Any]:
        out = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out

    def entries(self) -> list[tuple[str, Any]]:
        root = ox.NamedNode(self.path.as_uri())
        return [(entry.value.rsplit("#", 1)[1], entry) for entry in self.items(self.one(root, MF + "entries"))]


PROTOCOL = Manifest(W3C / "protocol" / "manifest.ttl") if W3C.is_dir() else None
CASES = dict(PROTOCOL.entries()) if PROTOCOL else {}
QUERY_CASES = sorted(n for n in CASES if n.startswith(("query_", "bad_")))
UPDATE_CASES = sorted(n for n in CASES if n.startswith("update_"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding the protocol fixture plus every data file the manifests name (with kg load)."""
    store = tmp_path_factory.mktemp("w3c") / "store"
    kg_load(store, W3C / "protocol-fixture.nq")
    for name in CASES:
        for graph_data in PROTOCOL.all(CASES[name], UT + "graphData") if PROTOCOL else []:
            kg_load(store, Path(PROTOCOL.one(graph_data, UT + "graph").value.removeprefix("file://")),
                    graph=PROTOCOL.one(graph_data, RDFS + "label").value)
    # The fixture already holds json-res/ and csv-tsv-res/ data*.ttl, each in a graph named by its W3C IRI
    # (loading them again would add a second copy of their blank nodes).
    with start_server(store, "--timeout", "5", "--update-token", TOKEN) as live:
        yield live.url


def replay(base: str, name: str, token: str | None = None) -> None:
    """Send each request of test ``name`` and check each response against the manifest's expectations."""
    assert PROTOCOL is not None
    connection = PROTOCOL.one(CASES[name], MF + "action")
    for req in PROTOCOL.items(PROTOCOL.one(connection, HT + "requests")):
        method = PROTOCOL.one(req, HT + "methodName").value
        path = PROTOCOL.one(req, HT + "absolutePath").value
        headers = {PROTOCOL.one(h, HT + "fieldName").value: PROTOCOL.one(h, HT + "fieldValue").value
                   for h in PROTOCOL.items(PROTOCOL.one(req, HT + "headers"))}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = PROTOCOL.one(req, HT + "body")
        data = None
        if body is not None:
            encoding = PROTOCOL.one(body, CNT + "characterEncoding").value
            data = PROTOCOL.one(body, CNT + "chars").value.encode(encoding.lower())
        response = requests.request(method, base + path, data=data, headers=headers, timeout=30)
        check(PROTOCOL.one(req, HT + "resp"), response, name)


def check(expected: Any, response: requests.Response, name: str) -> None:
    assert PROTOCOL is not None
    statuses = {s.value.rsplit("#", 1)[1] for s in PROTOCOL.all(expected, MF + "expectedStatus")}
    klass = f"StatusCode{response.status_code // 100}xx"
    assert klass in statuses, f"{name}: {response.status_code} not in {statuses}: {response.text[:200]}"
    fmt = PROTOCOL.one(expected, MF + "expectedFormat")
    media_type = response.headers.get("Content-Type", "").split(";")[0]
    if fmt is not None and fmt.value in ("boolean", "tabular"):
        allowed = {"boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
                   "tabular": ("application/sparql-results+json", "application/sparql-results+xml",
                               "text/csv", "text/tab-separated-values")}[fmt.value]
        assert media_type in allowed, f"{name}: {media_type}"
    if fmt is not None and fmt.value == "RDF":
        rdf = ox.RdfFormat.from_media_type(media_type)
        assert rdf in (ox.RdfFormat.RDF_XML, ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES), f"{name}: {media_type}"
        list(ox.parse(response.content, format=rdf))
    boolean = PROTOCOL.one(expected, MF + "expectedBoolean")
    if boolean is not None:
        parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(media_type))
        assert bool(parsed) == (boolean.value == "true"), name


@pytest.mark.parametrize("name", QUERY_CASES)
def test_protocol_query_case(server: str, name: str) -> None:
    replay(server, name)


def _normal(term: Any) -> str:
    """Blank node labels are arbitrary: compare them as one placeholder."""
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def _bindings(solutions: Any) -> list[dict[str, str]]:
    """Rows as variable -> term, in order: ``SELECT *`` may order its columns differently (pyoxigraph sorts them)."""
    names = [v.value for v in solutions.variables]
    return [{n: _normal(t) for n, t in zip(names, row, strict=True) if t is not None} for row in solutions]


def _w3c_query(folder: str, query: str, data: str, accept: str, server: str) -> requests.Response:
    text = (W3C / folder / query).read_text(encoding="utf-8")
    graph = f"{DATA_BASE}{folder}/{data}"
    response = requests.post(server + "/sparql", data={"query": text, "default-graph-uri": graph},
                             headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, response.text
    return response


def _result_cases(folder: str) -> list[tuple[str, str, str, str]]:
    if not W3C.is_dir():
        return []
    manifest = Manifest(W3C / folder / "manifest.ttl")
    cases = []
    for name, entry in manifest.entries():
        action = manifest.one(entry, MF + "action")
        query = Path(manifest.one(action, QT + "query").value).name
        data = Path(manifest.one(action, QT + "data").value).name
        cases.append((name, query, data, Path(manifest.one(entry, MF + "result").value).name))
    return cases


@pytest.mark.parametrize(("name", "query", "data", "result"), _result_cases("json-res"))
def test_json_results(server: str, name: str, query: str, data: str, result: str) -> None:
    response = _w3c_query("json-res", query, data, "application/sparql-results+json", server)
    got = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    want = ox.parse_query_results(path=str(W3C / "json-res" / result), format=ox.QueryResultsFormat.JSON)
    if isinstance(want, ox.QueryBoolean):
        assert bool(got) == bool(want)
        return
    assert sorted(v.value for v in got.variables) == sorted(v.value for v in want.variables)
    assert _bindings(got) == _bindings(want)


#: Oxigraph stores some literals by value: "1.0E6"^^xsd:double comes back as "1000000", xsd:negativeInteger as
#: xsd:integer. data2.ttl is made of such literals, so the two cases that read it cannot match.
NORMALIZED_BY_STORE = {"csv03", "tsv03"}


def _csv_tsv_cases() -> list[Any]:
    return [pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="Oxigraph normalizes typed literals"))
            if case[0] in NORMALIZED_BY_STORE else case for case in _result_cases("csv-tsv-res")]


@pytest.mark.parametrize(("name", "query", "data", "result"), _csv_tsv_cases())
def test_csv_tsv_results(server: str, name: str, query: str, data: str, result: str) -> None:
    expected = W3C / "csv-tsv-res" / result
    if result.endswith(".tsv"):
        response = _w3c_query("csv-tsv-res", query, data, "text/tab-separated-values", server)
        got = ox.parse_query_results(response.content, ox.QueryResultsFormat.TSV)
        want = ox.parse_query_results(path=str(expected), format=ox.QueryResultsFormat.TSV)
        assert _bindings(got) == _bindings(want)
    else:
        response = _w3c_query("csv-tsv-res", query, data, "text/csv", server)
        def rows(text: str) -> list[dict[str, str]]:
            table = csv.DictReader(io.StringIO(text))
            return [{k: re.sub(r"^_:.*", "_:b", v) for k, v in row.items()} for row in table]
        assert rows(response.text) == rows(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [case for case in UPDATE_CASES if case not in UNSUPPORTED])
def test_protocol_update_case(server: str, name: str) -> None:
    replay(server, name, token=TOKEN)


@pytest.mark.parametrize("param", ["using-graph-uri", "using-named-graph-uri"])
def test_update_dataset_parameters_are_refused_clearly(server: str, param: str) -> None:
    """The W3C update_dataset_* cases need an update dataset, which pyoxigraph's update() cannot take:
    the endpoint says so with a 400 instead of silently ignoring the parameter."""
    import requests

    response = requests.post(f"{server}/sparql", data={"update": "INSERT DATA { <http://e/s> <http://e/p> 1 }",
                                                         param: "http://example.org/g1"},
                             headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert response.status_code == 400
    assert param in response.text and "USING" in response.text
