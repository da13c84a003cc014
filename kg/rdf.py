"""Mapping papers and their mentions to RDF quads (the only module that decides triple shapes).

Quads are produced as N-Quads text lines: it is several times faster than building term objects and
it streams straight into ``Store.bulk_load``. Layout (documented in ``ontology.ttl`` and the README):

- ``graph/paper/<key>``: the paper (title, abstract, metadata), its facts (paper -> entity), one
  ``pg:Evidence`` node per extracted mention (reified statement + sentence + offsets + extractor +
  confidence), its results and its listings. Replacing a paper = replacing this graph.
- ``graph/entities``: each entity's type, label and aliases, written once however many papers name it,
  so the union default graph never returns an entity triple twice.
- ``graph/build-log``: one ``pg:Build`` (``prov:Activity``) per build with its time and the source files
  it used (``prov:used``); the ``pg:SourceFile`` nodes themselves are described in ``graph/entities``.
- ``graph/summary``: derived counts and co-occurrences, see :mod:`kg.summary`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from kg.identity import content_hash, entity_iri, paper_graph, paper_iri, short_hash
from kg.model import EntityRef, Listing, Mention, Paper, ResultValue
from kg.vocab import (
    BUILD_LOG_GRAPH,
    CLASS_OF_KIND,
    DCTERMS,
    ENTITIES_GRAPH,
    ID,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT_LABEL,
    XSD,
    pg,
)

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\x00-\x1f\x7f]')
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GMONTHDAY = re.compile(r"^--\d{2}-\d{2}$")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def lit(value: str) -> str:
    """An N-Quads plain string literal."""
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, value) + '"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


@lru_cache(maxsize=16_384)
def iri(value: str) -> str:
    """An N-Quads IRI; characters not allowed in IRIs are percent-encoded rather than rejected.

    Cached: most IRIs a paper writes are the same few dozen predicates and classes, and entities recur
    across papers, so a dictionary hit replaces a regex pass for nearly every quad."""
    return "<" + _IRI_UNSAFE.sub(lambda m: "%%%02X" % ord(m.group()), value) + ">"


def quad(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n"


def date_literal(value: str) -> str:
    if _ISO_DATE.match(value):
        return typed(value, "date")
    if _GMONTHDAY.match(value):
        return typed(value, "gMonthDay")
    return lit(value)


def _xsd_double(value: float) -> str:
    """Python's ``inf``/``nan`` spelled as XML Schema wants them."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


A = iri(RDF_TYPE)
LABEL = iri(RDFS_LABEL)


def paper_quads(key: str, paper: Paper) -> list[str]:
    """Every quad of one paper's named graph, in a deterministic order."""
    record = paper.record
    subject, graph = iri(paper_iri(key)), iri(paper_graph(key))
    out = [
        quad(subject, A, iri(pg("Paper")), graph),
        quad(subject, iri(DCTERMS + "title"), lit(record.title), graph),
        quad(subject, LABEL, lit(record.title), graph),
        quad(subject, iri(DCTERMS + "abstract"), lit(record.abstract), graph),
        quad(subject, iri(pg("contentHash")), lit(content_hash(record)), graph),
    ]
    if record.source_format:
        out.append(quad(subject, iri(pg("sourceFormat")), lit(record.source_format), graph))
    if record.arxiv_id:
        out.append(quad(subject, iri(pg("arxivId")), lit(record.arxiv_id), graph))
        out.append(quad(subject, iri(DCTERMS + "identifier"), lit("arXiv:" + record.arxiv_id), graph))
    if record.url:
        out.append(quad(subject, iri(pg("url")), iri(record.url), graph))
    if record.date:
        out.append(quad(subject, iri(DCTERMS + "date"), date_literal(record.date), graph))
    out.extend(quad(subject, iri(DCTERMS + "creator"), lit(name), graph) for name in record.authors)
    out.extend(quad(subject, iri(DCTERMS + "subject"), lit(c), graph) for c in record.categories)
    for listing in paper.listings or [record.listing]:
        out.extend(listing_quads(key, listing))
    out.extend(mention_quads(key, paper))
    return out


def listing_quads(key: str, listing: Listing) -> list[str]:
    """One listing of the paper (source file, position, line, listing date) in the paper's graph."""
    subject, graph = iri(paper_iri(key)), iri(paper_graph(key))
    node = iri(f"{ID}listing/{short_hash(listing.source, 12)}/{listing.position}")
    out = [
        quad(subject, iri(pg("listedIn")), node, graph),
        quad(node, A, iri(pg("Listing")), graph),
        quad(node, iri(pg("source")), iri(source_iri(listing.source)), graph),
        quad(node, iri(pg("position")), typed(listing.position, "integer"), graph),
        quad(node, iri(pg("line")), typed(listing.line, "integer"), graph),
    ]
    if listing.date:
        out.append(quad(node, iri(pg("listingDate")), date_literal(listing.date), graph))
    return out


def source_iri(source: str) -> str:
    return f"{ID}source/{short_hash(source, 12)}"


def mention_quads(key: str, paper: Paper) -> list[str]:
    """Facts (paper -> entity), results, and one evidence node per fact (its first mention)."""
    subject, graph = iri(paper_iri(key)), iri(paper_graph(key))
    key_hash = short_hash(key)
    out: list[str] = []
    facts: set[str] = set()
    for index, mention in enumerate(paper.mentions):
        if mention.result is not None:
            target = iri(f"{ID}result/{key_hash}-{index}")
            out.extend(result_quads(target, mention.result, graph))
        elif mention.entity is not None:
            target = iri(entity_iri(mention.entity))
        else:
            continue
        fact = quad(subject, iri(pg(mention.relation)), target, graph)
        if fact in facts:
            continue  # one evidence per fact: the first sentence that states it
        facts.add(fact)
        out.append(fact)
        text = paper.record.title if mention.field == "title" else paper.record.abstract
        sentence = text[mention.sentence_start:mention.sentence_end]
        out.extend(evidence_quads(key, index, (subject, target, graph), mention, sentence, key_hash))
    return out


def result_quads(node: str, result: ResultValue, graph: str) -> list[str]:
    """A ``pg:Result`` node, typed ``pg:Score`` or ``pg:Delta`` too, so a leaderboard can rank scores
    only; a delta keeps its change word (``pg:change``) and shows it in its label."""
    metric = result.metric_label or result.metric
    label = result.raw + (f" {metric}" if metric else "")
    if result.kind == "delta":
        label += f" {result.change or 'change'}"
    if result.dataset is not None:
        label += f" on {result.dataset.label}"
    out = [
        quad(node, A, iri(pg("Result")), graph),
        quad(node, A, iri(pg("Delta" if result.kind == "delta" else "Score")), graph),
        quad(node, LABEL, lit(label), graph),
        quad(node, iri(pg("value")), typed(_xsd_double(result.value), "double"), graph),
        quad(node, iri(pg("rawValue")), lit(result.raw), graph),
    ]
    if result.unit:
        out.append(quad(node, iri(pg("unit")), lit(result.unit), graph))
    if result.metric:
        out.append(quad(node, iri(pg("metric")), lit(result.metric), graph))
    if result.metric_label:
        out.append(quad(node, iri(pg("metricLabel")), lit(result.metric_label), graph))
    if result.kind == "delta" and result.change:
        out.append(quad(node, iri(pg("change")), lit(result.change), graph))
    if result.dataset is not None:
        out.append(quad(node, iri(pg("onDataset")), iri(entity_iri(result.dataset)), graph))
    return out


def evidence_quads(
    key: str, index: int, fact: tuple[str, str, str], mention: Mention, sentence: str, key_hash: str | None = None
) -> list[str]:
    """A reified statement (``rdf:subject/predicate/object``) typed ``pg:Evidence``, with the sentence.

    ``key_hash`` (``short_hash(key)``) saves recomputing it per mention. Every line is one f-string over
    precomputed predicate IRIs: this runs for every fact of every paper (about 13 quads each).
    """
    subject, target, graph = fact
    node = iri(f"{ID}evidence/{key_hash or short_hash(key)}-{index}")
    end = f" {graph} .\n"
    p = _EVIDENCE
    return [
        f"{node} {p['sentence']} {lit(sentence)}{end}",
        f"{node} {A} {p['Evidence']}{end}",
        f"{node} {p['subject']} {subject}{end}",
        f"{node} {p['predicate']} {iri(pg(mention.relation))}{end}",
        f"{node} {p['object']} {target}{end}",
        f"{node} {p['surfaceForm']} {lit(mention.surface)}{end}",
        f"{node} {p['textField']} {lit(mention.field)}{end}",
        f"{node} {p['mentionStart']} \"{mention.start}\"^^<{XSD}integer>{end}",
        f"{node} {p['mentionEnd']} \"{mention.end}\"^^<{XSD}integer>{end}",
        f"{node} {p['sentenceStart']} \"{mention.sentence_start}\"^^<{XSD}integer>{end}",
        f"{node} {p['sentenceEnd']} \"{mention.sentence_end}\"^^<{XSD}integer>{end}",
        f"{node} {p['extractor']} {lit(mention.extractor)}{end}",
        f"{node} {p['confidence']} \"{mention.confidence:.3f}\"^^<{XSD}decimal>{end}",
    ]


_EVIDENCE = {
    **{name: iri(pg(name)) for name in ("sentence", "Evidence", "surfaceForm", "textField", "mentionStart",
                                        "mentionEnd", "sentenceStart", "sentenceEnd", "extractor", "confidence")},
    **{name: iri(RDF + name) for name in ("subject", "predicate", "object")},
}


def entity_quads(ref: EntityRef, classes: Iterable[str]) -> list[str]:
    """An entity's description in the shared entities graph: types, label, aliases, URL."""
    node, graph = iri(entity_iri(ref)), iri(ENTITIES_GRAPH)
    out = [quad(node, A, iri(pg(cls)), graph) for cls in sorted(classes)]
    out.append(quad(node, LABEL, lit(ref.label), graph))
    out.extend(quad(node, iri(SKOS_ALT_LABEL), lit(alias), graph) for alias in sorted(set(ref.aliases)) if alias != ref.label)
    if ref.url:
        out.append(quad(node, iri(pg("url")), iri(ref.url), graph))
    return out


def entity_classes(mention: Mention) -> set[str]:
    """``evaluatesOn`` makes a dataset a Benchmark as well."""
    if mention.entity is None:
        return set()
    classes = {CLASS_OF_KIND[mention.entity.kind]}
    if mention.relation == "evaluatesOn":
        classes.add("Benchmark")
    return classes


def source_quads(source: str) -> list[str]:
    graph = iri(ENTITIES_GRAPH)
    node = iri(source_iri(source))
    return [
        quad(node, A, iri(pg("SourceFile")), graph),
        quad(node, LABEL, lit(source), graph),
    ]


def build_quads(build_id: str, started: str, ended: str, sources: Iterable[str], counts: dict[str, int]) -> list[str]:
    """The build-log entry: when, from which source files, and how many papers were new or updated."""
    graph = iri(BUILD_LOG_GRAPH)
    node = iri(f"{ID}build/{build_id}")
    out = [
        quad(node, A, iri(pg("Build")), graph),
        quad(node, LABEL, lit(f"build {build_id}"), graph),
        quad(node, iri(PROV + "startedAtTime"), typed(started, "dateTime"), graph),
        quad(node, iri(PROV + "endedAtTime"), typed(ended, "dateTime"), graph),
    ]
    out.extend(quad(node, iri(PROV + "used"), iri(source_iri(s)), graph) for s in sorted(set(sources)))
    for name, value in sorted(counts.items()):
        out.append(quad(node, iri(pg(name)), typed(value, "integer"), graph))
    return out
