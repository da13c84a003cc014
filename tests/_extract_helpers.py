"""Shared helpers for the extractor tests: run extraction on a crafted abstract with the default lexicon."""

from __future__ import annotations

from functools import lru_cache

from kg.extract import extract
from kg.link import Lexicon
from kg.model import Listing, Mention, PaperRecord


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.default()


def run(abstract: str, title: str = "A Study") -> list[Mention]:
    return extract(PaperRecord(title, abstract, Listing("test", 1, 1)), lexicon())


def facts(abstract: str, title: str = "A Study", relations: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    """``(relation, entity label)`` of every linked mention, optionally only for some relations."""
    return {(m.relation, m.entity.label) for m in run(abstract, title)
            if m.entity is not None and (not relations or m.relation in relations)}
