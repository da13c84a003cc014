"""Running SPARQL against the store and formatting results for people (table) and programs (JSON, CSV).

The store's default graph is the union of all named graphs, as users of an endpoint expect.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError

OUTPUT_FORMATS = ("table", "json", "csv", "tsv")


_POSITION = re.compile(r"\b(at |line )(\d+)(?=:\d)")


def run(store: ox.Store, query: str, substitutions: dict[ox.Variable, Any] | None = None,
        added_lines: int = 0) -> Any:
    """Evaluate a SPARQL query over the union of all graphs.

    ``added_lines`` is how many lines were put before the user's text (PREFIX declarations), so a syntax
    error names the line of the text the user wrote.

    :raises QueryError: on a syntax error (the message says where).
    """
    try:
        return store.query(query, use_default_graph_as_union=True, substitutions=substitutions or None)
    except SyntaxError as exc:
        message = str(exc)
        if added_lines:
            message = _POSITION.sub(lambda m: m.group(1) + str(max(1, int(m.group(2)) - added_lines)), message)
        raise QueryError(f"SPARQL syntax error: {message}") from None


def term_text(term: object) -> str:
    """A term as a person reads it: an IRI or a literal's lexical value."""
    if term is None:
        return ""
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def term_json(term: object) -> Any:
    """A term as a JSON value: numbers as numbers, everything else as text."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if datatype.endswith(("#double", "#decimal", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if datatype.endswith("#boolean"):
            return term.value == "true"
    return term_text(term)


def rows_of(results: Any) -> tuple[list[str], list[list[object]]]:
    """Column names and rows of a SELECT / ASK / CONSTRUCT result."""
    if isinstance(results, ox.QuerySolutions):
        columns = [v.value for v in results.variables]
        return columns, [[solution[c] for c in columns] for solution in results]
    if isinstance(results, ox.QueryBoolean):
        return ["boolean"], [[ox.Literal(str(bool(results)).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))]]
    return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in results]


def format_rows(columns: list[str], rows: list[list[object]], fmt: str) -> str:
    """Render rows as an aligned text table, JSON (list of objects), CSV or TSV."""
    if fmt == "json":
        return json.dumps([{c: term_json(v) for c, v in zip(columns, row) if v is not None} for row in rows], indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[term_text(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    texts = [[term_text(v) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in texts])) for i, c in enumerate(columns)]
    def fit(text: str, width: int) -> str:
        return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
    lines = ["  ".join(fit(c, w) for c, w in zip(columns, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(fit(v, w) for v, w in zip(row, widths)) for row in texts]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
