"""The abstract's task phrases: every head word with its modifiers, its cue, and how often it recurs.

This is the hot path of task extraction (it runs on every abstract, over every trigger token), so it is
one loop with the phrase reader (:func:`~kg.extract.tasks.phrases._phrase_back`) and the cue
(:func:`~kg.extract.tasks.cues._cue`) inlined, and it skips at once a head mentioned once with no cue
word near it, which cannot score enough. A phrase of one compound is a candidate at once; longer ones
wait until every phrase is read, to be cut to the suffix the abstract repeats ("video frame
interpolation" and "frame interpolation" count for one another).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import compress

from kg.extract.acronyms import Definition
from kg.extract.sentences import Doc
from kg.extract.tasks.cues import _cue_words
from kg.extract.tasks.phrases import _MOD_CACHE, MAX_WORDS, _is_mod, _phrase_back, _verbal, _View
from kg.extract.tasks.pool import Pool, _add
from kg.extract.tasks.vocab import _single_keys, _vocab
from kg.extract.tasks.words import (
    _AIMS,
    _ANCHORS,
    _AND_OR,
    _COMPOUND,
    _CONTINUERS,
    _CUE_P1,
    _FOR_TO,
    _HYPHENS,
    _NOMINAL,
    _NON_MOD,
    _PROCESSES,
    _PURPOSE_NOUNS,
    _SKIP,
    _SKIP_OR_CUE,
    _TASK_NEXT,
    _TASK_NOUNS,
)

_NEVER = 1 << 62  #: an offset past every text


def _read_abstract(cands: Pool, title: Doc, abstract: Doc, defined: dict[int, str],
                   definition_at: dict[int, Definition]) -> tuple[_View, dict[int, int], dict[tuple[str, ...], int]]:
    """Add the abstract's phrases to ``cands``; return the abstract's view, its covered heads (head token
    -> first token of the phrase read there) and the suffix counts (suffixes of two or more compounds ->
    phrases ending so), which the title and the task list use. ``defined``, ``definition_at``: the
    abstract's acronym definitions by the end of their expansion."""
    heads, _, plural, triggers = _vocab()
    single_keys = _single_keys()
    covered_abstract: dict[int, int] = {}  #: head token -> first token of the phrase read there
    longer: list[tuple[tuple[str, ...], list[int], int, float]] = []  #: (normal form, firsts, head, cue)
    suffix_count: dict[tuple[str, ...], int] = {}  #: suffixes of two or more compounds -> phrases ending so
    av = _View(abstract)
    lows, gaps, starts, ends, n_tok, text = av.lows, av.gaps, av.starts, av.ends, av.n, av.text
    sent_starts = abstract.sent_starts
    n_sents = len(sent_starts)
    #: the sentence of the phrase read last: its index, start offset, and the next one's start offset
    si, sent_char, next_char = 0, sent_starts[0], sent_starts[1] if n_sents > 1 else _NEVER
    mod_cache = _MOD_CACHE
    enum_end = -10
    prev_h, prev_words = -10, None  #: the last phrase read: head token, compounds (None: only one)
    verbal: list[tuple[tuple[str, ...], int, int, float]] = []
    split: list[tuple[tuple[str, ...], int, int, str]] = []  #: phrases split by their acronym: words, span, short
    found = list(compress(range(n_tok), map(triggers.__contains__, lows)))
    # Heads that can make a task: repeated in the abstract or named in the title (so repetition or the
    # title can lift them); any other needs a cue nearby (checked below) or the abstract's opening words.
    seen: set[str] = set()
    lifted = {plural.get(w, w) for w in title.lows if w in heads}
    for h in found:
        w = plural.get(lows[h], lows[h])
        if w in seen:
            lifted.add(w)
        seen.add(w)
    for h in found:
        w = lows[h]
        if w in _NOMINAL and h > 1 and (lows[h - 1] in _FOR_TO or lows[h - 1] == "of" and lows[h - 2] in _TASK_NOUNS):
            verb_phrase = _verbal(av, h, w)
            if verb_phrase is not None:  # "a method to select X", "the problem of detecting X"
                purpose = lows[h - 2] in _PURPOSE_NOUNS or lows[h - 2] in _AIMS
                verbal.append((verb_phrase[0], starts[h], verb_phrase[1],
                               4.0 if lows[h - 1] == "of" else 3.0 if purpose else 2.0))
            continue
        if w not in heads or (h + 1 < n_tok and gaps[h] in _HYPHENS):
            continue
        if h > 11 and enum_end < 0 and plural.get(w, w) not in lifted and _ANCHORS.isdisjoint(lows[h - 9:h]) and (
                h + 1 >= n_tok or lows[h + 1] not in _TASK_NEXT) and ends[h] not in defined:
            continue  # one mention, no cue: it cannot score enough, so its phrase is not read
        if h + 1 < n_tok and gaps[h] == " " and (
                lows[h + 1] in heads or w in _PROCESSES and lows[h + 1] in _CONTINUERS):
            continue  # a modifier of a longer phrase (see _modifies, inlined)
        if definition_at and h > 1 and gaps[h - 1] == ") " and gaps[h - 2] == " (":
            short = definition_at.get(ends[h - 2])
            if short is not None and short.acronym.lower() == lows[h - 1]:  # "math word problem (MWP) solving"
                split.append(((*_COMPOUND.findall(short.expansion.lower())[-MAX_WORDS + 1:], plural.get(w, w)),
                              short.exp_start, ends[h], f"{short.acronym} {text[starts[h]:ends[h]]}"))
        # The phrase (see _phrase_back, inlined for one-token heads): ``unit`` when it is one compound,
        # else ``words`` and ``firsts``.
        words: list[str] | None = None
        firsts: list[int] = []
        gap = gaps[h - 1] if h else ""
        if gap in _HYPHENS:
            read = _phrase_back(av, h)
            if read is None:
                continue
            firsts, words = read
            first = firsts[0]
            if len(words) == 1:
                unit, words = words[0], None
            else:
                covered_abstract[h] = first
        else:
            unit = w
            first = h
            while gap == " ":
                f = first - 1
                if f and gaps[f - 1] in _HYPHENS:
                    while f and gaps[f - 1] in _HYPHENS:
                        f -= 1
                    word = "-".join(lows[f:first])
                else:
                    word = lows[f]
                    if word in _NON_MOD:
                        break
                surface = text[starts[f]:ends[first - 1]]
                got = mod_cache.get(surface)
                if got is not None and got[0] == word:
                    if not got[1]:
                        break
                elif not _is_mod(word, surface):
                    break
                if words is None:
                    words, firsts = [w], [h]
                words.append(word)
                firsts.append(f)
                first = f
                if len(words) == 6 or not f:
                    break
                gap = gaps[f - 1]
            if words is not None:
                words.reverse()
                firsts.reverse()
                covered_abstract[h] = first
        # Its cue (see _cue, inlined): nothing unless an enumeration runs, a "task" follows, or the word
        # before is a cue or a skipped determiner (then in the phrase's sentence: phrases lie in one
        # sentence and come in text order; a token is in it when it starts at or after ``sent_char``).
        if enum_end < 0 and (not first or lows[first - 1] not in _SKIP_OR_CUE) and (
                h + 1 >= n_tok or lows[h + 1] not in _TASK_NEXT):
            cue = 0.0
        else:
            sf = starts[first]
            while next_char <= sf:
                si += 1
                sent_char = next_char
                next_char = sent_starts[si + 1] if si + 1 < n_sents else _NEVER
            f0 = first
            while f0 and f0 - 1 > enum_end and lows[f0 - 1] in _SKIP and starts[f0 - 1] >= sent_char:
                f0 -= 1
            if enum_end >= 0 or (f0 and lows[f0 - 1] in _CUE_P1 and starts[f0 - 1] >= sent_char) or (
                    h + 1 < n_tok and lows[h + 1] in _TASK_NEXT):
                cue, chain = _cue_words(lows, gaps, bisect_right(starts, sent_char - 1), f0, h, enum_end, first == h)
                enum_end = h if chain else -10
            else:
                cue = 0.0
        if words is None and prev_words is not None and prev_h == first - 2 and lows[first - 1] in _AND_OR and (
                h + 1 >= n_tok or gaps[h] != " " or lows[h + 1] in _NON_MOD or lows[h + 1] in _TASK_NOUNS):
            # "entity detection and linking" (but "learning and pure-exploration bandits": another phrase)
            words = [*prev_words[:-1], unit]
            firsts = [first] * len(words)
            covered_abstract[h] = first  # the listed "linking" alone is no candidate of its own
        prev_h, prev_words = h, words
        if words is None:
            one = single_keys.get(unit) or (plural.get(unit, unit),)
            cand = cands.get(one)
            if cand is None:
                cand = cands[one] = [cue, abstract, starts[first], ends[h], 1, None, h]
            else:
                if cue > cand[0]:
                    cand[0:4] = cue, abstract, starts[first], ends[h]
                cand[4] = 1
            if first == 0 and cand[0] < 2.5:
                cand[0] = 2.5  # the opening words of the abstract: its topic
            if defined:
                acronym = defined.get(ends[h])
                if acronym is not None:  # "Fine-Grained Visual Classification (FGVC)": named to be used again
                    cand[0] += 1.5
                    cand[4] += text.count(acronym) - 1
        else:
            last = words[-1]
            norm = (*words[-MAX_WORDS:-1], plural.get(last, last))
            for n in range(2, len(norm) + 1):
                suffix = norm[-n:]
                suffix_count[suffix] = suffix_count.get(suffix, 0) + 1
            longer.append((norm, firsts, h, cue))
    for norm, firsts, h, cue in longer:
        size = len(norm)
        best = norm[-3:] if size > 3 else norm
        if size > 2:
            for n in range(size, 1, -1):
                if suffix_count[norm[-n:]] >= 2:
                    best = norm[-n:]
                    break
        count = suffix_count[best]
        cand = cands.get(best)
        if cand is None:
            cand = cands[best] = [cue, abstract, starts[firsts[-len(best)]], ends[h], count, None, h]
        else:
            if cue > cand[0]:
                cand[0:4] = cue, abstract, starts[firsts[-len(best)]], ends[h]
            cand[4] = count
        if firsts[0] == 0 and cand[0] < 2.5:
            cand[0] = 2.5
        if defined:
            acronym = defined.get(ends[h])
            if acronym is not None:
                cand[0] += 1.5
                cand[4] += text.count(acronym) - 1

    for swords, start, end, short_form in split:  # named again as "MWP solving": repeated, and important
        cand = _add(cands, swords, 1.5, abstract, start, end)
        cand[4] = max(cand[4], 1 + text.count(short_form))
    for vwords, start, end, cue in verbal:  # "for estimating the treatment effect (ATE)"
        cand = _add(cands, vwords, cue, abstract, start, end)
        acronym = defined.get(end)
        if acronym is not None:
            cand[0] += 1.5
            cand[4] = max(cand[4], text.count(acronym))
    return av, covered_abstract, suffix_count
