"""``kg serve --sparql-endpoint URL`` against a real ``oxigraph serve`` process (PyPI package ``oxigraph``)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from server.executor import QueryTimeout
from server.remote import RemoteExecutor
from tests.conftest import TINY_TRIG, http, start_server

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
PG = "https://w3id.org/papergraph/ontology#"
TITLES = f"SELECT ?title WHERE {{ ?p a <{PG}Paper> ; <http://purl.org/dc/terms/title> ?title }} ORDER BY ?title"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"

pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph binary (PyPI: oxigraph) is missing")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` on the tiny graph plus 3,000 filler triples (enough for a query that takes seconds)."""
    directory = tmp_path_factory.mktemp("oxigraph")
    (directory / "tiny.trig").write_text(TINY_TRIG, encoding="utf-8")
    (directory / "filler.nq").write_text("".join(
        f'<http://e/s{i}> <http://e/p> "v{i}" <http://e/filler> .\n' for i in range(3000)))
    location = directory / "db"
    for name in ("tiny.trig", "filler.nq"):
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(directory / name)],
                       check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", "5"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                http.get(url, params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(oxigraph_url: str) -> Iterator[str]:
    with start_server(None, "--sparql-endpoint", oxigraph_url, "--timeout", "2", "--update-token", "t",
                      env={"KG_MAX_ROWS": "100"}) as live:
        yield live.url


def test_health_reports_the_remote(server: str) -> None:
    health = http.get(server + "/health").json()
    assert health["ok"] and health["backend"] == "remote" and health["papers"] == 2
    assert health["quads"] > 3000


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
])
def test_select_through_the_remote(server: str, accept: str, fmt: ox.QueryResultsFormat) -> None:
    response = http.get(server + "/sparql", params={"query": TITLES}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    titles = [s["title"].value for s in ox.parse_query_results(response.content, fmt)]
    assert titles == ["Attention Is All You Need", "BERT: Pre-training of Deep Bidirectional Transformers"]


def test_ask_construct_and_dataset(server: str) -> None:
    ask = http.post(server + "/sparql", data={"query": f"ASK {{ ?p a <{PG}Paper> }}"})
    assert json.loads(ask.content)["boolean"] is True
    construct = http.get(server + "/sparql", params={"query": f"CONSTRUCT WHERE {{ ?d a <{PG}Dataset> }}"},
                             headers={"Accept": "text/turtle"})
    assert construct.headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(construct.content, format=ox.RdfFormat.TURTLE))) == 3
    only = http.get(server + "/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": "http://example.org/paper1-graph"})
    assert only.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_limits_still_apply(server: str) -> None:
    capped = http.get(server + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert capped.headers["X-Result-Truncated"] == "true" and len(capped.json()["results"]["bindings"]) == 100
    started = time.monotonic()
    slow = http.post(server + "/sparql", data={"query": SLOW})
    assert slow.status_code == 503 and "timed out after 2 s" in slow.text
    assert time.monotonic() - started < 3
    service = "SELECT * { SERVICE <http://127.0.0.1:1/> {} }"
    assert http.get(server + "/sparql", params={"query": service}).status_code == 400
    bad = http.get(server + "/sparql", params={"query": "SELECT * {"})
    assert bad.status_code == 400 and "Traceback" not in bad.text
    update = http.post(server + "/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer t"})
    assert update.status_code == 403
    assert http.get(server + "/health").json()["papers"] == 2


def test_remote_select_binds_values(oxigraph_url: str) -> None:
    """The JSON API's path: typed terms bound through a VALUES clause, never pasted text."""
    executor = RemoteExecutor(oxigraph_url, {"QUERY_TIMEOUT": 5})
    query = "SELECT ?dataset ?label WHERE { ?dataset <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    outcome = executor.select(query, substitutions={"dataset": ox.NamedNode("http://example.org/squad")})
    assert outcome.columns == ["dataset", "label"] and [row[1].value for row in outcome.rows] == ["SQuAD"]
    hostile = executor.select("SELECT ?label WHERE { ?d <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                              substitutions={"label": ox.Literal('Evil "} ; DROP ALL ; #')})
    assert hostile.rows == []
    with pytest.raises(QueryTimeout):
        executor.select(SLOW, timeout=1)
