"""End-to-end ``kg build`` beside pyoxigraph ``Store.bulk_load`` of the same N-Quads.

Ours: ``python -m kg build CORPUS --store DIR`` as a child process (all cores), timed, with the peak RSS
of its process tree, and the size of the published generation. The peer: the built graph dumped to
N-Quads, then ``Store(fresh).bulk_load(path=...)`` in a child process (bare, as the issue states the
target), and ``optimize()`` of that store timed separately (the build compacts too; a bulk-loaded
store left uncompacted answers queries several times slower, so the served peer is optimised).
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.proc import Run, dir_size, log, run_measured
from bench.report import Row
from kg import store as kg_store

_BULK_LOAD = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
store.flush()
"""
_OPTIMIZE = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.optimize()
store.flush()
"""
TARGET_RATIO = 2.5


@dataclass
class BuildResult:
    store_dir: Path  #: our store (``current`` points at the generation)
    peer_dir: Path  #: the bulk-loaded, then optimised, plain Oxigraph directory
    nquads: Path
    quads: int
    rows: list[Row]


def _check(run: Run, what: str) -> None:
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed with status {run.returncode}:\n{run.stderr[-3000:]}")


def measure(corpus: Path, work: Path, papers: int, timeout: float) -> BuildResult:
    store_dir, peer_dir, nquads = work / "store", work / "peer-store", work / "graph.nq"
    for path in (store_dir, peer_dir):
        shutil.rmtree(path, ignore_errors=True)
    log(f"kg build of {papers:,} papers (all cores)")
    # Not --quiet: the build then reports its phases (the progress bar is off without a terminal).
    ours = run_measured([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store_dir)],
                        timeout=timeout)
    _check(ours, "kg build")
    log(f"kg build: {ours.seconds:.1f} s; {ours.stderr.strip().splitlines()[-1] if ours.stderr.strip() else ''}")
    generation = kg_store.current_generation(store_dir)
    ours_size = dir_size(generation)

    log("dumping the built graph to N-Quads")
    graph = ox.Store.read_only(str(generation))
    graph.dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
    quads = len(graph)
    del graph

    log(f"pyoxigraph bulk_load of {quads:,} quads into a fresh directory")
    peer = run_measured([sys.executable, "-c", _BULK_LOAD, str(peer_dir), str(nquads)], timeout=timeout)
    _check(peer, "bulk_load")
    peer_size = dir_size(peer_dir)
    log(f"bulk_load: {peer.seconds:.1f} s; optimize()")
    optimize = run_measured([sys.executable, "-c", _OPTIMIZE, str(peer_dir)], timeout=timeout)
    _check(optimize, "optimize")
    peer_opt_size = dir_size(peer_dir)
    ratio = ours.seconds / peer.seconds
    phases = next((line.strip()[1:-1] for line in ours.stderr.splitlines() if line.strip().startswith("(")), "")
    rows = [
        Row("build", f"kg build vs bulk_load, {papers:,} papers [time]", ours.seconds, peer.seconds, "lower",
            f"<= {TARGET_RATIO}x", ratio <= TARGET_RATIO, unit="s",
            note=f"{quads:,} quads; build {quads / ours.seconds:,.0f} quads/s, bulk_load "
                 f"{quads / peer.seconds:,.0f} quads/s; build phases: {phases or 'not reported'}; "
                 f"peer optimize() {optimize.seconds:.1f} s"),
        Row("build", "kg build vs bulk_load + optimize() [time]", ours.seconds, peer.seconds + optimize.seconds,
            "lower", unit="s"),
        Row("build", "peak RSS, process tree [sum of RSS]", ours.peak_tree_rss, peer.peak_tree_rss, "lower",
            "< 2 GiB at 1M", ours.peak_tree_rss < 2 * 2**30, unit="MiB"),
        Row("build", "peak RSS, largest process", ours.peak_single_rss, peer.peak_single_rss, "lower", unit="MiB"),
        Row("build", "store size on disk (peer: after bulk_load)", ours_size, peer_size, "lower", unit="MiB"),
        Row("build", "store size on disk (peer: after optimize)", ours_size, peer_opt_size, "lower", unit="MiB"),
    ]
    (work / "build.json").write_text(json.dumps({
        "papers": papers, "quads": quads, "build_s": ours.seconds, "bulk_load_s": peer.seconds,
        "optimize_s": optimize.seconds, "build_rss_tree": ours.peak_tree_rss, "bulk_rss": peer.peak_tree_rss,
        "store_bytes": ours_size, "peer_bytes": peer_opt_size, "build_stderr": ours.stderr[-2000:],
    }, indent=2))
    return BuildResult(store_dir, peer_dir, nquads, quads, rows)


def reusable(work: Path) -> bool:
    """Whether ``work`` holds both stores of an earlier run (for re-running the query stages only)."""
    return (work / "store" / "current").exists() and (work / "peer-store" / "CURRENT").exists()


def reuse(work: Path) -> BuildResult:
    return BuildResult(work / "store", work / "peer-store", work / "graph.nq", 0, [])
