"""Extraction throughput (abstracts/s) on one core and on all cores, beside a trivial regex pass.

Each figure is the best of three interleaved rounds over thirds of the sample. Ours is what
``kg build`` runs per paper: :func:`kg.extract.extract` alone, and extraction plus the
paper's N-Quads text (``kg.build._extract_one``), on one process and on a process pool shaped like the
build's (ordered ``imap``, chunks of 32). The peer is ``re.findall`` of a URL pattern over the same
titles and abstracts, on one process and on the same pool, so pool overhead is on both sides.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from bench.proc import log
from bench.report import Row
from kg import build as kg_build
from kg.extract import collect_definitions, extract
from kg.model import PaperRecord
from kg.readers import expand_inputs, read

_URL = re.compile(r"https?://[^\s<>\"']+")
TARGET_PER_CORE = 5_000
ROUNDS = 3


def _regex_one(record: PaperRecord) -> int:
    return len(_URL.findall(record.title)) + len(_URL.findall(record.abstract))


def _noop_init(_definitions: object) -> None:
    return None


def _timed(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def _pool_rate(func: Callable[[PaperRecord], object], records: Sequence[PaperRecord], workers: int,
               init: Callable[[object], None], initarg: object) -> float:
    """Records/s through an ordered pool, pool start-up excluded (a warm-up task runs first)."""
    with get_context("fork").Pool(workers, initializer=init, initargs=(initarg,)) as pool:
        list(pool.imap(func, records[: workers * 32], chunksize=32))
        seconds = _timed(lambda: list(pool.imap(func, records, chunksize=32)))
    return len(records) / seconds


def measure(corpus: Path, sample: int, workers: int | None = None) -> list[Row]:
    """Rows for the table; ``sample`` abstracts are extracted per figure."""
    workers = workers or os.cpu_count() or 1
    records = list(islice(read(expand_inputs([str(corpus)])), sample))
    definitions = sorted({pair for record in records for pair in collect_definitions(record)})
    kg_build._init_worker(definitions)
    lexicon = kg_build._LEXICON
    extract(records[0], lexicon)  # warm the name index

    # Interleaved rounds, best of each: on a shared machine, background load hits all sides alike.
    chunks = [records[i::ROUNDS] for i in range(ROUNDS)]
    one_extract = one_full = one_regex = all_full = all_regex = 0.0
    for round_no, chunk in enumerate(chunks, start=1):
        m = len(chunk)
        log(f"extraction round {round_no}/{ROUNDS}: {m} abstracts on 1 process, then on {workers}")
        one_extract = max(one_extract, m / _timed(lambda c=chunk: [extract(r, lexicon) for r in c]))
        one_full = max(one_full, m / _timed(lambda c=chunk: [kg_build._extract_one(r) for r in c]))
        one_regex = max(one_regex, m / _timed(lambda c=chunk: [_regex_one(r) for r in c]))
        all_full = max(all_full, _pool_rate(kg_build._extract_one, chunk, workers, kg_build._init_worker, definitions))
        all_regex = max(all_regex, _pool_rate(_regex_one, chunk, workers, _noop_init, None))
    return [
        Row("extraction", "extract(), 1 core [abstracts/s]", one_extract, one_regex, "higher",
            f">= {TARGET_PER_CORE:,}/core", one_extract >= TARGET_PER_CORE),
        Row("extraction", "extract() + N-Quads, 1 core [abstracts/s]", one_full, one_regex, "higher",
            f">= {TARGET_PER_CORE:,}/core", one_full >= TARGET_PER_CORE),
        Row("extraction", f"extract() + N-Quads, {workers} cores [abstracts/s]", all_full, all_regex, "higher",
            f">= {TARGET_PER_CORE * workers:,}", all_full >= TARGET_PER_CORE * workers),
        Row("extraction", f"  per core on {workers} cores [abstracts/s]", all_full / workers, all_regex / workers,
            "higher", f">= {TARGET_PER_CORE:,}/core", all_full / workers >= TARGET_PER_CORE),
    ]
