"""What names say about task phrases: the task list's names, the names a paper coins, and the acronyms
it defines.

A task the list knows gets a bonus, or becomes a candidate of its own; a phrase the list knows as a
named method or model, or the expansion of an acronym the paper coins ("we propose Sparse Gradient
Routing Tuning (SpaGRT)"), is no task; a task phrase the paper defines an acronym for is one it means
to use again. Lexicon lookups and name keys recur across papers, so they are remembered per process
(bounded by :data:`~kg.extract.tasks.phrases._CACHE_MAX`).
"""

from __future__ import annotations

import re

from kg.extract.acronyms import Definition
from kg.extract.context import Context
from kg.extract.cues import anchored, find_all
from kg.extract.sentences import Doc
from kg.extract.tasks.cues import _cue
from kg.extract.tasks.phrases import _CACHE_MAX, _normal, _View
from kg.extract.tasks.pool import Pool, _add
from kg.extract.tasks.vocab import _vocab
from kg.extract.tasks.words import _COMPOUND, _HYPHENS
from kg.link import Entry, Hit, Lexicon, compact

#: A name given in the text ("named ``user-centric ranking''"): up to four words, quoted or not.
_CALLED = re.compile(r"(?<!so-)\b(?:called|named|dubbed|termed)\s+(?:as\s+)?(?:``|\"|'|\u201c)?"
                     r"((?:[\w-]+ ){0,3}[\w-]+)")
#: The words a :data:`_CALLED` match begins with (it is case-sensitive).
_CALLED_STARTS = ("called", "named", "dubbed", "termed")
#: Verbs before an acronym definition that make it a name the paper coins.
_PROPOSING = re.compile(r"\b(?:we|this (?:paper|work|study)|our work)\s+(?:\w+ly\s+|also\s+|further\s+|then\s+)?"
                        r"(?:propose|introduce|present|release|develop|build|design|create|contribute|unveil|"
                        r"construct|curate|collect|open-source|describe)[sd]?\b|\b(?:called|named|dubbed|termed)\b",
                        re.I)

_ENTRY_KEYS: dict[str, tuple[str, ...] | None] = {}
_COINED_KEYS: dict[str, list[tuple[str, ...]]] = {}
_COMPACT: dict[str, str] = {}
#: Per lexicon (by identity, while its learned acronyms stay the same object): name lookups.
_LOOKUPS: dict[int, tuple[object, object, dict[tuple[str, str | None], Entry | None]]] = {}


def _read_definitions(ctx: Context) -> tuple[dict[int, str], dict[int, Definition], set[tuple[str, ...]]]:
    """The abstract's acronym definitions of task phrases (by the end of their expansion: the acronym, and
    the definition), and the phrases that are no task because the paper names them ("called X", or an
    acronym it coins or the list knows as no task)."""
    heads, _, plural, _ = _vocab()
    title, abstract = ctx.docs
    lexicon = ctx.lexicon
    defined: dict[int, str] = {}
    definition_at: dict[int, Definition] = {}
    coined: set[tuple[str, ...]] = set()
    # "a formulation named ``user-centric ranking''" (tried only at those words: a scan of the whole
    # abstract costs tens of microseconds, a find a fraction of one)
    for m in anchored(_CALLED, abstract.text, find_all(abstract.text, _CALLED_STARTS)):
        coined.update(_coined_keys(m.group(1), plural))
    if ctx.definitions:
        title_name = _title_name(title.text)
        for d in ctx.definitions:
            known = _lookup(lexicon, d.acronym, None)
            if known is not None and known.kind != "task" and not known.learned and not (
                    known.kind == "dataset" and d.expansion.rsplit(None, 1)[-1].lower() in heads):
                # "Low-Rank Adaptation (LoRA)"; but a dataset acronym spelled out as an activity names the
                # task it is for ("Fine-Grained Visual Classification (FGVC)")
                coined.add(_normal(_COMPOUND.findall(d.expansion.lower()) or ["x"], plural))
            elif _coins(ctx, d, title_name):  # "we propose Sparse Gradient Routing Tuning (SpaGRT)"
                coined.update(_coined_keys(d.expansion, plural))
            elif d.field == "abstract":
                defined[d.exp_end] = d.acronym
                definition_at[d.exp_end] = d
    return defined, definition_at, coined


def _add_listed(ctx: Context, cands: Pool, av: _View, covered_title: dict[int, int],
                covered_abstract: dict[int, int]) -> None:
    """Known task names anywhere (the gazetteer already ran): a bonus, or a candidate of their own unless
    a longer phrase read in the title or abstract (``covered_*``: head token -> first token) stands for it."""
    _, abstract = ctx.docs
    plural = _vocab()[2]
    abstract_entries: list[tuple[int, ...]] | None = None
    for doc, hit, entry in _task_hits(ctx):
        key = _entry_key(entry.name, plural)
        if key is None:
            continue
        listed = cands.get(key)
        if hit.end < len(doc.text) and doc.text[hit.end] in _HYPHENS:
            continue  # "Clustering-Based": a modifier, not the task
        if listed is None:
            in_title = doc.field == "title"
            if (covered_title if in_title else covered_abstract).get(hit.j - 1, hit.i + 1) <= hit.i:
                continue  # part of a longer phrase, which stands for it
            if in_title:
                score = 5.0 if len(key) > 1 else 3.0
            else:
                if abstract_entries is None:
                    abstract_entries = [h2.entries for h2 in ctx.hits["abstract"]]
                count = abstract_entries.count(hit.entries)
                score = _cue(av if doc is abstract else _View(doc), hit.i, hit.j - 1, -10)[0] + (
                    1.0 if count >= 2 else 0.0)
            listed = _add(cands, key, score, doc, hit.start, hit.end)
            if listed[4] < 1:
                listed[4] = 1
        if listed[5] is None:
            listed[5] = entry
            listed[0] += 0.5


def _task_hits(ctx: Context) -> list[tuple[Doc, Hit, Entry]]:
    """``ctx.entity_hits("task")``, without resolving the kind of hits that name no task at all (most of
    them): a hit can resolve to a task only when one of its entries is one."""
    if ctx.resolved is not None:
        return ctx.entity_hits("task")
    entry_of = ctx.lexicon.entry
    out = []
    for doc in ctx.docs:
        for hit in ctx.hits[doc.field]:
            for e in hit.entries:
                if entry_of(e).kind == "task":
                    entry = ctx.kind_of(hit, doc)
                    if entry is not None and entry.kind == "task" and not ctx._redefined(doc, hit, entry):
                        out.append((doc, hit, entry))
                    break
    return out


def _title_name(title: str) -> str:
    """The name a title gives its subject before a colon ("SpaGRT: ..."), or ""."""
    head, colon, _ = title.partition(":")
    return head.strip() if colon and len(head) <= 40 else ""


def _coins(ctx: Context, d: Definition, title_name: str) -> bool:
    """Is this acronym a name the paper coins, so its expansion is a method, not a task? Either the title
    names it, or a proposing verb comes before it in its sentence ("we propose Long Form (LF)")."""
    if d.acronym == title_name or (title_name and _compact(d.acronym) == _compact(title_name)):
        return True
    doc = ctx.docs[0] if d.field == "title" else ctx.docs[1]
    s = max(doc.sentence(d.exp_start)[0], d.exp_start - 60)
    return _PROPOSING.search(doc.text, s, d.exp_start) is not None


def _entry_key(name: str, plural: dict[str, str]) -> tuple[str, ...] | None:
    """A listed task's name as a candidate key."""
    key = _ENTRY_KEYS.get(name, ())
    if key == ():
        names = _COMPOUND.findall(name.lower())
        key = _normal(names, plural) if names else None
        if len(_ENTRY_KEYS) < _CACHE_MAX:
            _ENTRY_KEYS[name] = key
    return key


def _coined_keys(name: str, plural: dict[str, str]) -> list[tuple[str, ...]]:
    """The phrases a coined name (or its expansion) rules out as tasks: its last three or more compounds."""
    keys = _COINED_KEYS.get(name)
    if keys is None:
        parts = _normal(_COMPOUND.findall(name.lower()) or ["x"], plural)
        keys = [parts[-n:] for n in range(min(3, len(parts)), len(parts) + 1)]
        if len(_COINED_KEYS) < _CACHE_MAX:
            _COINED_KEYS[name] = keys
    return keys


def _compact(name: str) -> str:
    key = _COMPACT.get(name)
    if key is None:
        key = compact(name)
        if len(_COMPACT) < _CACHE_MAX:
            _COMPACT[name] = key
    return key


def _lookup(lexicon: Lexicon, name: str, kind: str | None) -> Entry | None:
    """``lexicon.lookup(name, kind)``, remembered while the lexicon learns nothing new."""
    version = getattr(lexicon, "learned_pairs", None)
    if version is None:
        return lexicon.lookup(name, kind)
    slot = _LOOKUPS.get(id(lexicon))
    if slot is None or slot[0] is not lexicon or slot[1] is not version:
        if len(_LOOKUPS) >= 4:
            _LOOKUPS.clear()
        slot = _LOOKUPS[id(lexicon)] = (lexicon, version, {})
    cache = slot[2]
    key = (name, kind)
    try:
        return cache[key]
    except KeyError:
        entry = cache[key] = lexicon.lookup(name, kind)
        if len(cache) > _CACHE_MAX:
            cache.clear()
        return entry

