"""The canned-query catalog: ``queries/*.rq`` files, their typed parameters, and safe binding.

Each ``.rq`` file is plain SPARQL whose leading comment lines declare it::

    # name: papers-using-dataset
    # description: Papers that use or evaluate on a dataset.
    # param: dataset entity "Dataset IRI, name or alias" example=GSM8K
    # param: min_papers int "Smallest paper count to list" default=1

Parameter kinds: ``iri`` (an absolute IRI), ``entity`` (an IRI, or a name the query resolves by
case-insensitive label match), ``string`` and ``int``. A parameter with a ``default`` is optional.
Values are parsed into pyoxigraph terms (which validates them) and handed to the store as
``substitutions``; query text is never formatted. pyoxigraph only substitutes projected variables,
so every parameter variable is in the SELECT clause (a test checks it). Each file ends with a fixed
``LIMIT``: callers page inside that window by capping rows (see :func:`page_window`).
Request arguments starting with ``_`` are reserved for the caller (``_limit``, ``_offset``, ``_format``).

Query shape: a subquery resolves an entity argument (an IRI through its own label, so an index lookup;
a name by case-insensitive label/altLabel match), then ``LATERAL { ... }`` (SEP-0006, supported by
Oxigraph and Jena) runs the body once per resolved entity. The name match scans every label, so an
entity parameter may declare ``lookup=KIND bind=VAR``: when the generation has an index
(:mod:`kg.answers`), the server looks the value up there first and, when it names exactly one entity,
also binds ``?VAR`` to that IRI, which turns the scan into lookups on one subject; the query still
checks the match itself, so the answer is the same with or without the index. Aggregating and ranking
queries are answered from the index's tables altogether (:mod:`kg.answers`); the ``.rq`` stays their
definition and a test compares both answers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, UnknownQuery
from kg.resources import queries_dir

__all__ = [
    "LOOKUPS", "PARAM_KINDS", "PREFIXES", "CannedQuery", "Param", "Prepared", "bind_params", "get_query",
    "load_catalog",
    "page_window", "parse_query_text", "prepare", "run_rows", "with_prefixes",
]

#: Prefixes every query (canned or typed by a user) may use without declaring them.
PREFIXES: dict[str, str] = {
    "pg": "https://w3id.org/papergraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
}
PARAM_KINDS = ("iri", "entity", "string", "int")
#: How the index may resolve an entity parameter before the query runs (``lookup=`` in the header):
#: a name or alias of an entity of that pg: class; any entity name in the entities graph, an arXiv id,
#: identifier or exact title (``entity``); or only the paper keys (``paper``).
LOOKUPS = ("Dataset", "Task", "Method", "Model", "entity", "paper")
#: Longest accepted string value: labels are short, and a huge value only costs the server time.
MAX_VALUE_LENGTH = 500
MAX_INT = 10**9  #: integer arguments must stay below this in absolute value
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_LIKE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|urn:)")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*(?:OFFSET\s+\d+\s*)?$", re.IGNORECASE)
_DECLARED_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Param:
    """One declared parameter: its variable name, kind, help text, optional default and example."""

    name: str
    kind: str
    help: str
    default: str | None = None
    example: str | None = None
    lookup: str | None = None  #: how the index resolves an entity value (see :data:`LOOKUPS`)
    bind: str | None = None  #: the projected variable that holds the resolved IRI

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class CannedQuery:
    """A parsed ``.rq`` file. ``columns`` are the projected variables; ``limit`` is its fixed LIMIT."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    limit: int
    columns: tuple[str, ...]
    path: str = ""

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: text with prefixes, and its substitutions keyed by variable name."""

    query: CannedQuery
    text: str
    substitutions: dict[str, ox.NamedNode | ox.Literal]

    def variables(self) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        return {ox.Variable(k): v for k, v in self.substitutions.items()}


def with_prefixes(text: str) -> str:
    """``text`` with a PREFIX line for each standard prefix it does not declare itself."""
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(text)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, text]) if lines else text


# --- parsing ------------------------------------------------------------------------------------


def _header(text: str) -> list[tuple[int, str, str]]:
    """``(line number, key, value)`` of the leading ``# key: value`` comment lines."""
    out: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if sep and re.fullmatch(r"[a-z]+", key.strip()):
            out.append((number, key.strip(), value.strip()))
        elif out:  # a continuation line extends the previous value
            number0, key0, value0 = out[-1]
            out[-1] = (number0, key0, f"{value0} {stripped.lstrip('#').strip()}".strip())
    return out


def _parse_param(where: str, value: str) -> Param:
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise QueryError(f"{where}: bad param line: {exc}") from None
    if len(words) < 3:
        raise QueryError(f'{where}: expected \'# param: NAME KIND "help" [default=V] [example=V]\'')
    name, kind, help_text, *options = words
    if not _VARIABLE.match(name) or name.startswith("_"):
        raise QueryError(f"{where}: bad parameter name {name!r}")
    if kind not in PARAM_KINDS:
        raise QueryError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(PARAM_KINDS)})")
    extra: dict[str, str] = {}
    for option in options:
        key, sep, val = option.partition("=")
        if not sep or key not in ("default", "example", "lookup", "bind"):
            raise QueryError(f"{where}: unknown option {option!r}")
        extra[key] = val
    if ("lookup" in extra) != ("bind" in extra) or ("lookup" in extra and kind != "entity"):
        raise QueryError(f"{where}: 'lookup=' and 'bind=' go together, on an entity parameter")
    if extra.get("lookup", LOOKUPS[0]) not in LOOKUPS or not _VARIABLE.match(extra.get("bind", "x")):
        raise QueryError(f"{where}: lookup= must be one of {', '.join(LOOKUPS)} and bind= a variable name")
    return Param(name, kind, help_text, extra.get("default"), extra.get("example"), extra.get("lookup"),
                 extra.get("bind"))


def _columns(text: str, where: str) -> tuple[str, ...]:
    """Projected variables, found by running the query on an empty store (also checks it parses)."""
    try:
        result = ox.Store().query(text, use_default_graph_as_union=True)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{where}: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{where}: canned queries must be SELECT queries")
    return tuple(v.value for v in result.variables)


def parse_query_text(text: str, source: str = "<query>") -> CannedQuery:
    """Parse one ``.rq`` text: header, parameters, projected columns and the fixed LIMIT.

    :raises QueryError: a bad header, a SPARQL syntax error, or a missing LIMIT (message names ``source``).
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line, key, value in _header(text):
        where = f"{source}:{line}"
        if key == "param":
            param = _parse_param(where, value)
            if any(p.name == param.name for p in params):
                raise QueryError(f"{where}: parameter {param.name!r} declared twice")
            params.append(param)
        else:
            fields[key] = value
    name = fields.get("name", "")
    if not _NAME.match(name):
        raise QueryError(f"{source}: missing or bad '# name:' header")
    if not fields.get("description"):
        raise QueryError(f"{source}: missing '# description:' header")
    body = "\n".join(line.split("#", 1)[0] if line.lstrip().startswith("#") else line for line in text.splitlines())
    limit = _LIMIT.search(body.strip())
    if not limit:
        raise QueryError(f"{source}: a canned query must end with a fixed LIMIT")
    full = with_prefixes(text)
    columns = _columns(full, source)
    missing = [p.name for p in params if p.name not in columns]
    missing += [p.bind for p in params if p.bind and p.bind not in columns]
    if missing:
        raise QueryError(f"{source}: parameters must be projected by the SELECT clause: {', '.join(missing)}")
    return CannedQuery(name, fields["description"], tuple(params), full, int(limit.group(1)), columns, source)


@lru_cache(maxsize=8)
def _load(directory: str) -> dict[str, CannedQuery]:
    catalog: dict[str, CannedQuery] = {}
    for path in sorted(Path(directory).glob("*.rq")):
        query = parse_query_text(path.read_text(encoding="utf-8"), path.name)
        if query.name != path.stem:
            raise QueryError(f"{path.name}: '# name: {query.name}' must match the file name")
        catalog[query.name] = query
    return catalog


def load_catalog(directory: str | Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query by name (parsed once per process and directory).

    :raises QueryError: when a file is malformed (a packaging bug, caught by the tests).
    """
    return dict(_load(str(directory or queries_dir())))


def get_query(name: str, directory: str | Path | None = None) -> CannedQuery:
    """:raises UnknownQuery: no canned query has that name."""
    query = _load(str(directory or queries_dir())).get(name)
    if query is None:
        raise UnknownQuery(f"no canned query named {name!r}; GET /api/queries lists them")
    return query


# --- binding ------------------------------------------------------------------------------------


def parse_value(param: Param, raw: str) -> ox.NamedNode | ox.Literal:
    """One request value -> an RDF term of the parameter's kind.

    :raises QueryError: an invalid IRI, a non-integer, an empty or overlong value.
    """
    value = raw.strip()
    if not value:
        raise QueryError(f"parameter {param.name!r} must not be empty")
    if len(value) > MAX_VALUE_LENGTH:
        raise QueryError(f"parameter {param.name!r} is longer than {MAX_VALUE_LENGTH} characters")
    if param.kind == "int":
        try:
            number = int(value)
        except ValueError:
            raise QueryError(f"parameter {param.name!r} must be an integer, not {value[:40]!r}") from None
        if abs(number) >= MAX_INT:
            raise QueryError(f"parameter {param.name!r} is out of range")
        return ox.Literal(number)
    if param.kind == "string":
        return ox.Literal(value)
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if param.kind == "iri" or _IRI_LIKE.match(value):
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name!r} is not a valid IRI: {exc}") from None
    return ox.Literal(value)  # an entity named by its label: the query resolves it


def bind_params(query: CannedQuery, args: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Parsed terms for every parameter (defaults filled in); unknown and ``_`` arguments are ignored.

    :raises QueryError: a required parameter is missing or a value is invalid (the message names it).
    """
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        raw = args.get(param.name)
        if raw is None:
            if param.default is None:
                raise QueryError(f"missing required parameter {param.name!r} ({param.help})")
            raw = param.default
        bound[param.name] = parse_value(param, raw)
    return bound


def prepare(name: str, args: Mapping[str, str], directory: str | Path | None = None) -> Prepared:
    """Look a query up and bind its arguments: what the CLI and the HTTP API both run.

    :raises UnknownQuery: no such query.
    :raises QueryError: a missing or invalid argument.
    """
    query = get_query(name, directory)
    return Prepared(query, query.text, bind_params(query, args))


def run_rows(store: ox.Store, name: str, params: Mapping[str, str]) -> tuple[list[str], list[list[Any]]]:
    """Run a canned query on a store: column names and rows of terms (``kg query --canned``)."""
    from kg.sparql import rows_of, run

    prepared = prepare(name, params)
    return rows_of(run(store, prepared.text, prepared.variables()))


def page_window(query: CannedQuery, limit: int | None, offset: int | None,
                default_limit: int = 100) -> tuple[int, int]:
    """Clamp ``_limit``/``_offset`` to the query's fixed LIMIT window: ``(limit, offset)``.

    Pagination is done by fetching ``offset + limit + 1`` rows and slicing, never by editing the
    query text, so pages can only reach as far as the query's own LIMIT.

    :raises QueryError: negative values.
    """
    if (limit is not None and limit < 1) or (offset is not None and offset < 0):
        raise QueryError("_limit must be >= 1 and _offset >= 0")
    limit = min(limit or default_limit, query.limit)
    return limit, min(offset or 0, query.limit)
