"""Listing dates -> years and timeline dates for exports.

Listings scraped from pages such as Hugging Face Daily Papers often carry only a month and day
(``xsd:gMonthDay`` ``"--03-11"``): the page never says the year. Gephi's timeline needs full dates, so
dynamic exports resolve a month-day to a year by this rule, in order:

1. the paper's own year, when the store knows it (``dcterms:date`` or another listing with a full date);
2. otherwise the *corpus year*: the most common year among all full dates in the exported store
   (a daily-papers scrape is almost always one season of one year);
3. otherwise ``2000``, a leap year (so ``--02-29`` stays valid) that is plainly a placeholder.

A resolved ``--02-29`` in a non-leap year becomes ``02-28``. The ``year`` attribute of a node only ever
comes from a real full date, never from this guess, so nobody mistakes a placeholder for data.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable

FALLBACK_YEAR = 2000
_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")


def year_of(value: str | None) -> int | None:
    """The year of a full ISO date or dateTime, else None (a month-day has no year)."""
    if not value:
        return None
    match = _FULL.match(value)
    return int(match.group(1)) if match else None


def is_month_day(value: str | None) -> bool:
    return bool(value and _MONTH_DAY.match(value))


def corpus_year(values: Iterable[str]) -> int:
    """The most common year among full dates (ties -> the latest year), or :data:`FALLBACK_YEAR`."""
    counts = Counter(y for y in (year_of(v) for v in values) if y is not None)
    if not counts:
        return FALLBACK_YEAR
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def resolve(value: str | None, year: int | None, default_year: int) -> str | None:
    """An ISO ``YYYY-MM-DD`` for the timeline, or None when ``value`` is not a date we understand."""
    if not value:
        return None
    full = _FULL.match(value)
    if full:
        return f"{full.group(1)}-{full.group(2)}-{full.group(3)}"
    month_day = _MONTH_DAY.match(value)
    if not month_day:
        return None
    chosen = year if year is not None else default_year
    month, day = month_day.group(1), month_day.group(2)
    if (month, day) == ("02", "29") and not calendar.isleap(chosen):
        day = "28"
    return f"{chosen:04d}-{month}-{day}"


def sort_key(value: str, default_year: int) -> str:
    """Orders full dates and month-days together (month-days placed in ``default_year``)."""
    return resolve(value, None, default_year) or "9999-12-31"
