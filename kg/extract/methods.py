"""Methods: names the paper proposes (``proposesMethod``) and established methods it applies (``usesMethod``).

Proposed names come from naming acts (:mod:`kg.extract.naming`); used methods from the name lists,
so only established techniques count and descriptive phrases ("a novel loss") never do.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, make, new_ref
from kg.extract.naming import coined
from kg.link import compact
from kg.model import EntityRef, Mention

NAME = "methods"
#: Head words of expansions that name techniques ("... Tuning (VPT)", "... Theorem (CLT)").
_METHOD_HEAD = re.compile(r"(?:fine-?tuning|tuning|theorem|adaptation|distillation|sampling|augmentation|"
                          r"optimization|optimisation|regression|decoding|prompting|pruning|quantization|"
                          r"normalization|descent|algorithm|estimation|encoding|initialization|dropout)s?")


def proposed_ref(ctx: Context, name: str, aliases: tuple[str, ...], kind: str) -> EntityRef:
    """A coined name's entity: the list entry when the name is already known, else a new node."""
    entry = ctx.lexicon.lookup(name, kind)
    if entry is not None and entry.kind == kind:
        ref = entry.ref()
        extra = tuple(a for a in aliases if a not in ref.aliases and a != ref.label)
        return EntityRef(ref.kind, ref.key, ref.label, ref.aliases + extra)
    return new_ref(kind, name, aliases)


def coined_keys(ctx: Context) -> frozenset[str]:
    """Keys of every name the paper coins (and their aliases), to keep them out of "used" relations.
    Cached on the context: the dataset, method and model extractors all ask for them."""
    if ctx.coined_keys is None:
        keys: set[str] = set()
        for c in coined(ctx):
            keys.add(compact(c.name))
            keys.update(compact(a) for a in c.aliases)
        ctx.coined_keys = frozenset(keys)
    return ctx.coined_keys


def extract_methods(ctx: Context) -> list[Mention]:
    """proposesMethod for coined method names, usesMethod for listed methods mentioned."""
    out: list[Mention] = []
    for c in coined(ctx):
        if c.kind == "method":
            doc = ctx.doc(c.field)
            out.append(make(doc, "proposesMethod", c.start, c.end, NAME, c.confidence,
                            proposed_ref(ctx, c.name, c.aliases, "method")))
    skip = coined_keys(ctx)
    for doc, hit, entry in ctx.entity_hits("method"):
        if entry.key in skip:
            continue
        ref = entry.ref()
        if entry.learned and ctx.expansion_of(entry.name):
            continue  # defined here but not proposed: an unnamed concept of this paper
        out.append(make(doc, "usesMethod", hit.start, hit.end, NAME, 0.6 if entry.learned else 0.75, ref))
    out.extend(_defined_methods(ctx, skip))
    return out


def _defined_methods(ctx: Context, skip: frozenset[str]) -> list[Mention]:
    """"Visual Prompt Tuning (VPT)" defined but not proposed here: an established, named technique."""
    out: list[Mention] = []
    for d in ctx.definitions:
        head = d.expansion.split()[-1].lower()
        if compact(d.acronym) in skip or _METHOD_HEAD.fullmatch(head) is None or not d.acronym[:1].isupper():
            continue
        entry = ctx.lexicon.lookup(d.acronym, "method") or ctx.lexicon.lookup(d.expansion, "method")
        if entry is not None and entry.kind == "model":
            continue
        ref = entry.ref() if entry is not None and entry.kind == "method" else new_ref("method", d.acronym,
                                                                                        (d.expansion,))
        out.append(make(ctx.doc(d.field), "usesMethod", d.start, d.end, NAME, 0.6, ref))
    return out
