"""Refuse SPARQL that would reach outside the store: ``SERVICE`` (pyoxigraph 0.5 really does send an HTTP
request for it: an SSRF) and ``LOAD`` (reads files or URLs in an update).

pyoxigraph has no switch to turn federation off, so the text is checked before it is evaluated. The
check hides what a SPARQL lexer would not read as keywords (strings, IRIs, comments, variables,
prefixed names) and refuses any remaining ``SERVICE`` or ``LOAD`` word. It errs towards refusing: a
false alarm gives a 400, never a request to the network.

The same pass measures bracket nesting: pyoxigraph's recursive parser overflows its stack (the process
dies) on a few thousand nested groups, so deeper than :data:`MAX_DEPTH` is refused with a 400.
"""

from __future__ import annotations

import re
from itertools import accumulate

from kg.errors import QueryError

FORBIDDEN = ("SERVICE", "LOAD")
#: Deepest nesting of ``{ ( [`` accepted; real queries stay far below it.
MAX_DEPTH = 256

#: What hides a word from being a keyword. Regular expressions scan in C, so a 1 MB query costs
#: milliseconds of the server's time; every branch is linear (prefixed names only start a word).
_HIDDEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)'  # long strings (unterminated: to the end)
    r"|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)"
    r'|"(?:[^"\\\n\r]|\\.)*"?'  # short strings
    r"|'(?:[^'\\\n\r]|\\.)*'?"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRI references
    r"|#[^\n\r]*"  # comments
    r"|[?$]\w+"  # variables
    r"|(?<![\w.\-\u00b7])[\w.\-\u00b7]*:[\w.\-:%\\\u00b7]*",  # prefixed names
    re.DOTALL,
)
_KEYWORD = re.compile(r"\b(?:" + "|".join(FORBIDDEN) + r")\b", re.IGNORECASE)
_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")
_STEP = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def inspect(text: str) -> tuple[str | None, int]:
    """The first forbidden keyword used as a keyword in ``text`` (or None), and the deepest bracket nesting."""
    lowered = text.lower()
    opened = sum(text.count(c) for c in "{([")
    if opened <= MAX_DEPTH and not any(word.lower() in lowered for word in FORBIDDEN):
        return None, opened  # the common case: nothing to look at closely
    visible = _HIDDEN.sub(" ", text)
    found = _KEYWORD.search(visible)
    brackets = _NOT_BRACKET.sub("", visible)
    opened = sum(brackets.count(c) for c in "{([")
    depth = opened if opened <= MAX_DEPTH else max(accumulate(map(_STEP.__getitem__, brackets)))
    return (found.group().upper() if found else None), depth


def forbidden_keyword(text: str) -> str | None:
    """The first forbidden keyword used as a keyword in ``text``, if any."""
    return inspect(text)[0]


def check(text: str) -> None:
    """Refuse federation, loading and absurd nesting.

    :raises QueryError: when the text uses ``SERVICE`` or ``LOAD``, or nests deeper than :data:`MAX_DEPTH`.
    """
    keyword, depth = inspect(text)
    if depth > MAX_DEPTH:
        raise QueryError(f"the query is nested too deeply (more than {MAX_DEPTH} levels)")
    if keyword == "SERVICE":
        raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
    if keyword == "LOAD":
        raise QueryError("LOAD is not allowed on this endpoint")
