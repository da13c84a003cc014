"""JSON Lines files and JSON arrays of paper objects, streamed record by record.

The container (one object per line, or one top-level array) is read here; what the keys of an object
mean is decided per dialect: generic (``title``, ``abstract``, optional ``id``, ``arxiv_id``, ``url``,
``authors``, ``date``), the arXiv metadata snapshot (:mod:`kg.readers.arxiv`) or the Papers With Code
archive (:mod:`kg.readers.pwc`). A JSON array is parsed incrementally with ijson, so a multi-GB
``papers-with-abstracts.json`` never sits in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ijson

from kg.errors import InputError
from kg.model import Listing, PaperRecord
from kg.readers._text import iter_lines, open_binary, source_name

FORMAT = "jsonl"
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)

RecordMapper = Callable[[Mapping[str, Any], Listing], PaperRecord]


def text_field(obj: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    """A string field, whitespace-collapsed; ``required`` fields must be non-empty strings."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"record has no {key!r}")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, not {type(value).__name__}")
    return " ".join(value.split())


def normalise_arxiv_id(value: str | None) -> str | None:
    """``"arXiv:2403.15042v2"`` or an abs/pdf URL -> ``"2403.15042"``; None when it is not an arXiv id."""
    if not value:
        return None
    match = _ARXIV_ID.search(value.strip())
    return match["id"] if match else None


def authors_field(value: Any) -> tuple[str, ...]:
    """Authors as a list of names, a list of ``{"name": ...}`` or one comma/"and"-separated string."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r",\s*|\s+and\s+", value)
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, list):
        names = [a.get("name") if isinstance(a, dict) else a for a in value]
        return tuple(" ".join(n.split()) for n in names if isinstance(n, str) and n.strip())
    raise ValueError("'authors' must be a string or a list")


def generic_record(obj: Mapping[str, Any], listing: Listing) -> PaperRecord:
    """A plain ``{title, abstract, ...}`` object."""
    arxiv_id = normalise_arxiv_id(text_field(obj, "arxiv_id")) or normalise_arxiv_id(text_field(obj, "id"))
    return PaperRecord(
        title=text_field(obj, "title", required=True) or "",
        abstract=text_field(obj, "abstract", required=True) or "",
        listing=listing,
        arxiv_id=arxiv_id,
        url=text_field(obj, "url"),
        authors=authors_field(obj.get("authors")),
        date=text_field(obj, "date"),
        source_format=FORMAT,
    )


def iter_objects(path: str) -> Iterator[tuple[int, int, Any]]:
    """Yield ``(position, line, object)`` from a JSON Lines file or a top-level JSON array.

    A malformed JSON line is yielded as an :class:`InputError` in place of the object; a malformed
    array raises (there is no next record to resynchronise on).
    """
    name = path if path != "-" else "<stdin>"
    lines = iter_lines(path)
    first: tuple[int, str] | None = None
    for number, text in lines:
        if text.strip():
            first = (number, text)
            break
    if first is None:
        return
    if first[1].lstrip().startswith("["):
        lines.close()
        yield from _iter_array(path, name)
        return
    position = 0
    pending: Iterator[tuple[int, str]] = iter([first])
    for number, text in (item for source in (pending, lines) for item in source):
        if not text.strip():
            continue
        position += 1
        try:
            yield position, number, json.loads(text)
        except json.JSONDecodeError as exc:
            # A bad line in JSON Lines is one bad record: the caller decides whether to skip it.
            yield position, number, InputError(name, number, f"malformed JSON: {exc.msg} (column {exc.colno})")
        except RecursionError:
            yield position, number, InputError(name, number, "malformed JSON: nested too deeply")


def _iter_array(path: str, name: str) -> Iterator[tuple[int, int, Any]]:
    stream = open_binary(path)
    position = 0
    try:
        for position, obj in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            yield position, position, obj
    except ijson.common.IncompleteJSONError as exc:
        raise InputError(name, None, f"malformed or truncated JSON array after record {position}: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(name, None, f"invalid UTF-8 after record {position}; convert the file to UTF-8") from None
    finally:
        if path != "-":
            stream.close()


def read_objects(
    path: str,
    mapper: RecordMapper,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[PaperRecord]:
    """Map each JSON object of ``path`` to a record with ``mapper``; bad records raise or go to ``on_error``."""
    name = path if path != "-" else "<stdin>"
    source = source_name(path)
    for position, line, obj in iter_objects(path):
        try:
            if isinstance(obj, InputError):
                raise obj
            if not isinstance(obj, dict):
                raise ValueError(f"expected a JSON object, found {type(obj).__name__}")
            yield mapper(obj, Listing(source=source, position=position, line=line))
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)
        except ValueError as exc:
            bad = InputError(name, line, str(exc))
            if on_error is None:
                raise bad from None
            on_error(bad)


def read(path: str, on_error: Callable[[InputError], None] | None = None) -> Iterator[PaperRecord]:
    """Generic JSON Lines / JSON array records."""
    return read_objects(path, generic_record, on_error)
