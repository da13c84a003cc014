"""The JSON API against a real ``kg serve`` process: catalog, answers, pagination, CSV, errors, OpenAPI,
and a schemathesis run against the generated OpenAPI description."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg import queries
from tests._corpus import GSM8K, build_corpus_store, iri_of
from tests.conftest import start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_corpus_store(tmp_path_factory.mktemp("api") / "store")
    with start_server(store, "--timeout", "10") as live:
        yield live.url


def get(server: str, path: str, **kwargs: object) -> requests.Response:
    return requests.get(server + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def assert_error(response: requests.Response, status: int, *words: str) -> None:
    """The one error shape: exactly ok/error/status, status equal to the HTTP status."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"]
    assert "Traceback" not in body["error"]
    for word in words:
        assert word in body["error"]


def test_list_queries(server: str) -> None:
    response = get(server, "/api/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.json()["queries"]}
    catalog = queries.load_catalog()
    assert set(listed) == set(catalog)
    dataset = listed["papers-using-dataset"]["params"][0]
    assert (dataset["name"], dataset["kind"], dataset["type"], dataset["required"]) == (
        "dataset", "entity", "string", True)
    assert listed["most-used-datasets"]["params"][0]["type"] == "integer"
    assert listed["search"]["url"] == "/api/queries/search"


def test_run_a_query(server: str) -> None:
    response = get(server, "/api/queries/papers-using-dataset", params={"dataset": "gsm8k"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["query"] == "papers-using-dataset"
    assert body["columns"][:3] == ["dataset", "datasetIri", "datasetLabel"]
    assert [r["title"][:10] for r in body["rows"]] == ["Self-Consi", "Chain-of-T", "Training V"]
    assert all(set(r) == set(body["columns"]) for r in body["rows"])
    assert (body["count"], body["offset"], body["next"], body["truncated"]) == (3, 0, None, False)
    assert body["rows"][0]["datasetIri"] == iri_of(GSM8K)
    counts = get(server, "/api/queries/most-used-datasets").json()["rows"]
    assert counts[0]["papers"] == 3 and isinstance(counts[0]["min_papers"], int)


def test_pagination_follows_next_to_the_end(server: str) -> None:
    full = get(server, "/api/queries/neighbourhood-2", params={"entity": "SVAMP"}).json()["rows"]
    assert len(full) > 5
    url: str | None = server + "/api/queries/neighbourhood-2?entity=SVAMP&_limit=4"
    pages = []
    while url:
        body = requests.get(url, timeout=30).json()
        assert body["limit"] == 4 and len(body["rows"]) <= 4
        pages.append(body["rows"])
        url = body["next"]
    assert [row for page in pages for row in page] == full
    assert len(pages) == (len(full) + 3) // 4
    past = get(server, "/api/queries/neighbourhood-2", params={"entity": "SVAMP", "_offset": 500}).json()
    assert past["rows"] == [] and past["next"] is None


def test_truncated_when_the_query_limit_is_reached(server: str) -> None:
    limit = queries.get_query("search").limit
    body = get(server, "/api/queries/search", params={"q": "e", "_limit": 10_000}).json()
    assert body["limit"] == limit  # capped to the query's own LIMIT
    assert body["truncated"] is (len(body["rows"]) == limit)


def test_csv_by_accept_and_by_format(server: str) -> None:
    for kwargs in ({"headers": {"Accept": "text/csv"}}, {"params": {"_format": "csv"}}):
        params = {"dataset": "GLUE", **kwargs.get("params", {})}  # type: ignore[dict-item]
        response = get(server, "/api/queries/datasets-co-used", params=params,
                       headers=kwargs.get("headers", {}))
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["dataset", "datasetIri", "other", "otherLabel", "papers"]
        assert rows[1][3:] == ["SQuAD", "2"]
    evil = get(server, "/api/queries/most-used-datasets", headers={"Accept": "text/csv"})
    assert 'Evil "} ; DROP ALL ; #' in [r[2] for r in csv.reader(io.StringIO(evil.text))]


def test_errors(server: str) -> None:
    assert_error(get(server, "/api/queries/no-such-query"), 404, "no-such-query")
    assert_error(get(server, "/api/queries/leaderboard"), 400, "benchmark")
    assert_error(get(server, "/api/queries/leaderboard", params={"benchmark": "http://x/> } ; DROP ALL ; #"}),
                 400, "IRI")
    assert_error(get(server, "/api/queries/most-used-models", params={"min_papers": "two"}), 400, "min_papers")
    assert_error(get(server, "/api/queries/most-used-models", params={"_limit": "0"}), 400, "_limit")
    assert_error(get(server, "/api/queries/most-used-models", params={"_offset": "x"}), 400, "_offset")
    assert_error(get(server, "/api/queries/most-used-models", params={"_format": "xml"}), 400, "_format")
    assert_error(get(server, "/api/queries/most-used-models", headers={"Accept": "image/png"}), 406)
    assert_error(requests.post(server + "/api/queries/most-used-models", timeout=30), 405)


@pytest.mark.parametrize("value", ['" } ; DROP ALL ; #', "x> } ; DROP ALL ; #", "}\n} UNION { ?s ?p ?o }",
                                   "GSM8K' } #", "<script>alert(1)</script>"])
def test_hostile_values_over_http(server: str, value: str) -> None:
    response = get(server, "/api/queries/papers-using-dataset", params={"dataset": value})
    if response.status_code == 400:
        assert_error(response, 400, "IRI")
        return
    assert response.status_code == 200
    assert response.json()["rows"] == []
    search = get(server, "/api/queries/search", params={"q": value})
    assert search.status_code == 200
    assert all(row["q"] == value.strip() for row in search.json()["rows"])
    assert get(server, "/api/queries/most-used-datasets").json()["count"] == 7  # nothing was changed


def test_openapi_lists_every_query_and_param(server: str) -> None:
    doc = get(server, "/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    for query in queries.load_catalog().values():
        operation = doc["paths"][f"/api/queries/{query.name}"]["get"]
        declared = {p["name"]: p for p in operation["parameters"]}
        assert {p.name for p in query.params} | {"_limit", "_offset", "_format"} == set(declared)
        for param in query.params:
            assert declared[param.name]["required"] is param.required
            assert declared[param.name]["schema"]["type"] == ("integer" if param.kind == "int" else "string")
        rows = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["rows"]
        assert rows["items"]["required"] == list(query.columns)
    assert "/api/queries" in doc["paths"]


def test_schemathesis_finds_no_server_errors_or_schema_violations(server: str, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", server + "/openapi.json",
        "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
        "--max-examples", "8", "--seed", "1", "--workers", "2", "--phases", "examples,coverage",
        "--generation-database", "none", "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    result = subprocess.run(  # noqa: S603 - a fixed command line of our own
        command, capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout


def test_server_row_cap_marks_the_answer_truncated(tmp_path: Path) -> None:
    store = build_corpus_store(tmp_path / "store")
    with start_server(store, env={"KG_MAX_ROWS": "3"}) as live:
        body = requests.get(live.url + "/api/queries/neighbourhood-2", params={"entity": "SVAMP", "_limit": 10},
                            timeout=30).json()
    assert (len(body["rows"]), body["truncated"], body["next"]) == (3, True, None)
