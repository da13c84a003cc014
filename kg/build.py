"""``kg build``: read -> extract -> link -> map to RDF -> bulk-load a new generation -> publish.

Two passes over the input: the first collects the acronyms each paper defines (so a name defined in
one abstract is recognised in all others) and counts records for the progress bar; the second
extracts in a process pool (ordered, so the output is identical to a single-process build), writes
N-Quads to spool files and bulk-loads them into a fresh generation, which is published atomically
(see :mod:`kg.store`). ``append=True`` starts the new generation from a checkpoint of the current one,
replaces the graphs of papers whose text changed (keeping their listings) and adds new papers and listings.

A record without an arXiv id whose title is that of one arXiv paper (of this input, or on append of
the store) is a listing of that paper, not a paper of its own (:mod:`kg.title_map`); an append also
folds a title-keyed paper already in the store into the arXiv paper its title names, moving its listings.

Memory stays flat in the size of the corpus. A fresh build streams: workers write each paper's
N-Quads to their own spool file and hand back its entities and index rows
(:func:`kg.search_index.paper_rows`), which the main process writes to the index; what it must
remember across the input (papers seen, entities named) lives in a SQLite scratch file. While the
spool loads, paper counts and co-occurrences are counted from the index in SQL (their quads are
loaded last) and the index's derived tables are made.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import pyoxigraph as ox

from kg import rdf, readers, store
from kg.derived import finish_generation
from kg.errors import InputError, StoreError
from kg.identity import content_hash, entity_iri, paper_graph, paper_iri, paper_key, title_hash
from kg.model import EntityRef, Paper, PaperRecord
from kg.search_index import IndexWriter, Rows, index_path, paper_rows
from kg.summary import GROUPS, PAIR_GROUPS, count_nquads, search_key_nquad
from kg.title_map import TitleMap, ambiguous_warning, record_title
from kg.vocab import DCTERMS, PG

if TYPE_CHECKING:
    from kg.link import Lexicon


@dataclass
class BuildSummary:
    """What a build did, printed at its end and recorded in the build log."""

    store: str = ""
    records: int = 0
    papers_new: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    listings: int = 0
    listings_merged: int = 0  #: listings without an arXiv id filed under the arXiv paper their title names
    papers_merged: int = 0  #: (append) title-keyed papers of the store folded into their arXiv paper
    entities: int = 0
    quads: int = 0
    skipped: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  #: titles naming several arXiv papers
    phases: dict[str, float] = field(default_factory=dict)  #: seconds per phase, in order

    def phase_line(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())

    def line(self) -> str:
        notes = []
        if self.listings_merged:
            notes.append(f"{self.listings_merged} listings without an arXiv id filed under their arXiv paper")
        if self.papers_merged:
            notes.append(f"{self.papers_merged} title-keyed papers merged into their arXiv paper")
        if self.warnings:
            notes.append(f"{len(self.warnings)} ambiguous titles kept as papers of their own")
        return (
            f"{self.papers_new} papers new, {self.papers_updated} updated, {self.papers_unchanged} unchanged; "
            f"{self.listings} listings, {self.entities} entities, {self.quads} triples"
            f"{''.join('; ' + n for n in notes)}"
            f"{f', {self.skipped} bad records skipped' if self.skipped else ''}; {self.seconds:.1f} s -> {self.store}"
        )


#: Statements per spool file. ``bulk_load`` works in batches of a million statements and keeps
#: several in memory at once when its input is bigger; loading files of one batch each, one after the
#: other, keeps the load's memory flat however big the graph.
SPOOL_QUADS = 1_000_000


class _Spool:
    """N-Quads lines written to ``DIR/STEM-0000.nq``, ``STEM-0001.nq``, ... of at most ``limit``
    statements each (see :data:`SPOOL_QUADS`); write whole lines only."""

    def __init__(self, directory: Path, stem: str, limit: int | None = None) -> None:
        self._directory, self._stem = directory, stem
        self._limit = limit or SPOOL_QUADS
        self._file: TextIO | None = None
        self._lines = self._count = 0

    def write(self, text: str) -> None:
        self._next(text.count("\n"))
        assert self._file is not None  # noqa: S101 - _next opened it
        self._file.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        """Each string whole N-Quads lines (one, or several: a summary pair node's five); a file may
        be cut between any two strings, so a long batch still makes files of at most the limit."""
        for text in lines:
            self.write(text)

    def _next(self, lines: int) -> None:
        if self._file is not None and self._lines + lines > self._limit:
            self.close()
        if self._file is None:
            path = self._directory / f"{self._stem}-{self._count:04d}.nq"
            self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed when full or by close()
            self._count += 1
        self._lines += lines

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file, self._lines = None, 0

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _load(target: ox.Store, paths: Iterable[Path]) -> None:
    """Bulk-load spool files one after the other (each at most one batch of the bulk loader), deleting
    each once loaded so that the spool's disk use shrinks as the store grows."""
    for path in paths:
        target.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        path.unlink()


# --- extraction in worker processes -------------------------------------------------------------

_LEXICON: Lexicon | None = None
#: In a worker of pass 2: the spool file it appends its papers' N-Quads to, and whether it also makes
#: their index rows (a fresh graph).
_SPOOL: _Spool | None = None
_ROWS = False


def _init_worker(definitions: list[tuple[str, str]], spool: str | None = None, rows: bool = False,
                 spool_quads: int | None = None) -> None:
    """Build this process's lexicon; with ``spool`` (a directory), spool this process's papers there."""
    global _LEXICON, _SPOOL, _ROWS  # noqa: PLW0603 - per worker process, set once
    from kg.link import Lexicon

    _LEXICON = Lexicon.default()
    _LEXICON.learn(definitions)
    _close_spool()
    if spool is not None:
        _SPOOL = _Spool(Path(spool), f"papers-{os.getpid()}", spool_quads)
    _ROWS = rows


def _close_spool() -> None:
    global _SPOOL  # noqa: PLW0603 - see _init_worker
    if _SPOOL is not None:
        _SPOOL.close()
        _SPOOL = None


Named = list[tuple[EntityRef, frozenset[str]]]
Extracted = tuple[str, Named, list[tuple[str, str]]]
#: An entity as a spooling worker hands it back (plain tuples pickle several times faster than
#: dataclasses): IRI, kind, key, label, aliases, URL, classes.
EntityRow = tuple[str, str, str, str, tuple[str, ...], str | None, frozenset[str]]


def _extract_paper(record: PaperRecord) -> tuple[list[str], Named, Paper]:
    """One paper -> its graph as N-Quads lines, and the entities it names (with their classes)."""
    from kg.extract import extract

    assert _LEXICON is not None  # noqa: S101 - _init_worker built it (a programming error otherwise)
    key = paper_key(record)
    paper = Paper(record=record, listings=[record.listing], mentions=extract(record, _LEXICON))
    entities = [(m.entity, frozenset(rdf.entity_classes(m))) for m in paper.mentions if m.entity is not None]
    entities += [
        (m.result.dataset, frozenset({"Dataset"})) for m in paper.mentions if m.result and m.result.dataset
    ]
    return rdf.paper_quads(key, paper), entities, paper


def _extract_one(record: PaperRecord) -> Extracted:
    """Worker task: one paper -> its graph as N-Quads text, the entities it names, and its
    ``(relation, entity IRI)`` facts."""
    lines, entities, paper = _extract_paper(record)
    facts = [(m.relation, entity_iri(m.entity)) for m in paper.mentions if m.entity is not None]
    return "".join(lines), entities, facts


def _extract_spooled(record: PaperRecord) -> tuple[list[EntityRow], dict[str, list[tuple[object, ...]]]]:
    """Worker task of pass 2: the paper's N-Quads go to this worker's spool file (not back through
    the pool's pipe); returned are the entities it names (each once: first description, classes
    merged) and, for a fresh graph, its index rows, so the index is written while extracting."""
    lines, entities, _ = _extract_paper(record)
    assert _SPOOL is not None  # noqa: S101 - _init_worker opened it (a programming error otherwise)
    _SPOOL.write("".join(lines))
    merged: dict[str, EntityRow] = {}
    for ref, classes in entities:
        iri = entity_iri(ref)
        if iri in merged:
            merged[iri] = (*merged[iri][:6], merged[iri][6] | classes)
        else:
            merged[iri] = (iri, ref.kind, ref.key, ref.label, ref.aliases, ref.url, classes)
    return list(merged.values()), paper_rows(lines) if _ROWS else {}


def _collect_one(record: PaperRecord) -> tuple[list[tuple[str, str]], tuple[int | None, str | None]]:
    """Worker task of pass 1: the acronyms the record defines, and its title hash (with its key when it
    has an arXiv id) for :class:`TitleMap`."""
    from kg.extract import collect_definitions

    return collect_definitions(record), record_title(record)


def _run_batch(func: Callable[[PaperRecord], object], batch: list[PaperRecord]) -> list[object]:
    results = [func(record) for record in batch]
    if _SPOOL is not None:
        _SPOOL.flush()  # on disk before the results say so: the pool ends its workers without closing
    return results


def _map(
    func: Callable[[PaperRecord], object], records: Iterable[PaperRecord], workers: int, initargs: tuple[object, ...],
    batch_size: int = 64,
) -> Iterator[object]:
    """Ordered map over a process pool (or inline for one worker): results come back in input order.

    Records are read here, in the calling thread, and sent in batches with a bounded number in flight:
    reader errors surface in the caller (a pool's feeder thread would swallow them and hang), and
    memory stays flat however long the input is.
    """
    if workers <= 1:
        _init_worker(*initargs)  # type: ignore[arg-type]
        yield from map(func, records)
        return
    # spawn, not fork: workers must not inherit the build lock (a killed build's orphans would keep
    # the store locked) nor a forked copy of an open RocksDB store's threads.
    with get_context("spawn").Pool(
        workers, initializer=_init_worker, initargs=initargs
    ) as pool:
        pending: deque[AsyncResult[list[object]]] = deque()
        batch: list[PaperRecord] = []
        for record in records:
            batch.append(record)
            if len(batch) == batch_size:
                pending.append(pool.apply_async(_run_batch, (func, batch)))
                batch = []
                while len(pending) > 2 * workers:
                    yield from pending.popleft().get()
        if batch:
            pending.append(pool.apply_async(_run_batch, (func, batch)))
        while pending:
            yield from pending.popleft().get()


# --- the build ----------------------------------------------------------------------------------


def build_store(
    inputs: Iterable[str],
    store_dir: str | os.PathLike[str],
    *,
    fmt: str = "auto",
    append: bool = False,
    workers: int | None = None,
    skip_bad: bool = False,
    progress: Callable[[int | None], Callable[[int], None]] | None = None,
    report: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build (or with ``append``, extend) the graph in ``store_dir`` from ``inputs`` and publish it.

    :param workers: extraction processes (default: all cores).
    :param skip_bad: report bad records to ``report`` and keep going, instead of failing.
    :param progress: called with the record total, returns a callback advanced per record.
    :raises InputError: bad input (nothing is published).
    :raises StoreError: another build holds the store, or the store cannot be read.
    """
    started = time.time()
    summary = BuildSummary(store=str(store_dir))
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="kg-build-") as tmp, store.writer_lock(store_dir):
        files = _spool_stdin(readers.expand_inputs(inputs), Path(tmp))

        def on_error(error: InputError) -> None:
            summary.skipped += 1
            summary.errors.append(str(error))
            if report:
                report(f"skipped: {error}")

        handler = on_error if skip_bad else None
        # Pass 1: check every file before anything is written, learn corpus-defined names and the
        # titles of arXiv papers (on disk: see TitleMap).
        definitions: set[tuple[str, str]] = set()
        titles = TitleMap(Path(tmp) / "titles.sqlite")
        for result in _map(_collect_one, _read(files, fmt, handler), workers, ([],)):
            found, title = cast(tuple[list[tuple[str, str]], tuple[int | None, str | None]], result)
            definitions.update(found)
            titles.add_title(*title)
            summary.records += 1
        summary.errors.clear()
        summary.skipped = 0
        if summary.records == 0 and not append:
            raise InputError(", ".join(str(f[1]) for f in files), None, "no papers found in the input")
        store.collect_garbage(store_dir)
        generation = store.new_generation_path(store_dir)
        try:
            _build_generation(files, fmt, handler, store_dir, generation, append, workers,
                              sorted(definitions), summary, progress, Path(tmp), titles)
            ended = time.time()
            summary.seconds = ended - started
            _write_build_log(generation, files, summary, started, ended)
            store.publish(store_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        finally:
            titles.close()
    if report:
        for warning in summary.warnings:
            report(f"warning: {warning}")
    summary.seconds = time.time() - started
    return summary


def _read(
    files: list[tuple[str, str]], fmt: str, on_error: Callable[[InputError], None] | None
) -> Iterator[PaperRecord]:
    for path, display in files:
        for record in readers.read([path], fmt, on_error):
            if display != path:
                record = replace(record, listing=replace(record.listing, source=display))
            yield record


def _spool_stdin(files: list[str], tmp: Path) -> list[tuple[str, str]]:
    """Standard input is read twice (two passes), so it is copied to a temporary file first."""
    out: list[tuple[str, str]] = []
    for path in files:
        if path == "-":
            spooled = tmp / "stdin"
            with open(spooled, "wb") as sink:
                shutil.copyfileobj(sys.stdin.buffer, sink)
            out.append((str(spooled), "<stdin>"))
        else:
            out.append((path, path))
    return out


def _build_generation(
    files: list[tuple[str, str]],
    fmt: str,
    on_error: Callable[[InputError], None] | None,
    store_dir: str | os.PathLike[str],
    generation: Path,
    append: bool,
    workers: int,
    definitions: list[tuple[str, str]],
    summary: BuildSummary,
    progress: Callable[[int | None], Callable[[int], None]] | None,
    tmp: Path,
    titles: TitleMap,
) -> None:
    """Pass 2: extract, write N-Quads (and, for a fresh graph, the index rows), load them into ``generation``."""
    previous: ox.Store | None = None
    known: dict[str, str] = {}
    if append:
        try:
            previous = store.open_read(store_dir)
        except StoreError:
            previous = None
        if previous is not None:
            known = _content_hashes(previous)
            _stored_titles(previous, titles)
    fresh = previous is None
    merges = titles.merges() if previous is not None else []
    summary.papers_merged = len(merges)
    summary.warnings.extend(ambiguous_warning(keys) for keys in titles.ambiguous())
    # A fresh graph's index is written while extracting (beside the generation, made now so that store
    # garbage collection removes both if the build is killed); an appended one is scanned from the store.
    index: IndexWriter | None = None
    if fresh:
        generation.mkdir(parents=True)
        index = IndexWriter(index_path(generation), distinct=False)
    beside: _Beside | None = None
    try:
        replaced = _extract_all(files, fmt, on_error, known, workers, definitions, summary, progress, tmp, index,
                                titles)
        if previous is not None:
            previous.backup(str(generation))
            del previous
        target = ox.Store(str(generation))
        # A replaced paper keeps the listings earlier builds recorded; a merged one hands them on.
        for old, new in [(key, key) for key in replaced] + merges:
            kept = _listing_quads(target, old, new)
            target.remove_graph(ox.NamedNode(paper_graph(old)))
            target.extend(kept)
        started = time.time()
        if index is not None:
            # The summary counts need only SQLite (it releases the GIL): count while loading, then load
            # the counts' quads last, so that optimize() compacts them with the rest.
            beside = _Beside(lambda: _count(index, tmp, summary.phases))
        _load(target, sorted(path for stem in ("papers", "graph", "listings") for path in tmp.glob(f"{stem}-*.nq")))
        if beside is not None:
            beside.join()
            _load(target, sorted(tmp.glob("summary-*.nq")))
        summary.phases["load"] = time.time() - started
        if index is not None:
            # optimize() compacts on about one core: the index's derived tables take the other one.
            beside = _Beside(lambda: _finish_index(index, summary.phases))
        finish_generation(target, generation, summary.phases, summarised=fresh, indexed=fresh)
        if beside is not None:
            beside.join()
        summary.quads = len(target)
        del target
    finally:
        if beside is not None:
            beside.join(reraise=False)
        if index is not None:
            index.close()


def _count(index: IndexWriter, tmp: Path, phases: dict[str, float]) -> None:
    """A fresh graph's summary counts (from its index's facts) as N-Quads in ``tmp/summary-*.nq``."""
    started = time.time()
    index.count_papers(GROUPS, PAIR_GROUPS)
    with _Spool(tmp, "summary") as out:
        out.writelines(count_nquads(index.paper_counts(), index.pair_counts()))
    phases["counts (during load)"] = time.time() - started


def _finish_index(index: IndexWriter, phases: dict[str, float]) -> None:
    """The rest of a fresh graph's index (search and derived tables), moved into place."""
    started = time.time()
    index.finish()
    phases["index (during optimize)"] = time.time() - started


class _Beside:
    """A function run in a thread; :meth:`join` waits for it and raises what it raised."""

    def __init__(self, func: Callable[[], None]) -> None:
        self._error: BaseException | None = None

        def run() -> None:
            try:
                func()
            except BaseException as error:  # noqa: BLE001 - handed to the joining thread
                self._error = error

        self._thread = threading.Thread(target=run, name="kg-build-beside", daemon=True)
        self._thread.start()

    def join(self, reraise: bool = True) -> None:
        self._thread.join()
        if reraise and self._error is not None:
            error, self._error = self._error, None
            raise error


def _extract_all(
    files: list[tuple[str, str]],
    fmt: str,
    on_error: Callable[[InputError], None] | None,
    known: dict[str, str],
    workers: int,
    definitions: list[tuple[str, str]],
    summary: BuildSummary,
    progress: Callable[[int | None], Callable[[int], None]] | None,
    tmp: Path,
    index: IndexWriter | None,
    titles: TitleMap,
) -> list[str]:
    """Extract every new or changed paper: workers write its N-Quads to ``tmp/papers-PID-*.nq`` (and
    with ``index``, a fresh graph, hand back its index rows); entities go to ``tmp/graph-*.nq`` and
    repeated listings (and listings filed under the arXiv paper their title names) to
    ``tmp/listings-*.nq``. Returns the keys of changed papers. What must be
    remembered across the whole input (papers seen, entities named) is kept in SQLite, not in this
    process's memory."""
    started = time.time()
    advance = progress(summary.records) if progress else (lambda n: None)
    scratch = _Scratch(tmp / "build.sqlite")
    sources: set[str] = set()
    replaced: list[str] = []
    with _Spool(tmp, "graph") as out, _Spool(tmp, "listings") as listings_out:
        described = _Descriptions(out, index)
        listed = _Descriptions(listings_out, index)

        def to_extract() -> Iterator[PaperRecord]:
            for record in _read(files, fmt, on_error):
                advance(1)
                summary.listings += 1
                if record.listing.source not in sources:
                    sources.add(record.listing.source)
                    listed.add(rdf.source_quads(record.listing.source), rdf.source_iri(record.listing.source),
                               record.listing.source)
                merged = titles.merged_key(record)
                if merged is not None:
                    # A listing of an arXiv paper (extracted from its own record, wherever that comes).
                    summary.listings_merged += 1
                    listings_out.writelines(rdf.listing_quads(merged, record.listing))
                    continue
                key = paper_key(record)
                first = scratch.first_time(key)
                if not first or known.get(key) == content_hash(record):
                    # Already extracted (listed again, or unchanged since the last build): record the listing.
                    summary.papers_unchanged += first
                    listings_out.writelines(rdf.listing_quads(key, record.listing))
                    continue
                if key in known:
                    summary.papers_updated += 1
                    replaced.append(key)
                else:
                    summary.papers_new += 1
                yield record

        try:
            initargs = (definitions, str(tmp), index is not None, SPOOL_QUADS)
            for result in _map(_extract_spooled, to_extract(), workers, initargs):
                named, rows = cast(tuple[list[EntityRow], dict[str, list[tuple[Any, ...]]]], result)
                scratch.add_entities(named)
                if index is not None:
                    index.insert(rows)
        finally:
            _close_spool()  # one worker: this process spooled
        listed.flush()
        for ref, classes in scratch.entities():
            described.add(rdf.entity_quads(ref, classes), entity_iri(ref), ref.label)
            summary.entities += 1
        described.flush()
        scratch.close()
    summary.phases["extract"] = time.time() - started
    return replaced


class _Descriptions:
    """Descriptions written to ``graph/entities`` (entities, source files): their N-Quads, and for a
    fresh graph (``index`` given) their search keys in the summary graph and their index rows."""

    def __init__(self, out: _Spool, index: IndexWriter | None, batch: int = 20_000) -> None:
        self._out, self._index, self._batch = out, index, batch
        self._lines: list[str] = []

    def add(self, lines: list[str], iri: str, label: str) -> None:
        self._lines.extend(lines)
        if self._index is not None:
            self._lines.append(search_key_nquad(iri, label))
        if len(self._lines) >= self._batch:
            self.flush()

    def flush(self) -> None:
        self._out.writelines(self._lines)
        if self._index is not None:
            rows = Rows()
            rows.add_lines(self._lines)  # search keys are not read by the index
            self._index.insert(rows.tables)
        self._lines.clear()


class _Scratch:
    """What the main process must remember across the whole input, kept in a SQLite file so that its
    memory stays flat however many papers and entities there are: the paper keys already seen (a
    paper listed twice is extracted once) and the entities papers name (the first description seen
    wins, classes are merged), read back sorted by IRI. A small cache skips entities already stored."""

    def __init__(self, path: Path, cache: int = 50_000) -> None:
        self._db = sqlite3.connect(path)
        self._db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE entity (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
                                 aliases TEXT NOT NULL, url TEXT) WITHOUT ROWID;
            CREATE TABLE entity_class (iri TEXT NOT NULL, class TEXT NOT NULL, PRIMARY KEY (iri, class)) WITHOUT ROWID;
        """)
        self._cache: dict[str, frozenset[str]] = {}
        self._cache_size = cache
        self._class_sets: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct set
        self._entities: list[tuple[str, str, str, str, str, str | None]] = []
        self._classes: list[tuple[str, str]] = []

    def first_time(self, key: str) -> bool:
        """Whether ``key`` is new (it is remembered from now on)."""
        return self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (key,)).rowcount == 1

    def add_entities(self, named: list[EntityRow]) -> None:
        for iri, kind, key, label, aliases, url, classes in named:
            stored = self._cache.get(iri)
            if stored is not None and classes <= stored:
                continue
            if stored is None:  # maybe stored before the cache was last cleared: INSERT OR IGNORE keeps the first
                self._entities.append((iri, kind, key, label, json.dumps(aliases), url))
            self._classes.extend((iri, c) for c in classes)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            merged = classes | stored if stored else classes
            self._cache[iri] = self._class_sets.setdefault(merged, merged)
        if len(self._classes) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT OR IGNORE INTO entity VALUES (?, ?, ?, ?, ?, ?)", self._entities)
        self._db.executemany("INSERT OR IGNORE INTO entity_class VALUES (?, ?)", self._classes)
        self._entities.clear()
        self._classes.clear()

    def entities(self) -> Iterator[tuple[EntityRef, set[str]]]:
        """Every entity named, with all its classes, sorted by IRI."""
        self._flush()
        for _, kind, key, label, aliases, url, classes in self._db.execute("""
                SELECT e.*, group_concat(c.class, ' ') FROM entity e JOIN entity_class c ON c.iri = e.iri
                GROUP BY e.iri ORDER BY e.iri"""):
            yield EntityRef(kind, key, label, tuple(json.loads(aliases)), url), set(classes.split(" "))

    def close(self) -> None:
        self._db.close()


def _listing_quads(graph: ox.Store, old: str, new: str) -> list[ox.Quad]:
    """The listings recorded in paper ``old``'s graph, as quads of paper ``new``'s graph (the same
    statements :func:`kg.rdf.listing_quads` writes, so listing the paper again adds nothing)."""
    source, target = ox.NamedNode(paper_graph(old)), ox.NamedNode(paper_graph(new))
    paper, listed_in = ox.NamedNode(paper_iri(new)), ox.NamedNode(PG + "listedIn")
    out: list[ox.Quad] = []
    for found in graph.quads_for_pattern(None, listed_in, None, source):
        node = cast(ox.NamedNode, found.object)
        out.append(ox.Quad(paper, listed_in, node, target))
        out.extend(ox.Quad(q.subject, q.predicate, q.object, target)
                   for q in graph.quads_for_pattern(node, None, None, source))
    return out


def _stored_titles(previous: ox.Store, titles: TitleMap) -> None:
    """Add the titles of the papers already in the store to ``titles`` (append): arXiv papers to look
    title-only records up in, title-keyed papers to fold into an arXiv paper of the same title."""
    prefix = paper_graph("")
    for quad in previous.quads_for_pattern(None, ox.NamedNode(DCTERMS + "title"), None, None):
        graph, title = quad.graph_name, quad.object
        if not (isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix) and isinstance(title, ox.Literal)):
            continue
        key, h = graph.value[len(prefix):], title_hash(title.value)
        if h is None:
            continue
        if key.startswith("arxiv/"):
            titles.add_arxiv(h, key)
        else:
            titles.add_stored(h, key)


def _content_hashes(previous: ox.Store) -> dict[str, str]:
    """paper key -> content hash of every paper already in the store (for append)."""
    prefix = len(paper_graph(""))
    hashes: dict[str, str] = {}
    for quad in previous.quads_for_pattern(None, ox.NamedNode(PG + "contentHash"), None, None):
        if isinstance(quad.graph_name, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            hashes[quad.graph_name.value[prefix:]] = quad.object.value
    return hashes


def _write_build_log(
    generation: Path, files: list[tuple[str, str]], summary: BuildSummary, started: float, ended: float
) -> None:
    """Add this build's prov:Activity to the build-log graph of the new generation."""
    def stamp(t: float) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    build_id = generation.name
    sources = {readers._text.source_name(display) if display != "<stdin>" else display for _, display in files}
    papers = summary.papers_new + summary.papers_updated + summary.papers_unchanged
    counts = {"papersNew": summary.papers_new, "papersUpdated": summary.papers_updated, "papers": papers}
    text = "".join(rdf.build_quads(build_id, stamp(started), stamp(ended), sources, counts))
    target = ox.Store(str(generation))
    target.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    target.flush()
    del target
