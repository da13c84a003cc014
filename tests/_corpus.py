"""A small hand-written corpus turned into a real store, for the query, API and web tests.

The papers and their mentions are written out by hand (not extracted) so the tests pin the graph
shape that :mod:`kg.rdf` produces and know exactly which answers each canned query must give,
whatever the extractors do. The quads come from :mod:`kg.rdf` itself, so the shape cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import rdf
from kg.identity import entity_iri, paper_key
from kg.model import EntityRef, Listing, Mention, Paper, PaperRecord, ResultValue
from kg.summary import compute_summary

#: An entity whose label is itself hostile SPARQL: it must only ever come back as a value.
EVIL_LABEL = 'Evil "} ; DROP ALL ; #'


def _ref(kind: str, key: str, label: str, *aliases: str, url: str | None = None) -> EntityRef:
    return EntityRef(kind, key, label, tuple(aliases), url)  # type: ignore[arg-type]


WMT14 = _ref("dataset", "wmt2014", "WMT 2014", "WMT14")
GLUE = _ref("dataset", "glue", "GLUE", "General Language Understanding Evaluation")
SQUAD = _ref("dataset", "squad", "SQuAD", "Stanford Question Answering Dataset")
GSM8K = _ref("dataset", "gsm8k", "GSM8K", "Grade School Math 8K")
SVAMP = _ref("dataset", "svamp", "SVAMP")
WIKITEXT = _ref("dataset", "wikitext103", "WikiText-103")
EVIL = _ref("dataset", "evil", EVIL_LABEL)
TRANSFORMER = _ref("method", "transformer", "Transformer")
COT = _ref("method", "chainofthought", "Chain-of-Thought Prompting", "CoT", "chain of thought")
SELFCONS = _ref("method", "selfconsistency", "Self-Consistency")
VERIFIER = _ref("method", "verifier", "Verifier")
BERT = _ref("model", "bert", "BERT")
GPT3 = _ref("model", "gpt3", "GPT-3")
PALM = _ref("model", "palm", "PaLM")
MT = _ref("task", "machinetranslation", "Machine Translation")
QA = _ref("task", "questionanswering", "Question Answering")
MATH = _ref("task", "mathwordproblems", "Math Word Problems")
LM = _ref("task", "languagemodeling", "Language Modeling")
T2T = _ref("repository", "github.com/tensorflow/tensor2tensor", "tensorflow/tensor2tensor",
           url="https://github.com/tensorflow/tensor2tensor")
BERT_REPO = _ref("repository", "github.com/google-research/bert", "google-research/bert",
                 url="https://github.com/google-research/bert")
COT_REPO = _ref("repository", "github.com/example/cot", "example/cot", url="https://github.com/example/cot")
HF_BERT = _ref("link", "huggingface.co/bert-base-uncased", "huggingface.co/bert-base-uncased",
               url="https://huggingface.co/bert-base-uncased")


@dataclass(frozen=True)
class Fact:
    """One mention to write: relation, the entity (or a result), and the surface form in the abstract."""

    relation: str
    surface: str
    entity: EntityRef | None = None
    result: ResultValue | None = None


def _result(value: float, raw: str, unit: str | None, metric: str, dataset: EntityRef,
            label: str | None = None) -> ResultValue:
    return ResultValue(value, raw, unit, metric, dataset, metric_label=label)


PAPERS: list[tuple[dict[str, str], list[Fact]]] = [
    (
        {"title": "Attention Is All You Need", "arxiv_id": "1706.03762", "date": "2017-06-12",
         "abstract": "We propose the Transformer, based solely on attention. "
                     "On WMT 2014 English-to-German machine translation it reaches 28.4 BLEU. "
                     "Code is at https://github.com/tensorflow/tensor2tensor."},
        [Fact("proposesMethod", "Transformer", TRANSFORMER), Fact("usesDataset", "WMT 2014", WMT14),
         Fact("evaluatesOn", "WMT 2014", WMT14), Fact("addressesTask", "machine translation", MT),
         Fact("reportsResult", "28.4 BLEU", result=_result(28.4, "28.4", None, "bleu", WMT14)),
         Fact("hasRepository", "https://github.com/tensorflow/tensor2tensor", T2T)],
    ),
    (
        {"title": "BERT: Pre-training of Deep Bidirectional Transformers", "arxiv_id": "1810.04805",
         "date": "2018-10-11",
         "abstract": "We introduce BERT, built on the Transformer. "
                     "BERT obtains 80.5 on GLUE and 93.2 F1 on SQuAD question answering. "
                     "Models at https://github.com/google-research/bert and https://huggingface.co/bert-base-uncased."},
        [Fact("usesModel", "BERT", BERT), Fact("usesMethod", "Transformer", TRANSFORMER),
         Fact("evaluatesOn", "GLUE", GLUE), Fact("evaluatesOn", "SQuAD", SQUAD),
         Fact("addressesTask", "question answering", QA),
         Fact("reportsResult", "80.5", result=_result(80.5, "80.5", None, "score", GLUE)),
         Fact("reportsResult", "93.2 F1", result=_result(93.2, "93.2", None, "f1", SQUAD)),
         Fact("hasRepository", "https://github.com/google-research/bert", BERT_REPO),
         Fact("hasLink", "https://huggingface.co/bert-base-uncased", HF_BERT)],
    ),
    (
        {"title": "RoBERTa: A Robustly Optimized BERT Pretraining Approach", "arxiv_id": "1907.11692",
         "date": "2019-07-26",
         "abstract": "We revisit BERT pretraining with the Transformer. "
                     "RoBERTa reaches 88.5 on GLUE and 94.6 F1 on SQuAD."},
        [Fact("usesModel", "BERT", BERT), Fact("usesMethod", "Transformer", TRANSFORMER),
         Fact("evaluatesOn", "GLUE", GLUE), Fact("evaluatesOn", "SQuAD", SQUAD),
         Fact("usesDataset", "GLUE", GLUE),
         Fact("reportsResult", "88.5", result=_result(88.5, "88.5", None, "score", GLUE)),
         Fact("reportsResult", "94.6 F1", result=_result(94.6, "94.6", None, "f1", SQUAD))],
    ),
    (
        {"title": "Training Verifiers to Solve Math Word Problems", "arxiv_id": "2110.14168", "date": "2021-10-27",
         "abstract": "We introduce GSM8K, a dataset of grade school math word problems. "
                     "We train a Verifier to judge GPT-3 solutions."},
        [Fact("introducesDataset", "GSM8K", GSM8K), Fact("usesDataset", "GSM8K", GSM8K),
         Fact("proposesMethod", "Verifier", VERIFIER), Fact("usesModel", "GPT-3", GPT3),
         Fact("addressesTask", "math word problems", MATH)],
    ),
    (
        {"title": "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models", "arxiv_id": "2201.11903",
         "date": "2022-01-28",
         "abstract": "We propose chain of thought prompting for math word problems. "
                     "With PaLM it reaches 58.1% accuracy on GSM8K and also improves on SVAMP with GPT-3. "
                     "Code: https://github.com/example/cot."},
        [Fact("proposesMethod", "chain of thought", COT), Fact("usesModel", "PaLM", PALM),
         Fact("usesModel", "GPT-3", GPT3), Fact("evaluatesOn", "GSM8K", GSM8K), Fact("usesDataset", "SVAMP", SVAMP),
         Fact("evaluatesOn", "SVAMP", SVAMP), Fact("addressesTask", "math word problems", MATH),
         Fact("reportsResult", "58.1% accuracy", result=_result(0.581, "58.1%", "%", "accuracy", GSM8K)),
         Fact("hasRepository", "https://github.com/example/cot", COT_REPO)],
    ),
    (
        {"title": "Self-Consistency Improves Chain of Thought Reasoning in Language Models", "arxiv_id": "2203.11171",
         "date": "2022-03-21",
         "abstract": "We propose Self-Consistency on top of CoT for math word problems. "
                     "With PaLM it reaches 74.4% accuracy on GSM8K and 86.6% on SVAMP."},
        [Fact("proposesMethod", "Self-Consistency", SELFCONS), Fact("usesMethod", "CoT", COT),
         Fact("usesModel", "PaLM", PALM), Fact("evaluatesOn", "GSM8K", GSM8K), Fact("evaluatesOn", "SVAMP", SVAMP),
         Fact("usesDataset", "GSM8K", GSM8K), Fact("usesDataset", "SVAMP", SVAMP),
         Fact("addressesTask", "math word problems", MATH),
         Fact("reportsResult", "74.4% accuracy", result=_result(0.744, "74.4%", "%", "accuracy", GSM8K)),
         Fact("reportsResult", "86.6%", result=_result(0.866, "86.6%", "%", "accuracy", SVAMP))],
    ),
    (
        {"title": "Small Language Models on WikiText-103", "date": "2023-05-02",
         "abstract": "A Transformer language model trained on WikiText-103 reaches 18.3 perplexity."},
        [Fact("usesMethod", "Transformer", TRANSFORMER), Fact("evaluatesOn", "WikiText-103", WIKITEXT),
         Fact("addressesTask", "language model", LM),
         Fact("reportsResult", "18.3 perplexity", result=_result(18.3, "18.3", None, "perplexity", WIKITEXT, "Perplexity"))],
    ),
    (
        {"title": "Another Look at WikiText-103 Perplexity", "date": "2023-06-09",
         "abstract": "Our recurrent language model baseline on WikiText-103 reaches 24.0 perplexity. "
                     'We also release the Evil "} ; DROP ALL ; # dataset.'},
        [Fact("evaluatesOn", "WikiText-103", WIKITEXT), Fact("addressesTask", "language model", LM),
         Fact("reportsResult", "24.0 perplexity", result=_result(24.0, "24.0", None, "perplexity", WIKITEXT, "Perplexity")),
         Fact("introducesDataset", EVIL_LABEL, EVIL)],
    ),
]


def _mentions(abstract: str, facts: list[Fact]) -> list[Mention]:
    out = []
    for fact in facts:
        start = abstract.find(fact.surface)
        if start < 0:
            start = abstract.lower().find(fact.surface.lower())
        assert start >= 0, f"{fact.surface!r} not in the abstract"
        sentence_start = abstract.rfind(". ", 0, start)
        sentence_start = 0 if sentence_start < 0 else sentence_start + 2
        sentence_end = abstract.find(". ", start)
        sentence_end = len(abstract) if sentence_end < 0 else sentence_end + 1
        out.append(Mention(fact.relation, fact.surface, "abstract", start, start + len(fact.surface),
                           sentence_start, sentence_end, "hand-written", 0.9, fact.entity, fact.result))
    return out


def corpus_quads() -> str:
    """N-Quads text of the whole corpus, as a build would write it."""
    lines: list[str] = []
    entities: dict[str, tuple[EntityRef, set[str]]] = {}
    for position, (fields, facts) in enumerate(PAPERS, start=1):
        record = PaperRecord(
            title=fields["title"], abstract=fields["abstract"], arxiv_id=fields.get("arxiv_id"),
            date=fields.get("date"), authors=("A. Author", "B. Author"),
            listing=Listing("corpus.jsonl", position, position, fields.get("date")),
            url=f"https://arxiv.org/abs/{fields['arxiv_id']}" if "arxiv_id" in fields else None,
        )
        paper = Paper(record=record, listings=[record.listing], mentions=_mentions(record.abstract, facts))
        lines += rdf.paper_quads(paper_key(record), paper)
        for mention in paper.mentions:
            refs = [(mention.entity, rdf.entity_classes(mention))] if mention.entity else []
            if mention.result and mention.result.dataset:
                refs.append((mention.result.dataset, {"Dataset"}))
            for ref, classes in refs:
                entities.setdefault(entity_iri(ref), (ref, set()))[1].update(classes)
    for ref, classes in entities.values():
        lines += rdf.entity_quads(ref, classes)
    return "".join(lines)


def build_corpus_store(directory: Path) -> Path:
    """Write the corpus into a plain Oxigraph directory (``kg serve --store DIR`` opens it) and close it."""
    directory.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(directory))
    store.bulk_load(corpus_quads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    compute_summary(store)  # derived counts, as every build writes them
    store.flush()
    del store
    return directory


def memory_store() -> ox.Store:
    """The corpus in an in-memory store (fast unit tests)."""
    store = ox.Store()
    store.bulk_load(corpus_quads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    compute_summary(store)
    return store


def iri_of(ref: EntityRef) -> str:
    return entity_iri(ref)
