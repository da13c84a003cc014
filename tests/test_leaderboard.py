"""The leaderboard ranks scores of one metric on one benchmark, never deltas ("improves accuracy by 24%"):
checked on a store ``kg build`` writes from crafted abstracts, through SPARQL (the ``.rq``) and through
the index beside the generation."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import answers, queries, store, vocab
from kg.build import build_store
from kg.search_index import index_path
from kg.sparql import term_text

ABSTRACTS = {
    "Alpha Reasoning": "Alpha reaches 74.4% accuracy on GSM8K.",
    "Beta Reasoning": "Beta reaches 58.1% accuracy on GSM8K.",
    # a delta larger than every score: ranked as a score it would come first
    "Gamma Reasoning": "Gamma improves accuracy by 90.5% on GSM8K over its base model.",
    "Delta Reasoning": "Delta obtains an F1 score of 61.0 on GSM8K and a 12% gain in F1 on SVAMP.",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leaderboard")
    source = root / "papers.jsonl"
    source.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in ABSTRACTS.items()),
                      encoding="utf-8")
    build_store([str(source)], root / "store", workers=1)
    return root / "store"


def _rows(columns: list[str], rows: list[list[ox.NamedNode | ox.Literal | None]]) -> list[dict[str, str]]:
    return [{c: term_text(v) for c, v in zip(columns, row, strict=True) if v is not None} for row in rows]


def _both(directory: Path, name: str, args: dict[str, str]) -> list[dict[str, str]]:
    """The answer of the .rq on the store; asserts the index gives the same rows in the same order."""
    graph = store.open_read(directory)
    sparql = _rows(*queries.run_rows(graph, name, args))
    prepared = queries.prepare(name, args)
    indexed = answers.answer(index_path(store.current_generation(directory)), prepared, prepared.query.limit)
    assert indexed is not None
    assert [sorted(r.items()) for r in _rows(*indexed)] == [sorted(r.items()) for r in sparql]
    return sparql


def test_the_leaderboard_ranks_scores_not_deltas(built: Path) -> None:
    rows = _both(built, "leaderboard", {"benchmark": "GSM8K"})
    assert [(r.get("metric"), r["rawValue"], r["title"]) for r in rows] == [
        ("accuracy", "74.4%", "Alpha Reasoning"), ("accuracy", "58.1%", "Beta Reasoning"),
        ("f1", "61.0", "Delta Reasoning")]
    assert {r.get("metricLabel") for r in rows} == {"Accuracy", "F1"}


def test_a_benchmark_with_only_deltas_has_no_leaderboard(built: Path) -> None:
    assert _both(built, "leaderboard", {"benchmark": "SVAMP"}) == []
    benchmarks = {r["label"]: r for r in _both(built, "benchmarks", {})}
    assert "SVAMP" not in benchmarks
    assert (benchmarks["GSM8K"]["results"], benchmarks["GSM8K"]["metrics"]) == ("3", "accuracy, f1")


def test_deltas_stay_in_the_graph_with_their_kind(built: Path) -> None:
    graph = store.open_read(built)
    found = graph.query(queries.with_prefixes(
        "SELECT ?raw ?change ?metric ?label WHERE { ?r a pg:Result, pg:Delta ; pg:rawValue ?raw ; pg:change ?change ;"
        " rdfs:label ?label . OPTIONAL { ?r pg:metric ?metric } } ORDER BY ?raw"), use_default_graph_as_union=True)
    assert [tuple(term_text(v) if v is not None else None for v in row) for row in found] == [  # type: ignore[union-attr]
        ("12%", "gain", "f1", "12% F1 gain on SVAMP"),
        ("90.5%", "improvement", "accuracy", "90.5% Accuracy improvement on GSM8K")]
    scores = graph.query(queries.with_prefixes("SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:Score }"),
                         use_default_graph_as_union=True)
    assert term_text(next(iter(scores))[0]) == "3"  # type: ignore[arg-type, call-overload]


def test_the_shapes_want_each_result_to_be_a_score_or_a_delta(built: Path) -> None:
    from kg.validate import validate_store

    graph = store.open_read(built)
    memory = ox.Store()
    memory.extend(graph.quads_for_pattern(None, None, None, None))
    assert validate_store(memory)[0]
    delta = ox.NamedNode(vocab.PG + "Delta")
    for quad in list(memory.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), delta, None)):
        # a delta typed a score too
        memory.add(ox.Quad(quad.subject, quad.predicate, ox.NamedNode(vocab.PG + "Score"), quad.graph_name))
    conforms, report = validate_store(memory)
    assert not conforms and "exactly one of pg:Score or pg:Delta" in report
