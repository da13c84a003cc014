"""A paper's task candidates while they are gathered: phrase -> ``[score, doc, start, end, count, entry,
order]``.

Every reader (:mod:`~kg.extract.tasks.abstract`, :mod:`~kg.extract.tasks.title`,
:mod:`~kg.extract.tasks.names`) adds to the same pool, so a phrase found twice keeps its best evidence.
Candidates are lists, not objects, because most of them are dropped unseen and this runs on every
abstract; the order field breaks ties between equal scores (the abstract's phrases use their head's
token index, every later candidate :data:`_LATE` plus the pool's size).
"""

from __future__ import annotations

from typing import Any

from kg.extract.sentences import Doc

#: phrase -> [score, doc, start, end, count, entry, order]
Pool = dict[tuple[str, ...], list[Any]]

#: Order of candidates made after the abstract's phrases (whose order is their head's token index).
_LATE = 1 << 40


def _add(cands: Pool, words: tuple[str, ...], score: float, doc: Doc, s: int, e: int) -> list[Any]:
    """The candidate ``words``, made if new, its evidence replaced if ``score`` beats it."""
    cand = cands.get(words)
    if cand is None:
        cand = cands[words] = [score, doc, s, e, 0, None, _LATE + len(cands)]
    elif score > cand[0]:
        cand[0:4] = score, doc, s, e
    return cand
