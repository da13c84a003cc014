"""Datasets: introduced by the paper (``introducesDataset``), used or evaluated on (``usesDataset`` /
``evaluatesOn``).

Introduced names come from naming acts with a data head noun ("X, a benchmark for ..."); used ones
from the name lists, plus unlisted capitalised names right before "dataset"/"benchmark". A sentence
about results or evaluation makes the relation ``evaluatesOn``.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, make, new_ref
from kg.extract.methods import coined_keys, proposed_ref
from kg.extract.naming import NAMEISH, coined
from kg.extract.sentences import Doc
from kg.link import CUES, Entry, Hit, compact
from kg.model import Mention

NAME = "datasets"
#: "the PubMed dataset", "on the FooBar-2 benchmark": a name-like token before a data head noun.
_NAMED_DATA = re.compile(r"\b(?:the|on|from|of|and|using)\s+(?P<name>[A-Z][\w\-]*(?:\s[A-Z0-9][\w\-]*)?)\s+"
                         r"(?:dataset|benchmark|corpus)s?\b")
_NOT_NAMES = frozenset("llm llms ai ml nlp new our this these large public real synthetic standard".split())


def _weak(doc: Doc, hit: Hit, entry: Entry) -> bool:
    """Hits too weak to be a dataset without a cue word: a short Papers-with-Code-only acronym (CPU),
    or a capitalised single word that merely starts a sentence (Supervised, Satellite)."""
    cued = (hit.j < len(doc.lows) and doc.lows[hit.j] in CUES["dataset"]) or \
        (hit.i > 0 and doc.lows[hit.i - 1] in CUES["dataset"])
    if cued:
        return False
    if entry.pwc and len(entry.key) <= 3:
        return True
    surface = doc.text[hit.start:hit.end]
    return hit.j - hit.i == 1 and surface.istitle() and doc.sentence(hit.start)[0] == hit.start


def _named_data(doc: Doc) -> list[re.Match[str]]:
    """``_NAMED_DATA.finditer(doc.text)``, run only over the sentences holding a head noun.

    A match is made of word characters, hyphens and spaces only, so it never crosses a sentence end
    (which needs . ! or ?), and it contains "dataset", "benchmark" or "corpus" (case-sensitive).
    """
    text = doc.text
    if "dataset" not in text and "benchmark" not in text and "corpus" not in text:
        return []
    out: list[re.Match[str]] = []
    for s, e in doc.sents:
        if text.find("dataset", s, e) >= 0 or text.find("benchmark", s, e) >= 0 or text.find("corpus", s, e) >= 0:
            out.extend(_NAMED_DATA.finditer(text, s, e))
    return out


def extract_datasets(ctx: Context) -> list[Mention]:
    """Introduced, then used/evaluated datasets, deterministic order."""
    out: list[Mention] = []
    for c in coined(ctx):
        if c.kind == "dataset":
            out.append(make(ctx.doc(c.field), "introducesDataset", c.start, c.end, NAME, c.confidence,
                            proposed_ref(ctx, c.name, c.aliases, "dataset")))
    skip = coined_keys(ctx)
    seen: set[str] = set()
    for doc, hit, entry in ctx.entity_hits("dataset"):
        if entry.key in skip or _weak(doc, hit, entry):
            continue
        relation = "evaluatesOn" if ctx.is_eval(doc, hit.start) else "usesDataset"
        out.append(make(doc, relation, hit.start, hit.end, NAME, 0.75, entry.ref()))
        seen.add(entry.key)
    for doc in ctx.docs:
        for m in _named_data(doc):
            name = m.group("name")
            key = compact(name)
            if key in skip or key in seen or name.lower() in _NOT_NAMES:
                continue
            if not (NAMEISH.match(name.replace(" ", "")) or name.split()[0].lower() not in _NOT_NAMES):
                continue
            if ctx.lexicon.lookup(name) is not None:
                continue  # a listed name of another kind (a model, a task)
            expansion = ctx.expansion_of(name)
            if expansion is not None and expansion.islower():
                continue  # "MD datasets" where MD is "molecular dynamics": a field's data, not a named set
            seen.add(key)
            relation = "evaluatesOn" if ctx.is_eval(doc, m.start()) else "usesDataset"
            out.append(make(doc, relation, m.start("name"), m.end("name"), NAME, 0.6, new_ref("dataset", name)))
    return out
