"""A bounded loopback load run against ``kg serve`` (issue 7, point 6): printed, not asserted on time.

16 concurrent clients for 60 s (``--seconds``) send a seeded mix of canned-query requests (every query
of the catalog, fresh parameter values) and ``/sparql`` queries (a trivial ASK, a label lookup, a
one-dataset count, and now and then an aggregation over all facts). It reports requests, errors by kind
(there should be none), p50/p99 latency overall and per kind of request.

Standalone::

    python -m bench.load --store kg-store [--seconds 60] [--clients 16]     # starts kg serve itself
    python -m bench.load --port 8000 --store kg-store                       # a server already running

(``--store`` is read to draw parameter values from real entities.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import catalog, clients
from bench.proc import free_port, log, server
from bench.report import Row

SPARQL_MIX = (
    ("sparql:ask", "ASK {}", 4),
    ("sparql:lookup", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                      "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 20", 4),
    ("sparql:count-one", "PREFIX pg: <https://w3id.org/papergraph/ontology#>\n"
                         "SELECT (COUNT(?p) AS ?n) WHERE { ?p pg:evaluatesOn ?d . ?d a pg:Dataset } LIMIT 1", 1),
)
#: Out of 100 requests: canned queries, plain SPARQL.
CANNED_SHARE = 70


@dataclass
class LoadResult:
    outcome: clients.Outcome
    clients_count: int
    seconds: float

    def row(self) -> Row:
        o = self.outcome
        return Row("load", f"mixed load, {self.clients_count} clients, {self.seconds:.0f} s [p50]",
                   o.percentile(50), None, "lower", "0 errors", not o.errors, unit="ms",
                   note=f"{o.requests} requests, {sum(o.errors.values())} errors {dict(o.errors) or ''}, "
                        f"p99 {_ms(o.percentile(99))}, {o.throughput:.1f} req/s",
                   ours2=o.percentile(99))

    def text(self) -> str:
        o = self.outcome
        lines = [f"Load run: {self.clients_count} clients for {self.seconds:.0f} s against kg serve: "
                 f"{o.requests} requests, {sum(o.errors.values())} errors {dict(o.errors) or ''}, "
                 f"p50 {_ms(o.percentile(50))}, p99 {_ms(o.percentile(99))}, {o.throughput:.1f} req/s", "",
                 "| request | n | p50 | p99 |", "|---|---|---|---|"]
        for label, times in sorted(o.by_label.items()):
            lines.append(f"| {label} | {len(times)} | {_ms(_q(times, 50))} | {_ms(_q(times, 99))} |")
        return "\n".join(lines)


def _q(times: list[float], q: int) -> float | None:
    if not times:
        return None
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f} ms"


def _mix(requests: list[catalog.Request], seed: int) -> Iterator[clients.Call]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible request mix
    sparql = [(label, text) for label, text, weight in SPARQL_MIX for _ in range(weight)]
    heavy = ("sparql:aggregate-all", _heavy())
    while True:
        roll = rng.randrange(100)
        if roll < CANNED_SHARE and requests:
            request = rng.choice(requests)
            yield clients.Call(request.api_path, headers=(("Accept", "application/json"),),
                               label=f"api:{request.query}")
        elif roll < 99:
            label, text = rng.choice(sparql)
            yield clients.sparql_post(text, label=label)
        else:
            yield clients.sparql_post(heavy[1], label=heavy[0])


def _heavy() -> str:
    from bench.serving import HEAVY

    return HEAVY


def run_load(port: int, requests: list[catalog.Request], *, clients_count: int = 16, seconds: float = 60.0,
             seed: int = 7) -> LoadResult:
    """Run the mix against 127.0.0.1:``port`` for ``seconds``; requests still in flight are waited for."""
    outcome = clients.run(port, _mix(requests, seed), clients_count, seconds, timeout=30.0)
    return LoadResult(outcome, clients_count, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="Store to serve and to draw values from.")
    parser.add_argument("--port", type=int, default=None, help="A kg serve already listening on 127.0.0.1.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args(argv)
    from kg import store as kg_store

    graph = kg_store.open_read(args.store)
    values = catalog.ValuePool(graph, seed=3)
    requests = [r for q in catalog.catalog().values() for r in catalog.requests_for(q, values, 200)]
    del graph, values
    if args.port:
        result = run_load(args.port, requests, clients_count=args.clients, seconds=args.seconds)
    else:
        port = free_port()
        cmd = [sys.executable, "-m", "kg", "serve", "--store", str(args.store), "--port", str(port)]
        log_path = Path(args.store) / "load-serve.log"
        with server(cmd, port, name="kg serve", log_path=log_path):
            log(f"load run: {args.clients} clients for {args.seconds:.0f} s")
            result = run_load(port, requests, clients_count=args.clients, seconds=args.seconds)
    print(result.text())  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
