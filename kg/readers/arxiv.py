"""The arXiv metadata snapshot (Kaggle's ``arxiv-metadata-oai-snapshot.json``): JSON Lines with ``id``,
``title``, ``abstract``, ``authors`` (one string), ``categories`` (space-separated) and ``update_date``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kg.errors import InputError
from kg.model import Listing, PaperRecord
from kg.readers.jsonl import authors_field, normalise_arxiv_id, read_objects, text_field

FORMAT = "arxiv"
SIGNATURE_KEYS = frozenset({"update_date", "categories"})


def arxiv_record(obj: Mapping[str, Any], listing: Listing) -> PaperRecord:
    """One snapshot object -> record; the arXiv id is required and becomes the paper's identity."""
    arxiv_id = normalise_arxiv_id(text_field(obj, "id", required=True))
    if arxiv_id is None:
        raise ValueError(f"'id' {obj.get('id')!r} is not an arXiv identifier")
    categories = text_field(obj, "categories") or ""
    return PaperRecord(
        title=text_field(obj, "title", required=True) or "",
        abstract=text_field(obj, "abstract", required=True) or "",
        listing=listing,
        arxiv_id=arxiv_id,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        authors=authors_field(obj.get("authors")),
        date=text_field(obj, "update_date"),
        categories=tuple(categories.split()),
        source_format=FORMAT,
    )


def read(path: str, on_error: Callable[[InputError], None] | None = None) -> Iterator[PaperRecord]:
    """Stream the snapshot, one record per line."""
    return read_objects(path, arxiv_record, on_error)
