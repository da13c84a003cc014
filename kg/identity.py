"""Stable identities: the same paper or entity always gets the same IRI, across builds and machines.

A paper is identified by its arXiv id when known, else by its normalised title; an entity by its
kind and the linker's normalised key. A record without an arXiv id whose normalised title is that of
exactly one arXiv paper of the same build (or, on ``--append``, of the store) is a listing of that
paper: the build looks its :func:`title_hash` up (see :mod:`kg.title_map`) and keys it
:func:`arxiv_key`, so a paper read from a Hugging Face page and from arXiv metadata is one node.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from kg.model import EntityRef, PaperRecord
from kg.vocab import GRAPH, ID

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_title(title: str) -> str:
    """Lower-cased, every run of non-alphanumerics removed (the rule the gold scoring uses too)."""
    return _NON_ALNUM.sub("", title.lower())


def short_hash(text: str, length: int = 10) -> str:
    """A short, stable hex digest for IRIs that must stay readable."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def slug(text: str, limit: int = 60) -> str:
    """``"LLM2LLM: Boosting LLMs"`` -> ``"llm2llm-boosting-llms"`` (cut at a word boundary)."""
    words = _NON_ALNUM.sub("-", text.lower()).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words or "x"


def paper_key(record: PaperRecord) -> str:
    """``arxiv/2403.15042`` or ``title/<slug>-<hash of the normalised title>`` (the record's own key;
    a build may instead file a title-only record under the arXiv paper its title names)."""
    if record.arxiv_id:
        return arxiv_key(record.arxiv_id)
    return f"title/{slug(record.title)}-{short_hash(normalise_title(record.title))}"


def arxiv_key(arxiv_id: str) -> str:
    """``2403.15042`` -> ``arxiv/2403.15042``."""
    return "arxiv/" + quote(arxiv_id, safe="./-")


def title_hash(title: str) -> int | None:
    """A signed 64-bit digest of the normalised title (an SQLite integer), for matching records
    across sources without holding titles in memory; None when nothing of the title is left to match
    (a title of punctuation or of non-Latin script normalises to nothing)."""
    normal = normalise_title(title)
    if not normal:
        return None
    return int.from_bytes(hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def paper_iri(key: str) -> str:
    return f"{ID}paper/{key}"


def paper_graph(key: str) -> str:
    """The named graph holding one paper's facts, so a paper can be replaced or removed cleanly."""
    return f"{GRAPH}paper/{key}"


def entity_iri(ref: EntityRef) -> str:
    return f"{ID}{ref.kind}/{quote(ref.key, safe='-._~')}"


def content_hash(record: PaperRecord) -> str:
    """What decides whether an appended paper changed: its title and abstract."""
    return short_hash(record.title + "\n" + record.abstract, 16)
