"""Score a built graph against a gold file, reading predictions through SPARQL (see shared SCORING.md).

Going through SPARQL rather than in-memory objects means the score measures what users can query:
a fact that never reached the store does not count. Predicates, titles and labels are matched by
local name, so the scorer does not depend on our exact vocabulary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

KEYS: dict[str, tuple[str, ...]] = {
    "datasets_introduced": ("introducesDataset",),
    "datasets_used": ("usesDataset", "evaluatesOn"),
    "methods_proposed": ("proposesMethod",),
    "methods_used": ("usesMethod",),
    "models_used": ("usesModel",),
    "tasks": ("addressesTask",),
    "repos": ("hasRepository",),
}
NAMED = tuple(k for k in KEYS if k != "tasks")
_PRED_OF = {p: k for k, ps in KEYS.items() for p in ps}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    "a an the of for in on to and or with by from via using based towards toward into at as is are its their "
    "this that these those we our".split())

_Q_TITLES = """SELECT ?paper ?title WHERE { ?paper ?p ?title .
  FILTER(isLiteral(?title) && REGEX(STR(?p), "[#/]title$")) }"""
_Q_FACTS = """SELECT ?paper ?p ?o WHERE { ?paper ?p ?o .
  FILTER(REGEX(STR(?p), "[#/](introducesDataset|usesDataset|evaluatesOn|proposesMethod|usesMethod|usesModel|addressesTask|hasRepository)$")) }"""
_Q_LABELS = """SELECT ?node ?label WHERE { ?node ?p ?label .
  FILTER(isLiteral(?label) && REGEX(STR(?p), "[#/][A-Za-z]*(label|Label|name|Name)$")) }"""
_Q_URLS = """SELECT ?node ?url WHERE { ?node ?p ?url .
  FILTER(REGEX(STR(?p), "[#/](url|homepage|page|codeRepository|seeAlso)$", "i")) }"""


def norm(text: str) -> str:
    """Lower-case, every run of non-alphanumerics removed (titles and names alike)."""
    return _NON_ALNUM.sub("", text.lower())


def norm_url(url: str) -> str:
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower())
    key = re.sub(r"^www\.", "", key).rstrip("/")
    return key[:-4] if key.endswith(".git") else key


def task_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass(slots=True)
class Report:
    """Micro-averaged counts per gold key, ``micro_named`` (all keys but tasks), and per-paper errors."""

    keys: dict[str, Counts]
    micro_named: Counts
    papers: int
    missing: list[str] = field(default_factory=list)  #: gold titles with no paper in the graph
    errors: list[dict[str, Any]] = field(default_factory=list)  #: {title, key, fp: [...], fn: [...]}


def _matches(key: str, strings: set[str], item: Any) -> bool:
    """Does a predicted node (its label/URL strings) match one gold or maybe item?"""
    if key == "repos":
        gold = norm_url(item if isinstance(item, str) else item["name"])
        return any(gold == u or gold.startswith(u + "/") for u in (norm_url(s) for s in strings))
    if key == "tasks":
        words = task_words(item if isinstance(item, str) else item["name"])
        return any(jaccard(task_words(s), words) >= 0.5 for s in strings)
    names = {norm(item["name"])} | {norm(a) for a in item.get("aliases", ())}
    return bool(names & {norm(s) for s in strings})


def _assign(key: str, preds: list[set[str]], gold: list[Any]) -> list[int | None]:
    """Maximum bipartite matching (each gold item counts once); returns gold index per prediction."""
    owner: dict[int, int] = {}

    def try_pred(p: int, seen: set[int]) -> bool:
        for g, item in enumerate(gold):
            if g in seen or not _matches(key, preds[p], item):
                continue
            seen.add(g)
            if g not in owner or try_pred(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in range(len(preds)):
        try_pred(p, set())
    result: list[int | None] = [None] * len(preds)
    for g, p in owner.items():
        result[p] = g
    return result


def _rows(store: pyoxigraph.Store, query: str) -> list[tuple[Any, ...]]:
    out = store.query(query, use_default_graph_as_union=True)
    return [tuple(row) for row in out]  # type: ignore[union-attr]


def _text(term: Any) -> str:
    return str(term.value)


def score(store: pyoxigraph.Store, gold: list[dict[str, Any]]) -> Report:
    """Compare the store's facts with ``gold`` (parsed gold JSON), per SCORING.md."""
    by_title: dict[str, set[str]] = defaultdict(set)
    for paper, title in _rows(store, _Q_TITLES):
        by_title[norm(_text(title))].add(_text(paper))
    facts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for paper, pred, obj in _rows(store, _Q_FACTS):
        local = re.split(r"[#/]", _text(pred))[-1]
        facts[(_text(paper), _PRED_OF[local])].add(str(obj))
    strings: dict[str, set[str]] = defaultdict(set)
    for node, label in _rows(store, _Q_LABELS):
        strings[str(node)].add(_text(label))
    for node, url in _rows(store, _Q_URLS):
        strings[str(node)].add(_text(url))

    keys = {k: Counts() for k in KEYS}
    report = Report(keys, Counts(), len(gold))
    for paper in gold:
        nodes = by_title.get(norm(paper["title"]), set())
        if not nodes:
            report.missing.append(paper["title"])
        for key in KEYS:
            objs = sorted({o for n in nodes for o in facts.get((n, key), ())})
            preds = [strings.get(o) or {_node_text(o)} for o in objs]
            items = list(paper.get(key, []))
            maybe = [m for m in paper.get("maybe", []) if m.get("type") == key]
            assigned = _assign(key, preds, items)
            c = Counts(tp=sum(a is not None for a in assigned), fn=len(items) - sum(a is not None for a in assigned))
            fps = [sorted(preds[i])[0] for i, a in enumerate(assigned)
                   if a is None and not any(_matches(key, preds[i], m) for m in maybe)]
            c.fp = len(fps)
            hit = {a for a in assigned if a is not None}
            fns = [i if isinstance(i, str) else i["name"] for g, i in enumerate(items) if g not in hit]
            if fps or fns:
                report.errors.append({"title": paper["title"], "key": key, "fp": fps, "fn": fns})
            keys[key].add(c)
            if key in NAMED:
                report.micro_named.add(c)
    return report


def _node_text(term: str) -> str:
    """A node with no label: its IRI (or literal) text, so URL objects still match repos."""
    return term.strip("<>").strip('"')


def format_report(report: Report) -> str:
    """A fixed-width P/R/F1 table, one row per gold key, then micro_named."""
    lines = [f"{'key':<22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    rows = [*report.keys.items(), ("micro_named", report.micro_named)]
    for name, c in rows:
        lines.append(f"{name:<22}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}")
    lines.append(f"papers: {report.papers} gold, {report.papers - len(report.missing)} found in the graph")
    return "\n".join(lines)


__all__ = ["KEYS", "NAMED", "Counts", "Report", "format_report", "jaccard", "norm", "norm_url", "score",
           "task_words"]
