"""The canned queries as the two sides ask them, with parameter values drawn from the graph.

Ours: ``GET /api/queries/NAME?param=value&_limit=LIMIT`` (the API binds values as RDF terms and may
answer from the generation's index). The peer has no binding API and no index, so it gets plain SPARQL
with each parameter written in as the very term our API binds (:func:`kg.queries.prepare`): in patterns
and expressions the variable becomes the term; where the variable is only listed (a sub-select's
projection, ``GROUP BY``, ``ORDER BY``) it is dropped, and the outer projection keeps the column as
``(TERM AS ?var)``.

Which SPARQL: the naive formulation of the same question. Where our ``.rq`` reads something we compute
at build time (``pg:paperCount``, the ``pg:CoOccurrence`` pairs of ``graph/summary``), the peer would
otherwise read our precomputed answer too; for those queries ``bench/peer/NAME.rq`` asks the question
from the facts (counting the papers), with the same columns and order. Every other ``.rq`` already asks
from the facts, and the peer gets it as is (including its LATERAL shape, the fastest plain SPARQL we know
for Oxigraph).

Values come from real entities of the built graph, shuffled with a fixed seed, and are not repeated
until the pool is used up; entity parameters alternate between an IRI and a name (as users type them).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import queries as kg_queries

PG = "https://w3id.org/papergraph/ontology#"
_TOKEN = re.compile(
    r'(?P<ws>\s+)|(?P<comment>#[^\n]*)|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<var>[?$][A-Za-z_0-9]+)|(?P<word>[A-Za-z_][A-Za-z_0-9]*)|(?P<other>.)', re.S)
_LIST_END = {"select": {"WHERE", "FROM"}, "group": {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"},
             "order": {"LIMIT", "OFFSET", "VALUES"}}
#: Entity classes a parameter's values are drawn from, by parameter name.
_CLASS_OF = {"dataset": "Dataset", "benchmark": "Dataset", "task": "Task", "method": "Method", "model": "Model"}


def substitute(text: str, terms: dict[str, str]) -> str:
    """``text`` with each ``?name`` in ``terms`` replaced by its term (N-Triples syntax), as described above."""
    out: list[str] = []
    mode: str | None = None
    mode_depth = 0
    mode_start = 0
    depth = 0
    selects = 0
    outer = False
    previous_word = ""
    for match in _TOKEN.finditer(text):
        kind, lexeme = match.lastgroup, match.group()
        upper = lexeme.upper() if kind == "word" else ""
        if mode and ((kind == "word" and upper in _LIST_END[mode]) or (kind == "other" and lexeme in "{}")):
            if mode != "select" and "".join(out[mode_start:]).split() == [mode.upper(), "BY"]:
                del out[mode_start:]  # every listed variable was dropped: drop the empty clause too
                out.append(" ")
            mode = None
        if kind == "word":
            if upper == "SELECT":
                mode, mode_depth, outer = "select", depth, selects == 0
                selects += 1
            elif upper == "BY" and previous_word in ("GROUP", "ORDER"):
                mode, mode_depth = ("group" if previous_word == "GROUP" else "order"), depth
                mode_start = max(i for i, t in enumerate(out) if t.upper() == previous_word)
            previous_word = upper
        elif kind == "other" and lexeme == "(":
            depth += 1
        elif kind == "other" and lexeme == ")":
            depth -= 1
        if kind == "var" and lexeme[1:] in terms:
            term = terms[lexeme[1:]]
            if mode and depth == mode_depth:
                if mode == "select" and outer:
                    out.append(f"({term} AS {lexeme})")
                continue  # a listed variable: dropped
            out.append(term)
            continue
        out.append(lexeme)
    return "".join(out)


@dataclass(frozen=True)
class Request:
    """One question, as both sides ask it."""

    query: str
    api_path: str  #: ``/api/queries/NAME?...`` (ours)
    sparql: str  #: the substituted text (the peer's)


class ValuePool:
    """Parameter values from the graph, per parameter: shuffled once, handed out in turn."""

    def __init__(self, graph: ox.Store, seed: int = 0) -> None:
        self._graph = graph
        self._rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
        self._pools: dict[str, list[str]] = {}
        self._next: dict[str, int] = {}

    def _select(self, body: str) -> list[tuple[str, ...]]:
        result = self._graph.query(
            f"PREFIX pg: <{PG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> {body}",
            use_default_graph_as_union=True)
        return [tuple(term.value if term is not None else "" for term in row) for row in result]  # type: ignore[union-attr]

    def _values(self, param: kg_queries.Param) -> list[str]:
        name = param.name
        if param.kind == "int":
            return [str(n) for n in (1, 2, 3, 5, 1, 2, 1, 4)]
        if param.kind == "string":
            labels = [row[0] for row in self._select(
                "SELECT ?l WHERE { ?e a ?c ; rdfs:label ?l . "
                "VALUES ?c { pg:Dataset pg:Method pg:Model pg:Task } } LIMIT 5000")]
            out = []
            for label in labels:
                words = [w for w in re.findall(r"[A-Za-z0-9]{3,}", label)]
                if words:
                    word = self._rng.choice(words).lower()
                    out.append(word[: self._rng.randint(3, max(3, min(8, len(word))))])
            return out
        if name == "paper":
            rows = self._select("SELECT ?p ?id WHERE { ?p a pg:Paper . OPTIONAL { ?p pg:arxivId ?id } } LIMIT 5000")
            return [row[1] if len(row) > 1 and row[1] and i % 2 else row[0] for i, row in enumerate(rows)]
        cls = _CLASS_OF.get(name)
        if name == "benchmark":
            body = "SELECT DISTINCT ?e ?l WHERE { ?r pg:onDataset ?e . ?e rdfs:label ?l } LIMIT 5000"
        elif cls:
            body = f"SELECT DISTINCT ?e ?l WHERE {{ ?e a pg:{cls} ; rdfs:label ?l . ?p ?rel ?e }} LIMIT 5000"
        else:
            body = ("SELECT DISTINCT ?e ?l WHERE { ?e a ?c ; rdfs:label ?l . ?p ?rel ?e . "
                    "VALUES ?c { pg:Dataset pg:Method pg:Model pg:Task } } LIMIT 5000")
        rows = self._select(body)
        return [row[0] if i % 2 == 0 else row[1] for i, row in enumerate(rows)]

    def take(self, param: kg_queries.Param) -> str:
        if param.name not in self._pools:
            values = list(dict.fromkeys(self._values(param))) or [param.example or param.default or "x"]
            self._rng.shuffle(values)
            self._pools[param.name], self._next[param.name] = values, 0
        pool, index = self._pools[param.name], self._next[param.name]
        self._next[param.name] = (index + 1) % len(pool)
        return pool[index]


def requests_for(query: kg_queries.CannedQuery, values: ValuePool, count: int) -> Iterator[Request]:
    """``count`` requests for ``query``, each with fresh parameter values."""
    from urllib.parse import urlencode

    for _ in range(count):
        args = {p.name: values.take(p) for p in query.params}
        prepared = kg_queries.prepare(query.name, args)
        terms = {name: str(term) for name, term in prepared.substitutions.items()}
        path = f"/api/queries/{query.name}?" + urlencode({**args, "_limit": str(query.limit)})
        yield Request(query.name, path, substitute(peer_text(query), terms))


PEER_DIR = Path(__file__).with_name("peer")


def peer_text(query: kg_queries.CannedQuery) -> str:
    """The SPARQL the peer is asked for ``query`` (prefixes added): ``bench/peer/NAME.rq`` if there is
    one (the question asked from the facts), else the ``.rq`` itself."""
    own = PEER_DIR / f"{query.name}.rq"
    return kg_queries.with_prefixes(own.read_text(encoding="utf-8")) if own.exists() else query.text


def catalog() -> dict[str, kg_queries.CannedQuery]:
    return kg_queries.load_catalog()


def answer_rows(body: bytes, content_type: str) -> int | None:
    """Rows in an answer: SPARQL JSON bindings, or the API's JSON rows; None when not recognised."""
    import json

    try:
        data: Any = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict):
        if isinstance(data.get("results"), dict):
            return len(data["results"].get("bindings", []))
        for key in ("rows", "results", "items", "data"):
            if isinstance(data.get(key), list):
                return len(data[key])
    if isinstance(data, list):
        return len(data)
    return None


def sample_path(path: Path) -> ox.Store:
    """The peer's bulk-loaded store, opened read-only to draw values from (nobody writes it)."""
    return ox.Store.read_only(str(path))
