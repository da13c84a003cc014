"""Shared fixtures: a tiny RDF store made with ``kg load``, and a real ``kg serve`` process over HTTP.

``start_server(store_dir, *cli_args, env=...)`` starts ``python -m kg.cli serve --port 0`` and waits
until /health answers; use it as a context manager when a module needs its own settings (timeouts,
tokens, row caps: pass ``--timeout`` or ``env={"KG_MAX_ROWS": "5"}``). ``live_server`` is one such
server per test module on ``tiny_store``.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
#: ../shared relative to the repository (W3C test data, corpora, gold files).
SHARED = Path(__file__).resolve().parents[2] / "shared"

TINY_TRIG = """\
@prefix ex: <http://example.org/> .
@prefix pg: <https://w3id.org/papergraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:paper1-graph {
    ex:paper1 a pg:Paper ; dcterms:title "Attention Is All You Need" ; pg:usesDataset ex:wmt14 .
}
ex:paper2-graph {
    ex:paper2 a pg:Paper ; dcterms:title "BERT: Pre-training of Deep Bidirectional Transformers"@en ;
        pg:usesDataset ex:squad , ex:glue .
}
ex:entities {
    ex:wmt14 a pg:Dataset ; rdfs:label "WMT 2014" .
    ex:squad a pg:Dataset ; rdfs:label "SQuAD" .
    ex:glue a pg:Dataset ; rdfs:label "GLUE" .
}
"""


class _Http:
    """``requests`` with a default timeout, so a hung server fails a test instead of hanging CI."""

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.request(method, url, **kwargs)  # noqa: S113 - the timeout is set just above

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("OPTIONS", url, **kwargs)


http = _Http()


def kg_load(store_dir: Path, *files: Path, graph: str | None = None) -> None:
    """Run ``kg load`` (in-process, through the real CLI) and fail the test if it fails."""
    from kg.cli import main

    args = ["load", *map(str, files), "--store", str(store_dir)] + (["--graph", graph] if graph else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def make_tiny_store(directory: Path) -> Path:
    """A store holding :data:`TINY_TRIG` (3 named graphs, 2 papers, 3 datasets)."""
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / "tiny.trig"
    source.write_text(TINY_TRIG, encoding="utf-8")
    store = directory / "store"
    kg_load(store, source)
    return store


class LiveServer:
    """A ``kg serve`` subprocess; ``url`` is its base URL without a trailing slash."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None, wait_health: bool = True) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="kg-serve-", suffix=".log", delete=False)  # noqa: SIM115
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=full_env, cwd=REPO,
        )
        self.url = self._read_url(timeout=60)
        if wait_health:
            self._wait_health(timeout=60)

    def _read_url(self, timeout: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                found = re.search(r"listening on (http://[\d.]+:\d+)", line)
                if found:
                    return found.group(1)
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"kg serve did not start:\n{self.stderr()}")

    def _wait_health(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"kg serve never became healthy:\n{self.stderr()}")

    def stderr(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM (graceful: workers are stopped too), SIGKILL if that takes too long."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        os.unlink(self.log.name)


def start_server(store_dir: Path | None, *args: str, env: dict[str, str] | None = None,
                 wait_health: bool = True) -> LiveServer:
    """Start ``kg serve --port 0 [--store DIR] ARGS`` and wait until it is healthy."""
    store_args = ["--store", str(store_dir)] if store_dir is not None else []
    return LiveServer([*store_args, *args], env=env, wait_health=wait_health)


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh tiny store per test module (modules may change theirs)."""
    return make_tiny_store(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def live_server(tiny_store: Path) -> Iterator[str]:
    """Base URL of a real ``kg serve`` on ``tiny_store`` (2 s query timeout), one per module."""
    with start_server(tiny_store, "--timeout", "2") as server:
        yield server.url
