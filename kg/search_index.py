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
- ``result``, ``result_value``, ``result_attr`` (raw value, unit, metric and its label, and the
  ``kind``: ``Score`` or ``Delta``), ``reports``: what ``leaderboard`` and ``benchmarks`` read (scores
  only); ``benchmarks`` (no parameters) is stored as its finished answer, the others as ranked tables.

Rows are made from statements (:class:`Rows`) and streamed into SQLite in batches (:class:`IndexWriter`),
so memory does not grow with the graph: in a fresh build, each extraction worker turns its paper's
N-Quads lines into rows while the main process writes them, and ``paper_count``/``pair`` are counted
from ``fact`` in SQL (the same numbers the summary graph gets); after ``--append``, ``kg load``, Dask
builds and updates, predicate scans of the store feed the same writer. The derived tables are made
once at the end. :mod:`kg.answers` answers queries from these tables; a test checks every answer
against its ``.rq``.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg._index_schema import (
    BENCHMARKS,
    BOARD,
    COUNTS,
    INDEXES,
    KEYED,
    PAIRS_FROM_PARTS,
    RANKED,
    SCHEMA,
    SCRATCH,
)
from kg.vocab import DCTERMS, ENTITIES_GRAPH, PG, RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL, XSD

SUFFIX = ".search.sqlite"
#: ``PRAGMA user_version`` of an index with every table below; an older file (search names only) is ignored.
VERSION = 3
KINDS = ("Paper", "Dataset", "Method", "Model", "Task", "Repository", "Link")
#: The subclasses of pg:Result; a result's is kept as its ``kind`` (leaderboards rank only scores).
RESULT_KINDS = frozenset({"Score", "Delta"})
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
    PG + "unit", PG + "metric", PG + "metricLabel", PG + "url", *(PG + r for r in RELATIONS),
})
_WANTED = frozenset(f"<{p}>" for p in PREDICATES)
#: The tables rows are written to as they come, and the width of their rows; ``type_other`` and
#: ``pair_part`` are scratch tables (see ``kg._index_schema.SCRATCH``).
TABLES = {"lookup": 3, "exact": 2, "label": 2, "type": 2, "type_other": 2, "paper_count": 2, "pair_part": 3,
          "result": 2, "result_value": 3, "result_attr": 3, "reports": 2, "paper_attr": 3, "fact": 3, "url": 2}


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


class Rows:
    """Index rows made from statements, one set per table (a batch holds no repeated row)."""

    def __init__(self) -> None:
        self.tables: dict[str, set[tuple[Any, ...]]] = {t: set() for t in TABLES}

    def clear(self) -> None:
        for rows in self.tables.values():
            rows.clear()

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
        rows = self.tables
        if p in _RELATION_IRIS:
            rows["fact"].add((s, _RELATION_IRIS[p], o))
        elif p == RDF_TYPE:
            if o.startswith(PG):  # only pg: classes are read; other than KINDS, only for entities (finish)
                cls = o[len(PG):]
                if cls in RESULT_KINDS:
                    rows["result_attr"].add((s, "kind", cls))
                else:
                    rows["type" if cls in KINDS else "type_other"].add((s, cls))
        elif p == PG + "reportsResult":
            rows["reports"].add((s, o))
        elif p == PG + "onDataset":
            rows["result"].add((s, o))
        elif p in (PG + "first", PG + "second"):
            rows["pair_part"].add((s, int(p == PG + "second"), o))
        elif p in _EXACT:
            rows["exact"].add((f"<{o}>", s))
        elif p in (PG + "url", PG + "value", PG + "rawValue", PG + "unit", PG + "metric", PG + "metricLabel",
                   DCTERMS + "date"):
            self.add_literal(s, p, ox.NamedNode(o), False)

    def add_literal(self, s: str, p: str, o: ox.Literal | ox.NamedNode, in_entities: bool) -> None:
        """A statement whose object is a literal (or an IRI where a literal is usual: kept as a term)."""
        rows = self.tables
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
            rows["pair_part"].add((s, 2, o.value))
        elif p == PG + "value":
            numeric = isinstance(o, ox.Literal) and o.datatype.value in _NUMERIC
            rows["result_value"].add((s, encode(o), float(o.value) if numeric else None))
        elif p in (PG + "rawValue", PG + "unit", PG + "metric", PG + "metricLabel"):
            rows["result_attr"].add((s, p[len(PG):], encode(o)))
        elif p == PG + "url":
            rows["url"].add((s, encode(o)))

    def add_lines(self, lines: Iterable[str]) -> None:
        """N-Quads lines as :mod:`kg.rdf` writes them (one statement per line): lines are filtered by
        predicate; those with an IRI object are split by hand (an IRI holds no space or ``>``; one with
        an escape goes to the parser), the others parsed."""
        literals: list[str] = []
        for line in lines:
            parts = line.split(" ", 2)
            if len(parts) < 3 or parts[1] not in _WANTED:
                continue
            rest = parts[2]
            if rest[0] == "<" and parts[0][0] == "<" and "\\" not in line:
                self.add_iri(parts[0][1:-1], parts[1][1:-1], rest[1:rest.index(">")])
            else:
                literals.append(line)
        if literals:
            for quad in ox.parse("".join(literals).encode("utf-8"), format=ox.RdfFormat.N_QUADS):
                self.add(quad)


def paper_rows(lines: Iterable[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The index rows of one paper's graph, from its N-Quads lines, for a build worker to hand back.

    Types other than :data:`KINDS` are left out: a paper's graph types only the paper and the nodes
    it mints (listings, results, evidence), never an entity (:mod:`kg.rdf` types entities in
    ``graph/entities``), and the index keeps other types only for entities."""
    rows = Rows()
    rows.add_lines(lines)
    return {t: list(found) for t, found in rows.tables.items() if found and t != "type_other"}


class IndexWriter:
    """An index being written: rows go to SQLite in batches as they come (memory stays flat however
    big the graph), then :meth:`finish` adds the derived tables and moves the file into place.

    ``distinct``: rows may repeat across batches (a store scan: one triple can sit in several named
    graphs, a label and an alias can fold alike), so tables are deduplicated once in :meth:`finish`.
    A fresh build passes ``False``: each paper's rows are deduplicated by its worker, and every row
    names its subject, which only that paper's graph (or the one entity/source description) states.
    """

    def __init__(self, path: Path, *, distinct: bool = True, batch: int = 50_000) -> None:
        self.path = path
        self._tmp = path.with_name(path.name + ".tmp")
        self._tmp.unlink(missing_ok=True)
        self._distinct = distinct
        self._batch = batch
        self._pending: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self._count = 0
        # the finishing steps may run in a thread beside the bulk load (one thread at a time)
        self.db = sqlite3.connect(self._tmp, check_same_thread=False)
        self.db.executescript(f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                              f"PRAGMA user_version = {VERSION};" + SCHEMA)
        self.db.execute("ATTACH DATABASE '' AS scratch")  # private, deleted on close
        self.db.executescript("PRAGMA scratch.journal_mode = OFF;" + SCRATCH)

    def insert(self, rows: Mapping[str, Iterable[tuple[Any, ...]]]) -> None:
        """Queue rows by table name (:data:`TABLES`); written when a batch is full."""
        for table, found in rows.items():
            before = len(self._pending[table])
            self._pending[table].extend(found)
            self._count += len(self._pending[table]) - before
        if self._count >= self._batch:
            self.flush()

    def flush(self) -> None:
        for table, rows in self._pending.items():
            if rows:
                verb = "INSERT OR IGNORE" if table in KEYED else "INSERT"
                self.db.executemany(f"{verb} INTO {table} VALUES ({', '.join('?' * len(rows[0]))})",  # noqa: S608
                                    rows)  # fixed table names
                rows.clear()
        self._count = 0

    def count_papers(self, groups: Mapping[str, Iterable[str]], kinds: Mapping[str, tuple[str, str]]) -> None:
        """Fill ``paper_count`` and ``pair`` from ``fact``, as :func:`kg.summary.compute_summary` counts
        them (``groups``: relations per entity group; ``kinds``: pair kind -> its two groups); read them
        back with :meth:`paper_counts` and :meth:`pair_counts` to write the summary graph."""
        self.flush()
        self.db.executemany("INSERT INTO rel_group VALUES (?, ?)",
                            [(rel, group) for group, rels in groups.items() for rel in rels])
        self.db.executemany("INSERT INTO pair_kind VALUES (?, ?, ?)",
                            [(kind, *way) for kind, (a, b) in kinds.items() for way in {(a, b), (b, a)}])
        self.db.executescript(COUNTS)

    def paper_counts(self) -> Iterator[tuple[str, int]]:
        return iter(self.db.execute("SELECT iri, papers FROM paper_count ORDER BY iri"))

    def pair_counts(self) -> Iterator[tuple[str, str, str, int]]:
        return iter(self.db.execute("SELECT kind, first, second, weight FROM pair_count ORDER BY kind, first, second"))

    def finish(self) -> int:
        """Deduplicate (if asked), derive every other table and index, and move the file into place;
        returns the number of search names."""
        self.flush()
        db = self.db
        if self._distinct:
            for table in TABLES:
                if table not in KEYED and table != "pair_part":  # pair_part: one row per node below
                    columns = ", ".join(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
                    db.execute(f"DELETE FROM {table} WHERE rowid NOT IN "  # noqa: S608 - fixed names
                               f"(SELECT MIN(rowid) FROM {table} GROUP BY {columns})")
        db.executescript(PAIRS_FROM_PARTS)
        self._canonical_literals()
        db.executescript(INDEXES)
        db.execute("INSERT OR IGNORE INTO type SELECT iri, class FROM type_other "
                   "WHERE iri IN (SELECT entity FROM fact)")
        names = self._search_tables()
        db.executescript(RANKED + BOARD + BENCHMARKS)
        db.commit()
        db.execute("DETACH DATABASE scratch")
        db.close()
        self._tmp.replace(self.path)
        return names

    def close(self) -> None:
        """Drop an unfinished index (after an error); nothing once :meth:`finish` has run."""
        if self._tmp.exists():
            try:
                self.db.close()
            finally:
                self._tmp.unlink(missing_ok=True)

    def _canonical_literals(self, chunk: int = 20_000) -> None:
        """Typed values as the store gives them back (it keeps numbers and dates in a canonical form:
        ``"3.0"^^xsd:double`` reads as ``"3"``), by a round trip through an in-memory store, a chunk of
        distinct values at a time; only values that change are rewritten."""
        db = self.db
        db.execute("CREATE TABLE scratch.canon (typed TEXT PRIMARY KEY, canonical TEXT NOT NULL) WITHOUT ROWID")
        values = db.execute("SELECT value FROM result_value WHERE instr(value, char(0)) UNION "
                            "SELECT value FROM paper_attr WHERE attr = 'date' AND instr(value, char(0))")
        predicate = ox.NamedNode(PG + "value")
        while found := [row[0] for row in values.fetchmany(chunk)]:
            memory = ox.Store()
            memory.extend(ox.Quad(ox.NamedNode(f"urn:x-index:{i}"), predicate, decode(v))  # type: ignore[arg-type]
                          for i, v in enumerate(found))
            changed = [(found[i], c) for q in memory
                       if (c := encode(q.object)) != found[i := int(q.subject.value.rsplit(":", 1)[1])]]
            db.executemany("INSERT INTO canon VALUES (?, ?)", changed)
        for table in ("result_value", "paper_attr"):
            db.execute(f"UPDATE {table} SET value = (SELECT canonical FROM canon WHERE typed = value) "  # noqa: S608
                       "WHERE value IN (SELECT typed FROM canon)")

    def _search_tables(self) -> int:
        """``entity`` (typed, labelled things of :data:`KINDS`) and their folded names, as search.rq sees them."""
        self.db.executescript(f"""
            INSERT INTO entity (iri, label, kind, papers)
            SELECT t.iri, l.label, t.class, COALESCE(c.papers, 0) FROM type t
            JOIN label l ON l.iri = t.iri LEFT JOIN paper_count c ON c.iri = t.iri
            WHERE t.class IN ({", ".join(f"'{k}'" for k in KINDS)}) GROUP BY t.iri, t.class;
            INSERT INTO name (entity, folded)
            SELECT DISTINCT e.id, k.folded FROM entity e JOIN lookup k ON k.iri = e.iri ORDER BY e.id, k.folded;
            INSERT INTO name_trigram (name_trigram) VALUES ('rebuild');
        """)  # noqa: S608 - the only text put in is KINDS
        return int(self.db.execute("SELECT COUNT(*) FROM name").fetchone()[0])


@contextmanager
def _no_gc() -> Iterator[None]:
    """A store scan makes millions of small tuples, which cannot form cycles; in a process holding a
    large heap, the cyclic collector would otherwise walk that heap again and again (2x slower at 10k)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(store: ox.Store, path: Path, batch: int = 50_000) -> int:
    """Write the index of ``store`` to ``path`` (replacing any) from predicate scans of the store,
    streamed into SQLite a batch at a time."""
    writer = IndexWriter(path)
    try:
        rows, count = Rows(), 0
        with _no_gc():
            for predicate in sorted(PREDICATES):
                for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                    rows.add(quad)
                    count += 1
                    if count % batch == 0:
                        writer.insert(rows.tables)
                        rows.clear()
            writer.insert(rows.tables)
            return writer.finish()
    finally:
        writer.close()
