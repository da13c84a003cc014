"""Sentence splitting and tokenisation with offsets, shared by every extractor.

Every extractor needs the same views of a field's text (sentences for evidence, alphanumeric tokens
for the gazetteer, the lower-cased text for cue words), so they are computed once per field in
:class:`Doc` and passed around. Offsets always refer to the text as the record holds it; LaTeX
escapes (``\\%``) are not rewritten (that would shift offsets) but tolerated by the patterns that read
numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from kg.extract.cues import anchored, find_all
from kg.model import TextField

#: A sentence ends at . ! ? followed by space and something that can start a sentence.
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
#: Words whose trailing dot does not end a sentence.
_NO_BREAK = frozenset(
    "e.g i.e etc al vs fig figs eq eqs sec no approx resp cf incl ref refs dr mr ms st".split()
)
#: Letters that make a word longer than any of :data:`_NO_BREAK` (and than an initial).
_LONG_WORD = 1 + max(map(len, _NO_BREAK))
_TOKEN = re.compile(r"[^\W_]+")
#: The same tokens as a capturing split: [gap, token, gap, token, ..., gap] in one C call, no match objects.
_TOKEN_SPLIT = re.compile(r"([^\W_]+)")
_ASCII_SPLIT = re.compile(r"([a-z0-9]+)")
_LAST_WORD = re.compile(r"([\w.]+)$")
#: Characters that ``re.IGNORECASE`` equates with an ASCII letter although ``str.lower`` does not (see
#: :attr:`Doc.lower`).
_FOLD_TRAPS = ("\u0131", "\u017f")
#: Greek capital sigma: the one character ``str.lower`` maps by context (final or medial form).
_SIGMA = "\u03a3"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; ends exclude the trailing whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in anchored(_SENT_END, text, find_all(text, (".", "!", "?"))):  # a sentence end starts at . ! or ?
        end = m.start()
        if end >= _LONG_WORD and text[end - _LONG_WORD:end].isalpha():
            # a word of 8+ letters ends here: no abbreviation nor initial (the common case, no regex)
            spans.append((start, end + 1))
            start = m.end()
            continue
        word = _LAST_WORD.search(text, max(0, end - 12), end)
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


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences as :attr:`Doc.sents` holds them: :func:`split_sentences`, or the whole text as one."""
    return tuple(split_sentences(text)) or ((0, len(text)),)


def _ascii_tokens(lower: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """:func:`_tokens` of an ASCII text's lower-cased form: there ``[^\\W_]`` is ``[a-z0-9]`` (a plain
    character set, much cheaper for the regex engine than a Unicode category), the tokens come out
    lower-cased already, and the gaps hold no letters so lowering left them as they were."""
    parts = _ASCII_SPLIT.split(lower)
    bounds = list(accumulate(map(len, parts)))
    return parts[1::2], bounds[0:-1:2], bounds[1::2], parts[2:-1:2]


def _tokens(text: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """Tokens of ``text`` with start and end offsets and the gaps between consecutive tokens.

    One capturing ``re.split`` plus a running sum of part lengths gives every offset without
    building a match object per token (the dominant cost of ``finditer`` on a 200-token abstract).
    """
    parts = _TOKEN_SPLIT.split(text)
    bounds = list(accumulate(map(len, parts)))
    return parts[1::2], bounds[0:-1:2], bounds[1::2], parts[2:-1:2]


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
    #: text between token i and token i + 1 (one fewer than tokens)
    gaps: tuple[str, ...] = ()
    #: ``text.lower()`` when it keeps every offset and folds case exactly as ``re.IGNORECASE`` does for
    #: ASCII words (nearly always), else None: a cheap place to look for cue words before running a regex.
    lower: str | None = None

    @classmethod
    def of(cls, field: TextField, text: str) -> Doc:
        sents = sentence_spans(text)
        lower = text.lower()
        if text.isascii():
            lows, starts, ends, gaps = _ascii_tokens(lower)
            return cls(field, text, sents, tuple(s for s, _ in sents), tuple(starts), tuple(ends), tuple(lows),
                       tuple(gaps), lower)
        toks, starts, ends, gaps = _tokens(text)
        if len(lower) == len(text) and _SIGMA in text:
            # Every character lowered to one character, and lowering never changes whether a character
            # is alphanumeric, so the tokens of the lowered text are the same slices of it.
            lows = list(map(lower.__getitem__, map(slice, starts, ends)))
        else:
            # Lowering is per character except for a capital sigma (final or not depends on what follows),
            # so each token lowered alone equals its slice of ``lower``; when lower() changed a length
            # (rare Unicode) that is also the fallback the tokens of ``lower`` would need.
            lows = list(map(str.lower, toks))
        exact = len(lower) == len(text) and not any(c in lower for c in _FOLD_TRAPS)
        return cls(field, text, sents, tuple(s for s, _ in sents), tuple(starts), tuple(ends), tuple(lows),
                   tuple(gaps), lower if exact else None)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding offset ``pos``."""
        i = bisect_right(self.sent_starts, pos) - 1
        return self.sents[max(i, 0)]

    def sentence_index(self, pos: int) -> int:
        """The index in :attr:`sents` of the sentence holding offset ``pos``."""
        return max(bisect_right(self.sent_starts, pos) - 1, 0)

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_right(self.starts, pos - 1)
