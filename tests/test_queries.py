"""The canned-query catalog: every .rq is valid, declares and projects its parameters, answers the
hand-written corpus correctly, and keeps hostile arguments as values (never as query text)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import queries
from kg.errors import QueryError, UnknownQuery
from kg.sparql import term_text
from tests._corpus import EVIL_LABEL, GLUE, GSM8K, SVAMP, TRANSFORMER, build_corpus_store, iri_of, memory_store

REPO = Path(__file__).resolve().parents[1]
RQ_FILES = sorted((REPO / "queries").glob("*.rq"))
PG = "https://w3id.org/papergraph/ontology#"
ID = "https://w3id.org/papergraph/id/"

#: Values that would break out of a string or IRI if they were pasted into the query text.
HOSTILE = [
    '" } ; DROP ALL ; #',
    "GSM8K\" } UNION { ?s ?p ?o } #",
    "x> } ; DROP ALL ; #",
    "'; DELETE WHERE { ?s ?p ?o } ; '",
    "}}}}) FILTER(true) {{{{",
    "line one\nline two\r\n} LIMIT 1",
    "<https://w3id.org/papergraph/id/dataset/gsm8k> } UNION {",
    "http://evil.example/> } ; DROP ALL ; #",
    "https://ok.example/a b",
    "?dataset",
    "\\u0022 } #",
    EVIL_LABEL,
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return memory_store()


@pytest.fixture(scope="module")
def catalog() -> dict[str, queries.CannedQuery]:
    return queries.load_catalog()


def run(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    columns, rows = queries.run_rows(store, name, params)
    return [{c: term_text(v) for c, v in zip(columns, row, strict=True) if v is not None} for row in rows]


# --- the files ----------------------------------------------------------------------------------


def test_catalog_is_the_packaged_queries_directory(catalog: dict[str, queries.CannedQuery]) -> None:
    assert RQ_FILES, "no .rq files"
    assert sorted(catalog) == sorted(p.stem for p in RQ_FILES)
    required = {
        "papers-using-dataset", "papers-evaluating-on-dataset", "paper-contributions", "methods-with-code-for-task",
        "leaderboard", "most-used-datasets", "most-used-methods", "most-used-models", "datasets-co-used",
        "methods-with-dataset", "neighbourhood", "neighbourhood-2", "search", "entity",
    }
    assert required <= set(catalog)


@pytest.mark.parametrize("path", RQ_FILES, ids=lambda p: p.stem)
def test_each_file_parses_declares_and_projects_its_params(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    query = queries.parse_query_text(text, path.name)
    assert query.name == path.stem
    assert query.description and len(query.description) > 20
    ox.Store().query(text, substitutions={ox.Variable(p.name): queries.parse_value(p, p.example or p.default or "x")
                                          for p in query.params} or None)  # valid SPARQL on its own
    projection = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", query.text, re.S | re.I)
    assert projection, "a canned query is a SELECT"
    used = set(re.findall(r"[?$](\w+)", text.split("WHERE", 1)[1]))
    for param in query.params:
        assert param.kind in queries.PARAM_KINDS
        assert param.help
        assert param.name in query.columns, f"?{param.name} must be projected"
        assert re.search(rf"[?$]{param.name}\b", projection.group(1)), f"?{param.name} not in the SELECT clause"
        assert param.name in used, f"?{param.name} is declared but never used"
        assert param.example or param.default, "give an example so docs and tests can call it"
    assert re.search(r"\bLIMIT\s+\d+\s*$", text.strip()), "end with a fixed LIMIT"
    assert "SERVICE" not in text.upper()


def test_header_errors_name_the_file() -> None:
    good = "# name: x\n# description: a query that is long enough\nSELECT ?a WHERE { ?a ?b ?c } LIMIT 5\n"
    assert queries.parse_query_text(good, "x.rq").limit == 5
    bad = {
        "# description: no name here at all\nSELECT ?a WHERE { ?a ?b ?c } LIMIT 5": "name",
        "# name: x\nSELECT ?a WHERE { ?a ?b ?c } LIMIT 5": "description",
        "# name: x\n# description: ok ok ok\nSELECT ?a WHERE { ?a ?b ?c }": "LIMIT",
        "# name: x\n# description: ok ok ok\n# param: a float \"h\"\nSELECT ?a WHERE { ?a ?b ?c } LIMIT 5": "kind",
        "# name: x\n# description: ok ok ok\n# param: z string \"h\"\nSELECT ?a WHERE { ?a ?b ?z } LIMIT 5":
            "projected",
        "# name: x\n# description: ok ok ok\nSELECT ?a WHERE { ?a ?b } LIMIT 5": "x.rq",
        "# name: x\n# description: ok ok ok\n# param: a entity \"h\" lookup=Dataset bind=z\n"
        "SELECT ?a WHERE { ?a ?b ?z } LIMIT 5": "projected",
        "# name: x\n# description: ok ok ok\n# param: a entity \"h\" lookup=Planet bind=b\n"
        "SELECT ?a ?b WHERE { ?a ?b ?c } LIMIT 5": "lookup=",
        "# name: x\n# description: ok ok ok\n# param: a string \"h\" lookup=Dataset bind=b\n"
        "SELECT ?a ?b WHERE { ?a ?b ?c } LIMIT 5": "entity parameter",
    }
    for text, word in bad.items():
        with pytest.raises(QueryError, match=word):
            queries.parse_query_text(text, "x.rq")


def test_with_prefixes_adds_only_missing_prefixes() -> None:
    text = queries.with_prefixes("PREFIX pg: <http://other/>\nSELECT * WHERE { ?s a pg:Paper }")
    assert text.count("PREFIX pg:") == 1 and "<http://other/>" in text
    for prefix in ("dcterms", "rdfs", "skos", "xsd", "prov", "schema", "dcat"):
        assert f"PREFIX {prefix}:" in text
    ox.Store().query(text)


# --- binding ------------------------------------------------------------------------------------


def test_arguments_become_typed_terms(catalog: dict[str, queries.CannedQuery]) -> None:
    bound = queries.bind_params(catalog["papers-using-dataset"], {"dataset": "https://w3id.org/x", "_limit": "3"})
    assert bound == {"dataset": ox.NamedNode("https://w3id.org/x")}
    assert queries.bind_params(catalog["papers-using-dataset"], {"dataset": " GSM8K "}) == {
        "dataset": ox.Literal("GSM8K")}
    assert queries.bind_params(catalog["papers-using-dataset"], {"dataset": "<urn:x:y>"}) == {
        "dataset": ox.NamedNode("urn:x:y")}
    assert queries.bind_params(catalog["most-used-datasets"], {}) == {"min_papers": ox.Literal(1)}
    assert queries.bind_params(catalog["most-used-datasets"], {"min_papers": "2"}) == {"min_papers": ox.Literal(2)}


@pytest.mark.parametrize(("name", "args", "message"), [
    ("papers-using-dataset", {}, "missing required parameter 'dataset'"),
    ("papers-using-dataset", {"dataset": "   "}, "must not be empty"),
    ("papers-using-dataset", {"dataset": "x" * 600}, "longer than"),
    ("papers-using-dataset", {"dataset": "http://x> } ; DROP ALL ; #"}, "not a valid IRI"),
    ("most-used-datasets", {"min_papers": "1 } LIMIT 1"}, "must be an integer"),
    ("most-used-datasets", {"min_papers": "99999999999"}, "out of range"),
])
def test_bad_arguments_are_query_errors(name: str, args: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        queries.prepare(name, args)


def test_unknown_query() -> None:
    with pytest.raises(UnknownQuery):
        queries.prepare("no-such-query", {})


def test_page_window_stays_inside_the_query_limit(catalog: dict[str, queries.CannedQuery]) -> None:
    search = catalog["search"]
    assert queries.page_window(search, None, None) == (min(100, search.limit), 0)
    assert queries.page_window(search, 10_000, 5) == (search.limit, 5)
    assert queries.page_window(search, 5, 10_000) == (5, search.limit)
    with pytest.raises(QueryError):
        queries.page_window(search, 0, 0)
    with pytest.raises(QueryError):
        queries.page_window(search, 5, -1)


# --- answers on the hand-written corpus --------------------------------------------------------


@pytest.mark.parametrize("value", ["GSM8K", "gsm8k", "Grade School Math 8K", iri_of(GSM8K)])
def test_papers_using_dataset_by_iri_label_or_alias(store: ox.Store, value: str) -> None:
    rows = run(store, "papers-using-dataset", dataset=value)
    assert [r["title"] for r in rows] == [
        "Self-Consistency Improves Chain of Thought Reasoning in Language Models",
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        "Training Verifiers to Solve Math Word Problems",
    ]
    assert {r["datasetIri"] for r in rows} == {iri_of(GSM8K)}
    assert all(r["dataset"] == value for r in rows)
    assert set(rows[2]["relations"].split()) == {"introducesDataset", "usesDataset"}


def test_papers_evaluating_on_dataset_show_their_results(store: ox.Store) -> None:
    rows = run(store, "papers-evaluating-on-dataset", dataset="squad")
    assert [(r["title"][:7], r["results"]) for r in rows] == [
        ("RoBERTa", "94.6 f1 on SQuAD"), ("BERT: P", "93.2 f1 on SQuAD")]


@pytest.mark.parametrize("value", ["1706.03762", "arXiv:1706.03762", "Attention Is All You Need",
                                   ID + "paper/arxiv/1706.03762"])
def test_paper_contributions(store: ox.Store, value: str) -> None:
    rows = run(store, "paper-contributions", paper=value)
    got = [(r["relation"], r["label"]) for r in rows]
    assert got == [("proposesMethod", "Transformer"), ("usesDataset", "WMT 2014"), ("evaluatesOn", "WMT 2014"),
                   ("addressesTask", "Machine Translation"), ("hasRepository", "tensorflow/tensor2tensor")]
    assert rows[-1]["url"] == "https://github.com/tensorflow/tensor2tensor"


def test_methods_with_code_for_task(store: ox.Store) -> None:
    rows = run(store, "methods-with-code-for-task", task="math word problems")
    assert [(r["methodLabel"], r["repositoryUrl"]) for r in rows] == [
        ("Chain-of-Thought Prompting", "https://github.com/example/cot")]


def test_leaderboard_orders_by_metric_direction(store: ox.Store) -> None:
    gsm = run(store, "leaderboard", benchmark="GSM8K")
    assert [(r["rawValue"], r["better"]) for r in gsm] == [("74.4%", "higher"), ("58.1%", "higher")]
    assert gsm[0]["methods"] == "Self-Consistency" and gsm[0]["models"] == "PaLM"
    wiki = run(store, "leaderboard", benchmark="wikitext-103")
    assert [(r["rawValue"], r["better"]) for r in wiki] == [("18.3", "lower"), ("24.0", "lower")]


def test_most_used(store: ox.Store) -> None:
    datasets = run(store, "most-used-datasets")
    assert (datasets[0]["label"], datasets[0]["papers"]) == ("GSM8K", "3")
    assert {r["label"] for r in datasets} >= {"GLUE", "SQuAD", "SVAMP", "WikiText-103", "WMT 2014", EVIL_LABEL}
    methods = run(store, "most-used-methods", min_papers="2")
    assert [(r["label"], r["papers"]) for r in methods] == [("Transformer", "4"), ("Chain-of-Thought Prompting", "2")]
    models = run(store, "most-used-models")
    assert sorted((r["label"], r["papers"]) for r in models) == [("BERT", "2"), ("GPT-3", "2"), ("PaLM", "2")]
    benchmarks = run(store, "benchmarks")
    assert {r["label"]: r["metrics"] for r in benchmarks}["WikiText-103"] == "perplexity"


def test_co_occurrence(store: ox.Store) -> None:
    assert [(r["otherLabel"], r["papers"]) for r in run(store, "datasets-co-used", dataset="GLUE")] == [("SQuAD", "2")]
    co = run(store, "datasets-co-used", dataset=iri_of(SVAMP))
    assert [(r["otherLabel"], r["papers"]) for r in co] == [("GSM8K", "2")]
    methods = run(store, "methods-with-dataset", dataset="gsm8k")
    assert [(r["methodLabel"], r["papers"]) for r in methods] == [
        ("Chain-of-Thought Prompting", "2"), ("Self-Consistency", "1"), ("Verifier", "1")]


def test_neighbourhood_depth_one_and_two(store: ox.Store) -> None:
    one = run(store, "neighbourhood", entity="SVAMP")
    assert {r["depth"] for r in one} == {"1"}
    assert {r["target"] for r in one} == {iri_of(SVAMP)}
    assert {r["sourceKind"] for r in one} == {"Paper"} and {r["targetKind"] for r in one} == {"Dataset"}
    two = run(store, "neighbourhood-2", entity=iri_of(SVAMP))
    depths = [r["depth"] for r in two]
    assert depths == sorted(depths) and set(depths) == {"1", "2"}, "depth-1 edges come first"
    assert {r["targetLabel"] for r in two if r["depth"] == "2"} >= {"GSM8K", "PaLM", "Math Word Problems"}
    paper = run(store, "neighbourhood", entity="1810.04805")
    assert {r["targetKind"] for r in paper} == {"Method", "Model", "Dataset", "Task", "Repository", "Link"}


def test_search_ranks_exact_then_prefix_then_substring(store: ox.Store) -> None:
    rows = run(store, "search", q="bert")
    assert [(r["label"], r["rank"]) for r in rows][:2] == [
        ("BERT", "0"), ("BERT: Pre-training of Deep Bidirectional Transformers", "1")]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert rows[0]["kind"] == "Model" and rows[0]["papers"] == "2"
    trans = run(store, "search", q="TRANS")
    assert trans[0]["entity"] == iri_of(TRANSFORMER) and trans[0]["papers"] == "4"
    assert run(store, "search", q="grade school")[0]["entity"] == iri_of(GSM8K)  # aliases count
    assert run(store, "search", q="no such thing anywhere") == []


def test_entity_has_properties_links_and_evidence(store: ox.Store) -> None:
    rows = run(store, "entity", entity="glue")
    props = {(r["direction"], r["property"].rsplit("#", 1)[-1]) for r in rows}
    assert {("out", "label"), ("out", "altLabel"), ("out", "type"), ("in", "evaluatesOn"), ("in", "onDataset")} <= props
    assert not props & {("in", "first"), ("in", "second")}  # derived co-occurrence nodes are no relation of it
    evidence = [r for r in rows if r["property"] == PG + "evaluatesOn"]
    assert evidence and all(r["sentence"] and r["extractor"] == "hand-written" for r in evidence)
    assert any("80.5 on GLUE" in r["sentence"] for r in evidence)
    paper = run(store, "entity", entity="2201.11903")
    assert any(r["property"] == PG + "arxivId" and r["value"] == "2201.11903" for r in paper)
    facts = [r for r in paper if r["property"] == PG + "proposesMethod"]
    assert facts and facts[0]["sentence"].startswith("We propose chain of thought prompting")


def test_every_query_answers_its_example(store: ox.Store, catalog: dict[str, queries.CannedQuery]) -> None:
    for query in catalog.values():
        args = {p.name: p.example for p in query.params if p.example}
        columns, rows = queries.run_rows(store, query.name, args)
        assert rows, f"{query.name} gave no rows for its example {args}"
        assert columns == list(query.columns)


# --- hostile arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_values(store: ox.Store, catalog: dict[str, queries.CannedQuery], value: str) -> None:
    before = len(store)
    for query in catalog.values():
        for param in query.params:
            args = {p.name: (p.example or p.default or "x") for p in query.params} | {param.name: value}
            try:
                prepared = queries.prepare(query.name, args)
            except QueryError as exc:  # only a malformed IRI or a non-integer may be refused
                assert "IRI" in str(exc) or "integer" in str(exc), str(exc)
                continue
            columns, rows = queries.run_rows(store, query.name, args)
            assert columns == list(query.columns)
            echoed = {term_text(row[columns.index(param.name)]) for row in rows}
            assert echoed <= {term_text(prepared.substitutions[param.name])}, "the argument came back changed"
            # a pasted value would widen the answer; a bound one matches nothing here
            if query.name != "search" and value != EVIL_LABEL:
                assert rows == [], f"{query.name}({param.name}={value!r}) matched something"
    assert len(store) == before


def test_hostile_label_is_found_as_a_value(store: ox.Store) -> None:
    rows = run(store, "papers-using-dataset", dataset=EVIL_LABEL)
    assert [r["title"] for r in rows] == ["Another Look at WikiText-103 Perplexity"]
    assert run(store, "search", q='"} ; DROP')[0]["label"] == EVIL_LABEL


# --- the CLI shares the code path ---------------------------------------------------------------


def test_cli_runs_canned_queries(tmp_path: Path) -> None:
    from kg.cli import main

    store_dir = build_corpus_store(tmp_path / "store")
    result = CliRunner().invoke(main, ["query", "--store", str(store_dir), "--canned", "datasets-co-used",
                                       "-p", f"dataset={iri_of(GLUE)}", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].endswith("SQuAD,2")
    listed = CliRunner().invoke(main, ["query", "--list"])
    assert listed.exit_code == 0 and "papers-using-dataset" in listed.output
    bad = CliRunner().invoke(main, ["query", "--store", str(store_dir), "--canned", "leaderboard"])
    assert bad.exit_code == 1 and "benchmark" in bad.output


def test_entity_lookups_name_a_projected_variable(catalog: dict[str, queries.CannedQuery]) -> None:
    """Every entity parameter of a query that resolves a name in SPARQL says where the index puts the IRI."""
    resolving = [q for q in catalog.values() if any(p.kind == "entity" for p in q.params)]
    assert resolving
    for query in resolving:
        for param in query.params:
            if param.kind == "entity":
                assert param.lookup in queries.LOOKUPS and param.bind in query.columns, query.name


def test_bench_peer_queries_ask_the_same_columns(catalog: dict[str, queries.CannedQuery]) -> None:
    """The bench's naive peer formulations (bench/peer) stay in step with the canned queries they stand for."""
    peer = Path(__file__).parent.parent / "bench" / "peer"
    files = sorted(peer.glob("*.rq"))
    assert files
    for path in files:
        query = catalog[path.stem]
        result = ox.Store().query(queries.with_prefixes(path.read_text(encoding="utf-8")))
        assert tuple(v.value for v in result.variables) == query.columns, path.name  # type: ignore[union-attr]
