"""The gazetteer scan: longest token-sequence match of list names over a tokenised field.

Tokens that can start no name are skipped in C (:func:`_positions`); the rest read one precomputed
:class:`kg.link.Start` (longest form, possible next tokens) before any n-gram key is built.
Case-sensitivity, cue words and the "generic phrase" guard are applied here so every extractor sees
only matches that are plausible mentions.
"""

from __future__ import annotations

from itertools import compress, count, islice
from typing import TYPE_CHECKING

from kg.link import CUES, JOINED_PREFIX, Hit

if TYPE_CHECKING:
    from kg.link import Form, _Index

#: Separators allowed inside one name: "CIFAR-10", "GPT-3.5", "ViT-B/16", "Natural Questions".
_GAPS = frozenset(("", " ", "-", "/", ".", "'", "\u2019", "\u2013", "\u2010", "\u2011"))
_TIGHT = frozenset(("", "-", "/", ".", "\u2010", "\u2011", "\u2013"))
_SENT_END = frozenset(".!?:")
_NO_NEXT: frozenset[str] = frozenset()
#: At most this many spellings are memoised per lexicon (see :attr:`kg.link.ScanTables.accepted`).
_MEMO_SIZE = 50_000


def _cased(text: str, starts: tuple[int, ...], ends: tuple[int, ...], i: int, j: int) -> str:
    """The tokens i..j-1 as written, without what separates them."""
    if j - i == 1:
        return text[starts[i]:ends[i]]
    return "".join(map(text.__getitem__, map(slice, starts[i:j], ends[i:j])))


def _shows_name(text: str, starts: tuple[int, ...], ends: tuple[int, ...], lows: tuple[str, ...],
                i: int, j: int, title: bool) -> bool:
    """Does the surface look like a proper name rather than a descriptive phrase?"""
    if j - i > 1 and len(lows[i]) == 1 and text[ends[i]:starts[i + 1]] == "-" and (
            text[starts[i]].islower() or any(c.isupper() for c in text[starts[i + 1]:ends[j - 1]])):
        return True  # k-means, t-SNE, K-Means; not "E-commerce" opening a sentence
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
    capitals = -1  #: capitals in ``cased``, counted when a form first asks
    for form in forms:
        if form.exact and form.cased != cased:
            continue
        if form.caps:
            if capitals < 0:
                capitals = sum(map(str.isupper, cased))
            if capitals < 2:
                continue
        entry = index.entries[form.entry]
        if form.cue and not _cue(entry.kind, lows, i, j):
            continue
        if entry.generic and not (_shows_name(text, starts, ends, lows, i, j, title) or _cue(entry.kind, lows, i, j)):
            continue
        if form.entry not in out:
            out.append(form.entry)
    return tuple(out)


def _gaps(text: str, starts: tuple[int, ...], ends: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(text[ends[q]:starts[q + 1]] for q in range(len(starts) - 1))


def _positions(index: _Index, text: str, starts: tuple[int, ...], ends: tuple[int, ...], lows: tuple[str, ...],
               gaps: tuple[str, ...]) -> list[int]:
    """Token indexes where :func:`scan` can find a match, ascending (a superset; :func:`scan` decides).

    A match of one token needs the token to be a whole key (or its plural) that may match in lower
    case, or is written here with a capital or digit first or a capital inside (vLLM); a longer match
    needs the next token to continue one of its multi-token forms (:attr:`kg.link.ScanTables.pairs`);
    a joined match (GSM-8K) needs a tight separator and the two tokens' concatenation to begin some key
    without spaces. Each token-wide test is one C-level ``map`` over the field, so the Python loop in
    :func:`scan` visits a few positions per hundred tokens instead of every capitalised word.
    """
    tables = index.tables()
    lower_ok = tables.alone_lower
    found = [i for i in compress(count(), map(tables.alone.__contains__, lows))
             if lows[i] in lower_ok or not text[starts[i]].islower() or not text[starts[i]:ends[i]].islower()]
    found += compress(count(), map(tables.pairs.__contains__, zip(lows, islice(lows, 1, None), strict=False)))
    joined = tables.joined
    found += [i for i in compress(count(), map(_TIGHT.__contains__, gaps))
              if (lows[i] + lows[i + 1])[:JOINED_PREFIX] in joined]
    return sorted(set(found))


def scan(index: _Index, text: str, starts: tuple[int, ...], ends: tuple[int, ...],
         lows: tuple[str, ...], title: bool = False, gaps: tuple[str, ...] | None = None) -> list[Hit]:
    """All non-overlapping longest matches, left to right.

    ``gaps`` (the text between consecutive tokens, as :class:`kg.extract.sentences.Doc` holds it)
    is derived when not given.
    """
    if gaps is None:
        gaps = _gaps(text, starts, ends)
    tables = index.tables()
    forms, info, prefixes = index.forms, tables.starts, tables.prefixes
    plain, accepted = tables.plain, tables.accepted
    hits: list[Hit] = []
    n = len(lows)
    done = 0  #: tokens before this one are inside a hit already
    for i in _positions(index, text, starts, ends, lows, gaps):
        if i < done:
            continue
        t = lows[i]
        found: tuple[int, tuple[int, ...]] | None = None
        start = info.get(t)
        top = min(start.top, n - i) if start is not None else 0
        if top > 1 and lows[i + 1] not in start.nexts:  # type: ignore[union-attr]
            top = 1
        if top == 1 and not start.lower_ok and text[starts[i]].islower() and \
                text[starts[i]:ends[i]].islower():  # type: ignore[union-attr]
            top = 0  # only spellings with capitals exist (IN, THE, QuALITY, vLLM): skip "in", "the", "vllm"
        if top:
            lim = 1
            prefix = t  # no key has more tokens than the longest of its prefixes seen in the text + 1
            while lim < top and gaps[i + lim - 1] in _GAPS and prefix in prefixes:
                prefix += " " + lows[i + lim]
                lim += 1
            for k in range(lim, 0, -1):
                j = i + k
                key = t if k == 1 else " ".join(lows[i:j])
                cands = forms.get(key)
                cased = None
                if cands is None and key[-1] == "s" and len(key) > 3:
                    key = key[:-1]
                    cands = forms.get(key)
                    if cands:
                        cased = _cased(text, starts, ends, i, j)[:-1]
                if cands:
                    cased = cased or _cased(text, starts, ends, i, j)
                    ok = accepted.get((key, cased)) if key in plain else None
                    if ok is None:
                        ok = _accept(index, cands, cased, text, starts, ends, lows, i, j, title)
                        if key in plain and len(accepted) < _MEMO_SIZE:
                            accepted[key, cased] = ok
                    if ok:
                        found = (j, ok)
                        break
        if found is None and i + 1 < n and gaps[i] in _TIGHT:
            lim = i + 1
            while lim < n and lim - i < 5 and gaps[lim - 1] in _TIGHT:
                lim += 1
            for j in range(lim, i + 1, -1):
                cands = forms.get("".join(lows[i:j]))
                if cands:
                    ok = _accept(index, cands, _cased(text, starts, ends, i, j), text, starts, ends, lows, i, j, title)
                    if ok:
                        found = (j, ok)
                        break
        if found is None:
            continue
        j, entries = found
        done = j
        if j - i == 1 and hits and hits[-1].j == i and gaps[i - 1] == "-":
            continue  # the tail of a hyphenated name already matched (BERT-BASE, not BASE)
        hits.append(Hit(i, j, starts[i], ends[j - 1], entries))
    return hits
