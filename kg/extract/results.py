"""Reported numbers tied to a metric and a dataset (``reportsResult``): "24.2% accuracy on GSM8K".

A number counts only when its sentence also names a dataset; the metric is the nearest listed metric
(or a result word such as "improvement"). Percentages become proportions; ``\\%`` is read as ``%``.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, make
from kg.extract.sentences import Doc
from kg.model import EntityRef, Mention, ResultValue

NAME = "results"
_NUMBER = re.compile(r"(?<![\w.])(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>\\?%|percentage points|points?|pp\b|dB\b|x\b|\u00d7)")
_RESULT_WORDS = re.compile(r"\b(improv|increas|gain|boost|reduc|decreas|accuracy|score|error rate|speed-?up|"
                           r"win rate|success rate)\w*", re.I)
_NOUN = {"improv": "improvement", "increas": "increase", "reduc": "reduction", "decreas": "decrease",
         "gain": "gain", "boost": "boost"}


def _unit(raw: str) -> str:
    raw = raw.lstrip("\\")
    if raw in ("%",):
        return "%"
    if raw.startswith("percentage") or raw.startswith("point") or raw == "pp":
        return "points"
    return "x" if raw in ("x", "\u00d7") else raw


def _numbers(doc: Doc, anchors: list[int]) -> list[re.Match[str]]:
    """``_NUMBER.finditer(doc.text)`` restricted to the sentences holding one of ``anchors`` (dataset
    offsets): only those numbers can become results. A match never crosses a sentence end (its only
    dot is a decimal point, never followed by a space), so scanning sentence by sentence finds the
    same matches."""
    out: list[re.Match[str]] = []
    for i in sorted({doc.sentence_index(a) for a in anchors}):
        s, e = doc.sents[i]
        out.extend(_NUMBER.finditer(doc.text, s, e))
    return out


def extract_results(ctx: Context) -> list[Mention]:
    """One result per number that shares a sentence with a dataset mention."""
    out: list[Mention] = []
    doc = ctx.docs[1]
    datasets = [(hit, entry) for d, hit, entry in ctx.entity_hits("dataset") if d.field == "abstract"]
    metrics = [(hit, entry) for d, hit, entry in ctx.entity_hits("metric") if d.field == "abstract"]
    for m in _numbers(doc, [hit.start for hit, _ in datasets]):
        s, e = doc.sentence(m.start())
        in_sent = [(h, en) for h, en in datasets if s <= h.start < e]
        if not in_sent:
            continue
        after = [x for x in in_sent if x[0].start > m.end()]
        hit, entry = min(after or in_sent, key=lambda x: abs(x[0].start - m.start()))
        near = [(abs(h.start - m.start()), en.name.lower()) for h, en in metrics if s <= h.start < e]
        metric = min(near)[1] if near else None
        if metric is None:
            words = [w for w in _RESULT_WORDS.finditer(doc.text, s, e)]
            stem = min(words, key=lambda w: abs(w.start() - m.start())).group(1).lower() if words else None
            metric = _NOUN.get(stem, stem) if stem else None
        unit = _unit(m.group("unit"))
        value = float(m.group("num")) / (100.0 if unit == "%" else 1.0)
        raw = m.group("num") + m.group("unit").lstrip("\\")
        ds: EntityRef = entry.ref()
        result = ResultValue(value, raw, unit, metric, ds)
        out.append(make(doc, "reportsResult", m.start(), m.end(), NAME, 0.6, None, result=result))
    return out
