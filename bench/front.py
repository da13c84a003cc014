"""The HTTP front alone, A/B and interleaved: ``/sparql`` ``ASK {}`` and the heavy GROUP BY of
:mod:`bench.serving` at 16 clients, and the single-paper ``paper-contributions`` lookup at 1, 4 and 16
clients, ours beside ``oxigraph serve`` on the same data.

Each round measures every side in turn (ours, peer, ours, peer, ...), so a burst of other work on a shared
machine hits both; the table gives the best and the median over the rounds, and the CPU time the server's
whole process tree spent per answered request (median over the rounds): unlike throughput, that figure
hardly moves when other jobs share the cores. Uses the stores of the last ``python -m bench`` build of
that size (``bench/out/run-N/store`` and ``peer-store``)::

    python -m bench.front --papers 10000 --rounds 3
    # another side, e.g. an older checkout of ours ({store} is the absolute path of our store):
    python -m bench.front --side "before=sh -c 'cd /tmp/old && exec python -m kg serve --store {store} --port {port}'"

All servers start once and stay up for all rounds; requests are the bench's own (:mod:`bench.catalog`).
"""

from __future__ import annotations

import argparse
import itertools
import shlex
import shutil
import statistics
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import psutil

from bench import catalog, clients
from bench.proc import free_port, log, server
from bench.serving import CLIENT_TIMEOUT, HEAVY, PEER_TIMEOUT_S, TRIVIAL

LOOKUP = "paper-contributions"


def _commands(store: Path, peer: Path, extra: list[str]) -> dict[str, list[str]]:
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    sides = {
        "ours": [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "{port}"],
        # The peer's timeout is the main bench's (equal to ours, see bench.serving.PEER_TIMEOUT_S).
        "peer": [oxigraph, "serve", "--location", str(peer), "--bind", "127.0.0.1:{port}",
                 "--union-default-graph", "--timeout-s", str(PEER_TIMEOUT_S)],
    }
    for spec in extra:
        name, _, command = spec.partition("=")
        sides[name] = shlex.split(command.replace("{store}", str(store.resolve())))
    return sides


#: Cell name -> (clients, whether it reports throughput rather than p50).
CELLS = {
    "/sparql ASK {}, 16 clients [req/s]": (16, True),
    "/sparql heavy GROUP BY, 16 clients [req/s]": (16, True),
    **{f"{LOOKUP}, {n} client{'s' if n > 1 else ''} [p50 ms]": (n, False) for n in (1, 4, 16)},
}


def _calls(cell: str, side: str, requests: list[catalog.Request]) -> itertools.cycle[clients.Call]:
    if cell.startswith("/sparql"):
        return itertools.cycle([clients.sparql_post(HEAVY if "heavy" in cell else TRIVIAL)])
    if side == "peer":
        return itertools.cycle([clients.sparql_post(r.sparql, label=r.query) for r in requests])
    return itertools.cycle([clients.Call(r.api_path, headers=(("Accept", "application/json"),), label=r.query)
                            for r in requests])


def _cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    """User + system CPU of ``proc`` and its live descendants (a process that ended drops out, so cells
    are measured while every server keeps its workers)."""
    total = 0.0
    try:
        root = psutil.Process(proc.pid)
        members = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for member in members:
        try:
            times = member.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.front", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000, help="Use bench/out/run-N (built by python -m bench).")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="Length of one cell.")
    parser.add_argument("--side", action="append", default=[], metavar="NAME=COMMAND",
                        help="Another server to measure; {port} and {store} are filled in (our store).")
    parser.add_argument("--no-peer", action="store_true", help="Leave oxigraph serve out.")
    parser.add_argument("--cells", default="", help="Only the cells whose name contains this (e.g. ASK).")
    args = parser.parse_args(argv)
    work = args.out / f"run-{args.papers}"
    store, peer = work / "store", work / "peer-store"
    graph = catalog.sample_path(peer)
    requests = list(catalog.requests_for(catalog.catalog()[LOOKUP], catalog.ValuePool(graph, seed=1), 2000))
    del graph
    sides = _commands(store, peer, args.side)
    if args.no_peer:
        sides.pop("peer")
    results: dict[tuple[str, str], list[float]] = {}
    cells = {name: cell for name, cell in CELLS.items() if args.cells in name}
    with ExitStack() as stack:
        ports, procs = {}, {}
        for name, command in sides.items():
            ports[name] = port = free_port()
            cmd = [part.replace("{port}", str(port)) for part in command]
            procs[name] = stack.enter_context(server(cmd, port, name=name, log_path=work / f"front-{name}.log"))
        for name, port in ports.items():  # warm-up: workers started, index connections open
            clients.run(port, _calls("lookup", name, requests[:50]), 4, 2.0, timeout=CLIENT_TIMEOUT)
        for round_no in range(args.rounds):
            for cell, (count, rate) in cells.items():
                for name, port in ports.items():
                    offset = (round_no * 97 + count * 7) % len(requests)
                    batch = requests[offset:] + requests[:offset]
                    cpu = _cpu_seconds(procs[name])
                    outcome = clients.run(port, _calls(cell, name, batch), count, args.seconds, timeout=CLIENT_TIMEOUT)
                    cpu_ms = (_cpu_seconds(procs[name]) - cpu) * 1000 / max(1, len(outcome.latencies))
                    errors = sum(outcome.errors.values())
                    value = outcome.throughput if rate else (outcome.percentile(50) or 0.0) * 1000
                    results.setdefault((cell, name), []).append(value)
                    results.setdefault((cell, name + " cpu"), []).append(cpu_ms)
                    log(f"round {round_no + 1} {cell} {name}: {value:,.1f}, server CPU {cpu_ms:.3f} ms/request"
                        + (f" ({errors} errors: {dict(outcome.errors)})" if errors else ""))
    names = list(sides)
    print("| measure | " + " | ".join(f"{n} best | {n} median | {n} CPU ms/req" for n in names) + " |")  # noqa: T201
    print("|---|" + "---|---|---|" * len(names))  # noqa: T201
    for cell, (_, rate) in cells.items():
        best = max if rate else min
        parts = []
        for name in names:
            values = results[(cell, name)]
            parts += [f"{best(values):,.1f}", f"{statistics.median(values):,.1f}",
                      f"{statistics.median(results[(cell, name + ' cpu')]):.3f}"]
        print(f"| {cell} | " + " | ".join(parts) + " |")  # noqa: T201
    print(f"\nCommand: `python -m bench.front {' '.join(argv if argv is not None else sys.argv[1:])}`")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
