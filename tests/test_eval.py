from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.eval import format_report, jaccard, norm_url, score, task_words

PG = "https://w3id.org/papergraph/ontology#"
ID = "https://w3id.org/papergraph/id/"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
TITLE = NamedNode("http://purl.org/dc/terms/title")
ENTITIES = NamedNode("https://w3id.org/papergraph/graph/entities")

GOLD = [
    {"title": "Foo Bar: A Test",
     "datasets_used": [{"name": "GSM8K", "aliases": ["GSM-8K"]}, {"name": "MNIST", "aliases": []}],
     "methods_proposed": [{"name": "FooNet", "aliases": ["Foo Network"]}],
     "repos": ["https://github.com/a/b/tree/main/x"],
     "tasks": ["text classification"],
     "maybe": [{"type": "datasets_used", "name": "WebCrawl"}]},
    {"title": "Missing Paper", "methods_used": [{"name": "LoRA", "aliases": []}]},
]


def _store() -> Store:
    store = Store()
    paper, graph = NamedNode(ID + "paper/1"), NamedNode("https://w3id.org/papergraph/graph/paper/1")
    quads = [Quad(paper, TITLE, Literal("Foo bar - a test"), graph)]
    facts = [("usesDataset", "d1", "GSM-8k"), ("evaluatesOn", "d2", "CIFAR-10"), ("usesDataset", "d3", "WebCrawl"),
             ("proposesMethod", "m1", "FN"), ("hasRepository", "r1", "http://www.github.com/A/b/"),
             ("addressesTask", "t1", "classification of text"), ("addressesTask", "t2", "image generation")]
    for pred, node, label in facts:
        quads.append(Quad(paper, NamedNode(PG + pred), NamedNode(ID + node), graph))
        quads.append(Quad(NamedNode(ID + node), LABEL, Literal(label), ENTITIES))
    quads.append(Quad(NamedNode(ID + "m1"), ALT, Literal("Foo Network"), ENTITIES))
    store.extend(quads)
    return store


def test_scores_match_hand_computation() -> None:
    report = score(_store(), GOLD)
    ds = report.keys["datasets_used"]
    assert (ds.tp, ds.fp, ds.fn) == (1, 1, 1)  # GSM-8k hit, CIFAR-10 wrong, WebCrawl maybe, MNIST missed
    assert (report.keys["methods_proposed"].tp, report.keys["methods_proposed"].fp) == (1, 0)  # via altLabel
    assert report.keys["repos"].tp == 1  # gold path below the predicted root
    tasks = report.keys["tasks"]
    assert (tasks.tp, tasks.fp, tasks.fn) == (1, 1, 0)
    assert tasks.f1 == pytest.approx(2 / 3)
    assert report.keys["methods_used"].fn == 1
    m = report.micro_named
    assert (m.tp, m.fp, m.fn) == (3, 1, 2)
    assert m.precision == pytest.approx(0.75) and m.recall == pytest.approx(0.6)
    assert report.missing == ["Missing Paper"]


def test_duplicate_nodes_for_one_gold_item_count_once() -> None:
    store = _store()
    paper = NamedNode(ID + "paper/1")
    store.add(Quad(paper, NamedNode(PG + "usesDataset"), NamedNode(ID + "d4"), ENTITIES))
    store.add(Quad(NamedNode(ID + "d4"), LABEL, Literal("GSM8K"), ENTITIES))
    ds = score(store, GOLD).keys["datasets_used"]
    assert (ds.tp, ds.fp) == (1, 2)


def test_format_report_has_every_key_and_micro() -> None:
    text = format_report(score(_store(), GOLD))
    for key in ("datasets_introduced", "datasets_used", "methods_proposed", "methods_used", "models_used",
                "tasks", "repos", "micro_named"):
        assert key in text
    assert "0.750" in text


def test_helpers() -> None:
    assert norm_url("HTTPS://www.GitHub.com/a/b.git/") == "github.com/a/b"
    assert jaccard(task_words("the ranking of items"), task_words("item ranking")) == pytest.approx(1 / 3)
