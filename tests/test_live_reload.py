"""Live rebuilds: clients keep querying while ``kg load`` and ``kg build --append`` publish new generations
in other processes; no request fails and the new data shows up without a restart. Also ``kg load`` itself."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kg import store as kg_store
from kg.errors import InputError
from kg.load import load_files
from kg.resources import example_corpus
from tests.conftest import REPO, http, make_tiny_store, start_server

#: Quads loaded, outside the summary graph every generation also gets (derived counts; kg.derived).
COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
         "FILTER(?g != <https://w3id.org/papergraph/graph/summary>) }")
PAPERS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/papergraph/ontology#Paper> }"
RELOAD = 0.5


class Poller(threading.Thread):
    """Asks a count over and over; records (status, count) of every answer."""

    def __init__(self, endpoint: str, query: str) -> None:
        super().__init__(daemon=True)
        self.endpoint, self.query = endpoint, query
        self.seen: list[tuple[int, int]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        with requests.Session() as session:
            while not self.halt.is_set():
                try:
                    response = session.get(self.endpoint, params={"query": self.query}, timeout=30)
                    count = int(response.json()["results"]["bindings"][0]["n"]["value"]) if response.ok else -1
                    self.seen.append((response.status_code, count))
                except (requests.RequestException, ValueError, KeyError):
                    self.seen.append((0, -1))
                self.halt.wait(0.01)

    def latest(self) -> int:
        return self.seen[-1][1] if self.seen else -1


def kg(*args: str) -> float:
    """Run the real CLI in its own process, as an operator would; returns its wall time."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "KG_STORE": ""})
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def wait_for(poller: Poller, predicate: object, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate(poller.latest()):  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"not visible after {timeout} s; last count {poller.latest()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    store = make_tiny_store(tmp_path_factory.mktemp("reload"))
    with start_server(store, "--timeout", "10", env={"KG_RELOAD_INTERVAL": str(RELOAD)}) as live:
        yield store, live.url


def test_queries_never_fail_while_generations_switch(served: tuple[Path, str], tmp_path: Path) -> None:
    store, url = served
    pollers = [Poller(url + "/sparql", COUNT), Poller(url + "/sparql", COUNT), Poller(url + "/sparql", PAPERS)]
    for poller in pollers:
        poller.start()
    try:
        wait_for(pollers[0], lambda n: n == 13, 10)
        first_generation = http.get(url + "/health").json()["generation"]
        expected = 13
        for batch in range(4):  # more publishes than generations kept: old ones are deleted under the workers
            source = tmp_path / f"batch{batch}.nt"
            source.write_text("".join(f'<http://e/b{batch}/s{i}> <http://e/p> "{i}" .\n' for i in range(5_000)))
            took = kg("load", str(source), "--store", str(store), "--graph", f"http://e/batch{batch}")
            expected += 5_000
            delay = wait_for(pollers[0], lambda n, e=expected: n == e, RELOAD + 5)
            print(f"\nkg load {batch}: {took:.1f} s; visible {delay * 1000:.0f} ms after it returned")
        listings = tmp_path / "listings"
        listings.mkdir()
        for path in sorted(example_corpus().iterdir())[:1]:  # one listing of the bundled corpus: quick to build
            (listings / path.name).write_bytes(path.read_bytes())
        took = kg("build", str(listings), "--store", str(store), "--append", "-q", "-j", "1")
        delay = wait_for(pollers[2], lambda n: n > 2, RELOAD + 5)
        print(f"kg build --append: {took:.1f} s; {pollers[2].latest()} papers visible {delay * 1000:.0f} ms after")
        health = http.get(url + "/health").json()
        assert health["generation"] != first_generation and health["papers"] == pollers[2].latest()
    finally:
        for poller in pollers:
            poller.halt.set()
        for poller in pollers:
            poller.join()
    answers = [seen for poller in pollers for seen in poller.seen]
    failures = [status for status, _ in answers if status != 200]
    print(f"{len(answers)} answers during the switches, {len(failures)} failed")
    assert len(answers) > 50 and not failures
    for poller in pollers:  # counts only grow: no answer came from a half-written or older store
        counts = [count for _, count in poller.seen]
        assert counts == sorted(counts)


# -- kg load itself ---------------------------------------------------------------------------

TRIPLES = '<http://e/s> <http://e/p> "o" .\n'
FORMATS = {
    "a.nt": TRIPLES,
    "a.ttl": '@prefix e: <http://e/> . e:s e:p "o" .\n',
    "a.nq": '<http://e/s> <http://e/p> "o" <http://e/g> .\n',
    "a.trig": '<http://e/g> { <http://e/s> <http://e/p> "o" }\n',
    "a.rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
             '<rdf:Description rdf:about="http://e/s"><e:p>o</e:p></rdf:Description></rdf:RDF>',
    "a.jsonld": '{"@id": "http://e/s", "http://e/p": "o"}',
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_load_formats(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_text(FORMATS[name], encoding="utf-8")
    assert load_files(tmp_path / "store", [source], graph_iri="http://e/into") == 1
    quads = list(kg_store.open_read(tmp_path / "store"))
    assert [(q.subject.value, q.object.value) for q in quads] == [("http://e/s", "o")]
    graph = "http://e/g" if name.endswith((".nq", ".trig")) else "http://e/into"
    assert quads[0].graph_name == ox.NamedNode(graph)


def test_load_bad_file_publishes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = tmp_path / "good.nt"
    good.write_text(TRIPLES)
    load_files(store, [good])
    before = os.readlink(store / kg_store.CURRENT)
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix e: <http://e/> .\ne:a e:p e:b .\ne:a e:p "unterminated .\n')
    with pytest.raises(InputError) as caught:
        load_files(store, [good, bad])
    assert caught.value.source == str(bad) and caught.value.line == 3
    assert os.readlink(store / kg_store.CURRENT) == before
    # the generation, its marker and its index
    assert len(list((store / kg_store.GENERATIONS).iterdir())) == 3
    latin1 = tmp_path / "latin1.nt"
    latin1.write_bytes('<http://e/s> <http://e/p> "caf\xe9" .\n'.encode("latin-1"))
    with pytest.raises(InputError):
        load_files(store, [latin1])
    for wrong in ("data.csv", "missing.nt"):
        with pytest.raises(InputError):
            load_files(store, [tmp_path / wrong])
    assert os.readlink(store / kg_store.CURRENT) == before


def test_serves_a_plain_oxigraph_directory(tmp_path: Path) -> None:
    """A directory written by Oxigraph itself (no generations, no ``current`` link) is served as it is."""
    plain = ox.Store(str(tmp_path / "plain"))
    plain.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"), ox.NamedNode("http://e/g")))
    plain.flush()
    del plain
    with start_server(tmp_path / "plain") as live:
        answer = http.get(live.url + "/sparql", params={"query": COUNT}).json()
        assert answer["results"]["bindings"][0]["n"]["value"] == "1"
        assert http.get(live.url + "/health").json()["generation"] == "plain"
