"""Acronym definitions, Schwartz-Hearst style: "Long Form (LF)" and "LF (Long Form)".

Definitions tie an acronym to its expansion inside one paper (so both name one entity) and, learned
over the corpus, let an acronym defined in one abstract be recognised in another.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.extract.cues import anchored, find_all
from kg.extract.sentences import Doc, sentence_spans

#: "(" short form ")" — a token with a capital, 2-12 chars, optionally plural "s".
_PAREN = re.compile(r"\(\s*([A-Za-z0-9][\w\-.+&/]{0,14}?)\s*(?:[;,][^)]*)?\)")
_WORD = re.compile(r"[\w][\w\-'\u2019]*")
_BAD_SHORT = re.compile(r"^(?:\d+|[a-z]+|.*\d{4}.*|e\.g|i\.e|et|see)$")


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym and its expansion with their offsets in one field."""

    acronym: str
    expansion: str
    field: str
    start: int  #: acronym start
    end: int
    exp_start: int
    exp_end: int


def _long_form(short: str, words: list[re.Match[str]], text: str) -> tuple[int, int] | None:
    """Schwartz-Hearst: the shortest run of preceding words whose letters contain the acronym's, in order,
    with the acronym's first letter starting a word. Returns (start, end) offsets or None."""
    chars = [c.lower() for c in short if c.isalnum()]
    if short.endswith("s") and len(chars) > 2 and short[-2].isupper():
        chars = chars[:-1]  # LLMs
    if len(chars) < 2 or not words:
        return None
    limit = min(len(chars) + 5, len(chars) * 2)
    window = words[-limit:]
    span_text = text[window[0].start():window[-1].end()]
    base = window[0].start()
    si, li = len(chars) - 1, len(span_text) - 1
    while si >= 0:
        c = chars[si]
        while li >= 0 and (span_text[li].lower() != c or (
                si == 0 and li > 0 and span_text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start = base + li + 1
    # extend back to the start of the word the first letter is in
    while start > base and text[start - 1].isalnum():
        start -= 1
    return start, window[-1].end()


def _parens(text: str) -> list[re.Match[str]]:
    """``_PAREN.finditer(text)``, tried only at each "(" (where every match begins)."""
    return anchored(_PAREN, text, find_all(text, ("(",))) if "(" in text else []


def find_definitions(doc: Doc) -> list[Definition]:
    """Every "Long Form (SF)" in the field, in text order."""
    return _definitions(doc.field, doc.text, doc.sents, doc.sent_starts)


def definitions_in(field: str, text: str) -> list[Definition]:
    """``find_definitions(Doc.of(field, text))`` without tokenising the text, nor splitting its
    sentences when it has no "(": all that the corpus-wide pass over definitions needs."""
    if "(" not in text:
        return []
    sents = sentence_spans(text)
    return _definitions(field, text, sents, tuple(s for s, _ in sents))


def _definitions(field: str, text: str, sents: tuple[tuple[int, int], ...],
                 sent_starts: tuple[int, ...]) -> list[Definition]:
    """:func:`find_definitions` over a field's text and its sentences (as :class:`Doc` holds them)."""
    out: list[Definition] = []
    for m in _parens(text):
        short = m.group(1).rstrip(".")
        if not any(c.isupper() for c in short) or _BAD_SHORT.match(short) or len(short) < 2:
            continue
        sent_start = sents[max(bisect_right(sent_starts, m.start()) - 1, 0)][0]  # as Doc.sentence does
        words = list(_WORD.finditer(text, sent_start, m.start()))
        span = _long_form(short, words, text)
        if span is None:
            continue
        expansion = text[span[0]:span[1]]
        if len(expansion) <= len(short) + 1 or "(" in expansion:
            continue
        out.append(Definition(short, expansion, field, m.start(1), m.start(1) + len(short), span[0], span[1]))
    return out
