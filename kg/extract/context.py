"""The per-paper working state every extractor reads: split fields, gazetteer hits, definitions.

Computing these once per paper (not once per extractor) is what keeps extraction fast; extractors
stay pure functions of this context.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from kg.extract.acronyms import Definition, find_definitions
from kg.extract.cues import find_all
from kg.extract.sentences import Doc
from kg.link import CUES, Entry, Hit, Lexicon, compact
from kg.model import EntityRef, Mention, PaperRecord

#: Kinds preferred when one spelling names entries of several kinds.
_KIND_ORDER = {"model": 0, "dataset": 1, "method": 2, "task": 3, "metric": 4}
_EVAL = re.compile(
    r"\b(?:evaluat\w*|benchmark\w*|achiev\w*|outperform\w*|accuracy|results?|scores?|state-of-the-art|SOTA|"
    r"surpass\w*|performance|test(?:ed|ing)?|experiments?|improv\w*|gains?|zero-shot|few-shot)\b", re.I)
#: The words an :data:`_EVAL` match starts with (lower-cased).
_EVAL_STARTS = ("evaluat", "benchmark", "achiev", "outperform", "accuracy", "result", "score", "state-of-the-art",
                "sota", "surpass", "performance", "test", "experiment", "improv", "gain", "zero-shot", "few-shot")


@dataclass(slots=True)
class Context:
    """A paper prepared for extraction; ``proposed`` collects names this paper introduces (by key)."""

    record: PaperRecord
    lexicon: Lexicon
    docs: tuple[Doc, Doc]
    hits: dict[str, list[Hit]]
    definitions: list[Definition]
    coined: list[object] | None = None  #: names this paper introduces (see kg.extract.naming), cached
    coined_keys: frozenset[str] | None = None  #: their keys and aliases' keys (see kg.extract.methods), cached

    resolved: list[tuple[Doc, Hit, Entry]] | None = None
    by_kind: dict[str, list[tuple[Doc, Hit, Entry]]] = field(default_factory=dict)  #: :attr:`resolved` by kind
    #: per field: offsets where an :data:`_EVAL` word may start, and the verdict per sentence start
    eval_cues: dict[str, list[int] | None] = field(default_factory=dict)
    eval_sents: dict[tuple[str, int], bool] = field(default_factory=dict)

    def entity_hits(self, kind: str) -> list[tuple[Doc, Hit, Entry]]:
        """Gazetteer hits whose resolved entry is of ``kind``, title first, in text order."""
        if self.resolved is None:
            self.resolved = []
            for doc in self.docs:
                for hit in self.hits[doc.field]:
                    entry = self.kind_of(hit, doc)
                    if entry is not None and not self._redefined(doc, hit, entry):
                        self.resolved.append((doc, hit, entry))
                        self.by_kind.setdefault(entry.kind, []).append((doc, hit, entry))
        return list(self.by_kind.get(kind, ()))

    @classmethod
    def of(cls, record: PaperRecord, lexicon: Lexicon) -> Context:
        title, abstract = Doc.of("title", record.title), Doc.of("abstract", record.abstract)
        hits = {d.field: lexicon.scan(d.text, d.starts, d.ends, d.lows, d.field == "title", d.gaps)
                for d in (title, abstract)}
        defs = find_definitions(title) + find_definitions(abstract)
        return cls(record, lexicon, (title, abstract), hits, defs)

    def doc(self, name: str) -> Doc:
        return self.docs[0] if name == "title" else self.docs[1]

    def expansion_of(self, acronym: str) -> str | None:
        """The expansion this paper gives for ``acronym`` (plural or not), if any."""
        key = compact(acronym)
        for d in self.definitions:
            k = compact(d.acronym)
            if k == key or (k.endswith("s") and k[:-1] == key):
                return d.expansion
        return None

    def _redefined(self, doc: Doc, hit: Hit, entry: Entry) -> bool:
        """The paper defines this acronym as something other than the entry (WS = weak supervision)."""
        if hit.end - hit.start > 6 or not self.definitions:
            return False
        expansion = self.expansion_of(doc.text[hit.start:hit.end])
        if expansion is None:
            return False
        return compact(expansion) not in {entry.key, *(compact(a) for a in entry.aliases)}

    def kind_of(self, hit: Hit, doc: Doc) -> Entry | None:
        """The entry a hit names: a cue word decides between kinds, else the kind order."""
        if len(hit.entries) == 1:
            return self.lexicon.entry(hit.entries[0])  # most hits: nothing to choose between
        entries = [self.lexicon.entry(e) for e in hit.entries]
        nxt = doc.lows[hit.j] if hit.j < len(doc.lows) else ""
        for entry in entries:
            if nxt in CUES.get(entry.kind, ()):
                return entry
        entries.sort(key=lambda e: (e.ambiguous, e.pwc, _KIND_ORDER[e.kind]))
        return entries[0] if entries else None

    def is_eval(self, doc: Doc, pos: int) -> bool:
        """Does the sentence holding ``pos`` speak of evaluation or results (``_EVAL``)? Cached per
        sentence; the pattern is tried only where one of its words occurs."""
        s, e = doc.sentence(pos)
        verdict = self.eval_sents.get((doc.field, s))
        if verdict is None:
            verdict = self.eval_sents[(doc.field, s)] = self._eval_in(doc, s, e)
        return verdict

    def _eval_in(self, doc: Doc, s: int, e: int) -> bool:
        """``_EVAL.search(doc.text, s, e) is not None``, by matching at the cue offsets in [s, e) only."""
        if doc.field not in self.eval_cues:
            self.eval_cues[doc.field] = None if doc.lower is None else find_all(doc.lower, _EVAL_STARTS)
        cues = self.eval_cues[doc.field]
        if cues is None:
            return _EVAL.search(doc.text, s, e) is not None
        match, text = _EVAL.match, doc.text
        return any(match(text, p, e) is not None for p in cues[bisect_left(cues, s):bisect_left(cues, e)])


def make(doc: Doc, relation: str, start: int, end: int, extractor: str, confidence: float,
         entity: EntityRef | None = None, **extra: object) -> Mention:
    """A mention whose evidence sentence is the one holding ``start``."""
    s, e = doc.sentence(start)
    return Mention(relation, doc.text[start:end], doc.field, start, end, s, e, extractor, confidence, entity,
                   **extra)  # type: ignore[arg-type]


def new_ref(kind: str, name: str, aliases: tuple[str, ...] = ()) -> EntityRef:
    """An entity no list knows (a name this paper coins): keyed by its compact form."""
    return EntityRef(kind, compact(name) or "x", name, tuple(a for a in aliases if a != name))  # type: ignore[arg-type]
