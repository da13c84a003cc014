"""The title's task phrases: the strongest evidence of what a paper addresses.

A title is short and states its subject ("X for Video Frame Interpolation", "X: Automatic Data
Curation"), so every phrase with an activity head is a candidate, scored high; a title's verb or gerund
opening a purpose names a task once nominalised, object first ("Identifying Climate Targets" -> "climate
target identification", "S-LoRA: Serving LoRA Adapters" -> "lora adapter serving"). A phrase of three or
more compounds is cut to the longest suffix the abstract repeats.
"""

from __future__ import annotations

from itertools import compress

from kg.extract.sentences import Doc
from kg.extract.tasks.phrases import (
    _modifies,
    _normal,
    _object,
    _phrase_back,
    _phrase_forward,
    _singular,
    _task_words,
    _verbal,
    _View,
)
from kg.extract.tasks.pool import Pool, _add
from kg.extract.tasks.vocab import _vocab
from kg.extract.tasks.words import _BROAD_WORDS, _FOR_TO, _HYPHENS, _LEAD_GERUNDS, _NOMINAL, _VAGUE_GERUNDS


def _read_title(cands: Pool, title: Doc, suffix_count: dict[tuple[str, ...], int]) -> dict[int, int]:
    """Add the title's phrases to ``cands`` (``suffix_count``: the abstract's, see
    :func:`~kg.extract.tasks.abstract._read_abstract`); return the title's covered heads (head token ->
    first token of the phrase read there)."""
    heads, _, plural, triggers = _vocab()
    covered_title: dict[int, int] = {}
    tl = title.lows
    if not triggers.isdisjoint(tl):
        tv = _View(title)
        tgaps, tstarts, tends, tn = tv.gaps, tv.starts, tv.ends, tv.n
        prev_phrase: tuple[int, list[str], list[int]] | None = None
        for h in compress(range(tn), map(triggers.__contains__, tl)):
            w = tl[h]
            if h + 1 < tn and (
                    tgaps[h] in _HYPHENS or tgaps[h] == " " and w in heads and _modifies(w, tl[h + 1], heads)):
                continue
            read = _phrase_back(tv, h)
            if read is None:
                continue
            firsts, words = read
            first = firsts[0]
            if len(words) == 1 and prev_phrase is not None and first >= 1 and tl[first - 1] == "and" \
                    and prev_phrase[0] == first - 2 and len(prev_phrase[1]) > 1:
                words = [*prev_phrase[1][:-1], words[0]]  # "tool classification and localization"
                firsts = [*prev_phrase[2][:-1], first]  # the evidence spans both
            prev_phrase = (h, words, firsts)
            covered_title[h] = first
            if w in _NOMINAL and first == h and (first == 0 or tl[first - 1] in ("for", "to", "towards")
                                  or ":" in tgaps[first - 1]):
                verb_phrase = _verbal(tv, h, w)  # "Identifying Climate Targets"
                if verb_phrase is not None:
                    _add(cands, verb_phrase[0], 6.0, title, tstarts[h], verb_phrase[1])
                continue
            if w not in heads:
                continue  # a verb ("by Summarizing X") that does not open a purpose
            if first == h and w.endswith("ing") and w not in _VAGUE_GERUNDS and w not in _LEAD_GERUNDS and (
                    first == 0 or tl[first - 1] in _FOR_TO or ":" in tgaps[first - 1]):
                obj, obj_end = _object(tv, h + 1, names=True, skip=False)
                if obj:  # "for Mining Model Packages", "S-LoRA: Serving LoRA Adapters": the object, then the head
                    _add(cands, (*obj[-3:-1], _singular(obj[-1]), w), 6.0, title, tstarts[first], tends[obj_end])
                    continue
            if h + 2 < tn and tl[h + 1] == "of" and tgaps[h] == " " and words[-1] not in _VAGUE_GERUNDS:
                obj, obj_end = _phrase_forward(tv, h + 2, 3)
                if obj and len(obj) <= 3 and obj[-1] not in heads:  # "Early Prediction of Misinformation"
                    _add(cands, (*obj[:-1], _singular(obj[-1]), words[-1]), 6.0, title, tstarts[first],
                         tends[obj_end])
                    continue
            norm = _normal(words, plural)
            if len(norm) > 2:  # prefer the longest suffix the abstract repeats
                for n in range(len(norm), 1, -1):
                    if suffix_count.get(norm[-n:], 0) >= 2 and norm[-n:] not in _BROAD_WORDS:
                        norm = norm[-n:]
                        break
                else:
                    while len(_task_words(norm)) > 4 and len(norm) > 2:
                        norm = norm[1:]
            score = 6.0 if len(norm) > 1 else 3.0
            cand = _add(cands, norm, score, title,
                        tstarts[firsts[-len(norm)]] if len(norm) <= len(firsts) else tstarts[first], tends[h])
            cand[0] = max(cand[0], score) + 1.0 if cand[4] else max(cand[0], score)

    return covered_title
