"""The gazetteer scan: longest token-sequence match of list names over a tokenised field.

A dict lookup per token (first token -> longest form) keeps this linear and fast; only tokens that
can start a name pay for building n-gram keys. Case-sensitivity, cue words and the "generic phrase"
guard are applied here so every extractor sees only matches that are plausible mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.link import CUES, Hit

if TYPE_CHECKING:
    from kg.link import Form, _Index

#: Separators allowed inside one name: "CIFAR-10", "GPT-3.5", "ViT-B/16", "Natural Questions".
_GAPS = frozenset(("", " ", "-", "/", ".", "'", "\u2019", "\u2013", "\u2010", "\u2011"))
_TIGHT = frozenset(("", "-", "/", ".", "\u2010", "\u2011", "\u2013"))
_SENT_END = frozenset(".!?:")


def _cased(text: str, starts: tuple[int, ...], ends: tuple[int, ...], i: int, j: int) -> str:
    return "".join(text[starts[q]:ends[q]] for q in range(i, j))


def _shows_name(text: str, starts: tuple[int, ...], ends: tuple[int, ...], lows: tuple[str, ...],
                i: int, j: int, title: bool) -> bool:
    """Does the surface look like a proper name rather than a descriptive phrase?"""
    if j - i > 1 and len(lows[i]) == 1 and text[ends[i]:starts[i + 1]] == "-":
        return True  # k-means, t-SNE
    if title:
        return any(any(c.isupper() for c in text[starts[q] + 1:ends[q]]) or any(c.isdigit() for c in lows[q])
                   for q in range(i, j))
    surface = text[starts[i]:ends[j - 1]]
    if any(c.isupper() or c.isdigit() for c in surface[1:]):
        return True
    if not surface[0].isupper():
        return False
    before = text[:starts[i]].rstrip()
    return bool(before) and before[-1] not in _SENT_END


def _cue(kind: str, lows: tuple[str, ...], i: int, j: int) -> bool:
    cues = CUES.get(kind, frozenset())
    return (j < len(lows) and lows[j] in cues) or (i > 0 and lows[i - 1] in cues)


def _accept(index: _Index, forms: list[Form], cased: str, text: str, starts: tuple[int, ...],
            ends: tuple[int, ...], lows: tuple[str, ...], i: int, j: int, title: bool) -> tuple[int, ...]:
    out: list[int] = []
    for form in forms:
        entry = index.entries[form.entry]
        if form.exact and form.cased != cased:
            continue
        if form.caps and sum(c.isupper() for c in cased) < 2:
            continue
        if form.cue and not _cue(entry.kind, lows, i, j):
            continue
        if entry.generic and not (_shows_name(text, starts, ends, lows, i, j, title) or _cue(entry.kind, lows, i, j)):
            continue
        if form.entry not in out:
            out.append(form.entry)
    return tuple(out)


def scan(index: _Index, text: str, starts: tuple[int, ...], ends: tuple[int, ...],
         lows: tuple[str, ...], title: bool = False) -> list[Hit]:
    """All non-overlapping longest matches, left to right."""
    forms, first, pairs, lower_ok = index.forms, index.first, index.pairs, index.lower_ok
    hits: list[Hit] = []
    n = len(lows)
    i = 0
    while i < n:
        t = lows[i]
        top = first.get(t) or (first.get(t[:-1], 0) if t[-1] == "s" and len(t) > 3 else 0)
        found: tuple[int, tuple[int, ...]] | None = None
        if top:
            top = min(top, n - i)
            if top > 1 and t + " " + lows[i + 1] not in pairs and t[:-1] + " " + lows[i + 1] not in pairs:
                top = 1
            if top == 1 and t not in lower_ok and t[:-1] not in lower_ok and text[starts[i]].islower():
                top = 0  # only capitalised spellings exist (IN, THE, QuALITY): skip "in", "the"
        if top:
            lim = 1
            while lim < top and text[ends[i + lim - 1]:starts[i + lim]] in _GAPS:
                lim += 1
            for k in range(lim, 0, -1):
                j = i + k
                key = t if k == 1 else " ".join(lows[i:j])
                cands = forms.get(key)
                cased = None
                if cands is None and key[-1] == "s" and len(key) > 3:
                    cands = forms.get(key[:-1])
                    if cands:
                        cased = _cased(text, starts, ends, i, j)[:-1]
                if cands:
                    ok = _accept(index, cands, cased or _cased(text, starts, ends, i, j), text, starts, ends,
                                 lows, i, j, title)
                    if ok:
                        found = (j, ok)
                        break
        if found is None and i + 1 < n and text[ends[i]:starts[i + 1]] in _TIGHT:
            lim = i + 1
            while lim < n and lim - i < 5 and text[ends[lim - 1]:starts[lim]] in _TIGHT:
                lim += 1
            for j in range(lim, i + 1, -1):
                cands = forms.get("".join(lows[i:j]))
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
            i = j  # the tail of a hyphenated name already matched (BERT-BASE, not BASE)
            continue
        hits.append(Hit(i, j, starts[i], ends[j - 1], entries))
        i = j
    return hits
