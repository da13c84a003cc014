"""The Papers With Code archive ``papers-with-abstracts.json``: one JSON array of objects with
``paper_url``, ``arxiv_id``, ``title``, ``abstract``, ``url_abs``, ``authors``, ``date``, ``tasks``..."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kg.errors import InputError
from kg.model import Listing, PaperRecord
from kg.readers.jsonl import authors_field, normalise_arxiv_id, read_objects, text_field

FORMAT = "pwc"
SIGNATURE_KEYS = frozenset({"paper_url", "url_abs"})


def pwc_record(obj: Mapping[str, Any], listing: Listing) -> PaperRecord:
    """One archive object -> record (arXiv id from ``arxiv_id`` or the abs URL)."""
    arxiv_id = normalise_arxiv_id(text_field(obj, "arxiv_id")) or normalise_arxiv_id(text_field(obj, "url_abs"))
    return PaperRecord(
        title=text_field(obj, "title", required=True) or "",
        abstract=text_field(obj, "abstract", required=True) or "",
        listing=listing,
        arxiv_id=arxiv_id,
        url=text_field(obj, "url_abs") or text_field(obj, "paper_url"),
        authors=authors_field(obj.get("authors")),
        date=text_field(obj, "date"),
        source_format=FORMAT,
    )


def read(path: str, on_error: Callable[[InputError], None] | None = None) -> Iterator[PaperRecord]:
    """Stream the archive array record by record."""
    return read_objects(path, pwc_record, on_error)
