"""The index beside each store generation: names, counts, co-occurrences and results in SQLite.

Oxigraph has no text index and keeps no aggregates, so "labels containing 'gsm'", "the dataset named
gsm8k (any case)", "most used datasets" or "the leaderboard of X" would scan or join many facts on every
request. At build time we copy what those questions need into ``generations/G.search.sqlite`` (beside
the generation, so RocksDB never sees it; store GC deletes it with its generation):

- ``entity``/``name``/``name_trigram``: names and aliases folded to lower case (B-tree for exact and
  prefix matches, FTS5 trigrams for substrings), for ``search`` and for resolving entity parameters;
- ``exact``: arXiv ids, identifiers and titles (as N-Triples terms), for resolving paper parameters;
- ``label``, ``type``, ``paper_count``, ``pair``: labels, pg: classes, ``pg:paperCount`` and the
  ``pg:CoOccurrence`` pairs of ``graph/summary`` (:mod:`kg.summary`);
- ``fact`` (paper, relation, entity), ``paper_attr`` (titles, dates), ``url``: the paper-to-entity
  relations the entity queries follow;
- ``result``, ``result_value``, ``result_attr``, ``reports``: what ``leaderboard`` and ``benchmarks``
  read; ``benchmarks`` (no parameters) is stored as its finished answer, the others as ranked tables.

The tables are filled from quads, either the build's own N-Quads spool (a fresh build: a line filter
then a parse, no store reads) or predicate scans of the store (append, ``kg load``, Dask).
:mod:`kg.answers` answers queries from these tables; a test checks every answer against its ``.rq``.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg._index_schema import BENCHMARKS, BOARD, INDEXES, RANKED, SCHEMA
from kg.summary import SummaryBuilder
from kg.vocab import DCTERMS, ENTITIES_GRAPH, PG, RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL, XSD

SUFFIX = ".search.sqlite"
#: ``PRAGMA user_version`` of an index with every table below; an older file (search names only) is ignored.
VERSION = 2
KINDS = ("Paper", "Dataset", "Method", "Model", "Task", "Repository", "Link")
_STRING = XSD + "string"
#: The paper -> entity relations the canned queries follow.
RELATIONS = ("introducesDataset", "proposesMethod", "usesDataset", "evaluatesOn", "usesMethod", "usesModel",
             "addressesTask", "hasRepository", "hasLink")
_RELATION_IRIS = {PG + r: r for r in RELATIONS}
_NUMERIC = frozenset(XSD + t for t in ("integer", "decimal", "double", "float", "int", "long"))
_EXACT = {PG + "arxivId": "arxiv", DCTERMS + "identifier": "identifier", DCTERMS + "title": "title"}
#: Every predicate the index reads; everything else (evidence, abstracts, provenance) is skipped.
PREDICATES = frozenset({
    RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL, PG + "paperCount", PG + "first", PG + "second", PG + "weight",
    *_EXACT, DCTERMS + "date", PG + "reportsResult", PG + "onDataset", PG + "value", PG + "rawValue",
    PG + "unit", PG + "metric", PG + "url", *(PG + r for r in RELATIONS),
})
_SUMMARY = frozenset({PG + "paperCount", PG + "first", PG + "second", PG + "weight"})
def index_path(generation: Path) -> Path:
    """Where the index of a generation directory lives (beside it, so RocksDB never sees it)."""
    return generation.with_name(generation.name + SUFFIX)


def encode(term: ox.NamedNode | ox.Literal | Any) -> str:
    """A term as stored: a plain string as itself (so it sorts as itself); any other literal as its
    lexical form, ``\\x00`` and its datatype (or ``@lang``); an IRI as itself, ``\\x00`` and ``>``."""
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}\x00@{term.language}"
        if term.datatype.value != _STRING:
            return f"{term.value}\x00{term.datatype.value}"
    elif isinstance(term, ox.NamedNode):
        return f"{term.value}\x00>"
    return str(term.value)


def decode(value: str | None) -> ox.NamedNode | ox.Literal | None:
    """The term :func:`encode` stored."""
    if value is None:
        return None
    lexical, sep, tag = value.partition("\x00")
    if not sep:
        return ox.Literal(lexical)
    if tag == ">":
        return ox.NamedNode(lexical)
    if tag.startswith("@"):
        return ox.Literal(lexical, language=tag[1:])
    return ox.Literal(lexical, datatype=ox.NamedNode(tag))


class _Tables:
    """Rows collected from quads, deduplicated (the union default graph treats triples as a set here:
    the build never writes one triple into two graphs)."""

    def __init__(self) -> None:
        self.rows: dict[str, set[tuple[Any, ...]]] = {t: set() for t in (
            "lookup", "exact", "label", "type", "paper_count", "result", "result_value", "result_attr",
            "reports", "paper_attr", "fact", "url")}
        self.pairs: dict[str, list[Any]] = {}

    def add(self, quad: ox.Quad) -> None:
        subject, o = quad.subject, quad.object
        if not isinstance(subject, ox.NamedNode) or isinstance(o, (ox.Triple, ox.BlankNode)):
            return  # blank nodes and RDF-star terms: the build writes none where the index reads
        if isinstance(o, ox.NamedNode):
            self.add_iri(subject.value, quad.predicate.value, o.value)
        else:
            graph = quad.graph_name
            self.add_literal(subject.value, quad.predicate.value, o,
                             isinstance(graph, ox.NamedNode) and graph.value == ENTITIES_GRAPH)

    def add_iri(self, s: str, p: str, o: str) -> None:
        """A statement whose object is an IRI (plain strings: the N-Quads fast path needs no parser)."""
        rows = self.rows
        if p in _RELATION_IRIS:
            rows["fact"].add((s, _RELATION_IRIS[p], o))
        elif p == RDF_TYPE:
            if o.startswith(PG):  # trimmed to what is read in write()
                rows["type"].add((s, o[len(PG):]))
        elif p == PG + "reportsResult":
            rows["reports"].add((s, o))
        elif p == PG + "onDataset":
            rows["result"].add((s, o))
        elif p in (PG + "first", PG + "second"):
            self.pairs.setdefault(s, [None, None, None])[p == PG + "second"] = o
        elif p in _EXACT:
            rows["exact"].add((f"<{o}>", s))
        elif p in (PG + "url", PG + "value", PG + "rawValue", PG + "unit", PG + "metric", DCTERMS + "date"):
            self.add_literal(s, p, ox.NamedNode(o), False)

    def add_literal(self, s: str, p: str, o: ox.Literal | ox.NamedNode, in_entities: bool) -> None:
        """A statement whose object is a literal (or an IRI where a literal is usual: kept as a term)."""
        rows = self.rows
        if p in (RDFS_LABEL, SKOS_ALT_LABEL):
            rows["lookup"].add((o.value.lower(), s, int(in_entities)))
            if p == RDFS_LABEL:
                rows["label"].add((s, encode(o)))
        elif p in _EXACT:
            rows["exact"].add((str(o), s))
            if p == DCTERMS + "title":
                rows["paper_attr"].add((s, "title", encode(o)))
        elif p == DCTERMS + "date":
            rows["paper_attr"].add((s, "date", encode(o)))
        elif p == PG + "paperCount":
            rows["paper_count"].add((s, int(o.value)))
        elif p == PG + "weight":
            self.pairs.setdefault(s, [None, None, None])[2] = o.value
        elif p == PG + "value":
            numeric = isinstance(o, ox.Literal) and o.datatype.value in _NUMERIC
            rows["result_value"].add((s, encode(o), float(o.value) if numeric else None))
        elif p in (PG + "rawValue", PG + "unit", PG + "metric"):
            rows["result_attr"].add((s, p[len(PG):], encode(o)))
        elif p == PG + "url":
            rows["url"].add((s, encode(o)))

    def add_summary(self, summary: SummaryBuilder) -> None:
        """The counts and pairs a fresh build accumulated (the rows its summary graph holds)."""
        self.rows["paper_count"].update(summary.paper_count.items())
        for (kind, a, b), n in summary.pairs.items():
            self.pairs[f"{kind} {a} {b}"] = [a, b, n]

    def write(self, path: Path) -> int:
        """Write every table to a fresh SQLite file at ``path``; returns the number of search names."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            entities = {entity for _, _, entity in self.rows["fact"]}
            self.rows["type"] = {(iri, c) for iri, c in self.rows["type"] if c in KINDS or iri in entities}
            db.executescript(f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA user_version = {VERSION};"
                             + SCHEMA)
            self._canonical_literals()
            for table, rows in self.rows.items():
                if rows:
                    marks = ", ".join("?" * len(next(iter(rows))))
                    db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 - fixed names
            db.executemany("INSERT INTO pair VALUES (?, ?, ?)",
                           ((a, b, int(w)) for a, b, w in self.pairs.values() if None not in (a, b, w)))
            db.executescript(INDEXES)
            names = self._search_tables(db)
            db.executescript(RANKED + BOARD + BENCHMARKS)
            db.commit()
        finally:
            db.close()
        tmp.replace(path)
        return names

    def _canonical_literals(self) -> None:
        """Typed values as the store gives them back (it keeps numbers and dates in a canonical form:
        ``"3.0"^^xsd:double`` reads as ``"3"``), by a round trip through an in-memory store."""
        typed = {value for _, value, _ in self.rows["result_value"] if "\x00" in value}
        typed |= {value for _, attr, value in self.rows["paper_attr"] if attr == "date" and "\x00" in value}
        if not typed:
            return
        ordered = sorted(typed)
        memory = ox.Store()
        predicate = ox.NamedNode(PG + "value")
        memory.extend(ox.Quad(ox.NamedNode(f"urn:x-index:{i}"), predicate, decode(v))  # type: ignore[arg-type]
                      for i, v in enumerate(ordered))
        canonical = {ordered[int(q.subject.value.rsplit(":", 1)[1])]: encode(q.object) for q in memory}
        self.rows["result_value"] = {(iri, canonical.get(v, v), n) for iri, v, n in self.rows["result_value"]}
        self.rows["paper_attr"] = {(iri, a, canonical.get(v, v)) for iri, a, v in self.rows["paper_attr"]}

    def _search_tables(self, db: sqlite3.Connection) -> int:
        """``entity`` (typed, labelled things of :data:`KINDS`) and their folded names, as search.rq sees them."""
        db.executescript(f"""
            INSERT INTO entity (iri, label, kind, papers)
            SELECT t.iri, l.label, t.class, COALESCE(c.papers, 0) FROM type t
            JOIN label l ON l.iri = t.iri LEFT JOIN paper_count c ON c.iri = t.iri
            WHERE t.class IN ({", ".join(f"'{k}'" for k in KINDS)}) GROUP BY t.iri, t.class;
            INSERT INTO name (entity, folded)
            SELECT DISTINCT e.id, k.folded FROM entity e JOIN lookup k ON k.iri = e.iri ORDER BY e.id, k.folded;
            INSERT INTO name_trigram (name_trigram) VALUES ('rebuild');
        """)  # noqa: S608 - the only text put in is KINDS
        return int(db.execute("SELECT COUNT(*) FROM name").fetchone()[0])


@contextmanager
def _no_gc() -> Iterator[None]:
    """The index makes millions of small tuples, which cannot form cycles; in a build process holding a
    large heap, the cyclic collector would otherwise walk that heap again and again (2x slower at 10k)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(store: ox.Store, path: Path) -> int:
    """Write the index of ``store`` to ``path`` (replacing any) from predicate scans of the store."""
    tables = _Tables()
    with _no_gc():
        for predicate in sorted(PREDICATES):
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                tables.add(quad)
        return tables.write(path)


def build_index_from_nquads(files: Iterable[Path], path: Path, summary: SummaryBuilder | None = None,
                            chunk: int = 50_000) -> int:
    """Write the index from the N-Quads files a generation was bulk-loaded from (one statement per line,
    as :mod:`kg.rdf` writes them): lines are filtered by predicate; those with an IRI object are split
    by hand, the others parsed. With ``summary`` (what a fresh build accumulated), counts and pairs come
    from it, not the files."""
    tables = _Tables()
    skip = _SUMMARY if summary is not None else frozenset()
    with _no_gc():
        for literals, iris in _kept_lines(files, PREDICATES - skip, chunk):
            for statement in iris:
                tables.add_iri(*statement)
            for quad in ox.parse(literals.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
                tables.add(quad)
        if summary is not None:
            tables.add_summary(summary)
        return tables.write(path)


def _kept_lines(files: Iterable[Path], predicates: frozenset[str],
                chunk: int) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """Chunks of the wanted lines: N-Quads text of those with a literal object, and ``(s, p, o)`` of
    those with an IRI object (an IRI holds no space or ``>``; one with an escape goes to the parser)."""
    wanted = {f"<{p}>" for p in predicates}
    literals: list[str] = []
    iris: list[tuple[str, str, str]] = []
    for file in files:
        with open(file, encoding="utf-8") as lines:
            for line in lines:
                parts = line.split(" ", 2)
                if len(parts) < 3 or parts[1] not in wanted:
                    continue
                rest = parts[2]
                if rest[0] == "<" and parts[0][0] == "<" and "\\" not in line:
                    iris.append((parts[0][1:-1], parts[1][1:-1], rest[1:rest.index(">")]))
                else:
                    literals.append(line)
                if len(literals) + len(iris) >= chunk:
                    yield "".join(literals), iris
                    literals, iris = [], []
    if literals or iris:
        yield "".join(literals), iris
