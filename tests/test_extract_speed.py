"""The fast paths of extraction give exactly what the plain regex / per-token versions give.

Extraction skips work with cue-word searches, ASCII tokenisation and precomputed gazetteer tables
(see kg/extract/cues.py, sentences.py, gazetteer.py); each must be invisible in the output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract import acronyms, context, datasets, links, naming, results, sentences
from kg.extract.cues import anchored, find_all
from kg.extract.sentences import Doc, split_sentences
from kg.readers import read

_CORPUS = Path(__file__).resolve().parent.parent / "examples" / "hf-daily-papers"
_TOKEN = re.compile(r"[^\W_]+")
_CRAFTED = [
    "We propose FooNet, called \"Foo Net\", a new dataset. Between us, HTTP://GitHub.com/a/b and www.hf.co/x.",
    "This paper introduces the Long Form (LF) method; it is nicknamed Bar and named BAZ-2 by us.",
    "Results: 24.2% accuracy on the PubMed dataset. İstanbul ΟΔΥΣΣΕΥΣ AΣ\u0301b xİy, a ı-ſ test.",
    "e.g. J. Smith et al. evaluated it! Was it SOTA? (Yes.) 3.5 points on ImageNet-1K benchmark.",
    "",
    "   ",
]


def _texts() -> list[str]:
    texts = list(_CRAFTED)
    for record in read([str(_CORPUS)]):
        texts.extend((record.title, record.abstract))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_find_all_finds_overlapping_occurrences_in_order() -> None:
    assert find_all("we were weak", ("we", "e")) == [0, 1, 3, 4, 6, 8, 9]


def test_anchored_equals_finditer_when_every_start_is_a_candidate() -> None:
    pattern = re.compile(r"\bab+")
    text = "ab abb xab ab"
    expected = [m.span() for m in pattern.finditer(text)]
    assert [m.span() for m in anchored(pattern, text, find_all(text, ("ab",)))] == expected


def test_doc_tokens_equal_the_reference_tokenisation(texts: list[str]) -> None:
    for text in texts:
        doc = Doc.of("abstract", text)
        spans = [m.span() for m in _TOKEN.finditer(text)]
        lower = text.lower()
        lows = _TOKEN.findall(lower) if len(lower) == len(text) else []
        if len(lows) != len(spans):
            lows = [text[s:e].lower() for s, e in spans]
        assert doc.starts == tuple(s for s, _ in spans)
        assert doc.ends == tuple(e for _, e in spans)
        assert doc.lows == tuple(lows)
        assert doc.gaps == tuple(text[spans[q][1]:spans[q + 1][0]] for q in range(len(spans) - 1))


def test_cue_anchored_patterns_equal_finditer(texts: list[str]) -> None:
    cases = [(naming._VERB, naming._VERB_STARTS, True), (naming._BARE_VERB, naming._BARE_VERB_STARTS, False),
             (naming._CALLED, naming._CALLED_STARTS, True), (naming._CALLED_BARE, naming._CALLED_STARTS, False)]
    for text in texts:
        doc = Doc.of("abstract", text)
        for pattern, starts, folded in cases:
            assert [m.span() for m in naming._matches(pattern, doc, starts, folded)] == \
                [m.span() for m in pattern.finditer(text)], (pattern.pattern, text)
        assert [m.span() for m in links._urls(doc)] == [m.span() for m in links._URL.finditer(text)]
        assert [m.span() for m in datasets._named_data(doc)] == [m.span() for m in datasets._NAMED_DATA.finditer(text)]
        assert [m.span() for m in acronyms._parens(text)] == [m.span() for m in acronyms._PAREN.finditer(text)]
        anchors = [m.span() for m in naming._APPOS_ANCHOR.finditer(text)]
        assert [m.span() for m in anchored(naming._APPOS_ANCHOR, text, find_all(text, (",",)))] == anchors


def test_sentence_split_equals_plain_scan(texts: list[str]) -> None:
    for text in texts:
        spans, start = [], 0
        for m in re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])").finditer(text):
            word = re.compile(r"([\w.]+)$").search(text, max(0, m.start() - 12), m.start())
            if word and (word.group(1).lower().rstrip(".") in sentences._NO_BREAK or
                         (len(word.group(1)) == 1 and word.group(1).isupper())):
                continue
            spans.append((start, m.start() + 1))
            start = m.end()
        if text[start:].rstrip():
            spans.append((start, start + len(text[start:].rstrip())))
        assert split_sentences(text) == spans


def test_numbers_per_sentence_cover_every_number_of_a_dataset_sentence(texts: list[str]) -> None:
    for text in texts:
        doc = Doc.of("abstract", text)
        anchors = [m.start() for m in re.finditer(r"[A-Z]\w+", text)]
        wanted = {doc.sentence_index(a) for a in anchors}
        expected = [m.span() for m in results._NUMBER.finditer(text) if doc.sentence_index(m.start()) in wanted]
        assert [m.span() for m in results._numbers(doc, anchors)] == expected


def test_is_eval_equals_a_sentence_search(texts: list[str]) -> None:
    for text in texts[:400]:
        doc = Doc.of("abstract", text)
        ctx = context.Context(None, None, (doc, doc), {}, [])  # type: ignore[arg-type]
        for s, e in doc.sents:
            assert ctx.is_eval(doc, s) == (context._EVAL.search(text, s, e) is not None)


def _reference_scan(index, text, starts, ends, lows, title):  # type: ignore[no-untyped-def]
    """The gazetteer scan as first written (every token visited, n-gram keys built longest first)."""
    from kg.extract.gazetteer import _GAPS, _TIGHT, _accept, _cased
    from kg.link import Hit

    hits: list[Hit] = []
    n, i = len(lows), 0
    while i < n:
        t = lows[i]
        top = index.first.get(t) or (index.first.get(t[:-1], 0) if t[-1] == "s" and len(t) > 3 else 0)
        found = None
        if top:
            top = min(top, n - i)
            if top > 1 and t + " " + lows[i + 1] not in index.pairs and t[:-1] + " " + lows[i + 1] not in index.pairs:
                top = 1
            if top == 1 and t not in index.lower_ok and t[:-1] not in index.lower_ok and text[starts[i]].islower() \
                    and text[starts[i]:ends[i]].islower():
                top = 0
        if top:
            lim = 1
            while lim < top and text[ends[i + lim - 1]:starts[i + lim]] in _GAPS:
                lim += 1
            for k in range(lim, 0, -1):
                j = i + k
                key = t if k == 1 else " ".join(lows[i:j])
                cands, cased = index.forms.get(key), None
                if cands is None and key[-1] == "s" and len(key) > 3:
                    cands = index.forms.get(key[:-1])
                    if cands:
                        cased = _cased(text, starts, ends, i, j)[:-1]
                if cands:
                    ok = _accept(index, cands, cased or _cased(text, starts, ends, i, j), text, starts, ends, lows, i, j,
                                 title)
                    if ok:
                        found = (j, ok)
                        break
        if found is None and i + 1 < n and text[ends[i]:starts[i + 1]] in _TIGHT:
            lim = i + 1
            while lim < n and lim - i < 5 and text[ends[lim - 1]:starts[lim]] in _TIGHT:
                lim += 1
            for j in range(lim, i + 1, -1):
                cands = index.forms.get("".join(lows[i:j]))
                if cands:
                    ok = _accept(index, cands, _cased(text, starts, ends, i, j), text, starts, ends, lows, i, j, title)
                    if ok:
                        found = (j, ok)
                        break
        if found is None:
            i += 1
            continue
        j, entries = found
        if j - i == 1 and hits and hits[-1].j == i and text[ends[i - 1]:starts[i]] == "-":
            i = j
            continue
        hits.append(Hit(i, j, starts[i], ends[j - 1], entries))
        i = j
    return hits


def test_gazetteer_scan_equals_the_reference_scan(texts: list[str]) -> None:
    from kg.extract import collect_definitions
    from kg.extract.gazetteer import scan
    from kg.link import Lexicon

    lexicon = Lexicon.default()
    lexicon.learn(sorted({p for r in read([str(_CORPUS)]) for p in collect_definitions(r)}))
    index = lexicon._index
    for n, text in enumerate(texts):
        doc = Doc.of("title" if n % 2 else "abstract", text)
        title = doc.field == "title"
        assert scan(index, text, doc.starts, doc.ends, doc.lows, title, doc.gaps) == \
            _reference_scan(index, text, doc.starts, doc.ends, doc.lows, title), text
