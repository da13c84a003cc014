"""Ranking a paper's task candidates: gather them from every reader, add up their evidence, drop what is
no task, best first.

The readers run in a fixed order, which also fixes the tie-breaking order of equal scores: acronym
definitions and coined names (:mod:`~kg.extract.tasks.names`), the abstract's phrases
(:mod:`~kg.extract.tasks.abstract`), the title's (:mod:`~kg.extract.tasks.title`), then the task list's
names. A candidate's score is its best evidence plus 0.75 per repeated mention (up to three); broad
fields, coined names and bare head words the list does not know are dropped.
"""

from __future__ import annotations

from typing import Any

from kg.extract.context import Context
from kg.extract.sentences import Doc
from kg.extract.tasks.abstract import _read_abstract
from kg.extract.tasks.names import _add_listed, _lookup, _read_definitions
from kg.extract.tasks.pool import Pool
from kg.extract.tasks.title import _read_title
from kg.extract.tasks.vocab import _CORE_HEADS
from kg.extract.tasks.words import _BROAD_WORDS, _STOP, _WEAK_HEADS
from kg.link import Entry


class _Cand:
    """A candidate as :func:`candidates` reports it (to inspect or tune the rules)."""

    __slots__ = ("words", "score", "doc", "start", "end", "count", "entry", "order")

    def __init__(self, words: tuple[str, ...], score: float, doc: Doc, start: int, end: int, order: int) -> None:
        self.words = words
        self.score = score
        self.doc = doc
        self.start = start
        self.end = end
        self.count = 0
        self.entry: Entry | None = None
        self.order = order


def candidates(ctx: Context) -> list[tuple[float, _Cand]]:
    """Every task candidate with its score, best first."""
    out = []
    for neg, order, words, (base, doc, start, end, count, entry, _) in _ranked(ctx, None):
        cand = _Cand(words, base, doc, start, end, order)
        cand.count, cand.entry = count, entry
        out.append((-neg, cand))
    return out


def _ranked(ctx: Context, floor: float | None) -> list[tuple[float, int, tuple[str, ...], list[Any]]]:
    """(minus score, order, phrase, [base score, doc, start, end, count, entry, order]) of the candidates
    (scoring ``floor`` or more if given), best first: what :func:`candidates` reports, without objects."""
    title, abstract = ctx.docs
    lexicon = ctx.lexicon
    #: phrase -> [score, doc, start, end, count, entry, order] (lists: most candidates are dropped unseen)
    cands: Pool = {}
    # Acronym definitions: a task phrase defined is important; a coined name's expansion is no task.
    defined, definition_at, coined = _read_definitions(ctx)
    av, covered_abstract, suffix_count = _read_abstract(cands, title, abstract, defined, definition_at)
    covered_title = _read_title(cands, title, suffix_count)
    _add_listed(ctx, cands, av, covered_title, covered_abstract)

    ranked = []
    for phrase, cand in cands.items():
        base = cand[0]
        count = cand[4]
        score = base + min(count - 1, 3) * 0.75 if count > 1 else base
        if floor is not None and score < floor:
            continue
        if phrase[-1] in _STOP or phrase in coined or phrase in _BROAD_WORDS:
            continue
        if len(phrase) == 1:  # a bare head word is a task only when the list knows it ("Classification")
            label = phrase[0]
            if label in _WEAK_HEADS or score < 3.0:
                continue
            if cand[5] is None and not (label in _CORE_HEADS and base >= 3.0):
                known = _lookup(lexicon, label, "task")
                if known is None or known.kind != "task":
                    continue
                cand[5] = known
        ranked.append((-score, cand[6], phrase, cand))
    ranked.sort()  # orders are unique: no two tuples compare beyond them
    return ranked
