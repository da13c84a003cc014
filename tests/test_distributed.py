"""The Dask build (kg.distributed) gives the same graph as the local build, on a real LocalCluster."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import distributed
from kg import store as kg_store
from kg.build import build_store
from kg.errors import InputError
from kg.resources import example_corpus
from kg.search_index import index_path
from kg.vocab import BUILD_LOG_GRAPH

pytest.importorskip("dask.bag")
dask_distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with dask_distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None) as cluster, dask_distributed.Client(cluster) as c:
        yield c


@pytest.fixture()
def corpus(tmp_path: Path) -> list[str]:
    """Two bundled pages, plus a copy of one under another name: every paper of it is listed twice."""
    pages = sorted(example_corpus().glob("*.txt"))[:2]
    copy = tmp_path / "inputs" / "again.txt"
    copy.parent.mkdir()
    shutil.copy(pages[0], copy)
    return [str(pages[0]), str(pages[1]), str(copy)]


def canonical(store_dir: Path) -> list[str]:
    """Sorted N-Quads of the published graph, without the build-log graph (timestamps, build ids)."""
    graph = kg_store.open_read(store_dir)
    log = ox.NamedNode(BUILD_LOG_GRAPH)
    return sorted(str(q) for q in graph if q.graph_name != log)


def test_same_graph_as_local_build(client: object, corpus: list[str], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed, "MIN_PARTITION", 25)  # several partitions per file, repeats across them
    local_summary = build_store(corpus, tmp_path / "local", workers=2)
    summary = distributed.build_distributed(corpus, tmp_path / "dask", client)
    assert canonical(tmp_path / "dask") == canonical(tmp_path / "local")
    assert (summary.papers_new, summary.listings, summary.entities, summary.quads) == (
        local_summary.papers_new, local_summary.listings, local_summary.entities, local_summary.quads)
    assert summary.listings > summary.papers_new  # the copy was recorded as second listings
    assert not list((tmp_path / "dask").glob(".kg-shards-*"))  # shards removed after the load
    generation = kg_store.current_generation(tmp_path / "dask")
    assert summary.phases.keys() >= {"extract", "load", "optimize"}
    assert index_path(generation).exists()  # the search index every generation gets


def test_mixed_sources_give_the_local_build_s_graph(client: object, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A page (no arXiv ids) and arXiv metadata sharing papers: title-only listings are filed under
    the arXiv paper, an ambiguous title keeps its own paper, files of one name in two folders are two
    sources named by their relative paths - on the cluster exactly as locally."""
    from tests.test_identity import ARXIV, PAGE, arxiv_file, hf_page

    title = "Attention Is All You Need"
    page = [*PAGE, ("attention is all you need", "We propose the Transformer.")]
    hf_page(tmp_path / "in" / "a" / "day.txt", page)
    hf_page(tmp_path / "in" / "b" / "day.txt", page[1:])
    arxiv_file(tmp_path / "in" / "arxiv.jsonl", {**ARXIV, "1706.03762": (title, "We propose the Transformer."),
                                                 "2501.00001": (title.upper(), "Another paper on GSM8K.")})
    monkeypatch.chdir(tmp_path)  # relative inputs: workers read absolute paths, sources keep the given names
    corpus = ["in/a/day.txt", "in/b/day.txt", "in/arxiv.jsonl"]
    local_summary = build_store(corpus, tmp_path / "local", workers=2)
    summary = distributed.build_distributed(corpus, tmp_path / "dask", client)
    assert canonical(tmp_path / "dask") == canonical(tmp_path / "local")
    fields = ("papers_new", "listings", "listings_merged", "entities", "quads", "warnings")
    assert [getattr(summary, f) for f in fields] == [getattr(local_summary, f) for f in fields]
    assert (summary.listings_merged, len(summary.warnings)) == (3, 1)
    labels = kg_store.open_read(tmp_path / "dask").query(
        "SELECT ?l { ?s a <https://w3id.org/papergraph/ontology#SourceFile> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        use_default_graph_as_union=True)
    assert sorted(r["l"].value for r in labels) == sorted(corpus)  # type: ignore[index]


def test_bad_record_names_file_and_line_and_publishes_nothing(client: object, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A", "abstract": "Fine."}\n{"title": "B", "abstract": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        distributed.build_distributed([str(bad)], tmp_path / "store", client)
    assert not (tmp_path / "store" / "current").exists()
    summary = distributed.build_distributed([str(bad)], tmp_path / "store", client, skip_bad=True)
    assert (summary.papers_new, summary.skipped) == (1, 1)


def test_cli_dask_option(client: object, corpus: list[str], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    address = client.scheduler.address  # type: ignore[attr-defined]
    result = CliRunner().invoke(main, ["build", *corpus[:1], "--store", str(tmp_path / "s"), "--dask", address, "-q"])
    assert result.exit_code == 0, result.output
    build_store(corpus[:1], tmp_path / "local", workers=1)
    assert canonical(tmp_path / "s") == canonical(tmp_path / "local")
    refused = CliRunner().invoke(main, ["build", *corpus[:1], "--store", str(tmp_path / "s"), "--dask", address,
                                        "--append"])
    assert refused.exit_code == 2
