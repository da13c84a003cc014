"""Cues: how strongly the words around a phrase say it is what the paper addresses.

A phrase after "we address", "the problem of", "a framework designed for" or "tasks such as", or before
"task" or "benchmarks", is a stated purpose; the same phrase elsewhere is only a mention. The cue is one
of the scores :mod:`kg.extract.tasks.ranking` adds up. The abstract's loop
(:mod:`kg.extract.tasks.abstract`) inlines :func:`_cue` and calls :func:`_cue_words` only when the word
before a phrase could be a cue.
"""

from __future__ import annotations

from kg.extract.tasks.phrases import _View
from kg.extract.tasks.words import (
    _AND_OR,
    _DATA_NEXT,
    _ENUM_CUES,
    _IMPROVE,
    _PURPOSE_NOUNS,
    _SKIP,
    _STUDY_VERBS,
    _TASK_NEXT,
    _TASK_NOUNS,
)


def _cue(v: _View, first: int, last: int, enum_end: int) -> tuple[float, bool]:
    """How strongly the words around tokens ``first..last`` say this phrase is what the paper addresses,
    and whether a following coordinated phrase shares the cue ("tasks such as X, Y and Z")."""
    lows = v.lows
    single = first == last
    sent = v.sentence_start(first)  # cue words stay in the phrase's sentence
    while first > sent and first - 1 > enum_end and lows[first - 1] in _SKIP:
        first -= 1  # "for the scalable X": the cue is before the determiner and adjectives
    return _cue_words(lows, v.gaps, sent, first, last, enum_end, single)


def _cue_words(lows: tuple[str, ...], gaps: tuple[str, ...], sent: int, first: int, last: int,
               enum_end: int, single: bool) -> tuple[float, bool]:
    """:func:`_cue` once ``first`` stands after the skipped determiners and adjectives (``sent``: the
    sentence's first token; ``single``: the phrase is one token)."""
    p1 = lows[first - 1] if first > sent else ""
    p2 = lows[first - 2] if first > sent + 1 else ""
    if p1 == "of" and p2 in _TASK_NOUNS:
        return 4.0, True  # "the problem of X"
    if p1 in _STUDY_VERBS or (p1 in ("the", "on") and p2 in _STUDY_VERBS) or (p1 == "on" and p2 == "focus"):
        return 3.0, True  # "we address X", "we focus on X"
    if p1 in _IMPROVE and not single:
        return 3.0, False  # "to improve time series classification" (but "improve classification" performance)
    if p1 == "for" and (p2 in _PURPOSE_NOUNS or (first > sent + 2 and lows[first - 3] in _PURPOSE_NOUNS)):
        return 3.0, True  # "a framework designed for X", "datasets for X"
    if (p1 in _ENUM_CUES or (p1 == "as" and p2 == "such")) and not _TASK_NOUNS.isdisjoint(
            lows[max(0, first - 6):first]):
        return 3.0, True  # "tasks such as X"
    if 0 <= enum_end < first <= enum_end + 4 and ("," in gaps[first - 1] or p1 in _AND_OR):
        return 3.0, True  # the next item of an enumeration
    if last + 1 < len(lows) and lows[last + 1] in _TASK_NEXT:
        if lows[last + 1] not in _DATA_NEXT:
            return 2.5, False  # "the X task"
        if not single:
            return 2.0, False  # "code generation benchmarks" (not "the MT benchmark": a name)
    return 0.0, False

