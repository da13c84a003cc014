"""ontology.ttl declares every term we use; shapes.ttl accepts what the mapper writes and rejects broken graphs."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg import rdf, vocab
from kg.identity import paper_key
from kg.model import EntityRef, Listing, Mention, Paper, PaperRecord, ResultValue
from kg.validate import store_graph, validate_store

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology.ttl"
SHAPES = ROOT / "shapes.ttl"
QUERIES = ROOT / "queries"
EXAMPLES = ROOT / "examples" / "hf-daily-papers"
PG = rdflib.Namespace(vocab.PG)
DCTERMS = rdflib.Namespace(vocab.DCTERMS)

_KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def _declared(graph: rdflib.Graph) -> dict[str, str]:
    """pg local name -> "class" / "property" for every term the ontology declares."""
    out: dict[str, str] = {}
    for owl_type, kind in _KINDS.items():
        for term in graph.subjects(RDF.type, owl_type):
            if isinstance(term, rdflib.URIRef) and str(term).startswith(vocab.PG):
                out[str(term)[len(vocab.PG):]] = kind
    return out


# --- the ontology ---------------------------------------------------------------------------------


def test_ontology_header(ontology: rdflib.Graph) -> None:
    onto = rdflib.URIRef(vocab.BASE + "ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for prop in (RDFS.label, RDFS.comment, OWL.versionInfo, DCTERMS.license):
        assert ontology.value(onto, prop) is not None, prop


@pytest.mark.parametrize("local", vocab.CLASSES)
def test_every_class_declared(ontology: rdflib.Graph, local: str) -> None:
    term = PG[local]
    assert (term, RDF.type, OWL.Class) in ontology
    assert ontology.value(term, RDFS.label) is not None
    assert ontology.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("local", vocab.RELATIONS + vocab.PROPERTIES)
def test_every_property_declared(ontology: rdflib.Graph, local: str) -> None:
    term = PG[local]
    types = set(ontology.objects(term, RDF.type))
    assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"pg:{local} is not an OWL property"
    assert ontology.value(term, RDFS.label) is not None
    assert ontology.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("local", vocab.RELATIONS)
def test_relations_are_object_properties_from_papers(ontology: rdflib.Graph, local: str) -> None:
    term = PG[local]
    assert (term, RDF.type, OWL.ObjectProperty) in ontology
    assert (term, RDFS.domain, PG.Paper) in ontology
    assert ontology.value(term, RDFS.range) is not None


def test_ontology_declares_nothing_extra(ontology: rdflib.Graph) -> None:
    """kg/vocab.py mirrors the ontology both ways."""
    assert set(_declared(ontology)) == set(vocab.CLASSES + vocab.RELATIONS + vocab.PROPERTIES)


def test_class_of_kind_names_classes() -> None:
    assert set(vocab.CLASS_OF_KIND.values()) <= set(vocab.CLASSES)


def test_standard_alignments(ontology: rdflib.Graph) -> None:
    schema, dcat, prov = (rdflib.Namespace(ns) for ns in (vocab.SCHEMA, vocab.DCAT, vocab.PROV))
    for sub, sup in [
        (PG.Dataset, dcat.Dataset), (PG.Dataset, schema.Dataset), (PG.Paper, schema.ScholarlyArticle),
        (PG.Repository, schema.SoftwareSourceCode), (PG.Build, prov.Activity), (PG.Evidence, RDF.Statement),
        (PG.Benchmark, PG.Dataset),
    ]:
        assert (sub, RDFS.subClassOf, sup) in ontology, (sub, sup)


def test_lpwc_terms_use_the_real_namespaces(ontology: rdflib.Graph) -> None:
    """LPWC terms live under linkedpaperswithcode.com/class/ and /property/ (checked against its ontology)."""
    lpwc = [o for p in (OWL.equivalentClass, OWL.equivalentProperty) for o in ontology.objects(None, p)]
    assert lpwc
    assert all(re.match(r"https://linkedpaperswithcode\.com/(class|property)/\w+$", str(t)) for t in lpwc)


# --- terms used elsewhere are declared ------------------------------------------------------------


def _pg_terms_in_graph(graph: rdflib.Graph) -> set[str]:
    terms = {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    return {str(t)[len(vocab.PG):] for t in terms if str(t).startswith(vocab.PG)}


def _pg_terms_in_sparql(text: str) -> set[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    prefixes = re.findall(r"PREFIX\s+(\w*):\s*<" + re.escape(vocab.PG) + ">", body, flags=re.IGNORECASE)
    found = set(re.findall(re.escape("<" + vocab.PG) + r"(\w+)>", body))
    for prefix in prefixes:
        found |= set(re.findall(r"(?<![\w:])" + re.escape(prefix) + r":(\w+)", body))
    return found


def test_shapes_use_only_declared_terms(ontology: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    used = _pg_terms_in_graph(shapes)
    for select in shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#select")):
        used |= _pg_terms_in_sparql("PREFIX pg: <" + vocab.PG + ">\n" + str(select))
    assert used, "shapes.ttl uses no pg: terms?"
    assert used - set(_declared(ontology)) == set()


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_queries_use_only_declared_terms(ontology: rdflib.Graph, query: Path) -> None:
    used = _pg_terms_in_sparql(query.read_text(encoding="utf-8"))
    assert used - set(_declared(ontology)) == set(), query.name


def test_packaged_copies_are_the_top_level_files() -> None:
    from kg.resources import ontology_path, shapes_path

    assert ontology_path().read_bytes() == ONTOLOGY.read_bytes()
    assert shapes_path().read_bytes() == SHAPES.read_bytes()


# --- the mapper's output conforms to the shapes -----------------------------------------------------

TITLE = "LoRA-Bench: Evaluating Parameter-Efficient Tuning of Llama 2"
ABSTRACT = (
    "We introduce LoRA-Bench, a benchmark for question answering. "
    "We fine-tune Llama 2 with LoRA and evaluate on SQuAD, reaching 91.2% accuracy. "
    "Code is at https://github.com/example/lora-bench."
)
SQUAD = EntityRef("dataset", "squad", "SQuAD", aliases=("SQuAD", "Stanford Question Answering Dataset"))
BENCH = EntityRef("dataset", "lora-bench", "LoRA-Bench")
LORA = EntityRef("method", "lora", "LoRA", aliases=("Low-Rank Adaptation",))
LLAMA = EntityRef("model", "llama-2", "Llama 2")
QA = EntityRef("task", "question-answering", "question answering")
REPO = EntityRef("repository", "github.com/example/lora-bench", "example/lora-bench",
                 url="https://github.com/example/lora-bench")
PAGE = EntityRef("link", "lora-bench.example.org", "lora-bench.example.org", url="https://lora-bench.example.org/")


def _mention(relation: str, surface: str, *, field: str = "abstract", entity: EntityRef | None = None,
             result: ResultValue | None = None, confidence: float = 0.9) -> Mention:
    text = TITLE if field == "title" else ABSTRACT
    start = text.index(surface)
    sentence_start = text.rfind(". ", 0, start) + 2 if ". " in text[:start] else 0
    sentence_end = text.find(". ", start)
    sentence_end = len(text) if sentence_end < 0 else sentence_end + 1
    return Mention(relation, surface, field, start, start + len(surface), sentence_start, sentence_end,  # type: ignore[arg-type]
                   "test.handmade", confidence, entity=entity, result=result)


def _paper() -> Paper:
    listing = Listing(source="daily.txt", position=3, line=17, date="2024-03-11")
    record = PaperRecord(
        title=TITLE, abstract=ABSTRACT, listing=listing, arxiv_id="2403.01234",
        url="https://arxiv.org/abs/2403.01234", authors=("Ada Lovelace", "Alan Turing"), date="2024-03-09",
        categories=("cs.CL", "cs.LG"), source_format="hf-daily",
    )
    result = ResultValue(value=0.912, raw="91.2%", unit="%", metric="accuracy", dataset=SQUAD)
    mentions = [
        _mention("introducesDataset", "LoRA-Bench", field="title", entity=BENCH),
        _mention("introducesDataset", "LoRA-Bench", entity=BENCH),
        _mention("addressesTask", "question answering", entity=QA, confidence=0.6),
        _mention("usesModel", "Llama 2", entity=LLAMA),
        _mention("usesMethod", "LoRA", field="title", entity=LORA, confidence=1.0),
        _mention("evaluatesOn", "SQuAD", entity=SQUAD),
        _mention("reportsResult", "91.2%", result=result, confidence=0.75),
        _mention("hasRepository", "https://github.com/example/lora-bench", entity=REPO),
        _mention("hasLink", "question", entity=PAGE, confidence=0.0),
    ]
    return Paper(record=record, listings=[listing], mentions=mentions)


def _quads(paper: Paper) -> list[str]:
    """What a build writes for one paper: its graph, its entities, its source file and a build-log entry."""
    key = paper_key(paper.record)
    classes: dict[EntityRef, set[str]] = {}
    for mention in paper.mentions:
        if mention.entity is not None:
            classes.setdefault(mention.entity, set()).update(rdf.entity_classes(mention))
        if mention.result is not None and mention.result.dataset is not None:
            classes.setdefault(mention.result.dataset, set()).add("Dataset")
    lines = rdf.paper_quads(key, paper)
    for ref, kinds in classes.items():
        lines += rdf.entity_quads(ref, kinds)
    lines += rdf.source_quads("daily.txt")
    lines += rdf.build_quads("b1", "2024-03-11T10:00:00Z", "2024-03-11T10:00:05Z", ["daily.txt"],
                             {"papers": 1, "papersNew": 1, "papersUpdated": 0})
    return lines


def _store(lines: list[str]) -> ox.Store:
    store = ox.Store()
    store.load(input="".join(lines), format=ox.RdfFormat.N_QUADS)
    return store


def test_mapper_output_conforms() -> None:
    store = _store(_quads(_paper()))
    assert len(store) > 50
    conforms, report = validate_store(store)
    assert conforms, report


def test_union_of_graphs_is_validated() -> None:
    """Entity types (graph/entities) and facts (paper graph) are only checked together in the union."""
    store = _store(_quads(_paper()))
    graphs = {q.graph_name for q in store}
    assert ox.NamedNode(vocab.ENTITIES_GRAPH) in graphs and len(graphs) >= 3
    union = store_graph(store)
    assert (rdflib.URIRef(vocab.ID + "dataset/squad"), RDF.type, PG.Benchmark) in union


def test_paper_without_entities_conforms() -> None:
    paper = _paper()
    paper.mentions = []
    conforms, report = validate_store(_store(_quads(paper)))
    assert conforms, report


# --- broken graphs do not conform, and the report says why ------------------------------------------


def _without(lines: list[str], needle: str) -> list[str]:
    kept = [line for line in lines if needle not in line]
    assert len(kept) < len(lines), needle
    return kept


def _broken_abstract(lines: list[str]) -> list[str]:
    return _without(lines, f"<{vocab.DCTERMS}abstract>")


def _broken_uses_dataset(lines: list[str]) -> list[str]:
    paper = rdf.iri(vocab.ID + "paper/arxiv/2403.01234")
    graph = rdf.iri(vocab.GRAPH + "paper/arxiv/2403.01234")
    method = rdf.iri(vocab.ID + "method/lora")
    return lines + [rdf.quad(paper, rdf.iri(vocab.pg("usesDataset")), method, graph)]


def _broken_confidence(lines: list[str]) -> list[str]:
    old = rdf.typed("0.600", "decimal")
    assert any(old in line for line in lines)
    return [line.replace(old, rdf.typed(1.7, "decimal")) for line in lines]


BROKEN = {
    "paper without abstract": (_broken_abstract, ["abstract", "exactly one dcterms:abstract"]),
    "usesDataset -> Method": (_broken_uses_dataset, ["usesDataset", "must point at a pg:Dataset", "method/lora"]),
    "confidence 1.7": (_broken_confidence, ["confidence", "between 0 and 1", "1.7"]),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_graph_does_not_conform(name: str) -> None:
    breaker, expected = BROKEN[name]
    conforms, report = validate_store(_store(breaker(_quads(_paper()))))
    assert not conforms
    for text in expected:
        assert text in report, f"{text!r} not in report:\n{report}"


def test_all_problems_reported_at_once() -> None:
    lines = _quads(_paper())
    for breaker, _ in BROKEN.values():
        lines = breaker(lines)
    conforms, report = validate_store(_store(lines))
    assert not conforms
    for _, expected in BROKEN.values():
        assert all(text in report for text in expected)


def test_more_problems_are_caught() -> None:
    lines = _quads(_paper())
    lines = _without(lines, f"<{vocab.RDFS_LABEL}> \"Llama 2\"")  # entity without a label
    lines = _without(lines, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + vocab.pg("Benchmark"))
    lines = [line.replace(rdf.typed(3, "integer"), rdf.typed(-3, "integer")) for line in lines]  # position
    conforms, report = validate_store(_store(lines))
    assert not conforms
    assert "llama-2" in report and "rdfs:label" in report.replace(vocab.RDFS, "rdfs:")
    assert "must be typed pg:Benchmark" in report
    assert "pg:position, an xsd:integer >= 1" in report


def test_evidence_for_an_unasserted_fact() -> None:
    fact = rdf.quad(rdf.iri(vocab.ID + "paper/arxiv/2403.01234"), rdf.iri(vocab.pg("usesModel")),
                    rdf.iri(vocab.ID + "model/llama-2"), rdf.iri(vocab.GRAPH + "paper/arxiv/2403.01234"))
    conforms, report = validate_store(_store(_without(_quads(_paper()), fact)))
    assert not conforms
    assert "not asserted" in report


# --- a real build -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_built_example_corpus_conforms(tmp_path: Path) -> None:
    """Two of the five bundled pages (about 170 papers with every kind of fact) keep this under ~20 s."""
    from kg.build import build_store
    from kg.store import open_read

    pages = sorted(EXAMPLES.glob("*.txt"))
    build_store([str(pages[2]), str(pages[3])], tmp_path / "store", workers=2)
    store = open_read(tmp_path / "store")
    assert len(store) > 0
    conforms, report = validate_store(store)
    assert conforms, report[:5000]
