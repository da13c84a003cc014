"""Canned questions answered from a generation's index (:mod:`kg.search_index`) instead of the graph.

Two uses, both exact (a test compares them with the ``.rq`` answers over many parameter values):

- :func:`resolve_params`: an entity parameter declared with ``lookup=KIND bind=VAR`` is looked up in
  the index (names and aliases folded to lower case, arXiv ids, identifiers, titles) and, when it names
  exactly one entity, ``?VAR`` is bound to it too, so the query starts from that IRI instead of
  scanning every label. The ``.rq`` keeps its own resolution, so the extra binding cannot change the
  answer, only its cost. When nothing matches, the answer is empty without asking the store.
- :func:`answer`: the aggregating and ranking queries (``ANSWERED``) are computed from the tables
  built at build time; same columns, rows and order as the ``.rq``. Where the ``.rq`` leaves an order
  open (ties, the parts of a ``GROUP_CONCAT``) the index picks one: ties as SQLite returns them,
  concatenated parts sorted.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.queries import Param, Prepared
from kg.search_index import VERSION, decode

__all__ = ["ANSWERED", "answer", "resolve", "resolve_params", "search", "search_solutions", "usable"]

_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: Metrics where lower is better: the REGEX of ``leaderboard.rq``.
_LOWER_IS_BETTER = re.compile("perplexity|ppl|error|loss|wer|cer|fid|mae|mse|rmse|latency|bpc|bpd", re.IGNORECASE)
Rows = list[list[Any]]
#: How much of an index file a connection maps into memory (SQLite lowers it to its compile-time cap).
MMAP_BYTES = 2**31


def _connect(index: Path) -> sqlite3.Connection:
    """A read-only connection that reads the file through a memory map (SQLite caps the map, about 2 GiB
    by default): lookups then copy no pages through read() calls, about a fifth of a lookup's time. An
    index is never written once published, so the map always sees a whole file."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return db


_LOCAL = threading.local()


def _db(index: Path) -> sqlite3.Connection:
    """This thread's read-only connection to ``index``, kept open (opening one and reading its schema
    costs more than most answers); a generation's index never changes once published."""
    cached: dict[str, sqlite3.Connection] = getattr(_LOCAL, "connections", {})
    key = str(index)
    if key not in cached:
        for stale in cached.values():  # the server switched generations: keep only the current one
            stale.close()
        cached = {key: _connect(index)}
        _LOCAL.connections = cached
    return cached[key]


def usable(index: Path) -> bool:
    """Whether ``index`` exists and has this version's tables (a generation built by an older release
    keeps its older index until it is rebuilt; the queries then run on the store)."""
    try:
        stamp = index.stat().st_mtime_ns
    except OSError:
        return False
    return _version(str(index), stamp) == VERSION


@lru_cache(maxsize=16)
def _version(index: str, stamp: int) -> int:
    db = _connect(Path(index))
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_INTEGER)


def _concat(parts: str | None) -> ox.Literal | None:
    """A GROUP_CONCAT: unbound when there was nothing to concatenate (an OPTIONAL that did not match
    leaves Oxigraph's GROUP_CONCAT unbound, not empty)."""
    return None if parts is None else ox.Literal(parts)


def resolve(db: sqlite3.Connection, param: Param, term: ox.NamedNode | ox.Literal) -> list[str]:
    """IRIs an entity argument names, as the resolving subquery of the ``.rq`` finds them."""
    found: set[str] = set()
    if param.lookup in ("entity", "paper"):  # ?x pg:arxivId|dcterms:identifier|dcterms:title ?value
        found.update(row[0] for row in db.execute("SELECT iri FROM exact WHERE term = ?", (str(term),)))
    if isinstance(term, ox.NamedNode):  # an IRI names itself when it has a label
        if db.execute("SELECT 1 FROM label WHERE iri = ? LIMIT 1", (term.value,)).fetchone():
            found.add(term.value)
        return sorted(found)
    folded = term.value.lower()
    if param.lookup == "entity":  # any name or alias in the entities graph
        found.update(row[0] for row in db.execute(
            "SELECT iri FROM lookup WHERE folded = ? AND entities_graph = 1", (folded,)))
    elif param.lookup != "paper":  # a name or alias of an entity of that class
        found.update(row[0] for row in db.execute(
            "SELECT k.iri FROM lookup k JOIN type t ON t.iri = k.iri AND t.class = ? WHERE k.folded = ?",
            (param.lookup, folded)))
    return sorted(found)


def resolve_params(index: Path, prepared: Prepared) -> Prepared | None:
    """``prepared`` with each resolvable entity also bound to its one IRI; None when an entity
    argument names nothing (the answer is empty)."""
    params = [p for p in prepared.query.params if p.lookup and p.bind]
    if not params:
        return prepared
    extra: dict[str, ox.NamedNode | ox.Literal] = {}
    db = _db(index)
    for param in params:
        term = prepared.substitutions[param.name]
        found = resolve(db, param, term)
        if isinstance(term, ox.NamedNode):  # the .rq checks an IRI itself (the build log's, say)
            found = sorted({term.value, *found})
        if not found:
            return None
        if len(found) == 1 and param.bind:
            extra[param.bind] = ox.NamedNode(found[0])
    return replace(prepared, substitutions={**prepared.substitutions, **extra})


# --- answers from tables ------------------------------------------------------------------------


def _most_used(kind: str) -> Callable[[sqlite3.Connection, Prepared], Rows]:
    def rows(db: sqlite3.Connection, prepared: Prepared) -> Rows:
        minimum = prepared.substitutions["min_papers"]
        found = db.execute("""
            SELECT iri, label, papers FROM ranked WHERE class = ? AND papers >= ?
            ORDER BY papers DESC, label LIMIT ?""", (kind, int(minimum.value), prepared.query.limit))
        return [[minimum, ox.NamedNode(iri), decode(label), _int(n)] for iri, label, n in found]
    return rows


def _co_occurring(kind: str, param: str) -> Callable[[sqlite3.Connection, Prepared], Rows]:
    def rows(db: sqlite3.Connection, prepared: Prepared) -> Rows:
        given = prepared.substitutions[param]
        iris = resolve(db, prepared.query.param(param), given)  # type: ignore[arg-type]
        found: list[Any] = []
        for iri in iris:  # one range scan of the ranked pairs per resolved entity, then merged
            found += db.execute("""
                SELECT first, second, label, weight FROM pair_ranked WHERE first = ? AND class = ?
                ORDER BY weight DESC, label LIMIT ?""", (iri, kind, prepared.query.limit)).fetchall()
        if len(iris) > 1:
            found.sort(key=lambda row: (-row[3], row[2] is not None, row[2] or ""))
        return [[given, ox.NamedNode(a), ox.NamedNode(b), decode(label), _int(n)]
                for a, b, label, n in found[: prepared.query.limit]]
    return rows


def _benchmarks(db: sqlite3.Connection, prepared: Prepared) -> Rows:
    found = db.execute("SELECT benchmark, label, results, papers, metrics FROM benchmarks LIMIT ?",
                       (prepared.query.limit,))
    return [[ox.NamedNode(b), decode(label), _int(r), _int(p), _concat(m)] for b, label, r, p, m in found]


_LEADERBOARD = """
SELECT dataset, label, metric, metric_label, value, number, raw, unit, paper, title, date, result, methods, models
FROM board WHERE dataset IN ({marks})
"""


def _leaderboard(db: sqlite3.Connection, prepared: Prepared) -> Rows:
    given = prepared.substitutions["benchmark"]
    iris = resolve(db, prepared.query.param("benchmark"), given)  # type: ignore[arg-type]
    found = db.execute(_LEADERBOARD.format(marks=", ".join("?" * len(iris))), iris).fetchall()
    out: list[tuple[tuple[Any, ...], list[Any]]] = []
    for found_row in found:
        bench, label, metric, metric_label, value, number, raw, unit, paper, title, date, result = found_row[:12]
        methods, models = found_row[12:]
        metric_term = decode(metric)
        lower = bool(_LOWER_IS_BETTER.search(metric_term.value if metric_term is not None else ""))
        key = None if number is None else (number if lower else -number)
        order = (metric is not None, metric or "", key is not None, key or 0.0, title)
        out.append((order, [given, ox.NamedNode(bench), decode(label), metric_term, decode(metric_label),
                            decode(value), decode(raw), decode(unit), ox.Literal("lower" if lower else "higher"),
                            ox.NamedNode(paper), decode(title), decode(date), ox.NamedNode(result), _concat(methods),
                            _concat(models)]))
    out.sort(key=lambda item: item[0])
    return [row for _, row in out[: prepared.query.limit]]


_CONTRIBUTIONS = """
SELECT DISTINCT f.paper, t.value, f.rel, f.entity, l.label, u.url,
       (SELECT group_concat(class, ' ') FROM (SELECT DISTINCT class FROM type WHERE iri = f.entity ORDER BY class))
FROM fact f JOIN type pt ON pt.iri = f.paper AND pt.class = 'Paper'
JOIN paper_attr t ON t.iri = f.paper AND t.attr = 'title'
LEFT JOIN label l ON l.iri = f.entity LEFT JOIN url u ON u.iri = f.entity
WHERE f.paper IN ({marks})
"""


def _contributions(db: sqlite3.Connection, prepared: Prepared) -> Rows:
    given = prepared.substitutions["paper"]
    iris = resolve(db, prepared.query.param("paper"), given)  # type: ignore[arg-type]
    found = db.execute(_CONTRIBUTIONS.format(marks=", ".join("?" * len(iris))), iris).fetchall()
    order = {r: i for i, r in enumerate(RELATIONS_IN_ORDER)}
    found.sort(key=lambda r: (r[0], order[r[2]], r[4] is not None, r[4] or ""))
    return [[given, ox.NamedNode(paper), decode(title), ox.Literal(rel), ox.NamedNode(entity), decode(label),
             decode(url), _concat(types)]
            for paper, title, rel, entity, label, url, types in found[: prepared.query.limit]]


#: The order of ``paper-contributions.rq``'s VALUES (?rel ?order).
RELATIONS_IN_ORDER = ("introducesDataset", "proposesMethod", "usesDataset", "evaluatesOn", "usesMethod",
                      "usesModel", "addressesTask", "hasRepository", "hasLink")

_WITH_CODE = """
SELECT a.entity, tl.label, m.entity, ml.label, a.paper, t.value, d.value, r.entity, ru.url
FROM fact a JOIN fact m ON m.paper = a.paper AND m.rel = 'proposesMethod'
JOIN fact r ON r.paper = a.paper AND r.rel = 'hasRepository'
JOIN paper_attr t ON t.iri = a.paper AND t.attr = 'title'
LEFT JOIN label tl ON tl.iri = a.entity LEFT JOIN label ml ON ml.iri = m.entity
LEFT JOIN url ru ON ru.iri = r.entity LEFT JOIN paper_attr d ON d.iri = a.paper AND d.attr = 'date'
WHERE a.rel = 'addressesTask' AND a.entity IN ({marks})
"""


def _with_code(db: sqlite3.Connection, prepared: Prepared) -> Rows:
    given = prepared.substitutions["task"]
    iris = resolve(db, prepared.query.param("task"), given)  # type: ignore[arg-type]
    found = db.execute(_WITH_CODE.format(marks=", ".join("?" * len(iris))), iris).fetchall()
    found.sort(key=lambda r: (r[6] is not None, r[6] or ""), reverse=True)  # DESC(?date): unbound last
    found.sort(key=lambda r: (r[3] is not None, r[3] or ""))  # then (stable) ?methodLabel first
    return [[given, ox.NamedNode(task), decode(task_label), ox.NamedNode(method), decode(method_label),
             ox.NamedNode(paper), decode(title), decode(date), ox.NamedNode(repo), decode(url)]
            for task, task_label, method, method_label, paper, title, date, repo, url
            in found[: prepared.query.limit]]


_USING = """
SELECT f.entity, l.label, f.paper, t.value, d.value,
       (SELECT group_concat(rel, ' ') FROM (SELECT DISTINCT f2.rel AS rel FROM fact f2 WHERE f2.paper = f.paper
            AND f2.entity = f.entity AND f2.rel IN ('usesDataset', 'evaluatesOn', 'introducesDataset') ORDER BY f2.rel))
FROM fact f JOIN paper_attr t ON t.iri = f.paper AND t.attr = 'title'
LEFT JOIN label l ON l.iri = f.entity LEFT JOIN paper_attr d ON d.iri = f.paper AND d.attr = 'date'
WHERE f.rel IN ('usesDataset', 'evaluatesOn', 'introducesDataset') AND f.entity IN ({marks})
GROUP BY f.entity, l.label, f.paper, t.value, d.value
"""


def _using(db: sqlite3.Connection, prepared: Prepared) -> Rows:
    given = prepared.substitutions["dataset"]
    iris = resolve(db, prepared.query.param("dataset"), given)  # type: ignore[arg-type]
    found = db.execute(_USING.format(marks=", ".join("?" * len(iris))), iris).fetchall()
    found.sort(key=lambda r: r[3])  # ?title
    found.sort(key=lambda r: (r[4] is not None, r[4] or ""), reverse=True)  # then (stable) DESC(?date) first
    return [[given, ox.NamedNode(dataset), decode(label), ox.NamedNode(paper), decode(title), decode(date),
             ox.Literal(relations)] for dataset, label, paper, title, date, relations in found[: prepared.query.limit]]


# --- search ---------------------------------------------------------------------------------------


def search(path: Path, q: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Entities and papers whose name contains ``q`` (case-insensitive): exact matches first, then
    prefix, then substring, each by number of papers, then label (the order of ``search.rq``)."""
    folded = q.lower()
    if len(folded) >= 3:
        escaped = '"' + folded.replace('"', '""') + '"'
        candidates = "SELECT rowid FROM name_trigram WHERE name_trigram MATCH ?"
        args: tuple[Any, ...] = (escaped,)
    else:
        candidates = "SELECT rowid FROM name WHERE instr(folded, ?) > 0"
        args = (folded,)
    rows = _db(path).execute(f"""
            SELECT e.iri, e.label, e.kind, MIN(CASE WHEN n.folded = ? THEN 0
                                                   WHEN substr(n.folded, 1, length(?)) = ? THEN 1 ELSE 2 END) AS rank,
                   e.papers
            FROM name n JOIN entity e ON e.id = n.entity
            WHERE n.rowid IN ({candidates}) AND instr(n.folded, ?) > 0
            GROUP BY e.id
            ORDER BY rank, e.papers DESC, e.label
            LIMIT ? OFFSET ?""", (folded, folded, folded, *args, folded, limit, offset)).fetchall()  # noqa: S608
    return [{"q": q, "entity": iri, "label": label, "kind": kind, "rank": rank, "papers": papers}
            for iri, label, kind, rank, papers in rows]


def search_solutions(path: Path, q: str, limit: int) -> tuple[list[str], list[list[Any]]]:
    """:func:`search` shaped like the SELECT of ``search.rq`` (same columns, pyoxigraph terms)."""
    rows = [
        [ox.Literal(r["q"]), ox.NamedNode(r["entity"]), decode(r["label"]), ox.Literal(r["kind"]),
         _int(r["rank"]), _int(r["papers"])]
        for r in search(path, q, limit=limit)
    ]
    return ["q", "entity", "label", "kind", "rank", "papers"], rows


def _search(index: Path, prepared: Prepared, max_rows: int) -> tuple[list[str], Rows]:
    return search_solutions(index, prepared.substitutions["q"].value, limit=max_rows)


_TABLES: dict[str, Callable[[sqlite3.Connection, Prepared], Rows]] = {
    "most-used-datasets": _most_used("Dataset"),
    "most-used-methods": _most_used("Method"),
    "most-used-models": _most_used("Model"),
    "datasets-co-used": _co_occurring("Dataset", "dataset"),
    "methods-with-dataset": _co_occurring("Method", "dataset"),
    "benchmarks": _benchmarks,
    "leaderboard": _leaderboard,
    "paper-contributions": _contributions,
    "methods-with-code-for-task": _with_code,
    "papers-using-dataset": _using,
}
#: The canned queries :func:`answer` computes from the index.
ANSWERED = frozenset({*_TABLES, "search"})


def answer(index: Path, prepared: Prepared, max_rows: int) -> tuple[list[str], Rows] | None:
    """Columns and rows (pyoxigraph terms, at most ``max_rows``) of a query in :data:`ANSWERED`,
    from the index at ``index``; None for other queries."""
    name = prepared.query.name
    if name == "search":
        return _search(index, prepared, max_rows)
    compute = _TABLES.get(name)
    if compute is None:
        return None
    rows = compute(_db(index), prepared)
    return list(prepared.query.columns), rows[:max_rows]
