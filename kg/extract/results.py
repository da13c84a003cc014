"""Reported numbers tied to a metric and a dataset (``reportsResult``): "24.2% accuracy on GSM8K".

A number counts only when its sentence also names a dataset. Each is read in its clause, by general
rules on the words next to it (never by paper):

- **metric**: a listed metric name (``kg/data/names``) written next to the number: "81.5% accuracy",
  "BLEU of 31.2", "a 12% gain in F1", "reduces WER by 10%". A number in a list ("80% on A and 75% on
  B") takes the metric of the one before it. No metric next to it: none (never the change word).
- **kind**: a *delta* is a change against something else ("improves by 3.2%", "a 12% gain", "+3.2",
  "5 points higher", "2x faster", "83% of ChatGPT's performance"); its change word is kept (``change``).
  Anything else is a *score*, the only kind a leaderboard may rank.
- **not results**: fractions and amounts of data or resources ("45% of C4", "10% of the training
  data", "at 50% sparsity"), the baseline of "from X to Y", a spread after "±", counts ("2048 points",
  "8x A100", "3 benchmarks"), years. A number without a unit counts only next to a metric name, so
  sizes ("7B parameters") and counts of things never do.

Percentages become proportions; ``\\%`` is read as ``%``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from typing import NamedTuple

from kg.extract._result_words import (
    _AFTER_STOP,
    _BARE_LINK,
    _BEFORE_STOP,
    _BREAK,
    _CHANGE,
    _CHANGE_NOUN,
    _DASH_RANGE,
    _DELTA_AFTER,
    _DELTA_BEFORE,
    _FROM,
    _FROM_TO,
    _HEDGE_ENDS,
    _HEDGE_SIGNS,
    _LIST_WORDS,
    _NAMED_BEFORE,
    _NUMBER,
    _OF,
    _OF_PERFORMANCE,
    _ON,
    _PLAIN_POINTS,
    _RANGE,
    _RATIO,
    _RESOURCE,
    _RESOURCE_BEFORE,
    _SHARED_UNIT,
    _SPREAD_SIGNS,
    _STANDALONE,
    _TAIL,
    _TO_NEXT,
    _TRAILING_HEDGES,
    _WINDOW,
    _WORD,
    _metric_words,
)
from kg.extract.context import Context, make
from kg.extract.sentences import Doc
from kg.link import Entry, Hit
from kg.model import EntityRef, Mention, ResultValue

NAME = "results"
Metric = tuple[int, int, str, str]  #: start, end, lower-cased name (the key), display name
def _sentence_metrics(doc: Doc, s: int, e: int, listed: list[Metric]) -> list[Metric]:
    """The metrics the gazetteer found in the sentence ``[s, e)``, plus listed names written as words
    (tokens joined by a space or a dash, not inside a longer dashed word) that no gazetteer hit covers;
    one that contains gazetteer hits replaces them ("micro F1" over "F1")."""
    words = _metric_words()
    found = [x for x in listed if s <= x[0] < e]
    text, lows, gaps, starts, ends = doc.text, doc.lows, doc.gaps, doc.starts, doc.ends
    k, last = bisect_left(starts, s), bisect_left(starts, e)
    while k < last:
        n = 0
        if lows[k] in words.firsts and (starts[k] == 0 or text[starts[k] - 1] != "-"):
            for size in range(min(words.longest, last - k), 0, -1):
                end = ends[k + size - 1]
                if (tuple(lows[k:k + size]) in words.names and text[end:end + 1] != "-"
                        and all(gaps[t] in (" ", "-") for t in range(k, k + size - 1))):
                    n = size
                    break
        if n:
            a, b = starts[k], ends[k + n - 1]
            inside = [x for x in found if a <= x[0] and x[1] <= b and (a, b) != (x[0], x[1])]
            if inside or not any(x[0] < b and a < x[1] for x in found):
                name = words.names[tuple(lows[k:k + n])]
                found = [x for x in found if x not in inside] + [(a, b, name.lower(), name)]
        k += n or 1
    return found


def _unit(raw: str | None) -> str | None:
    if raw is None:
        return None
    raw = raw.lstrip("\\")
    if raw == "%":
        return "%"
    if raw.startswith(("percentage", "point", "pt")) or raw == "pp":
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


def _words(gap: str) -> list[str]:
    """The words of ``gap``, lower-cased (a lone sign or dash is no word)."""
    return [w.lower() for w in _WORD.findall(gap) if any(c.isalnum() for c in w)]


def _clause_before(text: str, s: int, a: int) -> str:
    """The text of the clause before offset ``a`` (at most :data:`_WINDOW` characters, from the last ``;``)."""
    pre = text[max(s, a - _WINDOW):a]
    return pre[pre.rfind(";") + 1:]


def _clause(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    """The bounds of the clause holding ``pos`` in the sentence ``[s, e)``: clauses end at ``;``."""
    start, end = text.rfind(";", s, pos), text.find(";", pos, e)
    return (s if start < 0 else start + 1), (e if end < 0 else end)


def _kind(text: str, s: int, e: int, m: re.Match[str], unit_raw: str | None) -> tuple[bool, str | None] | None:
    """``(is_delta, change word)`` for the number ``m`` (its unit as written: ``unit_raw``), or None when
    it is not a result at all."""
    unit = _unit(unit_raw)
    a, b = m.start(), m.end()
    pre, post = _clause_before(text, s, a), text[b:min(e, b + _WINDOW)]
    dash = _DASH_RANGE.search(pre[-16:]) if pre.endswith("-") else None
    if dash:
        pre = pre[:len(pre) - len(dash.group(0))]  # "by 5-7 points" reads as "by 7 points"
    end = pre[-8:].rstrip()
    if end.endswith(_SPREAD_SIGNS) or (end.lower().endswith("from") and _FROM.search(end) and _TO_NEXT.match(post)):
        return None  # a spread ("81.5 ± 0.3%"), or the baseline of "from X to Y"
    if unit is None and m.group("num").isdigit() and 1900 <= int(m.group("num")) <= 2100:
        return None  # a year
    sign = text[a - 1] if a > s and not dash else ""
    if sign in ("+", "-", "\u2212"):
        if a - 1 > s and text[a - 2].isalnum():
            return None  # part of a name or a range: "GPT-4", "Top-5", "5-10%"
        return True, "increase" if sign == "+" else "decrease"
    unsigned = pre.rstrip("+-\u2212")
    if unsigned.rstrip().endswith("(") and _RESOURCE_BEFORE.search(unsigned[-_TAIL:]):
        return None  # "60 examples per class (5%)"
    hedged = _may_end_hedged(pre)
    by = hedged and _DELTA_BEFORE.search(pre[-_TAIL:]) is not None
    if _OF.match(post):
        return (True, "relative") if _OF_PERFORMANCE.match(post) else None
    if _RESOURCE.match(post):  # "10% labeled data", "at 50% sparsity": a setting, unless reached "by" it
        return (True, _change_word(pre, post, hedged) or "change") if by else None
    if unit == "x":
        ratio = by or _RATIO.search(pre[-30:] + " " + post[:30])  # "2x faster", "by 1.5x"; not "8x A100"
        return (True, _change_word(pre, post, hedged) or "speedup") if ratio else None
    if by or _DELTA_AFTER.match(post) or (unit == "points" and unit_raw not in _PLAIN_POINTS):
        return True, _change_word(pre, post, hedged) or "change"  # (pp, percentage points: a difference)
    return False, None


def _may_end_hedged(pre: str) -> bool:
    """A cheap test that ``pre`` may end with "by", a hedge or a change word (so that the patterns
    anchored at its end can match): its last word is one those end with."""
    words = pre[-_TAIL:].split()
    if not words:
        return False
    last = words[-1].lower()
    return (last in _HEDGE_ENDS or any(c in last for c in _HEDGE_SIGNS)
            or _CHANGE.match(last.lstrip("([\"'")) is not None)


def _change_word(pre: str, post: str, hedged: bool) -> str | None:
    """The change word closest to the number, within its clause (after it: up to the next break);
    ``hedged``: :func:`_may_end_hedged` of ``pre`` (else no "by" or hedge is there to skip)."""
    if hedged:
        tail = pre[-_TAIL:]
        pre = pre[:len(pre) - len(tail) + _TRAILING_HEDGES.search(tail).start()]  # type: ignore[union-attr]
    before = [(len(pre) - w.end(), w.group(1).lower()) for w in _CHANGE.finditer(pre)]
    after = [(w.start(), w.group(1).lower()) for w in _CHANGE.finditer(_BREAK.split(post, 1)[0][:40])]
    found = sorted(before + after)
    return _CHANGE_NOUN.get(found[0][1]) if found else None


def _metric(text: str, a: int, b: int, metrics: list[Metric], bare: bool) -> Metric | None:
    """The metric named next to the number at ``[a, b)``: right after it ("81.5% accuracy", "a 12% gain
    in F1") or shortly before it ("accuracy of 81.5%", "reduces WER by 10%"); the fewest words between
    wins. A ``bare`` number (no unit) needs the metric right after it or only linking words between."""
    best: tuple[int, int, Metric] | None = None
    for hit in metrics:
        start, end = hit[0], hit[1]
        if start >= b:
            gap = text[b:start]
            words = _words(gap)
            if (len(words) > (0 if bare else 3) or _BREAK.search(gap) or "(" in gap or _STANDALONE.search(gap)
                    or _AFTER_STOP & set(words)):
                continue
            rank = (len(words), 0)
        elif end <= a:
            gap = _FROM_TO.sub("to", text[end:a])
            words = _words(gap)
            if (len(words) > 6 or _BREAK.search(gap) or _STANDALONE.search(gap) or _BEFORE_STOP & set(words)
                    or (bare and not set(words) <= _BARE_LINK)):
                continue
            rank = (len(words), 1)
        else:
            continue
        if best is None or rank < best[:2]:
            best = (rank[0], rank[1], hit)
    return best[2] if best else None


class _Previous(NamedTuple):
    """The result read just before, which a number in a list after it reads like."""

    sentence: int
    end: int
    unit: str | None
    metric: Metric | None
    delta: bool
    change: str | None


def _in_list(text: str, prev: _Previous, a: int) -> bool:
    """Whether the text between two numbers (past the first one's metric, when written after it) is a
    list separator ("on GSM8K and", ", "): the second number then reads like the first ("80% accuracy
    on A and 75% on B")."""
    start = prev.end
    if prev.metric is not None and prev.end <= prev.metric[0] and prev.metric[1] <= a:
        start = prev.metric[1]
    gap = text[start:a]
    if ";" in gap or _STANDALONE.search(gap):
        return False
    words = _WORD.findall(gap)
    return len(words) <= 5 and all(w.lower() in _LIST_WORDS or not w.islower() for w in words)


def _dataset(text: str, s: int, m: re.Match[str], in_sent: list[tuple[Hit, Entry]]) -> Entry | None:
    """The dataset a number is reported on: the one named in brackets before it ("MMLU (+3.5%)"), else
    the nearest one after it in the sentence, else the nearest before. None when the number belongs to
    another name ("WSC (90.1%)" with WSC no dataset, "CLIP's 68.3%")."""
    base = max(s, m.start() - _TAIL)
    before = text[base:m.start()].rstrip("+-\u2212")
    named = _NAMED_BEFORE.search(before) if before.rstrip().endswith(("(", "'s", "\u2019s")) else None
    if named is not None:
        owned = [entry for hit, entry in in_sent if named.group("name") and hit.end == base + named.end("name")]
        return owned[0] if owned else None
    after = [x for x in in_sent if x[0].start > m.end()]
    return min(after or in_sent, key=lambda x: abs(x[0].start - m.start()))[1]


def _lists_backward(found: list[tuple[re.Match[str], Mention]], text: str) -> list[Mention]:
    """In "31.3%/12.9% and 9.7% improvements" or "53% and 19% improvement in FD", the change word
    after the last number is read by the ones before it: a plain number right before a delta with the
    same unit, joined only by "and", "or", "," or "/", becomes that delta."""
    out = [mention for _, mention in found]
    for i in range(len(found) - 2, -1, -1):
        (m, mention), (m2, _) = found[i], found[i + 1]
        mine, nxt = mention.result, out[i + 1].result
        gap = text[m.end():m2.start()]
        if (mine is None or nxt is None or mine.unit != nxt.unit or mine.metric is not None
                or set(_words(gap)) - {"and", "or"} or ";" in gap or (mine.kind == "delta" and nxt.kind != "delta")):
            continue
        result = replace(mine, kind=nxt.kind, change=nxt.change, metric=nxt.metric, metric_label=nxt.metric_label)
        out[i] = replace(mention, result=result)
    return out


def extract_results(ctx: Context) -> list[Mention]:
    """One result per number that shares a sentence with a dataset mention and reads as a result."""
    found: list[tuple[re.Match[str], Mention]] = []
    doc = ctx.docs[1]
    text = doc.text
    datasets = [(hit, entry) for d, hit, entry in ctx.entity_hits("dataset") if d.field == "abstract"]
    metrics: list[Metric] = [(hit.start, hit.end, entry.name.lower(), entry.name)
                             for d, hit, entry in ctx.entity_hits("metric") if d.field == "abstract"]
    prev: _Previous | None = None
    sentence, in_metrics = -1, []
    for m in _numbers(doc, [hit.start for hit, _ in datasets]):
        s, e = doc.sentence(m.start())
        cs, ce = _clause(text, s, e, m.start())
        in_sent = [(h, en) for h, en in datasets if cs <= h.start < ce]
        if not in_sent:
            continue  # no dataset in the number's clause
        unit_raw = m.group("unit")
        if unit_raw is None and (shared := _SHARED_UNIT.match(text, m.end(), e)):
            unit_raw = shared.group(1)
        unit = _unit(unit_raw)
        kind = _kind(text, s, e, m, unit_raw)
        if kind is None:
            continue
        delta, change = kind
        if sentence != s:
            sentence, in_metrics = s, _sentence_metrics(doc, s, e, metrics)
        metric = _metric(text, m.start(), m.end(), in_metrics, unit is None)
        if unit is None and metric is None:
            on = _ON.match(text, m.end(), e)
            if on is None or not any(h.start == on.end() for h, _ in in_sent):
                continue  # a bare number counts only next to a metric name, or right before "on <dataset>"
        if prev is not None and prev.sentence == s and prev.unit == unit and _in_list(text, prev, m.start()):
            metric = metric or prev.metric
            if not delta and prev.delta:
                delta, change = True, prev.change
        prev = _Previous(s, m.end(), unit, metric, delta, change)
        if not delta and metric is None and unit_raw in _PLAIN_POINTS:
            continue  # "2048 points": a count unless a metric or a change says otherwise
        if _RANGE.match(text[m.end():e]):
            continue  # "29.2% to 46.4% gains": read at the range's end
        entry = _dataset(text, s, m, in_sent)
        if entry is None:
            continue
        value = float(m.group("num")) / (100.0 if unit == "%" else 1.0)
        raw = m.group("num") + (m.group("unit") or "").lstrip("\\")  # as written
        if unit == "points" and m.group("unit"):
            raw = m.group("num") + " " + m.group("unit")
        ds: EntityRef = entry.ref()
        result = ResultValue(value, raw, unit, metric[2] if metric else None, ds,
                             kind="delta" if delta else "score", change=change if delta else None,
                             metric_label=metric[3] if metric else None)
        found.append((m, make(doc, "reportsResult", m.start(), m.end(), NAME, 0.6, None, result=result)))
    return _lists_backward(found, text)
