"""Cheap cue-word search, so a costly regex runs only where it can match.

Most extraction patterns start with (or must contain) a literal cue word — "we", "called",
"dataset", "github.com". Python's regex engine tries a pattern at every offset of a text, which costs
tens of microseconds per pattern per abstract; ``str.find`` locates the few offsets where the cue
occurs in well under a microsecond. :func:`anchored` then runs the pattern only there, giving
exactly the matches ``pattern.finditer`` would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def find_all(text: str, words: Iterable[str], start: int = 0, end: int | None = None) -> list[int]:
    """Sorted offsets of every occurrence of every word in ``text[start:end]`` (overlaps included)."""
    stop = len(text) if end is None else end
    found: list[int] = []
    for word in words:
        at = text.find(word, start, stop)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1, stop)
    found.sort()
    return found


def anchored(pattern: re.Pattern[str], text: str, candidates: Iterable[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` when every match of ``pattern`` must begin at a candidate offset.

    ``finditer`` tries each offset from the end of the previous match on; trying only the candidate
    offsets (sorted, those inside a previous match skipped) finds the same matches as long as no
    match can start elsewhere. ``pattern.match(text, pos)`` still sees the text before ``pos``, so
    look-behinds and ``\\b`` behave as in ``finditer``. Patterns must not match the empty string.
    """
    out: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for pos in sorted(set(candidates)):
        if pos < end:
            continue
        m = match(text, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out
