"""``kg build --dask SCHEDULER``: the build's extraction spread over a Dask cluster, then one bulk load.

The same two passes as :mod:`kg.build`, each a ``dask.bag`` map:

1. one task per input file reads it, collects the acronym definitions it makes, a 64-bit hash of each
   record's paper key (so the client can tell which occurrence of a paper listed twice comes first) and
   of each title (with the key, for records with an arXiv id); the client matches titles in SQLite
   (:class:`kg.title_map.TitleMap`), as a local build does, keeping only the titles listed without an
   arXiv id that name one arXiv paper;
2. the records, partitioned from the input files (a large file is cut into record ranges), are mapped
   partition by partition: each task builds the lexicon once per worker process from the definitions of
   pass 1 (broadcast as one shared dependency, with the matched titles), extracts its papers (a
   title-only record whose title was matched is a listing of that arXiv paper) and writes one N-Quads
   shard to a shared directory, and returns the entities its papers name.

The client then writes the entities and source files, bulk-loads every shard into a new generation in
one ``Store.bulk_load`` call, adds what every generation gets (:func:`kg.derived.finish_generation`:
summary graph, search index, compaction) and publishes it (see :mod:`kg.store`). The graph equals a
local build's, quad for quad, apart from the build-log entry.

Workers need papergraph installed and must read the input files and write the shard directory at the
same paths as the client: a shared filesystem (see ``docs/distributed.md``).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import time
import uuid
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import build as local
from kg import rdf, readers, store
from kg.derived import finish_generation
from kg.errors import InputError, KgError
from kg.identity import entity_iri, paper_key, title_hash
from kg.model import EntityRef, PaperRecord
from kg.readers._text import source_name
from kg.title_map import TitleMap, ambiguous_warning, record_title

#: ``$KG_SHARD_DIR``: where shards are written (must be shared with the workers); default: the store directory.
SHARD_DIR_ENV = "KG_SHARD_DIR"
#: A partition holds at most this many records; a file is cut so every worker gets a few partitions.
MAX_PARTITION = 20_000
MIN_PARTITION = 200

__all__ = ["build_distributed", "connect"]


@dataclass(frozen=True)
class _Partition:
    """Records ``start`` .. ``stop - 1`` of one input file, and which of them repeat an earlier paper."""

    index: int
    path: str
    display: str
    start: int
    stop: int
    repeats: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Definitions:
    """Pass 1's learned definitions, sent once to each worker; ``token`` names this build's set.
    ``titles``: title hash -> arXiv key, for the titles listed without an arXiv id that name one arXiv paper."""

    token: str
    pairs: list[tuple[str, str]]
    titles: dict[int, str] = field(default_factory=dict)


@dataclass
class _Extracted:
    """What a pass-2 task returns: counts and the entities its papers name, in first-seen order."""

    quads: int = 0
    papers: int = 0
    listings: int = 0
    merged: int = 0  #: listings without an arXiv id filed under the arXiv paper their title names
    entities: dict[str, tuple[EntityRef, set[str]]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def connect(scheduler: str) -> tuple[Any, Callable[[], None]]:
    """A ``distributed.Client`` for ``scheduler`` (``local`` starts a LocalCluster of one process per core),
    and a function that closes what was opened.

    :raises KgError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KgError("kg build --dask needs Dask: pip install 'papergraph[dask]'") from None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,  # type: ignore[no-untyped-call]
                                   processes=True, dashboard_address=None)
            client = Client(cluster)  # type: ignore[no-untyped-call]

            def close() -> None:
                client.close()  # type: ignore[no-untyped-call]
                cluster.close()

            return client, close
        client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise KgError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    return client, client.close


def build_distributed(
    inputs: Iterable[str],
    store_dir: str | os.PathLike[str],
    client: Any,
    *,
    fmt: str = "auto",
    skip_bad: bool = False,
    shard_dir: str | os.PathLike[str] | None = None,
    report: Callable[[str], None] | None = None,
) -> local.BuildSummary:
    """Build the graph in ``store_dir`` from ``inputs`` on the Dask cluster of ``client`` and publish it.

    :param shard_dir: parent of the shard directory [``$KG_SHARD_DIR`` or ``store_dir``]; workers write there.
    :raises InputError: bad input (nothing is published), or standard input (workers cannot read it).
    :raises StoreError: another build holds the store.
    """
    import dask.bag as db

    started = time.time()
    summary = local.BuildSummary(store=str(store_dir))
    paths = readers.expand_inputs(inputs)
    if "-" in paths:
        raise InputError("<stdin>", None, "a distributed build reads files the workers can open, not stdin")
    files = [(os.path.abspath(p), source_name(p)) for p in paths]  # read where workers can, named as given
    root = Path(shard_dir or os.environ.get(SHARD_DIR_ENV) or store_dir).absolute()
    with store.writer_lock(store_dir):
        root.mkdir(parents=True, exist_ok=True)
        shards = Path(tempfile.mkdtemp(prefix=".kg-shards-", dir=root))
        try:
            # Pass 1: check every file, learn corpus-defined names, hash paper keys.
            files_bag = db.from_sequence(files, npartitions=len(files))  # type: ignore[no-untyped-call]
            scans = client.compute(files_bag.map(_scan_file, fmt, skip_bad), sync=True)
            definitions: set[tuple[str, str]] = set()
            for count, found, _keys, errors, _titles in scans:
                if isinstance(errors, tuple):
                    raise InputError(*errors)
                definitions.update(found)
                summary.records += count
                for message in errors:
                    summary.skipped += 1
                    summary.errors.append(message)
                    if report:
                        report(f"skipped: {message}")
            if summary.records == 0:
                raise InputError(", ".join(p for p, _ in files), None, "no papers found in the input")
            titles = _match_titles(scans, summary)
            parts = _plan(files, scans, _partition_size(summary.records, client))
            # Pass 2: extract, one shard per partition; the definitions travel once per worker.
            payload = client.scatter(_Definitions(uuid.uuid4().hex, sorted(definitions), titles), broadcast=True)
            bag = db.from_sequence(parts, npartitions=len(parts))  # type: ignore[no-untyped-call]
            results = client.compute(bag.map(_extract_partition, fmt, str(shards), payload), sync=True)
            summary.phases["extract"] = time.time() - started
            store.collect_garbage(store_dir)
            generation = store.new_generation_path(store_dir)
            try:
                summary.quads = _load(generation, shards, results, summary)
                ended = time.time()
                summary.seconds = ended - started
                local._write_build_log(generation, files, summary, started, ended)
                store.publish(store_dir, generation)
            except BaseException:
                shutil.rmtree(generation, ignore_errors=True)
                raise
        finally:
            shutil.rmtree(shards, ignore_errors=True)
    if report:
        for warning in summary.warnings:
            report(f"warning: {warning}")
    summary.seconds = time.time() - started
    return summary


def _match_titles(scans: list[Any], summary: local.BuildSummary) -> dict[int, str]:
    """The titles listed without an arXiv id that name exactly one arXiv paper (title hash -> key), from
    every file's pass-1 titles matched in SQLite: only these travel to the workers. Ambiguous titles
    become warnings, worded as a local build words them."""
    with tempfile.TemporaryDirectory(prefix="kg-titles-") as tmp:
        titles = TitleMap(Path(tmp) / "titles.sqlite")
        try:
            for *_, (arxiv_raw, arxiv_keys, plain_raw) in scans:
                hashes, plain = array("q"), array("q")
                hashes.frombytes(arxiv_raw)
                plain.frombytes(plain_raw)
                for h, key in zip(hashes, arxiv_keys.split("\n") if arxiv_keys else [], strict=True):
                    titles.add_arxiv(h, key)
                for h in plain:
                    titles.add_plain(h)
            summary.warnings.extend(ambiguous_warning(keys) for keys in titles.ambiguous())
            return dict(titles.matched())
        finally:
            titles.close()


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


Titles = tuple[bytes, str, bytes]


def _scan_file(
    file: tuple[str, str], fmt: str, skip_bad: bool
) -> tuple[int, list[tuple[str, str]], bytes, Any, Titles]:
    """Pass 1 on a worker: (records, definitions, key hashes as uint64 bytes, skipped-record messages,
    titles). Titles, compact: the title hashes (int64 bytes) of records with an arXiv id, their keys
    joined by newlines, and the title hashes of records without one.

    A bad record without ``skip_bad`` comes back as ``(source, line, message)`` in place of the messages
    (exceptions with required arguments do not survive pickling).
    """
    from kg.extract import collect_definitions

    errors: list[str] = []
    keys, arxiv_titles, plain_titles = array("Q"), array("q"), array("q")
    arxiv_keys: list[str] = []
    definitions: set[tuple[str, str]] = set()
    count = 0
    try:
        for record in local._read([file], fmt, errors.append if skip_bad else None):  # type: ignore[arg-type]
            count += 1
            definitions.update(collect_definitions(record))
            keys.append(_key_hash(paper_key(record)))
            h, key = record_title(record)
            if h is None:
                continue
            if key is None:
                plain_titles.append(h)
            else:
                arxiv_titles.append(h)
                arxiv_keys.append(key)
    except InputError as exc:
        return 0, [], b"", (exc.source, exc.line, exc.message), (b"", "", b"")
    titles = (arxiv_titles.tobytes(), "\n".join(arxiv_keys), plain_titles.tobytes())
    return count, sorted(definitions), keys.tobytes(), [str(e) for e in errors], titles


def _partition_size(records: int, client: Any) -> int:
    threads = max(1, int(sum(client.nthreads().values())))
    return max(MIN_PARTITION, min(MAX_PARTITION, -(-records // (threads * 4))))


def _plan(files: list[tuple[str, str]], scans: list[Any], size: int) -> list[_Partition]:
    """Cut files into record ranges; mark each record whose paper key appeared earlier (global input order)."""
    seen: set[int] = set()
    parts: list[_Partition] = []
    for (path, display), (count, _, raw, _, _) in zip(files, scans, strict=True):
        keys = array("Q")
        keys.frombytes(raw)
        for start in range(0, count, size):
            stop = min(count, start + size)
            repeats = set()
            for offset, key in enumerate(keys[start:stop]):
                if key in seen:
                    repeats.add(offset)
                seen.add(key)
            parts.append(_Partition(len(parts), path, display, start, stop, frozenset(repeats)))
    return parts


_WORKER_LEXICON: tuple[str, Any] | None = None


def _use_lexicon(definitions: _Definitions) -> None:
    """Install the lexicon for these definitions in this worker process, built once per build (as a
    local build's pool initialiser does)."""
    global _WORKER_LEXICON  # noqa: PLW0603 - one lexicon per worker process
    if _WORKER_LEXICON is None or _WORKER_LEXICON[0] != definitions.token:
        local._init_worker(definitions.pairs)
        _WORKER_LEXICON = (definitions.token, local._LEXICON)
    local._LEXICON = _WORKER_LEXICON[1]


def _extract_partition(part: _Partition, fmt: str, shards: str, definitions: _Definitions) -> _Extracted:
    """Pass 2 on a worker: one N-Quads shard for the partition's papers and repeated listings."""
    _use_lexicon(definitions)
    out = _Extracted()
    records = islice(local._read([(part.path, part.display)], fmt, lambda _error: None), part.start, part.stop)
    with open(Path(shards) / f"part-{part.index:06d}.nq", "w", encoding="utf-8") as sink:
        for offset, record in enumerate(records):
            out.listings += 1
            if record.listing.source not in out.sources:
                out.sources.append(record.listing.source)
            merged = _merged_key(record, definitions.titles)
            if merged is not None:  # a listing of an arXiv paper, extracted from its own record
                lines = rdf.listing_quads(merged, record.listing)
                sink.writelines(lines)
                out.quads += len(lines)
                out.merged += 1
                continue
            if offset in part.repeats:
                lines = rdf.listing_quads(paper_key(record), record.listing)
                sink.writelines(lines)
                out.quads += len(lines)
                continue
            text, named, _facts = local._extract_one(record)  # the summary is recomputed after the load
            sink.write(text)
            out.quads += text.count("\n")
            out.papers += 1
            for ref, classes in named:
                key = entity_iri(ref)
                if key in out.entities:
                    out.entities[key][1].update(classes)
                else:
                    out.entities[key] = (ref, set(classes))
    return out


def _merged_key(record: PaperRecord, titles: dict[int, str]) -> str | None:
    """The arXiv key a title-only record is filed under (as :meth:`kg.title_map.TitleMap.merged_key`)."""
    if record.arxiv_id or not titles:
        return None
    h = title_hash(record.title)
    return None if h is None else titles.get(h)


def _load(generation: Path, shards: Path, results: list[_Extracted], summary: local.BuildSummary) -> int:
    """Entities and sources from all partitions (first seen wins, as locally), then one bulk load."""
    entities: dict[str, tuple[EntityRef, set[str]]] = {}
    sources: list[str] = []
    for result in results:
        summary.papers_new += result.papers
        summary.listings += result.listings
        summary.listings_merged += result.merged
        sources.extend(s for s in result.sources if s not in sources)
        for key, (ref, classes) in result.entities.items():
            if key in entities:
                entities[key][1].update(classes)
            else:
                entities[key] = (ref, set(classes))
    summary.entities = len(entities)
    with open(shards / "entities.nq", "w", encoding="utf-8") as sink:
        for key in sorted(entities):
            sink.writelines(rdf.entity_quads(*entities[key]))
        for source in sources:
            sink.writelines(rdf.source_quads(source))
    target = ox.Store(str(generation))
    started = time.time()
    stream = io.BufferedReader(_Concatenation(sorted(shards.glob("*.nq"))), 1 << 20)
    target.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
    summary.phases["load"] = time.time() - started
    finish_generation(target, generation, summary.phases)  # summary graph, search index, compaction
    count = int(len(target))
    del target
    return count


class _Concatenation(io.RawIOBase):
    """The shards read back to back as one stream, so one ``bulk_load`` call loads them all."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = list(reversed(paths))
        self._current: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            if self._current is None:
                if not self._paths:
                    return 0
                self._current = open(self._paths.pop(), "rb")  # noqa: SIM115 - closed at its end
            count = self._current.readinto(buffer)
            if count:
                return count
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
        super().close()
