"""/sparql against a real server process: request forms, content negotiation, errors, service
description, CORS, the row cap, and updates (refused without the token, a new generation with it)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import LiveServer, http, start_server

TOKEN = "test-token-123"
SELECT = ("SELECT ?title WHERE { ?p a <https://w3id.org/papergraph/ontology#Paper> ; "
          "<http://purl.org/dc/terms/title> ?title } ORDER BY ?title")
ASK = "ASK { ?p a <https://w3id.org/papergraph/ontology#Paper> }"
CONSTRUCT = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/papergraph/ontology#Dataset> ; ?p ?o }"
DESCRIBE = "DESCRIBE <http://example.org/paper1>"
TITLES = ["Attention Is All You Need", "BERT: Pre-training of Deep Bidirectional Transformers"]


@pytest.fixture(scope="module")
def live(tiny_store: Path) -> Iterator[LiveServer]:
    env = {"KG_MAX_ROWS": "5", "KG_CORS_ORIGINS": "https://allowed.example"}
    with start_server(tiny_store, "--timeout", "2", "--update-token", TOKEN, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def server(live: LiveServer) -> str:
    return live.url + "/sparql"


def titles_from_json(body: bytes) -> list[str]:
    return [b["title"]["value"] for b in json.loads(body)["results"]["bindings"]]


# -- request forms ----------------------------------------------------------------------------

def test_get(server: str) -> None:
    response = http.get(server, params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert titles_from_json(response.content) == TITLES


def test_post_form(server: str) -> None:
    response = http.post(server, data={"query": SELECT})
    assert response.status_code == 200
    assert titles_from_json(response.content) == TITLES


def test_post_direct(server: str) -> None:
    response = http.post(server, data=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert titles_from_json(response.content) == TITLES


def test_trailing_slash_and_unknown_params_ignored(server: str) -> None:
    response = http.get(server + "/", params={"query": ASK, "timeout": "5", "debug": "on"})
    assert response.status_code == 200 and json.loads(response.content)["boolean"] is True


def test_union_default_graph_and_graph_keyword(server: str) -> None:
    union = http.get(server, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert int(union["results"]["bindings"][0]["n"]["value"]) == 13 + summary_quads(server) > 13
    graphs = http.get(server, params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"}).json()
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [
        "http://example.org/entities", "http://example.org/paper1-graph", "http://example.org/paper2-graph", SUMMARY]


SUMMARY = "https://w3id.org/papergraph/graph/summary"


def summary_quads(server: str) -> int:
    """Quads of the summary graph that ``kg load`` derived (paper counts, co-occurrences) beside the 13 loaded."""
    answer = http.get(server, params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{SUMMARY}> {{ ?s ?p ?o }} }}"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_protocol_dataset(server: str) -> None:
    query = "SELECT ?title { ?p <http://purl.org/dc/terms/title> ?title }"
    only1 = http.get(server, params={"query": query, "default-graph-uri": "http://example.org/paper1-graph"})
    assert titles_from_json(only1.content) == TITLES[:1]
    named = http.get(server, params={"query": "SELECT ?g { GRAPH ?g { ?s ?p ?o } }",
                                         "named-graph-uri": "http://example.org/paper2-graph"})
    assert {b["g"]["value"] for b in named.json()["results"]["bindings"]} == {"http://example.org/paper2-graph"}


# -- negotiation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "media_type", "parse_as"), [
    (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", "application/json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv", "text/csv", None),
    ("text/turtle;q=0.9, text/csv;q=0.5", "text/csv", None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml", ox.QueryResultsFormat.XML),
])
def test_select_formats(server: str, accept: str | None, media_type: str,
                        parse_as: ox.QueryResultsFormat | None) -> None:
    response = http.get(server, params={"query": SELECT}, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    if parse_as is None:
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows == [["title"], *([t] for t in TITLES)]
    else:
        parsed = ox.parse_query_results(response.content, parse_as)
        assert [s["title"].value for s in parsed] == TITLES


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
])
def test_ask_formats(server: str, accept: str, fmt: ox.QueryResultsFormat) -> None:
    response = http.post(server, data={"query": ASK}, headers={"Accept": accept})
    assert response.status_code == 200
    assert bool(ox.parse_query_results(response.content, fmt)) is True


@pytest.mark.parametrize(("accept", "media_type", "fmt"), [
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/sparql-results+json, text/turtle;q=0.1", "text/turtle", ox.RdfFormat.TURTLE),
])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_formats(server: str, query: str, accept: str | None, media_type: str, fmt: ox.RdfFormat) -> None:
    response = http.get(server, params={"query": query, "format": "nonsense"},
                            headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    triples = list(ox.parse(response.content, format=fmt))
    assert triples, "expected a non-empty graph"


def test_format_hint_wins(server: str) -> None:
    response = http.get(server, params={"query": SELECT, "format": "csv"}, headers={"Accept": "application/json"})
    assert response.headers["Content-Type"].startswith("text/csv")
    response = http.get(server, params={"query": CONSTRUCT, "output": "ntriples"})
    assert response.headers["Content-Type"].startswith("application/n-triples")


@pytest.mark.parametrize(("query", "accept"), [(SELECT, "text/turtle"), (CONSTRUCT, "text/csv"), (ASK, "image/png")])
def test_406(server: str, query: str, accept: str) -> None:
    response = http.get(server, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "acceptable" in response.text


# -- errors -----------------------------------------------------------------------------------

def test_syntax_error_is_400_with_message(server: str) -> None:
    response = http.get(server, params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "error at 1:" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("put", {"params": {"query": ASK}}, 405),
    ("get", {"params": [("query", ASK), ("query", ASK)]}, 400),
    ("post", {"data": ASK.encode(), "headers": {"Content-Type": "text/plain"}}, 415),
    ("post", {"data": ASK.encode()}, 415),
    ("post", {"data": ASK.encode("utf-16"),
              "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 415),
    ("post", {"data": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("get", {"params": {"query": ASK, "default-graph-uri": "not an iri"}}, 400),
])
def test_bad_requests(server: str, method: str, kwargs: dict[str, object], status: int) -> None:
    response = http.request(method, server, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text and "/tmp" not in response.text


def test_service_description(server: str) -> None:
    response = http.get(server, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    objects = {str(t.object.value) for t in graph if isinstance(t.object, ox.NamedNode)}
    assert {sd + "Service", sd + "SPARQL11Query", sd + "UnionDefaultGraph", server} <= objects
    rdfxml = http.get(server, headers={"Accept": "application/rdf+xml"})
    assert rdfxml.headers["Content-Type"].startswith("application/rdf+xml")
    assert len(list(ox.parse(rdfxml.content, format=ox.RdfFormat.RDF_XML))) == len(graph)


# -- CORS and the row cap ---------------------------------------------------------------------

def test_cors(server: str) -> None:
    allowed = http.get(server, params={"query": ASK}, headers={"Origin": "https://allowed.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://allowed.example"
    assert "X-Result-Truncated" in allowed.headers["Access-Control-Expose-Headers"]
    other = http.get(server, params={"query": ASK}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = http.options(server, headers={
        "Origin": "https://allowed.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"


def test_row_cap_is_reported(server: str) -> None:
    capped = http.get(server, params={"query": "SELECT * { ?s ?p ?o }"})
    assert capped.headers["X-Result-Truncated"] == "true" and capped.headers["X-Result-Rows"] == "5"
    assert len(capped.json()["results"]["bindings"]) == 5
    graph = http.get(server, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                     headers={"Accept": "application/n-triples"})
    assert graph.headers["X-Result-Truncated"] == "true" and len(graph.text.strip().splitlines()) == 5
    whole = http.get(server, params={"query": SELECT})
    assert "X-Result-Truncated" not in whole.headers and whole.headers["X-Result-Rows"] == "2"


# -- the rest of the service: health, error shape, access log, shutdown ------------------------

def test_health(live: LiveServer) -> None:
    health = http.get(live.url + "/health").json()
    assert health["ok"] is True and health["backend"] == "embedded"
    assert health["quads"] == 13 + summary_quads(live.url + "/sparql") and health["papers"] == 2
    assert health["generation"].startswith("g-") and "/" not in health["generation"]
    assert health["generation_switched_at"].endswith("+00:00")


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/no/such/page", 404), ("POST", "/health", 405), ("DELETE", "/health", 405),
])
def test_one_json_error_shape(live: LiveServer, method: str, path: str, status: int) -> None:
    response = http.request(method, live.url + path)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str)
    assert "<" not in body["error"]


def test_access_log_has_one_line_per_request(live: LiveServer) -> None:
    http.get(live.url + "/sparql", params={"query": ASK, "marker": "1"})
    http.get(live.url + "/no-such-page-for-the-log")
    log = live.stderr()
    assert re.search(r"kg\.access GET /sparql 200 [\d.]+ms", log)
    assert re.search(r"kg\.access GET /no-such-page-for-the-log 404 [\d.]+ms", log)


def test_health_without_a_graph(tmp_path: Path) -> None:
    with start_server(tmp_path / "empty", wait_health=False) as empty:
        response = http.get(empty.url + "/health")
        assert response.status_code == 503 and response.json()["ok"] is False
        assert str(tmp_path) not in response.text
        assert http.get(empty.url + "/sparql", params={"query": ASK}).status_code == 503


def test_sigterm_stops_server_and_workers(tiny_store: Path) -> None:
    running = start_server(tiny_store)
    http.get(running.url + "/sparql", params={"query": ASK})
    children = _descendants(running.process.pid)
    assert children, "the server should have query workers"
    running.stop()
    assert running.process.returncode == 0
    time.sleep(0.5)
    alive = [pid for pid in children if _running(pid)]
    assert not alive, f"workers left behind: {alive}"


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
    found, todo = [], [root]
    while todo:
        current = todo.pop()
        kids = [pid for pid, parent in parents.items() if parent == current]
        found += kids
        todo += kids
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_head_options_and_other_paths(server: str, live: LiveServer) -> None:
    """HEAD answers GET's headers without a body; OPTIONS lists the methods; a path below /sparql is not
    the endpoint (a JSON 404 like every other unknown path)."""
    get = http.get(server, params={"query": ASK})
    head = http.request("HEAD", server, params={"query": ASK})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Content-Length"] == str(len(get.content))
    options = http.options(server)
    assert options.status_code == 200
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    put = http.request("PUT", server, data=ASK)
    assert put.status_code == 405 and "POST" in put.headers["Allow"]
    assert put.headers["Content-Type"].startswith("text/plain")
    below = http.get(live.url + "/sparql/more", params={"query": ASK})
    assert below.status_code == 404 and below.json()["ok"] is False


def test_a_worker_killed_while_idle_is_replaced(live: LiveServer, server: str) -> None:
    """Query workers that die between queries (the OOM killer, say) are noticed when next lent out and
    replaced; the query that meets them is answered by a fresh worker, not failed."""
    assert http.get(server, params={"query": ASK}).status_code == 200
    workers = _query_workers(live.process.pid)
    assert workers, "the server should have query workers"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    response = http.get(server, params={"query": ASK})
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    assert not set(_query_workers(live.process.pid)) & set(workers)


def _query_workers(root: int) -> list[int]:
    """The forkserver's children: the query workers (multiprocessing starts them from there)."""
    forkservers = [pid for pid in _descendants(root) if b"forkserver" in _cmdline(pid)]
    return [pid for server in forkservers for pid in _descendants(server) if _running(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# -- updates (last: they change the store) ----------------------------------------------------

INSERT = "INSERT DATA { GRAPH <http://example.org/added> { <http://example.org/x> <http://example.org/p> 'added' } }"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_update_refused_without_token(server: str, headers: dict[str, str]) -> None:
    form = http.post(server, data={"update": INSERT}, headers=headers)
    direct = http.post(server, data=INSERT.encode(), headers={**headers, "Content-Type": "application/sparql-update"})
    assert form.status_code == direct.status_code == 403
    assert http.get(server, params={"query": "ASK { <http://example.org/x> ?p ?o }"}).json()["boolean"] is False


def test_update_via_get_refused(server: str) -> None:
    assert http.get(server, params={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 400


def test_update_with_token_publishes_a_generation(server: str) -> None:
    health = server.replace("/sparql", "/health")
    before = http.get(health).json()["generation"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = http.post(server, data=INSERT.encode(), headers={**auth, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text
    assert http.get(server, params={"query": "ASK { <http://example.org/x> ?p 'added' }"}).json()["boolean"] is True
    assert http.get(health).json()["generation"] != before
    bad = http.post(server, data={"update": "CLEAR XYZ"}, headers=auth)
    assert bad.status_code == 400
    load = http.post(server, data={"update": "LOAD <file:///etc/passwd>"}, headers=auth)
    assert load.status_code == 400 and "LOAD" in load.text


def test_an_update_refreshes_counts_and_index(server: str) -> None:
    """An updated generation gets its own summary counts and index, like a build: the API answers the
    ranking from the new generation's index, with the count the update changed."""
    api = server.replace("/sparql", "/api/queries/most-used-datasets")

    def glue_papers() -> tuple[int, str]:
        answer = http.get(api)
        assert answer.status_code == 200, answer.text
        counts = {row["label"]: int(row["papers"]) for row in answer.json()["rows"]}
        return counts["GLUE"], answer.headers["X-Answered-From"]

    before, _ = glue_papers()
    paper3 = ("INSERT DATA { GRAPH <http://example.org/paper3-graph> { <http://example.org/paper3> a "
              "<https://w3id.org/papergraph/ontology#Paper> ; <https://w3id.org/papergraph/ontology#usesDataset> "
              "<http://example.org/glue> } }")
    response = http.post(server, data={"update": paper3}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    assert glue_papers() == (before + 1, "index")
