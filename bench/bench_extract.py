"""Extraction throughput on the bundled corpus, one process, beside a peer: one URL regex over the same text.

Run: ``python bench/bench_extract.py [N]`` (N abstracts, default 20000). Prints abstracts/s for
``kg.extract.extract`` and the ratio to a plain ``re.findall`` of a single URL regex, so the figure
can be read on any machine.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from kg.extract import collect_definitions, extract
from kg.link import Lexicon
from kg.readers import expand_inputs, read

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "hf-daily-papers"
_URL = re.compile(r"https?://[^\s<>\"']+")


def main(n: int = 20000) -> None:
    records = list(read(expand_inputs([str(CORPUS)])))
    work = (records * (n // len(records) + 1))[:n]
    lexicon = Lexicon.default()
    lexicon.learn(pair for r in records for pair in collect_definitions(r))
    extract(work[0], lexicon)  # warm caches

    t0 = time.perf_counter()
    mentions = sum(len(extract(r, lexicon)) for r in work)
    ours = time.perf_counter() - t0

    t0 = time.perf_counter()
    urls = sum(len(_URL.findall(r.title)) + len(_URL.findall(r.abstract)) for r in work)
    peer = time.perf_counter() - t0

    print(f"abstracts:            {n}")
    print(f"kg.extract.extract:   {n / ours:,.0f} abstracts/s ({mentions} mentions)")
    print(f"re.findall(URL) peer: {n / peer:,.0f} abstracts/s ({urls} urls)")
    print(f"ratio (peer / ours):  {ours / peer:.1f}x slower than one URL regex")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
