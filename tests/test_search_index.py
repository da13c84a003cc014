"""The search index answers exactly what ``queries/search.rq`` answers, from a file beside the generation."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store
from kg.build import build_store
from kg.resources import queries_dir
from kg.search_index import index_path, search


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search")
    corpus = root / "papers.jsonl"
    rows = [
        {"title": "Math Reasoning on GSM8K", "abstract": "We evaluate on GSM8K and MATH with GPT-4."},
        {"title": "Tiny Math Models", "abstract": "Experiments on GSM8K show gains over LLaMA 2."},
        {"title": "Image Classification at Scale", "abstract": "We train ViT on ImageNet and CIFAR-10."},
        {"title": "A \"quoted\" title with 100% odd chars", "abstract": "We fine-tune BERT on SST-2."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    build_store([str(corpus)], root / "store", workers=1)
    return root / "store"


def sparql_search(store_dir: Path, q: str) -> list[tuple[str, str, int, int]]:
    text = (queries_dir() / "search.rq").read_text(encoding="utf-8")
    results = store.open_read(store_dir).query(text, substitutions={ox.Variable("q"): ox.Literal(q)},
                                               use_default_graph_as_union=True)
    return [(r["entity"].value, r["kind"].value, int(r["rank"].value), int(r["papers"].value)) for r in results]


@pytest.mark.parametrize("q", ["gsm", "GSM8K", "im", "math", "t", "100%", '"quoted"', "zzz-nothing", "ñ"])
def test_index_agrees_with_the_sparql_query(built: Path, q: str) -> None:
    index = index_path(store.current_generation(built))
    assert index.exists()
    got = [(r["entity"], r["kind"], r["rank"], r["papers"]) for r in search(index, q, limit=50)]
    assert got == sparql_search(built, q)


def test_exact_then_prefix_then_substring(built: Path) -> None:
    index = index_path(store.current_generation(built))
    ranks = [r["rank"] for r in search(index, "gsm8k")]
    assert ranks and ranks == sorted(ranks) and ranks[0] == 0


def test_the_api_answers_search_from_the_index_with_the_same_rows(built: Path) -> None:
    from tests.conftest import start_server
    import requests

    with start_server(built) as server:
        for q in ("gsm", "Math", "v"):
            response = requests.get(f"{server.url}/api/queries/search", params={"q": q, "_limit": 50}, timeout=30)
            assert response.status_code == 200, response.text
            assert response.headers["X-Answered-From"] == "search-index"
            got = [(r["entity"], r["kind"], r["rank"], r["papers"]) for r in response.json()["rows"]]
            assert got == sparql_search(built, q)
        log = server.stderr()
    assert "Traceback" not in log
