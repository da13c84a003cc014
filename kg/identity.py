"""Stable identities: the same paper or entity always gets the same IRI, across builds and machines.

A paper is identified by its arXiv id when known, else by its normalised title; an entity by its
kind and the linker's normalised key.
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
    """``arxiv/2403.15042`` or ``title/<slug>-<hash of the normalised title>``."""
    if record.arxiv_id:
        return "arxiv/" + quote(record.arxiv_id, safe="./-")
    return f"title/{slug(record.title)}-{short_hash(normalise_title(record.title))}"


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
