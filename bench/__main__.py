"""``python -m bench``: the whole benchmark, one table, each figure beside its peer.

Usage::

    python -m bench --quick                 # 10k papers, shorter query runs (~10 min on 2 cores)
    python -m bench --papers 100000         # the issue's reference size
    python -m bench --papers 10000 --only extraction,build
    python -m bench --quick --only queries,sparql,load   # reuses the stores of the last build of that size

Stages: synthetic corpus (:mod:`bench.corpus`, cached in ``--out``), extraction throughput
(:mod:`bench.extraction`), ``kg build`` vs ``bulk_load`` (:mod:`bench.building`), canned queries and
``/sparql`` through ``kg serve`` vs ``oxigraph serve`` on the same data (:mod:`bench.serving`), and the
mixed load run (:mod:`bench.load`). Progress goes to stderr; the table to stdout and
``OUT/results.md``. Servers listen on 127.0.0.1 only and are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from bench import corpus
from bench.proc import log
from bench.report import Row, render

STAGES = ("extraction", "build", "queries", "sparql", "load")


def _corpus(out: Path, papers: int, seed: int) -> Path:
    """The corpus for ``papers`` papers, generated once and reused (a marker says it is complete)."""
    path = out / f"corpus-{papers}-s{seed}"
    marker = path / ".complete"
    if not marker.exists():
        shards = max(1, min(64, papers // 5000))
        log(f"generating {papers:,} synthetic papers in {shards} shard(s) -> {path}")
        corpus.write_jsonl(path, papers, seed, shards)
        marker.touch()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000, help="Corpus size (10000, 100000, 1000000).")
    parser.add_argument("--quick", action="store_true", help="10k papers unless --papers is given; short runs.")
    parser.add_argument("--out", type=Path, default=Path("bench/out"), help="Work directory and results.md.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(STAGES), help=f"Comma-separated stages of {', '.join(STAGES)}.")
    parser.add_argument("--seconds", type=float, default=None, help="Load-run length [60, or 20 with --quick].")
    args = parser.parse_args(argv)
    stages = {s.strip() for s in args.only.split(",") if s.strip()}
    if unknown := stages - set(STAGES):
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load_before = os.getloadavg()[0]
    work = args.out / f"run-{args.papers}"
    work.mkdir(parents=True, exist_ok=True)
    source = _corpus(args.out, args.papers, args.seed)
    rows: list[Row] = []
    extra: list[str] = []

    if "extraction" in stages:
        from bench import extraction

        rows += extraction.measure(source, sample=2_000 if args.quick else 6_000)
    built = None
    if stages & {"build", "queries", "sparql", "load"}:
        from bench import building

        if "build" not in stages and building.reusable(work):
            log(f"reusing the stores built in {work} (no build stage)")
            built = building.reuse(work)
        else:
            built = building.measure(source, work, args.papers, timeout=3600 if args.papers > 100_000 else 1800)
            rows += built.rows
    if built is not None and stages & {"queries", "sparql", "load"}:
        from bench import serving

        served = serving.measure(built.store_dir, built.peer_dir, work, quick=args.quick,
                                 stages=stages, load_seconds=args.seconds or (20.0 if args.quick else 60.0))
        rows += served.rows
        extra += served.extra

    title = (f"papergraph bench: {args.papers:,} papers, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load_before:.1f} before / "
             f"{os.getloadavg()[0]:.1f} after; ours/peer < 1 is better for times, > 1 for rates")
    text = render(rows, title) + ("\n\n" + "\n".join(extra) if extra else "")
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    text += f"\n\nCommand: `{command.strip()}` ({time.time() - started:,.0f} s)\n"
    print(text)  # noqa: T201
    (args.out / "results.md").write_text(text, encoding="utf-8")
    log(f"table saved to {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
