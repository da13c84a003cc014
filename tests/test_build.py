"""``kg build``: the bundled corpus, identity, idempotence, append, parallel == serial, atomic publish."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store
from kg.build import build_store
from kg.errors import InputError, StoreError
from kg.vocab import BUILD_LOG_GRAPH, PG

EXAMPLES = Path(__file__).parents[1] / "examples" / "hf-daily-papers"


def canonical(store_dir: Path) -> list[str]:
    """Sorted N-Quads of everything but the build log (which records when each build ran)."""
    graph = store.open_read(store_dir)
    return sorted(str(q) for q in graph if q.graph_name != ox.NamedNode(BUILD_LOG_GRAPH))


def count(store_dir: Path, query: str) -> int:
    graph = store.open_read(store_dir)
    [row] = list(graph.query(f"PREFIX pg: <{PG}> {query}", use_default_graph_as_union=True))
    return int(row[0].value)


def jsonl(path: Path, rows: list[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "store"
    build_store([str(EXAMPLES)], target, workers=2)
    return target


def test_bundled_corpus_builds_577_papers_and_690_listings(corpus_store: Path) -> None:
    assert count(corpus_store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p a pg:Paper }") == 577
    assert count(corpus_store, "SELECT (COUNT(DISTINCT ?l) AS ?n) { ?p pg:listedIn ?l }") == 690
    # A paper listed in several pages is one node that records every listing.
    assert count(corpus_store, "SELECT (COUNT(*) AS ?n) { { SELECT ?p { ?p pg:listedIn ?l } GROUP BY ?p HAVING (COUNT(?l) > 1) } }") > 0


def test_every_paper_has_its_own_named_graph(corpus_store: Path) -> None:
    assert count(corpus_store, "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?p a pg:Paper } }") == 577


def test_building_twice_gives_the_same_graph(corpus_store: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_store([str(EXAMPLES)], again, workers=1)
    assert canonical(again) == canonical(corpus_store)


def test_append_adds_new_and_updates_changed_without_duplicates(tmp_path: Path) -> None:
    target = tmp_path / "store"
    first = jsonl(tmp_path / "a.jsonl", [
        {"title": "Paper One", "abstract": "We evaluate on ImageNet."},
        {"title": "Paper Two", "abstract": "We fine-tune BERT."},
    ])
    summary = build_store([first], target, workers=1)
    assert (summary.papers_new, summary.papers_updated) == (2, 0)
    second = jsonl(tmp_path / "b.jsonl", [
        {"title": "Paper Two", "abstract": "We fine-tune RoBERTa instead."},
        {"title": "Paper Three", "abstract": "We evaluate on CIFAR-10."},
        {"title": "Paper One", "abstract": "We evaluate on ImageNet."},
    ])
    summary = build_store([second], target, append=True, workers=1)
    assert (summary.papers_new, summary.papers_updated, summary.papers_unchanged) == (1, 1, 1)
    assert count(target, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p a pg:Paper }") == 3
    assert count(target, "SELECT (COUNT(?a) AS ?n) { ?p a pg:Paper ; <http://purl.org/dc/terms/abstract> ?a }") == 3
    abstracts = store.open_read(target).query(
        "SELECT ?a { ?p <http://purl.org/dc/terms/title> 'Paper Two' ; <http://purl.org/dc/terms/abstract> ?a }",
        use_default_graph_as_union=True)
    assert [r["a"].value for r in abstracts] == ["We fine-tune RoBERTa instead."]
    # Paper One keeps its first listing and records the new one.
    assert count(target, "SELECT (COUNT(?l) AS ?n) { ?p <http://purl.org/dc/terms/title> 'Paper One' ; pg:listedIn ?l }") == 2
    # Appending the same file again changes nothing but the build log.
    before = canonical(target)
    build_store([second], target, append=True, workers=1)
    assert canonical(target) == before


def test_parallel_build_equals_single_process_build(tmp_path: Path) -> None:
    from kg.search_index import index_path
    from tests.test_search_index import index_tables

    files = sorted(EXAMPLES.glob("*.txt"))[:2]
    build_store([str(f) for f in files], tmp_path / "one", workers=1)
    build_store([str(f) for f in files], tmp_path / "two", workers=2)
    assert canonical(tmp_path / "one") == canonical(tmp_path / "two")
    # the index too: its rows come from the workers, in whatever order the batches return
    one, two = (index_tables(index_path(store.current_generation(tmp_path / n))) for n in ("one", "two"))
    assert one["fact"] and one == two


def test_spool_cut_into_small_files_gives_the_same_graph(corpus_store: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Spool files are cut at SPOOL_QUADS statements (one bulk-load batch each, for flat memory);
    where the cuts fall must not change the graph."""
    from kg import build

    loaded: list[int] = []
    load = build._load

    def counting_load(target: ox.Store, paths: object) -> None:
        paths = list(paths)  # type: ignore[call-overload]
        loaded.extend(sum(1 for _ in open(p, encoding="utf-8")) for p in paths)
        load(target, paths)

    monkeypatch.setattr(build, "SPOOL_QUADS", 500)
    monkeypatch.setattr(build, "_load", counting_load)
    build_store([str(EXAMPLES)], tmp_path / "small", workers=2)
    # cut between strings of whole lines (a paper's quads, a pair node's five), never inside one
    assert len(loaded) > 20 and max(loaded) < 1_000
    assert canonical(tmp_path / "small") == canonical(corpus_store)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_input_publishes_nothing_and_keeps_the_previous_graph(tmp_path: Path, workers: int) -> None:
    target = tmp_path / "store"
    good = jsonl(tmp_path / "good.jsonl", [{"title": "Kept", "abstract": "x"}])
    build_store([good], target, workers=1)
    before = canonical(target)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A", "abstract": "x"}\n{"title": broken\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:2"):
        build_store([str(bad)], target, workers=workers)  # with a pool too: the error must surface, not hang
    assert canonical(target) == before
    # Only the published generation is left (with its .published marker and search index).
    assert len([p for p in (target / store.GENERATIONS).iterdir() if p.is_dir()]) == 1


def test_skip_bad_keeps_good_records(tmp_path: Path) -> None:
    bad = tmp_path / "mixed.jsonl"
    bad.write_text('{"title": "A", "abstract": "x"}\n{"title": broken\n{"title": "C", "abstract": "z"}\n', encoding="utf-8")
    summary = build_store([str(bad)], tmp_path / "store", workers=1, skip_bad=True)
    assert summary.papers_new == 2 and summary.skipped == 1 and "mixed.jsonl:2" in summary.errors[0]


def test_empty_input_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty input"):
        build_store([str(empty)], tmp_path / "store", workers=1)


def test_second_concurrent_build_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "store"
    with store.writer_lock(target), pytest.raises(StoreError, match="another build"):
        build_store([jsonl(tmp_path / "a.jsonl", [{"title": "A", "abstract": "x"}])], target, workers=1)


def test_arxiv_id_gives_the_paper_iri(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store([jsonl(tmp_path / "a.jsonl", [{"title": "A", "abstract": "x", "arxiv_id": "2403.15042v3"}])], target, workers=1)
    papers = [r["p"].value for r in store.open_read(target).query(f"SELECT ?p {{ ?p a <{PG}Paper> }}", use_default_graph_as_union=True)]
    assert papers == ["https://w3id.org/papergraph/id/paper/arxiv/2403.15042"]


def test_streamed_summary_equals_the_summary_computed_from_the_store(corpus_store: Path, tmp_path: Path) -> None:
    """A fresh build counts papers and co-occurrences as it goes; recomputing them from the finished
    store with SPARQL (what append, kg load and Dask builds do) must give exactly the same graph."""
    from kg.summary import compute_summary
    from kg.vocab import SUMMARY_GRAPH

    def summary_quads(graph: ox.Store) -> list[str]:
        return sorted(str(q) for q in graph.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH)))

    streamed = summary_quads(store.open_read(corpus_store))
    copy = ox.Store()
    copy.extend(q for q in store.open_read(corpus_store) if q.graph_name != ox.NamedNode(SUMMARY_GRAPH))
    compute_summary(copy)
    assert streamed and summary_quads(copy) == streamed
    # Every pair node is typed, so "how many co-occurrences" is a plain class count (kg stats shows it).
    graph = store.open_read(corpus_store)
    typed = graph.query("SELECT (COUNT(*) AS ?n) { ?c a <https://w3id.org/papergraph/ontology#CoOccurrence> }",
                        use_default_graph_as_union=True)
    pairs = graph.query("SELECT (COUNT(DISTINCT ?c) AS ?n) { ?c <https://w3id.org/papergraph/ontology#first> ?a }",
                        use_default_graph_as_union=True)
    assert int(next(typed)["n"].value) == int(next(pairs)["n"].value) > 0
