"""Sentence splitting and tokenisation with offsets, shared by every extractor.

Every extractor needs the same two views of a field's text (sentences for evidence, alphanumeric
tokens for the gazetteer), so they are computed once per field in :class:`Doc` and passed around.
Offsets always refer to the text as the record holds it; LaTeX escapes (``\\%``) are not rewritten
(that would shift offsets) but tolerated by the patterns that read numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.model import TextField

#: A sentence ends at . ! ? followed by space and something that can start a sentence.
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
#: Words whose trailing dot does not end a sentence.
_NO_BREAK = frozenset(
    "e.g i.e etc al vs fig figs eq eqs sec no approx resp cf incl ref refs dr mr ms st".split()
)
_TOKEN = re.compile(r"[^\W_]+")
_LAST_WORD = re.compile(r"([\w.]+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; ends exclude the trailing whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        word = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
        if word and word.group(1).lower().rstrip(".") in _NO_BREAK:
            continue
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            continue  # an initial such as "J. Smith"
        spans.append((start, m.start() + 1))
        start = m.end()
    tail = text[start:].rstrip()
    if tail:
        spans.append((start, start + len(tail)))
    return spans


@dataclass(frozen=True, slots=True)
class Doc:
    """One field of a paper, split once: sentences and alphanumeric tokens, all with offsets."""

    field: TextField
    text: str
    sents: tuple[tuple[int, int], ...]
    sent_starts: tuple[int, ...]
    starts: tuple[int, ...]  #: token start offsets
    ends: tuple[int, ...]  #: token end offsets
    lows: tuple[str, ...]  #: lower-cased token texts

    @classmethod
    def of(cls, field: TextField, text: str) -> Doc:
        sents = tuple(split_sentences(text)) or ((0, len(text)),)
        spans = [m.span() for m in _TOKEN.finditer(text)]
        starts = tuple(s for s, _ in spans)
        ends = tuple(e for _, e in spans)
        lower = text.lower()
        lows = tuple(_TOKEN.findall(lower)) if len(lower) == len(text) else ()
        if len(lows) != len(spans):  # lower() changed a length (rare Unicode): slice instead
            lows = tuple(text[s:e].lower() for s, e in spans)
        return cls(field, text, sents, tuple(s for s, _ in sents), starts, ends, lows)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding offset ``pos``."""
        i = bisect_right(self.sent_starts, pos) - 1
        return self.sents[max(i, 0)]

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_right(self.starts, pos - 1)
