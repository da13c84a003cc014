"""Hugging Face daily-papers pages saved as text (the browser's "save as text" of hf.co/papers).

A page is a few header lines ("new", "Get trending papers in your email inbox!", "Subscribe",
"byAK and the research community", a date such as "Mar 11"), then one title line and one abstract
paragraph per paper, with or without blank lines between them. Quirks handled here: the first title
glued to "Subscribe", LaTeX escapes such as ``\\%`` in abstracts, and a date line that starts a new day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from kg.errors import InputError
from kg.model import Listing, PaperRecord
from kg.readers._text import iter_lines, source_name

FORMAT = "hf-daily"

_HEADER_LINES = {
    "new",
    "subscribe",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
}
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DATE_LINE = re.compile(r"^(?P<mon>[A-Z][a-z]{2})[a-z]*\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?$")
_LATEX_ESCAPE = re.compile(r"\\([%&_$#{}])")
_GLUED_SUBSCRIBE = "Subscribe"
#: A title longer than this is almost certainly an abstract: the pairing has slipped.
MAX_TITLE_CHARS = 400


def parse_date_line(line: str) -> str | None:
    """``"Mar 11"`` -> ``"--03-11"`` (xsd:gMonthDay); ``"Mar 11, 2024"`` -> ``"2024-03-11"``; else None."""
    match = _DATE_LINE.match(line.strip())
    if not match or match["mon"].lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match["mon"].lower()], int(match["day"])
    if not 1 <= day <= 31:
        return None
    if match["year"]:
        return f"{match['year']}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


def clean_text(text: str) -> str:
    """Undo LaTeX escapes (``\\%`` -> ``%``) and collapse runs of whitespace."""
    return " ".join(_LATEX_ESCAPE.sub(r"\1", text).split())


def looks_like_hf_daily(head: str) -> bool:
    """Content sniffing for format detection: a known header line near the top."""
    lines = [line.strip().lower() for line in head.splitlines()[:12]]
    return any(line in _HEADER_LINES or line.startswith("subscribe") for line in lines)


def read(path: str, on_error: Callable[[InputError], None] | None = None) -> Iterator[PaperRecord]:
    """Yield one record per (title, abstract) pair in the page, in order.

    :raises InputError: a title with no abstract, or an over-long "title" (pairing lost), unless
        ``on_error`` is given, in which case the bad record is reported to it and skipped.
    """
    source = source_name(path)
    name = path if path != "-" else "<stdin>"
    date: str | None = None
    title: tuple[int, str] | None = None
    position = 0
    in_header = True

    def fail(line: int, message: str) -> None:
        error = InputError(name, line, message)
        if on_error is None:
            raise error
        on_error(error)

    # Each non-empty line is one unit: a header, a date, a title or a whole abstract (the page
    # saves an abstract on one line); blank lines between them are optional.
    units = ((number, line.strip()) for number, line in iter_lines(path) if line.strip())
    for number, text in units:
        if in_header or title is None:
            lowered = text.lower()
            if lowered in _HEADER_LINES:
                continue
            if text.startswith(_GLUED_SUBSCRIBE) and len(text) > len(_GLUED_SUBSCRIBE) and in_header:
                text = text[len(_GLUED_SUBSCRIBE):].strip()
            day = parse_date_line(text)
            if day is not None:
                date = day
                continue
        if title is None:
            in_header = False
            if len(text) > MAX_TITLE_CHARS:
                fail(number, f"expected a paper title, found a {len(text)}-character paragraph")
                continue
            title = (number, text)
            continue
        position += 1
        title_line, title_text = title
        title = None
        abstract = clean_text(text)
        yield PaperRecord(
            title=clean_text(title_text),
            abstract=abstract,
            listing=Listing(source=source, position=position, line=title_line, date=date),
            source_format=FORMAT,
        )
    if title is not None:
        fail(title[0], f"title {title[1][:60]!r} has no abstract after it")
