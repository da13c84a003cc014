"""The ``kg`` command: one click group of thin commands that call the library.

Every user error (:class:`kg.errors.KgError`) prints one line on stderr and exits with status 1;
usage errors exit with status 2 (click's convention).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kg import store as kg_store
from kg.errors import KgError

STORE_OPTION = click.option(
    "--store", "store_dir", default=kg_store.default_store_path, show_default="$KG_STORE or ./kg-store",
    type=click.Path(file_okay=False), help="Store directory.",
)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one clear line and exit status 1, without a traceback."""
    try:
        yield
    except KgError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted; nothing was published") from None


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-p key=value`` pairs -> dict (a value may itself contain '=')."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="-p")
        params[key] = value
    return params


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="papergraph")
def main() -> None:
    """papergraph: a knowledge graph of machine-learning papers, their datasets, methods, models,
    tasks, code and results, extracted from titles and abstracts."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@STORE_OPTION
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "hf-daily", "jsonl", "json", "arxiv", "pwc"]), help="Input format.")
@click.option("--append", is_flag=True, help="Add to the existing graph instead of replacing it.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, help="Extraction processes [all cores].")
@click.option("--skip-bad", is_flag=True, help="Skip bad records (each is reported) instead of stopping.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--dask", "dask_scheduler", default=None, metavar="SCHEDULER|local",
              help="Extract on a Dask cluster (scheduler address, or 'local' for one on this machine); "
                   "inputs and $KG_SHARD_DIR (default: the store) must be on a filesystem the workers share.")
def build(paths: tuple[str, ...], store_dir: str, fmt: str, append: bool, workers: int | None,
          skip_bad: bool, quiet: bool, dask_scheduler: str | None) -> None:
    """Build the graph from paper listings: files, directories, globs, or - for standard input.

    Example:

        kg build examples/hf-daily-papers --store kg-store
    """
    from kg.build import build_store

    if dask_scheduler is not None:
        if append:
            raise click.UsageError("--dask builds a new graph; it cannot be combined with --append")
        from kg.distributed import build_distributed, connect

        with user_errors():
            client, close = connect(dask_scheduler)
            try:
                summary = build_distributed(paths, store_dir, client, fmt=fmt, skip_bad=skip_bad,
                                            report=lambda message: click.echo(message, err=True))
            finally:
                close()
        click.echo(summary.line(), err=True)
        return
    with user_errors():
        summary = build_store(
            paths, store_dir, fmt=fmt, append=append, workers=workers, skip_bad=skip_bad,
            progress=None if quiet else _progress_bar,
            report=lambda message: click.echo(message, err=True),
        )
    click.echo(summary.line(), err=True)
    if not quiet:
        click.echo(f"  ({summary.phase_line()})", err=True)


def _progress_bar(total: int | None) -> Callable[[int], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="paper", desc="extracting", disable=not sys.stderr.isatty(), leave=False)
    return bar.update


@main.command()
@STORE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(store_dir: str, as_json: bool) -> None:
    """Counts per class and per relation.

    Example:

        kg stats --store kg-store
    """
    from kg.stats import graph_stats

    with user_errors():
        counts = graph_stats(kg_store.open_read(store_dir))
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    for section in ("classes", "relations"):
        click.echo(f"{section}:")
        for name, count in counts[section].items():
            click.echo(f"  {name:<20} {count:>10,}")
    click.echo(f"quads: {counts['store']['quads']:,}")


@main.command()
@click.argument("sparql", required=False)
@STORE_OPTION
@click.option("--canned", "-c", "canned", metavar="NAME", help="Run a canned query from queries/ instead.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Canned-query parameter.")
@click.option("--file", "-f", "query_file", type=click.File("r"), help="Read the SPARQL from a file (- for stdin).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "csv", "tsv"]), help="Output format.")
@click.option("--list", "list_canned", is_flag=True, help="List the canned queries and their parameters.")
def query(sparql: str | None, store_dir: str, canned: str | None, params: tuple[str, ...],
          query_file: Any, fmt: str, list_canned: bool) -> None:
    """Run a SPARQL query (or a canned one) over the whole graph.

    Example:

        kg query 'SELECT ?t WHERE { ?p a pg:Paper ; dcterms:title ?t } LIMIT 5'

        kg query --canned papers-using-dataset -p dataset=GSM8K --format csv
    """
    from kg import queries as canned_queries
    from kg.sparql import format_rows, rows_of, run

    with user_errors():
        if list_canned:
            for item in canned_queries.load_catalog().values():
                names = ", ".join(f"{p.name}:{p.kind}" for p in item.params)
                click.echo(f"{item.name:<32} {item.description}  [{names}]")
            return
        graph = kg_store.open_read(store_dir)
        if canned:
            columns, rows = canned_queries.run_rows(graph, canned, parse_params(params))
        else:
            text = query_file.read() if query_file else sparql
            if not text:
                raise click.UsageError("give a SPARQL query, --file or --canned NAME")
            if text.strip() in canned_queries.load_catalog():
                raise click.UsageError(f"{text.strip()!r} is a canned query: run it with --canned {text.strip()}")
            prefixed = canned_queries.with_prefixes(text)
            added = prefixed.count("\n", 0, len(prefixed) - len(text))
            columns, rows = rows_of(run(graph, prefixed, added_lines=added))
    click.echo(format_rows(columns, rows, fmt))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@STORE_OPTION
@click.option("--graph", "graph_iri", default=None, help="Load triples into this named graph [default graph].")
def load(files: tuple[str, ...], store_dir: str, graph_iri: str | None) -> None:
    """Import RDF files (N-Quads, TriG, Turtle, N-Triples, RDF/XML) into the store, e.g. to link external data.

    Example:

        kg load extra.ttl --store kg-store
    """
    from kg.load import load_files

    with user_errors():
        count = load_files(store_dir, [Path(f) for f in files], graph_iri)
    click.echo(f"loaded {count} quads from {len(files)} file(s) -> {store_dir}", err=True)


@main.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False, exists=True), help="Gold JSON file.")
@click.option("--store", "store_dir", default=None, type=click.Path(file_okay=False),
              help="Score this existing graph instead of building one.")
@click.option("--input", "inputs", multiple=True, help="Listings to build the graph from [the bundled example corpus].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def eval_command(gold_path: str, store_dir: str | None, inputs: tuple[str, ...], as_json: bool) -> None:
    """Score extraction against a gold file: precision, recall, F1 per key and micro-averaged,
    read from the graph through SPARQL.

    Example:

        kg eval --gold ../shared/gold/dev.gold.json
    """
    import tempfile

    from kg import eval as kg_eval
    from kg.build import build_store
    from kg.resources import example_corpus

    with user_errors():
        try:
            gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{gold_path}: not a JSON gold file ({exc})") from None
        if store_dir is None:
            with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
                build_store(list(inputs) or [str(example_corpus())], tmp)
                report = kg_eval.score(kg_store.open_read(tmp), gold)
        else:
            report = kg_eval.score(kg_store.open_read(store_dir), gold)
    if not as_json:
        click.echo(kg_eval.format_report(report))
        return

    def figures(counts: Any) -> dict[str, float | int]:
        return {"precision": round(counts.precision, 4), "recall": round(counts.recall, 4), "f1": round(counts.f1, 4),
                "tp": counts.tp, "fp": counts.fp, "fn": counts.fn}

    click.echo(json.dumps({"papers": report.papers, "missing": report.missing,
                           "keys": {k: figures(c) for k, c in report.keys.items()},
                           "micro_named": figures(report.micro_named)}, indent=2))


@main.command()
@STORE_OPTION
@click.option("--host", default=None, help="Interface to listen on [127.0.0.1].")
@click.option("--port", default=None, type=click.IntRange(0, 65535), help="Port, 0 for any free one [8000].")
@click.option("--threads", default=None, type=click.IntRange(min=1), help="Threads that run the app [16].")
@click.option("--query-workers", default=None, type=click.IntRange(min=1),
              help="Processes that evaluate queries; killed on timeout [2].")
@click.option("--timeout", "query_timeout", default=None, type=click.FloatRange(min=0.1),
              help="Per-query timeout, seconds [10].")
@click.option("--max-rows", default=None, type=click.IntRange(min=1),
              help="Rows per answer; the cut is reported [10000].")
@click.option("--cors-origins", default=None, help="Origins allowed by CORS: '*', a comma-separated list, or '' [*].")
@click.option("--sparql-endpoint", default=None,
              help="Serve from this external SPARQL 1.1 endpoint instead of the store.")
@click.option("--update-token", envvar="KG_UPDATE_TOKEN", default=None, help="Bearer token that allows SPARQL updates.")
def serve(store_dir: str, host: str | None, port: int | None, threads: int | None, query_workers: int | None,
          query_timeout: float | None, max_rows: int | None, cors_origins: str | None, sparql_endpoint: str | None,
          update_token: str | None) -> None:
    """Serve the SPARQL endpoint, the JSON API and the web page under granian (a Rust HTTP server for WSGI apps).

    Options not given fall back to KG_* environment variables (e.g. KG_QUERY_TIMEOUT=30), then to defaults.

    Example:

        kg serve --store kg-store --port 8000
    """
    from server.run import serve_forever

    given = {
        "STORE": store_dir, "HOST": host, "PORT": port, "THREADS": threads, "QUERY_WORKERS": query_workers,
        "QUERY_TIMEOUT": query_timeout, "MAX_ROWS": max_rows, "CORS_ORIGINS": cors_origins,
        "SPARQL_ENDPOINT": sparql_endpoint, "UPDATE_TOKEN": update_token,
    }
    with user_errors():
        serve_forever({name: value for name, value in given.items() if value is not None})


@main.command()
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv", "nquads", "turtle"]),
              help="Output format (required unless --list-views).")
@click.option("--out", "out", type=click.Path(),
              help="Output file; for csv a directory (nodes.csv, edges.csv) or a .zip; - for stdout.")
@click.option("--view", default="entities", show_default=True, help="Graph view or projection (see --list-views).")
@click.option("--query", "canned", default=None, metavar="NAME", help="Subgraph from a canned query.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Canned-query parameter.")
@click.option("--sparql", default=None, metavar="CONSTRUCT", help="Subgraph from a SPARQL CONSTRUCT query.")
@click.option("--entity", default=None, metavar="IRI", help="Neighbourhood of this entity.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 3), help="Neighbourhood depth.")
@click.option("--dynamic", is_flag=True, help="GEXF: add start dates from listings (Gephi timeline).")
@click.option("--list-views", "list_views", is_flag=True, help="List the views and exit.")
def export(store_dir: str, fmt: str | None, out: str | None, view: str, canned: str | None, params: tuple[str, ...],
           sparql: str | None, entity: str | None, depth: int, dynamic: bool, list_views: bool) -> None:
    """Export the graph or a projection for Gephi and other tools (GEXF, GraphML, CSV, N-Quads, Turtle).

    Example:

        kg export --format gexf --view dataset-method --out co-use.gexf

        kg export --format gexf --dynamic --out timeline.gexf

        kg export --format csv --entity https://w3id.org/papergraph/id/dataset/gsm8k --depth 2 --out gsm8k/
    """
    from kg import export as kg_export

    if list_views:
        for name, description in kg_export.list_views():
            click.echo(f"{name:<16} {description}")
        return
    if not fmt or not out:
        raise click.UsageError("--format and --out are required (or use --list-views)")
    with user_errors():
        message = kg_export.run_export(
            kg_store.open_read(store_dir), fmt=fmt, out=out, view=view, canned=canned, params=parse_params(params),
            sparql=sparql, entity=entity, depth=depth, dynamic=dynamic,
        )
    click.echo(message, err=True)


if __name__ == "__main__":
    main()
