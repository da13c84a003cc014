"""The index beside each generation answers exactly what the ``.rq`` files answer.

Two corpora: a synthetic one extracted by ``kg build`` (the index is filled from the build's spool)
and the hand-written corpus of :mod:`tests._corpus` loaded as a plain store (the index is filled by
scanning the store). For every query the index answers or resolves, and for many parameter values
drawn from each corpus (IRIs, names and aliases in odd cases, arXiv ids, titles, misses), the answer
from the index equals the SPARQL answer of the ``.rq``: same columns, same rows, same order of the
ORDER BY columns; ``GROUP_CONCAT`` parts are compared as sets (SPARQL leaves their order open).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg import answers, queries, store
from kg.answers import search
from kg.build import build_store
from kg.resources import queries_dir
from kg.search_index import build_index, index_path
from tests._corpus import build_corpus_store

#: Columns made by GROUP_CONCAT, and their separators.
CONCATENATED = {"metrics": ", ", "methods": ", ", "models": ", ", "results": "; ", "relations": " ", "types": " "}
#: Columns whose sequence the .rq's ORDER BY fixes (ties aside).
ORDERED = {
    "most-used-datasets": ("papers", "label"), "most-used-methods": ("papers", "label"),
    "most-used-models": ("papers", "label"), "datasets-co-used": ("papers", "otherLabel"),
    "methods-with-dataset": ("papers", "methodLabel"), "benchmarks": ("results", "label"),
    "leaderboard": ("metric", "value", "title"), "search": ("rank", "papers", "label"),
    "paper-contributions": ("paperIri", "relation", "label"), "methods-with-code-for-task": ("methodLabel", "date"),
    "papers-using-dataset": ("date", "title"),
}
RESOLVED = sorted(q.name for q in queries.load_catalog().values() if any(p.lookup for p in q.params))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.corpus import write_jsonl

    root = tmp_path_factory.mktemp("search")
    files = write_jsonl(root / "corpus", 300, seed=3)
    extra = root / "extra.jsonl"
    rows = [
        {"title": "Math Reasoning on GSM8K", "abstract": "We evaluate on GSM8K and MATH with GPT-4."},
        {"title": "A \"quoted\" title with 100% odd chars", "abstract": "We fine-tune BERT on SST-2."},
    ]
    extra.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    build_store([*map(str, files), str(extra)], root / "store", workers=1)
    return root / "store"


@pytest.fixture(scope="module")
def handwritten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = build_corpus_store(tmp_path_factory.mktemp("handwritten") / "store")
    graph = ox.Store(str(directory))
    build_index(graph, index_path(directory))
    del graph
    return directory


def _graph(directory: Path) -> ox.Store:
    return store.open_read(directory)


def _values(graph: ox.Store, count: int = 40) -> dict[str, list[str]]:
    """Parameter values from the graph: IRIs, labels and aliases in several cases, paper keys, misses."""
    def column(text: str) -> list[str]:
        rows = graph.query(queries.with_prefixes(text), use_default_graph_as_union=True)
        return sorted({row[0].value for row in rows})  # type: ignore[union-attr]

    rng = random.Random(7)  # noqa: S311 - reproducible sampling

    def sample(items: list[str]) -> list[str]:
        return rng.sample(items, min(count, len(items)))

    entities = column("SELECT ?e WHERE { ?e a ?c . VALUES ?c { pg:Dataset pg:Method pg:Model pg:Task } }")
    names = column("SELECT ?n WHERE { ?e a ?c ; rdfs:label|skos:altLabel ?n . "
                   "VALUES ?c { pg:Dataset pg:Method pg:Model pg:Task pg:Repository } }")
    names = sample(names)
    cased = [n.upper() for n in names[:10]] + [n.lower() for n in names[10:20]]
    keys = column("SELECT ?k WHERE { ?p a pg:Paper . ?p pg:arxivId|dcterms:title|dcterms:identifier ?k }")
    papers = column("SELECT ?p WHERE { ?p a pg:Paper }")
    misses = ["no such thing", "https://example.org/nothing", "x"]
    entity_values = sample(entities) + names + cased + misses

    def of_class(cls: str) -> list[str]:
        iris = sample(column(f"SELECT ?e WHERE {{ ?e a pg:{cls} }}"))
        labels = sample(column(f"SELECT ?n WHERE {{ ?e a pg:{cls} ; rdfs:label|skos:altLabel ?n }}"))
        return iris + labels + [n.swapcase() for n in labels[:10]] + misses

    datasets = of_class("Dataset")
    return {
        "entity": entity_values + sample(keys) + sample(papers)[:10],
        "paper": sample(keys) + sample(papers) + misses,
        "q": [n[: rng.randint(1, max(1, len(n)))] for n in names] + ["gsm", "ñ", '"quoted"', "100%", "zzz"],
        "min_papers": ["-1", "0", "1", "2", "3", "5", "50"],
        "dataset": datasets, "benchmark": datasets, "task": of_class("Task"),
        "other": entity_values,
    }


def _arguments(query: queries.CannedQuery, values: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    if not query.params:
        yield {}
        return
    param = query.params[0]
    for value in values.get(param.name, values["other"]):
        yield {param.name: value}


def _normal(columns: list[str], rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        cells = []
        for column, term in zip(columns, row, strict=True):
            if term is not None and column in CONCATENATED:
                cells.append(tuple(sorted(term.value.split(CONCATENATED[column]))) if term.value else ())
            else:
                cells.append(None if term is None else str(term))
        out.append(tuple(cells))
    return out


def _sparql(graph: ox.Store, prepared: queries.Prepared) -> tuple[list[str], list[list[Any]]]:
    from kg.sparql import rows_of

    return rows_of(graph.query(prepared.text, substitutions=prepared.variables(), use_default_graph_as_union=True))


def _same(name: str, expected: tuple[list[str], list[list[Any]]], got: tuple[list[str], list[list[Any]]],
          where: str) -> None:
    assert got[0] == expected[0], where
    want, have = _normal(*expected), _normal(*got)
    assert sorted(have, key=repr) == sorted(want, key=repr), where
    if name in ORDERED:
        keys = [expected[0].index(c) for c in ORDERED[name]]
        assert [[r[k] for k in keys] for r in have] == [[r[k] for k in keys] for r in want], where


@pytest.mark.parametrize("corpus", ["built", "handwritten"])
@pytest.mark.parametrize("name", sorted(answers.ANSWERED))
def test_index_answers_equal_the_sparql_answers(corpus: str, name: str, request: pytest.FixtureRequest) -> None:
    directory: Path = request.getfixturevalue(corpus)
    graph = _graph(directory)
    index = index_path(store.current_generation(directory))
    query = queries.get_query(name)
    checked = nonempty = 0
    for args in _arguments(query, _values(graph)):
        prepared = queries.prepare(name, args)
        expected = _sparql(graph, prepared)
        got = answers.answer(index, prepared, query.limit)
        assert got is not None
        _same(name, expected, got, f"{name} {args}")
        checked += 1
        nonempty += bool(expected[1])
    assert checked and nonempty, "the corpus must give some non-empty answers"


@pytest.mark.parametrize("corpus", ["built", "handwritten"])
@pytest.mark.parametrize("name", RESOLVED)
def test_resolving_entities_in_the_index_keeps_the_answer(corpus: str, name: str,
                                                         request: pytest.FixtureRequest) -> None:
    directory: Path = request.getfixturevalue(corpus)
    graph = _graph(directory)
    index = index_path(store.current_generation(directory))
    query = queries.get_query(name)
    bound = 0
    for args in _arguments(query, _values(graph, count=25)):
        prepared = queries.prepare(name, args)
        expected = _sparql(graph, prepared)
        resolved = answers.resolve_params(index, prepared)
        if resolved is None:
            assert expected[1] == [], f"{name} {args}: the index found nothing, SPARQL did"
            continue
        bound += len(resolved.substitutions) > len(prepared.substitutions)
        _same(name, expected, _sparql(graph, resolved), f"{name} {args}")
    assert bound, "some values must resolve to one IRI"


def sparql_search(store_dir: Path, q: str) -> list[tuple[str, str, int, int]]:
    text = (queries_dir() / "search.rq").read_text(encoding="utf-8")
    results = store.open_read(store_dir).query(text, substitutions={ox.Variable("q"): ox.Literal(q)},
                                               use_default_graph_as_union=True)
    return [(r["entity"].value, r["kind"].value, int(r["rank"].value), int(r["papers"].value)) for r in results]


def test_exact_then_prefix_then_substring(built: Path) -> None:
    index = index_path(store.current_generation(built))
    ranks = [r["rank"] for r in search(index, "gsm8k")]
    assert ranks and ranks == sorted(ranks) and ranks[0] == 0


def index_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of an index as sorted rows (entity ids left out: they number rows as inserted)."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'name_trigram%'")]
        rows = {n: db.execute(f"SELECT * FROM {n}").fetchall() for n in names}  # noqa: S608
        rows["name"] = db.execute("SELECT e.iri, e.kind, n.folded FROM name n JOIN entity e ON e.id = n.entity").fetchall()
        # the build log is written after the index: the only thing the build's index does not hold
        return {n: sorted((r[1:] if n == "entity" else r for r in found if "/id/build/" not in repr(r)), key=repr)
                for n, found in rows.items()}
    finally:
        db.close()


def test_the_index_written_while_extracting_equals_the_index_from_the_store(built: Path, tmp_path: Path) -> None:
    """A fresh build writes its index from its workers' rows and counts papers and pairs in SQL; a
    scan of the finished store (what append and kg load do) must give exactly the same tables."""
    from_store = tmp_path / "from-store.sqlite"
    build_index(_graph(built), from_store)
    streamed = index_tables(index_path(store.current_generation(built)))
    assert streamed["pair"] and streamed["result"] and streamed["lookup"] and streamed["ranked"]
    assert index_tables(from_store) == streamed


def test_a_store_scan_writes_each_row_once_however_the_batches_fall(tmp_path: Path) -> None:
    """One triple in two named graphs, a label and an alias that fold alike, a co-occurrence weight
    stated twice: each row is in the index once, whether rows are written in one batch or one quad at
    a time (repeats then land in different batches and are removed in SQL)."""
    from kg.vocab import ENTITIES_GRAPH, GRAPH, ID, PG, RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL, SUMMARY_GRAPH

    dataset, paper, pair = f"{ID}dataset/gsm8k", f"{ID}paper/p1", f"{ID}cooccurrence/dataset-dataset/x"
    entities, summary = f"<{ENTITIES_GRAPH}>", f"<{SUMMARY_GRAPH}>"
    lines = [
        f"<{dataset}> <{RDF_TYPE}> <{PG}Dataset> {entities} .",
        f'<{dataset}> <{RDFS_LABEL}> "GSM8K" {entities} .',
        f'<{dataset}> <{SKOS_ALT_LABEL}> "gsm8k" {entities} .',
        f"<{paper}> <{RDF_TYPE}> <{PG}Paper> <{GRAPH}paper/p1> .",
        f'<{paper}> <http://purl.org/dc/terms/title> "Grade school maths" <{GRAPH}paper/p1> .',
        f"<{paper}> <{PG}usesDataset> <{dataset}> <{GRAPH}paper/p1> .",
        f"<{paper}> <{PG}usesDataset> <{dataset}> <https://example.org/copy> .",
        f'<{dataset}> <{PG}paperCount> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {summary} .',
        f"<{pair}> <{PG}first> <{dataset}> {summary} .",
        f"<{pair}> <{PG}second> <{paper}> {summary} .",
        f'<{pair}> <{PG}weight> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {summary} .',
        f'<{pair}> <{PG}weight> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <https://example.org/copy> .',
    ]
    graph = ox.Store(str(tmp_path / "store"))
    graph.load(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    build_index(graph, tmp_path / "one.sqlite")
    build_index(graph, tmp_path / "many.sqlite", batch=1)
    one, many = index_tables(tmp_path / "one.sqlite"), index_tables(tmp_path / "many.sqlite")
    assert one == many
    assert one["lookup"] == [("gsm8k", dataset, 1)]
    assert one["fact"] == [(paper, "usesDataset", dataset)] and one["pair"] == [(dataset, paper, 1)]
    assert [r[:3] for r in one["entity"]] == [(dataset, "GSM8K", "Dataset")]


def test_the_api_answers_from_the_index_with_the_same_rows(built: Path) -> None:
    import requests

    from tests.conftest import start_server

    graph = _graph(built)
    with start_server(built) as server:
        for name, args, source in (("search", {"q": "gsm"}, "index"), ("most-used-datasets", {}, "index"),
                                   ("papers-evaluating-on-dataset", {"dataset": "gsm8k"}, "sparql+index"),
                                   ("papers-using-dataset", {"dataset": "gsm8k"}, "index"),
                                   ("entity", {"entity": "no such entity"}, "sparql+index"),
                                   ("leaderboard", {"benchmark": "GSM8K"}, "index")):
            response = requests.get(f"{server.url}/api/queries/{name}", params={**args, "_limit": 1000}, timeout=30)
            assert response.status_code == 200, response.text
            assert response.headers["X-Answered-From"] == source
            columns, rows = _sparql(graph, queries.prepare(name, args))
            assert response.json()["columns"] == columns
            assert len(response.json()["rows"]) == len(rows)
        log = server.stderr()
    assert "Traceback" not in log


def test_append_and_kg_load_give_the_new_generation_its_own_index(tmp_path: Path) -> None:
    from kg.load import load_files

    rows = [{"title": "Math Reasoning on GSM8K", "abstract": "We evaluate on GSM8K and MATH with GPT-4."},
            {"title": "Image Models", "abstract": "We train ViT on ImageNet and CIFAR-10."}]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    second.write_text(json.dumps(rows[1]) + "\n", encoding="utf-8")
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://example.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                     '<https://w3id.org/papergraph/ontology#Dataset> .\n'
                     '<https://example.org/d> <http://www.w3.org/2000/01/rdf-schema#label> "Loaded Set" .\n',
                     encoding="utf-8")
    directory = tmp_path / "store"
    build_store([str(first)], directory, workers=1)
    seen = set()
    for step in (lambda: build_store([str(second)], directory, append=True, workers=1),
                 lambda: load_files(directory, [extra], graph_iri="https://example.org/graph")):
        step()
        generation = store.current_generation(directory)
        assert generation not in seen and answers.usable(index_path(generation))
        seen.add(generation)
        graph = _graph(directory)
        for name, args in (("search", {"q": "set"}), ("search", {"q": "imagenet"}), ("most-used-datasets", {})):
            prepared = queries.prepare(name, args)
            got = answers.answer(index_path(generation), prepared, 1000)
            assert got is not None
            _same(name, _sparql(graph, prepared), got, f"{name} {args}")
    assert answers.search(index_path(generation), "loaded set")  # the loaded triples are in the index
