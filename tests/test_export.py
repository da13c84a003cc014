"""Exports: every format validates, reads back with networkx with the node and edge counts SPARQL gives
for the same view, and keeps node types and edge weights; CSV headers; dynamic GEXF; CLI; HTTP route."""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from lxml import etree

from kg import store as kg_store
from kg.build import build_store
from kg.cli import main as cli
from kg.errors import QueryError
from kg.export import dates, export_to_stream, list_views, run_export, select_graph
from kg.export.views import UnknownView
from kg.vocab import PG

GEXF_SCHEMAS = Path(__file__).parents[2] / "shared" / "gexf"
GEXF_NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
DATASET_RELS = "pg:introducesDataset pg:usesDataset pg:evaluatesOn"
METHOD_RELS = "pg:proposesMethod pg:usesMethod"
ENTITY_RELS = f"{DATASET_RELS} {METHOD_RELS} pg:usesModel pg:addressesTask pg:hasRepository pg:hasLink"
ENTITY_CLASSES = "pg:Dataset pg:Benchmark pg:Method pg:Model pg:Task pg:Repository pg:Link"
PREFIXES = f"PREFIX pg: <{PG}>\n"

PAPERS = [
    {"title": "LoRA fine-tuning of Llama 2 on GSM8K", "date": "2024-01-15",
     "abstract": "We propose LoRA-Plus, a method for math reasoning. We fine-tune Llama 2 with LoRA and "
                 "evaluate on GSM8K and MATH, reaching 42.1% accuracy. Code: https://github.com/example/lora-plus"},
    {"title": "Prefix tuning for question answering", "date": "2023-05-01",
     "abstract": "We use prefix tuning and LoRA with GPT-2 on SQuAD for question answering."},
    {"title": "Scaling instruction tuning with Llama 2", "date": "2024-02-02",
     "abstract": "We fine-tune Llama 2 with LoRA on GSM8K and SQuAD and compare with GPT-2."},
    {"title": "A note on <\"quoted\"> & ampersand titles", "date": "2024-02-03",
     "abstract": "We study nothing in particular and report no dataset."},
]
HF_PAGE = """new
Get trending papers in your email inbox!
Subscribe
byAK and the research community
Mar 11
LoRA fine-tuning of Llama 2 on GSM8K
We propose LoRA-Plus, a method for math reasoning. We fine-tune Llama 2 with LoRA and evaluate on GSM8K and MATH, reaching 42.1% accuracy. Code: https://github.com/example/lora-plus
Mixture of adapters for ImageNet classification
We train a Vision Transformer with LoRA adapters on ImageNet and CIFAR-10 for image classification.
"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real on-disk store built from a small hand-written corpus (JSONL plus one HF daily page)."""
    folder = tmp_path_factory.mktemp("export")
    papers = folder / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    page = folder / "hf-page.txt"
    page.write_text(HF_PAGE, encoding="utf-8")
    build_store([str(papers), str(page)], folder / "store", workers=1)
    return folder / "store"


@pytest.fixture(scope="module")
def store(store_dir: Path) -> ox.Store:
    return kg_store.open_read(store_dir)


def count(store: ox.Store, query: str) -> int:
    [row] = list(store.query(PREFIXES + query, use_default_graph_as_union=True))
    return int(row[0].value)


# Independent SPARQL for each view's size: (node count, edge count).
EXPECTED = {
    "entities": (
        f"""SELECT (COUNT(DISTINCT ?n) AS ?c) {{ {{ ?n a pg:Paper }} UNION
            {{ VALUES ?r {{ {ENTITY_RELS} }} VALUES ?k {{ {ENTITY_CLASSES} }} ?p a pg:Paper ; ?r ?n . ?n a ?k }} }}""",
        f"""SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?p ?r ?n {{ VALUES ?r {{ {ENTITY_RELS} }}
            VALUES ?k {{ {ENTITY_CLASSES} }} ?p a pg:Paper ; ?r ?n . ?n a ?k }} }}""",
    ),
    "dataset-method": (
        f"""SELECT ((COUNT(DISTINCT ?a) + COUNT(DISTINCT ?b)) AS ?c) {{ VALUES ?ra {{ {DATASET_RELS} }}
            VALUES ?rb {{ {METHOD_RELS} }} ?p a pg:Paper ; ?ra ?a ; ?rb ?b . ?a a pg:Dataset . ?b a pg:Method }}""",
        f"""SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?a ?b {{ VALUES ?ra {{ {DATASET_RELS} }}
            VALUES ?rb {{ {METHOD_RELS} }} ?p a pg:Paper ; ?ra ?a ; ?rb ?b . ?a a pg:Dataset . ?b a pg:Method }} }}""",
    ),
    "model-dataset": (
        f"""SELECT ((COUNT(DISTINCT ?a) + COUNT(DISTINCT ?b)) AS ?c) {{ VALUES ?rb {{ {DATASET_RELS} }}
            ?p a pg:Paper ; pg:usesModel ?a ; ?rb ?b . ?a a pg:Model . ?b a pg:Dataset }}""",
        f"""SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?a ?b {{ VALUES ?rb {{ {DATASET_RELS} }}
            ?p a pg:Paper ; pg:usesModel ?a ; ?rb ?b . ?a a pg:Model . ?b a pg:Dataset }} }}""",
    ),
    "method-task": (
        f"""SELECT ((COUNT(DISTINCT ?a) + COUNT(DISTINCT ?b)) AS ?c) {{ VALUES ?ra {{ {METHOD_RELS} }}
            ?p a pg:Paper ; ?ra ?a ; pg:addressesTask ?b . ?a a pg:Method . ?b a pg:Task }}""",
        f"""SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?a ?b {{ VALUES ?ra {{ {METHOD_RELS} }}
            ?p a pg:Paper ; ?ra ?a ; pg:addressesTask ?b . ?a a pg:Method . ?b a pg:Task }} }}""",
    ),
    "paper-paper": (
        f"""SELECT (COUNT(DISTINCT ?n) AS ?c) {{ VALUES ?r {{ {DATASET_RELS} {METHOD_RELS} }}
            VALUES ?s {{ {DATASET_RELS} {METHOD_RELS} }}
            ?a a pg:Paper ; ?r ?x . ?b a pg:Paper ; ?s ?x . FILTER(?a != ?b) BIND(?a AS ?n) }}""",
        f"""SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?a ?b {{ VALUES ?r {{ {DATASET_RELS} {METHOD_RELS} }}
            VALUES ?s {{ {DATASET_RELS} {METHOD_RELS} }}
            ?a a pg:Paper ; ?r ?x . ?b a pg:Paper ; ?s ?x . FILTER(STR(?a) < STR(?b)) }} }}""",
    ),
}
VIEWS = list(EXPECTED)


def body(chunks: Iterator[bytes]) -> bytes:
    return b"".join(chunks)


def gexf_bytes(store: ox.Store, view: str, dynamic: bool = False) -> bytes:
    return body(export_to_stream(store, "gexf", view=view, dynamic=dynamic).chunks)


def assert_valid_gexf(data: bytes) -> etree._Element:
    schema = etree.RelaxNG(etree.parse(str(GEXF_SCHEMAS / "1.3" / "gexf.rng")))
    document = etree.fromstring(data)
    assert schema.validate(etree.ElementTree(document)), schema.error_log
    return document


def test_views_are_listed_with_descriptions() -> None:
    views = dict(list_views())
    assert set(VIEWS) <= set(views)
    assert all(views.values())


@pytest.mark.parametrize("view", VIEWS)
def test_view_sizes_match_sparql(store: ox.Store, view: str) -> None:
    graph = select_graph(store, view=view)
    nodes, edges = (count(store, q) for q in EXPECTED[view])
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)
    assert edges > 0, f"the test corpus should give the {view} view some edges"


@pytest.mark.parametrize("view", VIEWS)
def test_gexf_validates_and_reads_back(store: ox.Store, view: str) -> None:
    data = gexf_bytes(store, view)
    document = assert_valid_gexf(data)
    graph = select_graph(store, view=view)
    back = nx.read_gexf(io.BytesIO(data), version="1.3")
    nodes, edges = (count(store, q) for q in EXPECTED[view])
    assert (back.number_of_nodes(), back.number_of_edges()) == (nodes, edges)
    assert {n: d["type"] for n, d in back.nodes(data=True)} == {n: d["type"] for n, d in graph.nodes(data=True)}
    assert all(d["label"] for _n, d in back.nodes(data=True))
    assert sorted(d["weight"] for *_e, d in back.edges(data=True)) == sorted(
        d["weight"] for *_e, d in graph.edges(data=True))
    declared = {a.get("title"): a.get("type") for a in document.iterfind(".//g:attributes[@class='node']/g:attribute",
                                                                          GEXF_NS)}
    assert declared == {"type": "string", "papers": "integer", "degree": "integer", "year": "integer",
                        "first_listed": "string"}
    for node in document.iterfind(".//g:node", GEXF_NS):
        assert node.find("g:attvalues/g:attvalue[@for='type']", GEXF_NS) is not None
        assert node.find("viz:color", GEXF_NS) is not None and node.find("viz:size", GEXF_NS) is not None
    edge_ids = [e.get("id") for e in document.iterfind(".//g:edge", GEXF_NS)]
    assert len(edge_ids) == len(set(edge_ids))
    for edge in document.iterfind(".//g:edge", GEXF_NS):
        kind = edge.find("g:attvalues/g:attvalue[@for='kind']", GEXF_NS)
        assert kind is not None and kind.get("value") == edge.get("kind") and edge.get("label")
        float(edge.get("weight"))


def test_gexf_keeps_parallel_relations_apart(store: ox.Store) -> None:
    back = nx.read_gexf(io.BytesIO(gexf_bytes(store, "entities")), version="1.3")
    assert back.is_multigraph()
    pairs: dict[tuple[str, str], list[str]] = {}
    for source, target, data in back.edges(data=True):
        pairs.setdefault((source, target), []).append(data["kind"])
    assert any(len(kinds) > 1 for kinds in pairs.values()), "corpus should have a paper using and evaluating on GSM8K"
    assert all(len(kinds) == len(set(kinds)) for kinds in pairs.values())


def test_projection_weights_are_paper_counts(store: ox.Store) -> None:
    query = PREFIXES + f"""SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?w) {{ VALUES ?ra {{ {DATASET_RELS} }}
        VALUES ?rb {{ {METHOD_RELS} }} ?p a pg:Paper ; ?ra ?a ; ?rb ?b . ?a a pg:Dataset . ?b a pg:Method }}
        GROUP BY ?a ?b"""
    expected = {frozenset((r["a"].value, r["b"].value)): float(r["w"].value)
                for r in store.query(query, use_default_graph_as_union=True)}
    back = nx.read_gexf(io.BytesIO(gexf_bytes(store, "dataset-method")), version="1.3")
    assert {frozenset((a, b)): d["weight"] for a, b, d in back.edges(data=True)} == expected
    assert max(expected.values()) >= 2


def test_dynamic_gexf_has_start_dates(store: ox.Store) -> None:
    document = assert_valid_gexf(gexf_bytes(store, "entities", dynamic=True))
    graph = document.find("g:graph", GEXF_NS)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    starts = {n.get("label"): n.get("start") for n in document.iterfind(".//g:node", GEXF_NS)}
    assert all(starts.values())
    # Listed on "Mar 11" with no year: the paper's own year (2024, from its date) places it.
    assert starts["LoRA fine-tuning of Llama 2 on GSM8K"] == "2024-03-11"
    # No year of its own: the corpus year (most common year among full dates).
    assert starts["Mixture of adapters for ImageNet classification"] == "2024-03-11"
    assert starts["Prefix tuning for question answering"] == "2023-05-01"
    assert all(e.get("start") for e in document.iterfind(".//g:edge", GEXF_NS))


def test_month_day_rule() -> None:
    assert dates.resolve("--03-11", 2023, 2024) == "2023-03-11"
    assert dates.resolve("--03-11", None, 2024) == "2024-03-11"
    assert dates.resolve("--02-29", None, 2023) == "2023-02-28"
    assert dates.resolve("2022-07-01", 2023, 2024) == "2022-07-01"
    assert dates.corpus_year(["--01-01"]) == dates.FALLBACK_YEAR
    assert dates.corpus_year(["2023-01-01", "2024-01-01", "2024-05-05"]) == 2024


@pytest.mark.parametrize("view", ["entities", "dataset-method"])
def test_graphml_reads_back(store: ox.Store, view: str) -> None:
    back = nx.read_graphml(io.BytesIO(body(export_to_stream(store, "graphml", view=view).chunks)))
    nodes, edges = (count(store, q) for q in EXPECTED[view])
    assert (back.number_of_nodes(), back.number_of_edges()) == (nodes, edges)
    graph = select_graph(store, view=view)
    assert {n: d["type"] for n, d in back.nodes(data=True)} == {n: d["type"] for n, d in graph.nodes(data=True)}
    assert sorted(d["weight"] for *_e, d in back.edges(data=True)) == sorted(
        d["weight"] for *_e, d in graph.edges(data=True))


def test_csv_zip_has_gephi_headers(store: ox.Store) -> None:
    stream = export_to_stream(store, "csv", view="entities")
    archive = zipfile.ZipFile(io.BytesIO(body(stream.chunks)))
    nodes = archive.read("nodes.csv").decode().splitlines()
    edges = archive.read("edges.csv").decode().splitlines()
    assert nodes[0].split(",")[:3] == ["Id", "Label", "type"]
    assert edges[0] == "Source,Target,Type,Weight,Label,kind"
    expected_nodes, expected_edges = (count(store, q) for q in EXPECTED["entities"])
    assert (len(nodes) - 1, len(edges) - 1) == (expected_nodes, expected_edges)
    assert all(",Directed," in line for line in edges[1:])


def test_rdf_dumps(store: ox.Store) -> None:
    nquads = body(export_to_stream(store, "nquads").chunks)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(store) and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    turtle = body(export_to_stream(store, "turtle").chunks)
    assert {q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)} == {q.triple for q in store}
    sparql = "CONSTRUCT { ?p pg:usesMethod ?m } WHERE { ?p pg:usesMethod ?m }"
    triples = list(ox.parse(body(export_to_stream(store, "turtle", sparql=sparql).chunks), format=ox.RdfFormat.TURTLE))
    assert len(triples) == count(store, "SELECT (COUNT(*) AS ?c) { SELECT DISTINCT ?p ?m { ?p pg:usesMethod ?m } }")


def test_neighbourhood_and_construct(store: ox.Store) -> None:
    gsm8k = "https://w3id.org/papergraph/id/dataset/gsm8k"
    graph = select_graph(store, entity=gsm8k, depth=1)
    papers = count(store, f"SELECT (COUNT(DISTINCT ?p) AS ?c) {{ ?p a pg:Paper ; ?r <{gsm8k}> }}")
    facts = count(store, f"SELECT (COUNT(*) AS ?c) {{ SELECT DISTINCT ?p ?r {{ ?p a pg:Paper ; ?r <{gsm8k}> }} }}")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (papers + 1, facts)
    assert graph.nodes[gsm8k]["papers"] == papers
    sparql = "CONSTRUCT { ?p pg:usesModel ?m . ?m a pg:Model } WHERE { ?p pg:usesModel ?m }"
    built = select_graph(store, sparql=sparql)
    links = count(store, "SELECT (COUNT(*) AS ?c) { SELECT DISTINCT ?p ?m { ?p pg:usesModel ?m } }")
    assert built.number_of_edges() == links
    assert {d["type"] for _n, d in built.nodes(data=True)} == {"Paper", "Model"}


def test_canned_query_subgraph(store: ox.Store) -> None:
    graph = select_graph(store, canned="papers-using-dataset", params={"dataset": "GSM8K"})
    assert "https://w3id.org/papergraph/id/dataset/gsm8k" in graph
    assert {d["type"] for _n, d in graph.nodes(data=True)} >= {"Paper"}
    assert graph.number_of_edges() >= 2
    assert_valid_gexf(body(export_to_stream(store, "gexf", canned="papers-using-dataset",
                                            params={"dataset": "GSM8K"}).chunks))


def test_bad_requests(store: ox.Store) -> None:
    with pytest.raises(UnknownView):
        select_graph(store, view="nope")
    with pytest.raises(QueryError):
        select_graph(store, entity="not an iri")
    with pytest.raises(QueryError):
        select_graph(store, sparql="SELECT * { ?s ?p ?o }")
    with pytest.raises(QueryError):
        export_to_stream(store, "turtle", view="dataset-method")


def test_cli_export(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "co-use.gexf"
    result = CliRunner().invoke(cli, ["export", "--store", str(store_dir), "--format", "gexf",
                                      "--view", "dataset-method", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_gexf(out.read_bytes())
    message = run_export(kg_store.open_read(store_dir), fmt="csv", out=str(tmp_path / "csv"), view="entities")
    assert "nodes" in message and (tmp_path / "csv" / "edges.csv").is_file()
    result = CliRunner().invoke(cli, ["export", "--store", str(store_dir), "--format", "gexf",
                                      "--view", "nope", "--out", str(tmp_path / "x.gexf")])
    assert result.exit_code == 1 and "unknown view" in result.output
    assert not (tmp_path / "x.gexf").exists()


@pytest.fixture()
def client(store_dir: Path) -> Iterator[object]:
    from server import create_app

    app = create_app({"STORE": str(store_dir), "TESTING": True})
    yield app.test_client()
    app.extensions["kg.executor"].close()


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("gexf", "application/gexf+xml"), ("graphml", "application/graphml+xml"), ("csv", "application/zip"),
    ("nquads", "application/n-quads"), ("turtle", "text/turtle"),
])
def test_http_export(client: object, fmt: str, media_type: str) -> None:
    response = client.get(f"/export/{fmt}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.data


def test_http_export_view_and_errors(client: object, store: ox.Store) -> None:
    response = client.get("/export/gexf?view=dataset-method&dynamic=1")  # type: ignore[attr-defined]
    document = assert_valid_gexf(response.data)
    assert document.find("g:graph", GEXF_NS).get("mode") == "dynamic"
    nodes, _edges = (count(store, q) for q in EXPECTED["dataset-method"])
    assert len(document.findall(".//g:node", GEXF_NS)) == nodes
    for url, status in [("/export/pdf", 404), ("/export/gexf?view=nope", 404), ("/export/gexf?entity=nope", 400),
                        ("/export/gexf?depth=x", 400), ("/export/gexf?query=no-such-query", 404),
                        ("/export/gexf?entity=https://example.org/missing", 404)]:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == status, url
        assert response.get_json() == {"ok": False, "error": response.get_json()["error"], "status": status}


def test_http_construct_gives_the_same_export_as_the_cli(client: object, store: ox.Store) -> None:
    sparql = "CONSTRUCT { ?p pg:usesModel ?m . ?m a pg:Model } WHERE { ?p pg:usesModel ?m }"
    response = client.get("/export/turtle", query_string={"sparql": sparql})  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.headers["X-Result-Truncated"] == "false"
    served = {q.triple for q in ox.parse(response.data, format=ox.RdfFormat.TURTLE)}
    local = {q.triple for q in ox.parse(body(export_to_stream(store, "turtle", sparql=sparql).chunks),
                                        format=ox.RdfFormat.TURTLE)}
    assert served == local and served
    response = client.get("/export/graphml", query_string={"sparql": sparql})  # type: ignore[attr-defined]
    built = select_graph(store, sparql=sparql)
    read = nx.read_graphml(io.BytesIO(response.data))
    assert (read.number_of_nodes(), read.number_of_edges()) == (built.number_of_nodes(), built.number_of_edges())


@pytest.fixture()
def strict_client(store_dir: Path) -> Iterator[object]:
    """The app with a 1 s query timeout and a 5-row cap, to see exports obey the service's limits."""
    from server import create_app

    app = create_app({"STORE": str(store_dir), "TESTING": True, "QUERY_TIMEOUT": 1.0, "MAX_ROWS": 5})
    yield app.test_client()
    app.extensions["kg.executor"].close()


def test_http_construct_obeys_sandbox_timeout_and_cap(strict_client: object) -> None:
    get = strict_client.get  # type: ignore[attr-defined]
    with socket.create_server(("127.0.0.1", 0)) as sink:
        sink.settimeout(0.1)
        port = sink.getsockname()[1]
        service = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        response = get("/export/gexf", query_string={"sparql": service})
        assert response.status_code == 400 and "SERVICE" in response.get_json()["error"]
        with pytest.raises(TimeoutError):
            sink.accept()  # nothing ever connected
    heavy = ("CONSTRUCT { <http://e/a> <http://e/n> ?n } WHERE { "
             "{ SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }")
    started = time.perf_counter()
    response = get("/export/turtle", query_string={"sparql": heavy})
    assert response.status_code == 503 and "timed out" in response.get_json()["error"]
    assert time.perf_counter() - started < 1.0 + 1.0
    response = get("/export/nquads", query_string={"sparql": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 400 and "CONSTRUCT" in response.get_json()["error"]
    response = get("/export/nquads", query_string={"sparql": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and response.headers["X-Result-Truncated"] == "true"
    assert len(list(ox.parse(response.data, format=ox.RdfFormat.N_QUADS))) == 5


def test_http_exports_are_capped_and_release_their_slot(store_dir: Path) -> None:
    """With one export slot, a second download while the first streams gets a quick 503 with Retry-After;
    the slot comes back when the first response is closed, and after an export refused with an error."""
    from server import create_app

    app = create_app({"STORE": str(store_dir), "TESTING": True, "MAX_CONCURRENT_EXPORTS": 1})
    client = app.test_client()
    try:
        first = client.get("/export/nquads", buffered=False)
        assert first.status_code == 200
        busy = client.get("/export/gexf")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
        assert "exports are running" in busy.get_json()["error"]
        first.close()
        assert client.get("/export/gexf?view=nope").status_code == 404  # an error frees its slot too
        assert client.get("/export/gexf").status_code == 200
    finally:
        app.extensions["kg.executor"].close()
