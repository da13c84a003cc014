"""The JSON API over the canned queries: ``/api/queries``, ``/api/queries/<name>`` and ``/openapi.json``.

Each query runs through the app's executor (timeouts, row caps, worker processes) with its arguments
bound as RDF terms by :func:`kg.queries.prepare`, the same code path as ``kg query --canned``.

Pagination: ``_limit`` (default 100) and ``_offset`` page inside the query's own fixed ``LIMIT``; the
server asks the executor for ``_offset + _limit`` rows and slices, so query text is never edited.
``next`` links to the following page; ``truncated`` says the answer was cut by a cap no page can go
past (the query's LIMIT or the server's row cap). ``Accept: text/csv`` (or ``_format=csv``) gives CSV.
The OpenAPI description is generated from the ``.rq`` headers, so it cannot drift from the catalog.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg import answers, queries
from kg.errors import QueryError, StoreError, UnknownQuery
from kg.resources import queries_dir
from kg.search_index import index_path
from kg.sparql import term_json, term_text
from server.errors import json_error
from server.executor import SelectOutcome

bp = Blueprint("api", __name__)

DEFAULT_LIMIT = 100
FORMATS = {"json": "application/json", "csv": "text/csv"}


@bp.get("/api/queries")
def list_queries() -> Response:
    """The catalog: every canned query with its typed parameters and output columns."""
    return jsonify({"ok": True, "queries": [_describe(q) for q in queries.load_catalog().values()]})


@bp.get("/api/queries/<name>")
def run_query(name: str) -> Response:
    try:
        prepared = queries.prepare(name, request.args, _queries_dir())
    except UnknownQuery as exc:
        return json_error(404, str(exc))
    fmt = _negotiate()
    if fmt is None:
        return json_error(406, "this resource is available as application/json or text/csv")
    limit, offset = queries.page_window(prepared.query, _int_arg("_limit"), _int_arg("_offset"), DEFAULT_LIMIT)
    end = min(offset + limit, prepared.query.limit)
    executor = current_app.extensions["kg.executor"]
    cap = min(end, int(getattr(executor, "max_rows", end)))  # never more than the server's row cap
    outcome, answered_from = _answer(prepared, executor, cap)
    rows = outcome.rows[offset:end]
    has_next = outcome.truncated and cap == end < prepared.query.limit
    capped = outcome.truncated and cap < end  # the server's row cap cut it short
    at_query_limit = end >= prepared.query.limit and len(outcome.rows) >= prepared.query.limit
    truncated = capped or at_query_limit
    if fmt == "csv":
        return _csv(name, outcome.columns, rows, truncated)
    next_url = None
    if has_next:
        args = {k: v for k, v in request.args.items() if k not in ("_limit", "_offset")}
        next_url = url_for("api.run_query", name=name, _external=True, **args, _limit=limit, _offset=end)
    response = jsonify({
        "ok": True, "query": name, "columns": outcome.columns,
        "rows": [{c: (term_json(v) if v is not None else None) for c, v in zip(outcome.columns, row, strict=True)}
                 for row in rows],
        "count": len(rows), "limit": limit, "offset": offset, "next": next_url, "truncated": truncated,
    })
    response.headers["X-Answered-From"] = answered_from
    response.headers["X-Result-Rows"] = str(len(rows))
    response.headers["X-Result-Truncated"] = "true" if truncated else "false"
    return response


def _answer(prepared: queries.Prepared, executor: Any, cap: int) -> tuple[SelectOutcome, str]:
    """The rows and where they came from: ``index`` (computed from the generation's index tables),
    ``sparql+index`` (the .rq, with its entity looked up in the index first) or ``sparql``."""
    index = _index(executor)
    if index is None:
        return executor.select(prepared.text, substitutions=prepared.substitutions, max_rows=cap), "sparql"
    computed = answers.answer(index, prepared, cap + 1)
    if computed is not None:
        columns, rows = computed
        return SelectOutcome(columns=columns, rows=rows[:cap], truncated=len(rows) > cap), "index"
    resolved = answers.resolve_params(index, prepared)
    if resolved is None:  # the entity argument names nothing
        return SelectOutcome(columns=list(prepared.query.columns), rows=[], truncated=False), "sparql+index"
    source = "sparql+index" if resolved is not prepared else "sparql"
    return executor.select(resolved.text, substitutions=resolved.substitutions, max_rows=cap), source


def _index(executor: Any) -> Path | None:
    """The index beside the served generation; None without one (an external endpoint, a plain
    Oxigraph directory, a generation written before indexes existed)."""
    if not hasattr(executor, "generation_path"):
        return None
    try:
        return _usable_index(executor.generation_path())
    except StoreError:
        return None


@lru_cache(maxsize=8)
def _usable_index(generation: str) -> Path | None:
    """Looked up once per generation: an index is written before its generation is published and
    never changes after."""
    index = index_path(Path(generation))
    return index if answers.usable(index) else None


@lru_cache(maxsize=1)
def _queries_dir() -> str:
    """Where the packaged ``.rq`` files are (finding the package's files costs more than a lookup)."""
    return str(queries_dir())


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(queries.load_catalog()))


# --- helpers ------------------------------------------------------------------------------------


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be an integer, not {raw[:40]!r}") from None


def _negotiate() -> str | None:
    """``_format`` wins; else the Accept header (JSON when both are equally welcome)."""
    hint = request.args.get("_format")
    if hint:
        if hint not in FORMATS:
            raise QueryError(f"_format must be one of {', '.join(FORMATS)}")
        return hint
    return _format_for(request.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _format_for(accept: str) -> str | None:
    """The format an Accept header chooses (clients send the same few headers; parsing one costs
    more than many answers)."""
    offers = parse_accept_header(accept, MIMEAccept)
    if not offers:
        return "json"
    best = offers.best_match(list(FORMATS.values()))
    return next((k for k, v in FORMATS.items() if v == best), None)


def _csv(name: str, columns: list[str], rows: list[list[Any]], truncated: bool) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[term_text(v) for v in row] for row in rows])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    response.headers["X-Result-Rows"] = str(len(rows))
    response.headers["X-Result-Truncated"] = "true" if truncated else "false"
    return response


def _describe(query: queries.CannedQuery) -> dict[str, Any]:
    return {
        "name": query.name, "description": query.description,
        "url": url_for("api.run_query", name=query.name),
        "params": [
            {"name": p.name, "kind": p.kind, "type": "integer" if p.kind == "int" else "string",
             "required": p.required, "default": p.default, "example": p.example, "help": p.help}
            for p in query.params
        ],
        "columns": list(query.columns), "limit": query.limit,
    }


# --- OpenAPI ------------------------------------------------------------------------------------

_VALUE = {"type": ["string", "number", "integer", "boolean", "null"]}
ERROR_SCHEMA = {
    "type": "object", "required": ["ok", "error", "status"], "additionalProperties": False,
    "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}},
}


def _param_schema(param: queries.Param) -> dict[str, Any]:
    if param.kind == "int":
        bound = queries.MAX_INT - 1
        return {"type": "integer", "minimum": -bound, "maximum": bound}
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": queries.MAX_VALUE_LENGTH,
                              "pattern": r"\S"}
    if param.kind == "iri":
        schema["format"] = "iri"
    return schema


def _parameters(query: queries.CannedQuery) -> list[dict[str, Any]]:
    out = []
    for param in query.params:
        schema = _param_schema(param)
        if param.default is not None:
            schema["default"] = int(param.default) if param.kind == "int" else param.default
        entry: dict[str, Any] = {"name": param.name, "in": "query", "required": param.required,
                                 "description": f"{param.help} ({param.kind})", "schema": schema}
        if param.example is not None:
            entry["example"] = int(param.example) if param.kind == "int" else param.example
        out.append(entry)
    out.append({"name": "_limit", "in": "query", "required": False, "description": "Rows per page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": query.limit, "default": DEFAULT_LIMIT}})
    out.append({"name": "_offset", "in": "query", "required": False, "description": "Rows to skip.",
                "schema": {"type": "integer", "minimum": 0, "maximum": query.limit, "default": 0}})
    out.append({"name": "_format", "in": "query", "required": False,
                "description": "Answer format (overrides the Accept header).",
                "schema": {"type": "string", "enum": list(FORMATS)}})
    return out


def _rows_schema(query: queries.CannedQuery) -> dict[str, Any]:
    row = {"type": "object", "additionalProperties": False, "required": list(query.columns),
           "properties": {c: _VALUE for c in query.columns}}
    return {
        "type": "object", "additionalProperties": False,
        "required": ["ok", "query", "columns", "rows", "count", "limit", "offset", "next", "truncated"],
        "properties": {
            "ok": {"const": True}, "query": {"const": query.name},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": row}, "count": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "next": {"type": ["string", "null"]}, "truncated": {"type": "boolean"},
        },
    }


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _operation(query: queries.CannedQuery) -> dict[str, Any]:
    return {
        "operationId": "query_" + query.name.replace("-", "_"), "summary": query.name,
        "description": query.description, "tags": ["canned queries"], "parameters": _parameters(query),
        "responses": {
            "200": {"description": "Rows of the answer, one page.", "content": {
                "application/json": {"schema": _rows_schema(query)},
                "text/csv": {"schema": {"type": "string"}},
            }},
            "400": _error("A missing or invalid parameter."),
            "406": _error("Neither JSON nor CSV is acceptable."),
            "503": _error("The query ran out of time or the server is busy."),
        },
    }


def _catalog_schema() -> dict[str, Any]:
    param = {"type": "object", "required": ["name", "kind", "type", "required", "help"], "properties": {
        "name": {"type": "string"}, "kind": {"enum": list(queries.PARAM_KINDS)}, "type": {"type": "string"},
        "required": {"type": "boolean"}, "default": {"type": ["string", "null"]},
        "example": {"type": ["string", "null"]}, "help": {"type": "string"}}}
    item = {"type": "object", "required": ["name", "description", "url", "params", "columns", "limit"],
            "properties": {"name": {"type": "string"}, "description": {"type": "string"},
                           "url": {"type": "string"}, "params": {"type": "array", "items": param},
                           "columns": {"type": "array", "items": {"type": "string"}},
                           "limit": {"type": "integer"}}}
    return {"type": "object", "required": ["ok", "queries"],
            "properties": {"ok": {"const": True}, "queries": {"type": "array", "items": item}}}


def openapi_document(catalog: dict[str, queries.CannedQuery]) -> dict[str, Any]:
    """OpenAPI 3.1 for the JSON API: one path per canned query, built from its ``.rq`` header."""
    try:
        release = version("papergraph")
    except PackageNotFoundError:
        release = "0"
    paths: dict[str, Any] = {"/api/queries": {"get": {
        "operationId": "list_queries", "summary": "List the canned queries and their parameters.",
        "responses": {"200": {"description": "The catalog.",
                              "content": {"application/json": {"schema": _catalog_schema()}}}},
    }}}
    for query in catalog.values():
        paths[f"/api/queries/{query.name}"] = {"get": _operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "papergraph API", "version": release,
                 "description": "Canned relation queries over the papergraph knowledge graph. "
                                "Parameters naming an entity take its IRI or its name. "
                                "Errors are {\"ok\": false, \"error\": message, \"status\": code}."},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA}},
    }
