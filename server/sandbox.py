"""Refuse SPARQL that would reach outside the store: ``SERVICE`` (pyoxigraph 0.5 really does send an HTTP
request for it: an SSRF) and ``LOAD`` (reads files or URLs in an update).

pyoxigraph has no switch to turn federation off, so the text is checked before it is evaluated. The
check hides what a SPARQL lexer would not read as keywords (strings, IRIs, comments, variables,
prefixed names) and refuses any remaining ``SERVICE`` or ``LOAD`` word. It errs towards refusing: a
false alarm gives a 400, never a request to the network.

The same pass measures bracket nesting: pyoxigraph's recursive parser overflows its stack (the process
dies) on a few thousand nested groups, so deeper than :data:`MAX_DEPTH` is refused with a 400. An IRI
longer than :data:`MAX_IRI_LENGTH` is refused too: no store holds such a thing, and a client that sends
one has a bug worth hearing about rather than an empty answer.

:func:`requested_limit` reads the query's outermost ``LIMIT``, so the protocol endpoint can refuse a
``LIMIT`` above its row cap up front instead of returning fewer rows than were asked for.
"""

from __future__ import annotations

import re
from itertools import accumulate

from kg.errors import QueryError

FORBIDDEN = ("SERVICE", "LOAD")
#: Deepest nesting of ``{ ( [`` accepted; real queries stay far below it.
MAX_DEPTH = 256
#: Longest IRI accepted in a query, in characters (8 KiB: what common HTTP servers accept in a URL).
MAX_IRI_LENGTH = 8192

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
_LONG_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]{%d,}>' % (MAX_IRI_LENGTH + 1))
_BRACE_OR_LIMIT = re.compile(r"[{}]|\bLIMIT\s+(\d+)", re.IGNORECASE)
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
    if len(text) > MAX_IRI_LENGTH and (long_iri := _LONG_IRI.search(text)):
        raise QueryError(f"an IRI in the query is {len(long_iri.group()) - 2:,} characters long; this endpoint "
                         f"accepts IRIs of up to {MAX_IRI_LENGTH:,} characters")
    if depth > MAX_DEPTH:
        raise QueryError(f"the query is nested too deeply (more than {MAX_DEPTH} levels)")
    if keyword == "SERVICE":
        raise QueryError("SERVICE (federated query) is not allowed on this endpoint")
    if keyword == "LOAD":
        raise QueryError("LOAD is not allowed on this endpoint")


def requested_limit(text: str) -> int | None:
    """The number in the query's outermost ``LIMIT`` (outside every group, string and comment), if any.

    ``LIMIT`` inside a subquery does not count: it bounds an intermediate result, not the answer.
    """
    if "limit" not in text.lower():
        return None
    depth, found = 0, None
    for match in _BRACE_OR_LIMIT.finditer(_HIDDEN.sub(" ", text)):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth <= 0:
            found = int(match.group(1))
    return found
