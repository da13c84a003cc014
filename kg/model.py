"""Plain records that flow through the pipeline: read -> extract -> link -> rdf -> store.

Readers yield :class:`PaperRecord`; extractors turn a record's text into :class:`Mention`s, each already
linked to an :class:`EntityRef` (the canonical node it names); :mod:`kg.rdf` turns both into quads.
Nothing here knows about RDF or the store, so extraction stays a pure, picklable function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: The kinds of entity the graph knows; each maps to one ontology class (see ``kg.vocab.CLASS_OF_KIND``).
EntityKind = Literal["dataset", "method", "model", "task", "repository", "link"]

#: Where in a paper a mention was found; offsets are into that field's text.
TextField = Literal["title", "abstract"]
#: What a result is: an absolute value of its metric, or a change against a baseline or another system.
ResultKind = Literal["score", "delta"]


@dataclass(frozen=True, slots=True)
class Listing:
    """One appearance of a paper in a source listing (a paper listed three times has three)."""

    source: str  #: the source file as given, normalised ("pages/2024-03/day.txt"; "<stdin>" for standard input)
    position: int  #: 1-based position of the record in that source
    line: int  #: 1-based line where the record starts, for error messages and provenance
    date: str | None = None  #: listing date as ISO "YYYY-MM-DD" or "--MM-DD" when the page gives no year


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """A paper as a reader found it: the text to extract from plus bibliographic metadata."""

    title: str
    abstract: str
    listing: Listing
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  #: publication / update date, ISO 8601 when known
    categories: tuple[str, ...] = ()
    source_format: str = ""


@dataclass(frozen=True, slots=True)
class EntityRef:
    """The canonical entity a mention was linked to.

    ``key`` is the normalised identity used to mint the IRI (same key -> same node across papers);
    ``label`` is the display name; ``aliases`` are other surface forms worth recording as ``skos:altLabel``.
    """

    kind: EntityKind
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    url: str | None = None  #: homepage / repository / hub URL when the entity is a link


@dataclass(frozen=True, slots=True)
class ResultValue:
    """A reported number: ``value`` normalised (percentages as 0-1 proportions when unit == "%").

    ``kind`` keeps scores ("81.5% accuracy") apart from deltas ("improves accuracy by 3.2%"): only
    scores of one metric on one dataset can be ranked against each other.
    """

    value: float
    raw: str  #: as written, e.g. "24.2%"
    unit: str | None  #: "%", "points", "dB", "x", None
    metric: str | None  #: the metric's listed name lower-cased (the key results are grouped by), e.g. "top-1 accuracy"
    dataset: EntityRef | None  #: the dataset / benchmark the number is reported on
    kind: ResultKind = "score"  #: "score" (an absolute value) or "delta" (a change against something else)
    change: str | None = None  #: for a delta, its change word as a noun: "improvement", "reduction", "speedup" ...
    metric_label: str | None = None  #: the metric's display name as listed, e.g. "Top-1 Accuracy"


@dataclass(frozen=True, slots=True)
class Mention:
    """One extracted fact about a paper, with its evidence.

    ``relation`` is an ontology property local name (``usesDataset``, ``proposesMethod``, ``hasRepository``,
    ``reportsResult``, ``hasLink`` ...). ``start``/``end`` are character offsets of the surface form in
    ``field``'s text; ``sentence_start``/``sentence_end`` bound the sentence it came from.
    """

    relation: str
    surface: str
    field: TextField
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    extractor: str
    confidence: float
    entity: EntityRef | None = None
    result: ResultValue | None = None


@dataclass(slots=True)
class Paper:
    """A paper after extraction: the record (possibly several listings merged) and its mentions."""

    record: PaperRecord
    listings: list[Listing] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
