"""Extraction: a paper's title and abstract -> linked :class:`~kg.model.Mention` s.

Two passes, driven by :mod:`kg.build`: :func:`collect_definitions` over the whole corpus first (its
acronym definitions are fed to :meth:`kg.link.Lexicon.learn`), then :func:`extract` per paper. Both
are pure and deterministic, so they run unchanged in worker processes.
"""

from __future__ import annotations

from kg.extract.acronyms import definitions_in
from kg.extract.context import Context
from kg.extract.datasets import extract_datasets
from kg.extract.links import extract_links
from kg.extract.methods import extract_methods
from kg.extract.models import extract_models
from kg.extract.results import extract_results
from kg.extract.tasks import extract_tasks
from kg.link import Lexicon
from kg.model import Mention, PaperRecord

__all__ = ["collect_definitions", "extract"]

_FIELD_ORDER = {"title": 0, "abstract": 1}


def collect_definitions(record: PaperRecord) -> list[tuple[str, str]]:
    """(acronym, expansion) pairs this paper defines, in text order (title first). Only the sentences
    are needed, so the fields are not tokenised (see :func:`kg.extract.acronyms.definitions_in`)."""
    pairs: list[tuple[str, str]] = []
    for field, text in (("title", record.title), ("abstract", record.abstract)):
        pairs.extend((d.acronym, d.expansion) for d in definitions_in(field, text))
    return pairs


def extract(record: PaperRecord, lexicon: Lexicon) -> list[Mention]:
    """All mentions of all kinds, ordered by field, offset, relation and entity key."""
    ctx = Context.of(record, lexicon)
    mentions: list[Mention] = []
    for doc in ctx.docs:
        mentions.extend(extract_links(doc))
    mentions.extend(extract_datasets(ctx))
    mentions.extend(extract_methods(ctx))
    mentions.extend(extract_models(ctx))
    mentions.extend(extract_tasks(ctx))
    mentions.extend(extract_results(ctx))
    mentions.sort(key=lambda m: (_FIELD_ORDER[m.field], m.start, m.end, m.relation,
                                 m.entity.key if m.entity else ""))
    return mentions
