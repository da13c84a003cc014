"""``kg build``: read -> extract -> link -> map to RDF -> bulk-load a new generation -> publish.

Two passes over the input: the first collects the acronyms each paper defines (so a name defined in
one abstract is recognised in all others) and counts records for the progress bar; the second
extracts in a process pool (ordered, so the output is identical to a single-process build), writes
N-Quads to a spool file and bulk-loads it into a fresh generation, which is published atomically
(see :mod:`kg.store`). ``append=True`` starts the new generation from a checkpoint of the current one,
replaces the graphs of papers whose text changed and adds new papers and listings.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path

import pyoxigraph as ox

from kg import rdf, readers, store
from kg.derived import finish_generation
from kg.errors import InputError, StoreError
from kg.identity import content_hash, entity_iri, paper_graph, paper_key
from kg.model import EntityRef, Paper, PaperRecord
from kg.summary import SummaryBuilder
from kg.vocab import PG


@dataclass
class BuildSummary:
    """What a build did, printed at its end and recorded in the build log."""

    store: str = ""
    records: int = 0
    papers_new: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    listings: int = 0
    entities: int = 0
    quads: int = 0
    skipped: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  #: seconds per phase, in order

    def phase_line(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())

    def line(self) -> str:
        return (
            f"{self.papers_new} papers new, {self.papers_updated} updated, {self.papers_unchanged} unchanged; "
            f"{self.listings} listings, {self.entities} entities, {self.quads} triples"
            f"{f', {self.skipped} bad records skipped' if self.skipped else ''}; {self.seconds:.1f} s -> {self.store}"
        )


# --- extraction in worker processes -------------------------------------------------------------

_LEXICON = None


def _init_worker(definitions: list[tuple[str, str]]) -> None:
    global _LEXICON  # noqa: PLW0603 - one lexicon per worker process, built once
    from kg.link import Lexicon

    _LEXICON = Lexicon.default()
    _LEXICON.learn(definitions)


Extracted = tuple[str, list[tuple[EntityRef, frozenset[str]]], list[tuple[str, str]]]


def _extract_one(record: PaperRecord) -> Extracted:
    """Worker task: one paper -> its graph as N-Quads text, the entities it names, and its
    ``(relation, entity IRI)`` facts (for the summary counts)."""
    from kg.extract import extract

    key = paper_key(record)
    paper = Paper(record=record, listings=[record.listing], mentions=extract(record, _LEXICON))
    entities = [(m.entity, frozenset(rdf.entity_classes(m))) for m in paper.mentions if m.entity is not None]
    entities += [
        (m.result.dataset, frozenset({"Dataset"})) for m in paper.mentions if m.result and m.result.dataset
    ]
    facts = [(m.relation, entity_iri(m.entity)) for m in paper.mentions if m.entity is not None]
    return "".join(rdf.paper_quads(key, paper)), entities, facts


def _collect_one(record: PaperRecord) -> list[tuple[str, str]]:
    from kg.extract import collect_definitions

    return collect_definitions(record)


def _run_batch(func: Callable[[PaperRecord], object], batch: list[PaperRecord]) -> list[object]:
    return [func(record) for record in batch]


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
        # Pass 1: check every file before anything is written, and learn corpus-defined names.
        definitions: set[tuple[str, str]] = set()
        for found in _map(_collect_one, _read(files, fmt, handler), workers, ([],)):
            definitions.update(found)  # type: ignore[arg-type]
            summary.records += 1
        summary.errors.clear()
        summary.skipped = 0
        if summary.records == 0 and not append:
            raise InputError(", ".join(str(f[1]) for f in files), None, "no papers found in the input")
        store.collect_garbage(store_dir)
        generation = store.new_generation_path(store_dir)
        try:
            _build_generation(files, fmt, handler, store_dir, generation, append, workers,
                              sorted(definitions), summary, progress, Path(tmp))
            ended = time.time()
            summary.seconds = ended - started
            _write_build_log(generation, files, summary, started, ended)
            store.publish(store_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
    summary.seconds = time.time() - started
    return summary


def _read(files: list[tuple[str, str]], fmt: str, on_error: Callable[[InputError], None] | None) -> Iterator[PaperRecord]:
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
) -> None:
    """Pass 2: extract, write N-Quads, load them into ``generation``."""
    previous: ox.Store | None = None
    known: dict[str, str] = {}
    if append:
        try:
            previous = store.open_read(store_dir)
        except StoreError:
            previous = None
        if previous is not None:
            known = _content_hashes(previous)
    started = time.time()
    advance = progress(summary.records) if progress else (lambda n: None)
    spool = tmp / "graph.nq"
    # Listings of papers already extracted go to their own spool, written while records are read.
    listing_spool = tmp / "listings.nq"
    seen: dict[str, str] = {}
    replaced: list[str] = []
    entities: dict[str, tuple[EntityRef, set[str]]] = {}
    counts = SummaryBuilder()
    sources: set[str] = set()
    with open(spool, "w", encoding="utf-8") as out, open(listing_spool, "w", encoding="utf-8") as listings_out:

        def to_extract() -> Iterator[PaperRecord]:
            for record in _read(files, fmt, on_error):
                advance(1)
                key = paper_key(record)
                digest = content_hash(record)
                summary.listings += 1
                if record.listing.source not in sources:
                    sources.add(record.listing.source)
                    listings_out.writelines(rdf.source_quads(record.listing.source))
                    counts.add_label(rdf.source_iri(record.listing.source), record.listing.source)
                if key in seen or known.get(key) == digest:
                    # Already extracted (listed again, or unchanged since the last build): record the listing.
                    if key not in seen:
                        summary.papers_unchanged += 1
                        seen[key] = digest
                    listings_out.writelines(rdf.listing_quads(key, record.listing))
                    continue
                seen[key] = digest
                if key in known:
                    summary.papers_updated += 1
                    replaced.append(key)
                else:
                    summary.papers_new += 1
                yield record

        for text, named, facts in _map(_extract_one, to_extract(), workers, (definitions,)):  # type: ignore[misc]
            out.write(text)
            counts.add_paper(facts)
            for ref, classes in named:
                key = entity_iri(ref)
                if key in entities:
                    entities[key][1].update(classes)
                else:
                    entities[key] = (ref, set(classes))
        for key in sorted(entities):
            ref, classes = entities[key]
            out.writelines(rdf.entity_quads(ref, classes))
            counts.add_label(key, ref.label)
        summary.entities = len(entities)
        if previous is None:  # a fresh graph: the counts seen here are the whole story
            out.writelines(counts.nquads())
    previous_exists = previous is not None
    if previous is not None:
        previous.backup(str(generation))
        del previous
        target = ox.Store(str(generation))
        for key in replaced:
            target.remove_graph(ox.NamedNode(paper_graph(key)))
    else:
        target = ox.Store(str(generation))
    summary.phases["extract"] = time.time() - started
    started = time.time()
    for path in (spool, listing_spool):
        target.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    summary.phases["load"] = time.time() - started
    # A fresh build's spools hold the whole graph: the index reads them instead of the store.
    finish_generation(target, generation, summary.phases, summarised=not previous_exists,
                      sources=None if previous_exists else ([spool, listing_spool], counts))
    summary.quads = len(target)
    del target


def _content_hashes(previous: ox.Store) -> dict[str, str]:
    """paper key -> content hash of every paper already in the store (for append)."""
    prefix = len(paper_graph(""))
    hashes: dict[str, str] = {}
    for quad in previous.quads_for_pattern(None, ox.NamedNode(PG + "contentHash"), None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
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
    counts = {"papersNew": summary.papers_new, "papersUpdated": summary.papers_updated, "papers": summary.papers_new + summary.papers_updated + summary.papers_unchanged}
    text = "".join(rdf.build_quads(build_id, stamp(started), stamp(ended), sources, counts))
    target = ox.Store(str(generation))
    target.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    target.flush()
    del target
